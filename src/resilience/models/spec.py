"""Model specifications: one named entry of ``models:`` in the config -> a checked ``ModelSpec``.

Three kinds of model:

- ``panel``: the main design of DESIGN.md section 4,
  ``g_it = a_i + d_t + sum_{e,p} b_{e,p}' (P_{e,p,t} x X_{i,e}) + sum_{e,p} c_{e,p}' (P_{e,p,t} x C_{i,e}) + u_it``
  where ``P_{e,p,t}`` is the dummy of phase p (contraction | recovery) of episode e, ``X_{i,e}``
  the pre-shock exposures of unit i for episode e, and ``C_{i,e}`` the pre-shock controls (which
  enter interacted with the shock, exactly like the exposures). Built by ``design.shock_design``.
- ``panel_plain``: ``y_it = a_i + d_t + b' x_it + u_it`` on panel columns (the composite-index
  regression of the Chinese literature). Built by ``design.plain_design``.
- ``cross_section``: one OLS per dependent, ``y_i = a + b' x_i + u_i``, per episode.

Supported covariances: panel kinds ``clustered`` (by entity) and ``driscoll-kraay`` (Bartlett
kernel, ``bandwidth`` required); cross sections ``HC1``. Anything else is a ``ConfigError``
(White "robust" SEs are inconsistent with entity fixed effects in short panels, Stock & Watson 2008).
"""

from __future__ import annotations

from dataclasses import dataclass

from resilience.errors import ConfigError

KINDS = ("panel", "panel_plain", "cross_section")
PHASES = ("contraction", "recovery")
EFFECTS = ("entity", "time")
PANEL_COVS = ("clustered", "driscoll-kraay")
CROSS_SECTION_COVS = ("HC1",)
# Estimators of the panel kinds: linearmodels PanelOLS (default) or pyfixest feols (much faster on
# large panels; same coefficients and CR1 errors, see models/panel.py). pyfixest: clustered only.
PANEL_BACKENDS = ("linearmodels", "pyfixest")
DK_KERNEL = "bartlett"

_COMMON_KEYS = {"name", "kind", "label", "cov"}
_KEYS = {
    "panel": _COMMON_KEYS | {"dependent", "exposures", "interact_exposures", "phases", "controls",
                             "effects", "bandwidth", "sample", "episodes", "backend"},
    "panel_plain": _COMMON_KEYS | {"dependent", "regressors", "effects", "bandwidth", "sample", "backend"},
    "cross_section": _COMMON_KEYS | {"dependents", "regressors", "episodes"},
}
_REQUIRED = {
    "panel": {"dependent", "exposures", "phases", "effects"},
    "panel_plain": {"dependent", "regressors", "effects"},
    "cross_section": {"dependents", "regressors"},
}


@dataclass(frozen=True)
class Episode:
    """A shock episode. Phase dummies are 1 in the years (start, end] of each phase."""

    name: str
    contraction: tuple[int, int]
    recovery: tuple[int, int]

    def phase_years(self, phase: str) -> tuple[int, ...]:
        """Years where the phase dummy is 1: (start, end], e.g. contraction [2008, 2009] -> (2009,)."""
        start, end = getattr(self, phase)
        return tuple(range(start + 1, end + 1))


@dataclass(frozen=True)
class ModelSpec:
    """One model entry, checked. Lists are tuples so a spec is hashable and immutable."""

    name: str
    kind: str
    cov: str
    dependents: tuple[str, ...]
    exposures: tuple[str, ...] = ()
    controls: tuple[str, ...] = ()
    regressors: tuple[str, ...] = ()
    interact_exposures: bool = False
    phases: tuple[str, ...] = ()
    effects: tuple[str, ...] = ()
    bandwidth: int | None = None
    years: tuple[int, int] | None = None
    min_obs: int = 1
    episodes: tuple[str, ...] | None = None
    label: str = ""
    backend: str = "linearmodels"

    @property
    def dependent(self) -> str:
        """The single dependent variable of a panel model."""
        if len(self.dependents) != 1:
            raise ConfigError(f"model '{self.name}': has {len(self.dependents)} dependents, not one")
        return self.dependents[0]

    @property
    def entity_effects(self) -> bool:
        return "entity" in self.effects

    @property
    def time_effects(self) -> bool:
        return "time" in self.effects

    def variables(self) -> list[tuple[str, str]]:
        """(config field, variable) for every variable the model reads, in config order."""
        dep_field = "dependents" if self.kind == "cross_section" else "dependent"
        pairs = [(dep_field, v) for v in self.dependents]
        for field in ("exposures", "controls", "regressors"):
            pairs += [(field, v) for v in getattr(self, field)]
        return pairs


