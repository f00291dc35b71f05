"""resilience.provenance.explain: from a printed number to its results file, rule, config values and raw bytes.

A small synthetic working directory: two results tables, Snakemake metadata records written where
Snakemake 9 writes them (checked against Snakemake's own ``_record_path``), two raw datasets with
manifests (one file's bytes changed after download) and one unavailable dataset.
"""

import hashlib
import json
from decimal import Decimal
from types import SimpleNamespace

import pytest

from resilience.provenance import explain
from resilience.provenance.explain import (
    chain, config_index, find_number, metadata_path, name_params, parse_printed, raw_files, read_record, rounds_to,
)

CONFIG = {"years": {"start": 1995, "end": 2024},
          "measures": {"outcome": "mva_kd", "benchmark": "world_sum", "trend_years": 5},
          "models": [{"name": "main_twfe", "kind": "panel", "cov": "clustered"},
                     {"name": "cs", "kind": "cross_section", "cov": "HC1"}],
          "episodes": [{"name": "gfc", "contraction": [2008, 2009]}]}
CODE = "2a43dc8f60eafb80"
AMA = b"synthetic AMA workbook bytes"
WDI = b"synthetic WDI csv bytes"


def write_record(workdir, output, rule, inputs, params):
    record = {"rule": rule, "input": inputs, "params": sorted(map(repr, params)), "record_format_version": 6,
              "incomplete": False}
    path = metadata_path(workdir, output)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record))


def write_raw(workdir, dataset, name, data, *, tamper=False):
    folder = workdir / "data" / "raw" / dataset
    folder.mkdir(parents=True)
    manifest = {"dataset": dataset, "status": "ok", "file": name, "sha256": hashlib.sha256(data).hexdigest(),
                "url": f"https://publisher.example/{name}", "mode": "mirror", "mirror_path": f"src/{name}",
                "retrieved_at": "2026-11-23T18:41:19Z", "message": None}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    (folder / name).write_bytes(data + (b"!" if tamper else b""))


@pytest.fixture
def workdir(tmp_path):
    tables = tmp_path / "results" / "tables"
    tables.mkdir(parents=True)
    (tables / "countries_martin.csv").write_text(
        "iso3,episode,phase,g_unit,index_pp,note\n"
        "CHN,gfc,resistance,-13.52184,-6.4963,\n"
        "USA,gfc,resistance,-9.327629,2.004,\n"
        "VNM,gfc,resistance,,,series break\n")
    (tables / "model_main_twfe.csv").write_text(
        "model,term,coef,se,nobs\nmain_twfe,contraction_gfc_x_digital_z,-9.332,1.98,4971\n")
    (tables / "broken.csv").write_bytes(b"\xff\xfe not a table")
    write_record(tmp_path, "results/tables/countries_martin.csv", "panel_measures",
                 ["data/processed/panel.parquet"], [CODE, CONFIG["episodes"], "world_sum", {"x": 1}])
    write_record(tmp_path, "results/tables/model_main_twfe.csv", "model",
                 ["data/processed/panel.parquet", "data/raw/meta"], [CODE, CONFIG["models"][0], CONFIG["years"]])
    write_record(tmp_path, "data/processed/panel.parquet", "country_panel",
                 ["data/interim/ama.parquet", "data/raw/wdi", "/repo/config/sources.csv"], [CODE])
    write_record(tmp_path, "data/interim/ama.parquet", "clean_source", ["data/raw/ama"], [CODE])
    write_raw(tmp_path, "ama", "ama.xlsx", AMA)
    write_raw(tmp_path, "wdi", "API_X.csv", WDI, tamper=True)
    (tmp_path / "data" / "raw" / "meta").mkdir()
    (tmp_path / "data" / "raw" / "meta" / "manifest.json").write_text(json.dumps(
        {"dataset": "meta", "status": "unavailable", "file": None, "sha256": None, "url": "https://x",
         "message": "not in the mirror"}))
    return tmp_path


@pytest.mark.parametrize("text, value, decimals", [
    ("-9.33", Decimal("-9.33"), 2), ("2.0", Decimal("2.0"), 1), ("4971", Decimal(4971), 0),
    ("1,234.5", Decimal("1234.5"), 1), ("52%", Decimal(52), 0), ("\u22126.5", Decimal("-6.5"), 1),
])
def test_parse_printed(text, value, decimals):
    assert parse_printed(text) == (value, decimals)


