"""The pipeline: one article through every stage, streaming with errors in place, workers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers_extract import ARTICLES, FURNITURE_ARTICLE, write_articles

from kg.errors import InputError, UsageError
from kg.extraction.pipeline import extract_article, extract_articles, extract_paths, extract_text
from kg.extraction.read import text_article
from kg.model import ArticleGraph

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def nlp() -> Any:
    from kg.extraction.nlp import load_model

    return load_model()


def test_extract_article_runs_every_stage(nlp: Any) -> None:
    graph = extract_article(text_article(FURNITURE_ARTICLE, "furniture"), nlp)
    assert isinstance(graph, ArticleGraph)
    art = graph.article
    assert art.doc == "furniture" and art.date == "2025-03-03" and art.author == "Ann Lee"
    assert art.segments and art.segments[0].kind == "headline"
    labels = {e.label for e in graph.entities}
    assert {"Marta Kolar", "Felix Braun"} <= labels
    assert not any("Getty" in e.label or "Alamy" in e.label for e in graph.entities)
    met = [r for r in graph.relations if r.type == "met"]
    assert met, graph.relations
    for rel in graph.relations:
        assert rel.doc == "furniture"
        assert art.text[rel.start : rel.end] == rel.sentence
        assert "Picture" not in rel.sentence and "Read more" not in rel.sentence


def test_errors_pass_through_in_order(nlp: Any) -> None:
    items: list[Any] = [
        InputError("first bad", "a.txt"),
        text_article("Head one\n\nKolar met Braun in Vienna.\n", "one"),
        InputError("second bad", "b.txt", 3),
        text_article("Head two\n\nReyes phoned Varga on Friday.\n", "two"),
    ]
    out = list(extract_articles(items, nlp=nlp))
    assert [type(o).__name__ for o in out] == ["InputError", "ArticleGraph", "InputError",
                                               "ArticleGraph"]
    assert str(out[2]) == "b.txt:3: second bad"
    assert [o.article.doc for o in out if isinstance(o, ArticleGraph)] == ["one", "two"]


def test_extract_paths_streams_files(tmp_path: Path) -> None:
    root = write_articles(tmp_path / "in", {**ARTICLES, "empty.txt": " \n"})
    out = list(extract_paths([root]))
    docs = [o.article.doc if isinstance(o, ArticleGraph) else f"error:{o.source}" for o in out]
    assert docs == ["calls", f"error:{root / 'empty.txt'}", "talks"]


def test_bad_arguments_are_usage_errors() -> None:
    with pytest.raises(UsageError):
        list(extract_articles([], workers=0))
    with pytest.raises(UsageError):
        list(extract_articles([], base="not an iri"))


def test_extract_text_api() -> None:
    import kg

    graph = kg.extract("Kolar meets Braun\n\nMarta Kolar met Felix Braun in Vienna.", doc="api")
    [article] = graph.articles()
    assert article.doc == "api" and article.headline == "Kolar meets Braun"
    assert any(r.type == "met" for r in graph.relations())
    with pytest.raises(InputError, match="empty article"):
        extract_text("   \n")


def test_import_kg_is_light() -> None:
    code = (
        "import sys, kg; "
        "assert callable(kg.extract) and callable(kg.build); "
        "import kg.extraction.read; assert callable(kg.extract); "
        "print(sorted(m for m in ('spacy', 'pyoxigraph', 'pyvis') if m in sys.modules))"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert res.stdout.strip() == "[]"


@pytest.mark.slow
def test_workers_give_the_same_output_in_the_same_order(tmp_path: Path) -> None:
    articles = {f"a{i:02d}.txt": text for i, text in enumerate(
        [*ARTICLES.values(), FURNITURE_ARTICLE] * 6)}
    articles["bad.txt"] = "\x00\x01"
    root = write_articles(tmp_path / "in", articles)
    one = list(extract_paths([root], workers=1))
    two = list(extract_paths([root], workers=2))
    assert [str(o) if isinstance(o, InputError) else o for o in one] == [
        str(o) if isinstance(o, InputError) else o for o in two
    ]
    assert sum(isinstance(o, ArticleGraph) for o in two) == 18
