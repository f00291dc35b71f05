"""Load and validate the configuration: schema first, then the cross-checks a schema cannot express.

Any mistake raises ConfigError naming the key, so it fails before any Snakemake job runs.
"""

from __future__ import annotations

from pathlib import Path

import jsonschema
import yaml

from resilience import variables
from resilience.catalog import read_catalog
from resilience.claims.ledger import load_ledger
from resilience.context.risk.checks import check_complex_risk
from resilience.context.divide.analysis import check_config as check_divide_config
from resilience.context.trade.checks import check_config as check_trade_config
from resilience.context.gvc.checks import check_settings as check_gvc_settings
from resilience.errors import ConfigError
from resilience.models.spec import parse_spec
from resilience.panels import registry as panel_registry
from resilience.panel_comparison import check_panel_comparison
from resilience.sources.bundle import check_bundle_setting


# libyaml's loader when PyYAML was built with it (about 10x faster on the schema, read at every start).
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(path, *, config_file: bool = False) -> dict:
    """Read a YAML file. ``config_file``: first check it as a configuration file (check_config_file)."""
    path = Path(path)
    if config_file:
        check_config_file(path)
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=SAFE_LOADER) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read YAML ({exc})") from exc


def check_config_file(path) -> None:
    """The raw file, before any loader folds it into a dict: not empty, a mapping, no key twice.

    YAML loaders keep the last of two equal keys without a word, so a second ``episodes:`` further
    down would silently replace the first; Snakemake's own load would hide it, hence this check of
    the file itself (composed by libyaml, so it costs little at every start).
    """
    path = Path(path)
    try:
        with path.open(encoding="utf-8") as handle:
            root = yaml.compose(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read YAML ({exc})") from exc
    if root is None or root.tag == "tag:yaml.org,2002:null":
        raise ConfigError(f"{path} is empty (no settings at all): restore the configuration file")
    if not isinstance(root, yaml.MappingNode):
        raise ConfigError(f"{path}, line {root.start_mark.line + 1}: the configuration must be a mapping "
                          "of keys to settings")
    _reject_duplicate_keys(path, root, "")


def _reject_duplicate_keys(path: Path, node, where: str) -> None:
    if isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _reject_duplicate_keys(path, item, f"{where}.{i}" if where else str(i))
    if not isinstance(node, yaml.MappingNode):
        return
    seen: dict[str, int] = {}
    for key_node, value_node in node.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        line = key_node.start_mark.line + 1
        if key is not None and key != "<<" and key in seen:
            raise ConfigError(f"{path}: key {_joined(where, key)!r} appears twice, on lines {seen[key]} and "
                              f"{line} (a YAML loader would keep only the last); remove one")
        seen.setdefault(key, line)
        _reject_duplicate_keys(path, value_node, _joined(where, key))


def _joined(where: str, key) -> str:
    return f"{where}.{key}" if where else str(key)


# What `--config raw_mirror=null` gives: Snakemake reads command-line values as plain strings.
LIVE_WORDS = {"", "null", "none", "~"}


def mirror_setting(value):
    """``raw_mirror`` (and ``raw_bundle``) as the workflow uses it: None (download live) for null written on
    the command line as well as in the file; otherwise the value as given."""
    if value is None or (isinstance(value, str) and value.strip().lower() in LIVE_WORDS):
        return None
    return value


def validate_schema(config: dict, schema: dict) -> None:
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(config), key=lambda e: list(e.absolute_path))
    if errors:
        lines = [f"  {_key_path(e)}: {e.message}" for e in errors[:10]]
        raise ConfigError("configuration does not match config/schema.yaml:\n" + "\n".join(lines))


def _key_path(error) -> str:
    return ".".join(str(p) for p in error.absolute_path) or "(top level)"


