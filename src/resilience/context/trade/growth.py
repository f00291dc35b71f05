"""Growth of US imports by partner since a base year, beside the growth of imports from China.

From the annual partner table (``trade_partner_annual.csv``): per source and partner, imports in the base
year and in the end year (configured, so that a newer vintage does not move the claim's period; else
the source's latest year with all twelve months; years without a month count are whole years of an
annual source), the growth in percent, and whether it outgrew imports from China over the
same years in the same source.
"""

from __future__ import annotations

import pandas as pd

from resilience.errors import InputError

GROWTH_COLUMNS = [
    "source",
    "partner",
    "label",
    "base_year",
    "latest_year",
    "base_usd_bn",
    "latest_usd_bn",
    "growth_pct",
    "china_growth_pct",
    "faster_than_china",
]


def _whole_years(annual: pd.DataFrame) -> pd.DataFrame:
    months = pd.to_numeric(annual["months"], errors="coerce")
    return annual[months.isna() | (months == 12)]


def partner_growth(
    annual: pd.DataFrame,
    base_year: int,
    china: str,
    world: str,
    end_year: int | None = None,
    name: str = "annual partner table",
) -> pd.DataFrame:
    """Growth from ``base_year`` to ``end_year`` (None: each source's latest whole year), beside China's.
    A source without China in both years gives no rows."""
    missing = {"source", "partner", "label", "year", "months", "imports_usd_bn"} - set(annual.columns)
    if missing:
        raise InputError(name, f"missing column(s) {sorted(missing)}")
    rows = []
    for source, table in _whole_years(annual).groupby("source", sort=True):
        table = table[table["partner"] != world]
        value = table.set_index(["partner", "year"])["imports_usd_bn"]
        latest = int(table["year"].max()) if end_year is None else int(end_year)
        if latest <= base_year or (china, base_year) not in value.index or (china, latest) not in value.index:
            continue
        china_growth = 100 * (value[(china, latest)] / value[(china, base_year)] - 1)
        for partner, label in table[["partner", "label"]].drop_duplicates().itertuples(index=False):
            if (partner, base_year) not in value.index or (partner, latest) not in value.index:
                continue
            growth = 100 * (value[(partner, latest)] / value[(partner, base_year)] - 1)
            rows.append(
                {
                    "source": source,
                    "partner": partner,
                    "label": label,
                    "base_year": base_year,
                    "latest_year": latest,
                    "base_usd_bn": value[(partner, base_year)],
                    "latest_usd_bn": value[(partner, latest)],
                    "growth_pct": growth,
                    "china_growth_pct": china_growth,
                    "faster_than_china": None if partner == china else bool(growth > china_growth),
                }
            )
    out = pd.DataFrame(rows, columns=GROWTH_COLUMNS)
    out["faster_than_china"] = out["faster_than_china"].astype("boolean")
    return out.sort_values(["source", "partner"]).reset_index(drop=True)
