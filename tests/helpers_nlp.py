"""Shared helpers for NLP / entity tests: one spaCy model per process, a tiny local cleaner."""

from __future__ import annotations

import re
from pathlib import Path

from kg.extraction.entities import ResolvedEntities, resolve_entities
from kg.extraction.nlp import load_model, parse_article
from kg.model import Article, Entity, Segment, SegmentKind

_CREDIT = re.compile(r"\s*\b(?:Picture|Photo|Image)s?:.*$")


def segments_by_line(text: str, captions: bool = True) -> tuple[Segment, ...]:
    """One segment per non-empty line: first line headline, "Read more:" lines dropped.

    A line that the next line repeats (the repeat carrying a "Picture:" credit) is a caption,
    and so is its repeat; this mimics the cleaner just enough for entity tests.
    """
    lines = [(m.start(), m.end(), m.group()) for m in re.finditer(r"[^\n]+", text)]
    lines = [ln for ln in lines if ln[2].strip()]
    out: list[Segment] = []
    caption_next = False
    for i, (start, end, line) in enumerate(lines):
        if line.startswith("Read more:"):
            continue
        kind: SegmentKind = "paragraph"
        nxt = lines[i + 1][2] if i + 1 < len(lines) else ""
        if i == 0:
            kind = "headline"
        elif captions and (caption_next or (nxt.startswith(line) and _CREDIT.search(nxt))):
            kind = "caption"
        caption_next = bool(captions and nxt.startswith(line) and _CREDIT.search(nxt))
        out.append(Segment(start, end, kind))
    return tuple(out)


def resolve_text(text: str, segments: tuple[Segment, ...] = (), doc: str = "t") -> ResolvedEntities:
    """Parse ``text`` with the shared model and resolve its entities."""
    return resolve_entities(parse_article(Article(doc, text, segments=segments), load_model()))


def labels(resolved: ResolvedEntities) -> list[str]:
    return [e.label for e in resolved.entities]


def find(resolved: ResolvedEntities, label: str) -> Entity:
    """The entity with that label (assertion error listing the labels if absent)."""
    for e in resolved.entities:
        if e.label == label:
            return e
    raise AssertionError(f"no entity {label!r} in {labels(resolved)}")


def name_key(name: str) -> str:
    """Gold-style comparison key: lower-case, no leading "the", straight apostrophes."""
    key = " ".join(name.replace("’", "'").lower().split())
    return key[4:] if key.startswith("the ") else key


def read_seed(seed_dir: Path) -> Article:
    text = (seed_dir / "seed-article.txt").read_text(encoding="utf-8")
    return Article("seed-article", text, segments=segments_by_line(text))
