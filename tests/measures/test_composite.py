"""Composite indices against hand-computed values (and PCA against an eigendecomposition)."""

import math

import numpy as np
import pandas as pd
import pytest

from resilience.errors import InputError
from resilience.measures.composite import (entropy_composite, entropy_weights, pca_composite,
                                           zscore_composite)

SQRT2 = math.sqrt(2)


def test_zscore_composite_hand_case():
    frame = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [2.0, 4.0, np.nan], "c": [5.0, 5.0, 5.0]},
                         index=["r0", "r1", "r2"])
    # a: mean 2, sd 1 -> z = -1, 0, 1
    # b: mean 3, sd sqrt((1 + 1)/1) = sqrt 2 -> z = -0.7071, +0.7071, NaN
    # c: constant -> never available
    out = zscore_composite(frame)
    assert out["r0"] == pytest.approx((-1 - 1 / SQRT2) / 2)   # -0.853553
    assert out["r1"] == pytest.approx((0 + 1 / SQRT2) / 2)    # 0.353553
    assert math.isnan(out["r2"])                              # only 1 indicator < 2
    assert zscore_composite(frame, min_indicators=1)["r2"] == pytest.approx(1.0)


def test_pca_composite_two_indicator_hand_case():
    # x = 1,2,3 and y = 1,3,2: deviations (-1,0,1), (-1,1,0); var 1 each; cov = 1/2 -> r = 0.5
    # correlation [[1, .5], [.5, 1]]: eigenvalues 1.5, 0.5; PC1 = (1, 1)/sqrt 2; ratio 1.5/2 = 0.75
    # scores = (z_x + z_y)/sqrt 2 = (-2, 1, 1)/sqrt 2
    frame = pd.DataFrame({"x": [1.0, 2.0, 3.0, np.nan], "y": [1.0, 3.0, 2.0, 4.0]})
    scores, info = pca_composite(frame)
    assert info["loadings"].tolist() == pytest.approx([1 / SQRT2, 1 / SQRT2])
    assert info["explained_variance_ratio"] == pytest.approx(0.75)
    assert info["n"] == 3 and info["dropped"] == []
    assert scores.iloc[:3].tolist() == pytest.approx([-2 / SQRT2, 1 / SQRT2, 1 / SQRT2])
    assert math.isnan(scores.iloc[3])


def test_pca_composite_matches_eigendecomposition_of_the_correlation_matrix():
    rng = np.random.default_rng(7)
    common = rng.normal(size=40)
    frame = pd.DataFrame({f"v{k}": common * w + rng.normal(size=40) for k, w in enumerate([1, 2, -0.5, 1.5])})
    frame["const"] = 3.0
    scores, info = pca_composite(frame)
    eigenvalues, eigenvectors = np.linalg.eig(np.corrcoef(frame.drop(columns="const").to_numpy(), rowvar=False))
    top = np.argmax(eigenvalues)
    vector = eigenvectors[:, top] * np.sign(eigenvectors[:, top].sum())
    assert info["loadings"].to_numpy() == pytest.approx(vector)
    assert info["loadings"].sum() > 0
    assert info["explained_variance_ratio"] == pytest.approx(eigenvalues[top] / 4)
    assert info["dropped"] == ["const"]
    assert scores.var(ddof=1) == pytest.approx(eigenvalues[top])  # variance of Z v = eigenvalue


def test_entropy_weights_3x2_hand_case():
    frame = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [10.0, 10.0, 40.0]})
    # a' = 0, .5, 1 -> p = 0, 1/3, 2/3
    #   e_a = -(1/ln 3)(0 + 1/3 ln 1/3 + 2/3 ln 2/3) = 1/3 + (2/3)(ln 1.5/ln 3)
    #       = 0.333333 + 0.666667 * 0.4054651/1.0986123 = 0.333333 + 0.246047 = 0.579380
    #   d_a = 0.420620
    # b' = 0, 0, 1 -> p = 0, 0, 1 -> e_b = 0 (0 ln 0 = 0, 1 ln 1 = 0), d_b = 1
    # w_a = 0.420620 / 1.420620 = 0.296082, w_b = 0.703918
    weights = entropy_weights(frame)
    assert weights["a"] == pytest.approx(0.296082, abs=1e-6)
    assert weights["b"] == pytest.approx(0.703918, abs=1e-6)
    # index = w_a a' + w_b b' = 0, 0.296082 * 0.5 = 0.148041, 0.296082 + 0.703918 = 1
    index, same_weights = entropy_composite(frame)
    assert index.tolist() == pytest.approx([0.0, 0.148041, 1.0], abs=1e-6)
    assert same_weights.equals(weights)


def test_entropy_drops_constant_indicators_and_incomplete_rows():
    frame = pd.DataFrame({"a": [1.0, 2.0, 3.0, 9.0], "b": [10.0, 10.0, 40.0, np.nan],
                          "flat": [7.0, 7.0, 7.0, 1.0]})
    # complete rows are the first three: 'flat' is constant there -> weight 0, named
    # a and b then as in the 3x2 case
    index, weights = entropy_composite(frame)
    assert weights.attrs["dropped"] == ["flat"]
    assert weights.tolist() == pytest.approx([0.296082, 0.703918, 0.0], abs=1e-6)
    assert index.iloc[:3].tolist() == pytest.approx([0.0, 0.148041, 1.0], abs=1e-6)
    assert math.isnan(index.iloc[3])


def test_too_few_rows_is_an_input_error():
    with pytest.raises(InputError, match="complete rows"):
        entropy_weights(pd.DataFrame({"a": [1.0, np.nan], "b": [np.nan, 2.0]}))
