"""Cleaning: decide which lines of an article are content, and find its dateline and byline.

News text arrives with furniture around the story: photo credits, "Read more:" links to other
articles, the byline, the dateline, "Advertisement", share buttons, and captions printed twice
(once bare, once with the credit). None of it may produce entities or relations, yet the
offsets of what remains must still point into the text as read. So cleaning never edits the
text: it returns :class:`~kg.model.Segment` spans over it, one per content line (a line is
always a sentence boundary), and fills the article's date and author from the furniture.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

from kg.extraction.dates import month_day_in_year
from kg.model import Article, Segment, SegmentKind
from kg.text_forms import alternation, load_text_forms


@dataclass(frozen=True)
class _FurnitureRegexes:
    """The furniture and date-line expressions, built once from ontology/text_forms.yaml."""

    months: Mapping[str, int]
    weekday_name: str
    author_joiners: frozenset[str]
    date_forms: tuple[re.Pattern[str], ...]
    dateline_prefix: re.Pattern[str]
    dateline_rest: re.Pattern[str]
    byline: re.Pattern[str]
    #: a whole line that is only a credit ("Picture: Getty", "Image: Alamy / Reuters")
    credit_line: re.Pattern[str]
    agency_line: re.Pattern[str]
    #: a wire service's sign-off closing a one-paragraph body: "... with Braun. Reuter"
    trailing_signoff: re.Pattern[str]
    #: a credit at the end of a caption line: "Putin and Trump in 2019. Picture: Alamy"
    trailing_credit: re.Pattern[str]
    boilerplate: re.Pattern[str]
    wire_dateline: re.Pattern[str]


@lru_cache(maxsize=1)
def _rx() -> _FurnitureRegexes:
    """Read on first use, not on import."""
    forms = load_text_forms()
    d, f = forms.dates, forms.furniture
    month = rf"(?P<month>{alternation(d.months)})\.?"
    day = rf"(?P<day>\d{{1,2}}){alternation(d.day_endings)}?"
    year = r"(?P<year>(?:19|20)\d\d)"
    weekday = rf"(?:{d.weekday_forms}\.?,?\s+)?"
    by = rf"(?:{f.by_words})"
    name_word = r"[A-Z][\w'’.-]*"
    joiner = alternation(f.author_joiners)
    particle = alternation(f.name_particles)
    credit = f.credit_words
    return _FurnitureRegexes(
        months=d.months,
        weekday_name=d.weekday_forms,
        author_joiners=frozenset(w.lower() for w in f.author_joiners),
        date_forms=(
            re.compile(
                rf"{year}-(?P<m>\d\d)-(?P<d>\d\d)(?:[T ][\d:.]+(?:Z|[+-]\d\d:?\d\d)?)?", re.I
            ),
            re.compile(rf"{weekday}{day}\s+{month}\s*,?\s+{year}", re.I),
            re.compile(rf"{weekday}{month}\s+{day}\s*,?\s+{year}", re.I),
        ),
        dateline_prefix=re.compile(rf"^(?:{f.date_line_prefixes}\s*:?\s*)?", re.I),
        # what may follow the date on a dateline: a time, a time zone, separators, "Updated"
        dateline_rest=re.compile(
            rf"^[\s,|·•–-]*(?:(?:{f.time_marks})\s+)?"
            r"(?:\d{1,2}[:.]\d\d(?:[:.]\d\d)?\s*(?:[ap]\.?m\.?)?)?\s*"
            r"(?:\(?(?:[A-Z]{2,5}|UTC|GMT)(?:[+-]\d{1,2}(?::?\d\d)?)?\)?)?\s*"
            rf"(?:[|·•–-]\s*{f.date_line_updates}\b.*)?$",
            re.I,
        ),
        byline=re.compile(
            rf"^{by}\s*:?\s+(?P<name>{name_word}(?:\s+(?:{joiner}\s+)?(?:{particle}\s+)?"
            rf"{name_word}){{1,7}})"
            r"\s*(?:(?:,|\||–|-|·)\s*.{0,80})?$",
            re.I,
        ),
        credit_line=re.compile(rf"^\(?{credit}\s*(?::|{by}\b)\s*[^.!?]{{0,80}}\.?\)?$", re.I),
        agency_line=re.compile(
            rf"^\(?{f.agencies}(?:\s*(?:/|,|{f.agency_joiners})\s*[\w .-]{{1,40}})?\)?$", re.I
        ),
        trailing_signoff=re.compile(rf"(?<=[.!?\"'’”)])\s+{f.agencies}\s*$", re.I),
        trailing_credit=re.compile(
            rf"(?P<keep>[.!?)\"'’”])?\s*[(\[]?{credit}\s*(?::|{by}\b)\s*[^.!?]{{1,80}}\.?[)\]]?\s*$",
            re.I,
        ),
        boilerplate=re.compile("|".join(f"^{b}" for b in f.boilerplate), re.I),
        # A wire dateline opening a paragraph: "BRUSSELS, July 8 (Reuters) - ", "WARSAW — ",
        # "LONDON (AP) — ", "ANKARA/MOSCOW, May 12 (Reuters) -", "New York, April 1 - ". The
        # place is where the story was filed, not an actor: the paragraph's content starts
        # after it.
        wire_dateline=re.compile(
            r"^(?P<place>(?P<caps>[A-Z][A-Z.'’]{2,}(?:[ /-][A-Z][A-Z.'’]+){0,3})"
            r"|[A-Z][a-z]+(?:[ /-][A-Z][a-z]+){0,2})"
            r"(?P<where>,\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)?"
            rf"(?P<when>,\s+(?i:{month})\s+{day})?"
            r"(?P<agency>\s*\([A-Za-z][A-Za-z .&/-]{0,30}\))?"
            r"\s*(?P<dash>[-—–]+)\s+(?=\S)"
        ),
    )


#: A wire service's editorial note in brackets, "(Corrects date in second paragraph)": the
#: first word is one of the lexicon's ``wire_notes`` cues (checked in :func:`wire_note_length`).
_NOTE = re.compile(r"^\((?P<word>[A-Za-z]+)\b[^()\n]{0,200}\)\s*")
_TOP_LINES = 12
_LINE = re.compile(r"[^\n]*\n?")
#: Longest segment handed to the parser (characters). Longer lines (a whole article on one
#: line, or text with no punctuation at all) are cut, at a sentence end when there is one,
#: else at a space, so parse time and memory stay linear in the article's length.
MAX_SEGMENT_CHARS = 3000
#: A likely sentence end for such a cut: not the dot of an initial or a short capitalised
#: abbreviation ("J.", "U.S.", "Mr.", "Gen."), and the next sentence starts with a capital,
#: a digit or a quote.
_SENTENCE_END = re.compile(
    r"(?<!\b[A-Z])(?<!\b[A-Z][a-z])(?<!\b[A-Z][a-z]{2})(?<!\.[A-Za-z])"
    r"[.!?][\"'’”)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])"
)
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Line:
    """One non-empty line of the text: its stripped span and what cleaning made of it."""

    start: int
    end: int
    text: str


def iter_lines(text: str) -> Iterator[Line]:
    """Non-empty lines with offsets of their stripped content (``\\r`` counts as space)."""
    pos = 0
    for m in _LINE.finditer(text):
        raw = m.group(0)
        if not raw:
            break
        body = raw.rstrip("\n")
        stripped = body.strip()
        if stripped:
            lead = len(body) - len(body.lstrip())
            start = pos + lead
            yield Line(start, start + len(stripped), stripped)
        pos = m.end()


def parse_date(text: str) -> str | None:
    """The first date in ``text`` as ISO ``yyyy-mm-dd`` ("11 November 2024", "Nov 11, 2024")."""
    found = _find_date(text, anchored=False)
    return found[0] if found else None


def _find_date(text: str, *, anchored: bool) -> tuple[str, int, int] | None:
    best: tuple[str, int, int] | None = None
    for form in _rx().date_forms:
        m = form.match(text) if anchored else form.search(text)
        if not m:
            continue
        groups = m.groupdict()
        try:
            if groups.get("m"):
                month, day = int(groups["m"]), int(groups["d"])
            else:
                month, day = _rx().months[groups["month"].lower()], int(groups["day"])
            iso = date(int(groups["year"]), month, day).isoformat()
        except (KeyError, ValueError):
            continue
        if best is None or m.start() < best[1]:
            best = (iso, m.start(), m.end())
    return best


def dateline_date(line: str) -> str | None:
    """The ISO date if the whole line is a dateline ("11 November 2024, 10:03"), else None."""
    if len(line) > 120:
        return None
    rest = _rx().dateline_prefix.sub("", line.strip(), count=1)
    found = _find_date(rest, anchored=True)
    if found is None or not _rx().dateline_rest.match(rest[found[2] :]):
        return None
    return found[0]


def byline_author(line: str) -> str | None:
    """The author's name if the line is a byline ("By Kit Heren", "By A and B, Reporter")."""
    if len(line) > 140 or line.rstrip().endswith((".", "!", "?", ":")):
        return None
    m = _rx().byline.match(line.strip())
    if not m:
        return None
    name = m.group("name").strip()
    words = name.split()
    # "By Tuesday Morning" or "By Land And Sea" are rarely bylines: names have capitals only.
    if any(w[0].islower() for w in words if w.lower() not in _rx().author_joiners and len(w) > 3):
        return None
    return name


