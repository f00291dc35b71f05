"""Trade parsers on synthetic files in the publishers' exact formats (tests/sources/synthetic_trade_files.py)."""

from __future__ import annotations

import json

import pytest

import synthetic_trade_files as stf
from synthetic import MIRROR_DIR
from tests.real_mirror import require_mirror
from resilience.errors import InputError
from resilience.sources.parsers.trade import (
    TRADE_COLUMNS, parse_census_api_json, parse_census_country_xlsx, parse_comtrade_csv, parse_comtrade_json,
    parse_trade,
)

ZEROS = [0.0] * 12


def _months(start: float, step: float = 1.0) -> list[float]:
    return [round(start + step * k, 6) for k in range(12)]


def _workbook(tmp_path, rows=None, **kwargs):
    rows = rows if rows is not None else [
        stf.census_row(2022, "5700", "China", _months(100.5), _months(20.25)),
        stf.census_row(2022, "0015", "World, Not Seasonally Adjusted", _months(900.0, 2), _months(300.0)),
        # The latest vintage's year: only January published, the other months 0 for every partner.
        stf.census_row(2023, "5700", "China", [38.5] + [0.0] * 11, [13.0] + [0.0] * 11),
        stf.census_row(2023, "0015", "World, Not Seasonally Adjusted", [254.0] + [0.0] * 11, [165.5] + [0.0] * 11),
        # A partner with no trade in a published month stays a zero.
        stf.census_row(2023, "8500", "International Organizations", ZEROS, ZEROS),
    ]
    return stf.write_census_workbook(tmp_path / "country.xlsx", rows, **kwargs)


# ---------------------------------------------------------------- Census workbook

def test_census_workbook_months_in_dollars_and_unpublished_months_dropped(tmp_path):
    table = parse_census_country_xlsx(_workbook(tmp_path))
    assert list(table.columns) == TRADE_COLUMNS
    china_m = table[(table["partner_code"] == "5700") & (table["flow"] == "M")]
    assert china_m[china_m["year"] == 2022]["month"].tolist() == list(range(1, 13))
    assert china_m.set_index(["year", "month"]).at[(2022, 3), "value_usd"] == pytest.approx(102.5e6)
    # 2023: January only (months 2..12 are 0 for every partner, i.e. not yet published)
    assert china_m[china_m["year"] == 2023]["month"].tolist() == [1]
    assert china_m[china_m["year"] == 2023]["value_usd"].iloc[0] == pytest.approx(38.5e6)
    org = table[table["partner_code"] == "8500"]
    assert org["month"].tolist() == [1, 1] and (org["value_usd"] == 0).all()
    exports = table[(table["partner_code"] == "0015") & (table["flow"] == "X") & (table["year"] == 2022)]
    assert exports["value_usd"].sum() == pytest.approx((12 * 300 + 66) * 1e6)  # 300, 301, ..., 311
    assert set(table["reporter"]) == {"USA"} and set(table["commodity"]) == {"TOTAL"}


def test_census_workbook_numeric_code_cell_is_padded(tmp_path):
    row = stf.census_row(2022, "15", "World", _months(1.0), _months(1.0))
    row[1] = 15  # a re-saved file turns the text cell '0015' into the number 15
    table = parse_census_country_xlsx(_workbook(tmp_path, [row]))
    assert set(table["partner_code"]) == {"0015"}


def test_census_workbook_year_total_must_equal_its_months(tmp_path):
    row = stf.census_row(2022, "5700", "China", _months(100.0), _months(20.0))
    row[15] += 1.0  # IYR
    with pytest.raises(InputError, match=r"row 2, field 'IYR'.*months sum"):
        parse_census_country_xlsx(_workbook(tmp_path, [row]))


def test_census_workbook_wrong_sheet_or_header(tmp_path):
    rows = [stf.census_row(2022, "5700", "China", _months(1.0), _months(1.0))]
    with pytest.raises(InputError, match="no sheet 'country'"):
        parse_census_country_xlsx(_workbook(tmp_path, rows, sheet="Sheet1"))
    header = list(stf.CENSUS_HEADER)
    header[15] = "ITOTAL"
    with pytest.raises(InputError, match="field 'IYR'"):
        parse_census_country_xlsx(_workbook(tmp_path, rows, header=header))


def test_census_workbook_non_numeric_cell_names_row_and_field(tmp_path):
    row = stf.census_row(2022, "5700", "China", _months(1.0), _months(1.0))
    row[5] = "(D)"
    with pytest.raises(InputError, match=r"row 2, field 'IMAR'"):
        parse_census_country_xlsx(_workbook(tmp_path, [row]))


def test_census_workbook_truncated_file(tmp_path):
    path = _workbook(tmp_path)
    path.write_bytes(path.read_bytes()[:300])
    with pytest.raises(InputError, match="xlsx workbook"):
        parse_census_country_xlsx(path)


# ---------------------------------------------------------------- Comtrade CSV export

