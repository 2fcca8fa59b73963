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

import html
import multiprocessing
import queue
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
# Worker processes


def _worker_main(path: str, conn: Connection, max_results: int, allow_service: bool) -> None:
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
            conn.send(("ok", 200, result))
        except UsageError as exc:  # syntax errors, bad IRIs
            conn.send(("error", 400, str(exc)))
        except KGError as exc:
            conn.send(("error", 500, str(exc)))
        except Exception as exc:  # the query engine failed on this query
            conn.send(("error", 500, f"query failed: {exc}"))


class _Worker:
    def __init__(self, ctx: Any, path: str, max_results: int, allow_service: bool) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(
            target=_worker_main, args=(path, child, max_results, allow_service), daemon=True
        )
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


class QueryPool:
    """A few worker processes, each with the store open read-only; one query at a time each."""

    def __init__(
        self,
        out_dir: Path,
        *,
        workers: int = 2,
        max_results: int = 10_000,
        allow_service: bool = False,
    ) -> None:
        from kg.store import open_store

        # A clear error when there is no store or a build is writing it; held open until
        # close() so that no `kg build` starts writing under the read-only workers.
        self._guard = open_store(out_dir, read_only=True)
        path = store_path(out_dir)
        self._path = str(path)
        self._max = max_results
        self._allow_service = allow_service
        self._ctx = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._all: list[_Worker] = []
        for _ in range(max(1, workers)):
            self._add()
        for w in list(self._all):
            w.wait_ready(60)

    def _add(self) -> _Worker:
        worker = _Worker(self._ctx, self._path, self._max, self._allow_service)
        with self._lock:
            self._all.append(worker)
        self._idle.put(worker)
        return worker

    def _replace(self, worker: _Worker) -> None:
        worker.stop()
        with self._lock:
            if worker in self._all:
                self._all.remove(worker)
        self._add()

    def run(
        self,
        sparql: str,
        timeout: float,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
    ) -> QueryResult:
        """Run one query; raises QueryTimeout or QueryFailed."""
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

    def log_message(self, format: str, *args: Any) -> None:
        if not self.app.quiet:
            sys.stderr.write(f"{self.address_string()} - {format % args}\n")

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

    def _read_body(self) -> bytes | None:
        length_text = self.headers.get("Content-Length")
        if length_text is None:
            self._error(411, "a POST needs a Content-Length")
            return None
        try:
            length = int(length_text)
        except ValueError:
            self._error(400, "bad Content-Length")
            return None
        if length > MAX_BODY:
            self._error(413, f"request body larger than {MAX_BODY} bytes")
            return None
        return self.rfile.read(length)

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
        headers: dict[str, str] = {}
        if getattr(result, "truncated", False):
            headers["X_KG_Truncated"] = f"results cut at {config.max_results}"
        self._send(200, body, media, **headers)


class SparqlServer(ThreadingHTTPServer):
    """The HTTP server; holds the config and the query worker pool."""

    daemon_threads = True

    def __init__(self, config: ServeConfig, pool: QueryPool, *, quiet: bool = False) -> None:
        self.config = config
        self.pool = pool
        self.quiet = quiet
        super().__init__((config.host, config.port), SparqlHandler)

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
    pool = QueryPool(
        config.out_dir,
        workers=config.workers,
        max_results=config.max_results,
        allow_service=config.allow_service,
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
            f"newskg: SPARQL endpoint {server.url}sparql (read-only), view {server.url}; "
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
    "ServeConfig",
    "SparqlServer",
    "is_loopback",
    "make_server",
    "negotiate",
    "parse_accept",
    "render",
    "serve",
]
