"""From measure tables to a fitted model: assemble each model kind's data and call `resilience.models`.

Exposures are standardized within episode before they enter a model, so every interaction
coefficient reads as "percentage points of the dependent per standard deviation of the pre-shock
exposure". For panel models the mean and standard deviation are those of the units the model
can use for that episode (the dependent observed, every exposure and control of the episode
present), so "one standard deviation" refers to the estimation sample.
"""

from __future__ import annotations

import pandas as pd

from resilience.errors import ConfigError
from resilience.models.cross_section import fit_cross_section
from resilience.models.design import plain_design
from resilience.models.panel import fit_panel
from resilience.models.spec import parse_spec

def standardize_exposures(exposures: pd.DataFrame, reference: pd.DataFrame | None = None) -> pd.DataFrame:
    """z = (x - mean) / sd (ddof=1) within episode x variable.

    Mean and sd come from the rows of ``reference`` (default: ``exposures`` itself), a frame with
    the same columns, e.g. the exposures of the estimation sample only.
    """
    reference = exposures if reference is None else reference
    stats = reference.groupby(["episode", "variable"])["value"].agg(["mean", "std"])
    keyed = exposures.join(stats, on=["episode", "variable"])
    return exposures.assign(value=(keyed["value"] - keyed["mean"]) / keyed["std"])


def estimation_sample_exposures(growth: pd.DataFrame, exposures: pd.DataFrame, spec) -> pd.DataFrame:
    """Exposure rows of the units a panel model can use per episode (complete and with outcome)."""
    variables = list(spec.exposures + spec.controls)
    with_outcome = set(growth.loc[growth[spec.dependent].notna(), "unit"])
    rows = exposures[exposures["variable"].isin(variables) & exposures["unit"].isin(with_outcome)]
    wide = rows.pivot_table(index=["episode", "unit"], columns="variable", values="value", aggfunc="first")
    complete = wide.reindex(columns=variables).dropna().index
    return rows.set_index(["episode", "unit"]).loc[lambda r: r.index.isin(complete)].reset_index()


def episode_outcomes(martin: pd.DataFrame, loss: pd.DataFrame) -> pd.DataFrame:
    """One row per unit x episode: resistance_/recovery_ pp and ratio, cum_loss, years_below_peak.

    Every outcome column exists even when all its values are missing (a model then says it has no
    observations for that outcome, rather than failing on a missing column).
    """
    parts = {}
    for phase in ("resistance", "recovery"):
        rows = martin[martin["phase"] == phase].set_index(["unit", "episode"])
        parts[f"{phase}_pp"] = rows["index_pp"]
        parts[f"{phase}_ratio"] = rows["index_ratio"]
    wide = pd.DataFrame(parts)
    extra = loss.set_index(["unit", "episode"])[["cumulative_loss", "years_below_peak"]]
    extra = extra.rename(columns={"cumulative_loss": "cum_loss"}).astype("float64")
    return wide.join(extra, how="outer").reset_index()


def run_cross_section(martin, loss, exposures, episodes: list[dict], entry: dict):
    spec = parse_spec(entry)
    outcomes = episode_outcomes(martin, loss)
    z = standardize_exposures(exposures).pivot_table(index=["unit", "episode"], columns="variable",
                                                    values="value", aggfunc="first").reset_index()
    data = outcomes.merge(z, on=["unit", "episode"], how="inner")
    names = [e["name"] for e in episodes if spec.episodes is None or e["name"] in spec.episodes]
    if not names:
        raise ConfigError(f"model '{spec.name}': none of its episodes {list(spec.episodes)} is configured")
    tables, notes = [], {}
    for name in names:
        frame = data[data["episode"] == name].set_index("unit")
        table = fit_cross_section(frame, spec, name)
        tables.append(table)
        # Each outcome uses the units with it and every regressor (complete case).
        per_outcome = table.groupby("model")["nobs"].first()
        notes[f"nobs_{name}"] = {model.split(":", 1)[1]: int(n) for model, n in per_outcome.items()}
    return pd.concat(tables, ignore_index=True), notes


def run_plain(composite: pd.DataFrame, entry: dict):
    spec = parse_spec(entry)
    design, notes = plain_design(composite, spec)
    coefs, info = fit_panel(design, spec)
    return coefs, notes | info
