"""Chinese provinces: a series spliced by year from publisher exports and the compiled panel, on synthetic
files in the published layouts (the newer NBS export: a years-as-columns GDP index file and one-year
by-industry files; the compiled panel's CSV). Publisher years win, the compiled file only fills the
years before them (its index rows re-dated first), and the provenance names the years of each source."""

from __future__ import annotations

import math

import pandas as pd
import pytest
import yaml

from resilience.catalog import read_catalog
from resilience.errors import ConfigError
from resilience.panels.china import measures as china
from resilience.panels.china.checks import check_china_config
from resilience.sources.parsers.nbs import parse_nbs_compiled_csv, parse_nbs_export
from tests.e2e.e2e_helpers import REPO
from tests.sources.synthetic_nbs import write_compiled_csv, write_nbs_v2026_csv

YEARS = {"start": 2005, "end": 2024}
INDEX = "地区生产总值指数(上年=100)"
GDP, SECONDARY, INDUSTRY = "地区生产总值 (亿元)", "第二产业增加值 (亿元)", "工业增加值 (亿元)"
NOTE = ["1. 按照我国国民经济核算数据修订制度和国际通行做法，在第五次全国经济普查后，对1992年-2023年地区生产总值历史数据进行了系统修订。"]


@pytest.fixture
def files(tmp_path):
    # Publisher index 2016-2018 (2025 column empty, as exported); Hubei lacks 2016.
    index = parse_nbs_export(write_nbs_v2026_csv(
        tmp_path / "idx.csv", "2016年-2025年", ["2025年", "2018年", "2017年", "2016年"],
        {"北京市": [None, 106.7, 106.8, 106.9], "湖北省": [None, 107.8, 107.6, None]}, NOTE), indicator=INDEX)
    by_industry = {year: parse_nbs_export(write_nbs_v2026_csv(
        tmp_path / f"{year}.csv", f"{year}年", [f"{t} " for t in (GDP, SECONDARY, INDUSTRY)],
        {"北京市": [400.0, 60.0 + year - 2017, 50.0], "湖北省": [200.0, 80.0, 70.0]}, NOTE)) for year in (2017, 2018)}
    # Compiled rows: the index row of year t holds the index of t-1 inside the lagged rows (2015-2023).
    compiled = pd.DataFrame({"地区": ["北京", "北京", "北京", "湖北", "湖北", "湖北"],
                             "年份": [2014, 2015, 2017, 2015, 2016, 2017],
                             "GDP指数_上年=100": [199.0, 107.3, 999.0, 109.7, 108.1, 999.0],
                             "第二产业比重_%": [20.0, 19.0, 99.0, 45.0, 44.0, 99.0]})
    return {"nbs_index": index, "ind_2017": by_industry[2017], "ind_2018": by_industry[2018],
            "compiled": parse_nbs_compiled_csv(write_compiled_csv(tmp_path / "compiled.csv", compiled))}


def series_config(industry_order=("ind_2018", "ind_2017")):
    by_year = lambda code: [{"dataset": d, "code": code, "per": GDP} for d in industry_order]  # noqa: E731
    return {
        "gdp_index": {"label": "index", "combine": "by_year",
                      "sources": [{"dataset": "nbs_index", "code": INDEX},
                                  {"dataset": "compiled", "code": "GDP指数_上年=100", "dating": "previous_year"}]},
        "secondary_share": {"label": "share", "combine": "by_year",
                            "sources": by_year(SECONDARY) + [{"dataset": "compiled", "code": "第二产业比重_%"}]},
        "industrial_share": {"label": "industry", "combine": "by_year", "sources": by_year(INDUSTRY)},
    }


def value(panel, series, unit, year):
    rows = panel[(panel["series"] == series) & (panel["unit"] == unit) & (panel["year"] == year)]
    assert len(rows) <= 1
    return (rows["value"].iloc[0], rows["source"].iloc[0], rows["flag"].iloc[0]) if len(rows) else None


