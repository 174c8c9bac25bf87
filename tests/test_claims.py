"""Claims (kgraph.claims) and the answers that count them: corroboration, modality as evidence, disputes.

Unit tests build facts from model values; the answers are checked on the
invented multi-source dataset ``tests/fixtures/trust`` (see its README), whose
facts the tests find by what they say, not by computed ids.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from conftest import REPO
from typer.testing import CliRunner

import kgraph
from kgraph import analysis, query
from kgraph.claims import Claim, at_least, claims, compatible, group, statement_key
from kgraph.cli import app
from kgraph.errors import UsageError
from kgraph.knowledge import KnowledgeGraph
from kgraph.model import Entity, Fact, Relation, Source

TRUST = REPO / "tests" / "fixtures" / "trust"
runner = CliRunner()


def fact(
    fid: str,
    source: str,
    *,
    subject: str = "a",
    relation: str = "sanctions",
    obj: str = "b",
    date: str | None = None,
    start: str | None = None,
    end: str | None = None,
    modality: str = "asserted",
    same_as: tuple[str, ...] = (),
    disputes: tuple[str, ...] = (),
) -> Fact:
    polarity = {"sanctions": -1, "supports": 1, "leads": 0}[relation]
    return Fact(
        fid,
        subject,
        relation,
        obj,
        polarity,
        f"{subject} {relation} {obj}",
        source,
        date=date,
        start=start,
        end=end,
        modality=modality,
        same_as=same_as,
        disputes=disputes,
    )


def grouped(facts: list[Fact]) -> list[list[str]]:
    """The claims of ``facts`` as lists of fact ids, sorted, for comparisons that ignore order."""
    return sorted(sorted(f.id for f in c.facts) for c in group(facts))


# -- dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ({"date": "2020-03"}, {"date": "2020-03"}, True),  # equal
        ({"date": "2020-03"}, {"date": "2020"}, True),  # one within the other
        ({"date": "2020"}, {"date": "2020-03-05"}, True),
        ({"date": "2020-03"}, {"date": "2020-04"}, False),  # disjoint
        ({"date": "2020"}, {"date": "2021"}, False),
        ({"date": "2020-03"}, {}, True),  # one undated
        ({}, {}, True),
        ({"start": "2013"}, {"date": "2020"}, True),  # inside an open interval
        ({"start": "2013", "end": "2019"}, {"date": "2020"}, False),
        ({"start": "2019", "end": "2020"}, {"start": "2020", "end": "2021"}, False),  # overlap is not enough
    ],
)
def test_compatible_dates(a: dict[str, str], b: dict[str, str], expected: bool) -> None:
    x, y = fact("x", "s1", **a), fact("y", "s2", **b)  # type: ignore[arg-type]
    assert compatible(x, y) is expected
    assert compatible(y, x) is expected


# -- grouping ------------------------------------------------------------------------------


def test_two_sources_reporting_the_same_fact_make_one_claim() -> None:
    x, y = fact("x", "s1", date="2020-03"), fact("y", "s2", date="2020")
    [c] = group([x, y])
    assert c.sources == ("s1", "s2")
    assert [f.id for f in c.facts] == ["y", "x"]  # in fact order: the less precise 2020 first
    assert c.id == "y" and c.first is y


def test_different_subject_object_relation_or_modality_stay_apart() -> None:
    base = fact("x", "s1", date="2020")
    others = [
        fact("s", "s2", date="2020", subject="c"),
        fact("o", "s2", date="2020", obj="c"),
        fact("r", "s2", date="2020", relation="supports"),
        fact("m", "s2", date="2020", modality="considered"),
    ]
    for other in others:
        assert grouped([base, other]) == sorted([["x"], [other.id]]), other.id


def test_incompatible_dates_stay_apart() -> None:
    assert grouped([fact("x", "s1", date="2020-03"), fact("y", "s2", date="2020-04")]) == [["x"], ["y"]]


def test_an_undated_fact_joins_two_dated_ones_that_disagree() -> None:
    march, april = fact("m", "s1", date="2020-03"), fact("a", "s2", date="2020-04")
    undated = fact("u", "s3")
    assert grouped([march, april]) == [["a"], ["m"]]
    [c] = group([march, april, undated])
    assert c.sources == ("s1", "s2", "s3")


def test_facts_of_one_source_are_not_joined_directly() -> None:
    # a source repeating itself is one report, not corroboration: two facts, two claims
    assert grouped([fact("x", "s1", date="2020"), fact("y", "s1", date="2020")]) == [["x"], ["y"]]


def test_facts_of_one_source_join_through_a_third_fact() -> None:
    x, y, z = fact("x", "s1", date="2020"), fact("y", "s1", date="2020"), fact("z", "s2")
    [c] = group([x, y, z])
    assert sorted(f.id for f in c.facts) == ["x", "y", "z"]
    assert c.sources == ("s1", "s2")


def test_same_as_joins_whatever_the_source_key_and_dates() -> None:
    x = fact("x", "s1", date="2019")
    y = fact("y", "s1", date="2021", relation="supports", obj="c", same_as=("x",))
    assert grouped([x, y]) == [["x", "y"]]
    # the link holds either way round, and only between facts given
    assert grouped([y]) == [["y"]]


def test_same_as_chains_are_connected() -> None:
    x = fact("x", "s1")
    y = fact("y", "s1", relation="supports", same_as=("x",))
    z = fact("z", "s1", obj="c", same_as=("y",))
    [c] = group([z, y, x])
    assert [f.id for f in c.facts] == ["x", "y", "z"]
    assert c.sources == ("s1",)


def test_a_fact_given_twice_counts_once() -> None:
    x = fact("x", "s1")
    assert [len(c.facts) for c in group([x, x])] == [1]


def test_claims_come_in_the_order_of_their_first_facts() -> None:
    late, early, undated = fact("l", "s1", date="2021"), fact("e", "s1", date="2019", obj="c"), fact("u", "s1", obj="d")
    assert [c.id for c in group([undated, late, early])] == ["e", "l", "u"]


def test_a_custom_key_groups_by_relation_only() -> None:
    # inside one stance the key is the relation: a leader's act and the country's act are one claim
    leader = fact("l", "s1", subject="leader", date="2020")
    country = fact("c", "s2", subject="country")
    assert len(group([leader, country])) == 2
    [c] = group([leader, country], key=lambda f: (f.relation, f.modality))
    assert c.sources == ("s1", "s2")


def test_at_least_keeps_claims_with_enough_sources() -> None:
    two = Claim((fact("x", "s1"), fact("y", "s2")))
    one = Claim((fact("z", "s1", obj="c"),))
    assert at_least([two, one], 1) == [two, one]
    assert at_least([two, one], 2) == [two]
    assert at_least([two, one], 3) == []


def test_statement_key_and_claims_of_a_graph() -> None:
    x = fact("x", "s1", date="2020")
    assert statement_key(x) == ("a", "sanctions", "b", "asserted")
    kg = graph([x, fact("y", "s2", date="2020-05"), fact("z", "s2", obj="c")])
    assert [sorted(f.id for f in c.facts) for c in claims(kg)] == [["x", "y"], ["z"]]


# -- stances on a graph built in code ------------------------------------------------------------


def graph(facts: list[Fact]) -> KnowledgeGraph:
    rels = [
        Relation("supports", "supports", 1, "backs"),
        Relation("sanctions", "sanctions", -1, "sanctions"),
        Relation("leads", "leads", 0, "leads", acts_for=True),
    ]
    names = {e for f in facts for e in (f.subject, f.object)}
    ents = [Entity(e, e.title(), "person" if e == "leader" else "country", "") for e in sorted(names)]
    srcs = [Source(s, s, None, "/nonexistent.txt", "/nonexistent.yaml") for s in sorted({f.source for f in facts})]
    return KnowledgeGraph(rels, ents, srcs, facts)


def test_an_acts_for_claim_counts_once_for_the_country() -> None:
    kg = graph(
        [
            fact("lead", "s1", subject="leader", relation="leads", obj="country"),
            fact("by-leader", "s1", subject="leader", date="2020-03"),
            fact("by-country", "s2", subject="country", date="2020"),
        ]
    )
    result = {r["entity"]["id"]: r for r in query.who_opposes(kg, "b")["results"]}
    country = result["country"]
    assert country["score"] == 1
    [claim] = country["evidence"]
    assert sorted(x["id"] for x in claim["facts"]) == ["by-country", "by-leader"]
    assert claim["sources"] == ["s1", "s2"]
    assert [f["id"] for f in country["via"]] == ["lead"]
    assert result["leader"]["score"] == 1  # the leader's own stance: one claim, one source
    assert result["leader"]["evidence"][0]["sources"] == ["s1"]


def test_direct_counts_claims_with_a_fact_of_the_entity_itself() -> None:
    kg = graph(
        [
            fact("lead", "s1", subject="leader", relation="leads", obj="country"),
            fact("by-leader", "s1", subject="leader", date="2020-03"),
            fact("by-country", "s2", subject="country", date="2020"),
            fact("only-leader", "s1", subject="leader", relation="supports", obj="b", date="2020"),
        ]
    )
    side = analysis.explain(kg, "country", "b")["stance"]
    assert (side["opposes"]["count"], side["opposes"]["direct"]) == (1, 1)
    assert (side["supports"]["count"], side["supports"]["direct"]) == (1, 0)


def test_min_sources_recounts_and_drops_entities_left_without_claims() -> None:
    kg = graph(
        [
            fact("x1", "s1", subject="x", date="2020"),
            fact("x2", "s2", subject="x", date="2020"),
            fact("x3", "s1", subject="x", relation="supports", obj="b"),  # another polarity: not counted here
            fact("y1", "s1", subject="y", date="2020"),
            fact("y2", "s1", subject="y", date="2021"),
        ]
    )
    everything = query.who_opposes(kg, "b")
    assert [(r["entity"]["id"], r["score"]) for r in everything["results"]] == [("y", 2), ("x", 1)]
    corroborated = query.who_opposes(kg, "b", min_sources=2)
    assert [(r["entity"]["id"], r["score"]) for r in corroborated["results"]] == [("x", 1)]
    with pytest.raises(UsageError, match="--min-sources must be at least 1"):
        query.who_opposes(kg, "b", min_sources=0)


def test_claims_of_one_source_repeating_itself_score_twice() -> None:
    # a source repeating the same act at two dates reports two acts; a second source saying nothing new adds none
    kg = graph([fact("x1", "s1", date="2020-01"), fact("x2", "s1", date="2020-02"), fact("x3", "s2", date="2020-01")])
    [r] = query.who_opposes(kg, "b")["results"]
    assert r["score"] == 2
    assert [c["sources"] for c in r["evidence"]] == [["s1", "s2"], ["s1"]]


def test_hedged_facts_count_only_when_asked_and_denied_ones_never() -> None:
    kg = graph(
        [
            fact("asserted", "s1", subject="x"),
            fact("considered", "s1", subject="y", modality="considered"),
            fact("threatened", "s1", subject="z", modality="threatened"),
            fact("denied", "s1", subject="w", modality="denied"),
        ]
    )
    assert [r["entity"]["id"] for r in query.who_opposes(kg, "b")["results"]] == ["x"]
    hedged = query.who_opposes(kg, "b", hedged=True)["results"]
    assert sorted(r["entity"]["id"] for r in hedged) == ["x", "y", "z"]
    assert {r["entity"]["id"]: r["evidence"][0]["modality"] for r in hedged} == {
        "x": "asserted",
        "y": "considered",
        "z": "threatened",
    }


def test_a_hedged_acts_for_link_does_not_credit_the_country_by_default() -> None:
    kg = graph(
        [
            fact("lead", "s1", subject="leader", relation="leads", obj="country", modality="predicted"),
            fact("act", "s1", subject="leader"),
        ]
    )
    assert [r["entity"]["id"] for r in query.who_opposes(kg, "b")["results"]] == ["leader"]
    assert sorted(r["entity"]["id"] for r in query.who_opposes(kg, "b", hedged=True)["results"]) == [
        "country",
        "leader",
    ]


def test_an_asserted_and_a_considered_report_are_two_claims() -> None:
    kg = graph([fact("did", "s1", date="2020"), fact("mulled", "s2", date="2020", modality="considered")])
    [r] = query.who_opposes(kg, "b", hedged=True)["results"]
    assert r["score"] == 2
    assert [c["modality"] for c in r["evidence"]] == ["asserted", "considered"]


# -- the invented multi-source dataset (tests/fixtures/trust) -------------------------------------


@pytest.fixture(scope="module")
def trust() -> KnowledgeGraph:
    return kgraph.load(TRUST, cache=False)


def the_fact(kg: KnowledgeGraph, subject: str, relation: str, obj: str, source: str) -> Fact:
    [f] = [x for x in kg.facts if (x.subject, x.relation, x.object, x.source) == (subject, relation, obj, source)]
    return f


def flat(text: str) -> str:
    """``text`` with its whitespace folded (a table cell may wrap)."""
    return " ".join(text.split())


def cli(*args: str) -> str:
    result = runner.invoke(app, [*args, "--data", str(TRUST)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.stdout


def test_two_sources_reporting_a_sanction_are_one_claim_with_both_sources(trust: KnowledgeGraph) -> None:
    gazette = the_fact(trust, "grand-fenwick", "sanctions", "sylvania", "fenwick-gazette")
    courier = the_fact(trust, "grand-fenwick", "sanctions", "sylvania", "freedonia-courier")
    fenwick = {r["entity"]["id"]: r for r in query.who_opposes(trust, "sylvania")["results"]}["grand-fenwick"]
    assert fenwick["score"] == 1
    [claim] = fenwick["evidence"]
    assert claim["sources"] == ["fenwick-gazette", "freedonia-courier"]
    assert sorted(x["id"] for x in claim["facts"]) == sorted([gazette.id, courier.id])
    assert claim["id"] == claim["facts"][0]["id"]  # the claim shows its first fact


def test_min_sources_2_keeps_corroborated_claims_and_drops_single_source_ones(trust: KnowledgeGraph) -> None:
    every = {r["entity"]["id"]: r["score"] for r in query.who_opposes(trust, "sylvania")["results"]}
    assert every == {"grand-fenwick": 1, "freedonia": 1, "rufus-firefly": 1}
    kept = query.who_opposes(trust, "sylvania", min_sources=2)["results"]
    # Firefly's own sanction is in one article only; Freedonia's is in two (the country's, and its president's)
    assert {r["entity"]["id"]: r["evidence"][0]["sources"] for r in kept} == {
        "grand-fenwick": ["fenwick-gazette", "freedonia-courier"],
        "freedonia": ["freedonia-courier", "sylvania-review"],
    }
    out = json.loads(cli("who-opposes", "sylvania", "--min-sources", "2", "-f", "json"))
    assert [r["entity"]["id"] for r in out["results"]] == [r["entity"]["id"] for r in kept]


def test_a_considered_sanction_is_evidence_only_with_hedged(trust: KnowledgeGraph) -> None:
    assert "osterlich" not in {r["entity"]["id"] for r in query.who_opposes(trust, "sylvania")["results"]}
    hedged = {r["entity"]["id"]: r for r in query.who_opposes(trust, "sylvania", hedged=True)["results"]}
    assert hedged["osterlich"]["evidence"][0]["modality"] == "considered"
    # marked in every format
    table = cli("who-opposes", "sylvania", "--hedged", "-f", "table")
    assert "Osterlich sanctions [considered] Sylvania" in table
    assert "[considered]" not in cli("who-opposes", "sylvania", "-f", "table")
    rows = list(csv.DictReader(io.StringIO(cli("who-opposes", "sylvania", "--hedged", "-f", "csv"))))
    assert {r["entity"]: r["modality"] for r in rows}["osterlich"] == "considered"
    assert {r["modality"] for r in rows if r["entity"] != "osterlich"} == {"asserted"}
    out = json.loads(cli("who-opposes", "sylvania", "--hedged", "-f", "json"))
    assert {r["entity"]["id"]: r["evidence"][0]["modality"] for r in out["results"]}["osterlich"] == "considered"


def test_a_denied_fact_never_counts_but_is_listed(trust: KnowledgeGraph) -> None:
    denied = the_fact(trust, "sylvania", "sanctions", "freedonia", "fenwick-gazette")
    assert denied.modality == "denied"
    for hedged in (False, True):
        answer = query.who_opposes(trust, "freedonia", hedged=hedged)
        shown = {x["id"] for r in answer["results"] for c in r["evidence"] for x in c["facts"]}
        assert shown and denied.id not in shown
    assert denied.id in {f["id"] for f in query.facts(trust, entity="freedonia")["facts"]}
    assert "Sylvania sanctions [denied] Freedonia" in cli("entity", "freedonia", "-f", "table")


def test_disputes_lists_the_pair_with_both_quotes_and_sources(trust: KnowledgeGraph) -> None:
    [d] = query.disputes(trust)["disputes"]
    assert (d["disputed"]["id"], d["disputing"]["id"]) == ("osterlich-backs-sylvania", "osterlich-denies-backing")
    assert d["disputed"]["quote"].startswith("Osterlich has backed Sylvania")
    assert d["disputing"]["quote"].startswith("Osterlich has not backed Sylvania")
    assert (d["disputed_sources"], d["disputing_sources"]) == (["fenwick-gazette"], ["freedonia-courier"])
    assert (d["disputed"]["modality"], d["disputing"]["modality"]) == ("asserted", "denied")
    table = cli("disputes", "-f", "table")
    for text in (
        "1 dispute",
        "contested",
        "disputed by",
        "Osterlich has backed Sylvania",
        "Osterlich has not backed Sylvania",
        "fenwick-gazette",
        "freedonia-courier",
        "Osterlich supports [denied] Sylvania",
    ):
        assert text in table, text
    rows = list(csv.DictReader(io.StringIO(cli("disputes", "-f", "csv"))))
    assert [(r["dispute"], r["side"], r["fact_id"], r["source"], r["modality"]) for r in rows] == [
        ("1", "contested", "osterlich-backs-sylvania", "fenwick-gazette", "asserted"),
        ("1", "disputed by", "osterlich-denies-backing", "freedonia-courier", "denied"),
    ]
    assert json.loads(cli("disputes", "-f", "json")) == query.disputes(trust)


def test_who_supports_marks_the_disputed_evidence(trust: KnowledgeGraph) -> None:
    [r] = query.who_supports(trust, "sylvania")["results"]
    [claim] = r["evidence"]
    assert (r["entity"]["id"], claim["id"]) == ("osterlich", "osterlich-backs-sylvania")
    assert claim["disputed_by"] == ["osterlich-denies-backing"]
    assert "Osterlich supports Sylvania [disputed]" in cli("who-supports", "sylvania", "-f", "table")
    rows = list(csv.DictReader(io.StringIO(cli("who-supports", "sylvania", "-f", "csv"))))
    assert [r["disputed_by"] for r in rows] == ["osterlich-denies-backing"]
    # an undisputed claim says so
    fenwick = query.who_supports(trust, "freedonia")["results"][0]
    assert fenwick["evidence"][0]["disputed_by"] == []


def test_same_as_facts_of_one_source_are_one_claim(trust: KnowledgeGraph) -> None:
    [r] = query.who_supports(trust, "freedonia")["results"]
    assert (r["entity"]["id"], r["score"]) == ("grand-fenwick", 1)
    [claim] = r["evidence"]
    assert len(claim["facts"]) == 2 and claim["sources"] == ["sylvania-review"]


def test_explain_counts_claims_and_shows_the_disputes_on_its_evidence(trust: KnowledgeGraph) -> None:
    r = analysis.explain(trust, "osterlich", "sylvania")
    assert r["verdict"] == "supports"
    assert r["summary"].endswith("1 cooperative claim, 0 conflictual claims")
    [d] = r["disputes"]
    assert (d["disputed"]["id"], d["disputing"]["id"]) == ("osterlich-backs-sylvania", "osterlich-denies-backing")
    hedged = analysis.explain(trust, "osterlich", "sylvania", hedged=True)
    assert hedged["verdict"] == "mixed"
    assert hedged["stance"]["opposes"]["evidence"][0]["modality"] == "considered"
    table = cli("explain", "osterlich", "sylvania", "-f", "table")
    assert "dispute 1" in table and "disputes it" in table and "Osterlich has not backed" in table
    freedonia = analysis.explain(trust, "freedonia", "sylvania", min_sources=2)["stance"]["opposes"]
    assert freedonia["count"] == 1 and freedonia["evidence"][0]["sources"] == ["freedonia-courier", "sylvania-review"]
    explained = flat(cli("explain", "freedonia", "sylvania", "-f", "table"))
    assert "(2 sources: freedonia-courier, sylvania-review)" in explained
    # no dispute touches an evidence without one
    assert analysis.explain(trust, "grand-fenwick", "sylvania")["disputes"] == []


def test_the_stance_table_shows_the_sources_of_each_claim() -> None:
    table = cli("who-opposes", "sylvania", "-f", "table")
    assert "sources" in table.splitlines()[2]
    assert "2 sources:" in table and "fenwick-gazette," in table  # a cell wraps in its column
    rows = list(csv.DictReader(io.StringIO(cli("who-opposes", "sylvania", "-f", "csv"))))
    fenwick = next(r for r in rows if r["entity"] == "grand-fenwick")
    assert fenwick["sources"] == "fenwick-gazette; freedonia-courier"
    assert len(fenwick["facts"].split("; ")) == 2


@pytest.mark.parametrize("command", ["blocs", "balance", "ambivalent", "rank"])
def test_analysis_commands_take_hedged(command: str) -> None:
    plain = json.loads(cli(command, "-f", "json"))
    hedged = json.loads(cli(command, "--hedged", "-f", "json"))
    assert plain != hedged  # Osterlich's considered sanction of Sylvania ties them only with --hedged


def test_signed_ties_count_hedged_facts_only_when_asked(trust: KnowledgeGraph) -> None:
    pair = ("osterlich", "sylvania")
    assert analysis.signed_ties(trust)[pair].net == 1  # the backing; the denial never counts
    hedged = analysis.signed_ties(trust, hedged=True)[pair]
    assert (len(hedged.positive), len(hedged.negative)) == (1, 1)
    ranked = {r["entity"]["id"]: r["degree"] for r in analysis.rank(trust, by="degree", limit=None)["results"]}
    ranked_hedged = analysis.rank(trust, by="degree", limit=None, hedged=True)["results"]
    assert {r["entity"]["id"]: r["degree"] for r in ranked_hedged}["osterlich"] == ranked["osterlich"] + 1


def test_every_fact_record_carries_modality_and_disputed_by(trust: KnowledgeGraph) -> None:
    records: list[Any] = query.facts(trust)["facts"]
    assert {r["modality"] for r in records} == {"asserted", "considered", "denied"}
    assert {r["id"]: r["disputed_by"] for r in records if r["disputed_by"]} == {
        "osterlich-backs-sylvania": ["osterlich-denies-backing"]
    }
    assert list(records[0])[-2:] == ["modality", "disputed_by"]  # appended after the keys that were there


def test_a_cached_graph_knows_disputes_without_making_every_fact(tmp_path: Any, monkeypatch: Any) -> None:
    # fact records ask every fact's disputed_by: a graph read from the cache answers from one column
    monkeypatch.setenv("KGRAPH_CACHE_DIR", str(tmp_path))
    kgraph.load(TRUST)  # writes the cache
    cached = kgraph.load(TRUST)
    store: Any = cached.store
    assert type(store).__name__ == "CompiledFactStore"
    answer = query.who_supports(cached, "sylvania")
    assert store.made() < len(store)  # the facts toward Sylvania, and the disputing one: not every fact
    assert answer == query.who_supports(kgraph.load(TRUST, cache=False), "sylvania")
    assert answer["results"][0]["evidence"][0]["disputed_by"] == ["osterlich-denies-backing"]
    assert cached.disputed_by("osterlich-backs-sylvania") == ("osterlich-denies-backing",)
    assert cached.disputed_by("osterlich-denies-backing") == ()
