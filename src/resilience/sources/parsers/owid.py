"""Our World in Data grapher CSV exports: ``Entity,Code,Year,<value column title>``.

Only observed entity-years are listed. ``Code`` is ISO3 for countries, ``OWID_WRL`` for the
World and empty for regional aggregates such as 'East Asia and Pacific (WB)'.
"""

from __future__ import annotations

import pandas as pd

from resilience.errors import InputError
from resilience.sources.parsers._common import (
    check_field_count, decode_text, finish_table, read_bytes, read_csv_rows, reject_html, to_values, to_years,
)
from resilience.tidy import Parsed

ID_COLUMNS = ["Entity", "Code", "Year"]


def parse_owid_grapher_csv(path) -> Parsed:
    """A one-indicator grapher export; series = the value column's title."""
    data = read_bytes(path)
    reject_html(path, data)
    rows = [(n, r) for n, r in read_csv_rows(path, decode_text(path, data)) if r]
    if not rows:
        raise InputError(path, "is empty", expected=f"a header {ID_COLUMNS + ['<value column>']}")
    series = _value_column_title(path, *rows[0])
    records = rows[1:]
    if not records:
        raise InputError(path, "has a header but no data rows; the file is truncated", row=rows[0][0],
                         expected="one row per entity x year")
    for line, fields in records:
        check_field_count(path, line, fields, len(ID_COLUMNS) + 1)
    table = pd.DataFrame([[f.strip() for f in fields] + [line] for line, fields in records],
                         columns=["country_name", "country_code", "year", "cell", "source_row"])
    table["year"] = to_years(path, table["year"], rows=table["source_row"], field="Year")
    table["value"] = to_values(path, table["cell"], missing={""}, rows=table["source_row"],
                               fields=pd.Series(series, index=table.index))
    table = table[table["value"].notna()].assign(series=series, flags="")
    return Parsed(finish_table(path, table), vintage="")


def _value_column_title(path, line: int, header: list[str]) -> str:
    names = [h.strip() for h in header]
    if names[:3] != ID_COLUMNS or len(names) != 4 or not names[3]:
        missing = [c for c in ID_COLUMNS if c not in names]
        problem = f"header lacks {missing}" if missing else f"header has {len(names)} columns"
        raise InputError(path, f"{problem}: {names}", row=line, field=(missing or ["header"])[0],
                         expected=f"exactly {ID_COLUMNS + ['<value column title>']}")
    return names[3]


__all__ = ["parse_owid_grapher_csv"]