def test_publisher_index_years_win_and_compiled_rows_fill_only_earlier_years(files):
    panel, provenance = china.assemble_panel(files, {}, series_config(), YEARS, [2015, 2023])
    assert value(panel, "gdp_index", "CN11", 2016) == (106.9, "nbs_index", "")
    assert value(panel, "gdp_index", "CN11", 2018) == (106.7, "nbs_index", "")
    # Re-dated compiled rows: row 2015 -> 2014; row 2017 (-> 2016) loses to the publisher's 2016.
    assert value(panel, "gdp_index", "CN11", 2014) == (107.3, "compiled", "compiled")
    # Row 2014 is outside the lagged rows (a two-year average): dropped, never shifted.
    assert value(panel, "gdp_index", "CN11", 2013) is None
    # Hubei has no publisher 2016, but the publisher file starts in 2016: the compiled row 2017 is
    # not used for 2016 (compiled values only before the publisher years, never between them).
    assert value(panel, "gdp_index", "CN42", 2016) is None
    assert value(panel, "gdp_index", "CN42", 2015) == (108.1, "compiled", "compiled")
    used = provenance[(provenance["series"] == "gdp_index") & (provenance["status"] == "used")].set_index("dataset")
    assert used.loc["nbs_index", ["kind", "years"]].tolist() == ["publisher", "2016-2018"]
    assert used.loc["compiled", ["kind", "years"]].tolist() == ["compiled", "2014-2015"]


def test_shares_from_the_by_industry_files_and_compiled_only_before(files):
    # The order of the publisher files in the config does not matter: each supplies its own year.
    for order in (("ind_2018", "ind_2017"), ("ind_2017", "ind_2018")):
        panel, provenance = china.assemble_panel(files, {}, series_config(order), YEARS, [2015, 2023])
        assert value(panel, "secondary_share", "CN11", 2017) == (pytest.approx(100 * 60.0 / 400.0), "ind_2017", "")
        assert value(panel, "secondary_share", "CN11", 2018) == (pytest.approx(100 * 61.0 / 400.0), "ind_2018", "")
        assert value(panel, "industrial_share", "CN42", 2018)[0] == pytest.approx(35.0)
        assert value(panel, "secondary_share", "CN11", 2015) == (19.0, "compiled", "compiled")
        assert value(panel, "secondary_share", "CN42", 2017)[1] == "ind_2017"      # compiled 99.0 loses
        assert value(panel, "industrial_share", "CN11", 2015) is None               # no compiled source: no fill
        years = provenance[provenance["series"] == "secondary_share"].set_index("dataset")["years"]
        assert (years["ind_2017"], years["ind_2018"], years["compiled"]) == ("2017", "2018", "2014-2016")


def test_a_missing_publisher_file_leaves_its_year_to_the_compiled_panel_only_if_earlier(files):
    panel, provenance = china.assemble_panel({**files, "ind_2017": None}, {"ind_2017": {"message": "not in the mirror"}},
                                             series_config(), YEARS, [2015, 2023])
    assert value(panel, "secondary_share", "CN11", 2017) == (99.0, "compiled", "compiled")
    status = provenance[provenance["series"] == "secondary_share"].set_index("dataset")
    assert status.loc["ind_2017", "status"] == "unavailable"
    assert status.loc["compiled", "years"] == "2014-2017"


def test_real_growth_chains_the_spliced_index_without_moving_it_again(files):
    panel, _ = china.assemble_panel(files, {}, series_config(), YEARS, [2015, 2023])
    nominal = pd.DataFrame({"unit": "CN11", "country": "CHN", "year": [2016], "series": "gdp", "value": [100.0],
                            "flag": "", "source": "x"})
    growth = china.growth_table(pd.concat([panel, nominal]), {"index_lagged_rows": [2015, 2023],
                                                              "price_base_year": 2016}).set_index(["unit", "year"])
    assert growth.loc[("CN11", 2017), "g_gdp"] == pytest.approx(100 * math.log(1.068))
    assert growth.loc[("CN11", 2016), "g_gdp"] == pytest.approx(100 * math.log(1.069))


def test_exposures_include_the_industrial_lq(files):
    panel, _ = china.assemble_panel(files, {}, series_config(), YEARS, [2015, 2023])
    gdp = pd.DataFrame({"unit": ["CN11", "CN42"], "country": "CHN", "year": 2018, "series": "gdp",
                        "value": [400.0, 200.0], "flag": "", "source": "x"})
    episode = {"name": "e", "exposure_year": 2018}
    exposures = china.exposure_table(pd.concat([panel, gdp]), episode).set_index(["unit", "variable"])["value"]
    national = (50.0 + 70.0) / 600.0 * 100
    assert exposures[("CN42", "ind_lq")] == pytest.approx(35.0 / national)


def test_a_re_dated_source_needs_the_by_year_splice():
    config = yaml.safe_load((REPO / "config" / "config.yaml").read_text(encoding="utf-8"))
    block = config["panels"]["china"]
    block["series"]["gdp_index"].pop("combine")
    with pytest.raises(ConfigError, match="needs 'combine: by_year'"):
        check_china_config(block, set(read_catalog(REPO / "config" / "sources.csv").index))
