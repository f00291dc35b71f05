"""Panel -> measure tables: series breaks, growth, Martin, loss, structure, exposures."""

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from resilience.config import load_yaml
from resilience.panels.countries.measures import (break_years, exposure_terciles, exposures_table, growth_table,
                                         levels, loss_table, martin_table, resistance_vs_exposure,
                                         structure_by_year)
from resilience.measures.growth import log_growth
from resilience.measures.martin import martin_indices
from resilience.panels.countries.units import from_core, to_core

CONFIG = load_yaml(Path(__file__).resolve().parents[1] / "config" / "config.yaml")
NAN = np.nan


def wide_panel(series: dict, years) -> pd.DataFrame:
    """{column: {iso3: [value per year]}} -> wide panel iso3, year, columns (balanced grid)."""
    units = sorted({iso3 for by_unit in series.values() for iso3 in by_unit})
    index = pd.MultiIndex.from_product([units, list(years)], names=["iso3", "year"])
    frame = pd.DataFrame(index=index)
    for name, by_unit in series.items():
        blank = "" if name.endswith("__flags") else NAN
        frame[name] = [by_unit.get(iso3, [blank] * len(years))[i] for iso3 in units for i in range(len(years))]
    return frame.reset_index()


# --- series breaks --------------------------------------------------------------------------------
# 2000..2006
#   AAA out 100 110 121 NaN 130 140 150   flags a a b '' c c c   -> break 2002 (a -> b);
#       2004 'c' follows a missing year -> not a break
#   BBB out 200 190 180 190 200 210 220   flags all ''           -> no break
#   CCC out  50  55  50  55  60  66  70   flags '' n n n n n n   -> break 2001
BREAK_YEARS = range(2000, 2007)


@pytest.fixture
def break_panel():
    return wide_panel({
        "out": {"AAA": [100, 110, 121, NAN, 130, 140, 150], "BBB": [200, 190, 180, 190, 200, 210, 220],
                "CCC": [50, 55, 50, 55, 60, 66, 70]},
        "out__flags": {"AAA": ["a", "a", "b", "", "c", "c", "c"], "BBB": [""] * 7,
                       "CCC": ["", "n", "n", "n", "n", "n", "n"]},
    }, BREAK_YEARS)


def test_break_years_between_consecutive_observed_years(break_panel):
    breaks = break_years(break_panel, "out")
    assert list(breaks.columns) == ["iso3", "year", "changed"]
    assert list(breaks[["iso3", "year"]].itertuples(index=False, name=None)) == [("AAA", 2002), ("CCC", 2001)]


def test_break_years_without_flags_column(break_panel):
    assert break_years(break_panel.drop(columns="out__flags"), "out").empty


def test_growth_is_nan_exactly_at_the_break_years(break_panel):
    growth, notes = growth_table(break_panel, {"g_out": "out"})
    assert list(growth.columns) == ["iso3", "year", "g_out"]
    plain = from_core(log_growth(to_core(levels(break_panel, "out")))).set_index(["iso3", "year"])["growth"]
    got = growth.set_index(["iso3", "year"])["g_out"]
    for key in got.index:
        if key in {("AAA", 2002), ("CCC", 2001)}:
            assert math.isnan(got[key]), key
            assert not math.isnan(plain[key])  # would have been computed without the break
        elif key in plain.index:
            assert got[key] == plain[key] or (math.isnan(got[key]) and math.isnan(plain[key])), key
        else:
            assert math.isnan(got[key])  # AAA 2003 has no level
    # hand values: AAA 2001 = 100 ln(110/100) = 9.531018; BBB 2002 = 100 ln(180/190) = -5.406722
    assert got[("AAA", 2001)] == pytest.approx(100 * math.log(1.1))
    assert got[("BBB", 2002)] == pytest.approx(100 * math.log(180 / 190))
    # AAA 2004 follows the missing 2003: NaN by the gap, not by a break; AAA 2005 = 100 ln(140/130)
    assert math.isnan(got[("AAA", 2004)])
    assert got[("AAA", 2005)] == pytest.approx(100 * math.log(140 / 130))
    assert list(notes[["iso3", "year", "series", "measure"]].itertuples(index=False, name=None)) == [
        ("AAA", 2002, "out", "g_out"), ("CCC", 2001, "out", "g_out")]


