"""The section "Is the answer robust?": each sentence is chosen by a rule from the numbers."""

from __future__ import annotations

import pandas as pd

from resilience.robustness import section
from resilience.robustness.stage import TABLES, missing_row


def pretrends(p: float) -> pd.DataFrame:
    return pd.DataFrame([{"episode": "gfc", "exposure": "all", "stat": 2.0, "df1": 8, "df2": 198, "p": p,
                          "test": "Wald", "status": "estimated", "note": None}])


def placebo(p: float, n: int) -> pd.DataFrame:
    return pd.DataFrame([{"episode": "gfc", "exposure": "digital_z", "coef": -5.0, "n_placebo": n,
                          "n_at_least_as_large": 0, "p_randomization": p, "placebo_mean": 0.1, "placebo_sd": 1.0,
                          "status": "estimated", "note": None}])


def sized(coef_none, p_none, coef_size, p_size) -> pd.DataFrame:
    return pd.DataFrame([{"episode": "gfc", "term": "contraction_gfc_x_digital_z", "coef_none": coef_none,
                          "p_none": p_none, "coef_size": coef_size, "p_size": p_size, "size_series": "mva_kd",
                          "status": "estimated", "note": None}])


def adjusted(p_boot, p_holm, p_rw) -> pd.DataFrame:
    terms = [f"contraction_gfc_x_{v}" for v in ("a", "b")]
    return pd.DataFrame({"episode": "gfc", "term": terms, "coef": [1.0, 2.0], "t": [3.0, 1.0], "p_boot": p_boot,
                         "p_holm": p_holm, "p_romano_wolf": p_rw, "reps": 999, "fixed_effects": "unit+year",
                         "cluster": "unit", "status": "estimated", "note": None})


def test_pretrend_sentence_flips_at_five_percent():
    assert "rejects at 5%" in section.pretrend_sentence(pretrends(0.049))
    assert "does not support parallel pre-trends" in section.pretrend_sentence(pretrends(0.049))
    assert "does not reject at 5%" in section.pretrend_sentence(pretrends(0.051))
    assert "p = 0.049" in section.pretrend_sentence(pretrends(0.049))


def test_placebo_sentence_follows_the_p_value_and_the_number_of_dates():
    assert "unusual among dates without a shock" in section.placebo_sentence(placebo(0.04, 24))
    assert "also turn up at dates without a shock" in section.placebo_sentence(placebo(0.06, 24))
    assert "cannot reject at 5%" in section.placebo_sentence(placebo(0.2, 4))
    assert "no placebo date fits" in section.placebo_sentence(placebo(1.0, 0))


def test_size_sentence_names_both_questions_and_picks_the_verdict():
    both = section.size_sentence(sized(-5.7, 0.001, -7.1, 0.01), {"unit_label": "economy", "size_series": "mva_kd"})
    assert "typical economy" in both and "where output is" in both and "both ways" in both
    assert "sign flips" in section.size_sentence(sized(-2.2, 0.005, 0.37, 0.8), {"size_series": "mva_kd"})
    assert "sign flips" not in section.size_sentence(sized(-0.2, 0.84, 0.05, 0.96), {"size_series": "mva_kd"})
    assert "typical unit only" in section.size_sentence(sized(-2.2, 0.005, -0.3, 0.8), {"size_series": "mva_kd"})
    assert "only with size weights" in section.size_sentence(sized(-0.2, 0.5, -1.3, 0.01), {"size_series": "s"})
    missing = missing_row("size_weighted", "gfc", "the panel has no size measure")
    assert "not available (the panel has no size measure)" in section.size_sentence(missing, {})


def test_adjusted_sentence_counts_survivors():
    text = section.adjusted_sentence(adjusted([0.01, 0.04], [0.02, 0.04], [0.02, 0.06]))
    assert "Of the 2 shock terms, 2 are significant at 5% alone" in text
    assert "1 after Romano-Wolf and 2 after Holm: some survive" in text


def test_section_is_built_from_the_tables_with_not_estimable_episodes():
    tables = {name: missing_row(name, "covid", "no unit has any of the exposures") for name in TABLES}
    tables = {**tables, "pretrends": pd.concat([pretrends(0.01), tables["pretrends"]], ignore_index=True)}
    text = section.robustness_section({"eu": tables}, {"eu": {"label": "EU regions", "headline_model": "m",
                                                              "unit_label": "region", "size_series": None}})
    assert text.startswith("## Is the answer robust?")
    assert "#### gfc" in text and "#### covid" in text
    assert "Pre-trend test: not available (no unit has any of the exposures)" in text
    assert "figures/eu_event_study_covid.png" in text


def _curve_summary(shares):
    return pd.DataFrame([{"panel": "p", "episode": "gfc", "phase": "resistance", "term": "contraction_gfc_x_digital_z",
                          "n_specs": 600, "headline_estimate": -5.69, "median_estimate": -2.9,
                          "share_same_sign": same, "share_significant_same_sign": sig_same,
                          "share_significant": sig, "n_not_estimable": 0} for same, sig_same, sig in shares])


