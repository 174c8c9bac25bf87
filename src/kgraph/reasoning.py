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
- Modality: only ``asserted`` facts are evidence, acts-for links included;
  ``hedged=True`` admits the hedged ones (intended, proposed, considered,
  threatened, predicted) too; a ``denied`` fact never counts.
- Claims: what one actor did toward the target is counted in claims
  (:mod:`kgraph.claims`): its facts of one relation and modality reported by
  different sources with compatible dates, or joined by ``same_as``, are one
  claim, so "Lukashenko represses X" and "Belarus represses X" count once
  for Belarus.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .claims import Claim, at_least, group

if TYPE_CHECKING:
    from .knowledge import KnowledgeGraph
    from .model import Fact

__all__ = [
    "Stance",
    "acts_for",
    "acts_for_each",
    "acts_for_relations",
    "is_evidence",
    "reading",
    "represented_by",
    "stance_of",
    "stances_toward",
]


def is_evidence(f: Fact, hedged: bool = False) -> bool:
    """Whether ``f`` may count as evidence: asserted, or (``hedged``) any modality but ``denied``."""
    return f.modality == "asserted" or (hedged and f.modality != "denied")


def acts_for_relations(kg: KnowledgeGraph) -> frozenset[str]:
    """The ids of the relations marked ``acts_for``."""
    return frozenset(r.id for r in kg.relations.values() if r.acts_for)


def acts_for(
    kg: KnowledgeGraph, entity_id: str, *, hedged: bool = False, relations: frozenset[str] | None = None
) -> list[Fact]:
    """The acts-for facts whose subject is ``entity_id`` (whom it speaks for), as :func:`is_evidence` admits them.

    ``relations``: :func:`acts_for_relations`, when the caller has it already.
    Only the entity's facts of those relations are read (a busy actor's other
    facts are not made).
    """
    chosen = acts_for_relations(kg) if relations is None else relations
    return [f for f in kg.out_facts_among(entity_id, chosen) if f.object != entity_id and is_evidence(f, hedged)]


def acts_for_each(
    kg: KnowledgeGraph, ids: Collection[str], *, hedged: bool = False, relations: frozenset[str] | None = None
) -> dict[str, list[Fact]]:
    """:func:`acts_for` of each id of ``ids`` (every one a key), asked of the store at once."""
    chosen = acts_for_relations(kg) if relations is None else relations
    return {
        e: [f for f in found if f.object != e and is_evidence(f, hedged)]
        for e, found in kg.out_facts_among_each(ids, chosen).items()
    }


def represented_by(kg: KnowledgeGraph, entity_id: str, *, hedged: bool = False) -> list[Fact]:
    """The acts-for facts whose object is ``entity_id`` (who speaks for it), as :func:`is_evidence` admits them."""
    return [
        f
        for f in kg.in_facts_among(entity_id, acts_for_relations(kg))
        if f.subject != entity_id and is_evidence(f, hedged)
    ]


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

    def claims(self, min_sources: int = 1) -> list[Claim]:
        """The evidence as claims (one relation and modality, different sources or same_as), first fact first.

        Only claims reported by at least ``min_sources`` sources are kept.
        """
        return at_least(group(self.evidence.values(), key=_stance_key), min_sources)

    def direct_claims(self, found: list[Claim]) -> int:
        """How many of ``found`` hold a fact that needed no acts-for link."""
        if self.direct == len(self.evidence):  # (every fact needed none: most stances toward a busy target)
            return len(found)
        return sum(1 for c in found if any(not self.links.get(f.id) for f in c.facts))

    def links_used(self, found: list[Claim]) -> list[Fact]:
        """The acts-for facts that the facts of ``found`` needed, each once."""
        if not self.via:  # (no fact needed one)
            return []
        used: dict[str, Fact] = {}
        for c in found:
            for f in c.facts:
                for link_id in self.links.get(f.id, []):
                    used.setdefault(link_id, self.via[link_id])
        return list(used.values())


def _stance_key(f: Fact) -> tuple[str, str]:
    """Inside one actor's stance toward one target, facts of one relation and modality may be one claim."""
    return (f.relation, f.modality)


def _acts_toward(
    kg: KnowledgeGraph, member: str, polarity: int, hedged: bool, actors: Collection[str] | None = None
) -> Iterator[tuple[str, Fact]]:
    """``(actor, fact)`` for each fact of ``polarity`` toward ``member``: its object, or an end of a symmetric one.

    Only the member's facts of relations of that polarity are read (a fact's
    polarity is its relation's), so a busy target's other facts are not made;
    with ``actors``, only the facts of those actors.
    """
    of_polarity = frozenset(r.id for r in kg.relations.values() if r.polarity == polarity)
    for f in kg.in_facts_among(member, of_polarity, actors):
        if f.polarity == polarity and f.subject != member and is_evidence(f, hedged):
            yield f.subject, f
    symmetric = frozenset(r for r in of_polarity if kg.relations[r].symmetric)
    for f in kg.out_facts_among(member, symmetric, actors):
        if f.polarity == polarity and f.object != member and is_evidence(f, hedged):
            yield f.object, f


