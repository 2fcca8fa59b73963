"""The claims-aware relation extractor, phenomenon by phenomenon, plus the dev and seed scores.

Sentences use fictional names (or the project's dev sentences); the seed article is read from
../shared and never copied. The spaCy model is loaded once per process (kg.extraction.nlp
caches it).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers_relations import extract_cleaned, extract_text, load_dev, names_match, score
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.evaluate import gold_relation
from kg.evaluate import score as kg_score
from kg.model import UNNAMED_SOURCE, RelationRecord

pytestmark = pytest.mark.model

CORE = {"met", "called", "denied", "supported", "visited"}
# (type, subject, object, polarity, modality)
Rel = tuple[str, str, str, str, str]


@pytest.fixture(scope="session", autouse=True)
def _model() -> None:
    from kg.extraction.nlp import load_model

    load_model()


def _find(recs: tuple[RelationRecord, ...], want: Rel) -> RelationRecord | None:
    rtype, subj, obj, pol, mod = want
    for r in recs:
        if r.type != rtype or r.polarity != pol or r.modality != mod:
            continue
        if names_match(r.subject, subj) and names_match(r.object, obj):
            return r
        if (
            rtype in ("met", "called")
            and names_match(r.subject, obj)
            and names_match(r.object, subj)
        ):
            return r
    return None


def _check(
    sentence: str, expected: list[Rel], date: str | None = "2024-11-11"
) -> tuple[RelationRecord, ...]:
    recs = extract_text(sentence, date=date)
    for want in expected:
        assert _find(recs, want) is not None, (
            f"{want} not in {[(r.type, r.subject, r.object, r.polarity, r.modality) for r in recs]}"
        )
    types = {w[0] for w in expected}
    extra = [
        r for r in recs if r.type in (types or CORE) and not any(_find((r,), w) for w in expected)
    ]
    assert not extra, f"unexpected {[(r.type, r.subject, r.object) for r in extra]}"
    return recs


P, N, A, PL, H = "positive", "negative", "actual", "planned", "hypothetical"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Senator Anna Holt met Governor Piet Varga in Oslo on 4 May 2022.",
            [("met", "Anna Holt", "Piet Varga", P, A)],
        ),
        (
            "Anna Holt and Piet Varga held talks in Oslo.",
            [("met", "Anna Holt", "Piet Varga", P, A)],
        ),
        (
            "Anna Holt hosted Piet Varga at the governor's residence.",
            [("met", "Anna Holt", "Piet Varga", P, A)],
        ),
        ("Anna Holt phoned Piet Varga on Monday.", [("called", "Anna Holt", "Piet Varga", P, A)]),
        (
            "Anna Holt spoke by telephone with Piet Varga.",
            [("called", "Anna Holt", "Piet Varga", P, A)],
        ),
        ("Anna Holt criticised Piet Varga.", [("criticized", "Anna Holt", "Piet Varga", P, A)]),
        (
            "Anna Holt warned Piet Varga of consequences.",
            [("warned", "Anna Holt", "Piet Varga", P, A)],
        ),
        ("Anna Holt urged Piet Varga to resign.", [("urged", "Anna Holt", "Piet Varga", P, A)]),
        ("Anna Holt accused Piet Varga of lying.", [("accused", "Anna Holt", "Piet Varga", P, A)]),
        ("Norland invaded Estmark in June 2020.", [("invaded", "Norland", "Estmark", P, A)]),
        ("Piet Varga was seen near the parliament.", []),
        ("Anna Holt, a friend of Piet Varga, spoke at the rally.", []),
    ],
)
def test_verb_triggers(sentence: str, expected: list[Rel]) -> None:
    _check(sentence, expected)


@pytest.mark.parametrize(
    ("sentence", "expected", "place"),
    [
        ("Anna Holt visited Oslo in March 2021.", [("visited", "Anna Holt", "Oslo", P, A)], "Oslo"),
        (
            "Anna Holt paid a state visit to Norway.",
            [("visited", "Anna Holt", "Norway", P, A)],
            "Norway",
        ),
        ("Anna Holt flew to Oslo on Sunday.", [("visited", "Anna Holt", "Oslo", P, A)], "Oslo"),
        ("Anna Holt landed in Oslo on Sunday.", [("visited", "Anna Holt", "Oslo", P, A)], "Oslo"),
        (
            "Anna Holt arrived in Norway's capital on Sunday.",
            [("visited", "Anna Holt", "Norway", P, A)],
            "Norway",
        ),
        (
            "Anna Holt visited Piet Varga in Oslo.",
            [("met", "Anna Holt", "Piet Varga", P, A)],
            "Oslo",
        ),
    ],
)
def test_visits(sentence: str, expected: list[Rel], place: str) -> None:
    recs = _check(sentence, expected)
    assert recs[0].place == place


@pytest.mark.parametrize(
    "sentence",
    ["Anna Holt landed a contract in Oslo.", "Anna Holt landed in third place."],
)
def test_landing_without_travel_is_no_visit(sentence: str) -> None:
    assert not [r for r in extract_text(sentence) if r.type in CORE]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "The talks between Anna Holt and Piet Varga ended without a deal.",
            [("met", "Anna Holt", "Piet Varga", P, A)],
        ),
        (
            "Anna Holt's call with Piet Varga lasted an hour.",
            [("called", "Anna Holt", "Piet Varga", P, A)],
        ),
        (
            "The meeting between Ilona Varga and Luis Andrade lasted three hours.",
            [("met", "Ilona Varga", "Luis Andrade", P, A)],
        ),
        (
            "The United States pledged support for Veridia.",
            [("supported", "United States", "Veridia", P, A)],
        ),
        (
            "Anna Holt welcomed Piet Varga's victory.",
            [("supported", "Anna Holt", "Piet Varga", P, A)],
        ),
        (
            "Anna Holt thanked Piet Varga for his support.",
            [("supported", "Piet Varga", "Anna Holt", P, A)],
        ),
        ("The meeting was productive, officials said.", []),
        ("Anna Holt made a call for calm in Oslo.", []),
    ],
)
def test_noun_triggers(sentence: str, expected: list[Rel]) -> None:
    _check(sentence, expected)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Anna Holt called Piet Varga a coward.", []),
        ('Karl Brandt, the nominee, called Ms Holt "dumb as a rock" on Sunday.', []),
        ("Anna Holt called for restraint.", []),
        ("Felix Braun called for calm after the protests.", []),
        ("Tomas Reyes called Marta Kolar a liar during a rally in Porto Alegre.", []),
        ("Anna Holt called on Piet Varga to step down.", []),
        (
            "Felix Braun called Tomas Reyes on Sunday to congratulate him.",
            [("called", "Felix Braun", "Tomas Reyes", P, A)],
        ),
        ("Anna Holt phoned Piet Varga.", [("called", "Anna Holt", "Piet Varga", P, A)]),
    ],
)
def test_sense_of_call(sentence: str, expected: list[Rel]) -> None:
    recs = _check(sentence, expected)
    if not expected:
        assert not [r for r in recs if r.type == "called"]


@pytest.mark.parametrize(
    ("sentence", "claim", "denier"),
    [
        (
            "Anna Holt denied that she had phoned Piet Varga.",
            ("called", "Anna Holt", "Piet Varga", P, A),
            "Anna Holt",
        ),
        (
            "Piet Varga dismissed reports that he had met Anna Holt as nonsense.",
            ("met", "Piet Varga", "Anna Holt", P, A),
            "Piet Varga",
        ),
        (
            "Tomas Reyes has repeatedly denied meeting the businessman Oskar Lind.",
            ("met", "Tomas Reyes", "Oskar Lind", P, A),
            "Tomas Reyes",
        ),
        (
            'Braun\'s office said reports that he had telephoned Reyes were "pure invention".',
            ("called", "Felix Braun", "Tomas Reyes", P, A),
            "Braun",
        ),
        # the speaker's "her" is the one person the false report is about
        (
            "Anna Holt visited Oslo. Reports that she met Piet Varga are false, her aide said.",
            ("met", "Anna Holt", "Piet Varga", P, A),
            "Anna Holt",
        ),
    ],
)
def test_denials(sentence: str, claim: Rel, denier: str) -> None:
    recs = extract_text(sentence)
    found = _find(recs, claim)
    assert found is not None
    assert not found.is_plain_fact
    assert found.attributed_to == UNNAMED_SOURCE
    assert any(names_match(d, denier) for d in found.denied_by)
    denials = [r for r in recs if r.type == "denied"]
    assert denials and all(d.denies == found.id for d in denials)
    assert names_match(denials[0].subject, denier)


@pytest.mark.parametrize(
    ("sentence", "claim", "source", "denier"),
    [
        (
            "The Daily Courier reported that Anna Holt had held talks with Piet Varga, a claim "
            "Piet Varga denied.",
            ("met", "Anna Holt", "Piet Varga", P, A),
            "Daily Courier",
            "Piet Varga",
        ),
        (
            "The Daily Courier said Anna Holt had met Piet Varga, a report that Varga denied.",
            ("met", "Anna Holt", "Piet Varga", P, A),
            "Daily Courier",
            "Piet Varga",
        ),
    ],
)
def test_trailing_denial_of_the_claim(sentence: str, claim: Rel, source: str, denier: str) -> None:
    # "..., a claim X denied": the apposition after the clause denies what it says
    recs = extract_text(sentence)
    found = _find(recs, claim)
    assert found is not None and not found.is_plain_fact
    assert found.attributed_to is not None and names_match(found.attributed_to, source)
    assert any(names_match(d, denier) for d in found.denied_by)
    denials = [r for r in recs if r.type == "denied"]
    assert denials and denials[0].denies == found.id and names_match(denials[0].subject, denier)


def test_trailing_denial_of_an_accusation_keeps_the_accusation() -> None:
    # the allegation's content is denied, not that it was made
    recs = extract_text(
        "Karl Brandt accused Anna Holt of lying to parliament, a claim Anna Holt denied."
    )
    found = _find(recs, ("accused", "Karl Brandt", "Anna Holt", P, A))
    assert found is not None and found.is_plain_fact


def test_trailing_confirmation_is_no_denial() -> None:
    recs = extract_text("Anna Holt met Piet Varga in Oslo, a meeting the ministry confirmed.")
    found = _find(recs, ("met", "Anna Holt", "Piet Varga", P, A))
    assert found is not None and found.is_plain_fact and not found.denied_by


def test_denial_of_a_named_source() -> None:
    recs = extract_text(
        "Felix Braun rejected accusations by the Green Party that he had misled parliament."
    )
    assert [(r.type, r.subject, r.object) for r in recs] == [
        ("denied", "Felix Braun", "Green Party")
    ]


@pytest.mark.parametrize(
    ("sentence", "rel", "source"),
    [
        (
            "The Daily Herald reported that Anna Holt had met Piet Varga.",
            ("met", "Anna Holt", "Piet Varga", P, A),
            "Daily Herald",
        ),
        (
            "According to the Oslo Times, Anna Holt met Piet Varga.",
            ("met", "Anna Holt", "Piet Varga", P, A),
            "Oslo Times",
        ),
        (
            "It was reported that Anna Holt had met Piet Varga.",
            ("met", "Anna Holt", "Piet Varga", P, A),
            UNNAMED_SOURCE,
        ),
        (
            "Sources told the Oslo Times that Anna Holt had met Piet Varga.",
            ("met", "Anna Holt", "Piet Varga", P, A),
            "Oslo Times",
        ),
        (
            "Felix Braun has no plans to meet Tomas Reyes, a spokesman said.",
            ("met", "Felix Braun", "Tomas Reyes", N, PL),
            "a spokesman",
        ),
        (
            "If Reyes wins, Kolar would phone him within a day, aides said.",
            ("called", "Kolar", "Reyes", P, H),
            "aides",
        ),
        (
            "The Green Party will back Anna Holt, its leader Karl Brandt said on Thursday.",
            ("supported", "Green Party", "Anna Holt", P, PL),
            "Karl Brandt",
        ),
        # belief and hearsay are reports, not facts
        (
            "Anna Holt is understood to have phoned Piet Varga.",
            ("called", "Anna Holt", "Piet Varga", P, A),
            UNNAMED_SOURCE,
        ),
        (
            "Anna Holt is believed to have met Piet Varga.",
            ("met", "Anna Holt", "Piet Varga", P, A),
            UNNAMED_SOURCE,
        ),
        (
            "Karl Brandt believes Anna Holt met Piet Varga.",
            ("met", "Anna Holt", "Piet Varga", P, A),
            "Karl Brandt",
        ),
    ],
)
def test_attribution_to_a_third_party(sentence: str, rel: Rel, source: str) -> None:
    recs = extract_text(sentence)
    found = _find(recs, rel)
    assert found is not None
    assert found.attributed_to == source
    assert not found.is_plain_fact


@pytest.mark.parametrize(
    ("sentence", "rel", "source"),
    [
        (
            "Anna Holt said she had met Piet Varga.",
            ("met", "Anna Holt", "Piet Varga", P, A),
            "Anna Holt",
        ),
        (
            "Prime Minister Ilona Varga spoke by phone with President Tomas Reyes on Friday, "
            "her office said.",
            ("called", "Ilona Varga", "Tomas Reyes", P, A),
            "Ilona Varga",
        ),
    ],
)
def test_self_attribution_stays_a_fact(sentence: str, rel: Rel, source: str) -> None:
    found = _find(extract_text(sentence), rel)
    assert found is not None
    assert found.attributed_to == source
    assert found.is_plain_fact


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Anna Holt did not meet Piet Varga.", [("met", "Anna Holt", "Piet Varga", N, A)]),
        (
            "Anna Holt refused to endorse Piet Varga.",
            [("supported", "Anna Holt", "Piet Varga", N, A)],
        ),
        ("Anna Holt never phoned Piet Varga.", [("called", "Anna Holt", "Piet Varga", N, A)]),
        (
            "The National Farmers Union withdrew its support for Ilona Varga on Thursday.",
            [("supported", "National Farmers Union", "Ilona Varga", N, A)],
        ),
        (
            "Luis Andrade told reporters he did not support Kolar's proposal.",
            [("supported", "Luis Andrade", "Kolar", N, A)],
        ),
        # correlatives, pending acts and preventions negate
        (
            "Anna Holt met neither Piet Varga nor Karl Brandt.",
            [("met", "Anna Holt", "Piet Varga", N, A), ("met", "Anna Holt", "Karl Brandt", N, A)],
        ),
        (
            "Neither Anna Holt nor Piet Varga met Karl Brandt.",
            [("met", "Anna Holt", "Karl Brandt", N, A), ("met", "Piet Varga", "Karl Brandt", N, A)],
        ),
        ("Anna Holt has yet to meet Piet Varga.", [("met", "Anna Holt", "Piet Varga", N, A)]),
        ("Anna Holt nearly met Piet Varga.", [("met", "Anna Holt", "Piet Varga", N, A)]),
        (
            "Anna Holt met Piet Varga for almost an hour.",
            [("met", "Anna Holt", "Piet Varga", P, A)],
        ),
        (
            "Anna Holt was prevented from meeting Piet Varga.",
            [("met", "Anna Holt", "Piet Varga", N, A)],
        ),
        ("Anna Holt was barred from visiting Norway.", [("visited", "Anna Holt", "Norway", N, A)]),
        # a phrasal verb whose particle the parser gives the object ("called off the meeting")
        (
            "Anna Holt called off the meeting with Karl Brandt.",
            [("met", "Anna Holt", "Karl Brandt", N, A)],
        ),
        ("Anna Holt put off the visit to Oslo.", [("visited", "Anna Holt", "Oslo", N, A)]),
        (
            "Anna Holt turned down a meeting with Karl Brandt.",
            [("met", "Anna Holt", "Karl Brandt", N, A)],
        ),
        ("Anna Holt delayed her trip to Oslo.", [("visited", "Anna Holt", "Oslo", N, A)]),
        # a meeting put off before is no meeting put off now
        (
            "The delayed meeting between Anna Holt and Karl Brandt took place on Monday.",
            [("met", "Anna Holt", "Karl Brandt", P, A)],
        ),
        # the reason for a cancelling is not cancelled
        (
            "Anna Holt cancelled her talks with Karl Brandt because of the visit by Piet Varga "
            "to Lisbon.",
            [("met", "Anna Holt", "Karl Brandt", N, A), ("visited", "Piet Varga", "Lisbon", P, A)],
        ),
    ],
)
def test_negation(sentence: str, expected: list[Rel]) -> None:
    _check(sentence, expected)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Anna Holt will meet Piet Varga on Friday.", [("met", "Anna Holt", "Piet Varga", P, PL)]),
        (
            "Anna Holt plans to visit Piet Varga next month.",
            [("met", "Anna Holt", "Piet Varga", P, PL)],
        ),
        ("Anna Holt is expected to meet Piet Varga.", [("met", "Anna Holt", "Piet Varga", P, PL)]),
        (
            "Anna Holt has no plans to call Piet Varga.",
            [("called", "Anna Holt", "Piet Varga", N, PL)],
        ),
        (
            "Luis Andrade is not expected to meet Felix Braun during the summit.",
            [("met", "Luis Andrade", "Felix Braun", N, PL)],
        ),
        (
            "A phone call between Braun and Andrade is planned for next week.",
            [("called", "Braun", "Andrade", P, PL)],
        ),
        (
            "If Piet Varga resigns, Anna Holt would back Karl Brandt.",
            [("supported", "Anna Holt", "Karl Brandt", P, H)],
        ),
        (
            "Kolar will travel to Lisbon next week to meet Portuguese Prime Minister Luis Andrade.",
            [("met", "Kolar", "Luis Andrade", P, PL)],
        ),
        # an adjective of chance or will governs an act that has not happened
        (
            "Anna Holt is unlikely to back Piet Varga.",
            [("supported", "Anna Holt", "Piet Varga", P, H)],
        ),
        ("Anna Holt is keen to meet Piet Varga.", [("met", "Anna Holt", "Piet Varga", P, H)]),
        (
            "Anna Holt is poised to back Piet Varga.",
            [("supported", "Anna Holt", "Piet Varga", P, PL)],
        ),
        ("Anna Holt is unable to meet Piet Varga.", [("met", "Anna Holt", "Piet Varga", N, A)]),
        # arrangements, obligations, needs, urgings and requests are no acts
        (
            "Anna Holt was supposed to meet Piet Varga on Monday.",
            [("met", "Anna Holt", "Piet Varga", P, PL)],
        ),
        ("Anna Holt must meet Piet Varga.", [("met", "Anna Holt", "Piet Varga", P, H)]),
        ("Anna Holt needs to meet Piet Varga.", [("met", "Anna Holt", "Piet Varga", P, H)]),
        (
            "Anna Holt called for talks with Piet Varga.",
            [("met", "Anna Holt", "Piet Varga", P, H)],
        ),
        # hoping and asking plan ("hopes" was lemmatised "hop": repairs.yaml)
        ("Anna Holt hopes to meet Piet Varga.", [("met", "Anna Holt", "Piet Varga", P, PL)]),
        ("Anna Holt asked to meet Piet Varga.", [("met", "Anna Holt", "Piet Varga", P, PL)]),
    ],
)
def test_modality(sentence: str, expected: list[Rel]) -> None:
    recs = _check(sentence, expected)
    assert all(not r.is_plain_fact for r in recs)


def test_urging_is_an_act_and_what_it_urges_is_not() -> None:
    recs = _check(
        "Anna Holt urged Karl Brandt to meet Piet Varga.",
        [("urged", "Anna Holt", "Karl Brandt", P, A), ("met", "Karl Brandt", "Piet Varga", P, H)],
    )
    assert [r.is_plain_fact for r in recs if r.type == "met"] == [False]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Anna Holt met Piet Varga and Karl Brandt.",
            [("met", "Anna Holt", "Piet Varga", P, A), ("met", "Anna Holt", "Karl Brandt", P, A)],
        ),
        ("Anna Holt and Piet Varga met in Oslo.", [("met", "Anna Holt", "Piet Varga", P, A)]),
        (
            "Both Kolar and Braun voiced support for the peace plan drawn up by Luis Andrade.",
            [
                ("supported", "Kolar", "Luis Andrade", P, A),
                ("supported", "Braun", "Luis Andrade", P, A),
            ],
        ),
    ],
)
def test_coordination(sentence: str, expected: list[Rel]) -> None:
    _check(sentence, expected)


@pytest.mark.parametrize(
    ("sentence", "claim", "attributed", "denied_by"),
    [
        # a denial that is negated denies nothing: the act stays a claim
        ("Anna Holt did not deny meeting Piet Varga.", ("met", "Anna Holt", "Piet Varga", P, A),
         UNNAMED_SOURCE, ()),
        # the article calls the claim false: denied, by no one named
        ("Anna Holt falsely claimed to have met Piet Varga.",
         ("met", "Anna Holt", "Piet Varga", P, A), "Anna Holt", (UNNAMED_SOURCE,)),
        ("Anna Holt wrongly said she had met Piet Varga.",
         ("met", "Anna Holt", "Piet Varga", P, A), "Anna Holt", (UNNAMED_SOURCE,)),
        ("Anna Holt's claim that she met Piet Varga was false.",
         ("met", "Anna Holt", "Piet Varga", P, A), "Anna Holt", (UNNAMED_SOURCE,)),
        # taking one's claim back denies it
        ("Anna Holt later retracted her claim that she had met Piet Varga.",
         ("met", "Anna Holt", "Piet Varga", P, A), "Anna Holt", ("Anna Holt",)),
    ],
)
def test_claims_not_denied_and_claims_called_false(
    sentence: str, claim: Rel, attributed: str, denied_by: tuple[str, ...]
) -> None:
    recs = extract_text(sentence)
    found = _find(recs, claim)
    assert found is not None
    assert not found.is_plain_fact
    assert found.attributed_to == attributed
    assert found.denied_by == denied_by
    denials = [r for r in recs if r.type == "denied"]
    assert len(denials) == (1 if denied_by and denied_by[0] != UNNAMED_SOURCE else 0)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a yes/no question tells nothing; a wh-question takes the act as given
        ("Did Anna Holt meet Piet Varga?", []),
        ("Will Anna Holt phone Piet Varga next week?", []),
        ("Why did Anna Holt meet Piet Varga?", [("met", "Anna Holt", "Piet Varga", P, A)]),
    ],
)
def test_questions(sentence: str, expected: list[Rel]) -> None:
    recs = _check(sentence, expected)
    assert len([r for r in recs if r.type in CORE]) == len(expected)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a purpose between the main event's two parties is what that event was for
        (
            "Anna Holt phoned Piet Varga on Friday to congratulate him.",
            [("called", "Anna Holt", "Piet Varga", P, A)],
        ),
        (
            "Anna Holt and Piet Varga met twice in May to discuss the border.",
            [("met", "Anna Holt", "Piet Varga", P, A)],
        ),
        # a purpose with another party is a relation of its own
        (
            "Anna Holt flew to Oslo on Friday to meet Piet Varga.",
            [("visited", "Anna Holt", "Oslo", P, A), ("met", "Anna Holt", "Piet Varga", P, PL)],
        ),
        (
            "Anna Holt phoned Piet Varga on Friday to praise Karl Brandt.",
            [
                ("called", "Anna Holt", "Piet Varga", P, A),
                ("supported", "Anna Holt", "Karl Brandt", P, PL),
            ],
        ),
    ],
)
def test_purpose_clauses(sentence: str, expected: list[Rel]) -> None:
    recs = _check(sentence, expected)
    assert sorted(r.type for r in recs if r.type in CORE) == sorted(w[0] for w in expected)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Anna Holt was praised by Piet Varga.", [("supported", "Piet Varga", "Anna Holt", P, A)]),
        (
            "Ilona Varga was endorsed by the National Farmers Union.",
            [("supported", "National Farmers Union", "Ilona Varga", P, A)],
        ),
    ],
)
def test_passive(sentence: str, expected: list[Rel]) -> None:
    _check(sentence, expected)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Piet Varga praised Anna Holt, who had met Karl Brandt in Oslo.",
            [
                ("supported", "Piet Varga", "Anna Holt", P, A),
                ("met", "Anna Holt", "Karl Brandt", P, A),
            ],
        ),
        (
            "Marta Kolar denied that she had met Tomas Reyes in secret.",
            [("met", "Marta Kolar", "Tomas Reyes", P, A)],
        ),
        (
            "Reyes phoned Kolar, who had criticised him earlier.",
            [("called", "Reyes", "Kolar", P, A), ("criticized", "Kolar", "Reyes", P, A)],
        ),
    ],
)
def test_coreference_and_relative_clauses(sentence: str, expected: list[Rel]) -> None:
    _check(sentence, expected)


@pytest.mark.parametrize(
    ("sentence", "date", "place", "ref"),
    [
        (
            "Senator Anna Holt met Governor Piet Varga in Oslo on 4 May 2022.",
            "2022-05-04",
            "Oslo",
            None,
        ),
        ("Anna Holt phoned Piet Varga on Monday.", "2024-11-11", None, "2024-11-11"),
        ("Anna Holt phoned Piet Varga on Monday.", None, None, None),
        (
            "The Daily Courier reported that Varga and Reyes had met in Geneva in May 2023.",
            "2023-05",
            "Geneva",
            None,
        ),
        (
            "Luis Andrade met with Felix Braun and Marta Kolar on the sidelines of the summit "
            "in Madrid on 12 June 2024.",
            "2024-06-12",
            "Madrid",
            None,
        ),
        (
            "Kolar hosted Andrade at the presidential palace on Wednesday.",
            None,
            "presidential palace",
            None,
        ),
    ],
)
def test_dates_and_places(
    sentence: str, date: str | None, place: str | None, ref: str | None
) -> None:
    recs = extract_text(sentence, date=ref)
    assert recs
    assert all(r.date == date for r in recs)
    assert all(r.place == place for r in recs)


def test_offsets_point_at_the_sentence() -> None:
    text = "Oslo talks.\n\nAnna Holt met Piet Varga in Oslo. Later she flew home."
    recs = extract_text(text)
    met = [r for r in recs if r.type == "met"]
    assert len(met) == 1
    assert text[met[0].start : met[0].end] == met[0].sentence == "Anna Holt met Piet Varga in Oslo."


def test_repeated_caption_is_one_relation_with_two_pieces_of_evidence() -> None:
    line = "Anna Holt and Piet Varga shake hands before a meeting in Oslo, on July 16, 2018."
    recs = extract_text(f"Summit news\n\n{line}\n{line}\n")
    met = [r for r in recs if r.type == "met"]
    assert len(met) == 1
    assert met[0].date == "2018-07-16" and met[0].place == "Oslo"
    assert len(met[0].extra_evidence) == 1
    assert met[0].extra_evidence[0].start > met[0].start


def test_claim_and_negation_in_one_sentence_differ() -> None:
    recs = extract_text("Anna Holt met Piet Varga, but she did not meet Karl Brandt.")
    ids = [r.id for r in recs]
    assert len(ids) == len(set(ids))


def test_deterministic() -> None:
    text = "The Kremlin-like ministry denied reports that Anna Holt had met Piet Varga in Oslo."
    assert extract_text(text) == extract_text(text)


def test_confidence_reflects_how_it_was_found() -> None:
    verb = _find(
        extract_text("Anna Holt met Piet Varga."), ("met", "Anna Holt", "Piet Varga", P, A)
    )
    noun = _find(
        extract_text("The meeting between Anna Holt and Piet Varga lasted an hour."),
        ("met", "Anna Holt", "Piet Varga", P, A),
    )
    assert verb is not None and noun is not None
    assert 0 < noun.confidence < verb.confidence <= 1


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=200))
def test_arbitrary_text_never_breaks(text: str) -> None:
    for r in extract_text("Anna Holt met Piet Varga. " + text):
        assert r.id.startswith("https://w3id.org/newskg/id/relation/")
        assert 0 <= r.confidence <= 1
        assert r.subject_id != r.object_id


# ---- the figures the issue asks for -----------------------------------------------------------


def test_dev_sentences_scores(dev_sentences: Path) -> None:
    """Each dev sentence as an article of its own (the helpers' path), scored by kg eval."""
    golds, preds = [], []
    for case in load_dev(dev_sentences):
        recs = extract_text(case["sentence"], doc=case["id"])
        golds += [gold_relation(g, case["id"], "dev") for g in case["relations"]]
        preds += list(recs)
    total = kg_score(golds, preds, types=sorted(CORE),
                     docs={c["id"] for c in load_dev(dev_sentences)})
    assert (total.overall.precision or 0) >= 0.959, total.spurious
    assert (total.overall.recall or 0) >= 0.98, total.misses
    assert (total.polarity.value or 0) >= 0.98
    assert (total.modality.value or 0) >= 0.98
    assert not total.false_facts


@pytest.fixture(scope="module")
def seed_relations(seed_dir: Path) -> tuple[RelationRecord, ...]:
    from kg.extraction.nlp import load_model
    from kg.extraction.pipeline import extract_article
    from kg.extraction.read import text_article

    text = (seed_dir / "seed-article.txt").read_text(encoding="utf-8")
    return extract_article(text_article(text, "seed-article"), load_model()).relations


def test_seed_core_relations(seed_dir: Path, seed_relations: tuple[RelationRecord, ...]) -> None:
    expected = json.loads((seed_dir / "expected.json").read_text(encoding="utf-8"))
    sc = score(
        seed_relations, expected["relations"], types={"met", "called", "denied", "supported"}
    )
    assert sc.overall.matched == len(expected["relations"]) == 10, sc.misses
    assert not sc.false_facts
    assert sc.overall.precision == 1.0, sc.spurious


def test_seed_no_fact_from_claims(seed_relations: tuple[RelationRecord, ...]) -> None:
    facts = {(r.type, r.subject, r.object) for r in seed_relations if r.is_plain_fact}
    for rtype, a, b in facts:
        # the only plain-fact call/meeting is the Helsinki meeting; no call is a fact
        assert rtype != "called", (rtype, a, b)
    # "called news ... pure fiction" is a denial, never a phone call by the denier
    assert not [
        r for r in seed_relations if r.type == "called" and "Peskov" in r.subject + r.object
    ]
    # no relation comes from "Read more:" lines or photo credits
    assert not [
        r for r in seed_relations if r.sentence.startswith("Read more") or "Picture:" in r.sentence
    ]
    # hypothetical speech gives no core relation
    assert not [r for r in seed_relations if "I would tell" in r.sentence and r.type in CORE]


def test_seed_extended_relations(
    seed_dir: Path, seed_relations: tuple[RelationRecord, ...]
) -> None:
    expected = json.loads((seed_dir / "expected.json").read_text(encoding="utf-8"))
    sc = score(seed_relations, expected["extended_relations"], types={"urged", "warned", "invaded"})
    assert not sc.false_facts
    # urged, warned and invaded(Russia, Ukraine): "the neighbouring state" is Ukraine
    assert sc.overall.matched == 3, sc.misses


# ---- recall patterns on unseen news (appositions, stand-ins, hosts, neighbours) ----------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # an appositive names the party a role noun describes
        (
            "Anna Holt met the city's mayor, Piet Varga, in Oslo.",
            [("met", "Anna Holt", "Piet Varga", P, A)],
        ),
        (
            "Anna Holt met Lundia's chief of staff, General Karl Brandt, on Monday.",
            [("met", "Anna Holt", "Karl Brandt", P, A)],
        ),
        (
            "The mayor of Oslo, Piet Varga, hosted Anna Holt at a dinner.",
            [("met", "Piet Varga", "Anna Holt", P, A)],
        ),
        ("Anna Holt met the president of Lundia.", []),
        # any possessed act or quality stands in for its owner; relatives and rivals do not
        (
            "Anna Holt praised Piet Varga's courage.",
            [("supported", "Anna Holt", "Piet Varga", P, A)],
        ),
        (
            "Anna Holt condemned Piet Varga's reckless remarks.",
            [("criticized", "Anna Holt", "Piet Varga", P, A)],
        ),
        ("Anna Holt praised Piet Varga's wife.", []),
        # the parser hangs the first of two coordinated names under the second name's title
        (
            "Anna Holt urged Piet Varga and Finance Minister Karl Brandt to resign.",
            [
                ("urged", "Anna Holt", "Piet Varga", P, A),
                ("urged", "Anna Holt", "Karl Brandt", P, A),
            ],
        ),
        # passive agents below a prepositional object; persons received by persons
        (
            "Anna Holt was hosted at a dinner by Piet Varga.",
            [("met", "Piet Varga", "Anna Holt", P, A)],
        ),
        ("Anna Holt was hosted at a dinner by the lake.", []),
        ("Piet Varga welcomed Anna Holt to Oslo.", [("met", "Piet Varga", "Anna Holt", P, A)]),
        (
            "Anna Holt was welcomed by Piet Varga at the airport.",
            [("met", "Piet Varga", "Anna Holt", P, A)],
        ),
        ("Piet Varga welcomed the decision.", []),
        # co-hosts of an event did not meet each other by hosting it
        ("Anna Holt and Piet Varga hosted the conference.", []),
        ("The conference was hosted by Anna Holt and Piet Varga.", []),
        # an accusation noun with its content clause: the accused is the content's subject
        (
            "There were accusations from Karl Brandt and Prime Minister Piet Varga that "
            "President Anna Holt had lied.",
            [
                ("accused", "Karl Brandt", "Anna Holt", P, A),
                ("accused", "Piet Varga", "Anna Holt", P, A),
            ],
        ),
        (
            "Karl Brandt made the accusation that President Anna Holt had lied to parliament.",
            [("accused", "Karl Brandt", "Anna Holt", P, A)],
        ),
        # a bare name after "called", parsed as the object predicate, is whom they called
        (
            "Emmanuel Macron called Rafal Trzaskowski on Sunday.",
            [("called", "Emmanuel Macron", "Rafal Trzaskowski", P, A)],
        ),
        # a person the tagger left out, named by an honorific
        (
            "Kemi Badenoch criticised the handling of the application and accused Mr Lammy of "
            "kowtowing to Beijing.",
            [("accused", "Kemi Badenoch", "Lammy", P, A)],
        ),
        # "due to travel" with "due" parsed as a preposition; "the town of X" is a place
        (
            "Chinese President Xi Jinping is then due to travel to Budapest for talks with "
            "Viktor Orban.",
            [
                ("visited", "Xi Jinping", "Budapest", P, PL),
                ("met", "Xi Jinping", "Viktor Orban", P, PL),
            ],
        ),
        (
            "Chinese President Xi Jinping visited the southern Indian town of Mamallapuram in "
            "2019.",
            [("visited", "Xi Jinping", "Mamallapuram", P, A)],
        ),
        (
            "Joe Biden threw his support behind Kamala Harris in a post on Sunday.",
            [("supported", "Joe Biden", "Kamala Harris", P, A)],
        ),
        # people acting for an organisation or country act as it; some of them do not
        (
            "Hamas officials met US envoy Adam Boehler in Doha on Tuesday.",
            [("met", "Hamas", "Adam Boehler", P, A)],
        ),
        (
            "Kremlin negotiators met Ukraine's delegation in Istanbul on Friday.",
            [("met", "Kremlin", "Ukraine", P, A)],
        ),
        ("Two Hamas officials met US envoy Adam Boehler in Doha on Tuesday.", []),
        # discussing something with X in a phone call is a call; face to face it is not
        (
            "Ursula von der Leyen, who discussed the tariffs with Donald Trump in a telephone "
            "call last week, said the EU wanted a deal.",
            [("called", "Ursula von der Leyen", "Donald Trump", P, A)],
        ),
        # a discussion with no stated medium is a meeting (ANNOTATION.md: "discussed the idea
        # with McCain")
        ("Anna Holt discussed the budget with Piet Varga in Oslo.",
         [("met", "Anna Holt", "Piet Varga", P, A)]),
        # support withdrawn from someone: the someone lost it
        (
            "The Green Party pulled its support from Prime Minister Anna Holt.",
            [("supported", "Green Party", "Anna Holt", N, A)],
        ),
        (
            "The Liberal Party withdrew support from Piet Varga on Monday.",
            [("supported", "Liberal Party", "Piet Varga", N, A)],
        ),
        # an event noun that only dates a negated or planned clause keeps its own status
        (
            "Anna Holt has not spoken to Piet Varga by phone since Norland's invasion of Sudria.",
            [("called", "Anna Holt", "Piet Varga", N, A), ("invaded", "Norland", "Sudria", P, A)],
        ),
        (
            "Anna Holt will not travel to Oslo before the meeting between Piet Varga and Karl "
            "Brandt.",
            [("visited", "Anna Holt", "Oslo", N, PL), ("met", "Piet Varga", "Karl Brandt", P, A)],
        ),
        ("The summit in Oslo was hosted by Norway and Sweden.", []),
        (
            "Anna Holt and Karl Brandt were hosted by Piet Varga.",
            [("met", "Piet Varga", "Anna Holt", P, A), ("met", "Piet Varga", "Karl Brandt", P, A)],
        ),
        (
            "Anna Holt spoke by phone with Piet Varga on Tuesday.",
            [("called", "Anna Holt", "Piet Varga", P, A)],
        ),
        ("Anna Holt rallied behind Piet Varga.", [("supported", "Anna Holt", "Piet Varga", P, A)]),
        (
            "Anna Holt did not speak highly of Piet Varga.",
            [("supported", "Anna Holt", "Piet Varga", N, A)],
        ),
        ("Anna Holt spoke of Piet Varga.", []),
    ],
)
def test_recall_patterns(sentence: str, expected: list[Rel]) -> None:
    _check(sentence, expected)


