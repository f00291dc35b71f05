"""The pinned raw-data bundle: written from a run's raw files, served, checked, unpacked, read as a mirror."""

from __future__ import annotations

import csv
import io
import os
import tarfile
from pathlib import Path

import pytest
from http_fixtures import Reply

from resilience.config import mirror_setting
from resilience.errors import ChecksumError, ConfigError, InputError
from resilience.sources import bundle, fetch

NO_RETRY = {"retries": 0, "backoff_factor": 0.0}
WDI_CSV = b'"Country Name","Country Code"\n"Aruba","ABW"\n'
WB_JSON = b'[{"page":1,"pages":1},[{"countryiso3code":"ABW","date":"2019","value":1.5}]]'


def _obtained(raw: Path, dataset: str, file: str, data: bytes, *, mode: str, fmt: str, mirror_path=None) -> None:
    folder = raw / dataset
    folder.mkdir(parents=True)
    (folder / file).write_bytes(data)
    fetch.write_manifest(
        folder / "manifest.json",
        {
            "dataset": dataset,
            "status": "ok",
            "mode": mode,
            "file": file,
            "format": fmt,
            "url": f"https://publisher.example/{file}",
            "retrieved_at": "2026-12-07T00:00:00Z",
            "bytes": len(data),
            "sha256": fetch.sha256_file(folder / file),
            "mirror_path": mirror_path,
            "vintage_hint": "2026-11",
            "message": None,
        },
    )


@pytest.fixture
def raw_run(tmp_path) -> Path:
    """A run's data/raw: two datasets read from one mirror file, one downloaded live, one unavailable."""
    raw = tmp_path / "data" / "raw"
    _obtained(raw, "wdi_gdp", "gdp.csv", WDI_CSV, mode="mirror", fmt="wdi_csv", mirror_path="wdi/gdp.csv")
    _obtained(raw, "wdi_gdp_again", "gdp.csv", WDI_CSV, mode="mirror", fmt="wdi_csv", mirror_path="wdi/gdp.csv")
    _obtained(raw, "wb_internet", "internet.json", WB_JSON, mode="live", fmt="wb_api_json")
    (raw / "owid_missing").mkdir()
    fetch.write_manifest(
        raw / "owid_missing" / "manifest.json",
        {**dict.fromkeys(fetch.MANIFEST_KEYS), "dataset": "owid_missing", "status": "unavailable", "mode": "mirror"},
    )
    return raw


def _members(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive, "r:gz") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}


def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def test_bundle_holds_each_file_once_in_the_mirror_layout_with_listings_and_index(raw_run, tmp_path):
    mirror = tmp_path / "mirror"
    (mirror / "wdi").mkdir(parents=True)
    (mirror / "wdi" / "PROVENANCE.md").write_text("WDI bulk CSV, retrieved by hand\n")
    digest = bundle.write_bundle(raw_run, tmp_path / "out" / "b.tar.gz", mirror_root=mirror)
    members = _members(tmp_path / "out" / "b.tar.gz")
    assert sorted(members) == [
        "BUNDLE.csv",
        "wb_internet/SOURCES.csv",
        "wb_internet/internet.json",
        "wdi/PROVENANCE.md",
        "wdi/SOURCES.csv",
        "wdi/gdp.csv",
    ]
    assert members["wdi/gdp.csv"] == WDI_CSV and members["wb_internet/internet.json"] == WB_JSON
    index = {row["dataset"]: row for row in _rows(members["BUNDLE.csv"])}
    assert sorted(index) == ["wb_internet", "wdi_gdp", "wdi_gdp_again"]
    assert (index["wb_internet"]["path"], index["wb_internet"]["format"]) == (
        "wb_internet/internet.json",
        "wb_api_json",
    )
    assert index["wdi_gdp_again"]["path"] == "wdi/gdp.csv"
    listing = _rows(members["wdi/SOURCES.csv"])
    assert [(r["file"], r["bytes"], r["vintage"]) for r in listing] == [("gdp.csv", str(len(WDI_CSV)), "2026-11")]
    assert listing[0]["sha256"] == fetch.sha256_file(raw_run / "wdi_gdp" / "gdp.csv")
    assert (tmp_path / "out" / "b.tar.gz.sha256").read_text() == f"{digest}  b.tar.gz\n"
    assert digest == fetch.sha256_file(tmp_path / "out" / "b.tar.gz")


def test_bundle_bytes_do_not_depend_on_file_times(raw_run, tmp_path):
    first = bundle.write_bundle(raw_run, tmp_path / "one.tar.gz")
    os.utime(raw_run / "wdi_gdp" / "gdp.csv", (1_000_000, 1_000_000))
    assert bundle.write_bundle(raw_run, tmp_path / "two.tar.gz") == first


def test_a_raw_file_edited_after_download_is_not_bundled(raw_run, tmp_path):
    (raw_run / "wb_internet" / "internet.json").write_bytes(b"[]")
    with pytest.raises(InputError, match="internet.json.*sha256"):
        bundle.write_bundle(raw_run, tmp_path / "b.tar.gz")
    assert not (tmp_path / "b.tar.gz").exists()


