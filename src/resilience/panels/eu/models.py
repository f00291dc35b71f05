r"""Models of the EU regional panel.

Panel (one per ``panels.eu.models`` entry), for region r in country c, year t:

    g_rt = a_r + d_ct + sum_{e,p} b_{e,p}' (P_{e,p,t} x X_{r,e}) [+ products of pairs of exposures] + u_rt

with region effects a_r, country x year effects d_ct (they absorb every national shock and the
phase dummies themselves), the shock design of ``resilience.models.design.shock_design`` (phase
dummies P 1 in the years (start, end] of the episode's contraction / recovery; complete case per
region and episode), estimated by the model every panel shares (``models.shock_exposure.fit_shock_exposure``;
config ``panels.eu.design``: fixed effects unit + group_year, bootstrap cluster group = country),
linearmodels ``PanelOLS`` (``other_effects`` = country-year).
Standard errors clustered by region, CR1 as in ``resilience.models.panel``:
``G/(G-1) (N-1)/(N-K)`` with K = slopes + 1 + (country-years - 1) (``wild_bootstrap.cr1_k``: the
region effects are nested in the region clusters, the country-year effects are not); t(G-1).
With only ~30 countries and shocks common within a country, the main coefficients are also
tested by the restricted wild cluster bootstrap clustered by COUNTRY
(``resilience.models.wild_bootstrap``; seeded, reps and weights from config).

A region that is its country's only region (e.g. Luxembourg's one NUTS-2 region) is left out of both: the country x
year effects absorb its growth, and its Martin index against its own country is 0 by construction (the notes'
``sole_units_dropped`` name them).

Exposures without any value (e.g. digitalization when the Eurostat ISOC tables are not in the
mirror) and episodes without data are left out and recorded in the notes; a model with nothing
left is recorded as not estimable, never filled in.

Cross-sections: per outcome, episode and Martin index (``index_pp`` of resistance and recovery),
OLS on the available pre-shock exposures with country effects (dummies), HC1 errors.
"""

from __future__ import annotations

import pandas as pd
from statsmodels.regression.linear_model import OLS
from statsmodels.tools.tools import add_constant

from resilience.errors import ConfigError
from resilience.measures.regional import sole_units
from resilience.panels.eu.units import to_core
from resilience.models.coefs import COEF_COLUMNS
from resilience.models.spec import parse_spec
from resilience.models.wild_bootstrap import BOOT_COLUMNS
from resilience.models.shock_exposure import BOOT_EXTRA, fit_shock_exposure, with_bootstrap_columns

# The EU design (config ``panels.eu.design``): region and country x year effects, bootstrap by country.
DESIGN = {"fixed_effects": ["unit", "group_year"], "bootstrap_cluster": "group", "standardize": False}
EU_COEF_COLUMNS = COEF_COLUMNS + BOOT_EXTRA
CROSS_SECTION_COLUMNS = ["model", "outcome", "episode", "dependent", "term", "coef", "se", "t", "p", "nobs",
                         "regions", "countries", "r2", "cov_type"]


def fit_panel_model(growth: pd.DataFrame, exposures: pd.DataFrame, episodes: list[dict], model: dict,
                    bootstrap: dict, design: dict = DESIGN) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """(coefficient table EU_COEF_COLUMNS, bootstrap table, notes) of one configured EU panel model.

    Leaves out exposures without values and episodes without data (recorded in the notes), then
    fits the shared shock x exposure model (``models.shock_exposure.fit_shock_exposure``) under ``design``."""
    notes = {"model": model["name"], "label": model.get("label", ""), "estimable": False}
    names = model.get("episodes") or [e["name"] for e in episodes]
    chosen = [e for e in episodes if e["name"] in names]
    usable = exposures.dropna(subset=["value"])
    kept = [v for v in model["exposures"] if v in set(usable["variable"])]
    notes["exposures_dropped"] = [v for v in model["exposures"] if v not in kept]
    dependent = model["dependent"]
    observed = growth.dropna(subset=[dependent]) if dependent in growth.columns else growth.iloc[0:0]
    with_data = [e["name"] for e in chosen
                 if usable[(usable["episode"] == e["name"]) & usable["variable"].isin(kept)].shape[0]
                 and observed["year"].isin(range(e["contraction"][0] + 1, e["recovery"][1] + 1)).any()]
    notes["episodes_dropped"] = [e["name"] for e in chosen if e["name"] not in with_data]
    if not kept or not with_data:
        notes["reason"] = "no exposure with data" if not kept else "no episode with both exposures and outcomes"
        return pd.DataFrame(columns=EU_COEF_COLUMNS), pd.DataFrame(columns=["model", *BOOT_COLUMNS]), notes
    entry = {"name": model["name"], "kind": "panel", "label": model.get("label", ""), "dependent": dependent,
             "exposures": kept, "interact_exposures": bool(model.get("interact_exposures")) and len(kept) >= 2,
             "phases": model["phases"], "effects": ["entity", "time"], "cov": "clustered", "episodes": with_data}
    frame = to_core(observed)[["unit", "year", dependent, "group"]]
    if "group_year" in design["fixed_effects"]:
        # country x year effects absorb a country's only region: it adds rows and a bootstrap cluster, no information
        alone = sole_units(to_core(growth))
        frame = frame[~frame["unit"].astype(str).isin(alone)]
        notes["sole_units_dropped"] = alone
    table, boot, info = fit_shock_exposure(frame, usable, chosen, parse_spec(entry), design, bootstrap)
    table = with_bootstrap_columns(table, boot)
    design_notes = {k: v for k, v in info.items() if k not in ("fit", "groups", "group_years", "standardized")}
    notes.update(estimable=True, exposures_used=kept, episodes_used=with_data, design=design_notes, fit=info["fit"],
                 standardized=info["standardized"], countries=info.get("groups"), country_years=info.get("group_years"))
    return table[EU_COEF_COLUMNS], boot.assign(model=model["name"]), notes


