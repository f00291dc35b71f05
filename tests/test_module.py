"""The workflow as a Snakemake module of another workflow.

A temporary workflow in its own folder (no config/, no workflow/, no src/ of ours beside it) imports
the Snakefile with ``module ...: snakefile: ...; config: config`` and ``use rule * from ...``, and
dry-runs against a synthetic mirror. Its plan must be exactly the plan of the workflow run directly
on the same config: every path the workflow reads (schema, source catalog, HS sections, rule files,
scripts, the package fingerprint) is found from the Snakefile's own location, not the importer's.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from resilience.provenance.snakemake_output import job_stats

REPO = Path(__file__).resolve().parents[1]
SNAKEFILE = REPO / "Snakefile"
TIMEOUT_S = 600

sys.path.insert(0, str(REPO / "tests" / "e2e"))
from e2e_helpers import write_config  # noqa: E402  (tests/e2e is not a package)
from synthetic_mirror import build_synthetic_mirror  # noqa: E402

IMPORTING_SNAKEFILE = """\
configfile: "config/resilience.yaml"


module resilience:
    snakefile: "{snakefile}"
    config: config


use rule * from resilience
"""


def dry_run(args: list[str], cwd: Path) -> str:
    result = subprocess.run([sys.executable, "-m", "snakemake", "-n", "--cores", "1", *args], cwd=cwd,
                            capture_output=True, text=True, timeout=TIMEOUT_S)
    output = result.stdout + "\n" + result.stderr
    assert result.returncode == 0, f"$ snakemake -n {' '.join(args)} (in {cwd})\n{output[-4000:]}"
    return output


@pytest.fixture(scope="module")
def mirror(tmp_path_factory):
    return build_synthetic_mirror(tmp_path_factory.mktemp("mirror"))["root"]


def test_imported_as_a_module_it_plans_the_same_jobs_as_run_directly(mirror, tmp_path):
    importer = tmp_path / "importer"
    write_config(importer / "config" / "resilience.yaml", mirror)
    (importer / "Snakefile").write_text(IMPORTING_SNAKEFILE.format(snakefile=SNAKEFILE.as_posix()),
                                        encoding="utf-8")

    (tmp_path / "direct").mkdir()
    as_module = job_stats(dry_run([], cwd=importer))
    direct = job_stats(dry_run(["-s", str(SNAKEFILE), "--directory", str(tmp_path / "direct"),
                                "--configfile", str(importer / "config" / "resilience.yaml"),
                                "--replace-workflow-config"], cwd=tmp_path))

    assert as_module.get("all") == 1 and as_module.get("report") == 1, as_module
    assert as_module == direct
    # Outputs and Snakemake's records land in the importer's folder, never in the module's.
    assert (importer / ".snakemake").is_dir()
    assert not (importer / "config" / "schema.yaml").exists()
