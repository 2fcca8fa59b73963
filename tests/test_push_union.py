"""After `kg push` the README's first query works as written on a real `oxigraph serve`: at the
URL `kg push` prints, and on a server started with --union-default-graph. A wrong endpoint
gets one message naming the URL forms, not one error per graph."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, run_kg
from helpers_sparql import build_dev_graph, free_port

pytestmark = [pytest.mark.server]

OXIGRAPH = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which(
    "oxigraph"
)


def readme_first_query() -> str:
    """The query of the README's first `kg query out/demo '...'` line (possibly multi-line)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(r"^kg query out/demo '([^']*)'", text, re.MULTILINE)
    assert m is not None
    return m.group(1)


def oxigraph_help() -> str:
    assert OXIGRAPH is not None
    return subprocess.run([OXIGRAPH, "serve", "--help"], capture_output=True, text=True,
                          timeout=30).stdout


@pytest.fixture()
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """`oxigraph serve` on a free loopback port (flags from the test's parameter)."""
    if OXIGRAPH is None:
        pytest.skip("the oxigraph server binary (PyPI package oxigraph) is not installed")
    flags: list[str] = list(getattr(request, "param", []))
    port = free_port()
    proc = subprocess.Popen(
        [OXIGRAPH, "serve", "--location", str(tmp_path / "remote"),
         "--bind", f"127.0.0.1:{port}", *flags],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            with urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=2):
                break
        except (urllib.error.URLError, OSError):
            if time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError("oxigraph server did not start") from None
            time.sleep(0.05)
    yield base
    proc.kill()
    proc.wait(10)


@pytest.fixture(scope="module")
def dev_graph(dev_sentences: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_dev_graph(dev_sentences, tmp_path_factory.mktemp("dev"))


def remote_rows(url: str, query: str) -> set[tuple[str, ...]]:
    req = urllib.request.Request(
        url, data=urllib.parse.urlencode({"query": query}).encode(),
        headers={"Accept": "text/csv", "Content-Type": "application/x-www-form-urlencoded"},
    )
    with urllib.request.urlopen(req, timeout=30) as resp:
        rows = list(csv.reader(io.StringIO(resp.read().decode("utf-8"))))
    return {tuple(r) for r in rows[1:]}


def local_rows(graph: Path, query: str) -> set[tuple[str, ...]]:
    res = run_kg("query", graph, query, "--format", "csv")
    assert res.returncode == 0, res.stderr
    return {tuple(r) for r in list(csv.reader(io.StringIO(res.stdout)))[1:]}


def test_readme_query_at_the_printed_url(dev_graph: Path, server: str) -> None:
    query = readme_first_query()
    assert "PREFIX kg:" in query  # works on stores that predeclare nothing
    res = run_kg("push", dev_graph, "--endpoint", f"{server}/query")
    assert res.returncode == 0, res.stderr
    m = re.search(r"query the articles as one graph at (\S+)\n  Oxigraph: ", res.stdout)
    assert m is not None, res.stdout
    assert m.group(1) == f"{server}/query?union-default-graph"
    expected = local_rows(dev_graph, query)
    assert len(expected) >= 5
    assert remote_rows(m.group(1), query) == expected
    # the trap the message is about: the plain endpoint reads only the unnamed default graph
    assert remote_rows(f"{server}/query", query) == set()


@pytest.mark.parametrize("server", [["--union-default-graph"]], indirect=True)
def test_readme_query_on_a_union_default_graph_server(dev_graph: Path, server: str) -> None:
    if "--union-default-graph" not in oxigraph_help():
        pytest.skip("this oxigraph CLI has no --union-default-graph flag")
    query = readme_first_query()
    res = run_kg("push", dev_graph, "--endpoint", f"{server}/query")
    assert res.returncode == 0, res.stderr
    assert remote_rows(f"{server}/query", query) == local_rows(dev_graph, query)


@pytest.mark.parametrize("path", ["/", "/sparql/query", "/dataset/update"])
def test_wrong_endpoint_gets_one_message(dev_graph: Path, server: str, path: str) -> None:
    res = run_kg("push", dev_graph, "--endpoint", f"{server}{path}", "--retries", "0")
    assert res.returncode == 2, res.stdout + res.stderr
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, res.stderr
    assert lines[0].startswith("kg: error: ")
    assert "is not a Graph Store Protocol URL" in lines[0]
    assert "Oxigraph http://HOST:7878/query" in lines[0]
    assert "Fuseki http://HOST:3030/DATASET/sparql" in lines[0]
    assert "run the same command again" not in res.stdout + res.stderr


def test_kg_serve_says_its_default_graph_is_the_union(dev_graph: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", str(dev_graph), "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert "default graph is the union of the article graphs" in line, line
        base = re.search(r"(http://\S+/)sparql", line)
        assert base is not None
        query = readme_first_query()
        assert remote_rows(base.group(1) + "sparql", query) == local_rows(dev_graph, query)
    finally:
        proc.terminate()
        proc.communicate(timeout=30)