def test_growth_table_without_breaks_equals_log_growth(break_panel):
    panel = break_panel.assign(out__flags="")
    growth, notes = growth_table(panel, {"g_out": "out"})
    plain = from_core(log_growth(to_core(levels(panel, "out"))))
    merged = growth.merge(plain, on=["iso3", "year"], how="left")
    np.testing.assert_array_equal(merged["g_out"].to_numpy(), merged["growth"].to_numpy())
    assert notes.empty


EPISODE = {"name": "e1", "contraction": [2001, 2002], "recovery": [2004, 2006]}


def test_martin_table_nans_a_unit_with_a_break_inside_a_phase(break_panel):
    table = martin_table(break_panel, "out", [EPISODE], "world_sum")
    plain = from_core(martin_indices(to_core(levels(break_panel, "out")), [EPISODE], "world_sum"))
    merged = table.merge(plain, on=["iso3", "episode", "phase"], suffixes=("", "_plain"))
    assert len(merged) == len(table) == len(plain) == 6  # 3 units x 2 phases
    hit = (merged["iso3"] == "AAA") & (merged["phase"] == "resistance")
    # AAA: break 2002 lies in (2001, 2002] -> resistance NaN with a note
    row = merged[hit].iloc[0]
    assert math.isnan(row["g_unit"]) and math.isnan(row["index_pp"]) and math.isnan(row["index_ratio"])
    assert row["note"] == "series break inside the period (publisher footnote)"
    assert not math.isnan(row["g_unit_plain"])
    # every other row (incl. CCC, whose break 2001 is the contraction's start year) is unchanged
    rest = merged[~hit]
    assert (rest["note"] == "").all()
    for col in ("g_unit", "g_ref", "index_ratio", "index_pp"):
        np.testing.assert_allclose(rest[col], rest[col + "_plain"])
    # g_ref is not touched: contraction 2001->2002 over AAA, BBB, CCC:
    # (121 + 180 + 50) / (110 + 190 + 55) = 351/355 -> 100 * (351/355 - 1) = -1.126761
    assert merged.loc[hit, "g_ref"].iloc[0] == pytest.approx(100 * (351 / 355 - 1))
    assert list(zip(table["phase"], table["iso3"])) == [
        ("recovery", "AAA"), ("recovery", "BBB"), ("recovery", "CCC"),
        ("resistance", "AAA"), ("resistance", "BBB"), ("resistance", "CCC")]


# --- output loss ------------------------------------------------------------------------------------
# 2000..2008, every unit the same levels 100 105 110 115 100 105 110 120 125; t0 = 2003, K = 2,
# end = 2006: the loss uses levels 2001..2006, so breaks (year-on-year changes of flags) in
# 2002..2006 matter; a break in 2001 (2000 -> 2001) or 2007 does not.
LOSS_YEARS = range(2000, 2009)
LOSS_LEVELS = [100, 105, 110, 115, 100, 105, 110, 120, 125]
LOSS_EPISODE = {"name": "e2", "contraction": [2003, 2004], "recovery": [2004, 2006]}


def flags_from(year):
    return ["" if y < year else "x" for y in LOSS_YEARS]


@pytest.fixture
def loss_panel():
    units = ["P1", "P2", "P3", "P4", "P5"]
    return wide_panel({
        "out": {u: LOSS_LEVELS for u in units},
        "out__flags": {"P1": [""] * 9, "P2": flags_from(2002), "P3": flags_from(2001),
                       "P4": flags_from(2006), "P5": flags_from(2007)},
    }, LOSS_YEARS)


