"""National Bureau of Statistics of China (data.stats.gov.cn) provincial data, and the PKU index.

Four published shapes, each to a ``Parsed`` long table (``country_code`` = the publisher's
province code where the file has one, else ''; ``country_name`` = the province name as written;
``series`` = the indicator as the file names it; ``flags`` = 'compiled' for compiled files):

1. ``parse_nbs_export``: the 分省年度数据 export of the database's web page (CSV, XLSX or XLS)::

       数据库：分省年度数据
       指标：地区生产总值(亿元)
       时间：最近20年
       地区,2024年,2023年,...          <- year row, newest first
       北京市,49670.2,47353.7,...      <- one row per province (全国 first when selected)
       注：1. ...                       <- footnotes; continuation lines start with ideographic spaces
       　　　2. ...
       数据来源：国家统计局

   CSVs are GBK (CP936) with CRLF line ends, no BOM, no trailing commas; an empty cell is a year
   NBS has no value for (dropped). XLSX exports hold the same lines in one sheet (分省年度数据),
   numbers as numeric cells. Footnotes are returned in ``Parsed.notes`` (full text, continuation
   lines joined), the indicator in ``series`` and the header lines in ``Parsed.notes`` too.
   The newer export layout (files exported from 2026 on) is UTF-8 with a BOM and LF line ends, has
   ``数据库：`` and ``时间：`` lines but no ``指标：`` line, ends every cell with a tab before its
   comma (``北京市\t,105.1\t,...``, one trailing comma per line) and no newline after the footer.
   It comes in two shapes, told apart by the ``地区`` row:

   - years as columns (``地区\t,2025年\t,2024年\t,...``): one indicator, which the file does not
     name, so the catalog passes it (``parse_options`` ``indicator=...``); a file with a ``指标：``
     line uses that line;
   - indicators as columns (``地区\t,地区生产总值 (亿元) \t,第一产业增加值 (亿元) \t,...``), one
     year per file, given by the ``时间：2019年`` line; ``series`` is the column title as written
     (inner spaces kept, outer ones stripped).

   Both shapes and the older one go through the same reader: cells are stripped, so the tabs vanish.
2. ``parse_nbs_easyquery_json``: the JSON answer of the documented query interface
   ``https://data.stats.gov.cn/easyquery.htm?m=QueryData&dbcode=fsnd&rowcode=reg&colcode=sj&wds=[...]&dfwds=[...]``:
   ``{"returncode": 200, "returndata": {"datanodes": [{"code", "data": {"data", "dotcount",
   "hasdata", "strdata"}, "wds": [{"wdcode": "zb"|"reg"|"sj", "valuecode"}]}], "wdnodes": [{"wdcode",
   "nodes": [{"code", "cname", "unit", ...}]}]}}``. A node with ``hasdata`` false is dropped;
   the value is read from ``strdata`` (the published decimal), ``series`` is the zb code.
3. ``parse_pku_dfiic_dta``: the Peking University Digital Financial Inclusion Index, province
   sheet, as a Stata file (year, prov_name, prov_code, index_aggregate, coverage_breadth, ...).
4. ``parse_nbs_compiled_csv``: a researcher-compiled long panel (UTF-8 with BOM; 地区, 年份, then
   one column per indicator). Every row is flagged 'compiled': it is not a publisher file.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pandas as pd

from resilience.errors import InputError
from resilience.sources.parsers._common import (
    finish_table, open_xls, read_bytes, read_csv_rows, reject_html, to_values, xls_sheet_rows,
)
from resilience.tidy import Parsed

DATABASE_PREFIX = "数据库"
INDICATOR_PREFIX = "指标"
TIME_PREFIX = "时间"
REGION_HEADER = "地区"
NOTE_PREFIX = "注"
SOURCE_PREFIX = "数据来源"
SHEET_NAME = "分省年度数据"
YEAR_CELL = re.compile(r"^(\d{4})年$")
COLONS = ("：", ":")
COMPILED_FLAG = "compiled"
PKU_ID_COLUMNS = ["year", "prov_name", "prov_code"]
PKU_INDEX_COLUMNS = ["index_aggregate", "coverage_breadth", "usage_depth", "digitization_level"]
COMPILED_ID_COLUMNS = ["地区", "年份"]


def parse_nbs_export(path, indicator: str | None = None) -> Parsed:
    """An NBS 分省年度数据 export, CSV (GBK, or UTF-8 with BOM), XLSX or XLS by the file's suffix (layouts in
    the module doc); ``indicator`` names the series of a years-as-columns file without a ``指标：`` line."""
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        rows = _csv_lines(path)
    elif suffix == ".xlsx":
        rows = _xlsx_lines(path)
    elif suffix == ".xls":
        rows = _xls_lines(path)
    else:
        raise InputError(path, f"unknown NBS export suffix {suffix!r}", expected="a .csv, .xlsx or .xls export")
    return _parse_export_lines(path, rows, indicator)


def parse_nbs_easyquery_json(path) -> Parsed:
    """The easyquery ``QueryData`` JSON answer (shape in the module doc)."""
    data = read_bytes(path)
    reject_html(path, data)
    try:
        body = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(path, f"is not JSON ({exc})", expected="the easyquery QueryData JSON answer") from exc
    if not isinstance(body, dict) or body.get("returncode") != 200:
        code = body.get("returncode") if isinstance(body, dict) else None
        said = str(body.get("returndata") if isinstance(body, dict) else body)[:200]
        raise InputError(path, f"returncode {code!r}: {said}",
                         field="returncode", expected="200 (a successful query)")
    returned = body.get("returndata")
    if not isinstance(returned, dict) or not isinstance(returned.get("datanodes"), list):
        raise InputError(path, "no returndata.datanodes list", field="returndata", expected="returndata.datanodes")
    names = _wdnode_names(returned.get("wdnodes", []))
    records = [_datanode_record(path, i, node, names) for i, node in enumerate(returned["datanodes"])]
    records = [r for r in records if r is not None]
    if not records:
        raise InputError(path, "no data node has data", field="datanodes", expected="at least one node with hasdata")
    table = pd.DataFrame(records)
    notes = [f"{code} {name} ({unit})" if unit else f"{code} {name}"
             for code, (name, unit) in sorted(names.get("zb", {}).items())]
    return Parsed(finish_table(path, table.assign(flags="")), vintage="", notes=notes)


def parse_pku_dfiic_dta(path) -> Parsed:
    """The PKU-DFIIC province table as a Stata file: one row per province-year, one column per index."""
    data = read_bytes(path)
    reject_html(path, data)
    try:
        frame = pd.read_stata(io.BytesIO(data), convert_categoricals=False)
    except Exception as exc:  # pandas raises ValueError, struct.error, UnicodeDecodeError ... on damaged files
        raise InputError(path, f"cannot be read as a Stata .dta file ({type(exc).__name__}: {exc})",
                         expected="a Stata .dta file") from exc
    missing = [c for c in PKU_ID_COLUMNS + PKU_INDEX_COLUMNS if c not in frame.columns]
    if missing:
        raise InputError(path, f"missing variables {missing}", field=missing[0],
                         expected=f"variables {PKU_ID_COLUMNS + PKU_INDEX_COLUMNS}")
    value_columns = [c for c in frame.columns if c not in PKU_ID_COLUMNS and c != "prov_name_eng"]
    long = frame.melt(id_vars=PKU_ID_COLUMNS, value_vars=value_columns, var_name="series", value_name="cell")
    long["source_row"] = long.index % len(frame) + 1
    long["value"] = to_values(path, long["cell"].map(_cell_text), missing={"", "nan"}, rows=long["source_row"],
                              fields=long["series"])
    long = long[long["value"].notna()]
    table = pd.DataFrame({"country_code": long["prov_code"].map(_integer_text), "country_name": long["prov_name"],
                          "year": long["year"].map(lambda y: _year(path, y)), "series": long["series"],
                          "value": long["value"], "flags": COMPILED_FLAG, "source_row": long["source_row"]})
    return Parsed(finish_table(path, table), vintage="", notes=[])


def parse_nbs_compiled_csv(path) -> Parsed:
    """A compiled long panel (地区, 年份, indicator columns; UTF-8 with BOM); every value flagged 'compiled'."""
    data = read_bytes(path)
    reject_html(path, data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(path, f"is not UTF-8 text: byte {exc.start} is invalid", expected="a UTF-8 CSV") from exc
    rows = [(n, r) for n, r in read_csv_rows(path, text) if any(c.strip() for c in r)]
    if not rows or [c.strip() for c in rows[0][1][:2]] != COMPILED_ID_COLUMNS:
        raise InputError(path, f"header starts {rows[0][1][:2] if rows else []}", row=1, field="header",
                         expected=f"columns {COMPILED_ID_COLUMNS} then one column per indicator")
    header = [c.strip() for c in rows[0][1]]
    records = []
    for line, fields in rows[1:]:
        if len(fields) != len(header):
            raise InputError(path, f"record has {len(fields)} fields but the header has {len(header)}", row=line,
                             expected=f"{len(header)} fields per record")
        for column, cell in zip(header[2:], fields[2:]):
            records.append((fields[0].strip(), fields[1].strip(), column, cell, line))
    long = pd.DataFrame(records, columns=["country_name", "year_text", "series", "cell", "source_row"])
    long["value"] = to_values(path, long["cell"], missing={""}, rows=long["source_row"], fields=long["series"])
    long = long[long["value"].notna()]
    long["year"] = [_year(path, y, row=r) for y, r in zip(long["year_text"], long["source_row"])]
    return Parsed(finish_table(path, long.assign(country_code="", flags=COMPILED_FLAG)), vintage="", notes=[])


# --- the export layout -----------------------------------------------------------------------------


def _parse_export_lines(path, rows: list[tuple[int, list[str]]], indicator: str | None = None) -> Parsed:
    rows = [(n, [c.strip() for c in r]) for n, r in rows]
    rows = [(n, r) for n, r in rows if any(r)]
    header = _header_lines(path, rows)
    year_at = next((i for i, (_, r) in enumerate(rows) if r[0] == REGION_HEADER), None)
    if year_at is None:
        raise InputError(path, f"no year row starting with {REGION_HEADER!r}", field=REGION_HEADER,
                         expected=f"a row '{REGION_HEADER},2024年,2023年,...'")
    year_line, year_row = rows[year_at]
    titles = [c for c in year_row[1:] if c]
    if titles and not any(YEAR_CELL.match(c) for c in titles):
        return _parse_indicator_columns(path, rows, header, year_at)
    indicator = header.get(INDICATOR_PREFIX) or indicator
    if not indicator:
        raise InputError(path, f"no header line '{INDICATOR_PREFIX}：...' and no indicator given for this "
                               "years-as-columns export", row=1, field=INDICATOR_PREFIX,
                         expected="an '指标：' line, or the catalog's parse_options 'indicator=...'")
    years = _years(path, year_line, year_row)
    records, notes = _body(path, rows, year_at,
                           lambda line, fields: _region_records(path, line, fields, years, indicator))
    return _finish_export(path, records, header, notes)


def _parse_indicator_columns(path, rows, header: dict[str, str], title_at: int) -> Parsed:
    """The newer one-year layout: provinces as rows, indicators as columns, the year in '时间：2019年'."""
    match = re.fullmatch(r"(\d{4})年", header.get(TIME_PREFIX, ""))
    if not match:
        raise InputError(path, f"time line {header.get(TIME_PREFIX, '')!r} is not one year", row=1,
                         field=TIME_PREFIX, expected="'时间：2019年' for a file with indicators as columns")
    year = int(match.group(1))
    title_line, title_row = rows[title_at]
    titles = title_row[1:]
    while titles and not titles[-1]:
        titles.pop()
    if not all(titles) or len(set(titles)) != len(titles):
        raise InputError(path, f"indicator titles {titles}", row=title_line, field=REGION_HEADER,
                         expected="distinct, non-empty indicator titles")

    def records(line, fields):
        values = fields[1:]
        if len(values) > len(titles) and any(values[len(titles):]):
            raise InputError(path, f"row has {len(values)} value cells but the title row has {len(titles)}",
                             row=line, expected=f"{len(titles)} values")
        values = (values + [""] * len(titles))[:len(titles)]
        return [(fields[0], year, title, cell, line, title) for title, cell in zip(titles, values)]

    found, notes = _body(path, rows, title_at, records)
    return _finish_export(path, found, header, notes)


def _body(path, rows, header_at: int, records_of) -> tuple[list[tuple], list[str]]:
    """Province records after the header row, then the notes and the source footer."""
    records, notes, in_notes, source_seen = [], [], False, False
    for line, fields in rows[header_at + 1:]:
        first = fields[0]
        if _starts(first, SOURCE_PREFIX):
            source_seen = True
            continue
        if in_notes or _starts(first, NOTE_PREFIX):
            in_notes = True
            _add_note(notes, ",".join(fields).rstrip(","))   # a note with an ASCII comma spans fields
            continue
        if source_seen:
            raise InputError(path, f"data row {first!r} after the footer", row=line,
                             expected="province rows before the notes and the source line")
        records += records_of(line, fields)
    if not records:
        raise InputError(path, "has a header row but no province rows; the file is truncated", row=rows[header_at][0],
                         expected="one row per province")
    if not source_seen:
        raise InputError(path, f"no footer line '{SOURCE_PREFIX}：国家统计局'; the file may be truncated",
                         field=SOURCE_PREFIX, expected="the NBS footer after the table")
    return records, notes


def _finish_export(path, records, header: dict[str, str], notes: list[str]) -> Parsed:
    table = pd.DataFrame(records, columns=["country_name", "year", "series", "cell", "source_row", "column"])
    table["value"] = to_values(path, table["cell"], missing={""}, rows=table["source_row"], fields=table["column"])
    table = table[table["value"].notna()].assign(country_code="", flags="")
    header_notes = [f"{key}：{value}" for key, value in header.items()]
    return Parsed(finish_table(path, table), vintage="", notes=header_notes + [f"注：{n}" for n in notes])


def _header_lines(path, rows) -> dict[str, str]:
    found = {}
    for line, fields in rows[:3]:
        key, value = _split_label(fields[0])
        if key in (DATABASE_PREFIX, INDICATOR_PREFIX, TIME_PREFIX):
            found[key] = value
    if DATABASE_PREFIX not in found:
        raise InputError(path, f"no header line '{DATABASE_PREFIX}：...' in the first three lines", row=1,
                         field=DATABASE_PREFIX, expected="the NBS export header (数据库：..., 指标：..., 时间：...)")
    return found


def _years(path, line: int, fields: list[str]) -> list[int]:
    cells = fields[1:]
    while cells and not cells[-1]:
        cells.pop()
    years = []
    for column, cell in enumerate(cells, start=2):
        match = YEAR_CELL.match(cell)
        if not match:
            raise InputError(path, f"year cell {cell!r} is not of the form '2024年'", row=line,
                             field=f"column {column}",
                             expected="years written as 2024年")
        years.append(int(match.group(1)))
    if not years or len(set(years)) != len(years):
        raise InputError(path, f"year row {cells}", row=line, expected="distinct years")
    return years


def _region_records(path, line: int, fields: list[str], years: list[int], indicator: str) -> list[tuple]:
    values = fields[1:]
    if len(values) > len(years) and any(values[len(years):]):
        raise InputError(path, f"row has {len(values)} value cells but the year row has {len(years)}", row=line,
                         expected=f"{len(years)} values")
    values = (values + [""] * len(years))[:len(years)]
    return [(fields[0], year, indicator, cell, line, f"{year}年") for year, cell in zip(years, values)]


def _add_note(notes: list[str], text: str) -> None:
    """'注：1.xxx' opens the notes; a line starting with a number opens the next one; others continue."""
    text = text.strip()
    if _starts(text, NOTE_PREFIX):
        text = _split_label(text)[1]
        notes.append(text)
    elif re.match(r"^\d+[.．、]", text) or not notes:
        notes.append(text)
    else:
        notes[-1] += text
    if not notes[-1]:
        notes.pop()


def _split_label(cell: str) -> tuple[str, str]:
    for colon in COLONS:
        key, sep, value = cell.partition(colon)
        if sep:
            return key.strip(), value.strip()
    return cell.strip(), ""


def _starts(cell: str, prefix: str) -> bool:
    return any(cell.startswith(prefix + colon) for colon in COLONS)


def _csv_lines(path) -> list[tuple[int, list[str]]]:
    data = read_bytes(path)
    reject_html(path, data)
    if data.startswith(b"\xef\xbb\xbf"):
        text = data.decode("utf-8-sig")
    else:
        try:
            text = data.decode("gb18030")           # a superset of GBK / CP936, as NBS writes
        except UnicodeDecodeError as exc:
            raise InputError(path, f"is neither GBK nor UTF-8 text: byte {exc.start} is invalid",
                             expected="an NBS CSV export (GBK)") from exc
    return read_csv_rows(path, text)


def _xlsx_lines(path) -> list[tuple[int, list[str]]]:
    import openpyxl  # noqa: PLC0415 (only the .xlsx readers need it; most jobs import the parsers)

    data = read_bytes(path)
    reject_html(path, data)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # zipfile.BadZipFile, KeyError, InvalidFileException ...
        raise InputError(path, f"cannot be read as an .xlsx workbook ({type(exc).__name__}: {exc})",
                         expected="an NBS .xlsx export") from exc
    try:
        if SHEET_NAME not in book.sheetnames:
            raise InputError(path, f"has no sheet {SHEET_NAME!r} (sheets: {book.sheetnames})", field=SHEET_NAME,
                             expected=f"the export sheet {SHEET_NAME!r}")
        return [(n, [_cell_text(v) for v in row])
                for n, row in enumerate(book[SHEET_NAME].iter_rows(values_only=True), start=1)]
    finally:
        book.close()


def _xls_lines(path) -> list[tuple[int, list[str]]]:
    data = read_bytes(path)
    book = open_xls(path, data)
    return [(n, [_cell_text(v) for v in row]) for n, row in enumerate(xls_sheet_rows(path, book, SHEET_NAME), start=1)]


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:   # NaN
            return ""
        return repr(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _integer_text(value) -> str:
    return _cell_text(value).strip()


def _year(path, value, row: int | None = None) -> int:
    text = _cell_text(value).strip()
    if not re.fullmatch(r"\d{4}", text):
        raise InputError(path, f"year {value!r} is not a calendar year", row=row, field="year",
                         expected="a four-digit year")
    return int(text)


# --- easyquery JSON ---------------------------------------------------------------------------------


def _wdnode_names(wdnodes) -> dict[str, dict[str, tuple[str, str]]]:
    names: dict[str, dict[str, tuple[str, str]]] = {}
    for block in wdnodes if isinstance(wdnodes, list) else []:
        for node in block.get("nodes", []) if isinstance(block, dict) else []:
            names.setdefault(block.get("wdcode", ""), {})[str(node.get("code"))] = (
                str(node.get("cname") or node.get("name") or ""), str(node.get("unit") or ""))
    return names


def _datanode_record(path, index: int, node, names) -> dict | None:
    where = f"datanodes[{index}]"
    try:
        dims = {w["wdcode"]: str(w["valuecode"]) for w in node["wds"]}
        data = node["data"]
        has_data = bool(data["hasdata"])
    except (KeyError, TypeError) as exc:
        raise InputError(path, f"{where} lacks {exc}", field=where,
                         expected="wds (wdcode, valuecode) and data") from exc
    missing = [d for d in ("zb", "reg", "sj") if d not in dims]
    if missing:
        raise InputError(path, f"{where} has no {missing} dimension", field=where, expected="dimensions zb, reg, sj")
    if not has_data:
        return None
    text = str(data.get("strdata", "")).strip() or _cell_text(data.get("data"))
    if not re.fullmatch(r"\d{4}", dims["sj"]):
        raise InputError(path, f"{where}: time {dims['sj']!r} is not a year", field="sj", expected="annual data (fsnd)")
    return {"country_code": dims["reg"], "country_name": names.get("reg", {}).get(dims["reg"], ("", ""))[0],
            "year": int(dims["sj"]), "series": dims["zb"], "cell": text, "source_row": index,
            "value": to_values(path, pd.Series([text]), missing=set(), rows=pd.Series([index]),
                               fields=pd.Series([where])).iloc[0]}


__all__ = ["COMPILED_FLAG", "parse_nbs_compiled_csv", "parse_nbs_easyquery_json", "parse_nbs_export",
           "parse_pku_dfiic_dta"]
