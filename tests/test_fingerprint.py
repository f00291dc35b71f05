"""Code fingerprints: a rule's param changes exactly when its script or a module it can import changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from resilience.provenance import fingerprint
from resilience.provenance.fingerprint import imported_modules, script_fingerprint, source_fingerprint

REPO = Path(__file__).resolve().parents[1]


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@pytest.fixture
def tree(tmp_path):
    package = tmp_path / "resilience"
    write(package, {
        "__init__.py": "",
        "a.py": "from resilience.b import f\n",
        "b.py": "def f():\n    from resilience import c\n    return c\n",       # imported inside a function
        "c.py": "X = 1\n",
        "d.py": "Y = 2\n",                                                        # nobody imports it
        "sub/__init__.py": "",
        "sub/e.py": "from resilience.sub import (\n    g,\n)\n",
        "sub/g.py": "Z = 3\n",
    })
    script = tmp_path / "script.py"
    script.write_text("import resilience.a\nfrom resilience.sub import e\n", encoding="utf-8")
    return package, script


def fresh(package, script):
    fingerprint.module_graph.cache_clear()
    fingerprint._file_digest.cache_clear()
    return script_fingerprint(script, package)


def test_a_change_in_the_import_closure_changes_the_fingerprint_and_one_outside_does_not(tree):
    package, script = tree
    before = fresh(package, script)
    (package / "d.py").write_text("Y = 20\n", encoding="utf-8")
    assert fresh(package, script) == before
    for name in ("c.py", "sub/g.py", "__init__.py"):
        (package / name).write_text((package / name).read_text() + "# changed\n", encoding="utf-8")
        changed = fresh(package, script)
        assert changed != before, name
        before = changed
    script.write_text(script.read_text() + "# changed\n", encoding="utf-8")
    assert fresh(package, script) != before
    # the whole-package fingerprint sees every change, d.py included
    whole = source_fingerprint(package)
    (package / "d.py").write_text("Y = 21\n", encoding="utf-8")
    assert source_fingerprint(package) != whole


def test_imported_modules_reads_both_forms_with_their_parents():
    known = {"resilience.x", "resilience.x.y", "resilience.z"}
    text = "import resilience.x.y\nfrom resilience import z, w  # w is a name\n"
    assert imported_modules(text, known) == {"resilience", "resilience.x", "resilience.x.y", "resilience.z"}


def test_the_trade_rules_do_not_depend_on_the_panels_and_the_model_stage_depends_on_every_panel():
    graph = fingerprint.module_graph(REPO / "src" / "resilience")

    def closure(script):
        pending, seen = list(imported_modules((REPO / "workflow" / "scripts" / script).read_text(), graph)), set()
        while pending:
            module = pending.pop()
            if module not in seen and module in graph:
                seen.add(module)
                pending.extend(graph[module][1])
        return seen

    trade = closure("trade_diversion.py")
    assert "resilience.context.trade.analysis" in trade
    assert not any(m.startswith(("resilience.panels", "resilience.models")) for m in trade)
    models = closure("panel_models.py")
    # the registry imports every panel's module by name at run time
    assert {"resilience.panels.eu.models", "resilience.panels.china.models", "resilience.models.shock_exposure",
            "resilience.panels.countries.models"} <= models
    assert "resilience.context.trade.analysis" not in models


def test_the_shipped_rules_take_their_scripts_fingerprint():
    rules = "".join(p.read_text(encoding="utf-8") for p in (REPO / "workflow" / "rules").glob("*.smk"))
    assert "code=CODE" not in rules and rules.count("code=script_code(") >= 40
