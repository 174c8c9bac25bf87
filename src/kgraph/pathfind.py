"""Paths between two entities, found by searching outward from both ends over the store's indexes.

``kgraph path`` treats the dataset as an undirected simple graph: entities
are nodes, and two entities are joined when some fact (of an allowed
relation) has them as its ends, whichever way round. This module answers
on that graph without building it: each step of the search asks
:meth:`kgraph.knowledge.KnowledgeGraph.neighbour_ids` about one whole ring
of entities, so the work grows with the part of the dataset the search
reaches, not with the dataset (the compiled cache answers from its columns
without making a single fact).

- :func:`shortest_paths`: a bidirectional breadth-first search (each round
  widens the smaller of the two frontiers) finds the distance; the rings it
  walked hold every shortest path, which are then listed in sorted order.
- :func:`simple_paths`: every simple path of at most ``hops`` steps, by
  length then in sorted order: a depth-first search from the source that
  never enters an entity farther from the target than the steps it has
  left (distances from a breadth-first search around the target).

Both return the same paths, in the same order, as ``sorted(nx.all_shortest_paths(g, a, b))``
and ``sorted(nx.all_simple_paths(g, a, b, cutoff=hops), key=lambda p: (len(p), p))`` on
that graph (the tests hold them to networkx); both stop once they have
``limit`` paths and know whether there are more, where networkx lists them all.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .knowledge import KnowledgeGraph

__all__ = ["Found", "shortest_paths", "simple_paths"]

Found = tuple[list[list[str]], bool]
"""The first ``limit`` paths (each a list of entity ids, source first) and whether there were more."""


class _Rings:
    """A breadth-first search from one entity, one ring at a time.

    ``dist`` maps each entity reached to its distance; ``parents`` each
    entity reached (the start apart) to its neighbours one ring nearer the
    start; ``frontier`` is the outermost ring, at distance ``radius``.
    """

    __slots__ = ("dist", "frontier", "parents", "radius")

    def __init__(self, start: str) -> None:
        self.dist: dict[str, int] = {start: 0}
        self.parents: dict[str, list[str]] = {}
        self.frontier: list[str] = [start]
        self.radius = 0

    def widen(self, kg: KnowledgeGraph, allowed: set[str] | None) -> list[str]:
        """Reach the next ring; returns it (empty when nothing new is reachable)."""
        near = kg.neighbour_ids(self.frontier, allowed)
        ring: list[str] = []
        step = self.radius + 1
        dist, parents = self.dist, self.parents
        for u in self.frontier:
            for v in near[u]:
                d = dist.get(v)
                if d is None:
                    dist[v] = step
                    parents[v] = [u]
                    ring.append(v)
                elif d == step:
                    parents[v].append(u)
        self.frontier = ring
        self.radius = step
        return ring


def shortest_paths(
    kg: KnowledgeGraph, a: str, b: str, allowed: set[str] | None, *, limit: int, max_hops: int | None = None
) -> Found:
    """The shortest paths from ``a`` to ``b`` (two different entities), sorted; none when longer than ``max_hops``.

    Each round widens the side whose frontier is smaller. The first ring
    that touches the other side's rings gives the distance, and the entities
    of that ring the other side had reached are where the shortest paths
    meet; each is reached from ``a`` through its ``parents`` on one side and
    leads to ``b`` through its ``parents`` on the other.
    """
    ahead, behind = _Rings(a), _Rings(b)
    while max_hops is None or ahead.radius + behind.radius < max_hops:
        near, far = (ahead, behind) if len(ahead.frontier) <= len(behind.frontier) else (behind, ahead)
        ring = near.widen(kg, allowed)
        if not ring:
            return [], False  # that side's part of the graph is used up: no path
        meet = [v for v in ring if v in far.dist]
        if meet:
            return _listed(_through(ahead, behind, meet, a, b), limit)
    return [], False


def _through(ahead: _Rings, behind: _Rings, meet: list[str], a: str, b: str) -> Iterator[list[str]]:
    """Every shortest path, in sorted order: a depth-first walk that tries the next entities in sorted order.

    ``meet`` are the entities where the two searches met (every shortest
    path passes through exactly one). The walk steps from an entity on
    ``a``'s side to those of the next ring that lead to ``meet``, and from
    ``meet`` on to ``b`` through ``behind``'s parents, so every branch it
    takes ends at ``b``: the paths come out sorted, and listing the first
    few costs only those few.
    """
    onward: dict[str, list[str]] = {}  # entity -> its next entities on some shortest path
    todo = list(meet)
    while todo:  # a's side: from the meeting entities back to a
        v = todo.pop()
        for u in ahead.parents.get(v, ()):
            if u not in onward:
                onward[u] = []
                todo.append(u)
            onward[u].append(v)
    todo = list(meet)
    while todo:  # b's side: from the meeting entities on to b
        v = todo.pop()
        if v not in onward:
            onward[v] = nexts = list(behind.parents.get(v, ()))
            todo += nexts
    for nexts in onward.values():
        nexts.sort()
    path = [a]
    stack = [iter(onward.get(a, ()))]
    while stack:
        nxt = next(stack[-1], None)
        if nxt is None:
            stack.pop()
            path.pop()
        elif nxt == b:
            yield [*path, b]
        else:
            path.append(nxt)
            stack.append(iter(onward[nxt]))


def simple_paths(kg: KnowledgeGraph, a: str, b: str, allowed: set[str] | None, *, limit: int, hops: int) -> Found:
    """Every simple path from ``a`` to ``b`` of at most ``hops`` steps, shortest first, then sorted.

    A breadth-first search around ``b`` (up to ``hops`` - 1 rings) gives each
    entity's distance to it; then, for each length in turn, a depth-first
    search from ``a`` tries its neighbours in sorted order and skips any
    entity already on the path or too far from ``b`` for the steps left, so
    the paths of one length come out sorted and the search stops after the
    ``limit`` + 1st.
    """
    around = _Rings(b)
    while around.radius < hops - 1 and around.widen(kg, allowed):
        pass
    to_b = around.dist
    near: dict[str, list[str]] = {}

    def neighbours(v: str) -> list[str]:
        found = near.get(v)
        if found is None:
            found = near[v] = sorted(kg.neighbour_ids([v], allowed)[v])
        return found

    def of_length(length: int) -> Iterator[list[str]]:
        path = [a]
        on_path = {a}
        stack = [iter(neighbours(a))]
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                stack.pop()
                on_path.discard(path.pop())
                continue
            left = length - len(path)  # steps left after this one
            if nxt in on_path or to_b.get(nxt, hops + 1) > left:
                continue
            if nxt == b:
                if left == 0:
                    yield [*path, b]
                continue
            path.append(nxt)
            on_path.add(nxt)
            stack.append(iter(neighbours(nxt)))

    def every() -> Iterator[list[str]]:
        # a may lie one ring beyond the search around b: its distance is one more than its nearest neighbour's
        closest = min((to_b[v] for v in neighbours(a) if v in to_b), default=hops)
        for length in range(closest + 1, hops + 1):
            yield from of_length(length)

    return _listed(every(), limit)


def _listed(paths: Iterator[list[str]], limit: int) -> Found:
    """The first ``limit`` of ``paths`` and whether there is another."""
    first: list[list[str]] = []
    for p in paths:
        if len(first) == limit:
            return first, True
        first.append(p)
    return first, False
