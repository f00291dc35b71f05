r"""Adaptation of one panel (rule panel_adaptation): the measures per unit and episode, and their models.

Measures (``resilience.robustness.adaptation``), each from the panel's ``adaptation`` block:

- ``share_change``: change of the manufacturing (or secondary / industry) share, pp;
- ``diversity_change``: change of the diversity of the production structure;
- ``hysteresis_k{k}``: post-recovery output against the pre-shock trend, % of trend, k years after the
  post-recovery year, from the panel's growth column ``hysteresis.outcome``.

A block set to null, a series the panel file lacks, or an episode in which no unit has the measure
gives one row with ``status`` "not measurable" and the reason in ``note`` (the block's
``not_measurable`` text for a null block); nothing is imputed. A unit lacking a year has ``status``
"missing".

Models, per episode and measure, on the units with the measure and every exposure (a cross-section,
like the Martin-index models)::

    A_i = a + sum_v b_v z_{i,v} [+ c z_{i,1} z_{i,2}] + sum_c d_c w_{i,c} + e_i

z the headline model's pre-shock exposures (standardised over the estimation sample when
``design.standardize``), their product when the headline interacts them, w its controls found in
the exposures table; HC1 with t(N-K) when the design clusters by unit, CR1 by group (the unit's
country) with t(G-1) otherwise. It answers: did more digital or more clustered units come out of the
shock with a different structure, or closer to their old growth path?
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from resilience.episode_settings import for_episode
from resilience.errors import InputError
from resilience.panels import get
from resilience.panels.base import adaptation_measure_names
from resilience.robustness import _inputs
from resilience.robustness._ols import fit
from resilience.robustness.adaptation import diversity_change, episode_years, hysteresis, log_levels, share_change
from resilience.robustness.stage import NOT_ESTIMABLE, available_exposures, headline, headline_name

MEASURE_COLUMNS = [
    "episode",
    "measure",
    "unit",
    "year_pre",
    "year_post",
    "pre",
    "post",
    "trend_growth",
    "value",
    "status",
    "note",
]
MODEL_COLUMNS = [
    "episode",
    "measure",
    "term",
    "role",
    "coef",
    "se",
    "t",
    "p",
    "ci_low",
    "ci_high",
    "nobs",
    "n_clusters",
    "cov_type",
    "status",
    "note",
]
# The config block of each measure (every hysteresis_k* reads the block "hysteresis").
BLOCKS = {"share_change": "share", "diversity_change": "diversity"}
# A cross-section needs some residual degrees of freedom for its standard errors to mean anything.
MIN_RESIDUAL_DF = 5


def run(
    panel_id: str,
    growth: pd.DataFrame,
    exposures: pd.DataFrame,
    panel: pd.DataFrame,
    settings: dict,
    episodes: list[dict],
) -> dict[str, pd.DataFrame]:
    """``{"adaptation": MEASURE_COLUMNS table, "models": MODEL_COLUMNS table}`` of one panel."""
    owner = get(panel_id)
    growth, exposures = owner.robustness_frames(growth, exposures, settings)
    own = settings["adaptation"]
    levels = _inputs.unit_levels(owner.size_levels(panel), growth, f"{panel_id} panel file (adaptation)")
    table = adaptation_measures(growth, levels, episodes, own)
    groups = growth.drop_duplicates("unit").set_index("unit")["group"]
    models = [
        _episode_model(table, exposures, settings, ep["name"], measure, groups)
        for ep in episodes
        if headline_name(settings, ep["name"]) is not None
        for measure in adaptation_measure_names(own)
    ]
    return {"adaptation": table, "models": _stacked(models, MODEL_COLUMNS)}


def _episode_model(table, exposures, settings: dict, episode: str, measure: str, groups: pd.Series) -> pd.DataFrame:
    """The adaptation model of one measure on the exposures and controls of the episode's headline model."""
    head = headline(settings, episode)
    model = next(m for m in settings["models"] if m["name"] == head.model)
    return adaptation_models(
        table,
        exposures,
        episode,
        measure,
        exposure_vars=list(head.exposures),
        controls=list(model.get("controls", [])),
        interact=bool(model.get("interact_exposures")),
        standardize=head.standardize,
        groups=None if head.cluster == "unit" else groups,
    )


