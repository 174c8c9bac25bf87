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
from typing import TYPE_CHECKING

from .errors import UsageError
from .knowledge import KnowledgeGraph

if TYPE_CHECKING:
    from .model import Fact

__all__ = ["Selection", "degree", "distances", "neighbourhood", "select"]


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


def select(
    kg: KnowledgeGraph,
    *,
    around: str | None = None,
    depth: int = 1,
    relations: Sequence[str] | None = None,
) -> KnowledgeGraph:
    """The part of ``kg`` to export: facts of ``relations`` (with sub-relations) near ``around``.

    With ``around``, the entities at most ``depth`` facts away from it
    (either direction) and every chosen fact among them; with only a relation
    filter, the chosen facts and the entities they join; with neither, all of
    ``kg``. The vocabulary and the sources the facts cite come along.

    >>> from kgraph import load
    >>> part = select(load(), around="belarus", depth=1, relations=["supports"])
    >>> all(f.relation in {"supports", "congratulates", "welcomes"} for f in part.facts)
    True
    """
    from .query import relation_filter

    if depth < 1:
        raise UsageError("--depth must be at least 1")
    if around is None and depth != 1:
        raise UsageError("--depth needs --around (the entity to start from)")
    if around is None and not relations:
        return kg
    allowed = relation_filter(kg, relations)
    facts = [f for f in kg.facts if allowed is None or f.relation in allowed]
    if around is not None:
        start = kg.entity(around).id
        near: dict[str, list[Fact]] = {}
        for f in facts:
            near.setdefault(f.subject, []).append(f)
            near.setdefault(f.object, []).append(f)
        keep = {start}
        frontier = {start}
        for _ in range(depth):
            reached = {(f.object if f.subject == e else f.subject) for e in frontier for f in near.get(e, [])}
            frontier = reached - keep
            keep |= frontier
            if not frontier:
                break
        facts = [f for f in facts if f.subject in keep and f.object in keep]
        entity_ids = keep
    else:
        entity_ids = {f.subject for f in facts} | {f.object for f in facts}
    cited = {f.source for f in facts}
    return KnowledgeGraph(
        list(kg.relations.values()),
        [e for e in kg.entities.values() if e.id in entity_ids],
        [s for s in kg.sources.values() if s.id in cited],
        facts,
        data_dir=kg.data_dir,
    )


def degree(kg: KnowledgeGraph) -> dict[str, int]:
    """How many facts each entity takes part in (a self-loop counts twice)."""
    out = dict.fromkeys(kg.entities, 0)
    for f in kg.facts:
        out[f.subject] = out.get(f.subject, 0) + 1
        out[f.object] = out.get(f.object, 0) + 1
    return out
