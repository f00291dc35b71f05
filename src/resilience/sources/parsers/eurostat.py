r"""Eurostat files: data in both TSV layouts and SDMX-CSV, and the NUTS correspondence workbooks.

Data files (gzip-compressed or plain; detected from the file's first bytes) -> one long table,
one row per published cell: the dimension columns named as in the file's header (``freq``,
``unit``, ``nace_r2``, ... and ``geo``), ``year`` (int), ``value`` (float, NaN where Eurostat
wrote ``:``) and ``flag`` (the observation flags exactly as published, e.g. ``p``, ``bu``; ''
when none). No cell is dropped and no flag is altered: a missing cell stays a row with NaN value
and its flag (``: c`` = confidential, ``: u`` = unreliable, ``: `` = not available).

Layouts:

- ``current`` (dissemination API, ``?format=TSV``): header ``freq,unit,nace_r2,geo\TIME_PERIOD``
  then one tab-separated column per period, ascending; each cell is ``<value> <flags>`` (the space
  is always there, flags may be empty).
- ``legacy`` (bulk download until 2023): header ``unit,nace_r2,geo\time``, periods descending, the
  same cell syntax (some very old files glue the flag to the number, ``3386e``: accepted).
- ``sdmx_csv`` (SDMX-CSV 1.0 of the SDMX 2.1 API, ``?format=SDMX-CSV``): columns ``DATAFLOW``,
  ``LAST UPDATE``, the dimensions, ``TIME_PERIOD``, ``OBS_VALUE``, ``OBS_FLAG`` (optionally
  ``CONF_STATUS``, whose non-empty codes are appended to the flag in lower case).
- ``sdmx_csv2`` (SDMX-CSV 2.0: the SDMX 3.0 API's ``?format=csvdata&formatVersion=2.0`` and the data
  browser's download): columns ``STRUCTURE``, ``STRUCTURE_ID`` (optionally ``ACTION``), the
  dimensions, ``TIME_PERIOD``, ``OBS_VALUE``, ``OBS_FLAG``, ``CONF_STATUS``. The data browser's
  export "with labels" puts a label column after every code column (``STRUCTURE_NAME`` after
  ``STRUCTURE_ID``, ``Time frequency`` after ``freq``, ...): those are recognised by
  ``STRUCTURE_NAME`` and skipped, so both exports give the same table. Flags as in ``sdmx_csv``.

Only annual periods (``YYYY``) are read; any other period is an ``InputError``.

NUTS workbooks (``NUTS2013-NUTS2016.xlsx``, ``NUTS2016-NUTS2021.xlsx``, ``NUTS2021-NUTS2024.xlsx``)
-> one correspondence table over their full-list sheets (those with a ``Code <from>`` and a
``Code <to>`` column and a level column), see ``read_nuts_workbook``.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from resilience.errors import InputError
from resilience.sources.parsers._common import check_field_count, dispatch, read_csv_rows

GZIP_MAGIC = b"\x1f\x8b"
TIME_DIMENSIONS = {"TIME_PERIOD": "current", "time": "legacy"}
CELL = re.compile(r"^\s*(?P<value>:|[-+]?\d+(?:\.\d+)?)\s*(?P<flag>[A-Za-z]*)\s*$")
YEAR = re.compile(r"^\d{4}$")
SDMX_CSV_FIXED = ["DATAFLOW", "LAST UPDATE", "TIME_PERIOD", "OBS_VALUE"]
SDMX_CSV_OPTIONAL = ["OBS_FLAG", "CONF_STATUS"]
# SDMX-CSV 2.0: STRUCTURE is the artefact type ('dataflow'), ACTION an optional column of the standard.
SDMX_CSV2_LEAD = ["STRUCTURE", "STRUCTURE_ID"]
SDMX_CSV2_LABELLED = "STRUCTURE_NAME"
SDMX_CSV2_FIXED = ["TIME_PERIOD", "OBS_VALUE"]
SDMX_CSV2_SPECIAL = {"ACTION", "OBS_FLAG", "CONF_STATUS"}
VALUE_COLUMNS = ["year", "value", "flag"]


@dataclass
class EurostatData:
    """A parsed Eurostat data file: the long table, its layout and its dimension names (in file order)."""

    table: pd.DataFrame
    layout: str
    dimensions: list[str]
    notes: list[str] = field(default_factory=list)


def read_text(path) -> str:
    """The file's text (UTF-8, BOM removed), gunzipped when it starts with the gzip magic bytes."""
    path = Path(path)
    try:
        raw = path.read_bytes()
        if raw[:2] == GZIP_MAGIC:
            raw = gzip.decompress(raw)
        return raw.decode("utf-8-sig")
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise InputError(path, f"cannot be read ({exc})", expected="a Eurostat TSV or CSV file, plain or gzip") from exc
    except UnicodeDecodeError as exc:
        raise InputError(path, f"is not UTF-8 text ({exc})", expected="UTF-8 text") from exc


