"""build_report / render_html on small hand-made results (the tables workflow/scripts/report.py reads).

The tables go through write_csv + read_csv, as in the pipeline, so the report sees the same dtypes
(empty cells as NaN, booleans parsed) it sees in a real run.
"""

import copy
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from resilience.config import load_yaml
from resilience.io import read_csv, write_csv
from resilience.report.build import build_report, render_html
from resilience.report.text import fmt

CONFIG = load_yaml(Path(__file__).resolve().parents[2] / "config" / "config.yaml")
SHA_B = "0123456789abcdef" * 4

PROVENANCE = pd.DataFrame([
    # series, label, rank, dataset, code, status, vintage, mode, file, sha256, url, n_economies,
    # first_year, last_year, n_flagged, message
    ("mva_kd", "Manufacturing", 1, "unsd_ama_constant", "Manufacturing (ISIC D)", "unavailable", "", "mirror", "",
     "", "https://a", 0, None, None, 0, "file not in the mirror"),
    ("mva_kd", "Manufacturing", 2, "wdi_nv_ind_manf_kd", "NV.IND.MANF.KD", "used", "2024-06", "live", "m.json",
     SHA_B, "https://b", 2, 2000, 2002, 0, ""),
    ("broadband", "Broadband", 1, "wdi_it_net_bbnd_p2", "IT.NET.BBND.P2", "no data", "", "live", "b.json",
     SHA_B, "https://c", 0, None, None, 0, "no economy rows for code 'IT.NET.BBND.P2'"),
], columns=["series", "label", "rank", "dataset", "code", "status", "vintage", "mode", "file", "sha256", "url",
            "n_economies", "first_year", "last_year", "n_flagged", "message"])

COVERAGE = pd.DataFrame({"series": ["mva_kd"], "dataset": ["wdi_nv_ind_manf_kd"], "vintage": ["2024-06"],
                         "n_economies": [2], "first_year": [2000], "last_year": [2002],
                         "share_missing": [0.25], "n_flagged": [0]})
UNMATCHED = pd.DataFrame({"source": ["itu_internet"], "country_code": [""], "country_name": ["Ascension"],
                          "reason": ["name not recognised"]})
# gfc resistance: 3 economies, 2 with index_pp > 0 -> 67 %; CHN g_unit 12.84, index_pp 18.963
MARTIN = pd.DataFrame([
    ("AAA", "gfc", "resistance", -5.0, -6.123, 0.1834, 1.123, ""),
    ("BBB", "gfc", "resistance", -10.0, -6.123, -0.6332, -3.877, ""),
    ("CHN", "gfc", "resistance", 12.84, -6.123, 3.097, 18.963, ""),
    ("AAA", "gfc", "recovery", 20.0, 13.94, 0.4347, 6.06, ""),
], columns=["iso3", "episode", "phase", "g_unit", "g_ref", "index_ratio", "index_pp", "note"])
LOSS = pd.DataFrame({"episode": ["gfc", "gfc"], "iso3": ["AAA", "CHN"], "trend_growth": [2.0, 8.0],
                     "cumulative_loss": [4.0, -1.0], "peak_year": [2008, 2008], "peak": [1.0, 1.0],
                     "regain_year": [2011, None], "years_below_peak": [2, 16], "censored": [False, True],
                     "note": ["", ""]})
COMPOSITE = pd.DataFrame({"episode": ["gfc", "gfc", "gfc"], "indicator": ["internet", "mobile", "broadband"],
                          "coverage": [1.0, 0.9, 0.1], "included": [True, True, False],
                          "reason": ["", "", "coverage 0.10 below 0.6"], "entropy_weight": [0.4, 0.6, np.nan],
                          "pca_loading": [0.7071, 0.7071, np.nan], "pca_explained": [0.8, 0.8, 0.8],
                          "n_complete": [3, 3, 3]})
MAIN = pd.DataFrame({"model": ["main_twfe"], "episode": ["all"], "term": ["contraction_gfc_x_digital_z"],
                     "coef": [1.2345], "se": [0.5], "t": [2.469], "p": [0.01412], "ci_low": [0.2545],
                     "ci_high": [2.2145], "nobs": [100], "r2": [0.3], "r2_within": [0.2],
                     "entity_effects": [True], "time_effects": [True], "cov_type": ["clustered"],
                     "small_sample": ["x"], "n_clusters": [20], "p_boot": [0.0215], "boot_ci_low": [None],
                     "boot_ci_high": [None], "boot_clusters": [20], "boot_reps": [999], "boot_weights": ["webb"],
                     "boot_seed": [1]})


WEIGHTS = pd.DataFrame({"index": ["resilience_index", "digital_index"], "component": ["g_mva", "internet"],
                        "weight": [0.25, 0.125]})


