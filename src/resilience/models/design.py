"""Design matrices for the panel models: panel + pre-shock exposures + episodes -> (y, X) frame.

Shock design (``kind: panel``), for episode e, phase p in the spec's phases and unit i:

    P_{e,p,t}          = 1 if t in (start_{e,p}, end_{e,p}]  (gfc contraction [2008, 2009] -> 2009;
                         gfc recovery [2009, 2011] -> 2010, 2011), else 0
    p_e_x_v            = P_{e,p,t} * X_{i,e,v}                for every exposure and control v
    p_e_x_a_x_b        = P_{e,p,t} * X_{i,e,a} * X_{i,e,b}    for every pair (a, b) of exposures,
                                                              if ``interact_exposures``
    p_e                = P_{e,p,t}                            only if the model has no time effects
                                                              (with year effects it is absorbed)

Column order: dependent, then per episode (config order), per phase (spec order): the phase dummy
(if any), the exposures, the exposure products, the controls.

Sample rule (documented choice): a unit that lacks an exposure or control for an episode cannot
identify that episode's interactions, and letting its terms be 0 would silently treat a missing
exposure as a zero exposure. So the sample is complete-case per UNIT AND EPISODE: such a unit's
unit-years in that episode's phase years leave the model (its other years stay, with all its
terms 0 there, which is exact because every phase dummy is 0 outside its phase years); a unit
complete for no episode leaves entirely. The notes record both, with the missing pairs.
Then unit-years outside ``sample.years`` or with a missing dependent are dropped, and units with
fewer than ``sample.min_obs`` remaining years leave too (also recorded). Exposures are used as
given: standardising them is the caller's choice (pass z-scores where wanted).
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd

from resilience.errors import ConfigError, InputError
from resilience.models.spec import Episode, ModelSpec, parse_episodes

EXPOSURE_COLUMNS = ["unit", "episode", "variable", "value"]
INDEX = ["unit", "year"]


def term_name(phase: str, episode: str, *variables: str) -> str:
    """``term_name('contraction', 'gfc', 'digital_z') == 'contraction_gfc_x_digital_z'``."""
    return "_x_".join([f"{phase}_{episode}", *variables])


def shock_design(panel: pd.DataFrame, exposures: pd.DataFrame, episodes, spec: ModelSpec
                 ) -> tuple[pd.DataFrame, dict]:
    """(design indexed by (unit, year) with the dependent and the shock terms, sample notes).

    ``panel``: wide, columns unit, year, <dependent>, ...; ``exposures``: long, columns unit,
    episode, variable, value (one pre-shock value per unit, episode and variable);
    ``episodes``: config entries (dicts) or ``Episode`` objects.
    """
    _require_kind(spec, "panel", "shock_design")
    episodes = _model_episodes(episodes, spec)
    rows = _outcome_rows(panel, spec)
    wide = _exposure_wide(exposures, episodes, spec.exposures + spec.controls)
    complete, dropped, partial = _complete_episodes(rows["unit"].unique(), wide, episodes)
    rows = _drop_incomplete_phase_years(rows[rows["unit"].isin(complete)], complete, episodes, spec)
    rows, dropped = _apply_min_obs(rows, spec.min_obs, dropped)
    _check_not_empty(rows, spec, dropped)
    index = pd.MultiIndex.from_frame(rows[INDEX])
    terms = [_episode_terms(rows, wide, episode, spec).set_axis(index) for episode in episodes]
    design = pd.concat([rows.set_index(INDEX)[[spec.dependent]], *terms], axis=1)
    _check_identified(design.drop(columns=spec.dependent), spec, episodes)
    notes = _notes(design, dropped, spec, [e.name for e in episodes])
    notes["partial_units"] = dict(sorted((u, r) for u, r in partial.items() if u not in dropped))
    return design, notes


def plain_design(panel: pd.DataFrame, spec: ModelSpec) -> tuple[pd.DataFrame, dict]:
    """(design indexed by (unit, year) with the dependent and ``spec.regressors``, sample notes).

    Complete case by unit-year on the dependent and regressors within ``sample.years``; then
    units with fewer than ``sample.min_obs`` years leave (recorded in the notes).
    """
    _require_kind(spec, "panel_plain", "plain_design")
    columns = [spec.dependent, *spec.regressors]
    rows = _panel_rows(panel, columns, spec, what="panel (plain_design)")
    rows = rows.dropna(subset=columns)
    rows, dropped = _apply_min_obs(rows, spec.min_obs, {})
    _check_not_empty(rows, spec, dropped)
    design = rows.set_index(INDEX)[columns]
    return design, _notes(design, dropped, spec, [])


def _require_kind(spec: ModelSpec, kind: str, function: str) -> None:
    if spec.kind != kind:
        raise ConfigError(f"model '{spec.name}': {function} builds kind '{kind}', the model is '{spec.kind}'")


def _model_episodes(episodes, spec: ModelSpec) -> tuple[Episode, ...]:
    parsed = tuple(e if isinstance(e, Episode) else parse_episodes([e])[0] for e in episodes)
    if spec.episodes is None:
        return parsed
    known = {e.name: e for e in parsed}
    unknown = [name for name in spec.episodes if name not in known]
    if unknown:
        raise ConfigError(f"model '{spec.name}': episodes {unknown} are not defined; defined: {sorted(known)}")
    return tuple(known[name] for name in spec.episodes)


def _panel_rows(panel: pd.DataFrame, columns: list[str], spec: ModelSpec, what: str) -> pd.DataFrame:
    missing = [c for c in INDEX + columns if c not in panel.columns]
    if missing:
        raise InputError(what, f"missing columns {missing}", expected=f"columns {INDEX + columns}")
    rows = panel[INDEX + columns].astype({"year": "int64"})
    rows = rows.astype({c: "float64" for c in columns})
    duplicated = rows.duplicated(INDEX)
    if duplicated.any():
        first = rows.loc[duplicated, INDEX].iloc[0].to_dict()
        raise InputError(what, f"duplicate unit-year {first}", field="unit/year", expected="one row per unit-year")
    if spec.years is not None:
        rows = rows[rows["year"].between(*spec.years)]
    return rows.sort_values(INDEX).reset_index(drop=True)


def _outcome_rows(panel: pd.DataFrame, spec: ModelSpec) -> pd.DataFrame:
    rows = _panel_rows(panel, [spec.dependent], spec, what="panel (shock_design)")
    return rows.dropna(subset=[spec.dependent]).reset_index(drop=True)


def _exposure_wide(exposures: pd.DataFrame, episodes: tuple[Episode, ...], variables: tuple[str, ...]
                   ) -> pd.DataFrame:
    """Exposures as unit x (episode, variable), only the pairs the model uses (NaN where absent)."""
    what = "exposures (shock_design)"
    missing = [c for c in EXPOSURE_COLUMNS if c not in exposures.columns]
    if missing:
        raise InputError(what, f"missing columns {missing}", expected=f"columns {EXPOSURE_COLUMNS}")
    frame = exposures[EXPOSURE_COLUMNS].astype({"value": "float64"})
    duplicated = frame.duplicated(["unit", "episode", "variable"])
    if duplicated.any():
        first = frame.loc[duplicated, ["unit", "episode", "variable"]].iloc[0].to_dict()
        raise InputError(what, f"duplicate key {first}", field="unit/episode/variable",
                         expected="one value per unit, episode and variable")
    wide = frame.pivot(index="unit", columns=["episode", "variable"], values="value")
    wanted = pd.MultiIndex.from_tuples([(e.name, v) for e in episodes for v in variables],
                                       names=["episode", "variable"])
    return wide.reindex(columns=wanted)


def _complete_episodes(units, wide: pd.DataFrame, episodes: tuple[Episode, ...]):
    """({unit: complete episode names}, {unit: reason} for units complete for none, {unit: reason} partial)."""
    complete, dropped, partial = {}, {}, {}
    for unit in units:
        values = wide.loc[unit] if unit in wide.index else pd.Series(np.nan, index=wide.columns)
        absent = [f"{e}/{v}" for (e, v), x in values.items() if pd.isna(x)]
        missing_episodes = {a.split("/")[0] for a in absent}
        ok = {e.name for e in episodes} - missing_episodes
        if not ok:
            dropped[unit] = "missing exposure " + ", ".join(absent)
            continue
        complete[unit] = ok
        if absent:
            partial[unit] = ("missing exposure " + ", ".join(absent)
                             + f"; phase years of {', '.join(sorted(missing_episodes))} left out")
    return complete, dropped, partial


def _drop_incomplete_phase_years(rows: pd.DataFrame, complete: dict, episodes: tuple[Episode, ...],
                                 spec: ModelSpec) -> pd.DataFrame:
    keep = np.ones(len(rows), dtype=bool)
    for episode in episodes:
        years = {y for phase in spec.phases for y in episode.phase_years(phase)}
        lacking = [u for u, ok in complete.items() if episode.name not in ok]
        keep &= ~(rows["unit"].isin(lacking) & rows["year"].isin(years)).to_numpy()
    return rows[keep].reset_index(drop=True)


def _apply_min_obs(rows: pd.DataFrame, min_obs: int, dropped: dict[str, str]
                   ) -> tuple[pd.DataFrame, dict[str, str]]:
    counts = rows.groupby("unit")["year"].count()
    few = counts[counts < min_obs]
    dropped = dict(dropped)
    for unit, n in few.items():
        dropped[unit] = f"{n} observations, fewer than min_obs {min_obs}"
    return rows[~rows["unit"].isin(few.index)].reset_index(drop=True), dropped


def _check_not_empty(rows: pd.DataFrame, spec: ModelSpec, dropped: dict[str, str]) -> None:
    if rows.empty:
        first = dict(sorted(dropped.items())[:5])
        raise ConfigError(f"model '{spec.name}': no unit-year is left in the sample "
                          f"(years {spec.years}; {len(dropped)} units dropped, first: {first})")


def _episode_terms(rows: pd.DataFrame, wide: pd.DataFrame, episode: Episode, spec: ModelSpec
                   ) -> pd.DataFrame:
    """Shock terms of one episode for ``rows`` (positional, same order as rows)."""
    columns = {}
    for phase in spec.phases:
        dummy = rows["year"].isin(episode.phase_years(phase)).to_numpy(dtype="float64")
        if not spec.time_effects:
            columns[term_name(phase, episode.name)] = dummy
        # A unit without this episode's exposures has no row in its phase years (dummy 0 on all its
        # rows), so its term is exactly 0; NaN * 0 would otherwise give NaN.
        exposure = {v: np.nan_to_num(wide.loc[rows["unit"], (episode.name, v)].to_numpy(), nan=0.0)
                    for v in spec.exposures + spec.controls}
        for v in spec.exposures:
            columns[term_name(phase, episode.name, v)] = dummy * exposure[v]
        if spec.interact_exposures:
            for a, b in combinations(spec.exposures, 2):
                columns[term_name(phase, episode.name, a, b)] = dummy * exposure[a] * exposure[b]
        for v in spec.controls:
            columns[term_name(phase, episode.name, v)] = dummy * exposure[v]
    return pd.DataFrame(columns)


def _check_identified(terms: pd.DataFrame, spec: ModelSpec, episodes: tuple[Episode, ...]) -> None:
    """A term that is 0 in every kept unit-year (phase outside the sample years) is a config error."""
    empty = [c for c in terms.columns if not (terms[c] != 0).any()]
    if empty:
        phases = {f"{p} {e.name} {list(e.phase_years(p))}" for e in episodes for p in spec.phases}
        raise ConfigError(f"model '{spec.name}': terms {empty} are 0 in every observation of the sample; "
                          f"check sample years {spec.years} against the phase years {sorted(phases)}")


def _notes(design: pd.DataFrame, dropped: dict[str, str], spec: ModelSpec, episodes: list[str]) -> dict:
    units = design.index.get_level_values("unit")
    years = design.index.get_level_values("year")
    return {
        "model": spec.name,
        "units": int(units.nunique()),
        "unit_years": int(len(design)),
        "years": [int(years.min()), int(years.max())] if len(design) else [],
        "episodes": episodes,
        "regressors": [c for c in design.columns if c != spec.dependent],
        "n_dropped_units": len(dropped),
        "dropped_units": dict(sorted(dropped.items())),
    }
