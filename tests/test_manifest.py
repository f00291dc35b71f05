"""resilience.provenance.manifest: sha256sum-format manifest lines and the comparison of two manifests."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys

import pytest

from resilience.provenance.manifest import DIFFERS, EXTRA, MISSING, compare_manifests, main, manifest_lines, parse_manifest

# sha256 of b"abc" (FIPS 180-2, appendix B.1) and of the empty string.
SHA_ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
SHA_EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


@pytest.fixture
def tree(tmp_path):
    (tmp_path / "results" / "tables").mkdir(parents=True)
    (tmp_path / "results" / "tables" / "b.csv").write_bytes(b"abc")
    (tmp_path / "results" / "a.md").write_bytes(b"")
    (tmp_path / "results" / "z.bin").write_bytes(bytes(range(256)) * 5000)  # > one read chunk
    return tmp_path


def test_lines_are_sha256sum_format_sorted_with_real_hashes(tree):
    big = hashlib.sha256(bytes(range(256)) * 5000).hexdigest()
    lines = manifest_lines(["results/z.bin", "results/tables/b.csv", "results/a.md"], tree)
    assert lines == [f"{SHA_EMPTY}  results/a.md", f"{SHA_ABC}  results/tables/b.csv", f"{big}  results/z.bin"]


def test_absolute_paths_below_root_become_relative_and_duplicates_count_once(tree):
    lines = manifest_lines([tree / "results" / "tables" / "b.csv", "results/tables/b.csv"], tree)
    assert lines == [f"{SHA_ABC}  results/tables/b.csv"]


def test_paths_outside_root_and_missing_files_are_refused(tree, tmp_path_factory):
    outside = tmp_path_factory.mktemp("elsewhere") / "x.csv"
    outside.write_bytes(b"x")
    with pytest.raises(ValueError, match="is not under"):
        manifest_lines([outside], tree)
    with pytest.raises(ValueError, match="below"):
        manifest_lines(["../x.csv"], tree)
    with pytest.raises(FileNotFoundError, match="nope.csv"):
        manifest_lines(["results/nope.csv"], tree)


@pytest.mark.skipif(shutil.which("sha256sum") is None, reason="coreutils sha256sum absent")
def test_sha256sum_checks_the_written_manifest(tree):
    lines = manifest_lines(["results/a.md", "results/tables/b.csv", "results/z.bin"], tree)
    (tree / "MANIFEST.sha256").write_text("".join(f"{line}\n" for line in lines))
    ok = subprocess.run(["sha256sum", "--strict", "-c", "MANIFEST.sha256"], cwd=tree, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    (tree / "results" / "tables" / "b.csv").write_bytes(b"abd")
    bad = subprocess.run(["sha256sum", "-c", "MANIFEST.sha256"], cwd=tree, capture_output=True, text=True)
    assert bad.returncode == 1 and "results/tables/b.csv: FAILED" in bad.stdout


def test_parse_reads_sha256sum_output_and_rejects_malformed_lines():
    assert parse_manifest(f"{SHA_ABC}  a\n{SHA_EMPTY} *b c\n\n") == {"a": SHA_ABC, "b c": SHA_EMPTY}
    with pytest.raises(ValueError, match="line 2"):
        parse_manifest(f"{SHA_ABC}  a\n{SHA_ABC[:-1]}  b\n")
    with pytest.raises(ValueError, match="a listed twice"):
        parse_manifest(f"{SHA_ABC}  a\n{SHA_EMPTY}  a\n")


def test_compare_reports_differing_missing_and_extra_files_sorted():
    a = f"{SHA_ABC}  results/same\n{SHA_ABC}  results/changed\n{SHA_ABC}  results/gone\n"
    b = f"{SHA_ABC}  results/same\n{SHA_EMPTY}  results/changed\n{SHA_ABC}  results/new\n"
    assert compare_manifests(a, b) == [("results/changed", DIFFERS), ("results/gone", MISSING),
                                       ("results/new", EXTRA)]
    assert compare_manifests(a, a) == []
    # order of lines does not matter
    assert compare_manifests(a, "".join(reversed(a.splitlines(keepends=True)))) == []


def test_cli_exit_codes_and_output(tree, capsys):
    lines = manifest_lines(["results/a.md", "results/tables/b.csv"], tree)
    ref, same, changed = tree / "ref.sha256", tree / "same.sha256", tree / "changed.sha256"
    ref.write_text("\n".join(lines) + "\n")
    same.write_text("\n".join(lines) + "\n")
    changed.write_text(f"{SHA_EMPTY}  results/a.md\n{SHA_EMPTY}  results/tables/b.csv\n")
    assert main(["compare", str(ref), str(same)]) == 0
    assert "OK: 2 files identical" in capsys.readouterr().out
    assert main(["compare", str(ref), str(changed)]) == 1
    captured = capsys.readouterr()
    assert captured.out == "DIFFERS  results/tables/b.csv  (hash differs)\n"
    assert "1 of 2 files differ" in captured.err
    assert main(["compare", str(ref), str(tree / "absent.sha256")]) == 2
    assert "absent.sha256" in capsys.readouterr().err
    assert main(["compare", str(ref)]) == 2


def test_cli_runs_as_a_module(tree):
    (tree / "m.sha256").write_text(f"{SHA_ABC}  results/tables/b.csv\n")
    (tree / "n.sha256").write_text("")
    result = subprocess.run([sys.executable, "-m", "resilience.provenance.manifest", "compare", "m.sha256", "n.sha256"],
                            cwd=tree, capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stdout == "MISSING  results/tables/b.csv  (missing from the rerun)\n"


# --- verify: the rerun against the manifest the last run wrote, and why each file differs ----------


def _workdir(root, files: dict[str, bytes], raw: dict[str, str], params: dict[str, list] | None = None):
    """A working directory with results files, raw manifests and Snakemake records of their rules."""
    import json

    from resilience.provenance.explain import metadata_path
    for path, data in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(data)
    for dataset, digest in raw.items():
        folder = root / "data" / "raw" / dataset
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "manifest.json").write_text(json.dumps({"sha256": digest}), encoding="utf-8")
    for path, values in (params or {}).items():
        record = metadata_path(root, path)
        record.parent.mkdir(parents=True, exist_ok=True)
        record.write_text(json.dumps({"rule": "table_rule", "params": values}), encoding="utf-8")
    return root


def _manifest(root, paths) -> str:
    return "\n".join(manifest_lines([root / p for p in paths], root)) + "\n"


def test_verify_names_why_each_file_differs(tmp_path):
    from resilience.provenance.manifest import (CODE_CHANGED, EDITED, INPUT_CHANGED, NOT_REPRODUCED, verify_rerun)
    files = {"results/tables/a.csv": b"a\n", "results/tables/b.csv": b"b\n", "results/tables/c.csv": b"c\n"}
    params = {p: ["'0123456789abcdef'"] for p in files}
    here = _workdir(tmp_path / "here", files, {"wdi": "1" * 64}, params)
    recorded = _manifest(here, files)
    same = _workdir(tmp_path / "same", files, {"wdi": "1" * 64}, params)
    assert verify_rerun(recorded, _manifest(same, files), here, same) == []
    # a table edited by hand after the run: found in place, even though the rerun reproduces the run
    (here / "results/tables/a.csv").write_bytes(b"a edited\n")
    assert [(p, r) for p, r, _ in verify_rerun(recorded, _manifest(same, files), here, same)] == [
        ("results/tables/a.csv", EDITED)]
    (here / "results/tables/a.csv").write_bytes(b"a\n")
    # the rerun computes b differently with the same raw files: with its rule's code fingerprint
    # changed, that is the code; with nothing changed, it is not reproduced
    changed = dict(files) | {"results/tables/b.csv": b"b2\n"}
    code = _workdir(tmp_path / "code", changed, {"wdi": "1" * 64}, params | {"results/tables/b.csv": ["'fedcba9876543210'"]})
    assert [(p, r) for p, r, _ in verify_rerun(recorded, _manifest(code, changed), here, code)] == [
        ("results/tables/b.csv", CODE_CHANGED)]
    flaky = _workdir(tmp_path / "flaky", changed, {"wdi": "1" * 64}, params)
    assert [(p, r) for p, r, _ in verify_rerun(recorded, _manifest(flaky, changed), here, flaky)] == [
        ("results/tables/b.csv", NOT_REPRODUCED)]
    # a different raw file (a publisher's update, another mirror): the input changed, named
    newer = _workdir(tmp_path / "newer", changed, {"wdi": "2" * 64}, params)
    [(path, reason, detail)] = verify_rerun(recorded, _manifest(newer, changed), here, newer)
    assert (path, reason) == ("results/tables/b.csv", INPUT_CHANGED) and detail.endswith(": wdi")
    # a file the rerun did not make
    fewer = {p: d for p, d in files.items() if p != "results/tables/c.csv"}
    short = _workdir(tmp_path / "short", fewer, {"wdi": "1" * 64}, params)
    assert [(p, r) for p, r, _ in verify_rerun(recorded, _manifest(short, fewer), here, short)] == [
        ("results/tables/c.csv", MISSING)]


def test_verify_cli_exit_codes(tmp_path, capsys):
    files = {"results/tables/a.csv": b"a\n"}
    here = _workdir(tmp_path / "here", files, {})
    rerun = _workdir(tmp_path / "rerun", files, {})
    (tmp_path / "recorded.sha256").write_text(_manifest(here, files), encoding="utf-8")
    (rerun / "results" / "MANIFEST.sha256").write_text(_manifest(rerun, files), encoding="utf-8")
    args = ["verify", str(tmp_path / "recorded.sha256"), str(rerun / "results" / "MANIFEST.sha256"), str(here), str(rerun)]
    assert main(args) == 0 and "OK: 1 files match" in capsys.readouterr().out
    (here / "results/tables/a.csv").write_bytes(b"tampered\n")
    assert main(args) == 1
    assert "EDITED" in capsys.readouterr().out
    assert main(["verify", str(tmp_path / "absent"), *args[2:]]) == 2
