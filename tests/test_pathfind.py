"""``path`` searches the store's indexes (kgraph.pathfind) and answers exactly as the networkx version did.

networkx is the oracle: tests/path_oracle.py keeps the old query, which built
a networkx graph of every fact and asked ``all_shortest_paths`` or
``all_simple_paths``. Random multigraphs (parallel facts, self-loops, both
directions, parts that do not connect), the bundled data and generated
datasets read back from the compiled cache must give the same answers, the
same errors and the same messages, for shortest paths, ``--all``,
``--max-hops``, ``--relation`` and ``--limit``.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

import path_oracle
import pytest
from conftest import BUNDLED, SMALL_RELATIONS, generate_dataset
from hypothesis import given, settings
from hypothesis import strategies as st

import kgraph
from kgraph import pathfind, query
from kgraph.errors import KGraphError
from kgraph.knowledge import KnowledgeGraph, MemoryFactStore
from kgraph.model import Entity, Fact, Source

RELATION_IDS = [r.id for r in SMALL_RELATIONS]
FILTERS: list[list[str] | None] = [None, ["cooperates"], ["supports"], ["opposes", "leads"], ["meets_with"]]


def outcome(fn: Any, *args: Any, **kwargs: Any) -> tuple[str, Any]:
    """An answer, or the error it raised (class and message), so that both sides compare whole."""
    try:
        return "answer", fn(*args, **kwargs)
    except KGraphError as e:
        return type(e).__name__, str(e)


def same_as_oracle(kg: KnowledgeGraph, a: str, b: str, **options: Any) -> None:
    assert outcome(query.paths, kg, a, b, **options) == outcome(path_oracle.paths, kg, a, b, **options), options


def graph_of(n: int, edges: Sequence[tuple[int, str, int]]) -> KnowledgeGraph:
    """A graph of entities e0..e(n-1) and one fact per edge (subject index, relation, object index)."""
    source = Source(id="s", title="S", published="2021", text_path="/none/s.txt", path="/none/s.yaml")
    polarity = {r.id: r.polarity for r in SMALL_RELATIONS}
    facts = [
        Fact(id=f"f{k}", subject=f"e{s}", relation=r, object=f"e{o}", polarity=polarity[r], quote="q", source="s")
        for k, (s, r, o) in enumerate(edges)
    ]
    entities = [Entity(f"e{i}", f"Entity {i}", "country", "An entity.") for i in range(n)]
    return KnowledgeGraph(SMALL_RELATIONS, entities, [source], facts)


@st.composite
def multigraphs(draw: st.DrawFn) -> tuple[int, list[tuple[int, str, int]]]:
    n = draw(st.integers(2, 9))
    node = st.integers(0, n - 1)
    edges = draw(st.lists(st.tuples(node, st.sampled_from(RELATION_IDS), node), max_size=30))
    return n, edges


@settings(max_examples=400, deadline=None)
@given(
    graph=multigraphs(),
    ends=st.tuples(st.integers(0, 8), st.integers(0, 8)),
    all_paths=st.booleans(),
    max_hops=st.none() | st.integers(0, 6),
    relations=st.sampled_from(FILTERS),
    limit=st.sampled_from([1, 2, 3, 20]),
)
def test_random_multigraphs_answer_as_networkx(
    graph: tuple[int, list[tuple[int, str, int]]],
    ends: tuple[int, int],
    all_paths: bool,
    max_hops: int | None,
    relations: list[str] | None,
    limit: int,
) -> None:
    n, edges = graph
    kg = graph_of(n, edges)
    a, b = f"e{ends[0] % n}", f"e{ends[1] % n}"
    same_as_oracle(kg, a, b, all_paths=all_paths, max_hops=max_hops, relations=relations, limit=limit)


@settings(max_examples=200, deadline=None)
@given(graph=multigraphs(), all_paths=st.booleans(), hops=st.integers(1, 6), relations=st.sampled_from(FILTERS))
def test_every_path_of_every_pair_in_networkx_order(
    graph: tuple[int, list[tuple[int, str, int]]], all_paths: bool, hops: int, relations: list[str] | None
) -> None:
    """The searches themselves, with no limit in the way: every path networkx lists, in its order."""
    n, edges = graph
    kg = graph_of(n, edges)
    allowed = query.relation_filter(kg, relations)
    for a, b in itertools.permutations(kg.entities, 2):
        expected = path_oracle.node_paths(kg, a, b, allowed, all_paths=all_paths, max_hops=hops)
        if all_paths:
            got = pathfind.simple_paths(kg, a, b, allowed, limit=10**6, hops=hops)
        else:
            got = pathfind.shortest_paths(kg, a, b, allowed, limit=10**6, max_hops=hops)
        assert got == (expected, False), (a, b)
        if len(expected) > 1:  # the limit keeps the first ones and says there were more
            cut = 1 if all_paths else len(expected) - 1
            if all_paths:
                got = pathfind.simple_paths(kg, a, b, allowed, limit=cut, hops=hops)
            else:
                got = pathfind.shortest_paths(kg, a, b, allowed, limit=cut, max_hops=hops)
            assert got == (expected[:cut], True)


def test_many_shortest_paths_are_listed_in_order_and_cut_at_the_limit() -> None:
    # a ladder: every one of the 3**4 routes through four layers of three is a shortest path
    layers = [["a"], *[[f"m{i}{j}" for j in range(3)] for i in range(4)], ["z"]]
    index = {name: k for k, name in enumerate(itertools.chain.from_iterable(layers))}
    edges = [(index[u], "supports", index[v]) for x, y in itertools.pairwise(layers) for u in x for v in y]
    kg = graph_of(len(index), edges)
    a, z = f"e{index['a']}", f"e{index['z']}"
    expected = path_oracle.node_paths(kg, a, z, None, all_paths=False, max_hops=None)
    assert len(expected) == 81
    assert pathfind.shortest_paths(kg, a, z, None, limit=81) == (expected, False)
    assert pathfind.shortest_paths(kg, a, z, None, limit=5) == (expected[:5], True)
    for limit in (1, 20, 80, 81):
        same_as_oracle(kg, a, z, limit=limit)
        same_as_oracle(kg, a, z, limit=limit, all_paths=True, max_hops=6)


@pytest.fixture(scope="module")
def bundled_kg() -> KnowledgeGraph:
    kgraph.load(BUNDLED)  # writes the cache entry (if the session has not yet)
    return kgraph.load(BUNDLED)


@pytest.mark.parametrize("relations", [None, ["cooperates"], ["opposes"]])
def test_every_pair_of_the_bundled_data(bundled_kg: KnowledgeGraph, relations: list[str] | None) -> None:
    for a, b in itertools.permutations(sorted(bundled_kg.entities), 2):
        same_as_oracle(bundled_kg, a, b, relations=relations)
        same_as_oracle(bundled_kg, a, b, relations=relations, all_paths=True, max_hops=3, limit=5)
    same_as_oracle(bundled_kg, "china", "russia", all_paths=True)


def test_the_usage_errors_are_the_same(bundled_kg: KnowledgeGraph) -> None:
    for options in ({"max_hops": 0}, {"max_hops": -2, "all_paths": True}, {"limit": 0}):
        same_as_oracle(bundled_kg, "china", "russia", **options)
    same_as_oracle(bundled_kg, "china", "China")
    same_as_oracle(bundled_kg, "china", "nowhere-at-all")
    same_as_oracle(bundled_kg, "china", "russia", relations=["no-such-relation"])


@pytest.fixture(scope="module", params=[1_000, 10_000], ids=["1k", "10k"])
def generated(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> KnowledgeGraph:
    """A generated dataset, read back from the compiled cache (the second load)."""
    root = generate_dataset(request.param, tmp_path_factory.mktemp("paths") / "data", seed=11)
    kgraph.load(root)
    kg = kgraph.load(root)
    assert hasattr(kg.store, "neighbour_ids")  # the compiled store's own, not the default
    return kg


def test_generated_datasets_answer_as_networkx(generated: KnowledgeGraph) -> None:
    rng = random.Random(7)
    ids = sorted(generated.entities)
    pairs = [tuple(rng.sample(ids, 2)) for _ in range(40)]
    for (a, b), relations in zip(pairs, itertools.cycle(FILTERS[:2] + [["opposes"]]), strict=False):
        same_as_oracle(generated, a, b, relations=relations, limit=10)
        same_as_oracle(generated, a, b, relations=relations, max_hops=2, limit=3)
    for a, b in pairs[:8]:
        same_as_oracle(generated, a, b, all_paths=True, max_hops=2, limit=15)


def test_the_compiled_store_finds_neighbours_without_making_facts(generated: KnowledgeGraph) -> None:
    store = generated.store
    before = store.made()  # type: ignore[attr-defined]
    ids = sorted(generated.entities)
    for allowed in (None, {"supports"}, query.relation_filter(generated, ["cooperates"]), set()):
        got = generated.neighbour_ids([*ids, "not-an-entity"], allowed)
        assert store.made() == before  # type: ignore[attr-defined]
        expected = KnowledgeGraph([], [], [], MemoryFactStore(generated.store.all())).neighbour_ids(
            [*ids, "not-an-entity"], allowed
        )
        assert got == expected
        assert got["not-an-entity"] == set()


class TouchingStore:
    """A store answering a whole ring in one call, like a SPARQL store's one query per round (counts its calls)."""

    def __init__(self, facts: Sequence[Fact]) -> None:
        self.inner = MemoryFactStore(facts)
        self.rounds: list[set[str]] = []

    def __len__(self) -> int:
        return len(self.inner)

    def all(self) -> tuple[Fact, ...]:
        return self.inner.all()

    def by_subject(self, entity_id: str) -> list[Fact]:
        raise AssertionError("a store with touching() is asked for rings, not one entity at a time")

    def by_object(self, entity_id: str) -> list[Fact]:
        raise AssertionError("a store with touching() is asked for rings, not one entity at a time")

    def touching(self, ids: Collection[str]) -> list[Fact]:
        self.rounds.append(set(ids))
        wanted = set(ids)
        return [f for f in self.inner.all() if f.subject in wanted or f.object in wanted]


