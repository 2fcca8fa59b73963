"""The view without a browser: projection from the store, statuses, filters, layout, the page.

Browser behaviour (clicks, filters, script safety in a real engine) is in test_view_browser.py.
"""

from __future__ import annotations

import itertools
import json
import os
import re
from pathlib import Path

import pytest
from helpers_view import (
    HOSTILE_NAME,
    HOSTILE_SENTENCE,
    hostile_graph,
    seed_graph,
    small_graph,
    store_from_graphs,
    synthetic_projection,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg import iris
from kg.errors import UsageError
from kg.records import article_to_json, dumps, entity_to_json, relation_to_json
from kg.view import NotebookView, show, view_html, write_view
from kg.view.overview import OVERVIEW_NODES, communities, initial_entities
from kg.view.project import (
    Projection,
    filter_projection,
    find_entity,
    highlight_spans,
    in_date_range,
    load_projection,
    relation_status,
)
from kg.view.render import overview, render_projection, script_json

TRUMP = iris.entity_iri("Donald Trump")
PUTIN = iris.entity_iri("Vladimir Putin")
KREMLIN = iris.entity_iri("Kremlin")
PESKOV = iris.entity_iri("Dmitry Peskov")


@pytest.fixture(scope="module")
def seed_proj(seed_dir: Path) -> Projection:
    return load_projection(store_from_graphs([seed_graph(seed_dir), small_graph()]))


def _json_block(page: str, block: str) -> object:
    m = re.search(rf'<script type="application/json" id="{block}">(.*?)</script>', page, re.S)
    assert m, block
    return json.loads(m.group(1))


# ---------------------------------------------------------------------------------------------
# pure helpers


@pytest.mark.parametrize(
    ("polarity", "modality", "attributed", "denied", "expected"),
    [
        ("positive", "actual", None, False, "asserted"),
        ("positive", "actual", "urn:a", False, "asserted"),  # a party states its own act
        ("positive", "actual", "urn:source", False, "attributed"),
        ("positive", "actual", "urn:source", True, "disputed"),
        ("negative", "planned", "urn:source", True, "disputed"),
        ("negative", "planned", None, False, "negated"),
        ("positive", "planned", "urn:source", False, "planned"),
        ("positive", "hypothetical", None, False, "hypothetical"),
    ],
)
def test_relation_status(polarity, modality, attributed, denied, expected) -> None:
    assert relation_status(polarity, modality, attributed, ("urn:a", "urn:b"), denied) == expected


@pytest.mark.parametrize(
    ("sentence", "names", "expected"),
    [
        ("Putin met Trump.", ["Putin", "Trump"], ((0, 5), (10, 15))),
        ("Vladimir Putin met him.", ["Putin", "Vladimir Putin"], ((0, 14),)),
        ("Putinism is not Putin.", ["Putin"], ((16, 21),)),
        ("the US and the USSR", ["US"], ((4, 6),)),
        ("\U0001f600 Kolar met Braun", ["kolar", "BRAUN"], ((3, 8), (13, 18))),  # UTF-16 units
        ("No names here.", ["Kolar"], ()),
    ],
)
def test_highlight_spans(sentence: str, names: list[str], expected: tuple) -> None:
    assert highlight_spans(sentence, names) == expected


@given(st.text(max_size=80), st.lists(st.text(max_size=12), max_size=4))
def test_highlight_spans_are_ordered_and_inside_the_sentence(sentence, names) -> None:
    spans = highlight_spans(sentence, names)
    length = len(sentence.encode("utf-16-le")) // 2
    assert all(0 <= s < e <= length for s, e in spans)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))


@pytest.mark.parametrize(
    ("date", "since", "until", "expected"),
    [
        ("2018-07-16", "2018", None, True),
        ("2018-07-16", "2018-08", None, False),
        ("2023-02", "2023-02-10", "2023-02-20", True),
        ("2023", None, "2022-12-31", False),
        (None, "2020", None, False),
        (None, None, None, True),
    ],
)
def test_in_date_range(date, since, until, expected) -> None:
    assert in_date_range(date, since, until) is expected


