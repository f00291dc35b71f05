"""The interface every panel implements: what the shared stage rules ask of a panel.

A panel is units observed over years (economies, EU NUTS-2 regions, Chinese provinces), built by
its own source-specific rule into ``data/processed/<id>_panel.parquet`` (``panel_file``). After that
every panel runs the same stages (``workflow/rules/stages.smk``, wildcard ``panel`` = ``id``):

- ``measures``: growth, Martin indices, pre-shock exposures and the digital composites' info
  (``measure_tables``), returned as ``MeasureTables``;
- ``models``: the shock x pre-shock exposure models with the wild cluster bootstrap;
- ``figure``: each name in ``figures``;
- ``section``: the panel's report section (``section_inputs``; None for the country panel, whose
  section is the report's main body);
- ``robustness``: event study, local projections, placebo dates, size weighting and adjusted p-values
  of the headline model (``resilience.robustness.stage``; ``robustness_frames``, ``size_levels``);
- ``adaptation``: structural change and hysteresis per unit and episode, and their models on the
  headline's pre-shock exposures (``resilience.robustness.adaptation_stage``; ``adaptation_settings``).

Each stage's rule gets only the config keys listed in ``stage_keys`` as its params, so a change to
another key does not rerun it.

The shared code speaks ``unit`` and ``group`` only: ``group`` is the column that groups units (an EU
region's country, a province's country, an economy itself); the Martin index compares a unit with its
group's total, ``design.fixed_effects: [unit, group_year]`` and ``design.bootstrap_cluster: group`` use it.
A panel whose own tables name them otherwise maps them once, in ``to_core`` (its tables -> the shared
code's names) and ``from_core`` (back, for the tables the shared code writes for it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from resilience.episode_settings import for_episode
from resilience.errors import ConfigError

if TYPE_CHECKING:  # the Snakefile imports the panels at every start: keep it light
    import pandas as pd

STAGES = ("measures", "models", "figure", "robustness", "adaptation")
# A panel block without a ``robustness`` key (a new panel in the generic layout) gets these, with its
# first model as the headline.
ROBUSTNESS_DEFAULTS = {"window": [-5, 4], "horizons": 4, "size": None,
                       "romano_wolf": {"reps": 999, "weights": "webb", "seed": 0}}
# A panel block without an ``adaptation`` key measures nothing and says so in its adaptation table.
ADAPTATION_DEFAULTS = {"pre_offset": 0, "post_offset": 0, "share": None, "diversity": None, "hysteresis": None,
                       "headline_measure": "hysteresis_k0",
                       "not_measurable": {k: "the panel block has no adaptation settings"
                                          for k in ("share", "diversity", "hysteresis")}}


def adaptation_measure_names(own: dict) -> list[str]:
    """The measures of an ``adaptation`` block, configured or not (a null block is reported, not dropped)."""
    hyst = own.get("hysteresis") or {}
    return ["share_change", "diversity_change", *[f"hysteresis_k{k}" for k in hyst.get("years_after", [0])]]


# The bootstrap columns of a coefficient table of the shared model (models.shock_exposure.BOOT_EXTRA),
# as the cross-panel comparison names them.
SHARED_BOOTSTRAP_COLUMNS = {"p_boot": "boot_p", "boot_ci_low": "boot_ci_low", "boot_ci_high": "boot_ci_high",
                            "boot_clusters": "boot_clusters", "boot_reps": "boot_reps", "boot_weights": "boot_weights"}


@dataclass(frozen=True)
class MeasureTables:
    """What a panel's ``measure_tables`` returns: growth (unit-year), Martin indices (unit x episode x
    phase), pre-shock exposures (unit x episode x variable) and the digital composites' info table."""

    growth: pd.DataFrame
    martin: pd.DataFrame
    exposures: pd.DataFrame
    digital_info: pd.DataFrame


def _check_per_episode(where: str, value, allowed: list[str] | None, allowed_what: str | None,
                       episodes: list[str]) -> None:
    """``value`` (a name, or a mapping episode -> name) names only ``allowed`` values (None: any) and, as a
    mapping, exactly the panel's episodes: an episode left out would silently lose its robustness evidence."""
    if isinstance(value, dict):
        if sorted(value) != sorted(episodes):
            raise ConfigError(f"{where}: a mapping must name each of the panel's episodes {episodes} once (got "
                              f"{sorted(value)})")
        names = list(value.values())
    else:
        names = [value]
    unknown = [n for n in names if allowed is not None and n not in allowed]
    if unknown:
        raise ConfigError(f"{where}: {unknown[0]!r} is not one of {allowed_what} {allowed}")


