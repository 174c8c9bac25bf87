"""The dataset as a networkx ``MultiDiGraph`` — the one place that builds it.

Nodes are entity ids carrying ``name``, ``type``, ``aliases`` (a list) and
``description``; there is one edge per fact, keyed by the fact's stable id,
carrying ``relation``, ``polarity``, ``quote``, ``source`` and, when the fact
has them, ``date``, ``start``, ``end``, ``according_to`` and ``qualifiers``.
Absent values are left out rather than stored as ``None``.

>>> from kgraph import load
>>> g = load().graph
>>> g.nodes["belarus"]["type"]
'country'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx

    from .knowledge import KnowledgeGraph
    from .model import Fact

__all__ = ["build_graph", "fact_attributes"]


def fact_attributes(kg: KnowledgeGraph, f: Fact) -> dict[str, object]:
    """The attributes the edge of one fact carries (no None values)."""
    attrs: dict[str, object] = {
        "relation": f.relation,
        "label": kg.relations[f.relation].label,
        "polarity": f.polarity,
        "quote": f.quote,
        "source": f.source,
    }
    for key in ("date", "start", "end", "according_to"):
        value = getattr(f, key)
        if value is not None:
            attrs[key] = value
    if f.qualifiers:
        attrs["qualifiers"] = dict(f.qualifiers)
    return attrs


def build_graph(kg: KnowledgeGraph) -> nx.MultiDiGraph:
    """Build the MultiDiGraph of a knowledge graph (entities as nodes, facts as keyed edges)."""
    import networkx as nx

    g = nx.MultiDiGraph(sources=sorted(kg.sources))
    for e in kg.entities.values():
        g.add_node(e.id, name=e.name, type=e.type, aliases=list(e.aliases), description=e.description)
    for f in kg.facts:
        g.add_edge(f.subject, f.object, key=f.id, **fact_attributes(kg, f))
    return g
