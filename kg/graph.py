"""The Python API's graph: what ``kg.open(DIR)`` and ``kg.extract(text)`` return.

One :class:`Graph` type, whatever holds the statements (the on-disk store of a build, opened
read-only, or an in-memory store of one extracted text), with the shape notebook users know
from rdflib, networkx and pandas: ``query`` gives rows (``.to_pandas()``), ``relations`` and
``entities`` give the project's records, ``to_rdflib`` / ``to_networkx`` convert, ``serialize``
writes a format, ``view`` and ``_repr_html_`` display in Jupyter. The pyoxigraph store stays
inside; nothing here hands out a store object.

Every SPARQL query runs over the union of the article graphs (one named graph per article),
so ``?a kg:met ?b`` needs no ``GRAPH`` clause.
"""

from __future__ import annotations

import html
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from kg.errors import UsageError
from kg.model import STATUSES, Entity, EntityType, Evidence, RelationRecord
from kg.query import Value

if TYPE_CHECKING:
    from kg.view.project import ArticleInfo, Projection
    from kg.view.render import NotebookView

#: Formats of :meth:`Graph.serialize` (``kg export --format``).
SERIALIZE_FORMATS = ("nq", "trig", "ttl", "jsonld", "graphml")
_HTML_ROWS = 20


@dataclass(frozen=True)
class Rows:
    """The rows of a SELECT query: plain Python values (IRIs and text as ``str``, numbers
    and booleans converted, ``None`` when unbound). Iterating gives one dict per row."""

    columns: tuple[str, ...]
    values: tuple[tuple[Value, ...], ...]
    truncated: bool = False

    def __len__(self) -> int:
        return len(self.values)

    def __iter__(self) -> Iterator[dict[str, Value]]:
        for row in self.values:
            yield dict(zip(self.columns, row, strict=True))

    def __getitem__(self, index: int) -> dict[str, Value]:
        return dict(zip(self.columns, self.values[index], strict=True))

    def column(self, name: str) -> list[Value]:
        """The values of one variable, in row order."""
        i = self.columns.index(name)
        return [row[i] for row in self.values]

    def to_pandas(self) -> Any:
        """A ``pandas.DataFrame`` with one column per variable (needs pandas installed)."""
        try:
            import pandas as pd
        except ImportError:
            raise UsageError(
                "Rows.to_pandas() needs pandas: pip install pandas (or newskg[test])"
            ) from None
        return pd.DataFrame(list(self.values), columns=list(self.columns))

    def _repr_html_(self) -> str:
        return _html_table(self.columns, self.values[:_HTML_ROWS], len(self.values))


def _cell(value: object) -> str:
    return "" if value is None else html.escape(str(value))


def _html_table(columns: tuple[str, ...], rows: Any, total: int) -> str:
    head = "".join(f"<th>{_cell(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{_cell(v)}</td>" for v in row) + "</tr>" for row in rows)
    more = f"<p>{total - len(rows)} more rows</p>" if total > len(rows) else ""
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}"


