"""resilience.provenance.lineage: tracing results files back to raw datasets, the lineage table and section.

The graph is a hand-made workflow (a fake ``producer``), plus one real Snakemake workflow of three
rules (a directory download, a wildcard clean step, a results rule with an input function) parsed
by Snakemake itself, so ``rule_producer`` is checked against Snakemake's own matching.
"""

import json
import subprocess
import sys
import textwrap

import pandas as pd
import pytest

from resilience.errors import InputError
from resilience.provenance.lineage import (
    LINEAGE_COLUMNS, lineage_section, lineage_table, raw_dataset, raw_inputs, results_lineage, trace,
)

# file -> (rule, inputs, outputs of the job)
JOBS = {
    "results/tables/martin.csv": ("martin", ["data/processed/panel.parquet"], ["results/tables/martin.csv"]),
    "results/figures/scatter.png": ("scatter", ["results/tables/martin.csv", "results/tables/exposures.csv"],
                                    ["results/figures/scatter.png", "results/figures/scatter.pdf"]),
    "results/tables/exposures.csv": ("exposures", ["data/processed/panel.parquet", "data/raw/meta"],
                                     ["results/tables/exposures.csv"]),
    "data/processed/panel.parquet": ("panel", ["data/interim/ama.parquet", "data/interim/wdi.parquet",
                                               "/repo/config/sources.csv"], ["data/processed/panel.parquet"]),
    "data/interim/ama.parquet": ("clean", ["data/raw/ama"], ["data/interim/ama.parquet", "data/interim/ama.unmatched.csv"]),
    "data/interim/wdi.parquet": ("clean", ["data/raw/wdi"], ["data/interim/wdi.parquet", "data/interim/wdi.unmatched.csv"]),
    "results/tables/game.csv": ("game", [], ["results/tables/game.csv"]),
}


def producer(path):
    return JOBS.get(path)


def test_raw_dataset_of_a_path():
    assert raw_dataset("data/raw/unsd_ama_constant") == "unsd_ama_constant"
    assert raw_dataset("data/raw/wdi/manifest.json") == "wdi"
    assert raw_dataset("data/interim/wdi.parquet") is None
    assert raw_dataset("results/data/raw/x") is None


def test_trace_reaches_every_raw_dataset_through_shared_intermediates():
    graph = trace(["results/figures/scatter.png", "results/tables/game.csv"], producer)
    assert graph["results/figures/scatter.png"] == {"rule": "scatter", "datasets": ["ama", "meta", "wdi"]}
    # the sibling PDF of the same job rests on the same raw data
    assert graph["results/figures/scatter.pdf"] == graph["results/figures/scatter.png"]
    assert graph["results/tables/martin.csv"] == {"rule": "martin", "datasets": ["ama", "wdi"]}
    assert graph["data/interim/ama.unmatched.csv"] == {"rule": "clean", "datasets": ["ama"]}
    assert graph["results/tables/game.csv"] == {"rule": "game", "datasets": []}
    assert "/repo/config/sources.csv" not in graph  # a file no rule makes is a leaf, not an error
    assert list(graph) == sorted(graph)


def test_trace_visits_each_file_once():
    calls = []
    trace(["results/figures/scatter.png", "results/tables/martin.csv"], lambda p: calls.append(p) or producer(p))
    assert calls.count("data/processed/panel.parquet") == 1


def test_trace_of_a_file_no_rule_makes_is_an_error():
    with pytest.raises(ValueError, match="no rule of the workflow produces results/tables/nothing.csv"):
        trace(["results/tables/nothing.csv"], producer)


def test_trace_reports_a_cycle():
    loop = {"a": ("r1", ["b"], ["a"]), "b": ("r2", ["a"], ["b"])}
    with pytest.raises(ValueError, match="cycle through a"):
        trace(["a"], loop.get)


def test_results_lineage_keeps_results_files_only():
    graph = results_lineage(trace(["results/figures/scatter.png"], producer), exclude=["results/figures/scatter.pdf"])
    assert sorted(graph) == ["results/figures/scatter.png", "results/tables/exposures.csv", "results/tables/martin.csv"]
    assert raw_inputs(graph) == {"ama": "data/raw/ama", "meta": "data/raw/meta", "wdi": "data/raw/wdi"}


MANIFESTS = {
    "ama": {"status": "ok", "file": "ama.xlsx", "sha256": "a" * 64, "url": "https://unstats.un.org/ama",
            "retrieved_at": "2026-01-01T00:00:00Z"},
    "wdi": {"status": "ok", "file": "API_X.csv", "sha256": "b" * 64, "url": "https://api.worldbank.org/x",
            "retrieved_at": "2026-01-02T00:00:00Z"},
    "meta": {"status": "unavailable", "file": None, "sha256": None, "url": "https://example.org/meta",
             "message": "not in the mirror"},
}


