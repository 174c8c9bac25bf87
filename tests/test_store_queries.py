"""``--store``: the query commands answer from a SPARQL store with the local answer, byte for byte.

The fast tests run against an in-process pyoxigraph store (tests/store_fake.py)
filled the way ``kgraph push`` fills one; the store-level tests push to real
Oxigraph and Virtuoso servers (tests/stores.py) and compare whole processes.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import BUNDLED, REPO, generate_dataset
from store_fake import BASE, FakeClient, fill
from stores import Store
from typer.testing import CliRunner

import kgraph
from kgraph import query
from kgraph.cli import app
from kgraph.store import graph as store_graph
from kgraph.store.graph import open_graph

TRUST = REPO / "tests" / "fixtures" / "trust"
URL = "http://store.invalid:7878"

runner = CliRunner()

# (arguments) run locally with -d DATA and through --store; the bundled data's entities and options
BUNDLED_RUNS: list[tuple[str, ...]] = [
    ("who-supports", "belarus"),
    ("who-supports", "Lukashenka"),
    ("who-supports", "belarus", "--direct"),
    ("who-supports", "belarus", "--hedged"),
    ("who-supports", "china", "--as-of", "2020"),
    ("who-supports", "belarus", "--until", "2021-06", "--since", "2015"),
    ("who-opposes", "belarus"),
    ("who-opposes", "united-states", "--direct"),
    ("neighbours", "china"),
    ("neighbours", "belarus", "--depth", "2", "--direction", "in"),
    ("neighbours", "lukashenko", "--relation", "supports"),
    ("path", "china", "russia"),
    ("path", "china", "european-union", "--all", "--max-hops", "3"),
    ("path", "belarus", "china", "--relation", "cooperates"),
    ("facts",),
    ("facts", "--subject", "china"),
    ("facts", "--object", "belarus", "--relation", "supports"),
    ("facts", "--entity", "russia", "--since", "2021"),
    ("entity", "belarus"),
    ("entity", "xi"),
    ("stats",),
    ("stats", "--as-of", "2020"),
    ("relations",),
    ("relations", "--until", "2019"),
    ("explain", "china", "belarus"),
    ("explain", "russia", "belarus", "--max-hops", "2", "--hedged"),
    ("timeline", "belarus"),
    ("timeline", "belarus", "--representatives", "--since", "2020"),
]


class Stores:
    """Fake stores filled once per dataset folder, and the connect() the CLI uses swapped for them."""

    def __init__(self) -> None:
        self.clients: dict[str, FakeClient] = {}

    def url(self, data: Path) -> str:
        key = f"{URL}/{len(self.clients)}"
        client = FakeClient()
        fill(client, kgraph.load(data))
        self.clients[key] = client
        return key

    def connect(self, url: str, *, user: str | None = None) -> FakeClient:
        return self.clients[url]


@pytest.fixture
def stores(monkeypatch: pytest.MonkeyPatch, cache_dir: Path) -> Iterator[Stores]:
    s = Stores()
    monkeypatch.setattr(store_graph, "connect", s.connect)
    monkeypatch.delenv("KGRAPH_STORE", raising=False)
    yield s


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """Exit code, stdout, and kgraph's own lines on stderr (``note:``/``error:``).

    Only those lines: the runner swaps the process's stderr, and a server
    thread another test left behind may write there meanwhile.
    """
    result = runner.invoke(app, list(args), env=env)
    mine = [line for line in result.stderr.splitlines(keepends=True) if line.startswith(("note: ", "error: "))]
    return result.exit_code, result.stdout, "".join(mine)


def both(data: Path, url: str, args: tuple[str, ...]) -> None:
    """The command's JSON, exit code and notes are the same locally and through the store."""
    local = run("-d", str(data), *args, "-f", "json")
    remote = run("--store", url, *args, "-f", "json")
    assert remote == local, args


def test_bundled_commands_answer_as_locally(stores: Stores) -> None:
    url = stores.url(BUNDLED)
    for args in BUNDLED_RUNS:
        both(BUNDLED, url, args)


def test_unknown_names_fail_the_same(stores: Stores) -> None:
    url = stores.url(BUNDLED)
    for args in [("who-supports", "belarsu"), ("path", "china", "atlantis"), ("facts", "--relation", "suports")]:
        code, out, err = run("--store", url, *args, "-f", "json")
        assert code == 4 and err.startswith("error: ")
        assert (code, out, err) == run("-d", str(BUNDLED), *args, "-f", "json")


def test_trust_fixture_options(stores: Stores) -> None:
    url = stores.url(TRUST)
    kg = kgraph.load(TRUST)
    sources = sorted(kg.sources)
    targets = sorted({f.object for f in kg.facts})
    for target in targets:
        for opts in [(), ("--hedged",), ("--min-sources", "2"), ("--source", sources[0]), ("--as-of", "2020")]:
            both(TRUST, url, ("who-supports", target, *opts))
            both(TRUST, url, ("who-opposes", target, *opts))
        both(TRUST, url, ("entity", target))
        both(TRUST, url, ("timeline", target))
    both(TRUST, url, ("facts", "--source", sources[-1]))
    both(TRUST, url, ("stats", "--source", sources[0], "--source", sources[-1]))


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_dataset(2000, tmp_path_factory.mktemp("gen") / "data", seed=3)