class Panel:
    """Base class of a panel; a subpackage of ``resilience.panels`` defines one subclass and ``PANEL``."""

    id: ClassVar[str]
    label: ClassVar[str]
    # How the notes name a unit (e.g. "the bootstrap clusters by economy").
    unit_label: ClassVar[str] = "unit"
    figures: ClassVar[tuple[str, ...]] = ("resistance_by_cluster", "resistance_by_digital")
    stage_keys: ClassVar[dict[str, tuple[str, ...]]] = {
        "measures": ("measures",), "models": ("models", "design", "bootstrap"),
        "figure": ("measures", "figures", "episodes")}
    # The config keys the robustness stage reads (its own block, the headline model, the design).
    robustness_keys: ClassVar[tuple[str, ...]] = ("robustness", "models", "design")
    # The Martin benchmark is the unit's own group: a group's only unit then has index 0 by
    # construction and the Martin summaries leave it out (``stages.martin_summary``).
    martin_benchmark_is_group: ClassVar[bool] = False
    # Extra inputs of the model rule beyond growth and exposures.
    model_inputs: ClassVar[dict[str, str]] = {}
    # The section's own results files (CSV tables, model notes, figures); None: no own section.
    section_inputs: ClassVar[dict | None] = None
    # The report section this panel's section follows (None: after all the others).
    section_after: ClassVar[str | None] = None
    # The cross-panel comparison (resilience.panel_comparison): ``models`` and ``notes``, the files of
    # the panel's shock x exposure models; ``bootstrap`` (None: the panel runs none) its wild-bootstrap
    # table ``path``, what it is ``clustered_by`` and its ``columns`` renamed to the comparison's;
    # ``raw_scale``, the exposures' units when the panel's ``design.standardize`` is false.

    @property
    def panel_file(self) -> str:
        return f"data/processed/{self.id}_panel.parquet"

    @property
    def figure_inputs(self) -> dict[str, str]:
        """Inputs of the figure rule."""
        return {"martin": f"results/tables/{self.id}_martin.csv", "exposures": f"results/tables/{self.id}_exposures.csv"}

    # What the panel's wild bootstrap clusters by, and the exposures' units when the design does not
    # standardize them, as the cross-panel comparison states them.
    bootstrap_clustered_by: ClassVar[str] = "unit or group (design.bootstrap_cluster)"
    raw_scale: ClassVar[str] = ("NOT standardized (design.standardize is false): exposures in their own units; main "
                                "effects at the other exposure = 0")

    @property
    def comparison(self) -> dict:
        return {"models": f"results/tables/{self.id}_models.csv", "notes": f"results/models/{self.id}_models.json",
                "bootstrap": {"path": f"results/tables/{self.id}_models.csv", "clustered_by": self.bootstrap_clustered_by,
                              "columns": SHARED_BOOTSTRAP_COLUMNS},
                "raw_scale": self.raw_scale}

    # --- configuration ---------------------------------------------------------------------------

    def settings(self, config: dict) -> dict:
        """The panel's whole settings: its block under ``panels``."""
        return config["panels"][self.id]

    def stage_settings(self, config: dict, stage: str) -> dict:
        """The config slice one stage reads (``stage_keys``)."""
        if stage in ("robustness", "adaptation"):
            settings = self.settings(config)
            own = {"adaptation": self.adaptation_settings(settings)} if stage == "adaptation" else {}
            return {**own, "robustness": self.robustness_settings(settings),
                    **{key: settings[key] for key in self.robustness_keys if key != "robustness"}}
        if stage not in self.stage_keys:
            raise ConfigError(f"panel {self.id!r}: no stage {stage!r} (expected one of {sorted(self.stage_keys)})")
        settings = self.settings(config)
        return {key: settings[key] for key in self.stage_keys[stage]}

    def robustness_settings(self, settings: dict) -> dict:
        """The panel's ``robustness`` block, or ``ROBUSTNESS_DEFAULTS`` with its first model as the headline."""
        if "robustness" in settings:
            return settings["robustness"]
        return {"headline_model": settings["models"][0]["name"], **ROBUSTNESS_DEFAULTS}

    def adaptation_settings(self, settings: dict) -> dict:
        """The panel's ``adaptation`` block, or ``ADAPTATION_DEFAULTS`` (nothing measured, the reason said)."""
        return settings.get("adaptation") or ADAPTATION_DEFAULTS

    def headline_models(self, config: dict) -> dict[str, str]:
        """Episode -> the headline model judged on it (``robustness.headline_model``: one name for every
        episode, or a mapping episode -> name), for the episodes that model covers."""
        settings = self.settings(config)
        chosen = self.robustness_settings(settings)["headline_model"]
        models = {m["name"]: m for m in settings["models"]}
        out = {}
        for entry in self.episodes(config):
            name = for_episode(chosen, entry["name"])
            covered = name in models and (not models[name].get("episodes") or entry["name"] in models[name]["episodes"])
            if covered:
                out[entry["name"]] = name
        return out

    def robustness_episodes(self, config: dict) -> list[str]:
        """The episodes of the robustness headline model (its own ``episodes``, else the panel's)."""
        return list(self.headline_models(config))

    def size_series(self, config: dict) -> dict[str, str | None]:
        """Episode -> the robustness size series (``robustness.size.series``: one name or a mapping episode
        -> name), None for every episode when the panel has no size measure."""
        size = self.robustness_settings(self.settings(config))["size"]
        series = (size or {}).get("series")
        return {e["name"]: for_episode(series, e["name"]) for e in self.episodes(config)}

    def check_robustness(self, config: dict) -> None:
        """The headline model is one of the panel's models and the event window brackets the reference -1."""
        settings = self.settings(config)
        own = self.robustness_settings(settings)
        names = [m["name"] for m in settings["models"]]
        where = f"panels.{self.id}.robustness"
        chosen, series = own["headline_model"], (own["size"] or {}).get("series")
        per_episode = isinstance(chosen, dict) or isinstance(series, dict)
        episodes = [e["name"] for e in self.episodes(config)] if per_episode else []
        _check_per_episode(f"{where}.headline_model", chosen, names, "the panel's models", episodes)
        if isinstance(chosen, dict):
            models = {m["name"]: m for m in settings["models"]}
            outside = sorted(e for e, n in chosen.items() if models[n].get("episodes") and e not in models[n]["episodes"])
            if outside:
                raise ConfigError(f"{where}.headline_model: the model named for episode(s) {outside} does not cover them")
        if isinstance(series, dict):
            _check_per_episode(f"{where}.size.series", series, None, None, episodes)
        low, high = own["window"]
        if not low < -1 < high:
            raise ConfigError(f"panels.{self.id}.robustness.window: {own['window']} must contain the reference year "
                              "-1 and at least one year on each side")
        placebo = own.get("timing_placebo")
        if placebo:
            episodes = {e["name"]: e for e in self.episodes(config)}
            if placebo["episode"] not in episodes:
                raise ConfigError(f"panels.{self.id}.robustness.timing_placebo.episode: {placebo['episode']!r} is not "
                                  f"one of the panel's episodes {sorted(episodes)}")
            # the fake contraction must not overlap a real one: (y0, y2] of every episode
            inside = [n for n, e in episodes.items() if e["contraction"][0] < placebo["shock_year"] <= e["recovery"][1]]
            if inside:
                raise ConfigError(f"panels.{self.id}.robustness.timing_placebo.shock_year: {placebo['shock_year']} lies "
                                  f"inside the episode(s) {inside}")

    def check_adaptation(self, config: dict) -> None:
        """A measure set to null says why in ``not_measurable``; the headline measure is one of the measures."""
        own = self.adaptation_settings(self.settings(config))
        where = f"panels.{self.id}.adaptation"
        for kind in ("share", "diversity", "hysteresis"):
            if not own.get(kind) and not own.get("not_measurable", {}).get(kind):
                raise ConfigError(f"{where}.{kind} is null: give the reason in {where}.not_measurable.{kind}")
        names = adaptation_measure_names(own)
        if own["headline_measure"] not in names:
            raise ConfigError(f"{where}.headline_measure: {own['headline_measure']!r} is not one of {names}")
        hyst = own.get("hysteresis")
        if hyst and not 2 <= hyst.get("min_trend_years", hyst["trend_years"]) <= hyst["trend_years"]:
            raise ConfigError(f"{where}.hysteresis: need 2 <= min_trend_years <= trend_years")
        series, growth = self.adaptation_names(config)
        share, diversity = own.get("share") or {}, own.get("diversity") or {}
        named = [share.get("numerator"), share.get("denominator"), *diversity.get("sectors", [])]
        unknown = sorted(n for n in named if n and series is not None and n not in series)
        if unknown:
            raise ConfigError(f"{where}: unknown series {unknown} (the panel's series: {sorted(series)})")
        if hyst:
            allowed = sorted(growth) if growth is not None else None
            _check_per_episode(f"{where}.hysteresis.outcome", hyst["outcome"], allowed, "the panel's growth columns",
                               [e["name"] for e in self.episodes(config)])

    def adaptation_names(self, config: dict) -> tuple[set[str] | None, set[str] | None]:
        """(the series of the panel file, the growth columns) the adaptation block may name; None: not known
        before the run (the generic layout), so the adaptation table reports a missing one instead."""
        return None, None

    def episodes(self, config: dict) -> list[dict]:
        """The episodes the panel studies, as entries of the top-level ``episodes`` list."""
        names = self.settings(config)["episodes"]
        return [e for e in config["episodes"] if e["name"] in names]

    def check_config(self, config: dict, catalog) -> None:
        """Cross-checks of the panel's settings that the schema cannot express (ConfigError): its
        episodes exist and its models parse."""
        from resilience.models.spec import parse_spec
        settings = self.settings(config)
        known = [e["name"] for e in config["episodes"]]
        unknown = [name for name in settings.get("episodes", []) if name not in known]
        if unknown:
            raise ConfigError(f"panels.{self.id}.episodes: unknown {unknown} (the top-level episodes: {known})")
        for entry in settings.get("models", []):
            parse_spec(entry)

    def comparison_models(self, config: dict) -> dict[str, dict]:
        """The panel's shock x exposure models by name, each with its ``episodes`` filled in."""
        episodes = [e["name"] for e in self.episodes(config)]
        return {m["name"]: {**m, "episodes": m.get("episodes") or episodes} for m in self.settings(config)["models"]}

    def notes_reason(self, notes: dict, model: str) -> str:
        """What the model notes say about a model's missing estimates or dropped terms ('' if nothing)."""
        return ""

    def bootstrap_level(self, bootstrap: dict) -> float | None:
        """Coverage 1 - alpha of the panel's bootstrap intervals (None without a bootstrap); the
        ``wild_cluster_bootstrap`` default alpha unless the panel configures one."""
        if self.comparison.get("bootstrap") is None:
            return None
        if "alpha" in bootstrap:
            return 1.0 - float(bootstrap["alpha"])
        import inspect

        from resilience.models.wild_bootstrap import wild_cluster_bootstrap  # loads pyhdfe: not at start
        return 1.0 - float(inspect.signature(wild_cluster_bootstrap).parameters["alpha"].default)

    # --- stages ----------------------------------------------------------------------------------

    def measure_tables(self, panel: pd.DataFrame, settings: dict, episodes: list[dict]) -> MeasureTables:
        """Growth, Martin indices and exposures of a panel in the generic long layout (``panels.generic``)."""
        from resilience.panels import generic
        generic.checked(panel, self.panel_file)
        own = settings["measures"]
        return MeasureTables(generic.growth_table(panel, own["outcome"]), generic.martin_table(panel, own, episodes),
                             generic.exposures_table(panel, own, episodes), generic.no_digital_info())

    def to_core(self, frame: pd.DataFrame, settings: dict) -> pd.DataFrame:
        """One of the panel's tables in the shared code's names: ``unit`` and ``group`` (the generic layout
        already uses them)."""
        return frame

    def from_core(self, frame: pd.DataFrame) -> pd.DataFrame:
        """A table the shared code made for the panel (e.g. the Martin summary, whose ``groups`` counts the
        groups), in the names the panel publishes (the generic layout keeps the shared names)."""
        return frame

    def models(self, growth: pd.DataFrame, exposures: pd.DataFrame, inputs: dict, settings: dict,
               episodes: list[dict]) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
        """(coefficient table, bootstrap table, notes) of every configured shock x exposure model."""
        from resilience.models.shock_exposure import run_shock_models
        return run_shock_models(growth, exposures, episodes, settings, unit_label=self.unit_label)

    def robustness_frames(self, growth: pd.DataFrame, exposures: pd.DataFrame, settings: dict
                          ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """(growth, exposures) in the robustness modules' layout: ``unit``, ``group`` (the cluster of
        ``design.bootstrap_cluster: group``), ``year``; mapped by ``to_core``."""
        return self.to_core(growth, settings), self.to_core(exposures, settings)

    def size_levels(self, panel: pd.DataFrame) -> pd.DataFrame:
        """The panel file's units as long rows ``unit``, ``year``, ``series``, ``value``: the generic layout
        without the groups' own rows, which are the Martin benchmark and no unit (``generic.is_group_row``)."""
        from resilience.panels.generic import is_group_row
        return panel.loc[~is_group_row(panel), ["unit", "year", "series", "value"]]

    def figure(self, name: str, inputs: dict, settings: dict):
        """Resistance by tercile of the cluster or the digital exposure (``stages.tercile_figure``)."""
        from resilience.panels.stages import tercile_figure
        return tercile_figure(self, name, inputs, settings, self.label, settings["measures"]["benchmark"],
                              settings["figures"]["outcome"])

    def section(self, tables: dict[str, pd.DataFrame], notes: dict, settings: dict) -> str:
        raise NotImplementedError(f"panel {self.id!r} has no section of its own")
