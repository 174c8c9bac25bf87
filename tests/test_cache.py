"""The compiled dataset cache: same answers as reading the files, and never a stale or damaged answer."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

import kgraph
from kgraph import cache, query
from kgraph.cli import app
from kgraph.errors import DataError, NoPath
from kgraph.knowledge import FactStore, MemoryFactStore, relation_counts
from kgraph.model import Fact
from kgraph.timefilter import WindowedGraph, window

REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "data"
SOURCE = "belarus-china-ironclad-friend"

runner = CliRunner()


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A copy of the bundled dataset that a test may change."""
    root = tmp_path / "data"
    shutil.copytree(BUNDLED, root)
    return root


def answers(kg: kgraph.KnowledgeGraph) -> dict[str, object]:
    """Every kind of answer, for comparing a cached graph with one read from the files."""
    out: dict[str, object] = {}
    for name in ("belarus", "china", "lukashenko", "Minsk"):
        out[f"supports {name}"] = query.who_supports(kg, name)
        out[f"opposes {name}"] = query.who_opposes(kg, name)
        out[f"neighbours {name}"] = query.neighbours(kg, name, depth=2)
        out[f"entity {name}"] = query.entity(kg, name)
    out["facts"] = query.facts(kg, relation="supports")
    out["relations"] = query.relations(kg)
    out["stats"] = query.stats(kg)
    try:
        out["path"] = query.paths(kg, "xi-jinping", "russia")
    except NoPath as e:
        out["path"] = str(e)
    return out


def test_a_warm_load_answers_exactly_as_the_files_do(data: Path, cache_dir: Path) -> None:
    fresh = kgraph.load(data, cache=False)
    assert not cache_dir.exists()  # cache=False neither reads nor writes
    first = kgraph.load(data)  # a miss: reads the files and writes the entry (and answers from what it wrote)
    assert cache.entry_path(data).is_file()
    warm = kgraph.load(data)
    assert isinstance(warm.store, cache.CompiledFactStore) and isinstance(fresh.store, MemoryFactStore)
    assert type(warm) is type(first) is type(fresh) is kgraph.KnowledgeGraph  # one kind, whatever holds the facts
    assert answers(warm) == answers(fresh) == answers(first)
    assert warm.facts == fresh.facts
    # (the bundled facts use the fields of issue 12, so they are compared too; disputes: test_trust_data)
    assert {f.modality for f in fresh.facts} > {"asserted"}
    assert any(f.same_as for f in fresh.facts) and any(f.implicit for f in fresh.facts)
    assert any(not f.id.startswith("f-") for f in fresh.facts)  # curator ids
    assert warm.entities == fresh.entities and warm.relations == fresh.relations and warm.sources == fresh.sources
    assert warm.warnings == fresh.warnings
    assert warm.data_dir == fresh.data_dir


def test_queries_before_and_after_every_fact_is_made_agree(data: Path, cache_dir: Path) -> None:
    kgraph.load(data)
    warm = kgraph.load(data)
    store = warm.store
    assert isinstance(store, cache.CompiledFactStore)
    assert store.made() == 0 and len(store) == 61 and "61 facts" in repr(warm)  # counted, not made
    asked = len(warm.out_facts("belarus"))
    assert 0 < asked < 61 and store.made() == asked  # only the facts asked for
    lazy = [list(warm.out_facts(e)) + list(warm.in_facts(e)) for e in warm.entities]
    facts = warm.facts  # makes every fact
    assert store.made() == 61
    assert len(facts) == 61 and warm.facts is facts  # made once, then kept
    assert [list(warm.out_facts(e)) + list(warm.in_facts(e)) for e in warm.entities] == lazy
    # the same Fact objects either way, and a networkx graph from them
    assert all(any(f is g for g in facts) for group in lazy for f in group)
    assert warm.graph.number_of_edges() == 61


