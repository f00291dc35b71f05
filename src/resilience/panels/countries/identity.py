"""Country identities: from each publisher's codes or names to ISO3, with the entity kind.

Every mapping comes from a maintained source, never from a table typed in here: the World Bank's
own country metadata for WB codes, and ``country_converter`` (coco) for UN M49 numbers, ISO3
codes and names. Whatever cannot be resolved is returned in an *unmatched* table with a reason,
which is the report: nothing is dropped silently (and coco's own not-found warnings are muted).

Schemes (``resolve(..., scheme=...)``):

- ``wb``    World Bank codes; ``wb_metadata`` (code, name, region, income_group, kind) decides
            economy vs aggregate and iso3 is WB's code (so Kosovo stays XKX, Channel Islands CHI).
- ``m49``   UN M49 numbers (UN AMA CountryID), via coco's ``UNnumeric``. States the publisher
            names "(Former)"/"Former ..." become entity ``former`` with iso3 ``'F' + 3-digit M49``
            ('F810' USSR), not an ISO alpha-3 code: former Sudan, former Ethiopia and the Yemen
            Arab Republic carried the codes the current states still use (SDN, ETH, YEM), so
            reusing them would splice a predecessor's series into its successor's. A number coco
            does not know is matched through the name only if the name is exactly a country coco
            knows that has no M49 number of its own (Kosovo, 412 -> XKX); sub-national parts
            (Tanzania mainland 835, Zanzibar 836) stay unmatched.
- ``name``  names only (ITU), coco regex matching; group names (World, regions, income groups)
            are unmatched with reason 'aggregate, not an economy'.
- ``owid``  OWID grapher codes: ISO3 codes coco knows -> economy; OWID_WRL -> WLD (aggregate);
            other OWID_* codes -> the economy coco names exactly (OWID_KOS 'Kosovo' -> XKX), else
            an aggregate keeping the OWID code; rows without a code are unmatched.

Aggregates and former states stay in the tidy table with their ``entity`` so later stages can pick
economies. Two publisher entries resolving to one iso3 would duplicate data, so both are unmatched.
"""

from __future__ import annotations

import functools
import logging
import re
from contextlib import contextmanager

import country_converter as coco
import pandas as pd

from resilience.errors import ConfigError, InputError
from resilience.tidy import PARSED_COLUMNS, TIDY_COLUMNS, validate_tidy

SCHEMES = ("wb", "m49", "name", "owid")
UNMATCHED_COLUMNS = ["source", "country_code", "country_name", "reason"]
WB_METADATA_COLUMNS = ["code", "name", "region", "income_group", "kind"]
WB_KINDS = {"economy", "aggregate"}

FORMER_NAME = re.compile(r"\(former\)|^former\b", re.IGNORECASE)
ISO3_PATTERN = re.compile(r"^[A-Z]{3}$")
# OWID's world aggregate under the World Bank's code, so World rows from both publishers align.
OWID_WORLD = ("OWID_WRL", "WLD")
# Words that only group names carry, checked once coco has found no single country for a name.
# A miss only changes the wording of the reason: either way the name is unmatched.
GROUP_WORDS = re.compile(
    r"\b(world|income|countries|economies|regions?|total|members|area|dividend|excluding|"
    r"european union|small states|ida|ibrd|hipc|oecd)\b|\(wb\)", re.IGNORECASE)
COCO_REGION_COLUMNS = ["continent", "Continent_7", "UNregion"]
# coco's not_found=None echoes the input (which can look like a code), so use a value no code has.
NOT_FOUND = "\x00not found"
FLAG_JOIN = "; "  # as the AMA parser joins several footnotes on one cell

AGGREGATE_REASON = "aggregate, not an economy"
# Economies the UN publishes only as parts (M49 numbers without leading zeros): their sum is the
# economy, because the parts are disjoint territories whose national accounts add up (UNSD's own
# Tanzania totals elsewhere are mainland plus Zanzibar).
M49_PARTS = {"TZA": ("835", "836")}
PART_REASON = "part of "
Identity = tuple[str, str, str]  # (iso3, entity, reason); reason '' when matched


