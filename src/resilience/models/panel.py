r"""Fixed-effects panel regressions with linearmodels ``PanelOLS``.

Point estimates: ``PanelOLS`` with ``entity_effects`` / ``time_effects`` from the spec (exact
within transformation; identical to OLS with unit and year dummies). A model without effects gets
an intercept ``const``. Let X~ be the regressors after the effects are removed, u the residuals,
N the observations, k the slope coefficients, G the entities, T the years.

Clustered by entity (``cov: clustered``) - CR1 with the fixest / Stata ``xtreg, fe vce(cluster)``
convention::

    V = G/(G-1) * (N-1)/(N-K) * (X~'X~)^-1 [sum_g X~_g' u_g u_g' X~_g] (X~'X~)^-1
    K = k + the fixed effects NOT nested in the entity clusters, + 1 for the intercept that nested
        effects stand in for (fixest ``ssc()`` default ``fixef.K = "nested"``):
          entity + time effects: K = k + T     (T year effects; = Stata xtreg with i.year and _cons)
          entity effects only:   K = k + 1     (= Stata xtreg, fe: the _cons)
          time effects only:     K = k + T
          no effects:            K = k         (k includes const)
    p-values and CIs: t(G-1), as Stata and fixest (``t.df = "min"``).

No combination of linearmodels flags gives this K: with ``debiased=True, group_debias=True`` its
factor is G/(G-1)*(N-1)/(N-k-d) with d = 0 (``count_effects=False``, or ``auto_df`` with one
nested effect) or d = all effects (N_ent + T - 1 for two-way, what ``auto_df`` picks then) -
neither is k + T. So the raw sandwich is taken from linearmodels with every correction OFF
(``debiased=False, auto_df=False, count_effects=False, group_debias=False``: scale exactly 1) and
multiplied by the factor above here.

Driscoll-Kraay (``cov: driscoll-kraay``) - linearmodels' own estimator, used unmodified
(``cov_type="kernel", kernel="bartlett", bandwidth=b, debiased=True, auto_df=True``)::

    h_t = sum_{i in t} X~_it u_it,   Gamma_j = sum_t h_t h_{t-j}',   w_j = 1 - j/(b+1), j = 0..b
    V = N/(N-K) * (X~'X~)^-1 [Gamma_0 + sum_{j=1..b} w_j (Gamma_j + Gamma_j')] (X~'X~)^-1
    K = k + all estimated effects (N_ent + T - 1 for two-way, N_ent or T for one-way)
    p-values and CIs: t(N-K), exactly what linearmodels reports for debiased=True.

Fit columns: ``r2`` = R2 including the effects (linearmodels ``rsquared_inclusive``, = the R2 of
OLS with unit and year dummies); ``r2_within`` = 1 - SSR / ||M_D y||^2, the R2 after the effects
are removed (linearmodels ``rsquared``, fixest's within R2). The table's ``episode`` is ''.

Backends (``backend:`` of a panel model; default ``linearmodels``): ``pyfixest`` fits the same model
with pyfixest ``feols`` (Rust demeaning; on 10^6 unit-years about an order of magnitude faster),
``vcov={"CRV1": unit}``, ``ssc(k_adj, k_fixef="nonnested", G_adj, G_df="min")`` and
``fixef_rm="none"`` (singletons kept, as PanelOLS keeps them). That is the CR1 above: the same
K = slopes + FE not nested in the clusters (+1 for the intercept when all are nested), so
coefficients and standard errors agree with the linearmodels path to rounding
(tests/models/test_models_panel_backends.py). pyfixest is used with ``cov: clustered`` only.
"""

from __future__ import annotations

import importlib
import warnings

import linearmodels
import numpy as np
import pandas as pd
from linearmodels import PanelOLS

from resilience.errors import ConfigError, InputError
from resilience.models.coefs import coef_table
from resilience.models.spec import DK_KERNEL, ModelSpec

CLUSTER_FLAGS = {"cov_type": "clustered", "cluster_entity": True, "debiased": False, "auto_df": False,
                 "count_effects": False, "group_debias": False}


