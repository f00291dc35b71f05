r"""Wild cluster bootstrap, restricted (WCR: the null imposed), for linear models with absorbed effects.

With few clusters (31 Chinese provinces; a couple of dozen EU countries) the cluster-robust t test
over-rejects; the WCR bootstrap of Cameron, Gelbach and Miller (2008) is the standard remedy
(MacKinnon, Nielsen and Webb 2023, "Cluster-robust inference: a guide to empirical practice").

The one call another panel needs::

    from resilience.models.wild_bootstrap import wild_cluster_bootstrap
    table = wild_cluster_bootstrap(
        data,                              # DataFrame, one row per observation (complete case)
        dependent="g_gdp",                 # column of y
        regressors=["contraction_covid_x_dfi", "contraction_covid_x_sec_lq"],   # columns of X
        cluster="unit",                    # column of cluster ids (e.g. "group": an EU region's country)
        fixed_effects=["unit", "year"],    # columns whose levels are absorbed; [] = none (a const is added)
        terms=None,                        # coefficients to test (default: every regressor)
        reps=9999, weights="webb",         # "rademacher" or "webb" (6-point; use it below ~12 clusters)
        seed=20240501, null=0.0, alpha=0.05, ci=True)

A design frame from ``resilience.models.design`` (index (unit, year), dependent first) is turned
into this long form by ``design_frame(design, dependent)``.

Method, for each tested coefficient j and null value r (``null``, default 0):

1. Frisch-Waugh-Lovell: y and every column of X are residualised on the fixed effects
   (``pyhdfe``, method of alternating projections), giving y~ and X~ (N x k). With no effects a
   column ``const`` is added to X. The coefficients are those of OLS with effect dummies.
2. Unrestricted OLS of y~ on X~: b, residuals u; CR1 standard error of b_j with the fixest /
   Stata convention (as ``resilience.models.panel``):
   ``V = G/(G-1) (N-1)/(N-K) (X~'X~)^-1 [sum_g X~_g' u_g u_g' X~_g] (X~'X~)^-1``,
   K = k + (if any effects) 1 + sum over effects NOT nested in the clusters of (levels - 1);
   an effect is nested when each of its levels lies inside one cluster. ``t = (b_j - r) / se_j``.
3. Restricted OLS imposing b_j = r: residuals u_r and fitted values y^_r.
4. For b = 1..B: draw one weight v_g per cluster (Rademacher +-1 with probability 1/2; or Webb's
   six points +-sqrt(1/2), +-1, +-sqrt(3/2), probability 1/6 each), y*_b = y^_r + v_g(i) u_r,i;
   re-estimate on X~ and compute t*_b = (b*_j - r) / se*_j with the same CR1 formula (bootstrap
   residuals). Because y^_r lies in the column space of X~, b*_j - r = a_j'(v o u_r) and the
   bootstrap scores are linear in v, so every t*_b costs O(G^2) (Roodman et al. 2019's algebra).
5. ``p_boot = #{b : |t*_b| >= |t|} / B`` (symmetric, two-sided).

Weights are drawn once per call (numpy ``default_rng(seed)``, a G x B matrix) and shared by every
term and every null value tried, so a call is deterministic given the seed. With Rademacher
weights and 2^G <= reps, the 2^G sign vectors are enumerated instead (``reps`` in the output is
then 2^G): random draws would only repeat them.

Confidence interval (``ci_method`` "inversion"): the set of r with ``p_boot(r) > alpha``, found by
bisection on each side of b_j (relative tolerance 1e-6 of se_j); the bootstrap draws stay fixed
while r moves, so p_boot(r) is a step function and each bound is located to within the tolerance.

Output: one row per term, columns ``BOOT_COLUMNS``: term, coef, se_cluster (CR1), t (against
``null``), p_cluster_t (the analytic t(G-1) p-value, for comparison), p_boot, ci_low, ci_high,
ci_method, null, reps, clusters, nobs, weights, seed, small_sample.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from itertools import product

import numpy as np
import pandas as pd
import pyhdfe
from scipy import sparse, stats

from resilience.errors import ConfigError, InputError

log = logging.getLogger(__name__)
# An interval by test inversion costs about this many p-value evaluations per bound (doubling out to the
# rejection region, then bisection to 1e-6 se), so a term with intervals costs 1 + 2 x this.
EVALUATIONS_PER_BOUND = 45
# Above this estimate the run warns before it starts (the rule's log says how to shorten it).
WARN_SECONDS = 60.0

WEIGHTS = ("rademacher", "webb")
WEBB_POINTS = np.array([-np.sqrt(1.5), -1.0, -np.sqrt(0.5), np.sqrt(0.5), 1.0, np.sqrt(1.5)])
BOOT_COLUMNS = ["term", "coef", "se_cluster", "t", "p_cluster_t", "p_boot", "ci_low", "ci_high", "ci_method",
                "null", "reps", "clusters", "nobs", "weights", "seed", "small_sample"]
BATCH = 4096            # bootstrap draws evaluated at once (bounds memory at G x BATCH floats)
HDFE_OPTIONS = {"tol": 1e-14, "iteration_limit": 100_000}


def wild_cluster_bootstrap(data: pd.DataFrame, *, dependent: str, regressors: Sequence[str], cluster: str,
                           fixed_effects: Sequence[str] = (), terms: Sequence[str] | None = None,
                           reps: int = 9999, weights: str = "rademacher", seed: int = 0, null: float = 0.0,
                           alpha: float = 0.05, ci: bool = True) -> pd.DataFrame:
    """WCR wild cluster bootstrap of the listed terms; see the module docstring for every formula.

    ``data``: one row per observation with the columns named by ``dependent``, ``regressors``,
    ``cluster`` and ``fixed_effects`` (no missing values). Returns a DataFrame with ``BOOT_COLUMNS``,
    one row per term in ``terms`` order.
    """
    _check_arguments(data, dependent, regressors, cluster, fixed_effects, reps, weights, alpha)
    terms = list(regressors) if terms is None else list(terms)
    unknown = [t for t in terms if t not in regressors]
    if unknown:
        raise ConfigError(f"wild_cluster_bootstrap: terms {unknown} are not among the regressors {list(regressors)}")
    y, x, names = _partialled(data, dependent, list(regressors), list(fixed_effects))
    clusters = pd.factorize(data[cluster], sort=True)[0]
    n_clusters = int(clusters.max()) + 1
    if n_clusters < 2:
        raise InputError("data (wild_cluster_bootstrap)", f"{n_clusters} cluster", field=cluster,
                         expected="at least 2 clusters")
    big_k = cr1_k(data, x.shape[1], list(fixed_effects), cluster)
    factor = n_clusters / (n_clusters - 1) * (len(y) - 1) / (len(y) - big_k)
    draws, reps_used = _draw_weights(n_clusters, reps, weights, seed)
    model = _Model(y, x, clusters, n_clusters, factor)
    started = time.perf_counter()
    model.p_boot(names.index(terms[0]), null, draws)
    estimate = estimated_seconds(time.perf_counter() - started, len(terms), ci)
    message = (f"wild bootstrap: {reps_used} draws x {len(terms)} terms{' with intervals' if ci else ''}, "
               f"about {estimate:.0f} s")
    if estimate > WARN_SECONDS:
        log.warning("%s; fewer draws or ci: false (p-values only) shorten it", message)
    else:
        log.info(message)
    rows = []
    for done, term in enumerate(terms, start=1):
        rows.append(_term_row(model, names.index(term), term, draws, null, alpha, ci))
        log.info("wild bootstrap: %d of %d terms done after %.1f s", done, len(terms), time.perf_counter() - started)
    table = pd.DataFrame(rows)
    small = (f"CR1: G/(G-1)*(N-1)/(N-K), K = {big_k} (slopes + effects not nested in the clusters, "
             f"+1 if any effects); WCR bootstrap, {weights} weights, symmetric p")
    return table.assign(reps=reps_used, clusters=n_clusters, nobs=len(y), weights=weights, seed=int(seed),
                        small_sample=small)[BOOT_COLUMNS]


def estimated_seconds(seconds_per_evaluation: float, n_terms: int, ci: bool) -> float:
    """The bootstrap's expected run time from one p-value evaluation's: one evaluation per term, plus
    ``2 x EVALUATIONS_PER_BOUND`` per term for the inverted interval."""
    per_term = 1 + (2 * EVALUATIONS_PER_BOUND if ci else 0)
    return seconds_per_evaluation * n_terms * per_term


def bootstrap_t_draws(data: pd.DataFrame, *, dependent: str, regressors: Sequence[str], cluster: str,
                      fixed_effects: Sequence[str] = (), terms: Sequence[str] | None = None, reps: int = 9999,
                      weights: str = "rademacher", seed: int = 0) -> tuple[pd.Series, pd.DataFrame]:
    """(observed t of each term against 0, bootstrap t*_b: reps x terms) from ONE set of cluster weights.

    Each column imposes its own term's null (step 3 of the module docstring), and every column uses
    the same weight draws v_b, so a row is one joint draw of all terms' t statistics under the null:
    what a stepdown multiple-testing correction (Romano-Wolf) needs.
    """
    _check_arguments(data, dependent, regressors, cluster, fixed_effects, reps, weights, 0.05)
    terms = list(regressors) if terms is None else list(terms)
    y, x, names = _partialled(data, dependent, list(regressors), list(fixed_effects))
    clusters = pd.factorize(data[cluster], sort=True)[0]
    g = int(clusters.max()) + 1
    big_k = cr1_k(data, x.shape[1], list(fixed_effects), cluster)
    model = _Model(y, x, clusters, g, g / (g - 1) * (len(y) - 1) / (len(y) - big_k))
    draws, _ = _draw_weights(g, reps, weights, seed)
    observed = {t: model.coef[names.index(t)] / model.se(names.index(t), model.resid) for t in terms}
    boot = {t: model.bootstrap_t(names.index(t), 0.0, draws) for t in terms}
    return pd.Series(observed), pd.DataFrame(boot)


def design_frame(design: pd.DataFrame, dependent: str) -> pd.DataFrame:
    """A (unit, year)-indexed design frame as long columns ``unit``, ``year``, dependent, regressors."""
    if design.index.nlevels != 2:
        raise InputError("design (design_frame)", "index must be (unit, year)", expected="a 2-level MultiIndex")
    out = design.reset_index()
    return out.rename(columns={out.columns[0]: "unit", out.columns[1]: "year"})


def cr1_k(data: pd.DataFrame, n_slopes: int, fixed_effects: list[str], cluster: str) -> int:
    """K of the CR1 factor: slopes + (1 + sum of (levels - 1) over effects not nested in clusters)."""
    if not fixed_effects:
        return n_slopes
    extra = 1
    for effect in fixed_effects:
        per_level = data.groupby(effect, observed=True)[cluster].nunique()
        if not (per_level <= 1).all():
            extra += int(data[effect].nunique()) - 1
    return n_slopes + extra


class _Model:
    """Partialled data and the OLS pieces every term shares."""

    def __init__(self, y: np.ndarray, x: np.ndarray, clusters: np.ndarray, n_clusters: int, factor: float):
        self.y, self.x, self.factor, self.g = y, x, factor, n_clusters
        self.member = sparse.csr_matrix((np.ones(len(y)), (clusters, np.arange(len(y)))),
                                        shape=(n_clusters, len(y)))
        self.xtx_inv = np.linalg.inv(x.T @ x)
        self.a = self.xtx_inv @ x.T                 # k x N: b = a @ y
        self.coef = self.a @ y
        self.resid = y - x @ self.coef

    def se(self, j: int, resid: np.ndarray) -> float:
        scores = self.member @ (self.a[j] * resid)
        return float(np.sqrt(self.factor * np.sum(scores ** 2)))

    def restricted_residuals(self, j: int, r: float) -> np.ndarray:
        others = np.delete(self.x, j, axis=1)
        target = self.y - r * self.x[:, j]
        if others.shape[1] == 0:
            return target
        beta, *_ = np.linalg.lstsq(others, target, rcond=None)
        return target - others @ beta

    def bootstrap_t(self, j: int, r: float, draws: np.ndarray) -> np.ndarray:
        """t*_b for every column of ``draws`` (G x B), with the null b_j = r imposed."""
        u_r = self.restricted_residuals(j, r)
        aj = self.a[j]
        c = self.member @ (aj * u_r)                                  # G: numerator weights
        d = (self.member @ (self.a * u_r).T).T                       # k x G: A_g u_r,g
        e = self.member @ (aj[:, None] * self.x)                      # G x k: sum_{i in g} a_ji x_i
        f = np.diag(c) - e @ d                                        # G x G: bootstrap scores = f @ v
        out = np.empty(draws.shape[1])
        for start in range(0, draws.shape[1], BATCH):
            v = draws[:, start:start + BATCH]
            numerator = c @ v
            scores = f @ v
            out[start:start + BATCH] = numerator / np.sqrt(self.factor * np.sum(scores ** 2, axis=0))
        return out

    def p_boot(self, j: int, r: float, draws: np.ndarray) -> float:
        t = (self.coef[j] - r) / self.se(j, self.resid)
        return float(np.mean(np.abs(self.bootstrap_t(j, r, draws)) >= abs(t) * (1 - 1e-12)))


def _term_row(model: _Model, j: int, term: str, draws: np.ndarray, null: float, alpha: float, ci: bool) -> dict:
    coef, se = float(model.coef[j]), model.se(j, model.resid)
    t = (coef - null) / se
    p_t = float(2 * stats.t(model.g - 1).sf(abs(t)))
    low = high = float("nan")
    if ci and se > 0:
        low = _inversion_bound(model, j, draws, alpha, -1.0)
        high = _inversion_bound(model, j, draws, alpha, +1.0)
    return {"term": term, "coef": coef, "se_cluster": se, "t": t, "p_cluster_t": p_t,
            "p_boot": model.p_boot(j, null, draws), "ci_low": low, "ci_high": high,
            "ci_method": "inversion" if ci else "", "null": float(null)}


def _inversion_bound(model: _Model, j: int, draws: np.ndarray, alpha: float, side: float) -> float:
    """The r on ``side`` of b_j where p_boot(r) falls to alpha (bisection between accept and reject)."""
    coef, se = float(model.coef[j]), model.se(j, model.resid)
    inside = coef
    step = 2.0 * se
    outside = coef + side * step
    for _ in range(60):
        if model.p_boot(j, outside, draws) <= alpha:
            break
        inside, step = outside, step * 2
        outside = coef + side * step
    else:
        return float(side * np.inf)
    while abs(outside - inside) > 1e-6 * se:
        middle = 0.5 * (inside + outside)
        if model.p_boot(j, middle, draws) > alpha:
            inside = middle
        else:
            outside = middle
    return float(0.5 * (inside + outside))


def _draw_weights(n_clusters: int, reps: int, weights: str, seed: int) -> tuple[np.ndarray, int]:
    if weights == "rademacher" and 2 ** n_clusters <= reps:
        signs = np.array(list(product((-1.0, 1.0), repeat=n_clusters))).T
        return signs, signs.shape[1]
    rng = np.random.default_rng(seed)
    if weights == "rademacher":
        return rng.choice(np.array([-1.0, 1.0]), size=(n_clusters, reps)), reps
    return rng.choice(WEBB_POINTS, size=(n_clusters, reps)), reps


def _partialled(data: pd.DataFrame, dependent: str, regressors: list[str], fixed_effects: list[str]
                ) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """(y~, X~, column names): residualised on the effects, or with a const added when there are none."""
    y = data[dependent].to_numpy(dtype="float64")
    x = data[regressors].to_numpy(dtype="float64")
    if not fixed_effects:
        return y, np.column_stack([np.ones(len(y)), x]), ["const", *regressors]
    ids = np.column_stack([pd.factorize(data[e], sort=True)[0] for e in fixed_effects])
    algorithm = pyhdfe.create(ids, drop_singletons=False, compute_degrees=False, residualize_method="map",
                              options=dict(HDFE_OPTIONS))
    both = algorithm.residualize(np.column_stack([y, x]))
    x_tilde = both[:, 1:]
    if np.linalg.matrix_rank(x_tilde) < x_tilde.shape[1]:
        raise InputError("data (wild_cluster_bootstrap)", "regressors are collinear once the fixed effects are "
                         "absorbed", field=",".join(regressors), expected="regressors that vary within the effects")
    return both[:, 0], x_tilde, list(regressors)


def _check_arguments(data, dependent, regressors, cluster, fixed_effects, reps, weights, alpha) -> None:
    what = "data (wild_cluster_bootstrap)"
    columns = [dependent, *regressors, cluster, *fixed_effects]
    missing = [c for c in dict.fromkeys(columns) if c not in data.columns]
    if missing:
        raise InputError(what, f"missing columns {missing}", expected=f"columns {list(dict.fromkeys(columns))}")
    numeric = data[[dependent, *regressors]]
    if numeric.isna().any().any():
        column = numeric.columns[numeric.isna().any()][0]
        raise InputError(what, "missing values", field=column, expected="a complete-case sample")
    if data[[cluster, *fixed_effects]].isna().any().any():
        raise InputError(what, "missing cluster or effect ids", field=cluster, expected="ids on every row")
    if weights not in WEIGHTS:
        raise ConfigError(f"wild_cluster_bootstrap: weights {weights!r}; allowed: {list(WEIGHTS)}")
    if not isinstance(reps, (int, np.integer)) or reps < 19:
        raise ConfigError(f"wild_cluster_bootstrap: reps must be an integer >= 19, got {reps!r}")
    if not 0 < alpha < 1:
        raise ConfigError(f"wild_cluster_bootstrap: alpha must lie in (0, 1), got {alpha!r}")
    if not regressors:
        raise ConfigError("wild_cluster_bootstrap: no regressors")


__all__ = ["BOOT_COLUMNS", "WEIGHTS", "bootstrap_t_draws", "cr1_k", "design_frame", "wild_cluster_bootstrap"]
