"""Extraction on a real Dask cluster (``distributed.LocalCluster``, 2 worker processes): the
output is byte-identical to a local build, even when a worker is killed mid-build, and bad
articles are reported exactly as a local build reports them.

One cluster serves the whole module (starting one loads the model in each worker).
"""

from __future__ import annotations

import copy
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dask
import distributed  # the test extra installs dask[distributed]: no skip stands in for a pass
import pytest
from conftest import run_kg
from helpers_reliability import write_inputs

import kg
from kg.builder import BuildReport, built_article
from kg.cluster import WORKER_CONFIG
from kg.errors import InputError
from kg.extraction.pipeline import extract_mapped
from kg.extraction.read import read_inputs
from kg.model import ArticleGraph

pytestmark = [pytest.mark.model, pytest.mark.slow]

N_ARTICLES = 32
OUTPUTS = ("graph.nq", "relations.jsonl")


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    """The cluster docs/SCALE.md recommends: workers started with ``WORKER_CONFIG``."""
    with dask.config.set(WORKER_CONFIG):
        cluster = distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        )
    with cluster, distributed.Client(cluster) as c:
        yield c


def _worker_settings() -> tuple[bool, str | None]:
    return (
        bool(dask.config.get("distributed.worker.profile.enabled")),
        os.environ.get("MALLOC_TRIM_THRESHOLD_"),
    )


def test_workers_run_with_the_recommended_settings(client: Any) -> None:
    """No profiler, and glibc's own trimming (Dask's nanny would set a fixed 64 KiB)."""
    settings = client.run(_worker_settings)
    assert len(settings) == 2
    assert set(settings.values()) == {(False, None)}


