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

import json
from typing import TYPE_CHECKING, Any

from ..palette import entity_colour, hex_colour, polarity_colour
from ..selection import degree
from .shared import Target, creator, node_size, sorted_entities, sorted_facts, write_text

if TYPE_CHECKING:
    from ..knowledge import KnowledgeGraph

__all__ = ["data", "export", "render"]


def _present(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None}


def data(kg: KnowledgeGraph) -> dict[str, Any]:
    """The Cytoscape.js JSON dict of ``kg``."""
    deg = degree(kg)
    nodes = [
        {
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
        for e in sorted_entities(kg)
    ]
    edges = []
    for f in sorted_facts(kg):
        rel = kg.relations[f.relation]
        edges.append(
            {
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
        )
    return {
        "format_version": "1.0",
        "generated_by": creator(),
        "data": {"name": "kgraph"},
        "elements": {"nodes": nodes, "edges": edges},
    }


def render(kg: KnowledgeGraph) -> str:
    """The JSON text (UTF-8, sorted keys, final newline)."""
    return json.dumps(data(kg), ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def export(kg: KnowledgeGraph, stream_or_path: Target) -> None:
    """Write ``kg`` as Cytoscape.js JSON to a path (atomically) or an open stream."""
    write_text(render(kg), stream_or_path)
