"""The country panel's shock x exposure models in the stage every panel runs (rule panel_models).

Each model of kind ``panel`` in ``models:`` goes through the shared shock x exposure model
(``models.shock_exposure.fit_shock_exposure``) under ``panels.countries.design`` (economy and year
effects, exposures standardised within episode over the estimation sample): the same estimator,
errors (the model's ``cov``: CR1 by economy with t(G-1), or Driscoll-Kraay) and coefficients as
``model_runs.run_panel``. Models clustered by economy also get the restricted wild cluster
bootstrap by economy (``panels.countries.bootstrap``); a model with other errors does not, because the
bootstrap clusters by economy and would repeat the clustered model's.

The other model kinds (cross-section, the pooled composite) are the country panel's own exercises
(rule ``model``).
"""

from __future__ import annotations

import pandas as pd

from resilience.models.coefs import COEF_COLUMNS
from resilience.models.spec import parse_spec
from resilience.models.wild_bootstrap import BOOT_COLUMNS
from resilience.models.shock_exposure import BOOT_EXTRA, fit_shock_exposure, with_bootstrap_columns

COUNTRY_COEF_COLUMNS = COEF_COLUMNS + BOOT_EXTRA


def run_models(growth: pd.DataFrame, exposures: pd.DataFrame, episodes: list[dict],
               settings: dict) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """(coefficients ``COUNTRY_COEF_COLUMNS``, bootstrap table, notes by model) of every model in
    ``settings["models"]`` (``CountriesPanel.settings``). ``growth``: iso3, year, g_*;
    ``exposures``: iso3, episode, variable, value."""
    frame = growth.rename(columns={"iso3": "unit"})
    expo = exposures.rename(columns={"iso3": "unit"})
    tables, boots, notes = [], [], {}
    for entry in settings["models"]:
        spec = parse_spec(entry)
        bootstrap = settings["bootstrap"] if spec.cov == "clustered" else None
        coefs, boot, note = fit_shock_exposure(frame, expo, episodes, spec, settings["design"], bootstrap)
        tables.append(with_bootstrap_columns(coefs, boot)[COUNTRY_COEF_COLUMNS])
        boots.append(boot.assign(model=spec.name))
        fit = note.pop("fit")
        bootstrap_note = dict(bootstrap) if bootstrap else f"none: cov {spec.cov} (the bootstrap clusters by economy)"
        notes[spec.name] = note | fit | {"bootstrap": bootstrap_note}
    coefs = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(columns=COUNTRY_COEF_COLUMNS)
    boot = pd.concat([b for b in boots if len(b)], ignore_index=True) if any(len(b) for b in boots) else \
        pd.DataFrame(columns=["model", *BOOT_COLUMNS])
    return coefs, boot[["model", *[c for c in boot.columns if c != "model"]]], notes