def test_scale_doc_exports_are_the_worker_config() -> None:
    """The environment variables docs/SCALE.md tells worker machines to export give Dask
    exactly ``WORKER_CONFIG``, as Dask reads them."""
    doc = (Path(__file__).resolve().parents[1] / "docs" / "SCALE.md").read_text("utf-8")
    exports = dict(
        line.strip().removeprefix("export ").split("=", 1)
        for line in doc.splitlines()
        if line.strip().startswith("export DASK_")
    )
    env = {k: v.strip("'") for k, v in exports.items()}
    config = dask.config.update(copy.deepcopy(dask.config.config), dask.config.collect_env(env))
    for key, value in WORKER_CONFIG.items():
        assert dask.config.get(key, config=config) == value, key
    spawned = dask.config.get("distributed.nanny.pre-spawn-environ", config=config)
    assert spawned["MALLOC_TRIM_THRESHOLD_"] is None  # None: the nanny does not set it


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Generated articles plus inputs that fail (empty file, bad JSONL line, over --max-line),
    and the local build (-j 1) of them all."""
    base = tmp_path_factory.mktemp("cluster")
    inputs = write_inputs(base / "in", N_ARTICLES)
    (inputs / "empty.txt").write_text("  \n", encoding="utf-8")
    (inputs / "feed.jsonl").write_text(
        '{"id": "wire-1", "title": "Talks", "text": "Marta Kolar met Felix Braun in Oslo."}\n'
        "not json\n"
        '{"id": "wire-2", "text": 5}\n',
        encoding="utf-8",
    )
    (inputs / "long.txt").write_text("Long\n\n" + "word " * 400 + "\n", encoding="utf-8")
    local = base / "local"
    res = run_kg("build", inputs, "--out", local, "--no-view", "--max-line", "1000")
    assert res.returncode == 1, res.stderr  # the bad inputs fail, the others go in
    return {"inputs": inputs, "base": base, "local": local, "stderr": res.stderr}


def _same_outputs(a: Path, b: Path) -> None:
    for name in OUTPUTS:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    ra = json.loads((a / "report.json").read_text(encoding="utf-8"))
    rb = json.loads((b / "report.json").read_text(encoding="utf-8"))
    assert ra == rb


def test_cli_scheduler_build_is_byte_identical(client: Any, corpus: dict[str, Any]) -> None:
    out = corpus["base"] / "cli"
    res = run_kg(
        "build", corpus["inputs"], "--out", out, "--no-view", "--max-line", "1000",
        "--scheduler", client.scheduler.address,
    )
    assert res.returncode == 1, res.stderr
    _same_outputs(corpus["local"], out)
    # the failures are reported exactly as in the local build (same lines, same order)
    assert res.stderr == corpus["stderr"]
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert len(report["failures"]) == 4
    assert report["articles"] == N_ARTICLES + 1


def test_worker_killed_mid_build_gives_the_same_output(
    client: Any, corpus: dict[str, Any]
) -> None:
    out = corpus["base"] / "killed"
    result: dict[str, BuildReport | BaseException] = {}

    def run() -> None:
        try:
            result["report"] = kg.build(
                [corpus["inputs"]], out, view=False, max_line=1000, client=client,
                progress=False,
            )
        except BaseException as exc:
            result["report"] = exc

    pids = client.run(os.getpid)
    thread = threading.Thread(target=run)
    thread.start()
    victim = None
    deadline = time.monotonic() + 60
    while victim is None and time.monotonic() < deadline and thread.is_alive():
        busy = [w for w, tasks in client.processing().items() if tasks]
        if busy:
            victim = pids[busy[0]]
        else:
            time.sleep(0.02)
    assert victim is not None, "no worker was busy: the build was not on the cluster"
    os.kill(victim, signal.SIGKILL)
    thread.join(300)
    assert not thread.is_alive()
    report = result["report"]
    assert isinstance(report, BuildReport), report
    _same_outputs(corpus["local"], out)
    client.wait_for_workers(2, timeout=60)
    assert victim not in client.run(os.getpid).values()  # the nanny started a new worker


def _fail_one(graph: ArticleGraph) -> Any:
    """A finish step that breaks on one article (as an odd article breaks a real one)."""
    if graph.article.doc == "story-007":
        raise RuntimeError("odd article")
    return built_article(graph)


def test_failure_on_a_worker_is_reported_as_locally(
    client: Any, corpus: dict[str, Any]
) -> None:
    import cloudpickle

    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # workers cannot import tests/

    def run(**where: Any) -> list[Any]:
        names = [f"story-{i:03d}.txt" for i in range(4, 12)] + ["empty.txt", "feed.jsonl"]
        items = read_inputs([corpus["inputs"] / n for n in names], max_line=1000)
        return [
            str(r) if isinstance(r, InputError) else r
            for r in extract_mapped(items, _fail_one, **where)
        ]

    local = run(workers=1)
    remote = run(client=client)
    assert remote == local
    errors = [r for r in local if isinstance(r, str)]
    assert any("story-007" in e and "odd article" in e for e in errors), errors


def test_scheduler_without_dask_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "in.txt").write_text("Kolar meets Braun\n\nKolar met Braun in Vienna.\n")
    code = (
        "import sys; sys.modules['distributed'] = None; sys.argv[0] = 'kg'\n"
        "from kg.cli import main; main()"
    )
    res = subprocess.run(
        [sys.executable, "-c", code, "build", str(tmp_path / "in.txt"), "--out",
         str(tmp_path / "out"), "--scheduler", "tcp://127.0.0.1:1"],
        capture_output=True, text=True, timeout=60,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert res.returncode == 2, res.stderr
    assert "pip install 'newskg[dask]'" in res.stderr
    assert "Traceback" not in res.stderr



def test_shards_on_the_cluster_load_to_the_local_build(
    client: Any, corpus: dict[str, Any]
) -> None:
    shards, out = corpus["base"] / "shards", corpus["base"] / "loaded"
    res = run_kg(
        "extract", corpus["inputs"], "--shards", shards, "--shard-size", "10",
        "--max-line", "1000", "--scheduler", client.scheduler.address,
    )
    assert res.returncode == 1, res.stderr
    manifest = json.loads((shards / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["shards"]) == 4 and len(manifest["report"]["failures"]) == 4
    assert run_kg("load", shards, "--out", out, "--no-view").returncode == 0
    for name in OUTPUTS:
        assert (out / name).read_bytes() == (corpus["local"] / name).read_bytes(), name


def test_extract_on_the_cluster_gives_the_local_records(
    client: Any, corpus: dict[str, Any]
) -> None:
    res = run_kg("extract", corpus["inputs"], "--max-line", "1000",
                 "--scheduler", client.scheduler.address)
    assert res.returncode == 1, res.stderr
    local = (corpus["local"] / "relations.jsonl").read_text(encoding="utf-8")
    assert sorted(res.stdout.splitlines()) == sorted(local.splitlines())
