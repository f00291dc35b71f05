"""The benchmark runs the workflow from a snapshot of the repository (bench/benchmark.py): the snapshot
must hold every repository file a rule reads, or the cold run stops at that rule."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _benchmark_module():
    spec = importlib.util.spec_from_file_location("benchmark_script", ROOT / "bench" / "benchmark.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_snapshot_holds_every_repository_file_the_rules_read():
    rules = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "workflow" / "rules").glob("*.smk")))
    read = set(re.findall(r'repo_file\("([^"]+)"\)', rules))
    assert "LICENSE" in read  # the pattern still finds what the rules name
    snapshot = set(_benchmark_module().SNAPSHOT_FILES)
    assert read <= snapshot, sorted(read - snapshot)


def test_a_failed_test_run_is_named_in_the_targets_table():
    # The benchmark deletes its fresh clone: the short summary lines are the only record of what failed.
    run = {"target": "test", "wall_s": 600.0, "returncode": 2, "summary": "1 failed, 9 passed in 600s",
           "failed": ["FAILED tests/e2e/test_x.py::test_y - AssertionError: differs"]}
    rows = _benchmark_module().targets({"setup": {"tests": run}})
    assert [row["note"] for row in rows] == ["exit 2; 1 failed, 9 passed in 600s; FAILED tests/e2e/test_x.py::test_y"]
