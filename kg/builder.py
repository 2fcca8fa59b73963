"""``kg build``: articles -> store, N-Quads, relation records, report and view in one directory.

The build streams: each article is read, extracted, turned into what the build writes (its
named graph as N-Triples and its ``relations.jsonl`` lines, in the worker that extracted it)
and written to the store (one named graph per article, replaced atomically; up to
:data:`WRITE_BATCH` new articles per transaction) long before the last is read, so memory stays
flat apart from the relation records kept for ``relations.jsonl``. The writing process does
little more than the store transactions, so with ``--workers 2`` it hardly competes with the
workers for the CPU. It is incremental: an article whose content hash is already in the store
is not extracted again. Every output is deterministic and the same for any number of workers
(sorted N-Quads, relation records grouped and sorted by document, no timestamps in the report).

A build that dies (SIGKILL, power loss) or is interrupted (Ctrl-C) loses nothing it finished:
each transaction holds whole articles, and an article counts as done only when both the store
and ``relations.jsonl`` hold its current content hash, so running the same command again
completes the build to exactly the output of an uninterrupted one.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from kg import iris
from kg.errors import InputError, KGError, UsageError
from kg.extraction.read import DEFAULT_MAX_BYTES, DEFAULT_MAX_LINE, ReadWarning, read_inputs
from kg.model import STATUSES, Article, ArticleGraph
from kg.records import article_to_json, dumps, entity_to_json, relation_to_json
from kg.view.project import (
    GraphCounts,
    Projection,
    count_graph,
    graph_counts,
    load_projection,
)

RELATIONS_NAME = "relations.jsonl"
REPORT_NAME = "report.json"
NQUADS_NAME = "graph.nq"
VIEW_NAME = "graph.html"
#: Articles new to the store written in one transaction (whole articles only, so a crash still
#: leaves whole articles); fewer, larger transactions cost the writing process less.
WRITE_BATCH = 16


def graph_lines(graph: ArticleGraph) -> Iterator[str]:
    """JSONL lines of one article: its article record, entity records, then relation records."""
    doc = graph.article.doc
    yield dumps(article_to_json(graph.article))
    for ent in graph.entities:
        yield dumps(entity_to_json(doc, ent))
    for rel in graph.relations:
        yield dumps(relation_to_json(rel))


@dataclass(frozen=True)
class BuiltArticle:
    """One article as the build writes it: N-Triples of its named graph, its relations.jsonl
    lines and the figures of the report.

    Made where the article was extracted (a worker with ``--workers`` > 1), so that what
    crosses to the process writing the store is bytes and strings, cheap to pickle and ready
    to write, and that process is left with the store transaction only.
    """

    doc: str
    graph: str
    ntriples: bytes
    lines: tuple[str, ...]
    entities: tuple[str, ...]
    relation_types: tuple[str, ...]
    statuses: tuple[str, ...]
    #: the article's content hash (what the store keeps to tell versions apart)
    content_hash: str | None = None


def built_article(graph: ArticleGraph, base: str = iris.DEFAULT_BASE) -> BuiltArticle:
    """What the build writes of one extracted article (see :class:`BuiltArticle`)."""
    from kg.rdf.to_rdf import article_ntriples

    doc = graph.article.doc
    return BuiltArticle(
        doc=doc,
        graph=iris.graph_iri(doc, base),
        ntriples=article_ntriples(graph, base),
        lines=tuple(graph_lines(graph)),
        entities=tuple(e.id for e in graph.entities),
        relation_types=tuple(r.type for r in graph.relations),
        statuses=tuple(r.status for r in graph.relations),
        content_hash=graph.article.content_hash,
    )


class BuildInterrupted(KGError):
    """The build was interrupted (Ctrl-C); what was written is whole. Exit code 130."""

    exit_code = 130


@dataclass(frozen=True)
class Failure:
    """One input that could not be built: file, line (JSONL) and reason."""

    file: str | None
    line: int | None
    reason: str

    @classmethod
    def of(cls, error: InputError) -> Failure:
        return cls(error.source, error.line, error.message)

    def __str__(self) -> str:
        where = self.file or "<input>"
        return f"{where}:{self.line}: {self.reason}" if self.line else f"{where}: {self.reason}"

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "reason": self.reason}


@dataclass
class BuildReport:
    """What a build did; ``to_json`` is DIR/report.json, ``summary`` the closing message."""

    out: Path
    articles: int = 0
    skipped_unchanged: int = 0
    pruned: int = 0
    entities: set[str] = field(default_factory=set)
    by_type: Counter[str] = field(default_factory=Counter)
    by_status: Counter[str] = field(default_factory=Counter)
    failures: list[Failure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    store_articles: int = 0
    stopped_early: bool = False
    interrupted: bool = False
    outputs: dict[str, str] = field(default_factory=dict)
    #: the whole graph's figures once the build is written (what summary and report.json show)
    graph: GraphCounts | None = None

    @property
    def relations(self) -> int:
        """Relations in the graph (once counted), else those built in this run."""
        return self.graph.relations if self.graph else sum(self.by_type.values())

    def counts(self) -> GraphCounts:
        """The graph's figures; before the graph is counted, those of the articles built."""
        if self.graph is not None:
            return self.graph
        return GraphCounts(
            entities=len(self.entities),
            relations=sum(self.by_type.values()),
            by_type=dict(sorted(self.by_type.items())),
            by_status={s: self.by_status.get(s, 0) for s in STATUSES},
        )

    @property
    def exit_code(self) -> int:
        """0 when every input was built (or unchanged), 1 when any failed."""
        return 1 if self.failures else 0

    def add(self, graph: ArticleGraph | BuiltArticle) -> None:
        self.articles += 1
        if isinstance(graph, BuiltArticle):
            self.entities.update(graph.entities)
            self.by_type.update(graph.relation_types)
            self.by_status.update(graph.statuses)
            return
        self.entities.update(e.id for e in graph.entities)
        for rel in graph.relations:
            self.by_type[rel.type] += 1
            self.by_status[rel.status] += 1

    def to_json(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "skipped_unchanged": self.skipped_unchanged,
            "pruned": self.pruned,
            "failed": len(self.failures),
            "store_articles": self.store_articles,
            **self.counts().to_json(),
            "failures": [f.to_json() for f in self.failures],
            "warnings": self.warnings,
            "stopped_early": self.stopped_early,
            "interrupted": self.interrupted,
            "outputs": self.outputs,
        }

    def summary(self) -> str:
        """A few lines for the terminal: what this run did, the graph's figures, the paths."""
        counts = self.counts()
        lines = [
            f"Built {self.articles} article(s) into {self.out}"
            + (f"; {self.skipped_unchanged} unchanged, skipped" if self.skipped_unchanged else "")
            + (f"; {self.pruned} pruned (input gone)" if self.pruned else "")
            + (f"; {len(self.failures)} failed" if self.failures else "")
            + (" (stopped at the first failure: --strict)" if self.stopped_early else ""),
            f"  totals:    {counts.relations} relation(s), {counts.entities} "
            f"entit{'y' if counts.entities == 1 else 'ies'} (with a relation), "
            f"{self.store_articles} article(s)",
        ]
        if counts.relations:
            parts = ", ".join(
                f"{counts.by_status[s]} {s}" for s in STATUSES if counts.by_status.get(s)
            )
            lines.append(f"  status:    {parts}")
        for name, rel_path in self.outputs.items():
            lines.append(f"  {name + ':':10} {self.out / rel_path}")
        return "\n".join(lines)