@pytest.mark.parametrize(
    ("sentence", "expected", "place"),
    [
        (
            "Anna Holt signed the deal during a visit to the port of Halvik.",
            [("visited", "Anna Holt", "Halvik", P, A)],
            "Halvik",
        ),
        ("Anna Holt spoke about the town of Halvik.", [], None),
    ],
)
def test_place_named_after_a_place_noun(
    sentence: str, expected: list[Rel], place: str | None
) -> None:
    recs = _check(sentence, expected)
    assert [r.place for r in recs if r.type == "visited"] == ([place] if place else [])


def test_circumstance_of_a_denial_is_not_denied() -> None:
    recs = extract_text("Anna Holt dismissed the Courier's story during a visit to Oslo.")
    visit = [r for r in recs if r.type == "visited"]
    assert len(visit) == 1 and visit[0].object == "Oslo" and not visit[0].denied_by
    assert [r.object for r in recs if r.type == "denied"] == ["Courier"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Kolar met Lundia's Braun and Norvik's Piet Varga. "
            "The war began when Norvik's troops invaded the neighbouring state in May 2020.",
            [("invaded", "Norvik", "Lundia", P, A)],
        ),
        # no other country named: nothing to resolve, no relation
        ("Brandt's troops invaded the neighbouring country in May 2020.", []),
    ],
)
def test_the_neighbouring_state(text: str, expected: list[Rel]) -> None:
    recs = _check(text, expected)
    if expected:
        assert [r.date for r in recs if r.type == "invaded"] == ["2020-05"]


