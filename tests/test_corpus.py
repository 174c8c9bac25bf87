"""The corpus of broken datasets: every way a dataset can be wrong, each refused with its exact message.

Each folder under ``tests/corpus/`` is a whole dataset (the tiny base dataset
of ``clean-base`` with one thing changed) plus an ``expect.yaml`` saying what
``kgraph validate`` must report: the exit code and every problem (file,
line, column, message, suggestion), nothing more. A person can run one by
hand: ``kgraph validate --data tests/corpus/unknown-entity`` (with the
``env:`` of its expect.yaml set, for the limit cases).

Cases that cannot live in git (huge or sparse files, symlinks, FIFOs,
unreadable files, a missing folder) are made at test time by the generators
in ``GENERATED`` below, into ``tmp_path``.

Every case is run through the CLI twice: ``validate --format json`` (and the
table format: one line per problem) and a query (``who-supports``) that must
fail with the first problem as its one-line error, exit code 3; a few are run
as real processes too. None may print a traceback.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO
from typer.testing import CliRunner, Result

from kgraph import suggest
from kgraph.cli import app
from kgraph.errors import Problem
from kgraph.limits import DEFAULTS
from kgraph.loading.quotes import MAX_SENTENCES_SEARCHED

CORPUS = Path(__file__).resolve().parent / "corpus"
BASE = CORPUS / "clean-base"
COMMITTED = sorted(p.name for p in CORPUS.iterdir() if (p / "expect.yaml").is_file())

runner = CliRunner()

Expect = dict[str, Any]


@pytest.fixture(autouse=True)
def _no_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The caller's KGRAPH_* settings must not leak in (the cache folder apart: conftest keeps it private)."""
    for name in list(os.environ):
        if name.startswith("KGRAPH_") and name != "KGRAPH_CACHE_DIR":
            monkeypatch.delenv(name)
    monkeypatch.delenv("COLUMNS", raising=False)
    yield


def problems(root: Path, expect: Expect, kind: str) -> list[Problem]:
    """The expected problems of one kind as :class:`Problem` values, paths under ``root``."""
    out = []
    for p in expect.get(kind) or []:
        path = str(root) if p["file"] == "." else str(root / p["file"])
        out.append(
            Problem(
                path,
                p["line"],
                p["column"],
                p["message"],
                kind[:-1] if kind == "errors" else "warning",
                p.get("suggestion"),
            )
        )
    return out


def check_no_traceback(result: Result) -> None:
    for text in (result.stdout, result.stderr):
        assert "Traceback" not in text
        assert "internal error" not in text


def check_validate(root: Path, expect: Expect) -> None:
    """``kgraph validate`` reports exactly the expected problems, in JSON and as table lines, with the exit code."""
    env = expect.get("env") or {}
    result = runner.invoke(app, ["validate", "--data", str(root), "--format", "json"], env=env)
    check_no_traceback(result)
    assert result.exit_code == expect["exit"], result.stdout + result.stderr
    if expect["exit"] == 2:  # a usage error: nothing validated
        assert result.stderr == expect["stderr"] + "\n"
        assert result.stdout == ""
        return
    errors, warnings = problems(root, expect, "errors"), problems(root, expect, "warnings")
    got = json.loads(result.stdout)
    assert got == {"errors": [p.to_dict() for p in errors], "warnings": [p.to_dict() for p in warnings]}
    n = len(errors)
    assert result.stderr == (f"error: the data has {n} problem{'s' * (n != 1)} (listed above)\n" if n else "")
    table = runner.invoke(app, ["validate", "--data", str(root), "--format", "table"], env=env)
    assert table.exit_code == expect["exit"]
    lines = table.stdout.splitlines()
    assert lines[:-1] == [str(p) for p in errors + warnings]  # one line per problem, file:line:column first
    assert lines[-1] == f"{n} error{'s' * (n != 1)}, {len(warnings)} warning{'s' * (len(warnings) != 1)}"


