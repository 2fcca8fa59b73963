"""``kg export``: the built graph as N-Quads, TriG, Turtle, JSON-LD or GraphML, byte-stable.

N-Quads, TriG and JSON-LD keep one named graph per article; Turtle has no graphs, so it
holds the merged view (the union of the article graphs, duplicates removed). Statements are
sorted before writing, so the same store always gives the same bytes. pyoxigraph writes the
RDF formats; JSON-LD is compacted by rdflib against an ``@context`` of the prefixes in use
(``kg:met``, ``entity:katarina-voss-...``), since pyoxigraph writes expanded JSON-LD only.
GraphML is the networkx projection of :meth:`kg.graph.Graph.to_networkx` (entities as nodes,
relations as edges), for Gephi, Cytoscape or yEd.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

import pyoxigraph as ox

from kg.errors import UsageError
from kg.query import as_bytes, open_read_only, store_prefixes, used_prefixes

ExportFormat = Literal["nq", "trig", "ttl", "jsonld", "graphml"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("nq", "trig", "ttl", "jsonld", "graphml")


def _sort_key(quad: Any) -> tuple[str, str, str, str]:
    return (str(quad.graph_name), str(quad.subject), str(quad.predicate), str(quad.object))


def rdflib_dataset(store: Any) -> Any:
    """An ``rdflib.Dataset`` holding the store's quads, querying the union of its graphs,
    with only the store's prefixes bound (rdflib would otherwise invent ``ns1``...)."""
    import rdflib
    from rdflib.namespace import NamespaceManager

    ds = rdflib.Dataset(default_union=True)
    ds.namespace_manager = NamespaceManager(ds, bind_namespaces="none")
    nquads = as_bytes(ox.serialize(sorted(store, key=_sort_key), format=ox.RdfFormat.N_QUADS))
    ds.parse(data=nquads.decode("utf-8"), format="nquads")
    for name, ns in sorted(store_prefixes(store).items()):
        ds.bind(name, ns, override=True)
    return ds


def _sorted_json(obj: Any) -> Any:
    """Lists sorted by their JSON text (graphs, nodes, values: no RDF list here), recursively."""
    if isinstance(obj, dict):
        return {k: _sorted_json(v) for k, v in obj.items()}
    if isinstance(obj, list):
        items = [_sorted_json(v) for v in obj]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return obj


def compact_jsonld(store: Any) -> bytes:
    """JSON-LD compacted with an ``@context`` of the prefixes in use, one ``@graph`` entry
    per article graph, keys and arrays sorted (byte-stable)."""
    import warnings

    quads = sorted(store, key=_sort_key)
    context = used_prefixes(quads, store_prefixes(store))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # rdflib's Dataset internals
        text = rdflib_dataset(store).serialize(
            format="json-ld", context=context, auto_compact=True
        )
    data = _sorted_json(json.loads(text))
    data["@context"] = context
    return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()


def graphml(store: Any) -> bytes:
    """The networkx projection (entities and relations) as GraphML."""
    import io

    import networkx as nx

    from kg.graph import Graph

    buffer = io.BytesIO()
    nx.write_graphml(Graph(store, name="newskg").to_networkx(), buffer, prettyprint=True)
    return buffer.getvalue()


def export_store(store: Any, fmt: str) -> bytes:
    """Serialise a pyoxigraph store in ``fmt`` (nq, trig, ttl, jsonld or graphml)."""
    if fmt not in EXPORT_FORMATS:
        raise UsageError(f"--format {fmt!r}: expected one of {', '.join(EXPORT_FORMATS)}")
    if fmt == "graphml":
        return graphml(store)
    if fmt == "jsonld":
        return compact_jsonld(store)
    quads = sorted(store, key=_sort_key)
    prefixes = store_prefixes(store)
    if fmt == "nq":
        # sorted lines, exactly as kg.store writes DIR/graph.nq
        lines = sorted(set(as_bytes(ox.serialize(quads, format=ox.RdfFormat.N_QUADS)).splitlines()))
        return b"".join(line + b"\n" for line in lines if line)
    if fmt == "trig":
        used = used_prefixes(quads, prefixes)
        return as_bytes(ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=used))
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


__all__ = [
    "EXPORT_FORMATS",
    "ExportFormat",
    "compact_jsonld",
    "export",
    "export_store",
    "graphml",
    "rdflib_dataset",
]
