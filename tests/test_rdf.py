"""kg.rdf.to_rdf: typed objects -> quads, exactly as docs/DATAMODEL.md (no store needed)."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg import iris
from kg.errors import KGError
from kg.model import Article, ArticleGraph, Entity, Evidence, RelationRecord
from kg.rdf.terms import clean_text, date_datatype, decimal
from kg.rdf.to_rdf import article_quads, complete_entities

KG = iris.KG
BASE = iris.DEFAULT_BASE
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"

# Dev-style sentences written for this project (not from the seed article).
S_MET = "Kolar and Braun met in Lisbon on 3 March 2021."
S_CALL = "According to the Daily Ledger, Kolar phoned Braun."
S_DENY = "Braun's office denied that any call took place."


def rel(rid: str, rtype: str, subject: str, obj: str, **kw: object) -> RelationRecord:
    fields: dict[str, object] = {
        "id": f"{BASE}relation/{rid}",
        "doc": "doc-a",
        "type": rtype,
        "subject": subject,
        "subject_id": iris.entity_iri(subject),
        "object": obj,
        "object_id": iris.entity_iri(obj),
        "sentence": S_MET,
        "start": 0,
        "end": len(S_MET),
    }
    fields.update(kw)
    return RelationRecord(**fields)  # type: ignore[arg-type]


def sample_graph() -> ArticleGraph:
    article = Article(
        doc="doc-a",
        text="",
        title="Kolar and Braun meet",
        date="2021-03-04T10:00:00Z",
        author="Ann Writer",
        url="https://example.org/a?x=1&y=<2>",
        source="Daily Ledger",
        content_hash="sha256:abc",
    )
    entities = (
        Entity(iris.entity_iri("Ana Kolar"), "Ana Kolar", "Person", ("Kolar", "Mrs Kolar")),
        Entity(iris.entity_iri("Jonas Braun"), "Jonas Braun", "Person", ("Braun",)),
    )
    call_end = 100 + len(S_CALL)
    relations = (
        rel("met1", "met", "Ana Kolar", "Jonas Braun", place="Lisbon", date="2021-03"),
        # the same relation stated again in a caption: merged into one node, two evidences
        rel("met1", "met", "Ana Kolar", "Jonas Braun", start=500, end=500 + len(S_MET)),
        rel("call1", "called", "Ana Kolar", "Jonas Braun", attributed_to="Daily Ledger",
            sentence=S_CALL, start=100, end=call_end, denied_by=("Jonas Braun",),
            confidence=0.825),
        rel("deny1", "denied", "Jonas Braun", "Ana Kolar", denies=f"{BASE}relation/call1",
            sentence=S_DENY, start=200, end=200 + len(S_DENY)),
        rel("plan1", "met", "Kolar", "Braun", modality="planned", start=300, end=340),
        rel("rep1", "supported", "Jonas Braun", "Ana Kolar", attributed_to="unnamed reports",
            start=400, end=440),
        rel("self1", "supported", "Ana Kolar", "Jonas Braun", attributed_to="Ana Kolar",
            start=600, end=640, date="2020"),
        # stated by its subject under an alias: still asserted
        rel("self2", "criticized", "Ana Kolar", "Jonas Braun", attributed_to="Mrs Kolar",
            start=700, end=740),
    )
    return ArticleGraph(article=article, entities=entities, relations=relations)


@pytest.fixture(scope="module")
def dataset() -> ox.Store:
    """The sample article's quads in an in-memory store (for quads_for_pattern)."""
    store = ox.Store()
    store.extend(article_quads(sample_graph(), BASE))
    return store


def values(ds: ox.Store, s: str | None, p: str) -> list[str]:
    subj = ox.NamedNode(s) if s else None
    return sorted(str(q.object.value) for q in ds.quads_for_pattern(subj, ox.NamedNode(p), None))


def edges(ds: ox.Store, prop: str) -> list[tuple[str, str]]:
    return sorted(
        (str(q.subject.value).rsplit("/", 1)[-1], str(q.object.value).rsplit("/", 1)[-1])
        for q in ds.quads_for_pattern(None, ox.NamedNode(KG + prop), None)
    )


def test_one_named_graph_per_article(dataset: ox.Store) -> None:
    graphs = {str(q.graph_name.value) for q in dataset}
    assert graphs == {iris.graph_iri("doc-a")}


def test_direct_edge_only_for_plain_facts(dataset: ox.Store) -> None:
    # met1 is plain; plan1 is planned; call1 is attributed and denied; rep1 is an unnamed
    # report; self1 is stated by its own subject, which still asserts it.
    assert edges(dataset, "met") == [("ana-kolar", "jonas-braun")]
    assert edges(dataset, "called") == []
    assert edges(dataset, "supported") == [("ana-kolar", "jonas-braun")]
    assert edges(dataset, "denied") == [("jonas-braun", "ana-kolar")]
    assert edges(dataset, "criticized") == [("ana-kolar", "jonas-braun")]