def _sample(kg: kgraph.KnowledgeGraph, n: int) -> list[str]:
    """The busiest entities, then every k-th one by degree."""
    degree = {e: len(kg.out_facts(e)) + len(kg.in_facts(e)) for e in kg.entities}
    ranked = sorted(degree, key=lambda e: (-degree[e], e))
    return ranked[:3] + ranked[3 :: max(1, len(ranked) // n)][:n]


def test_generated_dataset(stores: Stores, generated: Path) -> None:
    url = stores.url(generated)
    kg = kgraph.load(generated)
    picks = _sample(kg, 6)
    for name in picks:
        both(generated, url, ("who-supports", name))
        both(generated, url, ("who-opposes", name, "--direct"))
    for a, b in zip(picks, picks[1:], strict=False):
        both(generated, url, ("path", a, b))


def _store_graph(data: Path) -> tuple[kgraph.KnowledgeGraph, FakeClient]:
    client = FakeClient(page_size=1000)
    fill(client, kgraph.load(data))
    return open_graph(client, URL, base=BASE, cache=False), client


def test_who_supports_never_reads_every_fact(bundled: kgraph.KnowledgeGraph) -> None:
    kg, _ = _store_graph(BUNDLED)
    for name in ("belarus", "china", "lukashenko"):
        assert query.who_supports(kg, name) == query.who_supports(bundled, name)
        assert query.who_opposes(kg, name, hedged=True) == query.who_opposes(bundled, name, hedged=True)
    calls = kg.store.calls  # type: ignore[attr-defined]
    assert "all" not in calls and calls["touching"] >= 1


def test_facts_match_the_loader_field_by_field(bundled: kgraph.KnowledgeGraph) -> None:
    kg, _ = _store_graph(BUNDLED)
    assert kg.facts == bundled.facts  # every field, in dataset order
    assert list(kg.entities.values()) == list(bundled.entities.values())
    assert list(kg.relations.values()) == list(bundled.relations.values())
    assert [s.id for s in kg.sources.values()] == list(bundled.sources)


def test_counts_come_from_count_queries(bundled: kgraph.KnowledgeGraph) -> None:
    kg, _ = _store_graph(BUNDLED)
    assert len(kg.store) == len(bundled.facts)
    counts = kg.store.relation_counts()  # type: ignore[attr-defined]
    assert counts == {r: sum(1 for f in bundled.facts if f.relation == r) for r in {f.relation for f in bundled.facts}}
    assert "all" not in kg.store.calls  # type: ignore[attr-defined]


def test_touching_is_one_query_per_batch(bundled: kgraph.KnowledgeGraph) -> None:
    kg, client = _store_graph(BUNDLED)
    calls = kg.store.calls  # type: ignore[attr-defined]
    ids = ["china", "russia", "belarus"]
    found = kg.store.touching(ids)  # type: ignore[attr-defined]
    assert calls == {"touching": 1}
    assert {f.id for f in found} == {f.id for f in bundled.facts if f.subject in ids or f.object in ids}
    assert kg.out_facts("china") == bundled.out_facts("china")
    assert kg.in_facts("belarus") == bundled.in_facts("belarus")
    assert calls == {"touching": 1}  # answered from what touching fetched
    assert kg.store.neighbour_ids(["china"]) == {  # type: ignore[attr-defined]
        "china": {f.object for f in bundled.out_facts("china")} | {f.subject for f in bundled.in_facts("china")}
    }


def test_facts_among_relations_ask_only_those_relations(bundled: kgraph.KnowledgeGraph) -> None:
    """by_object_among / by_subject_among answer as the filtered local facts; only the first entity is read whole."""
    kg, _ = _store_graph(BUNDLED)
    calls = kg.store.calls  # type: ignore[attr-defined]
    supports = {r.id for r in bundled.relations.values() if r.polarity == 1}
    assert kg.in_facts_among("belarus", supports) == bundled.in_facts_among("belarus", supports)
    assert calls == {"touching": 1}  # the first entity asked about: all its facts at once
    for entity in ("russia", "china", "lukashenko"):
        assert kg.in_facts_among(entity, supports) == bundled.in_facts_among(entity, supports)
        assert kg.out_facts_among(entity, supports) == bundled.out_facts_among(entity, supports)
    assert calls["touching"] == 1 and calls["by_object_among"] == 3
    assert not kg.store._out.keys() - {"belarus"}  # type: ignore[attr-defined]  # nobody else read whole


def test_tables_are_cached_by_dataset_hash(cache_dir: Path) -> None:
    client = FakeClient()
    fill(client, kgraph.load(BUNDLED))
    first = open_graph(client, URL, base=BASE)
    cold = len(client.queries)
    second = open_graph(client, URL, base=BASE)
    assert len(client.queries) == cold + 1  # the manifest only
    assert second.entities == first.entities and list(second.relations) == list(first.relations)
    assert second.entity("Lukashenka").id == "lukashenko"


# -- commands that need the whole dataset locally ----------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [("export", "graphml", "-o", "x.graphml"), ("validate",), ("blocs",), ("draw", "belarus"), ("sources",)],
)
def test_other_commands_refuse_store(stores: Stores, args: tuple[str, ...]) -> None:
    code, out, err = run("--store", URL, *args)
    assert code == 2 and out == ""
    assert err.startswith(f"error: {args[0]} needs the whole dataset locally") and err.count("\n") == 1


def test_environment_store_is_ignored_by_local_commands(stores: Stores) -> None:
    code, out, err = run("blocs", "-f", "json", env={"KGRAPH_STORE": URL})
    assert code == 0 and out
    assert err == "note: KGRAPH_STORE is ignored: blocs reads the local dataset\n"


def test_environment_store_answers_queries(stores: Stores) -> None:
    url = stores.url(BUNDLED)
    assert run("who-supports", "belarus", "-f", "json", env={"KGRAPH_STORE": url}) == run(
        "-d", str(BUNDLED), "who-supports", "belarus", "-f", "json"
    )


def test_data_and_store_together_is_a_usage_error(stores: Stores) -> None:
    code, _, err = run("-d", str(BUNDLED), "stats", "--store", URL)
    assert code == 2 and err == "error: --data and --store both given: answer from one or the other\n"


# -- real servers: Oxigraph and the capped Virtuoso (a result set longer than 7 rows is cut) ------------


@pytest.fixture(params=["oxigraph_server", "virtuoso_capped"])
def server(request: pytest.FixtureRequest) -> Store:
    found: Store = request.getfixturevalue(request.param)
    return found


def push(server: Store, data: Path) -> str:
    """``kgraph push`` of ``data`` to the server under a base IRI of its own; the base."""
    base = server.new_base()
    code, _, err = run("-d", str(data), "push", server.url, "--base", base, env=server.cli_env())
    assert code == 0, err
    return base


def real(server: Store, base: str, data: Path, args: tuple[str, ...]) -> None:
    env = {**server.cli_env(), "KGRAPH_STORE_BASE": base}
    local = run("-d", str(data), *args, "-f", "json")
    remote = run("--store", server.url, *args, "-f", "json", env=env)
    assert remote == local, (server.kind, args)


def test_real_servers_answer_as_locally(server: Store, cache_dir: Path) -> None:
    base = push(server, BUNDLED)
    for args in BUNDLED_RUNS:
        real(server, base, BUNDLED, args)


def test_real_servers_trust_fixture(server: Store, cache_dir: Path) -> None:
    base = push(server, TRUST)
    kg = kgraph.load(TRUST)
    first = sorted(kg.sources)[0]
    for target in sorted({f.object for f in kg.facts})[:4]:
        for opts in [(), ("--hedged",), ("--min-sources", "2"), ("--source", first), ("--as-of", "2020")]:
            real(server, base, TRUST, ("who-supports", target, *opts))
            real(server, base, TRUST, ("who-opposes", target, *opts))


@pytest.fixture(scope="module")
def generated_10k(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_dataset(10_000, tmp_path_factory.mktemp("gen10k") / "data", seed=5)


@pytest.fixture(params=["oxigraph_server", "virtuoso_server"])
def roomy_server(request: pytest.FixtureRequest) -> Store:
    """Oxigraph, and Virtuoso with its packaged cap (10,000 rows): the 10k answers page at the cap of 7 too slowly."""
    found: Store = request.getfixturevalue(request.param)
    return found


def test_real_servers_generated_10k(roomy_server: Store, generated_10k: Path, cache_dir: Path) -> None:
    server = roomy_server
    base = push(server, generated_10k)
    picks = _sample(kgraph.load(generated_10k), 4)
    for name in picks:
        real(server, base, generated_10k, ("who-supports", name))
    for a, b in zip(picks, picks[1:], strict=False):
        real(server, base, generated_10k, ("path", a, b))


# -- faults ----------------------------------------------------------------------------------------------


def test_store_down_is_one_line_exit_8(unused_port: int, cache_dir: Path) -> None:
    code, out, err = run("--store", f"http://127.0.0.1:{unused_port}", "who-supports", "belarus", "-f", "json")
    assert (code, out) == (8, "")
    assert err.startswith("error: ") and err.count("\n") == 1


def test_a_store_never_pushed_says_push_first(server: Store, cache_dir: Path) -> None:
    env = {**server.cli_env(), "KGRAPH_STORE_BASE": server.new_base()}
    code, out, err = run("--store", server.url, "stats", env=env)
    assert (code, out) == (8, "")
    assert err.count("\n") == 1 and "push one first" in err and "kgraph push" in err
