"""``KnowledgeGraph``: one loaded dataset with the indexes queries need.

Queries answer from the adjacency index kept here (plain dicts of fact
positions), which costs nothing to import; the networkx ``MultiDiGraph`` is
built once, on first use of :attr:`KnowledgeGraph.graph`, for path finding,
analysis and exports (:func:`kgraph.graph.build_graph`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import cached_property
from typing import TYPE_CHECKING

from .errors import Problem, UnknownEntity, UnknownRelation
from .model import Entity, Fact, Relation, Source
from .resolve import NameIndex

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["KnowledgeGraph"]


class KnowledgeGraph:
    """A validated dataset: vocabulary, entities, sources and facts, indexed.

    Build one with :func:`kgraph.load`; or directly, from model values, in
    tests and notebooks (no validation happens then).
    """

    def __init__(
        self,
        relations: Sequence[Relation],
        entities: Sequence[Entity],
        sources: Sequence[Source],
        facts: Sequence[Fact],
        *,
        data_dir: str | None = None,
        warnings: Sequence[Problem] = (),
    ) -> None:
        self.relations: dict[str, Relation] = {r.id: r for r in relations}
        self.entities: dict[str, Entity] = {e.id: e for e in entities}
        self.sources: dict[str, Source] = {s.id: s for s in sources}
        self.facts: tuple[Fact, ...] = tuple(facts)
        self.data_dir = data_dir
        self.warnings: tuple[Problem, ...] = tuple(warnings)
        out_index: dict[str, list[Fact]] = {}
        in_index: dict[str, list[Fact]] = {}
        for f in self.facts:
            out_index.setdefault(f.subject, []).append(f)
            in_index.setdefault(f.object, []).append(f)
        self._out = out_index
        self._in = in_index

    # -- lookup ----------------------------------------------------------------

    @cached_property
    def names(self) -> NameIndex:
        return NameIndex({e.id: (e.name, *e.aliases) for e in self.entities.values()})

    @cached_property
    def facts_by_id(self) -> dict[str, Fact]:
        return {f.id: f for f in self.facts}

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
            raise UnknownEntity(name, self.names.suggest(name))
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
        return self._out.get(entity_id, [])

    def in_facts(self, entity_id: str) -> list[Fact]:
        """Facts whose object is the entity."""
        return self._in.get(entity_id, [])

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
            f"<KnowledgeGraph {len(self.entities)} entities, {len(self.facts)} facts, "
            f"{len(self.relations)} relations, {len(self.sources)} sources>"
        )
