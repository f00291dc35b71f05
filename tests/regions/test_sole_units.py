"""A region that is its country's only region is its own benchmark: found once, left out of the EU models."""

from __future__ import annotations

import numpy as np
import pandas as pd

from resilience.measures.regional import sole_units
from resilience.panels.eu.models import cross_sections, fit_panel_model

GFC = {"name": "gfc", "contraction": [2008, 2009], "recovery": [2009, 2011], "exposure_year": 2007}
BOOT = {"reps": 99, "weights": "webb", "seed": 1}
DESIGN = {"fixed_effects": ["unit", "group_year"], "bootstrap_cluster": "group", "standardize": False}
MODEL = {"name": "m", "dependent": "g", "exposures": ["lq"], "phases": ["contraction", "recovery"]}


def test_sole_units_are_the_units_alone_in_their_group():
    frame = pd.DataFrame(
        {"unit": ["AT11", "AT12", "LU00", "LU00", "MT00", "AT11"], "group": ["AT", "AT", "LU", "LU", "MT", "AT"]}
    )
    assert sole_units(frame) == ["LU00", "MT00"]
    assert sole_units(frame[frame["group"] == "AT"]) == []


def panel(seed: int = 4):
    """Three countries of four regions and LU00 alone; growth = 2 x lq in the contraction + noise."""
    rng = np.random.default_rng(seed)
    units = [(f"{c}{i}", c) for c in ("AT", "BE", "DE") for i in range(1, 5)] + [("LU00", "LU")]
    lq = {u: rng.uniform(0.5, 1.5) for u, _ in units}
    rows = [
        {
            "unit": u,
            "country": c,
            "year": t,
            "g": (2.0 * lq[u] if t == 2009 else 0.0) + rng.normal(0, 0.3) + (5.0 if c == "LU" else 0.0),
        }
        for u, c in units
        for t in range(2003, 2014)
    ]
    exposures = pd.DataFrame({"unit": list(lq), "episode": "gfc", "variable": "lq", "value": list(lq.values())})
    return pd.DataFrame(rows), exposures


def test_the_panel_model_drops_a_country_s_only_region_and_says_so():
    growth, exposures = panel()
    table, _, notes = fit_panel_model(growth, exposures, [GFC], MODEL, BOOT, DESIGN)
    without, _, _ = fit_panel_model(growth[growth["unit"] != "LU00"], exposures, [GFC], MODEL, BOOT, DESIGN)
    assert notes["sole_units_dropped"] == ["LU00"]
    row = table.set_index("term").loc["contraction_gfc_x_lq"]
    assert (row["nobs"], row["n_clusters"], row["boot_clusters"]) == (12 * 11, 12, 3)  # LU00's 11 rows are gone
    # the country x year effects absorb LU00 entirely: the estimate is the one without it
    pd.testing.assert_frame_equal(table, without)
    # a design without country x year effects keeps every region
    kept, _, kept_notes = fit_panel_model(
        growth, exposures, [GFC], MODEL, BOOT, {**DESIGN, "fixed_effects": ["unit", "year"]}
    )
    assert (
        "sole_units_dropped" not in kept_notes and kept.set_index("term").loc["contraction_gfc_x_lq", "nobs"] == 13 * 11
    )


def test_the_cross_sections_leave_out_a_country_s_only_region():
    units = ["AT11", "AT12", "AT13", "BE21", "BE22", "BE23", "LU00"]
    martin = pd.DataFrame(
        {
            "outcome": "gva",
            "unit": units,
            "country": [u[:2] for u in units],
            "episode": "gfc",
            "phase": "resistance",
            "index_pp": [1.0, 2.0, 4.0, -1.0, 0.5, 2.0, 0.0],
        }
    )
    exposures = pd.DataFrame(
        {"unit": units, "episode": "gfc", "variable": "lq", "value": [1.0, 1.5, 2.0, 0.5, 1.0, 1.5, 1.0]}
    )
    table, notes = cross_sections(
        martin, exposures, {"name": "cs", "dependents": ["resistance_pp"], "regressors": ["lq"]}
    )
    assert notes[0]["sole_units_dropped"] == ["LU00"] and notes[0]["nobs"] == 6
    # within-country OLS slope by hand: AT x (1, 1.5, 2) y (1, 2, 4), BE x (0.5, 1, 1.5) y (-1, 0.5, 2);
    # demeaned sum(x y) = 1.5 + 1.5 = 3, sum(x^2) = 0.5 + 0.5 = 1 -> slope 3
    assert abs(table.iloc[0]["coef"] - 3.0) < 1e-12
    assert table.iloc[0]["countries"] == 2
