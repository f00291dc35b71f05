"""NUTS versions: which version a file's codes are in, and recoding them to one target version.

The correspondence table (``resilience.sources.parsers.eurostat.read_nuts_workbook``, the three
workbooks concatenated) links consecutive versions (2013 -> 2016 -> 2021 -> 2024). A region is
carried from its source version to the target one step at a time:

- ``unchanged`` (same code, at most a new name, or an 'art. 5(2a)' shift that changes no region)
  and ``recoded`` (new code, same territory) carry it on, under the new code;
- ``boundary`` (its territory changed: boundary shift, split, merge) and ``discontinued`` drop it,
  because its old values do not measure the new territory; going back in time, a region ``new``
  in the later version has no predecessor and is dropped too;
- a code the step's workbook does not list is dropped ("not in the correspondence").

Nothing is re-estimated or re-apportioned: a dropped region's data leave the panel, and every
region's fate is listed (``harmonize`` returns one row per region code with its status and reason).
"""

from __future__ import annotations

import pandas as pd

from resilience.errors import ConfigError, InputError

CARRIED = {"unchanged", "recoded"}
REPORT_COLUMNS = ["unit", "country", "source_version", "target_version", "status", "unit_target", "reason"]
REGION_LEVEL = 2


def versions(correspondence: pd.DataFrame) -> list[int]:
    """The NUTS versions the correspondence table links, ascending."""
    found = set(correspondence["from_version"]) | set(correspondence["to_version"])
    return sorted(int(v) for v in found)


def code_list(correspondence: pd.DataFrame, version: int, level: int = REGION_LEVEL) -> set[str]:
    """Codes of ``version`` at ``level`` named by any step into or out of that version."""
    rows = correspondence[correspondence["level"] == level]
    old = rows.loc[rows["from_version"] == version, "code_from"]
    new = rows.loc[rows["to_version"] == version, "code_to"]
    return set(pd.concat([old, new]).dropna())


def infer_version(codes, correspondence: pd.DataFrame, level: int = REGION_LEVEL) -> int:
    """The version whose code list contains most of ``codes`` (ties: the later version).

    Only codes of countries that every version's list covers are compared (the 2013 workbook lists
    the EU28 only, later ones also EFTA and candidate countries, which would otherwise favour them).
    Codes outside every list (aggregates, another classification) count for none.
    """
    codes = set(codes)
    if not codes:
        raise InputError("codes (infer_version)", "no region codes", expected="at least one NUTS code")
    lists = {v: code_list(correspondence, v, level) for v in versions(correspondence)}
    common = set.intersection(*({c[:2] for c in codes_v} for codes_v in lists.values()))
    compared = {c for c in codes if c[:2] in common}
    scores = {v: len(compared & listed) for v, listed in lists.items()}
    return max(scores, key=lambda v: (scores[v], v))


def version_map(correspondence: pd.DataFrame, source: int, target: int, codes,
                level: int = REGION_LEVEL) -> pd.DataFrame:
    """Fate of each code of ``source`` in ``target``: columns unit, status, unit_target, reason.

    status: ``unchanged`` / ``recoded`` (unit_target set) or ``dropped`` (unit_target empty, reason
    says which step and why). Also ``not_in_source`` for codes absent from the source list. Two
    codes that would end on the same target code are both dropped (a merge by recoding).
    """
    known = versions(correspondence)
    for v in (source, target):
        if v not in known:
            raise ConfigError(f"NUTS version {v} is not linked by the correspondence workbooks (versions {known})")
    source_codes = code_list(correspondence, source, level)
    path = _steps(known, source, target)
    rows = []
    for code in sorted(set(codes)):
        if code not in source_codes:
            rows.append((code, "not_in_source", None, f"not a NUTS {source} level-{level} code"))
            continue
        rows.append(_carry(correspondence, code, path, level))
    out = pd.DataFrame(rows, columns=["unit", "status", "unit_target", "reason"])
    return _drop_collisions(out)


