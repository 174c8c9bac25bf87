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
  entity's facts both ways pays once; a fact comes as one row per property
  (CSV rows, half the bytes of JSON), in one unordered request when the
  answer is short, else as its statement nodes and then their properties
  :data:`NODES` nodes at a time;
- ``by_subject_among(e, relations)``: one query for ``e`` and up to
  :data:`BATCH` other entities met so far (who-supports asks it of every
  actor); ``by_object_among(e, relations)``: one query for ``e`` (the bloc
  members of who-supports); the first entity a command asks about gets all
  its facts at once (``touching``), which answers both;
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
#: Rows asked for at once (Virtuoso's packaged ``ResultSetMaxRows``); a longer answer is paged.
PAGE = 10_000
#: Statement nodes whose properties one query asks for (about 15 rows each, so under :data:`PAGE`).
NODES = 500


class Selector(Protocol):
    """What the fact store needs of a SPARQL client (:class:`kgraph.store.client.StoreClient` offers it)."""

    def select(self, query: str) -> list[dict[str, str]]: ...

    def select_all(
        self, query: str, page_size: int | None = None, *, plain: bool = False
    ) -> Iterable[dict[str, str]]: ...

    def select_whole(self, query: str, limit: int, *, plain: bool = False) -> list[dict[str, str]] | None: ...


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


# The statement node's properties that make a Fact: local name -> its IRI (under kgv: unless a full IRI).
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_DCTERMS = "http://purl.org/dc/terms/"
_PROPERTIES = {
    "subject": _RDF + "subject",
    "predicate": _RDF + "predicate",
    "object": _RDF + "object",
    "source": _DCTERMS + "source",
    "date": _DCTERMS + "date",
    "factId": "",
    "hasQuote": "",
    "hasPolarity": "",
    "line": "",
    "modality": "",
    "startDate": "",
    "endDate": "",
    "accordingTo": "",
    "qualifiers": "",
    "qualifierOrder": "",
    "implicit": "",
    "disputes": "",
    "sameAs": "",
}


