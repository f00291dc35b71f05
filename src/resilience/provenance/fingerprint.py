"""Fingerprints of the code a rule runs, so that Snakemake reruns what a code change affects.

Snakemake tracks each rule's script, inputs and params, not the modules the script imports. Rules
take a fingerprint as a param: ``script_fingerprint`` hashes the script and every package module it
can import (its import closure: module-level and function-level imports alike, parent packages
included), so a change to the trade code reruns the trade rules and not the models. The panel
registry imports every ``resilience.panels.<id>.panel`` by name at run time (``DYNAMIC_IMPORTS``),
which a text scan cannot see. ``source_fingerprint`` hashes the whole package, for rules whose code
is inline (``run:``).
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from pathlib import Path

PACKAGE = "resilience"
# A module that imports others by name at run time -> the glob of the modules it imports.
DYNAMIC_IMPORTS = {"resilience.panels": "panels/*/panel.py"}
_IMPORT = re.compile(r"^\s*import\s+(resilience(?:\.\w+)*)", re.MULTILINE)
_FROM = re.compile(r"^\s*from\s+(resilience(?:\.\w+)*)\s+import\s+(\([^)]*\)|[^\n]*)", re.MULTILINE)


def source_fingerprint(package_dir) -> str:
    """sha256 over the relative paths and bytes of every .py file below package_dir, in sorted order."""
    root = Path(package_dir)
    return _digest(root, sorted(root.rglob("*.py")))


def script_fingerprint(script, package_dir) -> str:
    """sha256 over the script and the package modules of its import closure, in sorted order."""
    graph = module_graph(Path(package_dir))
    script = Path(script)
    pending = list(imported_modules(script.read_text(encoding="utf-8"), graph))
    seen: set[str] = set()
    while pending:
        module = pending.pop()
        if module in seen or module not in graph:
            continue
        seen.add(module)
        pending.extend(graph[module][1])
    digest = hashlib.sha256(script.name.encode() + b"\0" + _file_digest(str(script)))
    for module in sorted(seen):
        digest.update(module.encode() + b"\0" + _file_digest(str(graph[module][0])))
    return digest.hexdigest()[:16]


@cache
def module_graph(root: Path) -> dict[str, tuple[Path, tuple[str, ...]]]:
    """Dotted module name -> (its file, the package modules it imports, parents included)."""
    files = {_module_name(root, path): path for path in root.rglob("*.py")}
    graph = {}
    for name, path in files.items():
        imports = set(imported_modules(path.read_text(encoding="utf-8"), files))
        if name in DYNAMIC_IMPORTS:
            imports |= {_module_name(root, p) for p in root.glob(DYNAMIC_IMPORTS[name])}
        graph[name] = (path, tuple(sorted(imports | _parents(name))))
    return graph


def imported_modules(text: str, modules) -> set[str]:
    """The package modules ``text`` imports (``modules``: the known module names), with their parents."""
    found = set(_IMPORT.findall(text))
    for parent, names in _FROM.findall(text):
        found.add(parent)
        for name in re.findall(r"\w+", names.split("#")[0] if "(" not in names else names):
            if f"{parent}.{name}" in modules:
                found.add(f"{parent}.{name}")
    return {m for module in found for m in {module, *_parents(module)}}


def _parents(module: str) -> set[str]:
    parts = module.split(".")
    return {".".join(parts[:i]) for i in range(1, len(parts))}


def _module_name(root: Path, path: Path) -> str:
    parts = [PACKAGE, *path.relative_to(root).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _digest(root: Path, files: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@cache
def _file_digest(path: str) -> bytes:
    # one read per file and Snakemake start, however many rules' closures hold it
    return hashlib.sha256(Path(path).read_bytes()).digest()
