"""The English forms of dates and page furniture are data, checked on load."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kg.errors import KGError
from kg.extraction.clean import byline_author, is_boilerplate, is_credit
from kg.extraction.dates import normalise_date, parse_reference
from kg.lexicon import load_yaml
from kg.text_forms import TEXT_FORMS_PATH, load_text_forms, parse_text_forms


def _data() -> dict[str, Any]:
    data = load_yaml(TEXT_FORMS_PATH.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_the_shipped_file_loads() -> None:
    forms = load_text_forms()
    assert forms.dates.months["sept"] == 9
    assert set(forms.dates.weekdays.values()) == set(range(7))
    assert set(forms.dates.periods.values()) <= {"week", "month", "year"}


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d["dates"].update(monthz={}), "unknown key dates.monthz"),
        (lambda d: d.update(furnture={}), "unknown top-level key 'furnture'"),
        (lambda d: d["dates"].pop("weekdays"), "dates lacks weekdays"),
        (lambda d: d["dates"]["months"].update(may="five"), "dates.months.may must be a whole"),
        (lambda d: d["dates"]["periods"].update(week="fortnight"), "dates.periods.week must be"),
        (lambda d: d["furniture"].update(agencies="(getty"), "furniture.agencies is not a valid"),
        (lambda d: d["furniture"].update(boilerplate=[]), "furniture.boilerplate must be a list"),
        (lambda d: d["furniture"].update(name_particles="de"), "name_particles must be a list"),
    ],
)
def test_a_malformed_file_is_an_error_naming_the_key(edit: Any, message: str) -> None:
    data = _data()
    edit(data)
    with pytest.raises(KGError, match=message):
        parse_text_forms(data, source="text_forms.yaml")


def test_errors_name_the_file_and_line(tmp_path: Path) -> None:
    text = TEXT_FORMS_PATH.read_text(encoding="utf-8").replace("  agencies:", "  agencys:", 1)
    bad = tmp_path / "text_forms.yaml"
    bad.write_text(text, encoding="utf-8")
    line = next(i for i, x in enumerate(text.splitlines(), 1) if x.startswith("  agencys:"))
    with pytest.raises(KGError, match=rf"text_forms.yaml:{line}: unknown key furniture.agencys"):
        load_text_forms(bad)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the 4th of May 2021", "2021-05-04"),
        ("Sept. 4, 2021", "2021-09-04"),
        ("May of 2021", "2021-05"),
        ("the year 2019", "2019"),
        ("yesterday", "2024-11-12"),
        ("this evening", "2024-11-13"),
        ("last night", "2024-11-12"),
        ("tomorrow", "2024-11-14"),
        ("next week", "2024-11"),
        ("past year", "2023"),
        ("coming month", "2024-12"),
        ("next Monday", "2024-11-18"),
        ("last Wednesday", "2024-11-06"),
        ("on Wednesday", "2024-11-13"),
    ],
)
def test_date_words_come_from_the_file(text: str, expected: str) -> None:
    assert normalise_date(text, parse_reference("2024-11-13")) == expected


@pytest.mark.parametrize(
    ("line", "credit", "furniture"),
    [
        ("Image by Reuters", True, False),
        ("Getty via Reuters", True, False),
        ("Skip advertisement", False, True),
        ("Follow us on Mastodon", False, True),
        ("Kolar met Braun.", False, False),
    ],
)
def test_furniture_words_come_from_the_file(line: str, credit: bool, furniture: bool) -> None:
    assert is_credit(line) is credit
    assert is_boilerplate(line) is furniture


def test_byline_particles_and_joiners() -> None:
    assert byline_author("By Ana de la Cruz and Bo Lind") == "Ana de la Cruz and Bo Lind"
    assert byline_author("By land and sea routes") is None
