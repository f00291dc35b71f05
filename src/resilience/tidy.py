"""The tidy source table: the one shape every parser's output is normalised to.

Columns (one row per economy-or-aggregate x year x series, from one dataset):

- ``iso3``    ISO 3166 alpha-3 for economies; the publisher's code for aggregates (``WLD``) and a
              documented code for former states (see ``resilience.panels.countries.identity``).
- ``entity``  ``economy``, ``aggregate`` or ``former``; only economies enter the panels.
- ``year``    int
- ``series``  the publisher's own code (``NV.IND.MANF.KD``; for the UN AMA the exact indicator name)
- ``value``   float, NaN only where the publisher left a cell empty and a flag says so
- ``source``  dataset id from ``config/sources.csv``
- ``vintage`` the publisher's release date or edition, as stated in the file (or the catalog)
- ``flags``   ';'-joined publisher notes for that cell (e.g. an AMA footnote marking a series break), '' if none
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from resilience.errors import InputError

TIDY_COLUMNS = ["iso3", "entity", "year", "series", "value", "source", "vintage", "flags"]
ENTITY_KINDS = {"economy", "aggregate", "former"}

# What a parser returns before country identities are resolved.
PARSED_COLUMNS = ["country_code", "country_name", "year", "series", "value", "flags"]


@dataclass
class Parsed:
    """A parser's output: long table in PARSED_COLUMNS, plus what the file says about itself.

    ``country_code`` is the publisher's code as a string (ISO3 for the World Bank, the M49
    number for the UN, '' where the file has names only); ``vintage`` is read from the file
    when it states one ('' otherwise); ``notes`` are human-readable remarks for the report.
    """

    table: pd.DataFrame
    vintage: str = ""
    notes: list[str] = field(default_factory=list)


def empty_tidy() -> pd.DataFrame:
    """A tidy table with no rows and the right dtypes (for unavailable optional datasets)."""
    return pd.DataFrame({
        "iso3": pd.Series(dtype="string"), "entity": pd.Series(dtype="string"),
        "year": pd.Series(dtype="int64"), "series": pd.Series(dtype="string"),
        "value": pd.Series(dtype="float64"), "source": pd.Series(dtype="string"),
        "vintage": pd.Series(dtype="string"), "flags": pd.Series(dtype="string"),
    })


def validate_tidy(table: pd.DataFrame, path, *, min_year: int = 1900, max_year: int = 2100) -> pd.DataFrame:
    """Check columns, types, year range, entity kinds and duplicate keys; name the row that fails."""
    missing = [c for c in TIDY_COLUMNS if c not in table.columns]
    if missing:
        raise InputError(path, f"missing columns {missing}", expected=f"columns {TIDY_COLUMNS}")
    table = table[TIDY_COLUMNS].reset_index(drop=True)
    year = pd.to_numeric(table["year"], errors="coerce")
    bad = year.isna() | (year < min_year) | (year > max_year)
    if bad.any():
        i = int(bad.idxmax())
        shown = table.at[i, "year"]
        # a numpy scalar's repr is "np.int64(1899)": show the number as the file has it
        shown = shown.item() if hasattr(shown, "item") else shown
        raise InputError(path, f"year {shown!r} out of range", field="year", row=i,
                         expected=f"an integer in {min_year}-{max_year}")
    value = pd.to_numeric(table["value"], errors="coerce")
    bad = value.isna() & table["value"].notna()
    if bad.any():
        i = int(bad.idxmax())
        raise InputError(path, f"non-numeric value {table.at[i, 'value']!r}", field="value", row=i,
                         expected="a number or an empty cell")
    kinds = ~table["entity"].isin(ENTITY_KINDS)
    if kinds.any():
        i = int(kinds.idxmax())
        raise InputError(path, f"unknown entity kind {table.at[i, 'entity']!r}", field="entity", row=i,
                         expected=f"one of {sorted(ENTITY_KINDS)}")
    dup = table.duplicated(["iso3", "year", "series"], keep="first")
    if dup.any():
        i = int(dup.idxmax())
        raise InputError(path, f"duplicate row for {table.at[i, 'iso3']} {table.at[i, 'series']} "
                         f"{table.at[i, 'year']}", row=i, expected="one value per iso3 x year x series")
    out = table.assign(year=year.astype("int64"), value=value.astype("float64"))
    for col in ("iso3", "entity", "series", "source", "vintage", "flags"):
        out[col] = out[col].fillna("").astype("string")
    return out.sort_values(["series", "iso3", "year"], kind="stable").reset_index(drop=True)
