"""How facts count as evidence: sub-relations, symmetric and inverse reading, acts-for.

- A sub-relation counts as its parents (``congratulates`` is a ``supports``),
  and a fact's polarity is its relation's.
- A symmetric relation holds both ways: ``A meets_with B`` is also an act of
  B toward A.
- Reading an edge backwards uses the relation's ``inverse`` name (``leads`` →
  ``led_by``).
- Acts-for: a fact whose relation has ``acts_for: true`` (``leads``,
  ``represents``) makes its subject speak for its object. What a leader or
  minister does also counts for their country, and what is done toward a
  leader also counts toward the country. One step only: an ambassador counts
  for the state it represents, not for whatever that state is part of.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .knowledge import KnowledgeGraph
    from .model import Fact

__all__ = ["Stance", "acts_for", "reading", "represented_by", "stances_toward"]


def acts_for(kg: KnowledgeGraph, entity_id: str) -> list[Fact]:
    """The acts-for facts whose subject is ``entity_id`` (whom it speaks for)."""
    return [f for f in kg.out_facts(entity_id) if kg.relations[f.relation].acts_for and f.object != entity_id]


def represented_by(kg: KnowledgeGraph, entity_id: str) -> list[Fact]:
    """The acts-for facts whose object is ``entity_id`` (who speaks for it)."""
    return [f for f in kg.in_facts(entity_id) if kg.relations[f.relation].acts_for and f.subject != entity_id]


def reading(kg: KnowledgeGraph, f: Fact, from_entity: str) -> tuple[str, str, str]:
    """How a fact reads from one of its ends: ``(other end, relation name, direction)``.

    Direction is ``forward`` from the subject, ``backward`` from the object;
    backwards the relation's inverse name is used when it has one.
    """
    r = kg.relations[f.relation]
    if from_entity == f.subject:
        return f.object, f.relation, "forward"
    return f.subject, (f.relation if r.symmetric else (r.inverse or f.relation)), "backward"


@dataclass
class Stance:
    """What one entity did toward a target: the facts, and the acts-for links used."""

    entity: str
    evidence: dict[str, Fact] = field(default_factory=dict)
    via: dict[str, Fact] = field(default_factory=dict)
    direct: int = 0  # evidence facts that needed no acts-for link
    links: dict[str, list[str]] = field(default_factory=dict)  # evidence fact id -> ids of the acts-for facts it needed


def _acts_toward(kg: KnowledgeGraph, member: str, polarity: int) -> Iterator[tuple[str, Fact]]:
    """``(actor, fact)`` for each fact of ``polarity`` toward ``member``: its object, or an end of a symmetric one."""
    for f in kg.in_facts(member):
        if f.polarity == polarity and f.subject != member:
            yield f.subject, f
    for f in kg.out_facts(member):
        if f.polarity == polarity and f.object != member and kg.relations[f.relation].symmetric:
            yield f.object, f


class _Tally:
    """The stances found so far, crediting each fact to its actor and (unless direct) whom the actor acts for."""

    def __init__(self, kg: KnowledgeGraph, side: dict[str, Fact | None], direct: bool) -> None:
        self.kg = kg
        self.side = side  # the target and those who speak for it: never credited
        self.direct = direct
        self.stances: dict[str, Stance] = {}
        self._speaks_for: dict[str, list[Fact]] = {}  # acts_for() of each actor, looked up once

    def count(self, actor: str, f: Fact, links: list[Fact]) -> None:
        """Credit ``f`` to ``actor``, and unless direct to each entity ``actor`` acts for (one step)."""
        self._credit(actor, f, links)
        if not self.direct:
            for up in self._ups(actor):
                self._credit(up.object, f, links + [up])

    def _ups(self, actor: str) -> list[Fact]:
        found = self._speaks_for.get(actor)
        if found is None:
            found = self._speaks_for[actor] = acts_for(self.kg, actor)
        return found

    def _credit(self, actor: str, f: Fact, links: list[Fact]) -> None:
        if actor in self.side:
            return
        s = self.stances.setdefault(actor, Stance(actor))
        if f.id not in s.evidence:
            s.evidence[f.id] = f
            s.links[f.id] = [link.id for link in links]
            if not links:
                s.direct += 1
        for link in links:
            s.via[link.id] = link


def stances_toward(kg: KnowledgeGraph, target: str, polarity: int, *, direct: bool = False) -> dict[str, Stance]:
    """Every entity with facts of ``polarity`` toward ``target``, with the facts and links used.

    Counts facts whose object is the target; facts of symmetric relations
    whose subject is the target (the other end acted too); and, unless
    ``direct``, the same toward whoever acts for the target, and credits an
    actor's facts to whoever the actor acts for as well.
    """
    # the target's side: the target itself, then (unless direct) those who speak for it
    side: dict[str, Fact | None] = {target: None}
    if not direct:
        for link in represented_by(kg, target):
            side.setdefault(link.subject, link)
    tally = _Tally(kg, side, direct)
    for member, member_link in side.items():
        links = [member_link] if member_link is not None else []
        for actor, f in _acts_toward(kg, member, polarity):
            tally.count(actor, f, links)
    return tally.stances
