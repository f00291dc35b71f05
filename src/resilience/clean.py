"""Raw file -> tidy source table: parse with the format's parser, then resolve country identities."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from resilience.panels.countries import identity as countries
from resilience.panels.countries.identity import UNMATCHED_COLUMNS
from resilience.catalog import parse_options
from resilience.errors import InputError
from resilience.sources import parsers
from resilience.sources.parsers.wdi import parse_wdi_country_metadata
from resilience.sources.fetch import is_sha256, sha256_file
from resilience.sources.raw import read_manifest
from resilience.tidy import empty_tidy, validate_tidy

METADATA_COLUMNS = ["code", "name", "region", "income_group", "kind"]


def raw_file(raw_dir) -> tuple[Path | None, dict]:
    """The raw file named by the manifest (None when the dataset is unavailable), and the manifest.

    The file's bytes are checked against the sha256 its manifest recorded when it was obtained, so a
    raw file edited, truncated or swapped after download is never parsed as if it were the original.
    """
    manifest = read_manifest(raw_dir)
    if manifest["status"] != "ok":
        return None, manifest
    path = Path(raw_dir) / manifest["file"]
    _check_against_manifest(path, manifest, Path(raw_dir) / "manifest.json")
    return path, manifest


def _check_against_manifest(path: Path, manifest: dict, manifest_path: Path) -> None:
    remedy = f"delete {path.parent} and rerun to obtain the published file again"
    if not path.is_file():
        raise InputError(path, f"the raw file {manifest_path} lists is missing; {remedy}", field="file")
    expected = manifest.get("sha256")
    if not is_sha256(expected):
        # A blank or garbled hash must not switch the check off.
        raise InputError(manifest_path, f"sha256 {expected!r} for {path.name} is not 64 hex digits, so the raw "
                                        f"file cannot be checked; {remedy}", field="sha256")
    expected, actual = expected.strip().lower(), sha256_file(path)
    if actual != expected:
        raise InputError(path, f"sha256 {actual} differs from the one {manifest_path} recorded when the file "
                               f"was obtained: the raw file changed after download; {remedy}",
                         field="sha256", expected=expected)


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
