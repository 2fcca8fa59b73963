"""``kg import``: relation / entity / article records (JSONL) -> the store and graph.nq.

This is how a user with their own extractor or hand-curated data gets a graph, and the
hand-off from ``kg extract``. Records are grouped by ``doc``; each document becomes one
:class:`ArticleGraph` that replaces that article's named graph. A bad record is reported with
file:line and reason and left out; every other record still goes in.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import stat
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, BinaryIO

from kg import iris
from kg.errors import InputError, UsageError
from kg.lexicon import load_lexicon
from kg.model import Article, ArticleGraph, Entity, RelationRecord
from kg.rdf.terms import date_datatype
from kg.rdf.to_rdf import complete_entities
from kg.records import (
    RecordLine,
    article_to_json,
    dumps,
    entity_to_json,
    read_records,
    relation_to_json,
)
from kg.view.project import GraphCounts, count_graph

REPORT_NAME = "report.json"


@dataclass(frozen=True)
class Failure:
    """One record (or file) that did not go in, and why."""

    source: str
    line: int | None
    reason: str

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        return f"{where}: {self.reason}"

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "line": self.line, "reason": self.reason}


@dataclass(frozen=True)
class ImportReport:
    """What an import did: counts per kind, the articles written, and every failure."""

    inputs: tuple[str, ...]
    articles: tuple[str, ...]
    relations: int
    entities: int
    quads: int
    failures: tuple[Failure, ...] = field(default=())
    #: the whole graph's figures after the import, counted as ``kg build`` and the view do
    graph: GraphCounts | None = None

    @property
    def ok(self) -> bool:
        return not self.failures

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1

    def summary(self) -> str:
        """One line for the terminal: what was imported, then the graph's figures."""
        totals = ""
        if self.graph is not None:
            status = ", ".join(f"{n} {s}" for s, n in self.graph.by_status.items() if n)
            totals = (
                f"; the graph: {self.graph.relations} relations ({status or 'none'}), "
                f"{self.graph.entities} entities with a relation"
            )
        return (
            f"imported {self.relations} relations of {len(self.articles)} articles "
            f"({self.quads} quads in the store){totals}; {len(self.failures)} records failed"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "command": "import",
            "inputs": list(self.inputs),
            "articles": list(self.articles),
            "imported_relations": self.relations,
            **(
                self.graph.to_json()
                if self.graph is not None
                else {"entities": self.entities, "relations": {"total": self.relations}}
            ),
            "quads": self.quads,
            "failures": [f.to_json() for f in self.failures],
            "ok": self.ok,
        }


@dataclass
class _Doc:
    """Records of one document, collected over all inputs."""

    relations: list[tuple[str, int, RelationRecord]] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    article: Article | None = None
    #: (input number, line, source) of the document's first record: which of two ids that
    #: clash came first.
    first: tuple[int, int, str] = (0, 0, "")


#: The longest JSONL line (one record) read, in bytes (``--max-bytes``).
DEFAULT_MAX_LINE_BYTES = 5_000_000
#: The most bytes read from one input (``--max-input-bytes``): piped input has no end.
DEFAULT_MAX_INPUT_BYTES = 2_000_000_000


@dataclass(frozen=True)
class ReadLimits:
    """Bounds on what one ``kg import`` reads."""

    max_line: int = DEFAULT_MAX_LINE_BYTES
    max_input: int = DEFAULT_MAX_INPUT_BYTES


def _open_input(path: Path | str) -> tuple[str, BinaryIO]:
    """(display name, binary stream) of a file or ``-`` (stdin). Only regular files are
    opened: the type is checked on the descriptor, opened without blocking, so a FIFO cannot
    hang the import and a device such as /dev/zero is refused."""
    if str(path) == "-":
        return "<stdin>", sys.stdin.buffer
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise OSError(errno.EINVAL, "not a regular file (a directory, FIFO, socket or device)")
        os.set_blocking(fd, True)
        return str(path), os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _bounded_lines(
    stream: BinaryIO, source: str, limits: ReadLimits, failures: list[Failure]
) -> Iterator[bytes]:
    """The lines of ``stream``; a line or an input over its limit is one failure and the
    rest of that input is not read (an endless stream ends here)."""
    total = 0
    number = 0
    with stream if source != "<stdin>" else contextlib.nullcontext(stream):
        while line := stream.readline(limits.max_line + 1):
            number += 1
            total += len(line)
            if len(line) > limits.max_line:
                failures.append(Failure(source, number, (
                    f"line is over the limit of {limits.max_line} bytes (--max-bytes); "
                    "the rest of this input is not read")))
                return
            if total > limits.max_input:
                failures.append(Failure(source, number, (
                    f"input is over the limit of {limits.max_input} bytes (--max-input-bytes); "
                    "the rest of it is not read")))
                return
            yield line


