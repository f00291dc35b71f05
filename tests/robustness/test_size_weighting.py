import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from resilience.models.panel import fit_panel
from resilience.models.spec import parse_spec
from resilience.robustness.size_weighting import shock_panel, size_weighted
from tests.robustness.dgp import GFC, simulate

YEARS = range(2004, 2014)


def _data(seed):
    growth, exposures, x = simulate(80, YEARS, seed=seed)
    rng = np.random.default_rng(seed)
    size = pd.Series(np.exp(rng.normal(scale=1.5, size=80)), index=x.index)
    big = (size > size.median()).reindex(growth["unit"]).to_numpy()
    # Planted: the contraction effect is -3 per raw exposure unit in big units, 0 in small ones.
    growth["growth"] += np.where(big & (growth["year"] == 2009), -3.0, 0.0) * x["digital"].reindex(growth["unit"]).to_numpy()
    return growth, exposures, size


def test_matches_statsmodels_wls_with_dummies():
    growth, exposures, size = _data(41)
    out = size_weighted(growth, exposures, GFC, size, outcome="growth", exposure_vars=["digital"]).set_index("term")
    data, terms = shock_panel(growth, exposures, GFC, outcome="growth", exposure_vars=["digital"])
    names = {t: f"x{i}" for i, t in enumerate(terms)}
    data = data.rename(columns=names)
    n, g, t_levels = len(data), data["unit"].nunique(), data["year"].nunique()
    for scheme, w in (("none", np.ones(n)), ("sqrt", np.sqrt(size.reindex(data["unit"]).to_numpy())),
                      ("size", size.reindex(data["unit"]).to_numpy())):
        fit = smf.wls("growth ~ " + " + ".join(names.values()) + " + C(unit) + C(year)", data, weights=w).fit(
            cov_type="cluster", cov_kwds={"groups": pd.factorize(data["unit"])[0]})
        # Same sandwich; statsmodels counts every dummy in K, ours slopes + year effects (see event study test).
        ratio = np.sqrt((n - len(fit.params)) / (n - len(terms) - t_levels))
        for term, name in names.items():
            assert out.loc[term, f"coef_{scheme}"] == pytest.approx(fit.params[name], abs=1e-8)
            assert out.loc[term, f"se_{scheme}"] == pytest.approx(fit.bse[name] * ratio, rel=1e-8)
    assert (out["n_clusters"] == g).all() and (out["nobs"] == n).all()


def test_weighting_moves_toward_the_big_units_effect():
    growth, exposures, size = _data(42)
    out = size_weighted(growth, exposures, GFC, size, outcome="growth", exposure_vars=["digital"],
                        standardize=False).set_index("term")
    row = out.loc["contraction_gfc_x_digital"]
    assert row["coef_none"] == pytest.approx(-1.5, abs=0.6)       # half the units carry -3
    assert row["coef_size"] == pytest.approx(-3.0, abs=0.6)       # big units dominate the weights
    assert row["coef_size"] < row["coef_sqrt"] < row["coef_none"]


def test_units_without_size_leave_every_scheme():
    growth, exposures, size = _data(43)
    size.iloc[:5] = np.nan
    out = size_weighted(growth, exposures, GFC, size, outcome="growth", exposure_vars=["digital"])
    assert (out["nobs"] == 75 * 10).all()


def test_unweighted_column_is_the_main_models_estimator():
    growth, exposures, size = _data(44)
    out = size_weighted(growth, exposures, GFC, size, outcome="growth", exposure_vars=["digital"]).set_index("term")
    data, terms = shock_panel(growth, exposures, GFC, outcome="growth", exposure_vars=["digital"])
    spec = parse_spec({"name": "m", "kind": "panel_plain", "dependent": "growth", "regressors": terms,
                       "effects": ["entity", "time"], "cov": "clustered"})
    table, _ = fit_panel(data.set_index(["unit", "year"])[["growth", *terms]], spec)
    main = table.set_index("term")
    assert np.allclose(out.loc[terms, "coef_none"], main.loc[terms, "coef"], atol=1e-8, rtol=0)
    assert np.allclose(out.loc[terms, "se_none"], main.loc[terms, "se"], atol=1e-8, rtol=0)
    assert np.allclose(out.loc[terms, "p_none"], main.loc[terms, "p"], atol=1e-8, rtol=0)
