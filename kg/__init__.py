"""newskg: English news articles to a claims-aware RDF knowledge graph.

The command line (``kg``) is a thin layer over this API; notebook users call the same functions.
"""

from __future__ import annotations

from kg.errors import InputError, KGError, UsageError
from kg.model import Article, ArticleGraph, Entity, Evidence, RelationRecord

__version__ = "0.1.0"

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
]
