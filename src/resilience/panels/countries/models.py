"""The country panel's shock x exposure models in the stage every panel runs (rule panel_models).

Each model of kind ``panel`` in ``models:`` goes through the shared shock x exposure model
(``models.shock_exposure.fit_shock_exposure``) under ``panels.countries.design`` (economy and year
effects, exposures standardised within episode over the estimation sample), with the model's
``cov``: CR1 by economy with t(G-1), or Driscoll-Kraay. Models clustered by economy also get the restricted wild cluster
bootstrap by economy (``panels.countries.bootstrap``); a model with other errors does not, because the
bootstrap clusters by economy and would repeat the clustered model's.

The other model kinds (cross-section, the pooled composite) are the country panel's own exercises
(rule ``model``): ``own_model`` hands their tables to ``resilience.model_runs``.
"""

from __future__ import annotations

import pandas as pd

from resilience import model_runs
from resilience.models.coefs import COEF_COLUMNS
from resilience.models.shock_exposure import BOOT_EXTRA, run_shock_models
from resilience.panels.countries.units import to_core

COUNTRY_COEF_COLUMNS = COEF_COLUMNS + BOOT_EXTRA


def run_models(growth: pd.DataFrame, exposures: pd.DataFrame, episodes: list[dict],
               settings: dict) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """(coefficients ``COUNTRY_COEF_COLUMNS``, bootstrap table, notes by model) of every model in
    ``settings["models"]`` (``CountriesPanel.settings``). ``growth``: iso3, year, g_*;
    ``exposures``: iso3, episode, variable, value."""
    return run_shock_models(to_core(growth), to_core(exposures), episodes, settings, unit_label="economy")


def own_model(entry: dict, episodes: list[dict], martin: pd.DataFrame | None = None, loss: pd.DataFrame | None = None,
              exposures: pd.DataFrame | None = None, composite: pd.DataFrame | None = None) -> tuple[pd.DataFrame, dict]:
    """(coefficients, notes) of one cross-section (from the martin, loss and exposures tables) or pooled
    composite (from the composite panel) model of the country tables, whose economies are ``iso3``."""
    if entry["kind"] == "cross_section":
        return model_runs.run_cross_section(to_core(martin), to_core(loss), to_core(exposures), episodes, entry)
    return model_runs.run_plain(to_core(composite), entry)
