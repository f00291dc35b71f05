"""Risk-index parsers (GPR .xls, EPU and WUI .xlsx) on synthetic files in the publishers' exact layouts."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from resilience.context.risk.checks import RISK_FORMATS
from resilience.errors import InputError
from resilience.sources.parsers.risk import RISK_COLUMNS, RISK_PARSERS, parse_risk_file
from tests.sources.synthetic_risk_files import (
    months, quarters, write_epu_china_xlsx, write_epu_global_xlsx, write_epu_us_xlsx, write_gpr_daily_xls,
    write_gpr_monthly_xls, write_wui_monthly_xlsx, write_wui_quarterly_xlsx,
)


def value(table, series, iso3, period):
    rows = table[(table["series"] == series) & (table["iso3"] == iso3) & (table["period"] == period)]
    assert len(rows) == 1, f"{series} {iso3} {period}: {len(rows)} rows"
    return rows.iloc[0]["value"]


def test_registry_matches_the_config_check():
    assert sorted(RISK_PARSERS) == sorted(RISK_FORMATS)


# ------------------------------------------------------------------------------------ GPR monthly

MONTHS = months((1984, 11), (1985, 2))


def gpr_monthly(tmp_path, **kwargs):
    recent = {d: v for d, v in zip(MONTHS[2:], [120.5, 98.25])}  # GPR starts in 1985, empty before
    global_values = {"GPR": recent, "GPRH": dict(zip(MONTHS, [80.0, 81.5, 90.0, 70.0])),
                     "SHARE_GPR": dict(zip(MONTHS[2:], [3.1, 2.9]))}
    countries = {("GPRC", "CHN"): dict(zip(MONTHS[2:], [0.5, 0.75])), ("GPRHC", "CHN"): dict(zip(MONTHS, [1, 2, 3, 4])),
                 ("GPRC", "USA"): dict(zip(MONTHS[2:], [2.0, 0.0])), ("GPRHC", "USA"): {}}
    return write_gpr_monthly_xls(tmp_path / "data_gpr_export.xls", MONTHS, global_values, countries, **kwargs)


def test_gpr_monthly_global_and_country_series(tmp_path):
    table = parse_risk_file("gpr_monthly_xls", gpr_monthly(tmp_path))
    assert list(table.columns) == RISK_COLUMNS
    assert set(table["frequency"]) == {"M"}
    assert value(table, "GPR", "WLD", "1985-01") == 120.5
    assert value(table, "GPR", "WLD", "1985-02") == 98.25
    assert not ((table["series"] == "GPR") & (table["period"] < "1985-01")).any()  # empty, not zero
    assert value(table, "GPRH", "WLD", "1984-11") == 80.0
    assert value(table, "GPRC", "CHN", "1985-02") == 0.75
    assert value(table, "GPRC", "USA", "1985-02") == 0.0  # a published zero stays a zero
    assert value(table, "GPRHC", "CHN", "1984-12") == 2.0
    # shares and word counts are not index series; the legend columns are not data
    assert set(table["series"]) == {"GPR", "GPRH", "GPRC", "GPRHC"}
    row = table[(table["series"] == "GPR") & (table["period"] == "1985-01")].iloc[0]
    assert row["date"] == pd.Timestamp("1985-01-01")


def test_gpr_monthly_text_in_a_number_cell_names_row_and_column(tmp_path):
    path = gpr_monthly(tmp_path, text_cells={(3, "GPRC_CHN"): "n.a."})
    with pytest.raises(InputError, match=r"row 4, field 'GPRC_CHN'.*non-numeric value 'n.a.'"):
        parse_risk_file("gpr_monthly_xls", path)


def test_gpr_monthly_renamed_header_is_an_error(tmp_path):
    header = ["month", "GPR_INDEX", "GPRH", "GPRC_CHN", "var_name", "var_label"]
    path = gpr_monthly(tmp_path, header_override=header)
    with pytest.raises(InputError, match="header has no column 'GPR'"):
        parse_risk_file("gpr_monthly_xls", path)


def test_gpr_monthly_without_country_columns_is_an_error(tmp_path):
    path = gpr_monthly(tmp_path, header_override=["month", "GPR", "GPRH", "var_name", "var_label"])
    with pytest.raises(InputError, match="no country column GPRC_"):
        parse_risk_file("gpr_monthly_xls", path)


def test_gpr_monthly_text_in_the_month_column(tmp_path):
    path = gpr_monthly(tmp_path, text_cells={(2, "month"): "1984m12"})
    with pytest.raises(InputError, match=r"row 3, field 'month'.*not a date"):
        parse_risk_file("gpr_monthly_xls", path)


def test_missing_sheet_and_html_page(tmp_path):
    import xlwt
    book = xlwt.Workbook()
    book.add_sheet("Data").write(0, 0, "month")
    book.save(str(tmp_path / "other.xls"))
    with pytest.raises(InputError, match="has no sheet 'Sheet1'"):
        parse_risk_file("gpr_monthly_xls", tmp_path / "other.xls")
    page = tmp_path / "data_gpr_export.xls"
    page.write_text("<!DOCTYPE html><html><title>Not found</title></html>")
    with pytest.raises(InputError, match="HTML page"):
        parse_risk_file("gpr_monthly_xls", page)


# ------------------------------------------------------------------------------------ GPR daily


def test_gpr_daily(tmp_path):
    days = {date(2022, 2, 24): {"GPRD": 540.75, "GPRD_ACT": 600.0, "GPRD_THREAT": 400.0, "GPRD_MA7": 300.0,
                                "GPRD_MA30": 200.5},
            date(2022, 2, 25): {"GPRD": 410.0}}
    path = write_gpr_daily_xls(tmp_path / "data_gpr_daily_recent.xls", days, {date(2022, 2, 24): "Russia invades"})
    table = parse_risk_file("gpr_daily_xls", path)
    assert set(table["frequency"]) == {"D"} and set(table["iso3"]) == {"WLD"}
    assert value(table, "GPRD", "WLD", "2022-02-24") == 540.75
    assert value(table, "GPRD_MA30", "WLD", "2022-02-24") == 200.5
    assert value(table, "GPRD", "WLD", "2022-02-25") == 410.0
    assert set(table["series"]) == {"GPRD", "GPRD_ACT", "GPRD_THREAT", "GPRD_MA7", "GPRD_MA30"}


# ------------------------------------------------------------------------------------ EPU


def test_epu_global_stops_at_the_blank_row_and_citation(tmp_path):
    path = write_epu_global_xlsx(tmp_path / "g.xlsx", [(1997, 1, 77.5, 80.25), (1997, 2, 79.0, 82.0)])
    table = parse_risk_file("epu_global_xlsx", path)
    assert len(table) == 4 and set(table["iso3"]) == {"WLD"}
    assert value(table, "GEPU_current", "WLD", "1997-02") == 79.0
    assert value(table, "GEPU_ppp", "WLD", "1997-01") == 80.25


def test_epu_global_changed_header(tmp_path):
    path = write_epu_global_xlsx(tmp_path / "g.xlsx", [(1997, 1, 77.5, 80.25)],
                                 header=["Year", "Month", "GEPU", "GEPU_ppp"])
    with pytest.raises(InputError, match=r"row 1, field 'GEPU_current'"):
        parse_risk_file("epu_global_xlsx", path)


def test_epu_us_text_years_newest_first(tmp_path):
    rows = [(2025, 9, 321.25), (2025, 10, 282.5), (1900, 1, 139.9)]
    path = write_epu_us_xlsx(tmp_path / "us.xlsx", rows, legacy=[(1985, 1, 125.0, 103.0, 94.0, 204.0, 13.0)])
    table = parse_risk_file("epu_us_xlsx", path)
    assert set(table["iso3"]) == {"USA"} and set(table["series"]) == {"News_Based_Policy_Uncert_Index"}
    assert list(table["period"]) == ["1900-01", "2025-09", "2025-10"]  # sorted oldest first
    assert value(table, "News_Based_Policy_Uncert_Index", "USA", "2025-10") == 282.5


def test_epu_china_non_numeric_value_and_month(tmp_path):
    good = write_epu_china_xlsx(tmp_path / "cn.xlsx", [(1995, 1, 192.9), (1995, 2, 194.0)])
    assert value(parse_risk_file("epu_china_xlsx", good), "China News-Based EPU", "CHN", "1995-02") == 194.0
    bad = write_epu_china_xlsx(tmp_path / "cn2.xlsx", [(1995, 1, 192.9), (1995, 2, "--")])
    with pytest.raises(InputError, match=r"cell C3: non-numeric value '--'"):
        parse_risk_file("epu_china_xlsx", bad)
    bad_month = write_epu_china_xlsx(tmp_path / "cn3.xlsx", [(1995, 13, 1.0)])
    with pytest.raises(InputError, match=r"row 2, field 'month'.*not a month"):
        parse_risk_file("epu_china_xlsx", bad_month)


def test_epu_data_below_the_citation_is_an_error(tmp_path):
    import openpyxl
    path = write_epu_china_xlsx(tmp_path / "cn.xlsx", [(1995, 1, 192.9)])
    book = openpyxl.load_workbook(path)
    book["China EPU Index"].append(["1995", 2, 5.0])
    book.save(path)
    with pytest.raises(InputError, match="data below the blank or note row"):
        parse_risk_file("epu_china_xlsx", path)


# ------------------------------------------------------------------------------------ WUI


PERIODS = quarters(2023, (2024, 1))


def wui_quarterly(tmp_path, **kwargs):
    aggregates = {"Global (simple average)": dict(zip(PERIODS, [9411.2, 9267.3, 13230.9, 10000.0, 12000.5])),
                  "Global (GDP weighted average)": dict(zip(PERIODS, [12496.47, 8769.97, 16198.83, 1.0, 48145.7])),
                  "Africa": dict(zip(PERIODS, [5460.4, 1, 2, 3, 4]))}
    countries = {"AFG": {p: 0 for p in PERIODS}, "ARG": dict(zip(PERIODS, [0.42, 0, 0.25, 0.125, 0.5])),
                 "ZWE": {"2023q3": 0.3}}
    return write_wui_quarterly_xlsx(tmp_path / "WUI_Data.xlsx", aggregates, countries, PERIODS, **kwargs)


def test_wui_quarterly_countries_and_aggregates(tmp_path):
    table = parse_risk_file("wui_quarterly_xlsx", wui_quarterly(tmp_path))
    assert set(table["frequency"]) == {"Q"}
    assert value(table, "WUI", "ARG", "2023Q3") == 0.25
    assert value(table, "WUI", "AFG", "2024Q1") == 0.0
    assert value(table, "WUI", "ZWE", "2023Q3") == 0.3
    assert len(table[(table["series"] == "WUI") & (table["iso3"] == "ZWE")]) == 1  # empty cells left out
    assert value(table, "Global (GDP weighted average)", "WLD", "2024Q1") == 48145.7
    assert value(table, "Africa", "", "2023Q1") == 5460.4
    row = table[(table["iso3"] == "ARG") & (table["period"] == "2023Q4")].iloc[0]
    assert row["date"] == pd.Timestamp("2023-10-01")


def test_wui_quarterly_missing_country_sheet(tmp_path):
    with pytest.raises(InputError, match="has no sheet 'T2'"):
        parse_risk_file("wui_quarterly_xlsx", wui_quarterly(tmp_path, t2_name="T2b"))


def test_wui_quarterly_value_under_an_empty_header(tmp_path):
    with pytest.raises(InputError, match=r"cell M3: value 7 under an empty header"):
        parse_risk_file("wui_quarterly_xlsx", wui_quarterly(tmp_path, stray=(3, 13, 7)))


def test_wui_quarterly_bad_quarter(tmp_path):
    import openpyxl
    path = wui_quarterly(tmp_path)
    book = openpyxl.load_workbook(path)
    book["T2"]["A3"] = "2023-Q2"
    book.save(path)
    with pytest.raises(InputError, match=r"sheet 'T2'.*row 3, field 'year'|row 3, field 'year'.*2023-Q2"):
        parse_risk_file("wui_quarterly_xlsx", path)


def test_wui_monthly(tmp_path):
    month_list = months((2008, 1), (2008, 3))
    countries = {"AGO": dict(zip(month_list, [0, 0.2, 0.1])), "VNM": dict(zip(month_list, [0.5, 0.25, 0.75]))}
    world = dict(zip(month_list, [17245.12, 18000.0, 19000.5]))
    table = parse_risk_file("wui_monthly_xlsx", write_wui_monthly_xlsx(tmp_path / "WUI_M.xlsx", countries, world,
                                                                        month_list))
    assert value(table, "WUI", "VNM", "2008-03") == 0.75
    assert value(table, "WUI", "AGO", "2008-01") == 0.0
    assert value(table, "WUI, GDP weighted average", "WLD", "2008-01") == 17245.12
    assert set(table["frequency"]) == {"M"} and len(table) == 9


def test_xlsx_is_judged_by_content_not_by_file_name(tmp_path):
    path = write_epu_china_xlsx(tmp_path / "cn.xlsx", [(1995, 1, 192.9)])
    renamed = path.rename(tmp_path / "epu_china")  # e.g. saved under the dataset id
    assert value(parse_risk_file("epu_china_xlsx", renamed), "China News-Based EPU", "CHN", "1995-01") == 192.9
    (tmp_path / "not.xlsx").write_bytes(b"Year,Month\n1995,1\n")
    with pytest.raises(InputError, match="not an .xlsx workbook"):
        parse_risk_file("epu_china_xlsx", tmp_path / "not.xlsx")


def test_unknown_format(tmp_path):
    with pytest.raises(InputError, match="unknown risk-index format"):
        parse_risk_file("gpr_csv", tmp_path / "x")
