"""World Bank parsers on synthetic files in the published layouts, and on the real mirror files."""

from __future__ import annotations

import json
import math
import zipfile
from datetime import date

import pandas as pd
import pytest

from resilience.errors import InputError
from resilience.sources.parsers import PARSERS, parse
from resilience.sources.parsers.wdi import (
    parse_wb_api_json, parse_wdi_country_metadata, parse_wdi_databank_zip, parse_wdi_indicator_csv,
    parse_wdi_indicator_excel, wdi_excel_rows_to_parsed,
)
from resilience.tidy import PARSED_COLUMNS
from tests.sources.synthetic import (
    databank_csv_text, mirror_file, truncate, wb_api_pages, wdi_csv_text, wdi_excel_rows, write_html_page,
    write_metadata_country_csv, write_owid_csv, write_wb_api_country_list, write_wb_api_error, write_wb_api_pages,
    write_wdi_country_metadata, write_wdi_csv, write_wdi_csv_zip, write_wdi_databank_zip, write_wdi_xls,
)

YEARS = [2008, 2009, 2010]
ROWS = {
    ("USA", "United States"): {2008: 1.5, 2009: 2.25, 2010: None},
    ("CHN", "China"): {2008: None, 2009: None, 2010: None},  # no observation at all
    ("WLD", "World"): {2008: 100, 2009: 98.5, 2010: 103.0},
    ("BHS", "Bahamas, The"): {2009: -0.5},
}
CODE, NAME = "NV.IND.MANF.KD", "Manufacturing, value added (constant 2015 US$)"


def value_of(table, code, year, series=None):
    rows = table[(table["country_code"] == code) & (table["year"] == year)]
    if series is not None:
        rows = rows[rows["series"] == series]
    assert len(rows) == 1, f"{code} {year}: {len(rows)} rows"
    return rows["value"].iloc[0]


def assert_synthetic_wdi_table(table):
    assert list(table.columns) == PARSED_COLUMNS
    assert table["year"].dtype == "int64" and table["value"].dtype == "float64"
    # empty cells are 'no observation': 6 filled cells, nothing for CHN, no NaN rows
    assert len(table) == 6
    assert not table["value"].isna().any()
    assert "CHN" not in set(table["country_code"])
    assert value_of(table, "USA", 2008) == 1.5
    assert value_of(table, "USA", 2009) == 2.25
    assert value_of(table, "WLD", 2010) == 103.0
    assert value_of(table, "BHS", 2009) == -0.5
    assert table.loc[table["country_code"] == "BHS", "country_name"].iloc[0] == "Bahamas, The"
    assert set(table["series"]) == {CODE}
    assert set(table["flags"]) == {""}


# ---------------------------------------------------------------- per-indicator CSV

def test_indicator_csv_long_table_and_vintage(tmp_path):
    path = write_wdi_csv(tmp_path / "API_X.csv", CODE, NAME, "2026-07-13", ROWS, YEARS)
    assert path.read_bytes().startswith(b'\xef\xbb\xbf"Data Source","World Development Indicators",\n\n')
    parsed = parse_wdi_indicator_csv(path)
    assert parsed.vintage == "2026-07-13"
    assert_synthetic_wdi_table(parsed.table)


def test_indicator_csv_with_crlf_lines(tmp_path):
    path = write_wdi_csv(tmp_path / "API_X.csv", CODE, NAME, "2026-04-08", ROWS, YEARS, newline="\r\n")
    parsed = parse_wdi_indicator_csv(path)
    assert parsed.vintage == "2026-04-08"
    assert_synthetic_wdi_table(parsed.table)


def test_indicator_csv_from_the_download_zip_picks_the_api_member(tmp_path):
    path = write_wdi_csv_zip(tmp_path / "NV.IND.MANF.KD.zip", CODE, NAME, "2025-12-19", ROWS, YEARS)
    assert len(zipfile.ZipFile(path).namelist()) == 3
    parsed = PARSERS["wdi_csv"](path)
    assert parsed.vintage == "2025-12-19"
    assert_synthetic_wdi_table(parsed.table)


