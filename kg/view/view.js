/* newskg view: builds the vis-network graph, the legend, filters, search and the side panel.
 * All article text comes from JSON blocks and is inserted with textContent / text nodes,
 * never as HTML. window.newskgView exposes a small API for tests and power users.
 *
 * The first screen is an overview (the most central entities of each community, positions
 * from Python, physics off); filters act on relations, hide the entities left without a
 * visible relation, re-fit the picture and recount the legend; communities can be collapsed
 * into one node and expanded (vis-network clustering). */
(function () {
  "use strict";

  var timing = { start: performance.now() };

  function readJSON(id) {
    return JSON.parse(document.getElementById(id).textContent);
  }

  var allNodes = readJSON("kg-nodes");
  var allEdges = readJSON("kg-edges");
  var options = readJSON("kg-options");
  var data = readJSON("kg-data");
  var meta = data.meta;
  var relations = data.relations;
  var articles = data.articles;
  var communities = data.communities;
  /* The smallest zoom at which a label is still minLabelPx high on screen. */
  var MIN_SCALE = 1.02 * meta.minLabelPx / meta.labelFont;
  var MAX_FIT_SCALE = 1.6;
  /* A filter whose result has at most this many entities draws all of them. */
  var AUTO_REVEAL = 150;
  /* Above this many drawn entities the picture switches to cheaper drawing (no curves, no
   * hover) and the community outlines are left out (they are for the overview). */
  var LARGE_VIEW = 500;
  var HULLS_MAX = 3000;

  var nodeById = new Map();
  allNodes.forEach(function (n) { nodeById.set(n.id, n); });
  var edgeById = new Map();
  var edgesOfNode = new Map();
  allEdges.forEach(function (e) {
    edgeById.set(e.id, e);
    (e.from === e.to ? [e.from] : [e.from, e.to]).forEach(function (n) {
      if (!edgesOfNode.has(n)) { edgesOfNode.set(n, []); }
      edgesOfNode.get(n).push(e);
    });
  });
  var membersOf = new Map();
  allNodes.forEach(function (n) {
    if (!membersOf.has(n.kgCommunity)) { membersOf.set(n.kgCommunity, []); }
    membersOf.get(n.kgCommunity).push(n.id);
  });

  var state = {
    revealed: new Set(data.initial),
    entityTypes: new Set(data.entityTypes.map(function (t) { return t.name; }).concat(["Entity"])),
    relTypes: new Set(data.relationTypes.map(function (t) { return t.name; })),
    statuses: new Set(data.statuses.map(function (s) { return s.name; })),
    source: "",
    since: "",
    until: "",
    collapsed: new Set()
  };

  timing.parsed = performance.now();
  var api = { ready: false, frozen: false, network: null, timing: timing };
  window.newskgView = api;

  // ------------------------------------------------------------------ helpers
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (k === "text") { node.textContent = attrs[k]; }
        else if (k === "className") { node.className = attrs[k]; }
        else { node.setAttribute(k, attrs[k]); }
      });
    }
    (children || []).forEach(function (c) {
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }

  function label(id) {
    var n = nodeById.get(id);
    return n ? n.label : id;
  }

  function norm(s) {
    return String(s || "").toLowerCase().replace(/\s+/g, " ").trim();
  }

  var ISO = /^\d{4}(-\d{2}(-\d{2})?)?$/;

  function dayRange(d) {
    var m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(d || "");
    if (!m) { return null; }
    if (m[3]) { return [m[0], m[0]]; }
    if (m[2]) { return [m[1] + "-" + m[2] + "-01", m[1] + "-" + m[2] + "-31"]; }
    return [m[1] + "-01-01", m[1] + "-12-31"];
  }

  function fmt(n) { return Number(n).toLocaleString("en-US"); }

  // ------------------------------------------------------------------ filters (on relations)
  function bounds() {
    var lo = ISO.test(state.since) ? dayRange(state.since)[0] : "";
    var hi = ISO.test(state.until) ? dayRange(state.until)[1] : "";
    return [lo, hi];
  }

  /* Which filters a relation fails: "type", "status", "source", "date", "entity" (a party's
   * entity type is switched off). */
  function relationFails(rid, lohi) {
    var r = relations[rid];
    var fails = [];
    if (!state.relTypes.has(r.type)) { fails.push("type"); }
    if (!state.statuses.has(r.status)) { fails.push("status"); }
    if (state.source && r.articles.indexOf(state.source) < 0) { fails.push("source"); }
    if (lohi[0] || lohi[1]) {
      var rng = dayRange(r.date);
      if (!rng || (lohi[0] && rng[1] < lohi[0]) || (lohi[1] && rng[0] > lohi[1])) { fails.push("date"); }
    }
    if ((r.subject && nodeById.has(r.subject) && !nodeTypeOk(r.subject)) ||
        (r.object && nodeById.has(r.object) && !nodeTypeOk(r.object))) { fails.push("entity"); }
    return fails;
  }

  function nodeTypeOk(id) {
    var n = nodeById.get(id);
    return Boolean(n) && state.entityTypes.has(n.kgType);
  }

  function filtering() {
    return Boolean(state.source || state.since || state.until) ||
      state.relTypes.size < data.relationTypes.length ||
      state.statuses.size < data.statuses.length ||
      data.entityTypes.some(function (t) { return !state.entityTypes.has(t.name); });
  }

  /* One pass over every relation and edge: which edges match, which entities keep a
   * matching relation, and the legend counts (each counts what passes the other filters). */
  function evaluate() {
    var lohi = bounds();
    var relOk = new Map();
    var relCounts = { type: new Map(), status: new Map() };
    var matchingRels = 0;
    Object.keys(relations).forEach(function (rid) {
      var fails = relationFails(rid, lohi);
      var r = relations[rid];
      relOk.set(rid, fails.length === 0);
      if (fails.length === 0) { matchingRels += 1; }
      [["type", r.type], ["status", r.status]].forEach(function (p) {
        if (fails.length === 0 || (fails.length === 1 && fails[0] === p[0])) {
          relCounts[p[0]].set(p[1], (relCounts[p[0]].get(p[1]) || 0) + 1);
        }
      });
    });
    var edgeOk = new Map();
    var nodeOk = new Set();
    var typeMarked = new Set();
    allEdges.forEach(function (e) {
      var rels = e.kgRels.some(function (rid) { return relOk.get(rid); });
      if (rels) { typeMarked.add(e.from); typeMarked.add(e.to); }
      var ok = rels && nodeTypeOk(e.from) && nodeTypeOk(e.to);
      edgeOk.set(e.id, ok);
      if (ok) { nodeOk.add(e.from); nodeOk.add(e.to); }
    });
    var entCounts = new Map();
    typeMarked.forEach(function (id) {
      var t = nodeById.get(id).kgType;
      entCounts.set(t, (entCounts.get(t) || 0) + 1);
    });
    return { edgeOk: edgeOk, nodeOk: nodeOk, relCounts: relCounts, entCounts: entCounts,
             matchingRels: matchingRels };
  }

  var current = null;

  // ------------------------------------------------------------------ network
  var nodesDS = new vis.DataSet();
  var edgesDS = new vis.DataSet();
  var network = null;

  function copyOf(item, hidden) {
    var copy = Object.assign({}, item);
    copy.hidden = hidden;
    return copy;
  }

  /* Recompute hidden flags of everything drawn (one batched update each), then the legend
   * and the status line. */
  function applyFilters() {
    current = evaluate();
    var narrowed = filtering();
    var edgeUpdates = [];
    var drawnEdges = new Map();
    edgesDS.forEach(function (e) {
      var shown = current.edgeOk.get(e.id) && state.revealed.has(e.from) && state.revealed.has(e.to);
      if (shown) {
        drawnEdges.set(e.from, (drawnEdges.get(e.from) || 0) + 1);
        drawnEdges.set(e.to, (drawnEdges.get(e.to) || 0) + 1);
      }
      if (e.hidden === shown) { edgeUpdates.push({ id: e.id, hidden: !shown }); }
    });
    /* Unfiltered, every drawn entity stays (its relations may lead to entities not drawn yet);
     * under a filter, an entity left without a visible relation in the picture goes. */
    var nodeUpdates = [];
    nodesDS.forEach(function (n) {
      var shown = current.nodeOk.has(n.id) && (!narrowed || drawnEdges.has(n.id));
      if (n.hidden === shown) { nodeUpdates.push({ id: n.id, hidden: !shown }); }
    });
    if (nodeUpdates.length) { nodesDS.update(nodeUpdates); }
    if (edgeUpdates.length) { edgesDS.update(edgeUpdates); }
    updateLegend();
    updateNotice();
  }

  /* A filter changed (a user action): draw all of a small result, hide the rest, re-fit. */
  function filtersChanged() {
    current = evaluate();
    if (filtering() && current.nodeOk.size <= AUTO_REVEAL) {
      var missing = [];
      current.nodeOk.forEach(function (id) { if (!state.revealed.has(id)) { missing.push(id); } });
      if (missing.length) { reveal(missing, null, true); }
    }
    applyFilters();
    fitVisible();
  }

  function visibleIds() {
    return nodesDS.getIds({ filter: function (n) { return !n.hidden; } });
  }

  /* Fit the visible entities, but never below the zoom that keeps labels legible (then the
   * centre of the fitted view stays) nor far above 1. */
  function fitVisible() {
    if (!network) { return; }
    var target = visibleIds().filter(function (id) {
      return network.clustering.findNode(id).length <= 1;
    });
    state.collapsed.forEach(function (c) {
      if (network.isCluster(clusterId(c))) { target.push(clusterId(c)); }
    });
    if (!target.length) { return; }
    network.fit({ nodes: target, animation: false });
    var scale = network.getScale();
    if (scale < MIN_SCALE || scale > MAX_FIT_SCALE) {
      network.moveTo({ position: network.getViewPosition(),
        scale: scale < MIN_SCALE ? MIN_SCALE : MAX_FIT_SCALE, animation: false });
    }
    api.fits = (api.fits || 0) + 1;
  }

  /* Add revealed nodes (and the edges between revealed nodes) that are not drawn yet; new
   * nodes go on golden-angle rings around `around`, their community or a drawn neighbour. */
  function reveal(ids, around, quiet) {
    var newNodes = [];
    var rings = new Map();
    function place(n, centre) {
      var k = rings.get(centre.key) || 0;
      rings.set(centre.key, k + 1);
      var a = k * 2.39996, r = 150 + 32 * Math.sqrt(k);
      n.x = centre.x + r * Math.cos(a);
      n.y = centre.y + r * Math.sin(a);
    }
    var positions = network ? network.getPositions() : {};
    ids.forEach(function (id) {
      if (state.revealed.has(id) || !nodeById.has(id)) { return; }
      state.revealed.add(id);
      var n = copyOf(nodeById.get(id), false);
      if (n.x === undefined) {
        var centre = null;
        if (around && positions[around]) {
          centre = { key: around, x: positions[around].x, y: positions[around].y };
        } else {
          var near = (edgesOfNode.get(id) || []).map(function (e) { return e.from === id ? e.to : e.from; })
            .filter(function (o) { return positions[o]; })[0];
          if (near) { centre = { key: near, x: positions[near].x, y: positions[near].y }; }
          else {
            var c = communityCentre(n.kgCommunity, positions);
            centre = c || { key: "origin", x: 0, y: 0 };
          }
        }
        place(n, centre);
      }
      newNodes.push(n);
    });
    if (!newNodes.length) { return 0; }
    if (network && !api.large && nodesDS.length + newNodes.length > LARGE_VIEW) {
      /* thousands drawn: straight edges, no hover, edges hidden while moving */
      api.large = true;
      network.setOptions({ edges: { smooth: { enabled: false } },
        interaction: { hover: false, hideEdgesOnDrag: true, hideEdgesOnZoom: true } });
    }
    nodesDS.add(newNodes);
    var newEdges = [];
    var added = new Set();
    newNodes.forEach(function (n) {
      (edgesOfNode.get(n.id) || []).forEach(function (e) {
        if (state.revealed.has(e.from) && state.revealed.has(e.to) && !added.has(e.id) &&
            !edgesDS.get(e.id)) {
          added.add(e.id);
          newEdges.push(copyOf(e, false));
        }
      });
    });
    if (newEdges.length) { edgesDS.add(newEdges); }
    if (!quiet) { applyFilters(); }
    return newNodes.length;
  }

  function communityCentre(index, positions) {
    var xs = 0, ys = 0, k = 0;
    (membersOf.get(index) || []).forEach(function (id) {
      var p = positions[id];
      if (p) { xs += p.x; ys += p.y; k += 1; }
    });
    return k ? { key: "c" + index, x: xs / k, y: ys / k } : null;
  }

  function expand(id) {
    if (network.isCluster(id)) { return expandCommunity(Number(id.slice(10))); }
    var ids = [];
    (edgesOfNode.get(id) || []).forEach(function (e) {
      ids.push(e.from === id ? e.to : e.from);
    });
    return reveal(ids, id);
  }

  function showAll() {
    state.collapsed.forEach(function (c) { expandCommunity(c, true); });
    var n = reveal(allNodes.map(function (x) { return x.id; }), null);
    fitVisible();
    return n;
  }

  // ------------------------------------------------------------------ communities
  function clusterId(index) { return "community-" + index; }

  /* Collapse a community into one node (vis-network clustering), named by its top entities. */
  function collapseCommunity(index) {
    var c = communities[index];
    if (!c || state.collapsed.has(index)) { return false; }
    var drawn = (membersOf.get(index) || []).filter(function (id) { return nodesDS.get(id); });
    if (!drawn.length) { return false; }
    network.cluster({
      joinCondition: function (n) { return n.kgCommunity === index; },
      clusterNodeProperties: {
        id: clusterId(index), label: c.name + " (" + fmt(c.size) + ")", shape: "hexagon",
        size: 22 + Math.min(30, Math.sqrt(c.size)), borderWidth: 3,
        color: { background: c.color, border: "#2e3440" }, kgCluster: index
      },
      clusterEdgeProperties: { dashes: false, color: { color: "rgba(80,80,80,0.5)" } }
    });
    state.collapsed.add(index);
    syncCommunityButtons(index);
    updateNotice();
    return network.isCluster(clusterId(index));
  }

  /* Expand a community: open its cluster and draw all its members. */
  function expandCommunity(index, quiet) {
    var opened = false;
    if (state.collapsed.has(index)) {
      if (network.isCluster(clusterId(index))) { network.openCluster(clusterId(index)); }
      state.collapsed.delete(index);
      opened = true;
    }
    var n = reveal(membersOf.get(index) || [], null, quiet);
    syncCommunityButtons(index);
    if (!quiet) { applyFilters(); fitVisible(); }
    return n + (opened ? 1 : 0);
  }

  /* Translucent discs behind each community's drawn members, named above. */
  function drawCommunities(ctx) {
    if (communities.length < 2 || nodesDS.length > HULLS_MAX) { return; }
    var scale = network.getScale();
    var byCommunity = new Map();
    nodesDS.forEach(function (n) {
      if (n.hidden) { return; }
      var body = network.body.nodes[n.id];
      if (!body || !body.options || body.options.hidden || !network.clustering ||
          (network.clustering.clusteredNodes && network.clustering.clusteredNodes[n.id])) { return; }
      if (!byCommunity.has(n.kgCommunity)) { byCommunity.set(n.kgCommunity, []); }
      byCommunity.get(n.kgCommunity).push(body);
    });
    byCommunity.forEach(function (bodies, index) {
      var c = communities[index];
      if (!c || bodies.length < 2) { return; }
      var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
      bodies.forEach(function (b) {
        var w = Math.max(b.shape.width || 0, (b.labelModule.size && b.labelModule.size.width) || 0) / 2;
        x0 = Math.min(x0, b.x - w); x1 = Math.max(x1, b.x + w);
        y0 = Math.min(y0, b.y - (b.options.size || 10));
        y1 = Math.max(y1, b.y + (b.options.size || 10) + meta.labelFont * 1.4);
      });
      var pad = 12;
      ctx.save();
      ctx.beginPath();
      if (ctx.roundRect) { ctx.roundRect(x0 - pad, y0 - pad, x1 - x0 + 2 * pad, y1 - y0 + 2 * pad, 18); }
      else { ctx.rect(x0 - pad, y0 - pad, x1 - x0 + 2 * pad, y1 - y0 + 2 * pad); }
      ctx.globalAlpha = 0.08;
      ctx.fillStyle = c.color;
      ctx.fill();
      ctx.globalAlpha = 0.6;
      ctx.lineWidth = 2 / scale;
      ctx.strokeStyle = c.color;
      ctx.stroke();
      ctx.globalAlpha = 0.9;
      ctx.fillStyle = "#3d444d";
      ctx.font = "600 " + (12 / scale) + "px system-ui, sans-serif";
      ctx.textAlign = "left";
      ctx.fillText("C" + (index + 1) + " \u00b7 " + fmt(c.size) + " entities", x0 - pad, y0 - pad - 4 / scale);
      ctx.restore();
    });
  }

  function updateNotice() {
    var notice = document.getElementById("kg-notice");
    var drawn = current ? visibleIds().length : state.revealed.size;
    var matching = current ? current.nodeOk.size : meta.entities;
    var rels = current ? current.matchingRels : meta.relations;
    var text = fmt(drawn) + " of " + fmt(matching) + " entities drawn";
    if (matching < meta.entities) { text += " (" + fmt(meta.entities) + " in all)"; }
    text += " \u00b7 " + fmt(rels) + " of " + fmt(meta.relations) + " relations";
    notice.textContent = text;
    document.getElementById("kg-show-all").hidden = state.revealed.size >= allNodes.length;
  }

  // ------------------------------------------------------------------ side panel
  var panel = document.getElementById("kg-panel");

  function clearPanel() {
    while (panel.firstChild) { panel.removeChild(panel.firstChild); }
  }

  function sentenceBlock(ev, cls) {
    var q = el("blockquote", cls ? { className: cls } : null);
    var s = ev.sentence || "";
    var pos = 0;
    (ev.marks || []).forEach(function (m) {
      if (m[0] < pos || m[1] > s.length) { return; }
      if (m[0] > pos) { q.appendChild(document.createTextNode(s.slice(pos, m[0]))); }
      q.appendChild(el("mark", { text: s.slice(m[0], m[1]) }));
      pos = m[1];
    });
    if (pos < s.length) { q.appendChild(document.createTextNode(s.slice(pos))); }
    return q;
  }

  function isWebLink(url) {
    return /^https?:\/\//i.test(url || "");
  }

  /* Where a sentence comes from: headline, date, author, link (offsets stay in the data). */
  function articleBlock(aid) {
    var a = articles[aid] || {};
    var box = el("div", { className: "kg-source" });
    var parts = [];
    if (a.headline) { parts.push("\u201c" + a.headline + "\u201d"); }
    if (a.date) { parts.push(a.date); }
    if (a.author) { parts.push("by " + a.author); }
    if (!a.headline && a.doc) { parts.push(a.doc); }
    box.appendChild(el("div", { text: parts.join(" \u00b7 ") || aid || "unknown article" }));
    if (a.url) {
      if (isWebLink(a.url)) {
        box.appendChild(el("div", null, [el("a", {
          href: a.url, target: "_blank", rel: "noopener noreferrer", text: a.url
        })]));
      } else {
        box.appendChild(el("div", { text: a.url }));
      }
    }
    return box;
  }

  /* The sentences of a relation; a sentence already shown in this panel is not repeated. */
  function evidenceList(rel, cls, printed) {
    var frag = document.createDocumentFragment();
    rel.evidence.forEach(function (ev) {
      var key = (ev.article || "") + "\u0000" + ev.sentence;
      if (printed.has(key)) {
        frag.appendChild(el("p", { className: "kg-same", text: "(in the same sentence as above)" }));
        return;
      }
      printed.add(key);
      frag.appendChild(sentenceBlock(ev, cls));
      frag.appendChild(articleBlock(ev.article));
    });
    if (!rel.evidence.length) { frag.appendChild(el("p", { text: "(no sentence recorded)" })); }
    return frag;
  }

  function dl(pairs) {
    var list = el("dl");
    pairs.forEach(function (p) {
      if (p[1] === null || p[1] === undefined || p[1] === "") { return; }
      list.appendChild(el("dt", { text: p[0] }));
      list.appendChild(el("dd", { text: String(p[1]) }));
    });
    return list;
  }

  function relationTitle(r) {
    return label(r.subject) + " \u2014 " + r.type + (r.object ? " \u2192 " + label(r.object) : "");
  }

  /* One relation: its status, facts, the claim sentence once, then each denial under it. */
  function relationBlock(rid, printed) {
    var r = relations[rid];
    var box = el("div", { className: "kg-rel", "data-relation": rid });
    box.appendChild(el("div", null, [
      el("span", { className: "kg-status " + r.status, text: r.status }), " " + relationTitle(r)
    ]));
    box.appendChild(dl([
      ["reported by", r.attributedTo],
      ["denied by", r.deniedBy.map(function (d) {
        return relations[d] ? label(relations[d].subject) : d;
      }).join(", ")],
      ["polarity", r.polarity],
      ["modality", r.modality],
      ["date", r.ownDate],
      ["place", r.place],
      ["confidence", r.confidence]
    ]));
    if (r.claim || r.denies.length) {
      box.appendChild(el("h3", { text: "What was denied" }));
      if (r.claim) { box.appendChild(el("blockquote", { className: "kg-claim", text: r.claim })); }
      r.denies.forEach(function (d) {
        var c = relations[d];
        box.appendChild(el("p", { className: "kg-denied-relation", text: c ? relationTitle(c) + " (" + c.status + ")" : d }));
      });
      box.appendChild(el("h3", { text: "The denial" }));
    }
    box.appendChild(evidenceList(r, r.denies.length || r.claim ? "kg-denial" : "", printed));
    r.deniedBy.forEach(function (d) {
      var den = relations[d];
      if (!den) { return; }
      var sub = el("div", { className: "kg-denial", "data-denial": d });
      sub.appendChild(el("h3", { text: "Denied by " + label(den.subject) }));
      sub.appendChild(evidenceList(den, "kg-denial", printed));
      box.appendChild(sub);
    });
    return box;
  }

  var labelled = null;

  /* Draw the selected edge's label (edges carry none on the overview). */
  function labelEdge(id) {
    if (labelled && edgesDS.get(labelled)) { edgesDS.update({ id: labelled, label: undefined }); }
    labelled = null;
    if (id && edgesDS.get(id)) {
      edgesDS.update({ id: id, label: edgeById.get(id).kgLabel });
      labelled = id;
    }
  }

  function showEdge(id) {
    var e = edgeById.get(id);
    if (!e) { return false; }
    clearPanel();
    panel.setAttribute("data-selected", id);
    panel.appendChild(el("h2", { text: label(e.from) + " \u2014 " + e.kgLabel + " \u2014 " + label(e.to) }));
    panel.appendChild(el("p", { text: e.kgRels.length + " relation" + (e.kgRels.length > 1 ? "s" : "") + ", status: " + e.kgStatus }));
    var printed = new Set();
    e.kgRels.forEach(function (rid) { panel.appendChild(relationBlock(rid, printed)); });
    labelEdge(id);
    /* the two ends glow with the edge, so a short edge stands out too */
    try {
      network.setSelection({ nodes: [e.from, e.to], edges: [id] },
        { unselectAll: true, highlightEdges: false });
    } catch (err) { /* an end inside a collapsed community: the edge alone is selected */ }
    return true;
  }

  function showNode(id) {
    if (network && network.isCluster(id)) { return showCommunity(Number(String(id).slice(10))); }
    var n = nodeById.get(id);
    if (!n) { return false; }
    clearPanel();
    labelEdge(null);
    panel.setAttribute("data-selected", id);
    panel.appendChild(el("h2", { text: n.label }));
    var comm = communities[n.kgCommunity];
    panel.appendChild(dl([
      ["type", n.kgType],
      ["also called", n.kgAliases.join("; ")],
      ["relations", n.kgDegree],
      ["community", comm ? "C" + (comm.index + 1) + ": " + comm.name : null],
      ["id", n.id]
    ]));
    var edges = edgesOfNode.get(id) || [];
    var hiddenNeighbours = edges.filter(function (e) {
      return !state.revealed.has(e.from === id ? e.to : e.from);
    }).length;
    var btn = el("button", { type: "button", "data-test": "expand",
      text: "Show neighbours (" + hiddenNeighbours + " not drawn)" });
    btn.disabled = hiddenNeighbours === 0;
    btn.addEventListener("click", function () { expand(id); showNode(id); });
    panel.appendChild(btn);
    panel.appendChild(el("h3", { text: "Relations" }));
    var list = el("ul", { className: "kg-links" });
    edges.forEach(function (e) {
      var other = e.from === id ? e.to : e.from;
      var link = el("button", { type: "button", className: "kg-link",
        text: (e.from === id ? "\u2192 " : "\u2190 ") + e.kgLabel + " " + label(other) });
      link.addEventListener("click", function () { select(e.id); });
      list.appendChild(el("li", null, [link]));
    });
    panel.appendChild(list);
    var arts = new Set();
    edges.forEach(function (e) {
      e.kgRels.forEach(function (rid) { relations[rid].articles.forEach(function (a) { arts.add(a); }); });
    });
    if (arts.size) {
      panel.appendChild(el("h3", { text: "Sources" }));
      Array.from(arts).sort().forEach(function (a) { panel.appendChild(articleBlock(a)); });
    }
    return true;
  }

  function showCommunity(index) {
    var c = communities[index];
    if (!c) { return false; }
    clearPanel();
    panel.setAttribute("data-selected", clusterId(index));
    panel.appendChild(el("h2", { text: "Community C" + (index + 1) }));
    panel.appendChild(el("p", { text: fmt(c.size) + " entities, most central first:" }));
    var list = el("ul", { className: "kg-links" });
    (membersOf.get(index) || []).slice(0, 30).forEach(function (id) {
      var link = el("button", { type: "button", className: "kg-link", text: label(id) });
      link.addEventListener("click", function () { expandCommunity(index); select(id); });
      list.appendChild(el("li", null, [link]));
    });
    panel.appendChild(list);
    var btn = el("button", { type: "button", "data-test": "expand-community", text: "Expand" });
    btn.addEventListener("click", function () { expandCommunity(index); });
    panel.appendChild(btn);
    return true;
  }

  /* What the panel holds before anything is selected: the graph in figures, the most central
   * entities (one click to select) and how to read the picture. */
  function showOverview() {
    clearPanel();
    panel.setAttribute("data-selected", "");
    panel.appendChild(el("h2", { text: "Overview" }));
    panel.appendChild(el("p", { text: fmt(meta.entities) + " entities with a relation, " +
      fmt(meta.relations) + " relations" + (communities.length > 1 ? ", " +
      fmt(communities.length) + " communities" : "") + ". " + (meta.shown >= meta.entities
        ? "All are drawn."
        : "Drawn first: the " + fmt(meta.shown) + " most central" +
          (communities.length > 1 ? " of the largest communities." : ".")) }));
    panel.appendChild(el("h3", { text: "Most central" }));
    var list = el("ul", { className: "kg-links" });
    allNodes.slice(0, 10).forEach(function (n) {
      var link = el("button", { type: "button", className: "kg-link",
        text: n.label + " (" + n.kgDegree + ")" });
      link.addEventListener("click", function () { focusEntity(n.label); });
      list.appendChild(el("li", null, [link]));
    });
    panel.appendChild(list);
    panel.appendChild(el("p", { className: "kg-hint", text:
      "Click an entity or a relation to see its sentences and sources; search for any entity; " +
      "a community in the legend collapses into one node and expands again." }));
    return true;
  }

  function showIsolated() {
    clearPanel();
    labelEdge(null);
    panel.setAttribute("data-selected", "isolated");
    panel.appendChild(el("h2", { text: fmt(data.isolated.length) + " entities without relations" }));
    panel.appendChild(el("p", { className: "kg-hint", text:
      "Named in the articles but in no relation (not drawn):" }));
    var ul = el("ul", { className: "kg-isolated" });
    data.isolated.forEach(function (name) { ul.appendChild(el("li", { text: name })); });
    panel.appendChild(ul);
    return true;
  }

  function select(id) {
    if (edgeById.has(id)) {
      var e = edgeById.get(id);
      reveal([e.from, e.to], null);
      return showEdge(id);
    }
    if (nodeById.has(id)) {
      reveal([id], null);
      network.selectNodes([id]);
      return showNode(id);
    }
    return false;
  }

  // ------------------------------------------------------------------ search
  var searchIndex = allNodes.map(function (n) {
    return { id: n.id, names: [n.label].concat(n.kgAliases).map(norm) };
  });

  function findEntity(query) {
    var q = norm(query);
    if (!q) { return null; }
    var i, hit = null;
    for (i = 0; i < searchIndex.length && !hit; i++) {
      if (searchIndex[i].names.indexOf(q) >= 0) { hit = searchIndex[i].id; }
    }
    for (i = 0; i < searchIndex.length && !hit; i++) {
      if (searchIndex[i].names.some(function (n) { return n.indexOf(q) === 0; })) { hit = searchIndex[i].id; }
    }
    for (i = 0; i < searchIndex.length && !hit; i++) {
      if (searchIndex[i].names.some(function (n) { return n.indexOf(q) >= 0; })) { hit = searchIndex[i].id; }
    }
    return hit;
  }

  function focusEntity(query) {
    var id = findEntity(query);
    var notice = document.getElementById("kg-notice");
    if (!id) {
      var lone = data.isolated.filter(function (n) { return norm(n).indexOf(norm(query)) >= 0; })[0];
      notice.textContent = lone ? "\u201c" + lone + "\u201d is in no relation (not drawn)"
        : "No entity matches \u201c" + query + "\u201d";
      return null;
    }
    var n = nodeById.get(id);
    if (!state.entityTypes.has(n.kgType)) { toggle("entityTypes", n.kgType, true); }
    if (state.collapsed.has(n.kgCommunity)) { expandCommunity(n.kgCommunity); }
    reveal([id], null);
    if (filtering()) { expand(id); }  // so that it keeps a visible relation in the picture
    network.selectNodes([id]);
    network.moveTo({ position: network.getPositions([id])[id], scale: Math.max(1, MIN_SCALE), animation: false });
    showNode(id);
    api.focused = id;
    return id;
  }

  // ------------------------------------------------------------------ legend and filters
  var legendButtons = { entityTypes: new Map(), relTypes: new Map(), statuses: new Map() };
  var legendCounts = { entityTypes: new Map(), relTypes: new Map(), statuses: new Map() };

  function toggle(kind, name, on) {
    var set = state[kind];
    var enable = on === undefined ? !set.has(name) : Boolean(on);
    if (enable) { set.add(name); } else { set.delete(name); }
    var btn = legendButtons[kind].get(name);
    if (btn) { btn.setAttribute("aria-pressed", enable ? "true" : "false"); }
    filtersChanged();
    return enable;
  }

  function legendItem(kind, name, sample, text, count) {
    var num = el("span", { className: "kg-count", "data-test": "count-" + kind + "-" + name, text: fmt(count) });
    var btn = el("button", { type: "button", className: "kg-toggle", "aria-pressed": "true",
      "data-test": "legend-" + kind + "-" + name }, [sample, el("span", { text: text }), num]);
    btn.addEventListener("click", function () { toggle(kind, name); });
    legendButtons[kind].set(name, btn);
    legendCounts[kind].set(name, num);
    return el("li", null, [btn]);
  }

  /* Legend counts: relations (or entities) that pass every filter but their own row's. */
  function updateLegend() {
    if (!current) { return; }
    var sources = { entityTypes: current.entCounts, relTypes: current.relCounts.type,
                    statuses: current.relCounts.status };
    Object.keys(legendCounts).forEach(function (kind) {
      legendCounts[kind].forEach(function (span, name) {
        span.textContent = fmt(sources[kind].get(name) || 0);
      });
    });
  }

  var communityButtons = new Map();

  function syncCommunityButtons(index) {
    var b = communityButtons.get(index);
    if (b) { b.setAttribute("aria-pressed", state.collapsed.has(index) ? "true" : "false"); }
  }

  function buildLegend() {
    var ul = document.getElementById("kg-legend-entities");
    data.entityTypes.forEach(function (t) {
      var sw = el("span", { className: "kg-swatch " + t.shape });
      sw.style.background = t.color;
      ul.appendChild(legendItem("entityTypes", t.name, sw, t.label, t.count));
    });
    ul = document.getElementById("kg-legend-types");
    data.relationTypes.forEach(function (t) {
      var line = el("span", { className: "kg-line" });
      line.style.borderTopColor = t.color;
      line.style.borderTopStyle = "solid";
      ul.appendChild(legendItem("relTypes", t.name, line, t.label, t.count));
    });
    ul = document.getElementById("kg-legend-status");
    data.statuses.forEach(function (s) {
      var line = el("span", { className: "kg-line" });
      line.style.borderTopColor = s.color;
      line.style.borderTopStyle = s.dashes === false ? "solid" : (s.dashes[0] <= 2 ? "dotted" : "dashed");
      line.style.opacity = String(s.opacity);
      ul.appendChild(legendItem("statuses", s.name, line, s.label, s.count));
    });
    ul = document.getElementById("kg-legend-communities");
    communities.slice(0, 40).forEach(function (c) {
      var sw = el("span", { className: "kg-swatch dot" });
      sw.style.background = c.color;
      var btn = el("button", { type: "button", className: "kg-toggle", "aria-pressed": "false",
        title: "Collapse into one node / expand", "data-test": "community-" + c.index },
        [sw, el("span", { text: "C" + (c.index + 1) + " " + c.name }),
         el("span", { className: "kg-count", text: fmt(c.size) })]);
      btn.addEventListener("click", function () {
        if (state.collapsed.has(c.index)) { expandCommunity(c.index); } else { collapseCommunity(c.index); }
      });
      communityButtons.set(c.index, btn);
      ul.appendChild(el("li", null, [btn]));
    });
    document.getElementById("kg-communities").hidden = communities.length < 2;
    var iso = document.getElementById("kg-isolated");
    iso.textContent = "+ " + fmt(data.isolated.length) + " entities without relations";
    iso.hidden = !data.isolated.length;
    iso.addEventListener("click", showIsolated);
    var select = document.getElementById("kg-source");
    Object.keys(articles).sort().forEach(function (aid) {
      var a = articles[aid];
      var opt = document.createElement("option");
      opt.value = aid;
      opt.textContent = (a.headline || a.doc || aid) + (a.date ? " (" + a.date + ")" : "");
      select.appendChild(opt);
    });
    select.addEventListener("change", function () { state.source = select.value; filtersChanged(); });
    ["since", "until"].forEach(function (k) {
      var input = document.getElementById("kg-" + k);
      input.value = meta[k] || "";
      state[k] = input.value;
      input.addEventListener("change", function () {
        var v = input.value.trim();
        var ok = !v || ISO.test(v);
        input.setAttribute("aria-invalid", ok ? "false" : "true");
        if (ok) { state[k] = v; filtersChanged(); }
      });
    });
    var names = document.getElementById("kg-names");
    var seen = new Set();
    /* suggestions for the 1,000 most central (search itself looks at every entity) */
    allNodes.slice(0, 1000).forEach(function (n) {
      [n.label].concat(n.kgAliases).forEach(function (name) {
        if (seen.has(name)) { return; }
        seen.add(name);
        var opt = document.createElement("option");
        opt.value = name;
        names.appendChild(opt);
      });
    });
  }

  // ------------------------------------------------------------------ start
  document.getElementById("kg-title").textContent = meta.title;
  buildLegend();
  timing.legend = performance.now();

  var initialNodes = [];
  data.initial.forEach(function (id) { initialNodes.push(copyOf(nodeById.get(id), false)); });
  nodesDS.add(initialNodes);
  var initialEdges = [];
  allEdges.forEach(function (e) {
    if (state.revealed.has(e.from) && state.revealed.has(e.to)) { initialEdges.push(copyOf(e, false)); }
  });
  edgesDS.add(initialEdges);

  /* A selected entity or relation is drawn thick with a halo, so it stands out. */
  options.nodes.chosen = {
    node: function (values, id, selected) {
      if (!selected) { return; }
      values.borderWidth = 5; values.borderColor = "#111111";
      values.shadow = true; values.shadowColor = "rgba(255,160,0,0.95)";
      values.shadowSize = 22; values.shadowX = 0; values.shadowY = 0;
    },
    label: function (values, id, selected) { if (selected) { values.mod = "bold"; } }
  };
  options.edges.chosen = {
    edge: function (values, id, selected, hovering) {
      if (selected) {
        values.width = values.width * 2 + 3;
        values.shadow = true; values.shadowColor = "rgba(255,160,0,0.95)";
        values.shadowSize = 16; values.shadowX = 0; values.shadowY = 0;
      } else if (hovering) { values.width += 1.5; }
    },
    label: false
  };

  timing.data = performance.now();
  var container = document.getElementById("kg-graph");
  network = new vis.Network(container, { nodes: nodesDS, edges: edgesDS }, options);
  api.network = network;
  timing.network = performance.now();
  if (state.since || state.until) { current = evaluate(); applyFilters(); }
  fitVisible();
  api.initialScale = network.getScale();

  var progress = document.getElementById("kg-progress");
  var physicsBox = document.getElementById("kg-physics");
  physicsBox.checked = false;

  function freeze() {
    if (api.frozen) { return; }
    api.frozen = true;
    api.frozenAt = performance.now();
    timing.frozen = api.frozenAt;
    progress.hidden = true;
    document.body.setAttribute("data-frozen", "true");
  }

  network.on("beforeDrawing", drawCommunities);
  /* Labels are measured when first drawn: fit once more on them, then the picture is final. */
  network.once("afterDrawing", function () {
    timing.firstDraw = performance.now();
    network.once("afterDrawing", function () { freeze(); });
    fitVisible();
    api.initialScale = network.getScale();
    network.redraw();
  });
  physicsBox.addEventListener("change", function () {
    network.setOptions({ physics: { enabled: physicsBox.checked, stabilization: { enabled: false } } });
  });
  document.getElementById("kg-fit").addEventListener("click", function () { fitVisible(); });
  document.getElementById("kg-show-all").addEventListener("click", function () { showAll(); });

  network.on("click", function (params) {
    if (params.nodes.length) { showNode(params.nodes[0]); }
    else if (params.edges.length) { showEdge(params.edges[0]); }
    else { labelEdge(null); showOverview(); }
  });
  network.on("doubleClick", function (params) {
    if (params.nodes.length && network.isCluster(params.nodes[0])) {
      expandCommunity(Number(String(params.nodes[0]).slice(10)));
    }
  });

  var searchBox = document.getElementById("kg-search");
  searchBox.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") { focusEntity(searchBox.value); }
  });
  searchBox.addEventListener("change", function () { focusEntity(searchBox.value); });
  document.getElementById("kg-search-go").addEventListener("click", function () { focusEntity(searchBox.value); });

  current = evaluate();
  updateLegend();
  updateNotice();
  showOverview();

  api.select = select;
  api.showNode = showNode;
  api.showEdge = showEdge;
  api.showIsolated = showIsolated;
  api.showOverview = showOverview;
  api.search = focusEntity;
  api.findEntity = findEntity;
  api.expand = expand;
  api.showAll = showAll;
  api.toggle = toggle;
  api.fit = fitVisible;
  api.collapseCommunity = collapseCommunity;
  api.expandCommunity = expandCommunity;
  api.setSource = function (aid) { state.source = aid || ""; document.getElementById("kg-source").value = state.source; filtersChanged(); };
  api.setDates = function (since, until) {
    state.since = since || ""; state.until = until || "";
    document.getElementById("kg-since").value = state.since;
    document.getElementById("kg-until").value = state.until;
    filtersChanged();
  };
  api.visibleNodeIds = function () { return visibleIds().sort(); };
  api.visibleEdgeIds = function () { return edgesDS.getIds({ filter: function (e) { return !e.hidden; } }).sort(); };
  api.legendCounts = function () {
    var out = {};
    Object.keys(legendCounts).forEach(function (kind) {
      out[kind] = {};
      legendCounts[kind].forEach(function (span, name) { out[kind][name] = Number(span.textContent.replace(/,/g, "")); });
    });
    return out;
  };
  /* On-screen label boxes (CSS pixels) of the drawn entities inside the graph pane. */
  api.labelBoxes = function () {
    var scale = network.getScale();
    var rect = container.getBoundingClientRect();
    var out = [];
    visibleIds().forEach(function (id) {
      if (network.clustering.findNode(id).length > 1) { return; }
      var body = network.body.nodes[id];
      if (!body || !body.labelModule || !body.labelModule.size) { return; }
      var s = body.labelModule.size;
      var tl = network.canvasToDOM({ x: s.left, y: s.top });
      var br = network.canvasToDOM({ x: s.left + s.width, y: s.top + s.height });
      var onScreen = br.x > 0 && br.y > 0 && tl.x < rect.width && tl.y < rect.height;
      out.push({ id: id, label: body.options.label, x0: tl.x, y0: tl.y, x1: br.x, y1: br.y,
                 px: body.options.font.size * scale, onScreen: onScreen,
                 drawn: body.options.font.size * scale >= (body.options.scaling.label.drawThreshold || 5) });
    });
    return out;
  };
  api.edgesBetween = function (a, b) {
    return allEdges.filter(function (e) {
      return (e.from === a && e.to === b) || (e.from === b && e.to === a);
    }).map(function (e) {
      return { id: e.id, type: e.kgType, status: e.kgStatus, label: e.kgLabel, dashes: e.dashes,
               color: e.color.color, hue: e.color.highlight, glow: Boolean(e.shadow && e.shadow.enabled) };
    });
  };
  api.meta = meta;
  api.ready = true;
})();
