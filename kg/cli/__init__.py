"""The ``kg`` command: thin typer wrappers over importable functions.

Each command lives in its own module and registers itself on :data:`app`; heavy libraries
(spaCy, pyvis, the store) are imported inside the command functions so ``kg query`` starts fast.
Errors the user can cause are :class:`kg.errors.KGError`; :func:`main` turns them into a
message on standard error and the exit code (1 for failed inputs, 2 for usage errors).
"""

from __future__ import annotations

import errno
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperArgument, TyperOption

from kg.errors import KGError

#: Value names shown after an option in --help when the option names none (``--workers N``).
_VALUE_NAMES = {"int": "N", "float": "NUMBER", "str": "TEXT"}


def _value_name(param: Any, ctx: Any) -> str | None:
    """What --help shows after an option: its metavar, a plain value name, nothing for a flag
    (typer would show ``<bool>``, ``<int>``, ``<list[str]>``)."""
    if isinstance(param, TyperArgument) or getattr(param, "is_flag", False):
        return None  # an argument's name is already shown; a flag takes no value
    if param.metavar is not None:
        return str(param.metavar) or None
    kind = str(param.display_type(ctx)).strip("<>").removeprefix("list[").rstrip("]")
    kind = kind.split()[0].split("|")[0] if kind else "str"  # "int range" -> "int"
    return _VALUE_NAMES.get(kind, kind.upper())


def _usage_name(param: Any) -> str:
    """An argument in the usage line, click's way: ``DIRECTORY [QUERY] [INPUTS]...``."""
    name = str(param.metavar or param.name or "").upper()
    name = name if param.required else f"[{name}]"
    return name + ("..." if param.nargs != 1 else "")


# typer 0.29 shows its internal type labels (<bool>, <list[str]>) in --help and wraps an
# optional argument's metavar in brackets twice ([[QUERY]]): show click's plain style instead.
TyperArgument.display_type_rich = _value_name  # type: ignore[method-assign,assignment]
TyperOption.display_type_rich = _value_name  # type: ignore[method-assign,assignment]
TyperArgument._usage_display_name = _usage_name  # type: ignore[method-assign,assignment]

app = typer.Typer(
    name="kg",
    help="Turn news articles into a claims-aware RDF knowledge graph.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _show_version(value: bool) -> None:
    if value:
        from kg import __version__

        print(f"kg (newskg) {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_show_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Turn news articles into a claims-aware RDF knowledge graph."""

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
        app(args=argv, prog_name="kg", standalone_mode=True)
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
