"""shock_design and plain_design on hand-made panels: exact column values and sample notes."""

import numpy as np
import pandas as pd
import pytest

from resilience.errors import ConfigError, InputError
from resilience.models.design import plain_design, shock_design
from resilience.models.spec import parse_spec

EPISODES = [{"name": "gfc", "contraction": [2008, 2009], "recovery": [2009, 2011]},
            {"name": "covid", "contraction": [2019, 2020], "recovery": [2020, 2022]}]
SPEC = {"name": "tiny", "kind": "panel", "dependent": "g_mva", "exposures": ["digital_z", "lq_manuf"],
        "interact_exposures": True, "phases": ["contraction", "recovery"], "controls": ["log_gdppc"],
        "effects": ["entity", "time"], "cov": "clustered", "episodes": ["gfc"],
        "sample": {"years": [2007, 2012], "min_obs": 3}}
VALUES = {"AAA": (2.0, 3.0, 5.0), "BBB": (-1.0, 0.5, 1.0), "CCC": (1.0, np.nan, 2.0), "DDD": (0.0, 1.0, 1.0)}


def tiny_panel():
    rows = [(u, y, float(10 * i + y - 2000)) for i, u in enumerate(["AAA", "BBB", "CCC"]) for y in range(2005, 2014)]
    rows += [("DDD", 2008, 1.0), ("DDD", 2009, 2.0), ("BBB", 2030, np.nan)]
    return pd.DataFrame(rows, columns=["unit", "year", "g_mva"])


def tiny_exposures():
    rows = [(u, "gfc", v, x) for u, xs in VALUES.items() for v, x in zip(["digital_z", "lq_manuf", "log_gdppc"], xs)
            if not np.isnan(x)]
    return pd.DataFrame(rows, columns=["unit", "episode", "variable", "value"])


def test_shock_design_exact_columns():
    design, notes = shock_design(tiny_panel(), tiny_exposures(), EPISODES, parse_spec(SPEC))
    contraction = np.array([0, 0, 1, 0, 0, 0.0])   # 2007..2012: 1 in 2009 only
    recovery = np.array([0, 0, 0, 1, 1, 0.0])      # 1 in 2010 and 2011
    expected = {}
    for unit, (d, lq, ctrl) in [("AAA", VALUES["AAA"]), ("BBB", VALUES["BBB"])]:
        for phase, dummy in [("contraction", contraction), ("recovery", recovery)]:
            expected.setdefault(f"{phase}_gfc_x_digital_z", []).extend(dummy * d)
            expected.setdefault(f"{phase}_gfc_x_lq_manuf", []).extend(dummy * lq)
            expected.setdefault(f"{phase}_gfc_x_digital_z_x_lq_manuf", []).extend(dummy * d * lq)
            expected.setdefault(f"{phase}_gfc_x_log_gdppc", []).extend(dummy * ctrl)
    assert list(design.columns) == ["g_mva",
                                    "contraction_gfc_x_digital_z", "contraction_gfc_x_lq_manuf",
                                    "contraction_gfc_x_digital_z_x_lq_manuf", "contraction_gfc_x_log_gdppc",
                                    "recovery_gfc_x_digital_z", "recovery_gfc_x_lq_manuf",
                                    "recovery_gfc_x_digital_z_x_lq_manuf", "recovery_gfc_x_log_gdppc"]
    assert list(design.index) == [(u, y) for u in ["AAA", "BBB"] for y in range(2007, 2013)]
    for column, values in expected.items():
        assert design[column].tolist() == values, column
    assert design["g_mva"].tolist() == [float(y - 2000) for y in range(2007, 2013)] + \
        [float(10 + y - 2000) for y in range(2007, 2013)]
    assert notes["units"] == 2 and notes["unit_years"] == 12 and notes["n_dropped_units"] == 2
    assert notes["dropped_units"] == {"CCC": "missing exposure gfc/lq_manuf",
                                      "DDD": "2 observations, fewer than min_obs 3"}


