"""Resilience measures of units against their own group (EU regions in their country, Chinese provinces).

Generic over any long panel of units, each in one ``group`` (the column that groups units, e.g. the
EU region's country; a panel maps its own name for it to ``group`` where it builds its panel): the
Martin (2012) indices reuse ``resilience.measures.martin`` with the benchmark set to the unit's own
group, either the group's published total (``benchmark="national"``) or the sum of its units balanced
over the phase's endpoints (``benchmark="units_sum"``, ``martin.benchmark_change``). The formulas,
sign convention and the ratio's guard are those of ``measures.martin``:

    g = 100 (y_end / y_start - 1);  index_pp = g_unit - g_group;  index_ratio = index_pp / |g_group|

Published growth rates (Eurostat's ``PCH_PRE``) are turned into a chained index first
(``chain_index``), so a phase change is the compound growth over the phase's years.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from resilience.errors import ConfigError, InputError
from resilience.measures import martin
from resilience.measures.exposure import value_near_year
from resilience.measures.growth import log_growth, period_change

MARTIN_COLUMNS = ["unit", "group", "episode", "phase", "g_unit", "g_ref", "index_ratio", "index_pp"]
BENCHMARKS = ("national", "units_sum")
_GROUP_PREFIX = "@group:"


def regional_martin(levels: pd.DataFrame, episodes: list[dict], *, benchmark: str = "national",
                    national: pd.DataFrame | None = None) -> pd.DataFrame:
    """Martin resistance and recovery of every unit against its own group, per episode and phase.

    ``levels``: unit, group, year, value (one row per unit-year). ``national``: group, year, value,
    the groups' own totals (needed for ``benchmark="national"``; a group without its own row in a
    phase's two years gets g_ref NaN and so NaN indices). Returns MARTIN_COLUMNS sorted by episode,
    phase, unit.
    """
    if benchmark not in BENCHMARKS:
        raise ConfigError(f"regional Martin benchmark {benchmark!r}: expected one of {list(BENCHMARKS)}")
    units = _checked(levels, ["unit", "group", "year", "value"], "levels (regional_martin)")
    if benchmark == "national":
        if national is None:
            raise ConfigError("regional Martin benchmark 'national' needs the national levels")
        totals = _checked(national, ["group", "year", "value"], "national (regional_martin)")
    parts = []
    for group, own in units.groupby("group", sort=True):
        frame = own[["unit", "year", "value"]]
        if benchmark == "national":
            reference = totals[totals["group"] == group]
            if reference["value"].gt(0).sum() == 0:
                parts.append(_without_reference(frame, episodes, group))
                continue
            frame = pd.concat([frame, reference.assign(unit=_GROUP_PREFIX + group)[["unit", "year", "value"]]])
            out = martin.martin_indices(frame, episodes, benchmark=_GROUP_PREFIX + group)
            out = out[out["unit"] != _GROUP_PREFIX + group]
        else:
            out = martin.martin_indices(frame, episodes, members=sorted(own["unit"].unique()))
        parts.append(out.assign(group=group))
    if not parts:
        return pd.DataFrame(columns=MARTIN_COLUMNS)
    out = pd.concat(parts, ignore_index=True)
    return out[MARTIN_COLUMNS].sort_values(["episode", "phase", "unit"], ignore_index=True)


def chain_index(growth: pd.DataFrame, base: float = 100.0) -> pd.DataFrame:
    """Level index from annual growth rates in percent: ``I_t = I_{t-1} (1 + g_t / 100)``.

    ``growth``: unit, year, value (g_t, % change on the previous year). Per unit the index is
    ``base`` in the year before its first non-missing rate and chains on from there; a missing
    rate (or a missing year) breaks the chain and every later year is NaN, because a level after
    the gap cannot be linked to the levels before it. Returns unit, year, value.
    """
    data = _checked(growth, ["unit", "year", "value"], "growth (chain_index)", key=["unit", "year"])
    rows = []
    for unit, own in data.sort_values(["unit", "year"]).groupby("unit", sort=True):
        observed = own.dropna(subset=["value"])
        if observed.empty:
            continue
        first = int(observed["year"].iloc[0])
        level = base
        rows.append((unit, first - 1, level))
        rates = own.set_index("year")["value"]
        for year in range(first, int(own["year"].max()) + 1):
            rate = rates.get(year, np.nan)
            level = level * (1 + rate / 100) if np.isfinite(level) and pd.notna(rate) else np.nan
            rows.append((unit, year, level))
    return pd.DataFrame(rows, columns=["unit", "year", "value"])


def unit_log_growth(levels: pd.DataFrame) -> pd.DataFrame:
    """Annual log growth in percent per unit-year (``measures.growth.log_growth``): unit, year, growth."""
    frame = _checked(levels, ["unit", "year", "value"], "levels (unit_log_growth)", key=["unit", "year"])
    return log_growth(frame)


def pre_shock_values(panel: pd.DataFrame, episode: dict, max_back: int) -> pd.DataFrame:
    """Each unit's value of each series at the episode's exposure year, or the nearest earlier one.

    ``measures.exposure.value_near_year`` with ``ref_year = exposure_year`` and ``latest`` = the
    contraction start (never a year inside the shock). ``panel``: unit, year, series, value.
    Returns unit, series, value, year_used.
    """
    return value_near_year(panel[["unit", "year", "series", "value"]], episode["exposure_year"], max_back=max_back,
                           latest=episode["contraction"][0])


def sole_units(frame: pd.DataFrame, unit: str = "unit", group: str = "group") -> list[str]:
    """The units that are their group's only unit in ``frame`` (sorted): against their own group such a
    unit is its own benchmark (Martin index 0 by construction), and group x year effects absorb it."""
    require_columns(frame, [unit, group], "units (sole_units)")
    counts = frame.drop_duplicates([unit, group]).groupby(group)[unit].agg(["nunique", "first"])
    return sorted(counts.loc[counts["nunique"] == 1, "first"].astype(str))


def _without_reference(frame: pd.DataFrame, episodes: list[dict], group: str) -> pd.DataFrame:
    """Rows with g_unit but NaN g_ref for a group whose own total is missing."""
    parts = []
    for episode in episodes:
        for phase, key in martin.PHASE_YEARS.items():
            start, end = episode[key]
            change = period_change(frame, start, end).rename(columns={"change": "g_unit"})
            parts.append(change.assign(episode=episode["name"], phase=phase, g_ref=np.nan,
                                       index_ratio=np.nan, index_pp=np.nan))
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["unit"])
    return out.assign(group=group)


def require_columns(frame: pd.DataFrame, columns: list[str], what: str) -> None:
    """InputError naming ``what`` and the first missing column when ``frame`` lacks one of ``columns``
    (e.g. a panel's table handed over without mapping its own group column to ``group``)."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(what, f"missing columns {missing}", field=missing[0], expected=f"columns {columns}")


def _checked(frame: pd.DataFrame, columns: list[str], what: str, key: list[str] | None = None) -> pd.DataFrame:
    require_columns(frame, columns, what)
    out = frame[columns].astype({"year": "int64", "value": "float64"}).reset_index(drop=True)
    key = key or (["unit", "year"] if "unit" in columns else ["group", "year"])
    duplicated = out.duplicated(key)
    if duplicated.any():
        raise InputError(what, f"duplicate {key} {out.loc[duplicated, key].iloc[0].to_dict()}",
                         expected=f"one row per {'/'.join(key)}")
    return out


def resistance_frame(martin: pd.DataFrame, exposures: pd.DataFrame, outcome: str, episode: str) -> pd.DataFrame:
    """One row per unit: its group, its resistance (index_pp, index_ratio) in ``episode`` and its exposures
    (wide). ``martin``: outcome, unit, group, episode, phase, index_pp, index_ratio."""
    require_columns(martin, ["outcome", "unit", "group", "episode", "phase", "index_pp", "index_ratio"],
                    "martin (resistance_frame)")
    own = martin[(martin["outcome"] == outcome) & (martin["episode"] == episode) & (martin["phase"] == "resistance")]
    frame = own[["unit", "group", "index_pp", "index_ratio"]].reset_index(drop=True)
    expo = exposures[exposures["episode"] == episode]
    if expo.empty:
        return frame
    wide = expo.pivot(index="unit", columns="variable", values="value")
    return frame.join(wide, on="unit")
