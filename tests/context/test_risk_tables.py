"""Complex-risk tables: global series, annual and period means, daily peaks, country-year panel."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from resilience.context.risk import analysis as risk
from resilience.errors import InputError
from resilience.sources.parsers.risk import period_label

SPECS = [{"key": "gpr", "dataset": "gpr_monthly", "series": "GPR", "iso3": "WLD", "label": "GPR"},
         {"key": "wui", "dataset": "wui_quarterly", "series": "Global (GDP weighted average)", "iso3": "WLD",
          "label": "WUI"},
         {"key": "cn", "dataset": "epu_china", "series": "China News-Based EPU", "iso3": "CHN", "label": "China EPU"}]
PERIODS = [{"label": "before 2008", "first": None, "last": 2007}, {"label": "2008-2019", "first": 2008, "last": 2019},
           {"label": "2020-latest", "first": 2020, "last": None}]


def rows(dataset, series, iso3, frequency, values: dict) -> pd.DataFrame:
    dates = [pd.Timestamp(d) for d in values]
    return pd.DataFrame({"dataset": dataset, "series": series, "iso3": iso3, "frequency": frequency,
                         "period": [period_label(frequency, d.date()) for d in dates], "date": dates,
                         "value": [float(v) for v in values.values()]})


def tidy() -> pd.DataFrame:
    gpr = {f"{y}-{m:02d}-01": 100 + y - 2000 + m / 100 for y in (1996, 2007, 2008, 2021) for m in range(1, 13)}
    gpr.pop("2021-12-01")  # latest year incomplete: 11 months
    wui = {"2007-01-01": 10, "2007-04-01": 20, "2007-07-01": 30, "2007-10-01": 40, "2020-01-01": 100}
    country_wui = {"2019-01-01": 0.1, "2019-04-01": 0.2, "2019-07-01": 0.3, "2019-10-01": 0.4, "2020-01-01": 0.9}
    gprc = {f"2019-{m:02d}-01": m for m in range(1, 13)}
    return pd.concat([rows("gpr_monthly", "GPR", "WLD", "M", gpr),
                      rows("wui_quarterly", "Global (GDP weighted average)", "WLD", "Q", wui),
                      rows("wui_quarterly", "Africa", "", "Q", wui),
                      rows("wui_quarterly", "WUI", "ARG", "Q", country_wui),
                      rows("gpr_monthly", "GPRC", "CHN", "M", gprc)], ignore_index=True)


def test_global_series_from_start_in_config_order():
    series = risk.global_series(tidy(), SPECS, start=1997)
    assert list(dict.fromkeys(series["key"])) == ["gpr", "wui"]  # China EPU has no rows at all
    assert series["date"].min() == pd.Timestamp("2007-01-01")  # 1996 is before the start
    assert len(series[series["key"] == "gpr"]) == 12 + 12 + 11


def test_annual_means_only_for_complete_years():
    series = risk.global_series(tidy(), SPECS, start=1997)
    annual = risk.annual_means(series, SPECS).set_index(["key", "year"])
    # GPR 2007: 100 + 7 + mean(m/100, m = 1..12) = 107.065
    assert annual.at[("gpr", 2007), "mean"] == pytest.approx(107.065)
    assert bool(annual.at[("gpr", 2021), "complete"]) is False and math.isnan(annual.at[("gpr", 2021), "mean"])
    assert annual.at[("gpr", 2021), "n_obs"] == 11
    assert annual.at[("wui", 2007), "mean"] == pytest.approx(25.0)
    assert bool(annual.at[("wui", 2020), "complete"]) is False


def test_period_means_with_open_bounds_and_a_missing_series():
    series = risk.global_series(tidy(), SPECS, start=1997)
    means = risk.period_means(series, SPECS, PERIODS, start=1997)
    assert len(means) == 9  # every series x period, missing ones included
    gpr = means[means["key"] == "gpr"].set_index("period")
    assert gpr.at["before 2008", "first_year"] == 1997 and gpr.at["before 2008", "n_obs"] == 12
    assert gpr.at["before 2008", "mean"] == pytest.approx(107.065)
    assert gpr.at["2008-2019", "mean"] == pytest.approx(108.065)
    # 2020-latest runs to the latest observation (2021-11): 11 months of 121 + m/100
    assert gpr.at["2020-latest", "last_year"] == 2021 and gpr.at["2020-latest", "last_obs"] == "2021-11"
    assert gpr.at["2020-latest", "mean"] == pytest.approx(121.06)
    wui = means[means["key"] == "wui"].set_index("period")
    assert wui.at["2008-2019", "n_obs"] == 0 and math.isnan(wui.at["2008-2019", "mean"])
    assert wui.at["2020-latest", "mean"] == 100.0 and wui.at["2020-latest", "first_obs"] == "2020Q1"
    china = means[means["key"] == "cn"]
    assert (china["n_obs"] == 0).all() and china["mean"].isna().all()


def test_country_panel_complete_years_without_aggregates():
    indices = {"wui": {"dataset": "wui_quarterly", "series": "WUI", "frequency": "Q"},
               "gpr": {"dataset": "gpr_monthly", "series": "GPRC", "frequency": "M"}}
    panel = risk.country_panel(tidy(), indices)
    assert list(panel.columns) == risk.PANEL_COLUMNS
    assert panel[["index", "iso3", "year"]].values.tolist() == [["gpr", "CHN", 2019], ["wui", "ARG", 2019]]
    assert panel["value"].tolist() == pytest.approx([6.5, 0.25])  # 2020 has one quarter only: left out
    assert panel["n_obs"].tolist() == [12, 4]


def test_daily_peaks_earliest_of_ties():
    days = {"1999-05-01": 300, "2001-09-11": 900, "2001-09-12": 900, "2009-01-01": 150, "2022-02-24": 540}
    table = rows("gpr_daily", "GPRD", "WLD", "D", days)
    peaks = risk.daily_peaks(table, {"dataset": "gpr_daily", "series": "GPRD"}, PERIODS, start=1997)
    assert peaks["day"].tolist() == ["2001-09-11", "2009-01-01", "2022-02-24"]
    assert peaks["value"].tolist() == [900.0, 150.0, 540.0]
    assert risk.daily_peaks(table, None, PERIODS, start=1997).empty


def test_pick_refuses_mixed_frequencies():
    table = pd.concat([rows("x", "WUI", "ARG", "Q", {"2019-01-01": 1}),
                       rows("x", "WUI", "ARG", "M", {"2019-01-01": 2})])
    with pytest.raises(InputError, match="mixes frequencies"):
        risk.pick(table, {"dataset": "x", "series": "WUI", "iso3": "ARG"})


def test_sources_table_and_csv_round_trip():
    table = tidy()
    manifests = {"gpr_monthly": {"status": "ok", "file": "data_gpr_export.xls", "vintage_hint": "2026-04",
                                 "sha256": "ab"},
                 "epu_china": {"status": "unavailable", "message": "epu/x.xlsx is not in the mirror"}}
    sources = risk.sources_table(manifests, {"gpr_monthly": table[table["dataset"] == "gpr_monthly"]})
    assert sources["dataset"].tolist() == ["epu_china", "gpr_monthly"]
    gpr = sources.set_index("dataset").loc["gpr_monthly"]
    assert (gpr["n_series"], gpr["n_countries"], gpr["first_obs"]) == (2, 1, "1996-01-01")
    assert sources.set_index("dataset").at["epu_china", "message"] == "epu/x.xlsx is not in the mirror"
    series = risk.global_series(table, SPECS, 1997)
    back = risk.series_from_csv(risk.series_csv(series))
    pd.testing.assert_frame_equal(back, series, check_dtype=False)


def test_combine_of_nothing_is_an_empty_table():
    empty = risk.combine({})
    assert list(empty.columns) == risk.RISK_TABLE_COLUMNS and empty.empty
    assert risk.global_series(empty, SPECS, 1997).empty
