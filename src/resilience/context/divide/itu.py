"""People offline by ITU's own aggregates (Key ICT indicators), beside the WDI-based count.

ITU publishes, per group and year, the number of Internet users (millions) and their share of the
population (%). The people offline follow without a population series: users / share x 100 is the
population ITU used, and offline = that population - users. The edition matters: each November edition
revises the recent years (the paper's "2.6 billion offline in 2024" is the November 2024 edition's).
"""

from __future__ import annotations

import pandas as pd

from resilience.errors import InputError

OFFLINE_COLUMNS = [
    "edition",
    "group",
    "year",
    "users_millions",
    "internet_pct",
    "population_implied",
    "offline_people",
    "offline_pct",
]
MILLION = 1e6


def itu_offline(aggregates: pd.DataFrame, edition: str, name: str = "ITU aggregates") -> pd.DataFrame:
    """Rows with both users and share: the implied population and the people offline (persons)."""
    missing = {"group", "year", "total", "total_unit", "rate"} - set(aggregates.columns)
    if missing:
        raise InputError(name, f"missing column(s) {sorted(missing)}")
    units = set(aggregates["total_unit"].dropna())
    if units - {"Millions"}:
        raise InputError(name, f"totals in {sorted(units)}", expected="Millions")
    rows = aggregates.dropna(subset=["total", "rate"])
    rows = rows[rows["rate"] > 0]
    users = rows["total"] * MILLION
    population = users / rows["rate"] * 100
    out = pd.DataFrame(
        {
            "edition": edition,
            "group": rows["group"],
            "year": rows["year"].astype("int64"),
            "users_millions": rows["total"],
            "internet_pct": rows["rate"],
            "population_implied": population,
            "offline_people": population - users,
            "offline_pct": 100 - rows["rate"],
        }
    )
    return out[OFFLINE_COLUMNS].sort_values(["group", "year"]).reset_index(drop=True)
