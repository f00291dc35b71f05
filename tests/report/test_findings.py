"""The Findings section on small hand-made tables: every verdict branch, each caveat exactly when its
condition holds, and missing tables giving 'not testable' rather than an error. The tables go through
write_csv + read_csv, as in the pipeline, so the functions see the dtypes of a real run."""

import pandas as pd
import pytest

from resilience.io import read_csv, write_csv
from resilience.robustness import section
from resilience.report.findings import (FEW_CLUSTERS, HYPOTHESES, caveats, evidence, findings_section,
                                        findings_summary, verdict)

PANELS = {"p": {"label": "Panel P", "model": "m", "episodes": ["gfc"],
                "exposures": {"digital": "dz", "cluster": "lq"}}}
RES_DIGITAL = HYPOTHESES[0]
TERM = "contraction_gfc_x_dz"


def roundtrip(frame, tmp_path, name):
    path = tmp_path / f"{name}.csv"
    write_csv(frame, path)
    return read_csv(path)


def models(coef, ci_low, ci_high, p_boot, n_clusters=100, term=TERM):
    return pd.DataFrame([{"model": "m", "episode": None, "term": term, "coef": coef, "se": 1.0, "p": 0.5,
                          "ci_low": ci_low, "ci_high": ci_high, "p_boot": p_boot, "n_clusters": n_clusters}])


def size(coef_none, p_none, coef_size, p_size, term=TERM):
    return pd.DataFrame([{"episode": "gfc", "term": term, "coef_none": coef_none, "p_none": p_none,
                          "coef_size": coef_size, "p_size": p_size, "status": "estimated", "note": ""}])


def pretrends(p, exposure="all"):
    return pd.DataFrame([{"episode": "gfc", "exposure": exposure, "stat": 1.0, "df1": 3, "df2": 50, "p": p,
                          "status": "estimated", "note": ""}])


def placebo(n, p, exposure="dz"):
    return pd.DataFrame([{"episode": "gfc", "exposure": exposure, "n_placebo": n, "p_randomization": p,
                          "status": "estimated", "note": ""}])


def adjusted(p_rw, term=TERM):
    return pd.DataFrame([{"episode": "gfc", "term": term, "coef": 1.0, "p_boot": 0.01, "p_holm": p_rw,
                          "p_romano_wolf": p_rw, "reps": 999, "status": "estimated", "note": ""}])


def cell(tmp_path, **tables):
    tables = {name: roundtrip(t, tmp_path, name) for name, t in tables.items()}
    return evidence(tables, "m", RES_DIGITAL, "gfc", PANELS["p"]["exposures"])


@pytest.mark.parametrize("model_row, size_row, expected", [
    ((2.0, 0.5, 3.5, 0.01), (1.0, 0.01, 1.5, 0.02), "supported"),
    ((-2.0, -3.5, -0.5, 0.01), (-1.0, 0.01, -1.5, 0.02), "contradicted"),
    ((0.5, -1.0, 2.0, 0.40), (0.3, 0.50, 0.2, 0.60), "not supported"),
    # CR1 interval excludes zero, the bootstrap does not reject
    ((2.0, 0.5, 3.5, 0.20), (1.0, 0.01, 1.5, 0.02), "mixed"),
    # significant both ways, but size weighting flips the sign
    ((2.0, 0.5, 3.5, 0.01), (1.0, 0.01, -1.5, 0.02), "mixed"),
    # significant unweighted, not with size weights
    ((2.0, 0.5, 3.5, 0.01), (1.0, 0.01, 0.4, 0.30), "mixed"),
])
def test_verdict_branches(tmp_path, model_row, size_row, expected):
    ev = cell(tmp_path, models=models(*model_row), size_weighted=size(*size_row))
    assert verdict(ev) == expected


def test_verdict_without_size_weighting_uses_the_other_checks(tmp_path):
    assert verdict(cell(tmp_path, models=models(2.0, 0.5, 3.5, 0.01))) == "supported"


def test_no_estimate_is_not_testable(tmp_path):
    ev = cell(tmp_path, models=models(float("nan"), float("nan"), float("nan"), float("nan")))
    assert verdict(ev) == "not testable on the data at hand"
    assert caveats(ev, RES_DIGITAL) == []


