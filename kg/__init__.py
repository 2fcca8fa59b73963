"""newskg: English news articles to a claims-aware RDF knowledge graph.

The command line (``kg``) is a thin layer over this API; notebook users call the same functions:
``kg.build(paths, out=...)`` builds a directory, ``kg.open(DIR)`` reads it and
``kg.extract(text)`` extracts one text; both give a :class:`Graph` (``.query``, ``.relations``,
``.entities``, ``.to_networkx``, ``.to_rdflib``, ``.serialize``, ``.view``). Importing ``kg``
loads neither spaCy nor the store; each function imports what it needs when called.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import InputError, KGError, UsageError
from kg.model import Article, ArticleGraph, Entity, Evidence, RelationRecord

if TYPE_CHECKING:
    from collections.abc import Sequence

    from kg.builder import BuildReport
    from kg.graph import Graph

__version__ = "0.1.0"


def extract(text: str, **options: Any) -> Graph:
    """The graph of one article given as text, in memory (see
    :func:`kg.extraction.pipeline.extract_text` for the options: ``doc``, ``title``, ``date``,
    ``author``, ``url``, ``model``, ``base``)."""
    from kg import iris
    from kg.extraction.pipeline import extract_text
    from kg.graph import Graph
    from kg.store import memory_store

    article_graph = extract_text(text, **options)
    base = options.get("base", iris.DEFAULT_BASE)
    return Graph(memory_store([article_graph], base), name=article_graph.article.doc)


def open(out_dir: str | Path) -> Graph:
    """The graph built in ``out_dir`` by ``kg build`` or ``kg import``, opened read-only
    (close it, or use ``with kg.open(DIR) as graph:``, before building into it again)."""
    from kg.graph import open_graph

    return open_graph(out_dir)


def build(inputs: Sequence[str | Path], out: str | Path, **options: Any) -> BuildReport:
    """Build the graph of ``inputs`` into the directory ``out`` (see :func:`kg.builder.build`)."""
    from kg.builder import build as build_graph

    return build_graph(inputs, out, **options)


__all__ = [
    "Article",
    "ArticleGraph",
    "Entity",
    "Evidence",
    "Graph",
    "InputError",
    "KGError",
    "RelationRecord",
    "UsageError",
    "__version__",
    "build",
    "extract",
    "open",
]


def __getattr__(name: str) -> Any:
    """``kg.Graph`` without importing the graph module (and its store) on ``import kg``."""
    if name == "Graph":
        from kg.graph import Graph

        return Graph
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