def check_query(root: Path, expect: Expect) -> None:
    """A query on the dataset fails with the first problem as its one error line, or answers when it is valid."""
    env = expect.get("env") or {}
    result = runner.invoke(app, ["--data", str(root), "who-supports", "betaland", "--format", "json"], env=env)
    check_no_traceback(result)
    assert result.exit_code == expect["exit"], result.stdout + result.stderr
    if expect["exit"] == 2:
        assert result.stderr == expect["stderr"] + "\n"
    elif expect["exit"] == 3:
        errors = problems(root, expect, "errors")
        n = len(errors)
        more = f" (and {n - 1} more problem{'s' * (n != 2)}; run 'kgraph validate')" if n > 1 else ""
        assert result.stderr == f"error: {errors[0].brief()}{more}\n"
        assert result.stdout == ""
    else:
        answer = json.loads(result.stdout)
        assert answer["target"]["id"] == "betaland"
        assert [r["entity"]["id"] for r in answer["results"]] == ["alphaland"]


def load_expect(folder: Path) -> Expect:
    with open(folder / "expect.yaml", encoding="utf-8") as fh:
        expect: Expect = yaml.safe_load(fh)
    return expect


# -- the committed corpus ---------------------------------------------------------------------


def test_the_corpus_is_large_and_its_base_is_clean() -> None:
    assert len(COMMITTED) >= 50
    assert load_expect(BASE) == {"about": load_expect(BASE)["about"], "exit": 0, "errors": [], "warnings": []}


@pytest.mark.parametrize("case", COMMITTED)
def test_corpus_validate(case: str) -> None:
    check_validate(CORPUS / case, load_expect(CORPUS / case))


@pytest.mark.parametrize("case", COMMITTED)
def test_corpus_query(case: str) -> None:
    check_query(CORPUS / case, load_expect(CORPUS / case))


# -- cases made at test time ---------------------------------------------------------------------


def base_copy(tmp_path: Path, name: str = "data") -> Path:
    root = tmp_path / name
    shutil.copytree(BASE, root, ignore=shutil.ignore_patterns("expect.yaml"))
    return root


def err(file: str, line: int, column: int, message: str, suggestion: str | None = None) -> dict[str, Any]:
    item: dict[str, Any] = {"file": file, "line": line, "column": column, "message": message}
    if suggestion is not None:
        item["suggestion"] = suggestion
    return item


def expect_errors(*errors: dict[str, Any]) -> Expect:
    return {"exit": 3, "errors": list(errors), "warnings": []}


CLEAN: Expect = {"exit": 0, "errors": [], "warnings": []}
Generator = Callable[[Path, pytest.MonkeyPatch], tuple[Path, Expect]]
GENERATED: dict[str, Generator] = {}


def generated(name: str) -> Callable[[Generator], Generator]:
    def register(fn: Generator) -> Generator:
        GENERATED[name] = fn
        return fn

    return register


@generated("huge-file-sparse")
def _huge_file(tmp_path: Path, mp: pytest.MonkeyPatch) -> tuple[Path, Expect]:
    """A YAML file one byte over the limit (sparse: no disk used); refused from its size, before it is read."""
    root = base_copy(tmp_path)
    size = DEFAULTS.max_file_bytes + 1
    with open(root / "entities.yaml", "r+b") as fh:
        fh.truncate(size)
    return root, expect_errors(
        err(
            "entities.yaml",
            0,
            0,
            f"entities.yaml is {size:,} bytes, too big to read (the "
            f"limit is {DEFAULTS.max_file_bytes:,} bytes; set KGRAPH_MAX_FILE_BYTES to raise it)",
        )
    )


@generated("huge-text-sparse")
def _huge_text(tmp_path: Path, mp: pytest.MonkeyPatch) -> tuple[Path, Expect]:
    root = base_copy(tmp_path)
    size = DEFAULTS.max_text_bytes + 1
    with open(root / "sources" / "art.txt", "r+b") as fh:
        fh.truncate(size)
    return root, expect_errors(
        err(
            "sources/art.yaml",
            5,
            9,
            f"art.txt is {size:,} bytes, too big to read (the "
            f"limit is {DEFAULTS.max_text_bytes:,} bytes; set KGRAPH_MAX_TEXT_BYTES to raise it)",
        )
    )


@generated("huge-scalar")
def _huge_scalar(tmp_path: Path, mp: pytest.MonkeyPatch) -> tuple[Path, Expect]:
    """A 2 Mi-character quote (over the 1 Mi limit on one value)."""
    root = base_copy(tmp_path)
    n = 2 * DEFAULTS.max_scalar_chars
    art = root / "sources" / "art.yaml"
    art.write_text(
        art.read_text(encoding="utf-8").replace("quote: Alphaland backs Betaland.", "quote: " + "x" * n),
        encoding="utf-8",
    )
    return root, expect_errors(
        err(
            "sources/art.yaml",
            10,
            12,
            f"a value of {n:,} characters is too long (the limit "
            f"is {DEFAULTS.max_scalar_chars:,}; set KGRAPH_MAX_SCALAR_CHARS to raise it)",
        )
    )


