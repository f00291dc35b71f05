"""The Snakefile's own config checks, seen through Snakemake (dry runs, nothing executed): a key given
twice in a config file fails before any job, naming the key and both lines; `--config raw_mirror=null`
on the command line (a string there) means download live."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def dry_run(tmp_path, *extra) -> subprocess.CompletedProcess:
    args = [sys.executable, "-m", "snakemake", "-s", str(REPO / "Snakefile"), "--directory", str(tmp_path / "work"),
            "-n", "--cores", "1", "--quiet", "rules", *extra]
    (tmp_path / "work").mkdir(exist_ok=True)
    return subprocess.run(args, capture_output=True, text=True, timeout=600, cwd=tmp_path / "work")


def test_a_config_file_with_a_key_twice_fails_before_any_job(tmp_path):
    text = (REPO / "config" / "config.yaml").read_text(encoding="utf-8")
    path = tmp_path / "config.yaml"
    path.write_text(text + "\nyears: {start: 1990, end: 2024}\n", encoding="utf-8")
    first = 1 + next(i for i, line in enumerate(text.splitlines()) if line.startswith("years:"))
    result = dry_run(tmp_path, "--configfile", str(path), "--replace-workflow-config")
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert f"{path}: key 'years' appears twice, on lines {first} and {text.count(chr(10)) + 2}" in output, output[-3000:]


def test_raw_mirror_null_on_the_command_line_plans_live_downloads(tmp_path):
    result = dry_run(tmp_path, "--config", "raw_mirror=null")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    assert "is not a directory" not in output
