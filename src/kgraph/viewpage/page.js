// The JavaScript of the `kgraph view` page (kgraph/viewpage/document.py puts it into every callback).
// Folding names like kgraph.suggest.fold (tests/test_view.py checks they agree), escaping HTML,
// applying the filters, filling the facts panel, and the search box. `m` holds the page's models
// (the CustomJS args): `const m = {...}` comes before this file in each callback. The args are also plain
// names in the callback, so no function here may take the name of one (a hoisted `function search` would
// put itself into `m.search` in place of the search box).
const STROKES = {"ł": "l", "đ": "d", "ø": "o", "ħ": "h", "ŧ": "t", "ı": "i", "æ": "ae", "œ": "oe"};
// The comparison form of a name, as kgraph.suggest.fold makes it: no diacritics, case-folded (JavaScript has
// no casefold: lower case, then the two full case foldings of Latin and Greek names, ß/ẞ → ss and ς → σ),
// the stroked letters and ligatures spelled out, apostrophes and the dots inside abbreviations dropped,
// everything else but letters and digits a single space.
function fold(s) {
  s = String(s).normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(/ß/g, "ss").replace(/ς/g, "σ");
  s = s.replace(/[łđøħŧıæœ]/g, (c) => STROKES[c]);
  s = s.replace(/['’ʼ`´]|\.(?=[\p{L}\p{N}_])/gu, "");
  return s.replace(/[^\p{L}\p{N}]+/gu, " ").trim();
}
function esc(s) {
  return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}
const POLS = [1, -1, 0];
const POL_NAMES = {"1": "cooperative", "-1": "conflictual", "0": "neutral"};
const POL_COLOURS = m.pol_colours instanceof Map ? Object.fromEntries(m.pol_colours) : m.pol_colours;
function fact_passes(i) {
  const fd = m.facts.data;
  const pols = m.polarity.active.map((k) => POLS[k]);
  if (!pols.includes(fd.polarity[i])) return false;
  const chosen = m.relations.value;
  if (chosen.length == 0) return true;
  return fd.rels[i].some((r) => chosen.includes(r));
}
function apply_filters() {
  const ed = m.edges.data, nd = m.nodes.data;
  const n_edges = ed.count.length, n_nodes = nd.id.length;
  const filtering = m.polarity.active.length < 3 || m.relations.value.length > 0;
  const index_of = new Map(nd.id.map((e, i) => [e, i]));
  const touched = new Array(n_nodes).fill(0), visible_deg = new Array(n_nodes).fill(0);
  const shown_edges = [];
  const selected = m.nodes.selected.indices.length ? nd.id[m.nodes.selected.indices[0]] : null;
  for (let j = 0; j < n_edges; j++) {
    const rows = ed.facts[j].filter(fact_passes);
    const s = index_of.get(ed.subject[j]), o = index_of.get(ed.object[j]);
    touched[s]++; touched[o]++;
    ed.shown[j] = rows.length;
    if (rows.length == 0) continue;
    visible_deg[s]++; visible_deg[o]++;
    shown_edges.push(j);
    const signed = new Set(rows.map((r) => m.facts.data.polarity[r]).filter((p) => p != 0));
    ed.color[j] = signed.size > 1 ? m.mixed_colour : POL_COLOURS[signed.size ? String([...signed][0]) : "0"];
    ed.alpha[j] = selected === null || ed.subject[j] == selected || ed.object[j] == selected ? m.edge_alpha : 0.12;
  }
  const shown_nodes = [];
  for (let i = 0; i < n_nodes; i++) {
    if (!filtering || !m.orphans.active || touched[i] == 0 || visible_deg[i] > 0) shown_nodes.push(i);
  }
  const same = (a, b) => a.length == b.length && a.every((v, k) => v == b[k]);
  if (!same(m.edge_filter.indices, shown_edges)) m.edge_filter.indices = shown_edges;
  if (!same(m.node_filter.indices, shown_nodes)) m.node_filter.indices = shown_nodes;
  m.edges.change.emit();
  const shown_facts = shown_edges.reduce((t, j) => t + ed.shown[j], 0);
  m.status.text = `<span class="kg-status">${shown_nodes.length} entities, ${shown_edges.length} edges, ` +
    `${shown_facts} facts shown</span>`;
}
function fact_html(i) {
  const fd = m.facts.data;
  const pol = POL_NAMES[String(fd.polarity[i])];
  let src = esc(fd.source[i]);
  if (/^https?:\/\//i.test(fd.url[i])) src = `<a href="${esc(fd.url[i])}" target="_blank" rel="noopener">${src}</a>`;
  const meta = [];
  if (fd.when[i]) meta.push(esc(fd.when[i]));
  meta.push(src);
  if (fd.according_to[i]) meta.push("according to " + esc(fd.according_to[i]));
  const quals = fd.qualifiers[i] ? `<div class="kg-qual">${esc(fd.qualifiers[i])}</div>` : "";
  return `<li class="kg-fact"><div class="kg-triple"><b>${esc(fd.subject[i])}</b> ` +
    `<span class="kg-rel kg-${pol}">${esc(fd.relation[i])}</span> <b>${esc(fd.object[i])}</b></div>` +
    `<blockquote>“${esc(fd.quote[i])}”</blockquote>${quals}` +
    `<div class="kg-meta">${meta.join(" · ")}</div><div class="kg-id">${esc(fd.id[i])}</div></li>`;
}
function facts_html(rows, hidden) {
  let out = rows.length ? `<ol class="kg-list">${rows.map(fact_html).join("")}</ol>` : "";
  if (hidden) out += `<p class="kg-hint">${hidden} more hidden by the filters.</p>`;
  return out;
}
function set_panel(inner) {
  m.panel.text = `<div class="kg-panel">${inner}</div>`;
}
function show_panel() {
  const nd = m.nodes.data, ed = m.edges.data;
  const ni = m.nodes.selected.indices, ei = m.edges.selected.indices;
  if (ni.length) {
    const i = ni[0], e = nd.id[i];
    const all = [];
    for (let j = 0; j < ed.count.length; j++) {
      if (ed.subject[j] == e || ed.object[j] == e) all.push(...ed.facts[j]);
    }
    all.sort((a, b) => a - b);
    const rows = all.filter(fact_passes);
    const aliases = nd.aliases[i] ? `<div class="kg-aliases">also: ${esc(nd.aliases[i])}</div>` : "";
    set_panel(`<div class="kg-head"><span class="kg-dot" style="background:${esc(nd.color[i])}"></span>` +
      `<b>${esc(nd.name[i])}</b> <span class="kg-type">${esc(nd.type[i])}</span></div>${aliases}` +
      `<div class="kg-desc">${esc(nd.description[i])}</div>` +
      `<div class="kg-count">${rows.length} fact${rows.length == 1 ? "" : "s"}</div>` +
      facts_html(rows, all.length - rows.length));
  } else if (ei.length) {
    const j = ei[0];
    const rows = ed.facts[j].filter(fact_passes);
    set_panel(`<div class="kg-head"><b>${esc(ed.label[j])}</b></div>` +
      `<div class="kg-count">${rows.length} fact${rows.length == 1 ? "" : "s"}</div>` +
      facts_html(rows, ed.facts[j].length - rows.length));
  } else {
    set_panel(m.hint);
  }
}
function focus_node(i) {
  // centre on the node, zoomed so that its shown neighbours fit (at most twice the whole graph, so that
  // all of it fits around a node at its edge; at least a fifth of it); the plot's aspect ratio is kept
  const nd = m.nodes.data, ed = m.edges.data;
  const x = nd.x[i], y = nd.y[i], e = nd.id[i];
  const xs = nd.x, ys = nd.y;
  const full_w = Math.max(Math.max(...xs) - Math.min(...xs), 1e-6);
  const full_h = Math.max(Math.max(...ys) - Math.min(...ys), 1e-6);
  const index_of = new Map(nd.id.map((id, k) => [id, k]));
  let dx = 0, dy = 0;
  for (const j of m.edge_filter.indices) {
    const other = ed.subject[j] == e ? ed.object[j] : ed.object[j] == e ? ed.subject[j] : null;
    if (other === null) continue;
    const k = index_of.get(other);
    dx = Math.max(dx, Math.abs(xs[k] - x));
    dy = Math.max(dy, Math.abs(ys[k] - y));
  }
  const xr = m.x_range, yr = m.y_range;
  const w = xr.end - xr.start, h = yr.end - yr.start;
  let f = Math.max(2.6 * dx / w, 2.6 * dy / h);
  f = Math.min(Math.max(f, 0.2 * full_w / w, 0.2 * full_h / h), 2 * Math.max(full_w / w, full_h / h));
  const hw = w * f / 2, hh = h * f / 2;
  // as a zoom tool does: the data ranges must not fit themselves to the data again until reset
  xr.have_updated_interactively = true;
  yr.have_updated_interactively = true;
  xr.setv({start: x - hw, end: x + hw});
  yr.setv({start: y - hh, end: y + hh});
}

// The search box: select the entity whose folded name or alias matches what was typed, best first.
function run_search() {
  const text = fold(m.search.value);
  if (text === "") { return; }
  let i = m.keys.indexOf(text);
  if (i < 0) {  // the shortest name that starts with, else contains, what was typed
    let best = null;
    for (const pass of [(k) => k.startsWith(text), (k) => k.includes(text)]) {
      for (const k of m.keys) { if (pass(k) && (best === null || k.length < best.length)) best = k; }
      if (best !== null) break;
    }
    if (best !== null) i = m.keys.indexOf(best);
  }
  if (i < 0) {
    m.nodes.selected.indices = [];
    m.edges.selected.indices = [];
    set_panel(`<p class="kg-hint">No entity in this view matches “${esc(m.search.value)}”.</p>`);
    return;
  }
  const node = m.rows[i];
  if (!m.node_filter.indices.includes(node)) {  // a hidden node: clear the filters that hid it
    m.polarity.active = [0, 1, 2];
    m.relations.value = [];
  }
  m.edges.selected.indices = [];
  m.nodes.selected.indices = [node];
  apply_filters();
  show_panel();
  focus_node(node);
}
