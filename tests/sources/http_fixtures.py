"""A scripted HTTP server on 127.0.0.1 for download tests (no test may touch the network).

Usage in a test module of this folder (conftest.py provides the fixtures)::

    from http_fixtures import Reply

    def test_x(http_server):
        http_server.route("/data.csv", [Reply(503), Reply(200, b"a,b\\n")])
        ...  # GET http_server.url("/data.csv")
        assert http_server.hits("/data.csv") == 2

A route is a list of replies served in order (the last one repeats), or a function of the query
(dict of str) returning a Reply. Safety bounds: after ``max_requests`` requests every reply is 410
(not retried by the client), and the server shuts itself down after ``lifetime`` seconds even if a
test never reaches its teardown.
"""

from __future__ import annotations

import socket
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import pytest

HOST = "127.0.0.1"


@dataclass
class Reply:
    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    # Announce more bytes than sent to simulate a transfer cut off mid-way.
    content_length: int | None = None

    def payload(self) -> bytes:
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body


Route = list[Reply] | Callable[[dict[str, str]], Reply]


class ScriptedServer:
    """Threaded http.server answering from scripted routes and counting hits per path."""

    def __init__(self, *, max_requests: int = 50, lifetime: float = 30.0):
        self.max_requests = max_requests
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self._served = Counter()
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer((HOST, 0), _make_handler(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._timer = threading.Timer(lifetime, self._httpd.shutdown)
        self._timer.daemon = True

    def start(self) -> ScriptedServer:
        self._thread.start()
        self._timer.start()
        return self

    def stop(self) -> None:
        self._timer.cancel()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def url(self, path: str) -> str:
        return f"http://{HOST}:{self._httpd.server_address[1]}{path}"

    def route(self, path: str, replies: Reply | Route) -> None:
        self.routes[path] = [replies] if isinstance(replies, Reply) else replies

    def hits(self, path: str) -> int:
        with self._lock:
            return self._served[path]

    def reply_for(self, path: str, query: dict[str, str]) -> Reply:
        with self._lock:
            self.requests.append((path, query))
            index = self._served[path]
            self._served[path] += 1
            if len(self.requests) > self.max_requests:
                return Reply(410, "request budget of the test server exhausted")
        route = self.routes.get(path)
        if route is None:
            return Reply(404, "no such route")
        if callable(route):
            return route(query)
        return route[min(index, len(route) - 1)]


def _make_handler(server: ScriptedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's naming)
            parts = urlsplit(self.path)
            reply = server.reply_for(parts.path, dict(parse_qsl(parts.query, keep_blank_values=True)))
            body = reply.payload()
            self.send_response(reply.status)
            headers = {"Content-Type": "application/octet-stream", **reply.headers}
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(reply.content_length or len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):  # keep pytest output clean
            pass

    return Handler


@pytest.fixture
def http_server():
    server = ScriptedServer().start()
    yield server
    server.stop()


@pytest.fixture
def refused_url():
    """A localhost URL whose port is bound but not listening: connecting is refused at once."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        yield f"http://{HOST}:{sock.getsockname()[1]}/data.csv"
