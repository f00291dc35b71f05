"""The report section of the EU regional panel, built only from its results tables.

``eu_section(results, settings)`` returns Markdown starting with ``## EU regions (NUTS-2)``; every
number in it is read from a results file named beside it. ``results`` maps names to tables:
provenance, nuts_summary, coverage, martin_summary, exposures, exposure_summary, digital_composite,
models, cross_section (DataFrames), model_notes (the list in eu_models.json) and map_status (the status table
of the resistance map, ``eu_map_status.csv``; the section states either the map or that it needs the
live GISCO file).
"""

from __future__ import annotations

import pandas as pd

from resilience.panels.eu.map import NEEDS_LIVE

FIGURES = {
    "eu_resistance_by_cluster": "Resistance of regional industry employment by pre-shock cluster strength",
    "eu_resistance_by_digital": "Resistance of regional industry employment by pre-shock digitalization",
    "eu_coverage": "Coverage of the EU regional panel",
}
T = "results/tables/"


def eu_section(results: dict, settings: dict) -> str:
    lines = ["## EU regions (NUTS-2)", ""]
    lines += _data(results["provenance"], results["nuts_summary"], settings)
    lines += _coverage(results["coverage"])
    lines += _martin(results["martin_summary"], settings)
    lines += _exposures(results["exposure_summary"], results["digital_composite"])
    lines += _exposure_years(results["exposures"], settings["measures"])
    lines += _models(results["models"], results["model_notes"], results["cross_section"],
                     settings.get("design", {}).get("standardize", False))
    lines += _needs_live(results, settings)
    lines += _map(results.get("map_status"), settings)
    lines += _figures(results["exposures"], settings)
    return "\n".join(lines)


def _figures(exposures: pd.DataFrame, settings: dict) -> list[str]:
    """The section's figures. A tercile figure needs MIN_TERCILE_UNITS regions with its exposure and a
    resistance value in the first episode (figures.regions.resistance_by_tercile); with fewer its file
    holds only a "not available" line. A figure whose exposure has fewer such regions in eu_exposures.csv
    is therefore not shown and one sentence says why (regions with the exposure but no resistance value
    are not counted here, so a figure can still say "not available")."""
    from resilience.figures.regions import MIN_TERCILE_UNITS
    from resilience.panels.stages import TERCILE_EXPOSURE

    chosen, episode = settings.get("figures", {}), (settings.get("episodes") or [None])[0]
    shown, notes = [], []
    for name, caption in FIGURES.items():
        variable = chosen.get(TERCILE_EXPOSURE.get(name.removeprefix("eu_"), ""))
        if variable:
            rows = exposures[(exposures["variable"] == variable) & (exposures["episode"] == episode)]
            units = rows.loc[rows["value"].notna(), "unit"].nunique()
            if units < MIN_TERCILE_UNITS:
                notes.append(f"No figure of resistance by {variable}: {units} region(s) have it in the {episode} "
                             f"episode ({T}eu_exposures.csv), fewer than the {MIN_TERCILE_UNITS} its terciles need.")
                continue
        shown.append(f"![{caption}](figures/{name}.png)")
    return ["### Figures", "", *notes, *([""] if notes else []), *shown, ""]


def _why_absent(source: pd.Series) -> str:
    return "are not in the offline mirror" if source["mode"] == "mirror" else "could not be downloaded"


def _map(status: pd.DataFrame | None, settings: dict) -> list[str]:
    """The resistance map, or that it needs the live GISCO polygons, from eu_map_status.csv."""
    if status is None or status.empty:
        return []
    source = status.iloc[0]
    lines = ["### Map of regional resistance", ""]
    if source["status"] != "ok":
        return lines + [f"**Map not drawn: it {NEEDS_LIVE}.** The NUTS {settings['map']['nuts_version']} region "
                        f"polygons ({source['dataset']}, Eurostat GISCO) {_why_absent(source)} and nothing "
                        "is drawn in their place; with network access (`raw_mirror: null`) the rule eu_map "
                        f"downloads them ({T}eu_map_status.csv: {source['message']}).", ""]
    outcome = source["outcome"]
    lines.append(f"Resistance of {outcome} (`index_pp`, percentage points against the own country) per NUTS-2 "
                 f"region on the GISCO NUTS {settings['map']['nuts_version']} polygons ({source['file']}); colour "
                 f"scale +-{_fmt(float(source['color_limit_pp']))} pp, values beyond it in the end colours; grey = "
                 f"no value ({T}eu_map_status.csv).")
    lines.append("")
    for row in status.itertuples(index=False):
        lines.append(f"- {row.episode}: {int(row.regions_coloured)} regions coloured, {int(row.regions_grey)} "
                     f"polygons without a value (grey), {int(row.values_without_polygon)} regions with a value but "
                     "no polygon" + _codes(row.codes_without_polygon) + ".")
    return lines + ["", f"![Resistance of {outcome} by NUTS-2 region](figures/eu_resistance_map.png)", ""]