def test_indicator_csv_cut_mid_line_is_an_input_error(tmp_path):
    text = wdi_csv_text(CODE, NAME, "2026-07-13", ROWS, YEARS)
    cut = text.index('"98.5"') + 3  # inside the World row, inside a quoted value
    path = tmp_path / "API_X.csv"
    path.write_text(text[:cut], encoding="utf-8")
    with pytest.raises(InputError, match="truncated") as err:
        parse_wdi_indicator_csv(path)
    assert str(path) in str(err.value)


def test_indicator_csv_cut_after_a_field_names_the_row(tmp_path):
    text = wdi_csv_text(CODE, NAME, "2026-07-13", ROWS, YEARS)
    cut = text.index('"98.5",') + len('"98.5",')  # the World row loses its last year and trailing comma
    path = tmp_path / "API_X.csv"
    path.write_text(text[:cut], encoding="utf-8")
    with pytest.raises(InputError, match=r"row 8: record has 7 fields but the header has 8"):
        parse_wdi_indicator_csv(path)


def test_indicator_csv_cut_before_the_header(tmp_path):
    text = wdi_csv_text(CODE, NAME, "2026-07-13", ROWS, YEARS)
    path = tmp_path / "API_X.csv"
    path.write_text(text[: text.index('"Country Name"')], encoding="utf-8")
    with pytest.raises(InputError, match="truncated"):
        parse_wdi_indicator_csv(path)


def test_indicator_csv_html_page_is_an_input_error(tmp_path):
    path = write_html_page(tmp_path / "API_X.csv")
    with pytest.raises(InputError, match="HTML page") as err:
        parse_wdi_indicator_csv(path)
    assert err.value.path == str(path)


def test_indicator_csv_renamed_column_names_the_expected_one(tmp_path):
    text = wdi_csv_text(CODE, NAME, "2026-07-13", ROWS, YEARS).replace('"Country Code"', '"Code"')
    path = tmp_path / "API_X.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="'Country Code'") as err:
        parse_wdi_indicator_csv(path)
    assert err.value.field == "Country Code" and err.value.row == 5


def test_indicator_csv_non_numeric_cell_names_row_and_year(tmp_path):
    rows = dict(ROWS)
    rows[("USA", "United States")] = {2008: 1.5, 2009: "n/a"}
    path = write_wdi_csv(tmp_path / "API_X.csv", CODE, NAME, "2026-07-13", rows, YEARS)
    with pytest.raises(InputError, match="non-numeric value 'n/a'") as err:
        parse_wdi_indicator_csv(path)
    assert (err.value.row, err.value.field) == (6, "2009")


def test_indicator_csv_duplicated_economy_is_an_input_error(tmp_path):
    text = wdi_csv_text(CODE, NAME, "2026-07-13", ROWS, YEARS)
    usa = next(line for line in text.splitlines() if '"USA"' in line)
    path = tmp_path / "API_X.csv"
    path.write_text(text + usa + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="duplicate row for USA NV.IND.MANF.KD 2008") as err:
        parse_wdi_indicator_csv(path)
    assert err.value.row == 10


def test_indicator_csv_repeated_year_column(tmp_path):
    text = wdi_csv_text(CODE, NAME, "2026-07-13", ROWS, YEARS).replace('"2010"', '"2009"', 1)
    path = tmp_path / "API_X.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="year 2009 appears twice in the header"):
        parse_wdi_indicator_csv(path)


def test_indicator_csv_unreadable_date(tmp_path):
    path = write_wdi_csv(tmp_path / "API_X.csv", CODE, NAME, "July 2026", ROWS, YEARS)
    with pytest.raises(InputError, match="date 'July 2026'") as err:
        parse_wdi_indicator_csv(path)
    assert err.value.field == "Last Updated Date"


def test_indicator_zip_that_is_not_a_zip(tmp_path):
    path = tmp_path / "NV.IND.MANF.KD.zip"
    path.write_bytes(b"PK\x03\x04 this is not really an archive")
    with pytest.raises(InputError, match="not a valid zip archive"):
        parse_wdi_indicator_csv(path)


def test_indicator_zip_cut_short(tmp_path):
    path = truncate(write_wdi_csv_zip(tmp_path / "x.zip", CODE, NAME, "2026-07-13", ROWS, YEARS), keep=0.5)
    with pytest.raises(InputError, match="zip"):
        parse_wdi_indicator_csv(path)


def test_indicator_zip_without_data_member(tmp_path):
    path = tmp_path / "x.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("Metadata_Country_API_X.csv", "x")
    with pytest.raises(InputError, match=r"zip holds none per-indicator data CSV"):
        parse_wdi_indicator_csv(path)


