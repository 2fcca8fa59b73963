"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint over the built graph, plus the view.

Engine: pyoxigraph (Oxigraph's own SPARQL engine) over ``DIR/store`` opened read-only, behind
the standard library's :class:`http.server.ThreadingHTTPServer`. No web framework is needed
for one endpoint, and the Oxigraph server binary is a test-only dependency that could not
serve the HTML view nor enforce a result-size limit.

Queries run in a small pool of worker processes, each with its own read-only store: a query
that overruns the time limit is stopped by ending its worker (a thread could not be stopped),
and the pool starts a fresh one. Updates are refused with 403 whatever way they are sent.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import html
import json
import multiprocessing
import os
import queue
import re
import socket
import sys
import threading
import time
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from kg.errors import KGError, StoreError, UsageError
from kg.query import AskResult, GraphResult, QueryResult, SelectResult
from kg.store import store_path

#: Media types of SELECT / ASK results, by our short format name.
RESULT_MEDIA = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
#: Media types of CONSTRUCT / DESCRIBE results.
GRAPH_MEDIA = {
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "nq": "application/n-quads",
    "jsonld": "application/ld+json",
    "xml": "application/rdf+xml",
}
# Accept types that mean one of ours (the first wins on equal quality).
_RESULT_ACCEPT = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
_GRAPH_ACCEPT = {
    "text/turtle": "ttl",
    "application/x-turtle": "ttl",
    "text/n3": "ttl",
    "application/n-triples": "nt",
    "text/plain": "nt",
    "application/n-quads": "nq",
    "application/ld+json": "jsonld",
    "application/json": "jsonld",
    "application/rdf+xml": "xml",
    "application/xml": "xml",
}
# Values of the ``format`` / ``output`` parameters (names used by Fuseki, Virtuoso, SPARQLWrapper).
_RESULT_NAMES = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv"}
_GRAPH_NAMES = {
    "turtle": "ttl",
    "ttl": "ttl",
    "n3": "ttl",
    "nt": "nt",
    "ntriples": "nt",
    "n-triples": "nt",
    "nq": "nq",
    "nquads": "nq",
    "n-quads": "nq",
    "json-ld": "jsonld",
    "jsonld": "jsonld",
    "json": "jsonld",
    "xml": "xml",
    "rdf": "xml",
    "rdf+xml": "xml",
    "rdfxml": "xml",
}
MAX_BODY = 1 << 20
READ_ONLY_MESSAGE = (
    "This endpoint is read-only: SPARQL updates are refused. "
    "Change the graph with `kg build` / `kg import`, then restart `kg serve`."
)


class NotAcceptable(Exception):
    """No representation the client accepts (HTTP 406)."""


class QueryTimeout(Exception):
    """The query ran past the time limit and was stopped (HTTP 503)."""


class QueryFailed(Exception):
    """The query was refused or failed; ``status`` is the HTTP status to answer."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class ServeConfig:
    """Settings of one ``kg serve``; ``port`` 0 picks a free port."""

    out_dir: Path
    host: str = "127.0.0.1"
    port: int = 7878
    timeout: float = 30.0
    max_results: int = 10_000
    workers: int = 2
    allow_service: bool = False
    #: Largest answer body; longer results are cut (and say so), a single too-large row is 400.
    max_response_bytes: int = 50_000_000
    #: Seconds a client may take to send one request, or stay idle between requests.
    client_timeout: float = 20.0
    #: Open connections served at once; more are answered 503 at once.
    max_connections: int = 64


# --------------------------------------------------------------------------------------------
# Content negotiation


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Media ranges of an Accept header, best first (stable for equal quality)."""
    if not header or not header.strip():
        return [("*/*", 1.0)]
    ranges: list[tuple[str, float, int]] = []
    for index, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for f in fields[1:]:
            key, _, value = f.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        ranges.append((media, q, index))
    ranges.sort(key=lambda r: (-r[1], r[2]))
    return [(m, q) for m, q, _ in ranges if q > 0]


def negotiate(
    kind: str, accept: str | None, format_params: Sequence[str] = ()
) -> str:
    """Our format name for a ``select`` (incl. ASK) or ``graph`` result, or NotAcceptable.

    A ``format`` / ``output`` parameter wins over the Accept header; any of its values that
    names a format of this result kind is used.
    """
    names = _RESULT_NAMES if kind == "select" else _GRAPH_NAMES
    table = _RESULT_ACCEPT if kind == "select" else _GRAPH_ACCEPT
    default = "json" if kind == "select" else "ttl"
    if format_params:
        for value in format_params:
            v = value.strip().lower()
            if v in names:
                return names[v]
            media = v.split(";")[0].strip()
            if media in table:
                return table[media]
        raise NotAcceptable(
            f"format {', '.join(format_params)!s} is not available for this query; use one of "
            + ", ".join(sorted(set(names)))
        )
    for media, _q in parse_accept(accept):
        if media in ("*/*", "application/*", "text/*") or media in table:
            if media in table:
                return table[media]
            family = media.split("/")[0]
            if family == "*":
                return default
            media_of = RESULT_MEDIA if kind == "select" else GRAPH_MEDIA
            for name, full in media_of.items():
                if full.startswith(family + "/"):
                    return name
    offered = RESULT_MEDIA if kind == "select" else GRAPH_MEDIA
    raise NotAcceptable(
        f"cannot answer with any of the accepted types ({accept}); available: "
        + ", ".join(offered.values())
    )


def render(result: QueryResult, accept: str | None, format_params: Sequence[str] = ()) -> tuple[
    str, bytes
]:
    """(Content-Type, body) of a result for a client's Accept header / format parameter."""
    if isinstance(result, GraphResult):
        fmt = negotiate("graph", accept, format_params)
        media = GRAPH_MEDIA[fmt]
        body = result.serialize(fmt)
    else:
        fmt = negotiate("select", accept, format_params)
        media = RESULT_MEDIA[fmt]
        body = result.serialize(fmt)
    if media.startswith("text/") or media.endswith(("json", "xml")):
        media += "; charset=utf-8"
    return media, body


# --------------------------------------------------------------------------------------------
# Response size

#: Bytes a term or row costs in the largest result format beyond its text (JSON's keys).
_TERM_OVERHEAD = 64


class ResponseTooLarge(Exception):
    """Not even one row / triple of the answer fits the response-size limit (HTTP 400)."""


def _size(item: Any) -> int:
    terms = item if isinstance(item, tuple) else (item,)
    return sum(len(str(t)) + _TERM_OVERHEAD for t in terms)


def fit(result: QueryResult, max_bytes: int) -> QueryResult:
    """``result`` cut to the rows / triples that fit ``max_bytes`` (estimated, marked
    ``truncated``); raises :class:`ResponseTooLarge` when not even the first one fits."""
    if isinstance(result, AskResult):
        return result
    items: tuple[Any, ...] = result.rows if isinstance(result, SelectResult) else result.triples
    total = 0
    for count, item in enumerate(items):
        total += _size(item)
        if total > max_bytes:
            if count == 0:
                raise ResponseTooLarge(_too_large(max_bytes))
            return _cut(result, count)
    return result


def _cut(result: SelectResult | GraphResult, count: int) -> QueryResult:
    if isinstance(result, SelectResult):
        return dataclasses.replace(result, rows=result.rows[:count], truncated=True)
    return dataclasses.replace(result, triples=result.triples[:count], truncated=True)


def _too_large(max_bytes: int) -> str:
    return (
        f"the answer is larger than the limit of {max_bytes} bytes (--max-response-bytes); "
        "ask for fewer or shorter values (LIMIT, SUBSTR)"
    )


def truncation_note(result: QueryResult, config: ServeConfig) -> str:
    """What was cut, without ``--`` (the note also goes into XML comments)."""
    count = len(result) if isinstance(result, SelectResult | GraphResult) else 0
    unit = "rows" if isinstance(result, SelectResult) else "triples"
    return (
        f"results cut at {count} {unit} by the server's limits "
        f"(max results {config.max_results}, max response bytes {config.max_response_bytes})"
    )


def note_in_body(body: bytes, media: str, note: str) -> bytes:
    """The truncation note inside the body, where the format has room for one: a member of
    SPARQL JSON results, an XML comment, a Turtle / N-Triples comment. CSV, TSV and JSON-LD
    have none (the X-KG-Truncated header says it)."""
    kind = media.split(";")[0].strip()
    if kind == RESULT_MEDIA["json"] and body.endswith(b"}"):
        member = ',"kg:truncated":' + json_string(note) + "}"
        return body[:-1] + member.encode("utf-8")
    if kind.endswith("xml"):
        comment = f"<!-- {note} -->\n".encode()
        end = body.find(b"?>") + 2 if body.startswith(b"<?xml") else 0
        if end:
            return body[:end] + b"\n" + comment + body[end:].lstrip(b"\n")
        return comment + body
    if kind in (GRAPH_MEDIA["ttl"], GRAPH_MEDIA["nt"], GRAPH_MEDIA["nq"]):
        return f"# {note}\n".encode() + body
    return body


def json_string(text: str) -> str:
    return json.dumps(text)


# --------------------------------------------------------------------------------------------
# Worker processes


def _worker_main(
    path: str, conn: Connection, max_results: int, allow_service: bool, max_bytes: int
) -> None:
    """Worker process: open the store read-only, answer queries until the pipe closes."""
    import pyoxigraph as ox

    from kg.query import run_query

    try:
        store = ox.Store.read_only(path)
    except OSError as exc:
        conn.send(("fatal", 500, f"cannot open the store read-only: {exc}"))
        return
    conn.send(("ready", 0, ""))
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        sparql, default_graphs, named_graphs = request
        try:
            result = run_query(
                store,
                sparql,
                max_results=max_results,
                default_graphs=default_graphs,
                named_graphs=named_graphs,
                allow_service=allow_service,
            )
            conn.send(("ok", 200, fit(result, max_bytes)))
        except ResponseTooLarge as exc:
            conn.send(("error", 400, str(exc)))
        except UsageError as exc:  # syntax errors, bad IRIs
            conn.send(("error", 400, str(exc)))
        except KGError as exc:
            conn.send(("error", 500, str(exc)))
        except Exception as exc:  # the query engine failed on this query
            conn.send(("error", 500, f"query failed: {exc}"))


class _Worker:
    def __init__(self, ctx: Any, path: str, limits: tuple[int, bool, int]) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(path, child, *limits), daemon=True)
        self.process.start()
        child.close()
        self.ready = False

    def wait_ready(self, timeout: float) -> None:
        if self.ready:
            return
        if not self.conn.poll(timeout):
            raise StoreError("a query worker did not start in time")
        status, _code, message = self.conn.recv()
        if status != "ready":
            raise StoreError(message)
        self.ready = True

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


