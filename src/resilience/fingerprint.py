"""A fingerprint of the package source, so that Snakemake reruns what a code change affects.

Snakemake tracks each rule's script, inputs and params, not the modules the script imports. Rules
take this fingerprint as a param: any change to the package's Python files then reruns them,
instead of leaving results computed by older code looking up to date.
"""

from __future__ import annotations

import hashlib
from pathlib import Path


def source_fingerprint(package_dir) -> str:
    """sha256 over the relative paths and bytes of every .py file below package_dir, in sorted order."""
    digest = hashlib.sha256()
    root = Path(package_dir)
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
