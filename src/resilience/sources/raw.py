"""Obtain one catalog dataset into data/raw/<dataset>/ from the mirror or the live publisher."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path
from urllib.parse import urlsplit

from resilience.errors import DownloadError, InputError

from resilience.sources import fetch
from resilience.sources.trade_api import COMTRADE_KEY_ENV


def obtain(row: dict, dest_dir, *, mirror: str | None, optional: bool, download: dict) -> dict:
    """Mirror when given, live otherwise; returns the manifest written beside the file.

    A DataBank extract (live_method 'none') has no download endpoint: it is made interactively on
    the publisher's site, so without a mirror it is unavailable (its series come from the API rows).
    """
    if mirror is None and row["live_method"] != "none":
        check_reachable(row)
    session = None if mirror else fetch.make_session(retries=download["retries"],
                                                     backoff_factor=download["backoff_factor"])
    # A UN Comtrade subscription key is a secret: it comes from the environment, never from a config file.
    comtrade_key = None if mirror else (os.environ.get(COMTRADE_KEY_ENV) or "").strip() or None
    return fetch.acquire(row, dest_dir=dest_dir, mirror_root=mirror, optional=optional, session=session,
                         comtrade_key=comtrade_key)


def check_reachable(row: dict, resolve=socket.getaddrinfo) -> None:
    """Fail at once, before any retry loop, when the publisher's host cannot even be resolved.

    Without network (and without a mirror) every download would otherwise spend its whole backoff
    budget; and an optional dataset must not be recorded as 'unavailable' merely because this
    machine is offline, so this check applies to optional datasets too.
    """
    host = urlsplit(row["live_url"]).hostname or ""
    try:
        resolve(host, 443)
    except (socket.gaierror, UnicodeError) as exc:
        raise DownloadError(
            f"dataset {row['dataset']}: cannot reach {host} to download {row['live_url']} ({exc}). "
            f"No network? Supply a local mirror of the published files instead: "
            f"make all RAW_MIRROR=/path/to/raw-snapshots (or snakemake --config raw_mirror=/path), "
            f"with the file at <mirror>/{row['mirror_path'] or '<folder>/<published file>'} listed in that "
            f"folder's SOURCES.csv with its sha256.") from exc


def read_manifest(raw_dir) -> dict:
    path = Path(raw_dir) / fetch.MANIFEST_NAME
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def raw_file(raw_dir) -> tuple[Path | None, dict]:
    """The raw file named by the manifest (None when the dataset is unavailable), and the manifest.

    The file's bytes are checked against the sha256 its manifest recorded when it was obtained, so a
    raw file edited, truncated or swapped after download is never parsed as if it were the original.
    """
    manifest = read_manifest(raw_dir)
    if manifest["status"] != "ok":
        return None, manifest
    path = Path(raw_dir) / manifest["file"]
    _check_against_manifest(path, manifest, Path(raw_dir) / "manifest.json")
    return path, manifest


def _check_against_manifest(path: Path, manifest: dict, manifest_path: Path) -> None:
    remedy = f"delete {path.parent} and rerun to obtain the published file again"
    if not path.is_file():
        raise InputError(path, f"the raw file {manifest_path} lists is missing; {remedy}", field="file")
    expected = manifest.get("sha256")
    if not fetch.is_sha256(expected):
        # A blank or garbled hash must not switch the check off.
        raise InputError(manifest_path, f"sha256 {expected!r} for {path.name} is not 64 hex digits, so the raw "
                                        f"file cannot be checked; {remedy}", field="sha256")
    expected, actual = expected.strip().lower(), fetch.sha256_file(path)
    if actual != expected:
        raise InputError(path, f"sha256 {actual} differs from the one {manifest_path} recorded when the file "
                               f"was obtained: the raw file changed after download; {remedy}",
                         field="sha256", expected=expected)