def store_identity(path: Path) -> tuple[int, int, int, int] | None:
    """(device, inode) of the store directory and of its LOCK file, None when gone."""
    try:
        folder = os.stat(path)
        lock = os.stat(path / "LOCK")
    except OSError:
        return None
    return folder.st_dev, folder.st_ino, lock.st_dev, lock.st_ino


class QueryPool:
    """A few worker processes, each with the store open read-only; one query at a time each."""

    def __init__(
        self,
        out_dir: Path,
        *,
        workers: int = 2,
        max_results: int = 10_000,
        allow_service: bool = False,
        max_response_bytes: int = 50_000_000,
    ) -> None:
        from kg.store import open_store

        # A clear error when there is no store or a build is writing it; held open until
        # close() so that no `kg build` starts writing under the read-only workers.
        self._guard = open_store(out_dir, read_only=True)
        path = store_path(out_dir)
        self._path = str(path)
        self._identity = store_identity(path)
        self._limits = (max_results, allow_service, max_response_bytes)
        self._ctx = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._all: list[_Worker] = []
        for _ in range(max(1, workers)):
            self._add()
        for w in list(self._all):
            w.wait_ready(60)

    def _add(self) -> _Worker:
        worker = _Worker(self._ctx, self._path, self._limits)
        with self._lock:
            self._all.append(worker)
        self._idle.put(worker)
        return worker

    def _replace(self, worker: _Worker) -> None:
        worker.stop()
        with self._lock:
            if worker in self._all:
                self._all.remove(worker)
        if store_identity(Path(self._path)) == self._identity:
            self._add()  # never open a replaced store (a build may be writing it)

    def run(
        self,
        sparql: str,
        timeout: float,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
    ) -> QueryResult:
        """Run one query; raises QueryTimeout or QueryFailed."""
        self.check_store()
        deadline = time.monotonic() + timeout
        try:
            worker: _Worker | None = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise QueryTimeout(f"the server is busy: no query slot within {timeout:g} s") from None
        assert worker is not None
        try:
            worker.wait_ready(max(deadline - time.monotonic(), 0.1) + 30)
            worker.conn.send((sparql, list(default_graphs), list(named_graphs)))
            if not worker.conn.poll(max(deadline - time.monotonic(), 0.0)):
                self._replace(worker)
                worker = None
                raise QueryTimeout(f"the query ran past the time limit of {timeout:g} s")
            status, code, payload = worker.conn.recv()
        except (EOFError, OSError, StoreError) as exc:
            if worker is not None:
                self._replace(worker)
                worker = None
            raise QueryFailed(500, f"the query worker failed: {exc}") from exc
        finally:
            if worker is not None:
                self._idle.put(worker)
        if status == "ok":
            assert isinstance(payload, SelectResult | AskResult | GraphResult)
            return payload
        raise QueryFailed(code, str(payload))

    def check_store(self) -> None:
        """QueryFailed (503) when the store directory is no longer the one opened: deleted
        and built again under the server, the shared lock held on the old LOCK file no longer
        keeps writers out, and workers started since would read another store."""
        if store_identity(Path(self._path)) != self._identity:
            raise QueryFailed(
                503,
                f"the store {self._path} was removed or replaced since `kg serve` started; "
                "restart `kg serve` to serve the new one",
            )

    def close(self) -> None:
        with self._lock:
            workers, self._all = self._all, []
        for w in workers:
            w.stop()
        self._guard.close()


