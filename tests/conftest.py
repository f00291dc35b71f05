"""How pytest-xdist spreads the suite over workers (`make test` runs `pytest -n auto`).

Each worker is its own pytest session, so a module- or session-scoped fixture runs once in every
worker that gets a test using it. The scheduler below therefore hands out whole modules (a module's
fixtures, e.g. a synthetic mirror, a fitted model or a pipeline run of its own, are built once), and
the end-to-end modules that read the session's one synthetic pipeline run (`run` in
tests/e2e/conftest.py) as a single unit, so that run happens once. A new module using that `run`
fixture belongs in SHARED_RUN_MODULES; otherwise it still passes, at the cost of a second run.

Why not `--dist loadgroup` with `xdist_group` marks: pytest-xdist 3.8 marks a group by rewriting
the item's node id, which pytest 9.2 no longer reads, so the groups are silently ignored.
"""

from __future__ import annotations

from collections import defaultdict

import pytest

SHARED_RUN_MODULES = frozenset({
    "tests/e2e/test_bundle_mode.py",
    "tests/e2e/test_failed_run_documents.py",
    "tests/e2e/test_kill_and_lock.py",
    "tests/e2e/test_lineage_synthetic.py",
    "tests/e2e/test_manifest_synthetic.py",
    "tests/e2e/test_pipeline_synthetic.py",
    "tests/e2e/test_report_browser.py",
})
SHARED_RUN = "tests/e2e: modules sharing the session's synthetic pipeline run"


def _scope(nodeid: str) -> str:
    module = nodeid.split("::", 1)[0]
    return SHARED_RUN if module in SHARED_RUN_MODULES else module


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    from xdist.scheduler import LoadScopeScheduling

    class ModuleScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return _scope(nodeid)

    # Hand out units in collection order (end-to-end first, see below), not largest test count first:
    # a pipeline run with four tests costs more than a module of a hundred unit tests.
    config.option.loadscopereorder = False
    return ModuleScheduling(config, log)


def pytest_collection_modifyitems(config, items):
    # The end-to-end modules (minutes each) start first, so the unit tests fill in around them and no
    # worker is left finishing a pipeline run alone at the end. Stable: order within each part is kept.
    items.sort(key=lambda item: not item.nodeid.startswith("tests/e2e/"))


# Per-module wall time of the end-to-end tests, printed in pytest's terminal summary: they run whole
# Snakemake workflows (minutes each), so the summary says where the time went. The sum of setup, call
# and teardown durations of a module's tests is its wall time, module fixtures included, because a
# module runs on one worker. Kept here rather than in tests/e2e/conftest.py: under pytest-xdist the
# controller prints the summary and loads only this conftest.
_E2E_SECONDS: dict[str, float] = defaultdict(float)


def pytest_runtest_logreport(report):
    if report.nodeid.replace("\\", "/").startswith("tests/e2e/"):
        _E2E_SECONDS[report.nodeid.split("::", 1)[0]] += report.duration


def pytest_terminal_summary(terminalreporter):
    if not _E2E_SECONDS:
        return
    terminalreporter.section("end-to-end wall time per module")
    for module, seconds in sorted(_E2E_SECONDS.items()):
        terminalreporter.write_line(f"{seconds:8.1f} s  {module}")
