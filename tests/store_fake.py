"""An in-process SPARQL store for fast tests of ``--store``: pyoxigraph behind the client's select calls.

:class:`FakeClient` offers what :class:`kgraph.store.facts.StoreFactStore`
asks of :class:`kgraph.store.client.StoreClient` (``select``, ``select_all``
paged with LIMIT/OFFSET until an empty page, ``ask``), over a pyoxigraph
``Store``, and counts the queries. :func:`fill` loads a dataset into it as
``kgraph push`` does: the N-Quads graphs of :mod:`kgraph.exporters.rdf` and
the manifest of the store contract. The real servers are in tests/stores.py.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

import pyoxigraph as ox

from kgraph.knowledge import KnowledgeGraph

BASE = "https://example.org/kgraph/"


def _value(term: Any) -> str:
    return str(term.value)


class FakeClient:
    """``select``/``select_all``/``ask`` over a pyoxigraph Store; ``page_size`` small, so paging is exercised."""

    def __init__(self, store: ox.Store | None = None, page_size: int = 7) -> None:
        self.store = store if store is not None else ox.Store()
        self.page_size = page_size
        self.queries: list[str] = []

    def select(self, query: str) -> list[dict[str, str]]:
        self.queries.append(query)
        solutions = self.store.query(query)
        names = [v.value for v in solutions.variables]
        rows = []
        for s in solutions:
            rows.append({n: _value(s[n]) for n in names if s[n] is not None})
        return rows

    def select_all(self, query: str, page_size: int | None = None) -> Iterator[dict[str, str]]:
        size = page_size or self.page_size
        offset = 0
        while True:
            page = self.select(f"{query}\nLIMIT {size} OFFSET {offset}")
            if not page:
                return
            yield from page
            offset += size

    def ask(self, query: str) -> bool:
        self.queries.append(query)
        return bool(self.store.query(query))


def graph_hash(lines: list[str]) -> str:
    return hashlib.sha256("\n".join(sorted(set(x.rstrip("\n") for x in lines))).encode("utf-8")).hexdigest()


def quads(kg: KnowledgeGraph, base: str = BASE) -> Iterator[tuple[str, list[str]]]:
    """``(graph IRI, N-Triples lines)`` for each graph of the store contract."""
    from kgraph.exporters import rdf

    if not hasattr(rdf, "source_lines"):  # until the streamed export lands: the stand-in below
        yield from _stand_in(kg, base)
        return
    yield rdf.graph_iri("vocabulary", base=base), list(rdf.vocabulary_lines(kg, base))
    yield rdf.graph_iri("entities", base=base), list(rdf.entity_lines(kg, base))
    for sid in kg.sources:
        yield rdf.graph_iri("source", sid, base=base), list(rdf.source_lines(kg, sid, base))


def fill(client: FakeClient, kg: KnowledgeGraph, base: str = BASE) -> None:
    """Load ``kg`` into the client's store as ``kgraph push`` does: its graphs, then the manifest."""
    manifest: list[str] = []
    kgv = base + "vocab#"
    hashes = []
    for iri, lines in quads(kg, base):
        client.store.load("".join(lines).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(iri))
        h = graph_hash(lines)
        hashes.append(f"{iri} {h}")
        manifest.append(f'<{iri}> <{kgv}contentHash> "{h}" .\n')
    dataset = hashlib.sha256("\n".join(sorted(hashes)).encode("utf-8")).hexdigest()
    manifest.append(f'<{base}manifest> <{kgv}datasetHash> "{dataset}" .\n')
    client.store.load(
        "".join(manifest).encode("utf-8"),
        format=ox.RdfFormat.N_TRIPLES,
        to_graph=ox.NamedNode(base + "graph/manifest"),
    )


def _stand_in(kg: KnowledgeGraph, base: str) -> Iterator[tuple[str, list[str]]]:
    """The contract's graphs built with today's rdflib exporter plus the contract's added triples."""
    import json

    from rdflib import Literal, URIRef

    from kgraph.exporters import rdf

    def lines(build: Any) -> list[str]:
        b = rdf._Builder(base)
        build(b)
        text = b.g.serialize(format="nt")
        return sorted({x + "\n" for x in text.splitlines() if x.strip()})

    def vocabulary(b: Any) -> None:
        b.vocabulary(kg)
        for n, r in enumerate(kg.relations.values(), 1):
            b.g.add((b.prop(r.id), b.kgv.position, Literal(n)))

    def entities(b: Any) -> None:
        for n, e in enumerate(kg.entities.values(), 1):
            b.entity(e)
            b.g.add((b.ent(e.id), b.kgv.position, Literal(n)))
            if len(e.aliases) > 1:
                b.g.add((b.ent(e.id), b.kgv.aliasOrder, Literal(json.dumps(list(e.aliases), ensure_ascii=False))))

    yield base + "graph/vocabulary", lines(vocabulary)
    yield base + "graph/entities", lines(entities)
    for sid, s in kg.sources.items():

        def one(b: Any, s: Any = s, sid: str = sid) -> None:
            b.source(s)
            node = URIRef(b.kgsrc + rdf._local(sid))
            b.g.add((node, b.kgv.fileName, Literal(s.path.rsplit("/", 1)[-1])))
            for f in kg.facts:
                if f.source == sid:
                    b.fact(f)
                    _fact_extras(b, f)

        yield base + "graph/source/" + rdf._local(sid), lines(one)


def _fact_extras(b: Any, f: Any) -> None:
    """The contract's triples on a fact's statement node that today's exporter does not write."""
    import json

    from rdflib import Literal, URIRef

    from kgraph.exporters import rdf

    st = URIRef(b.kgf + rdf._local(f.id))
    b.g.add((st, b.kgv.modality, Literal(f.modality)))
    b.g.add((st, b.kgv.line, Literal(f.line)))
    for d in f.disputes:
        b.g.add((st, b.kgv.disputes, URIRef(b.kgf + rdf._local(d))))
    for d in f.same_as:
        b.g.add((st, b.kgv.sameAs, URIRef(b.kgf + rdf._local(d))))
    if f.implicit:
        b.g.add((st, b.kgv.implicit, Literal(f.implicit)))
    if len(f.qualifiers) > 1:
        b.g.add((st, b.kgv.qualifierOrder, Literal(json.dumps([k for k, _ in f.qualifiers]))))
