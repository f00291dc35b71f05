"""Raw-data acquisition: publisher downloads and the offline mirror, atomic and checksummed.

Every public function either leaves a complete, verified file at its destination or raises a
``DownloadError`` (``ChecksumError`` for a hash mismatch) naming the URL or mirror path. Files are
written to a hidden temporary name next to the destination and renamed only once complete and
verified, so a later rule can never mistake a cut-off transfer or an error page for data.

Retries live in urllib3's ``Retry`` (mounted on a ``requests.Session``), not in a loop of our own.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import json
import math
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from typing import TYPE_CHECKING

# requests (with urllib3) is imported by the functions that go online: a run from the mirror, and
# every clean job reading a manifest, never needs it.
if TYPE_CHECKING:
    import requests

from resilience import __version__
from resilience.io import atomic_path
from resilience.errors import ChecksumError, ConfigError, DownloadError, InputError
from resilience.sources import eurostat_async, trade_api

T = TypeVar("T")

CHUNK_BYTES = 1 << 20
RETRY_STATUSES = (429, 500, 502, 503, 504)
DEFAULT_USER_AGENT = f"resilience-pipeline/{__version__} (research data pipeline; python-requests)"
# A publisher asking us to come back in hours should fail the run, not stall it silently.
DEFAULT_RETRY_AFTER_MAX = 300

MANIFEST_NAME = "manifest.json"
MANIFEST_KEYS = ("dataset", "status", "mode", "file", "format", "url", "retrieved_at", "bytes",
                 "sha256", "mirror_path", "vintage_hint", "message")
MIRROR_COLUMNS = ("file", "bytes", "sha256", "publisher_url", "vintage")
# A raw-data bundle (resilience.sources.bundle) is a mirror with this index at its top: per dataset,
# the file's path in the bundle and the format it was published in.
BUNDLE_INDEX = "BUNDLE.csv"
BUNDLE_COLUMNS = ("dataset", "path", "format", "mode", "publisher_url", "sha256", "bytes", "vintage")
SHA256_HEX = re.compile(r"[0-9a-fA-F]{64}")
MIRROR_HOWTO = ("To run without network, supply a mirror of the published files: "
                "`make all RAW_MIRROR=/path/to/raw-snapshots` or `--config raw_mirror=/path/to/raw-snapshots`.")
HTML_TYPES = {"text/html", "application/xhtml+xml"}
HTML_STARTS = (b"<!doctype html", b"<html")
# How much of an error reply is read for the publisher's explanation, and how much of it is shown.
ERROR_BODY_BYTES = 4096
ERROR_TEXT_CHARS = 300
# Eurostat prepares a queued extraction in minutes; past this the run stops and says to try again.
EUROSTAT_ASYNC_WAIT = 900
EUROSTAT_POLL_SECONDS = 15
JSON_MESSAGE_KEYS = ("message", "error", "detail", "title", "Message", "errorMessage")


# ---------------------------------------------------------------------------------------------
# Files: hashing, atomic writes, manifests


def sha256_file(path) -> str:
    """Hex sha256 of a file, read in chunks (raw files run to hundreds of MB)."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def atomic_write(dest, write_fn: Callable[[BinaryIO], T]) -> T:
    """Call ``write_fn(binary_handle)`` on a temporary file and rename it onto ``dest`` on success.

    Returns what ``write_fn`` returns. If ``write_fn`` raises (e.g. a checksum check inside it),
    nothing is left at ``dest``.
    """
    with atomic_path(dest) as temp:
        with open(temp, "xb") as handle:
            result = write_fn(handle)
            handle.flush()
            # Durable before the rename: a crash must not leave a renamed but empty file.
            os.fsync(handle.fileno())
    return result


