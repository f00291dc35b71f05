"""Synthetic files in the exact layouts of the NBS 分省年度数据 exports, the easyquery JSON answer, the
PKU-DFIIC Stata file and the compiled long panel (quirks as in the real mirror files: GBK, CRLF, no
BOM, newest year first, '注：' notes with ideographic-space continuation lines, the
'数据来源：国家统计局' footer; the compiled CSV in UTF-8 with BOM)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pandas as pd

SHEET = "分省年度数据"
FOOTER = "数据来源：国家统计局"
IDEOGRAPHIC_INDENT = "\u3000\u3000\u3000"


def export_lines(indicator: str, years_newest_first: list[int], rows: dict[str, list], notes: list[str],
                 time_label: str = "最近20年") -> list[list[str]]:
    """The export's lines as cells; None in ``rows`` is an empty cell. Notes after the first are written
    as NBS does: on their own line, indented with three ideographic spaces."""
    lines = [["数据库：分省年度数据"], [f"指标：{indicator}"], [f"时间：{time_label}"],
             ["地区"] + [f"{y}年" for y in years_newest_first]]
    for name, values in rows.items():
        lines.append([name] + ["" if v is None else _number(v) for v in values])
    for i, note in enumerate(notes):
        lines.append([("注：" if i == 0 else IDEOGRAPHIC_INDENT) + note])
    lines.append([FOOTER])
    return lines


def write_nbs_csv(path, indicator, years_newest_first, rows, notes, time_label="最近20年") -> Path:
    """GBK-encoded CSV with CRLF line ends, no BOM (as NBS exports)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    for line in export_lines(indicator, years_newest_first, rows, notes, time_label):
        writer.writerow(line)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue().encode("gbk"))
    return path


def write_nbs_v2026_csv(path, time_label: str, columns: list[str], rows: dict[str, list], notes: list[str]) -> Path:
    """The newer export layout: UTF-8 with BOM, LF line ends, '数据库：' and '时间：' lines (each with a
    trailing space) but no '指标：' line, every cell followed by a tab before its comma (so each table
    line ends with ',' and an empty cell is a lone tab), notes and footer as plain lines, no newline
    after the footer. ``columns`` are the header cells after '地区' (years as '2025年', or indicator
    titles such as '地区生产总值 (亿元) ' with the publisher's trailing space); None in ``rows`` is empty."""
    lines = ["数据库：分省年度数据 ", f"时间：{time_label} ", "".join(f"{c}\t," for c in ["地区"] + columns)]
    for name, values in rows.items():
        cells = [name] + ["" if v is None else _number(v) for v in values]
        lines.append("".join(f"{c}\t," for c in cells))
    lines += [("注：" if i == 0 else "") + note for i, note in enumerate(notes)]
    lines.append(FOOTER)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\xef\xbb\xbf" + "\n".join(lines).encode("utf-8"))
    return path


def write_nbs_xlsx(path, indicator, years_newest_first, rows, notes, time_label="1992-2023") -> Path:
    """One sheet '分省年度数据', numbers as numeric cells, header and notes in column A."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = SHEET
    for line in export_lines(indicator, years_newest_first, rows, [], time_label)[:-1]:
        sheet.append([_numeric(c) for c in line])
    for note in notes:
        sheet.append([f"注：{note}"])
    sheet.append([FOOTER])
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def easyquery_answer(zb: str, name: str, unit: str, values: dict[tuple[str, int], float | None],
                     regions: dict[str, str]) -> dict:
    """The QueryData JSON answer: one datanode per (region code, year); None -> hasdata false."""
    nodes = []
    for (reg, year), value in values.items():
        nodes.append({"code": f"zb.{zb}_reg.{reg}_sj.{year}",
                      "data": {"data": 0 if value is None else value, "dotcount": 1, "hasdata": value is not None,
                               "strdata": "" if value is None else _number(value)},
                      "wds": [{"valuecode": zb, "wdcode": "zb"}, {"valuecode": reg, "wdcode": "reg"},
                              {"valuecode": str(year), "wdcode": "sj"}]})
    years = sorted({y for _, y in values}, reverse=True)
    wdnodes = [
        {"nodes": [{"cname": name, "code": zb, "dotcount": 1, "exp": "", "ifshowcode": False, "memo": "",
                    "name": name, "nodesort": "1", "sortcode": 1, "tag": "", "unit": unit}],
         "wdcode": "zb", "wdname": "指标"},
        {"nodes": [{"cname": n, "code": c, "dotcount": 0, "exp": "", "ifshowcode": False, "memo": "", "name": n,
                    "nodesort": "1", "sortcode": i, "tag": "", "unit": ""} for i, (c, n) in enumerate(regions.items())],
         "wdcode": "reg", "wdname": "地区"},
        {"nodes": [{"cname": f"{y}年", "code": str(y), "dotcount": 4, "exp": "", "ifshowcode": False, "memo": "",
                    "name": f"{y}年", "nodesort": "1", "sortcode": i, "tag": "", "unit": ""}
                   for i, y in enumerate(years)],
         "wdcode": "sj", "wdname": "时间"},
    ]
    return {"returncode": 200, "returndata": {"datanodes": nodes, "freshsort": 0, "hasdatacount": len(nodes),
                                              "wdnodes": wdnodes, "yearcount": len(years)}}


def write_easyquery_json(path, answer: dict) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(answer, ensure_ascii=False), encoding="utf-8")
    return path


PKU_COLUMNS = ["year", "prov_name", "prov_name_eng", "prov_code", "index_aggregate", "coverage_breadth",
               "usage_depth", "payment", "insurance", "monetary_fund", "investment", "credit",
               "credit_investigation", "digitization_level"]


def write_pku_dta(path, frame: pd.DataFrame) -> Path:
    """Stata 118 file with the cleaner's variable set (year and prov_code stored as doubles)."""
    frame = frame.reindex(columns=PKU_COLUMNS)
    frame = frame.astype({c: "float64" for c in PKU_COLUMNS if c not in ("prov_name", "prov_name_eng")})
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_stata(path, write_index=False, version=118,
                   variable_labels={"year": "年份 / Year", "index_aggregate": "数字普惠金融总指数 / DFI aggregate index"})
    return path


def write_compiled_csv(path, frame: pd.DataFrame) -> Path:
    """UTF-8 with BOM, LF line ends, empty cells for missing values (as the compiled panel)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(frame.to_csv(index=False, lineterminator="\n").encode("utf-8-sig"))
    return path


def _number(value) -> str:
    return f"{value:.1f}" if isinstance(value, float) else str(value)


def _numeric(cell: str):
    try:
        return float(cell) if "." in cell else int(cell)
    except ValueError:
        return cell if cell else None
