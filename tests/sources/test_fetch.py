"""Raw-data acquisition: retries, error pages, World Bank paging, the mirror, and atomicity.

All HTTP goes to a scripted server on 127.0.0.1 (http_fixtures.py); retries run with no backoff.
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

import pytest
import urllib3.util.retry

from http_fixtures import Reply
from resilience.errors import ChecksumError, DownloadError, InputError
from tests.real_mirror import MIRROR_DIR as REAL_MIRROR, require_mirror
from resilience.sources.fetch import (
    MANIFEST_KEYS,
    acquire,
    atomic_write,
    download,
    fetch_wb_api,
    listed_row,
    make_session,
    read_mirror_sources,
    sha256_file,
    take_from_mirror,
    write_manifest,
)

CSV = b"country,year,value\nDEU,2020,1.5\n"
CSV_SHA = hashlib.sha256(CSV).hexdigest()


def _local_session(retries: int = 3):
    session = make_session(retries=retries, backoff_factor=0)
    # Ignore HTTP(S)_PROXY from the environment: test traffic must stay on 127.0.0.1.
    session.trust_env = False
    return session


@pytest.fixture
def session():
    with _local_session() as fast_session:
        yield fast_session


def _files(folder: Path) -> list[str]:
    """Every entry, hidden temporaries included: a failure must leave none."""
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


# --- files ---------------------------------------------------------------------------------------

def test_sha256_file_matches_hashlib(tmp_path):
    path = tmp_path / "f.bin"
    path.write_bytes(CSV * 1000)
    assert sha256_file(path) == hashlib.sha256(CSV * 1000).hexdigest()


def test_atomic_write_failure_keeps_previous_content_and_no_temp(tmp_path):
    dest = tmp_path / "data.csv"
    dest.write_bytes(b"old")

    def half_then_fail(handle):
        handle.write(b"half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        atomic_write(dest, half_then_fail)
    assert dest.read_bytes() == b"old"
    assert _files(tmp_path) == ["data.csv"]


def test_write_manifest_is_deterministic(tmp_path):
    write_manifest(tmp_path / "m.json", {"b": 1, "a": None})
    assert (tmp_path / "m.json").read_text() == '{\n  "a": null,\n  "b": 1\n}\n'


# --- download: retries and errors ------------------------------------------------------------------

def test_retries_after_429_honouring_retry_after(http_server, session, tmp_path, monkeypatch):
    slept = []
    # urllib3 sleeps through time.sleep; record instead of waiting so the test stays fast.
    monkeypatch.setattr(urllib3.util.retry.time, "sleep", slept.append)
    http_server.route("/d.csv", [Reply(429, "slow down", {"Retry-After": "7"}), Reply(200, CSV)])
    entry = download(http_server.url("/d.csv"), tmp_path / "d.csv", session=session)
    assert http_server.hits("/d.csv") == 2
    assert slept == [7]
    assert (tmp_path / "d.csv").read_bytes() == CSV
    assert entry["bytes"] == len(CSV) and entry["sha256"] == CSV_SHA
    assert entry["url"] == http_server.url("/d.csv")
    assert entry["retrieved_at"].endswith("Z") and len(entry["retrieved_at"]) == 20


def test_retries_503_then_succeeds(http_server, tmp_path):
    http_server.route("/d.csv", [Reply(503), Reply(503), Reply(503), Reply(200, CSV)])
    with _local_session(retries=5) as session:
        download(http_server.url("/d.csv"), tmp_path / "d.csv", session=session)
    assert http_server.hits("/d.csv") == 4
    assert (tmp_path / "d.csv").read_bytes() == CSV


def test_exhausted_retries_raise_naming_url_and_status(http_server, session, tmp_path):
    http_server.route("/d.csv", Reply(503, "busy"))
    url = http_server.url("/d.csv")
    with pytest.raises(DownloadError) as error:
        download(url, tmp_path / "d.csv", session=session)
    assert url in str(error.value) and "HTTP 503" in str(error.value) and "3 retries" in str(error.value)
    assert http_server.hits("/d.csv") == 4  # first try + 3 retries
    assert _files(tmp_path) == []


def test_not_found_is_not_retried(http_server, session, tmp_path):
    http_server.route("/gone.csv", Reply(404))
    with pytest.raises(DownloadError, match="HTTP 404"):
        download(http_server.url("/gone.csv"), tmp_path / "d.csv", session=session)
    assert http_server.hits("/gone.csv") == 1


def test_connection_refused_fails_quickly(refused_url, session, tmp_path):
    # "Quickly" = without waiting out the connect timeout on any of the tries. With a 60 s timeout a
    # wait shows up as a minute or more, so the bound holds on a loaded machine (the suite runs beside
    # Snakemake jobs on two cores), where a tight wall-clock bound would not.
    started = time.monotonic()
    with pytest.raises(DownloadError) as error:
        download(refused_url, tmp_path / "d.csv", session=session, timeout=(60, 60))
    assert time.monotonic() - started < 30
    assert refused_url in str(error.value) and "refused" in str(error.value).lower()
    assert _files(tmp_path) == []


@pytest.mark.parametrize("reply", [
    Reply(200, "<html><head><title>Maintenance</title></head></html>", {"Content-Type": "text/html; charset=utf-8"}),
    Reply(200, "\n<!DOCTYPE html>\n<html><title>Error</title></html>", {"Content-Type": "application/vnd.ms-excel"}),
], ids=["content-type", "body-sniffed"])
def test_html_page_instead_of_data_is_rejected(http_server, session, tmp_path, reply):
    http_server.route("/d.xls", reply)
    with pytest.raises(DownloadError, match="HTML page") as error:
        download(http_server.url("/d.xls"), tmp_path / "d.xls", session=session)
    assert http_server.url("/d.xls") in str(error.value)
    assert _files(tmp_path) == []


def test_html_kept_when_html_is_expected(http_server, session, tmp_path):
    http_server.route("/page", Reply(200, "<html></html>", {"Content-Type": "text/html"}))
    download(http_server.url("/page"), tmp_path / "p.html", session=session, expect_html=True)
    assert (tmp_path / "p.html").read_bytes() == b"<html></html>"


def test_cut_off_transfer_leaves_nothing(http_server, tmp_path):
    http_server.route("/d.csv", Reply(200, CSV, content_length=len(CSV) + 500))
    with _local_session(retries=0) as session, pytest.raises(DownloadError, match="broke off"):
        download(http_server.url("/d.csv"), tmp_path / "d.csv", session=session)
    assert _files(tmp_path) == []


def test_pinned_checksum_mismatch_leaves_nothing(http_server, session, tmp_path):
    http_server.route("/d.csv", Reply(200, CSV))
    with pytest.raises(ChecksumError, match=f"expected {'0' * 64}, got {CSV_SHA}"):
        download(http_server.url("/d.csv"), tmp_path / "d.csv", session=session, expected_sha256="0" * 64)
    assert _files(tmp_path) == []


# --- World Bank API ------------------------------------------------------------------------------

WB_ROWS = [{"countryiso3code": iso, "date": "2020", "value": float(i)}
           for i, iso in enumerate(["AUT", "BEL", "CHN", "DEU", "USA"])]


def _wb_pages(query: dict[str, str]) -> Reply:
    """Paginate WB_ROWS like the API, 2 per page -> 3 pages."""
    page, per_page = int(query["page"]), int(query["per_page"])
    pages = -(-len(WB_ROWS) // per_page)
    meta = {"page": page, "pages": pages, "per_page": per_page, "total": len(WB_ROWS),
            "sourceid": "2", "lastupdated": "2026-04-08"}
    rows = WB_ROWS[(page - 1) * per_page: page * per_page]
    return Reply(200, json.dumps([meta, rows]), {"Content-Type": "application/json;charset=utf-8"})


def test_wb_api_fetches_every_page(http_server, session, tmp_path):
    path = "/v2/country/all/indicator/NV.IND.MANF.KD"
    http_server.route(path, _wb_pages)
    url = http_server.url(path) + "?date=1995:2024"
    entry = fetch_wb_api(url, tmp_path / "wb.json", session=session, per_page=2)
    saved = json.loads((tmp_path / "wb.json").read_text())
    assert entry["pages"] == 3 and len(saved) == 3
    assert [row for _, data in saved for row in data] == WB_ROWS
    assert [meta["page"] for meta, _ in saved] == [1, 2, 3]
    assert entry["url"] == url and entry["sha256"] == sha256_file(tmp_path / "wb.json")
    assert entry["vintage_hint"] == "API lastupdated 2026-04-08"
    assert [q["page"] for _, q in http_server.requests] == ["1", "2", "3"]
    assert all(q["format"] == "json" and q["per_page"] == "2" and q["date"] == "1995:2024"
               for _, q in http_server.requests)


def test_wb_api_error_payload_in_http_200(http_server, session, tmp_path):
    payload = [{"message": [{"id": "120", "key": "Invalid value",
                             "value": "The provided parameter value is not valid"}]}]
    http_server.route("/v2/country/all/indicator/BAD", Reply(200, json.dumps(payload)))
    url = http_server.url("/v2/country/all/indicator/BAD")
    with pytest.raises(DownloadError) as error:
        fetch_wb_api(url, tmp_path / "wb.json", session=session)
    assert url in str(error.value)
    assert "The provided parameter value is not valid" in str(error.value)
    assert _files(tmp_path) == []


# --- mirror ----------------------------------------------------------------------------------------

def _mirror(tmp_path: Path, sha: str = CSV_SHA, listed: bool = True) -> Path:
    """A synthetic mirror: <root>/wdi/vintage-2026/API_X.csv listed in <root>/wdi/SOURCES.csv."""
    root = tmp_path / "mirror"
    (root / "wdi" / "vintage-2026").mkdir(parents=True)
    (root / "wdi" / "vintage-2026" / "API_X.csv").write_bytes(CSV)
    row = f"vintage-2026/API_X.csv,{len(CSV)},{sha},https://example.org/API_X.csv,2026-04-08,repo@abc\n"
    (root / "wdi" / "SOURCES.csv").write_text(
        "file,bytes,sha256,publisher_url,vintage,taken_from\n" + (row if listed else ""))
    return root


def test_mirror_copy_is_verified_and_described(tmp_path):
    root = _mirror(tmp_path)
    entry = take_from_mirror(root, "wdi/vintage-2026/API_X.csv", tmp_path / "out" / "API_X.csv")
    assert (tmp_path / "out" / "API_X.csv").read_bytes() == CSV
    assert entry["url"] == "https://example.org/API_X.csv"
    assert entry["mirror_path"] == "wdi/vintage-2026/API_X.csv"
    assert entry["vintage_hint"] == "2026-04-08"
    assert entry["sha256"] == CSV_SHA and entry["bytes"] == len(CSV)


def test_mirror_checksum_mismatch_names_file_and_both_hashes(tmp_path):
    root = _mirror(tmp_path, sha="ab" * 32)
    with pytest.raises(ChecksumError) as error:
        take_from_mirror(root, "wdi/vintage-2026/API_X.csv", tmp_path / "out" / "API_X.csv")
    assert "API_X.csv" in str(error.value) and "ab" * 32 in str(error.value) and CSV_SHA in str(error.value)
    assert _files(tmp_path / "out") == []


def test_mirror_file_not_in_sources_csv_is_an_error(tmp_path):
    root = _mirror(tmp_path, listed=False)
    with pytest.raises(DownloadError, match="not listed in .*SOURCES.csv"):
        take_from_mirror(root, "wdi/vintage-2026/API_X.csv", tmp_path / "out" / "API_X.csv")
    assert _files(tmp_path / "out") == []


def test_mirror_missing_file_names_its_path(tmp_path):
    root = _mirror(tmp_path)
    with pytest.raises(DownloadError, match="wdi/API_Y.csv is not in the mirror"):
        take_from_mirror(root, "wdi/API_Y.csv", tmp_path / "out" / "API_Y.csv")


def test_missing_sources_csv_is_a_clear_error(tmp_path):
    with pytest.raises(DownloadError, match="SOURCES.csv is missing"):
        read_mirror_sources(tmp_path)


@pytest.mark.mirror
def test_real_mirror_subfolder_file_verifies(tmp_path):
    require_mirror(REAL_MIRROR / "unsd-ama" / "SOURCES.csv")
    entry = take_from_mirror(REAL_MIRROR, "unsd-ama/vintage-2025-12/Download-GDPcurrent-USD-countries.xlsx",
                             tmp_path / "x.xlsx")
    assert entry["sha256"] == "7cd48f2a282539d401bdf6c824e0f0271ff3b9c4648af43ec475da25e3828716"
    assert entry["url"].startswith("https://unstats.un.org/")


# --- acquire: one catalog row -> data/raw/<dataset>/ ------------------------------------------------

def _row(**overrides) -> dict:
    row = {"dataset": "wdi_test", "publisher": "World Bank", "title": "Test", "live_method": "http",
           "live_url": "https://example.org/API_X.csv", "live_file": "API_X.csv", "live_format": "wdi_csv",
           "mirror_path": "wdi/vintage-2026/API_X.csv", "mirror_format": "wdi_csv", "sha256": float("nan"),
           "licence": "CC BY 4.0"}
    return {**row, **overrides}


def _manifest(dest_dir: Path) -> dict:
    text = (dest_dir / "manifest.json").read_text()
    manifest = json.loads(text)
    assert set(manifest) == set(MANIFEST_KEYS)
    assert text == json.dumps(manifest, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    return manifest


def test_acquire_from_mirror_writes_file_and_manifest(tmp_path):
    dest_dir = tmp_path / "raw" / "wdi_test"
    entry = acquire(_row(), dest_dir=dest_dir, mirror_root=_mirror(tmp_path))
    assert _files(dest_dir) == ["API_X.csv", "manifest.json"]
    assert _manifest(dest_dir) == entry
    assert entry["status"] == "ok" and entry["mode"] == "mirror" and entry["format"] == "wdi_csv"
    assert entry["sha256"] == CSV_SHA and entry["message"] is None


def test_acquire_optional_missing_from_mirror_is_unavailable(tmp_path):
    dest_dir = tmp_path / "raw" / "wdi_test"
    acquire(_row(mirror_path=""), dest_dir=dest_dir, mirror_root=_mirror(tmp_path), optional=True)
    manifest = _manifest(dest_dir)
    assert _files(dest_dir) == ["manifest.json"]
    assert manifest["status"] == "unavailable" and manifest["sha256"] is None and manifest["file"] is None
    assert "no mirror_path" in manifest["message"] and "https://example.org/API_X.csv" in manifest["message"]


def test_acquire_required_missing_from_mirror_says_how_to_supply_it(tmp_path):
    dest_dir = tmp_path / "raw" / "wdi_test"
    root = _mirror(tmp_path)
    with pytest.raises(DownloadError) as error:
        acquire(_row(mirror_path="wdi/API_Y.csv"), dest_dir=dest_dir, mirror_root=root)
    message = str(error.value)
    assert "wdi_test" in message and "https://example.org/API_X.csv" in message
    assert f"{root}/wdi/API_Y.csv" in message and "SOURCES.csv" in message and "sha256" in message
    assert _files(dest_dir) == []


def test_acquire_live_http_and_wb_api(http_server, session, tmp_path):
    http_server.route("/d.csv", Reply(200, CSV, {"Last-Modified": "Wed, 08 Apr 2026 10:00:00 GMT"}))
    http_server.route("/v2/country/all/indicator/X", _wb_pages)
    csv_entry = acquire(_row(live_url=http_server.url("/d.csv"), sha256=CSV_SHA),
                        dest_dir=tmp_path / "a", session=session)
    wb_entry = acquire(_row(live_method="wb_api", live_url=http_server.url("/v2/country/all/indicator/X"),
                            live_file="X.json", live_format="wb_api_json"), dest_dir=tmp_path / "b", session=session)
    assert csv_entry == _manifest(tmp_path / "a") and wb_entry == _manifest(tmp_path / "b")
    assert (csv_entry["status"], csv_entry["mode"], csv_entry["file"]) == ("ok", "live", "API_X.csv")
    assert csv_entry["vintage_hint"] == "HTTP Last-Modified Wed, 08 Apr 2026 10:00:00 GMT"
    assert wb_entry["file"] == "X.json" and wb_entry["mirror_path"] is None
    assert len(json.loads((tmp_path / "b" / "X.json").read_text())) == 1  # 5 rows fit on one page


def test_acquire_failed_download_leaves_no_file_and_no_manifest(http_server, session, tmp_path):
    dest_dir = tmp_path / "raw" / "wdi_test"
    dest_dir.mkdir(parents=True)
    (dest_dir / "manifest.json").write_text('{"status": "ok"}')  # from an earlier run
    http_server.route("/d.csv", Reply(503))
    url = http_server.url("/d.csv")
    with pytest.raises(DownloadError) as error:
        acquire(_row(live_url=url), dest_dir=dest_dir, session=session)
    message = str(error.value)
    assert "wdi_test" in message and url in message and "HTTP 503" in message and "RAW_MIRROR" in message
    assert _files(dest_dir) == []


def test_acquire_pinned_sha256_mismatch_raises_checksum_error(http_server, session, tmp_path):
    http_server.route("/d.csv", Reply(200, CSV))
    with pytest.raises(ChecksumError, match="wdi_test"):
        acquire(_row(live_url=http_server.url("/d.csv"), sha256="0" * 64), dest_dir=tmp_path, session=session)
    assert _files(tmp_path) == []


def test_acquire_optional_live_failure_is_unavailable(refused_url, session, tmp_path):
    entry = acquire(_row(live_url=refused_url), dest_dir=tmp_path, optional=True, session=session)
    assert _files(tmp_path) == ["manifest.json"]
    assert entry == _manifest(tmp_path)
    assert entry["status"] == "unavailable" and entry["mode"] == "live"
    assert refused_url in entry["message"] and "refused" in entry["message"].lower()


def test_sources_csv_row_with_a_missing_field_names_its_line(tmp_path):
    root = _mirror(tmp_path)
    listing = root / "wdi" / "SOURCES.csv"
    listing.write_text(listing.read_text() + "vintage-2026/API_Y.csv,12,abc\n")
    with pytest.raises(InputError, match=r"SOURCES.csv.*line 3 has 3 fields.*6 like the header"):
        take_from_mirror(root, "wdi/vintage-2026/API_X.csv", tmp_path / "out" / "API_X.csv")
    assert _files(tmp_path / "out") == []


def test_sources_csv_cells_are_stripped_strings(tmp_path):
    rows = read_mirror_sources(_mirror(tmp_path) / "wdi")
    assert rows == [{"file": "vintage-2026/API_X.csv", "bytes": str(len(CSV)), "sha256": CSV_SHA,
                     "publisher_url": "https://example.org/API_X.csv", "vintage": "2026-04-08",
                     "taken_from": "repo@abc"}]


# --- a mirror listing that cannot vouch for its file ---------------------------------------------------

def _listing_row(root: Path, **cells) -> None:
    """Rewrite the one row of <root>/wdi/SOURCES.csv with ``cells`` changed."""
    row = {"file": "vintage-2026/API_X.csv", "bytes": str(len(CSV)), "sha256": CSV_SHA,
           "publisher_url": "https://example.org/API_X.csv", "vintage": "2026-04-08", "taken_from": "repo@abc"}
    row.update(cells)
    (root / "wdi" / "SOURCES.csv").write_text(",".join(row) + "\n" + ",".join(row.values()) + "\n")


@pytest.mark.parametrize("sha", ["", "   ", "abc123", "g" * 64, CSV_SHA + "0", "n/a"])
def test_mirror_row_with_blank_or_malformed_sha256_is_an_error(tmp_path, sha):
    root = _mirror(tmp_path)
    _listing_row(root, sha256=sha)
    with pytest.raises(InputError) as error:
        take_from_mirror(root, "wdi/vintage-2026/API_X.csv", tmp_path / "out" / "API_X.csv")
    message = str(error.value)
    assert f"{root}/wdi/SOURCES.csv, row 2, field 'sha256'" in message
    assert "'vintage-2026/API_X.csv'" in message and "64 hex digits" in message
    assert _files(tmp_path / "out") == []


def test_mirror_sha256_in_upper_case_is_accepted(tmp_path):
    root = _mirror(tmp_path)
    _listing_row(root, sha256=CSV_SHA.upper())
    entry = take_from_mirror(root, "wdi/vintage-2026/API_X.csv", tmp_path / "out" / "API_X.csv")
    assert entry["sha256"] == CSV_SHA


def test_mirror_file_size_differing_from_bytes_is_an_error(tmp_path):
    root = _mirror(tmp_path)
    _listing_row(root, bytes=str(len(CSV) + 1))
    with pytest.raises(ChecksumError) as error:
        take_from_mirror(root, "wdi/vintage-2026/API_X.csv", tmp_path / "out" / "API_X.csv")
    message = str(error.value)
    assert f"{root}/wdi/vintage-2026/API_X.csv: {len(CSV)} bytes" in message
    assert f"{root}/wdi/SOURCES.csv, row 2 (file 'vintage-2026/API_X.csv') lists {len(CSV) + 1}" in message
    assert _files(tmp_path / "out") == []


@pytest.mark.parametrize("size", ["", "12.0", "-3", "twelve", "\u00b2"])
def test_mirror_row_with_blank_or_malformed_bytes_is_an_error(tmp_path, size):
    root = _mirror(tmp_path)
    _listing_row(root, bytes=size)
    with pytest.raises(InputError, match=r"SOURCES.csv, row 2, field 'bytes'.*'vintage-2026/API_X.csv'"):
        take_from_mirror(root, "wdi/vintage-2026/API_X.csv", tmp_path / "out" / "API_X.csv")


def test_sources_csv_without_a_bytes_column_is_an_error(tmp_path):
    root = _mirror(tmp_path)
    (root / "wdi" / "SOURCES.csv").write_text(f"file,sha256,publisher_url,vintage\nvintage-2026/API_X.csv,{CSV_SHA},u,v\n")
    with pytest.raises(InputError, match=r"missing columns \['bytes'\]"):
        take_from_mirror(root, "wdi/vintage-2026/API_X.csv", tmp_path / "out" / "API_X.csv")


def test_sources_csv_with_a_utf8_bom_is_read(tmp_path):
    root = _mirror(tmp_path)
    listing = root / "wdi" / "SOURCES.csv"
    listing.write_bytes(b"\xef\xbb\xbf" + listing.read_bytes())  # as spreadsheet programs save CSV
    assert read_mirror_sources(root / "wdi")[0]["file"] == "vintage-2026/API_X.csv"
    entry = take_from_mirror(root, "wdi/vintage-2026/API_X.csv", tmp_path / "out" / "API_X.csv")
    assert entry["sha256"] == CSV_SHA


def test_unpinned_live_download_is_not_checked_but_a_garbled_pin_is_refused(http_server, session, tmp_path):
    http_server.route("/d.csv", Reply(200, CSV))
    assert download(http_server.url("/d.csv"), tmp_path / "a.csv", session=session)["sha256"] == CSV_SHA
    with pytest.raises(ChecksumError, match="'not-a-hash' is not 64 hex digits"):
        download(http_server.url("/d.csv"), tmp_path / "b.csv", session=session, expected_sha256="not-a-hash")
    assert _files(tmp_path) == ["a.csv"]


# --- symlinks out of the mirror ---------------------------------------------------------------------

SECRET = b"SECRET-TOKEN line that must never reach a message\n"


def test_mirror_file_symlinked_out_of_the_mirror_is_refused_without_reading_it(tmp_path):
    root = _mirror(tmp_path)
    outside = tmp_path / "elsewhere" / "secret.csv"
    outside.parent.mkdir()
    outside.write_bytes(SECRET)
    link = root / "wdi" / "vintage-2026" / "API_X.csv"
    link.unlink()
    link.symlink_to(outside)
    _listing_row(root, sha256=hashlib.sha256(SECRET).hexdigest(), bytes=str(len(SECRET)))  # even listed right
    with pytest.raises(DownloadError) as error:
        take_from_mirror(root, "wdi/vintage-2026/API_X.csv", tmp_path / "out" / "API_X.csv")
    message = str(error.value)
    assert f"resolves to {outside}, outside the mirror {root}" in message and "SECRET" not in message
    assert _files(tmp_path / "out") == []


def test_sources_csv_symlinked_out_of_the_mirror_is_refused_without_printing_it(tmp_path):
    root = _mirror(tmp_path)
    outside = tmp_path / "secret.txt"
    outside.write_bytes(SECRET * 3)  # not a listing: read as CSV it would fail naming what it holds
    (root / "wdi" / "SOURCES.csv").unlink()
    (root / "wdi" / "SOURCES.csv").symlink_to(outside)
    with pytest.raises(DownloadError) as error:
        take_from_mirror(root, "wdi/vintage-2026/API_X.csv", tmp_path / "out" / "API_X.csv")
    assert "outside the mirror" in str(error.value) and "SECRET" not in str(error.value)


def test_symlinks_inside_the_mirror_are_followed(tmp_path):
    root = _mirror(tmp_path)
    (root / "wdi" / "latest").symlink_to(root / "wdi" / "vintage-2026")
    _listing_row(root, file="latest/API_X.csv")
    entry = take_from_mirror(root, "wdi/latest/API_X.csv", tmp_path / "out" / "API_X.csv")
    assert entry["sha256"] == CSV_SHA and (tmp_path / "out" / "API_X.csv").read_bytes() == CSV


def test_a_mirror_root_reached_through_a_symlink_works(tmp_path):
    root = _mirror(tmp_path)
    (tmp_path / "via").symlink_to(root)
    entry = take_from_mirror(tmp_path / "via", "wdi/vintage-2026/API_X.csv", tmp_path / "out" / "API_X.csv")
    assert entry["sha256"] == CSV_SHA


def test_listed_row_is_what_the_download_records_and_none_when_it_cannot_be_read(tmp_path):
    root = _mirror(tmp_path)
    assert listed_row(root, "wdi/vintage-2026/API_X.csv") == {
        "file": "vintage-2026/API_X.csv", "bytes": str(len(CSV)), "sha256": CSV_SHA,
        "publisher_url": "https://example.org/API_X.csv", "vintage": "2026-04-08"}  # not taken_from
    assert listed_row(None, "wdi/vintage-2026/API_X.csv") is None
    assert listed_row(root, "") is None
    assert listed_row(root, "wdi/API_Y.csv") is None  # not listed
    assert listed_row(root, "owid/x.csv") is None  # no such folder: the download job says so
