"""Load the English forms of dates and page furniture (``ontology/text_forms.yaml``).

Month and weekday names, relative-date words, and the words of bylines, picture credits and
"Read more" lines are data, so that the cleaning and date stages hold no English words and a
new furniture line is an edit to that file plus a test. The file is checked on load: an unknown
key, a value of the wrong kind or a regular expression Python rejects is an error naming the
file and line. It is parsed once per process (:func:`load_text_forms` is cached).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from kg.errors import KGError
from kg.lexicon import ONTOLOGY_DIR, key_lines, load_yaml

TEXT_FORMS_PATH = ONTOLOGY_DIR / "text_forms.yaml"

Period = Literal["week", "month", "year"]
_PERIODS: tuple[Period, ...] = ("week", "month", "year")


@dataclass(frozen=True)
class DateForms:
    """Calendar words: names, and distances from the article date."""

    months: Mapping[str, int]
    weekdays: Mapping[str, int]
    weekday_forms: str
    day_endings: tuple[str, ...]
    day_month_joiners: tuple[str, ...]
    month_year_joiners: tuple[str, ...]
    year_prefixes: str
    day_offsets: Mapping[str, int]
    period_shifts: Mapping[str, int]
    periods: Mapping[str, Period]
    weekday_shifts: Mapping[str, int]


@dataclass(frozen=True)
class FurnitureForms:
    """Words of the lines around a story: publication lines, bylines, credits, links."""

    date_line_prefixes: str
    date_line_updates: str
    time_marks: str
    by_words: str
    author_joiners: tuple[str, ...]
    name_particles: tuple[str, ...]
    credit_words: str
    agencies: str
    agency_joiners: str
    boilerplate: tuple[str, ...]


@dataclass(frozen=True)
class TextForms:
    dates: DateForms
    furniture: FurnitureForms


def alternation(words: tuple[str, ...] | Mapping[str, object]) -> str:
    """A non-capturing regex group of literal words, longest first (so "sept" wins over "sep")."""
    return "(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + ")"


# kind of each key: "regex", "regexes", "words", "numbers" (word -> int), "periods"
_DATE_KEYS = {
    "months": "numbers", "weekdays": "numbers", "weekday_forms": "regex",
    "day_endings": "words", "day_month_joiners": "words", "month_year_joiners": "words",
    "year_prefixes": "regex", "day_offsets": "numbers", "period_shifts": "numbers",
    "periods": "periods", "weekday_shifts": "numbers",
}  # fmt: skip
_FURNITURE_KEYS = {
    "date_line_prefixes": "regex", "date_line_updates": "regex", "time_marks": "regex",
    "by_words": "regex", "author_joiners": "words", "name_particles": "words",
    "credit_words": "regex", "agencies": "regex", "agency_joiners": "regex",
    "boilerplate": "regexes",
}  # fmt: skip
_SECTIONS = {"dates": _DATE_KEYS, "furniture": _FURNITURE_KEYS}


def _value(value: Any, kind: str, where: str, what: str) -> Any:
    def regex(v: Any) -> str:
        if not isinstance(v, str) or not v:
            raise KGError(f"{where}: {what} must be a regular expression (a string)")
        try:
            re.compile(v)
        except re.error as e:
            raise KGError(f"{where}: {what} is not a valid regular expression: {e}") from None
        return v

    if kind == "regex":
        return regex(value)
    if kind == "regexes":
        if not isinstance(value, list) or not value:
            raise KGError(f"{where}: {what} must be a list of regular expressions")
        return tuple(regex(v) for v in value)
    if kind == "words":
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise KGError(f"{where}: {what} must be a list of words")
        return tuple(value)
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        raise KGError(f"{where}: {what} must be a mapping of words")
    if kind == "periods":
        bad = [k for k, v in value.items() if v not in _PERIODS]
        if bad:
            raise KGError(f"{where}: {what}.{bad[0]} must be one of {', '.join(_PERIODS)}")
        return dict(value)
    bad = [k for k, v in value.items() if not isinstance(v, int) or isinstance(v, bool)]
    if bad:
        raise KGError(f"{where}: {what}.{bad[0]} must be a whole number")
    return dict(value)


def parse_text_forms(data: Any, source: str = "text_forms", text: str = "") -> TextForms:
    """Check and convert the parsed file; errors name ``source`` and the key's line."""
    lines = key_lines(text) if text else {}

    def where(*path: str) -> str:
        for n in range(len(path), 0, -1):
            if path[:n] in lines:
                return f"{source}:{lines[path[:n]]}"
        return source

    if not isinstance(data, dict):
        raise KGError(f"{source}: must be a mapping with keys version, dates, furniture")
    for key in data:
        if key != "version" and key not in _SECTIONS:
            raise KGError(f"{where(str(key))}: unknown top-level key {key!r}")
    parsed: dict[str, dict[str, Any]] = {}
    for section, kinds in _SECTIONS.items():
        body = data.get(section)
        if not isinstance(body, dict):
            raise KGError(f"{where(section)}: {section} must be a mapping")
        for key in body:
            if key not in kinds:
                raise KGError(f"{where(section, str(key))}: unknown key {section}.{key}")
        missing = [k for k in kinds if k not in body]
        if missing:
            raise KGError(f"{where(section)}: {section} lacks {', '.join(missing)}")
        parsed[section] = {
            k: _value(body[k], kind, where(section, k), f"{section}.{k}")
            for k, kind in kinds.items()
        }
    return TextForms(DateForms(**parsed["dates"]), FurnitureForms(**parsed["furniture"]))


@lru_cache(maxsize=4)
def load_text_forms(path: Path = TEXT_FORMS_PATH) -> TextForms:
    text = path.read_text(encoding="utf-8")
    return parse_text_forms(load_yaml(text), source=str(path), text=text)


__all__ = [
    "TEXT_FORMS_PATH",
    "DateForms",
    "FurnitureForms",
    "TextForms",
    "alternation",
    "load_text_forms",
    "parse_text_forms",
]
