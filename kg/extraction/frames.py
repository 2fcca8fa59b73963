"""Argument frames as data: ``ontology/frames.yaml``, the slots through which every trigger of a
class finds its core parties.

``patterns.yaml`` holds constructions, each a whole match with its own parties. A frame slot is
smaller: one way a verb or noun trigger reaches one of its arguments ("Holt's visit": the
possessor is the agent; "talks with Varga": the object of a with-phrase is the other party). The
interpreter in :mod:`kg.extraction.relations` collects, per trigger and relation type, the
tokens of every slot in file order, turns them into parties and then applies its policies (the
fallbacks that need more than one path: inherited subjects, the governing clause's subject,
a pair that replaces the host).

A slot's ``match`` is a chain of spaCy ``DependencyMatcher`` nodes from the trigger to the
party (each node's ``LEFT_ID`` is the node before it). The chain is evaluated here over the
document's columns (heads, children and labels as lists, :func:`kg.extraction.context.columns`)
from the trigger, not by a matcher run per document: the per-type word lists of a node
(``words``: a relation type's option or a lexicon cue) only exist once the type is known.
``tests/test_frames.py`` checks that spaCy's DependencyMatcher, given the same words, finds the
same parties on every example.

The file is checked on load: an unknown key, a node the walk cannot evaluate, an unknown cue or
option or a slot without an example is an error naming the file and line.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from kg.errors import KGError
from kg.extraction.context import Columns, Compiled, columns
from kg.extraction.patterns import Example, _parse_example, checked_entries
from kg.lexicon import CUES, ONTOLOGY_DIR, TYPE_OPTIONS, list_item_lines, load_yaml

if TYPE_CHECKING:
    from spacy.tokens import Token

FRAMES_PATH = ONTOLOGY_DIR / "frames.yaml"

#: the frame a slot belongs to: every verb or noun trigger, a noun naming the agent ("a backer of
#: X"), a noun received from someone ("won the backing of X"), a headline's motion word tagged
#: as a noun ("Holt heads to Oslo"), the destination of travel, arrival or departure, and where
#: an event took place (from the trigger, its parties or its governing verb), whom a speaking
#: verb was talking to, and from whom a negating verb took an event noun ("withdrew its support
#: from X")
FrameName = Literal[
    "verb", "noun", "agent-noun", "received-noun", "headline-motion", "travel", "arrival",
    "departure", "event-place", "event-place-below", "talk", "withdrawn-noun",
]
Role = Literal["agent", "object", "pair", "direct_object", "passive_agent", "place"]
FRAMES: tuple[FrameName, ...] = (
    "verb", "noun", "agent-noun", "received-noun", "headline-motion", "travel", "arrival",
    "departure", "event-place", "event-place-below", "talk", "withdrawn-noun",
)
ROLES: tuple[Role, ...] = (
    "agent", "object", "pair", "direct_object", "passive_agent", "place",
)
_KEYS = {
    "name", "doc", "frame", "role", "match", "words", "ends", "not_lemmas", "party_types", "when",
    "fallback", "stand_ins", "penalty", "examples",
}  # fmt: skip
_REQUIRED = ("name", "doc", "frame", "role", "match", "examples")
#: token attributes a node may test (columns of :class:`kg.extraction.context.Columns`)
_ATTRS = ("DEP", "POS", "LOWER")
#: the dependency operators the walk evaluates: child, child before, child after, head
_OPS = (">", ">--", ">++", "<")
#: where a node's words come from: a relation type's option or a lexicon cue
WordSource = tuple[Literal["option", "cue"], str]


@dataclass(frozen=True)
class FrameNode:
    """One node of a slot's chain: how it is reached from the node before and what it must be."""

    op: str | None  # None for the trigger
    #: (attribute, allowed values or None, excluded values or None)
    tests: tuple[tuple[str, frozenset[str] | None, frozenset[str] | None], ...]
    #: the token's lowercase form must be one of these words (the first source present wins)
    words: tuple[WordSource, ...]
    #: the token's lowercase form must end with one of this cue's words
    ends: str | None
    #: the token's lemma must not be one of this cue's words
    not_lemmas: str | None
    #: whether the node tests its token at all (most trigger nodes do not)
    constrained: bool
    #: the dependency labels it allows, when it names them (a quick first test)
    deps: frozenset[str] | None


