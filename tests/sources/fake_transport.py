"""A fake HTTP transport for requests: scripted replies per URL, no socket ever opened.

Mounted on a ``requests.Session`` (``session_with(transport)``) it answers every GET whose URL
starts with a scripted prefix, in order (the last reply repeats), records each request's URL and
headers, and answers anything else with a ConnectionError, as an unreachable host would.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict


@dataclass
class Canned:
    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)


class FakeTransport(BaseAdapter):
    def __init__(self, routes: dict[str, list[Canned] | Canned]):
        super().__init__()
        self.routes = {
            prefix: replies if isinstance(replies, list) else [replies] for prefix, replies in routes.items()
        }
        self.sent: list[tuple[str, dict[str, str]]] = []
        self._served: dict[str, int] = {}

    def send(self, request, **kwargs):
        self.sent.append((request.url, dict(request.headers)))
        prefix = max((p for p in self.routes if request.url.startswith(p)), key=len, default=None)
        if prefix is None:
            raise requests.ConnectionError(f"fake transport: no route for {request.url}")
        index = self._served.get(prefix, 0)
        self._served[prefix] = index + 1
        canned = self.routes[prefix][min(index, len(self.routes[prefix]) - 1)]
        body = canned.body.encode("utf-8") if isinstance(canned.body, str) else canned.body
        response = requests.Response()
        response.status_code, response.url, response.request = canned.status, request.url, request
        response.reason = {
            200: "OK",
            400: "Bad Request",
            401: "Unauthorized",
            404: "Not Found",
            413: "Payload Too Large",
        }.get(canned.status, "")
        response.headers = CaseInsensitiveDict({"Content-Type": "application/octet-stream", **canned.headers})
        response.raw = io.BytesIO(body)
        return response

    def close(self):
        pass

    def urls(self) -> list[str]:
        return [url for url, _ in self.sent]


def session_with(transport: FakeTransport) -> requests.Session:
    session = requests.Session()
    session.mount("http://", transport)
    session.mount("https://", transport)
    return session
