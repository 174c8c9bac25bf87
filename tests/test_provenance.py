"""Provenance in every answer: --source on every command, a source for every fact shown, time bounded by publication.

The dataset is invented for these tests (two short fictional articles of
different dates about invented countries), so that answers mix sources and
undated facts have different publication bounds:

- ``north-courier`` (published 2019-05): Alphaland backs Betaland (2019);
  Gammaland sanctions Betaland (undated); Gamma Leader leads Alphaland (undated).
- ``south-herald`` (published 2021-12): Gammaland sanctions Betaland (2021-03);
  Alphaland sanctions Gammaland (undated, according to Delta Press);
  Betaland sanctions Alphaland (undated); Betaland partners with Gammaland (2021).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from conftest import write_dataset
from typer.testing import CliRunner

import kgraph
from kgraph import analysis, query
from kgraph.cli import app
from kgraph.errors import UnknownSource
from kgraph.knowledge import KnowledgeGraph
from kgraph.scope import restrict, scope_of
from kgraph.timefilter import known_by, window

NORTH, SOUTH = "north-courier", "south-herald"

ENTITIES = """\
entities:
  - id: alphaland
    name: Alphaland
    type: country
    description: An invented country.
  - id: betaland
    name: Betaland
    type: country
    description: Another invented country.
  - id: gammaland
    name: Gammaland
    type: country
    description: A third invented country.
  - id: gamma-leader
    name: Gamma Leader
    type: person
    description: Leader of Alphaland.
  - id: delta-press
    name: Delta Press
    type: organisation
    description: An invented news agency.
"""

NORTH_TEXT = "Alphaland backs Betaland.\nGammaland sanctions Betaland.\nGamma Leader, who leads Alphaland, spoke.\n"
NORTH_SOURCE = f"""\
source:
  id: {NORTH}
  title: The North Courier reports
  published: 2019-05
  text: {NORTH}.txt
facts:
  - subject: alphaland
    relation: supports
    object: betaland
    quote: Alphaland backs Betaland.
    date: 2019
  - subject: gammaland
    relation: sanctions
    object: betaland
    quote: Gammaland sanctions Betaland.
  - subject: gamma-leader
    relation: leads
    object: alphaland
    quote: Gamma Leader, who leads Alphaland
"""

SOUTH_TEXT = (
    "In March Gammaland again sanctioned Betaland.\n"
    "Alphaland has sanctioned Gammaland, Delta Press said.\n"
    "Betaland sanctions Alphaland.\n"
    "This year Betaland became a partner of Gammaland.\n"
)
SOUTH_SOURCE = f"""\
source:
  id: {SOUTH}
  title: The South Herald explains
  published: 2021-12
  text: {SOUTH}.txt
facts:
  - subject: gammaland
    relation: sanctions
    object: betaland
    quote: In March Gammaland again sanctioned Betaland.
    date: 2021-03
  - subject: alphaland
    relation: sanctions
    object: gammaland
    quote: Alphaland has sanctioned Gammaland, Delta Press said.
    according_to: delta-press
  - subject: betaland
    relation: sanctions
    object: alphaland
    quote: Betaland sanctions Alphaland.
  - subject: betaland
    relation: partners_with
    object: gammaland
    quote: This year Betaland became a partner of Gammaland.
    date: 2021
"""


@pytest.fixture(scope="module")
def two_sources(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The two-article dataset folder (validated clean)."""
    root = write_dataset(
        tmp_path_factory.mktemp("provenance") / "data",
        entities=ENTITIES,
        source=NORTH_SOURCE,
        text=NORTH_TEXT,
        source_id=NORTH,
        files={f"sources/{SOUTH}.yaml": SOUTH_SOURCE},
    )
    (root / "sources" / f"{SOUTH}.txt").write_text(SOUTH_TEXT, encoding="utf-8")
    _, report = kgraph.check(root)
    assert not report.errors and not report.warnings, [str(p) for p in report.errors + report.warnings]
    return root


