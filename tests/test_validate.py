"""kg validate: SHACL over the store's union graph (real pySHACL, real store, real CLI)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import run_kg
from helpers_rdf import write_jsonl

from kg import iris
from kg.importer import import_records
from kg.validate import validate_dir

KG = iris.KG
B = "https://example.org/bad/"
XSD = "http://www.w3.org/2001/XMLSchema#"
TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def n(local: str) -> ox.NamedNode:
    return ox.NamedNode(B + local)


def k(local: str) -> ox.NamedNode:
    return ox.NamedNode(KG + local)


def write_store(out: Path, triples: list[tuple[ox.NamedNode, ox.NamedNode, object]]) -> None:
    """A hand-made graph written straight into DIR/store (bypassing our RDF layer)."""
    store = ox.Store(str(out / "store"))
    g = ox.NamedNode(B + "graph")
    store.extend([ox.Quad(s, p, o, g) for s, p, o in triples])  # type: ignore[arg-type]
    store.flush()
    del store


@pytest.fixture()
def valid_out(tmp_path: Path) -> Path:
    rel = {"doc": "d", "type": "met", "subject": "Ana Kolar", "object": "Jonas Braun",
           "sentence": "Kolar met Braun.", "start": 0, "end": 16, "date": "2021-03",
           "place": "Lisbon", "attributed_to": "unnamed reports"}
    deny = {**rel, "type": "denied", "id": iris.DEFAULT_BASE + "relation/x",
            "subject": "Jonas Braun", "object": "Ana Kolar"}
    import_records([write_jsonl(tmp_path / "r.jsonl", [rel, deny])], tmp_path / "out")
    return tmp_path / "out"


def test_valid_graph_conforms(valid_out: Path) -> None:
    report = validate_dir(valid_out)
    assert report.conforms and report.violations == ()
    done = run_kg("validate", valid_out)
    assert done.returncode == 0
    assert done.stdout.startswith("conforms")


@pytest.mark.parametrize(
    ("triples", "focus", "needle"),
    [
        ([(n("r"), TYPE, k("Call")), (n("r"), k("subject"), n("e"))], "r", "kg:polarity"),
        ([(n("r"), TYPE, k("Call")), (n("r"), TYPE, k("Meeting"))], "r", "exactly one relation"),
        ([(n("r"), k("date"), ox.Literal("July 2018"))], "r", "kg:date"),
        ([(n("r"), k("confidence"), ox.Literal("1.5", datatype=ox.NamedNode(XSD + "decimal")))],
         "r", "between 0 and 1"),
        ([(n("r"), TYPE, k("Denial"))], "r", "kg:denies"),
        ([(n("e"), TYPE, k("Person"))], "e", "rdfs:label"),
        ([(n("r"), k("object"), n("e"))], "e", "has a type"),
        ([(n("v"), TYPE, k("Evidence")), (n("v"), k("start"), ox.Literal(9)),
          (n("v"), k("end"), ox.Literal(3))], "v", "not after kg:end"),
    ],
)
def test_violations_name_the_focus_node(
    tmp_path: Path, triples: list, focus: str, needle: str
) -> None:
    write_store(tmp_path, triples)
    report = validate_dir(tmp_path)
    assert not report.conforms
    assert any(v.focus == f"<{B}{focus}>" and needle in v.message for v in report.violations), (
        report.text())
    done = run_kg("validate", tmp_path)
    assert done.returncode == 1
    assert done.stdout.startswith("does not conform")
    assert f"<{B}{focus}>" in done.stdout and needle in done.stdout


def test_report_is_stable(tmp_path: Path) -> None:
    write_store(tmp_path, [(n("r"), TYPE, k("Call")), (n("e"), TYPE, k("Group"))])
    assert validate_dir(tmp_path).text() == validate_dir(tmp_path).text()


def test_missing_store(tmp_path: Path) -> None:
    done = run_kg("validate", tmp_path / "none")
    assert done.returncode == 1
    assert "no graph store" in done.stderr and str(tmp_path / "none") in done.stderr
