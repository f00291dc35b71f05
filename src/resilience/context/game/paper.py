"""The backup game as the paper states it, beside the game as solved here.

The paper (Jiao 2022) states: in the short run B builds no backup and A cooperates, (H, L); without
a backup, A ruptures when s > h; B's backup is a credible threat that brings A back to cooperation
(no condition on its cost); and the equilibrium then returns to the cooperative payoffs (H-s, L+s).
Solved by backward induction (``resilience.context.game.analysis``), the backup restores cooperation
only when c < s + l, and B, having paid for the backup, gets L+s-c: the paper's payoff leaves out the
backup cost c. Each statement is checked as written: the conditions over the configured (s, c) grid
(the share of grid points where the statement predicts the solved outcome), the payoffs at the
configured example. The solved game's own condition (c < s + l) is a separate row, the correction.
"""

from __future__ import annotations

import pandas as pd

from resilience.context.game.analysis import (
    BACKUP_COOPERATION,
    NO_BACKUP,
    NO_BACKUP_COOPERATION,
    NO_BACKUP_RUPTURE,
    equilibrium,
    outcome_label,
    short_run_tree,
    solve,
    three_trees,
)
from resilience.context.game.section import grid_values

CHECK_COLUMNS = ["check", "statement", "paper_value", "solved_value", "difference", "agrees"]
RESTORED_TREE = "Long run, backup option"


def stated_outcome(s: float, h: float, l: float, c: float, backup_available: bool) -> str:
    """The outcome the paper's conditions predict: rupture when s > h, unless a backup that costs
    less than s + l brings A back to cooperation."""
    if s <= h:
        return NO_BACKUP_COOPERATION
    if backup_available and c < s + l:
        return BACKUP_COOPERATION
    return NO_BACKUP_RUPTURE


def condition_agreement(game: dict, backup_available: bool) -> float:
    """Share of the (s, c) grid where the stated condition gives the solved outcome (1.0 = everywhere)."""
    H, L, h, l = game["H"], game["L"], game["h"], game["l"]
    hits = [
        equilibrium(H, L, s, h, l, c, backup_available) == stated_outcome(s, h, l, c, backup_available)
        for s in grid_values(game["s_grid"])
        for c in grid_values(game["c_grid"])
    ]
    return sum(hits) / len(hits)


def backup_share_where_s_exceeds_h(game: dict) -> float:
    """Share of the grid points with s > h where the solved game has backup and cooperation: the
    paper's statement as written (a backup restores cooperation, whatever it costs) holds on 1.0."""
    H, L, h, l = game["H"], game["L"], game["h"], game["l"]
    outcomes = [
        equilibrium(H, L, s, h, l, c, backup_available=True) == BACKUP_COOPERATION
        for s in grid_values(game["s_grid"])
        if s > h
        for c in grid_values(game["c_grid"])
    ]
    return sum(outcomes) / len(outcomes) if outcomes else float("nan")


def paper_checks(game: dict) -> pd.DataFrame:
    """One row per statement of the paper: its value, the solved value, their difference, agreement."""
    H, L, h, l = game["H"], game["L"], game["h"], game["l"]
    s, c = game["example"]["s"], game["example"]["c"]
    # the short run with B's backup move, as the paper's statement has it (B builds none, A cooperates)
    short_run = solve(short_run_tree(H, L, h, l, backup_cost=c))
    as_stated = short_run.path[0] == NO_BACKUP and outcome_label(short_run.path) == NO_BACKUP_COOPERATION
    restored = solve(three_trees(H, L, s, h, l, c)[RESTORED_TREE])
    rows = [
        (
            "short_run_no_backup_cooperation",
            "short run: B builds no backup (L against L-c) and A cooperates (1 = as stated)",
            1.0,
            float(as_stated),
        ),
        ("short_run_payoffs_A", "short run: B builds no backup, A cooperates, A gets H", H, short_run.payoffs[0]),
        ("short_run_payoffs_B", "short run: B gets L", L, short_run.payoffs[1]),
        (
            "rupture_when_s_exceeds_h",
            "no backup option: A ruptures exactly when s > h (share of grid)",
            1.0,
            condition_agreement(game, backup_available=False),
        ),
        (
            "backup_restores_whenever_s_exceeds_h",
            "backup option, as the paper states it: backup and cooperation at every s > h (share of the s > h grid)",
            1.0,
            backup_share_where_s_exceeds_h(game),
        ),
        (
            "backup_restores_when_c_below_s_plus_l",
            "the solved game's correction: backup and cooperation exactly when s > h and c < s + l (share of grid)",
            1.0,
            condition_agreement(game, backup_available=True),
        ),
        ("restored_payoff_A", "after the backup, A's payoff H-s", H - s, restored.payoffs[0]),
        ("restored_payoff_B", "after the backup, B's payoff L+s (solved: L+s-c)", L + s, restored.payoffs[1]),
    ]
    out = pd.DataFrame(rows, columns=CHECK_COLUMNS[:4])
    out["paper_value"] = out["paper_value"].astype(float)
    out["solved_value"] = out["solved_value"].astype(float)
    out["difference"] = out["solved_value"] - out["paper_value"]
    out["agrees"] = out["difference"].abs() < 1e-9
    return out[CHECK_COLUMNS]
