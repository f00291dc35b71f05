"""Live requests as the publishers document them today, answered by a fake transport.

- UN Comtrade: the public preview takes one period per call, so a catalog query over several years
  becomes one call per year whose replies are merged into one reply of the API's own layout
  ``{"elapsedTime", "count", "data", "error"}``; with a subscription key, one call to the keyed
  endpoint (``/data/v1/get/...``, key in the ``Ocp-Apim-Subscription-Key`` header). The 401 body is
  the one the API sends (``{"statusCode": 401, "message": "Access denied due to ..."}``).
- Eurostat: a queued request is answered with HTTP 200 and a SOAP envelope holding a key; the status
  endpoint is polled until AVAILABLE and the data come from the async data endpoint. A request too
  large is refused with 413 and a SOAP fault ``EXTRACTION_TOO_BIG: ...``.
- Error bodies of 4xx replies (Comtrade JSON, Census plain text, SDMX-ML error messages) reach the error.
"""

from __future__ import annotations

import gzip
import json
from urllib.parse import parse_qsl, urlsplit

import pytest

from fake_transport import Canned, FakeTransport, session_with
from publisher_replies import DATA_URL, KEY, QUEUED, STATUS_URL, TOO_BIG, status_reply
from synthetic_trade_files import comtrade_record

from resilience.errors import DownloadError
from resilience.sources import fetch, trade_api
from resilience.sources.parsers.trade import parse_comtrade_json

US_CHINA = trade_api.comtrade_preview_url(reporter=842, partner=156, period=[2017, 2018], flow=["M", "X"])
EUROSTAT = "https://ec.europa.eu/eurostat/api/dissemination/sdmx/2.1/data/nama_10r_2gvagr?format=TSV&compressed=true"
TSV_GZ = gzip.compress(b"freq,unit,geo\\TIME_PERIOD\t2016 \t2017 \nA,PCH_PRE,DE11\t1.2 \t2.5 p\n", mtime=0)


def comtrade_reply(records: list[dict]) -> str:
    return json.dumps({"elapsedTime": "0.41 secs", "count": len(records), "data": records, "error": ""})


def _year_records(year: int, imports: float, exports: float) -> list[dict]:
    return [
        comtrade_record("USA", "M", 156, "CHN", "China", year, imports),
        comtrade_record("USA", "X", 156, "CHN", "China", year, exports),
    ]


# ---------------------------------------------------------------------------------------------
# UN Comtrade


def test_preview_query_over_several_years_is_one_call_per_year():
    calls = trade_api.comtrade_calls(US_CHINA)
    assert [dict(parse_qsl(urlsplit(url).query))["period"] for url, _ in calls] == ["2017", "2018"]
    for url, headers in calls:
        query = dict(parse_qsl(urlsplit(url).query))
        assert query["flowCode"] == "M,X" and query["partnerCode"] == "156" and headers == {}
        assert url.startswith(trade_api.COMTRADE_PREVIEW + "/C/A/HS?")
    single = trade_api.comtrade_preview_url(reporter=842, period=2022, flow="M")
    assert trade_api.comtrade_calls(single) == [(single, {})]


def test_keyed_endpoint_takes_the_periods_in_one_call_with_the_key_header():
    [(url, headers)] = trade_api.comtrade_calls(US_CHINA, "abc123")
    assert url == US_CHINA.replace("/public/v1/preview/", "/data/v1/get/")
    assert headers == {"Ocp-Apim-Subscription-Key": "abc123"}


