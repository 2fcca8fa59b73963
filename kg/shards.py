"""Shards for very large builds: ``kg extract --shards DIR`` and ``kg load DIR --out OUT``.

Extraction (local processes or a Dask cluster) writes the graph in shards instead of a store:
``part-NNNNN.nq`` holds the sorted N-Quads of up to ``shard_size`` articles (each article in its
own named graph, as in a build) and ``part-NNNNN.jsonl`` their records (grouped and sorted by
document, as in relations.jsonl); ``manifest.json`` lists the shards and the report. Articles go
to shards in input order, so the same inputs give byte-identical shards, whatever the number of
workers. The files are plain N-Quads: QLever's and Jena's (Fuseki's) loaders read them as they
are (docs/SCALE.md).

``kg load`` bulk-loads the shards into a new Oxigraph store with pyoxigraph's bulk loader (no
transactions, files written straight to disk) and writes graph.nq (a merge of the sorted
shards) and relations.jsonl (the records merged by document): the same bytes a ``kg build`` of
the same inputs writes.
"""

from __future__ import annotations

import heapq
import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from kg import iris
from kg.builder import (
    NQUADS_NAME,
    RELATIONS_NAME,
    REPORT_NAME,
    BuildReport,
    BuiltArticle,
    Failure,
    built_article,
)
from kg.errors import InputError, KGError, StoreError, UsageError
from kg.extraction.read import DEFAULT_MAX_BYTES, DEFAULT_MAX_LINE, ReadWarning, read_inputs
from kg.view.project import graph_counts, load_projection

MANIFEST_NAME = "manifest.json"
MANIFEST_FORMAT = "newskg-shards/1"
SHARD_PREFIX = "part-"
#: Articles per shard: a shard is sorted in memory (about 10 MB of N-Quads per 1,000 articles).
DEFAULT_SHARD_SIZE = 2000


@dataclass(frozen=True)
class Shard:
    """One shard as the manifest lists it."""

    quads: str
    records: str
    articles: int
    lines: int

    def to_json(self) -> dict[str, Any]:
        return {"quads": self.quads, "records": self.records, "articles": self.articles,
                "lines": self.lines}


@dataclass
class ShardReport:
    """What ``kg extract --shards`` wrote: the shards and the build report of their articles."""

    out: Path
    shards: list[Shard] = field(default_factory=list)
    report: BuildReport = field(default_factory=lambda: BuildReport(out=Path()))

    @property
    def exit_code(self) -> int:
        return self.report.exit_code

    def summary(self) -> str:
        r = self.report
        return (
            f"Extracted {r.articles} article(s) into {len(self.shards)} shard(s) in {self.out}: "
            f"{r.relations} relation(s), {len(r.entities)} entities"
            + (f"; {len(r.failures)} failed" if r.failures else "")
            + f"\n  load them: kg load {self.out} --out DIR"
        )


def _quad_lines(built: BuiltArticle) -> list[bytes]:
    """The article's N-Triples lines with its graph term, as the store writes them."""
    g = b" <" + built.graph.encode() + b"> .\n"
    return built.ntriples.replace(b" .\n", g).splitlines()


def _write_bytes(path: Path, lines: Iterable[bytes], *, distinct: bool = True) -> int:
    """Write lines atomically (with ``distinct``, a line equal to the one before is dropped:
    sorted input gives distinct lines); returns the number written."""
    tmp = path.with_name(path.name + ".tmp")
    count = 0
    last = None
    with open(tmp, "wb") as fh:
        for line in lines:
            if distinct and (not line or line == last):
                continue
            fh.write(line + b"\n")
            count += 1
            last = line
    os.replace(tmp, path)
    return count


def _write_shard(out: Path, index: int, batch: list[BuiltArticle]) -> Shard:
    name = f"{SHARD_PREFIX}{index:05d}"
    lines = sorted(line for b in batch for line in _quad_lines(b))
    count = _write_bytes(out / f"{name}.nq", lines)
    records = (
        line.encode() for b in sorted(batch, key=lambda b: b.doc) for line in b.lines
    )
    _write_bytes(out / f"{name}.jsonl", records, distinct=False)
    return Shard(f"{name}.nq", f"{name}.jsonl", len(batch), count)


def _clear(out: Path) -> None:
    """Remove the shards and manifest of an earlier run (only files named as we name them)."""
    for path in out.glob(f"{SHARD_PREFIX}*"):
        if path.suffix in (".nq", ".jsonl", ".tmp") and path.is_file():
            path.unlink()
    (out / MANIFEST_NAME).unlink(missing_ok=True)


