"""kg import: the seed gold as records, round trips, idempotence, bad lines, usage errors.

The checks that hold for any article (SHACL, the CLI, rapper round trip, byte-identical
re-import) run on an example article's gold too, so they run without ../shared."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from conftest import RAPPER, requires_rapper, run_kg
from helpers_rdf import (
    EXAMPLE_DOC,
    SEED_DOC,
    example_records,
    parse_nquads,
    seed_records,
    solutions,
    write_jsonl,
)

from kg import iris
from kg.errors import UsageError
from kg.importer import import_records
from kg.store import open_store
from kg.validate import validate_dir


def relation(doc: str, rid: str, rtype: str, subject: str, obj: str, **kw: object) -> dict:
    return {"id": f"{iris.DEFAULT_BASE}relation/{rid}", "doc": doc, "type": rtype,
            "subject": subject, "object": obj, "sentence": f"{subject} and {obj}.",
            "start": 0, "end": 10, **kw}


@pytest.fixture(scope="module")
def seed_out(seed_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed gold imported once (records read from ../shared in place, never copied)."""
    work = tmp_path_factory.mktemp("seed")
    src = write_jsonl(work / "seed.jsonl", seed_records(seed_dir))
    report = import_records([src], work / "out", base=iris.DEFAULT_BASE)
    assert report.ok, report.failures
    return work / "out"


@pytest.fixture(params=["example", "seed"])
def gold(request: pytest.FixtureRequest) -> tuple[str, list[dict[str, object]]]:
    """(doc, records) of an example article's gold, and of the seed's (skips without it)."""
    if request.param == "seed":
        return SEED_DOC, seed_records(request.getfixturevalue("seed_dir"))
    return EXAMPLE_DOC, example_records()


@pytest.fixture()
def gold_out(gold: tuple[str, list[dict[str, object]]], tmp_path: Path) -> Path:
    src = write_jsonl(tmp_path / "gold.jsonl", gold[1])
    report = import_records([src], tmp_path / "out", base=iris.DEFAULT_BASE)
    assert report.ok, report.failures
    return tmp_path / "out"


def test_seed_met_is_a_fact_and_the_reported_call_is_not(seed_out: Path) -> None:
    with open_store(seed_out, read_only=True) as store:
        met = solutions(store, "SELECT ?a ?b { ?a kg:met ?b }")
        labels = {
            row[0]
            for row in solutions(store, "SELECT ?l { { ?a kg:met ?b } UNION { ?b kg:met ?a } "
                                        "?a rdfs:label ?l }")
        }
        assert len(met) == 1
        assert labels == {"Vladimir Putin", "Donald Trump"}
        assert solutions(store, "SELECT ?a ?b { ?a kg:called ?b }") == []
        calls = solutions(
            store,
            """SELECT ?src ?denier { ?c a kg:Call ; kg:subject/rdfs:label "Donald Trump" ;
                   kg:modality kg:Actual ; kg:attributedTo/rdfs:label ?src .
                 ?d a kg:Denial ; kg:denies ?c ; kg:subject/rdfs:label ?denier }""",
        )
        assert calls == [("The Washington Post", "Kremlin")]
        # the Helsinki meeting caption appears twice: one node, two pieces of evidence
        ev = solutions(store, 'SELECT ?e { ?m a kg:Meeting ; kg:place/rdfs:label "Helsinki" ; '
                              "kg:evidence ?e }")
        assert len(ev) == 2
        date = solutions(store, "SELECT (DATATYPE(?d) AS ?t) { ?m a kg:Meeting ; kg:date ?d }")
        assert date == [("http://www.w3.org/2001/XMLSchema#date",)]
        assert store.articles() == {SEED_DOC: store.articles()[SEED_DOC]}


def test_gold_graph_passes_shacl(gold_out: Path) -> None:
    report = validate_dir(gold_out)
    assert report.conforms, report.text()