def test_years_fetched_one_by_one_are_merged_into_one_reply(tmp_path):
    transport = FakeTransport(
        {
            US_CHINA.split("period=")[0] + "period=2017": Canned(
                200, comtrade_reply(_year_records(2017, 505.5e9, 129.9e9))
            ),
            US_CHINA.split("period=")[0] + "period=2018": Canned(
                200, comtrade_reply(_year_records(2018, 539.7e9, 120.1e9))
            ),
        }
    )
    entry = fetch.fetch_comtrade(US_CHINA, tmp_path / "us.json", session=session_with(transport))
    assert len(transport.sent) == 2 and entry["url"] == US_CHINA
    body = json.loads((tmp_path / "us.json").read_text(encoding="utf-8"))
    assert list(body) == ["elapsedTime", "count", "data", "error"] and body["count"] == 4 and body["error"] == ""
    parsed = parse_comtrade_json(tmp_path / "us.json")
    values = {(int(r.year), r.flow): r.value_usd for r in parsed.itertuples()}
    assert values[(2017, "M")] == pytest.approx(505.5e9) and values[(2018, "X")] == pytest.approx(120.1e9)
    assert len(values) == 4


def test_the_key_goes_in_the_header_and_a_refusal_shows_the_apis_message(tmp_path):
    denied = {
        "statusCode": 401,
        "message": "Access denied due to invalid subscription key. Make sure to provide a "
        "valid key for an active subscription.",
    }
    transport = FakeTransport(
        {trade_api.COMTRADE_KEYED: Canned(401, json.dumps(denied), {"Content-Type": "application/json"})}
    )
    with pytest.raises(DownloadError, match="HTTP 401.*publisher says: Access denied due to invalid subscription key"):
        fetch.fetch_comtrade(US_CHINA, tmp_path / "us.json", session=session_with(transport), api_key="wrong")
    assert transport.sent[0][1]["Ocp-Apim-Subscription-Key"] == "wrong"
    assert not (tmp_path / "us.json").exists()


def test_an_error_payload_or_a_capped_preview_is_refused(tmp_path):
    first = US_CHINA.split("period=")[0] + "period=2017"
    with_error = json.dumps({"elapsedTime": "0.1 secs", "count": 0, "data": [], "error": "Invalid period"})
    transport = FakeTransport({first: Canned(200, with_error)})
    with pytest.raises(DownloadError, match="period=2017.*answered with an error: Invalid period"):
        fetch.fetch_comtrade(US_CHINA, tmp_path / "us.json", session=session_with(transport))
    capped = comtrade_reply(_year_records(2017, 1.0, 2.0) * 250)
    transport = FakeTransport({first: Canned(200, capped)})
    with pytest.raises(DownloadError, match="cap of 500.*COMTRADE_API_KEY"):
        fetch.fetch_comtrade(US_CHINA, tmp_path / "us.json", session=session_with(transport))
    assert not (tmp_path / "us.json").exists()


def test_acquire_sends_a_comtrade_row_through_the_per_year_calls(tmp_path):
    row = {
        "dataset": "comtrade_us_china_total",
        "live_method": "http",
        "live_url": US_CHINA,
        "live_file": "us.json",
        "live_format": "comtrade_api_json",
        "sha256": "",
    }
    prefix = US_CHINA.split("period=")[0]
    transport = FakeTransport(
        {
            prefix + "period=2017": Canned(200, comtrade_reply(_year_records(2017, 5.0, 1.0))),
            prefix + "period=2018": Canned(200, comtrade_reply(_year_records(2018, 6.0, 2.0))),
        }
    )
    entry = fetch.acquire(row, dest_dir=tmp_path / "raw", session=session_with(transport))
    assert entry["status"] == "ok" and entry["mode"] == "live" and len(transport.sent) == 2


# ---------------------------------------------------------------------------------------------
# Eurostat asynchronous delivery and refusals


