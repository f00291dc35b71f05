"""A synthetic raw-data mirror for end-to-end runs, in the publishers' exact file layouts.

``build_synthetic_mirror(root)`` writes, at the catalog's ``mirror_path`` of each dataset, a small
made-up file in the format that dataset is published in, and one ``SOURCES.csv`` per mirror folder
listing every file with its real size and sha256. It covers:

- every dataset that is NOT optional in ``config/config.yaml`` (``sources.optional``): the two UN
  AMA workbooks (all 17 indicators, with footnotes), WDICountry.csv and six WDI per-indicator CSVs;
- two optional fallbacks, so the fallback path runs: OWID broadband (the preferred WDI series
  IT.NET.BBND.P2 has no mirror file) and the WDI DataBank ICT extract (secure servers, ICT trade);
- nothing else, so every other optional dataset must come out as unavailable.

The writers are the ones in ``tests/sources`` (``synthetic.py``, ``synthetic_ama.py``); no real
published file is copied. Levels follow a deterministic process so that tests can hand-compute
measures (see ``manufacturing_level``):

    mva_it = base_i * (1 + trend_i)^(t - 1995) * shock09_i(t) * shock20_i(t), rounded to 0.1 US$

where the 2009 and 2020 drops are smaller for economies with a higher made-up digitalization
level ``d_i`` (so digitalization "explains" resistance), with partial recovery afterwards.

Planted features:
- Viet Nam's manufacturing (constant prices) carries a footnote marked 1995-2008 only: a series
  break in 2009, inside the GFC contraction 2008-2009 (not inside the recovery 2009-2011). Its text
  ("Includes Taxes less subsidies ...", as UNSD writes it) matches ``measures.break_footnotes``.
- Korea's manufacturing carries "Excludes recycling and publishing activities" from 2009 only: the
  set of footnotes changes in 2009 too, but that note is no change of definition (not in
  ``measures.break_footnotes``), so Korea's indices must be computed.
- Türkiye's manufacturing (in both workbooks) starts in 2009, so the world benchmark for 2008-2009
  must leave it out (balanced over the period's endpoints), and it has no pre-GFC location quotient.
- The AMA workbooks hold a former state ("Netherlands Antilles (Former)", M49 530, data
  1995-2010) that must not enter the panel or the world sum, and Zanzibar (M49 836), which no
  country code matches (it must show up as unmatched).
- WDI files hold aggregates (WLD, EAS, HIC) with values; WDICountry.csv marks them with an empty
  Region, so they must stay out of the panel. Kosovo (XKX) is a WB economy with no AMA data.
"""

from __future__ import annotations

import csv
import hashlib
import importlib
import io
import math
import sys
from datetime import datetime
from pathlib import Path

import pandas as pd
import yaml

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "sources"))

import synthetic  # noqa: E402  (tests/sources/synthetic.py)
import synthetic_ama  # noqa: E402  (tests/sources/synthetic_ama.py)

YEARS = list(range(1995, 2025))          # the years the AMA workbooks and the levels cover
WDI_COLUMNS = list(range(1960, 2025))    # year columns of the WDI per-indicator CSVs, as published

