"""The data layer of issue 12: the trust fixtures load whole, and the new fact fields are read and checked.

``tests/fixtures/trust`` is a small, invented, multi-source dataset (see its
README): the same sanction in two sources, an acts-for claim across
articles, hedged and denied facts, a dispute, a ``same_as`` pair, undated
facts bounded by their source's publication, ``according_to`` and
``implicit``. These tests pin what the loader makes of it, and the rules
behind the new fields: curator ids, references checked across files,
quotes that must name an end of their fact, sources with no facts, and
suggestions that say what each candidate is.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import FACTS_LINE, REPO, MakeDataset
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

import kgraph
from kgraph import cache
from kgraph.cli import app
from kgraph.errors import UnknownEntity
from kgraph.model import MODALITIES, MODALITY_MEANINGS, Fact
from kgraph.suggest import fold

TRUST = REPO / "tests" / "fixtures" / "trust"
F = FACTS_LINE

runner = CliRunner()


def by_quote(facts: tuple[Fact, ...], start: str) -> Fact:
    """The one fact whose quote starts with ``start``."""
    (found,) = [f for f in facts if f.quote.startswith(start)]
    return found


def messages(root: Path) -> tuple[list[str], list[str]]:
    """(errors, warnings) of a dataset as printed, the folder shown as DATA."""
    _, rep = kgraph.check(root)
    return (
        [str(p).replace(str(root), "DATA") for p in rep.errors],
        [str(p).replace(str(root), "DATA") for p in rep.warnings],
    )


@pytest.fixture
def trust_copy(tmp_path: Path) -> Path:
    """A copy of the trust fixture to change."""
    return Path(shutil.copytree(TRUST, tmp_path / "trust"))


# -- the vocabulary --------------------------------------------------------------


def test_modalities_are_the_documented_closed_vocabulary_asserted_first() -> None:
    assert MODALITIES == ("asserted", "intended", "proposed", "considered", "threatened", "predicted", "denied")
    assert all(MODALITY_MEANINGS[m].strip() for m in MODALITIES)
    assert Fact("f", "a", "r", "b", 0, "q", "s").modality == "asserted"


# -- the fixture ---------------------------------------------------------------------


def test_the_trust_fixture_is_clean_even_strictly() -> None:
    assert messages(TRUST) == ([], [])
    result = runner.invoke(app, ["validate", "--strict", "--data", str(TRUST), "-f", "table"])
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "0 errors, 0 warnings" in result.stdout


def test_the_trust_fixture_loads_every_source_and_fact() -> None:
    kg = kgraph.load(TRUST, cache=False)
    assert sorted(kg.sources) == ["fenwick-gazette", "freedonia-courier", "sylvania-review"]
    assert {s: kg.sources[s].published for s in kg.sources} == {
        "fenwick-gazette": "2020-03",
        "freedonia-courier": "2020-04",
        "sylvania-review": "2021-06",
    }
    per_source = {s: sum(f.source == s for f in kg.facts) for s in kg.sources}
    assert per_source == {"fenwick-gazette": 7, "freedonia-courier": 3, "sylvania-review": 5}


def test_the_same_sanction_is_in_two_sources_with_compatible_dates() -> None:
    kg = kgraph.load(TRUST, cache=False)
    sanctions = [f for f in kg.facts if (f.subject, f.relation, f.object) == ("grand-fenwick", "sanctions", "sylvania")]
    assert sorted((f.source, f.date) for f in sanctions) == [
        ("fenwick-gazette", "2020-03"),
        ("freedonia-courier", "2020"),
    ]
    assert kg.facts_by_id["fenwick-sanctions-sylvania"].source == "fenwick-gazette"


def test_an_acts_for_claim_spans_two_articles() -> None:
    kg = kgraph.load(TRUST, cache=False)
    country = by_quote(kg.facts, "now Freedonia has sanctioned")
    leader = by_quote(kg.facts, "President Firefly sanctioned")
    assert (country.subject, country.object, country.source) == ("freedonia", "sylvania", "freedonia-courier")
    assert (leader.subject, leader.object, leader.source, leader.when) == (
        "rufus-firefly",
        "sylvania",
        "sylvania-review",
        None,
    )
    assert any(f.subject == "rufus-firefly" and f.relation == "leads" and f.object == "freedonia" for f in kg.facts)


def test_modalities_are_read_and_default_to_asserted() -> None:
    kg = kgraph.load(TRUST, cache=False)
    assert by_quote(kg.facts, "Osterlich is considering").modality == "considered"
    assert by_quote(kg.facts, "Sylvania denied").modality == "denied"
    assert kg.facts_by_id["osterlich-denies-backing"].modality == "denied"
    hedged = {f.modality for f in kg.facts} - {"asserted"}
    assert hedged == {"considered", "denied"}
    assert kg.facts_by_id["fenwick-sanctions-sylvania"].modality == "asserted"


def test_a_dispute_is_read_and_indexed_both_ways() -> None:
    kg = kgraph.load(TRUST, cache=False)
    denial = kg.facts_by_id["osterlich-denies-backing"]
    assert denial.disputes == ("osterlich-backs-sylvania",)
    assert kg.facts_by_id["osterlich-backs-sylvania"].source == "fenwick-gazette"  # the reference crosses files
    assert kg.disputed_by("osterlich-backs-sylvania") == ("osterlich-denies-backing",)
    assert kg.disputed_by("osterlich-denies-backing") == ()
    assert kg.disputed_by("no-such-fact") == ()


def test_same_as_joins_two_differently_worded_facts() -> None:
    kg = kgraph.load(TRUST, cache=False)
    second = by_quote(kg.facts, "In Fenwick, the duchy")
    assert second.same_as == ("fenwick-backs-freedonia",)
    assert second.id.startswith("f-")  # no curator id: the computed one
    assert kg.facts_by_id["fenwick-backs-freedonia"].quote == "Fenwick's government now backs Freedonia."


def test_undated_facts_of_the_late_source_and_according_to_and_implicit() -> None:
    kg = kgraph.load(TRUST, cache=False)
    review = [f for f in kg.facts if f.source == "sylvania-review"]
    assert [f.when for f in review] == [None] * 5
    assert by_quote(kg.facts, "Sylvania has been pressuring").according_to == "vera-mont"
    assert by_quote(kg.facts, "She has written").implicit == "both"
    assert {f.implicit for f in kg.facts} == {None, "both"}


def test_new_fields_come_back_the_same_from_the_compiled_cache(tmp_path: Path) -> None:
    data = Path(shutil.copytree(TRUST, tmp_path / "data"))
    fresh = kgraph.load(data, cache=False)
    kgraph.load(data)  # stores
    warm = kgraph.load(data)
    assert cache.info()  # the entry exists, so ``warm`` came from it
    assert list(warm.facts) == list(fresh.facts)
    assert warm.disputed_by("osterlich-backs-sylvania") == ("osterlich-denies-backing",)


# -- curator ids and references ----------------------------------------------------


def test_a_curator_id_is_the_facts_id_and_the_computed_one_is_not(make_dataset: MakeDataset) -> None:
    root = make_dataset(
        facts="""
        - id: backing
          subject: alphaland
          relation: supports
          object: betaland
          quote: Alphaland backs Betaland.
        """
    )
    kg = kgraph.load(root, cache=False)
    assert [f.id for f in kg.facts] == ["backing"]


def test_two_facts_that_differ_only_in_curator_id_are_still_the_same_fact(make_dataset: MakeDataset) -> None:
    one = "subject: alphaland\n  relation: supports\n  object: betaland\n  quote: Alphaland backs Betaland.\n"
    root = make_dataset(facts=f"- id: one\n  {one}- id: two\n  {one}")
    assert messages(root)[0] == [
        f"DATA/sources/art.yaml:{F + 5}:5: error: the same fact as line {F} (same ends, relation, time and quote)"
    ]


def test_references_resolve_across_files_and_unknown_ones_suggest(make_dataset: MakeDataset) -> None:
    other = """\
    source:
      id: other
      title: Another article
      text: other.txt
    facts:
      - subject: betaland
        relation: supports
        object: alphaland
        quote: Betaland thanked Alphaland.
        disputes: [backing, backin]
    """
    root = make_dataset(
        facts="- id: backing\n  subject: alphaland\n  relation: supports\n  object: betaland\n"
        "  quote: Alphaland backs Betaland.\n",
        files={"sources/other.yaml": other, "sources/other.txt": "Betaland thanked Alphaland.\n"},
    )
    assert messages(root) == (
        [
            "DATA/sources/other.yaml:10:25: error: 'disputes' names no fact: unknown fact id 'backin' "
            "(did you mean 'backing'?)"
        ],
        [],
    )


def test_a_duplicate_curator_id_in_another_file_names_the_first_file(make_dataset: MakeDataset) -> None:
    other = """\
    source:
      id: other
      title: Another article
      text: other.txt
    facts:
      - id: backing
        subject: betaland
        relation: supports
        object: alphaland
        quote: Betaland thanked Alphaland.
    """
    root = make_dataset(
        facts="- id: backing\n  subject: alphaland\n  relation: supports\n  object: betaland\n"
        "  quote: Alphaland backs Betaland.\n",
        files={"sources/other.yaml": other, "sources/other.txt": "Betaland thanked Alphaland.\n"},
    )
    assert messages(root)[0] == [
        f"DATA/sources/other.yaml:6:9: error: duplicate fact id 'backing' (first at art.yaml:{F}); "
        "a fact id must be unique in the dataset"
    ]


def test_a_reference_may_be_a_computed_id(make_dataset: MakeDataset) -> None:
    first = kgraph.load(make_dataset(), cache=False).facts[0]
    root = make_dataset(
        facts="- subject: alphaland\n  relation: supports\n  object: betaland\n  quote: Alphaland backs Betaland.\n"
        "  date: 2021\n"
        f"- subject: gamma-leader\n  relation: leads\n  object: alphaland\n  quote: Gamma Leader, who leads Alphaland\n"
        f"  same_as: {first.id}\n"
    )
    kg = kgraph.load(root, cache=False)
    assert kg.facts[1].same_as == (first.id,)


def test_a_longer_same_as_cycle_is_reported_once_where_it_closes(make_dataset: MakeDataset) -> None:
    def item(ident: str, quote: str, same: str, date: str) -> str:
        return (
            f"- id: {ident}\n  subject: alphaland\n  relation: supports\n  object: betaland\n  quote: {quote}\n"
            f"  date: '{date}'\n  same_as: {same}\n"
        )

    root = make_dataset(
        facts=item("a", "Alphaland backs Betaland.", "b", "2019")
        + item("b", "Alphaland backs Betaland.", "c", "2020")
        + item("c", "Alphaland backs Betaland.", "a", "2021")
    )
    errs, _ = messages(root)
    assert errs == [
        f"DATA/sources/art.yaml:{F + 20}:14: error: 'same_as' links go round in a cycle (a → b → c → a); "
        "one link is enough"
    ]


# -- quotes must name an end of their fact ------------------------------------------


def names_neither(line: int, subject: str, obj: str) -> str:
    return (
        f"the quote of the fact at line {line} names neither {subject!r} nor {obj!r} (by a name, an alias, or an "
        "entity acting for one); quote the words that name one, or say which end the text leaves unnamed with "
        "'implicit: subject', 'object' or 'both'"
    )


def test_a_quote_naming_neither_end_warns_unless_implicit_says_so(trust_copy: Path) -> None:
    review = trust_copy / "sources" / "sylvania-review.yaml"
    text = review.read_text()
    review.write_text(text.replace("    implicit: both\n", ""))
    line = text.splitlines().index("  - subject: vera-mont") + 1
    warning = names_neither(line, "vera-mont", "rufus-firefly")
    assert messages(trust_copy) == ([], [f"DATA/sources/sylvania-review.yaml:{line + 3}:12: warning: {warning}"])
    result = runner.invoke(app, ["validate", "--strict", "--data", str(trust_copy), "-f", "table"])
    assert result.exit_code == 3


@pytest.mark.parametrize(
    ("quote", "warns"),
    [
        ("Alphaland backs Betaland.", False),  # both named
        ("Betaland thanked Alphaland", False),
        ("Later, Alphaland sanctioned nobody.", False),  # one end is enough
        ("Alpha", False),  # an alias
        ("we stand together", True),
        ("Betaland thanked", True),  # neither end
        ("Gamma Leader, who leads Alphaland", False),
        ("warmly", True),
    ],
)
def test_which_quotes_name_an_end(make_dataset: MakeDataset, quote: str, warns: bool) -> None:
    root = make_dataset(facts=f"- subject: alphaland\n  relation: supports\n  object: gamma-leader\n  quote: {quote}\n")
    warnings = [w for w in messages(root)[1] if "names neither" in w]
    assert bool(warnings) == warns


def test_names_match_whole_words_and_possessives_on_folded_text(make_dataset: MakeDataset) -> None:
    text = "The Betalandish press wrote. Betaland\u2019s envoy came. BETALAND'S chief left. The Alphas met.\n"

    def warns(quote: str) -> bool:
        root = make_dataset(
            text=text, facts=f"- subject: betaland\n  relation: supports\n  object: betaland\n  quote: {quote}\n"
        )
        return any("names neither" in w for w in messages(root)[1])

    assert warns("The Betalandish press wrote.")  # not a whole word
    assert not warns("Betaland\u2019s envoy came.")  # folds to "betalands": a possessive
    assert not warns("BETALAND'S chief left.")


def test_an_entity_acting_for_an_end_names_it_in_both_directions(make_dataset: MakeDataset) -> None:
    text = "Gamma spoke. Alphaland spoke. Betaland listened.\n"
    leads = (
        "- subject: gamma-leader\n  relation: leads\n  object: alphaland\n  quote: Gamma spoke.\n  implicit: object\n"
    )
    agent_named = "- subject: alphaland\n  relation: supports\n  object: betaland\n  quote: Gamma spoke.\n"
    principal_named = "- subject: gamma-leader\n  relation: supports\n  object: betaland\n  quote: Alphaland spoke.\n"
    root = make_dataset(text=text, facts=leads + agent_named + principal_named)
    assert messages(root) == ([], [])
    # without the acts-for fact, neither quote names an end
    root = make_dataset(text=text, facts=agent_named + principal_named)
    assert [w.split(": warning: ")[1] for w in messages(root)[1]] == [
        names_neither(F, "alphaland", "betaland"),
        names_neither(F + 4, "gamma-leader", "betaland"),
    ]


# -- sources without facts, suggestions that say what they are ------------------------


def test_a_source_with_no_facts_warns(make_dataset: MakeDataset) -> None:
    root = make_dataset(
        files={
            "sources/empty.yaml": "source:\n  id: empty\n  title: Nothing here\n  text: empty.txt\nfacts: []\n",
            "sources/empty.txt": "Nothing.\n",
        }
    )
    assert messages(root) == ([], ["DATA/sources/empty.yaml:5:8: warning: source 'empty' has no facts"])


def test_an_unknown_entity_in_a_fact_suggests_candidates_with_type_and_description(make_dataset: MakeDataset) -> None:
    root = make_dataset(
        facts="- subject: alphalnd\n  relation: supports\n  object: betaland\n  quote: Alphaland backs Betaland.\n"
    )
    assert messages(root)[0] == [
        f"DATA/sources/art.yaml:{F}:14: error: unknown entity 'alphalnd' "
        "(did you mean 'alphaland' (country: A country) or 'betaland' (country: Another country)?)"
    ]


def test_an_unknown_entity_on_the_command_line_tells_look_alikes_apart() -> None:
    kg = kgraph.load(cache=False)
    with pytest.raises(UnknownEntity) as caught:
        kg.entity("tsikhanouskaya")
    assert caught.value.suggestions[0] == "tikhanovsky"
    assert str(caught.value).startswith(
        "unknown entity 'tsikhanouskaya'; did you mean 'tikhanovsky' (person: Belarusian opposition leader, "
    )


def test_kgraph_add_writes_a_curator_id_the_loader_then_uses(trust_copy: Path) -> None:
    args = ["add", "osterlich", "supports", "sylvania", "--source", "fenwick-gazette", "--sentence", "6"]
    result = runner.invoke(app, [*args, "--id", "osterlich-backing-again", "--data", str(trust_copy)])
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "  - id: osterlich-backing-again\n    subject: osterlich\n" in (
        trust_copy / "sources" / "fenwick-gazette.yaml"
    ).read_text(encoding="utf-8")
    kg = kgraph.load(trust_copy, cache=False)
    assert kg.facts_by_id["osterlich-backing-again"].quote.startswith("Osterlich has backed Sylvania")
    again = runner.invoke(app, [*args, "--id", "osterlich-backing-again", "--data", str(trust_copy)])
    assert again.exit_code == 3
    assert "duplicate fact id 'osterlich-backing-again'" in again.stderr


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=40))
def test_folding_ascii_text_quickly_gives_what_the_general_path_gives(text: str) -> None:
    # (" é" sends the text down the general path, and adds " e" to what it folds to)
    assert (fold(text) + " e").strip() == fold(text + " é")


def test_kgraph_add_writes_the_trust_fields_and_the_loader_reads_them(trust_copy: Path) -> None:
    args = ["add", "osterlich", "supports", "sylvania", "--source", "fenwick-gazette", "--sentence", "6"]
    trust = ["--modality", "threatened", "--disputes", "osterlich-backs-sylvania", "--implicit", "object"]
    result = runner.invoke(app, [*args, *trust, "--id", "osterlich-threat", "--data", str(trust_copy)])
    assert result.exit_code == 0, result.stdout + result.stderr
    written = (trust_copy / "sources" / "fenwick-gazette.yaml").read_text(encoding="utf-8")
    assert "    modality: threatened\n    disputes: osterlich-backs-sylvania\n    implicit: object\n" in written
    fact = kgraph.load(trust_copy, cache=False).facts_by_id["osterlich-threat"]
    assert (fact.modality, fact.disputes, fact.implicit) == ("threatened", ("osterlich-backs-sylvania",), "object")


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--modality", "pondered", "modality"),
        ("--disputes", "no-such-fact", "no-such-fact"),
        ("--same-as", "no-such-fact", "no-such-fact"),
        ("--implicit", "verb", "implicit"),
    ],
)
def test_kgraph_add_refuses_bad_trust_fields_and_writes_nothing(
    trust_copy: Path, option: str, value: str, message: str
) -> None:
    before = (trust_copy / "sources" / "fenwick-gazette.yaml").read_bytes()
    args = ["add", "osterlich", "supports", "sylvania", "--source", "fenwick-gazette", "--sentence", "6"]
    result = runner.invoke(app, [*args, option, value, "--data", str(trust_copy)])
    assert result.exit_code == 3, result.stdout + result.stderr
    assert message in result.stderr and result.stderr.count("\n") == 1
    assert (trust_copy / "sources" / "fenwick-gazette.yaml").read_bytes() == before