def cross_sections(martin: pd.DataFrame, exposures: pd.DataFrame, model: dict) -> tuple[pd.DataFrame, list[dict]]:
    """OLS of Martin indices on available pre-shock exposures with country dummies, HC1, per outcome x episode."""
    rows, notes = [], []
    # a country's only region is its own benchmark (index 0) and its country dummy fits it exactly
    alone = sole_units(to_core(martin))
    martin = martin[~martin["unit"].astype(str).isin(alone)]
    for (outcome, episode), own in martin.groupby(["outcome", "episode"], sort=True):
        expo = exposures[(exposures["episode"] == episode) & exposures["variable"].isin(model["regressors"])]
        wide = expo.pivot(index="unit", columns="variable", values="value")
        regressors = [v for v in model["regressors"] if v in wide.columns and wide[v].notna().any()]
        for dependent in model["dependents"]:
            phase, column = _index_column(dependent)
            y = own[own["phase"] == phase].set_index("unit")[[column, "country"]].rename(columns={column: "y"})
            data = y.join(wide[regressors], how="inner").dropna() if regressors else pd.DataFrame()
            note = {"model": model["name"], "outcome": outcome, "episode": episode, "dependent": dependent,
                    "regressors": regressors, "nobs": int(len(data)), "sole_units_dropped": alone}
            if not regressors or len(data) <= len(regressors) + data["country"].nunique() + 1:
                notes.append(note | {"estimable": False})
                continue
            rows.append(_ols_country_effects(data, regressors).assign(
                model=model["name"], outcome=outcome, episode=episode, dependent=dependent))
            notes.append(note | {"estimable": True})
    table = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=CROSS_SECTION_COLUMNS)
    return table[CROSS_SECTION_COLUMNS], notes


def _index_column(dependent: str) -> tuple[str, str]:
    """'resistance_pp' -> ('resistance', 'index_pp'); 'recovery_ratio' -> ('recovery', 'index_ratio')."""
    phase, _, kind = dependent.partition("_")
    if phase not in ("resistance", "recovery") or kind not in ("pp", "ratio"):
        raise ConfigError(f"EU cross-section dependent {dependent!r}: expected resistance_pp, resistance_ratio, "
                          "recovery_pp or recovery_ratio")
    return phase, f"index_{kind}"


def _ols_country_effects(data: pd.DataFrame, regressors: list[str]) -> pd.DataFrame:
    dummies = pd.get_dummies(data["country"], prefix="c", drop_first=True, dtype="float64")
    x = add_constant(pd.concat([data[regressors].astype("float64"), dummies], axis=1))
    fit = OLS(data["y"].astype("float64"), x).fit(cov_type="HC1")
    return pd.DataFrame({"term": regressors, "coef": fit.params[regressors].to_numpy(),
                         "se": fit.bse[regressors].to_numpy(), "t": fit.tvalues[regressors].to_numpy(),
                         "p": fit.pvalues[regressors].to_numpy(), "nobs": int(fit.nobs),
                         "regions": len(data), "countries": int(data["country"].nunique()),
                         "r2": float(fit.rsquared), "cov_type": "HC1, country effects"})
