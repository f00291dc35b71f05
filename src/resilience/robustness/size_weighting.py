r"""Size weighting: the shock x exposure model unweighted, weighted by sqrt(size) and by size.

The main design of DESIGN.md section 4 on the generic layout::

    g_it = a_i + d_t + sum_p sum_v b_{p,v} P_{e,p,t} z_{i,v} + u_it,     P_{e,p,t} = 1{t in (start_p, end_p]}

estimated by weighted least squares with analytic weights w_i = 1, sqrt(S_i) or S_i (S_i the
unit's pre-shock size, e.g. manufacturing value added in the exposure year), i.e. minimising
sum_it w_i u_it^2 after absorbing the effects with the same weights; CR1 errors by ``cluster``.
Unweighted estimates describe the typical economy, size-weighted ones the world's manufacturing:
a large gap says the association is carried by small (or by large) units. Every scheme uses the
same sample: units with exposures and a positive size, so the columns differ only by the weights.
Exposures are standardised (unweighted, over that sample) when ``standardize``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from resilience.errors import ConfigError, InputError
from resilience.models.design import term_name
from resilience.robustness import _inputs
from resilience.robustness._ols import fit

SCHEMES = {"none": lambda s: np.ones_like(s), "sqrt": np.sqrt, "size": lambda s: s}


def shock_panel(growth: pd.DataFrame, exposures: pd.DataFrame, episode, *, outcome: str,
                exposure_vars: Sequence[str], phases: Sequence[str] = ("contraction", "recovery"),
                cluster: str = "unit", standardize: bool = True) -> tuple[pd.DataFrame, list[str]]:
    """(long design with unit, year, the outcome and the phase x exposure terms; the term names)."""
    ep = _inputs.episode(episode)
    variables = _inputs.check_names(exposure_vars, "shock_panel")
    rows = _inputs.growth_rows(growth, outcome, f"growth (shock_panel, {ep.name})",
                               extra=[cluster] if cluster != "unit" else [])
    wide = _inputs.exposure_wide(exposures, ep.name, variables, f"exposures (shock_panel, {ep.name})")
    rows, wide = _inputs.matched(rows, wide, variables, standardize)
    z = wide.reindex(rows["unit"]).set_axis(rows.index)
    terms = []
    for phase in phases:
        on = rows["year"].isin(ep.phase_years(phase))
        for v in variables:
            terms.append(term_name(phase, ep.name, v))
            rows[terms[-1]] = z[v] * on
    return rows, terms


def size_weighted(growth: pd.DataFrame, exposures: pd.DataFrame, episode, size: pd.Series, *, outcome: str,
                  exposure_vars: Sequence[str], phases: Sequence[str] = ("contraction", "recovery"),
                  cluster: str = "unit", schemes: Sequence[str] = ("none", "sqrt", "size"),
                  standardize: bool = True) -> pd.DataFrame:
    """One row per term: ``coef_<scheme>``, ``se_<scheme>`` and ``p_<scheme>`` side by side, then nobs, n_clusters.

    ``size``: pre-shock size per unit (a Series indexed by unit); units without a positive size leave.
    """
    unknown = [s for s in schemes if s not in SCHEMES]
    if unknown:
        raise ConfigError(f"size_weighted: schemes {unknown}; allowed: {list(SCHEMES)}")
    size = pd.Series(size, dtype="float64")
    keep = size[size > 0].index
    if keep.empty:
        raise InputError("size (size_weighted)", "no positive size", expected="a positive size per unit")
    growth = growth[growth["unit"].isin(keep)]
    data, terms = shock_panel(growth, exposures, episode, outcome=outcome, exposure_vars=exposure_vars,
                              phases=phases, cluster=cluster, standardize=standardize)
    unit_size = size.reindex(data["unit"]).to_numpy()
    out = pd.DataFrame({"term": terms})
    for scheme in schemes:
        weighted = data.assign(_w=SCHEMES[scheme](unit_size))
        table = fit(weighted, outcome, terms, fixed_effects=["unit", "year"], cluster=cluster, weights="_w",
                    what=f"size-weighted model ({scheme})").tidy(terms)
        out[f"coef_{scheme}"], out[f"se_{scheme}"], out[f"p_{scheme}"] = table["coef"], table["se"], table["p"]
        out["nobs"], out["n_clusters"] = table["nobs"], table["n_clusters"]
    return out