# -- relations.jsonl: one group of lines per document, sorted by document ---------------------


def _read_groups(path: Path) -> dict[str, list[str]]:
    """The previous relations.jsonl as doc -> lines (unreadable lines are dropped)."""
    groups: dict[str, list[str]] = {}
    if not path.is_file():
        return groups
    with open(path, encoding="utf-8", errors="replace") as fh:
        for raw in fh:
            line = raw.rstrip("\n")
            try:
                doc = json.loads(line).get("doc")
            except (json.JSONDecodeError, AttributeError):
                continue
            if isinstance(doc, str):
                groups.setdefault(doc, []).append(line)
    return groups


def _group_hash(lines: list[str]) -> str | None:
    """The content hash on a group's article record (None when there is none)."""
    for line in lines:
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(obj, dict) and obj.get("record") == "article":
            value = obj.get("content_hash")
            return value if isinstance(value, str) else None
    return None


def _write_atomic(path: Path, chunks: Iterable[str]) -> None:
    from kg.safefile import atomic_file

    with atomic_file(path, "w", encoding="utf-8", newline="\n") as fh:
        for chunk in chunks:
            fh.write(chunk)


# -- the build ---------------------------------------------------------------------------------

ProgressHook = Callable[[str], None]


def _progress(
    enabled: bool | None, inputs: Sequence[str | Path] = ()
) -> tuple[ProgressHook, Callable[[], None]]:
    """A rich progress bar with the number of articles to build, on a terminal (standard
    error), else a no-op (see :mod:`kg.progress`)."""
    from kg import progress as bar

    total = bar.count_articles(inputs) if bar.shown(enabled) else None
    return bar.start("building", total, enabled)


