r"""Adjusted p-values across a model's headline terms: Holm (1979) and Romano-Wolf (2005) stepdown.

Holm, for m raw p-values sorted p_(1) <= ... <= p_(m)::

    p~_(j) = max_{i <= j} min(1, (m - i + 1) p_(i))

Romano-Wolf, from the observed |t_j| and B joint bootstrap draws t*_{b,j} under the null (e.g. the
restricted wild cluster bootstrap, ``models.wild_bootstrap.bootstrap_t_draws``, whose columns share
one set of cluster weights, so the draws keep the terms' dependence). Order the terms by |t|
descending, j_(1), ..., j_(m); at step s take the maximum over the terms not yet stepped past::

    p^RW_s   = #{b : max_{r >= s} |t*_{b, j_(r)}| >= |t_{j_(s)}|} / B
    p~_(s)   = max(p^RW_s, p~_(s-1))                          (monotone in the stepdown order)

(the share convention of ``wild_bootstrap``'s p_boot, without a +1). Both control the familywise
error rate; Romano-Wolf is less conservative when the tests are correlated. They answer: with
several headline terms tested at once, which stay significant once the chance of at least one
false rejection is held at the level?
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from resilience.errors import InputError
from resilience.models.wild_bootstrap import bootstrap_t_draws
from resilience.robustness._ols import fit

ADJUSTED_COLUMNS = ["term", "coef", "t", "p_boot", "p_holm", "p_romano_wolf"]


def holm(pvalues: pd.Series) -> pd.Series:
    """Holm-adjusted p-values, same index as ``pvalues``."""
    p = pd.Series(pvalues, dtype="float64")
    if p.isna().any() or ((p < 0) | (p > 1)).any():
        raise InputError("pvalues (holm)", "values outside [0, 1] or missing", expected="p-values")
    order = np.argsort(p.to_numpy(), kind="stable")
    m = len(p)
    scaled = np.minimum(1.0, (m - np.arange(m)) * p.to_numpy()[order])
    adjusted = np.empty(m)
    adjusted[order] = np.maximum.accumulate(scaled)
    return pd.Series(adjusted, index=p.index, name="p_holm")


def romano_wolf(t_observed: pd.Series, t_draws: pd.DataFrame) -> pd.Series:
    """Romano-Wolf stepdown p-values; ``t_draws`` has one column per term of ``t_observed`` (B rows)."""
    t = pd.Series(t_observed, dtype="float64")
    missing = [c for c in t.index if c not in t_draws.columns]
    if missing or len(t_draws) == 0:
        raise InputError("t_draws (romano_wolf)", f"no draws for {missing}" if missing else "no draws",
                         expected="one column of bootstrap t statistics per term")
    observed = np.abs(t.to_numpy())
    draws = np.abs(t_draws[list(t.index)].to_numpy(dtype="float64"))
    order = np.argsort(-observed, kind="stable")
    # Running maximum from the last-stepped term backwards: column s = max over terms stepped at s or later.
    tail_max = np.maximum.accumulate(draws[:, order[::-1]], axis=1)[:, ::-1]
    raw = (tail_max >= observed[order] * (1 - 1e-12)).mean(axis=0)
    adjusted = np.empty(len(t))
    adjusted[order] = np.maximum.accumulate(raw)
    return pd.Series(adjusted, index=t.index, name="p_romano_wolf")


def adjusted_pvalues(data: pd.DataFrame, *, dependent: str, regressors: Sequence[str], cluster: str,
                     fixed_effects: Sequence[str] = (), terms: Sequence[str] | None = None, reps: int = 9999,
                     weights: str = "rademacher", seed: int = 0) -> pd.DataFrame:
    """Per term: coef, t, the single-test bootstrap p, Holm on it and Romano-Wolf (``ADJUSTED_COLUMNS``).

    The arguments are those of ``models.wild_bootstrap.wild_cluster_bootstrap``; Holm adjusts the
    per-term bootstrap p-values from the same draws Romano-Wolf uses.
    """
    observed, draws = bootstrap_t_draws(data, dependent=dependent, regressors=regressors, cluster=cluster,
                                        fixed_effects=fixed_effects, terms=terms, reps=reps, weights=weights,
                                        seed=seed)
    p_boot = pd.Series({t: float(np.mean(np.abs(draws[t]) >= abs(observed[t]) * (1 - 1e-12))) for t in observed.index})
    coef = _coefs(data, dependent, list(regressors), list(fixed_effects), cluster, list(observed.index))
    out = pd.DataFrame({"term": observed.index, "coef": coef, "t": observed.to_numpy(), "p_boot": p_boot.to_numpy(),
                        "p_holm": holm(p_boot).to_numpy(), "p_romano_wolf": romano_wolf(observed, draws).to_numpy()})
    return out[ADJUSTED_COLUMNS]


def _coefs(data, dependent, regressors, fixed_effects, cluster, terms) -> np.ndarray:
    result = fit(data, dependent, regressors, fixed_effects=fixed_effects, cluster=cluster)
    return np.array([result.coef[result.names.index(t)] for t in terms])
