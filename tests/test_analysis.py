"""Analysis with known answers: a synthetic signed graph built here, then the bundled article data.

The synthetic graph (``SIGNED``) is designed so every answer is known by construction:

- bloc A = a1, a2, a3 (a cooperative triangle) plus c (tied to a1 only by
  cooperation, on balance); bloc B = b1, b2, b3 (a cooperative triangle);
  x, y, z sanction each other in a ring and cooperate with nobody: unaligned;
- conflict between the blocs: a1 and a2 sanction b1;
- triads: (a1 a2 a3) + + +, (b1 b2 b3) + + +, (a1 a2 b1) + − −  balanced;
  (x y z) − − −  unbalanced: 3 of 4 balanced;
- pc leads c; pc supports a1 and a1 supports c, yet c sanctions a1: with pc
  folded into c, the pair a1–c is the one ambivalent pair (2 cooperative,
  1 conflictual); without folding, a1–c is 1 against 1 (a tie with no sign);
- c sanctions a1 in 2022-03 while everything cooperative between them is
  from 2019–2021: before 2022, c simply supports a1.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import RELATIONS, write_dataset
from typer.testing import CliRunner

from kgraph import analysis, load, query
from kgraph.cli import app
from kgraph.errors import UnknownEntity, UsageError
from kgraph.knowledge import KnowledgeGraph
from kgraph.timefilter import window

COUNTRIES = ["a1", "a2", "a3", "b1", "b2", "b3", "c", "x", "y", "z"]

# subject, relation, object, time (a date, "start/end", or None)
SIGNED = [
    ("a1", "partners_with", "a2", "2020"),
    ("a2", "supports", "a3", "2020"),
    ("a1", "supports", "a3", "2020"),
    ("b1", "partners_with", "b2", "2020"),
    ("b2", "supports", "b3", "2020"),
    ("b1", "supports", "b3", "2020"),
    ("a1", "sanctions", "b1", "2021"),
    ("a2", "sanctions", "b1", "2021"),
    ("x", "sanctions", "y", None),
    ("y", "sanctions", "z", None),
    ("z", "sanctions", "x", None),
    ("pc", "leads", "c", "2018"),  # dated: an undated fact of this 2022-12 article would be left out by --until 2021
    ("pc", "supports", "a1", "2020"),
    ("a1", "supports", "c", "2019/2021"),
    ("c", "sanctions", "a1", "2022-03"),
]


def quote(n: int) -> str:
    s, r, o, _ = SIGNED[n]
    return f"Statement {n}: {s} {r.replace('_', ' ')} {o}."


def write_signed(root: Path) -> Path:
    entities = (
        "entities:\n"
        + "".join(
            f"  - id: {e}\n    name: {e.upper()}\n    type: country\n    description: Country {e}.\n" for e in COUNTRIES
        )
        + "  - id: pc\n    name: PC\n    type: person\n    description: Leader of c.\n"
    )
    items = []
    for n, (s, r, o, when) in enumerate(SIGNED):
        item = f'  - subject: {s}\n    relation: {r}\n    object: {o}\n    quote: "{quote(n)}"\n'
        if when and "/" in when:
            start, end = when.split("/")
            item += f"    start: {start}\n    end: {end}\n"
        elif when:
            item += f"    date: {when}\n"
        items.append(item)
    source = "source:\n  id: syn\n  title: Synthetic\n  published: 2022-12\n  text: syn.txt\nfacts:\n" + "".join(items)
    text = "\n".join(quote(n) for n in range(len(SIGNED))) + "\n"
    return write_dataset(root, relations=RELATIONS, entities=entities, source=source, text=text, source_id="syn")


@pytest.fixture(scope="module")
def signed_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_signed(tmp_path_factory.mktemp("signed") / "data")


@pytest.fixture(scope="module")
def signed(signed_dir: Path) -> KnowledgeGraph:
    return load(signed_dir)


def fid(kg: KnowledgeGraph, n: int) -> str:
    """The id the loader gave to fact number n of SIGNED."""
    s, r, o, _ = SIGNED[n]
    return next(f.id for f in kg.facts if (f.subject, f.relation, f.object, f.quote) == (s, r, o, quote(n)))


def pair(t: dict[str, Any]) -> frozenset[str]:
    return frozenset(e["id"] for e in t["entities"])


def ids(facts: list[dict[str, Any]]) -> set[str]:
    return {f["id"] for f in facts}


# -- blocs ------------------------------------------------------------------------


def test_blocs_found_by_construction(signed: KnowledgeGraph) -> None:
    r = analysis.blocs(signed)
    assert [{m["id"] for m in b["members"]} for b in r["blocs"]] == [{"a1", "a2", "a3", "c"}, {"b1", "b2", "b3"}]
    assert [m["id"] for m in r["unaligned"]] == ["x", "y", "z"]
    between = {pair(t): t for t in r["between"]}
    assert set(between) == {frozenset(p) for p in (("a1", "b1"), ("a2", "b1"), ("x", "y"), ("y", "z"), ("x", "z"))}
    assert sorted(between[frozenset(("a1", "b1"))]["blocs"]) == [1, 2]
    assert ids(between[frozenset(("a1", "b1"))]["conflictual"]) == {fid(signed, 6)}
    assert r["frustrated"] == []
    assert r["ties"] == 12
    assert r["consistency"] == 1.0
    assert r["modularity"] is not None and r["modularity"] > 0.3


def test_blocs_report_ties_against_the_split() -> None:
    # p + q, q + r, p − r: one bloc holds all three, so the p–r conflict is inside it
    kg = _tiny([("p", "supports", "q"), ("q", "supports", "r"), ("p", "sanctions", "r")])
    r = analysis.blocs(kg)
    assert [{m["id"] for m in b["members"]} for b in r["blocs"]] == [{"p", "q", "r"}]
    assert [pair(t) for t in r["frustrated"]] == [frozenset(("p", "r"))]
    assert r["consistency"] == pytest.approx(2 / 3, abs=1e-4)


def test_blocs_are_reproducible(signed: KnowledgeGraph) -> None:
    assert analysis.blocs(signed, seed=7) == analysis.blocs(signed, seed=7)


# -- balance ------------------------------------------------------------------------


def test_balance_by_construction(signed: KnowledgeGraph) -> None:
    r = analysis.balance(signed)
    assert (r["triads"], r["balanced_count"], r["unbalanced_count"]) == (4, 3, 1)
    assert r["share_balanced"] == 0.75
    (bad,) = r["unbalanced"]
    assert {e["id"] for e in bad["entities"]} == {"x", "y", "z"}
    assert bad["signs"] == [-1, -1, -1]
    # the three pieces of evidence, one per tie
    assert [len(t["conflictual"]) for t in bad["ties"]] == [1, 1, 1]
    assert set().union(*(ids(t["conflictual"]) for t in bad["ties"])) == {fid(signed, n) for n in (8, 9, 10)}
    assert {frozenset(e["id"] for e in t["entities"]) for t in r["balanced"]} == {
        frozenset(("a1", "a2", "a3")),
        frozenset(("b1", "b2", "b3")),
        frozenset(("a1", "a2", "b1")),
    }


def test_balance_leaves_out_unsigned_ties(signed: KnowledgeGraph) -> None:
    r = analysis.balance(signed, fold=False)  # a1–c: one cooperative, one conflictual fact
    assert [pair(t) for t in r["unsigned"]] == [frozenset(("a1", "c"))]
    assert r["triads"] == 4


def test_balance_of_a_graph_without_triads() -> None:
    r = analysis.balance(_tiny([("p", "supports", "q")]))
    assert (r["triads"], r["share_balanced"], r["unbalanced"]) == (0, None, [])


# -- ambivalent ------------------------------------------------------------------------


def test_ambivalent_pair_with_both_sides(signed: KnowledgeGraph) -> None:
    r = analysis.ambivalent(signed)
    (t,) = r["pairs"]
    assert pair(t) == {"a1", "c"}
    assert ids(t["cooperative"]) == {fid(signed, 12), fid(signed, 13)}
    assert ids(t["conflictual"]) == {fid(signed, 14)}
    assert ids(t["via"]) == {fid(signed, 11)}  # pc leads c: why pc's support counts for c
    assert t["net"] == 1 and t["sign"] == 1


def test_ambivalent_without_folding(signed: KnowledgeGraph) -> None:
    (t,) = analysis.ambivalent(signed, fold=False)["pairs"]
    assert pair(t) == {"a1", "c"}
    assert (len(t["cooperative"]), len(t["conflictual"]), t["sign"], t["via"]) == (1, 1, 0, [])


def test_ambivalent_in_a_time_window(signed: KnowledgeGraph) -> None:
    assert analysis.ambivalent(window(signed, until="2021"))["pairs"] == []
    # as of 2022 the 2019–2021 support had ended; pc's 2020 support and the 2022 sanctions remain
    (t,) = analysis.ambivalent(window(signed, as_of="2022"))["pairs"]
    assert ids(t["cooperative"]) == {fid(signed, 12)} and ids(t["conflictual"]) == {fid(signed, 14)}


# -- explain ------------------------------------------------------------------------


def test_explain_verdict_and_chains(signed: KnowledgeGraph) -> None:
    r = analysis.explain(signed, "c", "a1")
    assert r["verdict"] == "mixed"
    assert ids(r["stance"]["supports"]["evidence"]) == {fid(signed, 12)}
    assert ids(r["stance"]["supports"]["via"]) == {fid(signed, 11)}
    assert ids(r["stance"]["opposes"]["evidence"]) == {fid(signed, 14)}
    assert r["reverse"]["verdict"] == "supports"
    assert [[e["id"] for e in ch["entities"]] for ch in r["chains"]] == [["c", "a1"], ["c", "pc", "a1"]]
    direct, through = r["chains"]
    assert ids([x["fact"] for x in direct["hops"][0]["facts"]]) == {fid(signed, 13), fid(signed, 14)}
    assert not direct["acts_for"]
    first = through["hops"][0]
    assert first["acts_for"] and first["facts"][0]["direction"] == "backward"
    assert first["facts"][0]["relation"] == "led_by"  # read from c, backwards
    assert through["hops"][1]["facts"][0]["direction"] == "forward"
    assert r["total_chains"] == 2 and not r["truncated"]
    for ch in r["chains"]:
        for hop in ch["hops"]:
            for x in hop["facts"]:
                assert x["fact"]["quote"] and x["fact"]["source"] == "syn"


def test_explain_follows_the_time_window(signed: KnowledgeGraph) -> None:
    r = analysis.explain(window(signed, until="2021"), "c", "a1")
    assert r["verdict"] == "supports"
    assert r["window"]["until"] == "2021"


def test_explain_max_hops_and_limit(signed: KnowledgeGraph) -> None:
    assert len(analysis.explain(signed, "c", "a1", max_hops=1)["chains"]) == 1
    r = analysis.explain(signed, "c", "a1", limit=1)
    assert len(r["chains"]) == 1 and r["truncated"] and r["total_chains"] == 2
    assert analysis.explain(signed, "x", "a1")["chains"] == []
    assert analysis.explain(signed, "x", "a1")["verdict"] == "none"


def test_explain_errors(signed: KnowledgeGraph) -> None:
    with pytest.raises(UsageError):
        analysis.explain(signed, "c", "c")
    with pytest.raises(UsageError):
        analysis.explain(signed, "c", "a1", max_hops=0)
    with pytest.raises(UnknownEntity):
        analysis.explain(signed, "c", "nowhere")


def test_explain_agrees_with_who_supports_on_the_article(bundled: KnowledgeGraph) -> None:
    for a, b in [
        ("china", "belarus"),
        ("belarus", "china"),
        ("the-west", "belarus"),
        ("russia", "belarus"),
        ("xi-jinping", "lukashenko"),
    ]:
        r = analysis.explain(bundled, a, b)
        for key, fn in (("supports", query.who_supports), ("opposes", query.who_opposes)):
            found = {x["entity"]["id"]: x for x in fn(bundled, b)["results"]}
            expected = ids(found[a]["evidence"]) if a in found else set()
            assert ids(r["stance"][key]["evidence"]) == expected, (a, b, key)


def test_explain_china_belarus(bundled: KnowledgeGraph) -> None:
    r = analysis.explain(bundled, "china", "belarus")
    assert r["verdict"] == "supports"
    assert r["stance"]["opposes"]["count"] == 0
    via = {(f["subject"]["id"], f["relation"], f["object"]["id"]) for f in r["stance"]["supports"]["via"]}
    assert ("xi-jinping", "leads", "china") in via and ("lukashenko", "leads", "belarus") in via
    assert r["chains"][0]["length"] == 1
    assert all(ch["length"] <= 3 for ch in r["chains"])
    lengths = [ch["length"] for ch in r["chains"]]
    assert lengths == sorted(lengths)


def test_explain_lists_every_simple_chain(bundled: KnowledgeGraph) -> None:
    import networkx as nx

    g = nx.Graph((f.subject, f.object) for f in bundled.facts)
    expected = {tuple(p) for p in nx.all_simple_paths(g, "china", "russia", cutoff=4)}
    r = analysis.explain(bundled, "china", "russia", max_hops=4, limit=1000)
    got = [tuple(e["id"] for e in ch["entities"]) for ch in r["chains"]]
    assert set(got) == expected and len(got) == len(expected) == r["total_chains"]
    short = analysis.explain(bundled, "china", "russia", max_hops=4, limit=3)
    assert short["truncated"] and short["total_chains"] == len(expected)
    assert [ch["length"] for ch in short["chains"]] == sorted(len(p) - 1 for p in expected)[:3]


# -- rank ------------------------------------------------------------------------


def test_rank_degree(signed: KnowledgeGraph) -> None:
    r = analysis.rank(signed, by="degree", limit=None)
    top = r["results"][0]
    assert top["entity"]["id"] == "a1" and top["score"] == 6 and top["degree"] == 6
    assert len(top["facts"]) == 6
    assert r["total"] == 11
    neg = {x["entity"]["id"]: x for x in analysis.rank(signed, by="degree", polarity="-", limit=None)["results"]}
    assert neg["b1"]["score"] == 2 and neg["a2"]["score"] == 1 and "a3" not in neg
    assert all(f["polarity"] == -1 for x in neg.values() for f in x["facts"])


def test_rank_pagerank_is_a_distribution(signed: KnowledgeGraph) -> None:
    r = analysis.rank(signed, by="pagerank", limit=None)
    assert sum(x["score"] for x in r["results"]) == pytest.approx(1.0, abs=1e-4)
    scores = [x["score"] for x in r["results"]]
    assert scores == sorted(scores, reverse=True)


def test_rank_betweenness_finds_the_bridge() -> None:
    # p - q - r : q is on the only path between p and r
    r = analysis.rank(_tiny([("p", "supports", "q"), ("q", "supports", "r")]), by="betweenness")
    assert r["results"][0]["entity"]["id"] == "q" and r["results"][0]["score"] == 1.0


def test_rank_fold_and_types(signed: KnowledgeGraph) -> None:
    folded = {x["entity"]["id"] for x in analysis.rank(signed, by="degree", fold=True, limit=None)["results"]}
    assert "pc" not in folded and "c" in folded
    people = analysis.rank(signed, by="degree", types=["person"])["results"]
    assert [x["entity"]["id"] for x in people] == ["pc"]


def test_rank_errors(signed: KnowledgeGraph) -> None:
    with pytest.raises(UsageError, match="did you mean 'pagerank'"):
        analysis.rank(signed, by="pagernak")
    with pytest.raises(UsageError, match="polarity"):
        analysis.rank(signed, polarity="up")
    with pytest.raises(UsageError, match="did you mean 'person'"):
        analysis.rank(signed, types=["persn"])


# -- the article ------------------------------------------------------------------


def test_article_signed_analysis(bundled: KnowledgeGraph) -> None:
    b = analysis.blocs(bundled)
    members = [{m["id"] for m in x["members"]} for x in b["blocs"]]
    china_bloc = next(m for m in members if "china" in m)
    assert "belarus" in china_bloc and "the-west" not in china_bloc
    # Belarus's one conflictual fact toward Russia is only intended (Lukashenko "wanted to" counterbalance it):
    # evidence only with --hedged
    amb = {pair(t) for t in analysis.ambivalent(bundled)["pairs"]}
    assert frozenset(("belarus", "russia")) not in amb
    hedged = {pair(t) for t in analysis.ambivalent(bundled, hedged=True)["pairs"]}
    assert frozenset(("belarus", "russia")) in hedged
    bal = analysis.balance(bundled)
    assert bal["triads"] == bal["balanced_count"] + bal["unbalanced_count"]


# -- the command line ------------------------------------------------------------------

runner = CliRunner()


def run_json(*args: str) -> dict[str, Any]:
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    out: dict[str, Any] = json.loads(result.stdout)
    return out


@pytest.mark.parametrize(
    "command",
    [["explain", "c", "a1"], ["timeline", "a1"], ["blocs"], ["balance"], ["ambivalent"], ["rank", "--by", "degree"]],
)
@pytest.mark.parametrize("fmt", ["table", "csv"])
def test_cli_views(signed_dir: Path, command: list[str], fmt: str) -> None:
    result = runner.invoke(app, [*command, "--data", str(signed_dir), "--format", fmt])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip()


def test_cli_matches_library(signed_dir: Path, signed: KnowledgeGraph) -> None:
    d = str(signed_dir)
    assert run_json("blocs", "--data", d) == analysis.blocs(signed)
    assert run_json("balance", "--data", d, "--no-fold") == analysis.balance(signed, fold=False)
    assert run_json("ambivalent", "--data", d) == analysis.ambivalent(signed)
    assert run_json("explain", "c", "a1", "--data", d, "--max-hops", "1") == analysis.explain(
        signed, "c", "a1", max_hops=1
    )
    assert run_json("rank", "--by", "betweenness", "--data", d, "--polarity", "+") == analysis.rank(
        signed, by="betweenness", polarity="+"
    )


def test_cli_time_options(signed_dir: Path) -> None:
    r = run_json("explain", "c", "a1", "--data", str(signed_dir), "--until", "2021")
    assert r["verdict"] == "supports" and r["window"]["until"] == "2021"
    r = run_json("ambivalent", "--data", str(signed_dir), "--since", "2022")
    assert r["pairs"] == [] and r["window"]["since"] == "2022"


def test_cli_csv_rows_carry_evidence(signed_dir: Path) -> None:
    result = runner.invoke(app, ["ambivalent", "--data", str(signed_dir), "--format", "csv"])
    lines = result.stdout.splitlines()
    assert lines[0].startswith("a,b,net,side,fact_id")
    assert len(lines) == 1 + 3  # two cooperative facts and one conflictual


@pytest.mark.parametrize(
    "args,code,text",
    [
        (["explain", "c", "nowhere"], 4, "unknown entity 'nowhere'"),
        (["rank", "--by", "fame"], 2, "fame"),
        (["rank", "--polarity", "up"], 2, "--polarity"),
        (["explain", "c", "c"], 2, "two different entities"),
    ],
)
def test_cli_errors(signed_dir: Path, args: list[str], code: int, text: str) -> None:
    result = runner.invoke(app, [*args, "--data", str(signed_dir)])
    assert result.exit_code == code
    assert text in result.stderr
    assert "Traceback" not in result.output


# -- helpers ------------------------------------------------------------------------


def _tiny(triples: list[tuple[str, str, str]]) -> KnowledgeGraph:
    """A graph from (subject, relation, object) triples, built in code with SIGNED's vocabulary."""
    from kgraph.model import Entity, Fact, Relation, Source

    rels = [Relation("supports", "supports", 1, "Backs."), Relation("sanctions", "sanctions", -1, "Sanctions.")]
    names = sorted({x for s, _, o in triples for x in (s, o)})
    ents = [Entity(n, n.upper(), "country", "A country.") for n in names]
    pol = {"supports": 1, "sanctions": -1}
    facts = [Fact(f"f{i}", s, r, o, pol[r], f"{s} {r} {o}", "src") for i, (s, r, o) in enumerate(triples)]
    src = Source("src", "Source", None, "/nonexistent.txt", "/nonexistent.yaml")
    return KnowledgeGraph(rels, ents, [src], facts)


