"""Synthetic mirror folder ``nbs-provinces/`` for end-to-end runs: the seven files of the real folder, same
names, same layouts and quirks, made-up numbers from a known process, and a SOURCES.csv with the real
folder's columns and the synthetic files' sizes and sha256.

Process (31 provinces i, years t): real growth ``g_it = 100 ln(I_it / 100)`` with
``I_it = 100 + trend_i - 6 * [t = 2020] + 2 * z_i * [t = 2020] + 3 * [t = 2021]`` where ``z_i`` is the
standardised 2019 PKU index, so more digital provinces resist the 2020 shock better; nominal GDP
= real GDP x a common deflator (2% a year). Planted quirks, as in the real files:
- the compiled panel's GDP index is mis-dated: rows 2015-2023 hold the previous year's index,
  other rows the average of the year's and the previous year's (``compiled_index_row``);
- Beijing has no GDP index rows 2015-2023 in the compiled panel (so real growth lacks Beijing);
- the urban-unit employment export has empty 2006-2007 and 2025 columns; the sample-survey
  population export leaves the census years 2010 and 2020 empty;
- the PKU .dta leaves monetary_fund and credit_investigation empty from 2019.
"""

from __future__ import annotations

import csv
import hashlib
import math
import sys
from functools import lru_cache
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "sources"))

import synthetic_nbs  # noqa: E402  (tests/sources/synthetic_nbs.py)

FOLDER = "nbs-provinces"
SOURCES_COLUMNS = ["file", "original_name", "bytes", "sha256", "publisher", "publisher_url", "kind", "vintage",
                   "taken_from", "covers"]
NBS_URL = "https://data.stats.gov.cn/easyquery.htm?cn=E0103"
GDP = "地区生产总值(亿元)"
NOTE_GDP = "按照我国国民经济核算数据修订制度和国际通行做法，在第五次全国经济普查后，对1992年-2023年地区生产总值历史数据进行了系统修订。"
NOTES_EMP = ["1.全国就业人员1990年及以后的数据根据劳动力调查、人口普查推算，2001年及以后数据根据第六次人口普查数据重新修订。",
             "2.城镇单位数据不含私营单位。", "3.2012年行业采用新的分类标准，与前期不可比。"]
NOTES_SAMPLE = ["1.2005年、2015年为1%人口抽样调查样本数据，其他年份为1‰人口变动调查样本数据。",
                "2.由于采用加权汇总的方法，全国人口抽样调查样本数据合计与各分项或分组相加略有误差。"]
NOTE_POP = "常住人口包括：居住在本乡镇街道且户口在本乡镇街道或户口待定的人。"
SHOCK, RECOVERY_BOOST, DIGITAL_EFFECT = -6.0, 3.0, 2.0


@lru_cache(maxsize=1)
def provinces() -> pd.DataFrame:
    from resilience.panels.china.provinces import province_table
    return province_table()


@lru_cache(maxsize=1)
def dfi_2019() -> pd.Series:
    """Made-up 2019 PKU index per province (NBS full name), 250-400."""
    names = provinces()["name_nbs"]
    return pd.Series([250 + (i * 37) % 150 for i in range(len(names))], index=names, dtype="float64")


@lru_cache(maxsize=None)
def true_index(name: str, year: int) -> float:
    """The true GDP index (previous year = 100) of a province in a year."""
    dfi = dfi_2019()
    z = (dfi[name] - dfi.mean()) / dfi.std()
    i = list(dfi.index).index(name)
    value = 100 + 5 + (i % 7) * 0.5
    if year == 2020:
        value += SHOCK + DIGITAL_EFFECT * z
    if year == 2021:
        value += RECOVERY_BOOST
    return round(value, 1)


@lru_cache(maxsize=None)
def real_gdp(name: str, year: int) -> float:
    """Real GDP at 2019 prices: 1000 + 100 i in 2019, chained with the true index."""
    i = list(provinces()["name_nbs"]).index(name)
    level = 1000.0 + 100 * i
    if year >= 2019:
        for t in range(2020, year + 1):
            level *= true_index(name, t) / 100
    else:
        for t in range(year + 1, 2020):
            level /= true_index(name, t) / 100
    return level


def nominal_gdp(name: str, year: int) -> float:
    return round(real_gdp(name, year) * 1.02 ** (year - 2019), 1)


def compiled_index_row(name: str, row_year: int) -> float:
    """What the compiled panel puts in row ``row_year``: the previous year's index in 2015-2023, else the
    average of the year's and the previous year's."""
    if 2015 <= row_year <= 2023:
        return true_index(name, row_year - 1)
    return round((true_index(name, row_year) + true_index(name, row_year - 1)) / 2, 3)


