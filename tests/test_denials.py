"""Denials of any statement: extraction (kg/extraction/denials.py) and the data model end to end.

Sentences are about fictional people and places. A denial of a statement yields one ``denied``
record per denier, with the denied words as ``claim_text`` and as object the party that made
the claim (when named), else the first other party of the denied words, else none.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers_rdf import write_jsonl
from helpers_relations import extract_text

from kg import iris
from kg.importer import import_records
from kg.model import Article, ArticleGraph, RelationRecord
from kg.rdf.to_rdf import article_quads
from kg.records import relation_from_json, relation_to_json
from kg.store import open_store
from kg.validate import validate_dir
from kg.view.project import load_projection
from kg.view.render import page_data, script_json

KG = iris.KG


def denials(text: str) -> list[RelationRecord]:
    return [r for r in extract_text(text) if r.type == "denied"]


def summary(text: str) -> set[tuple[str, str | None]]:
    return {(r.subject, r.object) for r in denials(text)}


# ---------------------------------------------------------------------------------------------
# extraction: each construction


@pytest.mark.parametrize(
    ("text", "expected", "claim"),
    [
        # a denied clause with no other party: no object
        ("Anna Holt denied her cabinet was split over the budget.",
         {("Anna Holt", None)}, "her cabinet was split over the budget"),
        # the first other named party of the denied clause
        ("Anna Holt denied that Veridia would suggest to Kestland that the treaty had been "
         "forgotten.", {("Anna Holt", "Veridia")}, "Veridia would suggest to Kestland"),
        # a gerund: "deny collecting votes"; coordinated deniers give one record each
        ("Karl Brandt and Piet Varga deny collecting votes fraudulently.",
         {("Karl Brandt", None), ("Piet Varga", None)}, "collecting votes"),
        # a spokesman for X speaks for X
        ("A spokesman for the Veridian Treasury denied the cancellation was linked to the "
         "market turmoil.", {("Veridian Treasury", None)}, "the cancellation was linked"),
        # the noun: "despite denials by X that ..."
        ("This was despite denials by Karl Brandt that Veridia was on the verge of a trade war.",
         {("Karl Brandt", "Veridia")}, "Veridia was on the verge of a trade war"),
        # "X's denial that ..."
        ("Kestland's denial that its troops had crossed the border did not convince Veridia.",
         {("Kestland", None)}, "its troops had crossed the border"),
        # the claimant is named: the accuser or the outlet
        ("Felix Braun rejected accusations by the Green Party that he had misled parliament.",
         {("Felix Braun", "Green Party")}, "accusations by the Green Party"),
        ("Marta Kolar dismissed the Daily Courier's story as nonsense.",
         {("Marta Kolar", "Daily Courier")}, "the Daily Courier's story"),
        # rebut, refute with a claim noun
        ("Anna Holt rebutted claims that she had lied about her expenses.",
         {("Anna Holt", None)}, "claims that she had lied about her expenses"),
        # a relative clause: the antecedent denies
        ("Kestland, which disputes the claim, has asked for talks.",
         {("Kestland", None)}, "the claim"),
        # a headline: "X denies split over Y"
        ("Holt denies split over budget", {("Holt", None)}, "split over budget"),
        # adjectival forms: "said the reports were untrue", "called the story false"
        ("Piet Varga said the reports were untrue.", {("Piet Varga", None)}, "the reports"),
        ("Anna Holt called the Daily Courier's story false.",
         {("Anna Holt", "Daily Courier")}, "the Daily Courier's story"),
        ("Piet Varga insisted that the reports by the Daily Courier were pure fiction.",
         {("Piet Varga", "Daily Courier")}, "the reports by the Daily Courier"),
        # "no truth in"
        ("Anna Holt said there was no truth in the Daily Courier's report.",
         {("Anna Holt", "Daily Courier")}, "the Daily Courier's report"),
        # "pleaded not guilty"
        ("Karl Brandt pleaded not guilty to fraud.", {("Karl Brandt", None)}, "fraud"),
        # parsed as "[X denied Y], his spokesman, said ...": Y said it, X denies it
        ('Karl Brandt denied Piet Varga, his spokesman, said the plans "stink".',
         {("Karl Brandt", "Piet Varga")}, 'said the plans "stink"'),
        # a state of affairs nobody is said to claim: no claimant looked up
        ("Piet Varga said the tax would stay and rejected the threat of a recession.",
         {("Piet Varga", None)}, "the threat of a recession"),
        # "an allegation X rejects" sums up the clause before it: its subject made the claim
        ("Karl Brandt accused Anna Holt of lying to parliament, a claim Anna Holt rejected.",
         {("Anna Holt", "Karl Brandt")}, "Karl Brandt accused Anna Holt of lying"),
        # a hyphen inside a word is no clause break
        ("Anna Holt denied that the firm was selling chips at rock-bottom prices.",
         {("Anna Holt", None)}, "selling chips at rock-bottom prices"),
        # "it" in the denied words: the denier speaking of itself, or (for a person denier)
        # the subject of the clause the denial is joined to
        # ... and the party that refuses to accept the denial holds the claim
        ("The Kestish government refuses to accept Veridia's denials that it was implicated "
         "in the bombing.", {("Veridia", "Kestish government")},
         "it was implicated in the bombing"),
        ("Anna Holt admitted that the Orvik Bank subsidiary had sold bonds but denied that it "
         "was dumping them.", {("Anna Holt", "Orvik Bank")}, "it was dumping them"),
        # passives: the agent denies; with no agent nobody does (see the not-denials)
        ("The report was denied by the Veridian defence ministry.",
         {("Veridian defence ministry", None)}, "The report"),
        ("The claims, which are denied by Karl Brandt, surfaced in May.",
         {("Karl Brandt", None)}, "The claims"),
        # "issued a denial of ..."
        ("Karl Brandt issued a denial of the allegations on Monday.",
         {("Karl Brandt", None)}, "the allegations"),
    ],
)  # fmt: skip
def test_denial_of_a_statement(text: str, expected: set, claim: str) -> None:
    found = denials(text)
    assert {(r.subject, r.object) for r in found} == expected
    for r in found:
        assert r.claim_text is not None and claim in r.claim_text
        assert r.claim_start is not None and r.claim_end is not None
        assert text[r.claim_start : r.claim_end] == r.claim_text
        assert r.polarity == "positive" and r.modality == "actual"
        assert r.attributed_to is None  # the article's own report


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a definite act noun refers back to the act told before: its doer is the other party
        ("Treasury Secretary Jon Marsh has cancelled a trip to Kestland. A spokesman for the "
         "Veridian Treasury denied the cancellation was linked to the market turmoil.",
         {("Veridian Treasury", "Jon Marsh")}),
        # denied words that name no party: the other party of the sentence before, about the
        # denier, in the same paragraph ...
        ("Anna Holt will miss a speech by Karl Brandt at the summit. Anna Holt denied there "
         "was any snub.", {("Anna Holt", "Karl Brandt")}),
        ("Karl Brandt said he would stay. Anna Holt praised Karl Brandt. She denied there was "
         "any rift.", {("Anna Holt", "Karl Brandt")}),
        # ... but not across paragraphs, nor for the denier's own things ("her forecasts")
        ("Anna Holt will miss a speech by Karl Brandt at the summit.\n\nAnna Holt denied "
         "there was any snub.", {("Anna Holt", None)}),
        ("Anna Holt met Karl Brandt in Oslo. Anna Holt denied her forecasts were too "
         "optimistic.", {("Anna Holt", None)}),
        # "Government officials" act as the one government the article named; the denier's
        # own country (by name) is not the other party
        ("The Orvia Government hopes for a deal with Kestland. Government officials were at "
         "pains today to deny that Orvia had set a deadline for Kestland.",
         {("Orvia Government", "Kestland")}),
        # a "when" aside tells when, not whose claim it was
        ("Anna Holt denied wanting to be leader until May, when she told the Daily Courier "
         "she wanted the job.", {("Anna Holt", None)}),
        # "which disputes the claim": the claim last made (a denial is a claim too), not an
        # older reported relation
        ("The Daily Courier reported that Anna Holt met Karl Brandt. The advisers of Piet "
         "Varga have denied that the drought is taking place. Kestland, which disputes the "
         "claim, asked for talks.", {("Piet Varga", None), ("Kestland", "Piet Varga")}),
    ],
)  # fmt: skip
def test_the_other_party_from_the_article(text: str, expected: set) -> None:
    found = denials(text)
    assert {(r.subject, r.object) for r in found} == expected
    assert all(r.modality == "actual" and r.claim_text for r in found)


def test_our_rebuttal_of_a_condition_is_the_speakers_body() -> None:
    # "we" / "our" in a speaker's words is the body named in the speaker's title; the
    # condition the rebuttal answers is what it would deny
    text = (
        "Orvik Bank Corp deputy director Lena Dahl told reporters the talks had failed. \"If "
        "Kestland uses this as proof of fraud, we will present our rebuttal,\" she said."
    )
    (den,) = denials(text)
    assert (den.subject, den.object) == ("Orvik Bank Corp", "Kestland")
    assert den.modality == "hypothetical"
    assert den.claim_text == "Kestland uses this as proof of fraud"


def test_denied_relation_keeps_its_pointer_and_gains_the_claim_text() -> None:
    text = "Piet Varga denied accusing Kestland of using the union as cover."
    recs = extract_text(text)
    (den,) = [r for r in recs if r.type == "denied"]
    assert (den.subject, den.object) == ("Piet Varga", "Kestland")
    claim = {r.id: r for r in recs}[den.denies or ""]
    assert claim.type == "accused" and not claim.is_plain_fact
    assert den.claim_text and den.claim_text.startswith("accusing Kestland")


def test_a_bare_report_is_the_claim_an_earlier_sentence_named() -> None:
    text = (
        "The Daily Courier said the budget of Anna Holt had a hole of two billion. "
        "Piet Varga said there was no truth in the report. Holt dismissed the story too."
    )
    assert summary(text) == {("Piet Varga", "Daily Courier"), ("Anna Holt", "Daily Courier")}


def test_a_planned_denial_by_the_speaker_of_a_relative_clause() -> None:
    text = "A prosecutor ordered charges against Anna Holt, who said she would contest the charges."
    (den,) = denials(text)
    assert (den.subject, den.modality, den.attributed_to) == ("Anna Holt", "planned", None)
    assert den.claim_text == "the charges"


def test_a_reported_denial_is_attributed() -> None:
    (den,) = denials("The Daily Courier reported that Anna Holt denied her cabinet was split.")
    assert den.subject == "Anna Holt" and den.attributed_to == "Daily Courier"


def test_the_speaker_denies_a_joined_clause() -> None:
    # "X said ... and rejected ...": the parser may hang the denial under the reported clause
    text = ("Piet Varga said there would be no change in the policy and rejected the threat "
            "of a recession.")  # fmt: skip
    assert summary(text) == {("Piet Varga", None)}


# ---------------------------------------------------------------------------------------------
# extraction: not denials


@pytest.mark.parametrize(
    "text",
    [
        "Anna Holt declined to comment on the report.",
        "Karl Brandt refused to accept a proposal from Piet Varga.",
        "Karl Brandt rejected a proposal from Piet Varga.",
        "Critics say Anna Holt is in a state of denial about the economy.",
        "Piet Varga said he does not recall meeting Karl Brandt.",
        "Anna Holt admitted that she had misled parliament.",
        "Anna Holt did not deny that she had lied about her expenses.",
        "Veridia denied Karl Brandt a visa.",
        "Karl Brandt was denied entry to Kestland.",
        "Marta Kolar dismissed the minister on Friday.",
        "The claims against three other councillors, which are denied, surfaced in May.",
        "Anna Holt was dismissed by Karl Brandt.",
    ],
)
def test_not_a_denial(text: str) -> None:
    assert denials(text) == []


# ---------------------------------------------------------------------------------------------
# the data model: records, import, RDF, SHACL, IRIs, view


DOC = "holt-denies"
SENTENCE = 'Anna Holt denied her cabinet was "split" <over> the budget & taxes.'
CLAIM = 'her cabinet was "split" <over> the budget & taxes'


def objectless(**kw: object) -> dict:
    start = SENTENCE.index(CLAIM)
    return {
        "doc": DOC, "type": "denied", "subject": "Anna Holt", "object": None,
        "sentence": SENTENCE, "start": 0, "end": len(SENTENCE),
        "claim_text": CLAIM, "claim_start": start, "claim_end": start + len(CLAIM), **kw,
    }  # fmt: skip


def test_record_round_trip_without_object() -> None:
    rec = relation_from_json(objectless())
    assert rec.object is None and rec.object_id is None and rec.claim_text == CLAIM
    again = relation_from_json(json.loads(json.dumps(relation_to_json(rec))))
    assert again == rec
    assert relation_to_json(rec)["claim_text"] == CLAIM


def test_objectless_iri_is_stable_and_told_apart_by_the_claim() -> None:
    a = relation_from_json(objectless())
    assert relation_from_json(objectless()).id == a.id
    b = relation_from_json(objectless(claim_start=0, claim_end=9))
    assert a.id != b.id


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        ({"type": "met"}, "object"),  # only a denial may lack its object
        ({"claim_text": None}, "claim_text"),  # and then it says what it denies
        ({"claim_start": None}, "claim_start"),
    ],
)
def test_objectless_records_that_are_refused(change: dict, needle: str) -> None:
    with pytest.raises(ValueError, match=needle):
        relation_from_json(objectless(**change))


def test_rdf_has_claim_text_and_no_object() -> None:
    rec = relation_from_json(objectless())
    graph = ArticleGraph(Article(doc=DOC, text=SENTENCE), (), (rec,))
    quads = article_quads(graph)
    node = [q for q in quads if q.predicate.value == KG + "claimText"]
    assert len(node) == 1 and node[0].object.value == CLAIM
    own = [q.predicate.value for q in quads if q.subject == node[0].subject]
    assert KG + "object" not in own
    assert not [q for q in quads if q.predicate.value == KG + "denied"]  # no direct edge


def test_import_validate_and_view(tmp_path: Path) -> None:
    with_object = objectless(
        object="Daily Courier", claim_text="the report", claim_start=0, claim_end=4
    )
    src = write_jsonl(tmp_path / "d.jsonl", [objectless(), with_object])
    out = tmp_path / "out"
    report = import_records([src], out)
    assert report.ok, report.failures
    assert validate_dir(out).conforms
    with open_store(out, read_only=True) as store:
        proj = load_projection(store)
    rels = [r for r in proj.relations.values() if r.claim_text == CLAIM]
    assert len(rels) == 1 and rels[0].object is None and rels[0].status == "asserted"
    data = page_data(proj, max_nodes=50, title="t")
    panel = [r for r in data["relations"].values() if r["claim"] == CLAIM]
    assert len(panel) == 1 and panel[0]["object"] is None
    block = script_json(data)
    assert "<over>" not in block and "\\u003cover\\u003e" in block and "& taxes" not in block


def test_shacl_refuses_a_denial_with_nothing_denied(tmp_path: Path) -> None:
    from dataclasses import replace

    from rdflib import Graph

    from kg.validate import validate_graph

    rec = replace(relation_from_json(objectless()), claim_text=None)
    quads = article_quads(ArticleGraph(Article(doc=DOC, text=SENTENCE), (), (rec,)))
    g = Graph()
    for q in quads:
        g.parse(data=f"{q.subject} {q.predicate} {q.object} .", format="nt")
    assert not validate_graph(g).conforms


# ---------------------------------------------------------------------------------------------
# the denial type is found by its lexicon flag, never by name


def test_denial_type_is_the_clause_only_type() -> None:
    from kg.lexicon import denial_type, flagged_types, load_lexicon

    types = load_lexicon().types
    assert denial_type(types) == "denied"
    assert "accused" in flagged_types(types, "speech_act")
    assert denial_type({}) is None


@pytest.mark.parametrize("module", ["relations.py", "context.py", "denials.py"])
def test_no_relation_type_names_in_the_extractor(module: str) -> None:
    import re

    from kg.lexicon import load_lexicon

    source = (Path(__file__).parent.parent / "kg" / "extraction" / module).read_text()
    names = "|".join(sorted(load_lexicon().types))
    assert re.findall(rf'"({names})"', source) == []


def _with_headline(head: str, body: str) -> list[RelationRecord]:
    from kg.extraction.entities import resolve_entities
    from kg.extraction.nlp import load_model, parse_article
    from kg.extraction.relations import extract_relations
    from kg.model import Segment

    text = f"{head}\n\n{body}"
    segments = (Segment(0, len(head), "headline"), Segment(len(head) + 2, len(text), "paragraph"))
    parsed = parse_article(Article(doc="t", text=text, segments=segments), load_model())
    return [r for r in extract_relations(parsed, resolve_entities(parsed)) if r.type == "denied"]


@pytest.mark.parametrize(
    ("head", "body", "expected"),
    [
        # the headline sums up the lead: its denial of the same words takes the lead's object
        ("Holt denies split over budget",
         "Anna Holt has denied her cabinet was split over the budget of Kestland.",
         {("Anna Holt", "Kestland")}),
        # other words denied in the lead: the headline keeps no object
        ("Holt denies split over budget",
         "Anna Holt has denied that Kestland had asked for a loan.",
         {("Anna Holt", None), ("Anna Holt", "Kestland")}),
    ],
)  # fmt: skip
def test_a_headline_denial_is_the_lead_denial(head: str, body: str, expected: set) -> None:
    assert {(r.subject, r.object) for r in _with_headline(head, body)} == expected
