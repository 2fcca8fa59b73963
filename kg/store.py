"""The embedded graph store: an on-disk Oxigraph store in ``DIR/store``.

Each article lives in its own named graph, and writing an article replaces that graph in one
SPARQL update (one transaction: readers see the old graph or the new one, never a mix).
``export_nquads`` writes ``DIR/graph.nq`` with sorted lines, so the same store content always
gives byte-identical output.

Readers and writers of one store in different processes exclude each other. A writer holds
RocksDB's ``store/LOCK`` (a POSIX write lock); Oxigraph documents a read-only open while another
process writes as undefined behaviour, so a reader takes a *shared* POSIX lock on the same file:
it is refused with a clear message while a writer runs, and a writer that starts while readers
hold the store is refused by RocksDB itself. Readers never block each other.
"""

from __future__ import annotations

import errno
import fcntl
import heapq
import os
import threading
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack
from itertools import islice
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

import pyoxigraph as ox

from kg import iris
from kg.errors import QuerySyntaxError, StoreError
from kg.model import ArticleGraph
from kg.rdf.terms import DCTERMS
from kg.rdf.to_rdf import article_quads
from kg.safefile import new_temp, nofollow

STORE_DIRNAME = "store"
NQUADS_NAME = "graph.nq"

QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples

#: Quads written between two flushes: Oxigraph keeps writes in RocksDB memtables until a flush,
#: so a long build grew without bound (+500 MiB per 600k quads); flushing now and then keeps it
#: flat and is faster too (bench/bench_build.py, BENCHMARKS.md).
FLUSH_EVERY = 50_000
#: Quads written in one session after which closing the store compacts it: each flush leaves
#: a RocksDB file, and a store of many files answers queries 2-3x slower than a compacted one
#: (BENCHMARKS.md). Compacting 1M quads takes about 3-4 s, so small incremental rebuilds skip it.
OPTIMIZE_AFTER = 100_000
#: Quads sorted in memory at a time when exporting; longer exports merge sorted runs on disk.
EXPORT_RUN = 250_000
#: Bytes of whole lines an incremental export copies at a time when no change falls in them.
_BLOCK = 1 << 16


def _triples(quads: set[ox.Quad]) -> str:
    """N-Triples lines of quads (pyoxigraph terms print in their escaped N-Triples form)."""
    return "\n".join(sorted(f"{q.subject} {q.predicate} {q.object} ." for q in quads))


