"""Readers and writers of one store: `kg query` / `kg serve` against a running `kg build`.

Oxigraph calls a read-only open while another process writes undefined behaviour, so newskg
refuses it with a clear message (exit 1, no traceback); a build refuses to start while a
server holds the store; readers share. Real processes, a real store, a real HTTP server.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import signal
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from conftest import run_kg
from helpers_reliability import start_kg, write_inputs

pytestmark = [pytest.mark.model, pytest.mark.slow]

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def writer_holds(store: Path) -> bool:
    """True while some process holds the store's write lock (a shared lock is refused)."""
    try:
        fd = os.open(store / "LOCK", os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        fcntl.lockf(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)  # drops the probe's own lock at once
    return False


def count(out: Path) -> int:
    res = run_kg("query", out, COUNT, "--format", "json")
    assert res.returncode == 0, res.stderr
    return int(json.loads(res.stdout)["results"]["bindings"][0]["n"]["value"])


def start_server(out: Path) -> tuple[subprocess.Popen[str], str]:
    proc = start_kg("serve", out, "--port", "0")
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert "SPARQL endpoint" in line, (line, proc.stderr.read() if proc.stderr else "")
    match = re.search(r"(http://[^/\s]+/)sparql", line)
    assert match, line
    return proc, match.group(1)


def stop(proc: subprocess.Popen[str]) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    proc.communicate(timeout=30)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_inputs(tmp_path_factory.mktemp("concurrency") / "in", 200, seed=3)


def test_query_and_serve_refuse_while_a_build_writes(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = sorted(corpus.iterdir())[:3]
    assert run_kg("build", *first, "--out", out, "--no-view").returncode == 0
    before = count(out)

    build = start_kg("build", corpus, "--out", out, "--no-view")
    deadline = time.monotonic() + 60
    while not writer_holds(out / "store"):
        assert build.poll() is None, build.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.02)

    res = run_kg("query", out, COUNT)
    assert build.poll() is None, "the build ended before the query ran"
    assert "Traceback" not in res.stderr
    assert res.returncode == 1, (res.stdout, res.stderr)
    assert "is being written by another process" in res.stderr
    assert str(out / "store") in res.stderr

    serve = run_kg("serve", out, "--port", "0", timeout=60)
    assert "Traceback" not in serve.stderr
    if build.poll() is None:
        assert serve.returncode == 1 and "is being written by another process" in serve.stderr

    _stdout, stderr = build.communicate(timeout=300)
    assert build.returncode == 0, stderr
    assert "Traceback" not in stderr
    after = count(out)  # the store opens and answers once the build is done
    assert after > before
    nq_lines = (out / "graph.nq").read_bytes().count(b"\n")
    assert after == nq_lines


def test_build_refuses_while_serve_reads_and_readers_share(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = sorted(corpus.iterdir())[:5]
    assert run_kg("build", *first, "--out", out, "--no-view").returncode == 0
    n = count(out)
    proc, url = start_server(out)
    try:
        assert url.startswith("http://127.0.0.1:")  # loopback by default
        res = run_kg("build", corpus, "--out", out, "--no-view")
        assert res.returncode == 1 and "Traceback" not in res.stderr
        assert "is locked by another process" in res.stderr and "kg serve" in res.stderr
        assert count(out) == n  # a second reader next to the server works
        query = urllib.parse.urlencode({"query": COUNT})
        req = urllib.request.Request(
            f"{url}sparql?{query}", headers={"Accept": "application/sparql-results+json"}
        )
        with urllib.request.urlopen(req, timeout=30) as answer:
            body = json.loads(answer.read())
        assert int(body["results"]["bindings"][0]["n"]["value"]) == n
        update = urllib.request.Request(
            f"{url}sparql",
            data=urllib.parse.urlencode({"update": "CLEAR ALL"}).encode(),
            method="POST",
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(update, timeout=30)
        assert refused.value.code in (403, 405)
    finally:
        stop(proc)
    assert count(out) == n  # read-only: nothing changed
    res = run_kg("build", corpus, "--out", out, "--no-view")  # the lock is free again
    assert res.returncode == 0, res.stderr
    assert count(out) > n
