"""Explain's chains: the simple paths between two entities, shortest first, found near the two only.

:func:`kgraph.analysis.explain` shows at most ``limit`` chains of at most
``max_hops`` facts, and counts the rest. It used to build a networkx graph
of every fact and run Yen's algorithm (``networkx.shortest_simple_paths``) on
it, then count paths with ``networkx.all_simple_paths``: a second for the
graph at a million facts, and minutes for the count between two busy
entities. Here the same algorithm runs on the facts of the entities it
visits, and stops a search as soon as it can only find chains longer than
``max_hops``, so its work follows the neighbourhood of the two entities.

The chains shown must stay those networkx chose when several are equally
short, so :func:`shortest_simple_paths` is networkx's Yen algorithm step for
step (its bidirectional breadth-first search, which side it grows, the order
of its candidates), over neighbours listed in the order a networkx graph
built from the facts in dataset order lists them (:class:`Neighbours`). Its
one change: a search that can only find a chain too long gives up, which
changes nothing shown, since such chains come out after every shorter one.

:func:`count_simple_paths` counts chains by formula up to three hops (the
common case: chains through a common neighbour, or through two neighbours
joined by a fact), and by walking them beyond.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Collection, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .knowledge import KnowledgeGraph

__all__ = ["Neighbours", "count_simple_paths", "shortest_simple_paths"]

_Edges = set[tuple[str, str]]
_COUNT_BATCH = 256  # neighbour sets read at once while counting three-hop chains (see count_simple_paths)


class Neighbours:
    """The entities one fact away from each entity (self-loops left out), each once, read when first asked.

    In the order of the first fact joining them in ``kg.facts``: the order in
    which a networkx ``Graph`` built from every fact lists neighbours, which
    decides which of two equally short chains a search finds first. The
    compiled cache reads it from its columns; any other store is asked for
    every fact's place once (it holds them all in memory anyway).
    """

    def __init__(self, kg: KnowledgeGraph) -> None:
        self.kg = kg
        self._place: dict[int, int] | None = None  # id() of each fact -> its place in kg.facts (other stores)
        self._lists: dict[str, list[str]] = {}
        self._sets: dict[str, frozenset[str]] = {}
        self._members: dict[str, frozenset[str]] = {}
        # the store's own, read from its columns without making facts (the compiled cache), if it has one
        self._in_order: Callable[[str], list[str]] | None = getattr(kg.store, "neighbours_in_order", None)

    def __call__(self, entity_id: str) -> list[str]:
        found = self._lists.get(entity_id)
        if found is None and self._in_order is not None:
            found = self._lists[entity_id] = list(self._in_order(entity_id))
        if found is None:
            if self._place is None:
                self._place = {id(f): n for n, f in enumerate(self.kg.facts)}
            place = self._place
            facts = sorted(self.kg.facts_of(entity_id), key=lambda f: place[id(f)])
            found = self._lists[entity_id] = list(
                dict.fromkeys(f.object if f.subject == entity_id else f.subject for f in facts if f.subject != f.object)
            )
        return found

    def members(self, entity_id: str) -> frozenset[str]:
        """The entities of ``self(entity_id)`` as a set, made from that list once (what a search tests against)."""
        found = self._members.get(entity_id)
        if found is None:
            found = self._members[entity_id] = frozenset(self(entity_id))
        return found

    def set_of(self, entity_id: str) -> frozenset[str]:
        """The same neighbours as a set (what counting needs: no order, so no fact made when the store can help)."""
        found = self._sets.get(entity_id)
        if found is None:
            self.read_sets([entity_id])
            found = self._sets[entity_id]
        return found

    def read_sets(self, ids: Collection[str]) -> None:
        """Read the neighbour sets of ``ids`` at once: from the store's columns (``neighbour_ids``), not its facts."""
        missing = [i for i in ids if i not in self._sets]
        if missing:
            for entity_id, near in self.kg.neighbour_ids(missing).items():
                self._sets[entity_id] = frozenset(near - {entity_id})


def _path(pred: dict[str, str | None], succ: dict[str, str | None], meet: str) -> list[str]:
    path: list[str] = []
    w: str | None = meet
    while w is not None:
        path.append(w)
        w = succ[w]
    w = pred[path[0]]
    while w is not None:
        path.insert(0, w)
        w = pred[w]
    return path


def _shortest(
    near: Neighbours, source: str, target: str, ignore_nodes: set[str], ignore_edges: _Edges, budget: int
) -> list[str] | None:
    """networkx's bidirectional breadth-first search, giving up when only paths over ``budget`` hops remain.

    When neither side has met the other, the next level grown can only find a
    path of (levels grown so far) + 1 hops, so the search stops before that
    exceeds ``budget``. Until then it is networkx's, choice for choice.
    """
    if source in ignore_nodes or target in ignore_nodes:
        return None
    banned: dict[str, set[str]] = {}  # the ignored edges, from either end
    for v, w in ignore_edges:
        banned.setdefault(v, set()).add(w)
        banned.setdefault(w, set()).add(v)

    def around(v: str) -> list[str]:
        found = near(v)
        drop = banned.get(v)
        bad = ignore_nodes if drop is None else ignore_nodes | drop
        if not bad or bad.isdisjoint(near.members(v)):  # (a hub's 16,000 neighbours are not copied for nothing)
            return found
        return list(itertools.filterfalse(bad.__contains__, found))

    pred: dict[str, str | None] = {source: None}
    succ: dict[str, str | None] = {target: None}
    forward, reverse = [source], [target]
    grown = 0
    while forward and reverse and grown < budget:
        grown += 1
        if len(forward) <= len(reverse):
            forward, meet = _grow(forward, around, pred, succ)
        else:
            reverse, meet = _grow(reverse, around, succ, pred)
        if meet is not None:
            return _path(pred, succ, meet)
    return None


