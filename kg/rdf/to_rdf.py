"""Typed objects -> quads: one named graph per article, exactly as docs/DATAMODEL.md says.

Pure functions from :class:`kg.model.ArticleGraph` to a sorted list of pyoxigraph quads. Every
IRI comes from :mod:`kg.iris` (or is an ontology term); every piece of article text becomes a
literal. Parties, sources and places that a relation names but the entity list lacks are
minted here (``Group`` / ``Location``), so the graph always passes the SHACL shapes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Triple, serialize

from kg import iris
from kg.lexicon import Lexicon, load_lexicon
from kg.model import UNNAMED_SOURCE, ArticleGraph, Entity, EntityType, RelationRecord
from kg.rdf.terms import (
    DCTERMS,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    date_literal,
    decimal,
    integer,
    is_safe_data_iri,
    kg,
    text,
    typed,
)

_TYPE = NamedNode(RDF + "type")
_LABEL = NamedNode(RDFS + "label")
_ALT = NamedNode(SKOS + "altLabel")
_POLARITY = {"positive": kg("Positive"), "negative": kg("Negative")}
_MODALITY = {"actual": kg("Actual"), "planned": kg("Planned"), "hypothetical": kg("Hypothetical")}
_UNNAMED_KEY = iris.normalise_name(UNNAMED_SOURCE)


class EntityIndex:
    """The entities of one article keyed by IRI, resolvable by record id, label or alias.

    Entity IRIs are re-minted from the canonical label (``iris.entity_iri``) so that one name
    keeps one IRI across articles whatever ids the records carried.
    """

    def __init__(self, entities: Iterable[Entity], base: str) -> None:
        self.base = base
        self._by_iri: dict[str, Entity] = {}
        self._by_name: dict[str, str] = {}
        self._by_id: dict[str, str] = {}
        for ent in entities:
            self._add(ent, given_id=ent.id)

    def _add(self, ent: Entity, given_id: str | None = None) -> str:
        uri = iris.entity_iri(ent.label, self.base)
        known = self._by_iri.get(uri)
        if known is None:
            self._by_iri[uri] = replace(ent, id=uri)
        else:
            extra = tuple(a for a in ent.aliases if a not in known.aliases and a != known.label)
            if extra:
                self._by_iri[uri] = replace(known, aliases=known.aliases + extra)
        if given_id:
            self._by_id.setdefault(given_id, uri)
        for name in (ent.label, *ent.aliases):
            self._by_name.setdefault(iris.normalise_name(name), uri)
        return uri

    def find(self, name: str, given_id: str | None = None) -> str | None:
        """The IRI of a known entity with this record id, label or alias, else None."""
        if given_id and given_id in self._by_id:
            return self._by_id[given_id]
        return self._by_name.get(iris.normalise_name(name))

    def resolve(self, name: str, given_id: str | None, default_type: EntityType) -> str:
        """The IRI of ``name``, minting a new entity of ``default_type`` when it is unknown."""
        found = self.find(name, given_id)
        if found is not None:
            return found
        return self._add(Entity(id="", label=name, type=default_type), given_id=given_id)

    @property
    def entities(self) -> tuple[Entity, ...]:
        """All entities (declared and minted), sorted by IRI."""
        return tuple(self._by_iri[k] for k in sorted(self._by_iri))


def is_unnamed(source: str | None) -> bool:
    """True for the attribution "unnamed reports" ("it was reported", no named source)."""
    return source is not None and iris.normalise_name(source) == _UNNAMED_KEY


def index_entities(graph: ArticleGraph, base: str) -> EntityIndex:
    """Entities of the article plus every party, source, place, author and publisher it names."""
    index = EntityIndex(graph.entities, base)
    for rel in graph.relations:
        index.resolve(rel.subject, rel.subject_id, "Group")
        if rel.object is not None:
            index.resolve(rel.object, rel.object_id, "Group")
        if rel.attributed_to and not is_unnamed(rel.attributed_to):
            index.resolve(rel.attributed_to, rel.attributed_to_id, "Group")
        if rel.place:
            index.resolve(rel.place, rel.place_id, "Location")
    art = graph.article
    if art.author and art.author.strip():
        index.resolve(art.author, None, "Person")
    if art.source and art.source.strip():
        index.resolve(art.source, None, "Organization")
    return index


def complete_entities(graph: ArticleGraph, base: str = iris.DEFAULT_BASE) -> tuple[Entity, ...]:
    """The article's entities with ids minted by :mod:`kg.iris` and every named party added."""
    return index_entities(graph, base).entities


