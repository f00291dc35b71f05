"""Output lost against the pre-shock trend, and time until the pre-shock peak is regained.

Input: a long frame ``levels`` with columns unit, year, value (value > 0; non-positive is missing).
Every unit in ``levels`` gets a row; measures that need missing years are NaN.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from resilience.measures._frames import level_table, positive_levels

REGAIN_COLUMNS = ["unit", "peak_year", "peak", "regain_year", "years_below_peak", "censored"]


def cumulative_loss(levels: pd.DataFrame, t0: int, end: int, trend_years: int = 5) -> pd.DataFrame:
    """Cumulative shortfall of output from its pre-shock log-linear trend, t0+1 .. end.

    With g_t = 100 * (ln y_t - ln y_{t-1}) and K = ``trend_years``:

        trend        = (1/K) * sum_{t=t0-K+1}^{t0} g_t          (percent per year; includes g_t0)
        ln y*_t      = ln y_t0 + trend * (t - t0) / 100           (counterfactual from the t0 level)
        cumulative_loss = sum_{t=t0+1}^{end} 100 * (ln y*_t - ln y_t)

    Units: percent of trend output, summed over years ("percent-of-trend-output years");
    positive = output lost, negative = output above trend. NaN when any of the years
    t0-K .. end is missing (y_{t0-K} is needed for g_{t0-K+1}). Returns columns unit,
    trend_growth, cumulative_loss.
    """
    if end <= t0:
        raise ValueError(f"end {end} must be after the shock year t0 {t0}")
    if trend_years < 1:
        raise ValueError(f"trend_years must be at least 1, got {trend_years}")
    table = level_table(levels, "levels (cumulative_loss)")
    logs = np.log(table.reindex(columns=range(t0 - trend_years, end + 1)))
    growth = 100 * logs.diff(axis=1)
    trend = growth.loc[:, t0 - trend_years + 1:t0].mean(axis=1, skipna=False)
    horizons = np.arange(1, end - t0 + 1)
    counterfactual_gap = np.outer(trend, horizons)  # 100 * (ln y*_t - ln y_t0), one column per t
    actual_gap = 100 * logs.loc[:, t0 + 1:end].sub(logs[t0], axis=0).to_numpy()
    loss = pd.Series((counterfactual_gap - actual_gap).sum(axis=1), index=table.index)
    complete = logs.notna().all(axis=1)
    return pd.DataFrame({"unit": table.index, "trend_growth": trend.where(complete).to_numpy(),
                         "cumulative_loss": loss.where(complete).to_numpy()})


def years_to_regain_peak(levels: pd.DataFrame, t0: int, last_year: int | None = None, *,
                         peak_from: int | None = None) -> pd.DataFrame:
    """Years output stayed below its pre-shock peak after the shock year t0.

    Convention:

    - pre-shock peak P = max of y_t over observed years t <= t0 (and >= ``peak_from`` if given),
      ``peak_year`` its year (the earliest, if tied);
    - k* = min{k >= 1 : y_{t0+k} >= P} over observed years up to the unit's last observed year,
      or up to ``last_year`` if given; ``regain_year`` = t0 + k*;
    - ``years_below_peak`` = k* - 1, the post-shock years t0+1 .. t0+k*-1 below the peak
      (0 when output was at or above the peak in t0+1; calendar years, so an unobserved year
      inside that span counts as below);
    - never regained: ``censored`` = True, ``regain_year`` NA and ``years_below_peak`` =
      last considered year - t0, a lower bound;
    - no observed year after t0, or none at or before t0: all measures NA, ``censored`` NA.

    Returns columns unit, peak_year, peak, regain_year, years_below_peak (nullable Int64), censored
    (nullable boolean).
    """
    lv = positive_levels(levels, "levels (years_to_regain_peak)").dropna(subset=["value"])
    if last_year is not None:
        lv = lv[lv["year"] <= last_year]
    first = -np.inf if peak_from is None else peak_from
    rows = []
    for unit, own in lv.sort_values("year").groupby("unit", sort=True):
        before = own[(own["year"] <= t0) & (own["year"] >= first)]
        after = own[own["year"] > t0]
        rows.append({"unit": unit, **_regain(before, after, t0)})
    out = pd.DataFrame(rows, columns=REGAIN_COLUMNS)
    # Nullable types: years stay integers next to NA, and censored is NA where undefined.
    return out.astype({"peak_year": "Int64", "peak": "float64", "regain_year": "Int64",
                       "years_below_peak": "Int64", "censored": "boolean"})


def _regain(before: pd.DataFrame, after: pd.DataFrame, t0: int) -> dict:
    if before.empty or after.empty:
        return {"peak_year": np.nan, "peak": np.nan, "regain_year": np.nan,
                "years_below_peak": np.nan, "censored": pd.NA}
    at_peak = before.loc[before["value"].idxmax()]  # idxmax returns the first (earliest) maximum
    peak = at_peak["value"]
    regained = after[after["value"] >= peak]
    if regained.empty:
        return {"peak_year": at_peak["year"], "peak": peak, "regain_year": np.nan,
                "years_below_peak": after["year"].max() - t0, "censored": True}
    regain_year = regained["year"].min()
    return {"peak_year": at_peak["year"], "peak": peak, "regain_year": regain_year,
            "years_below_peak": regain_year - t0 - 1, "censored": False}
