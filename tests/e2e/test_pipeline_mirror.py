"""End-to-end on the real mirror of published files (../shared/raw-snapshots beside the checkout).

One full pipeline run into a temporary directory; the checks compare its outputs with values read
by hand from the real raw files (UN AMA workbook cells, the OWID CSV, the WDI CSV, each folder's
SOURCES.csv) and with the results of the reference run this test was written against.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from e2e_helpers import (
    REAL_MIRROR, assert_close, expected_outputs, load_repo_config, markdown_section, martin_row, one_decimal,
    read_results_csv, run_snakemake, write_config,
)
from tests.real_mirror import require_mirror

pytestmark = [pytest.mark.e2e, pytest.mark.mirror]


@pytest.fixture(scope="module", autouse=True)
def mirror_present():
    """Skip without the mirror, fail under CI (before the module's pipeline run is attempted)."""
    require_mirror(REAL_MIRROR)

# Cells of unsd-ama/Download-GDPconstant-USD-countries.xlsx (sha256 5b22696d...), sheet 1,
# CountryID 156 China, IndicatorName 'Manufacturing (ISIC D)', constant 2015 US$.
CHN_MVA_2008 = 1658872775445.3115
CHN_MVA_2009 = 1871822990974.2825
AMA_CONSTANT_SHA256 = "5b22696de9af89e240dc412a21c14846931d149985eb2843dbea2f5367febff8"
# owid/broadband-penetration-by-country.csv: 'China,CHN,2008,6.2307205'
CHN_BROADBAND_2008 = 6.2307205
# wdi/API_SP.POP.TOTL_DS2_en_csv_v2_33112.csv, China, column 2008
CHN_POPULATION_2008 = 1324655000.0
# From the reference run's results/tables/countries_martin.csv (world sum over the 211 economies with both
# years: Tanzania counts since its two AMA parts, Mainland and Zanzibar, are summed into TZA).
GFC_G_REF = -6.047705934
VNM_GFC_RESISTANCE_PP = 19.11330972
# Optional datasets that the real mirror lacks (no mirror_path in the catalog); provenance marks them
# 'unavailable' wherever they stand in a series' order of preference.
UNAVAILABLE = {"wdi_it_net_bbnd_p2", "wdi_it_net_secr_p6", "wdi_tx_val_ictg_zs_un", "wdi_tm_val_ictg_zs_un",
               "wdi_bx_gsr_ccis_zs", "wdi_nv_ind_totl_kd"}


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    base = tmp_path_factory.mktemp("real-mirror")
    result = run_snakemake(base / "work", write_config(base / "config.yaml", REAL_MIRROR))
    if result.returncode != 0:
        pytest.fail(f"pipeline failed on the real mirror\n{result.tail()}")
    return result


@pytest.fixture(scope="module")
def tables(run):
    folder = run.workdir / "results" / "tables"
    return {name: read_results_csv(folder / f"{name}.csv") for name in ("countries_martin", "provenance", "output_loss")}


@pytest.fixture(scope="module")
def panel(run):
    return pd.read_parquet(run.workdir / "data" / "processed" / "countries_panel.parquet")


@pytest.fixture(scope="module")
def report_md(run):
    return (run.workdir / "results" / "report.md").read_text(encoding="utf-8")


def mirror_sources(folder: str) -> pd.DataFrame:
    return pd.read_csv(REAL_MIRROR / folder / "SOURCES.csv", dtype=str, keep_default_na=False).set_index("file")


def test_every_expected_output_exists(run):
    missing = [f for f in expected_outputs(load_repo_config()) if not (run.workdir / f).is_file()]
    assert not missing, f"missing outputs: {missing}\n{run.tail(20)}"


def test_china_gfc_resistance_from_the_ama_workbook(tables, panel):
    martin = tables["countries_martin"]
    row = martin_row(martin, "CHN", "gfc", "resistance")
    g_unit = 100 * (CHN_MVA_2009 / CHN_MVA_2008 - 1)   # 12.837043242921764
    assert_close(row["g_unit"], g_unit, "CHN manufacturing change 2008-2009")
    assert_close(row["g_ref"], GFC_G_REF, "world change 2008-2009")
    assert_close(row["index_pp"], g_unit - GFC_G_REF, "CHN resistance (pp)")
    # the panel holds the workbook's cells unchanged
    chn = panel[panel["iso3"] == "CHN"].set_index("year")
    assert chn.at[2008, "mva_kd"] == CHN_MVA_2008 and chn.at[2009, "mva_kd"] == CHN_MVA_2009
    # g_ref is the balanced world sum over the panel's economies with both years
    both = panel[panel["year"].isin([2008, 2009])].pivot(index="iso3", columns="year", values="mva_kd").dropna()
    both = both[(both > 0).all(axis=1)]
    assert len(both) == 211 and "TZA" in both.index  # incl. WSM, whose own index is blank (series break)
    # but whose levels count, and TZA, summed from its two AMA parts
    assert_close(row["g_ref"], 100 * (both[2009].sum() / both[2008].sum() - 1), "g_ref from the panel")


def test_viet_nam_series_break_in_2010_blanks_the_gfc_recovery_only(tables):
    martin = tables["countries_martin"]
    # AMA footnote 'Includes Taxes less subsidies ...' on Viet Nam manufacturing ends in 2009
    recovery = martin_row(martin, "VNM", "gfc", "recovery")
    assert math.isnan(recovery["g_unit"]) and math.isnan(recovery["index_pp"])
    assert "series break inside the period" in recovery["note"]
    resistance = martin_row(martin, "VNM", "gfc", "resistance")
    assert_close(resistance["index_pp"], VNM_GFC_RESISTANCE_PP, "VNM gfc resistance (pp)")
    assert pd.isna(resistance["note"])


def test_provenance_fallbacks_and_unavailable_datasets(tables):
    prov = tables["provenance"]
    status = prov.set_index(["series", "dataset"])["status"]
    assert status[("broadband", "owid_broadband")] == "used"
    assert status[("secure_servers", "wdi_databank_ict")] == "used"
    for series in ("ict_goods_exports", "ict_goods_imports", "ict_service_exports"):
        assert status[(series, "wdi_databank_ict")] == "used"
    assert set(prov.loc[prov["status"] == "unavailable", "dataset"]) == UNAVAILABLE
    assert set(prov.loc[prov["status"] == "no data", "dataset"]) == set()


def test_provenance_hashes_and_vintages_are_those_of_the_mirror_files(tables):
    used = tables["provenance"][tables["provenance"]["status"] == "used"].set_index("series")
    folders = {"unsd_ama": "unsd-ama", "owid": "owid", "wdi": "wdi"}
    for series, row in used.iterrows():
        folder = folders[next(k for k in folders if row["dataset"].startswith(k))]
        listing = mirror_sources(folder)
        assert row["sha256"] == listing.at[row["file"], "sha256"], series
        assert row["mode"] == "mirror", series
    assert used.at["mva_kd", "sha256"] == AMA_CONSTANT_SHA256
    assert used.at["mva_kd", "vintage"] == "workbook modified 2025-03-05"
    assert used.at["secure_servers", "vintage"] == "2024-11-13"  # DataBank footer 'Last Updated: 11/13/2024'
    assert used.at["broadband", "vintage"] == mirror_sources("owid").at[used.at["broadband", "file"], "vintage"]
    assert (used.at["broadband", "first_year"], used.at["broadband", "last_year"]) == (1998, 2021)
    assert used.at["secure_servers", "first_year"] == 2014  # the extract has no 2001-2013 columns


def test_panel_values_are_the_published_cells(panel):
    chn = panel[panel["iso3"] == "CHN"].set_index("year")
    assert chn.at[2008, "broadband"] == CHN_BROADBAND_2008
    assert chn.at[2008, "population"] == CHN_POPULATION_2008
    assert math.isnan(chn.at[2008, "secure_servers"])  # DataBank extract: 2014-2023 only
    assert not {"WLD", "OWID_WRL", "EAS", "HIC"} & set(panel["iso3"])


def test_report_lists_unavailable_datasets_and_martin_numbers(report_md, tables):
    section = markdown_section(report_md, "### Unavailable sources")
    for dataset in UNAVAILABLE:
        assert f"| {dataset} | unavailable |" in section, dataset
    row = martin_row(tables["countries_martin"], "CHN", "gfc", "resistance")
    assert (f"CHN: output change {one_decimal(row['g_unit'])}%, resistance {one_decimal(row['index_pp'])} pp."
            in report_md)
    assert "CHN: output change 12.8%, resistance 18.9 pp." in report_md
    assert f"the benchmark changed by {one_decimal(GFC_G_REF)}% over 2008-2009" in report_md


def test_every_claim_with_a_selector_finds_its_results_row_on_the_mirror(run):
    """The run lists a claim whose row is missing as not regenerable (missing_cells: report, so that a live
    run with a source down still writes its report); on the mirror no selector may miss, so a mistyped
    filter in config/claims.yaml cannot pass as 'not regenerable'."""
    ledger = read_results_csv(run.workdir / "results" / "tables" / "claims_ledger.csv")
    missing = ledger[ledger["reason"].fillna("").str.contains("no such results cell")]
    assert missing.empty, missing[["claim", "reason"]].to_string()
    regenerated = ledger["verdict"].isin(["reproduced", "differs", "contradicted"])
    assert regenerated.sum() >= 15, ledger["verdict"].value_counts().to_string()


def test_every_panel_episode_has_a_specification_curve_around_its_headline(run):
    """On the real mirror each panel's episodes are judged on a headline with data, the EU's 2020 episode
    on real GVA (LFS employment ends in 2015): its curve has an estimated headline like the others."""
    folder = run.workdir / "results" / "tables"
    summaries = pd.concat([read_results_csv(folder / f"{p}_spec_curve_summary.csv") for p in ("countries", "eu", "china")])
    # the curve's own baseline estimated, and the headline model's estimate its shares are counted against
    estimated = summaries["headline_estimate"].notna() & summaries["baseline_estimate"].notna()
    headed = summaries[estimated & (summaries["n_specs"] > 0)]
    assert set(zip(headed["panel"], headed["episode"])) == {
        ("countries", "gfc"), ("countries", "covid"), ("eu", "gfc"), ("eu", "covid"), ("china", "covid")}
