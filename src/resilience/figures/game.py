"""Figures of the industrial backup game: equilibrium regions over (s, c) and the game trees.

Artists carry gids for inspection. Regions figure: ``regions`` (the filled grid),
``boundary:s=h`` and ``boundary:c=s+l`` (the lines), ``label:s=h`` and ``label:c=s+l`` (their
text labels), ``note``. Tree figures: ``node:<history>``, ``player:<history>``,
``edge:<history>``, ``action:<history>``, ``leaf:<history>``, where ``<history>`` is the
actions leading to the node joined by ``/`` (``root`` for the root). Edges on the equilibrium
path are drawn in :data:`PATH_COLOR` (solid, thick), equilibrium choices off the path in the
same colour dashed, other actions in :data:`OFF_COLOR`; the leaf reached is boxed in
:data:`PATH_COLOR`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from resilience.errors import ConfigError, InputError
from resilience.figures.common import add_note, check_columns, figure_style, new_figure
from resilience.context.game.analysis import (
    BACKUP, BACKUP_COOPERATION, BACKUP_RUPTURE, LABELS, NO_BACKUP, NO_BACKUP_COOPERATION,
    NO_BACKUP_RUPTURE, RUPTURE, TREE_TITLES, Leaf, Node, Solution, outcome_label, solve, three_trees,
)

REGION_LABELS = (*LABELS, BACKUP_RUPTURE)
REGION_COLORS = {
    NO_BACKUP_COOPERATION: "#a6cee3",
    NO_BACKUP_RUPTURE: "#fb9a99",
    BACKUP_COOPERATION: "#b2df8a",
    BACKUP_RUPTURE: "#fdbf6f",
}
BOUNDARY_COLOR = "#333333"
PATH_COLOR = "#d7301f"
OFF_COLOR = "#9e9e9e"

TIE_NOTE = "Ties: A cooperates when indifferent; B builds no backup when indifferent."
REGIONS_FIGSIZE = (6.6, 4.4)


def _fmt(x: float) -> str:
    """Short number, with a true minus sign."""
    return f"{x:g}".replace("-", "\u2212")


def _pretty(formula: str) -> str:
    return formula.replace("-", "\u2212")


def _param(name: str, value) -> float:
    if isinstance(value, bool):
        raise ConfigError(f"backup game figure: {name} must be a finite number, got {value!r}")
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise ConfigError(
            f"backup game figure: {name} must be a finite number, got {value!r}") from None
    if not math.isfinite(out) or out < 0:
        raise ConfigError(f"backup game figure: {name} must be a finite non-negative number, "
                          f"got {value!r}")
    return out


def _freeze_layout(fig: Figure) -> None:
    """Run the constrained layout once (Agg, inside :func:`figure_style`) and fix the result.

    These figures have artists outside the axes (an outside legend, payoff boxes, offset
    labels) whose extents feed back into the constrained layout, so re-running it at every
    save is not idempotent and depends on the renderer (a PDF save would move the axes for the
    next PNG save). Freezing the positions after one draw makes every save of the same figure,
    in any order and in any process, byte-identical.
    """
    fig.canvas.draw()
    fig.set_layout_engine("none")


# --------------------------------------------------------------------------- regions


def _edges(values: np.ndarray) -> np.ndarray:
    if values.size == 1:
        return np.array([values[0] - 0.5, values[0] + 0.5])
    mid = (values[1:] + values[:-1]) / 2.0
    return np.concatenate([[2 * values[0] - mid[0]], mid, [2 * values[-1] - mid[-1]]])


def _region_grid(frame: pd.DataFrame, name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    check_columns(frame, ("s", "c", "equilibrium"), name)
    data = frame.loc[:, ["s", "c", "equilibrium"]].copy()
    for col in ("s", "c"):
        values = pd.to_numeric(data[col], errors="coerce")
        if values.isna().any() or not np.isfinite(values.to_numpy(dtype="float64")).all():
            raise InputError(name, f"non-numeric or non-finite {col}", field=col,
                             expected="finite numbers")
        data[col] = values.astype("float64")
    unknown = sorted(set(data["equilibrium"].astype(str)) - set(REGION_LABELS))
    if unknown:
        raise InputError(name, f"unknown equilibrium label {unknown[0]!r}", field="equilibrium",
                         expected="one of " + ", ".join(repr(x) for x in REGION_LABELS))
    if data.duplicated(["s", "c"]).any():
        raise InputError(name, "more than one row for an (s, c) point", field="s, c",
                         expected="one row per grid point")
    s_values = np.unique(data["s"].to_numpy())
    c_values = np.unique(data["c"].to_numpy())
    if len(data) != s_values.size * c_values.size:
        raise InputError(name, "the (s, c) points do not form a complete grid", field="s, c",
                         expected="every s combined with every c")
    code = {label: i for i, label in enumerate(REGION_LABELS)}
    table = (data.assign(code=data["equilibrium"].astype(str).map(code))
             .pivot(index="c", columns="s", values="code")
             .reindex(index=c_values, columns=s_values))
    return s_values, c_values, table.to_numpy(dtype="float64")


def equilibrium_regions_figure(regions_frame: pd.DataFrame, h, l) -> Figure:
    """Filled equilibrium regions over (s, c) from :func:`resilience.context.game.analysis.regions`.

    ``regions_frame`` needs columns ``s``, ``c`` and ``equilibrium`` on a complete grid; each
    grid point is drawn as a cell centred on it. The theoretical boundaries are drawn on top:
    ``s = h`` (A ruptures without a backup for s > h) and ``c = s + l`` for s >= h (B builds
    the backup below it), each labelled on the axes and in the legend.
    """
    h = _param("h", h)
    l = _param("l", l)
    s_values, c_values, codes = _region_grid(regions_frame, "regions_frame")
    present = [lab for i, lab in enumerate(REGION_LABELS) if (codes == i).any()]
    s_lo, s_hi = float(s_values[0]), float(s_values[-1])
    c_lo, c_hi = float(c_values[0]), float(c_values[-1])
    if s_hi == s_lo:
        s_lo, s_hi = s_lo - 0.5, s_hi + 0.5
    if c_hi == c_lo:
        c_lo, c_hi = c_lo - 0.5, c_hi + 0.5

    notes = [
        "B chooses whether to build an industrial backup at cost c; then A cooperates or "
        "ruptures. Subgame-perfect equilibrium by backward induction. With a backup A never "
        "ruptures (rupture costs it h and saves nothing), so B builds it iff s > h and "
        "c < s + l. " + TIE_NOTE,
        f"Grid of {s_values.size} \u00d7 {c_values.size} (s, c) points, each drawn as the cell "
        "around it.",
    ]

    with figure_style():
        fig = new_figure(REGIONS_FIGSIZE)
        ax = fig.add_subplot()
        cmap = ListedColormap([REGION_COLORS[lab] for lab in REGION_LABELS])
        norm = BoundaryNorm(np.arange(len(REGION_LABELS) + 1) - 0.5, len(REGION_LABELS))
        mesh = ax.pcolormesh(_edges(s_values), _edges(c_values), codes, cmap=cmap, norm=norm,
                             shading="flat", edgecolors="none", zorder=0,
                             # one embedded image in the PDF instead of ~20,000 vector cells (faster,
                             # smaller; the boundaries and labels drawn over it stay vectors)
                             rasterized=True)
        mesh.set_gid("regions")

        line_handles = []
        vline = ax.axvline(h, color=BOUNDARY_COLOR, lw=1.4, ls="--", zorder=3, label="s = h")
        vline.set_gid("boundary:s=h")
        line_handles.append(vline)
        if s_lo <= h <= s_hi:
            t = ax.annotate("s = h", xy=(h, 1.0), xycoords=("data", "axes fraction"),
                            xytext=(3, -3), textcoords="offset points", ha="left", va="top",
                            fontsize=8, color=BOUNDARY_COLOR)
            t.set_gid("label:s=h")
        else:
            notes.append(f"s = h = {_fmt(h)} lies outside the plotted s range.")

        seg_lo = max(h, s_lo)
        if seg_lo <= s_hi:
            xs = np.array([seg_lo, s_hi])
            (diag,) = ax.plot(xs, xs + l, color=BOUNDARY_COLOR, lw=1.4, ls="-", zorder=3,
                              label="c = s + l (for s \u2265 h)")
            diag.set_gid("boundary:c=s+l")
            line_handles.append(diag)
            x_text = seg_lo + 0.6 * (s_hi - seg_lo)
            y_text = x_text + l
            if c_lo <= y_text <= c_hi:
                t = ax.annotate("c = s + l", xy=(x_text, y_text), xytext=(-4, 4),
                                textcoords="offset points", ha="right", va="bottom",
                                fontsize=8, color=BOUNDARY_COLOR, rotation=0)
            else:
                t = ax.annotate("c = s + l", xy=(s_hi, 1.0), xycoords=("data", "axes fraction"),
                                xytext=(-3, -3), textcoords="offset points", ha="right",
                                va="top", fontsize=8, color=BOUNDARY_COLOR)
                notes.append("Part of the line c = s + l lies outside the plotted c range.")
            t.set_gid("label:c=s+l")
        else:
            notes.append("The line c = s + l (for s \u2265 h) lies outside the plotted s range.")

        patches = [Patch(facecolor=REGION_COLORS[lab], edgecolor="none",
                         label=lab[0].upper() + lab[1:]) for lab in present]
        ax.legend(handles=patches + line_handles, title="Equilibrium", loc="upper left",
                  bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0)
        ax.set_xlim(s_lo, s_hi)
        ax.set_ylim(c_lo, c_hi)
        ax.grid(False)
        ax.set_xlabel("s: A's loss from B's learning (= B's gain)")
        ax.set_ylabel("c: cost of B's industrial backup")
        ax.set_title(f"Backup game: equilibrium regions (h = {_fmt(h)}, l = {_fmt(l)})")
        add_note(fig, notes)
        _freeze_layout(fig)
    return fig


# --------------------------------------------------------------------------- trees


def _key(history: tuple[str, ...]) -> str:
    return "/".join(history) if history else "root"


def _layout(tree: Node | Leaf) -> tuple[dict[tuple[str, ...], tuple[float, float]], int, int]:
    """Positions by history: leaves evenly spaced left to right, a node above the mean of its
    children, one level per move. Returns (positions, number of leaves, depth)."""
    pos: dict[tuple[str, ...], tuple[float, float]] = {}
    counter = [0]
    depth = [0]

    def place(node: Node | Leaf, history: tuple[str, ...]) -> float:
        depth[0] = max(depth[0], len(history))
        if isinstance(node, Leaf):
            x = float(counter[0])
            counter[0] += 1
        else:
            xs = [place(child, history + (a,)) for a, child in node.actions.items()]
            x = sum(xs) / len(xs)
        pos[history] = (x, -float(len(history)))
        return x

    place(tree, ())
    return pos, counter[0], depth[0]


def _check_solution(tree: Node | Leaf, solution: Solution) -> None:
    node = tree
    for action in solution.path:
        if not isinstance(node, Node) or action not in node.actions:
            raise ConfigError(f"game tree figure: the solution path {solution.path!r} is not a "
                              "path of this tree")
        node = node.actions[action]
    if not isinstance(node, Leaf):
        raise ConfigError(f"game tree figure: the solution path {solution.path!r} does not end "
                          "at a leaf of this tree")


def _draw_tree(ax: Axes, tree: Node | Leaf, solution: Solution, title: str,
               depth: int | None = None) -> None:
    """Draw on ``ax``; ``depth`` fixes the vertical scale (to align several trees)."""
    _check_solution(tree, solution)
    pos, n_leaves, own_depth = _layout(tree)
    depth = own_depth if depth is None else max(depth, own_depth)
    on_path = {tuple(solution.path[:i]) for i in range(len(solution.path) + 1)}
    span = max(n_leaves - 1, 1)

    def xy(history):
        x, y = pos[history]
        return x / span if n_leaves > 1 else 0.5, y

    def walk(node: Node | Leaf, history: tuple[str, ...]) -> None:
        x0, y0 = xy(history)
        if isinstance(node, Leaf):
            text = ""
            if node.formula is not None:
                text = "(" + ", ".join(_pretty(f) for f in node.formula) + ")\n= "
            text += "(" + ", ".join(_fmt(v) for v in node.payoffs) + ")"
            chosen = history in on_path
            t = ax.text(x0, y0 - 0.12, text, ha="center", va="top", fontsize=7.5,
                        color=PATH_COLOR if chosen else "#333333",
                        fontweight="bold" if chosen else "normal",
                        bbox={"boxstyle": "round,pad=0.3", "facecolor": "white",
                              "edgecolor": PATH_COLOR if chosen else "#bdbdbd",
                              "linewidth": 1.4 if chosen else 0.6})
            t.set_gid(f"leaf:{_key(history)}")
            return
        choice = solution.choices.get(history)
        for action, child in node.actions.items():
            child_history = history + (action,)
            x1, y1 = xy(child_history)
            if child_history in on_path:
                style = {"color": PATH_COLOR, "lw": 2.6, "ls": "-"}
            elif action == choice:
                style = {"color": PATH_COLOR, "lw": 1.2, "ls": "--"}
            else:
                style = {"color": OFF_COLOR, "lw": 1.0, "ls": "-"}
            (edge,) = ax.plot([x0, x1], [y0, y1], zorder=1, solid_capstyle="round", **style)
            edge.set_gid(f"edge:{_key(child_history)}")
            side = "right" if x1 < x0 else ("left" if x1 > x0 else "center")
            t = ax.annotate(action, xy=((x0 + x1) / 2, (y0 + y1) / 2),
                            xytext=(-4 if side == "right" else 4, 0),
                            textcoords="offset points", ha=side, va="center", fontsize=8,
                            color=PATH_COLOR if child_history in on_path else "#333333",
                            style="italic")
            t.set_gid(f"action:{_key(child_history)}")
            walk(child, child_history)
        (marker,) = ax.plot([x0], [y0], marker="o", ms=17, mfc="white",
                            mec=PATH_COLOR if history in on_path else OFF_COLOR, mew=1.6,
                            ls="none", zorder=3)
        marker.set_gid(f"node:{_key(history)}")
        t = ax.text(x0, y0, node.player, ha="center", va="center", fontsize=9,
                    fontweight="bold", zorder=4)
        t.set_gid(f"player:{_key(history)}")

    walk(tree, ())
    ax.set_xlim(-0.22, 1.22)
    ax.set_ylim(-float(depth) - 0.75, 0.3)
    ax.set_axis_off()
    ax.set_title(f"{title}\nEquilibrium: {_outcome(solution)}", fontsize=9)


def _outcome(solution: Solution) -> str:
    """'cooperation' / 'rupture' for a tree without B's move, else the full outcome label."""
    if BACKUP in solution.path or NO_BACKUP in solution.path:
        return outcome_label(solution.path)
    return "rupture" if RUPTURE in solution.path else "cooperation"


