"""End to end: an article curated through the CLI alone, from the guide's fixture to a `who-supports` answer.

The data folder is the guide's (``docs/examples/curating``: a few entities and
relations, no source yet) and the article ``docs/examples/poland-border.txt``.
The curation adds an entity, then facts by sentence number and by quote; the
resulting files must validate with ``--strict``, equal the expected copy in
``tests/data/curated-poland-border`` byte for byte, and answer ``who-supports``
and ``who-opposes``.

The source file itself is the one ``kgraph sources add`` writes; until that
command is on this branch, the test writes the same two files (the text, and
the source's fields with ``facts: []``) as the starting point.
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
SOURCE_YAML = """\
source:
  id: poland-border
  title: Poland shuts border crossing as migrant standoff with Belarus deepens
  published: 2021-11
  text: poland-border.txt

facts: []
"""


def kg(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, (args, result.stdout, result.stderr)
    return result.stdout


def test_an_article_curated_through_the_cli_alone(tmp_path: Path) -> None:
    data = tmp_path / "curating"
    shutil.copytree(EXAMPLES / "curating", data)
    shutil.copy(EXAMPLES / "poland-border.txt", data / "sources" / "poland-border.txt")
    (data / "sources" / "poland-border.yaml").write_text(SOURCE_YAML, encoding="utf-8")
    d = ["--data", str(data)]
    src = ["--source", "poland-border"]

    kg("entities", "add", "poland", "--name", "Poland", "--type", "country", "--alias", "Warsaw",
       "--description", "Republic of Poland.", *d)  # fmt: skip
    kg("add", "poland", "pressures", "belarus", *src, "--sentence", "2", "--date", "2021-11-09", *d)
    kg("add", "Warsaw", "accuses", "Minsk", *src, "--quote", "Warsaw accused Minsk of luring the migrants to the "
       "frontier", "--date", "2021-11", *d)  # fmt: skip
    kg("add", "Lukashenko", "accuses", "Western", *src, "--sentence", "4", "--date", "2021-11", *d)
    kg("add", "EU", "sanctions", "belarus", *src, "--sentence", "5", "--date", "2021-11", *d)
    kg("add", "russia", "supports", "belarus", *src, "--sentence", "6", "--date", "2021-11",
       "--qualifier", "act=sent two bombers", *d)  # fmt: skip

    assert kg("validate", "--strict", "--format", "table", *d) == "0 errors, 0 warnings\n"
    for name in ("entities.yaml", "relations.yaml", "sources/poland-border.yaml", "sources/poland-border.txt"):
        assert (data / name).read_bytes() == (EXPECTED / name).read_bytes(), name
    supporters = json.loads(kg("who-supports", "belarus", "--format", "json", *d))["results"]
    assert [(r["entity"]["id"], r["score"]) for r in supporters] == [("russia", 1)]
    opponents = json.loads(kg("who-opposes", "belarus", "--format", "json", *d))["results"]
    assert [(r["entity"]["id"], r["score"]) for r in opponents] == [("poland", 2), ("european-union", 1)]