def parse_eurostat(path) -> EurostatData:
    """Parse a Eurostat data file in any of the three layouts (decided from its first line)."""
    text = read_text(path)
    first = text.split("\n", 1)[0]
    if "\t" in first:
        return parse_eurostat_tsv(path, text=text)
    if first.startswith("DATAFLOW") or first.startswith('"DATAFLOW"'):
        return parse_eurostat_sdmx_csv(path, text=text)
    if first.startswith("STRUCTURE,") or first.startswith('"STRUCTURE",'):
        return parse_eurostat_sdmx_csv2(path, text=text)
    raise InputError(path, f"unrecognised first line {first[:80]!r}", row=0,
                     expected=r"a TSV header 'dims,geo\TIME_PERIOD<TAB>years' or 'dims,geo\time<TAB>years', "
                              "or an SDMX-CSV header starting with DATAFLOW (1.0) or STRUCTURE (2.0)")


def parse_eurostat_tsv(path, *, text: str | None = None) -> EurostatData:
    """Both TSV layouts (current API and legacy bulk download) -> long table with flags."""
    text = read_text(path) if text is None else text
    lines = [line for line in text.split("\n") if line.strip()]
    if not lines:
        raise InputError(path, "is empty", expected="a header line and data lines")
    dimensions, layout, periods = _tsv_header(path, lines[0])
    years = [_year(path, p, field="header") for p in periods]
    keys, cells = [], []
    for number, line in enumerate(lines[1:], start=1):
        parts = line.rstrip("\r").split("\t")
        if len(parts) != len(periods) + 1:
            raise InputError(path, f"{len(parts) - 1} value columns, the header has {len(periods)}", row=number,
                             expected="one tab-separated cell per period of the header")
        key = parts[0].split(",")
        if len(key) != len(dimensions):
            raise InputError(path, f"series key {parts[0]!r} has {len(key)} codes", row=number,
                             field=",".join(dimensions), expected=f"{len(dimensions)} comma-separated codes")
        keys.append(key)
        cells.append(parts[1:])
    table = _long_from_cells(path, dimensions, keys, cells, years)
    ascending = years == sorted(years)
    notes = [f"{layout} TSV layout, periods {'ascending' if ascending else 'descending'}"]
    return EurostatData(table=table, layout=layout, dimensions=dimensions, notes=notes)


