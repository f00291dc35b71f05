"""Robustness figures of one panel and episode, from the tables of ``robustness.stage``.

- ``event_study``: coefficients by relative year with 95% intervals, one line per exposure, the
  reference year r = -1 marked;
- ``local_projections``: the exposures' coefficients by horizon with 95% intervals;
- ``placebo``: the placebo estimates' distribution per exposure with the real estimate marked.

A table without an estimate for the episode gives a figure that says why (its ``note``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from resilience.figures.common import add_note, figure_style, new_figure

KINDS = ("event_study", "local_projections", "placebo")
COLORS = ("#1f4e79", "#c55a11", "#548235", "#7030a0")


def robustness_figure(kind: str, tables: dict[str, pd.DataFrame], episode: str, title: str) -> Figure:
    """The figure ``kind`` (one of ``KINDS``) of ``episode``; ``tables`` holds the kind's table(s)."""
    draw = {"event_study": _event_study, "local_projections": _local_projections, "placebo": _placebo}[kind]
    rows = tables[kind][tables[kind]["episode"] == episode]
    estimated = rows[rows["status"] == "estimated"]
    with figure_style():
        fig = new_figure((6.4, 3.8))
        ax = fig.add_subplot()
        ax.set_title(title)
        if estimated.empty:
            reason = rows["note"].iloc[0] if len(rows) else "no row for this episode"
            ax.text(0.5, 0.5, "No estimate", ha="center", va="center", transform=ax.transAxes)
            ax.set_axis_off()
            add_note(fig, [f"Not estimable: {reason}"])
            return fig
        notes = draw(ax, estimated, tables)
        add_note(fig, notes)
    return fig


def _offsets(n: int, width: float = 0.25) -> np.ndarray:
    return (np.arange(n) - (n - 1) / 2) * (width / max(n, 1))


def _intervals(ax, frame: pd.DataFrame, x: str, groups: list[str], column: str) -> None:
    for i, (name, shift) in enumerate(zip(groups, _offsets(len(groups)))):
        own = frame[frame[column] == name].sort_values(x)
        xs = own[x].to_numpy(dtype=float) + shift
        # no interval (the reference year, a variance lost to rounding): the point without a bar
        low = np.clip(np.nan_to_num((own["coef"] - own["ci_low"]).to_numpy(dtype=float)), 0, None)
        high = np.clip(np.nan_to_num((own["ci_high"] - own["coef"]).to_numpy(dtype=float)), 0, None)
        ax.errorbar(xs, own["coef"], yerr=[low, high], fmt="o-",
                    color=COLORS[i % len(COLORS)], markersize=3.5, linewidth=1.0, capsize=2, label=name)
    ax.axhline(0, color="#444444", linewidth=0.8)
    ax.legend(loc="best")


def _event_study(ax, rows: pd.DataFrame, tables) -> list[str]:
    exposures = list(dict.fromkeys(rows["exposure"]))
    _intervals(ax, rows, "rel_year", exposures, "exposure")
    ax.axvline(-1, color="#999999", linestyle="--", linewidth=0.8)
    ax.axvspan(-0.5, rows["rel_year"].max() + 0.5, color="#f2f2f2", zorder=0)
    ax.set_xlabel("Years relative to the shock (0 = first shock year; dashed: reference year -1)")
    ax.set_ylabel("Growth gap per SD of exposure (pp)")
    return [f"Unit and year effects; bars: 95% intervals, CR1 by {int(rows['n_clusters'].max())} clusters; "
            f"N = {int(rows['nobs'].max())}. Shaded: shock and after." + _note(rows)]


def _local_projections(ax, rows: pd.DataFrame, tables) -> list[str]:
    rows = rows[rows["term"] != "const"]
    terms = list(dict.fromkeys(rows["term"]))
    _intervals(ax, rows, "horizon", terms, "term")
    ax.set_xticks(sorted(rows["horizon"].unique()))
    ax.set_xlabel("Horizon h (years after the shock year)")
    ax.set_ylabel("Cumulative growth gap per SD of exposure (pp)")
    return [f"Cumulative growth from the shock year to h on pre-shock exposures; bars: 95% intervals "
            f"({rows['cov_type'].iloc[0]}); N = {int(rows['nobs'].min())}-{int(rows['nobs'].max())}." + _note(rows)]


def _placebo(ax, rows: pd.DataFrame, tables) -> list[str]:
    exposures = list(dict.fromkeys(rows["exposure"]))
    for i, v in enumerate(exposures):
        own = rows[rows["exposure"] == v]
        placebo = _flag(own["placebo"])
        fake = own.loc[placebo, "coef"].to_numpy(dtype=float)
        real = float(own.loc[~placebo, "coef"].iloc[0])
        y = np.full(len(fake), float(i))
        ax.scatter(fake, y, s=14, color="#999999", label="placebo dates" if i == 0 else None, zorder=2)
        ax.scatter([real], [i], s=60, marker="D", color=COLORS[i % len(COLORS)], zorder=3,
                   label="real shock" if i == 0 else None)
    ax.set_yticks(range(len(exposures)), exposures)
    ax.set_ylim(-0.7, len(exposures) - 0.3)
    ax.axvline(0, color="#444444", linewidth=0.8)
    ax.set_xlabel("Contraction x exposure coefficient (pp per SD)")
    ax.legend(loc="best")
    summary = tables["placebo_summary"]
    summary = summary[(summary["episode"] == rows["episode"].iloc[0]) & (summary["status"] == "estimated")]
    p = "; ".join(f"{r.exposure}: p = {r.p_randomization:.3f} ({int(r.n_placebo)} placebo dates)"
                  for r in summary.itertuples())
    return [f"Randomization p-values: {p}." + _note(rows)]


def _flag(column: pd.Series) -> pd.Series:
    # a CSV column mixing flags with the empty cells of not-estimable rows is read as text
    return column.astype(str).str.lower() == "true"


def _note(rows: pd.DataFrame) -> str:
    note = rows["note"].dropna()
    note = note[note != ""]
    return f" Note: {note.iloc[0]}." if len(note) else ""
