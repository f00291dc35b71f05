"""Cluster and specialisation measures on hand-computed cases."""
import math

import numpy as np
import pandas as pd
import pytest

from resilience.measures import clusters

# Employment of three regions in three sectors. Sums: s1 = 60, s2 = 60, s3 = 180, total 300.
E = pd.DataFrame({"s1": [30.0, 10.0, 20.0], "s2": [10.0, 40.0, 10.0], "s3": [60.0, 50.0, 70.0]},
                 index=["R1", "R2", "R3"])


def test_lq_matrix_hand_computed():
    lq = clusters.lq_matrix(E)
    # R1: s1 share 30/100 over reference 60/300 -> 1.5; R2 s2: 40/100 over 60/300 -> 2.0
    assert lq.loc["R1", "s1"] == pytest.approx(1.5)
    assert lq.loc["R2", "s2"] == pytest.approx(2.0)
    assert lq.loc["R3", "s3"] == pytest.approx((70 / 100) / (180 / 300))


def test_lq_with_external_totals_and_missing_cell():
    values = E.copy()
    values.loc["R3", "s1"] = np.nan
    lq = clusters.lq_matrix(values, totals=pd.Series({"R1": 200.0, "R2": 100.0, "R3": 100.0}))
    # s1 reference over R1, R2 only: (30 + 10) / (200 + 100)
    assert lq.loc["R1", "s1"] == pytest.approx((30 / 200) / (40 / 300))
    assert math.isnan(lq.loc["R3", "s1"])


def test_cluster_count_threshold_and_min_size():
    counted = clusters.cluster_count(E, threshold=1.25, min_size=0)
    # LQ >= 1.25: R1 s1 (1.5); R2 s2 (2.0); R3 s1 (20/100 / 0.2 = 1.0, no), s3 (0.7/0.6 = 1.167, no)
    assert counted["cluster_count"].tolist() == [1.0, 1.0, 0.0]
    assert counted["sectors_observed"].tolist() == [3, 3, 3]
    assert clusters.cluster_count(E, threshold=1.25, min_size=35)["cluster_count"].tolist() == [0.0, 1.0, 0.0]


def test_krugman_normalised_hand_computed():
    k = clusters.krugman_specialisation(E)
    # R1 shares .3 .1 .6 vs reference .2 .2 .6 -> (|.1| + |-.1| + 0) / 2 = 0.1
    assert k["R1"] == pytest.approx(0.1)
    # R2 .1 .4 .5 -> (.1 + .2 + .1) / 2 = 0.2
    assert k["R2"] == pytest.approx(0.2)
    disjoint = pd.DataFrame({"a": [1.0, 0.0], "b": [0.0, 1.0]}, index=["x", "y"])
    assert clusters.krugman_specialisation(disjoint, reference=pd.Series({"a": 0.0, "b": 1.0}))["x"] == pytest.approx(1.0)


def test_herfindahl_normalised_hand_computed():
    h = clusters.herfindahl_specialisation(E)
    raw = 0.3 ** 2 + 0.1 ** 2 + 0.6 ** 2
    assert h["R1"] == pytest.approx((raw - 1 / 3) / (1 - 1 / 3))
    even = pd.DataFrame({"a": [1.0], "b": [1.0], "c": [1.0]})
    assert clusters.herfindahl_specialisation(even).iloc[0] == pytest.approx(0.0)


def test_lq_against_reference_overall_and_by_group():
    frame = pd.DataFrame({"unit": ["A1", "A2", "B1"], "year": 2010, "country": ["A", "A", "B"],
                          "sector": [20.0, 10.0, 30.0], "total": [100.0, 100.0, 100.0]})
    overall = clusters.lq_against_reference(frame).set_index("unit")["lq"]
    assert overall["A1"] == pytest.approx(0.2 / (60 / 300))
    by_country = clusters.lq_against_reference(frame, group="country").set_index("unit")["lq"]
    assert by_country["A1"] == pytest.approx(0.2 / (30 / 200))
    assert by_country["B1"] == pytest.approx(1.0)
