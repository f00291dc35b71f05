"""From the country panel to measure tables: the glue between the panel and `resilience.measures`.

Series breaks: the UN AMA footnotes flag the years a definition applies to (e.g. Viet Nam's
manufacturing includes taxes less subsidies on products until 2009 and excludes them from 2010).
Where the set of break-relevant footnotes of a series (those matching the configured patterns:
valuation basis, sector or territorial coverage) changes between two consecutive years, the change
across those years mixes output with a change of definition, so growth, period changes and levels
compared across such a break are not used (NaN) and the break is listed. Footnotes that only
document a classification detail (e.g. "Excludes recycling and publishing activities") or a
political remark do not count as breaks unless configured.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from resilience.measures.composite import entropy_composite
from resilience.measures.digital import digital_composites
from resilience.measures.exposure import value_near_year
from resilience.measures.growth import log_growth
from resilience.measures.loss import cumulative_loss, years_to_regain_peak
from resilience.measures.martin import martin_indices
from resilience.measures.structure import (AMA_SERIES, AMA_SECTORS, ama_sector_shares,
                                           herfindahl, shannon_entropy, world_share_lq)
from resilience.errors import InputError
from resilience.panels.countries.build import FLAGS_SUFFIX
from resilience.panels.countries.units import from_core, to_core

# Panel series holding the AMA current-price breakdown, by AMA indicator name.
AMA_CURRENT_SERIES = {
    "va_ab_cur": AMA_SERIES["agriculture"], "va_ce_cur": AMA_SERIES["industry"],
    "va_d_cur": AMA_SERIES["manufacturing"], "va_f_cur": AMA_SERIES["construction"],
    "va_gh_cur": AMA_SERIES["trade_hospitality"], "va_i_cur": AMA_SERIES["transport_communication"],
    "va_jp_cur": AMA_SERIES["other_activities"], "va_total_cur": AMA_SERIES["total"],
}


def levels(panel: pd.DataFrame, series: str) -> pd.DataFrame:
    """Long iso3, year, value of one panel series (rows with a value only)."""
    if series not in panel.columns:
        raise InputError("country panel", f"series {series!r} is not in the panel: none of its configured "
                         "sources was available or had data (see results/tables/provenance.csv)",
                         field=series, expected="a series with at least one available source")
    rows = panel.loc[panel[series].notna(), ["iso3", "year", series]]
    return rows.rename(columns={series: "value"}).reset_index(drop=True)


def _matching(flags: str, patterns) -> frozenset:
    notes = [n.strip() for n in flags.split(";") if n.strip()]
    if patterns is None:
        return frozenset(notes)
    return frozenset(n for n in notes if any(p.lower() in n.lower() for p in patterns))


def break_years(panel: pd.DataFrame, series: str, patterns=None) -> pd.DataFrame:
    """(iso3, year, changed) where the series' break-relevant footnotes differ from the previous year's.

    Both years must be observed. ``patterns``: case-insensitive substrings selecting the footnotes
    that mark a definition change (None: every footnote counts). ``changed`` lists the footnotes
    that appeared or disappeared.
    """
    flags_col = series + FLAGS_SUFFIX
    if flags_col not in panel.columns:
        return pd.DataFrame(columns=["iso3", "year", "changed"])
    data = panel[["iso3", "year", series, flags_col]].sort_values(["iso3", "year"]).reset_index(drop=True)
    notes = data[flags_col].map(lambda f: _matching(f, patterns))
    previous_notes = notes.groupby(data["iso3"]).shift(1)
    previous_value = data.groupby("iso3")[series].shift(1)
    observed = data[series].notna() & previous_value.notna()
    changed = observed & (notes != previous_notes)
    diff = [" | ".join(sorted(a ^ b)) for a, b in zip(notes[changed], previous_notes[changed])]
    out = data.loc[changed, ["iso3", "year"]].reset_index(drop=True)
    return out.assign(changed=diff)


def _has_break(breaks: pd.DataFrame, start: int, end: int) -> set[str]:
    inside = breaks[(breaks["year"] > start) & (breaks["year"] <= end)]
    return set(inside["iso3"])


def series_breaks(panel: pd.DataFrame, growth_series: dict, patterns=None) -> pd.DataFrame:
    """measure, series, iso3, year, changed: the country-years where a growth series' break-relevant
    footnotes change (``break_years`` of each configured level series)."""
    parts = [break_years(panel, series, patterns).assign(series=series, measure=name)
             for name, series in growth_series.items()]
    notes = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=["iso3", "year", "changed", "series", "measure"])
    notes = notes[["measure", "series", "iso3", "year", "changed"]].sort_values(["measure", "iso3", "year"])
    return notes.reset_index(drop=True)


def growth_table(panel: pd.DataFrame, growth_series: dict, patterns=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Wide iso3, year, g_* (100 x log growth), NaN across series breaks; and the breaks used."""
    breaks = series_breaks(panel, growth_series, patterns)
    out = panel[["iso3", "year"]].copy()
    for name, series in growth_series.items():
        growth = from_core(log_growth(to_core(levels(panel, series)))).set_index(["iso3", "year"])["growth"]
        own = breaks[breaks["measure"] == name]
        growth.loc[list(own[["iso3", "year"]].itertuples(index=False, name=None))] = np.nan
        out = out.merge(growth.rename(name).reset_index(), on=["iso3", "year"], how="left")
    return out.sort_values(["iso3", "year"], ignore_index=True), breaks


