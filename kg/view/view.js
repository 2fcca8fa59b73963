/* newskg view: builds the vis-network graph, the legend, filters, search and the side panel.
 * All article text comes from JSON blocks and is inserted with textContent / text nodes,
 * never as HTML. window.newskgView exposes a small API for tests and power users. */
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

  var nodeById = new Map();
  allNodes.forEach(function (n) { nodeById.set(n.id, n); });
  var edgeById = new Map();
  var edgesOfNode = new Map();
  allEdges.forEach(function (e) {
    edgeById.set(e.id, e);
    [e.from, e.to].forEach(function (n) {
      if (!edgesOfNode.has(n)) { edgesOfNode.set(n, []); }
      edgesOfNode.get(n).push(e);
    });
  });

  var state = {
    revealed: new Set(data.initial),
    entityTypes: new Set(data.entityTypes.map(function (t) { return t.name; }).concat(["Entity"])),
    relTypes: new Set(data.relationTypes.map(function (t) { return t.name; })),
    statuses: new Set(data.statuses.map(function (s) { return s.name; })),
    source: "",
    since: "",
    until: ""
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

  function dayRange(d) {
    var m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(d || "");
    if (!m) { return null; }
    if (m[3]) { return [m[0], m[0]]; }
    if (m[2]) { return [m[1] + "-" + m[2] + "-01", m[1] + "-" + m[2] + "-31"]; }
    return [m[1] + "-01-01", m[1] + "-12-31"];
  }

  function relationPasses(rid) {
    var r = relations[rid];
    if (!r) { return false; }
    if (state.source && r.articles.indexOf(state.source) < 0) { return false; }
    if (state.since || state.until) {
      var rng = dayRange(r.date);
      if (!rng) { return false; }
      if (state.since && rng[1] < state.since) { return false; }
      if (state.until && rng[0] > state.until) { return false; }
    }
    return true;
  }

  function narrowing() { return Boolean(state.source || state.since || state.until); }

  function edgeVisible(e) {
    if (!state.relTypes.has(e.kgType) || !state.statuses.has(e.kgStatus)) { return false; }
    if (narrowing() && !e.kgRels.some(relationPasses)) { return false; }
    return nodeTypeVisible(e.from) && nodeTypeVisible(e.to);
  }

  function nodeTypeVisible(id) {
    var n = nodeById.get(id);
    return Boolean(n) && state.revealed.has(id) && state.entityTypes.has(n.kgType);
  }

  // ------------------------------------------------------------------ network
  var nodesDS = new vis.DataSet();
  var edgesDS = new vis.DataSet();

  function visNode(n, hidden) {
    var copy = Object.assign({}, n);
    copy.hidden = hidden;
    return copy;
  }

  function visEdge(e, hidden) {
    var copy = Object.assign({}, e);
    copy.hidden = hidden;
    return copy;
  }

  function nodeVisibleNow(id, visibleEdgeCount) {
    if (!nodeTypeVisible(id)) { return false; }
    return !narrowing() || (visibleEdgeCount.get(id) || 0) > 0;
  }

  /* Recompute hidden flags of everything in the data sets (one batched update each). */
  function applyFilters() {
    var edgeUpdates = [];
    var counts = new Map();
    edgesDS.forEach(function (e) {
      var src = edgeById.get(e.id);
      var shown = edgeVisible(src);
      if (shown) {
        counts.set(src.from, (counts.get(src.from) || 0) + 1);
        counts.set(src.to, (counts.get(src.to) || 0) + 1);
      }
      if (e.hidden === shown) { edgeUpdates.push({ id: e.id, hidden: !shown }); }
    });
    var nodeUpdates = [];
    nodesDS.forEach(function (n) {
      var shownNode = nodeVisibleNow(n.id, counts);
      if (n.hidden === shownNode) { nodeUpdates.push({ id: n.id, hidden: !shownNode }); }
    });
    if (nodeUpdates.length) { nodesDS.update(nodeUpdates); }
    if (edgeUpdates.length) { edgesDS.update(edgeUpdates); }
    updateNotice();
  }

  /* Add revealed nodes (and the edges between revealed nodes) that are not drawn yet. */
  function reveal(ids, around) {
    var newNodes = [];
    var placedAround = around ? network.getPositions([around])[around] : null;
    var k = 0;
    ids.forEach(function (id) {
      if (state.revealed.has(id) || !nodeById.has(id)) { return; }
      state.revealed.add(id);
      var n = visNode(nodeById.get(id), false);
      if (placedAround) {
        var a = k * 2.39996, r = 140 + 14 * Math.sqrt(k);
        n.x = placedAround.x + r * Math.cos(a);
        n.y = placedAround.y + r * Math.sin(a);
        k += 1;
      } else if (n.x === undefined) {
        var b = k * 2.39996, rr = 200 + 40 * Math.sqrt(k);
        n.x = rr * Math.cos(b); n.y = rr * Math.sin(b); k += 1;
      }
      newNodes.push(n);
    });
    if (!newNodes.length) { return 0; }
    nodesDS.add(newNodes);
    var newEdges = [];
    var added = new Set();
    newNodes.forEach(function (n) {
      (edgesOfNode.get(n.id) || []).forEach(function (e) {
        if (state.revealed.has(e.from) && state.revealed.has(e.to) && !added.has(e.id) &&
            !edgesDS.get(e.id)) {
          added.add(e.id);
          newEdges.push(visEdge(e, false));
        }
      });
    });
    if (newEdges.length) { edgesDS.add(newEdges); }
    applyFilters();
    return newNodes.length;
  }

  function expand(id) {
    var ids = [];
    (edgesOfNode.get(id) || []).forEach(function (e) {
      ids.push(e.from === id ? e.to : e.from);
    });
    return reveal(ids, id);
  }

  function showAll() {
    return reveal(allNodes.map(function (n) { return n.id; }), null);
  }

  function updateNotice() {
    var notice = document.getElementById("kg-notice");
    var hidden = meta.entities - state.revealed.size;
    var text = state.revealed.size + " of " + meta.entities + " entities shown";
    if (hidden > 0) {
      text += " (" + hidden + " hidden: select an entity and use \u201cShow neighbours\u201d, or Show all)";
    }
    text += " \u00b7 " + meta.relations + " relations";
    notice.textContent = text;
    document.getElementById("kg-show-all").hidden = hidden <= 0;
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

  function articleBlock(aid, ev) {
    var a = articles[aid] || {};
    var box = el("div", { className: "kg-source" });
    var parts = [];
    if (a.headline) { parts.push("\u201c" + a.headline + "\u201d"); }
    if (a.date) { parts.push(a.date); }
    if (a.author) { parts.push("by " + a.author); }
    if (!a.headline && a.doc) { parts.push(a.doc); }
    box.appendChild(el("div", { text: parts.join(" \u00b7 ") || aid || "unknown article" }));
    if (ev) {
      box.appendChild(el("div", { text: "characters " + ev.start + "\u2013" + ev.end }));
    }
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

  function evidenceList(rel, cls) {
    var frag = document.createDocumentFragment();
    rel.evidence.forEach(function (ev) {
      frag.appendChild(sentenceBlock(ev, cls));
      frag.appendChild(articleBlock(ev.article, ev));
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

  function relationBlock(rid) {
    var r = relations[rid];
    var box = el("div", { className: "kg-rel", "data-relation": rid });
    box.appendChild(el("div", null, [
      el("span", { className: "kg-status " + r.status, text: r.status }),
      " " + label(r.subject) + " \u2014 " + r.type +
        (r.object ? " \u2192 " + label(r.object) : "")
    ]));
    box.appendChild(dl([
      ["denied claim", r.claim ? "\u201c" + r.claim + "\u201d" : null],
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
    box.appendChild(evidenceList(r));
    if (r.denies.length) {
      box.appendChild(el("h3", { text: "Denies" }));
      r.denies.forEach(function (d) {
        var c = relations[d];
        box.appendChild(el("p", {
          text: c ? label(c.subject) + " \u2014 " + c.type +
            (c.object ? " \u2192 " + label(c.object) : "") : d
        }));
      });
    }
    r.deniedBy.forEach(function (d) {
      var den = relations[d];
      if (!den) { return; }
      var sub = el("div", { className: "kg-denial", "data-denial": d });
      sub.appendChild(el("h3", { text: "Denied by " + label(den.subject) }));
      sub.appendChild(evidenceList(den, "kg-denial"));
      box.appendChild(sub);
    });
    return box;
  }

  function showEdge(id) {
    var e = edgeById.get(id);
    if (!e) { return false; }
    clearPanel();
    panel.setAttribute("data-selected", id);
    panel.appendChild(el("h2", { text: label(e.from) + " \u2014 " + e.label + " \u2014 " + label(e.to) }));
    panel.appendChild(el("p", { text: e.kgRels.length + " relation" + (e.kgRels.length > 1 ? "s" : "") + ", status: " + e.kgStatus }));
    e.kgRels.forEach(function (rid) { panel.appendChild(relationBlock(rid)); });
    return true;
  }

  function showNode(id) {
    var n = nodeById.get(id);
    if (!n) { return false; }
    clearPanel();
    panel.setAttribute("data-selected", id);
    panel.appendChild(el("h2", { text: n.label }));
    panel.appendChild(dl([
      ["type", n.kgType],
      ["also called", n.kgAliases.join("; ")],
      ["relations", n.kgDegree],
      ["id", n.id]
    ]));
    var edges = edgesOfNode.get(id) || [];
    var hiddenNeighbours = edges.filter(function (e) {
      return !state.revealed.has(e.from === id ? e.to : e.from);
    }).length;
    var btn = el("button", { type: "button", "data-test": "expand",
      text: "Show neighbours (" + hiddenNeighbours + " hidden)" });
    btn.disabled = hiddenNeighbours === 0;
    btn.addEventListener("click", function () { expand(id); showNode(id); });
    panel.appendChild(btn);
    panel.appendChild(el("h3", { text: "Relations" }));
    var list = el("ul", { className: "kg-links" });
    edges.forEach(function (e) {
      var other = e.from === id ? e.to : e.from;
      var link = el("button", { type: "button", className: "kg-link",
        text: (e.from === id ? "\u2192 " : "\u2190 ") + e.label + " " + label(other) });
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
      Array.from(arts).sort().forEach(function (a) { panel.appendChild(articleBlock(a, null)); });
    }
    return true;
  }

  function select(id) {
    if (edgeById.has(id)) {
      var e = edgeById.get(id);
      reveal([e.from, e.to], null);
      network.selectEdges([id]);
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
      notice.textContent = "No entity matches \u201c" + query + "\u201d";
      return null;
    }
    var n = nodeById.get(id);
    if (!state.entityTypes.has(n.kgType)) { toggle("entityTypes", n.kgType, true); }
    reveal([id], null);
    network.selectNodes([id]);
    network.focus(id, { scale: 1.2, animation: false });
    showNode(id);
    api.focused = id;
    return id;
  }

  // ------------------------------------------------------------------ legend and filters
  var legendButtons = { entityTypes: new Map(), relTypes: new Map(), statuses: new Map() };

  function toggle(kind, name, on) {
    var set = state[kind];
    var enable = on === undefined ? !set.has(name) : Boolean(on);
    if (enable) { set.add(name); } else { set.delete(name); }
    var btn = legendButtons[kind].get(name);
    if (btn) { btn.setAttribute("aria-pressed", enable ? "true" : "false"); }
    applyFilters();
    return enable;
  }

  function legendItem(kind, name, sample, text, count) {
    var btn = el("button", { type: "button", className: "kg-toggle", "aria-pressed": "true",
      "data-test": "legend-" + kind + "-" + name }, [sample, el("span", { text: text }),
      el("span", { className: "kg-count", text: String(count) })]);
    btn.addEventListener("click", function () { toggle(kind, name); });
    legendButtons[kind].set(name, btn);
    return el("li", null, [btn]);
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
      ul.appendChild(legendItem("relTypes", t.name, el("span"), t.label, t.count));
    });
    ul = document.getElementById("kg-legend-status");
    data.statuses.forEach(function (s) {
      var line = el("span", { className: "kg-line" });
      line.style.borderTopColor = s.color;
      line.style.borderTopStyle = s.dashes === false ? "solid" : (s.dashes[0] <= 2 ? "dotted" : "dashed");
      line.style.opacity = String(s.opacity);
      ul.appendChild(legendItem("statuses", s.name, line, s.label, s.count));
    });
    var select = document.getElementById("kg-source");
    Object.keys(articles).sort().forEach(function (aid) {
      var a = articles[aid];
      var opt = document.createElement("option");
      opt.value = aid;
      opt.textContent = (a.headline || a.doc || aid) + (a.date ? " (" + a.date + ")" : "");
      select.appendChild(opt);
    });
    select.addEventListener("change", function () { state.source = select.value; applyFilters(); });
    ["since", "until"].forEach(function (k) {
      var input = document.getElementById("kg-" + k);
      input.addEventListener("change", function () { state[k] = input.value; applyFilters(); });
    });
    var names = document.getElementById("kg-names");
    var seen = new Set();
    allNodes.forEach(function (n) {
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

  var initialNodes = [];
  data.initial.forEach(function (id) { initialNodes.push(visNode(nodeById.get(id), false)); });
  nodesDS.add(initialNodes);
  var initialEdges = [];
  allEdges.forEach(function (e) {
    if (state.revealed.has(e.from) && state.revealed.has(e.to)) { initialEdges.push(visEdge(e, false)); }
  });
  edgesDS.add(initialEdges);

  var container = document.getElementById("kg-graph");
  var network = new vis.Network(container, { nodes: nodesDS, edges: edgesDS }, options);
  api.network = network;
  timing.network = performance.now();

  var progress = document.getElementById("kg-progress");
  var bar = document.getElementById("kg-progress-bar");
  var progressText = document.getElementById("kg-progress-text");
  var physicsBox = document.getElementById("kg-physics");
  physicsBox.checked = Boolean(options.physics.enabled);

  function freeze(why) {
    if (api.frozen) { return; }
    if (network.physics.options.enabled) { network.setOptions({ physics: { enabled: false } }); }
    physicsBox.checked = false;
    api.frozen = true;
    api.frozenAt = performance.now();
    timing.frozen = api.frozenAt;
    bar.style.width = "100%";
    progress.setAttribute("aria-valuenow", "100");
    progressText.textContent = why;
    progress.hidden = true;
    document.body.setAttribute("data-frozen", "true");
  }

  network.once("afterDrawing", function () { timing.firstDraw = performance.now(); });
  network.on("stabilizationProgress", function (p) {
    var pct = Math.round(100 * p.iterations / Math.max(1, p.total));
    bar.style.width = pct + "%";
    progress.setAttribute("aria-valuenow", String(pct));
    progressText.textContent = "Laying out\u2026 " + pct + "%";
  });
  network.once("stabilizationIterationsDone", function () { freeze("Layout frozen"); });
  if (!options.physics.enabled) {
    network.once("afterDrawing", function () { freeze("Layout precomputed"); });
  }
  physicsBox.addEventListener("change", function () {
    network.setOptions({ physics: { enabled: physicsBox.checked } });
  });
  document.getElementById("kg-fit").addEventListener("click", function () { network.fit({ animation: false }); });
  document.getElementById("kg-show-all").addEventListener("click", function () { showAll(); });

  network.on("click", function (params) {
    if (params.nodes.length) { showNode(params.nodes[0]); }
    else if (params.edges.length) { showEdge(params.edges[0]); }
  });

  var searchBox = document.getElementById("kg-search");
  searchBox.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") { focusEntity(searchBox.value); }
  });
  searchBox.addEventListener("change", function () { focusEntity(searchBox.value); });
  document.getElementById("kg-search-go").addEventListener("click", function () { focusEntity(searchBox.value); });

  updateNotice();

  api.select = select;
  api.showNode = showNode;
  api.showEdge = showEdge;
  api.search = focusEntity;
  api.findEntity = findEntity;
  api.expand = expand;
  api.showAll = showAll;
  api.toggle = toggle;
  api.setSource = function (aid) { state.source = aid || ""; document.getElementById("kg-source").value = state.source; applyFilters(); };
  api.setDates = function (since, until) { state.since = since || ""; state.until = until || ""; applyFilters(); };
  api.visibleNodeIds = function () { return nodesDS.getIds({ filter: function (n) { return !n.hidden; } }).sort(); };
  api.visibleEdgeIds = function () { return edgesDS.getIds({ filter: function (e) { return !e.hidden; } }).sort(); };
  api.edgesBetween = function (a, b) {
    return allEdges.filter(function (e) {
      return (e.from === a && e.to === b) || (e.from === b && e.to === a);
    }).map(function (e) { return { id: e.id, type: e.kgType, status: e.kgStatus, label: e.label, dashes: e.dashes, color: e.color.color }; });
  };
  api.meta = meta;
  api.ready = true;
})();
