"""Risk as a continuous shock: the model glue recovers a known data-generating process."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from resilience.context.risk.model import model_spec, risk_frame, run_risk_models, term_names
from resilience.models.coefs import COEF_COLUMNS

SETTINGS = {"dependent": "g_mva", "exposure_episode": "gfc", "exposures": ["digital_z", "lq_manuf"],
            "interact_exposures": True, "controls": ["log_gdppc"], "years": [2008, 2020], "min_obs": 2,
            "variants": [{"name": "risk_wui", "index": "wui", "label": "WUI"},
                         {"name": "risk_gpr", "index": "gpr", "label": "GPR"}]}
TRUE = {"risk_z": 1.5, "risk_z_x_digital_z": -0.8, "risk_z_x_lq_manuf": 0.5, "risk_z_x_digital_z_x_lq_manuf": 0.3,
        "risk_z_x_log_gdppc": 0.2}


def synthetic(n_units: int = 80, seed: int = 7):
    """Growth = unit effect + year effect + TRUE . (risk z x exposure z) + small noise, with z-scores
    computed here over the estimation sample (years 2008-2020), independently of the code under test."""
    rng = np.random.default_rng(seed)
    units = [f"U{i:02d}" for i in range(n_units)]
    years = np.arange(2000, 2025)
    exposures = pd.DataFrame([(u, ep, v, rng.normal(3 if v == "log_gdppc" else 0, 2 if ep == "gfc" else 9))
                              for u in units for ep in ("gfc", "covid")
                              for v in ("digital_z", "lq_manuf", "log_gdppc", "trade_open")],
                             columns=["iso3", "episode", "variable", "value"])
    risk = pd.DataFrame([("wui", u, y, np.exp(rng.normal(-1, 0.5)), 4) for u in units for y in years],
                        columns=["index", "iso3", "year", "value", "n_obs"])
    sample = risk[risk["year"].between(2008, 2020)].copy()
    r_z = (sample["value"] - sample["value"].mean()) / sample["value"].std(ddof=1)
    gfc = exposures[exposures["episode"] == "gfc"].pivot(index="iso3", columns="variable", values="value")
    z = (gfc - gfc.mean()) / gfc.std(ddof=1)
    zs = {v: sample["iso3"].map(z[v]).to_numpy() for v in z.columns}
    unit_effect = dict(zip(units, rng.normal(0, 3, n_units)))
    year_effect = dict(zip(years, rng.normal(0, 2, len(years))))
    y = (sample["iso3"].map(unit_effect) + sample["year"].map(year_effect)
         + TRUE["risk_z"] * r_z + TRUE["risk_z_x_digital_z"] * r_z * zs["digital_z"]
         + TRUE["risk_z_x_lq_manuf"] * r_z * zs["lq_manuf"]
         + TRUE["risk_z_x_digital_z_x_lq_manuf"] * r_z * zs["digital_z"] * zs["lq_manuf"]
         + TRUE["risk_z_x_log_gdppc"] * r_z * zs["log_gdppc"] + rng.normal(0, 0.05, len(sample)))
    growth = pd.DataFrame({"iso3": risk["iso3"], "year": risk["year"], "g_mva": 99.0})  # outside years: junk
    growth.loc[sample.index, "g_mva"] = y.to_numpy()
    return growth, risk, exposures


def test_term_names_and_spec():
    assert term_names(["a", "b"], ["c"], True) == ["risk_z", "risk_z_x_a", "risk_z_x_b", "risk_z_x_a_x_b",
                                                   "risk_z_x_c"]
    assert term_names(["a"], [], False) == ["risk_z", "risk_z_x_a"]
    spec = model_spec(SETTINGS["variants"][0], SETTINGS)
    assert (spec["kind"], spec["cov"], spec["effects"]) == ("panel_plain", "clustered", ["entity", "time"])


def test_known_process_is_recovered_with_two_way_effects_and_clusters():
    growth, risk, exposures = synthetic()
    coefs, notes = run_risk_models(growth, risk, exposures, SETTINGS)
    assert list(coefs.columns) == COEF_COLUMNS
    wui = coefs[coefs["model"] == "risk_wui"].set_index("term")
    for term, value in TRUE.items():
        assert wui.at[term, "coef"] == pytest.approx(value, abs=0.02), term
    note = notes["risk_wui"]
    assert note["status"] == "estimated" and note["nobs"] == 80 * 13 and note["n_entities"] == 80
    assert (note["first_year"], note["last_year"]) == (2008, 2020)
    assert (wui["n_clusters"] == 80).all() and (wui["entity_effects"] & wui["time_effects"]).all()
    assert note["cov_type"] == "clustered (entity)"
    # the other variant's index has no data: no coefficients, and the notes say why
    assert notes["risk_gpr"]["status"] == "not estimated" and "gpr index" in notes["risk_gpr"]["reason"]
    assert set(coefs["model"]) == {"risk_wui"}


def test_standardization_uses_the_estimation_sample_and_the_configured_episode():
    growth, risk, exposures = synthetic(n_units=10)
    growth.loc[(growth["iso3"] == "U00") & (growth["year"] > 2008), "g_mva"] = np.nan  # one year left: dropped
    frame, notes = risk_frame(growth, risk, exposures, SETTINGS["variants"][0], SETTINGS)
    assert "U00" not in set(frame["iso3"]) and frame["year"].between(2008, 2020).all()
    kept = risk[risk["iso3"].isin(frame["iso3"].unique()) & risk["year"].between(2008, 2020)]["value"]
    assert notes["standardization"]["risk"]["mean"] == pytest.approx(kept.mean())
    assert frame["risk_z"].mean() == pytest.approx(0, abs=1e-12) and frame["risk_z"].std() == pytest.approx(1)
    gfc = exposures[(exposures["episode"] == "gfc") & (exposures["variable"] == "digital_z")
                    & exposures["iso3"].isin(frame["iso3"].unique())]["value"]
    assert notes["standardization"]["digital_z"]["sd"] == pytest.approx(gfc.std(ddof=1))


def test_missing_exposure_drops_the_economy():
    growth, risk, exposures = synthetic(n_units=10)
    exposures = exposures[~((exposures["iso3"] == "U03") & (exposures["variable"] == "lq_manuf"))]
    frame, _ = risk_frame(growth, risk, exposures, SETTINGS["variants"][0], SETTINGS)
    assert "U03" not in set(frame["iso3"]) and frame["iso3"].nunique() == 9