def test_cli_import_and_validate(gold: tuple[str, list[dict[str, object]]],
                                 tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "gold.jsonl", gold[1])
    done = run_kg("import", src, "--out", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    assert "0 records failed" in done.stdout
    checked = run_kg("validate", tmp_path / "out")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.startswith("conforms")
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert report["ok"] and report["articles"] == [gold[0]]


@requires_rapper
@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib 7 Dataset internals
def test_graph_nq_parses_with_rapper_and_round_trips(gold_out: Path, tmp_path: Path) -> None:
    nq = gold_out / "graph.nq"
    lines = nq.read_bytes().count(b"\n")
    counted = subprocess.run([str(RAPPER), "-i", "nquads", "-c", str(nq)],
                             capture_output=True, text=True, timeout=60)
    assert counted.returncode == 0, counted.stderr
    assert f"returned {lines} " in counted.stderr
    # rapper's own serialisation, parsed back by pyoxigraph and rdflib: the same dataset
    out = subprocess.run([str(RAPPER), "-q", "-i", "nquads", "-o", "nquads", str(nq)],
                         capture_output=True, timeout=60)
    assert out.returncode == 0
    (tmp_path / "rapper.nq").write_bytes(out.stdout)
    ours = set(parse_nquads(nq))
    assert set(parse_nquads(tmp_path / "rapper.nq")) == ours
    with open_store(gold_out, read_only=True) as store:
        assert set(store.quads()) == ours
    ds = rdflib.Dataset()
    ds.parse(nq, format="nquads")
    assert len(ds) == len(ours)
    back = ox.parse(ds.serialize(format="nquads").encode(), format=ox.RdfFormat.N_QUADS)
    assert set(back) == ours


def test_import_twice_is_byte_identical(gold: tuple[str, list[dict[str, object]]],
                                       tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "gold.jsonl", gold[1])
    out = tmp_path / "out"
    first = import_records([src], out)
    data1 = (out / "graph.nq").read_bytes()
    second = import_records([src], out)
    data2 = (out / "graph.nq").read_bytes()
    assert data1 == data2
    assert first.quads == second.quads == data1.count(b"\n")
    other = import_records([src], tmp_path / "fresh")
    assert (tmp_path / "fresh" / "graph.nq").read_bytes() == data1
    assert other.quads == first.quads


def test_reimport_replaces_only_that_article(tmp_path: Path) -> None:
    a = [relation("doc-a", "a1", "met", "Ana Kolar", "Jonas Braun")]
    b = [relation("doc-b", "b1", "called", "Mia Ito", "Leo Park")]
    out = tmp_path / "out"
    import_records([write_jsonl(tmp_path / "ab.jsonl", a + b)], out)

    def graph_lines(doc: str) -> list[bytes]:
        g = f"<{iris.graph_iri(doc)}> .".encode()
        return [ln for ln in (out / "graph.nq").read_bytes().splitlines() if ln.endswith(g)]

    before_b = graph_lines("doc-b")
    changed = [relation("doc-a", "a1", "met", "Ana Kolar", "Rui Costa")]
    import_records([write_jsonl(tmp_path / "a2.jsonl", changed)], out)
    assert graph_lines("doc-b") == before_b
    text = b"\n".join(graph_lines("doc-a"))
    assert b"rui-costa" in text and b"jonas-braun" not in text
    with open_store(out, read_only=True) as store:
        assert sorted(store.articles()) == ["doc-a", "doc-b"]
        rows = solutions(store, "SELECT ?a ?b { ?a kg:met ?b }")
        assert rows == [(iris.entity_iri("Ana Kolar"), iris.entity_iri("Rui Costa"))]


def test_bad_lines_are_reported_and_good_lines_go_in(tmp_path: Path) -> None:
    good = relation("doc-a", "g1", "met", "Ana Kolar", "Jonas Braun")
    lines = [
        json.dumps(good),
        '{"doc": "doc-a", "type": "met", "subject": "X"',  # truncated
        "[1, 2, 3]",  # not an object
        json.dumps({"doc": "doc-a", "type": "met", "subject": "Ana Kolar"}),  # no object
        json.dumps(relation("doc-a", "g2", "teleported", "A", "B")),  # unknown type
        json.dumps(relation("doc-a", "d1", "denied", "A", "B", denies="nope")),  # bad ref
        json.dumps(relation("doc-a", "g3", "met", "A", "B", date="last week")),  # bad date
        json.dumps(relation("doc-b", "g4", "supported", "Mia Ito", "Leo Park")),
    ]
    src = write_jsonl(tmp_path / "mixed.jsonl", lines)
    done = run_kg("import", src, "--out", tmp_path / "out")
    assert done.returncode == 1
    for line in (2, 3, 4, 5, 6, 7):
        assert f"{src}:{line}:" in done.stderr
    assert f"{src}:1:" not in done.stderr and f"{src}:8:" not in done.stderr
    assert "missing field 'object'" in done.stderr
    assert "teleported" in done.stderr and "nope" in done.stderr
    assert "6 records failed" in done.stdout
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert [f["line"] for f in report["failures"]] == [2, 3, 4, 5, 6, 7]
    with open_store(tmp_path / "out", read_only=True) as store:
        assert len(solutions(store, "SELECT ?a { ?a kg:met ?b }")) == 1
        assert len(solutions(store, "SELECT ?a { ?a kg:supported ?b }")) == 1


def test_invalid_utf8_and_missing_file_are_failures(tmp_path: Path) -> None:
    src = tmp_path / "enc.jsonl"
    src.write_bytes(json.dumps(relation("d", "r1", "met", "A", "B")).encode() + b"\n\xff\xfe\n")
    report = import_records([src, tmp_path / "absent.jsonl"], tmp_path / "out")
    assert [(Path(f.source).name, f.line) for f in report.failures] == [
        ("enc.jsonl", 2), ("absent.jsonl", None)]
    assert report.relations == 1 and report.exit_code == 1


def test_stdin_and_entity_and_article_records(tmp_path: Path) -> None:
    lines = [
        {"record": "article", "doc": "d", "title": "T", "date": "2024-11", "author": "Ann Writer"},
        {"record": "entity", "doc": "d", "label": "Ana Kolar", "type": "Person",
         "aliases": ["Kolar"]},
        relation("d", "r1", "met", "Kolar", "Lisbon Council"),
    ]
    text = "\n".join(json.dumps(x) for x in lines) + "\n"
    done = run_kg("import", "-", "--out", tmp_path / "out", input=text)
    assert done.returncode == 0, done.stderr
    with open_store(tmp_path / "out", read_only=True) as store:
        rows = solutions(store, "SELECT ?l ?t { ?a kg:met ?b . ?a rdfs:label ?l ; a ?t }")
        assert rows == [("Ana Kolar", iris.KG + "Person")]
        group = solutions(store, "SELECT ?t { ?a kg:met ?b . ?b a ?t }")
        assert group == [(iris.KG + "Group",)]


@pytest.mark.parametrize(
    "args",
    [
        ("import", "--out", "OUT"),
        ("import", "FILE", "--out", "OUT", "--base", "not an iri"),
        ("import", "FILE", "--out", "OUT", "--base", "https://example.org/no-slash"),
        ("import", "FILE", "--bogus-option"),
        ("import", "FILE"),  # no --out
    ],
)
def test_usage_errors_exit_2(tmp_path: Path, args: tuple[str, ...]) -> None:
    src = write_jsonl(tmp_path / "f.jsonl", [relation("d", "r", "met", "A", "B")])
    real = [str(src) if a == "FILE" else str(tmp_path / "o") if a == "OUT" else a for a in args]
    done = run_kg(*real)
    assert done.returncode == 2, done.stdout + done.stderr
    assert not (tmp_path / "o" / "graph.nq").exists()


def test_custom_base(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "f.jsonl", [relation("d", "r", "met", "A", "B")])
    base = "https://example.org/news/"
    done = run_kg("import", src, "--out", tmp_path / "o", "--base", base)
    assert done.returncode == 0, done.stderr
    for q in parse_nquads(tmp_path / "o" / "graph.nq"):
        assert str(q.graph_name.value).startswith(base)
        assert isinstance(q.subject, ox.NamedNode) and not q.subject.value.startswith(
            iris.DEFAULT_BASE)


def test_import_records_usage_error_without_inputs(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        import_records([], tmp_path)
