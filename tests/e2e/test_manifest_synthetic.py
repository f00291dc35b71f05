"""End-to-end: results/MANIFEST.sha256 of a synthetic run, and the compare CLI behind `make verify`.

The pipeline run is the session-wide ``run`` fixture (tests/e2e/conftest.py), shared with the other
end-to-end modules. The manifest must list every file under
results/ (nothing left out, nothing extra) with its real sha256, in the format ``sha256sum -c``
reads; ``python -m resilience.provenance.manifest compare`` must name a changed or missing file and exit 1.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from e2e_helpers import REPO, digests, expected_outputs
from resilience.provenance.manifest import manifest_lines, parse_manifest
# config, mirror, config_file and run: the session-wide synthetic run (tests/e2e/conftest.py).

pytestmark = pytest.mark.e2e

MANIFEST = "results/MANIFEST.sha256"


@pytest.fixture(scope="module")
def manifest_text(run):
    return (run.workdir / MANIFEST).read_text(encoding="utf-8")


def compare(a, b, cwd):
    return subprocess.run([sys.executable, "-m", "resilience.provenance.manifest", "compare", str(a), str(b)],
                          cwd=cwd, capture_output=True, text=True, timeout=120)


def test_manifest_lists_every_results_file_with_its_sha256(run, config, manifest_text):
    listed = parse_manifest(manifest_text, MANIFEST)
    # every file under results/ but the manifest itself, as paths relative to the working directory
    on_disk = {f"results/{path}": digest for path, digest in digests(run.workdir / "results").items()
               if f"results/{path}" != MANIFEST}
    assert sorted(listed) == sorted(on_disk), (
        f"not listed: {sorted(set(on_disk) - set(listed))}; listed but absent: {sorted(set(listed) - set(on_disk))}")
    assert sorted(listed) == sorted(expected_outputs(config))
    wrong = sorted(path for path in listed if listed[path] != on_disk[path])
    assert not wrong, f"manifest hashes that are not the files' sha256: {wrong}"
    # sorted by path, sha256sum's two-space format, relative paths only, newline-terminated
    lines = manifest_text.splitlines()
    assert [line.split("  ", 1)[1] for line in lines] == sorted(listed)
    assert manifest_text.endswith("\n") and str(run.workdir) not in manifest_text
    assert lines == manifest_lines(listed, run.workdir)


def test_sha256sum_checks_the_manifest(run):
    if shutil.which("sha256sum") is None:
        pytest.skip("coreutils sha256sum absent")
    check = subprocess.run(["sha256sum", "--strict", "-c", MANIFEST], cwd=run.workdir, capture_output=True,
                           text=True, timeout=120)
    assert check.returncode == 0, check.stdout + check.stderr


def test_results_hold_no_absolute_path_of_the_run(run, mirror, manifest_text):
    # a path of the working directory or of the mirror inside a result would differ between machines
    needles = [str(run.workdir).encode(), str(mirror["root"].resolve()).encode(), str(REPO).encode()]
    found = sorted(path for path in parse_manifest(manifest_text)
                   if any(n in (run.workdir / path).read_bytes() for n in needles))
    assert not found, f"results files containing an absolute path: {found}"


def test_compare_cli_names_a_changed_and_a_missing_file(run, manifest_text, tmp_path):
    # a copy of the results tree with one byte flipped in one file and another file deleted
    copy = tmp_path / "copy"
    shutil.copytree(run.workdir / "results", copy / "results")
    flipped, deleted = "results/tables/countries_martin.csv", "results/figures/peer_paths.pdf"
    data = bytearray((copy / flipped).read_bytes())
    data[len(data) // 2] ^= 0x01
    (copy / flipped).write_bytes(bytes(data))
    (copy / deleted).unlink()
    paths = [p for p in parse_manifest(manifest_text) if p != deleted]
    (copy / MANIFEST).write_text("".join(f"{line}\n" for line in manifest_lines(paths, copy)), encoding="utf-8")

    same = compare(run.workdir / MANIFEST, run.workdir / MANIFEST, tmp_path)
    assert same.returncode == 0, same.stdout + same.stderr
    changed = compare(run.workdir / MANIFEST, copy / MANIFEST, tmp_path)
    assert changed.returncode == 1, changed.stdout + changed.stderr
    assert changed.stdout.splitlines() == [f"MISSING  {deleted}  (missing from the rerun)",
                                           f"DIFFERS  {flipped}  (hash differs)"]
    assert "2 of " in changed.stderr