@pytest.fixture(scope="module")
def kg(two_sources: Path) -> KnowledgeGraph:
    return kgraph.load(two_sources, cache=False)


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No cache, no KGRAPH_DATA from the caller, and a wide terminal so that table cells do not wrap."""
    monkeypatch.setenv("KGRAPH_NO_CACHE", "1")
    monkeypatch.delenv("KGRAPH_DATA", raising=False)
    monkeypatch.setenv("COLUMNS", "250")
    monkeypatch.chdir(tmp_path)  # view's default output file lands here
    yield


runner = CliRunner()


def run(data: Path, *args: str) -> Any:
    return runner.invoke(app, ["--data", str(data), *args])


# -- every command that reads the graph takes --source ----------------------------------------

# Commands that do not answer from the graph's facts, so a source scope means nothing to them:
# checking or curating the files, the cache, shell completion. Any other command must take --source.
NOT_SCOPED = {
    "validate",
    "completion",
    "add",  # its --source names the article a new fact comes from
    "cache info",
    "cache clear",
    "entities add",
    "entities rename",
    "entities merge",
    "relations add",
    "sources",  # the listing of sources: every source, by design
    "sources add",
    "sentences",
    "mentions",
    "coverage",
}


def _commands(group: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Every command of the app (Click objects, vendored by Typer) by its full name.

    A group that answers on its own (``entities``, ``relations`` list when no subcommand is given) counts too.
    """
    for name, cmd in sorted(group.commands.items()):
        full = f"{prefix}{name}"
        if hasattr(cmd, "commands"):
            if cmd.invoke_without_command:
                yield full, cmd
            yield from _commands(cmd, f"{full} ")
        else:
            yield full, cmd


def _options(cmd: Any) -> set[str]:
    return {opt for p in cmd.params for opt in getattr(p, "opts", [])}


def test_every_command_reading_the_graph_takes_source() -> None:
    commands = dict(_commands(typer.main.get_command(app)))
    assert {"who-supports", "export", "draw", "view", "timeline", "entities", "relations"} <= set(commands)
    missing = sorted(n for n, c in commands.items() if n not in NOT_SCOPED and "--source" not in _options(c))
    assert missing == []
    repeatable = [n for n, c in commands.items() if n not in NOT_SCOPED and "--source" in _options(c)]
    for n in repeatable:
        (param,) = [p for p in commands[n].params if "--source" in getattr(p, "opts", [])]
        assert param.multiple, n  # repeatable: --source A --source B


# one invocation per command that takes --source (table-producing ones answer in JSON here)
QUERIES = {
    "who-supports": ["who-supports", "betaland"],
    "who-opposes": ["who-opposes", "betaland"],
    "path": ["path", "alphaland", "gammaland"],
    "neighbours": ["neighbours", "betaland", "--depth", "2"],
    "relations": ["relations"],
    "facts": ["facts"],
    "entity": ["entity", "betaland"],
    "stats": ["stats"],
    "explain": ["explain", "gammaland", "betaland"],
    "timeline": ["timeline", "betaland"],
    "blocs": ["blocs"],
    "balance": ["balance"],
    "ambivalent": ["ambivalent"],
    "rank": ["rank"],
    "entities": ["entities"],
    "disputes": ["disputes"],
}


def test_the_queries_cover_every_scoped_command() -> None:
    commands = dict(_commands(typer.main.get_command(app)))
    scoped = {n for n, c in commands.items() if n not in NOT_SCOPED and "--source" in _options(c)}
    assert scoped == set(QUERIES) | {"export", "draw", "view", "push"}  # push: tests/test_push.py


def _sources_in(value: Any) -> set[str]:
    """Every fact's source named anywhere in a JSON answer (a fact record has subject, relation and source)."""
    found: set[str] = set()
    if isinstance(value, dict):
        if {"subject", "relation", "source"} <= value.keys():
            found.add(value["source"])
        for v in value.values():
            found |= _sources_in(v)
    elif isinstance(value, list):
        for v in value:
            found |= _sources_in(v)
    return found


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_source_restricts_every_query(name: str, two_sources: Path, env: None) -> None:
    whole = run(two_sources, *QUERIES[name], "--format", "json")
    assert whole.exit_code == 0, whole.output
    scoped = run(two_sources, *QUERIES[name], "--source", SOUTH, "--format", "json")
    assert scoped.exit_code == 0, scoped.output
    assert f"note: sources kept 4 of 7 facts (from {SOUTH})" in scoped.stderr
    answer = json.loads(scoped.stdout)
    if name == "disputes":  # this fixture has no dispute: the answer is empty either way
        assert answer["disputes"] == []
    elif name not in ("stats", "relations", "entities", "rank"):  # these count; the others show facts
        assert _sources_in(json.loads(whole.stdout)) == {NORTH, SOUTH} or name in ("path", "explain")
        assert _sources_in(answer) == {SOUTH}