def _records():
    return [
        stf.comtrade_record("USA", "M", 156, "CHN", "China", 2017, 525764714470),
        stf.comtrade_record("USA", "X", 156, "CHN", "China", 2017, 129797515346),
        stf.comtrade_record("USA", "M", 384, "CIV", "Côte d'Ivoire", 2017, 1234567.5),
        stf.comtrade_record("USA", "M", 0, "W00", "World", 2017, 2.4e12),
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "latin-1"])
def test_comtrade_csv_export_with_trailing_commas(tmp_path, encoding):
    path = stf.write_comtrade_csv(tmp_path / "TradeData.csv", _records(), encoding=encoding)
    raw = path.read_bytes()
    assert raw.endswith(b'"false",\r\n') and raw.startswith(b"typeCode,freqCode")
    table = parse_comtrade_csv(path)
    assert len(table) == 4
    row = table[(table["partner_code"] == "156") & (table["flow"] == "M")].iloc[0]
    assert (row["reporter"], row["year"], row["month"], row["commodity"]) == ("USA", 2017, 0, "TOTAL")
    assert row["value_usd"] == 525764714470.0
    civ = table[table["partner_code"] == "384"].iloc[0]
    assert civ["partner_name"] == "Côte d'Ivoire" and civ["value_usd"] == 1234567.5
    assert "0" in set(table["partner_code"])


def test_comtrade_csv_breakdown_rows_are_left_out(tmp_path):
    records = _records() + [stf.comtrade_record("USA", "M", 156, "CHN", "China", 2017, 1e9, customs="C01"),
                            stf.comtrade_record("USA", "M", 156, "CHN", "China", 2017, 2e9, mot=1000)]
    table = parse_comtrade_csv(stf.write_comtrade_csv(tmp_path / "t.csv", records))
    assert len(table) == 4
    assert table[(table["partner_code"] == "156") & (table["flow"] == "M")]["value_usd"].tolist() == [525764714470.0]


