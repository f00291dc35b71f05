"""Measure tables -> model data: standardized exposures, episode outcomes, cross-section fits."""

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from resilience.model_runs import episode_outcomes, run_cross_section, standardize_exposures


def test_standardize_exposures_within_episode_and_variable():
    exposures = pd.DataFrame({
        "unit": ["A", "A", "B", "B", "C", "C", "A", "B", "D"],
        "episode": ["gfc", "gfc", "gfc", "gfc", "gfc", "gfc", "covid", "covid", "gfc"],
        "variable": ["x", "y", "x", "y", "x", "y", "x", "x", "x"],
        "value": [1.0, 4.0, 2.0, 12.0, 3.0, 8.0, 10.0, 30.0, np.nan],
    })
    out = standardize_exposures(exposures)
    # gfc/x: 1, 2, 3 (D NaN ignored) -> mean 2, sd 1 -> -1, 0, 1 ; D stays NaN
    # gfc/y: 4, 12, 8 -> mean 8, sd 4 -> -1, 1, 0
    # covid/x: 10, 30 -> mean 20, sd sqrt(200) = 14.142136 -> -1/sqrt(2), 1/sqrt(2)
    r = 1 / math.sqrt(2)
    np.testing.assert_allclose(out["value"].to_numpy(), [-1, -1, 0, 1, 1, 0, -r, r, np.nan])
    assert out[["unit", "episode", "variable"]].equals(exposures[["unit", "episode", "variable"]])
    groups = out.groupby(["episode", "variable"])["value"]
    np.testing.assert_allclose(groups.mean().to_numpy(), 0.0, atol=1e-12)
    np.testing.assert_allclose(groups.std().to_numpy(), 1.0)
    assert exposures["value"].iloc[0] == 1.0  # input not modified


def test_episode_outcomes_pivots_martin_and_loss():
    martin = pd.DataFrame({
        "unit": ["AAA", "AAA", "BBB", "BBB", "AAA"],
        "episode": ["gfc", "gfc", "gfc", "gfc", "covid"],
        "phase": ["resistance", "recovery", "resistance", "recovery", "resistance"],
        "g_unit": [0.0] * 5, "g_ref": [0.0] * 5,
        "index_ratio": [0.5, 1.5, -0.25, np.nan, 2.0],
        "index_pp": [1.0, 3.0, -0.5, 4.0, 6.0],
    })
    loss = pd.DataFrame({
        "episode": ["gfc", "gfc", "covid", "covid"], "unit": ["AAA", "BBB", "AAA", "CCC"],
        "trend_growth": [1.0] * 4, "cumulative_loss": [7.5, -2.0, 1.25, 9.0],
        "years_below_peak": pd.array([2, 0, pd.NA, 5], dtype="Int64"),
    })
    out = episode_outcomes(martin, loss)
    assert set(out.columns) == {"unit", "episode", "resistance_pp", "resistance_ratio", "recovery_pp",
                                "recovery_ratio", "cum_loss", "years_below_peak"}
    got = out.set_index(["unit", "episode"])
    assert sorted(got.index) == [("AAA", "covid"), ("AAA", "gfc"), ("BBB", "gfc"), ("CCC", "covid")]
    cols = ["resistance_pp", "resistance_ratio", "recovery_pp", "recovery_ratio", "cum_loss", "years_below_peak"]
    expected = {
        ("AAA", "gfc"): [1.0, 0.5, 3.0, 1.5, 7.5, 2.0],
        ("BBB", "gfc"): [-0.5, -0.25, 4.0, np.nan, -2.0, 0.0],
        ("AAA", "covid"): [6.0, 2.0, np.nan, np.nan, 1.25, np.nan],
        ("CCC", "covid"): [np.nan, np.nan, np.nan, np.nan, 9.0, 5.0],  # in loss only
    }
    for key, values in expected.items():
        np.testing.assert_array_equal(got.loc[key, cols].to_numpy(dtype=float), values, err_msg=str(key))
    assert got["cum_loss"].dtype == "float64" and got["years_below_peak"].dtype == "float64"


# Six economies in gfc (GGG has exposures only: it enters the standardization, not the sample)
ECONOMIES = ["AAA", "BBB", "CCC", "DDD", "EEE", "FFF"]
DIGITAL = {"AAA": 0.1, "BBB": 0.9, "CCC": 0.4, "DDD": 1.6, "EEE": 0.3, "FFF": 1.2, "GGG": 2.0}
LQ = {"AAA": 1.5, "BBB": 0.7, "CCC": 1.1, "DDD": 0.4, "EEE": 2.2, "FFF": 0.9, "GGG": 1.0}
RES_PP = {"AAA": -3.0, "BBB": 2.5, "CCC": 0.4, "DDD": 5.1, "EEE": -4.2, "FFF": 1.0}
REC_PP = {"AAA": 1.0, "BBB": -0.5, "CCC": 2.0, "DDD": 0.2, "EEE": 3.5, "FFF": -1.1}
LOSS = {"AAA": 8.0, "BBB": 1.0, "CCC": 4.5, "DDD": -2.0, "EEE": 11.0, "FFF": 3.0}
EPISODES = [{"name": "gfc", "label": "GFC", "contraction": [2008, 2009], "recovery": [2009, 2011],
             "exposure_year": 2007}]
