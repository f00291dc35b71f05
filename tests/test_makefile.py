"""The Makefile passes paths with spaces (the mirror, the checkout) to Snakemake as single arguments.

Each test copies the Makefile into a checkout whose path has spaces, with stand-in `.venv/bin`
programs that record their arguments, and runs a target with `make`: what Snakemake would receive
is read back exactly, without running the workflow.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
RECORDER = '#!/usr/bin/env bash\n{ printf "%s\\0" "$(basename "$0")" "$@"; printf "\\n"; } >> "$CALLS"\n'

pytestmark = pytest.mark.skipif(shutil.which("make") is None or shutil.which("realpath") is None,
                                reason="GNU make and coreutils realpath are needed")


@pytest.fixture
def checkout(tmp_path):
    """<tmp>/my work/the checkout/ with the Makefile, an up-to-date stand-in .venv, and a calls log."""
    root = tmp_path / "my work" / "the checkout"
    (root / ".venv" / "bin").mkdir(parents=True)
    shutil.copy(REPO / "Makefile", root / "Makefile")
    for name in ("requirements.lock", "pyproject.toml"):
        (root / name).write_text("", encoding="utf-8")
        os.utime(root / name, (1_000_000_000, 1_000_000_000))  # older than .installed: no reinstall
    (root / ".venv" / ".installed").write_text("", encoding="utf-8")
    for program in ("snakemake", "python"):
        (root / ".venv" / "bin" / program).write_text(RECORDER, encoding="utf-8")
        (root / ".venv" / "bin" / program).chmod(0o755)
    return root


def calls(checkout, *make_args) -> list[list[str]]:
    # the caller's make variables (`make test RAW_MIRROR=...` passes them on in MAKEFLAGS) and mirror or
    # bundle settings would change what the recipes under test are given
    inherited = ("RAW_MIRROR", "RAW_BUNDLE_URL", "RAW_BUNDLE_SHA256", "MAKEFLAGS", "MFLAGS", "MAKELEVEL")
    env = {key: value for key, value in os.environ.items() if key not in inherited}
    env["CALLS"] = str(checkout / "calls")
    result = subprocess.run(["make", "--no-print-directory", *make_args], cwd=checkout, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = (checkout / "calls").read_text(encoding="utf-8").splitlines()
    return [line.rstrip("\0").split("\0") for line in lines]


def test_raw_mirror_with_spaces_is_one_absolute_argument(checkout, tmp_path):
    mirror = tmp_path / "raw snapshots (copy)"
    assert calls(checkout, "dryrun", f"RAW_MIRROR={mirror}") == [
        ["snakemake", "-n", "--config", f"raw_mirror={mirror}"]]


def test_relative_raw_mirror_is_made_absolute_from_the_checkout(checkout):
    assert calls(checkout, "dryrun", "RAW_MIRROR=my mirror") == [
        ["snakemake", "-n", "--config", f"raw_mirror={checkout}/my mirror"]]


def test_default_mirror_beside_a_checkout_with_spaces(checkout):
    shared = checkout.parent / "shared" / "raw-snapshots"
    shared.mkdir(parents=True)
    (shared / "README.md").write_text("mirror\n", encoding="utf-8")
    assert calls(checkout, "dryrun") == [["snakemake", "-n", "--config", f"raw_mirror={shared}"]]


def test_without_a_mirror_no_config_is_passed(checkout):
    assert calls(checkout, "dryrun") == [["snakemake", "-n"]]


def test_verify_names_the_snakefile_of_a_checkout_with_spaces(checkout, tmp_path):
    mirror = tmp_path / "a mirror"
    (checkout / "results").mkdir()
    (checkout / "results" / "MANIFEST.sha256").write_text("", encoding="utf-8")
    runs = calls(checkout, "verify", f"RAW_MIRROR={mirror}", "CORES=2")
    # no run in place first: the manifest the last run wrote is what the rerun is checked against
    rerun = runs[0]
    assert rerun[:3] == ["snakemake", "-s", f"{checkout}/Snakefile"]
    assert rerun[-2:] == ["--config", f"raw_mirror={mirror}"]
    scratch = rerun[rerun.index("--directory") + 1]
    assert runs[1] == ["python", "-m", "resilience.provenance.manifest", "verify", f"{scratch}/recorded.sha256",
                       f"{scratch}/results/MANIFEST.sha256", str(checkout), scratch]


def test_verify_without_a_manifest_says_to_run_make_all(checkout):
    result = subprocess.run(["make", "--no-print-directory", "verify"], cwd=checkout, capture_output=True, text=True,
                            timeout=60, env={**os.environ, "CALLS": str(checkout / "calls")})
    assert result.returncode != 0 and "results/MANIFEST.sha256 is missing: run make all first" in result.stderr
