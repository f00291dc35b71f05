"""The industrial backup game: a chain leader A and an embedded country B.

Payoffs are written (A, B). Parameters: ``H``, ``L`` the base payoffs of A and B; ``s`` A's loss
from B's learning (equal to B's gain); ``h`` A's loss from a rupture; ``l`` B's loss from a
rupture; ``c`` the cost of B's industrial backup. ``s, h, l, c`` are non-negative; ``H, L`` any
finite numbers (only differences matter).

======================================  ==================  ======================
                                        cooperate           rupture
======================================  ==================  ======================
short run                               (H, L)              (H-h, L-l)
long run, no backup                     (H-s, L+s)          (H-h, L-l)
long run, after B built a backup        (H-s, L+s-c)        (H-h-s, L-l-c+s)
======================================  ==================  ======================

With a backup B keeps its learning gain even after a rupture, because its chain keeps running,
so A bears the loss ``s`` either way. Sequence in the long run: B chooses ``backup`` or
``no backup``; then A, having seen that choice, chooses ``cooperate`` or ``rupture``.
The subgame-perfect equilibrium is found by backward induction (:func:`solve`).

Tie rule
--------
When a player is indifferent, it keeps the status quo: **A cooperates** and **B does not build
the backup**. Rupturing and building a backup are both costly, deliberate departures from the
running relationship; a player with nothing to gain does not make them. (It is also the rule
that makes each region in :func:`predicted_equilibrium` a half-open set with the strict
inequality on the side of the departure, as the theory states them.) Technically, each
:class:`Node` lists its actions in tie-break order and :func:`solve` picks the first action
whose payoff no later action exceeds; :func:`build_tree` lists ``cooperate`` before
``rupture`` and ``no backup`` before ``backup``. Payoffs equal within a relative tolerance of
``TIE_RTOL`` (absolute ``TIE_ATOL``) count as a tie, so that boundaries computed in floating
point (``c = s + l`` with ``s = 0.1, l = 0.2``) are treated as the ties they are.

Derivation (backward induction)
-------------------------------
A after ``no backup``: cooperate gives H-s, rupture H-h. A ruptures iff s > h; at s = h it
cooperates (tie rule).

A after ``backup``: cooperate gives H-s, rupture H-h-s. Rupture never gains A anything (s is
lost either way) and costs it h >= 0, so A cooperates for every h >= 0 (at h = 0 by the tie
rule). B then gets L+s-c.

B (backup option available) compares L+s-c (backup, then cooperation) with its payoff without
backup:

- s <= h: without backup A cooperates and B gets L+s >= L+s-c. B builds no backup (at c = 0
  by the tie rule). Outcome **no backup, cooperation** (this covers s = 0).
- s > h: without backup A ruptures and B gets L-l. B builds iff L+s-c > L-l, i.e.
  c < s + l. Outcome **backup, cooperation** if c < s + l, **no backup, rupture** if
  c >= s + l (the boundary c = s + l by the tie rule).

Without the backup option the outcome is **no backup, cooperation** if s <= h and
**no backup, rupture** if s > h. In the short run A compares H with H-h and always cooperates.

This is exactly the condition Jiao (2022) states (c < s + l). Note why ``l`` enters: the backup
does not work by softening a rupture for B (B's off-path payoff L-l-c+s after backup and
rupture is never reached); it works by removing A's motive to rupture, so B compares
backup-and-cooperation with no-backup-and-rupture. Were A to rupture anyway, B's condition
would be c < s instead.

**backup, rupture** is never an equilibrium outcome for h >= 0 under the tie rule. It could
only arise at h = 0 with the opposite tie rule for A (rupture when indifferent), in the region
s > 0, c < s. :data:`BACKUP_RUPTURE` is kept as a label so that :func:`outcome_label` is total,
but it is not in :data:`LABELS`.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from resilience.errors import ConfigError

PLAYERS = ("A", "B")

COOPERATE, RUPTURE = "cooperate", "rupture"
NO_BACKUP, BACKUP = "no backup", "backup"

NO_BACKUP_COOPERATION = "no backup, cooperation"
NO_BACKUP_RUPTURE = "no backup, rupture"
BACKUP_COOPERATION = "backup, cooperation"
BACKUP_RUPTURE = "backup, rupture"
#: The equilibrium outcomes that occur for some admissible parameters (see module docstring).
LABELS = (NO_BACKUP_COOPERATION, NO_BACKUP_RUPTURE, BACKUP_COOPERATION)

TIE_RTOL = 1e-9
TIE_ATOL = 1e-12

TREE_TITLES = ("Short run", "Long run, no backup option", "Long run, backup option")


# --------------------------------------------------------------------------- validation


def _number(name: str, value, *, nonnegative: bool) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ConfigError(f"backup game: parameter {name} must be a finite number, got {value!r}")
    out = float(value)
    if not math.isfinite(out):
        raise ConfigError(f"backup game: parameter {name} must be a finite number, got {value!r}")
    if nonnegative and out < 0:
        raise ConfigError(f"backup game: parameter {name} must be non-negative, got {value!r}")
    return out


def _grid(name: str, values) -> np.ndarray:
    try:
        arr = np.asarray(list(values) if not isinstance(values, np.ndarray) else values)
    except TypeError:
        raise ConfigError(f"backup game: {name} must be a sequence of numbers") from None
    if arr.ndim != 1 or arr.size == 0:
        raise ConfigError(f"backup game: {name} must be a non-empty one-dimensional sequence")
    if arr.dtype == bool or not (np.issubdtype(arr.dtype, np.integer)
                                 or np.issubdtype(arr.dtype, np.floating)):
        raise ConfigError(f"backup game: {name} must hold numbers, got dtype {arr.dtype}")
    arr = arr.astype("float64")
    if not np.isfinite(arr).all():
        raise ConfigError(f"backup game: {name} must hold finite numbers")
    if (arr < 0).any():
        raise ConfigError(f"backup game: {name} must be non-negative, got {arr.min():g}")
    return np.unique(arr)


# --------------------------------------------------------------------------- the tree


@dataclass(frozen=True)
class Leaf:
    """A terminal node: ``payoffs`` (A, B) and optionally their ``formula`` (for drawing)."""

    payoffs: tuple[float, float]
    formula: tuple[str, str] | None = None

    def __post_init__(self):
        pay = tuple(self.payoffs)
        if len(pay) != len(PLAYERS):
            raise ConfigError(f"Leaf: payoffs must be a pair (A, B), got {self.payoffs!r}")
        pay = tuple(_number(f"payoff of {p}", v, nonnegative=False) for p, v in zip(PLAYERS, pay))
        object.__setattr__(self, "payoffs", pay)
        if self.formula is not None:
            formula = tuple(str(f) for f in self.formula)
            if len(formula) != len(PLAYERS):
                raise ConfigError(f"Leaf: formula must be a pair (A, B), got {self.formula!r}")
            object.__setattr__(self, "formula", formula)


@dataclass(frozen=True)
class Node:
    """A decision node: ``player`` ('A' or 'B') chooses among ``actions`` (action -> child).

    The order of ``actions`` is the tie-break order: when the player is indifferent,
    :func:`solve` takes the action listed first.
    """

    player: str
    actions: Mapping[str, "Node | Leaf"]

    def __post_init__(self):
        if self.player not in PLAYERS:
            raise ConfigError(f"Node: player must be one of {PLAYERS}, got {self.player!r}")
        if not isinstance(self.actions, Mapping) or not self.actions:
            raise ConfigError("Node: actions must be a non-empty mapping action -> child")
        for action, child in self.actions.items():
            if not isinstance(action, str) or not action:
                raise ConfigError(f"Node: action names must be non-empty strings, got {action!r}")
            if not isinstance(child, (Node, Leaf)):
                raise ConfigError(f"Node: child of {action!r} must be a Node or Leaf")
        object.__setattr__(self, "actions", dict(self.actions))


@dataclass(frozen=True)
class Solution:
    """A subgame-perfect equilibrium.

    ``path``: the actions played from the root; ``payoffs``: (A, B) at the leaf reached;
    ``choices``: the equilibrium strategy profile, the action chosen at every decision node
    (on and off the path), keyed by the node's history (the tuple of actions leading to it,
    ``()`` for the root).
    """

    path: list[str]
    payoffs: tuple[float, float]
    choices: dict[tuple[str, ...], str]


def _a_node(coop: tuple[float, float], rupt: tuple[float, float],
            coop_formula: tuple[str, str], rupt_formula: tuple[str, str]) -> Node:
    # cooperate first: A cooperates when indifferent.
    return Node("A", {COOPERATE: Leaf(coop, coop_formula), RUPTURE: Leaf(rupt, rupt_formula)})


def build_tree(H, L, s, h, l, c, backup_available: bool = True) -> Node:
    """The long-run game tree for the given parameters.

    With ``backup_available`` the root is B's choice (``no backup`` listed first, so B does not
    build when indifferent), followed by A's choice (``cooperate`` listed first). Without it the
    tree is A's choice after no backup only (``c`` is validated but unused).
    """
    H = _number("H", H, nonnegative=False)
    L = _number("L", L, nonnegative=False)
    s, h, l, c = (_number(n, v, nonnegative=True) for n, v in zip("shlc", (s, h, l, c)))
    after_no_backup = _a_node((H - s, L + s), (H - h, L - l), ("H-s", "L+s"), ("H-h", "L-l"))
    if not backup_available:
        return after_no_backup
    after_backup = _a_node((H - s, L + s - c), (H - h - s, L - l - c + s),
                           ("H-s", "L+s-c"), ("H-h-s", "L-l-c+s"))
    return Node("B", {NO_BACKUP: after_no_backup, BACKUP: after_backup})


def short_run_tree(H, L, h, l, backup_cost=None) -> Node:
    """The short-run game: A chooses cooperate (H, L) or rupture (H-h, L-l).

    With ``backup_cost`` c, B first chooses whether to build a backup, as in the paper's short-run
    statement ("B builds no backup, A cooperates"): a backup costs c and, with nothing yet learnt
    (no s), buys B nothing, so after it A's choice is cooperate (H, L-c) or rupture (H-h, L-l-c).
    """
    H = _number("H", H, nonnegative=False)
    L = _number("L", L, nonnegative=False)
    h = _number("h", h, nonnegative=True)
    l = _number("l", l, nonnegative=True)
    after_no_backup = _a_node((H, L), (H - h, L - l), ("H", "L"), ("H-h", "L-l"))
    if backup_cost is None:
        return after_no_backup
    c = _number("c", backup_cost, nonnegative=True)
    after_backup = _a_node((H, L - c), (H - h, L - l - c), ("H", "L-c"), ("H-h", "L-l-c"))
    return Node("B", {NO_BACKUP: after_no_backup, BACKUP: after_backup})


def three_trees(H, L, s, h, l, c) -> dict[str, Node]:
    """The three trees of Jiao (2022)'s backup game, keyed by :data:`TREE_TITLES`: short run; long run without
    the backup option; long run with the backup option."""
    return {
        TREE_TITLES[0]: short_run_tree(H, L, h, l),
        TREE_TITLES[1]: build_tree(H, L, s, h, l, c, backup_available=False),
        TREE_TITLES[2]: build_tree(H, L, s, h, l, c, backup_available=True),
    }


# --------------------------------------------------------------------------- solving


def _strictly_better(x: float, y: float) -> bool:
    return x > y and not math.isclose(x, y, rel_tol=TIE_RTOL, abs_tol=TIE_ATOL)


def _solve(tree: Node | Leaf, history: tuple[str, ...],
           choices: dict[tuple[str, ...], str]) -> tuple[list[str], tuple[float, float]]:
    if isinstance(tree, Leaf):
        return [], tree.payoffs
    if not isinstance(tree, Node):
        raise ConfigError(f"solve: expected a Node or Leaf, got {type(tree).__name__}")
    i = PLAYERS.index(tree.player)
    best: tuple[str, list[str], tuple[float, float]] | None = None
    for action, child in tree.actions.items():
        path, payoffs = _solve(child, history + (action,), choices)
        if best is None or _strictly_better(payoffs[i], best[2][i]):
            best = (action, path, payoffs)
    assert best is not None  # Node guarantees at least one action
    choices[history] = best[0]
    return [best[0], *best[1]], best[2]


def solve(tree: Node | Leaf) -> Solution:
    """Subgame-perfect equilibrium of ``tree`` by backward induction.

    At each decision node the player takes the action with the highest own payoff in the
    subgame's equilibrium; ties (within ``TIE_RTOL``/``TIE_ATOL``) go to the action listed
    first (the status quo in :func:`build_tree`: A cooperates, B builds no backup).
    """
    choices: dict[tuple[str, ...], str] = {}
    path, payoffs = _solve(tree, (), choices)
    return Solution(path=path, payoffs=payoffs, choices=choices)


def outcome_label(path: Iterable[str]) -> str:
    """'no backup, cooperation' | 'no backup, rupture' | 'backup, cooperation' |
    'backup, rupture' from an equilibrium path (a path without B's move counts as no backup)."""
    path = list(path)
    backup = BACKUP in path
    rupture = RUPTURE in path
    if not backup and not rupture:
        return NO_BACKUP_COOPERATION
    if not backup:
        return NO_BACKUP_RUPTURE
    return BACKUP_RUPTURE if rupture else BACKUP_COOPERATION


def equilibrium(H, L, s, h, l, c, backup_available: bool = True) -> str:
    """The equilibrium outcome label of the long-run game (backward induction on the tree)."""
    return outcome_label(solve(build_tree(H, L, s, h, l, c, backup_available)).path)


def predicted_equilibrium(s, h, l, c, backup_available: bool = True) -> str:
    """The outcome by the closed-form conditions derived in the module docstring.

    ``s <= h``: no backup, cooperation. ``s > h`` without the backup option: no backup, rupture.
    ``s > h`` with it: backup, cooperation if ``c < s + l``, else no backup, rupture.
    Exact comparisons (no tie tolerance); :func:`equilibrium` agrees with it except within the
    tie tolerance of a boundary.
    """
    s, h, l, c = (_number(n, v, nonnegative=True) for n, v in zip("shlc", (s, h, l, c)))
    if s <= h:
        return NO_BACKUP_COOPERATION
    if not backup_available:
        return NO_BACKUP_RUPTURE
    return BACKUP_COOPERATION if c < s + l else NO_BACKUP_RUPTURE


def regions(s_grid, c_grid, H, L, h, l) -> pd.DataFrame:
    """Equilibrium outcome over an (s, c) grid, backup option available, for given H, L, h, l.

    Grids must be non-empty, finite and non-negative; they are sorted and de-duplicated.
    One row per (s, c), s outer and c inner, both ascending; columns ``s``, ``c``,
    ``equilibrium`` (a label of :data:`LABELS`), ``backup`` and ``rupture`` (bool, the
    equilibrium path), ``payoff_A``, ``payoff_B`` (equilibrium payoffs).
    """
    s_values = _grid("s_grid", s_grid)
    c_values = _grid("c_grid", c_grid)
    H = _number("H", H, nonnegative=False)
    L = _number("L", L, nonnegative=False)
    h = _number("h", h, nonnegative=True)
    l = _number("l", l, nonnegative=True)
    rows = []
    for s in s_values:
        for c in c_values:
            sol = solve(build_tree(H, L, s, h, l, c, backup_available=True))
            rows.append((float(s), float(c), outcome_label(sol.path), BACKUP in sol.path,
                         RUPTURE in sol.path, sol.payoffs[0], sol.payoffs[1]))
    frame = pd.DataFrame(rows, columns=["s", "c", "equilibrium", "backup", "rupture",
                                        "payoff_A", "payoff_B"])
    frame["equilibrium"] = frame["equilibrium"].astype(object)
    return frame.astype({"s": "float64", "c": "float64", "backup": bool, "rupture": bool,
                         "payoff_A": "float64", "payoff_B": "float64"})
