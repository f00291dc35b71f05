import numpy as np
import pandas as pd
import pytest
from scipy import stats

from resilience.robustness._inputs import episode, span_years
from resilience.robustness.placebo import feasible_offsets, placebo_shocks, summarize
from tests.robustness.dgp import COVID, GFC, simulate

YEARS = range(2000, 2021)


def test_feasible_fake_dates_avoid_every_real_episode():
    spans = span_years(episode(GFC)) | span_years(episode(COVID))   # {2009, 2010, 2011, 2020, 2021, 2022}
    clean = set(YEARS) - spans
    # The fake span (2009+k .. 2011+k) must miss both real spans, and 2009+k must be a clean data year.
    assert feasible_offsets(episode(GFC), spans, clean) == [-9, -8, -7, -6, -5, -4, -3, 3, 4, 5, 6, 7, 8]


def test_effect_only_at_the_real_date_gives_the_smallest_p():
    growth, exposures, _ = simulate(60, YEARS, seed=21, effect=lambda t: -4.0 * (t == 2009))
    table, summary = placebo_shocks(growth, exposures, GFC, [GFC, COVID], outcome="growth",
                                    exposure_vars=["digital"])
    assert summary.loc[0, "n_placebo"] == 13 and summary.loc[0, "n_at_least_as_large"] == 0
    assert summary.loc[0, "p_randomization"] == pytest.approx(1 / 14)
    real = table[~table["placebo"]].iloc[0]
    assert real["shock_year"] == 2009 and real["coef"] < -3
    # The real regression: 17 clean years + its 1 phase year; a placebo: the 17 clean years.
    assert real["nobs"] == 60 * 18 and set(table.loc[table["placebo"], "nobs"]) == {60 * 17}


def test_placebo_p_value_is_not_below_its_level_too_often_without_an_effect():
    level, n_sims, hits = 0.10, 200, 0
    for seed in range(n_sims):
        growth, exposures, _ = simulate(30, YEARS, seed=500 + seed)
        _, summary = placebo_shocks(growth, exposures, GFC, [GFC, COVID], outcome="growth",
                                    exposure_vars=["digital"])
        hits += summary.loc[0, "p_randomization"] <= level
    # With 13 placebos p <= 0.10 only at p = 1/14: its null probability is 1/14 (< level).
    assert hits <= stats.binom(n_sims, level).isf(0.001)
    assert stats.binom(n_sims, 1 / 14).ppf(0.001) <= hits <= stats.binom(n_sims, 1 / 14).isf(0.001)


def test_summary_counts_ties_and_uses_the_plus_one_correction():
    table = pd.DataFrame({"episode": "e", "exposure": "x", "placebo": [False, True, True, True, True],
                          "coef": [2.0, -2.0, 1.0, 3.0, 0.5]})
    row = summarize(table).iloc[0]
    assert row["n_at_least_as_large"] == 2 and row["p_randomization"] == pytest.approx(3 / 5)
    assert row["placebo_mean"] == pytest.approx(0.625)
    assert row["placebo_sd"] == pytest.approx(np.std([-2.0, 1.0, 3.0, 0.5], ddof=1))
