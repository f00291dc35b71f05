"""The results manifest: sha256 of every results file, and the comparison of two manifests.

``results/MANIFEST.sha256`` is in ``sha256sum`` format (``<64 hex>  <path>``, two spaces, one file a
line, sorted by path, paths relative to the workflow's working directory), so ``sha256sum -c
results/MANIFEST.sha256`` checks it from that directory. ``make verify`` reruns the pipeline into a
scratch directory and compares the two manifests with ``python -m resilience.provenance.manifest compare A B``,
which prints every file whose hash differs or that only one manifest lists, and exits 1 if any.
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path, PurePosixPath

# Statuses of compare_manifests, seen from the reference manifest A.
DIFFERS = "differs"        # listed in both, different hashes
MISSING = "missing"        # listed in A only (the rerun did not produce it)
EXTRA = "extra"            # listed in B only

_LINE = re.compile(r"^([0-9a-f]{64}) [ *](.+)$")
_CHUNK = 1 << 20


def file_sha256(path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _relative(path, root: Path) -> str:
    """``path`` as a posix path relative to ``root``; an absolute path must lie under ``root``."""
    path = Path(path)
    if path.is_absolute():
        try:
            path = path.relative_to(root)
        except ValueError:
            raise ValueError(f"{path} is not under {root}") from None
    rel = PurePosixPath(path.as_posix())
    if ".." in rel.parts or str(rel) in ("", "."):
        raise ValueError(f"manifest paths must name a file below {root}: {path}")
    if "\n" in str(rel) or "\\" in str(rel):
        raise ValueError(f"path cannot be written in sha256sum format: {path!r}")
    return str(rel)


def manifest_lines(paths, root) -> list[str]:
    """One ``<sha256>  <path>`` line per file (no newline), sorted by path, paths relative to ``root``.

    ``paths`` are relative to ``root`` (or absolute below it); duplicates are listed once. A missing
    file raises FileNotFoundError naming it.
    """
    root = Path(root).resolve()
    rels = sorted({_relative(p, root) for p in paths})
    return [f"{file_sha256(root / rel)}  {rel}" for rel in rels]


def parse_manifest(text: str, name: str = "manifest") -> dict[str, str]:
    """path -> sha256 from ``sha256sum`` text; a malformed or repeated line raises ValueError naming it."""
    out: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = _LINE.match(line)
        if not match:
            raise ValueError(f"{name}, line {number}: not '<sha256>  <path>': {line!r}")
        digest, path = match.groups()
        if path in out:
            raise ValueError(f"{name}, line {number}: {path} listed twice")
        out[path] = digest
    return out


def compare_manifests(a_text: str, b_text: str) -> list[tuple[str, str]]:
    """(path, status) for every file whose hash differs (``differs``), that only A lists
    (``missing``) or that only B lists (``extra``), sorted by path; empty when they agree."""
    a, b = parse_manifest(a_text, "A"), parse_manifest(b_text, "B")
    out = []
    for path in sorted(set(a) | set(b)):
        if path not in b:
            out.append((path, MISSING))
        elif path not in a:
            out.append((path, EXTRA))
        elif a[path] != b[path]:
            out.append((path, DIFFERS))
    return out


_EXPLAIN = {DIFFERS: "hash differs", MISSING: "missing from the rerun", EXTRA: "only in the rerun"}


def _compare_cli(a_path: str, b_path: str) -> int:
    try:
        a_text = Path(a_path).read_text(encoding="utf-8")
        b_text = Path(b_path).read_text(encoding="utf-8")
        differences = compare_manifests(a_text, b_text)
    except (OSError, ValueError) as exc:
        print(f"manifest compare: {exc}", file=sys.stderr)
        return 2
    n_files = len(parse_manifest(a_text) | parse_manifest(b_text))
    if not differences:
        print(f"OK: {n_files} files identical ({a_path} = {b_path})")
        return 0
    for path, status in differences:
        print(f"{status.upper():8} {path}  ({_EXPLAIN[status]})")
    print(f"FAILED: {len(differences)} of {n_files} files differ between {a_path} and {b_path}",
          file=sys.stderr)
    return 1


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if len(argv) == 3 and argv[0] == "compare":
        return _compare_cli(argv[1], argv[2])
    print("usage: python -m resilience.provenance.manifest compare REFERENCE/MANIFEST.sha256 RERUN/MANIFEST.sha256\n"
          "Prints every file whose sha256 differs or that one manifest lacks; exit 1 if any, 2 on bad input.",
          file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
