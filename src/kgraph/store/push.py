"""``kgraph push``: the dataset's named graphs into a SPARQL store, sending only the graphs that changed.

The graphs are the RDF export's (:mod:`kgraph.exporters.rdf`): the relation
vocabulary, the entities, and one graph per source. The store keeps a
manifest graph, ``<B graph/manifest>``, with each graph's content hash (the
SHA-256 of its sorted N-Triples lines), the dataset's hash, and the kgraph
that pushed it. A push:

1. reads the manifest (one paged query);
2. builds each local graph in turn, hashes it, and sends it only when its
   hash differs from the manifest's (every graph with ``force``);
3. switches the sent graphs in, drops the graphs of sources that are gone,
   and writes the new manifest.

**A push that fails midway leaves the store answering with its previous
data.** Changed graphs are loaded into temporary graphs
(``<B graph/pending/…>``, never listed in the manifest, so the ``--store``
queries, which read only the manifest's graphs, never see them); then one
SPARQL Update request moves each of them over its graph (``MOVE SILENT``),
drops the removed sources' graphs (``DROP SILENT``) and moves a new
manifest, loaded the same way, over the old one. Nothing is changed before
that request, so a push stopped before it (a crash, a kill, a lost
connection, a store error) changes nothing that is read; a server runs a
request only once it has received it whole.

What the switch relies on (both checked by tests/test_store_client.py):
Oxigraph runs one update request as one transaction (an error in its last
operation undoes the earlier ones). Virtuoso 7 runs the operations of one
request in order and commits at the end, but keeps the earlier ones when a
later one fails, so the switch is made only of operations that cannot fail
on valid graphs (``SILENT``). The switch is never re-sent: a ``MOVE`` run
twice would find its source gone and clear its target. A store that applies the
operations one by one, seen by a query made during the switch, can show
some graphs new and some old for the time the request takes; once it ends
every graph is new.

A first push (no manifest in the store) loads each graph directly at its
place: nothing reads them until the manifest, written last, lists them.

Each graph is sent whole, as compact Turtle (:mod:`kgraph.store.turtle`: a
store parses it about twice as fast as N-Triples): one ``PUT``, then
``POST`` for the rest of a graph longer than :data:`CHUNK` triples; requests
run on a few threads (one for Virtuoso, whose loads contend), while the next
graphs are built and hashed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .. import __version__
from ..exporters.rdf import (
    DEFAULT_BASE,
    entity_lines,
    graph_hash,
    graph_iri,
    source_ids,
    source_lines,
    vocabulary_lines,
)
from .client import StoreClient
from .turtle import TURTLE, turtle

if TYPE_CHECKING:
    from ..knowledge import KnowledgeGraph

__all__ = ["CHUNK", "PushReport", "local_graphs", "manifest_of", "push"]

#: Triples per request: a longer graph is sent as one PUT and then POSTs.
CHUNK = 100_000
#: Requests in flight at once. Virtuoso 7 gets one: its graph loads contend, and on a 2-core machine
#: 100k facts took 32 s on one thread, 40 s on two (docs/stores.md); other stores get a few.
WORKERS = 4
VIRTUOSO_WORKERS = 1

KGV_CONTENT_HASH = "vocab#contentHash"
Progress = Callable[[int, int], None]


@dataclass
class PushReport:
    """What a push did: graphs sent, unchanged and dropped, triples sent, and how long it took."""

    store: str
    base: str
    first: bool
    sent: list[str] = field(default_factory=list)
    unchanged: int = 0
    dropped: list[str] = field(default_factory=list)
    triples: int = 0
    requests: int = 0
    seconds: float = 0.0
    dataset_hash: str = ""

    def to_dict(self) -> dict[str, object]:
        return {
            "store": self.store,
            "base": self.base,
            "first": self.first,
            "sent": list(self.sent),
            "unchanged": self.unchanged,
            "dropped": list(self.dropped),
            "triples": self.triples,
            "requests": self.requests,
            "seconds": round(self.seconds, 3),
            "dataset_hash": self.dataset_hash,
        }

    def summary(self) -> str:
        """One line: what was sent, what was not, how long it took."""
        graphs = "graph" if len(self.sent) == 1 else "graphs"
        return (
            f"pushed to {self.store}: {len(self.sent)} {graphs} sent ({self.triples:,} triples), "
            f"{self.unchanged} unchanged, {len(self.dropped)} dropped, in {self.seconds:.1f} s"
        )


def _base(base: str) -> str:
    return base if base.endswith(("/", "#")) else base + "/"


def local_graphs(kg: KnowledgeGraph, base: str = DEFAULT_BASE) -> Iterator[tuple[str, list[str]]]:
    """Each graph's IRI and N-Triples lines: the vocabulary, the entities, then each source by id."""
    yield graph_iri("vocabulary", base=base), list(vocabulary_lines(kg, base))
    yield graph_iri("entities", base=base), list(entity_lines(kg, base))
    for ident in source_ids(kg):
        yield graph_iri("source", ident, base=base), list(source_lines(kg, ident, base))


def manifest_of(client: StoreClient, base: str = DEFAULT_BASE) -> dict[str, str]:
    """The store's manifest for ``base``: each graph IRI with the content hash it was pushed with."""
    b = _base(base)
    query = (
        f"SELECT ?g ?h WHERE {{ GRAPH <{graph_iri('manifest', base=b)}> {{ ?g <{b}{KGV_CONTENT_HASH}> ?h }} }} "
        "ORDER BY ?g"
    )
    return {row["g"]: row["h"] for row in client.select_all(query)}


