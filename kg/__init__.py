"""newskg: English news articles to a claims-aware RDF knowledge graph.

The command line (``kg``) is a thin layer over this API; notebook users call the same functions.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

from kg.errors import InputError, KGError, UsageError
from kg.model import Article, ArticleGraph, Entity, Evidence, RelationRecord

__version__ = "0.1.0"



class _CallableModule(types.ModuleType):
    """A module that can also be called, so ``kg.extract(text)`` and ``kg.build(paths, out=...)``
    work although ``kg.extract`` is a package and ``kg.build`` a module of the same name."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        target: str = self.__dict__["_kg_call_target"]
        module, _, func = target.partition(":")
        return getattr(importlib.import_module(module), func)(*args, **kwargs)


def _make_callable(module_name: str, target: str) -> None:
    """Make ``sys.modules[module_name]`` callable as ``target`` ("package.module:function")."""
    mod = sys.modules[module_name]
    mod.__dict__["_kg_call_target"] = target
    mod.__class__ = _CallableModule


def __getattr__(name: str) -> Any:
    """Lazy public API: ``kg.extract`` and ``kg.build`` load spaCy and the store only when used."""
    if name in ("extract", "build"):
        return importlib.import_module(f"kg.{name}")
    raise AttributeError(f"module 'kg' has no attribute {name!r}")


# kg.extract (the package of the NLP stages) is light to import; calling it runs the pipeline.
importlib.import_module("kg.extract")
_make_callable("kg.extract", "kg.extract.pipeline:extract_text")

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
