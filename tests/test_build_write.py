"""The build's write path: what a worker sends back (BuiltArticle) and the batched store write.

``kg build`` turns each graph into N-Triples and JSONL lines where it was extracted and the
writing process loads the bytes (``GraphStore.write_graphs``): the store must end up exactly
as with ``replace_graph`` of the typed quads, whatever the mix of new and known graphs.
"""

from __future__ import annotations

import pickle
import tempfile
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg import iris
from kg.builder import BuildReport, BuiltArticle, built_article, graph_lines
from kg.errors import InputError, StoreError
from kg.model import Article, ArticleGraph, Entity, RelationRecord
from kg.rdf.to_rdf import article_ntriples, article_quads
from kg.store import GraphStore, open_store

BASE = iris.DEFAULT_BASE
_EX = "http://example.org/"


def _graph() -> ArticleGraph:
    """A small article with awkward text (quotes, newline, backslash, non-ASCII) and a denial."""
    text = 'Kolar met Braun.\nVarga said "no" \\ denied it, à Wien.'
    art = Article(doc="odd doc", text=text, title='A "title"\nsplit', date="2025-03-03",
                  author="Ann Lee", content_hash="abc")
    ents = (
        Entity(id="e1", label="Marta Kolar", type="Person", aliases=("Kolar",)),
        Entity(id="e2", label="Felix Braun", type="Person"),
        Entity(id="e3", label="Ivo Varga", type="Person"),
    )
    met = RelationRecord(id="r1", doc="odd doc", type="met", subject="Marta Kolar",
                         subject_id="e1", object="Felix Braun", object_id="e2",
                         sentence="Kolar met Braun.", start=0, end=16, denied_by=("r2",))
    deny = RelationRecord(id="r2", doc="odd doc", type="denied", subject="Ivo Varga",
                          subject_id="e3", object="Marta Kolar", object_id="e1", denies="r1",
                          sentence=text[17:], start=17, end=len(text), place="Wien")
    return ArticleGraph(art, ents, (met, deny))


def test_built_article_carries_what_the_build_writes() -> None:
    graph = _graph()
    built = built_article(graph, BASE)
    g = iris.graph_iri("odd doc", BASE)
    assert (built.doc, built.graph) == ("odd doc", g)
    assert built.lines == tuple(graph_lines(graph))
    # The N-Triples are the typed quads with their graph term dropped, line for line.
    typed = ox.serialize(article_quads(graph, BASE), format=ox.RdfFormat.N_QUADS)
    assert typed is not None
    expected = [line[: line.rfind(b" <")] + b" ." for line in typed.splitlines()]
    assert built.ntriples.splitlines() == expected
    assert built.ntriples == article_ntriples(graph, BASE)
    assert b'\\"no\\"' in built.ntriples and b"\\n" in built.ntriples
    assert built.entities == ("e1", "e2", "e3")
    assert built.relation_types == ("met", "denied")
    assert pickle.loads(pickle.dumps(built)) == built
    # The report counts a built article exactly as the graph it came from.
    a, b = BuildReport(out=Path(".")), BuildReport(out=Path("."))
    a.add(graph)
    b.add(built)
    assert a.to_json() == b.to_json() and a.relations == 2


def test_write_graphs_equals_replace_article(tmp_path: Path) -> None:
    graph = _graph()
    with open_store(tmp_path / "typed") as typed, open_store(tmp_path / "bytes") as raw:
        typed.replace_article(graph, BASE)
        built = built_article(graph, BASE)
        assert raw.write_graphs([(built.graph, built.ntriples)]) == len(article_quads(graph))
        assert raw.nquads() == typed.nquads()
        assert list(raw.articles()) == ["odd doc"]


# -- write_graphs against replace_graph: new and known graphs, repeats, removals --------------

_TEXTS = st.text(alphabet=st.sampled_from(list("ab <>.\"\\\n\t é_:")), max_size=10)
_BATCH = st.lists(st.tuples(st.integers(0, 5), st.lists(_TEXTS, max_size=4)), max_size=6)


def _triples(doc: int, texts: list[str]) -> list[ox.Triple]:
    subject = ox.NamedNode(f"{_EX}s/{doc % 2}")
    return [ox.Triple(subject, ox.NamedNode(f"{_EX}p{i}"), ox.Literal(t))
            for i, t in enumerate(texts)]


