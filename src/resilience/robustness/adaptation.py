r"""Adaptation, the third part of resilience (resist, recover, adapt), per unit and episode.

For episode e with contraction [y0, y1] and recovery [y1, y2] (y0 the last pre-shock year, y2 the
end of recovery):

Structural change, from sector values v_{i,k,t} (non-overlapping sectors) with shares
s_{i,k,t} = v_{i,k,t} / sum_k v_{i,k,t}::

    d_manuf_share = 100 (s_{i,manuf,y2} - s_{i,manuf,y0})                 (percentage points)
    diversity_t   = 1 - sum_k s_{i,k,t}^2  ("herfindahl")  or  -sum_k s ln s  ("entropy")
    d_diversity   = diversity_{y2} - diversity_{y0}

A year in which any listed sector is missing (or negative) has no shares (``measures.structure``:
a missing sector would silently change the concentration), so a change needing it is NaN.

Hysteresis (Martin et al. 2016's renewal vs lock-in): fit ln Y_it = a_i + b_i t by OLS over the
pre-shock window t = y0 - W + 1 .. y0 (W = ``trend_years``), then at T = y2 + k for each k in
``years_after``::

    hysteresis_{i,T} = 100 (Y_iT / exp(a_i + b_i T) - 1)                    (percent of trend)

Negative = output still below its pre-shock trend (a lasting loss). Missing years: the trend uses
the observed (positive) levels in the window and needs at least ``min_trend_years`` of them
(default W: a complete window) and at least 2; otherwise NaN. A missing level at T gives NaN for
that T only. It answers: did the shock change what the economy produces, and did output return
to its old growth path or settle on a lower (or higher) one?
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from resilience.errors import ConfigError, InputError
from resilience.measures.structure import herfindahl, shannon_entropy
from resilience.robustness import _inputs

STRUCTURE_COLUMNS = ["unit", "episode", "year_pre", "year_post", "manuf_share_pre", "manuf_share_post",
                     "d_manuf_share", "diversity_pre", "diversity_post", "d_diversity"]
HYSTERESIS_COLUMNS = ["unit", "episode", "years_after", "year", "trend_growth", "n_trend_years", "actual", "trend",
                      "hysteresis"]
DIVERSITY = ("herfindahl", "entropy")


def structural_change(sectors: pd.DataFrame, episodes, *, manufacturing: str = "manufacturing",
                      diversity: str = "herfindahl") -> pd.DataFrame:
    """Change of the manufacturing share and of diversity, y0 -> y2, per unit and episode (``STRUCTURE_COLUMNS``).

    ``sectors``: long, columns unit, year, sector, value; every sector listed anywhere is part of
    the structure (a unit lacking one in a year has no shares that year).
    """
    if diversity not in DIVERSITY:
        raise ConfigError(f"structural_change: diversity {diversity!r}; allowed: {list(DIVERSITY)}")
    shares = _shares(sectors, manufacturing)
    measure = (1 - herfindahl(shares)) if diversity == "herfindahl" else shannon_entropy(shares)
    manuf = shares[manufacturing] / shares.sum(axis=1, skipna=False)
    usable = measure.notna()
    manuf_by_year = (100 * manuf).where(usable).unstack("year")
    diversity_by_year = measure.where(usable).unstack("year")
    parts = []
    for entry in episodes:
        ep = _inputs.episode(entry)
        y0, y2 = ep.contraction[0], ep.recovery[1]
        m, d = manuf_by_year.reindex(columns=[y0, y2]), diversity_by_year.reindex(columns=[y0, y2])
        parts.append(pd.DataFrame({"unit": m.index, "episode": ep.name, "year_pre": y0, "year_post": y2,
                                   "manuf_share_pre": m[y0].to_numpy(), "manuf_share_post": m[y2].to_numpy(),
                                   "diversity_pre": d[y0].to_numpy(), "diversity_post": d[y2].to_numpy()}))
    out = pd.concat(parts, ignore_index=True)
    out["d_manuf_share"] = out["manuf_share_post"] - out["manuf_share_pre"]
    out["d_diversity"] = out["diversity_post"] - out["diversity_pre"]
    return out[STRUCTURE_COLUMNS]


def hysteresis(levels: pd.DataFrame, episodes, *, trend_years: int = 5, years_after: Sequence[int] = (0,),
               min_trend_years: int | None = None) -> pd.DataFrame:
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
        y0, y2 = ep.contraction[0], ep.recovery[1]
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


def _shares(sectors: pd.DataFrame, manufacturing: str) -> pd.DataFrame:
    missing = [c for c in ("unit", "year", "sector", "value") if c not in sectors.columns]
    if missing:
        raise InputError("sectors (structural_change)", f"missing columns {missing}",
                         expected="columns unit, year, sector, value")
    if sectors.duplicated(["unit", "year", "sector"]).any():
        raise InputError("sectors (structural_change)", "duplicate (unit, year, sector) rows",
                         expected="one value per unit, year and sector")
    wide = sectors.astype({"year": "int64", "value": "float64"}).pivot(
        index=["unit", "year"], columns="sector", values="value")
    if manufacturing not in wide.columns:
        raise InputError("sectors (structural_change)", f"no sector '{manufacturing}'", field="sector",
                         expected="the manufacturing sector among the sectors")
    return wide