def test_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="cannot be read"):
        parse_wdi_indicator_csv(tmp_path / "absent.csv")


# ---------------------------------------------------------------- per-indicator Excel

def test_excel_rows_with_serial_date():
    rows = wdi_excel_rows(CODE, NAME, date(2023, 5, 10), ROWS, YEARS)
    assert rows[1][1] == 45056.0
    parsed = wdi_excel_rows_to_parsed("API_X.xls", rows)
    assert parsed.vintage == "2023-05-10"
    assert_synthetic_wdi_table(parsed.table)


def test_excel_rows_with_date_string_and_float_year_headers():
    rows = wdi_excel_rows(CODE, NAME, "2019-01-30", ROWS, YEARS)
    rows[3] = rows[3][:4] + [float(y) for y in YEARS]
    parsed = wdi_excel_rows_to_parsed("API_X.xls", rows)
    assert parsed.vintage == "2019-01-30"
    assert value_of(parsed.table, "WLD", 2009) == 98.5


def test_excel_rows_non_numeric_cell_names_excel_row():
    rows = wdi_excel_rows(CODE, NAME, date(2023, 5, 10), ROWS, YEARS)
    rows[6][5] = ".."  # World 2009
    with pytest.raises(InputError, match=r"API_X.xls, row 7, field '2009': non-numeric value '..'"):
        wdi_excel_rows_to_parsed("API_X.xls", rows)


def test_excel_rows_changed_header():
    rows = wdi_excel_rows(CODE, NAME, date(2023, 5, 10), ROWS, YEARS)
    rows[3][3] = "Series Code"
    with pytest.raises(InputError, match="'Indicator Code'"):
        wdi_excel_rows_to_parsed("API_X.xls", rows)


def test_excel_rows_without_preamble():
    rows = wdi_excel_rows(CODE, NAME, date(2023, 5, 10), ROWS, YEARS)[3:]
    with pytest.raises(InputError, match="WDI preamble"):
        wdi_excel_rows_to_parsed("API_X.xls", rows)


@pytest.fixture
def xlwt():
    return pytest.importorskip("xlwt")


def test_excel_file_round_trip(tmp_path, xlwt):
    path = write_wdi_xls(tmp_path / "API_X.xls", CODE, NAME, date(2023, 5, 10), ROWS, YEARS)
    parsed = parse_wdi_indicator_excel(path)
    assert parsed.vintage == "2023-05-10"
    assert_synthetic_wdi_table(parsed.table)


def test_excel_file_without_data_sheet(tmp_path, xlwt):
    from tests.sources.synthetic import write_xls

    path = write_xls(tmp_path / "API_X.xls", {"Sheet1": [["x"]]})
    with pytest.raises(InputError, match=r"has no sheet 'Data' \(sheets: \['Sheet1'\]\)"):
        parse_wdi_indicator_excel(path)


def test_excel_file_truncated(tmp_path, xlwt):
    path = truncate(write_wdi_xls(tmp_path / "API_X.xls", CODE, NAME, date(2023, 5, 10), ROWS, YEARS), keep=0.5)
    with pytest.raises(InputError, match="cannot be read as an Excel .xls workbook"):
        parse_wdi_indicator_excel(path)


def test_excel_file_that_is_html_or_csv(tmp_path):
    with pytest.raises(InputError, match="HTML page"):
        parse_wdi_indicator_excel(write_html_page(tmp_path / "API_X.xls"))
    csv_path = write_wdi_csv(tmp_path / "API_Y.xls", CODE, NAME, "2026-07-13", ROWS, YEARS)
    with pytest.raises(InputError, match="cannot be read as an Excel .xls workbook"):
        parse_wdi_indicator_excel(csv_path)


# ---------------------------------------------------------------- DataBank extract

