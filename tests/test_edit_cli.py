"""The editing commands through the CLI: what they write, byte for byte, and how they refuse.

``kgraph add`` appends exactly the lines of the new fact to its source's
``facts:`` list (every other byte of the file is compared); ``entities``
``add``/``rename``/``merge`` and ``relations add`` change exactly the
references they name. Every bad input is one ``error:`` line with its
documented exit code, and leaves every data file as it was.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import BUNDLED, REPO
from typer.testing import CliRunner

import kgraph
from kgraph import query
from kgraph.authoring.add import sentences
from kgraph.cli import app
from kgraph.validate import normalise_text

runner = CliRunner()
SRC = "belarus-china-ironclad-friend"
ARTICLE = f"sources/{SRC}.yaml"
CLEAN = REPO / "tests" / "corpus" / "clean-base"


def files(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` with its bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def kg_run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A writable copy of the bundled data."""
    root = tmp_path / "data"
    shutil.copytree(BUNDLED, root)
    return root


@pytest.fixture
def clean(tmp_path: Path) -> Path:
    """A writable copy of the corpus's clean base (three entities, two facts)."""
    root = tmp_path / "clean"
    shutil.copytree(CLEAN, root, ignore=shutil.ignore_patterns("expect.yaml"))
    return root


# -- kgraph add ------------------------------------------------------------------------------------------


def test_add_appends_exactly_the_new_lines_with_names_written_as_ids(data: Path) -> None:
    before = files(data)
    code, out, err = kg_run(
        "add",
        "Lukashenka",
        "seeks_support_from",
        "Beijing",
        "--source",
        SRC,
        "--quote",
        "Lukashenko wanted to use China to counterbalance Russia.",
        "--date",
        "2021",
        "--qualifier",
        "aim=counterbalance Russia",
        "--data",
        str(data),
    )
    assert (code, err) == (0, ""), err
    after = files(data)
    added = (
        "\n"
        "  - subject: lukashenko\n"
        "    relation: seeks_support_from\n"
        "    object: china\n"
        '    quote: "Lukashenko wanted to use China to counterbalance Russia."\n'
        "    date: 2021\n"
        "    qualifiers: {aim: counterbalance Russia}\n"
    )
    assert after[ARTICLE] == before[ARTICLE] + added.encode()
    assert {k: v for k, v in after.items() if k != ARTICLE} == {k: v for k, v in before.items() if k != ARTICLE}
    kg = kgraph.load(data, cache=False)
    new = kg.facts[-1]
    assert out == f"added {new.id}: lukashenko seeks_support_from china ({ARTICLE}:{new.line})\n"
    assert (new.subject, new.relation, new.object, new.date) == ("lukashenko", "seeks_support_from", "china", "2021")
    assert len(kg.facts) == len(kgraph.load(BUNDLED).facts) + 1


def test_add_by_sentence_quotes_the_sentence_whole(data: Path) -> None:
    text = (data / "sources" / f"{SRC}.txt").read_text(encoding="utf-8")
    n = 5
    code, _, err = kg_run(
        "add", "the-west", "pressures", "lukashenko", "--source", SRC, "--sentence", str(n), "--data", str(data)
    )
    assert code == 0, err
    fact = kgraph.load(data, cache=False).facts[-1]
    assert fact.quote == sentences(text)[n - 1]
    assert normalise_text(fact.quote) in normalise_text(text)


def test_dry_run_prints_the_yaml_and_writes_nothing(data: Path) -> None:
    before = files(data)
    code, out, _ = kg_run(
        "add", "china", "welcomes", "belarus", "--source", SRC, "--sentence", "2", "--date", "2021", "--dry-run",
        "--data", str(data),
    )  # fmt: skip
    assert code == 0
    assert out.startswith(f"# would add to {ARTICLE} at line ")
    assert "  - subject: china\n    relation: welcomes\n    object: belarus\n" in out
    assert files(data) == before


def test_add_into_an_empty_flow_list(clean: Path) -> None:
    yaml = clean / "sources" / "art.yaml"
    original = yaml.read_text(encoding="utf-8")
    head = original[: original.index("facts:")]
    expected_item = (
        "  - subject: alphaland\n"
        "    relation: supports\n"
        "    object: betaland\n"
        '    quote: "Alphaland backs Betaland."\n'
        "    date: 2021-11\n"
    )
    for empty in ("facts: []  # none yet\n", "facts: []\n"):
        yaml.write_text(head + empty, encoding="utf-8")
        code, _, err = kg_run(
            "add", "alpha", "supports", "betaland", "--source", "art", "--quote", "Alphaland backs Betaland.",
            "--date", "2021-11", "--data", str(clean),
        )  # fmt: skip
        assert code == 0, err
        tail = "  # none yet\n" if "#" in empty else "\n"
        assert yaml.read_text(encoding="utf-8") == head + "facts:\n" + expected_item.rstrip("\n") + tail


