r"""Placebo shock dates: is the real shock x exposure coefficient unusual among fake shock dates?

For the real episode e (phase years P_e of ``phase``, default the contraction) and every fake date,
the same regression::

    g_it = a_i + d_t + sum_v b_v 1{t in P} z_{i,v} + u_it

with P = P_e shifted by an offset k != 0 (the whole episode moves: contraction and recovery by k).
"Clean" years are the years of ``growth`` outside every real episode's span (y0, y2] (contraction
[y0, y1], recovery [y1, y2]). A fake date is feasible when its shifted span lies in the clean years
and its shifted phase years all have data. Samples, so that real and fake estimates are exchangeable
under the null: a fake date is estimated on the clean years; the real date on the clean years plus
its own phase years. Real effects therefore never sit in a placebo's control years.

Randomization-style p-value per exposure v, with F feasible fake dates:

    p_v = (1 + #{f : |b_v,f| >= |b_v,real|}) / (1 + F)

(the +1 counts the real date among the permutations, so p >= 1/(1+F) and P(p <= a) <= a under
exchangeability). CR1 standard errors by ``cluster`` are reported beside each estimate.
It answers: would a shock x exposure "effect" this large turn up at dates when no shock happened?
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from resilience.models.wild_bootstrap import cr1_k
from resilience.robustness import _inputs
from resilience.robustness._ols import ols, partial

PLACEBO_COLUMNS = ["episode", "exposure", "offset", "shock_year", "placebo", "coef", "se", "nobs"]
SUMMARY_COLUMNS = ["episode", "exposure", "coef", "n_placebo", "n_at_least_as_large", "p_randomization",
                   "placebo_mean", "placebo_sd"]


def placebo_shocks(growth: pd.DataFrame, exposures: pd.DataFrame, episode, episodes, *, outcome: str,
                   exposure_vars: Sequence[str], phase: str = "contraction", cluster: str = "unit",
                   standardize: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(estimates: the real date and every feasible fake date, ``PLACEBO_COLUMNS``; summary per exposure).

    ``episode``: the real episode tested; ``episodes``: every real episode (their spans are kept
    out of the clean years).
    """
    ep = _inputs.episode(episode)
    variables = _inputs.check_names(exposure_vars, "placebo_shocks")
    rows = _inputs.growth_rows(growth, outcome, f"growth (placebo_shocks, {ep.name})",
                               extra=[cluster] if cluster != "unit" else [])
    wide = _inputs.exposure_wide(exposures, ep.name, variables, f"exposures (placebo_shocks, {ep.name})")
    rows, wide = _inputs.matched(rows, wide, variables, standardize)
    real_spans = set().union(*(_inputs.span_years(_inputs.episode(e)) for e in episodes)) | _inputs.span_years(ep)
    clean = rows[~rows["year"].isin(real_spans)]
    years = set(clean["year"])
    phase_years = set(ep.phase_years(phase))
    real = rows[rows["year"].isin(phase_years)]
    estimates = [shifted_estimates(pd.concat([clean, real], ignore_index=True), wide, {0: phase_years}, variables,
                                   outcome, cluster)]
    fakes = {k: {y + k for y in phase_years} for k in feasible_offsets(ep, real_spans, years, phase)}
    if fakes:
        estimates.append(shifted_estimates(clean.reset_index(drop=True), wide, fakes, variables, outcome, cluster))
    table = pd.concat(estimates, ignore_index=True)
    table = table.assign(episode=ep.name, shock_year=_inputs.shock_year(ep) + table["offset"],
                         placebo=table["offset"] != 0)[PLACEBO_COLUMNS]
    return table, summarize(table)


def feasible_offsets(ep, real_spans: set[int], years: set[int], phase: str = "contraction") -> list[int]:
    """Offsets k != 0 whose shifted span avoids ``real_spans`` and whose shifted phase years are in ``years``."""
    span, phase_years = _inputs.span_years(ep), ep.phase_years(phase)
    if not years:
        return []
    candidates = range(min(years) - max(span), max(years) - min(span) + 1)
    return [k for k in candidates if k != 0 and not {y + k for y in span} & real_spans
            and {y + k for y in phase_years} <= years]


def summarize(table: pd.DataFrame) -> pd.DataFrame:
    """Randomization p-value with the +1 correction, per exposure (formula in the module docstring)."""
    out = []
    for (name, v), block in table.groupby(["episode", "exposure"], sort=False):
        real = float(block.loc[~block["placebo"], "coef"].iloc[0])
        fake = block.loc[block["placebo"], "coef"].to_numpy()
        # A tie within rounding counts as "at least as large", as the bootstrap p-values do.
        count = int(np.sum(np.abs(fake) >= abs(real) * (1 - 1e-12)))
        out.append({"episode": name, "exposure": v, "coef": real, "n_placebo": len(fake), "n_at_least_as_large": count,
                    "p_randomization": (1 + count) / (1 + len(fake)),
                    "placebo_mean": float(np.mean(fake)) if len(fake) else np.nan,
                    "placebo_sd": float(np.std(fake, ddof=1)) if len(fake) > 1 else np.nan})
    return pd.DataFrame(out, columns=SUMMARY_COLUMNS)


def shifted_estimates(rows: pd.DataFrame, wide: pd.DataFrame, treated: dict[int, set[int]], variables: list[str],
                      outcome: str, cluster: str) -> pd.DataFrame:
    """One regression per offset on the same sample: the effects are absorbed once for every offset's columns."""
    z = wide.reindex(rows["unit"]).to_numpy()
    columns = {(k, v): z[:, j] * rows["year"].isin(years).to_numpy()
               for k, years in treated.items() for j, v in enumerate(variables)}
    data = pd.concat([rows, pd.DataFrame({f"x{i}": c for i, c in enumerate(columns.values())})], axis=1)
    y, x, _ = partial(data, outcome, [f"x{i}" for i in range(len(columns))], ["unit", "year"])
    clusters = pd.factorize(data[cluster], sort=True)[0]
    big_k = cr1_k(data, len(variables), ["unit", "year"], cluster)
    out = []
    for k in treated:
        idx = [i for i, key in enumerate(columns) if key[0] == k]
        result = ols(y, x[:, idx], list(variables), w=None, clusters=clusters, big_k=big_k,
                     what=f"placebo (offset {k})")
        table = result.tidy()
        out.append(pd.DataFrame({"exposure": variables, "offset": k, "coef": table["coef"].to_numpy(),
                                 "se": table["se"].to_numpy(), "nobs": result.nobs}))
    return pd.concat(out, ignore_index=True)