def _decode(raw: str | bytes, source: str, number: int, failures: list[Failure]) -> str:
    if isinstance(raw, str):
        return raw
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        reason = f"not valid UTF-8 ({exc.reason} at byte {exc.start})"
        failures.append(Failure(source, number, reason))
        return ""


def _check(record: RelationRecord) -> str | None:
    """Why a parsed relation cannot go in (unknown type, bad date), or None."""
    lex = load_lexicon()
    if record.type not in lex.types:
        return f"unknown relation type {record.type!r}; known types: {', '.join(sorted(lex.types))}"
    if record.date is not None and date_datatype(record.date) is None:
        return f"date {record.date!r} is not an ISO date (YYYY-MM-DD, YYYY-MM or YYYY)"
    return None


def _merge_article(old: Article | None, new: Article) -> Article:
    if old is None:
        return new
    fields = ("title", "date", "author", "url", "source", "content_hash")
    changes = {f: getattr(new, f) for f in fields if getattr(new, f) is not None}
    return replace(old, **changes)


def _content_hash(doc: str, data: _Doc) -> str:
    """A hash of the document's records, so an unchanged import is recognisable."""
    h = hashlib.sha256()
    for _, _, rel in data.relations:
        h.update(dumps(relation_to_json(rel)).encode("utf-8", "surrogatepass") + b"\n")
    for ent in data.entities:
        h.update(dumps(entity_to_json(doc, ent)).encode("utf-8", "surrogatepass") + b"\n")
    if data.article is not None:
        h.update(dumps(article_to_json(data.article)).encode("utf-8", "surrogatepass"))
    return "sha256:" + h.hexdigest()


def collect_records(
    paths: Sequence[Path | str], *, base: str, limits: ReadLimits | None = None
) -> tuple[dict[str, _Doc], list[Failure]]:
    """Read every input, group records by document, and check cross-record references."""
    docs: dict[str, _Doc] = {}
    failures: list[Failure] = []
    limits = limits or ReadLimits()
    for number, path in enumerate(paths):
        try:
            source, stream = _open_input(path)
        except OSError as exc:
            failures.append(Failure(str(path), None, f"cannot read: {exc.strerror or exc}"))
            continue
        raw_lines = _bounded_lines(stream, source, limits, failures)
        texts = (
            _decode(raw, source, n, failures) for n, raw in enumerate(raw_lines, start=1)
        )
        for item in read_records(texts, source, base=base):
            if isinstance(item, InputError):
                failures.append(Failure(source, item.line, item.message))
                continue
            _add(docs, source, item, failures, number)
    _refuse_slug_clashes(docs, failures, base)
    _refuse_shared_relation_ids(docs, failures)
    # A denial must point at a relation of the same document.
    for data in docs.values():
        ids = {rel.id for _, _, rel in data.relations}
        kept = []
        for source, line, rel in data.relations:
            if rel.denies is not None and rel.denies not in ids:
                failures.append(
                    Failure(source, line, f"'denies' points at unknown relation id {rel.denies!r}")
                )
            else:
                kept.append((source, line, rel))
        data.relations = kept
    order = {("<stdin>" if str(p) == "-" else str(p)): i for i, p in enumerate(paths)}
    failures.sort(key=lambda f: (order.get(f.source, len(order)), f.line or 0))
    return docs, failures


def _refuse_slug_clashes(docs: dict[str, _Doc], failures: list[Failure], base: str) -> None:
    """Drop documents whose id shares its IRI slug with an earlier one (see
    :func:`kg.builder.slug_clash`), each with one failure naming both inputs."""
    from kg.builder import slug_clash

    seen: dict[str, tuple[str, str]] = {}
    for doc in sorted(docs, key=lambda d: docs[d].first):
        _, line, source = docs[doc].first
        clash = slug_clash(doc, f"{source}:{line}", seen, base)
        if clash is not None:
            failures.append(Failure(source, line, clash))
            del docs[doc]


