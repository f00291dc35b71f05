"""Resolve a claim's selector to the one results cell it names.

A selector is ``{file, where: {column: value, ...}, column}``: the table ``file`` (under
``results/tables``), the rows whose ``where`` columns equal the given values, and the column to read.
Exactly one row must match; otherwise the claim cannot be checked and the error names the claim,
the file, the filter and what was found. A filter that matches no row is a ``MissingCellError``: a
mistake in the ledger, or a run whose data do not reach the claim's period (a synthetic or partial
mirror), which the ledger rule may then report instead (``claims.missing_cells``). An empty cell is a value the run does not have (a source
the mirror lacks): it resolves to None, and the verdict says so.
"""

from __future__ import annotations

import math

import pandas as pd

from resilience.errors import PipelineError


class ResultsCellError(PipelineError):
    """A claim's selector does not name exactly one cell of an existing results table."""


class MissingCellError(ResultsCellError):
    """No row of the table matches the selector: the cell is missing from this run's results."""


def _equal(cell, wanted) -> bool:
    if isinstance(wanted, bool) or isinstance(cell, bool):
        return str(cell).lower() == str(wanted).lower()
    if isinstance(wanted, (int, float)):
        try:
            return math.isclose(float(cell), float(wanted), rel_tol=0, abs_tol=1e-9)
        except (TypeError, ValueError):
            return False
    return str(cell) == str(wanted)


def _describe(selector: dict) -> str:
    where = ", ".join(f"{k} = {v!r}" for k, v in selector.get("where", {}).items()) or "no filter"
    return f"{selector['file']} [{where}] column {selector['column']!r}"


def resolve(claim: dict, tables: dict[str, pd.DataFrame]):
    """The cell's value (None when the cell is empty); ``tables``: file name -> table."""
    selector = claim["selector"]
    cid = claim["id"]
    if selector["file"] not in tables:
        raise ResultsCellError(
            f"claim {cid}: results table {selector['file']} was not read (tables at hand: {sorted(tables)})"
        )
    table = tables[selector["file"]]
    needed = [*selector.get("where", {}), selector["column"]]
    missing = [c for c in needed if c not in table.columns]
    if missing:
        raise ResultsCellError(f"claim {cid}: {_describe(selector)}: the table has no column(s) {missing}")
    mask = pd.Series(True, index=table.index)
    for column, wanted in selector.get("where", {}).items():
        mask &= table[column].map(lambda cell, wanted=wanted: _equal(cell, wanted))
    rows = table[mask]
    if len(rows) != 1:
        raise (MissingCellError if rows.empty else ResultsCellError)(
            f"claim {cid}: {_describe(selector)} matches {len(rows)} rows; it must name exactly one results cell"
        )
    value = rows.iloc[0][selector["column"]]
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    return value.item() if hasattr(value, "item") else value
