"""RDF: Turtle and N-Triples parsed back by rdflib and pyoxigraph; SPARQL answers match kgraph's own queries.

The export needs no RDF library; rdflib and pyoxigraph (the `test` extra) are the readers.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from export_support import need_module

import kgraph
from kgraph import exporters
from kgraph.exporters.rdf import DEFAULT_BASE
from kgraph.knowledge import KnowledgeGraph

PREFIXES = f"""
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX kge: <{DEFAULT_BASE}entity/>
PREFIX kgv: <{DEFAULT_BASE}vocab#>
"""

# Who supports X, directly: a cooperative fact toward X (its relation sits under a root of
# polarity 1), or a symmetric cooperative fact from X. The vocabulary in the export carries
# the hierarchy (rdfs:subPropertyOf) and the symmetric declarations this needs.
WHO_SUPPORTS = (
    PREFIXES
    + """
SELECT DISTINCT ?who WHERE {
  { ?who ?p ?target } UNION { ?target ?p ?who . ?p a owl:SymmetricProperty }
  ?who a kgv:Entity .
  ?p rdfs:subPropertyOf* ?root . ?root kgv:hasPolarity 1 .
  FILTER NOT EXISTS { ?root rdfs:subPropertyOf ?above }
  FILTER (?who != ?target)
}
"""
)

# ... and on what evidence: the statement nodes, with quote and source.
EVIDENCE = (
    PREFIXES
    + """
