"""Project the RDF graph onto a small typed graph for the view: entities, relations, edges.

The view does not draw RDF: it draws entities and, between them, *edge groups* (parallel
relations of one type and one status merged, with a count). Each relation keeps all its
evidence (sentences, spans, article metadata) and its status, derived from the data model:

- ``disputed``: some ``kg:Denial`` ``kg:denies`` it;
- ``negated``: ``kg:polarity kg:Negative``;
- ``planned`` / ``hypothetical``: from ``kg:modality``;
- ``attributed``: ``kg:attributedTo`` is set and is not one of its parties;
- ``asserted``: everything else (what the article states as fact).

Reading the store is a handful of generic SPARQL queries over ``GRAPH ?g`` (so it works on an
embedded store, a union-default store or a remote endpoint alike); the rest is pure Python on
frozen dataclasses, so filters, ranking and layout are testable without a store.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Protocol

from kg.errors import UsageError
from kg.iris import KG, normalise_name
from kg.model import ENTITY_TYPES, STATUSES, Status, relation_status

if TYPE_CHECKING:
    import networkx as nx

#: ``kg:attributedTo kg:UnnamedSource`` ("it was reported").
UNNAMED_SOURCE_IRI = KG + "UnnamedSource"
UNNAMED_SOURCE_LABEL = "unnamed reports"

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_SKOS_ALT = "http://www.w3.org/2004/02/skos/core#altLabel"
_SCHEMA_NS = ("https://schema.org/", "http://schema.org/")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


class SparqlSource(Protocol):
    """Anything with ``query(sparql)`` returning pyoxigraph solutions (GraphStore, Store)."""

    def query(self, sparql: str) -> Any: ...


@dataclass(frozen=True)
class ArticleInfo:
    """Metadata of one article (``schema:NewsArticle``) shown next to its evidence."""

    id: str
    doc: str | None = None
    headline: str | None = None
    date: str | None = None
    author: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class EvidenceInfo:
    """One sentence stating a relation; ``marks`` are the parties' names inside ``sentence``.

    ``marks`` are (start, end) offsets in UTF-16 code units, the unit JavaScript strings use,
    so the page can cut the sentence into text nodes without re-searching it.
    """

    sentence: str
    start: int
    end: int
    article: str | None = None
    marks: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class EntityInfo:
    """One entity node: canonical label, type, aliases, and its centrality in the projection."""

    id: str
    label: str
    type: str
    aliases: tuple[str, ...] = ()
    degree: int = 0
    centrality: float = 0.0


@dataclass(frozen=True)
class RelationInfo:
    """One relation node of the graph with everything the side panel shows."""

    id: str
    type: str
    subject: str
    object: str | None
    polarity: str = "positive"
    modality: str = "actual"
    attributed_to: str | None = None
    denies: tuple[str, ...] = ()
    denied_by: tuple[str, ...] = ()
    date: str | None = None
    place: str | None = None
    confidence: float | None = None
    evidence: tuple[EvidenceInfo, ...] = ()
    status: Status = "asserted"
    #: what a denial denies, in the article's words (kg:claimText)
    claim_text: str | None = None

    @property
    def parties(self) -> tuple[str, ...]:
        """Subject and, when there is one, object."""
        return (self.subject,) if self.object is None else (self.subject, self.object)

    @property
    def articles(self) -> tuple[str, ...]:
        return tuple(sorted({e.article for e in self.evidence if e.article}))


@dataclass(frozen=True)
class EdgeGroup:
    """Parallel relations of one type and status between two entities, drawn as one edge.

    A denial is drawn from the denier to each party of the claim it denies, so the denier is
    visibly linked to the disputed edge.
    """

    id: str
    source: str
    target: str
    type: str
    status: Status
    relations: tuple[str, ...]
    directed: bool = True

    @property
    def count(self) -> int:
        return len(self.relations)


@dataclass(frozen=True)
class Projection:
    """The whole view model: entities, relations, articles and the edges between entities."""

    entities: Mapping[str, EntityInfo]
    relations: Mapping[str, RelationInfo]
    articles: Mapping[str, ArticleInfo]
    edges: tuple[EdgeGroup, ...]
    symmetric_types: frozenset[str] = field(default_factory=frozenset)

    def ranked(self) -> list[str]:
        """Entity ids, most central first (ties by label then id, so the order is stable)."""
        return sorted(
            self.entities,
            key=lambda e: (
                -self.entities[e].centrality,
                -self.entities[e].degree,
                self.entities[e].label,
                e,
            ),
        )

    def to_networkx(self) -> nx.MultiDiGraph:
        """The projection as a networkx multigraph (one edge per edge group, data attached)."""
        import networkx as nx

        g = nx.MultiDiGraph()
        for eid in sorted(self.entities):
            ent = self.entities[eid]
            g.add_node(eid, label=ent.label, type=ent.type, aliases=ent.aliases)
        for edge in self.edges:
            g.add_edge(
                edge.source,
                edge.target,
                key=edge.id,
                type=edge.type,
                status=edge.status,
                relations=edge.relations,
                count=edge.count,
            )
        return g


@dataclass(frozen=True)
class GraphCounts:
    """The figures every summary of a graph shows (build summary, report.json, ``kg import``,
    the view's legend), counted one way.

    An *entity* is an entity node that takes part in at least one relation: its subject, its
    object, or (for a denial of a relation) the denier. Authors, places and sources named only
    as metadata of an article or relation are not counted. A *relation* is a relation node
    (one per sentence that states it); its status is decided over the whole graph
    (:func:`kg.model.relation_status`: a relation denied anywhere is disputed).
    """

    entities: int
    relations: int
    by_type: Mapping[str, int]
    by_status: Mapping[str, int]

    def to_json(self) -> dict[str, Any]:
        return {
            "entities": self.entities,
            "relations": {
                "total": self.relations,
                "by_type": dict(sorted(self.by_type.items())),
                "by_status": {s: self.by_status.get(s, 0) for s in STATUSES},
            },
        }


def graph_counts(proj: Projection) -> GraphCounts:
    """Entities with a relation, and relations by type and by status (see GraphCounts)."""
    by_type: Counter[str] = Counter(r.type for r in proj.relations.values())
    by_status: Counter[str] = Counter(r.status for r in proj.relations.values())
    return GraphCounts(
        entities=sum(1 for e in proj.entities.values() if e.degree > 0),
        relations=len(proj.relations),
        by_type=dict(sorted(by_type.items())),
        by_status={s: by_status.get(s, 0) for s in STATUSES},
    )


def count_graph(store: SparqlSource) -> GraphCounts:
    """:func:`graph_counts` of everything in ``store`` (read without the sentences)."""
    return graph_counts(load_projection(store, evidence=False))


# ---------------------------------------------------------------------------------------------
# Pure helpers


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _utf16(text: str, index: int) -> int:
    return len(text[:index].encode("utf-16-le")) // 2


def highlight_spans(sentence: str, names: Iterable[str]) -> tuple[tuple[int, int], ...]:
    """Where the given names occur in ``sentence`` (whole words, case-insensitive).

    Longer names win over the shorter names they contain ("Vladimir Putin" over "Putin");
    offsets are UTF-16 code units for the page.
    """
    found: list[tuple[int, int]] = []
    lowered = sentence.casefold()
    # casefold can change lengths (ß -> ss); search only where it does not
    if len(lowered) != len(sentence):
        lowered = sentence.lower() if len(sentence.lower()) == len(sentence) else sentence
    for name in sorted({n.strip() for n in names if n and n.strip()}, key=lambda n: (-len(n), n)):
        needle = name.casefold()
        pos = lowered.find(needle)
        while pos >= 0:
            s, e = pos, pos + len(needle)
            pos = lowered.find(needle, pos + 1)
            if (s > 0 and _is_word(lowered[s - 1])) or (e < len(lowered) and _is_word(lowered[e])):
                continue
            if any(s < fe and fs < e for fs, fe in found):
                continue
            found.append((s, e))
    return tuple((_utf16(sentence, s), _utf16(sentence, e)) for s, e in sorted(found))


def _date_range(value: str) -> tuple[str, str] | None:
    """The first and last day an ISO date, year-month or year covers."""
    m = _DATE.match(value.strip())
    if not m:
        return None
    year, month, day = m.group(1), m.group(2), m.group(3)
    if day:
        d = f"{year}-{month}-{day}"
        return d, d
    if month:
        return f"{year}-{month}-01", f"{year}-{month}-31"
    return f"{year}-01-01", f"{year}-12-31"


def check_date(value: str | None, option: str) -> str | None:
    """Validate a ``--since``/``--until`` value (YYYY, YYYY-MM or YYYY-MM-DD)."""
    if value is None:
        return None
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value.strip()):
        raise UsageError(f"{option} {value!r} is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD)")
    return value.strip()


def relation_date(rel: RelationInfo, articles: Mapping[str, ArticleInfo]) -> str | None:
    """The date a relation is filed under: its own ``kg:date``, else its article's date."""
    if rel.date:
        return rel.date
    dates = sorted(d for d in (articles[a].date for a in rel.articles if a in articles) if d)
    return dates[0] if dates else None


def in_date_range(date: str | None, since: str | None, until: str | None) -> bool:
    """True when a (possibly partial) date overlaps [since, until]; undated fails any bound."""
    if since is None and until is None:
        return True
    rng = _date_range(date) if date else None
    if rng is None:
        return False
    if since is not None:
        lo = _date_range(since)
        if lo is not None and rng[1] < lo[0]:
            return False
    if until is not None:
        hi = _date_range(until)
        if hi is not None and rng[0] > hi[1]:
            return False
    return True


# ---------------------------------------------------------------------------------------------
# Assembly: relations -> edge groups, centrality


def assemble(
    entities: Iterable[EntityInfo],
    relations: Iterable[RelationInfo],
    articles: Iterable[ArticleInfo] = (),
    symmetric_types: Iterable[str] = (),
) -> Projection:
    """Build a projection from entity and relation infos: statuses, marks, edges, centrality.

    Relation ``status`` and evidence ``marks`` are (re)computed here, so callers (the store
    reader, tests, benchmarks) only supply the data-model facts.
    """
    ents = {e.id: e for e in entities}
    arts = {a.id: a for a in articles}
    rels = {r.id: r for r in relations}
    symmetric = frozenset(symmetric_types)
    # entities referenced by relations but not typed in the store still get a node
    for r in rels.values():
        for party in r.parties:
            if party not in ents:
                ents[party] = EntityInfo(id=party, label=_local_name(party), type="Entity")
    denied_by: dict[str, set[str]] = defaultdict(set)
    for r in rels.values():
        for target in r.denies:
            denied_by[target].add(r.id)
    finished: dict[str, RelationInfo] = {}
    for rid, r in rels.items():
        parties = r.parties
        names: list[str] = []
        for p in parties:
            names.append(ents[p].label)
            names.extend(ents[p].aliases)
        evidence = tuple(
            replace(ev, marks=highlight_spans(ev.sentence, names)) for ev in r.evidence
        )
        deniers = tuple(sorted(denied_by.get(rid, set()) | set(r.denied_by)))
        status = relation_status(r.polarity, r.modality, r.attributed_to, parties, bool(deniers))
        finished[rid] = replace(r, evidence=evidence, denied_by=deniers, status=status)
    edges = _edge_groups(finished, symmetric)
    ents = _with_centrality(ents, edges)
    return Projection(
        entities=dict(sorted(ents.items())),
        relations=dict(sorted(finished.items())),
        articles=dict(sorted(arts.items())),
        edges=edges,
        symmetric_types=symmetric,
    )


def _local_name(iri: str) -> str:
    return re.split(r"[/#]", iri.rstrip("/#"))[-1] or iri


def _edge_groups(
    rels: Mapping[str, RelationInfo], symmetric: frozenset[str]
) -> tuple[EdgeGroup, ...]:
    groups: dict[tuple[str, str, str, str], list[str]] = defaultdict(list)
    for rid, r in rels.items():
        ends: list[tuple[str, str]]
        targets = [rels[t] for t in r.denies if t in rels]
        if targets:
            parties = sorted({p for t in targets for p in t.parties} - {r.subject})
            ends = [(r.subject, p) for p in parties] or [(r.subject, r.object or r.subject)]
        else:
            # a denial of a statement that names no other party: a loop on the denier
            ends = [(r.subject, r.object or r.subject)]
        for src, dst in ends:
            if r.type in symmetric and dst < src:
                src, dst = dst, src
            groups[(src, dst, r.type, r.status)].append(rid)
    out = []
    for n, key in enumerate(sorted(groups)):
        src, dst, rtype, status = key
        st: Status = status  # type: ignore[assignment]
        out.append(
            EdgeGroup(
                id=f"e{n}",
                source=src,
                target=dst,
                type=rtype,
                status=st,
                relations=tuple(sorted(groups[key])),
                directed=rtype not in symmetric,
            )
        )
    return tuple(out)


def _with_centrality(
    ents: Mapping[str, EntityInfo], edges: Sequence[EdgeGroup]
) -> dict[str, EntityInfo]:
    """Degree (relations touching the entity) and normalised degree centrality of neighbours."""
    import networkx as nx

    g = nx.Graph()
    g.add_nodes_from(sorted(ents))
    degree: Counter[str] = Counter()
    for e in edges:
        if e.source != e.target:
            g.add_edge(e.source, e.target)
        degree[e.source] += e.count
        degree[e.target] += e.count
    cent = nx.degree_centrality(g) if len(g) > 1 else {n: 0.0 for n in g}
    return {
        eid: replace(ent, degree=degree[eid], centrality=round(float(cent.get(eid, 0.0)), 6))
        for eid, ent in ents.items()
    }


# ---------------------------------------------------------------------------------------------
# Filters


def find_entity(proj: Projection, name: str) -> str:
    """The id of the entity called ``name`` (label or alias, case-insensitive), else UsageError."""
    want = normalise_name(name)
    exact = [
        e
        for e in proj.entities.values()
        if want in {normalise_name(n) for n in (e.label, *e.aliases)} or e.id == name
    ]
    if not exact:
        exact = [
            e
            for e in proj.entities.values()
            if any(want in normalise_name(n) for n in (e.label, *e.aliases))
        ]
    if not exact:
        import difflib

        close = difflib.get_close_matches(name, sorted(e.label for e in proj.entities.values()), 3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise UsageError(f"--entity {name!r}: no entity has this name or alias{hint}")
    best = max(exact, key=lambda e: (e.degree, -len(e.label), e.label))
    return best.id


def filter_projection(
    proj: Projection,
    *,
    entity: str | None = None,
    hops: int = 1,
    types: Sequence[str] = (),
    entity_types: Sequence[str] = (),
    since: str | None = None,
    until: str | None = None,
) -> Projection:
    """Keep the relations of the given types and dates, around ``entity`` within ``hops``.

    Denials of kept relations stay even when ``denied`` is not among ``types``, so a disputed
    claim keeps its denier. Entities without kept relations are dropped once any filter is set.
    """
    since = check_date(since, "--since")
    until = check_date(until, "--until")
    if hops < 0:
        raise UsageError("--hops must be 0 or more")
    if not (entity or types or entity_types or since or until):
        return proj
    type_set = set(types)
    known = {r.type for r in proj.relations.values()}
    unknown = sorted(type_set - known)
    if unknown and not (type_set & known):
        raise UsageError(
            f"--type {', '.join(unknown)}: no relation of this type in the graph "
            f"(types present: {', '.join(sorted(known)) or 'none'})"
        )
    ent_types = set(entity_types)
    keep: dict[str, RelationInfo] = {}
    for rid, r in proj.relations.items():
        if type_set and r.type not in type_set and r.type != "denied":
            continue
        if not in_date_range(relation_date(r, proj.articles), since, until):
            continue
        if ent_types and not all(proj.entities[p].type in ent_types for p in r.parties):
            continue
        keep[rid] = r
    if type_set and "denied" not in type_set:
        keep = {
            rid: r
            for rid, r in keep.items()
            if r.type != "denied" or any(t in keep for t in r.denies)
        }
    sub = _subset(proj, keep, None)
    if entity is not None:
        center = find_entity(proj, entity)
        g = sub.to_networkx().to_undirected(as_view=True)
        if center not in g:
            g = proj.to_networkx().subgraph([center]).to_undirected(as_view=True)
        import networkx as nx

        near = set(nx.single_source_shortest_path_length(g, center, cutoff=hops))
        keep = {rid: r for rid, r in keep.items() if all(p in near for p in r.parties)}
        sub = _subset(proj, keep, near)
    return sub


def _subset(
    proj: Projection, keep: Mapping[str, RelationInfo], nodes: set[str] | None
) -> Projection:
    ids = set(nodes or ())
    for r in keep.values():
        ids.update(r.parties)
    arts = {a for r in keep.values() for a in r.articles}
    raw = [replace(r, denied_by=tuple(d for d in r.denied_by if d in keep)) for r in keep.values()]
    # statuses come from the full graph: a claim filtered away from its denial stays disputed
    status = {r.id: r.status for r in keep.values()}
    sub = assemble(
        [proj.entities[e] for e in sorted(ids) if e in proj.entities],
        raw,
        [proj.articles[a] for a in sorted(arts) if a in proj.articles],
        proj.symmetric_types,
    )
    rels = {rid: replace(r, status=status[rid]) for rid, r in sub.relations.items()}
    return replace(sub, relations=rels, edges=_edge_groups(rels, proj.symmetric_types))


# ---------------------------------------------------------------------------------------------
# Reading the store


def _prefixes() -> str:
    return (
        f"PREFIX kg: <{KG}>\n"
        f"PREFIX rdf: <{_RDF_TYPE[:-4]}>\n"
        f"PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        f"PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
    )


def _value(term: Any) -> str:
    return str(term.value)


def _rows(store: SparqlSource, sparql: str, names: Sequence[str]) -> list[tuple[str | None, ...]]:
    out: list[tuple[str | None, ...]] = []
    for sol in store.query(_prefixes() + sparql):
        row = []
        for n in names:
            term = sol[n]
            row.append(None if term is None else _value(term))
        out.append(tuple(row))
    return out


def _lexicon_maps() -> tuple[dict[str, str], dict[str, str], frozenset[str]]:
    from kg.lexicon import load_lexicon

    lex = load_lexicon()
    by_class = {KG + t.class_name: name for name, t in lex.types.items()}
    by_prop = {KG + t.property: name for name, t in lex.types.items()}
    symmetric = frozenset(name for name, t in lex.types.items() if t.symmetric)
    return by_class, by_prop, symmetric


def _first(values: Iterable[str | None]) -> str | None:
    vals = sorted(v for v in values if v)
    return vals[0] if vals else None


def load_projection(store: SparqlSource, *, evidence: bool = True) -> Projection:
    """Read every article graph of ``store`` into a :class:`Projection` (no filters).

    ``evidence=False`` leaves out sentences and article metadata (what counting needs is the
    relations and their parties: far less memory on a large graph).
    """
    by_class, _by_prop, symmetric = _lexicon_maps()
    entity_classes = {KG + t: t for t in ENTITY_TYPES}

    # entities: type, label, aliases (union over article graphs)
    types: dict[str, Counter[str]] = defaultdict(Counter)
    labels: dict[str, Counter[str]] = defaultdict(Counter)
    aliases: dict[str, set[str]] = defaultdict(set)
    for e, p, v in _entity_rows(store, entity_classes):
        assert e is not None and v is not None
        if p == _RDF_TYPE and v in entity_classes:
            types[e][entity_classes[v]] += 1
        elif p == _RDFS_LABEL:
            labels[e][v] += 1
        elif p == _SKOS_ALT:
            aliases[e].add(v)

    # relations: every property of every node with a kg:subject
    props: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for r, p, v in _rows(
        store,
        "SELECT DISTINCT ?r ?p ?v WHERE { GRAPH ?g { ?r kg:subject ?s . ?r ?p ?v } }",
        ("r", "p", "v"),
    ):
        assert r is not None and p is not None and v is not None
        props[r][p].append(v)
    sentences: dict[str, set[tuple[str, int, int, str | None]]] = defaultdict(set)
    evidence_rows = (
        _rows(
            store,
            "SELECT DISTINCT ?r ?sent ?start ?end ?art WHERE { GRAPH ?g { ?r kg:evidence ?ev . "
            "?ev kg:sentence ?sent . OPTIONAL { ?ev kg:start ?start } OPTIONAL { ?ev kg:end ?end } "
            "OPTIONAL { ?ev kg:article ?art } } }",
            ("r", "sent", "start", "end", "art"),
        )
        if evidence
        else []
    )
    for r, sent, start, end, art in evidence_rows:
        assert r is not None and sent is not None
        sentences[r].add((sent, _int(start), _int(end), art))

    # articles: every property of every schema:NewsArticle
    art_props: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for a, p, v in _rows(
        store,
        "SELECT DISTINCT ?a ?p ?v WHERE { GRAPH ?g { ?a a ?c . ?a ?p ?v } "
        "VALUES ?c { <https://schema.org/NewsArticle> <http://schema.org/NewsArticle> } }",
        ("a", "p", "v"),
    ):
        assert a is not None and p is not None and v is not None
        local = p
        for ns in (*_SCHEMA_NS, "http://purl.org/dc/terms/"):
            if p.startswith(ns):
                local = p[len(ns) :]
        art_props[a][local].append(v)

    entities: list[EntityInfo] = []
    for eid in sorted(set(types) | set(labels)):
        label_counts = labels.get(eid)
        label = (
            max(label_counts, key=lambda x: (label_counts[x], -len(x), x))
            if label_counts
            else _local_name(eid)
        )
        tcount = types.get(eid, Counter())
        etype = (
            max(tcount, key=lambda t: (tcount[t], -ENTITY_TYPES.index(t)))
            if tcount
            else "Entity"
        )
        alias = tuple(
            sorted(a for a in aliases.get(eid, set()) | set(label_counts or ()) if a != label)
        )
        entities.append(EntityInfo(id=eid, label=label, type=etype, aliases=alias))
    ent_label = {e.id: e.label for e in entities}

    def author_label(values: list[str]) -> str | None:
        names = [ent_label.get(v) or _local_name(v) for v in values]
        return ", ".join(sorted(set(names))) or None

    articles = [
        ArticleInfo(
            id=a,
            doc=_first(ps.get("identifier", [])),
            headline=_first(ps.get("headline", [])) or _first(ps.get("name", [])),
            date=_first(ps.get("datePublished", [])),
            author=author_label(ps.get("author", [])),
            url=_first(ps.get("url", [])),
        )
        for a, ps in sorted(art_props.items())
    ]

    # authors are article metadata: an entity only when a relation touches them
    authors = {v for ps in art_props.values() for v in ps.get("author", [])}
    relations: list[RelationInfo] = []
    for rid, ps in sorted(props.items()):
        rtype = next((by_class[c] for c in sorted(ps.get(_RDF_TYPE, [])) if c in by_class), None)
        if rtype is None:
            cls = next((c for c in sorted(ps.get(_RDF_TYPE, [])) if c.startswith(KG)), None)
            if cls is None or cls == KG + "Relation":
                continue
            rtype = _local_name(cls).lower()
        subject = _first(ps.get(KG + "subject", []))
        obj = _first(ps.get(KG + "object", []))
        claim = _first(ps.get(KG + "claimText", []))
        if subject is None or (obj is None and claim is None and KG + "denies" not in ps):
            continue
        conf = _first(ps.get(KG + "confidence", []))
        relations.append(
            RelationInfo(
                id=rid,
                type=rtype,
                subject=subject,
                object=obj,
                polarity="negative"
                if KG + "Negative" in ps.get(KG + "polarity", [])
                else "positive",
                modality=_modality(ps.get(KG + "modality", [])),
                attributed_to=_first(ps.get(KG + "attributedTo", [])),
                denies=tuple(sorted(set(ps.get(KG + "denies", [])))),
                date=_first(ps.get(KG + "date", [])),
                place=_first(ps.get(KG + "place", [])),
                confidence=_float(conf),
                claim_text=claim,
                evidence=tuple(
                    EvidenceInfo(sentence=s, start=st, end=en, article=art)
                    for s, st, en, art in sorted(
                        sentences.get(rid, set()), key=lambda x: (x[3] or "", x[1], x[2], x[0])
                    )
                ),
            )
        )
    parties = {p for r in relations for p in r.parties}
    entities = [e for e in entities if e.id not in authors or e.id in parties]
    return assemble(entities, relations, articles, symmetric)


def _entity_rows(
    store: SparqlSource, entity_classes: Mapping[str, str]
) -> list[tuple[str | None, ...]]:
    classes = " ".join(f"<{c}>" for c in sorted(entity_classes))
    return _rows(
        store,
        "SELECT DISTINCT ?e ?p ?v WHERE { GRAPH ?g { ?e a ?t . ?e ?p ?v } "
        f"VALUES ?t {{ {classes} }} "
        "VALUES ?p { rdf:type rdfs:label skos:altLabel } }",
        ("e", "p", "v"),
    )


def _int(value: str | None) -> int:
    try:
        return int(value) if value is not None else 0
    except ValueError:
        return 0


def _float(value: str | None) -> float | None:
    try:
        f = float(value) if value is not None else None
    except ValueError:
        return None
    return f if f is not None and math.isfinite(f) else None


def _modality(values: Sequence[str]) -> str:
    for m in ("hypothetical", "planned"):
        if KG + m.capitalize() in values:
            return m
    return "actual"


def label_of(proj: Projection, iri: str | None) -> str | None:
    """Display name of an entity IRI (or ``kg:UnnamedSource``)."""
    if iri is None:
        return None
    if iri == UNNAMED_SOURCE_IRI:
        return UNNAMED_SOURCE_LABEL
    ent = proj.entities.get(iri)
    return ent.label if ent else _local_name(iri)


__all__ = [
    "STATUSES",
    "UNNAMED_SOURCE_IRI",
    "ArticleInfo",
    "EdgeGroup",
    "EntityInfo",
    "EvidenceInfo",
    "GraphCounts",
    "Projection",
    "RelationInfo",
    "SparqlSource",
    "Status",
    "assemble",
    "check_date",
    "count_graph",
    "filter_projection",
    "find_entity",
    "graph_counts",
    "highlight_spans",
    "in_date_range",
    "label_of",
    "load_projection",
    "relation_date",
    "relation_status",
]
