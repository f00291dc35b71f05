"""Session fixtures of the end-to-end tests: one synthetic mirror, its config and one full pipeline run.

The per-module wall-time summary of these tests is in tests/conftest.py (under pytest-xdist only the
controller, which loads that file and not this one, sees every module's reports).
"""

from __future__ import annotations

import pytest

from e2e_helpers import load_repo_config, run_snakemake, write_config
from synthetic_mirror import build_synthetic_mirror

# One synthetic mirror, its config and one full pipeline run, shared by every end-to-end module that
# only reads the run's outputs (a full run costs minutes on two cores). Tests that need a run of their
# own (reruns from scratch, damaged mirrors, kills) make it in their own tmp_path.

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
    """The one full pipeline run on the synthetic mirror that the output checks share."""
    result = run_snakemake(tmp_path_factory.mktemp("run") / "work", config_file)
    if result.returncode != 0:
        pytest.fail(f"pipeline failed on the synthetic mirror\n{result.tail()}")
    return result
