"""Industrial structure: location quotients, concentration (Herfindahl, entropy), Krugman
specialisation, and sector shares from the UN AMA activity breakdown.

Share frames are wide: one row per unit (or unit-year), one column per sector. Each row is
renormalised to sum to 1 over the listed sectors before any measure is taken, so shares and raw
values give the same result. A row with any NaN or negative entry, or summing to 0, is NaN:
a missing sector would silently change the concentration.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from resilience.errors import InputError
from resilience.measures._frames import PANEL_COLUMNS, checked_long

# Short sector name -> exact UN AMA IndicatorName.
AMA_SERIES = {
    "agriculture": "Agriculture, hunting, forestry, fishing (ISIC A-B)",
    "industry": "Mining, Manufacturing, Utilities (ISIC C-E)",
    "manufacturing": "Manufacturing (ISIC D)",
    "construction": "Construction (ISIC F)",
    "trade_hospitality": "Wholesale, retail trade, restaurants and hotels (ISIC G-H)",
    "transport_communication": "Transport, storage and communication (ISIC I)",
    "other_activities": "Other Activities (ISIC J-P)",
    "total": "Total Value Added",
}
# The seven non-overlapping sectors (mining_utilities = ISIC C-E minus D = mining C + utilities E).
AMA_SECTORS = ["agriculture", "mining_utilities", "manufacturing", "construction",
               "trade_hospitality", "transport_communication", "other_activities"]


def location_quotient(sector_va, total_va, ref_sector_va, ref_total_va):
    """``LQ = (s_i / T_i) / (S_ref / T_ref)``, element-wise (scalars, arrays or aligned Series).

    LQ > 1: the sector's share in the unit exceeds its share in the reference. A zero
    denominator gives NaN, not inf.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        lq = np.divide(np.divide(sector_va, total_va), np.divide(ref_sector_va, ref_total_va))
    if isinstance(lq, (pd.Series, pd.DataFrame)):
        return lq.where(np.isfinite(lq))
    lq = np.where(np.isfinite(lq), lq, np.nan)
    return float(lq) if lq.ndim == 0 else lq


def world_share_lq(frame: pd.DataFrame) -> pd.DataFrame:
    """Location quotient of a sector against the sum over the units present in the same year.

    ``LQ_it = (s_it / T_it) / (sum_j s_jt / sum_j T_jt)``, the sums over units j with both a
    sector value >= 0 and a total > 0 in year t (so a unit missing one of them does not enter one
    sum but not the other). Input columns unit, year, sector, total; returns unit, year, lq for
    every input row (NaN where the unit's own values are unusable).
    """
    data = checked_long(frame, ["unit", "year", "sector", "total"], ["unit", "year"],
                        "frame (world_share_lq)", numeric=("sector", "total"))
    usable = (data["sector"] >= 0) & (data["total"] > 0)
    reference = data[usable].groupby("year")[["sector", "total"]].sum()
    ref = reference.reindex(data["year"]).set_axis(data.index)
    lq = location_quotient(data["sector"], data["total"], ref["sector"], ref["total"]).where(usable)
    return data[["unit", "year"]].assign(lq=lq)


def herfindahl(shares_frame: pd.DataFrame) -> pd.Series:
    """Herfindahl-Hirschman index ``H = sum_k s_k^2`` (1/n = even spread over n sectors, 1 = one sector)."""
    return (_row_shares(shares_frame) ** 2).sum(axis=1, skipna=False).rename("herfindahl")


def normalised_herfindahl(shares_frame: pd.DataFrame) -> pd.Series:
    """``(H - 1/n) / (1 - 1/n)`` with n the number of listed sectors: 0 = even spread, 1 = one sector."""
    n = shares_frame.shape[1]
    if n < 2:
        raise InputError("shares_frame (normalised_herfindahl)", f"{n} sector column(s)",
                         expected="at least 2 sectors")
    return ((herfindahl(shares_frame) - 1 / n) / (1 - 1 / n)).rename("normalised_herfindahl")


def shannon_entropy(shares_frame: pd.DataFrame) -> pd.Series:
    """Shannon diversity ``-sum_k s_k ln s_k`` with 0 ln 0 = 0 (0 = one sector, ln n = even spread)."""
    s = _row_shares(shares_frame)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = (s * np.log(s)).where(s != 0, 0.0)  # NaN rows stay NaN: NaN != 0
    return (-terms.sum(axis=1, skipna=False)).rename("shannon_entropy")


