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
