"""The scorer: each matching rule of data/README.md as a table case, gold formats, kg eval."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import run_kg
from helpers_extract import gold, pred

from kg.errors import InputError
from kg.evaluate import (
    edit_distance,
    load_gold,
    name_tokens,
    names_match,
    score,
)
from kg.records import dumps, relation_to_json


@pytest.mark.parametrize(
    ("a", "b", "match"),
    [
        ("Putin", "Vladimir Putin", True),  # token subset
        ("Vladimir Putin", "Russian President Vladimir Putin", True),
        ("Mr Peskov", "Dmitry Peskov", True),  # title dropped
        ("Prime Minister Ilona Varga", "Ilona Varga", True),
        ("the Kremlin", "Kremlin", True),  # leading "the"
        ("Braun's", "Felix Braun", True),  # possessive
        ("The Washington Post", "the Washington Post", True),
        ("Zelensky", "Zelenskyy", True),  # edit distance on the last token
        ("Volodymyr Zelensky", "Volodymyr Zelenskyy", True),
        ("V. Zelenskyy", "Volodymyr Zelensky", True),  # an initial
        ("Zelensky", "Volodymyr Zelenskyy", True),
        ("Marta Kolar", "Felix Braun", False),
        ("Anya Kolar", "Marta Kolar", False),  # no subset, and the first tokens differ
        ("Felix Braun", "Felix Brandt", False),  # distance 3
        ("Pavel Novak", "Petra Novak", False),  # different first names, not an initial
        ("Xi", "Li", False),  # short tokens never fuzzy-match
        ("President", "President Reyes", False),  # a bare title is not a name
        ("Ukraine", "Russia", False),
    ],
)
def test_names_match(a: str, b: str, match: bool) -> None:
    assert names_match(a, b) is match
    assert names_match(b, a) is match


def test_name_tokens_and_distance() -> None:
    assert name_tokens("Russia's Vladimir Putin") == ("russia", "vladimir", "putin")
    assert name_tokens("The Prime Minister") == ("prime", "minister")
    assert edit_distance("zelensky", "zelenskyy") == 1
    assert edit_distance("", "abc") == 3


def _figures(report: object) -> tuple[int, int, int]:
    overall = report.overall  # type: ignore[attr-defined]
    return overall.gold, overall.predicted, overall.matched


@pytest.mark.parametrize(
    ("case", "golds", "preds", "figures"),
    [
        ("exact", [gold("met", "Marta Kolar", "Felix Braun")],
         [pred("met", "Kolar", "Braun")], (1, 1, 1)),
        ("symmetric met, reversed", [gold("met", "Marta Kolar", "Felix Braun")],
         [pred("met", "Felix Braun", "Marta Kolar")], (1, 1, 1)),
        ("symmetric called, reversed", [gold("called", "Varga", "Reyes")],
         [pred("called", "Reyes", "Varga")], (1, 1, 1)),
        ("supported is directed", [gold("supported", "Liberty Party", "Ilona Varga")],
         [pred("supported", "Ilona Varga", "Liberty Party")], (1, 1, 0)),
        ("type must agree", [gold("met", "Kolar", "Braun")],
         [pred("called", "Kolar", "Braun")], (1, 1, 0)),
        ("document must agree", [gold("met", "Kolar", "Braun", doc="d1")],
         [pred("met", "Kolar", "Braun", doc="d2")], (1, 0, 0)),
        ("denial object = claim subject",
         [gold("denied", "Kremlin", "United States", claim=("urged", "United States", "Russia"))],
         [pred("denied", "Kremlin", "Russia")], (1, 1, 1)),
        ("denial object = claim object",
         [gold("denied", "Kremlin", "Donald Trump", claim=("called", "Donald Trump", "Putin"))],
         [pred("denied", "The Kremlin", "Vladimir Putin")], (1, 1, 1)),
        ("denial object unrelated", [gold("denied", "Kremlin", "Trump",
                                          claim=("called", "Trump", "Putin"))],
         [pred("denied", "Kremlin", "Ukraine")], (1, 1, 0)),
        ("denial with no named claimant: any object", [gold("denied", "Felix Braun", None)],
         [pred("denied", "Braun", "Veridia")], (1, 1, 1)),
        ("denial with no named claimant: the denier must agree",
         [gold("denied", "Felix Braun", None)], [pred("denied", "Kolar", "Veridia")], (1, 1, 0)),
        ("each gold matched once", [gold("met", "Kolar", "Braun")],
         [pred("met", "Kolar", "Braun", start=1), pred("met", "Braun", "Kolar", start=2)],
         (1, 1, 1)),  # the duplicate counts neither way
        ("two gold, two predictions", [gold("met", "Kolar", "Braun"), gold("met", "Kolar", "Braun",
                                                                         modality="planned")],
         [pred("met", "Kolar", "Braun", start=1), pred("met", "Kolar", "Braun", start=2)],
         (2, 2, 2)),
        ("spurious counts against precision", [gold("met", "Kolar", "Braun")],
         [pred("met", "Kolar", "Braun"), pred("met", "Kolar", "Reyes")], (1, 2, 1)),
        ("unscored type ignored", [gold("met", "Kolar", "Braun")],
         [pred("met", "Kolar", "Braun"), pred("criticized", "Kolar", "Reyes")], (1, 1, 1)),
        ("extended type in gold is scored", [gold("urged", "Reyes", "Kolar")],
         [pred("urged", "Reyes", "Kolar"), pred("urged", "Reyes", "Braun")], (1, 2, 1)),
        ("no gold, one prediction", [], [pred("met", "Kolar", "Braun")], (0, 1, 0)),
    ],
)
def test_matching_rules(case: str, golds: list, preds: list, figures: tuple[int, int, int]) -> None:
    docs = {"d1"} | {g.doc for g in golds}
    report = score(golds, preds, docs=docs)
    assert _figures(report) == figures, case


def test_duplicates_are_counted_separately() -> None:
    report = score([gold("met", "Kolar", "Braun")],
                   [pred("met", "Kolar", "Braun", start=1), pred("met", "Kolar", "Braun", start=9)])
    assert report.duplicates == 1
    assert report.spurious == ()
    assert report.overall.precision == 1.0


def test_attribute_accuracy_prefers_agreeing_pairs() -> None:
    golds = [
        gold("called", "Trump", "Putin", attributed_to="The Washington Post"),
        gold("called", "Trump", "Putin", modality="planned", attributed_to="The Washington Post"),
    ]
    preds = [
        pred("called", "Donald Trump", "Vladimir Putin", modality="planned",
             attributed_to="Washington Post", start=5),
        pred("called", "Donald Trump", "Vladimir Putin", attributed_to="Washington Post",
             denied_by=("Kremlin",), start=1),
    ]
    report = score(golds, preds)
    assert report.modality.value == 1.0
    assert report.polarity.value == 1.0
    assert report.attributed.value == 1.0


def test_attributed_accuracy_is_about_being_set() -> None:
    report = score([gold("met", "Kolar", "Reyes", attributed_to="unnamed reports")],
                   [pred("met", "Kolar", "Reyes", attributed_to="Daily Courier")])
    assert report.attributed.value == 1.0
    report = score([gold("met", "Kolar", "Reyes", attributed_to="unnamed reports")],
                   [pred("met", "Kolar", "Reyes")])
    assert report.attributed.value == 0.0


@pytest.mark.parametrize(
    ("golds", "p", "false_facts"),
    [
        ([gold("met", "Kolar", "Reyes", polarity="negative")], pred("met", "Kolar", "Reyes"), 1),
        ([gold("met", "Kolar", "Reyes", modality="planned")], pred("met", "Kolar", "Reyes"), 1),
        ([gold("met", "Kolar", "Reyes", attributed_to="unnamed reports")],
         pred("met", "Kolar", "Reyes"), 1),
        ([gold("met", "Kolar", "Reyes", attributed_to="unnamed reports")],
         pred("met", "Kolar", "Reyes", attributed_to="unnamed reports"), 0),
        ([gold("met", "Kolar", "Reyes", attributed_to="unnamed reports")],
         pred("met", "Kolar", "Reyes", denied_by=("Veridian foreign ministry",)), 0),
        # denied by a gold denial (the relation itself looks plain)
        ([gold("met", "Kolar", "Reyes"),
          gold("denied", "Kolar", "Reyes", claim=("met", "Reyes", "Kolar"))],
         pred("met", "Kolar", "Reyes"), 1),
        # a party stating its own act is attributed to itself: still a fact
        ([gold("called", "Varga", "Reyes", attributed_to="Ilona Varga")],
         pred("called", "Ilona Varga", "Tomas Reyes"), 0),
        ([gold("called", "Varga", "Reyes", attributed_to="Ilona Varga")],
         pred("called", "Ilona Varga", "Tomas Reyes", attributed_to="Ilona Varga"), 0),
        ([gold("met", "Kolar", "Reyes")], pred("met", "Kolar", "Reyes"), 0),
        ([gold("met", "Kolar", "Reyes", polarity="negative")],
         pred("met", "Kolar", "Reyes", polarity="negative"), 0),
    ],
)
def test_false_facts(golds: list, p: object, false_facts: int) -> None:
    report = score(golds, [p])  # type: ignore[list-item]
    assert len(report.false_facts) == false_facts


def test_per_type_table_and_json() -> None:
    report = score(
        [gold("met", "Kolar", "Braun"), gold("called", "Varga", "Reyes")],
        [pred("met", "Kolar", "Braun"), pred("supported", "Lind", "Reyes")],
    )
    by_type = {t.type: t for t in report.types}
    assert [t.type for t in report.types][:4] == ["met", "called", "denied", "supported"]
    assert (by_type["met"].precision, by_type["met"].recall) == (1.0, 1.0)
    assert by_type["called"].recall == 0.0 and by_type["called"].precision is None
    assert by_type["supported"].precision == 0.0
    data = report.to_json()
    assert data["overall"] == {"gold": 2, "predicted": 2, "matched": 1, "precision": 0.5,
                               "recall": 0.5, "f1": 0.5}
    assert [m["type"] for m in data["misses"]] == ["called"]
    assert [s["type"] for s in data["spurious"]] == ["supported"]


# -- gold files ---------------------------------------------------------------------------------


def test_load_seed_gold(seed_dir: Path) -> None:
    g = load_gold(seed_dir / "expected.json")
    assert g.docs == ("seed-article",)
    assert len(g.relations) == 13  # 10 relations + 3 extended
    denials = [r for r in g.relations if r.type == "denied"]
    assert all(d.claim is not None for d in denials)


def test_load_dev_gold(dev_sentences: Path) -> None:
    g = load_gold(dev_sentences)
    assert g.docs[0] == "dev-01" and len(g.docs) == 45
    first = g.relations[0]
    assert (first.doc, first.type, first.subject, first.place) == (
        "dev-01", "met", "Marta Kolar", "Vienna")
    assert first.sentence and first.sentence.startswith("Veridian President")


def test_load_relation_lines_and_errors(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text(
        json.dumps({"doc": "a", "type": "met", "subject": "Kolar", "object": "Braun"}) + "\n"
        + json.dumps({"record": "article", "doc": "b"}) + "\n",
        encoding="utf-8",
    )
    g = load_gold(path)
    assert g.docs == ("a", "b") and len(g.relations) == 1
    path.write_text(
        json.dumps({"doc": "a", "type": "met", "subject": "Kolar", "object": "Braun"}) + "\n"
        + json.dumps({"doc": "a", "type": "met", "subject": "Kolar"}) + "\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        load_gold(path)
    assert err.value.line == 2 and "'object'" in err.value.message
    path.write_text(json.dumps({"doc": "a", "type": "met", "subject": "K", "object": "B",
                                "polarity": "maybe"}) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="polarity"):
        load_gold(path)


def test_denial_gold_may_lack_an_object(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps({"doc": "a", "type": "denied", "subject": "Braun",
                                "object": None}) + "\n", encoding="utf-8")
    assert load_gold(path).relations[0].object is None


def test_sentence_gold_located_in_articles(tmp_path: Path) -> None:
    """Sentence-mode gold that names its article and offsets scores predictions made on the
    whole article: each prediction counts for the sentence its evidence lies in."""
    path = tmp_path / "tricky.jsonl"
    lines = [
        {"id": "art:10", "doc": "art", "start": 10, "end": 40, "sentence": "Kolar met Braun.",
         "relations": [{"type": "met", "subject": "Kolar", "object": "Braun"}]},
        {"id": "art:50", "doc": "art", "start": 50, "end": 80, "sentence": "No relation here.",
         "relations": []},
    ]
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    g = load_gold(path)
    assert [s.id for s in g.spans] == ["art:10", "art:50"]
    inside = replace(pred("met", "Kolar", "Braun", doc="art", start=12), end=39)
    second = replace(pred("met", "Kolar", "Reyes", doc="art", start=55), end=70)
    outside = replace(pred("met", "Kolar", "Lind", doc="art", start=100), end=120)
    report = score(g, [inside, second, outside])
    assert _figures(report) == (1, 2, 1)
    assert report.ignored == 1 and report.spurious[0].doc == "art:50"


# -- kg eval ------------------------------------------------------------------------------------


def _write_preds(path: Path, preds: list) -> None:
    path.write_text("".join(dumps(relation_to_json(p)) + "\n" for p in preds), encoding="utf-8")


def test_kg_eval_on_prediction_records(tmp_path: Path) -> None:
    gold_path = tmp_path / "gold.jsonl"
    gold_path.write_text(
        json.dumps({"doc": "d1", "type": "met", "subject": "Marta Kolar", "object": "Felix Braun"})
        + "\n"
        + json.dumps({"doc": "d1", "type": "called", "subject": "Varga", "object": "Reyes",
                      "polarity": "negative"}) + "\n",
        encoding="utf-8",
    )
    preds = tmp_path / "pred.jsonl"
    _write_preds(preds, [pred("met", "Braun", "Kolar"), pred("called", "Varga", "Reyes"),
                         pred("supported", "Lind", "Kolar")])
    res = run_kg("eval", "--gold", gold_path, preds, "--verbose")
    assert res.returncode == 0, res.stderr
    assert "false facts: 1" in res.stdout
    assert "SPURIOUS [d1] supported(Lind -> Kolar)" in res.stdout
    assert "FALSE FACT [d1] called(Varga -> Reyes)" in res.stdout
    res = run_kg("eval", "--gold", gold_path, preds, "--json")
    data = json.loads(res.stdout)
    assert data["overall"]["matched"] == 2 and data["overall"]["predicted"] == 3


def test_kg_eval_usage_errors(tmp_path: Path) -> None:
    res = run_kg("eval", tmp_path / "x.jsonl")
    assert res.returncode == 2 and "--gold" in res.stderr
    res = run_kg("eval", "--gold", tmp_path / "missing.json", tmp_path / "x.jsonl")
    assert res.returncode == 2 and "missing.json" in res.stderr


@pytest.mark.model
def test_kg_eval_extracts_dev_sentences(dev_sentences: Path) -> None:
    res = run_kg("eval", "--gold", dev_sentences, dev_sentences, "--json")
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    assert data["overall"]["gold"] == 47
    assert data["overall"]["predicted"] > 0 and data["overall"]["matched"] > 0
    assert data["ignored"] == 0
