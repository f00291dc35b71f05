"""ITU country .xls parser on synthetic sheets in the June 2019 layout, and on the real mirror files."""

from __future__ import annotations

import pytest

from resilience.errors import InputError
from resilience.sources.parsers import PARSERS
from resilience.sources.parsers.itu import itu_edition_from_name, itu_rows_to_parsed, parse_itu_country_xls
from resilience.tidy import PARSED_COLUMNS
from tests.sources.synthetic import itu_sheet_rows, mirror_file, truncate, write_html_page, write_itu_xls, write_xls

YEARS = [2008, 2009, 2010]
COUNTS = ("Fixed-broadband subscriptions", {
    "Viet Nam": {2008: 2048953.0, 2009: 3214179.0, 2010: None},
    "Hong Kong, China": {2008: 1900000.0, 2009: 2000000.0, 2010: 2100000.0},
    "Eritrea": {},
})
PER_100 = ("Fixed-broadband subscriptions per 100 inhabitants", {
    "Viet Nam": {2008: 2.37, 2009: 3.69, 2010: None},
    "Hong Kong, China": {2008: 27.1, 2009: 28.4, 2010: 29.9},
    "Eritrea": {2010: 0.0},
})
NOTES = {"Viet Nam": {2009: "  White Book -\nViet Nam ICT  ", 2010: "NULL"}, "Hong Kong, China": {2008: "NULL"}}


def value_of(table, name, year):
    rows = table[(table["country_name"] == name) & (table["year"] == year)]
    assert len(rows) == 1, f"{name} {year}: {len(rows)} rows"
    return rows.iloc[0]


def two_block_rows():
    return itu_sheet_rows([COUNTS, PER_100], YEARS, notes=NOTES, stray_value=4.5)


def test_default_block_is_the_first_with_notes_as_flags():
    parsed = itu_rows_to_parsed("Fixed_broadband_2000-2018_Jun2019.xls", two_block_rows(), vintage="v")
    table = parsed.table
    assert list(table.columns) == PARSED_COLUMNS and parsed.vintage == "v"
    assert set(table["series"]) == {"Fixed-broadband subscriptions"}
    assert set(table["country_code"]) == {""}
    assert len(table) == 5  # empty cells dropped; Eritrea has no count; the stray 4.5 column ignored
    vnm = value_of(table, "Viet Nam", 2009)
    assert (vnm["value"], vnm["flags"]) == (3214179.0, "White Book - Viet Nam ICT")
    hkg = value_of(table, "Hong Kong, China", 2008)
    assert (hkg["value"], hkg["flags"]) == (1900000.0, "")  # ITU's 'NULL' placeholder is no note
    assert 4.5 not in set(table["value"])


def test_block_title_selects_the_per_100_block():
    table = itu_rows_to_parsed("x.xls", two_block_rows(), block_title="PER 100").table
    assert set(table["series"]) == {"Fixed-broadband subscriptions per 100 inhabitants"}
    assert len(table) == 6
    assert value_of(table, "Hong Kong, China", 2010)["value"] == 29.9
    assert value_of(table, "Eritrea", 2010)["value"] == 0.0
    assert value_of(table, "Viet Nam", 2009)["flags"] == "White Book - Viet Nam ICT"


def test_block_title_exact_match_wins_over_substring():
    table = itu_rows_to_parsed("x.xls", two_block_rows(), block_title="fixed-broadband subscriptions").table
    assert set(table["series"]) == {"Fixed-broadband subscriptions"}


def test_block_title_ambiguous_or_unknown():
    with pytest.raises(InputError, match="2 blocks matches 'broadband'") as err:
        itu_rows_to_parsed("x.xls", two_block_rows(), block_title="broadband")
    assert err.value.field == "block_title"
    with pytest.raises(InputError, match="no block matches 'per capita'"):
        itu_rows_to_parsed("x.xls", two_block_rows(), block_title="per capita")


def test_single_block_file_with_stray_column_before_metadata():
    rows = itu_sheet_rows([("Percentage of Individuals using the Internet ", PER_100[1])], YEARS, stray_value=10.6)
    table = itu_rows_to_parsed("x.xls", rows).table
    assert set(table["series"]) == {"Percentage of Individuals using the Internet"}
    assert len(table) == 6 and 10.6 not in set(table["value"])


def test_non_numeric_cell_names_row_and_column():
    rows = two_block_rows()
    rows[3][2] = "n.a."  # Hong Kong, 2009, column C
    with pytest.raises(InputError, match=r"row 4, field '2009 \(column C\)': non-numeric value 'n.a.'"):
        itu_rows_to_parsed("x.xls", rows)


