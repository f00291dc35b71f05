"""Evidence the Findings section adds to the headline model's: adaptation, the specification curve, income
collinearity and the exposure-timing check, each read from a results table (pure functions).

- Adaptation cells read ``{panel}_adaptation_models.csv``: the term of the hypothesis (an exposure or the
  product of the two) in the model of the panel's headline adaptation measure; its HC1 or CR1 interval is
  the significance check of the shared verdict rule.
- The specification curve (``{panel}_spec_curve_summary.csv``, optional: read when the workflow makes it)
  gives per episode, phase (resistance, recovery) and term the share of specifications with the
  sign of the headline model's estimate (the one the report prints) and the share significant with it.
  A cell gets a caveat when fewer than ``STABLE_SIGN_SHARE`` (the Robustness section's threshold) of the
  specifications share the sign, or when a significant verdict is significant with the same sign in
  fewer than ``ROBUST_SHARE`` of them (both as printed, in whole percentages); and one when the curve's own baseline specification has the
  opposite sign of the headline model's estimate.
- Income collinearity: Pearson correlation across units of the digital exposure with the income
  exposure (log GDP per capita) at the same pre-shock year; from ``HIGH_CORRELATION`` on, a cell whose
  term involves digitalization gets a caveat.
- Exposure timing (``{panel}_exposure_timing.csv``, ``robustness.timing``): a resistance cell whose
  exposure, measured after the shock, gives an estimate at least as large in absolute value on a fake
  shock date gets a mean-reversion caveat.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from resilience.robustness.section import ROBUST_SHARE, STABLE_SIGN_SHARE, num, opposite_signs, share, share_reaches

HIGH_CORRELATION = 0.7
SPEC_PHASES = {"contraction": "resistance", "recovery": "recovery"}


def finite(value) -> bool:
    try:
        return value is not None and math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


def adaptation_row(models: pd.DataFrame | None, episode: str, measure: str, term: str | None) -> dict | None:
    """The estimated row of ``term`` in the model of ``measure`` (None without a finite estimate)."""
    if term is None or models is None or models.empty:
        return None
    rows = models[
        (models["episode"].astype(str) == str(episode))
        & (models["measure"].astype(str) == measure)
        & (models["term"].astype(str) == term)
        & (models["status"] == "estimated")
    ]
    if rows.empty or not finite(rows["coef"].iloc[0]):
        return None
    return rows.iloc[0].to_dict()


def not_measurable_reason(models: pd.DataFrame | None, episode: str, measure: str) -> str:
    """Why the adaptation model of ``measure`` has no estimate ('' when it has one or no row says)."""
    if models is None or models.empty:
        return "no adaptation table"
    rows = models[(models["episode"].astype(str) == str(episode)) & (models["measure"].astype(str) == measure)]
    # a model without the term says why (not estimable), or names the exposures it left out
    failed = rows[rows["status"] != "estimated"]["note"].dropna().astype(str)
    left_out = rows[rows["status"] == "estimated"]["note"].dropna().astype(str)
    notes = [n for n in [*failed, *left_out] if n]
    return notes[0] if notes else ""


def spec_curve_row(summary: pd.DataFrame | None, episode: str, phase: str, term: str | None) -> dict:
    """n_specs and the shares for one headline term; NaN where the summary lacks it."""
    nan = float("nan")
    out = {
        "spec_n": nan,
        "spec_same_sign": nan,
        "spec_significant_same_sign": nan,
        "spec_headline": nan,
        "spec_baseline": nan,
        "spec_headline_n_obs": nan,
        "spec_baseline_n_obs": nan,
    }
    if summary is None or summary.empty or term is None or phase not in SPEC_PHASES:
        return out
    rows = summary[
        (summary["episode"].astype(str) == str(episode))
        & (summary["phase"] == SPEC_PHASES[phase])
        & (summary["term"].astype(str) == term)
    ]
    if rows.empty:
        return out
    r = rows.iloc[0]
    return {
        "spec_n": float(r["n_specs"]),
        "spec_same_sign": float(r["share_same_sign"]),
        "spec_significant_same_sign": float(r["share_significant_same_sign"]),
        "spec_headline": float(r.get("headline_estimate", nan)),
        "spec_baseline": float(r.get("baseline_estimate", nan)),
        "spec_headline_n_obs": float(r.get("headline_n_obs", nan)),
        "spec_baseline_n_obs": float(r.get("baseline_n_obs", nan)),
    }


def spec_curve_caveats(ev: dict, verdict: str) -> list[str]:
    """The caveats the specification curve's shares call for (rule of the module docstring)."""
    if not finite(ev.get("spec_n")):
        return []
    n, same, sig = int(ev["spec_n"]), ev["spec_same_sign"], ev["spec_significant_same_sign"]
    out = baseline_caveat(ev)
    if finite(same) and not share_reaches(same, STABLE_SIGN_SHARE):
        return out + [f"only {share(same)} of {n} specifications share the headline's sign"]
    if verdict in ("supported", "contradicted") and finite(sig) and not share_reaches(sig, ROBUST_SHARE):
        return out + [f"significant with that sign in only {share(sig)} of {n} specifications"]
    return out


