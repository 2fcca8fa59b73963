"""Load the relation lexicon (``ontology/lexicon.yaml``): relation types, triggers and cues.

The lexicon is data so that adding a relation type or a trigger word is an edit to that file
plus a test sentence. It is parsed once per process (:func:`load_lexicon` is cached).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from kg.errors import KGError

ONTOLOGY_DIR = Path(__file__).parent / "ontology"
LEXICON_PATH = ONTOLOGY_DIR / "lexicon.yaml"


@dataclass(frozen=True)
class RelationType:
    """One relation type: its RDF terms, event codes and trigger words."""

    name: str
    class_name: str
    property: str
    label: str
    comment: str
    symmetric: bool = False
    core: bool = False
    cameo: tuple[str, ...] = ()
    plover: str | None = None
    verbs: tuple[str, ...] = ()
    nouns: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    adjectives: tuple[str, ...] = ()
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Lexicon:
    """All relation types plus the cue word lists (reporting, denial, negation, modality ...)."""

    types: Mapping[str, RelationType]
    cues: Mapping[str, tuple[str, ...]]

    def type(self, name: str) -> RelationType:
        try:
            return self.types[name]
        except KeyError:
            valid = ", ".join(sorted(self.types))
            raise KGError(f"unknown relation type {name!r}; known types: {valid}") from None

    def cue(self, name: str) -> tuple[str, ...]:
        return self.cues.get(name, ())


# ---------------------------------------------------------------------------------------------
# The schema: every key the lexicon may hold, what it must be, and who reads it. A key that is
# not here is an error naming the file and line (a misspelt option would otherwise be ignored).

Kind = str  # "str", "bool", "strings" (a list of strings), "int"

#: keys of a relation type read by the lexicon itself
TYPE_FIELDS: dict[str, Kind] = {
    "class": "str", "property": "str", "label": "str", "comment": "str", "symmetric": "bool",
    "core": "bool", "cameo": "strings", "plover": "str", "verbs": "strings", "nouns": "strings",
    "phrases": "strings", "adjectives": "strings",
}  # fmt: skip
#: per-type options read by the extractor (kg/extraction/relations.py); see lexicon.yaml's header
TYPE_OPTIONS: dict[str, Kind] = {
    "object_preps": "strings", "noun_object_preps": "strings", "agent_preps": "strings",
    "direct_object": "bool", "stand_in": "bool", "place_object": "bool", "clause_only": "bool",
    "person_object_as": "str", "agent_nouns": "strings", "person_verbs": "strings",
    "motion_verbs": "strings", "departure_verbs": "strings", "standin_only_verbs": "strings",
    "modifier_nouns": "strings", "modifier_verbs": "strings", "context_verbs": "strings",
    "in_person_verbs": "strings", "phone_sense_verbs": "strings", "phone_sense_nouns": "strings",
    "party_object_only": "bool", "agent_place_preps": "strings", "speech_act": "bool",
    "location_object": "bool", "reaction": "bool", "object_optional": "bool",
    "topic_object_verbs": "strings", "arrival_verbs": "strings",
    "dateline_triggers": "strings", "dateline_adverbs": "strings",
}  # fmt: skip
REQUIRED_TYPE_FIELDS = ("class", "property", "label", "comment")
#: cue lists read by the clause-context walk and the entities stage
CUES = frozenset(
    {
        "reporting", "hearsay_adverbs", "report_nouns", "outlet_verbs", "anonymous_sources",
        "denial", "fiction_words", "negation", "habitual", "shared_object_preps",
        "negating_verbs", "planned",
        "planned_nouns",
        "planned_objects", "hypothetical", "future_time", "current_time", "containing_preps",
        "readiness",
        "representative_nouns", "stand_in_nouns", "actor_nouns", "phone_words", "place_nouns",
        "neighbour_words", "not_stand_in_nouns", "receiving", "thanking", "motion",
        "call_not_preps", "summon_preps", "pair_nouns", "pair_words", "separate_words",
        "in_person_words", "not_place_holders", "speaker_nouns",
        "labelling_verbs", "denial_any_object", "claim_nouns", "state_nouns",
        "denial_not_objects", "denial_nouns", "denial_agent_preps", "denial_content_preps",
        "truth_preps", "denial_support_verbs", "truth_nouns", "plea_verbs", "guilt_words",
        "innocence_words", "claiming_verbs", "wire_notes",
        "labelling_preps", "arrangement_verbs", "occasion_nouns", "accusation_nouns",
        "condition_marks",
        "owner_compound_nouns",
        "capital_nouns",
        "future_auxiliaries", "going_to_words", "future_in_past_auxiliaries",
        "infinitive_marks", "conditional_marks", "relativizers", "impersonal_pronouns",
        "according_words", "spokesperson_preps", "speaker_source_preps", "report_source_preps",
        "dating_preps", "circumstance_preps", "planned_noun_preps", "party_preps",
        "time_preps", "cause_preps", "pending_adverbs", "negative_correlatives",
        "falsity_adverbs", "near_miss_adverbs", "request_phrases", "coordinators",
        "phone_line_nouns", "reaction_preps",
        "belonging_preps", "passive_agent_preps", "talk_partner_preps", "manner_preps",
        "occasion_preps", "medium_preps", "pair_preps", "purpose_preps", "arrival_preps",
        "destination_preps", "giver_preps", "sender_preps", "noun_agent_preps",
        "thanking_preps", "amount_preps", "withdrawal_preps", "place_preps", "venue_preps",
        "location_preps", "call_for_preps", "departure_preps", "gerund_endings",
        "question_marks", "embedded_question_marks",
    }
)  # fmt: skip
TOP_KEYS: dict[str, Kind] = {"version": "int", "types": "mapping", "cues": "mapping"}


def _where(source: str, lines: Mapping[tuple[str, ...], int], path: tuple[str, ...]) -> str:
    """``file:line`` of the key at ``path`` (or its nearest enclosing key) when known."""
    for n in range(len(path), 0, -1):
        line = lines.get(path[:n])
        if line is not None:
            return f"{source}:{line}"
    return source


def _unknown(key: str, known: Iterable[str], what: str, where: str) -> KGError:
    close = difflib.get_close_matches(key, list(known), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return KGError(f"{where}: unknown {what} {key!r}{hint}")


def _checked(value: Any, kind: Kind, what: str, where: str) -> Any:
    ok = {
        "str": isinstance(value, str),
        "bool": isinstance(value, bool),
        "int": isinstance(value, int) and not isinstance(value, bool),
        "mapping": isinstance(value, dict),
        "strings": isinstance(value, list) and all(isinstance(v, str) for v in value),
    }[kind]
    if not ok:
        article = {"strings": "a list of strings", "mapping": "a mapping"}.get(kind, f"a {kind}")
        raise KGError(f"{where}: {what} must be {article}")
    return tuple(value) if kind == "strings" else value


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    return tuple(_checked(value, "strings", where, "lexicon"))


#: libyaml's loader when PyYAML has it: the same documents, parsed several times faster (the
#: ontology files are read at every start, and the pure-Python parser cost more than a second)
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    """``yaml.safe_load`` of ``text``, with libyaml when available."""
    return yaml.load(text, Loader=_LOADER)


def _compose(text: str) -> yaml.Node | None:
    return yaml.compose(text, Loader=_LOADER)


def key_lines(text: str, root: yaml.Node | None = None) -> dict[tuple[str, ...], int]:
    """1-based line of every mapping key in a YAML text, by its path of keys (``root``: the
    text already composed)."""
    lines: dict[tuple[str, ...], int] = {}

    def walk(node: yaml.Node, path: tuple[str, ...]) -> None:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                key = (*path, str(k.value))
                lines[key] = k.start_mark.line + 1
                walk(v, key)

    if root is None:
        root = _compose(text)
    if root is not None:
        walk(root, ())
    return lines


def list_item_lines(text: str, key: str) -> dict[tuple[str, ...], int]:
    """:func:`key_lines` plus the line of each item of the top-level list ``key`` (the path is
    ``(key, "<index>")``), for errors naming a pattern or repair by its line."""
    root = _compose(text)
    lines = dict(key_lines(text, root))
    if isinstance(root, yaml.MappingNode):
        for k, v in root.value:
            if k.value == key and isinstance(v, yaml.SequenceNode):
                for i, item in enumerate(v.value):
                    lines[(key, str(i))] = item.start_mark.line + 1
    return lines


def parse_lexicon(
    data: Any, source: str = "lexicon", lines: Mapping[tuple[str, ...], int] | None = None
) -> Lexicon:
    """Build a :class:`Lexicon` from parsed YAML, checked against the schema above: a missing
    field, a value of the wrong kind or an unknown key is an error naming the file and line."""
    lines = lines or {}
    if not isinstance(data, dict) or not isinstance(data.get("types"), dict):
        raise KGError(f"{source}: expected a mapping with a 'types' mapping")
    for key in data:
        if key not in TOP_KEYS:
            raise _unknown(str(key), TOP_KEYS, "top-level key", _where(source, lines, (key,)))
    types: dict[str, RelationType] = {}
    for name, spec in data["types"].items():
        at = _where(source, lines, ("types", name))
        if not isinstance(spec, dict):
            raise KGError(f"{at}: type {name!r} must be a mapping")
        missing = [k for k in REQUIRED_TYPE_FIELDS if k not in spec]
        if missing:
            raise KGError(f"{at}: type {name!r} lacks {', '.join(missing)}")
        for key, value in spec.items():
            kind = TYPE_FIELDS.get(key) or TYPE_OPTIONS.get(key)
            where = _where(source, lines, ("types", name, key))
            if kind is None:
                raise _unknown(str(key), {*TYPE_FIELDS, *TYPE_OPTIONS}, f"key of type {name!r}",
                               where)
            _checked(value, kind, f"{name}.{key}", where)
        alt = spec.get("person_object_as")
        if alt is not None and alt not in data["types"]:
            raise KGError(f"{_where(source, lines, ('types', name, 'person_object_as'))}: "
                          f"{name}.person_object_as names no type: {alt!r}")
        known = set(TYPE_FIELDS)
        types[name] = RelationType(
            name=name,
            class_name=str(spec["class"]),
            property=str(spec["property"]),
            label=str(spec["label"]),
            comment=str(spec["comment"]),
            symmetric=bool(spec.get("symmetric", False)),
            core=bool(spec.get("core", False)),
            cameo=_strings(spec.get("cameo"), f"{name}.cameo"),
            plover=spec.get("plover"),
            verbs=_strings(spec.get("verbs"), f"{name}.verbs"),
            nouns=_strings(spec.get("nouns"), f"{name}.nouns"),
            phrases=_strings(spec.get("phrases"), f"{name}.phrases"),
            adjectives=_strings(spec.get("adjectives"), f"{name}.adjectives"),
            options={k: v for k, v in spec.items() if k not in known},
        )
    cues_raw = data.get("cues") or {}
    if not isinstance(cues_raw, dict):
        raise KGError(f"{source}: 'cues' must be a mapping of lists")
    cues: dict[str, tuple[str, ...]] = {}
    for k, v in cues_raw.items():
        where = _where(source, lines, ("cues", k))
        if k not in CUES:
            raise _unknown(str(k), CUES, "cue", where)
        cues[k] = _checked(v, "strings", f"cues.{k}", where)
    return Lexicon(types=types, cues=cues)


@lru_cache(maxsize=4)
def load_lexicon(path: Path = LEXICON_PATH) -> Lexicon:
    """Read, check and parse the lexicon file once per process."""
    text = path.read_text(encoding="utf-8")
    return parse_lexicon(load_yaml(text), source=str(path), lines=key_lines(text))


def object_optional(rtype: str, lexicon: Lexicon | None = None) -> bool:
    """Whether a relation of this type may lack an object (``object_optional`` in the lexicon:
    a denial of a statement that names no claimant)."""
    spec = (lexicon or load_lexicon()).types.get(rtype)
    return spec is not None and bool(spec.options.get("object_optional", False))


#: flagged_types by (id of the types mapping, option), with the mapping kept to check identity:
#: the extractor asks for the same flags for every sentence
_FLAGGED: dict[tuple[int, str], tuple[Mapping[str, RelationType], tuple[str, ...]]] = {}


def flagged_types(types: Mapping[str, RelationType], option: str) -> tuple[str, ...]:
    """The names of the types whose boolean ``option`` is set, sorted: code asks for a type by
    what it is (``speech_act``: an accusation) instead of by name."""
    key = (id(types), option)
    hit = _FLAGGED.get(key)
    if hit is not None and hit[0] is types:
        return hit[1]
    found = tuple(sorted(n for n, t in types.items() if t.options.get(option) is True))
    if len(_FLAGGED) > 256:
        _FLAGGED.clear()
    _FLAGGED[key] = (types, found)
    return found


def denial_type(types: Mapping[str, RelationType]) -> str | None:
    """The name of the denial type: the type found only from the clause it governs
    (``clause_only`` in the lexicon); None in a lexicon without one."""
    found = flagged_types(types, "clause_only")
    if len(found) > 1:
        raise KGError(f"the lexicon may have one clause_only type (the denial), not {found}")
    return found[0] if found else None


__all__ = [
    "CUES",
    "LEXICON_PATH",
    "ONTOLOGY_DIR",
    "Lexicon",
    "RelationType",
    "denial_type",
    "flagged_types",
    "key_lines",
    "load_lexicon",
    "load_yaml",
    "object_optional",
    "parse_lexicon",
]
