"""Figures of the digital divide and trade diversion: what is drawn, the offline fallback panel,
input checks and byte-identical saving."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from resilience.errors import InputError
from resilience.figures.common import save_figure
from resilience.figures.divide import digital_divide_figure
from resilience.figures.trade import china_share_figure, partner_ratios_figure

GROUPS = [{"code": "WLD", "label": "World"}, {"code": "LIC", "label": "Low income"}]
LABELS = {"CHN": "China", "MEX": "Mexico", "VNM": "Viet Nam", "WLD": "World (all partners)"}


def _gids(fig, prefix):
    found = []
    for ax in fig.axes:
        found += [a.get_gid() for a in ax.get_children() if isinstance(a.get_gid(), str) and a.get_gid().startswith(prefix)]
    return sorted(found)


def _divide():
    rows = [(g, y, 50.0 + y - 2015, 1e9 * (2 if g == "WLD" else 0.5)) for g in ("WLD", "LIC") for y in range(2015, 2021)]
    frame = pd.DataFrame(rows, columns=["group", "year", "internet_pct", "population"])
    frame["label"] = frame["group"].map({"WLD": "World", "LIC": "Low income"})
    frame["offline_people"] = frame["population"] * (1 - frame["internet_pct"] / 100)
    return frame


def _quarterly():
    rows = []
    for iso, r in (("CHN", 1.0), ("MEX", 0.7), ("VNM", 0.2), ("WLD", np.nan)):
        for y in (2021, 2022):
            for q in range(1, 5):
                rows.append({"source": "s", "partner": iso, "year": y, "quarter": q, "ratio_to_china": r})
    return pd.DataFrame(rows)


def _annual():
    rows = [{"source": "s", "partner": iso, "year": y, "imports_usd_bn": v, "share_of_us_imports_pct": s}
            for iso, v, s in (("CHN", 500.0, 20.0), ("MEX", 350.0, 14.0), ("WLD", 2500.0, 100.0)) for y in (2017, 2022)]
    return pd.DataFrame(rows)


def _share(available: bool):
    rows = [{"scope": "all goods", "section": "", "source": "s", "share_base_pct": 21.6, "share_latest_pct": 16.5,
             "latest_year": 2022, "status": "ok"}]
    for sec in ("XVI", "XX"):
        rows.append({"scope": "HS section", "section": sec, "source": "api" if available else "",
                     "share_base_pct": 40.0 if available else np.nan, "share_latest_pct": 25.0 if available else np.nan,
                     "latest_year": 2024 if available else np.nan,
                     "status": "ok" if available else "needs the live source (x)"})
    return pd.DataFrame(rows)


def test_divide_figure_draws_each_group_twice():
    fig = digital_divide_figure(_divide(), GROUPS, "WLD")
    assert _gids(fig, "internet:") == ["internet:LIC", "internet:WLD"]
    assert _gids(fig, "offline:") == ["offline:LIC", "offline:WLD"]
    offline = [a for a in fig.axes[1].get_lines() if a.get_gid() == "offline:WLD"][0]
    assert offline.get_ydata()[0] == pytest.approx(2 * 0.5)  # 2 bn people, 50% offline, in billions
    with pytest.raises(InputError, match="offline_people"):
        digital_divide_figure(_divide().drop(columns="offline_people"), GROUPS, "WLD")


def test_trade_figures_lines_bars_and_one_panel_offline():
    fig = partner_ratios_figure(_quarterly(), _annual(), "CHN", LABELS)
    assert _gids(fig, "ratio:") == ["ratio:MEX", "ratio:VNM"]
    assert _gids(fig, "imports:") == ["imports:CHN", "imports:MEX"]
    live = china_share_figure(_annual(), _share(True), "CHN", 2017)
    assert _gids(live, "section:") == ["section:2017"] * 2 + ["section:2024"] * 2 and _gids(live, "share:") == ["share:all"]
    assert len(live.axes) == 2
    offline = china_share_figure(_annual(), _share(False), "CHN", 2017)
    # without HS detail only the panel with data is drawn: no placeholder half
    assert len(offline.axes) == 1 and _gids(offline, "share:") == ["share:all"] and _gids(offline, "section") == []
    assert [t.get_text() for ax in offline.axes for t in ax.texts] == []
    assert offline.get_size_inches()[0] < live.get_size_inches()[0]


def test_saving_twice_is_byte_identical(tmp_path):
    for name, make in (("divide", lambda: digital_divide_figure(_divide(), GROUPS, "WLD")),
                       ("share", lambda: china_share_figure(_annual(), _share(True), "CHN", 2017))):
        save_figure(make(), tmp_path / f"{name}1.png", tmp_path / f"{name}1.pdf")
        save_figure(make(), tmp_path / f"{name}2.png", tmp_path / f"{name}2.pdf")
        for ext in ("png", "pdf"):
            assert (tmp_path / f"{name}1.{ext}").read_bytes() == (tmp_path / f"{name}2.{ext}").read_bytes()
