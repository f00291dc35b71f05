"""The digital composites every panel uses (resilience.measures.digital) on hand-computed cases."""
import numpy as np
import pandas as pd
import pytest

from resilience.measures.digital import INFO_COLUMNS, digital_composites

DIGITAL = {"series": ["net", "bb", "absent"], "min_coverage": 0.6, "min_indicators": 2}


def wide():
    # five units; 'bb' is missing for E (coverage 4/5 = 0.8)
    return pd.DataFrame({"net": [10.0, 20.0, 30.0, 40.0, 50.0], "bb": [1.0, 3.0, 2.0, 4.0, np.nan]},
                        index=["A", "B", "C", "D", "E"])


def test_info_per_indicator_and_the_z_score_mean():
    scores, info = digital_composites(wide(), DIGITAL, n_units=5, episode="gfc")
    assert list(info.columns) == INFO_COLUMNS
    row = info.set_index("indicator")
    assert row["coverage"].to_dict() == {"net": 1.0, "bb": 0.8, "absent": 0.0}
    assert row["included"].to_dict() == {"net": True, "bb": True, "absent": False}
    assert row.loc["absent", "reason"] == "series not in the panel" and row.loc["net", "reason"] == ""
    assert (row["n_complete"] == 4).all() and (info["episode"] == "gfc").all()
    # entropy weights over the included indicators sum to one; the absent one has none
    assert row.loc[["net", "bb"], "entropy_weight"].sum() == pytest.approx(1.0)
    assert np.isnan(row.loc["absent", "entropy_weight"])
    z = scores[scores["variable"] == "digital_z"].set_index("unit")["value"]
    # net: mean 30, sd 15.811; bb over A-D: mean 2.5, sd 1.291; E has one indicator (< 2): no score
    expected_a = ((10 - 30) / np.std([10, 20, 30, 40, 50], ddof=1) + (1 - 2.5) / np.std([1, 3, 2, 4], ddof=1)) / 2
    assert z["A"] == pytest.approx(expected_a) and "E" not in z.index
    assert set(scores["variable"]) == {"digital_z", "digital_pca", "digital_entropy"}


def test_fewer_included_indicators_than_required_make_no_composite():
    frame = wide().assign(bb=[1.0, np.nan, np.nan, np.nan, np.nan])   # bb coverage 0.2
    scores, info = digital_composites(frame, DIGITAL, n_units=5, episode="covid")
    assert scores.empty
    row = info.set_index("indicator")
    assert row.loc["bb", "reason"] == "coverage 0.20 below 0.6"
    assert "1 indicator(s) with coverage >= 0.6, fewer than min_indicators = 2: no composite" in row.loc["net",
                                                                                                    "composite_notes"]


def test_coverage_is_over_the_panel_units_not_the_rows_given():
    # four of ten units have values: coverage 0.4 < 0.6, so nothing enters
    _, info = digital_composites(wide().iloc[:4], DIGITAL, n_units=10, episode="gfc")
    assert info.set_index("indicator")["coverage"].to_dict() == {"net": 0.4, "bb": 0.4, "absent": 0.0}
    assert not info["included"].any()


def test_a_method_the_data_do_not_allow_is_left_out_with_its_reason():
    # two indicators observed for different units: no complete row, so neither PCA nor entropy weights
    frame = pd.DataFrame({"net": [1.0, 2.0, np.nan, np.nan, np.nan], "bb": [np.nan, np.nan, 2.0, 3.0, 4.0]},
                         index=["A", "B", "C", "D", "E"])
    digital = {"series": ["net", "bb"], "min_coverage": 0.4, "min_indicators": 2}
    scores, info = digital_composites(frame, digital, n_units=5, episode="gfc")
    assert scores.empty and (info["n_complete"] == 0).all() and info["included"].all()
    notes = info["composite_notes"].iloc[0]
    assert notes.startswith("digital_pca: frame (pca_composite): 0 complete rows") and "digital_entropy: " in notes


def test_a_column_without_values_has_coverage_zero_not_absent():
    frame = wide().assign(absent=np.nan)      # the panel has the series but no unit has a value
    _, info = digital_composites(frame, DIGITAL, n_units=5, episode="gfc")
    assert info.set_index("indicator").loc["absent", "reason"] == "coverage 0.00 below 0.6"