class _Tally:
    """The stances found so far, crediting each fact to its actor and (unless direct) whom the actor acts for."""

    def __init__(
        self, kg: KnowledgeGraph, side: dict[str, Fact | None], direct: bool, hedged: bool, only: str | None = None
    ) -> None:
        self.kg = kg
        self.side = side  # the target and those who speak for it: never credited
        self.direct = direct
        self.hedged = hedged
        self.only = only  # when set, the one entity whose stance is wanted: no other is credited
        self.stances: dict[str, Stance] = {}
        self._speaks_for: dict[str, list[Fact]] = {}  # acts_for() of each actor, looked up once
        self._acts_for = acts_for_relations(kg)
        if only is not None and not direct:
            # whom an actor acts for, as far as ``only`` is concerned: the links into ``only``, read from its
            # side (the same facts, in the same order, as acts_for(actor) keeps with ``only`` as object)
            for link in represented_by(kg, only, hedged=hedged):
                self._speaks_for.setdefault(link.subject, []).append(link)

    def speaks_for_only(self) -> list[str]:
        """With ``only``: the actors whose facts are credited to it (those acting for it), besides itself."""
        return list(self._speaks_for) if self.only is not None else []

    def count(self, actor: str, f: Fact, links: list[Fact]) -> None:
        """Credit ``f`` to ``actor``, and unless direct to each entity ``actor`` acts for (one step)."""
        self._credit(actor, f, links)
        if not self.direct:
            for up in self._ups(actor):
                self._credit(up.object, f, links + [up])

    def look_up(self, actors: Iterable[str]) -> None:
        """Learn whom each of ``actors`` acts for, all at once (what ``count`` would ask of each in turn)."""
        missing = [a for a in actors if a not in self._speaks_for]
        if missing:
            self._speaks_for.update(acts_for_each(self.kg, missing, hedged=self.hedged, relations=self._acts_for))

    def _ups(self, actor: str) -> list[Fact]:
        found = self._speaks_for.get(actor)
        if found is None and self.only is not None:
            return []
        if found is None:
            found = self._speaks_for[actor] = acts_for(self.kg, actor, hedged=self.hedged, relations=self._acts_for)
        return found

    def _credit(self, actor: str, f: Fact, links: list[Fact]) -> None:
        if actor in self.side or (self.only is not None and actor != self.only):
            return
        s = self.stances.get(actor)
        if s is None:  # (not setdefault: a Stance made for nothing per fact cost a tenth of a busy target's tally)
            s = self.stances[actor] = Stance(actor)
        if f.id not in s.evidence:
            s.evidence[f.id] = f
            s.links[f.id] = [link.id for link in links]
            if not links:
                s.direct += 1
        for link in links:
            s.via[link.id] = link


def stances_toward(
    kg: KnowledgeGraph, target: str, polarity: int, *, direct: bool = False, hedged: bool = False
) -> dict[str, Stance]:
    """Every entity with facts of ``polarity`` toward ``target``, with the facts and links used.

    Counts facts whose object is the target; facts of symmetric relations
    whose subject is the target (the other end acted too); and, unless
    ``direct``, the same toward whoever acts for the target, and credits an
    actor's facts to whoever the actor acts for as well. Only asserted facts
    and links count, unless ``hedged`` (see :func:`is_evidence`).
    """
    return _tally(kg, target, polarity, direct, hedged, None).stances


def stance_of(
    kg: KnowledgeGraph, actor: str, target: str, polarity: int, *, direct: bool = False, hedged: bool = False
) -> Stance | None:
    """The stance of one entity toward ``target``: ``stances_toward(...).get(actor)``, without the others'.

    The target's facts are read as for :func:`stances_toward`, but only
    ``actor`` is credited, and whom each other actor acts for is not looked up
    (only the links into ``actor``, read from its own facts): explain asks this
    of two entities, and a busy target's every actor cost more than the answer.
    """
    return _tally(kg, target, polarity, direct, hedged, actor).stances.get(actor)


def _tally(kg: KnowledgeGraph, target: str, polarity: int, direct: bool, hedged: bool, only: str | None) -> _Tally:
    # the target's side: the target itself, then (unless direct) those who speak for it
    side: dict[str, Fact | None] = {target: None}
    if not direct:
        for link in represented_by(kg, target, hedged=hedged):
            side.setdefault(link.subject, link)
    tally = _Tally(kg, side, direct, hedged, only)
    # with ``only``, a fact counts only if its actor is ``only`` or acts for it: the others are not even read
    actors = None if only is None else {only, *tally.speaks_for_only()}
    found: list[tuple[str, Fact, list[Fact]]] = []
    for member, member_link in side.items():
        links = [member_link] if member_link is not None else []
        found.extend((actor, f, links) for actor, f in _acts_toward(kg, member, polarity, hedged, actors))
    if not direct and only is None:  # (whom every actor acts for, asked of the store at once)
        tally.look_up(dict.fromkeys(actor for actor, _, _ in found))
    for actor, f, links in found:
        tally.count(actor, f, links)
    return tally