# --------------------------------------------------------------------------------------------
# HTTP


_INDEX = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>newskg SPARQL endpoint</title></head>
<body>
<h1>newskg SPARQL endpoint</h1>
<p>No graph view (graph.html) in the served directory {view}. Build one with
<code>kg view DIR</code>.</p>
<p>The read-only SPARQL 1.1 endpoint is at <a href="/sparql">/sparql</a>.</p>
<form method="post" action="/sparql">
<textarea name="query" rows="8" cols="80">PREFIX kg: &lt;https://w3id.org/newskg/ontology#&gt;
SELECT ?a ?b WHERE {{ ?a kg:met ?b }} LIMIT 20</textarea><br>
<input type="hidden" name="format" value="json">
<button type="submit">Run</button>
</form>
</body></html>
"""


class SparqlHandler(BaseHTTPRequestHandler):
    """SPARQL 1.1 Protocol (query operation only) at /sparql; the HTML view at /."""

    server_version = "newskg"
    sys_version = ""
    protocol_version = "HTTP/1.1"

    @property
    def app(self) -> SparqlServer:
        server = self.server
        assert isinstance(server, SparqlServer)
        return server

    # -- plumbing

    def setup(self) -> None:
        super().setup()
        # idle reads, and each whole write (sendall), end after the client timeout
        self.connection.settimeout(self.app.config.client_timeout)

    def handle_one_request(self) -> None:
        # The request line, headers and body must arrive within the client timeout, however
        # slowly they trickle in; the query itself then runs under its own time limit.
        self.app.watch(self.connection)
        try:
            super().handle_one_request()
        finally:
            self.app.unwatch(self.connection)

    def log_message(self, format: str, *args: Any) -> None:
        if not self.app.quiet:
            line = escape_controls(f"{self.address_string()} - {format % args}")
            sys.stderr.write(line + "\n")

    def _send(self, status: int, body: bytes, content_type: str, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Vary", "Accept")
        for key, value in headers.items():
            self.send_header(key.replace("_", "-"), value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: int, message: str, **headers: str) -> None:
        text = f"{status} {HTTPStatus(status).phrase}: {message}\n"
        self._send(status, text.encode("utf-8"), "text/plain; charset=utf-8", **headers)

    def _refuse_body(self, status: int, message: str) -> None:
        """An error before the body was read: the connection closes (its bytes are unread)."""
        self.close_connection = True
        self._error(status, message, Connection="close")

    def _read_body(self) -> bytes | None:
        length_text = self.headers.get("Content-Length")
        if length_text is None:
            self._refuse_body(411, "a POST needs a Content-Length")
            return None
        if not _DIGITS.fullmatch(length_text.strip()):
            self._refuse_body(400, f"bad Content-Length {length_text[:40]!r}: expected digits")
            return None
        length = int(length_text)
        if length > MAX_BODY:
            self._refuse_body(413, f"request body larger than {MAX_BODY} bytes")
            return None
        body = self.rfile.read(length)
        if len(body) != length:
            self.close_connection = True
            return None
        return body

    # -- methods

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        if url.path in ("/", "/index.html", "/graph.html"):
            self._index()
            return
        if url.path != "/sparql":
            self._error(404, f"nothing at {url.path}; the SPARQL endpoint is /sparql")
            return
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        self._dispatch(params, None)

    do_HEAD = do_GET

    def do_POST(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        if url.path != "/sparql":
            self._error(404, f"nothing at {url.path}; the SPARQL endpoint is /sparql")
            return
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        if ctype == "application/sparql-update":
            self._read_body()
            self._error(403, READ_ONLY_MESSAGE)
            return
        body = self._read_body()
        if body is None:
            return
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            self._error(400, "the request body is not UTF-8")
            return
        if ctype == "application/x-www-form-urlencoded":
            form = urllib.parse.parse_qs(text, keep_blank_values=True)
            for key, values in form.items():
                params.setdefault(key, []).extend(values)
            self._dispatch(params, None)
        elif ctype == "application/sparql-query":
            self._dispatch(params, text)
        else:
            self._error(
                415,
                "POST a query as application/sparql-query or application/x-www-form-urlencoded",
            )

    def _refuse_write(self) -> None:
        self._error(405, READ_ONLY_MESSAGE, Allow="GET, HEAD, POST")

    do_PUT = _refuse_write
    do_DELETE = _refuse_write
    do_PATCH = _refuse_write

    # -- handlers

    def _index(self) -> None:
        view = Path(self.app.config.out_dir) / "graph.html"
        if view.is_file():
            self._send(200, view.read_bytes(), "text/html; charset=utf-8")
            return
        page = _INDEX.format(view=html.escape(Path(self.app.config.out_dir).name))
        self._send(200, page.encode("utf-8"), "text/html; charset=utf-8")

    def _dispatch(self, params: dict[str, list[str]], direct: str | None) -> None:
        if "update" in params or "using-graph-uri" in params:
            self._error(403, READ_ONLY_MESSAGE)
            return
        queries = [direct] if direct is not None else params.get("query", [])
        if len(queries) != 1 or not queries[0].strip():
            self._error(400, "give exactly one query (GET ?query=, or POST)")
            return
        formats = params.get("format", []) or params.get("output", [])
        config = self.app.config
        self.app.unwatch(self.connection)  # the request is in; the query has its own limit
        try:
            result = self.app.pool.run(
                queries[0],
                config.timeout,
                default_graphs=params.get("default-graph-uri", []),
                named_graphs=params.get("named-graph-uri", []),
            )
        except QueryTimeout as exc:
            self._error(503, str(exc), Retry_After="5")
            return
        except QueryFailed as exc:
            if exc.status == 400 and "update" in exc.message.lower():
                self._error(403, READ_ONLY_MESSAGE)
                return
            self._error(exc.status, exc.message)
            return
        try:
            media, body = render(result, self.headers.get("Accept"), formats)
        except NotAcceptable as exc:
            self._error(406, str(exc))
            return
        while len(body) > config.max_response_bytes:  # the worker's estimate was short
            if not isinstance(result, SelectResult | GraphResult) or len(result) < 2:
                self._error(400, _too_large(config.max_response_bytes))
                return
            result = _cut(result, len(result) // 2)
            media, body = render(result, self.headers.get("Accept"), formats)
        headers: dict[str, str] = {}
        if getattr(result, "truncated", False):
            note = truncation_note(result, config)
            headers["X_KG_Truncated"] = note
            body = note_in_body(body, media, note)
        self._send(200, body, media, **headers)


_DIGITS = re.compile(r"[0-9]{1,18}")
_CONTROLS = {c: f"\\x{c:02x}" for c in [*range(0x20), *range(0x7F, 0xA0)]}


def escape_controls(text: str) -> str:
    """Control characters (terminal escapes, CR, LF) as ``\\xNN``: a request line cannot
    drive the operator's terminal or forge log lines."""
    return text.translate(_CONTROLS)