def test_relation_node_attributes(dataset: ox.Store) -> None:
    call = f"{BASE}relation/call1"
    assert values(dataset, call, RDF_TYPE) == [KG + "Call"]
    assert values(dataset, call, KG + "polarity") == [KG + "Positive"]
    assert values(dataset, call, KG + "modality") == [KG + "Actual"]
    assert values(dataset, call, KG + "attributedTo") == [iris.entity_iri("Daily Ledger")]
    assert values(dataset, call, KG + "confidence") == ["0.825"]
    deny = f"{BASE}relation/deny1"
    assert values(dataset, deny, KG + "denies") == [call]
    assert values(dataset, f"{BASE}relation/rep1", KG + "attributedTo") == [KG + "UnnamedSource"]
    # no kg:deniedBy triple: query ^kg:denies
    assert not list(dataset.quads_for_pattern(None, ox.NamedNode(KG + "deniedBy"), None))


def test_place_and_dates_are_typed(dataset: ox.Store) -> None:
    met = ox.NamedNode(f"{BASE}relation/met1")
    (date,) = [q.object for q in dataset.quads_for_pattern(met, ox.NamedNode(KG + "date"), None)]
    assert isinstance(date, ox.Literal) and date.datatype.value == XSD + "gYearMonth"
    (year,) = [
        q.object
        for q in dataset.quads_for_pattern(
            ox.NamedNode(f"{BASE}relation/self1"), ox.NamedNode(KG + "date"), None
        )
    ]
    assert isinstance(year, ox.Literal) and year.datatype.value == XSD + "gYear"
    lisbon = iris.entity_iri("Lisbon")
    assert values(dataset, str(met.value), KG + "place") == [lisbon]
    assert values(dataset, lisbon, RDF_TYPE) == [KG + "Location"]
    art = iris.article_iri("doc-a")
    (published,) = [
        q.object
        for q in dataset.quads_for_pattern(
            ox.NamedNode(art), ox.NamedNode("http://schema.org/datePublished"), None
        )
    ]
    assert isinstance(published, ox.Literal) and published.datatype.value == XSD + "dateTime"


def test_records_sharing_an_id_merge_with_all_evidence(dataset: ox.Store) -> None:
    met = f"{BASE}relation/met1"
    evidence = values(dataset, met, KG + "evidence")
    assert evidence == sorted([iris.evidence_iri(met, 0, len(S_MET)),
                               iris.evidence_iri(met, 500, 500 + len(S_MET))])
    for ev in evidence:
        assert values(dataset, ev, RDF_TYPE) == [KG + "Evidence"]
        assert values(dataset, ev, KG + "sentence") == [S_MET]
        assert values(dataset, ev, KG + "article") == [iris.article_iri("doc-a")]
    assert not any(isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode)
                   for q in dataset)


def test_entities_resolved_by_alias_and_minted_when_unknown(dataset: ox.Store) -> None:
    kolar = iris.entity_iri("Ana Kolar")
    # "Kolar" in plan1 is an alias of Ana Kolar: no second entity
    assert values(dataset, f"{BASE}relation/plan1", KG + "subject") == [kolar]
    assert values(dataset, kolar, LABEL) == ["Ana Kolar"]
    assert values(dataset, kolar, "http://www.w3.org/2004/02/skos/core#altLabel") == [
        "Kolar", "Mrs Kolar"]
    assert not list(dataset.quads_for_pattern(ox.NamedNode(iris.entity_iri("Kolar")), None, None))
    ledger = iris.entity_iri("Daily Ledger")
    # the publisher and the source are one entity; the publisher type came later
    assert values(dataset, ledger, RDF_TYPE) == [KG + "Group"]
    assert values(dataset, iris.entity_iri("Ann Writer"), RDF_TYPE) == [KG + "Person"]
    names = [e.label for e in complete_entities(sample_graph())]
    assert sorted(names) == ["Ana Kolar", "Ann Writer", "Daily Ledger", "Jonas Braun", "Lisbon"]


def test_article_metadata(dataset: ox.Store) -> None:
    art = iris.article_iri("doc-a")
    assert values(dataset, art, RDF_TYPE) == ["http://schema.org/NewsArticle"]
    assert values(dataset, art, "http://schema.org/headline") == ["Kolar and Braun meet"]
    assert values(dataset, art, "http://purl.org/dc/terms/identifier") == ["doc-a"]
    assert values(dataset, art, "http://schema.org/url") == ["https://example.org/a?x=1&y=<2>"]
    assert values(dataset, art, "http://schema.org/author") == [iris.entity_iri("Ann Writer")]
    assert values(dataset, art, KG + "contentHash") == ["sha256:abc"]