def _codes(text, shown: int = 10) -> str:
    codes = text.split() if isinstance(text, str) else []
    if not codes:
        return ""
    more = f" and {len(codes) - shown} more" if len(codes) > shown else ""
    return f" ({' '.join(codes[:shown])}{more})"


def _fmt(x, digits: int = 3) -> str:
    if x is None or (isinstance(x, float) and pd.isna(x)) or x is pd.NA:
        return "-"
    if isinstance(x, (int,)) or (isinstance(x, float) and float(x).is_integer() and abs(x) > 100):
        return f"{int(x)}"
    return f"{x:.{digits}g}" if isinstance(x, float) else str(x)


def _table(frame: pd.DataFrame, columns: list[str]) -> list[str]:
    head = "| " + " | ".join(columns) + " |"
    rule = "|" + "|".join("---" for _ in columns) + "|"
    body = ["| " + " | ".join(_fmt(v) for v in row) + " |" for row in frame[columns].itertuples(index=False)]
    return [head, rule, *body, ""]


def _data(provenance: pd.DataFrame, summary: pd.DataFrame, settings: dict) -> list[str]:
    used = provenance[provenance["status"] == "used"]
    missing = provenance[provenance["status"] != "used"]
    datasets = sorted(set(used["dataset"]))
    lines = [f"Sources used ({T}eu_provenance.csv): " + (", ".join(datasets) or "none") + ". "
             f"{len(used)} of {len(provenance)} configured series have data; unavailable: "
             + (", ".join(sorted(_series_families(missing["series"]))) or "none") + ".", ""]
    target = settings["nuts"]["target_version"]
    lines.append(f"NUTS harmonisation to NUTS {target} ({T}eu_nuts_summary.csv; every region code with its fate "
                 f"in {T}eu_nuts_harmonization.csv): region codes per source table and status "
                 "(recoded = new code, same territory; dropped = boundary change, split, merge or discontinued, "
                 "never re-apportioned, and counted once more by cause in the dropped:* columns: merged = two or "
                 "more codes ending on one region; new = a region of the table's version without a predecessor in "
                 "the target version; not_in_source = not a code of the table's NUTS version, e.g. older codes "
                 "still in the file, or a country the workbook does not list).")
    lines.append("")
    if not summary.empty:
        wide = summary.pivot(index="dataset", columns="status", values="regions").fillna(0).astype(int).reset_index()
        causes = sorted(c for c in wide.columns if str(c).startswith("dropped:"))
        columns = ["dataset"] + [c for c in ("unchanged", "recoded", "dropped", *causes, "not_in_source", "total")
                                 if c in wide]
        lines += _table(wide, columns)
    return lines


def _series_families(series) -> set[str]:
    """'manuf_2d.C10' -> 'manuf_2d.*' so a sector set is listed once."""
    return {s.split(".")[0] + ".*" if "." in s else s for s in series}


def _coverage(coverage: pd.DataFrame) -> list[str]:
    lines = [f"Coverage ({T}eu_coverage.csv; missing share over the regions x years of each series):", ""]
    if coverage.empty:
        return lines + ["No series has data.", ""]
    return lines + _table(coverage, ["series", "regions", "countries", "first_year", "last_year", "missing_share",
                                     "flagged_cells"])


def _martin(summary: pd.DataFrame, settings: dict) -> list[str]:
    lines = ["### Resistance and recovery against the own country", "",
             f"Martin indices of each region against its country's own series (benchmark: "
             f"{settings['measures']['benchmark']}); index_pp = regional minus national change in percentage "
             f"points, positive = better than the country ({T}eu_martin_summary.csv, per region in "
             f"{T}eu_martin.csv).", ""]
    if summary.empty:
        return lines + ["No outcome has data for any configured episode.", ""]
    lines += _sole_units_sentence(summary)
    excluded = ["excluded"] if "excluded_sole_units" in summary.columns else []
    return lines + _table(summary.rename(columns={"units": "regions", "excluded_sole_units": "excluded"}),
                          ["outcome", "episode", "phase", "regions", "countries", *excluded, "median_g_unit",
                           "mean_index_pp", "median_index_pp", "sd_index_pp", "share_better"])


def _sole_units_sentence(summary: pd.DataFrame) -> list[str]:
    """How many regions the summary leaves out for being their country's only region (index 0 by construction)."""
    excluded = summary.get("excluded_sole_units", pd.Series(dtype="int64")).fillna(0).astype(int)
    if not excluded.any():
        return []
    counts = sorted(set(excluded))
    told = f"{counts[0]}" if len(counts) == 1 else f"{counts[0]} to {counts[-1]}"
    return [f"A region that is its country's only NUTS-2 region is its own benchmark (index 0 by construction): "
            f"the summary leaves out {told} such region(s) per row (column excluded), so share_better and the "
            "median describe regions compared with other regions of their country.", ""]


