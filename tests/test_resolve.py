"""Names to entities: ids, names and aliases, folded; unknown names get suggestions."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kgraph.errors import ExitCode, UnknownEntity, UnknownRelation
from kgraph.knowledge import KnowledgeGraph
from kgraph.resolve import NameIndex, fold, suggest


@pytest.mark.parametrize(
    ("name", "folded"),
    [
        ("Belarus", "belarus"),
        ("  BELARUS  ", "belarus"),
        ("Łukaszenka", "lukaszenka"),
        ("Lukashénko", "lukashenko"),
        ("Europe’s last dictator", "europes last dictator"),
        ("Europe's  last-dictator!", "europes last dictator"),
        ("xi_jinping", "xi jinping"),
        ("Straße", "strasse"),
        ("Øresund", "oresund"),
        ("U.S.", "us"),
        ("St. Petersburg", "st petersburg"),
        ("...", ""),
    ],
)
def test_fold(name: str, folded: str) -> None:
    assert fold(name) == folded


def test_suggest_compares_folded_and_returns_originals() -> None:
    assert suggest("belaruss", ["belarus", "russia", "Belarusian opposition"]) == ["belarus"]
    assert suggest("BÉLARUS", ["Belarus", "Russia"]) == ["Belarus"]
    assert suggest("zzz", ["belarus", "russia"]) == []
    assert len(suggest("a", [f"a{i}" for i in range(10)], n=2)) == 2


def test_name_index_ids_win_over_other_names() -> None:
    index = NameIndex({"china": ["China", "Beijing"], "beijing": ["Beijing City"]})
    assert index.lookup("beijing") == "beijing"
    assert index.lookup("BEIJING CITY") == "beijing"
    assert index.lookup("china") == "china"
    assert index.lookup("Peking") is None


def test_name_index_suggests_each_id_once() -> None:
    index = NameIndex({"lukashenko": ["Lukashenko", "Lukashenka", "Alexander Lukashenko"], "russia": ["Russia"]})
    assert index.suggest("lukashenkoo") == ["lukashenko"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("belarus", "belarus"),
        ("Belarus", "belarus"),
        ("MINSK", "belarus"),
        ("beijing", "china"),
        ("P.R.C.", "china"),
        ("Alexander Lukashenko", "luka"),
        ("alexander   lukashenko", "luka"),
        ("lukashenka", "luka"),
        ("Lukaszenka", "luka"),  # the alias is written Łukaszenka
        ("u.s.", "usa"),
        ("United-States", "usa"),
    ],
)
def test_entity_lookup_by_id_name_or_alias(small: KnowledgeGraph, name: str, expected: str) -> None:
    assert small.entity(name).id == expected


def test_unknown_entity_suggests_closest_names(small: KnowledgeGraph) -> None:
    with pytest.raises(UnknownEntity) as caught:
        small.entity("belaruss")
    err = caught.value
    assert err.suggestions[0] == "belarus"
    assert err.exit_code == ExitCode.UNKNOWN_NAME
    assert str(err).startswith("unknown entity 'belaruss'; did you mean 'belarus'")


def test_unknown_entity_suggests_by_alias(small: KnowledgeGraph) -> None:
    with pytest.raises(UnknownEntity) as caught:
        small.entity("Lukashenkka")
    assert caught.value.suggestions == ["luka"]


def test_unknown_entity_without_anything_close(small: KnowledgeGraph) -> None:
    with pytest.raises(UnknownEntity) as caught:
        small.entity("qqqqqq")
    assert caught.value.suggestions == []
    assert str(caught.value) == "unknown entity 'qqqqqq'"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("supports", "supports"),
        ("supported_by", "supports"),
        ("supported-by", "supports"),
        ("Partners With", "partners_with"),
        ("sanctioned by", "sanctions"),
    ],
)
def test_relation_lookup_by_id_inverse_or_label(small: KnowledgeGraph, name: str, expected: str) -> None:
    assert small.relation(name).id == expected


def test_unknown_relation_suggests(small: KnowledgeGraph) -> None:
    with pytest.raises(UnknownRelation) as caught:
        small.relation("suports")
    assert caught.value.suggestions[0] == "supports"
    assert str(caught.value).startswith("unknown relation 'suports'; did you mean 'supports'")


def test_bundled_names_resolve(bundled: KnowledgeGraph) -> None:
    assert bundled.entity("Lukashenka").id == "lukashenko"
    assert bundled.entity("europe's last dictator").id == "lukashenko"
    assert bundled.entity("Europe’s Last Dictator").id == "lukashenko"
    with pytest.raises(UnknownEntity) as caught:
        bundled.entity("belaruss")
    assert caught.value.suggestions[0] == "belarus"


def test_every_bundled_name_and_alias_resolves_to_its_entity(bundled: KnowledgeGraph) -> None:
    import unicodedata

    for e in bundled.entities.values():
        for name in (e.id, e.name, *e.aliases):
            plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
            for variant in (name, name.upper(), name.lower(), plain, f"  {name}  ", name.replace(" ", "-")):
                assert bundled.entity(variant).id == e.id, (variant, e.id)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_fold_is_idempotent_and_plain(name: str) -> None:
    folded = fold(name)
    assert fold(folded) == folded
    assert folded == folded.strip() and "  " not in folded
    assert NameIndex({"the-id": [name]}).lookup(name) == ("the-id" if folded else None)


# -- the one suggestion engine (kgraph.suggest) ---------------------------------------------------------


def test_suggest_from_resolve_is_the_engine() -> None:
    from kgraph import suggest as engine

    assert suggest is engine.suggest and fold is engine.fold


def test_a_budget_refuses_a_question_it_cannot_pay_for_and_keeps_what_is_left() -> None:
    from kgraph.suggest import Suggester

    known = ["alphaland", "betaland", "gammaland"]
    suggester = Suggester(budget=7)
    assert suggester.closest("betalnd", known) == ["betaland"]  # 3 compared, 4 left
    assert suggester.closest("alphalnd", known, n=1) == ["alphaland"]  # 3 compared, 1 left
    assert suggester.closest("betalnd", known) == []  # 3 would overspend: nothing compared
    assert suggester.budget.left == 1
    assert suggester.closest("q", ["xy"]) == []  # one compared (and no match): still within the budget
    assert suggester.budget.left == 0


def test_the_budget_is_read_when_a_load_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    from kgraph import suggest as engine

    monkeypatch.setattr(engine, "SUGGESTION_BUDGET", 5)
    assert engine.Suggester().budget.left == 5


def large_set() -> list[str]:
    """More names than LARGE, in which 'kestrel' has close matches of its own length and of other lengths."""
    from kgraph.suggest import LARGE

    names = [f"name{i:05d}" for i in range(LARGE + 10)]
    return [*names, "kestrels", "kestrel-of-the-north-wind", "kestral", "testrel"]


def test_a_large_set_is_searched_among_names_of_the_same_first_letter_and_a_close_length() -> None:
    from kgraph.suggest import Candidates

    candidates = Candidates.of(large_set())
    pool = candidates.pool("kestrel")
    assert "kestrels" in pool and "kestral" in pool
    assert "testrel" not in pool  # another first letter
    assert "kestrel of the north wind" not in pool  # folded, and far longer
    assert suggest("kestrel", large_set()) == ["kestrels", "kestral"]
    assert "testrel" in suggest("kestrel", ["kestrels", "kestral", "testrel"])  # a small set is searched whole


def test_every_caller_gets_the_same_suggestions_from_a_large_set() -> None:
    from kgraph.suggest import Suggester

    names = large_set()
    index = NameIndex({n: () for n in names})
    for unknown in ("kestrel", "name0001", "NAME-12345x"):
        expected = suggest(unknown, names)
        assert index.suggest(unknown) == expected
        assert Suggester().closest(unknown, names) == expected


def test_an_entity_known_by_several_close_names_is_suggested_once() -> None:
    index = NameIndex({"belarus": ["Belarus", "Belarus Republic", "Belaruss"], "russia": ["Russia"]})
    assert index.suggest("belarusss") == ["belarus"]