DATABANK_YEARS = [1990, 2000, 2014, 2015]
DATABANK_ROWS = [
    ("Individuals using the Internet (% of population)", "IT.NET.USER.ZS", "Afghanistan", "AFG",
     {1990: 0, 2014: 7, 2015: 8.26}),
    ("Individuals using the Internet (% of population)", "IT.NET.USER.ZS", "Bahamas, The", "BHS",
     {1990: 0, 2000: 8, 2014: 76.92}),
    ("ICT service exports (% of service exports, BoP)", "BX.GSR.CCIS.ZS", "Afghanistan", "AFG",
     {2000: 2.5, 2015: 3.25}),
    ("ICT service exports (% of service exports, BoP)", "BX.GSR.CCIS.ZS", "Viet Nam", "VNM", {}),
    ("ICT service exports (% of service exports, BoP)", "BX.GSR.CCIS.ZS", "World", "WLD", {2015: 9.75}),
]


def test_databank_zip_multiple_series_and_footer_vintage(tmp_path):
    path = write_wdi_databank_zip(tmp_path / "P_Data_Extract.zip", DATABANK_ROWS, DATABANK_YEARS)
    text = zipfile.ZipFile(path).read(zipfile.ZipFile(path).namelist()[0]).decode()
    assert '"ICT service exports (% of service exports, BoP)",BX.GSR.CCIS.ZS' in text and "\r\n,,,,,,,\r\n" in text
    parsed = parse_wdi_databank_zip(path)
    table = parsed.table
    assert parsed.vintage == "2024-11-13"
    assert list(table.columns) == PARSED_COLUMNS
    assert len(table) == 9  # '..' cells dropped; VNM has none
    assert value_of(table, "AFG", 2015, "IT.NET.USER.ZS") == 8.26
    assert value_of(table, "AFG", 2015, "BX.GSR.CCIS.ZS") == 3.25
    assert value_of(table, "BHS", 1990, "IT.NET.USER.ZS") == 0.0
    assert value_of(table, "WLD", 2015, "BX.GSR.CCIS.ZS") == 9.75
    assert "VNM" not in set(table["country_code"])
    assert table.loc[table["country_code"] == "BHS", "country_name"].iloc[0] == "Bahamas, The"


def databank_zip_with_text(path, text):
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("abc_Data.csv", text)
        archive.writestr("abc_Series - Metadata.csv", "Code\r\n")
    return path


def test_databank_without_footer_is_truncated(tmp_path):
    text = databank_csv_text(DATABANK_ROWS, DATABANK_YEARS, "11/13/2024")
    path = databank_zip_with_text(tmp_path / "x.zip", text[: text.index("Data from database")])
    with pytest.raises(InputError, match="no 'Last Updated: ...' footer") as err:
        parse_wdi_databank_zip(path)
    assert "abc_Data.csv" in str(err.value)


def test_databank_row_cut_short(tmp_path):
    text = databank_csv_text(DATABANK_ROWS, DATABANK_YEARS, "11/13/2024")
    path = databank_zip_with_text(tmp_path / "x.zip", text[: text.index("Viet Nam") + 12])
    with pytest.raises(InputError, match=r"row 5: record has 4 fields but the header has 8"):
        parse_wdi_databank_zip(path)


def test_databank_non_numeric_and_changed_header(tmp_path):
    rows = [DATABANK_ROWS[0][:4] + ({1990: "n.a."},)]
    path = databank_zip_with_text(tmp_path / "x.zip", databank_csv_text(rows, DATABANK_YEARS, "11/13/2024"))
    with pytest.raises(InputError, match=r"row 2, field '1990': non-numeric value 'n.a.'"):
        parse_wdi_databank_zip(path)
    text = databank_csv_text(DATABANK_ROWS, DATABANK_YEARS, "11/13/2024").replace("Series Code", "Code", 1)
    with pytest.raises(InputError, match="'Series Code'"):
        parse_wdi_databank_zip(databank_zip_with_text(tmp_path / "y.zip", text))


def test_databank_duplicate_row(tmp_path):
    rows = DATABANK_ROWS + [DATABANK_ROWS[0]]
    path = write_wdi_databank_zip(tmp_path / "x.zip", rows, DATABANK_YEARS)
    with pytest.raises(InputError, match="duplicate row for AFG IT.NET.USER.ZS 1990"):
        parse_wdi_databank_zip(path)


