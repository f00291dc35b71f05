import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from scipy import stats

from resilience.robustness.event_study import event_design, event_study
from tests.robustness.dgp import GFC, simulate, zscore

YEARS = range(2004, 2014)          # shock year 2009: relative years -5..+4
PLANTED = {0: -3.0, 1: -2.0, 2: -1.0, 3: -0.5, 4: 0.0}


def test_planted_post_shock_path_is_recovered_and_no_pretrend_flagged():
    growth, exposures, x = simulate(300, YEARS, seed=1, effect=lambda t: PLANTED.get(t - 2009, 0.0))
    table, pre = event_study(growth, exposures, GFC, outcome="growth", exposure_vars=["digital"])
    sd = x["digital"].std(ddof=1)  # the estimate is per standard deviation of the exposure
    est = table.set_index("rel_year")["coef"]
    for r, beta in PLANTED.items():
        assert est[r] == pytest.approx(beta * sd, abs=0.35)   # se about 0.08: 4 se
    for r in (-5, -4, -3, -2):
        assert abs(est[r]) < 0.35
    assert est[-1] == 0.0 and table.loc[table["rel_year"] == -1, "reference"].all()
    assert (table["nobs"] == 3000).all() and (table["n_clusters"] == 300).all()
    assert pre.loc[0, "df1"] == 4 and pre.loc[0, "df2"] == 299
    assert pre.loc[0, "p"] > 0.01


def test_linear_pretrend_is_detected():
    growth, exposures, _ = simulate(100, YEARS, seed=2, effect=lambda t: 0.3 * (t - 2009))
    _, pre = event_study(growth, exposures, GFC, outcome="growth", exposure_vars=["digital"])
    assert pre.loc[0, "p"] < 0.01


def test_pretrend_test_has_its_size_without_a_pretrend():
    # 150 clusters: with 40 the cluster-robust F over-rejects (13.5% at 5%, see the module docstring).
    rejections = 0
    n_sims = 200
    for seed in range(n_sims):
        growth, exposures, _ = simulate(150, YEARS, seed=1000 + seed, effect=lambda t: 1.0 * (t >= 2009))
        _, pre = event_study(growth, exposures, GFC, outcome="growth", exposure_vars=["digital"])
        rejections += pre.loc[0, "p"] < 0.05
    low, high = stats.binom(n_sims, 0.05).ppf(0.001), stats.binom(n_sims, 0.05).isf(0.001)
    assert low <= rejections <= high, rejections


def test_joint_test_over_two_exposures_and_group_clusters():
    growth, exposures, _ = simulate(120, YEARS, seed=3, exposures=("digital", "cluster"))
    table, pre = event_study(growth, exposures, GFC, outcome="growth", exposure_vars=["digital", "cluster"],
                             cluster="group")
    assert list(pre["exposure"]) == ["digital", "cluster", "all"]
    assert list(pre["df1"]) == [4, 4, 8] and set(pre["df2"]) == {9}   # 10 groups
    assert (table["n_clusters"] == 10).all() and len(table) == 2 * 10


def test_matches_dummy_variable_ols_on_an_unbalanced_panel():
    growth, exposures, _ = simulate(60, YEARS, seed=4, effect=lambda t: 0.5 * (t >= 2009))
    growth = growth.drop(index=growth.sample(frac=0.1, random_state=4).index)
    table, _ = event_study(growth, exposures, GFC, outcome="growth", exposure_vars=["digital"])
    design, terms = event_design(growth, exposures, GFC, outcome="growth", exposure_vars=["digital"])
    # Independent standardisation over the sample's units, then OLS with unit and year dummies.
    z = zscore(exposures.set_index("unit")["value"].loc[design["unit"].unique()])
    data = design[["unit", "year", "growth"]].copy()
    names = {}
    for r in [r for r in range(-5, 5) if r != -1]:
        names[r] = f"d{r + 5}"
        data[names[r]] = z.reindex(data["unit"]).to_numpy() * (data["year"] == 2009 + r)
    formula = "growth ~ " + " + ".join(names.values()) + " + C(unit) + C(year)"
    sm = smf.ols(formula, data).fit(cov_type="cluster", cov_kwds={"groups": pd.factorize(data["unit"])[0]})
    est = table[~table["reference"]].set_index("rel_year")
    for r, name in names.items():
        assert est.loc[r, "coef"] == pytest.approx(sm.params[name], abs=1e-8)
    # statsmodels' CR1 counts every dummy in K; ours (fixest) counts slopes + year effects, unit
    # effects being nested in the unit clusters. Same sandwich, so se ratio = sqrt((N-K_sm)/(N-K)).
    n, g, t = len(data), data["unit"].nunique(), data["year"].nunique()
    k_sm, k_ours = len(sm.params), len(names) + t
    ratio = np.sqrt((n - k_sm) / (n - k_ours))
    for r, name in names.items():
        assert est.loc[r, "se"] == pytest.approx(sm.bse[name] * ratio, rel=1e-8)
    assert g == 60


def test_window_must_contain_the_reference():
    growth, exposures, _ = simulate(10, YEARS, seed=5)
    with pytest.raises(ValueError):
        event_study(growth, exposures, GFC, outcome="growth", exposure_vars=["digital"], window=(0, 3))