def test_a_store_that_answers_rings_is_asked_once_per_ring(small: KnowledgeGraph) -> None:
    store = TouchingStore(small.facts)
    kg = KnowledgeGraph(small.relations.values(), small.entities.values(), small.sources.values(), store)
    ids = list(small.entities)
    assert kg.neighbour_ids(ids, None) == small.neighbour_ids(ids, None)
    assert sorted(f.id for f in kg.touching(["china", "luka"])) == sorted(
        {f.id for f in small.facts if {"china", "luka"} & {f.subject, f.object}}
    )
    store.rounds.clear()
    found = pathfind.shortest_paths(kg, "usa", "kazakhstan", None, limit=20)
    assert found == pathfind.shortest_paths(small, "usa", "kazakhstan", None, limit=20)
    assert found == (path_oracle.node_paths(small, "usa", "kazakhstan", None, all_paths=False, max_hops=None), False)
    assert 1 <= len(store.rounds) <= 2  # usa-belarus-kazakhstan: one ring from each end at most


def test_neighbour_ids_by_default_come_from_the_subject_and_object_indexes(small: KnowledgeGraph) -> None:
    near = small.neighbour_ids(["belarus", "island", "xi"], None)
    assert near == {
        "belarus": {"luka", "china", "amb", "russia", "kazakhstan", "usa"},
        "island": set(),
        "xi": {"china", "luka"},
    }
    assert small.neighbour_ids(["belarus"], {"sanctions"}) == {"belarus": {"usa"}}
    loop = graph_of(2, [(0, "supports", 0), (0, "supports", 1), (1, "opposes", 0)])
    assert loop.neighbour_ids(["e0", "e1"], None) == {"e0": {"e0", "e1"}, "e1": {"e0"}}


def test_path_files_a_no_path_error_like_before(tmp_path: Path) -> None:
    kg = graph_of(4, [(0, "supports", 1), (2, "opposes", 3)])
    assert outcome(query.paths, kg, "e0", "e3") == ("NoPath", "no path from 'e0' to 'e3'")
    same_as_oracle(kg, "e0", "e3", all_paths=True, relations=["supports"])
    same_as_oracle(kg, "e0", "e1", max_hops=1, relations=["opposes"])