class GraphStore:
    """A thin, typed wrapper around one pyoxigraph store (use :func:`open_store`)."""

    def __init__(self, store: ox.Store, path: Path, *, read_only: bool) -> None:
        self._store: ox.Store | None = store
        self.path = path
        self.read_only = read_only
        self._unflushed = 0
        self._written = 0  # quads written since the store was opened
        self.compacted = False  # whether close() compacted the store
        self._touched: set[str] = set()  # graphs written or removed since the last export

    # -- lifecycle -------------------------------------------------------------------------
    @property
    def store(self) -> ox.Store:
        """The underlying pyoxigraph store (for the RDF, query and serve layers)."""
        if self._store is None:
            raise StoreError(f"store {self.path} is closed")
        return self._store

    def close(self, *, compact: bool = True) -> None:
        """Flush (when writable), compact after a large write, release the store and its lock.

        ``compact=False`` skips the compaction (on an error or an interrupt, where exiting
        fast matters more than the next query's speed).
        """
        if self._store is not None:
            if self.read_only:
                _release_read_lock(self.path)
            else:
                try:
                    self._store.flush()
                    if compact and self._written >= OPTIMIZE_AFTER:
                        self._store.optimize()
                        self.compacted = True
                finally:
                    _WRITERS.discard(_key(self.path))
        self._store = None

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close(compact=exc_type is None)

    def _writable(self) -> ox.Store:
        if self.read_only:
            raise StoreError(f"store {self.path} is open read-only")
        return self.store

    # -- writing ---------------------------------------------------------------------------
    def replace_article(self, graph: ArticleGraph, base: str = iris.DEFAULT_BASE) -> int:
        """Drop the article's named graph and write its new quads atomically; returns a count."""
        quads = article_quads(graph, base)
        g = iris.graph_iri(graph.article.doc, base)
        self.replace_graph(g, quads)
        return len(quads)

    def replace_graph(self, graph_iri: str, quads: list[ox.Quad]) -> None:
        """Replace the named graph ``graph_iri`` by ``quads`` in one transaction."""
        store = self._writable()
        if self._unflushed >= FLUSH_EVERY:
            store.flush()
            self._unflushed = 0
        g = ox.NamedNode(graph_iri)
        new = {ox.Quad(q.subject, q.predicate, q.object, g) for q in quads}
        self._unflushed += len(new)
        self._written += len(new)
        self._touched.add(str(g))
        old = set(store.quads_for_pattern(None, None, None, g))
        try:
            if not old:
                store.extend(sorted(new, key=str))  # one transaction
                return
            # Only the difference is written (an unchanged article costs a read), and both
            # halves go in one update request, which Oxigraph applies as one transaction.
            remove, add = old - new, new - old
            if not remove and not add:
                return
            parts = []
            if remove:
                parts.append(f"DELETE DATA {{ GRAPH {g} {{\n{_triples(remove)}\n}} }}")
            if add:
                parts.append(f"INSERT DATA {{ GRAPH {g} {{\n{_triples(add)}\n}} }}")
            store.update(" ;\n".join(parts))
        except (OSError, SyntaxError, ValueError) as exc:
            raise StoreError(f"could not write graph {graph_iri} to {self.path}: {exc}") from exc

    def write_graphs(self, graphs: Sequence[tuple[str, bytes]]) -> int:
        """Replace named graphs, each given as N-Triples (``graph IRI, bytes`` as
        :func:`kg.rdf.to_rdf.article_ntriples` makes them); returns the number of triples.

        Graphs the store does not hold yet (in a first build, all of them) are loaded together
        in one transaction straight from the bytes: a crash leaves all of them or none, and no
        Python object is made per quad. A graph already in the store goes through
        :meth:`replace_graph` (only the difference is written). A graph named twice: the later
        bytes win. Every quad lands in its own graph: the graph term is appended to each line,
        so a line that already carries one is a syntax error, not a write elsewhere.
        """
        store = self._writable()
        fresh: list[bytes] = []
        count = new = 0
        for graph_iri, data in dict(graphs).items():
            lines = data.count(b"\n")
            if data and (not data.endswith(b" .\n") or data.count(b" .\n") != lines):
                raise StoreError(
                    f"could not write graph {graph_iri} to {self.path}: not N-Triples lines"
                )
            g = ox.NamedNode(graph_iri)
            count += lines
            if store.contains_named_graph(g):
                triples = ox.parse(data, format=ox.RdfFormat.N_TRIPLES)
                self.replace_graph(
                    graph_iri, [ox.Quad(t.subject, t.predicate, t.object, g) for t in triples]
                )
                continue
            fresh.append(data.replace(b" .\n", b" " + str(g).encode() + b" .\n"))
            self._touched.add(str(g))
            new += lines
        if fresh:
            if self._unflushed >= FLUSH_EVERY:
                store.flush()
                self._unflushed = 0
            try:
                store.load(b"".join(fresh), format=ox.RdfFormat.N_QUADS)  # one transaction
            except (OSError, SyntaxError, ValueError) as exc:
                raise StoreError(
                    f"could not write {len(fresh)} graph(s) to {self.path}: {exc}"
                ) from exc
            self._unflushed += new
            self._written += new
        return count

    def remove_article(self, doc: str, base: str = iris.DEFAULT_BASE) -> None:
        """Remove everything one article stated (its named graph)."""
        g = ox.NamedNode(iris.graph_iri(doc, base))
        self._writable().update(f"DROP SILENT GRAPH {g}")
        self._touched.add(str(g))

    # -- reading ---------------------------------------------------------------------------
    def articles(self) -> dict[str, str | None]:
        """Document id -> content hash (None when unknown) of every article in the store."""
        rows = self.query(
            "SELECT ?doc ?hash WHERE { GRAPH ?g { ?a a <http://schema.org/NewsArticle> ; "
            f"<{DCTERMS}identifier> ?doc . "
            "OPTIONAL { ?a <https://w3id.org/newskg/ontology#contentHash> ?hash } } }",
            use_default_graph_as_union=False,
        )
        out: dict[str, str | None] = {}
        assert isinstance(rows, ox.QuerySolutions)
        for row in rows:
            doc, h = row["doc"], row["hash"]
            out[str(doc.value)] = None if h is None else str(h.value)
        return dict(sorted(out.items()))

    def query(self, sparql: str, *, use_default_graph_as_union: bool = True) -> QueryResult:
        """Run a SPARQL query (over the union of all article graphs by default)."""
        try:
            return self.store.query(sparql, use_default_graph_as_union=use_default_graph_as_union)
        except SyntaxError as exc:
            raise QuerySyntaxError(f"SPARQL syntax error: {exc}") from exc
        except OSError as exc:
            raise StoreError(f"query on {self.path} failed: {exc}") from exc

    def quads(self) -> list[ox.Quad]:
        """Every quad of the store (all named graphs and the default graph)."""
        return list(self.store.quads_for_pattern(None, None, None, None))

    def quad_count(self) -> int:
        return len(self.store)

    def nquads(self) -> bytes:
        """The whole store as N-Quads with sorted lines (byte-stable for the same content)."""
        data = ox.serialize(self.store, format=ox.RdfFormat.N_QUADS)
        assert data is not None
        lines = sorted(set(data.splitlines()))
        return b"".join(line + b"\n" for line in lines if line)

    def export_nquads(self, path: Path, *, incremental: bool = False) -> int:
        """Write the store to ``path`` as N-Quads with sorted lines, atomically (temp file +
        rename); returns the number of lines. The bytes are those of :meth:`nquads`.

        Memory stays bounded: quads are sorted in runs of :data:`EXPORT_RUN` and merged. With
        ``incremental``, an existing ``path`` is taken as the export of the store as it was
        before this object's writes: only the lines of the graphs written or removed since are
        replaced (and of graphs no longer in the store), so a rebuild that changed one article
        reads one graph, not the whole store.
        """
        path.parent.mkdir(parents=True, exist_ok=True)
        if incremental and path.is_file() and not self._has_default_graph():
            total = len(self.store)
            if not self._touched and _count_lines(path) == total:
                return total  # nothing written since: the file is the export already
        tmp = new_temp(path)
        try:
            count = -1
            if incremental and path.is_file() and not self._has_default_graph():
                count = self._export_changed(path, tmp)
                if count != len(self.store):  # the old file was not this store's export
                    count = -1
            if count < 0:
                count = self._export_all(path, tmp)
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)  # a full disk leaves no temporary file behind
            raise
        self._touched.clear()
        return count

    def _has_default_graph(self) -> bool:
        quads = self.store.quads_for_pattern(None, None, None, ox.DefaultGraph())
        return next(iter(quads), None) is not None

    def _export_all(self, path: Path, tmp: Path) -> int:
        quads = iter(self.store.quads_for_pattern(None, None, None, None))
        runs: list[Path] = []
        try:
            while chunk := list(islice(quads, EXPORT_RUN)):
                lines = _sorted_lines(chunk)
                if not runs and len(chunk) < EXPORT_RUN:  # small store: one run, in memory
                    return _write_lines(tmp, iter(lines))
                run = new_temp(path, suffix=f".run{len(runs)}")
                runs.append(run)
                _write_lines(run, iter(lines))
            with ExitStack() as stack:
                files = [stack.enter_context(open(r, "rb")) for r in runs]
                return _write_lines(tmp, (line.rstrip(b"\n") for line in heapq.merge(*files)))
        finally:
            for run in runs:
                run.unlink(missing_ok=True)

    def _export_changed(self, path: Path, tmp: Path) -> int:
        """Copy ``path`` to ``tmp`` without the lines of touched graphs, merging in their
        current lines. Blocks of the old file that hold no touched graph and that no new line
        falls into are copied as they are; the rest is merged line by line."""
        touched = {g.encode() for g in self._touched}
        present = {str(g) for g in self.store.named_graphs()}
        new: list[bytes] = []
        for g in sorted(self._touched & present):
            node = ox.NamedNode(g[1:-1])
            new.extend(_sorted_lines(self.store.quads_for_pattern(None, None, None, node)))
        new.sort()
        ends = [b" " + g + b" .\n" for g in sorted(touched)] if len(touched) <= 64 else None
        i = count = 0
        with open(path, "rb") as old, open(tmp, "wb", opener=nofollow) as out:
            for block in _line_blocks(old):
                first = block[: block.index(b"\n")]
                while i < len(new) and new[i] < first:
                    out.write(new[i] + b"\n")
                    i, count = i + 1, count + 1
                last = block[block.rfind(b"\n", 0, len(block) - 1) + 1 : -1]
                j = bisect_right(new, last, lo=i)
                if j == i and ends is not None and not any(e in block for e in ends):
                    out.write(block)
                    count += block.count(b"\n")
                    continue
                kept = [x for x in block.split(b"\n")[:-1] if _graph_of(x) not in touched]
                for line in heapq.merge(kept, new[i:j]):
                    out.write(line + b"\n")
                    count += 1
                i = j
            for line in new[i:]:
                out.write(line + b"\n")
                count += 1
        return count


