"""cumulative_loss and years_to_regain_peak against hand-computed values."""

import math

import pandas as pd
import pytest

from resilience.measures.loss import cumulative_loss, years_to_regain_peak


def levels(series_by_unit):
    rows = [(unit, year, value) for unit, values in series_by_unit.items() for year, value in values.items()]
    return pd.DataFrame(rows, columns=["unit", "year", "value"])


def test_cumulative_loss_hand_case():
    lv = levels({
        # exact 2 % log trend 2003-2008, then -5 % in 2009 and back to the 2008 level in 2010
        "EXP": {2003 + k: 100 * math.exp(0.02 * k) for k in range(6)}
               | {2009: 100 * math.exp(0.05), 2010: 100 * math.exp(0.10)},
        # 100, 110, 121, 121, 133.1, 133.1 | 121, 133.1
        "STP": {2003: 100, 2004: 110, 2005: 121, 2006: 121, 2007: 133.1, 2008: 133.1,
                2009: 121, 2010: 133.1},
        "GAP": {2003: 100, 2004: 110, 2006: 121, 2007: 133.1, 2008: 133.1, 2009: 121, 2010: 133.1},
    })
    out = cumulative_loss(lv, t0=2008, end=2010).set_index("unit")
    # EXP: trend = 2; 2009: 100*(0.02*1 - (-0.05)) = 7; 2010: 100*(0.02*2 - 0) = 4; loss = 11
    assert out.loc["EXP", "trend_growth"] == pytest.approx(2.0)
    assert out.loc["EXP", "cumulative_loss"] == pytest.approx(11.0)
    # STP: growth 2004..2008 = 9.531018, 9.531018, 0, 9.531018, 0 (100 * ln 1.1 = 9.531018)
    #   trend = 3 * 9.531018 / 5 = 5.718611
    #   2009: 5.718611 - 100 * ln(121/133.1) = 5.718611 + 9.531018 = 15.249629
    #   2010: 2 * 5.718611 - 100 * ln(133.1/133.1) = 11.437222
    #   loss = 26.686851
    assert out.loc["STP", "trend_growth"] == pytest.approx(5.718611, abs=1e-6)
    assert out.loc["STP", "cumulative_loss"] == pytest.approx(26.686851, abs=1e-6)
    # GAP lacks 2005, needed for the trend: NaN
    assert math.isnan(out.loc["GAP", "trend_growth"]) and math.isnan(out.loc["GAP", "cumulative_loss"])


def test_cumulative_loss_needs_the_base_year_before_the_trend_window():
    # trend_years=2 needs 2006 (for g_2007) .. 2010; with trend = g_2007, g_2008 = (9.531018 + 0)/2
    lv = levels({"STP": {2006: 121, 2007: 133.1, 2008: 133.1, 2009: 121, 2010: 133.1}})
    out = cumulative_loss(lv, t0=2008, end=2010, trend_years=2).iloc[0]
    # 2009: 4.765509 + 9.531018 = 14.296527; 2010: 9.531018 - 0 = 9.531018; sum 23.827545
    assert out["cumulative_loss"] == pytest.approx(23.827545, abs=1e-6)
    assert math.isnan(cumulative_loss(lv, t0=2008, end=2010, trend_years=3).iloc[0]["cumulative_loss"])
    with pytest.raises(ValueError):
        cumulative_loss(lv, t0=2008, end=2008)


def test_years_to_regain_peak_conventions():
    lv = levels({
        # peak 105 in 2007; 2009: 95, 2010: 100 below; 2011: 106 >= 105 -> k* = 3, 2 years below
        "DIP": {2005: 90, 2006: 100, 2007: 105, 2008: 104, 2009: 95, 2010: 100, 2011: 106},
        # peak is t0 itself (50); 2009: 51 >= 50 -> k* = 1, 0 years below
        "UP": {2007: 40, 2008: 50, 2009: 51},
        # peak 80 (2006), never regained up to 2012 -> censored, 2012 - 2008 = 4 (lower bound)
        "LOW": {2006: 80, 2008: 70, 2009: 60, 2010: 65, 2012: 79},
        # regained in 2011 after unobserved 2010: calendar count, 2011 - 2008 - 1 = 2
        "HOLE": {2008: 10, 2009: 9, 2011: 10},
        # nothing after t0: undefined
        "STOP": {2007: 5, 2008: 6},
    })
    out = years_to_regain_peak(lv, t0=2008).set_index("unit")
    assert out.loc["DIP", ["peak_year", "peak", "regain_year", "years_below_peak"]].tolist() == [2007, 105, 2011, 2]
    assert not out.loc["DIP", "censored"]
    assert out.loc["UP", ["regain_year", "years_below_peak"]].tolist() == [2009, 0]
    assert out.loc["LOW", "censored"] and out.loc["LOW", "years_below_peak"] == 4
    assert pd.isna(out.loc["LOW", "regain_year"])
    assert out.loc["HOLE", ["regain_year", "years_below_peak"]].tolist() == [2011, 2]
    assert out.loc["STOP", ["peak", "regain_year", "years_below_peak", "censored"]].isna().all()
    assert out.dtypes[["peak_year", "regain_year", "years_below_peak", "censored"]].astype(str).tolist() == [
        "Int64", "Int64", "Int64", "boolean"]


def test_years_to_regain_peak_last_year_and_peak_from():
    lv = levels({"DIP": {2005: 110, 2006: 100, 2007: 105, 2008: 104, 2009: 95, 2010: 100, 2011: 106}})
    # last_year 2010: not regained by then -> censored, 2010 - 2008 = 2
    cut = years_to_regain_peak(lv, t0=2008, last_year=2010).iloc[0]
    assert bool(cut["censored"]) and cut["years_below_peak"] == 2
    # the 2005 peak (110) is never regained; from 2006 on, the peak is 105 (2007), regained 2011
    assert bool(years_to_regain_peak(lv, t0=2008).iloc[0]["censored"])
    recent = years_to_regain_peak(lv, t0=2008, peak_from=2006).iloc[0]
    assert (recent["peak_year"], recent["regain_year"], recent["years_below_peak"]) == (2007, 2011, 2)
