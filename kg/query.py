"""SPARQL over a built graph: safe parameter binding, typed results, result formatting.

Queries run on the embedded Oxigraph store in ``DIR/store`` (opened read-only), over the union
of the article graphs by default or over one article graph. Parameters are bound as validated
RDF terms through Oxigraph's ``substitutions`` (or, when the variable is not projected, an
outer ``VALUES`` clause of the serialised term): user text never becomes query syntax.

Results are frozen dataclasses (one per query form) that serialise to the SPARQL 1.1 result
formats; pyoxigraph writes CSV, TSV and XML, so every format follows the W3C specs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeAlias

import pyoxigraph as ox

from kg.errors import QuerySyntaxError, StoreError, UsageError

Term: TypeAlias = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

#: Prefixes known to every query (no PREFIX lines needed for them) and used to abbreviate IRIs
#: in tables and Turtle output.
PREFIXES: dict[str, str] = {
    "kg": "https://w3id.org/newskg/ontology#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": XSD,
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "schema": "http://schema.org/",
    "foaf": "http://xmlns.com/foaf/0.1/",
}

ResultFormat = Literal["json", "csv", "tsv", "xml"]
GraphFormat = Literal["ttl", "nt", "nq", "jsonld", "xml"]
RESULT_FORMATS: tuple[ResultFormat, ...] = ("json", "csv", "tsv", "xml")
GRAPH_FORMATS: tuple[GraphFormat, ...] = ("ttl", "nt", "nq", "jsonld", "xml")

_VAR_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_LANG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
_PREFIX_DECL = re.compile(r"PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^<>\s]*)>", re.IGNORECASE)
_POSITION = re.compile(r"^error at (\d+):(\d+): ?(.*)$", re.DOTALL)
_NOT_PROJECTED = "does not contains variable"


# --------------------------------------------------------------------------------------------
# Terms


def as_bytes(data: bytes | None) -> bytes:
    """pyoxigraph serialisers return bytes when given no output file."""
    assert data is not None
    return data


def _unescape(body: str, where: str) -> str:
    """Undo SPARQL/N-Triples string escapes (\\" \\\\ \\n \\t \\uXXXX ...) in a quoted value."""
    out: list[str] = []
    i = 0
    simple = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
    while i < len(body):
        ch = body[i]
        if ch != "\\":
            out.append(ch)
            i += 1
            continue
        nxt = body[i + 1 : i + 2]
        if nxt in simple:
            out.append(simple[nxt])
            i += 2
        elif nxt in ("u", "U"):
            width = 4 if nxt == "u" else 8
            digits = body[i + 2 : i + 2 + width]
            if len(digits) != width or not all(c in "0123456789abcdefABCDEF" for c in digits):
                raise UsageError(f"{where}: bad \\{nxt} escape in {body!r}")
            out.append(chr(int(digits, 16)))
            i += 2 + width
        else:
            raise UsageError(f"{where}: bad escape \\{nxt} in {body!r}")
    return "".join(out)


def parse_term(value: str, where: str = "--param") -> Term:
    """Parse one parameter value into a validated pyoxigraph term.

    ``<IRI>`` gives an IRI, ``"text"^^<datatype>`` a typed literal, ``"text"@lang`` a language
    literal, ``"text"`` or anything else a plain string (taken verbatim). Invalid IRIs and
    language tags are refused with a :class:`UsageError`, so nothing malformed reaches a query.
    """
    if value.startswith("<") and value.endswith(">") and len(value) >= 2:
        try:
            return ox.NamedNode(value[1:-1])
        except ValueError as exc:
            raise UsageError(f"{where}: {value!r} is not a valid IRI ({exc})") from exc
    if value.startswith('"') and len(value) >= 2:
        close = _closing_quote(value)
        if close is not None:
            body = _unescape(value[1:close], where)
            rest = value[close + 1 :]
            if rest == "":
                return ox.Literal(body)
            if rest.startswith("@") and _LANG.match(rest[1:]):
                try:
                    return ox.Literal(body, language=rest[1:])
                except ValueError as exc:
                    raise UsageError(f"{where}: bad language tag {rest[1:]!r} ({exc})") from exc
            if rest.startswith("^^<") and rest.endswith(">"):
                try:
                    datatype = ox.NamedNode(rest[3:-1])
                except ValueError as exc:
                    raise UsageError(f"{where}: bad datatype IRI {rest[3:]!r} ({exc})") from exc
                return ox.Literal(body, datatype=datatype)
            if rest.startswith("^^xsd:") and _VAR_NAME.match(rest[6:]):
                return ox.Literal(body, datatype=ox.NamedNode(XSD + rest[6:]))
            raise UsageError(
                f"{where}: cannot read {value!r}: after the closing quote expected nothing, "
                '@lang or ^^<datatype> (to pass the text as it is, leave out the quotes)'
            )
    return ox.Literal(value)


def _closing_quote(value: str) -> int | None:
    """Index of the unescaped quote closing ``value[0]``, or None."""
    i = 1
    while i < len(value):
        if value[i] == "\\":
            i += 2
            continue
        if value[i] == '"':
            return i
        i += 1
    return None


def parse_param(text: str) -> tuple[str, Term]:
    """Parse ``name=value`` (``--param``); the name is a variable name (``?``/``$`` optional)."""
    name, sep, value = text.partition("=")
    name = name.strip().lstrip("?$")
    if not sep or not _VAR_NAME.match(name):
        raise UsageError(
            f"--param {text!r}: expected name=value with a variable name such as entity=<IRI>"
        )
    return name, parse_term(value, where=f"--param {name}")


def as_term(value: Term | str) -> Term:
    """A term for the Python API: terms pass through, strings are read by :func:`parse_term`."""
    if isinstance(value, str):
        return parse_term(value, where="params")
    return value


#: A plain Python value of a term: IRIs and most literals as str, numbers and booleans as such.
Value: TypeAlias = str | int | float | bool | None

_XSD_INTEGERS = frozenset(
    XSD + t
    for t in (
        "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
        "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong",
        "unsignedShort", "unsignedByte",
    )
)
_XSD_FLOATS = frozenset(XSD + t for t in ("decimal", "double", "float"))


def python_term(value: object, where: str = "params") -> Term:
    """A term for a Python value: bool, int and float become typed literals, ``datetime.date``
    an ``xsd:date``; a string is read by :func:`parse_term` (``"<IRI>"`` is an IRI)."""
    import datetime

    if isinstance(value, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple):
        return value
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(XSD + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))
    if isinstance(value, float):
        return ox.Literal(repr(value), datatype=ox.NamedNode(XSD + "double"))
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(XSD + "date"))
    if isinstance(value, str):
        return parse_term(value, where=where)
    raise UsageError(
        f"{where}: cannot bind a {type(value).__name__}; give a str, int, float, bool or date"
    )


