"""The table components (kg/extraction/tabulate.py) give exactly the stock spaCy output: the
model's attribute ruler, our repairs ruler and the lemmatizer, on sentences chosen for each of
the ruler's pattern kinds, on arbitrary text, and on hand-made rulers with overlapping rules."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.extraction.repairs import load_repairs
from kg.extraction.tabulate import TableLemmatizer, TableRuler

#: what a doc's tokens carry after the pipeline: every attribute a ruler or lemmatizer may set
_ATTRS = ("ORTH", "TAG", "POS", "MORPH", "LEMMA", "DEP", "HEAD", "ENT_IOB", "ENT_TYPE")


@lru_cache(maxsize=1)
def _pipelines() -> tuple[Any, Any]:
    """(the stock model plus the repairs as spaCy's AttributeRuler, newskg's pipeline)."""
    import spacy

    from kg.extraction.nlp import load_model
    from kg.extraction.repairs import add_repairs

    ours = load_model()
    stock = add_repairs(spacy.load(ours.meta["lang"] + "_" + ours.meta["name"]))
    return stock, ours


def _token_rows(doc: Any) -> list[tuple[Any, ...]]:
    from spacy.attrs import IDS

    arr = doc.to_array([IDS[a] for a in _ATTRS]).tolist()
    return [(*row, str(t.morph), t.lemma_) for row, t in zip(arr, doc, strict=True)]


def _assert_same(text: str) -> None:
    stock, ours = _pipelines()
    assert _token_rows(ours(text)) == _token_rows(stock(text))


@pytest.mark.model
def test_the_pipeline_runs_the_table_components_under_the_stock_names() -> None:
    stock, ours = _pipelines()
    assert ours.pipe_names == stock.pipe_names
    kinds = {name: type(c) for name, c in ours.pipeline}
    assert kinds["attribute_ruler"] is TableRuler
    assert kinds["kg_repairs"] is TableRuler
    assert kinds["lemmatizer"] is TableLemmatizer


@pytest.mark.model
@pytest.mark.parametrize(
    "text",
    [
        # one-token rules: tag map, word exceptions with lemmas, a regex word
        "Anna Holt met the ministers and they were talking about it for hours.",
        "I ain't got nothin' to say, y'all, so let's go.",
        # rules spanning two tokens, some setting the second token
        "There is a meeting and there were talks; we're gonna win, c'mon.",
        "He gets what he got, and she's gotta leave.",
        # whitespace tokens
        "Kolar  visited\n\nBraun   in Vienna .",
        # the repairs ruler: a trigger's past form the model tags as an adjective
        "Lund welcomed the deal and hosted the delegation.",
        "",
        "   ",
    ],
)
def test_same_tokens_as_stock_spacy(text: str) -> None:
    _assert_same(text)


@pytest.mark.model
@pytest.mark.parametrize("text", sorted({ex.text for r in load_repairs() for ex in r.examples}))
def test_same_tokens_as_stock_spacy_where_a_repair_applies(text: str) -> None:
    _assert_same(text)


@pytest.mark.model
@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from([
    "Anna", "Holt", "met", "there", "is", "are", "gonna", "gon", "na", "let", "'s", "y'", "all",
    "ai", "n't", "nothin'", "got", "ta", "c'm", "on", "the", "president", "welcomed", " ",
    "\n", ",", ".", "!", "WASHINGTON", "(Reuters)", "-", "&", "42", "hosted", "talks",
]), max_size=30).map(" ".join))
def test_same_tokens_as_stock_spacy_on_any_text(text: str) -> None:
    _assert_same(text)


def _rulers(rules: list[dict[str, Any]]) -> tuple[Any, Any, Any]:
    """A stock AttributeRuler with ``rules`` and the TableRuler that took them."""
    import spacy
    from spacy.pipeline import AttributeRuler

    nlp = spacy.blank("en")
    stock = AttributeRuler(nlp.vocab)
    stock.add_patterns(rules)
    table = TableRuler(nlp.vocab)
    table.take_rules(stock)
    return nlp, stock, table


def _tagged(nlp: Any) -> Any:
    from spacy.tokens import Doc

    words = ["There", "is", "a", "talk", "and", "there", "are", "y'", "all", "here", " "]
    tags = ["EX", "VBZ", "DT", "NN", "CC", "EX", "VBP", "PRP", "DT", "RB", "_SP"]
    deps = ["expl", "ROOT", "det", "attr", "cc", "expl", "conj", "nsubj", "det", "advmod", "dep"]
    heads = [1, 1, 3, 1, 1, 6, 1, 6, 7, 6, 9]
    return Doc(nlp.vocab, words=words, tags=tags, deps=deps, heads=heads)


@pytest.mark.parametrize(
    "rules",
    [
        # a later rule overwrites an earlier one, attribute by attribute
        [{"patterns": [[{"TAG": "VBZ"}]], "attrs": {"POS": "AUX", "LEMMA": "be"}},
         {"patterns": [[{"LOWER": "is"}]], "attrs": {"POS": "VERB"}}],
        # a two-token rule setting its second token, between one-token rules on that token
        [{"patterns": [[{"TAG": {"IN": ["VBZ", "VBP"]}}]], "attrs": {"POS": "AUX"}},
         {"patterns": [[{"DEP": "expl"}, {"LOWER": {"IN": ["is", "are"]}}]],
          "attrs": {"POS": "VERB", "MORPH": "Mood=Ind"}, "index": 1},
         {"patterns": [[{"LOWER": "are"}]], "attrs": {"POS": "NOUN"}}],
        # a regex, a NOT_IN, a flag, a negative index, several patterns in one rule
        [{"patterns": [[{"LOWER": {"REGEX": "^y'?$"}}, {"LOWER": "all"}]],
          "attrs": {"LEMMA": "you"}, "index": -2},
         {"patterns": [[{"LOWER": {"REGEX": "^th"}}], [{"TAG": "DT"}]], "attrs": {"POS": "DET"}},
         {"patterns": [[{"IS_SPACE": True, "DEP": {"NOT_IN": [""]}}]], "attrs": {"DEP": "dep"}},
         {"patterns": [[{"TAG": {"NOT_IN": ["EX", "DT"]}, "LOWER": {"IN": ["here", "a"]}}]],
          "attrs": {"TAG": "XX", "MORPH": "Foo=Bar"}}],
    ],
    ids=["overwrite-order", "two-token-rule-between", "regex-notin-flag-index"],
)
def test_table_ruler_applies_rules_as_spacy_does(rules: list[dict[str, Any]]) -> None:
    nlp, stock, table = _rulers(rules)
    assert _token_rows(table(_tagged(nlp))) == _token_rows(stock(_tagged(nlp)))
    assert _token_rows(table(_tagged(nlp))) != _token_rows(_tagged(nlp))  # something was set


def test_table_ruler_leaves_an_empty_doc_alone() -> None:
    from spacy.tokens import Doc

    nlp, _stock, table = _rulers([{"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN"}}])
    assert len(table(Doc(nlp.vocab, words=[]))) == 0
