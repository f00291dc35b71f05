"""Configuration: the shipped config validates, and each mistake is a ConfigError naming the key.

Every variant is a deep copy of the shipped config with one change, so a failure can only come
from that change.
"""

import copy
from pathlib import Path

import pytest
import yaml

from resilience.config import check_config, check_config_file, load_yaml, mirror_setting, validate_schema
from resilience.errors import ConfigError


def load_config(path, schema_path, *, root=".", overrides: dict | None = None) -> dict:
    """What the Snakefile does with a config file: read it, merge command-line overrides, validate."""
    config = load_yaml(path, config_file=True)
    config.update(overrides or {})
    config["raw_mirror"] = mirror_setting(config.get("raw_mirror"))
    validate_schema(config, load_yaml(schema_path))
    check_config(config, root=root)
    return config


ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "config" / "config.yaml"
SCHEMA = ROOT / "config" / "schema.yaml"

SHIPPED = load_yaml(CONFIG)
SCHEMA_DICT = load_yaml(SCHEMA)


@pytest.fixture
def cfg():
    return copy.deepcopy(SHIPPED)


def validate(config):
    """What load_config does after reading the YAML: schema first, then the cross-checks."""
    validate_schema(config, SCHEMA_DICT)
    check_config(config, root=ROOT)


def error_of(config) -> str:
    with pytest.raises(ConfigError) as info:
        validate(config)
    return str(info.value)


def model(config, name):
    return next(m for m in config["models"] if m["name"] == name)


# --- the shipped configuration ------------------------------------------------------------------

def test_shipped_config_validates():
    config = load_config(CONFIG, SCHEMA, root=ROOT)
    assert config["years"] == {"start": 1995, "end": 2024}
    assert [ep["name"] for ep in config["episodes"]] == ["gfc", "covid"]
    assert len(config["series"]) == 23
    assert config["measures"]["outcome"] == "mva_kd"
    assert [m["name"] for m in config["models"]] == ["main_twfe", "main_twfe_dk", "cross_section",
                                                    "composite_index"]


def test_validation_does_not_modify_the_config(cfg):
    validate(cfg)
    assert cfg == SHIPPED


def test_existing_raw_mirror_and_override_are_accepted(tmp_path):
    config = load_config(CONFIG, SCHEMA, root=ROOT, overrides={"raw_mirror": str(tmp_path)})
    assert config["raw_mirror"] == str(tmp_path)


def test_exposure_year_equal_to_contraction_start_is_allowed(cfg):
    cfg["episodes"][0]["exposure_year"] = 2008  # gfc contraction starts 2008: not after it
    # the complex-risk model takes its exposures from this episode and must start after them
    cfg["complex_risk"]["model"]["years"][0] = 2009
    validate(cfg)


# --- schema errors ------------------------------------------------------------------------------

def test_unknown_top_level_key(cfg):
    cfg["colour"] = "blue"
    message = error_of(cfg)
    assert "config/schema.yaml" in message
    assert "'colour'" in message and "(top level)" in message


def test_wrong_type_years_start_as_string(cfg):
    cfg["years"]["start"] = "1995"
    message = error_of(cfg)
    assert "years.start" in message
    assert "'1995' is not of type 'integer'" in message


def test_driscoll_kraay_model_without_bandwidth(cfg):
    del model(cfg, "main_twfe_dk")["bandwidth"]
    message = error_of(cfg)
    # main_twfe_dk is the second model -> key path models.1
    assert "models.1" in message and "'bandwidth' is a required property" in message


# --- cross-checks -------------------------------------------------------------------------------

def test_year_range_reversed(cfg):
    cfg["years"] = {"start": 2024, "end": 1995}
    message = error_of(cfg)
    assert message == "years: start (2024) must be before end (1995)"


def test_episode_outside_the_years(cfg):
    cfg["episodes"][1]["recovery"] = [2020, 2030]  # covid recovery ends after years.end 2024
    message = error_of(cfg)
    assert message == "episodes.covid.recovery: 2020-2030 lies outside years 1995-2024"


def test_episode_before_the_years(cfg):
    cfg["years"]["start"] = 2009  # gfc contraction 2008-2009 starts before 2009
    message = error_of(cfg)
    assert message == "episodes.gfc.contraction: 2008-2009 lies outside years 2009-2024"


def test_exposure_year_after_contraction_start(cfg):
    cfg["episodes"][0]["exposure_year"] = 2009  # gfc contraction starts 2008
    message = error_of(cfg)
    assert message.startswith("episodes.gfc.exposure_year: 2009 is after the contraction start 2008")


