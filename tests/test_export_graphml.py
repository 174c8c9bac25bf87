"""GraphML: valid against the GraphML 1.1 XSD, read back by networkx, python-igraph and graphology-graphml."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from export_support import need_module, node_read, validate_graphml

from kgraph import exporters
from kgraph.exporters.graphml import EDGE_KEYS, NODE_KEYS, join_list, split_list
from kgraph.knowledge import KnowledgeGraph


@pytest.fixture
def graphml(bundled: KnowledgeGraph, tmp_path: Path) -> Path:
    path = tmp_path / "g.graphml"
    exporters.export(bundled, "graphml", path)
    return path


def test_valid_against_the_graphml_xsd(graphml: Path, small: KnowledgeGraph, tmp_path: Path) -> None:
    validate_graphml(graphml)
    exporters.export(small, "graphml", tmp_path / "small.graphml")  # an isolated node, symmetric facts
    validate_graphml(tmp_path / "small.graphml")


def test_keys_ids_and_values_follow_the_gephi_checklist(graphml: Path) -> None:
    text = graphml.read_text(encoding="utf-8")
    key_ids = re.findall(r'<key id="([^"]+)"', text)
    assert key_ids == [f"k{i}" for i in range(len(NODE_KEYS) + len(EDGE_KEYS))]
    assert not {"d3", "d7"} & set(key_ids)
    for node_id in re.findall(r'<node id="([^"]+)"', text):
        assert re.fullmatch(r"[A-Za-z0-9._:-]+", node_id)
    assert not re.search(r">(None|nan|NaN|null)<", text)
    assert '<data key="k4"></data>' not in text  # no empty values
    # no attribute name Gephi reserves for its own columns, except those meant for Gephi
    names = re.findall(r'attr.name="([^"]+)"', text)
    assert "type" not in names and "id" not in names and "timeset" not in names


def test_networkx_reads_every_entity_and_fact_with_their_attributes(graphml: Path, bundled: KnowledgeGraph) -> None:
    import networkx as nx

    g = nx.read_graphml(graphml, force_multigraph=True)
    assert g.is_directed()
    assert g.number_of_nodes() == len(bundled.entities)
    assert g.number_of_edges() == len(bundled.facts)
    by_kgid = {d["kgid"]: d for _, d in g.nodes(data=True)}
    for e in bundled.entities.values():
        d = by_kgid[e.id]
        assert d["label"] == e.name
        assert d["entity_type"] == e.type
        assert split_list(d["aliases"]) == list(e.aliases) if e.aliases else "aliases" not in d
        assert d["description"] == e.description
        assert re.fullmatch(r"#[0-9a-f]{6}", d["color"])
        assert (d["r"], d["g"], d["b"]) == tuple(int(d["color"][i : i + 2], 16) for i in (1, 3, 5))
    edges = {d["kgid"]: (u, v, k, d) for u, v, k, d in g.edges(keys=True, data=True)}
    assert set(edges) == {f.id for f in bundled.facts}
    for f in bundled.facts:
        u, v, key, d = edges[f.id]
        assert key == f.id  # networkx keeps the edge id as the key
        assert (by_kgid_of(g, u), by_kgid_of(g, v)) == (f.subject, f.object)
        assert d["relation"] == f.relation
        assert d["label"] == bundled.relations[f.relation].label
        assert d["polarity"] == f.polarity
        assert d["quote"] == f.quote
        assert d["article"] == f.source
        assert d.get("date") == f.date and d.get("start_date") == f.start and d.get("end_date") == f.end
        assert json.loads(d.get("qualifiers", "{}")) == dict(f.qualifiers)
        assert d["weight"] == 1.0


def by_kgid_of(g: object, node: str) -> str:
    return g.nodes[node]["kgid"]  # type: ignore[attr-defined,no-any-return]


def test_igraph_reads_the_same_counts_and_attributes(graphml: Path, bundled: KnowledgeGraph) -> None:
    need_module("igraph", "pip install python-igraph")
    import igraph

    g = igraph.Graph.Read_GraphML(str(graphml))
    assert g.is_directed()
    assert g.vcount() == len(bundled.entities)
    assert g.ecount() == len(bundled.facts)
    assert sorted(g.vs["kgid"]) == sorted(bundled.entities)
    assert {v["kgid"]: v["label"] for v in g.vs} == {e.id: e.name for e in bundled.entities.values()}
    facts = bundled.facts_by_id
    assert sorted(g.es["kgid"]) == sorted(facts)
    for edge in g.es:
        f = facts[edge["kgid"]]
        assert g.vs[edge.source]["kgid"] == f.subject and g.vs[edge.target]["kgid"] == f.object
        assert edge["quote"] == f.quote
        assert edge["polarity"] == f.polarity
        assert edge["relation"] == f.relation


def test_graphology_graphml_reads_every_element_with_colours(graphml: Path, bundled: KnowledgeGraph) -> None:
    [seen] = node_read("graphml", graphml)
    assert seen["ok"], seen.get("error")
    assert seen["type"] == "directed" and seen["multi"]
    assert len(seen["nodes"]) == len(bundled.entities)
    assert sorted(e["key"] for e in seen["edges"]) == sorted(f.id for f in bundled.facts)
    names = {n["attributes"]["kgid"]: n["attributes"]["label"] for n in seen["nodes"]}
    assert names == {e.id: e.name for e in bundled.entities.values()}
    for n in seen["nodes"] + seen["edges"]:
        # graphology turns the r/g/b keys into one colour string, as Gephi Lite expects
        assert re.fullmatch(r"#[0-9a-f]{6}", n["attributes"]["color"]), n


def test_lists_are_delimited_strings_that_split_back() -> None:
    items = ["a", "b; c", "d\\e", "", "f;"]
    assert split_list(join_list(items)) == items