# -- every answer has the shape kgraph.answers declares ----------------------------------------


def _conforms_typeddict(value: Any, tp: Any, where: str) -> None:
    import typing

    # NotRequired read from the hints: __required_keys__ misses it under `from __future__ import annotations`
    hints = typing.get_type_hints(tp, include_extras=True)
    optional = {k for k, h in hints.items() if typing.get_origin(h) is typing.NotRequired}
    hints = {k: typing.get_args(h)[0] if k in optional else h for k, h in hints.items()}
    assert isinstance(value, dict), where
    assert set(value) <= set(hints), f"{where}: keys not declared: {set(value) - set(hints)}"
    missing = set(hints) - optional - set(value)
    assert not missing, f"{where}: missing {missing}"
    assert list(value) == [k for k in hints if k in value], f"{where}: keys not in the declared order"
    for k, v in value.items():
        _conforms(v, hints[k], f"{where}.{k}")


def _conforms_union(value: Any, tp: Any, where: str) -> None:
    import typing

    errors = []
    for option in typing.get_args(tp):
        try:
            _conforms(value, option, where)
            return
        except AssertionError as e:
            errors.append(str(e))
    raise AssertionError(f"{where}: {value!r} is none of {tp}: {errors}")


def _conforms(value: Any, tp: Any, where: str) -> None:
    """Assert ``value`` is of type ``tp`` (a TypedDict, list, dict, union, or a plain class), keys in declared order."""
    import types
    import typing

    origin = typing.get_origin(tp)
    if typing.is_typeddict(tp):
        _conforms_typeddict(value, tp, where)
    elif origin in (typing.Union, types.UnionType):
        _conforms_union(value, tp, where)
    elif origin in (list, dict):
        assert isinstance(value, origin), where
        items = enumerate(value) if origin is list else value.items()
        for k, v in items:
            _conforms(v, typing.get_args(tp)[-1], f"{where}[{k!r}]")
    elif tp is float:
        assert isinstance(value, (int, float)) and not isinstance(value, bool), where
    elif tp is not Any:
        assert type(value) is tp, f"{where}: {value!r} is not {tp}"  # None: type(None) is NoneType


