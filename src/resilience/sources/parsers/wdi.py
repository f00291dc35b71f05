"""World Bank World Development Indicators: the download formats the World Bank publishes.

- ``parse_wdi_indicator_csv``: per-indicator CSV (``?downloadformat=csv``; the CSV or its zip)
- ``parse_wdi_indicator_excel``: per-indicator Excel (``?downloadformat=excel``, .xls, sheet 'Data')
- ``parse_wdi_databank_zip``: a DataBank extract (zip with ``<uuid>_Data.csv``)
- ``parse_wb_api_json``: API v2 JSON for one indicator (one page or a list of pages)
- ``parse_wdi_country_metadata``: region and income group per code (WDICountry.csv,
  Metadata_Country_*.csv or the API country list)

Each returns the publisher's codes untouched; ``resilience.panels.countries.identity`` resolves identities.
"""

from __future__ import annotations

import json
import re
from datetime import datetime

import pandas as pd
import xlrd

from resilience.errors import InputError
from resilience.sources.parsers._common import (
    cell, check_field_count, decode_text, finish_table, is_blank, open_xls, open_zip,
    parse_year, pick_zip_member, read_bytes, read_csv_rows, read_zip_member, reject_html, to_values,
    to_years, xls_sheet_rows,
)
from resilience.tidy import Parsed

INDICATOR_ID_COLUMNS = ["Country Name", "Country Code", "Indicator Name", "Indicator Code"]
DATABANK_ID_COLUMNS = ["Series Name", "Series Code", "Country Name", "Country Code"]
DATABANK_YEAR_HEADER = re.compile(r"(\d{4}) \[YR\1\]")
DATABANK_MISSING = {"", ".."}


# ---------------------------------------------------------------- per-indicator CSV and Excel

def parse_wdi_indicator_csv(path) -> Parsed:
    """Per-indicator CSV download, given as the CSV itself or as the zip the World Bank serves."""
    data, source = read_bytes(path), str(path)
    if data.startswith(b"PK") or str(path).lower().endswith(".zip"):
        archive = open_zip(path, data)
        member = pick_zip_member(path, archive, lambda n: n.startswith("API_") and n.lower().endswith(".csv"),
                                 "per-indicator data CSV (API_*.csv)")
        data, source = read_zip_member(path, archive, member), f"{path} [zip member {member}]"
    reject_html(source, data)
    rows = read_csv_rows(source, decode_text(source, data))
    return _parse_indicator_sheet(source, rows, read_date=_date_from_text, check_width=True)


def parse_wdi_indicator_excel(path) -> Parsed:
    """Per-indicator Excel download (.xls): sheet 'Data' laid out like the CSV."""
    data = read_bytes(path)
    book = open_xls(path, data)
    return wdi_excel_rows_to_parsed(path, xls_sheet_rows(path, book, "Data"), datemode=book.datemode)


def wdi_excel_rows_to_parsed(path, rows: list[list], datemode: int = 0) -> Parsed:
    """The 'Data' sheet given as lists of cell values (xlrd's ``row_values``), rows numbered from 1."""
    numbered = [(i + 1, list(r)) for i, r in enumerate(rows)]

    def read_date(where, value, row, field):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return _date_from_excel_serial(where, value, datemode, row, field)
        return _date_from_text(where, value, row, field)

    return _parse_indicator_sheet(path, numbered, read_date=read_date, check_width=False)


def _parse_indicator_sheet(path, rows, *, read_date, check_width: bool) -> Parsed:
    """Preamble ('Data Source', 'Last Updated Date'), a header row, then one row per economy."""
    preamble_end = _last_updated_row(path, rows)
    line, cells = rows[preamble_end]
    vintage = read_date(path, cell(cells, 1), line, "Last Updated Date")
    header_at = _next_non_blank(rows, preamble_end + 1)
    if header_at is None:
        raise InputError(path, "ends before the header row; the file is truncated", row=line,
                         expected=f"a header {INDICATOR_ID_COLUMNS + ['1960', '...']}")
    years = _indicator_year_columns(path, *rows[header_at])
    records = [(n, r) for n, r in rows[header_at + 1:] if not all(is_blank(c) for c in r)]
    if check_width:  # CSV only: a shorter last record is a file cut mid-line
        for line, fields in records:
            check_field_count(path, line, fields, len(rows[header_at][1]))
    if not records:
        raise InputError(path, "has a header but no data rows; the file is truncated", row=rows[header_at][0],
                         expected="one row per economy")
    long = _melt_records(path, records, id_columns=INDICATOR_ID_COLUMNS, years=years)
    long["value"] = to_values(path, long["cell"], missing={""}, rows=long["source_row"], fields=long["field"])
    long = long[long["value"].notna()]
    table = long.rename(columns={"Country Code": "country_code", "Country Name": "country_name",
                                 "Indicator Code": "series"}).assign(flags="")
    return Parsed(finish_table(path, table), vintage=vintage)


