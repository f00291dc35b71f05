"""The vocabulary of derived variables the country pipeline produces, with their meaning.

Model specifications in config may name only these (plus the configured growth series), so a
typo fails at config validation, before any job runs.
"""

from __future__ import annotations

EXPOSURES = {
    "digital_z": "Digitalization before the shock: mean of z-scores of the available ICT indicators",
    "digital_pca": "Digitalization before the shock: first principal component of the ICT indicators",
    "digital_entropy": "Digitalization before the shock: entropy-weight composite of the ICT indicators",
    "lq_manuf": "Manufacturing location quotient before the shock (share of value added relative to the world)",
    "sector_hhi": "Herfindahl index of value-added shares across 7 AMA activities before the shock",
    "sector_entropy": "Shannon entropy of value-added shares across 7 AMA activities before the shock",
    "log_gdppc": "Log GDP per capita (constant 2015 US$) before the shock",
    "trade_open": "Trade (% of GDP) before the shock",
}

EPISODE_OUTCOMES = {
    "resistance_pp": "Martin resistance, difference to the benchmark change in percentage points",
    "resistance_ratio": "Martin resistance, (g_i - g_ref) / |g_ref|",
    "recovery_pp": "Martin recovery, difference to the benchmark change in percentage points",
    "recovery_ratio": "Martin recovery, (g_i - g_ref) / |g_ref|",
    "cum_loss": "Cumulative output loss against the pre-shock trend (% of trend output, summed over years)",
    "years_below_peak": "Years below the pre-shock peak after the contraction start (censored if not regained)",
}

PANEL_VARIABLES = {
    "resilience_index": "Entropy-weight composite of the configured resilience components (pooled over economy-years)",
    "digital_index": "Entropy-weight composite of ICT indicators (pooled over economy-years)",
    "lq_manuf": "Manufacturing location quotient in the year",
    "manuf_share": "Manufacturing share of value added (current US$), %",
    "sector_entropy": "Shannon entropy of value-added shares across 7 AMA activities in the year",
}


def panel_model_variables(growth_names) -> set[str]:
    """Names a `panel` model may use: growth outcomes and pre-shock exposures."""
    return set(growth_names) | set(EXPOSURES)


def cross_section_variables() -> set[str]:
    return set(EPISODE_OUTCOMES) | set(EXPOSURES)


def panel_plain_variables(growth_names) -> set[str]:
    return set(growth_names) | set(PANEL_VARIABLES)