def fit_panel(design: pd.DataFrame, spec: ModelSpec) -> tuple[pd.DataFrame, dict]:
    """(coefficient table, fit info) for a ``panel`` or ``panel_plain`` spec on a design frame."""
    if spec.kind not in ("panel", "panel_plain"):
        raise ConfigError(f"model '{spec.name}': fit_panel fits panel kinds, the model is '{spec.kind}'")
    if spec.backend == "pyfixest":
        return _fit_pyfixest(design, spec)
    y, x = _split(design, spec)
    model = PanelOLS(y, x, entity_effects=spec.entity_effects, time_effects=spec.time_effects)
    fit = _fit_clustered if spec.cov == "clustered" else _fit_driscoll_kraay
    result, cov, df_t, info = fit(model, spec, _n_levels(y, 0), _n_levels(y, 1))
    se = np.sqrt(np.diag(cov))
    table = coef_table(model=spec.name, episode="", terms=list(result.params.index), coef=result.params.to_numpy(),
                       se=se, df=df_t, nobs=result.nobs, r2=result.rsquared_inclusive, r2_within=result.rsquared,
                       entity_effects=spec.entity_effects, time_effects=spec.time_effects,
                       cov_type=info["cov_type"], small_sample=info["small_sample"],
                       n_clusters=info.get("n_clusters"))
    info |= {"model": spec.name, "estimator": "linearmodels.PanelOLS", "linearmodels_version": linearmodels.__version__,
             "nobs": int(result.nobs), "n_entities": _n_levels(y, 0), "n_periods": _n_levels(y, 1),
             "n_slopes": int(x.shape[1]), "df_t": df_t}
    return table, info


def clustered_k(n_slopes: int, entity_effects: bool, time_effects: bool, n_periods: int) -> int:
    """K of the CR1 factor with entity clusters: slopes + non-nested effects (+1 if all nested)."""
    if time_effects:
        return n_slopes + n_periods
    return n_slopes + 1 if entity_effects else n_slopes


def _fit_clustered(model: PanelOLS, spec: ModelSpec, g: int, t: int):
    result = model.fit(**CLUSTER_FLAGS)
    n, k = int(result.nobs), len(result.params)
    big_k = clustered_k(k, spec.entity_effects, spec.time_effects, t)
    factor = g / (g - 1) * (n - 1) / (n - big_k)
    small_sample = (f"CR1: G/(G-1)*(N-1)/(N-K), K = slopes + FE not nested in entity clusters "
                    f"(+1 intercept if all nested) = {k} + {big_k - k} = {big_k}; fixest/Stata xtreg fe; t(G-1)")
    info = {"cov_type": "clustered (entity)", "small_sample": small_sample, "n_clusters": g, "K": big_k,
            "factor": factor, "linearmodels_fit": dict(CLUSTER_FLAGS)}
    return result, result.cov.to_numpy() * factor, g - 1, info


def _fit_driscoll_kraay(model: PanelOLS, spec: ModelSpec, g: int, t: int):
    flags = {"cov_type": "kernel", "kernel": DK_KERNEL, "bandwidth": spec.bandwidth, "debiased": True,
             "auto_df": True}
    result = model.fit(**flags)
    big_k = int(result.df_model)
    small_sample = (f"Driscoll-Kraay, Bartlett kernel, bandwidth {spec.bandwidth}; N/(N-K), "
                    f"K = slopes + all FE = {big_k} (linearmodels debiased); t(N-K)")
    info = {"cov_type": "driscoll-kraay", "small_sample": small_sample, "n_clusters": None, "K": big_k,
            "factor": int(result.nobs) / (int(result.nobs) - big_k), "kernel": DK_KERNEL,
            "bandwidth": spec.bandwidth, "linearmodels_fit": flags}
    return result, result.cov.to_numpy(), int(result.df_resid), info


# Convergence of pyfixest's alternating-projection demeaning (its default 1e-6 left standard errors of
# an unbalanced panel 1e-7 apart from the exact within transformation; results carry 10 digits).
FIXEF_TOL = 1e-10
PYFIXEST_SSC = {"k_adj": True, "k_fixef": "nonnested", "G_adj": True, "G_df": "min"}