def python_value(term: Term | None) -> Value:
    """The Python value of a term: numbers and booleans converted, everything else a string
    (an IRI, a literal's lexical form, ``_:id`` for a blank node)."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        try:
            if datatype in _XSD_INTEGERS:
                return int(term.value)
            if datatype in _XSD_FLOATS:
                return float(term.value)
        except ValueError:
            return term.value
        if datatype == XSD + "boolean":
            return term.value in ("true", "1")
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term_value(term)


def term_to_json(term: Term) -> dict[str, Any]:
    """A term as SPARQL 1.1 Query Results JSON (RDF-star triples as ``"type": "triple"``)."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": term_to_json(term.subject),
                "predicate": term_to_json(term.predicate),
                "object": term_to_json(term.object),
            },
        }
    raise TypeError(f"not an RDF term: {term!r}")


def term_value(term: Term | None) -> str | None:
    """The plain value of a term (IRI string, literal lexical form) for Python users."""
    if term is None:
        return None
    if isinstance(term, ox.Triple):
        return str(term)
    return term.value


def abbreviate(iri: str, prefixes: Mapping[str, str]) -> str:
    """``prefix:local`` for the longest matching prefix, else ``<iri>``."""
    best = ""
    best_name = ""
    for name, ns in prefixes.items():
        if ns and iri.startswith(ns) and len(ns) > len(best):
            local = iri[len(ns) :]
            if re.fullmatch(r"[\w.-]*", local) and not local.endswith("."):
                best, best_name = ns, name
    if best:
        return f"{best_name}:{iri[len(best):]}"
    return f"<{iri}>"