@given(st.text(max_size=200))
def test_script_json_cannot_close_the_script_block(text: str) -> None:
    out = script_json({"s": text, "n": [text]})
    assert "<" not in out and ">" not in out and "&" not in out
    assert "\u2028" not in out and "\u2029" not in out
    assert json.loads(out) == {"s": text, "n": [text]}


# ---------------------------------------------------------------------------------------------
# projection of the seed graph


def test_seed_call_is_disputed_with_both_deniers(seed_proj: Projection) -> None:
    calls = [
        r
        for r in seed_proj.relations.values()
        if r.type == "called" and {r.subject, r.object} == {TRUMP, PUTIN}
    ]
    disputed = [r for r in calls if r.status == "disputed"]
    assert len(disputed) == 1
    deniers = {seed_proj.relations[d].subject for d in disputed[0].denied_by}
    assert deniers == {KREMLIN, PESKOV}
    assert {r.status for r in calls} == {"disputed", "planned", "negated"}
    # the evidence highlights the parties' names in the sentence
    ev = disputed[0].evidence[0]
    marked = {ev.sentence[s:e] for s, e in ev.marks}
    assert {"Donald Trump", "Vladimir Putin"} <= marked


def test_seed_denier_is_linked_to_both_parties_of_the_claim(seed_proj: Projection) -> None:
    denial_edges = {(e.source, e.target) for e in seed_proj.edges if e.type == "denied"}
    assert {(KREMLIN, TRUMP), (KREMLIN, PUTIN), (PESKOV, TRUMP), (PESKOV, PUTIN)} <= denial_edges


def test_parallel_relations_merge_with_a_count(seed_proj: Projection) -> None:
    us, ukraine = iris.entity_iri("United States"), iris.entity_iri("Ukraine")
    support = [e for e in seed_proj.edges if e.type == "supported" and e.source == us]
    assert {e.status for e in support} == {"asserted", "attributed"}
    # a single edge group merges relations of the same type and status between two entities
    proj = synthetic_projection(50, rel_per_entity=6)
    assert any(e.count > 1 for e in proj.edges)
    assert sum(e.count for e in proj.edges if e.type != "denied") == sum(
        1 for r in proj.relations.values() if r.type != "denied"
    )
    assert all(e.target == ukraine for e in support)


def test_article_metadata_and_entities(seed_proj: Projection, seed_dir: Path) -> None:
    expected = json.loads((seed_dir / "expected.json").read_text(encoding="utf-8"))
    labels = {e.label for e in seed_proj.entities.values()}
    # the author is article metadata, not an entity (no relation touches them)
    assert set(expected["entities"]) - {expected["author"]} <= labels
    assert expected["author"] not in labels
    art = next(a for a in seed_proj.articles.values() if a.doc == "seed-article")
    assert art.date == expected["date_published"] and art.author == expected["author"]
    assert art.url and art.headline
    trump = seed_proj.entities[TRUMP]
    assert trump.type == "Person" and "Mr Trump" in trump.aliases
    assert seed_proj.ranked()[0] in {TRUMP, PUTIN}


def test_real_importer_gives_the_same_view_data(seed_dir: Path, tmp_path: Path) -> None:
    """Records through `kg import` (the project's own RDF writer) project like the contract."""
    graph = seed_graph(seed_dir)
    jsonl = tmp_path / "seed.jsonl"
    lines = [dumps(article_to_json(graph.article))]
    lines += [dumps(entity_to_json(graph.article.doc, e)) for e in graph.entities]
    lines += [dumps(relation_to_json(r)) for r in graph.relations]
    jsonl.write_text("\n".join(lines) + "\n", encoding="utf-8")
    from kg.importer import import_records
    from kg.store import open_store

    import_records([jsonl], tmp_path / "out")
    with open_store(tmp_path / "out", read_only=True) as store:
        real = load_projection(store)
    mine = load_projection(store_from_graphs([graph]))
    assert {(e.source, e.target, e.type, e.status) for e in real.edges} == {
        (e.source, e.target, e.type, e.status) for e in mine.edges
    }


