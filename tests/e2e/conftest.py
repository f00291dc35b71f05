"""Per-module wall time of the end-to-end tests, printed in pytest's terminal summary.

End-to-end modules run whole Snakemake workflows (minutes each), so the summary says where the
time went: the sum of setup, call and teardown durations of each module's tests (tests run one
after another, so this is the module's wall time, module-scoped fixtures included).
"""

from __future__ import annotations

from collections import defaultdict

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
