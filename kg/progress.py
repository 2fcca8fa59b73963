"""Progress of `kg extract`, `kg eval` and `kg build` on standard error.

A rich bar with the number of articles done out of the total, shown only when standard error is
a terminal (``progress=None``): piped or redirected output, logs and tests stay quiet. The total
is counted before the work starts: one per text or HTML file, one per non-blank line of a JSONL
file; standard input has no total (the bar then counts up). Counting reads the JSONL files once
more, which costs little next to extraction.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

Step = Callable[[str], None]


def _lines(path: Path) -> int:
    """Non-blank lines of a JSONL file (an unreadable file counts as one failure)."""
    count = 0
    try:
        with open(path, "rb") as fh:
            for line in fh:
                count += bool(line.strip())
    except OSError:
        return 1
    return count


def _file_articles(path: Path) -> int:
    return _lines(path) if path.name.lower().endswith(".jsonl") else 1


def count_articles(inputs: Sequence[str | Path]) -> int | None:
    """How many articles (or failures) reading ``inputs`` gives; None with standard input."""
    from kg.extraction.read import walk_directory

    total = 0
    for item in inputs:
        if str(item) == "-":
            return None
        path = Path(item)
        if path.is_dir():
            found = 0
            for entry in walk_directory(path):
                found += 1 if not isinstance(entry, Path) else _file_articles(entry)
            total += max(found, 1)
        elif path.is_file():
            total += _file_articles(path)
        else:
            total += 1
    return total


def shown(enabled: bool | None) -> bool:
    """Whether to draw: as asked, else only when standard error is a terminal."""
    return sys.stderr.isatty() if enabled is None else enabled


def start(verb: str, total: int | None, enabled: bool | None) -> tuple[Step, Callable[[], None]]:
    """A bar ``verb ━━━ 3/10 0:00:04 doc`` on standard error: ``step(doc)`` after each
    article, ``stop()`` at the end (the bar is removed). No-ops when not :func:`shown`."""
    if not shown(enabled):
        return (lambda _doc: None), (lambda: None)
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    bar = Progress(
        SpinnerColumn(),
        TextColumn(f"[bold]{verb}[/bold]"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}", markup=False),
        console=Console(stderr=True),
        transient=True,
    )
    task = bar.add_task("", total=total)
    bar.start()

    def step(doc: str) -> None:
        bar.update(task, advance=1, description=doc[:60])

    return step, bar.stop


def track(
    items: Iterable[T],
    verb: str,
    total: int | None,
    label: Callable[[T], str],
    enabled: bool | None = None,
) -> Iterator[T]:
    """``items`` unchanged, advancing a bar (see :func:`start`) after each one."""
    step, stop = start(verb, total, enabled)
    try:
        for item in items:
            yield item
            step(label(item))
    finally:
        stop()


__all__ = ["Step", "count_articles", "shown", "start", "track"]