def write_shards(
    inputs: Sequence[str | Path],
    out: str | Path,
    *,
    model: str | None = None,
    base: str = iris.DEFAULT_BASE,
    workers: int = 1,
    shard_size: int = DEFAULT_SHARD_SIZE,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_line: int = DEFAULT_MAX_LINE,
    client: Any = None,
    scheduler: str | None = None,
) -> ShardReport:
    """Extract ``inputs`` into N-Quads shards and records in ``out`` (see the module doc).

    A document id given twice keeps its first article (a shard already holds it) and the later
    one is a warning; ``kg build`` keeps the later one.
    """
    from kg.extraction.pipeline import extract_mapped

    iris.check_base(base)
    if not inputs:
        raise UsageError("no input given: name files, directories or - (standard input)")
    if shard_size < 1:
        raise UsageError(f"--shard-size must be at least 1, not {shard_size}")
    out_dir = Path(out)
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"--shards {out_dir} exists and is not a directory")
    out_dir.mkdir(parents=True, exist_ok=True)
    _clear(out_dir)
    result = ShardReport(out=out_dir, report=BuildReport(out=out_dir))
    report = result.report
    seen: dict[str, str] = {}

    def on_warning(w: ReadWarning) -> None:
        report.warnings.append(str(w))

    with ExitStack() as stack:
        if client is None and scheduler is not None:
            from kg.cluster import connect

            client = stack.enter_context(connect(scheduler))
        items = read_inputs(inputs, max_bytes=max_bytes, max_line=max_line, on_warning=on_warning)
        batch: list[BuiltArticle] = []
        finish = partial(built_article, base=base)
        for item in extract_mapped(
            items, finish, model=model, base=base, workers=workers, client=client
        ):
            if isinstance(item, InputError):
                report.failures.append(Failure.of(item))
                continue
            if item.doc in seen:
                report.warnings.append(
                    f"document id {item.doc!r} given again after {seen[item.doc]}; the first "
                    "is kept in the shards"
                )
                continue
            seen[item.doc] = item.doc
            report.add(item)
            batch.append(item)
            if len(batch) >= shard_size:
                result.shards.append(_write_shard(out_dir, len(result.shards), batch))
                batch = []
        if batch:
            result.shards.append(_write_shard(out_dir, len(result.shards), batch))
    manifest = {
        "format": MANIFEST_FORMAT,
        "base": base,
        "shards": [s.to_json() for s in result.shards],
        "report": report.to_json() | {"outputs": {}},
    }
    tmp = out_dir / (MANIFEST_NAME + ".tmp")
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, out_dir / MANIFEST_NAME)
    return result


# -- loading -----------------------------------------------------------------------------------


