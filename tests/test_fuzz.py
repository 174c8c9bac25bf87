"""Mutation fuzzing of the bundled dataset: whatever the damage, kgraph answers or refuses cleanly.

Each example takes a working copy of ``data/``, damages one file and loads
it. The damage is one of:

- bytes: flips, insertions, deletions, duplications, truncation;
- lines: deletions, duplications, swaps, re-indentation, hostile lines
  (tags, anchors and aliases, merge-conflict markers, directives, tabs, BOMs);
- structure: the file parsed to Python, one node changed (another type,
  a key dropped, an unknown key, two values swapped, a huge string, deep
  nesting), written back.

``kgraph.check`` and ``kgraph.load`` must then return, or raise only
kgraph's own errors (:class:`~kgraph.errors.KGraphError`); anything else,
or an example running past its time limit, fails. A handful go through the
command line too (``kgraph validate``: exit 0 or 3, never a traceback).

Every mutation tried is counted per kind; the totals are printed at the end
of the module (``pytest -s``) and written as JSON to ``$KGRAPH_FUZZ_STATS``
when that is set. The long run:

    HYPOTHESIS_PROFILE=fuzz KGRAPH_FUZZ_STATS=/tmp/fuzz-stats.json pytest -s tests/test_fuzz.py
"""

from __future__ import annotations

import json
import os
import shutil
import signal
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
import yaml
from conftest import BUNDLED
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import kgraph
from kgraph import query
from kgraph.cli import app
from kgraph.errors import KGraphError

LIMIT_S = 20  # seconds one example may take before it counts as a hang (the bundled data loads in ~30 ms)
FILES = [
    "relations.yaml",
    "entities.yaml",
    "sources/belarus-china-ironclad-friend.yaml",
    "sources/belarus-china-ironclad-friend.txt",
]
YAML_FILES = FILES[:3]
HOSTILE_LINES = [
    "<<<<<<< HEAD",
    "=======",
    ">>>>>>> theirs",
    "%YAML 1.1",
    "%TAG ! tag:example.com,2000:",
    "---",
    "...",
    "\ufeff",
    "\t- id: tabbed",
    "  - !!python/object/apply:os.system ['echo owned']",
    "  - &a [*a, *a, *a]",
    "x: &x {y: *x}",
    "  <<: *base",
    "  - id: !!int 3",
    "  ? [complex, key]\n  : value",
    "  - {id: dup, id: dup}",
    "\x00",
    "\x1b[2J",
    "  - " + "[" * 200 + "]" * 200,
    "# just a comment",
    "  - id: " + "x" * 5000,
    "\\",
    "'",
    '"',
    "  - ",
    ":",
    "- - - -",
]

runner = CliRunner()
TRIED: Counter[str] = Counter()