def display(term: Term | None, prefixes: Mapping[str, str] = PREFIXES) -> str:
    """A short human-readable form for tables: abbreviated IRIs, bare literal values."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return abbreviate(term.value, prefixes)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"{term.value}@{term.language}"
        return str(term.value)
    return str(term)


def query_prefixes(sparql: str, base: Mapping[str, str] = PREFIXES) -> dict[str, str]:
    """``base`` plus the prefixes the query declares (for abbreviating its results)."""
    out = dict(base)
    for name, ns in _PREFIX_DECL.findall(sparql):
        out[name or ""] = ns
    return out


_DATA_KINDS = ("entity", "relation", "article", "graph")


def store_prefixes(store: Any) -> dict[str, str]:
    """The standard prefixes plus ``entity:``, ``relation:``, ``article:``, ``graph:`` for the
    data base IRI the store's article graphs use (when they all share one)."""
    out = dict(PREFIXES)
    bases = set()
    for g in store.named_graphs():
        value = str(getattr(g, "value", ""))
        head, sep, _ = value.rpartition("/graph/")
        if sep:
            bases.add(head + "/")
    if len(bases) == 1:
        base = bases.pop()
        for kind in _DATA_KINDS:
            out[kind] = f"{base}{kind}/"
    return out


# --------------------------------------------------------------------------------------------
# Results


def _results_format(fmt: str) -> Any:
    table = {
        "csv": ox.QueryResultsFormat.CSV,
        "tsv": ox.QueryResultsFormat.TSV,
        "xml": ox.QueryResultsFormat.XML,
    }
    if fmt not in table:
        expected = ", ".join(RESULT_FORMATS)
        raise UsageError(f"unknown result format {fmt!r} (expected one of {expected})")
    return table[fmt]


