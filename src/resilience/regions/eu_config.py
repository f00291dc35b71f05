"""Cross-checks of the ``eu_regions`` config block that a JSON schema cannot express (ConfigError early)."""

from __future__ import annotations

from resilience.errors import ConfigError

DIGITAL_EXPOSURES = ("digital_z", "digital_pca", "digital_entropy")


def exposure_names(settings: dict) -> set[str]:
    """Every pre-shock exposure the EU measures can produce under ``settings``."""
    m = settings["measures"]
    names = {f"lq_{name}" for name in m["lq"]} | {"cluster_count", "sectors_observed"} | set(DIGITAL_EXPOSURES)
    for set_name in m["specialisation_sets"]:
        names |= {f"krugman_{set_name}", f"herfindahl_{set_name}"}
    return names


def check_eu_config(config: dict, datasets: set[str]) -> None:
    """Episodes, datasets, series, sector sets, variables and figure choices of ``eu_regions`` exist."""
    eu = config["eu_regions"]
    episodes = {e["name"] for e in config["episodes"]}
    _within("eu_regions.episodes", eu["episodes"], episodes)
    series, sets = set(eu["series"]), set(eu["sectors"])
    sources = [(f"eu_regions.series.{n}", s) for n, spec in eu["series"].items() for s in spec["sources"]]
    sources += [(f"eu_regions.sectors.{n}", s) for n, spec in eu["sectors"].items() for s in spec["sources"]]
    for key, source in sources:
        _within(f"{key}.sources", [source["dataset"]], datasets)
    _within("eu_regions.nuts.workbooks", eu["nuts"]["workbooks"], datasets)
    m = eu["measures"]
    _within("eu_regions.measures.outcomes", list(m["outcomes"].values()), series)
    for name, spec in m["lq"].items():
        _within(f"eu_regions.measures.lq.{name}", [spec["sector"], spec["total"]], series)
    _within("eu_regions.measures.clusters.sectors", [m["clusters"]["sectors"]], sets)
    _within("eu_regions.measures.specialisation_sets", m["specialisation_sets"], sets)
    _within("eu_regions.measures.digital.series", m["digital"]["series"], series)
    _within("eu_regions.growth", list(eu["growth"].values()), series)
    exposures = exposure_names(eu)
    for model in eu["models"]:
        _within(f"eu_regions.models.{model['name']}.dependent", [model["dependent"]], set(eu["growth"]))
        _within(f"eu_regions.models.{model['name']}.exposures", model["exposures"], exposures)
        _within(f"eu_regions.models.{model['name']}.episodes", model.get("episodes", []), set(eu["episodes"]))
    _within("eu_regions.cross_section.regressors", eu["cross_section"]["regressors"], exposures)
    figures = eu["figures"]
    _within("eu_regions.figures.outcome", [figures["outcome"]], set(m["outcomes"]))
    _within("eu_regions.figures", [figures["cluster_exposure"], figures["digital_exposure"]], exposures)
    _check_map(eu, datasets)


def _check_map(eu: dict, datasets: set[str]) -> None:
    spec = eu["map"]
    _within("eu_regions.map.dataset", [spec["dataset"]], datasets)
    target = eu["nuts"]["target_version"]
    if spec["nuts_version"] != target:
        raise ConfigError(f"eu_regions.map.nuts_version: the polygons are NUTS {spec['nuts_version']} but the panel is "
                          f"harmonised to NUTS {target} (eu_regions.nuts.target_version): take GISCO's NUTS {target} "
                          "file, or regions whose codes changed would be drawn grey")
    lon_min, lon_max, lat_min, lat_max = spec["extent"]
    if not (-180 <= lon_min < lon_max <= 180 and -90 <= lat_min < lat_max <= 90):
        raise ConfigError(f"eu_regions.map.extent: {spec['extent']} is not [lon_min, lon_max, lat_min, lat_max] "
                          "in degrees with min < max")


def _within(key: str, values, allowed: set[str]) -> None:
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise ConfigError(f"{key}: unknown {unknown} (available: {sorted(allowed)})")
