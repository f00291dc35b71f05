"""fit_panel against dummy-variable OLS on a synthetic panel with a known DGP.

DGP (seeded): 40 units x 20 years (2004-2023), ~8% of unit-years dropped at random, episodes gfc
(contraction 2009, recovery 2010-11) and covid (contraction 2020, recovery 2021-22),

    g_it = a_i + d_t + sum_{e,p} [b1 P D_ie + b2 P L_ie + b3 P D_ie L_ie + b4 P C_ie] + e_it,
    e_it ~ N(0, SIGMA^2) iid,

with the regressors built here independently of ``shock_design``.
"""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from resilience.models.design import shock_design
from resilience.models.panel import clustered_k, fit_panel
from resilience.models.spec import parse_spec

SIGMA = 0.5
YEARS = np.arange(2004, 2024)
PHASE_YEARS = {("contraction", "gfc"): {2009}, ("recovery", "gfc"): {2010, 2011},
               ("contraction", "covid"): {2020}, ("recovery", "covid"): {2021, 2022}}
EPISODES = [{"name": "gfc", "contraction": [2008, 2009], "recovery": [2009, 2011]},
            {"name": "covid", "contraction": [2019, 2020], "recovery": [2020, 2022]}]
TRUE = {("contraction", "gfc"): (1.5, -1.0, 0.5, 0.8), ("recovery", "gfc"): (1.0, 0.6, -0.4, -0.5),
        ("contraction", "covid"): (-1.2, 1.3, 0.7, 0.4), ("recovery", "covid"): (0.9, -0.7, 0.3, -0.6)}
SPEC = {"name": "main_twfe", "kind": "panel", "dependent": "g_mva", "exposures": ["digital_z", "lq_manuf"],
        "interact_exposures": True, "phases": ["contraction", "recovery"], "controls": ["log_gdppc"],
        "effects": ["entity", "time"], "cov": "clustered"}


def true_beta() -> pd.Series:
    names = {}
    for episode in ("gfc", "covid"):
        for phase in ("contraction", "recovery"):
            b = TRUE[(phase, episode)]
            stem = f"{phase}_{episode}_x_"
            names.update({stem + "digital_z": b[0], stem + "lq_manuf": b[1],
                          stem + "digital_z_x_lq_manuf": b[2], stem + "log_gdppc": b[3]})
    return pd.Series(names)


@pytest.fixture(scope="module")
def synthetic():
    rng = np.random.default_rng(20240521)
    units = [f"U{i:02d}" for i in range(40)]
    exposures = pd.DataFrame([(u, e, v, rng.normal(loc=1.0 if v == "lq_manuf" else 0.0))
                              for u in units for e in ("gfc", "covid") for v in ("digital_z", "lq_manuf", "log_gdppc")],
                             columns=["unit", "episode", "variable", "value"])
    x = exposures.set_index(["unit", "episode", "variable"])["value"]
    panel = pd.DataFrame([(u, y) for u in units for y in YEARS], columns=["unit", "year"])
    panel = panel[rng.random(len(panel)) > 0.08].reset_index(drop=True)
    alpha = pd.Series(rng.normal(0, 2, len(units)), index=units)
    delta = pd.Series(rng.normal(0, 1, len(YEARS)), index=YEARS)
    signal = np.zeros(len(panel))
    beta = true_beta()
    for (phase, episode), years in PHASE_YEARS.items():
        on = panel["year"].isin(years).to_numpy()
        d = x.loc[list(zip(panel["unit"], [episode] * len(panel), ["digital_z"] * len(panel)))].to_numpy()
        lq = x.loc[list(zip(panel["unit"], [episode] * len(panel), ["lq_manuf"] * len(panel)))].to_numpy()
        c = x.loc[list(zip(panel["unit"], [episode] * len(panel), ["log_gdppc"] * len(panel)))].to_numpy()
        stem = f"{phase}_{episode}_x_"
        signal += on * (beta[stem + "digital_z"] * d + beta[stem + "lq_manuf"] * lq
                        + beta[stem + "digital_z_x_lq_manuf"] * d * lq + beta[stem + "log_gdppc"] * c)
    noise = rng.normal(0, SIGMA, len(panel))
    panel["g_mva"] = alpha.loc[panel["unit"]].to_numpy() + delta.loc[panel["year"]].to_numpy() + signal + noise
    design, notes = shock_design(panel, exposures, EPISODES, parse_spec(SPEC))
    return design, notes


