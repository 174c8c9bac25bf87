"""``KnowledgeGraph``: one loaded dataset with the indexes queries need, and the seam its facts come through.

A graph holds the small tables (relations, entities, sources, warnings) itself
and asks a :class:`FactStore` for its facts. :class:`MemoryFactStore` keeps
them in memory (what the loader and every hand-built graph use); the
compiled cache (:class:`kgraph.cache.CompiledFactStore`) makes each fact only
when a query reaches it. Queries answer from the store's subject and object
indexes, which cost nothing to import (``path`` too, through
:meth:`KnowledgeGraph.neighbour_ids`); the networkx ``MultiDiGraph`` is
built once, on first use of :attr:`KnowledgeGraph.graph`, for analysis and
exports (:func:`kgraph.graph.build_graph`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from .errors import Problem, UnknownEntity, UnknownRelation
from .model import Entity, Fact, Relation, Source
from .resolve import NameIndex
from .suggest import note

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["FactStore", "KnowledgeGraph", "MemoryFactStore", "relation_counts"]


@runtime_checkable
class FactStore(Protocol):
    """Where a :class:`KnowledgeGraph` gets its facts: the seam between a graph and its storage.

    A provider must offer four calls:

    ``len(store)``
        how many facts there are, without making any;
    ``by_subject(entity_id)`` / ``by_object(entity_id)``
        the facts whose subject (object) is that entity, in dataset order;
        an empty list for an entity in no fact. These are what a typical
        query asks (who-supports, neighbours, entity), so a provider that
        decodes lazily need make only the facts they return;
    ``all()``
        every fact, in dataset order. Asked by whatever needs the whole
        dataset (``stats``, exports, time windows); a lazy provider
        makes every fact here, once.

    and keep three promises: the same :class:`~kgraph.model.Fact` object for a
    fact whichever call returns it; the lists and tuple it returns are its
    own and stay unchanged (callers only read them, and may keep them); and
    its facts never change once a graph uses it (a graph keeps what it
    derives from them, such as ``facts_by_id`` or the networkx graph).

    A store may also offer ``disputed_by_index()`` (fact id -> ids of the
    facts disputing it): every fact record asks who disputes its fact, and
    without it the graph asks ``all()`` for the reverse index. And
    ``by_subject_among(entity_id, relation_ids)`` /
    ``by_object_among(entity_id, relation_ids)``: the facts of
    ``by_subject`` (``by_object``) whose relation id is one of
    ``relation_ids``, in dataset order; who-supports asks them for a
    target's facts of one polarity and for whom every actor acts, and a
    store that can filter on the relation before making facts answers a
    busy target in time proportional to its evidence (without them the
    graph filters ``by_subject`` / ``by_object``). A store whose two
    methods take a third argument, ``ends`` (only the facts whose other end
    is one of these entity ids), says so with ``filters_ends = True``:
    explain asks for one actor's facts toward a busy target. And
    ``neighbours_in_order(entity_id)``: the ids of the entities one fact
    away either way (itself left out), each once, in the order of the first
    fact joining them in dataset order; explain's chains ask it of the
    entities they visit (:class:`kgraph.chains.Neighbours`, which otherwise
    sorts the entity's facts).

    Two more optional calls serve searches that walk the graph a ring at a
    time (``path``), asking about many entities at once:

    ``touching(ids)``
        every fact whose subject or object is one of ``ids`` (a collection of
        entity ids), each fact once, in no promised order. A store that
        answers a query per round (a SPARQL endpoint) answers a whole ring in
        one query here; without it the graph asks ``by_subject`` and
        ``by_object`` of each id.
    ``neighbour_ids(ids, allowed)``
        per id of ``ids`` (every one a key, an entity in no fact mapping to
        an empty set), the ids of the entities one fact away in either
        direction (itself, through a self-loop), counting only facts whose
        relation id is in ``allowed`` unless it is None. A store whose
        columns hold the ends of each fact answers this without making any
        fact (the compiled cache does); without it the graph derives it from
        ``touching``.

    And ``by_subjects_among(ids, relation_ids)``: per id of ``ids`` (every
    one a key), what ``by_subject_among`` gives for it; who-supports asks it
    for whom each of a busy target's thousands of actors acts, and a store
    can answer them together faster than one at a time.

    And ``by_subject_to(entity_id, other_id)``: the facts of ``by_subject``
    whose object is ``other_id``, in dataset order (explain asks it for the
    facts joining each pair of a chain; a hub has tens of thousands).

    And one more serves counting (``kgraph relations``):

    ``relation_counts()``
        relation id -> how many facts have it (only the relations some fact
        has); a lazy store answers from its relation column without making a
        fact (without it, :func:`relation_counts` counts ``all()``).

    Anything offering these can stand behind a graph: the in-memory
    :class:`MemoryFactStore`, the whole-dataset compiled cache
    (:class:`kgraph.cache.CompiledFactStore`), and later, say, one compiled
    per source file or a SQLite table with subject and object indexes.
    """

    def __len__(self) -> int: ...

    def all(self) -> tuple[Fact, ...]: ...

    def by_subject(self, entity_id: str) -> list[Fact]: ...

    def by_object(self, entity_id: str) -> list[Fact]: ...


class MemoryFactStore:
    """Facts held in memory, with their subject and object indexes built at once."""

    __slots__ = ("_facts", "_in", "_out")

    def __init__(self, facts: Iterable[Fact]) -> None:
        self._facts = tuple(facts)
        out_index: dict[str, list[Fact]] = {}
        in_index: dict[str, list[Fact]] = {}
        for f in self._facts:
            out_index.setdefault(f.subject, []).append(f)
            in_index.setdefault(f.object, []).append(f)
        self._out = out_index
        self._in = in_index

    def __len__(self) -> int:
        return len(self._facts)

    def all(self) -> tuple[Fact, ...]:
        return self._facts

    def by_subject(self, entity_id: str) -> list[Fact]:
        return self._out.get(entity_id, [])

    def by_object(self, entity_id: str) -> list[Fact]:
        return self._in.get(entity_id, [])

    def relation_counts(self) -> dict[str, int]:
        """Relation id -> how many facts have it (only the relations some fact has)."""
        return _count_relations(self._facts)


def _count_relations(facts: Iterable[Fact]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for f in facts:
        counts[f.relation] = counts.get(f.relation, 0) + 1
    return counts


def relation_counts(store: FactStore) -> dict[str, int]:
    """Facts per relation id: the store's ``relation_counts()`` when it has one, else counted from ``all()``."""
    counter = getattr(store, "relation_counts", None)
    if callable(counter):
        counts: dict[str, int] = counter()
        return counts
    return _count_relations(store.all())


class KnowledgeGraph:
    """A validated dataset: vocabulary, entities, sources and facts, indexed.

    Build one with :func:`kgraph.load`; or directly, from model values, in
    tests and notebooks (no validation happens then). ``facts`` is either
    the facts themselves (kept in a :class:`MemoryFactStore`) or any
    :class:`FactStore`. ``entities`` and ``sources`` may be mappings by id
    (kept as given: the cache's make each value on first use). ``names``,
    when given, is the name index of exactly these entities, or a function
    returning it (a cache stores it so that it is not folded again);
    otherwise it is built on first use.
    """

    def __init__(
        self,
        relations: Iterable[Relation],
        entities: Iterable[Entity] | Mapping[str, Entity],
        sources: Iterable[Source] | Mapping[str, Source],
        facts: Sequence[Fact] | FactStore,
        *,
        data_dir: str | None = None,
        warnings: Sequence[Problem] = (),
        names: NameIndex | Callable[[], NameIndex] | None = None,
    ) -> None:
        self.relations: dict[str, Relation] = {r.id: r for r in relations}
        # (a Mapping is kept as it is: the cache's tables make each value on first use)
        self.entities: Mapping[str, Entity] = entities if isinstance(entities, Mapping) else {e.id: e for e in entities}
        self.sources: Mapping[str, Source] = sources if isinstance(sources, Mapping) else {s.id: s for s in sources}
        self.data_dir = data_dir
        self.warnings: tuple[Problem, ...] = tuple(warnings)
        self._store: FactStore = facts if isinstance(facts, FactStore) else MemoryFactStore(facts)
        self._names: NameIndex | None = names if isinstance(names, NameIndex) or names is None else None
        self._make_names = names if callable(names) else None

    def __getstate__(self) -> dict[str, object]:
        """What pickling keeps: the name index made now if only promised (the promise holds cache memory)."""
        state = dict(self.__dict__)
        if self._make_names is not None:
            state["_names"] = self.names
            state["_make_names"] = None
        return state

    @property
    def store(self) -> FactStore:
        """The provider of this graph's facts."""
        return self._store

    @property
    def facts(self) -> tuple[Fact, ...]:
        """Every fact, in dataset order (a lazy store makes them all on first use)."""
        return self._store.all()

    # -- lookup ----------------------------------------------------------------

    @property
    def names(self) -> NameIndex:
        """Every entity's folded id, name and aliases (built on first use unless given)."""
        if self._names is None and self._make_names is not None:
            self._names = self._make_names()
        if self._names is None:
            self._names = NameIndex({e.id: (e.name, *e.aliases) for e in self.entities.values()})
        return self._names

    @cached_property
    def facts_by_id(self) -> dict[str, Fact]:
        return {f.id: f for f in self.facts}

    @cached_property
    def _disputed_by(self) -> dict[str, tuple[str, ...]]:
        from_store = getattr(self._store, "disputed_by_index", None)  # a lazy store's shortcut (kgraph.cache)
        if from_store is not None:
            return dict(from_store())
        index: dict[str, list[str]] = {}
        for f in self.facts:
            for target in f.disputes:
                index.setdefault(target, []).append(f.id)
        return {target: tuple(ids) for target, ids in index.items()}

    def disputed_by(self, fact_id: str) -> tuple[str, ...]:
        """Ids of the facts that dispute this one, in dataset order (the reverse of ``Fact.disputes``).

        Built on first use, so graphs that never ask pay nothing.
        """
        return self._disputed_by.get(fact_id, ())

    def entity(self, name: str) -> Entity:
        """The entity ``name`` stands for (id, name or alias, folded); UnknownEntity otherwise.

        >>> from kgraph import load
        >>> load().entity("Lukashenka").id
        'lukashenko'
        """
        if name in self.entities:
            return self.entities[name]
        ident = self.names.lookup(name)
        if ident is None:
            near = self.names.suggest(name)
            raise UnknownEntity(
                name, near, {i: note(self.entities[i].type, self.entities[i].description) for i in near}
            )
        return self.entities[ident]

    def relation(self, name: str) -> Relation:
        """The relation with this id or inverse name (folded); UnknownRelation otherwise."""
        if name in self.relations:
            return self.relations[name]
        key = name.strip().lower().replace("-", "_").replace(" ", "_")
        for r in self.relations.values():
            if key in (r.id, r.inverse) or key == r.label.lower().replace(" ", "_"):
                return r
        from .suggest import suggest

        names = [r.id for r in self.relations.values()] + [r.inverse for r in self.relations.values() if r.inverse]
        raise UnknownRelation(name, suggest(name, names))

    # -- structure ---------------------------------------------------------------

    def out_facts(self, entity_id: str) -> list[Fact]:
        """Facts whose subject is the entity."""
        return self._store.by_subject(entity_id)

    def in_facts(self, entity_id: str) -> list[Fact]:
        """Facts whose object is the entity."""
        return self._store.by_object(entity_id)

    def touching(self, ids: Collection[str]) -> list[Fact]:
        """Every fact whose subject or object is one of ``ids``, each once (in no promised order).

        The store's own ``touching`` when it has one (see :class:`FactStore`),
        else each id's facts as subject, then as object.
        """
        own = getattr(self._store, "touching", None)
        if own is not None:
            return list(own(ids))
        found: dict[str, Fact] = {}
        for i in ids:
            for f in self._store.by_subject(i):
                found.setdefault(f.id, f)
            for f in self._store.by_object(i):
                found.setdefault(f.id, f)
        return list(found.values())

    def neighbour_ids(self, ids: Collection[str], allowed: set[str] | None = None) -> dict[str, set[str]]:
        """Per id of ``ids``, the ids of the entities one fact away either way (only ``allowed`` relations).

        What a breadth-first search asks of each ring (:mod:`kgraph.pathfind`):
        the store's own ``neighbour_ids`` when it has one (the compiled cache
        answers from its columns without making facts), else read from
        :meth:`touching`. Every id of ``ids`` is a key.
        """
        own = getattr(self._store, "neighbour_ids", None)
        if own is not None:
            return dict(own(ids, allowed))
        out: dict[str, set[str]] = {i: set() for i in ids}
        for f in self.touching(ids):
            if allowed is not None and f.relation not in allowed:
                continue
            if f.subject in out:
                out[f.subject].add(f.object)
            if f.object in out:
                out[f.object].add(f.subject)
        return out

    def out_facts_among(
        self, entity_id: str, relation_ids: Collection[str], ends: Collection[str] | None = None
    ) -> list[Fact]:
        """Facts whose subject is the entity and whose relation is one of ``relation_ids`` (dataset order); with
        ``ends``, only those whose object is one of them.

        The store's ``by_subject_among`` when it has one (see :class:`FactStore`), else ``by_subject`` filtered.
        """
        return self._among(self._store.by_subject, "by_subject_among", "object", entity_id, relation_ids, ends)

    def out_facts_among_each(self, ids: Collection[str], relation_ids: Collection[str]) -> dict[str, list[Fact]]:
        """Per id of ``ids``, :meth:`out_facts_among` of it (every id a key): the store's ``by_subjects_among``
        when it has one (see :class:`FactStore`), else asked one id at a time."""
        own = getattr(self._store, "by_subjects_among", None)
        if own is not None:
            return {i: list(found) for i, found in own(ids, relation_ids).items()}
        return {i: self.out_facts_among(i, relation_ids) for i in ids}

    def in_facts_among(
        self, entity_id: str, relation_ids: Collection[str], ends: Collection[str] | None = None
    ) -> list[Fact]:
        """Facts whose object is the entity and whose relation is one of ``relation_ids`` (dataset order); with
        ``ends``, only those whose subject is one of them.

        The store's ``by_object_among`` when it has one (see :class:`FactStore`), else ``by_object`` filtered.
        """
        return self._among(self._store.by_object, "by_object_among", "subject", entity_id, relation_ids, ends)

    def _among(
        self,
        every: Callable[[str], list[Fact]],
        method: str,
        far: str,
        entity_id: str,
        relation_ids: Collection[str],
        ends: Collection[str] | None,
    ) -> list[Fact]:
        own = getattr(self._store, method, None)
        if own is not None and ends is not None and getattr(self._store, "filters_ends", False):
            return list(own(entity_id, relation_ids, ends))
        found = (
            own(entity_id, relation_ids)
            if own is not None
            else [f for f in every(entity_id) if f.relation in relation_ids]
        )
        return list(found) if ends is None else [f for f in found if getattr(f, far) in ends]

    def out_facts_to(self, entity_id: str, other_id: str) -> list[Fact]:
        """Facts whose subject is the entity and whose object is ``other_id`` (dataset order).

        The store's ``by_subject_to`` when it has one (the compiled cache reads the object codes of the
        entity's rows, so a hub's other facts are never made), else ``by_subject`` filtered.
        """
        own = getattr(self._store, "by_subject_to", None)
        if own is not None:
            return list(own(entity_id, other_id))
        return [f for f in self._store.by_subject(entity_id) if f.object == other_id]

    def facts_of(self, entity_id: str) -> Iterator[Fact]:
        """Every fact the entity takes part in (a self-loop once)."""
        yield from self.out_facts(entity_id)
        for f in self.in_facts(entity_id):
            if f.subject != entity_id:
                yield f

    @cached_property
    def _ancestors(self) -> dict[str, tuple[str, ...]]:
        out: dict[str, tuple[str, ...]] = {}
        for rid in self.relations:
            chain = [rid]
            seen = {rid}
            parent = self.relations[rid].parent
            while parent and parent in self.relations and parent not in seen:
                chain.append(parent)
                seen.add(parent)
                parent = self.relations[parent].parent
            out[rid] = tuple(chain)
        return out

    def ancestors(self, relation_id: str) -> tuple[str, ...]:
        """The relation and every relation above it, nearest first."""
        return self._ancestors.get(relation_id, (relation_id,))

    def is_a(self, relation_id: str, other: str) -> bool:
        """Whether ``relation_id`` is ``other`` or one of its sub-relations."""
        return other in self.ancestors(relation_id)

    def descendants(self, relation_id: str) -> set[str]:
        """The relation and every sub-relation below it."""
        return {r for r, chain in self._ancestors.items() if relation_id in chain}

    # -- networkx ----------------------------------------------------------------

    @cached_property
    def graph(self) -> nx.MultiDiGraph:
        """The dataset as a networkx MultiDiGraph (built on first use, then kept)."""
        from .graph import build_graph

        return build_graph(self)

    def __repr__(self) -> str:
        return (
            f"<KnowledgeGraph {len(self.entities)} entities, {len(self._store)} facts, "
            f"{len(self.relations)} relations, {len(self.sources)} sources>"
        )
