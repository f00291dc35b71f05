r"""Synthetic Eurostat files in the publisher's exact layouts, and a mirror folder of them.

Writers (used by the parser tests too):

- ``legacy_tsv``: bulk-download TSV, header ``unit,nace_r2,age,geo\time<TAB>2015 <TAB>...``, years
  DESCENDING, header cells with a trailing space, cells ``<value> <flags>`` / ``: <flags>``;
- ``current_tsv``: API TSV, header ``freq,unit,nace_r2,geo\TIME_PERIOD``, years ASCENDING;
- ``sdmx_csv``: SDMX-CSV 1.0 (``DATAFLOW,LAST UPDATE,freq,...,TIME_PERIOD,OBS_VALUE,OBS_FLAG``);
- ``sdmx_csv2``: SDMX-CSV 2.0 as the SDMX 3.0 API writes it (``STRUCTURE,STRUCTURE_ID,freq,...,
  TIME_PERIOD,OBS_VALUE,OBS_FLAG,CONF_STATUS``) or, with ``labels``, as the data browser exports it
  (``STRUCTURE_NAME`` and a label column after every code column, flags spelled out, ``Time`` empty);
- ``write_nuts_2013_2016`` / ``write_nuts_2016_2021`` / ``write_nuts_2021_2024``: the three NUTS
  workbooks with their real sheet names, header rows and columns (see the mirror's files).

``write_eu_mirror(root)`` writes ``<root>/eurostat/`` with the seven files the real mirror holds
(lfst_r_lfe2en2.tsv.gz and nama_10r_2gvagr.tsv.gz in the legacy layout, the three workbooks, and the
data browser's GVA volume index and GDP files 2014-2023 in SDMX-CSV 2.0 with labels, NUTS 2024 codes)
and a SOURCES.csv with the real sha256 of each synthetic file. GVA volume (index 2015 = 100) of NUTS
2024 region r with industry share s_r: 100 * 1.02^(t - 2015), times (1 - 0.3 s_r) in 2020 and
(1 - 0.1 s_r) after, so industrial regions fall more in 2020; NL35 has only its 2015 base row (as the
real file's Netherlands) and is dropped going back to NUTS 2021 (a new region). Data-generating process (NUTS 2013
codes; every country has its national row): industry (B-E) employment of region r

    E_r,t = base_r * (1 + 0.01 (t - 2008)) * (1 - 0.04 * LQ-ish share_r) in 2009 and after,

so regions with a larger industry share fall more in 2009. Planted: France in NUTS 2013 codes
(FR10 unchanged, FR21 recoded to FRF2), Ireland's IE01 (discontinued in 2016: dropped), a Greek
NUTS 2010 code EL11 (not a NUTS 2013 code), a 'u' flag, a ': c' confidential cell, a 'b' break.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
from pathlib import Path

import openpyxl

FOLDER = "eurostat"
SOURCES_COLUMNS = ["file", "bytes", "sha256", "dataset_code", "format", "publisher_url", "vintage", "taken_from", "covers"]
LFS_YEARS = list(range(2008, 2016))
GVA_YEARS = list(range(2000, 2015))
SECTIONS = ["A", "B-E", "F", "G-I", "J", "K", "L", "M_N", "O-Q", "R-U"]
# region -> (country, total employment 2008 in thousands, industry share)
REGIONS = {
    "DE11": ("DE", 2000.0, 0.32), "DE12": ("DE", 1500.0, 0.18), "DE21": ("DE", 1800.0, 0.25),
    "FR10": ("FR", 5500.0, 0.10), "FR21": ("FR", 600.0, 0.22), "FR22": ("FR", 800.0, 0.15),
    "IE01": ("IE", 500.0, 0.14), "IE02": ("IE", 1400.0, 0.13),
    "PL11": ("PL", 1100.0, 0.28), "PL21": ("PL", 1300.0, 0.24), "PL22": ("PL", 2000.0, 0.30),
    "EL11": ("EL", 200.0, 0.12), "EL30": ("EL", 1600.0, 0.09), "EL41": ("EL", 80.0, 0.08),
}


# ---------------------------------------------------------------------------------------------
# Data files


def cell(value, flag: str = "") -> str:
    """One TSV cell as Eurostat writes it: '<value> <flag>' or ': <flag>' (the space always there)."""
    text = ":" if value is None else (f"{value:.1f}" if isinstance(value, float) else str(value))
    return f"{text} {flag}"


def legacy_tsv(dimensions: list[str], series: dict[tuple, dict[int, tuple]], years: list[int]) -> str:
    """Legacy bulk TSV: ``series`` maps key tuples (dims incl. geo last) to {year: (value, flag)}."""
    years = sorted(years, reverse=True)
    lines = ["\t".join([",".join(dimensions) + "\\time"] + [f"{y} " for y in years])]
    for key in sorted(series):
        cells = [cell(*series[key].get(y, (None, ""))) for y in years]
        lines.append("\t".join([",".join(key)] + cells))
    return "\n".join(lines) + "\n"


def current_tsv(dimensions: list[str], series: dict[tuple, dict[int, tuple]], years: list[int]) -> str:
    """Current API TSV: header ``<dims>,geo\\TIME_PERIOD``, years ascending."""
    years = sorted(years)
    lines = ["\t".join([",".join(dimensions) + "\\TIME_PERIOD"] + [f"{y} " for y in years])]
    for key in sorted(series):
        cells = [cell(*series[key].get(y, (None, ""))) for y in years]
        lines.append("\t".join([",".join(key)] + cells))
    return "\n".join(lines) + "\n"


def sdmx_csv(dataflow: str, dimensions: list[str], series: dict[tuple, dict[int, tuple]]) -> str:
    """SDMX-CSV 1.0, one observation per line, empty OBS_VALUE for a missing one."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["DATAFLOW", "LAST UPDATE", *dimensions, "TIME_PERIOD", "OBS_VALUE", "OBS_FLAG"])
    for key in sorted(series):
        for year, (value, flag) in sorted(series[key].items()):
            writer.writerow([dataflow, "16/06/24 23:00:00", *key, year, "" if value is None else value, flag])
    return buf.getvalue()