def _dump_json(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@dataclass(frozen=True)
class SelectResult:
    """Rows of a SELECT query; ``truncated`` when a result-size limit cut them."""

    variables: tuple[str, ...]
    rows: tuple[tuple[Term | None, ...], ...]
    truncated: bool = False
    prefixes: Mapping[str, str] = field(default_factory=lambda: dict(PREFIXES), compare=False)

    def __len__(self) -> int:
        return len(self.rows)

    def records(self) -> list[dict[str, str | None]]:
        """Rows as dicts of plain values (IRI strings, literal lexical forms, None if unbound)."""
        return [
            {v: term_value(t) for v, t in zip(self.variables, row, strict=True)}
            for row in self.rows
        ]

    def column(self, name: str) -> list[str | None]:
        """The plain values of one variable, in row order."""
        i = self.variables.index(name)
        return [term_value(row[i]) for row in self.rows]

    def to_json(self) -> dict[str, Any]:
        """SPARQL 1.1 Query Results JSON as a Python object."""
        bindings = [
            {v: term_to_json(t) for v, t in zip(self.variables, row, strict=True) if t is not None}
            for row in self.rows
        ]
        return {"head": {"vars": list(self.variables)}, "results": {"bindings": bindings}}

    def serialize(self, fmt: str = "json") -> bytes:
        """The rows in a W3C result format: json, csv, tsv or xml."""
        body = _dump_json(self.to_json())
        if fmt == "json":
            return body
        solutions = ox.parse_query_results(body, ox.QueryResultsFormat.JSON)
        return as_bytes(solutions.serialize(format=_results_format(fmt)))

    def table_rows(self) -> list[list[str]]:
        """Rows as short display strings (abbreviated IRIs, bare literal values)."""
        return [[display(t, self.prefixes) for t in row] for row in self.rows]


@dataclass(frozen=True)
class AskResult:
    """The answer of an ASK query."""

    value: bool

    def __bool__(self) -> bool:
        return self.value

    def to_json(self) -> dict[str, Any]:
        return {"head": {}, "boolean": self.value}

    def serialize(self, fmt: str = "json") -> bytes:
        body = _dump_json(self.to_json())
        if fmt == "json":
            return body
        answer = ox.parse_query_results(body, ox.QueryResultsFormat.JSON)
        return as_bytes(answer.serialize(format=_results_format(fmt)))


def _graph_format(fmt: str) -> Any:
    table = {
        "ttl": ox.RdfFormat.TURTLE,
        "turtle": ox.RdfFormat.TURTLE,
        "nt": ox.RdfFormat.N_TRIPLES,
        "nq": ox.RdfFormat.N_QUADS,
        "jsonld": ox.RdfFormat.JSON_LD,
        "xml": ox.RdfFormat.RDF_XML,
    }
    if fmt not in table:
        expected = ", ".join(GRAPH_FORMATS)
        raise UsageError(f"unknown graph format {fmt!r} (expected one of {expected})")
    return table[fmt]


@dataclass(frozen=True)
class GraphResult:
    """Triples of a CONSTRUCT or DESCRIBE query, sorted so output is byte-stable."""

    triples: tuple[Any, ...]
    truncated: bool = False
    prefixes: Mapping[str, str] = field(default_factory=lambda: dict(PREFIXES), compare=False)

    def __len__(self) -> int:
        return len(self.triples)

    def serialize(self, fmt: str = "ttl") -> bytes:
        """The triples as Turtle (ttl), N-Triples (nt), N-Quads (nq), JSON-LD or RDF/XML."""
        rdf_format = _graph_format(fmt)
        if rdf_format == ox.RdfFormat.TURTLE:
            used = used_prefixes(self.triples, self.prefixes)
            return as_bytes(ox.serialize(self.triples, format=rdf_format, prefixes=used))
        return as_bytes(ox.serialize(self.triples, format=rdf_format))


def used_prefixes(triples: Iterable[Any], prefixes: Mapping[str, str]) -> dict[str, str]:
    """Only the prefixes that shorten some IRI, so Turtle output carries no noise."""
    iris: set[str] = set()
    for t in triples:
        for term in (t.subject, t.predicate, t.object):
            if hasattr(term, "datatype"):
                if term.datatype.value not in (XSD_STRING, RDF_LANG_STRING):
                    iris.add(term.datatype.value)
            elif hasattr(term, "value") and not hasattr(term, "subject"):
                iris.add(str(term.value))
    return {
        name: ns
        for name, ns in sorted(prefixes.items())
        if name and ns and any(i.startswith(ns) for i in iris)
    }


QueryResult = SelectResult | AskResult | GraphResult


# --------------------------------------------------------------------------------------------
# Running queries


def syntax_error(exc: Exception, source: str | None = None, sparql: str = "") -> QuerySyntaxError:
    """A :class:`QuerySyntaxError` (exit 2) naming line and column, with the line and a caret."""
    text = str(exc)
    where = f"{source}:" if source else ""
    m = _POSITION.match(text)
    if not m:
        return QuerySyntaxError(f"{where}{' ' if where else ''}SPARQL syntax error: {text}")
    line, col, rest = int(m.group(1)), int(m.group(2)), m.group(3).strip()
    prefix = f"{source}:{line}:{col}: " if source else ""
    lines = sparql.splitlines()
    undefined = _undefined_prefix(sparql)
    if undefined is not None:
        name, line, col = undefined
        prefix = f"{source}:{line}:{col}: " if source else ""
        declared = ", ".join(sorted(PREFIXES))
        message = (
            f"{prefix}undefined prefix {name}: at line {line}, column {col}; declare it "
            f"(PREFIX {name}: <...>) or use one of the predeclared {declared}"
        )
    else:
        message = f"{prefix}SPARQL syntax error at line {line}, column {col}: {_short(rest)}"
    if 1 <= line <= len(lines):
        shown = lines[line - 1].replace("\t", " ")
        message += f"\n  {shown}\n  {' ' * max(col - 1, 0)}^"
    return QuerySyntaxError(message)


_CHAR_RANGES = re.compile(r"\[[^\[\]]*(?:\.\.=|\\u\{)[^\[\]]*\]|\[_\]", re.DOTALL)
#: What can hold a colon without being a prefixed name: IRIs, strings, comments.
_NOT_NAMES = re.compile(
    r"<[^<>\s\"{}|^`]*>|\"\"\".*?\"\"\"|'\'\'.*?'\'\'|\"(?:[^\"\\\n]|\\.)*\""
    r"|'(?:[^'\\\n]|\\.)*'|#[^\n]*",
    re.DOTALL,
)
_PREFIXED = re.compile(r"(?<![\w?$:.-])([A-Za-z][\w.-]*)?:(?=[\w%])")


def _short(message: str) -> str:
    """Oxigraph's "expected one of" without its Unicode code-point ranges (the characters a
    name may hold), which say nothing to a reader."""
    text = " ".join(_CHAR_RANGES.sub("", message).split())
    text = re.sub(r",(\s*,)+", ",", text).replace("one of ,", "one of").strip(" ,")
    if text.endswith(("one of", "expected")):
        return "unexpected text here"
    return text


def _undefined_prefix(sparql: str) -> tuple[str, int, int] | None:
    """The first prefixed name whose prefix is neither declared nor predeclared, as
    (prefix, line, column), both 1-based."""
    declared = set(query_prefixes(sparql))
    blanked = _NOT_NAMES.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), sparql)
    blanked = _PREFIX_DECL.sub(lambda m: " " * len(m.group(0)), blanked)
    for m in _PREFIXED.finditer(blanked):
        name = m.group(1) or ""
        if name not in declared and name != "_":
            line = blanked.count("\n", 0, m.start()) + 1
            col = m.start() - (blanked.rfind("\n", 0, m.start()) + 1) + 1
            return name, line, col
    return None