BREAKS = pd.DataFrame({"measure": ["g_mva"], "series": ["mva_kd"], "iso3": ["VNM"], "year": [2010],
                       "changed": ["Includes Taxes less subsidies on production and imports."]})


def through_csv(frame, tmp_path, name):
    write_csv(frame, tmp_path / f"{name}.csv")
    return read_csv(tmp_path / f"{name}.csv")


@pytest.fixture
def results(tmp_path):
    tables = {"provenance": PROVENANCE, "coverage": COVERAGE, "unmatched": UNMATCHED, "martin": MARTIN,
              "loss": LOSS, "composite": COMPOSITE,
              "exposures": pd.DataFrame(columns=["iso3", "episode", "variable", "value", "year_used"]),
              "weights": WEIGHTS, "breaks": BREAKS}
    out = {name: through_csv(frame, tmp_path, name) for name, frame in tables.items()}
    # the panel models come as rows of countries_models.csv (rule panel_models): no Markdown file of their own
    out["models"] = {"main_twfe": through_csv(MAIN, tmp_path, "countries_models")}
    out["model_md"] = {}
    out["notes"] = {"main_twfe": {"nobs": 100, "n_entities": 20, "n_periods": 5, "n_dropped_units": 3,
                                  "small_sample": "CR1 (test)", "dropped_terms": ["a", "b"]}}
    out["figures"] = ["peer_paths", "output_by_tercile_gfc"]
    return out


@pytest.fixture
def settings():
    return {"episodes": copy.deepcopy(CONFIG["episodes"]), "measures": CONFIG["measures"],
            "models": [m for m in CONFIG["models"] if m["name"] == "main_twfe"], "years": CONFIG["years"],
            "figures": CONFIG["figures"], "labels": CONFIG["labels"]}


def test_unavailable_sources_section_lists_their_rows(results, settings):
    text = build_report(results, settings)
    section = text.split("### Unavailable sources")[1].split("## Coverage")[0]
    assert "| series | dataset | status | message |" in section
    assert "| mva_kd | unsd_ama_constant | unavailable | file not in the mirror |" in section
    assert "| broadband | wdi_it_net_bbnd_p2 | no data | no economy rows for code 'IT.NET.BBND.P2' |" in section
    assert "Series with no available source in this run: broadband." in section
    # used sources: the sha256 cut to 12 hex digits
    assert ("| mva_kd | Manufacturing | wdi_nv_ind_manf_kd | NV.IND.MANF.KD | 2024-06 | live | m.json | "
            "0123456789ab |") in text


def test_every_source_available(results, settings):
    results["provenance"] = results["provenance"][results["provenance"]["status"] == "used"]
    text = build_report(results, settings)
    assert "Every configured source was available." in text
    assert "Series with no available source in this run: none." in text


def test_martin_sentence_numbers_are_the_inputs_formatted(results, settings):
    text = build_report(results, settings)
    expected = (f"- 2008-09 global financial crisis: the benchmark changed by {fmt(-6.123, 1)}% over 2008-2009; "
                f"67% of the 3 economies did better (resistance > 0). "
                f"CHN: output change {fmt(12.84, 1)}%, resistance {fmt(18.963, 1)} pp. "
                f"In the recovery 2009-2011 the benchmark grew {fmt(13.94, 1)}%.")
    assert expected in text.splitlines()
    # i.e. -6.1 %, 12.8 %, 19.0 pp, 13.9 %
    assert "changed by -6.1% over" in expected and "resistance 19.0 pp" in expected
    assert ("- 2020 COVID-19 shock: no economy has the outcome in 2019 and 2020.") in text.splitlines()