def _last_updated_row(path, rows) -> int:
    """Index of the 'Last Updated Date' row, after a first row 'Data Source'."""
    if not rows or str(cell(rows[0][1], 0)).strip() != "Data Source":
        first = rows[0][1][:2] if rows else "nothing"
        raise InputError(path, f"does not start with the WDI preamble (found {first!r})", row=1,
                         field="Data Source", expected="first row 'Data Source','World Development Indicators'")
    for i, (_, cells) in enumerate(rows[:6]):
        if str(cell(cells, 0)).strip() == "Last Updated Date":
            return i
    raise InputError(path, "has no 'Last Updated Date' row in its preamble", field="Last Updated Date",
                     expected="'Last Updated Date' in the first rows; the file may be truncated or changed")


def _next_non_blank(rows, start: int) -> int | None:
    for i in range(start, len(rows)):
        if not all(is_blank(c) for c in rows[i][1]):
            return i
    return None


def _indicator_year_columns(path, line: int, header: list) -> dict[int, int]:
    """Column index -> year for the header; the four id columns must come first, unchanged."""
    names = [str(c).strip() for c in header]
    for i, expected in enumerate(INDICATOR_ID_COLUMNS):
        if cell(names, i) != expected:
            raise InputError(path, f"header column {i + 1} is {cell(names, i)!r}, not {expected!r}", row=line,
                             field=expected, expected=f"header starting {INDICATOR_ID_COLUMNS}")
    years = {}
    for col, name in enumerate(names[len(INDICATOR_ID_COLUMNS):], start=len(INDICATOR_ID_COLUMNS)):
        if name:  # the trailing comma of every line yields one last, nameless column
            years[col] = parse_year(path, name, row=line, field=f"header column {col + 1}")
    if not years:
        raise InputError(path, "header has no year columns", row=line, expected="columns '1960', '1961', ...")
    return years


def _melt_records(path, records, *, id_columns: list[str], years: dict[int, int]) -> pd.DataFrame:
    """Long table: one row per record x year with the raw cell, its file row and a field label."""
    repeated = sorted({y for y in years.values() if list(years.values()).count(y) > 1})
    if repeated:
        raise InputError(path, f"year {repeated[0]} appears twice in the header", field=str(repeated[0]),
                         expected="each year column once")
    wide = pd.DataFrame([[str(cell(r, i)).strip() for i in range(len(id_columns))]
                         + [cell(r, c) for c in years] + [n] for n, r in records],
                        columns=id_columns + list(years.values()) + ["source_row"])
    for name in ("Country Code", "Indicator Code", "Series Code"):
        if name in wide and (wide[name] == "").any():
            i = int((wide[name] == "").idxmax())
            raise InputError(path, f"empty {name}", row=int(wide.at[i, "source_row"]), field=name,
                             expected="a code in every data row")
    long = wide.melt(id_vars=id_columns + ["source_row"], var_name="year", value_name="cell")
    long["year"] = long["year"].astype("int64")
    long["field"] = long["year"].astype(str)
    return long


def _date_from_text(path, value, row, field) -> str:
    """ISO date from '2026-07-13' (CSV, newer Excel) or '7/13/2026' (DataBank style)."""
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%m/%d/%Y", "%Y-%m-%dT%H:%M:%S"):
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    raise InputError(path, f"date {text!r} cannot be read", row=row, field=field,
                     expected="a date such as 2026-07-13 or 7/13/2026")