def resolve(parsed_table: pd.DataFrame, scheme: str, *, source: str, vintage: str,
            wb_metadata: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Turn a parser's table into (tidy table in TIDY_COLUMNS, unmatched table in UNMATCHED_COLUMNS).

    Both are sorted; the tidy table is checked with ``resilience.tidy.validate_tidy``.
    """
    identify = _IDENTIFIERS.get(scheme)
    if identify is None:
        raise ConfigError(f"unknown identity scheme {scheme!r} for {source}; expected one of {SCHEMES}")
    table = _checked_parsed(parsed_table, source)
    entries = table[["country_code", "country_name"]].drop_duplicates().reset_index(drop=True)
    identities = _drop_collisions(_identities(entries, identify(entries, wb_metadata, source)))
    matched = identities[identities["reason"] == ""].drop(columns="reason")
    tidy = table.merge(matched, on=["country_code", "country_name"], how="inner")
    if scheme == "m49":
        summed, identities = _sum_parts(table, identities)
        tidy = pd.concat([tidy, summed], ignore_index=True) if len(summed) else tidy
    tidy = tidy.assign(source=source, vintage=vintage)[TIDY_COLUMNS]
    unmatched = identities[identities["reason"] != ""].assign(source=source)[UNMATCHED_COLUMNS]
    unmatched = unmatched.sort_values(["country_code", "country_name"]).reset_index(drop=True)
    return validate_tidy(tidy, source), unmatched


def _checked_parsed(parsed_table: pd.DataFrame, source: str) -> pd.DataFrame:
    missing = [c for c in PARSED_COLUMNS if c not in parsed_table.columns]
    if missing:
        raise InputError(source, f"parsed table lacks columns {missing}", expected=f"columns {PARSED_COLUMNS}")
    table = parsed_table[PARSED_COLUMNS].copy()
    for column in ("country_code", "country_name", "flags"):
        table[column] = table[column].fillna("").astype(str).str.strip()
    return table


def _identities(entries: pd.DataFrame, identities: list[Identity]) -> pd.DataFrame:
    resolved = pd.DataFrame(identities, columns=["iso3", "entity", "reason"], index=entries.index)
    return pd.concat([entries, resolved], axis=1)


def _drop_collisions(identities: pd.DataFrame) -> pd.DataFrame:
    """Unmatch every entry whose iso3 another entry also got: which one is right is not knowable here."""
    matched = identities["reason"] == ""
    times_used = identities.loc[matched, "iso3"].value_counts()
    clash = matched & identities["iso3"].map(times_used).gt(1)
    reasons = [f"ambiguous: several entries in this file resolve to {iso3}" for iso3 in identities.loc[clash, "iso3"]]
    identities.loc[clash, "reason"] = reasons
    return identities


# --- World Bank codes --------------------------------------------------------------------------

def _identify_wb(entries: pd.DataFrame, wb_metadata: pd.DataFrame | None, source: str) -> list[Identity]:
    meta = _checked_wb_metadata(wb_metadata, source)
    kind_by_code = dict(zip(meta["code"], meta["kind"]))
    code_by_name = dict(zip(meta["name"].str.casefold(), meta["code"]))
    identities = []
    for code, name in zip(entries["country_code"], entries["country_name"]):
        if not code:
            code = code_by_name.get(name.casefold(), "")
            missing = "no code, and the name is not in the World Bank country metadata"
        else:
            missing = "code not in the World Bank country metadata"
        identities.append((code, kind_by_code[code], "") if code in kind_by_code else ("", "", missing))
    return identities


def _checked_wb_metadata(wb_metadata: pd.DataFrame | None, source: str) -> pd.DataFrame:
    if wb_metadata is None:
        raise ConfigError(f"{source}: scheme 'wb' needs the World Bank country metadata (wb_metadata)")
    missing = [c for c in WB_METADATA_COLUMNS if c not in wb_metadata.columns]
    if missing:
        raise InputError("wb_metadata", f"missing columns {missing}", expected=f"columns {WB_METADATA_COLUMNS}")
    meta = wb_metadata[WB_METADATA_COLUMNS].fillna("").astype(str)
    meta = meta.apply(lambda column: column.str.strip())
    bad = ~meta["kind"].isin(WB_KINDS)
    if bad.any():
        i = int(bad.idxmax())
        raise InputError("wb_metadata", f"kind {meta.at[i, 'kind']!r} for {meta.at[i, 'code']}",
                         field="kind", row=i, expected=f"one of {sorted(WB_KINDS)}")
    return meta


# --- UN M49 numbers ----------------------------------------------------------------------------

def _identify_m49(entries: pd.DataFrame, wb_metadata, source: str) -> list[Identity]:
    numbers = [_m49_number(code) for code in entries["country_code"]]
    by_number = _coco_iso3([n for n in numbers if n], "UNnumeric")
    return [_m49_identity(number, name, by_number)
            for number, name in zip(numbers, entries["country_name"])]


def _m49_number(code: str) -> str:
    """'004' and '4' are the same M49 number; coco stores it without leading zeros."""
    return str(int(code)) if code.isdigit() else ""


def _m49_identity(number: str, name: str, by_number: dict[str, list[str]]) -> Identity:
    if not number:
        return "", "", "country code is not an M49 number"
    if FORMER_NAME.search(name):
        return f"F{int(number):03d}", "former", ""
    found = by_number.get(number, [])
    if len(found) == 1:
        return found[0], "economy", ""
    if len(found) > 1:
        return "", "", f"M49 {number} matches several countries in country_converter ({', '.join(found)})"
    iso3 = _exact_name_iso3(name, without_m49=True)
    if iso3:
        return iso3, "economy", ""
    return "", "", (f"M49 {number} unknown to country_converter and the name is not a country it "
                    "knows (a sub-national area or a group?)")


def _sum_parts(table: pd.DataFrame, identities: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows of each ``M49_PARTS`` economy summed from its parts, and the identities with the parts'
    reasons saying what was done with them."""
    numbers = identities["country_code"].map(_m49_number)
    whole_rows = []
    for iso3, parts in M49_PARTS.items():
        is_part = numbers.isin(parts) & (identities["reason"] != "")
        if not is_part.any():
            continue
        present = set(numbers[is_part])
        names = " + ".join(f"{n} {name}" for n, name in sorted(zip(numbers[is_part], identities.loc[is_part, "country_name"])))
        if iso3 in set(identities.loc[identities["reason"] == "", "iso3"]):
            reason = f"{PART_REASON}{iso3}; not summed, the file also has {iso3} itself"
        elif present != set(parts):
            reason = (f"{PART_REASON}{iso3}; not summed, the file lacks M49 "
                      f"{', '.join(sorted(set(parts) - present))}")
        else:
            codes = set(identities.loc[is_part, "country_code"])
            rows = table[table["country_code"].isin(codes) & table["value"].notna()]
            rows = rows.assign(part=rows["country_code"].map(_m49_number))
            grouped = rows.groupby(["series", "year"]).agg(
                value=("value", "sum"), n_parts=("part", "nunique"),
                flags=("flags", lambda f: FLAG_JOIN.join(sorted({x for x in f if x}))))
            complete = grouped[grouped["n_parts"] == len(parts)].reset_index()
            whole_rows.append(complete.assign(iso3=iso3, entity="economy")[
                ["iso3", "entity", "year", "series", "value", "flags"]])
            reason = (f"{PART_REASON}{iso3}: {names} summed into {iso3} where every part has a value "
                      f"({len(complete)} of {len(grouped)} series-years; the rest, with a part missing, not used)")
        identities.loc[is_part, "reason"] = reason
    summed = (pd.concat(whole_rows, ignore_index=True) if whole_rows
              else pd.DataFrame(columns=["iso3", "entity", "year", "series", "value", "flags"]))
    return summed, identities


# --- names only --------------------------------------------------------------------------------

def _identify_names(entries: pd.DataFrame, wb_metadata: pd.DataFrame | None, source: str) -> list[Identity]:
    names = entries["country_name"].tolist()
    found = _coco_iso3([n for n in names if n], "regex")
    group_names = _group_names(wb_metadata)
    return [_name_identity(name, found.get(name, []), group_names) for name in names]


def _name_identity(name: str, found: list[str], group_names: set[str]) -> Identity:
    if not name:
        return "", "", "empty name"
    if len(found) == 1:  # first: 'Micronesia' is a country to coco and also a UN region name
        return found[0], "economy", ""
    if _is_group_name(name, group_names):
        return "", "", AGGREGATE_REASON
    if len(found) > 1:
        return "", "", f"name matches several countries in country_converter ({', '.join(found)})"
    return "", "", "name not recognised by country_converter"


def _is_group_name(name: str, group_names: set[str]) -> bool:
    return bool(GROUP_WORDS.search(name)) or _normal_name(name) in group_names


def _group_names(wb_metadata: pd.DataFrame | None) -> set[str]:
    """Names of groups: coco's continents and UN regions, plus WB aggregates when metadata is given."""
    data = _converter().data
    names = {_normal_name(v) for column in COCO_REGION_COLUMNS for v in data[column].dropna().astype(str)}
    if wb_metadata is not None:
        meta = _checked_wb_metadata(wb_metadata, "wb_metadata")
        names |= {_normal_name(n) for n in meta.loc[meta["kind"] == "aggregate", "name"]}
    return names


def _normal_name(name: str) -> str:
    return " ".join(name.replace("&", " and ").casefold().split())


# --- OWID grapher codes ------------------------------------------------------------------------

def _identify_owid(entries: pd.DataFrame, wb_metadata, source: str) -> list[Identity]:
    codes = entries["country_code"].tolist()
    known_iso3 = _coco_iso3([c for c in codes if ISO3_PATTERN.match(c)], "ISO3")
    blank_code_names = _coco_iso3([n for c, n in zip(codes, entries["country_name"]) if not c and n], "regex")
    return [_owid_identity(code, name, known_iso3, blank_code_names)
            for code, name in zip(codes, entries["country_name"])]


def _owid_identity(code: str, name: str, known_iso3: dict, blank_code_names: dict) -> Identity:
    if code == OWID_WORLD[0]:
        return OWID_WORLD[1], "aggregate", ""
    if code.startswith("OWID_"):
        iso3 = _exact_name_iso3(name)  # OWID codes its own entities; Kosovo is one of them
        return (iso3, "economy", "") if iso3 else (code, "aggregate", "")
    if not code:
        looks_like = blank_code_names.get(name, [])
        if len(looks_like) == 1:  # e.g. OWID's 'Faeroe Islands' row has no code
            return "", "", f"no code in the file (country_converter reads the name as {looks_like[0]}); not used"
        return "", "", "aggregate without code"
    if known_iso3.get(code) == [code]:
        return code, "economy", ""
    return "", "", "code is not an ISO3 code known to country_converter"


_IDENTIFIERS = {"wb": _identify_wb, "m49": _identify_m49, "name": _identify_names, "owid": _identify_owid}


# --- country_converter -------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def _converter() -> coco.CountryConverter:
    # Building it reads and compiles coco's whole country table; do it once per process.
    return coco.CountryConverter()


@contextmanager
def _quiet_coco():
    """Mute coco's 'X not found in Y' warnings: the unmatched table reports them instead."""
    logger = logging.getLogger(coco.country_converter.__name__)
    was_disabled, logger.disabled = logger.disabled, True
    try:
        yield
    finally:
        logger.disabled = was_disabled


def _coco_iso3(values: list[str], src: str) -> dict[str, list[str]]:
    """Each distinct value -> the ISO3 codes coco finds for it ([] when none)."""
    unique = sorted(set(values))
    if not unique:
        return {}
    with _quiet_coco():
        found = _converter().convert(unique, src=src, to="ISO3", enforce_list=True, not_found=NOT_FOUND)
    return {value: sorted({str(c) for c in codes if ISO3_PATTERN.match(str(c))})
            for value, codes in zip(unique, found)}


@functools.lru_cache(maxsize=1)
def _names_to_iso3() -> dict[str, tuple[str, bool]]:
    """coco's short and official names (casefolded) -> (ISO3, whether that country has an M49 number)."""
    data = _converter().data
    has_m49 = data["UNcode"].notna()
    table = {}
    for column in ("name_short", "name_official"):
        for name, iso3, m49 in zip(data[column].astype(str), data["ISO3"].astype(str), has_m49):
            table.setdefault(name.casefold(), (iso3, bool(m49)))
    return table


def _exact_name_iso3(name: str, *, without_m49: bool = False) -> str:
    """ISO3 of the country coco calls exactly ``name`` (no fuzzy regex: 'Czechoslovakia' is not CZE)."""
    iso3, has_m49 = _names_to_iso3().get(name.strip().casefold(), ("", False))
    if without_m49 and has_m49:
        return ""  # that country has its own M49 number, so this code must mean something else
    return iso3
