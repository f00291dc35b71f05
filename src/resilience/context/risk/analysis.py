"""Complex risk: global risk and uncertainty series, their annual and period means,
and the country-year risk panel, from the tidy table of ``resilience.sources.parsers.risk``.

The input of every function is the combined tidy table (``RISK_TABLE_COLUMNS``: the parser columns
plus ``dataset``, the catalog id). Series are picked by configuration entries
``{key, dataset, series, iso3, label}`` (``complex_risk.global_series``), so which published column
feeds which line of the figure is stated in config/config.yaml, not in code.

Averaging rules (documented choices):
- a period mean (``complex_risk.periods``) is the plain mean of every published observation (month or
  quarter) of the series whose period starts inside the period's years; an open first bound means
  ``complex_risk.start``, an open last bound the latest observation;
- an annual mean is the mean of a year's observations, and is kept only for a COMPLETE year (12
  months or 4 quarters): a year with only its first quarter published would otherwise stand for the
  whole year. The annual table lists incomplete years with ``complete`` false and no mean.
"""

from __future__ import annotations

import pandas as pd

from resilience.errors import InputError
from resilience.sources.parsers.risk import RISK_COLUMNS

RISK_TABLE_COLUMNS = ["dataset", *RISK_COLUMNS]
PERIODS_PER_YEAR = {"M": 12, "Q": 4}
SERIES_COLUMNS = ["key", "label", "dataset", "series", "iso3", "frequency", "period", "date", "value"]
ANNUAL_COLUMNS = ["key", "label", "frequency", "year", "n_obs", "complete", "mean"]
PERIOD_COLUMNS = ["key", "label", "period", "first_year", "last_year", "first_obs", "last_obs", "n_obs", "mean"]
PANEL_COLUMNS = ["index", "iso3", "year", "value", "n_obs"]
PEAK_COLUMNS = ["period", "series", "day", "value"]
SOURCE_COLUMNS = ["dataset", "status", "file", "vintage", "sha256", "n_series", "n_countries", "first_obs",
                  "last_obs", "message"]