def test_databank_not_a_zip_or_html(tmp_path):
    plain = tmp_path / "x.zip"
    plain.write_text(databank_csv_text(DATABANK_ROWS, DATABANK_YEARS, "11/13/2024"))
    with pytest.raises(InputError, match="not a valid zip archive"):
        parse_wdi_databank_zip(plain)
    with pytest.raises(InputError, match="HTML page"):
        parse_wdi_databank_zip(write_html_page(tmp_path / "y.zip"))
    cut = truncate(write_wdi_databank_zip(tmp_path / "z.zip", DATABANK_ROWS, DATABANK_YEARS), keep=0.7)
    with pytest.raises(InputError, match="zip"):
        parse_wdi_databank_zip(cut)


# ---------------------------------------------------------------- API v2 JSON

API_OBS = [
    ("WLD", "World", 2023, 8.0e9),
    ("WLD", "World", 2022, 7.9e9),
    ("", "IDA only", 2023, 1.5e9),  # some aggregates have no ISO3 code
    ("USA", "United States", 2023, 334914895.0, "E"),
    ("USA", "United States", 2022, None),
]


def test_api_list_of_pages(tmp_path):
    path = write_wb_api_pages(tmp_path / "SP.POP.TOTL.json", "SP.POP.TOTL", "Population, total", API_OBS,
                              lastupdated="2026-07-01", per_page=2)
    assert len(json.loads(path.read_text())) == 3
    parsed = parse_wb_api_json(path)
    table = parsed.table
    assert parsed.vintage == "2026-07-01"
    assert len(table) == 4  # the null value is dropped
    assert value_of(table, "WLD", 2022) == 7.9e9
    assert value_of(table, "USA", 2023) == 334914895.0
    assert table.loc[table["country_code"] == "USA", "flags"].tolist() == ["E"]
    ida = table[table["country_name"] == "IDA only"]
    assert ida["country_code"].tolist() == [""] and ida["value"].tolist() == [1.5e9]
    assert set(table["series"]) == {"SP.POP.TOTL"}


def test_api_single_page(tmp_path):
    path = write_wb_api_pages(tmp_path / "x.json", "SP.POP.TOTL", "Population, total", API_OBS,
                              per_page=100, single_page=True)
    assert isinstance(json.loads(path.read_text())[0], dict)
    assert len(parse("wb_api_json", path).table) == 4


def test_api_error_payload_names_file_and_message(tmp_path):
    path = write_wb_api_error(tmp_path / "NOPE.json")
    with pytest.raises(InputError, match="Invalid value: The provided parameter value is not valid") as err:
        parse_wb_api_json(path)
    assert str(path) in str(err.value)


def test_api_missing_page_or_records(tmp_path):
    pages = wb_api_pages("SP.POP.TOTL", "Population, total", API_OBS, per_page=2)
    path = tmp_path / "x.json"
    path.write_text(json.dumps(pages[:2]))
    with pytest.raises(InputError, match=r"holds pages \[1, 2\] of 3"):
        parse_wb_api_json(path)
    pages[1][1].pop()
    path.write_text(json.dumps(pages))
    with pytest.raises(InputError, match="holds 4 records but the API reports total 5"):
        parse_wb_api_json(path)


def test_api_truncated_html_and_bad_records(tmp_path):
    path = truncate(write_wb_api_pages(tmp_path / "x.json", "A.B", "A", API_OBS), keep=0.8)
    with pytest.raises(InputError, match="not valid JSON"):
        parse_wb_api_json(path)
    with pytest.raises(InputError, match="HTML page"):
        parse_wb_api_json(write_html_page(tmp_path / "y.json"))
    path = write_wb_api_pages(tmp_path / "z.json", "A.B", "A", [("USA", "United States", 2023, "abc")])
    with pytest.raises(InputError, match=r"row 1, field 'value': non-numeric value 'abc'"):
        parse_wb_api_json(path)
    path = write_wb_api_pages(tmp_path / "m.json", "A.B", "A", [("USA", "United States", "2023M01", 1.0)])
    with pytest.raises(InputError, match="'2023M01' is not a calendar year"):
        parse_wb_api_json(path)
    pages = wb_api_pages("A.B", "A", API_OBS)
    del pages[0][1][2]["countryiso3code"]
    path.write_text(json.dumps(pages))
    with pytest.raises(InputError, match="record 3 lacks 'countryiso3code'"):
        parse_wb_api_json(path)


def test_api_duplicate_observation(tmp_path):
    path = write_wb_api_pages(tmp_path / "x.json", "A.B", "A", API_OBS + [("WLD", "World", 2023, 1.0)])
    with pytest.raises(InputError, match="duplicate row for WLD A.B 2023"):
        parse_wb_api_json(path)


