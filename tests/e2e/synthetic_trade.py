"""Synthetic mirror folder ``us-trade/`` for end-to-end runs: two vintages of the Census country
workbook and the three UN Comtrade exports, under the catalog's file names, in the publishers' exact
layouts (writers in ``tests/sources/synthetic_trade_files.py``), plus ``SOURCES.csv`` with the real
size and sha256 of each written file.

The made-up process makes the results hand-checkable (values in millions of US$ per month):

    China(y, m)   = 40000 + 100 m
    partner(y, m) = China(y, m) x ratio_p(y), ratio_MEX = 0.6 + 0.05 (y - 2017) to 2022 and 1.1 from
                    2023 (Mexico overtakes China), ratio_VNM = 0.1 + 0.02 (y - 2017),
                    ratio_IND = 0.1 + 0.01 (y - 2017), ratio_CAN = 0.7
    World(y, m)   = China(y, m) x (4.6 + 0.2 (y - 2017))   (China's share 1 / (4.6 + 0.2 (y - 2017)))

The newer vintage (``census_country_2024-10.xlsx``) runs 2013 to August 2024 (September-December
2024 are 0, as in the published vintage), so the latest complete quarter is 2024Q2 and 2024Q3 has
two months. The older vintage (``census_country_2023-03.xlsx``) runs to January 2023 and differs from
the newer one only in China's 2022 months, each 100 lower (so the newer vintage revises each month
of 2022 up by 100 and the year by 1,200).
"""

from __future__ import annotations

import csv
import hashlib
import io
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "sources"))

import synthetic_trade_files as stf  # noqa: E402  (tests/sources/synthetic_trade_files.py)

FOLDER = "us-trade"
FILES = {
    "census_country_xlsx": "census_country_2024-10.xlsx",
    "census_country_xlsx_2023_03": "census_country_2023-03.xlsx",
    "comtrade_us_china_total": "TradeData_4_23_2025_16_6_38.csv",
    "comtrade_china_us_total": "TradeData_4_23_2025_16_5_34.csv",
    "comtrade_partners_2022": "TradeData.csv",
}
YEARS = list(range(2013, 2023))
LAST_MONTH = (2024, 8)
PREVIOUS_LAST_MONTH = (2023, 1)
REVISED = ("CHN", 2022, 100.0)   # partner, year, how much the newer vintage adds to each month
CENSUS_PARTNERS = {"CHN": ("5700", "China"), "MEX": ("2010", "Mexico"), "VNM": ("5520", "Vietnam"),
                   "IND": ("5330", "India"), "CAN": ("1220", "Canada")}
CENSUS_WORLD = ("0015", "World, Not Seasonally Adjusted")
CENSUS_WORLD_SA = ("0004", "World, Seasonally Adjusted")
COMTRADE_PARTNERS = {"CHN": (156, "China"), "MEX": (484, "Mexico"), "VNM": (704, "Viet Nam"), "IND": (699, "India"),
                     "CIV": (384, "Côte d'Ivoire"), "W00": (0, "World")}


def ratio(partner: str, year: int) -> float:
    """Imports from ``partner`` over imports from China in ``year`` (World: total over China)."""
    step = year - 2017
    return {"CHN": 1.0, "MEX": 0.6 + 0.05 * step if year <= 2022 else 1.1, "VNM": 0.1 + 0.02 * step, "IND": 0.1 + 0.01 * step,
            "CAN": 0.7, "WLD": 4.6 + 0.2 * step}[partner]


def china_month(month: int) -> float:
    return 40000.0 + 100.0 * month


def monthly_imports(partner: str, year: int, month: int, *, previous: bool = False) -> float:
    """Millions of US$, as written to the newer (or the ``previous``) workbook (0 after its last month)."""
    if (year, month) > (PREVIOUS_LAST_MONTH if previous else LAST_MONTH):
        return 0.0
    value = round(china_month(month) * ratio(partner, year), 6)
    if previous and (partner, year) == REVISED[:2]:
        value -= REVISED[2]
    return value


def annual_imports(partner: str, year: int, *, previous: bool = False) -> float:
    return sum(monthly_imports(partner, year, m, previous=previous) for m in range(1, 13))


