"""Checks and conversions every source parser shares.

Each helper turns a low-level failure (a missing file, an HTML page saved in place of data, a
broken zip, a cell that is not a number, a repeated row) into an ``InputError`` that names the
file, the row and the field, so no pandas/xlrd/zipfile traceback reaches the user.
"""

from __future__ import annotations

import csv
import io
import math
import zipfile
from pathlib import Path, PurePosixPath

import pandas as pd
import xlrd
from xlrd.formula import colname

from resilience.errors import InputError
from resilience.tidy import PARSED_COLUMNS

# How many bytes to look at when sniffing what a file really is.
SNIFF_BYTES = 2048


def dispatch(registry: dict, kind: str, format_name: str, path, **kwargs):
    """Parse ``path`` with ``registry[format_name]``; an unknown format is an InputError naming the
    file, the field ``format`` and the registered ``kind`` formats."""
    try:
        parser = registry[format_name]
    except KeyError:
        raise InputError(path, " ".join(filter(None, ["unknown", kind, f"format {format_name!r}"])), field="format",
                         expected=f"one of {sorted(registry)}") from None
    return parser(path, **kwargs)


def read_bytes(path) -> bytes:
    """The file's bytes, or an InputError if it is missing, unreadable or empty."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror or exc})", expected="a readable file") from exc
    if not data.strip():
        raise InputError(path, "is empty", expected="the publisher's data file")
    return data


def reject_html(path, data: bytes, *, member: str | None = None) -> None:
    """Raise if the bytes are a web page: a download that hit an error or login page saves HTML."""
    head = data[:SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html", b"<head", b"<body")):
        where = f" (zip member {member})" if member else ""
        raise InputError(path, f"is an HTML page, not data{where}", expected="the publisher's data file")


def decode_text(path, data: bytes, *, member: str | None = None) -> str:
    """UTF-8 text without the byte-order mark the World Bank puts first."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        where = f" (zip member {member})" if member else ""
        raise InputError(path, f"is not UTF-8 text{where}: byte {exc.start} is invalid",
                         expected="a UTF-8 CSV file") from exc


def read_csv_rows(path, text: str) -> list[tuple[int, list[str]]]:
    """(line number, fields) for every CSV record; strict quoting catches a file cut mid-field."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows = []
    try:
        for fields in reader:
            rows.append((reader.line_num, fields))
    except csv.Error as exc:
        raise InputError(path, f"broken CSV ({exc}); the file may be truncated", row=reader.line_num,
                         expected="complete, well-quoted CSV records") from exc
    return rows


def check_field_count(path, line: int, fields: list[str], expected: int) -> None:
    """A record shorter or longer than the header means a cut or a changed layout."""
    if len(fields) != expected:
        raise InputError(path, f"record has {len(fields)} fields but the header has {expected}; "
                         "the file may be truncated or its layout changed", row=line,
                         expected=f"{expected} fields per record")


def open_zip(path, data: bytes) -> zipfile.ZipFile:
    """The archive, or an InputError saying what the bytes are instead."""
    reject_html(path, data)
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise InputError(path, f"is not a valid zip archive ({exc}); it may be truncated",
                         expected="a zip archive") from exc


def read_zip_member(path, archive: zipfile.ZipFile, name: str) -> bytes:
    """One member's bytes; a truncated archive fails here with a CRC or EOF error."""
    try:
        return archive.read(name)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
        raise InputError(path, f"zip member {name!r} cannot be read ({exc}); the archive may be truncated",
                         expected="a complete zip archive") from exc


def pick_zip_member(path, archive: zipfile.ZipFile, wanted, description: str) -> str:
    """The single member whose base name satisfies ``wanted``; none or several is an error."""
    names = [n for n in archive.namelist() if not n.endswith("/")]
    matches = [n for n in names if wanted(PurePosixPath(n).name)]
    if len(matches) != 1:
        found = "none" if not matches else f"{len(matches)}: {matches}"
        raise InputError(path, f"zip holds {found} {description} (members: {names})",
                         expected=f"exactly one {description}")
    return matches[0]


def parse_year(path, text, *, row=None, field=None) -> int:
    """A calendar year from '2009', 2009 or 2009.0."""
    try:
        number = float(str(text).strip())
    except ValueError:
        number = math.nan
    if not number.is_integer() or not 1800 <= number <= 2200:
        raise InputError(path, f"year {text!r} is not a calendar year", row=row, field=field,
                         expected="a four-digit year")
    return int(number)


