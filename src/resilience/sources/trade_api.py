"""Query URLs of the two public trade APIs, built from their documented parameters.

The catalog (config/sources.csv) holds one GET URL per dataset; these builders say how each was
made, and ``tests/sources/test_trade_api.py`` checks that the catalog's URLs are exactly what they
build. Fetching goes through the generic download layer (``resilience.sources.fetch``: urllib3
retries on connection errors and on 429/5xx, honouring Retry-After, which both APIs send when a
client is throttled), so a trade source is obtained, checksummed and recorded like any other.

- UN Comtrade public preview API (no key; at most 500 records per reply):
  ``https://comtradeapi.un.org/public/v1/preview/{typeCode}/{freqCode}/{clCode}?reporterCode=..``
  with ``period``, ``partnerCode``, ``partner2Code``, ``cmdCode`` (``TOTAL``, ``AG2`` = every
  2-digit chapter), ``flowCode`` (``M`` imports, ``X`` exports), ``customsCode`` (``C00`` = all
  procedures), ``motCode`` (``0`` = all modes of transport), ``includeDesc``. Several codes are
  comma-separated, except ``period``: the preview takes one period per call (a list answers HTTP 400),
  so the catalog's query over several years is sent as one call per year (:func:`comtrade_calls`) and
  the replies merged into one (:func:`merge_comtrade_replies`); the keyed endpoint
  (``/data/v1/get/...``, key in the ``Ocp-Apim-Subscription-Key`` header, from ``COMTRADE_API_KEY``)
  takes the list in one call. Reply: JSON ``{"elapsedTime", "count", "data": [...], "error"}``; a
  refusal is ``{"statusCode", "message"}`` with its HTTP status.
- US Census Bureau international trade API, imports by HS:
  ``https://api.census.gov/data/timeseries/intltrade/imports/hs?get=VAR,VAR..&COMM_LVL=HS2&time=..``;
  ``GEN_VAL_MO`` is the month's general imports (US$), ``GEN_VAL_YR`` the year to date (so
  ``time=YYYY-12`` gives the calendar year), ``CTY_CODE`` the Schedule C country code (``-`` for
  the total of all countries), ``I_COMMODITY`` the HS code at ``COMM_LVL``; leaving
  ``I_COMMODITY`` out gives the total of all commodities. Reply: JSON array of arrays, header row
  first, every value a string.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

COMTRADE_PREVIEW = "https://comtradeapi.un.org/public/v1/preview"
COMTRADE_PREVIEW_MAX_RECORDS = 500
# The keyed endpoint (a free subscription key from comtradedeveloper.un.org) takes the same
# parameters, several periods per call and up to 100,000 records; the key travels in this header.
COMTRADE_KEYED = "https://comtradeapi.un.org/data/v1/get"
COMTRADE_KEY_HEADER = "Ocp-Apim-Subscription-Key"
COMTRADE_KEY_ENV = "COMTRADE_API_KEY"
COMTRADE_REPLY_KEYS = ("elapsedTime", "count", "data", "error")
CENSUS_IMPORTS_HS = "https://api.census.gov/data/timeseries/intltrade/imports/hs"


def _codes(values) -> str:
    if isinstance(values, (str, int)):
        return str(values)
    return ",".join(str(v) for v in values)


def comtrade_preview_url(*, reporter, period, partner=None, cmd="TOTAL", flow="M", type_code="C",
                         freq="A", classification="HS", totals_only=True, include_desc=True) -> str:
    """A preview query; ``partner=None`` asks for every partner (and the World, code 0).

    ``totals_only`` adds ``partner2Code=0&customsCode=C00&motCode=0``, so each reporter x partner x
    commodity x flow comes once (the all-procedures, all-transport total), not once per breakdown.
    """
    params = [("reporterCode", _codes(reporter)), ("period", _codes(period))]
    if partner is not None:
        params.append(("partnerCode", _codes(partner)))
    params += [("cmdCode", _codes(cmd)), ("flowCode", _codes(flow))]
    if totals_only:
        params += [("partner2Code", "0"), ("customsCode", "C00"), ("motCode", "0")]
    params.append(("includeDesc", "true" if include_desc else "false"))
    query = "&".join(f"{k}={v}" for k, v in params)
    return f"{COMTRADE_PREVIEW}/{type_code}/{freq}/{classification}?{query}"


def census_imports_url(*, variables, time: str, comm_lvl: str | None = None) -> str:
    """An imports/hs query for ``variables`` at ``time`` ('2017-12' or 'from 2015-01')."""
    params = [("get", ",".join(variables))]
    if comm_lvl:
        params.append(("COMM_LVL", comm_lvl))
    params.append(("time", quote(time, safe="-").replace("%20", "+")))
    return CENSUS_IMPORTS_HS + "?" + "&".join(f"{k}={v}" for k, v in params)


def census_hs2_annual_url(year: int) -> str:
    """US general imports by HS chapter and partner (every country, and the total) in ``year``."""
    return census_imports_url(variables=["CTY_CODE", "CTY_NAME", "I_COMMODITY", "GEN_VAL_YR"],
                              time=f"{year}-12", comm_lvl="HS2")


def census_monthly_by_country_url(first_month: str) -> str:
    """US general imports, all commodities, by partner and month from ``first_month`` on."""
    return census_imports_url(variables=["CTY_CODE", "CTY_NAME", "GEN_VAL_MO"], time=f"from {first_month}")


def comtrade_hs2_imports_url(year: int, *, reporter: int = 842, partners=(0, 156)) -> str:
    """Reporter's imports by HS chapter from ``partners`` (0 = World) in ``year`` (< 500 records)."""
    return comtrade_preview_url(reporter=reporter, period=year, partner=partners, cmd="AG2", flow="M")


