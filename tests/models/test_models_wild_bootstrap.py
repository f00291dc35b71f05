"""Wild cluster bootstrap (WCR): size and coverage under a known DGP, determinism, agreement with the
panel estimator, and the fast algebra against explicit re-estimation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from resilience.errors import ConfigError, InputError
from resilience.models.panel import fit_panel
from resilience.models.spec import parse_spec
from resilience.models.wild_bootstrap import (
    BOOT_COLUMNS, _Model, _draw_weights, _partialled, cr1_k, design_frame, wild_cluster_bootstrap,
)


def few_cluster_panel(rng: np.random.Generator, beta: float, n_clusters: int = 10, years: int = 8) -> pd.DataFrame:
    """y_it = a_i + d_t + beta x_it + e_it, clusters = units of very unequal size (1..3 sub-units), errors
    and regressor both with a cluster component, so the CR1 t test is unreliable with 10 clusters."""
    rows = []
    for g in range(n_clusters):
        shock_x, shock_e = rng.normal(), rng.normal()
        for sub in range(1 + g % 3):
            unit_effect = rng.normal()
            for t in range(years):
                x = shock_x + rng.normal()
                e = shock_e * (1 + x ** 2) ** 0.5 * 0.7 + rng.normal()
                rows.append((f"c{g}", f"c{g}s{sub}", t, x, unit_effect + 0.2 * t + beta * x + e))
    return pd.DataFrame(rows, columns=["cluster", "unit", "year", "x", "y"])


def golden_panel() -> pd.DataFrame:
    """Fixed data for the golden values: 12 clusters of 1 to 3 units over 6 years, two regressors."""
    rng = np.random.default_rng(2024)
    rows = []
    for g in range(12):
        shock_x, shock_e = rng.normal(), rng.normal()
        for sub in range(1 + g % 3):
            unit_effect = rng.normal()
            for t in range(6):
                x, z = shock_x + rng.normal(), rng.normal()
                e = shock_e * (1 + x ** 2) ** 0.5 * 0.7 + rng.normal()
                rows.append((f"c{g:02d}", f"c{g:02d}s{sub}", t, x, z, unit_effect + 0.2 * t + 0.5 * x + e))
    return pd.DataFrame(rows, columns=["cluster", "unit", "year", "x", "z", "y"])

def test_size_under_the_null_and_coverage_of_the_true_coefficient():
    """200 simulated panels x 199 Webb draws: rejection of the true null near 5%, CI covers ~95%."""
    rng = np.random.default_rng(12345)
    rejections, covered, sims = 0, 0, 200
    for sim in range(sims):
        data = few_cluster_panel(rng, beta=1.0)
        row = wild_cluster_bootstrap(data, dependent="y", regressors=["x"], cluster="cluster",
                                     fixed_effects=["unit", "year"], reps=199, weights="webb", seed=sim,
                                     null=1.0).iloc[0]
        rejections += row["p_boot"] <= 0.05
        covered += row["ci_low"] <= 1.0 <= row["ci_high"]
    # Binomial sd of a 5% rate over 200 draws is 1.5 points: the bands are about +-3 sd.
    assert 0.01 <= rejections / sims <= 0.10
    assert 0.89 <= covered / sims <= 0.99


def test_same_seed_same_table_and_another_seed_differs():
    data = few_cluster_panel(np.random.default_rng(7), beta=0.3)
    kwargs = dict(dependent="y", regressors=["x"], cluster="cluster", fixed_effects=["unit", "year"], reps=399,
                  weights="webb")
    first = wild_cluster_bootstrap(data, seed=11, **kwargs)
    pd.testing.assert_frame_equal(first, wild_cluster_bootstrap(data, seed=11, **kwargs))
    other = wild_cluster_bootstrap(data, seed=12, **kwargs)
    assert list(first.columns) == BOOT_COLUMNS
    assert first.loc[0, "coef"] == other.loc[0, "coef"]
    assert (first.loc[0, "p_boot"], first.loc[0, "ci_low"]) != (other.loc[0, "p_boot"], other.loc[0, "ci_low"])


def test_coef_and_cr1_se_equal_the_panel_estimator():
    """Same design through resilience.models.panel (PanelOLS, CR1 with K = slopes + T)."""
    rng = np.random.default_rng(3)
    data = few_cluster_panel(rng, beta=0.5, n_clusters=12)
    data["x2"] = rng.normal(size=len(data)) + data["year"] * 0.1
    data = data.drop(index=[3, 40, 41]).reset_index(drop=True)          # unbalanced
    design = data.set_index(["unit", "year"])[["y", "x", "x2"]]
    spec = parse_spec({"name": "t", "kind": "panel_plain", "label": "", "dependent": "y",
                       "regressors": ["x", "x2"], "effects": ["entity", "time"], "cov": "clustered"})
    panel, _ = fit_panel(design, spec)
    boot = wild_cluster_bootstrap(design_frame(design, "y"), dependent="y", regressors=["x", "x2"],
                                  cluster="unit", fixed_effects=["unit", "year"], reps=99, seed=1, ci=False)
    np.testing.assert_allclose(boot["coef"], panel["coef"], rtol=1e-8)
    np.testing.assert_allclose(boot["se_cluster"], panel["se"], rtol=1e-8)
    np.testing.assert_allclose(boot["p_cluster_t"], panel["p"], rtol=1e-6)


def test_fast_bootstrap_t_equals_explicit_reestimation():
    """t*_b from the O(G^2) algebra = OLS on y*_b = y^_r + v_g u_r with CR1 on the bootstrap residuals."""
    data = few_cluster_panel(np.random.default_rng(5), beta=0.0, n_clusters=8)
    data["z"] = np.random.default_rng(6).normal(size=len(data))
    y, x, _ = _partialled(data, "y", ["x", "z"], ["unit", "year"])
    clusters = pd.factorize(data["cluster"], sort=True)[0]
    g = clusters.max() + 1
    factor = g / (g - 1) * (len(y) - 1) / (len(y) - cr1_k(data, 2, ["unit", "year"], "cluster"))
    model = _Model(y, x, clusters, g, factor)
    draws, _ = _draw_weights(g, 25, "webb", seed=2)
    r = 0.3
    fast = model.bootstrap_t(0, r, draws)
    u_r = model.restricted_residuals(0, r)
    fitted = y - u_r
    for b in range(draws.shape[1]):
        y_star = fitted + draws[clusters, b] * u_r
        beta = np.linalg.lstsq(x, y_star, rcond=None)[0]
        resid = y_star - x @ beta
        scores = np.array([model.a[0, clusters == c] @ resid[clusters == c] for c in range(g)])
        assert fast[b] == pytest.approx((beta[0] - r) / np.sqrt(factor * np.sum(scores ** 2)), rel=1e-8)


def test_rademacher_enumerates_all_sign_vectors_when_few_clusters():
    draws, reps = _draw_weights(4, 999, "rademacher", seed=0)
    assert reps == 16 and draws.shape == (4, 16)
    assert len({tuple(col) for col in draws.T}) == 16
    webb, _ = _draw_weights(4, 1000, "webb", seed=0)
    assert set(np.round(np.abs(webb).ravel() ** 2, 12)) == {0.5, 1.0, 1.5}


def test_nested_effects_do_not_count_in_k():
    data = pd.DataFrame({"unit": list("aabbcc"), "country": list("xxxxyy"), "year": [1, 2] * 3})
    assert cr1_k(data, 2, ["unit", "year"], "unit") == 2 + 1 + 1          # year has 2 levels
    assert cr1_k(data, 2, ["unit"], "country") == 3                       # unit nested in country
    assert cr1_k(data, 2, ["year"], "country") == 2 + 1 + 1
    assert cr1_k(data, 3, [], "unit") == 3


def test_bad_input_names_the_problem():
    data = few_cluster_panel(np.random.default_rng(1), beta=0.0, n_clusters=4)
    with pytest.raises(InputError, match="missing columns"):
        wild_cluster_bootstrap(data, dependent="y", regressors=["nope"], cluster="cluster")
    with pytest.raises(ConfigError, match="weights"):
        wild_cluster_bootstrap(data, dependent="y", regressors=["x"], cluster="cluster", weights="mammen")
    with pytest.raises(ConfigError, match="terms"):
        wild_cluster_bootstrap(data, dependent="y", regressors=["x"], cluster="cluster", terms=["z"])
    data.loc[0, "x"] = np.nan
    with pytest.raises(InputError, match="missing values"):
        wild_cluster_bootstrap(data, dependent="y", regressors=["x"], cluster="cluster")


def test_agrees_with_wildboottest_package():
    """Cross-check against the `wildboottest` package (pinned in requirements.lock): WCR, Rademacher, all
    2^8 sign vectors enumerated by both, so the bootstrap t distributions agree up to the packages'
    different small-sample factors, which scale t and every t*_b alike and so leave p unchanged.

    The two p-values differ only in ties: ours counts |t*_b| >= |t| (the all-ones and all-minus-ones sign
    vectors rebuild the sample itself, so they always tie), the package counts |t*_b| > |t| strictly. So
    ours is compared with the package's own draws counted our way, and with its p plus those two ties."""
    wildboottest = pytest.importorskip("wildboottest.wildboottest")
    data = few_cluster_panel(np.random.default_rng(9), beta=0.4, n_clusters=8)
    dummies = pd.get_dummies(data[["unit", "year"]].astype(str), drop_first=True).astype(float)
    x = pd.concat([pd.Series(1.0, index=data.index, name="const"), data[["x"]], dummies], axis=1)
    codes = pd.factorize(data["cluster"], sort=True)[0]
    restriction = (x.columns == "x").astype(float)
    # The class rather than the wildboottest() wrapper: the wrapper keeps the t*_b draws to itself and
    # fans out over processes (parallel=True), which competes with pytest-xdist's workers.
    theirs = wildboottest.WildboottestCL(X=x.to_numpy(), Y=data["y"].to_numpy(), cluster=codes, R=restriction,
                                         B=9999, seed=1, parallel=False)
    theirs.get_scores(bootstrap_type="11", impose_null=True, adj=True, cluster_adj=True)
    theirs.get_weights(weights_type="rademacher")
    theirs.get_numer()
    theirs.get_denom()
    theirs.get_tboot()
    theirs.get_vcov()
    theirs.get_tstat()
    theirs.get_pvalue(pval_type="two-tailed")
    t_their = abs(float(np.ravel(theirs.t_stat)[0]))
    t_boot = np.abs(np.ravel(theirs.t_boot))
    ours = wild_cluster_bootstrap(data, dependent="y", regressors=["x"], cluster="cluster",
                                  fixed_effects=["unit", "year"], reps=9999, weights="rademacher", seed=1, ci=False)
    assert ours.loc[0, "reps"] == 2 ** 8 == t_boot.size
    ties = int(np.sum(np.isclose(t_boot, t_their, rtol=1e-9, atol=0)))
    assert ties == 2
    assert ours.loc[0, "p_boot"] == pytest.approx(np.mean(t_boot >= t_their * (1 - 1e-9)), abs=1e-12)
    assert ours.loc[0, "p_boot"] == pytest.approx(float(theirs.pvalue) + ties / t_boot.size, abs=1e-12)


