"""OECD Inter-Country Input-Output (ICIO) tables, one year per CSV, as the OECD publishes them.

Layout (ICIO 2021 and 2023 editions): a square-ish matrix in US$ million with row labels in the first
column (its header cell is empty or ``V1``).

- Rows and columns ``<country>_<industry>`` (``AUS_D01T02`` in the 2021 edition, ``AUS_A01_02`` in
  2023; the industry part may itself contain ``_``): intermediate use, supplier row x user column.
- Columns ``<country>_<final demand>`` with the category one of HFCE, NPISH, GGFC, GFCF, INVNT, DPABR
  (and NONRES, P33 or DISC in some editions): final demand of that country for the row's product.
- Column ``OUT`` (2023) or ``TOTAL`` (2021): gross output of the row.
- Rows ``TLS`` (2023) or ``TAXSUB`` (2021): taxes less subsidies on products used; ``VA`` or ``VALU``:
  value added at basic prices; ``OUT`` or ``OUTPUT``: gross output of the column.

Some releases split China and Mexico by processing-trade status (``CN1``, ``CN2``, ``MX1``, ``MX2``);
those blocks are summed into ``CHN`` and ``MEX`` (rows and columns), as pymrio does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from resilience.errors import InputError
from resilience.sources.parsers._common import (
    check_field_count, decode_text, read_bytes, read_csv_rows, reject_html, to_values,
)

FINAL_DEMAND = ("HFCE", "NPISH", "GGFC", "GFCF", "INVNT", "DPABR", "NONRES", "P33", "DISC")
OUTPUT_COLUMNS = ("OUT", "TOTAL")
OUTPUT_ROWS = ("OUT", "OUTPUT")
TAX_ROWS = ("TLS", "TAXSUB")
VALUE_ADDED_ROWS = ("VA", "VALU")
SPLIT_COUNTRIES = {"CN1": "CHN", "CN2": "CHN", "MX1": "MEX", "MX2": "MEX"}
CELL = re.compile(r"^([A-Z0-9]{3})_(.+)$")
# Output in the file and output rebuilt from its parts may differ by rounding (US$ million, few decimals).
BALANCE_TOLERANCE = 1e-3


@dataclass
class IcioTable:
    """One year of the ICIO: ``intermediate`` (n x n), ``final_demand`` (n x countries, categories
    summed), ``taxes``, ``value_added`` and ``output`` (n), all indexed by (country, industry) in the
    file's order, US$ million."""

    intermediate: pd.DataFrame
    final_demand: pd.DataFrame
    taxes: pd.Series
    value_added: pd.Series
    output: pd.Series

    @property
    def countries(self) -> list[str]:
        return list(dict.fromkeys(self.intermediate.index.get_level_values(0)))

    @property
    def industries(self) -> list[str]:
        return list(dict.fromkeys(self.intermediate.index.get_level_values(1)))


def parse_icio_csv(path) -> IcioTable:
    data = read_bytes(path)
    reject_html(path, data)
    rows = [(n, r) for n, r in read_csv_rows(path, decode_text(path, data)) if r]
    if len(rows) < 2:
        raise InputError(path, "has no data rows", expected="an ICIO matrix with a header row")
    header_line, header = rows[0]
    for line, fields in rows[1:]:
        check_field_count(path, line, fields, len(header))
    labels = [f[0].strip() for _, f in rows[1:]]
    lines = pd.Series([n for n, _ in rows[1:]])
    names = [h.strip() for h in header[1:]]
    cells = pd.DataFrame([f[1:] for _, f in rows[1:]], columns=names)
    values = _numbers(path, cells, lines)
    return _split(path, values, labels, lines, header_line)


def _numbers(path, cells: pd.DataFrame, lines: pd.Series) -> pd.DataFrame:
    out = {}
    for name in cells.columns:
        column = cells[name].reset_index(drop=True)
        # Empty cells occur only outside the blocks used (checked in _split).
        out[name] = to_values(path, column, missing={""}, rows=lines, fields=pd.Series(name, index=column.index))
    return pd.DataFrame(out)


def _country_cell(label: str) -> tuple[str, str] | None:
    match = CELL.match(label)
    return (SPLIT_COUNTRIES.get(match.group(1), match.group(1)), match.group(2)) if match else None


def _one_of(path, labels: list[str], names: tuple[str, ...], what: str, line: int, axis: str) -> int:
    found = [i for i, label in enumerate(labels) if label in names]
    if len(found) != 1:
        raise InputError(path, f"has {len(found)} {what} {axis}s ({' or '.join(names)})", row=line,
                         field=names[0], expected=f"exactly one {what} {axis}")
    return found[0]


