"""Lexicon types <-> ontology: each type's class and property are declared in newskg.ttl with
the same CAMEO / PLOVER codes, and a malformed lexicon gives a clear error."""

from __future__ import annotations

import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS

from kg import iris
from kg.errors import KGError
from kg.lexicon import load_lexicon, parse_lexicon
from kg.validate import ONTOLOGY_PATH

KG = rdflib.Namespace(iris.KG)
TYPES = sorted(load_lexicon().types.values(), key=lambda t: t.name)


@pytest.fixture(scope="module")
def onto() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY_PATH, format="turtle")


def test_core_types_present() -> None:
    core = {t.name for t in TYPES if t.core}
    assert core == {"met", "called", "denied", "supported"}


@pytest.mark.parametrize("rtype", TYPES, ids=lambda t: t.name)
def test_type_declared_in_ontology(onto: rdflib.Graph, rtype: object) -> None:
    cls, prop = KG[rtype.class_name], KG[rtype.property]  # type: ignore[attr-defined]
    assert (cls, RDF.type, OWL.Class) in onto
    assert (cls, RDFS.subClassOf, KG.Relation) in onto
    assert (prop, RDF.type, OWL.ObjectProperty) in onto
    assert (cls, KG.directProperty, prop) in onto
    assert (prop, KG.relationClass, cls) in onto
    assert ((prop, RDF.type, OWL.SymmetricProperty) in onto) == rtype.symmetric  # type: ignore[attr-defined]
    codes = sorted(str(c) for c in onto.objects(cls, KG.cameoCode))
    assert codes == sorted(rtype.cameo)  # type: ignore[attr-defined]
    plover = [str(p) for p in onto.objects(cls, KG.ploverEvent)]
    assert plover == ([rtype.plover] if rtype.plover else [])  # type: ignore[attr-defined]


def test_codes_are_known_cameo_and_plover() -> None:
    plover_events = {"AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "CONCEDE", "RETREAT",
                     "ACCUSE", "REQUEST", "REJECT", "THREATEN", "PROTEST", "MOBILIZE",
                     "SANCTION", "COERCE", "ASSAULT"}
    for t in TYPES:
        assert all(len(c) == 3 and c.isdigit() for c in t.cameo), t.name
        assert t.plover is None or t.plover in plover_events, t.name


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        ([], "expected a mapping"),
        ({"types": {"x": "oops"}}, "must be a mapping"),
        ({"types": {"x": {"class": "X"}}}, "lacks property"),
        ({"types": {"x": {"class": "X", "property": "x", "label": "x", "comment": "c",
                          "verbs": "meet"}}}, "x.verbs"),
    ],
)
def test_malformed_lexicon(data: object, needle: str) -> None:
    with pytest.raises(KGError, match=needle):
        parse_lexicon(data, source="test.yaml")