# Golden values: computed once with this module on golden_panel() (numpy 2 default_rng, seed 5) by
# running wild_cluster_bootstrap and printing p_boot * reps and the interval bounds with repr(); they
# were checked against nothing else, so they pin the implementation (weights, draws, p and inversion)
# against silent change, not prove it right: the size/coverage and re-estimation tests do that.
# (weights, reps, term): (count of |t*| >= |t| among the draws, ci_low, ci_high) at null 0
GOLDEN = {
    ("webb", 999, "x"): (0, 0.30027670422332486, 0.9129482451361813),
    ("webb", 999, "z"): (471, -0.16044319732273168, 0.3069581983225006),
    ("rademacher", 999, "x"): (0, 0.2956598047905631, 0.9071394591239151),
    ("rademacher", 999, "z"): (464, -0.1677236641826402, 0.31201790068262303),
    # 12 clusters, 2^12 <= 9999: the 4096 sign vectors are enumerated
    ("rademacher", 9999, "x"): (2, 0.2937153416314402, 0.9348465132017657),
    ("rademacher", 9999, "z"): (1882, -0.1686874761826406, 0.3205314007715825),
}
# (weights): counts for x and z at null 0.25, reps 999
GOLDEN_NULL_025 = {"webb": (13, 150), "rademacher": (14, 140)}


