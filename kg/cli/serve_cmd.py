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
    allow_service: Annotated[
        bool,
        typer.Option(
            "--allow-service",
            help="Run SPARQL SERVICE clauses (the server then sends requests to other hosts).",
        ),
    ] = False,
    max_response_bytes: Annotated[
        int,
        typer.Option("--max-response-bytes", min=1000, help="Largest answer; longer ones cut."),
    ] = 50_000_000,
    client_timeout: Annotated[
        float,
        typer.Option(
            "--client-timeout", min=0.1, help="Seconds to send a request, or idle, per client."
        ),
    ] = 20.0,
    max_connections: Annotated[
        int,
        typer.Option("--max-connections", min=1, help="Clients served at once; more get 503."),
    ] = 64,
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
            allow_service=allow_service,
            max_response_bytes=max_response_bytes,
            client_timeout=client_timeout,
            max_connections=max_connections,
        )
    )


@app.command("push")
def push_command(
    directory: Annotated[Path, typer.Argument(help="Output directory of `kg build` (store/).")],
    endpoint: Annotated[
        str, typer.Option("--endpoint", help="SPARQL endpoint URL of the remote store.")
    ],
    graph_store: Annotated[
        str | None,
        typer.Option("--graph-store", help="Graph Store Protocol URL (else derived)."),
    ] = None,
    auth_env: Annotated[
        str | None,
        typer.Option("--auth-env", help="Env variable holding user:password or a token."),
    ] = None,
    retries: Annotated[
        int, typer.Option("--retries", min=0, max=20, help="Retries per graph.")
    ] = 4,
    backoff: Annotated[
        float, typer.Option("--backoff", min=0.0, help="First retry delay (doubles), s.")
    ] = 0.5,
    timeout: Annotated[
        float, typer.Option("--timeout", min=0.1, help="HTTP timeout per request, s.")
    ] = 60.0,
    full: Annotated[
        bool,
        typer.Option(
            "--all", help="Send every graph, not only those changed since the last push there."
        ),
    ] = False,
) -> None:
    """Send the article graphs changed since the last push to this store (Graph Store Protocol
    PUT; idempotent) and delete there the graphs of articles no longer built."""
    import sys

    from kg.push import PushConfig, push

    report = push(
        PushConfig(
            out_dir=directory,
            endpoint=endpoint,
            graph_store=graph_store,
            auth_env=auth_env,
            retries=retries,
            backoff=backoff,
            timeout=timeout,
            full=full,
        )
    )
    if report.ok:
        from kg.push import union_query_url

        url, note = union_query_url(endpoint)
        print(report.summary())
        print(f"query the articles as one graph at {url}\n  {note}")
    else:
        print(f"kg: error: push incomplete: {report.summary()}", file=sys.stderr)
    raise typer.Exit(report.exit_code)
