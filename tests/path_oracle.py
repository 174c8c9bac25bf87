"""The ``path`` query as it was before :mod:`kgraph.pathfind`: a networkx graph of every fact, then networkx's
path functions. Kept as the oracle that tests/test_pathfind.py holds the new search to (same answers, same errors).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import networkx as nx

from kgraph.answers import Path, PathsAnswer
from kgraph.defaults import PATH_ALL_MAX_HOPS, PATH_LIMIT
from kgraph.errors import NoPath, UsageError
from kgraph.knowledge import KnowledgeGraph
from kgraph.query import _step, facts_between, relation_filter
from kgraph.records import entity_record


def undirected(kg: KnowledgeGraph, allowed: set[str] | None) -> nx.Graph:
    """The simple undirected graph ``path`` searches: every entity, an edge wherever an allowed fact joins two."""
    g = nx.Graph()
    g.add_nodes_from(kg.entities)
    g.add_edges_from((f.subject, f.object) for f in kg.facts if allowed is None or f.relation in allowed)
    return g


def node_paths(
    kg: KnowledgeGraph, a: str, b: str, allowed: set[str] | None, *, all_paths: bool, max_hops: int | None
) -> list[list[str]]:
    """Every path the old query listed, in its order (before ``--limit``)."""
    g = undirected(kg, allowed)
    if all_paths:
        hops = max_hops if max_hops is not None else PATH_ALL_MAX_HOPS
        return sorted(nx.all_simple_paths(g, a, b, cutoff=hops), key=lambda p: (len(p), p))
    try:
        found = sorted(nx.all_shortest_paths(g, a, b))
    except nx.NetworkXNoPath:
        found = []
    if max_hops is not None:
        found = [p for p in found if len(p) - 1 <= max_hops]
    return found


def paths(
    kg: KnowledgeGraph,
    source: str,
    target: str,
    *,
    all_paths: bool = False,
    max_hops: int | None = None,
    relations: Sequence[str] | None = None,
    limit: int = PATH_LIMIT,
) -> PathsAnswer:
    """The old ``kgraph.query.paths``, unchanged but for the helper above."""
    a, b = kg.entity(source).id, kg.entity(target).id
    if max_hops is not None and max_hops < 1:
        raise UsageError("--max-hops must be at least 1")
    if limit < 1:
        raise UsageError("--limit must be at least 1")
    allowed = relation_filter(kg, relations)
    if a == b:
        raise UsageError("a path needs two different entities")
    found_paths = node_paths(kg, a, b, allowed, all_paths=all_paths, max_hops=max_hops)
    if not found_paths:
        hops = max_hops if max_hops is not None else PATH_ALL_MAX_HOPS
        within = f" within {hops} hops" if (all_paths or max_hops) else ""
        only = f" using {', '.join(relations or [])}" if relations else ""
        raise NoPath(f"no path from {a!r} to {b!r}{within}{only}")
    found: list[Path] = []
    for p in found_paths[:limit]:
        steps = [_step(kg, facts_between(kg, u, v, allowed), u) for u, v in itertools.pairwise(p)]
        found.append({"length": len(steps), "steps": steps})
    return {
        "from": entity_record(kg, a),
        "to": entity_record(kg, b),
        "paths": found,
        "truncated": len(found_paths) > limit,
    }
