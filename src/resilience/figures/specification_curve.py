"""The two-part specification-curve plot of one panel and episode (from ``{panel}_spec_curve.csv``).

One column per headline term: above, the estimates sorted from lowest to highest with their 95%
intervals (significant at 5% in colour, the curve's baseline specification marked: the first value of
every fork, whose sample and terms can differ from the headline model's); below, the fork choices of
each specification as a dot matrix on the same x axis (forks with a single value are left out).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from resilience.figures.common import add_note, figure_style, new_figure
from resilience.robustness.specification_curve import ALPHA, FORKS

SIGNIFICANT, PLAIN, HEADLINE = "#1f4e79", "#9a9a9a", "#c00000"


def spec_curve_figure(curve: pd.DataFrame, episode: str, title: str) -> Figure:
    rows = curve[(curve["episode"] == episode) & curve["estimate"].notna()]
    terms = list(dict.fromkeys(rows.sort_values(["phase", "term"], ascending=[False, True])["term"]))
    forks = [f for f in FORKS if rows[f].astype(str).nunique() > 1]
    choices = [(f, v) for f in forks for v in dict.fromkeys(rows[f].astype(str))]
    with figure_style():
        fig = new_figure((4.2 * max(len(terms), 1) + 1.6, 3.0 + 0.16 * len(choices)))
        if not terms:
            ax = fig.add_subplot()
            ax.set_axis_off()
            ax.set_title(title)
            notes = curve.loc[curve["episode"] == episode, "note"].dropna()
            add_note(fig, [f"Not estimable: {notes.iloc[0] if len(notes) else 'no specification for this episode'}"])
            return fig
        grid = fig.add_gridspec(2, len(terms), height_ratios=[2.2, 0.16 * len(choices) + 0.3], hspace=0.05)
        for column, term in enumerate(terms):
            own = rows[rows["term"] == term].sort_values(["estimate", "spec_id"]).reset_index(drop=True)
            top = fig.add_subplot(grid[0, column])
            _curve(top, own, term)
            bottom = fig.add_subplot(grid[1, column], sharex=top)
            _choices(bottom, own, choices, labels=column == 0)
        fig.suptitle(title)
        add_note(
            fig,
            [
                f"{len(own)} specifications per term; coloured: p < {ALPHA:g}; red: the curve's baseline "
                "specification (first value of every choice). Dots below: the choices of each specification."
            ],
        )
    return fig


def _curve(ax, own: pd.DataFrame, term: str) -> None:
    x = np.arange(len(own))
    significant = (own["p_value"] < ALPHA).to_numpy()
    colors = np.where(significant, SIGNIFICANT, PLAIN)
    ax.vlines(x, own["ci_low"], own["ci_high"], colors=colors, linewidth=0.6, alpha=0.5)
    ax.scatter(x, own["estimate"], c=colors, s=4, zorder=3)
    head = own.index[own["is_headline"].astype(bool)]
    if len(head):
        ax.scatter(head, own.loc[head, "estimate"], color=HEADLINE, s=30, marker="D", zorder=4, label="baseline")
        ax.axvline(head[0], color=HEADLINE, linewidth=0.6, linestyle=":")
    ax.axhline(0, color="#444444", linewidth=0.8)
    ax.set_title(term.replace("_x_", " x "), fontsize=9)
    ax.tick_params(labelbottom=False)


def _choices(ax, own: pd.DataFrame, choices: list[tuple[str, str]], labels: bool) -> None:
    x = np.arange(len(own))
    for y, (fork, value) in enumerate(choices):
        used = (own[fork].astype(str) == value).to_numpy()
        ax.scatter(x[used], np.full(used.sum(), y), s=2, color="#333333", marker="|")
    ax.set_yticks(range(len(choices)))
    ax.set_yticklabels([f"{fork}: {value}" for fork, value in choices] if labels else [], fontsize=6)
    ax.set_ylim(len(choices) - 0.5, -0.5)
    ax.set_xlabel("specifications, sorted by estimate")
