"""Chinese provinces: panel assembly, real GDP from the mis-dated compiled index, Martin indices against the
national benchmark, pre-shock exposures, models with the wild bootstrap - on hand-computed cases."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from resilience.panels.china import measures as china
from resilience.panels.china.models import run_models, run_shock_model
from resilience.panels.china.provinces import province_table
from resilience.tidy import Parsed

EPISODE = {"name": "covid", "contraction": [2019, 2020], "recovery": [2020, 2022], "exposure_year": 2019}
YEARS = {"start": 2005, "end": 2024}


def parsed(rows, flags=""):
    """Parsed table from (code, name, year, series, value) rows."""
    table = pd.DataFrame(rows, columns=["country_code", "country_name", "year", "series", "value"])
    return Parsed(table.assign(flags=flags), notes=["指标：x", "注：1.一条注释。"])


def test_first_available_source_supplies_the_whole_series():
    series = {"gdp": {"label": "GDP", "sources": [{"dataset": "query", "code": "A020101"},
                                                  {"dataset": "export", "code": "地区生产总值(亿元)"},
                                                  {"dataset": "compiled", "code": "GDP"}]},
              "gdp_index": {"label": "index", "sources": [{"dataset": "compiled", "code": "GDP指数"}]}}
    sources = {
        "query": None,
        "export": parsed([("", "北京市", 2019, "地区生产总值(亿元)", 35445.1), ("", "全国", 2019, "地区生产总值(亿元)", 1e6)]),
        "compiled": parsed([("", "北京", 2019, "GDP", 1.0), ("", "上海", 2020, "GDP指数", 101.7)], flags="compiled"),
    }
    panel, provenance = china.assemble_panel(sources, {"query": {"message": "not in the mirror"}}, series, YEARS)
    gdp = panel[panel["series"] == "gdp"].set_index("unit")
    assert gdp.loc["CN11", "value"] == 35445.1 and gdp.loc["CN", "value"] == 1e6
    assert set(gdp["source"]) == {"export"} and set(gdp["flag"]) == {""}
    index = panel[panel["series"] == "gdp_index"].iloc[0]
    assert (index["unit"], index["flag"], index["country"]) == ("CN31", "compiled", "CHN")
    status = provenance.set_index(["series", "dataset"])["status"]
    assert status[("gdp", "query")] == "unavailable" and status[("gdp", "export")] == "used"
    assert status[("gdp", "compiled")] == "not needed"
    assert provenance.set_index(["series", "dataset"]).loc[("gdp_index", "compiled"), "kind"] == "compiled"
    assert provenance.set_index(["series", "dataset"]).loc[("gdp", "query"), "message"] == "not in the mirror"


def test_lagged_index_rows_move_back_one_year_and_others_drop():
    index = pd.DataFrame({"unit": "CN42", "year": [2014, 2015, 2021, 2023, 2024],
                          "value": [109.9, 109.7, 95.0, 104.3, 105.9]})
    aligned = china.align_lagged_index(index, [2015, 2023])
    assert list(aligned["year"]) == [2014, 2020, 2022] and list(aligned["value"]) == [109.7, 95.0, 104.3]


def test_real_gdp_chain_and_growth_by_hand():
    nominal = pd.DataFrame({"unit": ["CN42", "CN42"], "year": [2019, 2020], "value": [100.0, 96.0]})
    index = pd.DataFrame({"unit": "CN42", "year": [2019, 2020, 2021], "value": [106.0, 95.0, 110.0]})
    levels = china.real_gdp_levels(nominal, index, 2019).set_index("year")["value"]
    assert levels[2019] == 100.0 and levels[2020] == pytest.approx(95.0) and levels[2021] == pytest.approx(104.5)
    assert levels[2018] == pytest.approx(100 / 1.06)
    assert 2017 not in levels.index                    # the 2018 index is missing: the chain stops


def test_growth_table_real_growth_is_log_of_the_index():
    rows = [("CN42", 2018, "gdp", 90.0), ("CN42", 2019, "gdp", 100.0), ("CN42", 2020, "gdp", 96.0),
            # the panel's index is dated by the year it measures (compiled rows are re-dated when assembled)
            ("CN42", 2019, "gdp_index", 106.0), ("CN42", 2020, "gdp_index", 95.0),
            ("CN42", 2019, "urban_unit_employment", 50.0), ("CN42", 2020, "urban_unit_employment", 40.0)]
    panel = pd.DataFrame(rows, columns=["unit", "year", "series", "value"]).assign(country="CHN", flag="", source="x")
    growth = china.growth_table(panel, {"index_lagged_rows": [2015, 2023], "price_base_year": 2019})
    row = growth.set_index("year").loc[2020]
    assert row["g_gdp"] == pytest.approx(100 * math.log(0.95))
    assert row["g_gdp_nominal"] == pytest.approx(100 * math.log(0.96))
    assert row["g_emp"] == pytest.approx(100 * math.log(0.8))
    assert growth.set_index("year").loc[2019, "g_gdp"] == pytest.approx(100 * math.log(1.06))


def test_martin_against_sum_of_provinces_and_against_the_national_row():
    levels = pd.DataFrame({"unit": ["CN11", "CN11", "CN31", "CN31"], "year": [2019, 2020] * 2,
                           "value": [100.0, 90.0, 300.0, 306.0]})
    table = china.martin_table({"real_gdp": levels}, EPISODE)
    resistance = table[table["phase"] == "resistance"].set_index("unit")
    # benchmark: (90 + 306) / (100 + 300) - 1 = -1%
    assert resistance.loc["CN11", "g_ref"] == pytest.approx(-1.0)
    assert resistance.loc["CN11", "index_pp"] == pytest.approx(-10.0 + 1.0)
    assert resistance.loc["CN31", "index_ratio"] == pytest.approx((2.0 + 1.0) / 1.0)
    assert set(table["benchmark"]) == {"sum of provinces"}
    national = pd.concat([levels, pd.DataFrame({"unit": "CN", "year": [2019, 2020], "value": [1000.0, 1020.0]})])
    table = china.martin_table({"real_gdp": national}, EPISODE)
    resistance = table[table["phase"] == "resistance"].set_index("unit")
    assert "CN" not in resistance.index and resistance.loc["CN11", "g_ref"] == pytest.approx(2.0)
    assert set(table["benchmark"]) == {"national (全国)"}


def test_exposures_secondary_share_relative_to_the_gdp_weighted_national_share():
    rows = [("CN11", 2019, "secondary_share", 20.0), ("CN11", 2019, "gdp", 100.0),
            ("CN32", 2019, "secondary_share", 50.0), ("CN32", 2019, "gdp", 300.0),
            ("CN11", 2019, "dfi_index", 400.0), ("CN11", 2019, "population", 2000.0)]
    panel = pd.DataFrame(rows, columns=["unit", "year", "series", "value"]).assign(country="CHN", flag="", source="x")
    exposures = china.exposure_table(panel, EPISODE).set_index(["unit", "variable"])["value"]
    national = (20 * 100 + 50 * 300) / 400          # 42.5
    assert exposures[("CN11", "sec_lq")] == pytest.approx(20 / national)
    assert exposures[("CN32", "sec_lq")] == pytest.approx(50 / national)
    assert exposures[("CN11", "dfi")] == 400.0
    assert exposures[("CN11", "log_gdppc")] == pytest.approx(math.log(100 * 1e8 / (2000 * 1e4)))
    assert ("CN32", "dfi") not in exposures.index


def test_index_alignment_detects_a_one_year_lag():
    rng = np.random.default_rng(0)
    units = [f"CN{c}" for c in province_table()["gb_code"]]
    growth = {(u, y): rng.normal(8, 2) for u in units for y in range(2010, 2015)}
    nominal = []
    for u in units:
        level = 100.0
        nominal.append((u, 2009, level))
        for y in range(2010, 2015):
            level *= math.exp(growth[(u, y)] / 100)
            nominal.append((u, y, level))
    nominal = pd.DataFrame(nominal, columns=["unit", "year", "value"])
    index = pd.DataFrame([(u, y + 1, 100 * math.exp(growth[(u, y)] / 100)) for u in units for y in range(2010, 2014)],
                         columns=["unit", "year", "value"])
    check = china.index_alignment(index, nominal).set_index("index_row")
    assert check.loc[2013, "corr_previous_year"] == pytest.approx(1.0)
    assert abs(check.loc[2013, "corr_same_year"]) < 0.6


def synthetic_growth(effect: float, seed: int = 1):
    """31 provinces, 2014-2022: g = a_i + d_t + effect * z(dfi_i) in 2020 + noise."""
    rng = np.random.default_rng(seed)
    units = list(province_table()["unit"])
    dfi = pd.Series(rng.normal(300, 30, len(units)), index=units)
    z = (dfi - dfi.mean()) / dfi.std()
    rows = []
    for unit in units:
        a = rng.normal(6, 1)
        for year in range(2014, 2023):
            g = a + (-4 if year == 2020 else 0) + (effect * z[unit] if year == 2020 else 0) + rng.normal(0, 0.3)
            rows.append((unit, year, g))
    growth = pd.DataFrame(rows, columns=["unit", "year", "g_gdp"])
    exposures = pd.DataFrame([(u, "covid", v, x) for u in units for v, x in
                              (("dfi", dfi[u]), ("sec_lq", rng.normal(1, 0.2)))],
                             columns=["unit", "episode", "variable", "value"])
    return growth, exposures


MODEL = {"name": "m", "kind": "panel", "label": "", "dependent": "g_gdp", "exposures": ["dfi", "sec_lq"],
         "phases": ["contraction"], "effects": ["entity", "time"], "cov": "clustered"}
BOOT = {"reps": 399, "weights": "rademacher", "seed": 5, "alpha": 0.05}


def test_shock_model_recovers_the_effect_with_bootstrap_p_values():
    growth, exposures = synthetic_growth(effect=1.5)
    table, boot, notes = run_shock_model(growth, exposures, EPISODE, MODEL, BOOT)
    row = table.set_index("term").loc["contraction_covid_x_dfi"]
    assert row["coef"] == pytest.approx(1.5, abs=0.25)
    assert row["p_boot"] < 0.01 and row["n_clusters"] == 31 and row["nobs"] == 31 * 9
    assert row["ci_low_boot"] < 1.5 < row["ci_high_boot"]
    assert table.set_index("term").loc["contraction_covid_x_sec_lq", "p_boot"] > 0.01
    assert notes["bootstrap"]["reps"] == 399 and list(boot["clusters"]) == [31, 31]


def test_run_models_skips_a_model_without_data_and_says_why():
    growth, exposures = synthetic_growth(effect=0.0)
    block = {"episode": EPISODE, "models": [MODEL, MODEL | {"name": "nominal", "dependent": "g_gdp_nominal"}],
             "bootstrap": BOOT, "composite": {"model": {"name": "comp", "kind": "panel_plain", "label": "",
                                                        "dependent": "resilience_index", "regressors": ["digital_index"],
                                                        "effects": ["entity", "time"], "cov": "clustered"}}}
    empty = pd.DataFrame(columns=["unit", "year", "resilience_index", "digital_index", "sec_lq"])
    coefs, _, notes = run_models(growth, exposures, empty, block)
    assert set(coefs["model"]) == {"m"}
    assert notes["nominal"] == {"skipped": "no data for the dependent g_gdp_nominal"}
    assert "skipped" in notes["comp"]


def test_composite_indices_use_entropy_weights():
    """Entropy weights and indices on a hand-computed case (the 3x2 case of tests/measures/test_composite.py)."""
    units = ["CN11", "CN12", "CN13"]
    growth = pd.DataFrame({"unit": units, "year": 2019, "g_gdp": [1.0, 2.0, 3.0], "g_emp": [10.0, 10.0, 40.0]})
    values = {"dfi_coverage": [2.0, 1.0, 1.0], "dfi_usage": [2.0, 4.0, 6.0],
              "secondary_share": [40.0, 50.0, 30.0], "gdp": [100.0, 200.0, 100.0]}
    rows = [(u, 2019, s, v[i]) for s, v in values.items() for i, u in enumerate(units)]
    panel = pd.DataFrame(rows, columns=["unit", "year", "series", "value"]).assign(country="CHN", flag="", source="x")
    frame, weights = china.composite_frame(panel, growth, {"resilience_components": ["g_gdp", "g_emp"],
                                                           "digital_components": ["dfi_coverage", "dfi_usage"]})
    # g_gdp min-max 0, .5, 1 -> p 0, 1/3, 2/3 -> entropy 1/3 + (2/3) ln 1.5 / ln 3 = 0.579380, d = 0.420620
    # g_emp 0, 0, 1 -> entropy 0, d = 1; weights 0.420620 / 1.420620 = 0.296082 and 0.703918
    # index = 0.296082 * (0, .5, 1) + 0.703918 * (0, 0, 1) = 0, 0.148041, 1
    # digital: dfi_coverage 1, 0, 0 (entropy 0), dfi_usage 0, .5, 1 (as g_gdp): weights 0.703918, 0.296082
    # index = 0.703918 * (1, 0, 0) + 0.296082 * (0, .5, 1) = 0.703918, 0.148041, 0.296082
    w = weights.set_index(["index", "component"])["weight"]
    assert w[("resilience_index", "g_gdp")] == pytest.approx(0.296082, abs=1e-6)
    assert w[("resilience_index", "g_emp")] == pytest.approx(0.703918, abs=1e-6)
    assert w[("digital_index", "dfi_coverage")] == pytest.approx(0.703918, abs=1e-6)
    assert w[("digital_index", "dfi_usage")] == pytest.approx(0.296082, abs=1e-6)
    assert frame["unit"].tolist() == units
    assert frame["resilience_index"].tolist() == pytest.approx([0.0, 0.148041, 1.0], abs=1e-6)
    assert frame["digital_index"].tolist() == pytest.approx([0.703918, 0.148041, 0.296082], abs=1e-6)
    # national secondary share, GDP-weighted: (40*100 + 50*200 + 30*100) / 400 = 42.5
    assert frame["sec_lq"].tolist() == pytest.approx([40 / 42.5, 50 / 42.5, 30 / 42.5])