def parse_eurostat_sdmx_csv(path, *, text: str | None = None) -> EurostatData:
    """SDMX-CSV 1.0 (one observation per line) -> the same long table as the TSV layouts."""
    text = read_text(path) if text is None else text
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, quoting=csv.QUOTE_MINIMAL)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(path, f"cannot be read as CSV ({exc})", expected="SDMX-CSV 1.0") from exc
    missing = [c for c in SDMX_CSV_FIXED if c not in frame.columns]
    if missing:
        raise InputError(path, f"missing columns {missing}", row=0, expected=f"SDMX-CSV columns {SDMX_CSV_FIXED}")
    special = set(SDMX_CSV_FIXED) | set(SDMX_CSV_OPTIONAL)
    dimensions = [c for c in frame.columns if c not in special]
    if "geo" not in dimensions:
        raise InputError(path, "no 'geo' dimension", row=0, expected="a geo column")
    table = _observations(path, frame, dimensions)
    return EurostatData(table=_sorted(table, dimensions), layout="sdmx_csv", dimensions=dimensions,
                        notes=["SDMX-CSV 1.0"])


def parse_eurostat_sdmx_csv2(path, *, text: str | None = None) -> EurostatData:
    """SDMX-CSV 2.0, with or without the data browser's label columns -> the same long table."""
    text = read_text(path) if text is None else text
    frame = _read_sdmx_frame(path, text)
    header = list(frame.columns)
    if header[:2] != SDMX_CSV2_LEAD:
        raise InputError(path, f"header starts {header[:2]}", row=0, field="STRUCTURE",
                         expected=f"SDMX-CSV 2.0 columns {SDMX_CSV2_LEAD} first")
    labelled = len(header) > 2 and header[2] == SDMX_CSV2_LABELLED
    codes = _code_columns(path, header, labelled)
    missing = [c for c in SDMX_CSV2_FIXED if c not in codes]
    if missing:
        raise InputError(path, f"missing columns {missing}", row=0, expected=f"SDMX-CSV 2.0 columns {SDMX_CSV2_FIXED}")
    special = set(SDMX_CSV2_LEAD) | SDMX_CSV2_SPECIAL | set(SDMX_CSV2_FIXED)
    dimensions = [c for c in codes if c not in special]
    if "geo" not in dimensions:
        raise InputError(path, "no 'geo' dimension", row=0, expected="a geo column")
    frame = frame.iloc[:, [header.index(c) for c in codes]].set_axis(codes, axis=1)
    table = _observations(path, frame, dimensions)
    structure = sorted(set(frame["STRUCTURE_ID"]) if "STRUCTURE_ID" in frame else set())
    notes = [f"SDMX-CSV 2.0 {'with' if labelled else 'without'} label columns" + (f", {', '.join(structure)}"
                                                                                  if structure else "")]
    return EurostatData(table=_sorted(table, dimensions), layout="sdmx_csv2", dimensions=dimensions, notes=notes)


def _read_sdmx_frame(path, text: str) -> pd.DataFrame:
    """Every record as text under the header's names; a record cut short or too long names its line."""
    rows = [(line, fields) for line, fields in read_csv_rows(path, text) if fields]
    if not rows:
        raise InputError(path, "is empty", expected="an SDMX-CSV header line and data lines")
    header = [name.strip() for name in rows[0][1]]
    for line, fields in rows[1:]:
        check_field_count(path, line, fields, len(header))
    # positional columns: two dimensions may share a label text
    return pd.DataFrame([fields for _, fields in rows[1:]], columns=range(len(header)), dtype=object).set_axis(
        header, axis=1)


def _code_columns(path, header: list[str], labelled: bool) -> list[str]:
    """The code columns, in file order: every column, or with labels every other one after STRUCTURE_NAME."""
    if not labelled:
        return header
    rest = header[3:]
    if len(rest) % 2:
        raise InputError(path, f"{len(header)} columns after STRUCTURE_NAME do not pair up", row=0,
                         expected="a label column after every code column (data browser export with labels)")
    return header[:2] + rest[0::2]