def _ntriples(doc: int, texts: list[str]) -> bytes:
    return ox.serialize(_triples(doc, texts), format=ox.RdfFormat.N_TRIPLES) or b""


def _graph_iri(doc: int) -> str:
    return f"{_EX}graph/{doc}"


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batches=st.lists(_BATCH, min_size=1, max_size=3))
def test_write_graphs_equals_replace_graph(
    tmp_path: Path, batches: list[list[tuple[int, list[str]]]]
) -> None:
    root = Path(tempfile.mkdtemp(dir=tmp_path))
    with open_store(root / "a") as one, open_store(root / "b") as batched:
        for batch in batches:
            for doc, texts in batch:  # one graph at a time, typed quads
                g = ox.NamedNode(_graph_iri(doc))
                one.replace_graph(g.value, [ox.Quad(t.subject, t.predicate, t.object, g)
                                            for t in _triples(doc, texts)])
            batched.write_graphs([(_graph_iri(d), _ntriples(d, t)) for d, t in batch])
            assert batched.nquads() == one.nquads()
        # What was written is tracked for the incremental export like replace_graph's writes.
        nq = root / "graph.nq"
        batched.export_nquads(nq, incremental=True)
        assert nq.read_bytes() == one.nquads()


def _store_with_one_graph(tmp_path: Path) -> GraphStore:
    store = open_store(tmp_path)
    store.write_graphs([(_graph_iri(1), _ntriples(1, ["kept"]))])
    return store


@pytest.mark.parametrize(
    "bad",
    [
        b'<http://example.org/s> <http://example.org/p> "x" <http://example.org/other> .\n',
        b'<http://example.org/s> <http://example.org/p> "x" .',  # no final newline
        b'<http://example.org/s> <http://example.org/p> "x"\n',
        b"not rdf at all .\n",
    ],
    ids=["n-quads line", "no final newline", "no final dot", "garbage"],
)
def test_write_graphs_refuses_what_is_not_ntriples_and_writes_nothing(
    tmp_path: Path, bad: bytes
) -> None:
    store = _store_with_one_graph(tmp_path)
    try:
        before = store.nquads()
        good = (_graph_iri(2), _ntriples(2, ["fine"]))
        with pytest.raises(StoreError, match="could not write"):
            store.write_graphs([good, (_graph_iri(3), bad)])
        assert store.nquads() == before  # the good graph of the same batch is not written
        assert b"other" not in store.nquads()
    finally:
        store.close()


def test_write_graphs_later_bytes_win_and_empty_removes(tmp_path: Path) -> None:
    store = _store_with_one_graph(tmp_path)
    try:
        n = store.write_graphs([
            (_graph_iri(2), _ntriples(2, ["first"])),
            (_graph_iri(2), _ntriples(2, ["second", "third"])),
            (_graph_iri(1), b""),
        ])
        assert n == 2
        text = store.nquads().decode()
        assert '"second"' in text and '"third"' in text and '"first"' not in text
        assert "graph/1>" not in text and '"kept"' not in text
    finally:
        store.close()


# -- extract_mapped: the finishing step runs per article, its failure fails that article ------


def _finish_or_fail(graph: ArticleGraph) -> BuiltArticle:
    if graph.article.doc == "two":
        raise ValueError("boom")
    return built_article(graph, BASE)


@pytest.mark.model
def test_a_failing_finish_fails_one_article_only() -> None:
    from kg.extraction.nlp import load_model
    from kg.extraction.pipeline import extract_mapped
    from kg.extraction.read import text_article

    items: list[Any] = [
        text_article("Head one\n\nKolar met Braun in Vienna.\n", "one"),
        text_article("Head two\n\nReyes phoned Varga on Friday.\n", "two"),
        text_article("Head three\n\nVarga met Reyes.\n", "three"),
    ]
    out = list(extract_mapped(items, _finish_or_fail, nlp=load_model()))
    assert [type(o).__name__ for o in out] == ["BuiltArticle", "InputError", "BuiltArticle"]
    assert isinstance(out[1], InputError)
    assert "conversion failed" in str(out[1]) and "boom" in str(out[1])
    assert [o.doc for o in out if isinstance(o, BuiltArticle)] == ["one", "three"]
