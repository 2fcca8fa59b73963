"""Property tests over arbitrary Unicode: extraction never raises, the graph is always valid RDF.

Hypothesis writes article texts (free text, and sentences with arbitrary names in trigger
templates); each goes through every stage, and its quads must parse back with pyoxigraph
(round trip), with Debian's ``rapper -i nquads``, and pass the SHACL shapes. A fixed hostile
corpus then goes through the CLI: graph.nq, the view, parameterised queries and output paths.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from conftest import RAPPER, requires_rapper, run_kg
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.extraction.nlp import load_model
from kg.extraction.pipeline import extract_article
from kg.extraction.read import text_article
from kg.model import Article, ArticleGraph
from kg.rdf.to_rdf import article_quads

pytestmark = pytest.mark.model

# Any code point but surrogates (no UTF-8 text holds them; the readers replace them).
CHARS = st.characters(blacklist_categories=("Cs",))
NAME = st.text(CHARS, min_size=1, max_size=25)
TEMPLATES = (
    "{a} met {b} in {c} on 3 March 2025.",
    "{a} denied reports that {b} had phoned {c}.",
    "According to {c}, {a} has no plans to meet {b}.",
    "{a} called {b} a liar and called for calm in {c}.",
    "{a} and {b} held talks with {c}, the {c} Times reported.",
)
PROPERTY = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

HOSTILE = [
    'Kolar meets Braun</script><script>alert("x")</script>\n\n'
    "Marta </script><img src=x onerror=alert(1)> Kolar met Felix Braun in Vienna.\n",
    '"> ; DROP ALL ; INSERT DATA { <a> <b> <c> } #\n\n'
    'President "Evil} ; CLEAR ALL ; {" Novak met Ilona Varga in "Oslo" on Friday.\n',
    "Ünïcödé ‮evil‭ names\n\nZoë Ångström-Ñúñez met Łukasz Żółć and Ἀλέξανδρος in Þórshöfn.\n",
    "Back\\slash and <angle> {braces} |pipe| ^caret^ `tick`\n\n"
    "Anya <Petrov> met Jonas \\Berg\\ in Riga; Pavel {Lind} phoned Greta `Holm`.\n",
    "Emoji 🇺🇦 and zero\u200bwidth\n\nVolodymyr 🇺🇦 Zelensky met Emmanuel\u200b Macron in Kyiv.\n",
    "Control \x1b[31m codes\n\nMarta Kolar\x07 met Felix\x1b Braun in Vienna.\n",
]


@pytest.fixture(scope="module")
def nlp() -> Any:
    return load_model()


def _graph(nlp: Any, text: str, doc: str = "prop") -> ArticleGraph:
    article: Article = text_article(text, doc)
    return extract_article(article, nlp)


def _check_rdf(graph: ArticleGraph) -> bytes:
    """The article's quads round-trip through N-Quads with pyoxigraph and parse with rapper."""
    quads = article_quads(graph)
    data = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    assert data is not None
    back = list(ox.parse(data, format=ox.RdfFormat.N_QUADS))
    assert set(back) == set(quads)
    res = subprocess.run(
        [str(RAPPER), "-q", "-i", "nquads", "-o", "nquads", "-", "urn:x-base:"],
        input=data,
        capture_output=True,
        timeout=60,
    )
    assert res.returncode == 0, res.stderr
    assert len(res.stdout.splitlines()) == len(quads)
    return data


def _check_shacl(data: bytes) -> None:
    from rdflib import Graph

    from kg.validate import validate_graph

    triples = [ox.Triple(q.subject, q.predicate, q.object)
               for q in ox.parse(data, format=ox.RdfFormat.N_QUADS)]
    union = Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    report = validate_graph(union)
    assert report.conforms, report.violations[:3]


@requires_rapper
@PROPERTY
@given(text=st.text(CHARS, max_size=400))
def test_free_text_never_raises_and_gives_valid_rdf(nlp: Any, text: str) -> None:
    if not text.strip():
        return
    text = text.replace("\x00", " ")
    _check_rdf(_graph(nlp, text))


@requires_rapper
@PROPERTY
@given(a=NAME, b=NAME, c=NAME, templates=st.lists(st.sampled_from(TEMPLATES), min_size=1,
                                                   max_size=3))
def test_arbitrary_names_in_trigger_sentences(
    nlp: Any, a: str, b: str, c: str, templates: list[str]
) -> None:
    text = f"Headline {a}\n\n" + " ".join(t.format(a=a, b=b, c=c) for t in templates)
    text = text.replace("\x00", " ")
    graph = _graph(nlp, text)
    _check_rdf(graph)


