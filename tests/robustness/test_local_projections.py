import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from resilience.robustness.local_projections import cumulative_growth, local_projections
from tests.robustness.dgp import GFC, simulate

YEARS = range(2004, 2014)
PATH = [-4.0, -6.0, -5.0, -3.0, -2.0]   # planted cumulative response c^h per raw exposure unit, h = 0..4


def _annual(t):
    h = t - 2009
    return PATH[h] - (PATH[h - 1] if h > 0 else 0.0) if 0 <= h <= 4 else 0.0


def test_planted_cumulative_path_is_recovered():
    growth, exposures, _ = simulate(600, YEARS, seed=11, effect=_annual)
    table = local_projections(growth, exposures, GFC, outcome="growth", exposure_vars=["digital"],
                              standardize=False)
    est = table[table["term"] == "digital"].set_index("horizon")
    for h, c in enumerate(PATH):
        assert est.loc[h, "coef"] == pytest.approx(c, abs=4 * est.loc[h, "se"])
        assert abs(est.loc[h, "coef"] - c) < 0.4
    assert list(est.index) == [0, 1, 2, 3, 4] and (est["nobs"] == 600).all()


def test_matches_statsmodels_ols_hc1_and_cluster():
    growth, exposures, _ = simulate(80, YEARS, seed=12, effect=_annual, exposures=("digital", "size"))
    for cluster, cov in ((None, {"cov_type": "HC1"}), ("group", None)):
        table = local_projections(growth, exposures, GFC, outcome="growth", exposure_vars=["digital"],
                                  controls=["size"], cluster=cluster, horizons=3)
        data = cumulative_growth(growth, exposures, GFC, outcome="growth", exposure_vars=["digital"],
                                 controls=["size"], cluster=cluster, horizons=3)
        for h in range(4):
            # Independent: cumulative growth summed by hand from the growth frame.
            wide = growth.pivot(index="unit", columns="year", values="growth")
            y = wide.loc[data["unit"], 2009:2009 + h].sum(axis=1).to_numpy()
            assert np.allclose(data[f"cum_h{h}"], y, atol=1e-12)
            x = sm.add_constant(data[["digital", "size"]])
            if cluster is None:
                fit = sm.OLS(y, x).fit(cov_type="HC1", use_t=True)
            else:
                fit = sm.OLS(y, x).fit(cov_type="cluster", cov_kwds={"groups": pd.factorize(data["group"])[0]},
                                       use_t=True)
            ours = table[table["horizon"] == h].set_index("term")
            assert np.allclose(ours.loc[["const", "digital", "size"], "coef"], fit.params, atol=1e-8, rtol=0)
            assert np.allclose(ours.loc[["const", "digital", "size"], "se"], fit.bse, atol=1e-8, rtol=0)
            assert np.allclose(ours.loc[["const", "digital", "size"], "p"], fit.pvalues, atol=1e-8, rtol=0)
    assert set(table["n_clusters"]) == {10}


def test_a_missing_year_drops_the_unit_from_that_horizon_on():
    growth, exposures, _ = simulate(30, YEARS, seed=13)
    growth = growth[~((growth["unit"] == "u000") & (growth["year"] == 2011))]
    table = local_projections(growth, exposures, GFC, outcome="growth", exposure_vars=["digital"])
    nobs = table[table["term"] == "digital"].set_index("horizon")["nobs"]
    assert list(nobs) == [30, 30, 29, 29, 29]