def dummy_ols_matrices(design: pd.DataFrame, entity=True, time=True):
    """[slopes, const, entity dummies (drop first), year dummies (drop first)] and y."""
    idx = design.index.to_frame(index=False)
    parts = [design.drop(columns="g_mva").reset_index(drop=True), pd.DataFrame({"const": np.ones(len(idx))})]
    if entity:
        parts.append(pd.get_dummies(idx["unit"], prefix="e", drop_first=True, dtype=float))
    if time:
        parts.append(pd.get_dummies(idx["year"], prefix="t", drop_first=True, dtype=float))
    return pd.concat(parts, axis=1), design["g_mva"].to_numpy(), idx["unit"].to_numpy()


def test_coefficients_match_dummy_ols_and_true_values(synthetic):
    design, notes = synthetic
    table, info = fit_panel(design, parse_spec(SPEC))
    w, y, _ = dummy_ols_matrices(design)
    ols = sm.OLS(y, w).fit()
    k = design.shape[1] - 1
    coef = table.set_index("term")["coef"]
    np.testing.assert_allclose(coef.to_numpy(), ols.params.to_numpy()[:k], rtol=1e-8, atol=1e-10)
    # Tolerance from the DGP: conditional on X, b_hat - b ~ N(0, SIGMA^2 [(W'W)^-1]_slopes) exactly,
    # so |z| < 4 holds with probability 0.99994 per coefficient.
    sd = SIGMA * np.sqrt(np.diag(np.linalg.inv(w.T.to_numpy() @ w.to_numpy()))[:k])
    z = (coef - true_beta().loc[coef.index]).to_numpy() / sd
    assert np.all(np.abs(z) < 4), dict(zip(coef.index, z.round(2)))
    assert notes["units"] == 40 and notes["unit_years"] == len(design) < 800
    assert table["r2"].iloc[0] == pytest.approx(ols.rsquared, rel=1e-10)
    fe_only = sm.OLS(y, w.iloc[:, k:]).fit()
    assert table["r2_within"].iloc[0] == pytest.approx(1 - ols.ssr / fe_only.ssr, rel=1e-10)


def test_cr1_equals_numpy_sandwich_and_relates_to_statsmodels(synthetic):
    design, _ = synthetic
    table, info = fit_panel(design, parse_spec(SPEC))
    w, y, groups = dummy_ols_matrices(design)
    wm = w.to_numpy()
    k, n = design.shape[1] - 1, len(design)
    n_groups, n_years = len(set(groups)), design.index.get_level_values("year").nunique()
    bread = np.linalg.inv(wm.T @ wm)
    u = y - wm @ (bread @ wm.T @ y)
    meat = sum(np.outer(wm[groups == g].T @ u[groups == g], wm[groups == g].T @ u[groups == g])
               for g in np.unique(groups))
    big_k = k + n_years                      # slopes + year effects; entity effects nested in clusters
    factor = n_groups / (n_groups - 1) * (n - 1) / (n - big_k)
    se_numpy = np.sqrt(np.diag(bread @ meat @ bread)[:k] * factor)
    np.testing.assert_allclose(table["se"].to_numpy(), se_numpy, rtol=1e-8, atol=0)
    assert (info["K"], info["n_clusters"], info["df_t"]) == (big_k, 40, 39)
    assert table["n_clusters"].iloc[0] == 40 and table["small_sample"].iloc[0].startswith("CR1: G/(G-1)*(N-1)/(N-K)")
    # statsmodels counts every dummy in K (K_sm = k + 1 + 39 + (T-1)): V_ours / V_sm = (N-K_sm)/(N-K).
    sm_fit = sm.OLS(y, w).fit(cov_type="cluster", cov_kwds={"groups": pd.factorize(groups)[0]})
    k_sm = wm.shape[1]
    ratio = (n - k_sm) / (n - big_k)
    np.testing.assert_allclose(table["se"].to_numpy() ** 2, sm_fit.bse.to_numpy()[:k] ** 2 * ratio, rtol=1e-8)
    # inference from t(G-1)
    t = table["coef"] / table["se"]
    np.testing.assert_allclose(table["p"], 2 * stats.t.sf(np.abs(t), n_groups - 1), rtol=1e-10)
    half = stats.t.ppf(0.975, n_groups - 1) * table["se"]
    np.testing.assert_allclose(table["ci_high"] - table["coef"], half, rtol=1e-10)


