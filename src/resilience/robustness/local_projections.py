r"""Local projections of cumulative growth after a shock on pre-shock exposures (Jorda 2005, cross-section form).

For episode e with shock year s and reference year y0 = s - 1, and each horizon h = 0..H::

    c_i^h = sum_{t=s}^{s+h} g_it = 100 (ln Y_{i,s+h} - ln Y_{i,y0})       (g in percent log growth)
    c_i^h = a^h + sum_v b_v^h z_{i,v} + sum_c d_c^h w_{i,c} + e_i^h

z the pre-shock exposures (standardised over the units with every exposure and control, once for
all horizons, so b^h is in the same units at every h), w optional pre-shock controls (from the same
long exposure frame, unstandardised). c_i^h needs every g_it for t = s..s+h: a unit with a missing
year drops out from that horizon on (complete case per horizon, ``nobs`` says how many remain).
Errors: HC1 with t(n-k) (``cluster=None``, statsmodels ``HC1`` = Stata ``robust``) or CR1 by a
column of ``growth`` (e.g. ``group``) with t(G-1).
It answers: how far apart, h years after the shock, are the cumulative output paths of units one
standard deviation apart in exposure - the impulse response of the resilience gap.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from resilience.robustness import _inputs
from resilience.robustness._ols import fit

LP_COLUMNS = ["episode", "horizon", "term", "coef", "se", "t", "p", "ci_low", "ci_high", "nobs", "n_clusters",
              "cov_type"]


def local_projections(growth: pd.DataFrame, exposures: pd.DataFrame, episode, *, outcome: str,
                      exposure_vars: Sequence[str], horizons: int = 4, controls: Sequence[str] = (),
                      cluster: str | None = None, standardize: bool = True, level: float = 0.95) -> pd.DataFrame:
    """One block of rows per horizon 0..``horizons`` (every term incl. ``const``), ``LP_COLUMNS``."""
    data = cumulative_growth(growth, exposures, episode, outcome=outcome, exposure_vars=exposure_vars,
                             horizons=horizons, controls=controls, cluster=cluster, standardize=standardize)
    ep = _inputs.episode(episode)
    blocks = []
    for h in range(horizons + 1):
        sample = data.dropna(subset=[f"cum_h{h}"])
        result = fit(sample, f"cum_h{h}", [*exposure_vars, *controls], cluster=cluster,
                     what=f"local projection ({ep.name}, h={h})")
        blocks.append(result.tidy(level=level).assign(horizon=h))
    return pd.concat(blocks, ignore_index=True).assign(episode=ep.name)[LP_COLUMNS]


def cumulative_growth(growth: pd.DataFrame, exposures: pd.DataFrame, episode, *, outcome: str,
                      exposure_vars: Sequence[str], horizons: int = 4, controls: Sequence[str] = (),
                      cluster: str | None = None, standardize: bool = True) -> pd.DataFrame:
    """One row per unit: exposures, controls, ``cluster`` and ``cum_h0`` .. ``cum_h{H}`` (NaN if a year is missing)."""
    ep = _inputs.episode(episode)
    variables = _inputs.check_names(exposure_vars, "local_projections")
    if horizons < 0:
        raise ValueError(f"horizons must be >= 0, got {horizons}")
    s = _inputs.shock_year(ep)
    extra = [cluster] if cluster not in (None, "unit") else []
    rows = _inputs.growth_rows(growth, outcome, f"growth (local_projections, {ep.name})", extra=extra)
    path = rows.pivot(index="unit", columns="year", values=outcome).reindex(columns=range(s, s + horizons + 1))
    # cumsum with skipna=False keeps a gap's NaN in every later horizon: c^h needs all of s..s+h.
    cum = path.cumsum(axis=1, skipna=False).set_axis([f"cum_h{h}" for h in range(horizons + 1)], axis=1)
    wide = _inputs.exposure_wide(exposures, ep.name, [*variables, *controls], f"exposures (local_projections, {ep.name})")
    wide = wide[wide.index.isin(rows["unit"])]
    if standardize:
        wide = _inputs.standardized(wide, variables)
    out = wide.join(cum, how="inner")
    if extra:
        out = out.join(rows.drop_duplicates("unit").set_index("unit")[extra])
    return out.rename_axis("unit").reset_index()
