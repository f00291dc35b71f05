"""Writers of synthetic trade files in the publishers' exact layouts (no real file is copied).

- Census "U.S. Trade in Goods by Country" workbook (country.xlsx): one sheet ``country``, header
  ``year, CTY_CODE, CTYNAME, IJAN..IDEC, IYR, EJAN..EDEC, EYR``; year and code are text cells,
  values numbers in millions of US$; months not yet published are 0 for every row.
- UN Comtrade Plus CSV export: unquoted camelCase header of 47 columns, every non-empty value
  quoted, empty values unquoted, a trailing comma on every data row, CRLF line ends; UTF-8 or
  Latin-1 as downloaded.
- UN Comtrade public API reply: ``{"elapsedTime", "count", "data": [records], "error"}`` with
  JSON numbers and booleans.
- Census international trade API reply: a JSON array of arrays, header first, every value a
  string, the predicate variables (``COMM_LVL``, ``time``) appended to the requested ones.
"""

from __future__ import annotations

import json
import re
import zipfile
from datetime import datetime
from pathlib import Path

MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
CENSUS_HEADER = (["year", "CTY_CODE", "CTYNAME"] + [f"I{m}" for m in MONTHS] + ["IYR"]
                 + [f"E{m}" for m in MONTHS] + ["EYR"])

COMTRADE_COLUMNS = [
    "typeCode", "freqCode", "refPeriodId", "refYear", "refMonth", "period", "reporterCode", "reporterISO",
    "reporterDesc", "flowCode", "flowDesc", "partnerCode", "partnerISO", "partnerDesc", "partner2Code",
    "partner2ISO", "partner2Desc", "classificationCode", "classificationSearchCode", "isOriginalClassification",
    "cmdCode", "cmdDesc", "aggrLevel", "isLeaf", "customsCode", "customsDesc", "mosCode", "motCode", "motDesc",
    "qtyUnitCode", "qtyUnitAbbr", "qty", "isQtyEstimated", "altQtyUnitCode", "altQtyUnitAbbr", "altQty",
    "isAltQtyEstimated", "netWgt", "isNetWgtEstimated", "grossWgt", "isGrossWgtEstimated", "cifvalue", "fobvalue",
    "primaryValue", "legacyEstimationFlag", "isReported", "isAggregate",
]
FLOW_DESC = {"M": "Import", "X": "Export"}
REPORTERS = {"USA": ("842", "USA"), "CHN": ("156", "China"), "DEU": ("276", "Germany")}


# ---------------------------------------------------------------- Census workbook

def census_row(year: int, code: str, name: str, imports: list[float], exports: list[float]) -> list:
    """One workbook row; the year totals are the sums of the months, as the Census computes them."""
    return [str(year), code, name, *imports, sum(imports), *exports, sum(exports)]


def write_census_workbook(path, rows: list[list], *, sheet: str = "country", header=None) -> Path:
    import openpyxl

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(list(header or CENSUS_HEADER))
    for row in rows:
        ws.append(row)
    book.properties.creator = "sas user"
    book.save(path)
    _fix_stamps(path, CENSUS_GENERATED)
    return path


# The published 2023-03 vintage: every zip entry and the core properties dated at generation.
CENSUS_GENERATED = datetime(2023, 3, 1, 17, 54, 0)


def _fix_stamps(path: Path, when: datetime) -> None:
    """openpyxl stamps the save time into docProps/core.xml and the zip entries; put ``when``
    everywhere instead, so the same rows give the same bytes (and sha256) in every run."""
    with zipfile.ZipFile(path) as archive:
        members = [(info.filename, archive.read(info)) for info in archive.infolist()]
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)",
                              rb"\g<1>" + stamp + rb"\g<2>", data)
            info = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)


# ---------------------------------------------------------------- UN Comtrade

def comtrade_record(reporter: str, flow: str, partner_code: int, partner_iso: str, partner_desc: str, year: int,
                    value: float, *, cmd: str = "TOTAL", cmd_desc: str = "All Commodities", classification: str = "H6",
                    customs: str = "C00", mot: int = 0, month: int | None = None) -> dict:
    """A Comtrade record with the fields and JSON types of the API (numbers stay numbers)."""
    reporter_code, reporter_desc = REPORTERS[reporter]
    period = year if month is None else year * 100 + month
    return {
        "typeCode": "C", "freqCode": "A" if month is None else "M",
        "refPeriodId": int(f"{year}{(month or 1):02d}01"), "refYear": year, "refMonth": 52 if month is None else month,
        "period": str(period), "reporterCode": int(reporter_code), "reporterISO": reporter, "reporterDesc": reporter_desc,
        "flowCode": flow, "flowDesc": FLOW_DESC[flow], "partnerCode": partner_code, "partnerISO": partner_iso,
        "partnerDesc": partner_desc, "partner2Code": 0, "partner2ISO": "W00", "partner2Desc": "World",
        "classificationCode": classification, "classificationSearchCode": "HS", "isOriginalClassification": True,
        "cmdCode": cmd, "cmdDesc": cmd_desc, "aggrLevel": 0 if cmd == "TOTAL" else 2, "isLeaf": False,
        "customsCode": customs, "customsDesc": "TOTAL CPC", "mosCode": "0", "motCode": mot, "motDesc": "TOTAL MOT",
        "qtyUnitCode": -1, "qtyUnitAbbr": "N/A", "qty": None, "isQtyEstimated": False, "altQtyUnitCode": -1,
        "altQtyUnitAbbr": "N/A", "altQty": None, "isAltQtyEstimated": False, "netWgt": None,
        "isNetWgtEstimated": False, "grossWgt": None, "isGrossWgtEstimated": False,
        "cifvalue": value if flow == "M" else None, "fobvalue": value if flow == "X" else None,
        "primaryValue": value, "legacyEstimationFlag": 0, "isReported": True, "isAggregate": False,
    }


def _csv_cell(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return '"true"' if value else '"false"'
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f'"{value}"'


def comtrade_csv_text(records: list[dict]) -> str:
    lines = [",".join(COMTRADE_COLUMNS)]
    for record in records:
        lines.append("".join(_csv_cell(record.get(c)) + "," for c in COMTRADE_COLUMNS))
    return "\r\n".join(lines) + "\r\n"


def write_comtrade_csv(path, records: list[dict], *, encoding: str = "utf-8") -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(comtrade_csv_text(records).encode(encoding))
    return path


def write_comtrade_json(path, records: list[dict], *, count: int | None = None, error: str = "") -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    body = {"elapsedTime": "0.41 secs", "count": len(records) if count is None else count, "data": records,
            "error": error}
    path.write_text(json.dumps(body), encoding="utf-8")
    return path


# ---------------------------------------------------------------- Census international trade API

def write_census_api_json(path, header: list[str], rows: list[list]) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    body = [header] + [[str(v) for v in row] for row in rows]
    # The API writes one row per line: '[["CTY_CODE",...],\n["5700",...],\n...]'
    path.write_text("[" + ",\n".join(json.dumps(r) for r in body) + "]", encoding="utf-8")
    return path
