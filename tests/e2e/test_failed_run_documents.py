"""End-to-end: a run that fails on a raw file leaves the documents describing the whole run
(REPLICATION.md, the lineage table and section) as the previous complete run wrote them, so
``sha256sum -c results/MANIFEST.sha256`` still passes and REPLICATION.md names no raw file that no
table was computed from.

The failure: a new vintage of one mirror file (its SOURCES.csv row updated, so the download accepts
it) that is an HTML page; its download reruns, its clean step fails with an InputError.
"""

from __future__ import annotations

import csv
import shutil
import subprocess

import pytest

from e2e_helpers import run_snakemake, sha256, write_config
from resilience.provenance.manifest import parse_manifest

pytestmark = pytest.mark.e2e

DATASET = "wdi_sp_pop_totl"
DOCUMENTS = ["results/REPLICATION.md", "results/tables/lineage.csv", "results/sections/lineage.md"]
MANIFEST = "results/MANIFEST.sha256"


def replace_with_a_listed_html_page(mirror_root, relative):
    """Write an HTML page over the mirror file and list its real size and sha256 in SOURCES.csv."""
    path = mirror_root / relative
    path.write_text("<!DOCTYPE html><html><head><title>Service unavailable</title></head>"
                    "<body>Please try again later.</body></html>\n", encoding="utf-8")
    listing = path.parent / "SOURCES.csv"
    with listing.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        columns, rows = reader.fieldnames, list(reader)
    hits = [row for row in rows if row["file"] == path.name]
    assert len(hits) == 1, f"{listing}: no single row for {path.name}"
    hits[0].update(bytes=str(path.stat().st_size), sha256=sha256(path), vintage="2099-01-01")
    with listing.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_a_raw_file_error_leaves_the_documents_of_the_previous_run(mirror, tmp_path):
    mirror_copy = tmp_path / "mirror"
    shutil.copytree(mirror["root"], mirror_copy)
    config = write_config(tmp_path / "config.yaml", mirror_copy)
    work = tmp_path / "work"
    first = run_snakemake(work, config)
    assert first.returncode == 0, first.tail()
    before = {path: (work / path).read_bytes() for path in [*DOCUMENTS, MANIFEST]}

    relative = mirror["catalog"].at[DATASET, "mirror_path"]
    page = replace_with_a_listed_html_page(mirror_copy, relative)
    second = run_snakemake(work, config)
    assert second.returncode != 0, second.tail()
    # the intended failure: the new file was downloaded, then refused by its clean step
    assert sha256(work / "data" / "raw" / DATASET / page.name) == sha256(page), second.tail()
    assert "HTML page" in second.output, second.tail()

    changed = [path for path, data in before.items() if (work / path).read_bytes() != data]
    assert not changed, f"rewritten by the failed run: {changed}"
    listed = parse_manifest((work / MANIFEST).read_text(encoding="utf-8"), MANIFEST)
    wrong = sorted(path for path, digest in listed.items() if sha256(work / path) != digest)
    assert not wrong, f"files the manifest no longer matches: {wrong}"
    if shutil.which("sha256sum"):
        check = subprocess.run(["sha256sum", "--strict", "-c", MANIFEST], cwd=work, capture_output=True,
                               text=True, timeout=120)
        assert check.returncode == 0, check.stdout + check.stderr
