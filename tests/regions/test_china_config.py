"""Cross-checks of the panels.china config block (the shipped block passes; each mistake names its key)."""

from __future__ import annotations

import copy

import pytest
import yaml

from resilience.catalog import read_catalog
from resilience.errors import ConfigError
from resilience.panels.china.checks import check_china_config
from tests.e2e.e2e_helpers import REPO


@pytest.fixture()
def block():
    config = yaml.safe_load((REPO / "config" / "config.yaml").read_text(encoding="utf-8"))
    return copy.deepcopy(config["panels"]["china"])


@pytest.fixture(scope="module")
def datasets():
    return set(read_catalog(REPO / "config" / "sources.csv").index)


def test_shipped_block_passes(block, datasets):
    check_china_config(block, datasets)


@pytest.mark.parametrize("change, message", [
    (lambda b: b["series"]["gdp"]["sources"].append({"dataset": "nbs_nope", "code": "x"}),
     "panels.china.series.gdp.sources: unknown dataset 'nbs_nope'"),
    (lambda b: b["episode"].update(exposure_year=2020), "exposure_year: 2020 is after the contraction start 2019"),
    (lambda b: b.update(index_lagged_rows=[2015, 2030]), "index_lagged_rows: 2015-2030"),
    (lambda b: b["models"][0].update(dependent="g_mva"), "dependent ['g_mva'] unknown"),
    (lambda b: b["models"][0].update(exposures=["dfi", "broadband"]), "exposures/controls ['broadband'] unknown"),
    (lambda b: b["models"][1].update(name="china_real_gdp"), "names must be unique"),
    (lambda b: b["composite"].update(digital_components=["dfi_usage", "ict"]), "['ict'] are not configured series"),
    (lambda b: b["composite"]["model"].update(cov="driscoll-kraay", bandwidth=2), "cov 'clustered'"),
    (lambda b: b["specification_curve"]["unit_classes"]["region"]["east"].append("CN99"),
     "unit_classes.region: ['CN99'] are not province ids"),
])
def test_mistakes_name_the_key(block, datasets, change, message):
    change(block)
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]").replace("(", r"\(")):
        check_china_config(block, datasets)


def test_the_region_classification_puts_every_province_in_one_region(block):
    from resilience.panels.china.provinces import province_table

    classes = block["specification_curve"]["unit_classes"]["region"]
    members = [unit for units in classes.values() for unit in units]
    assert sorted(members) == sorted(province_table()["unit"]) and len(members) == 31
    assert {name: len(units) for name, units in classes.items()} == {"east": 10, "central": 6, "west": 12, "northeast": 3}