def test_pretrend_caveat_exactly_when_rejected(tmp_path):
    base = models(2.0, 0.5, 3.5, 0.01)
    rejects = caveats(cell(tmp_path, models=base, pretrends=pretrends(0.01)), RES_DIGITAL)
    passes = caveats(cell(tmp_path, models=base, pretrends=pretrends(0.30)), RES_DIGITAL)
    assert any("pre-trend test rejects (p = 0.010)" in c for c in rejects)
    assert not any("pre-trend" in c for c in passes)


def test_exposure_pretrend_row_preferred_to_joint(tmp_path):
    both = pd.concat([pretrends(0.01, "all"), pretrends(0.40, "dz")])
    ev = cell(tmp_path, models=models(2.0, 0.5, 3.5, 0.01), pretrends=both)
    assert ev["pretrend_p"] == pytest.approx(0.40)


def test_placebo_caveats(tmp_path):
    base = models(2.0, 0.5, 3.5, 0.01)
    few = caveats(cell(tmp_path, models=base, placebo_summary=placebo(5, 1 / 6)), RES_DIGITAL)
    assert any("cannot reach 5% with 5 placebo dates" in c for c in few)
    many_pass = caveats(cell(tmp_path, models=base, placebo_summary=placebo(40, 0.02)), RES_DIGITAL)
    assert not any("placebo" in c for c in many_pass)
    many_fail = caveats(cell(tmp_path, models=base, placebo_summary=placebo(40, 0.30)), RES_DIGITAL)
    assert any("also turn up at placebo dates" in c for c in many_fail)


def test_placebo_does_not_apply_to_recovery(tmp_path):
    recovery = HYPOTHESES[2]
    tables = {"models": roundtrip(models(2.0, 0.5, 3.5, 0.01, term="recovery_gfc_x_dz"), tmp_path, "m"),
              "placebo_summary": roundtrip(placebo(5, 1 / 6), tmp_path, "pl")}
    ev = evidence(tables, "m", recovery, "gfc", PANELS["p"]["exposures"])
    assert not any("placebo" in c for c in caveats(ev, recovery))


def test_size_weighting_caveats(tmp_path):
    base = models(2.0, 0.5, 3.5, 0.01)
    flip = caveats(cell(tmp_path, models=base, size_weighted=size(1.0, 0.01, -1.5, 0.02)), RES_DIGITAL)
    assert any("flips the sign" in c for c in flip)
    change = caveats(cell(tmp_path, models=base, size_weighted=size(1.0, 0.01, 0.5, 0.30)), RES_DIGITAL)
    assert any("changes the significance" in c for c in change)
    same = caveats(cell(tmp_path, models=base, size_weighted=size(1.0, 0.01, 1.5, 0.02)), RES_DIGITAL)
    assert not any("size weighting" in c for c in same)
    # both insignificant: a sign change says nothing
    noise = caveats(cell(tmp_path, models=base, size_weighted=size(0.1, 0.60, -0.1, 0.70)), RES_DIGITAL)
    assert not any("size weighting" in c for c in noise)


def test_romano_wolf_caveat_only_for_a_term_significant_alone(tmp_path):
    fails = caveats(cell(tmp_path, models=models(2.0, 0.5, 3.5, 0.01), adjusted_p=adjusted(0.12)), RES_DIGITAL)
    assert any("Romano-Wolf" in c for c in fails)
    survives = caveats(cell(tmp_path, models=models(2.0, 0.5, 3.5, 0.01), adjusted_p=adjusted(0.03)), RES_DIGITAL)
    assert not any("Romano-Wolf" in c for c in survives)
    insignificant = models(0.5, -1.0, 2.0, 0.40).assign(p=0.40)
    assert not any("Romano-Wolf" in c
                   for c in caveats(cell(tmp_path, models=insignificant, adjusted_p=adjusted(0.90)), RES_DIGITAL))


def test_few_clusters_caveat(tmp_path):
    few = caveats(cell(tmp_path, models=models(2.0, 0.5, 3.5, 0.01, n_clusters=FEW_CLUSTERS - 1)), RES_DIGITAL)
    many = caveats(cell(tmp_path, models=models(2.0, 0.5, 3.5, 0.01, n_clusters=FEW_CLUSTERS)), RES_DIGITAL)
    assert any(f"only {FEW_CLUSTERS - 1} clusters" in c for c in few)
    assert not any("clusters" in c for c in many)