def _observations(path, frame: pd.DataFrame, dimensions: list[str]) -> pd.DataFrame:
    """The dimension columns with year, value and flag from an SDMX-CSV frame (all columns text)."""
    year = pd.Series([_year(path, p, field="TIME_PERIOD", row=i + 1) for i, p in enumerate(frame["TIME_PERIOD"])],
                     dtype="int64")
    value_text = frame["OBS_VALUE"].str.strip()
    value = pd.to_numeric(value_text.replace({"": None, ":": None}), errors="coerce")
    bad = value.isna() & ~value_text.isin(["", ":"])
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(path, f"non-numeric OBS_VALUE {frame['OBS_VALUE'].iloc[i]!r}", row=i + 1, field="OBS_VALUE",
                         expected="a number or an empty cell")
    flag = frame["OBS_FLAG"].str.strip() if "OBS_FLAG" in frame.columns else pd.Series("", index=frame.index)
    if "CONF_STATUS" in frame.columns:
        conf = frame["CONF_STATUS"].str.strip().str.lower()
        flag = flag.where(conf.eq("") | flag.str.contains(conf, regex=False), flag + conf)
    return frame[dimensions].reset_index(drop=True).assign(year=year, value=value.astype("float64").to_numpy(),
                                                           flag=flag.to_numpy())



# ``live_format`` / ``mirror_format`` names of config/sources.csv. Every layout is still sniffed from
# the first line (a live TSV request may be answered in either TSV layout), but a file whose layout
# contradicts its catalog format is an error, not silently read as something else.
EUROSTAT_LAYOUTS = {"eurostat_tsv": ("current", "legacy"), "eurostat_sdmx_csv": ("sdmx_csv",),
                    "eurostat_sdmx_csv2": ("sdmx_csv2",)}


def _parser_for(format_name: str):
    def parse_as(path) -> EurostatData:
        parsed = parse_eurostat(path)
        if parsed.layout not in EUROSTAT_LAYOUTS[format_name]:
            raise InputError(path, f"is in the {parsed.layout} layout", field="format",
                             expected=f"the catalog format {format_name!r} ({' or '.join(EUROSTAT_LAYOUTS[format_name])})")
        return parsed
    parse_as.__name__ = f"parse_{format_name}"
    return parse_as


EUROSTAT_PARSERS = {name: _parser_for(name) for name in EUROSTAT_LAYOUTS}


def parse_eurostat_file(format_name: str, path) -> EurostatData:
    """Parse ``path`` as the catalog format ``format_name`` (one of ``EUROSTAT_PARSERS``)."""
    return dispatch(EUROSTAT_PARSERS, "Eurostat", format_name, path)

def _tsv_header(path, line: str) -> tuple[list[str], str, list[str]]:
    parts = line.rstrip("\r").split("\t")
    head, sep, time_name = parts[0].partition("\\")
    layout = TIME_DIMENSIONS.get(time_name.strip())
    if not sep or layout is None:
        raise InputError(path, f"first header cell {parts[0]!r}", row=0,
                         expected=r"'<dims>,geo\TIME_PERIOD' (current API) or '<dims>,geo\time' (legacy bulk)")
    dimensions = [d.strip() for d in head.split(",")]
    if "geo" not in dimensions or len(set(dimensions)) != len(dimensions):
        raise InputError(path, f"dimensions {dimensions}", row=0, expected="distinct dimension names including geo")
    periods = [p.strip() for p in parts[1:]]
    if not periods:
        raise InputError(path, "no period columns", row=0, expected="one column per period")
    return dimensions, layout, periods


def _year(path, period: str, *, field: str, row: int = 0) -> int:
    period = str(period).strip()
    if not YEAR.match(period):
        raise InputError(path, f"period {period!r} is not a year", row=row, field=field,
                         expected="annual periods YYYY (only annual data are read)")
    return int(period)


