"""The complex-risk report section from hand-made results tables."""

from __future__ import annotations

import math

import pandas as pd

from resilience.context.risk.section import complex_risk_section

SETTINGS = {"start": 1997, "model": {"dependent": "g_mva", "exposure_episode": "gfc",
                                     "exposures": ["digital_z", "lq_manuf"], "interact_exposures": True,
                                     "controls": ["log_gdppc"],
                                     "variants": [{"name": "risk_wui", "index": "wui", "label": "WUI"},
                                                  {"name": "risk_gpr", "index": "gpr", "label": "GPR"}]}}
SOURCES = pd.DataFrame([
    {"dataset": "gpr_monthly", "status": "ok", "file": "data_gpr_export.xls", "vintage": "through 2026-04",
     "sha256": "ab", "n_series": 8, "n_countries": 44, "first_obs": "1900-01-01", "last_obs": "2026-04-01",
     "message": math.nan},
    {"dataset": "epu_us", "status": "ok", "file": "US_Policy_Uncertainty_Data.xlsx", "vintage": math.nan,
     "sha256": "cd", "n_series": 1, "n_countries": 1, "first_obs": "1900-01-01", "last_obs": "2025-10-01",
     "message": math.nan},
    {"dataset": "epu_china", "status": "unavailable", "file": math.nan, "vintage": math.nan, "sha256": math.nan,
     "n_series": 0, "n_countries": 0, "first_obs": math.nan, "last_obs": math.nan,
     "message": "epu/SCMP.xlsx is not in the mirror"}])
MEANS = pd.DataFrame([
    ("gpr", "GPR", "before 2008", 1997, 2007, "1997-01", "2007-12", 132, 107.33),
    ("gpr", "GPR", "2020-latest", 2020, 2026, "2020-01", "2026-04", 76, 124.55),
    ("gepu", "Global EPU", "before 2008", 1997, 2007, "1997-01", "2007-12", 132, 82.81),
    ("gepu", "Global EPU", "2020-latest", 2020, 2023, math.nan, math.nan, 0, math.nan),
    ("cn", "China EPU", "before 2008", 1997, 1997, math.nan, math.nan, 0, math.nan),
    ("cn", "China EPU", "2020-latest", 1997, 1997, math.nan, math.nan, 0, math.nan)],
    columns=["key", "label", "period", "first_year", "last_year", "first_obs", "last_obs", "n_obs", "mean"])
PEAKS = pd.DataFrame([("before 2008", "GPRD", "2001-09-25", 1045.63)], columns=["period", "series", "day", "value"])
COEFS = pd.DataFrame([{"model": "risk_wui", "term": "risk_z", "coef": 0.1225, "se": 0.2104, "p": 0.5615},
                      {"model": "risk_wui", "term": "risk_z_x_lq_manuf", "coef": -0.02, "se": 0.29, "p": 0.94}])
NOTES = {"risk_wui": {"status": "estimated", "nobs": 2092, "n_entities": 131, "first_year": 2008, "last_year": 2023},
         "risk_gpr": {"status": "not estimated", "reason": "no estimation sample: 0 unit-years"}}


def section() -> str:
    return complex_risk_section(SOURCES, MEANS, PEAKS, COEFS, "| table |\n", NOTES, SETTINGS)


def test_heading_sources_and_figure():
    text = section()
    assert text.startswith("## Complex risk") and text.endswith("\n")
    assert ("- `data_gpr_export.xls` (gpr_monthly): 1900-01-01 to 2026-04-01, 44 countries; "
            "vintage: through 2026-04.") in text
    assert "1 country;" in text and "vintage: not stated" in text
    assert "- epu_china: unavailable (epu/SCMP.xlsx is not in the mirror)" in text
    assert "![Global geopolitical risk and policy uncertainty, 1997" in text
    assert "(figures/complex_risk_global.png)" in text


def test_period_means_table_and_sentences():
    text = section()
    assert "| series | before 2008 | 2020-latest | observations |" in text
    assert "| GPR | 107.3 (132) | 124.5 (76) | 1997-01 to 2026-04 |" in text
    assert "| Global EPU | 82.8 (132) | n/a | 1997-01 to 2007-12 |" in text
    assert "The mean of the global GPR went from 107.3 (before 2008) to 124.5 (2020-latest, through 2026-04)." in text
    assert "global EPU went" not in text  # only one period with data: no change sentence
    assert "| China EPU | n/a | n/a | none |" in text
    assert "before 2008: 2001-09-25 (1045.6)" in text


def test_model_lines_read_from_notes_and_coefficients():
    text = section()
    assert ("- `risk_wui` (wui index): N = 2092 economy-years, 131 economies, 2008-2023; one standard deviation of "
            "risk goes with 0.12 pp of growth at mean exposures (s.e. 0.21, p = 0.56).") in text
    assert "- `risk_gpr` (gpr): not estimated; no estimation sample: 0 unit-years." in text
    assert "| table |" in text
    assert "`digital_z`, `lq_manuf`; and their product; controls interacted: `log_gdppc`" in text


def test_no_coefficients_no_table():
    text = complex_risk_section(SOURCES, MEANS.iloc[0:0], PEAKS.iloc[0:0], COEFS.iloc[0:0], "| table |\n",
                                {"risk_wui": NOTES["risk_gpr"], "risk_gpr": NOTES["risk_gpr"]}, SETTINGS)
    assert "| table |" not in text and "No period means" in text and "Highest daily" not in text
