"""The industrial backup game: trees, backward induction, the tie rule and the regions.

Payoffs (A, B). Base H = 10, L = 5 throughout unless stated. Trees:
  short run:              cooperate (H, L)          rupture (H-h, L-l)
  long run, no backup:    cooperate (H-s, L+s)      rupture (H-h, L-l)
  long run, backup:       cooperate (H-s, L+s-c)    rupture (H-h-s, L-l-c+s)
Tie rule: A cooperates when indifferent, B builds no backup when indifferent.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest

from resilience.errors import ConfigError
from resilience.context.game import analysis as game
from resilience.context.game.analysis import (
    BACKUP, BACKUP_COOPERATION, BACKUP_RUPTURE, COOPERATE, LABELS, NO_BACKUP,
    NO_BACKUP_COOPERATION, NO_BACKUP_RUPTURE, RUPTURE, Leaf, Node, build_tree, equilibrium,
    outcome_label, predicted_equilibrium, regions, short_run_tree, solve, three_trees,
)

H, L = 10.0, 5.0


# --------------------------------------------------------------------------- the tree


def test_tree_payoffs_match_the_issue():
    s, h, l, c = 3.0, 2.0, 1.0, 0.5
    tree = build_tree(H, L, s, h, l, c)
    assert tree.player == "B" and list(tree.actions) == [NO_BACKUP, BACKUP]
    nb, b = tree.actions[NO_BACKUP], tree.actions[BACKUP]
    assert nb.player == "A" and list(nb.actions) == [COOPERATE, RUPTURE]
    assert nb.actions[COOPERATE].payoffs == (H - s, L + s)              # (7, 8)
    assert nb.actions[RUPTURE].payoffs == (H - h, L - l)                # (8, 4)
    assert b.actions[COOPERATE].payoffs == (H - s, L + s - c)           # (7, 7.5)
    assert b.actions[RUPTURE].payoffs == (H - h - s, L - l - c + s)     # (5, 6.5)
    assert b.actions[RUPTURE].formula == ("H-h-s", "L-l-c+s")
    # Without the backup option the tree is A's move after no backup.
    assert build_tree(H, L, s, h, l, c, backup_available=False) == nb
    short = short_run_tree(H, L, h, l)
    assert short.actions[COOPERATE].payoffs == (H, L)
    assert short.actions[RUPTURE].payoffs == (H - h, L - l)
    assert list(three_trees(H, L, s, h, l, c)) == list(game.TREE_TITLES)


# --------------------------------------------------------------------------- the theory's cases


@pytest.mark.parametrize("h, l, c", [(2.0, 1.0, 0.5), (0.0, 1.0, 0.5), (2.0, 0.0, 0.0),
                                     (0.0, 0.0, 0.0), (1.0, 3.0, 10.0)])
def test_no_learning_gives_no_backup_and_cooperation(h, l, c):
    # s = 0. No backup: A gets H (cooperate) vs H-h (rupture): cooperates (h = 0: tie ->
    # cooperate). B: no backup gives L, backup gives L-c <= L: no backup (c = 0: tie -> no backup).
    sol = solve(build_tree(H, L, 0.0, h, l, c))
    assert sol.path == [NO_BACKUP, COOPERATE]
    assert sol.payoffs == (H, L)
    assert equilibrium(H, L, 0.0, h, l, c) == NO_BACKUP_COOPERATION


@pytest.mark.parametrize("s, h", [(3.0, 2.0), (0.5, 0.0), (10.0, 9.5)])
def test_learning_above_rupture_loss_without_backup_gives_rupture(s, h):
    # s > h: A gets H-s (cooperate) < H-h (rupture): ruptures. E.g. s=3, h=2: 7 < 8.
    sol = solve(build_tree(H, L, s, h, 1.0, 1.0, backup_available=False))
    assert sol.path == [RUPTURE]
    assert sol.payoffs == (H - h, L - 1.0)
    assert equilibrium(H, L, s, h, 1.0, 1.0, backup_available=False) == NO_BACKUP_RUPTURE


def test_cheap_backup_gives_backup_and_cooperation():
    # s=3, h=2, l=1, c=3.5 (c < s+l = 4).
    # After backup A: cooperate H-s = 7 vs rupture H-h-s = 5 -> cooperate; B gets L+s-c = 4.5.
    # After no backup A: 7 vs 8 -> rupture; B gets L-l = 4. B: 4.5 > 4 -> backup.
    sol = solve(build_tree(H, L, 3.0, 2.0, 1.0, 3.5))
    assert sol.path == [BACKUP, COOPERATE]
    assert sol.payoffs == (7.0, 4.5)
    assert sol.choices == {(): BACKUP, (BACKUP,): COOPERATE, (NO_BACKUP,): RUPTURE}
    assert equilibrium(H, L, 3.0, 2.0, 1.0, 3.5) == BACKUP_COOPERATION


def test_costly_backup_gives_no_backup_and_rupture():
    # s=3, h=2, l=1, c=4.5 (c > s+l = 4). Backup then cooperation: B gets 5+3-4.5 = 3.5;
    # no backup then rupture: B gets 4. B: 3.5 < 4 -> no backup; A ruptures (7 < 8).
    sol = solve(build_tree(H, L, 3.0, 2.0, 1.0, 4.5))
    assert sol.path == [NO_BACKUP, RUPTURE]
    assert sol.payoffs == (8.0, 4.0)
    assert sol.choices[(BACKUP,)] == COOPERATE      # off the path A would still cooperate
    assert equilibrium(H, L, 3.0, 2.0, 1.0, 4.5) == NO_BACKUP_RUPTURE


@pytest.mark.parametrize("c", [0.0, 0.5, 3.0, 100.0])
def test_learning_below_rupture_loss_builds_no_backup(c):
    # s=1 < h=2. No backup: A 9 (cooperate) vs 8 (rupture) -> cooperates; B gets L+s = 6.
    # Backup: B gets 6-c <= 6 -> no backup (c = 0 is a tie -> no backup).
    sol = solve(build_tree(H, L, 1.0, 2.0, 1.0, c))
    assert sol.path == [NO_BACKUP, COOPERATE]
    assert sol.payoffs == (9.0, 6.0)


def test_short_run_always_cooperation():
    # A: H vs H-h, h >= 0 -> cooperate (h = 0: tie -> cooperate).
    for h in (0.0, 0.5, 7.0):
        assert solve(short_run_tree(H, L, h, 1.0)).path == [COOPERATE]


# --------------------------------------------------------------------------- ties


def test_tie_s_equals_h_A_cooperates():
    # s = h = 2: A gets H-s = 8 either way -> cooperates (tie rule). With the option B then gets
    # L+s = 7 without backup vs 7-c with: no backup.
    assert solve(build_tree(H, L, 2.0, 2.0, 1.0, 1.0, backup_available=False)).path == [COOPERATE]
    assert equilibrium(H, L, 2.0, 2.0, 1.0, 1.0) == NO_BACKUP_COOPERATION
    assert equilibrium(H, L, 2.0, 2.0, 1.0, 0.0) == NO_BACKUP_COOPERATION  # double tie at c = 0


def test_tie_c_equals_s_plus_l_B_builds_no_backup():
    # s=3, h=2, l=1, c=4 = s+l: backup gives B 5+3-4 = 4, no backup (rupture) gives 5-1 = 4.
    sol = solve(build_tree(H, L, 3.0, 2.0, 1.0, 4.0))
    assert sol.path == [NO_BACKUP, RUPTURE]
    assert equilibrium(H, L, 3.0, 2.0, 1.0, 4.0) == NO_BACKUP_RUPTURE
    # Just below the boundary B builds.
    assert equilibrium(H, L, 3.0, 2.0, 1.0, 4.0 - 1e-6) == BACKUP_COOPERATION


def test_tie_in_floating_point_is_a_tie():
    # s = 0.1, l = 0.3, c = s + l, L = 1: backup gives B (1 + 0.1) - 0.4 = 0.7000000000000001,
    # no backup (rupture, s > h = 0) gives 1 - 0.3 = 0.7. Exact comparison would make B build;
    # it is a tie in the model, so B builds no backup.
    s, l = 0.1, 0.3
    assert (1.0 + s) - (s + l) > 1.0 - l           # rounding puts it above ...
    assert equilibrium(1.0, 1.0, s, 0.0, l, s + l) == NO_BACKUP_RUPTURE   # ... but it is a tie
    # A clear gap is not a tie.
    assert equilibrium(1.0, 1.0, s, 0.0, l, s + l - 1e-6) == BACKUP_COOPERATION


def test_h_zero_A_indifferent_after_backup_cooperates():
    # h = 0: after backup A gets H-s either way -> cooperates (tie rule). s=1, l=1, c=0.5:
    # no backup -> rupture (9 < 10), B gets 4; backup -> B gets 5+1-0.5 = 5.5 -> backup.
    sol = solve(build_tree(H, L, 1.0, 0.0, 1.0, 0.5))
    assert sol.path == [BACKUP, COOPERATE]


def test_opposite_tie_rule_for_A_would_give_backup_and_rupture_at_h_zero():
    # The documented claim: 'backup, rupture' needs h = 0 and A rupturing when indifferent.
    # Same payoffs (s=1, h=0, l=1, c=0.5) with A's actions listed rupture first:
    # after backup A ruptures: B gets L-l-c+s = 4.5 > L-l = 4 (no backup, rupture) -> backup.
    s, h, l, c = 1.0, 0.0, 1.0, 0.5

    def a_node(coop, rupt):
        return Node("A", {RUPTURE: Leaf(rupt), COOPERATE: Leaf(coop)})

    tree = Node("B", {NO_BACKUP: a_node((H - s, L + s), (H - h, L - l)),
                      BACKUP: a_node((H - s, L + s - c), (H - h - s, L - l - c + s))})
    sol = solve(tree)
    assert sol.path == [BACKUP, RUPTURE]
    assert outcome_label(sol.path) == BACKUP_RUPTURE
    assert sol.payoffs == (9.0, 4.5)


def test_generic_tie_takes_first_listed_action():
    tree = Node("A", {"x": Leaf((1.0, 0.0)), "y": Leaf((2.0, 0.0)), "z": Leaf((2.0, 9.0))})
    assert solve(tree).path == ["y"]
    assert solve(Leaf((1.0, 2.0))).path == []


# --------------------------------------------------------------------------- regions on a grid


def test_backward_induction_matches_the_closed_form_on_a_grid():
    # Multiples of 0.5 are exact in binary, so the ties s = h and c = s + l are hit exactly.
    values = np.arange(0.0, 4.01, 0.5)
    seen = set()
    for s, h, l, c in itertools.product(values, repeat=4):
        sol = solve(build_tree(H, L, s, h, l, c))
        label = outcome_label(sol.path)
        assert label == predicted_equilibrium(s, h, l, c), (s, h, l, c)
        assert label != BACKUP_RUPTURE
        assert sol.choices[(BACKUP,)] == COOPERATE           # with a backup A never ruptures
        # The three regions with their exact conditions.
        if s <= h:
            assert label == NO_BACKUP_COOPERATION
        elif c < s + l:
            assert label == BACKUP_COOPERATION
        else:
            assert label == NO_BACKUP_RUPTURE
        no_option = outcome_label(solve(build_tree(H, L, s, h, l, c, False)).path)
        assert no_option == (NO_BACKUP_RUPTURE if s > h else NO_BACKUP_COOPERATION)
        seen.add(label)
    assert seen == set(LABELS)


def test_level_of_H_and_L_does_not_matter():
    for H_, L_ in [(0.0, 0.0), (-3.0, 100.0), (1e3, -7.5)]:
        assert equilibrium(H_, L_, 3.0, 2.0, 1.0, 3.5) == BACKUP_COOPERATION
        assert equilibrium(H_, L_, 3.0, 2.0, 1.0, 4.0) == NO_BACKUP_RUPTURE
        assert equilibrium(H_, L_, 1.0, 2.0, 1.0, 0.0) == NO_BACKUP_COOPERATION


def test_regions_frame():
    frame = regions([2.0, 0.0, 3.0, 2.0], [4.0, 0.0, 3.5], H, L, 2.0, 1.0)
    assert list(frame.columns) == ["s", "c", "equilibrium", "backup", "rupture",
                                   "payoff_A", "payoff_B"]
    assert frame["s"].tolist() == [0.0] * 3 + [2.0] * 3 + [3.0] * 3     # sorted, de-duplicated
    assert frame["c"].tolist() == [0.0, 3.5, 4.0] * 3
    assert frame["equilibrium"].tolist() == (
        [NO_BACKUP_COOPERATION] * 6                                        # s <= h
        + [BACKUP_COOPERATION, BACKUP_COOPERATION, NO_BACKUP_RUPTURE])     # s=3: c < 4, c = 4
    assert frame["backup"].tolist() == [False] * 6 + [True, True, False]
    assert frame["rupture"].tolist() == [False] * 8 + [True]
    # s=3, c=3.5: (H-s, L+s-c) = (7, 4.5); s=3, c=4: (H-h, L-l) = (8, 4).
    assert frame.iloc[7][["payoff_A", "payoff_B"]].tolist() == [7.0, 4.5]
    assert frame.iloc[8][["payoff_A", "payoff_B"]].tolist() == [8.0, 4.0]
    for row in frame.itertuples():
        assert row.equilibrium == equilibrium(H, L, row.s, 2.0, 1.0, row.c)
    assert frame.dtypes["s"] == np.float64 and frame.dtypes["backup"] == np.bool_


def test_regions_accept_arrays_and_series():
    a = regions(np.linspace(0, 3, 4), pd.Series([0, 1, 2]), H, L, 1, 1)
    b = regions([0, 1, 2, 3], (0.0, 1.0, 2.0), H, L, 1.0, 1.0)
    pd.testing.assert_frame_equal(a, b)


# --------------------------------------------------------------------------- validation


@pytest.mark.parametrize("name, value", [("s", -1.0), ("h", -0.1), ("l", -2), ("c", -1e-9),
                                         ("s", math.nan), ("h", math.inf), ("c", "1"),
                                         ("l", None), ("s", True), ("H", math.nan),
                                         ("L", -math.inf)])
def test_bad_parameters_name_the_parameter(name, value):
    params = {"H": H, "L": L, "s": 1.0, "h": 1.0, "l": 1.0, "c": 1.0}
    params[name] = value
    with pytest.raises(ConfigError, match=rf"parameter {name} must be"):
        build_tree(**params)
    with pytest.raises(ConfigError, match=rf"parameter {name} must be"):
        equilibrium(**params)


def test_negative_H_and_L_are_allowed():
    assert equilibrium(-5.0, -5.0, 0.0, 0.0, 0.0, 0.0) == NO_BACKUP_COOPERATION


@pytest.mark.parametrize("grid, problem", [([], "non-empty"), ([1.0, -1.0], "non-negative"),
                                           ([0.0, math.nan], "finite"), ([[0.0, 1.0]], "one-dim"),
                                           (["a"], "numbers"), (3.0, "sequence")])
def test_bad_grids(grid, problem):
    with pytest.raises(ConfigError, match=rf"s_grid.*{problem}"):
        regions(grid, [0.0], H, L, 1.0, 1.0)
    with pytest.raises(ConfigError, match=rf"c_grid.*{problem}"):
        regions([0.0], grid, H, L, 1.0, 1.0)


def test_regions_validate_h_and_l():
    with pytest.raises(ConfigError, match="parameter h"):
        regions([0.0], [0.0], H, L, -1.0, 1.0)
    with pytest.raises(ConfigError, match="parameter l"):
        regions([0.0], [0.0], H, L, 1.0, math.nan)


def test_bad_tree_parts():
    with pytest.raises(ConfigError, match="player"):
        Node("C", {"x": Leaf((0.0, 0.0))})
    with pytest.raises(ConfigError, match="non-empty"):
        Node("A", {})
    with pytest.raises(ConfigError, match="Node or Leaf"):
        Node("A", {"x": (0.0, 0.0)})
    with pytest.raises(ConfigError, match="pair"):
        Leaf((1.0, 2.0, 3.0))
    with pytest.raises(ConfigError, match="finite"):
        Leaf((1.0, math.nan))


def test_short_run_tree_with_the_backup_move():
    tree = short_run_tree(10, 5, 2, 1, backup_cost=2)
    assert tree.player == "B" and list(tree.actions) == [NO_BACKUP, BACKUP]
    assert tree.actions[BACKUP].actions[COOPERATE].payoffs == (10, 3)  # (H, L-c)
    assert tree.actions[BACKUP].actions[RUPTURE].payoffs == (8, 2)  # (H-h, L-l-c)
    solution = solve(tree)
    assert solution.path == [NO_BACKUP, COOPERATE] and solution.payoffs == (10, 5)
    # a costless backup buys B nothing in the short run: the tie keeps the status quo
    assert solve(short_run_tree(10, 5, 2, 1, backup_cost=0)).path == [NO_BACKUP, COOPERATE]
