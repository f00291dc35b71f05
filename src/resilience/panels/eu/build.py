"""The EU NUTS-2 panel: tidy Eurostat tables -> one long region-year panel in one NUTS version.

Configuration (``panels.eu`` in config/config.yaml) names, for every panel series, its sources in
order of preference (``{dataset, select}``: a catalog dataset and the dimension codes that pick
one series out of it, e.g. ``{unit: THS, nace_r2: B-E, age: Y_GE15}``); the first source that is
available and has matching rows supplies the whole series (no splicing across datasets or
vintages, as in the country panel). Sector sets (``sectors``) pick several codes of one
dimension at once; their panel series are named ``<set>.<code>`` (and ``<set>_total``).

Panel columns (``PANEL_COLUMNS``): unit (NUTS code), level (0 = the country's own row, 2 =
region), country (the code's two letters, Eurostat style: EL, UK), year, series, value, flag
(the publisher's flags, unchanged), source (dataset id). Only the configured countries are kept,
and at level 2 no extra-regio code (``..ZZ``). Region codes are harmonised per source dataset
from the NUTS version its codes are in (inferred, ``nuts.infer_version``) to the target version.
A ``kind: growth`` series (published % changes on the previous year) enters as its chained
index (``regional_measures.chain_index``), with each year's flag.
"""

from __future__ import annotations

import pandas as pd

from resilience.errors import InputError
from resilience.panels.eu import nuts
from resilience.measures.regional import chain_index

PANEL_COLUMNS = ["unit", "level", "country", "year", "series", "value", "flag", "source"]
PROVENANCE_COLUMNS = ["series", "dataset", "status", "message", "nuts_version", "regions", "first_year",
                      "last_year", "vintage", "sha256"]
HARMONIZATION_COLUMNS = ["dataset"] + nuts.REPORT_COLUMNS


def empty_tidy() -> pd.DataFrame:
    """The tidy table of an unavailable dataset: just geo, year, value, flag."""
    return pd.DataFrame({"geo": pd.Series(dtype="string"), "year": pd.Series(dtype="int64"),
                         "value": pd.Series(dtype="float64"), "flag": pd.Series(dtype="string")})


def select_rows(tidy: pd.DataFrame, select: dict[str, str]) -> tuple[pd.DataFrame, str]:
    """Rows of ``tidy`` whose dimensions equal ``select``; and '' or why none matched.

    A dimension named in ``select`` but absent from the file, or a code absent from a dimension,
    is reported with the codes the file does have (so a wrong config code is easy to fix).
    """
    if tidy.empty:
        return tidy, "dataset unavailable"
    mask = pd.Series(True, index=tidy.index)
    for dimension, code in select.items():
        if dimension not in tidy.columns:
            dims = [c for c in tidy.columns if c not in ("geo", "year", "value", "flag")]
            return tidy.iloc[0:0], f"no dimension {dimension!r} (dimensions: {dims})"
        here = tidy[dimension] == str(code)
        if not here.any():
            codes = sorted(tidy[dimension].dropna().unique())[:30]
            return tidy.iloc[0:0], f"no {dimension}={code!r} (codes: {codes})"
        mask &= here
    out = tidy[mask]
    return out, "" if len(out) else f"no rows with {select}"


def series_rows(tidy: pd.DataFrame, select: dict, name: str, dataset: str, countries: list[str]) -> pd.DataFrame:
    """One selected series as panel rows (before NUTS harmonisation); geo must be unique per year."""
    rows, _ = select_rows(tidy, select)
    geo = rows["geo"].astype(str)
    country = geo.str[:2]
    keep = country.isin(countries) & ((geo.str.len() == 2) | ((geo.str.len() == 4) & ~geo.str.endswith("ZZ")))
    rows = rows[keep.to_numpy()]
    out = pd.DataFrame({"unit": rows["geo"].astype(str), "level": rows["geo"].str.len().to_numpy() - 2,
                        "country": rows["geo"].str[:2].astype(str), "year": rows["year"].astype("int64"),
                        "series": name, "value": rows["value"].astype("float64"),
                        "flag": rows["flag"].fillna("").astype(str), "source": dataset})
    duplicated = out.duplicated(["unit", "year"])
    if duplicated.any():
        first = out.loc[duplicated, ["unit", "year"]].iloc[0].to_dict()
        raise InputError(f"dataset {dataset}", f"series {name!r} selects several cells for {first}",
                         field=",".join(select), expected="a selection that fixes every dimension but geo and time")
    return out.reset_index(drop=True)


