"""End-to-end: two runs started in a running run's directory, and a run killed mid-way and restarted.

Both use the session's full synthetic run (``run`` in tests/e2e/conftest.py):

1. While that run worked, a second run was started in its directory with ``--rerun-incomplete`` and
   must have failed with Snakemake's LockException before touching anything; a third without that
   flag must have been refused too (it meets the running jobs as incomplete files, or the lock). The
   first run must then have finished intact.
2. In a second directory the whole workflow is SIGKILLed (its process group) while a job past the
   panel holds a complete temporary file it has not yet renamed (the write pauses there on request:
   ``resilience.io.PAUSE_ENV``), so the kill does not depend on timing. A plain restart is refused
   (stale lock); after ``--unlock`` a restart with ``--rerun-incomplete`` finishes, no partial output
   (atomic-write ``.part`` file, incomplete marker) is left anywhere, and every results file is
   byte-identical to the first run's: the same inputs give the same bytes in another directory, in
   other processes (other string-hash seeds), across an interruption.
3. ``python -m resilience.provenance.explain`` (``make explain``) on the first run's directory walks a
   printed number back to a raw file with a verified sha256.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from e2e_helpers import (
    TIMEOUT_S, digests, finish, holds_lock, incomplete_outputs, partial_files, read_results_csv, run_snakemake,
    skip_if_code_changed, start_snakemake, temp_files_of, wait_for,
)
from resilience.io import PAUSE_ENV

pytestmark = pytest.mark.e2e

LOCK_MESSAGE = "Error: Directory cannot be locked."
# The output whose write the killed run pauses in (a panel_measures job, after the panel).
PAUSED = Path("results/tables/countries_martin.csv")


def test_runs_started_in_a_running_runs_directory_are_refused_and_it_finishes_intact(run):
    rerun_incomplete, plain = run.refused["rerun_incomplete"], run.refused["plain"]
    assert rerun_incomplete.returncode != 0, rerun_incomplete.tail()
    assert "LockException" in rerun_incomplete.output and LOCK_MESSAGE in rerun_incomplete.output, rerun_incomplete.tail()
    assert str(run.workdir) in rerun_incomplete.output  # the message names the directory
    # without --rerun-incomplete the second run meets the running jobs first: refused as well
    assert plain.returncode != 0, plain.tail()
    assert "IncompleteFilesException" in plain.output or LOCK_MESSAGE in plain.output, plain.tail()
    assert run.running_while_refused, "the run ended before the others were refused: nothing was tested"
    assert run.returncode == 0, run.tail()
    assert partial_files(run.workdir) == [] and incomplete_outputs(run.workdir) == []
    assert not holds_lock(run.workdir)
    # That the refused runs changed nothing the first relies on: its outputs are checked against hand
    # computations (test_pipeline_synthetic.py), a rerun finds nothing to do there, and their bytes
    # equal an independent run's (next test).


def test_a_run_killed_mid_way_and_restarted_elsewhere_gives_the_same_bytes(run, config_file, tmp_path):
    skip_if_code_changed(run.code_before, "kill and restart against the shared run")
    workdir = tmp_path / "work"
    # The Martin table's write pauses with its temporary file complete (resilience.io's test hook),
    # so the kill lands at a known point past the panel, with a .part file on disk, whatever the load.
    proc = start_snakemake(workdir, config_file, env={PAUSE_ENV: PAUSED.name})
    # reaching the pause takes the downloads, tidy tables and panels first: slow beside another worker's run
    wait_for(lambda: temp_files_of(workdir / PAUSED), f"the write of {PAUSED} to pause", proc, timeout=TIMEOUT_S)
    os.killpg(proc.pid, signal.SIGKILL)
    killed = finish(proc)
    assert killed.returncode == -signal.SIGKILL
    left = temp_files_of(workdir / PAUSED)
    assert left, "the killed job left no temporary file: the cleanup would not be tested"
    assert (workdir / "data" / "processed" / "countries_panel.parquet").is_file()
    running = incomplete_outputs(workdir)
    assert PAUSED.as_posix() in running, running

    refused = run_snakemake(workdir, config_file, timeout=300)
    assert refused.returncode != 0 and (LOCK_MESSAGE in refused.output or "IncompleteFilesException"
                                        in refused.output), refused.tail()
    assert "--unlock" in refused.output or "--rerun-incomplete" in refused.output
    unlocked = run_snakemake(workdir, config_file, "--unlock", timeout=300)
    assert unlocked.returncode == 0, unlocked.tail()
    restarted = run_snakemake(workdir, config_file, "--rerun-incomplete")
    assert restarted.returncode == 0, restarted.tail()
    skip_if_code_changed(run.code_before, "kill and restart against the shared run")

    first, again = digests(run.workdir / "results"), digests(workdir / "results")
    assert sorted(again) == sorted(first), (
        f"extra: {sorted(set(again) - set(first))}; missing: {sorted(set(first) - set(again))}")
    differing = sorted(f for f in again if first[f] != again[f])
    assert not differing, f"results that differ from the shared run after kill + restart elsewhere: {differing}"
    assert partial_files(workdir) == [], "partial (.part) files left by the killed job"
    assert not any(path.exists() for path in left)
    assert incomplete_outputs(workdir) == []
    # every job that was running when killed was run again (its outputs exist and are complete)
    for output in running:
        assert (workdir / output).exists(), output


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