def martin_table(panel, outcome: str, episodes: list[dict], benchmark: str, patterns=None) -> pd.DataFrame:
    """Martin indices of the outcome; a unit with a series break inside a phase gets NaN and a note.

    A phase no economy has data for at both ends (a shock outside the data) is an error naming the
    episode's config key, not an episode silently missing from the table."""
    lv = levels(panel, outcome)
    _check_phases_in_data(lv, outcome, episodes)
    table = from_core(martin_indices(to_core(lv), episodes, benchmark))
    breaks = break_years(panel, outcome, patterns)
    table["note"] = ""
    for episode in episodes:
        for phase, key in (("resistance", "contraction"), ("recovery", "recovery")):
            hit = _has_break(breaks, *episode[key])
            rows = (table["episode"] == episode["name"]) & (table["phase"] == phase) & table["iso3"].isin(hit)
            table.loc[rows, ["g_unit", "index_ratio", "index_pp"]] = np.nan
            table.loc[rows, "note"] = "series break inside the period (publisher footnote)"
    return table.sort_values(["episode", "phase", "iso3"], ignore_index=True)


def _check_phases_in_data(lv: pd.DataFrame, outcome: str, episodes: list[dict]) -> None:
    years = sorted(lv["year"].unique())
    for episode in episodes:
        for key in ("contraction", "recovery"):
            start, end = episode[key]
            ends = lv[lv["year"].isin([start, end])].groupby("iso3")["year"].nunique()
            if not (ends == 2).any():
                covered = f"{years[0]}-{years[-1]}" if years else "no year"
                raise InputError("country panel", f"no economy has {outcome} in both {start} and {end}: the shock "
                                 f"lies outside the data ({outcome} covers {covered})",
                                 field=f"episodes.{episode['name']}.{key}",
                                 expected=f"phase years inside {covered}")


