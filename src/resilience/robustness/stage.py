r"""The robustness evidence of one panel's headline model, the same for every panel (rule panel_robustness).

The headline of an episode is the model ``robustness.headline_model`` names for it (one name for every
episode, or a mapping episode -> name) among the panel's ``models``: its ``dependent``
growth column is the outcome, its ``exposures`` the pre-shock exposures and its ``phases`` the shock
terms. Every exercise is the shock x exposure design of DESIGN.md section 4 on the panel's own
growth and exposures (mapped once by ``Panel.robustness_frames``), exposures standardised as
``design.standardize`` says, errors clustered by ``design.bootstrap_cluster`` (the unit or its group).
The model's controls and its exposure x exposure interaction are left out (the estimators take the
exposures alone), and the event study, placebo and size-weighted models absorb unit and year effects;
the adjusted p-values use the headline's own ``design.fixed_effects``. Per episode of the model:

- ``event_study`` / ``pretrends``: ``robustness.window`` cut to the years the outcome has data;
- ``local_projections``: horizons 0..``robustness.horizons`` cut the same way; HC1 when the cluster is
  the unit (one row per unit), CR1 by group otherwise;
- ``placebo`` / ``placebo_summary``: contraction dates shifted into the years outside every episode;
- ``size_weighted``: unweighted, sqrt(size) and size weights, size = ``robustness.size.series`` (one name
  or a mapping episode -> name) at the
  exposure year (``measures.regional.pre_shock_values``); a panel with ``size: null`` gets a row saying so;
- ``adjusted_p``: Holm and Romano-Wolf over the episode's phase x exposure terms from
  ``robustness.romano_wolf.reps`` restricted wild cluster bootstrap draws (seeded); with group x year
  effects a group's only unit is left out, as in the panel's own model (the effects absorb it).

Exposures without data for an episode are left out of it (``note`` names them). An episode or
exercise without enough data gets one row with ``status`` "not estimable" and the reason in ``note``;
estimated rows have ``status`` "estimated".
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from resilience.episode_settings import for_episode
from resilience.errors import InputError
from resilience.measures.regional import sole_units
from resilience.panels import get
from resilience.robustness import _inputs
from resilience.robustness.event_study import EVENT_COLUMNS, PRETREND_COLUMNS, event_study
from resilience.robustness.local_projections import LP_COLUMNS, local_projections
from resilience.robustness.multiple_testing import ADJUSTED_COLUMNS, adjusted_pvalues
from resilience.robustness.placebo import PLACEBO_COLUMNS, SUMMARY_COLUMNS, placebo_shocks
from resilience.robustness.size_weighting import SCHEMES, shock_panel, size_weighted

STATUS = ["status", "note"]
SIZE_COLUMNS = ["episode", "term"] + [f"{k}_{s}" for s in SCHEMES for k in ("coef", "se", "p")] + [
    "nobs", "n_clusters", "size_series"]
COLUMNS = {
    "event_study": EVENT_COLUMNS, "pretrends": PRETREND_COLUMNS, "local_projections": LP_COLUMNS,
    "placebo": PLACEBO_COLUMNS, "placebo_summary": SUMMARY_COLUMNS, "size_weighted": SIZE_COLUMNS,
    "adjusted_p": ["episode", *ADJUSTED_COLUMNS, "reps", "fixed_effects", "cluster"],
}
TABLES = tuple(COLUMNS)
FLAGS = ("reference", "placebo")
COUNTS = ("rel_year", "year", "horizon", "offset", "shock_year", "nobs", "n_clusters", "df1", "df2", "n_placebo",
          "n_at_least_as_large", "reps")
# The errors an exercise raises when the data cannot identify it (too few years, units or clusters).
NOT_ESTIMABLE = (InputError, ValueError, np.linalg.LinAlgError)


@dataclass(frozen=True)
class Headline:
    model: str
    outcome: str
    exposures: tuple[str, ...]
    phases: tuple[str, ...]
    episodes: tuple[str, ...] | None
    cluster: str
    fixed_effects: tuple[str, ...]
    standardize: bool


def headline_name(settings: dict, episode: str) -> str | None:
    """The headline model judged on ``episode``: ``robustness.headline_model`` is one model name for every
    episode or a mapping episode -> name (None: the mapping leaves the episode out)."""
    return for_episode(settings["robustness"]["headline_model"], episode)


def size_series_name(own: dict, episode: str) -> str:
    """The size series of ``episode``: ``robustness.size.series`` is one name or a mapping episode -> name."""
    return for_episode(own["size"]["series"], episode)


def headline(settings: dict, episode: str) -> Headline:
    """The headline model of ``episode`` in a robustness stage slice (``robustness``, ``models``, ``design``)."""
    name = headline_name(settings, episode)
    model = next(m for m in settings["models"] if m["name"] == name)
    design = settings["design"]
    return Headline(name, model["dependent"], tuple(model["exposures"]),
                    tuple(model.get("phases", ("contraction", "recovery"))),
                    tuple(model["episodes"]) if model.get("episodes") else None, design["bootstrap_cluster"],
                    tuple(design["fixed_effects"]), bool(design["standardize"]))


def run(panel_id: str, growth: pd.DataFrame, exposures: pd.DataFrame, settings: dict, episodes: list[dict],
        panel: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    """Every table of ``TABLES`` for one panel; ``panel`` (the panel file) is needed only with a size series."""
    owner = get(panel_id)
    growth, exposures = owner.robustness_frames(growth, exposures, settings)
    own = settings["robustness"]
    size = (_inputs.unit_levels(owner.size_levels(panel), growth, f"{panel_id} panel file (size weighting)")
            if own["size"] and panel is not None else None)
    parts: dict[str, list[pd.DataFrame]] = {name: [] for name in TABLES}
    for ep in episodes:
        if headline_name(settings, ep["name"]) is None:
            continue
        head = headline(settings, ep["name"])
        if head.episodes is not None and ep["name"] not in head.episodes:
            continue
        for name, table in episode_tables(growth, exposures, ep, episodes, head, own, size).items():
            parts[name].append(table)
    return {name: _stacked(parts[name], name) for name in TABLES}


def episode_tables(growth: pd.DataFrame, exposures: pd.DataFrame, ep: dict, episodes: list[dict], head: Headline,
                   own: dict, size: pd.DataFrame | None) -> dict[str, pd.DataFrame]:
    """The tables of one episode (each with ``status`` and ``note``)."""
    variables, left_out = available_exposures(exposures, ep["name"], head.exposures)
    note = f"left out for lack of data: {', '.join(left_out)}" if left_out else ""
    if not variables:
        reason = f"no unit has any of the exposures {list(head.exposures)} for this episode"
        return {name: missing_row(name, ep["name"], reason) for name in TABLES}
    cluster = "unit" if head.cluster == "unit" else "group"
    common = {"outcome": head.outcome, "exposure_vars": variables, "standardize": head.standardize}
    out = {}
    es = _guarded(lambda: event_study(growth, exposures, ep, window=data_window(growth, head.outcome, ep,
                                                                                  own["window"]),
                                      cluster=cluster, **common), ep["name"], ("event_study", "pretrends"))
    out["event_study"], out["pretrends"] = es
    out["local_projections"], = _guarded(lambda: (local_projections(
        growth, exposures, ep, horizons=data_horizons(growth, head.outcome, ep, own["horizons"]),
        cluster=None if cluster == "unit" else cluster, **common),), ep["name"], ("local_projections",))
    out["placebo"], out["placebo_summary"] = _guarded(lambda: placebo_shocks(
        growth, exposures, ep, episodes, cluster=cluster, **common), ep["name"], ("placebo", "placebo_summary"))
    out["size_weighted"], = _guarded(lambda: (sized(growth, exposures, ep, head, variables, own, size),),
                                     ep["name"], ("size_weighted",))
    out["adjusted_p"], = _guarded(lambda: (adjusted(growth, exposures, ep, head, variables, own),), ep["name"],
                                  ("adjusted_p",))
    return {name: _noted(table, note) for name, table in out.items()}


def available_exposures(exposures: pd.DataFrame, episode: str, wanted) -> tuple[list[str], list[str]]:
    """(the wanted exposures with at least one value for the episode, the others)."""
    rows = exposures[(exposures["episode"] == episode) & exposures["value"].notna()]
    have = set(rows["variable"])
    return [v for v in wanted if v in have], [v for v in wanted if v not in have]


def data_window(growth: pd.DataFrame, outcome: str, ep: dict, window) -> tuple[int, int]:
    """``window`` (relative years) cut to the years with an observed outcome; a ValueError if nothing is left
    on one side of the reference -1."""
    s = _inputs.shock_year(_inputs.episode(ep))
    years = growth.loc[growth[outcome].notna(), "year"]
    if years.empty:
        raise ValueError(f"no observed {outcome}")
    low, high = max(window[0], int(years.min()) - s), min(window[1], int(years.max()) - s)
    if not low < -1 < high:
        raise ValueError(f"{outcome} is observed in {int(years.min())}-{int(years.max())}: too few years around the "
                         f"shock year {s} for an event study (relative years {low}..{high})")
    return low, high


def data_horizons(growth: pd.DataFrame, outcome: str, ep: dict, horizons: int) -> int:
    """``horizons`` cut to the last year with an observed outcome."""
    s = _inputs.shock_year(_inputs.episode(ep))
    years = growth.loc[growth[outcome].notna(), "year"]
    last = int(years.max()) - s if len(years) else -1
    if last < 0:
        raise ValueError(f"no observed {outcome} from the shock year {s} on")
    return min(horizons, last)


def sized(growth, exposures, ep: dict, head: Headline, variables: list[str], own: dict,
          size: pd.DataFrame | None) -> pd.DataFrame:
    """The headline's shock terms unweighted, by sqrt(size) and by size (``SIZE_COLUMNS``)."""
    if not own["size"]:
        raise ValueError("the panel has no size measure (robustness.size is null): only unweighted estimates")
    from resilience.measures.regional import pre_shock_values
    series = size_series_name(own, ep["name"])
    rows = size[size["series"] == series].dropna(subset=["value"])
    if rows.empty:
        raise ValueError(f"the panel file has no values of the size series {series!r}")
    values = pre_shock_values(rows, ep, own["size"]["max_back"]).set_index("unit")["value"]
    table = size_weighted(growth, exposures, ep, values, outcome=head.outcome, exposure_vars=variables,
                          phases=head.phases, cluster="unit" if head.cluster == "unit" else "group",
                          standardize=head.standardize)
    return table.assign(episode=ep["name"], size_series=series)


