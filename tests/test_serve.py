"""`kg serve`: a real server in a subprocess, SPARQLWrapper as the client, raw HTTP for errors."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import run_kg
from helpers_sparql import build_dev_graph

from kg.serve import negotiate, parse_accept

pytestmark = pytest.mark.slow

KG = "https://w3id.org/newskg/ontology#"
P = f"PREFIX kg: <{KG}>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
VIEW = "<!doctype html><title>view</title><p>graph view</p>"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def graph_dir(dev_sentences: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = build_dev_graph(dev_sentences, tmp_path_factory.mktemp("dev"))
    (out / "graph.html").write_text(VIEW, encoding="utf-8")
    return out


def start_server(directory: Path, *args: str) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", str(directory), "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUTF8": "1"},
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()  # printed once the socket is bound and workers are up
    match = re.search(r"(http://127\.0\.0\.1:\d+/)sparql", line)
    if not match:
        proc.kill()
        pytest.fail(f"kg serve did not start: {line!r}")
    return proc, match.group(1)


def stop_server(proc: subprocess.Popen[str]) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


@pytest.fixture(scope="module")
def server(graph_dir: Path) -> Iterator[str]:
    proc, base = start_server(graph_dir, "--timeout", "2", "--max-results", "40")
    yield base
    stop_server(proc)


def http(
    url: str,
    *,
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
    method: str | None = None,
) -> tuple[int, dict[str, str], bytes]:
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def get(base: str, query: str, **params: str) -> tuple[int, dict[str, str], bytes]:
    qs = urllib.parse.urlencode({"query": query, **params})
    return http(f"{base}sparql?{qs}")


# -- SPARQLWrapper as a real client -----------------------------------------------------------


def wrapper(base: str, query: str, fmt: str, method: str = "GET") -> object:
    from SPARQLWrapper import GET, POST, SPARQLWrapper

    client = SPARQLWrapper(f"{base}sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    client.setMethod(POST if method == "POST" else GET)
    return client.query().convert()


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_select_json(server: str, method: str) -> None:
    q = P + "SELECT DISTINCT ?a ?b WHERE { ?x kg:called ?y . ?x rdfs:label ?a . ?y rdfs:label ?b }"
    data = wrapper(server, q, "json", method)
    assert isinstance(data, dict)
    pairs = {(b["a"]["value"], b["b"]["value"]) for b in data["results"]["bindings"]}
    assert ("Felix Braun", "Tomas Reyes") in pairs
    assert ("Marta Kolar", "Luis Andrade") not in pairs  # only reported: no direct edge


def test_select_csv(server: str) -> None:
    q = P + "SELECT DISTINCT ?l WHERE { ?e a kg:Group ; rdfs:label ?l } ORDER BY ?l LIMIT 3"
    raw = wrapper(server, q, "csv")
    assert isinstance(raw, bytes)
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"))))
    assert rows[0] == ["l"] and len(rows) == 4


def test_construct_turtle(server: str) -> None:
    q = P + "CONSTRUCT { ?a kg:met ?b } WHERE { ?a kg:met ?b }"
    raw = wrapper(server, q, "turtle")
    assert isinstance(raw, bytes)
    triples = list(ox.parse(raw, format=ox.RdfFormat.TURTLE))
    assert triples and all(t.predicate == ox.NamedNode(KG + "met") for t in triples)


def test_ask(server: str) -> None:
    yes = wrapper(server, P + "ASK { ?a kg:met ?b }", "json")
    no = wrapper(server, P + "ASK { ?a kg:invaded ?b }", "json")
    assert isinstance(yes, dict) and yes["boolean"] is True
    assert isinstance(no, dict) and no["boolean"] is False


# -- protocol details with raw HTTP -------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("text/csv;q=0.5, text/tab-separated-values", "text/tab-separated-values"),
        ("*/*", "application/sparql-results+json"),
    ],
)
def test_content_negotiation_for_results(server: str, accept: str, media: str) -> None:
    qs = urllib.parse.urlencode({"query": "SELECT ?s WHERE { ?s a ?t } LIMIT 1"})
    status, headers, _ = http(f"{server}sparql?{qs}", headers={"Accept": accept})
    assert status == 200 and headers["Content-Type"].startswith(media)


@pytest.mark.parametrize(
    ("accept", "media"),
    [("text/turtle", "text/turtle"), ("application/n-triples", "application/n-triples")],
)
def test_content_negotiation_for_graphs(server: str, accept: str, media: str) -> None:
    qs = urllib.parse.urlencode({"query": P + "CONSTRUCT WHERE { ?a kg:met ?b }"})
    status, headers, body = http(f"{server}sparql?{qs}", headers={"Accept": accept})
    assert status == 200 and headers["Content-Type"].startswith(media)
    fmt = ox.RdfFormat.TURTLE if media == "text/turtle" else ox.RdfFormat.N_TRIPLES
    assert list(ox.parse(body, format=fmt))


def test_post_direct_body(server: str) -> None:
    status, _, body = http(
        f"{server}sparql",
        data=(P + "ASK { ?a kg:supported ?b }").encode(),
        headers={"Content-Type": "application/sparql-query",
                 "Accept": "application/sparql-results+json"},
    )
    assert status == 200 and json.loads(body) == {"head": {}, "boolean": True}


def test_malformed_query_is_400_with_position(server: str) -> None:
    status, _, body = get(server, "SELECT * WHERE { ?s ?p }")
    assert status == 400 and b"line 1, column" in body


@pytest.mark.parametrize(
    ("data", "ctype"),
    [
        (b"DROP ALL", "application/sparql-update"),
        (urllib.parse.urlencode({"update": "DROP ALL"}).encode(),
         "application/x-www-form-urlencoded"),
    ],
)
def test_updates_are_refused(server: str, graph_dir: Path, data: bytes, ctype: str) -> None:
    status, _, body = http(f"{server}sparql", data=data, headers={"Content-Type": ctype})
    assert status == 403 and b"read-only" in body
    status, _, body = get(server, "ASK { ?s ?p ?o }", format="json")
    assert status == 200 and json.loads(body)["boolean"] is True  # nothing was dropped


def test_update_sent_as_a_query_is_refused(server: str) -> None:
    status, _, body = get(server, "DROP ALL")
    assert status in (400, 403)
    status, _, body = get(server, "ASK { ?s ?p ?o }", format="json")
    assert json.loads(body)["boolean"] is True


def test_writes_through_other_methods_are_refused(server: str) -> None:
    status, headers, _ = http(f"{server}sparql?graph=x", data=b"", method="PUT")
    assert status == 405 and "GET" in headers["Allow"]


@pytest.mark.parametrize(
    ("params", "headers"),
    [
        ({"format": "yaml"}, {}),
        ({}, {"Accept": "image/png"}),
        ({"format": "turtle"}, {}),  # a graph format for a SELECT
    ],
)
def test_unknown_format_is_406(server: str, params: dict[str, str],
                               headers: dict[str, str]) -> None:
    qs = urllib.parse.urlencode({"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1", **params})
    status, _, body = http(f"{server}sparql?{qs}", headers=headers)
    assert status == 406 and body


def test_result_size_limit(server: str) -> None:
    status, headers, body = get(server, "SELECT * WHERE { ?s ?p ?o }", format="json")
    assert status == 200
    assert len(json.loads(body)["results"]["bindings"]) == 40
    assert "X-KG-Truncated" in headers


def test_time_limit_stops_the_query_and_the_server_goes_on(server: str) -> None:
    t0 = time.monotonic()
    status, _, body = get(server, SLOW)
    assert status == 503 and b"time limit" in body
    assert time.monotonic() - t0 < 15
    status, _, body = get(server, "ASK { ?s ?p ?o }", format="json")
    assert status == 200 and json.loads(body)["boolean"] is True


def test_view_and_index(server: str) -> None:
    status, headers, body = http(server)
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert body.decode() == VIEW
    assert http(f"{server}nothing")[0] == 404
    assert http(f"{server}sparql")[0] == 400  # no query


def test_index_page_without_a_view(dev_sentences: Path, tmp_path: Path) -> None:
    out = build_dev_graph(dev_sentences, tmp_path)
    proc, base = start_server(out, "--workers", "1")
    try:
        status, _, body = http(base)
        assert status == 200 and b'action="/sparql"' in body
    finally:
        stop_server(proc)


def test_missing_store_is_a_clear_error(tmp_path: Path) -> None:
    res = run_kg("serve", tmp_path / "none", "--port", "0", timeout=60)
    assert res.returncode == 1 and "none" in res.stderr and "Traceback" not in res.stderr


# -- negotiation as a function ----------------------------------------------------------------


def test_parse_accept_orders_by_quality() -> None:
    assert [m for m, _ in parse_accept("text/csv;q=0.2, application/json, */*;q=0.1")] == [
        "application/json", "text/csv", "*/*"
    ]
    assert parse_accept(None) == [("*/*", 1.0)]
    assert parse_accept("text/csv;q=0") == []


@pytest.mark.parametrize(
    ("kind", "accept", "params", "expected"),
    [
        ("select", None, (), "json"),
        ("graph", None, (), "ttl"),
        ("graph", "application/sparql-results+json,text/turtle", (), "ttl"),
        ("select", "text/*", (), "csv"),
        ("select", None, ("json",), "json"),
        ("select", None, ("tsv", "text/tab-separated-values"), "tsv"),
        ("graph", None, ("json-ld",), "jsonld"),
        ("graph", "application/n-triples", (), "nt"),
    ],
)
def test_negotiate(kind: str, accept: str | None, params: tuple[str, ...], expected: str) -> None:
    assert negotiate(kind, accept, params) == expected
