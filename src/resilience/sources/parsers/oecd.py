"""OECD Data Explorer downloads in SDMX-CSV (the format of ``sdmx.oecd.org/.../rest/data/...``).

Three layouts reach us, all UTF-8 (the OECD puts a byte-order mark first) with one observation per
record:

- SDMX-CSV 1.0 (``format=csvfile``; ``Accept: application/vnd.sdmx.data+csv;version=1.0.0``):
  ``DATAFLOW,<dimension ids...>,TIME_PERIOD,OBS_VALUE,<attribute ids...>``, where ``DATAFLOW`` is
  ``OECD.STI.PIE:DSD_TIVA_MAINSH@DF_MAINSH(1.1)``.
- SDMX-CSV 2.0 (``version=2.0.0``): ``STRUCTURE,STRUCTURE_ID,ACTION,<dimensions>,...`` with
  ``STRUCTURE`` = ``dataflow`` and ``STRUCTURE_ID`` the flow reference.
- "with labels" (``format=csvfilewithlabels``, the Data Explorer's download): SDMX-CSV 2.0 plus
  ``STRUCTURE_NAME`` and, after each code column, a column holding its label, headed by the concept's
  name (``REF_AREA,Reference area,...,OBS_VALUE,Observation value,OBS_STATUS,Observation status``).
  SDMX-CSV 1.0 with ``labels=both`` writes both in one cell instead (``REF_AREA: Reference area`` in
  the header, ``CHN: China`` in the records); both forms are read.

Dimensions are the code columns between the structure columns and ``TIME_PERIOD``; attributes are
those after ``OBS_VALUE``. Quirks handled: ``OBS_VALUE`` empty or ``NaN`` for an observation that
exists but has no value (kept, as NaN, with its ``OBS_STATUS`` flag, e.g. ``M`` missing or ``L``
not collected); ``UNIT_MULT`` (the value is in units of 10^UNIT_MULT, e.g. 6 = millions) kept as
published, never applied silently (see :func:`scaled_values`); ``ACTION`` ``D`` (delete) records,
which a data file must not hold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from resilience.errors import InputError
from resilience.sources.parsers._common import (
    check_field_count, decode_text, read_bytes, read_csv_rows, reject_html, to_values,
)

STRUCTURE_COLUMNS_V1 = ("DATAFLOW",)
STRUCTURE_COLUMNS_V2 = ("STRUCTURE", "STRUCTURE_ID", "STRUCTURE_NAME", "ACTION")
MISSING_VALUES = {"", "NaN"}
ANNUAL = re.compile(r"^\d{4}$")
SDMX_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_@.\-]*$")
# Columns every parsed table has besides its dimensions.
OBSERVATION_COLUMNS = ["dataflow", "year", "value", "unit_mult", "obs_status"]


@dataclass
class SdmxTable:
    """One SDMX-CSV file: ``table`` has ``dataflow``, the dimension columns (SDMX ids, in file order,
    codes only), ``year``, ``value`` (as published), ``unit_mult`` (int, 0 when not given) and
    ``obs_status`` ('' when not given); ``labels`` maps a dimension id to {code: label} where the file
    carries labels; ``attributes`` names the attribute columns the file had."""

    table: pd.DataFrame
    dimensions: list[str]
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    attributes: list[str] = field(default_factory=list)


@dataclass
class _Column:
    """A code column of the file: its SDMX id, its position, and where its label is (if any)."""

    name: str
    index: int
    label_index: int | None = None
    inline_label: bool = False


def parse_sdmx_csv(path) -> SdmxTable:
    """Parse an SDMX-CSV 1.0 / 2.0 file (with or without labels) of annual observations."""
    data = read_bytes(path)
    reject_html(path, data)
    rows = [(n, r) for n, r in read_csv_rows(path, decode_text(path, data)) if any(f.strip() for f in r)]
    if not rows:
        raise InputError(path, "is empty", expected="an SDMX-CSV header row")
    header_line, header = rows[0]
    columns = _code_columns(path, header_line, header)
    records = rows[1:]
    if not records:
        raise InputError(path, "has a header but no observations; the query matched nothing or the file is "
                         "truncated", row=header_line, expected="one record per observation")
    for line, fields in records:
        check_field_count(path, line, fields, len(header))
    return _build(path, columns, records)


def _split_inline(text: str) -> tuple[str, str | None]:
    """'REF_AREA: Reference area' -> ('REF_AREA', 'Reference area'); 'REF_AREA' -> ('REF_AREA', None)."""
    code, sep, label = text.partition(": ")
    return (code.strip(), label.strip()) if sep else (text.strip(), None)


def _code_columns(path, line: int, header: list[str]) -> dict[str, _Column]:
    """Code columns by SDMX id, each with its label column; checks the structure columns and the
    TIME_PERIOD / OBS_VALUE pair."""
    columns: dict[str, _Column] = {}
    previous: _Column | None = None
    for index, raw in enumerate(header):
        name, inline = _split_inline(raw.lstrip("\ufeff"))
        if SDMX_ID.match(name) and name.upper() == name:
            if name in columns:
                raise InputError(path, f"header repeats column {name!r}", row=line, field=name,
                                 expected="each SDMX concept once")
            previous = columns[name] = _Column(name, index, inline_label=inline is not None)
        elif previous is not None and previous.label_index is None and not previous.inline_label:
            previous.label_index = index  # the label column right after its code column
        else:
            raise InputError(path, f"header cell {raw!r} is neither an SDMX id nor the label of the column "
                             "before it", row=line, field=raw, expected="SDMX-CSV header (ids in capitals)")
    first = header[0].lstrip("\ufeff")
    first = _split_inline(first)[0]
    if first not in ("DATAFLOW", "STRUCTURE"):
        raise InputError(path, f"first column is {first!r}", row=line, field=first,
                         expected="DATAFLOW (SDMX-CSV 1.0) or STRUCTURE (SDMX-CSV 2.0)")
    for needed in ("TIME_PERIOD", "OBS_VALUE"):
        if needed not in columns:
            raise InputError(path, f"header lacks {needed}", row=line, field=needed,
                             expected="SDMX-CSV columns ..., TIME_PERIOD, OBS_VALUE, ...")
    if columns["OBS_VALUE"].index < columns["TIME_PERIOD"].index:
        raise InputError(path, "OBS_VALUE comes before TIME_PERIOD", row=line, field="OBS_VALUE",
                         expected="dimensions, TIME_PERIOD, OBS_VALUE, attributes (SDMX-CSV order)")
    return columns


def _dimension_names(columns: dict[str, _Column]) -> tuple[list[str], list[str]]:
    structure = set(STRUCTURE_COLUMNS_V1 + STRUCTURE_COLUMNS_V2)
    time_at, value_at = columns["TIME_PERIOD"].index, columns["OBS_VALUE"].index
    ordered = sorted(columns.values(), key=lambda c: c.index)
    dimensions = [c.name for c in ordered if c.name not in structure and c.index < time_at]
    attributes = [c.name for c in ordered if c.index > value_at]
    return dimensions, attributes


def _cells(records, column: _Column) -> tuple[list[str], list[str | None]]:
    """Codes of one column, and their labels (None where the file gives none)."""
    codes, labels = [], []
    for _line, fields in records:
        text = fields[column.index].strip()
        if column.inline_label:
            code, label = _split_inline(text)
        else:
            code = text
            label = fields[column.label_index].strip() if column.label_index is not None else None
        codes.append(code)
        labels.append(label)
    return codes, labels


def _build(path, columns: dict[str, _Column], records) -> SdmxTable:
    dimensions, attributes = _dimension_names(columns)
    lines = pd.Series([line for line, _ in records])
    frame = pd.DataFrame({"source_row": lines})
    labels: dict[str, dict[str, str]] = {}
    for name in dimensions:
        codes, names = _cells(records, columns[name])
        frame[name] = codes
        if any(n is not None for n in names):
            labels[name] = dict(sorted({c: n for c, n in zip(codes, names) if n is not None}.items()))
        if (frame[name] == "").any():
            raise InputError(path, f"empty code in dimension {name}", row=int(lines[(frame[name] == "").idxmax()]),
                             field=name, expected="a code in every dimension column")
    frame["dataflow"] = _dataflow(path, columns, records, lines)
    frame["year"] = _years(path, _cells(records, columns["TIME_PERIOD"])[0], lines)
    value_cells = pd.Series(_cells(records, columns["OBS_VALUE"])[0])
    frame["value"] = to_values(path, value_cells, missing=MISSING_VALUES, rows=lines,
                               fields=pd.Series("OBS_VALUE", index=lines.index))
    frame["unit_mult"] = _unit_mult(path, columns, records, lines)
    frame["obs_status"] = _cells(records, columns["OBS_STATUS"])[0] if "OBS_STATUS" in columns else ""
    _check_action(path, columns, records, lines)
    key = ["dataflow", *dimensions, "year"]
    dup = frame.duplicated(key, keep="first")
    if dup.any():
        i = int(dup.idxmax())
        what = " ".join(str(frame.at[i, k]) for k in key[1:])
        raise InputError(path, f"observation {what} appears twice", row=int(lines[i]),
                         expected="one record per series key and period")
    table = frame[["dataflow", *dimensions, "year", "value", "unit_mult", "obs_status"]]
    table = table.sort_values(key, kind="mergesort").reset_index(drop=True)
    return SdmxTable(table, dimensions, labels, attributes)


def _dataflow(path, columns, records, lines) -> list[str]:
    """The flow reference of each record: DATAFLOW (1.0) or STRUCTURE_ID (2.0)."""
    if "DATAFLOW" in columns:
        return _cells(records, columns["DATAFLOW"])[0]
    if "STRUCTURE_ID" not in columns:
        raise InputError(path, "SDMX-CSV 2.0 header lacks STRUCTURE_ID", field="STRUCTURE_ID",
                         expected="STRUCTURE,STRUCTURE_ID,... (SDMX-CSV 2.0)")
    kinds = set(_cells(records, columns["STRUCTURE"])[0])
    if not kinds <= {"dataflow", "DATAFLOW", "datastructure", "dataprovision"}:
        raise InputError(path, f"STRUCTURE holds {sorted(kinds)}", field="STRUCTURE",
                         expected="dataflow, datastructure or dataprovision")
    return _cells(records, columns["STRUCTURE_ID"])[0]


def _years(path, cells: list[str], lines: pd.Series) -> list[int]:
    for cell, line in zip(cells, lines):
        if not ANNUAL.match(cell):
            raise InputError(path, f"TIME_PERIOD {cell!r} is not a year", row=int(line), field="TIME_PERIOD",
                             expected="annual periods (YYYY)")
    return [int(c) for c in cells]


def _unit_mult(path, columns, records, lines) -> np.ndarray:
    if "UNIT_MULT" not in columns:
        return np.zeros(len(records), dtype="int64")
    cells = _cells(records, columns["UNIT_MULT"])[0]
    out = []
    for cell, line in zip(cells, lines):
        if cell == "":
            out.append(0)
        elif re.fullmatch(r"-?\d+", cell):
            out.append(int(cell))
        else:
            raise InputError(path, f"UNIT_MULT {cell!r} is not an integer power of ten", row=int(line),
                             field="UNIT_MULT", expected="an integer such as 0, 3 or 6")
    return np.array(out, dtype="int64")


def _check_action(path, columns, records, lines) -> None:
    if "ACTION" not in columns:
        return
    for cell, line in zip(_cells(records, columns["ACTION"])[0], lines):
        if cell not in ("", "I", "A", "R"):
            raise InputError(path, f"ACTION {cell!r}: a data file must not delete observations", row=int(line),
                             field="ACTION", expected="I (information), A (append) or R (replace)")


def scaled_values(table: pd.DataFrame) -> pd.Series:
    """``value * 10**unit_mult``: the observation in base units (US$ rather than US$ million)."""
    return table["value"] * np.power(10.0, table["unit_mult"].astype("float64"))


__all__ = ["SdmxTable", "parse_sdmx_csv", "scaled_values", "OBSERVATION_COLUMNS"]
