"""End-to-end: a run killed mid-way and restarted, and two runs started at once in one directory.

To keep CI time small both runs build the core chain only (raw files -> tidy tables -> panel ->
growth, Martin indices, exposures -> the main model); the lineage table waits for every results file,
so it is checked on the session's full run (tests/e2e/test_lineage_synthetic.py):

1. ``first`` (module fixture): run A starts; as soon as it holds Snakemake's lock and a job is
   running, run B is started in the same directory with ``--rerun-incomplete`` (what the default
   profile passes, so B would rerun A's running jobs if it could) and must fail with Snakemake's
   LockException before touching anything; a run C without that flag must be refused too (it meets
   A's running jobs as incomplete files, or the lock). A must then finish with its outputs intact.
2. A second directory: the workflow is SIGKILLed (its whole process group) while a job past the
   panel holds a complete temporary file it has not yet renamed (the write pauses there on request:
   ``resilience.io.PAUSE_ENV``), so the kill does not depend on timing. A plain restart is refused (stale lock); after ``--unlock`` a restart with
   ``--rerun-incomplete`` finishes, every results file is byte-identical to A's, and no partial
   output (atomic-write ``.part`` file, incomplete marker) is left anywhere.
3. ``python -m resilience.provenance.explain`` (``make explain``) on A's directory walks a printed number back
   to a raw file with a verified sha256.
"""

from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from e2e_helpers import (
    digests, finish, read_results_csv, run_snakemake, skip_if_code_changed, code_fingerprint,
    start_snakemake, write_config,
)
from resilience.io import PAUSE_ENV
from synthetic_mirror import build_synthetic_mirror

pytestmark = pytest.mark.e2e

LOCK_MESSAGE = "Error: Directory cannot be locked."
CORE = ["results/tables/countries_martin.csv", "results/tables/countries_models.csv"]
FIRST_TARGETS = CORE
POLL_S = 0.05
# The output whose write the killed run pauses in (a panel_measures job, after the panel).
PAUSED = Path("results/tables/countries_martin.csv")


@pytest.fixture(scope="module")
def config_file(tmp_path_factory):
    mirror = build_synthetic_mirror(tmp_path_factory.mktemp("kill-lock-mirror"))
    return write_config(tmp_path_factory.mktemp("kill-lock-config") / "config.yaml", mirror["root"])


