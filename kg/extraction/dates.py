"""Normalise date expressions from news text to xsd:date / xsd:gYearMonth / xsd:gYear strings.

Absolute dates keep exactly the precision the text gives ("May 2023" -> "2023-05", never a
made-up day). Relative dates ("on Tuesday", "last month", "yesterday") only make sense against
the article's publication date; without one they give ``None`` rather than a guess.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from functools import lru_cache

__all__ = ["month_day_in_year", "normalise_date", "parse_reference"]

_MONTHS: dict[str, int] = {}
for _i in range(1, 13):
    _MONTHS[calendar.month_name[_i].lower()] = _i
    _MONTHS[calendar.month_abbr[_i].lower()] = _i
_MONTHS["sept"] = 9

_WEEKDAYS: dict[str, int] = {calendar.day_name[i].lower(): i for i in range(7)}

_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DAY_RE = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR_RE = r"(?P<year>(?:1[6-9]|20|21)\d\d)"

_ISO = re.compile(r"\b(?P<year>\d{4})-(?P<month>\d\d)-(?P<day>\d\d)\b")
_MDY = re.compile(rf"\b(?P<month>{_MONTH_RE})\.?\s+{_DAY_RE},?\s+{_YEAR_RE}\b", re.I)
_DMY = re.compile(rf"\b{_DAY_RE}(?:\s+of)?\s+(?P<month>{_MONTH_RE})\.?,?\s+{_YEAR_RE}\b", re.I)
_MY = re.compile(rf"\b(?P<month>{_MONTH_RE})\.?,?\s+(?:of\s+)?{_YEAR_RE}\b", re.I)
_MD = re.compile(rf"\b(?P<month>{_MONTH_RE})\.?\s+{_DAY_RE}\b(?!\s*,?\s*\d)", re.I)
_DM = re.compile(rf"\b{_DAY_RE}(?:\s+of)?\s+(?P<month>{_MONTH_RE})\b(?!\.?,?\s*\d)", re.I)
_Y = re.compile(rf"^\s*(?:in\s+|the\s+year\s+)?{_YEAR_RE}\s*$", re.I)
_WEEKDAY = re.compile(
    r"\b(?P<rel>last|next|this|on)?\s*(?P<wd>" + "|".join(_WEEKDAYS) + r")\b", re.I
)
_RELATIVE = re.compile(r"\b(?P<rel>last|next|this|past|coming)\s+(?P<unit>week|month|year)\b", re.I)


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
    if m := _ISO.search(text):
        return _ymd(int(m["year"]), int(m["month"]), int(m["day"]))
    for rx in (_MDY, _DMY):
        if m := rx.search(text):
            return _ymd(int(m["year"]), _MONTHS[m["month"].lower()], int(m["day"]))
    if m := _MY.search(text):
        return f"{int(m['year']):04d}-{_MONTHS[m['month'].lower()]:02d}"
    if m := _Y.match(text):
        return m["year"]
    if reference is not None:
        for rx in (_MD, _DM):
            if m := rx.search(text):
                # A day and month without a year: the closest such date not after the article.
                month, day = _MONTHS[m["month"].lower()], int(m["day"])
                for year in (reference.year, reference.year - 1):
                    found = _ymd(year, month, day)
                    if found is not None and found <= reference.isoformat():
                        return found
                return None
    return None


def _relative(text: str, reference: date, future: bool) -> str | None:
    low = text.lower()
    if re.search(r"\btoday\b|\btonight\b|\bthis (?:morning|afternoon|evening)\b", low):
        return reference.isoformat()
    if re.search(r"\byesterday\b|\blast night\b", low):
        return (reference - timedelta(days=1)).isoformat()
    if re.search(r"\btomorrow\b", low):
        return (reference + timedelta(days=1)).isoformat()
    if m := _RELATIVE.search(low):
        sign = {"last": -1, "past": -1, "next": 1, "coming": 1, "this": 0}[m["rel"]]
        unit = m["unit"]
        if unit == "year":
            return f"{reference.year + sign:04d}"
        if unit == "month":
            return _month_shift(reference, sign)
        # A week has no xsd type: give the month it falls in (honest, if coarse).
        return _month_shift(reference + timedelta(days=7 * sign), 0)
    if m := _WEEKDAY.search(low):
        target = _WEEKDAYS[m["wd"]]
        rel = m["rel"] or ""
        if rel == "next" or (future and rel != "last"):
            delta = (target - reference.weekday()) % 7 or 7
            return (reference + timedelta(days=delta)).isoformat()
        delta = (reference.weekday() - target) % 7
        if rel == "last" and delta == 0:
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
