"""Tidy source tables -> one country-year panel, with the chosen source and vintage per series.

For every configured series the sources are tried in the configured order of preference; the
first available dataset that has data for the series' code supplies the whole series. Sources are
never spliced inside one series (levels and revisions differ between publishers and vintages).
"""

from __future__ import annotations

import pandas as pd

PROVENANCE_COLUMNS = [
    "series", "label", "rank", "dataset", "code", "status", "vintage", "mode", "file", "sha256",
    "url", "n_economies", "first_year", "last_year", "n_flagged", "message",
]


def _candidate(tidy: pd.DataFrame, code: str, years: dict) -> pd.DataFrame:
    rows = tidy[(tidy["series"] == code) & (tidy["entity"] == "economy") & tidy["value"].notna()
                & tidy["year"].between(years["start"], years["end"])]
    return rows[["iso3", "year", "value", "flags", "vintage"]]


def _record(name, spec, rank, src, status, manifest, rows=None, message="") -> dict:
    rows = rows if rows is not None else pd.DataFrame(columns=["iso3", "year", "flags", "vintage"])
    return {
        "series": name, "label": spec["label"], "rank": rank, "dataset": src["dataset"],
        "code": src["code"], "status": status,
        "vintage": rows["vintage"].iloc[0] if len(rows) else "",
        "mode": manifest.get("mode", ""), "file": manifest.get("file", ""),
        "sha256": manifest.get("sha256", ""), "url": manifest.get("url", ""),
        "n_economies": int(rows["iso3"].nunique()),
        "first_year": int(rows["year"].min()) if len(rows) else pd.NA,
        "last_year": int(rows["year"].max()) if len(rows) else pd.NA,
        "n_flagged": int((rows["flags"] != "").sum()), "message": message,
    }


def unavailable_reason(manifest: dict) -> str:
    """Why a dataset is unavailable, composed here from the manifest's fields.

    For a mirror run the reason is rebuilt from the mirror path and the live URL rather than copied
    from the download job's free-text message, so results depend only on the data and this code
    (the raw layer is not rerun when the package changes).
    """
    if manifest.get("mode") == "mirror":
        where = manifest.get("mirror_path") or "no mirror_path in the catalog"
        return f"not in the mirror ({where}); live source: {manifest.get('url') or 'none'}"
    return manifest.get("message", "")


def choose_series(name, spec, tidy_by_dataset, manifests, years):
    """Returns (rows of the chosen source or None, provenance records for every candidate)."""
    chosen, records = None, []
    for rank, src in enumerate(spec["sources"], start=1):
        manifest = manifests[src["dataset"]]
        # An unavailable dataset is reported as such even when a preferred source made it unneeded.
        if manifest["status"] != "ok":
            records.append(_record(name, spec, rank, src, "unavailable", manifest,
                                   message=unavailable_reason(manifest)))
        elif chosen is not None:
            records.append(_record(name, spec, rank, src, "not needed", manifest,
                                   message="a preferred source supplied the series"))
        else:
            rows = _candidate(tidy_by_dataset[src["dataset"]], src["code"], years)
            if rows.empty:
                records.append(_record(name, spec, rank, src, "no data", manifest,
                                       message=f"no economy rows for code {src['code']!r} in "
                                               f"{years['start']}-{years['end']}"))
            else:
                chosen = rows
                records.append(_record(name, spec, rank, src, "used", manifest, rows))
    return chosen, records


FLAGS_SUFFIX = "__flags"


def build_panel(tidy_by_dataset: dict, manifests: dict, series_cfg: dict, years: dict):
    """Returns (wide panel, provenance table).

    The panel has one row per economy x year over the configured years, a column per series with
    data, and beside it ``<series>__flags``: the publisher's notes for that cell ('' if none), so
    measures can see series breaks.
    """
    columns, provenance = [], []
    for name, spec in series_cfg.items():
        rows, records = choose_series(name, spec, tidy_by_dataset, manifests, years)
        provenance.extend(records)
        if rows is not None:
            indexed = rows.set_index(["iso3", "year"])
            columns.append(indexed["value"].rename(name))
            columns.append(indexed["flags"].astype(str).rename(name + FLAGS_SUFFIX))
    panel = _grid(columns, years)
    for col in [c for c in panel.columns if c.endswith(FLAGS_SUFFIX)]:
        panel[col] = panel[col].fillna("").astype(str)
    return panel, pd.DataFrame(provenance, columns=PROVENANCE_COLUMNS)


def series_columns(panel: pd.DataFrame) -> list[str]:
    return [c for c in panel.columns if c not in ("iso3", "year") and not c.endswith(FLAGS_SUFFIX)]


def _grid(values, years) -> pd.DataFrame:
    """A balanced iso3 x year grid over the configured years, NaN where a series has no value."""
    if not values:
        raise ValueError("no configured series has data: nothing to build a panel from")
    wide = pd.concat(values, axis=1)
    economies = sorted(wide.index.get_level_values("iso3").unique())
    index = pd.MultiIndex.from_product([economies, range(years["start"], years["end"] + 1)],
                                       names=["iso3", "year"])
    return wide.reindex(index).reset_index()


def coverage(panel: pd.DataFrame, provenance: pd.DataFrame) -> pd.DataFrame:
    """Per used series: economies with data, first and last year, share of panel cells missing."""
    used = provenance[provenance["status"] == "used"].set_index("series")
    rows = []
    for name in series_columns(panel):
        has = panel[panel[name].notna()]
        rows.append({
            "series": name, "dataset": used.at[name, "dataset"], "vintage": used.at[name, "vintage"],
            "n_economies": int(has["iso3"].nunique()),
            "first_year": int(has["year"].min()), "last_year": int(has["year"].max()),
            "share_missing": float(panel[name].isna().mean()),
            "n_flagged": int((panel[name + FLAGS_SUFFIX] != "").sum()),
        })
    return pd.DataFrame(rows)


def combine_unmatched(frames) -> pd.DataFrame:
    """All names/codes no dataset could resolve, for the report (none is dropped silently)."""
    table = pd.concat(list(frames), ignore_index=True)
    keys = ["source", "country_code", "country_name"]
    table[keys] = table[keys].fillna("").astype(str)
    return table.sort_values(keys).reset_index(drop=True)
