"""value_near_year: the nearest-year rule for pre-shock exposures."""

import numpy as np
import pandas as pd
import pytest

from resilience.measures.exposure import value_near_year


@pytest.fixture
def panel():
    rows = [
        ("AAA", 2005, "net", 1.0), ("AAA", 2006, "net", 2.0), ("AAA", 2008, "net", 4.0),  # no 2007
        ("BBB", 2006, "net", 5.0), ("BBB", 2007, "net", 6.0), ("BBB", 2008, "net", 7.0),
        ("CCC", 2009, "net", 8.0),                                                          # only in the shock
        ("DDD", 2004, "net", 9.0),                                                          # too old
        ("EEE", 2007, "net", np.nan), ("EEE", 2008, "net", 3.0),                            # NaN is not a value
        ("AAA", 2005, "bb", 0.5),
    ]
    return pd.DataFrame(rows, columns=["unit", "year", "series", "value"])


def test_nearest_year_with_ties_to_the_earlier_year(panel):
    out = value_near_year(panel, ref_year=2007, max_back=2, latest=2008).set_index(["unit", "series"])
    # AAA net: candidates 2005 (|d|=2), 2006 (1), 2008 (1): tie 2006 vs 2008 -> earlier, 2006
    assert out.loc[("AAA", "net")].tolist() == [2.0, 2006]
    assert out.loc[("BBB", "net")].tolist() == [6.0, 2007]          # the reference year itself
    assert out.loc[("EEE", "net")].tolist() == [3.0, 2008]          # 2007 is NaN -> 2008
    assert out.loc[("AAA", "bb")].tolist() == [0.5, 2005]           # 2 years back is allowed
    assert ("CCC", "net") not in out.index and ("DDD", "net") not in out.index
    assert list(out.columns) == ["value", "year_used"]


def test_latest_defaults_to_the_reference_year(panel):
    out = value_near_year(panel, ref_year=2007).set_index(["unit", "series"])
    assert out.loc[("AAA", "net")].tolist() == [2.0, 2006]
    assert ("EEE", "net") not in out.index  # 2008 is after ref_year and latest defaults to it
    with pytest.raises(ValueError):
        value_near_year(panel, ref_year=2007, latest=2006)
