"""Writes that cannot damage: exports and the cache survive a full disk, a refused permission and a kill.

Every file kgraph writes goes to a temporary file in the target's folder and
is renamed into place (``os.replace``). Each failure is simulated, for a
single-file export (json), a folder export (csv), a zip export (neo4j) and
the cache: the previous file must be intact byte for byte, no temporary file
may be left behind (a killed process cannot clean up: the next write removes
its leftovers once they are an hour old), an export must fail with
``error: cannot write …`` and exit code 6, and the cache must fall back
silently to reading the files, with the right answer.

Last, kgraph never writes into the data folder: every registered command is
run against a copy of the bundled data and the folder must be unchanged.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, Self

import pytest
import typer.main
from conftest import BUNDLED, generate_dataset
from export_support import need
from typer.testing import CliRunner

import kgraph
from kgraph import atomic, cache, exporters
from kgraph.cli import app

runner = CliRunner()
ENOSPC = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
EACCES = PermissionError(errno.EACCES, os.strerror(errno.EACCES))

# (format, target name, what the target is)
TARGETS = [("json", "graph.json", "file"), ("csv", "gephi", "folder"), ("neo4j", "neo4j.zip", "zip")]


# -- helpers -----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated dataset of 5,000 facts (a ~2.7 MB JSON export: writes that take a while)."""
    return generate_dataset(5_000, tmp_path_factory.mktemp("big") / "data", seed=3)


def tree(root: Path) -> dict[str, tuple[Any, ...]]:
    """Every file and folder under ``root``: kind, size, mtime, mode and content hash."""
    out: dict[str, tuple[Any, ...]] = {}
    for p in sorted(root.rglob("*")):
        st = p.lstat()
        digest = hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else None
        out[p.relative_to(root).as_posix()] = (p.is_dir(), st.st_size, st.st_mtime_ns, st.st_mode, digest)
    return out


def temps(folder: Path) -> list[str]:
    """kgraph's temporary files in ``folder`` (``.<name>.<random>.tmp``, exports and cache alike)."""
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") and p.name.endswith((".tmp", ".kgc")))


def previous_export(tmp_path: Path, fmt: str, name: str, make_dataset: Callable[..., Path]) -> tuple[Path, Any]:
    """A target holding an earlier export (of a small, different dataset), and a snapshot of it."""
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    target = out / name
    exporters.export(kgraph.load(make_dataset(), cache=False), fmt, target)
    return target, snapshot(target)


def snapshot(target: Path) -> Any:
    if target.is_dir():
        return {p.name: p.read_bytes() for p in sorted(target.iterdir()) if not p.name.startswith(".")}
    return target.read_bytes()


def export_cli(fmt: str, target: Path, data: Path = BUNDLED) -> Any:
    return runner.invoke(app, ["export", fmt, "-o", str(target), "--data", str(data)])


class _FillsUp:
    """A file object that takes ``room`` bytes, then fails every write as a full disk does."""

    def __init__(self, real: Any, room: int) -> None:
        self.real = real
        self.room = room

    def write(self, data: bytes) -> int:
        if len(data) > self.room:
            self.real.write(data[: self.room])
            self.room = 0
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self.room -= len(data)
        return int(self.real.write(data))

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.real.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


def disk_fills_after(monkeypatch: pytest.MonkeyPatch, room: int) -> None:
    """Every file opened with os.fdopen (how kgraph writes its temporary files) fills the disk after ``room`` bytes."""
    real = os.fdopen

    def fdopen(fd: int, *args: Any, **kwargs: Any) -> Any:
        return _FillsUp(real(fd, *args, **kwargs), room)

    monkeypatch.setattr(os, "fdopen", fdopen)


