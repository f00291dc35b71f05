"""End-to-end: the whole Snakemake workflow on a synthetic mirror of the published files.

One full run (session fixture ``run``, killed once on the way and restarted) is shared by the checks of
its outputs; further runs check that a rerun does nothing and that a missing or corrupted mirror file
stops the run early with a message saying what to do.
Expected values are computed by hand from the levels ``synthetic_mirror.build_synthetic_mirror`` wrote.
"""

from __future__ import annotations

import copy
import json
import math
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from e2e_helpers import (
    assert_close, dag_summary, expected_outputs, markdown_section, martin_row, one_decimal,
    read_results_csv, run_snakemake, sha256, skip_if_code_changed, small_specification_curve, states, write_config,
)

pytestmark = pytest.mark.e2e


# The fixtures config, mirror, config_file and run are session-wide (tests/e2e/conftest.py).


@pytest.fixture(scope="module")
def results(run):
    return run.workdir / "results"


@pytest.fixture(scope="module")
def martin(results):
    return read_results_csv(results / "tables" / "countries_martin.csv")


@pytest.fixture(scope="module")
def provenance(results):
    return read_results_csv(results / "tables" / "provenance.csv")


@pytest.fixture(scope="module")
def report_md(results):
    return (results / "report.md").read_text(encoding="utf-8")


def world_change(mva: dict, start: int, end: int) -> tuple[float, list[str]]:
    """g_ref by hand: 100 * (sum y_end / sum y_start - 1) over economies with both years."""
    both = sorted(iso3 for iso3, levels in mva.items() if start in levels and end in levels)
    return 100 * (sum(mva[i][end] for i in both) / sum(mva[i][start] for i in both) - 1), both


def own_change(mva: dict, iso3: str, start: int, end: int) -> float:
    return 100 * (mva[iso3][end] / mva[iso3][start] - 1)


# ------------------------------------------------------------------ the test configuration


def test_test_config_is_the_repository_config_with_only_the_mirror_changed(config, config_file, mirror):
    written = yaml.safe_load(Path(config_file).read_text(encoding="utf-8"))
    assert written["raw_mirror"] == str(Path(mirror["root"]).resolve())
    # besides the mirror, only what write_config documents: the ledger reports missing cells, and each
    # specification curve is capped at a few blocks
    expected = copy.deepcopy(config)
    expected["claims"]["missing_cells"] = "report"
    for block in expected["panels"].values():
        small_specification_curve(block.get("specification_curve"))
    assert {k: v for k, v in written.items() if k != "raw_mirror"} == \
        {k: v for k, v in expected.items() if k != "raw_mirror"}


def test_mirror_lists_every_written_file_with_its_real_sha256(mirror):
    for dataset, path in mirror["files"].items():
        listing = pd.read_csv(path.parent / "SOURCES.csv", dtype=str, keep_default_na=False)
        row = listing[listing["file"] == path.name]
        assert len(row) == 1, f"{path.name} not listed once in {path.parent / 'SOURCES.csv'}"
        assert row["sha256"].iloc[0] == sha256(path) == mirror["sha256"][dataset]
        assert int(row["bytes"].iloc[0]) == path.stat().st_size
    # nothing but the mandatory datasets, the two fallbacks and what the extension writers provide
    catalog = mirror["catalog"]
    for dataset in mirror["left_out"]:
        mirror_path = catalog.at[dataset, "mirror_path"]
        assert not mirror_path or not (mirror["root"] / mirror_path).exists(), dataset


# ------------------------------------------------------------------ (a) outputs


def test_the_run_ends_pointing_at_its_own_report(run):
    # the run writes under --directory; the checkout may hold another run's report (or none)
    results = run.workdir.resolve() / "results"
    pointer = f"Report: {results / 'report.html'}, {results / 'report.pdf'}, {results / 'report.md'}"
    assert pointer in run.output, run.tail(10)
    assert "\nHeadline: The pipeline tests " in run.output, run.tail(10)