def adaptation_measures(growth: pd.DataFrame, levels: pd.DataFrame, episodes: list[dict], own: dict) -> pd.DataFrame:
    """Every measure of ``adaptation_measure_names`` per unit and episode (``MEASURE_COLUMNS``), sorted."""
    offsets = {"pre_offset": own["pre_offset"], "post_offset": own["post_offset"]}
    parts = []
    for ep in episodes:
        parts.append(
            _measure(
                ep,
                "share_change",
                own,
                lambda b: share_change(
                    levels, [ep], numerator=b["numerator"], denominator=b.get("denominator"), **offsets
                ),
            )
        )
        parts.append(
            _measure(
                ep,
                "diversity_change",
                own,
                lambda b: diversity_change(levels, [ep], sectors=b["sectors"], diversity=b["measure"], **offsets),
            )
        )
        parts += _hysteresis(growth, ep, own, offsets)
    out = _stacked(parts, MEASURE_COLUMNS)
    # episodes in the config's order, measures in adaptation_measure_names' order, units sorted
    order = {"episode": [e["name"] for e in episodes], "measure": adaptation_measure_names(own)}
    keys = out.assign(**{f"_{k}": out[k].map({v: i for i, v in enumerate(values)}) for k, values in order.items()})
    keys = keys.sort_values(["_episode", "_measure", "unit"], na_position="first", kind="stable")
    return out.loc[keys.index].reset_index(drop=True)


def _measure(ep: dict, measure: str, own: dict, compute) -> pd.DataFrame:
    """The rows of one measure from ``compute(block)``, its config block; one not-measurable row without it."""
    key = BLOCKS.get(measure, "hysteresis")
    block = own.get(key)
    if not block:
        return not_measurable(ep, measure, own, own.get("not_measurable", {}).get(key, ""))
    try:
        table = compute(block)
    except InputError as error:
        return not_measurable(ep, measure, own, str(error))
    pre, post = episode_years(ep, own["pre_offset"], own["post_offset"])
    return _rows(table.assign(measure=measure), ep, measure, own, f"the data for both {pre} and {post}")


def _hysteresis(growth: pd.DataFrame, ep: dict, own: dict, offsets: dict) -> list[pd.DataFrame]:
    block = own.get("hysteresis")
    if not block:
        return [_measure(ep, "hysteresis_k0", own, None)]
    pre, _ = episode_years(ep, **offsets)
    start = pre - block["trend_years"] + 1
    names = [f"hysteresis_k{k}" for k in block["years_after"]]
    outcome = for_episode(block["outcome"], ep["name"])
    try:
        levels = log_levels(growth, outcome, start)
        table = hysteresis(
            levels,
            [ep],
            trend_years=block["trend_years"],
            years_after=block["years_after"],
            min_trend_years=block.get("min_trend_years"),
            **offsets,
        )
    except InputError as error:
        return [not_measurable(ep, name, own, str(error)) for name in names]
    table = table.rename(columns={"year": "year_post", "hysteresis": "value"}).assign(year_pre=pre)
    post = episode_years(ep, **offsets)[1]
    return [
        _rows(
            table[table["years_after"] == k].assign(measure=name),
            ep,
            name,
            own,
            f"{outcome} in every year {start + 1}-{post + k} (the trend {start}-{pre} and the "
            f"path to {post + k})",
        )
        for k, name in zip(block["years_after"], names, strict=True)
    ]


def _rows(table: pd.DataFrame, ep: dict, measure: str, own: dict, needs: str) -> pd.DataFrame:
    """The unit rows, or one not-measurable row saying what no unit has (``needs``)."""
    if not table["value"].notna().any():
        return not_measurable(ep, measure, own, f"no unit has {needs}")
    measured = table["value"].notna()
    return table.assign(
        episode=ep["name"],
        status=np.where(measured, "measured", "missing"),
        note=np.where(measured, "", "a year or series of the unit is missing"),
    ).reindex(columns=MEASURE_COLUMNS)