# ---------------------------------------------------------------------------------------------
# filters


def test_filter_by_type_keeps_denials_of_kept_claims(seed_proj: Projection) -> None:
    sub = filter_projection(seed_proj, types=["called"])
    assert {r.type for r in sub.relations.values()} == {"called", "denied"}
    assert any(r.status == "disputed" for r in sub.relations.values())


def test_filter_entity_hops(seed_proj: Projection) -> None:
    kolar = filter_projection(seed_proj, entity="Kolar", hops=1)
    assert {e.label for e in kolar.entities.values()} == {
        "Marta Kolar",
        "Felix Braun",
        "Ilona Varga",
    }
    two = filter_projection(seed_proj, entity="marta kolar", hops=2)
    assert "Tomas Reyes" in {e.label for e in two.entities.values()}
    assert find_entity(seed_proj, "Zelensky") == iris.entity_iri("Volodymyr Zelenskyy")


def test_filter_dates_use_relation_then_article_date(seed_proj: Projection) -> None:
    sub = filter_projection(seed_proj, since="2018-07-01", until="2018-07-31")
    assert {(r.type, r.date) for r in sub.relations.values()} == {("met", "2018-07-16")}
    later = filter_projection(seed_proj, since="2025-03-05")
    # the dev sample's undated relations take the article's date (2025-03-07)
    assert {r.type for r in later.relations.values()} == {"called", "met", "supported"}
    assert all(r.date != "2025-03-04" for r in later.relations.values())


@pytest.mark.parametrize(
    "kwargs",
    [
        {"entity": "Nobody Atall"},
        {"since": "last week"},
        {"until": "2024-1"},
        {"types": ["teleported"]},
        {"hops": -1, "entity": "Putin"},
    ],
)
def test_bad_filters_are_usage_errors(seed_proj: Projection, kwargs: dict) -> None:
    with pytest.raises(UsageError):
        filter_projection(seed_proj, **kwargs)


# ---------------------------------------------------------------------------------------------
# layout and page


def _overlaps(boxes: dict[str, tuple[float, float, float, float]]) -> int:
    items = sorted(boxes.values())
    return sum(
        1
        for i, a in enumerate(items)
        for b in items[i + 1 :]
        if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
    )


@pytest.mark.parametrize("n", [300, 3000])
def test_overview_is_deterministic_spread_over_communities_and_labels_apart(n: int) -> None:
    from kg.view.overview import label_box
    from kg.view.render import _node_size

    proj = synthetic_projection(n)
    view = overview(proj, OVERVIEW_NODES)
    assert view == overview(proj, OVERVIEW_NODES)
    comms = communities(proj)
    assert comms == communities(proj) and len(comms) > 5
    assert sum(c.size for c in comms) == n
    assert len(view.initial) == OVERVIEW_NODES and set(view.positions) == set(view.initial)
    # the largest communities are each named by at least two of their entities
    shown = set(view.initial)
    for c in comms[:12]:
        assert len(shown & set(c.members)) >= 2, c.name
    # label boxes (node and label below it) do not overlap
    top = max(e.degree for e in proj.entities.values())
    boxes = {}
    for e in view.initial:
        x, y = view.positions[e]
        w, h = label_box(proj.entities[e].label, _node_size(proj.entities[e].degree, top))
        boxes[e] = (x - w / 2, y - h / 2, x + w / 2, y + h / 2)
    assert _overlaps(boxes) == 0


def test_small_graphs_draw_every_entity_with_a_relation(seed_proj: Projection) -> None:
    comms = communities(seed_proj)
    connected = [e for e in seed_proj.ranked() if seed_proj.entities[e].degree > 0]
    assert initial_entities(seed_proj, comms) == connected


