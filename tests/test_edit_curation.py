"""End to end: an article curated through the CLI alone, from the guide's fixture to a `who-supports` answer.

The data folder is the guide's (``docs/examples/curating``: a few entities and
relations, no source yet) and the article ``docs/examples/poland-border.txt``.
The curation adds an entity, then facts by sentence number and by quote; the
resulting files must validate with ``--strict``, equal the expected copy in
``tests/data/curated-poland-border`` byte for byte, and answer ``who-supports``
and ``who-opposes``.

The article comes in through ``kgraph sources add``; ``sentences`` numbers it (the numbers ``--sentence``
takes), ``mentions`` finds what is and is not an entity yet, and ``coverage`` reaches 100 % once the two
sentences left out are named under ``skip:`` with their reasons, the one part written by hand.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import REPO
from typer.testing import CliRunner

from kgraph.cli import app

runner = CliRunner()
EXAMPLES = REPO / "docs" / "examples"
EXPECTED = REPO / "tests" / "data" / "curated-poland-border"
TITLE = "Poland shuts border crossing as migrant standoff with Belarus deepens"
SKIPS = """\
skip:
  - quote: "Poland shuts border crossing as migrant standoff with Belarus deepens"
    reason: headline; sentence 2 states it
  - quote: "Analysts expect the standoff to last through the winter."
    reason: a forecast by unnamed analysts, not an event or a stance
"""


def kg(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, (args, result.stdout, result.stderr)
    return result.stdout


def test_an_article_curated_through_the_cli_alone(tmp_path: Path) -> None:
    data = tmp_path / "curating"
    shutil.copytree(EXAMPLES / "curating", data)
    d = ["--data", str(data)]
    src = ["--source", "poland-border"]

    kg("sources", "add", str(EXAMPLES / "poland-border.txt"), "--id", "poland-border", "--title", TITLE,
       "--published", "2021-11", *d)  # fmt: skip
    numbered = json.loads(kg("sentences", "poland-border", "--format", "json", *d))["sentences"]
    assert [s["text"][:20] for s in numbered] == [
        "Poland shuts border ",
        "Poland closed its bu",
        "Warsaw accused Minsk",
        "Alexander Lukashenko",
        "The European Union s",
        "Russia backed its al",
        "Analysts expect the ",
    ]
    found = json.loads(kg("mentions", "poland-border", "--format", "json", *d))
    assert [(c["name"], c["count"]) for c in found["candidates"]][:3] == [
        ("Poland", 2),
        ("Belarusian", 2),
        ("Warsaw", 1),
    ]

    kg("entities", "add", "poland", "--name", "Poland", "--type", "country", "--alias", "Warsaw",
       "--description", "Republic of Poland.", *d)  # fmt: skip
    kg("add", "poland", "pressures", "belarus", *src, "--sentence", "2", "--date", "2021-11-09", *d)
    kg("add", "Warsaw", "accuses", "Minsk", *src, "--quote", "Warsaw accused Minsk of luring the migrants to the "
       "frontier", "--date", "2021-11", *d)  # fmt: skip
    kg("add", "Lukashenko", "accuses", "Western", *src, "--sentence", "4", "--date", "2021-11", *d)
    kg("add", "EU", "sanctions", "belarus", *src, "--sentence", "5", "--date", "2021-11", *d)
    kg("add", "russia", "supports", "belarus", *src, "--sentence", "6", "--date", "2021-11",
       "--qualifier", "act=sent two bombers", *d)  # fmt: skip

    left = json.loads(kg("coverage", "poland-border", "--uncovered", "--format", "json", *d))["sources"][0]
    assert [u["number"] for u in left["uncovered"]] == [1, 7]
    with open(data / "sources" / "poland-border.yaml", "a", encoding="utf-8") as yaml:
        yaml.write(SKIPS)
    [row] = json.loads(kg("coverage", "--format", "json", *d))["sources"]
    assert (row["covered"], row["skipped"], row["share"]) == (5, 2, 1.0)
    assert kg("validate", "--strict", "--format", "table", *d) == "0 errors, 0 warnings\n"
    for name in ("entities.yaml", "relations.yaml", "sources/poland-border.yaml", "sources/poland-border.txt"):
        assert (data / name).read_bytes() == (EXPECTED / name).read_bytes(), name
    supporters = json.loads(kg("who-supports", "belarus", "--format", "json", *d))["results"]
    assert [(r["entity"]["id"], r["score"]) for r in supporters] == [("russia", 1)]
    opponents = json.loads(kg("who-opposes", "belarus", "--format", "json", *d))["results"]
    assert [(r["entity"]["id"], r["score"]) for r in opponents] == [("poland", 2), ("european-union", 1)]