# (iso3, M49, UN AMA name, World Bank name, WB region, WB income group)
ECONOMIES = [
    ("CHN", 156, "China", "China", "East Asia & Pacific", "Upper middle income"),
    ("USA", 840, "United States", "United States", "North America", "High income"),
    ("DEU", 276, "Germany", "Germany", "Europe & Central Asia", "High income"),
    ("JPN", 392, "Japan", "Japan", "East Asia & Pacific", "High income"),
    ("KOR", 410, "Republic of Korea", "Korea, Rep.", "East Asia & Pacific", "High income"),
    ("IND", 356, "India", "India", "South Asia", "Lower middle income"),
    ("VNM", 704, "Viet Nam", "Viet Nam", "East Asia & Pacific", "Lower middle income"),
    ("MEX", 484, "Mexico", "Mexico", "Latin America & Caribbean", "Upper middle income"),
    ("BRA", 76, "Brazil", "Brazil", "Latin America & Caribbean", "Upper middle income"),
    ("FRA", 250, "France", "France", "Europe & Central Asia", "High income"),
    ("GBR", 826, "United Kingdom", "United Kingdom", "Europe & Central Asia", "High income"),
    ("ITA", 380, "Italy", "Italy", "Europe & Central Asia", "High income"),
    ("CAN", 124, "Canada", "Canada", "North America", "High income"),
    ("AUS", 36, "Australia", "Australia", "East Asia & Pacific", "High income"),
    ("IDN", 360, "Indonesia", "Indonesia", "East Asia & Pacific", "Upper middle income"),
    ("THA", 764, "Thailand", "Thailand", "East Asia & Pacific", "Upper middle income"),
    ("MYS", 458, "Malaysia", "Malaysia", "East Asia & Pacific", "Upper middle income"),
    ("POL", 616, "Poland", "Poland", "Europe & Central Asia", "High income"),
    ("TUR", 792, "Türkiye", "Turkiye", "Europe & Central Asia", "Upper middle income"),
    ("ZAF", 710, "South Africa", "South Africa", "Sub-Saharan Africa", "Upper middle income"),
    ("ESP", 724, "Spain", "Spain", "Europe & Central Asia", "High income"),
    ("NLD", 528, "Netherlands", "Netherlands", "Europe & Central Asia", "High income"),
    ("SWE", 752, "Sweden", "Sweden", "Europe & Central Asia", "High income"),
    ("PHL", 608, "Philippines", "Philippines", "East Asia & Pacific", "Lower middle income"),
]
ISO3 = [e[0] for e in ECONOMIES]
M49 = {e[0]: e[1] for e in ECONOMIES}
WB_NAME = {e[0]: e[3] for e in ECONOMIES}
# WB aggregates (empty Region in WDICountry.csv) and a WB economy the UN AMA file does not have.
WB_AGGREGATES = [("WLD", "World"), ("EAS", "East Asia & Pacific"), ("HIC", "High income"),
                 ("UMC", "Upper middle income"), ("LMC", "Lower middle income"), ("LIC", "Low income")]
WB_EXTRA_ECONOMY = ("XKX", "Kosovo", "Europe & Central Asia", "Upper middle income")

BREAK_ECONOMY = "VNM"        # footnote marked 1995-2008 on manufacturing (constant): break in 2009
NON_BREAK_ECONOMY = "KOR"    # a footnote that is no definition change starts in 2009: no break
LATE_ECONOMY = "TUR"         # manufacturing (constant) only from 2009
LATE_FIRST_YEAR = 2009
FORMER = (530, "Netherlands Antilles (Former)", 2010)  # M49, AMA name, last year with data
UNMATCHED = (836, "Zanzibar")
BREAK_NOTE = "Includes Taxes less subsidies on production and imports."
PLAIN_NOTE = "Excludes recycling and publishing activities"
SERIES_NOTE = "Synthetic note: the series follows the 2008 SNA (no year marked)."

# The 17 indicators of the AMA "GDP and its breakdown" workbooks, in UNSD's row order.
AMA_INDICATORS = [
    "Final consumption expenditure",
    "Household consumption expenditure (including Non-profit institutions serving households)",
    "General government final consumption expenditure",
    "Gross capital formation",
    "Gross fixed capital formation (including Acquisitions less disposals of valuables)",
    "Changes in inventories",
    "Exports of goods and services",
    "Imports of goods and services",
    "Gross Domestic Product (GDP)",
    "Agriculture, hunting, forestry, fishing (ISIC A-B)",
    "Mining, Manufacturing, Utilities (ISIC C-E)",
    "Manufacturing (ISIC D)",
    "Construction (ISIC F)",
    "Wholesale, retail trade, restaurants and hotels (ISIC G-H)",
    "Transport, storage and communication (ISIC I)",
    "Other Activities (ISIC J-P)",
    "Total Value Added",
]
MANUFACTURING = "Manufacturing (ISIC D)"