def is_credit(line: str) -> bool:
    """A photo credit line ("Picture: Getty", "Image: Alamy / Reuters", "Getty Images")."""
    return bool(_rx().credit_line.match(line) or _rx().agency_line.match(line))


def is_boilerplate(line: str) -> bool:
    """Links and page furniture: "Read more: ...", "Advertisement", share/subscribe prompts."""
    return bool(_rx().boilerplate.match(line))


@dataclass(frozen=True)
class Dateline:
    """A wire dateline opening a paragraph: where (and on which day) the story was filed.

    ``text`` is the dateline as written without its dash ("LONDON, March 22 (Reuters)"),
    ``place`` the filing place ("LONDON"), ``month``/``day`` the date when it gives one (wire
    datelines carry no year), ``length`` the characters it takes, dash and spaces included.
    """

    text: str
    place: str
    month: int | None
    day: int | None
    length: int


def wire_dateline(line: str) -> Dateline | None:
    """The wire dateline opening ``line`` ("WARSAW — ", "LONDON, March 22 - "), else None.

    A bare "US - China" is not one: a dateline has a date, an agency, a second place name
    or an em dash after a capitalised place of at least four letters. A place in title case
    ("New York, April 1 - ") needs a date or an agency, since prose can open "Kolar - ".
    """
    m = _rx().wire_dateline.match(line)
    if not m or re.fullmatch(_rx().weekday_name, m["place"], re.I):
        return None  # "Tuesday, March 4 - Kolar meets Braun" is a schedule, not a dateline
    caps = m["caps"] is not None
    dated = bool(m["when"] or m["agency"])
    if not (dated or (caps and m["where"])) and not (
        caps and m["dash"] in ("—", "–") and len(m["place"]) >= 4
    ):
        return None
    month = day = None
    if m["when"]:
        month, day = _rx().months[m["month"].lower()], int(m["day"])
        try:
            date(2000, month, day)  # a leap year: February 29 is a dateline too
        except ValueError:
            month = day = None
    text = line[: m.start("dash")].rstrip()
    return Dateline(text, m["place"], month, day, m.end())


