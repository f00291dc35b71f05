"""Panel comparison (countries, EU regions, Chinese provinces): CI arithmetic, term mapping, the
unavailable rows, the config checks, the figure and the report section, on hand-made tables."""

import copy
import inspect
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from resilience.config import check_config, load_yaml, validate_schema
from resilience.errors import ConfigError, InputError
from resilience.figures.panel_comparison import panel_comparison_plot, panel_legend_label
from resilience.models.coefs import inference
from resilience import panel_comparison as pc
from resilience.models import coefs as coefs_module
from resilience.models.design import shock_design
from resilience.models.spec import parse_spec
from resilience.panel_comparison import (
    COLUMNS, STANDARDIZED_SCALE, bootstrap_level, bootstrap_path, comparison_table, exposure_scale, model_terms, notes_reason,
    panel_paths, resolve_panels,
)
from resilience.report.layout import split_appendix
from resilience.report.panel_comparison import comparison_section

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = load_yaml(ROOT / "config" / "config.yaml")
SCHEMA = load_yaml(ROOT / "config" / "schema.yaml")

# Student t quantiles (tables): t_0.975(9) = 2.262157, t_0.95(4) = 2.131847; normal z_0.975 = 1.959964.
T975_9, T95_4, Z975 = 2.262157162798205, 2.1318467863266495, 1.959963984540054

BLOCK = {"ci_level": 0.95, "terms": {"digital": "shock x digitalization", "cluster": "shock x cluster",
                                     "both": "shock x digitalization x cluster"}}
PANELS = [
    {"name": "countries", "label": "Countries", "source": "countries", "model": "m1", "episode": "covid",
     "dependent": "g_mva", "standardized": True, "exposure_scale": "z",
     "terms": {"digital": "contraction_covid_x_digital_z", "cluster": "contraction_covid_x_lq_manuf",
               "both": "contraction_covid_x_digital_z_x_lq_manuf"}},
    {"name": "eu", "label": "EU regions", "source": "eu", "model": "eu1", "episode": "covid",
     "dependent": "g_emp", "standardized": False, "exposure_scale": "raw",
     "terms": {"digital": "contraction_covid_x_digital_z", "cluster": "contraction_covid_x_lq_industry",
               "both": "contraction_covid_x_digital_z_x_lq_industry"}},
    {"name": "china", "label": "Provinces", "source": "china", "model": "cn1", "episode": "covid",
     "dependent": "g_gdp", "standardized": True, "exposure_scale": "z",
     "terms": {"digital": "contraction_covid_x_dfi", "cluster": "contraction_covid_x_sec_lq", "both": None}},
]


def coefs(model, rows, nobs=100, clusters=10):
    return pd.DataFrame([{"model": model, "term": t, "coef": b, "se": s, "nobs": nobs, "n_clusters": clusters}
                         for t, b, s in rows])


def tables():
    return {
        "countries": coefs("m1", [("contraction_covid_x_digital_z", 0.5, 0.2),
                                  ("contraction_covid_x_lq_manuf", -1.0, 0.5),
                                  ("contraction_covid_x_digital_z_x_lq_manuf", 0.25, 0.1),
                                  ("recovery_covid_x_digital_z", 9.0, 9.0)], nobs=1000, clusters=10),
        # the EU model lost digital_z for lack of data: only the LQ term is in its table
        "eu": coefs("eu1", [("contraction_covid_x_lq_industry", 2.0, 1.0)], nobs=500, clusters=5),
        "china": coefs("cn1", [("contraction_covid_x_dfi", 0.0, 1.0), ("contraction_covid_x_sec_lq", 1.0, 1.0)],
                       nobs=270, clusters=np.nan),
    }


def row(table, panel, key):
    hit = table[(table["panel"] == panel) & (table["term_key"] == key)]
    assert len(hit) == 1
    return hit.iloc[0]


# --- CI arithmetic -------------------------------------------------------------------------------

