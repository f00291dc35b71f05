"""Did a risk index keep rising? Each period's mean against the period before it.

From the period-means table (``complex_risk_period_means.csv``): per index, the periods in time order,
each with the previous period's mean, the change and whether it rose. ``kept_rising`` (the same on
every row of an index) is true when every period after the first rose; a period without observations
has no mean and cannot be said to rise (its ``rose`` is empty, and so is ``kept_rising``).

Within each period, from the annual means of complete years (``complex_risk_annual.csv``): the
least-squares slope of the annual mean on the year (``slope_per_year``, index points a year) and
whether the annual mean rose every year (``rose_every_year``): "kept rising after 2008" is a claim
about the path within 2008-2019, which a comparison of period means cannot test. Fewer than two
complete years: both empty.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from resilience.errors import InputError

TREND_COLUMNS = [
    "key",
    "label",
    "period",
    "first_year",
    "last_year",
    "mean",
    "previous_period",
    "previous_mean",
    "change",
    "change_pct",
    "rose",
    "kept_rising",
    "complete_years",
    "slope_per_year",
    "rose_every_year",
]


def within_period(annual: pd.DataFrame, key: str, first_year: int, last_year: int) -> dict:
    """Slope and year-on-year rises of the complete annual means of ``key`` in [first_year, last_year]."""
    own = annual[(annual["key"] == key) & annual["year"].between(first_year, last_year)]
    own = own[own["complete"].astype(str).str.lower().eq("true") & own["mean"].notna()].sort_values("year")
    if len(own) < 2:
        return {"complete_years": len(own), "slope_per_year": np.nan, "rose_every_year": None}
    years, means = own["year"].to_numpy(float), own["mean"].to_numpy(float)
    slope = float(np.polyfit(years - years.mean(), means, 1)[0])
    return {"complete_years": len(own), "slope_per_year": slope, "rose_every_year": bool((np.diff(means) > 0).all())}


def period_trend(
    periods: pd.DataFrame, annual: pd.DataFrame, name: str = "period means", annual_name: str = "annual means"
) -> pd.DataFrame:
    missing_annual = {"key", "year", "complete", "mean"} - set(annual.columns)
    if missing_annual:
        raise InputError(annual_name, f"missing column(s) {sorted(missing_annual)}")
    missing = {"key", "label", "period", "first_year", "last_year", "mean"} - set(periods.columns)
    if missing:
        raise InputError(name, f"missing column(s) {sorted(missing)}")
    rows = []
    for key, group in periods.groupby("key", sort=False):
        group = group.sort_values("first_year")
        previous = None
        trend = []
        for row in group.itertuples(index=False):
            if previous is not None:
                change = row.mean - previous.mean
                rose = None if pd.isna(change) else bool(change > 0)
                trend.append(
                    {
                        "key": key,
                        "label": row.label,
                        "period": row.period,
                        "first_year": row.first_year,
                        "last_year": row.last_year,
                        "mean": row.mean,
                        "previous_period": previous.period,
                        "previous_mean": previous.mean,
                        "change": change,
                        "change_pct": 100 * change / previous.mean,
                        "rose": rose,
                        **within_period(annual, key, int(row.first_year), int(row.last_year)),
                    }
                )
            previous = row
        answers = [t["rose"] for t in trend]
        kept = None if (not answers or any(a is None for a in answers)) else all(answers)
        rows += [{**t, "kept_rising": kept} for t in trend]
    out = pd.DataFrame(rows, columns=TREND_COLUMNS)
    for column in ("rose", "kept_rising", "rose_every_year"):
        out[column] = out[column].astype("boolean")
    return out
