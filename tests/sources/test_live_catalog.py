"""The catalog's live rows as a user with internet meets them: a dated publisher path pins one vintage
and may vanish, so the row says so, is optional, and every series it feeds has another source first."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from resilience.catalog import read_catalog
from resilience.sources.fetch import acquire
from tests.sources.fake_transport import Canned, FakeTransport, session_with

REPO = Path(__file__).resolve().parents[2]
CATALOG = read_catalog(REPO / "config" / "sources.csv")
CONFIG = yaml.safe_load((REPO / "config" / "config.yaml").read_text(encoding="utf-8"))
# ITU's statistics/<year>/ folders and WordPress's wp-content/uploads/<yyyy>/<mm>/ folders
DATED_PATH = re.compile(r"/statistics/(19|20)\d\d/|/wp-content/uploads/(19|20)\d\d/\d\d/")


def dated_rows() -> list[str]:
    return sorted(name for name, url in CATALOG["live_url"].items() if DATED_PATH.search(url))


def test_dated_paths_are_optional_and_say_so():
    assert dated_rows() == ["itu_broadband", "itu_internet", "itu_mobile", "wui_monthly", "wui_quarterly"]
    for name in dated_rows():
        assert name in CONFIG["sources"]["optional"], name
        assert re.search(r"dated .*path", CATALOG.at[name, "title"]), name


def test_every_series_fed_by_a_dated_path_has_another_source_first():
    for key, block in CONFIG["series"].items():
        names = [source["dataset"] for source in block["sources"]]
        for position, name in enumerate(names):
            if name in dated_rows():
                assert any(n not in dated_rows() for n in names[:position]), (
                    f"series {key}: {name} has no source before it"
                )


def test_a_vanished_dated_file_is_unavailable_with_the_publishers_reply(tmp_path):
    row = CATALOG.loc["itu_internet"].to_dict()
    page = "<!DOCTYPE html><html><head><title>Page not found</title></head><body>gone</body></html>"
    transport = FakeTransport({row["live_url"]: Canned(404, page, {"Content-Type": "text/html"})})
    entry = acquire(row, dest_dir=tmp_path / "itu", optional=True, session=session_with(transport))
    assert entry["status"] == "unavailable"
    assert "HTTP 404" in entry["message"] and "an HTML page titled 'Page not found'" in entry["message"]