def wait_for(condition, what: str, proc: subprocess.Popen, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if proc.poll() is not None:
            pytest.fail(f"the run ended (exit {proc.returncode}) before {what}\n{finish(proc).tail()}")
        if time.monotonic() > deadline:
            os.killpg(proc.pid, signal.SIGKILL)
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(POLL_S)


def incomplete_outputs(workdir) -> list[str]:
    """Outputs Snakemake has marked as being written (its markers under .snakemake/incomplete)."""
    folder = Path(workdir) / ".snakemake" / "incomplete"
    if not folder.is_dir():
        return []
    names = []
    for marker in folder.iterdir():
        if marker.is_file() and marker.name != "migration_underway":
            try:
                names.append(base64.urlsafe_b64decode(marker.name).decode())
            except ValueError:
                names.append(marker.name)
    return sorted(names)


def temp_files_of(dest: Path) -> list[Path]:
    """The atomic-write temporary files of ``dest`` ('.<name>.<uuid>.part' beside it)."""
    return sorted(dest.parent.glob(f".{dest.name}.*.part")) if dest.parent.is_dir() else []


def holds_lock(workdir) -> bool:
    locks = Path(workdir) / ".snakemake" / "locks"
    return locks.is_dir() and any(locks.iterdir())


def partial_files(workdir) -> list[str]:
    """Leftovers of interrupted writes: resilience.io's '.<name>.<uuid>.part' temporary files."""
    return sorted(p.relative_to(workdir).as_posix() for folder in ("data", "results")
                  for p in (Path(workdir) / folder).rglob("*.part"))


@pytest.fixture(scope="module")
def first(config_file, tmp_path_factory):
    """Run A, with runs B and C started in its directory while it works."""
    workdir = tmp_path_factory.mktemp("concurrent") / "work"
    code_before = code_fingerprint()
    a = start_snakemake(workdir, config_file, *FIRST_TARGETS)
    wait_for(lambda: holds_lock(workdir) and incomplete_outputs(workdir), "run A to hold the lock", a)
    b = run_snakemake(workdir, config_file, "--rerun-incomplete", *FIRST_TARGETS, timeout=300)
    c = run_snakemake(workdir, config_file, *FIRST_TARGETS, timeout=300)
    a_running_after = a.poll() is None
    run_a = finish(a)
    return {"workdir": workdir, "a": run_a, "b": b, "c": c, "a_running_after": a_running_after,
            "code_before": code_before}


def test_second_run_fails_on_the_lock_and_the_first_finishes_intact(first, config_file):
    a, b, c = first["a"], first["b"], first["c"]
    assert b.returncode != 0 and "LockException" in b.output and LOCK_MESSAGE in b.output, b.tail()
    assert str(first["workdir"]) in b.output  # the message names the directory
    # without --rerun-incomplete the second run meets A's running jobs first: refused as well
    assert c.returncode != 0, c.tail()
    assert "IncompleteFilesException" in c.output or LOCK_MESSAGE in c.output, c.tail()
    assert first["a_running_after"], "run A ended before B and C were refused: nothing was tested"
    assert a.returncode == 0, a.tail()
    workdir = first["workdir"]
    missing = [f for f in FIRST_TARGETS + ["results/tables/countries_exposures.csv", "results/models/countries_models.json"]
               if not (workdir / f).is_file() or (workdir / f).stat().st_size == 0]
    assert not missing, f"outputs missing or empty after the concurrent attempts: {missing}"
    assert partial_files(workdir) == [] and incomplete_outputs(workdir) == []
    assert not holds_lock(workdir)
    # nothing is left to do: B and C changed nothing A relies on (their bytes are compared with an
    # independent run in the next test)
    again = run_snakemake(workdir, config_file, "-n", *FIRST_TARGETS, timeout=300)
    assert again.returncode == 0 and "Nothing to be done" in again.output, again.tail()


def test_sigkill_mid_run_then_restart_gives_the_clean_results(first, config_file, tmp_path):
    skip_if_code_changed(first["code_before"], "kill and restart against the clean run")
    workdir = tmp_path / "work"
    # The Martin table's write pauses with its temporary file complete (resilience.io's test hook),
    # so the kill lands at a known point past the panel, with a .part file on disk, whatever the load.
    proc = start_snakemake(workdir, config_file, *CORE, env={PAUSE_ENV: PAUSED.name})
    wait_for(lambda: temp_files_of(workdir / PAUSED), f"the write of {PAUSED} to pause", proc)
    os.killpg(proc.pid, signal.SIGKILL)
    killed = finish(proc)
    assert killed.returncode == -signal.SIGKILL
    left = temp_files_of(workdir / PAUSED)
    assert left, "the killed job left no temporary file: the cleanup would not be tested"
    assert (workdir / "data" / "processed" / "countries_panel.parquet").is_file()
    running = incomplete_outputs(workdir)
    assert PAUSED.as_posix() in running, running

    refused = run_snakemake(workdir, config_file, *CORE, timeout=300)
    assert refused.returncode != 0 and (LOCK_MESSAGE in refused.output or "IncompleteFilesException"
                                        in refused.output), refused.tail()
    assert "--unlock" in refused.output or "--rerun-incomplete" in refused.output
    unlocked = run_snakemake(workdir, config_file, "--unlock", timeout=300)
    assert unlocked.returncode == 0, unlocked.tail()
    restarted = run_snakemake(workdir, config_file, "--rerun-incomplete", *CORE)
    assert restarted.returncode == 0, restarted.tail()
    skip_if_code_changed(first["code_before"], "kill and restart against the clean run")

    clean, again = digests(first["workdir"] / "results"), digests(workdir / "results")
    assert sorted(again) == sorted(clean), (
        f"extra: {sorted(set(again) - set(clean))}; missing: {sorted(set(clean) - set(again))}")
    differing = sorted(f for f in again if clean[f] != again[f])
    assert not differing, f"results that differ from the clean run after kill + restart: {differing}"
    assert partial_files(workdir) == [], "partial (.part) files left by the killed job"
    assert not any(path.exists() for path in left)
    assert incomplete_outputs(workdir) == []
    # every job that was running when killed was run again (its outputs exist and are complete)
    for output in running:
        assert (workdir / output).exists(), output


def test_explain_walks_a_report_number_back_to_a_verified_raw_file(first):
    workdir = first["workdir"]
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
