"""``kg import`` and ``kg validate``: thin typer wrappers over :mod:`kg.importer` and
:mod:`kg.validate`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from kg.cli import app
from kg.iris import DEFAULT_BASE


@app.command("import")
def import_command(
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Output directory (store, graph.nq, report.json).")
    ],
    inputs: Annotated[
        list[str] | None,
        typer.Argument(help="JSONL files of relation / entity / article records ('-' = stdin)."),
    ] = None,
    base: Annotated[str, typer.Option("--base", help="Base IRI of minted data IRIs.")] = (
        DEFAULT_BASE
    ),
    max_bytes: Annotated[
        int, typer.Option("--max-bytes", min=1, help="Longest JSONL line (one record), bytes.")
    ] = 5_000_000,
    max_input_bytes: Annotated[
        int, typer.Option("--max-input-bytes", min=1, help="Most bytes read from one input.")
    ] = 2_000_000_000,
) -> None:
    """Build the graph from relation records (the JSONL of `kg extract` or your own data)."""
    from kg.errors import UsageError
    from kg.importer import ReadLimits, import_records

    if not inputs:
        raise UsageError("kg import: give one or more JSONL files (or - for standard input)")
    report = import_records(
        [Path(p) if p != "-" else "-" for p in inputs],
        out,
        base=base,
        limits=ReadLimits(max_line=max_bytes, max_input=max_input_bytes),
    )
    for failure in report.failures:
        print(f"kg: error: {failure}", file=sys.stderr)
    print(report.summary())
    print(f"wrote {out / 'store'}, {out / 'graph.nq'}, {out / 'report.json'}")
    raise typer.Exit(report.exit_code)


@app.command("validate")
def validate_command(
    directory: Annotated[Path, typer.Argument(help="Output directory of kg build / kg import.")],
) -> None:
    """Check the graph in DIR against the SHACL shapes (exit 1 with a report on violations)."""
    from kg.validate import validate_dir

    report = validate_dir(directory)
    print(report.text())
    raise typer.Exit(0 if report.conforms else 1)
