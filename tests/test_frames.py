"""Argument frames (ontology/frames.yaml): each slot's examples are test cases, the walk finds
what spaCy's DependencyMatcher finds for the same chain, and the file is checked on load."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from helpers_data import assert_entry_error
from helpers_relations import extract_text, missing_relations

from kg.errors import KGError
from kg.extraction.frames import (
    FRAMES,
    FrameSlot,
    WordSource,
    load_frames,
    parse_frames,
    slot_tokens,
    slots_for,
    source_words,
)

SLOTS = load_frames()
EXAMPLES = [(s.name, ex) for s in SLOTS for ex in s.examples]


@pytest.mark.model
@pytest.mark.parametrize(
    ("name", "example"), EXAMPLES, ids=[f"{n}:{e.text[:40]}" for n, e in EXAMPLES]
)
def test_slot_examples(name: str, example: Any) -> None:
    recs = extract_text(example.text)
    assert example.relations, f"{name}: an example names the relations it must give"
    missing = missing_relations(recs, example.relations)
    assert not missing, f"{name}: {missing} not in {[(r.type, r.subject, r.object) for r in recs]}"


def _matcher_chain(
    slot: FrameSlot,
    words: dict[int, frozenset[str]],
    ends: dict[int, tuple[str, ...]],
    unlike: dict[int, frozenset[str]],
) -> list[dict[str, Any]]:
    """The slot's chain as a plain DependencyMatcher pattern, its word sources spelt out."""
    nodes: list[dict[str, Any]] = []
    for i, raw in enumerate(slot.match):
        node = {k: v for k, v in raw.items()}
        attrs = dict(node.get("RIGHT_ATTRS", {}))
        if i in words:
            attrs["LOWER"] = {"IN": sorted(words[i]) or ["\u0000"]}
        if i in ends:
            attrs["LOWER"] = {"REGEX": "(" + "|".join(map(re.escape, ends[i])) + ")$"}
        if i in unlike:
            forms = {f for w in unlike[i] for f in (w, w.capitalize(), w.upper())}
            attrs["LEMMA"] = {"NOT_IN": sorted(forms)}
        node["RIGHT_ATTRS"] = attrs
        nodes.append(node)
    return nodes


@pytest.mark.model
@pytest.mark.parametrize("slot", SLOTS, ids=[s.name for s in SLOTS])
def test_the_walk_finds_what_the_dependency_matcher_finds(slot: FrameSlot) -> None:
    """On every example of every slot, from every token and for every relation type (the
    words of a node depend on the type): the tokens the walk reaches are those spaCy's matcher
    binds to "party"."""
    from spacy.matcher import DependencyMatcher

    from kg.extraction.context import compile_lexicon
    from kg.extraction.nlp import load_model
    from kg.lexicon import load_lexicon

    c = compile_lexicon(load_lexicon())
    nlp = load_model()
    docs = [nlp(e.text) for s in SLOTS for e in s.examples]
    party = [n["RIGHT_ID"] for n in slot.match].index("party")
    checked = 0
    for rtype in c.types:

        def words_of(src: tuple[WordSource, ...], rtype: str = rtype) -> frozenset[str]:
            return source_words(c, rtype, src)

        words = {i: words_of(n.words) for i, n in enumerate(slot.nodes) if n.words}
        ends = {i: tuple(sorted(c.words(n.ends))) for i, n in enumerate(slot.nodes) if n.ends}
        unlike = {i: c.words(n.not_lemmas) for i, n in enumerate(slot.nodes) if n.not_lemmas}
        matcher = DependencyMatcher(nlp.vocab)
        matcher.add(slot.name, [_matcher_chain(slot, words, ends, unlike)])
        for doc in docs:
            matched: dict[int, set[int]] = {}
            for _, ids in matcher(doc):
                matched.setdefault(ids[0], set()).add(ids[party])
            for tok in doc:
                walked = [t.i for t in slot_tokens(slot, tok, words_of, c.words)]
                assert sorted(walked) == sorted(matched.get(tok.i, ())), (
                    slot.name, doc.text, tok.text, rtype
                )
                checked += bool(walked)
    assert checked, f"{slot.name}: no example sentence reaches a party through it"


