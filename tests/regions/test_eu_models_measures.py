"""EU measures (exposures, Martin tables) and models on panels with a known data-generating process."""
import numpy as np
import pandas as pd
import pytest

from resilience.panels.stages import martin_summary
from resilience.panels.eu import measures as eu_measures
from resilience.panels.eu import models as eu_models
from resilience.panels.eu import units as eu_units

EPISODES = [{"name": "gfc", "contraction": [2008, 2009], "recovery": [2009, 2011], "exposure_year": 2007}]


def panel_rows(unit, level, country, series, values: dict):
    return [(unit, level, country, y, series, v, "", "lfs") for y, v in values.items()]


def small_panel():
    rows = []
    for unit, country, ind, tot, bb, net in [("A1", "A", 20.0, 100.0, 50.0, 60.0), ("A2", "A", 10.0, 100.0, 70.0, 80.0),
                                             ("B1", "B", 30.0, 100.0, 40.0, 55.0), ("B2", "B", 20.0, 200.0, 90.0, 95.0)]:
        rows += panel_rows(unit, 2, country, "emp_ind", {2007: ind, 2008: ind, 2009: ind * 0.9})
        rows += panel_rows(unit, 2, country, "emp_tot", {2007: tot, 2008: tot})
        rows += panel_rows(unit, 2, country, "bb", {2006: bb})
        rows += panel_rows(unit, 2, country, "net", {2007: net})
        for sector, share in (("x", 0.5), ("y", 0.3), ("z", 0.2)):
            rows += panel_rows(unit, 2, country, f"sec.{sector}", {2007: tot * share * (1 + (unit == "A1"))})
    rows += panel_rows("A", 0, "A", "emp_ind", {2008: 30.0, 2009: 28.5})
    rows += panel_rows("B", 0, "B", "emp_ind", {2008: 50.0, 2009: 40.0})
    return pd.DataFrame(rows, columns=["unit", "level", "country", "year", "series", "value", "flag", "source"])


SETTINGS = {"measures": {"lq": {"industry": {"sector": "emp_ind", "total": "emp_tot"}},
                         "clusters": {"sectors": "none", "lq_threshold": 1.25, "min_size": 0},
                         "specialisation_sets": ["sec"], "exposure_max_back": 2,
                         "digital": {"series": ["bb", "net", "missing"], "min_coverage": 0.6, "min_indicators": 2}}}


def test_exposures_hand_computed():
    exposures, notes = eu_measures.exposures_table(small_panel(), SETTINGS, EPISODES)
    get = exposures.set_index(["unit", "variable"])
    # 2007 reference: industry 80 of 500 -> A1 LQ = 0.2 / 0.16
    assert get.loc[("A1", "lq_industry"), "value"] == pytest.approx(0.2 / 0.16)
    assert get.loc[("A1", "lq_industry"), "year_used"] == 2007
    # every region has the same sector shares -> Krugman 0, Herfindahl (0.38 - 1/3) / (2/3)
    assert get.loc[("B2", "krugman_sec"), "value"] == pytest.approx(0.0)
    assert get.loc[("B2", "herfindahl_sec"), "value"] == pytest.approx((0.25 + 0.09 + 0.04 - 1 / 3) / (2 / 3))
    # digital: bb (2006, within 2 years back) and net enter; 'missing' has no data
    z = get.xs("digital_z", level="variable")["value"]
    bb = pd.Series([50.0, 70, 40, 90], index=["A1", "A2", "B1", "B2"])
    net = pd.Series([60.0, 80, 55, 95], index=["A1", "A2", "B1", "B2"])
    expected = (((bb - bb.mean()) / bb.std()) + ((net - net.mean()) / net.std())) / 2
    assert z.sort_index().to_numpy() == pytest.approx(expected.sort_index().to_numpy())
    info = notes.set_index("indicator")
    assert info["included"].to_dict() == {"bb": True, "net": True, "missing": False}
    assert info.loc["missing", "reason"] == "series not in the panel" and info.loc["bb", "n_complete"] == 4
    assert get.loc[("A1", "digital_z"), "year_used"] == 2007   # the latest year among A1's indicators
    assert set(exposures["country"]) == {"A", "B"}


