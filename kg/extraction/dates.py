"""Normalise date expressions from news text to xsd:date / xsd:gYearMonth / xsd:gYear strings.

Absolute dates keep exactly the precision the text gives ("May 2023" -> "2023-05", never a
made-up day). Relative dates ("on Tuesday", "last month", "yesterday") only make sense against
the article's publication date; without one they give ``None`` rather than a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from kg.text_forms import DateForms, alternation, load_text_forms

__all__ = ["month_day_in_year", "normalise_date", "parse_reference"]


@dataclass(frozen=True)
class _DateRegexes:
    """The date expressions, built once from the calendar words (ontology/text_forms.yaml)."""

    forms: DateForms
    iso: re.Pattern[str]
    mdy: re.Pattern[str]
    dmy: re.Pattern[str]
    my: re.Pattern[str]
    md: re.Pattern[str]
    dm: re.Pattern[str]
    year: re.Pattern[str]
    weekday: re.Pattern[str]
    period: re.Pattern[str]
    #: (regex, days from the article date), in the order the file lists the distances
    day_offsets: tuple[tuple[re.Pattern[str], int], ...]


@lru_cache(maxsize=1)
def _regexes() -> _DateRegexes:
    f = load_text_forms().dates
    month = alternation(f.months)
    day = rf"(?P<day>[0-3]?\d){alternation(f.day_endings)}?"
    year = r"(?P<year>(?:1[6-9]|20|21)\d\d)"
    of_day = alternation(f.day_month_joiners)
    of_year = alternation(f.month_year_joiners)
    offsets: dict[int, list[str]] = {}
    for phrase, days in f.day_offsets.items():
        offsets.setdefault(days, []).append(phrase)
    return _DateRegexes(
        forms=f,
        iso=re.compile(r"\b(?P<year>\d{4})-(?P<month>\d\d)-(?P<day>\d\d)\b"),
        mdy=re.compile(rf"\b(?P<month>{month})\.?\s+{day},?\s+{year}\b", re.I),
        dmy=re.compile(rf"\b{day}(?:\s+{of_day})?\s+(?P<month>{month})\.?,?\s+{year}\b", re.I),
        my=re.compile(rf"\b(?P<month>{month})\.?,?\s+(?:{of_year}\s+)?{year}\b", re.I),
        md=re.compile(rf"\b(?P<month>{month})\.?\s+{day}\b(?!\s*,?\s*\d)", re.I),
        dm=re.compile(rf"\b{day}(?:\s+{of_day})?\s+(?P<month>{month})\b(?!\.?,?\s*\d)", re.I),
        year=re.compile(rf"^\s*{f.year_prefixes}?{year}\s*$", re.I),
        weekday=re.compile(
            rf"\b(?P<rel>{alternation(f.weekday_shifts)})?\s*(?P<wd>{alternation(f.weekdays)})\b",
            re.I,
        ),
        period=re.compile(
            rf"\b(?P<rel>{alternation(f.period_shifts)})\s+(?P<unit>{alternation(f.periods)})\b",
            re.I,
        ),
        day_offsets=tuple(
            (re.compile(rf"\b{alternation(tuple(phrases))}\b"), days)
            for days, phrases in offsets.items()
        ),
    )


def parse_reference(value: str | None) -> date | None:
    """The article date as a :class:`date` (from "2024-11-11" or longer ISO strings), or None."""
    if not value:
        return None
    m = re.match(r"(\d{4})-(\d\d)-(\d\d)", value)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def month_day_in_year(month: int, day: int, reference: str | None) -> str | None:
    """The ISO date of ``month``/``day`` in the year of ``reference`` that lies nearest to it.

    Wire datelines ("LONDON, March 22 -") give no year; the article's date does. A dateline of
    December 31 on a story dated January 1 belongs to the year before. ``reference`` may be a
    date, a year-month or a year ("1987"); without one (or for an impossible day) None.
    """
    m = re.match(r"(\d{4})(?:-(\d\d)(?:-(\d\d))?)?", reference or "")
    if not m:
        return None
    year = int(m.group(1))
    if m.group(2) is None:
        return _ymd(year, month, day)
    try:
        ref = date(year, int(m.group(2)), int(m.group(3) or 15))
    except ValueError:
        return _ymd(year, month, day)
    found: list[date] = []
    for y in (year - 1, year, year + 1):
        iso = _ymd(y, month, day)
        if iso is not None:
            found.append(date.fromisoformat(iso))
    if not found:
        return None
    return min(found, key=lambda d: (abs((d - ref).days), d)).isoformat()


def _ymd(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _month_shift(ref: date, months: int) -> str:
    index = ref.year * 12 + ref.month - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _absolute(text: str, reference: date | None) -> str | None:
    rx = _regexes()
    months = rx.forms.months
    if m := rx.iso.search(text):
        return _ymd(int(m["year"]), int(m["month"]), int(m["day"]))
    for form in (rx.mdy, rx.dmy):
        if m := form.search(text):
            return _ymd(int(m["year"]), months[m["month"].lower()], int(m["day"]))
    if m := rx.my.search(text):
        return f"{int(m['year']):04d}-{months[m['month'].lower()]:02d}"
    if m := rx.year.match(text):
        return m["year"]
    if reference is not None:
        for form in (rx.md, rx.dm):
            if m := form.search(text):
                # A day and month without a year: the closest such date not after the article.
                month, day = months[m["month"].lower()], int(m["day"])
                for year in (reference.year, reference.year - 1):
                    found = _ymd(year, month, day)
                    if found is not None and found <= reference.isoformat():
                        return found
                return None
    return None


def _relative(text: str, reference: date, future: bool) -> str | None:
    rx = _regexes()
    low = text.lower()
    for form, days in rx.day_offsets:
        if form.search(low):
            return (reference + timedelta(days=days)).isoformat()
    if m := rx.period.search(low):
        sign = rx.forms.period_shifts[m["rel"]]
        unit = rx.forms.periods[m["unit"]]
        if unit == "year":
            return f"{reference.year + sign:04d}"
        if unit == "month":
            return _month_shift(reference, sign)
        # A week has no xsd type: give the month it falls in (honest, if coarse).
        return _month_shift(reference + timedelta(days=7 * sign), 0)
    if m := rx.weekday.search(low):
        target = rx.forms.weekdays[m["wd"]]
        shift = rx.forms.weekday_shifts[m["rel"]] if m["rel"] else 0
        if shift > 0 or (future and shift == 0):
            delta = (target - reference.weekday()) % 7 or 7
            return (reference + timedelta(days=delta)).isoformat()
        delta = (reference.weekday() - target) % 7
        if shift < 0 and delta == 0:
            delta = 7
        return (reference - timedelta(days=delta)).isoformat()
    return None


@lru_cache(maxsize=4096)  # pure; an article repeats its dates ("on Monday") in many relations
def normalise_date(text: str, reference: date | None, *, future: bool = False) -> str | None:
    """``"July 16, 2018"`` -> ``"2018-07-16"``; ``"May 2023"`` -> ``"2023-05"``; ``"2019"``.

    Relative expressions ("on Tuesday", "last month", "next week") are resolved against
    ``reference`` (the article date) and give ``None`` without it. A bare weekday means the
    latest such day on or before the article date, or the next one when ``future`` is set
    (the clause is planned).
    """
    text = " ".join(text.split())
    if not text:
        return None
    found = _absolute(text, reference)
    if found is not None or reference is None:
        return found
    try:
        return _relative(text, reference, future)
    except (OverflowError, ValueError):  # around date.min / date.max
        return None