def _graph_term(graph: str) -> Any:
    iri = graph[1:-1] if graph.startswith("<") and graph.endswith(">") else graph
    try:
        return ox.NamedNode(iri)
    except ValueError as exc:
        raise UsageError(f"--graph {graph!r} is not a valid IRI ({exc})") from exc


def resolve_graph(store: Any, graph: str) -> Any:
    """The named graph an IRI or a document id (``seed-article``) names in ``store``."""
    from kg.iris import slug

    if ":" in graph:
        node = _graph_term(graph)
        if not store.contains_named_graph(node):
            raise UsageError(f"--graph: the store has no graph {node} ({_graph_hint(store)})")
        return node
    suffix = "/graph/" + slug(graph)
    matches = sorted(
        (
            g
            for g in store.named_graphs()
            if isinstance(g, ox.NamedNode) and g.value.endswith(suffix)
        ),
        key=lambda g: g.value,
    )
    if len(matches) != 1:
        hint = _graph_hint(store)
        raise UsageError(f"--graph {graph!r}: no single article graph of that name ({hint})")
    return matches[0]


def _graph_hint(store: Any) -> str:
    names = sorted(str(g) for g in store.named_graphs())
    if not names:
        return "the store is empty"
    shown = ", ".join(names[:5]) + (" ..." if len(names) > 5 else "")
    return f"graphs: {shown}"


def run_query(
    store: Any,
    sparql: str,
    *,
    params: Mapping[str, Term | str] | None = None,
    graph: str | None = None,
    max_results: int | None = None,
    source: str | None = None,
    default_graphs: Sequence[str] = (),
    named_graphs: Sequence[str] = (),
    allow_service: bool = False,
) -> QueryResult:
    """Run ``sparql`` on a pyoxigraph ``store`` and collect a typed result.

    ``params`` binds variables to terms (strings are read by :func:`parse_term`); ``graph``
    restricts the default graph to one article graph (else the union of all graphs);
    ``max_results`` cuts long results (``truncated`` is then set). Syntax errors raise
    :class:`QuerySyntaxError` with the position; ``source`` names the query file in messages.
    ``default_graphs`` / ``named_graphs`` are the SPARQL Protocol's dataset IRIs.
    Queries holding SERVICE (an outbound request) are refused unless ``allow_service``; too
    long or too deeply nested ones always (:mod:`kg.guard`), with :class:`QueryRefused`.
    """
    from kg.guard import call_with_big_stack, check_query

    check_query(sparql, allow_service=allow_service)
    return call_with_big_stack(
        lambda: _run_checked(
            store, sparql, params, graph, max_results, source, default_graphs, named_graphs
        )
    )


def _run_checked(
    store: Any,
    sparql: str,
    params: Mapping[str, Term | str] | None,
    graph: str | None,
    max_results: int | None,
    source: str | None,
    default_graphs: Sequence[str],
    named_graphs: Sequence[str],
) -> QueryResult:
    """:func:`run_query` after the checks, on the big-stack thread (evaluation is lazy)."""
    bindings = {name.lstrip("?$"): as_term(v) for name, v in (params or {}).items()}
    for name in bindings:
        if not _VAR_NAME.match(name):
            raise UsageError(f"parameter name {name!r} is not a SPARQL variable name")
    options: dict[str, Any] = {"prefixes": dict(PREFIXES)}
    if graph is not None:
        options["default_graph"] = [resolve_graph(store, graph)]
    elif default_graphs:
        options["default_graph"] = [_graph_term(g) for g in default_graphs]
    else:
        options["use_default_graph_as_union"] = True
    if named_graphs:
        options["named_graphs"] = [_graph_term(g) for g in named_graphs]
    try:
        raw = _execute(store, sparql, bindings, options)
    except SyntaxError as exc:
        raise syntax_error(exc, source, sparql) from exc
    except OSError as exc:
        raise StoreError(f"reading the store failed: {exc}") from exc
    prefixes = query_prefixes(sparql, store_prefixes(store))
    limit = max_results if max_results is not None and max_results >= 0 else None
    if isinstance(raw, ox.QueryBoolean):
        return AskResult(bool(raw))
    if isinstance(raw, ox.QuerySolutions):
        variables = tuple(v.value for v in raw.variables)
        rows: list[tuple[Term | None, ...]] = []
        truncated = False
        for solution in raw:
            if limit is not None and len(rows) >= limit:
                truncated = True
                break
            rows.append(tuple(solution[v] for v in variables))
        return SelectResult(variables, tuple(rows), truncated, prefixes)
    triples: set[Any] = set()
    truncated = False
    for triple in raw:
        if limit is not None and len(triples) >= limit and triple not in triples:
            truncated = True
            break
        triples.add(triple)
    return GraphResult(tuple(sorted(triples, key=str)), truncated, prefixes)