def loss_table(panel, outcome: str, episodes: list[dict], trend_years: int, last_year: int,
               patterns=None, peak_window: int | None = None) -> pd.DataFrame:
    """Cumulative loss against the pre-shock trend and years below the pre-shock peak, per episode.

    The pre-shock peak is the highest level in the ``peak_window`` years up to the contraction
    start (all earlier years when None): a peak decades before the shock says nothing about it.
    """
    lv = to_core(levels(panel, outcome))
    breaks = break_years(panel, outcome, patterns)
    parts = []
    for episode in episodes:
        t0, end = episode["contraction"][0], episode["recovery"][1]
        loss = from_core(cumulative_loss(lv, t0, end, trend_years))
        peak_from = None if peak_window is None else t0 - peak_window
        peak = from_core(years_to_regain_peak(lv, t0, last_year, peak_from=peak_from))
        merged = loss.merge(peak, on="iso3", how="outer").assign(episode=episode["name"])
        # Levels on both sides of a definition change are not comparable.
        loss_hit = _has_break(breaks, t0 - trend_years, end)
        peak_hit = _has_break(breaks, t0 - (peak_window or t0), last_year)
        merged.loc[merged["iso3"].isin(loss_hit), ["trend_growth", "cumulative_loss"]] = np.nan
        peak_cols = [c for c in peak.columns if c != "iso3"]
        merged.loc[merged["iso3"].isin(peak_hit), peak_cols] = np.nan
        merged["note"] = [
            "; ".join(text for flag, text in ((iso in loss_hit, "series break inside the trend or loss window"),
                                               (iso in peak_hit, "series break between the peak window and the last year"))
                      if flag)
            for iso in merged["iso3"]]
        parts.append(merged)
    table = pd.concat(parts, ignore_index=True)
    first = ["episode", "iso3"]
    return table[first + [c for c in table.columns if c not in first]].sort_values(first, ignore_index=True)


def _long(panel: pd.DataFrame, series: list[str], log_series=()) -> pd.DataFrame:
    frames = []
    for name in series:
        lv = levels(panel, name).assign(series=name)
        if name in log_series:
            # log(1+x): secure servers per million are heavily skewed and can be 0.
            lv["value"] = np.log1p(lv["value"].clip(lower=0))
        frames.append(lv)
    return pd.concat(frames, ignore_index=True)[["iso3", "year", "series", "value"]]


def digital_exposures(panel, episode: dict, digital: dict, max_back: int, economies: list[str]):
    """Pre-shock digitalization composites of one episode (``measures.digital.digital_composites``,
    coverage over ``economies``), long iso3, variable, value, episode, year_used; and the info table."""
    available = [s for s in digital["series"] if s in panel.columns]
    near = from_core(value_near_year(to_core(_long(panel, available, digital["log_transform"])),
                                      episode["exposure_year"], max_back))
    near = near[near["iso3"].isin(economies)]
    # a series in the panel without values in the window has coverage 0, not "not in the panel"
    wide = near.pivot(index="iso3", columns="series", values="value").reindex(columns=available)
    scores, info = digital_composites(wide, digital, len(economies), episode["name"])
    # year_used stays NaN for a composite: each of its components has its own year
    out = from_core(scores).assign(episode=episode["name"], year_used=np.nan)
    return out, info


def structure_by_year(panel: pd.DataFrame) -> pd.DataFrame:
    """Yearly manufacturing LQ, manufacturing share, sector HHI and entropy (AMA, current US$)."""
    have = [s for s in AMA_CURRENT_SERIES if s in panel.columns]
    if len(have) < len(AMA_CURRENT_SERIES):
        return pd.DataFrame(columns=["iso3", "year", "lq_manuf", "manuf_share", "sector_hhi", "sector_entropy"])
    frame = panel[["iso3", "year", "va_d_cur", "va_total_cur"]].dropna()
    lq = from_core(world_share_lq(to_core(frame.rename(columns={"va_d_cur": "sector", "va_total_cur": "total"}))))
    lq = lq.rename(columns={"lq": "lq_manuf"})
    share = frame.assign(manuf_share=100 * frame["va_d_cur"] / frame["va_total_cur"])[["iso3", "year", "manuf_share"]]
    long = pd.concat([levels(panel, s).assign(series=AMA_CURRENT_SERIES[s]) for s in have], ignore_index=True)
    shares = from_core(ama_sector_shares(to_core(long))).set_index(["iso3", "year"])[AMA_SECTORS]
    diversity = pd.DataFrame({"sector_hhi": herfindahl(shares), "sector_entropy": shannon_entropy(shares)}).reset_index()
    return lq.merge(share, on=["iso3", "year"], how="outer").merge(diversity, on=["iso3", "year"], how="outer")


