"""The paper checks the claims ledger needs: partner growth, risk trend, world manufacturing share."""

import pandas as pd
import pytest

from resilience.context.manufacturing.share import lead_since, world_share
from resilience.context.risk.trend import period_trend
from resilience.context.trade.growth import partner_growth
from resilience.errors import InputError


def _annual(rows):
    return pd.DataFrame(rows, columns=["source", "partner", "label", "year", "months", "imports_usd_bn"])


def test_partner_growth_against_china_by_hand():
    annual = _annual(
        [
            ("census", "CHN", "China", 2018, 12, 500.0),
            ("census", "CHN", "China", 2023, 12, 400.0),
            ("census", "MEX", "Mexico", 2018, 12, 300.0),
            ("census", "MEX", "Mexico", 2023, 12, 450.0),
            ("census", "VNM", "Viet Nam", 2018, 12, 50.0),
            ("census", "VNM", "Viet Nam", 2023, 12, 35.0),
            # a partial latest year is not a whole year: the latest whole year stays 2023
            ("census", "MEX", "Mexico", 2024, 8, 330.0),
            ("census", "WLD", "World", 2018, 12, 2500.0),
            ("census", "WLD", "World", 2023, 12, 3000.0),
        ]
    )
    out = partner_growth(annual, 2018, "CHN", "WLD").set_index("partner")
    assert list(out.index) == ["CHN", "MEX", "VNM"]
    assert out.loc["MEX", "latest_year"] == 2023
    assert out.loc["CHN", "growth_pct"] == pytest.approx(-20.0)
    assert out.loc["MEX", "growth_pct"] == pytest.approx(50.0)
    assert out.loc["VNM", "growth_pct"] == pytest.approx(-30.0)
    assert bool(out.loc["MEX", "faster_than_china"]) is True
    assert bool(out.loc["VNM", "faster_than_china"]) is False
    assert pd.isna(out.loc["CHN", "faster_than_china"])


def test_partner_growth_to_a_pinned_end_year():
    annual = _annual(
        [
            ("census", "CHN", "China", 2018, 12, 500.0),
            ("census", "CHN", "China", 2023, 12, 400.0),
            ("census", "CHN", "China", 2024, 12, 450.0),
            ("census", "MEX", "Mexico", 2018, 12, 300.0),
            ("census", "MEX", "Mexico", 2023, 12, 450.0),
            ("census", "MEX", "Mexico", 2024, 12, 600.0),
            # another source that stops before the end year gives no rows rather than another period
            ("comtrade", "CHN", "China", 2018, 12, 500.0),
            ("comtrade", "CHN", "China", 2022, 12, 520.0),
        ]
    )
    out = partner_growth(annual, 2018, "CHN", "WLD", end_year=2023).set_index("partner")
    assert set(out["source"]) == {"census"} and (out["latest_year"] == 2023).all()
    assert out.loc["MEX", "growth_pct"] == pytest.approx(50.0)
    assert out.loc["CHN", "growth_pct"] == pytest.approx(-20.0)
    latest = partner_growth(annual, 2018, "CHN", "WLD").set_index(["source", "partner"])
    assert latest.loc[("census", "MEX"), "growth_pct"] == pytest.approx(100.0)
    assert latest.loc[("comtrade", "CHN"), "latest_year"] == 2022


def test_partner_growth_names_missing_columns():
    with pytest.raises(InputError, match="annual.csv: missing column"):
        partner_growth(pd.DataFrame({"source": []}), 2018, "CHN", "WLD", name="annual.csv")


def _periods(key, means):
    names = ["before 2008", "2008-2019", "2020-latest"]
    firsts = [1997, 2008, 2020]
    return pd.DataFrame(
        {
            "key": key,
            "label": key.upper(),
            "period": names,
            "first_year": firsts,
            "last_year": [2007, 2019, 2024],
            "mean": means,
        }
    )


def test_period_trend_rose_and_kept_rising():
    periods = pd.concat([_periods("gpr", [107.0, 92.0, 124.0]), _periods("epu", [80.0, 150.0, 264.0])])
    out = period_trend(periods, _annual_means("gpr", {}))
    gpr = out[out["key"] == "gpr"].set_index("period")
    assert list(gpr.index) == ["2008-2019", "2020-latest"]
    assert gpr.loc["2008-2019", "change"] == pytest.approx(-15.0)
    assert gpr.loc["2008-2019", "change_pct"] == pytest.approx(-1500 / 107)
    assert not gpr.loc["2008-2019", "rose"] and gpr.loc["2020-latest", "rose"]
    assert not gpr["kept_rising"].any()
    assert out[out["key"] == "epu"]["kept_rising"].all()


