"""The JSONL hand-off: relation, entity and article records to and from JSON.

One JSON object per line. A line without ``"record"`` (or with ``"record": "relation"``) is a
relation record in the format of DESIGN.md; ``"record": "entity"`` and ``"record": "article"``
lines carry what a relation line cannot (entity types and aliases, article metadata), so that
``kg extract`` output imported with ``kg import`` gives the same graph as ``kg build``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TextIO

from kg.errors import InputError
from kg.lexicon import object_optional
from kg.model import (
    ENTITY_TYPES,
    MODALITIES,
    POLARITIES,
    Article,
    Entity,
    EntityType,
    Evidence,
    Modality,
    Polarity,
    RelationRecord,
)

Record = RelationRecord | Entity | Article


@dataclass(frozen=True)
class RecordLine:
    """A parsed record and where it came from."""

    line: int
    record: Record
    #: The ``doc`` field of the line (entity records carry it only in JSON).
    doc: str | None = None


def relation_to_json(rel: RelationRecord) -> dict[str, Any]:
    """The JSON object of a relation record (DESIGN.md field order, lists for tuples)."""
    out: dict[str, Any] = {
        "id": rel.id,
        "doc": rel.doc,
        "type": rel.type,
        "subject": rel.subject,
        "subject_id": rel.subject_id,
        "object": rel.object,
        "object_id": rel.object_id,
        "polarity": rel.polarity,
        "modality": rel.modality,
        "attributed_to": rel.attributed_to,
        "denies": rel.denies,
        "denied_by": list(rel.denied_by),
        "date": rel.date,
        "place": rel.place,
        "sentence": rel.sentence,
        "start": rel.start,
        "end": rel.end,
        "confidence": rel.confidence,
    }
    if rel.attributed_to_id:
        out["attributed_to_id"] = rel.attributed_to_id
    if rel.place_id:
        out["place_id"] = rel.place_id
    if rel.claim_text is not None:
        out["claim_text"] = rel.claim_text
        out["claim_start"] = rel.claim_start
        out["claim_end"] = rel.claim_end
    if rel.extra_evidence:
        out["evidence"] = [
            {"sentence": e.sentence, "start": e.start, "end": e.end} for e in rel.extra_evidence
        ]
    return out


def entity_to_json(doc: str, ent: Entity) -> dict[str, Any]:
    return {
        "record": "entity",
        "doc": doc,
        "id": ent.id,
        "label": ent.label,
        "type": ent.type,
        "aliases": list(ent.aliases),
    }


def article_to_json(art: Article) -> dict[str, Any]:
    return {
        "record": "article",
        "doc": art.doc,
        "title": art.title,
        "date": art.date,
        "author": art.author,
        "url": art.url,
        "source": art.source,
        "dateline": art.dateline,
        "content_hash": art.content_hash,
    }


def dumps(obj: dict[str, Any]) -> str:
    """One JSONL line: stable key order, real Unicode, no trailing newline."""
    return json.dumps(obj, ensure_ascii=False, separators=(", ", ": "))


def _str(obj: dict[str, Any], key: str, *, required: bool = False) -> str | None:
    value = obj.get(key)
    if value is None:
        if required:
            raise ValueError(f"missing field {key!r}")
        return None
    if not isinstance(value, str):
        raise ValueError(f"field {key!r} must be a string, not {type(value).__name__}")
    if required and not value.strip():
        raise ValueError(f"field {key!r} is empty")
    return value


def _int(obj: dict[str, Any], key: str, default: int = 0) -> int:
    value = obj.get(key, default)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"field {key!r} must be a non-negative integer")
    return value


def relation_from_json(obj: dict[str, Any], *, base: str | None = None) -> RelationRecord:
    """Validate one relation object; ids missing from hand-written records are minted."""
    from kg import iris

    b = base or iris.DEFAULT_BASE
    doc = _str(obj, "doc", required=True)
    rtype = _str(obj, "type", required=True)
    subject = _str(obj, "subject", required=True)
    assert doc is not None and rtype is not None and subject is not None
    obj_name = _str(obj, "object", required=not object_optional(rtype))
    if obj_name is not None and not obj_name.strip():
        raise ValueError("field 'object' is empty")
    polarity = obj.get("polarity") or "positive"
    if polarity not in POLARITIES:
        raise ValueError(f"polarity {polarity!r} is not one of {', '.join(POLARITIES)}")
    modality = obj.get("modality") or "actual"
    if modality not in MODALITIES:
        raise ValueError(f"modality {modality!r} is not one of {', '.join(MODALITIES)}")
    denied_by = obj.get("denied_by") or []
    if not isinstance(denied_by, list) or not all(isinstance(d, str) for d in denied_by):
        raise ValueError("field 'denied_by' must be a list of strings")
    confidence = obj.get("confidence", 1.0)
    if isinstance(confidence, bool) or not isinstance(confidence, int | float):
        raise ValueError("field 'confidence' must be a number")
    if not 0.0 <= float(confidence) <= 1.0:
        raise ValueError("field 'confidence' must be between 0 and 1")
    start, end = _int(obj, "start"), _int(obj, "end")
    if end < start:
        raise ValueError("field 'end' is before 'start'")
    subject_id = _str(obj, "subject_id") or iris.entity_iri(subject, b)
    object_id = (_str(obj, "object_id") or iris.entity_iri(obj_name, b)) if obj_name else None
    claim_text = _str(obj, "claim_text")
    claim_start = _opt_int(obj, "claim_start")
    claim_end = _opt_int(obj, "claim_end")
    if (claim_start is None) != (claim_end is None):
        raise ValueError("fields 'claim_start' and 'claim_end' go together")
    if claim_start is not None and claim_end is not None and claim_end < claim_start:
        raise ValueError("field 'claim_end' is before 'claim_start'")
    if obj_name is None and not claim_text and not obj.get("denies"):
        raise ValueError("a relation without 'object' needs 'claim_text' or 'denies'")
    evidence_raw = obj.get("evidence") or []
    if not isinstance(evidence_raw, list):
        raise ValueError("field 'evidence' must be a list")
    extra = []
    for ev in evidence_raw:
        if not isinstance(ev, dict):
            raise ValueError("each 'evidence' item must be an object")
        sentence = _str(ev, "sentence") or ""
        extra.append(Evidence(sentence=sentence, start=_int(ev, "start"), end=_int(ev, "end")))
    rel_id = _str(obj, "id") or iris.relation_iri(
        doc, rtype, subject_id, object_id, start, end, b,
        qualifier=f"{polarity}|{modality}|{obj.get('attributed_to') or ''}",
        claim=_claim_key(object_id, claim_start, claim_end, start, end),
    )
    pol: Polarity = polarity
    mod: Modality = modality
    return RelationRecord(
        id=rel_id,
        doc=doc,
        type=rtype,
        subject=subject,
        subject_id=subject_id,
        object=obj_name,
        object_id=object_id,
        polarity=pol,
        modality=mod,
        attributed_to=_str(obj, "attributed_to"),
        attributed_to_id=_str(obj, "attributed_to_id"),
        denies=_str(obj, "denies"),
        denied_by=tuple(denied_by),
        date=_str(obj, "date"),
        place=_str(obj, "place"),
        place_id=_str(obj, "place_id"),
        sentence=_str(obj, "sentence") or "",
        start=start,
        end=end,
        confidence=float(confidence),
        extra_evidence=tuple(extra),
        claim_text=claim_text,
        claim_start=claim_start,
        claim_end=claim_end,
    )


def _opt_int(obj: dict[str, Any], key: str) -> int | None:
    return None if obj.get(key) is None else _int(obj, key)


def _claim_key(
    object_id: str | None, claim_start: int | None, claim_end: int | None, start: int, end: int
) -> tuple[int, int] | None:
    """What tells an object-less denial apart in its IRI: the span of the denied words."""
    if object_id is not None:
        return None
    if claim_start is not None and claim_end is not None:
        return (claim_start, claim_end)
    return (start, end)


def entity_from_json(obj: dict[str, Any], *, base: str | None = None) -> Entity:
    from kg import iris

    label = _str(obj, "label", required=True)
    assert label is not None
    etype = obj.get("type")
    if etype not in ENTITY_TYPES:
        raise ValueError(f"entity type {etype!r} is not one of {', '.join(ENTITY_TYPES)}")
    aliases = obj.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise ValueError("field 'aliases' must be a list of strings")
    t: EntityType = etype
    return Entity(
        id=_str(obj, "id") or iris.entity_iri(label, base or iris.DEFAULT_BASE),
        label=label,
        type=t,
        aliases=tuple(aliases),
    )


def article_from_json(obj: dict[str, Any]) -> Article:
    doc = _str(obj, "doc", required=True)
    assert doc is not None
    return Article(
        doc=doc,
        text="",
        title=_str(obj, "title"),
        date=_str(obj, "date"),
        author=_str(obj, "author"),
        url=_str(obj, "url"),
        source=_str(obj, "source"),
        content_hash=_str(obj, "content_hash"),
        dateline=_str(obj, "dateline"),
    )


def record_from_json(obj: Any, *, base: str | None = None) -> Record:
    """Dispatch on ``record``; raises ValueError with a reason a user can act on."""
    if not isinstance(obj, dict):
        raise ValueError(f"expected a JSON object, got {type(obj).__name__}")
    kind = obj.get("record", "relation")
    if kind == "relation":
        return relation_from_json(obj, base=base)
    if kind == "entity":
        return entity_from_json(obj, base=base)
    if kind == "article":
        return article_from_json(obj)
    raise ValueError(f"unknown record kind {kind!r} (expected relation, entity or article)")


def read_records(
    lines: Iterable[str], source: str, *, base: str | None = None
) -> Iterator[RecordLine | InputError]:
    """Parse JSONL lines; a bad line yields an :class:`InputError` naming file and line."""
    for number, raw in enumerate(lines, start=1):
        text = raw.strip()
        if not text:
            continue
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            yield InputError(f"not valid JSON ({exc.msg} at column {exc.colno})", source, number)
            continue
        try:
            rec = record_from_json(obj, base=base)
            doc = obj.get("doc")
            yield RecordLine(number, rec, doc if isinstance(doc, str) else None)
        except ValueError as exc:
            yield InputError(str(exc), source, number)


def write_records(out: TextIO, records: Iterable[Record]) -> int:
    """Write records as JSONL; returns the number written."""
    n = 0
    for rec in records:
        if isinstance(rec, RelationRecord):
            obj = relation_to_json(rec)
        elif isinstance(rec, Entity):
            raise TypeError("entity records need their doc: use entity_to_json")
        else:
            obj = article_to_json(rec)
        out.write(dumps(obj) + "\n")
        n += 1
    return n


__all__ = [
    "Record",
    "RecordLine",
    "article_from_json",
    "article_to_json",
    "dumps",
    "entity_from_json",
    "entity_to_json",
    "read_records",
    "record_from_json",
    "relation_from_json",
    "relation_to_json",
    "write_records",
]
