"""Trade diversion: partner ratios, China's share overall and by HS section, graceful degradation.

Inputs are synthetic files in the publishers' formats: the us-trade mirror folder of
tests/e2e/synthetic_trade.py (known data-generating process) taken through the real download
layer, plus synthetic Census/Comtrade API replies with HS chapters.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from resilience.catalog import read_catalog
from resilience.context.trade import analysis as trade
from resilience.errors import ConfigError
from resilience.sources.fetch import acquire, write_manifest
from tests.e2e import synthetic_trade as mirror

stf = mirror.stf  # tests/sources/synthetic_trade_files.py (put on the path by the mirror module)

REPO = Path(__file__).resolve().parents[2]
CFG = yaml.safe_load((REPO / "config" / "config.yaml").read_text(encoding="utf-8"))["trade_diversion"]
CATALOG = read_catalog(REPO / "config" / "sources.csv")
SECTIONS = trade.read_hs_sections(REPO / CFG["hs_sections"])


def _raw_dirs(tmp_path: Path, *, hs: dict[str, Path] | None = None) -> dict[str, str]:
    """data/raw/<dataset> for every trade dataset: the synthetic mirror through acquire(), the HS
    datasets from ``hs`` (dataset -> reply file) or unavailable, as the download rule writes them."""
    root = tmp_path / "mirror"
    mirror.write_trade_mirror(root)
    dirs = {}
    for name in trade.trade_datasets(CFG):
        dest = tmp_path / "raw" / name
        row = CATALOG.loc[name].to_dict()
        if hs and name in hs:
            dest.mkdir(parents=True)
            target = dest / row["live_file"]
            target.write_bytes(hs[name].read_bytes())
            # as a live download records it: the reply's sha256 beside its URL, time and size
            write_manifest(dest / "manifest.json", {"dataset": name, "status": "ok", "mode": "live",
                                                    "file": row["live_file"], "format": row["live_format"],
                                                    "sha256": hashlib.sha256(target.read_bytes()).hexdigest()})
        else:
            acquire(row, dest_dir=dest, mirror_root=root, optional=name in ("census_api_imports_monthly",)
                    or name.startswith(("census_api_imports_hs2", "comtrade_api_imports_hs2")))
        dirs[name] = str(dest)
    return dirs


def _results(tmp_path, **kwargs) -> trade.TradeResults:
    return trade.build(trade.load_sources(_raw_dirs(tmp_path, **kwargs)), SECTIONS, CFG)


# ---------------------------------------------------------------- building blocks

def test_complete_periods_keep_only_whole_quarters_and_years():
    months = pd.DataFrame({"partner": "CHN", "year": 2022, "month": list(range(1, 12)), "value_usd": 1.0})
    quarters = trade.complete_periods(months, 3)
    assert quarters["quarter"].tolist() == [1, 2, 3] and quarters["value_usd"].tolist() == [3.0, 3.0, 3.0]
    assert trade.complete_periods(months, 12).empty          # December missing: no year


def test_ratios_to_china_and_shares():
    periods = pd.DataFrame({"partner": ["CHN", "MEX", "WLD"], "year": 2020, "value_usd": [200.0, 150.0, 1000.0]})
    out = trade.add_ratios(periods, ["year"], "CHN").set_index("partner")
    assert out.at["MEX", "ratio_to_china"] == 0.75 and np.isnan(out.at["WLD", "ratio_to_china"])
    assert out.at["CHN", "share_of_us_imports_pct"] == 20.0 and out.at["WLD", "share_of_us_imports_pct"] == 100.0


def test_hs_sections_cover_chapters_1_to_97():
    by_chapter = trade.chapter_sections(SECTIONS)
    assert len(SECTIONS) == 21 and sorted(by_chapter) == list(range(1, 98))
    assert by_chapter[85] == "XVI" and by_chapter[94] == "XX" and by_chapter[27] == "V" and by_chapter[97] == "XXI" and by_chapter[77] == "XV"  # 77: reserved


def test_section_shares_hand_computed():
    hs = pd.DataFrame({
        "partner": ["CHN", "WLD"] * 6, "year": [2017] * 6 + [2024] * 6,
        "commodity": ["01", "01", "85", "85", "98", "98"] * 2,
        "value_usd": [1e9, 10e9, 40e9, 100e9, 0.0, 5e9,  2e9, 10e9, 30e9, 120e9, 1e9, 5e9],
    })
    out = trade.section_shares(trade.section_values(hs, SECTIONS), SECTIONS, "CHN", 2017, 2024, "x").set_index("section")
    assert out.at["I", "share_base_pct"] == pytest.approx(10.0) and out.at["I", "share_latest_pct"] == pytest.approx(20.0)
    assert out.at["XVI", "change_pp"] == pytest.approx(25.0 - 40.0)
    assert out.at["other", "chapters"] == "98-99" and out.at["other", "share_latest_pct"] == pytest.approx(20.0)
    assert out.at["total", "share_base_pct"] == pytest.approx(100 * 41 / 115)
    assert np.isnan(out.at["II", "share_base_pct"])          # no chapters of section II: no share invented


# ---------------------------------------------------------------- the whole analysis

def test_partner_ratios_follow_the_synthetic_process(tmp_path):
    r = _results(tmp_path)
    q = r.quarterly.set_index(["partner", "period"])
    for year in (2017, 2022):
        assert q.at[("MEX", f"{year}Q2"), "ratio_to_china"] == pytest.approx(mirror.ratio("MEX", year), rel=1e-9)
        assert q.at[("VNM", f"{year}Q4"), "ratio_to_china"] == pytest.approx(mirror.ratio("VNM", year), rel=1e-9)
    # July and August 2024 are no quarter: the latest complete quarter is 2024Q2 (the newer vintage)
    assert r.quarterly["period"].max() == "2024Q2" and r.quarterly["source"].unique().tolist() == ["census_country_xlsx"]
    assert "2024Q3" not in set(r.quarterly["period"])
    a = r.annual[r.annual["source"] == "census_country_xlsx"].set_index(["partner", "year"])
    assert a.at[("CHN", 2022), "imports_usd_bn"] == pytest.approx(mirror.annual_imports("CHN", 2022) / 1e3)
    assert a.at[("IND", 2017), "ratio_to_china"] == pytest.approx(0.1)
    assert a.index.get_level_values("year").min() == CFG["first_year"] and 2024 not in a.index.get_level_values("year")
    assert a.at[("MEX", 2023), "ratio_to_china"] == pytest.approx(1.1)
    comtrade = r.annual[r.annual["source"] == "comtrade_partners_2022"].set_index("partner")
    assert comtrade.at["MEX", "ratio_to_china"] == pytest.approx(mirror.ratio("MEX", 2022), rel=1e-6)


def test_china_share_overall_and_sections_need_the_live_source(tmp_path):
    r = _results(tmp_path)
    overall = r.china_share[r.china_share["scope"] == "all goods"].iloc[0]
    assert (overall["base_year"], overall["latest_year"]) == (2017, 2023)
    assert overall["share_base_pct"] == pytest.approx(100 / 4.6) and overall["share_latest_pct"] == pytest.approx(100 / 5.8)
    assert overall["change_pp"] == pytest.approx(100 / 5.8 - 100 / 4.6)
    sections = r.china_share[r.china_share["scope"] == "HS section"]
    assert len(sections) == 21 and sections["status"].str.startswith("needs the live source").all()
    assert sections["share_base_pct"].isna().all()
    status = r.sources.set_index("dataset")
    assert status.at["census_api_imports_hs2_2017", "status"] == "unavailable"
    assert status.at["census_country_xlsx", "used"] == "yes" and status.at["census_api_imports_monthly", "used"] == "no"


def test_mirror_check_pairs_us_and_china_reports(tmp_path):
    m = _results(tmp_path).mirror.set_index("year")
    assert m.index.tolist() == list(range(2013, 2024))
    assert m.at[2020, "china_reported_exports_usd_bn"] == pytest.approx(470.0)
    assert m.at[2023, "gap_pct"] == pytest.approx(100 * (500 / 500 - 1))


def _census_hs(tmp_path, year: int, china_85: float) -> Path:
    header = ["CTY_CODE", "CTY_NAME", "I_COMMODITY", "GEN_VAL_YR", "COMM_LVL", "time"]
    rows = [["5700", "CHINA", "85", f"{china_85:.0f}", "HS2", f"{year}-12"],
            ["5700", "CHINA", "27", "1000000000", "HS2", f"{year}-12"],
            ["-", "TOTAL FOR ALL COUNTRIES", "85", "400000000000", "HS2", f"{year}-12"],
            ["-", "TOTAL FOR ALL COUNTRIES", "27", "200000000000", "HS2", f"{year}-12"],
            ["2010", "MEXICO", "85", "90000000000", "HS2", f"{year}-12"]]
    return stf.write_census_api_json(tmp_path / f"census_{year}.json", header, rows)


def test_sections_from_the_census_api_when_live(tmp_path):
    hs = {"census_api_imports_hs2_2017": _census_hs(tmp_path, 2017, 160e9),
          "census_api_imports_hs2_2024": _census_hs(tmp_path, 2024, 100e9)}
    r = _results(tmp_path, hs=hs)
    s = r.china_share[r.china_share["scope"] != "all goods"].set_index("section")
    assert s.at["XVI", "share_base_pct"] == pytest.approx(40.0) and s.at["XVI", "share_latest_pct"] == pytest.approx(25.0)
    assert s.at["XVI", "change_pp"] == pytest.approx(-15.0) and s.at["V", "share_base_pct"] == pytest.approx(0.5)
    assert s.at["total", "share_latest_pct"] == pytest.approx(100 * 101 / 600)
    assert (s["latest_year"] == 2024).all() and (s["status"] == "ok").all()
    assert s.at["XVI", "source"] == "census_api_imports_hs2_2017, census_api_imports_hs2_2024"
    text = trade.section_markdown(r.annual, r.quarterly, r.china_share, r.mirror, r.sources, CFG)
    assert "| XVI | Machinery" in text and "| 40.0 | 25.0 | -15.0 |" in text
    assert "Not drawn" not in text
    assert "![China's share of US goods imports by year, and by HS section in the base and latest year](" in text


def test_sections_fall_back_to_comtrade_when_census_lacks_a_year(tmp_path):
    def reply(year, china):
        records = [stf.comtrade_record("USA", "M", 156, "CHN", "China", year, china, cmd="85"),
                   stf.comtrade_record("USA", "M", 0, "W00", "World", year, 100e9, cmd="85")]
        return stf.write_comtrade_json(tmp_path / f"c{year}.json", records)
    hs = {"census_api_imports_hs2_2017": _census_hs(tmp_path, 2017, 160e9),
          "comtrade_api_imports_hs2_2017": reply(2017, 50e9), "comtrade_api_imports_hs2_2024": reply(2024, 30e9)}
    s = _results(tmp_path, hs=hs).china_share.set_index("section")
    assert s.at["XVI", "change_pp"] == pytest.approx(-20.0)
    assert s.at["XVI", "source"] == "comtrade_api_imports_hs2_2017, comtrade_api_imports_hs2_2024"


def test_section_text_offline(tmp_path):
    r = _results(tmp_path)
    text = trade.section_markdown(r.annual, r.quarterly, r.china_share, r.mirror, r.sources, CFG)
    assert text.startswith("## Trade diversion")
    # 21.7% -> 17.2%: the word is chosen from the sign of the change
    assert (f"China supplied {100 / 4.6:.1f}% of US goods imports in 2017 and {100 / 5.8:.1f}% in 2023, "
            f"a fall of {100 / 4.6 - 100 / 5.8:.1f} percentage points") in text
    assert "Mexico 0.600 in 2017 (0.600 in 2017Q4) and 1.100 in 2024Q2" in text
    # the HS panel is not drawn offline: the figure is captioned for the panel it has, the text says why
    assert "Not drawn: China's share by HS section in 2017 and the latest year (needs the live source" in text
    assert "![China's share of US goods imports by year](figures/trade_china_share.png)" in text
    assert "Viet Nam 0.100 in 2017 (0.100 in 2017Q4) and 0.240 in 2024Q2" in text
    assert "needs the live source" in text and "`census_api_imports_monthly`" in text
    assert "![US imports from Mexico, Viet Nam and India relative to China](figures/trade_partner_ratios.png)" in text


def test_no_monthly_source_degrades(tmp_path):
    sources = trade.load_sources(_raw_dirs(tmp_path))
    for name in CFG["monthly_sources"]:
        sources[name] = trade.TradeSource(name, {"status": "unavailable", "message": "gone"})
    r = trade.build(sources, SECTIONS, CFG)
    assert r.quarterly.empty and "no monthly source" in r.notes[0]
    assert not (r.china_share["scope"] == "all goods").any()
    text = trade.section_markdown(r.annual, r.quarterly, r.china_share, r.mirror, r.sources, CFG)
    assert "cannot be computed" in text and "no quarterly ratios" in text


def test_config_cross_checks(tmp_path):
    datasets = set(CATALOG.index)
    trade.check_config(CFG, datasets, REPO)
    with pytest.raises(ConfigError, match="base_year"):
        trade.check_config({**CFG, "base_year": 2010}, datasets, REPO)
    with pytest.raises(ConfigError, match="unknown dataset 'census_country_xlsx'"):
        trade.check_config(CFG, datasets - {"census_country_xlsx"}, REPO)
    bad = tmp_path / "sections.csv"
    bad.write_text("section,first_chapter,last_chapter,title\nI,1,5,a\nII,5,14,b\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="line 3: chapters 5-14"):
        trade.read_hs_sections(bad)


# ---------------------------------------------------------------- newer vintage: largest source, coverage, revisions

def test_mexico_overtakes_china_as_largest_source(tmp_path):
    r = _results(tmp_path)
    top = r.largest.set_index(["year", "rank"])
    assert top.at[(2022, 1), "partner_name"] == "China" and top.at[(2023, 1), "partner_name"] == "Mexico"
    assert top.at[(2023, 2), "partner_name"] == "China" and top.at[(2023, 3), "partner_name"] == "Canada"
    assert top.at[(2023, 1), "imports_usd_bn"] == pytest.approx(mirror.annual_imports("MEX", 2023) / 1e3)
    assert top.at[(2023, 2), "share_of_us_imports_pct"] == pytest.approx(100 / 5.8)
    assert 2024 not in set(r.largest["year"]) and r.largest["year"].min() == CFG["first_year"]
    assert not r.largest["partner_code"].str.startswith("0").any()   # groups never compete
    text = trade.largest_partner_text(r.largest)
    assert text.startswith("In 2023 Mexico overtook China as the largest single-country source of US goods imports")
    assert "China had been the largest in every year from 2015 to 2022" in text


def test_largest_partner_text_when_the_leader_stays():
    largest = pd.DataFrame({"source": "s", "year": [2022, 2022, 2023, 2023], "rank": [1, 2, 1, 2],
                            "partner_code": ["5700", "2010", "5700", "2010"],
                            "partner_name": ["China", "Mexico", "China", "Mexico"],
                            "imports_usd_bn": [500.0, 450.0, 480.0, 470.0], "share_of_us_imports_pct": [15.0, 14.0, 14.5, 14.2]})
    text = trade.largest_partner_text(largest)
    assert text == ("In 2023 China remained the largest single-country source of US goods imports (US$ 480.0 bn, "
                    "14.5% of US goods imports, ahead of Mexico (US$ 470.0 bn, 14.2%)).")


def test_monthly_coverage_names_the_incomplete_quarter(tmp_path):
    r = _results(tmp_path)
    c = r.coverage.iloc[0]
    assert (c["first_month"], c["last_month"], c["last_complete_quarter"], c["last_complete_year"]) == (
        "2015-01", "2024-08", "2024Q2", 2023)
    assert (c["incomplete_quarter"], c["months_in_incomplete_quarter"]) == ("2024Q3", 2)
    text = trade.section_markdown(r.annual, r.quarterly, r.china_share, r.mirror, r.sources, CFG,
                                  revisions=r.revisions, largest=r.largest, coverage=r.coverage)
    assert "The monthly data used run from 2015-01 to 2024-08; 2024Q3 has only 2 of its 3 months" in text


def test_revisions_between_vintages(tmp_path):
    r = _results(tmp_path)
    rev = r.revisions
    # Only China's 2022 differs: 12 months revised up by 100 each and the year by 1,200 (US$ million).
    assert set(rev["partner"]) == {"CHN"} and set(rev["year"]) == {2022}
    assert len(rev) == 13 and (rev.loc[rev["month"] > 0, "revision_usd_m"] == 100.0).all()
    year = rev[rev["month"] == 0].iloc[0]
    assert year["revision_usd_m"] == pytest.approx(1200.0)
    assert year["current_usd_m"] == pytest.approx(round(mirror.annual_imports("CHN", 2022), 1))
    assert year["revision_pct"] == pytest.approx(100 * 1200 / mirror.annual_imports("CHN", 2022, previous=True))
    assert set(rev["previous_source"]) == {"census_country_xlsx_2023_03"}
    status = r.sources.set_index("dataset")
    assert status.at["census_country_xlsx_2023_03", "used"] == "yes"
    text = "\n".join(trade.revision_text(rev, CFG, "results/tables/"))
    assert "changes 12 monthly values of 2020-2022 for these partners and the world (in 2022)" in text
    assert "1 annual totals change: China 2022: US$ 486.6 bn -> 487.8 bn (+0.25%)" in text   # 12 x 40000 + 100 x 78 = 487,800


def test_no_revision_table_without_the_older_vintage(tmp_path):
    sources = trade.load_sources(_raw_dirs(tmp_path))
    sources["census_country_xlsx_2023_03"] = trade.TradeSource("census_country_xlsx_2023_03", {"status": "unavailable"})
    r = trade.build(sources, SECTIONS, CFG)
    assert r.revisions.empty and not r.quarterly.empty
    assert "one vintage is unavailable" in "\n".join(trade.revision_text(r.revisions, CFG, ""))


def test_trade_sources_are_checked_against_their_manifest_before_parsing(tmp_path):
    """A raw trade file edited after download is refused, as every other raw file is."""
    import hashlib
    import json

    from resilience.context.trade.analysis import load_sources
    from resilience.errors import InputError
    folder = tmp_path / "census_country_xlsx"
    folder.mkdir()
    (folder / "country.xlsx").write_bytes(b"original bytes")
    (folder / "manifest.json").write_text(json.dumps({
        "status": "ok", "file": "country.xlsx", "format": "census_country_xlsx",
        "sha256": hashlib.sha256(b"original bytes").hexdigest()}), encoding="utf-8")
    (folder / "country.xlsx").write_bytes(b"edited bytes")
    with pytest.raises(InputError, match="differs from the one .*manifest.json recorded"):
        load_sources({"census_country_xlsx": str(folder)})