def adjusted(growth, exposures, ep: dict, head: Headline, variables: list[str], own: dict) -> pd.DataFrame:
    """Holm and Romano-Wolf p-values over the episode's phase x exposure terms, the headline's effects."""
    cluster = "unit" if head.cluster == "unit" else "group"
    if "group_year" in head.fixed_effects:
        # group x year effects absorb a group's only unit: it would add a cluster and rows, no information
        growth = growth[~growth["unit"].astype(str).isin(sole_units(growth))]
    data, terms = shock_panel(growth, exposures, ep, outcome=head.outcome, exposure_vars=variables,
                              phases=head.phases, cluster=cluster, standardize=head.standardize)
    data = with_group_year(data, growth, head.fixed_effects)
    rw = own["romano_wolf"]
    table = adjusted_pvalues(data, dependent=head.outcome, regressors=terms, cluster=cluster,
                             fixed_effects=list(head.fixed_effects), reps=rw["reps"], weights=rw["weights"],
                             seed=rw["seed"])
    return table.assign(episode=ep["name"], reps=rw["reps"], fixed_effects="+".join(head.fixed_effects),
                        cluster=cluster)


def with_group_year(data: pd.DataFrame, growth: pd.DataFrame, fixed_effects) -> pd.DataFrame:
    """``data`` with a ``group_year`` column (the unit's group x year) when the effects include it."""
    if "group_year" not in fixed_effects:
        return data
    groups = growth.drop_duplicates("unit").set_index("unit")["group"]
    return data.assign(group_year=data["unit"].map(groups).astype(str) + ":" + data["year"].astype(str))


