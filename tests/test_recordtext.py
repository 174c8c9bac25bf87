"""A stance answer written straight from its facts is ``json.dumps`` of the answer built as records, byte for byte.

:meth:`kgraph.query.StanceRanking.json_line` (what the CLI writes in a pipe)
against ``json.dumps(who_supports(...), ensure_ascii=False)``: on every entity
of the bundled data and of the trust fixture (disputes, hedged facts, same_as,
according_to), on a generated dataset's busiest entities, and on graphs of
generated facts whose text holds what JSON escapes. And whom thousands of
actors act for, asked at once of the compiled cache, is what asking each gives.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, generate_dataset
from hypothesis import given, settings
from hypothesis import strategies as st

from kgraph import load, query, records
from kgraph.cache import CompiledFactStore
from kgraph.knowledge import KnowledgeGraph
from kgraph.model import Entity, Fact, Relation, Source
from kgraph.reasoning import acts_for, acts_for_each, acts_for_relations

_OPTIONS: list[dict[str, Any]] = [{}, {"hedged": True}, {"direct": True}, {"min_sources": 2}]


def _check(kg: KnowledgeGraph, names: list[str]) -> Counter[str]:
    """Every stance answer on ``names`` the two ways; what they held (fact records, claims disputed, claims with
    a source's ``according_to``, backers through acts-for links), so that no check is vacuous."""
    held: Counter[str] = Counter()
    for name in names:
        for polarity in (1, -1):
            for options in _OPTIONS:
                ranking = query.stance_ranking(kg, name, polarity, **options)
                built = ranking.answer()
                assert ranking.json_line() == json.dumps(built, ensure_ascii=False), (name, polarity, options)
                for b in built["results"]:
                    held["via"] += bool(b["via"])
                    for c in b["evidence"]:
                        held["facts"] += len(c["facts"])
                        held["disputed"] += bool(c["disputed_by"])
                        held["according_to"] += c["according_to"] is not None
    return held


def test_every_entity_of_the_bundled_data() -> None:
    held = _check(load(), sorted(load().entities))
    assert held["facts"] > 100 and held["via"] > 5


def test_every_entity_of_the_trust_fixture() -> None:
    kg = load(REPO / "tests" / "fixtures" / "trust")
    held = _check(kg, sorted(kg.entities))
    assert held["facts"] > 20 and held["disputed"] and held["according_to"]


def test_the_busiest_entities_of_a_generated_dataset(tmp_path: Path) -> None:
    kg = load(generate_dataset(3_000, tmp_path / "data", seed=3))
    degree: dict[str, int] = {}
    for f in kg.facts:
        degree[f.subject] = degree.get(f.subject, 0) + 1
        degree[f.object] = degree.get(f.object, 0) + 1
    busiest = sorted(degree, key=lambda e: (-degree[e], e))
    held = _check(kg, busiest[:4] + busiest[-3:])
    assert held["facts"] > 1_000 and held["via"] > 10


def test_the_cli_writes_the_same_line_as_the_library_builds(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from kgraph.cli import app

    for command, ask in (("who-supports", query.who_supports), ("who-opposes", query.who_opposes)):
        result = CliRunner().invoke(app, [command, "belarus", "--format", "json"])
        assert result.exit_code == 0, result.output
        assert result.stdout == json.dumps(ask(load(), "belarus"), ensure_ascii=False) + "\n"


def test_emit_writes_the_line_in_a_pipe_and_builds_the_answer_for_a_terminal_or_csv() -> None:
    import io

    from kgraph.tables import Format, emit

    kg = load()
    answer = query.who_supports(kg, "belarus")

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    pipe, terminal, csv_pipe, csv_built = io.StringIO(), Terminal(), io.StringIO(), io.StringIO()
    emit(query.supporters(kg, "belarus"), Format.json, "who-supports", pipe)
    emit(query.supporters(kg, "belarus"), Format.json, "who-supports", terminal)
    emit(query.supporters(kg, "belarus"), Format.csv, "who-supports", csv_pipe)
    emit(answer, Format.csv, "who-supports", csv_built)
    assert pipe.getvalue() == json.dumps(answer, ensure_ascii=False) + "\n"
    assert terminal.getvalue() == json.dumps(answer, ensure_ascii=False, indent=2) + "\n"
    assert csv_pipe.getvalue() == csv_built.getvalue() and csv_pipe.getvalue().count("\n") > 10


def test_a_record_that_changed_shape_is_built_and_encoded_instead(monkeypatch: pytest.MonkeyPatch) -> None:
    """Were a field added to fact records, the writer would not know it: it notices and the records are dumped."""
    real = records.fact_record

    def grown(kg: KnowledgeGraph, f: Fact) -> Any:
        return {**real(kg, f), "confidence": 0.5}

    for module in (records, query):
        monkeypatch.setattr(module, "fact_record", grown)
    kg = load()
    ranking = query.stance_ranking(kg, "belarus", 1)
    line = ranking.json_line()
    assert '"confidence": 0.5' in line
    assert line == json.dumps(ranking.answer(), ensure_ascii=False)


# -- generated facts: text that JSON escapes, qualifiers, according_to, disputes ----------------------------

_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12) | st.sampled_from(
    ['"', "\\", "\n\t", "\u2028", "é\u00e9", "\x00\x1f", '{"a": 1}', ', "disputed_by": []}']
)
_IDS = ["a", "b", "c", "lead"]
_RELATIONS = [
    Relation("supports", "supports", 1, "backs"),
    Relation("partners_with", "partners with", 1, "works with", symmetric=True),
    Relation("sanctions", "sanctions", -1, "punishes"),
    Relation("leads", "leads", 0, "leads", acts_for=True),
]


@st.composite
def _graph(draw: st.DrawFn) -> KnowledgeGraph:
    entities = [Entity(e, draw(_TEXT), draw(_TEXT), draw(_TEXT)) for e in _IDS]
    sources = [Source(f"s{i}", draw(_TEXT), None, "/nonexistent.txt", "/nonexistent.yaml") for i in range(3)]
    n = draw(st.integers(1, 14))
    facts = []
    for i in range(n):
        relation = draw(st.sampled_from(_RELATIONS))
        facts.append(
            Fact(
                id=f"f{i}",
                subject=draw(st.sampled_from(_IDS)),
                relation=relation.id,
                object=draw(st.sampled_from(_IDS)),
                polarity=relation.polarity,
                quote=draw(_TEXT),
                source=draw(st.sampled_from(sources)).id,
                date=draw(st.none() | st.sampled_from(["2020", "2020-05", "2021-01-02"])),
                start=draw(st.none() | st.just("2019")),
                according_to=draw(st.none() | st.sampled_from(_IDS)),
                qualifiers=tuple(draw(st.dictionaries(_TEXT, _TEXT, max_size=2)).items()),
                modality=draw(st.sampled_from(["asserted", "asserted", "considered", "denied"])),
                disputes=tuple(draw(st.lists(st.sampled_from([f"f{k}" for k in range(n)]), max_size=2, unique=True))),
                same_as=tuple(draw(st.lists(st.sampled_from([f"f{k}" for k in range(n)]), max_size=1))),
                line=i + 1,
            )
        )
    return KnowledgeGraph(_RELATIONS, entities, sources, facts)


@settings(max_examples=300, deadline=None)
@given(_graph())
def test_generated_graphs(kg: KnowledgeGraph) -> None:
    _check(kg, _IDS)


# -- whom each actor acts for, asked at once ----------------------------------------------------------------


@pytest.mark.parametrize("many", [False, True])
def test_acts_for_asked_at_once_is_acts_for_asked_of_each(tmp_path: Path, many: bool) -> None:
    """A few actors are asked one by one; all of them make the compiled cache read the relation column whole."""
    root = generate_dataset(3_000, tmp_path / "data", seed=5)
    load(root)  # (compiles the cache entry)
    kg = load(root)
    assert isinstance(kg.store, CompiledFactStore)
    quiet = sorted(kg.entities, key=lambda e: (len(kg.out_facts(e)), e))[60:90]  # (their rows are few)
    ids = [*kg.entities, "no-such-entity"] if many else quiet
    links = acts_for_relations(kg)
    for hedged in (False, True):
        found = acts_for_each(kg, ids, hedged=hedged, relations=links)
        assert list(found) == ids
        for e in ids:
            assert found[e] == acts_for(kg, e, hedged=hedged), e
    assert bool(kg.store._subjects_among) is many  # (the whole column was read exactly when many were asked)
    assert sum(map(len, found.values())) > (50 if many else 5)
    if many:  # asked again of other actors: the rows of those relations, kept, give only theirs
        busy = sorted(kg.entities, key=lambda e: (-len(kg.out_facts(e)), e))[:400]
        again = kg.store.by_subjects_among(busy, links)
        assert list(again) == busy and all(again[e] == kg.store.by_subject_among(e, links) for e in busy)


@pytest.mark.parametrize("grown", ["claim", "backer"])
def test_a_claim_or_backer_that_changed_shape_is_built_and_encoded_instead(
    monkeypatch: pytest.MonkeyPatch, grown: str
) -> None:
    real_claim, real_backer = records.claim_record, query._backer
    if grown == "claim":
        monkeypatch.setattr(query, "claim_record", lambda *a: {**real_claim(*a), "weight": 2})
    else:
        monkeypatch.setattr(query, "_backer", lambda *a: {**real_backer(*a), "rank": None})
    ranking = query.stance_ranking(load(), "belarus", 1)
    line = ranking.json_line()
    assert ('"weight": 2' if grown == "claim" else '"rank": null') in line
    assert line == json.dumps(ranking.answer(), ensure_ascii=False)


def test_a_value_of_another_type_than_its_field_is_dumped_as_json_dumps_writes_it() -> None:
    """A graph built in code may hold a date that is a number, an entity type that is None: the writer gives way."""
    kg = _odd_graph(date=2020, kind=None)
    for name in _IDS:
        ranking = query.stance_ranking(kg, name, 1)
        assert ranking.json_line() == json.dumps(ranking.answer(), ensure_ascii=False)
    assert "2020," in query.stance_ranking(kg, "b", 1).json_line()


def _odd_graph(date: Any, kind: Any) -> KnowledgeGraph:
    entities = [Entity(e, e, kind if e == "a" else "country", "") for e in _IDS]
    facts = [Fact("f0", "a", "supports", "b", 1, "A backs B.", "s0", date=date, line=1)]
    return KnowledgeGraph(_RELATIONS, entities, [Source("s0", "S", None, "/x.txt", "/x.yaml")], facts)
