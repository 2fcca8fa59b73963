"""kg.iris: deterministic, always-valid IRIs, whatever the name."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg import iris
from kg.errors import UsageError

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
any_text = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=80)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Vladimir Putin", "vladimir-putin"),
        ("  vladimir   PUTIN ", "vladimir-putin"),
        ("Ｖladimir Putin", "vladimir-putin"),  # full-width letter: NFKC
        ("United States", "united-states"),
    ],
)
def test_plain_names_give_readable_slugs(name: str, expected: str) -> None:
    assert iris.slug(name) == expected
    assert iris.entity_iri(name) == iris.DEFAULT_BASE + "entity/" + expected


@pytest.mark.parametrize("name", ["Zelenskyy's", "Ελλάδα", "x" * 200, "", "   ", "<>\"'"])
def test_lossy_names_get_a_hash_suffix(name: str) -> None:
    s = iris.slug(name)
    assert SLUG.match(s)
    assert len(s) <= 70


def test_names_that_differ_get_different_iris() -> None:
    assert iris.entity_iri("Zelensky") != iris.entity_iri("Zelenský")
    assert iris.entity_iri("AT&T") != iris.entity_iri("AT T")
    assert iris.entity_iri("x" * 100) != iris.entity_iri("x" * 101)


@settings(max_examples=200, deadline=None)
@given(name=any_text)
def test_any_name_gives_a_valid_iri(name: str) -> None:
    for value in (iris.entity_iri(name), iris.article_iri(name), iris.graph_iri(name)):
        ox.NamedNode(value)  # pyoxigraph validates IRIs at construction
        assert SLUG.match(value.rsplit("/", 1)[-1])
    assert iris.entity_iri(name) == iris.entity_iri(name)


@settings(max_examples=200, deadline=None)
@given(a=any_text, b=any_text)
def test_distinct_normalised_names_never_share_an_iri(a: str, b: str) -> None:
    if iris.normalise_name(a) != iris.normalise_name(b):
        assert iris.entity_iri(a) != iris.entity_iri(b)
    else:
        assert iris.entity_iri(a) == iris.entity_iri(b)


def test_relation_and_evidence_iris_are_stable() -> None:
    args = ("doc", "met", "e1", "e2", 10, 20)
    r = iris.relation_iri(*args)
    assert r == iris.relation_iri(*args)
    assert r != iris.relation_iri("doc", "met", "e1", "e2", 10, 21)
    assert r != iris.relation_iri(*args, qualifier="negative")
    assert r.startswith(iris.DEFAULT_BASE + "relation/met-")
    assert iris.evidence_iri(r, 10, 20) == r + "-ev-10-20"
    ox.NamedNode(iris.evidence_iri(r, 10, 20))


@pytest.mark.parametrize("base", ["https://example.org/", "http://x.test/kg#", "urn:x:"])
def test_good_bases(base: str) -> None:
    if base.endswith(("/", "#")):
        assert iris.check_base(base) == base
        ox.NamedNode(iris.entity_iri("A B", base))
    else:
        with pytest.raises(UsageError):
            iris.check_base(base)


@pytest.mark.parametrize(
    "base", ["", "example.org/", "https://exa mple.org/", "https://example.org/<x>/",
             "https://example.org", "/relative/"]
)
def test_bad_bases(base: str) -> None:
    with pytest.raises(UsageError, match="--base"):
        iris.check_base(base)