def test_martin_table_against_national_rows():
    martin = eu_measures.martin_table(small_panel(), {"industry": "emp_ind"}, EPISODES)
    a1 = martin[(martin["unit"] == "A1") & (martin["phase"] == "resistance")].iloc[0]
    assert a1["g_ref"] == pytest.approx(-5.0) and a1["index_pp"] == pytest.approx(-10.0 + 5.0)
    assert "country" in martin.columns and "group" not in martin.columns   # the EU table names its countries
    summary = martin_summary(eu_units.to_core(martin))
    row = summary[summary["phase"] == "resistance"].iloc[0]
    assert row["units"] == 4 and row["groups"] == 2
    assert row["share_better"] == pytest.approx(0.5)   # B regions beat B's -20 %


def dgp(beta_c=-2.0, beta_r=1.0, seed=1):
    rng = np.random.default_rng(seed)
    rows, expo = [], []
    for c in range(6):
        for r in range(5):
            unit = f"C{c}R{r}"
            lq = 0.5 + 0.2 * r + 0.1 * c
            expo.append((unit, f"C{c}", "gfc", "lq_industry", lq, 2007))
            for year in range(2005, 2014):
                shock = beta_c * lq * (year == 2009) + beta_r * lq * (year in (2010, 2011))
                rows.append((unit, f"C{c}", year, 0.3 * r + 0.5 * c * (year - 2005) + shock + rng.normal(0, 0.2)))
    growth = pd.DataFrame(rows, columns=["unit", "country", "year", "g_emp"])
    exposures = pd.DataFrame(expo, columns=["unit", "country", "episode", "variable", "value", "year_used"])
    return growth, exposures


MODEL = {"name": "m", "label": "", "dependent": "g_emp", "exposures": ["digital_z", "lq_industry"],
         "interact_exposures": True, "phases": ["contraction", "recovery"]}
BOOT = {"reps": 99, "weights": "webb", "seed": 7, "ci": False}


def test_panel_model_recovers_known_effects_and_bootstraps_by_country():
    growth, exposures = dgp()
    table, boot, notes = eu_models.fit_panel_model(growth, exposures, EPISODES, MODEL, BOOT)
    coef = table.set_index("term")["coef"]
    assert coef["contraction_gfc_x_lq_industry"] == pytest.approx(-2.0, abs=0.2)
    assert coef["recovery_gfc_x_lq_industry"] == pytest.approx(1.0, abs=0.2)
    assert notes["exposures_dropped"] == ["digital_z"] and notes["estimable"]
    assert set(table["n_clusters"]) == {30} and set(table["boot_clusters"]) == {6}
    assert table["p_boot"].between(0, 1).all() and set(table["nobs"]) == {30 * 9}
    assert notes["fit"]["K"] == 2 + 6 * 9   # slopes + 1 + (country-years - 1)
    assert set(boot["clusters"]) == {6} and set(boot["model"]) == {"m"}
    assert boot.set_index("term")["p_boot"].to_dict() == table.set_index("term")["p_boot"].to_dict()


def test_model_without_exposures_is_not_estimable():
    growth, exposures = dgp()
    table, boot, notes = eu_models.fit_panel_model(growth, exposures.iloc[0:0], EPISODES, MODEL, BOOT)
    assert table.empty and boot.empty and not notes["estimable"] and notes["reason"] == "no exposure with data"


def test_cross_section_with_country_effects():
    growth, exposures = dgp()
    martin = exposures[["unit", "country"]].assign(outcome="emp", episode="gfc", phase="resistance",
                                                   index_pp=-3 * exposures["value"] + exposures["country"].str[1].astype(int))
    table, notes = eu_models.cross_sections(martin, exposures, {"name": "cs", "dependents": ["resistance_pp"],
                                                                "regressors": ["lq_industry", "digital_z"]})
    row = table.iloc[0]
    assert row["term"] == "lq_industry" and row["coef"] == pytest.approx(-3.0) and row["countries"] == 6
    assert notes[0]["regressors"] == ["lq_industry"]


