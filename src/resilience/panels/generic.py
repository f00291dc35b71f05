"""Measures of a panel in the generic long layout: what a new panel gets without code of its own.

A panel file with one row per unit, year and series (columns ``unit``, ``group``, ``year``,
``series``, ``value``; ``group`` is the column that groups units, e.g. a region's country or a
prefecture's province: the Martin index compares a unit with its group's total, and
``design.fixed_effects: [unit, group_year]`` / ``design.bootstrap_cluster: group`` use it; a unit whose
code equals its group is the group's own row) and a config block with

    measures: {outcome: <series>, benchmark: units_sum | national, exposures: [<series>, ...],
               exposure_max_back: <years>}

gets, per episode:

- growth: annual log growth in percent of the outcome, ``g_<outcome>`` (``measures.regional.unit_log_growth``);
- Martin resistance and recovery of the outcome against the benchmark (``measures.regional.regional_martin``:
  ``units_sum`` = the sum over the units of the same group observed at both ends of the phase;
  ``national`` = the group's own row, a unit whose code equals its group);
- pre-shock exposures: each listed series at the episode's exposure year, or the nearest earlier year
  at most ``exposure_max_back`` years back and never inside the shock (``measures.regional.pre_shock_values``).

The models are the shared shock x exposure model (``models.shock_exposure.run_shock_models``) on
that growth and those exposures.
"""

from __future__ import annotations

import pandas as pd

from resilience.errors import InputError
from resilience.measures.digital import INFO_COLUMNS
from resilience.measures.regional import pre_shock_values, regional_martin, unit_log_growth

PANEL_COLUMNS = ["unit", "group", "year", "series", "value"]
EXPOSURE_COLUMNS = ["unit", "group", "episode", "variable", "value", "year_used"]


def checked(panel: pd.DataFrame, where: str) -> pd.DataFrame:
    missing = [c for c in PANEL_COLUMNS if c not in panel.columns]
    if missing:
        raise InputError(where, f"panel lacks columns {missing}", field=missing[0], expected=f"columns {PANEL_COLUMNS}")
    return panel


def is_group_row(frame: pd.DataFrame) -> pd.Series:
    """True where a row is a group's own row (its unit code equals its group), a benchmark and not a unit;
    all False in a frame without ``group``."""
    if "group" not in frame.columns:
        return pd.Series(False, index=frame.index)
    return frame["unit"] == frame["group"]


def outcome_levels(panel: pd.DataFrame, series: str) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """(the units' levels of ``series``: unit, group, year, value; the groups' own rows, or None)."""
    rows = panel[panel["series"] == series][["unit", "group", "year", "value"]]
    own = is_group_row(rows)
    national = rows[own][["group", "year", "value"]] if own.any() else None
    return rows[~own].reset_index(drop=True), national


def growth_table(panel: pd.DataFrame, outcome: str) -> pd.DataFrame:
    """unit, group, year, g_<outcome>: annual log growth in percent."""
    levels, _ = outcome_levels(panel, outcome)
    growth = unit_log_growth(levels[["unit", "year", "value"]]).rename(columns={"growth": f"g_{outcome}"})
    groups = levels.drop_duplicates("unit").set_index("unit")["group"]
    return growth.assign(group=growth["unit"].map(groups))[["unit", "group", "year", f"g_{outcome}"]]


def martin_table(panel: pd.DataFrame, measures: dict, episodes: list[dict]) -> pd.DataFrame:
    """Martin indices of ``measures.outcome`` against ``measures.benchmark``, with the outcome named."""
    levels, national = outcome_levels(panel, measures["outcome"])
    martin = regional_martin(levels, episodes, benchmark=measures["benchmark"], national=national)
    return martin.assign(outcome=measures["outcome"])


def exposures_table(panel: pd.DataFrame, measures: dict, episodes: list[dict]) -> pd.DataFrame:
    """``EXPOSURE_COLUMNS``: each series of ``measures.exposures`` before each episode."""
    source = panel[panel["series"].isin(measures["exposures"])][["unit", "year", "series", "value"]].dropna()
    groups = panel.drop_duplicates("unit").set_index("unit")["group"]
    parts = [pre_shock_values(source, episode, measures["exposure_max_back"]).assign(episode=episode["name"])
             for episode in episodes]
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=EXPOSURE_COLUMNS)
    out = pd.concat(parts, ignore_index=True).rename(columns={"series": "variable"})
    out["group"] = out["unit"].map(groups)
    return out[EXPOSURE_COLUMNS].sort_values(["episode", "variable", "unit"], ignore_index=True)


def no_digital_info() -> pd.DataFrame:
    """The digital composites' info table of a panel that builds no composite."""
    return pd.DataFrame(columns=INFO_COLUMNS)