def write_manifest(path, entry: dict) -> None:
    """Write ``entry`` as deterministic JSON (sorted keys, indent 2, trailing newline), atomically."""
    text = json.dumps(entry, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    atomic_write(path, lambda handle: handle.write(text.encode("utf-8")))


def _utc_now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def write_verified(chunks: Iterable[bytes], expected_sha256: str | None,
                   what) -> Callable[[BinaryIO], tuple[int, str]]:
    """A ``write_fn`` that copies ``chunks``, hashing as it goes, and refuses a wrong sha256.

    The check runs before ``atomic_write`` renames, so a mismatching file never reaches its destination.
    """
    def write(handle: BinaryIO) -> tuple[int, str]:
        digest, size = hashlib.sha256(), 0
        for chunk in chunks:
            handle.write(chunk)
            digest.update(chunk)
            size += len(chunk)
        _check_sha256(what, expected_sha256, digest.hexdigest())
        return size, digest.hexdigest()
    return write


def is_sha256(text) -> bool:
    """64 hex digits (either case): the only form a recorded sha256 may take."""
    return isinstance(text, str) and SHA256_HEX.fullmatch(text.strip()) is not None


def _check_sha256(what, expected: str | None, actual: str) -> None:
    """``expected`` None means nothing was pinned (a live download); anything else must be a sha256,
    since a blank or garbled value would otherwise switch the check off."""
    if expected is None:
        return
    if not is_sha256(expected):
        raise ChecksumError(f"{what}: the recorded sha256 {expected!r} is not 64 hex digits, so the file "
                            "cannot be checked; record the published file's sha256")
    if expected.strip().lower() != actual:
        raise ChecksumError(f"{what}: sha256 mismatch: expected {expected.strip().lower()}, got {actual}. "
                            "The file is not the one recorded: restore the published file, or, if the "
                            "publisher has released a new vintage, record its sha256 where the old one stood")


def _retrieved(url: str, size: int, digest: str, **extra) -> dict:
    return {"url": url, "retrieved_at": _utc_now(), "bytes": size, "sha256": digest, **extra}


# ---------------------------------------------------------------------------------------------
# HTTP


def make_session(retries: int = 5, backoff_factor: float = 1.0, user_agent: str = DEFAULT_USER_AGENT,
                 retry_after_max: int = DEFAULT_RETRY_AFTER_MAX) -> requests.Session:
    """A session whose GETs urllib3 retries on connect/read errors and on 429/5xx replies.

    Waits ``backoff_factor * 2**(n-1)`` seconds between tries (0 = no wait, for tests), or what the
    server's ``Retry-After`` asks, capped at ``retry_after_max`` seconds. After the last retry the
    final reply is handed back (``raise_on_status=False``) so the error can name its HTTP status.
    """
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.util.retry import Retry

    retry = Retry(total=retries, connect=retries, read=retries, status=retries,
                  status_forcelist=RETRY_STATUSES, allowed_methods=frozenset({"GET"}),
                  backoff_factor=backoff_factor, respect_retry_after_header=True,
                  retry_after_max=retry_after_max, raise_on_status=False)
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = user_agent
    return session


def _root_cause(exc: BaseException) -> str:
    """'NewConnectionError: ... Connection refused' rather than requests' nested wrapper text."""
    inner = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else exc
    cause = getattr(inner, "reason", None) or inner
    return f"{type(cause).__name__}: {cause}"


def _get(session: requests.Session, url: str, *, timeout, stream: bool = False,
         headers: dict[str, str] | None = None) -> requests.Response:
    """GET with the session's retries; any outcome but HTTP 200 becomes a DownloadError naming the URL
    and, where the reply's body gives one, the publisher's own explanation."""
    import requests

    try:
        response = session.get(url, timeout=timeout, stream=stream, headers=headers)
    except requests.RequestException as exc:
        raise DownloadError(f"GET {url} failed (retries exhausted): {_root_cause(exc)}") from exc
    if response.status_code != 200:
        said = _publisher_explanation(response)
        response.close()
        history = getattr(getattr(response.raw, "retries", None), "history", ()) or ()
        tries = f" after {len(history)} retries" if history else ""
        raise DownloadError(f"GET {url} failed{tries}: HTTP {response.status_code} {response.reason}"
                            + (f"; the publisher says: {said}" if said else "") + _status_advice(said))
    return response


def _publisher_explanation(response: requests.Response) -> str:
    """The explanation in an error reply's first bytes ('' if it has none or cannot be read)."""
    import requests

    try:
        head = next(response.iter_content(ERROR_BODY_BYTES), b"")
    except (requests.RequestException, StopIteration, ValueError):
        return ""
    return explain_error_body(head, response.headers.get("Content-Type", ""))


def explain_error_body(body: bytes, content_type: str = "") -> str:
    """A publisher's error reply as one short line: the message of a JSON error object, the
    faultstring or error text of an XML (SOAP, SDMX) reply, an HTML page's title, or the plain text."""
    text = body.decode("utf-8", "replace").lstrip("\ufeff").strip()
    if not text:
        return ""
    start, media_type = text[:64].lower(), content_type.split(";")[0].strip().lower()
    if media_type in HTML_TYPES or start.startswith(("<!doctype html", "<html")):
        title = re.search(r"<title[^>]*>(.*?)</title>", text, re.I | re.S)
        said = f"an HTML page titled {title.group(1).strip()!r}" if title else "an HTML page"
    elif text.startswith("<"):
        said = _xml_error_text(text)
    elif text.startswith(("{", "[")):
        said = _json_error_text(text)
    else:
        said = text
    said = re.sub(r"\s+", " ", said).strip()
    return said if len(said) <= ERROR_TEXT_CHARS else said[:ERROR_TEXT_CHARS - 3] + "..."


def _xml_error_text(text: str) -> str:
    for tag in ("faultstring", r"(?:\w+:)?Text", r"(?:\w+:)?ErrorMessage", r"(?:\w+:)?message"):
        found = re.search(rf"<{tag}\b[^>]*>(.*?)</{tag}>", text, re.S)
        if found and found.group(1).strip():
            return found.group(1)
    return re.sub(r"<[^>]+>", " ", text)


def _json_error_text(text: str) -> str:
    try:
        body = json.loads(text)
    except ValueError:
        return text
    if isinstance(body, list) and body and isinstance(body[0], dict):
        body = body[0]
    if isinstance(body, dict):
        found = [str(body[k]) for k in JSON_MESSAGE_KEYS if isinstance(body.get(k), (str, int, float)) and body.get(k) != ""]
        if found:
            return "; ".join(found)
    return json.dumps(body, ensure_ascii=False)


def _status_advice(said: str) -> str:
    if "EXTRACTION_TOO_BIG" in said:
        return (". Eurostat refuses extractions this large: narrow the query in the catalog's live_url (a series key "
                "in the path, startPeriod/endPeriod) or supply the published file through the mirror")
    return ""


def _reject_html(url: str, content_type: str, head: bytes) -> None:
    """Publishers answer outages and moved files with an HTML page and HTTP 200; never keep one as data."""
    media_type = content_type.split(";")[0].strip().lower()
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:64].lower()
    if media_type in HTML_TYPES or start.startswith(HTML_STARTS):
        title = re.search(rb"<title[^>]*>(.*?)</title>", head, re.I | re.S)
        shown = title.group(1).decode("utf-8", "replace").strip() if title else head[:120].decode("utf-8", "replace")
        raise DownloadError(f"GET {url}: the server sent an HTML page instead of the data file "
                            f"(Content-Type {content_type or 'missing'}; page: {shown!r})")


