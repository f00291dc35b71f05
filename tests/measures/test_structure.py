"""Structure measures against hand-computed values."""

import math

import numpy as np
import pandas as pd
import pytest

from resilience.errors import InputError
from resilience.measures.structure import (AMA_SECTORS, AMA_SERIES, ama_sector_shares, herfindahl,
                                           krugman_index, location_quotient, normalised_herfindahl,
                                           shannon_entropy, world_share_lq)


def test_location_quotient_scalar_array_series():
    # (20/100) / (300/1000) = 0.2 / 0.3 = 0.666667
    assert location_quotient(20, 100, 300, 1000) == pytest.approx(2 / 3)
    arr = location_quotient(np.array([20.0, 45.0]), np.array([100.0, 100.0]), 300.0, 1000.0)
    assert arr.tolist() == pytest.approx([2 / 3, 1.5])          # 0.45 / 0.3 = 1.5
    ser = location_quotient(pd.Series([20.0, 5.0]), pd.Series([100.0, 0.0]), 300.0, 1000.0)
    assert ser.iloc[0] == pytest.approx(2 / 3) and math.isnan(ser.iloc[1])  # zero total -> NaN
    assert math.isnan(location_quotient(1.0, 0.0, 1.0, 1.0))


def test_world_share_lq_uses_units_with_both_values():
    frame = pd.DataFrame({"unit": ["AAA", "BBB", "CCC", "AAA"], "year": [2010, 2010, 2010, 2011],
                          "sector": [20.0, 40.0, np.nan, 10.0], "total": [100.0, 100.0, 50.0, 40.0]})
    out = world_share_lq(frame)
    # 2010 reference: (20 + 40) / (100 + 100) = 0.3 (CCC has no sector value: excluded from both)
    # AAA 0.2/0.3 = 0.6667, BBB 0.4/0.3 = 1.3333; 2011: AAA alone -> 1
    assert out["lq"].iloc[[0, 1, 3]].tolist() == pytest.approx([2 / 3, 4 / 3, 1.0])
    assert math.isnan(out["lq"].iloc[2])
    assert list(out.columns) == ["unit", "year", "lq"]
    with pytest.raises(InputError, match="missing columns"):
        world_share_lq(frame.drop(columns="total"))


@pytest.fixture
def shares():
    return pd.DataFrame([[0.5, 0.3, 0.2], [5.0, 3.0, 2.0], [1.0, 0.0, 0.0], [0.6, -0.1, 0.5], [0.5, np.nan, 0.5]],
                        index=["mix", "raw", "one", "neg", "gap"], columns=["s1", "s2", "s3"])


def test_herfindahl_and_normalised(shares):
    h = herfindahl(shares)
    # 0.5^2 + 0.3^2 + 0.2^2 = 0.25 + 0.09 + 0.04 = 0.38; raw 5,3,2 renormalise to the same
    assert h[["mix", "raw", "one"]].tolist() == pytest.approx([0.38, 0.38, 1.0])
    assert h[["neg", "gap"]].isna().all()
    # (0.38 - 1/3) / (1 - 1/3) = 0.046667 / 0.666667 = 0.07
    assert normalised_herfindahl(shares)[["mix", "one"]].tolist() == pytest.approx([0.07, 1.0])
    with pytest.raises(InputError):
        normalised_herfindahl(shares[["s1"]])


def test_shannon_entropy(shares):
    e = shannon_entropy(shares)
    # -(0.5 ln 0.5 + 0.3 ln 0.3 + 0.2 ln 0.2) = 0.346574 + 0.361192 + 0.321888 = 1.029653
    assert e["mix"] == pytest.approx(1.029653, abs=1e-6)
    assert e["one"] == 0                            # 1 ln 1 + 0 ln 0 + 0 ln 0 = 0
    assert e[["neg", "gap"]].isna().all()


def test_krugman_index():
    unit = pd.DataFrame([[0.5, 0.3, 0.2], [2.0, 3.0, 5.0]], index=["u1", "u2"], columns=["a", "b", "c"])
    ref = pd.Series({"c": 0.5, "a": 0.2, "b": 0.3})  # sector order does not matter
    # u1: |0.5-0.2| + |0.3-0.3| + |0.2-0.5| = 0.3 + 0 + 0.3 = 0.6; u2 = (0.2,0.3,0.5) -> 0
    assert krugman_index(unit, ref).tolist() == pytest.approx([0.6, 0.0])
    per_row = pd.DataFrame([[0.5, 0.3, 0.2], [1.0, 0.0, 0.0]], index=["u2", "u1"], columns=["a", "b", "c"])
    # u1 vs (1,0,0): 0.5 + 0.3 + 0.2 = 1.0; u2 (0.2,0.3,0.5) vs (0.5,0.3,0.2): 0.6
    assert krugman_index(unit, per_row).tolist() == pytest.approx([1.0, 0.6])
    with pytest.raises(InputError):
        krugman_index(unit, pd.Series({"a": 1.0}))


def ama_rows(unit, year, values):
    return [(unit, year, AMA_SERIES[name], value) for name, value in values.items()]


def test_ama_sector_shares_hand_case():
    good = {"agriculture": 10, "industry": 50, "manufacturing": 30, "construction": 5,
            "trade_hospitality": 15, "transport_communication": 10, "other_activities": 30, "total": 121}
    rows = (ama_rows("AAA", 2010, good)
            + ama_rows("BBB", 2010, good | {"manufacturing": 55})          # C-E 50 < D 55
            + ama_rows("CCC", 2010, {k: v for k, v in good.items() if k != "construction"})
            + [("AAA", 2010, "Gross Domestic Product (GDP)", 999.0)])     # other series ignored
    va = pd.DataFrame(rows, columns=["unit", "year", "series", "value"])
    out = ama_sector_shares(va).set_index("unit")
    # AAA: mining_utilities = 50 - 30 = 20; sum = 10+20+30+5+15+10+30 = 120
    # shares 10/120, 20/120, 30/120, 5/120, 15/120, 10/120, 30/120; 120/121 = 0.991736
    expected = [10 / 120, 20 / 120, 30 / 120, 5 / 120, 15 / 120, 10 / 120, 30 / 120]
    assert out.loc["AAA", AMA_SECTORS].tolist() == pytest.approx(expected)
    assert out.loc["AAA", "components_over_total"] == pytest.approx(0.991736, abs=1e-6)
    assert out.loc["AAA", "note"] == ""
    assert out.loc["BBB", AMA_SECTORS].isna().all() and "C-E < D" in out.loc["BBB", "note"]
    assert out.loc["CCC", AMA_SECTORS].isna().all()
    assert out.loc["CCC", "note"] == "missing 'Construction (ISIC F)'"
    assert list(out.reset_index().columns) == ["unit", "year", *AMA_SECTORS, "components_over_total", "note"]
    # the shares feed the concentration measures directly
    assert herfindahl(out.loc[["AAA"], AMA_SECTORS]).iloc[0] == pytest.approx(
        sum(s * s for s in expected))
