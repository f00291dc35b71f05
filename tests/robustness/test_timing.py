import numpy as np
import pandas as pd
import pytest

from resilience.robustness.timing import exposure_timing, fake_episode, timing_placebo, timing_sentences
from tests.robustness.dgp import COVID, GFC, simulate


def test_exposure_timing_flags_an_exposure_measured_after_its_designed_year():
    exposures = pd.DataFrame(
        {
            "unit": ["a", "b", "a", "b"],
            "episode": "gfc",
            "variable": ["lq", "lq", "dz", "dz"],
            "value": [1.0, 2.0, 0.1, 0.2],
            "year_used": [2008, 2007, 2007, 2006],
        }
    )
    out = exposure_timing(exposures, [GFC], max_back=2).set_index("exposure")
    assert out.loc["dz", "exposure_year"] == 2007 and bool(out.loc["dz", "strictly_before"])
    assert out.loc["lq", "exposure_year"] == 2008 and not bool(out.loc["lq", "strictly_before"])
    assert out.loc["lq", "note"] == (
        "no unit has it in 2005-2007: the panel's data start later, so the nearest-year rule took 2008"
    )
    assert (out["contraction_start"] == 2008).all() and (out["designed_year"] == 2007).all()
    text = timing_sentences(out.reset_index(), "Panel")
    assert text == [
        "Panel, gfc: lq measured in 2008, after the designed pre-shock year 2007 and in the contraction's "
        "first year 2008 (no unit has it in 2005-2007: the panel's data start later, so the nearest-year "
        "rule took 2008)"
    ]


def test_exposure_timing_without_year_used_says_so():
    exposures = pd.DataFrame({"unit": ["a"], "episode": "covid", "variable": ["dfi"], "value": [1.0]})
    out = exposure_timing(exposures, [COVID], max_back=2)
    assert out["status"].tolist() == ["not recorded"]
    assert timing_sentences(out, "Provinces") == [
        "Provinces, covid: no exposure's measurement year is recorded (dfi), so their timing is not checked"]


def test_timing_sentence_names_the_exposures_it_could_not_check():
    exposures = pd.DataFrame({"unit": ["a", "b", "a"], "episode": "gfc", "variable": ["lq", "lq", "dz"],
                              "value": [1.0, 2.0, 0.5], "year_used": [2007, 2006, None]})
    table = exposure_timing(exposures, [GFC], max_back=2)
    assert timing_sentences(table, "Panel") == [
        "Panel, gfc: every exposure with a recorded year measured by 2007, not after the designed pre-shock year "
        "2007; no year recorded for dz"]


def _panel(seed, real_effect, noise=1.0):
    """Growth 2001-2015 with a planted effect of the (pre-shock) exposure in 2009 only; an unrelated
    exposure 'measured in 2011' for the placebo."""
    growth, exposures, x = simulate(
        300, range(2001, 2016), seed, lambda t: real_effect if t == 2009 else 0.0, noise=noise
    )
    exposures = exposures.assign(year_used=2007)
    rng = np.random.default_rng(seed + 1)
    fake = fake_episode(GFC, 2013)
    late = exposures.assign(episode=fake["name"], value=rng.normal(size=len(exposures)), year_used=2012)
    return growth, exposures, late


def test_timing_placebo_recovers_the_real_effect_and_finds_none_at_the_fake_date():
    growth, exposures, late = _panel(7, real_effect=2.0)
    out = timing_placebo(
        growth, exposures, late, GFC, [GFC], 2013, outcome="growth", exposure_vars=["digital"], standardize=False
    ).set_index("kind")
    assert out.loc["real", "coef"] == pytest.approx(2.0, abs=0.3) and out.loc["real", "p"] < 0.001
    assert abs(out.loc["placebo", "coef"]) < 0.3 and out.loc["placebo", "p"] > 0.05
    assert out.loc["placebo", "shock_year"] == 2013 and out.loc["placebo", "exposure_year"] == 2012
    assert out.loc["real", "shock_year"] == 2009 and out.loc["real", "exposure_year"] == 2007
    text = timing_sentences(out.reset_index(), "Panel")
    assert text[0].endswith("no such estimate without a shock: mean reversion does not explain the real one")


def test_timing_placebo_refuses_a_fake_date_inside_an_episode():
    growth, exposures, late = _panel(3, real_effect=0.0)
    with pytest.raises(ValueError, match="inside a real episode"):
        timing_placebo(growth, exposures, late, GFC, [GFC], 2010, outcome="growth", exposure_vars=["digital"])


def test_timing_sentence_reads_a_placebo_as_large_as_the_real_estimate():
    table = pd.DataFrame(
        {
            "episode": "gfc",
            "exposure": "lq",
            "kind": ["real", "placebo"],
            "exposure_year": [2008, 2011],
            "shock_year": [2009, 2012],
            "coef": [-1.24, -1.77],
            "se": [0.52, 0.79],
            "p": [0.03, 0.04],
            "status": "estimated",
            "note": "",
        }
    )
    text = timing_sentences(table, "EU")
    assert text == [
        "EU, gfc, lq measured in 2011 on a fake shock in 2012: -1.77 (se 0.79, p 0.040) against -1.24 "
        "(se 0.52) at the real shock; as large without a shock: the real estimate may be mean reversion, "
        "not resilience"
    ]
    smaller = timing_sentences(table.assign(coef=[-1.24, -0.9]), "EU")[0]
    assert smaller.endswith("smaller but significant without a shock: part of the real estimate may be mean reversion")