def test_loss_table_nans_loss_when_a_break_falls_in_the_window(loss_panel):
    table = loss_table(loss_panel, "out", [LOSS_EPISODE], trend_years=2, last_year=2008,
                       peak_window=2).set_index("iso3")
    # trend = 50 * (ln(110/105) + ln(115/110)) = 50 ln(115/105) = 4.548725 % per year
    trend = 50 * math.log(115 / 105)
    # loss = sum_{h=1..3} (trend * h - 100 ln(y_{2003+h} / 115)) with y = 100, 105, 110
    loss = 6 * trend - 100 * (math.log(100 / 115) + math.log(105 / 115) + math.log(110 / 115))
    for unit in ("P1", "P3", "P5"):
        assert table.loc[unit, "trend_growth"] == pytest.approx(trend)
        assert table.loc[unit, "cumulative_loss"] == pytest.approx(loss)
    for unit in ("P2", "P4"):
        assert math.isnan(table.loc[unit, "trend_growth"]) and math.isnan(table.loc[unit, "cumulative_loss"])
        assert "series break inside the trend or loss window" in table.loc[unit, "note"]
    # peak window 2001-2003: peak 115 (2003), regained in 2007 (120): 3 years below. The peak
    # measures compare levels from 2001 to 2008, so a break in 2002..2008 (P2, P4, P5) removes them;
    # P3's break (2000 -> 2001) lies before the window.
    clean = table.loc[["P1", "P3"]]
    assert clean["peak_year"].tolist() == [2003] * 2
    assert clean["regain_year"].tolist() == [2007] * 2
    assert clean["years_below_peak"].tolist() == [3] * 2
    assert (clean["note"] == "").all()
    assert table.loc[["P2", "P4", "P5"], ["peak_year", "regain_year", "years_below_peak", "censored"]].isna().all().all()
    assert table.loc["P5", "note"] == "series break between the peak window and the last year"
    assert (table["episode"] == "e2").all()


def test_loss_table_without_breaks_against_hand_computed_values():
    """Three shapes, t0 = 2003, loss over 2004-2006, trend over 2002-2003, peak over all years <= 2003."""
    panel = wide_panel({"out": {
        "P1": LOSS_LEVELS,                                   # peak at t0, regained in 2007
        "Q1": [100, 110, 120, 130, 100, 100, 105, 110, 115],  # peak at t0, never regained by 2008
        "Q2": [100, 120, 110, 115, 100, 118, 121, 125, 130],  # peak two years before t0, regained 2006
    }, "out__flags": {u: [""] * 9 for u in ("P1", "Q1", "Q2")}}, LOSS_YEARS)
    raw = loss_table(panel, "out", [LOSS_EPISODE], trend_years=2, last_year=2008)
    assert list(raw.columns[:2]) == ["episode", "iso3"]
    table = raw.set_index("iso3")
    # trend = 100 * (ln y_2003 - ln y_2001) / 2; loss = sum_{h=1..3} (trend * h - 100 ln(y_{2003+h} / y_2003))
    expected = {
        "P1": (50 * math.log(115 / 105), [100, 105, 110], 115),
        "Q1": (50 * math.log(130 / 110), [100, 100, 105], 130),
        "Q2": (50 * math.log(115 / 120), [100, 118, 121], 115),
    }
    for unit, (trend, after, base) in expected.items():
        loss = 6 * trend - 100 * sum(math.log(y / base) for y in after)
        assert table.loc[unit, "trend_growth"] == pytest.approx(trend), unit
        assert table.loc[unit, "cumulative_loss"] == pytest.approx(loss), unit
    # the same numbers written out (trend, loss): P1 4.5486, 54.8101; Q1 8.3527, 123.9465; Q2 -2.1280, -6.4528 (above trend)
    assert table[["trend_growth", "cumulative_loss"]].loc[["P1", "Q1", "Q2"]].to_numpy() == pytest.approx(
        np.array([[4.5486, 54.8101], [8.3527, 123.9465], [-2.1280, -6.4528]]), abs=1e-4)
    # peak: the highest level up to 2003; regained in the first later year at or above it; years below =
    # regain year - 2004; never regained: censored, regain year NA, years below = 2008 - 2003 (a lower bound)
    peaks = table[["peak_year", "peak", "regain_year", "years_below_peak", "censored"]]
    assert peaks.loc["P1"].tolist() == [2003, 115.0, 2007, 3, False]
    assert peaks.loc["Q2"].tolist() == [2001, 120.0, 2006, 2, False]
    assert peaks.loc["Q1", ["peak_year", "peak", "years_below_peak"]].tolist() == [2003, 130.0, 5]
    assert bool(peaks.loc["Q1", "censored"]) is True and pd.isna(peaks.loc["Q1", "regain_year"])
    assert (table["note"] == "").all()