def wire_dateline_length(line: str) -> int:
    """Length of a wire dateline opening ``line`` (see :func:`wire_dateline`), else 0."""
    found = wire_dateline(line)
    return found.length if found else 0


def wire_note_length(text: str) -> int:
    """Length of a wire editorial note opening ``text`` ("(Corrects date in paragraph 2) "),
    else 0: the note is about the story, not part of it. Its first word is one of the
    lexicon's ``wire_notes`` cues."""
    m = _NOTE.match(text)
    if not m or m["word"].lower() not in _wire_note_words():
        return 0
    return m.end()


@lru_cache(maxsize=1)
def _wire_note_words() -> frozenset[str]:
    from kg.lexicon import load_lexicon  # YAML is read on first use, not on import

    return frozenset(load_lexicon().cue("wire_notes"))


def strip_signoff(line: str) -> str:
    """The line without a wire sign-off at its end ("... met Braun. Reuter" -> "... Braun.")."""
    m = _rx().trailing_signoff.search(line)
    return line[: m.start()] if m else line


def strip_trailing_credit(line: str) -> str:
    """The line without a credit at its end ("Caption. Picture: Alamy" -> "Caption.")."""
    m = _rx().trailing_credit.search(line)
    if not m or m.start() == 0:
        return line
    return line[: m.start()] + (m.group("keep") or "")


@lru_cache(maxsize=64)
def find_metadata(text: str) -> tuple[str | None, str | None]:
    """(date, author) from the dateline and byline near the top of the text, if any (kept
    for the last texts: reading an article asks, and cleaning it asks again)."""
    found_date: str | None = None
    author: str | None = None
    for i, line in enumerate(iter_lines(text)):
        if i >= _TOP_LINES:
            break
        if found_date is None:
            found_date = dateline_date(line.text)
        if author is None and i > 0:
            author = byline_author(line.text)
    return found_date, author


