"""The first screen of the view: communities, the entities drawn at first, their positions.

An analyst opening a graph of thousands of entities needs an overview, not a hairball
(Gephi, Graphistry): the graph's communities (networkx Louvain, fixed seed), each shown by its
most central entities, laid out apart, with every drawn label legible when the page opens.
Everything here is computed in Python, so the page starts with physics off and draws at once.

Legibility is a budget: the graph pane of a 1400x900 window is about 800 x 800 CSS pixels; a
label of font size :data:`LABEL_FONT` stays at least :data:`MIN_LABEL_PX` pixels high while
the zoom is at least ``MIN_LABEL_PX / LABEL_FONT``; so the first screen holds at most
:data:`OVERVIEW_NODES` entities (measured: bench/bench_view.py and tests/test_view_overview.py),
and their label boxes are pushed apart until none overlaps.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from kg.view.project import Projection

#: Entities drawn when the page opens (the rest: search, expand, communities, "Show all").
OVERVIEW_NODES = 60
#: Font size of entity labels in graph units (vis-network draws it times the zoom scale).
LABEL_FONT = 16
#: The smallest label height on screen, in CSS pixels, at the initial zoom.
MIN_LABEL_PX = 11
#: Communities named on the first screen (each by at least two of its entities).
OVERVIEW_COMMUNITIES = 12
_SEED = 7
#: Approximate width of one character of a label, as a share of the font size.
_CHAR_WIDTH = 0.56
_GAP = 14.0
#: The graph pane of a 1400x900 window (CSS pixels): the shape the first screen is packed for.
PANE = (720.0, 800.0)


@dataclass(frozen=True)
class Community:
    """A community of entities (Louvain), its members most central first."""

    index: int
    members: tuple[str, ...]
    name: str

    @property
    def size(self) -> int:
        return len(self.members)


def connected_entities(proj: Projection) -> list[str]:
    """Entities that take part in at least one relation, most central first."""
    return [e for e in proj.ranked() if proj.entities[e].degree > 0]


def communities(proj: Projection, *, seed: int = _SEED) -> tuple[Community, ...]:
    """Louvain communities of the connected entities, largest first (deterministic)."""
    import networkx as nx

    ranked = connected_entities(proj)
    rank = {e: i for i, e in enumerate(ranked)}
    g = nx.Graph()
    g.add_nodes_from(ranked)
    for e in proj.edges:
        if e.source != e.target and e.source in rank and e.target in rank:
            w = g.get_edge_data(e.source, e.target, {"weight": 0})["weight"]
            g.add_edge(e.source, e.target, weight=w + e.count)
    if len(g) == 0:
        return ()
    found = nx.community.louvain_communities(g, weight="weight", seed=seed, threshold=1e-3)
    groups = sorted(
        (sorted(c, key=rank.__getitem__) for c in found), key=lambda c: (-len(c), rank[c[0]])
    )
    out = []
    for i, members in enumerate(groups):
        top = [proj.entities[m].label for m in members[:3]]
        more = f" +{len(members) - 3}" if len(members) > 3 else ""
        out.append(Community(index=i, members=tuple(members), name=", ".join(top) + more))
    return tuple(out)


def initial_entities(
    proj: Projection, comms: Sequence[Community], limit: int = OVERVIEW_NODES
) -> list[str]:
    """The entities drawn first: the top two of each of the largest communities, then their
    most central entities.

    A community may take at most its share of ``limit`` (and at least three), so one dense
    story does not fill the screen while the others go unnamed.
    """
    ranked = connected_entities(proj)
    if len(ranked) <= limit:
        return ranked
    top = comms[:OVERVIEW_COMMUNITIES]
    total = sum(c.size for c in top) or 1
    comm_of = {m: c.index for c in top for m in c.members}
    cap = {c.index: max(3, math.ceil(limit * c.size / total)) for c in top}
    taken: dict[int, int] = defaultdict(int)
    chosen: list[str] = []
    seen: set[str] = set()
    for c in top:
        for m in c.members[:2]:
            if len(chosen) < limit:
                chosen.append(m)
                seen.add(m)
                taken[c.index] += 1
    # then the most central entities of those communities, each within its share
    for e in ranked:
        if len(chosen) >= limit:
            break
        ci = comm_of.get(e, -1)
        if e in seen or ci < 0 or taken[ci] >= cap[ci]:
            continue
        chosen.append(e)
        seen.add(e)
        taken[ci] += 1
    # (few communities and many small ones: the most central of the rest)
    for e in ranked:
        if len(chosen) >= limit:
            break
        if e not in seen:
            chosen.append(e)
            seen.add(e)
    rank = {e: i for i, e in enumerate(ranked)}
    return sorted(chosen, key=rank.__getitem__)


def label_box(label: str, size: float) -> tuple[float, float]:
    """Width and height (graph units) a node with this label and radius takes, label below."""
    width = max(2 * size, len(label) * LABEL_FONT * _CHAR_WIDTH)
    return width, 2 * size + LABEL_FONT * 1.3


def overview_positions(
    nodes: Sequence[str],
    edges: Iterable[tuple[str, str]],
    groups: Mapping[str, int],
    boxes: Mapping[str, tuple[float, float]],
    *,
    seed: int = _SEED,
) -> dict[str, tuple[float, float]]:
    """Positions (graph units) of the drawn entities: each community laid out alone (spring
    layout, fixed seed), communities packed in rows, largest first, then label boxes pushed
    apart until none overlaps another."""
    import networkx as nx

    order = {n: i for i, n in enumerate(nodes)}
    g = nx.Graph()
    g.add_nodes_from(nodes)
    g.add_edges_from((a, b) for a, b in edges if a in order and b in order and a != b)
    by_group: dict[int, list[str]] = defaultdict(list)
    for n in nodes:
        by_group[groups.get(n, -1 - order[n])].append(n)
    # communities in their order (largest first), then the lone entities
    parts = [by_group[k] for k in sorted(by_group, key=lambda k: (k < 0, k if k >= 0 else -k))]
    laid: list[dict[str, tuple[float, float]]] = []
    for members in parts:
        if len(members) == 1:
            laid.append({members[0]: (0.0, 0.0)})
            continue
        # a graph of its own, in rank order: a subgraph view iterates in hash order, and the
        # seeded layout depends on the order (same input, same page in every process)
        inside = set(members)
        sub = nx.Graph()
        sub.add_nodes_from(members)
        sub.add_edges_from(
            sorted(
                (a, b) if order[a] < order[b] else (b, a)
                for a, b in g.edges(members)
                if a in inside and b in inside
            )
        )
        pos = nx.spring_layout(sub, seed=seed, method="force", iterations=100)
        span = math.sqrt(sum(boxes[m][0] * boxes[m][1] for m in members)) * 1.1
        placed = {m: (float(pos[m][0]) * span / 2, float(pos[m][1]) * span / 2) for m in members}
        laid.append(_spread(placed, boxes))
    # pack the communities in rows of roughly square overall shape
    rects = []
    for pos in laid:
        xs0 = [x - boxes[n][0] / 2 for n, (x, _) in pos.items()]
        xs1 = [x + boxes[n][0] / 2 for n, (x, _) in pos.items()]
        ys0 = [y - boxes[n][1] / 2 for n, (_, y) in pos.items()]
        ys1 = [y + boxes[n][1] / 2 for n, (_, y) in pos.items()]
        rects.append((min(xs0), min(ys0), max(xs1) - min(xs0), max(ys1) - min(ys0)))
    gap = _GAP * 4
    area = sum((w + gap) * (h + gap) for _, _, w, h in rects)
    widest = max(w for _, _, w, _ in rects)
    # the row width whose packing best fits a pane of the expected shape
    best: tuple[float, list[tuple[float, float]]] | None = None
    for k in range(6, 26):
        offsets, width, height = _pack(rects, max(widest, math.sqrt(area) * k / 10), gap)
        cost = max(width / PANE[0], height / PANE[1])
        if best is None or cost < best[0] - 1e-9:
            best = (cost, offsets)
    assert best is not None
    out: dict[str, tuple[float, float]] = {}
    for pos, (x0, y0, _, _), (x, y) in zip(laid, rects, best[1], strict=True):
        for n, (px, py) in pos.items():
            out[n] = (round(px - x0 + x, 1), round(py - y0 + y, 1))
    return out


def _pack(
    rects: Sequence[tuple[float, float, float, float]], row_width: float, gap: float
) -> tuple[list[tuple[float, float]], float, float]:
    """Top-left corners of ``rects`` packed in rows of ``row_width``; overall width, height."""
    offsets = []
    x = y = row_height = width = 0.0
    for _, _, w, h in rects:
        if x > 0 and x + w > row_width:
            x, y, row_height = 0.0, y + row_height + gap, 0.0
        offsets.append((x, y))
        width = max(width, x + w)
        x += w + gap
        row_height = max(row_height, h)
    return offsets, width, y + row_height


def _spread(
    pos: dict[str, tuple[float, float]], boxes: Mapping[str, tuple[float, float]]
) -> dict[str, tuple[float, float]]:
    """Push overlapping boxes apart along the axis of least overlap (a few sweeps)."""
    names = sorted(pos)
    xy = {n: list(pos[n]) for n in names}
    for _ in range(60):
        moved = False
        for i, a in enumerate(names):
            wa, ha = boxes[a]
            for b in names[i + 1 :]:
                wb, hb = boxes[b]
                dx = xy[b][0] - xy[a][0]
                dy = xy[b][1] - xy[a][1]
                ox = (wa + wb) / 2 + _GAP - abs(dx)
                oy = (ha + hb) / 2 + _GAP / 2 - abs(dy)
                if ox <= 0 or oy <= 0:
                    continue
                moved = True
                if ox < oy:
                    s = (1 if dx >= 0 else -1) * ox / 2
                    xy[a][0] -= s
                    xy[b][0] += s
                else:
                    s = (1 if dy >= 0 else -1) * oy / 2
                    xy[a][1] -= s
                    xy[b][1] += s
        if not moved:
            break
    return {n: (xy[n][0], xy[n][1]) for n in names}


__all__ = [
    "LABEL_FONT",
    "MIN_LABEL_PX",
    "OVERVIEW_NODES",
    "Community",
    "communities",
    "connected_entities",
    "initial_entities",
    "label_box",
    "overview_positions",
]