def one_term(coef, se, clusters, level=0.95):
    """(ci_low, ci_high, df) of a single-term comparison (the countries panel, digitalization term)."""
    panel = {**PANELS[0], "terms": {"digital": "contraction_covid_x_digital_z", "cluster": None, "both": None}}
    table = comparison_table({"countries": coefs("m1", [("contraction_covid_x_digital_z", coef, se)],
                                                 clusters=clusters)},
                             {**BLOCK, "ci_level": level}, [panel])
    r = table.iloc[0]
    return r["ci_low"], r["ci_high"], r["df"]


def test_ci_is_t_with_clusters_minus_one_df():
    low, high, df = one_term(0.5, 0.2, 10)
    assert df == 9
    assert low == pytest.approx(0.5 - T975_9 * 0.2, abs=1e-12)   # 0.04756857
    assert high == pytest.approx(0.952431432559641, abs=1e-12)


def test_ci_level_and_normal_fallback():
    low, high, df = one_term(1.0, 1.0, 5, level=0.90)
    assert (df, low, high) == (4, pytest.approx(1 - T95_4), pytest.approx(1 + T95_4))
    low, high, df = one_term(0.0, 1.0, np.nan)
    assert np.isnan(df) and (low, high) == (pytest.approx(-Z975), pytest.approx(Z975))
    assert np.isnan(one_term(0.0, 1.0, 1)[2])   # one cluster: no t(0), normal


def test_inference_level_defaults_to_95_percent():
    assert inference(np.array([0.5]), np.array([0.2]), df=9)["ci_low"][0] == pytest.approx(0.5 - T975_9 * 0.2)
    assert inference(np.array([1.0]), np.array([1.0]), df=4, level=0.90)["ci_high"][0] == pytest.approx(1 + T95_4)


def test_intervals_come_from_the_models_inference(monkeypatch):
    """No interval code of its own: the comparison calls resilience.models.coefs.inference with df = G - 1."""
    assert not hasattr(pc, "confidence_interval")
    calls = []

    def fake(coef, se, df, level=0.95):
        calls.append((coef, se, df, level))
        return {"t": 0.0, "p": 1.0, "ci_low": -111.0, "ci_high": 222.0}

    monkeypatch.setattr(coefs_module, "inference", fake)
    assert one_term(0.5, 0.2, 10, level=0.9)[:2] == (-111.0, 222.0)
    assert calls == [(0.5, 0.2, 9.0, 0.9)]


def test_ci_matches_the_model_tables_own_intervals():
    """The country and EU tables state t(G-1) intervals (models.coefs.inference); recomputing agrees."""
    own = inference(np.array([0.5, -1.3]), np.array([0.2, 0.7]), df=171)
    for i, (b, s) in enumerate([(0.5, 0.2), (-1.3, 0.7)]):
        low, high, _ = one_term(b, s, 172)
        assert (low, high) == (pytest.approx(own["ci_low"][i]), pytest.approx(own["ci_high"][i]))


# --- term mapping and unavailable rows -----------------------------------------------------------

def test_one_row_per_panel_and_term_in_config_order():
    table = comparison_table(tables(), BLOCK, PANELS)
    assert list(table.columns) == COLUMNS
    assert list(zip(table["panel"], table["term_key"])) == [
        (p, k) for p in ("countries", "eu", "china") for k in ("digital", "cluster", "both")]
    both = row(table, "countries", "both")
    assert (both["term"], both["term_label"], both["status"]) == (
        "contraction_covid_x_digital_z_x_lq_manuf", "shock x digitalization x cluster", "estimated")
    assert (both["coef"], both["se"], both["df"]) == (0.25, 0.1, 9)
    assert both["ci_low"] == pytest.approx(0.25 - 0.2262157162798205)
    assert (both["nobs"], both["n_clusters"], both["dependent"]) == (1000, 10, "g_mva")
    eu = row(table, "eu", "cluster")
    # t_0.975(4) = 2.776445: 2 -/+ 2.776445
    assert (eu["ci_low"], eu["ci_high"]) == (pytest.approx(-0.7764451), pytest.approx(4.7764451))
    assert not eu["standardized"] and eu["exposure_scale"] == "raw"
    china = row(table, "china", "cluster")
    assert (china["ci_low"], china["ci_high"]) == (pytest.approx(1 - Z975), pytest.approx(1 + Z975))
    assert pd.isna(china["n_clusters"]) and np.isnan(china["df"])