def test_every_slot_has_an_example_and_a_unique_name() -> None:
    assert SLOTS and all(s.examples for s in SLOTS)
    assert len({s.name for s in SLOTS}) == len(SLOTS)
    assert all(slots_for(f) for f in FRAMES)
    assert {s.frame for s in slots_for("noun")} == {"noun"}


_GOOD: dict[str, Any] = {
    "name": "x",
    "doc": "d",
    "frame": "noun",
    "role": "object",
    "match": [
        {"RIGHT_ID": "trigger"},
        {"LEFT_ID": "trigger", "REL_OP": ">", "RIGHT_ID": "prep", "RIGHT_ATTRS": {"DEP": "prep"}},
        {"LEFT_ID": "prep", "REL_OP": ">", "RIGHT_ID": "party", "RIGHT_ATTRS": {"DEP": "pobj"}},
    ],
    "words": {"prep": ["option:object_preps"]},
    "examples": [{"text": "Talks with B.", "relations": [["met", "A", "B"]]}],
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"rol": "object"}, r"unknown key 'rol'"),
        ({"role": "host"}, r"role must be one of"),
        ({"frame": "adverb"}, r"frame must be one of"),
        ({"examples": []}, r"has no example"),
        ({"words": {"prep": ["cue:no_such_cue"]}}, r"word source 'cue:no_such_cue'"),
        ({"words": {"prep": ["option:stand_in"]}}, r"word source 'option:stand_in'"),
        ({"words": {"pobj": ["cue:pair_preps"]}}, r"'pobj' is no node"),
        ({"when": "object_preps"}, r"when names a yes/no option"),
        ({"party_types": ["Planet"]}, r"unknown entity type 'Planet'"),
        ({"words": {}, "match": [{"RIGHT_ID": "trigger"}]}, r"chain of at least two nodes"),
        (
            {"words": {}, "match": [{"RIGHT_ID": "trigger"},
                                    {"LEFT_ID": "trigger", "REL_OP": ".", "RIGHT_ID": "party"}]},
            r"must hang on 'trigger' with one of",
        ),
        (
            {"words": {}, "match": [{"RIGHT_ID": "trigger"},
                                    {"LEFT_ID": "trigger", "REL_OP": ">", "RIGHT_ID": "party",
                                     "RIGHT_ATTRS": {"LEMMA": "x"}}]},
            r"attribute 'LEMMA' is not one the walk reads",
        ),
        (
            {"words": {}, "match": [{"RIGHT_ID": "trigger"},
                                    {"LEFT_ID": "trigger", "REL_OP": ">", "RIGHT_ID": "other"}]},
            r"the chain runs from 'trigger' to 'party'",
        ),
        (
            {"words": {}, "match": [{"RIGHT_ID": "trigger"},
                                    {"LEFT_ID": "trigger", "REL_OP": ">", "RIGHT_ID": True},
                                    {"LEFT_ID": True, "REL_OP": ">", "RIGHT_ID": "party"}]},
            r"every RIGHT_ID is a string",
        ),
    ],
)
def test_bad_slots_are_clear_errors_with_the_line(
    tmp_path: Path, change: dict, message: str
) -> None:
    bad = {**_GOOD, **change}
    assert_entry_error(tmp_path, load_frames.__wrapped__, "frames", _GOOD, bad, message)


def test_a_missing_field_names_the_slot() -> None:
    bad = {k: v for k, v in _GOOD.items() if k != "role"}
    with pytest.raises(KGError, match=r"slot 'x' lacks role"):
        parse_frames({"version": 1, "frames": [bad]})