def check_config(config: dict, *, root=".") -> None:
    """Cross-checks: year ranges, episodes inside the years, known datasets, series and variables."""
    root = Path(root)
    _check_years(config)
    catalog = read_catalog(root / config["sources"]["catalog"])
    _check_sources(config, set(catalog.index))
    _check_measures(config)
    _check_models(config)
    check_complex_risk(config, catalog)
    check_divide_config(config["digital_divide"], set(catalog.index))
    check_trade_config(config["trade_diversion"], set(catalog.index), root)
    check_gvc_settings(config["gvc"], set(catalog.index))
    for panel_id, panel in panel_registry().items():
        if panel_id not in config["panels"]:
            raise ConfigError(f"panels.{panel_id}: no config block for the panel of src/resilience/panels/{panel_id}/")
        panel.check_config(config, catalog)
        panel.check_robustness(config)
        panel.check_adaptation(config)
        block = config["panels"][panel_id].get("specification_curve")
        if block:
            from resilience.robustness.specification_curve import check_block
            episodes = [e["name"] for e in panel.episodes(config)]
            check_block(block, f"panels.{panel_id}.specification_curve", episodes)
            _check_curve_headline(panel, config, block, f"panels.{panel_id}.specification_curve")
    if "panel_comparison" in config:
        check_panel_comparison(config)
    check_bundle_setting(config)
    if "claims" in config:
        claims = config["claims"]
        if claims["growth_end_year"] <= claims["growth_base_year"]:
            raise ConfigError(
                f"claims.growth_end_year: {claims['growth_end_year']} must be after growth_base_year "
                f"{claims['growth_base_year']}"
            )
        load_ledger(root / claims["ledger"], root / claims["schema"])
    mirror = config.get("raw_mirror")
    if mirror and not Path(mirror).is_dir():
        raise ConfigError(f"raw_mirror: {mirror!r} is not a directory (set raw_mirror=null to download live)")


def _check_years(config) -> None:
    start, end = config["years"]["start"], config["years"]["end"]
    if start >= end:
        raise ConfigError(f"years: start ({start}) must be before end ({end})")
    for ep in config["episodes"]:
        name = ep["name"]
        for phase in ("contraction", "recovery"):
            a, b = ep[phase]
            if a >= b:
                raise ConfigError(f"episodes.{name}.{phase}: {a} must be before {b}")
            if a < start or b > end:
                raise ConfigError(f"episodes.{name}.{phase}: {a}-{b} lies outside years {start}-{end}")
        if ep["exposure_year"] > ep["contraction"][0]:
            raise ConfigError(f"episodes.{name}.exposure_year: {ep['exposure_year']} is after the "
                              f"contraction start {ep['contraction'][0]} (exposures must be pre-shock)")
        if ep["exposure_year"] < start:
            raise ConfigError(f"episodes.{name}.exposure_year: {ep['exposure_year']} is before years.start {start}")
    names = [ep["name"] for ep in config["episodes"]]
    if len(set(names)) != len(names):
        raise ConfigError(f"episodes: names must be unique, got {names}")
    _check_episode_order(config["episodes"])
    for key in ("exposure", "cluster_exposure"):
        if config["figures"][key] not in variables.EXPOSURES:
            raise ConfigError(f"figures.{key}: unknown exposure {config['figures'][key]!r} "
                              f"(available: {sorted(variables.EXPOSURES)})")
    base = config["figures"]["peer_base_year"]
    if not start <= base <= end:
        raise ConfigError(f"figures.peer_base_year: {base} lies outside years {start}-{end}")


def _check_episode_order(episodes) -> None:
    """A recovery follows its contraction, and no two episodes share a phase year.

    The models give each phase the years (start, end]; a recovery starting before its contraction
    ends, or two episodes covering the same year, would switch on two phase dummies in one year, and
    the models could not tell the phases apart.
    """
    for ep in episodes:
        contraction, recovery = ep["contraction"], ep["recovery"]
        if recovery[0] < contraction[1]:
            raise ConfigError(f"episodes.{ep['name']}.recovery: {recovery[0]}-{recovery[1]} starts before the "
                              f"contraction {contraction[0]}-{contraction[1]} ends (the recovery must start at "
                              f"or after {contraction[1]})")
    spans = sorted((ep["contraction"][0], ep["recovery"][1], ep["name"]) for ep in episodes)
    for (_, end, first), (start, _, second) in zip(spans, spans[1:]):
        if start < end:
            raise ConfigError(f"episodes.{second}: its phases ({start} onwards) overlap those of episode "
                              f"{first} (up to {end}); the models cannot separate the two episodes, so "
                              f"{second}'s contraction must start at or after {end}")


