"""Complex-risk indices: the publishers' GPR, EPU and WUI workbooks -> one tidy long table.

One function per published layout, each returning a table with columns ``RISK_COLUMNS``:

- ``series``     the publisher's own column name (``GPR``, ``GEPU_current``, ``WUI``, ...); country
                 columns of the GPR file (``GPRC_CHN``) become series ``GPRC`` with iso3 ``CHN``
- ``iso3``       ISO3 of the country the series is about, ``WLD`` for a global index, '' for a
                 regional or income-group aggregate
- ``frequency``  ``M`` (monthly), ``Q`` (quarterly) or ``D`` (daily)
- ``period``     ``2026-04``, ``2025Q1`` or ``2026-05-26``
- ``date``       first day of the period (datetime64)
- ``value``      float; cells the publisher left empty are left out (never zero-filled)

Layouts (read from the real files, see ``raw-snapshots/{gpr,epu}/PROVENANCE.md``):

- ``data_gpr_export.xls`` (Stata ``export excel``): one sheet ``Sheet1``; row 1 the variable names
  (``month``, ``GPR``, ``GPRT``, ``GPRA``, ``GPRH``, ..., ``GPRC_ARG`` ... ``GPRHC_ZAF``, then
  ``var_name``, ``var_label``: a legend, not data); column ``month`` holds Excel dates (first of the
  month, 1900-01 onwards); the recent indices are empty before 1985.
- ``data_gpr_daily_recent.xls``: ``Sheet1``; ``DAY`` as text ``YYYYMMDD``; ``N10D``, ``GPRD``,
  ``GPRD_ACT``, ``GPRD_THREAT``, ``date`` (Excel date), ``GPRD_MA30``, ``GPRD_MA7``, ``event`` (text
  labels), ``var_name``, ``var_label``.
- EPU workbooks: one header row ``Year``/``Month`` (China: lower case) then the index columns;
  years as numbers or text; a citation or source note in column A below the data (after a blank
  row in the global file). Global: sheet ``Sheet1`` (``GEPU_current``, ``GEPU_ppp``); US: sheet
  ``Main News Index`` (``News_Based_Policy_Uncert_Index``, rows newest first; the ``Legacy Three
  Component EPU`` sheet is not read); China: sheet ``China EPU Index`` (``China News-Based EPU``).
- ``WUI_Data.xlsx`` (quarterly): sheet ``T1`` (``Year``, ``Global (simple average)``, ``Global (GDP
  weighted average)``, advanced/emerging/low-income and regional averages; empty columns to the
  right) and sheet ``T2`` (``year``, then one ISO3 column per country, 143), periods ``1952q1``.
- ``WUI_M_dataset_*.xlsx`` (monthly): sheet ``T1`` (``date`` as Excel dates, one ISO3 column per
  country, 71) and sheet ``F1`` (two blank rows, then ``date`` / ``WUI, GDP weighted average``).

Every layout change (a missing sheet or column, a renamed header, a text in a number cell, a bad
date) raises ``InputError`` naming the file, sheet, row and column.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Callable

import pandas as pd
import xlrd

from resilience.errors import InputError
from resilience.sources.parsers._common import SNIFF_BYTES, column_letter, dispatch, open_xls, read_bytes, reject_html

RISK_COLUMNS = ["series", "iso3", "frequency", "period", "date", "value"]
FREQUENCIES = ("M", "Q", "D")
WORLD = "WLD"

GPR_SHEET = "Sheet1"
GPR_GLOBAL = ("GPR", "GPRT", "GPRA", "GPRH", "GPRHT", "GPRHA")
GPR_COUNTRY = re.compile(r"^(GPRC|GPRHC)_([A-Z]{3})$")
GPR_LEGEND = ("var_name", "var_label")
GPR_DAILY_SERIES = ("GPRD", "GPRD_ACT", "GPRD_THREAT", "GPRD_MA7", "GPRD_MA30")

EPU_GLOBAL = ("Sheet1", ("GEPU_current", "GEPU_ppp"))
EPU_US = ("Main News Index", ("News_Based_Policy_Uncert_Index",))
EPU_CHINA = ("China EPU Index", ("China News-Based EPU",))

WUI_AGGREGATES_SHEET, WUI_COUNTRY_SHEET = "T1", "T2"
WUI_GLOBAL_COLUMNS = ("Global (simple average)", "Global (GDP weighted average)")
WUI_MONTHLY_COUNTRY_SHEET, WUI_MONTHLY_GLOBAL_SHEET = "T1", "F1"
WUI_MONTHLY_GLOBAL = "WUI, GDP weighted average"
WUI_SERIES = "WUI"

QUARTER = re.compile(r"^(\d{4})[qQ]([1-4])$")
ISO3 = re.compile(r"^[A-Z]{3}$")


# ---------------------------------------------------------------------------------------------
# Public parsers, one per layout


def parse_gpr_monthly_xls(path) -> pd.DataFrame:
    """``data_gpr_export.xls``: global GPR indices (iso3 WLD) and the country series GPRC/GPRHC."""
    sheet = _xls_sheet(path, GPR_SHEET)
    header = _xls_header(path, sheet, required=("month", "GPR", "GPRH"))
    countries = {c: m.groups() for c, m in ((c, GPR_COUNTRY.match(name)) for c, name in header.items()) if m}
    if not any(series == "GPRC" for series, _ in countries.values()):
        raise InputError(path, "no country column GPRC_<ISO3> in the header", field=GPR_SHEET,
                         expected="country series GPRC_ARG ... GPRC_ZAF")
    wanted = {c: (name, WORLD) for c, name in header.items() if name in GPR_GLOBAL} | countries
    month_col = _column_of(header, "month")
    records = []
    for r in range(1, sheet.nrows):
        day = _xls_date(path, sheet, r, month_col, "month")
        if day is None:
            _require_blank_row(path, sheet, r, wanted)
            continue
        if day.day != 1:
            raise InputError(path, f"month {day:%Y-%m-%d} is not the first day of a month", row=r + 1,
                             field="month", expected="one row per month dated on its first day")
        for c, (series, iso3) in wanted.items():
            value = _xls_number(path, sheet, r, c, header[c])
            if value is not None:
                records.append((series, iso3, "M", day, value))
    return _finish(path, records)


def parse_gpr_daily_xls(path) -> pd.DataFrame:
    """``data_gpr_daily_recent.xls``: the daily global index, its acts/threats parts and moving averages."""
    sheet = _xls_sheet(path, GPR_SHEET)
    header = _xls_header(path, sheet, required=("DAY",) + GPR_DAILY_SERIES)
    day_col = _column_of(header, "DAY")
    wanted = {c: name for c, name in header.items() if name in GPR_DAILY_SERIES}
    records = []
    for r in range(1, sheet.nrows):
        text = str(sheet.cell_value(r, day_col)).strip()
        if not text:
            _require_blank_row(path, sheet, r, wanted)
            continue
        day = _yyyymmdd(path, text, row=r + 1)
        for c, series in wanted.items():
            value = _xls_number(path, sheet, r, c, series)
            if value is not None:
                records.append((series, WORLD, "D", day, value))
    return _finish(path, records)


def parse_epu_global_xlsx(path) -> pd.DataFrame:
    """``Global_Policy_Uncertainty_Data.xlsx``: GEPU_current and GEPU_ppp (iso3 WLD)."""
    return _epu_workbook(path, *EPU_GLOBAL, iso3=WORLD)


def parse_epu_us_xlsx(path) -> pd.DataFrame:
    """``US_Policy_Uncertainty_Data.xlsx``: the news-based US EPU (sheet 'Main News Index', iso3 USA)."""
    return _epu_workbook(path, *EPU_US, iso3="USA")


def parse_epu_china_xlsx(path) -> pd.DataFrame:
    """``SCMP_China_Policy_Uncertainty_Data.xlsx``: the SCMP-based China EPU (iso3 CHN)."""
    return _epu_workbook(path, *EPU_CHINA, iso3="CHN")


def parse_wui_quarterly_xlsx(path) -> pd.DataFrame:
    """``WUI_Data.xlsx``: country WUI (T2, series WUI) and the global/regional averages (T1)."""
    book = _open_xlsx(path)
    try:
        aggregates = _wui_aggregates(path, _xlsx_rows(path, book, WUI_AGGREGATES_SHEET))
        countries = _country_columns(path, _xlsx_rows(path, book, WUI_COUNTRY_SHEET), WUI_COUNTRY_SHEET,
                                     period_name="year", frequency="Q")
    finally:
        book.close()
    return _finish(path, aggregates + countries)


def parse_wui_monthly_xlsx(path) -> pd.DataFrame:
    """``WUI_M_dataset_<yyyy>_<mm>.xlsx``: monthly country WUI (T1) and the GDP-weighted global WUI (F1)."""
    book = _open_xlsx(path)
    try:
        countries = _country_columns(path, _xlsx_rows(path, book, WUI_MONTHLY_COUNTRY_SHEET),
                                     WUI_MONTHLY_COUNTRY_SHEET, period_name="date", frequency="M")
        world = _wui_monthly_global(path, _xlsx_rows(path, book, WUI_MONTHLY_GLOBAL_SHEET))
    finally:
        book.close()
    return _finish(path, countries + world)


RISK_PARSERS: dict[str, Callable[[object], pd.DataFrame]] = {
    "gpr_monthly_xls": parse_gpr_monthly_xls,
    "gpr_daily_xls": parse_gpr_daily_xls,
    "epu_global_xlsx": parse_epu_global_xlsx,
    "epu_us_xlsx": parse_epu_us_xlsx,
    "epu_china_xlsx": parse_epu_china_xlsx,
    "wui_quarterly_xlsx": parse_wui_quarterly_xlsx,
    "wui_monthly_xlsx": parse_wui_monthly_xlsx,
}


def parse_risk_file(format_name: str, path) -> pd.DataFrame:
    """Parse ``path`` with the risk parser registered for ``format_name`` (the catalog's format)."""
    return dispatch(RISK_PARSERS, "risk-index", format_name, path)


def empty_risk_table() -> pd.DataFrame:
    return _finish("", [])


# ---------------------------------------------------------------------------------------------
# Periods


def month_start(year: int, month: int) -> date:
    return date(year, month, 1)


def period_label(frequency: str, day: date) -> str:
    """'2026-04' (M), '2025Q1' (Q), '2026-05-26' (D) for the period starting on ``day``."""
    if frequency == "M":
        return f"{day.year:04d}-{day.month:02d}"
    if frequency == "Q":
        return f"{day.year:04d}Q{(day.month - 1) // 3 + 1}"
    return f"{day:%Y-%m-%d}"


def quarter_start(path, text, *, sheet: str, row: int, field: str) -> date:
    match = QUARTER.match(str(text).strip()) if isinstance(text, str) else None
    if not match:
        raise InputError(path, f"sheet {sheet!r}: period {text!r} is not a quarter", row=row, field=field,
                         expected="a quarter written like 1952q1")
    return month_start(int(match.group(1)), 3 * int(match.group(2)) - 2)


def _yyyymmdd(path, text: str, *, row: int) -> date:
    try:
        return datetime.strptime(text, "%Y%m%d").date()
    except ValueError:
        raise InputError(path, f"DAY {text!r} is not a date", row=row, field="DAY",
                         expected="a day written YYYYMMDD") from None


def _calendar_year(path, value, *, sheet: str, row: int, field: str) -> int | None:
    """A year from 1997, 1997.0 or '1997'; None for a cell that is not a year (a note row)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str) and value.strip().isdigit():
        number = float(value.strip())
    else:
        return None
    if not number.is_integer() or not 1800 <= number <= 2200:
        raise InputError(path, f"sheet {sheet!r}: year {value!r} is not a calendar year", row=row, field=field,
                         expected="a four-digit year")
    return int(number)


def _looks_like_year(value) -> bool:
    """A year cell as the EPU files write it: a number (1997) or digits as text ('2025')."""
    if isinstance(value, bool):
        return False
    return isinstance(value, (int, float)) or (isinstance(value, str) and value.strip().isdigit())


def _month(path, value, *, sheet: str, row: int, field: str) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, (int, float)) or float(value) not in range(1, 13):
        raise InputError(path, f"sheet {sheet!r}: month {value!r} is not a month number", row=row, field=field,
                         expected="an integer 1-12")
    return int(value)


# ---------------------------------------------------------------------------------------------
# .xls (GPR)


def _xls_sheet(path, name: str) -> xlrd.sheet.Sheet:
    book = open_xls(path, read_bytes(path))
    if name not in book.sheet_names():
        raise InputError(path, f"has no sheet {name!r} (sheets: {book.sheet_names()})", field=name,
                         expected=f"a sheet named {name!r}")
    try:
        sheet = book.sheet_by_name(name)
    except Exception as exc:  # a cut-off file can open yet fail while reading a sheet
        raise InputError(path, f"sheet {name!r} cannot be read ({type(exc).__name__}: {exc})", field=name,
                         expected="a complete .xls workbook") from exc
    sheet.datemode = book.datemode
    if sheet.nrows < 2:
        raise InputError(path, f"sheet {name!r} has {sheet.nrows} rows", field=name,
                         expected="a header row and at least one data row")
    return sheet


def _xls_header(path, sheet, *, required: tuple[str, ...]) -> dict[int, str]:
    """{column: name} of row 1; a missing or repeated required name is an InputError."""
    names = {c: str(sheet.cell_value(0, c)).strip() for c in range(sheet.ncols)}
    present = [n for n in names.values() if n]
    for name in required:
        if name not in present:
            raise InputError(path, f"sheet {sheet.name!r}: header has no column {name!r}", row=1, field=name,
                             expected=f"columns {', '.join(required)} in row 1")
    repeated = sorted({n for n in present if present.count(n) > 1})
    if repeated:
        raise InputError(path, f"sheet {sheet.name!r}: header repeats {repeated}", row=1, field=repeated[0],
                         expected="each variable once")
    return {c: n for c, n in names.items() if n}


def _column_of(header: dict[int, str], name: str) -> int:
    return next(c for c, n in header.items() if n == name)


def _xls_date(path, sheet, r: int, c: int, field: str) -> date | None:
    kind, value = sheet.cell_type(r, c), sheet.cell_value(r, c)
    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if kind not in (xlrd.XL_CELL_DATE, xlrd.XL_CELL_NUMBER):
        raise InputError(path, f"sheet {sheet.name!r}: {value!r} is not a date", row=r + 1, field=field,
                         expected="an Excel date cell")
    try:
        return xlrd.xldate.xldate_as_datetime(value, sheet.datemode).date()
    except (xlrd.xldate.XLDateError, ValueError, OverflowError) as exc:
        raise InputError(path, f"sheet {sheet.name!r}: {value!r} is not a valid Excel date ({exc})", row=r + 1,
                         field=field, expected="an Excel date cell") from None


def _xls_number(path, sheet, r: int, c: int, field: str) -> float | None:
    kind, value = sheet.cell_type(r, c), sheet.cell_value(r, c)
    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if kind == xlrd.XL_CELL_TEXT and not value.strip():
        return None
    if kind != xlrd.XL_CELL_NUMBER:
        raise InputError(path, f"sheet {sheet.name!r}, cell {column_letter(c)}{r + 1}: non-numeric value {value!r}",
                         row=r + 1, field=field, expected="a number or an empty cell")
    return float(value)


def _require_blank_row(path, sheet, r: int, columns) -> None:
    """A row without a date must hold no data either (values without a period cannot be placed)."""
    for c in columns:
        empty = sheet.cell_type(r, c) in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK)
        if not empty and str(sheet.cell_value(r, c)).strip():
            raise InputError(path, f"sheet {sheet.name!r}: values in a row without a date", row=r + 1,
                             field=str(sheet.cell_value(0, c)), expected="a date in every data row")


# ---------------------------------------------------------------------------------------------
# .xlsx (EPU, WUI)


def _open_xlsx(path):
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "file not found", expected="an .xlsx workbook")
    if not zipfile.is_zipfile(path):
        with path.open("rb") as handle:
            reject_html(path, handle.read(SNIFF_BYTES))
        raise InputError(path, "is not an .xlsx workbook (not a zip archive)", expected="an .xlsx workbook")
    import openpyxl  # noqa: PLC0415 (only the .xlsx readers need it; most jobs import the parsers)
    from openpyxl.utils.exceptions import InvalidFileException  # noqa: PLC0415

    try:
        # From bytes, so openpyxl judges the content rather than the file name's extension.
        return openpyxl.load_workbook(io.BytesIO(path.read_bytes()), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
        raise InputError(path, f"zip archive but not a readable .xlsx workbook ({exc})",
                         expected="an .xlsx workbook") from None


def _xlsx_rows(path, book, sheet: str) -> list[tuple]:
    if sheet not in book.sheetnames:
        raise InputError(path, f"has no sheet {sheet!r} (sheets: {book.sheetnames})", field=sheet,
                         expected=f"a sheet named {sheet!r}")
    try:
        return [tuple(row) for row in book[sheet].iter_rows(values_only=True)]
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError) as exc:
        raise InputError(path, f"sheet {sheet!r} cannot be read ({exc})", field=sheet,
                         expected="a complete .xlsx workbook") from None


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _xlsx_number(path, value, *, sheet: str, row: int, col: int, field: str) -> float | None:
    if _blank(value):
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(path, f"sheet {sheet!r}, cell {column_letter(col)}{row}: non-numeric value {value!r}",
                         row=row, field=field, expected="a number or an empty cell")
    return float(value)


def _header_row(path, cells: tuple, *, sheet: str, row: int, first: str, required: tuple[str, ...] = ()
                ) -> dict[int, str]:
    """{column: name} of a header row whose first cell is ``first`` (case-insensitive)."""
    names = {c: str(v).strip() for c, v in enumerate(cells) if not _blank(v)}
    if names.get(0, "").lower() != first.lower():
        raise InputError(path, f"sheet {sheet!r}: header starts with {names.get(0)!r}", row=row, field=first,
                         expected=f"{first!r} in column A of row {row}")
    for name in required:
        if name not in names.values():
            raise InputError(path, f"sheet {sheet!r}: header has no column {name!r}", row=row, field=name,
                             expected=f"columns {first}, {', '.join(required)}")
    values = list(names.values())
    repeated = sorted({n for n in values if values.count(n) > 1})
    if repeated:
        raise InputError(path, f"sheet {sheet!r}: header repeats {repeated}", row=row, field=repeated[0],
                         expected="each column once")
    return names


def _note_row(cells: tuple) -> bool:
    """A citation/source line: text in column A, every other cell empty."""
    return isinstance(cells[0], str) and bool(cells[0].strip()) and all(_blank(v) for v in cells[1:])


def _data_rows(path, rows: list[tuple], *, sheet: str, start: int, is_period: Callable[[object], bool]):
    """(sheet row number, cells) of the data block: rows from ``start`` (0-based) until the first blank
    or note row; below it only blank and note rows may follow."""
    out, ended = [], False
    for i in range(start, len(rows)):
        cells, row = rows[i], i + 1
        if all(_blank(v) for v in cells) or (not is_period(cells[0]) and _note_row(cells)):
            ended = True
            continue
        if ended:
            raise InputError(path, f"sheet {sheet!r}: data below the blank or note row that ends the table",
                             row=row, field=str(cells[0]), expected="notes only below the data")
        out.append((row, cells))
    if not out:
        raise InputError(path, f"sheet {sheet!r} has no data rows", field=sheet, expected="one row per period")
    return out


def _epu_workbook(path, sheet: str, value_columns: tuple[str, ...], *, iso3: str) -> pd.DataFrame:
    book = _open_xlsx(path)
    try:
        rows = _xlsx_rows(path, book, sheet)
    finally:
        book.close()
    if not rows:
        raise InputError(path, f"sheet {sheet!r} is empty", field=sheet, expected="a header row and monthly rows")
    header = _header_row(path, rows[0], sheet=sheet, row=1, first="Year", required=value_columns)
    if header.get(1, "").lower() != "month":
        raise InputError(path, f"sheet {sheet!r}: column B is {header.get(1)!r}", row=1, field="Month",
                         expected="'Month' in column B")
    columns = {c: n for c, n in header.items() if n in value_columns}
    year_field, month_field = header[0], header[1]
    records = []
    for row, cells in _data_rows(path, rows, sheet=sheet, start=1, is_period=_looks_like_year):
        cells = cells + (None,) * (len(rows[0]) - len(cells))
        year = _calendar_year(path, cells[0], sheet=sheet, row=row, field=year_field)
        if year is None:
            raise InputError(path, f"sheet {sheet!r}: {cells[0]!r} is not a year", row=row, field=year_field,
                             expected="a four-digit year")
        day = month_start(year, _month(path, cells[1], sheet=sheet, row=row, field=month_field))
        for c, series in columns.items():
            value = _xlsx_number(path, cells[c], sheet=sheet, row=row, col=c, field=series)
            if value is not None:
                records.append((series, iso3, "M", day, value))
    return _finish(path, records)


def _wui_aggregates(path, rows: list[tuple]) -> list[tuple]:
    sheet = WUI_AGGREGATES_SHEET
    if not rows:
        raise InputError(path, f"sheet {sheet!r} is empty", field=sheet, expected="the WUI averages by quarter")
    header = _header_row(path, rows[0], sheet=sheet, row=1, first="Year", required=WUI_GLOBAL_COLUMNS)
    columns = {c: n for c, n in header.items() if c > 0}
    records = []
    for row, cells in _data_rows(path, rows, sheet=sheet, start=1, is_period=lambda v: isinstance(v, str)
                                 and bool(QUARTER.match(v.strip()))):
        day = quarter_start(path, cells[0], sheet=sheet, row=row, field="Year")
        _no_values_outside(path, cells, columns, sheet=sheet, row=row)
        for c, series in columns.items():
            value = _xlsx_number(path, cells[c] if c < len(cells) else None, sheet=sheet, row=row, col=c, field=series)
            if value is not None:
                records.append((series, WORLD if series.startswith("Global") else "", "Q", day, value))
    return records


def _country_columns(path, rows: list[tuple], sheet: str, *, period_name: str, frequency: str) -> list[tuple]:
    """A sheet with a period column and one ISO3 column per country (WUI T2 quarterly, T1 monthly)."""
    if not rows:
        raise InputError(path, f"sheet {sheet!r} is empty", field=sheet, expected="one column per country")
    header = _header_row(path, rows[0], sheet=sheet, row=1, first=period_name)
    columns = {c: n for c, n in header.items() if c > 0}
    bad = [n for n in columns.values() if not ISO3.match(n)]
    if bad or not columns:
        raise InputError(path, f"sheet {sheet!r}: header {bad[:3] if bad else 'has no country columns'}",
                         row=1, field=bad[0] if bad else period_name, expected="ISO3 country codes such as AFG")
    if frequency == "Q":
        def to_day(value, row):
            return quarter_start(path, value, sheet=sheet, row=row, field=period_name)
        is_period = lambda v: isinstance(v, str) and bool(QUARTER.match(v.strip()))  # noqa: E731
    else:
        def to_day(value, row):
            return _month_date(path, value, sheet=sheet, row=row, field=period_name)
        is_period = lambda v: isinstance(v, (datetime, date))  # noqa: E731
    records = []
    for row, cells in _data_rows(path, rows, sheet=sheet, start=1, is_period=is_period):
        day = to_day(cells[0], row)
        _no_values_outside(path, cells, columns, sheet=sheet, row=row)
        for c, iso3 in columns.items():
            value = _xlsx_number(path, cells[c] if c < len(cells) else None, sheet=sheet, row=row, col=c,
                                 field=iso3)
            if value is not None:
                records.append((WUI_SERIES, iso3, frequency, day, value))
    return records


def _wui_monthly_global(path, rows: list[tuple]) -> list[tuple]:
    """Sheet F1: two blank rows (the chart sits beside the data), then date / 'WUI, GDP weighted average'."""
    sheet = WUI_MONTHLY_GLOBAL_SHEET
    if len(rows) < 4 or any(not _blank(v) for r in rows[:2] for v in r[:2]):
        raise InputError(path, f"sheet {sheet!r}: the header is not in row 3", row=3, field=sheet,
                         expected="two blank rows, then 'date' and 'WUI, GDP weighted average'")
    header = _header_row(path, rows[2], sheet=sheet, row=3, first="date", required=(WUI_MONTHLY_GLOBAL,))
    column = next(c for c, n in header.items() if n == WUI_MONTHLY_GLOBAL)
    records = []
    for row, cells in _data_rows(path, [r[:column + 1] for r in rows], sheet=sheet, start=3,
                                 is_period=lambda v: isinstance(v, (datetime, date))):
        day = _month_date(path, cells[0], sheet=sheet, row=row, field="date")
        value = _xlsx_number(path, cells[column], sheet=sheet, row=row, col=column, field=WUI_MONTHLY_GLOBAL)
        if value is not None:
            records.append((WUI_MONTHLY_GLOBAL, WORLD, "M", day, value))
    return records


def _month_date(path, value, *, sheet: str, row: int, field: str) -> date:
    if not isinstance(value, (datetime, date)) or value.day != 1:
        raise InputError(path, f"sheet {sheet!r}: {value!r} is not the first day of a month", row=row, field=field,
                         expected="a date cell on the first day of the month")
    return month_start(value.year, value.month)


def _no_values_outside(path, cells: tuple, columns: dict[int, str], *, sheet: str, row: int) -> None:
    """Cells under an empty header must stay empty: a value there belongs to a column we cannot name."""
    for c, value in enumerate(cells):
        if c > 0 and c not in columns and not _blank(value):
            raise InputError(path, f"sheet {sheet!r}, cell {column_letter(c)}{row}: value {value!r} under "
                             "an empty header", row=row, field=column_letter(c),
                             expected="a header for every column with data")


# ---------------------------------------------------------------------------------------------


def _finish(path, records: list[tuple]) -> pd.DataFrame:
    """The tidy table, sorted; a repeated series x country x period is an InputError."""
    frame = pd.DataFrame(records, columns=["series", "iso3", "frequency", "date", "value"])
    frame["period"] = [period_label(f, d) for f, d in zip(frame["frequency"], frame["date"])]
    frame["date"] = pd.to_datetime(frame["date"])
    frame = frame.astype({"series": str, "iso3": str, "frequency": str, "period": str, "value": "float64"})
    duplicated = frame.duplicated(["series", "iso3", "frequency", "period"])
    if duplicated.any():
        first = frame.loc[duplicated].iloc[0]
        raise InputError(path, f"two values for {first['series']} {first['iso3'] or '(aggregate)'} {first['period']}",
                         field=first["series"], expected="one value per series, country and period")
    frame = frame.sort_values(["series", "iso3", "frequency", "date"], kind="mergesort")
    return frame[RISK_COLUMNS].reset_index(drop=True)


__all__ = ["RISK_COLUMNS", "RISK_PARSERS", "parse_risk_file", "empty_risk_table"]
