"""The panel registry, the stages every panel runs (resilience.panels.stages) and the shared model's design check."""

import pandas as pd
import pytest

from resilience.errors import ConfigError
from resilience import panels
from resilience.panels import stages
from resilience.models.shock_exposure import check_design


def test_summaries_of_a_single_country_panel_take_its_country():
    # China's tables carry no group column: the summaries count the one country (CHN) as the one group
    martin = pd.DataFrame({"outcome": "gdp", "unit": ["CN11", "CN12", "CN13"], "episode": "covid",
                           "phase": "resistance", "g_unit": [1.0, 2.0, 6.0], "g_ref": 3.0,
                           "index_ratio": [-2 / 3, -1 / 3, 1.0], "index_pp": [-2.0, -1.0, 3.0]})
    summary = stages.martin_summary(panels.get("china").to_core(martin, {})).iloc[0]
    assert summary["units"] == 3 and summary["groups"] == 1
    assert panels.get("china").from_core(summary.to_frame().T)["countries"].tolist() == [1]
    assert summary["mean_index_pp"] == pytest.approx(0.0) and summary["median_index_pp"] == -1.0
    assert summary["share_better"] == pytest.approx(1 / 3)
    exposures = pd.DataFrame({"unit": ["CN11", "CN12", "CN13"], "episode": "covid", "variable": "dfi",
                              "value": [200.0, 300.0, 400.0]})
    row = stages.exposure_summary(panels.get("china").to_core(exposures, {})).iloc[0]
    assert (row["units"], row["groups"], row["mean"], row["sd"]) == (3, 1, 300.0, 100.0)


def test_country_tables_count_each_economy_as_its_own_country():
    martin = pd.DataFrame({"iso3": ["AAA", "BBB"], "episode": "gfc", "phase": "resistance", "g_unit": [-4.0, 2.0],
                           "g_ref": -1.0, "index_ratio": [-3.0, 3.0], "index_pp": [-3.0, 3.0], "note": ""})
    view = panels.get("countries").to_core(martin, {"measures": {"outcome": "mva_kd"}})
    assert view["group"].tolist() == ["AAA", "BBB"]
    summary = panels.get("countries").from_core(stages.martin_summary(view))
    row = summary.iloc[0]
    assert (row["outcome"], row["units"], row["countries"], row["share_better"]) == ("mva_kd", 2, 2, 0.5)


def test_country_settings_take_the_panel_models_and_the_countries_block():
    config = {"measures": {"outcome": "mva_kd"}, "panels": {"countries": {"design": {"standardize": True}, "bootstrap": {"reps": 99}}},
              "models": [{"name": "a", "kind": "panel"}, {"name": "b", "kind": "cross_section"}],
              "episodes": [{"name": "gfc"}, {"name": "covid"}], "figures": {"exposure": "dz", "cluster_exposure": "lq"}}
    settings = panels.get("countries").settings(config)
    assert [m["name"] for m in settings["models"]] == ["a"] and settings["bootstrap"] == {"reps": 99}
    assert settings["measures"] is config["measures"] and settings["episodes"] == ["gfc", "covid"]
    assert settings["figures"] == {"outcome": "mva_kd", "cluster_exposure": "lq", "digital_exposure": "dz"}
    with pytest.raises(ConfigError, match="expected one of \\['china', 'countries', 'eu'\\]"):
        panels.get("us")


def test_unknown_panel_or_figure_names_the_choices():
    with pytest.raises(ConfigError, match="expected one of \\['china', 'countries', 'eu'\\]"):
        stages.measures("us", pd.DataFrame(), {}, [])
    with pytest.raises(ConfigError, match="china_resistance_by_cluster"):
        stages.figure("china", "resistance_by_cluster", {}, {})


def test_the_registry_finds_every_panel_subpackage_under_its_id():
    assert panels.ids() == ("china", "countries", "eu")
    for panel_id in panels.ids():
        panel = panels.get(panel_id)
        assert isinstance(panel, panels.Panel) and panel.id == panel_id
        assert panel.panel_file == f"data/processed/{panel_id}_panel.parquet"
        assert "coverage" in panel.figures
        assert set(panel.stage_keys) == {"measures", "models", "figure"}
    # the regional panels have a report section of their own, the countries' is the report's main body
    assert [p for p in panels.ids() if panels.get(p).section_inputs is not None] == ["china", "eu"]


