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
  comma-separated. Reply: JSON ``{"elapsedTime", "count", "data": [...], "error"}``.
- US Census Bureau international trade API, imports by HS:
  ``https://api.census.gov/data/timeseries/intltrade/imports/hs?get=VAR,VAR..&COMM_LVL=HS2&time=..``;
  ``GEN_VAL_MO`` is the month's general imports (US$), ``GEN_VAL_YR`` the year to date (so
  ``time=YYYY-12`` gives the calendar year), ``CTY_CODE`` the Schedule C country code (``-`` for
  the total of all countries), ``I_COMMODITY`` the HS code at ``COMM_LVL``; leaving
  ``I_COMMODITY`` out gives the total of all commodities. Reply: JSON array of arrays, header row
  first, every value a string.
"""

from __future__ import annotations

from urllib.parse import quote

COMTRADE_PREVIEW = "https://comtradeapi.un.org/public/v1/preview"
COMTRADE_PREVIEW_MAX_RECORDS = 500
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


__all__ = ["COMTRADE_PREVIEW", "COMTRADE_PREVIEW_MAX_RECORDS", "CENSUS_IMPORTS_HS", "comtrade_preview_url",
           "census_imports_url", "census_hs2_annual_url", "census_monthly_by_country_url",
           "comtrade_hs2_imports_url"]