def test_fiction_complement_keeps_the_claimed_party() -> None:
    """The parser may fold the claim's object into "pure fiction"; the claim is still denied."""
    recs = extract_text(
        "Government spokeswoman Anna Holt called reports that Piet Varga had met "
        'Karl Brandt "pure fiction".'
    )
    met = [r for r in recs if r.type == "met"]
    assert met and {met[0].subject, met[0].object} == {"Piet Varga", "Karl Brandt"}
    assert met[0].denied_by == ("Anna Holt",) and not met[0].is_plain_fact
    assert any(r.type == "denied" and r.subject == "Anna Holt" for r in recs)


@pytest.mark.parametrize(
    ("sentence", "claim", "denier", "source"),
    [
        # the content clause of a named report, misparsed as a relative clause
        (
            "Karl Brandt also denied a report in the Daily Herald that Anna Holt had "
            "telephoned Piet Varga last week.",
            ("called", "Anna Holt", "Piet Varga", P, A),
            "Karl Brandt",
            "Daily Herald",
        ),
        # "dismissed as 'nonsense' a report by X that ...": the relativizer hangs below
        (
            'Piet Varga dismissed as "nonsense" a report by the Oslo Times that Anna Holt and '
            "Karl Brandt had agreed to meet in Oslo.",
            ("met", "Anna Holt", "Karl Brandt", P, PL),
            "Piet Varga",
            "Oslo Times",
        ),
    ],
)
def test_denied_named_report_with_a_claim(
    sentence: str, claim: Rel, denier: str, source: str
) -> None:
    recs = extract_text(sentence)
    found = _find(recs, claim)
    assert found is not None, [(r.type, r.subject, r.object) for r in recs]
    assert not found.is_plain_fact
    assert found.attributed_to == source
    denials = [r for r in recs if r.type == "denied"]
    assert denials and all(d.denies == found.id for d in denials)
    # the denial points at a party of the claim, not at the outlet
    assert all(d.object in (found.subject, found.object) for d in denials)


