"""Wire formats and headlines: datelines, editorial notes, sign-offs, character references,
one-paragraph bodies, the dateline's day as the article date, and truecased headlines.

Every story here is made up (fictional people and places).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.extraction.clean import (
    Dateline,
    clean_article,
    split_segment,
    strip_signoff,
    wire_dateline,
    wire_note_length,
)
from kg.extraction.dates import month_day_in_year
from kg.extraction.nlp import truecase_headline
from kg.extraction.read import decode_entities, read_inputs, text_article
from kg.model import Article, Segment


def body(art: Article) -> list[str]:
    return [art.text[s.start : s.end] for s in art.segments if s.kind != "headline"]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("LONDON, March 22 - Queen Anna", Dateline("LONDON, March 22", "LONDON", 3, 22, 19)),
        ("WASHINGTON, April 27 - The", Dateline("WASHINGTON, April 27", "WASHINGTON", 4, 27, 23)),
        ("WASHINGTON (Reuters) - The",
         Dateline("WASHINGTON (Reuters)", "WASHINGTON", None, None, 23)),
        ("TOKYO, March 5 (Reuters) - Japan",
         Dateline("TOKYO, March 5 (Reuters)", "TOKYO", 3, 5, 27)),
        ("MAROVIA CITY, Feb 29 (Reuters) - A", Dateline("MAROVIA CITY, Feb 29 (Reuters)",
                                                        "MAROVIA CITY", 2, 29, 33)),
        ("Port Velm, Sept 3 - Ships", Dateline("Port Velm, Sept 3", "Port Velm", 9, 3, 20)),
        ("Velmar (AP) — The", Dateline("Velmar (AP)", "Velmar", None, None, 14)),
        ("LUNDIA, February 31 - The", Dateline("LUNDIA, February 31", "LUNDIA", None, None, 22)),
        ("Kolar - the veteran said", None),
        ("Kolar, Braun and Varga - all three", None),
        ("US - China talks resume", None),
        ("Marovia, Kolar said, is ready.", None),
        ("Tuesday, March 4 - Kolar meets Braun", None),
        ("FRIDAY, MARCH 7 - Talks resume", None),
    ],
)  # fmt: skip
def test_wire_dateline_fields(line: str, expected: Dateline | None) -> None:
    assert wire_dateline(line) == expected


@pytest.mark.parametrize(
    ("text", "note"),
    [
        ("(Corrects spelling of minister's name in paragraph 2) Kolar said",
         "(Corrects spelling of minister's name in paragraph 2) "),
        ("(Adds quotes from Braun, background)", "(Adds quotes from Braun, background)"),
        ("(UPDATES with Varga's comments) Talks", "(UPDATES with Varga's comments) "),
        ("(Kolar was not available) The talks", ""),
        ("(Reuters) - The talks", ""),
        ("Kolar (corrects) the text", ""),
    ],
)  # fmt: skip
def test_wire_note(text: str, note: str) -> None:
    assert text[: wire_note_length(text)] == note


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        ("Kolar met Braun in Velm. Reuter", "Kolar met Braun in Velm."),
        ('"We agreed," Braun said. REUTERS', '"We agreed," Braun said.'),
        ("Kolar met Braun in Velm.", "Kolar met Braun in Velm."),
        ("Talks with Reuters", "Talks with Reuters"),
        ("Kolar spoke to Reuters", "Kolar spoke to Reuters"),
    ],
)
def test_strip_signoff(line: str, kept: str) -> None:
    assert strip_signoff(line) == kept


# (article text, JSONL date, expected body segments, expected date, expected dateline)
WIRE_STORIES = [
    (
        "VERIDIA'S QUEEN ANNA VISITS MAROVIA THIS WEEK\n\n"
        "MAROVIA CITY, March 22 - Queen Anna of Veridia begins a state visit on Tuesday.\n\n"
        "She will meet Prime Minister Ilse Braun.\n\nReuter\n",
        None,
        ["Queen Anna of Veridia begins a state visit on Tuesday.",
         "She will meet Prime Minister Ilse Braun."],
        None,
        "MAROVIA CITY, March 22",
    ),
    (
        "VELM, April 27 (Reuters) - (Corrects date of talks in paragraph 2) Tomas Varga "
        "held talks with Felix Braun. The two met again on Friday, officials said. Reuter",
        "1991-04-28",
        ["Tomas Varga held talks with Felix Braun. The two met again on Friday, officials said."],
        "1991-04-27",
        "VELM, April 27 (Reuters)",
    ),
    (
        "KOLAR SEES BRAUN\n(Corrects day of meeting)\nLUNDIA, Dec 31 - Kolar met Braun.\nREUTER\n",
        "1992-01-01",
        ["Kolar met Braun."],
        "1991-12-31",
        "LUNDIA, Dec 31",
    ),
    (
        "Talks in Velm\n\nVelm, May 3 - Kolar met Braun.\n",
        "1993",
        ["Kolar met Braun."],
        "1993-05-03",
        "Velm, May 3",
    ),
    (
        "Talks in Velm\n\nVELM (AP) — Kolar met Braun.\n",
        "1993-05-04",
        ["Kolar met Braun."],
        "1993-05-04",
        "VELM (AP)",
    ),
    (
        "Talks in Velm\n\nKolar met Braun in Velm.\n\nReuters\n",
        None,
        ["Kolar met Braun in Velm."],
        None,
        None,
    ),
]  # fmt: skip


@pytest.mark.parametrize(("text", "given", "segments", "date", "dateline"), WIRE_STORIES)
def test_wire_story_cleaning(
    text: str, given: str | None, segments: list[str], date: str | None, dateline: str | None
) -> None:
    art = clean_article(Article(doc="w", text=text, title=text.split("\n")[0], date=given))
    assert body(art) == segments
    assert art.date == date
    assert art.dateline == dateline
    assert all(art.text[s.start : s.end].strip() == art.text[s.start : s.end] for s in art.segments)


def test_wire_story_from_jsonl_gives_the_dateline_day_the_article_year(tmp_path: Path) -> None:
    story = {
        "id": "velm-1",
        "date": "1987",
        "text": "VELM, March 5 (Reuters) - Kolar met Braun on Tuesday. Varga phoned Braun. Reuter",
    }
    path = tmp_path / "wire.jsonl"
    path.write_text(json.dumps(story) + "\n", encoding="utf-8")
    (art,) = list(read_inputs([path]))
    assert isinstance(art, Article)
    assert art.date == "1987"
    cleaned = clean_article(art)
    assert cleaned.date == "1987-03-05"
    assert cleaned.dateline == "VELM, March 5 (Reuters)"
    assert body(cleaned) == ["Kolar met Braun on Tuesday. Varga phoned Braun."]


@pytest.mark.parametrize(
    ("month", "day", "reference", "expected"),
    [
        (3, 22, "1987-03-23", "1987-03-22"),
        (12, 31, "1988-01-01", "1987-12-31"),
        (1, 2, "1987-12-30", "1988-01-02"),
        (3, 22, "1987", "1987-03-22"),
        (3, 22, "1987-03", "1987-03-22"),
        (2, 29, "1988-03-01", "1988-02-29"),
        (2, 29, "1987", None),
        (3, 22, None, None),
        (3, 22, "last week", None),
    ],
)
def test_month_day_in_year(
    month: int, day: int, reference: str | None, expected: str | None
) -> None:
    assert month_day_in_year(month, day, reference) == expected


@pytest.mark.parametrize(
    ("raw", "decoded"),
    [
        ("the communiqu&#233; said", "the communiqué said"),
        ("Kolar &amp; Braun", "Kolar & Braun"),
        ("Velm &#x2014; Lundia", "Velm — Lundia"),
        ("&lt;VELM.X&gt; shares", "<VELM.X> shares"),
        ("AT&T and R&D stay", "AT&T and R&D stay"),
        ("an &unknown; name stays", "an &unknown; name stays"),
        ("end of story&#3;", "end of story"),
        ("no references", "no references"),
    ],
)
def test_decode_entities(raw: str, decoded: str) -> None:
    assert decode_entities(raw) == decoded


def test_txt_character_references_are_decoded_and_offsets_point_into_the_decoded_text(
    tmp_path: Path,
) -> None:
    raw = "Kolar signs communiqu&#233;\n\nKolar &amp; Braun signed the communiqu&#233; in Velm.\n"
    path = tmp_path / "ref.txt"
    path.write_text(raw, encoding="utf-8")
    (art,) = list(read_inputs([path]))
    assert isinstance(art, Article)
    assert art.text == "Kolar signs communiqué\n\nKolar & Braun signed the communiqué in Velm.\n"
    assert art.title == "Kolar signs communiqué"
    cleaned = clean_article(art)
    assert body(cleaned) == ["Kolar & Braun signed the communiqué in Velm."]


def test_txt_opening_with_a_dateline_has_no_headline() -> None:
    art = clean_article(text_article("VELM, May 3 - Kolar met Braun.\nThey talked.\n", "d"))
    assert art.title is None
    assert [s.kind for s in art.segments] == ["paragraph", "paragraph"]
    assert body(art) == ["Kolar met Braun.", "They talked."]


@pytest.mark.parametrize(
    ("text", "max_chars", "pieces"),
    [
        ("Kolar met Gen. Holt in Velm. Varga left.", 35,
         ["Kolar met Gen. Holt in Velm.", "Varga left."]),
        ("The U.S. envoy met Mr. Varga. Braun left.", 35,
         ["The U.S. envoy met Mr. Varga.", "Braun left."]),
        ("Kolar met J. Holt today. Braun left.", 30, ["Kolar met J. Holt today.", "Braun left."]),
    ],
)  # fmt: skip
def test_long_line_is_cut_at_sentence_ends_not_abbreviations(
    text: str, max_chars: int, pieces: list[str]
) -> None:
    segs = split_segment(text, Segment(0, len(text)), max_chars)
    assert [text[s.start : s.end] for s in segs] == pieces


BODY = (
    "Queen Anna of Veridia will visit Marovia this week, the palace said. She is expected to "
    "meet the Marovian president. Her visits to the U.S. and the EU were short. Kolar said "
    "the queen would congratulate Braun on his win. The Veridian Ministry of Trade agreed."
)


@pytest.mark.parametrize(
    ("headline", "recased"),
    [
        ("VERIDIA'S QUEEN ANNA VISITS MAROVIA THIS WEEK",
         "Veridia's Queen Anna visits Marovia this week"),
        ("Veridia's Queen Anna Visits Marovia This Week",
         "Veridia's Queen Anna visits Marovia this week"),
        ("QUEEN TO MEET U.S. AND EU ENVOYS", "Queen to meet U.S. and EU envoys"),
        ("KOLAR CONGRATULATES BRAUN ON WIN", "Kolar congratulates Braun on win"),
        ("Kolar congratulates Braun on win", "Kolar congratulates Braun on win"),
        ("QUEEN SNUBS GDP TALKS", "Queen snubs GDP talks"),
        ("QUEEN MEETS PRIME MINISTER", "Queen meets prime minister"),
        ("QUEEN SNUBS TRADE MINISTRY", "Queen snubs Trade Ministry"),
        ("ANNA MEETS THE VERIDIAN MINISTRY", "Anna meets the Veridian Ministry"),
        ("Anna's visit delayed", "Anna's visit delayed"),
        ("MAROVIA'S PRESIDENT WAITS", "Marovia's president waits"),
        ("THE QUEEN'S TRIP", "The queen's trip"),
        ("veridia waits", "Veridia waits"),
        ("ANNA MEETS PRES KOLAR", "Anna meets pres Kolar"),
        ("MINISTRY SNUBS ANNA", "Ministry snubs Anna"),
        ("VERIDIAN MINISTRY STALLS", "Veridian Ministry stalls"),
    ],
)  # fmt: skip
def test_truecase_headline(headline: str, recased: str) -> None:
    out = truecase_headline(headline, BODY)
    assert out == recased
    assert len(out) == len(headline) and out.lower() == headline.lower()


def test_truecase_without_body_keeps_the_headline() -> None:
    assert truecase_headline("KOLAR MEETS BRAUN", "") == "KOLAR MEETS BRAUN"


def test_dateline_is_article_metadata_in_records_and_rdf() -> None:
    from kg.model import ArticleGraph
    from kg.rdf.to_rdf import article_quads
    from kg.records import article_from_json, article_to_json

    text = "Talks\n\nVELM, May 3 (Reuters) - Kolar met Braun.\n"
    art = clean_article(Article(doc="w", text=text))
    record = article_to_json(art)
    assert record["dateline"] == "VELM, May 3 (Reuters)"
    assert article_from_json(record).dateline == art.dateline
    quads = article_quads(ArticleGraph(art, (), ()))
    found = [q.object.value for q in quads if q.predicate.value == "http://schema.org/dateline"]
    assert found == ["VELM, May 3 (Reuters)"]
