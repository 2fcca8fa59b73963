"""``kg view DIR``: write the interactive HTML view of a built graph (one offline file)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kg.cli import app


@app.command("view")
def view(
    directory: Annotated[Path, typer.Argument(help="Build directory (holds store/).")],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="HTML file (default DIR/graph.html).")
    ] = None,
    entity: Annotated[
        str | None, typer.Option("--entity", help="Centre the view on this entity (name or alias).")
    ] = None,
    hops: Annotated[
        int, typer.Option("--hops", min=0, help="Neighbourhood size around --entity.")
    ] = 1,
    types: Annotated[
        list[str] | None,
        typer.Option("--type", help="Relation type to keep (repeat for several)."),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option("--since", help="Keep relations dated on or after (YYYY[-MM[-DD]])."),
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Keep relations dated on or before.")
    ] = None,
    max_nodes: Annotated[
        int,
        typer.Option(
            "--max-nodes", min=1, help="Entities drawn at first (most central of each community)."
        ),
    ] = 60,
) -> None:
    """Write DIR/graph.html (or -o FILE): search, filters, sentences and sources; no network."""
    from kg.errors import UsageError
    from kg.view import write_view

    if not directory.is_dir():
        raise UsageError(
            f"{directory}: not a directory (run `kg build ... --out {directory}` first)"
        )
    if output is not None and output.is_dir():
        raise UsageError(f"-o {output}: is a directory; give a file name such as graph.html")
    summary = write_view(
        directory,
        output,
        entity=entity,
        hops=hops,
        types=tuple(types or ()),
        since=since,
        until=until,
        max_nodes=max_nodes,
    )
    hidden = f", {summary.shown} drawn at first" if summary.hidden else ""
    typer.echo(
        f"wrote {summary.path} ({summary.entities} entities{hidden}, "
        f"{summary.relations} relations, {summary.bytes / 1024:.0f} KiB)"
    )