def _check_sources(config, datasets: set[str]) -> None:
    for ds in config["sources"]["optional"]:
        if ds not in datasets:
            raise ConfigError(f"sources.optional: unknown dataset {ds!r} (not in the catalog)")
    for name, spec in config["series"].items():
        for src in spec["sources"]:
            if src["dataset"] not in datasets:
                raise ConfigError(f"series.{name}.sources: unknown dataset {src['dataset']!r} "
                                  f"(catalog has {sorted(datasets)})")


def _check_measures(config) -> None:
    series = set(config["series"])
    m = config["measures"]
    needed = {"measures.outcome": [m["outcome"]],
              "measures.growth_series": list(m["growth_series"].values()),
              "measures.digital.series": m["digital"]["series"],
              "measures.digital.log_transform": m["digital"]["log_transform"],
              "measures.composite_panel.digital_components": m["composite_panel"]["digital_components"]}
    for key, names in needed.items():
        for name in names:
            if name not in series:
                raise ConfigError(f"{key}: unknown series {name!r} (configured series: {sorted(series)})")
    allowed = set(m["growth_series"]) | {"manuf_share", "sector_entropy"}
    for name in m["composite_panel"]["resilience_components"]:
        if name not in allowed:
            raise ConfigError(f"measures.composite_panel.resilience_components: unknown variable {name!r} "
                              f"(available: {sorted(allowed)})")


def _check_models(config) -> None:
    growth = list(config["measures"]["growth_series"])
    allowed = {
        "panel": variables.panel_model_variables(growth),
        "cross_section": variables.cross_section_variables(),
        "panel_plain": variables.panel_plain_variables(growth),
    }
    names = [m["name"] for m in config["models"]]
    if len(set(names)) != len(names):
        raise ConfigError(f"models: names must be unique, got {names}")
    episodes = {ep["name"] for ep in config["episodes"]}
    for model in config["models"]:
        spec = parse_spec(model)
        unknown = set(spec.episodes or ()) - episodes
        if unknown:
            raise ConfigError(f"models.{model['name']}.episodes: unknown episode(s) {sorted(unknown)} "
                              f"(configured: {sorted(episodes)})")
        if spec.years and spec.years[0] >= spec.years[1]:
            raise ConfigError(f"models.{model['name']}.sample.years: {spec.years[0]} must be before {spec.years[1]}")
        used = [model.get("dependent")] + model.get("dependents", []) + model.get("exposures", []) \
            + model.get("regressors", []) + model.get("controls", [])
        for var in filter(None, used):
            if var not in allowed[model["kind"]]:
                raise ConfigError(f"models.{model['name']}: unknown variable {var!r} for a "
                                  f"{model['kind']} model (available: {sorted(allowed[model['kind']])})")
    panel_models = [m["name"] for m in config["models"] if m["kind"] == "panel"]
    if config["figures"]["main_model"] not in panel_models:
        raise ConfigError(f"figures.main_model: {config['figures']['main_model']!r} is not a model of kind panel "
                          f"(configured: {panel_models})")




def _check_curve_headline(panel, config: dict, block: dict, where: str) -> None:
    """Each episode's curve starts from its headline model's dependent variable: the findings set the
    curve's shares beside that model's estimate, so the two must describe the same outcome."""
    from resilience.robustness.specification_curve import episode_block, fork_values

    models = {m["name"]: m for m in panel.settings(config)["models"]}
    for episode, name in panel.headline_models(config).items():
        first = fork_values(episode_block(block, episode))["outcome"][0]
        dependent = models[name].get("dependent")
        if dependent and first != dependent:
            raise ConfigError(
                f"{where}: the first outcome of episode {episode} is {first!r}, but its headline model {name!r} "
                f"explains {dependent!r}; put {dependent!r} first (forks.outcome, or by_episode.{episode}.forks.outcome)"
            )
