"""index_paths on hand-computed data; the tercile figure's artists."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from resilience.errors import ConfigError, InputError
from resilience.figures.shock_paths import (index_paths, normalise_terciles,
                                            output_index_by_tercile)

NAN = float("nan")
EPISODE = {"name": "gfc", "contraction": [2008, 2009], "recovery": [2009, 2011]}


def hand_levels() -> pd.DataFrame:
    rows = [
        # AAA: complete
        ("AAA", 2007, 80.0), ("AAA", 2008, 100.0), ("AAA", 2009, 90.0), ("AAA", 2010, 110.0),
        # BBB: 2010 row absent
        ("BBB", 2007, 50.0), ("BBB", 2008, 40.0), ("BBB", 2009, 30.0),
        # CCC: NaN at t0 -> excluded
        ("CCC", 2007, 1.0), ("CCC", 2008, NAN), ("CCC", 2009, 2.0),
        # DDD: no t0 row -> excluded
        ("DDD", 2007, 5.0), ("DDD", 2009, 6.0),
        # EEE: zero at t0 -> excluded
        ("EEE", 2008, 0.0), ("EEE", 2009, 3.0),
        # FFF: NaN inside the window, rows outside the window
        ("FFF", 2006, 10.0), ("FFF", 2008, 200.0), ("FFF", 2009, NAN), ("FFF", 2010, 250.0),
        ("FFF", 2011, 300.0),
    ]
    frame = pd.DataFrame(rows, columns=["iso3", "year", "value"])
    return frame.sample(frac=1.0, random_state=3)  # input order must not matter


def test_index_paths_exact_values():
    out = index_paths(hand_levels(), 2008, (-1, 2))
    assert list(out.columns) == ["iso3", "year", "rel_year", "value", "index"]
    assert out["iso3"].tolist() == ["AAA"] * 4 + ["BBB"] * 4 + ["FFF"] * 4
    assert out["year"].tolist() == [2007, 2008, 2009, 2010] * 3
    assert out["rel_year"].tolist() == [-1, 0, 1, 2] * 3
    expected = [80.0, 100.0, 90.0, 110.0,
                125.0, 100.0, 75.0, NAN,
                NAN, 100.0, NAN, 125.0]
    got = out["index"].tolist()
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        assert (math.isnan(g) and math.isnan(e)) or g == e


def test_index_paths_window_only_t0():
    out = index_paths(hand_levels(), 2008, (0, 0))
    assert out["iso3"].tolist() == ["AAA", "BBB", "FFF"]
    assert out["index"].tolist() == [100.0, 100.0, 100.0]


def test_index_paths_bad_inputs():
    with pytest.raises(ConfigError):
        index_paths(hand_levels(), 2008, (1, 3))
    dup = pd.concat([hand_levels(), pd.DataFrame([("AAA", 2008, 1.0)],
                                                 columns=["iso3", "year", "value"])])
    with pytest.raises(InputError, match="AAA 2008"):
        index_paths(dup, 2008)
    with pytest.raises(InputError, match="value"):
        index_paths(hand_levels().rename(columns={"value": "v"}), 2008)


def test_normalise_terciles_codes():
    t = pd.DataFrame({"iso3": ["A", "B", "C", "D", "E", "E", "F"],
                      "tercile": [1, "2", 3.0, "HIGH", " low ", "low", None]})
    s = normalise_terciles(t)
    assert s.to_dict() == {"A": "low", "B": "mid", "C": "high", "D": "high", "E": "low"}
    with pytest.raises(InputError, match="tercile"):
        normalise_terciles(pd.DataFrame({"iso3": ["A"], "tercile": [4]}))
    with pytest.raises(InputError, match="conflicting"):
        normalise_terciles(pd.DataFrame({"iso3": ["A", "A"], "tercile": [1, 2]}))


def _lines(fig: Figure, prefix: str) -> dict:
    ax = fig.axes[0]
    return {ln.get_gid().split(":", 1)[1]: ln for ln in ax.lines
            if (ln.get_gid() or "").startswith(prefix)}


def _hand_terciles():
    # AAA and BBB low, FFF high, CCC (no t0 value) mid, ZZZ not in levels
    return pd.DataFrame({"iso3": ["AAA", "BBB", "CCC", "FFF", "ZZZ"],
                         "tercile": ["low", 1, 2, "high", 3]})


def test_tercile_figure_means_and_legend():
    fig = output_index_by_tercile(hand_levels(), _hand_terciles(), EPISODE, window=(-1, 2))
    assert isinstance(fig, Figure)
    means = _lines(fig, "mean:")
    assert sorted(means) == ["high", "low"]  # mid has no unit with a t0 value
    assert _lines(fig, "median:") == {}
    low = means["low"]
    assert low.get_xdata().tolist() == [2007, 2008, 2009, 2010]
    # mean of AAA and BBB: (80+125)/2, 100, (90+75)/2, 110 (BBB missing in 2010)
    assert low.get_ydata().tolist() == [102.5, 100.0, 82.5, 110.0]
    high = means["high"].get_ydata()
    assert np.isnan(high[0]) and high[1] == 100.0 and np.isnan(high[2]) and high[3] == 125.0
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == ["Low (n=2)", "High (n=1)", "Contraction"]
    note = " ".join(t.get_text() for t in fig.texts if t.get_gid() == "note")
    assert "CCC" in note and "ZZZ" in note and "middle" in note and "missing" in note


def test_tercile_figure_median_and_shading():
    fig = output_index_by_tercile(hand_levels(), _hand_terciles(), EPISODE, window=(-1, 2),
                                  median=True)
    assert sorted(_lines(fig, "median:")) == ["high", "low"]
    assert _lines(fig, "median:")["low"].get_ydata().tolist() == [102.5, 100.0, 82.5, 110.0]
    ax = fig.axes[0]
    spans = [p for p in ax.patches if p.get_gid() == "contraction"]
    assert len(spans) == 1
    x0, x1 = spans[0].get_bbox().x0, spans[0].get_bbox().x1  # data x (axes-fraction y)
    assert (x0, x1) == (2008, 2009)
    refs = [ln for ln in ax.lines if ln.get_gid() == "reference"]
    assert len(refs) == 1 and refs[0].get_ydata()[0] == 100.0
    assert ax.get_title() == "gfc"


def test_tercile_figure_sample_data_three_terciles():
    import figures_sample_data as sample
    fig = output_index_by_tercile(sample.levels(), sample.terciles(),
                                  {**EPISODE, "label": "GFC"}, window=(-3, 5))
    means = _lines(fig, "mean:")
    assert sorted(means) == ["high", "low", "mid"]
    for line in means.values():
        assert line.get_xdata().tolist() == list(range(2005, 2014))
        assert line.get_ydata()[3] == pytest.approx(100.0)
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == ["Low (n=4)", "Middle (n=4)", "High (n=4)", "Contraction"]
    assert not [t for t in fig.texts if t.get_gid() == "note"]
    assert fig.axes[0].get_title() == "GFC"


def test_bad_episode():
    with pytest.raises(ConfigError):
        output_index_by_tercile(hand_levels(), _hand_terciles(), {"name": "x"})
