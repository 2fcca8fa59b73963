"""Shared helpers of the RDF / store / import tests: seed gold -> records, JSONL, N-Quads."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.iris import DEFAULT_BASE, KG

PREFIXES = f"PREFIX kg: <{KG}>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
SEED_DOC = "seed-article"


def write_jsonl(path: Path, objs: Iterable[dict[str, Any] | str]) -> Path:
    """Write objects (or raw lines, for broken input) one per line."""
    with open(path, "w", encoding="utf-8") as fh:
        for obj in objs:
            fh.write((obj if isinstance(obj, str) else json.dumps(obj, ensure_ascii=False)) + "\n")
    return path


def _spans(text: str, sentence: str) -> list[tuple[int, int]]:
    out, i = [], text.find(sentence)
    while i >= 0:
        out.append((i, i + len(sentence)))
        i = text.find(sentence, i + 1)
    return out or [(0, len(sentence))]


def _key(rel: dict[str, Any]) -> tuple[str, str, str]:
    return rel["type"], rel["subject"], rel["object"]


def seed_records(seed_dir: Path, base: str = DEFAULT_BASE) -> list[dict[str, Any]]:
    """expected.json as relation / entity / article records (read in place, never copied).

    Denials get ``denies`` = the id of the claim they deny (a claim missing from the gold
    relations is added as an unnamed report) and each claim gets ``denied_by``.
    """
    gold = json.loads((seed_dir / "expected.json").read_text(encoding="utf-8"))
    text = (seed_dir / "seed-article.txt").read_text(encoding="utf-8")
    rels: list[dict[str, Any]] = []
    for i, g in enumerate(gold["relations"] + gold.get("extended_relations", [])):
        rel = {k: g.get(k) for k in ("type", "subject", "object", "polarity", "modality",
                                     "attributed_to", "date", "place")}
        rel.update(id=f"{base}relation/seed-{i}", doc=SEED_DOC, denied_by=[], confidence=0.9)
        sentence = g.get("sentence") or g.get("note") or ""
        spans = _spans(text, sentence)
        rel.update(sentence=sentence, start=spans[0][0], end=spans[0][1])
        if len(spans) > 1:
            rel["evidence"] = [{"sentence": sentence, "start": s, "end": e} for s, e in spans]
        rel["_claim"] = g.get("claim")
        rels.append(rel)
    for rel in [r for r in rels if r["_claim"]]:
        claim = rel["_claim"]
        target = next((r for r in rels if _key(r) == _key(claim)), None)
        if target is None:
            target = {
                "id": f"{base}relation/seed-claim-{len(rels)}", "doc": SEED_DOC, **claim,
                "polarity": "positive", "modality": "actual", "attributed_to": "unnamed reports",
                "denied_by": [], "sentence": rel["sentence"], "start": rel["start"],
                "end": rel["end"], "_claim": None,
            }
            rels.append(target)
        rel["denies"] = target["id"]
        target["denied_by"].append(rel["subject"])
    for rel in rels:
        del rel["_claim"]
    entities = [
        {"record": "entity", "doc": SEED_DOC, "label": label, "type": e["type"],
         "aliases": e.get("aliases", [])}
        for label, e in gold["entities"].items()
    ]
    article = {"record": "article", "doc": SEED_DOC, "date": gold.get("date_published"),
               "author": gold.get("author"), "title": None}
    return [article, *entities, *rels]


def solutions(store_or_dataset: Any, query: str) -> list[tuple[str, ...]]:
    """Rows of a SELECT as tuples of term values, sorted (stable for assertions)."""
    res = store_or_dataset.query(PREFIXES + query)
    return sorted(tuple(str(t.value) if t is not None else "" for t in row) for row in res)


def parse_nquads(path: Path) -> list[ox.Quad]:
    return list(ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS))
