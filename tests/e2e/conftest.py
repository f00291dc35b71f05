"""Session fixtures of the end-to-end tests: one synthetic mirror, its config and one full pipeline run.

The per-module wall-time summary of these tests is in tests/conftest.py (under pytest-xdist only the
controller, which loads that file and not this one, sees every module's reports).
"""

from __future__ import annotations

import pytest

from e2e_helpers import (
    code_fingerprint, finish, holds_lock, incomplete_outputs, load_repo_config, run_snakemake, start_snakemake,
    wait_for, write_config,
)
from synthetic_mirror import build_synthetic_mirror

# One synthetic mirror, its config and one full pipeline run, shared by every end-to-end module that
# only reads the run's outputs (a full run costs minutes on two cores). Tests that need a run of their
# own (damaged mirrors, a killed run) make it in their own tmp_path.

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
    """The one full pipeline run on the synthetic mirror that the output checks share.

    It is also the run that two others try to join: as soon as it holds Snakemake's lock and a job is
    running, a second run is started in its directory with ``--rerun-incomplete`` (what the default
    profile passes, so it would rerun the running jobs if it could) and a third without; both must be
    refused (``run.refused``, checked in test_kill_and_lock.py) and this run must finish intact, which
    every check of its outputs then confirms.
    """
    workdir = tmp_path_factory.mktemp("run") / "work"
    code_before = code_fingerprint()
    proc = start_snakemake(workdir, config_file)
    wait_for(lambda: holds_lock(workdir) and incomplete_outputs(workdir), "the shared run to hold its lock", proc)
    refused = {"rerun_incomplete": run_snakemake(workdir, config_file, "--rerun-incomplete", timeout=300),
               "plain": run_snakemake(workdir, config_file, timeout=300)}
    running_after = proc.poll() is None
    result = finish(proc, code_before=code_before)
    if result.returncode != 0:
        pytest.fail(f"pipeline failed on the synthetic mirror\n{result.tail()}")
    result.refused, result.running_while_refused = refused, running_after
    return result
