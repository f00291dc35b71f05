r"""Event study around one shock: does the exposure's association with growth appear only after it?

For episode e with shock year s (the first year of its contraction dummy, see ``_inputs``) and
relative years r in the window [r_min, r_max] (default -5..+4), on the unit-years t = s + r::

    g_it = a_i + d_t + sum_v sum_{r != -1} b_{v,r} 1{t - s = r} z_{i,v} + u_it

with z_{i,v} the pre-shock exposure v standardised over the units in the sample (mean 0, sd 1,
ddof 1; optional), a_i unit and d_t year effects. The reference is r = -1 (year y0, the last
pre-shock year), so b_{v,r} is the growth gap in year s + r, relative to y0, between units one
standard deviation apart in exposure v. Years outside the window leave the sample, so the reference
is r = -1 alone (not r = -1 pooled with the far past).

Errors: CR1 clustered by ``cluster`` (the unit, or a group such as the country of a region), t(G-1),
K by the fixest convention (``_ols``). Pre-trend test: H0 b_{v,r} = 0 for all r < -1 (and all v
for the joint row), Wald F = b' V^-1 b / q with the CR1 covariance V, referred to F(q, G-1) (as
Stata's ``test`` after ``vce(cluster)``): df1 = q restrictions, df2 = G - 1. Like every
cluster-robust Wald test it over-rejects with few clusters: in 200 simulations without a pre-trend
(iid errors, 10 years, q = 4) it rejected at 5% in 13.5% of them with G = 40 and 6% with G = 200
(tests/robustness/test_event_study.py checks G = 150). With few clusters read it beside the wild
cluster bootstrap of the individual coefficients.
It answers: were high- and low-exposure units already on different growth paths before the shock
(a failed parallel-trends check), and how does the gap evolve after it?
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from resilience.robustness import _inputs
from resilience.robustness._ols import fit

EVENT_COLUMNS = ["episode", "exposure", "rel_year", "year", "coef", "se", "t", "p", "ci_low", "ci_high", "nobs",
                 "n_clusters", "reference"]
PRETREND_COLUMNS = ["episode", "exposure", "stat", "df1", "df2", "p", "test"]


def event_study(growth: pd.DataFrame, exposures: pd.DataFrame, episode, *, outcome: str,
                exposure_vars: Sequence[str], window: tuple[int, int] = (-5, 4), cluster: str = "unit",
                standardize: bool = True, level: float = 0.95) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(coefficients, pre-trend tests) of the event study above.

    Coefficients: one row per exposure and relative year (``EVENT_COLUMNS``), the reference year
    r = -1 included with coef 0 and NaN inference (``reference`` True). Pre-trend tests: one row
    per exposure and a joint row ``exposure == "all"`` (``PRETREND_COLUMNS``).
    """
    design, terms = event_design(growth, exposures, episode, outcome=outcome, exposure_vars=exposure_vars,
                                 window=window, cluster=cluster, standardize=standardize)
    ep = _inputs.episode(episode)
    result = fit(design, outcome, list(terms.index), fixed_effects=["unit", "year"], cluster=cluster,
                 what=f"event study ({ep.name})")
    table = result.tidy(list(terms.index), level).drop(columns="cov_type")
    keys = pd.DataFrame(terms.tolist(), index=terms.index, columns=["exposure", "rel_year"])
    table = table.join(keys, on="term")
    reference = pd.DataFrame({"exposure": list(exposure_vars), "rel_year": -1, "coef": 0.0, "nobs": result.nobs,
                              "n_clusters": result.n_clusters, "reference": True})
    table = pd.concat([table.assign(reference=False), reference], ignore_index=True)
    table = table.assign(episode=ep.name, year=table["rel_year"] + _inputs.shock_year(ep))
    table = table.astype({"n_clusters": "Int64"}).sort_values(["exposure", "rel_year"], ignore_index=True)
    return table[EVENT_COLUMNS], _pretrends(result, terms, exposure_vars, ep.name)


def event_design(growth: pd.DataFrame, exposures: pd.DataFrame, episode, *, outcome: str,
                 exposure_vars: Sequence[str], window: tuple[int, int] = (-5, 4), cluster: str = "unit",
                 standardize: bool = True) -> tuple[pd.DataFrame, pd.Series]:
    """(long design: unit, year, cluster, outcome, one column per interaction; term -> (exposure, r))."""
    ep = _inputs.episode(episode)
    variables = _inputs.check_names(exposure_vars, "event_study")
    low, high = window
    if not low < -1 < high:
        raise ValueError(f"event window {window} must contain the reference -1 and a year on each side")
    what = f"growth (event_study, {ep.name})"
    s = _inputs.shock_year(ep)
    rows = _inputs.growth_rows(growth, outcome, what, extra=[cluster] if cluster != "unit" else [])
    rows = rows[rows["year"].between(s + low, s + high)]
    wide = _inputs.exposure_wide(exposures, ep.name, variables, f"exposures (event_study, {ep.name})")
    rows, wide = _inputs.matched(rows, wide, variables, standardize)
    z = wide.reindex(rows["unit"]).set_axis(rows.index)
    terms = {}
    for v in variables:
        for r in range(low, high + 1):
            if r != -1:
                name = f"{v}_x_rel{r:+d}"
                rows[name] = z[v] * (rows["year"] == s + r)
                terms[name] = (v, r)
    return rows, pd.Series(terms, dtype="object")


def _pretrends(result, terms: pd.Series, exposure_vars: Sequence[str], name: str) -> pd.DataFrame:
    pre = [t for t, (v, r) in terms.items() if r < -1]
    groups = {v: [t for t in pre if terms[t][0] == v] for v in exposure_vars}
    if len(exposure_vars) > 1:
        groups["all"] = pre
    test = "Wald F(q, G-1), CR1 covariance: all pre-shock coefficients (r < -1) = 0"
    rows = [{"episode": name, "exposure": v, **result.wald_f(ts), "test": test} for v, ts in groups.items() if ts]
    return pd.DataFrame(rows, columns=PRETREND_COLUMNS)
