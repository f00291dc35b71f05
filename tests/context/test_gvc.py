"""GVC participation from TiVA rows and from an ICIO system: totals, manufacturing groups, the section."""

from __future__ import annotations

import copy
import math

import pandas as pd
import pytest

from resilience.context.gvc.analysis import (
    NEEDS_LIVE, PARTICIPATION_COLUMNS, check_settings, empty_participation, icio_levels, participation, section,
    status_table, tiva_levels,
)
from resilience.context.gvc.kww import industry_participation
from resilience.errors import ConfigError, InputError
from resilience.sources.parsers.oecd import parse_sdmx_csv
from tests.context.test_gvc_kww import toy_system
from tests.sources.synthetic_oecd import LEVELS_FLOW, observation, write_sdmx_csv

GVC = {
    "countries": ["CHN", "USA"],
    "start_year": 2007,
    "datasets": {"shares": "oecd_tiva_shares", "exports": "oecd_tiva_exports"},
    "measures": {"backward": "EXGR_FVA", "forward": "EXGR_DVAFX", "gross_exports": "EXGR"},
    "counterpart": "W",
    "total_activity": "_T",
    "forward_base": "total_exports",
    "groups": {"labour_intensive": {"label": "Labour-intensive", "activities": ["C10T12", "C13T15"]},
               "technology_intensive": {"label": "Technology-intensive", "activities": ["C26", "C27"]}},
}
# CHN 2010, US$ million: exports _T 1000, C10T12 100, C13T15 300, C26 400, C27 100;
# EXGR_FVA (% of the activity's exports): 30, 10, 20, 50, 40;
# EXGR_DVAFX (% of total exports, by activity of origin): 15, 1, 2, 3, 4.
EXPORTS = {"_T": 1000, "C10T12": 100, "C13T15": 300, "C26": 400, "C27": 100}
BACKWARD = {"_T": 30.0, "C10T12": 10.0, "C13T15": 20.0, "C26": 50.0, "C27": 40.0}
FORWARD = {"_T": 15.0, "C10T12": 1.0, "C13T15": 2.0, "C26": 3.0, "C27": 4.0}


def tiva_files(tmp_path):
    shares, levels = [], []
    for year in (2006, 2010, 2011):
        for activity, value in EXPORTS.items():
            levels.append(observation("EXGR", "CHN", activity, year, value, unit="USD_EXC", mult="6"))
            shares.append(observation("EXGR_FVA", "CHN", activity, year, BACKWARD[activity]))
            if not (year == 2011 and activity == "C27"):       # 2011: C27's forward share not published
                shares.append(observation("EXGR_DVAFX", "CHN", activity, year, FORWARD[activity]))
            else:
                shares.append(observation("EXGR_DVAFX", "CHN", activity, year, None, status="M"))
    # An economy that is not configured, and a partner other than the world: both must be ignored.
    levels.append(observation("EXGR", "MEX", "_T", 2010, 500, unit="USD_EXC", mult="6"))
    shares.append(observation("EXGR_FVA", "MEX", "_T", 2010, 45.0))
    shares.append(observation("EXGR_DVAFX", "MEX", "_T", 2010, 5.0))
    shares.append(observation("EXGR_FVA", "CHN", "_T", 2010, 99.0, counterpart="USA"))
    s = parse_sdmx_csv(write_sdmx_csv(tmp_path / "shares.csv", shares)).table
    e = parse_sdmx_csv(write_sdmx_csv(tmp_path / "exports.csv", levels, flow=LEVELS_FLOW)).table
    return s, e


def value(table, group, year, column, iso3="CHN"):
    rows = table[(table["iso3"] == iso3) & (table["group"] == group) & (table["year"] == year)]
    assert len(rows) == 1, f"{iso3} {group} {year}: {len(rows)} rows"
    return rows.iloc[0][column]


def test_total_and_groups_by_hand(tmp_path):
    shares, exports = tiva_files(tmp_path)
    table = participation(tiva_levels(shares, exports, GVC), GVC, source="OECD TiVA")
    assert list(table.columns) == PARTICIPATION_COLUMNS
    assert set(table["iso3"]) == {"CHN"} and sorted(set(table["year"])) == [2010, 2011]   # 2006 < start year
    # Whole economy: TiVA's own _T shares.
    assert value(table, "total", 2010, "backward") == pytest.approx(30.0)
    assert value(table, "total", 2010, "forward") == pytest.approx(15.0)
    assert value(table, "total", 2010, "participation") == pytest.approx(45.0)
    assert value(table, "total", 2010, "gross_exports") == pytest.approx(1000.0)
    # Labour-intensive: FVA 10 % of 100 + 20 % of 300 = 70 over exports 400 = 17.5 %
    # (= export-weighted mean (100*10 + 300*20)/400); forward (1 % + 2 %) of total exports 1000 = 30
    # over the group's exports 400 = 7.5 %.
    assert value(table, "labour_intensive", 2010, "backward") == pytest.approx(17.5)
    assert value(table, "labour_intensive", 2010, "forward") == pytest.approx(7.5)
    assert value(table, "labour_intensive", 2010, "activities") == "C10T12+C13T15"
    # Technology-intensive: (200 + 40) / 500 = 48 %; forward (3 % + 4 %) * 1000 / 500 = 14 %.
    assert value(table, "technology_intensive", 2010, "backward") == pytest.approx(48.0)
    assert value(table, "technology_intensive", 2010, "forward") == pytest.approx(14.0)
    # 2011: C27's forward share is missing, so the group is not computed from C26 alone.
    assert math.isnan(value(table, "technology_intensive", 2011, "forward"))
    assert math.isnan(value(table, "technology_intensive", 2011, "backward"))
    assert value(table, "labour_intensive", 2011, "backward") == pytest.approx(17.5)
    assert table["group"].tolist()[:2] == ["total", "total"]


