"""Plain-data forms of model values: the JSON shapes every answer uses.

An entity is ``{"id", "name", "type"}``. A fact is ``{"id", "subject",
"relation", "object", "polarity", "date", "source", "quote"}`` with subject
and object as entity objects, plus ``start``, ``end``, ``according_to``
(an entity object or null), ``qualifiers`` (an object), ``modality`` (how
firmly the source states it: ``asserted``, ``considered``, …) and
``disputed_by`` (the ids of the facts that contradict it; empty when none).
A claim of evidence is its first fact's record plus ``via``, ``facts`` (the
records of every fact reporting it), ``sources`` (their source ids) and a
``disputed_by`` covering every one of its facts.
Their types are :class:`kgraph.answers.EntityRef`, :class:`kgraph.answers.FactRecord`,
:class:`kgraph.answers.EvidenceFact` and :class:`kgraph.answers.DisputeRecord`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .answers import DisputeRecord, EntityRef, EvidenceFact, FactRecord
    from .claims import Claim
    from .knowledge import KnowledgeGraph
    from .model import Fact

__all__ = ["claim_record", "dispute_record", "entity_record", "fact_record"]


def entity_record(kg: KnowledgeGraph, entity_id: str) -> EntityRef:
    e = kg.entities[entity_id]
    return {"id": e.id, "name": e.name, "type": e.type}


def fact_record(kg: KnowledgeGraph, f: Fact) -> FactRecord:
    return {
        "id": f.id,
        "subject": entity_record(kg, f.subject),
        "relation": f.relation,
        "object": entity_record(kg, f.object),
        "polarity": f.polarity,
        "date": f.date,
        "start": f.start,
        "end": f.end,
        "source": f.source,
        "quote": f.quote,
        "according_to": entity_record(kg, f.according_to) if f.according_to else None,
        "qualifiers": dict(f.qualifiers),
        "modality": f.modality,
        "disputed_by": list(kg.disputed_by(f.id)),
    }


def claim_record(kg: KnowledgeGraph, claim: Claim, via: list[str]) -> EvidenceFact:
    """A claim as evidence: its first fact's record (``via``: the acts-for facts that fact needed), every fact, sources.

    ``disputed_by`` lists the facts disputing any fact of the claim, each once.
    """
    facts = [fact_record(kg, f) for f in claim.facts]
    disputed_by = list(dict.fromkeys(d for record in facts for d in record["disputed_by"]))
    return {**facts[0], "disputed_by": disputed_by, "via": via, "facts": facts, "sources": list(claim.sources)}


def dispute_record(kg: KnowledgeGraph, disputing: Fact, disputed: Fact, sources: dict[str, list[str]]) -> DisputeRecord:
    """One dispute: the contested fact and the fact contradicting it, each with the sources reporting its claim.

    ``sources`` maps a fact id to the source ids of its claim (its own source when absent).
    """
    return {
        "disputed": fact_record(kg, disputed),
        "disputed_sources": sources.get(disputed.id, [disputed.source]),
        "disputing": fact_record(kg, disputing),
        "disputing_sources": sources.get(disputing.id, [disputing.source]),
    }
