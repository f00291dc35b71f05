"""Writers of small synthetic files in the exact layouts the publishers use.

Tests (and the end-to-end run on a synthetic mirror) build their inputs with these, so no real
published file is ever copied into the repository. Each writer returns the path it wrote.

Shapes shared by the writers:
- ``rows`` for World Bank wide files: ``{(code, name): {year: value}}``; ``None`` or a missing year
  is an empty cell.
- values are written the way the publisher writes them: integral floats without '.0'.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date
from pathlib import Path

# Where the read-only mirror of real published files lives, next to the project checkout.
MIRROR_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "raw-snapshots"

BOM = "\ufeff"
WDI_ID_COLUMNS = ["Country Name", "Country Code", "Indicator Name", "Indicator Code"]
# Column names of WDICountry.csv (a member of the WDI bulk CSV zip), in the published order.
WDICOUNTRY_COLUMNS = [
    "Country Code", "Short Name", "Table Name", "Long Name", "2-alpha code", "Currency Unit", "Special Notes",
    "Region", "Income Group", "WB-2 code", "National accounts base year", "National accounts reference year",
    "SNA price valuation", "Lending category", "Other groups", "System of National Accounts",
    "Alternative conversion factor", "PPP survey year", "Balance of Payments Manual in use",
    "External debt Reporting status", "System of trade", "Government Accounting concept",
    "IMF data dissemination standard", "Latest population census", "Latest household survey",
    "Source of most recent Income and expenditure data", "Vital registration complete",
    "Latest agricultural census", "Latest industrial data", "Latest trade data", "Latest water withdrawal data",
]


def number_text(value) -> str:
    """A value as the World Bank writes it: '' for missing, '54922' for whole numbers."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value  # lets a test plant a bad cell
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _quoted_line(fields) -> str:
    """One line of the per-indicator CSV: every field quoted, and a trailing comma."""
    return "".join(f'"{f}",' for f in fields)


# ---------------------------------------------------------------- WDI per-indicator CSV / zip

def wdi_csv_text(indicator_code, indicator_name, last_updated, rows, years, *, newline="\n") -> str:
    lines = [_quoted_line(["Data Source", "World Development Indicators"]), "",
             _quoted_line(["Last Updated Date", last_updated]), "",
             _quoted_line(WDI_ID_COLUMNS + [str(y) for y in years])]
    for (code, name), values in rows.items():
        cells = [number_text(values.get(y)) for y in years]
        lines.append(_quoted_line([name, code, indicator_name, indicator_code] + cells))
    return BOM + newline.join(lines) + newline


def write_wdi_csv(path, indicator_code, indicator_name, last_updated, rows, years, *, newline="\n") -> Path:
    """Per-indicator CSV download: BOM, 4-line preamble, quoted cells, trailing commas."""
    path = Path(path)
    path.write_bytes(wdi_csv_text(indicator_code, indicator_name, last_updated, rows, years,
                                  newline=newline).encode("utf-8"))
    return path


def write_wdi_csv_zip(path, indicator_code, indicator_name, last_updated, rows, years) -> Path:
    """The zip served by ``?downloadformat=csv``: data CSV plus two metadata CSVs."""
    path, stem = Path(path), f"API_{indicator_code}_DS2_en_csv_v2_1"
    text = wdi_csv_text(indicator_code, indicator_name, last_updated, rows, years)
    countries = BOM + '"Country Code","Region","IncomeGroup","SpecialNotes","TableName",\r\n' + "".join(
        f'"{code}","","","","{name}",\r\n' for code, name in rows)
    indicator = (BOM + '"INDICATOR_CODE","INDICATOR_NAME","SOURCE_NOTE","SOURCE_ORGANIZATION",\r\n'
                 f'"{indicator_code}","{indicator_name}","","",\r\n')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"Metadata_Indicator_{stem}.csv", indicator)
        archive.writestr(f"{stem}.csv", text)
        archive.writestr(f"Metadata_Country_{stem}.csv", countries)
    return path


