"""kg.records: the JSONL hand-off, both ways, and a reason for every bad line."""

from __future__ import annotations

import io
import json

import pytest

from kg import iris
from kg.errors import InputError
from kg.model import Article, Entity, Evidence, RelationRecord
from kg.records import (
    RecordLine,
    article_from_json,
    article_to_json,
    dumps,
    entity_from_json,
    entity_to_json,
    read_records,
    relation_from_json,
    relation_to_json,
    write_records,
)

REL = {"doc": "d", "type": "met", "subject": "Ana Kolar", "object": "Jonas Braun",
       "sentence": "Kolar and Braun met in Lisbon.", "start": 3, "end": 33}


def test_relation_round_trip() -> None:
    rec = relation_from_json({**REL, "attributed_to": "Daily Ledger", "denied_by": ["X"],
                              "date": "2021", "place": "Lisbon", "confidence": 0.5,
                              "evidence": [{"sentence": "again", "start": 50, "end": 55}]})
    assert rec.subject_id == iris.entity_iri("Ana Kolar")
    assert rec.id.startswith(iris.DEFAULT_BASE + "relation/met-")
    assert rec.extra_evidence == (Evidence("again", 50, 55),)
    again = relation_from_json(json.loads(dumps(relation_to_json(rec))))
    assert again == rec


def test_minted_ids_are_deterministic_and_follow_base() -> None:
    assert relation_from_json(REL).id == relation_from_json(dict(REL)).id
    other = relation_from_json(REL, base="https://example.org/")
    assert other.id.startswith("https://example.org/relation/")
    assert relation_from_json({**REL, "polarity": "negative"}).id != relation_from_json(REL).id


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        ({"object": None}, "missing field 'object'"),
        ({"subject": "  "}, "field 'subject' is empty"),
        ({"type": 3}, "must be a string"),
        ({"polarity": "maybe"}, "polarity"),
        ({"modality": "perhaps"}, "modality"),
        ({"confidence": 1.5}, "between 0 and 1"),
        ({"confidence": True}, "must be a number"),
        ({"start": -1}, "non-negative"),
        ({"start": 40, "end": 10}, "before 'start'"),
        ({"denied_by": "Kremlin"}, "list of strings"),
        ({"evidence": [1]}, "must be an object"),
    ],
)
def test_bad_relations_say_why(change: dict, needle: str) -> None:
    obj = {**REL, **change}
    obj = {k: v for k, v in obj.items() if v is not None}
    with pytest.raises(ValueError, match=needle):
        relation_from_json(obj)


def test_entity_and_article_records() -> None:
    ent = Entity(iris.entity_iri("Ana Kolar"), "Ana Kolar", "Person", ("Kolar",))
    assert entity_from_json(entity_to_json("d", ent)) == ent
    with pytest.raises(ValueError, match="entity type"):
        entity_from_json({"label": "x", "type": "Alien"})
    art = Article(doc="d", text="", title="T", date="2024-11-11", author="A", url="u",
                  source="S", content_hash="h")
    assert article_from_json(article_to_json(art)) == art


def test_read_records_names_file_and_line() -> None:
    lines = [json.dumps(REL), "", "{broken", "[]", json.dumps({"record": "thing"}),
             json.dumps({"record": "entity", "doc": "d", "label": "L", "type": "Group"})]
    items = list(read_records(lines, "in.jsonl"))
    errors = [i for i in items if isinstance(i, InputError)]
    assert [(e.line, str(e).split(":")[0]) for e in errors] == [
        (3, "in.jsonl"), (4, "in.jsonl"), (5, "in.jsonl")]
    assert "not valid JSON" in str(errors[0]) and "expected a JSON object" in str(errors[1])
    assert "unknown record kind" in str(errors[2])
    good = [i for i in items if isinstance(i, RecordLine)]
    assert [g.line for g in good] == [1, 6]
    assert good[1].doc == "d" and isinstance(good[1].record, Entity)


def test_write_records() -> None:
    out = io.StringIO()
    rec = relation_from_json(REL)
    assert write_records(out, [rec, Article(doc="d", text="")]) == 2
    first, second = out.getvalue().splitlines()
    assert isinstance(relation_from_json(json.loads(first)), RelationRecord)
    assert json.loads(second)["record"] == "article"
    with pytest.raises(TypeError):
        write_records(out, [Entity("i", "l", "Group")])