def _date_from_excel_serial(path, value: float, datemode: int, row, field) -> str:
    try:
        return xlrd.xldate_as_datetime(value, datemode).date().isoformat()
    except (xlrd.xldate.XLDateError, ValueError, OverflowError) as exc:
        raise InputError(path, f"date serial {value!r} cannot be read ({exc})", row=row, field=field,
                         expected="an Excel date") from exc


# ---------------------------------------------------------------- DataBank extract

def parse_wdi_databank_zip(path) -> Parsed:
    """DataBank extract: ``<uuid>_Data.csv`` with series x country rows, '..' for missing, a dated footer."""
    data = read_bytes(path)
    archive = open_zip(path, data)
    member = pick_zip_member(path, archive, lambda n: n.endswith("_Data.csv") or n == "Data.csv",
                             "DataBank data CSV (*_Data.csv)")
    source = f"{path} [zip member {member}]"
    raw = read_zip_member(path, archive, member)
    reject_html(source, raw)
    rows = read_csv_rows(source, decode_text(source, raw))
    if not rows:
        raise InputError(source, "is empty", expected="a DataBank data CSV")
    header_line, header = rows[0]
    years = _databank_year_columns(source, header_line, header)
    records, footer = _split_databank_footer(source, rows[1:], width=len(header))
    if not records:
        raise InputError(source, "has no data rows", expected="one row per series x economy")
    long = _melt_records(source, records, id_columns=DATABANK_ID_COLUMNS, years=years)
    long["value"] = to_values(source, long["cell"], missing=DATABANK_MISSING, rows=long["source_row"],
                              fields=long["field"])
    long = long[long["value"].notna()]
    table = long.rename(columns={"Country Code": "country_code", "Country Name": "country_name",
                                 "Series Code": "series"}).assign(flags="")
    return Parsed(finish_table(source, table), vintage=_databank_vintage(source, footer),
                  notes=[f"read {member} from the DataBank extract"])


def _databank_year_columns(path, line: int, header: list[str]) -> dict[int, int]:
    names = [h.strip() for h in header]
    for i, expected in enumerate(DATABANK_ID_COLUMNS):
        if cell(names, i) != expected:
            raise InputError(path, f"header column {i + 1} is {cell(names, i)!r}, not {expected!r}", row=line,
                             field=expected, expected=f"header starting {DATABANK_ID_COLUMNS}")
    years = {}
    for col, name in enumerate(names[len(DATABANK_ID_COLUMNS):], start=len(DATABANK_ID_COLUMNS)):
        match = DATABANK_YEAR_HEADER.fullmatch(name)
        if not match:
            raise InputError(path, f"unexpected header column {name!r}", row=line, field=f"header column {col + 1}",
                             expected="year columns like '2014 [YR2014]'")
        years[col] = int(match.group(1))
    if not years:
        raise InputError(path, "header has no year columns", row=line, expected="columns like '2014 [YR2014]'")
    return years


def _split_databank_footer(path, rows, *, width: int):
    """Data rows up to the first blank (all-comma) row; the rest is the footer."""
    records = []
    for i, (line, fields) in enumerate(rows):
        if all(is_blank(f) for f in fields):
            return records, rows[i:]
        check_field_count(path, line, fields, width)
        records.append((line, fields))
    return records, []


def _databank_vintage(path, footer) -> str:
    """'Last Updated: 11/13/2024' from the footer; without it the extract was cut short."""
    for line, fields in footer:
        first = fields[0].strip() if fields else ""
        if first.startswith("Last Updated:"):
            return _date_from_text(path, first.removeprefix("Last Updated:"), line, "Last Updated")
    raise InputError(path, "has no 'Last Updated: ...' footer; the file may be truncated", field="Last Updated",
                     expected="footer lines 'Data from database: ...' and 'Last Updated: mm/dd/yyyy'")


# ---------------------------------------------------------------- API v2 JSON

def parse_wb_api_json(path) -> Parsed:
    """Indicator data from the API: one page ``[meta, records]`` or a list of such pages."""
    data = read_bytes(path)
    reject_html(path, data)
    pages = _api_pages(path, _parse_json(path, decode_text(path, data)))
    records = [r for _, page_records in pages for r in page_records]
    table = _api_records_to_table(path, records)
    return Parsed(finish_table(path, table), vintage=_api_vintage(path, pages))


