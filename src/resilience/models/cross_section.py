r"""Cross-sections per episode (e.g. Martin resistance / recovery on pre-shock exposures).

For each dependent y of the spec, OLS with an intercept ``const`` on the spec's regressors, on the
units with y and every regressor present (complete case per dependent)::

    b = (X'X)^-1 X'y,   V_HC1 = n/(n-k) * (X'X)^-1 [sum_i x_i x_i' u_i^2] (X'X)^-1

with k counting the intercept (statsmodels ``cov_type="HC1"``, = Stata ``regress, robust``);
p-values and CIs from t(n-k) (``use_t=True``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from statsmodels.regression.linear_model import OLS
from statsmodels.tools.tools import add_constant

from resilience.errors import ConfigError, InputError
from resilience.models.coefs import COEF_COLUMNS, coef_table
from resilience.models.spec import ModelSpec

HC1_NOTE = "HC1: n/(n-k), k incl. intercept (statsmodels HC1 = Stata robust); t(n-k)"


def fit_cross_section(frame: pd.DataFrame, spec: ModelSpec, episode: str) -> pd.DataFrame:
    """Coefficient table with one block per dependent, ``model`` = f"{spec.name}:{dependent}"."""
    if spec.kind != "cross_section":
        raise ConfigError(f"model '{spec.name}': fit_cross_section fits kind 'cross_section', not '{spec.kind}'")
    what = f"cross-section of model '{spec.name}', episode '{episode}' (fit_cross_section)"
    missing = [c for c in (*spec.dependents, *spec.regressors) if c not in frame.columns]
    if missing:
        raise InputError(what, f"missing columns {missing}", expected="the dependents and regressors of the spec")
    blocks = [_fit_one(frame, spec, dependent, episode, what) for dependent in spec.dependents]
    return pd.concat(blocks, ignore_index=True)[COEF_COLUMNS]


def _fit_one(frame: pd.DataFrame, spec: ModelSpec, dependent: str, episode: str, what: str) -> pd.DataFrame:
    data = frame[[dependent, *spec.regressors]].astype("float64").dropna()
    x = add_constant(data[list(spec.regressors)], has_constant="add")
    if len(data) <= x.shape[1]:
        raise InputError(what, f"{len(data)} complete observations for '{dependent}' with {x.shape[1]} coefficients",
                         field=dependent, expected="more observations than coefficients")
    result = OLS(data[dependent], x).fit(cov_type="HC1", use_t=True)
    return coef_table(model=f"{spec.name}:{dependent}", episode=episode, terms=list(result.params.index),
                      coef=result.params.to_numpy(), se=np.asarray(result.bse), df=float(result.df_resid),
                      nobs=int(result.nobs), r2=result.rsquared, r2_within=np.nan, entity_effects=False,
                      time_effects=False, cov_type="HC1", small_sample=HC1_NOTE, n_clusters=None)
