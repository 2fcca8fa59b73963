"""The speaker the parser hangs as an apposition on a fronted clause's last noun is the
reporting verb's subject (kg.extraction.context.subject_of); the parses are built by hand
because the misparse depends on the model's mood, not on a stable wording."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc
from spacy.vocab import Vocab

from kg.extraction.context import subject_of

# (word, head index, dep, pos)
_MISPARSED = [
    ("Tariffs", 1, "nsubj", "NOUN"), ("are", 9, "ccomp", "AUX"), ("a", 3, "det", "DET"),
    ("sin", 1, "attr", "NOUN"), ("against", 3, "prep", "ADP"), ("Ostria", 4, "pobj", "PROPN"),
    (",", 7, "punct", "PUNCT"), ("Lind", 5, "appos", "PROPN"), ("has", 9, "aux", "AUX"),
    ("said", 9, "ROOT", "VERB"), (".", 9, "punct", "PUNCT"),
]
# the same words with the name inside the clause, no comma before it: no subject
_NO_COMMA = [
    ("Tariffs", 1, "nsubj", "NOUN"), ("are", 9, "ccomp", "AUX"), ("a", 3, "det", "DET"),
    ("sin", 1, "attr", "NOUN"), ("against", 3, "prep", "ADP"), ("Ostria", 4, "pobj", "PROPN"),
    ("and", 5, "cc", "CCONJ"), ("Lind", 5, "appos", "PROPN"), ("has", 9, "aux", "AUX"),
    ("said", 9, "ROOT", "VERB"), (".", 9, "punct", "PUNCT"),
]


def _doc(rows: list[tuple[str, int, str, str]]) -> Doc:
    words, heads, deps, pos = (list(x) for x in zip(*rows, strict=True))
    return Doc(Vocab(), words=words, heads=heads, deps=deps, pos=pos)


Row = tuple[str, int, str, str]


@pytest.mark.parametrize(("rows", "expected"), [(_MISPARSED, "Lind"), (_NO_COMMA, None)])
def test_apposed_speaker_is_subject(rows: list[Row], expected: str | None) -> None:
    doc = _doc(rows)
    subj = subject_of(doc[9])
    assert (subj.text if subj is not None else None) == expected
