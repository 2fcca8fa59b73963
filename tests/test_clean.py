"""Cleaning: content segments (credits, links, byline, dateline, repeated captions dropped)."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers_extract import FURNITURE_ARTICLE
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.extraction.clean import (
    byline_author,
    clean_article,
    dateline_date,
    is_boilerplate,
    is_credit,
    parse_date,
    strip_trailing_credit,
    wire_dateline_length,
)
from kg.extraction.read import text_article
from kg.model import Article


def segment_texts(art: Article) -> list[tuple[str, str]]:
    return [(s.kind, art.text[s.start : s.end]) for s in art.segments]


def test_furniture_is_dropped_and_caption_kept_once() -> None:
    art = clean_article(text_article(FURNITURE_ARTICLE, "furniture"))
    assert segment_texts(art) == [
        ("headline", "Kolar and Braun meet in Vienna as talks resume"),
        ("caption", "Marta Kolar and Felix Braun in Vienna"),
        ("paragraph",
         "Veridian President Marta Kolar met Chancellor Felix Braun in Vienna on Tuesday."),
        ("paragraph", "The two leaders discussed energy prices, officials said."),
    ]
    assert art.date == "2025-03-03"
    assert art.author == "Ann Lee"


def test_metadata_filled_only_when_missing() -> None:
    base = Article(doc="x", text=FURNITURE_ARTICLE, date="2020-01-01", author="Someone Else")
    art = clean_article(base)
    assert (art.date, art.author) == ("2020-01-01", "Someone Else")
    assert art.text == FURNITURE_ARTICLE


def test_trailing_credit_is_cut_from_a_single_caption() -> None:
    text = "Head\n\nKolar waves to supporters in Vienna. Photo: Reuters\n\nBody text here.\n"
    art = clean_article(text_article(text, "c"))
    assert segment_texts(art)[1] == ("caption", "Kolar waves to supporters in Vienna.")


def test_each_line_is_its_own_segment() -> None:
    text = "Head\n\nFirst line of a paragraph\nsecond line of it.\n"
    art = clean_article(text_article(text, "l"))
    assert [t for _, t in segment_texts(art)] == [
        "Head", "First line of a paragraph", "second line of it."
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("11 November 2024, 10:03", "2024-11-11"),
        ("November 11, 2024", "2024-11-11"),
        ("Nov. 11, 2024 at 10:03 a.m. EST", "2024-11-11"),
        ("Monday 11 November 2024 10.03 GMT", "2024-11-11"),
        ("Published: 11th Nov 2024", "2024-11-11"),
        ("2024-11-11", "2024-11-11"),
        ("2024-11-11T10:03:00+01:00", "2024-11-11"),
        ("11 November 2024 | Updated: 12 November 2024", "2024-11-11"),
        ("Kolar met Braun on 11 November 2024.", None),
        ("31 February 2024", None),
        ("November 2024", None),
    ],
)
def test_dateline(line: str, expected: str | None) -> None:
    assert dateline_date(line) == expected


def test_parse_date_finds_a_date_in_text() -> None:
    assert parse_date("They met on 3 March 2025 in Vienna") == "2025-03-03"
    assert parse_date("no date here") is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("By Kit Heren", "Kit Heren"),
        ("By Ann Lee, Political Reporter", "Ann Lee"),
        ("By Ann Lee and Tom Varga", "Ann Lee and Tom Varga"),
        ("By Ludwig van Beethoven", "Ludwig van Beethoven"),
        ("By Tuesday, Kolar had met Braun.", None),
        ("By the end of the week the talks had failed", None),
        ("Byron Kolar met Braun", None),
    ],
)
def test_byline(line: str, expected: str | None) -> None:
    assert byline_author(line) == expected


@pytest.mark.parametrize(
    ("line", "credit"),
    [
        ("Picture: Getty", True),
        ("Image: Alamy / Reuters", True),
        ("Photo: AP", True),
        ("Credit: Jane Doe/Shutterstock", True),
        ("Getty Images", True),
        ("Picture of the week: Kolar met Braun in Vienna on Tuesday. It was big.", False),
        ("Kolar met Braun.", False),
    ],
)
def test_credit_lines(line: str, credit: bool) -> None:
    assert is_credit(line) is credit


@pytest.mark.parametrize(
    ("line", "boiler"),
    [
        ("Read more: Veridia signs a deal", True),
        ("READ MORE: Something", True),
        ("Advertisement", True),
        ("Share this article", True),
        ("Subscribe to our newsletter for daily news", True),
        ("Kolar said she would read more reports before deciding.", False),
        ("Share prices rose on Tuesday after the talks.", False),
    ],
)
def test_boilerplate_lines(line: str, boiler: bool) -> None:
    assert is_boilerplate(line) is boiler


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        ("Kolar and Braun in 2019. Picture: Alamy", "Kolar and Braun in 2019."),
        ("Kolar and Braun (Image: Getty)", "Kolar and Braun"),
        ("Kolar met Braun.", "Kolar met Braun."),
    ],
)
def test_strip_trailing_credit(line: str, kept: str) -> None:
    assert strip_trailing_credit(line).rstrip() == kept


def test_seed_article_segments(seed_dir: Path) -> None:
    text = (seed_dir / "seed-article.txt").read_text(encoding="utf-8")
    art = clean_article(text_article(text, "seed-article"))
    texts = [t for _, t in segment_texts(art)]
    kinds = [k for k, _ in segment_texts(art)]
    assert kinds[0] == "headline"
    assert art.date == "2024-11-11" and art.author == "Kit Heren"
    assert not any("Picture:" in t or t.startswith(("Read more", "By Kit")) for t in texts)
    assert not any(t.startswith("11 November 2024") for t in texts)
    # Each caption printed twice ("X" then "X. Picture: ...") is kept once, as a caption.
    captions = [t for k, t in segment_texts(art) if k == "caption"]
    assert len(captions) == 3
    assert len(set(captions)) == len(captions)
    assert all(texts.count(c) == 1 for c in captions)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.sampled_from(["a", "b", " ", ".", ":", "\n", "\r", "\t", "Picture: ", "By Ann Lee",
                         "Read more: ", "11 May 2024"]),
        max_size=60,
    ).map("".join)
)
def test_segments_are_ordered_stripped_spans(text: str) -> None:
    art = clean_article(Article(doc="h", text=text))
    prev_end = 0
    for seg in art.segments:
        assert prev_end <= seg.start < seg.end <= len(text)
        piece = text[seg.start : seg.end]
        assert piece == piece.strip() and "\n" not in piece
        prev_end = seg.end


@pytest.mark.parametrize(
    ("text", "max_chars", "pieces"),
    [
        ("Kolar met Braun. Varga phoned Reyes.", 20, ["Kolar met Braun.", "Varga phoned Reyes."]),
        ("one two three four five", 9, ["one two", "three", "four five"]),
        ("abcdefghij", 4, ["abcd", "efgh", "ij"]),
        ("short", 10, ["short"]),
    ],
)
def test_split_segment_cuts_at_sentence_ends_then_spaces(
    text: str, max_chars: int, pieces: list[str]
) -> None:
    from kg.extraction.clean import split_segment
    from kg.model import Segment

    segs = split_segment(text, Segment(0, len(text), "caption"), max_chars)
    assert [text[s.start : s.end] for s in segs] == pieces
    assert all(s.kind == "caption" and s.end - s.start <= max_chars for s in segs)


@pytest.mark.parametrize(
    ("line", "dateline"),
    [
        ("BRUSSELS, July 8 (Reuters) - The bloc said", "BRUSSELS, July 8 (Reuters) - "),
        ("WARSAW — Donald Trump on Tuesday backed", "WARSAW — "),
        ("LONDON (AP) — The prime minister", "LONDON (AP) — "),
        ("KYIV, Ukraine (AP) — Officials said", "KYIV, Ukraine (AP) — "),
        ("NEW YORK, Sept 24 (Reuters) - Leaders met", "NEW YORK, Sept 24 (Reuters) - "),
        ("US - China talks resume", ""),
        ("NATO - the alliance said", ""),
        ("Kolar met Braun in Vienna.", ""),
        ("EU — a bloc of 27", ""),
    ],
)
def test_wire_dateline(line: str, dateline: str) -> None:
    assert line[: wire_dateline_length(line)] == dateline


def test_wire_dateline_is_not_content() -> None:
    text = "Talks in Vienna\n\nVIENNA, May 3 (Reuters) - Marta Kolar met Felix Braun.\n"
    art = clean_article(Article(doc="d", text=text))
    body = [text[s.start : s.end] for s in art.segments if s.kind == "paragraph"]
    assert body == ["Marta Kolar met Felix Braun."]
