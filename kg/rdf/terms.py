"""Namespaces and term helpers: the only place RDF vocabulary IRIs are spelled out.

Data IRIs come from :mod:`kg.iris`; this module turns them, the ontology terms and untrusted
text into validated pyoxigraph terms. Text from articles always becomes a literal, and
strings Python can hold but RDF cannot (lone surrogates) are repaired before they reach the
store, so no article can make a term fail to construct or serialise.
"""

from __future__ import annotations

import re
from typing import Final

from pyoxigraph import Literal, NamedNode

from kg.iris import KG

RDF: Final = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS: Final = "http://www.w3.org/2000/01/rdf-schema#"
OWL: Final = "http://www.w3.org/2002/07/owl#"
XSD: Final = "http://www.w3.org/2001/XMLSchema#"
SKOS: Final = "http://www.w3.org/2004/02/skos/core#"
SCHEMA: Final = "http://schema.org/"
PROV: Final = "http://www.w3.org/ns/prov#"
FOAF: Final = "http://xmlns.com/foaf/0.1/"
DCTERMS: Final = "http://purl.org/dc/terms/"
NIF: Final = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
SH: Final = "http://www.w3.org/ns/shacl#"

#: Prefixes bound explicitly wherever we serialise with prefixes (no invented ``ns1``).
PREFIXES: Final[dict[str, str]] = {
    "kg": KG,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "schema": SCHEMA,
    "prov": PROV,
    "foaf": FOAF,
    "dcterms": DCTERMS,
    "nif": NIF,
}

# Characters no RDF consumer handles well: lone surrogates (not encodable), C0 controls other
# than tab / newline / return (C tools such as rapper stop at NUL; XML forbids them), and the
# noncharacters U+FFFE / U+FFFF. Each becomes U+FFFD, one for one, so offsets still hold.
_UNSAFE_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# A conservative shape for data IRIs we accept back from records: nothing to escape.
_SAFE_IRI_TAIL = re.compile(r"^[A-Za-z0-9._~/-]+$")


def kg(local: str) -> NamedNode:
    """An ontology term ``kg:local``."""
    return NamedNode(KG + local)


def iri(value: str) -> NamedNode:
    """A named node from an IRI minted by :mod:`kg.iris` (validated by pyoxigraph)."""
    return NamedNode(value)


def clean_text(value: str) -> str:
    """``value`` with unsafe characters (see above) replaced by U+FFFD, length unchanged."""
    return _UNSAFE_CHARS.sub("\ufffd", value)


def text(value: str, language: str | None = None) -> Literal:
    """A plain (or language-tagged) literal from untrusted text."""
    if language:
        return Literal(clean_text(value), language=language)
    return Literal(clean_text(value))


def typed(value: str, datatype_local: str) -> Literal:
    """A literal typed ``xsd:datatype_local``."""
    return Literal(clean_text(value), datatype=NamedNode(XSD + datatype_local))


def integer(value: int) -> Literal:
    """An ``xsd:integer`` literal."""
    return Literal(str(int(value)), datatype=NamedNode(XSD + "integer"))


def decimal(value: float) -> Literal:
    """An ``xsd:decimal`` literal with a stable lexical form (4 places, trailing zeros cut)."""
    s = f"{float(value):.4f}".rstrip("0")
    if s.endswith("."):
        s += "0"
    return Literal(s, datatype=NamedNode(XSD + "decimal"))


_DATE_FORMS: Final = (
    (re.compile(r"^\d{4}-\d{2}-\d{2}$"), "date"),
    (re.compile(r"^\d{4}-\d{2}$"), "gYearMonth"),
    (re.compile(r"^\d{4}$"), "gYear"),
    (
        re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$"),
        "dateTime",
    ),
)


def date_datatype(value: str, *, allow_datetime: bool = False) -> str | None:
    """The xsd datatype local name for an ISO date of any precision, or None if not one.

    Month and day ranges are checked so ``2024-13`` or ``2024-02-30`` never reach the store.
    """
    import datetime as dt

    for pattern, dtype in _DATE_FORMS:
        if not pattern.match(value):
            continue
        if dtype == "dateTime" and not allow_datetime:
            return None
        try:
            if dtype == "date":
                dt.date.fromisoformat(value)
            elif dtype == "gYearMonth":
                dt.date.fromisoformat(value + "-01")
            elif dtype == "dateTime":
                if len(value) == 16:  # minutes only: not an xsd:dateTime
                    return None
                dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        return dtype
    return None


def date_literal(value: str, *, allow_datetime: bool = False) -> Literal | None:
    """A date literal typed by its form (xsd:date / gYearMonth / gYear [/ dateTime])."""
    dtype = date_datatype(value.strip(), allow_datetime=allow_datetime)
    return typed(value.strip(), dtype) if dtype else None


def is_safe_data_iri(value: str, base: str) -> bool:
    """True if ``value`` is under ``base`` and made only of characters that need no escaping.

    Record ids in JSONL are untrusted; only ids of this shape are kept as they are.
    """
    if not value.startswith(base):
        return False
    tail = value[len(base) :]
    return bool(tail) and _SAFE_IRI_TAIL.match(tail) is not None and ".." not in tail


__all__ = [
    "DCTERMS",
    "FOAF",
    "NIF",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SH",
    "SKOS",
    "XSD",
    "clean_text",
    "date_datatype",
    "date_literal",
    "decimal",
    "integer",
    "iri",
    "is_safe_data_iri",
    "kg",
    "text",
    "typed",
]