class Graph:
    """A knowledge graph of news articles (see the module docstring).

    Made by :func:`kg.open` and :func:`kg.extract`; an opened graph holds a shared lock on its
    store until :meth:`close` (or the end of a ``with`` block), so no build can write the store
    meanwhile.
    """

    def __init__(self, store: Any, *, name: str, closer: Any = None) -> None:
        self._store = store
        self._closer = closer
        self.name = name

    # -- lifecycle ---------------------------------------------------------------------------
    def close(self) -> None:
        """Release the store (and its lock); the graph cannot be queried afterwards."""
        if self._closer is not None:
            self._closer.close()
            self._closer = None

    def __enter__(self) -> Graph:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- SPARQL ------------------------------------------------------------------------------
    def _run(self, sparql: str, params: Mapping[str, object]) -> Any:
        from kg.query import python_term, run_query

        terms = {k: python_term(v, where=f"parameter {k}") for k, v in params.items()}
        return run_query(self._store, sparql, params=terms)

    def query(self, sparql: str, /, **params: object) -> Rows:
        """Rows of a SELECT query over all articles; keyword arguments bind variables
        (``entity="Katarina Voss"``, ``since=datetime.date(2025, 1, 1)``, ``x="<IRI>"``) as
        RDF terms, never as query text. Prefixes kg:, rdfs:, schema: ... are predeclared."""
        from kg.query import SelectResult, python_value

        result = self._run(sparql, params)
        if not isinstance(result, SelectResult):
            raise UsageError(
                "Graph.query() answers SELECT queries; use Graph.ask() for ASK and "
                "Graph.construct() for CONSTRUCT or DESCRIBE"
            )
        values = tuple(tuple(python_value(t) for t in row) for row in result.rows)
        return Rows(result.variables, values, result.truncated)

    def ask(self, sparql: str, /, **params: object) -> bool:
        """The answer of an ASK query."""
        from kg.query import AskResult

        result = self._run(sparql, params)
        if not isinstance(result, AskResult):
            raise UsageError("Graph.ask() answers ASK queries; use Graph.query() for SELECT")
        return result.value

    def construct(self, sparql: str, /, format: str = "ttl", **params: object) -> str:
        """The triples of a CONSTRUCT or DESCRIBE query, serialised (ttl, nt, nq, jsonld, xml)."""
        from kg.query import GraphResult

        result = self._run(sparql, params)
        if not isinstance(result, GraphResult):
            raise UsageError(
                "Graph.construct() answers CONSTRUCT and DESCRIBE queries; use Graph.query()"
            )
        return result.serialize(format).decode("utf-8")

    # -- records -----------------------------------------------------------------------------
    @cached_property
    def _projection(self) -> Projection:
        from kg.view.project import load_projection

        return load_projection(self._store)

    def relations(self) -> list[RelationRecord]:
        """Every relation as a record (the fields of ``kg extract`` / relations.jsonl), sorted
        by article and position; ``pandas.DataFrame(graph.relations())`` makes a table."""
        from kg.view.project import UNNAMED_SOURCE_IRI, label_of

        proj = self._projection
        docs = {a.id: a.doc or "" for a in proj.articles.values()}
        out: list[RelationRecord] = []
        for rel in proj.relations.values():
            first, *rest = rel.evidence or (None,)
            deniers = sorted({
                label_of(proj, proj.relations[d].subject) or ""
                for d in rel.denied_by
                if d in proj.relations
            })
            out.append(
                RelationRecord(
                    id=rel.id,
                    doc=docs.get(first.article or "", "") if first else "",
                    type=rel.type,
                    subject=label_of(proj, rel.subject) or rel.subject,
                    subject_id=rel.subject,
                    object=label_of(proj, rel.object),
                    object_id=rel.object,
                    polarity="negative" if rel.polarity == "negative" else "positive",
                    modality=cast(Any, rel.modality),
                    attributed_to=label_of(proj, rel.attributed_to),
                    attributed_to_id=None
                    if rel.attributed_to == UNNAMED_SOURCE_IRI
                    else rel.attributed_to,
                    denies=rel.denies[0] if rel.denies else None,
                    denied_by=tuple(deniers),
                    date=rel.date,
                    place=label_of(proj, rel.place),
                    place_id=rel.place,
                    sentence=first.sentence if first else "",
                    start=first.start if first else 0,
                    end=first.end if first else 0,
                    confidence=1.0 if rel.confidence is None else rel.confidence,
                    extra_evidence=tuple(
                        Evidence(ev.sentence, ev.start, ev.end) for ev in rest if ev
                    ),
                    claim_text=rel.claim_text,
                )
            )
        return sorted(out, key=lambda r: (r.doc, r.start, r.type, r.id))

    def entities(self) -> list[Entity]:
        """Every entity (people, organisations, places ...) with its label, type and aliases."""
        return [
            Entity(id=e.id, label=e.label, type=cast(EntityType, e.type), aliases=e.aliases)
            for e in sorted(self._projection.entities.values(), key=lambda e: (e.label, e.id))
        ]

    def articles(self) -> list[ArticleInfo]:
        """The articles: document id, headline, date, author and URL."""
        return sorted(self._projection.articles.values(), key=lambda a: (a.doc or "", a.id))

    # -- conversions -------------------------------------------------------------------------
    def to_networkx(self) -> Any:
        """A ``networkx.MultiDiGraph``: entities as nodes (label, type, aliases), one edge per
        relation from subject to object keyed by the relation IRI, with its type, status,
        polarity, modality, evidence (the sentence), article and the other fields set.
        Relations without an object (a denial of a statement) have no edge. Attribute values
        are strings and numbers only, so ``networkx.write_graphml`` takes the graph as it is."""
        import networkx as nx

        g = nx.MultiDiGraph(name=self.name)
        for ent in self.entities():
            g.add_node(ent.id, label=ent.label, type=ent.type, aliases="; ".join(ent.aliases))
        for rec in self.relations():
            if rec.object_id is None:
                continue
            for node, label in ((rec.subject_id, rec.subject), (rec.object_id, rec.object)):
                if node not in g:
                    g.add_node(node, label=label or node, type="Entity", aliases="")
            attrs: dict[str, object] = {
                "type": rec.type,
                "status": rec.status,
                "polarity": rec.polarity,
                "modality": rec.modality,
                "evidence": rec.sentence,
                "article": rec.doc,
                "start": rec.start,
                "end": rec.end,
                "confidence": rec.confidence,
                "attributed_to": rec.attributed_to,
                "denied_by": "; ".join(rec.denied_by) or None,
                "date": rec.date,
                "place": rec.place,
            }
            g.add_edge(
                rec.subject_id,
                rec.object_id,
                key=rec.id,
                **{k: v for k, v in attrs.items() if v is not None},
            )
        return g

    def to_rdflib(self) -> Any:
        """An ``rdflib.Dataset`` of the same quads (one named graph per article), queried over
        the union of its graphs (``default_union``), with only our prefixes bound."""
        from kg.export import rdflib_dataset

        return rdflib_dataset(self._store)

    def serialize(self, format: str = "trig") -> str:
        """The graph as text: nq, trig, jsonld (one graph per article; JSON-LD compact, with
        an ``@context``), ttl (the merged view) or graphml (the networkx projection)."""
        from kg.export import export_store

        return export_store(self._store, format).decode("utf-8")

    # -- display -----------------------------------------------------------------------------
    def view(self, *, height: int = 700, **filters: Any) -> NotebookView:
        """The interactive view, displayed inline in Jupyter; ``filters`` as ``kg view``
        (``entity``, ``hops``, ``types``, ``since``, ``until``, ``max_nodes``)."""
        from kg.view import show

        return show(self._projection, height=height, **filters)

    def counts(self) -> dict[str, int]:
        """Articles, entities, relations, and relations per status."""
        proj = self._projection
        out = {
            "articles": len(proj.articles),
            "entities": len(proj.entities),
            "relations": len(proj.relations),
        }
        for status in STATUSES:
            out[status] = sum(1 for r in proj.relations.values() if r.status == status)
        return out

    def __repr__(self) -> str:
        c = self.counts()
        return (
            f"<kg.Graph {self.name}: {c['articles']} articles, {c['entities']} entities, "
            f"{c['relations']} relations>"
        )

    def _repr_html_(self) -> str:
        c = self.counts()
        statuses = ", ".join(f"{c[s]} {s}" for s in STATUSES if c[s])
        rels = self.relations()
        rows = [
            (r.type, r.subject, r.object, r.status, r.doc, r.sentence) for r in rels[:_HTML_ROWS]
        ]
        table = _html_table(
            ("type", "subject", "object", "status", "article", "sentence"), rows, len(rels)
        )
        return (
            f"<p><b>kg.Graph {_cell(self.name)}</b>: {c['articles']} articles, "
            f"{c['entities']} entities, {c['relations']} relations ({_cell(statuses)}); "
            "<code>.view()</code> draws it</p>" + table
        )


def open_graph(out_dir: str | Path) -> Graph:
    """The graph built in ``out_dir`` by ``kg build`` or ``kg import`` (read-only)."""
    from kg.store import open_store

    path = Path(out_dir)
    if not path.is_dir():
        raise UsageError(f"{path}: no such directory (the --out of `kg build` or `kg import`)")
    handle = open_store(path, read_only=True)
    return Graph(handle.store, name=str(path), closer=handle)


__all__ = ["SERIALIZE_FORMATS", "Graph", "Rows", "open_graph"]
