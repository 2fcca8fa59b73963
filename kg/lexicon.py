"""Load the relation lexicon (``ontology/lexicon.yaml``): relation types, triggers and cues.

The lexicon is data so that adding a relation type or a trigger word is an edit to that file
plus a test sentence. It is parsed once per process (:func:`load_lexicon` is cached).
"""

from __future__ import annotations

from collections.abc import Mapping
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


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise KGError(f"lexicon: {where} must be a list of strings")
    return tuple(value)


def parse_lexicon(data: Any, source: str = "lexicon") -> Lexicon:
    """Build a :class:`Lexicon` from parsed YAML, with a clear error for each malformed part."""
    if not isinstance(data, dict) or not isinstance(data.get("types"), dict):
        raise KGError(f"{source}: expected a mapping with a 'types' mapping")
    types: dict[str, RelationType] = {}
    for name, spec in data["types"].items():
        if not isinstance(spec, dict):
            raise KGError(f"{source}: type {name!r} must be a mapping")
        missing = [k for k in ("class", "property", "label", "comment") if k not in spec]
        if missing:
            raise KGError(f"{source}: type {name!r} lacks {', '.join(missing)}")
        known = {
            "class", "property", "label", "comment", "symmetric", "core", "cameo", "plover",
            "verbs", "nouns", "phrases",
        }
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
            options={k: v for k, v in spec.items() if k not in known},
        )
    cues_raw = data.get("cues") or {}
    if not isinstance(cues_raw, dict):
        raise KGError(f"{source}: 'cues' must be a mapping of lists")
    cues = {k: _strings(v, f"cues.{k}") for k, v in cues_raw.items()}
    return Lexicon(types=types, cues=cues)


@lru_cache(maxsize=4)
def load_lexicon(path: Path = LEXICON_PATH) -> Lexicon:
    """Read and parse the lexicon file once per process."""
    with open(path, encoding="utf-8") as fh:
        return parse_lexicon(yaml.safe_load(fh), source=str(path))


def object_optional(rtype: str, lexicon: Lexicon | None = None) -> bool:
    """Whether a relation of this type may lack an object (``object_optional`` in the lexicon:
    a denial of a statement that names no claimant)."""
    spec = (lexicon or load_lexicon()).types.get(rtype)
    return spec is not None and bool(spec.options.get("object_optional", False))


__all__ = [
    "LEXICON_PATH",
    "ONTOLOGY_DIR",
    "Lexicon",
    "RelationType",
    "load_lexicon",
    "object_optional",
    "parse_lexicon",
]