def to_years(path, cells: pd.Series, *, rows: pd.Series, field: str) -> pd.Series:
    """Integer years from a column of cells; a non-year names its row."""
    numbers = pd.to_numeric(cells.map(lambda v: str(v).strip()), errors="coerce")
    bad = numbers.isna() | (numbers % 1 != 0) | ~numbers.between(1800, 2200)
    if bad.any():
        i = bad.idxmax()
        raise InputError(path, f"year {cells[i]!r} is not a calendar year", row=int(rows[i]), field=field,
                         expected="a four-digit year")
    return numbers.astype("int64")


def to_values(path, cells: pd.Series, *, missing: set[str], rows: pd.Series, fields: pd.Series) -> pd.Series:
    """Floats from cells, NaN for the documented missing markers; anything else is an error.

    ``rows`` and ``fields`` give, per cell, the file row and the column to name in the error.
    """
    text = cells.map(lambda v: "" if v is None else str(v).strip())
    is_missing = text.isin(missing)
    numbers = pd.to_numeric(text.where(~is_missing), errors="coerce").astype("float64")
    bad = ~is_missing & (numbers.isna() | numbers.abs().eq(math.inf))
    if bad.any():
        i = bad.idxmax()
        markers = " or ".join(repr(m) for m in sorted(missing))
        raise InputError(path, f"non-numeric value {cells[i]!r}", row=int(rows[i]), field=str(fields[i]),
                         expected=f"a number or the missing marker {markers}")
    return numbers


def open_xls(path, data: bytes) -> xlrd.book.Book:
    """An .xls workbook; xlrd fails in many ways on a truncated or foreign file, so catch them all."""
    reject_html(path, data)
    try:  # logfile: xlrd would otherwise print its own warnings about damaged files to stdout
        return xlrd.open_workbook(file_contents=data, on_demand=True, logfile=io.StringIO())
    except Exception as exc:  # xlrd raises XLRDError, CompDocError, struct.error, IndexError, ...
        raise InputError(path, f"cannot be read as an Excel .xls workbook ({type(exc).__name__}: {exc}); "
                         "it may be truncated or another format", expected="an Excel 97-2003 .xls file") from exc


def xls_sheet_rows(path, book: xlrd.book.Book, sheet_name: str) -> list[list]:
    """All cell values of one sheet, row by row; a missing sheet names the sheets there are."""
    if sheet_name not in book.sheet_names():
        raise InputError(path, f"has no sheet {sheet_name!r} (sheets: {book.sheet_names()})",
                         field=sheet_name, expected=f"a sheet named {sheet_name!r}")
    try:
        sheet = book.sheet_by_name(sheet_name)
        return [sheet.row_values(r) for r in range(sheet.nrows)]
    except Exception as exc:  # a cut-off file can open yet fail while reading a sheet
        raise InputError(path, f"sheet {sheet_name!r} cannot be read ({type(exc).__name__}: {exc})",
                         field=sheet_name, expected="a complete .xls workbook") from exc


def column_letter(col: int) -> str:
    """Spreadsheet column name (0 -> 'A') for error messages."""
    return colname(col)


def cell(row: list, col: int):
    """A cell of a ragged row, '' past its end (sheet rows given as plain lists may be short)."""
    return row[col] if col < len(row) else ""


def is_blank(value) -> bool:
    return value is None or str(value).strip() == ""


def finish_table(path, table: pd.DataFrame) -> pd.DataFrame:
    """Columns in PARSED_COLUMNS order and types; one row per economy x year x series.

    An economy is identified by its code, or by its name where the file gives no code (ITU,
    some World Bank aggregates), so two rows for the same key mean the file repeats itself.
    """
    table = table.reset_index(drop=True)
    out = pd.DataFrame({
        "country_code": table["country_code"].astype(str),
        "country_name": table["country_name"].astype(str),
        "year": table["year"].astype("int64"),
        "series": table["series"].astype(str),
        "value": table["value"].astype("float64"),
        "flags": table["flags"].astype(str) if "flags" in table else "",
    }, columns=PARSED_COLUMNS)
    identity = out["country_code"].where(out["country_code"] != "", "name:" + out["country_name"])
    dup = pd.concat([identity, out[["year", "series"]]], axis=1).duplicated(keep="first")
    if dup.any():
        i = int(dup.idxmax())
        who = out.at[i, "country_code"] or out.at[i, "country_name"]
        where = int(table["source_row"][i]) if "source_row" in table else None
        raise InputError(path, f"duplicate row for {who} {out.at[i, 'series']} {out.at[i, 'year']}", row=where,
                         expected="one value per economy x year x series")
    return out.sort_values(["series", "country_code", "country_name", "year"], kind="stable").reset_index(drop=True)
