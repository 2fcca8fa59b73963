"""Issue 15 (security round two), the commands and the API: each test failed before its fix.

SERVICE refused unless allowed, deep queries a message not a crash, ids that collide after
slugging, a relation id in two articles, temp files and planted symlinks, bounded import input,
`--out` a dangling symlink, invalid dates. Server tests: test_security_serve.py; tests that
need the spaCy model: test_security_build.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import run_kg
from helpers_security import empty_store, recording_endpoint, write_records

from kg.errors import QueryRefused
from kg.query import run_query


@pytest.fixture()
def recorder() -> Iterator[tuple[str, list[str]]]:
    with recording_endpoint() as endpoint:
        yield endpoint


@pytest.fixture(scope="module")
def empty_graph(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return empty_store(tmp_path_factory.mktemp("empty") / "out")


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



@pytest.mark.parametrize("command", ["import", "export"])
def test_temp_files_do_not_follow_planted_symlinks(tmp_path: Path, command: str) -> None:
    """`*.tmp` names were fixed: a symlink planted there made a write land outside --out."""
    outside = tmp_path / "outside"
    outside.mkdir()
    out = tmp_path / "out"
    records = write_records(tmp_path / "a.jsonl", "doc", "title")
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
    source = write_records(tmp_path / "a.jsonl", "doc", "t") if command == "import" else tmp_path
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


