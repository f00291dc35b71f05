"""Figure of forward and backward GVC participation: lines drawn from the table, deterministic bytes."""

from __future__ import annotations

import pandas as pd

from resilience.context.gvc.analysis import empty_participation
from resilience.figures.common import save_figure
from resilience.figures.gvc import participation_figure


def table() -> pd.DataFrame:
    rows = []
    for iso3, base in (("CHN", 30.0), ("USA", 12.0)):
        for k, year in enumerate((2007, 2010, 2015)):
            rows.append({"iso3": iso3, "year": year, "group": "total", "backward": base - k, "forward": 10.0 + k})
    rows.append({"iso3": "CHN", "year": 2015, "group": "labour_intensive", "backward": 99.0, "forward": 99.0})
    return pd.DataFrame(rows)


def artist(fig, gid):
    found = [a for a in fig.findobj() if a.get_gid() == gid]
    assert len(found) == 1, f"{gid}: {len(found)} artists"
    return found[0]


def test_one_panel_per_economy_with_both_lines():
    fig = participation_figure(table(), ["CHN", "USA", "JPN"])
    line = artist(fig, "line:CHN:backward")
    assert list(line.get_xdata()) == [2007, 2010, 2015] and list(line.get_ydata()) == [30.0, 29.0, 28.0]
    assert list(artist(fig, "line:USA:forward").get_ydata()) == [10.0, 11.0, 12.0]
    assert not [a for a in fig.findobj() if a.get_gid() == "panel:JPN"]     # no data, no panel
    assert not [a for a in fig.findobj() if a.get_gid() == "unavailable"]


def test_without_data_the_figure_says_so():
    fig = participation_figure(empty_participation(), ["CHN"], note="oecd_tiva_shares: not in the mirror")
    assert "needs the live OECD source" in artist(fig, "unavailable").get_text()


def test_saved_bytes_do_not_change(tmp_path):
    first = [tmp_path / "a.png", tmp_path / "a.pdf"]
    second = [tmp_path / "b.png", tmp_path / "b.pdf"]
    save_figure(participation_figure(table(), ["CHN", "USA"]), *first)
    save_figure(participation_figure(table(), ["CHN", "USA"]), *second)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