def test_page_is_deterministic_and_shows_the_most_central(seed_proj: Projection) -> None:
    page = render_projection(seed_proj, max_nodes=5)
    assert page == render_projection(seed_proj, max_nodes=5)
    data = _json_block(page, "kg-data")
    assert isinstance(data, dict)
    connected = [e for e in seed_proj.ranked() if seed_proj.entities[e].degree > 0]
    assert data["meta"]["shown"] == 5 and len(data["initial"]) == 5
    assert data["meta"]["entities"] == len(connected)
    assert data["meta"]["hidden"] == len(connected) - 5
    assert data["initial"][0] == seed_proj.ranked()[0]
    nodes = _json_block(page, "kg-nodes")
    # entities without a relation are listed, not drawn
    assert isinstance(nodes, list) and [n["id"] for n in nodes] == connected
    lone = sorted(e.label for e in seed_proj.entities.values() if e.degree == 0)
    assert sorted(data["isolated"]) == lone


def test_page_is_offline_and_locked_down(seed_proj: Projection) -> None:
    page = render_projection(seed_proj)
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert (
        csp
        and "default-src 'none'" in csp.group(1)
        and "'unsafe-inline'" not in csp.group(1).split(";")[1]
    )
    # nothing to fetch: no src/href attributes, no CSS imports, no external URLs in tags
    tags = re.findall(r"<(?:script|link|img|iframe)\b[^>]*>", page)
    assert all("src=" not in t and "href=" not in t for t in tags)
    assert "sourceMappingURL" not in page and "@import" not in page
    assert page.lower().count("</script") == 6


def test_hostile_text_stays_data(tmp_path: Path) -> None:
    page = view_html(store_from_graphs([hostile_graph()]))
    # the only script tags are ours; the hostile strings appear only JSON-escaped
    assert page.lower().count("</script") == 6
    assert HOSTILE_NAME not in page
    markup = page.split("<script>", 1)[0]  # everything but our two scripts (vis-network, view.js)
    assert "<img" not in markup and "<svg" not in markup and "<b>" not in markup
    data = _json_block(page, "kg-data")
    assert isinstance(data, dict)
    sentences = [ev["sentence"] for r in data["relations"].values() for ev in r["evidence"]]
    assert sentences == [HOSTILE_SENTENCE]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.text(min_size=1, max_size=40).filter(lambda s: s.strip()),
    sentence=st.text(max_size=120),
)
def test_any_text_cannot_add_markup(name: str, sentence: str) -> None:
    from kg.view.project import EntityInfo, EvidenceInfo, RelationInfo, assemble

    proj = assemble(
        [
            EntityInfo(id="urn:x:a", label=name, type="Person"),
            EntityInfo(id="urn:x:b", label=name + "<", type="Group"),
        ],
        [
            RelationInfo(
                id="urn:x:r",
                type="met",
                subject="urn:x:a",
                object="urn:x:b",
                evidence=(EvidenceInfo(sentence=sentence, start=0, end=len(sentence)),),
            )
        ],
        symmetric_types=("met",),
    )
    page = render_projection(proj)
    assert page.lower().count("</script") == 6
    data = _json_block(page, "kg-data")
    assert isinstance(data, dict)
    assert data["relations"]["urn:x:r"]["evidence"][0]["sentence"] == sentence


def test_notebook_view_is_an_isolated_iframe(seed_proj: Projection) -> None:
    nb = show(seed_proj, max_nodes=10)
    assert isinstance(nb, NotebookView)
    out = nb._repr_html_()
    assert out.startswith('<iframe srcdoc="') and 'sandbox="allow-scripts"' in out
    assert "<script" not in out  # the page is an attribute value, fully escaped
    import html as html_mod

    inner = html_mod.unescape(out.split('srcdoc="', 1)[1].split('" sandbox=', 1)[0])
    assert inner == nb.html


# ---------------------------------------------------------------------------------------------
# write_view and the command line


def _import_dir(seed_dir: Path, tmp_path: Path) -> Path:
    graph = seed_graph(seed_dir)
    jsonl = tmp_path / "records.jsonl"
    lines = [dumps(article_to_json(graph.article))]
    lines += [dumps(entity_to_json(graph.article.doc, e)) for e in graph.entities]
    lines += [dumps(relation_to_json(r)) for r in graph.relations]
    jsonl.write_text("\n".join(lines) + "\n", encoding="utf-8")
    from kg.importer import import_records

    out = tmp_path / "out"
    import_records([jsonl], out)
    return out


