import numpy as np
import pandas as pd
import pytest

from resilience.robustness.adaptation import hysteresis, structural_change
from tests.robustness.dgp import GFC

# Sector values: pre-shock year 2008, end of recovery 2011.
SECTORS = pd.DataFrame(
    [("A", 2008, "manufacturing", 20), ("A", 2008, "agriculture", 30), ("A", 2008, "services", 50),
     ("A", 2011, "manufacturing", 30), ("A", 2011, "agriculture", 20), ("A", 2011, "services", 50),
     ("B", 2008, "manufacturing", 5), ("B", 2008, "agriculture", 5), ("B", 2008, "services", 0),
     ("B", 2011, "manufacturing", 25), ("B", 2011, "agriculture", 25), ("B", 2011, "services", 50),
     ("C", 2008, "manufacturing", 10), ("C", 2008, "agriculture", 10), ("C", 2008, "services", 80),
     ("C", 2011, "manufacturing", 10), ("C", 2011, "agriculture", 10)],      # C lacks services in 2011
    columns=["unit", "year", "sector", "value"])


def test_structural_change_hand_computed():
    out = structural_change(SECTORS, [GFC]).set_index("unit")
    # A: share 20% -> 30%; HHI .04+.09+.25 = .38 both years
    assert out.loc["A", "d_manuf_share"] == pytest.approx(10.0)
    assert out.loc["A", "diversity_pre"] == pytest.approx(0.62)
    assert out.loc["A", "d_diversity"] == pytest.approx(0.0)
    # B: 50% -> 25%; HHI .5 -> .0625+.0625+.25 = .375
    assert out.loc["B", "d_manuf_share"] == pytest.approx(-25.0)
    assert out.loc["B", "d_diversity"] == pytest.approx(0.625 - 0.5)
    # C: a sector missing in 2011 -> no shares that year -> the changes are NaN, the pre values stay.
    assert out.loc["C", "manuf_share_pre"] == pytest.approx(10.0)
    assert np.isnan(out.loc["C", "manuf_share_post"]) and np.isnan(out.loc["C", "d_diversity"])
    assert list(out["year_pre"].unique()) == [2008] and list(out["year_post"].unique()) == [2011]


def test_structural_change_with_entropy():
    out = structural_change(SECTORS, [GFC], diversity="entropy").set_index("unit")
    entropy = -(0.2 * np.log(0.2) + 0.3 * np.log(0.3) + 0.5 * np.log(0.5))
    assert out.loc["A", "diversity_pre"] == pytest.approx(entropy)
    assert out.loc["B", "diversity_pre"] == pytest.approx(np.log(2))   # 0 ln 0 = 0


def _levels(unit, values: dict):
    return pd.DataFrame({"unit": unit, "year": list(values), "value": list(values.values())})


def test_hysteresis_against_an_exact_trend():
    trend = {t: 100 * np.exp(0.02 * (t - 2004)) for t in range(2004, 2014)}
    actual = dict(trend) | {2011: 0.9 * trend[2011], 2013: 1.05 * trend[2013]}
    out = hysteresis(_levels("A", actual), [GFC], trend_years=5, years_after=[0, 2]).set_index("years_after")
    assert out.loc[0, "year"] == 2011 and out.loc[0, "hysteresis"] == pytest.approx(-10.0)
    assert out.loc[2, "year"] == 2013 and out.loc[2, "hysteresis"] == pytest.approx(5.0)
    assert out.loc[0, "trend_growth"] == pytest.approx(2.0) and out.loc[0, "n_trend_years"] == 5


def test_hysteresis_hand_computed_ols_trend():
    # ln y = 0, 0.1, 0.3 in 2006-2008: slope 0.15, fitted ln y at 2011 = mean 0.1333 + 0.15 * 4 = 0.7333
    levels = _levels("A", {2006: 1.0, 2007: np.exp(0.1), 2008: np.exp(0.3), 2011: np.exp(0.7)})
    out = hysteresis(levels, [GFC], trend_years=3).iloc[0]
    assert out["trend_growth"] == pytest.approx(15.0)
    assert out["hysteresis"] == pytest.approx(100 * (np.exp(0.7 - (0.4 / 3 + 0.6)) - 1))


def test_hysteresis_missing_years():
    trend = {t: 100 * np.exp(0.02 * (t - 2004)) for t in range(2004, 2012)}
    gap = {t: v for t, v in trend.items() if t != 2006} | {2011: 0.9 * trend[2011]}
    strict = hysteresis(_levels("A", gap), [GFC]).iloc[0]
    assert np.isnan(strict["hysteresis"]) and strict["n_trend_years"] == 4   # a complete window by default
    lenient = hysteresis(_levels("A", gap), [GFC], min_trend_years=4).iloc[0]
    assert lenient["hysteresis"] == pytest.approx(-10.0)                       # 4 points on the same line
    later = hysteresis(_levels("A", gap), [GFC], years_after=[0, 1]).set_index("years_after")
    assert np.isnan(later.loc[1, "actual"]) and np.isnan(later.loc[1, "hysteresis"])   # 2012 unobserved