@pytest.mark.parametrize(
    ("sentence", "rel", "source"),
    [
        (
            "Anna Holt, who had reportedly urged Piet Varga to resign, said she was tired.",
            ("urged", "Anna Holt", "Piet Varga", P, A),
            UNNAMED_SOURCE,
        ),
        (
            "Karl Brandt allegedly met Piet Varga in Oslo.",
            ("met", "Karl Brandt", "Piet Varga", P, A),
            UNNAMED_SOURCE,
        ),
        (
            "Foreign ministry spokesperson Ivo Lind denied reports that Anna Holt had pressed "
            "Piet Varga to sign the deal.",
            ("urged", "Anna Holt", "Piet Varga", P, A),
            UNNAMED_SOURCE,
        ),
    ],
)
def test_hearsay_is_not_a_fact(sentence: str, rel: Rel, source: str) -> None:
    found = _find(extract_text(sentence), rel)
    assert found is not None
    assert found.attributed_to == source
    assert not found.is_plain_fact


def test_spokesperson_for_a_person_is_the_denier() -> None:
    recs = extract_text(
        "A spokesperson for Mr Karl Brandt denied a report in the Oslo Times that he had "
        "urged Piet Varga to quit."
    )
    urged = [r for r in recs if r.type == "urged"]
    assert urged and urged[0].subject == "Karl Brandt" and urged[0].denied_by == ("Karl Brandt",)
    assert [(r.subject, r.object) for r in recs if r.type == "denied"] == [
        ("Karl Brandt", "Piet Varga")
    ]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # travel: a destination is a place visited, never a party met
        ("Anna Holt travelled to Oslo on Monday.", [("visited", "Anna Holt", "Oslo", P, A)]),
        (
            "Anna Holt, who arrived in Oslo on Wednesday for a two-day visit, was received "
            "by Piet Varga.",
            [("visited", "Anna Holt", "Oslo", P, A), ("met", "Piet Varga", "Anna Holt", P, A)],
        ),
        (
            "Anna Holt is due to travel to Oslo on Monday for talks with Piet Varga.",
            [("visited", "Anna Holt", "Oslo", P, PL), ("met", "Anna Holt", "Piet Varga", P, PL)],
        ),
        ("Holt heads to Norway after summit", [("visited", "Anna Holt", "Norway", P, A)]),
        # negated plans
        (
            "Moscow rules out Karl Brandt trip to Oslo",
            [("visited", "Karl Brandt", "Oslo", N, PL)],
        ),
        (
            "Karl Brandt ruled out meeting his Norwegian counterpart Piet Varga at the summit.",
            [("met", "Karl Brandt", "Piet Varga", N, PL)],
        ),
        (
            "Karl Brandt had no intention of travelling to Norway himself.",
            [("visited", "Karl Brandt", "Norway", N, PL)],
        ),
        ("Karl Brandt has no plans to go to Oslo.", [("visited", "Karl Brandt", "Oslo", N, PL)]),
        # willingness is not a plan, let alone a fact
        (
            "Anna Holt was ready to meet Piet Varga in person.",
            [("met", "Anna Holt", "Piet Varga", P, H)],
        ),
        # a relative pronoun object stands for its antecedent
        (
            "Piet Varga, whom Anna Holt received at her residence in February, was angry.",
            [("met", "Anna Holt", "Piet Varga", P, A)],
        ),
        # a country modifying the event noun is not the hosted party
        ("Anna Holt offered to host Lundia talks.", []),
        ("The minister pressed ahead with the reform.", []),
    ],
)
def test_real_news_patterns(sentence: str, expected: list[Rel]) -> None:
    _check(sentence, expected)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # the receiver of an act is its object, the named giver its agent
        (
            "Anna Holt has secured the endorsement of Piet Varga.",
            [("supported", "Piet Varga", "Anna Holt", P, A)],
        ),
        (
            "Karl Brandt phoned Piet Varga, drawing a sharp rebuke from Anna Holt.",
            [
                ("called", "Karl Brandt", "Piet Varga", P, A),
                ("criticized", "Anna Holt", "Karl Brandt", P, A),
            ],
        ),
        # talks between A and B hosted by C: A met B, the host met nobody
        (
            "Anna Holt said Norway would host talks between Lundia and Marovia if both agreed.",
            [("met", "Lundia", "Marovia", P, H)],
        ),
        # quantities of talks are held by the subject
        (
            "Anna Holt used two days of talks with Piet Varga to raise concerns.",
            [("met", "Anna Holt", "Piet Varga", P, A)],
        ),
        (
            "Anna Holt and Piet Varga agreed new patrols after the two leaders held more than two "
            "hours of talks in Oslo.",
            [("met", "Anna Holt", "Piet Varga", P, A)],
        ),
        # coordinated speakers are "they"; "her" is then neither of them
        (
            "Karl Brandt and Piet Varga said they were backing Anna Holt.",
            [
                ("supported", "Karl Brandt", "Anna Holt", P, A),
                ("supported", "Piet Varga", "Anna Holt", P, A),
            ],
        ),
        ("Karl Brandt and Piet Varga said they were backing her candidacy.", []),
        # headline-ese infinitives announce plans
        (
            "Anna Holt to meet Piet Varga in Oslo next week",
            [("met", "Anna Holt", "Piet Varga", P, PL)],
        ),
        ("Anna Holt to visit Oslo", [("visited", "Anna Holt", "Oslo", P, PL)]),
        (
            "Holt to visit Oslo as ministry denies she spoke to Varga",
            [("visited", "Holt", "Oslo", P, PL)],
        ),
        # an open question is no relation
        ("Her office has not said whether Karl Brandt will meet Piet Varga.", []),
        ("Anna Holt asked if Karl Brandt had met Piet Varga.", []),
        (
            "Her office has not said whether she will meet Karl Brandt, whom Piet Varga has "
            "openly endorsed.",
            [("supported", "Piet Varga", "Karl Brandt", P, A)],
        ),
        # speaking in person is meeting
        (
            "Karl Brandt has not spoken to Anna Holt in person since May.",
            [("met", "Karl Brandt", "Anna Holt", N, A)],
        ),
        (
            "The Lundian prime minister Anna Holt and the Norwegian president Piet Varga sat down "
            "for about 50 minutes.",
            [("met", "Anna Holt", "Piet Varga", P, A)],
        ),
        ("Anna Holt sat down for an hour.", []),
    ],
)
def test_real_news_patterns_2(sentence: str, expected: list[Rel]) -> None:
    _check(sentence, expected)