def _batches(ids: Collection[str], size: int = BATCH) -> Iterator[list[str]]:
    chunk: list[str] = []
    for i in sorted(ids):
        chunk.append(i)
        if len(chunk) == size:
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

    def __init__(self, client: Selector, base: str, files: Mapping[str, str]) -> None:
        self.client = client
        self.ns = Namespaces(base)
        self.files = files  # source id -> its YAML file's name: the dataset's order is by file name, then line
        iris = {name: iri or self.ns.kgv + name for name, iri in _PROPERTIES.items()}
        self._local = {iri: name for name, iri in iris.items()}
        self._out: dict[str, list[Fact]] = {}
        self._in: dict[str, list[Fact]] = {}
        self._made: dict[str, Fact] = {}  # one Fact object per id, whichever call made it
        self._ends: dict[str, None] = {}  # the entities at an end of a fact made so far, in the order met
        # by_subject_among's and by_object_among's answers, by end and relation set
        self._among_memo: dict[tuple[str, frozenset[str]], dict[str, list[Fact]]] = {}
        self._all: tuple[Fact, ...] | None = None
        self._len: int | None = None
        self.calls: dict[str, int] = {}

    # -- queries ------------------------------------------------------------------

    def _count_call(self, kind: str) -> None:
        self.calls[kind] = self.calls.get(kind, 0) + 1

    def _facts_where(self, pattern: str, *, one_step: bool = True) -> list[Fact]:
        """The facts whose statement node ``?st`` (in a graph ``?g`` of the manifest) matches ``pattern``.

        One row per property of a fact (``?st ?k ?v``), not one wide row with
        an OPTIONAL per optional field: Virtuoso 7 loses OPTIONAL values in
        such queries, and property rows need none. ``one_step``: first one
        request without any order (an entity's facts: a few hundred rows, one
        round trip). Otherwise, or when the store may not have given every
        row, the statement nodes are fetched first (one row each), then their
        properties :data:`NODES` at a time, so no answer re-sorts a long
        result page after page. Two steps also keep Virtuoso on a good plan
        for patterns of several entities and relations: at 1M, who-supports'
        acts-for query took 0.85 s in one step and 0.04 s + 0.05 s in two.
        """
        ns = self.ns
        if one_step:
            fact = f"GRAPH ?g {{ ?st a kgv:Fact ; ?k ?v }}\n  {ns.in_manifest()}"
            rows = self.client.select_whole(
                f"{ns.prologue()}SELECT ?st ?k ?v WHERE {{\n  {pattern}\n  {fact}\n}}", PAGE, plain=True
            )
            if rows is not None:
                return self._rebuild(rows)
        typed = "" if pattern else "GRAPH ?g { ?st a kgv:Fact }"  # a pattern already picks statement nodes
        query = f"{ns.prologue()}SELECT DISTINCT ?st WHERE {{\n  {pattern}\n  {typed}\n  {ns.in_manifest()}\n}}"
        nodes: Iterable[dict[str, str]] | None = self.client.select_whole(query, PAGE, plain=True)
        if nodes is None:
            nodes = self.client.select_all(f"{query} ORDER BY ?st", PAGE, plain=True)
        return self._rebuild(self._properties(row["st"] for row in nodes))

    def _properties(self, nodes: Iterable[str]) -> Iterator[dict[str, str]]:
        """The ``?st ?k ?v`` rows of the statement nodes ``nodes``, :data:`NODES` nodes per query."""
        ns = self.ns
        for chunk in _batches(set(nodes), NODES):
            values = " ".join(f"<{iri}>" for iri in chunk)
            query = (
                f"{ns.prologue()}SELECT ?st ?k ?v WHERE {{\n  VALUES ?st {{ {values} }}\n"
                f"  GRAPH ?g {{ ?st ?k ?v }}\n  {ns.in_manifest()}\n}}"
            )
            rows = self.client.select_whole(query, PAGE, plain=True)
            yield from (
                rows if rows is not None else self.client.select_all(f"{query} ORDER BY ?st ?k ?v", PAGE, plain=True)
            )

    def _rebuild(self, rows: Iterable[dict[str, str]]) -> list[Fact]:
        """Facts from ``?st ?k ?v`` rows, sorted in dataset order (each Fact made once per store).

        Rows of other properties (``rdf:type``) are passed over; a row met
        twice (a fact reached by two of the entities asked for) counts once.
        """
        grouped: dict[str, dict[str, list[str]]] = {}
        local = self._local
        for row in rows:
            name = local.get(row["k"])
            if name is None:
                continue
            values = grouped.setdefault(row["st"], {}).setdefault(name, [])
            if row["v"] not in values:
                values.append(row["v"])
        found = []
        for props in grouped.values():
            ident = props["factId"][0]
            fact = self._made.get(ident)
            if fact is None:
                fact = self._made[ident] = self._fact(props)
                self._ends.setdefault(fact.subject)
                self._ends.setdefault(fact.object)
            found.append(fact)
        return sorted(found, key=self._order)

    def _fact(self, props: Mapping[str, list[str]]) -> Fact:
        ns = self.ns

        def one(name: str) -> str | None:
            values = props.get(name)
            return values[0] if values else None

        qualifiers: tuple[tuple[str, str], ...] = ()
        text = one("qualifiers")
        if text is not None:
            values = json.loads(text)
            order = one("qualifierOrder")
            qualifiers = tuple((k, values[k]) for k in (json.loads(order) if order else values))
        according_to = one("accordingTo")
        return Fact(
            id=props["factId"][0],
            subject=ns.ident(props["subject"][0], ns.kge),
            relation=ns.ident(props["predicate"][0], ns.kgv),
            object=ns.ident(props["object"][0], ns.kge),
            polarity=int(props["hasPolarity"][0]),
            quote=props["hasQuote"][0],
            source=ns.ident(props["source"][0], ns.kgsrc),
            date=one("date"),
            start=one("startDate"),
            end=one("endDate"),
            according_to=ns.ident(according_to, ns.kge) if according_to is not None else None,
            qualifiers=qualifiers,
            modality=props["modality"][0],
            disputes=tuple(sorted(ns.ident(x, ns.kgf) for x in props.get("disputes", []))),
            same_as=tuple(sorted(ns.ident(x, ns.kgf) for x in props.get("sameAs", []))),
            implicit=one("implicit"),
            line=int(props["line"][0]),
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
        return self._among(entity_id, relation_ids, "subject")

    def by_object_among(self, entity_id: str, relation_ids: Collection[str]) -> list[Fact]:
        """The facts of :meth:`by_object` whose relation is in ``relation_ids``: one query, kept.

        who-supports asks it of the target and each member of its bloc (those
        who act for it) for the facts of one polarity toward them, and for
        their acts-for links; reading their every fact instead would fetch a
        hub's whole neighbourhood. Few entities are asked, so none is fetched
        ahead (unlike :meth:`by_subject_among`).
        """
        return self._among(entity_id, relation_ids, "object")

    def _among(self, entity_id: str, relation_ids: Collection[str], end: str) -> list[Fact]:
        key = frozenset(relation_ids)
        known = self._among_memo.setdefault((end, key), {})
        if entity_id in known:
            return known[entity_id]
        full = self._out if end == "subject" else self._in
        if not self._made and entity_id not in full:
            # the first entity asked about is the one the command is about (who-supports' target): all its
            # facts, in one query, answer this and the asks of its other relations and of either end
            self.touching([entity_id])
        if entity_id in full:
            known[entity_id] = [f for f in full[entity_id] if f.relation in key]
            return known[entity_id]
        chunk = [entity_id]
        if end == "subject":  # every actor's acts-for links are asked for: fetch the actors met so far with it
            chunk += [e for e in self._ends if e not in known and e not in full and e != entity_id][: BATCH - 1]
        self._count_call(f"by_{end}_among")
        if key:
            values = " ".join(self.ns.entity_iri(i) for i in chunk)
            relations = " ".join(self.ns.relation_iri(r) for r in sorted(key))
            found = self._facts_where(
                f"VALUES ?e {{ {values} }}\n  VALUES ?p {{ {relations} }}\n"
                f"  GRAPH ?g {{ ?st rdf:{end} ?e ; rdf:predicate ?p }}",
                one_step=False,
            )
        else:
            found = []
        for i in chunk:
            known[i] = []
        for f in found:
            known[f.subject if end == "subject" else f.object].append(f)
        return known[entity_id]

    def _order(self, f: Fact) -> tuple[str, int, str]:
        """Dataset order: the source's file name, then the fact's line."""
        return (self.files.get(f.source, ""), f.line, f.id)

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
        """Facts per relation id: one GROUP BY query, paged (a store's result cap may be below the relation count)."""
        self._count_call("relation_counts")
        ns = self.ns
        rows = self.client.select_all(
            f"{ns.prologue()}SELECT ?p (COUNT(DISTINCT ?st) AS ?n) WHERE {{ GRAPH ?g {{ ?st a kgv:Fact ; "
            f"rdf:predicate ?p }} {ns.in_manifest()} }} GROUP BY ?p ORDER BY ?p"
        )
        return {ns.ident(r["p"], ns.kgv): int(r["n"]) for r in rows}

    def disputed_by_index(self) -> dict[str, tuple[str, ...]]:
        """Fact id -> ids of the facts disputing it, in dataset order: one query over the disputing facts."""
        self._count_call("disputed_by")
        ns = self.ns
        query = (
            f"{ns.prologue()}SELECT DISTINCT ?id ?dis ?src ?line WHERE {{\n"
            "  GRAPH ?g { ?st kgv:disputes ?dis ; kgv:factId ?id ; kgv:line ?line ; dcterms:source ?src }\n"
            f"  {ns.in_manifest()}\n}} ORDER BY ?id ?dis"
        )

        def order(r: dict[str, str]) -> tuple[str, int, str]:
            return (self.files.get(ns.ident(r["src"], ns.kgsrc), ""), int(r["line"]), r["id"])

        rows = sorted(self.client.select_all(query), key=order)
        index: dict[str, list[str]] = {}
        for r in rows:
            index.setdefault(ns.ident(r["dis"], ns.kgf), []).append(r["id"])
        return {target: tuple(ids) for target, ids in index.items()}
