"""The country panel's models in the stage every panel runs (resilience.panels.countries.models) against
an independent dummy-variable OLS (statsmodels), on a known data-generating process."""
import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from resilience.panels.countries.models import COUNTRY_COEF_COLUMNS, run_models

EPISODE = {"name": "gfc", "contraction": [2008, 2009], "recovery": [2009, 2011], "exposure_year": 2007}
TRUE_CONTRACTION = -3.0


def data(seed=7):
    """40 economies, 2000-2014: growth = unit effect + year effect - 3 x (2009 dummy x exposure) + noise."""
    rng = np.random.default_rng(seed)
    units = [f"U{i:02d}" for i in range(40)]
    x = pd.Series(rng.normal(size=40), index=units)
    years = range(2000, 2015)
    year_effect = {y: rng.normal() for y in years}
    rows = [{"iso3": u, "year": y, "g_mva": 1 + 0.1 * i + year_effect[y]
             + (TRUE_CONTRACTION * x[u] if y == 2009 else 0.0) + rng.normal(scale=0.5)}
            for i, u in enumerate(units) for y in years]
    exposures = pd.DataFrame({"iso3": units, "episode": "gfc", "variable": "digital_z", "value": x.to_numpy()})
    return pd.DataFrame(rows), exposures


ENTRY = {"name": "m", "kind": "panel", "label": "", "dependent": "g_mva", "exposures": ["digital_z"],
         "phases": ["contraction", "recovery"], "effects": ["entity", "time"], "cov": "clustered"}
SETTINGS = {"design": {"fixed_effects": ["unit", "year"], "bootstrap_cluster": "unit", "standardize": True},
            "bootstrap": {"reps": 199, "weights": "webb", "seed": 1, "ci": False}}


def dummy_variable_ols(growth, exposures):
    """g on economy and year dummies, 2009 x z and (2010, 2011) x z, z = the exposure standardized (ddof 1);
    CR1 by economy as statsmodels computes it (K = every parameter, dummies included)."""
    z = (exposures.set_index("iso3")["value"] - exposures["value"].mean()) / exposures["value"].std()
    frame = growth.assign(z=growth["iso3"].map(z))
    x = pd.get_dummies(frame[["iso3", "year"]].astype(str), drop_first=True, dtype=float)
    x["contraction_gfc_x_digital_z"] = frame["year"].eq(2009) * frame["z"]
    x["recovery_gfc_x_digital_z"] = frame["year"].isin([2010, 2011]) * frame["z"]
    groups = frame["iso3"].astype("category").cat.codes
    fit = sm.OLS(frame["g_mva"], sm.add_constant(x)).fit(cov_type="cluster", cov_kwds={"groups": groups})
    return fit, x.shape[1] + 1


def test_same_estimates_as_a_dummy_variable_ols_and_the_bootstrap_rejects_the_false_null_of_zero():
    growth, exposures = data()
    dk = ENTRY | {"name": "m_dk", "cov": "driscoll-kraay", "bandwidth": 2}
    coefs, boot, notes = run_models(growth, exposures, [EPISODE], SETTINGS | {"models": [ENTRY, dk]})
    assert list(coefs.columns) == COUNTRY_COEF_COLUMNS
    reference, k_all = dummy_variable_ols(growth, exposures)
    terms = ["contraction_gfc_x_digital_z", "recovery_gfc_x_digital_z"]
    n, slopes, years = len(growth), 2, growth["year"].nunique()
    # the pipeline's CR1 counts slopes + year effects (economy effects nest in the clusters), as
    # xtreg, fe and fixest do; statsmodels counts every dummy: the standard errors differ by this factor
    rescale = np.sqrt((n - k_all) / (n - slopes - years))
    for name in ("m", "m_dk"):
        mine = coefs[coefs["model"] == name].set_index("term").loc[terms]
        np.testing.assert_allclose(mine["coef"], reference.params[terms], rtol=1e-8)
    clustered = coefs[coefs["model"] == "m"].set_index("term").loc[terms]
    np.testing.assert_allclose(clustered["se"], reference.bse[terms] * rescale, rtol=1e-8)
    # exposures are z-scored, so the contraction coefficient is -3 x sd(x) per SD
    sd = exposures["value"].std()
    main = coefs.set_index(["model", "term"]).loc[("m", "contraction_gfc_x_digital_z")]
    assert main["coef"] == pytest.approx(TRUE_CONTRACTION * sd, rel=0.1)
    assert main["p_boot"] < 0.01 and main["boot_clusters"] == 40 and main["boot_reps"] == 199
    # only the model clustered by economy is bootstrapped
    assert set(boot["model"]) == {"m"} and coefs.loc[coefs["model"] == "m_dk", "p_boot"].isna().all()
    assert notes["m"]["bootstrap"]["reps"] == 199 and notes["m_dk"]["bootstrap"].startswith("none: cov driscoll-kraay")
    assert notes["m"]["standardized"] is True and notes["m"]["nobs"] == len(growth)