def _exposures(summary: pd.DataFrame, composite: pd.DataFrame) -> list[str]:
    lines = ["### Pre-shock clusters, specialisation and digitalization", "",
             f"One value per region and episode, at the exposure year or the nearest earlier year "
             f"({T}eu_exposure_summary.csv, per region in {T}eu_exposures.csv).", ""]
    lines += _table(summary.rename(columns={"units": "regions"}),
                    ["episode", "variable", "regions", "countries", "mean", "sd", "min", "max"]) \
        if not summary.empty else ["No exposure could be computed.", ""]
    for episode, own in composite.groupby("episode", sort=False):
        used = ", ".join(own.loc[own["included"].astype(bool), "indicator"]) or "none"
        notes = own["composite_notes"].dropna()
        text = notes.iloc[0] if len(notes) else ""
        lines.append(f"- Digitalization, {episode} ({T}eu_digital_composite.csv): indicators used: {used}. {text}")
    return lines + [""]


def _exposure_years(exposures: pd.DataFrame, measures: dict) -> list[str]:
    """The rule for the measurement year of each exposure, and the years the values come from."""
    structural = measures.get("structural_max_back", {})
    rule = (f"Measurement year of the exposures: the episode's exposure year or up to "
            f"{measures['exposure_max_back']} years earlier, never after the contraction's first year (the level "
            "its fall is measured from, so an exposure may share that year; the robustness section's timing table "
            "marks it)")
    rule += ("; as structural measures, " + ", ".join(f"{v} up to {n} years earlier" for v, n in sorted(structural.items()))
             + " (its value is the region's structure before the shock, measured with the lag below)"
             if structural else "")
    lines = [rule + f" ({T}eu_exposures.csv, column year_used):", ""]
    if exposures.empty:
        return lines + ["No exposure has a value.", ""]
    years = exposures.dropna(subset=["value", "year_used"]).groupby(["episode", "variable"], sort=True)["year_used"]
    for (episode, variable), used in years:
        counts = used.astype(int).value_counts().sort_index()
        text = ", ".join(f"{year} ({n} regions)" for year, n in counts.items())
        lines.append(f"- {episode}, {variable}: {text}.")
    return lines + [""]


def _models(models: pd.DataFrame, notes: list[dict], cross: pd.DataFrame, standardized: bool = False) -> list[str]:
    scale = ("exposures standardised within episode over the estimation sample (coefficients in pp of growth per "
             "standard deviation), " if standardized else "exposures as measured, ")
    lines = ["### Models", "",
             f"Regional growth on shock x pre-shock exposure terms with region and country x year effects, {scale}"
             f"errors clustered by region (CR1, t(G-1)); p_boot: restricted wild cluster bootstrap by country "
             f"({T}eu_models.csv; samples and dropped terms in results/models/eu_models.json).", ""]
    if not models.empty:
        lines += _table(models, ["model", "term", "coef", "se", "p", "nobs", "n_clusters", "p_boot", "boot_ci_low",
                                 "boot_ci_high", "boot_clusters"])
    for note in notes:
        if note.get("estimable"):
            dropped = note.get("exposures_dropped") or []
            episodes = note.get("episodes_dropped") or []
            if dropped or episodes:
                lines.append(f"- {note['model']}: left out for lack of data: exposures {', '.join(dropped) or 'none'}; "
                             f"episodes {', '.join(episodes) or 'none'}.")
        else:
            lines.append(f"- {note['model']}: not estimable ({note.get('reason', 'no data')}).")
    alone = sorted({u for note in notes for u in note.get("sole_units_dropped") or []})
    if alone:
        lines.append(f"- Sample: the {len(alone)} region(s) that are their country's only region ({', '.join(alone)}) "
                     "are left out of the models and the cross-sections: the country x year effects (country dummies) "
                     "absorb them and their Martin index is 0 by construction.")
    lines += ["", f"Cross-sections of the Martin indices on pre-shock exposures with country effects, HC1 "
              f"({T}eu_cross_section.csv):", ""]
    if cross.empty:
        return lines + ["No cross-section is estimable.", ""]
    return lines + _table(cross, ["outcome", "episode", "dependent", "term", "coef", "se", "p", "nobs", "countries"])


def _needs_live(results: dict, settings: dict) -> list[str]:
    """What the configured design needs that the available files do not hold."""
    summary = results["martin_summary"]
    lines = ["### What needs the live Eurostat data", ""]
    done = set(zip(summary["outcome"], summary["episode"])) if not summary.empty else set()
    for outcome in settings["measures"]["outcomes"]:
        for episode in settings["episodes"]:
            if (outcome, episode) not in done:
                lines.append(f"- Martin indices of {outcome}, episode {episode}: no data in the available files.")
    provenance = results["provenance"]
    missing = provenance[provenance["status"] != "used"]
    for family in sorted(_series_families(missing["series"])):
        rows = missing[missing["series"].map(lambda s: (s.split(".")[0] + ".*" if "." in s else s) == family)]
        lines.append(f"- Series {family}: {rows['message'].iloc[0]}.")
    return lines + [""]
