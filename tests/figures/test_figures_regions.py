"""Regional figures: tercile means (hand-computed), deterministic bytes, the 'not available' figure."""
import pandas as pd
import pytest

from resilience.figures.common import save_figure
from resilience.figures.regions import coverage_figure, resistance_by_tercile, tercile_means

FRAME = pd.DataFrame({"unit": list("abcdef"), "lq": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6],
                      "index_pp": [1.0, 3.0, -1.0, -3.0, 5.0, 7.0]})


def test_tercile_means_hand_computed():
    table = tercile_means(FRAME, "lq", "index_pp")
    assert table["tercile"].tolist() == ["low", "middle", "high"]
    assert table["mean"].tolist() == [2.0, -2.0, 6.0]
    assert table["n"].tolist() == [2, 2, 2]
    assert table["se"].iloc[0] == pytest.approx(pd.Series([1.0, 3.0]).std() / 2 ** 0.5)
    assert table["exposure_min"].tolist() == [0.1, 0.3, 0.5]


def test_fewer_than_three_units_gives_empty_table():
    assert tercile_means(FRAME.iloc[:2], "lq", "index_pp").empty


def test_figures_are_byte_identical(tmp_path):
    for name in ("a", "b"):
        save_figure(resistance_by_tercile(FRAME, "lq", "index_pp", title="t"), tmp_path / f"{name}.png", tmp_path / f"{name}.pdf")
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes()
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()


def test_missing_exposure_figure_says_so():
    fig = resistance_by_tercile(FRAME, "digital_z", "index_pp", title="t", missing_note="needs isoc_r_broad_h")
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert any("digital_z: not available" in t and "isoc_r_broad_h" in t for t in texts)


def test_coverage_figure_draws_one_bar_per_series():
    cov = pd.DataFrame({"series": ["x", "y"], "regions": [3, 4], "first_year": [2008, 2000],
                        "last_year": [2015, 2014], "missing_share": [0.1, 0.5]})
    fig = coverage_figure(cov, title="c")
    bars = [p for p in fig.axes[0].patches if p.get_gid() == "bar"]
    assert sorted(b.get_width() for b in bars) == [10.0, 50.0]


def test_counts_sit_beyond_the_whisker_ends():
    # three units per tercile; the whisker reaches mean + 1.96 se, the count label starts above it
    frame = pd.DataFrame({"unit": list("abcdefghi"), "exposure": [1, 2, 3, 4, 5, 6, 7, 8, 9],
                          "outcome": [-1, -5, -9, 2, 2.5, 3, 1, 5, 9]})
    fig = resistance_by_tercile(frame, "exposure", "outcome", title="t")
    ax = fig.axes[0]
    counts = [t for t in ax.texts if t.get_text().startswith("n=")]
    table = tercile_means(frame, "exposure", "outcome")
    ends = [m + 1.96 * s if m >= 0 else m - 1.96 * s for m, s in zip(table["mean"], table["se"])]
    assert [c.xy[1] for c in counts] == pytest.approx(ends)
    assert [c.get_va() for c in counts] == ["bottom" if m >= 0 else "top" for m in table["mean"]]


def test_a_long_title_is_wrapped_not_clipped():
    frame = pd.DataFrame({"unit": list("abcdefghi"), "exposure": range(9), "outcome": range(9)})
    title = "Countries: resistance of manufacturing value added, 2008-09 financial crisis, against the world total"
    fig = resistance_by_tercile(frame, "exposure", "outcome", title=title)
    shown = fig.axes[0].get_title()
    assert shown.replace("\n", " ") == title and all(len(line) <= 60 for line in shown.splitlines())