@pytest.mark.parametrize("weights,reps", [("webb", 999), ("rademacher", 999), ("rademacher", 9999)])
def test_golden_p_values_and_intervals(weights, reps):
    data = golden_panel()
    table = wild_cluster_bootstrap(data, dependent="y", regressors=["x", "z"], cluster="cluster",
                                   fixed_effects=["unit", "year"], reps=reps, weights=weights, seed=5)
    used = 4096 if reps == 9999 else reps
    assert table["reps"].tolist() == [used, used]
    # coef and CR1 se: from the same formulas the panel estimator test checks
    assert table["coef"].tolist() == pytest.approx([0.574239, 0.086402], abs=1e-6)
    assert table["se_cluster"].tolist() == pytest.approx([0.137960, 0.108577], abs=1e-6)
    for row in table.itertuples():
        count, low, high = GOLDEN[(weights, reps, row.term)]
        assert row.p_boot == pytest.approx(count / used, abs=1e-12), row.term
        # the bisection stops within 1e-6 se of the bound; 1e-5 absolute leaves room for rounding
        assert (row.ci_low, row.ci_high) == pytest.approx((low, high), abs=1e-5), row.term


@pytest.mark.parametrize("weights", ["webb", "rademacher"])
def test_golden_p_values_against_a_nonzero_null(weights):
    table = wild_cluster_bootstrap(golden_panel(), dependent="y", regressors=["x", "z"], cluster="cluster",
                                   fixed_effects=["unit", "year"], reps=999, weights=weights, seed=5,
                                   null=0.25, ci=False)
    assert (table["p_boot"] * 999).round(6).tolist() == list(GOLDEN_NULL_025[weights])


