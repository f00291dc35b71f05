"""`make live-check`'s logic on a fake transport: the narrowed requests, the verdicts, the skip without network."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import yaml

from resilience.catalog import read_catalog
from resilience.sources import live_check, trade_api
from tests.sources.fake_transport import Canned, FakeTransport, session_with
from tests.sources.synthetic_trade_files import comtrade_record
from tests.sources.publisher_replies import QUEUED

REPO = Path(__file__).resolve().parents[2]
CATALOG = read_catalog(REPO / "config" / "sources.csv")
GVC = yaml.safe_load((REPO / "config" / "config.yaml").read_text(encoding="utf-8"))["gvc"]


def row(name: str) -> dict:
    return CATALOG.loc[name].to_dict()


def query(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query))


def resolves(host, port):
    return [("ok",)]


def test_requests_are_narrowed_to_one_year_one_partner_one_record():
    url, _ = live_check.small_request(row("wdi_sp_pop_totl"))
    assert query(url) == {"format": "json", "per_page": "1", "date": "2020"}
    url, headers = live_check.small_request(row("comtrade_us_china_total"))
    assert query(url)["period"] == "2024" and headers == {}
    url, headers = live_check.small_request(row("comtrade_us_china_total"), "k")
    assert url.startswith(trade_api.COMTRADE_KEYED) and headers == {"Ocp-Apim-Subscription-Key": "k"}
    url, _ = live_check.small_request(row("census_api_imports_monthly"))
    assert query(url) == {"get": "CTY_CODE,CTY_NAME,GEN_VAL_MO", "time": "2024-12", "CTY_CODE": "5700"}
    url, _ = live_check.small_request(row("census_api_imports_hs2_2017"))
    assert query(url)["time"] == "2017-12" and query(url)["COMM_LVL"] == "HS2"
    url, _ = live_check.small_request(row("eurostat_nama_10r_2gvagr"))
    assert query(url) == {"format": "TSV", "compressed": "true", "startPeriod": "2020", "endPeriod": "2020"}
    url, _ = live_check.small_request(row("oecd_tiva_shares"))
    assert query(url)["startPeriod"] == "2020" and url.startswith(row("oecd_tiva_shares")["live_url"].split("?")[0])
    assert live_check.small_request(row("itu_internet")) == (row("itu_internet")["live_url"], {})
    assert live_check.small_request(row("nbs_fsnd_gdp_v2025")) is None


def test_verdicts_carry_what_came_back_or_the_publishers_error():
    comtrade_ok = json.dumps(
        {
            "elapsedTime": "0.1 secs",
            "count": 1,
            "error": "",
            "data": [comtrade_record("USA", "M", 156, "CHN", "China", 2024, 4.4e11)],
        }
    )
    wb_error = json.dumps(
        [{"message": [{"id": "120", "key": "Invalid value", "value": "The provided parameter value is not valid"}]}]
    )
    transport = FakeTransport(
        {
            trade_api.COMTRADE_PREVIEW: Canned(200, comtrade_ok, {"Content-Type": "application/json"}),
            "https://api.worldbank.org/": Canned(200, wb_error, {"Content-Type": "application/json"}),
            "https://ec.europa.eu/eurostat/api/dissemination/sdmx/2.1/data/": Canned(200, QUEUED),
            "https://www.itu.int/": Canned(
                404, "<html><head><title>Not Found</title></head></html>", {"Content-Type": "text/html"}
            ),
        }
    )
    names = [
        "comtrade_us_china_total",
        "wdi_sp_pop_totl",
        "eurostat_nama_10r_2gvagr",
        "itu_internet",
        "nbs_fsnd_gdp_v2025",
    ]
    lines = []
    failed = live_check.run([row(n) for n in names], session_with(transport), resolve=resolves, out=lines.append)
    by_name = {line.split()[0]: line for line in lines[:-1]}
    assert failed == 2
    assert " OK " in by_name["comtrade_us_china_total"] and "period=2024" in by_name["comtrade_us_china_total"]
    assert (
        " FAILED " in by_name["wdi_sp_pop_totl"]
        and "Invalid value: The provided parameter" in by_name["wdi_sp_pop_totl"]
    )
    assert "queued by Eurostat for asynchronous delivery" in by_name["eurostat_nama_10r_2gvagr"]
    assert "HTTP 404" in by_name["itu_internet"] and "an HTML page titled 'Not Found'" in by_name["itu_internet"]
    assert " SKIPPED " in by_name["nbs_fsnd_gdp_v2025"]
    assert lines[-1] == "live-check: 2 OK, 2 FAILED, 1 skipped"


def test_tiva_measures_are_checked_against_the_codelist():
    codelist = (
        '<?xml version="1.0" encoding="utf-8"?><message:Structure xmlns:message="http://www.sdmx.org/resources/'
        'sdmxml/schemas/v2_1/message" xmlns:structure="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/'
        'structure"><message:Structures><structure:Codelists><structure:Codelist id="CL_TIVA_MEASURE">'
        '<structure:Code id="EXGR"/><structure:Code id="EXGR_FVA"/><structure:Code id="FEXGR_DVA"/>'
        "</structure:Codelist></structure:Codelists></message:Structures></message:Structure>"
    )
    transport = FakeTransport({live_check.TIVA_CODELIST: Canned(200, codelist, {"Content-Type": "application/xml"})})
    outcome = live_check.check_tiva_measures(session_with(transport), ["EXGR_FVA", "EXGR_DVAFX"])
    assert outcome.verdict == "FAILED" and "no EXGR_DVAFX" in outcome.detail and "FEXGR_DVA" in outcome.detail
    assert live_check.check_tiva_measures(session_with(transport), ["EXGR_FVA", "FEXGR_DVA"]).verdict == "OK"


def test_without_network_it_skips_and_sends_nothing():
    def offline(host, port):
        raise socket.gaierror(-3, "Temporary failure in name resolution")

    transport, lines = FakeTransport({}), []
    result = live_check.run(
        [row("wdi_sp_pop_totl"), row("itu_internet")],
        session_with(transport),
        gvc=GVC,
        resolve=offline,
        out=lines.append,
    )
    assert result == -1 and transport.sent == [] and lines[0].startswith("live-check: no network")