def test_lineage_table_rows_values_and_order():
    graph = results_lineage(trace(["results/tables/martin.csv", "results/tables/exposures.csv",
                                   "results/tables/game.csv"], producer))
    table = lineage_table(graph, MANIFESTS)
    assert list(table.columns) == LINEAGE_COLUMNS
    assert table.values.tolist() == [
        ["results/tables/exposures.csv", "exposures", "ama", "ok", "ama.xlsx", "a" * 64, "https://unstats.un.org/ama"],
        ["results/tables/exposures.csv", "exposures", "meta", "unavailable", "", "", "https://example.org/meta"],
        ["results/tables/exposures.csv", "exposures", "wdi", "ok", "API_X.csv", "b" * 64, "https://api.worldbank.org/x"],
        ["results/tables/game.csv", "game", "", "", "", "", ""],
        ["results/tables/martin.csv", "martin", "ama", "ok", "ama.xlsx", "a" * 64, "https://unstats.un.org/ama"],
        ["results/tables/martin.csv", "martin", "wdi", "ok", "API_X.csv", "b" * 64, "https://api.worldbank.org/x"],
    ]
    assert "retrieved_at" not in table.columns  # the same data give the same bytes


def test_lineage_table_without_a_manifest_names_it():
    graph = {"results/tables/martin.csv": {"rule": "martin", "datasets": ["ama", "gone"]}}
    with pytest.raises(InputError, match=r"data/raw/gone/manifest.json: no manifest for a dataset in the lineage"):
        lineage_table(graph, MANIFESTS)


def test_lineage_section_reads_everything_from_the_table():
    table = pd.DataFrame([
        ["results/figures/f.png", "fig", "ama", "ok", "ama.xlsx", "a" * 64, "u1"],
        ["results/tables/g.csv", "game", "", "", "", "", ""],
        ["results/tables/m.csv", "martin", "ama", "ok", "ama.xlsx", "a" * 64, "u1"],
        ["results/tables/m.csv", "martin", "meta", "unavailable", "", "", "u3"],
        ["results/tables/x.csv", "exp", "ama", "ok", "ama.xlsx", "a" * 64, "u1"],
        ["results/tables/x.csv", "exp", "meta", "unavailable", "", "", "u3"],
    ], columns=LINEAGE_COLUMNS)
    text = lineage_section(table, "results/tables/lineage.csv")
    assert text.startswith("## Provenance of the numbers\n")
    assert "4 results files, 2 raw datasets (source: `results/tables/lineage.csv`" in text
    assert f"| ama | ok | ama.xlsx | `{'a' * 64}` | 3 |" in text
    assert "| meta | unavailable |  |  | 2 |" in text
    groups = [line for line in text.splitlines() if line.startswith("- ")]
    assert groups == [
        "- 1 file(s) written by rule(s) fig: `results/figures/f.png`. Raw datasets: ama.",
        "- 1 file(s) written by rule(s) game: `results/tables/g.csv`. Raw datasets: no raw file "
        "(computed from the configuration alone).",
        "- 2 file(s) written by rule(s) exp, martin: `results/tables/m.csv`, `results/tables/x.csv`. "
        "Raw datasets: ama, meta.",
    ]
    assert text == lineage_section(table.sample(frac=1, random_state=3), "results/tables/lineage.csv")


SNAKEFILE = """
from resilience.provenance.lineage import rule_producer, trace
DATASETS = ["ama", "wdi"]
wildcard_constraints:
    dataset="|".join(DATASETS),

def panel_inputs(wildcards):
    return {{"tables": expand("data/interim/{{d}}.parquet", d=DATASETS)}}

rule download:
    output: directory("data/raw/{{dataset}}")
    shell: "mkdir -p {{output}}"

rule clean:
    input: "data/raw/{{dataset}}"
    output: "data/interim/{{dataset}}.parquet", "data/interim/{{dataset}}.unmatched.csv"
    log: "logs/clean/{{dataset}}.log"
    shell: "touch {{output}}"

rule panel:
    input: unpack(panel_inputs)
    output: table="results/tables/panel_{{kind}}.csv", pdf="results/figures/panel_{{kind}}.pdf"
    shell: "touch {{output}}"

graph = trace(["results/tables/panel_x.csv"], rule_producer(workflow.rules))
with open({out!r}, "w") as handle:
    json.dump(graph, handle)
"""


def test_rule_producer_uses_snakemakes_own_matching(tmp_path):
    out = tmp_path / "graph.json"
    (tmp_path / "Snakefile").write_text("import json\n" + textwrap.dedent(SNAKEFILE.format(out=str(out))))
    result = subprocess.run([sys.executable, "-m", "snakemake", "-s", str(tmp_path / "Snakefile"), "--directory",
                             str(tmp_path), "--list-rules"],
                            capture_output=True, text=True, timeout=300)
    assert out.is_file(), result.stdout + result.stderr
    graph = json.loads(out.read_text())
    assert graph == {
        "data/interim/ama.parquet": {"rule": "clean", "datasets": ["ama"]},
        "data/interim/ama.unmatched.csv": {"rule": "clean", "datasets": ["ama"]},
        "data/interim/wdi.parquet": {"rule": "clean", "datasets": ["wdi"]},
        "data/interim/wdi.unmatched.csv": {"rule": "clean", "datasets": ["wdi"]},
        "results/figures/panel_x.pdf": {"rule": "panel", "datasets": ["ama", "wdi"]},
        "results/tables/panel_x.csv": {"rule": "panel", "datasets": ["ama", "wdi"]},
    }
