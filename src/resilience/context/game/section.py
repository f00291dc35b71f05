"""Tables of the backup game for the report: the (s, c) regions and the example's equilibria."""

from __future__ import annotations

import numpy as np
import pandas as pd

from resilience.context.game.analysis import equilibrium, regions, three_trees, solve, outcome_label


def grid_values(spec: dict) -> np.ndarray:
    """[start, stop] with `points` evenly spaced values (rounded, so the CSV is stable)."""
    return np.round(np.linspace(spec["start"], spec["stop"], spec["points"]), 10)


def regions_table(game: dict) -> pd.DataFrame:
    return regions(grid_values(game["s_grid"]), grid_values(game["c_grid"]), game["H"], game["L"], game["h"], game["l"])


def equilibria_table(game: dict) -> pd.DataFrame:
    """The equilibrium path and payoffs of each of the three trees at the example parameters."""
    ex = game["example"]
    rows = []
    for title, tree in three_trees(game["H"], game["L"], ex["s"], game["h"], game["l"], ex["c"]).items():
        solution = solve(tree)
        rows.append({"tree": title, "path": " -> ".join(solution.path), "outcome": outcome_label(solution.path),
                     "payoff_A": solution.payoffs[0], "payoff_B": solution.payoffs[1]})
    rows.append({"tree": "closed form (long run, backup option)", "path": "",
                 "outcome": equilibrium(game["H"], game["L"], ex["s"], game["h"], game["l"], ex["c"]),
                 "payoff_A": np.nan, "payoff_B": np.nan})
    return pd.DataFrame(rows)
