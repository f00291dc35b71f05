"""Figures of the Chinese provinces panel: tercile means by hand, gids, coverage matrix, deterministic bytes."""

from __future__ import annotations

import pandas as pd
import pytest

from resilience.panels.china.figures import coverage_figure, coverage_matrix, resistance_terciles_figure, tercile_means
from resilience.figures.common import save_figure

UNITS = [f"CN{c}" for c in (11, 12, 13, 14, 15, 21)]


def martin() -> pd.DataFrame:
    pp = {"CN11": 1.0, "CN12": 3.0, "CN13": -2.0, "CN14": 0.0, "CN15": 5.0, "CN21": -4.0}
    rows = [("real_gdp", u, "resistance", v) for u, v in pp.items()]
    rows += [("real_gdp", u, "recovery", 2 * v) for u, v in pp.items()]
    return pd.DataFrame(rows, columns=["outcome", "unit", "phase", "index_pp"])


def exposures() -> pd.DataFrame:
    dfi = dict(zip(UNITS, [10.0, 20.0, 30.0, 40.0, 50.0, 60.0]))
    return pd.DataFrame([(u, "covid", "dfi", v) for u, v in dfi.items()] +
                        [(u, "covid", "sec_lq", 1.0 + i / 10) for i, u in enumerate(reversed(UNITS))],
                        columns=["unit", "episode", "variable", "value"])


def test_tercile_means_by_hand():
    means = tercile_means(martin(), exposures(), "real_gdp", "dfi").set_index(["tercile", "phase"])
    assert means.loc[("low", "resistance"), "mean_pp"] == pytest.approx(2.0)      # CN11, CN12
    assert means.loc[("middle", "resistance"), "mean_pp"] == pytest.approx(-1.0)  # CN13, CN14
    assert means.loc[("high", "recovery"), "mean_pp"] == pytest.approx(1.0)       # 2 x (5 - 4) / 2
    assert set(means["n"]) == {2}


def test_tercile_figure_and_coverage_are_deterministic(tmp_path):
    fig = resistance_terciles_figure(martin(), exposures(), "real_gdp", "sum of provinces")
    gids = {p.get_gid() for ax in fig.axes for p in ax.patches}
    assert {"bars:dfi:resistance", "bars:sec_lq:recovery"} <= gids
    panel = pd.DataFrame({"unit": ["CN11", "CN12", "CN", "CN11"], "year": [2019, 2019, 2019, 2020],
                          "series": ["gdp"] * 4, "value": [1.0, 2.0, 3.0, None]})
    growth = pd.DataFrame({"unit": ["CN11"], "year": [2020], "g_gdp": [1.5]})
    matrix = coverage_matrix(panel, {"start": 2019, "end": 2020}, growth=growth)
    assert matrix.loc["gdp", 2019] == pytest.approx(2 / 31) and matrix.loc["gdp", 2020] == 0
    assert matrix.loc["g_gdp", 2020] == pytest.approx(1 / 31)
    cover = coverage_figure(panel, {"start": 2019, "end": 2020}, {"gdp"}, growth)
    assert "gdp (compiled)" in [t.get_text() for t in cover.axes[0].get_yticklabels()]
    builders = {"a": lambda: resistance_terciles_figure(martin(), exposures(), "real_gdp", "sum of provinces"),
                "b": lambda: coverage_figure(panel, {"start": 2019, "end": 2020}, {"gdp"}, growth)}
    for name, build in builders.items():      # two builds, as two runs of the pipeline would make
        save_figure(build(), tmp_path / f"{name}1.png", tmp_path / f"{name}1.pdf")
        save_figure(build(), tmp_path / f"{name}2.png", tmp_path / f"{name}2.pdf")
        assert (tmp_path / f"{name}1.png").read_bytes() == (tmp_path / f"{name}2.png").read_bytes()
        assert (tmp_path / f"{name}1.pdf").read_bytes() == (tmp_path / f"{name}2.pdf").read_bytes()
