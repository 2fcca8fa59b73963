"""Helpers for the reading, cleaning, pipeline, build and eval tests.

Hand-written articles about fictional people (no third-party text), a writer for article
folders, and small constructors of gold and predicted relations for the scorer tables.
"""

from __future__ import annotations

from pathlib import Path

from kg.evaluate import Claim, GoldRelation
from kg.model import RelationRecord

#: A small article with every kind of furniture cleaning must drop (all made up).
FURNITURE_ARTICLE = """Kolar and Braun meet in Vienna as talks resume

3 March 2025, 09:15

Marta Kolar and Felix Braun in Vienna
Marta Kolar and Felix Braun in Vienna. Picture: Getty

By Ann Lee

Veridian President Marta Kolar met Chancellor Felix Braun in Vienna on Tuesday.

Advertisement

Read more: Veridia and Marovia sign a trade deal

Picture: Alamy

The two leaders discussed energy prices, officials said.
"""

ARTICLES = {
    "talks.txt": (
        "Kolar hosts Braun for talks\n\n"
        "12 May 2025\n\n"
        "By Ann Lee\n\n"
        "Veridian President Marta Kolar met Chancellor Felix Braun in Vienna on Tuesday.\n\n"
        "The meeting lasted three hours, officials said.\n"
    ),
    "calls.txt": (
        "Varga and Reyes speak by phone\n\n"
        "Prime Minister Ilona Varga spoke by phone with President Tomas Reyes on Friday, "
        "her office said.\n\n"
        "Tomas Reyes called Marta Kolar a liar during a rally in Porto Alegre.\n"
    ),
}


def write_articles(root: Path, articles: dict[str, str] | None = None) -> Path:
    """Write ``articles`` (file name -> text) under ``root`` and return ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    for name, text in (articles or ARTICLES).items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def gold(
    rtype: str,
    subject: str,
    obj: str | None,
    *,
    doc: str = "d1",
    polarity: str = "positive",
    modality: str = "actual",
    attributed_to: str | None = None,
    claim: tuple[str, str, str] | None = None,
) -> GoldRelation:
    """A gold relation for scorer tables."""
    return GoldRelation(
        doc=doc,
        type=rtype,
        subject=subject,
        object=obj,
        polarity=polarity,
        modality=modality,
        attributed_to=attributed_to,
        claim=Claim(*claim) if claim else None,
    )


def pred(
    rtype: str,
    subject: str,
    obj: str,
    *,
    doc: str = "d1",
    polarity: str = "positive",
    modality: str = "actual",
    attributed_to: str | None = None,
    denied_by: tuple[str, ...] = (),
    start: int = 0,
) -> RelationRecord:
    """A predicted relation record for scorer tables (ids are irrelevant to scoring)."""
    return RelationRecord(
        id=f"urn:test:{rtype}:{subject}:{obj}:{start}",
        doc=doc,
        type=rtype,
        subject=subject,
        subject_id=f"urn:e:{subject}",
        object=obj,
        object_id=f"urn:e:{obj}",
        polarity=polarity,  # type: ignore[arg-type]
        modality=modality,  # type: ignore[arg-type]
        attributed_to=attributed_to,
        denied_by=denied_by,
        start=start,
        end=start + 1,
        sentence=f"{subject} {rtype} {obj}.",
    )
