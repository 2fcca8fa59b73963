"""kg.query and `kg query`: parameter parsing, typed results, formats, errors, injection."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import run_kg
from helpers_sparql import build_dev_graph
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.errors import QuerySyntaxError, UsageError
from kg.query import (
    AskResult,
    GraphResult,
    SelectResult,
    parse_param,
    parse_term,
    query,
    run_query,
)

KG = "https://w3id.org/newskg/ontology#"
ENT = "https://w3id.org/newskg/id/entity/"
P = f"PREFIX kg: <{KG}>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"


@pytest.fixture(scope="module")
def dev_graph(dev_sentences: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_dev_graph(dev_sentences, tmp_path_factory.mktemp("dev"))


# -- parameter values -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<https://example.org/a>", ox.NamedNode("https://example.org/a")),
        ('"Marta Kolar"', ox.Literal("Marta Kolar")),
        ('"Kolar"@en', ox.Literal("Kolar", language="en")),
        ('"Kolar"@en-GB', ox.Literal("Kolar", language="en-gb")),
        (
            '"2025-03-03"^^<http://www.w3.org/2001/XMLSchema#date>',
            ox.Literal("2025-03-03", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")),
        ),
        (
            '"3"^^xsd:integer',
            ox.Literal("3", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
        ),
        ("Marta Kolar", ox.Literal("Marta Kolar")),
        ('say "hi"', ox.Literal('say "hi"')),
        ('"a \\"quoted\\" word\\n"', ox.Literal('a "quoted" word\n')),
        ('"\\u00e9t\\u00e9"', ox.Literal("été")),
        ("", ox.Literal("")),
        ("<not closed", ox.Literal("<not closed")),
    ],
)
def test_parse_term(text: str, expected: object) -> None:
    assert parse_term(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "<not an iri>",
        "<https://example.org/a>b>",
        '"x"@not a tag',
        '"x"^^<bad iri>',
        '"x" trailing',
        '"bad \\q escape"',
    ],
)
def test_parse_term_refuses_malformed_values(text: str) -> None:
    with pytest.raises(UsageError):
        parse_term(text)


def test_parse_param_splits_on_first_equals() -> None:
    name, term = parse_param("label=a=b")
    assert name == "label" and term == ox.Literal("a=b")
    assert parse_param("$entity=<https://e.org/x>")[0] == "entity"
    for bad in ("noequals", "1x=3", "=v", "a b=c"):
        with pytest.raises(UsageError):
            parse_param(bad)


# -- typed results on a store we fill ourselves ------------------------------------------------


@pytest.fixture()
def mem_store() -> ox.Store:
    store = ox.Store()
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    a, b = ox.NamedNode(ENT + "a"), ox.NamedNode(ENT + "b")
    g1 = ox.NamedNode("https://w3id.org/newskg/id/graph/one")
    g2 = ox.NamedNode("https://w3id.org/newskg/id/graph/two")
    store.add(ox.Quad(a, label, ox.Literal("Alpha"), g1))
    store.add(ox.Quad(b, label, ox.Literal('B "tab"\there\nnext'), g2))
    store.add(ox.Quad(a, ox.NamedNode(KG + "met"), b, g1))
    return store


def test_select_over_union_and_one_graph(mem_store: ox.Store) -> None:
    q = P + "SELECT ?s ?l WHERE { ?s rdfs:label ?l } ORDER BY ?l"
    res = run_query(mem_store, q)
    assert isinstance(res, SelectResult)
    assert res.variables == ("s", "l")
    assert res.column("l") == ["Alpha", 'B "tab"\there\nnext']
    only = run_query(mem_store, q, graph="two")
    assert isinstance(only, SelectResult) and only.column("l") == ['B "tab"\there\nnext']
    by_iri = run_query(mem_store, q, graph="<https://w3id.org/newskg/id/graph/one>")
    assert isinstance(by_iri, SelectResult) and by_iri.column("l") == ["Alpha"]
    with pytest.raises(UsageError, match="no graph"):
        run_query(mem_store, q, graph="https://w3id.org/newskg/id/graph/three")


def test_ask_and_construct_results(mem_store: ox.Store) -> None:
    ask = run_query(mem_store, P + "ASK { ?a kg:met ?b }")
    assert isinstance(ask, AskResult) and ask.value is True
    assert json.loads(ask.serialize("json")) == {"head": {}, "boolean": True}
    graph = run_query(mem_store, P + "CONSTRUCT { ?b kg:met ?a } WHERE { ?a kg:met ?b }")
    assert isinstance(graph, GraphResult) and len(graph) == 1
    ttl = graph.serialize("ttl").decode()
    assert "entity:b kg:met entity:a" in ttl
    parsed = [q.triple for q in ox.parse(graph.serialize("nt"), format=ox.RdfFormat.N_TRIPLES)]
    met = ox.NamedNode(KG + "met")
    assert parsed == [ox.Triple(ox.NamedNode(ENT + "b"), met, ox.NamedNode(ENT + "a"))]
    describe = run_query(mem_store, f"DESCRIBE <{ENT}a>")
    assert isinstance(describe, GraphResult) and len(describe) == 2


def test_result_formats_follow_the_w3c_specs(mem_store: ox.Store) -> None:
    res = run_query(mem_store, P + "SELECT ?s ?l WHERE { ?s rdfs:label ?l } ORDER BY ?l")
    assert isinstance(res, SelectResult)
    data = json.loads(res.serialize("json"))
    assert data["head"]["vars"] == ["s", "l"]
    assert data["results"]["bindings"][0] == {
        "s": {"type": "uri", "value": ENT + "a"},
        "l": {"type": "literal", "value": "Alpha"},
    }
    rows = list(csv.reader(io.StringIO(res.serialize("csv").decode())))
    assert rows[0] == ["s", "l"] and rows[2][1] == 'B "tab"\there\nnext'
    tsv = res.serialize("tsv").decode().splitlines()
    assert tsv[0] == "?s\t?l" and len(tsv) == 3  # escapes keep one row per line
    assert "<sparql" in res.serialize("xml").decode()
    back = ox.parse_query_results(res.serialize("tsv"), ox.QueryResultsFormat.TSV)
    assert [s["l"] for s in back] == [ox.Literal("Alpha"), ox.Literal('B "tab"\there\nnext')]


def test_max_results_truncates(mem_store: ox.Store) -> None:
    res = run_query(mem_store, "SELECT * WHERE { ?s ?p ?o }", max_results=2)
    assert isinstance(res, SelectResult) and len(res) == 2 and res.truncated
    full = run_query(mem_store, "SELECT * WHERE { ?s ?p ?o }", max_results=3)
    assert isinstance(full, SelectResult) and len(full) == 3 and not full.truncated


def test_syntax_error_names_line_and_column(mem_store: ox.Store) -> None:
    with pytest.raises(QuerySyntaxError) as info:
        run_query(mem_store, "SELECT ?s\nWHERE { ?s ?p }", source="q.rq")
    message = str(info.value)
    assert "q.rq:2:" in message and "line 2, column" in message
    assert info.value.exit_code == 2


def test_params_bind_projected_and_unprojected_variables(mem_store: ox.Store) -> None:
    q = P + "SELECT ?s WHERE { ?s rdfs:label $name }"
    res = run_query(mem_store, q, params={"name": "Alpha"})
    assert isinstance(res, SelectResult) and res.column("s") == [ENT + "a"]
    q2 = P + "SELECT ?name ?s WHERE { ?s rdfs:label $name }"
    res2 = run_query(mem_store, q2, params={"name": ox.Literal("Alpha")})
    assert isinstance(res2, SelectResult) and res2.records() == [{"name": "Alpha", "s": ENT + "a"}]
    ask = run_query(mem_store, P + "ASK { $who kg:met ?x }", params={"who": f"<{ENT}a>"})
    assert isinstance(ask, AskResult) and ask.value


# -- injection ------------------------------------------------------------------------------

HOSTILE = [
    '"} ; DROP ALL ; #',
    '> } ; DROP ALL ; #',
    "Alpha\n} ; DROP ALL ; #",
    'Alpha" . ?s ?p ?o } #',
    "\\",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_param_values_cannot_change_the_query(mem_store: ox.Store, value: str) -> None:
    before = len(mem_store)
    for q in (
        P + "SELECT ?s WHERE { ?s rdfs:label $name }",
        P + "SELECT ?name ?s WHERE { ?s rdfs:label $name }",
    ):
        res = run_query(mem_store, q, params={"name": value})
        assert isinstance(res, SelectResult) and res.rows == ()
    assert len(mem_store) == before


def test_hostile_label_in_the_data_is_just_a_value(mem_store: ox.Store) -> None:
    hostile = 'B "tab"\there\nnext'
    q = P + "SELECT ?s WHERE { ?s rdfs:label $name }"
    res = run_query(mem_store, q, params={"name": hostile})
    assert isinstance(res, SelectResult) and res.column("s") == [ENT + "b"]


@settings(max_examples=60, deadline=None)
@given(st.text())
def test_any_text_param_is_a_literal_matching_only_itself(value: str) -> None:
    store = ox.Store()
    node = ox.NamedNode(ENT + "x")
    graph = ox.NamedNode(ENT + "g")
    store.add(ox.Quad(node, ox.NamedNode(KG + "name"), ox.Literal("fixed"), graph))
    try:
        term = parse_term(value)
    except UsageError:
        return  # refused up front: nothing reaches the query
    res = run_query(store, P + "SELECT ?s WHERE { ?s kg:name $v }", params={"v": term})
    assert isinstance(res, SelectResult)
    expected = [ENT + "x"] if term == ox.Literal("fixed") else []
    assert res.column("s") == expected
    assert len(store) == 1


# -- the API and the command on a graph built with `kg import` -----------------------------------


def test_query_api_on_an_imported_graph(dev_graph: Path) -> None:
    res = query(dev_graph, P + "SELECT ?a ?b WHERE { ?a kg:called ?b } ORDER BY ?a ?b")
    assert isinstance(res, SelectResult)
    pairs = {(r["a"], r["b"]) for r in res.records()}
    assert (ENT + "felix-braun", ENT + "tomas-reyes") in pairs
    # a call only reported ("according to VNA") never becomes a direct edge
    assert (ENT + "marta-kolar", ENT + "luis-andrade") not in pairs


def test_cli_formats(dev_graph: Path) -> None:
    q = P + "SELECT ?l WHERE { ?e rdfs:label ?l } ORDER BY ?l LIMIT 3"
    table = run_kg("query", dev_graph, q)
    assert table.returncode == 0, table.stderr
    assert table.stdout.splitlines()[0] == "l" and len(table.stdout.splitlines()) == 4
    js = run_kg("query", dev_graph, q, "--format", "json")
    assert len(json.loads(js.stdout)["results"]["bindings"]) == 3
    assert run_kg("query", dev_graph, q, "--format", "csv").stdout.startswith("l\n")
    assert run_kg("query", dev_graph, q, "--format", "tsv").stdout.startswith("?l\n")
    ask = run_kg("query", dev_graph, P + "ASK { ?a kg:met ?b }")
    assert ask.stdout.strip() == "true"
    construct = P + "CONSTRUCT { ?a kg:met ?b } WHERE { ?a kg:met ?b }"
    ttl = run_kg("query", dev_graph, construct)
    assert ttl.returncode == 0 and "kg:met" in ttl.stdout
    nq = run_kg("query", dev_graph, construct, "--format", "nq")
    lines = nq.stdout.splitlines()
    assert lines and all(f"<{KG}met>" in line and line.endswith(" .") for line in lines)
    assert run_kg("query", dev_graph, construct, "--format", "csv").returncode == 2
    assert run_kg("query", dev_graph, q, "--format", "ttl").returncode == 2


def test_cli_query_file_graph_and_param(dev_graph: Path, tmp_path: Path) -> None:
    rq = tmp_path / "q.rq"
    rq.write_text(
        P + "SELECT DISTINCT ?o WHERE { ?s rdfs:label $name ; kg:met ?x . ?x rdfs:label ?o }",
        encoding="utf-8",
    )
    res = run_kg("query", dev_graph, "-f", rq, "--param", "name=Tomas Reyes", "--format", "csv")
    assert res.returncode == 0, res.stderr
    assert res.stdout.splitlines()[1:] == ["Marta Kolar"]
    one = run_kg("query", dev_graph, "-f", rq, "--param", "name=Marta Kolar", "--graph", "dev-16",
                 "--format", "csv")
    assert one.stdout.splitlines()[1:] == ["Luis Andrade"]


@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        (["SELECT * WHERE { ?s ?p }"], 2, "line 1, column"),
        (["SELECT * WHERE { ?s ?p ?o }", "--format", "yaml"], 2, "--format"),
        (["SELECT * WHERE { ?s ?p ?o }", "--param", "nope"], 2, "--param"),
        (["SELECT * WHERE { ?s ?p ?o }", "--param", "x=<bad iri>"], 2, "not a valid IRI"),
        (["SELECT * WHERE { ?s ?p ?o }", "--graph", "no-such-doc"], 2, "no-such-doc"),
        ([], 2, "QUERY"),
        (["-f", "/nonexistent/q.rq"], 2, "/nonexistent/q.rq"),
        (["INSERT DATA { <a:b> <a:c> <a:d> }"], 2, "syntax error"),
    ],
)
def test_cli_errors(dev_graph: Path, args: list[str], code: int, needle: str) -> None:
    res = run_kg("query", dev_graph, *args)
    assert res.returncode == code, (res.stdout, res.stderr)
    assert needle in res.stderr
    assert "Traceback" not in res.stderr


def test_cli_missing_store_is_a_clear_error(tmp_path: Path) -> None:
    res = run_kg("query", tmp_path / "nothing", "ASK {}")
    assert res.returncode == 1 and "nothing" in res.stderr and "Traceback" not in res.stderr


def test_cli_injection_leaves_the_store_unchanged(dev_graph: Path) -> None:
    before = (dev_graph / "graph.nq").read_bytes()
    count = P + "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    n0 = run_kg("query", dev_graph, count, "--format", "csv").stdout
    for value in HOSTILE:
        res = run_kg("query", dev_graph, P + "SELECT ?s WHERE { ?s rdfs:label $name }",
                     "--param", f"name={value}", "--format", "csv")
        assert res.returncode == 0, res.stderr
        assert res.stdout.strip() == "s"
    assert run_kg("query", dev_graph, count, "--format", "csv").stdout == n0
    assert (dev_graph / "graph.nq").read_bytes() == before


def test_output_is_deterministic(dev_graph: Path) -> None:
    q = P + "CONSTRUCT { ?a kg:met ?b } WHERE { ?a kg:met ?b }"
    first = run_kg("query", dev_graph, q)
    assert first.stdout == run_kg("query", dev_graph, q).stdout


def test_standard_prefixes_are_predeclared(mem_store: ox.Store) -> None:
    res = run_query(mem_store, "SELECT ?b WHERE { ?a kg:met ?b }")
    assert isinstance(res, SelectResult) and res.column("b") == [ENT + "b"]
    # the query's own PREFIX wins
    other = run_query(mem_store, "PREFIX kg: <http://other.example/> ASK { ?a kg:met ?b }")
    assert isinstance(other, AskResult) and not other.value


def test_table_on_a_terminal_is_a_rich_table(dev_graph: Path) -> None:
    import os
    import pty
    import subprocess
    import sys

    leader, follower = pty.openpty()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "kg", "query", str(dev_graph),
             P + "SELECT DISTINCT ?l WHERE { ?e rdfs:label ?l } ORDER BY ?l LIMIT 2"],
            stdout=follower, stderr=subprocess.PIPE, timeout=60,
            env={**os.environ, "COLUMNS": "100", "TERM": "xterm", "NO_COLOR": "1"},
        )
        os.close(follower)
        chunks = []
        while True:
            try:
                data = os.read(leader, 4096)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
    finally:
        os.close(leader)
    text = b"".join(chunks).decode("utf-8", "replace")
    assert proc.returncode == 0, proc.stderr
    assert "┃" in text or "│" in text  # box drawing: a rich table
    assert "2 rows" in text and "Berlin" in text


def test_hostile_entity_names_from_records(dev_sentences: Path, tmp_path: Path) -> None:
    from helpers_sparql import QUERIES, build_graph

    from kg.query import read_query_file

    evil = 'Evil "} ; DROP ALL ; #'
    angle = "A>B\nC"
    records = [
        {"doc": "hostile", "type": "met", "subject": evil, "object": angle,
         "sentence": "x", "start": 0, "end": 1},
        {"doc": "hostile", "type": "met", "subject": "Plain Person", "object": "Other Person",
         "sentence": "y", "start": 2, "end": 3},
    ]
    out = build_graph(records, tmp_path)
    before = (out / "graph.nq").read_bytes()
    timeline = read_query_file(QUERIES / "entity-timeline.rq")
    for name, other in ((evil, angle), (angle, evil)):
        res = query(out, timeline, params={"entity": ox.Literal(name)})
        assert isinstance(res, SelectResult)
        assert {(r["subject"], r["object"]) for r in res.records()} == {(evil, angle)}
        assert other in {res.records()[0]["subject"], res.records()[0]["object"]}
    cli = run_kg("query", out, "-f", QUERIES / "entity-timeline.rq", "--param",
                 f"entity={evil}", "--format", "json")
    assert cli.returncode == 0, cli.stderr
    rows = json.loads(cli.stdout)["results"]["bindings"]
    assert [r["subject"]["value"] for r in rows] == [evil]
    count = query(out, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert isinstance(count, SelectResult)
    assert count.column("n") == [str(len(before.splitlines()))]
    assert (out / "graph.nq").read_bytes() == before
