"""Render a :class:`~kg.view.project.Projection` as one offline, script-safe HTML page.

pyvis holds the vis-network node and edge lists and the options, and renders them through our
own Jinja template (``template.html``): pyvis's stock templates fetch Bootstrap and vis from a
CDN even in ``in_line`` mode, and some of its modes copy a ``lib/`` folder into the working
directory. Our page inlines vis-network (read from the installed pyvis package at build time),
``view.css`` and ``view.js``; it makes no network request and is only ever returned as a
string or written to the one requested file.

Article text is untrusted. It reaches the page only inside ``<script type="application/json">``
blocks, serialised with every ``<``, ``>``, ``&`` and non-ASCII character escaped (so
``</script>`` cannot close the block), and the page inserts it with ``textContent``. A
Content-Security-Policy allows only our two scripts (by hash), inline styles and ``data:``
images: even a bug cannot load or run anything else.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

from kg.view.project import (
    STATUSES,
    EdgeGroup,
    Projection,
    RelationInfo,
    label_of,
    relation_date,
)

VIEW_DIR = Path(__file__).parent
TEMPLATE = VIEW_DIR / "template.html"
#: Entities shown when the page opens; the rest are one click away.
DEFAULT_MAX_NODES = 300
#: Up to this many shown entities the browser runs physics to settle the layout, then
#: freezes it; above it positions come from Python and physics starts off.
PHYSICS_MAX_NODES = 120
#: Above this many nodes spring layout (dense, O(n²) memory) lays out only the core.
_DENSE_MAX = 400
_SEED = 7
#: Above this many shown entities: straight edges, no hover, edges hidden while dragging.
_LARGE_VIEW = 500

ENTITY_STYLE: dict[str, dict[str, str]] = {
    "Person": {"color": "#4e79a7", "shape": "dot", "label": "Person"},
    "Organization": {"color": "#f28e2b", "shape": "square", "label": "Organization"},
    "GeopoliticalEntity": {"color": "#59a14f", "shape": "triangle", "label": "Country / city"},
    "Location": {"color": "#76b7b2", "shape": "diamond", "label": "Location"},
    "Group": {"color": "#b07aa1", "shape": "hexagon", "label": "Group"},
    "Entity": {"color": "#9d9d9d", "shape": "dot", "label": "Other"},
}

#: Status is drawn by dash pattern, width, opacity and a label suffix, not by colour alone.
STATUS_STYLE: dict[str, dict[str, Any]] = {
    "asserted": {
        "color": "#3b4252",
        "dashes": False,
        "width": 2.0,
        "opacity": 1.0,
        "label": "asserted",
        "suffix": "",
    },
    "attributed": {
        "color": "#3b4252",
        "dashes": [8, 6],
        "width": 2.0,
        "opacity": 1.0,
        "label": "attributed (reported by a source)",
        "suffix": " · reported",
    },
    "disputed": {
        "color": "#d62728",
        "dashes": [6, 4],
        "width": 2.5,
        "opacity": 1.0,
        "label": "disputed (denied)",
        "suffix": " · disputed",
    },
    "negated": {
        "color": "#8c8c8c",
        "dashes": [1, 5],
        "width": 2.0,
        "opacity": 1.0,
        "label": "negated",
        "suffix": " · not",
    },
    "planned": {
        "color": "#3b4252",
        "dashes": [12, 6],
        "width": 1.5,
        "opacity": 0.4,
        "label": "planned",
        "suffix": " · planned",
    },
    "hypothetical": {
        "color": "#3b4252",
        "dashes": [2, 6],
        "width": 1.5,
        "opacity": 0.4,
        "label": "hypothetical",
        "suffix": " · if",
    },
}
DENIAL_COLOR = "#7f1d1d"


@dataclass(frozen=True)
class ViewSummary:
    """What :func:`write_view` wrote: the file, its size and how much of the graph it shows."""

    path: Path
    entities: int
    relations: int
    edges: int
    shown: int
    hidden: int
    bytes: int


@dataclass(frozen=True)
class NotebookView:
    """A rendered view that Jupyter displays isolated in an ``<iframe srcdoc>``."""

    html: str
    height: int = 700

    def _repr_html_(self) -> str:
        doc = html.escape(self.html, quote=True)
        return (
            f'<iframe srcdoc="{doc}" sandbox="allow-scripts" referrerpolicy="no-referrer" '
            f'style="width:100%;height:{int(self.height)}px;border:1px solid #ddd" '
            'title="newskg graph view"></iframe>'
        )


# ---------------------------------------------------------------------------------------------
# JSON for <script type="application/json">


def script_json(obj: Any) -> str:
    """JSON safe inside an HTML ``<script>`` block: no ``<``, ``>``, ``&`` or non-ASCII."""
    text = json.dumps(obj, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _csp_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


@lru_cache(maxsize=1)
def _assets() -> tuple[str, str, str, str]:
    """vis-network JS and CSS from the installed pyvis, plus our view.js and view.css."""
    import pyvis

    lib = Path(pyvis.__file__).parent / "lib"
    candidates = sorted(
        lib.glob("vis-*/vis-network.min.js"),
        key=lambda p: tuple(int(x) for x in re.findall(r"\d+", p.parent.name)),
    )
    if not candidates:
        from kg.errors import KGError

        raise KGError(f"vis-network not found in the installed pyvis package ({lib})")
    vis_js_path = candidates[-1]
    vis_js = vis_js_path.read_text(encoding="utf-8")
    # a source map comment would make developer tools fetch a file: drop it
    vis_js = re.sub(r"//# sourceMappingURL=\S*\s*$", "", vis_js.rstrip()) + "\n"
    vis_css = (vis_js_path.parent / "vis-network.css").read_text(encoding="utf-8")
    vis_css = re.sub(r"/\*# sourceMappingURL=\S*\s*\*/", "", vis_css)
    view_js = (VIEW_DIR / "view.js").read_text(encoding="utf-8")
    view_css = (VIEW_DIR / "view.css").read_text(encoding="utf-8")
    for name, text in (("vis-network.min.js", vis_js), ("view.js", view_js)):
        if "</script" in text.lower() or "<!--" in text:
            from kg.errors import KGError

            raise KGError(f"{name} contains '</script' or '<!--' and cannot be inlined")
    return vis_js, vis_css, view_js, view_css


# ---------------------------------------------------------------------------------------------
# Layout


def layout_positions(
    nodes: Sequence[str], edges: Iterable[tuple[str, str]], *, seed: int = _SEED
) -> dict[str, tuple[float, float]]:
    """Deterministic positions (pixels) for the given nodes.

    Each connected component is laid out alone (see :func:`_component_layout`) and the
    components are packed in rows, largest first, so separate stories do not overlap and
    unconnected entities line up in a grid below. Linear time beyond the spring-laid core, so
    10,000 entities lay out in about a second.
    """
    import networkx as nx

    g = nx.Graph()
    g.add_nodes_from(nodes)
    g.add_edges_from((a, b) for a, b in edges if a in g and b in g and a != b)
    if len(g) == 0:
        return {}
    order = {node: i for i, node in enumerate(nodes)}
    comps = sorted(
        (sorted(c, key=order.__getitem__) for c in nx.connected_components(g)),
        key=lambda c: (-len(c), order[c[0]]),
    )
    laid = [_component_layout(g.subgraph(c), c, seed) for c in comps]
    boxes = []
    for pos in laid:
        xs = [x for x, _ in pos.values()]
        ys = [y for _, y in pos.values()]
        boxes.append((min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)))
    gap = _SPACING
    area = sum((w + gap) * (h + gap) for _, _, w, h in boxes)
    row_width = max(max(w for _, _, w, _ in boxes), math.sqrt(area) * 1.3)
    out: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    prev_size = 0
    for pos, (x0, y0, w, h) in zip(laid, boxes, strict=True):
        # unconnected entities start their own rows, below the connected parts
        if x > 0 and (x + w > row_width or (len(pos) == 1 and prev_size > 1)):
            x, y, row_height = 0.0, y + row_height + gap * (2 if len(pos) < prev_size else 1), 0.0
        for node, (px, py) in pos.items():
            out[node] = (round(px - x0 + x, 1), round(py - y0 + y, 1))
        x += w + gap
        row_height = max(row_height, h)
        prev_size = len(pos)
    return out


_SPACING = 110.0


def _component_layout(
    g: nx.Graph, nodes: Sequence[str], seed: int
) -> dict[str, tuple[float, float]]:
    """Positions of one connected component (``nodes`` in rank order).

    Up to ``_DENSE_MAX`` nodes: networkx spring layout with a fixed seed (its dense solver:
    the sparse one needs SciPy). Larger: spring layout of the best-connected core, then every
    other node on a golden-angle ring around its first placed neighbour, breadth first.
    """
    import networkx as nx

    n = len(nodes)
    if n == 1:
        return {nodes[0]: (0.0, 0.0)}
    order = {node: i for i, node in enumerate(nodes)}
    if n <= _DENSE_MAX:
        pos = nx.spring_layout(g.subgraph(nodes), seed=seed, method="force", iterations=80)
        # spring layouts crowd the middle and leave the rim sparse: scale by the node count
        scale = _SPACING * math.sqrt(n)
        return {k: (float(pos[k][0]) * scale, float(pos[k][1]) * scale) for k in nodes}
    core = sorted(nodes, key=lambda x: (-g.degree(x), order[x]))[:_DENSE_MAX]
    core_pos = nx.spring_layout(g.subgraph(core), seed=seed, method="force", iterations=60)
    core_scale = _SPACING * math.sqrt(len(core)) / 1.5
    placed: dict[str, tuple[float, float]] = {
        k: (float(v[0]) * core_scale, float(v[1]) * core_scale) for k, v in core_pos.items()
    }
    children: dict[str, int] = defaultdict(int)
    golden = math.pi * (3 - math.sqrt(5))
    frontier = sorted(placed, key=order.__getitem__)
    while frontier:
        nxt: list[str] = []
        for parent in frontier:
            for child in sorted(g.neighbors(parent), key=order.__getitem__):
                if child in placed:
                    continue
                k = children[parent]
                children[parent] += 1
                r = _SPACING * (0.7 + 0.12 * math.sqrt(k))
                px, py = placed[parent]
                placed[child] = (px + r * math.cos(k * golden), py + r * math.sin(k * golden))
                nxt.append(child)
        frontier = nxt
    return placed


# ---------------------------------------------------------------------------------------------
# vis-network data


def _node_size(degree: int, max_degree: int) -> float:
    if max_degree <= 0:
        return 12.0
    return round(12.0 + 26.0 * math.sqrt(degree / max_degree), 2)


def _edge_label(edge: EdgeGroup, type_labels: Mapping[str, str]) -> str:
    base = "denies" if edge.type == "denied" else type_labels.get(edge.type, edge.type)
    count = f" ×{edge.count}" if edge.count > 1 else ""
    return base + count + str(STATUS_STYLE[edge.status]["suffix"])


def _rgba(hex_color: str, opacity: float) -> str:
    if opacity >= 1.0:
        return hex_color
    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{opacity})"


def vis_nodes(
    proj: Projection, positions: Mapping[str, tuple[float, float]]
) -> list[dict[str, Any]]:
    """vis-network node objects for every entity, most central first."""
    ranked = proj.ranked()
    max_degree = max((e.degree for e in proj.entities.values()), default=0)
    out = []
    for rank, eid in enumerate(ranked):
        ent = proj.entities[eid]
        style = ENTITY_STYLE.get(ent.type, ENTITY_STYLE["Entity"])
        node: dict[str, Any] = {
            "id": eid,
            "label": ent.label,
            "shape": style["shape"],
            "size": _node_size(ent.degree, max_degree),
            "color": {
                "background": style["color"],
                "border": "#2e3440",
                "highlight": {"background": style["color"], "border": "#000000"},
            },
            "kgType": ent.type,
            "kgAliases": list(ent.aliases),
            "kgDegree": ent.degree,
            "kgRank": rank,
        }
        if eid in positions:
            node["x"], node["y"] = positions[eid]
        if ent.degree == 0:
            # unconnected entities keep their place in the grid and push nothing away
            node["physics"] = False
        out.append(node)
    return out


def vis_edges(proj: Projection, type_labels: Mapping[str, str]) -> list[dict[str, Any]]:
    """vis-network edge objects, one per edge group; parallel groups get distinct curves."""
    pair_index: dict[frozenset[str], int] = defaultdict(int)
    out = []
    for edge in proj.edges:
        style = STATUS_STYLE[edge.status]
        color = (
            DENIAL_COLOR if edge.type == "denied" and edge.status != "disputed" else style["color"]
        )
        pair = frozenset((edge.source, edge.target))
        k = pair_index[pair]
        pair_index[pair] += 1
        obj: dict[str, Any] = {
            "id": edge.id,
            "from": edge.source,
            "to": edge.target,
            "label": _edge_label(edge, type_labels),
            "color": {"color": _rgba(color, style["opacity"]), "highlight": color, "hover": color},
            "dashes": style["dashes"],
            "width": round(style["width"] + min(3.0, math.log2(edge.count)), 2),
            "arrows": {"to": {"enabled": edge.directed, "scaleFactor": 0.6}},
            "kgType": edge.type,
            "kgStatus": edge.status,
            "kgRels": list(edge.relations),
        }
        if k:
            # alternate sides; direction-independent so A->B and B->A do not overlap either
            cw = (k % 2 == 1) == (edge.source < edge.target)
            obj["smooth"] = {
                "enabled": True,
                "type": "curvedCW" if cw else "curvedCCW",
                "roundness": round(0.18 * ((k + 1) // 2), 2),
            }
        out.append(obj)
    return out


def _relation_json(proj: Projection, rel: RelationInfo) -> dict[str, Any]:
    return {
        "type": rel.type,
        "subject": rel.subject,
        "object": rel.object,
        "claim": rel.claim_text,
        "status": rel.status,
        "polarity": rel.polarity,
        "modality": rel.modality,
        "attributedTo": label_of(proj, rel.attributed_to),
        "deniedBy": list(rel.denied_by),
        "denies": list(rel.denies),
        "date": relation_date(rel, proj.articles),
        "ownDate": rel.date,
        "place": label_of(proj, rel.place),
        "confidence": rel.confidence,
        "articles": list(rel.articles),
        "evidence": [
            {
                "sentence": ev.sentence,
                "start": ev.start,
                "end": ev.end,
                "article": ev.article,
                "marks": [list(m) for m in ev.marks],
            }
            for ev in rel.evidence
        ],
    }


def _type_labels() -> dict[str, str]:
    from kg.lexicon import load_lexicon

    return {name: t.label for name, t in load_lexicon().types.items()}


def page_data(proj: Projection, *, max_nodes: int, title: str) -> dict[str, Any]:
    """Everything the page needs besides the vis node/edge lists (all JSON-serialisable)."""
    ranked = proj.ranked()
    shown = ranked[: max(0, max_nodes)]
    type_counts: dict[str, int] = defaultdict(int)
    for e in proj.edges:
        type_counts[e.type] += 1
    status_counts: dict[str, int] = defaultdict(int)
    for e in proj.edges:
        status_counts[e.status] += 1
    ent_counts: dict[str, int] = defaultdict(int)
    for ent in proj.entities.values():
        ent_counts[ent.type] += 1
    labels = _type_labels()
    return {
        "meta": {
            "title": title,
            "entities": len(proj.entities),
            "relations": len(proj.relations),
            "edges": len(proj.edges),
            "shown": len(shown),
            "hidden": len(proj.entities) - len(shown),
            "maxNodes": max_nodes,
            "physics": len(shown) <= PHYSICS_MAX_NODES,
        },
        "initial": shown,
        "relationTypes": [
            {"name": t, "label": labels.get(t, t), "count": type_counts[t]}
            for t in sorted(type_counts)
        ],
        "statuses": [
            {
                "name": s,
                "label": STATUS_STYLE[s]["label"],
                "count": status_counts.get(s, 0),
                "color": STATUS_STYLE[s]["color"],
                "dashes": STATUS_STYLE[s]["dashes"],
                "opacity": STATUS_STYLE[s]["opacity"],
            }
            for s in STATUSES
        ],
        "entityTypes": [
            {
                "name": t,
                "label": ENTITY_STYLE[t]["label"],
                "color": ENTITY_STYLE[t]["color"],
                "shape": ENTITY_STYLE[t]["shape"],
                "count": ent_counts[t],
            }
            for t in ENTITY_STYLE
            if ent_counts.get(t)
        ],
        "relations": {rid: _relation_json(proj, r) for rid, r in proj.relations.items()},
        "articles": {
            aid: {
                "doc": a.doc,
                "headline": a.headline,
                "date": a.date,
                "author": a.author,
                "url": a.url,
            }
            for aid, a in proj.articles.items()
        },
    }


def vis_options(*, physics: bool, large: bool, iterations: int = 150) -> dict[str, Any]:
    """vis-network options: readable labels, stabilise-then-freeze physics, no animation."""
    return {
        "autoResize": True,
        "nodes": {
            "borderWidth": 1,
            "font": {
                "size": 15,
                "face": "system-ui, sans-serif",
                "color": "#1f2328",
                "strokeWidth": 4,
                "strokeColor": "#ffffff",
            },
        },
        "edges": {
            "font": {
                "size": 11,
                "face": "system-ui, sans-serif",
                "align": "middle",
                "color": "#333333",
                "strokeWidth": 3,
                "strokeColor": "#ffffff",
            },
            "smooth": {"enabled": not large, "type": "continuous", "roundness": 0.2},
            "selectionWidth": 2,
        },
        "interaction": {
            "hover": not large,
            "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": large,
            "tooltipDelay": 300,
            "multiselect": False,
        },
        "layout": {"randomSeed": _SEED, "improvedLayout": False},
        "physics": {
            "enabled": physics,
            "solver": "barnesHut",
            "barnesHut": {
                "gravitationalConstant": -12000,
                "centralGravity": 0.15,
                "springLength": 200,
                "springConstant": 0.02,
                "damping": 0.3,
                "avoidOverlap": 0.4,
            },
            "stabilization": {
                "enabled": True,
                "iterations": iterations,
                "updateInterval": 10,
                "fit": True,
            },
        },
    }


# ---------------------------------------------------------------------------------------------
# Page


def render_projection(
    proj: Projection, *, max_nodes: int = DEFAULT_MAX_NODES, title: str = "newskg graph"
) -> str:
    """The complete HTML page for a projection (deterministic: same input, same bytes)."""
    from pyvis.network import Network

    if max_nodes < 1:
        from kg.errors import UsageError

        raise UsageError("--max-nodes must be at least 1")
    data = page_data(proj, max_nodes=max_nodes, title=title)
    shown = data["initial"]
    shown_set = set(shown)
    positions = layout_positions(
        shown,
        (
            (e.source, e.target)
            for e in proj.edges
            if e.source in shown_set and e.target in shown_set
        ),
    )
    physics = bool(data["meta"]["physics"])
    # small graphs settle cheaply: let them settle further
    iterations = 400 if len(shown) <= 50 else 150
    options = vis_options(physics=physics, large=len(shown) > _LARGE_VIEW, iterations=iterations)
    vis_js, vis_css, view_js, view_css = _assets()

    net = Network(
        height="100%", width="100%", directed=True, cdn_resources="in_line", heading=title
    )
    net.set_template(str(TEMPLATE))
    # fill pyvis's lists directly: add_node/add_edge check for duplicates (quadratic)
    net.nodes = vis_nodes(proj, positions)
    net.edges = vis_edges(proj, _type_labels())
    net.options = options
    env = net.templateEnv
    env.filters["script_json"] = script_json
    env.globals.update(
        kg_data=data,
        kg_options=options,
        vis_js=vis_js,
        vis_css=vis_css,
        view_js=view_js,
        view_css=view_css,
        csp_scripts=f"{_csp_hash(vis_js)} {_csp_hash(view_js)}",
    )
    page = str(net.generate_html(name="graph.html", local=True, notebook=False))
    return page


def view_html(
    source: Any,
    *,
    entity: str | None = None,
    hops: int = 1,
    types: Sequence[str] = (),
    entity_types: Sequence[str] = (),
    since: str | None = None,
    until: str | None = None,
    max_nodes: int = DEFAULT_MAX_NODES,
    title: str = "newskg graph",
) -> str:
    """The view of a store (anything with ``query``) or a projection, filtered, as HTML."""
    from kg.view.project import Projection, filter_projection, load_projection

    proj = source if isinstance(source, Projection) else load_projection(source)
    proj = filter_projection(
        proj,
        entity=entity,
        hops=hops,
        types=types,
        entity_types=entity_types,
        since=since,
        until=until,
    )
    return render_projection(proj, max_nodes=max_nodes, title=title)


def show(source: Any, *, height: int = 700, **filters: Any) -> NotebookView:
    """The view for a notebook cell: displays isolated in an iframe (``_repr_html_``)."""
    return NotebookView(view_html(source, **filters), height=height)


__all__ = [
    "DEFAULT_MAX_NODES",
    "ENTITY_STYLE",
    "STATUS_STYLE",
    "NotebookView",
    "ViewSummary",
    "layout_positions",
    "page_data",
    "render_projection",
    "script_json",
    "show",
    "view_html",
    "vis_edges",
    "vis_nodes",
    "vis_options",
]