def test_an_unpacked_bundle_serves_a_live_file_with_its_live_format(raw_run, tmp_path):
    bundle.write_bundle(raw_run, tmp_path / "b.tar.gz")
    unpacked = bundle.unpack(tmp_path / "b.tar.gz", tmp_path / "unpacked")
    # The catalog names no mirror file for an API dataset: the bundle's index does.
    row = {
        "dataset": "wb_internet",
        "live_url": "https://api.worldbank.org/v2/x",
        "live_format": "wb_api_json",
        "mirror_path": "",
        "mirror_format": "",
    }
    entry = fetch.acquire(row, dest_dir=tmp_path / "raw2" / "wb_internet", mirror_root=unpacked)
    assert (entry["status"], entry["format"], entry["mode"]) == ("ok", "wb_api_json", "mirror")
    assert (tmp_path / "raw2" / "wb_internet" / "internet.json").read_bytes() == WB_JSON
    mirrored = fetch.acquire(
        {**row, "dataset": "wdi_gdp", "mirror_path": "wdi/gdp.csv", "mirror_format": "wdi_csv"},
        dest_dir=tmp_path / "raw2" / "wdi_gdp",
        mirror_root=unpacked,
    )
    assert (mirrored["format"], mirrored["vintage_hint"]) == ("wdi_csv", "2026-11")


def test_ensure_bundle_downloads_checks_and_unpacks_once(raw_run, tmp_path, http_server):
    digest = bundle.write_bundle(raw_run, tmp_path / "b.tar.gz")
    http_server.route("/bundle.tar.gz", Reply(200, (tmp_path / "b.tar.gz").read_bytes()))
    setting = {"url": http_server.url("/bundle.tar.gz"), "sha256": digest.upper()}
    first = bundle.ensure_bundle(setting, tmp_path / "cache", download=NO_RETRY)
    again = bundle.ensure_bundle(setting, tmp_path / "cache", download=NO_RETRY)
    assert first == again == tmp_path / "cache" / digest
    assert http_server.hits("/bundle.tar.gz") == 1
    assert (first / "wdi" / "gdp.csv").read_bytes() == WDI_CSV


def test_a_bundle_with_another_sha256_is_refused_and_nothing_unpacked(raw_run, tmp_path, http_server):
    bundle.write_bundle(raw_run, tmp_path / "b.tar.gz")
    http_server.route("/bundle.tar.gz", Reply(200, (tmp_path / "b.tar.gz").read_bytes()))
    with pytest.raises(ChecksumError, match="not the pinned one"):
        bundle.ensure_bundle(
            {"url": http_server.url("/bundle.tar.gz"), "sha256": "0" * 64}, tmp_path / "cache", download=NO_RETRY
        )
    assert not (tmp_path / "cache" / ("0" * 64)).exists()
    assert list((tmp_path / "cache").iterdir()) == []


def test_a_local_archive_path_is_accepted(raw_run, tmp_path):
    digest = bundle.write_bundle(raw_run, tmp_path / "b.tar.gz")
    target = bundle.ensure_bundle(
        {"url": str(tmp_path / "b.tar.gz"), "sha256": digest}, tmp_path / "cache", download=NO_RETRY
    )
    assert (target / "BUNDLE.csv").is_file()


def _archive_with(tmp_path, member: tarfile.TarInfo, data: bytes = b"") -> Path:
    path = tmp_path / "evil.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        index = tarfile.TarInfo("BUNDLE.csv")
        index.size = 0
        tar.addfile(index, io.BytesIO(b""))
        member.size = len(data)
        tar.addfile(member, io.BytesIO(data))
    return path


@pytest.mark.parametrize(
    "name,kind",
    [("../escape.csv", tarfile.REGTYPE), ("/etc/x.csv", tarfile.REGTYPE), ("wdi/link.csv", tarfile.SYMTYPE)],
)
def test_members_outside_the_target_or_links_are_refused(tmp_path, name, kind):
    member = tarfile.TarInfo(name)
    member.type = kind
    member.linkname = "/etc/passwd" if kind == tarfile.SYMTYPE else ""
    with pytest.raises(InputError, match="not a plain file"):
        bundle.unpack(_archive_with(tmp_path, member, b"x" if kind == tarfile.REGTYPE else b""), tmp_path / "out")
    assert not (tmp_path / "out").exists() and not (tmp_path.parent / "escape.csv").exists()


def test_an_archive_without_index_is_not_a_bundle(tmp_path):
    path = tmp_path / "plain.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        info = tarfile.TarInfo("wdi/gdp.csv")
        info.size = len(WDI_CSV)
        tar.addfile(info, io.BytesIO(WDI_CSV))
    with pytest.raises(InputError, match="BUNDLE.csv"):
        bundle.unpack(path, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_bundle_and_mirror_together_or_an_unpinned_bundle_fail_as_config_errors():
    with pytest.raises(ConfigError, match="both set"):
        bundle.check_bundle_setting({"raw_mirror": "/m", "raw_bundle": {"url": "u", "sha256": "a" * 64}})
    with pytest.raises(ConfigError, match="raw_bundle.sha256"):
        bundle.check_bundle_setting({"raw_mirror": None, "raw_bundle": {"url": "u", "sha256": "abc"}})
    bundle.check_bundle_setting({"raw_mirror": None, "raw_bundle": {"url": "u", "sha256": "a" * 64}})
    assert mirror_setting(" null ") is None and mirror_setting({"url": "u"}) == {"url": "u"}


def test_the_command_writes_the_archive_and_prints_how_to_pin_it(raw_run, tmp_path, capsys):
    assert bundle.main(["--raw", str(raw_run), "--out", str(tmp_path / "b.tar.gz")]) == 0
    digest = fetch.sha256_file(tmp_path / "b.tar.gz")
    assert f"raw_bundle: {{url: <the deposit's file URL>, sha256: {digest}}}" in capsys.readouterr().out


def test_an_empty_run_has_nothing_to_bundle(tmp_path):
    (tmp_path / "raw").mkdir()
    with pytest.raises(InputError, match="run `make all` first"):
        bundle.write_bundle(tmp_path / "raw", tmp_path / "b.tar.gz")
    assert not (tmp_path / "b.tar.gz").exists()
