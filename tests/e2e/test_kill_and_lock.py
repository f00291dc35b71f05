"""End-to-end: runs started in a running run's directory, the run killed mid-way and restarted, and a
number explained back to its raw file.

All three read the session's shared synthetic run (``run`` in tests/e2e/conftest.py), which is itself
started, joined, killed and restarted before any check reads it:

1. While it worked (paused in a write past the panel), a second run was started in its directory with
   ``--rerun-incomplete`` and must have failed with Snakemake's LockException before touching anything;
   a third without that flag must have been refused too (it meets the running jobs as incomplete
   files, or the lock).
2. It was then SIGKILLed (its process group) with the paused job's complete temporary file not yet
   renamed. A plain restart is refused (stale lock); after ``--unlock`` a restart with
   ``--rerun-incomplete`` finishes and no partial output (atomic-write ``.part`` file, incomplete
   marker) is left anywhere. That the restart's outputs are right is what every other check of the
   shared run asserts (values against hand computations, a rerun with nothing to do, manifest,
   lineage, the report in a browser); that the rewritten table has the bytes an uninterrupted run in
   another directory gives is checked in test_bundle_mode.py.
3. ``python -m resilience.provenance.explain`` (``make explain``) on the run's directory walks a printed
   number back to a raw file with a verified sha256.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys

import pytest

from e2e_helpers import PAUSED, holds_lock, incomplete_outputs, partial_files, read_results_csv

pytestmark = pytest.mark.e2e

LOCK_MESSAGE = "Error: Directory cannot be locked."


def test_runs_started_in_a_running_runs_directory_are_refused(run):
    rerun_incomplete, plain = run.refused["rerun_incomplete"], run.refused["plain"]
    assert run.paused_while_refused, "the run was no longer paused when the others were refused: nothing was tested"
    assert rerun_incomplete.returncode != 0, rerun_incomplete.tail()
    assert "LockException" in rerun_incomplete.output and LOCK_MESSAGE in rerun_incomplete.output, rerun_incomplete.tail()
    assert str(run.workdir) in rerun_incomplete.output  # the message names the directory
    # without --rerun-incomplete the second run meets the running jobs first: refused as well
    assert plain.returncode != 0, plain.tail()
    assert "IncompleteFilesException" in plain.output or LOCK_MESSAGE in plain.output, plain.tail()


def test_the_killed_run_left_a_partial_write_and_a_restart_cleans_it_up(run):
    killed = run.killed
    assert killed.returncode == -signal.SIGKILL, killed.tail()
    assert killed.left, "the killed job left no temporary file: the cleanup would not be tested"
    assert PAUSED.as_posix() in killed.running, killed.running
    refused = run.restart_refused
    assert refused.returncode != 0 and (LOCK_MESSAGE in refused.output or "IncompleteFilesException"
                                        in refused.output), refused.tail()
    assert "--unlock" in refused.output or "--rerun-incomplete" in refused.output
    assert run.unlocked.returncode == 0, run.unlocked.tail()
    assert run.returncode == 0, run.tail()
    assert partial_files(run.workdir) == [], "partial (.part) files left by the killed job"
    assert not any(path.exists() for path in killed.left)
    assert incomplete_outputs(run.workdir) == [] and not holds_lock(run.workdir)
    # every job that was running when killed was run again (its outputs exist and are complete)
    for output in killed.running:
        assert (run.workdir / output).exists(), output


def test_explain_walks_a_report_number_back_to_a_verified_raw_file(run):
    workdir = run.workdir
    martin = read_results_csv(workdir / "results" / "tables" / "countries_martin.csv")
    row = martin[(martin["iso3"] == "CHN") & (martin["episode"] == "gfc") & (martin["phase"] == "resistance")].iloc[0]
    printed = f"{row['g_unit']:.1f}"  # as the report prints it: "CHN: output change -13.5%"
    result = subprocess.run([sys.executable, "-m", "resilience.provenance.explain", f"--number={printed}",
                             "--file", "results/tables/countries_martin.csv"],
                            cwd=workdir, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "written by rule 'panel_measures' (workflow/rules/stages.smk)" in out
    # the rule's settings param names the config slices it holds: the whole `measures` block
    assert "config: measures = {" in out and "'benchmark': 'world_sum'" in out
    assert "data/processed/countries_panel.parquet  [rule country_panel]" in out
    manifest = json.loads((workdir / "data" / "raw" / "unsd_ama_constant" / "manifest.json").read_text())
    assert f"data/raw/unsd_ama_constant/{manifest['file']}\n      sha256 {manifest['sha256']} (sha256 verified)" in out
