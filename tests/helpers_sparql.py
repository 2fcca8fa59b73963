"""Shared helpers of the SPARQL tests: gold -> records -> a graph built with `kg import`.

The seed gold goes through ``helpers_rdf.seed_records`` (the store engineer's helper); the dev
sentences' gold is turned into records here, one article (named graph) per sentence, with
denials pointing at the claims they deny, exactly as an extractor would write them.
"""

from __future__ import annotations

import http.server
import json
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from conftest import ROOT, run_kg
from helpers_rdf import seed_records, write_jsonl

from kg.iris import DEFAULT_BASE

QUERIES = ROOT / "examples" / "queries"


def _key(rel: dict[str, Any]) -> tuple[str, str, str]:
    return rel["type"], rel["subject"], rel["object"]


def dev_records(path: Path, base: str = DEFAULT_BASE) -> list[dict[str, Any]]:
    """The dev sentences' gold as relation records: doc = sentence id, one graph each."""
    out: list[dict[str, Any]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        case = json.loads(line)
        doc, sentence = case["id"], case["sentence"]
        out.append({"record": "article", "doc": doc, "title": sentence, "date": None})
        rels: list[dict[str, Any]] = []
        for i, gold in enumerate(case["relations"]):
            rel = {k: gold.get(k) for k in ("type", "subject", "object", "polarity",
                                            "modality", "attributed_to", "date", "place")}
            rel.update(id=f"{base}relation/{doc}-{i}", doc=doc, sentence=sentence, start=0,
                       end=len(sentence), denied_by=[], confidence=1.0)
            rel["_claim"] = gold.get("claim")
            rels.append(rel)
        for rel in rels:
            claim = rel["_claim"]
            if not claim:
                continue
            target = next((r for r in rels if r is not rel and _key(r) == _key(claim)), None)
            if target is not None:
                rel["denies"] = target["id"]
                target["denied_by"].append(rel["subject"])
        for rel in rels:
            del rel["_claim"]
        out.extend(rels)
    return out


def build_graph(records: list[dict[str, Any]], workdir: Path) -> Path:
    """Write records as JSONL and build DIR with the real `kg import` command; returns DIR."""
    workdir.mkdir(parents=True, exist_ok=True)
    jsonl = write_jsonl(workdir / "records.jsonl", records)
    out = workdir / "out"
    result = run_kg("import", jsonl, "--out", out)
    assert result.returncode == 0, result.stderr
    return out


def build_seed_graph(seed_dir: Path, workdir: Path) -> Path:
    return build_graph(seed_records(seed_dir), workdir)


def build_dev_graph(dev_path: Path, workdir: Path) -> Path:
    return build_graph(dev_records(dev_path), workdir)


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


OXIGRAPH = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which(
    "oxigraph"
)


class OxigraphServer:
    """`oxigraph serve` on a free loopback port, on a store directory that outlives restarts."""

    def __init__(self, location: Path) -> None:
        if OXIGRAPH is None:
            pytest.skip("the oxigraph server binary (PyPI package oxigraph) is not installed")
        self.location = location
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        assert OXIGRAPH is not None
        self.proc = subprocess.Popen(
            [OXIGRAPH, "serve", "--location", str(self.location),
             "--bind", f"127.0.0.1:{self.port}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.base}/query?query=ASK%7B%7D", timeout=2):
                    return
            except (urllib.error.URLError, OSError):
                time.sleep(0.05)
        raise RuntimeError("oxigraph server did not start")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(10)
            self.proc = None

    def quads(self) -> set[ox.Quad]:
        req = urllib.request.Request(f"{self.base}/store",
                                     headers={"Accept": "application/n-quads"})
        with urllib.request.urlopen(req, timeout=30) as resp:
            return set(ox.parse(resp.read(), format=ox.RdfFormat.N_QUADS))

    def dump(self) -> bytes:
        """The server's whole dataset as N-Quads with sorted lines (graph.nq's form)."""
        req = urllib.request.Request(f"{self.base}/store",
                                     headers={"Accept": "application/n-quads"})
        with urllib.request.urlopen(req, timeout=60) as resp:
            lines = sorted(set(resp.read().splitlines()))
        return b"".join(line + b"\n" for line in lines if line)

    def graph_count(self) -> int:
        q = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
        req = urllib.request.Request(
            f"{self.base}/query", data=q.encode(),
            headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"},
        )
        with urllib.request.urlopen(req, timeout=5) as resp:
            return int(resp.read().decode().split()[1])


class CountingProxy:
    """An HTTP proxy on a free loopback port that forwards every request to ``upstream`` and
    counts them by method and path (what a client really sent, seen from outside it)."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream.rstrip("/")
        self.requests: list[tuple[str, str]] = []
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                proxy.requests.append((self.command, self.path))
                headers = {k: v for k, v in self.headers.items()
                           if k.lower() in ("content-type", "accept", "authorization")}
                req = urllib.request.Request(proxy.upstream + self.path, data=body,
                                             headers=headers, method=self.command)
                try:
                    with urllib.request.urlopen(req, timeout=60) as resp:
                        status, data = resp.status, resp.read()
                except urllib.error.HTTPError as err:
                    status, data = err.code, err.read()
                self.send_response(status)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _forward

            def log_message(self, format: str, *args: Any) -> None:
                return None

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def count(self, method: str) -> int:
        return sum(1 for m, _ in self.requests if m == method)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def rows(result: Any) -> list[dict[str, str | None]]:
    """Plain-value rows of a :class:`kg.query.SelectResult`."""
    return list(result.records())


__all__ = [
    "QUERIES",
    "CountingProxy",
    "OxigraphServer",
    "build_dev_graph",
    "build_graph",
    "build_seed_graph",
    "dev_records",
    "free_port",
    "rows",
]