# What the mirror holds, and what it leaves out on purpose.
FALLBACK_DATASETS = ["owid_broadband", "wdi_databank_ict"]
# Mirror folders written here; every other folder is written by one of the EXTENSION_WRITERS
# (module, function(root)) of the context analyses and regional panels.
CORE_FOLDERS = {"unsd-ama", "wdi", "owid"}
EXTENSION_WRITERS: list[tuple[str, str]] = [
    ("synthetic_trade", "write_trade_mirror"),
    ("synthetic_gvc", "write_gvc_mirror"),
    ("synthetic_eu", "write_eu_mirror"),
    ("synthetic_china", "write_china_mirror"),
    ("synthetic_risk", "write_risk_mirror"),
]

WDI_INDICATORS = {
    # dataset: (indicator code, indicator name, Last Updated Date)
    "wdi_ny_gdp_pcap_kd": ("NY.GDP.PCAP.KD", "GDP per capita (constant 2015 US$)", "2025-12-19"),
    "wdi_sp_pop_totl": ("SP.POP.TOTL", "Population, total", "2026-07-13"),
    "wdi_ne_trd_gnfs_zs": ("NE.TRD.GNFS.ZS", "Trade (% of GDP)", "2026-04-08"),
    "wdi_it_net_user_zs": ("IT.NET.USER.ZS", "Individuals using the Internet (% of population)", "2026-07-13"),
    "wdi_it_cel_sets_p2": ("IT.CEL.SETS.P2", "Mobile cellular subscriptions (per 100 people)", "2023-03-01"),
    "wdi_tx_val_tech_mf_zs": ("TX.VAL.TECH.MF.ZS", "High-technology exports (% of manufactured exports)",
                              "2022-12-22"),
}
DATABANK_YEARS = [1990, 2000] + list(range(2014, 2024))
DATABANK_SERIES = [
    ("Individuals using the Internet (% of population)", "IT.NET.USER.ZS"),
    ("Secure Internet servers (per 1 million people)", "IT.NET.SECR.P6"),
    ("ICT goods exports (% of total goods exports)", "TX.VAL.ICTG.ZS.UN"),
    ("ICT goods imports (% total goods imports)", "TM.VAL.ICTG.ZS.UN"),
    ("ICT service exports (% of service exports, BoP)", "BX.GSR.CCIS.ZS"),
]
OWID_TITLE = "Fixed broadband subscriptions (per 100 people)"
OWID_YEARS = list(range(1998, 2022))
AMA_MODIFIED = {"constant": datetime(2025, 3, 5, 22, 45, 22), "current": datetime(2025, 3, 25, 9, 12, 0)}
DATABANK_UPDATED = "11/13/2024"


# ---------------------------------------------------------------- the made-up process

def digital_level(i: int) -> float:
    """Made-up digitalization level in [0.1, 0.9], scrambled against economy size."""
    return round(0.1 + 0.8 * ((7 * i) % 24) / 23, 4)


def _shock_factor(year: int, d: float) -> float:
    s09 = 0.16 - 0.12 * d   # 2009 drop below trend: 4% (d = 1) to 16% (d = 0)
    s20 = 0.10 - 0.08 * d   # 2020 drop below trend: 2% to 10%
    f09 = 1.0 if year < 2009 else (1 - s09 if year == 2009 else 1 - s09 / 2)
    f20 = 1.0 if year < 2020 else (1 - s20 if year == 2020 else 1 - s20 / 3)
    return f09 * f20


def manufacturing_level(i: int, year: int) -> float:
    """Manufacturing value added, constant 2015 US$, as written to the AMA workbook (0.1 US$)."""
    base = 20e9 * (1 + (5 * i) % 24)
    trend = 0.015 + 0.005 * (i % 7)
    return round(base * (1 + trend) ** (year - 1995) * _shock_factor(year, digital_level(i)), 1)


def _gdp_over_mva(i: int) -> float:
    return 1 / (0.12 + 0.01 * (i % 10))


def _price(year: int) -> float:
    return 1.02 ** (year - 2015)


