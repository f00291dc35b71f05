"""Session fixtures of the end-to-end tests: one synthetic mirror, its config and one full pipeline run.

The per-module wall-time summary of these tests is in tests/conftest.py (under pytest-xdist only the
controller, which loads that file and not this one, sees every module's reports).
"""

from __future__ import annotations

import os
import signal

import pytest

from e2e_helpers import (
    PAUSED, TIMEOUT_S, code_fingerprint, finish, incomplete_outputs, load_repo_config, run_snakemake, start_snakemake,
    temp_files_of, wait_for, write_config,
)
from resilience.io import PAUSE_ENV, PAUSE_SECONDS_ENV
from synthetic_mirror import build_synthetic_mirror

# One synthetic mirror, its config and one full pipeline run, shared by every end-to-end module that
# only reads the run's outputs (a full run costs minutes on two cores). Tests that need a run of their
# own (damaged mirrors) make it in their own tmp_path.

@pytest.fixture(scope="session")
def config():
    return load_repo_config()


@pytest.fixture(scope="session")
def mirror(tmp_path_factory):
    return build_synthetic_mirror(tmp_path_factory.mktemp("synthetic-mirror"))


@pytest.fixture(scope="session")
def config_file(mirror, tmp_path_factory):
    return write_config(tmp_path_factory.mktemp("config") / "config.yaml", mirror["root"])


@pytest.fixture(scope="session")
def run(config_file, tmp_path_factory):
    """The one full pipeline run on the synthetic mirror that the output checks share: started, joined
    (refused), killed mid-way and restarted, so every check of its outputs also checks the restart.

    1. It starts with the Martin table's write paused with its temporary file complete (the test hook
       ``resilience.io.PAUSE_ENV``), so what follows happens at a known point past the panel whatever
       the load. While it holds its lock there, a second run is started in its directory with
       ``--rerun-incomplete`` (what the default profile passes, so it would rerun the running jobs if it
       could) and a third without; both must be refused (``run.refused``).
    2. The whole workflow is SIGKILLed (its process group) at the pause; what it left is recorded
       (``run.killed``: the .part file, Snakemake's incomplete markers).
    3. A plain restart must be refused (stale lock); after ``--unlock`` a restart with
       ``--rerun-incomplete`` finishes: that restart is the Run returned (checked in test_kill_and_lock.py).
    """
    workdir = tmp_path_factory.mktemp("run") / "work"
    code_before = code_fingerprint()
    # the write stays paused past every time-out here, so only the kill below ends it
    proc = start_snakemake(workdir, config_file, env={PAUSE_ENV: PAUSED.name, PAUSE_SECONDS_ENV: str(2 * TIMEOUT_S)})
    try:
        # reaching the pause takes the downloads, tidy tables and panels first: slow beside another worker's run
        wait_for(lambda: temp_files_of(workdir / PAUSED), f"the write of {PAUSED} to pause", proc, timeout=TIMEOUT_S)
        refused = {"rerun_incomplete": run_snakemake(workdir, config_file, "--rerun-incomplete", timeout=300),
                   "plain": run_snakemake(workdir, config_file, timeout=300)}
        paused_while_refused = proc.poll() is None and bool(temp_files_of(workdir / PAUSED))
    finally:
        # also when a step above failed: the paused run lives in its own session and would never end
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    killed = finish(proc, code_before=code_before)
    killed.left = temp_files_of(workdir / PAUSED)
    killed.running = incomplete_outputs(workdir)
    restart_refused = run_snakemake(workdir, config_file, timeout=300)
    unlocked = run_snakemake(workdir, config_file, "--unlock", timeout=300)
    result = run_snakemake(workdir, config_file, "--rerun-incomplete")
    result.code_before = code_before
    if result.returncode != 0:
        pytest.fail(f"pipeline failed on the synthetic mirror after its restart\n{result.tail()}")
    result.refused, result.paused_while_refused = refused, paused_while_refused
    result.killed, result.restart_refused, result.unlocked = killed, restart_refused, unlocked
    return result
