"""Writer of small synthetic UN AMA workbooks in the exact layout UNSD publishes.

Values and footnote texts are made up; only the layout (title row, blank row, header row, a
footnote sheet with "X" marks, the workbook's 'modified' property) follows the real downloads.

Shapes:
- ``rows``: ``{(country_id, country, indicator): {year: value}}``; a missing year or ``None`` is an
  empty cell, a str is written as text (lets a test plant a bad cell).
- ``footnotes``: ``{(country_id, country, item, footnote): [years marked "X"]}``; ``[]`` = no mark.
"""

from __future__ import annotations

import re
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl

YEARS = list(range(2005, 2013))
MANUFACTURING = "Manufacturing (ISIC D)"
GDP = "Gross Domestic Product (GDP)"
TITLES = {
    "constant": "GDP/breakdown at constant 2015 prices in US Dollars (all countries)",
    "current": "GDP/breakdown at current prices in US Dollars (all countries)",
}
DATA_HEADER = ["CountryID", "Country", "IndicatorName"]
FOOTNOTE_HEADER = ["CountryID", "Country", "Item", "Footnote"]

DEFAULT_ROWS = {
    (156, "China", MANUFACTURING): {y: 1000.0 + 100 * (y - 2005) for y in YEARS},
    (156, "China", GDP): {y: 5000.5 + 250 * (y - 2005) for y in YEARS},
    (704, "Viet Nam", MANUFACTURING): {**{y: 20.0 + y - 2005 for y in YEARS}, 2011: None},
    (412, "Kosovo", GDP): {y: 7 for y in YEARS if y >= 2008},  # an int cell, as Excel stores some
}
VALUATION_NOTE = "Synthetic note: valuation includes net taxes on products."
COVERAGE_NOTE = "Synthetic note: coverage excludes one activity."
SERIES_NOTE = "Synthetic note: applies to the series, no year marked."
DEFAULT_FOOTNOTES = {
    (704, "Viet Nam", MANUFACTURING, VALUATION_NOTE): [y for y in YEARS if y <= 2009],
    (704, "Viet Nam", MANUFACTURING, COVERAGE_NOTE): YEARS,
    (412, "Kosovo", GDP, SERIES_NOTE): [],
}
DEFAULT_MODIFIED = datetime(2024, 12, 18, 10, 30, 0)


def write_ama_workbook(path, price_basis: str = "constant", rows=None, footnotes=None, *,
                       years=YEARS, title: str | None = None, data_header=None, footnote_header=None,
                       footnote_sheet: str | None = "default", modified: datetime | None = DEFAULT_MODIFIED) -> Path:
    """Write an AMA GDP/breakdown workbook; the keyword options let a test break one thing at a time.

    ``footnote_sheet=None`` leaves the footnote sheet out; ``modified=None`` keeps openpyxl's save time.
    """
    path = Path(path)
    rows = DEFAULT_ROWS if rows is None else rows
    footnotes = DEFAULT_FOOTNOTES if footnotes is None else footnotes
    workbook = openpyxl.Workbook()
    _write_data_sheet(workbook.active, price_basis, rows, years, title, data_header)
    if footnote_sheet is not None:
        name = f"Download-Footnotes-{price_basis}" if footnote_sheet == "default" else footnote_sheet
        _write_footnote_sheet(workbook.create_sheet(name), footnotes, years, footnote_header)
    workbook.save(path)
    if modified is not None:
        _set_modified(path, modified)
    return path


def _write_data_sheet(sheet, price_basis, rows, years, title, header) -> None:
    sheet.title = f"Download-GDP{price_basis}-USD-countr"  # UNSD's name, cut at Excel's 31 characters
    sheet.append([TITLES[price_basis] if title is None else title])
    sheet.append([])
    sheet.append(list(header) if header is not None else DATA_HEADER + list(years))
    for (country_id, country, indicator), values in rows.items():
        sheet.append([country_id, country, indicator] + [values.get(y) for y in years])


def _write_footnote_sheet(sheet, footnotes, years, header) -> None:
    sheet.append(list(header) if header is not None else FOOTNOTE_HEADER + list(years))
    for (country_id, country, item, footnote), marked in footnotes.items():
        sheet.append([country_id, country, item, footnote] + ["X" if y in marked else None for y in years])


def _set_modified(path: Path, modified: datetime) -> None:
    """openpyxl stamps the save time into docProps/core.xml; put the wanted date there instead."""
    with zipfile.ZipFile(path) as archive:
        members = [(info, archive.read(info)) for info in archive.infolist()]
    stamp = modified.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in members:
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                              rb"\g<1>" + stamp + rb"\g<2>", data)
            archive.writestr(info, data)