def not_measurable(ep: dict, measure: str, own: dict, reason: str) -> pd.DataFrame:
    pre, post = episode_years(ep, own["pre_offset"], own["post_offset"])
    row = {c: np.nan for c in MEASURE_COLUMNS}
    return pd.DataFrame(
        [
            {
                **row,
                "episode": ep["name"],
                "measure": measure,
                "year_pre": pre,
                "year_post": post,
                "status": "not measurable",
                "note": reason or "not configured",
            }
        ]
    )


def adaptation_models(
    table: pd.DataFrame,
    exposures: pd.DataFrame,
    episode: str,
    measure: str,
    *,
    exposure_vars: list[str],
    controls: list[str],
    interact: bool,
    standardize: bool = True,
    groups: pd.Series | None = None,
) -> pd.DataFrame:
    """The model of one measure and episode (``MODEL_COLUMNS``); one "not estimable" row when the data
    cannot identify it. ``groups``: the cluster of each unit (None: HC1)."""
    rows = table[(table["episode"] == episode) & (table["measure"] == measure)]
    measured = rows[rows["status"] == "measured"]
    if measured.empty:
        reason = rows["note"].iloc[0] if len(rows) and rows["status"].iloc[0] == "not measurable" else "no data"
        return _model_missing(episode, measure, f"the measure is not measurable: {reason}")
    variables, left_out = available_exposures(exposures, episode, exposure_vars)
    present, _ = available_exposures(exposures, episode, controls)
    note = f"left out for lack of data: {', '.join(left_out)}" if left_out else ""
    if not variables:
        return _model_missing(episode, measure, f"no unit has any of the exposures {exposure_vars} for this episode")
    try:
        data, terms = _design(
            measured, exposures, episode, variables, present, interact and not left_out, standardize, groups
        )
        if len(data) - len(terms) - 1 < MIN_RESIDUAL_DF:
            raise ValueError(f"{len(data)} units for {len(terms) + 1} coefficients")
        result = fit(
            data,
            "value",
            terms,
            cluster=None if groups is None else "group",
            what=f"adaptation model ({episode}, {measure})",
        )
    except NOT_ESTIMABLE as error:
        return _model_missing(episode, measure, str(error))
    roles = {
        "const": "const",
        **{v: "exposure" for v in variables},
        **{c: "control" for c in present},
        **{t: "interaction" for t in terms if "_x_" in t},
    }
    table = result.tidy().assign(episode=episode, measure=measure, status="estimated", note=note)
    return table.assign(role=table["term"].map(roles))[MODEL_COLUMNS]


def _design(
    measured: pd.DataFrame,
    exposures: pd.DataFrame,
    episode: str,
    variables: list[str],
    controls: list[str],
    interact: bool,
    standardize: bool,
    groups: pd.Series | None,
) -> tuple[pd.DataFrame, list[str]]:
    wide = _inputs.exposure_wide(exposures, episode, [*variables, *controls], f"exposures (adaptation, {episode})")
    data = wide.join(measured.set_index("unit")["value"], how="inner")
    if standardize and len(data) > 1:
        data = _inputs.standardized(data, variables)
    terms = [*variables]
    if interact and len(variables) == 2:
        terms.append("_x_".join(variables))
        data[terms[-1]] = data[variables[0]] * data[variables[1]]
    if groups is not None:
        data = data.assign(group=groups.reindex(data.index).to_numpy()).dropna(subset=["group"])
    return data.rename_axis("unit").reset_index(), [*terms, *controls]


def _model_missing(episode: str, measure: str, reason: str) -> pd.DataFrame:
    row = {c: np.nan for c in MODEL_COLUMNS}
    return pd.DataFrame([{**row, "episode": episode, "measure": measure, "status": "not estimable", "note": reason}])


def _stacked(parts: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    parts = [p.reindex(columns=columns).astype("object") for p in parts if len(p)]
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
    counts = [c for c in ("year_pre", "year_post", "nobs", "n_clusters") if c in out.columns]
    floats = [
        c
        for c in columns
        if c not in counts and c not in ("episode", "measure", "unit", "term", "role", "cov_type", "status", "note")
    ]
    return out.astype({**{c: "Int64" for c in counts}, **{c: "float64" for c in floats}})
