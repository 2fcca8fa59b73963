"""Helpers for relation tests: run the real pipeline stages on text and score against gold.

Scoring is ``kg eval``'s own (:func:`kg.evaluate.score` and :func:`kg.evaluate.names_match`),
so the figures these tests assert are exactly the ones ``kg eval`` reports.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from kg.evaluate import EvalReport, gold_relation, names_match
from kg.evaluate import score as _score
from kg.model import UNNAMED_SOURCE, Article, RelationRecord


def extract_text(text: str, doc: str = "t", date: str | None = None) -> tuple[RelationRecord, ...]:
    """Relations of ``text`` as one article: parse, resolve entities, extract (model cached)."""
    from kg.extraction.entities import resolve_entities
    from kg.extraction.nlp import load_model, parse_article
    from kg.extraction.relations import extract_relations
    from kg.model import Segment

    segments = []
    pos = 0
    for part in re.split(r"(\n+)", text):
        if part and not part.startswith("\n") and part.strip():
            segments.append(Segment(pos, pos + len(part), "paragraph"))
        pos += len(part)
    article = Article(doc=doc, text=text, date=date, segments=tuple(segments))
    parsed = parse_article(article, load_model())
    return extract_relations(parsed, resolve_entities(parsed))


def missing_relations(
    recs: Iterable[RelationRecord], expected: Iterable[tuple[str, str, str]]
) -> list[tuple[str, str, str]]:
    """The (type, subject, object) triples of ``expected`` that ``recs`` lack (``kg eval``'s
    name matching; either way round for a symmetric type of the lexicon)."""
    from kg.lexicon import load_lexicon

    types = load_lexicon().types
    recs = list(recs)

    def found(rtype: str, subject: str, obj: str) -> bool:
        pairs = [(subject, obj), (obj, subject)] if types[rtype].symmetric else [(subject, obj)]
        return any(
            r.type == rtype and names_match(r.subject, a) and names_match(r.object, b)
            for r in recs
            for a, b in pairs
        )

    return [t for t in expected if not found(*t)]


def extract_cleaned(
    text: str, doc: str = "t", date: str | None = None
) -> tuple[RelationRecord, ...]:
    """Relations of ``text`` read as an article file is: cleaning finds its headline, wire
    dateline and paragraphs first (model cached)."""
    from kg.extraction.clean import clean_article
    from kg.extraction.entities import resolve_entities
    from kg.extraction.nlp import load_model, parse_article
    from kg.extraction.relations import extract_relations

    parsed = parse_article(clean_article(Article(doc=doc, text=text, date=date)), load_model())
    return extract_relations(parsed, resolve_entities(parsed))


def score(
    predictions: Iterable[RelationRecord],
    gold: Sequence[Mapping[str, Any]],
    types: Iterable[str] | None = None,
    where: str = "doc",
) -> EvalReport:
    """Score one document's predictions against its gold relations with ``kg eval``'s scorer."""
    golds = [gold_relation(dict(g), where, "test gold") for g in gold]
    preds = [replace(p, doc=where) for p in predictions]
    return _score(golds, preds, types=sorted(types) if types is not None else None,
                  docs={where})


def is_fact(rel: RelationRecord) -> bool:
    """A prediction stated as fact (``kg eval``'s definition)."""
    from kg.evaluate import predicted_as_fact

    return predicted_as_fact(rel)


def load_dev(path: Path) -> list[dict[str, Any]]:
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


__all__ = ["UNNAMED_SOURCE", "extract_text", "is_fact", "load_dev", "names_match", "score"]
