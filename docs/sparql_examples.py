"""Regenerate the example outputs of docs/SPARQL.md ("The analysts' queries").

The tables were once pasted by hand and went stale as the extractor improved; this script
builds the demo graph the way `make demo` does (through the real CLI), runs every
examples/queries/*.rq with `kg.query.query`, and rewrites the region between
``<!-- BEGIN name -->`` and ``<!-- END name -->`` markers with a markdown table. The
asserted-and-denied query is also run on the dev sentences' gold graph (records from
tests/helpers_sparql.py: dev_records, built with `kg import`).

    .venv/bin/python docs/sparql_examples.py            # rewrite docs/SPARQL.md
    .venv/bin/python docs/sparql_examples.py --check    # exit 1 with a diff when stale
    .venv/bin/python docs/sparql_examples.py --graph out/demo   # reuse a demo build
"""

from __future__ import annotations

import argparse
import difflib
import importlib
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "SPARQL.md"
QUERIES = ROOT / "examples" / "queries"
ARTICLES = ROOT / "examples" / "articles"
DEV_SENTENCES = ROOT / "examples" / "sentences.jsonl"
MAX_CELL = 60
DENIED_BY = "denied by "

Row = dict[str, str | None]


def sorted_items(value: str) -> str:
    """A GROUP_CONCAT cell with its ", "-separated items sorted (their order is arbitrary)."""
    return ", ".join(sorted(value.split(", ")))


def sorted_deniers(status: str) -> str:
    """A status whose trailing "denied by A, B" (a GROUP_CONCAT) lists the deniers sorted."""
    head, sep, deniers = status.rpartition(DENIED_BY)
    return head + sep + sorted_items(deniers) if sep else status


@dataclass(frozen=True)
class Example:
    """One generated table: which query, on which graph, which columns, how many rows."""

    marker: str
    query: str
    columns: tuple[str, ...]
    limit: int | None = None  # None: every row
    graph: str = "demo"  # or "dev": the dev sentences' gold graph
    params: Mapping[str, str] = field(default_factory=dict)
    # per-column normalisation of cells whose item order the query does not fix
    fix: Mapping[str, Callable[[str], str]] = field(default_factory=dict)


EXAMPLES: tuple[Example, ...] = (
    Example("met-or-called.rq", "met-or-called.rq",
            ("type", "subject", "object", "status", "date", "place", "article", "sentence"),
            12, fix={"status": sorted_deniers}),
    Example("disputed-claims.rq", "disputed-claims.rq",
            ("claimType", "subject", "object", "reportedBy", "deniedBy", "claimSentence",
             "denialSentence"), 2),
    Example("support-network.rq", "support-network.rq",
            ("supporter", "stance", "supported", "status", "date", "article"),
            12, fix={"status": sorted_deniers}),
    Example("entity-timeline.rq", "entity-timeline.rq",
            ("when", "whenFrom", "type", "role", "subject", "object", "status", "article"),
            12, params={"entity": "Teodora Lang"}, fix={"status": sorted_deniers}),
    Example("relation-sources.rq", "relation-sources.rq",
            ("type", "subject", "object", "polarity", "modality", "denied", "articles",
             "evidenceCount", "articleIds", "reportedBy"),
            8, fix={"articleIds": sorted_items, "reportedBy": sorted_items}),
    Example("asserted-and-denied.rq", "asserted-and-denied.rq",
            ("type", "subject", "object", "assertedIn", "deniedBy", "deniedIn")),
    Example("asserted-and-denied.rq on the dev gold", "asserted-and-denied.rq",
            ("type", "subject", "object", "assertedIn", "assertedSentence", "deniedBy",
             "deniedIn", "denialSentence"), graph="dev"),
    Example("top-entities.rq", "top-entities.rq",
            ("name", "relations", "articles", "asSubject", "asObject"), 12),
)


def cell(value: str | None) -> str:
    """A value as a table cell: one line, cut to ~60 characters, `|` escaped."""
    text = " ".join((value or "").split())
    if len(text) > MAX_CELL:
        text = text[:MAX_CELL].rstrip() + "…"
    return text.replace("|", "\\|")