def _pending(iri: str, base: str) -> str:
    """The temporary graph a changed graph is loaded into before the switch."""
    head = _base(base) + "graph/"
    return head + "pending/" + iri[len(head) :]


def _lit(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _manifest_lines(hashes: dict[str, str], base: str) -> tuple[list[str], str]:
    """The manifest graph's lines for ``hashes`` (graph IRI -> hash), and the dataset hash."""
    b = _base(base)
    has = f"<{b}{KGV_CONTENT_HASH}>"
    dataset = graph_hash(f"{iri} {h}" for iri, h in hashes.items())
    lines = [f"<{iri}> {has} {_lit(h)} .\n" for iri, h in sorted(hashes.items())]
    lines.append(f"<{b}manifest> <{b}vocab#datasetHash> {_lit(dataset)} .\n")
    lines.append(f"<{b}manifest> <{b}vocab#pushedBy> {_lit('kgraph ' + __version__)} .\n")
    return sorted(lines), dataset


class _Sender:
    """Sends graphs on a few threads; the first failure is raised on the next call or at the end."""

    def __init__(self, client: StoreClient, workers: int, base: str) -> None:
        self.client = client
        self.base = base
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="kgraph-push")
        self.futures: list[Future[None]] = []
        self.limit = workers * 2

    def send(self, graph: str, lines: list[str]) -> None:
        self._check(self.limit)
        self.futures.append(self.pool.submit(self._one, graph, lines))

    def _one(self, graph: str, lines: list[str]) -> None:
        self.client.put(graph, turtle(lines[:CHUNK], self.base), media_type=TURTLE)
        for start in range(CHUNK, len(lines), CHUNK):
            self.client.post(graph, turtle(lines[start : start + CHUNK], self.base), media_type=TURTLE)

    def _check(self, keep: int) -> None:
        """Wait until at most ``keep`` sends are in flight, raising the first failure."""
        while len(self.futures) > keep or (self.futures and self.futures[0].done()):
            self.futures.pop(0).result()

    def finish(self) -> None:
        try:
            self._check(0)
        finally:
            self.pool.shutdown(wait=True, cancel_futures=True)


def push(
    kg: KnowledgeGraph,
    client: StoreClient,
    *,
    base: str = DEFAULT_BASE,
    force: bool = False,
    progress: Progress | None = None,
    workers: int | None = None,
) -> PushReport:
    """Bring the store's graphs under ``base`` to ``kg``'s, sending only what changed (everything with ``force``).

    When ``kg`` is scoped to some sources (:func:`kgraph.scope.restrict`), only
    their graphs (and the vocabulary and entities) are compared and sent; the
    store keeps the other sources' graphs, and nothing is dropped.
    """
    started = time.monotonic()
    before = sum(client.sent.values())
    remote = manifest_of(client, base)
    report = PushReport(store=client.url, base=base, first=not remote)
    # a graph scoped to some sources (`push --source S`) leaves the other sources' graphs as they are
    scoped = getattr(kg, "scope", None) is not None
    source_graphs = graph_iri("source", "x", base=base)[:-1]
    hashes = {iri: h for iri, h in remote.items() if scoped and iri.startswith(source_graphs)}
    moves: list[tuple[str, str]] = []
    total = len(source_ids(kg)) + 2
    if workers is None:
        workers = VIRTUOSO_WORKERS if client.kind == "virtuoso" else WORKERS
    sender = _Sender(client, workers, base)
    try:
        for done, (iri, lines) in enumerate(local_graphs(kg, base), 1):
            h = graph_hash(lines)
            hashes[iri] = h
            if force or remote.get(iri) != h:
                target = iri if report.first else _pending(iri, base)
                sender.send(target, lines)
                if not report.first:
                    moves.append((target, iri))
                report.sent.append(iri)
                report.triples += len(lines)
            else:
                report.unchanged += 1
            if progress is not None:
                progress(done, total)
        report.dropped = sorted(set(remote) - set(hashes))  # never under a scope: `hashes` kept the others
        manifest, report.dataset_hash = _manifest_lines(hashes, base)
        if report.sent or report.dropped or remote != hashes:
            manifest_iri = graph_iri("manifest", base=base)
            if report.first:
                sender.finish()
                client.put(manifest_iri, manifest)  # a few lines: N-Triples as they are
            else:
                sender.send(_pending(manifest_iri, base), manifest)
                sender.finish()
                client.update(_switch([*moves, (_pending(manifest_iri, base), manifest_iri)], report.dropped, base))
        else:
            sender.finish()
    finally:
        sender.pool.shutdown(wait=False, cancel_futures=True)
    report.requests = sum(client.sent.values()) - before
    report.seconds = time.monotonic() - started
    return report


def _switch(moves: list[tuple[str, str]], dropped: list[str], base: str) -> str:
    """The one update request that puts the loaded graphs in place and drops the removed ones."""
    ops = [f"MOVE SILENT <{src}> TO <{dst}>" for src, dst in moves]
    for iri in dropped:
        ops.append(f"DROP SILENT GRAPH <{iri}>")
        ops.append(f"DROP SILENT GRAPH <{_pending(iri, base)}>")
    return " ;\n".join(ops)
