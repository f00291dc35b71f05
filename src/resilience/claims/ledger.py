"""Load and validate the claims ledger (``config/claims.yaml``).

The schema (``config/claims_schema.yaml``) fixes the shape of an entry; the checks here add what a
schema cannot say: ids are unique, every claim names a listed paper, and each kind carries what it
needs (a regenerable claim a selector, a live-source claim the source, a documentary fact its
citation, a proprietary or unverifiable number where it comes from). A mistake fails with the claim's
id, before any job runs.
"""

from __future__ import annotations

import copy
import functools
from pathlib import Path

import jsonschema

from resilience.errors import ConfigError

REGENERABLE, LIVE_SOURCE, DOCUMENTARY, PROPRIETARY = "regenerable", "live_source", "documentary", "proprietary"
KINDS = (REGENERABLE, LIVE_SOURCE, DOCUMENTARY, PROPRIETARY)
# What each kind must carry besides the common fields.
REQUIRED_BY_KIND = {
    REGENERABLE: ("selector", "compare"),
    LIVE_SOURCE: ("live_source",),
    DOCUMENTARY: ("citation",),
    PROPRIETARY: ("source",),
}


def load_ledger(path, schema_path) -> dict:
    """The ledger as a dict (``papers``: key -> paper, ``claims``: list of claims), validated."""
    path, schema_path = Path(path), Path(schema_path)
    # The workflow reads the ledger twice at every start (the config check, then the claims rules): the
    # same bytes are parsed and validated once. Unreadable files go to the loader, which names them.
    try:
        contents = (path.read_bytes(), schema_path.read_bytes())
    except OSError:
        return _validated.__wrapped__(str(path), str(schema_path), None)
    return copy.deepcopy(_validated(str(path), str(schema_path), contents))


@functools.lru_cache(maxsize=4)
def _validated(path: str, schema_path: str, contents: tuple[bytes, bytes] | None) -> dict:
    # Imported here: resilience.config checks the ledger when it checks the configuration.
    from resilience.config import load_yaml

    ledger = load_yaml(path)
    validate_ledger(ledger, load_yaml(schema_path), name=path)
    return ledger


def validate_ledger(ledger: dict, schema: dict, name: str = "claims ledger") -> None:
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(ledger), key=lambda e: list(e.absolute_path))
    if errors:
        lines = [f"  {_where(ledger, e)}: {e.message}" for e in errors[:10]]
        raise ConfigError(f"{name} does not match its schema:\n" + "\n".join(lines))
    problems = []
    seen = set()
    for claim in ledger["claims"]:
        cid = claim["id"]
        if cid in seen:
            problems.append(f"claim {cid}: the id is used twice")
        seen.add(cid)
        if claim["paper"] not in ledger["papers"]:
            problems.append(f"claim {cid}: paper {claim['paper']!r} is not one of {sorted(ledger['papers'])}")
        for field in REQUIRED_BY_KIND[claim["kind"]]:
            if field not in claim:
                problems.append(f"claim {cid}: kind {claim['kind']} needs the field {field!r}")
        if "selector" in claim and "compare" not in claim:
            problems.append(f"claim {cid}: a selector needs a compare block (type and tolerance)")
    if problems:
        raise ConfigError(f"{name}:\n  " + "\n  ".join(problems))


def _where(ledger: dict, error) -> str:
    path = list(error.absolute_path)
    if len(path) >= 2 and path[0] == "claims" and isinstance(path[1], int):
        claims = ledger.get("claims") or []
        cid = claims[path[1]].get("id", f"#{path[1]}") if path[1] < len(claims) else f"#{path[1]}"
        return "claim " + str(cid) + "".join(f".{p}" for p in path[2:])
    return ".".join(str(p) for p in path) or "(top level)"


def result_files(ledger: dict) -> list[str]:
    """The results tables the ledger's selectors read (file names under results/tables), sorted."""
    return sorted({c["selector"]["file"] for c in ledger["claims"] if "selector" in c})