def krugman_index(shares_unit: pd.DataFrame, shares_reference: pd.Series | pd.DataFrame) -> pd.Series:
    """Krugman specialisation ``K = sum_k |s_k - s_ref,k|`` (0 = same structure, 2 = disjoint).

    ``shares_reference``: a Series over the same sectors (one reference for every row) or a
    DataFrame with the same index and sectors (a row-specific reference, e.g. per year). Both
    sides are renormalised to sum to 1.
    """
    reference = shares_reference.to_frame().T if isinstance(shares_reference, pd.Series) else shares_reference
    if set(reference.columns) != set(shares_unit.columns):
        raise InputError("shares_reference (krugman_index)", "sectors differ from shares_unit",
                         expected=f"sectors {list(shares_unit.columns)}")
    ref = _row_shares(reference[shares_unit.columns])
    if isinstance(shares_reference, pd.Series):
        ref = pd.DataFrame(np.repeat(ref.to_numpy(), len(shares_unit), axis=0),
                           index=shares_unit.index, columns=shares_unit.columns)
    gap = (_row_shares(shares_unit) - ref.reindex(shares_unit.index)).abs()
    return gap.sum(axis=1, skipna=False).rename("krugman_index")


def ama_sector_shares(va_long: pd.DataFrame) -> pd.DataFrame:
    """Shares of the seven non-overlapping AMA sectors in their sum, per unit and year.

    AMA's "Mining, Manufacturing, Utilities (ISIC C-E)" contains "Manufacturing (ISIC D)", so the
    sectors are A-B, C-E minus D (mining and utilities), D, F, G-H, I, J-P:
    ``share_k = v_k / sum_{m in 7 sectors} v_m``.

    The denominator is the sum of the seven, not AMA's "Total Value Added", because AMA's
    components need not add up to its total (they are estimated, and at constant prices deflated,
    separately), and shares of the total would then not sum to 1. ``components_over_total`` =
    sum / Total Value Added shows the gap. A row with a missing component, or a negative one
    (notably C-E < D, a data inconsistency), gets NaN shares and says why in ``note``.

    Input columns unit, year, series (exact AMA IndicatorName), value; other series are ignored.
    Returns unit, year, the seven ``AMA_SECTORS`` share columns, components_over_total, note.
    """
    va = checked_long(va_long, PANEL_COLUMNS, ["unit", "year", "series"], "va_long (ama_sector_shares)")
    va = va[va["series"].isin(AMA_SERIES.values())]
    wide = (va.pivot(index=["unit", "year"], columns="series", values="value")
              .reindex(columns=list(AMA_SERIES.values())).set_axis(list(AMA_SERIES), axis=1))
    sectors = wide.drop(columns=["industry", "total"]).assign(
        mining_utilities=wide["industry"] - wide["manufacturing"])[AMA_SECTORS]
    summed = sectors.sum(axis=1, skipna=False)
    note = _ama_notes(wide, sectors)
    shares = sectors.div(summed, axis=0)
    shares.loc[note != ""] = np.nan
    out = shares.assign(components_over_total=summed / wide["total"], note=note)
    return out.reset_index()


def _ama_notes(wide: pd.DataFrame, sectors: pd.DataFrame) -> pd.Series:
    """Why a row's shares are unusable ('' if they are usable), '; '-joined."""
    parts = []
    for name in AMA_SERIES:
        if name != "total":
            parts.append(np.where(wide[name].isna(), f"missing '{AMA_SERIES[name]}'", ""))
    parts.append(np.where(sectors["mining_utilities"] < 0, "C-E < D: mining and utilities negative", ""))
    for name in AMA_SECTORS:
        if name != "mining_utilities":
            parts.append(np.where(sectors[name] < 0, f"negative {name}", ""))
    parts.append(np.where(sectors.sum(axis=1, skipna=False) == 0, "all sectors zero", ""))
    joined = ["; ".join(p for p in row if p) for row in zip(*parts)]
    return pd.Series(joined, index=wide.index, dtype="object")


def _row_shares(shares_frame: pd.DataFrame) -> pd.DataFrame:
    """Rows renormalised to sum to 1; NaN rows where any entry is NaN or negative, or the sum is 0."""
    x = shares_frame.astype("float64")
    total = x.sum(axis=1, skipna=False)
    unusable = x.isna().any(axis=1) | (x < 0).any(axis=1) | ~(total > 0)
    return x.div(total.where(~unusable), axis=0)
