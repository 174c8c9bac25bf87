"""Queries with known answers: on the small graph of conftest.py, then on the bundled article data."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import BUNDLED

from kgraph import query
from kgraph.errors import NoPath, UnknownEntity, UnknownRelation, UnknownSource, UsageError
from kgraph.knowledge import KnowledgeGraph
from kgraph.validate import normalise_text


def ranking(result: dict[str, Any]) -> list[tuple[str, int]]:
    return [(r["entity"]["id"], r["score"]) for r in result["results"]]


def by_entity(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["entity"]["id"]: r for r in result["results"]}


def ids(facts: list[dict[str, Any]]) -> list[str]:
    return [f["id"] for f in facts]


def chain(path: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    return [
        (s["subject"]["id"], s["relation"], s["object"]["id"], s["direction"], s["fact"]["id"]) for s in path["steps"]
    ]


def nodes(path: dict[str, Any], start: str) -> list[str]:
    """The entities a path visits, from ``start``."""
    out = [start]
    for s in path["steps"]:
        out.append(s["object"]["id"] if s["direction"] == "forward" else s["subject"]["id"])
    return out


# -- who supports / who opposes ------------------------------------------------------


def test_who_supports_counts_sub_relations_symmetric_relations_and_acts_for(small: KnowledgeGraph) -> None:
    result = query.who_supports(small, "belarus")
    assert result["target"] == {"id": "belarus", "name": "Belarus", "type": "country"}
    # China: its partnership (symmetric), its ambassador's welcome (welcomes < supports, amb represents China)
    # and Xi's congratulations to Lukashenko (Xi leads China, Lukashenko leads Belarus)
    assert ranking(result) == [("china", 3), ("kazakhstan", 1), ("russia", 1), ("amb", 1), ("xi", 1)]
    china = by_entity(result)["china"]
    assert ids(china["evidence"]) == ["f-partners", "f-congrats", "f-welcomes"]  # in date order
    assert sorted(ids(china["via"])) == ["f-amb-repr", "f-luka-leads", "f-xi-leads"]
    xi = by_entity(result)["xi"]
    assert ids(xi["evidence"]) == ["f-congrats"] and ids(xi["via"]) == ["f-luka-leads"]
    assert by_entity(result)["russia"]["via"] == []
    # the target and whoever speaks for it are never their own supporters
    assert "belarus" not in by_entity(result) and "luka" not in by_entity(result)


def test_evidence_facts_have_the_documented_shape(small: KnowledgeGraph) -> None:
    f = by_entity(query.who_supports(small, "belarus"))["russia"]["evidence"][0]
    assert set(f) >= {"id", "subject", "relation", "object", "polarity", "date", "source", "quote"}
    assert f["subject"] == {"id": "russia", "name": "Russia", "type": "country"}
    assert (f["relation"], f["polarity"], f["date"], f["source"]) == ("supports", 1, "2021", "news")


def test_who_supports_direct_uses_no_acts_for_link(small: KnowledgeGraph) -> None:
    result = query.who_supports(small, "belarus", direct=True)
    assert ranking(result) == [("china", 1), ("kazakhstan", 1), ("russia", 1), ("amb", 1)]
    assert all(r["via"] == [] for r in result["results"])


def test_acts_toward_a_leader_count_toward_the_country(small: KnowledgeGraph) -> None:
    result = query.who_opposes(small, "belarus")
    assert ranking(result) == [("usa", 2), ("eu", 1)]
    assert ids(by_entity(result)["usa"]["evidence"]) == ["f-us-accuses", "f-us-sanctions"]
    assert ids(by_entity(result)["eu"]["via"]) == ["f-luka-leads"]
    assert ranking(query.who_opposes(small, "belarus", direct=True)) == [("usa", 1)]


def test_who_opposes_the_leader_directly(small: KnowledgeGraph) -> None:
    assert ranking(query.who_opposes(small, "Lukashenka")) == [("eu", 1), ("usa", 1)]


def test_symmetric_relation_counts_for_both_ends(small: KnowledgeGraph) -> None:
    # belarus is the subject of "belarus meets_with kazakhstan": kazakhstan met belarus too
    assert ranking(query.who_supports(small, "kazakhstan")) == [("belarus", 1)]
    assert "kazakhstan" in by_entity(query.who_supports(small, "belarus"))
    # ... and china partners with belarus, so belarus partners with china
    assert ranking(query.who_supports(small, "china")) == [("belarus", 1)]


def test_non_symmetric_relation_does_not_count_backwards(small: KnowledgeGraph) -> None:
    # russia supports belarus; nothing says belarus supports russia
    assert ranking(query.who_supports(small, "russia")) == []


def test_empty_answer_is_not_an_error(small: KnowledgeGraph) -> None:
    assert query.who_opposes(small, "island")["results"] == []


def test_unknown_target(small: KnowledgeGraph) -> None:
    with pytest.raises(UnknownEntity, match="did you mean 'belarus'"):
        query.who_supports(small, "belaruss")


# -- paths -------------------------------------------------------------------------------


def test_shortest_path_forward_and_backward(small: KnowledgeGraph) -> None:
    result = query.paths(small, "china", "russia")
    assert (result["from"]["id"], result["to"]["id"], result["truncated"]) == ("china", "russia", False)
    assert [chain(p) for p in result["paths"]] == [
        [
            ("china", "partners_with", "belarus", "forward", "f-partners"),
            ("russia", "supports", "belarus", "backward", "f-ru-supports"),
        ]
    ]
    assert result["paths"][0]["length"] == 2
    back = query.paths(small, "russia", "china")
    assert [chain(p) for p in back["paths"]] == [
        [
            ("russia", "supports", "belarus", "forward", "f-ru-supports"),
            ("china", "partners_with", "belarus", "backward", "f-partners"),
        ]
    ]


def test_all_shortest_paths(small: KnowledgeGraph) -> None:
    result = query.paths(small, "xi", "belarus")
    assert [nodes(p, "xi") for p in result["paths"]] == [["xi", "china", "belarus"], ["xi", "luka", "belarus"]]


def test_all_paths_up_to_max_hops(small: KnowledgeGraph) -> None:
    result = query.paths(small, "xi", "belarus", all_paths=True, max_hops=3)
    assert [nodes(p, "xi") for p in result["paths"]] == [
        ["xi", "china", "belarus"],
        ["xi", "luka", "belarus"],
        ["xi", "china", "amb", "belarus"],
        ["xi", "luka", "usa", "belarus"],
    ]
    assert [p["length"] for p in result["paths"]] == [2, 2, 3, 3]
    assert len(query.paths(small, "xi", "belarus", all_paths=True, max_hops=2)["paths"]) == 2
    limited = query.paths(small, "xi", "belarus", all_paths=True, max_hops=3, limit=3)
    assert len(limited["paths"]) == 3 and limited["truncated"] is True


def test_step_lists_alternative_facts(small: KnowledgeGraph) -> None:
    # usa both sanctions belarus and accuses luka; between usa and luka there is one fact only
    result = query.paths(small, "usa", "luka")
    assert [chain(p) for p in result["paths"]] == [[("usa", "accuses", "luka", "forward", "f-us-accuses")]]
    assert result["paths"][0]["steps"][0]["alternatives"] == []


def test_path_relation_filter_includes_sub_relations(small: KnowledgeGraph) -> None:
    result = query.paths(small, "xi", "belarus", relations=["supports", "leads"])
    assert [chain(p) for p in result["paths"]] == [
        [
            ("xi", "congratulates", "luka", "forward", "f-congrats"),
            ("luka", "leads", "belarus", "forward", "f-luka-leads"),
        ]
    ]


def test_no_path_with_relation_filter(small: KnowledgeGraph) -> None:
    with pytest.raises(NoPath) as caught:
        query.paths(small, "xi", "belarus", relations=["supports"])
    assert str(caught.value) == "no path from 'xi' to 'belarus' using supports"


def test_no_path(small: KnowledgeGraph) -> None:
    with pytest.raises(NoPath) as caught:
        query.paths(small, "island", "china")
    assert str(caught.value) == "no path from 'island' to 'china'"
    with pytest.raises(NoPath, match=r"^no path from 'xi' to 'kazakhstan' within 2 hops$"):
        query.paths(small, "xi", "kazakhstan", all_paths=True, max_hops=2)
    with pytest.raises(NoPath, match=r"^no path from 'xi' to 'kazakhstan' within 2 hops$"):
        query.paths(small, "xi", "kazakhstan", max_hops=2)
    assert len(query.paths(small, "xi", "kazakhstan", max_hops=3)["paths"]) == 2


def test_path_usage_errors(small: KnowledgeGraph) -> None:
    with pytest.raises(UsageError, match="two different entities"):
        query.paths(small, "china", "China")
    with pytest.raises(UsageError, match="--max-hops must be at least 1"):
        query.paths(small, "china", "russia", max_hops=0)
    with pytest.raises(UnknownRelation):
        query.paths(small, "china", "russia", relations=["suports"])


# -- neighbours ----------------------------------------------------------------------------


def rows(result: dict[str, Any]) -> list[tuple[str, str, str, int]]:
    return [(r["entity"]["id"], r["relation"], r["direction"], r["depth"]) for r in result["neighbours"]]


def test_neighbours_both_directions_read_with_inverse_names(small: KnowledgeGraph) -> None:
    result = query.neighbours(small, "belarus")
    assert result["entity"]["id"] == "belarus"
    assert rows(result) == [
        ("china", "partners_with", "in", 1),
        ("russia", "supported_by", "in", 1),
        ("kazakhstan", "meets_with", "out", 1),
        ("amb", "welcomed_by", "in", 1),
        ("usa", "sanctioned_by", "in", 1),
        ("luka", "led_by", "in", 1),
    ]
    assert all(r["from"]["id"] == "belarus" for r in result["neighbours"])


def test_neighbours_direction(small: KnowledgeGraph) -> None:
    # out: facts whose subject is belarus, and symmetric facts either way (shown as out)
    assert rows(query.neighbours(small, "belarus", direction="out")) == [
        ("china", "partners_with", "out", 1),
        ("kazakhstan", "meets_with", "out", 1),
    ]
    # in: facts whose object is belarus, and symmetric facts either way (shown as in)
    inward = rows(query.neighbours(small, "belarus", direction="in"))
    assert {r[0] for r in inward} == {"china", "russia", "kazakhstan", "amb", "usa", "luka"}
    assert {r[2] for r in inward} == {"in"}
    assert rows(query.neighbours(small, "xi", direction="out")) == [
        ("luka", "congratulates", "out", 1),
        ("china", "leads", "out", 1),
    ]
    assert rows(query.neighbours(small, "xi", direction="in")) == []
    with pytest.raises(UsageError):
        query.neighbours(small, "xi", direction="sideways")


def test_neighbours_depth(small: KnowledgeGraph) -> None:
    result = query.neighbours(small, "kazakhstan", depth=2)
    assert rows(result)[0] == ("belarus", "meets_with", "in", 1)
    second = [r for r in result["neighbours"] if r["depth"] == 2]
    assert {r["entity"]["id"] for r in second} == {"china", "russia", "amb", "usa", "luka"}
    assert {r["from"]["id"] for r in second} == {"belarus"}
    assert "kazakhstan" not in {r["entity"]["id"] for r in result["neighbours"]}
    with pytest.raises(UsageError):
        query.neighbours(small, "kazakhstan", depth=0)


def test_neighbours_depth_does_not_revisit(small: KnowledgeGraph) -> None:
    result = query.neighbours(small, "xi", depth=3)
    reached: dict[str, int] = {}
    for r in result["neighbours"]:
        reached.setdefault(r["entity"]["id"], r["depth"])
    assert reached["luka"] == 1 and reached["china"] == 1 and reached["belarus"] == 2 and reached["kazakhstan"] == 3
    assert "xi" not in reached


def test_neighbours_relation_filter(small: KnowledgeGraph) -> None:
    assert rows(query.neighbours(small, "belarus", relations=["opposes"])) == [("usa", "sanctioned_by", "in", 1)]
    assert rows(query.neighbours(small, "luka", relations=["structural"])) == [("belarus", "leads", "out", 1)]


# -- facts, relations, entity, stats ----------------------------------------------------


def test_facts_filters(small: KnowledgeGraph) -> None:
    assert ids(query.facts(small, subject="usa")["facts"]) == ["f-us-accuses", "f-us-sanctions"]
    assert ids(query.facts(small, relation="supports")["facts"]) == ["f-congrats", "f-ru-supports", "f-welcomes"]
    assert ids(query.facts(small, object="Lukashenka", relation=["opposes"])["facts"]) == [
        "f-us-accuses",
        "f-eu-sanctions",
    ]
    assert ids(query.facts(small, subject="usa", object="belarus")["facts"]) == ["f-us-sanctions"]
    assert ids(query.facts(small, entity="luka")["facts"]) == [
        "f-congrats",
        "f-us-accuses",
        "f-eu-sanctions",
        "f-luka-leads",
    ]
    assert len(query.facts(small, source="news")["facts"]) == len(small.facts)
    assert query.facts(small, subject="island")["facts"] == []


def test_facts_are_in_date_order_undated_last(small: KnowledgeGraph) -> None:
    dates = [f["date"] for f in query.facts(small)["facts"]]
    dated = [d for d in dates if d]
    assert dates[: len(dated)] == dated and all(d is None for d in dates[len(dated) :])
    assert dated == ["2013", "2020-08", "2021", "2021-06-01", "2021-11", "2021-12", "2021-12-02", "2021-12-02"]


def test_facts_unknown_names(small: KnowledgeGraph) -> None:
    with pytest.raises(UnknownSource, match="did you mean 'news'"):
        query.facts(small, source="nws")
    with pytest.raises(UnknownEntity):
        query.facts(small, subject="nobody")
    with pytest.raises(UnknownRelation):
        query.facts(small, relation="nothing")


def test_relations_tree_and_counts(small: KnowledgeGraph) -> None:
    result = query.relations(small)["relations"]
    assert [(r["id"], r["depth"], r["count"], r["total"]) for r in result] == [
        ("cooperates", 0, 0, 5),
        ("supports", 1, 1, 3),
        ("congratulates", 2, 1, 1),
        ("welcomes", 2, 1, 1),
        ("partners_with", 1, 1, 1),
        ("meets_with", 1, 1, 1),
        ("opposes", 0, 0, 3),
        ("sanctions", 1, 2, 2),
        ("accuses", 1, 1, 1),
        ("structural", 0, 0, 3),
        ("leads", 1, 2, 2),
        ("represents", 1, 1, 1),
    ]
    supports = next(r for r in result if r["id"] == "supports")
    assert (supports["polarity"], supports["parent"], supports["inverse"], supports["symmetric"]) == (
        1,
        "cooperates",
        "supported_by",
        False,
    )


def test_entity_and_stats(small: KnowledgeGraph) -> None:
    result = query.entity(small, "minsk")
    assert result["entity"] == {
        "id": "belarus",
        "name": "Belarus",
        "type": "country",
        "aliases": ["Minsk"],
        "description": "A country.",
    }
    assert sorted(ids(result["facts"])) == sorted(
        ["f-luka-leads", "f-partners", "f-welcomes", "f-ru-supports", "f-meets", "f-us-sanctions"]
    )
    assert query.stats(small) == {"entities": 10, "facts": 11, "relations": 12, "sources": 1}


def test_graph_has_one_keyed_edge_per_fact(small: KnowledgeGraph) -> None:
    g = small.graph
    assert set(g.nodes) == set(small.entities)
    assert g.number_of_edges() == len(small.facts)
    assert g.nodes["luka"]["aliases"] == ["Lukashenka", "Łukaszenka"]
    edge = g.edges["xi", "luka", "f-congrats"]
    assert (edge["relation"], edge["polarity"], edge["date"], edge["source"]) == ("congratulates", 1, "2020-08", "news")
    assert "start" not in edge


# -- the bundled article ---------------------------------------------------------------------

SANCTIONING = {"united-states", "european-union", "united-kingdom", "canada"}


def article_text(kg: KnowledgeGraph, source: str) -> str:
    with open(kg.sources[source].text_path, encoding="utf-8") as fh:
        return normalise_text(fh.read())


def test_bundled_who_supports_belarus(bundled: KnowledgeGraph) -> None:
    result = query.who_supports(bundled, "belarus")
    found = by_entity(result)
    assert {"china", "russia"} <= set(found)
    assert not SANCTIONING & set(found)
    assert ranking(result)[0][0] == "china"
    for who in ("china", "russia"):
        assert found[who]["evidence"], who
        for f in found[who]["evidence"]:
            assert f["polarity"] == 1
            assert normalise_text(f["quote"]) in article_text(bundled, f["source"])


def test_bundled_who_opposes_belarus_lists_the_sanctioning_countries(bundled: KnowledgeGraph) -> None:
    found = by_entity(query.who_opposes(bundled, "belarus"))
    assert set(found) >= SANCTIONING
    for who in SANCTIONING:
        assert any(f["relation"] == "sanctions" for f in found[who]["evidence"]), who
    assert "china" not in found


def test_bundled_path_china_russia_goes_through_belarus(bundled: KnowledgeGraph) -> None:
    # (cooperation only: Feng's predicted China-Russia tension is a direct at_odds_with link)
    result = query.paths(bundled, "china", "russia", relations=["cooperates"])
    assert ["china", "belarus", "russia"] in [nodes(p, "china") for p in result["paths"]]
    for p in result["paths"]:
        assert p["length"] == len(p["steps"]) == 2
        for s in p["steps"]:
            assert s["fact"]["subject"]["id"] == s["subject"]["id"]


def test_every_bundled_quote_is_in_its_article(bundled: KnowledgeGraph) -> None:
    assert len(bundled.facts) > 30
    texts = {sid: article_text(bundled, sid) for sid in bundled.sources}
    missing = [f.id for f in bundled.facts if normalise_text(f.quote) not in texts[f.source]]
    assert missing == []
    # the texts checked are the files in data/sources
    assert {s.text_path for s in bundled.sources.values()} <= {
        str(p.resolve()) for p in (BUNDLED / "sources").glob("*.txt")
    }


def test_bundled_acts_for_both_ways(bundled: KnowledgeGraph) -> None:
    china = by_entity(query.who_supports(bundled, "belarus"))["china"]
    direct = by_entity(query.who_supports(bundled, "belarus", direct=True)).get("china")
    assert china["via"], "China's support should use at least one acts-for link (Xi, Wang Yi, the ambassador)"
    assert direct is None or direct["score"] < china["score"]


def test_each_evidence_fact_names_the_links_it_needed(bundled: KnowledgeGraph) -> None:
    china = by_entity(query.who_supports(bundled, "belarus"))["china"]
    leads = {(f.subject, f.object): f.id for f in bundled.facts if f.relation == "leads"}
    by_statement = {(e["subject"]["id"], e["relation"], e["object"]["id"]): e for e in china["evidence"]}
    # Xi congratulating Lukashenko counts for China through both leaders
    congrats = by_statement[("xi-jinping", "congratulates", "lukashenko")]
    assert sorted(congrats["via"]) == sorted([leads[("xi-jinping", "china")], leads[("lukashenko", "belarus")]])
    # China's own act toward Belarus needs no link
    assert by_statement[("china", "welcomes", "belarus")]["via"] == []
    # every link named by an evidence fact is listed in the result's via, and nothing else is
    named = {i for e in china["evidence"] for i in e["via"]}
    assert named == {f["id"] for f in china["via"]}
    direct = query.who_supports(bundled, "belarus", direct=True)
    assert all(e["via"] == [] for r in direct["results"] for e in r["evidence"])


def test_bundled_graph_has_one_edge_per_fact_keyed_by_its_id(bundled: KnowledgeGraph) -> None:
    g = bundled.graph
    assert g.number_of_nodes() == len(bundled.entities)
    assert g.number_of_edges() == len(bundled.facts)
    for f in bundled.facts:
        edge = g.edges[f.subject, f.object, f.id]
        assert (edge["relation"], edge["polarity"], edge["quote"], edge["source"]) == (
            f.relation,
            f.polarity,
            f.quote,
            f.source,
        )
        assert edge.get("date") == f.date
    assert g.nodes["belarus"]["name"] == "Belarus"