# Label texts of the data browser's export (nama_10r_2gvagr / nama_10r_2gdp default views).
SDMX2_LABELS = {"freq": ("Time frequency", {"A": "Annual"}),
                "na_item": ("National accounts indicator (ESA 2010)", {"B1G": "Value added, gross",
                                                                       "B1GQ": "Gross domestic product at market prices"}),
                "unit": ("Unit of measure", {"I15": "Index, 2015=100", "MIO_EUR": "Million euro"}),
                "geo": ("Geopolitical entity (reporting)", {"AT": "Österreich", "AT11": "Burgenland",
                                                            "NL35": "Utrecht"})}
FLAG_LABELS = {"": "", "p": "provisional", "e": "estimated", "b": "break in time series"}


def sdmx_csv2(structure_id: str, dimensions: list[str], series: dict[tuple, dict[int, tuple]], *,
              labels: str = "", conf: dict | None = None) -> str:
    """SDMX-CSV 2.0, one observation per line (empty OBS_VALUE for a missing one); ``labels``: the
    dataflow's name, which switches on the data browser's label columns; ``conf``: (key, year) ->
    CONF_STATUS code."""
    conf = conf or {}
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    columns = [(d, SDMX2_LABELS.get(d, (d, {}))[0]) for d in dimensions]
    columns += [("TIME_PERIOD", "Time"), ("OBS_VALUE", "Observation value"),
                ("OBS_FLAG", "Observation status (Flag) V2 structure"), ("CONF_STATUS", "Confidentiality status (flag)")]
    head = ["STRUCTURE", "STRUCTURE_ID"] + (["STRUCTURE_NAME"] if labels else [])
    writer.writerow(head + [name for code, label in columns for name in ((code, label) if labels else (code,))])
    for key in sorted(series):
        for year, (value, flag) in sorted(series[key].items()):
            status = conf.get((key, year), "")
            codes = [*key, str(year), "" if value is None else str(value), flag, status]
            named = [SDMX2_LABELS.get(d, ("", {}))[1].get(c, "") for d, c in zip(dimensions, key)]
            named += ["", "", FLAG_LABELS.get(flag, flag), "Confidential" if status == "C" else ""]
            row = ["dataflow", structure_id] + ([labels] if labels else [])
            row += [x for pair in zip(codes, named) for x in (pair if labels else pair[:1])]
            writer.writerow(row)
    return buf.getvalue()


