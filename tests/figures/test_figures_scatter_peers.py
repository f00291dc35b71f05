"""Resistance scatter and peer paths: points, fit line, labels, notes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

import figures_sample_data as sample
from resilience.errors import InputError
from resilience.figures.peers import base_index, peer_paths
from resilience.figures.scatter import ols_line, resistance_scatter


def _gids(ax, prefix):
    return {a.get_gid(): a for a in ax.get_children() if (a.get_gid() or "").startswith(prefix)}


def _note(fig):
    return " ".join(t.get_text() for t in fig.texts if t.get_gid() == "note")


def test_ols_line_exact():
    assert ols_line([0, 1, 2, 3], [1, 3, 5, 7]) == pytest.approx((2.0, 1.0))
    assert ols_line([1, 1], [2, 3]) is None
    assert ols_line([1], [2]) is None


def test_scatter_points_fit_labels_and_note():
    frame = pd.DataFrame({
        "iso3": ["USA", "CHN", "AAA", "JPN", "BBB", "IND"],
        "x": [0.0, 1.0, 2.0, 3.0, 4.0, 5.0],
        "y": [1.0, 3.0, 5.0, 7.0, 9.0, np.nan],   # IND has no y
    })
    fig = resistance_scatter(frame, "x", "y", title="t")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    points = _gids(ax, "points")["points"]
    assert len(points.get_offsets()) == 5
    assert sorted(points.get_offsets()[:, 0].tolist()) == [0.0, 1.0, 2.0, 3.0, 4.0]
    fit = _gids(ax, "ols-fit")["ols-fit"]
    assert fit.get_xdata().tolist() == [0.0, 4.0]
    assert fit.get_ydata().tolist() == pytest.approx([1.0, 9.0])
    labels = _gids(ax, "label:")
    assert sorted(labels) == ["label:CHN", "label:JPN", "label:USA"]
    assert labels["label:CHN"].get_text() == "CHN"
    assert labels["label:CHN"].xy == (1.0, 3.0)
    assert len(_gids(ax, "marker:")) == 3
    note = _note(fig)
    for iso in ("DEU", "KOR", "IND", "VNM", "MEX"):
        assert iso in note
    assert "1 economy" in note
    assert ax.get_title() == "t"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "Economies (n=5)", "OLS fit (slope = 2)"]


def test_scatter_all_labels_present_no_note_and_no_fit_when_degenerate():
    fig = resistance_scatter(sample.cross_section(), "digital_z", "resistance_pp",
                             label_iso3=("CHN", "USA"))
    assert sorted(_gids(fig.axes[0], "label:")) == ["label:CHN", "label:USA"]
    assert _note(fig) == ""
    flat = pd.DataFrame({"iso3": ["A", "B"], "x": [1.0, 1.0], "y": [0.0, 1.0]})
    fig = resistance_scatter(flat, "x", "y", label_iso3=())
    assert _gids(fig.axes[0], "ols-fit") == {}
    assert "OLS line not drawn" in _note(fig)


def test_scatter_bad_inputs():
    dup = pd.DataFrame({"iso3": ["A", "A"], "x": [1.0, 2.0], "y": [0.0, 1.0]})
    with pytest.raises(InputError, match="iso3"):
        resistance_scatter(dup, "x", "y")
    with pytest.raises(InputError, match="'z'"):
        resistance_scatter(dup, "x", "z")


def test_base_index_exact():
    levels = pd.DataFrame({"iso3": ["A", "A", "A", "B", "B"],
                           "year": [2006, 2007, 2008, 2006, 2008],
                           "value": [50.0, 200.0, 300.0, 1.0, 2.0]})
    out = base_index(levels, 2007)
    assert out["iso3"].tolist() == ["A", "A", "A"]
    assert out["index"].tolist() == [25.0, 100.0, 150.0]


def test_peer_paths_lines_and_highlight():
    fig = peer_paths(sample.levels(), focus="CHN", base_year=2007)
    ax = fig.axes[0]
    lines = _gids(ax, "economy:")
    expected = {"CHN", "USA", "JPN", "DEU", "KOR", "IND", "VNM", "MEX"}
    assert {g.split(":")[1] for g in lines} == expected
    focus = lines["economy:CHN"]
    assert all(focus.get_linewidth() > ln.get_linewidth()
               for g, ln in lines.items() if g != "economy:CHN")
    assert all(focus.get_zorder() > ln.get_zorder()
               for g, ln in lines.items() if g != "economy:CHN")
    for line in lines.values():
        years = line.get_xdata().tolist()
        assert years == list(range(2000, 2016))
        assert line.get_ydata()[years.index(2007)] == pytest.approx(100.0)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[0] == "CHN" and sorted(legend) == sorted(expected)
    assert _note(fig) == ""


def test_peer_paths_missing_peers_noted_focus_required():
    levels = sample.levels()
    levels = levels.loc[~levels["iso3"].isin(["VNM"])]
    levels = levels.loc[~((levels["iso3"] == "MEX") & (levels["year"] == 2007))]
    fig = peer_paths(levels, peers=("USA", "VNM", "MEX", "CHN"))
    lines = _gids(fig.axes[0], "economy:")
    assert sorted(lines) == ["economy:CHN", "economy:USA"]
    note = _note(fig)
    assert "not in the data: VNM" in note and "2007 value (not shown): MEX" in note
    with pytest.raises(InputError, match="focus economy XXX"):
        peer_paths(levels, focus="XXX")


def test_labels_of_nearby_points_do_not_overlap():
    # CHN and VNM almost on top of each other (the "CVNM" clash): each label goes where no other one is
    frame = pd.DataFrame({"iso3": ["CHN", "VNM", "USA", "AAA", "BBB"], "x": [1.0, 1.01, -1.0, 0.0, 0.5],
                          "y": [19.0, 19.1, -3.0, 0.0, 2.0]})
    fig = resistance_scatter(frame, x="x", y="y", label_iso3=["CHN", "VNM", "USA"])
    ax = fig.axes[0]
    renderer = fig.canvas.get_renderer()
    labels = {t.get_gid(): t.get_window_extent(renderer) for t in ax.texts if str(t.get_gid()).startswith("label:")}
    assert sorted(labels) == ["label:CHN", "label:USA", "label:VNM"]
    assert not labels["label:CHN"].overlaps(labels["label:VNM"])
