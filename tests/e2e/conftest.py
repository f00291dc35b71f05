"""Per-module wall time of the end-to-end tests, printed in pytest's terminal summary.

End-to-end modules run whole Snakemake workflows (minutes each), so the summary says where the
time went: the sum of setup, call and teardown durations of each module's tests (tests run one
after another, so this is the module's wall time, module-scoped fixtures included).
"""

from __future__ import annotations

from collections import defaultdict

import pytest

from e2e_helpers import load_repo_config, run_snakemake, write_config
from synthetic_mirror import build_synthetic_mirror

_SECONDS: dict[str, float] = defaultdict(float)


def pytest_runtest_logreport(report):
    if "tests/e2e/" in report.nodeid.replace("\\", "/") or report.nodeid.startswith("test_pipeline_"):
        _SECONDS[report.nodeid.split("::", 1)[0]] += report.duration


def pytest_terminal_summary(terminalreporter):
    if not _SECONDS:
        return
    terminalreporter.section("end-to-end wall time per module")
    for module, seconds in sorted(_SECONDS.items()):
        terminalreporter.write_line(f"{seconds:8.1f} s  {module}")


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