def _grow(
    level: list[str], around: Callable[[str], list[str]], seen: dict[str, str | None], other: dict[str, str | None]
) -> tuple[list[str], str | None]:
    """One level of one side of the search: the next fringe, and where it met the other side (None: not yet).

    Each entity's neighbours are taken in order, new ones joining the fringe,
    until one is on the other side. The membership tests run in C (a level
    next to a hub holds thousands of entities with tens of thousands of
    neighbours), and only a list that meets the other side is walked one by one.
    """
    fringe: list[str] = []
    disjoint = other.keys().isdisjoint
    for v in level:
        ws = around(v)
        if disjoint(ws):
            new = list(itertools.filterfalse(seen.__contains__, ws))
            fringe += new
            seen.update(dict.fromkeys(new, v))
            continue
        for w in ws:
            if w not in seen:
                fringe.append(w)
                seen[w] = v
            if w in other:
                return fringe, w
    return fringe, None


def shortest_simple_paths(near: Neighbours, source: str, target: str, max_hops: int) -> Iterator[list[str]]:
    """The simple paths from ``source`` to ``target`` of at most ``max_hops`` hops, shortest first.

    As ``networkx.shortest_simple_paths`` yields them on the graph of every
    fact (Yen's algorithm, unweighted), up to the first longer one.
    """
    found: list[list[str]] = []
    heap: list[tuple[int, int, list[str]]] = []
    queued: set[tuple[str, ...]] = set()
    counter = itertools.count()

    def push(path: list[str]) -> None:
        if tuple(path) not in queued:
            heapq.heappush(heap, (len(path), next(counter), path))
            queued.add(tuple(path))

    first = _shortest(near, source, target, set(), set(), max_hops)
    if first is not None:
        push(first)
    while heap:
        _, _, path = heapq.heappop(heap)
        queued.remove(tuple(path))
        yield path
        found.append(path)
        ignore_nodes: set[str] = set()
        ignore_edges: _Edges = set()
        for i in range(1, len(path)):
            root = path[:i]
            for other in found:
                if other[:i] == root:
                    ignore_edges.add((other[i - 1], other[i]))
            spur = _shortest(near, root[-1], target, ignore_nodes, ignore_edges, max_hops - (i - 1))
            if spur is not None:
                push(root[:-1] + spur)
            ignore_nodes.add(root[-1])


def count_simple_paths(near: Neighbours, a: str, b: str, max_hops: int, cap: int) -> int:
    """How many simple paths of at most ``max_hops`` hops join ``a`` and ``b`` (``a != b``), up to ``cap``.

    Up to three hops by formula: the fact joining them, the common
    neighbours, and for each neighbour ``x`` of one end the neighbours of
    ``x`` that are neighbours of the other (neither end itself). Beyond, by
    walking every such path, stopping at ``cap``.
    """
    if max_hops > 3:
        return _walk_count(near, a, b, max_hops, cap)
    na, nb = near.set_of(a), near.set_of(b)
    total = int(b in na)
    if max_hops >= 2:
        total += len(na & nb)  # (no entity is its own neighbour, and a, b are not common neighbours)
    if max_hops >= 3:
        if len(nb) < len(na):
            a, b, na, nb = b, a, nb, na
        # the neighbours' sets are read a batch at a time, and counting stops at ``cap``: between two hubs of a
        # million facts the cap is reached after a seventh of one's 13,580 neighbours, and reading them all cost 1 s
        rest = [x for x in na if x != b]
        for start in range(0, len(rest), _COUNT_BATCH):
            if total >= cap:
                break
            batch = rest[start : start + _COUNT_BATCH]
            near.read_sets(batch)
            for x in batch:
                around = near.set_of(x)
                total += len(around & nb) - (a in nb and a in around)
    return min(total, cap)


def _walk_count(near: Neighbours, a: str, b: str, max_hops: int, cap: int) -> int:
    """Count by walking every simple path from ``a`` of at most ``max_hops`` hops (depth first), up to ``cap``."""
    total = 0
    path = [a]
    on_path = {a}
    stack = [iter(near.set_of(a))]
    while stack and total < cap:
        nxt = next(stack[-1], None)
        if nxt is None:
            stack.pop()
            on_path.discard(path.pop())
        elif nxt == b:
            total += 1
        elif nxt not in on_path and len(stack) < max_hops:
            path.append(nxt)
            on_path.add(nxt)
            stack.append(iter(near.set_of(nxt)))
    return min(total, cap)