def write_china_mirror(root) -> None:
    """Write ``<root>/nbs-provinces/`` (seven files and SOURCES.csv)."""
    folder = Path(root) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    names = list(provinces()["name_nbs"])
    short = dict(zip(provinces()["name_nbs"], provinces()["name_short"]))
    files = []

    years = list(range(2024, 2005, -1))
    rows = {n: [nominal_gdp(n, y) for y in years] for n in names}
    files.append(("nbs_fsnd_gdp_2006-2024_v2025.csv", synthetic_nbs.write_nbs_csv(
        folder / "nbs_fsnd_gdp_2006-2024_v2025.csv", GDP, years, rows, [NOTE_GDP]), "publisher-export"))

    years = list(range(2022, 1991, -1))
    rows = {n: [round(nominal_gdp(n, y) * 0.92, 1) for y in years] for n in names}
    files.append(("nbs_fsnd_gdp_1992-2022_pre2024revision.xlsx", synthetic_nbs.write_nbs_xlsx(
        folder / "nbs_fsnd_gdp_1992-2022_pre2024revision.xlsx", GDP, years, rows, []), "publisher-export"))

    years = list(range(2022, 1999, -1))
    rows = {n: [2000 + 100 * i + (y - 2000) for y in years] for i, n in enumerate(names)}
    files.append(("nbs_fsnd_yearend_resident_population_2000-2022.xlsx", synthetic_nbs.write_nbs_xlsx(
        folder / "nbs_fsnd_yearend_resident_population_2000-2022.xlsx", "年末常住人口(万人)", years, rows, [NOTE_POP]),
        "publisher-export"))

    years = list(range(2025, 2005, -1))
    rows = {n: [None if y in (2025, 2010, 2020) else 20000 + 500 * i for y in years] for i, n in enumerate(names)}
    files.append(("nbs_fsnd_population_sample_survey_2006-2024.csv", synthetic_nbs.write_nbs_csv(
        folder / "nbs_fsnd_population_sample_survey_2006-2024.csv", "人口数(人口抽样调查)(人)", years, rows,
        NOTES_SAMPLE), "publisher-export"))

    rows = {n: [None if y in (2025, 2006, 2007) else round(300 + 10 * i + 2 * (y - 2008) - 5 * (y == 2020), 1)
                for y in years] for i, n in enumerate(names)}
    files.append(("nbs_fsnd_urban_unit_employment_2006-2024.csv", synthetic_nbs.write_nbs_csv(
        folder / "nbs_fsnd_urban_unit_employment_2006-2024.csv", "城镇单位就业人员(万人)", years, rows, NOTES_EMP),
        "publisher-export"))

    compiled = []
    for i, n in enumerate(names):
        for y in range(2005, 2025):
            lagged_gap = n == "北京市" and 2015 <= y <= 2023
            compiled.append({"地区": short[n], "年份": y, "GDP_亿元": nominal_gdp(n, y) if y >= 2006 else None,
                             "GDP_当年价_亿元": round(nominal_gdp(n, y) * 0.95, 2),
                             "GDP指数_上年=100": None if lagged_gap else compiled_index_row(n, y),
                             "第二产业比重_%": round(30 + (i % 10) * 2 - 0.3 * (y - 2005), 2),
                             "城镇化率_%": round(50 + i * 0.5, 2)})
    files.append(("compiled_RenJiyi163_province_panel_2005-2024.csv", synthetic_nbs.write_compiled_csv(
        folder / "compiled_RenJiyi163_province_panel_2005-2024.csv", pd.DataFrame(compiled)), "compiled"))

    dfi, pku = dfi_2019(), []
    english = dict(zip(provinces()["name_nbs"], provinces()["name_en"]))
    codes = dict(zip(provinces()["name_nbs"], provinces()["gb_code"]))
    for n in names:
        for y in range(2011, 2024):
            level = dfi[n] * math.exp(0.12 * (y - 2019))
            pku.append({"year": y, "prov_name": n, "prov_name_eng": english[n], "prov_code": int(codes[n]),
                        "index_aggregate": round(level, 2), "coverage_breadth": round(level * 1.1, 2),
                        "usage_depth": round(level * 0.9 + (y % 3), 2), "payment": round(level, 2),
                        "insurance": round(level * 1.5, 2), "monetary_fund": None if y >= 2019 else 100.0,
                        "investment": None if y < 2014 else 90.0, "credit": round(level * 0.8, 2),
                        "credit_investigation": None if y >= 2019 or y < 2015 else 95.0,
                        "digitization_level": round(level * 1.2 - (y % 2) * 5, 2)})
    files.append(("compiled_pku_dfiic_province_2011-2023.dta", synthetic_nbs.write_pku_dta(
        folder / "compiled_pku_dfiic_province_2011-2023.dta", pd.DataFrame(pku)), "compiled"))

    with open(folder / "SOURCES.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(SOURCES_COLUMNS)
        for name, path, kind in files:
            data = Path(path).read_bytes()
            writer.writerow([name, name, len(data), hashlib.sha256(data).hexdigest(),
                             "synthetic file in the National Bureau of Statistics of China export layout", NBS_URL,
                             kind, "synthetic", "tests/e2e/synthetic_china.py", "made-up numbers for tests"])


def expected_real_growth(name: str, year: int) -> float:
    """The real growth the pipeline must recover from the mis-dated compiled index: 100 ln(I / 100)."""
    return 100 * math.log(true_index(name, year) / 100)


__all__ = ["FOLDER", "expected_real_growth", "nominal_gdp", "real_gdp", "true_index", "write_china_mirror"]
