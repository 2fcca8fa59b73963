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
from typing import Any

from kg.view.overview import (
    LABEL_FONT,
    MIN_LABEL_PX,
    OVERVIEW_NODES,
    Community,
    communities,
    connected_entities,
    initial_entities,
    label_box,
    overview_positions,
)
from kg.view.project import (
    STATUSES,
    EdgeGroup,
    Projection,
    RelationInfo,
    graph_counts,
    label_of,
    relation_date,
)

VIEW_DIR = Path(__file__).parent
TEMPLATE = VIEW_DIR / "template.html"
#: Entities drawn when the page opens; the rest are one click away (search, expand, Show all).
DEFAULT_MAX_NODES = OVERVIEW_NODES
_SEED = 7
#: Above this many drawn entities: straight edges, no hover, edges hidden while dragging.
_LARGE_VIEW = 500

#: Colours of relation types (assigned in the lexicon's type order, so they are stable across
#: graphs); status is drawn by the line style, not by colour.
TYPE_PALETTE = (
    "#1f77b4",
    "#d95f02",
    "#2ca02c",
    "#7570b3",
    "#b8860b",
    "#e7298a",
    "#17becf",
    "#8c564b",
    "#bcbd22",
    "#6a3d9a",
    "#525252",
    "#ff7f0e",
)
#: Community outlines (translucent discs drawn behind their members).
COMMUNITY_PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#e15759",
    "#76b7b2",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
)
DISPUTED_GLOW = "rgba(214,39,40,0.85)"

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
# vis-network data


def _node_size(degree: int, max_degree: int) -> float:
    if max_degree <= 0:
        return 8.0
    return round(8.0 + 18.0 * math.sqrt(degree / max_degree), 2)


def _edge_label(edge: EdgeGroup, type_labels: Mapping[str, str]) -> str:
    base = "denies" if edge.type == "denied" else type_labels.get(edge.type, edge.type)
    count = f" ×{edge.count}" if edge.count > 1 else ""
    return base + count + str(STATUS_STYLE[edge.status]["suffix"])


def _rgba(hex_color: str, opacity: float) -> str:
    if opacity >= 1.0:
        return hex_color
    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{opacity})"


def type_colours(types: Iterable[str]) -> dict[str, str]:
    """A distinct colour per relation type: the lexicon's types first, in its order."""
    from kg.lexicon import load_lexicon

    order = list(load_lexicon().types)
    order += sorted(set(types) - set(order))
    return {t: TYPE_PALETTE[i % len(TYPE_PALETTE)] for i, t in enumerate(order)}


@dataclass(frozen=True)
class Overview:
    """What the first screen holds: communities, entities drawn first, their positions."""

    communities: tuple[Community, ...]
    initial: tuple[str, ...]
    positions: Mapping[str, tuple[float, float]]


def overview(proj: Projection, max_nodes: int) -> Overview:
    """Communities, the entities drawn first (by centrality, spread over communities) and
    their positions, label boxes apart."""
    comms = communities(proj)
    shown = initial_entities(proj, comms, max_nodes)
    group = {m: c.index for c in comms for m in c.members}
    max_degree = max((e.degree for e in proj.entities.values()), default=0)
    boxes = {
        e: label_box(proj.entities[e].label, _node_size(proj.entities[e].degree, max_degree))
        for e in shown
    }
    shown_set = set(shown)
    positions = overview_positions(
        shown,
        (
            (e.source, e.target)
            for e in proj.edges
            if e.source in shown_set and e.target in shown_set
        ),
        group,
        boxes,
    )
    return Overview(communities=comms, initial=tuple(shown), positions=positions)


def vis_nodes(
    proj: Projection,
    positions: Mapping[str, tuple[float, float]],
    comms: Sequence[Community] = (),
) -> list[dict[str, Any]]:
    """vis-network node objects for every entity with a relation, most central first.

    Entities without any relation are not drawn (the page lists them); ``kgCommunity`` is the
    index of the entity's community.
    """
    community = {m: c.index for c in comms for m in c.members}
    max_degree = max((e.degree for e in proj.entities.values()), default=0)
    out = []
    for rank, eid in enumerate(connected_entities(proj)):
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
            "kgCommunity": community.get(eid, -1),
        }
        if eid in positions:
            node["x"], node["y"] = positions[eid]
        out.append(node)
    return out


def vis_edges(proj: Projection, type_labels: Mapping[str, str]) -> list[dict[str, Any]]:
    """vis-network edge objects, one per edge group: colour by relation type, line style by
    status (a disputed edge also glows red); parallel groups get distinct curves.

    The label is kept for the tooltip and the panel (``kgLabel``), not drawn: edge labels on
    an overview only cover the entity names.
    """
    colours = type_colours(e.type for e in proj.edges)
    pair_index: dict[frozenset[str], int] = defaultdict(int)
    out = []
    for edge in proj.edges:
        style = STATUS_STYLE[edge.status]
        color = colours[edge.type]
        pair = frozenset((edge.source, edge.target))
        k = pair_index[pair]
        pair_index[pair] += 1
        text = _edge_label(edge, type_labels)
        obj: dict[str, Any] = {
            "id": edge.id,
            "from": edge.source,
            "to": edge.target,
            "title": text,
            "kgLabel": text,
            "color": {"color": _rgba(color, style["opacity"]), "highlight": color, "hover": color},
            "dashes": style["dashes"],
            "width": round(style["width"] + min(3.0, math.log2(edge.count)), 2),
            "arrows": {"to": {"enabled": edge.directed, "scaleFactor": 0.6}},
            "kgType": edge.type,
            "kgStatus": edge.status,
            "kgRels": list(edge.relations),
        }
        if edge.status == "disputed":
            obj["shadow"] = {"enabled": True, "color": DISPUTED_GLOW, "size": 4, "x": 0, "y": 0}
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
        # offsets stay in the data (for tools and tests); the page does not show them
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