def test_unknown_dataset_in_series_sources(cfg):
    cfg["series"]["mva_kd"]["sources"][1]["dataset"] = "wdi_nope"
    message = error_of(cfg)
    assert message.startswith("series.mva_kd.sources: unknown dataset 'wdi_nope'")


def test_unknown_optional_dataset(cfg):
    cfg["sources"]["optional"].append("not_a_dataset")
    message = error_of(cfg)
    assert message == "sources.optional: unknown dataset 'not_a_dataset' (not in the catalog)"


def test_unknown_series_in_measures_outcome(cfg):
    cfg["measures"]["outcome"] = "mva_kk"
    message = error_of(cfg)
    assert message.startswith("measures.outcome: unknown series 'mva_kk'")


def test_unknown_series_in_digital_series(cfg):
    cfg["measures"]["digital"]["series"].append("telex")
    message = error_of(cfg)
    assert message.startswith("measures.digital.series: unknown series 'telex'")


def test_model_naming_an_unknown_variable(cfg):
    model(cfg, "main_twfe")["exposures"] = ["digital_z", "lq_manu"]
    message = error_of(cfg)
    assert message.startswith("models.main_twfe: unknown variable 'lq_manu' for a panel model")


def test_cross_section_with_unknown_dependent(cfg):
    model(cfg, "cross_section")["dependents"] = ["resistance_pp", "resilience"]
    message = error_of(cfg)
    assert message.startswith("models.cross_section: unknown variable 'resilience' for a cross_section model")


def test_duplicate_model_names(cfg):
    model(cfg, "main_twfe_dk")["name"] = "main_twfe"
    message = error_of(cfg)
    assert message.startswith("models: names must be unique")
    assert message.count("'main_twfe'") == 2


def test_raw_mirror_pointing_to_a_missing_directory(cfg, tmp_path):
    missing = tmp_path / "no-such-mirror"
    cfg["raw_mirror"] = str(missing)
    message = error_of(cfg)
    assert message.startswith(f"raw_mirror: {str(missing)!r} is not a directory")


def test_raw_mirror_override_through_load_config(tmp_path):
    with pytest.raises(ConfigError, match="raw_mirror"):
        load_config(CONFIG, SCHEMA, root=ROOT, overrides={"raw_mirror": str(tmp_path / "absent")})


# --- reading the YAML ---------------------------------------------------------------------------

def test_load_yaml_missing_file_names_the_path(tmp_path):
    path = tmp_path / "nope.yaml"
    with pytest.raises(ConfigError) as info:
        load_yaml(path)
    assert str(info.value).startswith(f"{path}: cannot read YAML")


