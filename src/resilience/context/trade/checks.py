"""The ``trade_diversion:`` block of config/config.yaml: which datasets it reads, the HS section table,
and the cross-checks the JSON schema cannot express (run by ``resilience.config.check_config``).

Kept apart from ``resilience.context.trade.analysis`` so the Snakefile, which calls it on every start, does not
import the trade parsers (openpyxl, requests).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from resilience.errors import ConfigError

WORLD = "WLD"
SECTION_COLUMNS = ["section", "first_chapter", "last_chapter", "title"]


def trade_datasets(cfg: dict) -> list[str]:
    """Every dataset the trade rule reads, in a stable order."""
    names = list(cfg["monthly_sources"]) + list(cfg["annual_sources"]) + [cfg["mirror_source"]]
    names += [cfg["revisions"]["current"], cfg["revisions"]["previous"]]
    for family in ("census", "comtrade"):
        names += cfg["hs_sources"][family]
    return list(dict.fromkeys(names))


def check_config(cfg: dict, datasets: set[str], root) -> None:
    """Cross-checks of the ``trade_diversion`` block that the schema cannot express."""
    for name in trade_datasets(cfg):
        if name not in datasets:
            raise ConfigError(f"trade_diversion: unknown dataset {name!r} (not in the catalog)")
    if cfg["base_year"] < cfg["first_year"]:
        raise ConfigError(f"trade_diversion.base_year: {cfg['base_year']} is before first_year {cfg['first_year']}")
    first, last = cfg["revisions"]["years"]
    if first > last:
        raise ConfigError(f"trade_diversion.revisions.years: {first} is after {last}")
    if cfg["revisions"]["current"] not in cfg["monthly_sources"]:
        raise ConfigError(f"trade_diversion.revisions.current: {cfg['revisions']['current']!r} is not one of the "
                          f"monthly_sources {cfg['monthly_sources']}")
    try:
        re.compile(cfg["country_codes"])
    except re.error as exc:
        raise ConfigError(f"trade_diversion.country_codes: not a regular expression ({exc})") from exc
    iso = [p["iso3"] for p in cfg["partners"]]
    if len(set(iso)) != len(iso) or WORLD in iso:
        raise ConfigError(f"trade_diversion.partners: ISO3 codes must be unique and not {WORLD}, got {iso}")
    if cfg["china"] not in iso:
        raise ConfigError(f"trade_diversion.china: {cfg['china']!r} is not one of the partners {iso}")
    path = Path(root) / cfg["hs_sections"]
    if not path.is_file():
        raise ConfigError(f"trade_diversion.hs_sections: {path} not found")
    read_hs_sections(path)


def read_hs_sections(path) -> pd.DataFrame:
    """The HS section table; chapter ranges must be whole, ordered and non-overlapping in 1..97."""
    try:
        table = pd.read_csv(path, dtype={"section": str, "title": str}, keep_default_na=False)
    except (OSError, pd.errors.ParserError) as exc:
        raise ConfigError(f"{path}: cannot be read as CSV ({exc})") from exc
    missing = [c for c in SECTION_COLUMNS if c not in table.columns]
    if missing:
        raise ConfigError(f"{path}: missing columns {missing} (expected {SECTION_COLUMNS})")
    previous = 0
    for line, row in enumerate(table.itertuples(index=False), start=2):
        first, last = int(row.first_chapter), int(row.last_chapter)
        if not previous < first <= last <= 97:
            raise ConfigError(f"{path}, line {line}: chapters {first}-{last} must follow {previous} and lie in 1..97")
        previous = last
    return table[SECTION_COLUMNS]