def test_the_two_leaders_are_the_pair_last_said_to_meet() -> None:
    recs = extract_text(
        "Anna Holt met Piet Varga in Oslo on Monday.\n"
        "The summit was hosted by Karl Brandt.\n"
        "It was the first meeting between the two leaders since 2019."
    )
    pairs = {frozenset((r.subject, r.object)) for r in recs if r.type == "met"}
    assert pairs == {frozenset(("Anna Holt", "Piet Varga"))}


@pytest.mark.parametrize(
    ("sentence", "source"),
    [
        (
            "Anna Holt urged Karl Brandt to sign, according to a Lundia readout of the call.",
            "Lundia",
        ),
        ("Anna Holt urged Karl Brandt to sign, according to a statement from Norway.", "Norway"),
        # "according to" on a coordinated main verb covers the whole sentence
        (
            "Anna Holt urged Karl Brandt to sign and called the talks useful, according to "
            "Norway.",
            "Norway",
        ),
    ],
)
def test_according_to_a_document_names_its_owner(sentence: str, source: str) -> None:
    found = _find(extract_text(sentence), ("urged", "Anna Holt", "Karl Brandt", P, A))
    assert found is not None
    assert found.attributed_to == source


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a reaction "after a call with Z" reacts to the object's act
        (
            "Anna Holt accuses Karl Brandt of weakness after his call with Piet Varga",
            [("called", "Karl Brandt", "Piet Varga", P, A)],
        ),
        # nouns naming the agent
        (
            "Lundia is Norvik's largest military backer.",
            [("supported", "Lundia", "Norvik", P, A)],
        ),
        ("Anna Holt met a supporter of Piet Varga.", []),
        # guests hosted for a meeting meet each other too; for dinner they need not
        (
            "Anna Holt hosted Karl Brandt and Piet Varga for talks in Oslo.",
            [
                ("met", "Anna Holt", "Karl Brandt", P, A),
                ("met", "Anna Holt", "Piet Varga", P, A),
                ("met", "Karl Brandt", "Piet Varga", P, A),
            ],
        ),
        (
            "Anna Holt hosted Karl Brandt and Piet Varga for dinner.",
            [("met", "Anna Holt", "Karl Brandt", P, A), ("met", "Anna Holt", "Piet Varga", P, A)],
        ),
        # bilateral talks: each guest with the host
        (
            "Anna Holt hosted Karl Brandt and Piet Varga for bilateral talks on Friday.",
            [("met", "Anna Holt", "Karl Brandt", P, A), ("met", "Anna Holt", "Piet Varga", P, A)],
        ),
    ],
)
def test_real_news_patterns_3(sentence: str, expected: list[Rel]) -> None:
    _check(sentence, expected)


