"""The generic regional entry points (resilience.regions.regional) and the shared model's design check."""

import pandas as pd
import pytest

from resilience.errors import ConfigError
from resilience.regions import regional
from resilience.regions.regional_models import check_design


def test_summaries_of_a_single_country_panel_take_its_country():
    # China's tables carry no country column: the summaries count the one country (CHN)
    martin = pd.DataFrame({"outcome": "gdp", "unit": ["CN11", "CN12", "CN13"], "episode": "covid",
                           "phase": "resistance", "g_unit": [1.0, 2.0, 6.0], "g_ref": 3.0,
                           "index_ratio": [-2 / 3, -1 / 3, 1.0], "index_pp": [-2.0, -1.0, 3.0]})
    summary = regional.martin_summary(martin).iloc[0]
    assert summary["regions"] == 3 and summary["countries"] == 1
    assert summary["mean_index_pp"] == pytest.approx(0.0) and summary["median_index_pp"] == -1.0
    assert summary["share_better"] == pytest.approx(1 / 3)
    exposures = pd.DataFrame({"unit": ["CN11", "CN12", "CN13"], "episode": "covid", "variable": "dfi",
                              "value": [200.0, 300.0, 400.0]})
    row = regional.exposure_summary(exposures).iloc[0]
    assert (row["regions"], row["countries"], row["mean"], row["sd"]) == (3, 1, 300.0, 100.0)


def test_unknown_panel_or_figure_names_the_choices():
    with pytest.raises(ConfigError, match="expected one of \\['china', 'eu'\\]"):
        regional.block_name("us")
    with pytest.raises(ConfigError, match="china_resistance_by_cluster"):
        regional.figure("china", "resistance_by_cluster", {}, {})


def test_every_panel_has_one_section_file_named_after_its_block():
    assert regional.BLOCKS == {"eu": "eu_regions", "china": "china_provinces"}
    assert all("coverage" in names for names in regional.FIGURES.values())


def test_design_check():
    ok = {"fixed_effects": ["unit", "group_year"], "bootstrap_cluster": "group", "standardize": False}
    assert check_design(ok, "eu_regions.design") is ok
    with pytest.raises(ConfigError, match="eu_regions.design.fixed_effects"):
        check_design(ok | {"fixed_effects": ["year", "unit"]}, "eu_regions.design")
    with pytest.raises(ConfigError, match="bootstrap_cluster"):
        check_design(ok | {"bootstrap_cluster": "country"}, "eu_regions.design")
