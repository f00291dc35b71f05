"""Obtain one catalog dataset into data/raw/<dataset>/ from the mirror or the live publisher."""

from __future__ import annotations

import json
from pathlib import Path

from resilience.sources import fetch


def obtain(row: dict, dest_dir, *, mirror: str | None, optional: bool, download: dict) -> dict:
    """Mirror when given, live otherwise; returns the manifest written beside the file.

    A DataBank extract (live_method 'none') has no download endpoint: it is made interactively on
    the publisher's site, so without a mirror it is unavailable (its series come from the API rows).
    """
    session = None if mirror else fetch.make_session(retries=download["retries"],
                                                     backoff_factor=download["backoff_factor"])
    return fetch.acquire(row, dest_dir=dest_dir, mirror_root=mirror, optional=optional, session=session)


def read_manifest(raw_dir) -> dict:
    path = Path(raw_dir) / fetch.MANIFEST_NAME
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)
