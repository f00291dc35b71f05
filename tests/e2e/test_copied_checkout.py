"""A checkout copied or moved with its outputs is up to date: no rule takes a path of the checkout
as an absolute input (the trade analysis reads the HS section table, the replication README the
catalog, lock file and pyproject of the checkout: relative paths while the run's working directory
is the checkout)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from e2e_helpers import copy_checkout

pytestmark = pytest.mark.e2e

TARGETS = ["results/tables/trade_partner_annual.csv"]


def snakemake(checkout, mirror_root, *args):
    env = {**os.environ, "PYTHONPATH": str(checkout / "src")}
    return subprocess.run([sys.executable, "-m", "snakemake", "-s", str(checkout / "Snakefile"), "--directory",
                           str(checkout), "--cores", "2", *args, "--config", f"raw_mirror={mirror_root}"],
                          capture_output=True, text=True, env=env, timeout=900)


def test_a_copied_checkout_finds_its_outputs_up_to_date(mirror, tmp_path):
    first = copy_checkout(tmp_path / "first", extra=("requirements.lock", "pyproject.toml"))
    run = snakemake(first, mirror["root"], *TARGETS)
    assert run.returncode == 0, run.stderr[-3000:]
    second = tmp_path / "second"
    shutil.copytree(first, second, symlinks=True)   # copy2: the outputs keep their times
    plan = snakemake(second, mirror["root"], "-n", *TARGETS)
    assert plan.returncode == 0, plan.stderr[-3000:]
    assert "Nothing to be done" in plan.stdout + plan.stderr, (plan.stdout + plan.stderr)[-3000:]
