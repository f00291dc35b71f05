"""Execution profiles (workflow/profiles/) and per-rule resources.

- Both profiles parse as YAML, hold the expected keys, and every key is a Snakemake option.
- A dry run with the SLURM profile plans every job of the workflow, exactly the jobs a plain local
  dry run plans, with the profile's default resources attached. No cluster is needed: with ``-n``
  Snakemake plans with its dry-run executor, so neither ``sbatch`` nor ``sinfo``/``sacct`` is called;
  the SLURM plugin must still be installed (``--executor slurm`` is only a valid choice then), so
  these tests are skipped, saying so, when it is not. What a dry run cannot show is that a real
  cluster accepts the submissions (partition, account, limits): that needs a SLURM cluster.
- Every rule that runs something declares ``threads`` and ``resources: mem_mb=..., runtime=...``
  (minutes) in its source, so the cluster profile's defaults are only a fallback.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from resilience.provenance.snakemake_output import job_stats

REPO = Path(__file__).resolve().parents[1]
SNAKEFILE = REPO / "Snakefile"
PROFILES = REPO / "workflow" / "profiles"
RULE_SOURCES = [SNAKEFILE, *sorted((REPO / "workflow" / "rules").glob("*.smk"))]
ACTIONS = ("script:", "shell:", "run:", "wrapper:", "notebook:")
TIMEOUT_S = 600

needs_slurm_plugin = pytest.mark.skipif(
    importlib.util.find_spec("snakemake_executor_plugin_slurm") is None,
    reason="snakemake-executor-plugin-slurm is not installed (pip install -e '.[cluster]'); "
           "without it Snakemake rejects `executor: slurm`")


def load_profile(name: str) -> dict:
    return yaml.safe_load((PROFILES / name / "config.yaml").read_text(encoding="utf-8"))


def snakemake_long_options() -> set[str]:
    from snakemake.cli import get_argument_parser

    return {option[2:] for action in get_argument_parser()._actions for option in action.option_strings
            if option.startswith("--")}


# ---------------------------------------------------------------------------------------- profiles

def test_default_profile_keys():
    profile = load_profile("default")
    assert profile["cores"] == "all"
    assert profile["rerun-incomplete"] is True
    assert profile["printshellcmds"] is False
    assert profile["keep-going"] is False
    assert isinstance(profile["latency-wait"], int) and profile["latency-wait"] > 0


def test_slurm_profile_keys():
    profile = load_profile("slurm")
    assert profile["executor"] == "slurm"
    assert profile["jobs"] == 100
    resources = profile["default-resources"]
    assert set(resources) >= {"slurm_partition", "mem_mb", "runtime", "cpus_per_task"}
    assert isinstance(resources["slurm_partition"], str) and resources["slurm_partition"]
    for key in ("mem_mb", "runtime", "cpus_per_task"):
        assert isinstance(resources[key], int) and resources[key] > 0, key
    text = (PROFILES / "slurm" / "config.yaml").read_text(encoding="utf-8")
    assert "slurm_account" in text and "YOU MUST SET" in text, "the profile must say what a user has to set"


@pytest.mark.parametrize("name", ["default", "slurm"])
def test_profile_keys_are_snakemake_options(name):
    unknown = set(load_profile(name)) - snakemake_long_options()
    assert not unknown, f"workflow/profiles/{name}/config.yaml: not Snakemake options: {sorted(unknown)}"


# ---------------------------------------------------------------------------------------- dry run

@pytest.fixture(scope="module")
def mirror(tmp_path_factory):
    """A synthetic raw-data mirror (the DAG does not depend on its contents; the config check needs
    an existing folder)."""
    sys.path.insert(0, str(REPO / "tests" / "e2e"))
    from synthetic_mirror import build_synthetic_mirror

    return build_synthetic_mirror(tmp_path_factory.mktemp("mirror"))["root"]


def dry_run(workdir: Path, mirror, *extra: str) -> str:
    args = [sys.executable, "-m", "snakemake", "-n", "-s", str(SNAKEFILE), "--directory", str(workdir),
            "--config", f"raw_mirror={Path(mirror).resolve()}", *extra]
    workdir.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(args, cwd=REPO, capture_output=True, text=True, timeout=TIMEOUT_S)
    output = result.stdout + "\n" + result.stderr
    assert result.returncode == 0, f"$ {' '.join(args)}\nexit {result.returncode}\n{output[-4000:]}"
    return output


def listed_rules(tmp_path) -> set[str]:
    args = [sys.executable, "-m", "snakemake", "--list-rules", "-s", str(SNAKEFILE)]
    result = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, timeout=TIMEOUT_S)
    assert result.returncode == 0, result.stderr[-4000:]
    return {line.strip() for line in result.stdout.splitlines() if re.fullmatch(r"\s*\w+\s*", line)}


@needs_slurm_plugin
def test_slurm_profile_dry_run_plans_every_job(tmp_path, mirror):
    slurm = dry_run(tmp_path / "slurm", mirror, "--profile", str(PROFILES / "slurm"))
    local = dry_run(tmp_path / "local", mirror, "--cores", "1")
    planned, expected = job_stats(slurm), job_stats(local)
    assert planned == expected, f"slurm profile plans {planned}, a local dry run {expected}"
    assert set(planned) == listed_rules(tmp_path), "some rule of the workflow has no job in the plan"
    assert sum(planned.values()) > 40
    assert "Using profile" in slurm and "profiles/slurm" in slurm
    # The profile's default resources reach the jobs (shown for jobs without a message, e.g. `all`).
    partition = load_profile("slurm")["default-resources"]["slurm_partition"]
    assert f"slurm_partition={partition}" in slurm


# ---------------------------------------------------------------------------------------- resources

def rule_blocks() -> dict[str, str]:
    """{rule name: its source text} for every rule in the Snakefile and workflow/rules/*.smk."""
    blocks = {}
    for path in RULE_SOURCES:
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"(?m)^(?:rule|checkpoint) (\w+):\n((?:[ \t]+.*\n|[ \t]*\n)*)", text):
            assert match.group(1) not in blocks, f"rule {match.group(1)} defined twice"
            blocks[match.group(1)] = match.group(2)
    return blocks


def resources_of(block: str) -> dict[str, str]:
    match = re.search(r"(?m)^    resources:\n((?:        .*\n)+)", block)
    if not match:
        return {}
    return dict(re.findall(r"(?m)^        (\w+)=([^,\n]+),?$", match.group(1)))


def test_every_rule_declares_memory_runtime_and_threads(tmp_path):
    blocks = rule_blocks()
    names = listed_rules(tmp_path)
    assert names <= set(blocks), f"rules not found in the rule sources: {sorted(names - set(blocks))}"
    problems = []
    for name in sorted(names):
        block = blocks[name]
        if not any(re.search(rf"(?m)^    {action}", block) for action in ACTIONS):
            continue    # a target-only rule such as `all` runs nothing and is never submitted
        resources = resources_of(block)
        for key in ("mem_mb", "runtime"):
            value = resources.get(key, "")
            if not value.isdigit() or int(value) <= 0:
                problems.append(f"rule {name}: resources {key} missing or not a positive integer ({value!r})")
        if not re.search(r"(?m)^    threads: \d+$", block):
            problems.append(f"rule {name}: no `threads:`")
    assert not problems, "\n".join(problems)