def _long_from_cells(path, dimensions, keys, cells, years) -> pd.DataFrame:
    n_series, n_years = len(keys), len(years)
    flat = [c for row in cells for c in row]
    parsed = [CELL.match(c) for c in flat]
    for i, match in enumerate(parsed):
        if match is None:
            raise InputError(path, f"cell {flat[i]!r}", row=i // n_years + 1, field=str(years[i % n_years]),
                             expected="'<number> <flags>' or ': <flags>' (flags: letters)")
    values = np.array([np.nan if m["value"] == ":" else float(m["value"]) for m in parsed], dtype="float64")
    flags = [m["flag"] for m in parsed]
    key_frame = pd.DataFrame(keys, columns=dimensions).map(str.strip)
    table = key_frame.loc[key_frame.index.repeat(n_years)].reset_index(drop=True)
    table = table.assign(year=np.tile(np.array(years, dtype="int64"), n_series), value=values, flag=flags)
    return _sorted(table, dimensions)


def _sorted(table: pd.DataFrame, dimensions: list[str]) -> pd.DataFrame:
    duplicated = table.duplicated(dimensions + ["year"])
    if duplicated.any():
        first = table.loc[duplicated, dimensions + ["year"]].iloc[0].to_dict()
        raise InputError("Eurostat table", f"duplicate cell {first}", expected="one cell per series key and year")
    table = table.astype({d: "string" for d in dimensions} | {"flag": "string"})
    return table.sort_values(dimensions + ["year"], kind="stable").reset_index(drop=True)[dimensions + VALUE_COLUMNS]


# ---------------------------------------------------------------------------------------------
# NUTS correspondence workbooks

CORRESPONDENCE_COLUMNS = ["from_version", "to_version", "level", "code_from", "code_to", "change", "status", "sheet"]
STATUSES = ("unchanged", "recoded", "boundary", "discontinued", "new")
# Change codes of NUTS2016-NUTS2021.xlsx ('* Change codes:' legend of 'Changes detailed ...').
CHANGE_CODES = {1: "renamed", 2: "recoded", 3: "boundary", 4: "boundary", 5: "discontinued", 6: "new"}
CODE_HEADER = re.compile(r"^code\s*(\d{4})$", re.I)
LEVEL_HEADERS = {"level", "nuts level", "sr level"}
HEADER_SCAN_ROWS = 6
NUTS_CODE = re.compile(r"^[A-Z]{2}[A-Z0-9]{0,3}$")


def read_nuts_workbook(path) -> pd.DataFrame:
    """Every code pair of the workbook's full-list sheets, with the kind of change.

    A full-list sheet has, within its first rows, a header with ``Code <from>`` and ``Code <to>``
    (from < to) and a level column (``level``, ``NUTS level`` or ``SR level``); the change is in
    ``Change`` or ``Change comments`` (and ``Change codes*`` where given). The change-only sheets
    (``Correspondence NUTS-2``, ``Changes NUTS-2``) repeat what the full lists hold and are not read.

    ``status`` per row (see ``classify_change``): unchanged, recoded, boundary, discontinued, new.
    Returns CORRESPONDENCE_COLUMNS, one row per (sheet, code_from, code_to), sorted.
    """
    path = Path(path)
    try:
        sheets = pd.read_excel(path, sheet_name=None, header=None, dtype=object)
    except (OSError, ValueError, KeyError) as exc:
        raise InputError(path, f"cannot be read as an Excel workbook ({exc})", expected="a NUTS .xlsx workbook") from exc
    parts = [_full_list(path, name, raw) for name, raw in sheets.items()]
    parts = [p for p in parts if p is not None]
    if not parts:
        raise InputError(path, "no sheet with 'Code <year>' columns for two NUTS versions and a level column",
                         expected="a NUTS correspondence workbook (e.g. sheet 'NUTS2013-NUTS2016')")
    table = pd.concat(parts, ignore_index=True)
    return table.sort_values(["sheet", "level", "code_from", "code_to"], na_position="first",
                             kind="stable").reset_index(drop=True)[CORRESPONDENCE_COLUMNS]