def test_forward_per_unit_of_the_industrys_own_exports(tmp_path):
    shares, exports = tiva_files(tmp_path)
    settings = {**GVC, "forward_base": "industry_exports"}
    table = participation(tiva_levels(shares, exports, settings), settings, source="OECD TiVA")
    # (1 % of 100 + 2 % of 300) / 400 = 7 / 400 = 1.75 %; the total is unchanged (15 %).
    assert value(table, "labour_intensive", 2010, "forward") == pytest.approx(1.75)
    assert value(table, "total", 2010, "forward") == pytest.approx(15.0)


def test_measure_missing_from_download(tmp_path):
    shares, exports = tiva_files(tmp_path)
    with pytest.raises(InputError, match=r"TiVA shares, field 'MEASURE': has no EXGR_DVAFX rows with counterpart W"):
        tiva_levels(shares[shares["MEASURE"] != "EXGR_DVAFX"], exports, GVC)


def test_icio_path_gives_the_same_layout():
    levels = icio_levels(industry_participation(toy_system()), 2015)
    settings = {**GVC, "countries": ["C1", "C2", "C3"],
                "groups": {"first": {"label": "First", "activities": ["s1"]}}}
    table = participation(levels, settings, source="ICIO (KWW)")
    # C2: foreign content 10 of exports 50 = 20 %; DVA in partners' exports 20 / 50 = 40 %.
    assert value(table, "total", 2015, "backward", "C2") == pytest.approx(20.0)
    assert value(table, "total", 2015, "forward", "C2") == pytest.approx(40.0)
    # C1's industry s1: exports 22, forward 15 -> 68.18 %; C1 total: 15 / 27.
    assert value(table, "first", 2015, "forward", "C1") == pytest.approx(100 * 15 / 22)
    assert value(table, "total", 2015, "forward", "C1") == pytest.approx(100 * 15 / 27)
    # C3's s1 exports 50 with foreign content 25 -> 50 %; its s2 exports nothing, so s1 is the total too.
    assert value(table, "first", 2015, "backward", "C3") == pytest.approx(50.0)
    assert value(table, "total", 2015, "backward", "C3") == pytest.approx(50.0)


def test_settings_cross_checks():
    check_settings(GVC, {"oecd_tiva_shares", "oecd_tiva_exports"})
    with pytest.raises(ConfigError, match=r"gvc.datasets.exports: unknown dataset 'oecd_tiva_exports'"):
        check_settings(GVC, {"oecd_tiva_shares"})
    overlapping = copy.deepcopy(GVC)
    overlapping["groups"]["technology_intensive"]["activities"].append("C13T15")
    with pytest.raises(ConfigError, match=r"activity C13T15 is already in group labour_intensive"):
        check_settings(overlapping, {"oecd_tiva_shares", "oecd_tiva_exports"})


UNAVAILABLE = {"oecd_tiva_exports": {"status": "unavailable", "mode": "mirror",
                                     "message": "oecd-tiva/tiva_mainlv.csv is not in the mirror"},
               "oecd_tiva_shares": {"status": "unavailable", "mode": "mirror",
                                    "message": "oecd-tiva/tiva_mainsh.csv is not in the mirror"}}


def test_section_when_the_source_is_unavailable():
    status = status_table(UNAVAILABLE)
    assert status["dataset"].tolist() == ["oecd_tiva_exports", "oecd_tiva_shares"]
    text = section(empty_participation(), status, GVC, table_path="results/tables/gvc_participation.csv",
                   status_path="results/tables/gvc_status.csv", figure="figures/gvc_participation.png")
    assert text.startswith("## Value-chain position")
    assert NEEDS_LIVE in text and "oecd-tiva/tiva_mainsh.csv is not in the mirror" in text
    assert "![" not in text          # no figure without data: a sentence says it is not drawn
    assert "Not drawn: the figure of forward and backward participation by economy" in text


def test_section_from_a_hand_made_table():
    rows = [("CHN", 2007, "total", 35.0, 15.0), ("CHN", 2022, "total", 17.2, 18.4),
            ("USA", 2007, "total", 13.0, 20.0), ("USA", 2022, "total", 10.0, 21.0),
            ("CHN", 2022, "labour_intensive", 10.0, 5.0), ("CHN", 2022, "technology_intensive", 30.0, 12.5)]
    table = pd.DataFrame([{"iso3": i, "year": y, "group": g, "backward": b, "forward": f, "participation": b + f,
                           "gross_exports": 1.0, "activities": "", "source": "OECD TiVA"} for i, y, g, b, f in rows])
    status = status_table({"oecd_tiva_shares": {"status": "ok", "mode": "live", "file": "tiva_mainsh.csv"},
                           "oecd_tiva_exports": {"status": "ok", "mode": "live", "file": "tiva_mainlv.csv"}})
    text = section(table, status, GVC, table_path="results/tables/gvc_participation.csv",
                   status_path="results/tables/gvc_status.csv", figure="figures/gvc_participation.png")
    assert "| CHN | 2007-2022 | 17.2 | 18.4 | -17.8 | 3.4 |" in text
    assert "| USA | 2007-2022 | 10.0 | 21.0 | -3.0 | 1.0 |" in text
    assert "![Forward and backward GVC participation by economy](figures/gvc_participation.png)" in text
    assert "| CHN | 2022 | 10.0 / 5.0 | 30.0 / 12.5 |" in text
    assert NEEDS_LIVE not in text and "not available" not in text and "Not drawn" not in text
