"""The report section comparing countries, EU regions and Chinese provinces, from its results table only.

``comparison_section(table)`` returns Markdown starting with ``## Countries, EU regions and Chinese
provinces on one specification``: the text and the coefficient plot, then (after the layout's appendix
marker) the full coefficient table with its notes, which the report moves to the appendix; every number
is read from ``results/tables/panel_comparison.csv`` (the ``table`` argument).
"""

from __future__ import annotations

import pandas as pd

from resilience.report.layout import APPENDIX_MARKER
from resilience.report.text import fmt
from resilience.panel_comparison import format_count

TABLE = "results/tables/panel_comparison.csv"
FIGURE = "panel_comparison"


def _text(value) -> str:
    """A CSV cell as text: '' for a missing cell (read back as NaN)."""
    return value if isinstance(value, str) else ""


def _bootstrap_cells(row) -> list[str]:
    """The bootstrap p and interval of an estimated row ('n/a' where the panel has none)."""
    interval = ("n/a" if pd.isna(row.boot_ci_low) or pd.isna(row.boot_ci_high)
                else f"[{fmt(row.boot_ci_low, 3)}, {fmt(row.boot_ci_high, 3)}]")
    return [fmt(row.boot_p, 3), interval]


def comparison_section(table: pd.DataFrame) -> str:
    level = float(table["ci_level"].iloc[0]) if len(table) else 0.95
    lines = ["## Countries, EU regions and Chinese provinces on one specification", "",
             f"Coefficients of the shock-phase x pre-shock exposure terms that the three panels share ({TABLE}): "
             f"each panel's growth regression with unit and year (EU: country x year) effects and errors clustered "
             f"by unit; {level:.0%} intervals recomputed the same way for every panel, b -/+ t(G-1) x se with "
             "G = clusters. The dependents differ and so do the exposure units, so compare signs and precision "
             "across panels, not magnitudes where the units differ. Where a panel runs the restricted wild cluster "
             "bootstrap (countries: clustered by economy; EU regions: by country; provinces: by province) its p-value "
             "and, where computed, its inverted interval are quoted beside the analytic ones (boot_* columns).", ""]
    if table.empty:
        return "\n".join(lines + ["No panel is configured.", ""])
    lines += ["Every coefficient, with its interval, sample and bootstrap, is in @tbl:panel_comparison in the "
              "appendix.", "", f"![Panel comparison: coefficients by term and panel](figures/{FIGURE}.png)", "",
              APPENDIX_MARKER, "## Countries, EU regions and Chinese provinces: every coefficient", "",
              f"Table: {{#tbl:panel_comparison}} The shock x exposure terms the three panels share (`{TABLE}`).", ""]
    head = ["panel", "model (dependent)", "episode", "term", "coef", "se", f"{level:.0%} CI", "N", "clusters",
            "bootstrap p", "bootstrap CI"]
    lines += ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    for row in table.itertuples(index=False):
        if row.status == "estimated":
            cells = [fmt(row.coef, 3), fmt(row.se, 3), f"[{fmt(row.ci_low, 3)}, {fmt(row.ci_high, 3)}]",
                     format_count(row.nobs), format_count(row.n_clusters), *_bootstrap_cells(row)]
        else:
            cells = ["n/a"] * 7
        lines.append("| " + " | ".join([row.panel_label, f"{row.model} ({row.dependent})", row.episode,
                                        f"{row.term_label} ({_text(row.term) or 'none'})", *cells]) + " |")
    lines.append("")
    lines += ["Exposure units per panel (column exposure_scale):", ""]
    for panel in table.drop_duplicates("panel").itertuples(index=False):
        scale = "per 1 SD" if bool(panel.standardized) else "raw units"
        lines.append(f"- {panel.panel_label}: {scale}; {panel.exposure_scale}.")
    boot = table[table["status"] == "estimated"]
    with_p = boot[boot["boot_p"].notna()]
    if len(with_p):
        lines += ["", "Bootstrap columns: restricted wild cluster bootstrap (null imposed), symmetric p-value; "
                  "interval by test inversion where computed.", ""]
        for r in with_p.drop_duplicates("panel").itertuples(index=False):
            interval = "no interval" if pd.isna(r.boot_ci_level) else f"{fmt(r.boot_ci_level * 100, 0)}% interval"
            lines.append(f"- {r.panel_label}: clustered by {_text(r.boot_clustered_by)}, "
                         f"{format_count(r.boot_clusters)} clusters, {format_count(r.boot_reps)} draws, "
                         f"{_text(r.boot_weights)} weights, {interval}.")
    without = boot[boot["boot_p"].isna() | boot["boot_ci_low"].isna() | boot["boot_ci_high"].isna()]
    if len(without):
        lines += ["", "Bootstrap p-value or interval not available (n/a in the bootstrap columns):", ""]
        groups = without.assign(boot_reason=without["boot_reason"].map(_text)).groupby(
            ["panel", "boot_reason"], sort=False)
        lines += [f"- {g['panel_label'].iloc[0]}, {', '.join(g['term_label'])}: {reason}."
                  for (_, reason), g in groups]
    missing = table[table["status"] != "estimated"]
    if len(missing):
        lines += ["", "Not available (kept in the table with the reason):", ""]
        lines += [f"- {r.panel_label}, {r.term_label}: {r.reason}." for r in missing.itertuples(index=False)]
    return "\n".join(lines + [""])
