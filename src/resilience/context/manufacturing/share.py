"""One economy's share of world manufacturing value added, its rank, and since when it has led.

The world is the sum over the economies the panel has a value for in that year (UN AMA publishes
every economy, so the sum is the world total up to the economies without data; ``n_economies`` says
how many entered). The lead run is the unbroken run of years at rank 1 that ends in the row's year:
``lead_since`` is its first year (empty when the economy is not first that year).
"""

from __future__ import annotations

import pandas as pd

from resilience.errors import InputError

SHARE_COLUMNS = [
    "iso3",
    "year",
    "value_usd_bn",
    "world_usd_bn",
    "share_pct",
    "rank",
    "leader",
    "n_economies",
    "lead_since",
]
BN = 1e9


def world_share(panel: pd.DataFrame, column: str, iso3: str, name: str = "panel") -> pd.DataFrame:
    """Per year with a value for ``iso3``: its value, the world sum, its share (%), its rank (1 = largest),
    the largest economy, the number of economies summed, and the first year of its current lead run."""
    missing = {"iso3", "year", column} - set(panel.columns)
    if missing:
        raise InputError(name, f"missing column(s) {sorted(missing)}", expected=f"iso3, year and {column}")
    values = panel[["iso3", "year", column]].dropna().rename(columns={column: "value"})
    if iso3 not in set(values["iso3"]):
        raise InputError(name, f"no value of {column} for {iso3}")
    values = values.sort_values(["year", "value", "iso3"], ascending=[True, False, True])
    values["rank"] = values.groupby("year")["value"].rank(method="min", ascending=False).astype("int64")
    by_year = values.groupby("year").agg(world=("value", "sum"), n_economies=("iso3", "size"), leader=("iso3", "first"))
    own = values[values["iso3"] == iso3].set_index("year")
    out = own.join(by_year, how="left").reset_index()
    out = pd.DataFrame(
        {
            "iso3": iso3,
            "year": out["year"].astype("int64"),
            "value_usd_bn": out["value"] / BN,
            "world_usd_bn": out["world"] / BN,
            "share_pct": 100 * out["value"] / out["world"],
            "rank": out["rank"],
            "leader": out["leader"],
            "n_economies": out["n_economies"].astype("int64"),
        }
    )
    out["lead_since"] = lead_since(out["year"].tolist(), out["rank"].tolist())
    return out[SHARE_COLUMNS].sort_values("year").reset_index(drop=True)


def lead_since(years: list[int], ranks: list[int]) -> list[int | None]:
    """For each year (ascending), the first year of the unbroken run at rank 1 ending there, else None.
    A gap in the years breaks the run: a year without data is not a year of lead."""
    out, start, previous = [], None, None
    for year, rank in zip(years, ranks):
        if rank != 1:
            start = None
        elif start is None or previous is None or year != previous + 1:
            start = year
        out.append(start if rank == 1 else None)
        previous = year
    return pd.array(out, dtype="Int64")