def test_a_symmetric_duplicate_and_a_late_date_are_refused(data: Path) -> None:
    before = files(data)
    # China partners_with Belarus (2021) is in the data; the other way round is the same fact
    quote = (
        "Earlier this year, Foreign Minister Wang Yi also told his Belarusian counterpart Vladimir Makei that "
        'China was ready to take ties to a higher-level in a meeting in which both countries hailed their "ironclad '
        'friendship".'
    )
    code, _, err = kg_run(
        "add", "belarus", "partners_with", "china", "--source", SRC, "--quote", quote, "--date", "2021",
        "--data", str(data),
    )  # fmt: skip
    assert code == 3
    assert "the same fact as line" in err and err.count("\n") == 1
    code, _, err = kg_run(
        "add", "china", "supports", "belarus", "--source", SRC, "--sentence", "2", "--date", "2022",
        "--data", str(data),
    )  # fmt: skip
    assert code == 3
    assert "after the source was published" in err
    assert files(data) == before


BAD = [
    (["belaruss", "supports", "china", "--quote", "Belarus"], 4, "unknown entity 'belaruss'; did you mean 'belarus'"),
    (["china", "suports", "belarus", "--quote", "Belarus"], 4, "unknown relation 'suports'; did you mean 'supports'"),
    (["belarus", "supported_by", "china", "--quote", "Belarus"], 4, "'supported_by' is the inverse name of 'supports'"),
    (["china", "supports", "belarus", "--quote", "Beijing welcomed Minsk's overtures"], 2, "closest passage is"),
    (["china", "supports", "belarus", "--sentence", "9999"], 2, "has sentences 1 to"),
    (["china", "supports", "belarus", "--sentence", "1", "--date", "2021/12"], 2, "is not a date"),
    (["china", "supports", "belarus", "--sentence", "1", "--quote", "x"], 2, "not both"),
    (["china", "supports", "belarus"], 2, "missing --quote or --sentence"),
    (["china", "supports", "belarus", "--sentence", "1", "--id", "Not A Slug"], 3, "must be a lowercase slug"),
    (["china", "supports", "belarus", "--sentence", "1", "--qualifier", "novalue"], 2, "is not KEY=VALUE"),
]


@pytest.mark.parametrize("args,code,message", BAD, ids=[m for _, _, m in BAD])
def test_bad_input_is_one_line_with_its_exit_code_and_changes_nothing(
    data: Path, args: list[str], code: int, message: str
) -> None:
    before = files(data)
    got, out, err = kg_run("add", *args, "--source", SRC, "--data", str(data))
    assert got == code, err
    assert out == "" and err.startswith("error: ") and err.count("\n") == 1 and message in err
    assert files(data) == before


def test_unknown_source_is_exit_4(data: Path) -> None:
    code, _, err = kg_run("add", "china", "supports", "belarus", "--source", "belarus-china", "--sentence", "1",
                          "--data", str(data))  # fmt: skip
    assert code == 4 and err.startswith("error: unknown source 'belarus-china'; did you mean")


def test_invalid_data_is_refused_before_anything(data: Path) -> None:
    ents = data / "entities.yaml"
    ents.write_text(ents.read_text(encoding="utf-8").replace("id: makei", "id: Makei"), encoding="utf-8")
    before = files(data)
    code, _, err = kg_run("add", "china", "supports", "belarus", "--source", SRC, "--sentence", "1",
                          "--data", str(data))  # fmt: skip
    assert code == 3 and err.startswith("error: refusing to edit data that does not validate: ")
    assert files(data) == before


# -- kgraph entities -------------------------------------------------------------------------------------


def test_bare_entities_lists_them_with_their_fact_counts(data: Path) -> None:
    code, out, _ = kg_run("entities", "--data", str(data), "--format", "json")
    assert code == 0
    listed = json.loads(out)["entities"]
    kg = kgraph.load(data)
    assert [e["id"] for e in listed] == list(kg.entities)
    for e in listed:
        assert e["facts"] == len({f.id for f in kg.facts if e["id"] in (f.subject, f.object, f.according_to)})
    code, out, _ = kg_run("entity", "Lukashenka", "--data", str(data), "--format", "json")
    assert code == 0 and json.loads(out)["entity"]["id"] == "lukashenko"


