"""The RDF layer: ontology terms (:mod:`kg.rdf.terms`) and typed objects to quads
(:mod:`kg.rdf.to_rdf`). pyoxigraph terms never leave this package, the store and the query layer.
"""

from __future__ import annotations

from kg.rdf.to_rdf import article_quads, complete_entities

__all__ = ["article_quads", "complete_entities"]