def classify_change(code_from, code_to, text: str = "", change_code=None) -> str:
    """The kind of change between a code of the old and of the new version.

    new / discontinued when one side is empty; boundary when the change code is 3-4 or the text
    speaks of a boundary change, split or merge (except an 'art. 5(2a)' shift, which by regulation
    EC 1059/2003 moves under 1% of the population and changes no NUTS region); otherwise recoded
    if the codes differ, unchanged if they are equal (a name change keeps the region).
    """
    has_from, has_to = _present(code_from), _present(code_to)
    if not has_from and not has_to:
        raise ValueError("a correspondence row needs at least one code")
    if not has_from:
        return "new"
    if not has_to:
        return "discontinued"
    coded = CHANGE_CODES.get(_int_or_none(change_code))
    lowered = str(text or "").lower()
    minor = "5(2a)" in lowered
    if coded == "boundary" or (not minor and any(w in lowered for w in ("boundary", "split", "merge"))):
        return "boundary"
    return "unchanged" if str(code_from).strip() == str(code_to).strip() else "recoded"


def _full_list(path, sheet: str, raw: pd.DataFrame) -> pd.DataFrame | None:
    found = _find_header(raw)
    if found is None:
        return None
    row, columns = found
    body = raw.iloc[row + 1:].set_axis(columns, axis=1)
    (from_col, v_from), (to_col, v_to) = sorted(((c, int(CODE_HEADER.match(c)[1])) for c in columns
                                                 if CODE_HEADER.match(c)), key=lambda cv: cv[1])[:2]
    level_col = next(c for c in columns if c.lower() in LEVEL_HEADERS)
    text_col = next((c for c in columns if c.lower() in ("change", "change comments")), None)
    code_col = next((c for c in columns if c.lower().startswith("change codes")), None)
    out = pd.DataFrame({
        "code_from": body[from_col].map(_code), "code_to": body[to_col].map(_code),
        "level": pd.to_numeric(body[level_col], errors="coerce"),
        "change": body[text_col].map(_text) if text_col else "",
        "change_code": body[code_col] if code_col else None,
    })
    out = out[out["code_from"].notna() | out["code_to"].notna()]
    # Publisher quirk: a few rows have no level (NUTS2016-NUTS2021.xlsx, new BE328 and BE329); a NUTS
    # code's level is its length minus the two country letters.
    implied = out["code_from"].fillna(out["code_to"]).str.len() - 2
    out["level"] = out["level"].fillna(implied)
    bad = ~out["level"].between(0, 3)
    if bad.any():
        row = out.index[bad][0]
        raise InputError(path, f"sheet {sheet!r}: level {out.at[row, 'level']!r}", row=int(row) + 1, field=level_col,
                         expected="NUTS levels 0-3")
    out["status"] = [classify_change(a, b, t, c) for a, b, t, c in
                     zip(out["code_from"], out["code_to"], out["change"], out["change_code"])]
    out = out.assign(from_version=v_from, to_version=v_to, level=out["level"].astype("int64"), sheet=sheet)
    return out.drop_duplicates(["code_from", "code_to", "level"])[CORRESPONDENCE_COLUMNS]


def _find_header(raw: pd.DataFrame) -> tuple[int, list[str]] | None:
    for row in range(min(HEADER_SCAN_ROWS, len(raw))):
        cells = [_text(c) for c in raw.iloc[row]]
        versions = {int(CODE_HEADER.match(c)[1]) for c in cells if CODE_HEADER.match(c)}
        if len(versions) >= 2 and any(c.lower() in LEVEL_HEADERS for c in cells):
            named = [c if c else f"_unnamed_{i}" for i, c in enumerate(cells)]
            return row, named
    return None


def _text(cell) -> str:
    if cell is None or (isinstance(cell, float) and np.isnan(cell)):
        return ""
    return " ".join(str(cell).split())


def _code(cell):
    """A NUTS code, or None for an empty cell or a note written in a code column."""
    text = _text(cell)
    return text if NUTS_CODE.match(text) else None


def _present(code) -> bool:
    return code is not None and not (isinstance(code, float) and np.isnan(code)) and str(code).strip() != ""


def _int_or_none(value):
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None
