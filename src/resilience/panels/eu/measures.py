"""Measures of the EU regional panel: Martin indices per outcome, and pre-shock exposures per episode.

Exposures (one value per region, episode and variable, measured at the episode's
``exposure_year`` or up to ``exposure_max_back`` years earlier, never inside the shock; a variable
named in ``structural_max_back`` may reach back that many years instead, as a structural measure
whose lag the exposures table's ``year_used`` records):

- ``lq_<name>``: location quotient of a sector series in a total series, against the sum over all
  panel regions in that year (the EU reference; ``clusters.lq_against_reference``);
- ``cluster_count`` / ``sectors_observed``: 2-digit industries with LQ >= threshold and employment
  >= min_size (``clusters.cluster_count``) from the configured sector set;
- ``krugman_<set>`` and ``herfindahl_<set>``: normalised Krugman (against the sum over regions)
  and Herfindahl specialisation over each configured sector set;
- ``digital_z``, ``digital_pca``, ``digital_entropy``: composites of the digitalization indicators
  that at least ``min_coverage`` of the regions have in the window, built as in the country panel
  (``measures.composite``); ``digital_indicators`` lists which entered.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from resilience.measures.digital import INFO_COLUMNS, digital_composites
from resilience.measures import clusters
from resilience.panels.eu.build import region_country, sector_table, series_frame
from resilience.measures.regional import pre_shock_values, regional_martin, unit_log_growth
from resilience.panels.eu.units import from_core, region_rows, to_core

EXPOSURE_COLUMNS = ["unit", "country", "episode", "variable", "value", "year_used"]
MARTIN_TABLE_COLUMNS = ["outcome", "series", "unit", "country", "episode", "phase", "g_unit", "g_ref",
                        "index_ratio", "index_pp"]


def martin_table(panel: pd.DataFrame, outcomes: dict[str, str], episodes: list[dict],
                 benchmark: str = "national") -> pd.DataFrame:
    """Martin indices of every region for each outcome (name -> panel series) against its country."""
    parts = []
    for outcome, series in outcomes.items():
        regions = series_frame(panel, series, level=2)
        if regions.empty:
            continue
        national = series_frame(panel, series, level=0)[["country", "year", "value"]]
        out = regional_martin(to_core(regions), episodes, benchmark=benchmark, national=to_core(national))
        parts.append(from_core(out).assign(outcome=outcome, series=series))
    if not parts:
        return pd.DataFrame(columns=MARTIN_TABLE_COLUMNS)
    table = pd.concat(parts, ignore_index=True)[MARTIN_TABLE_COLUMNS]
    return table.sort_values(["outcome", "episode", "phase", "unit"], ignore_index=True)


def yearly_structure(panel: pd.DataFrame, settings: dict) -> pd.DataFrame:
    """Region-year series of the structure measures (LQs, cluster counts, specialisation): unit, year, series, value."""
    parts = []
    for name, spec in settings["measures"]["lq"].items():
        sector = series_frame(panel, spec["sector"])
        total = series_frame(panel, spec["total"])
        frame = sector.merge(total, on=["unit", "country", "year"], suffixes=("_s", "_t"))
        if frame.empty:
            continue
        lq = clusters.lq_against_reference(frame.rename(columns={"value_s": "sector", "value_t": "total"}))
        parts.append(lq.rename(columns={"lq": "value"}).assign(series=f"lq_{name}"))
    cluster_spec = settings["measures"]["clusters"]
    for year in _set_years(panel, cluster_spec["sectors"]):
        wide = sector_table(panel, cluster_spec["sectors"], year)
        counted = clusters.cluster_count(wide, threshold=cluster_spec["lq_threshold"], min_size=cluster_spec["min_size"])
        for column in ("cluster_count", "sectors_observed"):
            parts.append(_long(counted[column], year, column))
    for set_name in settings["measures"]["specialisation_sets"]:
        for year in _set_years(panel, set_name):
            wide = sector_table(panel, set_name, year)
            parts.append(_long(clusters.krugman_specialisation(wide), year, f"krugman_{set_name}"))
            parts.append(_long(clusters.herfindahl_specialisation(wide), year, f"herfindahl_{set_name}"))
    if not parts:
        return pd.DataFrame(columns=["unit", "year", "series", "value"])
    out = pd.concat(parts, ignore_index=True)[["unit", "year", "series", "value"]]
    return out.dropna(subset=["value"]).sort_values(["series", "unit", "year"], ignore_index=True)


def exposures_table(panel: pd.DataFrame, settings: dict, episodes: list[dict]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(exposures long: EXPOSURE_COLUMNS, the digital composites' info per episode and indicator:
    ``measures.digital.INFO_COLUMNS``, coverage over the panel's NUTS-2 regions)."""
    countries = region_country(panel)
    structure = yearly_structure(panel, settings)
    digital = settings["measures"]["digital"]
    regional = region_rows(panel)
    regional = regional[regional["series"].isin(digital["series"])]
    digital_long = regional[["unit", "year", "series", "value"]].dropna(subset=["value"])
    in_panel = set(regional["series"])
    source = pd.concat([structure, digital_long], ignore_index=True)
    max_back = settings["measures"]["exposure_max_back"]
    parts, info = [], []
    structural = settings["measures"].get("structural_max_back", {})
    for episode in episodes:
        near = _pre_shock(source, episode, max_back, structural)
        measured = near[~near["series"].isin(digital["series"])].rename(columns={"series": "variable"})
        parts.append(measured.assign(episode=episode["name"]))
        indicators = near[near["series"].isin(digital["series"])]
        wide = indicators.pivot(index="unit", columns="series", values="value") if len(indicators) else pd.DataFrame()
        # a series in the panel without a pre-shock value has coverage 0, not "not in the panel"
        wide = wide.reindex(columns=[s for s in digital["series"] if s in in_panel])
        scores, notes = digital_composites(wide, digital, len(countries), episode["name"])
        # a composite's year: the latest year among the unit's indicators that entered it
        entered = notes.loc[notes["included"].astype(bool), "indicator"]
        years = indicators[indicators["series"].isin(entered)].groupby("unit")["year_used"].max()
        parts.append(scores.assign(year_used=scores["unit"].map(years), episode=episode["name"]))
        info.append(notes)
    parts = [p for p in parts if len(p)]
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=EXPOSURE_COLUMNS)
    out["country"] = out["unit"].map(countries)
    out = out[EXPOSURE_COLUMNS].sort_values(["episode", "variable", "unit"], ignore_index=True)
    return out, pd.concat(info, ignore_index=True) if info else pd.DataFrame(columns=INFO_COLUMNS)


