"""Whether a fact's quote names the fact's ends: the evidence must be about the actors it is filed under.

A quote names an entity when its folded text (:func:`kgraph.suggest.fold`)
holds one of the entity's names (id, name or an alias) as whole words, or
that name with a possessive *s* (folding turns "Belarus’s" into
``belaruss``). An entity linked to an end by an acts-for fact (a leader, a
minister, in either direction) counts for that end: "Beijing" or "Wang Yi"
names China's side. A quote that names neither end gets a warning, unless
the fact says ``implicit:`` which end the text leaves unnamed.

Most quotes name an end directly and are settled while their file is read;
only the others wait for the acts-for links of the whole dataset.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ..model import Entity, Fact, Relation
from ..suggest import fold
from ..validate import FileReport

__all__ = ["Naming"]

Position = tuple[int, int]


class Naming:
    """Checks quotes against the names of the entities; warns, at the end, for those naming neither end."""

    __slots__ = ("_folded", "entities", "relations", "waiting")

    def __init__(self, entities: Mapping[str, Entity], relations: Mapping[str, Relation]) -> None:
        self.entities = entities
        self.relations = relations
        self._folded: dict[str, tuple[str, ...]] = {}
        self.waiting: list[tuple[Fact, str, FileReport, Position]] = []

    def names(self, entity_id: str) -> tuple[str, ...]:
        """The entity's names, folded (each once), as the words a folded quote is searched for: each name, then
        each name with a possessive *s*, with a space on either side."""
        found = self._folded.get(entity_id)
        if found is None:
            e = self.entities.get(entity_id)
            raw = (entity_id,) if e is None else (e.id, e.name, *e.aliases)
            folded = [n for n in dict.fromkeys(map(fold, raw)) if n]
            found = self._folded[entity_id] = tuple(f" {n}{s} " for n in folded for s in ("", "s"))
        return found

    def named(self, folded_quote: str, entity_ids: Iterable[str]) -> bool:
        """Whether the folded quote holds a name of one of the entities, as whole words (possessive *s* allowed)."""
        padded = f" {folded_quote} "
        return any(words in padded for eid in entity_ids for words in self.names(eid))

    def check(self, fact: Fact, at: FileReport, pos: Position) -> None:
        """Settle a fact whose quote names an end directly; keep the others for :meth:`finish`."""
        folded = fold(fact.quote)
        if not self.named(folded, (fact.subject, fact.object)):
            self.waiting.append((fact, folded, at, pos))

    def finish(self, facts: Iterable[Fact]) -> None:
        """Warn for each waiting quote that names no entity linked by acts-for to either end either."""
        if not self.waiting:
            return
        linked: dict[str, set[str]] = {}
        for f in facts:
            relation = self.relations.get(f.relation)
            if relation is not None and relation.acts_for:
                linked.setdefault(f.subject, set()).add(f.object)
                linked.setdefault(f.object, set()).add(f.subject)
        for fact, folded, at, pos in self.waiting:
            ends = (fact.subject, fact.object)
            others = sorted(set().union(*(linked.get(e, set()) for e in ends)) - set(ends))
            if self.named(folded, others):
                continue
            at.warn(
                pos,
                f"the quote of the fact at line {fact.line} names neither {fact.subject!r} nor {fact.object!r} "
                "(by a name, an alias, or an entity acting for one); quote the words that name one, or say "
                "which end the text leaves unnamed with 'implicit: subject', 'object' or 'both'",
            )
        self.waiting.clear()