_BUSY = (
    b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
    b"Retry-After: 1\r\nConnection: close\r\nContent-Length: 58\r\n\r\n"
    b"503 Service Unavailable: too many connections; try again\n"
)


class SparqlServer(ThreadingHTTPServer):
    """The HTTP server; holds the config and the query worker pool.

    Bounded: at most ``max_connections`` connections are served (more get 503 at once), a
    request must arrive within ``client_timeout`` (a watchdog thread cuts slow senders), and
    the listen backlog holds bursts of clients.
    """

    daemon_threads = True
    request_queue_size = 1024  # the kernel caps it at net.core.somaxconn

    def __init__(self, config: ServeConfig, pool: QueryPool, *, quiet: bool = False) -> None:
        self.config = config
        self.pool = pool
        self.quiet = quiet
        self.address_family = socket.AF_INET6 if ":" in config.host else socket.AF_INET
        self._count_lock = threading.Lock()
        self._open = 0
        self._deadlines: dict[socket.socket, float] = {}
        self._stopped = threading.Event()
        self._extra: queue.Queue[socket.socket] = queue.Queue(256)
        super().__init__((config.host, config.port), SparqlHandler)
        threading.Thread(target=self._watchdog, name="kg-serve-watchdog", daemon=True).start()
        threading.Thread(target=self._turn_away_loop, name="kg-serve-busy", daemon=True).start()

    # -- connection limit

    def get_request(self) -> tuple[Any, Any]:
        try:
            return super().get_request()
        except OSError as exc:
            if exc.errno in (errno.EMFILE, errno.ENFILE):
                time.sleep(0.05)  # out of descriptors: do not spin on the readable socket
            raise

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._count_lock:
            busy = self._open >= self.config.max_connections
            if not busy:
                self._open += 1
        if busy:
            self._turn_away(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._closed()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._closed()

    def _closed(self) -> None:
        with self._count_lock:
            self._open -= 1

    def _turn_away(self, request: socket.socket) -> None:
        """Hand an extra connection to the one turn-away thread (closed at once when even
        its queue is full)."""
        try:
            self._extra.put_nowait(request)
        except queue.Full:
            request.close()

    def _turn_away_loop(self) -> None:
        """Answer 503 to each extra connection, then read what the client sent until it
        closes (at most 1 s): closing with unread bytes would reset the connection and the
        client might never see the answer."""
        while True:
            request = self._extra.get()
            try:
                request.settimeout(1.0)
                request.sendall(_BUSY)
                request.shutdown(socket.SHUT_WR)
                deadline = time.monotonic() + 1.0
                while time.monotonic() < deadline and request.recv(65536):
                    pass
            except OSError:
                pass
            finally:
                request.close()

    # -- request deadlines

    def watch(self, conn: socket.socket) -> None:
        with self._count_lock:
            self._deadlines[conn] = time.monotonic() + self.config.client_timeout

    def unwatch(self, conn: socket.socket) -> None:
        with self._count_lock:
            self._deadlines.pop(conn, None)

    def _watchdog(self) -> None:
        while not self._stopped.wait(0.25):
            now = time.monotonic()
            with self._count_lock:
                late = [c for c, t in self._deadlines.items() if t < now]
                for c in late:
                    del self._deadlines[c]
            for c in late:
                with contextlib.suppress(OSError):
                    c.shutdown(socket.SHUT_RDWR)  # the handler's read ends; it closes

    def server_close(self) -> None:
        self._stopped.set()
        super().server_close()

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        shown = f"[{host!s}]" if ":" in str(host) else str(host)
        return f"http://{shown}:{port}/"


def make_server(config: ServeConfig, *, quiet: bool = False) -> SparqlServer:
    """Start the worker pool and bind the socket (not yet serving)."""
    if config.timeout <= 0:
        raise UsageError("--timeout must be positive")
    if config.max_results < 1:
        raise UsageError("--max-results must be at least 1")
    if config.max_response_bytes < 1000:
        raise UsageError("--max-response-bytes must be at least 1000")
    if config.client_timeout <= 0 or config.max_connections < 1:
        raise UsageError("--client-timeout and --max-connections must be positive")
    pool = QueryPool(
        config.out_dir,
        workers=config.workers,
        max_results=config.max_results,
        allow_service=config.allow_service,
        max_response_bytes=config.max_response_bytes,
    )
    try:
        return SparqlServer(config, pool, quiet=quiet)
    except OSError as exc:
        pool.close()
        reason = exc.strerror or exc
        raise StoreError(f"cannot listen on {config.host}:{config.port}: {reason}") from exc


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach."""
    import ipaddress

    if host in ("localhost",):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(config: ServeConfig) -> None:
    """Serve until interrupted (the API behind ``kg serve``)."""
    import signal

    server = make_server(config)

    def _terminate(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminate)
    try:
        print(
            f"newskg: SPARQL endpoint {server.url}sparql (read-only; its default graph is the "
            f"union of the article graphs), view {server.url}; "
            f"time limit {config.timeout:g} s, at most {config.max_results} results. Ctrl-C stops.",
            flush=True,
        )
        if not is_loopback(config.host):
            print(
                f"kg: warning: listening on {config.host}, reachable from other machines",
                file=sys.stderr,
            )
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        server.pool.close()


__all__ = [
    "GRAPH_MEDIA",
    "RESULT_MEDIA",
    "NotAcceptable",
    "QueryPool",
    "QueryTimeout",
    "ResponseTooLarge",
    "ServeConfig",
    "SparqlServer",
    "escape_controls",
    "fit",
    "is_loopback",
    "make_server",
    "negotiate",
    "note_in_body",
    "parse_accept",
    "render",
    "serve",
    "truncation_note",
]
