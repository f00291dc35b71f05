"""resilience.provenance.replication: the generated replication README (data statements, requirements, exhibits)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from types import SimpleNamespace

import pandas as pd
import pytest

from resilience.provenance.replication import (
    constraint_values, data_statement_lines, exhibit_lines, exhibits, expand_pattern, hardware_lines, how_to_get,
    is_exhibit, mirror_entry, mirror_folder_files, pinned_versions, replication_markdown, rule_outputs, run_status, software_lines,
    DISK_BUCKETS, RUN_TIME_BUCKETS, bucket, config_seeds, live_only_lines, manuscript_exhibit_lines, redistribution, report_labels, seed_lines,
)

SHA_A = "a" * 64
SHA_B = "b" * 64


# ------------------------------------------------------------------ exhibits


@pytest.mark.parametrize("constraint, expected", [
    ("gfc|covid", ["gfc", "covid"]),
    ("main_twfe", ["main_twfe"]),
    ("wdi_x.y|a-b", ["wdi_x.y", "a-b"]),
    (r"\d+", None),
    ("[A-Z]{3}", None),
    ("a|", None),
    (None, None),
])
def test_constraint_values_only_for_plain_alternatives(constraint, expected):
    assert constraint_values(constraint) == expected


def test_expand_pattern_uses_the_embedded_constraints_in_their_order():
    files, unresolved = expand_pattern("results/figures/x_{episode,gfc|covid}_{model,m1|m2}.png")
    assert files == ["results/figures/x_gfc_m1.png", "results/figures/x_gfc_m2.png",
                     "results/figures/x_covid_m1.png", "results/figures/x_covid_m2.png"]
    assert unresolved == []


def test_expand_pattern_keeps_a_pattern_it_cannot_expand_and_says_which_wildcard():
    assert expand_pattern("results/tables/gvc_{country}_{episode,gfc|covid}.csv") == (
        ["results/tables/gvc_{country}_{episode}.csv"], ["country"])
    assert expand_pattern(r"results/tables/t_{year,\d{4}}.csv") == (["results/tables/t_{year}.csv"], ["year"])
    assert expand_pattern("results/tables/plain.csv") == (["results/tables/plain.csv"], [])


@pytest.mark.parametrize("pattern, expected", [
    ("results/figures/a.png", True), ("results/tables/a.tex", True), ("results/tables/a.md", True),
    ("results/report.md", False), ("results/models/a.json", False), ("results/sections/risk.md", False),
    ("results/tables/sub/a.csv", False), ("data/processed/a.parquet", False), ("results/tables/a.parquet", False),
])
def test_is_exhibit(pattern, expected):
    assert is_exhibit(pattern) is expected


def output(rule, pattern, caption="", rule_file="workflow/rules/x.smk"):
    return {"rule": rule, "rule_file": rule_file, "pattern": pattern, "caption": caption,
            "category": "", "subcategory": ""}


def test_exhibits_group_formats_number_figures_then_tables_and_keep_the_caption():
    outputs = [
        output("model", "results/tables/model_{model,b|a}.csv", "workflow/report/model.rst", "workflow/rules/models.smk"),
        output("model", "results/tables/model_{model,b|a}.tex", rule_file="workflow/rules/models.smk"),
        output("model", "results/models/{model,b|a}.json", rule_file="workflow/rules/models.smk"),
        output("fig", "results/figures/z.pdf"),
        output("fig", "results/figures/z.png", "workflow/report/z.rst"),
        output("gvc", "results/figures/gvc_{country}.png"),
        output("report", "results/report.md"),
    ]
    # the report shows z.png as its Figure 4 and model_b.csv in Tables 2 and 7; the rest are no exhibits
    shown = report_labels(pd.DataFrame({"kind": ["Table", "Figure", "Table"], "number": [2, 4, 7],
                                        "files": ["results/tables/model_b.csv", "results/figures/z.png",
                                                  "results/tables/model_b.csv results/tables/x.csv"]}))
    lines = exhibit_lines(exhibits(outputs), shown)
    assert lines == [
        "| in the report as | file | also as | rule | rule file | report caption |",
        "|---|---|---|---|---|---|",
        "| - | `results/figures/gvc_{country}.png` (one per country) | - | `gvc` | `workflow/rules/x.smk` | (none) |",
        "| Figure 4 | `results/figures/z.png` | .pdf | `fig` | `workflow/rules/x.smk` | `workflow/report/z.rst` |",
        "| - | `results/tables/model_a.csv` | .tex | `model` | `workflow/rules/models.smk` | `workflow/report/model.rst` |",
        "| Table 2, Table 7 | `results/tables/model_b.csv` | .tex | `model` | `workflow/rules/models.smk` | "
        "`workflow/report/model.rst` |",
    ]


def test_rule_outputs_reads_names_files_and_report_flags(tmp_path):
    caption = SimpleNamespace(get_path_or_uri=lambda secret_free: str(tmp_path / "workflow" / "report" / "a.rst"))
    flags = {"report": SimpleNamespace(caption=caption, category="Figures", subcategory=None)}
    rules = [SimpleNamespace(name="fig", snakefile=str(tmp_path / "workflow" / "rules" / "f.smk"),
                             script="../scripts/fig.py",
                             output=[_Out("results/figures/a.png", flags), _Out("results/figures/a.pdf", {})]),
             SimpleNamespace(name="all", snakefile=str(tmp_path / "Snakefile"), output=[])]
    assert rule_outputs(rules, tmp_path) == [
        {"rule": "fig", "rule_file": "workflow/rules/f.smk", "pattern": "results/figures/a.png",
         "caption": "workflow/report/a.rst", "category": "Figures", "subcategory": "",
         "program": "workflow/scripts/fig.py"},
        {"rule": "fig", "rule_file": "workflow/rules/f.smk", "pattern": "results/figures/a.pdf",
         "caption": "", "category": "", "subcategory": "", "program": "workflow/scripts/fig.py"},
    ]


class _Out(str):
    """An output file pattern with Snakemake-style flags."""

    def __new__(cls, text, flags):
        item = super().__new__(cls, text)
        item.flags = flags
        return item


TINY_SNAKEFILE = """
import json
from resilience.provenance.replication import rule_outputs

