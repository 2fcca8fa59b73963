"""Argument patterns (ontology/patterns.yaml): each pattern's examples are test cases, and the
file is checked on load (unknown keys, roles that are no node, no example, bad spaCy patterns)."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers_data import assert_entry_error
from helpers_relations import extract_text, missing_relations

from kg.errors import KGError
from kg.extraction.patterns import (
    _matcher,
    _pre_checked,
    load_patterns,
    parse_patterns,
)

PATTERNS = load_patterns()
EXAMPLES = [(p.name, ex) for p in PATTERNS for ex in p.examples]
BY_NAME = {p.name: p for p in PATTERNS}


@pytest.mark.model
@pytest.mark.parametrize(
    ("name", "example"), EXAMPLES, ids=[f"{n}:{e.text[:40]}" for n, e in EXAMPLES]
)
def test_pattern_examples(name: str, example: object) -> None:
    recs = extract_text(example.text)  # type: ignore[attr-defined]
    missing = missing_relations(recs, example.relations)  # type: ignore[attr-defined]
    assert not missing, f"{name}: {missing} not in {[(r.type, r.subject, r.object) for r in recs]}"
    if not example.relations:  # type: ignore[attr-defined]
        # a counter-example: the pattern's types must not come out of it
        pattern = BY_NAME[name]
        types = set(pattern.types) | ({pattern.yields} if pattern.yields else set())
        wrong = [r for r in recs if not types or r.type in types]
        assert not wrong, [(r.type, r.subject, r.object) for r in wrong]


@pytest.mark.model
def test_the_pre_check_never_skips_a_document_a_pattern_matches() -> None:
    """The cheap pre-check before spaCy's matcher is a necessary condition: on every example
    sentence (and the examples of the other patterns), each pattern that the full matcher
    finds passes it, and some documents are skipped."""
    from kg.extraction.context import compile_lexicon
    from kg.extraction.nlp import load_model
    from kg.lexicon import load_lexicon

    words = compile_lexicon(load_lexicon()).trigger_words
    docs = list(load_model().pipe([ex.text for _n, ex in EXAMPLES]))
    matched = skipped = 0
    for doc in docs:
        checked = {p.name for p in _pre_checked(doc, PATTERNS, words)}
        for p in PATTERNS:
            hits = _matcher(doc.vocab, (p,), words)(doc)
            passes = p.name in checked
            assert passes or not hits, (p.name, doc.text)
            matched += bool(hits)
            skipped += not passes
    assert matched >= len(PATTERNS) and skipped > len(docs)


def test_every_pattern_compiles_and_has_an_example() -> None:
    from spacy.vocab import Vocab

    assert PATTERNS and all(p.examples for p in PATTERNS)
    _matcher(Vocab(), PATTERNS)  # spaCy accepts every pattern
    assert len({p.name for p in PATTERNS}) == len(PATTERNS)


_GOOD = {
    "name": "x",
    "doc": "d",
    "trigger": "noun",
    "confidence": 0.7,
    "match": [
        {"RIGHT_ID": "trigger", "RIGHT_ATTRS": {"POS": "NOUN"}},
        {"LEFT_ID": "trigger", "REL_OP": ">", "RIGHT_ID": "a", "RIGHT_ATTRS": {"DEP": "poss"}},
        {"LEFT_ID": "trigger", "REL_OP": ">", "RIGHT_ID": "b", "RIGHT_ATTRS": {"DEP": "prep"}},
    ],
    "subject": "a",
    "object": "b",
    "examples": [{"text": "A's talks with B.", "relations": [["met", "A", "B"]]}],
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"objekt": "b"}, r"unknown key 'objekt'"),
        ({"object": "c"}, r"role 'c' is no node"),
        ({"examples": []}, r"has no example"),
        ({"trigger": "adverb"}, r"trigger must be one of"),
        ({"types": ["befriended"]}, r"unknown relation type"),
        ({"confidence": 3}, r"confidence must be in"),
        ({"trigger": "any"}, r"'yields' goes with trigger: any"),
        ({"yields": "met"}, r"'yields' goes with trigger: any"),
    ],
)
def test_bad_patterns_are_clear_errors_with_the_line(
    tmp_path: Path, change: dict, message: str
) -> None:
    bad = {**_GOOD, **change}
    assert_entry_error(tmp_path, load_patterns.__wrapped__, "patterns", _GOOD, bad, message)


def test_a_missing_field_names_the_pattern() -> None:
    bad = {k: v for k, v in _GOOD.items() if k != "subject"}
    with pytest.raises(KGError, match=r"pattern 'x' lacks subject"):
        parse_patterns({"version": 1, "patterns": [bad]}, types=frozenset({"met"}))
