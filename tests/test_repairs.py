"""Model repairs (ontology/repairs.yaml): each repair's examples are test cases, the pipeline
runs the repairs last, and the file is checked on load."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kg.errors import KGError
from kg.extraction.repairs import PIPE_NAME, load_repairs, parse_repairs

REPAIRS = load_repairs()
EXAMPLES = [(r.name, ex) for r in REPAIRS for ex in r.examples]


@pytest.mark.model
@pytest.mark.parametrize(("name", "example"), EXAMPLES, ids=[n for n, _e in EXAMPLES])
def test_repair_examples(name: str, example: object) -> None:
    import spacy

    from kg.extraction.nlp import load_model

    text, word, attrs = example.text, example.token, example.attrs  # type: ignore[attr-defined]
    nlp = load_model()
    assert nlp.pipe_names[-1] == PIPE_NAME
    tok = next(t for t in nlp(text) if t.text == word)
    for key, value in attrs.items():
        assert getattr(tok, key.lower() + "_") == value, (name, key)
    # the example shows a real error of the model: without the repair the token differs
    bare = spacy.load(nlp.meta["lang"] + "_" + nlp.meta["name"])
    before = next(t for t in bare(text) if t.text == word)
    assert any(getattr(before, k.lower() + "_") != v for k, v in attrs.items()), name


def test_generated_forms_cover_the_lexicon_triggers() -> None:
    from kg.lexicon import load_lexicon

    patterns = [p for r in REPAIRS if r.forms_of == "verb_past" for p in r.patterns(load_lexicon())]
    forms = {p["patterns"][0][0]["LOWER"]: p["attrs"]["LEMMA"] for p in patterns}
    assert forms["hosted"] == "host" and forms["welcomed"] == "welcome"
    assert forms["backed"] == "back"


_GOOD = {
    "name": "x",
    "doc": "d",
    "match": [{"TAG": "JJ"}],
    "attrs": {"LEMMA": "y"},
    "examples": [{"text": "t", "token": "t", "attrs": {"LEMMA": "y"}}],
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"colour": "red"}, "unknown key(s) colour"),
        ({"examples": []}, "missing examples"),
        ({"forms_of": "noun_plural"}, "forms_of must be one of"),
        ({"match": {"TAG": "JJ"}}, "match is a list of tokens"),
        ({"examples": [{"text": "t"}]}, "each example has exactly"),
    ],
)
def test_a_malformed_repair_is_an_error_naming_the_file_and_line(
    tmp_path: Path, change: dict[str, object], message: str
) -> None:
    path = tmp_path / "repairs.yaml"
    path.write_text(yaml.safe_dump({"version": 1, "repairs": [{**_GOOD, **change}]}))
    with pytest.raises(KGError) as err:
        load_repairs.__wrapped__(path)
    assert message in str(err.value) and f"{path}:2:" in str(err.value)


def test_the_shipped_file_parses() -> None:
    assert REPAIRS and all(r.examples for r in REPAIRS)
    assert parse_repairs({"repairs": []}) == ()
