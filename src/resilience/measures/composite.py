"""Composite indices over several indicators: mean z-score, first principal component, entropy weights.

Input: a wide DataFrame, one column per indicator, one row per unit (cross-section) or per
unit-year (pooled panel: statistics are then computed over all unit-years together). Every
indicator must already be oriented so that higher = more (of resilience, of digitalization ...).
Scores are returned as a Series on the input's index, NaN for rows a method cannot use.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from resilience.errors import InputError


def zscore_composite(frame: pd.DataFrame, min_indicators: int = 2) -> pd.Series:
    """Mean of the available z-scores of each row.

    ``z_ij = (x_ij - mean_j) / sd_j`` with mean and sd (ddof=1) over the non-NaN rows of column j;
    ``composite_i = mean_j z_ij`` over the indicators available in row i, NaN if fewer than
    ``min_indicators`` are available. An indicator with fewer than two distinct values has no
    spread to standardise by, so its z-scores are NaN (it is never available).
    """
    x = _numeric(frame, "frame (zscore_composite)")
    z = (x - x.mean()) / x.std(ddof=1)
    z.loc[:, x.nunique() < 2] = np.nan
    composite = z.mean(axis=1, skipna=True)
    return composite.where(z.notna().sum(axis=1) >= min_indicators).rename("zscore_composite")


def pca_composite(frame: pd.DataFrame) -> tuple[pd.Series, dict]:
    """Scores on the first principal component of the standardised complete-case rows.

    Over the rows with no NaN: ``Z = (X - mean) / sd`` (ddof=1, so Z'Z/(n-1) is the correlation
    matrix); SVD ``Z = U S V'``; loadings v = first right singular vector; scores = Z v (their
    variance is the first eigenvalue of the correlation matrix). The sign of v is arbitrary, so it
    is fixed to make sum(v) > 0 (if the sum is 0, the largest-magnitude loading is made positive):
    a higher score then means more of the indicators on balance. Constant indicators are dropped.

    Returns (scores, info) with info = {"loadings": Series, "explained_variance_ratio":
    S_1^2 / sum S_k^2, "n": complete-case rows, "dropped": constant indicators}. Rows with any
    NaN get a NaN score.
    """
    x, dropped = _complete_nonconstant(frame, "frame (pca_composite)")
    z = (x - x.mean()) / x.std(ddof=1)
    _, singular, vt = np.linalg.svd(z.to_numpy(), full_matrices=False)
    loadings = _fix_sign(vt[0])
    scores = pd.Series(z.to_numpy() @ loadings, index=z.index).reindex(frame.index)
    info = {"loadings": pd.Series(loadings, index=x.columns),
            "explained_variance_ratio": float(singular[0] ** 2 / np.sum(singular ** 2)),
            "n": len(x), "dropped": dropped}
    return scores.rename("pca_composite"), info


def entropy_weights(frame: pd.DataFrame) -> pd.Series:
    """Entropy-method weights of the indicators, over the complete-case rows (n rows).

    x'_ij = (x_ij - min_j) / (max_j - min_j)                       (min-max to [0, 1])
    p_ij  = x'_ij / sum_i x'_ij
    e_j   = -(1 / ln n) * sum_i p_ij ln p_ij        with 0 * ln 0 = 0 (its limit)
    d_j   = 1 - e_j ;   w_j = d_j / sum_j d_j

    Convention: 0 ln 0 = 0 instead of the "+1e-4 shift" some papers use, because the shift
    changes the weights by an amount that depends on the arbitrary constant, while 0 ln 0 = 0 is
    the exact limit. The minimum of each column maps to 0, so p_j is never uniform and d_j > 0.
    An indicator constant over the rows (max == min) carries no information: it gets weight 0 and
    its name is listed in ``weights.attrs["dropped"]``. Needs n >= 2.
    """
    x, dropped = _complete_nonconstant(frame, "frame (entropy_weights)")
    normalised = _min_max(x)
    p = normalised / normalised.sum()
    p_log_p = (p * np.log(p.where(p > 0))).fillna(0.0)  # 0 * ln 0 = 0
    entropy = -p_log_p.sum() / np.log(len(normalised))
    divergence = 1 - entropy
    weights = (divergence / divergence.sum()).reindex(frame.columns, fill_value=0.0)
    weights.attrs["dropped"] = dropped
    return weights.rename("entropy_weight")


def entropy_composite(frame: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Entropy-weighted index ``index_i = sum_j w_j x'_ij`` (in [0, 1]), and the weights.

    Weights and min-max normalisation x' as in ``entropy_weights`` (complete-case rows; pooled
    over years when rows are unit-years). Rows with any NaN get a NaN index.
    """
    weights = entropy_weights(frame)
    x, _ = _complete_nonconstant(frame, "frame (entropy_composite)")
    index = _min_max(x).mul(weights[x.columns], axis=1).sum(axis=1)
    return index.reindex(frame.index).rename("entropy_composite"), weights


def _numeric(frame: pd.DataFrame, what: str) -> pd.DataFrame:
    try:
        return frame.astype("float64")
    except (TypeError, ValueError) as exc:
        raise InputError(what, f"non-numeric indicator ({exc})", expected="numeric indicator columns") from exc


def _complete_nonconstant(frame: pd.DataFrame, what: str) -> tuple[pd.DataFrame, list[str]]:
    """Complete-case rows, without the indicators constant over them; and the dropped names."""
    x = _numeric(frame, what).dropna(how="any")
    constant = [c for c in x.columns if x[c].nunique() < 2]
    x = x.drop(columns=constant)
    if len(x) < 2 or x.shape[1] == 0:
        raise InputError(what, f"{len(x)} complete rows and {x.shape[1]} non-constant indicators",
                         expected="at least 2 complete rows and 1 non-constant indicator")
    return x, constant


def _min_max(x: pd.DataFrame) -> pd.DataFrame:
    return (x - x.min()) / (x.max() - x.min())


def _fix_sign(vector: np.ndarray) -> np.ndarray:
    total = vector.sum()
    if np.isclose(total, 0.0, atol=1e-10):
        return vector if vector[np.argmax(np.abs(vector))] > 0 else -vector
    return vector if total > 0 else -vector
