"""``kg push``: copy each article's named graph to a remote store (SPARQL 1.1 Graph Store
Protocol), idempotently.

Every graph goes with one ``PUT <graph-store>?graph=<IRI>``, which replaces that graph on the
server: pushing twice changes nothing, and a run cut short (server down, Ctrl-C) is completed
by running the same command again. Connection errors and 5xx answers are retried with
exponential backoff; when the server stays unreachable the run stops (the graphs not yet sent
are reported) instead of trying every graph in turn. Credentials come from an environment
variable (``user:password`` for Basic, or Digest when the server asks for it; anything else
as a Bearer token) or ``~/.netrc``; they are never printed. Only urllib (stdlib) is used.

Pushes are incremental: ``DIR/push-state.json`` keeps, per Graph Store URL, the SHA-256 of each
graph body last sent there, so the next push sends only the graphs whose body changed and
deletes (``DELETE ?graph=``) the graphs of articles no longer in the store (pruned). A graph
counts as sent only when the server said so. ``--all`` (``PushConfig.full``) sends every graph,
e.g. after the remote store was emptied behind our back.
"""

from __future__ import annotations

import base64
import hashlib
import json
import netrc
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.errors import KGError, UsageError
from kg.query import as_bytes, open_read_only

#: Body type of each PUT. The body is N-Triples, which is valid Turtle; ``text/turtle`` is the
#: one RDF type every Graph Store implementation accepts.
CONTENT_TYPE = "text/turtle; charset=utf-8"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
#: What ``DIR/push-state.json`` holds: Graph Store URL -> graph IRI -> SHA-256 of the body sent.
STATE_NAME = "push-state.json"
STATE_FORMAT = "newskg-push/1"


class PushAborted(KGError):
    """The server could not be reached (or refused our credentials): stop the run."""


#: The URL forms of ``--endpoint`` per store, for the message about a wrong one.
ENDPOINT_FORMS = (
    "Oxigraph http://HOST:7878/query, Fuseki http://HOST:3030/DATASET/sparql, "
    "GraphDB http://HOST:7200/repositories/ID, Virtuoso http://HOST:8890/sparql, "
    "QLever http://HOST:7001/"
)


class EndpointError(UsageError):
    """The Graph Store URL answers 404 / 405: the endpoint is not a store's (exit code 2)."""


@dataclass(frozen=True)
class PushConfig:
    """Where and how to push; ``graph_store`` None derives it from ``endpoint``."""

    out_dir: Path
    endpoint: str
    graph_store: str | None = None
    auth_env: str | None = None
    retries: int = 4
    backoff: float = 0.5
    timeout: float = 60.0
    #: send every graph, not only those changed since the last push to this URL (``--all``)
    full: bool = False


@dataclass(frozen=True)
class GraphPush:
    """The outcome of one graph: ``status`` is the HTTP status, 0 when never answered."""

    graph: str
    triples: int
    status: int = 0
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class PushReport:
    """What a run did: pushed graphs, failures, graphs left for the next run."""

    graph_store: str
    results: tuple[GraphPush, ...] = ()
    not_sent: tuple[str, ...] = ()
    aborted: str | None = None
    seconds: float = 0.0
    failures: tuple[GraphPush, ...] = field(default=())
    #: graphs not sent because they are as last pushed to this URL
    unchanged: int = 0
    #: graphs deleted on the server (their articles are no longer in the store)
    deleted: tuple[str, ...] = ()

    @property
    def pushed(self) -> tuple[GraphPush, ...]:
        return tuple(r for r in self.results if r.ok)

    @property
    def ok(self) -> bool:
        return not self.failures and not self.not_sent and self.aborted is None

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1

    def summary(self) -> str:
        """One line per outcome, ending with what to do when the run did not complete."""
        triples = sum(r.triples for r in self.pushed)
        lines = [
            f"pushed {len(self.pushed)} graphs ({triples} triples) to {self.graph_store} "
            f"in {self.seconds:.1f} s; {len(self.failures)} failed, {len(self.not_sent)} not sent"
        ]
        if self.unchanged or self.deleted:
            lines.append(
                f"  {self.unchanged} unchanged since the last push (not sent; --all sends "
                f"them), {len(self.deleted)} deleted (articles no longer in the store)"
            )
        lines += [f"  failed {f.graph}: {f.error}" for f in self.failures]
        if self.aborted:
            lines.append(f"  stopped: {self.aborted}")
        if not self.ok:
            lines.append("  run the same command again to complete the push (PUT is idempotent)")
        return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# URLs and credentials


