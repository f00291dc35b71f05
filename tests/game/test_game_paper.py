"""The paper's statements about the backup game beside the solved game."""

import pytest

from resilience.context.game.analysis import BACKUP_COOPERATION, NO_BACKUP_COOPERATION, NO_BACKUP_RUPTURE
from resilience.context.game.paper import condition_agreement, paper_checks, stated_outcome

GAME = {
    "H": 10,
    "L": 5,
    "h": 2,
    "l": 1,
    "s_grid": {"start": 0, "stop": 6, "points": 13},
    "c_grid": {"start": 0, "stop": 8, "points": 17},
    "example": {"s": 3, "c": 2},
}


def test_stated_outcome_regions():
    assert stated_outcome(1, 2, 1, 0, True) == NO_BACKUP_COOPERATION  # s <= h
    assert stated_outcome(3, 2, 1, 2, True) == BACKUP_COOPERATION  # c = 2 < s + l = 4
    assert stated_outcome(3, 2, 1, 4, True) == NO_BACKUP_RUPTURE  # c = s + l: no backup
    assert stated_outcome(3, 2, 1, 0, False) == NO_BACKUP_RUPTURE


def test_conditions_hold_on_the_whole_grid():
    assert condition_agreement(GAME, backup_available=False) == 1.0
    assert condition_agreement(GAME, backup_available=True) == 1.0


def test_restored_payoff_of_b_leaves_out_the_backup_cost():
    checks = paper_checks(GAME).set_index("check")
    # the paper: (H-s, L+s) = (7, 8); solved: (H-s, L+s-c) = (7, 6)
    assert checks.loc["restored_payoff_A", ["paper_value", "solved_value"]].tolist() == [7.0, 7.0]
    assert checks.loc["restored_payoff_B", ["paper_value", "solved_value"]].tolist() == [8.0, 6.0]
    assert checks.loc["restored_payoff_B", "difference"] == pytest.approx(-2.0)
    assert not checks.loc["restored_payoff_B", "agrees"]
    assert checks.loc["short_run_payoffs_A", "agrees"] and checks.loc["short_run_payoffs_B", "agrees"]


def test_a_costless_backup_makes_the_paper_right():
    checks = paper_checks({**GAME, "example": {"s": 3, "c": 0}}).set_index("check")
    # every statement at the example agrees; the backup statement as written is a grid statement,
    # which a costless example does not change
    assert checks.drop(index="backup_restores_whenever_s_exceeds_h")["agrees"].all()


def test_backup_statement_as_written_holds_only_where_c_is_below_s_plus_l():
    # s > h = 2 on the 0.5-step grid: s = 2.5 .. 6 (8 values) x c = 0 .. 8 (17 values) = 136 points.
    # Backup and cooperation need c < s + 1: 2(s + 1) values of c for each s, 7 + 8 + ... + 14 = 84.
    checks = paper_checks(GAME).set_index("check")
    as_written = checks.loc["backup_restores_whenever_s_exceeds_h"]
    assert as_written["paper_value"] == 1.0
    assert as_written["solved_value"] == pytest.approx(84 / 136)
    assert not as_written["agrees"]
    # the solved game's own condition is the correction, and it holds everywhere
    assert checks.loc["backup_restores_when_c_below_s_plus_l", "solved_value"] == 1.0


def test_configured_grid_share_of_the_backup_statement():
    # the configured grid: s step 0.05 (s > 2: 80 values) x c step 0.05 (161 values) = 12,880 points,
    # of which 8,040 have c < s + 1
    game = {**GAME, "s_grid": {"start": 0, "stop": 6, "points": 121}, "c_grid": {"start": 0, "stop": 8, "points": 161}}
    checks = paper_checks(game).set_index("check")
    assert checks.loc["backup_restores_whenever_s_exceeds_h", "solved_value"] == pytest.approx(8040 / 12880)


def test_short_run_check_gives_b_the_backup_move():
    checks = paper_checks(GAME).set_index("check")
    # B compares L = 5 (no backup) with L - c = 3 (backup): no backup; A then compares H with H - h
    assert checks.loc["short_run_no_backup_cooperation", ["paper_value", "solved_value"]].tolist() == [1.0, 1.0]
    assert checks.loc["short_run_payoffs_B", "solved_value"] == 5.0