@requires_rapper
@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(a=NAME, b=NAME, c=NAME)
def test_arbitrary_names_pass_shacl(nlp: Any, a: str, b: str, c: str) -> None:
    text = " ".join(t.format(a=a, b=b, c=c) for t in TEMPLATES).replace("\x00", " ")
    _check_shacl(_check_rdf(_graph(nlp, f"Headline\n\n{text}\n")))


@requires_rapper
@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_articles_in_process(nlp: Any, text: str) -> None:
    graph = _graph(nlp, text)
    _check_shacl(_check_rdf(graph))


# -- the hostile corpus through the CLI ----------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    base = tmp_path_factory.mktemp("hostile")
    work = base / "a" / "b"  # inputs two levels down: "../../x" would land in base
    work.mkdir(parents=True)
    feed = work / "feed.jsonl"
    ids = ["../../x", "/etc/passwd", "..", "../../evil.txt", "con:\\nul", "a/../../b"]
    lines = [
        json.dumps({"id": doc, "title": text.split("\n", 1)[0], "text": text}, ensure_ascii=False)
        for doc, text in zip(ids, HOSTILE, strict=True)
    ]
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (work / "..evil.txt").write_text(HOSTILE[0], encoding="utf-8")
    before = sorted(p for p in base.rglob("*"))
    out = work / "out"
    res = run_kg("build", feed, work / "..evil.txt", "--out", out, cwd=work)
    written = sorted(p for p in base.rglob("*") if p not in before)
    return {"base": base, "out": out, "res": res, "written": written, "ids": ids}


@requires_rapper
def test_hostile_corpus_builds_valid_graph(hostile_build: dict[str, Any]) -> None:
    res, out = hostile_build["res"], hostile_build["out"]
    assert res.returncode == 0, res.stderr
    data = (out / "graph.nq").read_bytes()
    assert len(list(ox.parse(data, format=ox.RdfFormat.N_QUADS))) == data.count(b"\n")
    rapper = subprocess.run([str(RAPPER), "-q", "-c", "-i", "nquads", str(out / "graph.nq")],
                            capture_output=True, text=True, timeout=60)
    assert rapper.returncode == 0, rapper.stderr
    validated = run_kg("validate", out)
    assert validated.returncode == 0, validated.stdout + validated.stderr


def test_no_input_path_writes_outside_out(hostile_build: dict[str, Any]) -> None:
    out: Path = hostile_build["out"]
    outside = [p for p in hostile_build["written"] if out not in p.parents and p != out]
    assert outside == []
    assert not Path("/etc/passwd.nq").exists()
    docs = [json.loads(line)["doc"] for line in (out / "relations.jsonl").open(encoding="utf-8")
            if '"record": "article"' in line]
    assert sorted(docs) == sorted([*hostile_build["ids"], "..evil"])
    nq = (out / "graph.nq").read_text(encoding="utf-8")
    for line in nq.splitlines():  # every IRI is the base plus a slug, whatever the doc id
        for iri in (t for t in line.split(" ") if t.startswith("<")):
            assert ".." not in iri and "\\" not in iri, iri


def test_view_data_cannot_close_its_script_block(hostile_build: dict[str, Any]) -> None:
    import re

    page = (hostile_build["out"] / "graph.html").read_text(encoding="utf-8")
    blocks = re.findall(r"<script[^>]*type=\"application/json\"[^>]*>(.*?)</script>", page,
                        flags=re.S | re.I)
    assert blocks, "no JSON data block in the view"
    assert "Felix Braun" in page or "Felix" in page
    for block in blocks:
        assert "</script" not in block.lower() and "<!--" not in block and "<" not in block
        json.loads(block)
    assert "onerror=alert" not in page.replace("\\u003c", "<").split("<script", 1)[0]


@pytest.mark.parametrize(
    "value",
    ['"Evil} ; CLEAR ALL ; {"', '" } UNION { ?s ?p ?o } #', "Marta Kolar> <x", "\\\" . }"],
)
def test_query_parameters_cannot_change_the_query(
    hostile_build: dict[str, Any], value: str
) -> None:
    out = hostile_build["out"]
    query = "SELECT ?e WHERE { ?e <http://www.w3.org/2000/01/rdf-schema#label> ?name }"
    res = run_kg("query", out, query, "--param", f"name={value}", "--format", "json")
    assert res.returncode in (0, 2), res.stderr
    assert "Traceback" not in res.stderr
    if res.returncode == 0:
        assert json.loads(res.stdout)["results"]["bindings"] == []  # no label has this value
    total = run_kg("query", out, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
                   "--format", "json")
    n = int(json.loads(total.stdout)["results"]["bindings"][0]["n"]["value"])
    assert n == (out / "graph.nq").read_bytes().count(b"\n")  # nothing was cleared
