"""The Python API: ``kg.open`` and ``kg.extract`` give one ``Graph`` type (rows, records,
networkx, rdflib, serialisations, the view), ``kg export`` writes GraphML and compact JSON-LD,
and the example notebook runs."""

from __future__ import annotations

import datetime
import io
import json
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox
import pytest
import rdflib
from conftest import EXAMPLES, run_kg

import kg
from kg.errors import UsageError
from kg.model import RelationRecord
from kg.records import read_records, relation_to_json

pytestmark = pytest.mark.model

ARTICLES = ("veridia-kestland-talks.txt", "kestland-denies-secret-talks.txt")
MET = "SELECT DISTINCT ?a ?b WHERE { ?x kg:met ?y . ?x rdfs:label ?a . ?y rdfs:label ?b }"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("api") / "out"
    res = run_kg("build", *(EXAMPLES / "articles" / a for a in ARTICLES), "--out", out,
                 "--no-view")
    assert res.returncode == 0, res.stderr
    return out


@pytest.fixture()
def graph(built: Path) -> Any:
    with kg.open(built) as g:
        yield g


def _records(path: Path) -> dict[str, dict[str, Any]]:
    out = {}
    with open(path, encoding="utf-8") as fh:
        for item in read_records(fh, str(path)):
            rec = getattr(item, "record", None)
            if isinstance(rec, RelationRecord):
                out[rec.id] = relation_to_json(rec)
    return out


def test_relations_are_the_records_of_relations_jsonl(graph: Any, built: Path) -> None:
    expected = _records(built / "relations.jsonl")
    mine = {r.id: relation_to_json(r) for r in graph.relations()}
    assert mine.keys() == expected.keys() and len(mine) > 20
    for rid, rec in expected.items():
        # the store keeps the denied words, not their offsets; it knows every IRI of a name
        for got in (mine[rid], rec):
            for key in ("claim_start", "claim_end", "attributed_to_id", "place_id"):
                got.pop(key, None)
        assert mine[rid] == rec, rid
    labels = {e.label for e in graph.entities()}
    assert {"Katarina Voss", "Margit Ekdahl", "Rune Skovgaard"} <= labels
    assert [a.doc for a in graph.articles()] == sorted(Path(a).stem for a in ARTICLES)