# --- structure --------------------------------------------------------------------------------------
# AMA current US$, 2007:        ab  ce   d   f  gh   i  jp  total
#   AAA                         10  40  30  10  20  10  10  100
#   BBB                         20  30  10  20  40  20  70  200
VA = {"va_ab_cur": (10, 20), "va_ce_cur": (40, 30), "va_d_cur": (30, 10), "va_f_cur": (10, 20),
      "va_gh_cur": (20, 40), "va_i_cur": (10, 20), "va_jp_cur": (10, 70), "va_total_cur": (100, 200)}


def test_structure_by_year_two_economies_one_year():
    panel = pd.DataFrame({"iso3": ["AAA", "BBB"], "year": [2007, 2007],
                          **{k: [float(a), float(b)] for k, (a, b) in VA.items()}})
    out = structure_by_year(panel).set_index("iso3")
    # LQ_A = (D_A/T_A) / ((D_A+D_B)/(T_A+T_B)) = (30/100) / (40/300) = 2.25
    # LQ_B = (10/200) / (40/300) = 0.375
    assert out.loc["AAA", "lq_manuf"] == pytest.approx(2.25)
    assert out.loc["BBB", "lq_manuf"] == pytest.approx(0.375)
    # manuf_share = 100 D / T: 30 and 5
    assert out.loc["AAA", "manuf_share"] == pytest.approx(30.0)
    assert out.loc["BBB", "manuf_share"] == pytest.approx(5.0)
    # AAA sector shares (sum of 7 = 10+10+30+10+20+10+10 = 100): .1 .1 .3 .1 .2 .1 .1
    # HHI = 5 * .01 + .09 + .04 = 0.18 ; entropy = -(5 * .1 ln .1 + .3 ln .3 + .2 ln .2) = 1.834372
    assert out.loc["AAA", "sector_hhi"] == pytest.approx(0.18)
    assert out.loc["AAA", "sector_entropy"] == pytest.approx(
        -(5 * 0.1 * math.log(0.1) + 0.3 * math.log(0.3) + 0.2 * math.log(0.2)))
    # BBB (sum of 7 = 20+20+10+20+40+20+70 = 200): .1 .1 .05 .1 .2 .1 .35
    # HHI = 4 * .01 + .0025 + .04 + .1225 = 0.205
    assert out.loc["BBB", "sector_hhi"] == pytest.approx(0.205)
    assert out.loc["AAA", "year"] == 2007


def test_structure_by_year_needs_every_ama_series():
    panel = pd.DataFrame({"iso3": ["AAA"], "year": [2007], **{k: [float(a)] for k, (a, _) in VA.items()}})
    out = structure_by_year(panel.drop(columns="va_jp_cur"))
    assert out.empty
    assert list(out.columns) == ["iso3", "year", "lq_manuf", "manuf_share", "sector_hhi", "sector_entropy"]


# --- terciles and scatter data ------------------------------------------------------------------------

def test_exposure_terciles_two_per_tercile():
    exposures = pd.DataFrame({
        "iso3": ["A", "B", "C", "D", "E", "F", "G", "A"],
        "episode": ["gfc"] * 7 + ["covid"],
        "variable": ["digital_z"] * 8,
        "value": [5.0, 1.0, 3.0, 6.0, 2.0, 4.0, NAN, -100.0],
    })
    out = exposure_terciles(exposures, "gfc", "digital_z")
    # sorted by value: B 1, E 2 | C 3, F 4 | A 5, D 6 ; G (NaN) and the covid row left out
    assert list(out.itertuples(index=False, name=None)) == [
        ("B", 1), ("E", 1), ("C", 2), ("F", 2), ("A", 3), ("D", 3)]


