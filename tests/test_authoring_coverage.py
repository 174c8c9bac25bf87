"""kgraph coverage: which sentences some fact quotes, which a skip: entry leaves out, and the share."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from authoring_support import SENTENCES, pact_dataset
from conftest import BUNDLED
from typer.testing import CliRunner

import kgraph
from kgraph.authoring.sentences import number_sentences
from kgraph.cli import app

runner = CliRunner()

SKIPS = """\
skip:
  - quote: "Photo: Gamma Leader at the signing"
    reason: a photo caption
  - quote: Alphaland and Betaland sign border pact
    reason: the headline; its facts are in the body
  - quote: Alphaland's president, Gamma Leader
    reason: already encoded (a skip of a covered sentence counts once, as covered)
"""


pytestmark = pytest.mark.usefixtures("no_kgraph_env")


def as_json(*args: str) -> Any:
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_counts_and_share(tmp_path: Path) -> None:
    root = pact_dataset(tmp_path / "d", SKIPS)
    [row] = as_json("coverage", "pact", "--data", str(root))["sources"]
    # facts quote sentences 3, 9 and 10; the skips cover 1 and 2 (and 3, already covered)
    assert row == {"source": "pact", "sentences": 12, "covered": 3, "skipped": 2, "share": round(5 / 12, 4)}


def test_uncovered_lists_the_rest(tmp_path: Path) -> None:
    root = pact_dataset(tmp_path / "d", SKIPS)
    [row] = as_json("coverage", "pact", "--uncovered", "--data", str(root))["sources"]
    rest = [4, 5, 6, 7, 8, 11, 12]
    assert row["uncovered"] == [{"number": n, "text": SENTENCES[n - 1]} for n in rest]


def test_skipping_every_other_sentence_reaches_100_percent(tmp_path: Path) -> None:
    rest = [4, 5, 6, 7, 8, 11, 12]
    more = "".join(f"  - quote: {json.dumps(SENTENCES[n - 1])}\n    reason: not a relation\n" for n in rest)
    root = pact_dataset(tmp_path / "d", SKIPS + more)
    [row] = as_json("coverage", "--uncovered", "--data", str(root))["sources"]
    assert (row["covered"], row["skipped"], row["share"], row["uncovered"]) == (3, 9, 1.0, [])
    sentences = as_json("sentences", "pact", "--data", str(root))["sentences"]
    assert sentences[0]["skipped"] == ["the headline; its facts are in the body"]


def test_without_skips(tmp_path: Path) -> None:
    root = pact_dataset(tmp_path / "d")
    [row] = as_json("coverage", "--data", str(root))["sources"]
    assert (row["covered"], row["skipped"], row["sentences"]) == (3, 0, 12)


def test_a_quote_counts_where_it_first_occurs(tmp_path: Path) -> None:
    root = pact_dataset(tmp_path / "d")
    yaml = root / "sources" / "pact.yaml"
    # "Betaland" is in ten sentences; a fact quoting only that word covers the first of them, not all ten
    yaml.write_text(
        yaml.read_text(encoding="utf-8")
        + "  - subject: alphaland\n    relation: supports\n    object: betaland\n    quote: Betaland\n",
        encoding="utf-8",
    )
    [row] = as_json("coverage", "--data", str(root))["sources"]
    assert row["covered"] == 4  # 3, 9, 10 and sentence 1


def test_bundled_data_counts_agree_with_sentences() -> None:
    [row] = as_json("coverage", "--uncovered", "--data", str(BUNDLED))["sources"]
    numbered = as_json("sentences", "belarus-china-ironclad-friend", "--data", str(BUNDLED))["sentences"]
    assert row["sentences"] == len(numbered)
    assert row["covered"] == sum(1 for s in numbered if s["facts"])
    assert row["skipped"] == sum(1 for s in numbered if s["skipped"] and not s["facts"]) == 1
    assert row["uncovered"] == [] and row["share"] == 1.0  # every sentence is a fact's or a skip's
    # every fact of the bundled source lies in some sentence
    kg = kgraph.load(BUNDLED)
    quoted = {f for s in numbered for f in s["facts"]}
    assert quoted == {f.id for f in kg.facts}
    text = (BUNDLED / "sources" / "belarus-china-ironclad-friend.txt").read_text(encoding="utf-8")
    assert row["sentences"] == len(number_sentences(text))


def test_table_shows_share(tmp_path: Path) -> None:
    root = pact_dataset(tmp_path / "d", SKIPS)
    result = runner.invoke(app, ["coverage", "--data", str(root), "--format", "table"], env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.stderr
    assert "42 %" in result.stdout
    csv = runner.invoke(app, ["coverage", "--data", str(root), "--format", "csv"])
    assert csv.stdout.splitlines() == ["source,sentences,covered,skipped,share", "pact,12,3,2,0.4167"]


def test_unknown_source_and_invalid_data(tmp_path: Path) -> None:
    root = pact_dataset(tmp_path / "d", SKIPS)
    result = runner.invoke(app, ["coverage", "pac", "--data", str(root)])
    assert (result.exit_code, result.stderr) == (4, "error: unknown source 'pac'; did you mean 'pact'?\n")
    bad = pact_dataset(tmp_path / "e", "skip:\n  - quote: Not in the text at all\n    reason: x\n")
    result = runner.invoke(app, ["coverage", "--data", str(bad)])
    assert result.exit_code == 3
    assert result.stderr.count("\n") == 1
    assert "skipped quote not found in the article text of 'pact'" in result.stderr
    assert result.stdout == ""
