"""What a picture of the graph shows: all of it or one entity's neighbourhood, capped to what can be read.

``kgraph draw`` and ``kgraph view`` both show a part of the graph: every
entity, or those at most ``depth`` facts from a centre, with only the facts
of some relations if asked. A picture of thousands of entities cannot be
read, so beyond ``max_nodes`` entities only some are kept: around a centre,
the nearest to it first (the centre always), then the most connected (by
number of facts in the selection), ties by id; without a centre, the most
connected. The facts among the kept entities are kept, and the
:class:`Selection` says what the cap left out so that every picture can say
so.

>>> import kgraph
>>> part = neighbourhood(kgraph.load(), center="Lukashenka", max_nodes=5, max_nodes_limit=1000, command="draw")
>>> part.center, len(part.kg.entities), part.total_entities, part.capped
('lukashenko', 5, 16, True)
>>> part.note
'the 5 nearest to Alexander Lukashenko of 16 entities'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .errors import UsageError
from .knowledge import KnowledgeGraph

__all__ = ["Selection", "distances", "neighbourhood"]


@dataclass(frozen=True, slots=True)
class Selection:
    """The entities and facts a picture shows (``kg``) and what the cap left out."""

    kg: KnowledgeGraph
    center: str | None  # the id of the entity the neighbourhood is around, if any
    depth: int
    total_entities: int  # in the selection before the cap
    total_facts: int
    capped: bool

    @property
    def note(self) -> str | None:
        """``the 150 most connected of 5,000 entities`` (or ``nearest to X``) when capped, else None."""
        if not self.capped:
            return None
        which = f"nearest to {self.kg.entities[self.center].name}" if self.center else "most connected"
        return f"the {len(self.kg.entities):,} {which} of {self.total_entities:,} entities"


def distances(kg: KnowledgeGraph, start: str) -> dict[str, int]:
    """How many facts each entity reachable from ``start`` is from it, in either direction."""
    dist = {start: 0}
    frontier = [start]
    while frontier:
        following: list[str] = []
        for e in frontier:
            for f in kg.facts_of(e):
                other = f.object if f.subject == e else f.subject
                if other not in dist:
                    dist[other] = dist[e] + 1
                    following.append(other)
        frontier = following
    return dist


def neighbourhood(
    kg: KnowledgeGraph,
    *,
    center: str | None = None,
    depth: int = 1,
    relations: Sequence[str] | None = None,
    max_nodes: int,
    max_nodes_limit: int,
    command: str,
) -> Selection:
    """The part of ``kg`` a picture shows (see the module's docstring for the cap).

    ``center`` is any name of an entity (an unknown one raises
    :class:`~kgraph.errors.UnknownEntity` with suggestions); ``relations``
    keeps only facts of those relations and their sub-relations.
    ``max_nodes`` must lie between 1 and ``max_nodes_limit``; ``command``
    names the command in usage errors.
    """
    from .exporters._common import degree, select

    if not 1 <= max_nodes <= max_nodes_limit:
        raise UsageError(
            f"--max-nodes must be between 1 and {max_nodes_limit:,}: a picture of more entities cannot be read"
        )
    if center is None and depth != 1:
        raise UsageError(f"--depth needs an entity to start from (kgraph {command} X --depth N)")
    center_id = kg.entity(center).id if center is not None else None
    part = select(kg, around=center_id, depth=depth, relations=relations)
    total_e, total_f = len(part.entities), len(part.facts)
    if total_e <= max_nodes:
        return Selection(part, center_id, depth, total_e, total_f, False)
    deg = degree(part)
    far = len(part.entities) + 1
    dist = distances(part, center_id) if center_id is not None else {}
    ranked = sorted(part.entities, key=lambda e: (dist.get(e, far), -deg.get(e, 0), e))
    keep = set(ranked[:max_nodes])
    facts = [f for f in part.facts if f.subject in keep and f.object in keep]
    cited = {f.source for f in facts}
    capped = KnowledgeGraph(
        list(part.relations.values()),
        [e for e in part.entities.values() if e.id in keep],
        [s for s in part.sources.values() if s.id in cited],
        facts,
        data_dir=part.data_dir,
    )
    return Selection(capped, center_id, depth, total_e, total_f, True)
