// Reads kgraph exports with the JavaScript libraries Gephi Lite and Cytoscape.js use,
// and prints what they saw as JSON, for the Python tests to compare.
//
//   node read.js gexf FILE...        graphology-gexf, strict options
//   node read.js gexf-lite FILE...   graphology-gexf, the lenient options Gephi Lite passes
//   node read.js graphml FILE...     graphology-graphml
//   node read.js cytoscape FILE...   cytoscape, headless
//
// Output: one JSON array, one entry per file:
//   {"ok": true, "type", "multi", "nodes": [{key, attributes}], "edges": [{key, source, target, undirected, attributes}]}
//   or {"ok": false, "error": "..."} when the reader threw.
'use strict';
const fs = require('fs');
const Graph = require('graphology');

function graphologySummary(graph) {
  const nodes = [];
  graph.forEachNode((key, attributes) => nodes.push({key, attributes}));
  const edges = [];
  graph.forEachEdge((key, attributes, source, target, sa, ta, undirected) =>
    edges.push({key, source, target, undirected, attributes}));
  return {ok: true, type: graph.type, multi: graph.multi, nodes, edges};
}

function read(format, text) {
  if (format === 'gexf' || format === 'gexf-lite') {
    const gexf = require('graphology-gexf');
    const options = format === 'gexf-lite' ? {addMissingNodes: true, allowUndeclaredAttributes: true} : {};
    return graphologySummary(gexf.parse(Graph, text, options));
  }
  if (format === 'graphml') {
    const graphml = require('graphology-graphml');
    return graphologySummary(graphml.parse(Graph, text));
  }
  if (format === 'cytoscape') {
    const cytoscape = require('cytoscape');
    const data = JSON.parse(text);
    const given = data.elements.nodes.length + data.elements.edges.length;
    const cy = cytoscape({headless: true, styleEnabled: false, elements: data.elements});
    const nodes = cy.nodes().map((n) => ({key: n.id(), attributes: n.data()}));
    const edges = cy.edges().map((e) => ({
      key: e.id(), source: e.source().id(), target: e.target().id(), undirected: false, attributes: e.data(),
    }));
    return {ok: true, type: 'directed', multi: true, given, nodes, edges};
  }
  throw new Error('unknown format ' + format);
}

const [format, ...files] = process.argv.slice(2);
const out = files.map((file) => {
  try {
    return read(format, fs.readFileSync(file, 'utf8'));
  } catch (e) {
    return {ok: false, error: String(e && e.message || e)};
  }
});
process.stdout.write(JSON.stringify(out));
