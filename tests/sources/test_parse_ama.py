"""UN AMA workbook parser: values, footnote flags and notes, and every rejected input."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from resilience.panels.countries.identity import resolve
from resilience.errors import InputError
from resilience.sources.parsers.ama import parse_ama_workbook
from resilience.tidy import PARSED_COLUMNS
from tests.real_mirror import require_mirror
from synthetic_ama import (
    COVERAGE_NOTE, DEFAULT_ROWS, GDP, MANUFACTURING, SERIES_NOTE, VALUATION_NOTE, YEARS, write_ama_workbook,
)

MIRROR_AMA = Path(__file__).resolve().parents[2].parent / "shared" / "raw-snapshots" / "unsd-ama"


def cell(table, code, series, year):
    """The one row of a parsed table for a country code x series x year."""
    hit = table[(table.country_code == code) & (table.series == series) & (table.year == year)]
    assert len(hit) == 1, f"{len(hit)} rows for {code} {series} {year}"
    return hit.iloc[0]


@pytest.fixture
def parsed(tmp_path):
    return parse_ama_workbook(write_ama_workbook(tmp_path / "ama.xlsx"))


def test_values_codes_and_types(parsed):
    table = parsed.table
    assert list(table.columns) == PARSED_COLUMNS
    assert cell(table, "156", MANUFACTURING, 2008).value == 1300.0
    assert cell(table, "156", GDP, 2012).value == 6750.5
    assert cell(table, "412", GDP, 2009).value == 7.0  # an int cell comes out as float
    assert cell(table, "704", MANUFACTURING, 2010).country_name == "Viet Nam"
    assert table.year.dtype == "int64" and table.value.dtype == "float64"
    assert set(table.country_code) == {"156", "704", "412"}


def test_empty_cells_are_dropped(parsed):
    viet_nam = parsed.table[(parsed.table.country_code == "704") & (parsed.table.series == MANUFACTURING)]
    assert sorted(viet_nam.year) == [y for y in YEARS if y != 2011]
    kosovo = parsed.table[parsed.table.country_code == "412"]
    assert sorted(kosovo.year) == [2008, 2009, 2010, 2011, 2012]
    non_empty = sum(v is not None for values in DEFAULT_ROWS.values() for v in values.values())
    assert len(parsed.table) == non_empty


def test_footnote_flags_land_on_exactly_the_marked_years(parsed):
    both = "; ".join(sorted([VALUATION_NOTE, COVERAGE_NOTE]))
    for year in (2005, 2009):
        assert cell(parsed.table, "704", MANUFACTURING, year)["flags"] == both
    for year in (2010, 2012):
        assert cell(parsed.table, "704", MANUFACTURING, year)["flags"] == COVERAGE_NOTE
    assert (parsed.table[parsed.table.country_code == "156"]["flags"] == "").all()


def test_footnote_without_marks_is_a_series_note_not_a_flag(parsed):
    assert parsed.notes == [f"Series note (no years marked): Kosovo (CountryID 412), {GDP}: {SERIES_NOTE}"]
    assert not parsed.table["flags"].str.contains(SERIES_NOTE, regex=False).any()


def test_footnote_for_a_missing_series_is_noted(tmp_path):
    footnotes = {(250, "France", MANUFACTURING, "Synthetic orphan note."): [2006]}
    parsed = parse_ama_workbook(write_ama_workbook(tmp_path / "a.xlsx", footnotes=footnotes))
    assert parsed.notes == [f"Footnote for a series not in the data sheet: France (CountryID 250), "
                            f"{MANUFACTURING}: Synthetic orphan note."]


def test_vintage_is_the_workbook_modified_date(parsed):
    assert parsed.vintage == "workbook modified 2024-12-18"


def test_current_price_workbook(tmp_path):
    parsed = parse_ama_workbook(write_ama_workbook(tmp_path / "cur.xlsx", price_basis="current"))
    assert cell(parsed.table, "156", MANUFACTURING, 2005).value == 1000.0


def test_output_is_deterministic(tmp_path):
    first = parse_ama_workbook(write_ama_workbook(tmp_path / "a.xlsx"))
    reordered = dict(reversed(list(DEFAULT_ROWS.items())))
    second = parse_ama_workbook(write_ama_workbook(tmp_path / "b.xlsx", rows=reordered))
    assert first.table.equals(second.table)


# ---------------------------------------------------------------- rejected inputs

def raises_input_error(path, *fragments):
    with pytest.raises(InputError) as caught:
        parse_ama_workbook(path)
    message = str(caught.value)
    assert Path(path).name in message
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"
    return caught.value


def test_wrong_title(tmp_path):
    path = write_ama_workbook(tmp_path / "t.xlsx", title="Per Capita GDP at constant 2015 prices in US Dollars")
    error = raises_input_error(path, "Per Capita GDP", "GDP/breakdown at constant 2015 prices",
                               "sheet 'Download-GDPconstant-USD-countr'")
    assert error.field == "title (cell A1)" and error.row == 1


def test_wrong_header(tmp_path):
    header = ["CountryID", "Country Name", "IndicatorName"] + YEARS
    error = raises_input_error(write_ama_workbook(tmp_path / "h.xlsx", data_header=header), "Country Name")
    assert error.field == "header" and error.row == 3


def test_header_years_with_a_gap(tmp_path):
    header = ["CountryID", "Country", "IndicatorName"] + YEARS[:3] + ["Note"] + YEARS[4:]
    error = raises_input_error(write_ama_workbook(tmp_path / "y.xlsx", data_header=header), "not consecutive years")
    assert error.field == "header"


def test_missing_footnote_sheet(tmp_path):
    error = raises_input_error(write_ama_workbook(tmp_path / "f.xlsx", footnote_sheet=None),
                               "no footnote sheet 'Download-Footnotes-constant'")
    assert error.field == "sheet"


def test_footnote_sheet_of_the_other_price_basis(tmp_path):
    path = write_ama_workbook(tmp_path / "f.xlsx", footnote_sheet="Download-Footnotes-current")
    raises_input_error(path, "Download-Footnotes-constant")


def test_wrong_footnote_header(tmp_path):
    header = ["CountryID", "Country", "Item", "Note"] + YEARS
    error = raises_input_error(write_ama_workbook(tmp_path / "f.xlsx", footnote_header=header),
                               "sheet 'Download-Footnotes-constant'", "'Note'")
    assert error.row == 1


def test_bad_footnote_mark(tmp_path):
    footnotes = {(156, "China", GDP, "Synthetic note."): []}
    path = write_ama_workbook(tmp_path / "m.xlsx", footnotes=footnotes)
    _plant(path, "Download-Footnotes-constant", "E2", "Y")
    error = raises_input_error(path, "footnote mark 'Y'", "'X' or an empty cell")
    assert (error.row, error.field) == (2, "2005")


def test_non_numeric_cell(tmp_path):
    rows = {**DEFAULT_ROWS, (156, "China", GDP): {2005: 1.0, 2006: "n.a."}}
    error = raises_input_error(write_ama_workbook(tmp_path / "n.xlsx", rows=rows), "non-numeric value 'n.a.'")
    assert (error.row, error.field) == (5, "2006")  # China GDP is the second data row


def test_non_numeric_country_id(tmp_path):
    rows = {("CN", "China", GDP): {2005: 1.0}}
    error = raises_input_error(write_ama_workbook(tmp_path / "c.xlsx", rows=rows), "CountryID 'CN'")
    assert (error.row, error.field) == (4, "CountryID")


def test_duplicate_country_indicator(tmp_path):
    path = write_ama_workbook(tmp_path / "d.xlsx")
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.worksheets[0]
    sheet.append([cell.value for cell in sheet[4]])  # repeat the first data row at the end
    workbook.save(path)
    error = raises_input_error(path, "CountryID 156", "appears again (first in row 4)")
    assert error.row == 8 and error.field == "IndicatorName"


def test_html_saved_instead_of_xlsx(tmp_path):
    path = tmp_path / "Download-GDPconstant-USD-countries.xlsx"
    path.write_text("<!DOCTYPE html>\n<html><body>Service unavailable</body></html>")
    raises_input_error(path, "HTML page")


def test_not_a_zip(tmp_path):
    path = tmp_path / "ama.xlsx"
    path.write_bytes(b"CountryID,Country\n156,China\n")
    raises_input_error(path, "not an .xlsx workbook")


def test_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "ama.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    raises_input_error(path, "not a readable .xlsx workbook")


def test_missing_file(tmp_path):
    raises_input_error(tmp_path / "absent.xlsx", "file not found")


def _plant(path, sheet_name, address, value):
    workbook = openpyxl.load_workbook(path)
    workbook[sheet_name][address] = value
    workbook.save(path)


# ---------------------------------------------------------------- the real published file

@pytest.mark.mirror
def test_real_constant_price_workbook():
    require_mirror(MIRROR_AMA)
    parsed = parse_ama_workbook(MIRROR_AMA / "Download-GDPconstant-USD-countries.xlsx")
    table = parsed.table
    assert parsed.vintage == "workbook modified 2025-03-05"
    assert table.country_code.nunique() == 220 and table.series.nunique() == 17
    assert cell(table, "156", MANUFACTURING, 2009).value / 1e9 == pytest.approx(1871.8, abs=0.05)
    assert cell(table, "704", MANUFACTURING, 2010).value / 1e9 == pytest.approx(33.2, abs=0.05)
    # Viet Nam's manufacturing includes taxes less subsidies on products up to 2009, not from 2010:
    # the footnote marks 1970-2009, so 2009 carries it and 2010 does not (the break is 2009 -> 2010).
    tax_note = "Taxes less subsidies"
    assert tax_note in cell(table, "704", MANUFACTURING, 2009)["flags"]
    assert tax_note not in cell(table, "704", MANUFACTURING, 2010)["flags"]
    # China's manufacturing row starts in 2004 (PROVENANCE.md says 1970-2023; the file says otherwise)
    china = table[(table.country_code == "156") & (table.series == MANUFACTURING)]
    assert (china.year.min(), china.year.max()) == (2004, 2023)
    assert china["flags"].str.contains(tax_note).all()

    tidy, unmatched = resolve(table, "m49", source="unsd_ama_constant", vintage=parsed.vintage)
    assert list(zip(unmatched.country_code, unmatched.country_name)) == [
        ("835", "U.R. of Tanzania: Mainland"), ("836", "Zanzibar")]
    kinds = tidy[["iso3", "entity"]].drop_duplicates()
    assert sorted(kinds[kinds.entity == "former"].iso3) == [
        "F200", "F230", "F530", "F720", "F736", "F810", "F886", "F890"]
    assert (kinds.entity == "economy").sum() == 211  # 210 the file names plus Tanzania from its parts
    economies = set(kinds[kinds.entity == "economy"].iso3)
    assert {"CHN", "VNM", "XKX", "ETH", "SDN", "YEM", "CUW", "HKG", "TZA"} <= economies
    # Zanzibar starts in 1990, the mainland in 1970: Tanzania exists from 1990, every year both have.
    tza = tidy[(tidy.iso3 == "TZA") & (tidy.series == MANUFACTURING)].set_index("year")["value"]
    assert (tza.index.min(), tza.index.max(), len(tza)) == (1990, 2023, 34)
    parts = table[(table.series == MANUFACTURING) & (table.year == 2019)].set_index("country_code")["value"]
    assert tza[2019] == pytest.approx(parts["835"] + parts["836"])
    # 17 series: 17 x 54 mainland years, of which 17 x 34 also have Zanzibar.
    assert all(r.startswith("part of TZA: ") and "(578 of 918 series-years" in r for r in unmatched.reason)


# ---------------------------------------------------------------- Tanzania: the sum of its two parts

TZ_MAINLAND, ZANZIBAR = (835, "U.R. of Tanzania: Mainland"), (836, "Zanzibar")
TZ_NOTE = "Synthetic note: Zanzibar rebased."


def _tanzania_workbook(path, extra_rows=None):
    rows = {
        (*TZ_MAINLAND, MANUFACTURING): {2005: 1000.25, 2006: 1100.5, 2007: 1200.0, 2008: 1300.0},
        (*ZANZIBAR, MANUFACTURING): {2006: 30.25, 2007: 40.0, 2008: None},   # starts later, 2008 empty
        (*TZ_MAINLAND, GDP): {2007: 9000.0},
        (*ZANZIBAR, GDP): {2007: 500.5},
        **(extra_rows or {}),
    }
    footnotes = {(*ZANZIBAR, MANUFACTURING, TZ_NOTE): [2007]}
    return write_ama_workbook(path, rows=rows, footnotes=footnotes)


def test_tanzania_is_mainland_plus_zanzibar_where_both_have_a_value(tmp_path):
    parsed = parse_ama_workbook(_tanzania_workbook(tmp_path / "ama.xlsx"))
    tidy, unmatched = resolve(parsed.table, "m49", source="unsd_ama_constant", vintage="v")
    tza = tidy[tidy.iso3 == "TZA"].set_index(["series", "year"])
    # Hand sums: 1100.5 + 30.25 = 1130.75; 1200 + 40 = 1240; 9000 + 500.5 = 9500.5.
    assert tza["value"].to_dict() == {(GDP, 2007): 9500.5, (MANUFACTURING, 2006): 1130.75,
                                      (MANUFACTURING, 2007): 1240.0}
    # 2005 (no Zanzibar yet) and 2008 (Zanzibar empty) have no Tanzania value: a part is not the whole.
    assert set(tza.loc[MANUFACTURING].index) == {2006, 2007}
    assert set(tza["entity"]) == {"economy"}
    assert tza.loc[(MANUFACTURING, 2007), "flags"] == TZ_NOTE  # a part's footnote carries over
    assert tza.loc[(MANUFACTURING, 2006), "flags"] == ""
    reasons = dict(zip(unmatched.country_code, unmatched.reason))
    assert reasons["835"] == reasons["836"]
    assert reasons["835"].startswith("part of TZA: 835 U.R. of Tanzania: Mainland + 836 Zanzibar summed")
    assert "3 of 5 series-years" in reasons["835"]


def test_tanzania_is_not_built_from_one_part_or_beside_the_whole(tmp_path):
    only_mainland = {(*TZ_MAINLAND, GDP): {2007: 9000.0}}
    parsed = parse_ama_workbook(write_ama_workbook(tmp_path / "a.xlsx", rows=only_mainland, footnotes={}))
    tidy, unmatched = resolve(parsed.table, "m49", source="s", vintage="v")
    assert "TZA" not in set(tidy.iso3)
    assert unmatched.reason.iloc[0] == "part of TZA; not summed, the file lacks M49 836"

    whole = {(834, "United Republic of Tanzania", GDP): {2007: 1.0}}
    parsed = parse_ama_workbook(_tanzania_workbook(tmp_path / "b.xlsx", extra_rows=whole))
    tidy, unmatched = resolve(parsed.table, "m49", source="s", vintage="v")
    assert tidy.loc[tidy.iso3 == "TZA", "value"].tolist() == [1.0]
    assert set(unmatched.reason) == {"part of TZA; not summed, the file also has TZA itself"}
