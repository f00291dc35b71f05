r"""Specification curve: the headline shock x exposure model over every choice a referee would question.

One specification is one value of each fork of a panel's ``specification_curve`` block (the first value
of each fork is the headline's choice). Per episode, each is the model of ``size_weighting``::

    y_it = FE + sum_p [ b_p P_{p,t} d_i + c_p P_{p,t} k_i + sum_v g_{p,v} P_{p,t} x_{i,v} ] + u_it

with P the phase dummies of the (possibly re-dated) episode, d the digital and k the cluster measure
(z-scored over the estimation sample), x the controls (pre-shock levels, not standardised); weighted
least squares with CR1 errors by unit and t(G-1) inference (pyfixest). The forks:

- ``outcome``: a growth column; ``benchmark`` subtracts the growth of the world sum (absorbed by year
  effects: kept as the reference), of the world without the unit, or of the unit's region (sums of the
  outcome's levels over the units with both years);
- ``digital`` / ``cluster``: an exposure of the exposures table or a level series read at the exposure year;
- ``controls``, ``fixed_effects``, ``samples``, ``shock_dates``: named sets of the block;
- ``weights``: none, sqrt(size) or size, size = ``size_series`` at the exposure year;
- ``exposure_lag``: exposures measured this many years before the episode's exposure year.

The outcome fork may also name Martin indices (``cross_section.outcomes``: fork value -> ``index_pp`` or
``index_ratio`` of the panel's Martin table, ``cross_section.martin_outcome`` picks the table's outcome
where it has several). Those specifications are cross-sections, one per phase::

    m_i = FE + b d_i + c k_i + sum_v g_v x_{i,v} + u_i

on the Martin table the panel computes for the (re-dated) episode, the same exposures, controls, weights
and samples; HC1 errors when the block clusters by unit (one row per unit), else CR1 by ``cluster``, and
t(N-K) / t(G-1) inference (``robustness._ols``). They form their own grid (spec_ids after the growth
grid's, never the headline, capped by ``cross_section.max_specifications``) whose forks are the block's
with ``cross_section.forks`` replacing the ones a cross-section reads differently (its fixed effects are
the named sets ``cross_section.fixed_effects``, e.g. none or region), so the growth grid and its seeded
draw are those of a block without them. Their terms keep the growth terms' names, so one term's curve
runs over both (signs compare; sizes do not: a Martin index is a cumulative difference over the phase).

``by_episode`` (episode -> a partial block) changes the block for one episode: its ``forks`` replace the
block's fork by fork, any other key (``size_series``, ...) replaces the block's. An episode whose data
lack the headline's outcome (a series that ends before it) is judged on its own headline this way.

The terms keep the headline's names (``term_name(phase, episode, first value of the fork)``) whatever
measure the specification uses, so the rows of one term across specifications form its curve; the
fork columns say what was used. When the full grid has more than ``max_specifications`` per episode a
seeded random draw (the headline always in) is estimated.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from resilience.episode_settings import for_episode
from resilience.errors import ConfigError
from resilience.models.design import term_name
from resilience.robustness import _inputs

FORKS = (
    "outcome",
    "benchmark",
    "digital",
    "cluster",
    "controls",
    "fixed_effects",
    "weights",
    "sample",
    "exposure_lag",
    "shock_dates",
)
ROLES = ("digital", "cluster")
PHASES = {"contraction": "resistance", "recovery": "recovery"}
BENCHMARKS = ("world_sum", "world_excl_unit", "own_region")
WEIGHTS = ("none", "sqrt", "size")
MARTIN_INDICES = ("index_pp", "index_ratio")
NOT_USED = "not used"
# pyfixest 0.60 collects the effects of a formula in a set, so the order in which it sweeps them out (and
# so the last digits of every estimate, within its demeaning tolerance) changes with the string hash
# seed from one process to the next; ``_pyfixest_in_formula_order`` keeps the formula's order instead.
FIXEF_TOL, FIXEF_MAXITER = 1e-10, 100_000
ALPHA = 0.05
SPEC_COLUMNS = [
    "spec_id",
    "episode",
    "phase",
    "term",
    "estimate",
    "se",
    "ci_low",
    "ci_high",
    "p_value",
    "n_obs",
    "n_clusters",
    *FORKS,
    "is_headline",
    "note",
]
SUMMARY_COLUMNS = [
    "panel",
    "episode",
    "phase",
    "term",
    "n_specs",
    "headline_model",
    "headline_estimate",
    "headline_n_obs",
    "headline_n_clusters",
    "baseline_estimate",
    "baseline_n_obs",
    "baseline_n_clusters",
    "terms_not_in_baseline",
    "median_estimate",
    "share_same_sign",
    "share_significant_same_sign",
    "share_significant",
    "n_not_estimable",
]


# --- the grid -------------------------------------------------------------------------------------


def cross_section_outcomes(block: dict) -> dict[str, str]:
    """Outcome fork value -> the Martin table column it names (``index_pp`` / ``index_ratio``)."""
    return dict((block.get("cross_section") or {}).get("outcomes", {}))


def growth_block(block: dict) -> dict:
    """The block without its Martin outcomes: the panel specifications' grid."""
    martin = cross_section_outcomes(block)
    if not martin:
        return block
    outcomes = [o for o in block["forks"].get("outcome", []) if o not in martin]
    return {**block, "forks": {**block["forks"], "outcome": outcomes}}


def cross_block(block: dict) -> dict | None:
    """The block of the Martin-index specifications (None when the outcome fork names none): its outcomes,
    ``cross_section.forks`` over the block's forks, the cross-section's fixed-effect sets and cap."""
    martin = cross_section_outcomes(block)
    outcomes = [o for o in block["forks"].get("outcome", []) if o in martin]
    if not outcomes:
        return None
    own = block["cross_section"]
    forks = {**block["forks"], **own.get("forks", {}), "outcome": outcomes}
    return {
        **block,
        "forks": forks,
        "fixed_effects": own.get("fixed_effects", {}),
        "max_specifications": own.get("max_specifications"),
    }