def _ama_rows(i: int, year: int, basis: str) -> dict[str, float]:
    """All 17 AMA indicators of economy i in one year (current = constant x a price index).

    Total Value Added = the sum of the seven non-overlapping sectors, C-E > D, all positive.
    """
    mva = manufacturing_level(i, year)
    p = 1.0 if basis == "constant" else _price(year)
    gdp = mva * _gdp_over_mva(i) * (1 + 0.002 * (year - 1995))
    values = {
        "Gross Domestic Product (GDP)": gdp,
        "Agriculture, hunting, forestry, fishing (ISIC A-B)": gdp * (0.03 + 0.004 * (i % 6)),
        "Mining, Manufacturing, Utilities (ISIC C-E)": mva * (1.2 + 0.02 * (i % 5)),
        MANUFACTURING: mva,
        "Construction (ISIC F)": gdp * 0.06,
        "Wholesale, retail trade, restaurants and hotels (ISIC G-H)": gdp * 0.15,
        "Transport, storage and communication (ISIC I)": gdp * 0.07,
    }
    values["Total Value Added"] = gdp * 0.92
    values["Other Activities (ISIC J-P)"] = values["Total Value Added"] - sum(
        v for k, v in values.items() if k not in ("Gross Domestic Product (GDP)", "Total Value Added",
                                                  MANUFACTURING))
    values["Final consumption expenditure"] = gdp * 0.65
    values["Household consumption expenditure (including Non-profit institutions serving households)"] = gdp * 0.5
    values["General government final consumption expenditure"] = gdp * 0.15
    values["Gross capital formation"] = gdp * 0.25
    values["Gross fixed capital formation (including Acquisitions less disposals of valuables)"] = gdp * 0.24
    values["Changes in inventories"] = gdp * 0.01
    values["Exports of goods and services"] = gdp * (0.2 + 0.01 * (i % 9))
    values["Imports of goods and services"] = gdp * (0.19 + 0.01 * (i % 8))
    return {k: round(v * p, 1) for k, v in values.items()}


def population(i: int, year: int) -> int:
    return int(round((5e6 + 3e6 * ((11 * i) % 24)) * 1.01 ** (year - 1995)))


def _logistic(year: int, middle: float, top: float, width: float) -> float:
    return top / (1 + math.exp(-(year - middle) / width))


def internet(i: int, year: int) -> float:
    return round(_logistic(year, 2012 - 10 * digital_level(i), 95.0, 3.0), 6)


def mobile(i: int, year: int) -> float:
    return round(_logistic(year, 2006 - 6 * digital_level(i), 130.0, 2.5), 6)


def broadband(i: int, year: int) -> float:
    return round(_logistic(year, 2012 - 8 * digital_level(i), 45.0, 3.0), 7)


def secure_servers(i: int, year: int) -> float:
    return round(10 ** (1 + 3 * digital_level(i)) * 1.3 ** (year - 2014), 4)


# ---------------------------------------------------------------- writers

