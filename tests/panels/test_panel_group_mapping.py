"""Each panel maps its own group column to the shared code's ``group`` once, and back for its own tables;
the shared code refuses a table that arrives without ``group``."""

import pandas as pd
import pytest

from resilience import panels
from resilience.errors import InputError
from resilience.measures.regional import regional_martin, resistance_frame, sole_units
from resilience.panels import stages
from resilience.panels.china import units as china_units
from resilience.panels.eu import units as eu_units

EPISODE = [{"name": "gfc", "contraction": [2008, 2009], "recovery": [2009, 2011]}]
EU_MARTIN = pd.DataFrame(
    {
        "outcome": "gva",
        "series": "gva_eur",
        "unit": ["AT11", "AT12", "BE21"],
        "country": ["AT", "AT", "BE"],
        "episode": "gfc",
        "phase": "resistance",
        "g_unit": [-6.0, -2.0, -1.0],
        "g_ref": [-4.0, -4.0, -1.0],
        "index_ratio": [-0.5, 0.5, 0.0],
        "index_pp": [-2.0, 2.0, 0.0],
    }
)
PROVINCES = pd.DataFrame({"unit": ["CN11", "CN12"], "episode": "covid", "variable": "dfi", "value": [1.0, 2.0]})


def test_the_eu_mapping_names_the_country_group_and_round_trips():
    core = eu_units.to_core(EU_MARTIN)
    assert "country" not in core.columns and core["group"].tolist() == ["AT", "AT", "BE"]
    pd.testing.assert_frame_equal(eu_units.from_core(core), EU_MARTIN)
    summary = pd.DataFrame({"outcome": ["gva"], "units": [3], "countries": [2]})
    pd.testing.assert_frame_equal(eu_units.from_core(eu_units.to_core(summary)), summary)
    assert panels.get("eu").to_core(EU_MARTIN, {})["group"].tolist() == ["AT", "AT", "BE"]


def test_the_china_mapping_adds_the_one_country_and_round_trips():
    core = china_units.to_core(PROVINCES)
    assert core["group"].tolist() == ["CHN", "CHN"]
    pd.testing.assert_frame_equal(china_units.from_core(core), PROVINCES)
    assert "group" not in panels.get("china").from_core(core).columns


def test_the_eu_summary_counts_countries_as_groups_and_publishes_them_as_countries():
    owner = panels.get("eu")
    summary = stages.martin_summary(owner.to_core(EU_MARTIN, {}), drop_sole_units=True)
    # BE21 is Belgium's only region here: left out, so one group (AT) of two units remains
    assert (summary.loc[0, "units"], summary.loc[0, "groups"], summary.loc[0, "excluded_sole_units"]) == (2, 1, 1)
    published = owner.from_core(summary)
    assert "countries" in published.columns and "groups" not in published.columns


@pytest.mark.parametrize(
    "call",
    [
        lambda frame: regional_martin(
            frame.rename(columns={"g_unit": "value"}).assign(year=2008), EPISODE, benchmark="units_sum"
        ),
        lambda frame: sole_units(frame),
        lambda frame: stages.martin_summary(frame),
        lambda frame: resistance_frame(frame, PROVINCES.iloc[0:0], "gva", "gfc"),
    ],
)
def test_the_shared_code_refuses_a_table_still_naming_its_group_country(call):
    # EU_MARTIN as the EU tables keep it: the panel forgot to map it with to_core
    with pytest.raises(InputError, match=r"field 'group': missing columns \['group'\]"):
        call(EU_MARTIN)


def test_the_exposure_summary_refuses_exposures_without_group():
    with pytest.raises(InputError, match=r"exposures \(exposure_summary\), field 'group'"):
        stages.exposure_summary(PROVINCES)
    assert stages.exposure_summary(china_units.to_core(PROVINCES)).loc[0, "groups"] == 1
