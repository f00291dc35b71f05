r"""When were the exposures measured, and could the estimate be mean reversion? (rule panel_exposure_timing)

Timing check, per episode and exposure: the latest year any unit's exposure was measured in
(``year_used`` of the exposures table) against the episode's designed pre-shock ``exposure_year``.
The exposure rule (``measures.exposure.value_near_year``) takes the designed year or up to
``max_back`` years earlier, and only when none of those has data a later year up to the contraction
start, so an exposure year after the designed one means the panel has no earlier data.

Exposure-timing placebo (``robustness.timing_placebo``: an episode and a fake shock year f): the
exposure measured in f - 1, i.e. AFTER the real shock, on a fake contraction in f::

    g_it = a_i + d_t + b 1{t = f} z_i^{(f-1)} + u_it        on the years outside every real episode's span

(d_t the headline design's time effects: year, or group x year) beside the real contraction estimate
of the same design on every year (the headline's phase terms, the exposure at its pre-shock year;
no controls and no exposure interaction, as in the robustness stage). A noisy level that enters both the
exposure (a location quotient) and the outcome (growth of the same level) makes units with a high
measured exposure fall back afterwards at any date: a placebo estimate as large as the real one says
the real one may be that mean reversion rather than resilience. Errors CR1 by ``cluster``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from resilience.panels import get
from resilience.robustness import _inputs
from resilience.robustness._ols import fit
from resilience.robustness.section import num, pval
from resilience.robustness.size_weighting import shock_panel
from resilience.robustness.stage import NOT_ESTIMABLE, available_exposures, headline, with_group_year

TIMING_COLUMNS = [
    "episode",
    "exposure",
    "kind",
    "designed_year",
    "exposure_year",
    "contraction_start",
    "strictly_before",
    "shock_year",
    "coef",
    "se",
    "p",
    "nobs",
    "status",
    "note",
]


def exposure_timing(exposures: pd.DataFrame, episodes: list[dict], max_back: int) -> pd.DataFrame:
    """One ``kind`` "timing" row per episode and exposure (``TIMING_COLUMNS``)."""
    rows = []
    for entry in episodes:
        ep = _inputs.episode(entry)
        designed, start = entry["exposure_year"], ep.contraction[0]
        own = exposures[(exposures["episode"] == ep.name) & exposures["value"].notna()]
        for variable, block in own.groupby("variable", sort=True):
            base = {
                "episode": ep.name,
                "exposure": variable,
                "kind": "timing",
                "designed_year": designed,
                "contraction_start": start,
            }
            if "year_used" not in block.columns or block["year_used"].isna().all():
                rows.append({**base, "status": "not recorded", "note": "the exposures table records no year_used"})
                continue
            latest = int(block["year_used"].max())
            before = latest <= designed
            note = (
                ""
                if before
                else (
                    f"no unit has it in {designed - max_back}-{designed}: the panel's data start "
                    f"later, so the nearest-year rule took {latest}"
                )
            )
            rows.append({**base, "exposure_year": latest, "strictly_before": before, "status": "checked", "note": note})
    return pd.DataFrame(rows, columns=TIMING_COLUMNS)


def fake_episode(entry: dict, shock_year: int) -> dict:
    """The fake episode of a timing placebo: contraction [f-1, f], exposures measured in f - 1."""
    return {
        "name": f"{entry['name']}_timing_placebo",
        "contraction": [shock_year - 1, shock_year],
        "recovery": [shock_year, shock_year + 1],
        "exposure_year": shock_year - 1,
    }


def timing_placebo(
    growth: pd.DataFrame,
    exposures: pd.DataFrame,
    late_exposures: pd.DataFrame,
    entry: dict,
    episodes: list[dict],
    shock_year: int,
    *,
    outcome: str,
    exposure_vars: list[str],
    phases=("contraction", "recovery"),
    fixed_effects=("unit", "year"),
    cluster: str = "unit",
    standardize: bool = True,
) -> pd.DataFrame:
    """The real and the placebo rows (``kind`` "real", "placebo") of each exposure (``TIMING_COLUMNS``).

    ``late_exposures``: the exposures of ``fake_episode(entry, shock_year)`` (measured in f - 1).
    """
    ep, fake = _inputs.episode(entry), fake_episode(entry, shock_year)
    spans = set().union(*(_inputs.span_years(_inputs.episode(e)) for e in episodes))
    if shock_year in spans:
        raise ValueError(f"the placebo shock year {shock_year} lies inside a real episode")
    clean = growth[~growth["year"].isin(spans)]
    if not clean.loc[clean["year"] == shock_year, outcome].notna().any():
        raise ValueError(f"{outcome} has no data in the placebo shock year {shock_year}")
    common = {"outcome": outcome, "exposure_vars": exposure_vars, "cluster": cluster, "standardize": standardize}
    out = []
    for kind, rows, table, episode, own_phases in (
        ("real", growth, exposures, entry, phases),
        ("placebo", clean, late_exposures, fake, ("contraction",)),
    ):
        data, terms = shock_panel(rows, table, episode, phases=own_phases, **common)
        data = with_group_year(data, growth, fixed_effects)
        result = fit(
            data,
            outcome,
            terms,
            fixed_effects=list(fixed_effects),
            cluster=cluster,
            what=f"exposure-timing {kind} ({ep.name})",
        ).tidy(terms[: len(exposure_vars)])
        out.append(
            pd.DataFrame(
                {
                    "exposure": exposure_vars,
                    "kind": kind,
                    "coef": result["coef"],
                    "se": result["se"],
                    "p": result["p"],
                    "nobs": result["nobs"],
                    "shock_year": episode["contraction"][0] + 1,
                    "exposure_year": _year_used(table, episode["name"]),
                }
            )
        )
    table = pd.concat(out, ignore_index=True).assign(episode=ep.name, status="estimated", note="")
    return table.reindex(columns=TIMING_COLUMNS)


def _year_used(exposures: pd.DataFrame, episode: str):
    rows = exposures[exposures["episode"] == episode]
    return int(rows["year_used"].max()) if "year_used" in rows.columns and rows["year_used"].notna().any() else np.nan


def run(
    panel_id: str,
    growth: pd.DataFrame,
    exposures: pd.DataFrame,
    panel: pd.DataFrame | None,
    settings: dict,
    measure_settings: dict,
    episodes: list[dict],
) -> pd.DataFrame:
    """The timing rows of every episode, and the placebo rows when ``robustness.timing_placebo`` is set."""
    owner = get(panel_id)
    growth, exposures = owner.robustness_frames(growth, exposures, settings)
    max_back = measure_settings.get("measures", {}).get("exposure_max_back", 0)
    parts = [exposure_timing(exposures, episodes, max_back)]
    placebo = settings["robustness"].get("timing_placebo")
    if placebo and panel is not None:
        entry = next(e for e in episodes if e["name"] == placebo["episode"])
        parts.append(
            _placebo_rows(
                owner, growth, exposures, panel, settings, measure_settings, entry, episodes, placebo["shock_year"]
            )
        )
    table = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) else parts[0]
    return table.reindex(columns=TIMING_COLUMNS).astype({"strictly_before": "boolean"})


def _placebo_rows(owner, growth, exposures, panel, settings, measure_settings, entry, episodes, shock_year):
    head = headline(settings, entry["name"])
    variables, _ = available_exposures(exposures, entry["name"], head.exposures)
    try:
        late = owner.to_core(
            owner.measure_tables(panel, measure_settings, [fake_episode(entry, shock_year)]).exposures, settings
        )
        return timing_placebo(
            growth,
            exposures,
            late,
            entry,
            episodes,
            shock_year,
            outcome=head.outcome,
            exposure_vars=variables,
            phases=head.phases,
            fixed_effects=head.fixed_effects,
            cluster="unit" if head.cluster == "unit" else "group",
            standardize=head.standardize,
        )
    except NOT_ESTIMABLE as error:
        return pd.DataFrame(
            [
                {
                    "episode": entry["name"],
                    "kind": "placebo",
                    "shock_year": shock_year,
                    "status": "not estimable",
                    "note": str(error),
                }
            ]
        )


def _timing_sentence(rows: pd.DataFrame, where: str) -> list[str]:
    """One episode's timing rows in words: late exposures, else the year all checked ones are measured by;
    the exposures whose year the exposures table does not record are named, never counted as checked."""
    block = rows[rows["status"] == "checked"]
    unrecorded = ", ".join(rows.loc[rows["status"] == "not recorded", "exposure"])
    if block.empty:
        return [f"{where}: no exposure's measurement year is recorded ({unrecorded}), so their timing is not checked"] \
            if unrecorded else []
    late = block[~block["strictly_before"].astype(bool)]
    if late.empty:
        years = sorted(block["exposure_year"].astype(int).unique())
        text = (f"{where}: every exposure with a recorded year measured by {years[-1]}, not after the designed "
                f"pre-shock year {int(block['designed_year'].iloc[0])}")
    else:
        r = late.iloc[0]
        text = (f"{where}: {', '.join(late['exposure'])} measured in {int(r['exposure_year'])}, after the designed "
                f"pre-shock year {int(r['designed_year'])} and in the contraction's first year "
                f"{int(r['contraction_start'])} ({r['note']})")
    return [text + (f"; no year recorded for {unrecorded}" if unrecorded else "")]


def timing_sentences(table: pd.DataFrame | None, label: str) -> list[str]:
    """Rule-chosen sentences: exposures measured after their designed year, and each placebo's reading."""
    if table is None or table.empty:
        return []
    out = []
    timing = table[table["kind"] == "timing"]
    for episode, rows in timing.groupby("episode", sort=False):
        out += _timing_sentence(rows, f"{label}, {episode}")
    estimated = table[table["kind"].isin(["real", "placebo"]) & (table["status"] == "estimated")]
    for (episode, exposure), block in estimated.groupby(["episode", "exposure"], sort=False):
        real, fake = block[block["kind"] == "real"].iloc[0], block[block["kind"] == "placebo"].iloc[0]
        head = (
            f"{label}, {episode}, {exposure} measured in {int(fake['exposure_year'])} on a fake shock in "
            f"{int(fake['shock_year'])}: {num(fake['coef'])} (se {num(fake['se'])}, p {pval(fake['p'])}) against "
            f"{num(real['coef'])} (se {num(real['se'])}) at the real shock"
        )
        if abs(fake["coef"]) >= abs(real["coef"]):
            verdict = "as large without a shock: the real estimate may be mean reversion, not resilience"
        elif fake["p"] < 0.05:
            verdict = "smaller but significant without a shock: part of the real estimate may be mean reversion"
        else:
            verdict = "no such estimate without a shock: mean reversion does not explain the real one"
        out.append(f"{head}; {verdict}")
    for _, r in table[table["status"] == "not estimable"].iterrows():
        out.append(f"{label}, {r['episode']}: timing placebo not estimable ({r['note']})")
    return out