def test_missing_tables_give_not_testable(tmp_path):
    text = findings_section({"p": {name: None for name in ("models", "pretrends", "placebo_summary",
                                                             "size_weighted", "adjusted_p")}}, PANELS)
    assert text.startswith("## Findings")
    assert "**Resistance x digitalization**: not testable on the data at hand in every panel and episode" in text
    assert "**Adaptation x digitalization**: not testable on the data at hand in every panel and episode" in text
    # a panel with no tables at all
    assert "not testable" in findings_section({}, PANELS)


def test_section_numbers_come_from_the_tables(tmp_path):
    frames = {"models": roundtrip(models(2.345, 0.5, 3.5, 0.01), tmp_path, "m"), "pretrends": None,
              "placebo_summary": None, "size_weighted": None, "adjusted_p": None}
    text = findings_section({"p": frames}, PANELS)
    assert "Panel P, gfc: supported (2.35 [0.50, 3.50], bootstrap p 0.010)" in text
    # the cluster hypothesis has no row: not testable, not an error
    assert "**Resistance x clusters**: not testable on the data at hand" in text
    assert "| Resistance x digitalization | Panel P | gfc | 2.35 [0.50, 3.50] |" in text


def test_exposure_roles_from_the_comparison_terms_else_the_order():
    from resilience.panel_comparison import exposure_roles
    terms = {"digital": "contraction_covid_x_dfi", "cluster": "contraction_covid_x_sec_lq", "digital_x_cluster": None}
    assert exposure_roles(["sec_lq", "dfi"], terms) == {"digital": "dfi", "cluster": "sec_lq"}
    assert exposure_roles(["digital_z", "lq_manuf"]) == {"digital": "digital_z", "cluster": "lq_manuf"}


def test_table_without_analytic_interval_uses_its_p_and_shows_the_bootstrap_interval(tmp_path):
    rows = pd.DataFrame([{"model": "m", "term": TERM, "coef": 2.0, "se": 1.0, "p": 0.01, "p_boot": 0.02,
                          "ci_low_boot": 0.4, "ci_high_boot": 3.9, "n_clusters": 100}])
    ev = cell(tmp_path, models=rows)
    assert verdict(ev) == "supported"
    assert verdict(cell(tmp_path, models=rows.assign(p=0.20))) == "mixed"
    frames = {"models": roundtrip(rows, tmp_path, "m")}
    assert "2.00 bootstrap [0.40, 3.90]" in findings_section({"p": frames}, PANELS)


def test_bootstrap_cluster_caveat_and_missing_pretrend_reason(tmp_path):
    rows = models(2.0, 0.5, 3.5, 0.01, n_clusters=200).assign(boot_clusters=25)
    no_test = pd.DataFrame([{"episode": "gfc", "exposure": None, "stat": None, "df1": None, "df2": None, "p": None,
                             "status": "not estimable", "note": "too few years"}])
    found = caveats(cell(tmp_path, models=rows, pretrends=no_test), RES_DIGITAL)
    assert any("resamples only 25 clusters" in c for c in found)
    assert "no pre-trend test (too few years)" in found
    assert not any("resamples" in c for c in caveats(cell(tmp_path, models=rows.assign(boot_clusters=50)), RES_DIGITAL))


def test_mixed_sentence_names_the_disagreeing_checks(tmp_path):
    frames = {"models": roundtrip(models(2.0, 0.5, 3.5, 0.20), tmp_path, "m")}
    assert "mixed (2.00 [0.50, 3.50], bootstrap p 0.200) - significant: CR1 interval; not: bootstrap" in \
        findings_section({"p": frames}, PANELS)


