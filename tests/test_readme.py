"""Every `$ kgraph …` line in README.md and in the pages under docs/ runs, and prints what the page shows under it.

How a page is read
------------------
Examples are the lines starting with ``$ `` inside fenced ``console`` blocks::

    ```console
    $ kgraph who-supports belarus --format table
    Who supports Belarus
    ...
    ```

The lines under a command, up to the next ``$`` line or the end of the
block, are what it prints. Each shown line that is not blank must be among
the lines printed on stdout and stderr (whitespace folded; lines the page
leaves out are not checked). When the first shown line starts with ``{`` or
``[``, stdout is compared as parsed JSON with all the shown lines. A command
whose shown output has an ``error:`` line must fail; every other command must
exit 0. A trailing ``# comment`` on the command line is dropped. Examples
must be ``kgraph`` commands. No traceback may be printed.

Where the commands run
----------------------
Each block is a session, as a reader would type it into one shell: its
commands run in order, in one scratch folder of their own, with a cache
folder of their own. The scratch folder has ``data``, ``tests`` and ``docs``
linking to the repository's, so paths like ``tests/data/broken`` work as in
a checkout. Running one example alone (``pytest -k``) first runs the commands
before it in its block, so it sees the same state.

Which data
----------
The README's examples, and a page's unless it says otherwise, answer from the
bundled dataset (``KGRAPH_DATA`` is removed from the environment). A page
sets its own dataset with one line anywhere in it::

    <!-- kgraph-data: examples/curating -->

a folder relative to the page (here ``docs/examples/curating``). Each block
of that page then gets a fresh copy of the folder in its scratch folder,
under the folder's own name, and ``KGRAPH_DATA`` names that copy; messages
read ``curating/sources/…``, as they would for a reader who runs the commands
beside their own ``curating`` folder. Commands that change the data change
the copy only, and the next block starts from the folder as committed.

Adding a page
-------------
Write ``docs/NAME.md`` (any depth under docs/) with ``console`` blocks as
above; its examples are found and run with no change here. Test ids read
``docs/NAME.md:LINE`` (``README:LINE`` for the README).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = ROOT / "docs"
LINKED = ("data", "tests", "docs")  # folders of the repository seen from each scratch folder
BLOCK = re.compile(r"```console\n(.*?)```", flags=re.DOTALL)
DATA_MARKER = re.compile(r"<!--\s*kgraph-data:\s*(.*?)\s*-->")


@dataclass(frozen=True)
class Example:
    """One ``$ kgraph`` line of a page, with the lines the page shows under it."""

    page: Path
    block: int  # which console block of the page, from 0
    lineno: int  # the command's line in the page
    command: str
    expected: tuple[str, ...]
    data: Path | None  # the page's own dataset, or None for the bundled data

    @property
    def where(self) -> str:
        if self.page == README:
            name = "README"
        elif self.page.is_relative_to(ROOT):
            name = self.page.relative_to(ROOT).as_posix()
        else:
            name = str(self.page)
        return f"{name}:{self.lineno}"


def pages() -> list[Path]:
    """The README, then every Markdown page under docs/."""
    return [README, *sorted(DOCS.rglob("*.md"))] if DOCS.is_dir() else [README]


def page_data(page: Path, text: str) -> Path | None:
    """The dataset a page sets with ``<!-- kgraph-data: FOLDER -->``, relative to the page; None when unset."""
    found: list[str] = DATA_MARKER.findall(text)
    if not found:
        return None
    if len(found) > 1:
        raise ValueError(f"{page}: more than one kgraph-data line ({', '.join(found)})")
    return (page.parent / found[0]).resolve()


def examples_of(page: Path, text: str | None = None) -> list[Example]:
    """Every ``$ kgraph`` line of the page's console blocks, in order."""
    text = page.read_text(encoding="utf-8") if text is None else text
    data = page_data(page, text)
    out: list[Example] = []
    for n, block in enumerate(BLOCK.finditer(text)):
        start_line = text[: block.start()].count("\n") + 2
        current: tuple[int, str, list[str]] | None = None
        for i, line in enumerate(block.group(1).splitlines()):
            if line.startswith("$ "):
                if current:
                    out.append(Example(page, n, current[0], current[1], tuple(current[2]), data))
                current = (start_line + i, line[2:], [])
            elif current is not None:
                current[2].append(line)
        if current:
            out.append(Example(page, n, current[0], current[1], tuple(current[2]), data))
    return out


