"""The extraction pipeline: read -> clean -> parse -> entities -> relations, per article.

Articles are independent, so the pipeline streams: inputs are read lazily, parsed in
``nlp.pipe`` batches, and with ``workers > 1`` spread over processes (spawn-safe, the model
loaded once per worker). Results come out in input order whatever the number of workers, with
an :class:`~kg.errors.InputError` in place of each input that failed, so the caller decides
whether to stop or go on.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, replace
from itertools import islice
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from kg import iris
from kg.errors import InputError, KGError
from kg.extraction.clean import clean_article
from kg.extraction.read import DEFAULT_MAX_BYTES, DEFAULT_MAX_LINE, WarningSink, read_inputs
from kg.model import Article, ArticleGraph

if TYPE_CHECKING:
    from spacy.language import Language

    from kg.extraction.nlp import ParsedArticle

_log = logging.getLogger(__name__)

#: Articles handed to a worker at a time (and parsed together through ``nlp.pipe``).
CHUNK = 16

T = TypeVar("T")
#: What a caller does to each graph where it was extracted (see :func:`extract_mapped`).
Finish = Callable[[ArticleGraph], T]


@dataclass(frozen=True)
class _Failure:
    """A picklable stand-in for an InputError raised inside a worker."""

    message: str
    source: str | None
    line: int | None

    def error(self) -> InputError:
        return InputError(self.message, self.source, self.line)


def _source(article: Article) -> str:
    return article.path or article.doc


def graph_from_parsed(parsed: ParsedArticle, *, base: str = iris.DEFAULT_BASE) -> ArticleGraph:
    """Entities and relations of one parsed article, as the unit the store writes."""
    from kg.extraction.entities import resolve_entities
    from kg.extraction.relations import extract_relations

    resolved = resolve_entities(parsed, base=base)
    relations = extract_relations(parsed, resolved, base=base)
    return ArticleGraph(parsed.article, tuple(resolved.entities), tuple(relations))


def _itself(graph: ArticleGraph) -> ArticleGraph:
    return graph


def _safe_graph(parsed: ParsedArticle, base: str, finish: Finish[T]) -> T | _Failure:
    article = parsed.article
    stage = "extraction"
    try:
        graph = graph_from_parsed(parsed, base=base)
        stage = "conversion"
        return finish(graph)
    except KGError as exc:
        return _Failure(f"{stage} failed: {exc}", _source(article), None)
    except Exception as exc:  # one odd article must not stop a build of thousands
        _log.exception("%s failed on %s", stage, _source(article))
        return _Failure(
            f"{stage} failed (internal error {type(exc).__name__}: {exc})",
            _source(article),
            None,
        )


def extract_article(
    article: Article, nlp: Language, *, base: str = iris.DEFAULT_BASE
) -> ArticleGraph:
    """One article through every stage (clean, parse, entities, relations)."""
    from kg.extraction.nlp import parse_article

    return graph_from_parsed(parse_article(clean_article(article), nlp), base=base)


def _extract_chunk(
    articles: Sequence[Article], nlp: Language, base: str, finish: Finish[T]
) -> list[T | _Failure]:
    from kg.extraction.nlp import parse_articles

    cleaned = [_safe_clean(a) for a in articles]
    good = [a for a in cleaned if isinstance(a, Article)]
    try:
        graphs = iter([_safe_graph(p, base, finish) for p in parse_articles(good, nlp)])
    except Exception:
        # A batch-level failure: fall back to one article at a time to isolate the culprit.
        one_by_one: list[T | _Failure] = []
        for art in good:
            try:
                one_by_one.extend(
                    _safe_graph(p, base, finish) for p in parse_articles([art], nlp)
                )
            except Exception as exc:
                one_by_one.append(
                    _Failure(f"parsing failed ({type(exc).__name__}: {exc})", _source(art), None)
                )
        graphs = iter(one_by_one)
    return [next(graphs) if isinstance(a, Article) else a for a in cleaned]


def _safe_clean(article: Article) -> Article | _Failure:
    try:
        return clean_article(article)
    except Exception as exc:  # cleaning is regex work on untrusted text: isolate any surprise
        _log.exception("cleaning failed on %s", _source(article))
        return _Failure(
            f"cleaning failed (internal error {type(exc).__name__}: {exc})", _source(article), None
        )



# -- worker processes ----------------------------------------------------------------------

_WORKER_NLP: Language | None = None
_WORKER_ERROR: KGError | None = None


def _init_worker(model: str | None) -> None:
    """Pool initializer: load the model once per worker (errors are kept, not raised)."""
    global _WORKER_NLP, _WORKER_ERROR
    import signal

    from kg.extraction.nlp import load_model

    # Ctrl-C reaches the whole process group: the parent handles it (and ends the pool), so a
    # worker must not die with a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        _WORKER_NLP = load_model(model)
    except KGError as exc:
        _WORKER_ERROR = exc


def _work(articles: list[Article], base: str, finish: Finish[T]) -> list[T | _Failure]:
    if _WORKER_NLP is None:
        raise _WORKER_ERROR or KGError("the spaCy pipeline failed to load in a worker")
    return _extract_chunk(articles, _WORKER_NLP, base, finish)


def _chunks(items: Iterable[Article | InputError], size: int) -> Iterator[
    list[Article | InputError]
]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def _merge(
    chunk: list[Article | InputError], results: list[T | _Failure]
) -> Iterator[T | InputError]:
    done = iter(results)
    for item in chunk:
        if isinstance(item, InputError):
            yield item
            continue
        result = next(done)
        yield result.error() if isinstance(result, _Failure) else result


def extract_articles(
    items: Iterable[Article | InputError],
    *,
    model: str | None = None,
    base: str = iris.DEFAULT_BASE,
    workers: int = 1,
    nlp: Language | None = None,
    client: Any = None,
) -> Iterator[ArticleGraph | InputError]:
    """Extract a stream of articles (errors pass through in place), in input order."""
    yield from extract_mapped(
        items, _itself, model=model, base=base, workers=workers, nlp=nlp, client=client
    )


def extract_mapped(
    items: Iterable[Article | InputError],
    finish: Finish[T],
    *,
    model: str | None = None,
    base: str = iris.DEFAULT_BASE,
    workers: int = 1,
    nlp: Language | None = None,
    client: Any = None,
) -> Iterator[T | InputError]:
    """:func:`extract_articles`, then ``finish`` on each graph where it was extracted.

    ``client`` (a ``dask.distributed.Client``) runs the batches on a Dask cluster instead of
    local processes (:mod:`kg.cluster`; ``workers`` is then unused); results still come in
    input order, the same as a local run's.

    With ``workers > 1`` ``finish`` runs in the worker (it must pickle: a module-level function
    or a ``functools.partial`` of one), so the parent receives its result instead of the graph:
    a build turns each graph into what it writes (N-Triples, JSONL lines) while the parent
    writes the previous ones. An exception in ``finish`` fails that article only.
    """
    iris.check_base(base)
    if workers < 1:
        from kg.errors import UsageError

        raise UsageError(f"--workers must be at least 1, not {workers}")
    if client is not None:
        from kg.cluster import map_batches

        batches = (
            (chunk, [a for a in chunk if isinstance(a, Article)])
            for chunk in _chunks(items, CHUNK)
        )
        for chunk, results in map_batches(client, batches, finish, model=model, base=base):
            yield from _merge(chunk, results)
        return
    # The model (or the pool of workers loading it) comes with the first article that needs
    # it: a rebuild that skips every unchanged input never pays for it.
    if workers == 1:
        from kg.extraction.nlp import load_model

        pipeline = nlp
        for chunk in _chunks(items, CHUNK):
            arts = [a for a in chunk if isinstance(a, Article)]
            if arts and pipeline is None:
                pipeline = load_model(model)
            done = (
                _extract_chunk(arts, pipeline, base, finish)
                if arts and pipeline is not None
                else []
            )
            yield from _merge(chunk, done)
        return
    ctx = multiprocessing.get_context("spawn")
    with ExitStack() as stack:
        pool: Pool | None = None
        pending: deque[tuple[list[Article | InputError], AsyncResult[list[Any]]]] = deque()
        for chunk in _chunks(items, CHUNK):
            arts = [a for a in chunk if isinstance(a, Article)]
            if pool is None:
                if not arts:  # nothing pending yet: errors pass straight through
                    yield from _merge(chunk, [])
                    continue
                pool = stack.enter_context(
                    ctx.Pool(workers, initializer=_init_worker, initargs=(model,))
                )
            pending.append((chunk, pool.apply_async(_work, (arts, base, finish))))
            while len(pending) > 2 * workers:
                done_chunk, result = pending.popleft()
                yield from _merge(done_chunk, result.get())
        while pending:
            done_chunk, result = pending.popleft()
            yield from _merge(done_chunk, result.get())


def extract_paths(
    inputs: Sequence[str | Path],
    *,
    model: str | None = None,
    base: str = iris.DEFAULT_BASE,
    workers: int = 1,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_line: int = DEFAULT_MAX_LINE,
    on_warning: WarningSink | None = None,
    client: Any = None,
) -> Iterator[ArticleGraph | InputError]:
    """Read and extract files, directories and ``-``; one result per article, in input order."""
    items = read_inputs(inputs, max_bytes=max_bytes, max_line=max_line, on_warning=on_warning)
    yield from extract_articles(items, model=model, base=base, workers=workers, client=client)


def extract_text(
    text: str,
    *,
    doc: str = "text",
    title: str | None = None,
    date: str | None = None,
    author: str | None = None,
    url: str | None = None,
    source: str | None = None,
    model: str | None = None,
    base: str = iris.DEFAULT_BASE,
) -> ArticleGraph:
    """The graph of one article given as a string (``kg.extract(text)`` in notebooks).

    The first line is the headline unless ``title`` says otherwise; raises InputError for an
    empty text.
    """
    from kg.extraction.nlp import load_model
    from kg.extraction.read import text_article

    if not isinstance(text, str):
        raise InputError(f"text must be a string, not {type(text).__name__}", doc)
    if not text.strip():
        raise InputError("empty article (no text, or only whitespace)", doc)
    article = text_article(text.replace("\r\n", "\n").replace("\r", "\n"), doc)
    article = replace(
        article,
        title=title or article.title,
        date=date or article.date,
        author=author or article.author,
        url=url,
        source=source,
    )
    return extract_article(article, load_model(model), base=iris.check_base(base))


__all__ = [
    "CHUNK",
    "extract_article",
    "extract_articles",
    "extract_mapped",
    "extract_paths",
    "extract_text",
    "graph_from_parsed",
]
