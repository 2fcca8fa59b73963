"""kg.extraction.context: the doc's shared columns say what spaCy's tokens say.

Every per-token loop of the extraction (entities, denials, the clause walk, the argument
patterns' pre-check) reads :class:`Columns` instead of making Token objects, so a column that
disagreed with the token would change what is extracted without any error.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.extraction.context import ID_ATTRS, Columns, columns
from kg.extraction.nlp import load_model

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def nlp() -> Any:
    return load_model()


def _assert_agrees(doc: Any) -> None:
    from spacy.attrs import IDS

    cols = Columns(doc)
    assert cols.texts == [t.text for t in doc]
    assert cols.lowers == [t.lower_ for t in doc]
    assert cols.lemmas == [t.lemma_.lower() for t in doc]
    assert cols.lemma_ids == [t.lemma for t in doc]
    assert cols.pos == [t.pos_ for t in doc]
    assert cols.deps == [t.dep_ for t in doc]
    assert cols.idx == [t.idx for t in doc]
    assert cols.heads == [t.head.i for t in doc]
    assert cols.children == [[c.i for c in t.children] for t in doc]
    assert cols.text == doc.text
    for attr in ID_ATTRS:
        assert cols.ids[attr] == [int(v) for v in doc.to_array([IDS[attr]])], attr


@pytest.mark.parametrize(
    "text",
    [
        "Anna Holt met Piet Varga in Oslo on Monday, officials said.",
        "The ministry denied a report that troops had crossed the border.",
        "“We will not back down,” she said.   Then she left for Vienna.",
        "",
    ],
)
def test_columns_agree_with_the_tokens(nlp: Any, text: str) -> None:
    _assert_agrees(nlp(text))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=120))
def test_columns_agree_with_the_tokens_on_any_text(nlp: Any, text: str) -> None:
    _assert_agrees(nlp(text))


def test_columns_are_made_once_per_doc(nlp: Any) -> None:
    doc = nlp("Holt visited Oslo.")
    assert columns(doc) is columns(doc)
