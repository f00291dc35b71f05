"""Did a risk index keep rising? Each period's mean against the period before it.

From the period-means table (``complex_risk_period_means.csv``): per index, the periods in time order,
each with the previous period's mean, the change and whether it rose. ``kept_rising`` (the same on
every row of an index) is true when every period after the first rose; a period without observations
has no mean and cannot be said to rise (its ``rose`` is empty, and so is ``kept_rising``).
"""

from __future__ import annotations

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
]


def period_trend(periods: pd.DataFrame, name: str = "period means") -> pd.DataFrame:
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
                    }
                )
            previous = row
        answers = [t["rose"] for t in trend]
        kept = None if (not answers or any(a is None for a in answers)) else all(answers)
        rows += [{**t, "kept_rising": kept} for t in trend]
    out = pd.DataFrame(rows, columns=TREND_COLUMNS)
    for column in ("rose", "kept_rising"):
        out[column] = out[column].astype("boolean")
    return out