@contextmanager
def tiny_filesystem(where: Path, size: str = "96k") -> Iterator[Path]:
    """A real tmpfs of ``size`` mounted at ``where`` (root only): a disk that really fills up."""
    where.mkdir(parents=True, exist_ok=True)
    need(shutil.which("mount") is not None, "mount", "apt-get install mount")
    if not (hasattr(os, "geteuid") and os.geteuid() == 0):
        pytest.skip("a real tmpfs needs root (the simulated full disk above covers the same code)")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], check=False, capture_output=True, text=True
    )
    if mounted.returncode != 0:
        # A sandbox without CAP_SYS_ADMIN: a property of the machine, not a missing install, so a skip
        # with the reason even in CI (the simulated full disk above runs everywhere).
        pytest.skip(f"this machine refuses to mount a tmpfs: {mounted.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def fill(folder: Path, leave: int) -> None:
    """Fill the file system of ``folder`` until about ``leave`` bytes are free."""
    free = shutil.disk_usage(folder).free
    with open(folder / "filler", "wb") as out, suppress(OSError):  # the disk is full: that is the point
        out.write(b"\0" * max(free - leave, 0))


# -- exports: disk full ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "name", "kind"), TARGETS)
def test_export_on_a_full_disk_keeps_the_previous_file(
    tmp_path: Path, make_dataset: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, fmt: str, name: str, kind: str
) -> None:
    target, before = previous_export(tmp_path, fmt, name, make_dataset)
    kgraph.load(BUNDLED)  # a warm cache: the only file written below is the export
    with monkeypatch.context() as m:
        disk_fills_after(m, 1000)
        result = export_cli(fmt, target)
    assert result.exit_code == 6
    assert result.stderr == f"error: cannot write {str(target)!r}: No space left on device\n"
    assert "Traceback" not in result.output
    assert snapshot(target) == before
    assert temps(target.parent) == [] and (kind != "folder" or temps(target) == [])


def test_export_to_a_really_full_disk_keeps_the_previous_file(tmp_path: Path) -> None:
    with tiny_filesystem(tmp_path / "tiny") as tiny:
        target = tiny / "graph.json"
        target.write_bytes(b"the previous export\n")
        fill(tiny, leave=16 * 1024)  # the bundled graph's JSON is ~100 KB
        result = export_cli("json", target)
        assert result.exit_code == 6, result.output
        assert result.stderr == f"error: cannot write {str(target)!r}: No space left on device\n"
        assert target.read_bytes() == b"the previous export\n"
        assert temps(tiny) == []
        (tiny / "filler").unlink()
        assert export_cli("json", target).exit_code == 0  # with room again, the same command works
        assert len(json.loads(target.read_bytes())["edges"]) == len(kgraph.load(BUNDLED).facts)


# -- exports: permission denied ------------------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "name", "kind"), TARGETS)
@pytest.mark.parametrize("step", ["mkstemp", "replace"])
def test_export_refused_permission_keeps_the_previous_file(
    tmp_path: Path,
    make_dataset: Callable[..., Path],
    monkeypatch: pytest.MonkeyPatch,
    fmt: str,
    name: str,
    kind: str,
    step: str,
) -> None:
    target, before = previous_export(tmp_path, fmt, name, make_dataset)
    kgraph.load(BUNDLED)

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise EACCES

    with monkeypatch.context() as m:
        m.setattr(tempfile if step == "mkstemp" else os, step, refuse)
        result = export_cli(fmt, target)
    assert result.exit_code == 6, result.output
    assert result.stderr == f"error: cannot write {str(target)!r}: Permission denied\n"
    assert snapshot(target) == before
    assert temps(target.parent) == [] and (kind != "folder" or temps(target) == [])


def _without_write_permission() -> list[str]:
    """A command prefix under which the permissions of files are enforced (root's override dropped)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    need(setpriv is not None, "setpriv (to drop root's permission override)", "apt-get install util-linux")
    assert setpriv is not None
    prefix = [setpriv, "--bounding-set=-dac_override,-dac_read_search"]
    probe = subprocess.run([*prefix, "true"], check=False, capture_output=True, text=True)
    if probe.returncode != 0:
        # A sandbox that will not let root drop capabilities: the simulated refusals above run everywhere.
        pytest.skip(f"this machine refuses to drop root's permission override: {probe.stderr.strip()}")
    return prefix


@pytest.mark.parametrize(("fmt", "name", "kind"), TARGETS)
def test_export_into_a_read_only_folder_for_real(
    tmp_path: Path, make_dataset: Callable[..., Path], fmt: str, name: str, kind: str
) -> None:
    target, before = previous_export(tmp_path, fmt, name, make_dataset)
    locked = target if kind == "folder" else target.parent
    locked.chmod(0o555)
    try:
        proc = subprocess.run(
            [
                *_without_write_permission(),
                sys.executable,
                "-m",
                "kgraph",
                "--no-cache",
                "export",
                fmt,
                "-o",
                str(target),
                "--data",
                str(BUNDLED),
            ],
            check=False,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        locked.chmod(0o755)
    assert proc.returncode == 6, proc.stderr
    assert proc.stderr == f"error: cannot write {str(target)!r}: Permission denied\n"
    assert snapshot(target) == before
    assert temps(target.parent) == [] and (kind != "folder" or temps(target) == [])


# -- exports: killed mid-write ----------------------------------------------------------------------------------

# Exports the dataset argv[1] as argv[2] to argv[3]; with argv[4] == "stall", says "writing" and
# sleeps once its temporary file is complete and flushed, just before the rename.
KILLABLE_EXPORT = """
import os, sys, time
import kgraph
from kgraph import exporters
kg = kgraph.load(sys.argv[1])
if sys.argv[4] == "stall":
    real_fsync = os.fsync
    def fsync(fd):
        real_fsync(fd)
        print("writing", flush=True)
        time.sleep(120)
    os.fsync = fsync
print("exporting", flush=True)
exporters.export(kg, sys.argv[2], sys.argv[3])
"""


def _spawn(code: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, text=True)


def _kill_when(proc: subprocess.Popen[str], line: str) -> None:
    assert proc.stdout is not None
    for got in proc.stdout:
        if got.strip() == line:
            break
    else:
        pytest.fail(f"the writer ended without saying {line!r}")
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL


def _age(folder: Path, names: list[str], seconds: float) -> None:
    for n in names:
        then = time.time() - seconds
        os.utime(folder / n, (then, then))


@pytest.mark.parametrize(("fmt", "name", "kind"), TARGETS)
def test_export_killed_mid_write_keeps_the_previous_file(
    tmp_path: Path, make_dataset: Callable[..., Path], big: Path, fmt: str, name: str, kind: str
) -> None:
    target, before = previous_export(tmp_path, fmt, name, make_dataset)
    kgraph.load(big)  # warm cache for the writer
    proc = _spawn(KILLABLE_EXPORT, str(big), fmt, str(target), "stall")
    _kill_when(proc, "writing")
    assert snapshot(target) == before
    where = target if kind == "folder" else target.parent
    left = temps(where)
    assert left, "the writer was killed with its temporary file in place"
    # the next export removes leftovers an hour old, and never a temporary file that may still be written
    fresh = left[0].rsplit(".", 2)[0] + ".fresh-writer.tmp"  # one of ours for the same file, just started
    (where / fresh).write_bytes(b"another writer, still at work")
    _age(where, left, atomic.STALE_TEMP_S + 60)
    result = export_cli(fmt, target)
    assert result.exit_code == 0, result.output
    assert temps(where) == [fresh]
    assert snapshot(target) != before


def test_export_killed_at_any_moment_leaves_the_old_file_or_the_new_one(tmp_path: Path, big: Path) -> None:
    """No stall: the writer is killed as soon as its temporary file shows up, or at set delays."""
    target = tmp_path / "graph.json"
    exporters.export(kgraph.load(big), "json", tmp_path / "expected.json")
    new = (tmp_path / "expected.json").read_bytes()
    old = b'{"an": "earlier export"}\n'
    caught = 0
    for attempt in range(4):
        target.write_bytes(old)
        proc = _spawn(KILLABLE_EXPORT, str(big), "json", str(target), "run")
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "exporting"
        deadline = time.monotonic() + 60
        while proc.poll() is None and time.monotonic() < deadline:
            left = temps(tmp_path)  # killed as soon as the temporary file exists, or once it has bytes
            if left and (attempt % 2 == 0 or _size(tmp_path / left[0]) > 0):
                proc.send_signal(signal.SIGKILL)
                caught += 1
                break
            time.sleep(0.0005)
        proc.wait(timeout=60)
        assert target.read_bytes() in (old, new)  # never half of one
        for t in temps(tmp_path):
            (tmp_path / t).unlink()
    print(f"killed mid-write {caught} of 4 times")


# -- kgraph.atomic's bare step (for callers with error handling of their own, such as a cache) ------------------


def test_replace_bytes_keeps_permissions_or_sets_the_given_mode(tmp_path: Path) -> None:
    target = tmp_path / "entry"
    target.write_bytes(b"old")
    target.chmod(0o640)
    atomic.replace_bytes(target, b"new", fsync=False)
    assert target.read_bytes() == b"new" and target.stat().st_mode & 0o777 == 0o640
    atomic.replace_bytes(target, b"newer", mode=0o600)
    assert target.read_bytes() == b"newer" and target.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["entry"]


def test_replace_bytes_raises_oserror_and_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "entry"
    target.write_bytes(b"old")

    def refuse(*args: object, **kwargs: object) -> None:
        raise EACCES

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(PermissionError):  # the bare OSError: the caller decides what a failure means
        atomic.replace_bytes(target, b"new", fsync=False)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["entry"]


# -- the cache ------------------------------------------------------------------------------------------------


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:  # renamed into place meanwhile
        return 0


def _answer(root: Path, cached: bool = True) -> Any:
    return kgraph.who_supports(kgraph.load(root, cache=cached), "belarus")


@pytest.fixture
def data(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(BUNDLED, root)
    return root


def _change(data: Path) -> None:
    """A different dataset: one more supporter of Belarus."""
    text = data / "sources" / "belarus-china-ironclad-friend.txt"
    text.chmod(0o644)
    text.write_text(text.read_text(encoding="utf-8") + "\nRussia backs Belarus.\n", encoding="utf-8")
    src = data / "sources" / "belarus-china-ironclad-friend.yaml"
    src.write_text(
        src.read_text(encoding="utf-8") + "\n  - subject: russia\n    relation: supports\n"
        "    object: belarus\n    quote: Russia backs Belarus.\n",
        encoding="utf-8",
    )


@pytest.mark.parametrize("room", [0, 100, 5000])
def test_cache_on_a_full_disk_falls_back_silently(
    data: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch, room: int
) -> None:
    kgraph.load(data)
    entry = cache.entry_path(data)
    before = entry.read_bytes()
    _change(data)
    expected = _answer(data, cached=False)
    with monkeypatch.context() as m:
        disk_fills_after(m, room)
        assert _answer(data) == expected
    assert entry.read_bytes() == before  # the old entry, intact (and stale: not used)
    assert cache.load_cached(data) is None
    assert temps(cache_dir) == []
    assert _answer(data) == expected  # room again: written, then used
    assert cache.load_cached(data) is not None


@pytest.mark.parametrize("step", ["mkstemp", "replace", "mkdir"])
def test_cache_refused_permission_falls_back_silently(
    data: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    if step != "mkdir":
        kgraph.load(data)
        before = cache.entry_path(data).read_bytes()
    _change(data)
    expected = _answer(data, cached=False)

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise EACCES

    owner: Any = {"mkstemp": tempfile, "replace": os, "mkdir": Path}[step]
    with monkeypatch.context() as m:
        m.setattr(owner, step, refuse)
        result = runner.invoke(app, ["who-supports", "belarus", "--data", str(data), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert json.loads(result.stdout) == json.loads(json.dumps(expected))
    if step != "mkdir":
        assert cache.entry_path(data).read_bytes() == before
    assert temps(cache_dir) == []


def test_cache_in_a_read_only_folder_for_real(data: Path, cache_dir: Path) -> None:
    kgraph.load(data)
    before = cache.entry_path(data).read_bytes()
    _change(data)
    expected = _answer(data, cached=False)
    cache_dir.chmod(0o555)
    try:
        proc = subprocess.run(
            [
                *_without_write_permission(),
                sys.executable,
                "-m",
                "kgraph",
                "who-supports",
                "belarus",
                "--data",
                str(data),
                "--format",
                "json",
            ],
            check=False,
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "KGRAPH_CACHE_DIR": str(cache_dir)},
        )
    finally:
        cache_dir.chmod(0o755)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert json.loads(proc.stdout) == json.loads(json.dumps(expected))
    assert cache.entry_path(data).read_bytes() == before
    assert temps(cache_dir) == []


def test_cache_on_a_really_full_disk_falls_back_silently(
    big: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    expected = _answer(big, cached=False)
    with tiny_filesystem(tmp_path / "tiny", size="256k") as tiny:  # the 5,000-fact entry is ~1 MB
        monkeypatch.setenv("KGRAPH_CACHE_DIR", str(tiny / "cache"))
        assert _answer(big) == expected
        assert temps(tiny / "cache") == []
        assert cache.load_cached(big) is None
        assert _answer(big) == expected


# Loads argv[1] with the cache; stalls just before the new entry is renamed into place.
KILLABLE_CACHE = """
import os, sys, time
import kgraph
def replace(src, dst):
    print("replacing", flush=True)
    time.sleep(120)
os.replace = replace
kgraph.load(sys.argv[1])
"""


def test_cache_killed_mid_write_keeps_the_previous_entry(big: Path, tmp_path: Path, cache_dir: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(big, data)
    kgraph.load(data)
    entry = cache.entry_path(data)
    before = entry.read_bytes()
    _change_big(data)
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLABLE_CACHE, str(data)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "KGRAPH_CACHE_DIR": str(cache_dir)},
    )
    _kill_when(proc, "replacing")
    assert entry.read_bytes() == before
    left = temps(cache_dir)
    assert len(left) == 1 and left[0].startswith(f".{entry.name}.") and left[0].endswith(".tmp")
    expected = _answer(data, cached=False)
    assert _answer(data) == expected  # the stale entry is not used; a fresh one replaces it
    assert temps(cache_dir) == left  # a temporary file less than an hour old may be another writer's
    _age(cache_dir, left, 2 * 3600)
    _change_big(data)
    assert _answer(data) == _answer(data, cached=False)
    assert temps(cache_dir) == []  # the next write removed the killed writer's leftover


def _change_big(data: Path) -> None:
    first = min((data / "sources").glob("*.yaml"))
    first.write_text(first.read_text(encoding="utf-8") + "\n", encoding="utf-8")


# -- the data folder is read, never written -------------------------------------------------------------------------

ENTITY_ARGS = ["belarus", "china"]
SUFFIX = {"draw": ".svg", "view": ".html"}
# arguments that are not entities (kgraph completion SHELL, kgraph sentences SOURCE)
NON_ENTITY_ARGS = {"shell": "bash", "source_id": "belarus-china-ironclad-friend"}
# the commands whose job is to edit the data folder (tests/test_edit_*.py check how they write)
EDITING = {
    ("add",),
    ("entities", "add"),
    ("entities", "rename"),
    ("entities", "merge"),
    ("relations", "add"),
    ("sources", "add"),  # (tests/test_authoring_sources.py)
}


def _commands() -> list[tuple[str, ...]]:
    """Every command of the app that only reads the data, by its words (``("cache", "info")``).

    A group that runs by itself (bare ``kgraph relations`` lists) counts as a command too.
    """
    out: list[tuple[str, ...]] = []

    def walk(cmd: Any, prefix: tuple[str, ...]) -> None:
        for name, sub in sorted(getattr(cmd, "commands", {}).items()):
            if hasattr(sub, "commands"):
                if sub.invoke_without_command:
                    out.append((*prefix, name))
                walk(sub, (*prefix, name))
            elif (*prefix, name) not in EDITING:
                out.append((*prefix, name))

    walk(typer.main.get_command(app), ())
    return out


def _invocations(words: tuple[str, ...], data: Path, out: Path) -> list[list[str]]:
    """How to run a command against ``data``: its arguments filled in from its parameters."""
    cmd: Any = typer.main.get_command(app)
    for w in words:
        cmd = cmd.commands[w]
    args: list[str] = list(words)
    names = iter(ENTITY_ARGS)
    for p in cmd.params:
        if p.param_type_name == "argument" and p.name != "fmt":
            args.append(NON_ENTITY_ARGS[p.name] if p.name in NON_ENTITY_ARGS else next(names))
        elif p.name == "data":
            args += ["--data", str(data)]
        elif p.name == "fmt" and p.param_type_name == "option":
            args += ["--format", "json"]
    if words == ("export",):
        runs = []
        for e in exporters.REGISTRY.values():
            target = out / (f"export-{e.name}" + (e.suffixes[0] if e.suffixes else ""))
            runs.append([*args, e.name, "-o", str(target)])
        return runs
    if any(p.name == "output" for p in cmd.params):
        args += ["-o", str(out / ("-".join(words) + SUFFIX.get(words[0], ".out")))]
    return [args]


def test_every_command_leaves_the_data_folder_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, oxigraph_server: Any
) -> None:
    monkeypatch.setitem(NON_ENTITY_ARGS, "store_url", oxigraph_server.url)  # `kgraph push STORE_URL` (tests/stores.py)
    data = tmp_path / "data"
    shutil.copytree(BUNDLED, data)
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.chdir(data)  # a command writing to the current folder would write into the data folder
    monkeypatch.setenv("KGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    before = tree(data)
    ran: set[tuple[str, ...]] = set()
    for words in _commands():
        for args in _invocations(words, data, out):
            result = runner.invoke(app, args)  # (with the cache: it is written, in its own folder)
            assert result.exit_code == 0, (args, result.output)
            ran.add(words)
    assert tree(data) == before
    assert ran == set(_commands()) and {("who-supports",), ("export",), ("cache", "clear")} <= ran


def test_cache_clear_removes_leftover_temporary_files(data: Path, cache_dir: Path) -> None:
    kgraph.load(data)
    (cache_dir / ".0123abcd.kgc.killedwriter.tmp").write_bytes(b"half an entry")
    result = runner.invoke(app, ["cache", "clear", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["removed"]) == 2
    assert cache_files_in(cache_dir) == []


def cache_files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())
