"""The first screen and the filters, measured in headless Chromium on four graphs.

The demo (``kg build examples/articles``), 300 entities imported with ``kg import`` (records
from :func:`helpers_view.synthetic_graphs`), and 2,000 and 10,000 entities rendered straight
from synthetic projections (their report figures are :func:`graph_counts`, what report.json
holds). On each page, at the initial zoom, in a 1400x900 window:

- every entity of the first screen has its label drawn inside the graph pane, at least
  ``MIN_LABEL_PX`` (11) CSS pixels high (vis-network's scale times the label's font size);
- label boxes (from vis-network's label module, in screen pixels) overlap in at most
  ``OVERLAP_BOUND`` pairs (2 % of the labels);
- the legend counts equal report.json (relations by status and type, entities);
- each filter (status, relation type, entity type, source, date) hides entities, re-fits the
  view on what is left, updates the status line and the legend, and undoing it restores them.

Screenshots go to test-artifacts/ (view-<case>.png, view-demo-disputed.png).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers_view import Loaded, open_page, synthetic_graphs, synthetic_projection, write_records

from kg.view.overview import MIN_LABEL_PX, OVERVIEW_NODES
from kg.view.project import graph_counts
from kg.view.render import render_projection

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's /usr/bin/chromium is not installed"),
]


def overlap_bound(labels: int) -> int:
    """Overlapping label pairs allowed on the first screen: 2 % of the labels."""
    return labels // 50


STATE = """() => {
  const v = newskgView, net = v.network;
  const ids = v.visibleNodeIds();
  const pos = net.getPositions(ids);
  const xs = ids.map(i => pos[i].x), ys = ids.map(i => pos[i].y);
  const c = net.getViewPosition();
  return {ids: ids, cx: (Math.min(...xs) + Math.max(...xs)) / 2,
          cy: (Math.min(...ys) + Math.max(...ys)) / 2, vx: c.x, vy: c.y,
          scale: net.getScale(), fits: v.fits || 0, counts: v.legendCounts(),
          notice: document.querySelector('[data-test=notice]').textContent};
}"""


def _run(*args: Any) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "kg", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done


def _demo(tmp: Path) -> tuple[Path, dict[str, Any]]:
    out = tmp / "demo"
    _run("build", ROOT / "examples" / "articles", "--out", out)
    return out / "graph.html", json.loads((out / "report.json").read_text(encoding="utf-8"))


def _imported(n: int) -> Callable[[Path], tuple[Path, dict[str, Any]]]:
    def make(tmp: Path) -> tuple[Path, dict[str, Any]]:
        src = write_records(synthetic_graphs(n), tmp / f"records-{n}.jsonl")
        out = tmp / f"imported-{n}"
        _run("import", src, "--out", out)
        _run("view", out)
        return out / "graph.html", json.loads((out / "report.json").read_text(encoding="utf-8"))

    return make


def _projected(n: int) -> Callable[[Path], tuple[Path, dict[str, Any]]]:
    def make(tmp: Path) -> tuple[Path, dict[str, Any]]:
        proj = synthetic_projection(n)
        path = tmp / f"projected-{n}.html"
        path.write_text(render_projection(proj), encoding="utf-8")
        return path, graph_counts(proj).to_json()

    return make


CASES: dict[str, Callable[[Path], tuple[Path, dict[str, Any]]]] = {
    "demo": _demo,
    "300": _imported(300),
    "2000": _projected(2000),
    "10000": _projected(10000),
}
MARKS = {"demo": [pytest.mark.model], "10000": [pytest.mark.slow]}


@pytest.fixture(scope="module", params=[pytest.param(k, marks=MARKS.get(k, [])) for k in CASES])
def case(
    request: pytest.FixtureRequest, browser: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Loaded, dict[str, Any]]]:
    name = request.param
    path, report = CASES[name](tmp_path_factory.mktemp(f"view-{name}"))
    loaded = open_page(browser, path)
    yield name, loaded, report
    loaded.page.close()


def test_first_screen_labels_are_legible_and_apart(case: tuple[str, Loaded, dict]) -> None:
    name, page, report = case
    page.check_clean()
    initial = page.js("() => newskgView.visibleNodeIds().length")
    assert initial == min(OVERVIEW_NODES, report["entities"])
    boxes = page.js("() => newskgView.labelBoxes()")
    assert len(boxes) == initial
    on_screen = [b for b in boxes if b["onScreen"] and b["drawn"]]
    assert len(on_screen) == initial, [b["label"] for b in boxes if not b["onScreen"]]
    smallest = min(b["px"] for b in on_screen)
    assert smallest >= MIN_LABEL_PX, smallest
    pane = page.js("() => document.getElementById('kg-graph').getBoundingClientRect().toJSON()")
    inside = [
        b
        for b in on_screen
        if b["x0"] >= -2
        and b["y0"] >= -2
        and b["x1"] <= pane["width"] + 2
        and b["y1"] <= pane["height"] + 2
    ]
    assert len(inside) >= 0.95 * initial  # whole labels, not cut at the edge
    overlaps = [
        (a["label"], b["label"])
        for i, a in enumerate(on_screen)
        for b in on_screen[i + 1 :]
        if a["x0"] < b["x1"] and b["x0"] < a["x1"] and a["y0"] < b["y1"] and b["y0"] < a["y1"]
    ]
    assert len(overlaps) <= overlap_bound(initial), overlaps
    ARTIFACTS.mkdir(exist_ok=True)
    page.page.screenshot(path=str(ARTIFACTS / f"view-{name}.png"))


def test_a_disputed_relation_shows_its_claim_once_and_each_denial(
    case: tuple[str, Loaded, dict],
) -> None:
    name, page, _ = case
    edge = page.js(
        "() => newskgView.visibleEdgeIds().map(id => newskgView.network.body.data.edges.get(id))"
        ".filter(e => e.kgStatus === 'disputed')"
        ".sort((a, b) => b.kgRels.length - a.kgRels.length)[0].id"
    )
    assert page.js("(id) => newskgView.select(id)", edge) is True
    panel = page.js("() => document.getElementById('kg-panel').innerText")
    quotes = page.js(
        "() => Array.from(document.querySelectorAll('#kg-panel blockquote'))"
        ".map(q => q.textContent)"
    )
    assert "Denied by" in panel and "characters" not in panel
    assert len(quotes) == len(set(quotes))  # no sentence printed twice
    assert page.js("() => newskgView.network.getSelectedEdges()") == [edge]
    page.page.screenshot(path=str(ARTIFACTS / f"view-{name}-disputed.png"))
    page.js("() => newskgView.network.unselectAll()")


def test_legend_counts_equal_the_report(case: tuple[str, Loaded, dict]) -> None:
    _, page, report = case
    counts = page.js("() => newskgView.legendCounts()")
    assert counts["statuses"] == report["relations"]["by_status"]
    assert counts["relTypes"] == report["relations"]["by_type"]
    assert sum(counts["entityTypes"].values()) == report["entities"]
    meta = page.js("() => newskgView.meta")
    assert (meta["entities"], meta["relations"]) == (
        report["entities"],
        report["relations"]["total"],
    )


def _filters(page: Loaded, report: dict[str, Any]) -> list[tuple[str, Callable[[], None]]]:
    by_type = report["relations"]["by_type"]
    common = max(by_type, key=lambda t: (by_type[t], t))
    first_article = page.js("() => document.querySelector('[data-test=source]').options[1].value")
    dated = page.js(
        "() => Object.values(JSON.parse(document.getElementById('kg-data').textContent)"
        ".relations).find(r => r.date).date.slice(0, 10)"
    )

    def click(test: str) -> Callable[[], None]:
        return lambda: page.page.click(f'[data-test="{test}"]')

    def source() -> None:
        page.page.select_option('[data-test="source"]', first_article)

    def no_source() -> None:
        page.page.select_option('[data-test="source"]', "")

    def dates(since: str, until: str) -> Callable[[], None]:
        def run() -> None:
            for k, v in (("since", since), ("until", until)):
                page.page.fill(f'[data-test="{k}"]', v)
                page.page.dispatch_event(f'[data-test="{k}"]', "change")

        return run

    return [
        ("status", click("legend-statuses-asserted")),
        ("status", click("legend-statuses-asserted")),
        ("type", click(f"legend-relTypes-{common}")),
        ("type", click(f"legend-relTypes-{common}")),
        ("entity type", click("legend-entityTypes-Person")),
        ("entity type", click("legend-entityTypes-Person")),
        ("source", source),
        ("source", no_source),
        ("date", dates(dated, dated)),
        ("date", dates("", "")),
    ]


def test_each_filter_hides_entities_refits_and_recounts(case: tuple[str, Loaded, dict]) -> None:
    _, page, report = case
    start = page.js(STATE)
    steps = _filters(page, report)
    for (what, apply), (_, undo) in zip(steps[::2], steps[1::2], strict=True):
        apply()
        after = page.js(STATE)
        assert set(start["ids"]) - set(after["ids"]), f"{what}: no entity hidden"
        assert after["ids"], f"{what}: nothing left"
        assert after["fits"] > start["fits"], f"{what}: not re-fitted"
        # re-fitted: the view is centred on what is left
        tol = 60 / after["scale"]
        assert abs(after["cx"] - after["vx"]) < tol and abs(after["cy"] - after["vy"]) < tol, what
        assert after["notice"] != start["notice"], f"{what}: status line unchanged"
        assert after["counts"] != start["counts"], f"{what}: legend unchanged"
        undo()
        back = page.js(STATE)
        assert back["counts"] == start["counts"], f"{what}: legend not restored"
        assert set(start["ids"]) <= set(back["ids"]), f"{what}: entities not restored"
        start = back
    page.check_clean()


def test_a_community_collapses_into_one_node_and_expands(case: tuple[str, Loaded, dict]) -> None:
    _, page, _ = case
    n = page.js(
        "() => JSON.parse(document.getElementById('kg-data').textContent).communities.length"
    )
    assert n >= 2
    before = page.js("() => newskgView.visibleNodeIds().length")
    assert page.js("() => newskgView.collapseCommunity(0)") is True
    assert page.js("() => newskgView.network.isCluster('community-0')") is True
    page.js("() => newskgView.expandCommunity(0)")
    assert page.js("() => newskgView.network.isCluster('community-0')") is False
    assert page.js("() => newskgView.visibleNodeIds().length") >= before
    page.check_clean()