@pytest.mark.parametrize("text", ["abc", "", "nan", "1.2.3"])
def test_parse_printed_rejects_non_numbers(text):
    with pytest.raises(ValueError, match="not a"):
        parse_printed(text)


def test_rounds_to_the_printed_decimals():
    assert rounds_to(-9.327629, Decimal("-9.33"), 2)
    assert not rounds_to(-9.327629, Decimal("-9.32"), 2)
    assert rounds_to(-9.327629, Decimal("-9.3"), 1)
    assert rounds_to(-0.04, Decimal("0.0"), 1)  # the report prints -0.04 as 0.0 (never '-0.0')
    assert rounds_to(4971, Decimal(4971), 0)
    assert not rounds_to(float("nan"), Decimal(0), 0)
    assert not rounds_to(True, Decimal(1), 0)
    assert not rounds_to("9.33", Decimal("9.33"), 2)


def test_find_number_lists_every_cell_that_prints_as_the_number(workdir):
    hits = find_number(workdir, "-9.33")
    assert [(h.file, h.row, h.column, h.cell) for h in hits] == [
        ("results/tables/countries_martin.csv", 2, "g_unit", -9.327629),
        ("results/tables/model_main_twfe.csv", 1, "coef", -9.332),
    ]
    assert hits[0].key == "iso3=USA, episode=gfc, phase=resistance"
    assert [h.column for h in find_number(workdir, "-6.5")] == ["index_pp"]
    assert [h.cell for h in find_number(workdir, "-6.50")] == [-6.4963]  # the printed decimals decide
    assert find_number(workdir, "-6.49") == []
    assert [h.cell for h in find_number(workdir, "-6.496")] == [-6.4963]


def test_metadata_path_is_where_snakemake_writes_its_record(tmp_path):
    file_persistence = pytest.importorskip("snakemake.persistence.file")
    for output, max_len in [("results/tables/model_main_twfe.csv", 255), ("data/raw/" + "x" * 300, 255),
                            ("results/tables/countries_martin.csv", 20)]:
        fake = SimpleNamespace(_fetch_max_len=lambda subject, n=max_len: n)
        expected = file_persistence.FilePersistence._record_path(fake, str(tmp_path / ".snakemake" / "metadata"),
                                                                 output)
        assert str(metadata_path(tmp_path, output, max_len)) == expected


def test_read_record_and_a_missing_or_corrupt_one(workdir):
    assert read_record(workdir, "results/tables/model_main_twfe.csv")["rule"] == "model"
    assert read_record(workdir, "results/tables/nothing.csv") is None
    metadata_path(workdir, "results/tables/broken.csv").write_text("{not json")
    assert read_record(workdir, "results/tables/broken.csv") is None


def test_config_index_names_values_by_their_shortest_key():
    index = config_index(CONFIG)
    assert index[repr(CONFIG["years"])] == "years"
    assert index[repr(CONFIG["models"][0])] == "models[main_twfe]"
    assert index[repr("world_sum")] == "measures.benchmark"
    assert index[repr([2008, 2009])] == "episodes[gfc].contraction"
    assert index[repr(5)] == "measures.trend_years"


def test_name_params_labels_config_code_and_unknown():
    named = name_params([repr(CONFIG["years"]), repr(CODE), repr({"x": 1})], config_index(CONFIG), CODE)
    assert named == [("code fingerprint (the rule's script and the package modules it imports) = the code now", repr(CODE)),
                     ("config: years", repr(CONFIG["years"])), ("param", "{'x': 1}")]
    # a param assembled from config slices (the country panel's settings): each slice named by its key
    settings = {"measures": CONFIG["measures"], "episodes": ["gfc"], "design": {"standardize": True}}
    assert name_params([repr(settings)], config_index(CONFIG)) == [("config: measures", repr(CONFIG["measures"]))]
    changed = name_params([repr(CODE)], {}, "ffffffffffffffff")
    assert changed == [("code fingerprint (the rule's script and the package modules it imports); the code changed since (now ffffffffffffffff)", repr(CODE))]


