"""`make live-check`: one small request per live catalog dataset, to see whether each publisher still
answers the request as the catalog writes it.

Per dataset it prints OK (with what came back) or FAILED with the publisher's own error, and it
reads at most the first ``HEAD_BYTES`` of any reply. The request is the catalog's, narrowed where
the publisher documents a way (one year, one partner, one record): World Bank ``per_page=1&date``,
UN Comtrade one period, Census one month and one partner (``CTY_CODE``), Eurostat and OECD
``startPeriod``/``endPeriod``. For OECD TiVA it also reads the measure codelist (CL_TIVA_MEASURE) and
says whether the configured measure codes are in it. Without network (no publisher host resolves)
it says so and exits 0. It is a script for a user with internet, not a test: it is not run by
`make test`.

    python -m resilience.sources.live_check [--catalog config/sources.csv] [--config config/config.yaml]
                                            [--only dataset,dataset]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from resilience.errors import DownloadError
from resilience.sources import eurostat_async, fetch, trade_api

HEAD_BYTES = 1 << 16
SAMPLE_YEAR = "2020"
SAMPLE_MONTH = "2024-12"
CENSUS_CHINA = "5700"
TIVA_CODELIST = "https://sdmx.oecd.org/sti-public/rest/codelist/OECD.STI.PIE/CL_TIVA_MEASURE"


@dataclass
class Outcome:
    dataset: str
    verdict: str  # OK, FAILED or SKIPPED
    detail: str

    def line(self) -> str:
        return f"{self.dataset:<40} {self.verdict:<7} {self.detail}"


def _replace_query(url: str, **params: str) -> str:
    parts = urlsplit(url)
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    return urlunsplit(parts._replace(query=urlencode(kept + list(params.items()), safe=",:+")))


def small_request(row: dict, comtrade_key: str | None = None) -> tuple[str, dict[str, str]] | None:
    """(url, headers) of the narrowed request for a catalog row; None when it has no live download."""
    method, url = row.get("live_method", ""), row.get("live_url", "")
    if method in ("", "none") or not url:
        return None
    if method == "wb_api":
        narrowed = {"format": "json", "per_page": "1"}
        if "/indicator/" in url:
            narrowed["date"] = SAMPLE_YEAR
        return _replace_query(url, **narrowed), {}
    if trade_api.is_comtrade_preview(url):
        return trade_api.comtrade_calls(url, comtrade_key)[-1]
    if url.startswith(trade_api.CENSUS_IMPORTS_HS):
        time = dict(parse_qsl(urlsplit(url).query)).get("time", "")
        return _replace_query(
            url, time=time if re.fullmatch(r"\d{4}-\d{2}", time) else SAMPLE_MONTH, CTY_CODE=CENSUS_CHINA
        ), {}
    if "/sdmx/2.1/data/" in url or "/rest/data/" in url:
        return _replace_query(url, startPeriod=SAMPLE_YEAR, endPeriod=SAMPLE_YEAR), {}
    return url, {}


def _first_bytes(session, url: str, headers: dict[str, str], expect_html: bool) -> tuple[bytes, str]:
    """The reply's first bytes and Content-Type, after the checks every download makes (HTTP status
    with the publisher's explanation, HTML in place of data, Eurostat's queue envelope)."""
    with fetch._get(session, url, timeout=(10, 60), stream=True, headers=headers or None) as response:
        head = next(response.iter_content(HEAD_BYTES), b"")
        content_type = response.headers.get("Content-Type", "")
    if not head:
        raise DownloadError(f"GET {url}: the server sent an empty body")
    if not expect_html:
        fetch._reject_html(url, content_type, head)
    eurostat_async.raise_if_queued(url, head)
    return head, content_type


def _json_problem(row: dict, head: bytes) -> str | None:
    """The publisher's error inside a JSON reply answered with HTTP 200 (World Bank, Comtrade)."""
    try:
        body = json.loads(head)
    except ValueError:
        return None  # cut at HEAD_BYTES: a long JSON reply is data
    if row.get("live_method") == "wb_api":
        return fetch._wb_error_text(body)
    if trade_api.is_comtrade_preview(row.get("live_url", "")) and isinstance(body, dict) and body.get("error"):
        return f"the API answered with an error: {body['error']}"
    return None


