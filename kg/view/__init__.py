"""The interactive HTML view of a built graph (``kg view``, ``DIR/graph.html`` of ``kg build``).

:func:`write_view` reads the store of a build directory and writes one self-contained page;
:func:`view_html` returns that page as a string; :func:`show` wraps it for a notebook (an
isolated ``<iframe srcdoc>``). The projection (store -> entities, relations, edge groups) is
in :mod:`kg.view.project`, the page in :mod:`kg.view.render`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kg.view.render import DEFAULT_MAX_NODES, NotebookView, ViewSummary, show, view_html

__all__ = ["DEFAULT_MAX_NODES", "NotebookView", "ViewSummary", "show", "view_html", "write_view"]


def write_view(
    out_dir: Path,
    output: Path | None = None,
    *,
    entity: str | None = None,
    hops: int = 1,
    types: Sequence[str] = (),
    entity_types: Sequence[str] = (),
    since: str | None = None,
    until: str | None = None,
    max_nodes: int = DEFAULT_MAX_NODES,
    store: Any = None,
    projection: Any = None,
) -> ViewSummary:
    """Write the view of the graph in ``out_dir`` to ``output`` (default ``out_dir/graph.html``).

    ``store`` (or the ``projection`` read from it) lets a caller that already holds the store
    open (``kg build``) pass it in; otherwise the store in ``out_dir`` is opened read-only.
    Only ``output`` is written.
    """
    from kg.view.project import filter_projection, graph_counts, load_projection
    from kg.view.render import render_projection

    out_dir = Path(out_dir)
    target = Path(output) if output is not None else out_dir / "graph.html"
    if projection is None and store is None:
        from kg.store import open_store

        store = open_store(out_dir, read_only=True)
    proj = filter_projection(
        projection if projection is not None else load_projection(store),
        entity=entity,
        hops=hops,
        types=types,
        entity_types=entity_types,
        since=since,
        until=until,
    )
    page = render_projection(
        proj, max_nodes=max_nodes, title=f"newskg: {out_dir.name}", since=since, until=until
    )
    data = page.encode("utf-8")
    try:
        from kg.safefile import write_atomic

        write_atomic(target, data)
    except OSError as exc:
        from kg.errors import UsageError

        raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from exc
    counts = graph_counts(proj)
    shown = min(max_nodes, counts.entities)
    return ViewSummary(
        path=target,
        entities=counts.entities,
        relations=counts.relations,
        edges=len(proj.edges),
        shown=shown,
        hidden=counts.entities - shown,
        bytes=len(data),
    )
