import numpy as np
import pandas as pd
import pytest

from resilience.errors import InputError
from resilience.robustness.adaptation import diversity_change, hysteresis, log_levels, share_change
from tests.robustness.dgp import GFC

# Sector values: pre-shock year 2008, end of recovery 2011 (long, as Panel.size_levels gives them).
SECTORS = pd.DataFrame(
    [("A", 2008, "manufacturing", 20), ("A", 2008, "agriculture", 30), ("A", 2008, "services", 50),
     ("A", 2011, "manufacturing", 30), ("A", 2011, "agriculture", 20), ("A", 2011, "services", 50),
     ("B", 2008, "manufacturing", 5), ("B", 2008, "agriculture", 5), ("B", 2008, "services", 0),
     ("B", 2011, "manufacturing", 25), ("B", 2011, "agriculture", 25), ("B", 2011, "services", 50),
     ("C", 2008, "manufacturing", 10), ("C", 2008, "agriculture", 10), ("C", 2008, "services", 80),
     ("C", 2011, "manufacturing", 10), ("C", 2011, "agriculture", 10)],      # C lacks services in 2011
    columns=["unit", "year", "series", "value"])
THREE = ["manufacturing", "agriculture", "services"]


def _with_total(sectors):
    totals = sectors.groupby(["unit", "year"], as_index=False)["value"].sum().assign(series="total")
    return pd.concat([sectors, totals], ignore_index=True)


def test_share_change_hand_computed():
    out = share_change(_with_total(SECTORS), [GFC], numerator="manufacturing", denominator="total").set_index("unit")
    assert out.loc["A", "pre"] == pytest.approx(20.0) and out.loc["A", "value"] == pytest.approx(10.0)
    assert out.loc["B", "value"] == pytest.approx(-25.0)               # 50% -> 25%
    # C's 2011 total covers two sectors only: 10 / 20 = 50%, a share of what the file has
    assert out.loc["C", "value"] == pytest.approx(40.0)
    assert list(out["year_pre"].unique()) == [2008] and list(out["year_post"].unique()) == [2011]


def test_share_change_of_a_percent_series_and_offsets():
    levels = pd.DataFrame({"unit": "P", "year": [2007, 2008, 2011, 2012], "series": "secondary_share",
                           "value": [40.0, 41.0, 38.5, 37.0]})
    plain = share_change(levels, [GFC], numerator="secondary_share").iloc[0]
    assert plain["value"] == pytest.approx(38.5 - 41.0)
    shifted = share_change(levels, [GFC], numerator="secondary_share", pre_offset=-1, post_offset=1).iloc[0]
    assert (shifted["year_pre"], shifted["year_post"]) == (2007, 2012)
    assert shifted["value"] == pytest.approx(37.0 - 40.0)


def test_share_change_names_a_missing_series():
    with pytest.raises(InputError, match="no series"):
        share_change(SECTORS, [GFC], numerator="manufacturing", denominator="total")


def test_diversity_change_hand_computed():
    out = diversity_change(SECTORS, [GFC], sectors=THREE).set_index("unit")
    # A: HHI .04+.09+.25 = .38 both years -> diversity .62, no change
    assert out.loc["A", "pre"] == pytest.approx(0.62) and out.loc["A", "value"] == pytest.approx(0.0)
    # B: HHI .5 -> .0625+.0625+.25 = .375
    assert out.loc["B", "value"] == pytest.approx(0.625 - 0.5)
    # C: a sector missing in 2011 -> no diversity that year -> NaN change, the pre value stays
    assert out.loc["C", "pre"] == pytest.approx(1 - (0.01 + 0.01 + 0.64))
    assert np.isnan(out.loc["C", "post"]) and np.isnan(out.loc["C", "value"])


def test_diversity_change_with_entropy():
    out = diversity_change(SECTORS, [GFC], sectors=THREE, diversity="entropy").set_index("unit")
    entropy = -(0.2 * np.log(0.2) + 0.3 * np.log(0.3) + 0.5 * np.log(0.5))
    assert out.loc["A", "pre"] == pytest.approx(entropy)
    assert out.loc["B", "pre"] == pytest.approx(np.log(2))   # 0 ln 0 = 0


def test_log_levels_chain_growth_and_stop_at_a_gap():
    growth = pd.DataFrame({"unit": ["A"] * 4 + ["B"] * 3, "year": [2005, 2006, 2007, 2008, 2005, 2007, 2008],
                           "g": [99.0, 10.0, -5.0, 20.0, 1.0, 2.0, 3.0]})
    out = log_levels(growth, "g", 2005).set_index(["unit", "year"])["value"]
    assert out[("A", 2005)] == pytest.approx(1.0)                       # the start year is the base
    assert out[("A", 2008)] == pytest.approx(np.exp(0.25))              # 10 - 5 + 20 percent log points
    assert np.isnan(out[("B", 2006)]) and np.isnan(out[("B", 2008)])    # 2006 missing: the chain breaks


def test_hysteresis_from_growth_recovers_a_planted_gap():
    # 2% a year, then a permanent 10% level loss in 2009: the gap stays at -10% of trend in 2011
    years = range(2003, 2012)
    g = [2.0 if t != 2009 else 2.0 + 100 * np.log(0.9) for t in years]
    levels = log_levels(pd.DataFrame({"unit": "A", "year": list(years), "g": g}), "g", 2004)
    out = hysteresis(levels, [GFC], trend_years=5).iloc[0]
    assert out["hysteresis"] == pytest.approx(-10.0) and out["trend_growth"] == pytest.approx(2.0)


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