def _line_blocks(fh: BinaryIO) -> Iterator[bytes]:
    """The file in chunks of about :data:`_BLOCK` bytes, each made of whole lines."""
    rest = b""
    while data := fh.read(_BLOCK):
        data = rest + data
        cut = data.rfind(b"\n") + 1
        rest = data[cut:]
        if cut:
            yield data[:cut]
    if rest:
        yield rest + b"\n"


def _count_lines(path: Path) -> int:
    with open(path, "rb") as fh:
        return sum(block.count(b"\n") for block in iter(lambda: fh.read(1 << 20), b""))


def _graph_of(line: bytes) -> bytes:
    """The graph term of an N-Quads line ``S P O G .`` without its newline (terms other than
    literals hold no space, and the graph term is never a literal)."""
    body = line[:-2]
    return body[body.rfind(b" ") + 1 :]


def _sorted_lines(quads: Iterable[ox.Quad]) -> list[bytes]:
    data = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    return sorted(data.splitlines()) if data else []


def _write_lines(path: Path, lines: Iterator[bytes]) -> int:
    """Write lines (sorted; duplicates and empty lines dropped), each ended by a newline."""
    count = 0
    last = None
    with open(path, "wb", opener=nofollow) as fh:
        for line in lines:
            if line and line != last:
                fh.write(line + b"\n")
                count += 1
                last = line
    return count


