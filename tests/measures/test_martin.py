"""Martin indices against hand-computed values.

Levels (unit: 2008, 2009, 2011):
    AAA: 100,  80, 100
    BBB: 200, 200, 220
    NEW:   -,1000,1000   enters in 2009: must not enter the 2008-2009 benchmark
    OLD:  50,    -,   -   leaves after 2008: must not enter it either
"""

import math

import pandas as pd
import pytest

from resilience.errors import ConfigError
from resilience.measures.martin import (balanced_members, benchmark_change, benchmark_levels,
                                        martin_indices)

GFC = {"name": "gfc", "contraction": [2008, 2009], "recovery": [2009, 2011]}


@pytest.fixture
def lv():
    rows = [("AAA", 2008, 100.0), ("AAA", 2009, 80.0), ("AAA", 2011, 100.0),
            ("BBB", 2008, 200.0), ("BBB", 2009, 200.0), ("BBB", 2011, 220.0),
            ("NEW", 2009, 1000.0), ("NEW", 2011, 1000.0),
            ("OLD", 2008, 50.0)]
    return pd.DataFrame(rows, columns=["unit", "year", "value"])


def test_benchmark_change_is_balanced_on_the_endpoints(lv):
    assert balanced_members(lv, 2008, 2009) == ["AAA", "BBB"]
    # balanced: (80 + 200) / (100 + 200) = 280/300 -> 100 * (280/300 - 1) = -6.6667
    # (the naive sums 1280/350 would show +265.7 %)
    assert benchmark_change(lv, 2008, 2009) == pytest.approx(-100 / 15)
    # 2009-2011: AAA, BBB, NEW: (100+220+1000)/(80+200+1000) = 1320/1280 -> 3.125
    assert benchmark_change(lv, 2009, 2011) == pytest.approx(3.125)
    # members restricts the group: AAA, BBB only: 320/280 -> 100/7 = 14.2857
    assert benchmark_change(lv, 2009, 2011, members=["AAA", "BBB"]) == pytest.approx(100 / 7)
    assert math.isnan(benchmark_change(lv, 2010, 2011))
    # a single code is one unit, not a set of letters: AAA alone 80/100 -> -20
    assert benchmark_change(lv, 2008, 2009, members="AAA") == pytest.approx(-20)


def test_benchmark_levels_sums_each_year(lv):
    out = benchmark_levels(lv).set_index("year")
    # 2008: 100 + 200 + 50 = 350 (3 units); 2009: 80 + 200 + 1000 = 1280 (3 units)
    assert out.loc[2008, "value"] == 350 and out.loc[2008, "n_units"] == 3
    assert out.loc[2009, "value"] == 1280
    assert benchmark_levels(lv, members=["AAA"])["value"].tolist() == [100, 80, 100]


def test_martin_indices_world_sum_hand_case(lv):
    out = martin_indices(lv, [GFC], members=["AAA", "BBB"]).set_index(["unit", "phase"])
    # resistance: g_ref = -20/3 = -6.6667
    #   AAA g = 100*(80/100-1) = -20  -> ratio (-20 + 6.6667)/6.6667 = -2,  pp = -13.3333
    #   BBB g = 0                     -> ratio (0 + 6.6667)/6.6667  =  1,  pp =  +6.6667
    assert out.loc[("AAA", "resistance"), "g_unit"] == pytest.approx(-20)
    assert out.loc[("AAA", "resistance"), "g_ref"] == pytest.approx(-20 / 3)
    assert out.loc[("AAA", "resistance"), "index_ratio"] == pytest.approx(-2)
    assert out.loc[("AAA", "resistance"), "index_pp"] == pytest.approx(-40 / 3)
    assert out.loc[("BBB", "resistance"), "index_ratio"] == pytest.approx(1)
    # recovery: g_ref = 100/7 = 14.2857 (members AAA, BBB)
    #   AAA g = 100*(100/80-1) = 25 -> ratio (25 - 100/7)/(100/7) = 0.25*7 - 1 = 0.75
    #   BBB g = 100*(220/200-1) = 10 -> ratio 0.1*7 - 1 = -0.3
    assert out.loc[("AAA", "recovery"), "index_ratio"] == pytest.approx(0.75)
    assert out.loc[("BBB", "recovery"), "index_ratio"] == pytest.approx(-0.3)
    assert out.loc[("BBB", "recovery"), "index_pp"] == pytest.approx(10 - 100 / 7)
    # NEW has no 2008 level: no resistance row, but a recovery row (g = 0)
    assert ("NEW", "resistance") not in out.index
    assert out.loc[("NEW", "recovery"), "g_unit"] == 0
    assert set(out["episode"]) == {"gfc"}


def test_martin_indices_unit_benchmark_and_zero_reference(lv):
    out = martin_indices(lv, [GFC], benchmark="BBB").set_index(["unit", "phase"])
    # resistance: g_ref = BBB's change = 0 -> ratio undefined (NaN), pp still AAA's -20
    assert math.isnan(out.loc[("AAA", "resistance"), "index_ratio"])
    assert out.loc[("AAA", "resistance"), "index_pp"] == pytest.approx(-20)
    # recovery: g_ref = 10 -> AAA ratio (25 - 10)/10 = 1.5; BBB against itself: 0
    assert out.loc[("AAA", "recovery"), "index_ratio"] == pytest.approx(1.5)
    assert out.loc[("BBB", "recovery"), "index_ratio"] == 0


def test_bad_episodes_and_benchmark_are_config_errors(lv):
    with pytest.raises(ConfigError, match="contraction"):
        martin_indices(lv, [{"name": "x", "contraction": [2009], "recovery": [2009, 2011]}])
    with pytest.raises(ConfigError, match="before end"):
        martin_indices(lv, [{"name": "x", "contraction": [2009, 2008], "recovery": [2009, 2011]}])
    with pytest.raises(ConfigError, match="benchmark"):
        martin_indices(lv, [GFC], benchmark="ZZZ")
