"""Pre-shock exposures: one value per unit and series, taken at (or near) a reference year."""

from __future__ import annotations

import pandas as pd

from resilience.measures._frames import PANEL_COLUMNS, checked_long

NEAR_COLUMNS = ["unit", "series", "value", "year_used"]


def value_near_year(panel_long: pd.DataFrame, ref_year: int, max_back: int = 2,
                    latest: int | None = None) -> pd.DataFrame:
    """The value of each (unit, series) in ``ref_year``, or in the nearest available year.

    Rule: among the years t with a non-NaN value and ``ref_year - max_back <= t <= latest``
    (``latest`` defaults to ``ref_year``), take the one minimising |t - ref_year|; ties go to
    the EARLIER year, because an exposure should predate the shock. Set ``latest`` to the last
    pre-shock year (e.g. ref 2007, latest 2008 = the contraction start for the 2009 episode) so a
    year inside the shock is never used. Pairs with no value in the window are absent.

    ``panel_long`` columns: unit, year, series, value. Returns columns unit, series, value,
    year_used, sorted by unit, series.
    """
    latest = ref_year if latest is None else latest
    if latest < ref_year:
        raise ValueError(f"latest {latest} must not be before ref_year {ref_year}")
    if max_back < 0:
        raise ValueError(f"max_back must be >= 0, got {max_back}")
    panel = checked_long(panel_long, PANEL_COLUMNS, ["unit", "year", "series"], "panel_long (value_near_year)")
    window = panel[panel["year"].between(ref_year - max_back, latest) & panel["value"].notna()]
    window = window.assign(distance=(window["year"] - ref_year).abs())
    # Sorting by distance, then year ascending, puts the earlier of two equidistant years first.
    nearest = window.sort_values(["unit", "series", "distance", "year"]).drop_duplicates(["unit", "series"])
    return nearest.rename(columns={"year": "year_used"})[NEAR_COLUMNS].reset_index(drop=True)