def test_missing_terms_models_and_files_are_kept_with_the_reason():
    data = tables()
    data["countries"] = None                               # file absent
    notes = {"eu": "exposures left out for lack of data: digital_z"}
    data["china"] = coefs("cn_other", [("contraction_covid_x_dfi", 1.0, 1.0)])   # model absent
    table = comparison_table(data, BLOCK, PANELS, notes)
    assert len(table) == 9
    assert (table["status"] == "unavailable").sum() == 8
    assert row(table, "countries", "digital")["reason"] == "results/tables/countries_models.csv is absent"
    eu = row(table, "eu", "digital")
    assert eu["reason"] == ("term contraction_covid_x_digital_z is not in model eu1's rows of "
                            "results/tables/eu_models.csv (exposures left out for lack of data: digital_z)")
    assert pd.isna(eu["coef"]) and pd.isna(eu["nobs"])
    assert row(table, "eu", "cluster")["status"] == "estimated"
    assert row(table, "china", "digital")["reason"] == "model cn1 is not in results/tables/china_models.csv"
    assert row(table, "china", "both")["reason"] == "model cn1 has no such term (configured null)"


def test_null_term_is_unavailable_even_when_the_model_is_estimated():
    table = comparison_table(tables(), BLOCK, PANELS)
    china = row(table, "china", "both")
    assert (china["status"], china["term"]) == ("unavailable", "")


def test_bad_tables_fail_naming_the_file():
    data = tables()
    data["eu"] = data["eu"].drop(columns="n_clusters")
    with pytest.raises(InputError, match=r"results/tables/eu_models.csv.*n_clusters"):
        comparison_table(data, BLOCK, PANELS)
    data = tables()
    data["eu"] = pd.concat([data["eu"], data["eu"]])
    with pytest.raises(InputError, match="2 rows for term 'contraction_covid_x_lq_industry'"):
        comparison_table(data, BLOCK, PANELS)


def test_notes_reason_reads_each_sources_notes():
    eu = {"panel_models": [{"model": "a", "estimable": False, "reason": "no exposure with data"},
                           {"model": "b", "estimable": True, "exposures_dropped": ["digital_z"], "episodes_dropped": []}]}
    assert notes_reason("eu", eu, "a") == "not estimable: no exposure with data"
    assert notes_reason("eu", eu, "b") == "exposures left out for lack of data: digital_z"
    china = {"x": {"skipped": "no data for the dependent g_gdp"}, "y": {"units": 30}}
    assert notes_reason("china", china, "x") == "skipped: no data for the dependent g_gdp"
    assert notes_reason("china", china, "y") == ""
    assert notes_reason("countries", {"units": 3}, "m") == ""


def test_paths_per_source():
    assert panel_paths(PANELS[0]) == ("results/tables/countries_models.csv", "results/models/countries_models.json")
    assert panel_paths(PANELS[1]) == ("results/tables/eu_models.csv", "results/models/eu_models.json")


def test_model_terms_are_named_by_the_design(monkeypatch):
    """The names come from resilience.models.design.term_name (no second naming rule)."""
    monkeypatch.setattr(pc, "term_name", lambda *parts: "|".join(parts))
    entry = {"exposures": ["a", "b"], "controls": [], "interact_exposures": True, "phases": ["recovery"]}
    assert model_terms(entry, "gfc") == ["recovery|gfc|a", "recovery|gfc|b", "recovery|gfc|a|b"]


