"""`kg extract --shards` and `kg load`: deterministic sorted N-Quads shards that `kg load`
bulk-loads into the same graph.nq and relations.jsonl as `kg build`, and that Oxigraph's own
loader (`oxigraph load`, then `oxigraph serve`) and `rapper` read as they are."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import run_kg
from helpers_reliability import write_inputs
from helpers_sparql import OXIGRAPH, OxigraphServer

import kg.shards as shards_module
from kg.shards import load_shards

pytestmark = [pytest.mark.model, pytest.mark.slow]

N_ARTICLES = 30


def files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Inputs (with one that fails), their `kg build`, and their shards (-j 1, 7 a shard)."""
    base = tmp_path_factory.mktemp("shards")
    inputs = write_inputs(base / "in", N_ARTICLES)
    (inputs / "empty.txt").write_text("\n", encoding="utf-8")
    build = base / "build"
    res = run_kg("build", inputs, "--out", build, "--no-view")
    assert res.returncode == 1, res.stderr
    shards = base / "shards"
    res = run_kg("extract", inputs, "--shards", shards, "--shard-size", "7")
    assert res.returncode == 1, res.stderr
    assert "empty.txt" in res.stderr
    return {"base": base, "inputs": inputs, "build": build, "shards": shards}


def test_shards_are_sorted_and_deterministic(built: dict[str, Any]) -> None:
    shards: Path = built["shards"]
    first = files(shards)
    quads = sorted(n for n in first if n.endswith(".nq"))
    assert quads == [f"part-{i:05d}.nq" for i in range(5)]  # 30 articles, 7 a shard
    for name in quads:
        lines = first[name].splitlines()
        assert lines == sorted(set(lines)) and lines
    manifest = json.loads(first["manifest.json"])
    assert [s["articles"] for s in manifest["shards"]] == [7, 7, 7, 7, 2]
    assert manifest["report"]["failures"][0]["file"].endswith("empty.txt")
    # the same inputs with two workers, into a directory holding stale shards: the same bytes
    again = built["base"] / "again"
    again.mkdir()
    (again / "part-00099.nq").write_bytes(b"stale\n")
    res = run_kg("extract", built["inputs"], "--shards", again, "--shard-size", "7", "-j", "2")
    assert res.returncode == 1, res.stderr
    assert files(again) == first


def test_load_gives_the_build_output(built: dict[str, Any]) -> None:
    out = built["base"] / "loaded"
    res = run_kg("load", built["shards"], "--out", out, "--no-view")
    assert res.returncode == 0, res.stderr
    for name in ("graph.nq", "relations.jsonl"):
        assert (out / name).read_bytes() == (built["build"] / name).read_bytes(), name
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    expected = json.loads((built["build"] / "report.json").read_text(encoding="utf-8"))
    for key in ("articles", "entities", "relations", "failures", "store_articles"):
        assert report[key] == expected[key], key
    # the loaded store answers queries and a rebuild over it skips every article
    query = run_kg("query", out, "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g {} }",
                   "--format", "csv")
    assert query.returncode == 0 and query.stdout.split()[-1] == str(N_ARTICLES)
    rebuild = run_kg("build", built["inputs"], "--out", out, "--no-view")
    assert f"{N_ARTICLES} unchanged" in rebuild.stdout
    assert (out / "graph.nq").read_bytes() == (built["build"] / "graph.nq").read_bytes()


def test_many_shards_merge_in_passes(built: dict[str, Any], tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """More shards than files open at once: merged through temporary files, same output."""
    monkeypatch.setattr(shards_module, "MERGE_FAN_IN", 2)
    result = load_shards(built["shards"], tmp_path / "out", view=False)
    assert result.shards == 5 and result.articles == N_ARTICLES
    for name in ("graph.nq", "relations.jsonl"):
        assert (tmp_path / "out" / name).read_bytes() == (built["build"] / name).read_bytes()
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "graph.nq", "relations.jsonl", "report.json", "store"]


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("no-manifest", "holds no manifest.json"),
        ("existing-store", "already exists"),
        ("missing-shard", "is missing"),
    ],
)
def test_load_refusals(built: dict[str, Any], tmp_path: Path, setup: str, message: str) -> None:
    shards = built["shards"]
    out = tmp_path / "out"
    if setup == "no-manifest":
        shards = tmp_path
    elif setup == "existing-store":
        out = built["build"]
    else:
        shards = tmp_path / "copy"
        shards.mkdir()
        for name, data in files(built["shards"]).items():
            if name != "part-00002.nq":
                (shards / name).write_bytes(data)
    res = run_kg("load", shards, "--out", out, "--no-view")
    assert res.returncode == 2, res.stderr
    assert message in res.stderr and "Traceback" not in res.stderr


@pytest.mark.server
def test_other_loaders_read_the_shards_as_they_are(built: dict[str, Any], tmp_path: Path) -> None:
    shards = sorted(str(p) for p in built["shards"].glob("part-*.nq"))
    for path in shards:
        rapper = subprocess.run(["rapper", "-i", "nquads", "-c", path],
                                capture_output=True, text=True, timeout=60)
        assert rapper.returncode == 0, rapper.stderr
    if OXIGRAPH is None:
        pytest.fail("the oxigraph server binary (PyPI package oxigraph, test extra) is missing")
    location = tmp_path / "remote"
    load = subprocess.run([OXIGRAPH, "load", "--location", str(location), "--file", *shards],
                          capture_output=True, text=True, timeout=120)
    assert load.returncode == 0, load.stderr
    server = OxigraphServer(location)
    server.start()
    try:
        assert server.dump() == (built["build"] / "graph.nq").read_bytes()
    finally:
        server.stop()
