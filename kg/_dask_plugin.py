"""The Dask worker plugin of :mod:`kg.cluster`, in its own module because it subclasses
``distributed.WorkerPlugin`` (Dask refuses duck-typed plugins) and so imports Dask, which
only a cluster build needs."""

from __future__ import annotations

from typing import Any

from distributed import WorkerPlugin


class ModelPlugin(WorkerPlugin):
    """Load the spaCy model when a worker starts, or joins the cluster later."""

    idempotent = True

    def __init__(self, model: str | None) -> None:
        self.model = model

    def setup(self, worker: Any) -> None:
        from kg.cluster import load_model_once

        load_model_once(self.model)


__all__ = ["ModelPlugin"]