@generated("deep-nesting-100k")
def _deep_flow(tmp_path: Path, mp: pytest.MonkeyPatch) -> tuple[Path, Expect]:
    """100,000 nested '[': refused at libyaml's own 1,000 levels (kgraph's 32 where libyaml has no limit)."""
    root = base_copy(tmp_path)
    (root / "relations.yaml").write_text("relations: " + "[" * 100_000 + "\n", encoding="utf-8")
    return root, expect_errors(
        err(
            "relations.yaml",
            1,
            1011,
            "lists and mappings are nested far too deep here (over 1,000 levels, the YAML parser's limit)",
        )
    )


@generated("deep-block-nesting")
def _deep_block(tmp_path: Path, mp: pytest.MonkeyPatch) -> tuple[Path, Expect]:
    """Block lists nested 5,000 deep: refused at kgraph's limit, the 33rd level."""
    root = base_copy(tmp_path)
    body = "".join(" " * i + "-\n" for i in range(5000))
    (root / "relations.yaml").write_text("relations:\n" + body, encoding="utf-8")
    # the top mapping is level 1 and the list on line n + 1 level n, so line 33 opens level 33
    return root, expect_errors(
        err(
            "relations.yaml",
            33,
            32,
            "lists and mappings are nested more than 32 deep here (the limit is 32; set KGRAPH_MAX_DEPTH to raise it)",
        )
    )


@generated("many-items")
def _many_items(tmp_path: Path, mp: pytest.MonkeyPatch) -> tuple[Path, Expect]:
    """A flat list of more items than the limit, in a file under the size limit."""
    root = base_copy(tmp_path)
    mp.setenv("KGRAPH_MAX_ITEMS", "1000")
    (root / "entities.yaml").write_text("entities: [" + "a, " * 1500 + "a]\n", encoding="utf-8")
    return root, {
        **expect_errors(
            err(
                "entities.yaml",
                1,
                12 + 3 * 1000,
                "a list with more than 1,000 items (the limit is 1,000; set KGRAPH_MAX_ITEMS to raise it)",
            )
        ),
        "env": {"KGRAPH_MAX_ITEMS": "1000"},
    }


@generated("many-values")
def _many_values(tmp_path: Path, mp: pytest.MonkeyPatch) -> tuple[Path, Expect]:
    """Many small lists, each under the item limit, together over the values-per-file limit."""
    root = base_copy(tmp_path)
    (root / "entities.yaml").write_text("entities:\n" + "- [a, a, a, a]\n" * 300, encoding="utf-8")
    return root, {
        **expect_errors(
            err(
                "entities.yaml",
                201,
                13,
                "the file has more than 1,000 values (the limit is 1,000; set KGRAPH_MAX_NODES to raise it)",
            )
        ),
        "env": {"KGRAPH_MAX_NODES": "1000"},
    }


@generated("long-text-many-wrong-quotes")
def _long_text(tmp_path: Path, mp: pytest.MonkeyPatch) -> tuple[Path, Expect]:
    """A text of more sentences than are searched for suggestions, and many quotes not in it: every quote is
    reported, without a suggestion (difflib over every sentence for every quote would be quadratic)."""
    root = base_copy(tmp_path)
    n = MAX_SENTENCES_SEARCHED + 1
    text = (root / "sources" / "art.txt").read_text(encoding="utf-8") + " ".join(
        f"Line {i} says little." for i in range(n)
    )
    (root / "sources" / "art.txt").write_text(text, encoding="utf-8")
    wrong = "".join(
        f"  - subject: alphaland\n    relation: supports\n    object: betaland\n    quote: Line {i} says a lot.\n"
        for i in range(30)
    )
    art = root / "sources" / "art.yaml"
    art.write_text(art.read_text(encoding="utf-8") + wrong, encoding="utf-8")
    return root, expect_errors(
        *(err("sources/art.yaml", 19 + 4 * i, 12, "quote not found in the article text of 'art'") for i in range(30))
    )