def test_duplicate_economy_and_missing_years_and_truncated_sheet():
    rows = two_block_rows()
    with pytest.raises(InputError, match="duplicate row for Viet Nam Fixed-broadband subscriptions 2008"):
        itu_rows_to_parsed("x.xls", rows + [rows[2]])
    no_years = [rows[0], [""] * len(rows[1])] + rows[2:]
    with pytest.raises(InputError, match="no years in row 2"):
        itu_rows_to_parsed("x.xls", no_years)
    with pytest.raises(InputError, match="truncated"):
        itu_rows_to_parsed("x.xls", rows[:2])
    with pytest.raises(InputError, match="no indicator title"):
        itu_rows_to_parsed("x.xls", [[""] * len(rows[0])] + rows[1:])


def test_edition_from_file_name():
    assert itu_edition_from_name("data/Individuals_Internet_2000-2018_Jun2019.xls") == "ITU June 2019 edition"
    assert itu_edition_from_name("Mobile_cellular_2000-2020_Dec2021.xls") == "ITU December 2021 edition"
    assert itu_edition_from_name("itu_internet.xls") == ""


@pytest.fixture
def xlwt():
    return pytest.importorskip("xlwt")


def test_xls_file_round_trip(tmp_path, xlwt):
    path = write_itu_xls(tmp_path / "Fixed_broadband_2000-2018_Jun2019_revised27082019.xls", [COUNTS, PER_100],
                         YEARS, notes=NOTES, stray_value=4.5)
    parsed = PARSERS["itu_xls"](path, block_title="per 100 inhabitants")
    assert parsed.vintage == "ITU June 2019 edition"
    assert parsed.notes == ["file name says revised 2019-08-27"]
    assert value_of(parsed.table, "Viet Nam", 2008)["value"] == 2.37
    assert len(parsed.table) == 6


def test_xls_file_errors(tmp_path, xlwt):
    path = write_xls(tmp_path / "x_Jun2019.xls", {"Data": [["x"]]})
    with pytest.raises(InputError, match=r"has no sheet 'Final'"):
        parse_itu_country_xls(path)
    path = truncate(write_itu_xls(tmp_path / "y.xls", [COUNTS], YEARS), keep=0.5)
    with pytest.raises(InputError, match="cannot be read as an Excel .xls workbook"):
        parse_itu_country_xls(path)
    with pytest.raises(InputError, match="HTML page"):
        parse_itu_country_xls(write_html_page(tmp_path / "z.xls"))


# ---------------------------------------------------------------- real mirror files

@pytest.mark.mirror
def test_mirror_internet_users():
    parsed = parse_itu_country_xls(mirror_file("itu", "Individuals_Internet_2000-2018_Jun2019.xls"))
    table = parsed.table
    assert parsed.vintage == "ITU June 2019 edition"
    assert set(table["series"]) == {"Percentage of Individuals using the Internet"}
    internet_2008 = {"China": 22.6, "United States": 74.0, "Germany": 78.0, "Viet Nam": 23.92, "Mexico": 21.71,
                     "India": 4.38}
    for name, value in internet_2008.items():
        assert value_of(table, name, 2008)["value"] == value
    assert table[(table["country_name"] == "United States") & (table["year"] == 2018)].empty
    assert table["country_name"].nunique() == 221  # 229 rows, 8 without any value
    assert "age 6" in value_of(table, "China", 2006)["flags"]


@pytest.mark.mirror
def test_mirror_fixed_broadband_both_blocks():
    path = mirror_file("itu", "Fixed_broadband_2000-2018_Jun2019_revised27082019.xls")
    counts = parse_itu_country_xls(path).table
    per_100 = parse_itu_country_xls(path, block_title="per 100").table
    assert value_of(counts, "United States", 2009)["value"] == 79992000.0
    assert value_of(per_100, "United States", 2009)["value"] == 26.1149278104514
    assert "200 kbps" in value_of(per_100, "United States", 2009)["flags"]
    assert value_of(per_100, "China", 2018)["value"] == 28.5351894210131


@pytest.mark.mirror
def test_mirror_mobile_per_100():
    parsed = parse_itu_country_xls(mirror_file("itu", "Mobile_cellular_2000-2018_Jun2019.xls"),
                                   block_title="per 100 inhabitants")
    assert value_of(parsed.table, "Germany", 2009)["value"] == 129.789926598358
    assert value_of(parsed.table, "Viet Nam", 2018)["value"] == 147.195273411973
