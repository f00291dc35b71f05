"""Cross-section scatter (e.g. resistance against pre-shock digitalization) with an OLS line."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from resilience.errors import InputError
from resilience.figures.common import add_note, check_columns, figure_style, new_figure

DEFAULT_LABELS = ("CHN", "USA", "JPN", "DEU", "KOR", "IND", "VNM", "MEX")
FIGSIZE = (6.4, 4.6)


def ols_line(x: Sequence[float], y: Sequence[float]) -> tuple[float, float] | None:
    """(slope, intercept) of the OLS fit of y on x (``numpy.polyfit``, degree 1).

    None if fewer than two distinct x values.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if x.size < 2 or np.unique(x).size < 2:
        return None
    slope, intercept = np.polyfit(x, y, 1)
    return float(slope), float(intercept)


def resistance_scatter(frame: pd.DataFrame, x: str, y: str,
                       label_iso3: Sequence[str] = DEFAULT_LABELS, title: str = "", *,
                       xlabel: str | None = None, ylabel: str | None = None) -> Figure:
    """Scatter of ``frame[y]`` on ``frame[x]`` (one row per economy, column ``iso3``).

    Rows with a missing x or y are left out (their count is noted). An OLS line
    (``numpy.polyfit``) is drawn when there are two or more distinct x values; its slope is in
    the legend. Economies in ``label_iso3`` are labelled; any of them not plotted (absent, or
    missing x or y) are listed in a note on the figure.

    Artists carry gids: ``points`` (the PathCollection), ``ols-fit``, ``label:<ISO3>`` (text)
    and ``marker:<ISO3>`` (ring around a labelled point), ``note``.
    """
    name = "scatter frame"
    check_columns(frame, ("iso3", x, y), name)
    data = frame.loc[:, list(dict.fromkeys(["iso3", x, y]))].copy()
    data["iso3"] = data["iso3"].astype(str)
    if data["iso3"].duplicated().any():
        iso = sorted(data.loc[data["iso3"].duplicated(), "iso3"])[0]
        raise InputError(name, f"more than one row for {iso}", field="iso3",
                         expected="one row per economy")
    for col in dict.fromkeys([x, y]):
        vals = pd.to_numeric(data[col], errors="coerce")
        if (vals.isna() & data[col].notna()).any():
            raise InputError(name, "non-numeric value", field=col, expected="numbers or NaN")
        data[col] = vals.astype(float)
    data = data.sort_values("iso3", kind="mergesort").reset_index(drop=True)
    complete = data.loc[np.isfinite(data[x]) & np.isfinite(data[y])]
    dropped = len(data) - len(complete)

    wanted = list(dict.fromkeys(str(c) for c in label_iso3))
    present = set(complete["iso3"])
    missing = [c for c in wanted if c not in present]

    notes = []
    if missing:
        notes.append("Not in the data or missing a value (not labelled): "
                     + ", ".join(missing) + ".")
    if dropped:
        notes.append(f"{dropped} economy(ies) without both {(xlabel or x).lower()} and {(ylabel or y).lower()} left out.")
    fit = ols_line(complete[x], complete[y])
    if fit is None:
        notes.append("OLS line not drawn: fewer than two distinct x values.")

    with figure_style():
        fig = new_figure(FIGSIZE)
        ax = fig.add_subplot()
        pts = ax.scatter(complete[x].to_numpy(), complete[y].to_numpy(), s=18, color="#2c5f8a",
                         alpha=0.7, edgecolors="none", zorder=2,
                         label=f"Economies (n={len(complete)})")
        pts.set_gid("points")
        if fit is not None:
            slope, intercept = fit
            xs = np.array([complete[x].min(), complete[x].max()])
            (line,) = ax.plot(xs, intercept + slope * xs, color="#d95f02", lw=1.5, zorder=3,
                              label=f"OLS fit (slope = {slope:.3g})")
            line.set_gid("ols-fit")
        highlight = complete.loc[complete["iso3"].isin(wanted)]
        labelled = [c for c in wanted if c in present]
        for iso in labelled:
            row = highlight.loc[highlight["iso3"] == iso].iloc[0]
            ax.scatter([row[x]], [row[y]], s=26, facecolors="none", edgecolors="#222222",
                       lw=0.8, zorder=4).set_gid(f"marker:{iso}")
        ax.set_xlabel(xlabel or x)
        ax.set_ylabel(ylabel or y)
        if title:
            ax.set_title(title)
        ax.legend(loc="best")
        add_note(fig, notes)
        points = [tuple(highlight.loc[highlight["iso3"] == iso, [x, y]].iloc[0]) for iso in labelled]
        place_labels(fig, ax, labelled, points)
    return fig


# Where a point's label may go (points right/left and up/down of the point), tried in this order.
LABEL_OFFSETS = ((4, 3), (4, -11), (-4, 3), (-4, -11), (4, 12), (-4, 12), (4, -20), (-4, -20))


def place_labels(fig: Figure, ax, names: list[str], points: list[tuple[float, float]]) -> None:
    """Label each point with its name at the first offset where the label overlaps no label placed
    before it (in the given order, so the same data give the same picture); the first offset if none is free."""
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    placed = []
    for name, point in zip(names, points):
        for k, (dx, dy) in enumerate(LABEL_OFFSETS):
            label = ax.annotate(name, point, xytext=(dx, dy), textcoords="offset points",
                                ha="left" if dx > 0 else "right", fontsize=7.5, color="#222222", zorder=5,
                                gid=f"label:{name}")
            box = label.get_window_extent(renderer)
            if not any(box.overlaps(other) for other in placed) or k == len(LABEL_OFFSETS) - 1:
                placed.append(box)
                break
            label.remove()