def test_model_terms_are_the_design_columns():
    """The list equals the shock terms shock_design builds for the same model (order included)."""
    entry = {"name": "m", "kind": "panel", "dependent": "y", "exposures": ["a", "b"], "controls": ["c"],
             "interact_exposures": True, "phases": ["contraction", "recovery"], "effects": ["entity", "time"],
             "cov": "clustered"}
    panel = pd.DataFrame({"unit": ["X"] * 4 + ["Y"] * 4, "year": [2007, 2008, 2009, 2010] * 2,
                          "y": [1.0, 2.0, 3.0, 4.0, 2.0, 1.0, 0.0, 5.0]})
    exposures = pd.DataFrame([{"unit": u, "episode": "gfc", "variable": v, "value": x}
                              for u, x in (("X", 1.0), ("Y", 2.0)) for v in ("a", "b", "c")])
    episode = {"name": "gfc", "contraction": [2008, 2009], "recovery": [2009, 2010]}
    design, _ = shock_design(panel, exposures, [episode], parse_spec(entry))
    assert model_terms(entry, "gfc") == [c for c in design.columns if c != "y"] == [
        "contraction_gfc_x_a", "contraction_gfc_x_b", "contraction_gfc_x_a_x_b", "contraction_gfc_x_c",
        "recovery_gfc_x_a", "recovery_gfc_x_b", "recovery_gfc_x_a_x_b", "recovery_gfc_x_c"]


def test_exposure_scale_notes_match_the_estimating_code():
    """The notes say which code standardizes, following each panel block's design.standardize (countries included)."""
    from resilience.panels.countries import models as country_models
    from resilience.config import load_yaml
    from resilience.models import shock_exposure as regional_models
    # every panel runs one model; whether it standardizes is each block's `design.standardize`
    assert "run_shock_models" in inspect.getsource(country_models.run_models)
    assert "fit_shock_exposure" in inspect.getsource(regional_models.run_shock_models)
    assert "standardize_exposures" in inspect.getsource(regional_models.fit_shock_exposure)
    config = load_yaml(Path(__file__).resolve().parents[1] / "config" / "config.yaml")
    for source in ("china", "countries", "eu"):
        for standardize in (True, False):
            own = config["panels"][source]
            block = {**own, "design": {**own["design"], "standardize": standardize}}
            standardized, scale = exposure_scale({**config, "panels": {**config["panels"], source: block}}, source)
            assert standardized is standardize and scale.startswith("z-scores" if standardize else "NOT"), source
    assert exposure_scale(config, "countries") == (True, STANDARDIZED_SCALE)


# --- config --------------------------------------------------------------------------------------

@pytest.fixture
def cfg():
    return copy.deepcopy(SHIPPED)


def error_of(config) -> str:
    with pytest.raises(ConfigError) as info:
        validate_schema(config, SCHEMA)
        check_config(config, root=ROOT)
    return str(info.value)


def panel(config, name):
    return next(p for p in config["panel_comparison"]["panels"] if p["name"] == name)


def test_shipped_block_resolves():
    panels = resolve_panels(SHIPPED)
    assert [(p["name"], p["model"], p["dependent"], p["standardized"]) for p in panels] == [
        ("countries", "main_twfe", "g_mva", True), ("eu", "eu_gva_volume", "g_gva_volume", True),
        ("china", "china_real_gdp", "g_gdp", True)]


def test_unknown_model_names_the_key(cfg):
    panel(cfg, "eu")["model"] = "eu_gva_volme"
    message = error_of(cfg)
    assert "panel_comparison.panels.eu.model: 'eu_gva_volme'" in message
    assert "eu_gva_volume" in message


def test_a_country_model_of_another_kind_is_refused(cfg):
    panel(cfg, "countries")["model"] = "cross_section"
    assert "is not a panel model of source 'countries'" in error_of(cfg)


def test_unknown_term_lists_the_models_terms(cfg):
    panel(cfg, "countries")["terms"]["cluster"] = "contraction_covid_x_lq_manu"
    message = error_of(cfg)
    assert "panel_comparison.panels.countries.terms.cluster: 'contraction_covid_x_lq_manu'" in message
    assert "contraction_covid_x_lq_manuf" in message


def test_product_term_of_a_model_without_products_is_refused(cfg):
    panel(cfg, "china")["terms"]["digital_x_cluster"] = "contraction_covid_x_dfi_x_sec_lq"
    assert "is not a term of model 'china_real_gdp'" in error_of(cfg)


def test_wrong_episode_and_term_keys(cfg):
    bad = copy.deepcopy(cfg)
    panel(bad, "china")["episode"] = "gfc"
    assert "panel_comparison.panels.china.episode: 'gfc'" in error_of(bad)
    bad = copy.deepcopy(cfg)
    del panel(bad, "eu")["terms"]["digital_x_cluster"]
    panel(bad, "eu")["terms"]["digital_cluster"] = None
    message = error_of(bad)
    assert "unknown ['digital_cluster'], missing ['digital_x_cluster']" in message


