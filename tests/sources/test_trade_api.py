"""Trade API clients: the catalog's query URLs are the documented ones, and a catalog row is
fetched through the generic download layer with retries (scripted server on 127.0.0.1), then parsed."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

import synthetic_trade_files as stf
from http_fixtures import Reply
from resilience.catalog import read_catalog
from resilience.errors import DownloadError
from resilience.sources import trade_api
from resilience.sources.fetch import acquire, make_session
from resilience.sources.parsers.trade import parse_trade

REPO = Path(__file__).resolve().parents[2]
CATALOG = read_catalog(REPO / "config" / "sources.csv")


@pytest.fixture
def session():
    with make_session(retries=3, backoff_factor=0) as fast:
        fast.trust_env = False  # test traffic stays on 127.0.0.1
        yield fast


def test_catalog_urls_are_the_documented_queries():
    expected = {
        "comtrade_us_china_total": trade_api.comtrade_preview_url(reporter=842, partner=156, period=range(2013, 2025),
                                                                  flow=["M", "X"]),
        "comtrade_china_us_total": trade_api.comtrade_preview_url(reporter=156, partner=842, period=range(2013, 2024),
                                                                  flow=["M", "X"]),
        "comtrade_partners_2022": trade_api.comtrade_preview_url(reporter=842, period=2022, flow="M"),
        "census_api_imports_monthly": trade_api.census_monthly_by_country_url("2015-01"),
        "census_api_imports_hs2_2017": trade_api.census_hs2_annual_url(2017),
        "census_api_imports_hs2_2024": trade_api.census_hs2_annual_url(2024),
        "comtrade_api_imports_hs2_2017": trade_api.comtrade_hs2_imports_url(2017),
        "comtrade_api_imports_hs2_2024": trade_api.comtrade_hs2_imports_url(2024),
    }
    for dataset, url in expected.items():
        assert CATALOG.at[dataset, "live_url"] == url, dataset
        assert CATALOG.at[dataset, "live_method"] == "http"


def test_query_parameters_are_the_apis_own():
    query = dict(parse_qsl(urlsplit(trade_api.comtrade_hs2_imports_url(2017)).query))
    assert query == {"reporterCode": "842", "period": "2017", "partnerCode": "0,156", "cmdCode": "AG2",
                     "flowCode": "M", "partner2Code": "0", "customsCode": "C00", "motCode": "0", "includeDesc": "true"}
    assert urlsplit(trade_api.comtrade_hs2_imports_url(2017)).path == "/public/v1/preview/C/A/HS"
    census = urlsplit(trade_api.census_monthly_by_country_url("2015-01"))
    assert census.path == "/data/timeseries/intltrade/imports/hs"
    assert dict(parse_qsl(census.query)) == {"get": "CTY_CODE,CTY_NAME,GEN_VAL_MO", "time": "from 2015-01"}


def _live_row(dataset: str, url: str) -> dict:
    row = CATALOG.loc[dataset].to_dict()
    row["live_url"] = url
    return row


def test_comtrade_api_row_retries_a_throttled_reply_then_parses(http_server, session, tmp_path):
    records = [stf.comtrade_record("USA", "M", 156, "CHN", "China", 2017, 1.5e11, cmd="85"),
               stf.comtrade_record("USA", "M", 0, "W00", "World", 2017, 4.0e11, cmd="85")]
    body = stf.write_comtrade_json(tmp_path / "reply.json", records).read_bytes()
    path = urlsplit(CATALOG.at["comtrade_api_imports_hs2_2017", "live_url"])
    http_server.route(path.path, [Reply(429, "Rate limit is exceeded", {"Retry-After": "0"}),
                                  Reply(200, body, {"Content-Type": "application/json"})])
    entry = acquire(_live_row("comtrade_api_imports_hs2_2017", http_server.url(f"{path.path}?{path.query}")),
                    dest_dir=tmp_path / "raw", session=session)
    assert http_server.hits(path.path) == 2
    assert (entry["status"], entry["file"], entry["format"]) == ("ok", "comtrade_us_imports_hs2_2017.json",
                                                                 "comtrade_api_json")
    table = parse_trade(entry["format"], tmp_path / "raw" / entry["file"])
    assert table.set_index("partner_code")["value_usd"].to_dict() == {"0": 4.0e11, "156": 1.5e11}
    assert http_server.requests[-1][1]["cmdCode"] == "AG2"


def test_census_api_row_retries_a_server_error_then_parses(http_server, session, tmp_path):
    body = stf.write_census_api_json(tmp_path / "r.json", ["CTY_CODE", "CTY_NAME", "GEN_VAL_MO", "time"],
                                     [["5700", "CHINA", "38252860493", "2023-01"]]).read_bytes()
    http_server.route("/data/timeseries/intltrade/imports/hs", [Reply(503), Reply(200, body)])
    url = http_server.url("/data/timeseries/intltrade/imports/hs?get=CTY_CODE,CTY_NAME,GEN_VAL_MO&time=from+2015-01")
    entry = acquire(_live_row("census_api_imports_monthly", url), dest_dir=tmp_path / "raw", session=session)
    assert http_server.hits("/data/timeseries/intltrade/imports/hs") == 2
    assert http_server.requests[-1][1] == {"get": "CTY_CODE,CTY_NAME,GEN_VAL_MO", "time": "from 2015-01"}
    table = parse_trade(entry["format"], tmp_path / "raw" / entry["file"])
    assert table["value_usd"].tolist() == [38252860493.0]


def test_census_api_no_content_makes_an_optional_row_unavailable(http_server, session, tmp_path):
    # The Census API answers a query with no data (a month not yet released) with HTTP 204.
    http_server.route("/data/timeseries/intltrade/imports/hs", Reply(204))
    url = http_server.url("/data/timeseries/intltrade/imports/hs?get=CTY_CODE&time=2024-12")
    entry = acquire(_live_row("census_api_imports_hs2_2024", url), dest_dir=tmp_path / "raw", optional=True,
                    session=session)
    assert entry["status"] == "unavailable" and "HTTP 204" in entry["message"]
    with pytest.raises(DownloadError, match="HTTP 204"):
        acquire(_live_row("census_api_imports_hs2_2024", url), dest_dir=tmp_path / "raw2", session=session)
