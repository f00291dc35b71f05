"""Martin (2012) resistance and recovery indices against a benchmark.

For a phase [start, end] of an episode, with ``g = 100 * (y_end / y_start - 1)`` (percent):

    index_ratio = (g_unit - g_ref) / |g_ref|
    index_pp    =  g_unit - g_ref          (percentage points)

Phases: ``resistance`` over the episode's ``contraction`` years, ``recovery`` over its
``recovery`` years. An episode is a dict such as
``{"name": "gfc", "contraction": [2008, 2009], "recovery": [2009, 2011]}``.

Sign convention: the same formula is used for both phases, so a positive index always means the
unit did better than the benchmark. In a contraction (g_ref < 0) a positive resistance index means
the unit fell less (or grew); in a recovery (g_ref > 0) a positive recovery index means it grew
faster. Dividing by |g_ref| rather than g_ref keeps that sign meaning whatever the sign of g_ref.
The ratio explodes as g_ref -> 0, so it is NaN when |g_ref| < ``min_abs_ref`` (default 1e-6
percentage points: a guard against division by zero, not a substantive threshold); the plain
difference ``index_pp`` is always reported next to it.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from resilience.errors import ConfigError
from resilience.measures._frames import check_period, positive_levels, values_at
from resilience.measures.growth import period_change

WORLD_SUM = "world_sum"
# Phase name in the output -> key of the episode dict holding its [start, end] years.
PHASE_YEARS = {"resistance": "contraction", "recovery": "recovery"}
MIN_ABS_REF = 1e-6
INDEX_COLUMNS = ["unit", "episode", "phase", "g_unit", "g_ref", "index_ratio", "index_pp"]


def benchmark_levels(levels: pd.DataFrame, members: Iterable[str] | None = None) -> pd.DataFrame:
    """Yearly sum of levels over ``members`` (default: all units), with the number of units summed.

    ``value_t = sum_i y_it`` over the units with a valid level in year t. The set of units can
    change from year to year, so changes in this series mix growth with entry and exit: use it
    for display, and ``benchmark_change`` (balanced over the period's endpoints) for indices.
    Returns columns year, value, n_units, sorted by year.
    """
    lv = _member_levels(levels, members, "levels (benchmark_levels)").dropna(subset=["value"])
    summed = lv.groupby("year")["value"].agg(value="sum", n_units="count").reset_index()
    return summed.sort_values("year", ignore_index=True)


def balanced_members(levels: pd.DataFrame, start: int, end: int,
                     members: Iterable[str] | None = None) -> list[str]:
    """Units among ``members`` (default: all) with a valid level in both ``start`` and ``end``."""
    lv = _member_levels(levels, members, "levels (balanced_members)")
    both = values_at(lv, start).index.intersection(values_at(lv, end).index)
    return sorted(both)


def benchmark_change(levels: pd.DataFrame, start: int, end: int,
                     members: Iterable[str] | None = None) -> float:
    """Percent change of the summed level over a balanced set of units (the 'world total').

    ``g_ref = 100 * (sum_{i in B} y_i,end / sum_{i in B} y_i,start - 1)`` with B the units among
    ``members`` (default: all) observed in both ``start`` and ``end``. Balancing on the endpoints
    keeps a country that enters (or leaves) the data from showing up as benchmark growth (or
    decline). NaN when B is empty.
    """
    check_period(start, end)
    lv = _member_levels(levels, members, "levels (benchmark_change)")
    both = pd.concat({"start": values_at(lv, start), "end": values_at(lv, end)}, axis=1).dropna()
    if both.empty:
        return float("nan")
    return float(100 * (both["end"].sum() / both["start"].sum() - 1))


def martin_indices(levels: pd.DataFrame, episodes: list[dict], benchmark: str = WORLD_SUM, *,
                   members: Iterable[str] | None = None, min_abs_ref: float = MIN_ABS_REF) -> pd.DataFrame:
    """Resistance and recovery indices of every unit, episode and phase (formulas in the module doc).

    ``benchmark``: ``"world_sum"`` for the balanced sum over ``members`` (default: all units,
    see ``benchmark_change``), or a unit code whose own change is g_ref (e.g. the own country
    when ``levels`` holds its regions and the country total; ``members`` is then unused).
    A unit appears in a phase only when it has levels in both of the phase's years.
    Returns columns unit, episode, phase, g_unit, g_ref, index_ratio, index_pp.
    """
    lv = positive_levels(levels, "levels (martin_indices)")
    if benchmark != WORLD_SUM and benchmark not in set(lv["unit"]):
        raise ConfigError(f"Martin benchmark '{benchmark}' is neither '{WORLD_SUM}' nor a unit in the levels")
    parts = []
    for episode in episodes:
        name = _episode_name(episode)
        for phase, key in PHASE_YEARS.items():
            start, end = _episode_years(episode, key)
            g_unit = period_change(lv, start, end).rename(columns={"change": "g_unit"})
            g_ref = _reference_change(lv, start, end, benchmark, members)
            parts.append(g_unit.assign(episode=name, phase=phase, g_ref=g_ref))
    if not parts:
        return pd.DataFrame(columns=INDEX_COLUMNS)
    out = pd.concat(parts, ignore_index=True)
    out["index_pp"] = out["g_unit"] - out["g_ref"]
    usable = out["g_ref"].abs() >= min_abs_ref
    out["index_ratio"] = (out["index_pp"] / out["g_ref"].abs()).where(usable)
    return out[INDEX_COLUMNS]


def _reference_change(lv: pd.DataFrame, start: int, end: int, benchmark: str, members) -> float:
    if benchmark == WORLD_SUM:
        return benchmark_change(lv, start, end, members)
    own = period_change(lv[lv["unit"] == benchmark], start, end)["change"]
    return float(own.iloc[0]) if len(own) else float("nan")


def _member_levels(levels: pd.DataFrame, members, what: str) -> pd.DataFrame:
    lv = positive_levels(levels, what)
    if members is None:
        return lv
    members = [members] if isinstance(members, str) else members  # "CHN" is one unit, not 3 letters
    return lv[lv["unit"].isin(set(members))]


def _episode_name(episode: dict) -> str:
    if not isinstance(episode, dict) or "name" not in episode:
        raise ConfigError(f"episode {episode!r} needs a 'name' (and 'contraction', 'recovery' [start, end])")
    return str(episode["name"])


def _episode_years(episode: dict, key: str) -> tuple[int, int]:
    years = episode.get(key)
    if not isinstance(years, (list, tuple)) or len(years) != 2:
        raise ConfigError(f"episode '{episode['name']}': '{key}' must be [start, end], got {years!r}")
    start, end = int(years[0]), int(years[1])
    if not start < end:
        raise ConfigError(f"episode '{episode['name']}': '{key}' start {start} must be before end {end}")
    return start, end