def _body_chunks(url: str, response: requests.Response, expect_html: bool) -> Iterator[bytes]:
    """The response body in chunks; sniffs the first one for HTML and turns transfer errors into DownloadError."""
    import requests

    sniffed, size = expect_html, 0
    try:
        for chunk in response.iter_content(CHUNK_BYTES):
            if not sniffed and chunk:
                _reject_html(url, response.headers.get("Content-Type", ""), chunk)
                eurostat_async.raise_if_queued(url, chunk)
                sniffed = True
            size += len(chunk)
            yield chunk
    except requests.RequestException as exc:
        raise DownloadError(f"GET {url}: the transfer broke off after {size} bytes: {_root_cause(exc)}") from exc
    if size == 0:
        # No publisher serves an empty data file; an empty 200 is a server fault.
        raise DownloadError(f"GET {url}: the server sent an empty body")


def download(url: str, dest, *, session: requests.Session, timeout=(10, 120), expect_html: bool = False,
             expected_sha256: str | None = None, async_wait: float = EUROSTAT_ASYNC_WAIT,
             poll_every: float = EUROSTAT_POLL_SECONDS) -> dict:
    """Stream ``url`` into ``dest`` atomically; return its manifest entry.

    Entry: url, retrieved_at (UTC), bytes, sha256, vintage_hint (the Last-Modified header, if any).
    Raises DownloadError naming the URL when retries are exhausted, the transfer breaks off, or an
    HTML page arrives although ``expect_html`` is False; ChecksumError if ``expected_sha256`` is
    given and differs. In every failure nothing is left at ``dest``. When Eurostat queues the request
    (see ``eurostat_async``), its status is polled every ``poll_every`` seconds for up to
    ``async_wait`` seconds and the prepared data downloaded.
    """
    try:
        return _stream_to(url, dest, session, timeout, expect_html, expected_sha256)
    except eurostat_async.Queued as queued:
        prepared = _await_eurostat(url, queued.key, session, timeout, async_wait, poll_every)
        entry = _stream_to(prepared, dest, session, timeout, expect_html, expected_sha256)
        return {**entry, "url": url, "vintage_hint": f"Eurostat asynchronous delivery, key {queued.key}"}