def test_write_view_writes_only_the_requested_file(seed_dir: Path, tmp_path: Path) -> None:
    out = _import_dir(seed_dir, tmp_path)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    cwd = Path.cwd()
    os.chdir(tmp_path)
    try:
        summary = write_view(out)
    finally:
        os.chdir(cwd)
    after = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    assert set(after) - set(before) == {Path("out/graph.html")}
    assert summary.path == out / "graph.html" and summary.bytes == summary.path.stat().st_size
    assert summary.entities >= 7 and summary.hidden == 0  # entities with a relation


def test_cli_view(seed_dir: Path, tmp_path: Path, kg_cli) -> None:
    out = _import_dir(seed_dir, tmp_path)
    target = tmp_path / "trump.html"
    res = kg_cli(
        "view",
        out,
        "-o",
        target,
        "--entity",
        "Trump",
        "--hops",
        "1",
        "--type",
        "called",
        "--max-nodes",
        "3",
    )
    assert res.returncode == 0, res.stderr
    assert "wrote" in res.stdout and target.is_file()
    data = _json_block(target.read_text(encoding="utf-8"), "kg-data")
    assert isinstance(data, dict)
    assert data["meta"]["shown"] == 3 and data["meta"]["hidden"] > 0
    assert {r["type"] for r in data["relations"].values()} == {"called", "denied"}
    first = target.read_bytes()
    assert (
        kg_cli(
            "view",
            out,
            "-o",
            target,
            "--entity",
            "Trump",
            "--hops",
            "1",
            "--type",
            "called",
            "--max-nodes",
            "3",
        ).returncode
        == 0
    )
    assert target.read_bytes() == first  # deterministic


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--since", "yesterday"], 2, "--since"),
        (["--entity", "Nobody Atall"], 2, "Nobody Atall"),
        (["--max-nodes", "0"], 2, "max-nodes"),
    ],
)
def test_cli_view_usage_errors(seed_dir: Path, tmp_path: Path, kg_cli, args, code, message) -> None:
    out = _import_dir(seed_dir, tmp_path)
    res = kg_cli("view", out, *args)
    assert res.returncode == code, res.stderr
    assert message in res.stderr
    assert not (out / "graph.html").exists()


def test_cli_view_missing_store(tmp_path: Path, kg_cli) -> None:
    res = kg_cli("view", tmp_path)
    assert res.returncode == 1 and "no graph store" in res.stderr
    res = kg_cli("view", tmp_path / "nope")
    assert res.returncode == 2 and "not a directory" in res.stderr


def test_counts_are_the_same_with_or_without_sentences(seed_dir: Path) -> None:
    from kg.view.project import count_graph, graph_counts

    store = store_from_graphs([seed_graph(seed_dir), small_graph(), hostile_graph()])
    full = graph_counts(load_projection(store))
    assert count_graph(store) == full
    assert full.relations == sum(full.by_status.values()) == sum(full.by_type.values())
    # Vienna (a place), Radio Sol (a source) and the authors take part in no relation
    proj = load_projection(store)
    assert full.entities == sum(1 for e in proj.entities.values() if e.degree > 0)
    assert full.entities < len(proj.entities)


def test_page_is_the_same_in_every_process() -> None:
    """Communities and layout do not depend on string hashing (PYTHONHASHSEED)."""
    import subprocess
    import sys

    script = (
        "import hashlib, sys; sys.path.insert(0, 'tests');"
        "from helpers_view import synthetic_projection;"
        "from kg.view.render import render_projection;"
        "print(hashlib.sha256(render_projection(synthetic_projection(300)).encode()).hexdigest())"
    )
    root = Path(__file__).resolve().parent.parent
    digests = {
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            cwd=root,
            env={**os.environ, "PYTHONHASHSEED": seed},
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(digests) == 1
