r"""Least squares with absorbed fixed effects and CR1 / HC1 covariances, shared by the robustness modules.

With analytic weights w (``None`` = 1), y and X are residualised on the fixed effects by weighted
alternating projections (pyhdfe, the tolerance of ``models.wild_bootstrap``), giving y~ and X~; then

    b = (X~' W X~)^-1 X~' W y~,   u = y~ - X~ b
    CR1: V = G/(G-1) (N-1)/(N-K) B [sum_g X~_g' W_g u_g u_g' W_g X~_g] B,   t(G-1)
    HC1: V = N/(N-K) B [sum_i w_i^2 u_i^2 x~_i x~_i'] B,                      t(N-K)

with B = (X~' W X~)^-1. For CR1, K follows the fixest / Stata convention of the main models
(``models.wild_bootstrap.cr1_k``: slopes + 1 + levels-1 of every effect not nested in the clusters);
for HC1 every effect counts (slopes + 1 + sum of levels-1). Without effects a ``const`` column is
added and K = the number of columns. This is the estimator of ``models.panel.fit_panel`` with
``cov: clustered`` generalised to a cluster other than the unit, to weights and to the full
covariance matrix (needed for joint Wald tests), which ``fit_panel`` does not return.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyhdfe
from scipy import stats

from resilience.errors import InputError
from resilience.models.coefs import inference
from resilience.models.wild_bootstrap import HDFE_OPTIONS, cr1_k


@dataclass(frozen=True)
class Fit:
    names: list[str]
    coef: np.ndarray
    cov: np.ndarray
    df: int
    nobs: int
    n_clusters: int | None
    cov_type: str

    def tidy(self, terms: Sequence[str] | None = None, level: float = 0.95) -> pd.DataFrame:
        """term, coef, se, t, p, ci_low, ci_high for ``terms`` (default all), from t(df)."""
        terms = list(self.names) if terms is None else list(terms)
        idx = [self.names.index(t) for t in terms]
        coef, se = self.coef[idx], np.sqrt(np.diag(self.cov)[idx])
        out = pd.DataFrame({"term": terms, "coef": coef, "se": se, **inference(coef, se, self.df, level)})
        return out.assign(nobs=self.nobs, n_clusters=pd.array([self.n_clusters] * len(out), dtype="Int64"),
                          cov_type=self.cov_type)

    def wald_f(self, terms: Sequence[str]) -> dict:
        """F = b_R' V_R^-1 b_R / q with the model's covariance, against F(q, df)."""
        idx = [self.names.index(t) for t in terms]
        b, v = self.coef[idx], self.cov[np.ix_(idx, idx)]
        q = len(idx)
        stat = float(b @ np.linalg.solve(v, b) / q)
        return {"stat": stat, "df1": q, "df2": int(self.df), "p": float(stats.f(q, self.df).sf(stat))}


def fit(data: pd.DataFrame, dependent: str, regressors: Sequence[str], *, fixed_effects: Sequence[str] = (),
        cluster: str | None = None, weights: str | None = None, what: str = "data") -> Fit:
    """Weighted least squares with absorbed ``fixed_effects``; CR1 by ``cluster``, or HC1 if it is None."""
    regressors, fixed_effects = list(regressors), list(fixed_effects)
    _check(data, [dependent, *regressors], [*fixed_effects, *([cluster] if cluster else [])], weights, what)
    w = None if weights is None else data[weights].to_numpy(dtype="float64")
    y, x, names = partial(data, dependent, regressors, fixed_effects, w)
    if cluster is None:
        big_k = x.shape[1] + (1 + sum(data[e].nunique() - 1 for e in fixed_effects) if fixed_effects else 0)
        return ols(y, x, names, w=w, clusters=None, big_k=big_k, what=what)
    big_k = cr1_k(data, len(regressors), fixed_effects, cluster) if fixed_effects else x.shape[1]
    clusters = pd.factorize(data[cluster], sort=True)[0]
    return ols(y, x, names, w=w, clusters=clusters, big_k=big_k, what=what)


def partial(data: pd.DataFrame, dependent: str, regressors: list[str], fixed_effects: list[str],
            w: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """(y~, X~, names): residualised on the effects, or with a ``const`` column first when there are none."""
    matrix = data[[dependent, *regressors]].to_numpy(dtype="float64")
    if not fixed_effects:
        return matrix[:, 0], np.column_stack([np.ones(len(data)), matrix[:, 1:]]), ["const", *regressors]
    matrix = absorb(data, fixed_effects, matrix, w)
    return matrix[:, 0], matrix[:, 1:], list(regressors)


def absorb(data: pd.DataFrame, fixed_effects: Sequence[str], matrix: np.ndarray, w: np.ndarray | None = None
           ) -> np.ndarray:
    """``matrix`` (N x m) residualised on the levels of ``fixed_effects`` (weighted if ``w`` is given)."""
    ids = np.column_stack([pd.factorize(data[e], sort=True)[0] for e in fixed_effects])
    algorithm = pyhdfe.create(ids, drop_singletons=False, compute_degrees=False, residualize_method="map",
                              options=dict(HDFE_OPTIONS))
    return algorithm.residualize(matrix, None if w is None else w.reshape(-1, 1))


def ols(y: np.ndarray, x: np.ndarray, names: list[str], *, w: np.ndarray | None, clusters: np.ndarray | None,
        big_k: int, what: str = "data") -> Fit:
    """WLS of (already partialled) y on x with the CR1 (``clusters`` given) or HC1 covariance."""
    n = len(y)
    w = np.ones(n) if w is None else w
    xw = x * w[:, None]
    xtx = x.T @ xw
    if np.linalg.matrix_rank(xtx) < x.shape[1]:
        raise InputError(what, "regressors are collinear (after the fixed effects)", field=",".join(names),
                         expected="regressors that vary within the effects")
    bread = np.linalg.inv(xtx)
    coef = bread @ (xw.T @ y)
    scores = xw * (y - x @ coef)[:, None]
    if clusters is None:
        meat, factor, df, g, kind = scores.T @ scores, n / (n - big_k), n - big_k, None, "HC1"
    else:
        g = int(clusters.max()) + 1
        summed = np.zeros((g, x.shape[1]))
        np.add.at(summed, clusters, scores)
        meat, factor, df, kind = summed.T @ summed, g / (g - 1) * (n - 1) / (n - big_k), g - 1, "CR1"
    return Fit(names=list(names), coef=coef, cov=factor * bread @ meat @ bread, df=int(df), nobs=n,
               n_clusters=g, cov_type=kind)


def _check(data: pd.DataFrame, numeric: list[str], ids: list[str], weights: str | None, what: str) -> None:
    columns = [*numeric, *ids, *([weights] if weights else [])]
    missing = [c for c in dict.fromkeys(columns) if c not in data.columns]
    if missing:
        raise InputError(what, f"missing columns {missing}", expected=f"columns {columns}")
    if data[[*numeric, *([weights] if weights else [])]].isna().any().any():
        raise InputError(what, "missing values", expected="a complete-case sample")
    if weights and not (data[weights] > 0).all():
        raise InputError(what, "non-positive weights", field=weights, expected="weights > 0")
    if len(data) == 0:
        raise InputError(what, "no observations", expected="at least one complete observation")
