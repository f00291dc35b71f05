"""Cluster and specialisation measures of regions (or provinces) from employment by sector.

Notation: E_rk employment of region r in sector k, E_r its total, and the reference (all regions
given, or the regions of the same group, e.g. country) E_Rk = sum_r E_rk, E_R = sum_r E_r.

- location quotient          LQ_rk = (E_rk / E_r) / (E_Rk / E_R)        (``structure.location_quotient``)
- cluster count              C_r = #{k : LQ_rk >= threshold and E_rk >= min_size}
- Krugman specialisation     K_r = 1/2 sum_k |s_rk - s_Rk|, s = shares over the listed sectors;
                             normalised to [0, 1] (0 = the reference's structure, 1 = disjoint)
- normalised Herfindahl      (H_r - 1/n) / (1 - 1/n), H_r = sum_k s_rk^2 (0 = even over n sectors,
                             1 = one sector)

Wide inputs: one row per unit, one column per sector (plus an optional total per unit). The
reference sums run over the units whose sector value and total are both usable (>= 0 and > 0),
so a unit with a gap does not enter one sum but not the other.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from resilience.errors import InputError
from resilience.measures.structure import krugman_index, location_quotient, normalised_herfindahl

DEFAULT_THRESHOLD = 1.25


def lq_against_reference(frame: pd.DataFrame, group: str | None = None) -> pd.DataFrame:
    """Location quotient of one sector per unit-year against the sum over units (of the same group).

    ``frame`` columns: unit, year, sector, total (and ``group`` if given, e.g. country: then the
    reference is the unit's own group in that year). Returns unit, year, lq for every input row
    (NaN where the unit's own values are unusable or the reference is empty).
    """
    keys = ["unit", "year"] + ([group] if group else [])
    missing = [c for c in keys + ["sector", "total"] if c not in frame.columns]
    if missing:
        raise InputError("frame (lq_against_reference)", f"missing columns {missing}",
                         expected=f"columns {keys + ['sector', 'total']}")
    data = frame[keys + ["sector", "total"]].astype({"sector": "float64", "total": "float64"})
    if data.duplicated(["unit", "year"]).any():
        raise InputError("frame (lq_against_reference)", "duplicate unit-year", expected="one row per unit and year")
    usable = (data["sector"] >= 0) & (data["total"] > 0)
    by = ["year"] + ([group] if group else [])
    reference = data[usable].groupby(by)[["sector", "total"]].sum()
    ref = reference.reindex(pd.MultiIndex.from_frame(data[by]) if group else data["year"]).set_axis(data.index)
    lq = location_quotient(data["sector"], data["total"], ref["sector"], ref["total"]).where(usable)
    return data[["unit", "year"]].assign(lq=lq)


def lq_matrix(values: pd.DataFrame, totals: pd.Series | None = None) -> pd.DataFrame:
    """LQ_rk for every unit (row) and sector (column) against the sum over the units.

    ``totals`` defaults to the row sums over the listed sectors (then the LQs describe the
    structure within these sectors). Units with a missing sector value or total get NaN in that
    cell only, and do not enter that sector's reference sum.
    """
    x = _numeric(values, "values (lq_matrix)")
    total = x.sum(axis=1, skipna=False) if totals is None else totals.reindex(x.index).astype("float64")
    out = {}
    for sector in x.columns:
        usable = (x[sector] >= 0) & (total > 0)
        ref_sector, ref_total = x.loc[usable, sector].sum(), total[usable].sum()
        out[sector] = location_quotient(x[sector], total, ref_sector, ref_total).where(usable)
    return pd.DataFrame(out, index=x.index)


def cluster_count(values: pd.DataFrame, totals: pd.Series | None = None, *, threshold: float = DEFAULT_THRESHOLD,
                  min_size: float = 0.0) -> pd.DataFrame:
    """Number of sectors with LQ >= ``threshold`` and employment >= ``min_size`` per unit.

    Returns columns cluster_count and sectors_observed (sectors with a usable LQ: a confidential
    or missing cell cannot count as a cluster, and how many were observed is reported beside the
    count rather than hidden). A unit with no observed sector gets NaN.
    """
    if threshold <= 0 or min_size < 0:
        raise InputError("cluster_count", f"threshold {threshold}, min_size {min_size}",
                         expected="threshold > 0 and min_size >= 0")
    x = _numeric(values, "values (cluster_count)")
    lq = lq_matrix(x, totals)
    observed = lq.notna().sum(axis=1)
    strong = (lq >= threshold) & (x >= min_size)
    count = strong.sum(axis=1).astype("float64").where(observed > 0)
    return pd.DataFrame({"cluster_count": count, "sectors_observed": observed.astype("int64")}, index=x.index)


def krugman_specialisation(values: pd.DataFrame, reference: pd.Series | None = None) -> pd.Series:
    """Normalised Krugman index ``1/2 sum_k |s_rk - s_Rk|`` in [0, 1] per unit.

    ``reference``: sector values of the benchmark (default: the sum over the units with a
    complete row). Rows with a missing or negative sector are NaN (a gap would change the shares).
    """
    x = _numeric(values, "values (krugman_specialisation)")
    if reference is None:
        complete = x.dropna(how="any")
        complete = complete[(complete >= 0).all(axis=1)]
        if complete.empty:
            return pd.Series(np.nan, index=x.index, name="krugman_norm")
        reference = complete.sum()
    return (krugman_index(x, reference.astype("float64")) / 2).rename("krugman_norm")


def herfindahl_specialisation(values: pd.DataFrame) -> pd.Series:
    """Normalised Herfindahl of the sector shares per unit, in [0, 1] (NaN for incomplete rows)."""
    return normalised_herfindahl(_numeric(values, "values (herfindahl_specialisation)")).rename("herfindahl_norm")


def _numeric(values: pd.DataFrame, what: str) -> pd.DataFrame:
    if values.shape[1] == 0:
        raise InputError(what, "no sector columns", expected="one column per sector")
    try:
        return values.astype("float64")
    except (TypeError, ValueError) as exc:
        raise InputError(what, f"non-numeric values ({exc})", expected="numeric sector columns") from exc