def flush_stats() -> dict[str, int]:
    """The mutations tried so far, per kind (also written to $KGRAPH_FUZZ_STATS when set)."""
    kinds = {k: v for k, v in sorted(TRIED.items()) if ":" in k}
    summary = {"examples": TRIED["examples"], "mutations": sum(kinds.values()), **kinds}
    out = os.environ.get("KGRAPH_FUZZ_STATS")
    if out:
        with open(out, "w", encoding="utf-8") as fh:
            json.dump(summary, fh, indent=1)
    return summary


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One copy of the bundled data for the module; each example restores what it damaged."""
    root = tmp_path_factory.mktemp("fuzz") / "data"
    shutil.copytree(BUNDLED, root)
    for p in root.rglob("*"):
        p.chmod(0o755 if p.is_dir() else 0o644)
    yield root
    summary = flush_stats()
    print(f"\nfuzz: {summary['examples']} examples, {summary['mutations']} mutations tried: {json.dumps(summary)}")


class Hang(Exception):
    """An example ran past LIMIT_S."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    def on_alarm(signum: int, frame: FrameType | None) -> None:
        raise Hang(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def damaged(root: Path, name: str, data: bytes) -> Iterator[Path]:
    """``root`` with ``name`` holding ``data`` for the duration; the original is put back after."""
    path = root / name
    original = path.read_bytes()
    path.write_bytes(data)
    try:
        yield root
    finally:
        path.write_bytes(original)


def must_not_crash(root: Path) -> None:
    """check() and load() return or raise a KGraphError; a dataset that loads answers queries."""
    TRIED["examples"] += 1
    if TRIED["examples"] % 250 == 0:
        flush_stats()
    with time_limit(LIMIT_S):
        kg, report = kgraph.check(root)
        assert kg is not None or report.errors, "check() gave no graph and no error"
        try:
            loaded = kgraph.load(root, cache=False)
        except KGraphError:
            assert report.errors, "load() refused what check() accepted"
            return
        assert not report.errors, "load() accepted what check() refused"
        query.stats(loaded)
        for name in ("belarus", "china"):
            try:
                query.who_supports(loaded, name)
                query.neighbours(loaded, name)
            except KGraphError:
                pass


# -- byte and line mutations ------------------------------------------------------------------------------

byte_op = st.one_of(
    st.tuples(st.just("flip"), st.floats(0, 1), st.integers(1, 255)),
    st.tuples(st.just("insert"), st.floats(0, 1), st.binary(min_size=1, max_size=16)),
    st.tuples(st.just("delete"), st.floats(0, 1), st.integers(1, 64)),
    st.tuples(st.just("duplicate"), st.floats(0, 1), st.integers(1, 200)),
    st.tuples(st.just("truncate"), st.floats(0, 1), st.just(0)),
)


def apply_bytes(data: bytes, ops: list[tuple[str, float, Any]]) -> bytes:
    buf = bytearray(data)
    for kind, where, arg in ops:
        at = min(int(where * len(buf)), max(len(buf) - 1, 0))
        TRIED["bytes:" + kind] += 1
        if kind == "flip" and buf:
            buf[at] ^= arg
        elif kind == "insert":
            buf[at:at] = arg
        elif kind == "delete":
            del buf[at : at + arg]
        elif kind == "duplicate":
            buf[at:at] = buf[at : at + arg]
        elif kind == "truncate":
            del buf[at:]
    return bytes(buf)


line_op = st.one_of(
    st.tuples(st.just("delete"), st.floats(0, 1), st.just(0)),
    st.tuples(st.just("duplicate"), st.floats(0, 1), st.just(0)),
    st.tuples(st.just("swap"), st.floats(0, 1), st.floats(0, 1)),
    st.tuples(st.just("indent"), st.floats(0, 1), st.sampled_from([" ", "  ", "    ", "\t", " \t"])),
    st.tuples(st.just("dedent"), st.floats(0, 1), st.integers(1, 4)),
    st.tuples(st.just("hostile"), st.floats(0, 1), st.sampled_from(HOSTILE_LINES)),
)


def apply_lines(data: bytes, ops: list[tuple[str, float, Any]]) -> bytes:
    lines = data.split(b"\n")
    for kind, where, arg in ops:
        at = min(int(where * len(lines)), len(lines) - 1)
        TRIED["lines:" + kind] += 1
        if kind == "delete" and len(lines) > 1:
            del lines[at]
        elif kind == "duplicate":
            lines.insert(at, lines[at])
        elif kind == "swap":
            other = min(int(arg * len(lines)), len(lines) - 1)
            lines[at], lines[other] = lines[other], lines[at]
        elif kind == "indent":
            lines[at] = arg.encode() + lines[at]
        elif kind == "dedent":
            lines[at] = lines[at][min(arg, len(lines[at]) - len(lines[at].lstrip(b" "))) :]
        elif kind == "hostile":
            lines.insert(at, arg.encode("utf-8"))
    return b"\n".join(lines)


SLOW = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large]


@settings(suppress_health_check=SLOW)
@given(name=st.sampled_from(FILES), ops=st.lists(byte_op, min_size=1, max_size=6))
def test_byte_mutations_are_refused_cleanly(work: Path, name: str, ops: list[tuple[str, float, Any]]) -> None:
    with damaged(work, name, apply_bytes((BUNDLED / name).read_bytes(), ops)) as root:
        must_not_crash(root)


@settings(suppress_health_check=SLOW)
@given(name=st.sampled_from(YAML_FILES), ops=st.lists(line_op, min_size=1, max_size=6))
def test_line_mutations_are_refused_cleanly(work: Path, name: str, ops: list[tuple[str, float, Any]]) -> None:
    with damaged(work, name, apply_lines((BUNDLED / name).read_bytes(), ops)) as root:
        must_not_crash(root)


# -- structure mutations ------------------------------------------------------------------------------------

DEEP = "__kgraph_fuzz_deep__"
_scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True),
    st.text(max_size=20),
    st.sampled_from(["", "no", "2021-02-30", "../../etc/passwd", "/etc/passwd", "belarus", "supports", "-1", "1.0"]),
)
_value = st.recursive(
    _scalar,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)


