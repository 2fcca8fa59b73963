"""``kg query`` and ``kg export``: thin wrappers over :mod:`kg.query` and :mod:`kg.export`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from kg.cli import app
from kg.errors import UsageError

TABLE_FORMATS = ("table", "csv", "tsv", "json", "xml")
GRAPH_FORMATS = ("ttl", "nt", "nq", "jsonld", "xml")


def _plain_cell(text: str) -> str:
    """One table cell on one line: tabs and line breaks shown as escapes."""
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _write(data: bytes) -> None:
    out = sys.stdout.buffer
    out.write(data)
    if data and not data.endswith(b"\n"):
        out.write(b"\n")
    out.flush()


def _print_table(variables: tuple[str, ...], rows: list[list[str]], truncated: bool) -> None:
    """A rich table on a terminal; a plain tab-separated table when piped."""
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.markup import escape
        from rich.table import Table

        table = Table(*variables, show_lines=False, header_style="bold")
        for row in rows:
            table.add_row(*(escape(cell) for cell in row))
        console = Console()
        console.print(table)
        summary = f"{len(rows)} row{'s' if len(rows) != 1 else ''}"
        console.print(summary, style="dim", highlight=False)
    else:
        lines = ["\t".join(variables)]
        lines += ["\t".join(_plain_cell(c) for c in row) for row in rows]
        _write(("\n".join(lines) + "\n").encode("utf-8"))
    if truncated:
        print(f"kg: warning: result cut at {len(rows)} rows (--max-results)", file=sys.stderr)


@app.command("query")
def query_command(
    directory: Annotated[Path, typer.Argument(help="Output directory of `kg build` (store/).")],
    sparql: Annotated[
        str | None, typer.Argument(metavar="QUERY", help="SPARQL query text (or use -f).")
    ] = None,
    file: Annotated[
        Path | None, typer.Option("-f", "--file", help="Read the query from a .rq file.")
    ] = None,
    graph: Annotated[
        str | None,
        typer.Option("--graph", help="Query one article graph (IRI or doc id), not the union."),
    ] = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            help="table|csv|tsv|json|xml (SELECT, ASK); ttl|nt|nq|jsonld|xml (graph results).",
        ),
    ] = "table",
    param: Annotated[
        list[str] | None,
        typer.Option(
            "--param",
            help='Bind a variable: name=<IRI>, name="text"@en, name="1"^^<datatype>, or name=text.',
        ),
    ] = None,
    max_results: Annotated[
        int | None, typer.Option("--max-results", min=0, help="Stop after N rows / triples.")
    ] = None,
    allow_service: Annotated[
        bool,
        typer.Option("--allow-service", help="Run SERVICE clauses (requests to other hosts)."),
    ] = False,
) -> None:
    """Run a SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE) over the built graph."""
    from kg.query import (
        AskResult,
        GraphResult,
        parse_params,
        read_query_file,
        run_query,
    )

    if (sparql is None) == (file is None):
        raise UsageError("give either a QUERY argument or -f FILE.rq (exactly one)")
    if fmt not in TABLE_FORMATS and fmt not in GRAPH_FORMATS:
        raise UsageError(
            f"--format {fmt!r}: expected one of {', '.join(TABLE_FORMATS + GRAPH_FORMATS[:-1])}"
        )
    source = str(file) if file is not None else None
    text = read_query_file(file) if file is not None else (sparql or "")
    params = parse_params(param or [])

    from kg.query import open_read_only

    store = open_read_only(directory)
    result = run_query(
        store,
        text,
        params=params,
        graph=graph,
        max_results=max_results,
        source=source,
        allow_service=allow_service,
    )
    if isinstance(result, GraphResult):
        gfmt = "ttl" if fmt == "table" else fmt
        if gfmt not in GRAPH_FORMATS:
            raise UsageError(
                f"--format {fmt}: a CONSTRUCT/DESCRIBE query gives a graph; use "
                + "|".join(GRAPH_FORMATS)
            )
        _write(result.serialize(gfmt))
        if result.truncated:
            print(f"kg: warning: graph cut at {len(result)} triples", file=sys.stderr)
        return
    if fmt not in TABLE_FORMATS:
        raise UsageError(
            f"--format {fmt}: a SELECT/ASK query gives a table; use " + "|".join(TABLE_FORMATS)
        )
    if isinstance(result, AskResult):
        answer = ("true" if result.value else "false").encode()
        _write(answer if fmt == "table" else result.serialize(fmt))
        return
    if fmt == "table":
        _print_table(result.variables, result.table_rows(), result.truncated)
        return
    _write(result.serialize(fmt))
    if result.truncated:
        print(f"kg: warning: result cut at {len(result)} rows (--max-results)", file=sys.stderr)


@app.command("export")
def export_command(
    directory: Annotated[Path, typer.Argument(help="Output directory of `kg build`.")],
    fmt: Annotated[
        str,
        typer.Option("--format", help="nq, trig, ttl, jsonld (compact, with @context), graphml."),
    ] = "nq",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write to FILE instead of stdout.")
    ] = None,
) -> None:
    """Export the graph: N-Quads, TriG or JSON-LD (one graph per article), Turtle (merged) or
    GraphML (entities and relations, for Gephi, Cytoscape or yEd)."""
    from kg.export import export

    data = export(directory, fmt, output)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        print(f"wrote {output} ({len(data)} bytes)", file=sys.stderr)
