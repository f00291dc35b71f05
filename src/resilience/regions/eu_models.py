r"""Models of the EU regional panel.

Panel (one per ``eu_regions.models`` entry), for region r in country c, year t:

    g_rt = a_r + d_ct + sum_{e,p} b_{e,p}' (P_{e,p,t} x X_{r,e}) [+ products of pairs of exposures] + u_rt

with region effects a_r, country x year effects d_ct (they absorb every national shock and the
phase dummies themselves), the shock design of ``resilience.models.design.shock_design`` (phase
dummies P 1 in the years (start, end] of the episode's contraction / recovery; complete case per
region and episode), estimated with linearmodels ``PanelOLS`` (``other_effects`` = country-year).
Standard errors clustered by region, CR1 as in ``resilience.models.panel``:
``G/(G-1) (N-1)/(N-K)`` with K = slopes + 1 + (country-years - 1) (``wild_bootstrap.cr1_k``: the
region effects are nested in the region clusters, the country-year effects are not); t(G-1).
With only ~30 countries and shocks common within a country, the main coefficients are also
tested by the restricted wild cluster bootstrap clustered by COUNTRY
(``resilience.models.wild_bootstrap``; seeded, reps and weights from config).

Exposures without any value (e.g. digitalization when the Eurostat ISOC tables are not in the
mirror) and episodes without data are left out and recorded in the notes; a model with nothing
left is recorded as not estimable, never filled in.

Cross-sections: per outcome, episode and Martin index (``index_pp`` of resistance and recovery),
OLS on the available pre-shock exposures with country effects (dummies), HC1 errors.
"""

from __future__ import annotations

import linearmodels
import numpy as np
import pandas as pd
import statsmodels.api as sm
from linearmodels import PanelOLS

from resilience.errors import ConfigError, InputError
from resilience.models.coefs import COEF_COLUMNS, coef_table
from resilience.models.design import shock_design
from resilience.models.panel import CLUSTER_FLAGS
from resilience.models.spec import parse_spec
from resilience.models.wild_bootstrap import cr1_k, design_frame, wild_cluster_bootstrap
from resilience.regions.eu import series_frame
from resilience.regions.regional_measures import unit_log_growth

BOOT_EXTRA = ["p_boot", "boot_ci_low", "boot_ci_high", "boot_clusters", "boot_reps", "boot_weights", "boot_seed"]
EU_COEF_COLUMNS = COEF_COLUMNS + BOOT_EXTRA
CROSS_SECTION_COLUMNS = ["model", "outcome", "episode", "dependent", "term", "coef", "se", "t", "p", "nobs",
                         "regions", "countries", "r2", "cov_type"]


def growth_panel(panel: pd.DataFrame, dependents: dict[str, str]) -> pd.DataFrame:
    """Wide region-year frame: unit, country, year and one log-growth column per dependent (name -> series)."""
    frames = []
    for name, series in dependents.items():
        levels = series_frame(panel, series)
        if levels.empty:
            continue
        growth = unit_log_growth(levels[["unit", "year", "value"]]).rename(columns={"growth": name})
        frames.append(growth.merge(levels[["unit", "country"]].drop_duplicates(), on="unit"))
    if not frames:
        return pd.DataFrame(columns=["unit", "country", "year", *dependents])
    out = frames[0]
    for frame in frames[1:]:
        out = out.merge(frame, on=["unit", "country", "year"], how="outer")
    for name in dependents:
        if name not in out.columns:
            out[name] = np.nan
    return out.sort_values(["unit", "year"], ignore_index=True)


def fit_panel_model(growth: pd.DataFrame, exposures: pd.DataFrame, episodes: list[dict], model: dict,
                    bootstrap: dict) -> tuple[pd.DataFrame, dict]:
    """(coefficient table EU_COEF_COLUMNS, notes) of one configured EU panel model."""
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
        return pd.DataFrame(columns=EU_COEF_COLUMNS), notes
    entry = {"name": model["name"], "kind": "panel", "label": model.get("label", ""), "dependent": dependent,
             "exposures": kept, "interact_exposures": bool(model.get("interact_exposures")) and len(kept) >= 2,
             "phases": model["phases"], "effects": ["entity", "time"], "cov": "clustered", "episodes": with_data}
    spec = parse_spec(entry)
    wide = observed.rename(columns={"unit": "iso3"})[["iso3", "year", dependent]]
    long = usable.rename(columns={"unit": "iso3"})[["iso3", "episode", "variable", "value"]]
    design, design_notes = shock_design(wide, long, chosen, spec)
    data = design_frame(design, dependent)
    data["country"] = data["unit"].map(growth.drop_duplicates("unit").set_index("unit")["country"])
    data["country_year"] = data["country"] + ":" + data["year"].astype(str)
    terms = [c for c in design.columns if c != dependent]
    table, fit_info = _fit(design, data, spec, terms)
    boot = wild_cluster_bootstrap(data, dependent=dependent, regressors=terms, cluster="country",
                                  fixed_effects=["unit", "country_year"], reps=bootstrap["reps"],
                                  weights=bootstrap["weights"], seed=bootstrap["seed"], ci=bootstrap.get("ci", True))
    table = table.merge(boot.rename(columns={"ci_low": "boot_ci_low", "ci_high": "boot_ci_high",
                                             "clusters": "boot_clusters", "reps": "boot_reps",
                                             "weights": "boot_weights", "seed": "boot_seed"})
                        [["term", *BOOT_EXTRA]], on="term", how="left")
    notes.update(estimable=True, exposures_used=kept, episodes_used=with_data, design=design_notes, fit=fit_info,
                 countries=int(data["country"].nunique()), country_years=int(data["country_year"].nunique()))
    return table[EU_COEF_COLUMNS], notes


