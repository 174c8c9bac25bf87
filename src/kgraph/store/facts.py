"""``StoreFactStore``: the facts of a graph pushed to a SPARQL store, fetched as queries reach them.

A :class:`~kgraph.knowledge.KnowledgeGraph` over this store answers exactly as
over the local dataset: every call of the :class:`~kgraph.knowledge.FactStore`
protocol is one SPARQL query (paged, so a store that caps its result sets
still gives every row) that rebuilds the very :class:`~kgraph.model.Fact` the
loader makes from the statement node ``kgf:<id>`` ``kgraph push`` wrote (see
:mod:`kgraph.exporters.rdf`): subject, relation, object, quote, polarity,
source, dates in their lexical form, ``according_to``, qualifiers in written
order (``kgv:qualifierOrder``), modality, disputes, same_as, implicit and line.

What each call costs:

- ``by_subject(e)`` / ``by_object(e)``: one query for both (the facts touching
  ``e``), kept for the life of the store object, so a query that reads an
  entity's facts both ways pays once;
- ``touching(ids)``: one query for a whole batch (``VALUES``), filling the
  same memo, so a breadth-first ``path`` costs one query per round;
- ``neighbour_ids(ids, allowed)``: one light query (ids only) per batch;
- ``len(store)``, ``relation_counts()``: one ``COUNT`` query each;
- ``disputed_by_index()``: one query for the facts that dispute others;
- ``all()``: every fact, paged: only for the commands that read every fact
  locally too (``explain``, time windows, ``disputes``).

Only the graphs listed in the store's manifest (``<B graph/manifest>``) are
read, so the temporary graphs of a push in progress are never seen.

Fact order: the dataset's order is by the source's file name, then the fact's
line (``kgv:fileName``, ``kgv:line``); facts are sorted so here, whatever
order the store returns them in. ``Fact.disputes`` and ``Fact.same_as`` come
back sorted by id: RDF keeps them as a set, and no answer depends on their
order (disputes and claims are ordered by the facts themselves).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Iterator, Mapping
from typing import Protocol
from urllib.parse import quote, unquote

from ..model import Fact

__all__ = ["Namespaces", "Selector", "StoreFactStore"]

#: How many entity IRIs go in one ``VALUES`` block (longer queries are split).
BATCH = 200


class Selector(Protocol):
    """What the fact store needs of a SPARQL client (:class:`kgraph.store.client.StoreClient` offers it)."""

    def select(self, query: str) -> list[dict[str, str]]: ...

    def select_all(self, query: str, page_size: int | None = None) -> Iterable[dict[str, str]]: ...


class Namespaces:
    """The IRIs of one base, as the RDF export writes them, and the way back from an IRI to an id."""

    RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"

    def __init__(self, base: str) -> None:
        if not base.endswith(("/", "#")):
            base += "/"
        self.base = base
        self.kge = base + "entity/"
        self.kgv = base + "vocab#"
        self.kgf = base + "fact/"
        self.kgsrc = base + "source/"
        self.manifest_graph = base + "graph/manifest"
        self.vocabulary_graph = base + "graph/vocabulary"
        self.entities_graph = base + "graph/entities"
        self.manifest = base + "manifest"

    def prologue(self) -> str:
        """The PREFIX lines every query starts with."""
        return (
            f"PREFIX rdf: <{self.RDF}>\n"
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
            "PREFIX owl: <http://www.w3.org/2002/07/owl#>\n"
            "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
            "PREFIX dcterms: <http://purl.org/dc/terms/>\n"
            "PREFIX schema: <http://schema.org/>\n"
            f"PREFIX kge: <{self.kge}>\n"
            f"PREFIX kgv: <{self.kgv}>\n"
            f"PREFIX kgf: <{self.kgf}>\n"
            f"PREFIX kgsrc: <{self.kgsrc}>\n"
        )

    def entity_iri(self, ident: str) -> str:
        return f"<{self.kge}{quote(ident, safe='')}>"

    def relation_iri(self, ident: str) -> str:
        return f"<{self.kgv}{quote(ident, safe='')}>"

    def source_iri(self, ident: str) -> str:
        return f"<{self.kgsrc}{quote(ident, safe='')}>"

    @staticmethod
    def ident(iri: str, prefix: str) -> str:
        """The id an IRI of ``prefix`` stands for (its percent-encoding undone)."""
        return unquote(iri[len(prefix) :]) if iri.startswith(prefix) else iri

    def in_manifest(self, var: str = "?g") -> str:
        """A pattern keeping ``var`` to the source graphs the manifest lists (never a push's temporary graph)."""
        return f"GRAPH <{self.manifest_graph}> {{ {var} kgv:contentHash ?manifestHash }}"


# The statement node's fields: what makes one Fact. One row per (fact, disputed id, same_as id).
_FIELDS = "?st ?s ?p ?o ?id ?quote ?pol ?src ?file ?line ?mod ?date ?start ?end ?acc ?q ?qo ?impl ?dis ?same"
_BODY = """
    ?st a kgv:Fact ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; kgv:factId ?id ;
        kgv:hasQuote ?quote ; kgv:hasPolarity ?pol ; dcterms:source ?src ; kgv:line ?line ; kgv:modality ?mod .
    ?src kgv:fileName ?file .
    OPTIONAL { ?st dcterms:date ?date }
    OPTIONAL { ?st kgv:startDate ?start }
    OPTIONAL { ?st kgv:endDate ?end }
    OPTIONAL { ?st kgv:accordingTo ?acc }
    OPTIONAL { ?st kgv:qualifiers ?q }
    OPTIONAL { ?st kgv:qualifierOrder ?qo }
    OPTIONAL { ?st kgv:implicit ?impl }
    OPTIONAL { ?st kgv:disputes ?dis }
    OPTIONAL { ?st kgv:sameAs ?same }
"""


def _batches(ids: Collection[str]) -> Iterator[list[str]]:
    chunk: list[str] = []
    for i in sorted(ids):
        chunk.append(i)
        if len(chunk) == BATCH:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class StoreFactStore:
    """The :class:`~kgraph.knowledge.FactStore` of a dataset in a SPARQL store (see the module docstring).

    ``client`` answers SELECT queries (``select``, ``select_all``); ``base``
    is the base IRI the dataset was pushed with. ``calls`` counts the queries
    by kind, so tests can check what a command asked.
    """

    def __init__(self, client: Selector, base: str) -> None:
        self.client = client
        self.ns = Namespaces(base)
        self._out: dict[str, list[Fact]] = {}
        self._in: dict[str, list[Fact]] = {}
        self._made: dict[str, Fact] = {}  # one Fact object per id, whichever call made it
        self._file: dict[str, str] = {}  # fact id -> its source's file name (dataset order)
        self._ends: dict[str, None] = {}  # the entities at an end of a fact made so far, in the order met
        self._among: dict[frozenset[str], dict[str, list[Fact]]] = {}  # by_subject_among's answers
        self._all: tuple[Fact, ...] | None = None
        self._len: int | None = None
        self.calls: dict[str, int] = {}

    # -- queries ------------------------------------------------------------------

    def _count_call(self, kind: str) -> None:
        self.calls[kind] = self.calls.get(kind, 0) + 1

    def _facts_where(self, pattern: str) -> list[Fact]:
        """The facts whose statement node ``?st`` matches ``pattern`` too, in dataset order."""
        ns = self.ns
        query = (
            f"{ns.prologue()}SELECT DISTINCT {_FIELDS} WHERE {{\n  {pattern}\n"
            f"  GRAPH ?g {{{_BODY}  }}\n  {ns.in_manifest()}\n}} ORDER BY ?st ?dis ?same"
        )
        return self._rebuild(self.client.select_all(query))

    def _rebuild(self, rows: Iterable[dict[str, str]]) -> list[Fact]:
        """Facts from the rows of :data:`_FIELDS` (several rows for a fact with several disputes), sorted."""
        grouped: dict[str, tuple[dict[str, str], set[str], set[str]]] = {}
        for row in rows:
            entry = grouped.get(row["st"])
            if entry is None:
                entry = grouped[row["st"]] = (row, set(), set())
            if "dis" in row:
                entry[1].add(self.ns.ident(row["dis"], self.ns.kgf))
            if "same" in row:
                entry[2].add(self.ns.ident(row["same"], self.ns.kgf))
        keyed = []
        for row, disputes, same_as in grouped.values():
            fact = self._made.get(row["id"])
            if fact is None:
                fact = self._made[row["id"]] = self._fact(row, disputes, same_as)
                self._file[fact.id] = row["file"]
                self._ends.setdefault(fact.subject)
                self._ends.setdefault(fact.object)
            keyed.append(((row["file"], fact.line, fact.id), fact))
        keyed.sort(key=lambda kf: kf[0])
        return [f for _, f in keyed]

    def _fact(self, row: Mapping[str, str], disputes: set[str], same_as: set[str]) -> Fact:
        ns = self.ns
        qualifiers: tuple[tuple[str, str], ...] = ()
        if "q" in row:
            values = json.loads(row["q"])
            order = json.loads(row["qo"]) if "qo" in row else list(values)
            qualifiers = tuple((k, values[k]) for k in order)
        return Fact(
            id=row["id"],
            subject=ns.ident(row["s"], ns.kge),
            relation=ns.ident(row["p"], ns.kgv),
            object=ns.ident(row["o"], ns.kge),
            polarity=int(row["pol"]),
            quote=row["quote"],
            source=ns.ident(row["src"], ns.kgsrc),
            date=row.get("date"),
            start=row.get("start"),
            end=row.get("end"),
            according_to=ns.ident(row["acc"], ns.kge) if "acc" in row else None,
            qualifiers=qualifiers,
            modality=row["mod"],
            disputes=tuple(sorted(disputes)),
            same_as=tuple(sorted(same_as)),
            implicit=row.get("impl"),
            line=int(row["line"]),
        )

    # -- the FactStore protocol ----------------------------------------------------

    def __len__(self) -> int:
        if self._len is None:
            self._count_call("len")
            ns = self.ns
            rows = self.client.select(
                f"{ns.prologue()}SELECT (COUNT(DISTINCT ?st) AS ?n) WHERE {{ GRAPH ?g {{ ?st a kgv:Fact }} "
                f"{ns.in_manifest()} }}"
            )
            self._len = int(rows[0]["n"]) if rows and "n" in rows[0] else 0
        return self._len

    def all(self) -> tuple[Fact, ...]:
        if self._all is None:
            self._count_call("all")
            self._all = tuple(self._facts_where(""))
            self._len = len(self._all)
        return self._all

    def by_subject(self, entity_id: str) -> list[Fact]:
        if entity_id not in self._out:
            self.touching([entity_id])
        return self._out.get(entity_id, [])

    def by_object(self, entity_id: str) -> list[Fact]:
        if entity_id not in self._in:
            self.touching([entity_id])
        return self._in.get(entity_id, [])

    def touching(self, ids: Collection[str]) -> list[Fact]:
        """The facts whose subject or object is one of ``ids``, in dataset order: one query per batch of ids.

        Fills the memo of :meth:`by_subject` and :meth:`by_object` for every one of ``ids``.
        """
        wanted = [i for i in dict.fromkeys(ids) if i not in self._out or i not in self._in]
        for chunk in _batches(wanted):
            self._count_call("touching")
            values = " ".join(self.ns.entity_iri(i) for i in chunk)
            found = self._facts_where(
                f"VALUES ?e {{ {values} }}\n  GRAPH ?g {{ {{ ?st rdf:subject ?e }} UNION {{ ?st rdf:object ?e }} }}"
            )
            for i in chunk:
                self._out[i] = []
                self._in[i] = []
            for f in found:
                if f.subject in self._out and f.subject in chunk:
                    self._out[f.subject].append(f)
                if f.object in self._in and f.object in chunk:
                    self._in[f.object].append(f)
        seen: dict[str, Fact] = {}
        for i in dict.fromkeys(ids):
            for f in self._out.get(i, []) + self._in.get(i, []):
                seen.setdefault(f.id, f)
        return sorted(seen.values(), key=self._order)

    def by_subject_among(self, entity_id: str, relation_ids: Collection[str]) -> list[Fact]:
        """The facts of :meth:`by_subject` whose relation is in ``relation_ids`` (who-supports: acts-for links).

        who-supports asks this of every actor of the target's facts, one by
        one; a query each would cost a round trip per actor. So a miss asks
        for every entity met so far at an end of a fact (the other actors
        are among them) in the same query, and keeps the answers: one query
        per :data:`BATCH` actors, answering only facts of those relations.
        """
        key = frozenset(relation_ids)
        known = self._among.setdefault(key, {})
        if entity_id in known:
            return known[entity_id]
        if entity_id in self._out:
            known[entity_id] = [f for f in self._out[entity_id] if f.relation in key]
            return known[entity_id]
        pending = [entity_id] + [e for e in self._ends if e not in known and e not in self._out and e != entity_id]
        chunk = pending[:BATCH]
        self._count_call("by_subject_among")
        if key:
            values = " ".join(self.ns.entity_iri(i) for i in chunk)
            relations = " ".join(self.ns.relation_iri(r) for r in sorted(key))
            found = self._facts_where(
                f"VALUES ?e {{ {values} }}\n  VALUES ?p {{ {relations} }}\n"
                "  GRAPH ?g { ?st rdf:subject ?e ; rdf:predicate ?p }"
            )
        else:
            found = []
        for i in chunk:
            known[i] = []
        for f in found:
            known[f.subject].append(f)
        return known[entity_id]

    def _order(self, f: Fact) -> tuple[str, int, str]:
        """Dataset order: the source's file name, then the fact's line."""
        return (self._file[f.id], f.line, f.id)

    def neighbour_ids(self, ids: Collection[str], allowed: set[str] | None = None) -> dict[str, set[str]]:
        """Per id, the entities one fact away either way (by a relation in ``allowed`` when given): ids only."""
        ns = self.ns
        out: dict[str, set[str]] = {i: set() for i in ids}
        for chunk in _batches(ids):
            self._count_call("neighbour_ids")
            values = " ".join(ns.entity_iri(i) for i in chunk)
            query = (
                f"{ns.prologue()}SELECT DISTINCT ?s ?p ?o WHERE {{\n  VALUES ?e {{ {values} }}\n"
                "  GRAPH ?g { { ?st rdf:subject ?e } UNION { ?st rdf:object ?e }\n"
                "    ?st a kgv:Fact ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }\n"
                f"  {ns.in_manifest()}\n}} ORDER BY ?s ?p ?o"
            )
            for row in self.client.select_all(query):
                rel = ns.ident(row["p"], ns.kgv)
                if allowed is not None and rel not in allowed:
                    continue
                s, o = ns.ident(row["s"], ns.kge), ns.ident(row["o"], ns.kge)
                if s in out:
                    out[s].add(o)
                if o in out:
                    out[o].add(s)
        return out

    def relation_counts(self) -> dict[str, int]:
        """Facts per relation id: one GROUP BY query."""
        self._count_call("relation_counts")
        ns = self.ns
        rows = self.client.select(
            f"{ns.prologue()}SELECT ?p (COUNT(DISTINCT ?st) AS ?n) WHERE {{ GRAPH ?g {{ ?st a kgv:Fact ; "
            f"rdf:predicate ?p }} {ns.in_manifest()} }} GROUP BY ?p"
        )
        return {ns.ident(r["p"], ns.kgv): int(r["n"]) for r in rows}

    def disputed_by_index(self) -> dict[str, tuple[str, ...]]:
        """Fact id -> ids of the facts disputing it, in dataset order: one query over the disputing facts."""
        self._count_call("disputed_by")
        ns = self.ns
        query = (
            f"{ns.prologue()}SELECT DISTINCT ?id ?dis ?file ?line WHERE {{\n"
            "  GRAPH ?g { ?st kgv:disputes ?dis ; kgv:factId ?id ; kgv:line ?line ; dcterms:source ?src .\n"
            "    ?src kgv:fileName ?file }\n"
            f"  {ns.in_manifest()}\n}} ORDER BY ?id ?dis"
        )
        rows = sorted(self.client.select_all(query), key=lambda r: (r["file"], int(r["line"]), r["id"]))
        index: dict[str, list[str]] = {}
        for r in rows:
            index.setdefault(ns.ident(r["dis"], ns.kgf), []).append(r["id"])
        return {target: tuple(ids) for target, ids in index.items()}
