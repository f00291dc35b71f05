"""Growth rates and period changes of level series.

Input: a long frame ``levels`` with columns unit, year, value (value > 0). A non-positive or
NaN level is treated as missing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from resilience.measures._frames import check_period, positive_levels, values_at


def log_growth(levels: pd.DataFrame) -> pd.DataFrame:
    """Annual log growth in percent, one row per input (unit, year).

    ``growth_t = 100 * (ln y_t - ln y_{t-1})``.

    NaN when year t-1 is absent for the unit (the first year, or a gap: the change across a gap
    is not an annual rate) or when either level is NaN or non-positive.
    Returns columns unit, year, growth, sorted by unit, year.
    """
    lv = positive_levels(levels, "levels (log_growth)")
    lv["log_level"] = np.log(lv["value"])
    # Shifting the year forward by one puts ln y_{t-1} on the row of year t; a gap finds no match.
    previous = pd.DataFrame({"unit": lv["unit"], "year": lv["year"] + 1, "log_previous": lv["log_level"]})
    out = lv.merge(previous, on=["unit", "year"], how="left")
    out["growth"] = 100 * (out["log_level"] - out["log_previous"])
    return out.sort_values(["unit", "year"], ignore_index=True)[["unit", "year", "growth"]]


def period_change(levels: pd.DataFrame, start: int, end: int) -> pd.DataFrame:
    """Proportional change in percent between two years, as in Martin (2012).

    ``change = 100 * (y_end / y_start - 1)``.

    Only units with a valid (positive, non-NaN) level in both ``start`` and ``end`` appear;
    years in between are not needed. Returns columns unit, change, sorted by unit.
    """
    check_period(start, end)
    lv = positive_levels(levels, "levels (period_change)")
    both = pd.concat({"start": values_at(lv, start), "end": values_at(lv, end)}, axis=1).dropna()
    change = 100 * (both["end"] / both["start"] - 1)
    return pd.DataFrame({"unit": change.index, "change": change.to_numpy()}).sort_values(
        "unit", ignore_index=True)