def _census_rows(*, previous: bool = False) -> list[list]:
    rows = []
    partners = list(CENSUS_PARTNERS.items()) + [("WLD", CENSUS_WORLD), ("WLD_SA", CENSUS_WORLD_SA)]
    last_year = (PREVIOUS_LAST_MONTH if previous else LAST_MONTH)[0]
    for year in range(YEARS[0], last_year + 1):
        for key, (code, name) in partners:
            base = "WLD" if key == "WLD_SA" else key
            factor = 1.01 if key == "WLD_SA" else 1.0
            imports = [round(monthly_imports(base, year, m, previous=previous) * factor, 6) for m in range(1, 13)]
            exports = [round(v * 0.3, 6) for v in imports]
            rows.append(stf.census_row(year, code, name, imports, exports))
    return rows


def comtrade_value(partner: str, year: int) -> float:
    """US-reported imports from ``partner`` in US$ (Comtrade: 4% above the Census figure)."""
    key = "WLD" if partner == "W00" else partner
    return round(annual_imports(key, year) * 1e6 * 1.04)


def _us_china_records() -> list[dict]:
    records = []
    for year in range(2013, 2025):
        value = round((500e9 if year > 2022 else comtrade_value("CHN", year)))
        records.append(stf.comtrade_record("USA", "M", 156, "CHN", "China", year, value))
        records.append(stf.comtrade_record("USA", "X", 156, "CHN", "China", year, round(value * 0.25)))
    return records


def _china_us_records() -> list[dict]:
    records = []
    for year in range(2013, 2024):
        records.append(stf.comtrade_record("CHN", "M", 842, "USA", "USA", year, round(1.3e11 + 1e9 * (year - 2013))))
        records.append(stf.comtrade_record("CHN", "X", 842, "USA", "USA", year, round(4.0e11 + 1e10 * (year - 2013))))
    return records


def _partners_2022_records() -> list[dict]:
    records = []
    for reporter in ("CHN", "USA", "DEU"):
        for iso, (code, desc) in COMTRADE_PARTNERS.items():
            if iso == reporter:
                continue
            base = comtrade_value(iso, 2022) if iso in ("CHN", "MEX", "VNM", "IND", "W00") else 1.5e9
            for flow in ("M", "X"):
                value = base if reporter == "USA" and flow == "M" else round(base * 0.5)
                records.append(stf.comtrade_record(reporter, flow, code, iso, desc, 2022, value))
    return records


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_trade_mirror(root: Path) -> None:
    """Write ``<root>/us-trade/`` (five files and SOURCES.csv)."""
    folder = Path(root) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    stf.write_census_workbook(folder / FILES["census_country_xlsx"], _census_rows())
    stf.write_census_workbook(folder / FILES["census_country_xlsx_2023_03"], _census_rows(previous=True))
    stf.write_comtrade_csv(folder / FILES["comtrade_us_china_total"], _us_china_records())
    stf.write_comtrade_csv(folder / FILES["comtrade_china_us_total"], _china_us_records())
    stf.write_comtrade_csv(folder / FILES["comtrade_partners_2022"], _partners_2022_records(), encoding="latin-1")
    urls = {"census_country_xlsx": "https://www.census.gov/foreign-trade/balance/country.xlsx",
            "census_country_xlsx_2023_03": "https://www.census.gov/foreign-trade/balance/country.xlsx"}
    columns = ["file", "bytes", "sha256", "publisher", "publisher_url", "vintage", "taken_from", "covers"]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for dataset, name in FILES.items():
        path = folder / name
        census = dataset.startswith("census")
        writer.writerow({
            "file": name, "bytes": path.stat().st_size, "sha256": _sha256(path),
            "publisher": ("U.S. Census Bureau, Economic Indicators Division" if census
                          else "United Nations Statistics Division, UN Comtrade"),
            "publisher_url": urls.get(dataset, "https://comtradeplus.un.org/TradeFlow (query export)"),
            "vintage": "synthetic", "taken_from": "synthetic: tests/e2e/synthetic_trade.py (made-up values, published layout)",
            "covers": dataset,
        })
    (folder / "SOURCES.csv").write_text(out.getvalue(), encoding="utf-8")
