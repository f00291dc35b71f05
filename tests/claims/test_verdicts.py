"""The verdict rule on hand-made claims."""

import pytest

from resilience.claims.verdicts import CONTRADICTED, DIFFERS, NEEDS_LIVE, NOT_REGENERABLE, REPRODUCED, judge

SELECTOR = {"file": "t.csv", "where": {"k": "a"}, "column": "v"}


def number_claim(value=21.59, tolerance=0.05, **compare):
    return {
        "id": "share",
        "kind": "regenerable",
        "published": {"value": value, "unit": "%"},
        "selector": SELECTOR,
        "compare": {"type": "number", "tolerance": tolerance, **compare},
        "why_different": "another vintage",
    }


def test_number_within_tolerance_is_reproduced():
    v = judge(number_claim(), 21.62)
    assert v.verdict == REPRODUCED and v.difference == pytest.approx(0.03)


def test_number_outside_tolerance_differs_with_reason_and_numbers():
    v = judge(number_claim(), 21.70)
    assert v.verdict == DIFFERS
    assert v.difference == pytest.approx(0.11)
    assert "another vintage" in v.reason and "21.59" in v.reason and "21.70" in v.reason


def test_number_beyond_the_contradiction_bound_is_contradicted():
    assert judge(number_claim(contradicted_beyond=1.0), 23.0).verdict == CONTRADICTED
    assert judge(number_claim(contradicted_beyond=1.0), 22.0).verdict == DIFFERS


def test_scale_puts_the_regenerated_value_on_the_published_scale():
    v = judge(number_claim(value=58.77, tolerance=0.5, scale=100), 0.6103)
    assert v.regenerated == pytest.approx(61.03) and v.verdict == DIFFERS


def equal_claim(value):
    return {
        "id": "fact",
        "kind": "regenerable",
        "published": {"value": value},
        "selector": SELECTOR,
        "compare": {"type": "equal"},
    }


@pytest.mark.parametrize(
    "published, regenerated, verdict",
    [
        ("Mexico", "Mexico", REPRODUCED),
        ("Mexico", "China", CONTRADICTED),
        (True, "True", REPRODUCED),
        (True, False, CONTRADICTED),
        (2010, 2010.0, REPRODUCED),
        (2010, 2011, CONTRADICTED),
    ],
)
def test_equal(published, regenerated, verdict):
    assert judge(equal_claim(published), regenerated).verdict == verdict


def sign_claim():
    return {
        "id": "sign",
        "kind": "regenerable",
        "published": {"value": "positive"},
        "selector": SELECTOR,
        "compare": {"type": "sign", "p_column": "p", "alpha": 0.05},
    }


def test_sign():
    assert judge(sign_claim(), 1.2, 0.01).verdict == REPRODUCED
    assert judge(sign_claim(), -1.2, 0.01).verdict == CONTRADICTED
    v = judge(sign_claim(), 1.2, 0.30)
    assert v.verdict == DIFFERS
    assert v.reason == "positive as claimed but not significant at 0.05 (estimate 1.20, p = 0.300); see Findings"
    # an insignificant estimate of the other sign says so, and the p-value says which test it is
    boot = {**sign_claim(), "compare": {"type": "sign", "p_column": "p_boot", "alpha": 0.05}}
    v = judge(boot, -0.23, 0.488)
    assert v.verdict == DIFFERS
    assert v.reason == (
        "negative, not positive as claimed, but not significant at 0.05 (estimate -0.23, wild-bootstrap p = 0.488); "
        "see Findings"
    )


def test_claims_without_a_value_by_kind():
    documentary = {"id": "law", "kind": "documentary", "published": {"value": 60}, "citation": "EO 14005"}
    proprietary = {"id": "wind", "kind": "proprietary", "published": {"value": 14.49}, "source": "Wind"}
    live = {"id": "mrio", "kind": "live_source", "published": {"value": 0.136}, "live_source": "ADB MRIO"}
    assert judge(documentary).verdict == NOT_REGENERABLE and "EO 14005" in judge(documentary).reason
    assert judge(proprietary).verdict == NOT_REGENERABLE and "Wind" in judge(proprietary).reason
    assert judge(live).verdict == NEEDS_LIVE and "ADB MRIO" in judge(live).reason
    # a live-source claim with a selector: judged when the live data are there, else it waits for them
    live_with_cell = {**live, "selector": SELECTOR, "compare": {"type": "number", "tolerance": 0.001}}
    assert judge(live_with_cell, None).verdict == NEEDS_LIVE
    assert judge(live_with_cell, 0.1365).verdict == REPRODUCED
    # a documentary fact whose cited source says something else records it
    oil = {**documentary, "citation": "NBS 2017", "discrepancy": "mid-2017, not 2020"}
    assert (
        judge(oil).reason == "documentary fact: NBS 2017; the cited source differs from the paper: mid-2017, not 2020"
    )
    # a regenerable claim whose cell is empty on this run
    empty = judge(number_claim(), None)
    assert empty.verdict == NOT_REGENERABLE and "t.csv" in empty.reason


def test_a_small_estimate_keeps_its_sign_in_the_reason_and_the_table():
    from resilience.claims.section import _shown

    v = judge(sign_claim(), -0.004820088896, 0.99519952)
    assert v.verdict == DIFFERS and "estimate -0.0048, p = 0.995" in v.reason
    assert _shown(-0.004820088896) == "-0.0048"
    assert _shown(21.5920) == "21.59" and _shown(0.0) == "0.00"


def trend_claim():
    return {
        "id": "kept_rising",
        "kind": "regenerable",
        "published": {"value": True},
        "selector": SELECTOR,
        "compare": {"type": "trend", "steady_column": "rose_every_year"},
        "why_different": "higher in 2014-18 than in 2008-13, lower again in 2019",
    }


def test_trend():
    assert judge(trend_claim(), 2.5, True).verdict == REPRODUCED
    steady_not = judge(trend_claim(), 1.8964, False)
    assert steady_not.verdict == DIFFERS
    assert (
        steady_not.reason
        == "higher in 2014-18 than in 2008-13, lower again in 2019 (slope 1.90 a year, but not every year)"
    )
    assert judge(trend_claim(), 1.8964, None).verdict == DIFFERS
    assert judge(trend_claim(), -0.5, False).verdict == CONTRADICTED
    assert judge(trend_claim(), 0.0, True).verdict == CONTRADICTED


def test_one_sided_bound_nearly_thirty_percent():
    nearly = number_claim(value=30, tolerance=2, side="below")
    assert judge(nearly, 29.0).verdict == REPRODUCED
    assert judge(nearly, 30.0).verdict == REPRODUCED
    above = judge(nearly, 31.1188)
    assert above.verdict == DIFFERS and above.difference == pytest.approx(1.1188)
    assert above.reason.startswith("another vintage (published 30, regenerated 31.12")
    assert judge(nearly, 27.5).verdict == DIFFERS
    # two-sided by default: 31.12 is within 2 of 30
    assert judge(number_claim(value=30, tolerance=2), 31.1188).verdict == REPRODUCED