def _refuse_shared_relation_ids(docs: dict[str, _Doc], failures: list[Failure]) -> None:
    """A relation belongs to one article: an id already used by an earlier document is a
    failure naming both places (else its node gets two types, subjects and polarities)."""
    owner: dict[str, tuple[str, str, int]] = {}
    for doc in sorted(docs, key=lambda d: docs[d].first):
        data = docs[doc]
        kept = []
        for source, line, rel in data.relations:
            first = owner.setdefault(rel.id, (doc, source, line))
            if first[0] == doc:
                kept.append((source, line, rel))
                continue
            failures.append(
                Failure(
                    source,
                    line,
                    f"relation id {rel.id!r} is already used by document {first[0]!r} "
                    f"({first[1]}:{first[2]}); a relation belongs to one article",
                )
            )
        data.relations = kept


def _add(
    docs: dict[str, _Doc], source: str, item: RecordLine, failures: list[Failure], number: int
) -> None:
    rec = item.record
    if isinstance(rec, RelationRecord):
        problem = _check(rec)
        if problem:
            failures.append(Failure(source, item.line, problem))
            return
        doc = rec.doc
    elif isinstance(rec, Entity):
        if not item.doc or not item.doc.strip():
            failures.append(Failure(source, item.line, "entity record lacks its 'doc' field"))
            return
        doc = item.doc
    else:
        doc = rec.doc
    data = docs.setdefault(doc, _Doc(first=(number, item.line, source)))
    if isinstance(rec, RelationRecord):
        data.relations.append((source, item.line, rec))
    elif isinstance(rec, Entity):
        data.entities.append(rec)
    else:
        data.article = _merge_article(data.article, rec)


def build_graphs(docs: dict[str, _Doc], base: str) -> list[ArticleGraph]:
    """One :class:`ArticleGraph` per document, sorted by doc, with every named party typed."""
    graphs = []
    for doc in sorted(docs):
        data = docs[doc]
        article = data.article or Article(doc=doc, text="")
        if article.content_hash is None:
            article = replace(article, content_hash=_content_hash(doc, data))
        draft = ArticleGraph(
            article=article,
            entities=tuple(data.entities),
            relations=tuple(rel for _, _, rel in data.relations),
        )
        graphs.append(
            ArticleGraph(
                article=article,
                entities=complete_entities(draft, base),
                relations=draft.relations,
            )
        )
    return graphs


def import_records(
    paths: Sequence[Path | str],
    out_dir: Path,
    *,
    base: str = iris.DEFAULT_BASE,
    limits: ReadLimits | None = None,
) -> ImportReport:
    """Import JSONL record files (``-`` = stdin) into ``out_dir``; see the module docstring.

    Writes ``out_dir/store``, ``out_dir/graph.nq`` and ``out_dir/report.json``. Raises
    :class:`UsageError` when no input is given or ``base`` is not a usable IRI prefix.
    """
    from kg.safefile import write_atomic
    from kg.store import NQUADS_NAME, open_store

    if not paths:
        raise UsageError("no input files given (pass one or more JSONL files, or - for stdin)")
    iris.check_base(base)
    from kg.safefile import check_out_dir

    check_out_dir(Path(out_dir))
    docs, failures = collect_records(paths, base=base, limits=limits)
    graphs = build_graphs(docs, base)
    out_dir = Path(out_dir)
    with open_store(out_dir) as store:
        for graph in graphs:
            store.replace_article(graph, base)
        store.export_nquads(out_dir / NQUADS_NAME)
        quads = store.quad_count()
        totals = count_graph(store)
    report = ImportReport(
        inputs=tuple("-" if str(p) == "-" else str(p) for p in paths),
        articles=tuple(g.article.doc for g in graphs),
        relations=sum(len({r.id for r in g.relations}) for g in graphs),
        entities=sum(len(g.entities) for g in graphs),
        quads=quads,
        failures=tuple(failures),
        graph=totals,
    )
    write_atomic(
        out_dir / REPORT_NAME,
        (json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n").encode("utf-8"),
    )
    return report


__all__ = [
    "REPORT_NAME",
    "Failure",
    "ImportReport",
    "ReadLimits",
    "build_graphs",
    "collect_records",
    "import_records",
]
