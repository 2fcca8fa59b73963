"""Issue 15, `kg serve`: SERVICE refused, request and response limits, timeouts, the
connection limit and backlog, log escapes, IPv6, a store replaced under the server. One server
(module scope) serves most tests; everything is on loopback, bounded in count and time.
"""

from __future__ import annotations

import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import run_kg
from helpers_security import Served, empty_store, recording_endpoint, write_records
from test_serve import http as request
from test_serve import start_server, stop_server

pytestmark = pytest.mark.server


@pytest.mark.parametrize("allow", [False, True])
def test_serve_refuses_service_unless_allowed(tmp_path: Path, allow: bool) -> None:
    """GET, a form POST from another origin, a direct POST: 400 and no request goes out."""
    graph = empty_store(tmp_path / "out")
    with recording_endpoint() as (url, hits):
        sparql = f"SELECT * {{ SERVICE <{url}anything> {{ ?s ?p ?o }} }}"
        proc, base = start_server(graph, *(["--allow-service"] if allow else []))
        try:
            form = urllib.parse.urlencode({"query": sparql}).encode()
            answers = [
                request(f"{base}sparql?" + urllib.parse.urlencode({"query": sparql})),
                request(f"{base}sparql", data=form, headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Origin": "http://127.0.0.1:9", "Host": "evil.example"}),
                request(f"{base}sparql", data=sparql.encode(),
                        headers={"Content-Type": "application/sparql-query"}),
            ]
        finally:
            stop_server(proc)
    if allow:
        assert [status for status, _, _ in answers] == [200, 200, 200]
        assert len(hits) == 3
    else:
        for status, _, body in answers:
            assert status == 400 and b"SERVICE" in body and b"--allow-service" in body
        assert hits == []


# -- 4. kg serve limits -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_graph(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with 200 triples in one named graph, written directly (no extraction needed)."""
    from kg.store import open_store

    out = tmp_path_factory.mktemp("small") / "out"
    with open_store(out) as store:
        g = ox.NamedNode("https://w3id.org/newskg/id/graph/x")
        store.store.extend(
            ox.Quad(ox.NamedNode(f"https://w3id.org/newskg/id/entity/e{i}"),
                    ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                    ox.Literal(f"label {i} " + "x" * 200), g)
            for i in range(200)
        )
    return out



@pytest.fixture(scope="module")
def served(small_graph: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    server = Served(small_graph, tmp_path_factory.mktemp("log") / "log", "--max-results", "50",
                    "--max-response-bytes", "8000", "--client-timeout", "1.5",
                    "--max-connections", "4")
    yield server
    server.stop()


def _post(length: str, body: bytes = b"") -> bytes:
    return (b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: " + length.encode() + b"\r\nConnection: close\r\n\r\n" + body)


@pytest.mark.parametrize(("length", "status"), [("-1", b"400"), ("-300000000", b"400"),
                                                ("1e9", b"400"), ("99999999999", b"413")])
def test_bad_content_length_is_refused(served: Served, length: str, status: bytes) -> None:
    """`Content-Length: -1` read the whole stream: 300 MB went in past the 1 MB limit."""
    answer = served.raw(_post(length, b"ASK {}"))
    assert answer.split(b" ", 2)[1] == status, answer[:200]


def test_response_size_is_capped_and_truncation_is_in_the_body(served: Served) -> None:
    import json

    doubling = "SELECT ?v { BIND(\"0123456789\" AS ?a) " + "".join(
        f"BIND(CONCAT(?{c}, ?{c}) AS ?{n}) " for c, n in zip("abcdefghijklmnopqrst",
                                                             "bcdefghijklmnopqrstu", strict=True)
    ) + "BIND(?u AS ?v) }"
    status, _, body = request(f"{served.base}sparql?" + urllib.parse.urlencode({"query": doubling}))
    assert status == 400 and b"8000 bytes" in body and len(body) < 1000
    status, headers, body = request(f"{served.base}sparql?" + urllib.parse.urlencode(
        {"query": "SELECT ?s ?l { ?s ?p ?l }", "format": "json"}))
    data = json.loads(body)
    assert status == 200 and len(body) <= 8000 and "X-KG-Truncated" in headers
    assert 0 < len(data["results"]["bindings"]) < 50
    assert "cut" in data["kg:truncated"]
    for fmt, marker in (("xml", b"<!-- "), ("turtle", b"# ")):
        q = "SELECT ?s ?l { ?s ?p ?l }" if fmt == "xml" else "CONSTRUCT WHERE { ?s ?p ?o }"
        status, headers, body = request(f"{served.base}sparql?" + urllib.parse.urlencode(
            {"query": q, "format": fmt}))
        assert status == 200 and "X-KG-Truncated" in headers
        assert marker + b"results cut" in body


def test_deep_query_is_400_and_the_server_goes_on(served: Served) -> None:
    deep = "SELECT * " + "{" * 20_000 + " ?s ?p ?o " + "}" * 20_000
    status, _, body = request(f"{served.base}sparql", data=deep.encode(),
                              headers={"Content-Type": "application/sparql-query"})
    assert status == 400 and b"over the limit" in body
    assert request(f"{served.base}sparql?query=ASK%7B%7D")[0] == 200


@pytest.mark.parametrize("kind", ["idle", "trickle"])
def test_idle_and_slow_clients_are_cut_off(served: Served, kind: str) -> None:
    """Idle or trickling connections were held open forever."""
    import time

    t0 = time.monotonic()
    with served.connect(timeout=10) as s:
        try:
            if kind == "idle":
                s.recv(100)
            else:
                for byte in b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\n":
                    s.sendall(bytes([byte]))
                    time.sleep(0.2)
                    if time.monotonic() - t0 > 8:
                        break
                s.recv(100)
        except OSError:
            pass
    assert time.monotonic() - t0 < 6


def test_connection_limit_and_recovery(served: Served) -> None:
    held = [served.connect() for _ in range(4)]
    try:
        time.sleep(0.3)
        answer = served.raw(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\n\r\n", timeout=5)
        assert answer.startswith(b"HTTP/1.1 503") and b"connections" in answer
    finally:
        for s in held:
            s.close()
    time.sleep(0.3)
    assert request(f"{served.base}sparql?query=ASK%7B%7D")[0] == 200


def test_listen_backlog_is_real(served: Served) -> None:
    import subprocess

    listing = subprocess.run(["ss", "-ltnH", f"sport = :{served.port}"], capture_output=True,
                             text=True, check=True).stdout.split()
    assert int(listing[2]) >= 128, listing  # Send-Q of a listening socket is its backlog


def test_a_burst_of_clients_is_served(served: Served) -> None:
    """200 clients at once: each is answered (or told the server is busy) within seconds."""
    from concurrent.futures import ThreadPoolExecutor

    def one(_: int) -> bytes:
        return served.raw(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", timeout=20)

    t0 = time.monotonic()
    with ThreadPoolExecutor(50) as pool:
        answers = list(pool.map(one, range(200)))
    assert all(a.startswith((b"HTTP/1.1 200", b"HTTP/1.1 503")) for a in answers)
    assert time.monotonic() - t0 < 20


# -- 7. smaller: log escapes, IPv6 ------------------------------------------------------------


def test_terminal_escapes_in_request_lines_are_escaped_in_the_log(served: Served) -> None:
    served.raw(b"GET /\x1b[2J\x1b]0;pwned\x07 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    served.raw(b"GET /sparql?x=\r\x1b[31mforged HTTP/1.1\r\nHost: x\r\n\r\n")
    time.sleep(0.3)
    log = served.log.read_bytes()
    assert b"\x1b" not in log and b"\x07" not in log
    assert b"\\x1b[2J" in log


def test_serve_listens_on_ipv6_loopback(small_graph: Path, tmp_path: Path) -> None:
    server = Served(small_graph, tmp_path / "log", "--host", "::1")
    try:
        assert server.base.startswith("http://[::1]:")
        assert request(f"{server.base}sparql?query=ASK%7B%7D")[0] == 200
    finally:
        server.stop()



# -- 6. locks and temp files ------------------------------------------------------------------


def test_serve_refuses_a_store_replaced_under_it(tmp_path: Path) -> None:
    """rm -rf DIR and a new `kg import` under a running server bypassed the lock: answers
    mixed the two stores."""
    import shutil

    out = tmp_path / "out"
    assert run_kg("import", write_records(tmp_path / "a.jsonl", "old", "old"), "--out", out)\
        .returncode == 0
    server = Served(out, tmp_path / "log", "--workers", "1")
    try:
        ask = f"{server.base}sparql?query=" + urllib.parse.quote("ASK { ?s ?p ?o }")
        assert request(ask)[0] == 200
        shutil.rmtree(out)
        done = run_kg("import", write_records(tmp_path / "b.jsonl", "new", "new"), "--out", out)
        assert done.returncode == 0, done.stderr
        status, _, body = request(ask)
        assert status == 503 and b"replaced" in body and b"restart" in body
    finally:
        server.stop()