def test_chain_walks_back_to_the_raw_datasets(workdir):
    steps, datasets = chain(workdir, "results/tables/model_main_twfe.csv")
    assert [(s.file, s.rule, s.depth) for s in steps] == [
        ("results/tables/model_main_twfe.csv", "model", 0),
        ("data/processed/panel.parquet", "country_panel", 1),
        ("data/interim/ama.parquet", "clean_source", 2),
        ("/repo/config/sources.csv", None, 2),
    ]
    assert datasets == ["ama", "meta", "wdi"]


def test_a_file_no_run_wrote_is_said_so(workdir):
    text = explain.explain_file(workdir, "results/tables/broken.csv", {})
    assert text == (f"results/tables/broken.csv: no Snakemake record in {workdir / '.snakemake' / 'metadata'} "
                    "(not written by a run in this directory)")


def test_raw_files_checks_the_bytes_against_the_manifest(workdir):
    ama, wdi, meta = (raw_files(workdir, d) for d in ("ama", "wdi", "meta"))
    assert ama["sha256"] == ama["sha256_now"] == hashlib.sha256(AMA).hexdigest()
    assert wdi["sha256"] == hashlib.sha256(WDI).hexdigest() != wdi["sha256_now"]
    assert (meta["status"], meta["message"]) == ("unavailable", "not in the mirror")
    assert raw_files(workdir, "absent")["status"] == "no manifest"


def run_main(capsys, *args):
    code = explain.main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_explains_a_number_down_to_the_raw_bytes(workdir, capsys, tmp_path_factory):
    config = tmp_path_factory.mktemp("cfg") / "config.yaml"
    config.write_text(json.dumps(CONFIG))  # JSON is YAML
    code, out, _ = run_main(capsys, "--number", "-9.33", "--workdir", str(workdir), "--config", str(config))
    assert code == 0
    assert out.startswith("-9.33 is printed from 2 cell(s) in 2 results file(s):")
    block = out.split("== results/tables/model_main_twfe.csv")[1]
    assert "row 1, column 'coef' = -9.332  (model=main_twfe, term=contraction_gfc_x_digital_z)" in block
    assert "written by rule 'model' (workflow/rules/models.smk) with:" in block
    assert f"config: models[main_twfe] = {CONFIG['models'][0]!r}" in block
    assert f"config: years = {CONFIG['years']!r}" in block
    assert f"data/raw/ama/ama.xlsx\n      sha256 {hashlib.sha256(AMA).hexdigest()} (sha256 verified)" in block
    assert f"sha256 {hashlib.sha256(WDI).hexdigest()} (CHANGED since download: sha256 now " in block
    assert "url https://publisher.example/ama.xlsx; mirror src/ama.xlsx; 2026-11-23T18:41:19Z" in block
    assert "meta: unavailable - not in the mirror" in block
    assert "data/processed/panel.parquet  [rule country_panel]  <- raw: wdi" in block


def test_cli_restricted_to_one_file_and_a_file_alone(workdir, capsys):
    code, out, _ = run_main(capsys, "--number", "-9.33", "--file", "results/tables/countries_martin.csv",
                            "--workdir", str(workdir))
    assert code == 0 and "1 results file(s)" in out and "model_main_twfe" not in out.split("\n")[2]
    code, out, _ = run_main(capsys, "--file", "results/tables/countries_martin.csv", "--workdir", str(workdir))
    assert code == 0 and "written by rule 'panel_measures' (workflow/rules/stages.smk)" in out
    # without --config the shipped config names the values (this synthetic episode list is not one of them)
    assert "config: measures.benchmark = 'world_sum'" in out
    assert "param = [{'name': 'gfc', 'contraction': [2008, 2009]}]" in out


def test_cli_number_not_found_and_bad_input(workdir, capsys, tmp_path):
    code, out, _ = run_main(capsys, "--number", "123.456", "--workdir", str(workdir))
    assert code == 1 and out.startswith("123.456: not found in results/tables/*.csv")
    code, _, err = run_main(capsys, "--number", "twelve", "--workdir", str(workdir))
    assert code == 2 and "explain: not a number: 'twelve'" in err
    code, _, err = run_main(capsys, "--number", "1.0", "--workdir", str(tmp_path / "empty"))
    assert code == 2 and ".snakemake/metadata does not exist: run the workflow" in err
    code, _, err = run_main(capsys, "--file", "results/tables/none.csv", "--workdir", str(workdir))
    assert code == 2 and "results/tables/none.csv: no such file" in err