def _answers(kg: KnowledgeGraph) -> list[tuple[str, Any, object]]:
    from kgraph import answers as a

    return [
        ("who_supports", a.StanceAnswer, query.who_supports(kg, "belarus")),
        ("who_opposes", a.StanceAnswer, query.who_opposes(kg, "belarus")),
        ("paths", a.PathsAnswer, query.paths(kg, "china", "russia", all_paths=True, max_hops=3)),
        ("neighbours", a.NeighboursAnswer, query.neighbours(kg, "lithuania", depth=2)),
        ("relations", a.RelationsAnswer, query.relations(kg)),
        ("facts", a.FactsAnswer, query.facts(kg, entity="belarus")),
        ("entity", a.EntityAnswer, query.entity(kg, "china")),
        ("stats", a.StatsAnswer, query.stats(kg)),
        ("explain", a.ExplainAnswer, analysis.explain(kg, "china", "belarus")),
        ("timeline", a.TimelineAnswer, analysis.timeline(kg, "belarus", with_representatives=True)),
        ("blocs", a.BlocsAnswer, analysis.blocs(kg)),
        ("balance", a.BalanceAnswer, analysis.balance(kg)),
        ("ambivalent", a.AmbivalentAnswer, analysis.ambivalent(kg)),
        ("rank", a.RankAnswer, analysis.rank(kg)),
        ("disputes", a.DisputesAnswer, query.disputes(kg)),
    ]