def combine(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One table of every dataset's parsed rows, with the dataset id first; sorted."""
    parts = [t.assign(dataset=name)[RISK_TABLE_COLUMNS] for name, t in sorted(tables.items()) if len(t)]
    if not parts:
        return _empty(RISK_TABLE_COLUMNS).astype({"date": "datetime64[ns]", "value": "float64"})
    combined = pd.concat(parts, ignore_index=True)
    combined = combined.sort_values(["dataset", "series", "iso3", "frequency", "date"], kind="mergesort")
    return combined.reset_index(drop=True)


def sources_table(manifests: dict[str, dict], tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Per dataset: whether it was available, its file, vintage and sha256, and what it holds."""
    rows = []
    for name in sorted(manifests):
        manifest, table = manifests[name], tables.get(name)
        ok = manifest.get("status") == "ok" and table is not None
        rows.append({
            "dataset": name, "status": manifest.get("status") or "", "file": manifest.get("file") or "",
            "vintage": manifest.get("vintage_hint") or "", "sha256": manifest.get("sha256") or "",
            "n_series": int(table["series"].nunique()) if ok else 0,
            "n_countries": int(table.loc[~table["iso3"].isin(["", "WLD"]), "iso3"].nunique()) if ok else 0,
            "first_obs": str(table["date"].min().date()) if ok and len(table) else "",
            "last_obs": str(table["date"].max().date()) if ok and len(table) else "",
            "message": manifest.get("message") or "",
        })
    return pd.DataFrame(rows, columns=SOURCE_COLUMNS)


def pick(tidy: pd.DataFrame, spec: dict) -> pd.DataFrame:
    """The rows of one configured series ``{dataset, series, iso3}`` (empty if the dataset is missing)."""
    rows = tidy[(tidy["dataset"] == spec["dataset"]) & (tidy["series"] == spec["series"])
                & (tidy["iso3"] == spec.get("iso3", ""))]
    frequencies = sorted(rows["frequency"].unique())
    if len(frequencies) > 1:
        raise InputError(f"risk series {spec['dataset']}/{spec['series']}", f"mixes frequencies {frequencies}",
                         field="frequency", expected="one frequency per configured series")
    return rows


def global_series(tidy: pd.DataFrame, specs: list[dict], start: int) -> pd.DataFrame:
    """The configured global series from January of ``start`` on, long, in config order."""
    parts = []
    for order, spec in enumerate(specs):
        rows = pick(tidy, spec)
        rows = rows[rows["date"].dt.year >= start]
        parts.append(rows.assign(key=spec["key"], label=spec["label"], order=order))
    frame = pd.concat(parts, ignore_index=True) if parts else _empty(SERIES_COLUMNS + ["order"])
    frame = frame.sort_values(["order", "date"], kind="mergesort")
    return frame[SERIES_COLUMNS].reset_index(drop=True)


def annual_means(series: pd.DataFrame, specs: list[dict]) -> pd.DataFrame:
    """Per series and calendar year: observations, whether the year is complete, and its mean."""
    rows = []
    for spec in specs:
        own = series[series["key"] == spec["key"]]
        if own.empty:
            continue
        frequency = own["frequency"].iloc[0]
        for year, values in own.groupby(own["date"].dt.year)["value"]:
            complete = len(values) == PERIODS_PER_YEAR.get(frequency, -1)
            rows.append({"key": spec["key"], "label": spec["label"], "frequency": frequency, "year": int(year),
                         "n_obs": int(len(values)), "complete": complete,
                         "mean": float(values.mean()) if complete else float("nan")})
    return pd.DataFrame(rows, columns=ANNUAL_COLUMNS)


def period_bounds(period: dict, start: int, latest: int) -> tuple[int, int]:
    """(first, last) calendar years of a configured period; null bounds are ``start`` and ``latest``."""
    first = start if period.get("first") is None else int(period["first"])
    last = latest if period.get("last") is None else int(period["last"])
    return max(first, start), last


def period_means(series: pd.DataFrame, specs: list[dict], periods: list[dict], start: int) -> pd.DataFrame:
    """Mean of each series over each configured period (one row per series x period, config order).

    A series with no observation in a period gets a row with n_obs 0 and no mean, so the table always
    says what is missing rather than dropping it.
    """
    rows = []
    for spec in specs:
        own = series[series["key"] == spec["key"]]
        latest = int(own["date"].dt.year.max()) if len(own) else start
        for period in periods:
            first, last = period_bounds(period, start, latest)
            inside = own[own["date"].dt.year.between(first, last)]
            rows.append({"key": spec["key"], "label": spec["label"], "period": period["label"],
                         "first_year": first, "last_year": last,
                         "first_obs": inside["period"].iloc[0] if len(inside) else "",
                         "last_obs": inside["period"].iloc[-1] if len(inside) else "",
                         "n_obs": int(len(inside)),
                         "mean": float(inside["value"].mean()) if len(inside) else float("nan")})
    return pd.DataFrame(rows, columns=PERIOD_COLUMNS)


def country_panel(tidy: pd.DataFrame, indices: dict[str, dict]) -> pd.DataFrame:
    """Country-year means of each configured country index (complete years only), long.

    ``indices``: {name: {dataset, series, frequency}}, e.g. wui -> WUI_Data.xlsx sheet T2 quarterly,
    gpr -> the GPRC_<ISO3> columns of the monthly GPR file. Aggregates (iso3 '' or WLD) are left out.
    """
    parts = []
    for name, spec in sorted(indices.items()):
        rows = tidy[(tidy["dataset"] == spec["dataset"]) & (tidy["series"] == spec["series"])
                    & (tidy["frequency"] == spec["frequency"]) & ~tidy["iso3"].isin(["", "WLD"])]
        if rows.empty:
            continue
        grouped = rows.groupby(["iso3", rows["date"].dt.year.rename("year")])["value"].agg(["mean", "size"])
        grouped = grouped[grouped["size"] == PERIODS_PER_YEAR[spec["frequency"]]].reset_index()
        parts.append(pd.DataFrame({"index": name, "iso3": grouped["iso3"], "year": grouped["year"].astype("int64"),
                                   "value": grouped["mean"].astype("float64"),
                                   "n_obs": grouped["size"].astype("int64")}))
    frame = pd.concat(parts, ignore_index=True) if parts else _empty(PANEL_COLUMNS)
    return frame.sort_values(["index", "iso3", "year"], kind="mergesort")[PANEL_COLUMNS].reset_index(drop=True)


def daily_peaks(tidy: pd.DataFrame, daily: dict | None, periods: list[dict], start: int) -> pd.DataFrame:
    """The day with the highest daily index in each configured period (ties: the earliest day)."""
    if not daily:
        return _empty(PEAK_COLUMNS)
    rows = pick(tidy, {"dataset": daily["dataset"], "series": daily["series"], "iso3": "WLD"})
    rows = rows[rows["date"].dt.year >= start]
    out = []
    latest = int(rows["date"].dt.year.max()) if len(rows) else start
    for period in periods:
        first, last = period_bounds(period, start, latest)
        inside = rows[rows["date"].dt.year.between(first, last)]
        if inside.empty:
            continue
        top = inside.sort_values(["value", "date"], ascending=[False, True], kind="mergesort").iloc[0]
        out.append({"period": period["label"], "series": daily["series"], "day": top["period"],
                    "value": float(top["value"])})
    return pd.DataFrame(out, columns=PEAK_COLUMNS)


def series_csv(series: pd.DataFrame) -> pd.DataFrame:
    """The figure's data as written to CSV (date as ISO text, so the file is stable and readable)."""
    return series.assign(date=series["date"].dt.strftime("%Y-%m-%d"))


def series_from_csv(frame: pd.DataFrame) -> pd.DataFrame:
    """Inverse of ``series_csv``."""
    out = frame.copy()
    out["date"] = pd.to_datetime(out["date"], format="%Y-%m-%d")
    for column in ("key", "label", "dataset", "series", "iso3", "frequency", "period"):
        out[column] = out[column].fillna("").astype(str)
    return out


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