def build_panel(tidies: dict[str, pd.DataFrame], manifests: dict[str, dict], settings: dict,
                correspondence: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(panel, provenance per series, harmonisation report per dataset and region code).

    ``tidies``: dataset id -> tidy table (``empty_tidy()`` when unavailable); ``manifests``: dataset
    id -> its raw manifest; ``settings``: the ``panels.eu`` config block.
    """
    target = settings["nuts"]["target_version"]
    countries = settings["countries"]
    chosen, provenance = {}, []
    for name, spec in _all_series(settings).items():
        rows, record = _first_source(name, spec, tidies, manifests, countries)
        provenance.append(record)
        if rows is not None:
            chosen[name] = rows
    versions, reports, parts = {}, [], []
    for dataset in sorted({rows["source"].iloc[0] for rows in chosen.values()}):
        frames = [rows for rows in chosen.values() if rows["source"].iloc[0] == dataset]
        raw = pd.concat(frames, ignore_index=True)
        regions = raw.loc[raw["level"] == nuts.REGION_LEVEL, "unit"].unique()
        source = nuts.infer_version(regions, correspondence) if len(regions) else target
        versions[dataset] = source
        harmonized, report = nuts.harmonize(raw, correspondence, source, target)
        reports.append(report.assign(dataset=dataset))
        parts.append(harmonized)
    panel = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=PANEL_COLUMNS)
    panel = _chain_growth_series(panel, settings)
    panel = panel[PANEL_COLUMNS].sort_values(["series", "unit", "year"], ignore_index=True)
    provenance = _finish_provenance(pd.DataFrame(provenance), panel, versions)
    report = (pd.concat(reports, ignore_index=True) if reports else pd.DataFrame(columns=HARMONIZATION_COLUMNS))
    return panel, provenance, report[HARMONIZATION_COLUMNS].sort_values(["dataset", "unit"], ignore_index=True)


def harmonization_summary(report: pd.DataFrame) -> pd.DataFrame:
    """Region codes per dataset and status (unchanged, recoded, dropped, not_in_source, total), and the
    dropped ones once more by cause (``dropped:merged``, ``dropped:split``, ... see ``nuts.drop_cause``)."""
    if report.empty:
        return pd.DataFrame(columns=["dataset", "status", "regions"])
    parts = [pd.concat([_every_status(nuts.summarise(own)), nuts.drop_causes(own)], ignore_index=True)
             .assign(dataset=dataset) for dataset, own in report.groupby("dataset", sort=True)]
    return pd.concat(parts, ignore_index=True)[["dataset", "status", "regions"]]


def _every_status(counts: pd.DataFrame) -> pd.DataFrame:
    """The counts with a 0 row for each status no code of the dataset has (total stays last)."""
    statuses = ["unchanged", "recoded", "dropped", "not_in_source"]
    have = counts.set_index("status")["regions"]
    rows = [(s, int(have.get(s, 0))) for s in statuses] + [("total", int(have["total"]))]
    return pd.DataFrame(rows, columns=["status", "regions"])


def coverage(panel: pd.DataFrame) -> pd.DataFrame:
    """Per series: regions, countries, first and last year, region-years and the share of them missing.

    The missing share is over the regions x years rectangle of the series (a region-year absent
    from the file counts as missing, as does a published ':'), with the flagged cells counted too.
    """
    regional = panel[panel["level"] == nuts.REGION_LEVEL]
    rows = []
    for series, own in regional.groupby("series", sort=True):
        years = own["year"].agg(["min", "max"])
        rectangle = own["unit"].nunique() * (years["max"] - years["min"] + 1)
        present = own["value"].notna().sum()
        rows.append({"series": series, "source": own["source"].iloc[0], "regions": own["unit"].nunique(),
                     "countries": own["country"].nunique(), "first_year": int(years["min"]),
                     "last_year": int(years["max"]), "region_years": int(rectangle),
                     "with_value": int(present), "missing_share": float(1 - present / rectangle),
                     "flagged_cells": int((own["flag"] != "").sum())})
    return pd.DataFrame(rows, columns=["series", "source", "regions", "countries", "first_year", "last_year",
                                       "region_years", "with_value", "missing_share", "flagged_cells"])


def sector_table(panel: pd.DataFrame, sector_set: str, year: int) -> pd.DataFrame:
    """Regions x sectors of one sector set in one year (wide; NaN where a cell is missing)."""
    prefix = f"{sector_set}."
    rows = panel[(panel["level"] == nuts.REGION_LEVEL) & panel["series"].str.startswith(prefix)
                 & (panel["year"] == year)]
    wide = rows.assign(sector=rows["series"].str.removeprefix(prefix)).pivot(
        index="unit", columns="sector", values="value")
    return wide.sort_index()


def _all_series(settings: dict) -> dict[str, dict]:
    """Panel series from ``series`` and the expanded ``sectors`` sets (``<set>.<code>``)."""
    out = {name: {"sources": spec["sources"], "kind": spec.get("kind", "level")}
           for name, spec in settings["series"].items()}
    for set_name, spec in settings.get("sectors", {}).items():
        # The set's total (if configured) is '<set>_total', outside the '<set>.' sector prefix.
        named = [(f"{set_name}.{code}", code) for code in spec["codes"]]
        named += [(f"{set_name}_total", spec["total"])] if spec.get("total") else []
        for series, code in named:
            sources = [{"dataset": s["dataset"], "select": {**s["select"], spec["dimension"]: code}}
                       for s in spec["sources"]]
            out[series] = {"sources": sources, "kind": "level"}
    return out


def _first_source(name: str, spec: dict, tidies, manifests, countries):
    tried = []
    for source in spec["sources"]:
        dataset = source["dataset"]
        tidy = tidies.get(dataset, empty_tidy())
        rows, why = select_rows(tidy, source["select"])
        if why:
            reason = manifests.get(dataset, {}).get("message") or why
            tried.append(f"{dataset}: {reason}")
            continue
        panel_rows = series_rows(tidy, source["select"], name, dataset, countries)
        if panel_rows.empty:
            tried.append(f"{dataset}: no rows for the configured countries")
            continue
        manifest = manifests.get(dataset, {})
        return panel_rows, {"series": name, "dataset": dataset, "status": "used",
                            "message": "; ".join(tried), "vintage": manifest.get("vintage_hint") or "",
                            "sha256": manifest.get("sha256") or ""}
    return None, {"series": name, "dataset": "", "status": "unavailable", "message": "; ".join(tried),
                  "vintage": "", "sha256": ""}


def _chain_growth_series(panel: pd.DataFrame, settings: dict) -> pd.DataFrame:
    growth = [n for n, s in settings["series"].items() if s.get("kind") == "growth"]
    parts = [panel[~panel["series"].isin(growth)]]
    for name in growth:
        own = panel[panel["series"] == name]
        if own.empty:
            continue
        index = chain_index(own[["unit", "year", "value"]])
        meta = own.drop_duplicates("unit").set_index("unit")[["level", "country", "source"]]
        flags = own.set_index(["unit", "year"])["flag"]
        index = index.join(meta, on="unit").assign(series=name)
        index["flag"] = [flags.get((u, y), "") for u, y in zip(index["unit"], index["year"])]
        parts.append(index)
    return pd.concat(parts, ignore_index=True)


def _finish_provenance(records: pd.DataFrame, panel: pd.DataFrame, versions: dict) -> pd.DataFrame:
    regional = panel[(panel["level"] == nuts.REGION_LEVEL) & panel["value"].notna()]
    stats = regional.groupby("series").agg(regions=("unit", "nunique"), first_year=("year", "min"),
                                           last_year=("year", "max"))
    out = records.join(stats, on="series")
    out["nuts_version"] = out["dataset"].map(versions).astype("Int64")
    for column in ("regions", "first_year", "last_year"):
        out[column] = out[column].astype("Int64")
    out = out.sort_values("series", ignore_index=True)
    return out[PROVENANCE_COLUMNS]


def region_country(panel: pd.DataFrame) -> pd.Series:
    """unit -> country for the regions of the panel."""
    regional = panel[panel["level"] == nuts.REGION_LEVEL]
    return regional.drop_duplicates("unit").set_index("unit")["country"].sort_index()


def series_frame(panel: pd.DataFrame, series: str, level: int = nuts.REGION_LEVEL) -> pd.DataFrame:
    """One series at one level as unit, country, year, value (NaN values dropped)."""
    rows = panel[(panel["series"] == series) & (panel["level"] == level)]
    return rows[["unit", "country", "year", "value"]].dropna(subset=["value"]).reset_index(drop=True)


