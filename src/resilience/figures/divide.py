"""Figure of the digital divide: internet use (left) and people offline (right) by income group.

Artists carry gids: ``internet:<code>`` and ``offline:<code>`` for each group's line, ``note``.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from resilience.figures.common import add_note, check_columns, figure_style, new_figure

FIGSIZE = (8.0, 3.8)
GROUP_COLORS = ["#222222", "#1b9e77", "#7570b3", "#d95f02", "#e7298a", "#66a61e", "#e6ab02"]


def digital_divide_figure(divide: pd.DataFrame, groups: list[dict], world: str) -> Figure:
    """Lines per group over the years: share of people online (%) and people offline (billions)."""
    check_columns(divide, ("group", "label", "year", "internet_pct", "offline_people"), "digital_divide")
    with figure_style():
        fig = new_figure(FIGSIZE)
        left, right = fig.subplots(1, 2)
        for k, g in enumerate(groups):
            rows = divide[divide["group"] == g["code"]].sort_values("year")
            if rows.empty:
                continue
            color = GROUP_COLORS[k % len(GROUP_COLORS)]
            width = 2.2 if g["code"] == world else 1.3
            (a,) = left.plot(rows["year"], rows["internet_pct"], color=color, lw=width, label=g["label"])
            a.set_gid(f"internet:{g['code']}")
            (b,) = right.plot(rows["year"], rows["offline_people"] / 1e9, color=color, lw=width, label=g["label"])
            b.set_gid(f"offline:{g['code']}")
        left.set_title("Individuals using the internet")
        left.set_ylabel("% of population")
        left.set_ylim(0, 100)
        right.set_title("People offline")
        right.set_ylabel("billions")
        right.set_ylim(bottom=0)
        left.legend(loc="upper left")
        for ax in (left, right):
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        years = sorted(divide["year"].unique())
        span = f"{years[0]}-{years[-1]}" if years else "no data"
        add_note(fig, [f"World Bank WDI aggregates (IT.NET.USER.ZS, SP.POP.TOTL), {span}. People offline = "
                       "population x (1 - share online / 100). Each line ends at its group's latest year."])
    return fig
