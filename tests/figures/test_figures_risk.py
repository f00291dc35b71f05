"""The complex-risk figure: one panel per configured series, episodes shaded, events marked, gaps said."""

from __future__ import annotations

import pandas as pd
from matplotlib.dates import date2num

from resilience.figures.common import save_figure
from resilience.figures.risk import complex_risk_figure, shaded_years

SPECS = [{"key": "gpr", "label": "GPR"}, {"key": "gepu", "label": "Global EPU"}, {"key": "wui", "label": "WUI"}]
EPISODES = [{"name": "gfc", "contraction": [2008, 2009]}, {"name": "covid", "contraction": [2019, 2020]}]
EVENTS = [{"date": "2001-09", "label": "9/11"}, {"date": "2022-02", "label": "Russia-Ukraine war"}]


def series() -> pd.DataFrame:
    dates = pd.date_range("1997-01-01", "2024-12-01", freq="MS")
    frames = [pd.DataFrame({"key": key, "date": dates, "value": range(len(dates)), "frequency": "M"})
              for key in ("gpr", "gepu")]
    return pd.concat(frames, ignore_index=True)


def gids(fig, prefix):
    return sorted(a.get_gid() for ax in fig.axes for a in ax.get_children()
                  if isinstance(a.get_gid(), str) and a.get_gid().startswith(prefix))


def test_shaded_years_are_the_phase_dummy_years():
    assert shaded_years(EPISODES) == [("gfc", 2009, 2009), ("covid", 2020, 2020)]


def test_panels_lines_episodes_events_and_a_missing_series():
    fig = complex_risk_figure(series(), SPECS, EPISODES, EVENTS, start=1997)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title(loc="left") for ax in visible] == ["GPR", "Global EPU", "WUI"]
    assert gids(fig, "line:") == ["line:gepu", "line:gpr"]
    assert gids(fig, "missing:") == ["missing:wui"]
    assert gids(fig, "episode:").count("episode:gfc") == 3 and gids(fig, "event:").count("event:2022-02") == 3
    left, right = visible[0].get_xlim()
    assert (left, right) == (date2num(pd.Timestamp("1997-01-01")), date2num(pd.Timestamp("2024-12-31")))
    line = next(a for a in visible[0].get_lines() if a.get_gid() == "line:gpr")
    assert len(line.get_xdata()) == 336


def test_same_input_same_bytes(tmp_path):
    for run in ("a", "b"):
        save_figure(complex_risk_figure(series(), SPECS, EPISODES, EVENTS, start=1997),
                    tmp_path / f"{run}.png", tmp_path / f"{run}.pdf")
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes()
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
