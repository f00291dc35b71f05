"""The results manifest: sha256 of every results file, and the comparison of two manifests.

``results/MANIFEST.sha256`` is in ``sha256sum`` format (``<64 hex>  <path>``, two spaces, one file a
line, sorted by path, paths relative to the workflow's working directory), so ``sha256sum -c
results/MANIFEST.sha256`` checks it from that directory. ``make verify`` reruns the pipeline into a
scratch directory and compares the two manifests with ``python -m resilience.provenance.manifest compare A B``,
which prints every file whose hash differs or that only one manifest lists, and exits 1 if any.
"""

from __future__ import annotations

import hashlib
import json
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


# --- verify: a rerun against the manifest the last run wrote, with the reason for each difference ----

EDITED = "edited"
INPUT_CHANGED = "input changed"
CODE_CHANGED = "code or config changed"
NOT_REPRODUCED = "not reproduced"


def raw_digests(workdir) -> dict[str, str]:
    """dataset -> sha256 of its raw file (from data/raw/<dataset>/manifest.json; '' when unavailable)."""
    out = {}
    for path in sorted(Path(workdir, "data", "raw").glob("*/manifest.json")):
        try:
            out[path.parent.name] = str(json.loads(path.read_text(encoding="utf-8")).get("sha256") or "")
        except (OSError, ValueError):
            out[path.parent.name] = "unreadable"
    return out


def verify_rerun(recorded_text: str, rerun_text: str, checkout, rerun_dir) -> list[tuple[str, str, str]]:
    """(path, reason, detail) for every results file that does not match the manifest the last run
    wrote (``recorded_text``): edited in place since; or recomputed differently by the rerun in
    ``rerun_dir``, because the raw files differ, because its rule's code fingerprint or config
    params differ, or with neither (not reproduced); or missing or extra in the rerun."""
    from resilience.provenance.explain import read_record   # the records Snakemake keeps per output

    recorded = parse_manifest(recorded_text, "recorded manifest")
    out = []
    for path, digest in sorted(recorded.items()):
        here = Path(checkout, path)
        now = file_sha256(here) if here.is_file() else "missing"
        if now != digest:
            out.append((path, EDITED, "its bytes no longer match the manifest the run wrote (edited, replaced or "
                                      "deleted after the run)" if now != "missing" else "deleted after the run"))
    edited = {p for p, _, _ in out}
    raw_here, raw_rerun = raw_digests(checkout), raw_digests(rerun_dir)
    changed_raw = sorted(d for d in set(raw_here) | set(raw_rerun) if raw_here.get(d) != raw_rerun.get(d))
    for path, status in compare_manifests(recorded_text, rerun_text):
        if path in edited:
            continue
        if status != DIFFERS:
            out.append((path, status, _EXPLAIN[status]))
        elif changed_raw:
            out.append((path, INPUT_CHANGED, "raw files differ from the run's: " + ", ".join(changed_raw)))
        else:
            before, after = read_record(checkout, path), read_record(rerun_dir, path)
            if before and after and before.get("params") != after.get("params"):
                out.append((path, CODE_CHANGED, f"rule {after.get('rule')}'s params (code fingerprint or config "
                                                "values) differ from the run's"))
            else:
                out.append((path, NOT_REPRODUCED, "same raw files, code and config, different bytes"))
    return sorted(out)


def _verify_cli(recorded_path: str, rerun_path: str, checkout: str, rerun_dir: str) -> int:
    try:
        recorded_text = Path(recorded_path).read_text(encoding="utf-8")
        rerun_text = Path(rerun_path).read_text(encoding="utf-8")
        problems = verify_rerun(recorded_text, rerun_text, checkout, rerun_dir)
    except (OSError, ValueError) as exc:
        print(f"manifest verify: {exc}", file=sys.stderr)
        return 2
    n_files = len(parse_manifest(recorded_text))
    if not problems:
        print(f"OK: {n_files} files match the manifest of the last run, in place and when rerun from the raw files")
        return 0
    for path, reason, detail in problems:
        print(f"{reason.upper():24} {path}  ({detail})")
    print(f"FAILED: {len(problems)} of {n_files} files differ from {recorded_path}", file=sys.stderr)
    return 1


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if len(argv) == 3 and argv[0] == "compare":
        return _compare_cli(argv[1], argv[2])
    if len(argv) == 5 and argv[0] == "verify":
        return _verify_cli(*argv[1:])
    print("usage: python -m resilience.provenance.manifest compare REFERENCE/MANIFEST.sha256 RERUN/MANIFEST.sha256\n"
          "       python -m resilience.provenance.manifest verify RECORDED.sha256 RERUN/MANIFEST.sha256 CHECKOUT RERUN\n"
          "compare prints every file whose sha256 differs or that one manifest lacks; verify also checks the files\n"
          "in CHECKOUT against the manifest the run wrote and says why each differs. Exit 1 if any, 2 on bad input.",
          file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
