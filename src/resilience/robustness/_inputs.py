"""Input checks and reshaping shared by the robustness modules (private).

Conventions (one place, so every exercise dates a shock the same way): an episode's contraction
[y0, y1] has its phase dummy on in (y0, y1] (``models.spec.Episode.phase_years``), so the shock year
is s = y0 + 1 and the reference year is y0 = s - 1, the last pre-shock year; relative year r = t - s.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from resilience.errors import ConfigError, InputError
from resilience.models.spec import Episode, parse_episodes

GROWTH_KEYS = ["unit", "year"]
EXPOSURE_COLUMNS = ["unit", "episode", "variable", "value"]


def episode(entry) -> Episode:
    """An ``Episode`` from a config dict (or an ``Episode`` as is)."""
    return entry if isinstance(entry, Episode) else parse_episodes([entry])[0]


def shock_year(ep: Episode) -> int:
    return ep.contraction[0] + 1


def span_years(ep: Episode) -> set[int]:
    """Years with any phase dummy on: (y0, y2] of contraction [y0, y1] and recovery [y1, y2]."""
    return set(ep.phase_years("contraction")) | set(ep.phase_years("recovery"))


def growth_rows(growth: pd.DataFrame, outcome: str, what: str, extra: Sequence[str] = ()) -> pd.DataFrame:
    """unit, year (int), the outcome (float) and ``extra`` columns; rows with a missing outcome dropped."""
    columns = list(dict.fromkeys([*GROWTH_KEYS, outcome, *extra]))
    missing = [c for c in columns if c not in growth.columns]
    if missing:
        raise InputError(what, f"missing columns {missing}", expected=f"columns {columns}")
    rows = growth[columns].astype({"year": "int64", outcome: "float64"})
    if rows.duplicated(GROWTH_KEYS).any():
        raise InputError(what, "duplicate (unit, year) rows", field="unit/year", expected="one row per unit-year")
    return rows.dropna(subset=[outcome]).reset_index(drop=True)


def unit_levels(levels: pd.DataFrame, growth: pd.DataFrame, what: str) -> pd.DataFrame:
    """``levels`` (``Panel.size_levels``) when none of its units is a group's own total, else an InputError.

    A group code (a country) that is not itself a unit of ``growth`` is the group's total: as one more
    unit it would enter the medians and counts beside its own members. The panel's ``size_levels``
    leaves those rows out; this refuses a panel that does not, instead of mixing the two levels."""
    groups = set(growth["group"].dropna()) if "group" in growth.columns else set()
    totals = sorted(set(levels["unit"]) & (groups - set(growth["unit"])))
    if totals:
        raise InputError(what, f"{len(totals)} group totals among the units ({', '.join(map(str, totals[:5]))}"
                         f"{', ...' if len(totals) > 5 else ''})", field="unit",
                         expected="the panel's units only; a group's own row is a benchmark (Panel.size_levels)")
    return levels


def exposure_wide(exposures: pd.DataFrame, episode_name: str, variables: Sequence[str], what: str) -> pd.DataFrame:
    """One row per unit with every variable present for the episode (complete case), one column each."""
    missing = [c for c in EXPOSURE_COLUMNS if c not in exposures.columns]
    if missing:
        raise InputError(what, f"missing columns {missing}", expected=f"columns {EXPOSURE_COLUMNS}")
    rows = exposures[(exposures["episode"] == episode_name) & exposures["variable"].isin(variables)]
    if rows.duplicated(["unit", "variable"]).any():
        raise InputError(what, f"duplicate (unit, variable) rows for episode '{episode_name}'",
                         expected="one pre-shock value per unit, episode and variable")
    wide = rows.pivot(index="unit", columns="variable", values="value").reindex(columns=list(variables))
    wide = wide.astype("float64").dropna()
    if wide.empty:
        raise InputError(what, f"no unit has all of {list(variables)} for episode '{episode_name}'",
                         expected="pre-shock exposures")
    return wide


def standardized(wide: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """``columns`` replaced by z-scores over the rows given: (x - mean) / sd, sd with ddof = 1."""
    sd = wide[list(columns)].std(ddof=1)
    flat = [c for c in columns if not np.isfinite(sd[c]) or sd[c] == 0]
    if flat:
        raise InputError("exposures", f"no variation across units in {flat}", expected="a varying exposure")
    out = wide.copy()
    out[list(columns)] = (wide[list(columns)] - wide[list(columns)].mean()) / sd
    return out


def matched(rows: pd.DataFrame, wide: pd.DataFrame, variables: Sequence[str], standardize: bool
            ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the growth rows of units with every exposure; the exposures of those units, z-scored over
    them when ``standardize``)."""
    rows = rows[rows["unit"].isin(wide.index)].reset_index(drop=True)
    if standardize:
        wide = standardized(wide.loc[rows["unit"].unique()], variables)
    return rows, wide


def check_names(names: Sequence[str], what: str) -> list[str]:
    names = list(names)
    if not names:
        raise ConfigError(f"{what}: no exposure variables given")
    return names