def test_resistance_vs_exposure_merges_one_episode_and_variable():
    martin = pd.DataFrame({
        "iso3": ["C", "A", "B", "A", "B"],
        "episode": ["gfc", "gfc", "gfc", "gfc", "covid"],
        "phase": ["resistance", "resistance", "resistance", "recovery", "resistance"],
        "index_pp": [3.0, 1.0, 2.0, 99.0, 98.0],
    })
    exposures = pd.DataFrame({
        "iso3": ["B", "C", "D", "B"], "episode": ["gfc", "gfc", "gfc", "gfc"],
        "variable": ["digital_z", "digital_z", "digital_z", "lq_manuf"], "value": [0.5, -0.5, 9.0, 7.0],
    })
    out = resistance_vs_exposure(martin, exposures, "gfc", "digital_z")
    assert list(out.columns) == ["iso3", "resistance_pp", "digital_z"]
    assert list(out.itertuples(index=False, name=None)) == [("B", 2.0, 0.5), ("C", 3.0, -0.5)]


# --- exposures_table on a tiny synthetic panel ------------------------------------------------------
# Years 2005..2009; episode gfc (exposure_year 2007, contraction starts 2008), max_back 2.
#   mva_kd (outcome): AAA, BBB, CCC (DDD has none: no exposures for DDD)
#   gdppc_kd: AAA 2007 = 1000; BBB 2006 = 2000, 2007 NaN, 2008 = 9999 (tie at distance 1 -> earlier
#             2006), 2009 = 5000; CCC only 2009 = 3000 (after the contraction start: never used)
#   internet: AAA 2006 = 10, 2007 NaN, 2008 = 999 (tie -> 2006); BBB 20; CCC 30; DDD 1000 (ignored)
#   mobile 2007: AAA 60, BBB 40, CCC 80 (DDD 5, ignored); broadband: no values (coverage 0)
#   va_* 2007: AAA and BBB as in VA above; CCC none
EXP_YEARS = range(2005, 2010)


def by_year(values: dict):
    return [values.get(y, NAN) for y in EXP_YEARS]


@pytest.fixture
def exposure_panel():
    series = {
        "mva_kd": {u: [100.0] * 5 for u in ("AAA", "BBB", "CCC")},
        "gdppc_kd": {"AAA": by_year({2007: 1000.0}), "BBB": by_year({2006: 2000.0, 2008: 9999.0, 2009: 5000.0}),
                     "CCC": by_year({2009: 3000.0})},
        "trade_open": {"AAA": by_year({2007: 50.0}), "BBB": by_year({2007: 60.0}), "CCC": by_year({2007: 70.0})},
        "internet": {"AAA": by_year({2006: 10.0, 2008: 999.0, 2009: 999.0}), "BBB": by_year({2007: 20.0}),
                     "CCC": by_year({2007: 30.0}), "DDD": by_year({2007: 1000.0})},
        "mobile": {"AAA": by_year({2007: 60.0}), "BBB": by_year({2007: 40.0}), "CCC": by_year({2007: 80.0}),
                   "DDD": by_year({2007: 5.0})},
        "broadband": {"AAA": by_year({})},
    }
    for name, (a, b) in VA.items():
        series[name] = {"AAA": by_year({2007: float(a)}), "BBB": by_year({2007: float(b)})}
    assert set(series) <= set(CONFIG["series"])  # the configured canonical names
    return wide_panel(series, EXP_YEARS)


GFC = next(ep for ep in CONFIG["episodes"] if ep["name"] == "gfc")


