"""Figures of the regional panels (EU NUTS-2, Chinese provinces): resistance by exposure tercile, coverage.

Generic over the panel: units are ``unit`` codes, and every input is a results table.
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from resilience.figures.common import add_note, check_columns, figure_style, new_figure

FIGSIZE = (6.4, 4.2)
TERCILE_LABELS = ("low", "middle", "high")
TITLE_CHARS = 60   # characters per title line at the figure width
BAR_COLOR = "#2c5f8a"
# Fewer units with both values than this and the tercile figure says "not available" instead of bars.
MIN_TERCILE_UNITS = 3


def tercile_means(frame: pd.DataFrame, exposure: str, outcome: str) -> pd.DataFrame:
    """Mean, standard error and count of ``outcome`` per tercile of ``exposure`` (rows with both).

    Terciles by rank (``pd.qcut`` on the ranks, so ties do not collapse bins): columns tercile
    (low / middle / high), n, mean, se (sd / sqrt(n), NaN for n < 2), exposure_min, exposure_max.
    Empty when fewer than 3 units have both values.
    """
    check_columns(frame, ("unit", exposure, outcome), "tercile frame")
    data = frame[["unit", exposure, outcome]].dropna()
    columns = ["tercile", "n", "mean", "se", "exposure_min", "exposure_max"]
    if len(data) < MIN_TERCILE_UNITS:
        return pd.DataFrame(columns=columns)
    ranks = data[exposure].rank(method="first")
    data = data.assign(tercile=pd.qcut(ranks, 3, labels=list(TERCILE_LABELS)))
    grouped = data.groupby("tercile", observed=False)
    out = grouped.agg(n=(outcome, "size"), mean=(outcome, "mean"), sd=(outcome, "std"),
                      exposure_min=(exposure, "min"), exposure_max=(exposure, "max")).reset_index()
    out["se"] = (out["sd"] / np.sqrt(out["n"])).where(out["n"] >= 2)
    out["tercile"] = out["tercile"].astype(str)
    return out[columns]


def resistance_by_tercile(frame: pd.DataFrame, exposure: str, outcome: str, *, title: str,
                          exposure_label: str = "", outcome_label: str = "", missing_note: str = "") -> Figure:
    """Bars of the mean ``outcome`` per ``exposure`` tercile with +-1.96 SE whiskers and n per bar.

    When fewer than 3 units have both values the figure says so (with ``missing_note``, e.g. which
    dataset the exposure needs) instead of drawing bars: a figure is always written.
    """
    table = tercile_means(frame, exposure, outcome) if exposure in frame.columns else pd.DataFrame()
    with figure_style():
        fig = new_figure(FIGSIZE)
        ax = fig.add_subplot()
        if table.empty:
            ax.set_axis_off()
            ax.text(0.5, 0.5, f"{exposure_label or exposure}: not available\n{missing_note}".strip(),
                    ha="center", va="center", fontsize=9, wrap=True, gid="unavailable")
        else:
            x = np.arange(len(table))
            for patch in ax.bar(x, table["mean"], color=BAR_COLOR, width=0.6, zorder=2):
                patch.set_gid("bar")
            ax.errorbar(x, table["mean"], yerr=1.96 * table["se"].fillna(0), fmt="none", ecolor="#222222",
                        capsize=3, lw=0.8, zorder=3)
            # the count sits beyond the whisker's end, so the two never overlap
            reach = 1.96 * table["se"].fillna(0)
            for xi, (mean, n, half) in enumerate(zip(table["mean"], table["n"], reach)):
                end = mean + half if mean >= 0 else mean - half
                ax.annotate(f"n={n}", (xi, end), xytext=(0, 3 if mean >= 0 else -3), textcoords="offset points",
                            ha="center", va="bottom" if mean >= 0 else "top", fontsize=7)
            ax.margins(y=0.12)
            ax.axhline(0, color="#444444", lw=0.8)
            ax.set_xticks(x, [f"{t}\n[{lo:.3g}, {hi:.3g}]" for t, lo, hi in
                              zip(table["tercile"], table["exposure_min"], table["exposure_max"])])
            ax.set_xlabel(f"Tercile of {exposure_label or exposure} (range)")
            ax.set_ylabel(outcome_label or outcome)
        # titles in words run long: wrapped to the figure's width rather than clipped
        ax.set_title("\n".join(textwrap.wrap(title, TITLE_CHARS)))
        add_note(fig, ["Bars: mean; whiskers: +-1.96 standard errors of the mean."] if not table.empty else [])
    return fig


def coverage_figure(coverage: pd.DataFrame, *, title: str) -> Figure:
    """Horizontal bars of the share of missing unit-years per series, labelled with units and years."""
    check_columns(coverage, ("series", "regions", "first_year", "last_year", "missing_share"), "coverage")
    data = coverage.sort_values("series", ascending=False, kind="mergesort").reset_index(drop=True)
    with figure_style():
        height = max(2.4, 0.28 * len(data) + 1.2)
        fig = new_figure((6.4, height))
        ax = fig.add_subplot()
        if data.empty:
            ax.set_axis_off()
            ax.text(0.5, 0.5, "no series with data", ha="center", va="center")
        else:
            y = np.arange(len(data))
            for patch in ax.barh(y, 100 * data["missing_share"], color=BAR_COLOR, height=0.6):
                patch.set_gid("bar")
            ax.set_yticks(y, data["series"])
            for yi, row in data.iterrows():
                ax.annotate(f"{row['regions']} units, {row['first_year']}-{row['last_year']}",
                            (100 * row["missing_share"], yi), xytext=(3, 0), textcoords="offset points",
                            va="center", fontsize=7)
            ax.set_xlim(0, 100)
            ax.set_xlabel("Unit-years without a value (%)")
        ax.set_title(title)
    return fig
