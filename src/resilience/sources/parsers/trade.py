"""Parsers of the trade sources: the Census "Trade in Goods by Country" workbook, UN Comtrade CSV
exports and API replies, and Census international trade API replies.

They do not go through the country ``clean_source`` rule (their identities are trade partner
codes, not economies of the panel): each returns one long *trade table* with :data:`TRADE_COLUMNS`

- ``reporter``      ISO3 of the reporting economy (the Census files are all ``USA``)
- ``flow``          ``M`` imports, ``X`` exports (Comtrade also ``RM``/``RX``, kept as published)
- ``partner_code``  the publisher's partner code as text: Census Schedule C (``5700`` China,
                    ``0015`` World in the workbook, ``-`` all countries in the API), Comtrade's
                    numeric code (``156`` China, ``0`` World)
- ``partner_name``  as published
- ``year``, ``month``  ``month`` 0 for an annual value, 1-12 for a month
- ``commodity``     ``TOTAL`` (all commodities) or the HS code (``85`` for a chapter)
- ``value_usd``     US dollars (the workbook's millions are converted)

Bad input raises :class:`resilience.errors.InputError` naming the file, row and field.
"""

from __future__ import annotations

import csv
import io
import json
import math
import zipfile
from collections.abc import Callable

import pandas as pd

from resilience.errors import InputError
from resilience.sources.parsers._common import dispatch, read_bytes, reject_html

TRADE_COLUMNS = ["reporter", "flow", "partner_code", "partner_name", "year", "month", "commodity", "value_usd"]
KEY_COLUMNS = ["reporter", "flow", "partner_code", "year", "month", "commodity"]

MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
CENSUS_SHEET = "country"
CENSUS_HEADER = (["year", "CTY_CODE", "CTYNAME"] + [f"I{m}" for m in MONTHS] + ["IYR"]
                 + [f"E{m}" for m in MONTHS] + ["EYR"])
CENSUS_FLOWS = {"I": "M", "E": "X"}
# The workbook's IYR/EYR are the sums of the months as stored (to float rounding).
CENSUS_TOTAL_TOLERANCE = 0.05
MILLION = 1e6

COMTRADE_REQUIRED = ["freqCode", "refYear", "refMonth", "reporterISO", "flowCode", "partnerCode", "partnerDesc",
                     "cmdCode", "primaryValue"]
# Breakdown columns: a total row has these values (all procedures, all transport, no second partner).
COMTRADE_TOTALS = {"customsCode": "C00", "motCode": "0", "partner2Code": "0"}

CENSUS_API_VALUES = {"GEN_VAL_MO": False, "CON_VAL_MO": False, "GEN_VAL_YR": True, "CON_VAL_YR": True}


def empty_trade() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="int64" if c in ("year", "month") else
                                      "float64" if c == "value_usd" else "object") for c in TRADE_COLUMNS})


def _finish(path, rows: list[dict], lines: list[int]) -> pd.DataFrame:
    """TRADE_COLUMNS with fixed types, sorted; a repeated key names the row that repeats it."""
    if not rows:
        return empty_trade()
    table = pd.DataFrame(rows, columns=TRADE_COLUMNS)
    table["year"] = table["year"].astype("int64")
    table["month"] = table["month"].astype("int64")
    table["value_usd"] = table["value_usd"].astype("float64")
    dup = table.duplicated(KEY_COLUMNS, keep="first")
    if dup.any():
        i = int(dup.to_numpy().argmax())
        r = table.iloc[i]
        raise InputError(path, f"repeats {r['reporter']} {r['flow']} partner {r['partner_code']} {r['commodity']} "
                         f"{r['year']}-{r['month']:02d}", row=lines[i],
                         expected="one value per reporter x flow x partner x commodity x period")
    return table.sort_values(KEY_COLUMNS, kind="stable").reset_index(drop=True)


def _number(path, text, *, row, field) -> float:
    try:
        value = float(str(text).strip())
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise InputError(path, f"non-numeric value {text!r}", row=row, field=field, expected="a number")
    return value


def _whole(path, text, *, row, field, low: int, high: int) -> int:
    value = _number(path, text, row=row, field=field)
    if not value.is_integer() or not low <= value <= high:
        raise InputError(path, f"{text!r} is not a whole number in {low}..{high}", row=row, field=field,
                         expected=f"an integer {low}..{high}")
    return int(value)


# ---------------------------------------------------------------------------------------------
# Census "U.S. Trade in Goods by Country" (country.xlsx)


