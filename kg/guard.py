"""Checks a SPARQL query passes before Oxigraph runs it: no outbound requests, bounded shape.

``SERVICE`` makes Oxigraph send an HTTP request to any IRI the query names, which turns a
public endpoint into a proxy onto the machine's network (SSRF). pyoxigraph has no switch to
turn its SERVICE client off, so queries are refused when their *parsed* form holds a SERVICE
clause: Oxigraph reads keywords only in ASCII letters (no ``\\u`` escapes), so a query whose
text does not contain the letters ``service`` in any case cannot call one; any other query is
parsed with rdflib's SPARQL parser and its parse tree searched, so the word in a string, a
comment, an IRI or a prefix name refuses nothing. A query rdflib cannot parse that mentions
the word is refused (to be safe).

Oxigraph parses and evaluates queries recursively, so a deeply nested or very long query
overflows the thread's stack and the process dies with SIGSEGV. Queries are limited in length
and bracket nesting, and :func:`call_with_big_stack` runs the engine on a thread whose stack is
large enough for any query within those limits.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from kg.errors import QueryRefused

#: The longest query text accepted, in characters.
MAX_QUERY_CHARS = 100_000
#: The deepest nesting of ``{ ( [`` accepted.
MAX_NESTING = 256
#: Stack of the thread running Oxigraph: measured to hold the worst shapes within the limits
#: above (100 000 characters of ``!``, ``1+``, ``{``, ``CONCAT(``) with room to spare. It is
#: reserved address space; only the pages a query touches are used.
ENGINE_STACK_BYTES = 512 << 20

T = TypeVar("T")

_OPEN = frozenset("{([")
_CLOSE = frozenset("})]")


def nesting_depth(sparql: str) -> int:
    """The deepest bracket nesting of the text (brackets in strings count too: a bound)."""
    depth = deepest = 0
    for ch in sparql:
        if ch in _OPEN:
            depth += 1
            deepest = max(deepest, depth)
        elif ch in _CLOSE:
            depth = max(depth - 1, 0)
    return deepest


def check_shape(sparql: str) -> None:
    """Refuse queries longer or more deeply nested than the engine can take safely."""
    if len(sparql) > MAX_QUERY_CHARS:
        raise QueryRefused(
            f"the query is {len(sparql)} characters long, over the limit of {MAX_QUERY_CHARS}"
        )
    depth = nesting_depth(sparql)
    if depth > MAX_NESTING:
        raise QueryRefused(
            f"the query nests brackets {depth} deep, over the limit of {MAX_NESTING}"
        )


def _has_service(tree: Any) -> bool:
    """True when rdflib's parse tree holds a ServiceGraphPattern (walked without recursion)."""
    stack = [tree]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if getattr(node, "name", None) == "ServiceGraphPattern":
            return True
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list | tuple):
            stack.extend(node)
        elif hasattr(node, "asList") and hasattr(node, "values"):  # pyparsing ParseResults
            stack.extend(list(node))
            stack.extend(node.values())
    return False


_REFUSED = (
    "SERVICE clauses are refused: they make the server send requests to other hosts. "
    "Start `kg serve` / run `kg query` with --allow-service to allow them"
)


def check_no_service(sparql: str) -> None:
    """Refuse a query that holds a SERVICE clause (see the module docstring for why and how)."""
    if "service" not in sparql.lower():
        return
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        tree = parseQuery(sparql)
    except RecursionError:
        raise QueryRefused(f"{_REFUSED} (the query is too deeply nested to check)") from None
    except Exception:
        raise QueryRefused(
            f"{_REFUSED} (the query mentions SERVICE and rdflib's SPARQL parser, which checks "
            "for it, cannot read the query)"
        ) from None
    if _has_service(tree):
        raise QueryRefused(_REFUSED)


def check_query(sparql: str, *, allow_service: bool = False) -> None:
    """Every check a query passes before it runs: shape, then SERVICE (unless allowed)."""
    check_shape(sparql)
    if not allow_service:
        check_no_service(sparql)


def call_with_big_stack(fn: Callable[[], T]) -> T:
    """``fn()`` on a thread with :data:`ENGINE_STACK_BYTES` of stack; returns or re-raises."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # re-raised in the caller's thread
            box["error"] = exc

    lock = _STACK_LOCK
    with lock:
        previous = threading.stack_size(ENGINE_STACK_BYTES)
        try:
            thread = threading.Thread(target=target, name="kg-sparql", daemon=True)
            thread.start()
        finally:
            threading.stack_size(previous)
    thread.join()
    if "error" in box:
        raise box["error"]
    value: T = box["value"]
    return value


_STACK_LOCK = threading.Lock()

__all__ = [
    "ENGINE_STACK_BYTES",
    "MAX_NESTING",
    "MAX_QUERY_CHARS",
    "call_with_big_stack",
    "check_no_service",
    "check_query",
    "check_shape",
    "nesting_depth",
]
