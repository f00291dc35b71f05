"""The ``complex_risk:`` block of config/config.yaml: which datasets it reads, and the cross-checks
the JSON schema cannot express (run by ``resilience.config.check_config`` before any job).

Kept free of pandas/openpyxl imports: the Snakefile calls it on every start.
"""

from __future__ import annotations

from resilience import variables
from resilience.errors import ConfigError

# The formats resilience.sources.parsers.risk registers (tests/context/test_risk_settings.py keeps
# the two lists equal).
RISK_FORMATS = ("epu_china_xlsx", "epu_global_xlsx", "epu_us_xlsx", "gpr_daily_xls", "gpr_monthly_xls",
                "wui_monthly_xlsx", "wui_quarterly_xlsx")


def risk_datasets(block: dict) -> list[str]:
    """Catalog ids the analysis reads: the global series, the daily index (if any), the country indices."""
    names = {s["dataset"] for s in block["global_series"]}
    names |= {s["dataset"] for s in block["country_indices"].values()}
    if block.get("daily"):
        names.add(block["daily"]["dataset"])
    return sorted(names)


def check_complex_risk(config: dict, catalog) -> None:
    """ConfigError naming the key for: unknown datasets or formats, repeated keys, reversed periods,
    unknown variants' indices, variables or episode, and a sample that starts before the exposure year."""
    block = config.get("complex_risk")
    if block is None:
        return
    _check_datasets(block, catalog)
    _unique("complex_risk.global_series", [s["key"] for s in block["global_series"]])
    _unique("complex_risk.periods", [p["label"] for p in block["periods"]])
    for period in block["periods"]:
        first, last = period.get("first"), period.get("last")
        if first is not None and last is not None and first > last:
            raise ConfigError(f"complex_risk.periods.{period['label']}: first {first} is after last {last}")
    _check_model(block["model"], block["country_indices"], config)


def _check_datasets(block: dict, catalog) -> None:
    for name in risk_datasets(block):
        if name not in catalog.index:
            raise ConfigError(f"complex_risk: dataset {name!r} is not in the source catalog "
                              f"(config/sources.csv has {sorted(catalog.index)})")
        row = catalog.loc[name]
        for column in ("live_format", "mirror_format"):
            if row[column] and row[column] not in RISK_FORMATS:
                raise ConfigError(f"complex_risk: dataset {name!r} has {column} {row[column]!r}, which no risk "
                                  f"parser reads (known: {list(RISK_FORMATS)})")


def _check_model(model: dict, indices: dict, config: dict) -> None:
    _unique("complex_risk.model.variants", [v["name"] for v in model["variants"]])
    for variant in model["variants"]:
        if variant["index"] not in indices:
            raise ConfigError(f"complex_risk.model.variants.{variant['name']}: index {variant['index']!r} is not "
                              f"one of complex_risk.country_indices {sorted(indices)}")
    for field in ("exposures", "controls"):
        for name in model[field]:
            if name not in variables.EXPOSURES:
                raise ConfigError(f"complex_risk.model.{field}: unknown exposure {name!r} "
                                  f"(available: {sorted(variables.EXPOSURES)})")
    if model["interact_exposures"] and len(model["exposures"]) < 2:
        raise ConfigError("complex_risk.model.interact_exposures needs at least two exposures")
    growth = config["measures"]["growth_series"]
    if model["dependent"] not in growth:
        raise ConfigError(f"complex_risk.model.dependent: {model['dependent']!r} is not one of "
                          f"measures.growth_series {sorted(growth)}")
    episodes = {e["name"]: e for e in config["episodes"]}
    episode = episodes.get(model["exposure_episode"])
    if episode is None:
        raise ConfigError(f"complex_risk.model.exposure_episode: {model['exposure_episode']!r} is not one of "
                          f"the episodes {sorted(episodes)}")
    first, last = model["years"]
    if first > last:
        raise ConfigError(f"complex_risk.model.years: {first} is after {last}")
    if first <= episode["exposure_year"]:
        raise ConfigError(f"complex_risk.model.years: the sample starts in {first}, not after the exposure year "
                          f"{episode['exposure_year']} of episode {episode['name']!r} (exposures must predate "
                          "every shock year used)")


def _unique(key: str, names: list[str]) -> None:
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ConfigError(f"{key}: {repeated} appear more than once")
