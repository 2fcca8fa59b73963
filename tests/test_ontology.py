"""ontology/newskg.ttl and shapes.ttl: parse everywhere, every term documented, terms we write
are declared, and standard vocabularies are spelled one way."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import rdflib
from conftest import RAPPER, requires_rapper
from rdflib.namespace import OWL, RDF, RDFS

from kg import iris
from kg.model import ENTITY_TYPES, Article, ArticleGraph, RelationRecord
from kg.rdf.to_rdf import article_quads
from kg.validate import ONTOLOGY_PATH, SHAPES_PATH

KG = rdflib.Namespace(iris.KG)
SCHEMA = rdflib.Namespace("http://schema.org/")


@pytest.fixture(scope="module")
def onto() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY_PATH, format="turtle")


def declared(onto: rdflib.Graph) -> set[rdflib.URIRef]:
    return {s for s in onto.subjects(RDF.type, None)
            if isinstance(s, rdflib.URIRef) and str(s).startswith(iris.KG)}


@requires_rapper
@pytest.mark.parametrize("path", [ONTOLOGY_PATH, SHAPES_PATH])
def test_turtle_parses_with_rapper(path: Path) -> None:
    done = subprocess.run([str(RAPPER), "-i", "turtle", "-c", str(path)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "returned" in done.stderr


def test_every_term_has_label_and_comment(onto: rdflib.Graph) -> None:
    terms = declared(onto)
    assert len(terms) > 40
    missing = [str(t) for t in sorted(terms)
               if onto.value(t, RDFS.label) is None or onto.value(t, RDFS.comment) is None]
    assert missing == []


def test_data_model_terms_and_alignments(onto: rdflib.Graph) -> None:
    for name in ENTITY_TYPES:
        assert (KG[name], RDF.type, OWL.Class) in onto
        assert (KG[name], RDFS.subClassOf, KG.Entity) in onto
    assert (KG.Person, OWL.equivalentClass, SCHEMA.Person) in onto
    assert (KG.Organization, OWL.equivalentClass, SCHEMA.Organization) in onto
    assert (KG.Location, RDFS.subClassOf, SCHEMA.Place) in onto
    assert (KG.attributedTo, RDFS.subPropertyOf,
            rdflib.URIRef("http://www.w3.org/ns/prov#wasAttributedTo")) in onto
    nif = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
    assert (KG.sentence, RDFS.subPropertyOf, rdflib.URIRef(nif + "anchorOf")) in onto
    assert (KG.start, RDFS.subPropertyOf, rdflib.URIRef(nif + "beginIndex")) in onto
    assert (KG.end, RDFS.subPropertyOf, rdflib.URIRef(nif + "endIndex")) in onto
    assert (KG.article, RDFS.subPropertyOf,
            rdflib.URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")) in onto
    for ind, cls in [("Positive", "Polarity"), ("Negative", "Polarity"), ("Actual", "Modality"),
                     ("Planned", "Modality"), ("Hypothetical", "Modality"),
                     ("UnnamedSource", "Group")]:
        assert (KG[ind], RDF.type, KG[cls]) in onto


@pytest.mark.parametrize("path", [ONTOLOGY_PATH, SHAPES_PATH])
def test_schema_org_is_spelled_http(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert "https://schema.org" not in text


def test_every_kg_term_we_write_is_declared(onto: rdflib.Graph) -> None:
    from kg.lexicon import load_lexicon

    relations = tuple(
        RelationRecord(id=f"{iris.DEFAULT_BASE}relation/{name}", doc="d", type=name,
                       subject="A", subject_id="", object="B", object_id="",
                       attributed_to="unnamed reports" if i % 2 else None, place="P",
                       date="2020", sentence="s", start=0, end=1,
                       denies=f"{iris.DEFAULT_BASE}relation/met" if name == "denied" else None)
        for i, name in enumerate(load_lexicon().types)
    )
    art = Article(doc="d", text="", title="t", date="2020-01-01", author="W", source="P",
                  url="https://example.org/", content_hash="sha256:0")
    used = set()
    for q in article_quads(ArticleGraph(art, (), relations)):
        used.add(str(q.predicate.value))
        if q.predicate.value.endswith("#type") or str(q.object).startswith(f"<{iris.KG}"):
            used.add(str(q.object.value))
    names = {str(t) for t in declared(onto)}
    assert {u for u in used if u.startswith(iris.KG)} - names == set()
