"""``kg export``: the built graph as N-Quads, TriG, Turtle or JSON-LD, byte-stable.

N-Quads, TriG and JSON-LD keep one named graph per article; Turtle has no graphs, so it
holds the merged view (the union of the article graphs, duplicates removed). Statements are
sorted before writing, so the same store always gives the same bytes; pyoxigraph writes every
format (JSON-LD included), so no second RDF library is needed here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import pyoxigraph as ox

from kg.errors import UsageError
from kg.query import as_bytes, open_read_only, store_prefixes, used_prefixes

ExportFormat = Literal["nq", "trig", "ttl", "jsonld"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("nq", "trig", "ttl", "jsonld")


def _sort_key(quad: Any) -> tuple[str, str, str, str]:
    return (str(quad.graph_name), str(quad.subject), str(quad.predicate), str(quad.object))


def export_store(store: Any, fmt: str) -> bytes:
    """Serialise a pyoxigraph store in ``fmt`` (nq, trig, ttl or jsonld)."""
    if fmt not in EXPORT_FORMATS:
        raise UsageError(f"--format {fmt!r}: expected one of {', '.join(EXPORT_FORMATS)}")
    quads = sorted(store, key=_sort_key)
    prefixes = store_prefixes(store)
    if fmt == "nq":
        # sorted lines, exactly as kg.store writes DIR/graph.nq
        lines = sorted(set(as_bytes(ox.serialize(quads, format=ox.RdfFormat.N_QUADS)).splitlines()))
        return b"".join(line + b"\n" for line in lines if line)
    if fmt == "trig":
        used = used_prefixes(quads, prefixes)
        return as_bytes(ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=used))
    if fmt == "jsonld":
        return as_bytes(ox.serialize(quads, format=ox.RdfFormat.JSON_LD))
    triples = sorted(
        {q.triple for q in quads}, key=lambda t: (str(t.subject), str(t.predicate), str(t.object))
    )
    used = used_prefixes(triples, prefixes)
    return as_bytes(ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=used))


def export(out_dir: Path | str, fmt: str = "nq", output: Path | str | None = None) -> bytes:
    """Export the graph built in ``out_dir``; writes ``output`` when given, returns the bytes."""
    if fmt not in EXPORT_FORMATS:
        raise UsageError(f"--format {fmt!r}: expected one of {', '.join(EXPORT_FORMATS)}")
    data = export_store(open_read_only(Path(out_dir)), fmt)
    if output is not None:
        from kg.safefile import write_atomic

        target = Path(output)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(target, data)
        except OSError as exc:
            raise UsageError(f"{target}: cannot write the export ({exc})") from exc
    return data


__all__ = ["EXPORT_FORMATS", "ExportFormat", "export", "export_store"]