def test_entities_add_goes_after_the_last_of_its_type(data: Path) -> None:
    before = files(data)["entities.yaml"].decode()
    code, out, err = kg_run(
        "entities", "add", "poland", "--name", "Poland", "--type", "country", "--alias", "Republic of Poland",
        "--alias", "Polska", "--description", "A country bordering Belarus.", "--data", str(data),
    )  # fmt: skip
    assert code == 0, err
    after = (data / "entities.yaml").read_text(encoding="utf-8")
    added = (
        "\n  - id: poland\n    name: Poland\n    type: country\n    aliases: [Republic of Poland, Polska]\n"
        "    description: A country bordering Belarus.\n"
    )
    last_country = list(kgraph.load(BUNDLED).entities.values())
    last_country_id = [e.id for e in last_country if e.type == "country"][-1]
    anchor = before.index(f"- id: {last_country_id}\n")
    cut = before.index("\n\n", anchor) + 1
    assert after == before[:cut] + added + before[cut:]
    assert out == f"added entity poland (entities.yaml:{after[: after.index('- id: poland')].count(chr(10)) + 1})\n"
    assert kgraph.load(data, cache=False).entity("Polska").id == "poland"


@pytest.mark.parametrize(
    "args,code,message",
    [
        (["belarus", "--name", "B", "--type", "country", "--description", "d"], 2, "entity 'belarus' exists already"),
        (["Poland", "--name", "Poland", "--type", "country", "--description", "d"], 2, "did you mean 'poland'?"),
        (["poland", "--name", "Poland", "--type", "contry", "--description", "d"], 2, "did you mean 'country'?"),
        (["poland", "--name", "Belarus", "--type", "country", "--description", "d"], 3, "is also a name of 'belarus'"),
        (["poland", "--name", "Poland", "--type", "country"], 2, "missing --description"),
    ],
)
def test_entities_add_refuses(data: Path, args: list[str], code: int, message: str) -> None:
    before = files(data)
    got, _, err = kg_run("entities", "add", *args, "--data", str(data))
    assert got == code and message in err and err.count("\n") == 1, err
    assert files(data) == before


def test_rename_moves_every_reference_and_nothing_else(data: Path) -> None:
    before = files(data)
    code, out, err = kg_run("entities", "rename", "Makei", "vladimir-makei", "--data", str(data))
    assert code == 0, err
    after = files(data)
    for name, old in before.items():
        new = after[name]
        old_lines, new_lines = old.decode().split("\n"), new.decode().split("\n")
        assert len(old_lines) == len(new_lines)
        for a, b in zip(old_lines, new_lines, strict=True):
            if a != b:
                assert a.replace(": makei", ": vladimir-makei") == b
    kg = kgraph.load(data, cache=False)
    old_kg = kgraph.load(BUNDLED)
    moved = sum(1 for f in old_kg.facts for x in (f.subject, f.object, f.according_to) if x == "makei")
    assert out == f"renamed: {moved} references in facts; files: entities.yaml, {ARTICLE}\n"
    assert "makei" not in kg.entities and kg.entity("Makei").id == "vladimir-makei"
    assert len(kg.facts) == len(old_kg.facts)


