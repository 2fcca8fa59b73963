"""Shared helpers of the RDF / store / import tests: seed or example gold -> records, JSONL,
N-Quads."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.iris import DEFAULT_BASE, KG

PREFIXES = f"PREFIX kg: <{KG}>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
SEED_DOC = "seed-article"
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
#: The example article the import tests use when the seed article is absent (it has a denial).
EXAMPLE_DOC = "kestland-denies-secret-talks"


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
    """expected.json as relation / entity / article records (read in place, never copied)."""
    gold = json.loads((seed_dir / "expected.json").read_text(encoding="utf-8"))
    text = (seed_dir / "seed-article.txt").read_text(encoding="utf-8")
    article = {"record": "article", "doc": SEED_DOC, "date": gold.get("date_published"),
               "author": gold.get("author"), "title": None}
    return gold_records(gold["relations"] + gold.get("extended_relations", []),
                        gold["entities"], text, article, base, key="seed")


def example_records(doc: str = EXAMPLE_DOC, base: str = DEFAULT_BASE) -> list[dict[str, Any]]:
    """One example article's gold (examples/gold.jsonl, entities.json) as records."""
    gold = [json.loads(line) for line in (EXAMPLES / "gold.jsonl").open(encoding="utf-8")
            if line.strip()]
    entities = json.loads((EXAMPLES / "entities.json").read_text(encoding="utf-8"))[doc]
    text = (EXAMPLES / "articles" / f"{doc}.txt").read_text(encoding="utf-8")
    article = {"record": "article", "doc": doc, "date": None, "author": None,
               "title": text.split("\n", 1)[0]}
    return gold_records([g for g in gold if g["doc"] == doc], entities, text, article, base)


def gold_records(
    relations: list[dict[str, Any]], entities: dict[str, Any], text: str,
    article: dict[str, Any], base: str = DEFAULT_BASE, key: str | None = None,
) -> list[dict[str, Any]]:
    """Gold relations of one article as records, as an extractor writes them.

    Denials get ``denies`` = the id of the claim they deny (a claim missing from the gold
    relations is added as an unnamed report) and each claim gets ``denied_by``.
    """
    doc = article["doc"]
    key = key or doc  # relation ids: {base}relation/{key}-{i}
    rels: list[dict[str, Any]] = []
    for i, g in enumerate(relations):
        rel = {k: g.get(k) for k in ("type", "subject", "object", "polarity", "modality",
                                     "attributed_to", "date", "place")}
        rel.update(id=f"{base}relation/{key}-{i}", doc=doc, denied_by=[], confidence=0.9)
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
                "id": f"{base}relation/{key}-claim-{len(rels)}", "doc": doc, **claim,
                "polarity": "positive", "modality": "actual", "attributed_to": "unnamed reports",
                "denied_by": [], "sentence": rel["sentence"], "start": rel["start"],
                "end": rel["end"], "_claim": None,
            }
            rels.append(target)
        rel["denies"] = target["id"]
        target["denied_by"].append(rel["subject"])
    for rel in rels:
        del rel["_claim"]
    ents = [
        {"record": "entity", "doc": doc, "label": label, "type": e["type"],
         "aliases": e.get("aliases", [])}
        for label, e in entities.items()
    ]
    return [article, *ents, *rels]


def solutions(store_or_dataset: Any, query: str) -> list[tuple[str, ...]]:
    """Rows of a SELECT as tuples of term values, sorted (stable for assertions)."""
    res = store_or_dataset.query(PREFIXES + query)
    return sorted(tuple(str(t.value) if t is not None else "" for t in row) for row in res)


def parse_nquads(path: Path) -> list[ox.Quad]:
    return list(ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS))
