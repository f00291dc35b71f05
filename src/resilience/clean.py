"""Raw file -> tidy source table: parse with the format's parser, then resolve country identities."""

from __future__ import annotations


import pandas as pd

from resilience.panels.countries import identity as countries
from resilience.panels.countries.identity import UNMATCHED_COLUMNS
from resilience.catalog import parse_options
from resilience.errors import InputError
from resilience.sources import parsers
from resilience.sources.parsers.wdi import parse_wdi_country_metadata
from resilience.sources.raw import raw_file
from resilience.tidy import empty_tidy, validate_tidy

METADATA_COLUMNS = ["code", "name", "region", "income_group", "kind"]


def country_metadata(raw_dir) -> pd.DataFrame:
    path, manifest = raw_file(raw_dir)
    if path is None:
        raise InputError(raw_dir, f"country metadata unavailable: {manifest['message']}")
    meta = parse_wdi_country_metadata(path)
    return meta[METADATA_COLUMNS].sort_values("code").reset_index(drop=True)


def clean_dataset(raw_dir, row: dict, wb_metadata: pd.DataFrame, years: dict):
    """Returns (tidy table, unmatched table, manifest) for one catalog dataset."""
    path, manifest = raw_file(raw_dir)
    if path is None:
        return empty_tidy(), pd.DataFrame(columns=UNMATCHED_COLUMNS), manifest
    parsed = parsers.parse(manifest["format"], path, **parse_options(row))
    vintage = parsed.vintage or manifest.get("vintage_hint", "")
    tidy, unmatched = countries.resolve(parsed.table, row["identity"], source=row["dataset"],
                                        vintage=vintage, wb_metadata=wb_metadata)
    in_years = tidy["year"].between(years["start"], years["end"])
    tidy = validate_tidy(tidy[in_years], path)
    return tidy, unmatched[UNMATCHED_COLUMNS].sort_values(UNMATCHED_COLUMNS).reset_index(drop=True), manifest