def test_period_trend_period_without_mean_is_unknown():
    out = period_trend(_periods("wui", [float("nan"), 100.0, 120.0]), _annual_means("wui", {}))
    assert pd.isna(out.iloc[0]["rose"]) and bool(out.iloc[1]["rose"])
    assert out["kept_rising"].isna().all()


def _annual_means(key, means: dict, incomplete=()):
    return pd.DataFrame(
        {
            "key": key,
            "year": list(means),
            "complete": [year not in incomplete for year in means],
            "mean": list(means.values()),
        },
        columns=["key", "year", "complete", "mean"],
    )


def test_within_period_slope_and_rises_by_hand():
    # 2008-2019 rises on average but not every year (the GPR's path: lower 2008-13, higher 2014-18)
    annual = _annual_means(
        "gpr",
        {2007: 500.0, 2008: 80.0, 2009: 90.0, 2010: 85.0, 2011: 95.0, 2020: 100.0, 2021: 110.0, 2022: 130.0, 2023: 1.0},
        incomplete=(2023,),
    )
    out = period_trend(_periods("gpr", [107.0, 92.0, 124.0]), annual).set_index("period")
    # years 2008-2011 centred -1.5, -0.5, 0.5, 1.5; slope = sum(x y) / sum(x^2) = (-120-45+42.5+142.5) / 5 = 4
    assert out.loc["2008-2019", "slope_per_year"] == pytest.approx(4.0)
    assert out.loc["2008-2019", "complete_years"] == 4
    assert not out.loc["2008-2019", "rose_every_year"]
    # 2020-2024: the incomplete 2023 is left out; 100, 110, 130 rise every year, slope (130-100)/2 = 15
    assert out.loc["2020-latest", "slope_per_year"] == pytest.approx(15.0)
    assert out.loc["2020-latest", "rose_every_year"]


def test_within_period_needs_two_complete_years():
    out = period_trend(_periods("gpr", [107.0, 92.0, 124.0]), _annual_means("gpr", {2008: 80.0}))
    row = out.set_index("period").loc["2008-2019"]
    assert row["complete_years"] == 1 and pd.isna(row["slope_per_year"]) and pd.isna(row["rose_every_year"])
    with pytest.raises(InputError, match="annual.csv: missing column"):
        period_trend(_periods("gpr", [1.0, 2.0, 3.0]), pd.DataFrame({"key": []}), annual_name="annual.csv")


def test_lead_since_restarts_after_a_loss_or_a_gap():
    years = [2008, 2009, 2010, 2011, 2012, 2014, 2015]
    ranks = [2, 1, 2, 1, 1, 1, 1]
    assert list(lead_since(years, ranks)) == [pd.NA, 2009, pd.NA, 2011, 2011, 2014, 2014]


def test_world_share_by_hand():
    panel = pd.DataFrame(
        {
            "iso3": ["CHN", "USA", "DEU", "CHN", "USA", "DEU", "CHN", "USA"],
            "year": [2009, 2009, 2009, 2010, 2010, 2010, 2011, 2011],
            "va_d_cur": [2e9, 3e9, 1e9, 4e9, 3e9, 1e9, 5e9, None],
        }
    )
    out = world_share(panel, "va_d_cur", "CHN").set_index("year")
    assert out.loc[2009, "share_pct"] == pytest.approx(100 * 2 / 6)
    assert out.loc[2009, "rank"] == 2 and out.loc[2009, "leader"] == "USA"
    assert out.loc[2010, "share_pct"] == pytest.approx(50.0)
    assert out.loc[2011, "n_economies"] == 1 and out.loc[2011, "share_pct"] == pytest.approx(100.0)
    assert pd.isna(out.loc[2009, "lead_since"])
    assert out.loc[2011, "lead_since"] == 2010


def test_world_share_without_the_economy_fails():
    panel = pd.DataFrame({"iso3": ["USA"], "year": [2010], "va_d_cur": [1.0]})
    with pytest.raises(InputError, match="no value of va_d_cur for CHN"):
        world_share(panel, "va_d_cur", "CHN")