def test_source_counts(two_sources: Path, env: None) -> None:
    stats = json.loads(run(two_sources, "stats", "--source", NORTH, "--format", "json").stdout)
    assert stats == {"entities": 5, "facts": 3, "relations": 7, "sources": 1}
    both = json.loads(run(two_sources, "stats", "--source", NORTH, "--source", SOUTH, "--format", "json").stdout)
    assert both["facts"] == 7 and both["sources"] == 2
    opp = json.loads(run(two_sources, "who-opposes", "betaland", "--source", NORTH, "--format", "json").stdout)
    assert [(r["entity"]["id"], r["score"]) for r in opp["results"]] == [("gammaland", 1)]


def test_source_composes_with_the_time_window(two_sources: Path, env: None) -> None:
    result = run(two_sources, "facts", "--source", SOUTH, "--since", "2021-06", "--format", "json")
    assert result.exit_code == 0, result.output
    kept = json.loads(result.stdout)["facts"]
    assert {f["source"] for f in kept} == {SOUTH}
    assert sorted(f["date"] or "" for f in kept) == ["", "", "2021"]  # March 2021 is before the window
    assert "time window kept 3 of 4 facts" in result.stderr  # counted among the south's facts only


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_unknown_source_fails_with_a_suggestion(name: str, two_sources: Path, env: None) -> None:
    result = run(two_sources, *QUERIES[name], "--source", "south-heral")
    assert result.exit_code == 4
    assert result.stderr == "error: unknown source 'south-heral'; did you mean 'south-herald'?\n"


def test_export_draw_and_view_take_source(two_sources: Path, env: None, tmp_path: Path) -> None:
    exported = run(two_sources, "export", "json", "--source", NORTH)
    assert exported.exit_code == 0, exported.output
    doc = json.loads(exported.stdout)
    assert {e["article"] for e in doc["edges"]} == {NORTH} and len(doc["edges"]) == 3
    assert "note: sources kept 3 of 7 facts" in exported.stderr
    bad = run(two_sources, "export", "json", "--source", "nowhere")
    assert bad.exit_code == 4 and bad.stdout == ""
    pytest.importorskip("matplotlib")
    drawn = run(two_sources, "draw", "--source", SOUTH, "-o", str(tmp_path / "g.svg"))
    assert drawn.exit_code == 0, drawn.output
    assert re.search(r"drew \d+ entities and 4 facts", drawn.stderr)
    assert run(two_sources, "draw", "--source", "nowhere", "-o", str(tmp_path / "h.svg")).exit_code == 4
    pytest.importorskip("bokeh")
    viewed = run(two_sources, "view", "--source", NORTH, "-o", str(tmp_path / "v.html"))
    assert viewed.exit_code == 0, viewed.output
    assert re.search(r", 3 facts\n", viewed.stderr)
    assert SOUTH not in (tmp_path / "v.html").read_text(encoding="utf-8")


def test_restrict_in_the_library(kg: KnowledgeGraph) -> None:
    assert restrict(kg) is kg and restrict(kg, []) is kg
    s = restrict(kg, [SOUTH, SOUTH])
    assert {f.source for f in s.facts} == {SOUTH} and len(s.facts) == 4
    assert scope_of(s) == {"sources": [SOUTH], "kept": 4, "dropped": 3}
    assert list(s.sources) == [SOUTH] and s.entities == kg.entities  # names still resolve
    assert scope_of(kg) is None and len(kg.facts) == 7  # the original is untouched
    with pytest.raises(UnknownSource) as e:
        restrict(kg, [NORTH, "north-courir"])
    assert e.value.suggestions == [NORTH]


# -- every table that shows facts says where they come from ---------------------------------------