def _split(path, values: pd.DataFrame, labels: list[str], lines: pd.Series, header_line: int) -> IcioTable:
    names = list(values.columns)
    row_cells = {i: _country_cell(label) for i, label in enumerate(labels)}
    industry_rows = [i for i, cell in row_cells.items() if cell is not None]
    fd_cols = [c for c in names if (m := CELL.match(c)) and m.group(2) in FINAL_DEMAND]
    industry_cols = [c for c in names if _country_cell(c) is not None and c not in fd_cols]
    if [labels[i] for i in industry_rows] != industry_cols:
        raise InputError(path, "the country_industry rows and columns differ (the matrix is not square or "
                         "not in the same order)", row=header_line, field="header",
                         expected="the same <country>_<industry> codes down the rows and across the columns")
    if not industry_rows:
        raise InputError(path, "has no <country>_<industry> rows", row=header_line,
                         expected="rows such as AUS_D01T02 or AUS_A01_02")
    tax = _one_of(path, labels, TAX_ROWS, "taxes-less-subsidies", int(lines.iloc[-1]), "row")
    va = _one_of(path, labels, VALUE_ADDED_ROWS, "value-added", int(lines.iloc[-1]), "row")
    out_row = _one_of(path, labels, OUTPUT_ROWS, "output", int(lines.iloc[-1]), "row")
    out_col = names[_one_of(path, names, OUTPUT_COLUMNS, "output", header_line, "column")]
    for block in (values.loc[industry_rows, industry_cols + fd_cols + [out_col]],
                  values.loc[[tax, va, out_row], industry_cols]):
        empty = block.isna().stack()
        if empty.any():
            i, name = empty.idxmax()
            raise InputError(path, "empty cell in the input-output block", row=int(lines[i]), field=name,
                             expected="a number in every intermediate, final demand, TLS, VA and output cell")
    index = pd.MultiIndex.from_tuples([row_cells[i] for i in industry_rows], names=["country", "industry"])
    z = values.loc[industry_rows, industry_cols].to_numpy()
    intermediate = pd.DataFrame(z, index=index, columns=index)
    fd_country = [SPLIT_COUNTRIES.get(c[:3], c[:3]) for c in fd_cols]
    final = pd.DataFrame(values.loc[industry_rows, fd_cols].to_numpy(), index=index, columns=fd_country)
    final = final.T.groupby(level=0, sort=False).sum().T
    parts = {"taxes": values.loc[tax, industry_cols], "value_added": values.loc[va, industry_cols],
             "output_row": values.loc[out_row, industry_cols],
             "output_col": values.loc[industry_rows, out_col]}
    parts = {k: pd.Series(v.to_numpy(), index=index) for k, v in parts.items()}
    _check_balance(path, intermediate, final, parts, lines, industry_rows, out_row)
    table = IcioTable(intermediate, final, parts["taxes"], parts["value_added"], parts["output_row"])
    return _merge_split_countries(table)


def _check_balance(path, intermediate, final, parts, lines, industry_rows, out_row) -> None:
    """Output by row (uses) and by column (costs) must agree: a cut or shifted file breaks this."""
    uses = intermediate.sum(axis=1) + final.sum(axis=1)
    costs = intermediate.sum(axis=0) + parts["taxes"] + parts["value_added"]
    scale = np.maximum(1.0, parts["output_col"].abs())
    for what, rebuilt, published, row in (
            ("row sum of uses", uses, parts["output_col"], None),
            ("column sum of costs", costs, parts["output_row"], int(lines.iloc[out_row]))):
        gap = ((rebuilt - published).abs() / scale).to_numpy()
        if (gap > BALANCE_TOLERANCE).any():
            i = int(gap.argmax())
            who = "_".join(intermediate.index[i])
            raise InputError(path, f"{what} of {who} is {rebuilt.iloc[i]:.6g} but the file's output is "
                             f"{published.iloc[i]:.6g}", row=row if row is not None else int(lines.iloc[industry_rows[i]]),
                             field=who, expected="output = intermediate + final uses = inputs + TLS + VA")
    if not np.allclose(parts["output_row"], parts["output_col"], rtol=BALANCE_TOLERANCE, atol=BALANCE_TOLERANCE):
        raise InputError(path, "the OUT row and the OUT column differ", row=int(lines.iloc[out_row]),
                         field="OUT", expected="the same gross output in the OUT row and column")


def _merge_split_countries(table: IcioTable) -> IcioTable:
    """Sum duplicate (country, industry) labels left by CN1/CN2 and MX1/MX2 into one block."""
    index = table.intermediate.index
    if not index.duplicated().any():
        return table
    order = list(dict.fromkeys(index))
    merged_index = pd.MultiIndex.from_tuples(order, names=index.names)

    def rows(frame):
        return frame.groupby(level=[0, 1], sort=False).sum().reindex(merged_index)

    z = rows(rows(table.intermediate).T).T
    return IcioTable(z, rows(table.final_demand), rows(table.taxes.to_frame())[table.taxes.name or 0],
                     rows(table.value_added.to_frame())[table.value_added.name or 0],
                     rows(table.output.to_frame())[table.output.name or 0])


__all__ = ["IcioTable", "parse_icio_csv"]
