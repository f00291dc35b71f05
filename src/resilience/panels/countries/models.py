"""The country panel's shock x exposure models in the stage every panel runs (rule panel_models).

Each model of kind ``panel`` in ``models:`` goes through the shared shock x exposure model
(``models.shock_exposure.fit_shock_exposure``) under ``panels.countries.design`` (economy and year
effects, exposures standardised within episode over the estimation sample), with the model's
``cov``: CR1 by economy with t(G-1), or Driscoll-Kraay. Models clustered by economy also get the restricted wild cluster
bootstrap by economy (``panels.countries.bootstrap``); a model with other errors does not, because the
bootstrap clusters by economy and would repeat the clustered model's.

The other model kinds (cross-section, the pooled composite) are the country panel's own exercises
(rule ``model``).
"""

from __future__ import annotations

import pandas as pd

from resilience.models.coefs import COEF_COLUMNS
from resilience.models.shock_exposure import BOOT_EXTRA, run_shock_models

COUNTRY_COEF_COLUMNS = COEF_COLUMNS + BOOT_EXTRA


def run_models(growth: pd.DataFrame, exposures: pd.DataFrame, episodes: list[dict],
               settings: dict) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """(coefficients ``COUNTRY_COEF_COLUMNS``, bootstrap table, notes by model) of every model in
    ``settings["models"]`` (``CountriesPanel.settings``). ``growth``: iso3, year, g_*;
    ``exposures``: iso3, episode, variable, value."""
    return run_shock_models(growth.rename(columns={"iso3": "unit"}), exposures.rename(columns={"iso3": "unit"}),
                            episodes, settings, unit_label="economy")