SDMX2_YEARS = list(range(2014, 2024))
# NUTS 2024 region -> (country, industry share): the REGIONS above in their NUTS 2024 codes
REGIONS_2024 = {"DE11": ("DE", 0.32), "DE12": ("DE", 0.18), "DE21": ("DE", 0.25), "FR10": ("FR", 0.10),
                "FRF2": ("FR", 0.22), "FRE2": ("FR", 0.15), "PL71": ("PL", 0.28), "PL21": ("PL", 0.24),
                "PL22": ("PL", 0.30), "EL30": ("EL", 0.09), "EL41": ("EL", 0.08)}


def gva_volume_series() -> dict[tuple, dict[int, tuple]]:
    """nama_10r_2gvagr default view cells (freq, na_item, unit, geo): regions, national rows, NL35."""
    series: dict[tuple, dict[int, tuple]] = {}
    by_country: dict[str, list[dict[int, float]]] = {}
    for geo, (country, share) in REGIONS_2024.items():
        hit = {2020: 1 - 0.3 * share, **{y: 1 - 0.1 * share for y in (2021, 2022, 2023)}}
        values = {y: round(100 * 1.02 ** (y - 2015) * hit.get(y, 1.0), 1) for y in SDMX2_YEARS}
        by_country.setdefault(country, []).append(values)
        flags = {y: "p" for y in (2022, 2023)} | ({2020: "b"} if geo == "DE11" else {})
        series[("A", "B1G", "I15", geo)] = {y: (v, flags.get(y, "")) for y, v in values.items()}
    for country, rows in by_country.items():
        series[("A", "B1G", "I15", country)] = {y: (round(sum(r[y] for r in rows) / len(rows), 1), "")
                                                for y in SDMX2_YEARS}
    series[("A", "B1G", "I15", "NL35")] = {2015: (100.0, "")}
    return series


def gdp_series() -> dict[tuple, dict[int, tuple]]:
    """nama_10r_2gdp default view cells (freq, unit, geo): GDP, million euro, for the same regions."""
    return {("A", "MIO_EUR", geo): {y: (round(1000.0 * (1 + share) * 1.03 ** (y - 2014), 2), "") for y in SDMX2_YEARS}
            for geo, (_, share) in REGIONS_2024.items()}


def gzip_bytes(text: str, name: str) -> bytes:
    """gzip with the member name Eurostat's service wrote and a fixed mtime (deterministic bytes)."""
    buf = io.BytesIO()
    with gzip.GzipFile(filename=name, mode="wb", fileobj=buf, mtime=1487851722) as handle:
        handle.write(text.encode("utf-8"))
    return buf.getvalue()


def lfs_series() -> dict[tuple, dict[int, tuple]]:
    """lfst_r_lfe2en2 cells (unit, nace_r2, age, geo) for the regions and their national rows."""
    series: dict[tuple, dict[int, tuple]] = {}
    national: dict[tuple, dict[int, float]] = {}
    for geo, (country, total, share) in REGIONS.items():
        for year in LFS_YEARS:
            growth = (1 + 0.01 * (year - 2008))
            hit = (1 - 0.4 * share) if year >= 2009 else 1.0
            industry = round(total * share * growth * hit, 1)
            others = total * (1 - share) * growth
            sections = {"B-E": industry}
            rest = [s for s in SECTIONS if s != "B-E"]
            for i, s in enumerate(rest):
                sections[s] = round(others * (i + 1) / sum(range(1, len(rest) + 1)), 1)
            sections["TOTAL"] = round(sum(sections.values()), 1)
            for nace, value in sections.items():
                flag = "b" if year == 2008 else ""
                series.setdefault(("THS", nace, "Y_GE15", geo), {})[year] = (value, flag)
                national.setdefault((country, nace), {}).setdefault(year, 0.0)
                national[(country, nace)][year] += value
    for (country, nace), years in national.items():
        series[("THS", nace, "Y_GE15", country)] = {y: (round(v, 1), "") for y, v in years.items()}
    series[("THS", "L", "Y_GE15", "DE12")][2010] = (None, "c")       # confidential, no value
    series[("THS", "J", "Y_GE15", "EL41")][2011] = (3.1, "u")         # low reliability
    return series