def test_shock_design_two_episodes_and_phase_dummies_without_time_effects():
    exposures = pd.concat([tiny_exposures(), tiny_exposures().assign(episode="covid", value=lambda f: f["value"] + 1)])
    panel = pd.DataFrame([(u, y, 0.1 * y) for u in ["AAA", "BBB"] for y in range(2007, 2024)],
                         columns=["unit", "year", "g_mva"])
    spec = parse_spec({**SPEC, "effects": ["entity"], "episodes": ["gfc", "covid"], "sample": {},
                       "interact_exposures": False, "controls": [], "exposures": ["digital_z"]})
    design, _ = shock_design(panel, exposures, EPISODES, spec)
    assert list(design.columns) == ["g_mva", "contraction_gfc", "contraction_gfc_x_digital_z", "recovery_gfc",
                                    "recovery_gfc_x_digital_z", "contraction_covid", "contraction_covid_x_digital_z",
                                    "recovery_covid", "recovery_covid_x_digital_z"]
    aaa = design.loc["AAA"]
    assert aaa.index[aaa["contraction_covid"] == 1].tolist() == [2020]
    assert aaa.index[aaa["recovery_covid"] == 1].tolist() == [2021, 2022]
    assert aaa.loc[2021, "recovery_covid_x_digital_z"] == 3.0      # covid exposure = gfc exposure + 1
    assert aaa.loc[2010, "recovery_gfc_x_digital_z"] == 2.0


def test_shock_design_phase_outside_sample_is_config_error():
    spec = parse_spec({**SPEC, "sample": {"years": [2000, 2008]}})
    with pytest.raises(ConfigError, match="tiny.*0 in every observation"):
        shock_design(tiny_panel(), tiny_exposures(), EPISODES, spec)


def test_shock_design_duplicate_exposure_is_input_error():
    exposures = pd.concat([tiny_exposures(), tiny_exposures().iloc[:1]])
    with pytest.raises(InputError, match="exposures.*duplicate key"):
        shock_design(tiny_panel(), exposures, EPISODES, parse_spec(SPEC))


def test_plain_design_complete_case_by_row():
    panel = pd.DataFrame({"unit": ["AAA"] * 4 + ["BBB"] * 2, "year": [2001, 2002, 2003, 2004, 2001, 2002],
                          "y": [1.0, 2.0, np.nan, 4.0, 5.0, 6.0], "x": [0.5, 0.1, 0.2, np.nan, 1.0, 2.0]})
    spec = parse_spec({"name": "plain", "kind": "panel_plain", "dependent": "y", "regressors": ["x"],
                       "effects": ["entity"], "cov": "clustered", "sample": {"min_obs": 2}})
    design, notes = plain_design(panel, spec)
    assert list(design.index) == [("AAA", 2001), ("AAA", 2002), ("BBB", 2001), ("BBB", 2002)]
    assert design["x"].tolist() == [0.5, 0.1, 1.0, 2.0] and notes["n_dropped_units"] == 0


def test_unit_missing_one_episode_keeps_its_other_years():
    """EEE has gfc exposures but none for covid: its covid phase years (2020-2022) leave, the rest stays."""
    spec = parse_spec({**SPEC, "episodes": ["gfc", "covid"], "sample": {"years": [2007, 2023], "min_obs": 3},
                       "controls": [], "interact_exposures": False})
    years = range(2007, 2024)
    panel = pd.DataFrame([(u, y, float(y - 2000)) for u in ["AAA", "EEE"] for y in years],
                         columns=["unit", "year", "g_mva"])
    rows = [(u, e, v, x) for u, e, v, x in [
        ("AAA", "gfc", "digital_z", 1.0), ("AAA", "gfc", "lq_manuf", 2.0),
        ("AAA", "covid", "digital_z", 3.0), ("AAA", "covid", "lq_manuf", 4.0),
        ("EEE", "gfc", "digital_z", -1.0), ("EEE", "gfc", "lq_manuf", 0.5)]]
    exposures = pd.DataFrame(rows, columns=["unit", "episode", "variable", "value"])
    design, notes = shock_design(panel, exposures, EPISODES, spec)
    eee_years = sorted(y for u, y in design.index if u == "EEE")
    assert eee_years == [y for y in years if y not in (2020, 2021, 2022)]
    assert design.loc[("EEE", 2009), "contraction_gfc_x_digital_z"] == -1.0
    assert design.loc[("EEE", 2010), "recovery_gfc_x_lq_manuf"] == 0.5
    assert (design.xs("EEE")[[c for c in design.columns if "covid" in c]] == 0).all().all()
    assert design.loc[("AAA", 2020), "contraction_covid_x_lq_manuf"] == 4.0
    assert notes["n_dropped_units"] == 0
    assert notes["partial_units"] == {
        "EEE": "missing exposure covid/digital_z, covid/lq_manuf; phase years of covid left out"}
