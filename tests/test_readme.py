"""Every `$ kgraph …` line in README.md runs, and prints what the README shows under it.

A block's expected lines are compared line by line (whitespace folded) with
what the command printed on stdout and stderr; JSON output is compared as
parsed JSON. A command whose shown output has an ``error:`` line must fail;
every other command must exit 0.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def _examples() -> list[tuple[int, int, str, list[str]]]:
    """(block number, line number, command, lines shown under it) for every `$ kgraph` line."""
    text = README.read_text(encoding="utf-8")
    out: list[tuple[int, int, str, list[str]]] = []
    for n, block in enumerate(re.finditer(r"```console\n(.*?)```", text, flags=re.DOTALL)):
        start_line = text[: block.start()].count("\n") + 2
        current: tuple[int, int, str, list[str]] | None = None
        for i, line in enumerate(block.group(1).splitlines()):
            if line.startswith("$ "):
                if current:
                    out.append(current)
                current = (n, start_line + i, line[2:], [])
            elif current is not None:
                current[3].append(line)
        if current:
            out.append(current)
    return out


EXAMPLES = _examples()


_BLOCK_CACHES: dict[int, Path] = {}


def test_readme_has_examples() -> None:
    commands = [c for _, _, c, _ in EXAMPLES]
    assert any(c.startswith("kgraph who-supports belarus") for c in commands)
    assert len(commands) >= 8


def _fold(line: str) -> str:
    return " ".join(line.split())


@pytest.mark.parametrize("block,lineno,command,expected", EXAMPLES, ids=[f"README:{n}" for _, n, _, _ in EXAMPLES])
def test_readme_example(
    block: int, lineno: int, command: str, expected: list[str], tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    command = re.sub(r"\s+#.*$", "", command)  # drop a trailing comment
    argv = shlex.split(command)
    assert argv[0] == "kgraph", f"README line {lineno}: examples must be kgraph commands"
    # run from a scratch folder that sees the repo's data and tests (files written by examples land there)
    for name in ("data", "tests"):
        (tmp_path / name).symlink_to(ROOT / name)
    env = {k: v for k, v in os.environ.items() if k != "KGRAPH_DATA"}
    env["COLUMNS"] = "120"
    # the commands of one block share a cache of their own (in order, as a reader would run them)
    env["KGRAPH_CACHE_DIR"] = str(_BLOCK_CACHES.setdefault(block, tmp_path_factory.mktemp(f"cache{block}")))
    done = subprocess.run(
        [sys.executable, "-m", "kgraph", *argv[1:]],
        check=False,
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    printed = done.stdout + done.stderr
    assert "Traceback" not in printed
    shown = [line for line in expected if line.strip()]
    fails = any(line.startswith("error:") for line in shown)
    if fails:
        assert done.returncode != 0, f"README line {lineno} shows an error, but `{command}` succeeded"
    else:
        assert done.returncode == 0, f"`{command}` (README line {lineno}) failed:\n{printed}"
    if shown and shown[0].lstrip().startswith(("{", "[")):
        assert json.loads(done.stdout) == json.loads("\n".join(expected))
        return
    got = [_fold(line) for line in printed.splitlines()]
    for line in shown:
        assert _fold(line) in got, f"README line {lineno}: `{command}` did not print {line!r}; it printed:\n{printed}"