wildcard_constraints:
    episode="gfc|covid",

rule fig:
    output:
        png=report("results/figures/f_{episode}.png", caption="report/f.rst", category="Figures", subcategory="S"),
        pdf="results/figures/f_{episode}.pdf",
    shell:
        "touch {output}"

rule dump:
    output:
        "outputs.json",
    run:
        with open(output[0], "w") as handle:
            json.dump(rule_outputs(workflow.rules, workflow.basedir), handle)
"""


def test_rule_outputs_on_a_real_snakemake_workflow(tmp_path):
    # The Snakemake objects themselves (flags, caption paths, embedded constraints), not look-alikes.
    (tmp_path / "Snakefile").write_text(textwrap.dedent(TINY_SNAKEFILE), encoding="utf-8")
    (tmp_path / "report").mkdir()
    (tmp_path / "report" / "f.rst").write_text("A figure.\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "snakemake", "--cores", "1", "outputs.json"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    dumped = json.loads((tmp_path / "outputs.json").read_text(encoding="utf-8"))
    assert dumped == [
        {"rule": "fig", "rule_file": "Snakefile", "pattern": "results/figures/f_{episode,gfc|covid}.png",
         "caption": "report/f.rst", "category": "Figures", "subcategory": "S", "program": ""},
        {"rule": "fig", "rule_file": "Snakefile", "pattern": "results/figures/f_{episode,gfc|covid}.pdf",
         "caption": "", "category": "", "subcategory": "", "program": ""},
        {"rule": "dump", "rule_file": "Snakefile", "pattern": "outputs.json", "caption": "", "category": "",
         "subcategory": "", "program": ""},
    ]
    assert [e["stem"] for e in exhibits(dumped)] == ["results/figures/f_covid", "results/figures/f_gfc"]


# ------------------------------------------------------------------ data statements


@pytest.fixture
def catalog():
    rows = [
        # dataset, publisher, title, live_method, live_url, live_file, live_format, mirror_path, licence
        ("wb_pop", "World Bank (WDI)", "Population, total", "wb_api",
         "https://api.worldbank.org/v2/country/all/indicator/SP.POP.TOTL", "SP.POP.TOTL.json", "wb_api_json",
         "wdi/API_SP.POP.TOTL.csv", "CC BY 4.0"),
        ("wb_bbnd", "World Bank (WDI)", "Fixed broadband | per 100", "wb_api",
         "https://api.worldbank.org/v2/country/all/indicator/IT.NET.BBND.P2", "IT.NET.BBND.P2.json", "wb_api_json",
         "", "CC BY 4.0"),
        ("ama", "UN Statistics Division (AMA)", "GDP breakdown, constant 2015 US$", "http",
         "https://unstats.un.org/unsd/amaapi/api/file/6", "Download-GDPconstant-USD-countries.xlsx", "ama_xlsx",
         "unsd-ama/vintage-2025-12/Download-GDPconstant-USD-countries.xlsx", ""),
        ("census", "U.S. Census Bureau", "Trade in goods by country", "none",
         "https://www.census.gov/foreign-trade/balance/country.xlsx", "country.xlsx", "census_xlsx",
         "us-trade/country_2023-01.xlsx", "public domain (US government work)"),
    ]
    table = pd.DataFrame(rows, columns=["dataset", "publisher", "title", "live_method", "live_url", "live_file",
                                        "live_format", "mirror_path", "licence"])
    return table.set_index("dataset", drop=False)


@pytest.fixture
def listings():
    columns = ["file", "bytes", "sha256", "published_name", "publisher_url", "vintage", "taken_from", "covers"]
    wdi = pd.DataFrame([["API_SP.POP.TOTL.csv", "10", SHA_A, "API_SP.POP.TOTL.csv",
                         "https://api.worldbank.org/v2/en/indicator/SP.POP.TOTL?downloadformat=csv", "2026-07-13",
                         "x/y@1:API_SP.POP.TOTL.csv", "SP.POP.TOTL"]], columns=columns)
    ama = pd.DataFrame([["vintage-2025-12/Download-GDPconstant-USD-countries.xlsx", "20", SHA_B, "Download-GDPconstant-USD-countries.xlsx",
                         "https://unstats.un.org/unsd/amaapi/api/file/6", "workbook modified 2025-03-05",
                         "a/b@2:f.xlsx", "AMA"]], columns=columns)
    # As resilience.sources.fetch.read_mirror_sources returns them: one dict of strings per row.
    return {"wdi": wdi.to_dict("records"), "unsd-ama": ama.to_dict("records")}


MANIFESTS = {
    "wb_pop": {"dataset": "wb_pop", "status": "ok", "mode": "mirror", "sha256": SHA_A,
               "retrieved_at": "2026-11-23T18:42:46Z", "vintage_hint": "2026-07-13"},
    "wb_bbnd": {"dataset": "wb_bbnd", "status": "unavailable", "mode": "mirror", "sha256": None,
                "message": "the catalog row has no mirror_path; live it would come from https://x (wb_api_json)"},
    "ama": {"dataset": "ama", "status": "ok", "mode": "live", "sha256": SHA_B,
            "retrieved_at": "2026-11-20T08:00:00Z", "vintage_hint": "HTTP Last-Modified Wed, 05 Mar 2025"},
}


def test_data_statements_per_publisher_with_licence_access_vintage_and_run(catalog, listings):
    lines = data_statement_lines(catalog, MANIFESTS, listings, provenance_notes=["wdi", "itu"],
                                 optional=["wb_bbnd"], has_mirror=True)
    assert lines == [
        "",
        "### U.S. Census Bureau",
        "",
        "Licence or terms: public domain (US government work).",
        "",
        "| dataset | title | how to get it | vintage in the mirror | this run |",
        "|---|---|---|---|---|",
        "| `census` | Trade in goods by country | no documented download URL (published at "
        "https://www.census.gov/foreign-trade/balance/country.xlsx): only from a mirror, as "
        "`us-trade/country_2023-01.xlsx` | the mirror lacks it (`us-trade/country_2023-01.xlsx` not listed in its "
        "SOURCES.csv) | not obtained in this run |",
        "",
        "### UN Statistics Division (AMA)",
        "",
        "Licence or terms: not stated in the catalog.",
        "",
        "| dataset | title | how to get it | vintage in the mirror | this run |",
        "|---|---|---|---|---|",
        "| `ama` | GDP breakdown, constant 2015 US$ | download `Download-GDPconstant-USD-countries.xlsx` (ama_xlsx): "
        "https://unstats.un.org/unsd/amaapi/api/file/6 | `unsd-ama/vintage-2025-12/Download-GDPconstant-USD-countries.xlsx`: "
        "workbook modified 2025-03-05 | downloaded 2026-11-20, sha256 `bbbbbbbbbbbb`, HTTP Last-Modified Wed, 05 Mar 2025 |",
        "",
        "### World Bank (WDI)",
        "",
        "Licence or terms: CC BY 4.0.",
        "",
        "| dataset | title | how to get it | vintage in the mirror | this run |",
        "|---|---|---|---|---|",
        "| `wb_bbnd` | Fixed broadband \\| per 100 | World Bank API v2, all pages as JSON (wb_api_json): "
        "https://api.worldbank.org/v2/country/all/indicator/IT.NET.BBND.P2 | the mirror lacks it (no mirror path in the "
        "catalog) | unavailable (optional, the run went on without it): the catalog row has no mirror_path; live it "
        "would come from https://x (wb_api_json) |",
        "| `wb_pop` | Population, total | World Bank API v2, all pages as JSON (wb_api_json): "
        "https://api.worldbank.org/v2/country/all/indicator/SP.POP.TOTL | `wdi/API_SP.POP.TOTL.csv`: 2026-07-13 | "
        "mirror file, sha256 `aaaaaaaaaaaa` |",
        "",
        "Provenance notes of the mirror (where each file was taken from, caveats): `wdi/PROVENANCE.md`.",
    ]


def test_without_a_mirror_the_vintage_column_says_so(catalog, listings):
    lines = data_statement_lines(catalog.loc[["wb_pop"]], MANIFESTS, {}, [], [], has_mirror=False)
    assert lines[-1].endswith("| no mirror configured for this run | mirror file, sha256 `aaaaaaaaaaaa` |")


def test_mirror_copies_print_no_retrieval_time_so_reruns_write_the_same_bytes():
    first = run_status(MANIFESTS["wb_pop"], optional=False)
    again = run_status({**MANIFESTS["wb_pop"], "retrieved_at": "2030-01-01T00:00:00Z"}, optional=False)
    assert first == again == "mirror file, sha256 `aaaaaaaaaaaa`"
    assert run_status({"status": "unavailable", "message": "gone"}, optional=False) == "unavailable (unavailable): gone"


def test_how_to_get_for_each_live_method(catalog):
    assert how_to_get(catalog.loc["wb_pop"]).startswith("World Bank API v2, all pages as JSON (wb_api_json): https://")
    assert how_to_get({"live_method": "http", "live_url": "https://h/f.csv", "live_file": "f.csv",
                       "live_format": "csv"}) == "download `f.csv` (csv): https://h/f.csv"
    assert how_to_get({"live_method": "none", "live_url": "", "mirror_path": "a/b.csv"}) == \
        "no documented download URL: only from a mirror, as `a/b.csv`"


# ------------------------------------------------------------------ requirements


LOCK = """\
# pinned by make lock
Markdown==3.11.3
pandas==2.3.3
PyYAML==6.0.3
snakemake==9.27.1
snakemake-executor-plugin-slurm==2.8.0
"""
PYPROJECT = {"project": {"requires-python": ">=3.11,<3.13",
                         "dependencies": ["snakemake>=9.27,<9.28", "pandas>=2.3,<2.4", "pyyaml>=6.0,<6.1",
                                          "markdown>=3.7,<3.12", "country_converter>=1.3,<1.4"]}}
BENCHMARK = {
    "machine": {"cpu": "AMD EPYC", "cores_usable": 2, "memory_gb": 23.5, "os": "Linux-6", "python": "3.11.7"},
    "settings": {"cores": 2},
    "pipeline": {"cold_run": {"wall_s": 63.51, "jobs": 65}, "noop_rerun_median_s": 2.83,
                 "peak_process_rss_mb": 323.9, "peak_tree_rss_mb": 652.9},
}


def test_pinned_versions_normalizes_names():
    pins = pinned_versions(LOCK)
    assert pins["pyyaml"] == ("PyYAML", "6.0.3")
    assert pins["snakemake-executor-plugin-slurm"] == ("snakemake-executor-plugin-slurm", "2.8.0")
    assert len(pins) == 5


def test_software_lines_list_the_direct_dependencies_with_their_pins():
    assert software_lines(LOCK, PYPROJECT, BENCHMARK) == [
        "- Python >=3.11,<3.13 (`pyproject.toml`); the benchmark machine ran Python 3.11.7.",
        "- The exact stack: `requirements.lock`, 5 pinned packages (`make` installs it into `.venv`; conda users: "
        "`environment.yml`). The packages the code uses directly:",
        "",
        "| package | version |",
        "|---|---|",
        "| snakemake | 9.27.1 |",
        "| pandas | 2.3.3 |",
        "| PyYAML | 6.0.3 |",
        "| Markdown | 3.11.3 |",
        "| country_converter | not pinned in requirements.lock |",
    ]


def test_hardware_lines_read_the_benchmark():
    assert hardware_lines(BENCHMARK)[:6] == [
        "Measured by `make benchmark` (`results/benchmark/benchmark.json`) on AMD EPYC, 2 usable cores, 23.5 GB "
        "memory (Linux-6):",
        "",
        "- whole pipeline from the offline mirror on 2 cores, from scratch: 63.5 s for 65 jobs;",
        "- rerun with nothing to do (median): 2.8 s;",
        "- peak memory: largest process 324 MB, whole process tree 653 MB.",
        "",
    ]


def test_hardware_lines_without_a_benchmark_say_how_to_measure():
    assert hardware_lines(None) == [
        "No benchmark is recorded (`results/benchmark/benchmark.json` is absent): `make benchmark` measures one."]


# ------------------------------------------------------------------ the document


def test_document_has_the_template_sections_in_order(catalog, listings):
    text = replication_markdown(
        catalog=catalog, manifests=MANIFESTS, listings=listings, provenance_notes=[], optional=["wb_bbnd"],
        has_mirror=True, outputs=[output("fig", "results/figures/z.png"), output("t", "results/tables/t.csv")],
        lock_text=LOCK, pyproject=PYPROJECT, benchmark=BENCHMARK)
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == ["## Overview", "## Data availability and provenance statements",
                        "## Computational requirements", "## Instructions for replicators",
                        "## Exhibits in the report's order", "## List of analysis files", "## References"]
    assert ("One Snakemake workflow builds the 1 figures and 1 tables listed under \"List of analysis files\" from 4 raw "
            "datasets of 3 publishers") in text
    assert "This run took the raw files from an offline mirror of the publishers' files (`raw_mirror`)." in text
    assert "| - | `results/tables/t.csv` | - | `t` | `workflow/rules/x.smk` | (none) |\n" in text


def test_mirror_folder_files_lists_the_present_files_of_the_catalog_folders(tmp_path):
    for folder in ("wdi", "itu"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "SOURCES.csv").write_text("file\n", encoding="utf-8")
    (tmp_path / "wdi" / "PROVENANCE.md").write_text("# WDI\n", encoding="utf-8")
    paths = ["wdi/a.csv", "", "itu/b.xls", "wdi/c.csv", "owid/d.csv"]
    assert mirror_folder_files(tmp_path, paths, "SOURCES.csv") == [
        str(tmp_path / "itu" / "SOURCES.csv"), str(tmp_path / "wdi" / "SOURCES.csv")]
    assert mirror_folder_files(tmp_path, paths, "PROVENANCE.md") == [str(tmp_path / "wdi" / "PROVENANCE.md")]
    assert mirror_folder_files(None, paths, "SOURCES.csv") == []


def test_mirror_entry_reads_a_listing_as_the_rule_loads_it(tmp_path):
    from resilience.sources.fetch import read_mirror_sources

    folder = tmp_path / "unsd-ama"
    folder.mkdir()
    (folder / "SOURCES.csv").write_text(
        "file,bytes,sha256,publisher_url,vintage\n"
        f"vintage-2025-12/a.xlsx,20,{SHA_B},https://unstats.un.org/unsd/amaapi/api/file/6,workbook modified 2025-03-05\n")
    listings = {"unsd-ama": read_mirror_sources(folder)}
    entry = mirror_entry("unsd-ama/vintage-2025-12/a.xlsx", listings)
    assert entry["vintage"] == "workbook modified 2025-03-05" and entry["sha256"] == SHA_B
    assert mirror_entry("unsd-ama/vintage-2025-12/b.xlsx", listings) is None
    assert mirror_entry("wdi/API_X.csv", listings) is None


def test_exhibits_keep_only_the_region_figure_pairs_the_jobs_make():
    png = {"rule": "panel_figure", "rule_file": "workflow/rules/stages.smk", "caption": "",
           "pattern": "results/figures/{region,eu|china}_{figure,coverage|terciles}.png"}
    made = ["results/figures/eu_coverage.png", "results/figures/china_coverage.png",
            "results/figures/china_terciles.png"]
    assert [e["stem"] for e in exhibits([png])] == [
        "results/figures/china_coverage", "results/figures/china_terciles", "results/figures/eu_coverage",
        "results/figures/eu_terciles"]
    assert [e["stem"] for e in exhibits([png], made)] == [
        "results/figures/china_coverage", "results/figures/china_terciles", "results/figures/eu_coverage"]


# ------------------------------------------------------------------ rights, availability, seeds, sizes


@pytest.mark.parametrize("licence, publisher, verdict", [
    ("CC BY 4.0", "World Bank (WDI)", "redistributable with attribution"),
    ("GISCO terms: non-commercial use with the source acknowledged", "Eurostat (GISCO)",
     "non-commercial use only, with the acknowledgement: redistributable for research"),
    ("free for academic use with citation of Guo et al. (2020); no redistribution licence stated",
     "Institute of Digital Finance (cleaned .dta compiled by QianbinDou, not a publisher file)",
     "no licence to redistribute: not redistributed; obtain it from the publisher; compiled by a third party, "
     "not the publisher's own file (obtain it where the catalog's URL points)"),
    ("UN Comtrade terms of use (attribute UN Comtrade Database)", "UN Comtrade",
     "terms allow download and use with citation; no redistribution right stated: not redistributed"),
    ("NBS terms: public use with citation; no formal open licence", "NBS",
     "no licence to redistribute: not redistributed; obtain it from the publisher"),
    ("Free download; cite Ahir Bloom and Furceri (2022) NBER WP", "WUI",
     "terms allow download and use with citation; no redistribution right stated: not redistributed"),
    ("", "Someone", "no licence stated: not redistributed; obtain it from the publisher"),
])
def test_redistribution_is_read_from_the_licence_text(licence, publisher, verdict):
    assert redistribution(licence, publisher) == verdict


def test_seeds_are_found_anywhere_in_the_config_with_their_path():
    config = {"panels": {"countries": {"bootstrap": {"seed": 7, "reps": 99}}},
              "robustness": [{"romano_wolf": {"seed": 3}}], "seed_note": "x", "seeds": {"n": 1}}
    assert config_seeds(config) == {"panels.countries.bootstrap.seed": 7, "robustness[0].romano_wolf.seed": 3}
    assert seed_lines(config_seeds(config))[-2:] == ["| `panels.countries.bootstrap.seed` | 7 |",
                                                     "| `robustness[0].romano_wolf.seed` | 3 |"]


@pytest.mark.parametrize("value, buckets, label", [
    (599, RUN_TIME_BUCKETS, "<10 minutes"), (600, RUN_TIME_BUCKETS, "10-60 minutes"),
    (317, RUN_TIME_BUCKETS, "<10 minutes"), (2e6, RUN_TIME_BUCKETS, "more"),
    (24e6, DISK_BUCKETS, "<25 MB"), (300e6, DISK_BUCKETS, "250 MB - 2 GB"),
])
def test_run_time_and_disk_buckets(value, buckets, label):
    assert bucket(value, buckets) == label


def test_live_only_exhibits_name_the_missing_datasets_and_the_report_numbers():
    lineage = pd.DataFrame({"results_file": ["results/figures/m.png", "results/figures/m.png", "results/tables/t.csv"],
                            "rule": ["r", "r", "s"], "dataset": ["gisco", "wdi", "wdi"],
                            "status": ["unavailable", "used", "used"]})
    shown = pd.DataFrame({"kind": ["Figure"], "number": [4], "caption": ["Map"], "section": ["S"],
                          "files": ["results/figures/m.png"]})
    assert live_only_lines(lineage, shown) == ["| results file | in the report as | datasets it needs that this run "
                                               "lacked |", "|---|---|---|", "| `results/figures/m.png` | Figure 4 | "
                                               "`gisco` |"]
    assert live_only_lines(lineage.assign(status="used"), shown) == [
        "Every results file rests only on datasets this run obtained."]


def test_report_exhibits_are_mapped_to_their_rule_and_program_in_report_order():
    shown = pd.DataFrame({"kind": ["Table", "Figure"], "number": [1, 1], "caption": ["Sources", "Paths"],
                          "section": ["A", "B"], "files": ["", "results/figures/p.png"]})
    outputs = [{"rule": "fig", "rule_file": "workflow/rules/f.smk", "pattern": "results/figures/p.png",
                "caption": "", "category": "", "subcategory": "", "program": "workflow/scripts/p.py"}]
    assert manuscript_exhibit_lines(shown, outputs)[2:] == [
        "| Table 1 | Sources | in `results/report.md` | `report` | `workflow/scripts/report.py` |",
        "| Figure 1 | Paths | `results/figures/p.png` | `fig` | `workflow/scripts/p.py` |"]


def test_availability_names_the_datasets_a_run_without_a_mirror_cannot_fetch(catalog):
    from resilience.provenance.replication import availability_lines

    lines = availability_lines(catalog, {"ama": {"status": "ok"}})
    assert ("- [x] Some data have no documented download URL (1 datasets: `census`): a run without a mirror cannot "
            "fetch them, so the exhibits resting on them need a mirror holding the publisher's files (where each is "
            "published: Datasets, below).") in lines
    lines = availability_lines(catalog[catalog["live_method"] != "none"], {})
    assert any(line.startswith("- [ ] Some data have no documented download URL (0 datasets: none)") for line in lines)
