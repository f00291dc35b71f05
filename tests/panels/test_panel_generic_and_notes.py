"""The generic long-layout measures a new panel gets without code of its own (resilience.panels.generic)
on a hand-computed panel, and what each regional panel says about a model it could not fit."""

import math

import pandas as pd
import pytest

from resilience import panels
from resilience.errors import InputError
from resilience.panels import generic, stages

EPISODE = {"name": "e", "contraction": [2008, 2009], "recovery": [2009, 2010], "exposure_year": 2007}
YEARS = [2006, 2007, 2008, 2009, 2010]
GDP = {"AA1": [100, 100, 100, 90, 99], "AA2": [100, 100, 100, 110, 110], "AA": [200, 200, 200, 200, 209]}


def long_panel():
    rows = [(unit, "AA", year, "gdp", float(v)) for unit, values in GDP.items() for year, v in zip(YEARS, values)]
    # exposure 'dig': AA1 one year before the exposure year and one after (a tie), AA2 at it
    rows += [("AA1", "AA", 2006, "dig", 5.0), ("AA1", "AA", 2008, "dig", 999.0), ("AA2", "AA", 2007, "dig", 7.0)]
    return pd.DataFrame(rows, columns=generic.PANEL_COLUMNS)


def test_a_panel_without_the_long_columns_is_refused_naming_the_first_missing():
    with pytest.raises(InputError, match=r"p.parquet, field 'group': panel lacks columns \['group'\]"):
        generic.checked(long_panel().drop(columns="group"), "p.parquet")
    assert generic.checked(long_panel(), "p.parquet") is not None


def test_growth_leaves_out_the_countrys_own_row():
    growth = generic.growth_table(long_panel(), "gdp").set_index(["unit", "year"])
    assert list(growth.columns) == ["group", "g_gdp"] and set(growth.index.get_level_values("unit")) == {"AA1", "AA2"}
    # 100 ln(y_t / y_{t-1})
    assert growth.loc[("AA1", 2009), "g_gdp"] == pytest.approx(100 * math.log(0.9))
    assert growth.loc[("AA1", 2010), "g_gdp"] == pytest.approx(100 * math.log(99 / 90))
    assert growth.loc[("AA2", 2008), "g_gdp"] == pytest.approx(0.0)
    assert (growth["group"] == "AA").all()


def test_martin_against_the_national_row_and_the_sum_of_units():
    # change = 100 (y_end / y_start - 1); national AA: 0 over 2008-09, 4.5 over 2009-10
    # AA1: -10 and +10 -> pp -10 and 5.5; AA2: +10 and 0 -> pp 10 and -4.5
    martin = generic.martin_table(long_panel(), {"outcome": "gdp", "benchmark": "national"}, [EPISODE])
    got = martin.set_index(["phase", "unit"])
    assert got.loc[("resistance", "AA1"), ["g_unit", "g_ref", "index_pp"]].tolist() == pytest.approx([-10, 0, -10])
    assert got.loc[("recovery", "AA1"), ["g_unit", "g_ref", "index_pp"]].tolist() == pytest.approx([10, 4.5, 5.5])
    assert got.loc[("recovery", "AA2"), "index_pp"] == pytest.approx(-4.5)
    assert (martin["outcome"] == "gdp").all() and (martin["group"] == "AA").all()
    # units_sum: the reference is AA1 + AA2 = 200, 200, 209 -> the same reference growth here
    summed = generic.martin_table(long_panel(), {"outcome": "gdp", "benchmark": "units_sum"}, [EPISODE])
    assert summed.set_index(["phase", "unit"]).loc[("recovery", "AA2"), "g_ref"] == pytest.approx(4.5)


def test_exposures_take_the_nearest_year_to_the_exposure_year_ties_to_the_earlier():
    measures = {"exposures": ["dig"], "exposure_max_back": 1}
    table = generic.exposures_table(long_panel(), measures, [EPISODE])
    assert list(table.columns) == generic.EXPOSURE_COLUMNS
    assert table[["unit", "group", "value", "year_used"]].values.tolist() == [["AA1", "AA", 5.0, 2006],
                                                                                  ["AA2", "AA", 7.0, 2007]]
    # a series without values: an empty table with the columns
    empty = generic.exposures_table(long_panel(), {"exposures": ["none"], "exposure_max_back": 1}, [EPISODE])
    assert empty.empty and list(empty.columns) == generic.EXPOSURE_COLUMNS
    assert list(generic.no_digital_info().columns) == list(stages.INFO_COLUMNS)


def test_summaries_of_empty_tables_keep_their_columns():
    assert stages.martin_summary(pd.DataFrame()).columns.tolist()[:5] == ["outcome", "episode", "phase", "units",
                                                                          "groups"]
    assert stages.martin_summary(pd.DataFrame()).empty
    summary = stages.exposure_summary(pd.DataFrame())
    assert summary.empty and summary.columns.tolist() == ["episode", "variable", "units", "groups", "mean", "sd",
                                                          "min", "max"]


def test_eu_notes_say_why_a_model_has_no_row():
    eu = panels.get("eu")
    notes = {"panel_models": [
        {"model": "a", "estimable": False, "reason": "no exposure with data"},
        {"model": "b", "estimable": False},
        {"model": "c", "estimable": True, "exposures_dropped": ["digital_z"], "episodes_dropped": ["covid"]},
        {"model": "d", "estimable": True}]}
    assert eu.notes_reason(notes, "a") == "not estimable: no exposure with data"
    assert eu.notes_reason(notes, "b") == "not estimable: no data"
    assert eu.notes_reason(notes, "c") == ("exposures left out for lack of data: digital_z; "
                                           "episodes left out for lack of data: covid")
    assert eu.notes_reason(notes, "d") == ""
    assert eu.notes_reason(notes, "z") == "model z not in the notes"
    assert eu.notes_reason({}, "a") == "model a not in the notes"


def test_china_notes_say_why_a_model_has_no_row():
    china = panels.get("china")
    notes = {"m": {"skipped": "no data for the dependent g_gdp"}, "n": {"reps": 399}}
    assert china.notes_reason(notes, "m") == "skipped: no data for the dependent g_gdp"
    assert china.notes_reason(notes, "n") == ""
    assert china.notes_reason(notes, "z") == "model z not in the notes"