def parse_spec(entry: dict) -> ModelSpec:
    """Check one ``models:`` entry and return its ``ModelSpec``; ``ConfigError`` names model and key."""
    if not isinstance(entry, dict):
        raise ConfigError(f"a models entry must be a mapping, got {type(entry).__name__}")
    name = _text(entry, "name", "<unnamed>")
    kind = _choice(name, entry, "kind", KINDS)
    _check_keys(name, kind, entry)
    covs = CROSS_SECTION_COVS if kind == "cross_section" else PANEL_COVS
    cov = _choice(name, entry, "cov", covs)
    sample = _sample(name, entry.get("sample", {}))
    dependents = _names(name, entry, "dependents") if kind == "cross_section" else (_text(entry, "dependent", name),)
    if entry.get("interact_exposures") and len(entry.get("exposures", [])) < 2:
        raise ConfigError(f"model '{name}': 'interact_exposures' needs at least two exposures")
    return ModelSpec(
        name=name, kind=kind, cov=cov, dependents=dependents,
        exposures=_names(name, entry, "exposures"), controls=_names(name, entry, "controls"),
        regressors=_names(name, entry, "regressors"),
        interact_exposures=_flag(name, entry, "interact_exposures"),
        phases=_subset(name, entry, "phases", PHASES), effects=_subset(name, entry, "effects", EFFECTS),
        bandwidth=_bandwidth(name, entry, cov), years=sample[0], min_obs=sample[1],
        episodes=_names(name, entry, "episodes") if "episodes" in entry else None,
        label=str(entry.get("label", "")), backend=_backend(name, entry, kind, cov),
    )


def parse_episodes(entries: list[dict]) -> tuple[Episode, ...]:
    """Episodes from config (extra keys such as label, exposure_year are allowed and ignored)."""
    episodes = tuple(_episode(entry) for entry in entries)
    names = [e.name for e in episodes]
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise ConfigError(f"episodes: duplicate names {duplicated}")
    return episodes


def _episode(entry: dict) -> Episode:
    name = _text(entry, "name", "<unnamed episode>")
    periods = {}
    for phase in PHASES:
        value = entry.get(phase)
        if not (isinstance(value, (list, tuple)) and len(value) == 2 and all(isinstance(v, int) for v in value)
                and value[0] < value[1]):
            raise ConfigError(f"episode '{name}': '{phase}' must be [start, end] integer years with start < end, "
                              f"got {value!r}")
        periods[phase] = (int(value[0]), int(value[1]))
    return Episode(name=name, **periods)


def _check_keys(name: str, kind: str, entry: dict) -> None:
    unknown = sorted(set(entry) - _KEYS[kind])
    if unknown:
        raise ConfigError(f"model '{name}': keys {unknown} are not used by kind '{kind}'; "
                          f"allowed: {sorted(_KEYS[kind])}")
    missing = sorted(_REQUIRED[kind] - set(entry))
    if missing:
        raise ConfigError(f"model '{name}': kind '{kind}' requires keys {missing}")


def _text(entry: dict, key: str, model: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value:
        raise ConfigError(f"model '{model}': '{key}' must be a non-empty string, got {value!r}")
    return value


def _choice(name: str, entry: dict, key: str, allowed: tuple[str, ...]) -> str:
    value = entry.get(key)
    if value not in allowed:
        raise ConfigError(f"model '{name}': '{key}' is {value!r}; allowed here: {list(allowed)}")
    return value


def _names(name: str, entry: dict, key: str) -> tuple[str, ...]:
    value = entry.get(key, [])
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) and v for v in value):
        raise ConfigError(f"model '{name}': '{key}' must be a list of names, got {value!r}")
    if len(set(value)) != len(value):
        raise ConfigError(f"model '{name}': '{key}' repeats a name: {list(value)}")
    return tuple(value)


def _subset(name: str, entry: dict, key: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
    values = _names(name, entry, key)
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise ConfigError(f"model '{name}': '{key}' has {unknown}; allowed: {list(allowed)}")
    return values


def _flag(name: str, entry: dict, key: str) -> bool:
    value = entry.get(key, False)
    if not isinstance(value, bool):
        raise ConfigError(f"model '{name}': '{key}' must be true or false, got {value!r}")
    return value


def _bandwidth(name: str, entry: dict, cov: str) -> int | None:
    value = entry.get("bandwidth")
    if cov != "driscoll-kraay":
        if value is not None:
            raise ConfigError(f"model '{name}': 'bandwidth' is only used with cov 'driscoll-kraay'")
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ConfigError(f"model '{name}': cov 'driscoll-kraay' needs an integer 'bandwidth' >= 0, got {value!r}")
    return value


def _backend(name: str, entry: dict, kind: str, cov: str) -> str:
    if kind == "cross_section":
        return "statsmodels"
    backend = _choice(name, entry, "backend", PANEL_BACKENDS) if "backend" in entry else PANEL_BACKENDS[0]
    if backend == "pyfixest" and cov != "clustered":
        raise ConfigError(f"model '{name}': backend 'pyfixest' is used with cov 'clustered' only, the model has "
                          f"cov {cov!r}; use backend 'linearmodels'")
    return backend


def _sample(name: str, sample: dict) -> tuple[tuple[int, int] | None, int]:
    if not isinstance(sample, dict) or set(sample) - {"years", "min_obs"}:
        raise ConfigError(f"model '{name}': 'sample' takes keys 'years' and 'min_obs', got {sample!r}")
    years = sample.get("years")
    if years is not None:
        if not (isinstance(years, (list, tuple)) and len(years) == 2 and all(isinstance(y, int) for y in years)
                and years[0] <= years[1]):
            raise ConfigError(f"model '{name}': sample 'years' must be [first, last], got {years!r}")
        years = (int(years[0]), int(years[1]))
    min_obs = sample.get("min_obs", 1)
    if not isinstance(min_obs, int) or isinstance(min_obs, bool) or min_obs < 1:
        raise ConfigError(f"model '{name}': sample 'min_obs' must be an integer >= 1, got {min_obs!r}")
    return years, min_obs
