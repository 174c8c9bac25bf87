"""Several kgraph processes at once: the same, correct answer, and one valid cache entry.

The dataset is generated (bench/generate.py, 2,000 facts), big enough that
the processes' reads and cache writes really overlap. Each check compares
against the answer read from the files with ``--no-cache``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import generate_dataset

from kgraph import cache

N = 6


@pytest.fixture(scope="module")
def medium(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_dataset(2_000, tmp_path_factory.mktemp("medium") / "data", seed=5)


def start(data: Path, cache_dir: Path, *options: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "kgraph", *options, "who-supports", "belarus", "--data", str(data), "-f", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "KGRAPH_CACHE_DIR": str(cache_dir)},
    )


def finish(proc: subprocess.Popen[str]) -> Any:
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert err == ""
    return json.loads(out)


def uncached(data: Path, tmp_path: Path) -> Any:
    return finish(start(data, tmp_path / "unused-cache", "--no-cache"))


def cache_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def test_processes_started_together_on_a_cold_cache_agree(
    medium: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = uncached(medium, tmp_path)
    assert expected["results"], "the generated data must give a non-empty answer"
    cache_dir = tmp_path / "cache"
    procs = [start(medium, cache_dir) for _ in range(N)]
    answers = [finish(p) for p in procs]
    assert answers == [expected] * N
    monkeypatch.setenv("KGRAPH_CACHE_DIR", str(cache_dir))
    entry = cache.entry_path(medium)
    assert cache_files(cache_dir) == [cache.entry_path(medium).name]  # one entry, no temporary file
    kg = cache.load_cached(medium)
    assert kg is not None and len(kg.facts) == 2_000
    info = cache.info(medium)
    assert info["dataset"] == {"data_dir": os.path.realpath(medium), "file": str(entry), "cached": True, "fresh": True}
    assert finish(start(medium, cache_dir)) == expected  # answered from that entry, still the same


def _round(data: Path, i: int) -> None:
    """Change the data: one more supporter fact, with a quote of its own; each file replaced atomically."""
    first = min((data / "sources").glob("*.yaml"))
    text = first.with_suffix(".txt")
    sentence = f"Russia backs Belarus, round {i}."
    fact = f"\n  - subject: russia\n    relation: supports\n    object: belarus\n    quote: {sentence}\n"
    for path, extra in ((text, f"\n{sentence}\n"), (first, fact)):
        tmp = path.with_name(f".{path.name}.new")
        tmp.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")
        os.replace(tmp, path)


def test_loads_while_the_data_changes_never_answer_for_old_data(
    medium: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    shutil.copytree(medium, data)
    cache_dir = tmp_path / "cache"
    before = uncached(data, tmp_path)
    for i in range(2):
        during = [start(data, cache_dir) for _ in range(3)]  # these race with the change: old or new answer
        time.sleep(0.5 * i)  # the first change lands as they start, the next while they read
        _round(data, i)
        after = [start(data, cache_dir) for _ in range(3)]  # started once the change was made: new answer only
        now = uncached(data, tmp_path)
        assert now != before
        assert all(finish(p) in (before, now) for p in during)
        assert [finish(p) for p in after] == [now] * 3
        before = now
    monkeypatch.setenv("KGRAPH_CACHE_DIR", str(cache_dir))
    assert finish(start(data, cache_dir)) == before
    kg = cache.load_cached(data)
    assert kg is not None and sum(f.quote.startswith("Russia backs Belarus, round") for f in kg.facts) == 2
    assert not [n for n in cache_files(cache_dir) if n.startswith(".")]


def test_processes_rebuilding_an_edited_entry_at_once_agree(
    medium: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    shutil.copytree(medium, data)
    cache_dir = tmp_path / "cache"
    finish(start(data, cache_dir))  # the entry, with every file's part
    for i in range(2):
        _round(data, i)  # one source file (and its text) edited: each process re-reads only that file
        expected = uncached(data, tmp_path)
        procs = [start(data, cache_dir) for _ in range(N)]
        assert [finish(p) for p in procs] == [expected] * N
    monkeypatch.setenv("KGRAPH_CACHE_DIR", str(cache_dir))
    assert cache.load_cached(data) is not None  # whichever rename came last, the entry is current and whole
    entry = cache.entry_path(data)
    parts = entry.with_suffix(cache.PARTS)
    assert cache_files(cache_dir) == sorted([entry.name, parts.name])
    assert parts.is_dir() and not [n for n in cache_files(parts) if n.startswith(".")]  # no temporary file left
