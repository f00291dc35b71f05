"""The coefficient table (docs/CONTRACTS.md): one row per model x episode x term.

Inference from a coefficient b, its standard error s and the reference distribution's degrees of
freedom d (``None`` = standard normal):

    t = b / s,   p = 2 * (1 - F_d(|t|)),   CI = b -/+ F_d^{-1}((1 + level) / 2) * s   (level 0.95 unless given)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

COEF_COLUMNS = ["model", "episode", "term", "coef", "se", "t", "p", "ci_low", "ci_high", "nobs", "r2",
                "r2_within", "entity_effects", "time_effects", "cov_type", "small_sample", "n_clusters"]


def inference(coef: np.ndarray, se: np.ndarray, df: float | None, level: float = 0.95) -> dict[str, np.ndarray]:
    """t, two-sided p and ``level`` (default 95%) CI bounds, from t(df) or, if ``df`` is None, the normal."""
    # scipy.stats is imported here: the report's rules read only COEF_COLUMNS, and loading scipy costs each
    # of their jobs half a second.
    from scipy import stats

    dist = stats.norm() if df is None else stats.t(df)
    t = coef / se
    half = dist.ppf((1 + level) / 2) * se
    return {"t": t, "p": 2 * dist.sf(np.abs(t)), "ci_low": coef - half, "ci_high": coef + half}


def coef_table(*, model: str, episode: str, terms: list[str], coef, se, df: float | None, nobs: int,
               r2: float, r2_within: float, entity_effects: bool, time_effects: bool, cov_type: str,
               small_sample: str, n_clusters: int | None) -> pd.DataFrame:
    """Rows of the contract table for one fitted model."""
    coef, se = np.asarray(coef, dtype="float64"), np.asarray(se, dtype="float64")
    table = pd.DataFrame({"model": model, "episode": episode, "term": list(terms), "coef": coef, "se": se,
                          **inference(coef, se, df)})
    table = table.assign(nobs=int(nobs), r2=float(r2), r2_within=float(r2_within),
                         entity_effects=bool(entity_effects), time_effects=bool(time_effects),
                         cov_type=cov_type, small_sample=small_sample)
    table["n_clusters"] = pd.array([n_clusters] * len(table), dtype="Int64")
    return table[COEF_COLUMNS]