@generated("suggestion-budget-spent")
def _budget(tmp_path: Path, mp: pytest.MonkeyPatch) -> tuple[Path, Expect]:
    """Once a load has compared its budget of candidate names, unknown names are still reported, without a
    suggestion (the budget, 2,000,000 candidates, is lowered here to 7: two searches among three entities)."""
    mp.setattr(suggest, "SUGGESTION_BUDGET", 7)
    root = base_copy(tmp_path)
    wrong = "".join(
        f"  - subject: alphaland\n    relation: supports\n    object: betalnd\n    quote: Alphaland backs "
        f"Betaland.\n    date: 202{i}\n"
        for i in range(4)
    )
    art = root / "sources" / "art.yaml"
    art.write_text(art.read_text(encoding="utf-8") + wrong, encoding="utf-8")
    return root, expect_errors(
        *(
            err(
                "sources/art.yaml",
                18 + 5 * i,
                13,
                "unknown entity 'betalnd'",
                "'betaland' (country: Another country)" if i < 2 else None,
            )
            for i in range(4)
        )
    )


@generated("relation-hierarchy-too-deep")
def _deep_hierarchy(tmp_path: Path, mp: pytest.MonkeyPatch) -> tuple[Path, Expect]:
    """A chain of 150 relations, each the parent of the next: the 101st has too many ancestors (checked in
    linear time, so a chain of 400,000 is refused as quickly)."""
    root = base_copy(tmp_path)
    chain = "  - id: r0\n    polarity: 0\n    description: x.\n" + "".join(
        f"  - id: r{i}\n    parent: r{i - 1}\n    polarity: 0\n    description: x.\n" for i in range(1, 150)
    )
    text = (root / "relations.yaml").read_text(encoding="utf-8") + chain
    (root / "relations.yaml").write_text(text, encoding="utf-8")
    line = text.splitlines().index("    parent: r100") + 1
    limit = DEFAULTS.max_relation_depth
    return root, expect_errors(
        err(
            "relations.yaml",
            line,
            13,
            f"relation 'r101' has more than {limit} ancestors; the "
            f"relation hierarchy is too deep (the limit is {limit}; set "
            "KGRAPH_MAX_RELATION_DEPTH to raise it)",
        )
    )


@generated("quote-scan-allowance-spent")
def _scan(tmp_path: Path, mp: pytest.MonkeyPatch) -> tuple[Path, Expect]:
    """Each quote check may scan the whole text; a load scans at most KGRAPH_MAX_QUOTE_SCAN characters per byte
    of YAML (plus 10 MiB worth). Lowered to 1 here, a 1 MB text runs out of it after about eleven quotes: one
    error says so, at the first quote left unchecked."""
    root = base_copy(tmp_path)
    extra = " ".join(f"Word{i} here." for i in range(90_000))
    text = "Alphaland backs Betaland. On Friday, Gamma Leader criticised Betaland. " + extra
    (root / "sources" / "art.txt").write_text(text, encoding="utf-8")
    art = root / "sources" / "art.yaml"
    art.write_text(
        art.read_text(encoding="utf-8")
        + "".join(
            f"  - subject: alphaland\n    relation: supports\n    object: betaland\n    quote: Word{i} here.\n"
            "    implicit: both\n"
            for i in range(20)
        ),
        encoding="utf-8",
    )
    allowance = (10 << 20) + sum(
        os.path.getsize(root / f) for f in ("relations.yaml", "entities.yaml", "sources/art.yaml")
    )
    first_unchecked = allowance // len(text)  # 0-based: the checks before it fit in the allowance
    lines = art.read_text(encoding="utf-8").splitlines()
    line = [n for n, t in enumerate(lines, 1) if t.startswith("    quote: ")][first_unchecked]
    return root, {
        **expect_errors(
            err(
                "sources/art.yaml",
                line,
                12,
                "quotes not checked from here on: checking them "
                "has scanned 1 characters of article text per byte of YAML, the most allowed "
                "(the limit is 1; set KGRAPH_MAX_QUOTE_SCAN to raise it); do sources pair "
                "very many facts with very long texts?",
            )
        ),
        "env": {"KGRAPH_MAX_QUOTE_SCAN": "1"},
    }


