"""Complex risk as a continuous shock in the country panel.

    g_it = a_i + d_t + b R_it + sum_v c_v R_it X_i,v + [e R_it X_i,a X_i,b] + u_it

``R_it`` is the country's own risk index in year t (annual mean of the WUI or the country GPR, see
``resilience.context.risk.analysis.country_panel``), standardized over the estimation sample (pooled
unit-years), so ``b`` is percentage points of manufacturing growth per standard deviation of risk
for an economy at the sample mean of every exposure. ``X_i,v`` are the SAME pre-shock exposures as
the main model (``results/tables/countries_exposures.csv``: digitalization ``digital_z``, the cluster measure
``lq_manuf``, and the controls ``log_gdppc``, ``trade_open``), taken at one configured episode
(``exposure_episode``: gfc = measured in 2007) and standardized across the economies of the
estimation sample, as ``resilience.model_runs`` does; the sample years start after that exposure year,
so the exposures predate every shock year used. ``c_v`` is then how one standard deviation more of
exposure v changes the growth response to one standard deviation of risk.

The fit is the pipeline's own: the frame goes through ``resilience.models.design.plain_design`` and
``resilience.models.panel.fit_panel`` (PanelOLS, entity and year effects, errors clustered by
economy, CR1), as a ``panel_plain`` spec built here from config. Complete case by unit-year;
economies with fewer than ``min_obs`` years leave (recorded in the notes).
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd

from resilience.errors import ConfigError
from resilience.models.coefs import COEF_COLUMNS
from resilience.models.design import plain_design
from resilience.panels.countries.units import to_core
from resilience.models.panel import fit_panel
from resilience.models.spec import parse_spec

RISK_TERM = "risk_z"


def term_names(exposures: list[str], controls: list[str], interact: bool) -> list[str]:
    """risk_z, risk_z_x_<exposure>..., risk_z_x_<a>_x_<b> (exposure pairs), risk_z_x_<control>..."""
    terms = [RISK_TERM] + [f"{RISK_TERM}_x_{v}" for v in exposures]
    if interact:
        terms += [f"{RISK_TERM}_x_{a}_x_{b}" for a, b in combinations(exposures, 2)]
    return terms + [f"{RISK_TERM}_x_{v}" for v in controls]


def risk_frame(growth: pd.DataFrame, risk_panel: pd.DataFrame, exposures: pd.DataFrame, variant: dict,
               settings: dict) -> tuple[pd.DataFrame, dict]:
    """(panel frame iso3, year, dependent, terms; notes) for one variant, complete case, standardized."""
    dependent, index = settings["dependent"], variant["index"]
    variables = list(settings["exposures"]) + list(settings["controls"])
    first, last = settings["years"]
    risk = risk_panel.loc[risk_panel["index"] == index, ["iso3", "year", "value"]].rename(columns={"value": "risk"})
    chosen = exposures[(exposures["episode"] == settings["exposure_episode"]) & exposures["variable"].isin(variables)]
    wide = chosen.pivot_table(index="iso3", columns="variable", values="value", aggfunc="first")
    wide = wide.reindex(columns=variables).reset_index()
    frame = growth[["iso3", "year", dependent]].merge(risk, on=["iso3", "year"], how="inner")
    frame = frame.merge(wide, on="iso3", how="inner")
    frame = frame[frame["year"].between(first, last)].dropna(subset=[dependent, "risk", *variables])
    # Economies with too few years leave before the moments are taken, so "one standard deviation"
    # refers to the sample the model actually uses.
    counts = frame.groupby("iso3")["year"].transform("size")
    frame = frame[counts >= settings["min_obs"]].sort_values(["iso3", "year"]).reset_index(drop=True)
    moments = {"risk": _moments(frame["risk"])}
    frame[RISK_TERM] = _z(frame["risk"], moments["risk"])
    units = frame.drop_duplicates("iso3")
    z = {}
    for v in variables:
        moments[v] = _moments(units[v])
        z[v] = _z(frame[v], moments[v])
    for v in variables:
        frame[f"{RISK_TERM}_x_{v}"] = frame[RISK_TERM] * z[v]
    if settings["interact_exposures"]:
        for a, b in combinations(settings["exposures"], 2):
            frame[f"{RISK_TERM}_x_{a}_x_{b}"] = frame[RISK_TERM] * z[a] * z[b]
    terms = term_names(list(settings["exposures"]), list(settings["controls"]), settings["interact_exposures"])
    notes = {"risk_index": index, "exposure_episode": settings["exposure_episode"],
             "standardization": {k: {"mean": m[0], "sd": m[1]} for k, m in moments.items()},
             "risk_moments_over": "pooled unit-years of the estimation sample",
             "exposure_moments_over": "economies of the estimation sample (one value each)"}
    return frame[["iso3", "year", dependent, *terms]], notes


def model_spec(variant: dict, settings: dict) -> dict:
    """The ``panel_plain`` models entry the pipeline's estimator takes (two-way FE, clustered)."""
    return {"name": variant["name"], "kind": "panel_plain", "label": variant.get("label", variant["name"]),
            "dependent": settings["dependent"],
            "regressors": term_names(list(settings["exposures"]), list(settings["controls"]),
                                     settings["interact_exposures"]),
            "effects": ["entity", "time"], "cov": "clustered",
            "sample": {"years": list(settings["years"]), "min_obs": settings["min_obs"]}}


def run_variant(growth, risk_panel, exposures, variant: dict, settings: dict) -> tuple[pd.DataFrame, dict]:
    """(coefficient table in the contract's columns, notes) for one variant; an index with no data
    gives an empty table and notes saying so (the run goes on: the indices are optional sources)."""
    frame, notes = risk_frame(growth, risk_panel, exposures, variant, settings)
    notes = {"model": variant["name"], "label": variant.get("label", ""), **notes}
    if frame["iso3"].nunique() < 2 or frame["year"].nunique() < 2:
        reason = (f"no estimation sample: {len(frame)} unit-years of {frame['iso3'].nunique()} economies have "
                  f"{settings['dependent']}, the {variant['index']} index and every exposure in "
                  f"{settings['years'][0]}-{settings['years'][1]}")
        return pd.DataFrame(columns=COEF_COLUMNS), notes | {"status": "not estimated", "reason": reason}
    spec = parse_spec(model_spec(variant, settings))
    design, design_notes = plain_design(to_core(frame), spec)
    coefs, info = fit_panel(design, spec)
    years = design.index.get_level_values("year")
    return coefs, notes | design_notes | info | {"status": "estimated", "first_year": int(years.min()),
                                                 "last_year": int(years.max())}


def run_risk_models(growth, risk_panel, exposures, settings: dict) -> tuple[pd.DataFrame, dict]:
    """Every configured variant: the stacked coefficient table and {variant name: notes}."""
    if not settings["variants"]:
        raise ConfigError("complex_risk.model.variants: at least one variant is needed")
    tables, notes = [], {}
    for variant in settings["variants"]:
        coefs, note = run_variant(growth, risk_panel, exposures, variant, settings)
        tables.append(coefs)
        notes[variant["name"]] = note
    non_empty = [t for t in tables if len(t)]
    table = pd.concat(non_empty, ignore_index=True) if non_empty else pd.DataFrame(columns=COEF_COLUMNS)
    return table, notes


def _moments(values: pd.Series) -> tuple[float, float]:
    return float(values.mean()), float(values.std(ddof=1))


def _z(values: pd.Series, moments: tuple[float, float]) -> pd.Series:
    mean, sd = moments
    if not np.isfinite(sd) or sd == 0:
        return values * np.nan
    return (values - mean) / sd