def _check_url(url: str, option: str) -> urllib.parse.SplitResult:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"{option} {url!r} is not an http(s) URL")
    if parts.query or parts.fragment:
        raise UsageError(f"{option} {url!r}: give the URL without ?query or #fragment")
    return parts


def graph_store_url(endpoint: str, graph_store: str | None = None) -> str:
    """The Graph Store Protocol URL of a SPARQL endpoint (see docs/SPARQL.md for the forms).

    Oxigraph ``/query`` -> ``/store``; Fuseki ``/DATASET/sparql|query`` -> ``/DATASET/data``;
    GraphDB / RDF4J ``/repositories/ID`` -> ``/repositories/ID/rdf-graphs/service``;
    Virtuoso ``/sparql`` -> ``/sparql-graph-crud``; anything else (QLever's root URL) as given.
    """
    if graph_store:
        _check_url(graph_store, "--graph-store")
        return graph_store
    parts = _check_url(endpoint, "--endpoint")
    path = parts.path.rstrip("/")
    segments = [s for s in path.split("/") if s]
    if len(segments) >= 2 and segments[-2] == "repositories":
        new_path = path + "/rdf-graphs/service"
    elif segments == ["query"]:
        new_path = "/store"
    elif segments == ["sparql"]:
        new_path = "/sparql-graph-crud"
    elif len(segments) >= 2 and segments[-1] in ("sparql", "query"):
        new_path = "/".join(["", *segments[:-1], "data"])
    else:
        return endpoint
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, new_path, "", ""))


@dataclass(frozen=True)
class Credentials:
    """A user and password (Basic, or Digest when the server asks: Virtuoso) or a token."""

    user: str | None = None
    password: str | None = None
    token: str | None = None

    def header(self) -> str:
        """The Authorization header sent with every request."""
        if self.token is not None:
            return f"Bearer {self.token}"
        raw = f"{self.user}:{self.password or ''}".encode()
        return "Basic " + base64.b64encode(raw).decode("ascii")

    def __repr__(self) -> str:  # never show the secret
        return f"Credentials(user={self.user!r}, secret=***)"


def credentials(url: str, auth_env: str | None) -> Credentials | None:
    """Credentials from ``$auth_env`` (``user:password`` or a token) or ``~/.netrc``."""
    if auth_env:
        value = os.environ.get(auth_env)
        if value is None or not value.strip():
            raise UsageError(f"--auth-env {auth_env}: the environment variable is not set")
        value = value.strip()
        if ":" in value:
            user, _, password = value.partition(":")
            return Credentials(user=user, password=password)
        return Credentials(token=value)
    host = urllib.parse.urlsplit(url).hostname or ""
    try:
        found = netrc.netrc().authenticators(host)
    except (FileNotFoundError, netrc.NetrcParseError, OSError):
        return None
    if not found:
        return None
    login, _account, password = found
    return Credentials(user=login, password=password or "")


def authorization(url: str, auth_env: str | None) -> str | None:
    """The Authorization header value from ``$auth_env`` or ``~/.netrc`` (None: anonymous)."""
    found = credentials(url, auth_env)
    return None if found is None else found.header()


def _opener(url: str, creds: Credentials | None) -> urllib.request.OpenerDirector:
    """An opener that also answers HTTP Digest challenges (Virtuoso's -auth endpoints)."""
    handlers: list[urllib.request.BaseHandler] = []
    if creds is not None and creds.user is not None:
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        manager.add_password(None, url, creds.user, creds.password or "")
        handlers.append(urllib.request.HTTPDigestAuthHandler(manager))
    return urllib.request.build_opener(*handlers)


# --------------------------------------------------------------------------------------------
# Pushing


def graph_body(store: ox.Store, graph: ox.NamedNode) -> tuple[bytes, int]:
    """The triples of one named graph as sorted N-Triples (byte-stable), and their count."""
    triples = sorted(
        (q.triple for q in store.quads_for_pattern(None, None, None, graph)), key=str
    )
    return as_bytes(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)), len(triples)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, urllib.error.URLError):
        reason = exc.reason
        return str(getattr(reason, "strerror", None) or reason)
    return str(exc) or type(exc).__name__


def put_graph(url: str, graph_iri: str, body: bytes, **options: Any) -> int:
    """PUT one graph (:func:`send_graph`, which takes the same ``options``)."""
    return send_graph("PUT", url, graph_iri, body, **options)