@dataclass(frozen=True)
class FrameSlot:
    """One way a trigger reaches one of its arguments."""

    name: str
    doc: str
    frame: FrameName
    role: Role
    nodes: tuple[FrameNode, ...]
    match: tuple[Mapping[str, Any], ...]
    #: the parties kept (entity types); empty = all
    party_types: frozenset[str]
    #: a boolean option the relation type must have for the slot to apply
    when: str | None
    #: only when the role has no party from the slots before
    fallback: bool
    #: the party may be a stand-in noun ("the budget" for its owner) of the relation's type
    stand_ins: bool
    #: lowers the confidence of what the slot finds (a less direct path)
    penalty: float
    examples: tuple[Example, ...]


def _fail(where: str, message: str) -> KGError:
    return KGError(f"{where}: {message}")


def _spec_set(spec: Any, where: str, what: str) -> frozenset[str]:
    if isinstance(spec, str):
        return frozenset((spec,))
    if isinstance(spec, list) and all(isinstance(v, str) for v in spec):
        return frozenset(spec)
    raise _fail(where, f"{what} must be a string or a list of strings")


def _parse_tests(
    attrs: Any, where: str, name: str
) -> tuple[tuple[str, frozenset[str] | None, frozenset[str] | None], ...]:
    if not isinstance(attrs, dict):
        raise _fail(where, f"slot {name!r}: RIGHT_ATTRS must be a mapping")
    out: list[tuple[str, frozenset[str] | None, frozenset[str] | None]] = []
    for key, spec in attrs.items():
        if key not in _ATTRS:
            raise _fail(where, f"slot {name!r}: attribute {key!r} is not one the walk reads "
                               f"({', '.join(sorted(_ATTRS))})")
        if isinstance(spec, dict):
            unknown = set(spec) - {"IN", "NOT_IN"}
            if unknown or not spec:
                raise _fail(where, f"slot {name!r}: {key}: only IN and NOT_IN are read")
            allowed = _spec_set(spec["IN"], where, f"{key} IN") if "IN" in spec else None
            excluded = (
                _spec_set(spec["NOT_IN"], where, f"{key} NOT_IN") if "NOT_IN" in spec else None
            )
            out.append((key, allowed, excluded))
        else:
            out.append((key, _spec_set(spec, where, key), None))
    return tuple(out)


def _parse_source(raw: Any, where: str) -> WordSource:
    kind, _, name = str(raw).partition(":")
    if kind == "cue" and name in CUES:
        return ("cue", name)
    if kind == "option" and TYPE_OPTIONS.get(name) == "strings":
        return ("option", name)
    raise _fail(where, f"word source {raw!r} is neither 'cue:<declared cue>' nor "
                       "'option:<a relation type's word-list option>'")


def _parse_nodes(
    raw: Mapping[str, Any], where: str, name: str
) -> tuple[tuple[FrameNode, ...], tuple[Mapping[str, Any], ...]]:
    match = raw["match"]
    if not isinstance(match, list) or len(match) < 2 or not all(isinstance(m, dict) for m in match):
        raise _fail(where, f"slot {name!r}: match is a chain of at least two nodes")
    words = raw.get("words") or {}
    ends = raw.get("ends") or {}
    not_lemmas = raw.get("not_lemmas") or {}
    if not all(isinstance(m, dict) for m in (words, ends, not_lemmas)):
        raise _fail(where, f"slot {name!r}: words, ends and not_lemmas map node names to "
                           "word sources")
    if not all(isinstance(m.get("RIGHT_ID"), str) for m in match):
        raise _fail(where, f"slot {name!r}: every RIGHT_ID is a string (YAML reads a bare "
                           "on, off, yes or no as true or false: quote it)")
    ids = [str(m.get("RIGHT_ID")) for m in match]
    if ids[0] != "trigger" or ids[-1] != "party" or len(set(ids)) != len(ids):
        raise _fail(where, f"slot {name!r}: the chain runs from 'trigger' to 'party' "
                           "with unique node names")
    for node_name in (*words, *ends, *not_lemmas):
        if node_name not in ids:
            raise _fail(where, f"slot {name!r}: {node_name!r} is no node of the chain")
    nodes: list[FrameNode] = []
    for i, m in enumerate(match):
        unknown = set(m) - {"RIGHT_ID", "RIGHT_ATTRS", "LEFT_ID", "REL_OP"}
        if unknown:
            raise _fail(where, f"slot {name!r}: unknown node key {sorted(unknown)[0]!r}")
        op = m.get("REL_OP")
        if i == 0:
            if "LEFT_ID" in m or op is not None:
                raise _fail(where, f"slot {name!r}: the trigger node has no LEFT_ID or REL_OP")
        elif m.get("LEFT_ID") != ids[i - 1] or op not in _OPS:
            raise _fail(where, f"slot {name!r}: node {ids[i]!r} must hang on {ids[i - 1]!r} "
                               f"with one of {', '.join(_OPS)}")
        node_words = words.get(ids[i]) or []
        if not isinstance(node_words, list):
            node_words = [node_words]
        end, unlike = ends.get(ids[i]), not_lemmas.get(ids[i])
        if any(x is not None and _parse_source(x, where)[0] != "cue" for x in (end, unlike)):
            raise _fail(where, f"slot {name!r}: ends and not_lemmas name a cue")
        tests = _parse_tests(m.get("RIGHT_ATTRS", {}), where, name)
        nodes.append(
            FrameNode(
                op=None if i == 0 else str(op),
                tests=tests,
                words=tuple(_parse_source(w, where) for w in node_words),
                ends=None if end is None else _parse_source(end, where)[1],
                not_lemmas=None if unlike is None else _parse_source(unlike, where)[1],
                constrained=bool(tests or node_words or end or unlike),
                deps=next((allowed for attr, allowed, _ in tests if attr == "DEP"), None),
            )
        )
    return tuple(nodes), tuple(match)


