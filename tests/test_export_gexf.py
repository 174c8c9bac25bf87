"""GEXF 1.3: valid against the RELAX NG grammar, parsed by graphology-gexf (Gephi Lite's parser), with a timeline."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from export_support import node_read, validate_gexf

from kgraph import dates, exporters
from kgraph.exporters.gexf import spans
from kgraph.knowledge import KnowledgeGraph
from kgraph.model import Entity, Fact, Relation, Source
from kgraph.palette import entity_colour, polarity_colour

NS = {"g": "http://gexf.net/1.3", "viz": "http://gexf.net/1.3/viz"}


def rgb(colour: tuple[int, int, int]) -> str:
    """How graphology-gexf reports a ``viz:color`` given as r/g/b attributes."""
    return "rgb({},{},{})".format(*colour)


@pytest.fixture
def gexf(bundled: KnowledgeGraph, tmp_path: Path) -> Path:
    path = tmp_path / "g.gexf"
    exporters.export(bundled, "gexf", path)
    return path


def test_valid_against_the_gexf_13_grammar(gexf: Path, small: KnowledgeGraph, tmp_path: Path) -> None:
    validate_gexf(gexf)
    exporters.export(small, "gexf", tmp_path / "small.gexf")
    validate_gexf(tmp_path / "small.gexf")
    text = gexf.read_text(encoding="utf-8")
    assert 'version="1.3"' in text and "xsi:" not in text and "<graph name" not in text


def test_graphology_reads_every_element_strict_and_with_gephi_lite_options(gexf: Path, bundled: KnowledgeGraph) -> None:
    strict, lite = node_read("gexf", gexf)[0], node_read("gexf-lite", gexf)[0]
    for seen in (strict, lite):
        assert seen["ok"], seen.get("error")
        assert seen["type"] == "directed" and seen["multi"]
        assert {n["attributes"]["kgid"]: n["attributes"]["label"] for n in seen["nodes"]} == {
            e.id: e.name for e in bundled.entities.values()
        }
        assert sorted(e["key"] for e in seen["edges"]) == sorted(f.id for f in bundled.facts)
    facts = bundled.facts_by_id
    nodes = {n["key"]: n["attributes"] for n in strict["nodes"]}
    for n in nodes.values():
        e = bundled.entities[n["kgid"]]
        assert n["color"] == rgb(entity_colour(e.type)), n
        assert n["size"] > 0
        assert n["aliases"] == list(e.aliases) if e.aliases else "aliases" not in n
        assert n["entity_type"] == e.type
    for edge in strict["edges"]:
        a, f = edge["attributes"], facts[edge["key"]]
        assert nodes[edge["source"]]["kgid"] == f.subject and nodes[edge["target"]]["kgid"] == f.object
        assert not edge["undirected"]
        assert a["color"] == rgb(polarity_colour(f.polarity))
        assert a["quote"] == f.quote and a["polarity"] == f.polarity and a["relation"] == f.relation
        assert a["label"] == bundled.relations[f.relation].label
        assert a["weight"] == 1


def test_colours_are_rgb_attributes_that_networkx_reads(gexf: Path, bundled: KnowledgeGraph) -> None:
    """networkx.read_gexf crashes on ``viz:color hex=…``; it reads the r/g/b form, as every GEXF reader does."""
    import networkx as nx

    assert "hex=" not in gexf.read_text(encoding="utf-8")
    g = nx.read_gexf(gexf)
    for _, n in g.nodes(data=True):
        colour = n["viz"]["color"]
        assert (colour["r"], colour["g"], colour["b"]) == entity_colour(bundled.entities[n["kgid"]].type)
    # (networkx keeps no edge colours; graphology's are checked above)
    assert sorted(a["kgid"] for _, _, a in g.edges(data=True)) == sorted(f.id for f in bundled.facts)


def test_kind_is_unique_per_source_target_pair(gexf: Path) -> None:
    from lxml import etree

    seen: set[tuple[str, str, str]] = set()
    for edge in etree.parse(str(gexf)).iterfind(".//g:edge", NS):
        key = (edge.get("source"), edge.get("target"), edge.get("kind"))
        assert key not in seen
        seen.add(key)


def test_parallel_facts_of_one_relation_get_distinct_kinds(tmp_path: Path) -> None:
    rel = Relation("meets_with", "meets with", 1, "", symmetric=True)
    ents = [Entity("a", "A", "country", ""), Entity("b", "B", "country", "")]
    facts = [Fact(f"f{i}", "a", "meets_with", "b", 1, f"q{i}", "s", date=f"2021-0{i}") for i in (1, 2, 3)]
    kg = KnowledgeGraph([rel], ents, [Source("s", "S", None, "", "")], facts)
    exporters.export(kg, "gexf", tmp_path / "p.gexf")
    validate_gexf(tmp_path / "p.gexf")
    kinds = re.findall(r'kind="([^"]+)"', (tmp_path / "p.gexf").read_text(encoding="utf-8"))
    assert kinds == ["meets_with", "meets_with#2", "meets_with#3"]


def test_timeline_explicit_start_and_end_on_every_dated_fact(gexf: Path, bundled: KnowledgeGraph) -> None:
    from lxml import etree

    root = etree.parse(str(gexf)).getroot()
    graph = root.find("g:graph", NS)
    assert graph.get("mode") == "dynamic" and graph.get("timeformat") == "date"
    edges = {e.get("id"): e for e in root.iterfind(".//g:edge", NS)}
    starts, ends = [], []
    for f in bundled.facts:
        e = edges[f.id]
        if f.date:
            first, last = dates.period(f.date)
            assert (e.get("start"), e.get("end")) == (first.isoformat(), last.isoformat())
        elif f.start or f.end:
            assert e.get("start") and e.get("end"), f  # open intervals are closed
            if f.start:
                assert e.get("start") == dates.period(f.start)[0].isoformat()
            assert e.get("start") <= e.get("end")
        else:
            assert e.get("start") is None and e.get("end") is None  # undated: always present
        if e.get("start"):
            starts.append(e.get("start"))
            ends.append(e.get("end"))
    assert graph.get("start") == min(starts) and graph.get("end") == max(ends)
    for node in root.iterfind(".//g:node", NS):
        assert node.get("start") is None  # nodes are always present, so edges lie within them


def test_an_open_interval_ends_with_the_source_publication() -> None:
    src = Source("s", "S", "2021-12", "", "")
    rel = Relation("leads", "leads", 0, "")
    ents = [Entity("a", "A", "person", ""), Entity("b", "B", "country", "")]
    kg = KnowledgeGraph([rel], ents, [src], [Fact("f1", "a", "leads", "b", 0, "q", "s", start="1994")])
    assert spans(kg)["f1"] == (dt.date(1994, 1, 1), dt.date(2021, 12, 31))


def test_an_undated_graph_is_static(tmp_path: Path) -> None:
    rel = Relation("leads", "leads", 0, "")
    ents = [Entity("a", "A", "person", ""), Entity("b", "B", "country", "")]
    kg = KnowledgeGraph([rel], ents, [Source("s", "S", None, "", "")], [Fact("f1", "a", "leads", "b", 0, "q", "s")])
    exporters.export(kg, "gexf", tmp_path / "s.gexf")
    validate_gexf(tmp_path / "s.gexf")
    text = (tmp_path / "s.gexf").read_text(encoding="utf-8")
    assert 'mode="static"' in text and "start=" not in text