def _pre_shock(source: pd.DataFrame, episode: dict, max_back: int, structural: dict[str, int]) -> pd.DataFrame:
    """Pre-shock values of every series: within ``max_back`` years, or a structural series' own reach."""
    if source.empty:
        return pd.DataFrame(columns=["unit", "series", "value", "year_used"])
    own = source["series"].isin(structural)
    parts = [pre_shock_values(source[~own], episode, max_back)] if (~own).any() else []
    parts += [pre_shock_values(source[source["series"] == name], episode, back)
              for name, back in sorted(structural.items()) if (source["series"] == name).any()]
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=["unit", "series", "value", "year_used"])
    return pd.concat(parts, ignore_index=True).sort_values(["unit", "series"], ignore_index=True)


def _set_years(panel: pd.DataFrame, set_name: str) -> list[int]:
    rows = panel[panel["series"].str.startswith(f"{set_name}.") & panel["value"].notna()]
    return sorted(int(y) for y in rows["year"].unique())


def _long(values: pd.Series, year: int, series: str) -> pd.DataFrame:
    return pd.DataFrame({"unit": values.index, "year": year, "series": series, "value": values.to_numpy()})


def growth_panel(panel: pd.DataFrame, dependents: dict[str, str]) -> pd.DataFrame:
    """Wide region-year frame: unit, country, year and one log-growth column per dependent (name -> series)."""
    frames = []
    for name, series in dependents.items():
        levels = series_frame(panel, series)
        if levels.empty:
            continue
        growth = unit_log_growth(levels[["unit", "year", "value"]]).rename(columns={"growth": name})
        frames.append(growth.merge(levels[["unit", "country"]].drop_duplicates(), on="unit"))
    if not frames:
        return pd.DataFrame(columns=["unit", "country", "year", *dependents])
    out = frames[0]
    for frame in frames[1:]:
        out = out.merge(frame, on=["unit", "country", "year"], how="outer")
    for name in dependents:
        if name not in out.columns:
            out[name] = np.nan
    return out.sort_values(["unit", "year"], ignore_index=True)