def gva_series() -> dict[tuple, dict[int, tuple]]:
    """nama_10r_2gvagr cells (unit, geo): real GVA growth, % on the previous year; 2000 missing."""
    series = {}
    for geo, (country, _, share) in list(REGIONS.items()) + [(c, (c, 0, 0.2)) for c in ("DE", "FR", "PL")]:
        if country in ("IE", "EL"):
            continue  # the real file has no NUTS-2 GVA growth for them either
        years = {2000: (None, "")}
        for year in GVA_YEARS[1:]:
            years[year] = (-10 * share if year == 2009 else 2.0, "p" if year == 2014 else "")
        series[("PCH_PRE", geo)] = years
    return series


# ---------------------------------------------------------------------------------------------
# NUTS workbooks (real sheet names and header rows)

# (code 2013, code 2016, level, change) for the 2013 -> 2016 sheet
NUTS_2013_2016 = [
    ("DE", "DE", 0, None), ("DE1", "DE1", 1, None), ("DE11", "DE11", 2, None), ("DE12", "DE12", 2, None),
    ("DE2", "DE2", 1, None), ("DE21", "DE21", 2, None),
    ("FR", "FR", 0, None), ("FR1", "FR1", 1, None), ("FR10", "FR10", 2, None),
    ("FR21", "FRF2", 2, "recoded"), ("FR22", "FRE2", 2, "recoded"),
    ("IE", "IE", 0, None), ("IE01", None, 2, "discontinued"), ("IE02", None, 2, "discontinued"),
    (None, "IE04", 2, "new region"), (None, "IE05", 2, "new region, made from ex-IE023, IE024 and IE025"),
    ("PL", "PL", 0, None), ("PL11", "PL71", 2, "recoded"), ("PL21", "PL21", 2, None), ("PL22", "PL22", 2, None),
    ("EL", "EL", 0, None), ("EL30", "EL30", 2, None), ("EL41", "EL41", 2, None),
    ("UKM2", "UKM7", 2, "boundary shift; lost ex-UKM24"),
]
# (code 2016, code 2021, level, change code, comment) for 'Changes detailed NUTS 2016-2021'
NUTS_2016_2021 = [
    ("DE", "DE", 0, None, None), ("DE11", "DE11", 2, None, None), ("DE12", "DE12", 2, None, None),
    ("DE21", "DE21", 2, None, None), ("FR10", "FR10", 2, None, None), ("FRF2", "FRF2", 2, None, None),
    ("FRE2", "FRE2", 2, 1, "name change"), ("IE04", "IE04", 2, None, None), ("IE05", "IE05", 2, None, None),
    ("PL71", "PL71", 2, None, None), ("PL21", "PL21", 2, None, None), ("PL22", "PL22", 2, None, None),
    ("EL30", "EL30", 2, None, None), ("EL41", "EL41", 2, None, None),
    ("HR04", None, 2, 5, "discontinued; split into new HR02, HR05 and HR06"), (None, "HR05", 2, 6, "new"),
    ("NO05", "NO0A", 2, 3, "recoded (boundary change)"),
    (None, "BE328", None, 6, "new; merge of ex-BE327 and BE324"),   # a real row without a level
]
# (code 2021, code 2024, level, change) for 'NUTS2021- NUTS2024' (and SR rows for the SR sheet)
NUTS_2021_2024 = [
    ("DE", "DE", 0, ""), ("DE11", "DE11", 2, ""), ("DE12", "DE12", 2, ""), ("DE21", "DE21", 2, ""),
    ("FR10", "FR10", 2, ""), ("FRF2", "FRF2", 2, ""), ("FRE2", "FRE2", 2, ""), ("IE04", "IE04", 2, ""),
    ("IE05", "IE05", 2, ""), ("PL71", "PL71", 2, ""), ("PL21", "PL21", 2, ""), ("PL22", "PL22", 2, ""),
    ("EL30", "EL30", 2, ""), ("EL41", "EL41", 2, "art. 5(2a)"),
    ("NL31", None, 2, "Boundary shift"), (None, "NL35", 2, "New region"),
]
SR_2021_2024 = [("NO0A", "NO0A", 2, None), ("NO08", "NO08", 2, "Name change")]