def _fit_pyfixest(design: pd.DataFrame, spec: ModelSpec) -> tuple[pd.DataFrame, dict]:
    """The clustered CR1 fit of ``fit_panel`` with pyfixest ``feols`` (same table, same notes keys)."""
    pyfixest = _import_pyfixest(spec)
    y, x = _split(design, spec)
    g, t = _n_levels(y, 0), _n_levels(y, 1)
    # Formula-safe names x0, x1, ... (terms such as 'contraction_gfc_x_digital_z' are safe, but a
    # configured variable need not be); 'const' is pyfixest's own 'Intercept'.
    slopes = [c for c in x.columns if c != "const"]
    safe = {f"x{i}": column for i, column in enumerate(slopes)}
    # Integer codes of unit and year: pyfixest takes fixed effects and clusters as factors anyway.
    data = pd.DataFrame({"y": y.to_numpy(), "unit": pd.factorize(y.index.get_level_values(0))[0],
                         "period": pd.factorize(y.index.get_level_values(1))[0]}
                        | {k: x[v].to_numpy() for k, v in safe.items()})
    effects = [name for name, on in (("unit", spec.entity_effects), ("period", spec.time_effects)) if on]
    formula = "y ~ " + " + ".join(safe) + (" | " + " + ".join(effects) if effects else "")
    with warnings.catch_warnings():  # a dropped collinear term is raised below, naming the term
        warnings.simplefilter("ignore", UserWarning)
        fit = pyfixest.feols(formula, data=data, vcov={"CRV1": "unit"}, ssc=pyfixest.ssc(**PYFIXEST_SSC),
                             fixef_rm="none", demeaner=pyfixest.MapDemeaner(fixef_tol=FIXEF_TOL))
    names = {"Intercept": "const"} | safe
    coef, se = fit.coef().rename(index=names), fit.se().rename(index=names)
    dropped = [c for c in x.columns if c not in coef.index]
    if dropped:
        raise InputError(f"design of model '{spec.name}' (pyfixest)", f"collinear regressors dropped: {dropped}",
                         field=dropped[0], expected="regressors that are not collinear with the fixed effects")
    coef, se = coef.reindex(x.columns), se.reindex(x.columns)
    big_k = clustered_k(len(x.columns), spec.entity_effects, spec.time_effects, t)
    n = int(fit._N)
    small_sample = (f"CR1: G/(G-1)*(N-1)/(N-K), K = slopes + FE not nested in entity clusters "
                    f"(+1 intercept if all nested) = {len(x.columns)} + {big_k - len(x.columns)} = {big_k}; "
                    f"fixest/Stata xtreg fe; t(G-1)")
    table = coef_table(model=spec.name, episode="", terms=list(x.columns), coef=coef.to_numpy(), se=se.to_numpy(),
                       df=g - 1, nobs=n, r2=float(fit._r2), r2_within=_r2_within(fit, spec),
                       entity_effects=spec.entity_effects, time_effects=spec.time_effects,
                       cov_type="clustered (entity)", small_sample=small_sample, n_clusters=g)
    info = {"cov_type": "clustered (entity)", "small_sample": small_sample, "n_clusters": g, "K": big_k,
            "factor": g / (g - 1) * (n - 1) / (n - big_k), "model": spec.name, "estimator": "pyfixest.feols",
            "pyfixest_version": pyfixest.__version__, "pyfixest_fit": {"formula": formula, "vcov": "CRV1 by unit",
                                                                      "fixef_rm": "none", "fixef_tol": FIXEF_TOL,
                                                                      "ssc": dict(PYFIXEST_SSC)},
            "nobs": n, "n_entities": g, "n_periods": t, "n_slopes": int(x.shape[1]), "df_t": g - 1}
    return table, info


def _r2_within(fit, spec: ModelSpec) -> float:
    """pyfixest's within R2; without effects it is the plain R2, as linearmodels reports it."""
    return float(fit._r2_within) if spec.effects else float(fit._r2)


def _import_pyfixest(spec: ModelSpec):
    try:
        return importlib.import_module("pyfixest")
    except ImportError as exc:
        raise ConfigError(f"model '{spec.name}': backend 'pyfixest' needs the pyfixest package "
                          f"(pip install -r requirements.lock), or set backend: linearmodels") from exc


def _split(design: pd.DataFrame, spec: ModelSpec) -> tuple[pd.Series, pd.DataFrame]:
    what = f"design of model '{spec.name}' (fit_panel)"
    if design.index.nlevels != 2:
        raise InputError(what, "index must be (unit, year)", expected="a 2-level MultiIndex (entity, year)")
    if spec.dependent not in design.columns:
        raise InputError(what, f"no column '{spec.dependent}'", field=spec.dependent, expected="the dependent")
    x = design.drop(columns=spec.dependent).astype("float64")
    if not spec.effects:
        x.insert(0, "const", 1.0)
    if x.shape[1] == 0:
        raise InputError(what, "no regressors", expected="at least one regressor column")
    if design.isna().any().any():
        column = design.columns[design.isna().any()][0]
        raise InputError(what, "missing values", field=column, expected="a complete-case design")
    return design[spec.dependent].astype("float64"), x


def _n_levels(frame, level: int) -> int:
    return int(frame.index.get_level_values(level).nunique())