@generated("text-symlink-outside")
def _text_symlink(tmp_path: Path, mp: pytest.MonkeyPatch) -> tuple[Path, Expect]:
    """The article text is a symlink to a file outside the data folder (it is not read, even to check quotes)."""
    root = base_copy(tmp_path)
    secret = tmp_path / "secret.txt"
    shutil.move(root / "sources" / "art.txt", secret)
    (root / "sources" / "art.txt").symlink_to(secret)
    return root, expect_errors(
        err(
            "sources/art.yaml",
            5,
            9,
            "the article text must be inside the data folder, and "
            "'art.txt' leads outside it; name a file beside art.yaml",
        )
    )


def _linked_outside(tmp_path: Path, inside: str, outside: str) -> tuple[Path, Expect]:
    """The base dataset with ``inside`` moved out of the folder to ``outside`` and a symlink left in its place."""
    root = base_copy(tmp_path)
    elsewhere = tmp_path / outside
    shutil.move(root / inside, elsewhere)
    (root / inside).symlink_to(elsewhere)
    return root, expect_errors(
        err(
            inside,
            0,
            0,
            f"{inside} is a symlink to {elsewhere}, outside the data folder; "
            "kgraph reads only files inside it (copy the file in instead)",
        )
    )


@generated("source-symlink-outside")
def _source_symlink(tmp_path: Path, mp: pytest.MonkeyPatch) -> tuple[Path, Expect]:
    return _linked_outside(tmp_path, "sources/art.yaml", "elsewhere.yaml")


@generated("relations-symlink-outside")
def _relations_symlink(tmp_path: Path, mp: pytest.MonkeyPatch) -> tuple[Path, Expect]:
    return _linked_outside(tmp_path, "relations.yaml", "vocabulary.yaml")


@generated("sources-folder-symlink-outside")
def _sources_symlink(tmp_path: Path, mp: pytest.MonkeyPatch) -> tuple[Path, Expect]:
    return _linked_outside(tmp_path, "sources", "articles")


@generated("symlinks-inside-accepted")
def _symlinks_inside(tmp_path: Path, mp: pytest.MonkeyPatch) -> tuple[Path, Expect]:
    """Symlinks that stay inside the data folder are followed, and the folder itself may be a symlink."""
    real = base_copy(tmp_path, "real-data")
    (real / "texts").mkdir()
    shutil.move(real / "sources" / "art.txt", real / "texts" / "art.txt")
    (real / "sources" / "art.txt").symlink_to(Path("..") / "texts" / "art.txt")
    (real / "vocabulary").mkdir()
    shutil.move(real / "relations.yaml", real / "vocabulary" / "relations.yaml")
    (real / "relations.yaml").symlink_to(real / "vocabulary" / "relations.yaml")
    root = tmp_path / "data"
    root.symlink_to(real)
    return root, CLEAN


@generated("text-is-a-folder")
def _text_folder(tmp_path: Path, mp: pytest.MonkeyPatch) -> tuple[Path, Expect]:
    root = base_copy(tmp_path)
    (root / "sources" / "art.txt").unlink()
    (root / "sources" / "art.txt").mkdir()
    return root, expect_errors(err("sources/art.yaml", 5, 9, "art.txt is a folder; kgraph reads regular files only"))


@generated("source-yaml-is-a-folder")
def _source_folder(tmp_path: Path, mp: pytest.MonkeyPatch) -> tuple[Path, Expect]:
    root = base_copy(tmp_path)
    (root / "sources" / "notes.yaml").mkdir()
    return root, expect_errors(
        err("sources/notes.yaml", 0, 0, "notes.yaml is a folder; kgraph reads regular files only")
    )


@generated("fifo-relations")
def _fifo(tmp_path: Path, mp: pytest.MonkeyPatch) -> tuple[Path, Expect]:
    """relations.yaml is a FIFO: reading it would block forever; it is refused without opening it for reading."""
    root = base_copy(tmp_path)
    (root / "relations.yaml").unlink()
    os.mkfifo(root / "relations.yaml")
    return root, expect_errors(
        err(
            "relations.yaml",
            0,
            0,
            "relations.yaml is not a regular file (a FIFO, device or socket); kgraph reads regular files only",
        )
    )


