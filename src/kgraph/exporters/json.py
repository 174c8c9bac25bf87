"""Node-link JSON: the shape networkx's ``node_link_data`` / ``node_link_graph`` use.

``{"directed": true, "multigraph": true, "graph": {...}, "nodes": [...], "edges": [...]}``

- ``graph``: ``{"name": "kgraph", "creator": "kgraph <version>", "relations": [...], "sources": [...]}``
  with the relation vocabulary (id, label, polarity, parent, inverse, symmetric, acts_for,
  description) and the cited sources (id, title, published, url, publisher, author).
- each node: ``{"id", "name", "type", "aliases", "description", "color", "size"}``
  (``id`` = the entity id);
- each edge: ``{"id", "key", "source", "target", "relation", "label", "polarity", "date",
  "start", "end", "quote", "article", "according_to", "qualifiers", "color"}``
  (``id`` = ``key`` = the fact id; ``source``/``target`` are entity ids and ``article`` is the
  source article's id). Absent values are ``null`` (JSON has no NaN here), qualifiers an object.

Read it back with ``networkx.node_link_graph(data, edges="edges")``. Any text survives
(JSON escapes control characters). Keys are sorted and the output ends with a newline,
so the same data always gives the same bytes.
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


def data(kg: KnowledgeGraph) -> dict[str, Any]:
    """The node-link dict of ``kg``."""
    return {**_frame(kg), "nodes": list(_nodes(kg)), "edges": list(_edges(kg, sorted_facts(kg)))}


def _frame(kg: KnowledgeGraph) -> dict[str, Any]:
    """The document without its nodes and edges."""
    return {
        "directed": True,
        "multigraph": True,
        "graph": {
            "name": "kgraph",
            "creator": creator(),
            "relations": [
                {
                    "id": r.id,
                    "label": r.label,
                    "polarity": r.polarity,
                    "parent": r.parent,
                    "inverse": r.inverse,
                    "symmetric": r.symmetric,
                    "acts_for": r.acts_for,
                    "description": r.description,
                }
                for r in sorted(kg.relations.values(), key=lambda r: r.id)
            ],
            "sources": [
                {
                    "id": s.id,
                    "title": s.title,
                    "published": s.published,
                    "url": s.url,
                    "publisher": s.publisher,
                    "author": s.author,
                }
                for s in sorted(kg.sources.values(), key=lambda s: s.id)
            ],
        },
    }


def _nodes(kg: KnowledgeGraph) -> Iterator[dict[str, Any]]:
    deg = degree(kg)
    for e in sorted_entities(kg):
        yield {
            "id": e.id,
            "name": e.name,
            "type": e.type,
            "aliases": list(e.aliases),
            "description": e.description,
            "color": hex_colour(entity_colour(e.type)),
            "size": node_size(deg.get(e.id, 0)),
        }


def _edges(kg: KnowledgeGraph, facts: list[Fact]) -> Iterator[dict[str, Any]]:
    for f in facts:
        yield {
            "id": f.id,
            "key": f.id,
            "source": f.subject,
            "target": f.object,
            "relation": f.relation,
            "label": kg.relations[f.relation].label,
            "polarity": f.polarity,
            "date": f.date,
            "start": f.start,
            "end": f.end,
            "quote": f.quote,
            "article": f.source,
            "according_to": f.according_to,
            "qualifiers": dict(sorted(f.qualifiers)),
            "color": hex_colour(polarity_colour(f.polarity)),
        }


def render(kg: KnowledgeGraph) -> str:
    """The JSON text (UTF-8, sorted keys, two-space indent, final newline)."""
    return "".join(pieces(kg))


def pieces(kg: KnowledgeGraph) -> Iterator[str]:
    """The JSON text in pieces: nodes and edges encoded a batch at a time, as they are made."""
    facts = sorted_facts(kg)  # (checked before the first piece: no fact dangles)
    document = {**_frame(kg), "nodes": streamed("nodes"), "edges": streamed("edges")}
    return json_pieces(document, {"nodes": _nodes(kg), "edges": _edges(kg, facts)})


def export(kg: KnowledgeGraph, stream_or_path: Target) -> None:
    """Write ``kg`` as node-link JSON to a path (atomically) or an open stream, as it is made."""
    write_pieces(pieces(kg), stream_or_path)