@dataclass(frozen=True)
class MergedRelation:
    """Records that share an id: one relation node with all their evidence."""

    iri: str
    record: RelationRecord
    evidence: tuple[tuple[int, int, str], ...]
    denied_by: tuple[str, ...]


def relation_node_iri(rec: RelationRecord, subject: str, obj: str | None, base: str) -> str:
    """Keep a record id that is a plain relation IRI under ``base``; mint one otherwise."""
    if is_safe_data_iri(rec.id, base + "relation/"):
        return rec.id
    claim = None
    if obj is None:
        claim = (
            (rec.claim_start, rec.claim_end)
            if rec.claim_start is not None and rec.claim_end is not None
            else (rec.start, rec.end)
        )
    return iris.relation_iri(
        rec.doc, rec.type, subject, obj, rec.start, rec.end, base,
        qualifier=f"{rec.polarity}|{rec.modality}|{rec.attributed_to or ''}|{rec.id}",
        claim=claim,
    )


def merge_relations(
    relations: Sequence[RelationRecord], index: EntityIndex, base: str
) -> list[MergedRelation]:
    """Group records by id (first record gives the attributes); evidence is their union."""
    groups: dict[str, list[RelationRecord]] = {}
    for rec in relations:
        groups.setdefault(rec.id, []).append(rec)
    merged = []
    for recs in groups.values():
        first = recs[0]
        subject = index.resolve(first.subject, first.subject_id, "Group")
        obj = (
            None
            if first.object is None
            else index.resolve(first.object, first.object_id, "Group")
        )
        evidence: set[tuple[int, int, str]] = set()
        denied_by: list[str] = []
        for rec in recs:
            evidence.add((rec.start, rec.end, rec.sentence))
            evidence.update((e.start, e.end, e.sentence) for e in rec.extra_evidence)
            denied_by.extend(d for d in rec.denied_by if d not in denied_by)
        merged.append(
            MergedRelation(
                iri=relation_node_iri(first, subject, obj, base),
                record=first,
                evidence=tuple(sorted(evidence)),
                denied_by=tuple(denied_by),
            )
        )
    return merged


def _article_quads(graph: ArticleGraph, index: EntityIndex, g: NamedNode, base: str) -> list[Quad]:
    art = graph.article
    node = NamedNode(iris.article_iri(art.doc, base))
    out = [
        Quad(node, _TYPE, NamedNode(SCHEMA + "NewsArticle"), g),
        Quad(node, NamedNode(DCTERMS + "identifier"), text(art.doc), g),
    ]
    if art.title:
        out.append(Quad(node, NamedNode(SCHEMA + "headline"), text(art.title), g))
    if art.date:
        lit = date_literal(art.date, allow_datetime=True)
        if lit is not None:
            out.append(Quad(node, NamedNode(SCHEMA + "datePublished"), lit, g))
    if art.dateline:
        out.append(Quad(node, NamedNode(SCHEMA + "dateline"), text(art.dateline), g))
    if art.author and art.author.strip():
        author = index.resolve(art.author, None, "Person")
        out.append(Quad(node, NamedNode(SCHEMA + "author"), NamedNode(author), g))
    if art.url:
        out.append(Quad(node, NamedNode(SCHEMA + "url"), typed(art.url, "anyURI"), g))
    if art.source and art.source.strip():
        publisher = index.resolve(art.source, None, "Organization")
        out.append(Quad(node, NamedNode(SCHEMA + "publisher"), NamedNode(publisher), g))
    if art.content_hash:
        out.append(Quad(node, kg("contentHash"), text(art.content_hash), g))
    return out


def _entity_quads(entities: Iterable[Entity], g: NamedNode) -> list[Quad]:
    out = []
    for ent in entities:
        node = NamedNode(ent.id)
        out.append(Quad(node, _TYPE, kg(ent.type), g))
        out.append(Quad(node, _LABEL, text(ent.label), g))
        for alias in ent.aliases:
            if alias != ent.label:
                out.append(Quad(node, _ALT, text(alias), g))
    return out


