"""The EU report section from hand-made results tables."""
import pandas as pd

from resilience.panels.eu.section import eu_section

SETTINGS = {"episodes": ["gfc", "covid"], "nuts": {"target_version": 2021},
            "figures": {"outcome": "industry_employment", "cluster_exposure": "lq_industry", "digital_exposure": "digital_z"},
            "measures": {"benchmark": "national", "outcomes": {"industry_employment": "emp", "manufacturing_gva": "gva"},
                         "exposure_max_back": 2, "structural_max_back": {"lq_industry": 4}}}


def results():
    return {
        "provenance": pd.DataFrame({"series": ["emp", "gva", "m2.C10", "m2.C11"], "dataset": ["lfs", "", "", ""],
                                    "status": ["used", "unavailable", "unavailable", "unavailable"],
                                    "message": ["", "nama: not in the mirror", "sbs: not in the mirror", "sbs: x"]}),
        "nuts_summary": pd.DataFrame({"dataset": ["lfs"] * 6,
                                      "status": ["dropped", "recoded", "unchanged", "total", "dropped:merged", "dropped:split"],
                                      "regions": [3, 2, 7, 12, 1, 2]}),
        "exposures": pd.DataFrame({"unit": ["A1", "A2", "A3", "A1"], "country": "A", "episode": ["covid"] * 3 + ["gfc"],
                                   "variable": "lq_industry", "value": [1.0, 0.5, float("nan"), 1.0],
                                   "year_used": [2015, 2015, float("nan"), 2008]}),
        "coverage": pd.DataFrame({"series": ["emp"], "regions": [9], "countries": [2], "first_year": [2008],
                                  "last_year": [2015], "missing_share": [0.125], "flagged_cells": [3]}),
        "martin_summary": pd.DataFrame({"outcome": ["industry_employment"], "episode": ["gfc"], "phase": ["resistance"],
                                        "units": [9], "countries": [2], "median_g_unit": [-6.5], "mean_index_pp": [0.25],
                                        "median_index_pp": [0.5], "sd_index_pp": [4.0], "share_better": [0.5]}),
        "exposure_summary": pd.DataFrame({"episode": ["gfc"], "variable": ["lq_industry"], "units": [9], "countries": [2],
                                          "mean": [1.0], "sd": [0.25], "min": [0.5], "max": [1.5]}),
        "digital_composite": pd.DataFrame({"episode": ["gfc"], "indicator": ["bb"], "coverage": [0.0], "included": [False],
                                           "reason": ["series not in the panel"],
                                           "composite_notes": ["0 indicator(s) with coverage >= 0.6: no composite"]}),
        "models": pd.DataFrame({"model": ["eu_m"], "term": ["contraction_gfc_x_lq_industry"], "coef": [-3.25], "se": [1.5],
                                "p": [0.031], "nobs": [1701], "n_clusters": [243], "p_boot": [0.042],
                                "boot_ci_low": [-7.0], "boot_ci_high": [-0.25], "boot_clusters": [25]}),
        "cross_section": pd.DataFrame(columns=["outcome", "episode", "dependent", "term", "coef", "se", "p", "nobs", "countries"]),
        "model_notes": [{"model": "eu_m", "estimable": True, "exposures_dropped": ["digital_z"], "episodes_dropped": ["covid"]},
                        {"model": "eu_n", "estimable": False, "reason": "no exposure with data"}],
    }


def test_section_numbers_come_from_the_tables():
    text = eu_section(results(), SETTINGS)
    assert text.startswith("## EU regions (NUTS-2)\n")
    assert "| dataset | unchanged | recoded | dropped | dropped:merged | dropped:split | total |" in text
    assert "| lfs | 7 | 2 | 3 | 1 | 2 | 12 |" in text
    assert ("exposure year or up to 2 years earlier, never after the contraction's first year (the level its fall is "
            "measured from, so an exposure may share that year; the robustness section's timing table marks it); "
            "as structural measures, lq_industry up to 4 years earlier") in text
    assert "- covid, lq_industry: 2015 (2 regions)." in text and "- gfc, lq_industry: 2008 (1 regions)." in text
    assert "| emp | 9 | 2 | 2008 | 2015 | 0.125 | 3 |" in text
    assert "| industry_employment | gfc | resistance | 9 | 2 | -6.5 | 0.25 | 0.5 | 4 | 0.5 |" in text
    assert "| eu_m | contraction_gfc_x_lq_industry | -3.25 | 1.5 | 0.031 | 1701 | 243 | 0.042 | -7 | -0.25 | 25 |" in text
    assert "eu_n: not estimable (no exposure with data)" in text
    assert "exposures digital_z; episodes covid" in text
    assert "No cross-section is estimable." in text
    assert "- Martin indices of manufacturing_gva, episode gfc: no data" in text
    assert "- Series m2.*: sbs: not in the mirror." in text
    assert "indicators used: none. 0 indicator(s) with coverage >= 0.6: no composite" in text
    assert "![Coverage of the EU regional panel](figures/eu_coverage.png)" in text


def test_a_tercile_figure_without_three_regions_with_its_exposure_is_not_shown_and_says_why():
    tables = results()
    # gfc, the first episode: one region with lq_industry, none with digital_z
    text = eu_section(tables, SETTINGS)
    assert ("No figure of resistance by digital_z: 0 region(s) have it in the gfc episode "
            "(results/tables/eu_exposures.csv), fewer than the 3 its terciles need.") in text
    assert "No figure of resistance by lq_industry: 1 region(s)" in text
    assert "figures/eu_resistance_by_digital.png" not in text and "figures/eu_resistance_by_cluster.png" not in text
    assert "![Coverage of the EU regional panel](figures/eu_coverage.png)" in text
    # three regions with a value (a fourth without one does not count): the figure is shown
    tables["exposures"] = pd.DataFrame({"unit": ["A1", "A2", "A3", "A4"], "country": "A", "episode": "gfc",
                                        "variable": "lq_industry", "value": [1.0, 0.5, 2.0, float("nan")],
                                        "year_used": 2008})
    text = eu_section(tables, SETTINGS)
    assert ("![Resistance of regional industry employment by pre-shock cluster strength]"
            "(figures/eu_resistance_by_cluster.png)") in text
    assert "No figure of resistance by lq_industry" not in text


def test_section_counts_the_regions_left_out_as_their_country_s_only_region():
    tables = results()
    tables["martin_summary"] = tables["martin_summary"].assign(excluded_sole_units=[5])
    tables["model_notes"][0]["sole_units_dropped"] = ["LU00", "MT00"]
    text = eu_section(tables, SETTINGS)
    assert "the summary leaves out 5 such region(s) per row (column excluded)" in text
    assert "| industry_employment | gfc | resistance | 9 | 2 | 5 | -6.5 | 0.25 | 0.5 | 4 | 0.5 |" in text
    assert "- Sample: the 2 region(s) that are their country's only region (LU00, MT00) are left out" in text
    # nothing left out: no sentence
    tables["martin_summary"]["excluded_sole_units"] = [0]
    assert "such region(s)" not in eu_section(tables, SETTINGS)
