"""Forward and backward GVC participation over time, one panel per economy.

Artists carry gids: ``panel:<iso3>``, ``line:<iso3>:backward`` and ``line:<iso3>:forward``; when no
data are available the figure is a single text panel (gid ``unavailable``) saying so.
"""

from __future__ import annotations

import math

import pandas as pd
from matplotlib.figure import Figure

from resilience.figures.common import add_note, check_columns, figure_style, new_figure

COLORS = {"backward": "#2166ac", "forward": "#b2182b"}
LABELS = {"backward": "backward: foreign VA in own exports",
          "forward": "forward: own VA in partners' exports"}
COLUMNS = 3


def participation_figure(table: pd.DataFrame, countries: list[str], *, group: str = "total",
                         note: str = "") -> Figure:
    check_columns(table, ("iso3", "year", "group", "backward", "forward"), "gvc participation")
    rows = table[(table["group"] == group)].dropna(subset=["backward", "forward"], how="all")
    shown = [c for c in countries if c in set(rows["iso3"])]
    with figure_style():
        if not shown:
            return _unavailable(note)
        nrows = math.ceil(len(shown) / COLUMNS)
        fig = new_figure((7.2, 2.2 * nrows + 0.6))
        axes = fig.subplots(nrows, COLUMNS, sharex=True, sharey=True, squeeze=False).ravel()
        for ax, iso3 in zip(axes, shown):
            mine = rows[rows["iso3"] == iso3].sort_values("year")
            ax.set_gid(f"panel:{iso3}")
            for measure in ("backward", "forward"):
                line, = ax.plot(mine["year"], mine[measure], color=COLORS[measure], linewidth=1.4,
                                label=LABELS[measure])
                line.set_gid(f"line:{iso3}:{measure}")
            ax.set_title(iso3)
        for ax in axes[len(shown):]:
            ax.set_visible(False)
        for ax in axes[::COLUMNS]:
            ax.set_ylabel("% of gross exports")
        handles, labels = axes[0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="outside upper center", ncols=2)
        add_note(fig, [note] if note else [])
        return fig


def _unavailable(note: str) -> Figure:
    fig = new_figure((7.2, 2.0))
    ax = fig.add_subplot()
    ax.set_axis_off()
    text = ax.text(0.5, 0.5, "GVC participation not computed: it needs the live OECD source",
                   ha="center", va="center", transform=ax.transAxes)
    text.set_gid("unavailable")
    add_note(fig, [note] if note else [])
    return fig


__all__ = ["participation_figure"]