# -- reader / writer exclusion between processes ------------------------------------------------
# POSIX record locks belong to the process and are all dropped when *any* descriptor of the file
# is closed, so each process keeps one descriptor per store, counted by the readers using it.

_LOCK_GUARD = threading.Lock()
_READ_LOCKS: dict[str, tuple[int, int]] = {}  # real store path -> (fd, number of readers)
_WRITERS: set[str] = set()  # stores this process has open for writing


def _key(path: Path) -> str:
    return os.path.realpath(path)


def _being_written(path: Path) -> StoreError:
    return StoreError(
        f"the store {path} is being written by another process (a running `kg build` or "
        "`kg import`); try again when it has finished"
    )


def _acquire_read_lock(path: Path) -> None:
    """Take (or share) this process's shared lock on ``path/LOCK``; StoreError if a writer runs."""
    key = _key(path)
    with _LOCK_GUARD:
        if key in _WRITERS:
            return  # this process writes the store: reading it in-process is safe
        held = _READ_LOCKS.get(key)
        if held is not None:
            _READ_LOCKS[key] = (held[0], held[1] + 1)
            return
        try:
            fd = os.open(path / "LOCK", os.O_RDONLY | os.O_CLOEXEC)
        except OSError as exc:
            raise StoreError(f"cannot open the store {path} read-only: {exc}") from exc
        try:
            fcntl.lockf(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                raise _being_written(path) from None
            raise StoreError(f"cannot lock the store {path} for reading: {exc}") from exc
        _READ_LOCKS[key] = (fd, 1)


def _release_read_lock(path: Path) -> None:
    key = _key(path)
    with _LOCK_GUARD:
        held = _READ_LOCKS.get(key)
        if held is None:
            return
        if held[1] > 1:
            _READ_LOCKS[key] = (held[0], held[1] - 1)
            return
        del _READ_LOCKS[key]
        os.close(held[0])  # drops the lock


def store_path(out_dir: Path) -> Path:
    """Where the store of an output directory lives."""
    return Path(out_dir) / STORE_DIRNAME


def open_store(out_dir: Path, *, read_only: bool = False) -> GraphStore:
    """Open (creating when writable) the store in ``out_dir/store``.

    Raises :class:`StoreError` with what to do when it is missing or held by another writer.
    A read-only store holds a shared lock until :meth:`GraphStore.close` (or process exit):
    while it is open, no other process can start writing the store.
    """
    path = store_path(out_dir)
    if read_only:
        if not (path / "CURRENT").is_file():
            raise StoreError(
                f"no graph store in {out_dir} (expected {path}); "
                "run `kg build` or `kg import` with --out there first"
            )
        _acquire_read_lock(path)
        try:
            return GraphStore(ox.Store.read_only(str(path)), path, read_only=True)
        except OSError as exc:
            _release_read_lock(path)
            raise StoreError(f"cannot open the store {path} read-only: {exc}") from exc
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create the store directory {path}: {exc}") from exc
    try:
        store = GraphStore(ox.Store(str(path)), path, read_only=False)
    except OSError as exc:
        if "lock" in str(exc).lower():
            raise StoreError(
                f"the store {path} is locked by another process (a running `kg build`, "
                "`kg import`, `kg serve` or `kg query`); try again when it has finished"
            ) from None
        raise StoreError(f"cannot open the store {path}: {exc}") from exc
    with _LOCK_GUARD:
        _WRITERS.add(_key(path))
    return store


def memory_store(graphs: Iterable[ArticleGraph], base: str = iris.DEFAULT_BASE) -> ox.Store:
    """An in-memory store holding each article graph in its named graph (``kg.extract``)."""
    store = ox.Store()
    for graph in graphs:
        store.extend(article_quads(graph, base))
    return store


__all__ = [
    "NQUADS_NAME",
    "STORE_DIRNAME",
    "GraphStore",
    "QueryResult",
    "memory_store",
    "open_store",
    "store_path",
]
