"""Bundle mode end to end: the raw files of the shared synthetic run, packed by `make bundle`'s command,
served over HTTP and pinned as ``raw_bundle``, give a second run the same panel, downloading once.

That second run, in another directory and other processes and never interrupted, also builds the table
whose write the shared run was killed in (tests/e2e/conftest.py): the restart must have written the
same bytes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from e2e_helpers import PAUSED, REPO, load_repo_config, run_snakemake, skip_if_code_changed

sys.path.insert(0, str(REPO / "tests" / "sources"))
from http_fixtures import Reply, ScriptedServer  # noqa: E402  (tests/sources/http_fixtures.py)

pytestmark = pytest.mark.e2e

PANEL = "data/processed/countries_panel.parquet"
MARTIN = PAUSED.as_posix()


@pytest.fixture(scope="module")
def served_bundle(run, tmp_path_factory):
    archive = tmp_path_factory.mktemp("bundle") / "raw-bundle.tar.gz"
    packed = subprocess.run(
        [
            sys.executable,
            "-m",
            "resilience.sources.bundle",
            "--raw",
            str(run.workdir / "data" / "raw"),
            "--out",
            str(archive),
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
    )
    assert packed.returncode == 0, packed.stderr
    server = ScriptedServer(lifetime=1800).start()
    server.route("/deposit/raw-bundle.tar.gz", Reply(200, archive.read_bytes()))
    yield server, (archive.parent / "raw-bundle.tar.gz.sha256").read_text().split()[0]
    server.stop()


def _bundle_config(path: Path, url: str, sha256: str) -> Path:
    config = load_repo_config()
    config["raw_mirror"] = None
    config["raw_bundle"] = {"url": url, "sha256": sha256}
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


def test_a_served_bundle_gives_the_same_panel_and_is_fetched_once(run, served_bundle, tmp_path):
    server, sha256 = served_bundle
    config = _bundle_config(tmp_path / "config.yaml", server.url("/deposit/raw-bundle.tar.gz"), sha256)
    work = tmp_path / "work"
    first = run_snakemake(work, config, PANEL, MARTIN)
    assert first.returncode == 0, first.tail()
    skip_if_code_changed(run.code_before, "bundle run against the shared run")
    assert (work / PANEL).read_bytes() == (run.workdir / PANEL).read_bytes()
    # the table the shared run was killed writing, rewritten after its restart
    assert MARTIN in run.killed.running
    assert (work / MARTIN).read_bytes() == (run.workdir / MARTIN).read_bytes()
    again = run_snakemake(work, config, "-n", PANEL, MARTIN)
    assert again.returncode == 0 and "Nothing to be done" in again.output, again.tail()
    assert server.hits("/deposit/raw-bundle.tar.gz") == 1
    assert (work / "data" / "bundle" / sha256 / "BUNDLE.csv").is_file()


def test_a_bundle_pinned_to_another_sha256_stops_before_any_job(served_bundle, tmp_path):
    server, _ = served_bundle
    config = _bundle_config(tmp_path / "config.yaml", server.url("/deposit/raw-bundle.tar.gz"), "0" * 64)
    failed = run_snakemake(tmp_path / "work", config, "-n", PANEL)
    assert failed.returncode != 0
    assert "sha256 mismatch" in failed.output and "not the pinned one" in failed.output, failed.tail()
    assert not (tmp_path / "work" / "data" / "raw").exists()
