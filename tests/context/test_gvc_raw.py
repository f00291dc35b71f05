"""GVC participation from the raw layer: the synthetic TiVA mirror through the download layer, and a
mirror without OECD data (the real mirror's case: both datasets unavailable, empty table, says so)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import yaml

from resilience.catalog import read_catalog
from resilience.context.gvc.analysis import NEEDS_LIVE, PARTICIPATION_COLUMNS, participation_from_raw, section
from resilience.sources.fetch import acquire
from tests.e2e.synthetic_gvc import (
    ACTIVITIES, ECONOMIES, backward_share, exports, forward_share, total_exports, write_gvc_mirror,
)

REPO = Path(__file__).resolve().parents[2]
GVC = yaml.safe_load((REPO / "config" / "config.yaml").read_text(encoding="utf-8"))["gvc"]
CATALOG = read_catalog(REPO / "config" / "sources.csv")


def obtain(mirror, tmp_path) -> dict[str, str]:
    dirs = {}
    for role, dataset in GVC["datasets"].items():
        dest = tmp_path / "raw" / dataset
        acquire(CATALOG.loc[dataset].to_dict(), dest_dir=dest, mirror_root=mirror, optional=True)
        dirs[role] = str(dest)
    return dirs


def group_by_loop(iso3: str, year: int, group: str) -> tuple[float, float]:
    """The group's shares straight from the generating process (a second implementation)."""
    c = ECONOMIES.index(iso3)
    fva = fwd = gross = 0.0
    for code in GVC["groups"][group]["activities"]:
        a = ACTIVITIES.index(code)
        e = exports(c, a, year)
        gross += e
        fva += backward_share(c, a, year) / 100 * e
        fwd += forward_share(c, a, year) / 100 * total_exports(c, year)
    return 100 * fva / gross, 100 * fwd / gross


def test_synthetic_tiva_mirror_end_to_end(tmp_path):
    mirror = tmp_path / "mirror"
    write_gvc_mirror(mirror)
    table, status = participation_from_raw(obtain(mirror, tmp_path), GVC)
    assert status["status"].tolist() == ["ok", "ok"]
    assert list(table.columns) == PARTICIPATION_COLUMNS
    assert sorted(set(table["iso3"])) == sorted(GVC["countries"])
    row = table[(table["iso3"] == "KOR") & (table["year"] == 2015) & (table["group"] == "total")].iloc[0]
    c = ECONOMIES.index("KOR")
    assert row["backward"] == pytest.approx(backward_share(c, None, 2015))
    assert row["forward"] == pytest.approx(forward_share(c, None, 2015))
    for group in GVC["groups"]:
        hit = table[(table["iso3"] == "DEU") & (table["year"] == 2010) & (table["group"] == group)].iloc[0]
        assert (hit["backward"], hit["forward"]) == pytest.approx(group_by_loop("DEU", 2010, group), rel=1e-9)
    # Planted: India's C21 forward share is empty in 2022, so its technology-intensive group is too.
    india = table[(table["iso3"] == "IND") & (table["year"] == 2022)].set_index("group")
    assert math.isnan(india.at["technology_intensive", "forward"])
    assert not math.isnan(india.at["labour_intensive", "forward"])


def test_mirror_without_oecd_data(tmp_path):
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    table, status = participation_from_raw(obtain(mirror, tmp_path), GVC)
    assert table.empty and list(table.columns) == PARTICIPATION_COLUMNS
    assert status["status"].tolist() == ["unavailable", "unavailable"]
    assert status["message"].str.contains("oecd-tiva/tiva_mainlv.csv is not in the mirror").any()
    assert status["message"].str.contains("sdmx.oecd.org/sti-public/rest/data").all()
    text = section(table, status, GVC, table_path="t.csv", status_path="s.csv", figure="f.png")
    assert NEEDS_LIVE in text and "oecd-tiva/tiva_mainsh.csv is not in the mirror" in text


def _live_tiva(tmp_path, rename: dict[str, str]) -> dict[str, str]:
    """Both TiVA downloads obtained live through a fake transport, with measure codes renamed as a
    newer TiVA edition might (the synthetic mirror's files are the replies)."""
    from tests.sources.fake_transport import Canned, FakeTransport, session_with

    mirror = tmp_path / "mirror"
    write_gvc_mirror(mirror)
    routes = {}
    for dataset, name in (("oecd_tiva_shares", "tiva_mainsh.csv"), ("oecd_tiva_exports", "tiva_mainlv.csv")):
        text = (mirror / "oecd-tiva" / name).read_text(encoding="utf-8")
        for old, new in rename.items():
            text = text.replace(f",{old},", f",{new},")
        routes[CATALOG.at[dataset, "live_url"]] = Canned(200, text.encode("utf-8"), {"Content-Type": "text/csv"})
    session, dirs = session_with(FakeTransport(routes)), {}
    for role, dataset in GVC["datasets"].items():
        dest = tmp_path / "raw" / dataset
        acquire(CATALOG.loc[dataset].to_dict(), dest_dir=dest, optional=True, session=session)
        dirs[role] = str(dest)
    return dirs


def test_a_renamed_tiva_measure_marks_the_dataset_unavailable_with_the_codes_found(tmp_path):
    dirs = _live_tiva(tmp_path, {"EXGR_DVAFX": "FEXGR_DVA"})
    table, status = participation_from_raw(dirs, GVC)
    assert table.empty and list(table.columns) == PARTICIPATION_COLUMNS
    status = status.set_index("dataset")
    assert status.at["oecd_tiva_shares", "status"] == "unavailable"
    assert status.at["oecd_tiva_exports", "status"] == "ok"
    message = status.at["oecd_tiva_shares", "message"]
    assert "no measure EXGR_DVAFX (gvc.measures.forward)" in message
    assert "are EXGR_FVA, FEXGR_DVA" in message
    text = section(table, status.reset_index(), GVC, table_path="t.csv", status_path="s.csv", figure="f.png")
    assert "could not be used as downloaded" in text and "FEXGR_DVA" in text and NEEDS_LIVE not in text


def test_the_live_tiva_downloads_as_configured_give_the_table(tmp_path):
    table, status = participation_from_raw(_live_tiva(tmp_path, {}), GVC)
    assert status["status"].tolist() == ["ok", "ok"] and status["mode"].tolist() == ["live", "live"]
    assert not table.empty