# ---------------------------------------------------------------- country metadata

COUNTRIES = [
    ("USA", "United States", "North America", "High income"),
    ("VNM", "Viet Nam", "East Asia & Pacific", "Lower middle income"),
    ("WLD", "World", "", ""),
    ("HIC", "High income", "", ""),
]
EXPECTED_COUNTRIES = pd.DataFrame(
    [list(c) + ["economy" if c[2] else "aggregate"] for c in COUNTRIES],
    columns=["code", "name", "region", "income_group", "kind"])


@pytest.mark.parametrize("writer,name", [(write_wdi_country_metadata, "WDICountry.csv"),
                                         (write_metadata_country_csv, "Metadata_Country_API_X.csv"),
                                         (write_wb_api_country_list, "country.json")])
def test_country_metadata_layouts(tmp_path, writer, name):
    table = parse_wdi_country_metadata(writer(tmp_path / name, COUNTRIES))
    pd.testing.assert_frame_equal(table, EXPECTED_COUNTRIES)


def test_country_metadata_errors(tmp_path):
    path = write_wdi_country_metadata(tmp_path / "WDICountry.csv", COUNTRIES)
    path.write_text(path.read_text(encoding="utf-8-sig").replace("Income Group", "Income"), encoding="utf-8")
    with pytest.raises(InputError, match=r"header lacks \['Income Group'\]"):
        parse_wdi_country_metadata(path)
    path = write_metadata_country_csv(tmp_path / "Metadata_Country.csv", COUNTRIES + [COUNTRIES[0]])
    with pytest.raises(InputError, match="code 'USA' appears twice"):
        parse_wdi_country_metadata(path)
    with pytest.raises(InputError, match="HTML page"):
        parse_wdi_country_metadata(write_html_page(tmp_path / "c.csv"))
    cut = truncate(write_wb_api_country_list(tmp_path / "c.json", COUNTRIES), keep=0.5)
    with pytest.raises(InputError, match="not valid JSON"):
        parse_wdi_country_metadata(cut)


# ---------------------------------------------------------------- registry

def test_registry_names_and_unknown_format(tmp_path):
    assert {"wdi_csv", "wdi_excel", "wdi_databank", "wb_api_json", "itu_xls", "owid_csv"} <= set(PARSERS)
    path = write_owid_csv(tmp_path / "x.csv", "Thing", [("World", "OWID_WRL", 2020, 1.0)])
    with pytest.raises(InputError, match=r"unknown format 'csv' \(expected one of \[.*'owid_csv'.*\]\)"):
        parse("csv", path)
    assert value_of(parse("owid_csv", path).table, "OWID_WRL", 2020) == 1.0


# ---------------------------------------------------------------- real mirror files

INDICATOR_CSVS = [
    # file, vintage, series, (code, year, value), (code, year) with no observation
    ("API_SP.POP.TOTL_DS2_en_csv_v2_33112.csv", "2026-07-13", "SP.POP.TOTL", ("USA", 2009, 306771529), ("USA", 1959)),
    ("API_IT.NET.USER.ZS_DS2_en_csv_v2_33086.csv", "2026-07-13", "IT.NET.USER.ZS", ("CHN", 2009, 28.9), ("USA", 1960)),
    ("API_NE.TRD.GNFS.ZS_DS2_en_csv_v2_101.csv", "2026-04-08", "NE.TRD.GNFS.ZS", ("DEU", 2009, 66.1391275757126),
     ("ABW", 1960)),
    ("API_NY.GDP.MKTP.KD.ZG_DS2_en_csv_v2_260.csv", "2026-04-08", "NY.GDP.MKTP.KD.ZG",
     ("USA", 2009, -2.57650022958367), ("USA", 1960)),
    ("API_NY.GDP.MKTP.KD_DS2_en_csv_v2_279473.csv", "2024-05-30", "NY.GDP.MKTP.KD", ("CHN", 2009, 6827904909025.13),
     ("CHN", 2023)),
    ("API_NY.GDP.PCAP.KD_DS2_en_csv_v2_141.csv", "2025-12-19", "NY.GDP.PCAP.KD", ("VNM", 2020, 3303.16949807493),
     ("ABW", 1960)),
    ("API_IT.CEL.SETS.P2_DS2_en_csv_v2_4903391.csv", "2023-03-01", "IT.CEL.SETS.P2", ("USA", 2009, 88.90512135),
     ("USA", 1961)),
    ("API_TX.VAL.TECH.MF.ZS_DS2_en_csv_v2_4771883.csv", "2022-12-22", "TX.VAL.TECH.MF.ZS",
     ("CHN", 2010, 32.1236545637555), ("VNM", 2007)),
]


