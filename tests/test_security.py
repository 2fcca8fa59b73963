"""Issue 15: what an independent probe broke, each as a test that failed before the fix.

SERVICE (outbound requests) refused unless allowed; query nesting refused with a message, never
a crash. Everything runs on loopback, bounded in count and time.
"""

from __future__ import annotations

import http.server
import socket
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pyoxigraph as ox
import pytest
from conftest import run_kg
from test_serve import http as request
from test_serve import start_server, stop_server

from kg.errors import QueryRefused
from kg.query import run_query


class _Recorder(http.server.BaseHTTPRequestHandler):
    """A SPARQL endpoint on loopback that records every request it gets."""

    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.hits.append(self.path)
        body = (
            b'{"head":{"vars":["s"]},'
            b'"results":{"bindings":[{"s":{"type":"uri","value":"x:leak"}}]}}'
        )
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture()
def recorder() -> Iterator[tuple[str, list[str]]]:
    hits: ClassVar[list[str]] = []
    handler = type("Rec", (_Recorder,), {"hits": hits})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", hits
    server.shutdown()
    server.server_close()


SERVICE_QUERIES = [
    "SELECT * { SERVICE <{url}> { ?s ?p ?o } }",
    "select * { service silent <{url}> { ?s ?p ?o } }",
    "SELECT * { ?a ?b ?c OPTIONAL { { SERVICE <{url}> { ?s ?p ?o } } } }",
    "SELECT * { ?a ?b ?c FILTER EXISTS { SERVICE <{url}> { ?s ?p ?o } } }",
    "ASK { SERVICE <{url}> { ?s ?p ?o } }",
    "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <{url}> { ?s ?p ?o } }",
    '# "a comment\nSELECT * { ?x ?y "}" SERVICE <{url}> { ?s ?p ?o } }',
    "SELECT * {\n  SeRvIcE\t<{url}> { ?s ?p ?o } }",
]
HARMLESS = [
    'SELECT * { BIND("SERVICE <{url}> {{ }}" AS ?x) }',
    "SELECT * { ?s ?p ?o } # SERVICE <{url}> { ?s ?p ?o }",
    "PREFIX service: <{url}> SELECT * { ?s service:x ?o }",
    "SELECT * { <{url}service> ?p ?o }",
]


@pytest.mark.parametrize("template", SERVICE_QUERIES)
def test_service_is_refused_by_default(recorder: tuple[str, list[str]], template: str) -> None:
    url, hits = recorder
    with pytest.raises(QueryRefused, match=r"SERVICE.*--allow-service"):
        run_query(ox.Store(), template.replace("{url}", url))
    assert hits == []


@pytest.mark.parametrize("template", HARMLESS)
def test_the_word_service_in_strings_comments_and_iris_is_no_service(
    recorder: tuple[str, list[str]], template: str
) -> None:
    url, hits = recorder
    run_query(ox.Store(), template.replace("{url}", url).replace("{{", "{").replace("}}", "}"))
    assert hits == []


def test_service_runs_when_allowed(recorder: tuple[str, list[str]]) -> None:
    url, hits = recorder
    result = run_query(ox.Store(), f"SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
                       allow_service=True)
    assert hits and len(result) == 1