def test_relative_clause_is_background_not_the_report() -> None:
    recs = extract_text(
        "Karl Brandt, who visited Norway last month, spoke to Piet Varga by phone, "
        "the ministry said."
    )
    visit = _find(recs, ("visited", "Karl Brandt", "Norway", P, A))
    assert visit is not None and visit.attributed_to is None and visit.is_plain_fact
    call = _find(recs, ("called", "Karl Brandt", "Piet Varga", P, A))
    assert call is not None and call.attributed_to == "the ministry"


def test_not_aware_of_plans_is_a_negative_plan() -> None:
    recs = extract_text(
        "The ministry has said it is not aware of any plans for a call between Karl Brandt "
        "and Anna Holt."
    )
    assert _find(recs, ("called", "Karl Brandt", "Anna Holt", N, PL)) is not None
    assert not any(r.is_plain_fact for r in recs)


@pytest.mark.parametrize(
    ("text", "claim", "denied_party"),
    [
        (
            "The Daily Herald reported that Karl Brandt had criticised Piet Varga. "
            "Anna Holt dismissed the report as untrue.",
            ("criticized", "Karl Brandt", "Piet Varga", P, A),
            "Piet Varga",
        ),
        (
            "Anna Holt accused Lundia of lying. Karl Brandt rejected the accusation as absurd.",
            ("accused", "Anna Holt", "Lundia", P, A),
            "Anna Holt",
        ),
    ],
)
def test_the_report_of_the_sentence_before_is_denied(
    text: str, claim: Rel, denied_party: str
) -> None:
    recs = extract_text(text)
    found = _find(recs, claim)
    assert found is not None and found.denied_by
    denials = [r for r in recs if r.type == "denied"]
    assert [(d.object, d.denies) for d in denials] == [(denied_party, found.id)]


def test_a_plain_fact_before_is_not_the_report() -> None:
    recs = extract_text("Anna Holt met Piet Varga on Monday. Karl Brandt dismissed the report.")
    assert [r.type for r in recs] == ["met", "denied"] and recs[0].is_plain_fact
    # the denial of "the report" stands alone: it neither points at nor names the meeting
    assert (recs[1].object, recs[1].denies, recs[1].claim_text) == (None, None, "the report")


# -- real-news trigger coverage (CAMEO-aligned) and modality; sentences written for the project

@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Governor Ilse Marek paid a courtesy call on President Tomas Reyes.",
         [("met", "Ilse Marek", "Tomas Reyes", P, A)]),
        ("Veridia called in the Marovian ambassador, Piet Lind, last week.",
         [("met", "Veridia", "Piet Lind", P, A)]),
        ("Senator Anna Holt held discussions with Governor Piet Varga in Oslo.",
         [("met", "Anna Holt", "Piet Varga", P, A)]),
        ("Chancellor Felix Braun congratulated Tomas Reyes on his victory.",
         [("supported", "Felix Braun", "Tomas Reyes", P, A)]),
        ("Marta Kolar paid tribute to Tomas Reyes.",
         [("supported", "Marta Kolar", "Tomas Reyes", P, A)]),
        ("Kolar sent Reyes his congratulations.", [("supported", "Kolar", "Reyes", P, A)]),
        ("Tomas Reyes gave Marta Kolar a call on Monday.",
         [("called", "Tomas Reyes", "Marta Kolar", P, A)]),
        # a particle-less "called on X to" stays an appeal, not a meeting
        ("Reyes called on Marek to resign.", []),
        # summoned to a place: a meeting there, not a phone call (patterns.yaml)
        ("Sir Edward Lind called Felix Braun back to Downing Street for a last attempt at a deal.",
         [("met", "Edward Lind", "Felix Braun", P, A)]),
        ("Felix Braun called Tomas Reyes back on Sunday.",
         [("called", "Felix Braun", "Tomas Reyes", P, A)]),
        ("President Garcia had recently spoken by telephone with Mexican President Tomas Reyes.",
         [("called", "Garcia", "Tomas Reyes", P, A)]),
        ("Kolar defeated Moscow-backed candidate Viktor Lind at the polls.",
         [("supported", "Russia", "Viktor Lind", P, A)]),  # the capital acts for its country
        ("Veridia gave strong support to Marovia.", [("supported", "Veridia", "Marovia", P, A)]),
        ("Lind briefly visited the tomb of Anton Weber in Lisbon.",
         [("visited", "Lind", "Lisbon", P, A)]),
        ("Anna Holt is due to visit the Portuguese community in Lisbon on Tuesday afternoon.",
         [("visited", "Anna Holt", "Lisbon", P, PL)]),
        ("During his stay in Lisbon, Lind was also scheduled to meet with Felix Braun.",
         [("visited", "Lind", "Lisbon", P, A), ("met", "Lind", "Felix Braun", P, PL)]),
        ("Kolar discussed the idea with Felix Braun during his time in office.",
         [("met", "Kolar", "Felix Braun", P, A)]),
        ("Kolar discussed the idea with Felix Braun by telephone.",
         [("called", "Kolar", "Felix Braun", P, A)]),
        ("In a telephone conversation on Thursday, Ilona Varga and Luis Andrade discussed "
         "energy prices.", [("called", "Ilona Varga", "Luis Andrade", P, A)]),
        ("Kolar had dinner with Felix Braun in Vienna.", [("met", "Kolar", "Felix Braun", P, A)]),
        # the topic's own "between" phrase names no party of the discussion
        ("Anna Holt will meet Piet Varga to discuss relations between Veridia and Marovia.",
         [("met", "Anna Holt", "Piet Varga", P, PL)]),
        ("Yelena Sorokina is backed by the three largest parties and was endorsed on Monday "
         "by the Marovian Bar Association.",
         [("supported", "Marovian Bar Association", "Yelena Sorokina", P, A)]),
        ("Veridia and Kestland pledged 3.5 billion euros in support for Aldmark on Tuesday.",
         [("supported", "Veridia", "Aldmark", P, A), ("supported", "Kestland", "Aldmark", P, A)]),
        # officials of two named bodies act as each of them
        ("Anna Holt met officials of Veridia and Marovia in Oslo.",
         [("met", "Anna Holt", "Veridia", P, A), ("met", "Anna Holt", "Marovia", P, A)]),
        # a visit to a person in a city stays a meeting
        ("Anna Holt visited Felix Braun in Lisbon.", [("met", "Anna Holt", "Felix Braun", P, A)]),
    ],
)
def test_cameo_triggers(sentence: str, expected: list[Rel]) -> None:
    _check(sentence, expected)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Foreign Secretary Anna Holt is to visit Lisbon and Madrid this week.",
         [("visited", "Anna Holt", "Lisbon", P, PL), ("visited", "Anna Holt", "Madrid", P, PL)]),
        ("Anna Holt was to visit Lisbon on Friday.", [("visited", "Anna Holt", "Lisbon", P, PL)]),
        ("Anna Holt leaves for Lisbon tomorrow.", [("visited", "Anna Holt", "Lisbon", P, PL)]),
        ("Holt, who leaves for Lisbon tomorrow, said she would press for a deal.",
         [("visited", "Holt", "Lisbon", P, PL)]),
        ("The government hopes for a breakthrough during next week's visit to Lisbon by "
         "Minister Piet Lind.", [("visited", "Piet Lind", "Lisbon", P, PL)]),
        ("Lind added that during his Lisbon visit he would be talking to them about it.",
         [("visited", "Lind", "Lisbon", P, PL)]),
        ("During his visit to Lisbon, Lind met Felix Braun.",
         [("visited", "Lind", "Lisbon", P, A), ("met", "Lind", "Felix Braun", P, A)]),
        # a present-tense verb with the current period is a schedule (headline style)
        ("Queen Anna visits Marovia this week.", [("visited", "Anna", "Marovia", P, PL)]),
        ("Queen Anna visited Marovia this week.", [("visited", "Anna", "Marovia", P, A)]),
        ("Anna Holt is currently on a high-profile tour of Africa to promote the plan.",
         [("visited", "Anna Holt", "Africa", P, A)]),
        # an event noun described in the present tense is not reported as done
        ("Mr Lind's Lisbon trip is part of regular meetings with Portuguese ministers.",
         [("visited", "Lind", "Lisbon", P, PL)]),
        ("Kolar was speaking for the first time since returning from his holiday in Egypt.",
         [("visited", "Kolar", "Egypt", P, A)]),
        # "the city": the capital named last before it in the sentence
        ("After a stop in Peru, Anna Holt saw officials in Baghdad on her first trip to the city.",
         [("visited", "Anna Holt", "Baghdad", P, A)]),
        # a mission to a place is a trip there
        ("Piet Varga flew home after his mission to Ostria.",
         [("visited", "Piet Varga", "Ostria", P, A)]),
        # a past narrative with "the next day" is no plan
        ("Anna Holt met Piet Lind in Lisbon the next day.",
         [("met", "Anna Holt", "Piet Lind", P, A)]),
    ],
)
def test_real_news_modality(sentence: str, expected: list[Rel]) -> None:
    _check(sentence, expected)


