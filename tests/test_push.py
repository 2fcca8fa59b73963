"""`kg push` against a real Oxigraph server (PyPI package `oxigraph`) on 127.0.0.1."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from conftest import run_kg
from helpers_rdf import write_jsonl
from helpers_reliability import write_inputs
from helpers_sparql import (
    CountingProxy,
    OxigraphServer,
    build_dev_graph,
    build_graph,
    dev_records,
    free_port,
)

from kg.errors import UsageError
from kg.push import STATE_NAME, authorization, graph_store_url

pytestmark = [pytest.mark.server, pytest.mark.slow]

@pytest.fixture()
def oxigraph(tmp_path: Path) -> Iterator[OxigraphServer]:
    server = OxigraphServer(tmp_path / "remote")
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def dev_graph(dev_sentences: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_dev_graph(dev_sentences, tmp_path_factory.mktemp("dev"))


def local_quads(graph: Path) -> set[ox.Quad]:
    return set(ox.parse(path=str(graph / "graph.nq"), format=ox.RdfFormat.N_QUADS))


def test_two_pushes_leave_exactly_the_store(dev_graph: Path, oxigraph: OxigraphServer) -> None:
    endpoint = f"{oxigraph.base}/query"
    first = run_kg("push", dev_graph, "--endpoint", endpoint)
    assert first.returncode == 0, first.stderr
    assert "pushed 45 graphs" in first.stdout
    assert oxigraph.quads() == local_quads(dev_graph)
    second = run_kg("push", dev_graph, "--endpoint", endpoint)
    assert second.returncode == 0, second.stderr
    assert oxigraph.quads() == local_quads(dev_graph)


def test_push_replaces_a_changed_graph(dev_sentences: Path, tmp_path: Path,
                                       oxigraph: OxigraphServer) -> None:
    records = dev_records(dev_sentences)
    out = build_graph(records, tmp_path / "v1")
    assert run_kg("push", out, "--endpoint", f"{oxigraph.base}/query").returncode == 0
    # the same articles, one relation fewer: the remote graph is replaced, not merged
    changed = [r for r in records if r.get("id") != "https://w3id.org/newskg/id/relation/dev-01-0"]
    out2 = build_graph(changed, tmp_path / "v2")
    res = run_kg("push", out2, "--graph-store", f"{oxigraph.base}/store",
                 "--endpoint", f"{oxigraph.base}/query")
    assert res.returncode == 0, res.stderr
    assert oxigraph.quads() == local_quads(out2)


def many_articles(dev_sentences: Path, copies: int) -> list[dict[str, Any]]:
    """The dev records under `copies` different document ids (many small graphs)."""
    base = dev_records(dev_sentences)
    out = []
    for i in range(copies):
        for rec in base:
            rec = dict(rec)
            rec["doc"] = f"{rec['doc']}-copy{i}"
            if "id" in rec and rec.get("record") is None:
                rec["id"] = f"{rec['id']}-copy{i}"
            if rec.get("denies"):
                rec["denies"] = f"{rec['denies']}-copy{i}"
            out.append(rec)
    return out


def test_server_stopped_mid_push_then_completed(dev_sentences: Path, tmp_path: Path,
                                                 oxigraph: OxigraphServer) -> None:
    graph = build_graph(many_articles(dev_sentences, 8), tmp_path / "many")  # 360 graphs
    endpoint = f"{oxigraph.base}/query"
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg", "push", str(graph), "--endpoint", endpoint,
         "--retries", "2", "--backoff", "0.1", "--timeout", "5"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUTF8": "1"},
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and oxigraph.graph_count() == 0:
        time.sleep(0.005)
    oxigraph.stop()  # mid-push
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 1, (out, err)
    assert "unreachable" in err and "run the same command again" in err
    assert "Traceback" not in err

    oxigraph.start()  # same store directory and port
    partial = oxigraph.graph_count()
    assert 0 < partial < 360
    again = run_kg("push", graph, "--endpoint", endpoint)
    assert again.returncode == 0, again.stderr
    assert oxigraph.quads() == local_quads(graph)


def test_unreachable_server_fails_fast_and_clearly(dev_graph: Path) -> None:
    port = free_port()  # nothing listens there
    res = run_kg("push", dev_graph, "--endpoint", f"http://127.0.0.1:{port}/query",
                 "--retries", "1", "--backoff", "0.05")
    assert res.returncode == 1
    assert "unreachable" in res.stderr and "45 not sent" in res.stderr
    assert "Traceback" not in res.stderr


def test_credentials_are_sent_from_the_environment(dev_graph: Path,
                                                   oxigraph: OxigraphServer) -> None:
    # Oxigraph ignores the header; the push must work with it and never print the secret
    env_name = "KG_TEST_PUSH_AUTH"
    os.environ[env_name] = "analyst:s3cret-value"
    try:
        res = run_kg("push", dev_graph, "--endpoint", f"{oxigraph.base}/query",
                     "--auth-env", env_name)
    finally:
        del os.environ[env_name]
    assert res.returncode == 0, res.stderr
    assert "s3cret" not in res.stdout + res.stderr
    missing = run_kg("push", dev_graph, "--endpoint", f"{oxigraph.base}/query",
                     "--auth-env", "KG_TEST_UNSET_VARIABLE")
    assert missing.returncode == 2 and "KG_TEST_UNSET_VARIABLE" in missing.stderr


# -- pure helpers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("endpoint", "expected"),
    [
        ("http://localhost:7878/query", "http://localhost:7878/store"),
        ("http://localhost:3030/news/sparql", "http://localhost:3030/news/data"),
        ("http://localhost:3030/news/query", "http://localhost:3030/news/data"),
        ("http://localhost:7200/repositories/news",
         "http://localhost:7200/repositories/news/rdf-graphs/service"),
        ("http://localhost:8890/sparql", "http://localhost:8890/sparql-graph-crud"),
        ("http://localhost:7001/", "http://localhost:7001/"),
    ],
)
def test_graph_store_url_forms(endpoint: str, expected: str) -> None:
    assert graph_store_url(endpoint) == expected
    assert graph_store_url(endpoint, "https://example.org/gsp") == "https://example.org/gsp"


@pytest.mark.parametrize("bad", ["ftp://x/y", "not a url", "http://h/q?x=1", "/local/path"])
def test_bad_urls_are_usage_errors(bad: str) -> None:
    with pytest.raises(UsageError):
        graph_store_url(bad)


def test_authorization_forms(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KG_AUTH", "user:pa:ss")
    assert authorization("http://h/", "KG_AUTH") == "Basic dXNlcjpwYTpzcw=="
    monkeypatch.setenv("KG_AUTH", "tok123")
    assert authorization("http://h/", "KG_AUTH") == "Bearer tok123"
    netrc_file = tmp_path / ".netrc"
    netrc_file.write_text("machine store.example login me password pw\n", encoding="utf-8")
    netrc_file.chmod(0o600)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert authorization("https://store.example/data", None) == "Basic bWU6cHc="
    assert authorization("https://other.example/data", None) is None


# -- incremental pushes ------------------------------------------------------------------------

FIRST = ["Marta", "Felix", "Ilona", "Tomas", "Anya", "Pavel", "Greta", "Jonas"]
LAST = ["Kolar", "Braun", "Varga", "Reyes", "Lind", "Petrov", "Novak", "Holm"]


def small_article(i: int, place: str = "Vienna") -> list[dict[str, Any]]:
    """The records of one small article: one meeting between two made-up people."""
    doc = f"talks-{i:03d}"
    a = f"{FIRST[i % 8]} {LAST[i // 8 % 8]}"
    b = f"{FIRST[(i + 3) % 8]} {LAST[(i + 5) % 8]}"
    sentence = f"{a} met {b} in {place}."
    return [
        {"record": "article", "doc": doc, "title": f"Talks {i}", "date": None},
        {"id": f"https://w3id.org/newskg/id/relation/{doc}-0", "doc": doc, "type": "met",
         "subject": a, "object": b, "polarity": "positive", "modality": "actual",
         "attributed_to": None, "date": None, "place": place, "sentence": sentence,
         "start": 0, "end": len(sentence), "denied_by": [], "confidence": 1.0},
    ]


def push_counted(out: Path, proxy: CountingProxy) -> tuple[str, list[tuple[str, str]]]:
    """`kg push` through the proxy: its output and the requests it sent (method, path)."""
    before = len(proxy.requests)
    res = run_kg("push", out, "--endpoint", f"{proxy.base}/query")
    assert res.returncode == 0, res.stderr
    return res.stdout, [(m, urllib.parse.unquote(p)) for m, p in proxy.requests[before:]]


def test_push_sends_only_what_changed(tmp_path: Path, oxigraph: OxigraphServer) -> None:
    n = 300
    out = build_graph([r for i in range(n) for r in small_article(i)], tmp_path / "news")
    proxy = CountingProxy(oxigraph.base)
    try:
        _, sent = push_counted(out, proxy)
        assert [m for m, _ in sent] == ["PUT"] * n
        assert oxigraph.dump() == (out / "graph.nq").read_bytes()

        stdout, sent = push_counted(out, proxy)
        assert sent == []  # nothing changed, nothing sent
        assert f"{n} unchanged" in stdout

        # one of the 300 articles is edited (its meeting moves to Oslo) and imported again
        edited = write_jsonl(tmp_path / "edit.jsonl", small_article(7, place="Oslo"))
        assert run_kg("import", edited, "--out", out).returncode == 0
        _, sent = push_counted(out, proxy)
        assert [m for m, _ in sent] == ["PUT"] and "talks-007" in sent[0][1], sent
        assert oxigraph.dump() == (out / "graph.nq").read_bytes()
    finally:
        proxy.close()


def test_push_deletes_pruned_articles(tmp_path: Path, oxigraph: OxigraphServer) -> None:
    inputs = write_inputs(tmp_path / "in", 6)
    out = tmp_path / "out"
    assert run_kg("build", inputs, "--out", out, "--no-view").returncode == 0
    proxy = CountingProxy(oxigraph.base)
    try:
        _, sent = push_counted(out, proxy)
        assert len(sent) == 6
        (inputs / "story-003.txt").unlink()
        rebuilt = run_kg("build", inputs, "--out", out, "--no-view", "--prune")
        assert rebuilt.returncode == 0, rebuilt.stderr
        stdout, sent = push_counted(out, proxy)
        assert [m for m, _ in sent] == ["DELETE"] and "story-003" in sent[0][1], sent
        assert "1 deleted" in stdout
        assert oxigraph.dump() == (out / "graph.nq").read_bytes()
    finally:
        proxy.close()


def test_push_state_is_kept_per_store_url(tmp_path: Path, dev_sentences: Path,
                                          oxigraph: OxigraphServer) -> None:
    """A push to another store sends everything there; --all sends everything again."""
    graph = build_dev_graph(dev_sentences, tmp_path / "dev")
    other = OxigraphServer(tmp_path / "other")
    other.start()
    try:
        for server in (oxigraph, other):
            res = run_kg("push", graph, "--endpoint", f"{server.base}/query")
            assert res.returncode == 0, res.stderr
            assert "pushed 45 graphs" in res.stdout
            assert server.dump() == (graph / "graph.nq").read_bytes()
        state = json.loads((graph / STATE_NAME).read_text(encoding="utf-8"))
        assert set(state["endpoints"]) == {f"{oxigraph.base}/store", f"{other.base}/store"}
        full = run_kg("push", graph, "--endpoint", f"{other.base}/query", "--all")
        assert full.returncode == 0, full.stderr
        assert "pushed 45 graphs" in full.stdout
    finally:
        other.stop()