def _save(workbook, path) -> None:
    # Fixed document times, so the same rows give the same bytes.
    from datetime import datetime
    workbook.properties.created = workbook.properties.modified = datetime(2020, 3, 24)
    workbook.save(path)


def write_nuts_2013_2016(path, rows=NUTS_2013_2016) -> None:
    wb = openpyxl.Workbook()
    info = wb.active
    info.title = "Version Date"
    info["A4"], info["D4"] = "Change log:", 'PL912 and PL925 changed from "recoded" into "boundary shift".'
    ws = wb.create_sheet("NUTS2013-NUTS2016")
    ws.append([None, None, None, None, "Labels (version 2016 except in italics = version 2013)", None, None, None,
               "NUTS ", "Sorting order "])
    ws.append([None, "Code 2013", "Code 2016", "Country", "NUTS level 1", "NUTS level 2", "NUTS level 3", "Change",
               "level", "countries", "NUTS 2013", "NUTS 2016"])
    for i, (old, new, level, change) in enumerate(rows, start=1):
        labels = [None, None, None]
        if level:
            labels[level - 1] = f"Region {old or new}"
        ws.append([i, old, new, "COUNTRY" if level == 0 else None, *labels, change, level, 1, i, i])
    corr = wb.create_sheet("Correspondence NUTS-2")
    corr.append(["Code 2013", "Code 2016", "Label", "Change", "Explanation (new = old)"])
    for old, new, level, change in rows:
        if level == 2 and change:
            corr.append([old, new, f"Region {old or new}", change, None])
    _save(wb, path)


def write_nuts_2016_2021(path, rows=NUTS_2016_2021) -> None:
    wb = openpyxl.Workbook()
    info = wb.active
    info.title = "Version Date"
    info.append(["Version", "Date", "Change log"])
    info.append(["1.2", "24.03.2020", "Jan Mayen and Svalbard in Norway added"])
    codes = wb.create_sheet("NUTS & SR 2021")
    codes.append(["Code 2021", "Country", "NUTS level 1", "NUTS level 2", "NUTS level 3", "NUTS level",
                  "Country order", "Region order"])
    ws = wb.create_sheet("Changes detailed NUTS 2016-2021")
    ws.append(["Code 2016", "Code 2021", "Country", "NUTS level 1 \n(italics: NUTS 2016 else NUTS 2021)",
               "NUTS level 2 \n(italics: NUTS 2016 else NUTS 2021)", "NUTS level 3\n(italics: NUTS 2016 else NUTS 2021)",
               "Change codes*", "Change comments", "NUTS level", "Country order", "Region order (NUTS 2016)",
               "Region order (NUTS 2021)", None, None, "* Change codes:"])
    for i, (old, new, level, code, comment) in enumerate(rows, start=1):
        ws.append([old, new, None, None, f"Region {old or new}", None, code, comment, level, 1, i, i])
        if new and level is not None:
            codes.append([new, None, None, f"Region {new}", None, level, 1, i])
    ws.append(["Statistical regions (EFTA countries, candidate countries, potential candidates, other partners):"])
    _save(wb, path)