# the commands whose table shows facts, and the header row's first column
FACT_TABLES = {
    "who-supports": ["who-supports", "betaland"],
    "who-opposes": ["who-opposes", "betaland"],
    "path": ["path", "alphaland", "gammaland", "--all", "--max-hops", "2"],
    "neighbours": ["neighbours", "betaland"],
    "facts": ["facts"],
    "entity": ["entity", "betaland"],
    "explain": ["explain", "alphaland", "betaland"],
    "timeline": ["timeline", "betaland"],
    "blocs": ["blocs"],
    "balance": ["balance"],
    "ambivalent": ["ambivalent"],
}


def _header(stdout: str) -> list[str]:
    """The column headers of a printed table: the line above the rule."""
    lines = stdout.splitlines()
    rule = next(i for i, line in enumerate(lines) if line.startswith("───"))
    return lines[rule - 1].split()


@pytest.mark.parametrize("name", sorted(FACT_TABLES))
def test_every_fact_table_has_a_source_column(name: str, two_sources: Path, env: None) -> None:
    result = run(two_sources, *FACT_TABLES[name], "--format", "table")
    assert result.exit_code == 0, result.output
    # (the stance tables' column is "sources": a claim may be reported by several)
    assert {"source", "sources"} & set(_header(result.stdout))
    assert NORTH in result.stdout and SOUTH in result.stdout


@pytest.mark.parametrize("name", sorted(FACT_TABLES))
def test_one_source_is_named_in_the_caption(name: str, two_sources: Path, env: None) -> None:
    args = FACT_TABLES[name]
    if name == "explain":
        args = ["explain", "gammaland", "betaland"]
    result = run(two_sources, *args, "--source", SOUTH, "--format", "table")
    assert result.exit_code == 0, result.output
    if name == "timeline":  # the timeline always had its source column: kept
        assert "source" in _header(result.stdout)
    else:
        assert "source" not in _header(result.stdout)
        assert f"source: {SOUTH}" in result.stdout.splitlines()[-1] or f"source: {SOUTH}" in result.stdout


@pytest.mark.parametrize("name", ["facts", "entity", "who-opposes", "neighbours", "path", "timeline"])
def test_according_to_is_shown_with_the_quote(name: str, two_sources: Path, env: None) -> None:
    args = {
        "entity": ["entity", "gammaland"],
        "who-opposes": ["who-opposes", "gammaland"],
        "neighbours": ["neighbours", "gammaland"],
        "path": ["path", "alphaland", "gammaland"],
        "timeline": ["timeline", "gammaland"],
    }.get(name, FACT_TABLES[name])
    result = run(two_sources, *args, "--format", "table")
    assert result.exit_code == 0, result.output
    assert "Alphaland has sanctioned Gammaland, Delta Press said. (according to Delta Press)" in result.stdout


@pytest.mark.parametrize("name", sorted(FACT_TABLES))
def test_csv_of_fact_tables_has_source_and_according_to(name: str, two_sources: Path, env: None) -> None:
    result = run(two_sources, *FACT_TABLES[name], "--format", "csv")
    assert result.exit_code == 0, result.output
    header = result.stdout.splitlines()[0].split(",")
    assert "source" in header and "according_to" in header


def test_according_to_in_csv(two_sources: Path, env: None) -> None:
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(run(two_sources, "facts", "--format", "csv").stdout)))
    assert {r["according_to"] for r in rows} == {"", "delta-press"}
    (attributed,) = [r for r in rows if r["according_to"]]
    assert attributed["quote"] == "Alphaland has sanctioned Gammaland, Delta Press said."  # CSV: the quote as curated


# -- time bounded by publication -------------------------------------------------------------------


def test_known_by_is_the_source_publication(kg: KnowledgeGraph) -> None:
    by = {(f.source, f.subject, f.object): known_by(kg, f) for f in kg.facts}
    assert by[(NORTH, "gammaland", "betaland")] == "2019-05"
    assert by[(SOUTH, "betaland", "alphaland")] == "2021-12"
    assert by[(NORTH, "alphaland", "betaland")] is None  # dated: its date says when