def parse_frames(
    data: Any,
    source: str = "frames",
    lines: Mapping[tuple[str, ...], int] | None = None,
    entity_types: frozenset[str] | None = None,
) -> tuple[FrameSlot, ...]:
    """Check and build the slots of a parsed ``frames.yaml`` (``entity_types``: the names a
    slot's ``party_types`` may use)."""
    out: list[FrameSlot] = []
    for raw, name, where in checked_entries(
        data, "frames", "slot", source, lines, _KEYS, _REQUIRED
    ):
        if raw["frame"] not in FRAMES:
            raise _fail(where, f"slot {name!r}: frame must be one of {FRAMES}")
        if raw["role"] not in ROLES:
            raise _fail(where, f"slot {name!r}: role must be one of {ROLES}")
        when = raw.get("when")
        if when is not None and TYPE_OPTIONS.get(str(when)) != "bool":
            raise _fail(where, f"slot {name!r}: when names a yes/no option of a relation type")
        party_types = frozenset(raw.get("party_types") or ())
        if entity_types is not None and party_types - entity_types:
            raise _fail(where, f"slot {name!r}: unknown entity type "
                               f"{sorted(party_types - entity_types)[0]!r}")
        examples = raw["examples"]
        if not isinstance(examples, list) or not examples:
            raise _fail(where, f"slot {name!r} has no example sentence")
        nodes, match = _parse_nodes(raw, where, name)
        penalty = raw.get("penalty", 0.0)
        if not isinstance(penalty, (int, float)) or not 0 <= penalty < 1:
            raise _fail(where, f"slot {name!r}: penalty must be in [0, 1)")
        out.append(
            FrameSlot(
                name=name,
                doc=str(raw["doc"]),
                frame=raw["frame"],
                role=raw["role"],
                nodes=nodes,
                match=match,
                party_types=party_types,
                when=None if when is None else str(when),
                fallback=bool(raw.get("fallback", False)),
                stand_ins=bool(raw.get("stand_ins", False)),
                penalty=penalty,
                examples=tuple(_parse_example(e, where) for e in examples),
            )
        )
    return tuple(out)


@lru_cache(maxsize=4)
def load_frames(path: Path = FRAMES_PATH) -> tuple[FrameSlot, ...]:
    """Read and check the frame file once per process."""
    from kg.model import ENTITY_TYPES

    text = path.read_text(encoding="utf-8")
    return parse_frames(
        load_yaml(text),
        source=str(path),
        lines=list_item_lines(text, "frames"),
        entity_types=frozenset(ENTITY_TYPES),
    )


#: the words of a node for one relation type: (type, source list) -> words
Words = Callable[[tuple[WordSource, ...]], frozenset[str]]


def _column(cols: Columns, attr: str) -> list[str]:
    return cols.deps if attr == "DEP" else cols.pos if attr == "POS" else cols.lowers


