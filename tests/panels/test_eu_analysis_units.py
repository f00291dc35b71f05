"""The EU panel file holds each country's own row (level 0) beside its NUTS-2 regions (level 2): the national
row is the Martin benchmark, never a unit of the adaptation measures or of the size weighting.

Synthetic panel: regions AT11 and AT12 and their country's row AT, LFS employment in 2008 and 2011 (the gfc
episode's pre-shock and post-recovery years), two section groups A and B-E summing to the total:

    unit  year  B-E  A    total  industry share    diversity 1 - (sA^2 + sB^2)
    AT11  2008   20   80  100    20%               1 - (.8^2 + .2^2)    = 0.32
    AT11  2011   18   82  100    18%               1 - (.82^2 + .18^2)  = 0.2952
    AT12  2008   90  210  300    30%               1 - (.7^2 + .3^2)    = 0.42
    AT12  2011  102  198  300    34%               1 - (.66^2 + .34^2)  = 0.4488
    AT    2008  110  290  400    27.5%             1 - (.725^2 + .275^2) = 0.39875
    AT    2011  120  280  400    30%               1 - (.7^2 + .3^2)    = 0.42

Share change: AT11 -2, AT12 +4 (median of the two regions 1.0; with AT's +2.5 as a third unit it would be 2.5).
Diversity change: AT11 -0.0248, AT12 +0.0288 (median 0.002; with AT's +0.02125 it would be 0.02125).
"""

import pandas as pd
import pytest

from resilience import panels
from resilience.errors import InputError
from resilience.robustness import _inputs
from resilience.robustness.adaptation_section import measure_sentence
from resilience.robustness.adaptation_stage import run
from tests.robustness.dgp import GFC

EMPLOYMENT = {  # unit -> year -> (B-E, A)
    "AT11": {2008: (20.0, 80.0), 2011: (18.0, 82.0)},
    "AT12": {2008: (90.0, 210.0), 2011: (102.0, 198.0)},
    "AT": {2008: (110.0, 290.0), 2011: (120.0, 280.0)},
}
ADAPTATION = {
    "pre_offset": 0,
    "post_offset": 0,
    "share": {"label": "industry share", "numerator": "sections.B-E", "denominator": "sections_total"},
    "diversity": {"label": "diversity", "sectors": ["sections.A", "sections.B-E"], "measure": "herfindahl"},
    "hysteresis": {"label": "real GVA", "outcome": "g_gva", "trend_years": 3, "years_after": [0]},
    "headline_measure": "share_change",
    "not_measurable": {},
}
SETTINGS = {
    "adaptation": ADAPTATION,
    "robustness": {"headline_model": "eu_industry"},
    "models": [{"name": "eu_industry", "dependent": "g_gva", "exposures": ["lq_industry"]}],
    "design": {"fixed_effects": ["unit", "group_year"], "bootstrap_cluster": "group", "standardize": True},
}


def _panel() -> pd.DataFrame:
    """The EU panel file's layout (build.PANEL_COLUMNS), regions and their country's own row."""
    rows = []
    for unit, years in EMPLOYMENT.items():
        for year, (industry, agriculture) in years.items():
            for series, value in (
                ("sections.B-E", industry),
                ("sections.A", agriculture),
                ("sections_total", industry + agriculture),
            ):
                rows.append((unit, 0 if len(unit) == 2 else 2, "AT", year, series, value, "", "lfs"))
    return pd.DataFrame(rows, columns=["unit", "level", "country", "year", "series", "value", "flag", "source"])


def _growth() -> pd.DataFrame:
    """The EU growth table (regions only, as growth_panel builds it): 2% a year, no loss."""
    rows = [(u, "AT", t, 2.0) for u in ("AT11", "AT12") for t in range(2005, 2012)]
    return pd.DataFrame(rows, columns=["unit", "country", "year", "g_gva"])


def _exposures() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "unit": ["AT11", "AT12"],
            "country": "AT",
            "episode": "gfc",
            "variable": "lq_industry",
            "value": [0.8, 1.2],
            "year_used": 2008,
        }
    )


def _measure(table: pd.DataFrame, measure: str) -> pd.Series:
    return table[table["measure"] == measure].set_index("unit")["value"]


def test_the_eu_size_levels_are_the_regions_without_the_national_row():
    levels = panels.get("eu").size_levels(_panel())
    assert sorted(levels["unit"].unique()) == ["AT11", "AT12"]
    assert levels.columns.tolist() == ["unit", "year", "series", "value"] and len(levels) == 2 * 2 * 3


def test_the_national_row_is_no_unit_of_the_eu_adaptation_measures():
    table = run("eu", _growth(), _exposures(), _panel(), SETTINGS, [GFC])["adaptation"]
    assert set(table["unit"].dropna()) == {"AT11", "AT12"}
    share, diversity = _measure(table, "share_change"), _measure(table, "diversity_change")
    assert share.to_dict() == pytest.approx({"AT11": -2.0, "AT12": 4.0})
    assert share.median() == pytest.approx(1.0)  # with AT as a unit: median 2.5 over 3
    assert diversity.to_dict() == pytest.approx({"AT11": -0.0248, "AT12": 0.0288})
    assert diversity.median() == pytest.approx(0.002)  # with AT as a unit: 0.02125 over 3
    assert (
        measure_sentence(table, "gfc", "share_change")
        == "share_change 2008->2011: median 1.00 pp over 2 units, 50% above zero"
    )
    assert "over 2 units" in measure_sentence(table, "gfc", "diversity_change")


def test_the_shared_code_refuses_a_countrys_total_among_the_units():
    growth = panels.get("eu").to_core(_growth(), {})
    mixed = _panel()[["unit", "year", "series", "value"]]
    with pytest.raises(InputError, match=r"1 group totals among the units \(AT\)"):
        _inputs.unit_levels(mixed, growth, "eu panel file (adaptation)")
    regions = mixed[mixed["unit"] != "AT"]
    assert _inputs.unit_levels(regions, growth, "eu panel file (adaptation)") is regions


def test_a_country_panel_whose_units_are_their_own_groups_passes():
    """Economies are their own group (countries.to_core): no unit is a total of others."""
    growth = pd.DataFrame({"unit": ["AUT", "BEL"], "group": ["AUT", "BEL"], "year": 2008, "g": 1.0})
    levels = pd.DataFrame({"unit": ["AUT", "BEL"], "year": 2008, "series": "va", "value": [1.0, 2.0]})
    assert _inputs.unit_levels(levels, growth, "countries panel file") is levels


def test_the_generic_layout_leaves_a_groups_own_row_out_of_the_size_levels():
    """A generic panel file: a unit whose code equals its group is that group's total (the Martin benchmark)."""
    generic = pd.DataFrame(
        {"unit": ["R1", "R2", "G"], "group": "G", "year": 2008, "series": "va", "value": [1.0, 3.0, 4.0]}
    )

    class Toy(panels.base.Panel):
        id, label = "toy", "toy"

    levels = Toy().size_levels(generic)
    assert levels["unit"].tolist() == ["R1", "R2"] and levels["value"].sum() == pytest.approx(4.0)