def _relation_quads(
    m: MergedRelation,
    index: EntityIndex,
    ids: dict[str, str],
    denied: set[str],
    lexicon: Lexicon,
    article: NamedNode,
    g: NamedNode,
) -> list[Quad]:
    rec = m.record
    rtype = lexicon.type(rec.type)
    node = NamedNode(m.iri)
    subject = NamedNode(index.resolve(rec.subject, rec.subject_id, "Group"))
    obj = (
        None
        if rec.object is None
        else NamedNode(index.resolve(rec.object, rec.object_id, "Group"))
    )
    out = [
        Quad(node, _TYPE, kg(rtype.class_name), g),
        Quad(node, kg("subject"), subject, g),
        Quad(node, kg("polarity"), _POLARITY[rec.polarity], g),
        Quad(node, kg("modality"), _MODALITY[rec.modality], g),
        Quad(node, kg("confidence"), decimal(rec.confidence), g),
    ]
    if obj is not None:
        out.append(Quad(node, kg("object"), obj, g))
    if rec.claim_text:
        out.append(Quad(node, kg("claimText"), text(rec.claim_text), g))
    if rec.attributed_to:
        source = (
            kg("UnnamedSource")
            if is_unnamed(rec.attributed_to)
            else NamedNode(index.resolve(rec.attributed_to, rec.attributed_to_id, "Group"))
        )
        out.append(Quad(node, kg("attributedTo"), source, g))
    if rec.denies and rec.denies in ids:
        out.append(Quad(node, kg("denies"), NamedNode(ids[rec.denies]), g))
    if rec.date:
        lit: Literal | None = date_literal(rec.date)
        if lit is not None:
            out.append(Quad(node, kg("date"), lit, g))
    if rec.place:
        place = index.resolve(rec.place, rec.place_id, "Location")
        out.append(Quad(node, kg("place"), NamedNode(place), g))
    for start, end, sentence in m.evidence:
        ev = NamedNode(iris.evidence_iri(m.iri, start, end))
        out += [
            Quad(node, kg("evidence"), ev, g),
            Quad(ev, _TYPE, kg("Evidence"), g),
            Quad(ev, kg("sentence"), text(sentence), g),
            Quad(ev, kg("start"), integer(start), g),
            Quad(ev, kg("end"), integer(end), g),
            Quad(ev, kg("article"), article, g),
        ]
    # RelationRecord.is_plain_fact, with the source resolved like the parties: a party that
    # states its own act under another of its names ("Zelensky" for Volodymyr Zelenskyy)
    # still asserts it.
    source_iri = (
        None
        if not rec.attributed_to or is_unnamed(rec.attributed_to)
        else index.resolve(rec.attributed_to, rec.attributed_to_id, "Group")
    )
    as_stated = replace(rec, denied_by=m.denied_by)
    if source_iri is not None and source_iri in (subject.value, obj and obj.value):
        as_stated = replace(as_stated, attributed_to=None)
    plain = as_stated.is_plain_fact and rec.id not in denied
    if plain and obj is not None:
        out.append(Quad(subject, kg(rtype.property), obj, g))
    return out


def article_quads(
    graph: ArticleGraph, base: str = iris.DEFAULT_BASE, lexicon: Lexicon | None = None
) -> list[Quad]:
    """All quads of one article, in its named graph, sorted and without duplicates.

    Raises :class:`kg.errors.KGError` for a relation type the lexicon does not know.
    """
    lex = lexicon or load_lexicon()
    g = NamedNode(iris.graph_iri(graph.article.doc, base))
    index = index_entities(graph, base)
    merged = merge_relations(graph.relations, index, base)
    ids = {m.record.id: m.iri for m in merged}
    denied = {rec.denies for rec in graph.relations if rec.denies}
    article = NamedNode(iris.article_iri(graph.article.doc, base))
    quads = _article_quads(graph, index, g, base)
    for m in merged:
        quads += _relation_quads(m, index, ids, denied, lex, article, g)
    quads += _entity_quads(index.entities, g)
    return sorted(set(quads), key=str)


def article_ntriples(
    graph: ArticleGraph, base: str = iris.DEFAULT_BASE, lexicon: Lexicon | None = None
) -> bytes:
    """The quads of :func:`article_quads` as N-Triples (the graph term dropped), sorted lines.

    Bytes pickle for almost nothing and Oxigraph loads them in Rust, so a build worker sends
    these to the process that writes the store instead of Python objects. Every line ends with
    ``" .\\n"`` and no literal holds a raw newline (the serializer escapes it).
    """
    quads = article_quads(graph, base, lexicon)
    triples = [Triple(q.subject, q.predicate, q.object) for q in quads]
    return serialize(triples, format=RdfFormat.N_TRIPLES) or b""


__all__ = [
    "EntityIndex",
    "MergedRelation",
    "article_ntriples",
    "article_quads",
    "complete_entities",
    "index_entities",
    "is_unnamed",
    "merge_relations",
    "relation_node_iri",
]
