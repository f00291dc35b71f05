"""ModelSpec parsing and variable checks."""

import pytest

from resilience.errors import ConfigError
from resilience.models.spec import Episode, parse_episodes, parse_spec

MAIN = {"name": "main_twfe", "kind": "panel", "dependent": "g_mva", "exposures": ["digital_z", "lq_manuf"],
        "interact_exposures": True, "phases": ["contraction", "recovery"], "controls": ["log_gdppc", "trade_open"],
        "effects": ["entity", "time"], "cov": "clustered", "sample": {"years": [1995, 2023], "min_obs": 5}}
CROSS = {"name": "cross_section", "kind": "cross_section",
         "dependents": ["resistance_pp", "recovery_pp", "resistance_ratio"],
         "regressors": ["digital_z", "lq_manuf", "log_gdppc", "trade_open"], "cov": "HC1"}
PLAIN = {"name": "composite_index", "kind": "panel_plain", "dependent": "resilience_index",
         "regressors": ["digital_index", "lq_manuf"], "effects": ["entity", "time"], "cov": "clustered"}


def test_parse_main_panel_spec():
    spec = parse_spec(MAIN)
    assert (spec.name, spec.kind, spec.cov, spec.dependent) == ("main_twfe", "panel", "clustered", "g_mva")
    assert spec.exposures == ("digital_z", "lq_manuf") and spec.controls == ("log_gdppc", "trade_open")
    assert spec.interact_exposures and spec.entity_effects and spec.time_effects
    assert (spec.years, spec.min_obs, spec.bandwidth) == ((1995, 2023), 5, None)


def test_parse_driscoll_kraay_needs_bandwidth():
    spec = parse_spec({**MAIN, "name": "main_twfe_dk", "cov": "driscoll-kraay", "bandwidth": 2})
    assert (spec.cov, spec.bandwidth) == ("driscoll-kraay", 2)
    with pytest.raises(ConfigError, match="main_twfe_dk.*bandwidth"):
        parse_spec({**MAIN, "name": "main_twfe_dk", "cov": "driscoll-kraay"})


def test_parse_cross_section_and_plain():
    cross, plain = parse_spec(CROSS), parse_spec(PLAIN)
    assert cross.dependents == ("resistance_pp", "recovery_pp", "resistance_ratio")
    assert cross.regressors == ("digital_z", "lq_manuf", "log_gdppc", "trade_open") and cross.cov == "HC1"
    assert (plain.dependent, plain.regressors, plain.effects) == ("resilience_index", ("digital_index", "lq_manuf"),
                                                                  ("entity", "time"))


@pytest.mark.parametrize("change, message", [
    ({"cov": "robust"}, "'cov' is 'robust'"),
    ({"exposure": ["x"]}, r"keys \['exposure'\] are not used"),
    ({"phases": ["shock"]}, "'phases' has"),
    ({"exposures": ["digital_z"]}, "interact_exposures"),
    ({"sample": {"years": [2023, 1995]}}, "sample 'years'"),
])
def test_parse_rejects_bad_entries(change, message):
    with pytest.raises(ConfigError, match=f"main_twfe.*{message}|{message}"):
        parse_spec({**MAIN, **change})


def test_parse_requires_kind_keys():
    entry = {key: value for key, value in MAIN.items() if key != "exposures"}
    with pytest.raises(ConfigError, match=r"model 'main_twfe': kind 'panel' requires keys \['exposures'\]"):
        parse_spec(entry)


def test_episodes_phase_years_are_half_open():
    gfc, covid = parse_episodes([
        {"name": "gfc", "label": "x", "contraction": [2008, 2009], "recovery": [2009, 2011], "exposure_year": 2007},
        {"name": "covid", "contraction": [2019, 2020], "recovery": [2020, 2022]}])
    assert gfc == Episode("gfc", (2008, 2009), (2009, 2011))
    assert (gfc.phase_years("contraction"), gfc.phase_years("recovery")) == ((2009,), (2010, 2011))
    assert (covid.phase_years("contraction"), covid.phase_years("recovery")) == ((2020,), (2021, 2022))
    with pytest.raises(ConfigError, match="episode 'bad'"):
        parse_episodes([{"name": "bad", "contraction": [2009, 2008], "recovery": [2009, 2011]}])