def _nodes(tree: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every path into ``tree`` (keys and indexes), the root first."""
    yield path
    if isinstance(tree, dict):
        for k, v in tree.items():
            yield from _nodes(v, (*path, k))
    elif isinstance(tree, list):
        for i, v in enumerate(tree):
            yield from _nodes(v, (*path, i))


def _get(tree: Any, path: tuple[Any, ...]) -> Any:
    for k in path:
        tree = tree[k]
    return tree


def _set(tree: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    _get(tree, path[:-1])[path[-1]] = value
    return tree


def mutate_tree(tree: Any, data: st.DataObject) -> tuple[Any, int]:
    """One random change to one node of ``tree``; returns the new tree and the nesting depth for DEEP."""
    paths = list(_nodes(tree))
    path = data.draw(st.sampled_from(paths), label="node")
    node = _get(tree, path)
    kind = data.draw(st.sampled_from(["retype", "drop", "unknown", "swap", "huge", "deep", "empty"]), label="kind")
    TRIED["structure:" + kind] += 1
    depth = 0
    if kind == "retype":
        tree = _set(tree, path, data.draw(_value, label="new value"))
    elif kind == "drop" and isinstance(node, (dict, list)) and node:
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        del node[data.draw(st.sampled_from(keys), label="dropped")]
    elif kind == "unknown" and isinstance(node, dict):
        node[data.draw(st.text(max_size=12), label="key")] = data.draw(_value, label="value")
    elif kind == "unknown" and isinstance(node, list):
        node.insert(data.draw(st.integers(0, len(node))), data.draw(_value, label="item"))
    elif kind == "swap":
        other = data.draw(st.sampled_from(paths), label="other node")
        if path and other and path[: len(other)] != other and other[: len(path)] != path:
            a, b = _get(tree, path), _get(tree, other)
            tree = _set(_set(tree, path, b), other, a)
    elif kind == "huge":
        size = data.draw(st.integers(10_000, 4_000_000), label="size")
        tree = _set(tree, path, data.draw(st.sampled_from("xé😀 "), label="char") * size)
    elif kind == "deep":
        depth = data.draw(st.integers(10, 100_000), label="depth")
        tree = _set(tree, path, DEEP)
    elif kind == "empty":
        tree = _set(tree, path, data.draw(st.sampled_from([{}, [], None, ""]), label="empty"))
    return tree, depth


@settings(suppress_health_check=SLOW)
@given(name=st.sampled_from(YAML_FILES), data=st.data())
def test_structure_mutations_are_refused_cleanly(work: Path, name: str, data: st.DataObject) -> None:
    tree = yaml.load((BUNDLED / name).read_bytes(), Loader=yaml.BaseLoader)  # every scalar a string, as kgraph reads
    for _ in range(data.draw(st.integers(1, 3), label="changes")):
        tree, depth = mutate_tree(tree, data)
    text = yaml.safe_dump(tree, allow_unicode=True, sort_keys=False, default_flow_style=data.draw(st.booleans()))
    if depth:
        flow = data.draw(st.sampled_from(["[", "{a: "]), label="nesting")
        closing = "]" if flow == "[" else "}"
        text = text.replace(DEEP, flow * depth + "x" + closing * depth)
    with damaged(work, name, text.encode("utf-8")) as root:
        must_not_crash(root)


# -- the command line ------------------------------------------------------------------------------------


@settings(max_examples=min(settings().max_examples, 12), suppress_health_check=SLOW)
@given(name=st.sampled_from(FILES), bytes_ops=st.lists(byte_op, max_size=3), line_ops=st.lists(line_op, max_size=3))
def test_validate_never_shows_a_traceback(
    work: Path, name: str, bytes_ops: list[tuple[str, float, Any]], line_ops: list[tuple[str, float, Any]]
) -> None:
    TRIED["examples"] += 1
    data = apply_lines(apply_bytes((BUNDLED / name).read_bytes(), bytes_ops), line_ops)
    with damaged(work, name, data) as root, time_limit(LIMIT_S):
        result = runner.invoke(app, ["validate", "--data", str(root), "--format", "json"])
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 3), result.output
    report = json.loads(result.stdout)
    assert (result.exit_code == 3) == bool(report["errors"])


# -- regressions: each failure the fuzzer found, as a fixed example -------------------------------------------


def test_regression_sub_relation_without_polarity(make_dataset: Any) -> None:
    """A relation with a parent and no polarity was a KeyError (internal error) in the parent-polarity check."""
    root = make_dataset(
        relations="""\
        relations:
          - id: supports
            polarity: 1
            description: Backs.
          - id: leads
            polarity: 0
            description: Leads.
          - id: welcomes
            parent: supports
            description: Welcomes.
        """
    )
    _, report = kgraph.check(root)
    assert [p.message for p in report.errors] == ["relation 'welcomes' has no 'polarity'"]
    result = runner.invoke(app, ["validate", "--data", str(root), "--format", "json"])
    assert result.exit_code == 3
    assert "internal error" not in result.output