def page_data(
    proj: Projection,
    *,
    max_nodes: int,
    title: str,
    view: Overview | None = None,
    since: str | None = None,
    until: str | None = None,
) -> dict[str, Any]:
    """Everything the page needs besides the vis node/edge lists (all JSON-serialisable).

    The legend's counts are :func:`~kg.view.project.graph_counts`, the figures of the build
    summary and report.json; the page recomputes them as filters change.
    """
    view = view or overview(proj, max_nodes)
    counts = graph_counts(proj)
    ent_counts: dict[str, int] = defaultdict(int)
    for eid in connected_entities(proj):
        ent_counts[proj.entities[eid].type] += 1
    labels = _type_labels()
    colours = type_colours(counts.by_type)
    isolated = sorted(
        (e.label for e in proj.entities.values() if e.degree == 0), key=lambda x: (x.lower(), x)
    )
    return {
        "meta": {
            "title": title,
            "entities": counts.entities,
            "relations": counts.relations,
            "edges": len(proj.edges),
            "shown": len(view.initial),
            "hidden": counts.entities - len(view.initial),
            "maxNodes": max_nodes,
            "labelFont": LABEL_FONT,
            "minLabelPx": MIN_LABEL_PX,
            "since": since or "",
            "until": until or "",
        },
        "initial": list(view.initial),
        "isolated": isolated,
        "communities": [
            {
                "index": c.index,
                "name": c.name,
                "size": c.size,
                "color": COMMUNITY_PALETTE[c.index % len(COMMUNITY_PALETTE)],
            }
            for c in view.communities
        ],
        "relationTypes": [
            {"name": t, "label": labels.get(t, t), "count": n, "color": colours[t]}
            for t, n in sorted(counts.by_type.items())
        ],
        "statuses": [
            {
                "name": s,
                "label": STATUS_STYLE[s]["label"],
                "count": counts.by_status.get(s, 0),
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


def vis_options(*, large: bool) -> dict[str, Any]:
    """vis-network options: positions from Python (physics off until the user turns it on),
    legible labels, a clear selection, no animation."""
    return {
        "autoResize": True,
        "nodes": {
            "borderWidth": 1,
            "borderWidthSelected": 4,
            "font": {
                "size": LABEL_FONT,
                "face": "system-ui, sans-serif",
                "color": "#1f2328",
                "strokeWidth": 4,
                "strokeColor": "#ffffff",
            },
        },
        "edges": {
            "font": {
                "size": 12,
                "face": "system-ui, sans-serif",
                "align": "middle",
                "color": "#333333",
                "strokeWidth": 3,
                "strokeColor": "#ffffff",
            },
            "smooth": {"enabled": not large, "type": "continuous", "roundness": 0.2},
            "selectionWidth": 4,
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
            "enabled": False,
            "solver": "barnesHut",
            "barnesHut": {
                "gravitationalConstant": -12000,
                "centralGravity": 0.15,
                "springLength": 200,
                "springConstant": 0.02,
                "damping": 0.3,
                "avoidOverlap": 0.4,
            },
            "stabilization": {"enabled": False},
            "maxVelocity": 30,
        },
    }


# ---------------------------------------------------------------------------------------------
# Page


def render_projection(
    proj: Projection,
    *,
    max_nodes: int = DEFAULT_MAX_NODES,
    title: str = "newskg graph",
    since: str | None = None,
    until: str | None = None,
) -> str:
    """The complete HTML page for a projection (deterministic: same input, same bytes)."""
    from pyvis.network import Network

    if max_nodes < 1:
        from kg.errors import UsageError

        raise UsageError("--max-nodes must be at least 1")
    view = overview(proj, max_nodes)
    data = page_data(proj, max_nodes=max_nodes, title=title, view=view, since=since, until=until)
    options = vis_options(large=len(view.initial) > _LARGE_VIEW)
    vis_js, vis_css, view_js, view_css = _assets()

    net = Network(
        height="100%", width="100%", directed=True, cdn_resources="in_line", heading=title
    )
    net.set_template(str(TEMPLATE))
    # fill pyvis's lists directly: add_node/add_edge check for duplicates (quadratic)
    net.nodes = vis_nodes(proj, view.positions, view.communities)
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
    """The view of a build directory (a path), a store (anything with ``query``) or a
    projection, filtered, as HTML (``kg.Graph.view()`` for a graph)."""
    from pathlib import Path

    from kg.view.project import Projection, filter_projection, load_projection

    if isinstance(source, (str, Path)):
        from kg.store import open_store

        with open_store(Path(source), read_only=True) as store:
            proj = load_projection(store)
    elif isinstance(source, Projection):
        proj = source
    else:
        proj = load_projection(source)
    proj = filter_projection(
        proj,
        entity=entity,
        hops=hops,
        types=types,
        entity_types=entity_types,
        since=since,
        until=until,
    )
    return render_projection(proj, max_nodes=max_nodes, title=title, since=since, until=until)


def show(source: Any, *, height: int = 700, **filters: Any) -> NotebookView:
    """The view for a notebook cell: displays isolated in an iframe (``_repr_html_``)."""
    return NotebookView(view_html(source, **filters), height=height)


__all__ = [
    "DEFAULT_MAX_NODES",
    "ENTITY_STYLE",
    "STATUS_STYLE",
    "NotebookView",
    "ViewSummary",
    "overview",
    "page_data",
    "render_projection",
    "script_json",
    "show",
    "type_colours",
    "view_html",
    "vis_edges",
    "vis_nodes",
    "vis_options",
]