def write_nuts_2021_2024(path, rows=NUTS_2021_2024, sr_rows=SR_2021_2024) -> None:
    wb = openpyxl.Workbook()
    codes = wb.active
    codes.title = "NUTS2024"
    codes.append(["Country code", "NUTS Code", "NUTS label", "NUTS level", "Country order", "#"])
    header = ["#", "Country Code", "Code 2021", "Code 2024", "NUTS level 1 \n(italics: NUTS 2021 else NUTS 2024)",
              "NUTS level 2 \n(italics: NUTS 2021 else NUTS 2024)", "NUTS level 3 \n(italics: NUTS 2021 else NUTS 2024)",
              "Change", "NUTS level", "Country order", "Region order (NUTS 2021)", "Region order (NUTS 2024)"]
    ws = wb.create_sheet("NUTS2021- NUTS2024")
    ws.append(header)
    for i, (old, new, level, change) in enumerate(rows, start=1):
        ws.append([i, (old or new)[:2], old, new, None, f"Region {old or new}", None, change, level, 1, i, i])
        if new:
            codes.append([new[:2], new, f"Region {new}", level, 1, i])
    sr = wb.create_sheet("SR2021- SR2024")
    sr.append(["#", "Country Code", "Code 2021", "Code 2024", "Statistical Regions level 1 \n(italics: SR 2021 else SR 2024)",
               "Statisitcal Regions level 2 \n(italics: SR 2021 else SR 2024)",
               "Statistical Regions level 3 \n(italics: SR 2021 else SR 2024)", "Change", "SR level", "Country order",
               "Region order (SR 2021)", "Region order (SR 2024)"])
    for i, (old, new, level, change) in enumerate(sr_rows, start=1):
        sr.append([i, (old or new)[:2], old, new, None, f"Region {old or new}", None, change, level, 1, i, i])
    changes = wb.create_sheet("Changes NUTS-2")
    changes.append(["Country Code", "Code 2021", "Code 2024", "Label", "Change", "Explanation (new = old)"])
    _save(wb, path)


# ---------------------------------------------------------------------------------------------
# The mirror folder


def write_eu_mirror(root: Path) -> None:
    """``<root>/eurostat/`` with the seven files the real mirror holds, and its SOURCES.csv."""
    folder = Path(root) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "lfst_r_lfe2en2.tsv.gz": gzip_bytes(legacy_tsv(["unit", "nace_r2", "age", "geo"], lfs_series(), LFS_YEARS),
                                            "lfst_r_lfe2en2.tsv"),
        "nama_10r_2gvagr.tsv.gz": gzip_bytes(legacy_tsv(["unit", "geo"], gva_series(), GVA_YEARS), "nama_10r_2gvagr.tsv"),
    }
    gva_name = "Gross domestic product (GDP) and Gross value added (GVA) in volume by NUTS 2 region"
    gdp_name = "Gross domestic product (GDP) at current market prices by NUTS 2 region"
    files["nama_10r_2gvagr_sdmx-csv_2014-2023.csv"] = sdmx_csv2(
        "ESTAT:NAMA_10R_2GVAGR$DEFAULTVIEW(1.0)", ["freq", "na_item", "unit", "geo"], gva_volume_series(),
        labels=gva_name).encode("utf-8")
    files["nama_10r_2gdp_sdmx-csv_2014-2023.csv"] = sdmx_csv2(
        "ESTAT:NAMA_10R_2GDP$DEFAULTVIEW(1.0)", ["freq", "unit", "geo"], gdp_series(), labels=gdp_name).encode("utf-8")
    for name, content in files.items():
        (folder / name).write_bytes(content)
    write_nuts_2013_2016(folder / "NUTS2013-NUTS2016.xlsx")
    write_nuts_2016_2021(folder / "NUTS2016-NUTS2021.xlsx")
    write_nuts_2021_2024(folder / "NUTS2021-NUTS2024.xlsx")
    rows = []
    for path in sorted(folder.iterdir()):
        if path.name == "SOURCES.csv":
            continue
        data = path.read_bytes()
        code = path.name.split(".")[0]
        rows.append([path.name, len(data), hashlib.sha256(data).hexdigest(), code, "synthetic, publisher layout",
                     f"https://ec.europa.eu/eurostat/synthetic/{path.name}", "synthetic", "tests/e2e/synthetic_eu.py",
                     "synthetic test data"])
    with (folder / "SOURCES.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(SOURCES_COLUMNS)
        writer.writerows(rows)