def episode_block(block: dict, episode: str) -> dict:
    """The block as ``episode`` uses it: ``by_episode[episode]``'s forks over the block's, fork by fork, and
    its other keys over the block's."""
    own = (block.get("by_episode") or {}).get(episode)
    if not own:
        return block
    rest = {k: v for k, v in own.items() if k != "forks"}
    return {**block, **rest, "forks": {**block["forks"], **own.get("forks", {})}}


def fork_values(block: dict) -> dict[str, list]:
    """Each fork's values in order (headline first); a fork the block leaves out has the one value ``NOT_USED``."""
    forks = block["forks"]
    unknown = [f for f in forks if f not in FORKS]
    if unknown:
        raise ConfigError(f"specification_curve.forks: unknown forks {unknown}; allowed: {list(FORKS)}")
    return {f: list(forks[f]) if forks.get(f) else [NOT_USED] for f in FORKS}


NAMED_SETS = {
    "controls": "controls",
    "fixed_effects": "fixed_effects",
    "sample": "samples",
    "shock_dates": "shock_dates",
}


def check_block(block: dict, where: str, episodes: Sequence[str] | None = None) -> None:
    """ConfigError unless every fork value names something the block defines (the schema checks types), in
    the block and as each episode of ``by_episode`` uses it, and ``by_episode`` names only ``episodes``."""
    own = block.get("by_episode") or {}
    unknown = sorted(set(own) - set(episodes)) if episodes is not None else []
    if unknown:
        raise ConfigError(f"{where}.by_episode: {unknown} are not episodes of the panel; allowed: {list(episodes)}")
    for name in own:
        _check_one_block(episode_block(block, name), f"{where}.by_episode.{name}", where)
    _check_one_block(block, where, where)
    check_unit_classes(block, where)
    check_effect_columns(block, where)


def check_effect_columns(block: dict, where: str) -> None:
    """ConfigError for a fixed effect over a column no unit has (``unit``, ``year``, ``group``, the
    ``unit_metadata`` columns and the ``unit_classes``), or a classification that reuses such a name."""
    metadata = set((block.get("unit_metadata") or {}).get("columns", []))
    classes = set(block.get("unit_classes") or {})
    reused = sorted(classes & (metadata | {"unit", "year", "group"}))
    if reused:
        raise ConfigError(f"{where}.unit_classes: {reused} already name a unit column; choose another name")
    known = {"unit", "year", "group"} | metadata | classes
    cross = (block.get("cross_section") or {}).get("fixed_effects") or {}
    sets = {
        **{f"fixed_effects.{k}": v for k, v in block.get("fixed_effects", {}).items()},
        **{f"cross_section.fixed_effects.{k}": v for k, v in cross.items()},
    }
    for name, effects in sets.items():
        unknown = sorted({column for effect in effects for column in effect.split("^")} - known)
        if unknown:
            raise ConfigError(f"{where}.{name}: {unknown} are not unit columns (known: {sorted(known)})")


def _check_one_block(block: dict, where: str, home: str) -> None:
    """``where``: the block as an episode uses it; ``home``: where its named sets are defined."""
    values = fork_values(block)
    for fork, key in NAMED_SETS.items():
        missing = [v for v in values[fork] if v != NOT_USED and v not in block.get(key, {})]
        if missing:
            raise ConfigError(f"{where}.forks.{fork}: {missing} not defined under {home}.{key}")
    checks = {"benchmark": BENCHMARKS, "weights": WEIGHTS}
    for fork, allowed in checks.items():
        wrong = [v for v in values[fork] if v != NOT_USED and v not in allowed]
        if wrong:
            raise ConfigError(f"{where}.forks.{fork}: {wrong}; allowed: {list(allowed)}")
    if any(v not in (NOT_USED, "none") for v in values["weights"]) and not block.get("size_series"):
        raise ConfigError(f"{where}: weights other than none need size_series")
    _check_cross_section(block, where)
    needs_region = "own_region" in values["benchmark"]
    if needs_region and not block.get("region"):
        raise ConfigError(
            f"{where}: the own_region benchmark needs region (a unit_metadata or unit_classes column, or group)"
        )
    if any(v not in (NOT_USED, "world_sum") for v in fork_values(growth_block(block))["benchmark"]):
        missing = [o for o in fork_values(growth_block(block))["outcome"] if o not in block.get("outcome_levels", {})]
        if missing:
            raise ConfigError(f"{where}.outcome_levels: no level series for {missing} (needed by the benchmarks)")


def _check_cross_section(block: dict, where: str) -> None:
    own = block.get("cross_section")
    if not own:
        return
    fixed = [f for f in ("outcome", *ROLES) if f in own.get("forks", {})]
    if fixed:
        raise ConfigError(f"{where}.cross_section.forks: {fixed} are the block's own forks (terms keep their names)")
    wrong = {k: v for k, v in own.get("outcomes", {}).items() if v not in MARTIN_INDICES}
    if wrong:
        raise ConfigError(f"{where}.cross_section.outcomes: {wrong}; each names one of {list(MARTIN_INDICES)}")
    xs = cross_block(block)
    if xs is None:
        return
    values = fork_values(xs)
    for fork, key in NAMED_SETS.items():
        missing = [v for v in values[fork] if v != NOT_USED and v not in xs.get(key, {})]
        if missing:
            home = f"cross_section.{key}" if key == "fixed_effects" else key
            raise ConfigError(f"{where}.cross_section.forks.{fork}: {missing} not defined under {where}.{home}")
    moved = [v for v in values["benchmark"] if v not in (NOT_USED, "world_sum")]
    if moved:
        raise ConfigError(
            f"{where}.cross_section.forks.benchmark: {moved}; a Martin index has its own benchmark "
            "(world_sum or leave the fork out)"
        )