def test_standardized_design_scales_the_slopes_by_the_exposure_sd():
    """design.standardize (the country panel's z-score within episode over the estimation sample): every
    region is in the sample, lq = 0.5 + 0.2 r + 0.1 c over r = 0..4, c = 0..5, so its sample variance is
    (0.2^2 * 2 + 0.1^2 * 35/12) * 30/29 = 0.112931 and each slope is multiplied by sqrt(0.112931) = 0.33605,
    its t unchanged (the fixed effects absorb the shift by the mean)."""
    growth, exposures = dgp()
    raw, _, _ = eu_models.fit_panel_model(growth, exposures, EPISODES, MODEL, BOOT)
    std, _, notes = eu_models.fit_panel_model(growth, exposures, EPISODES, MODEL, BOOT,
                                               eu_models.DESIGN | {"standardize": True})
    raw, std = raw.set_index("term"), std.set_index("term")
    sd = np.sqrt((0.04 * 2 + 0.01 * 35 / 12) * 30 / 29)
    assert sd == pytest.approx(0.33605, abs=1e-5)
    assert std["coef"].to_numpy() == pytest.approx(raw["coef"].to_numpy() * sd, rel=1e-9)
    assert std["t"].to_numpy() == pytest.approx(raw["t"].to_numpy(), rel=1e-9)
    assert notes["standardized"] and std["p_boot"].to_numpy() == pytest.approx(raw["p_boot"].to_numpy())


def test_digital_year_used_and_reasons_count_only_what_entered():
    panel = small_panel()
    # A1's net moved to 2006, so its included indicators are both from 2006; 'late' (A1 only, 2007) and
    # 'empty' (in the panel, no value) do not enter: neither may set A1's year nor be "not in the panel"
    panel.loc[(panel["unit"] == "A1") & (panel["series"] == "net"), "year"] = 2006
    extra = pd.DataFrame(panel_rows("A1", 2, "A", "late", {2007: 1.0}) + panel_rows("B1", 2, "B", "empty", {2007: np.nan}),
                         columns=panel.columns)
    digital = {"series": ["bb", "net", "late", "empty", "missing"], "min_coverage": 0.6, "min_indicators": 2}
    settings = {"measures": {**SETTINGS["measures"], "digital": digital}}
    exposures, info = eu_measures.exposures_table(pd.concat([panel, extra], ignore_index=True), settings, EPISODES)
    z = exposures[exposures["variable"] == "digital_z"].set_index("unit")
    assert z.loc["A1", "year_used"] == 2006 and z.loc["A2", "year_used"] == 2007
    reasons = info[info["episode"] == EPISODES[0]["name"]].set_index("indicator")["reason"]
    assert reasons["late"] == "coverage 0.25 below 0.6" and reasons["empty"] == "coverage 0.00 below 0.6"
    assert reasons["missing"] == "series not in the panel"


COVID = [{"name": "covid", "contraction": [2019, 2020], "recovery": [2020, 2022], "exposure_year": 2019}]


def lfs_until_2015_panel():
    """Industry and total employment only to 2015 (as the mirror's LFS file); shares A1 0.3, A2 0.1."""
    rows = []
    for unit, ind in (("A1", 30.0), ("A2", 10.0)):
        rows += panel_rows(unit, 2, "A", "emp_ind", {2014: ind * 2, 2015: ind})
        rows += panel_rows(unit, 2, "A", "emp_tot", {2014: 100.0, 2015: 100.0})
        # a value after the exposure year must never be used
        rows += panel_rows(unit, 2, "A", "emp_ind", {2020: 99.0})
        rows += panel_rows(unit, 2, "A", "emp_tot", {2020: 100.0})
    return pd.DataFrame(rows, columns=["unit", "level", "country", "year", "series", "value", "flag", "source"])


def test_structural_exposure_reaches_back_with_its_year_recorded():
    settings = {"measures": {**SETTINGS["measures"], "digital": {**SETTINGS["measures"]["digital"], "series": []}}}
    without, _ = eu_measures.exposures_table(lfs_until_2015_panel(), settings, COVID)
    assert "lq_industry" not in set(without["variable"])          # 2015 is 4 years before 2019: out of reach
    settings["measures"]["structural_max_back"] = {"lq_industry": 4}
    exposures, _ = eu_measures.exposures_table(lfs_until_2015_panel(), settings, COVID)
    lq = exposures[exposures["variable"] == "lq_industry"].set_index("unit")
    # 2015: A1 30 of 100 against the reference 40 of 200 -> 0.3 / 0.2; A2 0.1 / 0.2
    assert lq["value"].to_dict() == pytest.approx({"A1": 1.5, "A2": 0.5})
    assert lq["year_used"].tolist() == [2015, 2015] and lq["episode"].tolist() == ["covid", "covid"]
    settings["measures"]["structural_max_back"] = {"lq_industry": 3}
    exposures, _ = eu_measures.exposures_table(lfs_until_2015_panel(), settings, COVID)
    assert "lq_industry" not in set(exposures["variable"])
