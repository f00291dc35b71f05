"""Martin indices against the own group (an EU region's country), chained growth indices."""
import math

import pandas as pd
import pytest

from resilience.errors import ConfigError
from resilience.measures.regional import chain_index, regional_martin

EPISODE = [{"name": "gfc", "contraction": [2008, 2009], "recovery": [2009, 2011]}]
LEVELS = pd.DataFrame({
    "unit": ["A1"] * 3 + ["A2"] * 3 + ["B1"] * 3,
    "group": ["A"] * 6 + ["B"] * 3,
    "year": [2008, 2009, 2011] * 3,
    "value": [100.0, 90.0, 99.0, 100.0, 95.0, 95.0, 50.0, 45.0, 54.0],
})
NATIONAL = pd.DataFrame({"group": ["A"] * 3 + ["B"] * 3, "year": [2008, 2009, 2011] * 2,
                         "value": [300.0, 280.0, 294.0, 50.0, 45.0, 54.0]})


def test_national_benchmark_hand_computed():
    out = regional_martin(LEVELS, EPISODE, national=NATIONAL).set_index(["unit", "phase"])
    # A: national -6.667 %; A1 -10 % -> index_pp -3.333, ratio -0.5
    a1 = out.loc[("A1", "resistance")]
    assert a1["g_ref"] == pytest.approx(100 * (280 / 300 - 1))
    assert a1["index_pp"] == pytest.approx(-10 - 100 * (280 / 300 - 1))
    assert a1["index_ratio"] == pytest.approx(a1["index_pp"] / abs(a1["g_ref"]))
    assert out.loc[("A2", "recovery"), "index_pp"] == pytest.approx(0 - 5.0)
    assert out.loc[("B1", "resistance"), "index_pp"] == pytest.approx(0.0)
    assert set(out["group"]) == {"A", "B"}


def test_units_sum_benchmark():
    out = regional_martin(LEVELS, EPISODE, benchmark="units_sum").set_index(["unit", "phase"])
    # A's regions: 200 -> 185 = -7.5 %
    assert out.loc[("A1", "resistance"), "g_ref"] == pytest.approx(-7.5)


def test_missing_national_gives_nan_reference():
    out = regional_martin(LEVELS, EPISODE, national=NATIONAL[NATIONAL["group"] == "A"])
    b1 = out[out["unit"] == "B1"].set_index("phase")
    assert b1.loc["resistance", "g_unit"] == pytest.approx(-10.0)
    assert math.isnan(b1.loc["resistance", "g_ref"]) and math.isnan(b1.loc["resistance", "index_pp"])


def test_bad_benchmark_and_missing_national():
    with pytest.raises(ConfigError):
        regional_martin(LEVELS, EPISODE, benchmark="world")
    with pytest.raises(ConfigError):
        regional_martin(LEVELS, EPISODE, benchmark="national")


def test_chain_index_compounds_and_breaks_at_gap():
    growth = pd.DataFrame({"unit": ["X"] * 5, "year": [2000, 2001, 2002, 2003, 2004],
                           "value": [float("nan"), 10.0, -10.0, float("nan"), 5.0]})
    out = chain_index(growth).set_index("year")["value"]
    assert out[2000] == 100.0 and out[2001] == pytest.approx(110.0) and out[2002] == pytest.approx(99.0)
    assert math.isnan(out[2003]) and math.isnan(out[2004])