ENTRY = {"name": "cs", "kind": "cross_section", "label": "test", "cov": "HC1",
         "dependents": ["resistance_pp", "cum_loss"], "regressors": ["digital_z", "lq_manuf"]}


@pytest.fixture
def inputs():
    martin = pd.DataFrame(
        [(iso, "gfc", "resistance", np.nan, -6.0, RES_PP[iso] / 6, RES_PP[iso]) for iso in ECONOMIES]
        + [(iso, "gfc", "recovery", np.nan, 10.0, REC_PP[iso] / 10, REC_PP[iso]) for iso in ECONOMIES],
        columns=["unit", "episode", "phase", "g_unit", "g_ref", "index_ratio", "index_pp"])
    loss = pd.DataFrame({"episode": "gfc", "unit": ECONOMIES, "trend_growth": 2.0,
                         "cumulative_loss": [LOSS[i] for i in ECONOMIES],
                         "years_below_peak": [1, 0, 2, 0, 3, 1]})
    exposures = pd.DataFrame(
        [(iso, "gfc", "digital_z", v, np.nan) for iso, v in DIGITAL.items()]
        + [(iso, "gfc", "lq_manuf", v, 2007.0) for iso, v in LQ.items()],
        columns=["unit", "episode", "variable", "value", "year_used"])
    return martin, loss, exposures


def zscores(values: dict) -> pd.Series:
    s = pd.Series(values)
    return (s - s.mean()) / s.std(ddof=1)


def test_run_cross_section_equals_statsmodels_on_standardized_exposures(inputs):
    coefs, notes = run_cross_section(*inputs, EPISODES, ENTRY)
    assert notes == {"nobs_gfc": {"resistance_pp": 6, "cum_loss": 6}}
    # standardized over all 7 economies with the exposure (incl. GGG), then the 6 in the sample
    x = pd.DataFrame({"digital_z": zscores(DIGITAL), "lq_manuf": zscores(LQ)}).loc[ECONOMIES]
    for dependent, values in (("resistance_pp", RES_PP), ("cum_loss", LOSS)):
        y = pd.Series(values).loc[ECONOMIES]
        ref = sm.OLS(y, sm.add_constant(x)).fit(cov_type="HC1", use_t=True)
        block = coefs[coefs["model"] == f"cs:{dependent}"].set_index("term")
        assert list(block.index) == ["const", "digital_z", "lq_manuf"]
        np.testing.assert_allclose(block["coef"], ref.params.loc[block.index], rtol=1e-10)
        np.testing.assert_allclose(block["se"], ref.bse.loc[block.index], rtol=1e-10)
        np.testing.assert_allclose(block["p"], ref.pvalues.loc[block.index], rtol=1e-8)
        assert (block["nobs"] == 6).all() and (block["episode"] == "gfc").all()
        assert (block["cov_type"] == "HC1").all()
        assert block["r2"].iloc[0] == pytest.approx(ref.rsquared)


def test_run_cross_section_uses_complete_cases_per_dependent(inputs):
    martin, loss, exposures = inputs
    martin.loc[(martin["unit"] == "AAA") & (martin["phase"] == "resistance"), "index_pp"] = np.nan
    coefs, _ = run_cross_section(martin, loss, exposures, EPISODES, ENTRY)
    assert coefs.loc[coefs["model"] == "cs:resistance_pp", "nobs"].unique().tolist() == [5]
    assert coefs.loc[coefs["model"] == "cs:cum_loss", "nobs"].unique().tolist() == [6]
    x = pd.DataFrame({"digital_z": zscores(DIGITAL), "lq_manuf": zscores(LQ)}).loc[ECONOMIES[1:]]
    y = pd.Series(RES_PP).loc[ECONOMIES[1:]]
    ref = sm.OLS(y, sm.add_constant(x)).fit(cov_type="HC1", use_t=True)
    got = coefs[coefs["model"] == "cs:resistance_pp"].set_index("term")["coef"]
    np.testing.assert_allclose(got, ref.params.loc[got.index], rtol=1e-10)


def test_standardize_against_a_reference_sample():
    """Mean and sd from the reference rows (A, B: mean 2, sd sqrt(2)), applied to every row (incl. C)."""
    exposures = pd.DataFrame({"unit": ["A", "B", "C"], "episode": "gfc", "variable": "x", "value": [1.0, 3.0, 7.0]})
    z = standardize_exposures(exposures, exposures.iloc[:2])
    assert z["value"].tolist() == pytest.approx([-1 / math.sqrt(2), 1 / math.sqrt(2), 5 / math.sqrt(2)])
