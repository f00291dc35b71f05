"""The complex_risk config block: the shipped block validates; each mistake is a ConfigError naming its key."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from resilience.config import check_config, load_yaml, validate_schema
from resilience.context.risk.checks import risk_datasets
from resilience.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = load_yaml(ROOT / "config" / "config.yaml")
SCHEMA = load_yaml(ROOT / "config" / "schema.yaml")


def validate(config):
    validate_schema(config, SCHEMA)
    check_config(config, root=ROOT)


@pytest.fixture
def cfg():
    return copy.deepcopy(SHIPPED)


def test_shipped_block_is_valid_and_names_its_datasets(cfg):
    validate(cfg)
    assert risk_datasets(cfg["complex_risk"]) == ["epu_china", "epu_global", "epu_us", "gpr_daily", "gpr_monthly",
                                                  "wui_monthly", "wui_quarterly"]
    assert set(risk_datasets(cfg["complex_risk"])) <= set(cfg["sources"]["optional"])


def test_without_daily_the_daily_file_is_not_read(cfg):
    cfg["complex_risk"]["daily"] = None
    validate(cfg)
    assert "gpr_daily" not in risk_datasets(cfg["complex_risk"])


@pytest.mark.parametrize("change, message", [
    (lambda b: b["global_series"][0].update(dataset="gpr_weekly"), "dataset 'gpr_weekly' is not in the source catalog"),
    (lambda b: b["global_series"][1].update(dataset="wdi_sp_pop_totl"), "which no risk parser reads"),
    (lambda b: b["global_series"][1].update(key="gpr"), r"complex_risk.global_series: \['gpr'\]"),
    (lambda b: b["periods"][1].update(first=2020, last=2010), "first 2020 is after last 2010"),
    (lambda b: b["model"]["variants"][0].update(index="epu"), "index 'epu' is not one of"),
    (lambda b: b["model"].update(exposures=["digital_z", "broadband_z"]), "unknown exposure 'broadband_z'"),
    (lambda b: b["model"].update(exposure_episode="dotcom"), "exposure_episode: 'dotcom'"),
    (lambda b: b["model"].update(years=[2006, 2024]), "not after the exposure year 2007"),
    (lambda b: b["model"].update(dependent="g_services"), "not one of measures.growth_series"),
    (lambda b: b["model"].update(exposures=["digital_z"]), "interact_exposures needs at least two"),
])
def test_cross_checks(cfg, change, message):
    change(cfg["complex_risk"])
    with pytest.raises(ConfigError, match=message):
        validate(cfg)


@pytest.mark.parametrize("change, key", [
    (lambda b: b.update(colour="red"), "complex_risk"),
    (lambda b: b["events"].append({"date": "2022-2", "label": "x"}), "complex_risk.events.4.date"),
    (lambda b: b["country_indices"]["wui"].update(frequency="D"), "complex_risk.country_indices.wui.frequency"),
    (lambda b: b["periods"][0].update(first="1997"), "complex_risk.periods.0.first"),
])
def test_schema(cfg, change, key):
    change(cfg["complex_risk"])
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
        validate(cfg)