SELECT ?who ?id ?quote ?article WHERE {
  ?st a rdf:Statement ; rdf:predicate ?p ; kgv:factId ?id ; kgv:hasQuote ?quote ; dcterms:source ?article .
  { ?st rdf:subject ?who ; rdf:object ?target }
  UNION { ?st rdf:object ?who ; rdf:subject ?target . ?p a owl:SymmetricProperty }
  ?p rdfs:subPropertyOf* ?root . ?root kgv:hasPolarity 1 .
  FILTER NOT EXISTS { ?root rdfs:subPropertyOf ?above }
  FILTER (?who != ?target)
}
"""
)


def _bind(query: str, target: str) -> str:
    return query.replace("?target", f"kge:{target}")


@pytest.fixture(scope="module")
def turtle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    need_module("rdflib")
    path = tmp_path_factory.mktemp("rdf") / "g.ttl"
    exporters.export(kgraph.load(Path(__file__).resolve().parent.parent / "data"), "rdf", path)
    return path


def _expected(kg: KnowledgeGraph, target: str) -> tuple[set[str], set[tuple[str, str]]]:
    # the query reads every fact, hedged ones too (the bundled data has no denied fact), claim by claim
    result = kgraph.who_supports(kg, target, direct=True, hedged=True)["results"]
    who = {r["entity"]["id"] for r in result}
    evidence = {(r["entity"]["id"], f["id"]) for r in result for c in r["evidence"] for f in c["facts"]}
    return who, evidence


def _local(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


@pytest.mark.parametrize("target", ["belarus", "lukashenko", "china"])
def test_sparql_who_supports_in_rdflib_matches_kgraph(turtle: Path, bundled: KnowledgeGraph, target: str) -> None:
    import rdflib

    g = rdflib.Graph().parse(turtle, format="turtle")
    who, evidence = _expected(bundled, target)
    assert who, "the test needs an answer to compare"
    answers: list[Any] = list(g.query(_bind(WHO_SUPPORTS, target)))
    got = {_local(str(row[0])) for row in answers}
    assert got == who
    rows: list[Any] = list(g.query(_bind(EVIDENCE, target)))
    assert {(_local(str(r[0])), str(r[1])) for r in rows} == evidence
    quotes = {str(r[1]): str(r[2]) for r in rows}
    assert all(quotes[i] == bundled.facts_by_id[i].quote for i in quotes)


def test_sparql_who_supports_in_pyoxigraph_matches_kgraph(turtle: Path, bundled: KnowledgeGraph) -> None:
    need_module("pyoxigraph")
    import pyoxigraph

    store = pyoxigraph.Store()
    store.load(path=str(turtle), format=pyoxigraph.RdfFormat.TURTLE)
    who, evidence = _expected(bundled, "belarus")
    solutions: Any = store.query(_bind(WHO_SUPPORTS, "belarus"))
    got = {_local(s["who"].value) for s in solutions}
    assert got == who
    solutions = store.query(_bind(EVIDENCE, "belarus"))
    got_evidence = {(_local(s["who"].value), s["id"].value) for s in solutions}
    assert got_evidence == evidence


def test_turtle_and_ntriples_hold_the_same_graph(bundled: KnowledgeGraph, tmp_path: Path) -> None:
    need_module("rdflib")
    need_module("pyoxigraph")
    import pyoxigraph
    import rdflib
    from rdflib.compare import isomorphic

    exporters.export(bundled, "rdf", tmp_path / "g.ttl")
    exporters.export(bundled, "rdf", tmp_path / "g.nt")
    a = rdflib.Graph().parse(tmp_path / "g.ttl", format="turtle")
    b = rdflib.Graph().parse(tmp_path / "g.nt", format="nt")
    assert isomorphic(a, b)
    oxi = list(pyoxigraph.parse(path=str(tmp_path / "g.nt"), format=pyoxigraph.RdfFormat.N_TRIPLES))
    assert len(oxi) == len(b)


def test_every_fact_is_a_truthy_triple_and_one_statement(bundled: KnowledgeGraph, turtle: Path) -> None:
    import rdflib
    from rdflib.namespace import RDF

    g = rdflib.Graph().parse(turtle, format="turtle")
    kge, kgv = rdflib.Namespace(DEFAULT_BASE + "entity/"), rdflib.Namespace(DEFAULT_BASE + "vocab#")
    statements = list(g.subjects(RDF.type, RDF.Statement))
    assert len(statements) == len(bundled.facts)
    for f in bundled.facts:
        assert (kge[f.subject], kgv[f.relation], kge[f.object]) in g
        [st] = list(g.subjects(kgv.factId, rdflib.Literal(f.id)))
        assert g.value(st, RDF.subject) == kge[f.subject] and g.value(st, RDF.object) == kge[f.object]
        assert str(g.value(st, kgv.hasQuote)) == f.quote
        polarity: Any = g.value(st, kgv.hasPolarity)
        assert polarity.toPython() == f.polarity
    for e in bundled.entities.values():
        assert str(g.value(kge[e.id], rdflib.RDFS.label)) == e.name


def test_the_export_needs_no_rdflib(bundled: KnowledgeGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    exporters.export(bundled, "rdf", tmp_path / "with.nt")
    monkeypatch.setitem(sys.modules, "rdflib", None)  # import rdflib now raises ImportError
    for syntax in ("turtle", "nt", "nq"):
        exporters.export(bundled, "rdf", tmp_path / f"g.{syntax}", syntax=syntax)
    assert (tmp_path / "g.nt").read_bytes() == (tmp_path / "with.nt").read_bytes()
    assert (tmp_path / "g.nt").stat().st_size > 0


def test_sparql_over_the_nquads_named_graphs_matches_kgraph(bundled: KnowledgeGraph, tmp_path: Path) -> None:
    """A store holding the N-Quads answers across its graphs (default graph = their union), and per source."""
    need_module("pyoxigraph")
    import pyoxigraph

    exporters.export(bundled, "rdf", tmp_path / "g.nq")
    store = pyoxigraph.Store()
    store.load(path=str(tmp_path / "g.nq"), format=pyoxigraph.RdfFormat.N_QUADS)
    who, evidence = _expected(bundled, "belarus")
    solutions: Any = store.query(_bind(WHO_SUPPORTS, "belarus"), use_default_graph_as_union=True)
    assert {_local(s["who"].value) for s in solutions} == who
    solutions = store.query(_bind(EVIDENCE, "belarus"), use_default_graph_as_union=True)
    assert {(_local(s["who"].value), s["id"].value) for s in solutions} == evidence
    [source] = bundled.sources
    graph, fact = f"<{DEFAULT_BASE}graph/source/{source}>", f"<{DEFAULT_BASE}vocab#Fact>"
    count: Any = store.query(f"SELECT (COUNT(?st) AS ?n) WHERE {{ GRAPH {graph} {{ ?st a {fact} }} }}")
    assert [int(s["n"].value) for s in count] == [len(bundled.facts)]