def test_deterministic_and_base_dependent() -> None:
    a = ox.serialize(article_quads(sample_graph(), BASE), format=ox.RdfFormat.N_QUADS)
    b = ox.serialize(article_quads(sample_graph(), BASE), format=ox.RdfFormat.N_QUADS)
    assert a == b
    other = article_quads(sample_graph(), "https://example.org/news/")
    subjects = {str(q.subject.value) for q in other}
    assert all(not s.startswith(BASE) for s in subjects)
    # ids minted under the default base are re-minted under the new one
    assert any(s.startswith("https://example.org/news/relation/met-") for s in subjects)


def test_unknown_relation_type_is_an_error() -> None:
    graph = ArticleGraph(Article(doc="d", text=""), (), (rel("x", "teleported", "A", "B"),))
    with pytest.raises(KGError, match="teleported"):
        article_quads(graph)


def test_hostile_record_ids_are_not_used_as_iris() -> None:
    bad = rel("x", "met", "A", "B")
    bad = RelationRecord(**{**bad.__dict__, "id": 'javascript:alert("x")> <evil'})
    (node,) = {q.subject for q in article_quads(ArticleGraph(Article(doc="d", text=""), (), (bad,)))
               if q.predicate.value == RDF_TYPE and q.object.value == KG + "Meeting"}
    assert str(node.value).startswith(f"{BASE}relation/met-")


@pytest.mark.parametrize(
    ("value", "dtype"),
    [("2018-07-16", "date"), ("2018-07", "gYearMonth"), ("2018", "gYear"),
     ("2018-02-30", None), ("2018-13", None), ("July 2018", None), ("", None),
     ("2018-07-16T10:00:00Z", None)],
)
def test_date_datatype(value: str, dtype: str | None) -> None:
    assert date_datatype(value) == dtype


def test_decimal_lexical_form() -> None:
    assert [decimal(x).value for x in (1, 0.0, 0.82, 1e-5, 0.33333)] == [
        "1.0", "0.0", "0.82", "0.0", "0.3333"]


HOSTILE = [
    'Quote " and \' and \\ backslash',
    "<script>alert(1)</script>",
    "a b\tc\nd",
    "🙂🇺🇦 emoji",
    "\u202eRTL override \u05e9\u05dc\u05d5\u05dd مرحبا",
    "x" * 10_000,
    "\x00\x01\x1f control",
    "lone \ud800 surrogate \udfff",
    "} } ; DROP ALL ; INSERT DATA { <a> <b> <c> }",
    "   ",
    "###",
]

names = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(alphabet=st.characters(codec=None, exclude_categories=()), min_size=1, max_size=40),
).filter(lambda s: s.strip() != "")

IRI_OK = re.compile(r"^https://w3id\.org/newskg/id/[a-z]+/[a-z0-9-]+$")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(subject=names, obj=names, source=names, place=names, sentence=names, doc=names)
def test_hostile_names_give_valid_iris_and_literals(
    subject: str, obj: str, source: str, place: str, sentence: str, doc: str
) -> None:
    record = RelationRecord(
        id=f"{subject}>{obj}", doc=doc, type="met", subject=subject, subject_id=subject,
        object=obj, object_id=obj, attributed_to=source, place=place, sentence=sentence,
        start=0, end=len(sentence), extra_evidence=(Evidence(sentence, 5, 9),),
    )
    graph = ArticleGraph(
        Article(doc=doc, text="", title=sentence, author=source, source=place, url=sentence),
        (Entity(id=subject, label=subject, type="Person", aliases=(obj, source)),),
        (record,),
    )
    quads = article_quads(graph, BASE)
    for q in quads:
        for term in (q.subject, q.predicate, q.object, q.graph_name):
            if isinstance(term, ox.NamedNode) and term.value.startswith(BASE):
                tail = term.value.split("-ev-")[0]
                assert IRI_OK.match(tail), term.value
            assert not isinstance(term, ox.BlankNode)
    data = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    assert data is not None
    back = list(ox.parse(data, format=ox.RdfFormat.N_QUADS))
    assert set(back) == set(quads)
    assert data.count(b"\n") == len(quads)
    # text survives as literals (unsafe characters replaced one for one)
    literal_values = {q.object.value for q in quads if isinstance(q.object, ox.Literal)}
    assert clean_text(sentence) in literal_values
    assert clean_text(subject) in literal_values


def test_clean_text_keeps_length_and_safe_text() -> None:
    raw = "a\x00b\ud800c\td\ne 🙂"
    assert clean_text(raw) == "a\ufffdb\ufffdc\td\ne 🙂"
    assert len(clean_text(raw)) == len(raw)
