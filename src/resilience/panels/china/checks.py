"""Cross-checks of the ``panels.china:`` config block that the JSON schema cannot express.

Kept apart from ``china.py`` (which imports the estimators) so the check that runs on every
Snakemake start stays cheap.
"""

from __future__ import annotations

from resilience.errors import ConfigError
from resilience.models.spec import parse_spec

GROWTH_VARIABLES = {"g_gdp", "g_gdp_nominal", "g_emp"}
EXPOSURE_VARIABLES = {"dfi", "sec_lq", "ind_lq", "log_gdppc"}
COMPOSITE_VARIABLES = {"resilience_index", "digital_index", "sec_lq"}


def check_china_config(block: dict, datasets: set[str]) -> None:
    """Raise ``ConfigError`` naming the key for an unknown dataset, year or model variable."""
    start, end = block["years"]["start"], block["years"]["end"]
    if start >= end:
        raise ConfigError(f"panels.china.years: start ({start}) must be before end ({end})")
    for name, spec in block["series"].items():
        if any(s.get("dating", "as_published") != "as_published" for s in spec["sources"]) and \
                spec.get("combine") != "by_year":
            # A re-dated source must be spliced by year, or its moved rows would be the whole series.
            raise ConfigError(f"panels.china.series.{name}: a source with 'dating' needs 'combine: by_year'")
        for source in spec["sources"]:
            if source["dataset"] not in datasets:
                raise ConfigError(f"panels.china.series.{name}.sources: unknown dataset {source['dataset']!r} "
                                  "(not in the catalog)")
    _check_episode(block["episode"], start, end)
    _check_unit_classes(block.get("specification_curve") or {})
    first, last = block["index_lagged_rows"]
    if not start <= first <= last <= end:
        raise ConfigError(f"panels.china.index_lagged_rows: {first}-{last} must lie inside years {start}-{end}")
    if not start <= block["price_base_year"] <= end:
        raise ConfigError(f"panels.china.price_base_year: {block['price_base_year']} is outside {start}-{end}")
    names = [m.get("name") for m in block["models"]] + [block["composite"]["model"].get("name")]
    if len(set(names)) != len(names):
        raise ConfigError(f"panels.china.models: names must be unique, got {names}")
    for entry in block["models"]:
        spec = _clustered(entry, "panel")
        _known(spec.name, spec.dependents, GROWTH_VARIABLES, "dependent")
        _known(spec.name, spec.exposures + spec.controls, EXPOSURE_VARIABLES, "exposures/controls")
    composite = block["composite"]
    unknown = [c for c in composite["digital_components"] if c not in block["series"]]
    if unknown:
        raise ConfigError(f"panels.china.composite.digital_components: {unknown} are not configured series")
    spec = _clustered(composite["model"], "panel_plain")
    _known(spec.name, spec.dependents + spec.regressors, COMPOSITE_VARIABLES, "dependent/regressors")


def _check_episode(episode: dict, start: int, end: int) -> None:
    for phase in ("contraction", "recovery"):
        a, b = episode[phase]
        if not start <= a < b <= end:
            raise ConfigError(f"panels.china.episode.{phase}: {a}-{b} must run forward inside {start}-{end}")
    if episode["exposure_year"] > episode["contraction"][0]:
        raise ConfigError(f"panels.china.episode.exposure_year: {episode['exposure_year']} is after the "
                          f"contraction start {episode['contraction'][0]} (exposures must be pre-shock)")


def _clustered(entry: dict, kind: str):
    spec = parse_spec(entry)
    if spec.kind != kind or spec.cov != "clustered":
        raise ConfigError(f"panels.china model '{spec.name}': needs kind {kind!r} and cov 'clustered' "
                          f"(the wild bootstrap clusters by province), got {spec.kind!r}, {spec.cov!r}")
    return spec


def _known(model: str, names, allowed: set[str], field: str) -> None:
    unknown = [n for n in names if n not in allowed]
    if unknown:
        raise ConfigError(f"panels.china model '{model}': {field} {unknown} unknown (available: {sorted(allowed)})")


def _check_unit_classes(curve: dict) -> None:
    """Every unit a classification of the specification curve names is a province's panel id."""
    from resilience.panels.china.provinces import province_table

    known = set(province_table()["unit"])
    for column, classes in (curve.get("unit_classes") or {}).items():
        unknown = sorted({u for members in classes.values() for u in members} - known)
        if unknown:
            raise ConfigError(
                f"panels.china.specification_curve.unit_classes.{column}: {unknown} are not province ids "
                f"(CN + the two-digit GB/T 2260 code, e.g. CN11)"
            )
