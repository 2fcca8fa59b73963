"""The relation lexicon: every type is usable by the extractor, cues are well-formed."""

from __future__ import annotations

import pytest

from kg.errors import KGError
from kg.extraction.context import compile_lexicon
from kg.lexicon import load_lexicon, parse_lexicon

CORE = ("met", "called", "denied", "supported")
EXTENDED = ("visited", "urged", "warned", "accused", "criticized", "invaded")


def test_all_types_present_with_triggers() -> None:
    lex = load_lexicon()
    for name in (*CORE, *EXTENDED):
        spec = lex.type(name)
        assert spec.verbs or spec.nouns or spec.phrases, name
    assert all(lex.type(n).core for n in CORE)
    assert not any(lex.type(n).core for n in EXTENDED)
    assert lex.type("met").symmetric and lex.type("called").symmetric
    assert not lex.type("supported").symmetric


@pytest.mark.parametrize(
    "cue",
    [
        "reporting",
        "report_nouns",
        "denial",
        "fiction_words",
        "negation",
        "negating_verbs",
        "planned",
        "planned_nouns",
        "planned_objects",
        "hypothetical",
        "stand_in_nouns",
        "phone_words",
        "thanking",
        "call_not_preps",
    ],
)
def test_cues_are_non_empty_lowercase_strings(cue: str) -> None:
    values = load_lexicon().cue(cue)
    assert values, cue
    assert all(isinstance(v, str) and v == v.lower() for v in values)


def test_yaml_booleans_are_quoted() -> None:
    # YAML 1.1 reads bare no / on / off / false as booleans; the lexicon must keep them words
    lex = load_lexicon()
    assert "no" in lex.cue("negation")
    assert "false" in lex.cue("fiction_words")
    assert {"on", "off"} <= set(lex.cue("call_not_preps"))


def test_options_reach_the_extractor() -> None:
    c = compile_lexicon(load_lexicon())
    assert c.option("visited", "person_object_as") == "met"
    assert "travel" in c.motion_verbs
    assert c.modifier_verbs["speak"] == "called"
    assert "deny" in c.denial and "slam" in c.denial
    assert ("met", "hold", ("talk",)) in c.phrases


def test_compile_is_cached_per_lexicon() -> None:
    lex = load_lexicon()
    assert compile_lexicon(lex) is compile_lexicon(lex)


def test_a_new_type_is_a_data_change() -> None:
    data = {
        "types": {
            "sanctioned": {
                "class": "Sanction",
                "property": "sanctioned",
                "label": "sanctioned",
                "comment": "imposed sanctions on",
                "verbs": ["sanction"],
            }
        },
        "cues": {"reporting": ["say"]},
    }
    c = compile_lexicon(parse_lexicon(data))
    assert c.verbs["sanction"] == ("sanctioned",)
    assert c.reporting == frozenset({"say"})


def test_bad_lexicon_is_a_clear_error() -> None:
    with pytest.raises(KGError, match=r"cues\.negation"):
        parse_lexicon({"types": {}, "cues": {"negation": [True]}})
