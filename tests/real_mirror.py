"""Where tests find the real published files (../shared/raw-snapshots beside the checkout), and what
they do when it is absent: skip on a contributor's machine, but fail under CI (CI=true, as CI
services set it), so a broken mirror path can never pass as green with its tests quietly skipped."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

MIRROR_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "raw-snapshots"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def require_mirror(path=MIRROR_DIR, what: str = "the real mirror") -> Path:
    """``path`` if it exists; otherwise skip the calling test, or fail it under CI."""
    path = Path(path)
    if path.exists():
        return path
    if in_ci():
        pytest.fail(f"{what}: {path} is absent, and CI is set: the mirror must be present there "
                    "(a wrong path would otherwise turn these tests into silent skips)", pytrace=False)
    pytest.skip(f"{what}: {path} is absent")
