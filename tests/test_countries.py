"""Identity resolution: publisher codes and names to ISO3 with entity kinds, and the unmatched report."""

from __future__ import annotations

import logging

import pandas as pd
import pytest

from resilience.panels.countries import identity as countries
from resilience.panels.countries.identity import UNMATCHED_COLUMNS, resolve
from resilience.errors import ConfigError, InputError
from resilience.tidy import TIDY_COLUMNS


def parsed(entries, years=(2009, 2010)):
    """A parser-shaped table: each (code, name) gets one row per year, value = year / 10."""
    rows = [(code, name, year, "S", year / 10, "note" if year == 2009 else "")
            for code, name in entries for year in years]
    return pd.DataFrame(rows, columns=["country_code", "country_name", "year", "series", "value", "flags"])


def identities(tidy):
    """{iso3: entity} of a tidy table."""
    return dict(tidy[["iso3", "entity"]].drop_duplicates().itertuples(index=False))


def reasons(unmatched):
    """{(code, name): reason} of an unmatched table."""
    return {(c, n): r for c, n, r in zip(unmatched.country_code, unmatched.country_name, unmatched.reason)}


# ---------------------------------------------------------------- UN M49 (AMA CountryID)

M49_ENTRIES = [
    ("156", "China"), ("810", "USSR (Former)"), ("736", "Sudan (Former)"), ("729", "Sudan"),
    ("530", "Former Netherlands Antilles"), ("412", "Kosovo"), ("004", "Afghanistan"),
    ("836", "Zanzibar"), ("999", "Nowhere"),
]


@pytest.fixture
def m49_result():
    return resolve(parsed(M49_ENTRIES), "m49", source="unsd_ama_constant", vintage="workbook modified 2025-03-05")


def test_m49_economies_and_former_states(m49_result):
    tidy, _ = m49_result
    assert identities(tidy) == {
        "CHN": "economy", "F810": "former", "F736": "former", "SDN": "economy", "F530": "former",
        "XKX": "economy", "AFG": "economy",
    }


def test_m49_values_flags_source_and_vintage_carry_through(m49_result):
    tidy, _ = m49_result
    assert list(tidy.columns) == TIDY_COLUMNS
    china = tidy[tidy.iso3 == "CHN"].set_index("year")
    assert china.loc[2009, "value"] == pytest.approx(200.9)
    assert china.loc[2009, "flags"] == "note" and china.loc[2010, "flags"] == ""
    assert set(tidy.source) == {"unsd_ama_constant"}
    assert set(tidy.vintage) == {"workbook modified 2025-03-05"}
    assert len(tidy) == 2 * 7


def test_m49_unmatched_are_reported_not_echoed(m49_result):
    tidy, unmatched = m49_result
    assert list(unmatched.columns) == UNMATCHED_COLUMNS
    assert list(zip(unmatched.country_code, unmatched.country_name)) == [("836", "Zanzibar"), ("999", "Nowhere")]
    assert set(unmatched.source) == {"unsd_ama_constant"}
    reasons = dict(zip(unmatched.country_code, unmatched.reason))
    assert "M49" in reasons["999"] and "unknown to country_converter" in reasons["999"]
    # Zanzibar without the mainland is a part of Tanzania that cannot be summed, and says so.
    assert reasons["836"] == "part of TZA; not summed, the file lacks M49 835"
    assert not tidy.iso3.isin(["836", "999"]).any()  # coco echoes unknown codes; they must not leak


def test_m49_name_fallback_refuses_a_country_with_its_own_code():
    # Tanzania has M49 834 of its own, so an unknown 836 named after it is a part, not Tanzania.
    tidy, unmatched = resolve(parsed([("836", "Tanzania")]), "m49", source="s", vintage="v")
    assert tidy.empty and len(unmatched) == 1


# ---------------------------------------------------------------- World Bank codes

WB_METADATA = pd.DataFrame({
    "code": ["CHN", "WLD", "XKX", "HIC"],
    "name": ["China", "World", "Kosovo", "High income"],
    "region": ["East Asia & Pacific", "", "Europe & Central Asia", ""],
    "income_group": ["Upper middle income", "", "Upper middle income", ""],
    "kind": ["economy", "aggregate", "economy", "aggregate"],
})