def test_duplicate_panels_and_unknown_source(cfg):
    bad = copy.deepcopy(cfg)
    bad["panel_comparison"]["panels"].append(copy.deepcopy(panel(bad, "countries")))
    assert "names must be unique" in error_of(bad)
    bad = copy.deepcopy(cfg)
    panel(bad, "countries")["source"] = "us_states"
    assert ("panel_comparison.panels.countries.source: 'us_states' is not a panel "
            "(expected one of ['china', 'countries', 'eu'])") in error_of(bad)


# --- figure and section --------------------------------------------------------------------------

def test_figure_marks_every_panel_and_lists_what_is_missing():
    table = comparison_table(tables(), BLOCK, PANELS, {"eu": "exposures left out for lack of data: digital_z"})
    fig = panel_comparison_plot(table)
    ax = fig.axes[0]
    points = {a.get_gid(): a for a in ax.lines if str(a.get_gid()).startswith("points_")}
    assert list(points) == ["points_countries", "points_eu", "points_china"]
    assert list(points["points_countries"].get_xdata()) == [0.5, -1.0, 0.25]
    assert list(points["points_eu"].get_xdata()) == [2.0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["Countries (N = 1,000, 10 clusters)", "EU regions (N = 500, 5 clusters)",
                      "Provinces (N = 270, n/a clusters)"]
    assert [t.get_text() for t in ax.get_yticklabels()] == list(BLOCK["terms"].values())
    note = next(t.get_text() for t in fig.texts if t.get_gid() == "caption")
    note = note.replace("\n", " ")
    assert "EU regions: shock x digitalization, shock x digitalization x cluster; Provinces: shock x" in note
    assert "EU regions (g_emp): raw units, not standardized" in note
    assert "Countries (g_mva): per 1 SD (z-scores)" in note


def test_figure_draws_bootstrap_intervals_only_where_a_panel_has_them():
    table = comparison_table(tables(), BLOCK, PANELS)
    table["boot_ci_low"], table["boot_ci_high"] = np.nan, np.nan
    china = (table["panel"] == "china") & (table["status"] == "estimated")
    table.loc[china, ["boot_ci_low", "boot_ci_high"]] = [-1.5, 3.5]
    ax = panel_comparison_plot(table).axes[0]
    boot = {c.get_gid(): c for c in ax.collections if str(c.get_gid()).startswith("boot_ci_")}
    assert list(boot) == ["boot_ci_china"]
    segments = boot["boot_ci_china"].get_segments()
    analytic = next(c for c in ax.collections if c.get_gid() == "ci_china").get_segments()
    assert len(segments) == china.sum() == len(analytic)
    for whisker, under in zip(segments, analytic):
        assert list(whisker[:, 0]) == [-1.5, 3.5]
        assert whisker[0, 1] == pytest.approx(under[0, 1] - 0.08)
    note = next(t.get_text() for t in ax.figure.texts if t.get_gid() == "caption").replace("\n", " ")
    assert "Dotted whiskers: wild cluster bootstrap intervals" in note
    table[["boot_ci_low", "boot_ci_high"]] = np.nan
    ax = panel_comparison_plot(table).axes[0]
    assert not [c for c in ax.collections if str(c.get_gid()).startswith("boot_ci_")]


def test_legend_without_estimates():
    rows = pd.DataFrame({"panel_label": ["X"], "status": ["unavailable"], "nobs": [pd.NA], "n_clusters": [pd.NA]})
    assert panel_legend_label(rows) == "X (no estimate)"


def test_section_reads_its_numbers_from_the_table():
    table = comparison_table(tables(), BLOCK, PANELS)
    text = comparison_section(table)
    assert text.startswith("## Countries, EU regions and Chinese provinces on one specification")
    assert ("| Countries | m1 (g_mva) | covid | shock x digitalization (contraction_covid_x_digital_z) | 0.500 | "
            "0.200 | [0.048, 0.952] | 1,000 | 10 |") in text
    assert "| Provinces | cn1 (g_gdp) | covid | shock x digitalization x cluster (none) | n/a |" in text
    assert "- EU regions: raw units; raw." in text
    assert "- Provinces, shock x digitalization x cluster: model cn1 has no such term (configured null)." in text
    assert "(figures/panel_comparison.png)" in text
    # the plot stays in the main text; the long table and its notes go to the appendix
    main, appendix = split_appendix(text)
    assert "(figures/panel_comparison.png)" in main and "@tbl:panel_comparison" in main and "| Countries |" not in main
    assert appendix.startswith("## Countries, EU regions and Chinese provinces: every coefficient")
    assert "| Countries | m1 (g_mva)" in appendix and "- EU regions: raw units; raw." in appendix


def test_section_from_the_csv_as_written_and_read_back(tmp_path):
    from resilience.io import read_csv, write_csv
    write_csv(comparison_table(tables(), BLOCK, PANELS), tmp_path / "panel_comparison.csv")
    text = comparison_section(read_csv(tmp_path / "panel_comparison.csv"))
    assert "| Provinces | cn1 (g_gdp) | covid | shock x digitalization x cluster (none) | n/a |" in text
    assert "| EU regions | eu1 (g_emp) | covid | shock x cluster (contraction_covid_x_lq_industry) | 2.000 | 1.000 | " \
           "[-0.776, 4.776] | 500 | 5 |" in text
    assert "nan" not in text


# --- wild bootstrap columns ----------------------------------------------------------------------

def boot_inputs():
    """The country and EU bootstraps merged into their coefficient tables (countries_models.csv: p-values
    only, ci: false; eu_models.csv), the provinces' own table (china_wild_bootstrap.csv columns), as the
    workflow writes them."""
    data = tables()
    data["countries"] = data["countries"].assign(p_boot=0.375, boot_ci_low=np.nan, boot_ci_high=np.nan,
                                                 boot_clusters=10, boot_reps=999, boot_weights="webb", boot_seed=1)
    data["eu"] = data["eu"].assign(p_boot=0.0421, boot_ci_low=0.1234, boot_ci_high=3.9, boot_clusters=4,
                                   boot_reps=999, boot_weights="webb", boot_seed=1)
    china = pd.DataFrame({"model": ["cn1", "cn1"], "term": ["contraction_covid_x_dfi", "contraction_covid_x_sec_lq"],
                          "coef": [0.0, 1.0], "se_cluster": [1.0, 1.0], "t": [0.0, 1.0], "p_cluster_t": [1.0, 0.3],
                          "p_boot": [0.9876, 0.25], "ci_low": [-2.5, -1.25], "ci_high": [2.5, np.nan],
                          "ci_method": "inversion", "null": 0.0, "reps": 9999, "clusters": 31, "nobs": 270,
                          "weights": "rademacher", "seed": 1, "small_sample": "CR1"})
    return data, {"countries": data["countries"], "eu": data["eu"], "china": china}, \
        {"countries": 0.95, "eu": 0.95, "china": 0.9}


def test_bootstrap_columns_where_the_panel_has_them():
    data, boots, levels = boot_inputs()
    table = comparison_table(data, BLOCK, PANELS, boots=boots, boot_levels=levels)
    assert list(table.columns) == COLUMNS
    eu = row(table, "eu", "cluster")
    assert (eu["boot_p"], eu["boot_ci_low"], eu["boot_ci_high"], eu["boot_ci_level"]) == (0.0421, 0.1234, 3.9, 0.95)
    assert (eu["boot_clustered_by"], eu["boot_clusters"], eu["boot_reps"], eu["boot_weights"], eu["boot_reason"]) == (
        "country", 4, 999, "webb", "")
    china = row(table, "china", "digital")
    assert (china["boot_p"], china["boot_ci_low"], china["boot_ci_high"], china["boot_ci_level"]) == (
        0.9876, -2.5, 2.5, 0.9)
    assert (china["boot_clustered_by"], china["boot_clusters"], china["boot_reps"]) == ("province", 31, 9999)
    no_ci = row(table, "china", "cluster")            # p-value but no interval: level empty, reason given
    assert no_ci["boot_p"] == 0.25 and np.isnan(no_ci["boot_ci_level"])
    assert no_ci["boot_reason"] == "bootstrap interval not computed in results/tables/china_wild_bootstrap.csv"
    country = row(table, "countries", "digital")      # p-value by economy, no interval (ci: false)
    assert (country["boot_p"], country["boot_clustered_by"], country["boot_clusters"]) == (0.375, "economy", 10)
    assert np.isnan(country["boot_ci_low"]) and np.isnan(country["boot_ci_level"])
    assert country["boot_reason"] == "bootstrap interval not computed in results/tables/countries_models.csv"
    assert row(table, "china", "both")["boot_reason"] == "no estimate (see reason)"


def test_bootstrap_absent_or_incomplete():
    data, boots, levels = boot_inputs()
    table = comparison_table(data, BLOCK, PANELS, boots={"countries": boots["countries"], "eu": boots["eu"]},
                             boot_levels=levels)
    assert row(table, "china", "digital")["boot_reason"] == "results/tables/china_wild_bootstrap.csv is absent"
    other = boots["china"].assign(model="cn_other")
    table = comparison_table(data, BLOCK, PANELS, boots={**boots, "china": other}, boot_levels=levels)
    assert row(table, "china", "digital")["boot_reason"] == (
        "no bootstrap p-value for term contraction_covid_x_dfi of model cn1 in results/tables/china_wild_bootstrap.csv")
    with pytest.raises(InputError, match=r"china_wild_bootstrap.csv.*p_boot"):
        comparison_table(data, BLOCK, PANELS, boots={**boots, "china": boots["china"].drop(columns="p_boot")})


def test_bootstrap_paths_and_levels():
    assert [bootstrap_path(p) for p in PANELS] == [
        "results/tables/countries_models.csv", "results/tables/eu_models.csv", "results/tables/china_wild_bootstrap.csv"]
    assert bootstrap_level("countries", {"reps": 999, "ci": False}) == pytest.approx(0.95)
    assert bootstrap_level("china", {"alpha": 0.1, "reps": 99}) == pytest.approx(0.9)
    # the EU models pass no alpha: the wild_cluster_bootstrap default (0.05) applies
    from resilience.panels.eu import models as eu_models
    assert "alpha" not in inspect.getsource(eu_models.fit_panel_model)
    assert bootstrap_level("eu", {"reps": 999}) == pytest.approx(0.95)


def test_section_quotes_the_bootstrap_beside_the_coefficient(tmp_path):
    from resilience.io import read_csv, write_csv
    data, boots, levels = boot_inputs()
    write_csv(comparison_table(data, BLOCK, PANELS, boots=boots, boot_levels=levels), tmp_path / "t.csv")
    text = comparison_section(read_csv(tmp_path / "t.csv"))
    assert "| 500 | 5 | 0.042 | [0.123, 3.900] |" in text
    assert "| Provinces | cn1 (g_gdp) | covid | shock x digitalization (contraction_covid_x_dfi) | 0.000 | 1.000 | " \
           "[-1.960, 1.960] | 270 | n/a | 0.988 | [-2.500, 2.500] |" in text
    assert "| 1,000 | 10 | 0.375 | n/a |" in text
    assert "- EU regions: clustered by country, 4 clusters, 999 draws, webb weights, 95% interval." in text
    assert "- Provinces: clustered by province, 31 clusters, 9,999 draws, rademacher weights, 90% interval." in text
    assert "- Countries: clustered by economy, 10 clusters, 999 draws, webb weights, no interval." in text
    assert "- Countries, shock x digitalization, shock x cluster, shock x digitalization x cluster: bootstrap " \
           "interval not computed in results/tables/countries_models.csv." in text
    assert "| 270 | n/a | 0.250 | n/a |" in text
    assert "- Provinces, shock x cluster: bootstrap interval not computed in " in text
    assert "nan" not in text


def test_the_block_is_required_by_the_schema(cfg):
    del cfg["panel_comparison"]
    assert "'panel_comparison' is a required property" in error_of(cfg)