def test_a_queued_eurostat_request_is_polled_and_its_data_fetched(tmp_path):
    transport = FakeTransport(
        {
            EUROSTAT: Canned(200, QUEUED, {"Content-Type": "application/xml"}),
            STATUS_URL: [Canned(200, status_reply("PROCESSING")), Canned(200, status_reply("AVAILABLE"))],
            DATA_URL: Canned(200, TSV_GZ),
        }
    )
    entry = fetch.download(EUROSTAT, tmp_path / "t.tsv.gz", session=session_with(transport), poll_every=0)
    assert (tmp_path / "t.tsv.gz").read_bytes() == TSV_GZ
    assert transport.urls() == [EUROSTAT, STATUS_URL, STATUS_URL, DATA_URL]
    assert entry["url"] == EUROSTAT and KEY in entry["vintage_hint"]


@pytest.mark.parametrize("status", ["EXPIRED", "UNKNOWN_REQUEST"])
def test_a_failed_eurostat_extraction_stops_with_its_status(tmp_path, status):
    transport = FakeTransport({EUROSTAT: Canned(200, QUEUED), STATUS_URL: Canned(200, status_reply(status))})
    with pytest.raises(DownloadError, match=f"key {KEY}.*reported {status}"):
        fetch.download(EUROSTAT, tmp_path / "t.tsv.gz", session=session_with(transport), poll_every=0)
    assert not (tmp_path / "t.tsv.gz").exists()


def test_an_extraction_still_in_preparation_stops_after_the_wait(tmp_path):
    transport = FakeTransport({EUROSTAT: Canned(200, QUEUED), STATUS_URL: Canned(200, status_reply("PROCESSING"))})
    with pytest.raises(DownloadError, match="still PROCESSING after 0 s; run again later"):
        fetch.download(EUROSTAT, tmp_path / "t.tsv.gz", session=session_with(transport), async_wait=0, poll_every=0)
    assert DATA_URL not in transport.urls() and not (tmp_path / "t.tsv.gz").exists()


def test_extraction_too_big_names_eurostats_reason_and_the_remedy(tmp_path):
    transport = FakeTransport({EUROSTAT: Canned(413, TOO_BIG, {"Content-Type": "text/xml"})})
    with pytest.raises(DownloadError) as caught:
        fetch.download(EUROSTAT, tmp_path / "t.tsv.gz", session=session_with(transport))
    text = str(caught.value)
    assert "HTTP 413" in text and "EXTRACTION_TOO_BIG: The requested extraction is too big, estimated 420709314" in text
    assert "narrow the query in the catalog's live_url" in text


# ---------------------------------------------------------------------------------------------
# The publisher's explanation in an error reply


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        (
            '{"statusCode": 401, "message": "Access denied due to missing subscription key."}',
            "application/json",
            "Access denied due to missing subscription key.",
        ),
        ("error: unknown variable 'GEN_VAL_MOX'", "text/plain", "error: unknown variable 'GEN_VAL_MOX'"),
        (
            '<?xml version="1.0" encoding="utf-8"?><message:Error xmlns:message="http://www.sdmx.org/resources/sdmxml/'
            'schemas/v2_1/message" xmlns:common="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common">'
            '<message:ErrorMessage code="100"><common:Text xml:lang="en">No Results Found</common:Text>'
            "</message:ErrorMessage></message:Error>",
            "application/xml",
            "No Results Found",
        ),
        (
            "<!DOCTYPE html><html><head><title>404 Not Found</title></head><body>x</body></html>",
            "text/html",
            "an HTML page titled '404 Not Found'",
        ),
        ("", "text/plain", ""),
    ],
)
def test_error_bodies_become_one_line(body, content_type, expected):
    assert fetch.explain_error_body(body.encode("utf-8"), content_type) == expected


def test_a_census_refusal_carries_its_text(tmp_path):
    url = trade_api.census_hs2_annual_url(2017)
    transport = FakeTransport(
        {url: Canned(400, "error: unknown variable 'GEN_VAL_MOX'", {"Content-Type": "text/plain"})}
    )
    with pytest.raises(DownloadError, match="HTTP 400 Bad Request; the publisher says: error: unknown variable"):
        fetch.download(url, tmp_path / "c.json", session=session_with(transport))
