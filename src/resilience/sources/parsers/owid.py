"""Our World in Data grapher CSV exports: ``Entity,Code,Year,<value column title>``.

Only observed entity-years are listed. ``Code`` is ISO3 for countries, ``OWID_WRL`` for the
World and empty for regional aggregates such as 'East Asia and Pacific (WB)'.

The grapher adds columns to some exports (an annotation, a region column), so the catalog names the
value column it means (``parse_options`` ``value_column=<title>``) and the parser reads that column by
name wherever it stands; without it the file must have exactly the four columns above.
"""

from __future__ import annotations

import pandas as pd

from resilience.errors import InputError
from resilience.sources.parsers._common import (
    check_field_count, decode_text, finish_table, read_bytes, read_csv_rows, reject_html, to_values, to_years,
)
from resilience.tidy import Parsed

ID_COLUMNS = ["Entity", "Code", "Year"]


def parse_owid_grapher_csv(path, value_column: str | None = None) -> Parsed:
    """A grapher export; series = the value column's title (``value_column`` when given)."""
    data = read_bytes(path)
    reject_html(path, data)
    rows = [(n, r) for n, r in read_csv_rows(path, decode_text(path, data)) if r]
    if not rows:
        raise InputError(path, "is empty", expected=f"a header {ID_COLUMNS + ['<value column>']}")
    header_line, header = rows[0]
    positions = _column_positions(path, header_line, header, value_column)
    series = header[positions[-1]].strip()
    records = rows[1:]
    if not records:
        raise InputError(path, "has a header but no data rows; the file is truncated", row=header_line,
                         expected="one row per entity x year")
    for line, fields in records:
        check_field_count(path, line, fields, len(header))
    table = pd.DataFrame([[fields[i].strip() for i in positions] + [line] for line, fields in records],
                         columns=["country_name", "country_code", "year", "cell", "source_row"])
    table["year"] = to_years(path, table["year"], rows=table["source_row"], field="Year")
    table["value"] = to_values(path, table["cell"], missing={""}, rows=table["source_row"],
                               fields=pd.Series(series, index=table.index))
    table = table[table["value"].notna()].assign(series=series, flags="")
    return Parsed(finish_table(path, table), vintage="")


def _column_positions(path, line: int, header: list[str], value_column: str | None) -> list[int]:
    """Where Entity, Code, Year and the value column stand in the header."""
    if value_column is None:
        _check_four_columns(path, line, header)
        return [0, 1, 2, 3]
    names = [h.strip() for h in header]
    missing = [c for c in ID_COLUMNS + [value_column] if c not in names]
    if missing:
        raise InputError(path, f"header lacks {missing}: {names}", row=line, field=missing[0],
                         expected=f"columns {ID_COLUMNS} and the catalog's value_column {value_column!r}")
    return [names.index(c) for c in ID_COLUMNS + [value_column]]


def _check_four_columns(path, line: int, header: list[str]) -> None:
    names = [h.strip() for h in header]
    if names[:3] != ID_COLUMNS or len(names) != 4 or not names[3]:
        missing = [c for c in ID_COLUMNS if c not in names]
        problem = f"header lacks {missing}" if missing else f"header has {len(names)} columns"
        raise InputError(path, f"{problem}: {names}", row=line, field=(missing or ["header"])[0],
                         expected=f"exactly {ID_COLUMNS + ['<value column title>']} (or name the value column "
                                  "in the catalog's parse_options: value_column=<title>)")


__all__ = ["parse_owid_grapher_csv"]