# ---------------------------------------------------------------- WDI per-indicator Excel

def excel_serial(day: date) -> float:
    """Excel 1900-system serial number of a date (2023-05-10 -> 45056.0)."""
    return float((day - date(1899, 12, 30)).days)


def wdi_excel_rows(indicator_code, indicator_name, last_updated, rows, years) -> list[list]:
    """Sheet 'Data' as lists of cell values, as xlrd's ``row_values`` returns them.

    ``last_updated`` is a ``date`` (written as an Excel serial number) or a string.
    """
    stamp = excel_serial(last_updated) if isinstance(last_updated, date) else last_updated
    width = 4 + len(years)
    sheet = [["Data Source", "World Development Indicators"], ["Last Updated Date", stamp], [],
             WDI_ID_COLUMNS + [str(y) for y in years]]
    for (code, name), values in rows.items():
        cells = ["" if values.get(y) is None else values[y] for y in years]
        sheet.append([name, code, indicator_name, indicator_code] + cells)
    return [r + [""] * (width - len(r)) for r in sheet]


def write_xls(path, sheets: dict[str, list[list]], *, date_cells=()) -> Path:
    """An .xls workbook (needs xlwt); ``date_cells`` = (sheet, row, col) to format as dates."""
    import xlwt

    book = xlwt.Workbook()
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for name, rows in sheets.items():
        sheet = book.add_sheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value == "" or value is None:
                    continue
                if (name, r, c) in date_cells:
                    sheet.write(r, c, value, date_style)
                else:
                    sheet.write(r, c, value)
    book.save(str(path))
    return Path(path)


def write_wdi_xls(path, indicator_code, indicator_name, last_updated, rows, years) -> Path:
    """Per-indicator Excel download: sheets 'Data' and the two metadata sheets."""
    data = wdi_excel_rows(indicator_code, indicator_name, last_updated, rows, years)
    countries = [["Country Code", "Region", "IncomeGroup", "SpecialNotes", "TableName"]]
    countries += [[code, "", "", "", name] for code, name in rows]
    indicators = [["INDICATOR_CODE", "INDICATOR_NAME", "SOURCE_NOTE", "SOURCE_ORGANIZATION"],
                  [indicator_code, indicator_name, "", ""]]
    return write_xls(path, {"Data": data, "Metadata - Countries": countries, "Metadata - Indicators": indicators},
                     date_cells={("Data", 1, 1)})


# ---------------------------------------------------------------- WDI DataBank extract

