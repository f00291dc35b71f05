import numpy as np
import pandas as pd
import pytest

from resilience.models.wild_bootstrap import bootstrap_t_draws, wild_cluster_bootstrap
from resilience.robustness.multiple_testing import adjusted_pvalues, holm, romano_wolf
from resilience.robustness.size_weighting import shock_panel
from tests.robustness.dgp import GFC, simulate


def test_holm_hand_computed():
    p = pd.Series({"a": 0.01, "b": 0.04, "c": 0.03, "d": 0.005})
    # sorted d, a, c, b: 4*0.005=0.02, 3*0.01=0.03, 2*0.03=0.06, 1*0.04=0.04 -> running max 0.06
    assert holm(p).to_dict() == pytest.approx({"a": 0.03, "b": 0.06, "c": 0.06, "d": 0.02})
    assert holm(pd.Series({"a": 0.5, "b": 0.6})).to_dict() == pytest.approx({"a": 1.0, "b": 1.0})


# Five joint draws of three t statistics; observed |t|: a 3, b 2, c 1 (stepdown order a, b, c).
DRAWS = pd.DataFrame({"a": [0.5, -3.5, 0.2, 1.0, 0.1],
                      "b": [2.5, 0.1, 0.3, 1.0, 0.2],
                      "c": [0.2, 0.3, 0.5, 0.9, -2.2]})
T_OBS = pd.Series({"a": 3.0, "b": -2.0, "c": 1.0})


def test_romano_wolf_hand_computed():
    # step a: max|a,b,c| = 2.5 3.5 0.5 1.0 2.2 >= 3 -> 1/5; step b: max|b,c| = 2.5 0.3 0.5 1.0 2.2 >= 2 -> 2/5;
    # step c: |c| >= 1 -> 1/5, raised to 2/5 by monotonicity.
    assert romano_wolf(T_OBS, DRAWS).to_dict() == pytest.approx({"a": 0.2, "b": 0.4, "c": 0.4})
    raw = {k: float(np.mean(np.abs(DRAWS[k]) >= abs(T_OBS[k]))) for k in T_OBS.index}
    assert raw == pytest.approx({"a": 0.2, "b": 0.2, "c": 0.2})


def _design(seed):
    growth, exposures, _ = simulate(24, range(2004, 2014), seed=seed, effect=lambda t: -1.5 * (t == 2009),
                                    exposures=("digital", "cluster", "open"))
    return shock_panel(growth, exposures, GFC, outcome="growth", exposure_vars=["digital", "cluster", "open"])


def test_romano_wolf_from_the_wild_bootstrap_is_conservative_and_monotone():
    data, terms = _design(31)
    out = adjusted_pvalues(data, dependent="growth", regressors=terms, cluster="unit",
                           fixed_effects=["unit", "year"], reps=999, seed=7).set_index("term")
    assert (out["p_romano_wolf"] >= out["p_boot"] - 1e-12).all()
    assert (out["p_holm"] >= out["p_boot"] - 1e-12).all()
    ordered = out.loc[out["t"].abs().sort_values(ascending=False).index, "p_romano_wolf"]
    assert ordered.is_monotonic_increasing
    assert out.loc["contraction_gfc_x_digital", "p_romano_wolf"] < 0.05   # the planted effect survives


def test_bootstrap_draws_reproduce_the_single_term_bootstrap():
    data, terms = _design(32)
    observed, draws = bootstrap_t_draws(data, dependent="growth", regressors=terms, cluster="unit",
                                        fixed_effects=["unit", "year"], reps=499, seed=3)
    single = wild_cluster_bootstrap(data, dependent="growth", regressors=terms, cluster="unit",
                                    fixed_effects=["unit", "year"], reps=499, seed=3, ci=False).set_index("term")
    assert draws.shape == (499, len(terms))
    assert np.allclose(observed.to_numpy(), single.loc[terms, "t"], rtol=1e-10)
    p = [np.mean(np.abs(draws[t]) >= abs(observed[t]) * (1 - 1e-12)) for t in terms]
    assert np.allclose(p, single.loc[terms, "p_boot"])
