"""The ``kg`` command: thin typer wrappers over importable functions.

Each command lives in its own module and registers itself on :data:`app`; heavy libraries
(spaCy, pyvis, the store) are imported inside the command functions so ``kg query`` starts fast.
Errors the user can cause are :class:`kg.errors.KGError`; :func:`main` turns them into a
message on standard error and the exit code (1 for failed inputs, 2 for usage errors).
"""

from __future__ import annotations

import sys

import typer

from kg.errors import KGError

app = typer.Typer(
    name="kg",
    help="Turn news articles into a claims-aware RDF knowledge graph.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Command modules register themselves on `app` when imported.
from kg.cli import (  # noqa: E402, F401
    build_cmd,
    import_cmd,
    query_cmd,
    serve_cmd,
    view_cmd,
)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the console script; never lets a traceback reach the user for KGError."""
    try:
        app(args=argv, standalone_mode=True)
    except KGError as exc:
        print(f"kg: error: {exc}", file=sys.stderr)
        sys.exit(exc.exit_code)


__all__ = ["app", "main"]
