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
    assert checks["agrees"].all()