def is_comtrade_preview(url: str) -> bool:
    return url.startswith(COMTRADE_PREVIEW + "/")


def comtrade_calls(url: str, api_key: str | None = None) -> list[tuple[str, dict[str, str]]]:
    """The GET requests (url, headers) that answer one catalog query of the preview API.

    Without a key: one call per period, since the public preview answers a list of periods
    (``period=2023,2024``) with HTTP 400. With a key: one call to the keyed endpoint, which takes
    the list as it is.
    """
    if not is_comtrade_preview(url):
        raise ValueError(f"{url} is not a UN Comtrade preview query ({COMTRADE_PREVIEW}/...)")
    if api_key:
        return [(COMTRADE_KEYED + url[len(COMTRADE_PREVIEW):], {COMTRADE_KEY_HEADER: api_key})]
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    periods = [p for value in (v for k, v in query if k == "period") for p in value.split(",") if p]
    if len(periods) <= 1:
        return [(url, {})]
    calls = []
    for period in periods:
        single = [(k, period if k == "period" else v) for k, v in query]
        calls.append((urlunsplit(parts._replace(query=urlencode(single, safe=","))), {}))
    return calls


def comtrade_reply_problem(body) -> str | None:
    """What makes a decoded reply unusable (an error payload, a wrong shape, a capped preview), or None."""
    if not isinstance(body, dict) or not isinstance(body.get("data"), list):
        return f"not a Comtrade reply {{{', '.join(COMTRADE_REPLY_KEYS)}}}: {str(body)[:200]}"
    if body.get("error"):
        return f"the API answered with an error: {body['error']}"
    if len(body["data"]) >= COMTRADE_PREVIEW_MAX_RECORDS and body.get("count", 0) >= COMTRADE_PREVIEW_MAX_RECORDS:
        return (f"{len(body['data'])} records, the preview's cap of {COMTRADE_PREVIEW_MAX_RECORDS}: the reply may be cut "
                f"off; narrow the query or set {COMTRADE_KEY_ENV} to use the keyed endpoint")
    return None


def merge_comtrade_replies(replies: list[dict]) -> dict:
    """One reply in the API's own layout from the replies of several calls (records in call order).

    ``count`` is the total of the records, ``elapsedTime`` the calls' times joined, ``error`` empty
    (a reply with an error is refused before merging).
    """
    if len(replies) == 1:
        return replies[0]
    data = [record for reply in replies for record in reply["data"]]
    return {"elapsedTime": "; ".join(str(r.get("elapsedTime", "")) for r in replies), "count": len(data),
            "data": data, "error": ""}


__all__ = ["COMTRADE_PREVIEW", "COMTRADE_KEYED", "COMTRADE_KEY_HEADER", "COMTRADE_KEY_ENV",
           "COMTRADE_PREVIEW_MAX_RECORDS", "CENSUS_IMPORTS_HS", "comtrade_calls", "comtrade_reply_problem",
           "merge_comtrade_replies", "is_comtrade_preview", "comtrade_preview_url", "census_imports_url",
           "census_hs2_annual_url", "census_monthly_by_country_url", "comtrade_hs2_imports_url"]
