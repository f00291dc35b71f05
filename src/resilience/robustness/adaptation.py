r"""Adaptation, the third part of resilience (resist, recover, adapt), per unit and episode.

For episode e with contraction [y0, y1] and recovery [y1, y2] (y0 the last pre-shock year, y2 the
end of recovery), the pre-shock year is p = y0 + ``pre_offset`` and the post-recovery year
q = y2 + ``post_offset`` (both 0 by default).

Structural change (``share_change``, ``diversity_change``), from the panel's long series::

    share_t     = 100 N_it / D_it   (or the series N itself when it is already a percent share)
    d_share     = share_q - share_p                                      (percentage points)
    diversity_t = 1 - sum_k s_{i,k,t}^2  ("herfindahl")  or  -sum_k s ln s  ("entropy"),
                  s_{i,k,t} = v_{i,k,t} / sum_k v_{i,k,t} over non-overlapping sectors k
    d_diversity = diversity_q - diversity_p

A year in which any listed sector is missing (or negative) has no diversity (``measures.structure``:
a missing sector would silently change the concentration), so a change needing it is NaN.

Hysteresis (Martin et al. 2016's renewal vs lock-in): fit ln Y_it = a_i + b_i t by OLS over the
pre-shock window t = p - W + 1 .. p (W = ``trend_years``), then at T = q + k for each k in
``years_after``::

    hysteresis_{i,T} = 100 (Y_iT / exp(a_i + b_i T) - 1)                    (percent of trend)

Negative = output still below its pre-shock trend (a lasting loss). Missing years: the trend uses
the observed (positive) levels in the window and needs at least ``min_trend_years`` of them
(default W: a complete window) and at least 2; otherwise NaN. A missing level at T gives NaN for
that T only. Levels can come from the panel's percent log growth (``log_levels``: the ratio to a
log-linear trend does not depend on a unit's level, so an index chained from growth is enough). It answers: did the shock change what the economy produces, and did output return
to its old growth path or settle on a lower (or higher) one?
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from resilience.errors import ConfigError, InputError
from resilience.measures.structure import herfindahl, shannon_entropy
from resilience.robustness import _inputs

CHANGE_COLUMNS = ["unit", "episode", "year_pre", "year_post", "pre", "post", "value"]
HYSTERESIS_COLUMNS = ["unit", "episode", "years_after", "year", "trend_growth", "n_trend_years", "actual", "trend",
                      "hysteresis"]
DIVERSITY = ("herfindahl", "entropy")


def episode_years(entry, pre_offset: int = 0, post_offset: int = 0) -> tuple[int, int]:
    """(pre-shock year y0 + ``pre_offset``, post-recovery year y2 + ``post_offset``) of an episode."""
    ep = _inputs.episode(entry)
    return ep.contraction[0] + pre_offset, ep.recovery[1] + post_offset


def share_change(levels: pd.DataFrame, episodes, *, numerator: str, denominator: str | None = None,
                 pre_offset: int = 0, post_offset: int = 0) -> pd.DataFrame:
    """Change of a share (percentage points) between the pre-shock and post-recovery years (``CHANGE_COLUMNS``).

    ``levels``: long, columns unit, year, series, value. The share is 100 numerator / denominator, or
    the ``numerator`` series itself (already in percent) without a denominator.
    """
    wide = _series_table(levels, [numerator, *([denominator] if denominator else [])], "share_change")
    share = wide[numerator] if denominator is None else 100 * wide[numerator] / wide[denominator].where(
        wide[denominator] > 0)
    return _change(share.unstack("year"), episodes, pre_offset, post_offset)


def diversity_change(levels: pd.DataFrame, episodes, *, sectors: Sequence[str], diversity: str = "herfindahl",
                     pre_offset: int = 0, post_offset: int = 0) -> pd.DataFrame:
    """Change of the diversity of the production structure over ``sectors`` (``CHANGE_COLUMNS``).

    Sectors must not overlap; a year in which any of them is missing has no diversity.
    """
    if diversity not in DIVERSITY:
        raise ConfigError(f"diversity_change: diversity {diversity!r}; allowed: {list(DIVERSITY)}")
    if len(sectors) < 2:
        raise ConfigError(f"diversity_change: {list(sectors)} - a structure needs at least 2 sectors")
    wide = _series_table(levels, sectors, "diversity_change")[list(sectors)]
    measure = (1 - herfindahl(wide)) if diversity == "herfindahl" else shannon_entropy(wide)
    return _change(measure.unstack("year"), episodes, pre_offset, post_offset)


def _change(by_year: pd.DataFrame, episodes, pre_offset: int, post_offset: int) -> pd.DataFrame:
    parts = []
    for entry in episodes:
        name = _inputs.episode(entry).name
        pre, post = episode_years(entry, pre_offset, post_offset)
        values = by_year.reindex(columns=[pre, post])
        parts.append(pd.DataFrame({"unit": values.index, "episode": name, "year_pre": pre, "year_post": post,
                                   "pre": values[pre].to_numpy(), "post": values[post].to_numpy()}))
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=CHANGE_COLUMNS)
    out["value"] = out["post"] - out["pre"]
    return out[CHANGE_COLUMNS]


def _series_table(levels: pd.DataFrame, series: Sequence[str], what: str) -> pd.DataFrame:
    """(unit, year) x series, float; a series absent from the file is an InputError naming it."""
    missing = [c for c in ("unit", "year", "series", "value") if c not in levels.columns]
    if missing:
        raise InputError(f"levels ({what})", f"missing columns {missing}", expected="columns unit, year, series, value")
    absent = [s for s in series if s not in set(levels["series"])]
    if absent:
        raise InputError(f"levels ({what})", f"no series {absent}", field="series",
                         expected=f"the series {list(series)}")
    rows = levels[levels["series"].isin(series)]
    if rows.duplicated(["unit", "year", "series"]).any():
        raise InputError(f"levels ({what})", "duplicate (unit, year, series) rows",
                         expected="one value per unit, year and series")
    rows = rows.astype({"year": "int64", "value": "float64"})
    return rows.pivot(index=["unit", "year"], columns="series", values="value").reindex(columns=list(series))


def log_levels(growth: pd.DataFrame, outcome: str, start: int) -> pd.DataFrame:
    """Levels ``exp(sum_{s=start+1}^{t} g_s / 100)`` (1 in ``start``) from percent log growth, per unit.

    The hysteresis gap is a ratio to a log-linear trend, so a level known up to a per-unit factor is
    enough; a missing growth year breaks the chain and leaves every later level missing.
    """
    rows = _inputs.growth_rows(growth, outcome, f"growth (log_levels from {start})")
    path = rows.pivot(index="unit", columns="year", values=outcome)
    later = [y for y in path.columns if y > start]
    if not later:
        return pd.DataFrame(columns=["unit", "year", "value"])
    cum = path.reindex(columns=range(start + 1, max(later) + 1)).cumsum(axis=1, skipna=False) / 100
    cum.insert(0, start, 0.0)
    long = np.exp(cum).rename_axis(index="unit", columns="year").stack(future_stack=True)
    return long.rename("value").reset_index()


def hysteresis(levels: pd.DataFrame, episodes, *, trend_years: int = 5, years_after: Sequence[int] = (0,),
               min_trend_years: int | None = None, pre_offset: int = 0, post_offset: int = 0) -> pd.DataFrame:
    """Gap to the pre-shock log-linear trend at y2 + k (``HYSTERESIS_COLUMNS``, one row per unit, episode, k).

    ``levels``: long, columns unit, year, value (value <= 0 or NaN is missing).
    """
    need = trend_years if min_trend_years is None else min_trend_years
    if trend_years < 2 or not 2 <= need <= trend_years:
        raise ConfigError(f"hysteresis: need 2 <= min_trend_years ({need}) <= trend_years ({trend_years})")
    table = _level_table(levels)
    rows = []
    for entry in episodes:
        ep = _inputs.episode(entry)
        y0, y2 = episode_years(ep, pre_offset, post_offset)
        window = list(range(y0 - trend_years + 1, y0 + 1))
        for unit, series in table.iterrows():
            slope, intercept, used = _trend(series.reindex(window), need)
            for k in years_after:
                year = y2 + k
                actual = series.get(year, np.nan)
                trend = np.exp(intercept + slope * year)
                rows.append({"unit": unit, "episode": ep.name, "years_after": k, "year": year,
                             "trend_growth": 100 * slope, "n_trend_years": used, "actual": actual, "trend": trend,
                             "hysteresis": 100 * (actual / trend - 1)})
    return pd.DataFrame(rows, columns=HYSTERESIS_COLUMNS)


def _trend(window: pd.Series, need: int) -> tuple[float, float, int]:
    """(slope, intercept) of ln y on the year over the observed years, NaN if fewer than ``need``."""
    observed = window.dropna()
    if len(observed) < need:
        return np.nan, np.nan, len(observed)
    slope, intercept = np.polyfit(observed.index.to_numpy(dtype="float64"), np.log(observed.to_numpy()), 1)
    return float(slope), float(intercept), len(observed)


def _level_table(levels: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in ("unit", "year", "value") if c not in levels.columns]
    if missing:
        raise InputError("levels (hysteresis)", f"missing columns {missing}", expected="columns unit, year, value")
    lv = levels.astype({"year": "int64", "value": "float64"})
    if lv.duplicated(["unit", "year"]).any():
        raise InputError("levels (hysteresis)", "duplicate (unit, year) rows", expected="one row per unit-year")
    lv["value"] = lv["value"].where(lv["value"] > 0)
    return lv.pivot(index="unit", columns="year", values="value")