def check_inputs(inputs: Sequence[str | Path]) -> None:
    """A :class:`UsageError` (exit 2) when no input is given or none of them exists, before
    anything is created; a missing input among others is that input's failure only."""
    if not inputs:
        raise UsageError("no input given: name files, directories or - (standard input)")
    missing = [str(i) for i in inputs if str(i) != "-" and not os.path.lexists(i)]
    if len(missing) == len(inputs):
        raise UsageError(f"no such file or directory: {', '.join(missing)}")


def build(
    inputs: Sequence[str | Path],
    out: str | Path,
    *,
    model: str | None = None,
    base: str = iris.DEFAULT_BASE,
    workers: int = 1,
    strict: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_line: int = DEFAULT_MAX_LINE,
    progress: bool | None = None,
    view: bool = True,
    prune: bool = False,
    client: Any = None,
    scheduler: str | None = None,
) -> BuildReport:
    """Build the graph of ``inputs`` into ``out`` (store, graph.nq, relations.jsonl, report.json,
    graph.html) and return the report; failed inputs are in the report, not raised.

    ``strict`` stops at the first failed input. ``progress`` None = a bar only on a terminal.
    ``prune`` drops the store's articles that no input gave this time (their files are gone).
    ``client`` (a ``dask.distributed.Client``) or ``scheduler`` (``tcp://HOST:8786``) extracts
    on a Dask cluster instead of ``workers`` local processes; the output is the same.
    """
    iris.check_base(base)
    check_inputs(inputs)
    if workers < 1:
        raise UsageError(f"--workers must be at least 1, not {workers}")
    from kg.safefile import check_out_dir

    out_dir = check_out_dir(Path(out))
    with ExitStack() as stack:
        if client is None and scheduler is not None:
            from kg.cluster import connect

            client = stack.enter_context(connect(scheduler))
        out_dir.mkdir(parents=True, exist_ok=True)
        return _build(
            inputs, out_dir, model=model, base=base, workers=workers, strict=strict,
            max_bytes=max_bytes, max_line=max_line, progress=progress, view=view, prune=prune,
            client=client,
        )


