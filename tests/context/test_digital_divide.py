"""The digital divide: people offline by World Bank aggregate, hand-computed."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from resilience.context.divide import analysis as divide
from resilience.errors import ConfigError, InputError

CFG = {
    "internet": {"dataset": "wdi_it_net_user_zs", "code": "IT.NET.USER.ZS"},
    "population": {"dataset": "wdi_sp_pop_totl", "code": "SP.POP.TOTL"},
    "world": "WLD",
    "groups": [{"code": "WLD", "label": "World"}, {"code": "HIC", "label": "High income"},
               {"code": "LIC", "label": "Low income"}],
    "trend_every": 5,
}


def _tidy(series: str, rows: list[tuple]) -> pd.DataFrame:
    """rows: (iso3, entity, year, value)"""
    return pd.DataFrame({"iso3": [r[0] for r in rows], "entity": [r[1] for r in rows],
                         "year": [r[2] for r in rows], "series": series, "value": [r[3] for r in rows],
                         "source": "test", "vintage": "", "flags": ""})


def _inputs():
    internet = _tidy("IT.NET.USER.ZS", [
        ("WLD", "aggregate", 2015, 40.0), ("WLD", "aggregate", 2020, 60.0), ("WLD", "aggregate", 2021, 64.0),
        ("HIC", "aggregate", 2015, 80.0), ("HIC", "aggregate", 2020, 90.0), ("HIC", "aggregate", 2021, 92.5),
        # Low income ends a year earlier than the world (its 2021 value is not published)
        ("LIC", "aggregate", 2015, 10.0), ("LIC", "aggregate", 2020, 20.0), ("LIC", "aggregate", 2021, math.nan),
        ("EAS", "aggregate", 2021, 70.0),           # an aggregate not asked for
        ("DEU", "economy", 2022, 93.0),             # economies reach further than the aggregates
    ])
    population = _tidy("SP.POP.TOTL", [
        ("WLD", "aggregate", 2015, 7.0e9), ("WLD", "aggregate", 2020, 8.0e9), ("WLD", "aggregate", 2021, 8.1e9),
        ("HIC", "aggregate", 2015, 1.0e9), ("HIC", "aggregate", 2020, 1.2e9), ("HIC", "aggregate", 2021, 1.2e9),
        ("LIC", "aggregate", 2015, 0.6e9), ("LIC", "aggregate", 2020, 0.7e9), ("LIC", "aggregate", 2021, 0.72e9),
        ("DEU", "economy", 2021, 83e6),
    ])
    return internet, population


def test_people_offline_hand_computed():
    tables = divide.build(*_inputs(), CFG)
    d = tables["divide"].set_index(["group", "year"])
    assert d.at[("WLD", 2021), "offline_people"] == pytest.approx(8.1e9 * 0.36)
    assert d.at[("HIC", 2020), "offline_people"] == pytest.approx(1.2e9 * 0.10)
    assert d.at[("LIC", 2015), "offline_pct"] == pytest.approx(90.0)
    assert ("LIC", 2021) not in d.index          # no internet value: nothing computed, nothing filled
    assert "EAS" not in set(tables["divide"]["group"])
    assert tables["divide"]["group"].drop_duplicates().tolist() == ["WLD", "HIC", "LIC"]  # config order


def test_latest_year_is_each_groups_own_and_shares_of_world():
    latest = divide.build(*_inputs(), CFG)["latest"].set_index("group")
    assert latest.at["WLD", "latest_year"] == 2021 and latest.at["LIC", "latest_year"] == 2020
    assert latest.at["HIC", "share_of_world_offline_pct"] == pytest.approx(100 * 1.2e9 * 0.075 / (8.1e9 * 0.36))
    # Low income's latest year (2020) is compared with the world in 2020
    assert latest.at["LIC", "share_of_world_offline_pct"] == pytest.approx(100 * 0.7e9 * 0.8 / (8.0e9 * 0.4))
    assert set(latest["latest_economy_year"]) == {2022}


def test_trend_keeps_every_fifth_year_and_the_latest():
    trend = divide.build(*_inputs(), CFG)["trend"]
    assert trend.groupby("group")["year"].apply(list).to_dict() == {
        "HIC": [2015, 2020, 2021], "LIC": [2015, 2020], "WLD": [2015, 2020, 2021]}


def test_bad_inputs_name_the_problem():
    internet, population = _inputs()
    over = internet.copy()
    over.loc[0, "value"] = 103.0
    with pytest.raises(InputError, match="IT.NET.USER.ZS is 103.0 for WLD 2015"):
        divide.build(over, population, CFG)
    twice = pd.concat([population, population.iloc[[0]]])
    with pytest.raises(InputError, match="more than one SP.POP.TOTL value for WLD 2015"):
        divide.build(internet, twice, CFG)
    with pytest.raises(InputError, match="field 'entity'"):
        divide.build(internet.drop(columns="entity"), population, CFG)


def test_config_cross_checks():
    datasets = {"wdi_it_net_user_zs", "wdi_sp_pop_totl"}
    divide.check_config(CFG, datasets)
    with pytest.raises(ConfigError, match="digital_divide.world"):
        divide.check_config({**CFG, "world": "XXX"}, datasets)
    with pytest.raises(ConfigError, match="unknown dataset 'wdi_it_net_user_zs'"):
        divide.check_config(CFG, {"wdi_sp_pop_totl"})


def test_section_reads_its_numbers_from_the_tables():
    tables = divide.build(*_inputs(), CFG)
    text = divide.section_markdown(tables["latest"], tables["trend"], "WLD", years={"start": 1995, "end": 2024})
    assert text.startswith("## The digital divide\n")
    assert ("In 2021, 64.0% of the world's population used the internet, so 2.92 billion people (36.0%) "
            "were offline") in text
    assert "Low income 80.0% offline (0.56 bn, 2020)" in text
    assert "economies' internet data reach 2022" in text and "1995-2024" in text
    assert "| World | 2021 | 64.0 | 36.0 | 2.92 | 100.0 |" in text
    assert "| 2015 | 4.20 | 0.20 | 0.54 |" in text
    assert "![Internet use and people offline by World Bank income group](figures/digital_divide.png)" in text


def test_section_without_world_says_so():
    tables = divide.build(*_inputs(), {**CFG, "groups": CFG["groups"][1:], "world": "HIC"})
    latest = tables["latest"][tables["latest"]["group"] != "HIC"]
    text = divide.section_markdown(latest, tables["trend"], "HIC")
    assert "cannot be computed" in text