def test_comtrade_csv_cut_record_names_its_line(tmp_path):
    text = stf.comtrade_csv_text(_records())
    lines = text.split("\r\n")
    lines[2] = lines[2][: len(lines[2]) // 2].rsplit(",", 1)[0]
    path = tmp_path / "cut.csv"
    path.write_text("\r\n".join(lines), encoding="utf-8")
    with pytest.raises(InputError, match=r"row 3.*fields"):
        parse_comtrade_csv(path)


def test_comtrade_csv_missing_column_and_duplicates(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(stf.comtrade_csv_text(_records()).replace("primaryValue", "tradeValue", 1), encoding="utf-8")
    with pytest.raises(InputError, match="field 'primaryValue'"):
        parse_comtrade_csv(path)
    twice = stf.write_comtrade_csv(tmp_path / "twice.csv", _records() + _records()[:1])
    with pytest.raises(InputError, match=r"row 6.*repeats USA M partner 156"):
        parse_comtrade_csv(twice)


# ---------------------------------------------------------------- Comtrade API JSON

def test_comtrade_api_reply(tmp_path):
    records = [stf.comtrade_record("USA", "M", 156, "CHN", "China", 2024, 4.6e11, cmd="85", cmd_desc="Electrical"),
               stf.comtrade_record("USA", "M", 0, "W00", "World", 2024, 3.3e12, cmd="85", cmd_desc="Electrical"),
               stf.comtrade_record("USA", "M", 156, "CHN", "China", 2024, 5e9, cmd="85", month=3)]
    table = parse_comtrade_json(stf.write_comtrade_json(tmp_path / "r.json", records))
    assert table[["partner_code", "month", "commodity"]].values.tolist() == [["0", 0, "85"], ["156", 0, "85"],
                                                                             ["156", 3, "85"]]
    assert table["value_usd"].tolist() == [3.3e12, 4.6e11, 5e9]


def test_comtrade_api_partial_or_error_reply_is_refused(tmp_path):
    records = [stf.comtrade_record("USA", "M", 156, "CHN", "China", 2024, 1.0)]
    with pytest.raises(InputError, match="1 of 501 records"):
        parse_comtrade_json(stf.write_comtrade_json(tmp_path / "a.json", records, count=501))
    with pytest.raises(InputError, match="error: Invalid period"):
        parse_comtrade_json(stf.write_comtrade_json(tmp_path / "b.json", [], error="Invalid period"))
    no_desc = dict(records[0], reporterISO=None)
    with pytest.raises(InputError, match="includeDesc=true"):
        parse_comtrade_json(stf.write_comtrade_json(tmp_path / "c.json", [no_desc]))
    (tmp_path / "d.json").write_text('{"count": 1, "data": [', encoding="utf-8")
    with pytest.raises(InputError, match="not valid JSON"):
        parse_comtrade_json(tmp_path / "d.json")


def test_comtrade_api_empty_reply_is_an_empty_table(tmp_path):
    table = parse_comtrade_json(stf.write_comtrade_json(tmp_path / "e.json", []))
    assert table.empty and list(table.columns) == TRADE_COLUMNS


# ---------------------------------------------------------------- Census API JSON

def test_census_api_monthly_reply(tmp_path):
    path = stf.write_census_api_json(tmp_path / "m.json", ["CTY_CODE", "CTY_NAME", "GEN_VAL_MO", "time"], [
        ["5700", "CHINA", "38252860493", "2023-01"],
        ["-", "TOTAL FOR ALL COUNTRIES", "254350333045", "2023-01"],
        ["2010", "MEXICO", "37000000000", "2023-02"],
    ])
    assert path.read_text().startswith('[["CTY_CODE", "CTY_NAME", "GEN_VAL_MO", "time"],\n["5700"')
    table = parse_census_api_json(path)
    assert table[["partner_code", "year", "month", "commodity"]].values.tolist() == [
        ["-", 2023, 1, "TOTAL"], ["2010", 2023, 2, "TOTAL"], ["5700", 2023, 1, "TOTAL"]]
    assert table["value_usd"].tolist() == [254350333045.0, 37e9, 38252860493.0]


def test_census_api_hs2_year_to_december_is_annual(tmp_path):
    header = ["CTY_CODE", "CTY_NAME", "I_COMMODITY", "GEN_VAL_YR", "COMM_LVL", "time"]
    path = stf.write_census_api_json(tmp_path / "h.json", header, [
        ["5700", "CHINA", "85", "150000000000", "HS2", "2017-12"],
        ["-", "TOTAL FOR ALL COUNTRIES", "85", "400000000000", "HS2", "2017-12"],
    ])
    table = parse_trade("census_api_json", path)
    assert table["month"].tolist() == [0, 0] and table["commodity"].tolist() == ["85", "85"]
    june = stf.write_census_api_json(tmp_path / "j.json", header, [["5700", "CHINA", "85", "1", "HS2", "2017-06"]])
    with pytest.raises(InputError, match="year-to-date"):
        parse_census_api_json(june)


def test_census_api_bad_replies(tmp_path):
    bad_value = stf.write_census_api_json(tmp_path / "v.json", ["CTY_CODE", "GEN_VAL_MO", "time"],
                                          [["5700", "n/a", "2023-01"]])
    with pytest.raises(InputError, match=r"row 2, field 'GEN_VAL_MO'"):
        parse_census_api_json(bad_value)
    no_time = stf.write_census_api_json(tmp_path / "t.json", ["CTY_CODE", "GEN_VAL_MO"], [["5700", "1"]])
    with pytest.raises(InputError, match="field 'time'"):
        parse_census_api_json(no_time)
    (tmp_path / "o.json").write_text(json.dumps({"error": "unknown variable"}), encoding="utf-8")
    with pytest.raises(InputError, match="array of arrays"):
        parse_census_api_json(tmp_path / "o.json")
    with pytest.raises(InputError, match="unknown trade format"):
        parse_trade("census_csv", tmp_path / "o.json")


# ---------------------------------------------------------------- the real mirror (read only)

TRADE_MIRROR = MIRROR_DIR / "us-trade"


@pytest.mark.mirror
def test_real_mirror_files_parse_to_the_documented_values():
    require_mirror(TRADE_MIRROR)
    census = parse_census_country_xlsx(TRADE_MIRROR / "census_country_2023-03.xlsx")
    china = census[(census["partner_code"] == "5700") & (census["flow"] == "M")]
    # PROVENANCE.md: imports from China 505,165.1 (2017) and 536,754.1 (2022) $ million
    assert china[china["year"] == 2017]["value_usd"].sum() == pytest.approx(505165.098057e6)
    assert china[china["year"] == 2022]["value_usd"].sum() == pytest.approx(536754.0916960001e6)
    assert china["year"].max() == 2023 and china[china["year"] == 2023]["month"].tolist() == [1]
    partners = parse_comtrade_csv(TRADE_MIRROR / "TradeData.csv")
    us = partners[(partners["reporter"] == "USA") & (partners["flow"] == "M")].set_index("partner_code")["value_usd"]
    assert us["699"] == 90991853182.0 and us["704"] == 135876540954.0 and us["0"] == 3372902165775.0


def test_census_workbook_zeros_after_the_last_reported_month_are_not_yet_reported(tmp_path):
    # As the 2024-10 vintage: data through 2024-08, 2024-09..12 are 0 for every partner. A partner's
    # zero in a reported month (Viet Nam, May 2024) is a published zero; exports end a month earlier.
    china = [400.0 + k for k in range(8)] + [0.0] * 4
    vietnam = [10.0, 11.0, 12.0, 13.0, 0.0, 15.0, 16.0, 17.0] + [0.0] * 4
    exports = [30.0] * 7 + [0.0] * 5
    rows = [stf.census_row(2024, "5700", "China", china, exports),
            stf.census_row(2024, "5520", "Vietnam", vietnam, ZEROS)]
    table = parse_census_country_xlsx(_workbook(tmp_path, rows))
    imports = table[table["flow"] == "M"].set_index(["partner_code", "month"])["value_usd"]
    assert sorted(set(imports.index.get_level_values("month"))) == list(range(1, 9))
    assert imports[("5520", 5)] == 0.0 and imports[("5700", 8)] == pytest.approx(407e6)
    exports_months = table[table["flow"] == "X"]["month"]
    assert exports_months.max() == 7 and len(exports_months) == 14   # both partners, Jan-Jul
