"""Report number formatting and Markdown tables: exact strings."""

import numpy as np
import pandas as pd

from resilience.report.text import fmt, markdown_table, pct


def test_fmt_fixed_decimals():
    assert fmt(1.234) == "1.23"
    assert fmt(-1.236) == "-1.24"
    assert fmt(2) == "2.00"
    assert fmt(12.3456, 1) == "12.3"
    assert fmt(3, 0) == "3"
    assert fmt(np.float64(0.5), 3) == "0.500"
    assert fmt(np.int64(7), 1) == "7.0"


def test_fmt_never_prints_negative_zero():
    assert fmt(-0.0) == "0.00"
    assert fmt(-0.001) == "0.00"
    assert fmt(-0.004) == "0.00"
    assert fmt(-0.0004, 3) == "0.000"
    assert fmt(-0.4, 0) == "0"
    assert fmt(np.float64(-1e-9), 1) == "0.0"
    assert fmt(-0.01) == "-0.01"  # a real negative keeps its sign


def test_fmt_missing_is_na():
    assert fmt(float("nan")) == "n/a"
    assert fmt(np.nan, 0) == "n/a"
    assert fmt(None) == "n/a"
    assert fmt(pd.NA) == "n/a"


def test_pct():
    assert pct(66.666) == "67%"
    assert pct(12.345, 1) == "12.3%"
    assert pct(-0.2) == "0%"
    assert pct(float("nan")) == "n/a"


def test_markdown_table_2x2_exact():
    frame = pd.DataFrame({"name": ["a|b", "c"], "value": [1.0, -0.0004]})
    # floats with 3 decimals, '|' escaped, -0.000 printed as 0.000
    assert markdown_table(frame) == ("| name | value |\n"
                                     "|---|---|\n"
                                     "| a\\|b | 1.000 |\n"
                                     "| c | 0.000 |")


def test_markdown_table_cells():
    frame = pd.DataFrame({"flag": [True, False], "x": [np.nan, 2.5e7], "n": pd.array([1, None], dtype="Int64"),
                          "text": ["two\nlines", None]})
    assert markdown_table(frame) == ("| flag | x | n | text |\n"
                                     "|---|---|---|---|\n"
                                     "| yes |  | 1 | two lines |\n"
                                     "| no | 2.5e+07 |  |  |")


def test_markdown_table_without_rows():
    assert markdown_table(pd.DataFrame(columns=["a", "b"])) == "| a | b |\n|---|---|"


def test_p_values_keep_three_decimals_so_a_near_miss_stays_visible():
    from resilience.report.text import fmt_p

    assert fmt_p(0.052) == "0.052"  # two decimals would read 0.05
    assert fmt_p(0.0496) == "0.050"
    assert fmt_p(0.0005) == "0.001"
    assert fmt_p(0.00049) == "< 0.001"
    assert fmt_p(float("nan")) == "n/a" and fmt_p(None) == "n/a"