def test_a_mixed_verdict_says_whether_weighting_or_the_robustness_model_makes_the_size_weighted_difference(tmp_path):
    significant = roundtrip(models(2.0, 0.5, 3.5, 0.01), tmp_path, "m")  # CR1 and bootstrap significant

    def mixed(size_row, name, headline=significant):
        text = findings_section({"p": {"models": headline,
                                       "size_weighted": roundtrip(size(*size_row), tmp_path, name)}}, PANELS)
        return text[text.index("mixed ("):].splitlines()[0].split("; caveats")[0].split(". ")[0].rstrip(".")

    # the unweighted twin is not significant either: the robustness model, not the weighting
    assert mixed((0.4, 0.30, 0.5, 0.40), "a") == (
        "mixed (2.00 [0.50, 3.50], bootstrap p 0.010) - significant: CR1 interval, bootstrap; not: size-weighted "
        "(the size-weighted model's unweighted twin is not significant either, p = 0.300: the robustness stage's own "
        "specification, not the weighting, makes the difference)")
    # the twin is significant with the headline's sign, the weighted estimate not: the weighting
    assert mixed((1.9, 0.01, 0.5, 0.40), "b").endswith(
        "not: size-weighted (its unweighted twin is significant, p = 0.010: the weighting makes the difference)")
    # the twin is significant with the other sign: neither explanation holds, nothing is said
    assert mixed((-1.9, 0.01, 0.5, 0.40), "c").endswith("- significant: CR1 interval, bootstrap; not: size-weighted")
    # headline not significant, weighted and unweighted significant with one sign: the model
    quiet = roundtrip(models(0.2, -0.5, 0.9, 0.60), tmp_path, "q")
    assert mixed((1.0, 0.01, 1.2, 0.02), "d", quiet).endswith(
        "not: CR1 interval, bootstrap (the size-weighted model's unweighted twin is significant too, p = 0.010: the "
        "robustness stage's own specification, not the weighting, makes the difference)")
    # the headline's own checks disagree: nothing to attribute
    split = roundtrip(models(2.0, 0.5, 3.5, 0.20), tmp_path, "e")
    assert mixed((0.4, 0.30, 0.5, 0.40), "f", split) == (
        "mixed (2.00 [0.50, 3.50], bootstrap p 0.200) - significant: CR1 interval; not: bootstrap, size-weighted")


ADAPT_DIGITAL, ADAPT_CLUSTER, ADAPT_INTERACTION = HYPOTHESES[6:9]
ADAPT_PANELS = {"p": {**PANELS["p"], "adaptation_measure": "hysteresis_k0", "income": "inc"}}


def adaptation_models(rows):
    """rows: (term, coef, ci_low, ci_high, p) of the hysteresis_k0 model, HC1."""
    return pd.DataFrame([{"episode": "gfc", "measure": "hysteresis_k0", "term": t, "role": "exposure", "coef": c,
                          "se": 1.0, "p": p, "ci_low": lo, "ci_high": hi, "nobs": 80, "n_clusters": None,
                          "cov_type": "HC1", "status": "estimated", "note": ""} for t, c, lo, hi, p in rows])


def adapt_cell(tmp_path, hypothesis, rows, measure="hysteresis_k0"):
    tables = {"adaptation_models": roundtrip(adaptation_models(rows), tmp_path, "am")}
    return evidence(tables, "m", hypothesis, "gfc", PANELS["p"]["exposures"], adaptation_measure=measure)


def test_adaptation_verdicts_read_the_headline_measure_model(tmp_path):
    rows = [("dz", 3.0, 1.0, 5.0, 0.004), ("lq", -2.0, -3.5, -0.5, 0.01), ("dz_x_lq", 0.4, -0.6, 1.4, 0.4)]
    assert verdict(adapt_cell(tmp_path, ADAPT_DIGITAL, rows)) == "supported"
    assert verdict(adapt_cell(tmp_path, ADAPT_CLUSTER, rows)) == "contradicted"
    interaction = adapt_cell(tmp_path, ADAPT_INTERACTION, rows)
    assert interaction["term"] == "dz_x_lq" and verdict(interaction) == "not supported"
    # another measure's model has no such row: not testable, the measure named
    other = adapt_cell(tmp_path, ADAPT_DIGITAL, rows, measure="share_change")
    assert verdict(other) == "not testable on the data at hand"


def test_adaptation_not_measurable_reason_reaches_the_sentence(tmp_path):
    missing = pd.DataFrame([{"episode": "gfc", "measure": "hysteresis_k0", "term": None, "coef": None,
                             "status": "not estimable", "note": "the measure is not measurable: no sector split"}])
    frames = {"adaptation_models": roundtrip(missing, tmp_path, "am")}
    text = findings_section({"p": frames}, ADAPT_PANELS)
    assert ("Panel P, gfc: not testable (no estimate of `dz` in the hysteresis_k0 model: the measure is not "
            "measurable: no sector split)") in text


def spec_summary(same, significant, term=TERM, phase="resistance"):
    return pd.DataFrame([{"panel": "p", "episode": "gfc", "phase": phase, "term": term, "n_specs": 600,
                          "headline_estimate": 2.0, "median_estimate": 1.5, "share_same_sign": same,
                          "share_significant_same_sign": significant, "share_significant": significant}])