def spec_grid(block: dict, seed: int | None = None) -> pd.DataFrame:
    """The growth grid (``_product_grid`` of ``growth_block``: spec_id 1..n, the headline first) followed by
    the Martin-index grid of ``cross_block`` (spec_ids n+1.., never the headline)."""
    growth = growth_block(block)
    grid = _product_grid(growth, seed) if growth["forks"].get("outcome") else pd.DataFrame(columns=["spec_id"])
    xs = cross_block(block)
    if xs is None:
        return grid
    extra = _product_grid(xs, seed).assign(is_headline=False)
    extra["spec_id"] = np.arange(1, len(extra) + 1) + (int(grid["spec_id"].max()) if len(grid) else 0)
    return pd.concat([grid, extra], ignore_index=True)


def _product_grid(block: dict, seed: int | None = None) -> pd.DataFrame:
    """Every combination of the fork values (spec_id 1..n in grid order, ``is_headline`` for the first
    values), or, when there are more than ``max_specifications``, a seeded draw that keeps the headline.

    The draw takes whole blocks of specifications that differ only in their fixed effects (one pyfixest
    call estimates a block with ``sw()``), as many as fit in ``max_specifications``."""
    values = fork_values(block)
    # the fixed effects vary fastest, so specifications that differ only in them are neighbours
    order = [f for f in FORKS if f != "fixed_effects"] + ["fixed_effects"]
    grid = pd.DataFrame(list(itertools.product(*(values[f] for f in order))), columns=order)[list(FORKS)]
    grid.insert(0, "spec_id", np.arange(1, len(grid) + 1))
    grid["is_headline"] = grid["spec_id"] == 1
    cap = block.get("max_specifications")
    if cap and len(grid) > cap:
        width = len(values["fixed_effects"])
        blocks = len(grid) // width
        rng = np.random.default_rng(block.get("seed", 0) if seed is None else seed)
        drawn = rng.choice(np.arange(1, blocks), size=max(cap // width - 1, 0), replace=False)
        chosen = np.sort(np.concatenate([[0], drawn]))
        grid = grid.iloc[(chosen[:, None] * width + np.arange(width)).ravel()].reset_index(drop=True)
    return grid


def sibling_blocks(grid: pd.DataFrame) -> list[pd.DataFrame]:
    """The grid's specifications grouped by every fork but the fixed effects, in spec_id order."""
    keys = [f for f in FORKS if f != "fixed_effects"]
    return [block for _, block in grid.groupby(keys, sort=False)]


# --- the data of one specification ----------------------------------------------------------------


def shifted_episode(ep: dict, dates: dict | None, lag: int) -> dict:
    """The episode re-dated by ``dates`` (contraction / recovery / exposure_year overrides), exposures ``lag``
    years earlier."""
    out = {**ep, **(dates or {})}
    out["exposure_year"] = int(out["exposure_year"]) - int(lag)
    return out


def benchmark_growth(levels: pd.DataFrame, kind: str, region: pd.Series | None = None) -> pd.DataFrame:
    """unit, year, growth (%) of the benchmark each unit is compared with, from ``levels`` (unit, year, value).

    Sums run over the units observed in both t-1 and t. ``world_excl_unit`` leaves the unit's own level out;
    ``own_region`` sums the unit's ``region`` (units without one get no benchmark)."""
    if kind not in BENCHMARKS:
        raise ConfigError(f"specification_curve benchmark {kind!r}; allowed: {list(BENCHMARKS)}")
    rows = levels.dropna(subset=["value"]).sort_values(["unit", "year"])
    prev = rows.assign(year=rows["year"] + 1).rename(columns={"value": "before"})
    pairs = rows.merge(prev[["unit", "year", "before"]], on=["unit", "year"])
    if kind == "own_region":
        if region is None:
            raise ConfigError("specification_curve benchmark own_region needs a region per unit")
        pairs = pairs.assign(key=pairs["unit"].map(region)).dropna(subset=["key"])
    else:
        pairs = pairs.assign(key="world")
    sums = pairs.groupby(["key", "year"])[["value", "before"]].transform("sum")
    now, then = sums["value"], sums["before"]
    if kind == "world_excl_unit":
        now, then = now - pairs["value"], then - pairs["before"]
    growth = 100 * (now / then.where(then > 0) - 1)
    return pairs[["unit", "year"]].assign(growth=growth.to_numpy())


def winsorized(values: pd.Series, quantiles: Sequence[float]) -> pd.Series:
    low, high = values.quantile(quantiles[0] / 100), values.quantile(quantiles[1] / 100)
    return values.clip(low, high)


def trimmed(values: pd.Series, quantiles: Sequence[float]) -> pd.Series:
    low, high = values.quantile(quantiles[0] / 100), values.quantile(quantiles[1] / 100)
    return values.where(values.between(low, high))


def exposure_columns(exposures: pd.DataFrame, episode: str, variables: Sequence[str]) -> pd.DataFrame:
    """One row per unit with each variable (``name_squared`` = the square of ``name``), complete case."""
    base = list(dict.fromkeys(v.removesuffix("_squared") for v in variables))
    rows = exposures[(exposures["episode"] == episode) & exposures["variable"].isin(base)]
    wide = rows.pivot_table(index="unit", columns="variable", values="value", aggfunc="first")
    wide = wide.reindex(columns=base).astype("float64")
    for v in variables:
        if v.endswith("_squared"):
            wide[v] = wide[v.removesuffix("_squared")] ** 2
    return wide[list(dict.fromkeys(variables))].dropna()


def spec_frame(
    growth: pd.DataFrame, exposures: pd.DataFrame, ep: dict, spec: dict, block: dict, extras: dict
) -> tuple[pd.DataFrame, list[str], str | None]:
    """(estimation rows with outcome ``y``, the regressors, the weight column or None) of one specification.

    ``extras``: ``benchmarks`` {(outcome, kind): unit-year benchmark growth}, ``units`` (unit metadata
    indexed by unit), ``size`` / ``population`` (pre-shock values by unit, for weights and samples)."""
    episode = _inputs.episode(ep)
    roles = {r: spec[r] for r in ROLES if spec[r] != NOT_USED}
    controls = list(block.get("controls", {}).get(spec["controls"], [])) if spec["controls"] != NOT_USED else []
    wide = exposure_columns(exposures, ep["name"], [*roles.values(), *controls])
    if wide.empty:
        raise ValueError(f"no unit has all of {[*roles.values(), *controls]} for episode {ep['name']}")
    rows = growth[["unit", "year", "group", spec["outcome"]]].rename(columns={spec["outcome"]: "y"})
    rows = rows[rows["unit"].isin(wide.index)]
    if spec["benchmark"] not in (NOT_USED, "world_sum"):
        bench = extras["benchmarks"][(spec["outcome"], spec["benchmark"])]
        rows = rows.merge(bench, on=["unit", "year"], how="left")
        rows = rows.assign(y=rows["y"] - rows["growth"]).drop(columns="growth")
    rows = _sampled(rows.dropna(subset=["y"]), spec["sample"], block, extras)
    weight = None
    if spec["weights"] not in (NOT_USED, "none"):
        size = extras["size"]
        size = size[size > 0]
        rows = rows[rows["unit"].isin(size.index)]
        rows = rows.assign(w=np.sqrt(rows["unit"].map(size)) if spec["weights"] == "sqrt" else rows["unit"].map(size))
        weight = "w"
    wide = wide.loc[wide.index.isin(rows["unit"])]
    z = _inputs.standardized(wide, list(roles.values()))
    for column in extras.get("units", pd.DataFrame()).columns:
        rows[column] = rows["unit"].map(extras["units"][column])
    # every set's interactions (a block of specifications shares these rows across its fixed effects)
    for effect in dict.fromkeys(e for effects in block.get("fixed_effects", {}).values() for e in effects):
        if "^" in effect:
            left, right = effect.split("^")
            rows[effect] = (rows[left].astype(str) + "^" + rows[right].astype(str)).where(
                rows[left].notna() & rows[right].notna()
            )
    regressors = []
    for phase in PHASES:
        on = rows["year"].isin(episode.phase_years(phase)).to_numpy()
        for role, variable in roles.items():
            name = term_name(phase, ep["name"], headline_measure(block, role))
            rows[name] = z[variable].reindex(rows["unit"]).to_numpy() * on
            regressors.append(name)
        for v in controls:
            rows[f"{phase}_x_{v}"] = wide[v].reindex(rows["unit"]).to_numpy() * on
            regressors.append(f"{phase}_x_{v}")
    return rows.reset_index(drop=True), regressors, weight


def headline_measure(block: dict, role: str) -> str:
    return fork_values(block)[role][0]


def _sampled(rows: pd.DataFrame, name: str, block: dict, extras: dict) -> pd.DataFrame:
    rule = block.get("samples", {}).get(name, {}) if name != NOT_USED else {}
    if "min_population" in rule:
        population = extras["population"]
        rows = rows[rows["unit"].map(population) >= rule["min_population"]]
    if "winsorize" in rule:
        rows = rows.assign(y=winsorized(rows["y"], rule["winsorize"]))
    if "trim" in rule:
        rows = rows.assign(y=trimmed(rows["y"], rule["trim"])).dropna(subset=["y"])
    return rows


def _dated_variants(block: dict) -> list[tuple]:
    """The (shock_dates, exposure_lag) pairs the growth and Martin grids use, in grid order."""
    grids = [fork_values(b) for b in (growth_block(block), cross_block(block)) if b is not None]
    pairs = [itertools.product(v["shock_dates"], v["exposure_lag"]) for v in grids]
    return list(dict.fromkeys(itertools.chain(*pairs)))


def data_variants(owner, panel: pd.DataFrame, settings: dict, episodes: Sequence[dict], block: dict) -> dict:
    """(episode, shock_dates, exposure_lag) -> (re-dated episode, its exposures, its Martin table) for every
    date x lag fork value: the panel's own measures (``Panel.measure_tables``) on the re-dated episode, plus
    the ``single_indicators`` level series read at its exposure year (look-back ``exposure_max_back``)."""
    from resilience.measures.regional import pre_shock_values

    levels = owner.size_levels(panel)
    singles = levels[levels["series"].isin(block.get("single_indicators", []))].dropna(subset=["value"])
    out = {}
    pairs = [(ep, variant) for ep in episodes for variant in _dated_variants(episode_block(block, ep["name"]))]
    for ep, (dates, lag) in pairs:
        own = episode_block(block, ep["name"])
        if dates != NOT_USED and dates not in own.get("shock_dates", {}):
            raise ConfigError(f"specification_curve.shock_dates: no dates named {dates!r}")
        override = own.get("shock_dates", {}).get(dates, {}).get(ep["name"]) if dates != NOT_USED else None
        moved = shifted_episode(ep, override, 0 if lag == NOT_USED else lag)
        tables = owner.measure_tables(panel, settings, [moved])
        exposures = owner.to_core(tables.exposures, settings)
        near = pre_shock_values(singles, moved, own.get("exposure_max_back", 0)) if len(singles) else None
        if near is not None and len(near):
            near = near.rename(columns={"series": "variable"}).assign(episode=ep["name"])
            exposures = pd.concat([exposures, near[["unit", "episode", "variable", "value"]]], ignore_index=True)
        out[(ep["name"], dates, lag)] = (moved, exposures, owner.to_core(tables.martin, settings))
    return out


def unit_values(owner, panel: pd.DataFrame, variants: dict, block: dict, key_name: str) -> dict:
    """variant key -> the level series the block's ``key_name`` names (as the variant's episode uses the
    block) per unit at the variant's exposure year, looking back ``exposure_max_back`` (empty without one)."""
    from resilience.measures.regional import pre_shock_values

    levels = owner.size_levels(panel)
    out = {}
    for key, (ep, *_) in variants.items():
        own = episode_block(block, key[0])
        series = own.get(key_name)
        rows = levels[levels["series"] == series].dropna(subset=["value"]) if series else levels.iloc[:0]
        near = pre_shock_values(rows, ep, own.get("exposure_max_back", 0)) if len(rows) else None
        out[key] = near.set_index("unit")["value"].astype("float64") if near is not None else pd.Series(dtype="float64")
    return out


def benchmarks(owner, panel: pd.DataFrame, block: dict, region: pd.Series | None, episodes: Sequence[str] = ()) -> dict:
    """(outcome, kind) -> unit-year benchmark growth for each benchmark fork value but the world sum, over
    the block and the block as each of ``episodes`` uses it."""
    levels = owner.size_levels(panel)
    pairs = []
    for own in [block, *(episode_block(block, e) for e in episodes)]:
        growth = growth_block(own)
        kinds = [k for k in fork_values(growth)["benchmark"] if k not in (NOT_USED, "world_sum")]
        pairs += itertools.product(growth["forks"].get("outcome") or [], kinds)
    out = {}
    for outcome, kind in dict.fromkeys(pairs):
        series = block.get("outcome_levels", {}).get(outcome)
        if series is None:
            raise ConfigError(f"specification_curve.outcome_levels: no level series for {outcome!r} (benchmark {kind})")
        rows = levels[levels["series"] == series][["unit", "year", "value"]]
        out[(outcome, kind)] = benchmark_growth(rows, kind, region)
    return out


# --- estimation -----------------------------------------------------------------------------------


def _pyfixest_in_formula_order() -> None:
    """Make pyfixest sweep out the fixed effects in the order the formula names them (idempotent)."""
    import re

    from pyfixest.estimation.formula import model_matrix

    original = model_matrix._encode_fixed_effects
    if getattr(original, "in_formula_order", False):
        return

    def encode(fixed_effects: str, data: pd.DataFrame) -> str:
        original(fixed_effects, data)  # adds the columns of interacted effects to ``data``
        names = dict.fromkeys(re.split(r"\s*\+\s*", fixed_effects))
        return " + ".join(f"__fixed_effect__({name.replace('^', '_')})" for name in names) + " - 1"

    encode.in_formula_order = True
    model_matrix._encode_fixed_effects = encode


def estimate(
    rows: pd.DataFrame,
    regressors: list[str],
    fixed_effects: Sequence[Sequence[str]],
    weight: str | None,
    cluster: str = "unit",
) -> list[pd.DataFrame]:
    """Per set of ``fixed_effects`` (one pyfixest call, ``sw()`` over the sets): term, estimate, se,
    ci_low, ci_high, p_value (t(G-1)), n_obs, n_clusters of every regressor; CR1 errors by ``cluster``.

    pyfixest 0.60 decides which effects are nested in the clusters differently from one process to the
    next (it depends on the string hash seed), so its small-sample K is taken as "full" (every level)
    and the errors rescaled to the K of the project's other estimators (``wild_bootstrap.cr1_k``:
    effects nested in the clusters left out), the same numbers every run."""
    import pyfixest as pf

    _pyfixest_in_formula_order()
    sets = ["+".join(effects) for effects in fixed_effects]
    absorbed = "" if sets == [""] else f" | {sets[0]}" if len(sets) == 1 else f" | sw({', '.join(sets)})"
    with warnings.catch_warnings():
        # pyfixest warns when it drops singletons or collinear columns: a dropped term is reported missing
        warnings.simplefilter("ignore")
        fit = pf.feols(
            f"y ~ {' + '.join(regressors)}{absorbed}",
            data=rows,
            vcov={"CRV1": cluster},
            weights=weight,
            ssc=pf.ssc(k_fixef="full"),
            fixef_tol=FIXEF_TOL,
            fixef_maxiter=FIXEF_MAXITER,
        )
    models = list(fit.all_fitted_models.values()) if hasattr(fit, "all_fitted_models") else [fit]
    return [
        _tidy(model, rows, regressors, list(effects), cluster)
        for model, effects in zip(models, fixed_effects, strict=True)
    ]


def _tidy(model, rows: pd.DataFrame, regressors: list[str], effects: list[str], cluster: str) -> pd.DataFrame:
    from resilience.models.coefs import inference
    from resilience.models.wild_bootstrap import cr1_k

    coef = model.coef().reindex(regressors).to_numpy(dtype="float64")
    se = model.se().reindex(regressors).to_numpy(dtype="float64")
    sample = rows.dropna(subset=["y", *regressors, *effects])
    n, g = int(model._N), int(np.atleast_1d(model._G)[0])
    if effects:
        k_full = len(regressors) + 1 + sum(int(sample[e].nunique()) - 1 for e in effects)
        se = se * np.sqrt((n - k_full) / (n - cr1_k(sample, len(regressors), effects, cluster)))
    stats = inference(coef, se, g - 1, 0.95)
    return pd.DataFrame(
        {
            "term": regressors,
            "estimate": coef,
            "se": se,
            "ci_low": stats["ci_low"],
            "ci_high": stats["ci_high"],
            "p_value": stats["p"],
            "n_obs": n,
            "n_clusters": g,
        }
    )


def run_curve(growth: pd.DataFrame, variants: dict, block: dict, extras: dict, episodes: Sequence[str]) -> pd.DataFrame:
    """``SPEC_COLUMNS`` for every drawn specification of every episode (its headline terms only).

    ``variants``: (episode, shock_dates, exposure_lag) -> (episode dict, exposures long table);
    ``extras`` as in ``spec_frame``, with ``size`` and ``population`` keyed the same way as ``variants``."""
    parts = []
    for name in episodes:
        block_of_episode = episode_block(block, name)
        for siblings in sibling_blocks(spec_grid(block_of_episode)):
            first = siblings.iloc[0].to_dict()
            key = (name, first["shock_dates"], first["exposure_lag"])
            if key in variants:
                martin = first["outcome"] in cross_section_outcomes(block_of_episode)
                own = cross_block(block_of_episode) if martin else block_of_episode
                parts += _block(growth, variants[key], siblings, own, extras, key)
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=SPEC_COLUMNS)
    return (
        out.reindex(columns=SPEC_COLUMNS)
        .sort_values(["episode", "spec_id", "phase", "term"], kind="stable")
        .reset_index(drop=True)
    )


def not_estimable() -> tuple[type[Exception], ...]:
    """The errors of data a specification cannot identify (too few units, no variation, a rank-deficient
    design): its rows say why. Anything else is a bug and stops the run."""
    from pyfixest import errors

    from resilience.robustness.stage import NOT_ESTIMABLE

    return (
        *NOT_ESTIMABLE,
        errors.MatrixNotFullRankError,
        errors.EmptyDesignMatrixError,
        errors.EmptyVcovError,
        errors.NonConvergenceError,
    )


def _block(growth, variant, siblings: pd.DataFrame, block: dict, extras: dict, key) -> list[pd.DataFrame]:
    """The rows of specifications that share their data and differ in their fixed effects."""
    ep, exposures = variant[:2]
    specs = siblings.to_dict("records")
    own = {**extras, "size": extras.get("size", {}).get(key), "population": extras.get("population", {}).get(key)}
    terms = [
        term_name(p, ep["name"], headline_measure(block, r)) for p in PHASES for r in ROLES if specs[0][r] != NOT_USED
    ]
    if specs[0]["outcome"] in cross_section_outcomes(block):
        tables = _cross_section_block(variant, specs, block, own, terms)
        return [_labelled(table, spec, ep) for spec, table in zip(specs, tables, strict=True)]
    try:
        rows, regressors, weight = spec_frame(growth, exposures, ep, specs[0], block, own)
        tables = estimate(
            rows,
            regressors,
            [block.get("fixed_effects", {}).get(s["fixed_effects"], []) for s in specs],
            weight,
            block.get("cluster", "unit"),
        )
        tables = [t[t["term"].isin(terms)] for t in tables]
    except not_estimable() as error:
        tables = [pd.DataFrame({"term": terms, "estimate": np.nan}).assign(note=str(error))] * len(specs)
    return [_labelled(table, spec, ep) for spec, table in zip(specs, tables, strict=True)]


def _labelled(table: pd.DataFrame, spec: dict, ep: dict) -> pd.DataFrame:
    table = table.assign(phase=table["term"].map(lambda t: PHASES[t.split("_")[0]]), episode=ep["name"])
    return table.assign(**{f: spec[f] for f in ["spec_id", *FORKS, "is_headline"]})


# --- Martin-index cross-sections ------------------------------------------------------------------


def cross_section_frame(
    martin: pd.DataFrame, wide: pd.DataFrame, ep: dict, phase: str, spec: dict, block: dict, extras: dict
) -> tuple[pd.DataFrame, list[str], str | None]:
    """(one row per unit with the Martin index ``y`` of ``phase``, the regressors, the weight column or None).

    ``wide``: the specification's exposures and controls by unit (``exposure_columns``). The regressors are
    named like the growth model's terms of ``phase``; the exposures are z-scored over the units of the
    estimation sample, the controls are the pre-shock levels."""
    own = block["cross_section"]
    index = own["outcomes"][spec["outcome"]]
    rows = martin[(martin["episode"] == ep["name"]) & (martin["phase"] == PHASES[phase])]
    chosen = for_episode(own.get("martin_outcome"), ep["name"])
    if chosen:
        rows = rows[rows["outcome"] == chosen]
    if rows.empty:
        raise ValueError(f"no Martin index {chosen or ''} for episode {ep['name']}, phase {PHASES[phase]}")
    rows = rows[["unit", "group", index]].rename(columns={index: "y"})
    roles, controls = _spec_variables(spec, block)
    rows = rows[rows["unit"].isin(wide.index)].replace([np.inf, -np.inf], np.nan).dropna(subset=["y"])
    for column in extras.get("units", pd.DataFrame()).columns:
        rows[column] = rows["unit"].map(extras["units"][column])
    effects = block.get("fixed_effects", {}).get(spec["fixed_effects"], []) if spec["fixed_effects"] != NOT_USED else []
    rows = _sampled(rows.dropna(subset=list(effects)), spec["sample"], block, extras)
    weight = None
    if spec["weights"] not in (NOT_USED, "none"):
        size = extras["size"][extras["size"] > 0]
        rows = rows[rows["unit"].isin(size.index)]
        rows = rows.assign(w=np.sqrt(rows["unit"].map(size)) if spec["weights"] == "sqrt" else rows["unit"].map(size))
        weight = "w"
    z = _inputs.standardized(wide.loc[wide.index.isin(rows["unit"])], list(roles.values()))
    regressors = []
    for role, variable in roles.items():
        name = term_name(phase, ep["name"], headline_measure(block, role))
        rows[name] = z[variable].reindex(rows["unit"]).to_numpy()
        regressors.append(name)
    for v in controls:
        rows[f"{phase}_x_{v}"] = z[v].reindex(rows["unit"]).to_numpy()
        regressors.append(f"{phase}_x_{v}")
    return rows.sort_values("unit").reset_index(drop=True), regressors, weight


def estimate_cross_section(
    rows: pd.DataFrame, regressors: list[str], fixed_effects: Sequence[str], weight: str | None, cluster: str
) -> pd.DataFrame:
    """term, estimate, se, ci_low, ci_high, p_value, n_obs, n_clusters of every regressor: weighted least
    squares with absorbed ``fixed_effects``; HC1 and t(N-K) when ``cluster`` is the unit (then n_clusters =
    N: every unit its own cluster), else CR1 by ``cluster`` and t(G-1)."""
    from resilience.robustness import _ols

    by_unit = cluster == "unit"
    k = len(regressors) + 1 + sum(int(rows[e].nunique()) - 1 for e in fixed_effects)
    if len(rows) <= k:
        raise ValueError(f"{len(rows)} units for {k} coefficients")
    fit = _ols.fit(
        rows,
        "y",
        regressors,
        fixed_effects=list(fixed_effects),
        cluster=None if by_unit else cluster,
        weights=weight,
        what="Martin-index cross-section",
    )
    table = fit.tidy(regressors)
    return pd.DataFrame(
        {
            "term": regressors,
            "estimate": table["coef"].to_numpy(),
            "se": table["se"].to_numpy(),
            "ci_low": table["ci_low"].to_numpy(),
            "ci_high": table["ci_high"].to_numpy(),
            "p_value": table["p"].to_numpy(),
            "n_obs": fit.nobs,
            "n_clusters": fit.nobs if by_unit else fit.n_clusters,
        }
    )


def _spec_variables(spec: dict, block: dict) -> tuple[dict[str, str], list[str]]:
    """(role -> exposure, controls) of one specification."""
    roles = {r: spec[r] for r in ROLES if spec[r] != NOT_USED}
    controls = list(block.get("controls", {}).get(spec["controls"], [])) if spec["controls"] != NOT_USED else []
    return roles, controls


def _cross_section_block(variant, specs: list[dict], block: dict, extras: dict, terms: list[str]) -> list:
    """The headline terms of Martin-index specifications that differ only in their fixed effects: one
    cross-section per specification and phase (the exposures' wide table built once)."""
    ep, exposures, martin = variant
    martin = martin[martin["episode"] == ep["name"]]
    roles, controls = _spec_variables(specs[0], block)
    wide = exposure_columns(exposures, ep["name"], [*roles.values(), *controls])
    out = []
    for spec in specs:
        sets = block.get("fixed_effects", {})
        effects = sets.get(spec["fixed_effects"], []) if spec["fixed_effects"] != NOT_USED else []
        parts = []
        for phase in PHASES:
            wanted = [t for t in terms if t.startswith(f"{phase}_")]
            try:
                if wide.empty:
                    raise ValueError(f"no unit has all of {[*roles.values(), *controls]} for episode {ep['name']}")
                rows, regressors, weight = cross_section_frame(martin, wide, ep, phase, spec, block, extras)
                table = estimate_cross_section(rows, regressors, effects, weight, block.get("cluster", "unit"))
                parts.append(table[table["term"].isin(wanted)])
            except not_estimable() as error:
                parts.append(pd.DataFrame({"term": wanted, "estimate": np.nan}).assign(note=str(error)))
        out.append(pd.concat(parts, ignore_index=True))
    return out


# --- summaries ------------------------------------------------------------------------------------


HEADLINE_COLUMNS = ["episode", "term", "model", "estimate", "n_obs", "n_clusters", "terms_not_in_baseline"]


def headline_estimates(
    models: pd.DataFrame, headline_models: dict[str, str], curve: pd.DataFrame, block: dict
) -> pd.DataFrame:
    """``HEADLINE_COLUMNS`` per term of the curve: the coefficient the report prints as the headline (the
    episode's headline model in the panel's models table), its sample, and the terms of that model's phase
    that the curve's baseline specification does not have (the curve's per-episode model cannot express,
    e.g., an exposure x exposure term). NaN estimate where the headline model lacks the term."""
    rows = []
    baseline = curve[curve["is_headline"].astype(bool)]
    for (episode, term), group in baseline.groupby(["episode", "term"], sort=True):
        name = headline_models.get(str(episode))
        own = models[(models["model"].astype(str) == str(name)) & (models["term"].astype(str) == term)]
        prefix = term.partition("_x_")[0]
        control_set = str(group["controls"].iloc[0])
        controls = episode_block(block, str(episode)).get("controls", {}).get(control_set, [])
        regressors = set(baseline.loc[baseline["term"].str.startswith(f"{prefix}_x_"), "term"])
        regressors |= {term_name(prefix.split("_")[0], str(episode), c) for c in controls}
        phase_terms = models.loc[models["model"].astype(str) == str(name), "term"].astype(str)
        missing = sorted(t for t in phase_terms.unique() if t.startswith(f"{prefix}_x_") and t not in regressors)
        rows.append(
            {
                "episode": episode,
                "term": term,
                "model": name,
                "estimate": float(own["coef"].iloc[0]) if len(own) else np.nan,
                "n_obs": float(own["nobs"].iloc[0]) if len(own) else np.nan,
                "n_clusters": float(own["n_clusters"].iloc[0]) if len(own) and "n_clusters" in own else np.nan,
                "terms_not_in_baseline": ";".join(missing),
            }
        )
    return pd.DataFrame(rows, columns=HEADLINE_COLUMNS)


def summarize(
    curve: pd.DataFrame, panel: str, headline: pd.DataFrame | None = None, alpha: float = ALPHA
) -> pd.DataFrame:
    """``SUMMARY_COLUMNS`` per episode, phase and term: shares over the estimated specifications of those
    with the sign of the headline estimate, which is the headline model's (``headline_estimates``) when
    given, else the curve's own baseline specification's."""
    own = headline.set_index(["episode", "term"]) if headline is not None else None
    rows = []
    for (episode, phase, term), group in curve.groupby(["episode", "phase", "term"], sort=True):
        ok = group.dropna(subset=["estimate"])
        base = ok[ok["is_headline"].astype(bool)]
        first = base.iloc[0] if len(base) else None
        baseline = float(first["estimate"]) if first is not None else np.nan
        model = own.loc[(episode, term)] if own is not None and (episode, term) in own.index else None
        headline_estimate = float(model["estimate"]) if model is not None else baseline if own is None else np.nan
        same = np.sign(ok["estimate"]) == np.sign(headline_estimate)
        significant = ok["p_value"] < alpha
        n = len(ok)
        compared = bool(n) and np.isfinite(headline_estimate)
        rows.append(
            {
                "panel": panel,
                "episode": episode,
                "phase": phase,
                "term": term,
                "n_specs": n,
                "headline_model": model["model"] if model is not None else "",
                "headline_estimate": headline_estimate,
                "headline_n_obs": model["n_obs"] if model is not None else np.nan,
                "headline_n_clusters": model["n_clusters"] if model is not None else np.nan,
                "baseline_estimate": baseline,
                "baseline_n_obs": float(first.get("n_obs", np.nan)) if first is not None else np.nan,
                "baseline_n_clusters": float(first.get("n_clusters", np.nan)) if first is not None else np.nan,
                "terms_not_in_baseline": model["terms_not_in_baseline"] if model is not None else "",
                "median_estimate": float(ok["estimate"].median()) if n else np.nan,
                "share_same_sign": same.mean() if compared else np.nan,
                "share_significant_same_sign": (same & significant).mean() if compared else np.nan,
                "share_significant": significant.mean() if n else np.nan,
                "n_not_estimable": len(group) - n,
            }
        )
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def income_correlation(exposures: pd.DataFrame, exposure: str, control: str) -> pd.DataFrame:
    """episode, exposure, control, correlation (Pearson, units with both), n_units."""
    rows = []
    for episode in sorted(exposures["episode"].unique()):
        wide = exposure_columns(exposures, episode, [exposure, control])
        corr = float(wide[exposure].corr(wide[control])) if len(wide) > 2 else np.nan
        rows.append(
            {"episode": episode, "exposure": exposure, "control": control, "correlation": corr, "n_units": len(wide)}
        )
    return pd.DataFrame(rows, columns=["episode", "exposure", "control", "correlation", "n_units"])


# --- one panel ------------------------------------------------------------------------------------


def unit_table(growth: pd.DataFrame, metadata: pd.DataFrame | None, block: dict) -> pd.DataFrame:
    """Unit attributes the fixed effects and the own-region benchmark use, indexed by unit: the
    ``unit_metadata.columns`` of ``metadata`` (keyed by ``unit_metadata.key``) and one column per
    ``unit_classes`` entry (class -> its units; a unit in no class has none)."""
    units = pd.Index(sorted(growth["unit"].unique()), name="unit")
    spec = block.get("unit_metadata")
    table = pd.DataFrame(index=units)
    if spec and metadata is not None:
        columns = metadata.drop_duplicates(spec["key"]).set_index(spec["key"])[list(spec["columns"])]
        table = columns.reindex(units).replace("", np.nan)
    for column, classes in (block.get("unit_classes") or {}).items():
        of_unit = {unit: name for name, members in classes.items() for unit in members}
        table[column] = pd.Series(of_unit, dtype="object").reindex(units)
    return table


def check_unit_classes(block: dict, where: str) -> None:
    """ConfigError when a unit is put in two classes of one ``unit_classes`` column."""
    for column, classes in (block.get("unit_classes") or {}).items():
        seen: dict[str, str] = {}
        for name, members in classes.items():
            for unit in members:
                if unit in seen:
                    raise ConfigError(f"{where}.unit_classes.{column}: {unit} is in both {seen[unit]!r} and {name!r}")
                seen[unit] = name


def curve_tables(
    owner,
    growth: pd.DataFrame,
    panel: pd.DataFrame,
    settings: dict,
    episodes: Sequence[dict],
    block: dict,
    metadata: pd.DataFrame | None = None,
    models: pd.DataFrame | None = None,
    headline_models: dict[str, str] | None = None,
) -> dict[str, pd.DataFrame]:
    """The panel's ``curve`` (``SPEC_COLUMNS``), ``summary`` (``SUMMARY_COLUMNS``) and ``collinearity`` tables;
    the summary's shares count the specifications with the sign of the episode's headline model
    (``headline_models``: episode -> model name in ``models``) when given."""
    growth = owner.to_core(growth, settings)
    units = unit_table(growth, metadata, block)
    region_column = block.get("region")
    region = None
    if region_column == "group":
        region = growth.drop_duplicates("unit").set_index("unit")["group"]
    elif region_column:
        region = units[region_column]
    variants = data_variants(owner, panel, settings, episodes, block)
    extras = {
        "units": units,
        "benchmarks": benchmarks(owner, panel, block, region, [e["name"] for e in episodes]),
        "size": unit_values(owner, panel, variants, block, "size_series"),
        "population": unit_values(owner, panel, variants, block, "population_series"),
    }
    curve = run_curve(growth, variants, block, extras, [e["name"] for e in episodes])
    collinearity = block.get("collinearity")
    headline = [
        exposures
        for (name, dates, lag), (_, exposures, *_) in variants.items()
        if (dates, lag) == _dated_variants(episode_block(block, name))[0] and len(exposures)
    ]
    exposures = pd.concat(headline, ignore_index=True) if headline else pd.DataFrame(columns=["unit", "episode"])
    corr = (
        income_correlation(exposures, collinearity["exposure"], collinearity["control"])
        if collinearity
        else pd.DataFrame(columns=["episode", "exposure", "control", "correlation", "n_units"])
    )
    headline = headline_estimates(models, headline_models or {}, curve, block) if models is not None else None
    return {"curve": curve, "summary": summarize(curve, owner.id, headline), "collinearity": corr}