@pytest.mark.parametrize(
    ("text", "rel", "source"),
    [
        # the one outlet the article credits carries its unnamed reports, across sentences
        ("Officials denied reports that Felix Braun met Tomas Reyes in Vienna.\n\n"
         "Two Veridian sources told the Daily Courier that the talks lasted an hour.",
         ("met", "Felix Braun", "Tomas Reyes", P, A), "Daily Courier"),
        ("It was reported that Felix Braun phoned Tomas Reyes on Sunday.\n\n"
         "The Daily Courier reported that the call was friendly.",
         ("called", "Felix Braun", "Tomas Reyes", P, A), "Daily Courier"),
        # two outlets: nothing is guessed
        ("It was reported that Felix Braun phoned Tomas Reyes on Sunday.\n\n"
         "The Daily Courier reported that the call was friendly, and the Morning Herald "
         "reported that it was short.",
         ("called", "Felix Braun", "Tomas Reyes", P, A), UNNAMED_SOURCE),
    ],
)
def test_unnamed_reports_credited_to_the_article_outlet(text: str, rel: Rel, source: str) -> None:
    recs = extract_text(text)
    found = _find(recs, rel)
    assert found is not None, [(r.type, r.subject, r.object) for r in recs]
    assert found.attributed_to is not None and names_match(found.attributed_to, source)
    assert not found.is_plain_fact


def test_an_unresolved_pronoun_is_never_a_source_label() -> None:
    recs = extract_text("He said Felix Braun had met Tomas Reyes in Vienna.")
    assert recs and all(r.attributed_to == UNNAMED_SOURCE for r in recs)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # office holders of named countries act as them, each of a coordinated pair
        (
            "Piet Varga phoned the presidents of Sri Lanka and Norland on Monday.",
            [("called", "Piet Varga", "Sri Lanka", P, A),
             ("called", "Piet Varga", "Norland", P, A)],
        ),
        # "other NATO leaders" are the rest of NATO, not a part of it
        (
            "Anna Holt will meet Piet Varga and other Nato leaders in Brussels.",
            [("met", "Anna Holt", "Piet Varga", P, PL), ("met", "Anna Holt", "Nato", P, PL)],
        ),
        # officials or leaders "in" a named body or capital act as it, also with the phrase
        # hung on the verb
        (
            "Anna Holt will meet officials in the Brenco Group and the Ministry of Finance.",
            [("met", "Anna Holt", "Brenco Group", P, PL),
             ("met", "Anna Holt", "Ministry of Finance", P, PL)],
        ),
        (
            "Anna Holt flew to Iraq, where she met leaders in Baghdad.",
            [("visited", "Anna Holt", "Iraq", P, A), ("met", "Anna Holt", "Iraq", P, A)],
        ),
        # a habit is no event: neither a meeting nor a meeting that did not happen
        ("Anna Holt has rarely met Piet Varga.", []),
        ("Anna Holt seldom backs Piet Varga in public.", []),
    ],
)
def test_office_holders_and_habits(sentence: str, expected: list[Rel]) -> None:
    _check(sentence, expected)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a verb with no object shares the object of the verb coordinated with it
        (
            "Anna Holt met and praised Piet Varga.",
            [("met", "Anna Holt", "Piet Varga", P, A),
             ("supported", "Anna Holt", "Piet Varga", P, A)],
        ),
        ("Anna Holt has never met or spoken to Piet Varga.",
         [("met", "Anna Holt", "Piet Varga", N, A)]),
    ],
)
def test_coordinated_verbs_share_an_object(sentence: str, expected: list[Rel]) -> None:
    _check(sentence, expected)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # talks and discussions are met unless a phone is stated (ANNOTATION.md)
        ("Anna Holt talked with Piet Varga about trade.",
         [("met", "Anna Holt", "Piet Varga", P, A)]),
        ("Anna Holt talked to Piet Varga by phone.", [("called", "Anna Holt", "Piet Varga", P, A)]),
        ("Anna Holt talked to reporters about Piet Varga.", []),
        # a video call is a call
        ("Anna Holt and Piet Varga talked by video link.",
         [("called", "Anna Holt", "Piet Varga", P, A)]),
        ("Anna Holt held a video conference with Piet Varga.",
         [("called", "Anna Holt", "Piet Varga", P, A)]),
        ("Anna Holt spoke at a conference with Piet Varga.", []),
    ],
)
def test_talking_is_a_meeting_unless_by_phone(sentence: str, expected: list[Rel]) -> None:
    _check(sentence, expected)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # the name put in apposition to a nested "head of the bank of X" phrase
        ("Karl Lind and the head of the central bank of Norland, Piet Varga, met in Vienna.",
         [("met", "Karl Lind", "Piet Varga", P, A)]),
        # ... or hung by the parser on the first conjunct
        ("Ostrian central bank president Karl Lind and the head of the central bank of "
         "Norland, Piet Varga, met in Vienna yesterday to coordinate actions.",
         [("met", "Karl Lind", "Piet Varga", P, A)]),
    ],
)
def test_a_described_party_named_in_apposition(sentence: str, expected: list[Rel]) -> None:
    _check(sentence, expected)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # after ", and" the parser hangs the last object on the verb: still an object
        ("Anna Holt phoned President Piet Varga, and the leaders of Chile and Peru.",
         [("called", "Anna Holt", "Piet Varga", P, A), ("called", "Anna Holt", "Chile", P, A),
          ("called", "Anna Holt", "Peru", P, A)]),
        # a second clause is no object
        ("Anna Holt praised Piet Varga, and the crowd cheered.",
         [("supported", "Anna Holt", "Piet Varga", P, A)]),
    ],
)
def test_a_last_conjunct_hung_on_the_verb(sentence: str, expected: list[Rel]) -> None:
    _check(sentence, expected)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a nationality adjective on an act names the country whose act it is
        ("Norway wants to join the bloc. Anna Holt said Sweden welcomed Norwegian membership.",
         [("supported", "Sweden", "Norway", P, A)]),
        # a name before a listed noun of agency is its owner ...
        ("Norway sent ships. Karl Lind said he was very supportive of the Norway role.",
         [("supported", "Karl Lind", "Norway", P, A)]),
        ("Senator Anna Holt strongly backed the Varga administration on Monday.",
         [("supported", "Anna Holt", "Varga", P, A)]),
        # ... an organisation's name always is
        ("The Green Alliance unveiled proposals. Anna Holt backed the bold Green Alliance "
         "proposals.",
         [("supported", "Anna Holt", "Green Alliance", P, A)]),
        # a place before a plan is what the plan is for
        ("Anna Holt praised the Africa plan.", []),
    ],
)
def test_a_modifier_names_the_owner_of_an_act(sentence: str, expected: list[Rel]) -> None:
    _check(sentence, expected)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # "we" in what an organisation or country says is that body
        ('Ostria wants to join. "The Commission has repeatedly said that we back Ostria\'s '
         'quick entry into the bloc," Anna Holt told reporters.',
         [("supported", "European Commission", "Ostria", P, A)]),
        # a person's "we" is no one the text names
        ("Ostria wants to join. Anna Holt said that we back Ostria.", []),
    ],
)
def test_we_in_a_body_s_statement(sentence: str, expected: list[Rel]) -> None:
    _check(sentence, expected)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # words act for their speaker (cue actor_nouns)
        ("Anna Holt spoke on Monday. Her comment was a clear endorsement of Piet Varga.",
         [("supported", "Anna Holt", "Piet Varga", P, A)]),
        ("Anna Holt's statement praised Piet Varga.",
         [("supported", "Anna Holt", "Piet Varga", P, A)]),
        # an unowned statement is no one's
        ("The statement praised Piet Varga.", []),
    ],
)
def test_words_act_for_their_speaker(sentence: str, expected: list[Rel]) -> None:
    _check(sentence, expected)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a bare "the plans" is the plans last owned by someone
        ("The Green Alliance unveiled proposals. Anna Holt backed the bold Green Alliance "
         "proposals. Piet Varga later endorsed the proposals too.",
         [("supported", "Anna Holt", "Green Alliance", P, A),
          ("supported", "Piet Varga", "Green Alliance", P, A)]),
        # ... an act of the person, not the person welcomed in person
        ("Anna Holt praised Piet Varga's budget. Karl Lind also welcomed the budget.",
         [("supported", "Anna Holt", "Piet Varga", P, A),
          ("supported", "Karl Lind", "Piet Varga", P, A)]),
        ("Anna Holt praised the budget. Karl Lind also welcomed the budget.", []),
    ],
)
def test_an_act_named_again_is_its_owner_s(sentence: str, expected: list[Rel]) -> None:
    recs = _check(sentence, expected)
    assert not [r for r in recs if r.type == "met"]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # confidence in and verbal defence of a party are support (CAMEO 051)
        ("Piet Varga trusts Anna Holt.",
         [("supported", "Piet Varga", "Anna Holt", P, A)]),
        ("Anna Holt defended Piet Varga's record on the economy.",
         [("supported", "Anna Holt", "Piet Varga", P, A)]),
        ("The authorities do not trust him.", []),
        ("Anna Holt defended the decision.", []),
    ],
)
def test_trust_and_defence(sentence: str, expected: list[Rel]) -> None:
    _check(sentence, expected)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a person's colleagues act as the party the article affiliates them with
        ("The Liberals gathered in Leeds. Liberal leader Karl Lind met Anna Holt. Mr Lind's "
         "colleagues later praised Piet Varga.",
         [("supported", "Liberal Party", "Piet Varga", P, A)]),
        # a party named by its members
        ("The Tories endorsed Karl Lind on Friday.",
         [("supported", "Conservative Party", "Karl Lind", P, A)]),
    ],
)
def test_a_party_and_its_members(sentence: str, expected: list[Rel]) -> None:
    recs = _check(sentence, expected)
    assert all(r.subject != "Liberals" for r in recs)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a leader's ministers act for the country the leader heads; counterparts of a
        # nationality act for that country
        ("King Piet of Norway arrives in Germany on Monday. He is bringing his finance and "
         "energy ministers, who are to hold talks with their German counterparts.",
         [("met", "Norway", "Germany", P, PL)]),
        # a party leader's shadow cabinet acts as the party
        ("The Whig Party met in Leeds. Whig leader Anna Holt has denied her shadow cabinet was "
         "split over the tax plan.",
         [("denied", "Anna Holt", "Whig Party", P, A)]),
    ],
)
def test_representatives_and_groups(sentence: str, expected: list[Rel]) -> None:
    _check(sentence, expected)