def _stream_to(url: str, dest, session, timeout, expect_html: bool, expected_sha256: str | None) -> dict:
    with _get(session, url, timeout=timeout, stream=True) as response:
        chunks = _body_chunks(url, response, expect_html)
        size, digest = atomic_write(dest, write_verified(chunks, expected_sha256, url))
        last_modified = response.headers.get("Last-Modified")
    return _retrieved(url, size, digest, vintage_hint=f"HTTP Last-Modified {last_modified}" if last_modified else None)


def _await_eurostat(url: str, key: str, session, timeout, wait: float, every: float) -> str:
    """Poll a queued Eurostat request until its data are available; return the URL to fetch them from."""
    status_url, deadline = eurostat_async.status_url(url, key), time.monotonic() + wait
    while True:
        with _get(session, status_url, timeout=timeout) as response:
            status = eurostat_async.status_of(status_url, response.content)
        if status == "AVAILABLE":
            return eurostat_async.data_url(url, key)
        if status not in eurostat_async.WAITING:
            raise DownloadError(f"GET {url}: Eurostat queued the request (key {key}) and then reported {status}; "
                                "run again to submit it anew")
        if time.monotonic() + every > deadline:
            raise DownloadError(f"GET {url}: Eurostat queued the request (key {key}) and it is still {status} after "
                                f"{wait:.0f} s; run again later (Eurostat keeps preparing it and will answer from "
                                "its cache)")
        time.sleep(every)


# ---------------------------------------------------------------------------------------------
# World Bank API v2 (https://datahelpdesk.worldbank.org/knowledgebase/articles/898581)


def _with_query(url: str, **params) -> str:
    """``url`` with ``params`` set in its query string (replacing same-named keys, keeping the rest)."""
    parts = urlsplit(url)
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    query = urlencode(kept + [(k, str(v)) for k, v in params.items()], safe=":;")
    return urlunsplit(parts._replace(query=query))


def _wb_error_text(body: Any) -> str | None:
    """The API's error payload ``[{"message": [{"id", "key", "value"}]}]`` as text; None if ``body`` is data."""
    if not (isinstance(body, list) and body and isinstance(body[0], dict) and "message" in body[0]):
        return None
    messages = body[0]["message"] if isinstance(body[0]["message"], list) else [body[0]["message"]]
    return "; ".join(f"{m.get('key')}: {m.get('value')} (id {m.get('id')})" if isinstance(m, dict) else str(m)
                     for m in messages)


def _wb_page(session: requests.Session, url: str, number: int, per_page: int, timeout) -> list:
    """One page ``[meta, data]``; the API answers bad requests with HTTP 200 and an error payload."""
    page_url = _with_query(url, format="json", per_page=per_page, page=number)
    with _get(session, page_url, timeout=timeout) as response:
        try:
            body = response.json()
        except ValueError as exc:
            raise DownloadError(f"GET {page_url}: the World Bank API did not answer with JSON: "
                                f"{response.text[:200]!r}") from exc
    error = _wb_error_text(body)
    if error:
        raise DownloadError(f"GET {page_url}: the World Bank API answered with an error: {error}")
    if not (isinstance(body, list) and len(body) == 2 and isinstance(body[0], dict) and "pages" in body[0]):
        raise DownloadError(f"GET {page_url}: unexpected World Bank API reply (expected [meta, data]): "
                            f"{str(body)[:200]}")
    if int(body[0].get("page") or number) != number:
        raise DownloadError(f"GET {page_url}: asked for page {number}, the API sent page {body[0].get('page')}")
    return body