def test_merge_moves_facts_adds_names_and_drops_the_duplicate(clean: Path) -> None:
    ents = clean / "entities.yaml"
    ents.write_text(
        ents.read_text(encoding="utf-8")
        + "  - id: alpha-republic\n    name: Republic of Alpha\n    type: country\n    aliases: [RoA]\n"
        "    description: The same country.\n",
        encoding="utf-8",
    )
    art = clean / "sources" / "art.yaml"
    art.write_text(
        art.read_text(encoding="utf-8").replace("subject: alphaland", "subject: alpha-republic"), encoding="utf-8"
    )
    (clean / "sources" / "art.txt").write_text(
        (clean / "sources" / "art.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    code, out, err = kg_run("entities", "merge", "RoA", "alphaland", "--data", str(clean))
    assert code == 0, err
    assert (clean / "entities.yaml").read_text(encoding="utf-8") == (CLEAN / "entities.yaml").read_text(
        encoding="utf-8"
    ).replace("aliases: [Alpha]", "aliases: [Alpha, Republic of Alpha, RoA]")
    assert art.read_text(encoding="utf-8") == (CLEAN / "sources" / "art.yaml").read_text(encoding="utf-8")
    assert out == "merged: 1 reference in facts; files: entities.yaml, sources/art.yaml\n"


def test_merge_refuses_conflicts(data: Path) -> None:
    before = files(data)
    code, _, err = kg_run("entities", "merge", "xi-jinping", "china", "--data", str(data))
    assert code == 2 and "their types differ" in err
    # Wang Yi meets_with Makei: merged, Makei would meet himself
    code, _, err = kg_run("entities", "merge", "wang-yi", "makei", "--data", str(data))
    assert code == 3 and err.count("\n") == 1 and "relates 'makei' to itself" in err, err
    code, _, err = kg_run("entities", "merge", "makei", "Makey", "--data", str(data))
    assert code == 2 and "are the same entity" in err
    assert files(data) == before


# -- kgraph relations ------------------------------------------------------------------------------------


def test_bare_relations_lists_as_before(data: Path) -> None:
    code, out, _ = kg_run("relations", "--data", str(data), "--format", "json")
    assert code == 0
    assert json.loads(out) == json.loads(json.dumps(query.relations(kgraph.load(data))))


def test_relations_add_inherits_polarity_and_joins_its_family(data: Path) -> None:
    before = (data / "relations.yaml").read_text(encoding="utf-8")
    code, out, err = kg_run(
        "relations", "add", "jails_again", "--parent", "represses", "--inverse", "jailed_again_by",
        "--description", "Jails someone once more.", "--data", str(data),
    )  # fmt: skip
    assert code == 0, err
    after = (data / "relations.yaml").read_text(encoding="utf-8")
    added = (
        "\n  - id: jails_again\n    label: jails again\n    parent: represses\n    inverse: jailed_again_by\n"
        "    polarity: -1\n    description: Jails someone once more.\n"
    )
    kg = kgraph.load(BUNDLED)
    family = [r for r in kg.relations if r in kg.descendants("represses")]
    anchor = before.index(f"- id: {family[-1]}\n")
    cut = before.index("\n\n", anchor) + 1
    assert after == before[:cut] + added + before[cut:]
    new = kgraph.load(data, cache=False).relation("jails_again")
    assert (new.parent, new.polarity, new.inverse) == ("represses", -1, "jailed_again_by")
    assert out.startswith("added relation jails_again (relations.yaml:")


@pytest.mark.parametrize(
    "args,code,message",
    [
        (["x_y", "--parent", "suports", "--description", "d"], 4, "unknown relation 'suports'"),
        (["supports", "--parent", "cooperates", "--description", "d"], 2, "exists already"),
        (["x_y", "--parent", "cooperates", "--symmetric", "--inverse", "y_x", "--description", "d"], 2, "not both"),
        (["x_y", "--parent", "cooperates", "--inverse", "supported_by", "--description", "d"], 2, "already"),
        (["X-Y", "--parent", "cooperates", "--description", "d"], 2, "must be snake_case"),
    ],
)
def test_relations_add_refuses(data: Path, args: list[str], code: int, message: str) -> None:
    before = files(data)
    got, _, err = kg_run("relations", "add", *args, "--data", str(data))
    assert got == code and message in err and err.count("\n") == 1, err
    assert files(data) == before


def test_on_a_terminal_missing_arguments_are_asked_for(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kgraph.cli import edit as edit_cli

    monkeypatch.setattr(edit_cli, "_interactive", lambda: True)
    answers = (
        "Lukashenka\nseeks_support_from\nChina\n" + SRC + "\nLukashenko wanted to use China to counterbalance Russia.\n"
    )
    result = runner.invoke(app, ["add", "--date", "2021", "--data", str(data)], input=answers)
    assert result.exit_code == 0, result.stderr
    assert "known entities: " in result.stderr and "belarus" in result.stderr
    assert "known relations: " in result.stderr and "seeks_support_from" in result.stderr
    fact = kgraph.load(data, cache=False).facts[-1]
    assert (fact.subject, fact.relation, fact.object, fact.source) == ("lukashenko", "seeks_support_from", "china", SRC)
    assert fact.quote == "Lukashenko wanted to use China to counterbalance Russia."


def test_a_file_with_crlf_line_ends_keeps_them(clean: Path) -> None:
    art = clean / "sources" / "art.yaml"
    art.write_bytes(art.read_bytes().replace(b"\n", b"\r\n"))
    before = art.read_bytes()
    code, _, err = kg_run(
        "add", "alpha", "supports", "gamma-leader", "--source", "art", "--quote", "Alphaland backs Betaland.",
        "--data", str(clean),
    )  # fmt: skip
    assert code == 0, err
    added = (  # (no blank line before it: the file has none between its facts)
        b"  - subject: alphaland\r\n    relation: supports\r\n    object: gamma-leader\r\n"
        b'    quote: "Alphaland backs Betaland."\r\n'
    )
    assert art.read_bytes() == before + added
