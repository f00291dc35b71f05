r"""The shock x exposure panel model every panel runs (countries, EU NUTS-2 regions, Chinese provinces).

For unit r (economy, region, province) in group c (e.g. a region's country), year t:

    g_rt = a_r + d_t (or d_ct) + sum_{e,p} b_{e,p}' (P_{e,p,t} x X_{r,e}) [+ controls] + u_rt

with the shock design of ``resilience.models.design.shock_design``. What differs between the panels
is configuration (the block's ``design:`` key), not code:

- ``fixed_effects``: ``[unit, year]`` (the country panel's two-way estimator,
  ``resilience.models.panel.fit_panel``: CR1 by unit, t(G-1)) or ``[unit, group_year]`` (the group x
  year effects absorb every shock common within a group, e.g. a country; linearmodels ``PanelOLS``
  with ``other_effects``, CR1 by unit with K = slopes + 1 + (group-years - 1), ``wild_bootstrap.cr1_k``);
- ``bootstrap_cluster``: ``unit`` or ``group``: the restricted wild cluster bootstrap
  (``resilience.models.wild_bootstrap``; seeded; reps and weights from the block's ``bootstrap:``),
  with the same fixed effects as the fit;
- ``standardize``: ``true`` = every exposure z-scored within episode over the estimation sample,
  as the country panel does (``model_runs.estimation_sample_exposures`` + ``standardize_exposures``),
  so coefficients are per standard deviation; ``false`` = exposures as measured.

``fit_shock_exposure`` returns the estimates in one layout; each panel's adapter (``country_models``,
``eu_models``, ``china_models``) only selects its models' data and names its table's columns.
"""

from __future__ import annotations

import linearmodels
import numpy as np
import pandas as pd
from linearmodels import PanelOLS

from resilience.errors import ConfigError, InputError
from resilience.model_runs import estimation_sample_exposures, standardize_exposures
from resilience.models.coefs import COEF_COLUMNS, coef_table
from resilience.models.design import shock_design
from resilience.models.panel import CLUSTER_FLAGS, fit_panel
from resilience.models.spec import parse_spec
from resilience.models.wild_bootstrap import BOOT_COLUMNS, cr1_k, design_frame, wild_cluster_bootstrap

FIXED_EFFECTS = (("unit", "year"), ("unit", "group_year"))
# The bootstrap columns a coefficient table carries (``with_bootstrap_columns``).
BOOT_EXTRA = ["p_boot", "boot_ci_low", "boot_ci_high", "boot_clusters", "boot_reps", "boot_weights", "boot_seed"]
BOOTSTRAP_CLUSTERS = ("unit", "group")


def check_design(design: dict, key: str) -> dict:
    """The block's ``design:`` with its choices checked (ConfigError naming ``key``)."""
    effects = tuple(design["fixed_effects"])
    if effects not in FIXED_EFFECTS:
        raise ConfigError(f"{key}.fixed_effects: {list(effects)}; expected one of {[list(f) for f in FIXED_EFFECTS]}")
    if design["bootstrap_cluster"] not in BOOTSTRAP_CLUSTERS:
        raise ConfigError(f"{key}.bootstrap_cluster: {design['bootstrap_cluster']!r}; expected one of "
                          f"{list(BOOTSTRAP_CLUSTERS)}")
    return design


def fit_shock_exposure(growth: pd.DataFrame, exposures: pd.DataFrame, episodes: list[dict], spec, design: dict,
                       bootstrap: dict | None) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """(coefficients ``COEF_COLUMNS``, bootstrap table ``BOOT_COLUMNS``, notes) of one shock x exposure model.

    ``bootstrap``: reps, weights, seed (and ci, alpha) of the wild cluster bootstrap, or None for none
    (an empty bootstrap table).

    ``growth``: unit, year, the dependent (and ``group`` when the design uses it); ``exposures``: long
    unit, episode, variable, value; ``spec``: a parsed panel spec (``models.spec.parse_spec``).
    """
    check_design(design, "design")
    panel = growth.drop(columns=["group"], errors="ignore")
    exp = exposures[["unit", "episode", "variable", "value"]]
    if design["standardize"]:
        exp = standardize_exposures(exp, estimation_sample_exposures(panel, exp, spec))
    matrix, notes = shock_design(panel, exp, episodes, spec)
    data = design_frame(matrix, spec.dependent)
    terms = [c for c in matrix.columns if c != spec.dependent]
    grouped = tuple(design["fixed_effects"]) == ("unit", "group_year") or design["bootstrap_cluster"] == "group"
    if grouped:
        data["group"] = data["unit"].map(growth.drop_duplicates("unit").set_index("unit")["group"])
        data["group_year"] = data["group"] + ":" + data["year"].astype(str)
    if tuple(design["fixed_effects"]) == ("unit", "group_year"):
        coefs, info = _fit_group_year(matrix, data, spec, terms)
        effects = ["unit", "group_year"]
    else:
        coefs, info = fit_panel(matrix, spec)
        effects = [c for c, on in (("unit", spec.entity_effects), ("year", spec.time_effects)) if on]
    if bootstrap is None:
        boot = pd.DataFrame(columns=BOOT_COLUMNS)
    else:
        options = {k: bootstrap[k] for k in ("ci", "alpha") if k in bootstrap}
        boot = wild_cluster_bootstrap(data, dependent=spec.dependent, regressors=terms,
                                      cluster=design["bootstrap_cluster"], fixed_effects=effects,
                                      reps=bootstrap["reps"], weights=bootstrap["weights"], seed=bootstrap["seed"],
                                      **options)
    extra = {"standardized": bool(design["standardize"])}
    if grouped:
        extra |= {"groups": int(data["group"].nunique()), "group_years": int(data["group_year"].nunique())}
    return coefs, boot, notes | {"fit": info} | extra