def test_driscoll_kraay_equals_numpy(synthetic):
    design, _ = synthetic
    spec = parse_spec({**SPEC, "name": "main_twfe_dk", "cov": "driscoll-kraay", "bandwidth": 2})
    table, info = fit_panel(design, spec)
    w, y, groups = dummy_ols_matrices(design)
    k, n = design.shape[1] - 1, len(design)
    fe = w.iloc[:, k:].to_numpy()

    def within(a):                                      # FWL: residuals on the effect dummies
        return a - fe @ np.linalg.lstsq(fe, a, rcond=None)[0]
    xt, yt = within(w.iloc[:, :k].to_numpy()), within(y)
    b = np.linalg.solve(xt.T @ xt, xt.T @ yt)
    scores = pd.DataFrame(xt * (yt - xt @ b)[:, None]).groupby(design.index.get_level_values("year")).sum()
    h = scores.sort_index().to_numpy()
    s = h.T @ h
    for j, weight in [(1, 2 / 3), (2, 1 / 3)]:          # Bartlett: 1 - j/(bw+1), bw = 2
        gamma = h[j:].T @ h[:-j]
        s += weight * (gamma + gamma.T)
    n_entities, n_years = 40, design.index.get_level_values("year").nunique()
    big_k = k + n_entities + n_years - 1
    bread = np.linalg.inv(xt.T @ xt)
    se = np.sqrt(np.diag(bread @ s @ bread) * n / (n - big_k))
    np.testing.assert_allclose(table["se"].to_numpy(), se, rtol=1e-8)
    np.testing.assert_allclose(table["p"], 2 * stats.t.sf(np.abs(table["t"]), n - big_k), rtol=1e-10)
    assert (info["K"], info["df_t"], table["n_clusters"].isna().all()) == (big_k, n - big_k, True)


def test_entity_only_cr1_counts_intercept_like_stata(synthetic):
    design, _ = synthetic
    table, info = fit_panel(design, parse_spec({**SPEC, "effects": ["entity"]}))
    w, y, groups = dummy_ols_matrices(design, time=False)
    n, k = len(design), design.shape[1] - 1
    sm_fit = sm.OLS(y, w).fit(cov_type="cluster", cov_kwds={"groups": pd.factorize(groups)[0]})
    np.testing.assert_allclose(table["coef"], sm_fit.params.to_numpy()[:k], rtol=1e-8)
    ratio = (n - w.shape[1]) / (n - (k + 1))          # ours: K = k + 1 (the _cons of xtreg, fe)
    np.testing.assert_allclose(table["se"] ** 2, sm_fit.bse.to_numpy()[:k] ** 2 * ratio, rtol=1e-8)
    assert info["K"] == k + 1


def test_clustered_k_cases():
    assert clustered_k(5, True, True, 20) == 25
    assert clustered_k(5, True, False, 20) == 6
    assert clustered_k(5, False, True, 20) == 25
    assert clustered_k(5, False, False, 20) == 5