def baseline_caveat(ev: dict) -> list[str]:
    """The curve's own baseline specification against the headline estimate, when their signs differ."""
    baseline, headline = ev.get("spec_baseline", float("nan")), ev.get("spec_headline", float("nan"))
    if not opposite_signs(baseline, headline):
        return []
    return [
        f"the specification curve's own baseline specification gives {num(baseline)}{obs(ev, 'spec_baseline_n_obs')}, "
        f"the opposite sign of the headline's {num(headline)}{obs(ev, 'spec_headline_n_obs')}"
    ]


def obs(ev: dict, key: str) -> str:
    return f" ({int(ev[key]):,} obs.)" if finite(ev.get(key)) else ""


def income_correlation(
    exposures: pd.DataFrame | None, episode: str, digital: str | None, income: str | None
) -> tuple[float, int]:
    """(Pearson r, units) of the digital and the income exposure across units; (NaN, 0) if not computable."""
    if exposures is None or exposures.empty or not digital or not income:
        return float("nan"), 0
    unit = "unit" if "unit" in exposures.columns else "iso3"
    rows = exposures[exposures["episode"].astype(str) == str(episode)]
    wide = rows[rows["variable"].isin([digital, income])].pivot_table(
        index=unit, columns="variable", values="value", aggfunc="first"
    )
    if not {digital, income} <= set(wide.columns):
        return float("nan"), 0
    both = wide[[digital, income]].dropna()
    if len(both) < 3 or both[digital].std() == 0 or both[income].std() == 0:
        return float("nan"), len(both)
    return float(np.corrcoef(both[digital], both[income])[0, 1]), len(both)


def income_caveat(ev: dict) -> list[str]:
    r = ev.get("income_r")
    if not finite(r) or abs(r) < HIGH_CORRELATION:
        return []
    return [
        f"the digital exposure correlates {num(r)} with log GDP per capita across {int(ev['income_n'])} units: "
        "digitalization and income are hard to tell apart"
    ]


def income_sentence(label: str, episode: str, r: float, n: int) -> str:
    """Rule-chosen wording of the correlation of the digital exposure with income in one panel and episode."""
    if not finite(r):
        return f"{label}, {episode}: not computable (the panel's exposures lack a digital measure or income)"
    size = (
        "very high"
        if abs(r) >= 0.8
        else "high"
        if abs(r) >= HIGH_CORRELATION
        else "moderate"
        if abs(r) >= 0.4
        else "low"
    )
    tail = (
        ": a digital coefficient may largely pick up income, and the income term takes the rest"
        if abs(r) >= HIGH_CORRELATION
        else ""
    )
    return f"{label}, {episode}: r = {num(r)} over {n} units ({size}){tail}"


def timing_placebo_row(timing: pd.DataFrame | None, episode: str, exposure: str | None) -> dict:
    """The exposure-timing placebo of one exposure: its and the real estimate (NaN without one)."""
    nan = float("nan")
    out = {"timing_coef": nan, "timing_real": nan, "timing_shock_year": nan}
    if timing is None or timing.empty or exposure is None:
        return out
    rows = timing[
        (timing["episode"].astype(str) == str(episode))
        & (timing["exposure"].astype(str) == exposure)
        & (timing["status"] == "estimated")
    ].set_index("kind")
    if not {"real", "placebo"} <= set(rows.index):
        return out
    return {
        "timing_coef": float(rows.loc["placebo", "coef"]),
        "timing_real": float(rows.loc["real", "coef"]),
        "timing_shock_year": float(rows.loc["placebo", "shock_year"]),
    }


def timing_caveat(ev: dict) -> list[str]:
    """A caveat when the exposure measured after the shock gives an estimate as large at a fake date."""
    if not finite(ev.get("timing_coef")) or abs(ev["timing_coef"]) < abs(ev["timing_real"]):
        return []
    return [
        f"the exposure measured after the shock gives {num(ev['timing_coef'])} on a fake shock in "
        f"{int(ev['timing_shock_year'])}, as large as {num(ev['timing_real'])} at the real one: possibly mean "
        "reversion"
    ]
