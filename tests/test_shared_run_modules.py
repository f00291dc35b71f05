"""The end-to-end modules that read the session's shared synthetic run are scheduled as one unit
(tests/conftest.py): a module left out still passes but makes its worker repeat the whole run."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import SHARED_RUN_MODULES

ROOT = Path(__file__).resolve().parents[1]


def reads_the_shared_run(source: str) -> bool:
    """True when a test function takes ``run`` and the module defines no ``run`` fixture of its own."""
    functions = [n for n in ast.parse(source).body if isinstance(n, ast.FunctionDef)]
    own_fixture = any(f.name == "run" for f in functions)
    takes_run = any(f.name.startswith("test_") and "run" in {a.arg for a in f.args.args} for f in functions)
    return takes_run and not own_fixture


def test_reads_the_shared_run_tells_a_module_fixture_from_the_session_one():
    assert reads_the_shared_run("def test_a(run, config):\n    pass\n")
    assert not reads_the_shared_run("def run(tmp_path):\n    pass\n\ndef test_a(run):\n    pass\n")
    assert not reads_the_shared_run("def test_a(mirror, tmp_path):\n    pass\n")


def test_every_module_reading_the_shared_run_is_scheduled_with_it():
    modules = sorted(ROOT.glob("tests/e2e/test_*.py"))
    readers = {f"tests/e2e/{m.name}" for m in modules if reads_the_shared_run(m.read_text(encoding="utf-8"))}
    assert readers == set(SHARED_RUN_MODULES)
