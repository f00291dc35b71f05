"""Cross-checks of the panels.eu config block, on the repository's own config."""
import copy

import pytest
import yaml

from resilience.catalog import read_catalog
from resilience.errors import ConfigError
from resilience.panels.eu.checks import check_eu_config, exposure_names

CONFIG = yaml.safe_load(open("config/config.yaml", encoding="utf-8"))
DATASETS = set(read_catalog("config/sources.csv").index)


def test_repository_config_passes():
    check_eu_config(CONFIG, DATASETS)
    assert {"lq_industry", "cluster_count", "krugman_sections", "digital_z"} <= exposure_names(CONFIG["panels"]["eu"])


@pytest.mark.parametrize("edit, message", [
    (lambda c: c["panels"]["eu"].update(episodes=["gfc", "dotcom"]), "panels.eu.episodes: unknown \\['dotcom'\\]"),
    (lambda c: c["panels"]["eu"]["measures"]["outcomes"].update(x="nope"), "measures.outcomes: unknown \\['nope'\\]"),
    (lambda c: c["panels"]["eu"]["models"][0]["exposures"].append("lq_nothing"), "unknown \\['lq_nothing'\\]"),
    (lambda c: c["panels"]["eu"]["series"]["emp_manuf"]["sources"][0].update(dataset="eurostat_xyz"), "eurostat_xyz"),
])
def test_mistakes_are_config_errors(edit, message):
    config = copy.deepcopy(CONFIG)
    edit(config)
    with pytest.raises(ConfigError, match=message):
        check_eu_config(config, DATASETS)
