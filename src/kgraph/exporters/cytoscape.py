"""Cytoscape.js ``elements`` JSON (also opened by Cytoscape desktop: File → Import → Network from File).

``{"data": {...}, "elements": {"nodes": [{"data": {...}}, ...], "edges": [{"data": {...}}, ...]}}``

- node ``data``: ``id`` (the entity id), ``label`` and ``name`` (the entity name; ``name`` is
  what Cytoscape desktop shows), ``kgid``, ``entity_type``, ``aliases`` (a list), ``description``,
  ``color``, ``size``;
- edge ``data``: ``id`` (the fact id), ``source``, ``target`` (entity ids), ``label`` (relation
  label), ``kgid``, ``relation``, ``polarity``, ``date``, ``start``, ``end``, ``quote``,
  ``article`` (the source article's id), ``according_to``, ``qualifiers`` (an object),
  ``symmetric``, ``color``.

Absent values are left out. Style them with e.g. ``'background-color': 'data(color)'``
and ``label: 'data(label)'``. Nodes come before edges and every edge's ends exist, so
``cytoscape({elements})`` loads every element.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ..palette import entity_colour, hex_colour, polarity_colour
from ..selection import degree
from .shared import Target, creator, json_pieces, node_size, sorted_entities, sorted_facts, streamed, write_pieces

if TYPE_CHECKING:
    from ..knowledge import KnowledgeGraph
    from ..model import Fact

__all__ = ["data", "export", "pieces", "render"]


def _present(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None}


def data(kg: KnowledgeGraph) -> dict[str, Any]:
    """The Cytoscape.js JSON dict of ``kg``."""
    return _frame(list(_nodes(kg)), list(_edges(kg, sorted_facts(kg))))


def _frame(nodes: object, edges: object) -> dict[str, Any]:
    return {
        "format_version": "1.0",
        "generated_by": creator(),
        "data": {"name": "kgraph"},
        "elements": {"nodes": nodes, "edges": edges},
    }


def _nodes(kg: KnowledgeGraph) -> Iterator[dict[str, Any]]:
    deg = degree(kg)
    for e in sorted_entities(kg):
        yield {
            "data": _present(
                {
                    "id": e.id,
                    "label": e.name,
                    "name": e.name,
                    "kgid": e.id,
                    "entity_type": e.type,
                    "aliases": list(e.aliases),
                    "description": e.description or None,
                    "color": hex_colour(entity_colour(e.type)),
                    "size": node_size(deg.get(e.id, 0)),
                }
            )
        }


def _edges(kg: KnowledgeGraph, facts: list[Fact]) -> Iterator[dict[str, Any]]:
    for f in facts:
        rel = kg.relations[f.relation]
        yield {
            "data": _present(
                {
                    "id": f.id,
                    "source": f.subject,
                    "target": f.object,
                    "label": rel.label,
                    "kgid": f.id,
                    "relation": f.relation,
                    "polarity": f.polarity,
                    "date": f.date,
                    "start": f.start,
                    "end": f.end,
                    "quote": f.quote,
                    "article": f.source,
                    "according_to": f.according_to,
                    "qualifiers": dict(sorted(f.qualifiers)),
                    "symmetric": rel.symmetric,
                    "color": hex_colour(polarity_colour(f.polarity)),
                }
            )
        }


def render(kg: KnowledgeGraph) -> str:
    """The JSON text (UTF-8, sorted keys, final newline)."""
    return "".join(pieces(kg))


def pieces(kg: KnowledgeGraph) -> Iterator[str]:
    """The JSON text in pieces: nodes and edges encoded a batch at a time, as they are made."""
    facts = sorted_facts(kg)  # (checked before the first piece: no fact dangles)
    document = _frame(streamed("nodes"), streamed("edges"))
    return json_pieces(document, {"nodes": _nodes(kg), "edges": _edges(kg, facts)})


def export(kg: KnowledgeGraph, stream_or_path: Target) -> None:
    """Write ``kg`` as Cytoscape.js JSON to a path (atomically) or an open stream, as it is made."""
    write_pieces(pieces(kg), stream_or_path)
