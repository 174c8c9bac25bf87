"""kgraph sentences, and the one sentence splitting it shares with the quote checker."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from authoring_support import SENTENCES, TEXT, pact_dataset
from conftest import BUNDLED
from typer.testing import CliRunner

import kgraph
from kgraph.authoring.sentences import number_sentences
from kgraph.cli import app
from kgraph.loading.quotes import normalise_text

runner = CliRunner()


pytestmark = pytest.mark.usefixtures("no_kgraph_env")


def as_json(*args: str) -> Any:
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_fixture_article_splits_at_headlines_captions_and_sentence_ends_only() -> None:
    assert [s.text for s in number_sentences(TEXT)] == SENTENCES


def test_sentences_are_slices_of_the_normalised_text() -> None:
    normalised = normalise_text(TEXT)
    spans = number_sentences(TEXT)
    assert [s.number for s in spans] == list(range(1, len(spans) + 1))
    for s in spans:
        assert normalised[s.start : s.end] == s.text
    assert all(a.end < b.start for a, b in zip(spans, spans[1:], strict=False))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mr. Smith met Dr. Jones. They spoke.", ["Mr. Smith met Dr. Jones.", "They spoke."]),
        ("The U.S. envoy left. J. K. Rowling wrote.", ["The U.S. envoy left.", "J. K. Rowling wrote."]),
        ('"Is it over?" she asked. "No."', ['"Is it over?" she asked.', '"No."']),
        ("It grew by 4.2 per cent. 2021 was good.", ["It grew by 4.2 per cent.", "2021 was good."]),
        ('He said: "Go. Now." Then he left.', ['He said: "Go.', 'Now."', "Then he left."]),
        ("ends with e.g. more text here.", ["ends with e.g. more text here."]),
        ("", []),
        # hard-wrapped text: line breaks inside sentences are not ends
        (
            "The envoy of Alphaland said on\nMonday that the pact with\nBetaland was signed and\nsealed. It holds.\n",
            ["The envoy of Alphaland said on Monday that the pact with Betaland was signed and sealed.", "It holds."],
        ),
        # a headline pasted into the running text, told by the common opener after it
        ("Envoy recalls staff The order came late.", ["Envoy recalls staff", "The order came late."]),
        # ...but not after a function word, nor before a name
        ("the Belt and Road plan.", ["the Belt and Road plan."]),
        ("jailed for years Gamma, who ruled, spoke.", ["jailed for years Gamma, who ruled, spoke."]),
    ],
)
def test_split_rules(text: str, expected: list[str]) -> None:
    assert [s.text for s in number_sentences(text)] == expected


def test_bundled_article_headlines_are_their_own_sentences() -> None:
    text = (BUNDLED / "sources" / "belarus-china-ironclad-friend.txt").read_text(encoding="utf-8")
    got = [s.text for s in number_sentences(text)]
    assert "Belarus leader accuses Lithuania of dumping bodies of migrants" in got
    assert any(s.startswith("Last month the Russian and Belarusian leaders agreed") for s in got)
    # the quotation that runs over a paragraph keeps its closing quote with its sentence
    assert any(s.endswith('compressed the space for Belarusian independence."') for s in got)


def test_cli_sentences_lists_each_sentence_with_the_facts_quoting_it(tmp_path: Path) -> None:
    root = pact_dataset(tmp_path / "d")
    kg = kgraph.load(root, cache=False)
    out = as_json("sentences", "pact", "--data", str(root))
    assert out["source"] == "pact"
    assert [s["text"] for s in out["sentences"]] == SENTENCES
    assert [s["number"] for s in out["sentences"]] == list(range(1, len(SENTENCES) + 1))
    by_quote = {f.quote: f.id for f in kg.facts}
    facts = {s["number"]: s["facts"] for s in out["sentences"] if s["facts"]}
    lead = by_quote["Alphaland's president, Gamma Leader"]
    pact = by_quote["signed a border pact with Betaland on Monday"]
    trade = by_quote["Betaland's trade grew by 5 per cent last year. Betaland's rivals"]
    # a quote running over two sentences counts for both
    assert facts == {3: [lead, pact], 9: [trade], 10: [trade]}


def test_numbers_do_not_move_when_facts_change(tmp_path: Path) -> None:
    root = pact_dataset(tmp_path / "d")
    before = as_json("sentences", "pact", "--data", str(root))
    yaml = root / "sources" / "pact.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").split("facts:")[0] + "facts: []\n", encoding="utf-8")
    after = as_json("sentences", "pact", "--data", str(root))
    assert [(s["number"], s["text"]) for s in after["sentences"]] == [
        (s["number"], s["text"]) for s in before["sentences"]
    ]
    assert all(s["facts"] == [] for s in after["sentences"])


def test_the_quote_checker_suggests_a_sentence_of_the_same_splitting(tmp_path: Path) -> None:
    # the caption is a sentence of its own for `sentences`; the checker offers exactly it
    root = pact_dataset(tmp_path / "d")
    yaml = root / "sources" / "pact.yaml"
    yaml.write_text(
        yaml.read_text(encoding="utf-8")
        + "  - subject: gamma-leader\n    relation: leads\n    object: alphaland\n"
        + "    quote: Photo of Gamma Leader at the signing in Port Velm\n",
        encoding="utf-8",
    )
    _, report = kgraph.check(root)
    [problem] = report.errors
    assert problem.message == "quote not found in the article text of 'pact'"
    assert problem.suggestion == repr(SENTENCES[1])


def test_unknown_source_is_one_line_with_suggestion(tmp_path: Path) -> None:
    root = pact_dataset(tmp_path / "d")
    result = runner.invoke(app, ["sentences", "pakt", "--data", str(root)])
    assert result.exit_code == 4
    assert result.stderr == "error: unknown source 'pakt'; did you mean 'pact'?\n"
    assert result.stdout == ""


@pytest.mark.parametrize("fmt", ["table", "csv"])
def test_table_and_csv_show_every_sentence(tmp_path: Path, fmt: str) -> None:
    root = pact_dataset(tmp_path / "d")
    result = runner.invoke(app, ["sentences", "pact", "--data", str(root), "--format", fmt], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.stderr
    for sentence in SENTENCES:
        assert sentence.replace('"', '""' if fmt == "csv" else '"') in result.stdout


def test_a_text_too_long_to_split_gets_no_suggestion(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Splitting is charged: a text over MAX_TEXT_SEARCHED characters is not split to suggest a passage."""
    from kgraph.loading import quotes

    root = pact_dataset(tmp_path / "d")
    yaml = root / "sources" / "pact.yaml"
    yaml.write_text(
        yaml.read_text(encoding="utf-8")
        + "  - subject: gamma-leader\n    relation: leads\n    object: alphaland\n"
        + "    quote: Photo of Gamma Leader at the signing in Port Velm\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(quotes, "MAX_TEXT_SEARCHED", len(TEXT) - 1)
    [problem] = kgraph.check(root)[1].errors
    assert (problem.message, problem.suggestion) == ("quote not found in the article text of 'pact'", None)
    monkeypatch.setattr(quotes, "MAX_TEXT_SEARCHED", len(TEXT))
    [problem] = kgraph.check(root)[1].errors
    assert problem.suggestion == repr(SENTENCES[1])
