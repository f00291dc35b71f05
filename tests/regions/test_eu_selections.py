"""The configured Eurostat selections on responses in today's layout (extra dimensions, recoded units)
and on the mirror's legacy files: each series takes one cell per region-year, from the live-coded
selection on today's tables and from the legacy-coded one on the old files."""

import sys
from pathlib import Path

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))
import synthetic_eu as syn  # noqa: E402

from resilience.errors import InputError  # noqa: E402
from resilience.panels.eu import build  # noqa: E402
from resilience.sources.parsers.eurostat import parse_eurostat  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
EU = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))["panels"]["eu"]
GEOS = ["AT", "AT11", "AT12", "DE", "DE11"]
YEARS = [2019, 2020, 2021]
# Today's dimensions and a few of their codes (after the 2024 restructure of the regional tables):
# every dimension has more than one code where today's table has more than one, so a selection
# that leaves one of them open selects several cells per region-year.
TODAY = {
    "eurostat_nama_10r_2gvagr": {"freq": ["A"], "na_item": ["B1G", "B1GQ"], "unit": ["I15", "PCH_PRE"]},
    "eurostat_lfst_r_lfe2en2": {
        "freq": ["A"],
        "unit": ["THS_PER"],
        "sex": ["F", "M", "T"],
        "age": ["Y15-64", "Y_GE15"],
        "nace_r2": ["A", "B-E", "TOTAL"] + EU["sectors"]["sections"]["codes"],
    },
    "eurostat_nama_10r_3empers": {
        "freq": ["A"],
        "unit": ["THS_PER"],
        "wstatus": ["EMP", "SAL"],
        "nace_r2": ["C", "TOTAL"],
    },
    "eurostat_nama_10r_3gva": {"freq": ["A"], "unit": ["CP_MEUR", "PPS_EU27_2020"], "nace_r2": ["C", "TOTAL"]},
    "eurostat_sbs_r_nuts2021": {
        "freq": ["A"],
        "indic_sbs": ["EMP_LOC_NR", "ENT_LOC_NR"],
        "sizeclas": ["TOTAL", "GE10"],
        "nace_r2": EU["sectors"]["manuf_2d"]["codes"],
    },
}
# The mirror's legacy files: no freq, no sex / na_item, unit THS.
LEGACY = {
    "eurostat_nama_10r_2gvagr": {"unit": ["PCH_PRE"]},
    "eurostat_lfst_r_lfe2en2": {
        "unit": ["THS"],
        "age": ["Y15-64", "Y_GE15"],
        "nace_r2": ["B-E", "TOTAL"] + EU["sectors"]["sections"]["codes"],
    },
}


def _table(tmp_path, dataset: str, dims: dict[str, list[str]], legacy: bool = False):
    """A Eurostat TSV with every combination of ``dims`` codes for GEOS x YEARS, parsed."""
    keys = [()]
    for codes in dims.values():
        keys = [(*k, c) for k in keys for c in sorted(set(codes))]
    series = {(*k, g): {y: (float(i + 1), "") for i, y in enumerate(YEARS)} for k in keys for g in GEOS}
    names = [*dims, "geo"]
    text = syn.legacy_tsv(names, series, YEARS) if legacy else syn.current_tsv(names, series, YEARS)
    path = tmp_path / f"{dataset}{'_legacy' if legacy else ''}.tsv"
    path.write_text(text)
    return parse_eurostat(path).table


def _configured(datasets) -> dict[str, dict]:
    return {
        name: spec
        for name, spec in build._all_series(EU).items()
        if any(s["dataset"] in datasets for s in spec["sources"])
    }


def _regions_years() -> int:
    return len([g for g in GEOS if len(g) == 4]) * len(YEARS)


def test_todays_tables_give_one_cell_per_region_year_from_the_first_source(tmp_path):
    tidies = {d: _table(tmp_path, d, dims) for d, dims in TODAY.items()}
    series = _configured(TODAY)
    assert {
        "emp_industry_lfs",
        "emp_total_lfs",
        "emp_manuf",
        "emp_total_na",
        "gva_manuf",
        "gva_total",
        "sections.B-E",
        "manuf_2d.C10",
    } <= set(series)
    for name, spec in series.items():
        rows, record = build._first_source(name, spec, tidies, {}, ["AT", "DE"])
        assert rows is not None, (name, record)
        first = spec["sources"][0]
        assert record["dataset"] == first["dataset"] and record["message"] == "", name
        regional = rows[rows["level"] == 2]
        assert len(regional) == _regions_years() and not regional.duplicated(["unit", "year"]).any(), name


def test_legacy_selection_on_todays_table_would_select_several_cells(tmp_path):
    # why the live-coded selection must come first: the mirror's selection leaves na_item open
    table = _table(tmp_path, "eurostat_nama_10r_2gvagr", TODAY["eurostat_nama_10r_2gvagr"])
    with pytest.raises(InputError, match="selects several cells"):
        build.series_rows(table, {"unit": "PCH_PRE"}, "gva_total", "eurostat_nama_10r_2gvagr", ["AT"])


def test_legacy_files_fall_through_to_the_legacy_coded_selection(tmp_path):
    tidies = {d: _table(tmp_path, d, dims, legacy=True) for d, dims in LEGACY.items()}
    for name in ("gva_total", "emp_industry_lfs", "emp_total_lfs", "sections.B-E", "sections_total"):
        spec = build._all_series(EU)[name]
        rows, record = build._first_source(name, spec, tidies, {}, ["AT", "DE"])
        assert rows is not None and record["status"] == "used", (name, record)
        # the first (today's) selection was tried and rejected for a dimension or code the old file lacks
        assert record["message"].startswith(spec["sources"][0]["dataset"] + ": no "), record["message"]
        assert len(rows[rows["level"] == 2]) == _regions_years()