def exposures_table(panel, episodes, digital: dict, max_back: int, outcome: str):
    """Returns (long iso3, episode, variable, value, year_used; the digital composite info table).

    Exposures are measured only for economies with the outcome series. year_used is the year of
    the value for single indicators; NaN for composites (each component has its own year).
    """
    structure = structure_by_year(panel)
    economies = sorted(panel.loc[panel[outcome].notna(), "iso3"].unique())
    parts, info = [], []
    for episode in episodes:
        composites, records = digital_exposures(panel, episode, digital, max_back, economies)
        parts.append(composites)
        info.append(records)
        parts.append(_pre_shock_structure(panel, structure, episode, max_back))
    table = pd.concat(parts, ignore_index=True)
    table = table[table["iso3"].isin(economies)]
    table = (table[["iso3", "episode", "variable", "value", "year_used"]]
             .sort_values(["episode", "variable", "iso3"], ignore_index=True))
    return table, pd.concat(info, ignore_index=True)


def _pre_shock_structure(panel, structure, episode, max_back) -> pd.DataFrame:
    long = structure.melt(id_vars=["iso3", "year"], var_name="series").dropna(subset=["value"])
    long = long[long["series"].isin(["lq_manuf", "sector_hhi", "sector_entropy"])]
    controls = _long(panel, [s for s in ("gdppc_kd", "trade_open") if s in panel.columns])
    controls.loc[controls["series"] == "gdppc_kd", "value"] = np.log(controls.loc[controls["series"] == "gdppc_kd", "value"])
    controls["series"] = controls["series"].replace({"gdppc_kd": "log_gdppc"})
    near = from_core(value_near_year(to_core(pd.concat([long, controls], ignore_index=True)),
                                      episode["exposure_year"], max_back))
    return near.rename(columns={"series": "variable"}).assign(episode=episode["name"])


def composite_panel(panel: pd.DataFrame, growth: pd.DataFrame, composite: dict):
    """Pooled entropy-weight indices per economy-year (the Chinese literature's secondary exercise).

    resilience_index: entropy composite of the configured components (growth rates by default);
    digital_index: entropy composite of the configured ICT indicators; both pooled over all
    economy-years with complete components (weights in the second return value).
    """
    data = growth.merge(structure_by_year(panel), on=["iso3", "year"], how="left")
    data = data.merge(panel[["iso3", "year"] + composite["digital_components"]], on=["iso3", "year"], how="left")
    data = data.set_index(["iso3", "year"]).sort_index()
    resilience, w_res = entropy_composite(data[composite["resilience_components"]])
    digital, w_dig = entropy_composite(data[composite["digital_components"]])
    out = data.assign(resilience_index=resilience, digital_index=digital).reset_index()
    weights = pd.concat([w_res.rename("weight").rename_axis("component").reset_index().assign(index="resilience_index"),
                         w_dig.rename("weight").rename_axis("component").reset_index().assign(index="digital_index")])
    return out, weights[["index", "component", "weight"]].reset_index(drop=True)


def exposure_terciles(exposures: pd.DataFrame, episode: str, variable: str) -> pd.DataFrame:
    """iso3, tercile (1 = lowest third) of one pre-shock exposure within an episode."""
    rows = exposures[(exposures["episode"] == episode) & (exposures["variable"] == variable)].dropna(subset=["value"])
    rows = rows.sort_values(["value", "iso3"])
    # Ranks before cutting, so ties cannot make qcut's bin edges collapse.
    terciles = pd.qcut(rows["value"].rank(method="first"), 3, labels=[1, 2, 3]).astype(int)
    return pd.DataFrame({"iso3": rows["iso3"].to_numpy(), "tercile": terciles.to_numpy()})


def resistance_vs_exposure(martin: pd.DataFrame, exposures: pd.DataFrame, episode: str, variable: str) -> pd.DataFrame:
    """iso3, resistance_pp, <variable> for one episode (economies with both)."""
    res = martin[(martin["episode"] == episode) & (martin["phase"] == "resistance")]
    exp = exposures[(exposures["episode"] == episode) & (exposures["variable"] == variable)]
    merged = res[["iso3", "index_pp"]].merge(exp[["iso3", "value"]], on="iso3", how="inner")
    return merged.rename(columns={"index_pp": "resistance_pp", "value": variable}).sort_values("iso3", ignore_index=True)