EXAMPLES = [example for page in pages() for example in examples_of(page)]


@dataclass
class Session:
    """A block's scratch folder, environment and how many of its commands have run."""

    cwd: Path
    env: dict[str, str]
    ran: list[str] = field(default_factory=list)


_SESSIONS: dict[tuple[Path, int], Session] = {}


def session_for(example: Example, tmp_path_factory: pytest.TempPathFactory) -> Session:
    key = (example.page, example.block)
    if key not in _SESSIONS:
        _SESSIONS[key] = new_session(example.data, tmp_path_factory.mktemp(f"block{example.block}-"))
    return _SESSIONS[key]


def new_session(data: Path | None, root: Path) -> Session:
    """A scratch folder under ``root`` with the repository's folders linked, and the page's data copied in."""
    cwd = root / "work"
    cwd.mkdir(parents=True)
    env = {k: v for k, v in os.environ.items() if k != "KGRAPH_DATA"}
    env["COLUMNS"] = "120"
    env["KGRAPH_CACHE_DIR"] = str(root / "cache")
    if data is not None:
        assert data.is_dir(), f"the page's kgraph-data folder {data} does not exist"
        shutil.copytree(data, cwd / data.name, symlinks=True)
        env["KGRAPH_DATA"] = data.name
    for name in LINKED:
        if not (cwd / name).exists():
            (cwd / name).symlink_to(ROOT / name)
    return Session(cwd, env)


def run(command: str, session: Session) -> subprocess.CompletedProcess[str]:
    """Run one example's command line in its block's session."""
    argv = shlex.split(re.sub(r"\s+#.*$", "", command))  # drop a trailing comment
    assert argv[0] == "kgraph", f"examples must be kgraph commands: `{command}`"
    done = subprocess.run(
        [sys.executable, "-m", "kgraph", *argv[1:]],
        check=False,
        cwd=session.cwd,
        env=session.env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    session.ran.append(command)
    return done


def _fold(line: str) -> str:
    return " ".join(line.split())


def check(example: Example, done: subprocess.CompletedProcess[str]) -> None:
    """Assert that a command printed what its page shows, and exited as it implies."""
    printed = done.stdout + done.stderr
    command, where = example.command, example.where
    assert "Traceback" not in printed, f"{where}: `{command}` printed a traceback:\n{printed}"
    shown = [line for line in example.expected if line.strip()]
    if any(line.startswith("error:") for line in shown):
        assert done.returncode != 0, f"{where} shows an error, but `{command}` succeeded"
    else:
        assert done.returncode == 0, f"`{command}` ({where}) failed:\n{printed}"
    if shown and shown[0].lstrip().startswith(("{", "[")):
        assert json.loads(done.stdout) == json.loads("\n".join(example.expected)), where
        return
    got = [_fold(line) for line in printed.splitlines()]
    for line in shown:
        assert _fold(line) in got, f"{where}: `{command}` did not print {line!r}; it printed:\n{printed}"


def test_readme_has_examples() -> None:
    commands = [e.command for e in EXAMPLES if e.page == README]
    assert any(c.startswith("kgraph who-supports belarus") for c in commands)
    assert len(commands) >= 8


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.where for e in EXAMPLES])
def test_example(example: Example, tmp_path_factory: pytest.TempPathFactory) -> None:
    session = session_for(example, tmp_path_factory)
    block = [e for e in EXAMPLES if (e.page, e.block) == (example.page, example.block)]
    for earlier in block[len(session.ran) : block.index(example)]:  # run alone: first what comes before it
        run(earlier.command, session)
    assert len(session.ran) == block.index(example), f"{example.where} ran twice in one session"
    check(example, run(example.command, session))


# -- the mechanism itself, on pages written here --------------------------------------------------------------