def test_a_group_noun_before_the_list_it_names() -> None:
    """"the trio" before the article lists three persons: each of them denies."""
    recs = extract_text(
        "The trio deny taking the ledgers. The suit against Ana Holt, Piet Varga and Ivo Lenz "
        "opened in Velmar."
    )
    assert {(r.subject, r.object) for r in recs if r.type == "denied"} == {
        ("Ana Holt", None), ("Piet Varga", None), ("Ivo Lenz", None)
    }


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # the owner of the noun an infinitive completes is its subject
        ("Anna Holt was split over Veridia's decision to back Ostria's entry.",
         [("supported", "Veridia", "Ostria", P, A)]),
        ("Anna Holt backed Karl Lind's bid to meet Piet Varga.",
         [("supported", "Anna Holt", "Karl Lind", P, A),
          ("met", "Karl Lind", "Piet Varga", P, PL)]),
    ],
)
def test_an_owned_decision_to_act(sentence: str, expected: list[Rel]) -> None:
    _check(sentence, expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an unplaced visit in a datelined story is a visit to the dateline's country ...
        (
            "Lundian king in Norway\n\nOSLO, May 4 - King Anton of Lundia opens a three-day "
            "state visit on Tuesday, his first since 1990, with trade high on the agenda for "
            "Norway.\n",
            [("visited", "King Anton", "Norway", P, PL)],
        ),
        # ... or to its city when the clause says "here"
        (
            "Talks in Oslo\n\nOSLO, May 4 - Anna Holt received Crown Prince Karl of Lundia in "
            "Oslo on Monday.\n\nKarl, in town since Sunday and here on a private visit, called "
            "the talks useful.\n",
            [("met", "Karl", "Anna Holt", P, A), ("visited", "Karl", "Oslo", P, A)],
        ),
        # an intransitive "visited", and a gapped second subject
        (
            "Kings in Britain\n\nLONDON, March 2 - Britain has good ties with Lundia. Queen Mira "
            "visited twice, in 1975 and 1990, and King Olaf in 2003.\n",
            [("visited", "Queen Mira", "United Kingdom", P, A),
             ("visited", "King Olaf", "United Kingdom", P, A)],
        ),
        # the sentence names where the travel goes: no visit to the dateline's place
        (
            "Holt to Lisbon\n\nOSLO, May 4 - Anna Holt, who leaves for Lisbon tomorrow, said "
            "the visit would help trade with Norway.\n",
            [("visited", "Anna Holt", "Lisbon", P, PL)],
        ),
        # ... X's travel, not another traveller's; a reason for a cancelling is not cancelled
        (
            "Holt stays home\n\nOSLO, May 4 - Anna Holt has called off a trip to Lisbon because "
            "of the visit by Lundian President Karl Berg, her office said. Norway and Lundia "
            "are old partners.\n",
            [("visited", "Anna Holt", "Lisbon", N, A), ("visited", "Karl Berg", "Norway", P, A)],
        ),
        # no dateline, no place
        ("Kings\n\nKing Anton of Lundia begins a state visit on Tuesday.\n", []),
    ],
)
def test_visit_to_the_dateline_place(text: str, expected: list[Rel]) -> None:
    recs = extract_cleaned(text, date="2024-05-04")
    got = [r for r in recs if r.type in CORE]
    for want in expected:
        assert _find(tuple(got), want) is not None, (
            f"{want} not in {[(r.type, r.subject, r.object, r.polarity, r.modality) for r in got]}"
        )
    extra = [r for r in got if not any(_find((r,), w) for w in expected)]
    assert not extra, f"unexpected {[(r.type, r.subject, r.object) for r in extra]}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # headline-ese drops the article: the role is the one the story names
        (
            "LUNDIAN PRINCE GREETED BY ANNA HOLT\n\nOSLO, May 4 - Lundia's Crown Prince Karl "
            "held talks with Vice President Anna Holt at her residence on Monday.\n",
            [("met", "Karl", "Anna Holt", P, A), ("met", "Karl", "Anna Holt", P, A)],
        ),
        # "looks to" does what it seeks later: planned
        (
            "Lundian minister looks to calm farm row on Oslo trip\n\nLONDON, May 4 - Lundia's "
            "Trade Minister Piet Varga leaves for Oslo tomorrow to discuss tariffs.\n",
            [("visited", "Piet Varga", "Oslo", P, PL), ("visited", "Piet Varga", "Oslo", P, PL)],
        ),
    ],
)
def test_headline_roles_are_the_story_s(text: str, expected: list[Rel]) -> None:
    got = [r for r in extract_cleaned(text, date="2024-05-04") if r.type in CORE]
    assert len(got) == len(expected), [(r.type, r.subject, r.object, r.sentence) for r in got]
    for rec, want in zip(got, expected, strict=True):
        assert _find((rec,), want) is not None, (rec.type, rec.subject, rec.object, rec.modality)


def test_an_office_prefix_alone_is_no_name() -> None:
    recs = extract_cleaned(
        "LUNDIAN PRINCE GREETED BY US VICE PRES HOLT\n\nOSLO, May 4 - Lundia's Crown Prince "
        "Karl held talks with Vice President Anna Holt on Monday.\n",
        date="2024-05-04",
    )
    assert not [r for r in recs if "Vice" in (r.subject, r.object)]


def test_an_acronym_is_the_organisation_it_abbreviates() -> None:
    recs = extract_cleaned(
        "Ukraine WTO talks resume in Geneva\n\nUkraine wants to join the World Trade "
        "Organisation (WTO) this year.\n",
        date="2024-05-04",
    )
    assert [(r.type, r.subject, r.object) for r in recs if r.type in CORE] == [
        ("met", "Ukraine", "World Trade Organisation")
    ]


def test_an_honorific_makes_a_nationality_word_a_name() -> None:
    # spaCy tags "Irish" after "Mr" a nationality; the honorific says it is a surname
    recs = extract_text(
        "Piet Irish chairs the Lundian bank.\nShortly after his second meeting with Mr Irish, "
        "Karl Brandt resigned as minister."
    )
    assert any(
        r.type == "met" and names_match(r.subject, "Karl Brandt") and names_match(r.object, "Irish")
        for r in recs
    ), [(r.type, r.subject, r.object) for r in recs]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # "they" of a symmetric verb with no object: the two of the clause before
        (
            "Anna Holt phoned Piet Varga and they met a week later.",
            [("called", "Anna Holt", "Piet Varga", P, A), ("met", "Anna Holt", "Piet Varga", P, A)],
        ),
        (
            "Anna Holt says she rang Piet Varga after reading his book; they met up soon "
            "afterwards and have worked together since.",
            [("called", "Anna Holt", "Piet Varga", P, A), ("met", "Anna Holt", "Piet Varga", P, A)],
        ),
        # with an object of their own, they met someone else: no pair
        (
            "Anna Holt phoned Piet Varga and they met with Karl Brandt a week later.",
            [("called", "Anna Holt", "Piet Varga", P, A)],
        ),
    ],
)
def test_they_of_a_reciprocal_verb(sentence: str, expected: list[Rel]) -> None:
    recs = extract_text(sentence)
    pairs = [(r.type, r.subject, r.object) for r in recs if r.type in ("met", "called")]
    for want in expected:
        assert _find(recs, want) is not None, pairs
    assert len(pairs) == len(expected), pairs


def test_an_acronym_is_known_where_spacy_misses_it() -> None:
    # "OMC" is Ostria Mining Corp; a mention spaCy leaves untagged is still the company
    recs = extract_text(
        "Felix Braun chairs the committee that watches Ostria Mining Corp (OMC).\n"
        "OMC said on Monday it would raise its offer.\n"
        "At a meeting on Friday, Braun told OMC that the bid was too low."
    )
    assert ("met", "Felix Braun", "Ostria Mining Corp") in [
        (r.type, r.subject, r.object) for r in recs
    ]
