"""ITU's Key ICT indicator aggregates workbook (world and group estimates, no countries).

Layout of each sheet (November 2025 edition, Facts and Figures 2025): one block per indicator, a title
row (column A the indicator, column B the unit of the totals, e.g. 'Millions'), a year row (the totals'
years, an empty column, then the rates' years), then one row per group (World, income groups, ...)
until an empty row. 'N/A' marks a missing value. The reader returns the block of one indicator as a
long table: group, year, total (in the block's unit), rate (percent or per 100 inhabitants).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd

from resilience.errors import InputError

AGGREGATE_COLUMNS = ["group", "year", "total", "total_unit", "rate"]
MISSING = "N/A"


def _title(cell) -> str:
    # ITU marks footnotes with trailing asterisks ('Individuals owning a mobile phone**').
    return str(cell).strip().rstrip("*").strip() if cell is not None else ""


def _year_runs(path, cells: tuple, row: int) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(column, year) pairs of the totals and of the rates: two runs of years split by an empty cell."""
    runs, current = [], []
    for column, cell in enumerate(cells[1:], start=1):
        if isinstance(cell, (int, float)) and not isinstance(cell, bool) and float(cell).is_integer():
            current.append((column, int(cell)))
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    if len(runs) != 2:
        raise InputError(
            path,
            f"row {row}: expected two runs of years (totals, rates), found {len(runs)}",
            expected="the year row under an indicator's title row",
        )
    return runs[0], runs[1]


def _value(path, cell, row: int, year: int):
    if cell is None or cell == MISSING:
        return None
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        return float(cell)
    raise InputError(path, f"row {row}, year {year}: {cell!r} is not a number", expected=f"a number or {MISSING!r}")


def _cell(cells: tuple, column: int | None):
    return cells[column] if column is not None and column < len(cells) else None


def indicator_block(rows: list[tuple], indicator: str, path="workbook") -> pd.DataFrame:
    """The long table of one indicator's block from a sheet's rows (1-based row numbers in errors)."""
    starts = [i for i, cells in enumerate(rows) if cells and _title(cells[0]) == indicator]
    if len(starts) != 1:
        raise InputError(path, f"{len(starts)} blocks titled {indicator!r}", expected="exactly one")
    start = starts[0]
    if start + 1 >= len(rows):
        raise InputError(path, f"the block {indicator!r} has no year row")
    unit = _title(rows[start][1]) if len(rows[start]) > 1 else ""
    totals, rates = _year_runs(path, rows[start + 1], start + 2)
    records = []
    for offset, cells in enumerate(rows[start + 2 :], start=start + 3):
        if not cells or cells[0] is None or not str(cells[0]).strip():
            break
        group = str(cells[0]).strip()
        total_at = {year: column for column, year in totals}
        rate_at = {year: column for column, year in rates}
        for year in sorted(set(total_at) | set(rate_at)):
            total = _value(path, _cell(cells, total_at.get(year)), offset, year)
            rate = _value(path, _cell(cells, rate_at.get(year)), offset, year)
            if total is not None or rate is not None:
                records.append({"group": group, "year": year, "total": total, "total_unit": unit, "rate": rate})
    if not records:
        raise InputError(path, f"the block {indicator!r} has no values")
    return pd.DataFrame(records, columns=AGGREGATE_COLUMNS)


def read_itu_aggregates(path, sheet: str, indicator: str) -> pd.DataFrame:
    """One indicator's block of one sheet of the workbook at ``path``."""
    import openpyxl  # noqa: PLC0415 (only this reader needs it)

    path = Path(path)
    if not path.is_file() or not zipfile.is_zipfile(path):
        raise InputError(path, "not an .xlsx workbook", expected="ITU's Key ICT indicator aggregates (.xlsx)")
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        if sheet not in workbook.sheetnames:
            raise InputError(path, f"no sheet {sheet!r}", expected=f"one of {workbook.sheetnames}")
        rows = list(workbook[sheet].iter_rows(values_only=True))
    finally:
        workbook.close()
    return indicator_block(rows, indicator, path=f"{path}, sheet {sheet!r}")