def _read_census_sheet(path, data: bytes) -> list[tuple]:
    import openpyxl  # noqa: PLC0415 (only this parser needs it)

    reject_html(path, data)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InputError(path, f"cannot be read as an .xlsx workbook ({type(exc).__name__}: {exc}); it may be "
                         "truncated or another format", expected="the Census country.xlsx workbook") from exc
    try:
        if CENSUS_SHEET not in book.sheetnames:
            raise InputError(path, f"has no sheet {CENSUS_SHEET!r} (sheets: {book.sheetnames})", field=CENSUS_SHEET,
                             expected=f"a sheet named {CENSUS_SHEET!r}")
        return list(book[CENSUS_SHEET].iter_rows(values_only=True))
    finally:
        book.close()


def _census_code(path, value, *, row) -> str:
    """'5700' as stored (a text cell); a numeric cell (a re-saved file) is padded back to 4 digits."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        return f"{int(value):04d}"
    text = "" if value is None else str(value).strip()
    if not text.isdigit():
        raise InputError(path, f"country code {value!r} is not a Schedule C code", row=row, field="CTY_CODE",
                         expected="4 digits, e.g. '5700'")
    return text


def parse_census_country_xlsx(path) -> pd.DataFrame:
    """Every partner's monthly imports (flow M) and exports (X); months not yet published are dropped.

    The workbook fills the months after the latest release with 0 for every partner (2023-02..12 in
    the 2023-03 vintage, 2024-09..12 in the 2024-10 vintage): per flow, the last reported month is
    the latest month with a non-zero value for some partner, and every month after it is treated as
    not yet reported, never as zero trade. A zero on or before that month is a published zero (a
    partner with no trade that month). Each row's IYR/EYR must equal the sum of its months.
    """
    rows = _read_census_sheet(path, read_bytes(path))
    if not rows:
        raise InputError(path, f"sheet {CENSUS_SHEET!r} is empty", expected=f"a header {CENSUS_HEADER}")
    header = [str(c).strip() if c is not None else "" for c in rows[0]]
    if header[:len(CENSUS_HEADER)] != CENSUS_HEADER or any(header[len(CENSUS_HEADER):]):
        missing = [c for c in CENSUS_HEADER if c not in header]
        raise InputError(path, f"header is {header}", row=1, field=(missing or ["header"])[0],
                         expected=f"the columns {CENSUS_HEADER}")
    records = [(n, r) for n, r in enumerate(rows[1:], start=2) if any(c not in (None, "") for c in r)]
    if not records:
        raise InputError(path, "has a header but no data rows; the file is truncated", row=1,
                         expected="one row per partner x year")
    parsed = []
    for line, cells in records:
        cells = list(cells) + [None] * (len(CENSUS_HEADER) - len(cells))
        year = _whole(path, cells[0], row=line, field="year", low=1900, high=2200)
        code = _census_code(path, cells[1], row=line)
        name = "" if cells[2] is None else str(cells[2]).strip()
        for prefix, start in (("I", 3), ("E", 16)):
            months = [_number(path, cells[start + k], row=line, field=f"{prefix}{MONTHS[k]}") for k in range(12)]
            total = _number(path, cells[start + 12], row=line, field=f"{prefix}YR")
            if abs(sum(months) - total) > CENSUS_TOTAL_TOLERANCE:
                raise InputError(path, f"{prefix}YR is {total} but its months sum to {sum(months):.6f}", row=line,
                                 field=f"{prefix}YR", expected="the year total equal to the sum of the months")
            parsed.append((line, year, code, name, CENSUS_FLOWS[prefix], months))
    published = _published_months(parsed)
    out, lines = [], []
    for line, year, code, name, flow, months in parsed:
        for k, value in enumerate(months, start=1):
            if (year, flow, k) in published:
                out.append({"reporter": "USA", "flow": flow, "partner_code": code, "partner_name": name,
                            "year": year, "month": k, "commodity": "TOTAL", "value_usd": value * MILLION})
                lines.append(line)
    return _finish(path, out, lines)


def _published_months(parsed) -> set[tuple[int, str, int]]:
    """(year, flow, month) up to each flow's last reported month (the latest one non-zero for some partner)."""
    last: dict[str, tuple[int, int]] = {}
    first_year = min((year for _line, year, *_rest in parsed), default=0)
    for _line, year, _code, _name, flow, months in parsed:
        for k, v in enumerate(months, start=1):
            if v != 0 and (year, k) > last.get(flow, (0, 0)):
                last[flow] = (year, k)
    return {(year, flow, k) for flow, (last_year, last_month) in last.items()
            for year in range(first_year, last_year + 1) for k in range(1, 13) if (year, k) <= (last_year, last_month)}


# ---------------------------------------------------------------------------------------------
# UN Comtrade: CSV export (comtradeplus "Download") and public API JSON