def test_coverage_coefficients_notes_and_figures(results, settings):
    text = build_report(results, settings)
    assert "over 1995-2024" in text
    assert "| mva_kd | wdi_nv_ind_manf_kd | 2024-06 | 2 | 2000 | 2002 | 25% | 0 |" in text
    assert "Names or codes no source could match to an economy: 1 " in text
    assert "| itu_internet | name not recognised | 1 |" in text
    assert ("- 2008-09 global financial crisis, contraction x digitalization (z-score): 1.23 (se 0.50, "
            "p = 0.014, 95% CI 0.25 to 2.21; N = 100, clustered).") in text
    assert ("- 2020 COVID-19 shock, contraction x manufacturing location quotient: not estimated "
            "(term `contraction_covid_x_lq_manuf` absent).") in text
    assert ("Two-way FE, clustered by economy. Sample: 100 observations of 20 economies over 5 years; 3 economies left out for a missing "
            "pre-shock exposure or control; standard errors: CR1 (test) (details in "
            "`results/models/countries_models.json`).") in text.splitlines()
    # the regression table in words, its model as a column heading, the wild bootstrap p as a row
    assert "|  | Two-way FE, clustered by economy (all) |" in text
    assert ("| 2008-09 global financial crisis, contraction x digitalization (z-score) | 1.234\\*\\* |\n"
            "|  | (0.500) |\n| bootstrap p | [0.021] |") in text
    # the long side-by-side table opens the appendix: the models section refers to it there (no coefficient
    # plot among this report's figures, so none is referred to)
    assert "@tbl:" not in text and "all terms in Table 4 in the appendix)" in text and "plotted in" not in text
    assert text.index("## Appendix\n\n### The shock x exposure models, every term") < text.index("**Table 4.**")
    assert "| resilience_index | g_mva | 0.250 |" in text and "| digital_index | internet | 0.125 |" in text
    assert "Indicators used: gfc: internet, mobile." in text
    assert ("![Figure 1. Manufacturing value added at constant prices, index (base year on the axis), the focus "
            "economy and its peers.](figures/peer_paths.png)") in text
    assert "tercile (gfc).](figures/output_by_tercile_gfc.png)\n\n**Figure 2.** Manufacturing output" in text
    assert text.splitlines()[-3].startswith("- Martin, R. (2012).")


def test_build_report_is_deterministic(results, settings):
    assert build_report(results, settings) == build_report(results, settings)


def test_render_html_has_tables_and_images(results, settings):
    page = render_html(build_report(results, settings))
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"en\">")
    assert "<title>Resilience report</title>" in page
    assert "<table>" in page and page.count("<table>") >= 5
    assert page.count("<img ") == 2
    assert 'src="figures/peer_paths.png"' in page and 'src="figures/output_by_tercile_gfc.png"' in page
    assert page.endswith("</body>\n</html>\n")


def test_render_html_embeds_images_and_the_font(tmp_path):
    (tmp_path / "figures").mkdir()
    (tmp_path / "figures" / "a.png").write_bytes(b"\x89PNG\r\n\x1a\nfake")
    page = render_html("# T\n\n![A](figures/a.png)\n", tmp_path, font=b"OTTO")
    assert 'src="data:image/png;base64,iVBORw0KGgpmYWtl"' in page
    assert "src:url(data:font/otf;base64,T1RUTw==) format('opentype')" in page
    with pytest.raises(FileNotFoundError, match="figures/b.png"):
        render_html("![B](figures/b.png)\n", tmp_path)
    with pytest.raises(ValueError, match="not an input of the report rule"):
        render_html("![A](figures/a.png)\n", tmp_path, declared={"figures/c.png"})
    assert "base64" in render_html("![A](figures/a.png)\n", tmp_path, declared={"figures/a.png"})


def test_render_html_escapes_the_title():
    assert "<title>a &lt;b&gt; &amp; c</title>" in render_html("# x\n", title="a <b> & c")


def test_breaks_section_lists_each_break(results, settings):
    text = build_report(results, settings)
    assert "### Series breaks" in text
    assert "| g_mva | mva_kd | VNM | 2010 | Includes Taxes less subsidies on production and imports. |" in text


def test_loss_windows_are_read_from_the_config(results, settings):
    settings = {**settings, "measures": {**settings["measures"], "trend_years": 4, "peak_window": 7}}
    text = build_report(results, settings)
    assert "mean log growth of the 4 years up to the contraction start" in text
    assert "highest level of the 7 years up to the contraction start" in text


def test_plugged_in_sections_follow_the_built_ones_in_order_before_the_appendix(results, settings):
    results["figures"] = [*results["figures"], "coefficients_main"]
    results["sections"] = {"complex_risk": "## Complex risk\n\nGPR mean 100.0.\n",
                           "digital_divide": "\n## Digital divide\n\nOffline: 2.6 bn.\n\n",
                           "lineage": "## Provenance of the numbers\n\nraw files\n"}
    text = build_report(results, settings)
    risk, divide = text.index("\n## Complex risk"), text.index("\n## Digital divide")
    assert text.index("\n## Figures") < risk < divide < text.index("\n## Appendix")
    assert "## Complex risk\n\nGPR mean 100.0.\n\n## Digital divide\n\nOffline: 2.6 bn.\n" in text
    # with the coefficient plot in the report the models section points to it (figures: peer paths, a
    # tercile figure, then the coefficients) as well as to the table in the appendix
    assert "all terms in Table 4 in the appendix; plotted in Figure 3)" in text
    appendix = text[text.index("\n## Appendix"):]
    assert [line for line in appendix.splitlines() if line.startswith("#")] == [
        "## Appendix", "### The shock x exposure models, every term", "### Data sources", "### Unavailable sources", "### Coverage", "### Series breaks",
        "### Pooled composite indices", "### Provenance of the numbers", "### References"]


