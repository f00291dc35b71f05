"""The source catalog: one row per dataset (publisher, live URL, mirror path, formats, parser).

Download rules are generated from it, so a new source is one row plus, if its format is new,
one parser.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from resilience.errors import ConfigError

CATALOG_COLUMNS = [
    "dataset", "publisher", "title", "live_method", "live_url", "live_file", "live_format",
    "mirror_path", "mirror_format", "identity", "parse_options", "sha256", "licence",
]
LIVE_METHODS = {"http", "wb_api", "none"}
IDENTITY_SCHEMES = {"wb", "m49", "name", "owid", "none"}
SHA256_HEX = re.compile(r"[0-9a-fA-F]{64}")


def read_catalog(path) -> pd.DataFrame:
    """Read and check the catalog; every problem names the file, the row and the column."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"{path}: source catalog not found (config key sources.catalog)")
    # Blank lines are kept while reading so that the reported line numbers are the file's own.
    table = pd.read_csv(path, dtype=str, keep_default_na=False, skip_blank_lines=False)
    missing = [c for c in CATALOG_COLUMNS if c not in table.columns]
    if missing:
        raise ConfigError(f"{path}, line 1: missing columns {missing} (expected {CATALOG_COLUMNS})")
    table.index = table.index + 2
    table = table[(table != "").any(axis=1)]
    seen: dict[str, int] = {}
    for line, row in table.iterrows():
        _check_row(path, line, row)
        if row["dataset"] in seen:
            raise ConfigError(f"{path}, line {line}: dataset id {row['dataset']!r} already on line {seen[row['dataset']]}")
        seen[row["dataset"]] = line
    return table.set_index("dataset", drop=False)


def _check_row(path, line, row) -> None:
    where = f"{path}, line {line} ({row['dataset'] or 'no id'})"
    if not row["dataset"] or not row["dataset"].replace("_", "").isalnum():
        raise ConfigError(f"{where}: column 'dataset' must be a non-empty id of letters, digits, _")
    if row["live_method"] not in LIVE_METHODS:
        raise ConfigError(f"{where}: column 'live_method' is {row['live_method']!r}, expected one of {sorted(LIVE_METHODS)}")
    if row["identity"] not in IDENTITY_SCHEMES:
        raise ConfigError(f"{where}: column 'identity' is {row['identity']!r}, expected one of {sorted(IDENTITY_SCHEMES)}")
    if row["live_method"] != "none" and not (row["live_url"] and row["live_file"] and row["live_format"]):
        raise ConfigError(f"{where}: a live source needs live_url, live_file and live_format")
    if bool(row["mirror_path"]) != bool(row["mirror_format"]):
        raise ConfigError(f"{where}: mirror_path and mirror_format go together")
    if row["sha256"] and not SHA256_HEX.fullmatch(row["sha256"]):
        raise ConfigError(f"{where}: column 'sha256' is {row['sha256']!r}, expected 64 hex digits or empty (not pinned)")
    parse_options(row, where=where)


def parse_options(row, *, where: str = "") -> dict[str, str]:
    """'key=value;key2=value2' -> dict (parser keyword arguments from the catalog)."""
    text = row["parse_options"].strip()
    options = {}
    for item in filter(str.strip, text.split(";")):
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"{where or row.get('dataset', 'catalog row')}: column 'parse_options' has {item.strip()!r}, "
                              f"expected key=value pairs separated by ';'")
        options[key.strip()] = value.strip()
    return options