@pytest.fixture(scope="module")
def empty_graph(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty built store: enough to serve and query."""
    from kg.store import open_store

    out = tmp_path_factory.mktemp("empty") / "out"
    open_store(out).close()
    return out


@pytest.mark.server
@pytest.mark.parametrize("allow", [False, True])
def test_serve_refuses_service_unless_allowed(
    empty_graph: Path, recorder: tuple[str, list[str]], allow: bool
) -> None:
    """GET, a form POST from another origin, a direct POST: 400 and no request goes out."""
    url, hits = recorder
    sparql = f"SELECT * {{ SERVICE <{url}anything> {{ ?s ?p ?o }} }}"
    proc, base = start_server(empty_graph, *(["--allow-service"] if allow else []))
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


def test_kg_query_refuses_service(empty_graph: Path, recorder: tuple[str, list[str]]) -> None:
    url, hits = recorder
    result = run_kg("query", empty_graph, f"SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }}")
    assert result.returncode == 2 and "--allow-service" in result.stderr
    assert hits == []


NESTED = [
    "SELECT * " + "{" * 20_000 + " ?s ?p ?o " + "}" * 20_000,
    "SELECT * { BIND(" + "(" * 20_000 + "1" + ")" * 20_000 + " AS ?x) }",
    "SELECT * { BIND(" + "CONCAT(" * 5_000 + "'a'" + ")" * 5_000 + " AS ?x) }",
    "SELECT * { BIND(" + "!" * 60_000 + "true AS ?x) }",
    "SELECT * { {?s ?p ?o}" + " UNION {?s ?p ?o}" * 20_000 + " }",
]


@pytest.mark.parametrize("sparql", NESTED, ids=["groups", "parens", "concat", "not", "union"])
def test_deep_queries_give_a_message_not_a_crash(tmp_path: Path, sparql: str) -> None:
    """`kg query` used to die with SIGSEGV (exit 139) in Oxigraph's recursive parser."""
    from kg.store import open_store

    out = tmp_path / "out"
    open_store(out).close()
    query_file = tmp_path / "deep.rq"
    query_file.write_text(sparql, encoding="utf-8")
    result = run_kg("query", out, "-f", query_file, timeout=120)
    assert result.returncode in (0, 2), (result.returncode, result.stderr[-500:])
    if result.returncode == 2:
        assert "kg: error:" in result.stderr and "over the limit" in result.stderr


# -- 2. document ids that collide after slugging ----------------------------------------------

COLLIDING = {
    "Report.txt": "Report\n\nAnna Weber met Karl Ott in Vienna on Tuesday.\n",
    "report.txt": "report\n\nMaria Lopez called Jan Novak on Friday.\n",
    "my report.txt": "My report\n\nEva Lind visited Oslo on Monday.\n",
    "my-report.txt": "My-report\n\nPeter Holm met Ana Costa in Riga.\n",
}


@pytest.mark.model
def test_build_refuses_ids_that_collide_after_slugging_and_is_stable(tmp_path: Path) -> None:
    """`Report`/`report` and `my report`/`my-report` overwrote each other and graph.nq flipped
    between two hashes on every rebuild."""
    src = tmp_path / "in"
    src.mkdir()
    for name, text in COLLIDING.items():
        (src / name).write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    runs = [run_kg("build", src, "--out", out, "--no-view") for _ in range(3)]
    first = runs[0]
    assert first.returncode == 1, first.stderr
    for kept, refused in (("Report.txt", "report.txt"), ("my report.txt", "my-report.txt")):
        line = next(x for x in first.stderr.splitlines() if str(src / refused) in x)
        assert str(src / kept) in line and "same article graph" in line
    import json

    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["store_articles"] == 2 and len(report["failures"]) == 2
    nq = (out / "graph.nq").read_bytes()
    for again in runs[1:]:
        assert again.returncode == 1
    assert (out / "graph.nq").read_bytes() == nq
    run_kg("build", src, "--out", out, "--no-view")
    assert (out / "graph.nq").read_bytes() == nq


def test_import_refuses_ids_that_collide_after_slugging(tmp_path: Path) -> None:
    import json

    records = [
        {"record": "article", "doc": "Report", "title": "one"},
        {"record": "article", "doc": "report", "title": "two"},
        {"record": "article", "doc": "my report", "title": "three"},
        {"record": "article", "doc": "my-report", "title": "four"},
    ]
    src = tmp_path / "records.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    out = tmp_path / "out"
    first = run_kg("import", src, "--out", out)
    assert first.returncode == 1, first.stderr
    assert f"{src}:2" in first.stderr and f"{src}:1" in first.stderr
    assert f"{src}:4" in first.stderr and f"{src}:3" in first.stderr
    assert "same article graph" in first.stderr
    nq = (out / "graph.nq").read_bytes()
    assert nq.count(b"/graph/report>") and b"\"two\"" not in nq and b"\"four\"" not in nq
    assert run_kg("import", src, "--out", out).returncode == 1
    assert (out / "graph.nq").read_bytes() == nq


# -- 3. an output directory inside an input directory -----------------------------------------


@pytest.mark.model
@pytest.mark.parametrize("where", ["inside", "same"])
def test_output_inside_an_input_is_never_read(tmp_path: Path, where: str) -> None:
    """relations.jsonl and graph.html in --out became articles: the graph grew every rebuild."""
    import json

    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("Talks\n\nAnna Weber met Karl Ott in Vienna.\n", encoding="utf-8")
    (src / "b.txt").write_text("Call\n\nMaria Lopez called Jan Novak.\n", encoding="utf-8")
    out = src / "out" if where == "inside" else src
    graphs = []
    for _ in range(3):
        result = run_kg("build", src, "--out", out)
        assert result.returncode == 0, result.stderr
        report = json.loads((out / "report.json").read_text(encoding="utf-8"))
        assert report["store_articles"] == 2 and not report["failures"], report
        graphs.append((out / "graph.nq").read_bytes())
    assert graphs[0] == graphs[1] == graphs[2]


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


class Served:
    """`kg serve` in a subprocess with its log (stderr) kept."""

    def __init__(self, directory: Path, log: Path, *args: str) -> None:
        import re
        import subprocess
        import sys

        self.log = log
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "kg", "serve", str(directory), "--port", "0", *args],
            stdout=subprocess.PIPE, stderr=log.open("wb"), text=True,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        match = re.search(r"http://(\[[^\]]+\]|[\d.]+):(\d+)/sparql", line)
        if not match:
            self.proc.kill()
            pytest.fail(f"kg serve did not start: {line!r} {log.read_text()!r}")
        self.host = match.group(1).strip("[]")
        self.port = int(match.group(2))
        self.base = f"http://{match.group(1)}:{self.port}/"

    def connect(self, timeout: float = 10) -> socket.socket:
        return socket.create_connection((self.host, self.port), timeout=timeout)

    def raw(self, data: bytes, timeout: float = 20) -> bytes:
        """Send ``data``, read until the server closes (or a response ends)."""
        with self.connect(timeout) as s:
            s.sendall(data)
            s.shutdown(socket.SHUT_WR)
            chunks = []
            while chunk := s.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks)

    def stop(self) -> None:
        stop_server(self.proc)  # type: ignore[arg-type]


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