def table(example: Example, rows: Sequence[Row]) -> str:
    """The markdown table of the first rows, in the query's order, and a row-count line."""
    shown = rows if example.limit is None else rows[: example.limit]
    lines = ["| " + " | ".join(example.columns) + " |",
             "|" + "---|" * len(example.columns)]
    for row in shown:
        values = []
        for col in example.columns:
            value = row[col]
            if value is not None and col in example.fix:
                value = example.fix[col](value)
            values.append(cell(value))
        lines.append("| " + " | ".join(values) + " |")
    count = f"{len(rows)} row{'' if len(rows) == 1 else 's'}"
    note = f"({count}; first {len(shown)} shown)" if len(shown) < len(rows) else f"({count})"
    return "\n".join(lines) + "\n\n" + note + "\n"


def run_example(graph: Path, example: Example) -> list[Row]:
    """The rows of one example query, as plain values, in its ORDER BY order."""
    from kg.query import SelectResult, query, read_query_file

    sparql = read_query_file(QUERIES / example.query)
    res = query(graph, sparql, params=dict(example.params) or None)
    if not isinstance(res, SelectResult):
        raise SystemExit(f"{example.query}: not a SELECT query")
    missing = set(example.columns) - set(res.variables)
    if missing:
        raise SystemExit(f"{example.query}: no column(s) {', '.join(sorted(missing))}")
    return res.records()


def replace_region(text: str, marker: str, body: str) -> str:
    """``text`` with the region between the BEGIN/END markers of ``marker`` set to ``body``."""
    pattern = re.compile(
        rf"(<!-- BEGIN {re.escape(marker)} -->\n).*?(<!-- END {re.escape(marker)} -->)", re.S
    )
    new, n = pattern.subn(lambda m: m.group(1) + body + m.group(2), text)
    if n != 1:
        raise SystemExit(f"{DOC}: expected one <!-- BEGIN {marker} --> ... <!-- END {marker} -->, "
                         f"found {n}")
    return new


def kg_cli(*args: str | Path) -> None:
    """Run ``python -m kg ARGS`` as a user would; stop with its message when it fails."""
    res = subprocess.run([sys.executable, "-m", "kg", *map(str, args)], capture_output=True,
                         text=True, cwd=ROOT, env={**os.environ, "NO_COLOR": "1"})
    if res.returncode != 0:
        raise SystemExit(f"kg {' '.join(map(str, args))} failed ({res.returncode}):\n{res.stderr}")


def build_demo(workdir: Path) -> Path:
    """The demo graph, built as `make demo` does (without the HTML view)."""
    out = workdir / "demo"
    kg_cli("build", ARTICLES, "--out", out, "--no-view")
    return out


def build_dev_gold(dev: Path, workdir: Path) -> Path:
    """The dev sentences' gold as a graph: tests/helpers_sparql.py's records + `kg import`."""
    sys.path.insert(0, str(ROOT / "tests"))
    try:
        helpers: Any = importlib.import_module("helpers_sparql")
    finally:
        sys.path.remove(str(ROOT / "tests"))
    records: list[dict[str, Any]] = helpers.dev_records(dev)
    jsonl = workdir / "dev-gold.jsonl"
    jsonl.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                     encoding="utf-8")
    out = workdir / "dev"
    kg_cli("import", jsonl, "--out", out)
    return out


def render(text: str, graphs: Mapping[str, Path]) -> str:
    """docs/SPARQL.md with every generated region current (regions without a graph kept)."""
    for example in EXAMPLES:
        graph = graphs.get(example.graph)
        if graph is not None:
            text = replace_region(text, example.marker, table(example, run_example(graph, example)))
    return text


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 with a diff when the file is not current")
    parser.add_argument("--graph", type=Path, help="reuse this demo build (kg build DIR)")
    parser.add_argument("--dev", type=Path, default=DEV_SENTENCES,
                        help="the dev sentences (default: examples/sentences.jsonl)")
    parser.add_argument("--doc", type=Path, default=DOC, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    old = args.doc.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="sparql-examples-") as tmp:
        graphs = {"demo": args.graph or build_demo(Path(tmp))}
        if args.dev.is_file():
            graphs["dev"] = build_dev_gold(args.dev, Path(tmp))
        else:
            print(f"{args.dev}: not found; the dev-gold table is left as it is", file=sys.stderr)
        new = render(old, graphs)

    if args.check:
        if new == old:
            print(f"{args.doc}: current")
            return 0
        sys.stderr.writelines(difflib.unified_diff(
            old.splitlines(keepends=True), new.splitlines(keepends=True),
            f"{args.doc} (as is)", f"{args.doc} (generated)"))
        print(f"{args.doc}: stale; run `make docs`", file=sys.stderr)
        return 1
    if new != old:
        args.doc.write_text(new, encoding="utf-8")
    print(f"{args.doc}: {'updated' if new != old else 'current'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