@generated("fifo-text")
def _fifo_text(tmp_path: Path, mp: pytest.MonkeyPatch) -> tuple[Path, Expect]:
    root = base_copy(tmp_path)
    (root / "sources" / "art.txt").unlink()
    os.mkfifo(root / "sources" / "art.txt")
    return root, expect_errors(
        err(
            "sources/art.yaml",
            5,
            9,
            "art.txt is not a regular file (a FIFO, device or socket); kgraph reads regular files only",
        )
    )


@generated("missing-data-folder")
def _missing(tmp_path: Path, mp: pytest.MonkeyPatch) -> tuple[Path, Expect]:
    return tmp_path / "nowhere", expect_errors(
        err(".", 0, 0, "no such data folder (give --data PATH or set KGRAPH_DATA)")
    )


@generated("data-folder-is-a-file")
def _file(tmp_path: Path, mp: pytest.MonkeyPatch) -> tuple[Path, Expect]:
    root = tmp_path / "data.yaml"
    shutil.copy(BASE / "entities.yaml", root)
    return root, expect_errors(
        err(
            ".",
            0,
            0,
            "this is a file, not a data folder (give the folder that holds relations.yaml, entities.yaml and sources/)",
        )
    )


def _deny(mp: pytest.MonkeyPatch, target: Path, *, folder: bool) -> None:
    """Make ``target`` unreadable: chmod 000 when that works; else (as root, where it does not) make os.open,
    os.scandir and os.stat fail as they would: opening the file or listing the folder is refused, and so is
    any look at what is inside the folder (the folder itself can still be looked at)."""
    target.chmod(0)
    try:
        if folder:
            os.listdir(target)
        else:
            open(target, "rb").close()
        readable = True
    except PermissionError:
        readable = False
    if not readable:
        return
    real_open, real_scandir, real_stat = os.open, os.scandir, os.stat
    denied = os.path.realpath(target)

    def under(path: Any) -> bool:
        p = os.path.realpath(os.fspath(path))
        return p == denied or (folder and p.startswith(denied + os.sep))

    def fake_stat(path: Any, *args: Any, **kwargs: Any) -> Any:
        if not isinstance(path, int) and folder and os.path.realpath(os.fspath(path)).startswith(denied + os.sep):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_stat(path, *args, **kwargs)

    def fake_open(path: Any, flags: int, mode: int = 0o777, *, dir_fd: int | None = None) -> int:
        if under(path):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_open(path, flags, mode, dir_fd=dir_fd)

    def fake_scandir(path: Any = ".") -> Any:
        if under(path):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    mp.setattr(os, "open", fake_open)
    mp.setattr(os, "scandir", fake_scandir)
    mp.setattr(os, "stat", fake_stat)


@generated("unreadable-file")
def _unreadable_file(tmp_path: Path, mp: pytest.MonkeyPatch) -> tuple[Path, Expect]:
    root = base_copy(tmp_path)
    _deny(mp, root / "entities.yaml", folder=False)
    return root, expect_errors(err("entities.yaml", 0, 0, "cannot read entities.yaml: permission denied"))


@generated("unreadable-data-folder")
def _unreadable_folder(tmp_path: Path, mp: pytest.MonkeyPatch) -> tuple[Path, Expect]:
    root = base_copy(tmp_path)
    _deny(mp, root, folder=True)
    return root, expect_errors(err(".", 0, 0, "cannot read the data folder: permission denied"))


@generated("unreadable-sources-folder")
def _unreadable_sources(tmp_path: Path, mp: pytest.MonkeyPatch) -> tuple[Path, Expect]:
    root = base_copy(tmp_path)
    _deny(mp, root / "sources", folder=True)
    return root, expect_errors(err("sources", 0, 0, "cannot read the sources folder: permission denied"))


@pytest.fixture
def restore_modes(tmp_path: Path) -> Iterator[None]:
    """Give back every permission chmod took, so pytest can remove tmp_path."""
    yield
    for p in [tmp_path, *tmp_path.rglob("*")]:
        if not p.is_symlink():
            p.chmod(0o700)