def test_wb_codes_use_the_metadata_for_entity_kind():
    entries = [("CHN", "China"), ("WLD", "World"), ("XKX", "Kosovo"), ("ZZZ", "Atlantis"), ("", "High income"),
               ("", "Nowhere")]
    tidy, unmatched = resolve(parsed(entries), "wb", source="wdi", vintage="2025-07-01", wb_metadata=WB_METADATA)
    assert identities(tidy) == {"CHN": "economy", "WLD": "aggregate", "XKX": "economy", "HIC": "aggregate"}
    assert reasons(unmatched) == {
        ("", "Nowhere"): "no code, and the name is not in the World Bank country metadata",
        ("ZZZ", "Atlantis"): "code not in the World Bank country metadata",
    }


def test_wb_scheme_needs_metadata():
    with pytest.raises(ConfigError, match="wb_metadata"):
        resolve(parsed([("CHN", "China")]), "wb", source="wdi", vintage="v")


def test_wb_metadata_with_an_unknown_kind():
    bad = WB_METADATA.assign(kind=["economy", "group", "economy", "aggregate"])
    with pytest.raises(InputError, match="kind 'group' for WLD"):
        resolve(parsed([("CHN", "China")]), "wb", source="wdi", vintage="v", wb_metadata=bad)


# ---------------------------------------------------------------- OWID grapher codes

def test_owid_codes():
    entries = [("AFG", "Afghanistan"), ("OWID_KOS", "Kosovo"), ("OWID_WRL", "World"),
               ("OWID_USS", "USSR"), ("", "High-income countries"), ("", "Faeroe Islands"), ("QQQ", "Nowhere")]
    tidy, unmatched = resolve(parsed(entries), "owid", source="owid_broadband", vintage="v")
    assert identities(tidy) == {"AFG": "economy", "XKX": "economy", "WLD": "aggregate", "OWID_USS": "aggregate"}
    assert reasons(unmatched) == {
        ("", "Faeroe Islands"): "no code in the file (country_converter reads the name as FRO); not used",
        ("", "High-income countries"): "aggregate without code",
        ("QQQ", "Nowhere"): "code is not an ISO3 code known to country_converter",
    }


# ---------------------------------------------------------------- names only (ITU)

def test_names():
    entries = [("", "Viet Nam"), ("", "Hong Kong, China"), ("", "Micronesia"), ("", "World"),
               ("", "Sub-Saharan Africa (WB)"), ("", "Atlantis")]
    tidy, unmatched = resolve(parsed(entries), "name", source="itu_internet", vintage="Jun2019")
    assert identities(tidy) == {"VNM": "economy", "HKG": "economy", "FSM": "economy"}
    assert reasons(unmatched) == {
        ("", "Atlantis"): "name not recognised by country_converter",
        ("", "Sub-Saharan Africa (WB)"): "aggregate, not an economy",
        ("", "World"): "aggregate, not an economy",
    }


def test_wb_aggregate_names_are_groups_in_the_name_scheme():
    tidy, unmatched = resolve(parsed([("", "Euro area"), ("", "Arab World")]), "name", source="s", vintage="v",
                              wb_metadata=WB_METADATA)
    assert tidy.empty and set(unmatched.reason) == {"aggregate, not an economy"}


def test_two_entries_resolving_to_one_iso3_are_both_unmatched():
    entries = [("", "Viet Nam"), ("", "Vietnam"), ("", "China")]
    tidy, unmatched = resolve(parsed(entries), "name", source="s", vintage="v")
    assert identities(tidy) == {"CHN": "economy"}
    assert set(reasons(unmatched).values()) == {"ambiguous: several entries in this file resolve to VNM"}


# ---------------------------------------------------------------- behaviour shared by all schemes

def test_results_are_deterministic():
    first = resolve(parsed(M49_ENTRIES), "m49", source="s", vintage="v")
    second = resolve(parsed(list(reversed(M49_ENTRIES))), "m49", source="s", vintage="v")
    for a, b in zip(first, second):
        pd.testing.assert_frame_equal(a, b)


def test_coco_warnings_are_muted(capsys, caplog):
    with caplog.at_level(logging.DEBUG):
        resolve(parsed([("", "Atlantis"), ("", "World")]), "name", source="s", vintage="v")
        resolve(parsed([("999", "Nowhere")]), "m49", source="s", vintage="v")
    assert not [r for r in caplog.records if r.name.startswith("country_converter")]
    assert capsys.readouterr() == ("", "")


def test_converter_is_built_once():
    assert countries._converter() is countries._converter()


def test_unknown_scheme():
    with pytest.raises(ConfigError, match="unknown identity scheme 'iso2'"):
        resolve(parsed([("CN", "China")]), "iso2", source="s", vintage="v")


def test_parsed_table_without_the_parser_columns():
    with pytest.raises(InputError, match="lacks columns"):
        resolve(pd.DataFrame({"code": ["CHN"]}), "m49", source="s", vintage="v")