def test_spec_curve_shares_enter_the_table_and_the_caveats(tmp_path):
    base = models(2.0, 0.5, 3.5, 0.01)
    robust = cell(tmp_path, models=base, spec_curve_summary=spec_summary(0.97, 0.81))
    assert robust["spec_n"] == 600 and robust["spec_same_sign"] == pytest.approx(0.97)
    assert not any("specifications" in c for c in caveats(robust, RES_DIGITAL))
    fragile = caveats(cell(tmp_path, models=base, spec_curve_summary=spec_summary(0.62, 0.10)), RES_DIGITAL)
    assert "only 62% of 600 specifications share the headline's sign" in fragile
    weak = caveats(cell(tmp_path, models=base, spec_curve_summary=spec_summary(0.95, 0.30)), RES_DIGITAL)
    assert "significant with that sign in only 30% of 600 specifications" in weak
    # the recovery term is not the resistance row
    recovery = evidence({"models": roundtrip(models(2.0, 0.5, 3.5, 0.01, term="recovery_gfc_x_dz"), tmp_path, "m"),
                         "spec_curve_summary": spec_summary(0.62, 0.1)}, "m", HYPOTHESES[2], "gfc",
                        PANELS["p"]["exposures"])
    assert recovery["spec_n"] != recovery["spec_n"]        # NaN: no recovery row in the summary
    frames = {"models": roundtrip(base, tmp_path, "m"), "spec_curve_summary": spec_summary(0.97, 0.81)}
    assert "| 97% / 81% of 600 |" in findings_section({"p": frames}, PANELS)


def test_a_curve_baseline_of_the_opposite_sign_is_a_caveat_beside_the_share(tmp_path):
    # the headline model gives +2.0; the curve's baseline gave -0.5 on another sample, and 47.5% of the
    # specifications share the headline model's sign: printed as the Robustness section prints it (48%)
    summary = spec_summary(0.475, 0.085).assign(baseline_estimate=-0.5, headline_n_obs=4999, baseline_n_obs=4686)
    found = caveats(cell(tmp_path, models=models(2.0, 0.5, 3.5, 0.01), spec_curve_summary=summary), RES_DIGITAL)
    assert ("the specification curve's own baseline specification gives -0.50 (4,686 obs.), the opposite sign of "
            "the headline's 2.00 (4,999 obs.)") in found
    assert "only 48% of 600 specifications share the headline's sign" in found
    assert section.share(0.475) == "48%"
    same_sign = caveats(cell(tmp_path, models=models(2.0, 0.5, 3.5, 0.01),
                             spec_curve_summary=summary.assign(baseline_estimate=0.5)), RES_DIGITAL)
    assert not any("baseline" in c for c in same_sign)


def test_findings_and_robustness_call_a_sign_stable_at_the_same_share(tmp_path):
    # 86% is below the one threshold: a caveat in Findings and "fragile" in Robustness, never one of each
    assert section.STABLE_SIGN_SHARE == 0.9
    below = caveats(cell(tmp_path, models=models(2.0, 0.5, 3.5, 0.01), spec_curve_summary=spec_summary(0.86, 0.6)),
                    RES_DIGITAL)
    assert "only 86% of 600 specifications share the headline's sign" in below
    assert "fragile" in section.spec_curve_sentence(spec_summary(0.86, 0.3).assign(n_not_estimable=0))
    above = caveats(cell(tmp_path, models=models(2.0, 0.5, 3.5, 0.01), spec_curve_summary=spec_summary(0.9, 0.6)),
                    RES_DIGITAL)
    assert not any("specifications" in c for c in above)
    assert "sign is stable" in section.spec_curve_sentence(spec_summary(0.9, 0.3).assign(n_not_estimable=0))