def test_design_check():
    ok = {"fixed_effects": ["unit", "group_year"], "bootstrap_cluster": "group", "standardize": False}
    assert check_design(ok, "panels.eu.design") is ok
    with pytest.raises(ConfigError, match="panels.eu.design.fixed_effects"):
        check_design(ok | {"fixed_effects": ["year", "unit"]}, "panels.eu.design")
    with pytest.raises(ConfigError, match="bootstrap_cluster"):
        check_design(ok | {"bootstrap_cluster": "country"}, "panels.eu.design")


def test_country_figures_are_the_shared_tercile_and_coverage_figures(tmp_path):
    # six economies: resistance -3..2 pp, lq_manuf rising with it -> terciles (-2.5, -0.5, 1.5)
    units = ["AAA", "BBB", "CCC", "DDD", "EEE", "FFF"]
    martin = pd.DataFrame({"iso3": units, "episode": "gfc", "phase": "resistance", "g_unit": 0.0, "g_ref": 0.0,
                           "index_ratio": 0.0, "index_pp": [-3.0, -2.0, -1.0, 0.0, 1.0, 2.0], "note": ""})
    exposures = pd.DataFrame({"iso3": units, "episode": "gfc", "variable": "lq_manuf",
                              "value": [0.5, 0.6, 0.9, 1.0, 1.4, 1.5], "year_used": 2007})
    coverage = pd.DataFrame({"series": ["mva_kd"], "dataset": ["ama"], "vintage": ["v"], "n_economies": [6],
                             "first_year": [1995], "last_year": [2023], "share_missing": [0.25], "n_flagged": [0]})
    inputs = {}
    for name, frame in (("martin", martin), ("exposures", exposures), ("coverage", coverage)):
        frame.to_csv(tmp_path / f"{name}.csv", index=False)
        inputs[name] = tmp_path / f"{name}.csv"
    config = {"measures": {"outcome": "mva_kd", "benchmark": "world_sum"}, "models": [],
              "episodes": [{"name": "gfc"}], "figures": {"exposure": "digital_z", "cluster_exposure": "lq_manuf"},
              "panels": {"countries": {}}}
    settings = panels.get("countries").settings(config)
    labels = {"terms": {"mva_kd": "manufacturing value added", "world_sum": "the world total",
                        "lq_manuf": "manufacturing location quotient", "gfc": "2008-09 financial crisis"}}
    fig = stages.figure("countries", "resistance_by_cluster", inputs, {**settings, "labels": labels})
    bars = [a for a in fig.findobj() if a.get_gid() == "bar"]
    assert [b.get_height() for b in bars] == pytest.approx([-2.5, -0.5, 1.5])
    # in words (config labels), never the internal names
    assert fig.axes[0].get_title().replace("\n", " ") == ("Countries: resistance of manufacturing value added, 2008-09 financial "
                                       "crisis, against the world total")
    assert fig.axes[0].get_xlabel() == "Tercile of manufacturing location quotient (range)"
    # the digital exposure is absent: the figure says so instead of drawing bars
    fig = stages.figure("countries", "resistance_by_digital", inputs, settings)
    assert [a for a in fig.findobj() if a.get_gid() == "unavailable"] and not [
        a for a in fig.findobj() if a.get_gid() == "bar"]
    fig = stages.figure("countries", "coverage", inputs, settings)
    assert [b.get_width() for b in fig.findobj() if b.get_gid() == "bar"] == pytest.approx([25.0])


