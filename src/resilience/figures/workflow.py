"""The rule graph grouped by stage (``resilience.provenance.rulegraph.stage_graph``) as a figure: one box
per stage, top to bottom in data-flow order, listing its rules; arrows between stages labelled with the
number of rule-to-rule links they stand for."""

from __future__ import annotations

import textwrap

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

from resilience.figures.common import DPI, figure_style

BOX_COLOR = "#e8eef5"
EDGE_COLOR = "#2c5f8a"


def stage_graph_figure(graph: dict) -> Figure:
    stages = graph["stages"]
    lines = {stage: textwrap.wrap(", ".join(rules), 95) or [""] for stage, rules in stages}
    heights = [0.32 + 0.17 * len(lines[stage]) for stage, _ in stages]
    gap = 0.45
    total = sum(heights) + gap * (len(stages) - 1)
    with figure_style():
        width = 9.0 + 0.5 * 0.35 * total  # room for the widest arc
        fig = Figure(figsize=(width, total + 0.3), dpi=DPI)  # boxes placed by hand: no layout engine
        FigureCanvasAgg(fig)
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_xlim(0, width)
        ax.set_ylim(0, total + 0.3)
        ax.set_axis_off()
        tops, bottoms, y = {}, {}, total + 0.15
        for (stage, rules), height in zip(stages, heights):
            box = FancyBboxPatch(
                (1.3, y - height),
                6.4,
                height,
                boxstyle="round,pad=0.02,rounding_size=0.08",
                facecolor=BOX_COLOR,
                edgecolor=EDGE_COLOR,
                lw=0.8,
                gid=f"stage:{stage}",
            )
            ax.add_patch(box)
            ax.text(
                1.4,
                y - 0.07,
                f"{stage} ({len(rules)} rule{'s' if len(rules) != 1 else ''})",
                va="top",
                fontsize=8.5,
                weight="bold",
            )
            ax.text(1.4, y - 0.27, "\n".join(lines[stage]), va="top", fontsize=6.5, family="monospace")
            tops[stage], bottoms[stage] = y, y - height
            y -= height + gap
        order = [stage for stage, _ in stages]
        for a, b, n in graph["edges"]:
            forward = order.index(b) > order.index(a)
            skip = abs(order.index(b) - order.index(a)) > 1
            start = (4.5 if not skip else 7.7, bottoms[a] if forward else tops[a])
            end = (4.5 if not skip else 7.7, tops[b] if forward else bottoms[b])
            if skip:
                start, end = (7.7, (tops[a] + bottoms[a]) / 2), (7.7, (tops[b] + bottoms[b]) / 2)
            arrow = ax.annotate(
                "",
                xy=end,
                xytext=start,
                arrowprops={
                    "arrowstyle": "-|>",
                    "color": EDGE_COLOR,
                    "lw": 0.7,
                    "connectionstyle": f"arc3,rad={-0.35 if skip else 0}",
                },
            )
            arrow.set_gid(f"edge:{a}->{b}")
            # a skipping arc bows right by half its rad times its span at the middle: the label sits on it
            bow = 0.5 * 0.35 * abs(end[1] - start[1]) if skip else 0.0
            ax.text(
                start[0] + bow + 0.08,
                (start[1] + end[1]) / 2,
                str(n),
                fontsize=6.5,
                color=EDGE_COLOR,
                va="center",
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5},
            )
    return fig