@pytest.mark.parametrize(
    ("bounds", "south_undated_kept", "north_undated_kept"),
    [
        ({"until": "2020"}, False, True),
        ({"until": "2021-11"}, False, True),
        ({"until": "2021-12"}, True, True),
        ({"as_of": "2020"}, False, True),
        ({"until": "2019-04"}, False, False),
        ({"since": "2022"}, True, True),
        ({"since": "2019", "until": "2021"}, True, True),
        ({"since": "2019", "until": "2021-06"}, False, True),
    ],
)
def test_undated_facts_are_bounded_by_publication(
    kg: KnowledgeGraph, bounds: dict[str, str], south_undated_kept: bool, north_undated_kept: bool
) -> None:
    w = window(kg, **bounds)
    kept = {f.id for f in w.facts}
    for f in kg.facts:
        if f.when is None:
            assert (f.id in kept) == (south_undated_kept if f.source == SOUTH else north_undated_kept), f
    info = w.window  # type: ignore[attr-defined]
    undated_in = {f.id for f in kg.facts if f.when is None}
    assert info["undated"] == len(undated_in & kept)
    assert info["undated_dropped"] == len(undated_in - kept)
    assert info["undated_facts"] == [f.id for f in kg.facts if f.id in undated_in & kept]


def test_until_before_publication_on_the_command_line(two_sources: Path, env: None) -> None:
    result = run(two_sources, "who-opposes", "alphaland", "--until", "2020", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["results"] == []  # Betaland's undated sanction was reported in 2021-12
    assert (
        "note: time window kept 3 of 7 facts (2 undated left out: their source was published after the window;"
        " 2 undated kept)\n" in result.stderr
    )
    later = json.loads(run(two_sources, "who-opposes", "alphaland", "--since", "2022", "--format", "json").stdout)
    assert [r["entity"]["id"] for r in later["results"]] == ["betaland"]


def test_timeline_places_undated_facts_by_publication(kg: KnowledgeGraph) -> None:
    events = analysis.timeline(kg, "betaland")["events"]
    shown = [(e["when"], e["known_by"], e["fact"]["source"], e["other"]["id"]) for e in events]
    assert shown == [
        ("2019", None, NORTH, "alphaland"),
        (None, "2019-05", NORTH, "gammaland"),
        ("2021", None, SOUTH, "gammaland"),
        ("2021-03", None, SOUTH, "gammaland"),
        (None, "2021-12", SOUTH, "alphaland"),
    ]
    assert all(e["dated"] == (e["when"] is not None) for e in events)


def test_timeline_table_and_csv_say_by(two_sources: Path, env: None) -> None:
    table = run(two_sources, "timeline", "betaland", "--format", "table").stdout
    whens = [line.split()[0] for line in table.splitlines() if re.match(r"^(by|\d{4}|undated)", line)]
    assert whens == ["2019", "by", "2021", "2021-03", "by"]
    assert re.search(r"^by 2019-05 ", table, re.M) and "known by its source's publication" in table
    rows = run(two_sources, "timeline", "betaland", "--format", "csv").stdout.splitlines()
    assert rows[0].startswith("when,precision,known_by,")
    assert [r.split(",")[:3] for r in rows[1:3]] == [["2019", "year", ""], ["by 2019-05", "", "2019-05"]]


def test_a_source_without_a_date_bounds_nothing(kg: KnowledgeGraph) -> None:
    from dataclasses import replace

    undated_source = KnowledgeGraph(
        kg.relations.values(),
        kg.entities.values(),
        [replace(s, published=None) for s in kg.sources.values()],
        kg.facts,
    )
    w = window(undated_source, until="1990")
    assert {f.id for f in w.facts} == {f.id for f in kg.facts if f.when is None}
    events = analysis.timeline(undated_source, "betaland")["events"]
    assert [e["known_by"] for e in events if not e["dated"]] == [None, None]
    assert not events[-1]["dated"]  # no bound: undated facts last, as before


def test_query_answers_keep_their_shape(kg: KnowledgeGraph) -> None:
    # the scope changes which facts answer, not how an answer reads
    whole = query.facts(kg)
    scoped = query.facts(restrict(kg, [NORTH]))
    assert [f for f in whole["facts"] if f["source"] == NORTH] == scoped["facts"]
