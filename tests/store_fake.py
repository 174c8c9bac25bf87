"""An in-process SPARQL store for fast tests of ``--store``: pyoxigraph behind the client's select calls.

:class:`FakeClient` offers what :class:`kgraph.store.facts.StoreFactStore`
asks of :class:`kgraph.store.client.StoreClient` (``select``, ``select_all``
paged with LIMIT/OFFSET until an empty page, ``select_whole``, ``ask``), over a pyoxigraph
``Store``, and counts the queries. :func:`fill` loads a dataset into it as
``kgraph push`` does: the N-Quads graphs of :mod:`kgraph.exporters.rdf` and
the manifest of the store contract. The real servers are in tests/stores.py.
"""

from __future__ import annotations

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

    def select_all(self, query: str, page_size: int | None = None, *, plain: bool = False) -> Iterator[dict[str, str]]:
        size = page_size or self.page_size
        offset = 0
        while True:
            page = self.select(f"{query}\nLIMIT {size} OFFSET {offset}")
            if not page:
                return
            yield from page
            offset += size

    def select_whole(self, query: str, limit: int, *, plain: bool = False) -> list[dict[str, str]] | None:
        """Like a store that cuts answers at ``page_size`` rows and says so: None when the answer may be cut."""
        cap = min(limit, self.page_size)
        rows = self.select(f"{query}\nLIMIT {cap}")
        return rows if len(rows) < cap else None

    def ask(self, query: str) -> bool:
        self.queries.append(query)
        return bool(self.store.query(query))


def quads(kg: KnowledgeGraph, base: str = BASE) -> Iterator[tuple[str, list[str]]]:
    """``(graph IRI, N-Triples lines)`` for each graph of the store contract."""
    from kgraph.exporters import ntriples, rdf

    yield rdf.graph_iri("vocabulary", base=base), list(rdf.vocabulary_lines(kg, base))
    yield rdf.graph_iri("entities", base=base), list(rdf.entity_lines(kg, base))
    for sid in ntriples.source_ids(kg):
        yield rdf.graph_iri("source", sid, base=base), list(rdf.source_lines(kg, sid, base))


def graphs(kg: KnowledgeGraph, base: str = BASE) -> list[tuple[str, list[str]]]:
    """Every graph ``kgraph push`` writes for ``kg``: the contract's graphs, then the manifest."""
    from kgraph.exporters import rdf

    kgv = base + "vocab#"
    found = list(quads(kg, base))
    hashes = {iri: rdf.graph_hash(lines) for iri, lines in found}
    dataset = rdf.graph_hash(f"{iri} {h}" for iri, h in hashes.items())
    manifest = [f'<{iri}> <{kgv}contentHash> "{h}" .\n' for iri, h in sorted(hashes.items())]
    manifest.append(f'<{base}manifest> <{kgv}datasetHash> "{dataset}" .\n')
    return [*found, (rdf.graph_iri("manifest", base=base), manifest)]


def fill(client: FakeClient, kg: KnowledgeGraph, base: str = BASE) -> None:
    """Load ``kg`` into the client's store as ``kgraph push`` does: its graphs, then the manifest."""
    for iri, lines in graphs(kg, base):
        client.store.load("".join(lines).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(iri))
