"""Node-link JSON read back by networkx; Cytoscape.js JSON loaded by the cytoscape package, headless."""

from __future__ import annotations

import json
import re
from pathlib import Path

from export_support import node_read

from kgraph import exporters
from kgraph.knowledge import KnowledgeGraph
from kgraph.records import entity_record


def test_node_link_json_round_trips_through_networkx(bundled: KnowledgeGraph, tmp_path: Path) -> None:
    import networkx as nx

    path = tmp_path / "g.json"
    exporters.export(bundled, "json", path)
    data = json.loads(path.read_text(encoding="utf-8"))
    g = nx.node_link_graph(data, edges="edges")
    assert g.is_directed() and g.is_multigraph()
    assert g.number_of_nodes() == len(bundled.entities)
    assert g.number_of_edges() == len(bundled.facts)
    for f in bundled.facts:
        d = g.edges[f.subject, f.object, f.id]
        assert (d["relation"], d["quote"], d["polarity"], d["article"]) == (f.relation, f.quote, f.polarity, f.source)
        assert (d["date"], d["start"], d["end"], d["according_to"]) == (f.date, f.start, f.end, f.according_to)
        assert d["qualifiers"] == dict(f.qualifiers)
    for e in bundled.entities.values():
        node = g.nodes[e.id]
        assert {k: node[k] for k in ("name", "type")} == {
            k: v for k, v in entity_record(bundled, e.id).items() if k != "id"
        }
        assert node["aliases"] == list(e.aliases)
    assert [r["id"] for r in g.graph["relations"]] == sorted(bundled.relations)


def test_cytoscape_loads_every_element_headless(bundled: KnowledgeGraph, tmp_path: Path) -> None:
    path = tmp_path / "g.cyjs"
    exporters.export(bundled, "cytoscape", path)
    [seen] = node_read("cytoscape", path)
    assert seen["ok"], seen.get("error")
    assert seen["given"] == len(seen["nodes"]) + len(seen["edges"])  # nothing dropped
    assert sorted(n["key"] for n in seen["nodes"]) == sorted(bundled.entities)
    assert sorted(e["key"] for e in seen["edges"]) == sorted(f.id for f in bundled.facts)
    facts = bundled.facts_by_id
    for e in seen["edges"]:
        f = facts[e["key"]]
        assert (e["source"], e["target"]) == (f.subject, f.object)
        assert e["attributes"]["quote"] == f.quote
        assert re.fullmatch(r"#[0-9a-f]{6}", e["attributes"]["color"])
    for n in seen["nodes"]:
        assert n["attributes"]["label"] == n["attributes"]["name"] == bundled.entities[n["key"]].name