PAGE = """\
# Curating

<!-- kgraph-data: mydata -->

```console
$ kgraph who-supports betaland --format json   # answered from the page's data
{"target": {"id": "betaland", "name": "Betaland", "type": "country"},
 "results": [{"entity": {"id": "alphaland", "name": "Alphaland", "type": "country"}, "score": 1,
   "evidence": [{"id": "%(id)s", "subject": {"id": "alphaland", "name": "Alphaland", "type": "country"},
   "relation": "supports", "object": {"id": "betaland", "name": "Betaland", "type": "country"}, "polarity": 1,
   "date": "2021", "start": null, "end": null, "source": "art", "quote": "Alphaland backs Betaland.",
   "according_to": null, "qualifiers": {}, "modality": "asserted", "disputed_by": [], "via": [],
   "facts": [{"id": "%(id)s", "subject": {"id": "alphaland", "name": "Alphaland", "type": "country"},
     "relation": "supports", "object": {"id": "betaland", "name": "Betaland", "type": "country"}, "polarity": 1,
     "date": "2021", "start": null, "end": null, "source": "art", "quote": "Alphaland backs Betaland.",
     "according_to": null, "qualifiers": {}, "modality": "asserted", "disputed_by": []}],
   "sources": ["art"]}], "via": []}]}
$ kgraph who-supports belarus
error: unknown entity 'belarus'
```

Not an example: `$ kgraph stats`.

```sh
$ kgraph stats
```

```console
$ kgraph stats --format table

$ kgraph entity alpha
```
"""


def write_page(folder: Path) -> Path:
    """``folder/curating.md`` (the page above) beside its dataset ``folder/mydata`` (conftest's small one)."""
    from conftest import write_dataset

    import kgraph

    data = write_dataset(folder / "mydata")
    fact = next(f.id for f in kgraph.load(data, cache=False).facts if f.relation == "supports")
    page = folder / "curating.md"
    page.write_text(PAGE % {"id": fact}, encoding="utf-8")
    return page


def test_a_page_is_read_block_by_block(tmp_path: Path) -> None:
    page = write_page(tmp_path)
    found = examples_of(page)
    assert [(e.block, e.command.split("#")[0].strip()) for e in found] == [
        (0, "kgraph who-supports betaland --format json"),
        (0, "kgraph who-supports belarus"),
        (1, "kgraph stats --format table"),
        (1, "kgraph entity alpha"),
    ]
    assert found[1].expected == ("error: unknown entity 'belarus'",)
    assert found[2].expected == ("",)
    assert {e.data for e in found} == {(tmp_path / "mydata").resolve()}
    assert found[0].lineno == 6 and found[2].lineno == 29


def test_a_page_without_a_data_line_uses_the_bundled_data(tmp_path: Path) -> None:
    page = tmp_path / "plain.md"
    page.write_text("```console\n$ kgraph relations\n```\n", encoding="utf-8")
    assert [e.data for e in examples_of(page)] == [None]
    with pytest.raises(ValueError, match="more than one kgraph-data line"):
        page_data(page, "<!-- kgraph-data: a -->\n<!-- kgraph-data: b -->\n")


def test_a_page_runs_against_a_copy_of_its_data(tmp_path: Path) -> None:
    page = write_page(tmp_path)
    first, second = examples_of(page)[:2]
    session = new_session(first.data, tmp_path / "session")
    done = run(first.command, session)
    check(first, done)
    assert (session.cwd / "mydata" / "relations.yaml").is_file()  # the copy, under the folder's own name
    assert session.env["KGRAPH_DATA"] == "mydata"
    assert (session.cwd / "data").resolve() == (ROOT / "data").resolve()
    check(second, run(second.command, session))  # belarus is in the bundled data, not in this page's


def test_a_wrong_example_fails(tmp_path: Path) -> None:
    page = write_page(tmp_path)
    first = examples_of(page)[0]
    session = new_session(first.data, tmp_path / "session")
    wrong = Example(page, 0, 1, "kgraph who-supports alphaland", ("Betaland",), first.data)
    with pytest.raises(AssertionError, match="did not print 'Betaland'"):
        check(wrong, run(wrong.command, session))
    failing = Example(page, 0, 1, "kgraph who-supports nowhere", ("No one",), first.data)
    with pytest.raises(AssertionError, match="failed"):
        check(failing, run(failing.command, session))
