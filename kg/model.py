"""Typed objects passed between pipeline stages.

Every stage takes and returns these frozen dataclasses, so each stage can be tested alone and
the RDF and store stages never see spaCy objects (and the NLP stages never see RDF terms).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

EntityType = Literal["Person", "Organization", "GeopoliticalEntity", "Location", "Group"]
ENTITY_TYPES: tuple[EntityType, ...] = (
    "Person",
    "Organization",
    "GeopoliticalEntity",
    "Location",
    "Group",
)

Polarity = Literal["positive", "negative"]
Modality = Literal["actual", "planned", "hypothetical"]
POLARITIES: tuple[Polarity, ...] = ("positive", "negative")
MODALITIES: tuple[Modality, ...] = ("actual", "planned", "hypothetical")

SegmentKind = Literal["headline", "paragraph", "caption"]

#: How an article states a relation, in display order (the view's legend, the report's counts);
#: :func:`relation_status` decides which one applies.
Status = Literal["asserted", "attributed", "disputed", "negated", "planned", "hypothetical"]
STATUSES: tuple[Status, ...] = (
    "asserted",
    "attributed",
    "disputed",
    "negated",
    "planned",
    "hypothetical",
)

#: The value of ``attributed_to`` for "it was reported", "reports that ..." with no named source.
UNNAMED_SOURCE = "unnamed reports"


def relation_status(
    polarity: str,
    modality: str,
    attributed_to: str | None,
    parties: Iterable[str],
    denied: bool,
) -> Status:
    """The first status that applies: disputed (denied), negated, planned, hypothetical,
    attributed (reported by someone other than a party), else asserted."""
    if denied:
        return "disputed"
    if polarity == "negative":
        return "negated"
    if modality == "planned":
        return "planned"
    if modality == "hypothetical":
        return "hypothetical"
    if attributed_to and attributed_to not in set(parties):
        return "attributed"
    return "asserted"


@dataclass(frozen=True)
class Segment:
    """A run of article text that is content: a headline, paragraph or caption line.

    ``start``/``end`` are character offsets into :attr:`Article.text`, so every sentence found
    inside a segment can be traced back to the text as it was read.
    """

    start: int
    end: int
    kind: SegmentKind = "paragraph"


@dataclass(frozen=True)
class Article:
    """One news article as read from disk or standard input."""

    doc: str
    text: str
    title: str | None = None
    date: str | None = None
    author: str | None = None
    url: str | None = None
    source: str | None = None
    path: str | None = None
    segments: tuple[Segment, ...] = ()
    content_hash: str | None = None
    #: A wire dateline as written ("LONDON, March 22 (Reuters)"): where the story was filed.
    dateline: str | None = None


@dataclass(frozen=True)
class Entity:
    """An entity resolved within one article (all its mentions clustered)."""

    id: str
    label: str
    type: EntityType
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Evidence:
    """Where a relation is stated: the sentence and its character span in the article."""

    sentence: str
    start: int
    end: int


@dataclass(frozen=True)
class RelationRecord:
    """One relation found in (or imported for) one article; the JSONL contract of DESIGN.md.

    ``start``/``end`` are character offsets of ``sentence`` in the article text.
    A denial of a statement ("denied his cabinet was split") may have no object (no named
    claimant) and carries the denied words in ``claim_text``, at ``claim_start``/``claim_end``
    in the article text, so a reader sees what was denied even when it is no relation.
    ``extra_evidence`` holds further sentences stating the very same relation (a caption
    printed twice), so one relation node can rest on several pieces of evidence.
    """

    id: str
    doc: str
    type: str
    subject: str
    subject_id: str
    object: str | None
    object_id: str | None
    polarity: Polarity = "positive"
    modality: Modality = "actual"
    attributed_to: str | None = None
    attributed_to_id: str | None = None
    denies: str | None = None
    denied_by: tuple[str, ...] = ()
    date: str | None = None
    place: str | None = None
    place_id: str | None = None
    sentence: str = ""
    start: int = 0
    end: int = 0
    confidence: float = 1.0
    extra_evidence: tuple[Evidence, ...] = field(default=())
    claim_text: str | None = None
    claim_start: int | None = None
    claim_end: int | None = None

    @property
    def parties(self) -> tuple[str, ...]:
        """Subject and, when there is one, object (labels)."""
        return (self.subject,) if self.object is None else (self.subject, self.object)

    @property
    def status(self) -> Status:
        """How the article states this relation (see :func:`relation_status`)."""
        return relation_status(
            self.polarity,
            self.modality,
            self.attributed_to,
            self.parties,
            bool(self.denied_by),
        )

    @property
    def is_plain_fact(self) -> bool:
        """True when the article asserts the relation itself: the only case for a direct edge.

        A party that states its own act ("her office said she had phoned") still asserts it.
        """
        return (
            self.polarity == "positive"
            and self.modality == "actual"
            and not self.denied_by
            and self.attributed_to in (None, *self.parties)
        )


@dataclass(frozen=True)
class ArticleGraph:
    """Everything known about one article: the unit written to (and replaced in) the store."""

    article: Article
    entities: tuple[Entity, ...]
    relations: tuple[RelationRecord, ...]


__all__ = [
    "ENTITY_TYPES",
    "MODALITIES",
    "POLARITIES",
    "STATUSES",
    "UNNAMED_SOURCE",
    "Article",
    "ArticleGraph",
    "Entity",
    "EntityType",
    "Evidence",
    "Modality",
    "Polarity",
    "RelationRecord",
    "Segment",
    "SegmentKind",
    "Status",
    "relation_status",
]
