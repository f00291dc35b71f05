"""Writers of synthetic risk-index files in the publishers' exact layouts (made-up values).

Layouts copied from the real files (raw-snapshots/gpr and raw-snapshots/epu; see
``resilience.sources.parsers.risk``): sheet names and order, header rows and their spelling, cell
types (Excel date cells in the GPR ``month`` column, text ``DAY``, years as text in the US and China
EPU files), rows newest first in the US file, the blank row and citation row under the EPU data,
the GPR legend columns ``var_name``/``var_label``, the WUI description tab T0 and the two blank
rows above the monthly WUI's F1 table.

Each writer takes the values to write, so a test states exactly what the file holds.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

GPR_GLOBAL_HEADER = ["GPR", "GPRT", "GPRA", "GPRH", "GPRHT", "GPRHA", "SHARE_GPR", "N10", "SHARE_GPRH", "N3H",
                     "GPRH_NOEW", "GPR_NOEW", "GPRH_AND", "GPR_AND", "GPRH_BASIC", "GPR_BASIC"] + \
                    [f"SHAREH_CAT_{i}" for i in range(1, 9)]
GPR_DAILY_HEADER = ["DAY", "N10D", "GPRD", "GPRD_ACT", "GPRD_THREAT", "date", "GPRD_MA30", "GPRD_MA7", "event",
                    "var_name", "var_label"]
EPU_SOURCE = ("Source: 'Measuring Economic Policy Uncertainty' by Scott Baker, Nicholas Bloom and Steven J. Davis at "
              "www.PolicyUncertainty.com.  These data can be used freely with attribution to the authors, the paper, "
              "and the website.")
CHINA_SOURCE = ("Source: 'Economic Policy Uncertainty in China' by Scott Baker, Nicholas Bloom, Steven J. Davis and "
                "Sophie Wang (2013)  at www.PolicyUncertainty.com.  These data can be used freely with attribution "
                "to the authors, the paper, and the website.")
GEPU_CITATION = ("Citation: Davis, Steven J., 2016. \u201cAn Index of Global Economic Policy Uncertainty,\u201d "
                 "Macroeconomic Review, October.")
WUI_CITATION = "Ahir, H, N Bloom, and D Furceri (2022), \u201cWorld Uncertainty Index\u201d, NBER Working Paper."
WUI_T1_HEADER = ["Year", "Global (simple average)", "Global (GDP weighted average)", "Advanced economies",
                 "Emerging economies", "Low-income economies", "Africa", "Asia and the Pacific", "Europe",
                 "Middle East and Central Asia", "Western Hemisphere"]


def months(first: tuple[int, int], last: tuple[int, int]) -> list[date]:
    out, (y, m) = [], first
    while (y, m) <= last:
        out.append(date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def quarters(first_year: int, last: tuple[int, int]) -> list[str]:
    return [f"{y}q{q}" for y in range(first_year, last[0] + 1) for q in range(1, 5) if (y, q) <= last]


# ------------------------------------------------------------------------------------------ .xls


def _xls_book():
    import xlwt  # the test extra (pyproject.toml [test])
    return xlwt, xlwt.Workbook()


def write_gpr_monthly_xls(path, month_list: list[date], global_values: dict[str, dict[date, float]],
                          country_values: dict[tuple[str, str], dict[date, float]], *, header_override=None,
                          text_cells: dict[tuple[int, str], str] | None = None) -> Path:
    """``data_gpr_export.xls``: Sheet1, row 1 the variable names, dates in ``month``; empty cells where a
    series has no value (the recent indices before 1985). ``country_values`` keys: ('GPRC', 'CHN')."""
    xlwt, book = _xls_book()
    sheet = book.add_sheet("Sheet1")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    countries = sorted({iso for _, iso in country_values})
    header = ["month"] + GPR_GLOBAL_HEADER + [f"GPRC_{c}" for c in countries] + [f"GPRHC_{c}" for c in countries] \
        + ["var_name", "var_label"]
    header = header_override or header
    legend = [("var_name", "var_label"), ("month", "Date (year/month)"), ("GPR", "Recent GPR (Index: 1985:2019=100)"),
              ("GPRH", "Historical GPR (Index: 1900:2019=100)")]
    for c, name in enumerate(header):
        sheet.write(0, c, name)
    for r, day in enumerate(month_list, start=1):
        for c, name in enumerate(header):
            if (r, name) in (text_cells or {}):
                sheet.write(r, c, text_cells[(r, name)])
            elif name == "month":
                sheet.write(r, c, datetime(day.year, day.month, 1), date_style)
            elif name in ("var_name", "var_label"):
                text = legend[r][name == "var_label"] if r < len(legend) else ""
                sheet.write(r, c, text)
            elif name.startswith(("GPRC_", "GPRHC_")):
                value = country_values.get(tuple(name.split("_", 1)), {}).get(day)
                if value is not None:
                    sheet.write(r, c, value)
            elif global_values.get(name, {}).get(day) is not None:
                sheet.write(r, c, global_values[name][day])
    book.save(str(path))
    return Path(path)


def write_gpr_daily_xls(path, days: dict[date, dict[str, float]], events: dict[date, str] | None = None) -> Path:
    """``data_gpr_daily_recent.xls``: DAY as text YYYYMMDD, the indices, an Excel ``date``, event labels."""
    xlwt, book = _xls_book()
    sheet = book.add_sheet("Sheet1")
    date_style = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    for c, name in enumerate(GPR_DAILY_HEADER):
        sheet.write(0, c, name)
    legend = [("DAY", "DAY"), ("N10D", "Number of articles (10 recent newspapers, 1985-)"),
              ("GPRD", "Daily GPR (Index: 1985:2019=100)")]
    for r, (day, values) in enumerate(sorted(days.items()), start=1):
        sheet.write(r, 0, f"{day:%Y%m%d}")
        for c, name in enumerate(GPR_DAILY_HEADER[1:], start=1):
            if name == "date":
                sheet.write(r, c, datetime(day.year, day.month, day.day), date_style)
            elif name == "event":
                sheet.write(r, c, (events or {}).get(day, ""))
            elif name in ("var_name", "var_label"):
                sheet.write(r, c, legend[r - 1][name == "var_label"] if r - 1 < len(legend) else "")
            else:
                sheet.write(r, c, values.get(name, 100.0 + r))
    book.save(str(path))
    return Path(path)


# ------------------------------------------------------------------------------------------ .xlsx


def _xlsx_book(creator: str | None = None):
    import openpyxl
    book = openpyxl.Workbook()
    book.remove(book.active)
    if creator:
        book.properties.creator = creator
    return book


def _save(book, path) -> Path:
    book.save(str(path))
    return Path(path)


def write_epu_global_xlsx(path, rows: list[tuple[int, int, float, float]], *, header=None) -> Path:
    """Sheet1: Year, Month, GEPU_current, GEPU_ppp (numbers), a blank row, the citation row."""
    book = _xlsx_book("Asher")
    sheet = book.create_sheet("Sheet1")
    sheet.append(header or ["Year", "Month", "GEPU_current", "GEPU_ppp"])
    for row in rows:
        sheet.append(list(row))
    sheet.append([None, None, None, None])
    sheet.cell(row=sheet.max_row + 1, column=1, value=GEPU_CITATION)
    return _save(book, path)


def write_epu_us_xlsx(path, rows: list[tuple[int, int, float]], legacy: list[tuple] = ()) -> Path:
    """Main News Index (years as text, rows newest first, source row) and Legacy Three Component EPU."""
    book = _xlsx_book()
    main = book.create_sheet("Main News Index")
    main.append(["Year", "Month", "News_Based_Policy_Uncert_Index"])
    for year, month, value in sorted(rows, reverse=True):
        main.append([str(year), month, value])
    main.append([EPU_SOURCE])
    old = book.create_sheet("Legacy Three Component EPU")
    old.append(["Year", "Month", "Three_Component_Index", "News_Based_Policy_Uncert_Index",
                "FedStateLocal_Ex_disagreement", "CPI_disagreement", "Tax_expiration"])
    for year, month, *values in legacy:
        old.append([str(year), month, *values])
    old.append([EPU_SOURCE])
    return _save(book, path)


def write_epu_china_xlsx(path, rows: list[tuple], *, source_row: bool = True) -> Path:
    """China EPU Index: year, month, China News-Based EPU (years as text), then the source row."""
    book = _xlsx_book()
    sheet = book.create_sheet("China EPU Index")
    sheet.append(["year", "month", "China News-Based EPU"])
    for year, month, value in rows:
        sheet.append([str(year) if isinstance(year, int) else year, month, value])
    if source_row:
        sheet.append([CHINA_SOURCE])
    return _save(book, path)


def write_wui_quarterly_xlsx(path, aggregates: dict[str, dict[str, float]], countries: dict[str, dict[str, float]],
                             periods: list[str], *, t2_name: str = "T2", stray: tuple[int, int, object] | None = None
                             ) -> Path:
    """WUI_Data.xlsx: T0 (description), F1, F2, T1 (averages), T2 (country WUI), T3-T6 (counts, 3Q moving
    average), T7 (country list), T8 (trade uncertainty), T9 (GDP weights). ``aggregates``: {T1 column:
    {period: value}}; ``countries``: {ISO3: {period: value}}; ``stray``: (row, col, value) put in T1."""
    book = _xlsx_book("Hites Ahir")
    codes = sorted(countries)
    t0 = book.create_sheet("T0")
    t0.append([None])
    t0.append(["Tab", "Description", None, "Update"])
    t0.append(["F1", "This tab contains the figure for the World Uncertainty Index (WUI).", None, "2025Q1 data added."])
    t0.append(["Note 2.", "The use of the data and figure should be cited as:"])
    t0.append([None, WUI_CITATION])
    f1 = book.create_sheet("F1")
    f1.append([None, None, "World Uncertainty Index"])
    f1.append([None, None, "GDP weighted average"])
    f1.append(["year", "year2", "WUI"])
    gdp = aggregates.get("Global (GDP weighted average)", {})
    for period in periods:
        f1.append([period, int(period[:4]), gdp.get(period)])
    f2 = book.create_sheet("F2")
    f2.append([None, "World Trade Uncertainty Index"])
    f2.append(["year", "WTUI"])
    t1 = book.create_sheet("T1")
    t1.append(WUI_T1_HEADER)
    for period in periods:
        t1.append([period] + [aggregates.get(name, {}).get(period) for name in WUI_T1_HEADER[1:]])
    if stray:
        t1.cell(row=stray[0], column=stray[1], value=stray[2])
    for name in (t2_name, "T3", "T4", "T5", "T6"):
        sheet = book.create_sheet(name)
        sheet.append(["year"] + codes)
        for period in periods:
            if name == t2_name:
                sheet.append([period] + [countries[c].get(period) for c in codes])
            else:
                sheet.append([period] + [None if countries[c].get(period) is None else 1 for c in codes])
    t7 = book.create_sheet("T7")
    t7.append(["iso_code", "weo_code", "country_name", "region", "IMF_income"])
    for i, code in enumerate(codes):
        t7.append([code, 100 + i, f"Country {code}", "EUR", 1])
    t8 = book.create_sheet("T8")
    t8.append(["year", "World Trade Uncertainty (WTU) index (equally weighted average)",
               "World Trade Uncertainty (WTU) index (GDP weighted average)"] + codes)
    t9 = book.create_sheet("T9")
    t9.append(["year"] + codes)
    for year in range(1960, 1963):
        t9.append([year] + [1 / len(codes)] * len(codes))
    return _save(book, path)


def write_wui_monthly_xlsx(path, countries: dict[str, dict[date, float]], world: dict[date, float],
                           month_list: list[date]) -> Path:
    """WUI_M_dataset: T0, F1 (two blank rows, then date / 'WUI, GDP weighted average'), T1 (country WUI,
    Excel dates), T2-T4 (counts), T5 (country list), F2, T6, F3, T7."""
    book = _xlsx_book("Hites Ahir")
    codes = sorted(countries)
    t0 = book.create_sheet("T0")
    t0.append([None])
    t0.append(["Tab", "Description", None, "Update"])
    t0.append(["F1", "This tab contains the figure for the World Uncertainty Index (WUI).", None,
               "May-2026 data added."])
    t0.append([None, WUI_CITATION])
    f1 = book.create_sheet("F1")
    f1.append([None])
    f1.append([None])
    f1.append(["date", "WUI, GDP weighted average"])
    for day in month_list:
        f1.append([datetime(day.year, day.month, 1), world.get(day)])
    for name in ("T1", "T2", "T3", "T4"):
        sheet = book.create_sheet(name)
        sheet.append(["date"] + codes)
        for day in month_list:
            cells = [countries[c].get(day) if name == "T1" else 3 for c in codes]
            sheet.append([datetime(day.year, day.month, 1)] + cells)
    t5 = book.create_sheet("T5")
    t5.append(["iso_code", "weo_code", "country_name", "region", "IMF_income"])
    for name, title in (("F2", "WTUI, GDP weighted average"), ("T6", None), ("F3", "WPUI, GDP weighted average"),
                        ("T7", None)):
        sheet = book.create_sheet(name)
        if title:
            sheet.append([None])
            sheet.append([None])
        sheet.append(["date"] + ([title] if title else codes))
    return _save(book, path)
