"""The two panel backends (``backend: linearmodels | pyfixest``) give the same fit.

Synthetic panel (seeded): 60 units x 15 years, ~10% of unit-years missing, one singleton unit (kept
by both: PanelOLS keeps singletons, pyfixest is told ``fixef_rm="none"``),

    y_it = a_i + d_t + 0.5 x1_it - 0.2 x2_it + 0.3 s_t x3_i + e_it,   e_it ~ N(0, 1),

where s_t is a shock-year dummy and x3_i a unit-level exposure (the interaction form of the main
model). Coefficients and CR1 standard errors must agree to 1e-8 relative; the CR1 is also
computed by hand (sandwich on dummy-variable OLS) so that agreement cannot come from both
backends being wrong the same way.
"""

import copy
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from resilience.config import check_config, load_yaml, validate_schema
from resilience.errors import ConfigError, InputError
from resilience.models.panel import clustered_k, fit_panel
from resilience.models.spec import parse_spec

pytest.importorskip("pyfixest")

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = load_yaml(ROOT / "config" / "config.yaml")
SCHEMA = load_yaml(ROOT / "config" / "schema.yaml")
EFFECTS = [["entity", "time"], ["entity"], ["time"], []]
TRUE = {"x1": 0.5, "x2": -0.2, "shock_x_x3": 0.3}


@pytest.fixture(scope="module")
def design():
    rng = np.random.default_rng(7)
    units, years = [f"U{i:02d}" for i in range(60)], range(2000, 2015)
    rows = pd.DataFrame([(u, t) for u in units for t in years], columns=["unit", "year"])
    rows = rows[rng.random(len(rows)) > 0.1]
    rows = pd.concat([rows, pd.DataFrame({"unit": ["ZZZ"], "year": [2005]})], ignore_index=True)  # a singleton
    alpha = dict(zip(units + ["ZZZ"], rng.normal(0, 2, 61)))
    delta = dict(zip(years, rng.normal(0, 1, 15)))
    x3 = dict(zip(units + ["ZZZ"], rng.normal(size=61)))
    n = len(rows)
    frame = rows.assign(x1=rng.normal(size=n), x2=rng.normal(size=n),
                        shock_x_x3=rows["year"].isin([2008, 2009]) * rows["unit"].map(x3))
    frame["y"] = (rows["unit"].map(alpha) + rows["year"].map(delta) + sum(b * frame[v] for v, b in TRUE.items())
                  + rng.normal(size=n))
    return frame.set_index(["unit", "year"])[["y", "x1", "x2", "shock_x_x3"]]


def spec(effects, backend, cov="clustered", **extra):
    entry = {"name": "m", "kind": "panel_plain", "label": "", "dependent": "y", "regressors": list(TRUE),
             "effects": effects, "cov": cov, "backend": backend} | extra
    return parse_spec(entry)


def hand_cr1(design, effects):
    """Dummy-variable OLS and the CR1 sandwich with K = slopes + non-nested effects (+1)."""
    idx = design.index.to_frame(index=False)
    parts = [design[list(TRUE)].reset_index(drop=True), pd.DataFrame({"const": np.ones(len(idx))})]
    if "entity" in effects:
        parts.append(pd.get_dummies(idx["unit"], drop_first=True, dtype=float))
    if "time" in effects:
        parts.append(pd.get_dummies(idx["year"], prefix="y", drop_first=True, dtype=float))
    x = pd.concat(parts, axis=1).to_numpy()
    y = design["y"].to_numpy()
    xtx_inv = np.linalg.inv(x.T @ x)
    beta = xtx_inv @ x.T @ y
    u = y - x @ beta
    meat = sum(np.outer(s, s) for s in (pd.DataFrame(x * u[:, None]).groupby(idx["unit"].to_numpy()).sum().to_numpy()))
    g, n, k = idx["unit"].nunique(), len(y), len(TRUE) + (0 if effects else 1)
    big_k = clustered_k(k, "entity" in effects, "time" in effects, idx["year"].nunique())
    cov = g / (g - 1) * (n - 1) / (n - big_k) * xtx_inv @ meat @ xtx_inv
    keep = slice(0, len(TRUE) + 1) if not effects else slice(0, len(TRUE))
    names = list(TRUE) + ["const"]
    return (pd.Series(beta[keep], index=names[keep]), pd.Series(np.sqrt(np.diag(cov))[keep], index=names[keep]))


