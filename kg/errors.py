"""The exception hierarchy: every error a user can cause names the input and says what to do."""

from __future__ import annotations


class KGError(Exception):
    """Base class of every error newskg raises on purpose."""

    exit_code = 1


class UsageError(KGError):
    """The command was called wrongly (bad option, missing directory): exit code 2."""

    exit_code = 2


class InputError(KGError):
    """One input (file, line, record) could not be used; the others still go in.

    ``source`` names the file (and ``line`` the 1-based line) so the message can point at it.
    """

    def __init__(self, message: str, source: str | None = None, line: int | None = None) -> None:
        self.message = message
        self.source = source
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.source or "<input>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}"


class ModelNotFoundError(KGError):
    """No spaCy English pipeline is installed."""


class StoreError(KGError):
    """The store cannot be opened, read or written."""


class QuerySyntaxError(UsageError):
    """A SPARQL query does not parse; the message carries the position."""


class QueryRefused(UsageError):
    """A SPARQL query is refused before it runs (SERVICE, too long, too deeply nested)."""


__all__ = [
    "InputError",
    "KGError",
    "ModelNotFoundError",
    "QueryRefused",
    "QuerySyntaxError",
    "StoreError",
    "UsageError",
]
