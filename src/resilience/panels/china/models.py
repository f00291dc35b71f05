"""Models of the Chinese provinces panel: the shock x pre-shock exposure panel (the model every
panel shares, ``models.shock_exposure.fit_shock_exposure``) and the composite-index regression, each with the wild
cluster bootstrap by province; ``run_models`` runs every configured model and says why one is skipped.

Apart from ``resilience.panels.china.measures`` (sources, panel, measures) so that the jobs building the panel
and the measures do not import the estimators (linearmodels, pyhdfe).
"""

from __future__ import annotations

import pandas as pd

from resilience.errors import ConfigError
from resilience.models.design import plain_design
from resilience.models.panel import fit_panel
from resilience.models.spec import parse_spec
from resilience.models.wild_bootstrap import BOOT_COLUMNS, design_frame, wild_cluster_bootstrap
from resilience.panels.china.measures import DESIGN, MODEL_COLUMNS
from resilience.models.shock_exposure import fit_shock_exposure


def run_models(growth: pd.DataFrame, exposures: pd.DataFrame, composite: pd.DataFrame, block: dict):
    """(coefficient table with bootstrap p-values, bootstrap table, notes per model); a model whose
    data are missing is skipped with the reason in its notes."""
    tables, boots, notes = [], [], {}
    for entry in block["models"]:
        missing = _missing(growth, entry["dependent"]) or _missing_exposures(exposures, entry)
        if missing:
            notes[entry["name"]] = {"skipped": missing}
            continue
        table, boot, note = run_shock_model(growth, exposures, block["episode"], entry, block["bootstrap"],
                                            block.get("design", DESIGN))
        tables.append(table), boots.append(boot)
        notes[entry["name"]] = note
    entry = block["composite"]["model"]
    missing = "no composite indices (a component is unavailable)" if composite.dropna().empty else ""
    if missing:
        notes[entry["name"]] = {"skipped": missing}
    else:
        table, boot, note = run_plain_model(composite, entry, block["bootstrap"])
        tables.append(table), boots.append(boot)
        notes[entry["name"]] = note
    coefs = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(columns=MODEL_COLUMNS)
    boot = pd.concat(boots, ignore_index=True) if boots else pd.DataFrame(columns=["model", *BOOT_COLUMNS])
    return coefs, boot, notes


def _missing(growth: pd.DataFrame, column: str) -> str:
    if column not in growth.columns or growth[column].notna().sum() == 0:
        return f"no data for the dependent {column}"
    return ""


def _missing_exposures(exposures: pd.DataFrame, entry: dict) -> str:
    wanted = list(entry.get("exposures", [])) + list(entry.get("controls", []))
    absent = [v for v in wanted if v not in set(exposures["variable"])]
    return f"no pre-shock values of {absent}" if absent else ""


def run_shock_model(growth: pd.DataFrame, exposures: pd.DataFrame, episode: dict, entry: dict,
                    bootstrap: dict, design: dict = DESIGN) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Two-way FE shock x pre-shock exposure model + WCR bootstrap per term: the shared shock x exposure model
    (``models.shock_exposure.fit_shock_exposure``) under ``design`` (config ``panels.china.design``:
    province and year effects, bootstrap by province, exposures standardised within episode over the
    estimation sample, i.e. ``standardize_exposures`` as the country panel, so coefficients read as
    percentage points of growth per standard deviation). Returns (model table, bootstrap table, notes).
    """
    spec = parse_spec(entry)
    _check_clustered(spec)
    coefs, boot, notes = fit_shock_exposure(growth, exposures, [episode], spec, design, bootstrap)
    info = notes.pop("fit")
    return _model_table(coefs, boot, spec, notes | info, bootstrap)


def run_plain_model(frame: pd.DataFrame, entry: dict, bootstrap: dict) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Panel of plain regressors (the composite-index regression) + WCR bootstrap per term."""
    spec = parse_spec(entry)
    design, notes = plain_design(frame, spec)
    return _fit_with_bootstrap(design, spec, bootstrap, notes)


def _fit_with_bootstrap(design: pd.DataFrame, spec, bootstrap: dict, notes: dict):
    _check_clustered(spec)
    coefs, info = fit_panel(design, spec)
    long = design_frame(design, spec.dependent)
    effects = [c for c, on in (("unit", spec.entity_effects), ("year", spec.time_effects)) if on]
    regressors = [c for c in design.columns if c != spec.dependent]
    boot = wild_cluster_bootstrap(long, dependent=spec.dependent, regressors=regressors, cluster="unit",
                                  fixed_effects=effects, reps=bootstrap["reps"], weights=bootstrap["weights"],
                                  seed=bootstrap["seed"], alpha=bootstrap["alpha"])
    return _model_table(coefs, boot, spec, notes | info, bootstrap)


def _check_clustered(spec) -> None:
    if spec.cov != "clustered":
        raise ConfigError(f"panels.china model '{spec.name}': cov must be 'clustered' (the bootstrap "
                          f"clusters by province), got {spec.cov!r}")


def _model_table(coefs: pd.DataFrame, boot: pd.DataFrame, spec, notes: dict, bootstrap: dict):
    """The province table (MODEL_COLUMNS) from the coefficients and the bootstrap table of one model."""
    boot = boot.copy()
    boot.insert(0, "model", spec.name)
    extra = boot[["term", "p_boot", "ci_low", "ci_high", "reps", "weights", "seed"]].rename(
        columns={"ci_low": "ci_low_boot", "ci_high": "ci_high_boot"})
    merged = coefs.merge(extra, on="term", how="left")
    merged = merged.assign(units=notes["units"], years=f"{notes['years'][0]}-{notes['years'][1]}")
    table = merged[MODEL_COLUMNS]
    return table, boot, notes | {"bootstrap": dict(bootstrap)}
