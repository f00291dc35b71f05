"""log_growth and period_change against hand-computed values."""

import math

import numpy as np
import pandas as pd
import pytest

from resilience.errors import InputError
from resilience.measures.growth import log_growth, period_change


def levels(rows):
    return pd.DataFrame(rows, columns=["unit", "year", "value"])


def test_log_growth_hand_case_with_gap_and_nonpositive_level():
    lv = levels([
        ("AAA", 2001, 110.0), ("AAA", 2000, 100.0),   # unsorted on purpose
        ("AAA", 2003, 121.0),                          # 2002 missing: a gap
        ("AAA", 2004, 0.0),                            # non-positive level = missing
        ("BBB", 2000, 50.0), ("BBB", 2001, 40.0),
    ])
    out = log_growth(lv).set_index(["unit", "year"])["growth"]
    # AAA 2001: 100 * (ln 110 - ln 100) = 100 * ln 1.1 = 100 * 0.0953102 = 9.53102
    assert out[("AAA", 2001)] == pytest.approx(9.531018, abs=1e-6)
    # BBB 2001: 100 * ln(40/50) = 100 * ln 0.8 = 100 * (-0.2231436) = -22.31436
    assert out[("BBB", 2001)] == pytest.approx(-22.314355, abs=1e-6)
    # first years, the year after a gap, and a zero level: NaN
    for key in [("AAA", 2000), ("AAA", 2003), ("AAA", 2004), ("BBB", 2000)]:
        assert math.isnan(out[key])
    assert list(out.index) == sorted(out.index)


def test_period_change_only_units_with_both_years():
    lv = levels([
        ("AAA", 2008, 200.0), ("AAA", 2009, 180.0),   # 100 * (180/200 - 1) = -10
        ("BBB", 2008, 40.0), ("BBB", 2010, 50.0),     # no 2009: absent
        ("CCC", 2008, 80.0), ("CCC", 2009, 90.0),     # 100 * (90/80 - 1) = 12.5
        ("DDD", 2008, np.nan), ("DDD", 2009, 5.0),    # NaN start: absent
    ])
    out = period_change(lv, 2008, 2009)
    assert list(out["unit"]) == ["AAA", "CCC"]
    assert out["change"].tolist() == pytest.approx([-10.0, 12.5])


def test_period_change_needs_start_before_end():
    with pytest.raises(ValueError):
        period_change(levels([("AAA", 2008, 1.0)]), 2009, 2008)


def test_bad_input_names_the_field():
    with pytest.raises(InputError, match="missing columns"):
        log_growth(pd.DataFrame({"unit": ["AAA"], "year": [2000]}))
    with pytest.raises(InputError, match="duplicate key"):
        log_growth(levels([("AAA", 2000, 1.0), ("AAA", 2000, 2.0)]))
    with pytest.raises(InputError, match="missing unit or year"):
        log_growth(levels([(None, 2000, 1.0)]))


def test_categorical_unit_codes_are_plain_strings():
    lv = levels([("AAA", 2000, 100.0), ("AAA", 2001, 110.0)]).astype({"unit": "category"})
    out = log_growth(lv)
    assert out["unit"].tolist() == ["AAA", "AAA"] and out["unit"].dtype == object
