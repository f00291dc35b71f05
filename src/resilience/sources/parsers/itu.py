"""ITU World Telecommunication/ICT Indicators: the country .xls files of the June 2019 edition.

Layout of sheet 'Final': row 1 holds one title per block of columns (a file may have a block of
counts and a block 'per 100 inhabitants', then a 'Metadata for ...' block); row 2 holds the year
of each value column and 'Notes YYYY' / 'Source YYYY' over the metadata columns; column A holds
the economy names. There are no codes, so ``country_code`` is ''.
"""

from __future__ import annotations

import calendar
import re
from pathlib import Path

import pandas as pd

from resilience.errors import InputError
from resilience.sources.parsers._common import (
    cell, column_letter, finish_table, is_blank, open_xls, read_bytes, to_values, xls_sheet_rows,
)
from resilience.tidy import Parsed

SHEET = "Final"
NOTES_HEADER = re.compile(r"Notes\s+(\d{4})", re.IGNORECASE)
EDITION_IN_NAME = re.compile(
    r"(?<![A-Za-z])(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*[ _-]?((?:19|20)\d\d)", re.IGNORECASE)
REVISION_IN_NAME = re.compile(r"revised[ _-]?(\d\d)(\d\d)(\d{4})", re.IGNORECASE)
# ITU writes 'NULL' in some note cells where it has no note.
EMPTY_NOTES = {"", "NULL"}


def parse_itu_country_xls(path, block_title: str | None = None) -> Parsed:
    """One block of an ITU country file; ``block_title`` picks it by case-insensitive substring."""
    data = read_bytes(path)
    book = open_xls(path, data)
    parsed = itu_rows_to_parsed(path, xls_sheet_rows(path, book, SHEET), block_title=block_title,
                                vintage=itu_edition_from_name(path))
    revision = REVISION_IN_NAME.search(Path(path).name)
    if revision:
        day, month, year = revision.groups()
        parsed.notes.append(f"file name says revised {year}-{month}-{day}")
    return parsed


def itu_edition_from_name(path) -> str:
    """'..._Jun2019.xls' -> 'ITU June 2019 edition'; '' when the name states no edition."""
    match = EDITION_IN_NAME.search(Path(path).name)
    if not match:
        return ""
    month = next(m for m in calendar.month_name[1:] if m.lower().startswith(match.group(1).lower()))
    return f"ITU {month} {match.group(2)} edition"


def itu_rows_to_parsed(path, rows: list[list], block_title: str | None = None, vintage: str = "") -> Parsed:
    """Sheet 'Final' given as lists of cell values (xlrd's ``row_values``), rows numbered from 1."""
    if len(rows) < 3:
        raise InputError(path, f"sheet {SHEET!r} has {len(rows)} rows; the file is truncated or changed",
                         expected="a title row, a year row and one row per economy")
    title, first, end = _choose_block(path, rows[0], block_title)
    years = _block_years(path, rows[1], first, end, title)
    notes = _notes_columns(rows[1])
    long = _values_and_notes(path, rows, years, notes)
    long["value"] = to_values(path, long["cell"], missing={""}, rows=long["source_row"], fields=long["field"])
    table = long[long["value"].notna()].assign(country_code="", series=title)
    return Parsed(finish_table(path, table), vintage=vintage)


def _choose_block(path, title_row: list, block_title: str | None) -> tuple[str, int, int]:
    """(title, first column, end column) of the chosen value block."""
    starts = [(col, str(v).strip()) for col, v in enumerate(title_row) if not is_blank(v)]
    ends = [col for col, _ in starts[1:]] + [len(title_row)]
    blocks = [(t, c, e) for (c, t), e in zip(starts, ends) if not t.lower().startswith("metadata")]
    if not blocks:
        raise InputError(path, "row 1 has no indicator title", row=1, expected="the indicator title(s) in row 1")
    if block_title is None:
        return blocks[0]
    wanted = block_title.strip().lower()
    exact = [b for b in blocks if b[0].lower() == wanted]
    matches = exact or [b for b in blocks if wanted in b[0].lower()]
    if len(matches) != 1:
        found = "no block" if not matches else f"{len(matches)} blocks"
        raise InputError(path, f"{found} matches {block_title!r}", row=1, field="block_title",
                         expected=f"a part of exactly one title of {[b[0] for b in blocks]}")
    return matches[0]


def _block_years(path, year_row: list, first: int, end: int, title: str) -> dict[int, int]:
    """Column -> year under the block; columns without a year (a stray one between blocks) are ignored."""
    years = {}
    for col in range(first, end):
        year = _as_year(cell(year_row, col))
        if year is not None:
            years[col] = year
    if not years:
        raise InputError(path, f"no years in row 2 under {title!r}", row=2,
                         field=f"columns {column_letter(first)}-{column_letter(end - 1)}",
                         expected="the year of each value column in row 2")
    if len(set(years.values())) != len(years):
        raise InputError(path, f"a year repeats in row 2 under {title!r}", row=2, expected="each year once per block")
    return years


def _as_year(value) -> int | None:
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    return int(number) if number.is_integer() and 1900 <= number <= 2100 else None


def _notes_columns(year_row: list) -> dict[int, int]:
    """Year -> column of its 'Notes YYYY' metadata column."""
    found = {}
    for col, value in enumerate(year_row):
        match = NOTES_HEADER.fullmatch(str(value).strip())
        if match:
            found.setdefault(int(match.group(1)), col)
    return found


def _values_and_notes(path, rows: list[list], years: dict[int, int], notes: dict[int, int]) -> pd.DataFrame:
    """Long table of raw cells with the economy-year note as flags; blank rows are skipped."""
    out = []
    for index in range(2, len(rows)):
        row, line = rows[index], index + 1
        name = str(cell(row, 0)).strip()
        cells = {col: cell(row, col) for col in years}
        if not name:
            if all(is_blank(v) for v in cells.values()):
                continue
            raise InputError(path, "values without an economy name", row=line, field="A",
                             expected="the economy name in column A")
        for col, year in years.items():
            flags = _note(cell(row, notes[year])) if year in notes else ""
            out.append((name, year, cells[col], flags, line, f"{year} (column {column_letter(col)})"))
    if not out:
        raise InputError(path, "has no economy rows", row=3, expected="one row per economy from row 3")
    return pd.DataFrame(out, columns=["country_name", "year", "cell", "flags", "source_row", "field"])


def _note(value) -> str:
    """A note as one line; ITU's 'NULL' placeholder counts as no note."""
    text = " ".join(str(value).split())
    return "" if text in EMPTY_NOTES else text


__all__ = ["parse_itu_country_xls", "itu_rows_to_parsed", "itu_edition_from_name"]
