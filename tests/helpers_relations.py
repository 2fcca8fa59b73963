"""Helpers for relation tests: run the real pipeline stages on text and score against gold.

The matching rules follow ../shared/data/README.md ("How a prediction matches a gold relation"),
so the figures these tests assert are the ones ``kg eval`` reports.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.model import UNNAMED_SOURCE, Article, RelationRecord

_TITLES = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "president",
    "prime",
    "minister",
    "chancellor",
    "sir",
    "dame",
    "king",
    "queen",
    "senator",
    "governor",
    "general",
    "secretary",
    "pope",
}


def extract_text(text: str, doc: str = "t", date: str | None = None) -> tuple[RelationRecord, ...]:
    """Relations of ``text`` as one article: parse, resolve entities, extract (model cached)."""
    from kg.extraction.entities import resolve_entities
    from kg.extraction.nlp import load_model, parse_article
    from kg.extraction.relations import extract_relations
    from kg.model import Segment

    segments = []
    pos = 0
    for part in re.split(r"(\n+)", text):
        if part and not part.startswith("\n") and part.strip():
            segments.append(Segment(pos, pos + len(part), "paragraph"))
        pos += len(part)
    article = Article(doc=doc, text=text, date=date, segments=tuple(segments))
    parsed = parse_article(article, load_model())
    return extract_relations(parsed, resolve_entities(parsed))


def _name_tokens(name: str) -> list[str]:
    s = name.lower().replace("’", "'")
    s = re.sub(r"'s\b|'$", "", s)
    toks = [t for t in re.split(r"[^\w-]+", s) if t]
    if toks and toks[0] == "the":
        toks = toks[1:]
    return [t for t in toks if t not in _TITLES] or toks


def _edit(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def names_match(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    ta, tb = _name_tokens(a), _name_tokens(b)
    if not ta or not tb:
        return False
    if set(ta) <= set(tb) or set(tb) <= set(ta):
        return True
    if len(ta) == len(tb) and _edit(ta[-1], tb[-1]) <= 2:
        fa, fb = ta[0], tb[0]
        return fa == fb or (fa[0] == fb[0] and (len(fa) == 1 or len(fb) == 1 or len(ta) == 1))
    return False


def _pair_match(pred: Mapping[str, Any], gold: Mapping[str, Any]) -> bool:
    if pred["type"] != gold["type"]:
        return False
    ps, po, gs, go = pred["subject"], pred["object"], gold["subject"], gold["object"]
    objects = [go]
    if gold["type"] == "denied" and gold.get("claim"):
        objects += [gold["claim"]["subject"], gold["claim"]["object"]]
    direct = names_match(ps, gs) and any(names_match(po, o) for o in objects)
    if direct:
        return True
    if gold["type"] in ("met", "called"):
        return names_match(ps, go) and names_match(po, gs)
    return False


def is_fact(rel: Mapping[str, Any]) -> bool:
    """A prediction stated as fact: positive, actual, not attributed to others, not denied."""
    attributed = rel.get("attributed_to")
    return (
        rel.get("polarity", "positive") == "positive"
        and rel.get("modality", "actual") == "actual"
        and not rel.get("denied_by")
        and (
            attributed in (None, "")
            or names_match(attributed, rel["subject"])
            or names_match(attributed, rel["object"])
        )
    )


def gold_is_fact(gold: Mapping[str, Any], denied_claims: Sequence[Mapping[str, Any]]) -> bool:
    if not is_fact(gold):
        return False
    return not any(
        c["type"] == gold["type"]
        and _pair_match({**gold, "type": c["type"]}, {**c, "type": c["type"]})
        for c in denied_claims
    )


@dataclass
class Score:
    predicted: int = 0
    gold: int = 0
    matched_pred: int = 0
    matched_gold: int = 0
    polarity_ok: int = 0
    modality_ok: int = 0
    attribution_ok: int = 0
    pairs: int = 0
    false_facts: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched_pred / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.matched_gold / self.gold if self.gold else 1.0

    @property
    def polarity_acc(self) -> float:
        return self.polarity_ok / self.pairs if self.pairs else 1.0

    @property
    def modality_acc(self) -> float:
        return self.modality_ok / self.pairs if self.pairs else 1.0

    def add(self, other: Score) -> None:
        for name in (
            "predicted",
            "gold",
            "matched_pred",
            "matched_gold",
            "polarity_ok",
            "modality_ok",
            "attribution_ok",
            "pairs",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.false_facts += other.false_facts
        self.misses += other.misses
        self.spurious += other.spurious


def _show(r: Mapping[str, Any]) -> str:
    return (
        f"{r['type']}({r['subject']} -> {r['object']}) {r.get('polarity')}/{r.get('modality')}"
        f" attr={r.get('attributed_to')} denied_by={r.get('denied_by')}"
    )


def score(
    predictions: Iterable[RelationRecord | Mapping[str, Any]],
    gold: Sequence[Mapping[str, Any]],
    types: Iterable[str] | None = None,
    where: str = "",
) -> Score:
    """Score one document's predictions against its gold relations (README rules)."""
    preds = [p if isinstance(p, Mapping) else _as_dict(p) for p in predictions]
    scored = set(types) if types is not None else {g["type"] for g in gold}
    preds = [p for p in preds if p["type"] in scored]
    denied_claims = [g["claim"] for g in gold if g["type"] == "denied" and g.get("claim")]
    sc = Score(predicted=len(preds), gold=len(gold))
    used_gold: set[int] = set()
    matched_preds: list[Mapping[str, Any]] = []
    for p in preds:
        hit = next(
            (i for i, g in enumerate(gold) if i not in used_gold and _pair_match(p, g)), None
        )
        if hit is None:
            if any(
                _pair_match(p, g) and _same_status(p, m)
                for m in matched_preds
                for g in gold
                if _pair_match(m, g)
            ):
                sc.predicted -= 1  # duplicates an already matched relation: neutral
                continue
            sc.spurious.append(f"{where}: {_show(p)}")
            continue
        used_gold.add(hit)
        matched_preds.append(p)
        g = gold[hit]
        sc.matched_pred += 1
        sc.matched_gold += 1
        sc.pairs += 1
        sc.polarity_ok += p.get("polarity") == g.get("polarity", "positive")
        sc.modality_ok += p.get("modality") == g.get("modality", "actual")
        sc.attribution_ok += bool(p.get("attributed_to")) == bool(g.get("attributed_to"))
        if not gold_is_fact(g, denied_claims) and is_fact(p):
            sc.false_facts.append(f"{where}: {_show(p)} vs gold {_show(g)}")
    for i, g in enumerate(gold):
        if i not in used_gold:
            sc.misses.append(f"{where}: {_show(g)}")
    return sc


def _same_status(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    return True


def _as_dict(r: RelationRecord) -> dict[str, Any]:
    return {
        "type": r.type,
        "subject": r.subject,
        "object": r.object,
        "polarity": r.polarity,
        "modality": r.modality,
        "attributed_to": r.attributed_to,
        "denied_by": list(r.denied_by),
        "date": r.date,
        "place": r.place,
    }


def load_dev(path: Path) -> list[dict[str, Any]]:
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


__all__ = ["UNNAMED_SOURCE", "Score", "extract_text", "is_fact", "load_dev", "names_match", "score"]
