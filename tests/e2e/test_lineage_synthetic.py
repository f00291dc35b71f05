"""End-to-end: results/tables/lineage.csv and its report section on the session's full synthetic run
(tests/e2e/conftest.py): every results file traced to the raw files it rests on, each raw file's
sha256 as its manifest and the file on disk say. (The lineage rule waits for every results file it
describes, so it needs a full run.)"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from e2e_helpers import digests, expected_outputs, sha256

pytestmark = pytest.mark.e2e


def manifest_of(workdir, dataset) -> dict:
    return json.loads((workdir / "data" / "raw" / dataset / "manifest.json").read_text())


def test_lineage_table_matches_the_raw_manifests(run, config):
    workdir = run.workdir
    lineage = pd.read_csv(workdir / "results" / "tables" / "lineage.csv", dtype=str, keep_default_na=False)
    assert set(lineage.columns) == {"results_file", "rule", "dataset", "status", "raw_file", "sha256", "url"}
    martin = lineage[lineage["results_file"] == "results/tables/countries_martin.csv"]
    assert set(martin["rule"]) == {"panel_measures"}
    assert {"unsd_ama_constant", "wdi_country_meta"} <= set(martin["dataset"])
    for r in lineage[lineage["status"] == "ok"].drop_duplicates("dataset").itertuples():
        manifest = json.loads((workdir / "data" / "raw" / r.dataset / "manifest.json").read_text())
        assert (r.raw_file, r.sha256) == (manifest["file"], manifest["sha256"]), r.dataset
        assert sha256(workdir / "data" / "raw" / r.dataset / r.raw_file) == r.sha256
    # traced from the declared inputs: every results file but the report and its exhibit list (the
    # report cites the table), the manifest (written after everything) and the table itself
    expected = {f for f in expected_outputs(config) if f.split("/")[1] in ("tables", "figures", "models", "sections")}
    expected -= {"results/tables/lineage.csv", "results/sections/lineage.md", "results/tables/report_exhibits.csv"}
    assert expected <= set(lineage["results_file"]), sorted(expected - set(lineage["results_file"]))
    built = {f"results/{path}" for path in digests(workdir / "results")} - {
        "results/tables/lineage.csv", "results/sections/lineage.md", "results/report.md", "results/report.html",
        "results/report.pdf", "results/report.typ", "results/tables/report_exhibits.csv", "results/MANIFEST.sha256"}
    assert built <= set(lineage["results_file"])
    section = (workdir / "results" / "sections" / "lineage.md").read_text(encoding="utf-8")
    assert section.startswith("## Provenance of the numbers")
    assert f"| unsd_ama_constant | ok | {manifest_of(workdir, 'unsd_ama_constant')['file']} |" in section