class ListStore:
    """The smallest FactStore: a list searched on every call, recording which calls were made."""

    def __init__(self, facts: list[Fact]) -> None:
        self.facts = facts
        self.calls: set[str] = set()

    def __len__(self) -> int:
        return len(self.facts)

    def all(self) -> tuple[Fact, ...]:
        self.calls.add("all")
        return tuple(self.facts)

    def by_subject(self, entity_id: str) -> list[Fact]:
        self.calls.add("by_subject")
        return [f for f in self.facts if f.subject == entity_id]

    def by_object(self, entity_id: str) -> list[Fact]:
        self.calls.add("by_object")
        return [f for f in self.facts if f.object == entity_id]

    def disputed_by_index(self) -> dict[str, tuple[str, ...]]:
        # optional: every fact record says who disputes it; without this the graph would ask all()
        self.calls.add("disputed_by_index")
        found: dict[str, list[str]] = {}
        for f in self.facts:
            for target in f.disputes:
                found.setdefault(target, []).append(f.id)
        return {k: tuple(v) for k, v in found.items()}


def test_any_fact_store_can_stand_behind_a_graph(bundled: kgraph.KnowledgeGraph) -> None:
    store = ListStore(list(bundled.facts))
    assert isinstance(store, FactStore) and not isinstance(list(bundled.facts), FactStore)
    kg = kgraph.KnowledgeGraph(bundled.relations.values(), bundled.entities.values(), bundled.sources.values(), store)
    assert kg.store is store
    query.who_supports(kg, "belarus")
    query.who_opposes(kg, "Lukashenka")
    query.entity(kg, "china")
    # the typical queries never ask for every fact
    assert store.calls == {"by_subject", "by_object", "disputed_by_index"}
    assert answers(kg) == answers(bundled)
    assert "all" in store.calls and kg.facts == bundled.facts


def test_typical_queries_on_a_warm_graph_make_only_the_facts_they_need(data: Path, cache_dir: Path) -> None:
    kgraph.load(data)
    warm = kgraph.load(data)
    store = warm.store
    assert isinstance(store, cache.CompiledFactStore)
    fresh = kgraph.load(data, cache=False)
    for name in ("belarus", "Lukashenka"):
        assert query.who_supports(warm, name) == query.who_supports(fresh, name)
        assert query.entity(warm, name) == query.entity(fresh, name)
    assert 0 < store.made() < len(store)


def test_stats_and_relations_on_a_warm_graph_make_no_fact(data: Path, cache_dir: Path) -> None:
    kgraph.load(data)
    warm, fresh = kgraph.load(data), kgraph.load(data, cache=False)
    store = warm.store
    assert isinstance(store, cache.CompiledFactStore)
    assert query.stats(warm) == query.stats(fresh)
    assert query.relations(warm) == query.relations(fresh)
    assert store.made() == 0  # answered from the length and the relation column
    counted = Counter(f.relation for f in fresh.facts)
    assert store.relation_counts() == dict(counted) == fresh.store.relation_counts()  # type: ignore[attr-defined]
    assert len(counted) > 5
    warm.facts  # noqa: B018 (every fact made: the counts come from them now, and agree)
    assert store.relation_counts() == dict(counted)


def test_relation_counts_of_a_store_without_them_are_counted(bundled: kgraph.KnowledgeGraph) -> None:
    store = ListStore(list(bundled.facts))
    assert not hasattr(store, "relation_counts")
    assert relation_counts(store) == dict(Counter(f.relation for f in bundled.facts))
    assert store.calls == {"all"}


