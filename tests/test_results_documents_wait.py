"""The documents that describe a whole run (results/REPLICATION.md, the lineage table and section) are
written only after every results file they describe, so a failed job leaves them describing the
previous complete run, consistent with results/MANIFEST.sha256 (which already waits for everything).

Checked on the real workflow, loaded through Snakemake's API (nothing runs): each document's job
inputs, expanded as Snakemake expands them, must hold every results file the manifest lists, but
the documents' own outputs and those written after them."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
REPLICATION = "results/REPLICATION.md"
LINEAGE = ["results/tables/lineage.csv", "results/sections/lineage.md"]

DUMP = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    from snakemake.api import SnakemakeApi
    from snakemake.settings.types import ConfigSettings, OutputSettings, ResourceSettings
    from resilience.provenance.lineage import rule_producer

    snakefile, workdir, out = map(Path, sys.argv[1:4])
    with SnakemakeApi(OutputSettings()) as api:
        workflow = api.workflow(resource_settings=ResourceSettings(cores=1), snakefile=snakefile, workdir=workdir,
                                config_settings=ConfigSettings(config={"raw_mirror": "null"}))._workflow
        producer = rule_producer(workflow.rules, skip=())
        found = {}
        for name in ("replication_readme", "lineage", "results_manifest", "report"):
            _, inputs, outputs = producer(str(workflow.get_rule(name).output[0]))
            found[name] = {"inputs": inputs, "outputs": outputs}
        found["lineage_describes"] = sorted(workflow.globals["lineage_graph"]())
        out.write_text(json.dumps(found))
""")


@pytest.fixture(scope="module")
def jobs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("documents")
    (tmp / "work").mkdir()
    (tmp / "dump.py").write_text(DUMP, encoding="utf-8")
    result = subprocess.run([sys.executable, str(tmp / "dump.py"), str(REPO / "Snakefile"), str(tmp / "work"),
                             str(tmp / "jobs.json")], capture_output=True, text=True, timeout=300, cwd=tmp / "work")
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    return json.loads((tmp / "jobs.json").read_text(encoding="utf-8"))


def test_replication_readme_waits_for_every_results_file_it_lists(jobs):
    listed = set(jobs["results_manifest"]["inputs"])
    assert REPLICATION in listed and set(LINEAGE) <= listed and len(listed) > 100
    # its own outputs (the Markdown and its PDF) are written together, by the same job
    own = set(jobs["replication_readme"]["outputs"])
    assert REPLICATION in own
    missing = sorted(listed - own - set(jobs["replication_readme"]["inputs"]))
    assert not missing, f"REPLICATION.md can be rewritten before these exist: {missing}"


def test_lineage_waits_for_every_results_file_it_describes(jobs):
    described = set(jobs["lineage_describes"])
    assert len(described) > 100 and REPLICATION in described
    inputs = set(jobs["lineage"]["inputs"])
    # REPLICATION.md (and its PDF, written by the same job) lists the lineage table among its exhibits,
    # so it is written after it (the test above); every other file the table describes must exist
    # before the table is written
    missing = sorted(described - set(jobs["replication_readme"]["outputs"]) - inputs)
    assert not missing, f"the lineage table can be rewritten before these exist: {missing}"
    # the report cites the lineage section, so it is neither described nor waited for
    report = set(jobs["report"]["outputs"])
    assert LINEAGE[1] in jobs["report"]["inputs"]
    assert not report & described and not report & inputs


def test_what_the_manifest_lists_is_what_the_documents_wait_for_or_write(jobs):
    # the three documents together cover the manifest: nothing written outside their wait
    listed = set(jobs["results_manifest"]["inputs"])
    covered = (set(jobs["replication_readme"]["inputs"]) | set(jobs["replication_readme"]["outputs"]))
    assert listed <= covered, sorted(listed - covered)
