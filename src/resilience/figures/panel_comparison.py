"""Dot-and-whisker plot of the panel comparison: one row per common term, one marker per panel."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from resilience.errors import InputError
from resilience.figures.common import add_note, check_columns, figure_style, new_figure
from resilience.panel_comparison import format_count

_REQUIRED = ("panel", "panel_label", "term_label", "status", "reason", "coef", "ci_low", "ci_high", "nobs",
             "n_clusters", "ci_level", "standardized", "exposure_scale")
MARKERS = ("o", "s", "D", "^", "v", "P", "X")
COLORS = ("#2c5f8a", "#c05a28", "#3f8f4f", "#7a4f9a", "#8a6d2c", "#555555", "#b03060")


BOOT_OFFSET = 0.08  # the bootstrap whisker sits just below the analytic one


def _bootstrap_interval(rows: pd.DataFrame, estimated: np.ndarray):
    """(mask, low, high) of the estimated rows with a finite bootstrap interval, or None."""
    if not {"boot_ci_low", "boot_ci_high"} <= set(rows.columns):
        return None
    low, high = (pd.to_numeric(rows[c], errors="coerce").to_numpy(dtype=float) for c in ("boot_ci_low", "boot_ci_high"))
    mask = estimated & np.isfinite(low) & np.isfinite(high)
    return (mask, low[mask], high[mask]) if mask.any() else None


def panel_legend_label(rows: pd.DataFrame) -> str:
    """'Countries (N = 4,321, 172 clusters)' from the panel's estimated rows, or '(no estimate)'."""
    label = str(rows["panel_label"].iloc[0])
    est = rows[rows["status"] == "estimated"]
    if est.empty:
        return f"{label} (no estimate)"
    nobs, clusters = sorted(set(est["nobs"].dropna())), sorted(set(est["n_clusters"].dropna()))
    n = " / ".join(format_count(v) for v in nobs) or "n/a"
    g = " / ".join(format_count(v) for v in clusters) or "n/a"
    return f"{label} (N = {n}, {g} clusters)"


def panel_comparison_plot(table: pd.DataFrame, *, title: str | None = None) -> Figure:
    """Estimates with CI whiskers: rows = term labels (table order, top first), markers = panels.

    Unavailable panel x term rows are marked 'n/a' at zero and listed in the note (their reasons
    are in the table), never left out silently; the note also states each panel's dependent and
    whether its exposures are standardized. Where the table carries a wild-bootstrap interval
    (``boot_ci_low``, ``boot_ci_high``), it is drawn as a thin dotted whisker just below the point.
    Artists carry gids ``points_<panel>``, ``ci_<panel>``, ``boot_ci_<panel>``, ``zero``, ``caption``.
    """
    check_columns(table, _REQUIRED, "panel comparison table")
    if table.empty:
        raise InputError("panel comparison table", "no rows", expected="one row per panel x term")
    terms = list(dict.fromkeys(table["term_label"].astype(str)))
    panels = list(dict.fromkeys(table["panel"].astype(str)))
    n_terms, n_panels = len(terms), len(panels)
    ypos = {t: float(n_terms - i) for i, t in enumerate(terms)}
    width = 0.6
    offsets = {p: (width / 2 - width * (j + 0.5) / n_panels) for j, p in enumerate(panels)}
    level = float(table["ci_level"].iloc[0])
    caption = [f"Points: estimates; whiskers: {level:.0%} confidence intervals (t(G-1), G = clusters)."]
    unavailable, scales, has_boot = [], [], False
    with figure_style():
        fig = new_figure((6.8, max(3.0, 1.6 + 0.55 * n_terms * max(1, n_panels) / 2)))
        ax = fig.add_subplot()
        ax.axvline(0.0, color="#555555", lw=0.8, ls="--", zorder=1).set_gid("zero")
        for j, panel in enumerate(panels):
            rows = table[table["panel"].astype(str) == panel]
            color, marker = COLORS[j % len(COLORS)], MARKERS[j % len(MARKERS)]
            y = np.array([ypos[t] + offsets[panel] for t in rows["term_label"].astype(str)])
            est = (rows["status"] == "estimated").to_numpy() & np.isfinite(rows["coef"].to_numpy(dtype=float))
            coef, lo, hi = (rows[c].to_numpy(dtype=float) for c in ("coef", "ci_low", "ci_high"))
            ok_ci = est & np.isfinite(lo) & np.isfinite(hi)
            if ok_ci.any():
                ax.hlines(y[ok_ci], lo[ok_ci], hi[ok_ci], color=color, lw=1.5, zorder=2).set_gid(f"ci_{panel}")
            boot = _bootstrap_interval(rows, est)
            if boot is not None:
                has_boot = True
                ax.hlines(y[boot[0]] - BOOT_OFFSET, boot[1], boot[2], color=color, lw=0.9, ls=":",
                          zorder=2).set_gid(f"boot_ci_{panel}")
            (points,) = ax.plot(coef[est], y[est], ls="none", marker=marker, ms=5, color=color, zorder=3,
                                label=panel_legend_label(rows))
            points.set_gid(f"points_{panel}")
            for yy in y[~est]:
                ax.text(0.0, yy, " n/a", color=color, fontsize=7, va="center", ha="left", zorder=3)
            if (~est).any():
                unavailable.append(f"{rows['panel_label'].iloc[0]}: "
                                   + ", ".join(rows.loc[~est, "term_label"].astype(str)))
            first = rows.iloc[0]
            dependent = first["dependent"] if "dependent" in rows.columns and isinstance(first["dependent"], str) else ""
            scale = "per 1 SD (z-scores)" if bool(first["standardized"]) else "raw units, not standardized"
            scales.append(f"{first['panel_label']}" + (f" ({dependent})" if dependent else "") + f": {scale}")
        ax.set_yticks(list(ypos.values()), terms)
        ax.set_ylim(0.4, n_terms + 0.6)
        ax.grid(axis="y", visible=False)
        ax.set_xlabel(f"Coefficient ({level:.0%} CI)")
        ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.01), ncol=1, borderaxespad=0.0)
        if title:
            ax.set_title(title)
        if has_boot:
            caption.append("Dotted whiskers: wild cluster bootstrap intervals, where the panel runs one "
                           "(clusters, draws and p-values in the table).")
        caption.append("Dependents and exposure units differ by panel: " + "; ".join(scales) + ".")
        if unavailable:
            caption.append("Not available (n/a; reasons in results/tables/panel_comparison.csv): "
                           + "; ".join(unavailable) + ".")
        add_note(fig, caption, gid="caption")
    return fig
