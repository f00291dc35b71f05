"""Game-theoretic context analyses.

- ``backup``  the industrial backup game between a chain leader A and an embedded country B:
  explicit game trees, subgame-perfect equilibrium by backward induction, equilibrium regions
"""

from resilience.context.game.analysis import (
    BACKUP, BACKUP_COOPERATION, BACKUP_RUPTURE, COOPERATE, LABELS, NO_BACKUP,
    NO_BACKUP_COOPERATION, NO_BACKUP_RUPTURE, PLAYERS, RUPTURE, Leaf, Node, Solution,
    build_tree, equilibrium, outcome_label, predicted_equilibrium, regions, short_run_tree,
    solve, three_trees,
)

__all__ = [
    "BACKUP", "BACKUP_COOPERATION", "BACKUP_RUPTURE", "COOPERATE", "LABELS", "Leaf", "NO_BACKUP",
    "NO_BACKUP_COOPERATION", "NO_BACKUP_RUPTURE", "Node", "PLAYERS", "RUPTURE", "Solution",
    "build_tree", "equilibrium", "outcome_label", "predicted_equilibrium", "regions",
    "short_run_tree", "solve", "three_trees",
]
