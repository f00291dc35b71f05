"""Workflow glue of the Chinese provinces panel: raw folders in, the tables of each rule out.

Each function is what one rule of ``workflow/rules/panel_china.smk`` and ``stages.smk`` does, so the scripts stay
a few lines. A dataset the run lacks (an optional source absent from the mirror) is carried as
None; series, measures and models that need it are left out and say why, never filled in.
"""

from __future__ import annotations

import pandas as pd

from resilience.sources.raw import raw_file
from resilience.panels.china import measures as china
from resilience.sources import parsers

# The series holding the compiled GDP index rows as the compiled file dates them (config
# panels.china.series): only the dating check reads it.
COMPILED_INDEX_ROWS = "gdp_index_compiled_rows"


def parse_raw(raw_dirs: dict[str, str], options: dict[str, dict] | None = None) -> tuple[dict, dict]:
    """(dataset -> Parsed or None, dataset -> manifest) for every raw folder; ``options``: dataset ->
    the catalog's parse_options (the years-as-columns GDP index file does not name its indicator)."""
    parsed, manifests = {}, {}
    for dataset, folder in sorted(raw_dirs.items()):
        path, manifest = raw_file(folder)
        manifests[dataset] = manifest
        kwargs = (options or {}).get(dataset, {})
        parsed[dataset] = None if path is None else parsers.parse(manifest["format"], path, **kwargs)
    return parsed, manifests


def build_panel(raw_dirs: dict[str, str], block: dict):
    """(panel, provenance, coverage, footnotes) of the china_panel rule."""
    parsed, manifests = parse_raw(raw_dirs, block.get("parse_options"))
    panel, provenance = china.assemble_panel(parsed, manifests, block["series"], block["years"],
                                             block.get("index_lagged_rows"))
    used = set(provenance.loc[provenance["status"] == "used", "dataset"])
    footnotes = china.footnote_table({d: p for d, p in parsed.items() if d in used})
    return panel, provenance, china.coverage_table(panel, block["years"]), footnotes


def composite(panel: pd.DataFrame, growth: pd.DataFrame, block: dict):
    """(index alignment, composite frame, composite weights) of the china_composite rule: the checks of
    the compiled GDP index's dating and the entropy composites (growth: the panel_measures output)."""
    # The dating check needs the compiled rows as the compiled file dates them; the spliced gdp_index
    # holds them re-dated, and its publisher years are the direct benchmark.
    index, nominal = china.long_series(panel, COMPILED_INDEX_ROWS), china.long_series(panel, "gdp")
    rows = panel[(panel["series"] == "gdp_index") & (panel["flag"] != china.COMPILED_FLAG) & panel["value"].notna()]
    publisher = rows[["unit", "year", "value"]].reset_index(drop=True)
    alignment = china.index_alignment(index, nominal, publisher) if len(index) and len(nominal) else pd.DataFrame(
        columns=["index_row", "corr_same_year", "corr_previous_year", "provinces", "corr_publisher_same_year",
                 "corr_publisher_previous_year"])
    alignment["used_as_previous_year"] = alignment["index_row"].between(*block["index_lagged_rows"])
    frame, weights = composite_or_empty(panel, growth, block["composite"])
    return alignment, frame, weights


def composite_or_empty(panel, growth, composite: dict):
    needed = list(composite["resilience_components"]) + list(composite["digital_components"])
    have = set(growth.columns[growth.notna().any()]) | set(panel["series"])
    if any(n not in have for n in needed):
        return (pd.DataFrame(columns=["unit", "year", "resilience_index", "digital_index", "sec_lq"]),
                pd.DataFrame(columns=["index", "component", "weight"]))
    return china.composite_frame(panel, growth, composite)
