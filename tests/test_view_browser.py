"""The view in real headless Chromium (Debian's /usr/bin/chromium through Playwright).

Every page is opened from a file:// URL with a route handler that records and aborts every
request other than the file itself; a test fails on any such request, on any dialog and on
any Content-Security-Policy violation. One browser per module, four page loads in all.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers_view import (
    HOSTILE_HEADLINE,
    HOSTILE_IMG,
    HOSTILE_NAME,
    HOSTILE_SENTENCE,
    Loaded,
    hostile_graph,
    open_page,
    seed_graph,
    small_graph,
    store_from_graphs,
    synthetic_projection,
)

from kg import iris
from kg.view import show, view_html
from kg.view.render import render_projection

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
TRUMP = iris.entity_iri("Donald Trump")
PUTIN = iris.entity_iri("Vladimir Putin")
KREMLIN = iris.entity_iri("Kremlin")
ZELENSKYY = iris.entity_iri("Volodymyr Zelenskyy")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's /usr/bin/chromium is not installed"),
]

VISIBLE_LABELS = (
    "() => newskgView.visibleNodeIds().map(id => newskgView.network.body.data.nodes.get(id).label)"
)
VISIBLE_EDGE_TYPES = (
    "() => newskgView.visibleEdgeIds().map(id => newskgView.network.body.data.edges.get(id).kgType)"
)
VISIBLE_EDGE_STATUSES = (
    "() => newskgView.visibleEdgeIds()"
    ".map(id => newskgView.network.body.data.edges.get(id).kgStatus)"
)


@pytest.fixture(scope="module")
def expected(seed_dir: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((seed_dir / "expected.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def seed_page(
    browser: Any, seed_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Loaded]:
    path = tmp_path_factory.mktemp("view") / "seed.html"
    path.write_text(view_html(store_from_graphs([seed_graph(seed_dir), small_graph()])), "utf-8")
    loaded = open_page(browser, path)
    yield loaded
    loaded.page.close()


def _panel(loaded: Loaded) -> str:
    return str(loaded.js("() => document.getElementById('kg-panel').textContent"))


def _visible_edge_types(loaded: Loaded) -> set[str]:
    return set(loaded.js(VISIBLE_EDGE_TYPES))


def test_seed_view_loads_offline_and_draws_the_entities(seed_page: Loaded, expected: dict) -> None:
    seed_page.check_clean()
    labels = set(seed_page.js(VISIBLE_LABELS))
    parties = {
        name
        for r in expected["relations"]
        for name in (r["subject"], r["object"])
        if name in expected["entities"]
    }
    assert parties <= labels
    # places, sources and the author take part in no relation: listed, not drawn
    lone = set(expected["entities"]) - labels
    assert {"Helsinki", "The Washington Post", expected["author"]} <= lone
    listed = set(
        seed_page.js(
            "() => newskgView.showIsolated() && "
            "Array.from(document.querySelectorAll('.kg-isolated li'))"
            ".map(li => li.textContent)"
        )
    )
    assert lone - {expected["author"]} <= listed and expected["author"] not in listed
    # the canvas really drew them: every visible node has a position on the canvas
    n_pos = seed_page.js("() => Object.keys(newskgView.network.getPositions()).length")
    assert n_pos == len(labels)
    ARTIFACTS.mkdir(exist_ok=True)
    seed_page.js("() => newskgView.network.fit({animation: false})")
    seed_page.page.screenshot(path=str(ARTIFACTS / "view.png"))
    assert (ARTIFACTS / "view.png").stat().st_size > 10_000


def test_trump_putin_call_is_disputed_and_shows_report_and_denials(
    seed_page: Loaded, expected: dict
) -> None:
    edges = seed_page.js("([a, b]) => newskgView.edgesBetween(a, b)", [TRUMP, PUTIN])
    disputed = [e for e in edges if e["type"] == "called" and e["status"] == "disputed"]
    assert len(disputed) == 1
    called = [e for e in edges if e["type"] == "called"]
    # colour by type (same for every status), line style and a red glow by status
    assert len({e["hue"] for e in called}) == 1
    assert disputed[0]["dashes"] and disputed[0]["glow"]
    assert "disputed" in disputed[0]["label"]  # status is in the text too, not colour alone
    assert seed_page.js("(id) => newskgView.select(id)", disputed[0]["id"]) is True
    panel = _panel(seed_page)
    report = next(
        r["sentence"]
        for r in expected["relations"]
        if r["type"] == "called" and r["modality"] == "actual" and r["attributed_to"]
    )
    denials = [
        r["sentence"]
        for r in expected["relations"]
        if r["type"] == "denied" and r["claim"]["type"] in ("called", "warned")
    ]
    assert len(denials) == 2
    for sentence in {report, *denials}:
        assert panel.count(sentence) == 1, sentence  # the claim once, each denial under it
    assert "characters" not in panel  # offsets stay in the data, not shown
    # the selection stands out: selected, thicker, labelled
    sel = disputed[0]["id"]
    assert seed_page.js("() => newskgView.network.getSelectedEdges()") == [sel]
    assert "disputed" in seed_page.js(
        "(id) => newskgView.network.body.data.edges.get(id).label", sel
    )
    assert "Denied by Kremlin" in panel and "Denied by Dmitry Peskov" in panel
    assert "The Washington Post" in panel  # who reports
    assert expected["author"] in panel and expected["date_published"] in panel
    marks = seed_page.js(
        "() => Array.from(document.querySelectorAll('#kg-panel mark')).map(m => m.textContent)"
    )
    assert "Donald Trump" in marks and "Vladimir Putin" in marks
    seed_page.page.screenshot(path=str(ARTIFACTS / "view-selected.png"))


def test_filter_hides_edges_of_one_type(seed_page: Loaded) -> None:
    assert "called" in _visible_edge_types(seed_page)
    seed_page.page.click('[data-test="legend-relTypes-called"]')
    types = _visible_edge_types(seed_page)
    assert "called" not in types and {"met", "supported", "denied"} <= types
    seed_page.page.click('[data-test="legend-relTypes-called"]')
    assert "called" in _visible_edge_types(seed_page)
    # the status legend hides the disputed call only
    seed_page.page.click('[data-test="legend-statuses-disputed"]')
    statuses = set(seed_page.js(VISIBLE_EDGE_STATUSES))
    assert "disputed" not in statuses and "asserted" in statuses
    seed_page.page.click('[data-test="legend-statuses-disputed"]')
    assert "disputed" in set(seed_page.js(VISIBLE_EDGE_STATUSES))
    # the date filter keeps the 2018 meeting only
    seed_page.page.fill('[data-test="since"]', "2018-07-01")
    seed_page.page.fill('[data-test="until"]', "2018-07-31")
    seed_page.page.dispatch_event('[data-test="until"]', "change")
    seed_page.page.dispatch_event('[data-test="since"]', "change")
    assert _visible_edge_types(seed_page) == {"met"}
    seed_page.js("() => newskgView.setDates('', '')")
    assert "called" in _visible_edge_types(seed_page)


def test_search_box_focuses_an_entity(seed_page: Loaded) -> None:
    seed_page.page.fill('[data-test="search"]', "Zelensky")
    seed_page.page.press('[data-test="search"]', "Enter")
    assert seed_page.js("() => newskgView.focused") == ZELENSKYY
    assert seed_page.js("() => newskgView.network.getSelectedNodes()") == [ZELENSKYY]
    assert seed_page.js("() => document.querySelector('#kg-panel h2').textContent") == (
        "Volodymyr Zelenskyy"
    )


def test_legend_toggles_entity_types(seed_page: Loaded) -> None:
    button = '[data-test="legend-entityTypes-Organization"]'
    assert KREMLIN in seed_page.js("() => newskgView.visibleNodeIds()")
    seed_page.page.click(button)
    assert seed_page.page.get_attribute(button, "aria-pressed") == "false"
    visible = seed_page.js("() => newskgView.visibleNodeIds()")
    assert KREMLIN not in visible and TRUMP in visible
    seed_page.page.click(button)
    assert KREMLIN in seed_page.js("() => newskgView.visibleNodeIds()")


def test_physics_toggle_and_frozen_layout(seed_page: Loaded) -> None:
    physics = "() => newskgView.network.physics.options.enabled"
    assert seed_page.js(physics) is False  # stabilised, then frozen
    seed_page.page.check('[data-test="physics"]')
    assert seed_page.js(physics) is True
    seed_page.page.uncheck('[data-test="physics"]')
    assert seed_page.js(physics) is False
    seed_page.check_clean()


def test_hostile_article_runs_no_script(browser: Any, tmp_path: Path) -> None:
    path = tmp_path / "hostile.html"
    path.write_text(view_html(store_from_graphs([hostile_graph()])), encoding="utf-8")
    loaded = open_page(browser, path)
    try:
        assert loaded.js("() => window.pwned") is None
        edge = loaded.js("() => newskgView.visibleEdgeIds()[0]")
        assert loaded.js("(id) => newskgView.select(id)", edge) is True
        panel = _panel(loaded)
        assert HOSTILE_SENTENCE in panel and HOSTILE_HEADLINE in panel
        assert loaded.js("() => document.querySelectorAll('img, svg, iframe, object').length") == 0
        assert loaded.js("() => document.querySelectorAll('script').length") == 6
        # a javascript: URL is shown as text, never as a link
        assert loaded.js("() => document.querySelectorAll('#kg-panel a').length") == 0
        assert "javascript:alert(7)" in panel
        labels = loaded.js(VISIBLE_LABELS)
        assert set(labels) == {HOSTILE_NAME, HOSTILE_IMG}
        loaded.page.fill('[data-test="search"]', "<svg onload")
        loaded.page.press('[data-test="search"]', "Enter")
        assert loaded.js("() => newskgView.focused") == iris.entity_iri(HOSTILE_NAME)
        assert loaded.js("() => window.pwned") is None
        loaded.check_clean()
    finally:
        loaded.page.close()


def test_large_graph_opens_on_the_central_part(browser: Any, tmp_path: Path) -> None:
    proj = synthetic_projection(1500)
    path = tmp_path / "large.html"
    path.write_text(render_projection(proj, max_nodes=100), encoding="utf-8")
    loaded = open_page(browser, path)
    try:
        assert loaded.js("() => newskgView.visibleNodeIds().length") == 100
        notice = loaded.js("() => document.querySelector('[data-test=notice]').textContent")
        assert "100 of 1,500 entities drawn" in notice
        hub = proj.ranked()[0]
        leaf = proj.ranked()[-1]
        assert loaded.js("(id) => newskgView.expand(id)", hub) > 0
        assert loaded.js("() => newskgView.visibleNodeIds().length") > 100
        # searching a hidden entity reveals and focuses it
        label = proj.entities[leaf].label
        assert loaded.js("(q) => newskgView.search(q)", label) == leaf
        assert leaf in loaded.js("() => newskgView.visibleNodeIds()")
        loaded.check_clean()
    finally:
        loaded.page.close()


def test_notebook_iframe_renders_isolated(browser: Any, seed_dir: Path) -> None:
    nb = show(store_from_graphs([small_graph()]))
    page = browser.new_page()
    requests: list[str] = []
    page.route("**/*", lambda r: (requests.append(r.request.url), r.abort()))
    try:
        page.set_content(f"<!DOCTYPE html><html><body>{nb._repr_html_()}</body></html>")
        frame = page.frames[1]
        frame.wait_for_function(
            "() => window.newskgView && window.newskgView.frozen", timeout=30_000
        )
        # Vienna (a place) and Radio Sol (a source) are in no relation: not drawn
        assert frame.evaluate("() => newskgView.visibleNodeIds().length") == 4
        assert requests == []
    finally:
        page.close()


def test_dates_show_since_until_and_a_statement_denial_shows_what_was_denied(
    browser: Any, tmp_path: Path
) -> None:
    from kg.view.project import EntityInfo, EvidenceInfo, RelationInfo, assemble

    claim = 'her cabinet was "split" over the budget'
    sentence = f"Anna Holt denied {claim}."
    holt, daily = "urn:x:holt", "urn:x:daily"
    proj = assemble(
        [
            EntityInfo(id=holt, label="Anna Holt", type="Person"),
            EntityInfo(id=daily, label="Daily Courier", type="Organization"),
        ],
        [
            RelationInfo(
                id="urn:x:d1",
                type="denied",
                subject=holt,
                object=None,
                claim_text=claim,
                date="2024-05-02",
                evidence=(EvidenceInfo(sentence=sentence, start=0, end=len(sentence)),),
            ),
            RelationInfo(
                id="urn:x:m1",
                type="met",
                subject=holt,
                object=daily,
                date="2024-05-03",
                evidence=(EvidenceInfo(sentence="Holt met the Courier.", start=0, end=21),),
            ),
        ],
    )
    path = tmp_path / "denial.html"
    path.write_text(render_projection(proj, since="2024-05", until="2024-05-31"), "utf-8")
    loaded = open_page(browser, path)
    try:
        # the page's date inputs show the command's --since / --until
        assert loaded.page.input_value('[data-test="since"]') == "2024-05"
        assert loaded.page.input_value('[data-test="until"]') == "2024-05-31"
        loop = loaded.js("(h) => newskgView.edgesBetween(h, h)[0].id", holt)
        assert loaded.js("(id) => newskgView.select(id)", loop) is True
        panel = _panel(loaded)
        assert "What was denied" in panel and claim in panel
        assert panel.count(sentence) == 1
        loaded.check_clean()
    finally:
        loaded.page.close()