def _parse_json(path, text: str):
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(path, f"is not valid JSON ({exc.msg}); the file may be truncated", row=exc.lineno,
                         expected="World Bank API v2 JSON") from exc


def _api_pages(path, payload) -> list[tuple[dict, list]]:
    """(metadata, records) per page, checked complete: every page present, record count = total."""
    if isinstance(payload, list) and payload and isinstance(payload[0], dict):
        payload = [payload]  # a single page
    if not isinstance(payload, list) or not payload or not all(isinstance(p, list) and p for p in payload):
        raise InputError(path, "is not World Bank API v2 JSON",
                         expected="[{page metadata}, [records]] or a list of such pages")
    pages = [_api_page(path, page, i) for i, page in enumerate(payload, start=1)]
    _check_api_pages_complete(path, pages)
    return pages


def _api_page(path, page: list, number: int) -> tuple[dict, list]:
    meta = page[0]
    if isinstance(meta, dict) and "message" in meta:
        raise InputError(path, f"holds an API error message instead of data: {_api_error_text(meta['message'])}",
                         expected="indicator data")
    if not isinstance(meta, dict) or "page" not in meta or len(page) != 2:
        raise InputError(path, f"page {number} is not [metadata, records]", row=number,
                         expected="each page as [{page, pages, per_page, total, lastupdated}, [records]]")
    records = page[1] if page[1] is not None else []  # the API sends null when a query has no rows
    if not isinstance(records, list):
        raise InputError(path, f"page {number} records are not a list", row=number, expected="a list of records")
    return meta, records


def _api_error_text(message) -> str:
    items = message if isinstance(message, list) else [message]
    return "; ".join(f"{m.get('key', '')}: {m.get('value', '')} (id {m.get('id', '')})" if isinstance(m, dict)
                     else str(m) for m in items)


def _check_api_pages_complete(path, pages) -> None:
    try:
        declared = int(pages[0][0].get("pages", len(pages)))
        total = int(pages[0][0].get("total", sum(len(r) for _, r in pages)))
        present = sorted(int(meta["page"]) for meta, _ in pages)
    except (TypeError, ValueError) as exc:
        raise InputError(path, f"page metadata is not numeric ({exc})", field="page",
                         expected="integer page, pages and total") from exc
    if present != list(range(1, declared + 1)) and not (declared == 0 and present in ([0], [1])):
        raise InputError(path, f"holds pages {present} of {declared}; the download is incomplete", field="page",
                         expected=f"pages 1-{declared}")
    count = sum(len(r) for _, r in pages)
    if count != total:
        raise InputError(path, f"holds {count} records but the API reports total {total}; the download is "
                         "incomplete", field="total", expected=f"{total} records")


def _api_records_to_table(path, records: list) -> pd.DataFrame:
    rows = [_api_record(path, r, i) for i, r in enumerate(records, start=1)]
    columns = ["country_code", "country_name", "series", "year", "cell", "flags", "source_row"]
    table = pd.DataFrame(rows, columns=columns)
    table["value"] = to_values(path, table["cell"], missing={""}, rows=table["source_row"],
                               fields=pd.Series("value", index=table.index))
    table = table[table["value"].notna()].copy()
    table["year"] = to_years(path, table["year"], rows=table["source_row"], field="date")
    return table


def _api_record(path, record, number: int) -> tuple:
    """One observation; a missing key names the record (numbered from 1 across pages)."""
    def need(obj, key, label):
        if not isinstance(obj, dict) or key not in obj:
            raise InputError(path, f"record {number} lacks {label!r}", row=number, field=label,
                             expected="API records with indicator, country, countryiso3code, date, value")
        return obj[key]

    country = need(record, "country", "country")
    return (str(need(record, "countryiso3code", "countryiso3code") or "").strip(),
            str(need(country, "value", "country.value") or "").strip(),
            str(need(need(record, "indicator", "indicator"), "id", "indicator.id")).strip(),
            need(record, "date", "date"),
            _none_as_empty(need(record, "value", "value")),
            str(record.get("obs_status") or "").strip(),
            number)


