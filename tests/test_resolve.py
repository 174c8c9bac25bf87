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