def fetch_wb_api(url: str, dest, *, session: requests.Session, per_page: int = 20000, timeout=(10, 120),
                 expected_sha256: str | None = None) -> dict:
    """Fetch every page of a World Bank API v2 query and save them as one JSON list ``[[meta, data], ...]``.

    Returns the manifest entry (url = ``url`` as given, retrieved_at, bytes, sha256, ``pages``,
    vintage_hint = the API's ``lastupdated``). Raises DownloadError naming the URL for HTTP failures,
    error payloads, or a page count that changes mid-fetch (the data were updated: run again).
    """
    first = _wb_page(session, url, 1, per_page, timeout)
    page_count = int(first[0]["pages"] or 1)
    pages = [first]
    for number in range(2, page_count + 1):
        page = _wb_page(session, url, number, per_page, timeout)
        if int(page[0]["pages"]) != page_count:
            raise DownloadError(f"{url}: the page count changed from {page_count} to {page[0]['pages']} while "
                                "fetching (the World Bank updated the data); run again")
        pages.append(page)
    payload = json.dumps(pages, ensure_ascii=False).encode("utf-8")
    size, digest = atomic_write(dest, write_verified([payload], expected_sha256, url))
    updated = first[0].get("lastupdated")
    return _retrieved(url, size, digest, pages=len(pages),
                      vintage_hint=f"API lastupdated {updated}" if updated else None)


# ---------------------------------------------------------------------------------------------
# Offline mirror: <mirror_root>/<folder>/<file>, listed in <folder>/SOURCES.csv


def read_mirror_sources(folder) -> list[dict[str, str]]:
    """The folder's SOURCES.csv as one dict of stripped strings per row (columns file, bytes, sha256,
    publisher_url, vintage, ...). Read with the csv module, not pandas: every download job calls this,
    and importing pandas would cost it more than copying the file."""
    return [row for _, row in _numbered_listing(Path(folder) / "SOURCES.csv")]


def _numbered_listing(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) for each row of a SOURCES.csv; a UTF-8 BOM (spreadsheet exports) is dropped."""
    if not path.is_file():
        raise DownloadError(f"{path} is missing: every mirror folder must list its files in SOURCES.csv "
                            f"(columns {', '.join(MIRROR_COLUMNS)})")
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = [name.strip() for name in next(reader, [])]
            lines = list(enumerate(reader, start=2))
    except (csv.Error, UnicodeDecodeError) as exc:
        raise InputError(path, f"cannot be read as CSV: {exc}", expected="UTF-8 CSV with a header row") from exc
    missing = [c for c in MIRROR_COLUMNS if c not in header]
    if missing:
        raise InputError(path, f"missing columns {missing}", expected=f"columns {list(MIRROR_COLUMNS)}")
    rows = []
    for line, cells in lines:
        if not cells:
            continue
        if len(cells) != len(header):
            raise InputError(path, f"line {line} has {len(cells)} fields", expected=f"{len(header)} like the header")
        rows.append((line, {name: cell.strip() for name, cell in zip(header, cells)}))
    return rows


def _split_mirror_path(mirror_path: str) -> tuple[str, str]:
    """'unsd-ama/vintage-2025-12/x.xlsx' -> ('unsd-ama', 'vintage-2025-12/x.xlsx'); refuses escapes."""
    parts = PurePosixPath(mirror_path).parts
    if len(parts) < 2 or PurePosixPath(mirror_path).is_absolute() or ".." in parts:
        raise ConfigError(f"mirror_path {mirror_path!r} must be '<folder>/<file>' inside the mirror")
    return parts[0], "/".join(parts[1:])


def _inside_mirror(mirror_root: Path, relative: str) -> Path:
    """``mirror_root / relative`` with every symlink resolved; refuses a path that leads out of the
    mirror, so a link can never make the pipeline read (or echo) a file the mirror does not hold."""
    root = mirror_root.resolve()
    target = (mirror_root / relative).resolve()
    if not target.is_relative_to(root):
        raise DownloadError(f"{mirror_root / relative} resolves to {target}, outside the mirror {root} "
                            "(a symlink out of the mirror?); refusing to read it. Put the file itself in the mirror")
    return target


def _mirror_row(mirror_root: Path, mirror_path: str) -> dict[str, str]:
    """The file's SOURCES.csv row, with a well-formed sha256 and bytes (else InputError naming the row)."""
    folder, relative = _split_mirror_path(mirror_path)
    listing = _inside_mirror(mirror_root, f"{folder}/SOURCES.csv")
    rows = [(line, row) for line, row in _numbered_listing(listing) if row["file"] == relative]
    if not rows:
        raise DownloadError(f"{mirror_root / mirror_path} is not listed in {listing} (no row with file "
                            f"{relative!r}), so its sha256 cannot be checked; add its row")
    if len({row["sha256"].lower() for _, row in rows}) > 1:
        raise InputError(listing, f"lists {relative!r} {len(rows)} times with different sha256", field="file")
    line, row = rows[0]
    if not is_sha256(row["sha256"]):
        raise InputError(listing, f"{relative!r} has sha256 {row['sha256']!r}, so the file cannot be checked",
                         row=line, field="sha256", expected="the file's sha256 as 64 hex digits")
    if not re.fullmatch(r"[0-9]+", row["bytes"]):
        raise InputError(listing, f"{relative!r} has bytes {row['bytes']!r}", row=line, field="bytes",
                         expected="the file's size as a whole number of bytes")
    return {**row, "line": str(line), "listing": str(listing)}


