"""kgraph sources (the list) and kgraph sources add (the one curating command that writes)."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path
from typing import Any

import pytest
from authoring_support import TEXT
from conftest import BUNDLED, write_dataset
from typer.testing import CliRunner, Result

import kgraph
from kgraph.cli import app

runner = CliRunner()


pytestmark = pytest.mark.usefixtures("no_kgraph_env")


def run(*args: str, stdin: bytes | None = None, env: dict[str, str] | None = None) -> Result:
    return runner.invoke(app, list(args), input=stdin, env=env)


def as_json(*args: str) -> Any:
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (temporary files too) with its bytes."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return write_dataset(tmp_path / "data")


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "article.txt"
    # curly quotes, a CRLF, no final newline: all kept byte for byte
    path.write_bytes(TEXT.replace("\n", "\r\n", 1).replace('"a good day."', "“a good day.”").encode().rstrip(b"\n"))
    return path


def test_list_bundled() -> None:
    kg = kgraph.load(BUNDLED)
    [row] = as_json("sources", "--data", str(BUNDLED))["sources"]
    src = next(iter(kg.sources.values()))
    named = {x for f in kg.facts for x in (f.subject, f.object, f.according_to) if x}
    assert row == {
        "id": src.id,
        "title": src.title,
        "publisher": src.publisher,
        "published": src.published,
        "facts": len(kg.facts),
        "entities": len(named),
    }


def test_list_csv_and_table(data: Path) -> None:
    csv = run("sources", "--data", str(data), "--format", "csv")
    assert csv.stdout.splitlines() == ["id,title,publisher,published,facts,entities", "art,A test article,,2021-12,2,3"]
    table = run("sources", "--data", str(data), "--format", "table")
    assert "A test article" in table.stdout and "2021-12" in table.stdout


def test_add_writes_the_text_untouched_and_a_source_that_validates(data: Path, article: Path) -> None:
    before = snapshot(data)
    out = as_json(
        "sources", "add", str(article), "--id", "pact", "--title", "Alphaland and Betaland sign: a pact",
        "--published", "2022-03", "--publisher", "The Fictional Herald", "--url", "https://example.org/pact",
        "--author", "A. Writer", "--data", str(data),
    )  # fmt: skip
    txt, yaml = data / "sources" / "pact.txt", data / "sources" / "pact.yaml"
    assert out == {"id": "pact", "written": [str(txt), str(yaml)]}
    assert txt.read_bytes() == article.read_bytes()
    after = snapshot(data)
    assert {k: v for k, v in after.items() if k in before} == before  # nothing else changed
    assert sorted(set(after) - set(before)) == ["sources/pact.txt", "sources/pact.yaml"]
    text = yaml.read_text(encoding="utf-8")
    assert text.startswith(
        "source:\n  id: pact\n  title: 'Alphaland and Betaland sign: a pact'\n  published: 2022-03\n"
        "  text: pact.txt\n  publisher: The Fictional Herald\n  url: https://example.org/pact\n  author: A. Writer\n"
    )
    assert text.endswith("\nfacts: []\n")
    assert "published 2022-03" in text  # the dating conventions name the publication date
    kg = kgraph.load(data, cache=False)
    src = kg.sources["pact"]
    assert (src.title, src.published, src.publisher, src.url, src.author) == (
        "Alphaland and Betaland sign: a pact", "2022-03", "The Fictional Herald", "https://example.org/pact",
        "A. Writer",
    )  # fmt: skip
    assert run("validate", "--data", str(data)).exit_code == 0  # (--strict: "source 'pact' has no facts" yet)
    listed = {s["id"]: s for s in as_json("sources", "--data", str(data))["sources"]}
    assert (listed["pact"]["facts"], listed["pact"]["entities"]) == (0, 0)
    assert len(as_json("sentences", "pact", "--data", str(data))["sentences"]) == 12


def test_add_from_stdin_and_kgraph_data(data: Path) -> None:
    result = run(
        "sources", "add", "-", "--id", "from-stdin", "--title", "T", "--format", "json",
        stdin=b"Alphaland backs Betaland.\n", env={"KGRAPH_DATA": str(data)},
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert (data / "sources" / "from-stdin.txt").read_bytes() == b"Alphaland backs Betaland.\n"
    assert "published" not in (data / "sources" / "from-stdin.yaml").read_text(encoding="utf-8").split("\n\n")[0]
    kgraph.load(data, cache=False)


REFUSALS = [
    (["--id", "art"], 2, "error: source 'art' already exists ({data}/sources/art.yaml); choose another --id\n"),
    (
        ["--id", "New Source"],
        2,
        "error: --id 'New Source' must be a lowercase slug (a-z, 0-9, single hyphens) (did you mean 'new-source'?)\n",
    ),
    (["--published", "2022-13"], 2, "error: --published '2022-13' is not a date: YYYY, YYYY-MM or YYYY-MM-DD\n"),
    (["--published", "March 2022"], 2, "error: --published 'March 2022' is not a date: YYYY, YYYY-MM or YYYY-MM-DD\n"),
    (["--title", "two\nlines"], 2, "error: --title must be one line\n"),
    (["--title", "  "], 2, "error: --title is blank\n"),
]


@pytest.mark.parametrize(("extra", "code", "message"), REFUSALS)
def test_add_refuses_and_writes_nothing(data: Path, article: Path, extra: list[str], code: int, message: str) -> None:
    before = snapshot(data)
    args = {"--id": "pact", "--title": "A pact"}
    args.update(dict(zip(extra[::2], extra[1::2], strict=True)))
    flat = [x for kv in args.items() for x in kv]
    result = run("sources", "add", str(article), *flat, "--data", str(data))
    assert (result.exit_code, result.stderr) == (code, message.format(data=data))
    assert snapshot(data) == before


def test_add_refuses_text_that_is_not_utf8(data: Path, tmp_path: Path) -> None:
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("First line.\nCafé au lait.\n".encode("latin-1"))
    before = snapshot(data)
    result = run("sources", "add", str(bad), "--id", "cafe", "--title", "T", "--data", str(data))
    assert result.exit_code == 3
    assert result.stderr == (
        f"error: {bad}:2:4: the article text is not UTF-8: byte 0xE9 here is not valid UTF-8 "
        "(was it saved as Latin-1 or Windows-1252?); re-save the file as UTF-8\n"
    )
    assert snapshot(data) == before
    empty = run("sources", "add", "-", "--id", "e", "--title", "T", "--data", str(data), stdin=b" \n")
    assert (empty.exit_code, empty.stderr) == (3, "error: <stdin>: the article text is empty\n")
    missing = run("sources", "add", str(tmp_path / "nope.txt"), "--id", "e", "--title", "T", "--data", str(data))
    assert (missing.exit_code, missing.stderr) == (
        2,
        f"error: cannot read {tmp_path / 'nope.txt'}: no such file or directory\n",
    )
    assert snapshot(data) == before


def test_add_reads_no_more_than_the_text_limit(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KGRAPH_MAX_TEXT_BYTES", "1000")
    before = snapshot(data)
    result = run("sources", "add", "/dev/zero", "--id", "zero", "--title", "T", "--data", str(data))
    assert (result.exit_code, result.stderr) == (
        3,
        "error: /dev/zero is more than 1,000 bytes, too big "
        "(the limit is 1,000 bytes; set KGRAPH_MAX_TEXT_BYTES to raise it)\n",
    )
    assert snapshot(data) == before


def test_add_refuses_the_bundled_data(article: Path) -> None:
    before = snapshot(BUNDLED)
    message = (
        "error: kgraph does not write into its bundled data (it belongs to the installed package); "
        "give your own data folder with --data PATH or KGRAPH_DATA\n"
    )
    result = run("sources", "add", str(article), "--id", "pact", "--title", "T")
    assert (result.exit_code, result.stderr) == (2, message)
    package = Path(kgraph.__file__).parent
    inside = run("sources", "add", str(article), "--id", "pact", "--title", "T", "--data", str(package))
    assert (inside.exit_code, inside.stderr) == (2, message)
    assert snapshot(BUNDLED) == before


def test_add_refuses_a_folder_that_does_not_validate(tmp_path: Path, article: Path) -> None:
    data = write_dataset(
        tmp_path / "bad", facts="- subject: alphaland\n  relation: supports\n  object: nobody\n  quote: x\n"
    )
    before = snapshot(data)
    result = run("sources", "add", str(article), "--id", "pact", "--title", "T", "--data", str(data))
    assert result.exit_code == 3
    assert result.stderr.count("\n") == 1
    assert "unknown entity 'nobody'" in result.stderr
    assert result.stderr.startswith("error: the data folder does not validate: ")
    assert result.stderr.endswith("; fix it first ('kgraph validate'), then add the source\n")
    assert snapshot(data) == before
    nowhere = run("sources", "add", str(article), "--id", "p", "--title", "T", "--data", str(tmp_path / "none"))
    assert nowhere.exit_code == 2
    assert (
        nowhere.stderr == f"error: {tmp_path / 'none'} is not a data folder with a sources/ folder (give --data PATH)\n"
    )


def test_a_failing_write_leaves_nothing(data: Path, article: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_link = os.link
    calls = []

    def full_disk(src: str, dst: Path) -> None:
        calls.append(dst)
        if len(calls) == 2:  # the text is in place; the YAML file fails
            raise OSError(errno.ENOSPC, "No space left on device")
        real_link(src, dst)

    monkeypatch.setattr(os, "link", full_disk)
    before = snapshot(data)
    result = run("sources", "add", str(article), "--id", "pact", "--title", "T", "--data", str(data))
    assert result.exit_code == 6
    assert result.stderr == (
        f"error: cannot write {data}/sources/pact.yaml: no space left on device; nothing was written\n"
    )
    assert snapshot(data) == before  # the text written first is gone again, and no temporary file is left


def test_a_pair_that_would_not_load_is_refused_before_writing(
    data: Path, article: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kgraph.authoring import sources

    monkeypatch.setattr(sources, "template", lambda fields: b"source:\n  id: pact\nfacts: []\n")
    before = snapshot(data)
    result = run("sources", "add", str(article), "--id", "pact", "--title", "T", "--data", str(data))
    assert result.exit_code == 3
    assert result.stderr.startswith(f"error: the new source does not load: {data}/sources/pact.yaml:")
    assert result.stderr.count("\n") == 1
    assert snapshot(data) == before


def test_bare_sources_help_lists_add() -> None:
    result = run("sources", "--help")
    assert result.exit_code == 0
    assert "add" in result.stdout


def test_curating_a_fictional_article_end_to_end(data: Path, tmp_path: Path) -> None:
    """sources add → mentions → sentences → facts (written by hand until `kgraph add`) → coverage 100 % → answers."""
    text = tmp_path / "summit.txt"
    text.write_text(
        "Alphaland hosts summit\n\nAlphaland welcomed Betaland's envoy, Ona Brisk, on Tuesday. "
        "Gamma Leader thanked Betaland for its support. The weather was fine.\n",
        encoding="utf-8",
    )
    assert run("sources", "add", str(text), "--id", "summit", "--title", "Summit", "--published", "2022-05",
               "--data", str(data)).exit_code == 0  # fmt: skip
    found = as_json("mentions", "summit", "--data", str(data))
    assert [(c["name"], c["count"]) for c in found["candidates"]] == [("Ona Brisk", 1)]
    numbered = as_json("sentences", "summit", "--data", str(data))["sentences"]
    assert [s["text"] for s in numbered] == [
        "Alphaland hosts summit",
        "Alphaland welcomed Betaland's envoy, Ona Brisk, on Tuesday.",
        "Gamma Leader thanked Betaland for its support.",
        "The weather was fine.",
    ]
    entities = data / "entities.yaml"
    entities.write_text(
        entities.read_text(encoding="utf-8")
        + "  - id: ona-brisk\n    name: Ona Brisk\n    type: person\n    description: Envoy of Betaland.\n",
        encoding="utf-8",
    )
    yaml = data / "sources" / "summit.yaml"
    yaml.write_text(
        yaml.read_text(encoding="utf-8").replace(
            "facts: []\n",
            "skip:\n"
            "  - quote: Alphaland hosts summit\n    reason: the headline\n"
            "  - quote: The weather was fine.\n    reason: no relation between actors\n"
            "facts:\n"
            "  - subject: ona-brisk\n    relation: supports\n    object: alphaland\n"
            f"    quote: {numbered[1]['text']!r}\n    date: 2022-05\n"
            "  - subject: gamma-leader\n    relation: supports\n    object: betaland\n"
            f"    quote: {numbered[2]['text']!r}\n",
        ),
        encoding="utf-8",
    )
    [row] = as_json("coverage", "summit", "--uncovered", "--data", str(data))["sources"]
    assert (row["covered"], row["skipped"], row["share"], row["uncovered"]) == (2, 2, 1.0, [])
    assert run("validate", "--strict", "--data", str(data)).exit_code == 0
    backers = as_json("who-supports", "Alphaland", "--data", str(data))
    assert "ona-brisk" in json.dumps(backers)


def test_a_source_added_meanwhile_is_never_replaced(data: Path, article: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another `sources add` of the same id lands between the checks and the write: one of them refuses."""
    real_link = os.link

    def racing(src: str, dst: Path) -> None:
        if str(dst).endswith("pact.txt") and not os.path.exists(dst):
            Path(dst).write_bytes(b"the other writer's text\n")
        real_link(src, dst)

    monkeypatch.setattr(os, "link", racing)
    result = run("sources", "add", str(article), "--id", "pact", "--title", "T", "--data", str(data))
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {data}/sources/pact.txt appeared while the source was being added; nothing was replaced\n"
    )
    assert (data / "sources" / "pact.txt").read_bytes() == b"the other writer's text\n"
    assert not (data / "sources" / "pact.yaml").exists()
    assert sorted(p.name for p in (data / "sources").iterdir()) == ["art.txt", "art.yaml", "pact.txt"]