def _build(
    inputs: Sequence[str | Path],
    out_dir: Path,
    *,
    model: str | None,
    base: str,
    workers: int,
    strict: bool,
    max_bytes: int,
    max_line: int,
    progress: bool | None,
    view: bool,
    prune: bool,
    client: Any,
) -> BuildReport:
    from kg.extraction.pipeline import extract_mapped
    from kg.store import open_store

    report = BuildReport(out=out_dir)

    def on_warning(w: ReadWarning) -> None:
        report.warnings.append(str(w))

    new_groups: dict[str, list[str]] = {}
    seen_docs: dict[str, str] = {}
    seen_slugs: dict[str, tuple[str, str]] = {}
    old_groups = _read_groups(out_dir / RELATIONS_NAME)
    # Done = the same content in the store and in relations.jsonl (a killed build may have
    # written the store but not the records).
    recorded = {doc: _group_hash(lines) for doc, lines in old_groups.items()}
    step, stop = _progress(progress, inputs)
    with open_store(out_dir) as store:
        known = {d: h for d, h in store.articles().items() if h and recorded.get(d) == h}

        def todo() -> Iterator[Article | InputError]:
            for item in read_inputs(
                inputs,
                max_bytes=max_bytes,
                max_line=max_line,
                on_warning=on_warning,
                skip=own_outputs(out_dir, inputs),
            ):
                if isinstance(item, Article):
                    where = item.path or item.doc
                    clash = slug_clash(item.doc, where, seen_slugs, base)
                    if clash is not None:
                        yield InputError(clash, where)
                        continue
                    repeated = item.doc in seen_docs
                    if repeated:
                        report.warnings.append(
                            f"{where}: document id {item.doc!r} also used by "
                            f"{seen_docs[item.doc]}; the later one replaces the earlier"
                        )
                    seen_docs[item.doc] = where
                    # A repeated id is always rebuilt: the later one must win, whatever the
                    # store held (else rebuilds flip between the two).
                    if (
                        not repeated
                        and item.content_hash
                        and known.get(item.doc) == item.content_hash
                    ):
                        report.skipped_unchanged += 1
                        step(item.doc)
                        continue
                yield item

        pending: list[BuiltArticle] = []

        def write_pending() -> None:
            # An article counts (report, relations.jsonl) once the store holds it.
            store.write_graphs([(b.graph, b.ntriples) for b in pending])
            for b in pending:
                new_groups[b.doc] = list(b.lines)
                report.add(b)
            pending.clear()

        finish = partial(built_article, base=base)
        try:
            for result in extract_mapped(
                todo(), finish, model=model, base=base, workers=workers, client=client
            ):
                if isinstance(result, InputError):
                    report.failures.append(Failure.of(result))
                    step(result.source or "")
                    if strict:
                        report.stopped_early = True
                        break
                    continue
                pending.append(result)
                if len(pending) >= WRITE_BATCH:
                    write_pending()
                step(result.doc)
            write_pending()
        except KeyboardInterrupt:
            report.interrupted = True
            # Ctrl-C may land after the store took a batch but before it was counted
            held = store.articles()
            for b in pending:
                if b.doc in held and held[b.doc] == b.content_hash and b.doc not in new_groups:
                    new_groups[b.doc] = list(b.lines)
                    report.add(b)
        finally:
            stop()
        if report.interrupted:
            # the figures are the whole graph's, counted one way (kg.view.project.GraphCounts)
            report.graph = count_graph(store)
            # The store holds whole articles only; the other outputs are left as they were
            # and the next run of the same command completes them.
            report.store_articles = len(store.articles())
            report.outputs = {"store": "store"}
        else:
            if prune:
                _prune(store, report, seen_docs, base)
            present = set(store.articles())
            report.store_articles = len(present)
            store.export_nquads(out_dir / NQUADS_NAME, incremental=True)
            groups = {
                d: g for d, g in old_groups.items() if d in present and d not in new_groups
            }
            groups.update(new_groups)
            _write_atomic(
                out_dir / RELATIONS_NAME,
                (line + "\n" for doc in sorted(groups) for line in groups[doc]),
            )
            report.outputs = {"store": "store", "graph": NQUADS_NAME, "relations": RELATIONS_NAME}
            # the figures are the whole graph's, counted one way (kg.view.project.GraphCounts);
            # the view reads the sentences too, so it is read once for both
            if view:
                projection = load_projection(store)
                report.graph = graph_counts(projection)
            else:
                report.graph = count_graph(store)
            if view and _write_view(out_dir, projection, report):
                report.outputs["view"] = VIEW_NAME
    if report.interrupted:
        report.outputs["report"] = REPORT_NAME
        _write_atomic(
            out_dir / REPORT_NAME,
            [json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n"],
        )
        raise BuildInterrupted(
            f"interrupted: {report.articles} article(s) written to {out_dir / 'store'} this run, "
            "each whole; run the same command again to finish the build"
        )
    report.outputs["report"] = REPORT_NAME
    _write_atomic(
        out_dir / REPORT_NAME,
        [json.dumps(report.to_json(), ensure_ascii=False, indent=2, sort_keys=False) + "\n"],
    )
    return report


def own_outputs(out_dir: Path, inputs: Sequence[str | Path]) -> frozenset[str]:
    """Real paths a directory walk must leave out: the build's own outputs, and the whole
    output directory when it lies inside an input directory (else every rebuild would read
    relations.jsonl and graph.html as articles and the graph would grow)."""
    real = os.path.realpath(out_dir)
    names = (RELATIONS_NAME, REPORT_NAME, NQUADS_NAME, VIEW_NAME, "store")
    skip = {os.path.join(real, name) for name in names}
    if not any(os.path.realpath(p) == real for p in inputs if str(p) != "-"):
        skip.add(real)
    return frozenset(skip)


def slug_clash(
    doc: str, where: str, seen: dict[str, tuple[str, str]], base: str
) -> str | None:
    """Why ``doc`` cannot go in when an earlier, different id has the same IRI slug (they
    differ only in case, spaces or punctuation), else None; records ``doc`` in ``seen``.

    Two such ids would share one article graph and overwrite each other, so the first one
    read wins and the later one is a failure naming both inputs.
    """
    key = iris.slug(doc)
    first = seen.setdefault(key, (doc, where))
    if first[0] == doc:
        return None
    return (
        f"document id {doc!r} and {first[0]!r} (from {first[1]}) name the same article graph "
        f"<{iris.graph_iri(doc, base)}>: ids that differ only in case, spaces or punctuation "
        "are one article; rename one of them"
    )


def _prune(store: Any, report: BuildReport, seen: dict[str, str], base: str) -> None:
    """Remove articles no input named in this build. A failed input may hide which documents
    it holds (a bad JSONL line or file), so then nothing is pruned; a failed text/HTML file
    keeps the document named after it."""
    hidden = [
        f for f in report.failures if f.line is not None or (f.file or "").endswith(".jsonl")
    ]
    if report.stopped_early or hidden:
        report.warnings.append(
            "--prune skipped: some inputs failed, so which articles are gone is not known"
        )
        return
    kept = {Path(f.file).stem for f in report.failures if f.file}
    for doc in store.articles():
        if doc not in seen and doc not in kept:
            store.remove_article(doc, base)
            report.pruned += 1


def _write_view(out_dir: Path, projection: Projection, report: BuildReport) -> bool:
    """DIR/graph.html through kg.view; a warning if it fails."""
    from kg.view import write_view

    try:
        write_view(out_dir, out_dir / VIEW_NAME, projection=projection)
    except Exception as exc:  # the graph is built; a broken view must not lose it
        report.warnings.append(f"{out_dir / VIEW_NAME}: view not written ({exc})")
        return False
    return True


__all__ = [
    "STATUSES",
    "BuildInterrupted",
    "BuildReport",
    "BuiltArticle",
    "Failure",
    "build",
    "built_article",
    "check_inputs",
    "graph_lines",
    "own_outputs",
    "slug_clash",
]