def _check_size(source: Path, row: dict[str, str]) -> None:
    size = source.stat().st_size
    if size != int(row["bytes"]):
        raise ChecksumError(f"{source}: {size} bytes, but {row['listing']}, row {row['line']} "
                            f"(file {row['file']!r}) lists {row['bytes']}: the file is not the one recorded; "
                            "restore the published file, or record the new vintage's bytes and sha256")


# The fields of a SOURCES.csv row that the download copies into the manifest: a change to any of them
# (a new vintage, a corrected hash) must obtain the file again.
LISTED_FIELDS = ("file", "bytes", "sha256", "publisher_url", "vintage")


def listed_row(mirror_root, mirror_path: str) -> dict[str, str] | None:
    """The LISTED_FIELDS of a mirror file's SOURCES.csv row, read at planning time, so that rule
    `download` can take them as a param and Snakemake reruns it (and all after it) when they change.
    None when there is no mirror or the file is not listed; a listing that cannot be read is left for
    the download job to report, naming the problem."""
    if not mirror_root or not mirror_path:
        return None
    try:
        folder, relative = _split_mirror_path(mirror_path)
        listing = _inside_mirror(Path(mirror_root), f"{folder}/SOURCES.csv")
        rows = [row for _, row in _numbered_listing(listing) if row["file"] == relative]
    except (ConfigError, DownloadError, InputError):
        return None
    return {key: rows[0][key] for key in LISTED_FIELDS} if rows else None


def take_from_mirror(mirror_root, mirror_path: str, dest) -> dict:
    """Copy ``<mirror_root>/<mirror_path>`` to ``dest`` after checking it against its SOURCES.csv row.

    Returns the manifest entry: url (the row's publisher_url), mirror_path, retrieved_at, bytes,
    sha256, vintage_hint (the row's vintage). Raises DownloadError if the file or its row is
    missing or lies outside the mirror, InputError if its row's sha256 or bytes is blank or malformed,
    ChecksumError if the size or the sha256 (naming both hashes) differs; nothing is left at ``dest``.
    """
    mirror_root = Path(mirror_root)
    if not (mirror_root / mirror_path).is_file():
        raise DownloadError(f"{mirror_root / mirror_path} is not in the mirror")
    source = _inside_mirror(mirror_root, mirror_path)
    row = _mirror_row(mirror_root, mirror_path)
    _check_size(source, row)
    what = f"{mirror_root / mirror_path} ({row['listing']}, row {row['line']})"
    with open(source, "rb") as handle:
        chunks = iter(lambda: handle.read(CHUNK_BYTES), b"")
        size, digest = atomic_write(dest, write_verified(chunks, row["sha256"], what))
    return _retrieved(row["publisher_url"], size, digest, mirror_path=mirror_path,
                      vintage_hint=row["vintage"] or None)