def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _write_sources_csv(folder: Path, columns: list[str], rows: list[dict]) -> Path:
    """SOURCES.csv with the real bytes and sha256 of each listed file (CRLF-free, csv-quoted)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        path = folder / row["file"]
        writer.writerow({**row, "bytes": path.stat().st_size, "sha256": _sha256(path)})
    target = folder / "SOURCES.csv"
    target.write_text(out.getvalue(), encoding="utf-8")
    return target


def _catalog() -> pd.DataFrame:
    return pd.read_csv(REPO / "config" / "sources.csv", dtype=str, keep_default_na=False).set_index("dataset")


def _ama_workbook(path: Path, basis: str) -> None:
    rows, footnotes = {}, {}
    for i, (iso3, m49, ama_name, *_rest) in enumerate(ECONOMIES):
        per_year = {y: _ama_rows(i, y, basis) for y in YEARS}
        for indicator in AMA_INDICATORS:
            if indicator == "Changes in inventories" and i % 2:
                continue  # as in the real file, not every economy reports it
            values = {y: per_year[y][indicator] for y in YEARS}
            if iso3 == LATE_ECONOMY and indicator == MANUFACTURING:
                values = {y: v for y, v in values.items() if y >= LATE_FIRST_YEAR}
            rows[(m49, ama_name, indicator)] = values
        # A footnote that is not a change of definition (not in measures.break_footnotes): it starts
        # in 2009 for Korea, inside the GFC contraction, and must NOT blank Korea's indices.
        footnotes[(m49, ama_name, MANUFACTURING, PLAIN_NOTE)] = (
            [y for y in YEARS if y >= 2009] if iso3 == NON_BREAK_ECONOMY else YEARS)
    former_m49, former_name, former_last = FORMER
    for indicator in AMA_INDICATORS:
        if indicator != "Changes in inventories":
            rows[(former_m49, former_name, indicator)] = {
                y: round(v * 0.02, 1) for y, v in ((y, _ama_rows(0, y, basis)[indicator]) for y in YEARS)
                if y <= former_last}
    rows[(UNMATCHED[0], UNMATCHED[1], "Gross Domestic Product (GDP)")] = {y: 1.5e9 + 1e7 * (y - 1995) for y in YEARS}
    vnm = ECONOMIES[ISO3.index(BREAK_ECONOMY)]
    footnotes[(vnm[1], vnm[2], MANUFACTURING, BREAK_NOTE)] = [y for y in YEARS if y <= 2008]
    kor = ECONOMIES[ISO3.index("KOR")]
    footnotes[(kor[1], kor[2], "Gross Domestic Product (GDP)", SERIES_NOTE)] = []
    chn = ECONOMIES[ISO3.index("CHN")]
    footnotes[(chn[1], chn[2], "Total Value Added", "Refers to Gross Domestic Product.")] = YEARS
    synthetic_ama.write_ama_workbook(path, basis, rows, footnotes, years=YEARS, modified=AMA_MODIFIED[basis])


def _wb_rows(values_of, years, *, with_aggregates=True, extra=True) -> dict:
    """World Bank wide rows {(code, name): {year: value}} for the economies, aggregates and Kosovo."""
    rows = {(iso3, WB_NAME[iso3]): {y: values_of(i, y) for y in years} for i, iso3 in enumerate(ISO3)}
    if with_aggregates:
        for k, (code, name) in enumerate(WB_AGGREGATES):
            # 0.9 keeps shares (internet users, % of population) inside 0-100 for the aggregates too
            rows[(code, name)] = {y: values_of(k, y) * 0.9 for y in years}
    if extra:
        code, name, *_ = WB_EXTRA_ECONOMY
        rows[(code, name)] = {y: values_of(5, y) * 0.9 for y in years}
    return rows


def _wdi_values(dataset: str):
    if dataset == "wdi_ny_gdp_pcap_kd":
        def gdp_per_capita(i, y):
            return round(_ama_rows(i, y, "constant")["Gross Domestic Product (GDP)"] / population(i, y), 6)
        return gdp_per_capita, YEARS
    if dataset == "wdi_sp_pop_totl":
        return population, YEARS
    if dataset == "wdi_ne_trd_gnfs_zs":
        return lambda i, y: round(30 + 3 * (i % 12) + 0.2 * (y - 1995), 4), YEARS
    if dataset == "wdi_it_net_user_zs":
        return internet, YEARS
    if dataset == "wdi_it_cel_sets_p2":
        return mobile, list(range(1995, 2022))
    if dataset == "wdi_tx_val_tech_mf_zs":
        return lambda i, y: round(5 + 30 * digital_level(i) + 0.1 * (y - 2007), 5), list(range(2007, 2022))
    raise KeyError(dataset)


def build_synthetic_mirror(root) -> dict:
    """Write the synthetic mirror under ``root``; return what tests need to compute expectations.

    Returned keys: ``root``, ``economies`` (iso3 list), ``m49``, ``digital`` ({iso3: d}),
    ``mva`` ({iso3: {year: level}} exactly as written, constant-price manufacturing; the late
    entrant lacks the years before 2009), ``break_economy``, ``late_economy``, ``former``,
    ``unmatched``, ``files`` ({dataset: path}), ``sha256`` ({dataset: hex}), ``datasets``
    (written), ``left_out`` (optional datasets deliberately absent), ``mandatory``.
    """
    root = Path(root)
    catalog = _catalog()
    config = yaml.safe_load((REPO / "config" / "config.yaml").read_text(encoding="utf-8"))
    optional = set(config["sources"]["optional"])
    mandatory = sorted(d for d in catalog.index if d not in optional)
    core_mandatory = [d for d in mandatory if catalog.at[d, "mirror_path"].split("/", 1)[0] in CORE_FOLDERS]
    written = core_mandatory + FALLBACK_DATASETS
    paths = {d: root / catalog.at[d, "mirror_path"] for d in written}
    for path in paths.values():
        path.parent.mkdir(parents=True, exist_ok=True)

    # --- UN AMA
    _ama_workbook(paths["unsd_ama_constant"], "constant")
    _ama_workbook(paths["unsd_ama_current"], "current")

    # --- World Bank
    countries = [(iso3, WB_NAME[iso3], e[4], e[5]) for iso3, e in zip(ISO3, ECONOMIES)]
    countries += [(code, name, "", "") for code, name in WB_AGGREGATES] + [WB_EXTRA_ECONOMY]
    synthetic.write_wdi_country_metadata(paths["wdi_country_meta"], sorted(countries))
    for dataset, (code, name, updated) in WDI_INDICATORS.items():
        values_of, years = _wdi_values(dataset)
        synthetic.write_wdi_csv(paths[dataset], code, name, updated, _wb_rows(values_of, years), WDI_COLUMNS)

    # --- DataBank extract: only 1990, 2000 and 2014-2023, like the real one ('..' = missing)
    series_rows = []
    for series_name, series_code in DATABANK_SERIES:
        for i, iso3 in enumerate(ISO3):
            if series_code == "BX.GSR.CCIS.ZS" and iso3 == "VNM":
                values = {}  # all '..', as in the real extract
            elif series_code == "IT.NET.USER.ZS":
                values = {y: internet(i, y) for y in DATABANK_YEARS}
            elif series_code == "IT.NET.SECR.P6":
                values = {y: secure_servers(i, y) for y in DATABANK_YEARS if y >= 2014}
            elif series_code == "TX.VAL.ICTG.ZS.UN":
                values = {y: round(2 + 25 * digital_level(i), 4) for y in DATABANK_YEARS if 2000 <= y <= 2022}
            elif series_code == "TM.VAL.ICTG.ZS.UN":
                values = {y: round(3 + 15 * digital_level(i), 4) for y in DATABANK_YEARS if 2000 <= y <= 2022}
            else:
                values = {y: round(5 + 30 * digital_level(i), 4) for y in DATABANK_YEARS if y >= 2000}
            series_rows.append((series_name, series_code, WB_NAME[iso3], iso3, values))
    synthetic.write_wdi_databank_zip(paths["wdi_databank_ict"], series_rows, DATABANK_YEARS,
                                     last_updated=DATABANK_UPDATED)

    # --- OWID broadband: economies, the World, and a WB region without a code
    owid_rows = []
    owid_names = {"KOR": "South Korea", "VNM": "Vietnam", "TUR": "Turkey"}
    for i, iso3 in enumerate(ISO3):
        owid_rows += [(owid_names.get(iso3, WB_NAME[iso3]), iso3, y, broadband(i, y)) for y in OWID_YEARS]
    owid_rows += [("East Asia and Pacific (WB)", "", y, broadband(3, y)) for y in OWID_YEARS]
    owid_rows += [("World", "OWID_WRL", y, broadband(12, y)) for y in OWID_YEARS]
    owid_rows.sort(key=lambda r: (r[0], r[2]))
    synthetic.write_owid_csv(paths["owid_broadband"], OWID_TITLE, owid_rows)

    # --- SOURCES.csv per folder, with the sha256 of what was written
    by_folder: dict[Path, list[dict]] = {}
    for dataset in written:
        row = catalog.loc[dataset]
        folder_name, relative = row["mirror_path"].split("/", 1)
        by_folder.setdefault(root / folder_name, []).append({
            "file": relative, "published_name": Path(relative).name, "publisher": row["publisher"],
            "publisher_url": _publisher_url(dataset, row), "vintage": _vintage(dataset),
            "taken_from": "synthetic: tests/e2e/synthetic_mirror.py (made-up values, published layout)",
            "covers": f"{dataset}: {len(ISO3)} economies, {YEARS[0]}-{YEARS[-1]}",
        })
    columns = ["file", "bytes", "sha256", "published_name", "publisher", "publisher_url", "vintage",
               "taken_from", "covers"]
    for folder, rows in sorted(by_folder.items()):
        _write_sources_csv(folder, columns, rows)

    extension_written = _write_extensions(root, catalog)
    unwritten = [d for d in mandatory if d not in written and d not in extension_written]
    if unwritten:
        raise AssertionError(f"synthetic mirror: no writer for the mandatory datasets {unwritten}; add one to "
                             "EXTENSION_WRITERS (tests/e2e/synthetic_<area>.py) or list them in sources.optional")
    written = written + sorted(extension_written)
    paths.update({d: root / catalog.at[d, "mirror_path"] for d in extension_written})

    mva = {}
    for i, iso3 in enumerate(ISO3):
        years = [y for y in YEARS if not (iso3 == LATE_ECONOMY and y < LATE_FIRST_YEAR)]
        mva[iso3] = {y: manufacturing_level(i, y) for y in years}
    return {
        "root": root,
        "economies": list(ISO3),
        "m49": dict(M49),
        "digital": {iso3: digital_level(i) for i, iso3 in enumerate(ISO3)},
        "mva": mva,
        "break_economy": BREAK_ECONOMY,
        "non_break_economy": NON_BREAK_ECONOMY,
        "late_economy": LATE_ECONOMY,
        "former": {"m49": FORMER[0], "name": FORMER[1], "iso3": f"F{FORMER[0]:03d}"},
        "unmatched": {"m49": UNMATCHED[0], "name": UNMATCHED[1]},
        "files": paths,
        "sha256": {d: _sha256(p) for d, p in paths.items()},
        "datasets": written,
        "mandatory": mandatory,
        # optional datasets an extension writer provides (e.g. China EPU) are in the mirror, not left out
        "left_out": sorted(optional - set(FALLBACK_DATASETS) - set(extension_written)),
        "catalog": catalog,
    }


def _write_extensions(root: Path, catalog: pd.DataFrame) -> list[str]:
    """Run the writers of the context analyses and regional panels; return the datasets whose mirror
    file they wrote (each writer owns its mirror folders and their SOURCES.csv)."""
    before = {d for d in catalog.index if catalog.at[d, "mirror_path"] and (root / catalog.at[d, "mirror_path"]).is_file()}
    for module_name, function_name in EXTENSION_WRITERS:
        module = importlib.import_module(module_name)
        getattr(module, function_name)(root)
    return sorted(d for d in catalog.index if d not in before and catalog.at[d, "mirror_path"]
                  and (root / catalog.at[d, "mirror_path"]).is_file())


def _publisher_url(dataset: str, row) -> str:
    """Where the file is published, written as the real mirror's SOURCES.csv writes it."""
    if dataset in WDI_INDICATORS:
        return f"https://api.worldbank.org/v2/en/indicator/{WDI_INDICATORS[dataset][0]}?downloadformat=csv"
    if dataset == "wdi_country_meta":
        return "https://databank.worldbank.org/data/download/WDI_CSV.zip (member WDICountry.csv)"
    if dataset == "owid_broadband":
        return "https://ourworldindata.org/grapher/broadband-penetration-by-country"
    return row["live_url"]


def _vintage(dataset: str) -> str:
    if dataset.startswith("unsd_ama"):
        basis = "constant" if dataset.endswith("constant") else "current"
        return f"synthetic AMA release; workbook modified {AMA_MODIFIED[basis]:%Y-%m-%d}"
    if dataset == "owid_broadband":
        return "not stated in file; synthetic"
    if dataset == "wdi_databank_ict":
        return f"{DATABANK_UPDATED} (footer 'Last Updated')"
    if dataset in WDI_INDICATORS:
        return WDI_INDICATORS[dataset][2]
    return "not stated in file; synthetic"