def test_spec_curve_sentence_picks_the_verdict_from_the_shares():
    robust = section.spec_curve_sentence(_curve_summary([(0.9, 0.6, 0.62)]))
    assert "headline -5.69, median -2.90 over 600 specifications; 90% share the headline's sign" in robust
    assert "60% are significant at 5% with it (62% significant either way): robust to the choices" in robust
    assert "sign is stable but significance" in section.spec_curve_sentence(_curve_summary([(0.92, 0.3, 0.3)]))
    assert "fragile" in section.spec_curve_sentence(_curve_summary([(0.86, 0.3, 0.3)]))
    unheaded = section.spec_curve_sentence(_curve_summary([(float("nan"),) * 3]).assign(headline_estimate=float("nan")))
    assert "no headline estimate to count its sign against" in unheaded and "fragile" not in unheaded
    assert "fragile" in section.spec_curve_sentence(_curve_summary([(0.6, 0.3, 0.35)]))
    assert "no specification is estimable" in section.spec_curve_sentence(_curve_summary([(0.6, 0.3, 0.35)]).assign(
        n_specs=0))


def test_shares_round_halves_up_in_one_formatter():
    # 0.475 is 47.5%: the binary float sits just below, and the two sections used to print 47% and 48%
    assert section.share(0.475) == "48%" and section.share(0.085) == "9%" and section.share(0.52) == "52%"
    assert section.share(1.0) == "100%" and section.share(float("nan")) == "n/a"


def _versus_headline(baseline, headline, baseline_obs=4686, headline_obs=4999, missing="recovery_gfc_x_a_x_b"):
    return pd.DataFrame([{"episode": "gfc", "phase": "recovery", "term": "recovery_gfc_x_b", "n_specs": 8,
                          "headline_estimate": headline, "baseline_estimate": baseline,
                          "headline_n_obs": headline_obs, "baseline_n_obs": baseline_obs,
                          "headline_n_clusters": 182, "baseline_n_clusters": 168,
                          "terms_not_in_baseline": missing}])


def test_baseline_sentence_names_the_sample_and_terms_that_differ():
    text = section.baseline_sentence(_versus_headline(-0.118, 0.0129))
    assert text == ("The curve's baseline specification differs from the headline model: 4,686 observations against "
                    "the headline model's 4,999 observations; 168 clusters against 182; without the headline model's "
                    "recovery x a x b.")
    same = _versus_headline(0.2, 0.1, 4999, 4999, "").assign(baseline_n_clusters=182)
    assert section.baseline_sentence(same) == ("The curve's baseline specification has the headline model's sample "
                                               "(4,999 observations, 182 clusters) and shock terms.")


def test_opposite_sign_sentence_gives_both_numbers_only_when_the_signs_differ():
    assert section.opposite_sign_sentences(_versus_headline(-0.118, 0.0129)) == [
        "recovery x b (recovery): the curve's own baseline specification gives -0.12, the opposite sign of the "
        "headline model's 0.01."]
    assert section.opposite_sign_sentences(_versus_headline(0.118, 0.0129)) == []


def test_collinearity_sentence_reports_the_computed_correlation():
    rows = pd.DataFrame([{"episode": "gfc", "exposure": "digital_z", "control": "log_gdppc", "correlation": 0.8869,
                          "n_units": 197}])
    text = section.collinearity_sentence(rows)
    assert "digital_z correlates 0.89 with log_gdppc across the 197 units with both, strongly collinear" in text
    assert "weakly collinear." in section.collinearity_sentence(rows.assign(correlation=-0.2))
    assert section.collinearity_sentence(rows.iloc[:0]) == ""


def test_section_adds_the_curve_lines_and_figure_for_panels_with_a_curve():
    tables = {name: missing_row(name, "gfc", "no unit has any of the exposures") for name in TABLES}
    tables["spec_curve_summary"] = _curve_summary([(0.9, 0.6, 0.62)])
    tables["spec_curve_collinearity"] = pd.DataFrame(
        [{"episode": "gfc", "exposure": "digital_z", "control": "log_gdppc", "correlation": 0.5, "n_units": 40}]
    )
    info = {"eu": {"label": "EU regions", "headline_model": "m", "unit_label": "region", "size_series": None}}
    text = section.robustness_section({"eu": tables}, info)
    assert "A specification curve re-estimates it" in text and "at least 50% are significant" in text
    assert "- Specification curve - contraction x digital_z (resistance): headline -5.69" in text
    assert "- Income collinearity: digital_z correlates 0.50 with log_gdppc across the 40 units" in text
    assert "moderately collinear" in text
    assert "![Specification curve, EU regions, gfc](figures/eu_spec_curve_gfc.png)" in text


def test_numbers_keep_the_sign_of_a_small_estimate():
    assert section.num(-0.0037) == "-0.0037" and section.num(0.0) == "0.00"
    assert section.num(-9.333) == "-9.33" and section.num(float("nan")) == "n/a"


def test_p_values_read_as_equal_or_below():
    assert section.p_is(0.0004) == "p < 0.001" and section.p_is(0.0123) == "p = 0.012"
    assert section.p_is(float("nan")) == "p = n/a"


def test_a_tiny_estimate_keeps_fixed_decimals():
    assert section.num(-1.2e-5) == "-0.000012" and section.num(0.00456) == "0.0046"


def test_a_share_is_judged_as_printed_so_a_printed_90_percent_is_never_below_90():
    from resilience.robustness.section import STABLE_SIGN_SHARE, share, share_reaches

    assert STABLE_SIGN_SHARE == 0.9
    assert share(0.895) == "90%" and share_reaches(0.895, STABLE_SIGN_SHARE)  # 716 of 800
    assert share(0.89375) == "89%" and not share_reaches(0.89375, STABLE_SIGN_SHARE)  # 715 of 800
    assert not share_reaches(float("nan"), STABLE_SIGN_SHARE)
