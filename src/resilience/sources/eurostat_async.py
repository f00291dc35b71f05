"""Eurostat's asynchronous delivery of large or uncached SDMX 2.1 data requests.

Eurostat may answer a data request with HTTP 200 and, instead of the data, a SOAP envelope
holding a key (documented in the API's "Asynchronous API" guidelines)::

    <env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Header/><env:Body>
      <ns0:syncResponse xmlns:ns0="http://estat.ec.europa.eu/disschain/soap/extraction">
        <processingTime>92</processingTime>
        <queued><id>e3d39a1b-...</id><status>SUBMITTED</status></queued>
      </ns0:syncResponse></env:Body></env:Envelope>

The client then asks ``{api}/1.0/async/status/{key}`` (an envelope whose ``asyncResponse``
holds ``<status><key/><status/></status>`` in the ``.../disschain/asynchronous`` namespace) until
the status is ``AVAILABLE`` and fetches the data from ``{api}/1.0/async/data/{key}``; ``{api}`` is
the URL up to ``/sdmx/2.1/`` (``https://ec.europa.eu/eurostat/api/dissemination``). SUBMITTED and
PROCESSING mean wait; EXPIRED, UNKNOWN_REQUEST and ERROR are final failures.

These functions only read bytes and build URLs; the requests are made by ``resilience.sources.fetch``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from resilience.errors import DownloadError

SOAP_ENV = "{http://schemas.xmlsoap.org/soap/envelope/}"
SYNC_NS = "{http://estat.ec.europa.eu/disschain/soap/extraction}"
ASYNC_SOAP_NS = "{http://estat.ec.europa.eu/disschain/soap/asynchronous}"
ASYNC_NS = "{http://estat.ec.europa.eu/disschain/asynchronous}"
WAITING = {"SUBMITTED", "PROCESSING"}
FAILED = {"EXPIRED", "UNKNOWN_REQUEST", "ERROR"}
SDMX_DATA_PATH = re.compile(r"^(?P<api>.+?)/sdmx/2\.1/data/")


class Queued(DownloadError):
    """Eurostat queued the request: the data will be at ``key`` once prepared."""

    def __init__(self, url: str, key: str, status: str):
        super().__init__(
            f"GET {url}: Eurostat queued the request for asynchronous delivery "
            f"(key {key}, status {status}) instead of sending the data"
        )
        self.key, self.status = key, status


def _envelope(head: bytes) -> ET.Element | None:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:200]
    if not (start.startswith(b"<?xml") or start.startswith(b"<env:Envelope")) or b"Envelope" not in head:
        return None
    try:
        return ET.fromstring(head)
    except ET.ParseError:
        return None


def raise_if_queued(url: str, head: bytes) -> None:
    """Raise ``Queued`` when ``head`` (the first bytes of a data reply) is the queue envelope."""
    root = _envelope(head)
    if root is None:
        return
    queued = root.find(f"{SOAP_ENV}Body/{SYNC_NS}syncResponse/queued")
    if queued is None:
        return
    key = (queued.findtext("id") or "").strip()
    if not key:
        raise DownloadError(f"GET {url}: Eurostat queued the request but its reply has no key to poll")
    raise Queued(url, key, (queued.findtext("status") or "").strip())


def status_of(url: str, body: bytes) -> str:
    """The status in a reply of the status endpoint (DownloadError if the reply is not one)."""
    root = _envelope(body)
    status = None
    if root is not None:
        status = root.findtext(f"{SOAP_ENV}Body/{ASYNC_SOAP_NS}asyncResponse/{ASYNC_NS}status/{ASYNC_NS}status")
    if not status:
        raise DownloadError(f"GET {url}: not a Eurostat asynchronous status reply: {body[:200]!r}")
    return status.strip()


def _api_root(url: str) -> str:
    match = SDMX_DATA_PATH.match(url)
    if not match:
        raise DownloadError(
            f"{url}: Eurostat queued a request that is not an SDMX 2.1 data query "
            "(.../sdmx/2.1/data/...), so there is no asynchronous endpoint to poll"
        )
    return match.group("api")


def status_url(url: str, key: str) -> str:
    return f"{_api_root(url)}/1.0/async/status/{key}"


def data_url(url: str, key: str) -> str:
    return f"{_api_root(url)}/1.0/async/data/{key}"


__all__ = ["Queued", "WAITING", "FAILED", "raise_if_queued", "status_of", "status_url", "data_url"]
