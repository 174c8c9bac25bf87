"""Plain-data forms of model values: the JSON shapes every answer uses.

An entity is ``{"id", "name", "type"}``. A fact is ``{"id", "subject",
"relation", "object", "polarity", "date", "source", "quote"}`` with subject
and object as entity objects, plus ``start``, ``end``, ``according_to``
(an entity object or null) and ``qualifiers`` (an object).
Their types are :class:`kgraph.answers.EntityRef` and :class:`kgraph.answers.FactRecord`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .answers import EntityRef, FactRecord
    from .knowledge import KnowledgeGraph
    from .model import Fact

__all__ = ["entity_record", "fact_record"]


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
    }