@pytest.mark.mirror
@pytest.mark.parametrize("name,vintage,series,known,absent", INDICATOR_CSVS, ids=[c[2] for c in INDICATOR_CSVS])
def test_mirror_indicator_csv(name, vintage, series, known, absent):
    parsed = parse_wdi_indicator_csv(mirror_file("wdi", name))
    table = parsed.table
    assert parsed.vintage == vintage
    assert set(table["series"]) == {series}
    assert math.isclose(value_of(table, known[0], known[1]), known[2], rel_tol=1e-12)
    assert table[(table["country_code"] == absent[0]) & (table["year"] == absent[1])].empty
    assert {"WLD", "USA", "DEU"} <= set(table["country_code"])


@pytest.mark.mirror
def test_mirror_indicator_excel_manufacturing_constant():
    parsed = parse_wdi_indicator_excel(mirror_file("wdi", "API_NV.IND.MANF.KD_DS2_en_excel_v2_5457823.xls"))
    table = parsed.table
    assert parsed.vintage == "2023-05-10"
    assert math.isclose(value_of(table, "USA", 2009), 1898168357999.9998, rel_tol=1e-12)
    assert math.isclose(value_of(table, "DEU", 2009), 508367700260.33954, rel_tol=1e-12)
    # WDI publishes constant-price manufacturing for China only in the base year 2015 in this vintage
    assert table.loc[table["country_code"] == "CHN", "year"].tolist() == [2015]
    assert table["year"].max() == 2021


@pytest.mark.mirror
def test_mirror_indicator_excel_manufacturing_share():
    parsed = parse_wdi_indicator_excel(mirror_file("wdi", "API_NV.IND.MANF.ZS_DS2_en_excel_v2_10474606.xls"))
    assert parsed.vintage == "2019-01-30"
    assert math.isclose(value_of(parsed.table, "USA", 2009), 11.821807281482798, rel_tol=1e-12)
    assert parsed.table["year"].max() == 2017


@pytest.mark.mirror
def test_mirror_databank_extract():
    parsed = parse_wdi_databank_zip(mirror_file("wdi", "P_Data_Extract_From_World_Development_Indicators.zip"))
    table = parsed.table
    assert parsed.vintage == "2024-11-13"
    assert set(table["series"]) == {"IT.NET.USER.ZS", "IT.NET.SECR.P6", "TX.VAL.ICTG.ZS.UN", "TM.VAL.ICTG.ZS.UN",
                                    "BX.GSR.CCIS.ZS"}
    assert set(table["year"]) == {1990, 2000, *range(2014, 2024)}
    assert value_of(table, "USA", 2020, "IT.NET.USER.ZS") == 96.5768
    assert value_of(table, "WLD", 2023, "BX.GSR.CCIS.ZS") == 14.7375050243162
    assert table[(table["country_code"] == "VNM") & (table["series"] == "BX.GSR.CCIS.ZS")].empty
    assert "Bahamas, The" in set(table["country_name"])


@pytest.mark.mirror
def test_mirror_country_metadata():
    wdi = parse_wdi_country_metadata(mirror_file("wdi", "WDICountry.csv"))
    assert len(wdi) == 264 and (wdi["kind"] == "aggregate").sum() == 47
    usa = wdi.set_index("code").loc["USA"]
    assert (usa["name"], usa["region"], usa["income_group"], usa["kind"]) == (
        "United States", "North America", "High income", "economy")
    assert wdi.set_index("code").loc["WLD", "kind"] == "aggregate"
    meta = parse_wdi_country_metadata(
        mirror_file("wdi", "Metadata_Country_API_IT.NET.USER.ZS_DS2_en_csv_v2_1228.csv")).set_index("code")
    assert len(meta) == 265
    assert meta.loc["VNM", "income_group"] == "Lower middle income"
    assert meta.loc["HIC", "kind"] == "aggregate"