def harmonize(panel: pd.DataFrame, correspondence: pd.DataFrame, source: int, target: int,
              level: int = REGION_LEVEL) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(panel with region codes in ``target``, one report row per region code of the input).

    ``panel``: long, with columns unit, level, country (and any others). Rows at ``level`` are
    recoded or dropped as ``version_map`` says; rows at other levels (the national rows) pass
    unchanged. Report columns: REPORT_COLUMNS, sorted by unit.
    """
    missing = [c for c in ("unit", "level", "country") if c not in panel.columns]
    if missing:
        raise InputError("panel (harmonize)", f"missing columns {missing}", expected="columns unit, level, country")
    regional = panel["level"] == level
    fate = version_map(correspondence, source, target, panel.loc[regional, "unit"].unique(), level)
    mapping = fate.set_index("unit")["unit_target"]
    recoded = panel[regional].assign(unit=panel.loc[regional, "unit"].map(mapping))
    out = pd.concat([panel[~regional], recoded.dropna(subset=["unit"])], ignore_index=True)
    countries = panel[regional].drop_duplicates("unit").set_index("unit")["country"]
    report = fate.assign(country=fate["unit"].map(countries), source_version=source, target_version=target)
    return out, report[REPORT_COLUMNS].sort_values("unit", ignore_index=True)


def summarise(report: pd.DataFrame) -> pd.DataFrame:
    """Counts of region codes per status (and 'total'), from ``harmonize``'s report."""
    counts = report["status"].value_counts().rename_axis("status").reset_index(name="regions")
    total = pd.DataFrame({"status": ["total"], "regions": [len(report)]})
    return pd.concat([counts.sort_values("status"), total], ignore_index=True)


# Why a region code was dropped, read from its reason (first match wins: a split that is also called a
# boundary change counts as a split). A merge is never re-apportioned, so merged codes are dropped too.
DROP_CAUSES = (("merged", ("several codes end on", "merge")), ("split", ("split",)),
               ("boundary", ("boundary",)), ("new", ("no predecessor", "new region")),
               ("not_in_correspondence", ("not in the correspondence",)))


def drop_cause(reason: str) -> str:
    """merged, split, boundary, new, not_in_correspondence or discontinued: why a code was dropped."""
    text = str(reason or "").lower()
    return next((cause for cause, words in DROP_CAUSES if any(w in text for w in words)), "discontinued")


def drop_causes(report: pd.DataFrame) -> pd.DataFrame:
    """Dropped region codes per cause (status ``dropped:<cause>``, column regions; every cause, 0 when
    none, so a table says "no merge" rather than nothing), from ``harmonize``'s report."""
    dropped = report[report["status"] == "dropped"]
    counts = dropped["reason"].map(drop_cause).value_counts()
    causes = sorted([cause for cause, _ in DROP_CAUSES] + ["discontinued"])
    return pd.DataFrame({"status": [f"dropped:{c}" for c in causes],
                         "regions": [int(counts.get(c, 0)) for c in causes]})


def _steps(known: list[int], source: int, target: int) -> list[tuple[int, int]]:
    """Consecutive (from, to) steps from source to target, forward or backward in time."""
    i, j = known.index(source), known.index(target)
    if i <= j:
        return [(known[k], known[k + 1]) for k in range(i, j)]
    return [(known[k], known[k - 1]) for k in range(i, j, -1)]


def _carry(correspondence: pd.DataFrame, code: str, path, level: int):
    current, recoded = code, False
    for a, b in path:
        forward = a < b
        step = correspondence[(correspondence["level"] == level)
                              & (correspondence["from_version"] == min(a, b))
                              & (correspondence["to_version"] == max(a, b))]
        here, there = ("code_from", "code_to") if forward else ("code_to", "code_from")
        match = step[step[here] == current]
        if match.empty:
            return code, "dropped", None, f"{a}->{b}: {current} is not in the correspondence"
        statuses = set(match["status"])
        if len(match) > 1 or not statuses <= CARRIED:
            change = "; ".join(sorted(set(match["change"]) - {""})) or "/".join(sorted(statuses))
            kind = "new region, no predecessor" if statuses == {"new"} else change
            return code, "dropped", None, f"{a}->{b}: {current} {kind}"
        nxt = match[there].iloc[0]
        recoded |= nxt != current
        current = nxt
    return code, "recoded" if recoded else "unchanged", current, ""


def _drop_collisions(fate: pd.DataFrame) -> pd.DataFrame:
    kept = fate["unit_target"].notna()
    collide = kept & fate["unit_target"].duplicated(keep=False)
    if collide.any():
        fate = fate.copy()
        fate.loc[collide, "reason"] = "several codes end on " + fate.loc[collide, "unit_target"]
        fate.loc[collide, ["status", "unit_target"]] = ["dropped", None]
    return fate
