"""The one place that mints IRIs: deterministic, always valid, whatever the input text.

Names from articles are untrusted. An IRI is built from a slug restricted to ``[a-z0-9-]``
plus, when the slug loses information (non-ASCII, punctuation, truncation), a short hash of
the full normalised name, so two different names never share an IRI and no input can break
out of an IRI.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

#: Namespace of the newskg ontology (classes and properties).
KG = "https://w3id.org/newskg/ontology#"
#: Default base of data IRIs (entities, relations, articles, graphs); ``--base`` changes it.
DEFAULT_BASE = "https://w3id.org/newskg/id/"

_SLUG_MAX = 60
_NON_SLUG = re.compile(r"[^a-z0-9]+")
_BASE_OK = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*$")


def check_base(base: str) -> str:
    """Return ``base`` if it can prefix IRIs (absolute, no forbidden characters), else raise."""
    if not _BASE_OK.match(base) or not base.endswith(("/", "#")):
        from kg.errors import UsageError

        raise UsageError(
            f"--base {base!r} is not an absolute IRI ending in '/' or '#' "
            "(for example https://example.org/news/)"
        )
    return base


def normalise_name(name: str) -> str:
    """Case-, width- and space-insensitive form of a name, used for identity."""
    text = unicodedata.normalize("NFKC", name).casefold()
    return " ".join(text.split())


def _digest(*parts: str, length: int = 12) -> str:
    h = hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()
    return h[:length]


@lru_cache(maxsize=8192)  # pure; the same types and names are slugged for every relation
def slug(name: str) -> str:
    """An IRI-safe slug of ``name``; lossy slugs get a hash suffix so they stay unique."""
    norm = normalise_name(name)
    ascii_form = unicodedata.normalize("NFKD", norm).encode("ascii", "ignore").decode("ascii")
    s = _NON_SLUG.sub("-", ascii_form).strip("-")
    exact = s == norm.replace(" ", "-") and len(s) <= _SLUG_MAX and s != ""
    s = s[:_SLUG_MAX].strip("-")
    if exact:
        return s
    return f"{s}-{_digest(norm, length=8)}" if s else _digest(norm, length=8)


def entity_iri(name: str, base: str = DEFAULT_BASE) -> str:
    """IRI of an entity from its canonical name (one IRI per entity across articles)."""
    return f"{base}entity/{slug(name)}"


def article_iri(doc: str, base: str = DEFAULT_BASE) -> str:
    """IRI of an article (a ``schema:NewsArticle``) from its document id."""
    return f"{base}article/{slug(doc)}"


def graph_iri(doc: str, base: str = DEFAULT_BASE) -> str:
    """IRI of the named graph that holds everything stated by one article."""
    return f"{base}graph/{slug(doc)}"


def relation_iri(
    doc: str,
    rel_type: str,
    subject_id: str,
    object_id: str | None,
    start: int,
    end: int,
    base: str = DEFAULT_BASE,
    qualifier: str = "",
    claim: tuple[int, int] | None = None,
) -> str:
    """IRI of a relation node: a hash of article, sentence offsets, type and parties.

    A denial with no object is told apart from another denial by the same denier in the same
    sentence by the offsets of the words it denies (``claim``), so it stays unique and stable.
    """
    parts = [doc, rel_type, subject_id, object_id or "", str(start), str(end), qualifier]
    if claim is not None:
        parts.append(f"claim:{claim[0]}-{claim[1]}")
    key = _digest(*parts)
    return f"{base}relation/{slug(rel_type)}-{key}"


def evidence_iri(relation_id: str, start: int, end: int) -> str:
    """IRI of one piece of evidence of a relation (no blank nodes: output stays byte-stable)."""
    return f"{relation_id}-ev-{start}-{end}"


__all__ = [
    "DEFAULT_BASE",
    "KG",
    "article_iri",
    "check_base",
    "entity_iri",
    "evidence_iri",
    "graph_iri",
    "normalise_name",
    "relation_iri",
    "slug",
]
