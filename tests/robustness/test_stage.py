"""The robustness stage on synthetic frames in each panel's own layout: its tables equal the direct calls
of the robustness estimators on the same data, and a panel/episode without data gets a row that says so."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from resilience.errors import ConfigError
from resilience.figures.common import _render
from resilience.figures.robustness import robustness_figure
from resilience.panels import get
from resilience.robustness import stage
from resilience.robustness.event_study import event_study
from resilience.robustness.multiple_testing import adjusted_pvalues
from resilience.robustness.placebo import placebo_shocks
from resilience.robustness.size_weighting import shock_panel, size_weighted
from tests.robustness.dgp import COVID, GFC, simulate

YEARS = range(1998, 2016)
ROBUSTNESS = {"window": [-5, 4], "horizons": 3, "size": {"series": "size", "max_back": 2},
              "romano_wolf": {"reps": 199, "weights": "rademacher", "seed": 7}}


def generic(seed: int = 3):
    """(growth: unit, group, year, growth; exposures: unit, episode, variable, value; size per unit)."""
    growth, exposures, _ = simulate(40, YEARS, seed, lambda t: 1.0 if t == 2009 else 0.0, n_groups=8,
                                    exposures=("digital", "cluster"))
    size = pd.Series(np.random.default_rng(seed).uniform(1, 50, 40), index=sorted(growth["unit"].unique()))
    return growth, exposures, size


def settings(outcome: str, cluster: str = "unit", fixed_effects=("unit", "year"), size=True) -> dict:
    model = {"name": "head", "dependent": outcome, "exposures": ["digital", "cluster"],
             "phases": ["contraction", "recovery"]}
    own = {**ROBUSTNESS, "headline_model": "head", "size": ROBUSTNESS["size"] if size else None}
    return {"robustness": own, "models": [model],
            "design": {"fixed_effects": list(fixed_effects), "bootstrap_cluster": cluster, "standardize": True}}


def size_rows(size: pd.Series, unit: str = "unit") -> pd.DataFrame:
    return pd.DataFrame({unit: size.index, "year": GFC["exposure_year"], "series": "size", "value": size.to_numpy()})


def countries_layout(growth, exposures, size):
    g = growth.rename(columns={"unit": "iso3", "growth": "g_mva"})[["iso3", "year", "g_mva"]]
    e = exposures.rename(columns={"unit": "iso3"}).assign(year_used=2007)
    panel = size_rows(size, "iso3").rename(columns={"value": "size"}).drop(columns="series")
    return g, e, panel


def eu_layout(growth, exposures, size):
    g = growth.rename(columns={"group": "country", "growth": "g_emp"})[["unit", "year", "g_emp", "country"]]
    countries = growth.drop_duplicates("unit").set_index("unit")["group"]
    e = exposures.assign(country=exposures["unit"].map(countries), year_used=2007)
    # the EU panel file's layout: every row a NUTS-2 region (level 2), none a country's own row (level 0)
    panel = size_rows(size).assign(country=lambda f: f["unit"].map(countries), level=2)
    return g, e, panel


def china_layout(growth, exposures, size):
    g = growth.rename(columns={"growth": "g_gdp"})[["unit", "year", "g_gdp"]]
    return g, exposures, size_rows(size).assign(country="CHN")


LAYOUTS = {"countries": (countries_layout, "g_mva", "unit", ("unit", "year")),
           "eu": (eu_layout, "g_emp", "group", ("unit", "group_year")),
           "china": (china_layout, "g_gdp", "unit", ("unit", "year"))}


def estimated(table: pd.DataFrame) -> pd.DataFrame:
    return table[table["status"] == "estimated"].drop(columns=["status", "note"]).reset_index(drop=True)


def same(actual: pd.DataFrame, expected: pd.DataFrame) -> None:
    columns = [c for c in expected.columns if c in actual.columns]
    for c in columns:
        a, e = actual[c].reset_index(drop=True), expected[c].reset_index(drop=True)
        if pd.api.types.is_numeric_dtype(e) and not pd.api.types.is_bool_dtype(e):
            np.testing.assert_allclose(a.to_numpy(dtype=float), e.to_numpy(dtype=float), rtol=1e-10, atol=1e-12,
                                       err_msg=c)
        else:
            assert a.astype(str).tolist() == e.astype(str).tolist(), c


@pytest.fixture(scope="module", params=sorted(LAYOUTS))
def case(request):
    panel_id = request.param
    layout, outcome, cluster, effects = LAYOUTS[panel_id]
    growth, exposures, size = generic()
    g, e, panel = layout(growth, exposures, size)
    own = settings(outcome, cluster, effects)
    tables = stage.run(panel_id, g, e, own, [GFC], panel)
    direct_growth = growth.rename(columns={"growth": outcome})
    return {"panel": panel_id, "tables": tables, "growth": direct_growth, "exposures": exposures, "size": size,
            "outcome": outcome, "cluster": cluster, "effects": effects}


def test_event_study_equals_the_direct_call(case):
    es, pre = event_study(case["growth"], case["exposures"], GFC, outcome=case["outcome"],
                          exposure_vars=["digital", "cluster"], window=(-5, 4), cluster=case["cluster"])
    same(estimated(case["tables"]["event_study"]), es)
    same(estimated(case["tables"]["pretrends"]), pre)
    assert set(case["tables"]["event_study"]["status"]) == {"estimated"}


def test_placebo_equals_the_direct_call(case):
    table, summary = placebo_shocks(case["growth"], case["exposures"], GFC, [GFC], outcome=case["outcome"],
                                    exposure_vars=["digital", "cluster"], cluster=case["cluster"])
    same(estimated(case["tables"]["placebo"]), table)
    same(estimated(case["tables"]["placebo_summary"]), summary)
    assert (summary["n_placebo"] > 0).all()


def test_size_weighting_equals_the_direct_call(case):
    direct = size_weighted(case["growth"], case["exposures"], GFC, case["size"], outcome=case["outcome"],
                           exposure_vars=["digital", "cluster"], cluster=case["cluster"])
    ours = estimated(case["tables"]["size_weighted"])
    same(ours, direct)
    assert set(ours["size_series"]) == {"size"}


def test_adjusted_p_values_use_the_headline_design(case):
    data, terms = shock_panel(case["growth"], case["exposures"], GFC, outcome=case["outcome"],
                              exposure_vars=["digital", "cluster"], cluster=case["cluster"])
    if "group_year" in case["effects"]:
        groups = case["growth"].drop_duplicates("unit").set_index("unit")["group"]
        data = data.assign(group_year=data["unit"].map(groups) + ":" + data["year"].astype(str))
    direct = adjusted_pvalues(data, dependent=case["outcome"], regressors=terms, cluster=case["cluster"],
                              fixed_effects=list(case["effects"]), reps=199, weights="rademacher", seed=7)
    ours = estimated(case["tables"]["adjusted_p"])
    same(ours, direct)
    assert set(ours["fixed_effects"]) == {"+".join(case["effects"])}


def test_event_window_is_cut_to_the_observed_years():
    growth, exposures, size = generic()
    short = growth[growth["year"] <= 2011].rename(columns={"growth": "g_gdp"})[["unit", "year", "g_gdp"]]
    tables = stage.run("china", short, exposures, settings("g_gdp"), [GFC], size_rows(size))
    es = estimated(tables["event_study"])
    assert es["rel_year"].min() == -5 and es["rel_year"].max() == 2
    lp = estimated(tables["local_projections"])
    assert sorted(lp["horizon"].unique()) == [0, 1, 2]


def test_an_episode_without_exposures_gets_a_row_that_says_so():
    growth, exposures, size = generic()
    g = growth.rename(columns={"growth": "g_gdp"})[["unit", "year", "g_gdp"]]
    tables = stage.run("china", g, exposures, settings("g_gdp"), [GFC, COVID], size_rows(size))
    for name, table in tables.items():
        covid = table[table["episode"] == "covid"]
        assert len(covid) == 1 and covid["status"].iloc[0] == "not estimable", name
        assert "no unit has any of the exposures" in covid["note"].iloc[0]
        assert (table.loc[table["episode"] == "gfc", "status"] == "estimated").all(), name


def test_missing_exposure_is_left_out_and_named():
    growth, exposures, size = generic()
    g = growth.rename(columns={"growth": "g_gdp"})[["unit", "year", "g_gdp"]]
    only = exposures[exposures["variable"] == "digital"]
    tables = stage.run("china", g, only, settings("g_gdp"), [GFC], size_rows(size))
    es = tables["event_study"]
    assert set(es["exposure"]) == {"digital"}
    assert set(es["note"]) == {"left out for lack of data: cluster"}


def test_without_size_measure_the_table_says_why():
    growth, exposures, _ = generic()
    g = growth.rename(columns={"growth": "g_gdp"})[["unit", "year", "g_gdp"]]
    tables = stage.run("china", g, exposures, settings("g_gdp", size=False), [GFC])
    row = tables["size_weighted"]
    assert len(row) == 1 and row["status"].iloc[0] == "not estimable"
    assert "no size measure" in row["note"].iloc[0]


def test_too_few_years_for_an_event_study_is_a_row_not_an_error():
    growth, exposures, size = generic()
    late = growth[growth["year"] >= 2009].rename(columns={"growth": "g_gdp"})[["unit", "year", "g_gdp"]]
    tables = stage.run("china", late, exposures, settings("g_gdp"), [GFC], size_rows(size))
    row = tables["event_study"]
    assert row["status"].tolist() == ["not estimable"] and "too few years" in row["note"].iloc[0]
    assert tables["pretrends"]["status"].tolist() == ["not estimable"]


def test_check_robustness_rejects_an_unknown_headline_and_a_window_without_reference():
    panel = get("china")
    config = {"panels": {"china": {**settings("g_gdp"), "episode": GFC}}}
    panel.check_robustness(config)
    config["panels"]["china"]["robustness"] = {**config["panels"]["china"]["robustness"], "headline_model": "nope"}
    with pytest.raises(ConfigError, match="headline_model"):
        panel.check_robustness(config)
    config["panels"]["china"]["robustness"] = {**ROBUSTNESS, "headline_model": "head", "window": [0, 3]}
    with pytest.raises(ConfigError, match="window"):
        panel.check_robustness(config)


def test_figures_are_deterministic_and_say_when_not_estimable():
    growth, exposures, size = generic()
    g = growth.rename(columns={"growth": "g_gdp"})[["unit", "year", "g_gdp"]]
    tables = stage.run("china", g, exposures, settings("g_gdp"), [GFC, COVID], size_rows(size))
    for kind in ("event_study", "local_projections", "placebo"):
        first = _render(robustness_figure(kind, tables, "gfc", "t"), "png")
        assert first == _render(robustness_figure(kind, tables, "gfc", "t"), "png")
        empty = robustness_figure(kind, tables, "covid", "t")
        assert any("Not estimable" in t.get_text() for t in empty.texts)


def test_a_point_without_interval_is_drawn_without_a_bar():
    growth, exposures, size = generic()
    g = growth.rename(columns={"growth": "g_gdp"})[["unit", "year", "g_gdp"]]
    tables = stage.run("china", g, exposures, settings("g_gdp"), [GFC], size_rows(size))
    es = tables["event_study"].copy()
    es.loc[es.index[0], ["coef", "se", "ci_low", "ci_high"]] = [1e-15, np.nan, np.nan, np.nan]
    robustness_figure("event_study", {**tables, "event_study": es}, "gfc", "t")


def test_each_episode_runs_on_the_headline_model_named_for_it():
    # gfc on model "head" (outcome g_gdp), a later episode on model "other" (outcome g_alt = 2 g_gdp + 1, size
    # series "size2"): the later episode's slopes are exactly twice those of g_gdp
    late = {"name": "late", "contraction": [2012, 2013], "recovery": [2013, 2014], "exposure_year": 2011}
    growth, exposures, size = generic()
    direct = growth.rename(columns={"growth": "g_gdp"})
    g = direct[["unit", "year", "g_gdp"]].assign(g_alt=lambda f: 2 * f["g_gdp"] + 1)
    own = settings("g_gdp")
    other = {"name": "other", "dependent": "g_alt", "exposures": ["digital", "cluster"],
             "phases": ["contraction", "recovery"]}
    own = {**own, "models": [*own["models"], other],
           "robustness": {**own["robustness"], "headline_model": {"gfc": "head", "late": "other"},
                          "size": {"series": {"gfc": "size", "late": "size2"}, "max_back": 2}}}
    assert stage.headline(own, "gfc").outcome == "g_gdp" and stage.headline(own, "late").outcome == "g_alt"
    assert stage.size_series_name(own["robustness"], "late") == "size2"
    late_exposures = exposures.assign(episode="late")
    both = pd.concat([exposures, late_exposures], ignore_index=True)
    sizes = pd.concat([size_rows(size), size_rows(size).assign(series="size2", year=2011)], ignore_index=True)
    tables = stage.run("china", g, both, own, [GFC, late], sizes.assign(country="CHN"))
    es = tables["event_study"]
    es_gfc, _ = event_study(direct, exposures, GFC, outcome="g_gdp", exposure_vars=["digital", "cluster"],
                            window=(-5, 4), cluster="unit")
    same(estimated(es[es["episode"] == "gfc"]), es_gfc)
    es_late, _ = event_study(direct, late_exposures, late, outcome="g_gdp", exposure_vars=["digital", "cluster"],
                             window=stage.data_window(direct, "g_gdp", late, (-5, 4)), cluster="unit")
    got = estimated(es[es["episode"] == "late"])
    assert len(got) == len(es_late) > 0
    np.testing.assert_allclose(got["coef"].to_numpy(float), 2 * es_late["coef"].to_numpy(float), rtol=1e-8, atol=1e-10)
    sized = tables["size_weighted"]
    assert set(sized.loc[sized["episode"] == "late", "size_series"]) == {"size2"}
    assert set(sized.loc[sized["episode"] == "gfc", "size_series"]) == {"size"}


def test_panel_headline_models_and_their_checks():
    panel = get("eu")
    base = settings("g_gdp")
    other = {"name": "other", "dependent": "g_alt", "exposures": ["digital"], "episodes": ["covid"]}
    block = {**base, "models": [*base["models"], other], "episodes": ["gfc", "covid"],
             "robustness": {**base["robustness"], "headline_model": {"gfc": "head", "covid": "other"}}}
    config = {"episodes": [GFC, COVID], "panels": {"eu": block}}
    panel.check_robustness(config)
    assert panel.headline_models(config) == {"gfc": "head", "covid": "other"}
    assert panel.robustness_episodes(config) == ["gfc", "covid"]
    assert panel.size_series(config) == {"gfc": "size", "covid": "size"}
    # one name for every episode: "other" covers covid only, so gfc has no headline
    block["robustness"]["headline_model"] = "other"
    assert panel.headline_models(config) == {"covid": "other"}
    for wrong, message in [({"gfc": "head"}, "each of the panel's episodes"),
                           ({"gfc": "head", "covid": "nope"}, "'nope' is not one of"),
                           ({"gfc": "other", "covid": "other"}, r"episode\(s\) \['gfc'\] does not cover")]:
        block["robustness"]["headline_model"] = wrong
        with pytest.raises(ConfigError, match=message):
            panel.check_robustness(config)
    block["robustness"] = {**block["robustness"], "headline_model": "head",
                           "size": {"series": {"gfc": "size"}, "max_back": 2}}
    with pytest.raises(ConfigError, match="size.series"):
        panel.check_robustness(config)


def test_adjusted_p_with_group_year_effects_leaves_out_a_group_s_only_unit():
    growth, exposures, _ = generic()
    own = settings("growth", "group", ("unit", "group_year"))
    head = stage.headline(own, "gfc")
    # unit u_alone is the only unit of its group: the group x year effects absorb it
    first = growth["unit"].iloc[0]
    alone = growth[growth["unit"] == first].assign(group="alone", unit="u_alone")
    lonely = pd.concat([growth, alone], ignore_index=True)
    exposures = pd.concat([exposures, exposures[exposures["unit"] == first].assign(unit="u_alone")], ignore_index=True)
    with_it = stage.adjusted(lonely, exposures, GFC, head, ["digital", "cluster"], own["robustness"])
    without = stage.adjusted(growth, exposures, GFC, head, ["digital", "cluster"], own["robustness"])
    pd.testing.assert_frame_equal(with_it, without)
    # year effects do not absorb it: there it stays (and adds a cluster)
    year = settings("growth", "group", ("unit", "year"))
    year_head = stage.headline(year, "gfc")
    kept = stage.adjusted(lonely, exposures, GFC, year_head, ["digital", "cluster"], year["robustness"])
    dropped = stage.adjusted(growth, exposures, GFC, year_head, ["digital", "cluster"], year["robustness"])
    assert not np.allclose(kept["coef"].to_numpy(float), dropped["coef"].to_numpy(float))