# ---------------------------------------------------------------------------------------------
# One catalog row -> data/raw/<dataset>/


def _field(row: dict, key: str) -> str:
    """A catalog cell as stripped text; pandas' NaN for an empty cell becomes ''."""
    value = row.get(key)
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value).strip()


def _manifest_entry(row: dict, **fields) -> dict:
    """A manifest with exactly the contract's keys (see docs/CONTRACTS.md, 'Raw layer')."""
    entry = dict.fromkeys(MANIFEST_KEYS)
    entry.update({k: v for k, v in fields.items() if k in MANIFEST_KEYS}, dataset=_field(row, "dataset"))
    return entry


def _unavailable(row: dict, mode: str, message: str) -> dict:
    return _manifest_entry(row, status="unavailable", mode=mode, url=_field(row, "live_url") or None,
                           mirror_path=_field(row, "mirror_path") or None, message=message)


def _mirror_gap(mirror_root: Path, mirror_path: str) -> str | None:
    """What keeps the dataset out of the mirror, or None if its file is there."""
    if not mirror_path:
        return "the catalog row has no mirror_path"
    if not (mirror_root / mirror_path).is_file():
        # Relative to the mirror root, so the message (which reaches the report) does not depend on
        # where a user keeps the mirror.
        return f"{mirror_path} is not in the mirror"
    return None


def bundle_entry(mirror_root, dataset: str) -> dict[str, str] | None:
    """The dataset's row of the bundle index when the mirror is a raw-data bundle, else None."""
    index = Path(mirror_root) / BUNDLE_INDEX
    if not index.is_file():
        return None
    with open(index, encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row.get("dataset") == dataset]
    return rows[0] if rows else None


def _acquire_from_mirror(row: dict, dest_dir: Path, mirror_root: Path, optional: bool) -> dict:
    dataset, mirror_path, url = _field(row, "dataset"), _field(row, "mirror_path"), _field(row, "live_url")
    bundled = bundle_entry(mirror_root, dataset)
    if bundled:
        # A bundle of a live run holds the live file (and format) where the catalog names none.
        row = {**row, "mirror_path": bundled["path"], "mirror_format": bundled["format"]}
        mirror_path = bundled["path"]
    gap = _mirror_gap(mirror_root, mirror_path)
    if gap and optional:
        return _unavailable(row, "mirror", f"{gap}; live it would come from {url or '(no live URL in the catalog)'}"
                                           f" ({_field(row, 'live_format') or 'no live format'})")
    if gap:
        target = (mirror_root / mirror_path if mirror_path
                  else f"{mirror_root}/<folder>/<file> (and set mirror_path in the catalog)")
        raise DownloadError(
            f"{dataset}: {gap} ({mirror_root}). Live it comes from {url or '(no live URL in the catalog)'}. "
            f"To supply it offline, put the publisher's file in the format '{_field(row, 'mirror_format') or '?'}' "
            f"at {target}, listed in that folder's SOURCES.csv with its sha256, "
            "or run with network and no mirror (raw_mirror: null).")
    file_name = PurePosixPath(mirror_path).name
    taken = take_from_mirror(mirror_root, mirror_path, dest_dir / file_name)
    return _manifest_entry(row, status="ok", mode="mirror", file=file_name,
                           format=_field(row, "mirror_format"), **taken)


# ---------------------------------------------------------------------------------------------
# UN Comtrade API (see trade_api: one call per period on the public preview)


def fetch_comtrade(url: str, dest, *, session: requests.Session, api_key: str | None = None, timeout=(10, 120),
                   expected_sha256: str | None = None) -> dict:
    """Answer a preview query (``url``, as the catalog holds it) and save one reply in the API's layout.

    Without ``api_key`` each period is its own call to the public preview and the replies are merged;
    with it, one call to the keyed endpoint. Raises DownloadError naming the call for an HTTP
    failure (with the API's explanation), an error payload or a reply the preview cut off.
    """
    calls = trade_api.comtrade_calls(url, api_key)
    replies = [_comtrade_reply(session, call_url, headers, timeout) for call_url, headers in calls]
    payload = json.dumps(trade_api.merge_comtrade_replies(replies), ensure_ascii=False).encode("utf-8")
    size, digest = atomic_write(dest, write_verified([payload], expected_sha256, url))
    endpoint = "keyed endpoint" if api_key else "public preview"
    return _retrieved(url, size, digest, vintage_hint=f"UN Comtrade {endpoint}, {len(calls)} call(s) on {_utc_now()[:10]}")