def read_manifest(shards_dir: Path) -> dict[str, Any]:
    """The manifest of a shard directory; UsageError naming what is wrong."""
    path = shards_dir / MANIFEST_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(
            f"{shards_dir} holds no {MANIFEST_NAME}: make shards with "
            f"`kg extract INPUT... --shards {shards_dir}`"
        ) from None
    except (OSError, json.JSONDecodeError) as exc:
        raise UsageError(f"{path}: cannot read the manifest ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
        raise UsageError(f"{path}: not a newskg shard manifest ({MANIFEST_FORMAT})")
    return data


def _groups(path: Path) -> Iterator[tuple[str, list[bytes]]]:
    """A shard's records as (doc, lines), in the order written (sorted by doc)."""
    doc: str | None = None
    lines: list[bytes] = []
    with open(path, "rb") as fh:
        for raw in fh:
            line = raw.rstrip(b"\n")
            this = json.loads(line)["doc"]
            if this != doc and lines:
                assert doc is not None
                yield doc, lines
                lines = []
            doc = this
            lines.append(line)
    if lines and doc is not None:
        yield doc, lines


#: Sorted files merged at once (each an open file); more are merged in passes through
#: temporary files next to the output, so any number of shards stays under the open-file limit.
MERGE_FAN_IN = 256


def _merge_quads(paths: Sequence[Path], target: Path) -> int:
    """Merge sorted N-Quads files into ``target`` (distinct lines); returns the line count."""
    with ExitStack() as stack:
        files = [stack.enter_context(open(p, "rb")) for p in paths]
        return _write_bytes(target, (line.rstrip(b"\n") for line in heapq.merge(*files)))


def _merge_records(paths: Sequence[Path], target: Path) -> int:
    """Merge record files (groups sorted by document) into ``target``; returns the lines."""
    groups = heapq.merge(*(_groups(p) for p in paths), key=lambda g: g[0])
    return _write_bytes(target, (line for _doc, lines in groups for line in lines), distinct=False)


def _merge_all(
    paths: list[Path], target: Path, merge: Callable[[Sequence[Path], Path], int]
) -> int:
    """``merge`` of every path into ``target``, in passes of :data:`MERGE_FAN_IN` files."""
    made: list[Path] = []
    try:
        level = 0
        while len(paths) > MERGE_FAN_IN:
            merged = []
            for i in range(0, len(paths), MERGE_FAN_IN):
                part = target.with_name(f".{target.name}.merge{level}-{i // MERGE_FAN_IN}")
                made.append(part)
                merge(paths[i : i + MERGE_FAN_IN], part)
                merged.append(part)
            paths, level = merged, level + 1
        return merge(paths, target)
    finally:
        for part in made:
            part.unlink(missing_ok=True)


@dataclass(frozen=True)
class LoadReport:
    """What ``kg load`` wrote."""

    out: Path
    shards: int
    quads: int
    articles: int
    outputs: dict[str, str]

    def summary(self) -> str:
        lines = [f"Loaded {self.shards} shard(s) into {self.out}: {self.articles} article(s), "
                 f"{self.quads} quads"]
        lines += [f"  {name + ':':10} {self.out / p}" for name, p in self.outputs.items()]
        return "\n".join(lines)


def load_shards(shards: str | Path, out: str | Path, *, view: bool = True) -> LoadReport:
    """Bulk-load the shards of ``shards`` into a new store in ``out``, with graph.nq,
    relations.jsonl and report.json (and graph.html unless ``view`` is False)."""
    import pyoxigraph as ox

    from kg.builder import VIEW_NAME, _write_atomic, _write_view
    from kg.store import open_store, store_path

    shards_dir, out_dir = Path(shards), Path(out)
    manifest = read_manifest(shards_dir)
    try:
        listed = [Shard(**s) for s in manifest["shards"]]
    except (TypeError, KeyError) as exc:
        raise UsageError(f"{shards_dir / MANIFEST_NAME}: bad shard list ({exc})") from None
    for shard in listed:
        for name in (shard.quads, shard.records):
            if Path(name).name != name or not (shards_dir / name).is_file():
                raise UsageError(f"{shards_dir}: shard file {name!r} is missing")
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"--out {out_dir} exists and is not a directory")
    if (store_path(out_dir) / "CURRENT").is_file():
        raise UsageError(
            f"{store_path(out_dir)} already exists: kg load makes a new store (bulk loads are "
            "not transactions); give a new --out, or add articles with kg build / kg import"
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    outputs = {"store": "store", "graph": NQUADS_NAME, "relations": RELATIONS_NAME}
    with open_store(out_dir) as store:
        for shard in listed:
            path = shards_dir / shard.quads
            try:
                store.store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
            except (OSError, SyntaxError, ValueError) as exc:
                raise StoreError(f"{path}: bulk load failed: {exc}") from exc
        store.store.flush()
        quads = len(store.store)
        written = _merge_all(
            [shards_dir / s.quads for s in listed], out_dir / NQUADS_NAME, _merge_quads
        )
        if written != quads:
            raise KGError(
                f"{out_dir / NQUADS_NAME}: {written} lines but the store holds {quads} quads "
                "(a shard was changed after it was written?)"
            )
        _merge_all(
            [shards_dir / s.records for s in listed], out_dir / RELATIONS_NAME, _merge_records
        )
        report = BuildReport(out=out_dir)
        # the whole graph's figures, counted as a build counts them (kg.view.project)
        projection = load_projection(store, evidence=view)
        if view and _write_view(out_dir, projection, report):
            outputs["view"] = VIEW_NAME
        counts = graph_counts(projection)
        articles = len(store.articles())
    outputs["report"] = REPORT_NAME
    data = dict(manifest["report"])
    data.update(counts.to_json())
    data.update(store_articles=articles, outputs=outputs)
    data["warnings"] = [*data.get("warnings", []), *report.warnings]
    _write_atomic(out_dir / REPORT_NAME, [json.dumps(data, ensure_ascii=False, indent=2) + "\n"])
    return LoadReport(out_dir, len(listed), quads, articles, outputs)


__all__ = [
    "DEFAULT_SHARD_SIZE",
    "MANIFEST_NAME",
    "LoadReport",
    "Shard",
    "ShardReport",
    "load_shards",
    "read_manifest",
    "write_shards",
]
