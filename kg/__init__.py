"""newskg: English news articles to a claims-aware RDF knowledge graph.

The command line (``kg``) is a thin layer over this API; notebook users call the same functions:
``kg.extract(text)`` for one article's graph, ``kg.build(paths, out=...)`` for a store. Importing
``kg`` loads neither spaCy nor the store; each function imports what it needs when called.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import InputError, KGError, UsageError
from kg.model import Article, ArticleGraph, Entity, Evidence, RelationRecord

if TYPE_CHECKING:
    from collections.abc import Sequence

    from kg.builder import BuildReport

__version__ = "0.1.0"


def extract(text: str, **options: Any) -> ArticleGraph:
    """The graph of one article given as text (see :func:`kg.extraction.pipeline.extract_text`
    for the options: ``doc``, ``title``, ``date``, ``author``, ``url``, ``model``, ``base``)."""
    from kg.extraction.pipeline import extract_text

    return extract_text(text, **options)


def build(inputs: Sequence[str | Path], out: str | Path, **options: Any) -> BuildReport:
    """Build the graph of ``inputs`` into the directory ``out`` (see :func:`kg.builder.build`)."""
    from kg.builder import build as build_graph

    return build_graph(inputs, out, **options)


__all__ = [
    "Article",
    "ArticleGraph",
    "Entity",
    "Evidence",
    "InputError",
    "KGError",
    "RelationRecord",
    "UsageError",
    "__version__",
    "build",
    "extract",
]