def _fit(design: pd.DataFrame, data: pd.DataFrame, spec, terms: list[str]) -> tuple[pd.DataFrame, dict]:
    y = design[spec.dependent].astype("float64")
    x = design[terms].astype("float64")
    other = pd.DataFrame({"country_year": pd.Categorical(data["country_year"])}, index=design.index)
    model = PanelOLS(y, x, entity_effects=True, other_effects=other)
    result = model.fit(**CLUSTER_FLAGS)
    n, g = int(result.nobs), int(data["unit"].nunique())
    big_k = cr1_k(data, len(terms), ["unit", "country_year"], "unit")
    if n <= big_k or g < 2:
        raise InputError(f"design of model '{spec.name}'", f"{n} observations for K = {big_k}, {g} clusters",
                         expected="more observations than slopes plus effects, and at least 2 regions")
    factor = g / (g - 1) * (n - 1) / (n - big_k)
    se = np.sqrt(np.diag(result.cov.to_numpy() * factor))
    small = (f"CR1 by region: G/(G-1)*(N-1)/(N-K), K = slopes + 1 + (country-years - 1) = {big_k}; t(G-1); "
             "region and country x year effects")
    table = coef_table(model=spec.name, episode="", terms=list(result.params.index), coef=result.params.to_numpy(),
                       se=se, df=g - 1, nobs=n, r2=result.rsquared_inclusive, r2_within=result.rsquared,
                       entity_effects=True, time_effects=True, cov_type="clustered (region)", small_sample=small,
                       n_clusters=g)
    info = {"estimator": "linearmodels.PanelOLS (entity + other_effects country_year)",
            "linearmodels_version": linearmodels.__version__, "nobs": n, "regions": g, "K": big_k,
            "factor": factor, "linearmodels_fit": dict(CLUSTER_FLAGS)}
    return table, info


def cross_sections(martin: pd.DataFrame, exposures: pd.DataFrame, model: dict) -> tuple[pd.DataFrame, list[dict]]:
    """OLS of Martin indices on available pre-shock exposures with country dummies, HC1, per outcome x episode."""
    rows, notes = [], []
    for (outcome, episode), own in martin.groupby(["outcome", "episode"], sort=True):
        expo = exposures[(exposures["episode"] == episode) & exposures["variable"].isin(model["regressors"])]
        wide = expo.pivot(index="unit", columns="variable", values="value")
        regressors = [v for v in model["regressors"] if v in wide.columns and wide[v].notna().any()]
        for dependent in model["dependents"]:
            phase, column = _index_column(dependent)
            y = own[own["phase"] == phase].set_index("unit")[[column, "country"]].rename(columns={column: "y"})
            data = y.join(wide[regressors], how="inner").dropna() if regressors else pd.DataFrame()
            note = {"model": model["name"], "outcome": outcome, "episode": episode, "dependent": dependent,
                    "regressors": regressors, "nobs": int(len(data))}
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
    x = sm.add_constant(pd.concat([data[regressors].astype("float64"), dummies], axis=1))
    fit = sm.OLS(data["y"].astype("float64"), x).fit(cov_type="HC1")
    return pd.DataFrame({"term": regressors, "coef": fit.params[regressors].to_numpy(),
                         "se": fit.bse[regressors].to_numpy(), "t": fit.tvalues[regressors].to_numpy(),
                         "p": fit.pvalues[regressors].to_numpy(), "nobs": int(fit.nobs),
                         "regions": len(data), "countries": int(data["country"].nunique()),
                         "r2": float(fit.rsquared), "cov_type": "HC1, country effects"})
