"""``kg validate``: check a built graph against ``ontology/shapes.ttl`` with pySHACL.

The union of all article graphs is validated, with the ontology mixed in so that class targets
follow ``rdfs:subClassOf``. The report lists each violation as focus node, path, value and
message, in a stable order, so it reads the same on every run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.lexicon import ONTOLOGY_DIR

ONTOLOGY_PATH = ONTOLOGY_DIR / "newskg.ttl"
SHAPES_PATH = ONTOLOGY_DIR / "shapes.ttl"

_SH = "http://www.w3.org/ns/shacl#"


@dataclass(frozen=True)
class Violation:
    """One SHACL result: where (focus node, path), what (value) and why (message)."""

    focus: str
    path: str | None
    value: str | None
    message: str
    severity: str = "Violation"

    def __str__(self) -> str:
        parts = [f"{self.severity}: {self.focus}"]
        if self.path:
            parts.append(f"path {self.path}")
        if self.value is not None:
            parts.append(f"value {self.value}")
        return " | ".join(parts) + f"\n    {self.message}"


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of validating one graph."""

    conforms: bool
    triples: int
    violations: tuple[Violation, ...] = field(default=())

    def text(self) -> str:
        """A readable report; its first line says whether the graph conforms."""
        if self.conforms:
            return f"conforms: {self.triples} triples pass the SHACL shapes"
        lines = [f"does not conform: {len(self.violations)} violations in {self.triples} triples"]
        lines += [str(v) for v in self.violations]
        return "\n".join(lines)


def _n3(term: Any) -> str:
    """A short readable form of an rdflib term (IRIs in <>, literals quoted)."""
    from rdflib import Literal, URIRef

    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        text = str(term)
        if len(text) > 120:
            text = text[:117] + "..."
        dtype = f"^^<{term.datatype}>" if term.datatype else ""
        return f'"{text}"{dtype}'
    return str(term.n3()) if hasattr(term, "n3") else str(term)


def _path(results: Any, node: Any) -> str | None:
    from rdflib import URIRef

    path = results.value(node, URIRef(_SH + "resultPath"))
    if path is None:
        return None
    if isinstance(path, URIRef):
        return f"<{path}>"
    return "(complex path)"


def validate_graph(data: Any, *, shapes_path: Path = SHAPES_PATH) -> ValidationReport:
    """Validate an rdflib ``Graph`` (the union of article graphs) against the shapes."""
    import pyshacl
    from rdflib import Graph, URIRef

    shapes = Graph().parse(shapes_path, format="turtle")
    ontology = Graph().parse(ONTOLOGY_PATH, format="turtle")
    conforms, results, _ = pyshacl.validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        allow_warnings=True,
    )
    violations = []
    for node in results.subjects(URIRef(_SH + "focusNode"), None):
        focus = results.value(node, URIRef(_SH + "focusNode"))
        value = results.value(node, URIRef(_SH + "value"))
        message = results.value(node, URIRef(_SH + "resultMessage"))
        severity = results.value(node, URIRef(_SH + "resultSeverity"))
        violations.append(
            Violation(
                focus=_n3(focus),
                path=_path(results, node),
                value=None if value is None else _n3(value),
                message=str(message) if message is not None else "constraint not met",
                severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
            )
        )
    violations.sort(key=lambda v: (v.focus, v.path or "", v.value or "", v.message))
    return ValidationReport(
        conforms=bool(conforms), triples=len(data), violations=tuple(dict.fromkeys(violations))
    )


def validate_dir(out_dir: Path) -> ValidationReport:
    """Validate the graph stored in ``out_dir/store`` (opened read-only)."""
    import pyoxigraph as ox
    from rdflib import Graph

    from kg.store import open_store

    with open_store(Path(out_dir), read_only=True) as store:
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in store.quads()]
        data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    graph = Graph()
    if data:
        graph.parse(data=data.decode("utf-8"), format="nt")
    return validate_graph(graph)


__all__ = [
    "ONTOLOGY_PATH",
    "SHAPES_PATH",
    "ValidationReport",
    "Violation",
    "validate_dir",
    "validate_graph",
]