def _passes(
    cols: Columns,
    i: int,
    node: FrameNode,
    words: Words,
    cue: Callable[[str], frozenset[str]],
) -> bool:
    for attr, allowed, excluded in node.tests:
        value = _column(cols, attr)[i]
        if (allowed is not None and value not in allowed) or (
            excluded is not None and value in excluded
        ):
            return False
    lower = cols.lowers[i]
    if node.words and lower not in words(node.words):
        return False
    if node.not_lemmas is not None and cols.lemmas[i] in cue(node.not_lemmas):
        return False
    return node.ends is None or lower.endswith(tuple(cue(node.ends)))


def _step(cols: Columns, i: int, op: str | None) -> list[int]:
    if op == "<":
        h = cols.heads[i]
        return [h] if h != i else []
    kids = cols.children[i]
    if op == ">--":
        return [k for k in kids if k < i]
    if op == ">++":
        return [k for k in kids if k > i]
    return kids


def slot_paths(
    slot: FrameSlot,
    trigger: Token,
    words: Words,
    cue: Callable[[str], frozenset[str]],
) -> list[tuple[Token, ...]]:
    """The chains of tokens ``slot`` matches from ``trigger`` (trigger first, party last), in
    the order of a walk over the children (text order at each step): what a DependencyMatcher
    match of the chain binds to its nodes."""
    doc = trigger.doc
    cols = columns(doc)  # the doc's attributes as lists: the walk follows indices
    nodes = slot.nodes
    if nodes[0].constrained and not _passes(cols, trigger.i, nodes[0], words, cue):
        return []
    paths: list[tuple[int, ...]] = [(trigger.i,)]
    dep = cols.deps
    for node in nodes[1:]:
        # extending each path in order keeps the order of a depth-first walk; the dependency
        # label, which most nodes test, is compared first
        deps = node.deps
        paths = [
            (*path, j)
            for path in paths
            for j in _step(cols, path[-1], node.op)
            if (deps is None or dep[j] in deps)
            and (not node.constrained or _passes(cols, j, node, words, cue))
        ]
        if not paths:
            return []
    return [tuple(doc[i] for i in path) for path in paths]


def source_words(c: Compiled, rtype: str, sources: tuple[WordSource, ...]) -> frozenset[str]:
    """The words of the first of ``sources`` present for ``rtype``: a cue, or an option the
    type sets."""
    for kind, name in sources:
        if kind == "cue":
            return c.words(name)
        if name in c.types[rtype].options:
            return c.option_set(rtype, name)
    return frozenset()


def may_reach(frame: FrameName, trigger: Token) -> bool:
    """False when no slot of ``frame`` can take its first step from ``trigger`` (none of its
    children has a dependency label the slots' first nodes allow): most tokens a place or a
    party is searched from are names with no phrase of their own."""
    first = _first_deps(frame)
    if first is None:
        return True
    cols = columns(trigger.doc)
    deps = cols.deps
    return any(deps[k] in first for k in cols.children[trigger.i])


@cache
def _first_deps(frame: FrameName) -> frozenset[str] | None:
    """The labels the first step of every slot of ``frame`` allows (None: some slot's first
    step is not to a labelled child, or its trigger node has a test)."""
    out: set[str] = set()
    for slot in slots_for(frame):
        step = slot.nodes[1]
        if slot.nodes[0].constrained or step.op == "<" or step.deps is None:
            return None
        out |= step.deps
    return frozenset(out)


def slot_tokens(
    slot: FrameSlot,
    trigger: Token,
    words: Words,
    cue: Callable[[str], frozenset[str]],
) -> list[Token]:
    """The party tokens ``slot`` reaches from ``trigger`` (see :func:`slot_paths`)."""
    return [path[-1] for path in slot_paths(slot, trigger, words, cue)]


def slots_for(
    frame: FrameName, slots: tuple[FrameSlot, ...] | None = None
) -> tuple[FrameSlot, ...]:
    """The slots of one frame, in file order."""
    if slots is None:
        return _default_by_frame()[frame]
    return tuple(s for s in slots if s.frame == frame)


@lru_cache(maxsize=1)
def _default_by_frame() -> dict[str, tuple[FrameSlot, ...]]:
    slots = load_frames()
    return {f: tuple(s for s in slots if s.frame == f) for f in FRAMES}


__all__ = [
    "FRAMES",
    "FRAMES_PATH",
    "ROLES",
    "FrameName",
    "FrameNode",
    "FrameSlot",
    "WordSource",
    "load_frames",
    "may_reach",
    "parse_frames",
    "slot_paths",
    "slot_tokens",
    "slots_for",
    "source_words",
]