def test_income_collinearity_is_computed_and_flagged(tmp_path):
    # dz = 1, 2, 3, 4 and inc = 2, 4, 5, 9: Sxy = 11, Sxx = 5, Syy = 26, r = 11 / sqrt(130)
    exposures = pd.DataFrame({"unit": list("abcd") * 2, "episode": "gfc", "variable": ["dz"] * 4 + ["inc"] * 4,
                              "value": [1, 2, 3, 4, 2, 4, 5, 9]})
    tables = {"models": roundtrip(models(2.0, 0.5, 3.5, 0.01), tmp_path, "m"),
              "exposures": roundtrip(exposures, tmp_path, "x")}
    ev = evidence(tables, "m", RES_DIGITAL, "gfc", PANELS["p"]["exposures"], income="inc")
    assert ev["income_r"] == pytest.approx(11 / 130 ** 0.5) and ev["income_n"] == 4
    assert any("correlates 0.96 with log GDP per capita across 4 units" in c for c in caveats(ev, RES_DIGITAL))
    text = findings_section({"p": tables}, ADAPT_PANELS)
    assert "Panel P, gfc: r = 0.96 over 4 units (very high)" in text
    # the cluster hypothesis does not involve digitalization
    cluster = evidence(tables, "m", HYPOTHESES[1], "gfc", PANELS["p"]["exposures"], income="inc")
    assert cluster["income_n"] == 0


def test_size_lines_say_which_question_each_estimate_answers(tmp_path):
    frames = {"models": roundtrip(models(2.0, 0.5, 3.5, 0.01), tmp_path, "m"),
              "size_weighted": roundtrip(size(-9.3, 0.001, -0.2, 0.9), tmp_path, "s")}
    text = findings_section({"p": frames}, {"p": {**PANELS["p"], "unit_label": "economy", "size_series": "mva"}})
    assert "### Size weighting: which question each estimate answers" in text
    assert ("contraction x dz: -9.30 (p = 0.001) unweighted, -0.20 (p = 0.900) weighted by mva: significant at 5% for "
            "the typical economy only") in text
    assert "of 1 cells with a size-weighted estimate, 1 change sign or significance" in text


def test_summary_lists_every_hypothesis_with_its_verdicts(tmp_path):
    frames = {"models": roundtrip(models(-2.0, -3.5, -0.5, 0.01), tmp_path, "m")}
    text = findings_summary({"p": frames}, PANELS)
    assert text.startswith("# Findings in brief")
    assert "- **Resistance x digitalization**: Panel P gfc: contradicted (-2.00 [-3.50, -0.50])." in text
    assert "- **Adaptation x clusters**: Panel P gfc: not testable on the data at hand." in text
    assert text.count("\n- **") == len(HYPOTHESES)


def test_adaptation_cell_without_the_exposure_names_what_the_model_left_out(tmp_path):
    rows = adaptation_models([("lq", -1.3, -4.3, 1.6, 0.35)]).assign(note="left out for lack of data: dz", n_clusters=13,
                                                                     cov_type="CR1")
    frames = {"adaptation_models": roundtrip(rows, tmp_path, "am")}
    text = findings_section({"p": frames}, ADAPT_PANELS)
    assert "Panel P, gfc: not testable (no estimate of `dz` in the hysteresis_k0 model: left out for lack of data: dz)" in text
    assert "only 13 clusters (fewer than 42): the CR1 interval may be too narrow (no bootstrap for this estimate)" in text


def test_timing_placebo_as_large_as_the_real_estimate_is_a_caveat(tmp_path):
    timing = pd.DataFrame({"episode": "gfc", "exposure": "dz", "kind": ["real", "placebo"], "coef": [-1.24, -1.77],
                           "se": [0.5, 0.8], "p": [0.02, 0.03], "shock_year": [2009, 2012], "status": "estimated"})
    base = models(2.0, 0.5, 3.5, 0.01)
    found = caveats(cell(tmp_path, models=base, exposure_timing=timing), RES_DIGITAL)
    assert ("the exposure measured after the shock gives -1.77 on a fake shock in 2012, as large as -1.24 at the real "
            "one: possibly mean reversion") in found
    smaller = caveats(cell(tmp_path, models=base, exposure_timing=timing.assign(coef=[-1.24, -0.3])), RES_DIGITAL)
    assert not any("mean reversion" in c for c in smaller)


def test_caveat_lines_count_few_clusters_and_say_when_there_is_no_timing_table(tmp_path):
    frames = {"models": roundtrip(models(2.0, 0.5, 3.5, 0.01, n_clusters=13), tmp_path, "m")}
    text = findings_section({"p": frames}, PANELS)
    assert "- **Few clusters**: Panel P, gfc (Resistance x digitalization): 13 clusters (fewer than 42" in text
    assert "- **Exposure timing and mean reversion**: no exposure timing table." in text
    many = findings_section({"p": {"models": roundtrip(models(2.0, 0.5, 3.5, 0.01), tmp_path, "m")}}, PANELS)
    assert "- **Few clusters**: every estimate has at least 42 clusters." in many


