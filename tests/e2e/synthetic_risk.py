"""Synthetic GPR, EPU and WUI files for the end-to-end runs, in the mirror layout the catalog expects.

``write_risk_mirror(root)`` writes, with the writers of ``tests/sources/synthetic_risk_files.py``
(the publishers' exact layouts), every risk-index file of the catalog:

- ``<root>/gpr/data_gpr_export.xls`` (monthly 1900-01..2024-12; GPR empty before 1985; GPRC/GPRHC
  for ``GPR_COUNTRIES``) and ``<root>/gpr/data_gpr_daily_recent.xls`` (daily, 2019-2022);
- ``<root>/epu/`` the global (1997-01..2023-11), US (1985-01..2024-12, newest first) and China
  (1995-01..2020-07) EPU workbooks, ``WUI_Data.xlsx`` (1990q1..2024q4, aggregates and the country
  WUI of ``WUI_COUNTRIES``) and ``WUI_M_dataset_2026_05.xlsx`` (2008-01..2024-12);

plus each folder's ``SOURCES.csv`` (the real file's columns) with the size and sha256 of what was
written. Values are deterministic (see :func:`level`); the country sets cover the economies of
``tests/e2e/synthetic_mirror.py`` so the risk model has a sample there.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import sys
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "sources"))

import synthetic_risk_files as files  # noqa: E402  (tests/sources/synthetic_risk_files.py)

SOURCES_COLUMNS = ["file", "bytes", "sha256", "publisher", "publisher_url", "vintage", "taken_from", "covers"]
TAKEN_FROM = "synthetic: tests/e2e/synthetic_risk.py (made-up values, published layout)"
WUI_COUNTRIES = ["AUS", "BRA", "CAN", "CHN", "DEU", "ESP", "FRA", "GBR", "IDN", "IND", "ITA", "JPN", "KOR", "MEX",
                 "MYS", "NLD", "PHL", "POL", "SWE", "THA", "TUR", "USA", "VNM", "ZAF", "ARG"]
GPR_COUNTRIES = ["BRA", "CHN", "DEU", "FRA", "GBR", "IND", "JPN", "KOR", "MEX", "USA", "VNM"]


def level(k: int, t: int) -> float:
    """A made-up index level, positive, with a deterministic wiggle: series k at period number t."""
    return round(100.0 + 20.0 * math.sin(0.37 * t + k) + 0.05 * t + 3.0 * (k % 5), 4)


def _gpr_monthly(path: Path) -> None:
    month_list = files.months((1900, 1), (2024, 12))
    recent = [d for d in month_list if d.year >= 1985]
    global_values = {name: {d: level(k, t) for t, d in enumerate(month_list)
                            if name.startswith("GPRH") or d.year >= 1985}
                     for k, name in enumerate(("GPR", "GPRT", "GPRA", "GPRH", "GPRHT", "GPRHA"))}
    countries = {}
    for k, iso3 in enumerate(GPR_COUNTRIES):
        countries[("GPRC", iso3)] = {d: round(level(k + 7, t) / 100, 5) for t, d in enumerate(recent)}
        countries[("GPRHC", iso3)] = {d: round(level(k + 9, t) / 100, 5) for t, d in enumerate(month_list)}
    files.write_gpr_monthly_xls(path, month_list, global_values, countries)


def _gpr_daily(path: Path) -> None:
    first = date(2019, 1, 1).toordinal()
    days = {date.fromordinal(first + t): {"GPRD": level(1, t), "GPRD_ACT": level(2, t), "GPRD_THREAT": level(3, t),
                                          "GPRD_MA7": level(4, t), "GPRD_MA30": level(5, t)}
            for t in range(date(2022, 12, 31).toordinal() - first + 1)}
    files.write_gpr_daily_xls(path, days, {date(2022, 2, 24): "Russia invades Ukraine"})


def _epu(folder: Path) -> dict[str, Path]:
    paths = {"Global_Policy_Uncertainty_Data.xlsx": folder / "Global_Policy_Uncertainty_Data.xlsx",
             "US_Policy_Uncertainty_Data.xlsx": folder / "US_Policy_Uncertainty_Data.xlsx",
             "SCMP_China_Policy_Uncertainty_Data.xlsx": folder / "SCMP_China_Policy_Uncertainty_Data.xlsx"}
    gepu = files.months((1997, 1), (2023, 11))
    files.write_epu_global_xlsx(paths["Global_Policy_Uncertainty_Data.xlsx"],
                                [(d.year, d.month, level(11, t), level(12, t)) for t, d in enumerate(gepu)])
    us = files.months((1985, 1), (2024, 12))
    files.write_epu_us_xlsx(paths["US_Policy_Uncertainty_Data.xlsx"],
                            [(d.year, d.month, level(13, t)) for t, d in enumerate(us)],
                            legacy=[(d.year, d.month, level(14, t), level(13, t), 100.0, 100.0, 10.0)
                                    for t, d in enumerate(us)])
    china = files.months((1995, 1), (2020, 7))
    files.write_epu_china_xlsx(paths["SCMP_China_Policy_Uncertainty_Data.xlsx"],
                               [(d.year, d.month, level(15, t)) for t, d in enumerate(china)])
    return paths


def _wui(folder: Path) -> dict[str, Path]:
    periods = files.quarters(1990, (2024, 4))
    aggregates = {name: {p: level(20 + k, t) * 100 for t, p in enumerate(periods)}
                  for k, name in enumerate(files.WUI_T1_HEADER[1:])}
    countries = {iso3: {p: round(level(30 + k, t) / 500, 6) for t, p in enumerate(periods)}
                 for k, iso3 in enumerate(WUI_COUNTRIES)}
    quarterly = files.write_wui_quarterly_xlsx(folder / "WUI_Data.xlsx", aggregates, countries, periods)
    month_list = files.months((2008, 1), (2024, 12))
    monthly_countries = {iso3: {d: round(level(40 + k, t) / 500, 6) for t, d in enumerate(month_list)}
                         for k, iso3 in enumerate(WUI_COUNTRIES[:10])}
    monthly = files.write_wui_monthly_xlsx(folder / "WUI_M_dataset_2026_05.xlsx", monthly_countries,
                                           {d: level(50, t) * 200 for t, d in enumerate(month_list)}, month_list)
    return {"WUI_Data.xlsx": quarterly, "WUI_M_dataset_2026_05.xlsx": monthly}


def _sources_csv(folder: Path, rows: list[dict]) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=SOURCES_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        path = folder / row["file"]
        writer.writerow({**row, "bytes": path.stat().st_size, "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                         "taken_from": TAKEN_FROM})
    (folder / "SOURCES.csv").write_text(out.getvalue(), encoding="utf-8")


def write_risk_mirror(root: Path) -> None:
    """Write the synthetic ``gpr/`` and ``epu/`` mirror folders under ``root``."""
    gpr, epu = Path(root) / "gpr", Path(root) / "epu"
    gpr.mkdir(parents=True, exist_ok=True)
    epu.mkdir(parents=True, exist_ok=True)
    _gpr_monthly(gpr / "data_gpr_export.xls")
    _gpr_daily(gpr / "data_gpr_daily_recent.xls")
    gpr_publisher = "Dario Caldara and Matteo Iacoviello (Geopolitical Risk Index)"
    _sources_csv(gpr, [
        {"file": "data_gpr_export.xls", "publisher": gpr_publisher,
         "publisher_url": "https://www.matteoiacoviello.com/gpr_files/data_gpr_export.xls",
         "vintage": "synthetic, data through 2024-12", "covers": "Monthly 1900-01..2024-12"},
        {"file": "data_gpr_daily_recent.xls", "publisher": gpr_publisher,
         "publisher_url": "https://www.matteoiacoviello.com/gpr_files/data_gpr_daily_recent.xls",
         "vintage": "synthetic, data through 2022-12-31", "covers": "Daily 2019-01-01..2022-12-31"}])
    written = _epu(epu) | _wui(epu)
    epu_url = "https://www.policyuncertainty.com/media/"
    wui_url = "https://worlduncertaintyindex.com/data/"
    publisher = "synthetic (policyuncertainty.com / worlduncertaintyindex.com layouts)"
    _sources_csv(epu, [{"file": name, "publisher": publisher,
                        "publisher_url": (wui_url if name.startswith("WUI") else epu_url + name),
                        "vintage": "synthetic", "covers": name} for name in sorted(written)])