def _legend_handles() -> list[Line2D]:
    return [
        Line2D([], [], color=PATH_COLOR, lw=2.6, label="Equilibrium path"),
        Line2D([], [], color=PATH_COLOR, lw=1.2, ls="--", label="Equilibrium choice off the path"),
        Line2D([], [], color=OFF_COLOR, lw=1.0, label="Not chosen"),
    ]


def _tree_width(tree: Node | Leaf) -> int:
    return _layout(tree)[1]


def game_tree_figure(tree: Node | Leaf, solution: Solution, title: str) -> Figure:
    """Draw ``tree`` with its players, actions and leaf payoffs (A, B), the equilibrium path of
    ``solution`` in bold red (and off-path equilibrium choices dashed red)."""
    n_leaves = _tree_width(tree)
    with figure_style():
        fig = new_figure((max(3.6, 1.55 * n_leaves + 0.8), 3.9))
        ax = fig.add_subplot()
        _draw_tree(ax, tree, solution, title)
        fig.legend(handles=_legend_handles(), loc="outside upper center", ncols=2)
        _freeze_layout(fig)
    return fig


def game_trees_figure(H, L, s, h, l, c) -> Figure:
    """The three trees of Jiao (2022)'s backup game side by side, each solved by backward induction: short run;
    long run without the backup option; long run with the backup option."""
    trees = three_trees(H, L, s, h, l, c)
    layouts = [_layout(t) for t in trees.values()]
    widths = [n for _, n, _ in layouts]
    depth = max(d for _, _, d in layouts)
    with figure_style():
        fig = new_figure((max(9.0, 1.45 * sum(widths) + 1.6), 4.6))
        axes = fig.subplots(1, len(trees), gridspec_kw={"width_ratios": widths})
        for ax, (title, tree) in zip(axes, trees.items()):
            _draw_tree(ax, tree, solve(tree), title, depth=depth)
        fig.suptitle("The industrial backup game: subgame-perfect equilibria (payoffs (A, B))")
        # Below the one-move trees there is room: the legend goes there, not beside the title.
        legend = axes[0].legend(handles=_legend_handles(), loc="lower left",
                                bbox_to_anchor=(0.0, 0.0), borderaxespad=0.0)
        legend.set_gid("legend")
        add_note(fig, [
            f"H = {_fmt(float(H))}, L = {_fmt(float(L))}, s = {_fmt(float(s))}, "
            f"h = {_fmt(float(h))}, l = {_fmt(float(l))}, c = {_fmt(float(c))}. "
            "A: chain leader; B: embedded country. " + TIE_NOTE,
        ])
        _freeze_layout(fig)
    return fig


__all__ = ["TREE_TITLES", "equilibrium_regions_figure", "game_tree_figure", "game_trees_figure"]
