"""Shared helpers of the SPARQL tests: gold -> records -> a graph built with `kg import`.

The seed gold goes through ``helpers_rdf.seed_records`` (the store engineer's helper); the dev
sentences' gold is turned into records here, one article (named graph) per sentence, with
denials pointing at the claims they deny, exactly as an extractor would write them.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

from conftest import ROOT, run_kg
from helpers_rdf import seed_records, write_jsonl

from kg.iris import DEFAULT_BASE

QUERIES = ROOT / "examples" / "queries"


def _key(rel: dict[str, Any]) -> tuple[str, str, str]:
    return rel["type"], rel["subject"], rel["object"]


def dev_records(path: Path, base: str = DEFAULT_BASE) -> list[dict[str, Any]]:
    """The dev sentences' gold as relation records: doc = sentence id, one graph each."""
    out: list[dict[str, Any]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        case = json.loads(line)
        doc, sentence = case["id"], case["sentence"]
        out.append({"record": "article", "doc": doc, "title": sentence, "date": None})
        rels: list[dict[str, Any]] = []
        for i, gold in enumerate(case["relations"]):
            rel = {k: gold.get(k) for k in ("type", "subject", "object", "polarity",
                                            "modality", "attributed_to", "date", "place")}
            rel.update(id=f"{base}relation/{doc}-{i}", doc=doc, sentence=sentence, start=0,
                       end=len(sentence), denied_by=[], confidence=1.0)
            rel["_claim"] = gold.get("claim")
            rels.append(rel)
        for rel in rels:
            claim = rel["_claim"]
            if not claim:
                continue
            target = next((r for r in rels if r is not rel and _key(r) == _key(claim)), None)
            if target is not None:
                rel["denies"] = target["id"]
                target["denied_by"].append(rel["subject"])
        for rel in rels:
            del rel["_claim"]
        out.extend(rels)
    return out


def build_graph(records: list[dict[str, Any]], workdir: Path) -> Path:
    """Write records as JSONL and build DIR with the real `kg import` command; returns DIR."""
    workdir.mkdir(parents=True, exist_ok=True)
    jsonl = write_jsonl(workdir / "records.jsonl", records)
    out = workdir / "out"
    result = run_kg("import", jsonl, "--out", out)
    assert result.returncode == 0, result.stderr
    return out


def build_seed_graph(seed_dir: Path, workdir: Path) -> Path:
    return build_graph(seed_records(seed_dir), workdir)


def build_dev_graph(dev_path: Path, workdir: Path) -> Path:
    return build_graph(dev_records(dev_path), workdir)


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rows(result: Any) -> list[dict[str, str | None]]:
    """Plain-value rows of a :class:`kg.query.SelectResult`."""
    return list(result.records())


__all__ = [
    "QUERIES",
    "build_dev_graph",
    "build_graph",
    "build_seed_graph",
    "dev_records",
    "free_port",
    "rows",
]
