"""Focus economy against peers: level index over time (base year = 100)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from resilience.errors import InputError
from resilience.figures.common import add_note, figure_style, long_levels, new_figure

DEFAULT_PEERS = ("USA", "JPN", "DEU", "KOR", "IND", "VNM", "MEX")
FOCUS_COLOR = "#c0392b"
PEER_COLORS = ("#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
               "#17becf", "#ff7f0e", "#393b79")
FIGSIZE = (6.4, 4.2)


def base_index(levels: pd.DataFrame, base_year: int) -> pd.DataFrame:
    """Long ``[iso3, year, value, index]``: each economy's value, 100 at ``base_year``.

    Economies without a finite, positive value in ``base_year`` are left out. Sorted by iso3
    and year; rows with a missing value are kept (index NaN).
    """
    data = long_levels(levels)
    base = data.loc[data["year"] == int(base_year)].set_index("iso3")["value"]
    base = base[np.isfinite(base) & (base > 0)]
    out = data.loc[data["iso3"].isin(base.index)].copy()
    out["index"] = 100.0 * out["value"] / out["iso3"].map(base).astype("float64")
    return out.reset_index(drop=True)


def peer_paths(levels: pd.DataFrame, focus: str = "CHN", peers: Sequence[str] = DEFAULT_PEERS,
               base_year: int = 2007, *, ylabel: str = "Manufacturing value added",
               title: str | None = None) -> Figure:
    """Index (``base_year`` = 100) over time for ``focus`` (highlighted) and ``peers``.

    ``levels`` is long ``[iso3, year, value]``. The focus economy must have a positive value in
    ``base_year`` (else :class:`InputError`); peers that are absent or lack a base-year value are
    listed in a note on the figure. Lines are drawn in the order given, the focus last (on top).

    Artists carry gids: ``economy:<ISO3>`` (one line each), ``reference`` (the 100 line),
    ``base-year``, ``note``.
    """
    focus = str(focus)
    base_year = int(base_year)
    peers = [p for p in dict.fromkeys(str(p) for p in peers) if p != focus]
    data = long_levels(levels)
    indexed = base_index(data, base_year)
    available = set(indexed["iso3"])
    if focus not in available:
        problem = ("has no rows" if focus not in set(data["iso3"])
                   else f"has no positive value in {base_year}")
        raise InputError("levels", f"focus economy {focus} {problem}", field="value",
                         expected=f"a positive {focus} value in base year {base_year}")
    absent = [p for p in peers if p not in set(data["iso3"])]
    no_base = [p for p in peers if p in set(data["iso3"]) and p not in available]
    shown = [p for p in peers if p in available]
    notes = []
    if absent:
        notes.append("Peers not in the data: " + ", ".join(absent) + ".")
    if no_base:
        notes.append(f"Peers without a {base_year} value (not shown): " + ", ".join(no_base) + ".")

    with figure_style():
        fig = new_figure(FIGSIZE)
        ax = fig.add_subplot()
        ax.axhline(100.0, color="#555555", lw=0.8, ls=":", zorder=1).set_gid("reference")
        ax.axvline(base_year, color="#999999", lw=0.6, zorder=1).set_gid("base-year")
        for i, iso in enumerate(shown):
            sub = indexed.loc[indexed["iso3"] == iso]
            (line,) = ax.plot(sub["year"].to_numpy(), sub["index"].to_numpy(),
                              color=PEER_COLORS[i % len(PEER_COLORS)], lw=1.1, alpha=0.85,
                              zorder=2, label=iso)
            line.set_gid(f"economy:{iso}")
        sub = indexed.loc[indexed["iso3"] == focus]
        (line,) = ax.plot(sub["year"].to_numpy(), sub["index"].to_numpy(), color=FOCUS_COLOR,
                          lw=2.8, zorder=4, label=focus)
        line.set_gid(f"economy:{focus}")
        handles, labels = ax.get_legend_handles_labels()
        # focus first in the legend
        order = [labels.index(focus)] + [i for i, lab in enumerate(labels) if lab != focus]
        ax.legend([handles[i] for i in order], [labels[i] for i in order], loc="upper left",
                  ncols=2 if len(order) > 4 else 1)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel("Year")
        ax.set_ylabel(f"{ylabel}, index ({base_year} = 100)")
        ax.set_title(title if title is not None else f"{focus} and peers")
        add_note(fig, notes)
    return fig