@pytest.mark.parametrize("effects", EFFECTS, ids=["two-way", "entity", "time", "none"])
def test_backends_agree_on_coefficients_se_and_fit(design, effects):
    lm, lm_info = fit_panel(design, spec(effects, "linearmodels"))
    pf, pf_info = fit_panel(design, spec(effects, "pyfixest"))
    assert list(pf["term"]) == list(lm["term"])
    np.testing.assert_allclose(pf["coef"], lm["coef"], rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(pf["se"], lm["se"], rtol=1e-8)
    for column in ("t", "p", "ci_low", "ci_high", "r2", "r2_within"):
        np.testing.assert_allclose(pf[column], lm[column], rtol=1e-7, atol=1e-12, err_msg=column)
    for column in ("nobs", "n_clusters", "cov_type", "small_sample", "entity_effects", "time_effects"):
        assert pf[column].tolist() == lm[column].tolist(), column
    assert (pf_info["K"], pf_info["df_t"], pf_info["nobs"]) == (lm_info["K"], lm_info["df_t"], lm_info["nobs"])
    assert pf_info["estimator"] == "pyfixest.feols" and lm_info["estimator"] == "linearmodels.PanelOLS"


@pytest.mark.parametrize("effects", EFFECTS, ids=["two-way", "entity", "time", "none"])
def test_pyfixest_equals_the_hand_computed_cr1(design, effects):
    table, _ = fit_panel(design, spec(effects, "pyfixest"))
    beta, se = hand_cr1(design, effects)
    got = table.set_index("term")
    np.testing.assert_allclose(got.loc[beta.index, "coef"], beta, rtol=1e-8)
    np.testing.assert_allclose(got.loc[se.index, "se"], se, rtol=1e-8)
    assert got.at["x1", "nobs"] == len(design)  # the singleton stays in the sample
    assert got.at["x1", "coef"] == pytest.approx(TRUE["x1"], abs=0.1)  # and the DGP is recovered


def test_pyfixest_names_the_collinear_regressor(design):
    collinear = design.assign(shock_x_x3=design.index.get_level_values("year").isin([2008, 2009]).astype(float))
    # a pure year dummy is absorbed by the year effects: pyfixest would drop it silently
    with pytest.raises(InputError) as info:
        fit_panel(collinear, spec(["entity", "time"], "pyfixest"))
    assert "shock_x_x3" in str(info.value)


def test_default_backend_is_linearmodels_and_cross_sections_take_none():
    entry = {"name": "m", "kind": "panel_plain", "label": "", "dependent": "y", "regressors": ["x1"],
             "effects": ["entity"], "cov": "clustered"}
    assert parse_spec(entry).backend == "linearmodels"
    with pytest.raises(ConfigError, match=r"model 'c': keys \['backend'\] are not used by kind 'cross_section'"):
        parse_spec({"name": "c", "kind": "cross_section", "label": "", "dependents": ["y"], "regressors": ["x"],
                    "cov": "HC1", "backend": "pyfixest"})


def test_pyfixest_with_driscoll_kraay_is_a_config_error():
    with pytest.raises(ConfigError, match="model 'm': backend 'pyfixest' is used with cov 'clustered' only"):
        spec(["entity", "time"], "pyfixest", cov="driscoll-kraay", bandwidth=2)


def shipped_with(change):
    config = copy.deepcopy(SHIPPED)
    change(next(m for m in config["models"] if m["name"] == "main_twfe"))
    return config


def test_shipped_config_accepts_pyfixest_for_the_main_model():
    config = shipped_with(lambda m: m.update(backend="pyfixest"))
    validate_schema(config, SCHEMA)
    check_config(config, root=ROOT)


def test_schema_rejects_an_unknown_backend_naming_the_key():
    config = shipped_with(lambda m: m.update(backend="statsmodels"))
    with pytest.raises(ConfigError) as info:
        validate_schema(config, SCHEMA)
    assert "models.0.backend: 'statsmodels' is not one of ['linearmodels', 'pyfixest']" in str(info.value)


def test_check_config_rejects_an_unknown_backend_naming_model_and_key():
    # check_config alone (e.g. a config that skipped the schema) must catch it too
    config = shipped_with(lambda m: m.update(backend="fixest"))
    with pytest.raises(ConfigError, match=r"model 'main_twfe': 'backend' is 'fixest'; allowed here: "
                                          r"\['linearmodels', 'pyfixest'\]"):
        check_config(config, root=ROOT)


def test_check_config_rejects_pyfixest_on_the_driscoll_kraay_model():
    config = copy.deepcopy(SHIPPED)
    next(m for m in config["models"] if m["name"] == "main_twfe_dk")["backend"] = "pyfixest"
    validate_schema(config, SCHEMA)  # a valid value on its own
    with pytest.raises(ConfigError, match="model 'main_twfe_dk': backend 'pyfixest' is used with cov 'clustered'"):
        check_config(config, root=ROOT)
