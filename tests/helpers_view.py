"""Test helpers for the view: article graphs (seed-like, hostile) and stores holding them.

``store_from_graphs`` writes quads exactly as docs/DATAMODEL.md describes (one named graph per
article), so the view is tested against the data contract rather than against one writer.
The seed graph is built at run time from ../shared/data/seed/expected.json and the seed
article (read in place, never copied).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg import iris
from kg.lexicon import load_lexicon
from kg.model import UNNAMED_SOURCE, Article, ArticleGraph, Entity, RelationRecord

KG = iris.KG
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
SKOS_ALT = ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel")
SCHEMA = "https://schema.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"
BROWSER_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def _k(local: str) -> ox.NamedNode:
    return ox.NamedNode(KG + local)


def _date(value: str) -> ox.Literal:
    dtype = {10: "date", 7: "gYearMonth", 4: "gYear"}.get(len(value), "date")
    return ox.Literal(value, datatype=ox.NamedNode(XSD + dtype))


def article_quads(ag: ArticleGraph, base: str = iris.DEFAULT_BASE) -> list[ox.Quad]:
    """The quads of one article graph, following docs/DATAMODEL.md."""
    lex = load_lexicon()
    art = ag.article
    g = ox.NamedNode(iris.graph_iri(art.doc, base))
    a = ox.NamedNode(iris.article_iri(art.doc, base))
    quads: list[ox.Quad] = []

    def add(s: ox.NamedNode, p: ox.NamedNode, o: Any) -> None:
        quads.append(ox.Quad(s, p, o, g))

    add(a, RDF_TYPE, ox.NamedNode(SCHEMA + "NewsArticle"))
    add(a, ox.NamedNode("http://purl.org/dc/terms/identifier"), ox.Literal(art.doc))
    if art.title:
        add(a, ox.NamedNode(SCHEMA + "headline"), ox.Literal(art.title))
    if art.date:
        add(a, ox.NamedNode(SCHEMA + "datePublished"), _date(art.date))
    if art.author:
        add(a, ox.NamedNode(SCHEMA + "author"), ox.NamedNode(iris.entity_iri(art.author, base)))
    if art.url:
        add(a, ox.NamedNode(SCHEMA + "url"), ox.Literal(art.url))
    for ent in ag.entities:
        e = ox.NamedNode(ent.id)
        add(e, RDF_TYPE, _k(ent.type))
        add(e, RDFS_LABEL, ox.Literal(ent.label))
        for alias in ent.aliases:
            add(e, SKOS_ALT, ox.Literal(alias))
    for rel in ag.relations:
        rtype = lex.type(rel.type)
        r = ox.NamedNode(rel.id)
        add(r, RDF_TYPE, _k(rtype.class_name))
        add(r, _k("subject"), ox.NamedNode(rel.subject_id))
        add(r, _k("object"), ox.NamedNode(rel.object_id))
        add(r, _k("polarity"), _k(rel.polarity.capitalize()))
        add(r, _k("modality"), _k(rel.modality.capitalize()))
        if rel.attributed_to:
            src = (
                _k("UnnamedSource")
                if rel.attributed_to == UNNAMED_SOURCE
                else ox.NamedNode(rel.attributed_to_id or iris.entity_iri(rel.attributed_to, base))
            )
            add(r, _k("attributedTo"), src)
        if rel.denies:
            add(r, _k("denies"), ox.NamedNode(rel.denies))
        if rel.date:
            add(r, _k("date"), _date(rel.date))
        if rel.place:
            add(r, _k("place"), ox.NamedNode(rel.place_id or iris.entity_iri(rel.place, base)))
        add(
            r,
            _k("confidence"),
            ox.Literal(f"{rel.confidence:.2f}", datatype=ox.NamedNode(XSD + "decimal")),
        )
        evidence = [(rel.sentence, rel.start, rel.end)] + [
            (e.sentence, e.start, e.end) for e in rel.extra_evidence
        ]
        for sentence, start, end in evidence:
            ev = ox.NamedNode(iris.evidence_iri(rel.id, start, end))
            add(r, _k("evidence"), ev)
            add(ev, RDF_TYPE, _k("Evidence"))
            add(ev, _k("sentence"), ox.Literal(sentence))
            add(ev, _k("start"), ox.Literal(str(start), datatype=ox.NamedNode(XSD + "integer")))
            add(ev, _k("end"), ox.Literal(str(end), datatype=ox.NamedNode(XSD + "integer")))
            add(ev, _k("article"), a)
        if rel.is_plain_fact:
            add(ox.NamedNode(rel.subject_id), _k(rtype.property), ox.NamedNode(rel.object_id))
    return quads


def store_from_graphs(graphs: Iterable[ArticleGraph], path: Path | None = None) -> ox.Store:
    """An Oxigraph store (in memory, or on disk at ``path``) holding the given article graphs."""
    store = ox.Store(str(path)) if path is not None else ox.Store()
    for ag in graphs:
        store.extend(article_quads(ag))
    store.flush() if path is not None else None
    return store


# ---------------------------------------------------------------------------------------------
# Pages in the browser

# records CSP violations before any page script runs (init scripts are not subject to CSP)
_WATCH_CSP = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""


@dataclass
class Loaded:
    page: Any
    url: str
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def js(self, script: str, arg: Any = None) -> Any:
        return self.page.evaluate(script, arg)

    def check_clean(self) -> None:
        """No request but the file, no dialog, no page error, no CSP violation."""
        assert self.requests == [self.url], f"unexpected requests: {self.requests}"
        assert self.dialogs == [], f"a dialog was opened: {self.dialogs}"
        assert self.errors == [], f"page errors: {self.errors}"
        assert self.js("() => window.__csp") == []


def open_page(browser: Any, path: Path) -> Loaded:
    """Open ``path`` in a 1400x900 page that records every request, dialog, error and CSP
    violation, and wait for the view to be drawn."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    loaded = Loaded(page=page, url=path.resolve().as_uri())

    def route(r: Any) -> None:
        loaded.requests.append(r.request.url)
        if r.request.url == loaded.url:
            r.continue_()
        else:
            r.abort()

    page.route("**/*", route)
    page.on("dialog", lambda d: (loaded.dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: loaded.errors.append(str(e)))
    page.add_init_script(_WATCH_CSP)
    page.goto(loaded.url)
    page.wait_for_function("() => window.newskgView && window.newskgView.frozen", timeout=30_000)
    return loaded


# ---------------------------------------------------------------------------------------------
# Graphs


def _rel(
    doc: str, rtype: str, subject: str, obj: str, text: str, sentence: str, **kw: Any
) -> RelationRecord:
    start = max(text.find(sentence), 0)
    end = start + len(sentence)
    sid, oid = iris.entity_iri(subject), iris.entity_iri(obj)
    rid = iris.relation_iri(
        doc,
        rtype,
        sid,
        oid,
        start,
        end,
        qualifier=f"{kw.get('polarity', 'positive')}|{kw.get('modality', 'actual')}",
    )
    if kw.get("place"):
        kw.setdefault("place_id", iris.entity_iri(kw["place"]))
    return RelationRecord(
        id=rid,
        doc=doc,
        type=rtype,
        subject=subject,
        subject_id=sid,
        object=obj,
        object_id=oid,
        sentence=sentence,
        start=start,
        end=end,
        **kw,
    )


def seed_graph(seed_dir: Path) -> ArticleGraph:
    """The seed article's graph as expected.json describes it (denials wired to their claims).

    As issue 5 puts it, the reported Trump–Putin call is denied by the Kremlin and by Dmitry
    Peskov: a denial whose claim type has no relation here (Peskov's "warned") is attached to
    the reported relation between the same parties.
    """
    expected = json.loads((seed_dir / "expected.json").read_text(encoding="utf-8"))
    text = (seed_dir / "seed-article.txt").read_text(encoding="utf-8")
    doc = expected["doc"]
    headline = next(line.strip() for line in text.splitlines() if line.strip())
    entities = tuple(
        Entity(
            id=iris.entity_iri(name),
            label=name,
            type=info["type"],
            aliases=tuple(info.get("aliases", ())),
        )
        for name, info in sorted(expected["entities"].items())
    )
    plain: list[RelationRecord] = []
    denials: list[tuple[dict[str, Any], RelationRecord]] = []
    for item in expected["relations"]:
        rec = _rel(
            doc,
            item["type"],
            item["subject"],
            item["object"],
            text,
            item["sentence"],
            polarity=item["polarity"],
            modality=item["modality"],
            attributed_to=item["attributed_to"],
            date=item["date"],
            place=item["place"],
        )
        (denials.append((item["claim"], rec)) if "claim" in item else plain.append(rec))

    def claim_of(claim: dict[str, Any]) -> RelationRecord | None:
        parties = {claim["subject"], claim["object"]}
        same = [r for r in plain if r.type == claim["type"] and {r.subject, r.object} == parties]
        reported = [
            r
            for r in plain
            if {r.subject, r.object} == parties and r.attributed_to and r.modality == "actual"
        ]
        found = sorted(
            same or reported,
            key=lambda r: (r.polarity != "positive", r.modality != "actual", not r.attributed_to),
        )
        return found[0] if found else None

    denied_by: dict[str, list[str]] = {}
    out: list[RelationRecord] = []
    for claim, rec in denials:
        target = claim_of(claim)
        if target is not None:
            rec = RelationRecord(**{**rec.__dict__, "denies": target.id})
            denied_by.setdefault(target.id, []).append(rec.subject)
        out.append(rec)
    for rec in plain:
        if rec.id in denied_by:
            rec = RelationRecord(**{**rec.__dict__, "denied_by": tuple(denied_by[rec.id])})
        out.append(rec)
    article = Article(
        doc=doc,
        text="",
        title=headline,
        date=expected["date_published"],
        author=expected["author"],
        url="https://example.org/news/seed-article",
    )
    return ArticleGraph(article=article, entities=entities, relations=tuple(out))


HOSTILE_NAME = '<script>window.pwned=1</script>"Eve'
HOSTILE_IMG = '<img src=x onerror="window.pwned=2;alert(2)">Mallory'
HOSTILE_SENTENCE = (
    "</script><script>window.pwned=3;alert(3)</script> "
    + HOSTILE_NAME
    + " met "
    + HOSTILE_IMG
    + " in 'Quote' \"City\" & <b>bold</b> \u2028 -->"
)
HOSTILE_HEADLINE = "</script><img src=x onerror=alert(4)> \"Headline\" & 'more'"


def hostile_graph() -> ArticleGraph:
    """An article whose names, sentence, headline and URL try to inject script."""
    doc = "hostile</script>"
    entities = (
        Entity(
            id=iris.entity_iri(HOSTILE_NAME),
            label=HOSTILE_NAME,
            type="Person",
            aliases=("<svg onload=alert(5)>",),
        ),
        Entity(id=iris.entity_iri(HOSTILE_IMG), label=HOSTILE_IMG, type="Organization"),
    )
    rel = _rel(doc, "met", HOSTILE_NAME, HOSTILE_IMG, HOSTILE_SENTENCE, HOSTILE_SENTENCE)
    article = Article(
        doc=doc,
        text="",
        title=HOSTILE_HEADLINE,
        date="2024-01-02",
        author='"><script>alert(6)</script>',
        url="javascript:alert(7)",
    )
    return ArticleGraph(article=article, entities=entities, relations=(rel,))


def small_graph() -> ArticleGraph:
    """A few relations of several types and statuses, from dev-style sentences."""
    doc = "dev-sample"
    s1 = "Veridian President Marta Kolar met Chancellor Felix Braun in Vienna on Tuesday."
    s2 = "Prime Minister Ilona Varga spoke by phone with President Tomas Reyes on Friday."
    s3 = "Kolar said she would meet Varga next month."
    s4 = "Braun backed Reyes, according to Radio Sol."
    text = " ".join((s1, s2, s3, s4))
    people = ("Marta Kolar", "Felix Braun", "Ilona Varga", "Tomas Reyes")
    entities = (
        *(
            Entity(id=iris.entity_iri(p), label=p, type="Person", aliases=(p.split()[-1],))
            for p in people
        ),
        Entity(id=iris.entity_iri("Radio Sol"), label="Radio Sol", type="Organization"),
        Entity(id=iris.entity_iri("Vienna"), label="Vienna", type="GeopoliticalEntity"),
    )
    rels = (
        _rel(doc, "met", "Marta Kolar", "Felix Braun", text, s1, place="Vienna", date="2025-03-04"),
        _rel(doc, "called", "Ilona Varga", "Tomas Reyes", text, s2),
        _rel(
            doc,
            "met",
            "Marta Kolar",
            "Ilona Varga",
            text,
            s3,
            modality="planned",
            attributed_to="Marta Kolar",
        ),
        _rel(doc, "supported", "Felix Braun", "Tomas Reyes", text, s4, attributed_to="Radio Sol"),
    )
    article = Article(
        doc=doc,
        text="",
        title="Dev sample",
        date="2025-03-07",
        author="Desk",
        url="https://example.org/dev-sample",
    )
    return ArticleGraph(article=article, entities=entities, relations=rels)


def synthetic_projection(n_entities: int, *, seed: int = 1, rel_per_entity: float = 1.5) -> Any:
    """A random but reproducible projection of ``n_entities`` (benchmarks, large-graph tests).

    Preferential attachment gives a few hubs and a long tail, like news graphs.
    """
    import random

    from kg.view.project import ArticleInfo, EntityInfo, EvidenceInfo, RelationInfo, assemble

    rng = random.Random(seed)
    kinds = ("Person",) * 5 + ("Organization",) * 2 + ("GeopoliticalEntity", "Location", "Group")
    types = ("met", "called", "supported", "urged", "visited", "denied")
    ents = [
        EntityInfo(
            id=f"urn:x:e{i}", label=f"Entity {i}", type=rng.choice(kinds), aliases=(f"E{i}",)
        )
        for i in range(n_entities)
    ]
    n_articles = max(1, n_entities // 20)
    arts = [
        ArticleInfo(
            id=f"urn:x:a{i}",
            doc=f"a{i}",
            headline=f"Article {i}",
            date=f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}",
            author="Desk",
            url=f"https://example.org/a{i}",
        )
        for i in range(n_articles)
    ]
    rels: list[RelationInfo] = []
    targets: list[int] = [0]
    for i in range(int(n_entities * rel_per_entity)):
        a = i % n_entities if i < n_entities else rng.randrange(n_entities)
        b = rng.choice(targets)
        if a == b:
            b = (a + 1) % n_entities
        targets += [a, b]
        rtype = rng.choice(types)
        sentence = f"Entity {a} {rtype} Entity {b} on the record, officials said."
        roll = rng.random()
        rels.append(
            RelationInfo(
                id=f"urn:x:r{i}",
                type=rtype,
                subject=f"urn:x:e{a}",
                object=f"urn:x:e{b}",
                polarity="negative" if roll < 0.05 else "positive",
                modality="planned" if 0.05 <= roll < 0.12 else "actual",
                attributed_to=f"urn:x:e{rng.randrange(n_entities)}" if roll > 0.8 else None,
                denies=(f"urn:x:r{rng.randrange(i)}",) if rtype == "denied" and i else (),
                evidence=(
                    EvidenceInfo(
                        sentence=sentence,
                        start=0,
                        end=len(sentence),
                        article=f"urn:x:a{i % n_articles}",
                    ),
                ),
            )
        )
    return assemble(ents, rels, arts, symmetric_types=("met", "called"))


def synthetic_graphs(
    n_entities: int, *, seed: int = 1, per_article: int = 30
) -> list[ArticleGraph]:
    """Article graphs over ``n_entities`` named entities (for ``kg import`` of large graphs).

    The same shape as :func:`synthetic_projection`: preferential attachment, 1.5 relations
    per entity, a few negated, planned, attributed and denied; a denial denies an earlier
    relation of its article, so the status counts of the view and the report can be compared.
    Every entity takes part in a relation, and each article adds two entities named in no
    relation (the view lists them apart).
    """
    import random

    rng = random.Random(seed)
    kinds = ("Person",) * 5 + ("Organization",) * 2 + ("GeopoliticalEntity", "Location", "Group")
    types = ("met", "called", "supported", "urged", "visited", "denied")
    names = [f"Entity {i}" for i in range(n_entities)]
    kind = {name: rng.choice(kinds) for name in names}
    pairs: list[tuple[int, int, str]] = []
    targets: list[int] = [0]
    for i in range(int(n_entities * 1.5)):
        a = i if i < n_entities else rng.randrange(n_entities)
        b = rng.choice(targets)
        if a == b:
            b = (a + 1) % n_entities
        targets += [a, b]
        pairs.append((a, b, rng.choice(types)))
    graphs: list[ArticleGraph] = []
    for k in range(0, len(pairs), per_article):
        doc = f"synthetic-{k // per_article:05d}"
        chunk = pairs[k : k + per_article]
        sentences = [
            f"Entity {a} {t} Entity {b} on the record, officials said." for a, b, t in chunk
        ]
        text = " ".join(sentences)
        rels: list[RelationRecord] = []
        for (a, b, rtype), sentence in zip(chunk, sentences, strict=True):
            roll = rng.random()
            kw: dict[str, Any] = {
                "polarity": "negative" if roll < 0.05 else "positive",
                "modality": "planned" if 0.05 <= roll < 0.12 else "actual",
            }
            if roll > 0.85:
                kw["attributed_to"] = names[rng.randrange(n_entities)]
            rec = _rel(doc, rtype, names[a], names[b], text, sentence, **kw)
            if rtype == "denied" and rels:
                rec = RelationRecord(**{**rec.__dict__, "denies": rels[-1].id})
            rels.append(rec)
        deniers: dict[str, list[str]] = {}
        for r in rels:
            if r.denies:
                deniers.setdefault(r.denies, []).append(r.subject)
        rels = [
            RelationRecord(**{**r.__dict__, "denied_by": tuple(deniers[r.id])})
            if r.id in deniers
            else r
            for r in rels
        ]
        used = sorted({n for r in rels for n in (r.subject, r.object) if n})
        lone = [f"Bystander {k // per_article}-{x}" for x in range(2)]
        entities = tuple(
            Entity(id=iris.entity_iri(n), label=n, type=kind.get(n, "Person"))  # type: ignore[arg-type]
            for n in used + lone
        )
        article = Article(
            doc=doc,
            text="",
            title=f"Synthetic article {k // per_article}",
            date=f"2024-{1 + (k // per_article) % 12:02d}-{1 + (k // per_article) % 28:02d}",
            author="Desk Writer",
            url=f"https://example.org/{doc}",
        )
        graphs.append(ArticleGraph(article=article, entities=entities, relations=tuple(rels)))
    return graphs


def write_records(graphs: Iterable[ArticleGraph], path: Path) -> Path:
    """The JSONL records of ``graphs`` (the format of relations.jsonl and ``kg import``)."""
    from kg.builder import graph_lines

    with path.open("w", encoding="utf-8") as fh:
        for g in graphs:
            for line in graph_lines(g):
                fh.write(line + "\n")
    return path
