"""The Chinese provinces report section, built from hand-made results tables."""

from __future__ import annotations

import pandas as pd

from resilience.panels.china.section import china_section

SETTINGS = {"index_lagged_rows": [2015, 2023],
            "episode": {"name": "covid", "contraction": [2019, 2020], "recovery": [2020, 2022]},
            "bootstrap": {"reps": 9999, "weights": "rademacher", "seed": 7, "alpha": 0.05}}


def tables() -> dict:
    provenance = pd.DataFrame({
        "series": ["gdp", "gdp", "gdp_index", "ict"], "label": ["GDP", "GDP", "index", "ICT"],
        "dataset": ["nbs_fsnd_gdp_query", "nbs_fsnd_gdp_v2025", "nbs_compiled_panel", "nbs_ict"],
        "status": ["unavailable", "used", "used", "unavailable"], "kind": ["", "publisher", "compiled", ""],
        "rows": [0, 589, 611, 0], "units": [0, 31, 31, 0], "first_year": [None, 2006.0, 2005.0, None],
        "last_year": [None, 2024.0, 2024.0, None], "message": ["", "", "", "not in the mirror"]})
    coverage = pd.DataFrame({"series": ["gdp"], "source": ["nbs_fsnd_gdp_v2025"], "kind": ["publisher"], "units": [31],
                             "first_year": [2006], "last_year": [2024], "observations": [589], "missing_share": [0.05]})
    martin = pd.DataFrame({"outcome": "real_gdp", "unit": ["CN42", "CN54", "CN11"], "episode": "covid",
                           "phase": "resistance", "g_unit": [-5.0, 7.8, 1.2], "g_ref": 2.65,
                           "index_ratio": [-2.89, 1.94, -0.55], "index_pp": [-7.65, 5.15, -1.45],
                           "benchmark": "sum of provinces"})
    models = pd.DataFrame({"model": ["china_real_gdp"], "term": ["contraction_covid_x_dfi"], "coef": [0.138],
                           "se": [0.639], "t": [0.2], "p": [0.831], "p_boot": [0.84], "ci_low_boot": [-2.0],
                           "ci_high_boot": [1.19], "nobs": [270], "n_clusters": [30], "units": [30],
                           "years": ["2014-2022"], "r2_within": [0.1], "reps": [9999], "weights": ["rademacher"],
                           "seed": [7], "cov_type": ["clustered (entity)"]})
    alignment = pd.DataFrame({"index_row": [2014, 2020, 2021], "corr_same_year": [0.78, 0.2, -0.1],
                              "corr_previous_year": [0.79, 0.8, 0.9], "provinces": [31, 30, 30]})
    weights = pd.DataFrame({"index": ["digital_index", "digital_index"], "component": ["dfi_usage", "dfi_coverage"],
                            "weight": [0.6, 0.4]})
    footnotes = pd.DataFrame({"dataset": ["nbs_fsnd_gdp_v2025", "nbs_fsnd_gdp_v2025"], "line": [2, 4],
                              "note": ["指标：地区生产总值(亿元)", "注：对1992年-2023年地区生产总值历史数据进行了系统修订。"]})
    return {"provenance": provenance, "coverage": coverage, "martin": martin, "models": models,
            "alignment": alignment, "weights": weights, "footnotes": footnotes}


def test_section_reads_every_number_from_its_tables():
    text = china_section(tables(), {"china_composite": {"skipped": "no composite indices"}}, SETTINGS)
    assert text.startswith("## Chinese provinces\n")
    assert "gdp (nbs_fsnd_gdp_v2025, 31 provinces, 2006-2024)" in text
    assert "compiled files, not publisher files" in text and "gdp_index (nbs_compiled_panel" in text
    assert "Unavailable (no source with data; the measures that need them are left out): ict." in text
    assert "| gdp | nbs_fsnd_gdp_v2025 | publisher | 31 | 2006 | 2024 | 589 | 5.0% |" in text
    # lagged-row check: mean over rows 2020, 2021 only (2014 lies outside the configured rows)
    assert "previous year at 0.85 on average and of the same year at 0.05" in text
    assert ("benchmark (sum of provinces) grew 2.65%; 3 provinces, mean -1.32 pp, median -1.45 pp, 1 above the "
            "benchmark; lowest Hubei (-7.65 pp, growth -5.00%), highest Tibet (5.15 pp)") in text
    assert "| china_real_gdp | contraction_covid_x_dfi | 0.138 | 0.639 | 0.831 | 0.840 | -2.000 | 1.190 | 270 | 30 |" in text
    assert "rademacher weights, 9999 draws, seed 7" in text
    assert "- china_composite: not estimated (no composite indices)." in text
    assert "digital_index: dfi_usage 0.600, dfi_coverage 0.400" in text
    assert "![Coverage of the province panel (share of 31 provinces observed)](figures/china_coverage.png)" in text
    assert "- nbs_fsnd_gdp_v2025: 注：对1992年-2023年地区生产总值历史数据进行了系统修订。" in text
    assert "指标：地区生产总值" not in text          # header lines are in the table, not the footnote list


def test_section_without_data_says_so():
    empty = {k: v.iloc[0:0] for k, v in tables().items()}
    text = china_section(empty, {}, SETTINGS)
    assert "No province series is available." in text
    assert "No Martin indices: the GDP series are unavailable." in text