def _none_as_empty(value):
    """The API's null is its 'no observation' marker; '' keeps it apart from a float NaN column."""
    return "" if value is None else value


def _api_vintage(path, pages) -> str:
    stamps = {str(meta.get("lastupdated") or "").strip() for meta, _ in pages} - {""}
    if not stamps:
        return ""
    return _date_from_text(path, max(stamps), None, "lastupdated")


# ---------------------------------------------------------------- country metadata

COUNTRY_LAYOUTS = {
    # WDICountry.csv, a member of the WDI bulk CSV zip
    "WDICountry": {"code": "Country Code", "name": "Table Name", "region": "Region", "income_group": "Income Group"},
    # Metadata_Country_API_<code>_DS2_....csv, a member of a per-indicator zip
    "Metadata_Country": {"code": "Country Code", "name": "TableName", "region": "Region",
                         "income_group": "IncomeGroup"},
}
COUNTRY_COLUMNS = ["code", "name", "region", "income_group", "kind"]


def parse_wdi_country_metadata(path) -> pd.DataFrame:
    """Code, name, region, income group and kind ('economy' / 'aggregate') for each WDI code.

    Aggregates (WLD, HIC, EAS, ...) are the codes without a region, in every layout.
    """
    data = read_bytes(path)
    reject_html(path, data)
    text = decode_text(path, data)
    if text.lstrip().startswith("["):
        table = _countries_from_api(path, _parse_json(path, text))
    else:
        table = _countries_from_csv(path, text)
    dup = table["code"].duplicated()
    if dup.any():
        raise InputError(path, f"code {table['code'][dup].iloc[0]!r} appears twice", field="code",
                         expected="one row per code")
    table["kind"] = table["region"].map(lambda r: "economy" if r else "aggregate")
    return table[COUNTRY_COLUMNS].reset_index(drop=True)


def _countries_from_csv(path, text: str) -> pd.DataFrame:
    rows = [(n, r) for n, r in read_csv_rows(path, text) if r]
    if not rows:
        raise InputError(path, "is empty", expected="a WDI country metadata CSV")
    header_line, header = rows[0]
    names = [h.strip() for h in header]
    layout = COUNTRY_LAYOUTS["Metadata_Country" if "IncomeGroup" in names else "WDICountry"]
    missing = [c for c in layout.values() if c not in names]
    if missing:
        raise InputError(path, f"header lacks {missing}", row=header_line, field=missing[0],
                         expected=f"the columns of WDICountry.csv {list(COUNTRY_LAYOUTS['WDICountry'].values())} or "
                                  f"of Metadata_Country_*.csv {list(COUNTRY_LAYOUTS['Metadata_Country'].values())}")
    out = []
    for line, fields in rows[1:]:
        check_field_count(path, line, fields, len(header))
        out.append({key: fields[names.index(col)].strip() for key, col in layout.items()})
        if not out[-1]["code"]:
            raise InputError(path, "empty Country Code", row=line, field="Country Code", expected="a code")
    return pd.DataFrame(out, columns=list(layout))


def _countries_from_api(path, payload) -> pd.DataFrame:
    """API country list: aggregates carry region 'Aggregates', which here becomes an empty region."""
    pages = _api_pages(path, payload)
    out = []
    for number, item in enumerate((r for _, recs in pages for r in recs), start=1):
        if not isinstance(item, dict) or not str(item.get("id") or "").strip():
            raise InputError(path, f"country record {number} has no id", row=number, field="id",
                             expected="records with id, name, region, incomeLevel")
        region = _api_label(item.get("region"))
        income = _api_label(item.get("incomeLevel"))
        out.append({"code": str(item["id"]).strip(), "name": str(item.get("name") or "").strip(),
                    "region": "" if region == "Aggregates" else region,
                    "income_group": "" if income == "Aggregates" else income})
    return pd.DataFrame(out, columns=["code", "name", "region", "income_group"])


def _api_label(obj) -> str:
    return str(obj.get("value") or "").strip() if isinstance(obj, dict) else ""


__all__ = [
    "parse_wdi_indicator_csv", "parse_wdi_indicator_excel", "wdi_excel_rows_to_parsed", "parse_wdi_databank_zip",
    "parse_wb_api_json", "parse_wdi_country_metadata",
]
