"""Synthetic OECD TiVA downloads for the end-to-end runs, in the mirror layout the catalog expects.

``write_gvc_mirror(root)`` writes ``<root>/oecd-tiva/tiva_mainsh.csv`` (shares: EXGR_FVA and
EXGR_DVAFX, % of gross exports) and ``<root>/oecd-tiva/tiva_mainlv.csv`` (EXGR, US$ million, UNIT_MULT
6), both as the OECD Data Explorer's "with labels" SDMX-CSV (``format=csvfilewithlabels``), plus the
folder's ``SOURCES.csv`` with the real size and sha256 of what was written. The real mirror has no
``oecd-tiva/`` folder, so there both datasets come out unavailable.

Values follow a deterministic process (see :func:`exports`, :func:`backward_share`,
:func:`forward_share`) for every configured economy, 2007-2022 and every activity the catalog asks
for. Planted: India's forward share for C21 in 2022 is published empty (OBS_STATUS M), so India's
technology-intensive group must be empty in 2022 while its other groups are computed.
"""

from __future__ import annotations

import csv
import hashlib
import io
import sys
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "sources"))

import synthetic_oecd  # noqa: E402  (tests/sources/synthetic_oecd.py)

FOLDER = "oecd-tiva"
FILES = {"oecd_tiva_shares": "tiva_mainsh.csv", "oecd_tiva_exports": "tiva_mainlv.csv"}
ECONOMIES = ["CHN", "USA", "JPN", "DEU", "KOR", "IND"]
YEARS = list(range(2007, 2023))
ACTIVITIES = ["C10T12", "C13T15", "C16", "C17_18", "C19", "C20", "C21", "C22", "C23", "C24", "C25", "C26", "C27",
              "C28", "C29", "C30", "C31T33"]
TOTAL = "_T"
MISSING = ("EXGR_DVAFX", "IND", "C21", 2022)
SOURCES_COLUMNS = ["file", "bytes", "sha256", "published_name", "publisher_url", "vintage", "taken_from", "covers"]


def exports(c: int, a: int, year: int) -> float:
    """Gross exports, US$ million; the total adds non-manufacturing exports worth half the manufacturing."""
    return round((200.0 + 40.0 * c) * (1.0 + 0.1 * a) * 1.04 ** (year - 2007), 3)


def total_exports(c: int, year: int) -> float:
    return round(1.5 * sum(exports(c, a, year) for a in range(len(ACTIVITIES))), 3)


def backward_share(c: int, a: int | None, year: int) -> float:
    """EXGR_FVA, % of the activity's exports (a None: the total)."""
    base = 10.0 + 3.0 * c + (1.5 * a if a is not None else 8.0)
    return round(base - 0.2 * (year - 2007), 3)


def forward_share(c: int, a: int | None, year: int) -> float:
    """EXGR_DVAFX, % of total gross exports by activity of origin (a None: the total)."""
    if a is None:
        return round(12.0 + c + 0.15 * (year - 2007), 3)
    return round(0.2 + 0.01 * a + 0.05 * c + 0.005 * (year - 2007), 3)


def _observations() -> tuple[list[dict], list[dict]]:
    shares, levels = [], []
    activities = [(None, TOTAL)] + list(enumerate(ACTIVITIES))
    for c, iso3 in enumerate(ECONOMIES):
        for year in YEARS:
            for a, code in activities:
                level = total_exports(c, year) if a is None else exports(c, a, year)
                levels.append(synthetic_oecd.observation("EXGR", iso3, code, year, level, unit="USD_EXC", mult="6",
                                                         decimals="3"))
                shares.append(synthetic_oecd.observation("EXGR_FVA", iso3, code, year, backward_share(c, a, year),
                                                         decimals="3"))
                if ("EXGR_DVAFX", iso3, code, year) == MISSING:
                    shares.append(synthetic_oecd.observation("EXGR_DVAFX", iso3, code, year, None, status="M"))
                else:
                    shares.append(synthetic_oecd.observation("EXGR_DVAFX", iso3, code, year,
                                                             forward_share(c, a, year), decimals="3"))
    return shares, levels


def write_gvc_mirror(root: Path) -> None:
    folder = Path(root) / FOLDER
    shares, levels = _observations()
    synthetic_oecd.write_sdmx_csv(folder / FILES["oecd_tiva_shares"], shares, flow=synthetic_oecd.SHARES_FLOW)
    synthetic_oecd.write_sdmx_csv(folder / FILES["oecd_tiva_exports"], levels, flow=synthetic_oecd.LEVELS_FLOW)
    catalog = pd.read_csv(REPO / "config" / "sources.csv", dtype=str, keep_default_na=False).set_index("dataset")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=SOURCES_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for dataset, name in sorted(FILES.items()):
        path = folder / name
        writer.writerow({"file": name, "bytes": path.stat().st_size,
                         "sha256": hashlib.sha256(path.read_bytes()).hexdigest(), "published_name": name,
                         "publisher_url": catalog.at[dataset, "live_url"], "vintage": "synthetic TiVA download",
                         "taken_from": "tests/e2e/synthetic_gvc.py (synthetic)",
                         "covers": f"{', '.join(ECONOMIES)}; {YEARS[0]}-{YEARS[-1]}; _T and 17 manufacturing activities"})
    (folder / "SOURCES.csv").write_text(out.getvalue(), encoding="utf-8")


__all__ = ["write_gvc_mirror", "exports", "total_exports", "backward_share", "forward_share", "ECONOMIES",
           "ACTIVITIES", "YEARS", "MISSING"]
