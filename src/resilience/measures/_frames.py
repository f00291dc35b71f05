"""Checks and reshaping shared by the measures (private).

The measures receive in-memory frames, not files, so an ``InputError`` names the argument
(e.g. ``"levels (log_growth)"``) where it would otherwise name a path.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from resilience.errors import InputError

LEVEL_COLUMNS = ["unit", "year", "value"]
PANEL_COLUMNS = ["unit", "year", "series", "value"]


def checked_long(frame: pd.DataFrame, columns: list[str], keys: list[str], what: str,
                 numeric: tuple[str, ...] = ("value",)) -> pd.DataFrame:
    """``frame[columns]`` with str unit, int years and float ``numeric`` columns.

    Raises ``InputError`` on missing columns, missing unit or year, non-numeric values, or
    duplicate ``keys``.
    """
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(what, f"missing columns {missing}", expected=f"columns {columns}")
    out = frame[columns].reset_index(drop=True)
    blank = out[["unit", "year"]].isna().any(axis=1)
    if blank.any():
        raise InputError(what, "missing unit or year", row=int(np.flatnonzero(blank.to_numpy())[0]),
                         field="unit/year", expected="a unit code and a year on every row")
    try:
        out = out.astype({"unit": str, "year": "int64", **{c: "float64" for c in numeric}})
    except (TypeError, ValueError) as exc:
        raise InputError(what, f"non-numeric year or value ({exc})", field="year/" + "/".join(numeric),
                         expected="integer years and numeric values") from exc
    duplicated = out.duplicated(keys, keep=False)
    if duplicated.any():
        row = int(np.flatnonzero(duplicated.to_numpy())[0])
        raise InputError(what, f"duplicate key {out.loc[row, keys].to_dict()}", row=row,
                         field="/".join(keys), expected="one row per key")
    return out


def positive_levels(levels: pd.DataFrame, what: str) -> pd.DataFrame:
    """Checked level frame (unit, year, value) with non-positive values set to NaN.

    Levels enter logarithms and ratios, so a zero or negative level is treated as missing
    rather than producing -inf or a sign flip.
    """
    out = checked_long(levels, LEVEL_COLUMNS, ["unit", "year"], what)
    out["value"] = out["value"].where(out["value"] > 0)
    return out


def level_table(levels: pd.DataFrame, what: str) -> pd.DataFrame:
    """Positive levels as a table: one row per unit, one column per year (NaN where missing)."""
    return positive_levels(levels, what).pivot(index="unit", columns="year", values="value")


def values_at(levels: pd.DataFrame, year: int) -> pd.Series:
    """Valid (non-NaN) values of a checked level frame in ``year``, indexed by unit."""
    rows = levels[(levels["year"] == year) & levels["value"].notna()]
    return rows.set_index("unit")["value"]


def check_period(start: int, end: int) -> None:
    """A period runs forward in time: ``start < end``."""
    if not start < end:
        raise ValueError(f"period start {start} must be before end {end}")
