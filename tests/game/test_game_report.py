"""Tables of the backup game: grid spacing, region counts and the example's equilibria."""

import math

from resilience.context.game.section import equilibria_table, regions_table

GAME = {"H": 10, "L": 5, "h": 2, "l": 1, "s_grid": {"start": 0, "stop": 4, "points": 5},
        "c_grid": {"start": 0, "stop": 6, "points": 4}, "example": {"s": 3, "c": 2}}


def test_regions_table_follows_the_closed_form():
    table = regions_table(GAME)
    assert sorted(set(table["s"])) == [0, 1, 2, 3, 4] and sorted(set(table["c"])) == [0, 2, 4, 6]
    for row in table.itertuples():
        if row.s <= 2:                      # s <= h: no backup, cooperation
            expected = "no backup, cooperation"
        elif row.c < row.s + 1:             # s > h and c < s + l
            expected = "backup, cooperation"
        else:
            expected = "no backup, rupture"
        assert row.equilibrium == expected, (row.s, row.c)


def test_example_equilibria_of_the_three_trees():
    table = equilibria_table(GAME).set_index("tree")
    # s = 3 > h = 2 and c = 2 < s + l = 4: B builds, A cooperates: (H - s, L + s - c) = (7, 6)
    assert table.loc["Long run, backup option", ["payoff_A", "payoff_B"]].tolist() == [7, 6]
    # without the option A ruptures: (H - h, L - l) = (8, 4); short run: cooperation (10, 5)
    assert table.loc["Long run, no backup option", ["payoff_A", "payoff_B"]].tolist() == [8, 4]
    assert table.loc["Short run", ["payoff_A", "payoff_B"]].tolist() == [10, 5]
    closed = table.loc["closed form (long run, backup option)"]
    assert closed["outcome"] == "backup, cooperation" and math.isnan(closed["payoff_A"])