def test_exposures_table_values_and_nearest_year(exposure_panel):
    digital = CONFIG["measures"]["digital"]
    table, info = exposures_table(exposure_panel, [GFC], digital, CONFIG["measures"]["exposure_max_back"],
                                  CONFIG["measures"]["outcome"])
    assert list(table.columns) == ["iso3", "episode", "variable", "value", "year_used"]
    assert set(table["iso3"]) == {"AAA", "BBB", "CCC"} and (table["episode"] == "gfc").all()
    assert sorted(set(table["variable"])) == ["digital_entropy", "digital_pca", "digital_z", "log_gdppc",
                                              "lq_manuf", "sector_entropy", "sector_hhi", "trade_open"]
    get = table.set_index(["variable", "iso3"])

    # log_gdppc: AAA ln 1000 (2007); BBB ln 2000 (2006, earlier of the two nearest); CCC: only 2009 -> none
    assert get.loc[("log_gdppc", "AAA"), "value"] == pytest.approx(math.log(1000))
    assert get.loc[("log_gdppc", "AAA"), "year_used"] == 2007
    assert get.loc[("log_gdppc", "BBB"), "value"] == pytest.approx(math.log(2000))
    assert get.loc[("log_gdppc", "BBB"), "year_used"] == 2006
    assert ("log_gdppc", "CCC") not in get.index

    # lq_manuf from the 2007 AMA breakdown: 2.25 and 0.375 (see the structure test)
    assert get.loc[("lq_manuf", "AAA"), "value"] == pytest.approx(2.25)
    assert get.loc[("lq_manuf", "BBB"), "value"] == pytest.approx(0.375)
    assert get.loc[("lq_manuf", "AAA"), "year_used"] == 2007
    assert ("lq_manuf", "CCC") not in get.index

    # digital_z over AAA, BBB, CCC (DDD has no outcome and must not shift the z-scores):
    #   internet 10 (AAA's 2006), 20, 30 -> mean 20, sd 10 -> z -1, 0, 1
    #   mobile   60, 40, 80          -> mean 60, sd 20 -> z  0, -1, 1
    #   mean: AAA -0.5, BBB -0.5, CCC 1.0
    z = get.xs("digital_z")["value"]
    assert z["AAA"] == pytest.approx(-0.5) and z["BBB"] == pytest.approx(-0.5) and z["CCC"] == pytest.approx(1.0)
    assert get.xs("digital_z")["year_used"].isna().all()

    assert get.loc[("trade_open", "CCC"), "value"] == 70.0

    info = info.set_index("indicator")
    assert info.loc["internet", "included"] and info.loc["mobile", "included"]
    assert info.loc["internet", "coverage"] == 1.0
    assert not info.loc["broadband", "included"]
    assert info.loc["broadband", "reason"] == "coverage 0.00 below 0.6"
    assert info.loc["secure_servers", "reason"] == "series not in the panel"
    assert (info["n_complete"] == 3).all()


def test_exposures_never_use_a_year_after_the_contraction_start(exposure_panel):
    panel = exposure_panel.copy()
    # AAA: gdppc only in 2009 (after the 2008 contraction start) -> no log_gdppc for AAA
    panel.loc[panel["iso3"] == "AAA", "gdppc_kd"] = by_year({2009: 1234.0})
    table, _ = exposures_table(panel, [GFC], CONFIG["measures"]["digital"], 2, "mva_kd")
    rows = table[table["variable"] == "log_gdppc"]
    assert rows["iso3"].tolist() == ["BBB"]
    assert (table["year_used"].dropna() <= 2008).all()


def test_the_country_panel_through_the_shared_measure_stage(exposure_panel):
    from resilience.measures.digital import INFO_COLUMNS
    from resilience.panels.stages import measures
    settings = {"measures": {**CONFIG["measures"], "growth_series": {"g_mva": "mva_kd"}, "break_footnotes": []}}
    episode = GFC | {"recovery": [2008, 2009]}   # the fixture's years end in 2009
    tables = measures("countries", exposure_panel, settings, [episode])
    assert sorted(tables) == ["digital_composite", "exposure_summary", "exposures", "growth", "martin",
                              "martin_summary"]
    assert list(tables["digital_composite"].columns) == INFO_COLUMNS
    assert list(tables["growth"].columns) == ["iso3", "year", "g_mva"]
    # each economy is its own country in the summaries; the Martin outcome is measures.outcome
    summary = tables["martin_summary"]
    assert (summary["outcome"] == "mva_kd").all() and (summary["units"] == summary["countries"]).all()
    assert set(summary["units"]) == {3}
    lq = tables["exposure_summary"].set_index("variable").loc["lq_manuf"]
    assert lq["units"] == lq["countries"] == 2   # the fixture has sector value added for two economies
