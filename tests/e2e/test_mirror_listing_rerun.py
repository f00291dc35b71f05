"""A changed row of a mirror folder's SOURCES.csv (a new vintage, a corrected sha256) reruns that
dataset's download and everything after it, and nothing else: rule `download` takes the row as a
param (``resilience.sources.fetch.listed_row``), so Snakemake's params trigger fires.

Built on a copy of the synthetic mirror: one cleaned table (two downloads, the metadata step and the
clean step) is made for real, then the listing is edited and the plan read from dry runs.
"""

from __future__ import annotations

import csv
import io
import shutil

import pytest

from e2e_helpers import run_snakemake, write_config
from resilience.provenance.snakemake_output import job_stats

pytestmark = pytest.mark.e2e

TARGET = "data/interim/unsd_ama_constant.parquet"
LISTING = "unsd-ama/SOURCES.csv"
FILE = "Download-GDPconstant-USD-countries.xlsx"


def edit_row(path, file: str, **cells) -> None:
    """Rewrite one row of a SOURCES.csv with ``cells`` changed (everything else byte for byte)."""
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert sum(row["file"] == file for row in rows) == 1, f"{file} not listed once in {path}"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows({**row, **cells} if row["file"] == file else row for row in rows)
    path.write_text(out.getvalue(), encoding="utf-8")


@pytest.fixture(scope="module")
def built(mirror, tmp_path_factory):
    root = tmp_path_factory.mktemp("listing-rerun")
    copy = shutil.copytree(mirror["root"], root / "mirror", symlinks=True)
    config_file = write_config(root / "config.yaml", copy)
    workdir = root / "work"
    first = run_snakemake(workdir, config_file, TARGET)
    assert first.returncode == 0, first.tail()
    return {"mirror": copy, "config": config_file, "workdir": workdir}


def plan(built) -> tuple[dict[str, int], str]:
    result = run_snakemake(built["workdir"], built["config"], "-n", TARGET)
    assert result.returncode == 0, result.tail()
    return job_stats(result.output), result.output


@pytest.mark.parametrize("cells", [{"vintage": "AMA release with data to 2024 (new vintage)"},
                                   {"sha256": "0" * 64}], ids=["vintage", "sha256"])
def test_changed_sources_row_reruns_that_download_and_what_follows(built, cells):
    listing = built["mirror"] / LISTING
    original = listing.read_text(encoding="utf-8")
    assert plan(built)[0] == {}, "nothing should be planned before the listing changes"
    try:
        edit_row(listing, FILE, **cells)
        stats, output = plan(built)
    finally:
        listing.write_text(original, encoding="utf-8")
    # the one download whose row changed, and the clean step after it; not the metadata download
    assert stats == {"download": 1, "clean_source": 1}, output
    assert "data/raw/unsd_ama_constant" in output and "data/raw/wdi_country_meta" not in output
    assert "Params have changed" in output or "params" in output.lower()
    assert plan(built)[0] == {}, "restoring the row should leave nothing to do"


def test_a_changed_row_of_another_file_in_the_folder_reruns_nothing(built):
    listing = built["mirror"] / LISTING
    original = listing.read_text(encoding="utf-8")
    try:
        edit_row(listing, "Download-GDPcurrent-USD-countries.xlsx", vintage="something else")
        stats, output = plan(built)
    finally:
        listing.write_text(original, encoding="utf-8")
    assert stats == {}, output