def _same_caption(a: str, b: str) -> bool:
    def norm(s: str) -> str:
        return " ".join(s.split()).rstrip(" .").casefold()

    return norm(a) == norm(b)


def content_segments(article: Article) -> tuple[Segment, ...]:
    """Segments of the article's content lines (see the module docstring for what is dropped)."""
    return _content(article)[0]


def _content(article: Article) -> tuple[tuple[Segment, ...], Dateline | None]:
    """Content segments, and the wire dateline opening the body if there is one."""
    segments: list[Segment] = []
    prev_text: str | None = None  # text of the previous content line (for caption repeats)
    headline = " ".join(article.title.split()) if article.title else None
    dateline: Dateline | None = None
    for i, line in enumerate(iter_lines(article.text)):
        text = line.text
        top = i < _TOP_LINES
        if (top and dateline_date(text)) or (top and i > 0 and byline_author(text)):
            continue
        if is_credit(text) or is_boilerplate(text):
            continue
        kept = strip_trailing_credit(text).rstrip()
        had_credit = len(kept) < len(text)
        kept = strip_signoff(kept).rstrip()
        if not kept or wire_note_length(kept) == len(kept):
            continue
        if prev_text is not None and _same_caption(kept, prev_text) and segments:
            # "X\nX. Picture: Getty": one caption printed twice; keep the first, mark it.
            last = segments[-1]
            segments[-1] = replace(last, kind="caption")
            continue
        found = wire_dateline(kept)
        skip = found.length if found else 0
        skip += wire_note_length(kept[skip:])
        if skip >= len(kept):
            continue
        if found is not None and dateline is None and top:
            dateline = found
        kind: SegmentKind = "paragraph"
        if i == 0 and found is None and (headline is None or " ".join(text.split()) == headline):
            kind = "headline"
        elif had_credit:
            kind = "caption"
        segments.append(Segment(line.start + skip, line.start + len(kept), kind))
        prev_text = kept
    return tuple(segments), dateline


def split_segment(
    text: str, segment: Segment, max_chars: int = MAX_SEGMENT_CHARS
) -> tuple[Segment, ...]:
    """``segment`` cut into pieces of at most ``max_chars`` characters of ``text``.

    A cut goes after the last sentence end in the window, else at the last whitespace, else
    (one enormous token) at ``max_chars``; pieces keep the segment's kind and never start or
    end with whitespace.
    """
    if max_chars < 1:
        raise ValueError("max_chars must be at least 1")
    pieces: list[Segment] = []
    start, end = segment.start, segment.end
    while end - start > max_chars:
        window = text[start : start + max_chars + 1]
        cut = None
        for m in _SENTENCE_END.finditer(window):
            if m.start() > 0:
                cut = (m.start() + len(m.group(0).rstrip()), m.end())
        if cut is None:
            for m in _SPACE.finditer(window):
                if m.start() > 0:
                    cut = (m.start(), m.end())
        if cut is None or cut[0] == 0:
            cut = (max_chars, max_chars)
        piece_end, next_start = start + cut[0], start + cut[1]
        pieces.append(Segment(start, piece_end, segment.kind))
        start = next_start
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        pieces.append(Segment(start, end, segment.kind))
    return tuple(pieces)


def clean_article(article: Article) -> Article:
    """The article with ``segments`` filled, its date and author if found and missing, and its
    wire dateline.

    A dateline's month and day take the year of the article's date (the one nearest to it), so
    that relative dates in the story ("on Tuesday") resolve against the day it was filed.
    """
    found_date, author = find_metadata(article.text)
    content, dateline = _content(article)
    segments = tuple(
        piece
        for seg in content
        for piece in (
            split_segment(article.text, seg) if seg.end - seg.start > MAX_SEGMENT_CHARS else (seg,)
        )
    )
    when = article.date or found_date
    if dateline is not None and dateline.month is not None and dateline.day is not None:
        when = month_day_in_year(dateline.month, dateline.day, when) or when
    return replace(
        article,
        segments=segments,
        date=when,
        author=article.author or author,
        dateline=article.dateline or (dateline.text if dateline else None),
    )


__all__ = [
    "MAX_SEGMENT_CHARS",
    "Dateline",
    "Line",
    "byline_author",
    "clean_article",
    "content_segments",
    "dateline_date",
    "find_metadata",
    "is_boilerplate",
    "is_credit",
    "iter_lines",
    "parse_date",
    "split_segment",
    "strip_signoff",
    "strip_trailing_credit",
    "wire_dateline",
    "wire_dateline_length",
    "wire_note_length",
]
