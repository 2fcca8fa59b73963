"""``kg serve`` and ``kg push``: thin wrappers over :mod:`kg.serve` and :mod:`kg.push`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kg.cli import app


@app.command("serve")
def serve_command(
    directory: Annotated[Path, typer.Argument(help="Output directory of `kg build` (store/).")],
    host: Annotated[str, typer.Option("--host", help="Address to listen on (loopback).")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="0 = any free port.")] = (
        7878
    ),
    timeout: Annotated[
        float, typer.Option("--timeout", min=0.1, help="Time limit per query, seconds.")
    ] = 30.0,
    max_results: Annotated[
        int, typer.Option("--max-results", min=1, help="Most rows / triples per answer.")
    ] = 10_000,
    workers: Annotated[
        int, typer.Option("--workers", min=1, max=64, help="Queries run at the same time.")
    ] = 2,
) -> None:
    """Serve a read-only SPARQL 1.1 endpoint at /sparql and the graph view at /."""
    from kg.serve import ServeConfig, serve

    serve(
        ServeConfig(
            out_dir=directory,
            host=host,
            port=port,
            timeout=timeout,
            max_results=max_results,
            workers=workers,
        )
    )