def missing_row(name: str, episode: str, reason: str) -> pd.DataFrame:
    """One row of table ``name`` saying why the episode has no estimate."""
    row = {c: np.nan for c in COLUMNS[name]}
    return pd.DataFrame([{**row, "episode": episode, "status": "not estimable", "note": reason}])


def _guarded(compute: Callable[[], tuple], episode: str, names: tuple[str, ...]) -> tuple[pd.DataFrame, ...]:
    """The exercise's tables, or for each a row saying why the data do not identify it."""
    try:
        tables = compute()
    except NOT_ESTIMABLE as error:
        return tuple(missing_row(name, episode, str(error)) for name in names)
    return tuple(t.assign(status="estimated", note="") for t in tables)


def _noted(table: pd.DataFrame, note: str) -> pd.DataFrame:
    if not note:
        return table
    estimated = table["status"] == "estimated"
    return table.assign(note=table["note"].where(~estimated, note))


def _stacked(parts: list[pd.DataFrame], name: str) -> pd.DataFrame:
    columns = [*COLUMNS[name], *STATUS]
    parts = [p.reindex(columns=columns) for p in parts if len(p)]
    with warnings.catch_warnings():
        # pandas warns that all-NaN columns of not-estimable rows will count toward the dtypes: the casts
        # below fix the only columns where that matters
        warnings.simplefilter("ignore", FutureWarning)
        out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
    # a not-estimable row's NaN would turn flags into 0.0/1.0 and counts into floats in the CSV
    kinds = {**{c: "boolean" for c in FLAGS}, **{c: "Int64" for c in COUNTS}}
    return out.astype({c: kind for c, kind in kinds.items() if c in out.columns})
