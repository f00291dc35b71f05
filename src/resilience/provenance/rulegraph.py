"""The workflow's rule graph grouped by stage (raw -> tidy -> panels -> models -> ... -> report), for the
Snakemake report, where the plain rule graph of some 40 rules cannot be read.

`rule_edges` links rules through their declared file inputs and outputs (wildcards match anything;
inputs given by functions are resolved only at run time and are not seen here); `stage_graph` groups
the rules by the stage of their rule file and counts the links between stages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import PurePosixPath

# A rule file's stage, by the start of its name, in data-flow order; the first match wins.
STAGES = (
    ("Raw files", ("download",)),
    ("Tidy tables", ("clean",)),
    ("Panels and measures", ("panel_", "stages", "measures")),
    ("Models", ("models",)),
    ("Robustness", ("robustness",)),
    ("Context analyses and figures", ("figures", "game", "risk", "divide", "trade", "gvc")),
    ("Report and provenance", ("report", "lineage", "replication", "manifest")),
)
OTHER_STAGE = "Other"


def stage_of(rule_file: str) -> str:
    stem = PurePosixPath(rule_file).stem
    return next((stage for stage, starts in STAGES if stem.startswith(starts)), OTHER_STAGE)


def _pattern(path: str) -> re.Pattern:
    parts = re.split(r"\{[^{}]*\}", path)
    return re.compile("^" + ".+".join(re.escape(p) for p in parts) + "$")


def rule_edges(rules: Iterable[Mapping]) -> set[tuple[str, str]]:
    """(producer, consumer) pairs: a rule's file input matches another rule's output pattern.
    ``rules``: dicts with ``name``, ``inputs`` and ``outputs`` (path strings, wildcards allowed)."""
    rules = list(rules)
    # An input can only match an output whose fixed start (before any wildcard) it shares: comparing that
    # first spares most of the inputs x outputs pattern matches, made at every start of the workflow.
    producers = [(rule["name"], out.split("{", 1)[0], _pattern(out)) for rule in rules for out in rule["outputs"]]
    edges = set()
    for rule in rules:
        for item in rule["inputs"]:
            concrete = re.sub(r"\{[^{}]*\}", "x", item)
            for name, start, pattern in producers:
                if name != rule["name"] and concrete.startswith(start) and pattern.match(concrete):
                    edges.add((name, rule["name"]))
    return edges


def stage_graph(rules: Iterable[Mapping]) -> dict:
    """{"stages": [(stage, [rule names])] in data-flow order (empty stages left out), "edges":
    [(from stage, to stage, number of rule links)]} for rules with ``name``, ``file``, ``inputs``, ``outputs``."""
    rules = [r for r in rules if r["name"] != "all"]
    stage = {r["name"]: stage_of(r["file"]) for r in rules}
    order = [s for s, _ in STAGES] + [OTHER_STAGE]
    members = {s: sorted(n for n, st in stage.items() if st == s) for s in order}
    counts: dict[tuple[str, str], int] = {}
    for a, b in rule_edges(rules):
        if stage[a] != stage[b]:
            counts[(stage[a], stage[b])] = counts.get((stage[a], stage[b]), 0) + 1
    return {
        "stages": [(s, members[s]) for s in order if members[s]],
        "edges": sorted(
            ((a, b, n) for (a, b), n in counts.items()), key=lambda e: (order.index(e[0]), order.index(e[1]))
        ),
    }


def workflow_rules(rules, root) -> list[dict]:
    """The look-alike dicts `stage_graph` reads, from Snakemake's ``workflow.rules`` (file inputs only)."""
    from resilience.provenance.replication import _relative

    return [
        {
            "name": r.name,
            "file": _relative(r.snakefile, root),
            "inputs": sorted(str(i) for i in r.input if isinstance(i, str)),
            "outputs": sorted(str(o) for o in r.output),
        }
        for r in rules
    ]