def test_summed_parts_are_reported_apart_from_the_unmatched(results, settings):
    reason = ("part of TZA: 835 U.R. of Tanzania: Mainland + 836 Zanzibar summed into TZA where every part has "
              "a value (578 of 918 series-years; the rest, with a part missing, not used)")
    parts = pd.DataFrame({"source": ["unsd_ama_constant"] * 2, "country_code": ["835", "836"],
                          "country_name": ["U.R. of Tanzania: Mainland", "Zanzibar"], "reason": [reason] * 2})
    results["unmatched"] = pd.concat([results["unmatched"], parts], ignore_index=True)
    text = build_report(results, settings)
    assert "Names or codes no source could match to an economy: 1 " in text
    assert ("so they enter the panel and the world benchmark: \"U.R. of Tanzania: Mainland\" (835) and "
            "\"Zanzibar\" (836) into TZA.") in text
    assert f"| unsd_ama_constant | 836 | Zanzibar | {reason} |" in text


def test_findings_come_first_after_the_title(results, settings):
    results["sections"] = {"plugged": "## Plugged\n\ntext\n"}
    results["findings"] = ("## Findings\n\nverdicts\n\n| hypothesis | panel | episode | coef [95% CI] | caveats | verdict |"
                           "\n|---|---|---|---|---|---|\n| Resistance x digitalization | Countries | gfc | -9.33 [-13.24, -5.42] "
                           "| 3 | contradicted |\n| Resistance x clusters | Countries | gfc | -1.23 [-2.98, 0.53] | 2 | "
                           "not supported |\n| Recovery x clusters | Countries | gfc | 1.65 [0.28, 3.02] | 1 | supported |\n"
                           "| Recovery x clusters | Countries | covid | 2.00 [0.50, 3.50] | 0 | supported |\n")
    text = build_report(results, settings)
    assert text.index("## Findings") < text.index("## Plugged") < text.index("### Data sources")
    assert text.index("# Industrial resilience") < text.index("## Findings")
    assert [line for line in text.splitlines() if line.startswith("## ")][:3] == [
        "## Contents", "## Abstract", "## Findings"]
    # the abstract counts the verdicts and quotes the decisive cells, and the focus economy's resistance
    assert ("on 1 panels, 4 claim x panel x episode cells in all. Verdicts: supported: 2; contradicted: 1; not "
            "supported: 1. Decisive cells: Resistance x digitalization (Countries, gfc): contradicted, -9.33 [-13.24, "
            "-5.42], 3 caveats; Recovery x clusters (Countries, gfc): supported, 1.65 [0.28, 3.02], 1 caveat; Recovery "
            "x clusters (Countries, covid): supported, 2.00 [0.50, 3.50], no caveat. The caveats (robustness checks a "
            "cell fails or cannot pass, and limits of its data) are listed under Findings.") in text
    assert ("make an economy's industrial and supply chains more resilient; each panel measures resilience on its "
            "own outcome") in text
    assert ("CHN's resistance: its output change in the contraction minus the world's, in percentage points (the "
            "Martin resistance index as a difference): 2008-09 global financial crisis: 19.0 pp.") in text


def test_references_cite_every_dataset_a_result_rests_on_not_only_the_country_panels():
    from resilience.report.build import references_section

    provenance = pd.DataFrame({"dataset": ["wdi_gdp", "wdi_gdp", "wdi_pop"], "status": ["used", "used", "unavailable"],
                               "vintage": ["2025-07", "2025-07", None], "url": ["https://wb/gdp"] * 2 + ["https://wb/pop"]})
    catalog = pd.DataFrame({"publisher": ["World Bank", "Caldara and Iacoviello"], "title": ["GDP", "GPR index"]},
                           index=["wdi_gdp", "gpr_monthly"])
    lineage = pd.DataFrame({"dataset": ["gpr_monthly", "gpr_monthly", "wdi_gdp", "epu_us"],
                            "status": ["ok", "ok", "ok", "unavailable"],
                            "url": ["https://gpr/x.xls", "https://gpr/x.xls", "https://wb/gdp", "https://epu/us"]})
    lines = references_section(provenance, catalog, lineage)
    datasets = [line for line in lines if "(dataset `" in line]
    assert datasets == [
        "- Caldara and Iacoviello. GPR index. <https://gpr/x.xls> (dataset `gpr_monthly`).",
        "- World Bank. GDP. Vintage 2025-07. <https://wb/gdp> (dataset `wdi_gdp`).",
    ]
    # without the lineage table, the country panel's series only
    assert [line for line in references_section(provenance, catalog) if "(dataset `" in line] == datasets[1:]