@pytest.mark.server
@pytest.mark.parametrize(("length", "status"), [("-1", b"400"), ("-300000000", b"400"),
                                                ("1e9", b"400"), ("99999999999", b"413")])
def test_bad_content_length_is_refused(served: Served, length: str, status: bytes) -> None:
    """`Content-Length: -1` read the whole stream: 300 MB went in past the 1 MB limit."""
    answer = served.raw(_post(length, b"ASK {}"))
    assert answer.split(b" ", 2)[1] == status, answer[:200]


@pytest.mark.server
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


@pytest.mark.server
def test_deep_query_is_400_and_the_server_goes_on(served: Served) -> None:
    deep = "SELECT * " + "{" * 20_000 + " ?s ?p ?o " + "}" * 20_000
    status, _, body = request(f"{served.base}sparql", data=deep.encode(),
                              headers={"Content-Type": "application/sparql-query"})
    assert status == 400 and b"over the limit" in body
    assert request(f"{served.base}sparql?query=ASK%7B%7D")[0] == 200


@pytest.mark.server
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


@pytest.mark.server
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


@pytest.mark.server
def test_listen_backlog_is_real(served: Served) -> None:
    import subprocess

    listing = subprocess.run(["ss", "-ltnH", f"sport = :{served.port}"], capture_output=True,
                             text=True, check=True).stdout.split()
    assert int(listing[2]) >= 128, listing  # Send-Q of a listening socket is its backlog


@pytest.mark.server
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


