"""Argument patterns as data: ``ontology/patterns.yaml`` run by spaCy's ``DependencyMatcher``.

A pattern names the way a trigger finds its parties in the dependency tree ("Moscow-backed
candidate X": the hyphenated name is the agent, the modified noun the other party). Each node of
the matcher pattern is a *role*; the pattern says which role is the trigger (a verb or noun of
the lexicon), which roles are the subject and the object, which must name no party, the relation
types it may yield, a confidence and at least one example sentence (the examples are tests).
Adding a construction is a data edit plus an example: the interpreter in
:mod:`kg.extraction.relations` turns matches into relations and the clause-context walk gives
them their status, exactly as for the core frames (:mod:`kg.extraction.frames`).

The file is checked on load: an unknown key, a role that is not a node of the pattern, a pattern
spaCy rejects or one without an example is an error naming the file and line.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from kg.errors import KGError
from kg.extraction.context import ID_ATTRS, columns
from kg.lexicon import ONTOLOGY_DIR, list_item_lines, load_yaml

if TYPE_CHECKING:
    from spacy.matcher import DependencyMatcher
    from spacy.tokens import Doc, Span, Token
    from spacy.vocab import Vocab

PATTERNS_PATH = ONTOLOGY_DIR / "patterns.yaml"

TriggerClass = Literal["verb", "noun", "adjective", "any"]
_TRIGGER_CLASSES: tuple[TriggerClass, ...] = ("verb", "noun", "adjective", "any")
_KEYS = {
    "name", "doc", "trigger", "types", "yields", "confidence", "match", "subject", "object",
    "not_party", "examples",
}  # fmt: skip
_REQUIRED = ("name", "doc", "trigger", "confidence", "match", "subject", "object", "examples")
_EXAMPLE_KEYS = {"text", "relations"}


@dataclass(frozen=True)
class Example:
    """A sentence and the (type, subject, object) relations the pattern must give for it."""

    text: str
    relations: tuple[tuple[str, str, str], ...]


@dataclass(frozen=True)
class ArgumentPattern:
    """One named construction: a DependencyMatcher pattern whose nodes are roles."""

    name: str
    doc: str
    trigger: TriggerClass
    types: tuple[str, ...]
    #: the type a pattern with ``trigger: any`` yields (its words are in the pattern itself)
    yields: str | None
    confidence: float
    match: tuple[Mapping[str, Any], ...]
    subject: str
    object: str
    not_party: tuple[str, ...]
    examples: tuple[Example, ...]

    @property
    def roles(self) -> tuple[str, ...]:
        """Node names in pattern order (the order of the token ids of a match)."""
        return tuple(str(node["RIGHT_ID"]) for node in self.match)


@dataclass(frozen=True)
class PatternMatch:
    """A match in one sentence: the pattern and the token of each role."""

    pattern: ArgumentPattern
    tokens: Mapping[str, Token]


def _fail(where: str, message: str) -> KGError:
    return KGError(f"{where}: {message}")


def _parse_example(raw: Any, where: str) -> Example:
    if not isinstance(raw, dict) or set(raw) - _EXAMPLE_KEYS or "text" not in raw:
        raise _fail(where, "an example is a mapping with 'text' and 'relations'")
    rels = raw.get("relations") or []
    if not isinstance(rels, list) or not all(
        isinstance(r, list) and len(r) == 3 and all(isinstance(x, str) for x in r) for r in rels
    ):
        raise _fail(where, "example relations are [type, subject, object] lists")
    return Example(str(raw["text"]), tuple((r[0], r[1], r[2]) for r in rels))


def checked_entries(
    data: Any,
    key: str,
    kind: str,
    source: str,
    lines: Mapping[tuple[str, ...], int] | None,
    keys: Collection[str],
    required: Sequence[str],
) -> Iterator[tuple[dict[str, Any], str, str]]:
    """The entries of the top-level list ``key`` of a data file, each checked to be a mapping
    with only known ``keys``, the ``required`` ones and a unique name: (entry, name, where it
    is, as "file:line" for errors)."""
    lines = lines or {}
    if not isinstance(data, dict) or set(data) - {"version", key}:
        raise _fail(source, f"expected a mapping with 'version' and {key!r}")
    items = data.get(key)
    if not isinstance(items, list):
        raise _fail(source, f"{key!r} must be a list")
    names: set[str] = set()
    for n, raw in enumerate(items):
        line = lines.get((key, str(n)))
        where = f"{source}:{line}" if line else f"{source} ({kind} {n + 1})"
        if not isinstance(raw, dict):
            raise _fail(where, f"a {kind} must be a mapping")
        name = raw.get("name")
        unknown = sorted(set(raw) - set(keys))
        if unknown:
            raise _fail(where, f"{kind} {name!r}: unknown key {unknown[0]!r}; "
                               f"known keys: {', '.join(sorted(keys))}")
        missing = [k for k in required if k not in raw]
        if missing:
            raise _fail(where, f"{kind} {name!r} lacks {', '.join(missing)}")
        if not isinstance(name, str) or name in names:
            raise _fail(where, f"{kind} name {name!r} must be a unique string")
        names.add(name)
        yield raw, name, where


def parse_patterns(
    data: Any,
    source: str = "patterns",
    lines: Mapping[tuple[str, ...], int] | None = None,
    types: frozenset[str] | None = None,
) -> tuple[ArgumentPattern, ...]:
    """Check and build the patterns of a parsed ``patterns.yaml`` (``types``: the lexicon's
    relation types, which a pattern's ``types`` must name)."""
    out: list[ArgumentPattern] = []
    for raw, name, where in checked_entries(
        data, "patterns", "pattern", source, lines, _KEYS, _REQUIRED
    ):
        if raw["trigger"] not in _TRIGGER_CLASSES:
            raise _fail(where, f"pattern {name!r}: trigger must be one of {_TRIGGER_CLASSES}")
        match = raw["match"]
        if not isinstance(match, list) or not match or not all(isinstance(m, dict) for m in match):
            raise _fail(where, f"pattern {name!r}: match must be a non-empty list of nodes")
        roles = [str(m.get("RIGHT_ID")) for m in match]
        if roles[0] != "trigger":
            raise _fail(where, f"pattern {name!r}: the first node must be 'trigger'")
        not_party = raw.get("not_party") or []
        for role in (raw["subject"], raw["object"], *not_party):
            if role not in roles:
                raise _fail(where, f"pattern {name!r}: role {role!r} is no node of the pattern")
        rtypes = tuple(raw.get("types") or ())
        if types is not None and any(t not in types for t in rtypes):
            raise _fail(where, f"pattern {name!r}: unknown relation type in {list(rtypes)}")
        yields = raw.get("yields")
        if (raw["trigger"] == "any") != (yields is not None):
            raise _fail(where, f"pattern {name!r}: 'yields' goes with trigger: any, and only")
        if yields is not None and types is not None and yields not in types:
            raise _fail(where, f"pattern {name!r}: yields an unknown relation type {yields!r}")
        conf = raw["confidence"]
        if not isinstance(conf, (int, float)) or not 0 < conf <= 1:
            raise _fail(where, f"pattern {name!r}: confidence must be in (0, 1]")
        examples = raw["examples"]
        if not isinstance(examples, list) or not examples:
            raise _fail(where, f"pattern {name!r} has no example sentence")
        out.append(
            ArgumentPattern(
                name=name,
                doc=str(raw["doc"]),
                trigger=raw["trigger"],
                types=rtypes,
                yields=None if yields is None else str(yields),
                confidence=float(conf),
                match=tuple(match),
                subject=str(raw["subject"]),
                object=str(raw["object"]),
                not_party=tuple(str(r) for r in not_party),
                examples=tuple(_parse_example(e, where) for e in examples),
            )
        )
    return tuple(out)


@lru_cache(maxsize=4)
def load_patterns(path: Path = PATTERNS_PATH) -> tuple[ArgumentPattern, ...]:
    """Read and check the pattern file once per process."""
    from kg.lexicon import load_lexicon

    text = path.read_text(encoding="utf-8")
    return parse_patterns(
        load_yaml(text),
        source=str(path),
        lines=list_item_lines(text, "patterns"),
        types=frozenset(load_lexicon().types),
    )


_MATCHERS: dict[
    tuple[int, tuple[int, ...], int],
    tuple[Vocab, tuple[ArgumentPattern, ...], DependencyMatcher],
] = {}

#: the trigger words of each trigger class ("verb", "noun", "adjective"), from the lexicon
TriggerWords = Mapping[str, frozenset[str]]


def _with_trigger_words(
    pattern: ArgumentPattern, words: TriggerWords | None
) -> list[dict[str, Any]]:
    """The pattern's nodes, its trigger node narrowed to the lexicon's trigger lemmas of its
    class: the matcher then starts from a few tokens a sentence instead of every verb or noun
    (the interpreter would drop the others anyway)."""
    nodes = [dict(node) for node in pattern.match]
    lemmas = words.get(pattern.trigger) if words is not None else None
    if lemmas and "LEMMA" not in nodes[0].get("RIGHT_ATTRS", {}):
        attrs = dict(nodes[0].get("RIGHT_ATTRS", {}))
        forms = {w for lemma in lemmas for w in (lemma, lemma.capitalize(), lemma.upper())}
        attrs["LEMMA"] = {"IN": sorted(forms)}
        nodes[0] = {**nodes[0], "RIGHT_ATTRS": attrs}
    return nodes


def _matcher(
    vocab: Vocab, patterns: tuple[ArgumentPattern, ...], words: TriggerWords | None = None
) -> DependencyMatcher:
    """A DependencyMatcher holding every pattern, built once per vocabulary and lexicon."""
    key = (id(vocab), tuple(id(p) for p in patterns), id(words))
    hit = _MATCHERS.get(key)
    if hit is not None and hit[0] is vocab and all(
        a is b for a, b in zip(hit[1], patterns, strict=True)
    ):
        return hit[2]
    from spacy.matcher import DependencyMatcher

    matcher = DependencyMatcher(vocab)
    for p in patterns:
        try:
            matcher.add(p.name, [_with_trigger_words(p, words)])
        except (ValueError, KeyError) as exc:
            raise KGError(f"{PATTERNS_PATH}: pattern {p.name!r} is not a valid spaCy "
                          f"DependencyMatcher pattern: {exc}") from None
    _MATCHERS[key] = (vocab, patterns, matcher)
    return matcher


#: pattern keys read as another attribute
_SAME_ATTR = {"TEXT": "ORTH"}

#: one node's word-level constraints: (attribute, the ids of the values it may take, as
#: ``Doc.to_array`` gives them: string hashes or symbols, part-of-speech numbers)
_NodeNeeds = tuple[tuple[str, frozenset[int]], ...]
@dataclass(frozen=True)
class _DocValues:
    """Each pre-checked attribute of a doc's tokens as ids (``columns``, by position) and
    the ids it takes there (``seen``): compared as numbers, never made into strings."""

    columns: dict[str, list[int]]
    seen: dict[str, frozenset[int]]
    heads: list[int]
    #: the tokens meeting each node's constraints, found once per document (patterns share
    #: nodes)
    meeting: dict[_NodeNeeds, list[int]] = field(default_factory=dict)


def _value_id(key: str, value: object) -> int:
    """The id ``Doc.to_array`` gives a token whose ``key`` attribute is ``value``."""
    from spacy.parts_of_speech import IDS as POS_IDS
    from spacy.strings import get_string_id

    if key == "POS":
        return int(POS_IDS.get(str(value), -1))  # no such part of speech: never met
    return int(get_string_id(str(value)))


def _needs(attrs: Mapping[str, Any]) -> _NodeNeeds:
    """The constraints of one node the pre-check can test: a value or an ``IN`` list of a
    token attribute (``NOT_IN``, regexes and the rest are left to the matcher)."""
    out: list[tuple[str, frozenset[int]]] = []
    for key, spec in attrs.items():
        key = _SAME_ATTR.get(key, key)
        if key not in ID_ATTRS:  # the columns the pre-check can read
            continue
        if isinstance(spec, str):
            out.append((key, frozenset((_value_id(key, spec),))))
        elif isinstance(spec, dict) and isinstance(spec.get("IN"), list):
            out.append((key, frozenset(_value_id(key, v) for v in spec["IN"])))
    return tuple(out)


@dataclass(frozen=True)
class _PatternNeeds:
    """What the pre-check tests of one pattern: each node's constraints (the trigger first)
    and the parent-child links between nodes (child node, parent node) that ``>`` and ``<``
    state."""

    nodes: tuple[_NodeNeeds, ...]
    links: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class _PreCheck:
    """The pre-check of a whole pattern set: each pattern's needs, the distinct word-level
    constraints of all their nodes, and per pattern the indices of its own. A document meets
    each distinct constraint or not once; a pattern then passes the first test when its
    constraints are a subset of those met."""

    needs: dict[str, _PatternNeeds]
    constraints: tuple[tuple[str, frozenset[int]], ...]
    required: dict[str, frozenset[int]]
    #: the token attributes some constraint reads (the only columns a document's pre-check
    #: reads)
    attrs: tuple[str, ...]


_NEEDS: dict[tuple[int, int], tuple[tuple[ArgumentPattern, ...], _PreCheck]] = {}


def _links(pattern: ArgumentPattern) -> tuple[tuple[int, int], ...]:
    index = {role: i for i, role in enumerate(pattern.roles)}
    out: list[tuple[int, int]] = []
    for i, node in enumerate(pattern.match):
        left = index.get(str(node.get("LEFT_ID")))
        if left is None:
            continue
        if node.get("REL_OP") == ">":
            out.append((i, left))
        elif node.get("REL_OP") == "<":
            out.append((left, i))
    return tuple(out)


def _pre_check(patterns: tuple[ArgumentPattern, ...], words: TriggerWords | None) -> _PreCheck:
    """The :class:`_PreCheck` of ``patterns``, made once per pattern set and lexicon: per
    pattern, the constraints of each node (the trigger node first, narrowed to the lexicon's
    trigger lemmas) and its parent-child links."""
    key = (id(patterns), id(words))
    hit = _NEEDS.get(key)
    if hit is not None and hit[0] is patterns:
        return hit[1]
    needs = {
        p.name: _PatternNeeds(
            tuple(_needs(node.get("RIGHT_ATTRS", {})) for node in _with_trigger_words(p, words)),
            _links(p),
        )
        for p in patterns
    }
    index: dict[tuple[str, frozenset[int]], int] = {}
    for n in needs.values():
        for node in n.nodes:
            for constraint in node:
                index.setdefault(constraint, len(index))
    pre = _PreCheck(
        needs,
        tuple(index),
        {name: frozenset(index[c] for node in n.nodes for c in node) for name, n in needs.items()},
        tuple(a for a in ID_ATTRS if any(k == a for k, _ in index)),
    )
    _NEEDS[key] = (patterns, pre)
    return pre


def _doc_values(doc: Doc, attrs: tuple[str, ...]) -> _DocValues:
    """The pre-checked attributes ``attrs`` of ``doc``, from the doc's shared columns (read
    once for every stage; no token objects)."""
    cols = columns(doc)
    values = {a: cols.ids[a] for a in attrs}
    return _DocValues(values, {k: frozenset(col) for k, col in values.items()}, cols.heads)


def _meeting(node: _NodeNeeds, values: _DocValues) -> list[int] | None:
    """The tokens that meet all of one node's constraints (None: the node has none)."""
    if not node:
        return None
    hit = values.meeting.get(node)
    if hit is not None:
        return hit
    (key, wanted), rest = node[0], node[1:]
    table = values.columns
    hit = values.meeting[node] = [
        i for i, v in enumerate(table[key])
        if v in wanted and all(table[k][i] in w for k, w in rest)
    ]
    return hit


def _may_match(needs: _PatternNeeds, values: _DocValues) -> bool:
    """A necessary condition for a match, for a pattern whose constraints each some token
    meets (:func:`_pre_checked` tests that first): one token meets all of each node's at
    once, and for each ``>`` or ``<`` link some such token is the child of one that meets its
    parent's. spaCy's DependencyMatcher costs about a millisecond per pattern and document
    even when nothing matches; this check costs microseconds."""
    meeting = [_meeting(node, values) for node in needs.nodes]
    if any(m is not None and not m for m in meeting):
        return False
    heads = values.heads
    for child, parent in needs.links:
        children, parents = meeting[child], meeting[parent]
        if parents is None:
            continue  # any token can be the parent: the child's own test was enough
        allowed = set(parents)
        candidates = range(len(heads)) if children is None else children
        if not any(heads[i] != i and heads[i] in allowed for i in candidates):
            return False
    return True


def _pre_checked(
    doc: Doc, patterns: tuple[ArgumentPattern, ...], words: TriggerWords | None
) -> list[ArgumentPattern]:
    """The patterns that may match ``doc``: those whose every constraint some token meets
    (each distinct constraint tested once per document), then :func:`_may_match`."""
    pre = _pre_check(patterns, words)
    values = _doc_values(doc, pre.attrs)
    met = frozenset(
        i for i, (attr, wanted) in enumerate(pre.constraints)
        if not values.seen[attr].isdisjoint(wanted)
    )
    return [
        p for p in patterns
        if pre.required[p.name] <= met and _may_match(pre.needs[p.name], values)
    ]


def match_patterns(
    sent: Span,
    patterns: tuple[ArgumentPattern, ...] | None = None,
    words: TriggerWords | None = None,
) -> Iterator[PatternMatch]:
    """Every match of every pattern in one sentence, in a stable order. The matcher runs once
    per parsed document (cached in its ``user_data``); the sentence takes the matches whose
    trigger lies in it."""
    patterns = load_patterns() if patterns is None else patterns
    if not patterns:
        return
    doc = sent.doc
    key = f"kg_pattern_matches:{id(patterns)}:{id(words)}"
    cached = doc.user_data.get(key)
    if cached is None:
        found: list[tuple[str, tuple[int, ...], ArgumentPattern]] = []
        for p in _pre_checked(doc, patterns, words):
            matcher = _matcher(doc.vocab, (p,), words)
            for _match_id, token_ids in matcher(doc):
                found.append((p.name, tuple(token_ids), p))
        cached = sorted(found, key=lambda x: (x[0], x[1]))
        doc.user_data[key] = cached
    for _name, ids, pattern in cached:
        if sent.start <= ids[0] < sent.end:
            tokens = dict(zip(pattern.roles, (doc[i] for i in ids), strict=True))
            yield PatternMatch(pattern, tokens)


__all__ = [
    "PATTERNS_PATH",
    "ArgumentPattern",
    "Example",
    "PatternMatch",
    "checked_entries",
    "load_patterns",
    "match_patterns",
    "parse_patterns",
]
