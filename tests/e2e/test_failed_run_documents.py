"""End-to-end: a run that fails on a raw file leaves the documents describing the whole run
(REPLICATION.md, the lineage table and section) as the previous complete run wrote them, so
``sha256sum -c results/MANIFEST.sha256`` still passes and REPLICATION.md names no raw file that no
table was computed from.

The failure: a new vintage of one mirror file (its SOURCES.csv row updated, so the download accepts
it) that is an HTML page; its download reruns, its clean step fails with an InputError.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
from contextlib import contextmanager

import pytest

from e2e_helpers import run_snakemake, sha256
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


@contextmanager
def restored_afterwards(*paths):
    """Put the files back as they were (bytes and times) however the block ends."""
    saved = {path: (path.read_bytes(), path.stat()) for path in paths}
    try:
        yield
    finally:
        for path, (data, stat) in saved.items():
            path.write_bytes(data)
            os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def test_a_raw_file_error_leaves_the_documents_of_the_previous_run(run, mirror, config_file, tmp_path):
    # the previous complete run: a copy of the session's shared run (same mirror and config, so the copy
    # is up to date), which the failing run may then damage without touching the shared one
    work = tmp_path / "work"
    shutil.copytree(run.workdir, work, symlinks=True)
    before = {path: (work / path).read_bytes() for path in [*DOCUMENTS, MANIFEST]}

    relative = mirror["catalog"].at[DATASET, "mirror_path"]
    listed = mirror["root"] / relative
    # the shared mirror is changed for this run only, on this worker, and put back before any other test
    with restored_afterwards(listed, listed.parent / "SOURCES.csv"):
        page = replace_with_a_listed_html_page(mirror["root"], relative)
        page_digest = sha256(page)
        second = run_snakemake(work, config_file)
    assert second.returncode != 0, second.tail()
    # the intended failure: the new file was downloaded, then refused by its clean step
    assert sha256(work / "data" / "raw" / DATASET / page.name) == page_digest, second.tail()
    assert "HTML page" in second.output, second.tail()
    # only the changed file's download reran: the copy was up to date
    assert second.output.count("Obtaining raw dataset") == 1, second.tail()

    changed = [path for path, data in before.items() if (work / path).read_bytes() != data]
    assert not changed, f"rewritten by the failed run: {changed}"
    listed_digests = parse_manifest((work / MANIFEST).read_text(encoding="utf-8"), MANIFEST)
    wrong = sorted(path for path, digest in listed_digests.items() if sha256(work / path) != digest)
    assert not wrong, f"files the manifest no longer matches: {wrong}"
    if shutil.which("sha256sum"):
        check = subprocess.run(["sha256sum", "--strict", "-c", MANIFEST], cwd=work, capture_output=True,
                               text=True, timeout=120)
        assert check.returncode == 0, check.stdout + check.stderr