def test_model_tables_render_as_regression_tables_with_their_bootstrap_or_plain():
    from resilience.models.coefs import COEF_COLUMNS
    row = {c: None for c in COEF_COLUMNS} | {
        "model": "m", "episode": "", "term": "contraction_gfc_x_digital_z", "coef": -1.5, "se": 0.5, "t": -3.0,
        "p": 0.004, "ci_low": -2.5, "ci_high": -0.5, "nobs": 100, "r2": 0.2, "r2_within": 0.1, "entity_effects": True,
        "time_effects": True, "cov_type": "clustered (entity)", "small_sample": "CR1", "n_clusters": 20}
    coefs = pd.DataFrame([row | {"p_boot": 0.012, "boot_ci_low": float("nan"), "boot_ci_high": float("nan")}])
    text = stages.models_markdown(coefs)
    assert "| contraction_gfc_x_digital_z | -1.500\\*\\*\\* |" in text
    assert text.endswith("Wild cluster bootstrap:\n\n| model | term | p_boot | boot_ci_low | boot_ci_high |\n"
                         "|---|---|---|---|---|\n| m | contraction_gfc_x_digital_z | 0.012 |  |  |\n")
    assert r"-1.500$^{***}$" in stages.models_latex(coefs)
    # the provinces' own layout: a plain table in both renderings
    plain = pd.DataFrame({"model": ["cn"], "term": ["contraction_covid_x_dfi"], "coef": [0.1375], "p_boot": [0.84]})
    assert stages.models_markdown(plain) == ("| model | term | coef | p_boot |\n|---|---|---|---|\n"
                                             "| cn | contraction_covid_x_dfi | 0.138 | 0.840 |\n")
    assert r"cn & contraction\_covid\_x\_dfi & 0.138 & 0.840 \\" in stages.models_latex(plain)


def test_each_stage_reads_only_its_config_slice():
    config = {"measures": {"outcome": "mva_kd"}, "panels": {"countries": {"design": {"standardize": True}, "bootstrap": {"reps": 99}}},
              "models": [{"name": "a", "kind": "panel"}], "episodes": [{"name": "gfc"}],
              "figures": {"exposure": "dz", "cluster_exposure": "lq"}}
    countries = panels.get("countries")
    assert countries.stage_settings(config, "measures") == {"measures": {"outcome": "mva_kd"}}
    assert sorted(countries.stage_settings(config, "models")) == ["bootstrap", "design", "models"]
    assert sorted(countries.stage_settings(config, "figure")) == ["episodes", "figures", "measures"]
    eu = {"measures": 1, "growth": 2, "models": 3, "design": 4, "bootstrap": 5, "figures": 6, "episodes": 7, "map": 8}
    assert panels.get("eu").stage_settings({"panels": {"eu": eu}}, "measures") == {"measures": 1, "growth": 2}
    assert panels.get("eu").settings({"panels": {"eu": eu}}) is eu
    with pytest.raises(ConfigError, match="no stage 'section'"):
        panels.get("eu").stage_settings({"panels": {"eu": eu}}, "section")


def test_martin_summary_leaves_out_a_country_s_only_region_where_the_benchmark_is_the_own_country():
    # LU00 is Luxembourg's only region: against Luxembourg it is 0 by construction. AT11-AT13: -2, 1, 4.
    martin = pd.DataFrame({"outcome": "gva", "unit": ["AT11", "AT12", "AT13", "LU00"], "group": ["AT", "AT", "AT", "LU"],
                           "episode": "covid", "phase": "resistance", "g_unit": [-6.0, -3.0, 0.0, -5.0],
                           "g_ref": [-4.0, -4.0, -4.0, -5.0], "index_ratio": [-0.5, 0.25, 1.0, 0.0],
                           "index_pp": [-2.0, 1.0, 4.0, 0.0]})
    kept = stages.martin_summary(martin, drop_sole_units=True).iloc[0]
    assert (kept["units"], kept["groups"], kept["units_with_ref"], kept["excluded_sole_units"]) == (3, 1, 3, 1)
    assert kept["share_better"] == pytest.approx(2 / 3) and kept["median_index_pp"] == 1.0
    assert kept["mean_index_pp"] == pytest.approx(1.0) and kept["median_g_unit"] == -3.0
    # with LU00 in, its mechanical 0 pulls the median to 0.5 and share_better to 1/2
    plain = stages.martin_summary(martin).iloc[0]
    assert (plain["units"], plain["excluded_sole_units"], plain["median_index_pp"]) == (4, 0, 0.5)
    assert plain["share_better"] == pytest.approx(0.5)


def test_only_the_eu_panel_benchmarks_against_the_unit_s_own_group():
    # an economy is its own group in the country panel, but its benchmark is the world: nothing is mechanical
    assert panels.get("eu").martin_benchmark_is_group
    assert not panels.get("countries").martin_benchmark_is_group and not panels.get("china").martin_benchmark_is_group
