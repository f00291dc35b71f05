"""Replies of Eurostat's API in its documented layouts, for the fake transport (values synthetic).

- The queue envelope (HTTP 200 in place of data) and the status reply of the asynchronous API, in the
  namespaces ``.../disschain/soap/extraction`` and ``.../disschain/soap/asynchronous`` +
  ``.../disschain/asynchronous``.
- The 413 SOAP fault ``EXTRACTION_TOO_BIG`` of the API's guidelines.
"""

from __future__ import annotations

QUEUED = (
    '<?xml version="1.0" encoding="UTF-8" ?>\n<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/">'
    '<env:Header/><env:Body><ns0:syncResponse xmlns:ns0="http://estat.ec.europa.eu/disschain/soap/extraction">'
    "<processingTime>92</processingTime><queued><id>e3d39a1b-27eb-4ce4-936d-8f95b23bf74f</id>"
    "<status>SUBMITTED</status></queued></ns0:syncResponse></env:Body></env:Envelope>"
)
KEY = "e3d39a1b-27eb-4ce4-936d-8f95b23bf74f"
STATUS_URL = f"https://ec.europa.eu/eurostat/api/dissemination/1.0/async/status/{KEY}"
DATA_URL = f"https://ec.europa.eu/eurostat/api/dissemination/1.0/async/data/{KEY}"
TOO_BIG = (
    '<S:Fault xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><faultcode>413</faultcode>'
    "<faultstring>EXTRACTION_TOO_BIG: The requested extraction is too big, estimated 420709314 rows, max "
    "authorised is 5000000, please change your filters to reduce the extraction size</faultstring></S:Fault>"
)


def status_reply(status: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/">'
        '<env:Header/><env:Body><ns0:asyncResponse xmlns:ns0="http://estat.ec.europa.eu/disschain/soap/asynchronous">'
        '<ns1:status xmlns:ns1="http://estat.ec.europa.eu/disschain/asynchronous">'
        f"<ns1:key>{KEY}</ns1:key><ns1:status>{status}</ns1:status></ns1:status></ns0:asyncResponse></env:Body>"
        "</env:Envelope>"
    )
