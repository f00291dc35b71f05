"""Parser for the UN Statistics Division's AMA country workbooks (National Accounts Main Aggregates).

Covers the two "GDP and its breakdown ... in US Dollars" downloads (constant 2015 prices and current
prices). Layout, as UNSD publishes it:

- sheet 1: title in row 1 ("GDP/breakdown at constant 2015 prices in US Dollars (all countries)"),
  a blank row 2, header in row 3 ``CountryID, Country, IndicatorName, 1970, 1971, ...`` (int years),
  then one row per country x indicator;
- sheet 2, ``Download-Footnotes-constant`` (or ``-current``): ``CountryID, Country, Item, Footnote,
  1970, ...``, where an "X" under a year says the footnote applies to that year of that country x item.

Footnotes become cell flags as follows:

- a footnote with at least one "X" flags exactly the marked years of the series whose
  ``IndicatorName`` equals its ``Item``; several footnotes on one cell are sorted and joined with '; ';
- a footnote with no "X" at all names no year, so it is not attached to any cell (attaching it to
  every year would make it look like a break where the publisher marked none); it goes to
  ``Parsed.notes`` as a series-level note, as do footnotes for a series the data sheet lacks.

Row numbers in errors are the worksheet's own (1-based, as Excel shows them).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from resilience.errors import InputError
from resilience.sources.parsers._common import SNIFF_BYTES, finish_table, reject_html
from resilience.tidy import PARSED_COLUMNS, Parsed

TITLE_PATTERN = re.compile(r"^GDP/breakdown at (constant \d{4}|current) prices in US Dollars\b")
TITLE_EXPECTED = ("'GDP/breakdown at constant 2015 prices in US Dollars (all countries)' "
                  "or 'GDP/breakdown at current prices in US Dollars (all countries)'")
DATA_KEYS = ["CountryID", "Country", "IndicatorName"]
FOOTNOTE_KEYS = ["CountryID", "Country", "Item", "Footnote"]
FOOTNOTE_SHEET = "Download-Footnotes-{basis}"
HEADER_ROW = 3
FLAG_SEPARATOR = "; "


@dataclass(frozen=True)
class _SeriesRow:
    """One data-sheet row: a country x indicator with its values in header-year order."""

    code: str
    name: str
    indicator: str
    values: tuple
    sheet_row: int


def parse_ama_workbook(path) -> Parsed:
    """Read an AMA "GDP/breakdown" workbook into a ``Parsed`` long table with footnote flags.

    ``country_code`` is the M49 CountryID as str ('156'), ``series`` the exact IndicatorName,
    empty cells are dropped; ``vintage`` is 'workbook modified YYYY-MM-DD' from the workbook's
    core properties ('' if absent). Raises ``InputError`` for anything that is not this layout.
    """
    path = Path(path)
    _check_is_xlsx(path)
    workbook = _open_workbook(path)
    try:
        data_sheet = workbook.worksheets[0]
        basis, years, series_rows = _read_data_sheet(path, data_sheet)
        footnote_sheet = _footnote_sheet(path, workbook, basis)
        cell_flags, notes = _read_footnotes(path, footnote_sheet, series_rows)
        vintage = _vintage(workbook)
    finally:
        workbook.close()
    return Parsed(_long_table(path, series_rows, years, cell_flags), vintage, notes)


# --- file-level checks -------------------------------------------------------------------------

def _check_is_xlsx(path: Path) -> None:
    """Fail early, and say why, when a download saved an error page or something else."""
    if not path.is_file():
        raise InputError(path, "file not found", expected="an AMA .xlsx workbook")
    if zipfile.is_zipfile(path):
        return
    with path.open("rb") as handle:
        reject_html(path, handle.read(SNIFF_BYTES))
    raise InputError(path, "is not an .xlsx workbook (not a zip archive)", expected="an .xlsx workbook")


def _open_workbook(path: Path):
    import openpyxl  # noqa: PLC0415 (only the .xlsx readers need it; most jobs import the parsers)
    from openpyxl.utils.exceptions import InvalidFileException  # noqa: PLC0415

    # read_only streams the sheet XML instead of building every cell object: several times faster.
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as error:
        raise InputError(path, f"zip archive but not a readable .xlsx workbook ({error})",
                         expected="an .xlsx workbook") from None


def _vintage(workbook) -> str:
    modified = workbook.properties.modified
    return f"workbook modified {modified:%Y-%m-%d}" if modified else ""


# --- data sheet --------------------------------------------------------------------------------

def _read_data_sheet(path: Path, sheet) -> tuple[str, list[int], list[_SeriesRow]]:
    """Return (price basis 'constant'|'current', header years, series rows) of sheet 1."""
    rows = sheet.iter_rows(values_only=True)  # one streaming pass: read-only re-parses per call
    basis = _check_title(path, sheet.title, next(rows, ()))
    next(rows, None)  # row 2 is blank in every release; the header position is what matters
    years = _check_header(path, sheet.title, next(rows, ()), DATA_KEYS, HEADER_ROW)
    series_rows, first_seen = [], {}
    for sheet_row, cells in enumerate(rows, start=HEADER_ROW + 1):
        if _is_blank(cells):
            continue
        row = _series_row(path, sheet.title, cells, years, sheet_row)
        key = (row.code, row.indicator)
        if key in first_seen:
            raise InputError(path, f"in sheet '{sheet.title}', CountryID {row.code} x "
                                   f"'{row.indicator}' appears again (first in row {first_seen[key]})",
                             field="IndicatorName", row=sheet_row,
                             expected="one row per CountryID x IndicatorName")
        first_seen[key] = sheet_row
        series_rows.append(row)
    if not series_rows:
        raise InputError(path, f"sheet '{sheet.title}' has no data rows", row=HEADER_ROW + 1,
                         expected="one row per country x indicator below the header")
    return basis, years, series_rows


def _check_title(path: Path, sheet_name: str, cells: tuple) -> str:
    title = cells[0] if cells else None
    match = TITLE_PATTERN.match(str(title).strip()) if isinstance(title, str) else None
    if match is None:
        raise InputError(path, f"in sheet '{sheet_name}', title {title!r} is not an AMA "
                               "GDP/breakdown title", field="title (cell A1)", row=1,
                         expected=TITLE_EXPECTED)
    return "constant" if match.group(1).startswith("constant") else "current"


def _check_header(path: Path, sheet_name: str, cells: tuple, keys: list[str], sheet_row: int) -> list[int]:
    """Check the key columns and return the year columns (consecutive ints)."""
    cells = _strip_trailing_blanks(cells)
    found = [str(c).strip() if c is not None else None for c in cells[:len(keys)]]
    if found != keys:
        raise InputError(path, f"in sheet '{sheet_name}', header starts {found}", field="header",
                         row=sheet_row, expected=f"columns {keys} followed by years")
    years = [_header_year(c) for c in cells[len(keys):]]
    consecutive = list(range(years[0], years[0] + len(years))) if years and None not in years else None
    if not years or years != consecutive:
        raise InputError(path, f"in sheet '{sheet_name}', year columns {list(cells[len(keys):])} "
                               "are not consecutive years", field="header", row=sheet_row,
                         expected="one column per year, e.g. 1970, 1971, ...")
    return years


def _header_year(cell) -> int | None:
    if isinstance(cell, int) and not isinstance(cell, bool):
        return cell
    if isinstance(cell, str) and cell.strip().isdigit():
        return int(cell.strip())
    return None


def _series_row(path: Path, sheet_name: str, cells: tuple, years: list[int], sheet_row: int) -> _SeriesRow:
    code = _country_id(path, sheet_name, cells[0], sheet_row)
    name = _required_text(path, sheet_name, cells[1], "Country", sheet_row)
    indicator = _required_text(path, sheet_name, cells[2], "IndicatorName", sheet_row)
    raw_values = cells[len(DATA_KEYS):len(DATA_KEYS) + len(years)]
    values = tuple(_number(path, sheet_name, v, str(year), sheet_row) for v, year in zip(raw_values, years))
    return _SeriesRow(code, name, indicator, values, sheet_row)


def _country_id(path: Path, sheet_name: str, cell, sheet_row: int) -> str:
    """The M49 number as str without leading zeros ('4', '156'), as the catalog keys expect."""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    if isinstance(cell, int) and not isinstance(cell, bool) and cell >= 0:
        return str(cell)
    if isinstance(cell, str) and cell.strip().isdigit():
        return str(int(cell.strip()))
    raise InputError(path, f"in sheet '{sheet_name}', CountryID {cell!r} is not a number",
                     field="CountryID", row=sheet_row, expected="a UN M49 numeric code")


def _required_text(path: Path, sheet_name: str, cell, field: str, sheet_row: int) -> str:
    if isinstance(cell, str) and cell.strip():
        return cell.strip()
    raise InputError(path, f"in sheet '{sheet_name}', {field} is {cell!r}", field=field,
                     row=sheet_row, expected="a non-empty text")


def _number(path: Path, sheet_name: str, cell, field: str, sheet_row: int) -> float | None:
    """A value cell as float, None when empty; any text is an error (no silent NaN)."""
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        return float(cell)
    raise InputError(path, f"in sheet '{sheet_name}', non-numeric value {cell!r}", field=field,
                     row=sheet_row, expected="a number or an empty cell")


# --- footnote sheet ----------------------------------------------------------------------------

def _footnote_sheet(path: Path, workbook, basis: str):
    name = FOOTNOTE_SHEET.format(basis=basis)
    if name not in workbook.sheetnames:
        raise InputError(path, f"no footnote sheet '{name}' (sheets: {workbook.sheetnames})",
                         field="sheet", expected=f"a second sheet named '{name}'")
    return workbook[name]


def _read_footnotes(path: Path, sheet, series_rows: list[_SeriesRow]):
    """Return ({(code, indicator, year): flags str}, sorted series-level notes)."""
    rows = sheet.iter_rows(values_only=True)
    years = _check_header(path, sheet.title, next(rows, ()), FOOTNOTE_KEYS, 1)
    known_series = {(r.code, r.indicator) for r in series_rows}
    marked: dict[tuple, set[str]] = {}
    notes: set[str] = set()
    for sheet_row, cells in enumerate(rows, start=2):
        if _is_blank(cells):
            continue
        code, country, item, footnote, years_marked = _footnote_row(path, sheet.title, cells, years, sheet_row)
        label = f"{country} (CountryID {code}), {item}: {footnote}"
        if (code, item) not in known_series:
            notes.add(f"Footnote for a series not in the data sheet: {label}")
        elif not years_marked:
            notes.add(f"Series note (no years marked): {label}")
        for year in years_marked:
            marked.setdefault((code, item, year), set()).add(footnote)
    flags = {key: FLAG_SEPARATOR.join(sorted(texts)) for key, texts in marked.items()}
    return flags, sorted(notes)


def _footnote_row(path: Path, sheet_name: str, cells: tuple, years: list[int], sheet_row: int):
    code = _country_id(path, sheet_name, cells[0], sheet_row)
    country = _required_text(path, sheet_name, cells[1], "Country", sheet_row)
    item = _required_text(path, sheet_name, cells[2], "Item", sheet_row)
    footnote = _required_text(path, sheet_name, cells[3], "Footnote", sheet_row)
    marks = cells[len(FOOTNOTE_KEYS):len(FOOTNOTE_KEYS) + len(years)]
    years_marked = [year for year, mark in zip(years, marks)
                    if _is_mark(path, sheet_name, mark, str(year), sheet_row)]
    return code, country, item, footnote, years_marked


def _is_mark(path: Path, sheet_name: str, cell, field: str, sheet_row: int) -> bool:
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return False
    if isinstance(cell, str) and cell.strip().upper() == "X":
        return True
    raise InputError(path, f"in sheet '{sheet_name}', footnote mark {cell!r}", field=field,
                     row=sheet_row, expected="'X' or an empty cell")


# --- output ------------------------------------------------------------------------------------

def _long_table(path: Path, series_rows: list[_SeriesRow], years: list[int], cell_flags: dict) -> pd.DataFrame:
    records = [
        (row.code, row.name, year, row.indicator, value, cell_flags.get((row.code, row.indicator, year), ""))
        for row in series_rows
        for year, value in zip(years, row.values)
        if value is not None
    ]
    # finish_table gives every parser's output the same dtypes and row order
    return finish_table(path, pd.DataFrame.from_records(records, columns=PARSED_COLUMNS))


def _is_blank(cells: tuple) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _strip_trailing_blanks(cells: tuple) -> tuple:
    # read-only sheets pad rows to the sheet's stated width, so trailing empty cells are noise
    end = len(cells)
    while end and (cells[end - 1] is None or (isinstance(cells[end - 1], str) and not cells[end - 1].strip())):
        end -= 1
    return tuple(cells[:end])