def test_query_rows_params_and_pandas(graph: Any) -> None:
    met = graph.query(MET)
    assert met.columns == ("a", "b")
    assert {"a": "Katarina Voss", "b": "Margit Ekdahl"} in list(met)
    one = graph.query(MET.replace("?a ?b WHERE {", "?a ?b WHERE { ?x rdfs:label ?name ."),
                      name="Katarina Voss")
    assert {r["b"] for r in one} == {"Margit Ekdahl"}
    starts = graph.query("SELECT ?s WHERE { ?ev kg:start ?s } ORDER BY ?s LIMIT 1")
    assert isinstance(starts[0]["s"], int)
    dated = graph.query("SELECT ?r WHERE { ?r kg:date ?day }", day=datetime.date(2025, 3, 11))
    assert len(dated) >= 1
    assert len(graph.query("SELECT ?r WHERE { ?r kg:date ?day }", day="2025-03-11")) == 0
    frame = met.to_pandas()
    assert list(frame.columns) == ["a", "b"] and len(frame) == len(met)
    assert "<table>" in met._repr_html_()
    assert graph.ask("ASK { ?x kg:met ?y }") is True


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda g: g.query("ASK { ?x kg:met ?y }"), "Graph.ask"),
        (lambda g: g.query("CONSTRUCT { ?x kg:met ?y } WHERE { ?x kg:met ?y }"), "construct"),
        (lambda g: g.ask("SELECT ?x WHERE { ?x kg:met ?y }"), "Graph.query"),
        (lambda g: g.query("SELECT ?x WHERE { ?x kg:met ?y }", y=object()), "cannot bind"),
        (lambda g: g.query("SELECT ?x WHERE { ?x foo:bar ?y }"), "undefined prefix foo:"),
    ],
)
def test_wrong_calls_say_what_to_use(graph: Any, call: Any, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        call(graph)


def test_construct_gives_text(graph: Any) -> None:
    ttl = graph.construct("CONSTRUCT { ?x kg:met ?y } WHERE { ?x kg:met ?y }")
    assert len(list(ox.parse(ttl.encode(), format=ox.RdfFormat.TURTLE))) >= 2


def test_networkx_entities_and_relation_edges(graph: Any) -> None:
    g = graph.to_networkx()
    rels = [r for r in graph.relations() if r.object_id is not None]
    assert g.number_of_edges() == len(rels)
    for rec in rels:
        data = g.edges[rec.subject_id, rec.object_id, rec.id]
        assert (data["type"], data["status"], data["evidence"]) == (
            rec.type, rec.status, rec.sentence
        )
        assert g.nodes[rec.subject_id]["label"] == rec.subject
    assert {d["status"] for _, _, d in g.edges(data=True)} >= {"asserted", "disputed"}


def test_rdflib_queries_the_union(graph: Any, built: Path) -> None:
    ds = graph.to_rdflib()
    assert len(list(ds.quads())) == (built / "graph.nq").read_bytes().count(b"\n")
    pairs = {(str(a), str(b)) for a, b in ds.query(MET)}
    assert pairs == {(r["a"], r["b"]) for r in graph.query(MET)}
    assert not any(p.startswith("ns") for p, _ in ds.namespaces())


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib 7 Dataset internals
def test_serialize_formats_hold_the_graph(graph: Any, built: Path) -> None:
    quads = set(ox.parse(path=str(built / "graph.nq"), format=ox.RdfFormat.N_QUADS))
    assert graph.serialize("nq").encode() == (built / "graph.nq").read_bytes()
    assert set(ox.parse(graph.serialize().encode(), format=ox.RdfFormat.TRIG)) == quads
    doc = json.loads(graph.serialize("jsonld"))
    assert doc["@context"]["kg"] == "https://w3id.org/newskg/ontology#"
    assert '"kg:met"' in graph.serialize("jsonld")  # compact IRIs, not expanded ones
    ds = rdflib.Dataset()
    ds.parse(data=graph.serialize("jsonld"), format="json-ld")
    back = ox.parse(ds.serialize(format="nquads").encode(), format=ox.RdfFormat.N_QUADS)
    assert {q for q in back if q.graph_name != ox.DefaultGraph()} == quads
    gml = nx.read_graphml(io.BytesIO(graph.serialize("graphml").encode()))
    g = graph.to_networkx()
    assert (gml.number_of_nodes(), gml.number_of_edges()) == (
        g.number_of_nodes(), g.number_of_edges()
    )
    with pytest.raises(UsageError, match="graphml"):
        graph.serialize("yaml")


def test_display_in_a_notebook(graph: Any) -> None:
    summary = graph._repr_html_()
    assert "2 articles" in summary and "Katarina Voss" in summary
    assert repr(graph).startswith("<kg.Graph ")
    frame = graph.view(entity="Katarina Voss")._repr_html_()
    assert frame.startswith("<iframe srcdoc=") and "Margit Ekdahl" in frame


def test_extract_gives_the_same_graph_type() -> None:
    text = (
        "Talks\n\nMarta Kolar met Felix Braun in Vienna on 3 March 2025. "
        "The Observer reported that Braun had phoned Ivo Lang, a claim Lang denied. "
        "<script>alert(1)</script> Kolar & Braun.\n"
    )
    one = kg.extract(text, doc="talks")
    assert isinstance(one, kg.Graph)
    statuses = {(r.type, r.status) for r in one.relations()}
    assert ("met", "asserted") in statuses and ("called", "disputed") in statuses
    assert {"a": "Marta Kolar", "b": "Felix Braun"} in list(one.query(MET))
    assert "<script>" not in one._repr_html_()


@pytest.mark.parametrize("fmt", ["graphml", "jsonld"])
def test_cli_export(built: Path, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"g.{fmt}"
    res = run_kg("export", built, "--format", fmt, "-o", target)
    assert res.returncode == 0, res.stderr
    with kg.open(built) as g:
        assert target.read_text(encoding="utf-8") == g.serialize(fmt)


def test_open_missing_directory_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such directory"):
        kg.open(tmp_path / "absent")
    assert not (tmp_path / "absent").exists()


@pytest.mark.slow
def test_example_notebook_runs() -> None:
    import nbclient
    import nbformat

    nb = nbformat.read(EXAMPLES / "api.ipynb", as_version=4)
    client = nbclient.NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(EXAMPLES)}}
    )
    client.execute()
    texts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            assert out.get("output_type") != "error", out
            data = out.get("data", {})
            texts.append(data.get("text/html", "") + data.get("text/plain", "")
                         + out.get("text", ""))
    joined = "\n".join(texts)
    assert "<kg.Graph talks: 1 articles" in joined
    assert "('Katarina Voss', 'Margit Ekdahl')" in joined
    assert "disputed" in joined and '"@context"' in joined
    assert "<iframe srcdoc=" in joined


def test_an_open_graph_keeps_writers_out_until_closed(tmp_path: Path) -> None:
    records = tmp_path / "r.jsonl"
    records.write_text(
        '{"doc": "d", "type": "met", "subject": "Anna Holt", "object": "Piet Varga", '
        '"sentence": "Anna Holt met Piet Varga.", "start": 0, "end": 25}\n', encoding="utf-8")
    out = tmp_path / "g"
    assert run_kg("import", records, "--out", out).returncode == 0
    graph = kg.open(out)
    assert len(graph.relations()) == 1
    refused = run_kg("import", records, "--out", out)
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    graph.close()
    assert run_kg("import", records, "--out", out).returncode == 0


@pytest.mark.parametrize("as_text", [True, False])
def test_view_show_takes_a_build_directory(built: Path, as_text: bool) -> None:
    """`kg.view.show("out")` (a path, as a newcomer writes it) displays that build's view and
    releases the store again."""
    from kg.view import show

    shown = show(str(built) if as_text else built)
    page = shown._repr_html_()
    assert "<iframe" in page and "newskg" in page
    with kg.open(built) as g:  # the read lock was released: the store opens again
        assert g.relations()
