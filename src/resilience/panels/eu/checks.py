"""Cross-checks of the ``panels.eu`` config block that a JSON schema cannot express (ConfigError early)."""

from __future__ import annotations

import re

from resilience.errors import ConfigError

DIGITAL_EXPOSURES = ("digital_z", "digital_pca", "digital_entropy")


def exposure_names(settings: dict) -> set[str]:
    """Every pre-shock exposure the EU measures can produce under ``settings``."""
    m = settings["measures"]
    names = {f"lq_{name}" for name in m["lq"]} | {"cluster_count", "sectors_observed"} | set(DIGITAL_EXPOSURES)
    for set_name in m["specialisation_sets"]:
        names |= {f"krugman_{set_name}", f"herfindahl_{set_name}"}
    return names


# GISCO's NUTS file names carry the NUTS version: NUTS_RG_20M_2021_4326_LEVL_2.geojson (RG = regions,
# 20M = scale 1:20 million, 2021 = NUTS version, 4326 = EPSG code).
GISCO_NUTS_FILE = re.compile(r"NUTS_[A-Z]{2}_\d+M_(\d{4})_\d+")


def url_nuts_version(url: str) -> int | None:
    """The NUTS version in a GISCO file name or URL (``None`` if it does not follow GISCO's naming)."""
    match = GISCO_NUTS_FILE.search(url.rsplit("/", 1)[-1])
    return int(match.group(1)) if match else None


def check_eu_config(config: dict, datasets: set[str], catalog=None) -> None:
    """Episodes, datasets, series, sector sets, variables and figure choices of ``panels.eu`` exist;
    with the source ``catalog`` (``resilience.catalog.read_catalog``), the map's polygons are of the
    panel's NUTS version by the catalog row's URL too."""
    eu = config["panels"]["eu"]
    episodes = {e["name"] for e in config["episodes"]}
    _within("panels.eu.episodes", eu["episodes"], episodes)
    series, sets = set(eu["series"]), set(eu["sectors"])
    sources = [(f"panels.eu.series.{n}", s) for n, spec in eu["series"].items() for s in spec["sources"]]
    sources += [(f"panels.eu.sectors.{n}", s) for n, spec in eu["sectors"].items() for s in spec["sources"]]
    for key, source in sources:
        _within(f"{key}.sources", [source["dataset"]], datasets)
    _within("panels.eu.nuts.workbooks", eu["nuts"]["workbooks"], datasets)
    m = eu["measures"]
    _within("panels.eu.measures.outcomes", list(m["outcomes"].values()), series)
    _within("panels.eu.measures.structural_max_back", list(m.get("structural_max_back", {})), exposure_names(eu))
    for name, spec in m["lq"].items():
        _within(f"panels.eu.measures.lq.{name}", [spec["sector"], spec["total"]], series)
    _within("panels.eu.measures.clusters.sectors", [m["clusters"]["sectors"]], sets)
    _within("panels.eu.measures.specialisation_sets", m["specialisation_sets"], sets)
    _within("panels.eu.measures.digital.series", m["digital"]["series"], series)
    _within("panels.eu.growth", list(eu["growth"].values()), series)
    exposures = exposure_names(eu)
    for model in eu["models"]:
        _within(f"panels.eu.models.{model['name']}.dependent", [model["dependent"]], set(eu["growth"]))
        _within(f"panels.eu.models.{model['name']}.exposures", model["exposures"], exposures)
        _within(f"panels.eu.models.{model['name']}.episodes", model.get("episodes", []), set(eu["episodes"]))
    _within("panels.eu.cross_section.regressors", eu["cross_section"]["regressors"], exposures)
    figures = eu["figures"]
    _within("panels.eu.figures.outcome", [figures["outcome"]], set(m["outcomes"]))
    _within("panels.eu.figures", [figures["cluster_exposure"], figures["digital_exposure"]], exposures)
    _check_map(eu, datasets)
    if catalog is not None:
        check_map_catalog_version(eu, catalog.loc[eu["map"]["dataset"]].to_dict())


def _check_map(eu: dict, datasets: set[str]) -> None:
    spec = eu["map"]
    _within("panels.eu.map.dataset", [spec["dataset"]], datasets)
    target = eu["nuts"]["target_version"]
    if spec["nuts_version"] != target:
        raise ConfigError(f"panels.eu.map.nuts_version: the polygons are NUTS {spec['nuts_version']} but the panel is "
                          f"harmonised to NUTS {target} (panels.eu.nuts.target_version): take GISCO's NUTS {target} "
                          "file, or regions whose codes changed would be drawn grey")
    lon_min, lon_max, lat_min, lat_max = spec["extent"]
    if not (-180 <= lon_min < lon_max <= 180 and -90 <= lat_min < lat_max <= 90):
        raise ConfigError(f"panels.eu.map.extent: {spec['extent']} is not [lon_min, lon_max, lat_min, lat_max] "
                          "in degrees with min < max")


def check_map_catalog_version(eu: dict, row: dict) -> None:
    """The polygons' NUTS version read from the catalog row's ``live_url`` (GISCO's file name carries it)
    must be the panel's (``panels.eu.nuts.target_version``); the config's ``map.nuts_version`` is only
    a claim about that file."""
    target, url = eu["nuts"]["target_version"], row["live_url"]
    found = url_nuts_version(url)
    where = f"config/sources.csv row {row['dataset']} (live_url {url})"
    if found is None:
        raise ConfigError(f"{where}: no NUTS version in the file name (expected a GISCO name such as "
                          f"NUTS_RG_20M_{target}_4326_LEVL_2.geojson, NUTS {target} as panels.eu.nuts.target_version)")
    if found != target:
        raise ConfigError(f"{where}: the file is NUTS {found} but the panel is harmonised to NUTS {target} "
                          f"(panels.eu.nuts.target_version; panels.eu.map.nuts_version says "
                          f"{eu['map']['nuts_version']}): point the row at GISCO's NUTS {target} file")


def _within(key: str, values, allowed: set[str]) -> None:
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise ConfigError(f"{key}: unknown {unknown} (available: {sorted(allowed)})")