@pytest.mark.server
def test_terminal_escapes_in_request_lines_are_escaped_in_the_log(served: Served) -> None:
    served.raw(b"GET /\x1b[2J\x1b]0;pwned\x07 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    served.raw(b"GET /sparql?x=\r\x1b[31mforged HTTP/1.1\r\nHost: x\r\n\r\n")
    time.sleep(0.3)
    log = served.log.read_bytes()
    assert b"\x1b" not in log and b"\x07" not in log
    assert b"\\x1b[2J" in log


@pytest.mark.server
def test_serve_listens_on_ipv6_loopback(small_graph: Path, tmp_path: Path) -> None:
    server = Served(small_graph, tmp_path / "log", "--host", "::1")
    try:
        assert server.base.startswith("http://[::1]:")
        assert request(f"{server.base}sparql?query=ASK%7B%7D")[0] == 200
    finally:
        server.stop()


# -- 5. a relation id reused in two articles --------------------------------------------------


def test_import_refuses_a_relation_id_used_in_two_articles(tmp_path: Path) -> None:
    """The node got two types, two subjects and two polarities; `kg validate` then failed."""
    import json

    def rel(doc: str, rtype: str, subject: str, obj: str, polarity: str) -> dict[str, object]:
        return {"id": "https://w3id.org/newskg/id/relation/same", "doc": doc, "type": rtype,
                "subject": subject, "object": obj, "polarity": polarity,
                "sentence": f"{subject} and {obj}.", "start": 0, "end": 10}

    first = tmp_path / "a.jsonl"
    second = tmp_path / "b.jsonl"
    first.write_text(json.dumps(rel("doc-a", "met", "Anna Weber", "Karl Ott", "positive"))
                     + "\n", encoding="utf-8")
    second.write_text(json.dumps({"record": "article", "doc": "doc-b", "title": "b"}) + "\n"
                      + json.dumps(rel("doc-b", "called", "Jan Novak", "Eva Lind", "negative"))
                      + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_kg("import", first, second, "--out", out)
    assert result.returncode == 1, result.stderr
    line = next(x for x in result.stderr.splitlines() if f"{second}:2" in x)
    assert f"{first}:1" in line and "doc-a" in line and "relation id" in line
    checked = run_kg("validate", out)
    assert checked.returncode == 0, checked.stdout + checked.stderr


# -- 6. locks and temp files ------------------------------------------------------------------


def _records(path: Path, doc: str, title: str) -> Path:
    import json

    rel = {"id": f"https://w3id.org/newskg/id/relation/{doc}", "doc": doc, "type": "met",
           "subject": "Anna Weber", "object": "Karl Ott", "sentence": "Anna Weber met Karl Ott.",
           "start": 0, "end": 24}
    path.write_text(json.dumps({"record": "article", "doc": doc, "title": title}) + "\n"
                    + json.dumps(rel) + "\n", encoding="utf-8")
    return path


@pytest.mark.server
def test_serve_refuses_a_store_replaced_under_it(tmp_path: Path) -> None:
    """rm -rf DIR and a new `kg import` under a running server bypassed the lock: answers
    mixed the two stores."""
    import shutil

    out = tmp_path / "out"
    assert run_kg("import", _records(tmp_path / "a.jsonl", "old", "old"), "--out", out)\
        .returncode == 0
    server = Served(out, tmp_path / "log", "--workers", "1")
    try:
        ask = f"{server.base}sparql?query=" + urllib.parse.quote("ASK { ?s ?p ?o }")
        assert request(ask)[0] == 200
        shutil.rmtree(out)
        done = run_kg("import", _records(tmp_path / "b.jsonl", "new", "new"), "--out", out)
        assert done.returncode == 0, done.stderr
        status, _, body = request(ask)
        assert status == 503 and b"replaced" in body and b"restart" in body
    finally:
        server.stop()


@pytest.mark.parametrize("command", ["import", "export"])
def test_temp_files_do_not_follow_planted_symlinks(tmp_path: Path, command: str) -> None:
    """`*.tmp` names were fixed: a symlink planted there made a write land outside --out."""
    outside = tmp_path / "outside"
    outside.mkdir()
    out = tmp_path / "out"
    records = _records(tmp_path / "a.jsonl", "doc", "title")
    if command == "export":
        assert run_kg("import", records, "--out", out).returncode == 0
    else:
        out.mkdir()
    names = ["graph.nq.tmp", "report.json.tmp", "relations.jsonl.tmp", "graph.html.tmp",
             ".graph.nq.run0", "export.nq.tmp"]
    if command == "import":
        names.append("report.json")
    for name in names:
        (outside / name).write_text("precious\n", encoding="utf-8")
        (out / name).unlink(missing_ok=True)
        (out / name).symlink_to(outside / name)
    if command == "import":
        result = run_kg("import", records, "--out", out)
    else:
        result = run_kg("export", out, "--format", "nq", "-o", out / "export.nq")
    assert result.returncode == 0, result.stderr
    for name in names:
        assert (outside / name).read_text(encoding="utf-8") == "precious\n", name


def _limited_files(limit: int) -> None:
    """In the child: files cannot grow past ``limit`` bytes (EFBIG), as on a full disk."""
    import resource
    import signal

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


@pytest.mark.model
@pytest.mark.parametrize("limit", [4_000, 200_000])
def test_full_disk_on_a_first_build_is_a_message_and_leaves_no_temp_file(
    tmp_path: Path, limit: int
) -> None:
    import os
    import subprocess
    import sys

    src = tmp_path / "in"
    src.mkdir()
    for i in range(30):
        (src / f"s{i}.txt").write_text(
            f"Story {i}\n\nAnna Weber{i} met Karl Ott in Vienna. Maria Lopez called Jan Novak.\n",
            encoding="utf-8")
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "kg", "build", src, "--out", out],
                            capture_output=True, text=True, timeout=300,
                            preexec_fn=lambda: _limited_files(limit),
                            env={**os.environ, "PYTHONUTF8": "1"})
    assert result.returncode == 1, result.stderr[-2000:]
    assert "Traceback" not in result.stderr and "kg: error:" in result.stderr
    assert "File too large" in result.stderr
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


# -- 7. kg import reads bounded input ---------------------------------------------------------


@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_import_refuses_fifos_and_devices(tmp_path: Path, kind: str) -> None:
    """A FIFO hung `kg import`; /dev/zero was read without end."""
    import os

    if kind == "fifo":
        path = tmp_path / "records.jsonl"
        os.mkfifo(path)
    else:
        path = Path("/dev/zero")
    result = run_kg("import", path, "--out", tmp_path / "out", timeout=30)
    assert result.returncode == 1 and f"{path}: " in result.stderr
    assert "not a regular file" in result.stderr


@pytest.mark.parametrize("stream", ["endless-line", "endless-lines"])
def test_import_bounds_piped_input(tmp_path: Path, stream: str) -> None:
    import os
    import subprocess
    import sys

    if stream == "endless-line":
        feeder = subprocess.Popen(["cat", "/dev/zero"], stdout=subprocess.PIPE)
        args = ["--max-bytes", "100000"]
    else:
        line = '{"record": "article", "doc": "x", "title": "t"}'
        feeder = subprocess.Popen(["yes", line], stdout=subprocess.PIPE)
        args = ["--max-input-bytes", "2000000"]
    try:
        result = subprocess.run(
            [sys.executable, "-m", "kg", "import", "-", "--out", tmp_path / "out", *args],
            stdin=feeder.stdout, capture_output=True, text=True, timeout=120,
            env={**os.environ, "PYTHONUTF8": "1"})
    finally:
        feeder.kill()
        feeder.wait()
    assert result.returncode == 1, result.stderr[-500:]
    assert "<stdin>" in result.stderr and "over the limit" in result.stderr


@pytest.mark.parametrize("command", ["build", "import"])
def test_out_as_a_dangling_symlink_is_a_clear_error(tmp_path: Path, command: str) -> None:
    out = tmp_path / "out"
    out.symlink_to(tmp_path / "gone")
    source = _records(tmp_path / "a.jsonl", "doc", "t") if command == "import" else tmp_path
    if command == "build":
        (tmp_path / "a.txt").write_text("Title\n\nAnna Weber met Karl Ott.\n", encoding="utf-8")
    result = run_kg(command, source, "--out", out)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "symlink" in result.stderr
    assert str(tmp_path / "gone") in result.stderr and not (tmp_path / "gone").exists()


@pytest.mark.parametrize(
    ("name", "content", "where"),
    [
        ("a.jsonl", '{"id": "a", "date": "2024-13-45", "text": "Anna Weber met Karl Ott."}\n',
         "a.jsonl:1"),
        ("b.html", '<html><head><meta name="date" content="not a date"></head><body>'
         "<p>Anna Weber met Karl Ott in Vienna.</p></body></html>", "b.html"),
    ],
)
def test_an_invalid_article_date_is_a_warning_naming_the_file(
    tmp_path: Path, name: str, content: str, where: str
) -> None:
    """The date was dropped silently."""
    from kg.extraction.read import ReadWarning, read_inputs

    (tmp_path / name).write_text(content, encoding="utf-8")
    warnings: list[ReadWarning] = []
    articles = list(read_inputs([tmp_path / name], on_warning=warnings.append))
    assert len(articles) == 1
    assert [w for w in warnings if str(w).startswith(str(tmp_path / where) + ":")
            and "date" in w.message], warnings


# -- 7. many people with similar surnames stay apart ------------------------------------------

FIRSTS = ["Adrian", "Bruno", "Clara", "Dora", "Emil", "Frieda", "Gustav", "Hanna", "Ivo", "Jana"]
SURNAMES = ["Becker", "Berger", "Becher", "Decker", "Wagner", "Wegner", "Weber", "Walter",
            "Walker", "Waller", "Keller", "Kessler", "Koller", "Hoffmann", "Hofmann", "Fischer",
            "Fischler", "Schneider", "Schreiber", "Lehmann"]


@pytest.mark.model
@pytest.mark.slow
def test_different_full_names_with_similar_surnames_are_different_people() -> None:
    """5,000 people in one article: 349 merged ("Adrian Becker" an alias of "Adrian Berger")."""
    from helpers_nlp import resolve_text

    people = [f"{f} {s}" for s in SURNAMES for f in FIRSTS]  # 200 people
    sentences = [f"{people[i]} met {people[i + 1]} in Vienna on Tuesday."
                 for i in range(0, len(people), 2)]
    resolved = resolve_text("\n\n".join(sentences))
    persons = {e.label: e for e in resolved.entities if e.type == "Person"}
    merged = {
        (e.label, alias) for e in persons.values() for alias in e.aliases
        if alias in people and alias != e.label
    }
    assert not merged, sorted(merged)[:10]
    assert len(set(people) & set(persons)) >= 0.95 * len(people)