def check_row(row: dict, session, *, comtrade_key: str | None = None) -> Outcome:
    dataset = row["dataset"]
    request = small_request(row, comtrade_key)
    if request is None:
        return Outcome(dataset, "SKIPPED", "no live download (mirror or manual export only)")
    url, headers = request
    try:
        head, content_type = _first_bytes(session, url, headers, row.get("live_format") == "html")
    except eurostat_async.Queued as queued:
        return Outcome(
            dataset, "OK", f"queued by Eurostat for asynchronous delivery (key {queued.key}); the download polls for it"
        )
    except DownloadError as exc:
        return Outcome(dataset, "FAILED", str(exc))
    problem = _json_problem(row, head)
    if problem:
        return Outcome(dataset, "FAILED", f"GET {url}: {problem}")
    return Outcome(
        dataset,
        "OK",
        f"{len(head)} bytes{'+' if len(head) == HEAD_BYTES else ''} "
        f"({content_type.split(';')[0] or 'no Content-Type'}) from {url}",
    )


def check_tiva_measures(session, measures: list[str], codelist_url: str = TIVA_CODELIST) -> Outcome:
    """Whether the configured TiVA measure codes are in the OECD's measure codelist today."""
    try:
        head, _ = _codelist(session, codelist_url)
    except DownloadError as exc:
        return Outcome("CL_TIVA_MEASURE", "FAILED", str(exc))
    codes = set(re.findall(rb'<(?:\w+:)?Code\b[^>]*\bid="([^"]+)"', head))
    missing = [m for m in measures if m.encode() not in codes]
    if missing:
        return Outcome(
            "CL_TIVA_MEASURE",
            "FAILED",
            f"the codelist has no {', '.join(missing)} (gvc.measures); "
            f"it has {len(codes)} codes, e.g. "
            f"{', '.join(sorted(c.decode() for c in codes)[:12])}",
        )
    return Outcome("CL_TIVA_MEASURE", "OK", f"{', '.join(measures)} are in the codelist ({len(codes)} codes)")


def _codelist(session, url: str) -> tuple[bytes, str]:
    with fetch._get(session, url, timeout=(10, 60)) as response:
        return response.content, response.headers.get("Content-Type", "")


def network_available(hosts: list[str], resolve: Callable = socket.getaddrinfo) -> bool:
    """True when at least one publisher host resolves (the machine has a network at all)."""
    for host in hosts:
        try:
            resolve(host, 443)
            return True
        except (socket.gaierror, UnicodeError, OSError):
            continue
    return False


def run(
    rows: list[dict],
    session,
    *,
    gvc: dict | None = None,
    comtrade_key: str | None = None,
    resolve: Callable = socket.getaddrinfo,
    out=print,
) -> int:
    """Check every row; print one line each; return the number of failures (-1: no network, skipped)."""
    hosts = sorted({urlsplit(r["live_url"]).hostname or "" for r in rows if r.get("live_url")} - {""})
    if not network_available(hosts, resolve):
        out(
            "live-check: no network (no publisher host resolves); skipped. Offline, run from the mirror: "
            "make all RAW_MIRROR=/path/to/raw-snapshots"
        )
        return -1
    outcomes = [check_row(row, session, comtrade_key=comtrade_key) for row in rows]
    if gvc and any(r["dataset"] in gvc["datasets"].values() for r in rows):
        outcomes.append(check_tiva_measures(session, [gvc["measures"][k] for k in ("backward", "forward")]))
    for outcome in outcomes:
        out(outcome.line())
    failed = sum(o.verdict == "FAILED" for o in outcomes)
    out(
        f"live-check: {sum(o.verdict == 'OK' for o in outcomes)} OK, {failed} FAILED, "
        f"{sum(o.verdict == 'SKIPPED' for o in outcomes)} skipped"
    )
    return failed


def main(argv: list[str] | None = None) -> int:
    import yaml

    from resilience.catalog import read_catalog

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--catalog", default="config/sources.csv")
    parser.add_argument("--config", default="config/config.yaml")
    parser.add_argument("--only", default="", help="comma-separated dataset ids (default: every row)")
    args = parser.parse_args(argv)
    catalog = read_catalog(args.catalog)
    wanted = [d for d in args.only.split(",") if d]
    unknown = sorted(set(wanted) - set(catalog.index))
    if unknown:
        parser.error(f"--only: not in {args.catalog}: {', '.join(unknown)}")
    rows = [catalog.loc[d].to_dict() for d in (wanted or list(catalog.index))]
    gvc = yaml.safe_load(Path(args.config).read_text(encoding="utf-8")).get("gvc")
    key = (os.environ.get(trade_api.COMTRADE_KEY_ENV) or "").strip() or None
    with fetch.make_session(retries=1, backoff_factor=0) as session:
        failed = run(rows, session, gvc=gvc, comtrade_key=key)
    return 1 if failed > 0 else 0


if __name__ == "__main__":
    sys.exit(main())