def databank_csv_text(series_rows, years, last_updated: str) -> str:
    """``series_rows`` = [(series name, series code, country name, country code, {year: value})]."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # DataBank writes CRLF, quotes only when needed
    width = 4 + len(years)
    writer.writerow(["Series Name", "Series Code", "Country Name", "Country Code"]
                    + [f"{y} [YR{y}]" for y in years])
    for series_name, series_code, country_name, country_code, values in series_rows:
        cells = [".." if values.get(y) is None else number_text(values[y]) for y in years]
        writer.writerow([series_name, series_code, country_name, country_code] + cells)
    for _ in range(3):
        writer.writerow([""] * width)
    writer.writerow(["Data from database: World Development Indicators"] + [""] * (width - 1))
    writer.writerow([f"Last Updated: {last_updated}"] + [""] * (width - 1))
    return out.getvalue()


def write_wdi_databank_zip(path, series_rows, years, last_updated="11/13/2024",
                           uuid="00000000-1111-2222-3333-444444444444") -> Path:
    """DataBank extract zip: ``<uuid>_Data.csv`` and ``<uuid>_Series - Metadata.csv``."""
    path = Path(path)
    metadata = "Code,License Type,Indicator Name\r\n" + "".join(
        f"{code},CC BY-4.0,{name}\r\n" for code, name in {(r[1], r[0]) for r in series_rows})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{uuid}_Data.csv", databank_csv_text(series_rows, years, last_updated))
        archive.writestr(f"{uuid}_Series - Metadata.csv", metadata)
    return path


# ---------------------------------------------------------------- World Bank API v2 JSON

def wb_api_pages(indicator_code, indicator_name, observations, *, lastupdated="2026-07-01", per_page=50) -> list:
    """Pages ``[meta, records]``; ``observations`` = [(iso3, name, year, value[, obs_status])]."""
    records = []
    for obs in observations:
        iso3, name, year, value = obs[:4]
        records.append({"indicator": {"id": indicator_code, "value": indicator_name},
                        "country": {"id": (iso3[:2] or "XX"), "value": name}, "countryiso3code": iso3,
                        "date": str(year), "value": value, "unit": "",
                        "obs_status": obs[4] if len(obs) > 4 else "", "decimal": 0})
    chunks = [records[i:i + per_page] for i in range(0, len(records), per_page)] or [[]]
    return [[{"page": n, "pages": len(chunks), "per_page": per_page, "total": len(records), "sourceid": "2",
              "lastupdated": lastupdated}, chunk] for n, chunk in enumerate(chunks, start=1)]


def write_wb_api_pages(path, indicator_code, indicator_name, observations, *, lastupdated="2026-07-01",
                       per_page=50, single_page=False) -> Path:
    """The downloader's file: a JSON list of pages, or (``single_page``) the one page itself."""
    pages = wb_api_pages(indicator_code, indicator_name, observations, lastupdated=lastupdated, per_page=per_page)
    if single_page:
        assert len(pages) == 1, "single_page needs per_page >= number of observations"
        pages = pages[0]
    Path(path).write_text(json.dumps(pages), encoding="utf-8")
    return Path(path)


def write_wb_api_error(path, message_id="120", key="Invalid value",
                       value="The provided parameter value is not valid") -> Path:
    """What the API returns (with HTTP 200) for a bad indicator or parameter."""
    Path(path).write_text(json.dumps([{"message": [{"id": message_id, "key": key, "value": value}]}]),
                          encoding="utf-8")
    return Path(path)


def write_wb_api_country_list(path, countries, *, per_page=400) -> Path:
    """``/v2/country?format=json``: ``countries`` = [(id, name, region, income)]; '' region = aggregate."""
    items = []
    for code, name, region, income in countries:
        aggregate = not region
        items.append({"id": code, "iso2Code": code[:2], "name": name,
                      "region": {"id": "NA" if aggregate else "XX", "iso2code": "NA" if aggregate else "XX",
                                 "value": "Aggregates" if aggregate else region},
                      "adminregion": {"id": "", "iso2code": "", "value": ""},
                      "incomeLevel": {"id": "NA" if aggregate else "XX", "iso2code": "NA" if aggregate else "XX",
                                      "value": "Aggregates" if aggregate else income},
                      "lendingType": {"id": "", "iso2code": "", "value": ""},
                      "capitalCity": "", "longitude": "", "latitude": ""})
    meta = {"page": 1, "pages": 1, "per_page": str(per_page), "total": len(items)}
    Path(path).write_text(json.dumps([meta, items]), encoding="utf-8")
    return Path(path)


# ---------------------------------------------------------------- WDI country metadata CSVs

def write_wdi_country_metadata(path, countries) -> Path:
    """WDICountry.csv layout; ``countries`` = [(code, name, region, income group)], '' region = aggregate."""
    lines = [",".join(WDICOUNTRY_COLUMNS)]
    for code, name, region, income in countries:
        fields = dict.fromkeys(WDICOUNTRY_COLUMNS, "")
        fields.update({"Country Code": code, "Short Name": name, "Table Name": name, "Long Name": name,
                       "2-alpha code": code[:2], "Region": region, "Income Group": income, "WB-2 code": code[:2]})
        lines.append(",".join(f'"{v}"' if v else "" for v in fields.values()))
    Path(path).write_bytes((BOM + "\n".join(lines) + "\n").encode("utf-8"))
    return Path(path)


