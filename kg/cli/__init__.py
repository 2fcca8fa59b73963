"""The ``kg`` command: thin typer wrappers over importable functions.

Each command lives in its own module and registers itself on :data:`app`; heavy libraries
(spaCy, pyvis, the store) are imported inside the command functions so ``kg query`` starts fast.
Errors the user can cause are :class:`kg.errors.KGError`; :func:`main` turns them into a
message on standard error and the exit code (1 for failed inputs, 2 for usage errors).
"""

from __future__ import annotations

import errno
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
    except OSError as exc:  # a full disk, a quota, a file-size limit while writing outputs
        print(f"kg: error: {os_error_message(exc)}", file=sys.stderr)
        sys.exit(1)


_SPACE = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
_SPACE_TEXT = ("No space left", "Disk quota", "File too large")


def os_error_message(exc: OSError) -> str:
    """One line for an operating-system error, with what to do when the disk is full."""
    where = f"{exc.filename}: " if exc.filename else ""
    text = f"{where}{exc.strerror or exc}"
    if exc.errno in _SPACE or any(t in str(exc) for t in _SPACE_TEXT):
        text += (
            "; writing the output failed for lack of space (or a file-size limit). "
            "Free some space and run the same command again: the store keeps whole articles"
        )
    return text


__all__ = ["app", "main", "os_error_message"]