def test_each_episode_is_judged_on_its_own_headline_model(tmp_path):
    # the panel-wide model m has nothing for covid; by_episode names model g (another exposure name too)
    rows = pd.DataFrame([{"model": "m", "term": TERM, "coef": 2.0, "se": 1.0, "p": 0.01, "ci_low": 0.5,
                          "ci_high": 3.5, "p_boot": 0.01, "n_clusters": 100},
                         {"model": "g", "term": "contraction_covid_x_lq2", "coef": 0.66, "se": 0.3, "p": 0.047,
                          "ci_low": 0.01, "ci_high": 1.31, "p_boot": 0.241, "n_clusters": 200, "boot_clusters": 23}])
    panels = {"p": {**PANELS["p"], "episodes": ["gfc", "covid"], "size_series": "emp",
                    "by_episode": {"covid": {"model": "g", "exposures": {"digital": "dz", "cluster": "lq2"},
                                             "size_series": "gdp"}}}}
    from resilience.report.findings import cells, for_episode
    assert for_episode(panels["p"], "gfc")["model"] == "m" and for_episode(panels["p"], "covid")["model"] == "g"
    assert for_episode(panels["p"], "covid")["size_series"] == "gdp" and for_episode(panels["p"], "gfc")["size_series"] == "emp"
    records = cells({"p": {"models": roundtrip(rows, tmp_path, "models")}}, panels, hypotheses=[HYPOTHESES[1]])
    by_episode = {r["episode"]: r for r in records}
    covid = by_episode["covid"]["evidence"]
    assert covid["term"] == "contraction_covid_x_lq2" and covid["coef"] == pytest.approx(0.66)
    assert covid["p_boot"] == pytest.approx(0.241) and covid["boot_clusters"] == 23
    # the CR1 interval excludes zero but the bootstrap does not reject: mixed, with the few-clusters caveat
    assert by_episode["covid"]["verdict"] == "mixed"
    assert any("23 clusters" in c for c in by_episode["covid"]["caveats"])
    # without by_episode the covid cell would look for model m and find nothing
    plain = cells({"p": {"models": roundtrip(rows, tmp_path, "models")}}, {"p": {**PANELS["p"], "episodes": ["covid"]}},
                  hypotheses=[HYPOTHESES[1]])
    assert plain[0]["verdict"] == "not testable on the data at hand"


def test_spec_curve_caveat_follows_the_printed_share():
    from resilience.report.findings_checks import spec_curve_caveats

    def cell(same, significant):
        return {"spec_n": 800.0, "spec_same_sign": same, "spec_significant_same_sign": significant}

    assert spec_curve_caveats(cell(0.895, 0.6), "supported") == []  # prints as 90%: not below the threshold
    assert spec_curve_caveats(cell(0.89375, 0.6), "supported") == ["only 89% of 800 specifications share the headline's sign"]
    assert spec_curve_caveats(cell(0.95, 0.49375), "supported") == [
        "significant with that sign in only 49% of 800 specifications"]
    assert spec_curve_caveats(cell(0.95, 0.49375), "not supported") == []


def test_few_clusters_line_names_panel_episode_and_cells():
    from types import SimpleNamespace

    from resilience.report.findings import FEW_CLUSTERS, clusters_line

    def record(label, episode, hypothesis, n):
        return {"label": label, "episode": episode, "hypothesis": SimpleNamespace(label=hypothesis),
                "evidence": {"n_clusters": n}}

    records = [record("EU regions", "gfc", "Adaptation x clusters", 13),
               record("EU regions", "gfc", "Adaptation x digitalization", 13),
               record("EU regions", "covid", "Adaptation x clusters", 23),
               record("EU regions", "gfc", "Resistance x clusters", 238)]
    line = clusters_line(records)
    assert line.startswith("- **Few clusters**: EU regions, covid (Adaptation x clusters): 23 clusters; "
                           "EU regions, gfc (Adaptation x clusters, Adaptation x digitalization): 13 clusters "
                           f"(fewer than {FEW_CLUSTERS}:")
    assert clusters_line(records[-1:]) == f"- **Few clusters**: every estimate has at least {FEW_CLUSTERS} clusters."