def _decode_comtrade(path, data: bytes) -> str:
    """UTF-8 (with or without BOM) as most exports are; Latin-1 where an export was saved so
    (the 2022 all-partners file writes "Côte d'Ivoire" as byte 0xF4)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _comtrade_record(path, record: dict, line: int, getter: Callable[[dict, str], str]) -> dict | None:
    """One Comtrade record as a trade-table row; None for a breakdown row (not a total)."""
    for column, total in COMTRADE_TOTALS.items():
        value = getter(record, column)
        if value not in ("", total):
            return None
    freq = getter(record, "freqCode")
    if freq not in ("A", "M"):
        raise InputError(path, f"frequency {freq!r}", row=line, field="freqCode", expected="'A' or 'M'")
    year = _whole(path, getter(record, "refYear"), row=line, field="refYear", low=1900, high=2200)
    month = 0 if freq == "A" else _whole(path, getter(record, "refMonth"), row=line, field="refMonth", low=1, high=12)
    reporter = getter(record, "reporterISO")
    if len(reporter) != 3:
        raise InputError(path, f"reporter ISO code {reporter!r}", row=line, field="reporterISO",
                         expected="an ISO3 code (API queries need includeDesc=true)")
    value = getter(record, "primaryValue")
    if value == "":
        raise InputError(path, "empty trade value", row=line, field="primaryValue", expected="a value in US$")
    partner = getter(record, "partnerCode")
    if not partner.lstrip("-").isdigit():
        raise InputError(path, f"partner code {partner!r}", row=line, field="partnerCode", expected="a numeric code")
    return {"reporter": reporter, "flow": getter(record, "flowCode"), "partner_code": str(int(partner)),
            "partner_name": getter(record, "partnerDesc"), "year": year, "month": month,
            "commodity": getter(record, "cmdCode"),
            "value_usd": _number(path, value, row=line, field="primaryValue")}


def parse_comtrade_csv(path) -> pd.DataFrame:
    """A Comtrade Plus CSV export: unquoted camelCase header, every value quoted, CRLF, and one
    trailing comma on every data row (so a record has one empty field more than the header)."""
    data = read_bytes(path)
    reject_html(path, data)
    reader = csv.reader(io.StringIO(_decode_comtrade(path, data), newline=""), strict=True)
    try:
        rows = [(reader.line_num, r) for r in reader if r]
    except csv.Error as exc:
        raise InputError(path, f"broken CSV ({exc}); the file may be truncated", row=reader.line_num,
                         expected="complete, well-quoted CSV records") from exc
    if not rows:
        raise InputError(path, "is empty", expected="a Comtrade export with a header row")
    header = [h.strip() for h in rows[0][1]]
    missing = [c for c in COMTRADE_REQUIRED if c not in header]
    if missing:
        raise InputError(path, f"header lacks {missing}", row=1, field=missing[0],
                         expected=f"the Comtrade export columns (at least {COMTRADE_REQUIRED})")
    index = {name: i for i, name in enumerate(header)}
    out, lines = [], []
    for line, fields in rows[1:]:
        if len(fields) == len(header) + 1 and fields[-1] == "":
            fields = fields[:-1]
        if len(fields) != len(header):
            raise InputError(path, f"record has {len(fields)} fields but the header has {len(header)}; the file "
                             "may be truncated or its layout changed", row=line,
                             expected=f"{len(header)} fields (plus Comtrade's trailing comma)")
        record = _comtrade_record(path, fields, line,
                                  lambda rec, col: rec[index[col]].strip() if col in index else "")
        if record is not None:
            out.append(record)
            lines.append(line)
    if not out and len(rows) > 1:
        raise InputError(path, "holds no total rows (customsCode C00, motCode 0, partner2Code 0)",
                         expected="totals over customs procedures and modes of transport")
    return _finish(path, out, lines)


def _json_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _load_json(path):
    data = read_bytes(path)
    reject_html(path, data)
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(path, f"is not valid JSON ({exc}); the reply may be cut off", expected="a JSON reply") from exc


def parse_comtrade_json(path) -> pd.DataFrame:
    """A public-API reply ``{"elapsedTime", "count", "data": [records], "error"}``.

    An error message, or fewer records than ``count`` (the preview stops at 500), is an error:
    a partial reply must not pass for the whole query. No records (``count`` 0: nothing
    published yet for that query) gives an empty table.
    """
    body = _load_json(path)
    if not isinstance(body, dict) or not isinstance(body.get("data"), list):
        raise InputError(path, f"unexpected reply {str(body)[:200]!r}", field="data",
                         expected='an object {"count": n, "data": [...]}')
    if body.get("error"):
        raise InputError(path, f"the API answered with an error: {body['error']}", field="error",
                         expected="no error")
    records = body["data"]
    count = body.get("count")
    if isinstance(count, int) and count > len(records):
        raise InputError(path, f"holds {len(records)} of {count} records (the preview API returns at most 500)",
                         field="count", expected="a query small enough to come back whole")
    out, lines = [], []
    for n, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            raise InputError(path, f"record {n} is not an object", row=n, field="data", expected="JSON objects")
        missing = [c for c in COMTRADE_REQUIRED if c not in record]
        if missing:
            raise InputError(path, f"record lacks {missing}", row=n, field=missing[0],
                             expected=f"Comtrade record fields {COMTRADE_REQUIRED}")
        row = _comtrade_record(path, record, n, lambda rec, col: _json_text(rec.get(col)))
        if row is not None:
            out.append(row)
            lines.append(n)
    return _finish(path, out, lines)


# ---------------------------------------------------------------------------------------------
# Census international trade API (timeseries/intltrade/imports/hs)


def _census_api_period(path, header: dict, fields: list[str], line: int) -> tuple[int, int]:
    if "time" in header:
        text = fields[header["time"]]
        year_text, sep, month_text = text.partition("-")
        if not sep:
            raise InputError(path, f"time {text!r}", row=line, field="time", expected="'YYYY-MM'")
    elif "YEAR" in header and "MONTH" in header:
        year_text, month_text = fields[header["YEAR"]], fields[header["MONTH"]]
    else:
        raise InputError(path, "header has neither 'time' nor 'YEAR' and 'MONTH'", row=1, field="time",
                         expected="a time column (the API adds it when the query has time=...)")
    return (_whole(path, year_text, row=line, field="time", low=1900, high=2200),
            _whole(path, month_text, row=line, field="time", low=1, high=12))


def parse_census_api_json(path) -> pd.DataFrame:
    """A reply ``[[header...], [row...], ...]`` (every value a string) of US imports.

    Needs ``CTY_CODE``, one value column (``GEN_VAL_MO``/``CON_VAL_MO`` for the month, or
    ``GEN_VAL_YR``/``CON_VAL_YR`` for the year to date, which must be December to be a calendar
    year) and ``time`` (or ``YEAR`` and ``MONTH``); ``I_COMMODITY`` gives the HS code (absent:
    all commodities).
    """
    body = _load_json(path)
    if not (isinstance(body, list) and body and all(isinstance(r, list) for r in body)):
        raise InputError(path, f"unexpected reply {str(body)[:200]!r}", expected="a JSON array of arrays, header first")
    header = {str(name): i for i, name in enumerate(body[0])}
    if "CTY_CODE" not in header:
        raise InputError(path, f"header {body[0]} lacks CTY_CODE", row=1, field="CTY_CODE",
                         expected="CTY_CODE among the requested variables")
    value_columns = [c for c in CENSUS_API_VALUES if c in header]
    if len(value_columns) != 1:
        raise InputError(path, f"header {body[0]} has value columns {value_columns}", row=1, field="GEN_VAL_MO",
                         expected=f"exactly one of {list(CENSUS_API_VALUES)}")
    value_column = value_columns[0]
    year_to_date = CENSUS_API_VALUES[value_column]
    out, lines = [], []
    for line, fields in enumerate(body[1:], start=2):
        if len(fields) != len(header):
            raise InputError(path, f"row has {len(fields)} values but the header {len(header)}", row=line,
                             expected=f"{len(header)} values per row")
        fields = [_json_text(f) for f in fields]
        year, month = _census_api_period(path, header, fields, line)
        if year_to_date:
            if month != 12:
                raise InputError(path, f"{value_column} for month {month} is a year-to-date value, not a year",
                                 row=line, field="time", expected="time=YYYY-12 for a calendar year")
            month = 0
        commodity = fields[header["I_COMMODITY"]] if "I_COMMODITY" in header else "TOTAL"
        if commodity in ("", "-"):
            commodity = "TOTAL"
        out.append({"reporter": "USA", "flow": "M", "partner_code": fields[header["CTY_CODE"]],
                    "partner_name": fields[header["CTY_NAME"]] if "CTY_NAME" in header else "",
                    "year": year, "month": month, "commodity": commodity,
                    "value_usd": _number(path, fields[header[value_column]], row=line, field=value_column)})
        lines.append(line)
    return _finish(path, out, lines)


TRADE_PARSERS: dict[str, Callable[[object], pd.DataFrame]] = {
    "census_country_xlsx": parse_census_country_xlsx,
    "comtrade_csv": parse_comtrade_csv,
    "comtrade_api_json": parse_comtrade_json,
    "census_api_json": parse_census_api_json,
}


def parse_trade(format_name: str, path) -> pd.DataFrame:
    """Parse ``path`` with the trade parser registered for ``format_name``."""
    return dispatch(TRADE_PARSERS, "trade", format_name, path)


__all__ = ["TRADE_COLUMNS", "TRADE_PARSERS", "empty_trade", "parse_census_api_json", "parse_census_country_xlsx",
           "parse_comtrade_csv", "parse_comtrade_json", "parse_trade"]