def test_every_expected_output_exists(run, config, dag):
    # the report rule's inputs as Snakemake recorded them, plus the list written from report.smk
    summary = dag
    report_inputs = set(summary.loc[summary["rule"] == "report", "input-file(s)"].iloc[0].split(","))
    expected = sorted(set(expected_outputs(config)) | report_inputs)
    missing = [f for f in expected if not (run.workdir / f).is_file()]
    assert not missing, f"missing outputs: {missing}\n{run.tail(20)}"
    empty = [f for f in expected if (run.workdir / f).stat().st_size == 0]
    assert not empty, f"empty outputs: {empty}"
    # and every output of the whole DAG is there
    absent = [f for f in summary["output_file"] if not (run.workdir / f).exists()]
    assert not absent, f"DAG outputs missing: {absent}"
    assert (run.workdir / "results" / "figures" / "peer_paths.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (run.workdir / "results" / "figures" / "peer_paths.pdf").read_bytes()[:5] == b"%PDF-"


def test_panel_holds_only_the_economies(run, mirror):
    panel = pd.read_parquet(run.workdir / "data" / "processed" / "countries_panel.parquet")
    # the 24 AMA economies plus Kosovo (WDI only); no WB aggregate, no former state, no Zanzibar
    assert set(panel["iso3"]) == set(mirror["economies"]) | {"XKX"}
    assert sorted(panel["year"].unique()) == list(range(1995, 2025))
    chn = panel[(panel["iso3"] == "CHN")].set_index("year")
    assert chn.at[2008, "mva_kd"] == mirror["mva"]["CHN"][2008]
    assert chn.at[2009, "mva_kd"] == mirror["mva"]["CHN"][2009]
    late = panel[panel["iso3"] == mirror["late_economy"]].set_index("year")["mva_kd"]
    assert late.loc[:2008].isna().all() and late.loc[2009:].notna().all()


def test_unmatched_names_are_listed_not_dropped(results, mirror):
    unmatched = read_results_csv(results / "tables" / "unmatched_countries.csv")
    zanzibar = unmatched[unmatched["country_name"] == mirror["unmatched"]["name"]]
    assert sorted(zanzibar["source"]) == ["unsd_ama_constant", "unsd_ama_current"]
    assert set(zanzibar["country_code"].astype(int)) == {mirror["unmatched"]["m49"]}
    assert "East Asia and Pacific (WB)" in set(unmatched.loc[unmatched["source"] == "owid_broadband", "country_name"])


# ------------------------------------------------------------------ (b) provenance


def expected_statuses(config: dict, available: set[str]) -> dict[tuple[str, str], str]:
    """(series, dataset) -> status, by walking each series' sources in the configured order.

    An unavailable dataset is 'unavailable' wherever it stands (the report must list it even when a
    preferred source made it unneeded); an available one after the chosen source is 'not needed'.
    """
    out = {}
    for name, spec in config["series"].items():
        chosen = False
        for src in spec["sources"]:
            if src["dataset"] not in available:
                out[(name, src["dataset"])] = "unavailable"
            elif chosen:
                out[(name, src["dataset"])] = "not needed"
            else:
                out[(name, src["dataset"])] = "used"
                chosen = True
    return out


def test_provenance_statuses_follow_the_order_of_preference(provenance, config, mirror):
    expected = expected_statuses(config, set(mirror["datasets"]))
    found = {(r.series, r.dataset): r.status for r in provenance.itertuples()}
    assert found == expected


def test_left_out_optional_datasets_are_unavailable_and_fallbacks_used(run, provenance, mirror):
    status = provenance.set_index(["series", "dataset"])["status"]
    # the fallbacks this mirror exercises
    assert status[("broadband", "wdi_it_net_bbnd_p2")] == "unavailable"
    assert status[("broadband", "owid_broadband")] == "used"
    assert status[("broadband", "itu_broadband")] == "unavailable"
    for series, preferred in [("secure_servers", "wdi_it_net_secr_p6"),
                              ("ict_goods_exports", "wdi_tx_val_ictg_zs_un"),
                              ("ict_goods_imports", "wdi_tm_val_ictg_zs_un"),
                              ("ict_service_exports", "wdi_bx_gsr_ccis_zs")]:
        assert status[(series, preferred)] == "unavailable"
        assert status[(series, "wdi_databank_ict")] == "used"
    assert status[("mva_share_wdi", "wdi_nv_ind_manf_zs")] == "unavailable"  # no other source
    # every optional dataset left out of the mirror was recorded as unavailable by its download job
    for dataset in mirror["left_out"]:
        manifest = json.loads((run.workdir / "data" / "raw" / dataset / "manifest.json").read_text())
        assert (manifest["status"], manifest["mode"]) == ("unavailable", "mirror"), dataset
        assert manifest["message"], dataset
    unavailable = provenance[provenance["status"] == "unavailable"]
    assert set(unavailable["dataset"]) <= set(mirror["left_out"])
    assert (unavailable["message"].str.len() > 0).all()


def test_provenance_of_used_sources_names_file_hash_and_vintage(provenance, mirror):
    used = provenance[provenance["status"] == "used"].set_index("series")
    for series, row in used.iterrows():
        assert row["mode"] == "mirror", series
        assert row["sha256"] == mirror["sha256"][row["dataset"]], series
        assert row["file"] == Path(mirror["files"][row["dataset"]]).name, series
    assert used.at["mva_kd", "vintage"] == "workbook modified 2025-03-05"
    assert used.at["va_d_cur", "vintage"] == "workbook modified 2025-03-25"
    assert used.at["secure_servers", "vintage"] == "2024-11-13"       # the DataBank footer
    assert used.at["population", "vintage"] == "2026-07-13"           # 'Last Updated Date'
    assert used.at["broadband", "vintage"] == "not stated in file; synthetic"  # SOURCES.csv
    assert used.at["mva_kd", "n_economies"] == len(mirror["economies"])
    assert (used.at["broadband", "first_year"], used.at["broadband", "last_year"]) == (1998, 2021)
    assert (used.at["secure_servers", "first_year"], used.at["secure_servers", "last_year"]) == (2014, 2023)


# ------------------------------------------------------------------ (c) Martin indices by hand


@pytest.mark.parametrize("iso3", ["CHN", "USA", "DEU", "KOR", "IND"])
def test_gfc_resistance_equals_hand_computation(martin, mirror, iso3):
    mva = mirror["mva"]
    g_ref, members = world_change(mva, 2008, 2009)
    assert mirror["late_economy"] not in members and len(members) == len(mirror["economies"]) - 1
    g_unit = own_change(mva, iso3, 2008, 2009)
    row = martin_row(martin, iso3, "gfc", "resistance")
    assert_close(row["g_unit"], g_unit, f"{iso3} g_unit")
    assert_close(row["g_ref"], g_ref, "g_ref (world sum over economies with 2008 and 2009)")
    assert_close(row["index_pp"], g_unit - g_ref, f"{iso3} index_pp")
    assert_close(row["index_ratio"], (g_unit - g_ref) / abs(g_ref), f"{iso3} index_ratio")
    assert pd.isna(row["note"])


def test_china_resistance_follows_the_made_up_process(martin):
    # CHN: trend growth 1.5 %, digitalization 0.1, so the 2009 drop below trend is 16 - 12 * 0.1 = 14.8 %
    row = martin_row(martin, "CHN", "gfc", "resistance")
    assert row["g_unit"] == pytest.approx(100 * (1.015 * (1 - 0.148) - 1), abs=1e-7)  # -13.522


@pytest.mark.parametrize("episode, phase, years", [("gfc", "recovery", (2009, 2011)),
                                                   ("covid", "resistance", (2019, 2020)),
                                                   ("covid", "recovery", (2020, 2022))])
def test_other_phases_equal_hand_computation(martin, mirror, episode, phase, years):
    mva = mirror["mva"]
    g_ref, members = world_change(mva, *years)
    assert set(members) == set(mirror["economies"])  # the late entrant is in from 2009 on
    for iso3 in ("CHN", mirror["break_economy"], mirror["late_economy"]):
        g_unit = own_change(mva, iso3, *years)
        row = martin_row(martin, iso3, episode, phase)
        assert_close(row["g_unit"], g_unit, f"{iso3} {episode} {phase} g_unit")
        assert_close(row["index_pp"], g_unit - g_ref, f"{iso3} {episode} {phase} index_pp")


def test_series_break_inside_the_period_gives_nan_and_a_note(martin, mirror):
    vnm = mirror["break_economy"]
    row = martin_row(martin, vnm, "gfc", "resistance")
    assert math.isnan(row["g_unit"]) and math.isnan(row["index_pp"]) and math.isnan(row["index_ratio"])
    assert "series break inside the period" in row["note"]
    # the benchmark still sums the economy's levels (the brief's world sum over economies with both years)
    assert_close(row["g_ref"], world_change(mirror["mva"], 2008, 2009)[0], "g_ref on the break row")
    # only that economy-phase is affected (Korea's footnote change in 2009 is no change of definition)
    assert martin.loc[martin["note"].notna(), ["iso3", "episode", "phase"]].values.tolist() == \
        [[vnm, "gfc", "resistance"]]
    assert not math.isnan(martin_row(martin, mirror["non_break_economy"], "gfc", "resistance")["index_pp"])


def test_series_breaks_table_lists_the_break(results, mirror):
    breaks = read_results_csv(results / "tables" / "series_breaks.csv")
    # the one definition change in the growth series; Korea's non-definition footnote is no break
    assert {(r.series, r.iso3, r.year) for r in breaks.itertuples()} == {("mva_kd", mirror["break_economy"], 2009)}


def test_late_entrant_has_no_gfc_resistance(martin, mirror):
    rows = martin[(martin["iso3"] == mirror["late_economy"]) & (martin["episode"] == "gfc")]
    assert list(rows["phase"]) == ["recovery"]
    assert set(martin["iso3"]) == set(mirror["economies"])  # no aggregate, former state or Kosovo


def test_output_loss_equals_hand_computation(results, mirror):
    loss = read_results_csv(results / "tables" / "output_loss.csv")
    mva = mirror["mva"]["CHN"]
    t0, end, k = 2008, 2011, 5
    growth = [100 * (math.log(mva[t]) - math.log(mva[t - 1])) for t in range(t0 - k + 1, t0 + 1)]
    trend = sum(growth) / k
    expected = sum(trend * (t - t0) - 100 * (math.log(mva[t]) - math.log(mva[t0])) for t in range(t0 + 1, end + 1))
    row = loss[(loss["episode"] == "gfc") & (loss["iso3"] == "CHN")].iloc[0]
    assert_close(row["trend_growth"], trend, "CHN trend growth 2004-2008")
    assert_close(row["cumulative_loss"], expected, "CHN cumulative loss 2009-2011")
    vnm = loss[(loss["episode"] == "gfc") & (loss["iso3"] == mirror["break_economy"])].iloc[0]
    assert math.isnan(vnm["cumulative_loss"]) and math.isnan(vnm["trend_growth"])
    assert "series break" in vnm["note"] and "loss window" in vnm["note"]


# ------------------------------------------------------------------ (d) the report


def test_report_lists_the_unavailable_datasets(report_md, provenance, results, mirror):
    section = markdown_section(report_md, "### Unavailable sources")
    unavailable = provenance[provenance["status"] == "unavailable"]
    # every dataset the synthetic mirror left out that some series names, wherever it stands
    assert set(unavailable["dataset"]) == set(mirror["left_out"]) & set(provenance["dataset"])
    for r in unavailable.itertuples():
        assert f"| {r.series} | {r.dataset} | unavailable |" in section, r.dataset
    assert "Series with no available source in this run: mva_share_wdi." in report_md
    html = (results / "report.html").read_text(encoding="utf-8")
    for dataset in unavailable["dataset"]:
        assert dataset in html


def test_report_numbers_are_read_from_the_martin_table(report_md, martin):
    row = martin_row(martin, "CHN", "gfc", "resistance")
    assert (f"CHN: output change {one_decimal(row['g_unit'])}%, resistance {one_decimal(row['index_pp'])} pp."
            in report_md)
    assert f"the benchmark changed by {one_decimal(row['g_ref'])}% over 2008-2009" in report_md
    assert "CHN: output change -13.5%, resistance -6.5 pp." in report_md  # the same, as plain text


def test_report_share_better_uses_the_same_economies_as_its_count(report_md, martin):
    # Regression: the share was once taken over all rows, NaN (series-break) rows included, while the
    # count printed next to it was of non-NaN rows ("52% of the 22 economies" instead of 55%).
    res = martin[(martin["episode"] == "gfc") & (martin["phase"] == "resistance")]
    valid = res["index_pp"].dropna()
    share = 100 * (valid > 0).mean()
    assert f"{share:.0f}% of the {len(valid)} economies did better" in report_md


# ------------------------------------------------------------------ (e) rerun does nothing


def test_second_run_has_nothing_to_do_and_changes_no_output(run, config_file):
    skip_if_code_changed(run.code_before, "no-op rerun")
    watched = ["results", "data", "logs", "benchmarks"]
    before = {d: states(run.workdir / d) for d in watched}
    again = run_snakemake(run.workdir, config_file)
    skip_if_code_changed(run.code_before, "no-op rerun")
    assert again.returncode == 0, again.tail()
    assert "Nothing to be done" in again.output, again.tail()
    after = {d: states(run.workdir / d) for d in watched}
    changed = [f"{d}/{f}" for d in watched for f in set(before[d]) | set(after[d])
               if before[d].get(f) != after[d].get(f)]
    assert not changed, f"files changed by a no-op rerun: {changed}"


# (f) reproducible bytes: a second run in another directory, never interrupted, gives the panel and the
# table this run was killed writing with the same bytes (tests/e2e/test_bundle_mode.py); figures and
# specification-curve estimates are the same in other processes and string-hash seeds
# (tests/figures/test_figures_save.py, tests/robustness/test_specification_curve.py).


# ------------------------------------------------------------------ (g), (h) broken mirrors


@pytest.fixture
def mirror_copy(mirror, tmp_path):
    copy = tmp_path / "mirror"
    shutil.copytree(mirror["root"], copy)
    return copy


@pytest.fixture(scope="module")
def dag(run, config_file) -> pd.DataFrame:
    """The full workflow's DAG (output file, rule, input files) from the session's complete run."""
    return dag_summary(run.workdir, config_file)


def downstream_of(dag: pd.DataFrame, dataset: str) -> set[str]:
    """Every DAG output that rests, through declared inputs, on ``data/raw/<dataset>/``."""
    inputs = {output: set(filter(None, needs.split(",")))
              for output, needs in zip(dag["output_file"], dag["input-file(s)"])}
    raw = f"data/raw/{dataset}"  # the download rule's output directory
    affected: set[str] = set()
    changed = True
    while changed:
        changed = False
        for output, needs in inputs.items():
            if output not in affected and any(f == raw or f.startswith(f"{raw}/") or f in affected for f in needs):
                affected.add(output)
                changed = True
    return affected


def results_built_from(workdir, dag: pd.DataFrame, dataset: str) -> list[str]:
    """Results files on disk that rest on ``dataset``: should be none after its download failed.
    (Analyses that do not need it, e.g. the backup game or complex risk, may finish in parallel
    before the failure stops the run.)"""
    results = workdir / "results"
    found = {p.relative_to(workdir).as_posix() for p in results.rglob("*") if p.is_file()} if results.exists() else set()
    return sorted(found & downstream_of(dag, dataset))


@pytest.mark.parametrize("dataset", ["wdi_sp_pop_totl", "unsd_ama_constant"])
def test_missing_mandatory_file_fails_early_naming_dataset_url_and_remedy(mirror, mirror_copy, tmp_path, dataset, dag):
    catalog = mirror["catalog"]
    missing = mirror_copy / catalog.at[dataset, "mirror_path"]
    missing.unlink()
    # one core: downloads go first (rule priority), so no other job has started when the missing one fails
    # (on two, a job may start on the free core while the last download runs)
    result = run_snakemake(tmp_path / "work", write_config(tmp_path / "config.yaml", mirror_copy), "--cores", "1")
    assert result.returncode != 0, result.tail()
    text = result.output
    mirror_path = catalog.at[dataset, "mirror_path"]
    assert f"{dataset}: {mirror_path} is not in the mirror ({mirror_copy})" in text, result.tail()
    assert f"Live it comes from {catalog.at[dataset, 'live_url']}" in text, result.tail()
    assert (f"put the publisher's file in the format '{catalog.at[dataset, 'mirror_format']}' at {missing}, "
            "listed in that folder's SOURCES.csv") in text
    # early: no tidy table or panel is built, whichever the missing file
    assert not (result.workdir / "data" / "interim").exists()
    assert not (result.workdir / "data" / "processed").exists()
    assert downstream_of(dag, dataset) & {f for f in dag["output_file"] if f.startswith("results/")}
    assert not results_built_from(result.workdir, dag, dataset)


def test_corrupted_mirror_file_fails_with_checksum_message(mirror, mirror_copy, tmp_path, dag):
    dataset = "unsd_ama_current"
    path = mirror_copy / mirror["catalog"].at[dataset, "mirror_path"]
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one byte changed; SOURCES.csv keeps the old sha256
    path.write_bytes(bytes(data))
    result = run_snakemake(tmp_path / "work", write_config(tmp_path / "config.yaml", mirror_copy))
    assert result.returncode != 0, result.tail()
    expected, actual = mirror["sha256"][dataset], sha256(path)
    # the error names the file, the row of its folder's SOURCES.csv, and both hashes
    assert f"{path} ({path.parent / 'SOURCES.csv'}, row " in result.output, result.tail()
    assert f"sha256 mismatch: expected {expected}, got {actual}" in result.output, result.tail()
    assert not (result.workdir / "data" / "raw" / dataset / path.name).exists()
    assert downstream_of(dag, dataset) & {f for f in dag["output_file"] if f.startswith("results/")}
    assert not results_built_from(result.workdir, dag, dataset)
