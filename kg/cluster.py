"""Extraction on a Dask cluster: batches of articles go to Dask workers, results come back in
input order, so a build on a cluster writes exactly what a local build writes.

Each worker loads the spaCy model once, through a worker plugin registered on the client (the
scheduler hands it to every worker that joins later, including one that replaces a dead
worker). A batch is one task: it returns, for each article, what a local worker returns (the
caller's ``finish`` of the graph, or a failure), so bad articles are reported exactly as in a
local build. A worker that dies mid-batch has its tasks run again elsewhere by the scheduler;
the caller takes each batch's result once, in order, so nothing is written twice.

Dask is an optional dependency (``pip install newskg[dask]``); it is imported only here, when a
scheduler or a client is given.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from kg.errors import KGError, UsageError
from kg.model import Article

if TYPE_CHECKING:
    from spacy.language import Language

    from kg.errors import InputError
    from kg.extraction.pipeline import Finish

T = TypeVar("T")

#: Name of the worker plugin on the cluster (registering it again replaces it).
PLUGIN_NAME = "newskg-spacy"
#: Times a batch is run again after raising (a worker dying is rescheduled by Dask anyway,
#: up to its ``distributed.scheduler.allowed-failures``).
RETRIES = 2

#: Dask settings for extraction workers, as ``dask.config`` keys (docs/SCALE.md gives them as
#: environment variables for ``dask worker``): no statistical profiler (it samples every
#: thread's stack every 10 ms), and glibc's own memory management instead of the nanny's
#: ``MALLOC_TRIM_THRESHOLD_=65536``. Setting any fixed threshold also turns off glibc's dynamic
#: mmap threshold, so spaCy's large buffers are mapped and unmapped on every batch: measured
#: +5 % CPU for extraction; and fewer wake-ups of the worker's event loop (its 20 ms tick and
#: 100 ms memory monitor take the GIL from the extracting thread many times a second):
#: workers' CPU seconds 132.9 -> 123.4 at 1,000 articles (BENCHMARKS.md, "Dask"). Apply with
#: ``dask.config.set`` before the workers start.
WORKER_CONFIG: dict[str, Any] = {
    "distributed.worker.profile.enabled": False,
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.worker.memory.monitor-interval": "1s",
}

#: The model of this worker process, loaded by the worker plugin (None until then).
_NLP: Language | None = None
_NLP_MODEL: str | None = None
_NLP_ERROR: KGError | None = None
#: spaCy pipelines are not meant for several threads at once: a worker with more than one
#: thread runs one batch at a time through the model.
_NLP_LOCK = threading.Lock()


class MissingDask(UsageError):
    """``--scheduler`` was given but dask.distributed is not installed."""


def _distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise MissingDask(
            "--scheduler needs Dask: install it with `pip install 'newskg[dask]'` "
            "(or `pip install 'dask[distributed]'`)"
        ) from None
    return distributed


def load_model_once(model: str | None) -> None:
    """Load the model into this process once (a load error is kept and raised by each task)."""
    global _NLP, _NLP_MODEL, _NLP_ERROR
    with _NLP_LOCK:
        if _NLP is not None and model == _NLP_MODEL:
            return
        from kg.extraction.nlp import load_model

        try:
            _NLP, _NLP_MODEL, _NLP_ERROR = load_model(model), model, None
        except KGError as exc:
            _NLP, _NLP_MODEL, _NLP_ERROR = None, model, exc


def _batch(
    articles: list[Article], model: str | None, base: str, finish: Finish[T]
) -> list[Any]:
    """One task: extract a batch on a worker (as a local worker does) with the plugin's model."""
    from kg.extraction.pipeline import _extract_chunk

    if _NLP is None or model != _NLP_MODEL:
        load_model_once(model)  # the plugin has not run here yet
    if _NLP is None:
        raise _NLP_ERROR or KGError("the spaCy pipeline failed to load on a Dask worker")
    with _NLP_LOCK:
        return _extract_chunk(articles, _NLP, base, finish)


def connect(scheduler: str) -> Any:
    """A ``distributed.Client`` of the scheduler at ``scheduler`` (``tcp://HOST:8786``)."""
    distributed = _distributed()
    try:
        return distributed.Client(scheduler, timeout="30s")
    except (OSError, TimeoutError) as exc:
        raise UsageError(f"--scheduler {scheduler}: cannot connect ({exc})") from None


class _Slots:
    """Worker threads of the cluster (at least 1), asked of the scheduler at most every few
    seconds (workers come and go; a question per batch would cost a round trip each)."""

    def __init__(self, client: Any, every: float = 5.0) -> None:
        self.client, self.every = client, every
        self.value, self.asked = 1, float("-inf")

    def __call__(self) -> int:
        now = time.monotonic()
        if now - self.asked >= self.every:
            self.asked = now
            try:
                self.value = max(1, int(sum(self.client.nthreads().values())))
            except Exception:  # informational: a cluster still starting has no workers yet
                self.value = 1
        return self.value


def map_batches(
    client: Any,
    batches: Iterable[tuple[list[Article | InputError], list[Article]]],
    finish: Finish[T],
    *,
    model: str | None,
    base: str,
) -> Iterator[tuple[list[Article | InputError], list[Any]]]:
    """Run each batch's articles on the cluster; yield (batch, results) in input order.

    A bounded number of batches is in flight (a few per worker thread), so a stream of
    millions of articles never sits in the scheduler's memory at once.
    """
    _distributed()
    pending: deque[tuple[list[Article | InputError], Any]] = deque()
    slots = _Slots(client)
    registered = False
    try:
        for chunk, arts in batches:
            if not arts:
                pending.append((chunk, None))
            else:
                if not registered:  # a rebuild that skips every input loads no model
                    _register(client, model)
                    registered = True
                future = client.submit(
                    _batch, arts, model, base, finish, pure=False, retries=RETRIES
                )
                pending.append((chunk, future))
            while len(pending) > 3 * slots():
                yield _take(pending)
        while pending:
            yield _take(pending)
    finally:
        for _chunk, future in pending:
            if future is not None:
                future.cancel()


def _register(client: Any, model: str | None) -> None:
    from kg._dask_plugin import ModelPlugin

    client.register_plugin(ModelPlugin(model), name=PLUGIN_NAME)


def _take(
    pending: deque[tuple[list[Article | InputError], Any]],
) -> tuple[list[Article | InputError], list[Any]]:
    chunk, future = pending.popleft()
    if future is None:
        return chunk, []
    try:
        result: list[Any] = future.result()
    except KGError:
        raise
    except Exception as exc:  # KilledWorker after too many deaths, a lost scheduler ...
        raise KGError(f"the Dask cluster failed a batch: {type(exc).__name__}: {exc}") from exc
    finally:
        future.release()
    return chunk, result


__all__ = [
    "PLUGIN_NAME",
    "WORKER_CONFIG",
    "MissingDask",
    "connect",
    "load_model_once",
    "map_batches",
]
