"""`kg export`: every format parses back (with rdflib / rapper / pyoxigraph) to the store's
statements, and output is byte-stable."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import RAPPER, requires_rapper, run_kg
from helpers_sparql import build_dev_graph

from kg.errors import UsageError
from kg.export import export


@pytest.fixture(scope="module")
def dev_graph(dev_sentences: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_dev_graph(dev_sentences, tmp_path_factory.mktemp("dev"))


def store_quads(graph: Path) -> set[ox.Quad]:
    return set(ox.parse(path=str(graph / "graph.nq"), format=ox.RdfFormat.N_QUADS))


def test_nquads_and_trig_hold_exactly_the_store(dev_graph: Path) -> None:
    quads = store_quads(dev_graph)
    nq = export(dev_graph, "nq")
    assert set(ox.parse(nq, format=ox.RdfFormat.N_QUADS)) == quads
    assert nq == (dev_graph / "graph.nq").read_bytes()  # same sorted form as `kg build`
    trig = export(dev_graph, "trig")
    assert set(ox.parse(trig, format=ox.RdfFormat.TRIG)) == quads
    assert b"@prefix kg: <https://w3id.org/newskg/ontology#>" in trig


def test_turtle_is_the_merged_view(dev_graph: Path) -> None:
    ttl = export(dev_graph, "ttl")
    triples = {q.triple for q in ox.parse(ttl, format=ox.RdfFormat.TURTLE)}
    assert triples == {q.triple for q in store_quads(dev_graph)}


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_jsonld_parses_with_rdflib(dev_graph: Path) -> None:
    import rdflib

    data = export(dev_graph, "jsonld")
    assert json.loads(data)["@context"]["kg"] == "https://w3id.org/newskg/ontology#"
    ds = rdflib.Dataset()
    ds.parse(data=data.decode("utf-8"), format="json-ld")
    graphs = {str(g.identifier) for g in ds.graphs() if len(g)}
    assert "https://w3id.org/newskg/id/graph/dev-01" in graphs
    assert sum(1 for _ in ds.quads((None, None, None, None))) == len(store_quads(dev_graph))


@requires_rapper
def test_turtle_is_valid_for_rapper(dev_graph: Path, tmp_path: Path) -> None:
    out = tmp_path / "g.ttl"
    res = run_kg("export", dev_graph, "--format", "ttl", "-o", out)
    assert res.returncode == 0, res.stderr
    check = subprocess.run([str(RAPPER), "-i", "turtle", "-c", str(out)], capture_output=True,
                           text=True, check=False)
    assert check.returncode == 0, check.stderr
    n = len({q.triple for q in store_quads(dev_graph)})
    assert f"returned {n} triples" in check.stderr


def test_cli_writes_the_file_and_is_deterministic(dev_graph: Path, tmp_path: Path) -> None:
    for fmt in ("nq", "trig", "ttl", "jsonld", "graphml"):
        assert export(dev_graph, fmt) == export(dev_graph, fmt)
    out = tmp_path / "sub" / "g.trig"
    res = run_kg("export", dev_graph, "--format", "trig", "-o", out)
    assert res.returncode == 0, res.stderr
    assert out.read_bytes() == export(dev_graph, "trig") and str(out) in res.stderr
    stdout = run_kg("export", dev_graph, "--format", "nq")
    assert stdout.stdout.encode() == export(dev_graph, "nq")


def test_errors(dev_graph: Path, tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        export(dev_graph, "rdfxml")
    res = run_kg("export", dev_graph, "--format", "yaml")
    assert res.returncode == 2 and "--format" in res.stderr
    missing = run_kg("export", tmp_path / "none", "--format", "nq")
    assert missing.returncode == 1 and "none" in missing.stderr
    assert "Traceback" not in missing.stderr