def send_graph(
    method: str,
    url: str,
    graph_iri: str,
    body: bytes | None,
    *,
    auth: str | None,
    retries: int,
    backoff: float,
    timeout: float,
    sleep: Callable[[float], None] = time.sleep,
    opener: urllib.request.OpenerDirector | None = None,
) -> int:
    """One Graph Store request (``PUT`` with a body, ``DELETE`` without) on ``?graph=IRI``;
    retries connection errors and 5xx with exponential backoff.

    Returns the HTTP status of success; a DELETE of a graph the server does not hold (404) is a
    success, the graph is gone either way. Raises :class:`PushAborted` when the server stays
    unreachable or refuses the credentials, and ``ValueError`` for other refusals (4xx).
    """
    target = f"{url}?{urllib.parse.urlencode({'graph': graph_iri})}"
    headers = {"User-Agent": "newskg-push"}
    if body is not None:
        headers["Content-Type"] = CONTENT_TYPE
    if auth:
        headers["Authorization"] = auth
    last = ""
    open_url = (opener or urllib.request.build_opener()).open
    for attempt in range(retries + 1):
        if attempt:
            sleep(backoff * 2 ** (attempt - 1))
        request = urllib.request.Request(target, data=body, headers=headers, method=method)
        try:
            with open_url(request, timeout=timeout) as response:
                response.read()
                return int(response.status)
        except urllib.error.HTTPError as err:
            text = err.read(500).decode("utf-8", "replace").strip()
            if err.code in (401, 403):
                raise PushAborted(
                    f"{url} refused the credentials (HTTP {err.code}); set them with "
                    "--auth-env VAR (user:password or a token) or ~/.netrc"
                ) from None
            if err.code == 404 and method == "DELETE":
                return 404
            if err.code in RETRY_STATUSES:
                last = f"HTTP {err.code} {err.reason}: {text}"
                continue
            if err.code in (404, 405):
                raise EndpointError(
                    f"{url} is not a Graph Store Protocol URL (PUT answered HTTP {err.code} "
                    f"{err.reason}); --endpoint takes the store's SPARQL query URL: "
                    f"{ENDPOINT_FORMS} (or give the Graph Store URL with --graph-store)"
                ) from None
            raise ValueError(f"HTTP {err.code} {err.reason}: {text}") from None
        except (urllib.error.URLError, OSError) as err:
            last = _describe(err)
            continue
    raise PushAborted(f"{url} is unreachable after {retries + 1} attempts ({last})")


# --------------------------------------------------------------------------------------------
# What was sent where (DIR/push-state.json)


def body_hash(body: bytes) -> str:
    """The content hash kept for a graph body sent."""
    return hashlib.sha256(body).hexdigest()