@pytest.mark.usefixtures("restore_modes")
@pytest.mark.parametrize("name", sorted(GENERATED))
def test_generated_validate(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root, expect = GENERATED[name](tmp_path, monkeypatch)
    check_validate(root, expect)


@pytest.mark.usefixtures("restore_modes")
@pytest.mark.parametrize("name", sorted(GENERATED))
def test_generated_query(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root, expect = GENERATED[name](tmp_path, monkeypatch)
    check_query(root, expect)
    check_query(root, expect)  # again: a second run (cache folder now warm for valid data) says the same


# -- as real processes -----------------------------------------------------------------------------


def run_kgraph(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("KGRAPH_") or k == "KGRAPH_CACHE_DIR"}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "kgraph", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=full_env,
        cwd=REPO,
        check=False,
    )


@pytest.mark.parametrize(
    "case",
    ["alias-bomb", "deep-nesting", "tag-python-object", "merge-conflict-markers", "non-utf8-yaml", "text-path-dotdot"],
)
def test_hostile_cases_as_processes(case: str, tmp_path: Path) -> None:
    """In a real process: the documented exit code, one line per problem, no traceback, and no code run."""
    expect = load_expect(CORPUS / case)
    proc = run_kgraph(
        "--data", str(CORPUS / case), "validate", "--format", "table", env={"KGRAPH_CACHE_DIR": str(tmp_path)}
    )
    assert proc.returncode == 3
    assert "Traceback" not in proc.stderr and "pwned" not in proc.stdout + proc.stderr
    assert proc.stdout.splitlines()[:-1] == [str(p) for p in problems(CORPUS / case, expect, "errors")]
    query = run_kgraph(
        "--data", str(CORPUS / case), "who-supports", "betaland", env={"KGRAPH_CACHE_DIR": str(tmp_path)}
    )
    assert query.returncode == 3 and query.stdout == ""
    assert query.stderr.startswith("error: ") and query.stderr.count("\n") == 1


def test_a_fifo_does_not_hang_a_real_process(tmp_path: Path) -> None:
    root, expect = _fifo(tmp_path, pytest.MonkeyPatch())
    proc = run_kgraph("--data", str(root), "who-supports", "betaland", env={"KGRAPH_CACHE_DIR": str(tmp_path / "c")})
    assert proc.returncode == 3
    assert proc.stderr == f"error: {problems(root, expect, 'errors')[0].brief()}\n"


# -- a dataset that was valid (and so is cached) and then changed -------------------------------------
#
# The cache's freshness check hashes every data file before the loader runs. It must follow the same rules:
# never open a file outside the data folder (else a symlink to an outside file with the same bytes would be
# answered from the cache), never block on a FIFO, never read a file over the size limits.


def cached_copy(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    root = base_copy(tmp_path)
    env = {"KGRAPH_CACHE_DIR": str(tmp_path / "cache")}
    first = run_kgraph("--data", str(root), "who-supports", "betaland", "--format", "json", env=env)
    assert first.returncode == 0, first.stderr
    assert list((tmp_path / "cache").glob("*.kgc")), "the valid dataset should have been cached"
    return root, env


def test_cached_dataset_then_a_text_symlinked_outside_is_refused(tmp_path: Path) -> None:
    root, env = cached_copy(tmp_path)
    outside = tmp_path / "outside.txt"
    shutil.copy(root / "sources" / "art.txt", outside)  # the very same bytes
    (root / "sources" / "art.txt").unlink()
    (root / "sources" / "art.txt").symlink_to(outside)
    proc = run_kgraph("--data", str(root), "who-supports", "betaland", env=env)
    assert proc.returncode == 3
    assert proc.stderr == (
        f"error: {root}/sources/art.yaml:5:9: the article text must be inside the data folder, and "
        "'art.txt' leads outside it; name a file beside art.yaml\n"
    )


def test_cached_dataset_then_a_fifo_does_not_hang(tmp_path: Path) -> None:
    root, env = cached_copy(tmp_path)
    (root / "relations.yaml").unlink()
    os.mkfifo(root / "relations.yaml")
    proc = run_kgraph("--data", str(root), "who-supports", "betaland", env=env)  # (times out if it blocks)
    assert proc.returncode == 3
    assert proc.stderr.startswith(f"error: {root}/relations.yaml: relations.yaml is not a regular file")


def test_cached_dataset_then_a_huge_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    root, env = cached_copy(tmp_path)
    with open(root / "entities.yaml", "r+b") as fh:
        fh.truncate(8 << 30)  # 8 GiB, sparse: reading it would take seconds and gigabytes
    proc = run_kgraph("--data", str(root), "who-supports", "betaland", env=env)
    assert proc.returncode == 3
    assert proc.stderr.startswith(f"error: {root}/entities.yaml: entities.yaml is 8,589,934,592 bytes, too big")
