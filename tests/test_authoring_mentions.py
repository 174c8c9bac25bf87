"""kgraph mentions: known entities per sentence (folded, whole words, possessives) and candidate new names."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from authoring_support import SENTENCES, pact_dataset
from conftest import BUNDLED, write_dataset
from typer.testing import CliRunner

from kgraph.cli import app

runner = CliRunner()


pytestmark = pytest.mark.usefixtures("no_kgraph_env")


def as_json(*args: str) -> Any:
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def pact(tmp_path: Path) -> Any:
    return as_json("mentions", "pact", "--data", str(pact_dataset(tmp_path / "d")))


def test_known_entities_of_each_sentence(pact: Any) -> None:
    known = {s["number"]: [(m["entity"], m["text"]) for m in s["known"]] for s in pact["sentences"]}
    assert [s["text"] for s in pact["sentences"]] == SENTENCES
    assert known == {
        1: [("alphaland", "Alphaland"), ("betaland", "Betaland")],
        2: [("gamma-leader", "Gamma Leader")],
        # possessive 's, and a name in capitals elsewhere
        3: [("alphaland", "Alphaland"), ("gamma-leader", "Gamma Leader"), ("betaland", "Betaland")],
        # the longest name wins: the alias "Republic of Deltaria", not "Deltaria" inside it
        4: [("deltaria", "Republic of Deltaria")],
        5: [],
        6: [],
        7: [],
        # a bare possessive apostrophe; the capitals alias "US" matches "US", never the pronoun "us"
        8: [("the-isles", "The Isles"), ("upper-states", "US")],
        9: [("alphaland", "Alphaland"), ("betaland", "Betaland")],
        10: [("betaland", "Betaland")],
        11: [("deltaria", "Deltaria")],
        12: [("betaland", "Betaland")],
    }


def test_candidates_most_frequent_first(pact: Any) -> None:
    got = [(c["name"], c["count"], c["first_sentence"]) for c in pact["candidates"]]
    # not candidates: Mr/Dr (titles), The/But/Why (openers), Monday (a day), PORT VELM counted with Port Velm,
    # "Last" (the text uses "last" in lowercase), Photo (page furniture), known names
    assert got == [("Port Velm", 2, 2), ("Oskar Dunmere", 2, 4), ("Northern League", 2, 10), ("Ilse Varga", 1, 5)]


def test_case_accents_and_hyphens_fold(tmp_path: Path) -> None:
    root = write_dataset(
        tmp_path / "d",
        entities="""\
        entities:
          - id: alphaland
            name: Alphaland
            type: country
            aliases: [Älphaland Republic]
            description: A country.
          - id: betaland
            name: Betaland
            type: country
            description: Another country.
          - id: gamma-leader
            name: Gamma Leader
            type: person
            description: A leader.
        """,
        text="Alphaland backs Betaland. On Friday, Gamma Leader criticised Betaland. "
        "The ALPHALAND REPUBLIC and the Alphaland-Betaland line; Alphalander Jean-Luc O'Hara.\n",
        facts="""\
        - subject: alphaland
          relation: supports
          object: betaland
          quote: Alphaland backs Betaland.
        - subject: gamma-leader
          relation: opposes
          object: betaland
          quote: Gamma Leader criticised Betaland.
        """,
    )
    out = as_json("mentions", "art", "--data", str(root))
    third = out["sentences"][2]
    assert [(m["entity"], m["text"]) for m in third["known"]] == [
        ("alphaland", "ALPHALAND REPUBLIC"),
        ("alphaland", "Alphaland"),
        ("betaland", "Betaland"),
    ]
    # whole words: "Alphalander" is not Alphaland; hyphenated and apostrophe names stay whole
    assert [(c["name"], c["count"]) for c in out["candidates"]] == [("Alphalander Jean-Luc O'Hara", 1)]


def test_bundled_article() -> None:
    out = as_json("mentions", "belarus-china-ironclad-friend", "--data", str(BUNDLED))
    by_number = {s["number"]: {m["entity"] for m in s["known"]} for s in out["sentences"]}
    assert by_number[1] == {"lukashenko", "china", "the-west", "belarus"}  # (Western sanctions, Belarusian leader)
    assert by_number[2] == {"china", "belarus"}  # Beijing, Minsk's
    assert "xi-jinping" in by_number[7]
    nine = next(s for s in out["sentences"] if s["number"] == 9)
    assert nine["text"].startswith("China is now Belarus's second-largest")
    # (US$4.2 billion names the United States too: a name in capitals matches wherever it stands as a word)
    assert [(m["entity"], m["text"]) for m in nine["known"]] == [
        ("china", "China"),
        ("belarus", "Belarus"),
        ("united-states", "US"),
    ]
    seven = next(s for s in out["sentences"] if s["number"] == 7)
    assert ("xi-jinping", "President Xi Jinping") in [(m["entity"], m["text"]) for m in seven["known"]]
    names = [c["name"] for c in out["candidates"]]
    assert "Belarusian" not in names  # (an alias of belarus since the data audit: known, no longer a candidate)
    assert not {"Jinping", "Last", "Earlier", "December", "President", "But", "It", "The"} & set(names)
    counts = [c["count"] for c in out["candidates"]]
    assert counts == sorted(counts, reverse=True)


def test_csv_rows(pact: Any, tmp_path: Path) -> None:
    root = pact_dataset(tmp_path / "e")
    result = runner.invoke(app, ["mentions", "pact", "--data", str(root), "--format", "csv"])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "kind,sentence,text,entity,count"
    assert "known,4,Republic of Deltaria,deltaria,1" in lines
    assert "candidate,2,Port Velm,,2" in lines


def test_unknown_source(tmp_path: Path) -> None:
    result = runner.invoke(app, ["mentions", "nope", "--data", str(pact_dataset(tmp_path / "d"))])
    assert result.exit_code == 4
    assert result.stderr.startswith("error: unknown source 'nope'")
    assert result.stderr.count("\n") == 1
