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
    assert "up" not in lex.cue("call_not_preps")  # "called him up" is a phone call


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


def _write(tmp_path: object, text: str) -> object:
    from pathlib import Path

    path = Path(str(tmp_path)) / "lexicon.yaml"
    path.write_text(text, encoding="utf-8")
    return path


_TYPE = """types:
  met:
    class: Meeting
    property: met
    label: met
    comment: met in person
    verbs: [meet]
"""


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("    objet_preps: [with]\n", r"lexicon\.yaml:8: unknown key of type 'met' 'objet_preps'"
                                     r" \(did you mean 'object_preps'\?\)"),
        ("    symmetric: yes please\n", r"lexicon\.yaml:8: met\.symmetric must be a bool"),
        ("    person_object_as: meeting\n", r"lexicon\.yaml:8: .*names no type: 'meeting'"),
        ("cues:\n  reportng: [say]\n", r"lexicon\.yaml:9: unknown cue 'reportng' \(did you mean "
                                       r"'reporting'\?\)"),
        ("cues:\n  reporting: say\n", r"lexicon\.yaml:9: cues\.reporting must be a list"),
        ("version: 1\nextra: {}\n", r"lexicon\.yaml:9: unknown top-level key 'extra'"),
    ],
)
def test_schema_errors_name_the_file_and_line(tmp_path: object, extra: str, message: str) -> None:
    """An unknown key, a misspelt option or a value of the wrong kind is an error naming the
    file and the line, never silently ignored."""
    load_lexicon.cache_clear()
    with pytest.raises(KGError, match=message):
        load_lexicon(_write(tmp_path, _TYPE + extra))  # type: ignore[arg-type]


def test_every_declared_cue_is_read_by_the_extractor() -> None:
    """Cues are data the code reads (or a frame slot of ontology/frames.yaml names): a cue
    the schema allows but nothing uses is dead."""
    from pathlib import Path

    from kg.extraction.frames import load_frames
    from kg.lexicon import CUES

    package = Path(__file__).resolve().parent.parent / "kg"
    code = "\n".join(p.read_text(encoding="utf-8") for p in package.rglob("*.py"))
    in_frames = {
        name
        for slot in load_frames()
        for node in slot.nodes
        for kind, name in (
            *node.words, *(("cue", c) for c in (node.ends, node.not_lemmas) if c)
        )
        if kind == "cue"
    }
    for cue in sorted(CUES):
        read = f'cue("{cue}")' in code or f'words("{cue}")' in code or cue in in_frames
        assert read, f"cue {cue!r} is declared but never read"
    assert set(load_lexicon().cues) == set(CUES)


def test_the_walk_reads_function_words_as_cues() -> None:
    """Auxiliaries, markers and prepositions come from the lexicon (``Compiled.words``); a
    name that is not a declared cue is an error, not an empty set."""
    from kg.extraction.context import compile_lexicon

    c = compile_lexicon(load_lexicon())
    assert "will" in c.words("future_auxiliaries")
    assert c.words("conditional_marks") >= {"if", "unless"}
    assert c.words("future_in_past_auxiliaries") <= c.hypothetical
    with pytest.raises(KeyError, match="future_auxiliary"):
        c.words("future_auxiliary")