def read_state(out_dir: Path, url: str) -> dict[str, str]:
    """Graph IRI -> body hash of what the last pushes sent to ``url`` (empty when unknown)."""
    try:
        data = json.loads((Path(out_dir) / STATE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != STATE_FORMAT:
        return {}
    sent = data.get("endpoints", {}).get(url, {})
    return {k: v for k, v in sent.items() if isinstance(k, str) and isinstance(v, str)}


def write_state(out_dir: Path, url: str, sent: dict[str, str]) -> str | None:
    """Record what ``url`` now holds; returns a warning when the file cannot be written (the
    push itself succeeded, the next one will send more than it needs)."""
    path = Path(out_dir) / STATE_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("format") != STATE_FORMAT:
            raise ValueError
    except (OSError, ValueError):
        data = {"format": STATE_FORMAT, "endpoints": {}}
    data.setdefault("endpoints", {})[url] = dict(sorted(sent.items()))
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        return f"could not record the push in {path} ({exc.strerror or exc})"
    return None


def push(config: PushConfig, *, progress: bool | None = None) -> PushReport:
    """Push the article graphs of ``config.out_dir`` changed since the last push to this URL
    (all with ``config.full``) and delete the pruned ones there (the API behind ``kg push``)."""
    url = graph_store_url(config.endpoint, config.graph_store)
    creds = credentials(url, config.auth_env)
    auth = None if creds is None else creds.header()
    opener = _opener(url, creds)
    store = open_read_only(config.out_dir)
    graphs = sorted(
        (g for g in store.named_graphs() if isinstance(g, ox.NamedNode)), key=lambda g: g.value
    )
    show = sys.stderr.isatty() if progress is None else progress
    if auth and urllib.parse.urlsplit(url).scheme == "http":
        host = urllib.parse.urlsplit(url).hostname or ""
        if host not in ("localhost", "127.0.0.1", "::1"):
            print(f"kg: warning: sending credentials to {host} without TLS", file=sys.stderr)
    start = time.monotonic()
    results: list[GraphPush] = []
    aborted: str | None = None
    not_sent: list[str] = []
    sent = read_state(config.out_dir, url)
    present = {g.value for g in graphs}
    gone = sorted(g for g in sent if g not in present)
    deleted: list[str] = []
    unchanged = 0

    def request(method: str, graph: str, body: bytes | None) -> int:
        return send_graph(
            method, url, graph, body, auth=auth, retries=config.retries,
            backoff=config.backoff, timeout=config.timeout, opener=opener,
        )

    def one(graph: ox.NamedNode) -> None:
        nonlocal aborted, unchanged
        if aborted is not None:
            not_sent.append(graph.value)
            return
        body, count = graph_body(store, graph)
        digest = body_hash(body)
        if not config.full and sent.get(graph.value) == digest:
            unchanged += 1
            return
        try:
            status = request("PUT", graph.value, body)
            results.append(GraphPush(graph.value, count, status))
            sent[graph.value] = digest
        except PushAborted as exc:
            aborted = str(exc)
            not_sent.append(graph.value)
        except ValueError as exc:
            sent.pop(graph.value, None)  # the server may hold it half-replaced: send it again
            results.append(GraphPush(graph.value, count, error=str(exc)))

    def drop(graph: str) -> None:
        nonlocal aborted
        if aborted is not None:
            not_sent.append(graph)
            return
        try:
            request("DELETE", graph, None)
            deleted.append(graph)
            del sent[graph]
        except PushAborted as exc:
            aborted = str(exc)
            not_sent.append(graph)
        except ValueError as exc:
            results.append(GraphPush(graph, 0, error=f"delete failed: {exc}"))

    try:
        if show:
            from rich.progress import Progress

            with Progress(transient=False) as bar:
                task = bar.add_task(f"pushing to {url}", total=len(graphs) + len(gone))
                for graph in graphs:
                    one(graph)
                    bar.advance(task)
                for iri in gone:
                    drop(iri)
                    bar.advance(task)
        else:
            for graph in graphs:
                one(graph)
            for iri in gone:
                drop(iri)
    finally:  # also after Ctrl-C: what the server confirmed is not sent again
        warning = write_state(config.out_dir, url, sent)
        if warning:
            print(f"kg: warning: {warning}", file=sys.stderr)
    return PushReport(
        graph_store=url,
        results=tuple(results),
        not_sent=tuple(not_sent),
        aborted=aborted,
        seconds=time.monotonic() - start,
        failures=tuple(r for r in results if not r.ok),
        unchanged=unchanged,
        deleted=tuple(deleted),
    )


def union_query_url(endpoint: str) -> tuple[str, str]:
    """Where to query the pushed articles as one graph, and what the store needs for that.

    Each article is a named graph; a query without ``GRAPH`` sees their union only where the
    store makes the default graph the union (docs/SPARQL.md, "Querying the pushed graph").
    """
    segments = [s for s in urllib.parse.urlsplit(endpoint).path.split("/") if s]
    if segments == ["query"]:
        return (
            endpoint + "?union-default-graph",
            "Oxigraph: with the union-default-graph parameter, or on a server started with "
            "--union-default-graph, the default graph is the union of the article graphs",
        )
    if len(segments) >= 2 and segments[-2] == "repositories":
        return endpoint, "GraphDB / RDF4J: the default graph is the union of all graphs"
    if len(segments) >= 2 and segments[-1] in ("sparql", "query"):
        return (
            endpoint,
            "Fuseki: set tdb2:unionDefaultGraph true on the dataset, or query "
            "GRAPH <urn:x-arq:UnionGraph> { ... }",
        )
    if segments == ["sparql"]:
        return endpoint, "Virtuoso: a query without FROM reads all graphs"
    return endpoint, "QLever: a query without FROM or GRAPH reads the union of all graphs"


__all__ = [
    "CONTENT_TYPE",
    "ENDPOINT_FORMS",
    "STATE_NAME",
    "Credentials",
    "EndpointError",
    "GraphPush",
    "PushAborted",
    "PushConfig",
    "PushReport",
    "authorization",
    "body_hash",
    "credentials",
    "graph_body",
    "graph_store_url",
    "push",
    "put_graph",
    "read_state",
    "send_graph",
    "union_query_url",
    "write_state",
]
