"""Pre-shock digitalization composites of one episode: the same rule for every panel.

Countries, EU regions and Chinese provinces all pass their pre-shock indicator values (one row per
unit, one column per indicator, read at the episode's exposure year or the nearest earlier one)
through ``digital_composites``:

- an indicator enters only if at least ``min_coverage`` of the panel's ``n_units`` have it;
- with fewer than ``min_indicators`` indicators entering there is no composite (the info table
  says so), because one indicator is not a composite;
- otherwise three composites (``resilience.measures.composite``): ``digital_z`` (mean z-score, a
  unit needs ``min_indicators`` values), ``digital_pca`` (first principal component) and
  ``digital_entropy`` (entropy weights) over the complete rows; a method the data do not allow
  (e.g. an indicator without spread) is left out with its reason.

The info table has one row per configured indicator (``INFO_COLUMNS``): its coverage, whether it
entered and why not, its entropy weight and PCA loading, the PCA's explained share, the number of
complete units, and the notes on the composites of the episode.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from resilience.errors import InputError
from resilience.measures.composite import entropy_composite, pca_composite, zscore_composite

INFO_COLUMNS = ["episode", "indicator", "coverage", "included", "reason", "entropy_weight", "pca_loading",
                "pca_explained", "n_complete", "composite_notes"]
SCORE_COLUMNS = ["unit", "variable", "value"]


def digital_composites(wide: pd.DataFrame, digital: dict, n_units: int, episode: str,
                       absent_reason: str = "series not in the panel") -> tuple[pd.DataFrame, pd.DataFrame]:
    """(scores long ``SCORE_COLUMNS``, info ``INFO_COLUMNS``) of one episode.

    ``wide``: index unit, one column per indicator the panel has (a configured indicator missing
    from the columns gets ``absent_reason``); ``digital``: series, min_coverage, min_indicators.
    """
    coverage = {name: float(wide[name].notna().sum() / max(n_units, 1)) if name in wide.columns else 0.0
                for name in digital["series"]}
    included = [name for name in digital["series"] if coverage[name] >= digital["min_coverage"]]
    x = wide.reindex(columns=included)
    scores, weights, pca_info, notes = _scores(x, digital)
    loadings = pca_info["loadings"] if pca_info else pd.Series(dtype="float64")
    info = pd.DataFrame({
        "episode": episode, "indicator": digital["series"], "coverage": [coverage[n] for n in digital["series"]],
        "included": [n in included for n in digital["series"]],
        "reason": [_reason(n, wide, coverage, digital, absent_reason) for n in digital["series"]],
        "entropy_weight": [float(weights.get(n, np.nan)) for n in digital["series"]],
        "pca_loading": [float(loadings.get(n, np.nan)) for n in digital["series"]],
        "pca_explained": float(pca_info["explained_variance_ratio"]) if pca_info else np.nan,
        "n_complete": int(x.dropna().shape[0]) if included else 0, "composite_notes": "; ".join(notes)})
    rows = [pd.DataFrame({"unit": s.index, "variable": name, "value": s.to_numpy()}) for name, s in scores.items()]
    long = pd.concat(rows, ignore_index=True).dropna(subset=["value"]) if rows else pd.DataFrame(columns=SCORE_COLUMNS)
    return long[SCORE_COLUMNS].reset_index(drop=True), info[INFO_COLUMNS]


def _scores(x: pd.DataFrame, digital: dict) -> tuple[dict, pd.Series, dict, list[str]]:
    """Composite scores by name, entropy weights, PCA info and the notes on what could not be made."""
    if x.shape[1] < digital["min_indicators"]:
        note = (f"{x.shape[1]} indicator(s) with coverage >= {digital['min_coverage']}, fewer than "
                f"min_indicators = {digital['min_indicators']}: no composite")
        return {}, pd.Series(dtype="float64"), {}, [note]
    scores = {"digital_z": zscore_composite(x, min_indicators=digital["min_indicators"])}
    weights, pca_info, notes = pd.Series(dtype="float64"), {}, []
    try:
        scores["digital_pca"], pca_info = pca_composite(x)
    except InputError as exc:
        notes.append(f"digital_pca: {exc}")
    try:
        scores["digital_entropy"], weights = entropy_composite(x)
    except InputError as exc:
        notes.append(f"digital_entropy: {exc}")
    return scores, weights, pca_info, notes


def _reason(name: str, wide: pd.DataFrame, coverage: dict, digital: dict, absent_reason: str) -> str:
    if name not in wide.columns:
        return absent_reason
    if coverage[name] < digital["min_coverage"]:
        return f"coverage {coverage[name]:.2f} below {digital['min_coverage']}"
    return ""
