"""kg.store: the on-disk Oxigraph store (real store, real files, no mocks)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import nullcontext
from pathlib import Path

import pyoxigraph as ox
import pytest
from helpers_rdf import solutions

from kg import iris
from kg.errors import QuerySyntaxError, StoreError
from kg.model import Article, ArticleGraph, RelationRecord
from kg.store import GraphStore, open_store


def graph(doc: str, subject: str, obj: str, content_hash: str = "h1") -> ArticleGraph:
    rel = RelationRecord(
        id=f"{iris.DEFAULT_BASE}relation/{doc}-1", doc=doc, type="met", subject=subject,
        subject_id=iris.entity_iri(subject), object=obj, object_id=iris.entity_iri(obj),
        sentence=f"{subject} met {obj}.", start=0, end=20,
    )
    return ArticleGraph(Article(doc=doc, text="", content_hash=content_hash), (), (rel,))


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[GraphStore]:
    with open_store(tmp_path) as s:
        s.replace_article(graph("doc-a", "Ana Kolar", "Jonas Braun"))
        s.replace_article(graph("doc-b", "Mia Ito", "Leo Park", "h2"))
        yield s


def test_replace_articles_and_list_them(store: GraphStore, tmp_path: Path) -> None:
    assert (tmp_path / "store").is_dir()
    assert store.articles() == {"doc-a": "h1", "doc-b": "h2"}
    n = store.quad_count()
    store.replace_article(graph("doc-a", "Ana Kolar", "Jonas Braun"))
    assert store.quad_count() == n  # no duplicates
    store.replace_article(graph("doc-a", "Ana Kolar", "Rui Costa", "h3"))
    assert store.articles()["doc-a"] == "h3"
    rows = solutions(store, "SELECT ?b { ?a kg:met ?b }")
    assert rows == [(iris.entity_iri("Leo Park"),), (iris.entity_iri("Rui Costa"),)]


def test_remove_article(store: GraphStore) -> None:
    store.remove_article("doc-a")
    assert list(store.articles()) == ["doc-b"]
    assert all(q.graph_name.value == iris.graph_iri("doc-b") for q in store.quads())


def test_query_union_and_named_graphs(store: GraphStore) -> None:
    union = store.query("SELECT ?a WHERE { ?a <https://w3id.org/newskg/ontology#met> ?b }")
    assert isinstance(union, ox.QuerySolutions) and len(list(union)) == 2
    plain = store.query(
        "SELECT ?a WHERE { ?a <https://w3id.org/newskg/ontology#met> ?b }",
        use_default_graph_as_union=False,
    )
    assert isinstance(plain, ox.QuerySolutions) and list(plain) == []
    ask = store.query("ASK { ?a ?b ?c }")
    assert isinstance(ask, ox.QueryBoolean) and bool(ask)


def test_query_syntax_error_is_a_usage_error(store: GraphStore) -> None:
    with pytest.raises(QuerySyntaxError, match="1:"):
        store.query("SELEC ?x")


def test_export_is_sorted_and_byte_stable(store: GraphStore, tmp_path: Path) -> None:
    out = tmp_path / "graph.nq"
    n = store.export_nquads(out)
    data = out.read_bytes()
    lines = data.splitlines()
    assert n == len(lines) == store.quad_count()
    assert lines == sorted(lines)
    store.replace_article(graph("doc-b", "Mia Ito", "Leo Park", "h2"))
    store.export_nquads(out)
    assert out.read_bytes() == data


def test_second_writer_gets_a_clear_error(store: GraphStore, tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="locked"):
        open_store(tmp_path)


def test_read_only_open_while_writer_holds_the_store(store: GraphStore, tmp_path: Path) -> None:
    store.store.flush()
    with open_store(tmp_path, read_only=True) as reader:
        assert sorted(reader.articles()) == ["doc-a", "doc-b"]
        with pytest.raises(StoreError, match="read-only"):
            reader.remove_article("doc-a")


def test_missing_store_read_only(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no graph store"):
        open_store(tmp_path / "nowhere", read_only=True)


def test_closed_store(tmp_path: Path) -> None:
    s = open_store(tmp_path)
    s.close()
    with pytest.raises(StoreError, match="closed"):
        s.quad_count()
    with open_store(tmp_path) as again:  # the lock was released
        assert again.quad_count() == 0


@pytest.mark.parametrize(("threshold", "fail", "compacted"), [
    (1, False, True),            # a large write is compacted on close
    (10_000_000, False, False),  # a small (incremental) write is not
    (1, True, False),            # an error inside the block skips compaction
])
def test_compaction_after_a_large_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, threshold: int, fail: bool, compacted: bool
) -> None:
    import kg.store

    monkeypatch.setattr(kg.store, "OPTIMIZE_AFTER", threshold)
    gs = open_store(tmp_path)
    with pytest.raises(RuntimeError) if fail else nullcontext(), gs:
        gs.replace_article(graph("a1", "Ann Lee", "Bob Stone"))
        if fail:
            raise RuntimeError("boom")
    assert gs.compacted is compacted
    with open_store(tmp_path, read_only=True) as again:
        assert "a1" in again.articles()
