"""Lineage of results files: which rule wrote each one and which raw datasets (by sha256) it rests on.

The graph comes from the workflow's declared inputs, not from a run: ``trace`` walks back from a
results file through the rules that produce each input (a ``producer`` callable answers "which
rule makes this file, from which inputs"; in the workflow it is Snakemake's own output matching,
see workflow/rules/lineage.smk) until it reaches raw dataset folders ``data/raw/<dataset>``.
``lineage_table`` joins that graph with each dataset's manifest.json into
``results/tables/lineage.csv``, and ``lineage_section`` writes the report's section on it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import pandas as pd

from resilience.errors import InputError
from resilience.report.text import markdown_table

RAW_DIR = re.compile(r"^data/raw/(?P<dataset>[^/]+)(/.*)?$")
LINEAGE_COLUMNS = ["results_file", "rule", "dataset", "status", "raw_file", "sha256", "url"]
LINEAGE_CSV = "results/tables/lineage.csv"

# producer(path) -> (rule name, declared input paths, all output paths of that job), or None for a
# file no rule makes (e.g. the source catalog or a file from the repository).
Producer = Callable[[str], "tuple[str, list[str], list[str]] | None"]


def raw_dataset(path: str) -> str | None:
    """The dataset of a path under data/raw/<dataset>, else None."""
    match = RAW_DIR.match(str(path).replace("\\", "/"))
    return match["dataset"] if match else None


def trace(targets: Iterable[str], producer: Producer) -> dict[str, dict]:
    """{file: {"rule": name, "datasets": sorted raw datasets}} for every file a rule makes on the way
    back from ``targets`` to data/raw/: the targets, the intermediates, and the sibling outputs of
    each job visited (a figure's PDF rests on what its PNG rests on).

    A depth-first walk visiting each file once (shared intermediates are traced once); a cycle
    cannot occur in a valid workflow, but is reported rather than looped on.
    """
    memo: dict[str, tuple[str, ...]] = {}
    graph: dict[str, dict] = {}

    def datasets_of(path: str, stack: tuple[str, ...]) -> tuple[str, ...]:
        dataset = raw_dataset(path)
        if dataset is not None:
            return (dataset,)
        if path in memo:
            return memo[path]
        if path in stack:
            raise ValueError(f"lineage: cycle through {path} ({' -> '.join(stack + (path,))})")
        made = producer(path)
        if made is None:
            memo[path] = ()
            return ()
        rule, inputs, outputs = made
        found = set()
        for item in inputs:
            found.update(datasets_of(str(item), stack + (path,)))
        datasets = tuple(sorted(found))
        for output in {path, *map(str, outputs)}:
            memo[output] = datasets
            graph[output] = {"rule": rule, "datasets": list(datasets)}
        return datasets

    for target in sorted(set(map(str, targets))):
        datasets_of(target, ())
        if target not in graph:
            raise ValueError(f"lineage: no rule of the workflow produces {target}")
    return dict(sorted(graph.items()))


def results_lineage(graph: dict[str, dict], exclude: Iterable[str] = ()) -> dict[str, dict]:
    """The part of a traced graph that lies under results/ (what the report and tables cite)."""
    skip = set(map(str, exclude))
    return {path: node for path, node in graph.items() if path.startswith("results/") and path not in skip}


def rule_producer(rules: Iterable, skip: Iterable[str] = ("all",)) -> Producer:
    """A ``producer`` for ``trace`` from Snakemake's Rule objects (``workflow.rules``): the one rule
    whose declared outputs match the path (Snakemake's own matching and wildcard constraints), its
    inputs expanded for that job (input functions and ``unpack`` included) and all its outputs."""
    from snakemake.iocontainers import Wildcards  # only the workflow calls this

    # Indexed once: a path is looked up among the fixed outputs, and matched only against the patterns
    # whose fixed start it shares (a traced workflow asks for every results file: thousands of matches).
    fixed: dict[str, list] = {}
    patterns: list[tuple[str, object, object]] = []
    for r in (r for r in rules if r.name not in set(skip)):
        for o in r.output:
            if o.get_wildcard_names():
                patterns.append((str(o).split("{", 1)[0], r, o))
            else:
                fixed.setdefault(str(o), []).append(r)

    def producer(path: str):
        found = fixed.get(path, []) + [r for start, r, o in patterns if path.startswith(start) and o.match(path)]
        makers = list(dict.fromkeys(found))
        if not makers:
            return None
        if len(makers) > 1:
            raise ValueError(f"lineage: {path} is an output of several rules: {sorted(r.name for r in makers)}")
        maker = makers[0]
        # a rule's outputs share their wildcards: a fixed output's rule has none
        wildcards = Wildcards(fromdict={} if path in fixed else maker.get_wildcards(path))
        inputs = maker.expand_input(wildcards)[0]
        outputs = maker.expand_output(wildcards)[0]
        return maker.name, [str(f) for f in inputs], [str(f) for f in outputs]

    return producer


def raw_inputs(graph: dict[str, dict]) -> dict[str, str]:
    """{dataset: data/raw/<dataset>} for every raw dataset of a traced graph (the lineage rule's inputs)."""
    return {d: f"data/raw/{d}" for d in sorted({d for node in graph.values() for d in node["datasets"]})}


def lineage_table(graph: dict[str, dict], manifests: dict[str, dict]) -> pd.DataFrame:
    """One row per results file x raw dataset (one row with an empty dataset when it rests on none).

    ``manifests`` are the datasets' manifest.json contents; every dataset of the graph must have one.
    The retrieval time is left out on purpose: the table must be the same bytes for the same data.
    """
    rows = []
    for results_file, node in sorted(graph.items()):
        if not node["datasets"]:
            rows.append({"results_file": results_file, "rule": node["rule"], "dataset": "", "status": "",
                         "raw_file": "", "sha256": "", "url": ""})
        for dataset in node["datasets"]:
            if dataset not in manifests:
                raise InputError(f"data/raw/{dataset}/manifest.json", "no manifest for a dataset in the lineage",
                                 expected=f"the manifest the download rule writes for {dataset}")
            manifest = manifests[dataset]
            ok = manifest.get("status") == "ok"
            rows.append({"results_file": results_file, "rule": node["rule"], "dataset": dataset,
                         "status": manifest.get("status", ""), "raw_file": manifest.get("file", "") if ok else "",
                         "sha256": manifest.get("sha256", "") if ok else "", "url": manifest.get("url") or ""})
    table = pd.DataFrame(rows, columns=LINEAGE_COLUMNS)
    return table.sort_values(["results_file", "dataset"], kind="mergesort").reset_index(drop=True)


def lineage_section(table: pd.DataFrame, source: str = LINEAGE_CSV) -> str:
    """The report's section: every raw file by sha256 and how many results files rest on it, then the
    results files grouped by the set of raw datasets they rest on. Every entry is read from ``table``."""
    used = table[table["dataset"] != ""]
    per_raw = (used.groupby(["dataset", "status", "raw_file", "sha256"], sort=True)["results_file"]
               .nunique().rename("results files").reset_index())
    per_raw["sha256"] = per_raw["sha256"].map(lambda s: f"`{s}`" if s else "")
    n_files, n_raw = table["results_file"].nunique(), len(per_raw)
    lines = [
        "## Provenance of the numbers", "",
        f"Every results file this report reads is traced through the workflow's declared inputs back to "
        f"the raw files it rests on: {n_files} results files, {n_raw} raw datasets (source: `{source}`, "
        f"one row per results file and raw dataset, with the rule that wrote the file and each raw "
        f"file's sha256 and URL from its `data/raw/<dataset>/manifest.json`; a dataset marked "
        f"unavailable was looked for and is absent from this run). "
        f"`make explain NUMBER=<value>` prints, for a number of this report, the results files holding "
        f"it, the rule and configuration values that produced each, and the chain of inputs back to "
        f"these raw files, whose sha256 it checks again.", "",
        "### Raw files", "",
        markdown_table(per_raw.rename(columns={"raw_file": "file"})), "",
        "### Results files by the raw datasets they rest on", "",
    ]
    for datasets, files in _groups(table):
        rules = sorted(set(files["rule"]))
        names = ", ".join(f"`{f}`" for f in sorted(set(files["results_file"])))
        what = ", ".join(datasets) if datasets else "no raw file (computed from the configuration alone)"
        lines.append(f"- {files['results_file'].nunique()} file(s) written by rule(s) {', '.join(rules)}: "
                     f"{names}. Raw datasets: {what}.")
    return "\n".join(lines) + "\n"


def _groups(table: pd.DataFrame) -> list[tuple[tuple[str, ...], pd.DataFrame]]:
    """(datasets, rows) per distinct set of raw datasets, ordered by the first results file."""
    sets = table.groupby("results_file", sort=True)["dataset"].agg(lambda d: tuple(sorted(x for x in d if x)))
    per_file = table.drop_duplicates("results_file").set_index("results_file")[["rule"]].join(sets.rename("datasets"))
    order = list(dict.fromkeys(per_file.sort_index()["datasets"]))
    return [(key, per_file[per_file["datasets"] == key].reset_index()) for key in order]