@pytest.mark.parametrize("windowed", [False, True])
def test_every_answer_has_its_declared_shape(windowed: bool) -> None:
    kg = load()
    if windowed:
        kg = window(kg, until="2021")
    for name, tp, answer in _answers(kg):
        _conforms(answer, tp, name)


def test_claims_disputes_and_hedged_answers_have_their_declared_shape() -> None:
    from conftest import REPO

    from kgraph import answers as a

    kg = load(REPO / "tests" / "fixtures" / "trust", cache=False)
    found = [
        ("who_opposes", a.StanceAnswer, query.who_opposes(kg, "sylvania", hedged=True)),
        ("who_supports", a.StanceAnswer, query.who_supports(kg, "sylvania", min_sources=1)),
        ("disputes", a.DisputesAnswer, query.disputes(kg)),
        ("explain", a.ExplainAnswer, analysis.explain(kg, "osterlich", "sylvania", hedged=True)),
        ("ambivalent", a.AmbivalentAnswer, analysis.ambivalent(kg, hedged=True)),
    ]
    for name, tp, answer in found:
        _conforms(answer, tp, name)
    assert found[2][2]["disputes"] and found[3][2]["disputes"]  # not vacuous: there is a dispute to check


def test_a_validate_report_has_its_declared_shape() -> None:
    from conftest import REPO

    from kgraph import check
    from kgraph.answers import ValidateAnswer

    _, report = check(REPO / "tests" / "data" / "broken")
    answer = report.to_dict()
    assert answer["errors"]  # a problem to check the shape of
    _conforms(answer, ValidateAnswer, "validate")


def test_the_shape_check_catches_a_renamed_or_missing_key() -> None:
    from kgraph.answers import StatsAnswer

    good = query.stats(load())
    _conforms(good, StatsAnswer, "stats")
    renamed = {("entity_count" if k == "entities" else k): v for k, v in good.items()}
    with pytest.raises(AssertionError, match="not declared"):
        _conforms(renamed, StatsAnswer, "stats")
    with pytest.raises(AssertionError, match="missing"):
        _conforms({k: v for k, v in good.items() if k != "facts"}, StatsAnswer, "stats")
    with pytest.raises(AssertionError, match="order"):
        _conforms(dict(reversed(good.items())), StatsAnswer, "stats")
