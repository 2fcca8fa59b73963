"""Date normalisation: absolute dates keep their precision, relative ones need the article date."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.extraction.dates import normalise_date, parse_reference

REF = date(2024, 11, 11)  # a Monday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("July 16, 2018", "2018-07-16"),
        ("on July 16, 2018", "2018-07-16"),
        ("16 July 2018", "2018-07-16"),
        ("3 March 2025", "2025-03-03"),
        ("March 3rd, 2021", "2021-03-03"),
        ("Sept. 5, 2020", "2020-09-05"),
        ("2018-07-16", "2018-07-16"),
        ("May 2023", "2023-05"),
        ("in February 2023", "2023-02"),
        ("2019", "2019"),
        ("February 30, 2020", None),
        ("a day", None),
        ("", None),
    ],
)
def test_absolute_dates(text: str, expected: str | None) -> None:
    assert normalise_date(text, None) == expected
    assert normalise_date(text, REF) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("on Tuesday", "2024-11-05"),
        ("Monday", "2024-11-11"),
        ("last Monday", "2024-11-04"),
        ("next Tuesday", "2024-11-12"),
        ("yesterday", "2024-11-10"),
        ("today", "2024-11-11"),
        ("last month", "2024-10"),
        ("next month", "2024-12"),
        ("last year", "2023"),
        ("next week", "2024-11"),
        ("16 July", "2024-07-16"),
        ("16 December", "2023-12-16"),
    ],
)
def test_relative_dates_need_the_article_date(text: str, expected: str) -> None:
    assert normalise_date(text, REF) == expected
    assert normalise_date(text, None) is None


def test_future_weekday_looks_forward() -> None:
    assert normalise_date("on Friday", REF, future=True) == "2024-11-15"
    assert normalise_date("on Friday", REF) == "2024-11-08"


def test_year_boundary() -> None:
    assert normalise_date("last month", date(2024, 1, 3)) == "2023-12"
    assert normalise_date("next month", date(2024, 12, 3)) == "2025-01"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-11-11", date(2024, 11, 11)),
        ("2024-11-11T10:03", date(2024, 11, 11)),
        (None, None),
        ("soon", None),
        ("2024-13-40", None),
    ],
)
def test_parse_reference(value: str | None, expected: date | None) -> None:
    assert parse_reference(value) == expected


@given(st.text(max_size=60), st.none() | st.dates())
def test_never_raises_and_is_xsd_shaped(text: str, ref: date | None) -> None:
    out = normalise_date(text, ref)
    if out is not None:
        assert len(out) in (4, 7, 10)
        assert out[:4].isdigit()


@pytest.mark.parametrize("ref", [date.min, date.max])
@pytest.mark.parametrize(
    "text", ["yesterday", "tomorrow", "next week", "last Monday", "next month"]
)
def test_extreme_references(text: str, ref: date) -> None:
    out = normalise_date(text, ref)
    assert out is None or out[:4].isdigit()