def run_shock_models(growth: pd.DataFrame, exposures: pd.DataFrame, episodes: list[dict], settings: dict,
                     unit_label: str = "unit") -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """(coefficients ``COEF_COLUMNS`` + ``BOOT_EXTRA``, bootstrap table, notes by model) of every model in
    ``settings["models"]`` under ``settings["design"]``; models clustered by unit also get the wild
    cluster bootstrap of ``settings["bootstrap"]`` (a model with other errors does not: the bootstrap
    would repeat the clustered model's). ``growth``: unit, year, the dependents (and group);
    ``exposures``: unit, episode, variable, value; ``unit_label`` names the unit in the notes."""
    columns = COEF_COLUMNS + BOOT_EXTRA
    tables, boots, notes = [], [], {}
    for entry in settings["models"]:
        spec = parse_spec(entry)
        bootstrap = settings["bootstrap"] if spec.cov == "clustered" else None
        coefs, boot, note = fit_shock_exposure(growth, exposures, episodes, spec, settings["design"], bootstrap)
        tables.append(with_bootstrap_columns(coefs, boot)[columns])
        boots.append(boot.assign(model=spec.name))
        fit = note.pop("fit")
        bootstrap_note = dict(bootstrap) if bootstrap else f"none: cov {spec.cov} (the bootstrap clusters by {unit_label})"
        notes[spec.name] = note | fit | {"bootstrap": bootstrap_note}
    coefs = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(columns=columns)
    filled = [b for b in boots if len(b)]
    boot = pd.concat(filled, ignore_index=True) if filled else pd.DataFrame(columns=["model", *BOOT_COLUMNS])
    return coefs, boot[["model", *[c for c in boot.columns if c != "model"]]], notes


def with_bootstrap_columns(coefs: pd.DataFrame, boot: pd.DataFrame) -> pd.DataFrame:
    """``coefs`` with each term's bootstrap p-value, interval, clusters, draws, weights and seed
    (``BOOT_EXTRA``; empty for a term the bootstrap did not cover)."""
    renamed = boot.rename(columns={"ci_low": "boot_ci_low", "ci_high": "boot_ci_high", "clusters": "boot_clusters",
                                   "reps": "boot_reps", "weights": "boot_weights", "seed": "boot_seed"})
    numeric = {c: "float64" for c in BOOT_EXTRA if c != "boot_weights"}
    return coefs.merge(renamed[["term", *BOOT_EXTRA]].astype(numeric), on="term", how="left")


def _fit_group_year(design: pd.DataFrame, data: pd.DataFrame, spec, terms: list[str]) -> tuple[pd.DataFrame, dict]:
    """PanelOLS with unit and group x year effects; CR1 by unit with the K of ``wild_bootstrap.cr1_k``."""
    y = design[spec.dependent].astype("float64")
    x = design[terms].astype("float64")
    other = pd.DataFrame({"country_year": pd.Categorical(data["group_year"])}, index=design.index)
    model = PanelOLS(y, x, entity_effects=True, other_effects=other)
    result = model.fit(**CLUSTER_FLAGS)
    n, g = int(result.nobs), int(data["unit"].nunique())
    big_k = cr1_k(data, len(terms), ["unit", "group_year"], "unit")
    if n <= big_k or g < 2:
        raise InputError(f"design of model '{spec.name}'", f"{n} observations for K = {big_k}, {g} clusters",
                         expected="more observations than slopes plus effects, and at least 2 units")
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