def _comtrade_reply(session, url: str, headers: dict[str, str], timeout) -> dict:
    with _get(session, url, timeout=timeout, headers=headers or None) as response:
        try:
            body = response.json()
        except ValueError as exc:
            raise DownloadError(f"GET {url}: UN Comtrade did not answer with JSON: {response.text[:200]!r}") from exc
    problem = trade_api.comtrade_reply_problem(body)
    if problem:
        raise DownloadError(f"GET {url}: {problem}")
    return body


def _live_file_name(row: dict) -> str:
    name = _field(row, "live_file")
    if not name or Path(name).name != name:
        raise ConfigError(f"{_field(row, 'dataset')}: live_file {name!r} must be a plain file name")
    return name


def _download_live(row: dict, dest_dir: Path, session: requests.Session, comtrade_key: str | None = None) -> dict:
    """Dispatch on live_method; every way of failing to get the data is a DownloadError."""
    method, url, pinned = _field(row, "live_method"), _field(row, "live_url"), _field(row, "sha256") or None
    if method in ("", "none"):
        raise DownloadError(f"there is no live download (live_method {method or 'empty'}; published at {url}); "
                            "it can only come from the mirror")
    if method not in ("http", "wb_api"):
        raise ConfigError(f"{_field(row, 'dataset')}: live_method {method!r} is not one of http, wb_api, none")
    if not url:
        raise DownloadError("the catalog row has no live_url")
    dest = dest_dir / _live_file_name(row)
    if method == "wb_api":
        return fetch_wb_api(url, dest, session=session, expected_sha256=pinned)
    if trade_api.is_comtrade_preview(url):
        return fetch_comtrade(url, dest, session=session, api_key=comtrade_key, expected_sha256=pinned)
    return download(url, dest, session=session, expect_html=_field(row, "live_format") == "html",
                    expected_sha256=pinned)


def _acquire_live(row: dict, dest_dir: Path, optional: bool, session: requests.Session | None,
                  comtrade_key: str | None = None) -> dict:
    dataset, url = _field(row, "dataset"), _field(row, "live_url")
    try:
        with (contextlib.nullcontext(session) if session else make_session()) as live_session:
            taken = _download_live(row, dest_dir, live_session, comtrade_key)
    except DownloadError as exc:
        if optional:
            return _unavailable(row, "live", f"live download failed: {exc}")
        # Same class (ChecksumError stays ChecksumError), message made actionable.
        raise type(exc)(f"{dataset}: could not obtain it live from {url or '(no live URL)'}: {exc}. "
                        f"{MIRROR_HOWTO}") from exc
    return _manifest_entry(row, status="ok", mode="live", file=_live_file_name(row),
                           format=_field(row, "live_format"), **taken)


def acquire(row: dict, *, dest_dir, mirror_root=None, optional: bool = False,
            session: requests.Session | None = None, comtrade_key: str | None = None) -> dict:
    """Obtain one catalog row's raw file into ``dest_dir`` and write ``dest_dir/manifest.json``.

    With ``mirror_root``: copy the verified mirror file (never the network). Without: download live
    (``http`` or ``wb_api``; a UN Comtrade preview query one period per call, or through the keyed
    endpoint when ``comtrade_key`` is given), checking the catalog's pinned sha256 if it has one. An optional dataset
    that cannot be had gets a manifest with status 'unavailable' and the reason; otherwise a
    DownloadError says which dataset, which URL and how to supply it. Returns the manifest entry.
    """
    dest_dir = Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    manifest_path = dest_dir / MANIFEST_NAME
    # A manifest from an earlier run must not vouch for this run: remove it first, write it last.
    manifest_path.unlink(missing_ok=True)
    if mirror_root is not None:
        entry = _acquire_from_mirror(row, dest_dir, Path(mirror_root), optional)
    else:
        entry = _acquire_live(row, dest_dir, optional, session, comtrade_key)
    write_manifest(manifest_path, entry)
    return entry
