"""Edits that cannot lose data: concurrent adds, failing writes, files changed meanwhile.

- Several ``kgraph add`` processes on the same source at once: every fact lands
  (the folder lock makes them take turns; each re-reads the file it edits).
- A full disk or a refused permission, simulated at each step of a write
  (creating the temporary file, writing it, renaming it into place, for one
  file and for the second of two): exit code 6, one ``error:`` line, every
  data file byte for byte as it was, no temporary file left.
- A file changed on disk by someone else between the command's read and its
  write: the command refuses, and the other change is kept.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from conftest import BUNDLED
from typer.testing import CliRunner

import kgraph
from kgraph.authoring import edit as edit_module
from kgraph.authoring.add import sentences
from kgraph.cli import app

runner = CliRunner()
SRC = "belarus-china-ironclad-friend"
ENOSPC = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
EACCES = PermissionError(errno.EACCES, os.strerror(errno.EACCES))


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def data(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(BUNDLED, root)
    return root


def test_concurrent_adds_all_land(data: Path, tmp_path: Path) -> None:
    text = (data / "sources" / f"{SRC}.txt").read_text(encoding="utf-8")
    n = 6
    env = {**os.environ, "KGRAPH_CACHE_DIR": str(tmp_path / "cache")}
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "kgraph",
                "add",
                "the-west",
                "pressures",
                "belarus",
                "--source",
                SRC,
                "--sentence",
                str(i + 1),
                "--data",
                str(data),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )  # fmt: skip
        for i in range(n)
    ]
    results = [p.communicate(timeout=120) + (p.returncode,) for p in procs]
    assert [r[2] for r in results] == [0] * n, results
    before = {f.id for f in kgraph.load(BUNDLED).facts}
    added = [f for f in kgraph.load(data, cache=False).facts if f.id not in before]
    assert all((f.subject, f.relation, f.object) == ("the-west", "pressures", "belarus") for f in added)
    assert sorted(f.quote for f in added) == sorted(sentences(text)[:n])


def _add(data: Path) -> tuple[int, str, str]:
    result = runner.invoke(
        app,
        ["add", "china", "welcomes", "belarus", "--source", SRC, "--sentence", "2", "--date", "2021", "--data",
         str(data)],
    )  # fmt: skip
    return result.exit_code, result.stdout, result.stderr


def _rename(data: Path) -> tuple[int, str, str]:
    result = runner.invoke(app, ["entities", "rename", "makei", "vladimir-makei", "--data", str(data)])
    return result.exit_code, result.stdout, result.stderr


def _failing(real: Any, error: OSError, after: int, data: Path | None) -> Any:
    """``real`` that works ``after`` times on the data folder's files, then raises ``error``.

    Calls on other files (the cache's) are let through and not counted; with ``data`` None, every call counts.
    """
    calls = [0]

    def fake(*args: Any, **kw: Any) -> Any:
        ours = data is None or any(str(data) in str(a) for a in (*args, *kw.values()))
        if ours:
            calls[0] += 1
            if calls[0] > after:
                raise error
        return real(*args, **kw)

    return fake


FAILURES = [
    ("mkstemp", ENOSPC, 0),
    ("mkstemp", EACCES, 0),
    ("mkstemp", EACCES, 1),  # the second file's temporary file (rename touches two files)
    ("write", ENOSPC, 0),
    ("replace", ENOSPC, 0),
    ("replace", EACCES, 1),  # the first file is in place when the second fails: it must be put back
]


@pytest.mark.parametrize("command", [_add, _rename], ids=["add", "rename"])
@pytest.mark.parametrize("where,error,after", FAILURES, ids=[f"{w}-{e.errno}-{a}" for w, e, a in FAILURES])
def test_a_failing_write_changes_nothing(
    data: Path, monkeypatch: pytest.MonkeyPatch, command: Any, where: str, error: OSError, after: int
) -> None:
    before = files(data)
    if where == "mkstemp":
        monkeypatch.setattr(tempfile, "mkstemp", _failing(tempfile.mkstemp, error, after, data))
    elif where == "write":  # (os.write takes a descriptor: the cache is switched off instead)
        monkeypatch.setenv("KGRAPH_NO_CACHE", "1")
        monkeypatch.setattr(os, "write", _failing(os.write, error, after, None))
    else:
        monkeypatch.setattr(os, "replace", _failing(os.replace, error, after, data))
    code, out, err = command(data)
    monkeypatch.undo()
    if after and command is _add:  # one file only: the failure never comes
        assert code == 0, err
        return
    assert code == 6, err
    assert out == "" and err.startswith("error: cannot write ") and err.count("\n") == 1
    assert "no file was changed" in err
    assert files(data) == before  # (and so no temporary file is left either)


def test_a_file_changed_meanwhile_is_not_overwritten(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    article = data / "sources" / f"{SRC}.yaml"
    real_check = edit_module.Edit.check

    def check_then_someone_saves(self: Any, *args: Any, **kw: Any) -> Any:
        kg = real_check(self, *args, **kw)
        with open(article, "a", encoding="utf-8") as fh:
            fh.write("# a note saved from an editor meanwhile\n")
        return kg

    monkeypatch.setattr(edit_module.Edit, "check", check_then_someone_saves)
    code, _, err = _add(data)
    assert code == 6 and "changed on disk while the edit was prepared" in err and err.count("\n") == 1
    assert article.read_text(encoding="utf-8").endswith("# a note saved from an editor meanwhile\n")
    assert (BUNDLED / "sources" / f"{SRC}.yaml").read_bytes() + b"# a note saved from an editor meanwhile\n" == (
        article.read_bytes()
    )


def test_a_read_only_data_file_keeps_its_mode_after_an_edit(data: Path) -> None:
    article = data / "sources" / f"{SRC}.yaml"
    article.chmod(0o640)
    code, _, err = _add(data)
    assert code == 0, err
    assert article.stat().st_mode & 0o777 == 0o640