def test_a_time_window_of_a_warm_graph_is_the_window_of_the_files(data: Path, cache_dir: Path) -> None:
    kgraph.load(data)
    warm, fresh = kgraph.load(data), kgraph.load(data, cache=False)
    assert isinstance(warm.store, cache.CompiledFactStore)
    for bounds in ({"until": "2020"}, {"since": "2021-12"}, {"as_of": "2010"}):
        a, b = window(warm, **bounds), window(fresh, **bounds)
        assert isinstance(a, WindowedGraph) and isinstance(b, WindowedGraph)
        assert a.window == b.window and a.facts == b.facts and 0 < len(a.facts) < len(fresh.facts)
        assert answers(a) == answers(b)
        assert a.entities == warm.entities and a.warnings == warm.warnings and a.data_dir == warm.data_dir


def test_warnings_keep_the_path_the_dataset_was_named_by(
    data: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (data / "entities.yaml").read_text(encoding="utf-8")
    (data / "entities.yaml").write_text(
        text + "\n  - id: nobody\n    name: Nobody At All\n    type: person\n    description: In no fact.\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(data.parent)
    fresh = kgraph.load("data", cache=False)
    assert [w.path for w in fresh.warnings] == [os.path.join("data", "entities.yaml")]
    kgraph.load(str(data))  # written under the absolute name
    warm = kgraph.load("data")  # read under the relative one
    assert isinstance(warm.store, cache.CompiledFactStore)
    assert warm.warnings == fresh.warnings


@pytest.mark.parametrize("change", ["yaml", "text", "new source", "removed source", "entities"])
def test_a_changed_file_is_read_again(data: Path, cache_dir: Path, change: str) -> None:
    kgraph.load(data)
    src = data / "sources" / f"{SOURCE}.yaml"
    txt = data / "sources" / f"{SOURCE}.txt"
    if change == "yaml":  # drop the last fact
        lines = src.read_text(encoding="utf-8").rstrip("\n").split("\n")
        cut = max(i for i, line in enumerate(lines) if line.startswith("  - subject:"))
        src.write_text("\n".join(lines[:cut]) + "\n", encoding="utf-8")
        assert len(kgraph.load(data).facts) == 60
    elif change == "text":  # the article no longer has the quotes: the data is now invalid
        txt.write_text("Nothing here.\n", encoding="utf-8")
        with pytest.raises(DataError, match="quote not found"):
            kgraph.load(data)
    elif change == "new source":
        (data / "sources" / "second.txt").write_text("Russia backs Belarus.\n", encoding="utf-8")
        (data / "sources" / "second.yaml").write_text(
            "source:\n  id: second\n  title: Second\n  text: second.txt\nfacts:\n"
            "  - subject: russia\n    relation: supports\n    object: belarus\n    quote: Russia backs Belarus.\n",
            encoding="utf-8",
        )
        kg = kgraph.load(data)
        assert len(kg.facts) == 62 and "second" in kg.sources
    elif change == "removed source":
        src.unlink()
        kg = kgraph.load(data)
        assert len(kg.facts) == 0 and not kg.sources
    else:  # a renamed entity changes the answers' names
        text = (data / "entities.yaml").read_text(encoding="utf-8")
        (data / "entities.yaml").write_text(
            text.replace("name: Belarus\n", "name: Republic Belarus\n"), encoding="utf-8"
        )
        assert kgraph.load(data).entity("belarus").name == "Republic Belarus"
    if change != "text":  # (the text change made the data invalid: nothing to answer)
        assert answers(kgraph.load(data)) == answers(kgraph.load(data, cache=False))


def test_a_file_changed_while_it_was_read_is_not_cached(data: Path, cache_dir: Path) -> None:
    before = cache.snapshot(data)
    kg = kgraph.load(data, cache=False)
    txt = data / "sources" / f"{SOURCE}.txt"
    txt.write_text(txt.read_text(encoding="utf-8") + "\nA new paragraph.\n", encoding="utf-8")
    assert cache.store(data, kg, before) is None
    assert not cache.entry_path(data).exists()


@pytest.mark.parametrize("damage", ["truncate", "flip a byte", "garbage", "empty", "header only"])
def test_a_damaged_entry_is_detected_and_rebuilt(data: Path, cache_dir: Path, damage: str) -> None:
    kgraph.load(data)
    entry = cache.entry_path(data)
    raw = entry.read_bytes()
    if damage == "truncate":
        entry.write_bytes(raw[: len(raw) * 2 // 3])
    elif damage == "flip a byte":
        pos = len(raw) - 100
        entry.write_bytes(raw[:pos] + bytes([raw[pos] ^ 0x40]) + raw[pos + 1 :])
    elif damage == "garbage":
        entry.write_bytes(os.urandom(len(raw)))
    elif damage == "empty":
        entry.write_bytes(b"")
    else:
        entry.write_bytes(raw[: cache.PREFIX.size + 10])
    assert cache.load_cached(data) is None
    kg = kgraph.load(data)  # rebuilt from the files …
    assert answers(kg) == answers(kgraph.load(data, cache=False))
    assert cache.load_cached(data) is not None  # … and the entry rewritten whole
    assert entry.read_bytes() != b""


def test_another_kgraph_version_does_not_use_the_entry(
    data: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kgraph.load(data)
    assert cache.load_cached(data) is not None
    monkeypatch.setattr(cache, "_code_digest", "another kgraph")
    assert cache.load_cached(data) is None


def test_invalid_data_is_never_cached(data: Path, cache_dir: Path) -> None:
    src = data / "sources" / f"{SOURCE}.yaml"
    src.write_text(src.read_text(encoding="utf-8").replace("object: belarus", "object: belaruss", 1), encoding="utf-8")
    with pytest.raises(DataError):
        kgraph.load(data)
    assert not cache.entry_path(data).exists()


def test_cache_folder_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("KGRAPH_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == tmp_path / "xdg" / "kgraph"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.cache_dir() == tmp_path / "home" / ".cache" / "kgraph"
    monkeypatch.setenv("KGRAPH_CACHE_DIR", str(tmp_path / "mine"))
    assert cache.cache_dir() == tmp_path / "mine"


def test_an_unwritable_cache_folder_is_not_an_error(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("KGRAPH_CACHE_DIR", str(blocker / "cache"))
    assert len(kgraph.load(data).facts) == 61
    assert len(kgraph.load(data).facts) == 61


def test_old_entries_are_pruned(tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "MAX_ENTRIES", 2)
    roots = []
    for i in range(3):
        root = tmp_path / f"d{i}"
        shutil.copytree(BUNDLED, root)
        kgraph.load(root)
        os.utime(cache.entry_path(root), (1000 + i, 1000 + i))  # d0 oldest
        roots.append(root)
    kgraph.load(roots[2])  # rewrites nothing (a hit), d2 just used
    root = tmp_path / "d3"
    shutil.copytree(BUNDLED, root)
    kgraph.load(root)
    assert sorted(p.name for p in cache_dir.glob("*.kgc")) == sorted(cache.entry_path(r).name for r in (roots[2], root))


def test_progress_is_reported_per_source_file(data: Path) -> None:
    (data / "sources" / "second.txt").write_text("Russia backs Belarus.\n", encoding="utf-8")
    (data / "sources" / "second.yaml").write_text(
        "source:\n  id: second\n  title: Second\n  text: second.txt\nfacts:\n"
        "  - subject: russia\n    relation: supports\n    object: belarus\n    quote: Russia backs Belarus.\n",
        encoding="utf-8",
    )
    seen: list[tuple[int, int]] = []
    kgraph.load(data, cache=False, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 2), (2, 2)]


def test_several_processes_loading_at_once_agree(data: Path, cache_dir: Path) -> None:
    code = (
        "import json, sys, kgraph; kg = kgraph.load(sys.argv[1]); print(json.dumps(kgraph.who_supports(kg, 'belarus')))"
    )
    env = {**os.environ, "KGRAPH_CACHE_DIR": str(cache_dir)}
    procs = [
        subprocess.Popen([sys.executable, "-c", code, str(data)], stdout=subprocess.PIPE, env=env) for _ in range(4)
    ]
    outputs = [p.communicate(timeout=60)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs)
    expected = kgraph.who_supports(kgraph.load(data, cache=False), "belarus")
    assert [json.loads(o) for o in outputs] == [expected] * 4
    assert cache.load_cached(data) is not None
    assert not [p for p in cache_dir.iterdir() if p.name.endswith(".tmp")]


# -- the command line -------------------------------------------------------------------


def cli(*args: str) -> dict[str, object]:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    assert result.stderr == ""  # nothing on stderr: not a terminal, so no progress bar
    parsed: dict[str, object] = json.loads(result.stdout)
    return parsed


def test_no_cache_option_neither_reads_nor_writes(data: Path, cache_dir: Path) -> None:
    assert cli("--no-cache", "stats", "--data", str(data), "--format", "json")["facts"] == 61
    assert not cache.entry_path(data).exists()
    assert cli("stats", "--data", str(data), "--format", "json")["facts"] == 61
    assert cache.entry_path(data).exists()


def test_cache_info_says_whether_the_dataset_is_current(data: Path, cache_dir: Path) -> None:
    info = cli("cache", "info", "--data", str(data), "--format", "json")
    assert info["directory"] == str(cache_dir)
    assert info["entries"] == [] and info["dataset"] == {
        "data_dir": os.path.realpath(data),
        "file": str(cache.entry_path(data)),
        "cached": False,
        "fresh": False,
    }
    cli("stats", "--data", str(data), "--format", "json")
    info = cli("cache", "info", "--data", str(data), "--format", "json")
    entries = info["entries"]
    assert isinstance(entries, list) and len(entries) == 1
    assert entries[0]["facts"] == 61 and entries[0]["data_dir"] == os.path.realpath(data)
    assert info["dataset"]["fresh"] is True  # type: ignore[index]
    txt = data / "sources" / f"{SOURCE}.txt"
    txt.write_text(txt.read_text(encoding="utf-8") + " More.", encoding="utf-8")
    info = cli("cache", "info", "--data", str(data), "--format", "json")
    assert info["dataset"]["cached"] is True and info["dataset"]["fresh"] is False  # type: ignore[index]


def test_cache_clear_removes_every_entry(data: Path, cache_dir: Path) -> None:
    cli("stats", "--data", str(data), "--format", "json")
    cli("stats", "--data", str(BUNDLED), "--format", "json")
    assert len(list(cache_dir.glob("*.kgc"))) == 2
    cleared = cli("cache", "clear", "--format", "json")
    assert sorted(cleared["removed"]) == sorted(  # type: ignore[call-overload]
        str(cache.entry_path(r)) for r in (data, BUNDLED)
    )
    assert list(cache_dir.glob("*.kgc")) == []
    assert cli("cache", "clear", "--format", "json")["removed"] == []


class _Terminal:
    """A stand-in stderr that says it is a terminal, keeping what is written."""

    def __init__(self, tty: bool) -> None:
        self.tty = tty
        self.parts: list[str] = []

    def isatty(self) -> bool:
        return self.tty

    def write(self, text: str) -> int:
        self.parts.append(text)
        return len(text)

    def flush(self) -> None:
        pass


def test_progress_bar_only_on_a_terminal_and_only_for_a_long_load(monkeypatch: pytest.MonkeyPatch) -> None:
    from kgraph.cli.cache import load_progress

    piped = _Terminal(tty=False)
    monkeypatch.setattr(sys, "stderr", piped)
    with load_progress(delay=0.0) as progress:
        assert progress is None  # nothing to draw in a pipe
    term = _Terminal(tty=True)
    monkeypatch.setattr(sys, "stderr", term)
    with load_progress(delay=3600.0) as progress:  # a quick load: the bar never appears
        assert progress is not None
        progress(1, 3)
        progress(2, 3)
    assert term.parts == []
    with load_progress(delay=0.0) as progress:
        assert progress is not None
        progress(1, 3)
        progress(2, 3)
    assert "reading sources" in "".join(term.parts)
    assert piped.parts == []


@pytest.mark.parametrize(
    ("values", "hint", "kind"),
    [
        ([3, 1, 2**40], "ints", "ints"),
        ([1, None, 2], "ints", "codes"),  # a value that does not fit the usual encoding falls back to codes
        (["a", "é€", "", "a"], "text", "text"),
        (["a", None], "text", "codes"),
        (["x", "y", "z"], None, "text"),  # a field the cache does not know: chosen by looking
        ([("k", "v"), (), ("k", "v")], None, "codes"),
    ],
)
def test_every_column_encoding_reads_back(values: list[object], hint: str | None, kind: str) -> None:
    spec, parts = cache._encode_column(values, hint)
    assert spec["kind"] == kind
    full = cache._column(spec, [memoryview(p) for p in parts], len(values), 0)
    assert full() == values  # (rows one by one: every CompiledFactStore test reads them through their blocks)


def test_a_cached_graph_pickles_as_the_graph_it_stands_for(data: Path, cache_dir: Path) -> None:
    import pickle

    kgraph.load(data)
    warm = kgraph.load(data)
    assert isinstance(warm.store, cache.CompiledFactStore)
    back = pickle.loads(pickle.dumps(warm))
    assert type(back) is kgraph.KnowledgeGraph and isinstance(back.store, MemoryFactStore)
    assert answers(back) == answers(kgraph.load(data, cache=False))
    assert back.warnings == warm.warnings and back.data_dir == warm.data_dir


def test_a_warm_load_reads_no_settled_data_file(data: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "SETTLED_NS", 0)  # (the files were just copied: settled at once, for the test)
    kgraph.load(data)  # a miss: every file hashed, the settled ones' signatures recorded
    reads: list[str] = []
    real = cache.read_inside

    def counting(path: str, *args: object) -> bytes:
        reads.append(path)
        return real(path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(cache, "read_inside", counting)
    found = cache.lookup(data)
    assert found.kg is not None and reads == []  # their signatures stand for their digests
    txt = data / "sources" / f"{SOURCE}.txt"
    txt.write_text(txt.read_text(encoding="utf-8") + "\nA new paragraph.\n", encoding="utf-8")
    monkeypatch.setattr(cache, "SETTLED_NS", 10**10)
    found = cache.lookup(data)  # the text changed: read (and the entry is stale)
    assert found.kg is None and [Path(p).name for p in reads] == [txt.name]
    assert f"sources/{SOURCE}.txt" not in found.signed  # (changed just now: not settled, hashed again next time)
    assert "entities.yaml" in found.signed


def test_a_file_changed_with_its_size_and_time_kept_is_still_read_again(
    data: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "SETTLED_NS", 0)
    kgraph.load(data)
    assert _header(data)["quick"] is not None  # the signatures are recorded
    src = data / "sources" / f"{SOURCE}.yaml"
    st = src.stat()
    text = src.read_text(encoding="utf-8")
    changed = text.replace("object: belarus", "object: belarus", 1).replace(
        "relation: supports", "relation: opposes", 1
    )
    assert changed != text
    changed = changed + " " * (len(text.encode()) - len(changed.encode()))  # (same size: 'opposes' is shorter)
    src.write_text(changed, encoding="utf-8")
    os.utime(src, ns=(st.st_atime_ns, st.st_mtime_ns))  # size and modification time as they were
    assert src.stat().st_size == st.st_size and src.stat().st_mtime_ns == st.st_mtime_ns
    assert answers(kgraph.load(data)) == answers(kgraph.load(data, cache=False))  # (the change time told)
    assert cache.lookup(data).kg is not None


def _header(data: Path) -> dict[str, object]:
    with open(cache.entry_path(data), "rb") as fh:
        return cache._read_header(fh)[0]


def test_a_warm_look_up_of_settled_files_asks_no_digest(
    data: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every file settled and unchanged: their signatures, compared at once, stand for the key; any change to a
    file (its bytes or only its times) sends the look-up back to the digests, which decide."""
    monkeypatch.setattr(cache, "SETTLED_NS", 0)
    fresh = answers(kgraph.load(data, cache=False))
    kgraph.load(data)
    asked: list[int] = []
    real_tokens = cache.tokens

    def tokens(*args: object, **kwargs: object) -> object:
        asked.append(1)
        return real_tokens(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(cache, "tokens", tokens)
    found = cache.lookup(data)
    assert found.kg is not None and asked == [] and found.found == {}
    assert answers(found.kg) == fresh

    txt = data / "sources" / f"{SOURCE}.txt"
    os.utime(txt, ns=(txt.stat().st_atime_ns, txt.stat().st_mtime_ns + 10**9))  # touched, bytes the same
    found = cache.lookup(data)
    assert asked == [1] and found.kg is not None  # the digests asked, and the key is the same
    assert answers(found.kg) == fresh

    kgraph.load(data)  # (written again: the touched file's new signature recorded)
    ents = data / "entities.yaml"
    ents.write_text(ents.read_text(encoding="utf-8").replace("name: Belarus\n", "name: Belarvs\n"), encoding="utf-8")
    assert cache.lookup(data).kg is None  # the same size, a new change time: a miss
    assert kgraph.load(data).entity("belarus").name == "Belarvs"


def test_a_quick_look_up_does_not_follow_a_folder_out_of_the_dataset(
    data: Path, cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sources folder moved out (its files keep their inodes and times) and linked back: the signatures are
    the same, but the files now lie outside the data folder, so the entry is not current."""
    monkeypatch.setattr(cache, "SETTLED_NS", 0)
    kgraph.load(data)
    assert cache.lookup(data).kg is not None
    elsewhere = tmp_path / "elsewhere"
    os.rename(data / "sources", elsewhere)
    (data / "sources").symlink_to(elsewhere, target_is_directory=True)
    assert cache.lookup(data).kg is None
    with pytest.raises(DataError) as cached:
        kgraph.load(data)
    with pytest.raises(DataError) as uncached:
        kgraph.load(data, cache=False)
    assert str(cached.value) == str(uncached.value)


def test_a_file_turned_into_a_link_is_not_taken_for_the_file(
    data: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """entities.yaml renamed and a link to it left in its place: the link is not the file recorded (its type
    differs), so its digest is asked; the bytes are the same, so the entry is current."""
    monkeypatch.setattr(cache, "SETTLED_NS", 0)
    kgraph.load(data)
    os.rename(data / "entities.yaml", data / "people.yaml")
    (data / "entities.yaml").symlink_to("people.yaml")
    assert not cache._quick_current(data, cache._yaml_names(data) + [f"sources/{SOURCE}.txt"], _header(data)["quick"])
    assert cache.lookup(data).kg is not None


def test_a_quick_record_needs_every_file_signed() -> None:
    sig = (10, 1, 2, 3, 4, 0o100644)
    signed = {"a.yaml": (sig, "d1"), "sources/b.yaml": (sig, "d2")}
    names, folders, packed = cache.quick_record(["a.yaml", "sources/b.yaml"], signed, "key") or ("", (), b"")
    assert names == "a.yaml\0sources/b.yaml" and folders == ("", "sources") and len(packed) == 2 * 6 * 8
    assert cache.quick_record(["a.yaml", "sources/b.yaml", "c.yaml"], signed, "key") is None  # c.yaml unsigned
    assert cache.quick_record(["a.yaml"], signed, None) is None  # no key: the entry was not current when written
    assert cache.quick_record(["a.yaml"], {"a.yaml": (sig, None)}, "key") is None  # a missing file
    assert cache.quick_record(["/x/a.yaml"], {"/x/a.yaml": (sig, "d")}, "key") is None  # outside the folder
    assert cache.quick_record(["a.yaml"], {"a.yaml": ((2**64, 1, 2, 3, 4, 5), "d")}, "key") is None


def _quote_offset(entry: Path) -> int:
    """Where the middle of the entry's quote column lies in its file."""
    raw = entry.read_bytes()
    with open(entry, "rb") as fh:
        cache._read_header(fh)
        start = fh.tell()
    body = raw[start:]
    meta, sections = cache._split_body(body)
    at = meta["columns"]["quote"]["sections"][0]
    return start + cache._head_length(body) + sum(len(s) for s in sections[:at]) + len(sections[at]) // 2


def test_a_large_entry_is_checked_as_it_is_read(data: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A mapped entry (every entry of 1 MB and more: here all, by lowering the bound) answers as the files do,
    and damage in a part no query read at look-up is found when one reads it: one clean error, the entry gone."""
    fresh = kgraph.load(data, cache=False)
    kgraph.load(data)
    monkeypatch.setattr(cache, "_MAP_MIN", 0)
    warm = cache.load_cached(data)
    assert warm is not None and isinstance(warm.store, cache.CompiledFactStore)
    assert warm.store.made() == 0 and answers(warm) == answers(fresh) and warm.facts == fresh.facts

    entry = cache.entry_path(data)
    pos = _quote_offset(entry)
    raw = bytearray(entry.read_bytes())
    raw[pos] ^= 0x20
    entry.write_bytes(bytes(raw))
    lazy = cache.load_cached(data)
    assert lazy is not None  # the head is intact: the damage is in a section not read yet
    with pytest.raises(cache.CacheDamaged, match="damaged") as caught:
        lazy.facts  # noqa: B018 (reading every fact reads the damaged quote)
    assert caught.value.exit_code == 9 and not entry.exists()
    assert answers(kgraph.load(data)) == answers(fresh)  # read from the files again, and cached anew

    raw = bytearray(entry.read_bytes())
    raw[_quote_offset(entry)] ^= 0x20
    entry.write_bytes(bytes(raw))
    result = runner.invoke(app, ["--data", str(data), "facts", "-f", "json"])
    assert result.exit_code == 9, result.output
    assert result.output.count("error:") == 1 and "is damaged" in result.output and "Traceback" not in result.output
    assert not entry.exists()


def test_codes_are_found_by_scanning_then_from_a_dict_alike() -> None:
    """The first few values are found by scanning the table, the rest from a dict built then: the same codes."""
    table = tuple(f"e{i}" for i in range(100))
    codes = cache.Codes(table)
    asked = [*table[::-7], "missing", "e99", "e0", *table]
    seen = [(codes.get(v), v in codes) for v in asked]
    assert seen == [(table.index(v), True) if v in table else (None, False) for v in asked]
    assert codes._found is not None  # (past the scans: the dict answered the rest)
    assert cache.Codes(table)["e5"] == 5 and cache.Codes(table).get("nope", -1) == -1
    with pytest.raises(KeyError):
        cache.Codes(table)["nope"]


def test_a_lazy_table_answers_as_the_dict_it_stands_for(data: Path, cache_dir: Path) -> None:
    fresh = kgraph.load(data, cache=False)
    kgraph.load(data)
    for name in ("entities", "sources"):
        lazy = getattr(cache.load_cached(data), name)
        assert isinstance(lazy, cache.LazyTable)
        expected = getattr(fresh, name)
        assert list(lazy) == list(expected) and "no-such-id" not in lazy
        assert all(k in lazy and lazy[k] == v for k, v in expected.items())
        with pytest.raises(KeyError):
            lazy["no-such-id"]