def write_metadata_country_csv(path, countries) -> Path:
    """Metadata_Country_API_*.csv layout (a per-indicator zip member): CRLF, quoted, trailing comma."""
    lines = [_quoted_line(["Country Code", "Region", "IncomeGroup", "SpecialNotes", "TableName"])]
    lines += [_quoted_line([code, region, income, "", name]) for code, name, region, income in countries]
    Path(path).write_bytes((BOM + "\r\n".join(lines) + "\r\n").encode("utf-8"))
    return Path(path)


# ---------------------------------------------------------------- OWID grapher export

def write_owid_csv(path, value_title, rows) -> Path:
    """``Entity,Code,Year,<title>``; ``rows`` = [(entity, code, year, value)]; no trailing newline."""
    lines = [f"Entity,Code,Year,{value_title}"]
    for entity, code, year, value in rows:
        entity = f'"{entity}"' if "," in entity else entity
        lines.append(f"{entity},{code},{year},{number_text(value)}")
    Path(path).write_text("\n".join(lines), encoding="utf-8")
    return Path(path)


# ---------------------------------------------------------------- ITU country .xls

def itu_sheet_rows(blocks, years, *, notes=None, stray_value=None) -> list[list]:
    """Sheet 'Final' as lists of cell values.

    ``blocks`` = [(title, {economy: {year: value}})], laid out side by side with one unnamed
    column between blocks (the published files have it, sometimes holding a stray number:
    ``stray_value`` puts one there for every economy). Then 'Metadata for ...' with
    'Notes YYYY' / 'Source YYYY' per year; ``notes`` = {economy: {year: note}}.
    """
    notes = notes or {}
    economies = list(dict.fromkeys(e for _, values in blocks for e in values))
    block_width = len(years) + 1
    meta_at = 1 + block_width * len(blocks)
    width = meta_at + 2 * len(years)
    titles, year_row = [""] * width, [""] * width
    for b, (title, _) in enumerate(blocks):
        titles[1 + b * block_width] = title
        for i, y in enumerate(years):
            year_row[1 + b * block_width + i] = float(y)
    titles[meta_at] = f"Metadata for {blocks[0][0]}"
    for i, y in enumerate(years):
        year_row[meta_at + 2 * i], year_row[meta_at + 2 * i + 1] = f"Notes {y}", f"Source {y}"
    sheet = [titles, year_row]
    for economy in economies:
        row = [""] * width
        row[0] = economy
        for b, (_, values) in enumerate(blocks):
            for i, y in enumerate(years):
                value = values.get(economy, {}).get(y)
                row[1 + b * block_width + i] = "" if value is None else value
            if stray_value is not None:
                row[b * block_width + block_width] = stray_value
        for i, y in enumerate(years):
            row[meta_at + 2 * i] = notes.get(economy, {}).get(y, "")
            row[meta_at + 2 * i + 1] = "Ministry of Communications."
        sheet.append(row)
    return sheet


def write_itu_xls(path, blocks, years, *, notes=None, stray_value=None) -> Path:
    """An ITU country file: one sheet 'Final' (needs xlwt)."""
    return write_xls(path, {"Final": itu_sheet_rows(blocks, years, notes=notes, stray_value=stray_value)})


# ---------------------------------------------------------------- broken files

HTML_PAGE = b"<!DOCTYPE html>\n<html><head><title>Error</title></head><body>Service unavailable</body></html>\n"


def write_html_page(path) -> Path:
    """What a download saves when the server answers with an error page."""
    Path(path).write_bytes(HTML_PAGE)
    return Path(path)


def truncate(path, keep: float = 0.6) -> Path:
    """Cut a file to a share of its bytes, as an interrupted download leaves it."""
    data = Path(path).read_bytes()
    Path(path).write_bytes(data[: int(len(data) * keep)])
    return Path(path)


def mirror_file(*parts) -> Path:
    """A real published file in the mirror; skips the calling test when it is absent (fails under CI)."""
    from tests.real_mirror import require_mirror

    return require_mirror(MIRROR_DIR.joinpath(*parts), "mirror file")