@pytest.mark.parametrize("weights", ["webb", "rademacher"])
def test_weight_distribution_moments(weights):
    """Both weight laws have mean 0 and variance 1; Webb's six points each have probability 1/6."""
    draws, reps = _draw_weights(20, 50_000, weights, seed=3)      # 2^20 > reps: drawn, not enumerated
    assert draws.shape == (20, 50_000) and reps == 50_000
    n = draws.size                                                  # one million draws
    # sd of the mean is 1/sqrt(n) = 0.001; of the variance sqrt(E v^4 - 1)/sqrt(n) <= 0.001
    assert abs(draws.mean()) < 0.005
    assert abs((draws ** 2).mean() - 1) < 0.005
    values, counts = np.unique(draws, return_counts=True)
    if weights == "rademacher":
        assert values.tolist() == [-1.0, 1.0]
        assert counts / n == pytest.approx([0.5, 0.5], abs=0.005)
        return
    # Webb (2014): +-sqrt(3/2), +-1, +-sqrt(1/2), written out here rather than read from the module
    expected = [-np.sqrt(1.5), -1.0, -np.sqrt(0.5), np.sqrt(0.5), 1.0, np.sqrt(1.5)]
    assert values.tolist() == pytest.approx(expected, abs=1e-15)
    assert counts / n == pytest.approx([1 / 6] * 6, abs=0.005)
    # the exact law: mean 0 and variance 1 hold for the six points themselves
    assert np.mean(expected) == pytest.approx(0, abs=1e-15) and np.mean(np.square(expected)) == pytest.approx(1)


def test_a_long_bootstrap_warns_with_its_estimate_before_it_starts_and_logs_progress(caplog, monkeypatch):
    from resilience.models import wild_bootstrap
    assert wild_bootstrap.estimated_seconds(0.02, 20, ci=True) == pytest.approx(0.02 * 20 * 91)
    assert wild_bootstrap.estimated_seconds(0.02, 20, ci=False) == pytest.approx(0.4)
    monkeypatch.setattr(wild_bootstrap, "WARN_SECONDS", 0.0)      # any estimate is "long"
    with caplog.at_level("INFO", logger="resilience.models.wild_bootstrap"):
        wild_cluster_bootstrap(golden_panel(), dependent="y", regressors=["x", "z"], cluster="cluster",
                               fixed_effects=["unit", "year"], reps=99, weights="webb", seed=5, ci=False)
    messages = [r.getMessage() for r in caplog.records]
    assert messages[0].startswith("wild bootstrap: 99 draws x 2 terms, about ") and caplog.records[0].levelname == "WARNING"
    assert "ci: false (p-values only) shorten it" in messages[0]
    assert [m.split(" after ")[0] for m in messages[1:]] == ["wild bootstrap: 1 of 2 terms done",
                                                            "wild bootstrap: 2 of 2 terms done"]