def test_load_yaml_broken_yaml_names_the_path(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("years: [1995\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_yaml(path)
    assert str(info.value).startswith(f"{path}: cannot read YAML")


def test_load_config_reads_a_written_variant(tmp_path, cfg):
    cfg["measures"]["trend_years"] = 25  # schema maximum is 20
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(cfg), encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path, SCHEMA, root=ROOT)
    assert "measures.trend_years: 25 is greater than the maximum of 20" in str(info.value)


def test_main_model_must_be_a_panel_model(cfg):
    cfg["figures"]["main_model"] = "cross_section"
    assert error_of(cfg).startswith("figures.main_model: 'cross_section' is not a model of kind panel "
                                    "(configured: ['main_twfe', 'main_twfe_dk'])")


def test_the_countries_block_is_required(cfg):
    del cfg["panels"]["countries"]
    assert "'countries' is a required property" in error_of(cfg)


def test_cluster_exposure_of_the_figures_must_be_an_exposure(cfg):
    cfg["figures"]["cluster_exposure"] = "lq_manu"
    assert error_of(cfg).startswith("figures.cluster_exposure: unknown exposure 'lq_manu'")


def test_the_country_design_has_no_group_to_cluster_by(cfg):
    cfg["panels"]["countries"]["design"]["bootstrap_cluster"] = "group"
    assert "panels.countries.design.bootstrap_cluster: 'unit' was expected" in error_of(cfg)


# --- episode phases in order ----------------------------------------------------------------------

def test_recovery_before_its_contraction(cfg):
    cfg["episodes"][0]["recovery"] = [2003, 2005]  # gfc contraction 2008-2009
    assert error_of(cfg) == ("episodes.gfc.recovery: 2003-2005 starts before the contraction 2008-2009 ends "
                             "(the recovery must start at or after 2009)")


def test_recovery_starting_inside_its_contraction(cfg):
    cfg["episodes"][0]["contraction"] = [2008, 2010]
    cfg["episodes"][0]["recovery"] = [2009, 2011]
    assert error_of(cfg).startswith("episodes.gfc.recovery: 2009-2011 starts before the contraction 2008-2010 ends")


def test_episodes_sharing_phase_years(cfg):
    cfg["episodes"][1].update(contraction=[2010, 2011], recovery=[2011, 2013], exposure_year=2009)
    assert error_of(cfg) == ("episodes.covid: its phases (2010 onwards) overlap those of episode gfc (up to "
                             "2011); the models cannot separate the two episodes, so covid's contraction must "
                             "start at or after 2011")


def test_episodes_listed_out_of_time_order_are_compared_in_time_order(cfg):
    cfg["episodes"].reverse()
    cfg["episodes"][0].update(contraction=[2009, 2010], recovery=[2010, 2012], exposure_year=2008)
    assert "episodes.covid: its phases (2009 onwards) overlap those of episode gfc (up to 2011)" in error_of(cfg)


def test_adjacent_episodes_and_a_recovery_starting_at_the_contraction_end_are_accepted(cfg):
    cfg["episodes"][1].update(contraction=[2011, 2012], recovery=[2012, 2014], exposure_year=2011)
    # the EU exposure-timing placebo's fake date (2012) would now fall inside the moved episode
    cfg["panels"]["eu"]["robustness"]["timing_placebo"] = None
    validate(cfg)  # gfc's phase years are 2009-2011, covid's 2012-2014


# --- the configuration file itself -----------------------------------------------------------------

def _config_text_with(tmp_path, text: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_duplicate_top_level_key_names_the_key_and_both_lines(tmp_path):
    text = CONFIG.read_text(encoding="utf-8")
    lines = text.count("\n")
    path = _config_text_with(tmp_path, text + "raw_mirror: /somewhere\n")
    first = 1 + next(i for i, line in enumerate(text.splitlines()) if line.startswith("raw_mirror:"))
    with pytest.raises(ConfigError) as info:
        load_config(path, SCHEMA, root=ROOT)
    assert str(info.value) == (f"{path}: key 'raw_mirror' appears twice, on lines {first} and {lines + 1} "
                               "(a YAML loader would keep only the last); remove one")


def test_duplicate_nested_keys_are_named_with_their_path(tmp_path):
    path = _config_text_with(tmp_path, "download:\n  retries: 5\n  backoff_factor: 2.0\n  retries: 0\n")
    with pytest.raises(ConfigError, match=r"key 'download.retries' appears twice, on lines 2 and 4"):
        check_config_file(path)
    path = _config_text_with(tmp_path, "episodes:\n  - {name: gfc, label: a}\n  - {name: covid,\n     name: x}\n")
    with pytest.raises(ConfigError, match=r"key 'episodes.1.name' appears twice, on lines 3 and 4"):
        check_config_file(path)


def test_the_shipped_config_has_no_duplicate_keys():
    check_config_file(CONFIG)


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "---\n"])
def test_empty_config_file_names_the_file(tmp_path, text):
    path = _config_text_with(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(path, SCHEMA, root=ROOT)
    assert str(info.value) == f"{path} is empty (no settings at all): restore the configuration file"


def test_config_that_is_not_a_mapping(tmp_path):
    path = _config_text_with(tmp_path, "- years\n- episodes\n")
    with pytest.raises(ConfigError, match=r"config.yaml, line 1: the configuration must be a mapping"):
        check_config_file(path)


@pytest.mark.parametrize("value", ["null", "NULL", "None", "~", "", None])
def test_raw_mirror_null_from_the_command_line_means_live(value):
    assert mirror_setting(value) is None
    assert load_config(CONFIG, SCHEMA, root=ROOT, overrides={"raw_mirror": value})["raw_mirror"] is None


def test_raw_mirror_path_is_kept():
    assert mirror_setting("/data/null") == "/data/null"


def test_a_null_adaptation_measure_needs_its_reason(cfg):
    cfg["panels"]["countries"]["adaptation"]["diversity"] = None
    assert "panels.countries.adaptation.diversity is null: give the reason" in error_of(cfg)
    cfg["panels"]["countries"]["adaptation"]["not_measurable"] = {"diversity": "no sector split"}
    check_config(cfg)


def test_the_headline_adaptation_measure_must_be_measured(cfg):
    cfg["panels"]["eu"]["adaptation"]["headline_measure"] = "hysteresis_k5"
    assert "panels.eu.adaptation.headline_measure: 'hysteresis_k5' is not one of" in error_of(cfg)


def test_an_unknown_adaptation_key_is_refused(cfg):
    cfg["panels"]["china"]["adaptation"]["trend"] = 5
    assert "trend" in error_of(cfg)


def test_the_timing_placebo_date_must_lie_outside_the_episodes(cfg):
    cfg["panels"]["eu"]["robustness"]["timing_placebo"] = {"episode": "gfc", "shock_year": 2010}
    assert "timing_placebo.shock_year: 2010 lies inside the episode(s) ['gfc']" in error_of(cfg)
    cfg["panels"]["eu"]["robustness"]["timing_placebo"] = {"episode": "oil", "shock_year": 2012}
    assert "timing_placebo.episode: 'oil' is not one of the panel's episodes" in error_of(cfg)


@pytest.mark.parametrize("panel, key, value, message", [
    ("countries", "share", {"label": "x", "numerator": "va_d_curr", "denominator": "va_total_cur"},
     "panels.countries.adaptation: unknown series ['va_d_curr']"),
    ("eu", "diversity", {"label": "x", "sectors": ["sections.A", "sections.Z"], "measure": "entropy"},
     "panels.eu.adaptation: unknown series ['sections.Z']"),
    ("china", "share", {"label": "x", "numerator": "tertiary_share"}, "panels.china.adaptation: unknown series"),
    ("eu", "hysteresis", {"label": "x", "outcome": "g_gva", "trend_years": 5, "years_after": [0]},
     "panels.eu.adaptation.hysteresis.outcome: 'g_gva' is not one of the panel's growth columns"),
    ("eu", "hysteresis", {"label": "x", "outcome": {"gfc": "g_gva_total"}, "trend_years": 5, "years_after": [0]},
     "panels.eu.adaptation.hysteresis.outcome: a mapping must name each of the panel's episodes ['gfc', 'covid'] once "
     "(got ['gfc'])"),
    ("eu", "hysteresis", {"label": "x", "outcome": {"gfc": "g_gva_total", "covid": "g_gva_volume", "oil": "g_gva_total"},
                          "trend_years": 5, "years_after": [0]},
     "panels.eu.adaptation.hysteresis.outcome: a mapping must name each of the panel's episodes ['gfc', 'covid'] once "
     "(got ['covid', 'gfc', 'oil'])"),
])
def test_adaptation_names_only_series_and_growth_columns_the_panel_has(cfg, panel, key, value, message):
    cfg["panels"][panel]["adaptation"][key] = value
    assert message in error_of(cfg)


def test_claims_growth_end_year_must_follow_the_base_year(cfg):
    cfg["claims"]["growth_end_year"] = 2018
    assert error_of(cfg) == "claims.growth_end_year: 2018 must be after growth_base_year 2018"
def test_headline_model_per_episode_must_name_every_episode_with_a_model_that_covers_it(cfg):
    robustness = cfg["panels"]["eu"]["robustness"]
    assert robustness["headline_model"] == {"gfc": "eu_industry_employment", "covid": "eu_gva_volume"}
    robustness["headline_model"] = {"gfc": "eu_industry_employment"}
    assert "each of the panel's episodes ['gfc', 'covid']" in error_of(cfg)
    robustness["headline_model"] = {"gfc": "eu_industry_employment", "covid": "eu_gva"}
    assert "panels.eu.robustness.headline_model: 'eu_gva' is not one of" in error_of(cfg)
    robustness["headline_model"] = {"gfc": "eu_industry_employment", "covid": 3}
    assert "panels.eu.robustness.headline_model" in error_of(cfg)
    robustness["headline_model"] = "eu_gva_volume"
    robustness["size"]["series"] = {"covid": "gdp_current"}
    assert "panels.eu.robustness.size.series" in error_of(cfg)


def test_the_curve_starts_from_each_episode_headline_outcome(cfg):
    curve = cfg["panels"]["eu"]["specification_curve"]
    curve["by_episode"]["covid"]["forks"]["outcome"] = ["martin_pp", "g_gva_volume"]
    assert ("panels.eu.specification_curve: the first outcome of episode covid is 'martin_pp', but its headline "
            "model 'eu_gva_volume' explains 'g_gva_volume'") in error_of(cfg)
    del curve["by_episode"]
    assert "the first outcome of episode covid is 'g_emp_industry'" in error_of(cfg)