def _execute(store: Any, sparql: str, bindings: Mapping[str, Term], options: dict[str, Any]) -> Any:
    """Bind parameters with ``substitutions``; unprojected ones through an outer VALUES clause.

    Oxigraph only substitutes variables a SELECT projects. For the others the term, already
    validated and serialised by pyoxigraph (so quotes, ``>`` and newlines are escaped), goes
    into a trailing ``VALUES`` clause, which joins before projection like a substitution.
    """
    if not bindings:
        return store.query(sparql, **options)
    subs = {ox.Variable(k): v for k, v in bindings.items()}
    try:
        return store.query(sparql, substitutions=subs, **options)
    except RuntimeError as exc:
        if _NOT_PROJECTED not in str(exc):
            raise
    names = sorted(bindings)
    values = " ".join(str(bindings[n]) for n in names)
    clause = "\nVALUES (" + " ".join("?" + n for n in names) + ") { (" + values + ") }\n"
    try:
        return store.query(sparql + clause, **options)
    except SyntaxError:
        store.query(sparql, **options)  # a syntax error of the query itself is reported as such
        raise UsageError(
            "cannot bind parameters "
            + ", ".join(names)
            + ": the query does not project them and already ends with a VALUES clause"
        ) from None


def open_read_only(out_dir: Path) -> ox.Store:
    """The pyoxigraph store of ``DIR/store``, read-only (via :func:`kg.store.open_store`)."""
    from kg.store import open_store

    return open_store(Path(out_dir), read_only=True).store


def query(
    out_dir: Path | str,
    sparql: str,
    *,
    params: Mapping[str, Term | str] | None = None,
    graph: str | None = None,
    max_results: int | None = None,
    allow_service: bool = False,
) -> QueryResult:
    """Run a SPARQL query on the graph built in ``out_dir`` (the API behind ``kg query``).

    SERVICE clauses are refused unless ``allow_service`` (they send requests to other hosts).

    >>> rows = query("out/demo", "SELECT ?a ?b WHERE { ?a kg:met ?b }")  # doctest: +SKIP
    """
    store = open_read_only(Path(out_dir))
    return run_query(
        store,
        sparql,
        params=params,
        graph=graph,
        max_results=max_results,
        allow_service=allow_service,
    )


def read_query_file(path: Path) -> str:
    """The text of a ``.rq`` file, with an error naming the file when it cannot be read."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"{path}: query file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read the query file ({exc})") from exc


def parse_params(items: Sequence[str]) -> dict[str, Term]:
    """Several ``--param name=value``; a name given twice is an error."""
    out: dict[str, Term] = {}
    for item in items:
        name, term = parse_param(item)
        if name in out:
            raise UsageError(f"--param {name} given twice")
        out[name] = term
    return out


__all__ = [
    "GRAPH_FORMATS",
    "PREFIXES",
    "RESULT_FORMATS",
    "AskResult",
    "GraphResult",
    "QueryResult",
    "SelectResult",
    "Value",
    "abbreviate",
    "display",
    "open_read_only",
    "parse_param",
    "parse_params",
    "parse_term",
    "python_term",
    "python_value",
    "query",
    "query_prefixes",
    "read_query_file",
    "resolve_graph",
    "run_query",
    "store_prefixes",
    "syntax_error",
    "term_to_json",
    "term_value",
    "used_prefixes",
]
