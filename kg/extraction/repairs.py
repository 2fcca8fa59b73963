"""Model repairs as data: ``ontology/repairs.yaml`` run by a spaCy ``AttributeRuler``.

The small English model makes known, repeatable token-level errors (a trigger verb's past form
tagged as an adjective keeps the adjective as its lemma). Each repair is an AttributeRuler
pattern with the attributes it sets and example sentences (the examples are tests); patterns
may be generated from the lexicon's trigger words, so a new trigger is repaired too. The ruler
runs after the model's own components, so every later stage reads the repaired attributes and
no stage repairs the model inline.

The file is checked on load: an unknown key, a repair without an example, an unknown
``forms_of`` or a pattern spaCy rejects is an error naming the file and line.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import KGError
from kg.lexicon import ONTOLOGY_DIR, Lexicon, list_item_lines, load_lexicon, load_yaml

if TYPE_CHECKING:
    from spacy.language import Language

REPAIRS_PATH = ONTOLOGY_DIR / "repairs.yaml"
#: the name of the pipeline component that applies the repairs
PIPE_NAME = "kg_repairs"

_KEYS = {"name", "doc", "match", "forms_of", "attrs", "examples"}
_REQUIRED = ("name", "doc", "match", "attrs", "examples")
_EXAMPLE_KEYS = {"text", "token", "attrs"}


def _past_forms(verb: str) -> Iterator[str]:
    """ "host" -> hosted; "welcome" -> welcomed; "chat" -> chatted (doubled consonant)."""
    if verb.endswith("e"):
        yield verb + "d"
    else:
        yield verb + "ed"
        if len(verb) >= 3 and verb[-1] not in "aeiouwxy" and verb[-2] in "aeiou":
            yield verb + verb[-1] + "ed"


def _third_person_forms(verb: str) -> Iterator[str]:
    yield verb + ("es" if verb.endswith(("s", "sh", "ch", "x", "z")) else "s")


#: word-form generators ``forms_of`` may name: each maps a lexicon verb to its forms
FORMS = {"verb_past": _past_forms, "verb_third_person": _third_person_forms}


@dataclass(frozen=True)
class RepairExample:
    """A sentence, the token text to look at, and the attributes it must have."""

    text: str
    token: str
    attrs: Mapping[str, str]


@dataclass(frozen=True)
class Repair:
    """One known model error and the attributes that fix it."""

    name: str
    doc: str
    match: tuple[Mapping[str, Any], ...]
    attrs: Mapping[str, str]
    examples: tuple[RepairExample, ...]
    forms_of: str | None = None

    def patterns(self, lexicon: Lexicon) -> list[dict[str, Any]]:
        """The AttributeRuler entries of this repair (one per generated form)."""
        if self.forms_of is None:
            return [{"patterns": [list(self.match)], "attrs": dict(self.attrs), "index": 0}]
        verbs = sorted({v for spec in lexicon.types.values() for v in spec.verbs})
        out: list[dict[str, Any]] = []
        for verb in verbs:
            attrs = {k: v.replace("{lemma}", verb) for k, v in self.attrs.items()}
            for form in FORMS[self.forms_of](verb):
                first = {**self.match[0], "LOWER": form}
                out.append({"patterns": [[first, *self.match[1:]]], "attrs": attrs, "index": 0})
        return out


def _err(
    source: str, lines: Mapping[tuple[str, ...], int], path: tuple[str, ...], msg: str
) -> KGError:
    line = lines.get(path)
    return KGError(f"{source}:{line}: {msg}" if line else f"{source}: {msg}")


def parse_repairs(
    data: Any, source: str = "repairs", lines: Mapping[tuple[str, ...], int] | None = None
) -> tuple[Repair, ...]:
    """Check parsed YAML against the schema in the file's header and build the repairs."""
    lines = lines or {}
    if not isinstance(data, dict) or not isinstance(data.get("repairs"), list):
        raise KGError(f"{source}: expected a mapping with a 'repairs' list")
    out: list[Repair] = []
    for i, item in enumerate(data["repairs"]):
        where = ("repairs", str(i))
        if not isinstance(item, dict):
            raise _err(source, lines, where, f"repair {i} is not a mapping")
        unknown = sorted(set(item) - _KEYS)
        if unknown:
            raise _err(source, lines, where, f"repair {item.get('name', i)!r}: unknown key(s) "
                       f"{', '.join(unknown)} (allowed: {', '.join(sorted(_KEYS))})")
        missing = [k for k in _REQUIRED if not item.get(k)]
        if missing:
            raise _err(source, lines, where,
                       f"repair {item.get('name', i)!r}: missing {', '.join(missing)}")
        forms_of = item.get("forms_of")
        if forms_of is not None and forms_of not in FORMS:
            raise _err(source, lines, where, f"repair {item['name']!r}: forms_of must be one of "
                       f"{', '.join(sorted(FORMS))}, not {forms_of!r}")
        match = item["match"]
        if not isinstance(match, list) or not all(isinstance(t, dict) for t in match):
            raise _err(source, lines, where, f"repair {item['name']!r}: match is a list of tokens")
        examples = []
        for ex in item["examples"]:
            if not isinstance(ex, dict) or set(ex) != _EXAMPLE_KEYS:
                raise _err(source, lines, where, f"repair {item['name']!r}: each example has "
                           f"exactly {', '.join(sorted(_EXAMPLE_KEYS))}")
            examples.append(RepairExample(str(ex["text"]), str(ex["token"]),
                                          {str(k): str(v) for k, v in ex["attrs"].items()}))
        out.append(Repair(str(item["name"]), str(item["doc"]), tuple(match),
                          {str(k): str(v) for k, v in dict(item["attrs"]).items()},
                          tuple(examples), forms_of))
    names = [r.name for r in out]
    if len(set(names)) != len(names):
        raise KGError(f"{source}: repair names must be unique")
    return tuple(out)


@lru_cache(maxsize=4)
def load_repairs(path: Path = REPAIRS_PATH) -> tuple[Repair, ...]:
    """The repairs of ``ontology/repairs.yaml``, checked (cached per path)."""
    text = path.read_text(encoding="utf-8")
    lines = list_item_lines(text, "repairs")
    return parse_repairs(load_yaml(text), source=str(path), lines=lines)


def add_repairs(
    nlp: Language, repairs: tuple[Repair, ...] | None = None, lexicon: Lexicon | None = None
) -> Language:
    """Append the repairs to ``nlp`` as an AttributeRuler named :data:`PIPE_NAME` (once)."""
    if PIPE_NAME in nlp.pipe_names:
        return nlp
    repairs = load_repairs() if repairs is None else repairs
    lexicon = lexicon or load_lexicon()
    ruler: Any = nlp.add_pipe("attribute_ruler", name=PIPE_NAME, last=True)
    for repair in repairs:
        try:
            ruler.add_patterns(repair.patterns(lexicon))
        except (ValueError, KeyError) as exc:
            raise KGError(f"{REPAIRS_PATH}: repair {repair.name!r} is not a valid spaCy "
                          f"AttributeRuler pattern: {exc}") from None
    return nlp


__all__ = ["PIPE_NAME", "REPAIRS_PATH", "Repair", "RepairExample", "add_repairs",
           "load_repairs", "parse_repairs"]
