"""Complex risk: the global risk and uncertainty series from a start year to the latest observation,
one small panel per series (their units differ: GPR and EPU are indices scaled to 100 over a base
period, the WUI a word frequency), with the configured shock episodes shaded and geopolitical events
marked.

Shading: for each episode of config ``episodes``, the contraction years in which the model's phase
dummy is 1 (``(start, end]``: gfc [2008, 2009] -> 2009, covid [2019, 2020] -> 2020), so the figure
and the models mark the same years. Events (``complex_risk.events``) are dashed vertical lines at
the first day of their month, labelled in the first panel. Artist gids: ``line:<key>``,
``episode:<name>``, ``event:<date>``, ``missing:<key>``, ``note``.
"""

from __future__ import annotations

import math

import pandas as pd
from matplotlib.dates import YearLocator, DateFormatter
from matplotlib.figure import Figure

from resilience.figures.common import add_note, check_columns, figure_style, new_figure

LINE_COLOR = "#1f4e79"
EPISODE_COLOR = "#f4a582"
EVENT_COLOR = "#7f7f7f"
PANEL_SIZE = (3.4, 2.0)
NCOLS = 2


def shaded_years(episodes: list[dict]) -> list[tuple[str, int, int]]:
    """(episode name, first shaded year, last shaded year) for each episode's contraction (start, end]."""
    return [(e["name"], int(e["contraction"][0]) + 1, int(e["contraction"][1])) for e in episodes]


def complex_risk_figure(series: pd.DataFrame, specs: list[dict], episodes: list[dict], events: list[dict],
                        start: int, notes: list[str] = ()) -> Figure:
    """Small multiples of the configured series (config order) from January of ``start``.

    ``series``: long ``[key, date, value, frequency]`` (``resilience.context.risk.analysis.global_series``).
    A configured series without data gets an empty panel saying so, never a made-up line.
    """
    check_columns(series, ("key", "date", "value", "frequency"), "complex risk series")
    rows = math.ceil(len(specs) / NCOLS) or 1
    latest = series["date"].max() if len(series) else pd.Timestamp(f"{start}-12-31")
    left, right = pd.Timestamp(f"{start}-01-01"), pd.Timestamp(f"{latest.year}-12-31")
    with figure_style():
        fig = new_figure((PANEL_SIZE[0] * NCOLS, PANEL_SIZE[1] * rows + 0.6))
        axes = fig.subplots(rows, NCOLS, sharex=True, squeeze=False).ravel()
        for i, spec in enumerate(specs):
            _panel(axes[i], series[series["key"] == spec["key"]], spec, episodes, events, first=i == 0)
            axes[i].set_xlim(left, right)
        for ax in axes[len(specs):]:
            ax.set_visible(False)
        for ax in axes[:len(specs)]:
            ax.xaxis.set_major_locator(YearLocator(5))
            ax.xaxis.set_major_formatter(DateFormatter("%Y"))
        fig.suptitle(f"Complex risk: geopolitical risk and policy uncertainty, {start}-{latest.year}")
        shaded = ", ".join(f"{name} {a}" + (f"-{b}" if b != a else "") for name, a, b in shaded_years(episodes))
        add_note(fig, [f"Shaded: contraction years of the shock episodes ({shaded}). Dashed: events."
                       " Series as published (monthly, or quarterly where so labelled); each panel has its own scale.",
                       *notes])
    return fig


def _panel(ax, rows: pd.DataFrame, spec: dict, episodes: list[dict], events: list[dict], *, first: bool) -> None:
    for name, a, b in shaded_years(episodes):
        ax.axvspan(pd.Timestamp(f"{a}-01-01"), pd.Timestamp(f"{b}-12-31"), color=EPISODE_COLOR, alpha=0.35,
                   lw=0, gid=f"episode:{name}")
    for event in events:
        when = pd.Timestamp(f"{event['date']}-01")
        ax.axvline(when, color=EVENT_COLOR, lw=0.6, ls="--", gid=f"event:{event['date']}")
        if first:
            ax.text(when, 1.0, " " + event["label"], transform=ax.get_xaxis_transform(), rotation=90, va="top",
                    ha="right", fontsize=6, color=EVENT_COLOR)
    ax.set_title(spec["label"], fontsize=8, loc="left")
    if rows.empty:
        ax.text(0.5, 0.5, "not available", transform=ax.transAxes, ha="center", va="center", color=EVENT_COLOR,
                gid=f"missing:{spec['key']}")
        return
    rows = rows.sort_values("date")
    ax.plot(rows["date"], rows["value"], color=LINE_COLOR, lw=0.8, gid=f"line:{spec['key']}")
