"""The loader's rules, each with its own small bad file.

Every test writes a tiny dataset (see ``conftest.make_dataset``) that breaks
one rule and asserts the exact ``file:line:column: severity: message``
(suggestion included) that ``kgraph.check`` reports for it. Paths are shown
relative to the dataset folder as ``DATA``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ENTITIES, FACTS_LINE, RELATIONS, SOURCE_HEAD, MakeDataset
from hypothesis import given, settings
from hypothesis import strategies as st

import kgraph
from kgraph.errors import DataError, ExitCode
from kgraph.loading.quotes import normalise_text

F = FACTS_LINE  # line of the first fact item in the source file


def report(root: Path) -> tuple[list[str], list[str]]:
    """(errors, warnings) of a dataset as printed, with the folder shown as DATA."""
    _, rep = kgraph.check(root)
    show = (
        [str(p).replace(str(root), "DATA") for p in rep.errors],
        [str(p).replace(str(root), "DATA") for p in rep.warnings],
    )
    return show


def errors(root: Path) -> list[str]:
    return report(root)[0]


def fact(
    subject: str = "alphaland",
    relation: str = "supports",
    obj: str = "betaland",
    quote: str = "Alphaland backs Betaland.",
    **extra: str,
) -> str:
    """One fact item as YAML (to go under ``facts:``)."""
    lines = [f"- subject: {subject}", f"  relation: {relation}", f"  object: {obj}", f"  quote: {quote}"]
    lines += [f"  {k}: {v}" for k, v in extra.items()]
    return "\n".join(lines) + "\n"


# -- the defaults are valid ------------------------------------------------------


def test_default_dataset_is_clean(make_dataset: MakeDataset) -> None:
    root = make_dataset()
    assert report(root) == ([], [])
    kg = kgraph.load(root)
    assert sorted(kg.entities) == ["alphaland", "betaland", "gamma-leader"]
    assert [(f.subject, f.relation, f.object) for f in kg.facts] == [
        ("alphaland", "supports", "betaland"),
        ("gamma-leader", "leads", "alphaland"),
    ]
    assert kg.facts[0].line == F and kg.facts[0].date == "2021"


# -- references --------------------------------------------------------------------


def test_unknown_entity_suggests_the_closest_id(make_dataset: MakeDataset) -> None:
    root = make_dataset(facts=fact(obj="betalnd"))
    assert errors(root) == [
        f"DATA/sources/art.yaml:{F + 2}:13: error: unknown entity 'betalnd' "
        "(did you mean 'betaland' (country: Another country)?)"
    ]


def test_unknown_relation_suggests_the_closest_id(make_dataset: MakeDataset) -> None:
    root = make_dataset(facts=fact(relation="suports"))
    assert errors(root) == [
        f"DATA/sources/art.yaml:{F + 1}:15: error: unknown relation 'suports' (did you mean 'supports'?)"
    ]


def test_unknown_relation_without_anything_close(make_dataset: MakeDataset) -> None:
    root = make_dataset(facts=fact(relation="xyzzy"))
    assert errors(root) == [f"DATA/sources/art.yaml:{F + 1}:15: error: unknown relation 'xyzzy'"]


def test_inverse_name_used_as_relation_says_how_to_turn_the_fact_round(make_dataset: MakeDataset) -> None:
    root = make_dataset(facts=fact("betaland", "supported_by", "alphaland"))
    assert errors(root) == [
        (
            f"DATA/sources/art.yaml:{F + 1}:15: error: 'supported_by' is the inverse name of 'supports': "
            "write the fact the other way round (subject 'alphaland', relation 'supports', object 'betaland')"
        )
    ]


def test_unknown_according_to_entity(make_dataset: MakeDataset) -> None:
    root = make_dataset(facts=fact(according_to="gama-leader"))
    assert errors(root) == [
        f"DATA/sources/art.yaml:{F + 4}:19: error: unknown entity 'gama-leader' "
        "(did you mean 'gamma-leader' (person: Leader of Alphaland)?)"
    ]


# -- fields ------------------------------------------------------------------------


def test_unknown_fact_field_names_the_closest_allowed_key(make_dataset: MakeDataset) -> None:
    root = make_dataset(facts=fact(dat="2021"))
    assert errors(root) == [
        (
            f"DATA/sources/art.yaml:{F + 4}:5: error: unknown field 'dat' in the fact at line {F}; allowed: subject, "
            "relation, object, quote, id, date, start, end, according_to, qualifiers, modality, disputes, same_as, "
            "implicit (did you mean 'date'?)"
        )
    ]


def test_unknown_fields_in_relations_entities_and_source_header(make_dataset: MakeDataset) -> None:
    root = make_dataset(
        relations=RELATIONS.replace("description: Backs another actor.", "descripton: Backs another actor."),
        entities=ENTITIES.replace("type: person", "typ: person"),
        source=SOURCE_HEAD.replace("  published:", "  publshed:")
        + "  "
        + fact().replace("\n-", "\n  -").replace("\n ", "\n   "),
    )
    assert errors(root) == [
        (
            "DATA/relations.yaml:9:5: error: unknown field 'descripton' in relation 'supports'; allowed: id, polarity, "
            "description, label, parent, symmetric, inverse, acts_for (did you mean 'description'?)"
        ),
        "DATA/relations.yaml:5:5: error: relation 'supports' has no 'description'",
        (
            "DATA/entities.yaml:13:5: error: unknown field 'typ' in entity 'gamma-leader'; allowed: id, name, type, "
            "description, aliases (did you mean 'type'?)"
        ),
        "DATA/entities.yaml:11:5: error: entity 'gamma-leader' has no 'type'",
        (
            "DATA/sources/art.yaml:4:3: error: unknown field 'publshed' in 'source'; allowed: id, title, text, "
            "published, url, publisher, author (did you mean 'published'?)"
        ),
    ]


def test_missing_required_field(make_dataset: MakeDataset) -> None:
    root = make_dataset(facts="- subject: alphaland\n  relation: supports\n  quote: Alphaland backs Betaland.\n")
    assert errors(root) == [f"DATA/sources/art.yaml:{F}:5: error: the fact at line {F} has no 'object'"]


def test_empty_required_field(make_dataset: MakeDataset) -> None:
    root = make_dataset(facts=fact(quote='""'))
    assert errors(root) == [f"DATA/sources/art.yaml:{F + 3}:12: error: 'quote' of the fact at line {F} is blank"]


# -- ids and names -----------------------------------------------------------------


def test_duplicate_entity_id(make_dataset: MakeDataset) -> None:
    root = make_dataset(
        entities=ENTITIES + "  - id: betaland\n    name: Beta Two\n    type: country\n    description: Again.\n"
    )
    assert errors(root) == ["DATA/entities.yaml:16:9: error: duplicate entity id 'betaland' (first at line 7)"]


def test_duplicate_relation_id(make_dataset: MakeDataset) -> None:
    root = make_dataset(relations=RELATIONS + "  - id: supports\n    polarity: 1\n    description: Again.\n")
    assert errors(root) == ["DATA/relations.yaml:32:9: error: duplicate relation id 'supports' (first at line 5)"]


def test_aliases_collide_between_entities_after_folding_case_and_diacritics(make_dataset: MakeDataset) -> None:
    root = make_dataset(
        entities=ENTITIES + "  - id: zeta\n    name: Zeta\n    type: country\n"
        "    aliases: [ALPHA, Bétaland]\n    description: Collides.\n"
    )
    assert errors(root) == [
        (
            "DATA/entities.yaml:19:15: error: name 'ALPHA' of entity 'zeta' is also a name of 'alphaland' (line 2); "
            "each name must lead to one entity"
        ),
        (
            "DATA/entities.yaml:19:22: error: name 'Bétaland' of entity 'zeta' is also a name of 'betaland' (line 7); "
            "each name must lead to one entity"
        ),
    ]


def test_an_entity_may_repeat_its_own_name_as_an_alias(make_dataset: MakeDataset) -> None:
    root = make_dataset(entities=ENTITIES.replace("aliases: [Gamma]", "aliases: [Gamma, GAMMA LEADER, gamma-leader]"))
    assert errors(root) == []


def test_entity_id_must_be_a_slug(make_dataset: MakeDataset) -> None:
    root = make_dataset(
        entities=ENTITIES.replace("id: betaland", "id: Beta_Land"),
        facts=fact(
            obj="alphaland", subject="gamma-leader", relation="leads", quote="Gamma Leader, who leads Alphaland"
        ),
    )
    errs = errors(root)
    assert errs[0] == (
        "DATA/entities.yaml:7:9: error: entity id 'Beta_Land' must be a lowercase slug "
        "(a-z, 0-9, single hyphens) (did you mean 'beta-land'?)"
    )


# -- quotes ------------------------------------------------------------------------


def test_quote_not_in_the_article_shows_the_closest_passage(make_dataset: MakeDataset) -> None:
    root = make_dataset(facts=fact(quote="Alphaland strongly backs Betaland."))
    assert errors(root) == [
        (
            f"DATA/sources/art.yaml:{F + 3}:12: error: quote not found in the article text of 'art' "
            "(did you mean 'Alphaland backs Betaland.'?)"
        )
    ]


@pytest.mark.parametrize(
    "quote",
    [
        # straight quotes and a hyphen for the article's curly quotes and em dash
        "'Betaland thanked Alphaland for its \"steady\" support - warmly.'",
        # an en dash for the em dash, and a line break and extra spaces inside
        '"Betaland   thanked Alphaland\\n for its \u201csteady\u201d support \u2013 warmly."',
        # the article's own characters, and its run of spaces written as one
        '"said: \u2018we stand together\u2019."',
        "\"said: 'we stand together'.\"",
    ],
)
def test_quote_differing_only_in_quotes_dashes_and_whitespace_is_accepted(
    make_dataset: MakeDataset, quote: str
) -> None:
    root = make_dataset(facts=fact("betaland", "partners_with", "alphaland", quote=quote))
    assert errors(root) == []
    assert kgraph.load(root).facts[0].quote.startswith(("Betaland", "said"))


def test_quote_matches_across_unicode_forms_and_invisible_characters(make_dataset: MakeDataset) -> None:
    # the article: a soft hyphen, a zero-width space, a composed é; the quote: none, and e + U+0301
    text = "Alpha\u00adland backs Bet\u200baland and Caf\u00e9 Ltd.\n"
    quote = "'Alphaland backs Betaland and Cafe\u0301 Ltd.'"
    root = make_dataset(facts=fact(quote=quote), text=text)
    assert errors(root) == []
    # and the other way round
    root = make_dataset(facts=fact(quote="'Alpha\u00adland backs Betaland'"), text="Alphaland backs Betaland.\n")
    assert errors(root) == []


def test_a_double_hyphen_is_not_a_dash(make_dataset: MakeDataset) -> None:
    root = make_dataset(facts=fact(quote="'its \"steady\" support -- warmly'"))
    assert [e.split(": error: ")[1] for e in errors(root)] == [
        "quote not found in the article text of 'art' "
        "(did you mean 'Betaland thanked Alphaland for its \"steady\" support - warmly.'?)"
    ]


def test_normalise_text_folds_quotes_dashes_and_whitespace() -> None:
    assert normalise_text("\u201cA\u201d \u2014\n\t\u2018b\u2019\u00a0c\u2026 ") == "\"A\" - 'b' c..."


# the sentences the quote checker suggests from, as a public splitter (kgraph.loading.quotes)

SPLIT_CASES = [
    ("One. Two! Three? Four", ["One.", "Two!", "Three?", "Four"]),
    ('He said "no." Then left.', ['He said "no."', "Then left."]),
    ("He said 'no.'  Then left.", ["He said 'no.'", "Then left."]),
    ("Dr. Who came. 3.5 percent.", ["Dr. Who came.", "3.5 percent."]),  # abbreviations end no sentence
    ("The U.S. envoy met J. K. Smith. He left.", ["The U.S. envoy met J. K. Smith.", "He left."]),
    ('"Why?" she asked. "No."', ['"Why?" she asked.', '"No."']),  # a quotation inside a sentence
    ("Envoy recalled\nThe envoy left.", ["Envoy recalled", "The envoy left."]),  # a headline on its line
    ("Envoy recalled The envoy left.", ["Envoy recalled", "The envoy left."]),  # ...or pasted inline
    ("the Belt and Road plan.", ["the Belt and Road plan."]),
    ("No end here", ["No end here"]),
    ("Ends.\n\nNew paragraph.\n", ["Ends.", "New paragraph."]),
    ("  ", []),
    ("", []),
]


@pytest.mark.parametrize(("text", "expected"), SPLIT_CASES)
def test_split_sentences(text: str, expected: list[str]) -> None:
    from kgraph.loading.quotes import sentences, split_sentences

    spans = split_sentences(text)
    assert [text[a:b] for a, b in spans] == expected == sentences(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .!?\"'\n\t")), max_size=60))
def test_sentences_cover_the_text_but_the_whitespace_between_them(text: str) -> None:
    from kgraph.loading.quotes import split_sentences

    spans = split_sentences(text)
    ends = [0, *(x for span in spans for x in span), len(text)]
    gaps = [text[ends[i] : ends[i + 1]] for i in range(0, len(ends), 2)]
    assert all(a < b for a, b in spans) and ends == sorted(ends)
    assert all(not gap.strip() for gap in gaps)  # what lies between (and around) sentences is whitespace
    for (a, b), (c, _) in zip(spans, spans[1:], strict=False):
        # a sentence that another follows ends in . ! or ? (and perhaps a quote), or at a line break
        assert text[a:b].rstrip("\"'")[-1:] in (".", "!", "?") or "\n" in text[b:c]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aB1 .!?\"'\u2019\u201c\u201d\u00a0\u2026")), max_size=60))
def test_a_text_on_one_line_splits_as_its_normalised_form_does(text: str) -> None:
    # (what kgraph sentences relies on to place the sentences of a text as read in its normalised form)
    from kgraph.loading.quotes import sentences

    assert [normalise_text(s) for s in sentences(text)] == sentences(normalise_text(text))


def test_the_passage_suggested_for_a_quote_not_found_is_one_of_the_sentences(make_dataset: MakeDataset) -> None:
    from kgraph.loading.quotes import sentences

    text = "Alphaland backs Betaland. Betaland thanked Alphaland \u2014 warmly! Gamma leads Alphaland?"
    root = make_dataset(facts=fact(quote="'Betaland thanks Alphaland warmly'"), text=text)
    (problem,) = kgraph.check(root)[1].errors
    assert problem.suggestion == repr("Betaland thanked Alphaland - warmly!")
    assert "Betaland thanked Alphaland - warmly!" in sentences(normalise_text(text))


def test_a_file_report_records_at_its_file() -> None:
    from kgraph.validate import Report

    report = Report()
    at = report.file("data/entities.yaml")
    at.error((3, 5), "wrong", "'right'")
    at.warn(None, "odd")
    assert [str(p) for p in report.errors + report.warnings] == [
        "data/entities.yaml:3:5: error: wrong (did you mean 'right'?)",
        "data/entities.yaml: warning: odd",
    ]


def test_missing_text_file(make_dataset: MakeDataset) -> None:
    root = make_dataset()
    (root / "sources" / "art.txt").unlink()
    assert errors(root) == ["DATA/sources/art.yaml:5:9: error: article text 'art.txt' not found next to art.yaml"]


def test_text_file_named_wrongly_suggests_the_one_next_to_it(make_dataset: MakeDataset) -> None:
    root = make_dataset(source=SOURCE_HEAD.replace("text: art.txt", "text: article.txt") + "  []\n")
    assert errors(root) == [
        (
            "DATA/sources/art.yaml:5:9: error: article text 'article.txt' not found next to art.yaml "
            "(did you mean 'art.txt'?)"
        )
    ]


def test_source_id_must_match_the_file_name(make_dataset: MakeDataset) -> None:
    root = make_dataset(source=SOURCE_HEAD.replace("id: art", "id: article") + "  []\n")
    assert errors(root) == [
        "DATA/sources/art.yaml:2:7: error: source id 'article' must match the file name 'art' (did you mean 'art'?)"
    ]


# -- dates -------------------------------------------------------------------------


ISO = "is not an ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD)"


@pytest.mark.parametrize(
    ("value", "shown", "hint"),
    [
        ("2021-13", "'2021-13'", ""),
        ("2021-02-30", "'2021-02-30'", ""),
        ("3 December 2021", "'3 December 2021'", " (did you mean '2021-12-03'?)"),
        ("December 3, 2021", "'December 3, 2021'", " (did you mean '2021-12-03'?)"),
        ("03.12.2021", "'03.12.2021'", " (did you mean '2021-12-03'?)"),
        ("2021-1-5", "'2021-1-5'", " (did you mean '2021-01-05'?)"),
        ("[2021]", "a list", ""),
    ],
)
def test_invalid_dates(make_dataset: MakeDataset, value: str, shown: str, hint: str) -> None:
    root = make_dataset(facts=fact(date=value))
    assert errors(root) == [
        (f"DATA/sources/art.yaml:{F + 4}:11: error: 'date' of the fact at line {F} {ISO}: {shown}{hint}")
    ]


@pytest.mark.parametrize("value", ["2021", "2021-02", "2020-02-29", "'2021-12-03'"])
def test_valid_dates_are_kept_as_written(make_dataset: MakeDataset, value: str) -> None:
    root = make_dataset(facts=fact(date=value))
    assert kgraph.load(root).facts[0].date == value.strip("'")


def test_invalid_published_date(make_dataset: MakeDataset) -> None:
    root = make_dataset(source=SOURCE_HEAD.replace("published: 2021-12", "published: Dec 2021") + "  []\n")
    assert errors(root)[0] == (
        f"DATA/sources/art.yaml:4:14: error: 'published' of 'source' {ISO}: 'Dec 2021' (did you mean '2021-12'?)"
    )


def test_date_and_start_together(make_dataset: MakeDataset) -> None:
    root = make_dataset(facts=fact(date="2021", start="2020"))
    assert errors(root) == [
        (
            f"DATA/sources/art.yaml:{F + 4}:11: error: the fact at line {F} has both 'date' and 'start'/'end'; "
            "use one or the other"
        )
    ]


def test_end_before_start(make_dataset: MakeDataset) -> None:
    root = make_dataset(facts=fact(start="2021-05", end="2021-04-30"))
    assert errors(root) == [
        f"DATA/sources/art.yaml:{F + 5}:10: error: the fact at line {F} ends (2021-04-30) before it starts (2021-05)"
    ]


def test_overlapping_partial_interval_is_fine(make_dataset: MakeDataset) -> None:
    # 2021 (the whole year) to 2021-03: the end is not before the start
    root = make_dataset(facts=fact(start="2021", end="2021-03"))
    assert errors(root) == []
    assert kgraph.load(root).facts[0].when == "2021/2021-03"


# -- YAML itself ---------------------------------------------------------------------


def test_duplicate_yaml_key(make_dataset: MakeDataset) -> None:
    root = make_dataset(facts=fact(relation="supports\n  relation: sanctions"))
    assert errors(root) == [f"DATA/sources/art.yaml:{F + 2}:5: error: duplicate key 'relation' (first at line {F + 1})"]


def test_yaml_level_problems_do_not_hide_the_rest_of_the_file(make_dataset: MakeDataset) -> None:
    root = make_dataset(facts=fact(relation="supports\n  relation: sanctions", obj="betalnd"))
    assert errors(root) == [
        f"DATA/sources/art.yaml:{F + 2}:5: error: duplicate key 'relation' (first at line {F + 1})",
        f"DATA/sources/art.yaml:{F + 3}:13: error: unknown entity 'betalnd' "
        "(did you mean 'betaland' (country: Another country)?)",
    ]


def test_python_tag_is_refused(make_dataset: MakeDataset) -> None:
    root = make_dataset(facts=fact(subject="!!python/object/apply:os.system [echo hi]"))
    assert errors(root) == [
        (
            f"DATA/sources/art.yaml:{F}:14: error: YAML tags are not allowed "
            "(tag:yaml.org,2002:python/object/apply:os.system); write a plain value"
        ),
        f"DATA/sources/art.yaml:{F}:14: error: 'subject' of the fact at line {F} must be text, not a list",
    ]


@pytest.mark.parametrize("tag", ["!!str", "!!timestamp", "!custom"])
def test_standard_and_local_tags_are_refused_too(make_dataset: MakeDataset, tag: str) -> None:
    root = make_dataset(facts=fact(date=f"{tag} 2021"))
    full = tag.replace("!!", "tag:yaml.org,2002:")
    assert errors(root) == [
        f"DATA/sources/art.yaml:{F + 4}:11: error: YAML tags are not allowed ({full}); write a plain value"
    ]


def test_anchor_is_refused(make_dataset: MakeDataset) -> None:
    root = make_dataset(facts=fact(subject="&who alphaland"))
    assert errors(root) == [
        f"DATA/sources/art.yaml:{F}:14: error: YAML anchors are not allowed (&who); write the value out"
    ]


def test_alias_is_refused(make_dataset: MakeDataset) -> None:
    # both are reported; the alias reads as its anchor's value, so nothing else is
    root = make_dataset(facts=fact(subject="&who alphaland", obj="*who"))
    assert errors(root) == [
        f"DATA/sources/art.yaml:{F}:14: error: YAML anchors are not allowed (&who); write the value out",
        f"DATA/sources/art.yaml:{F + 2}:13: error: YAML aliases are not allowed (*who); write the value out",
    ]


def test_merge_key_is_refused(make_dataset: MakeDataset) -> None:
    root = make_dataset(facts="- &base\n  subject: alphaland\n- <<: *base\n  relation: supports\n")
    errs = errors(root)
    assert errs[:2] == [
        f"DATA/sources/art.yaml:{F}:5: error: YAML anchors are not allowed (&base); write the value out",
        f"DATA/sources/art.yaml:{F + 2}:9: error: YAML aliases are not allowed (*base); write the value out",
    ]
    assert (
        f"DATA/sources/art.yaml:{F + 2}:5: error: unknown field '<<' in the fact at line {F + 2}; allowed: "
        "subject, relation, object, quote, id, date, start, end, according_to, qualifiers, modality, disputes, "
        "same_as, implicit" in errs
    )


def test_syntax_error_has_a_position(make_dataset: MakeDataset) -> None:
    root = make_dataset(facts=fact(quote='"unclosed'))
    (err,) = errors(root)
    assert err.startswith("DATA/sources/art.yaml:") and ": error: invalid YAML: " in err
    line = int(err.split(":")[1])
    assert line >= F + 3


def test_empty_file(make_dataset: MakeDataset) -> None:
    root = make_dataset(source="")
    assert errors(root) == ["DATA/sources/art.yaml: error: the file is empty"]


def test_two_documents(make_dataset: MakeDataset) -> None:
    root = make_dataset(source=SOURCE_HEAD + "  []\n---\nmore: 1\n")
    assert errors(root) == [f"DATA/sources/art.yaml:{F + 1}:1: error: only one YAML document per file is allowed"]


def test_norway_problem_no_and_on_stay_strings(make_dataset: MakeDataset) -> None:
    entities = (
        ENTITIES + '  - id: "no"\n    name: Norway\n    type: country\n    aliases: [NO, on]\n    description: yes\n'
    )
    root = make_dataset(
        entities=entities, facts=fact(subject="no", obj="betaland", qualifiers="{flag: off, version: 1.10, n: 010}")
    )
    kg = kgraph.load(root)
    norway = kg.entity("no")
    assert (norway.id, norway.aliases, norway.description) == ("no", ("NO", "on"), "yes")
    assert kg.entity("ON").id == "no"
    assert dict(kg.facts[0].qualifiers) == {"flag": "off", "version": "1.10", "n": "010"}
    assert kg.facts[0].subject == "no"


# -- relations ---------------------------------------------------------------------


def relation(extra: str) -> str:
    return RELATIONS + extra


def test_bad_boolean_suggests_true(make_dataset: MakeDataset) -> None:
    root = make_dataset(relations=relation("  - id: meets\n    symmetric: yes\n    polarity: 1\n    description: x.\n"))
    assert errors(root) == [
        (
            "DATA/relations.yaml:33:16: error: 'symmetric' of relation 'meets' must be true or false, not 'yes' "
            "(did you mean true?)"
        )
    ]


def test_bad_boolean_suggests_false(make_dataset: MakeDataset) -> None:
    root = make_dataset(relations=relation("  - id: meets\n    acts_for: Off\n    polarity: 1\n    description: x.\n"))
    assert errors(root) == [
        (
            "DATA/relations.yaml:33:15: error: 'acts_for' of relation 'meets' must be true or false, not 'Off' "
            "(did you mean false?)"
        )
    ]


@pytest.mark.parametrize(
    ("value", "hint"),
    [("2", ""), ("positive", " (did you mean 1?)"), ("conflictual", " (did you mean -1?)"), ("0.5", "")],
)
def test_polarity_must_be_1_minus_1_or_0(make_dataset: MakeDataset, value: str, hint: str) -> None:
    root = make_dataset(relations=relation(f"  - id: meets\n    polarity: {value}\n    description: x.\n"))
    assert errors(root) == [
        f"DATA/relations.yaml:33:15: error: polarity of relation 'meets' must be 1, -1 or 0, not '{value}'{hint}"
    ]


def test_sub_relation_polarity_must_match_its_parent(make_dataset: MakeDataset) -> None:
    root = make_dataset(
        relations=relation("  - id: praises\n    parent: supports\n    polarity: -1\n    description: x.\n")
    )
    assert errors(root) == [
        (
            "DATA/relations.yaml:34:15: error: relation 'praises' has polarity -1 but its parent 'supports' has 1; "
            "a sub-relation keeps its parent's polarity"
        )
    ]


def test_unknown_parent(make_dataset: MakeDataset) -> None:
    root = make_dataset(
        relations=relation("  - id: praises\n    parent: suports\n    polarity: 1\n    description: x.\n")
    )
    assert errors(root) == [
        "DATA/relations.yaml:33:13: error: unknown parent relation 'suports' (did you mean 'supports'?)"
    ]


def test_parent_cycle(make_dataset: MakeDataset) -> None:
    root = make_dataset(
        relations=relation(
            "  - id: a_rel\n    parent: b_rel\n    polarity: 0\n    description: x.\n"
            "  - id: b_rel\n    parent: a_rel\n    polarity: 0\n    description: x.\n"
        )
    )
    assert errors(root) == [
        "DATA/relations.yaml:33:13: error: relation 'a_rel' is its own ancestor (parent cycle)",
        "DATA/relations.yaml:37:13: error: relation 'b_rel' is its own ancestor (parent cycle)",
    ]


def test_relation_that_is_its_own_parent(make_dataset: MakeDataset) -> None:
    root = make_dataset(relations=relation("  - id: a_rel\n    parent: a_rel\n    polarity: 0\n    description: x.\n"))
    assert errors(root) == ["DATA/relations.yaml:33:13: error: relation 'a_rel' is its own ancestor (parent cycle)"]


def test_symmetric_relation_cannot_have_an_inverse(make_dataset: MakeDataset) -> None:
    root = make_dataset(
        relations=relation(
            "  - id: meets\n    symmetric: true\n    inverse: met_by\n    polarity: 1\n    description: x.\n"
        )
    )
    assert errors(root) == [
        "DATA/relations.yaml:34:14: error: relation 'meets' is symmetric, so it cannot have an inverse name"
    ]


def test_inverse_name_clashing_with_a_relation_id(make_dataset: MakeDataset) -> None:
    root = make_dataset(
        relations=relation("  - id: backs\n    inverse: supports\n    polarity: 1\n    description: x.\n")
    )
    assert errors(root) == [
        "DATA/relations.yaml:33:14: error: inverse name 'supports' of 'backs' is already a relation id"
    ]


# -- all at once; load vs check; warnings ------------------------------------------------


def test_every_problem_is_reported_at_once(make_dataset: MakeDataset) -> None:
    root = make_dataset(
        relations=relation("  - id: meets\n    symmetric: yes\n    polarity: 1\n    description: x.\n"),
        entities=ENTITIES + "  - id: betaland\n    name: B2\n    type: country\n    description: x.\n",
        facts=fact(obj="betalnd") + fact(relation="suports") + fact(date="2021-13") + fact(quote="Not in the article."),
    )
    errs = errors(root)
    assert [e.split(": error: ")[0] for e in errs] == [
        "DATA/relations.yaml:33:16",
        "DATA/entities.yaml:16:9",
        f"DATA/sources/art.yaml:{F + 2}:13",
        f"DATA/sources/art.yaml:{F + 5}:15",
        f"DATA/sources/art.yaml:{F + 12}:11",
        f"DATA/sources/art.yaml:{F + 16}:12",
    ]
    with pytest.raises(DataError) as caught:
        kgraph.load(root)
    assert caught.value.exit_code == ExitCode.DATA
    assert [str(p).replace(str(root), "DATA") for p in caught.value.problems if p.severity == "error"] == errs
    assert str(caught.value).replace(str(root), "DATA") == errs[0].replace(": error:", ":", 1) + (
        " (and 5 more problems; run 'kgraph validate')"
    )


def test_problems_in_several_source_files_are_all_listed(make_dataset: MakeDataset) -> None:
    second = (
        SOURCE_HEAD.replace("id: art", "id: other").replace("art.txt", "other.txt")
        + "  "
        + fact(obj="gama").replace("\n ", "\n   ")
    )
    root = make_dataset(
        facts=fact(subject="alphalnd"),
        files={"sources/other.yaml": second, "sources/other.txt": "Alphaland backs Betaland.\n"},
    )
    assert errors(root) == [
        f"DATA/sources/art.yaml:{F}:14: error: unknown entity 'alphalnd' "
        "(did you mean 'alphaland' (country: A country) or 'betaland' (country: Another country)?)",
        f"DATA/sources/other.yaml:{F + 2}:13: error: unknown entity 'gama'",
    ]


def test_one_problem_is_the_load_error_message(make_dataset: MakeDataset) -> None:
    root = make_dataset(facts=fact(obj="betalnd"))
    with pytest.raises(
        DataError,
        match=r"^"
        + str(root).replace("\\", "\\\\")
        + rf"/sources/art.yaml:{F + 2}:13: unknown entity 'betalnd' "
        + r"\(did you mean 'betaland' \(country: Another country\)\?\)$",
    ):
        kgraph.load(root)


def test_missing_folder_and_files(tmp_path: Path) -> None:
    assert errors(tmp_path / "nowhere") == ["DATA: error: no such data folder (give --data PATH or set KGRAPH_DATA)"]
    (tmp_path / "empty").mkdir()
    assert errors(tmp_path / "empty") == [
        "DATA/relations.yaml: error: missing file: the dataset needs relations.yaml",
        "DATA/entities.yaml: error: missing file: the dataset needs entities.yaml",
        "DATA/sources: error: no sources/ folder: each article goes in sources/<id>.yaml with its <id>.txt",
    ]


def test_warnings_do_not_fail_load_but_appear_in_check(make_dataset: MakeDataset) -> None:
    root = make_dataset(
        entities=ENTITIES + "  - id: delta\n    name: Delta\n    type: country\n    description: Unused.\n",
        facts=fact(date="2022-01") + fact("alphaland", "supports", "alphaland", quote="Alphaland backs Betaland"),
    )
    errs, warns = report(root)
    assert errs == []
    assert warns == [
        (
            f"DATA/sources/art.yaml:{F + 4}:11: warning: the fact at line {F} is dated 2022-01, after the source was "
            "published"
        ),
        f"DATA/sources/art.yaml:{F + 7}:13: warning: the fact at line {F + 5} relates 'alphaland' to itself",
        "DATA/entities.yaml:11:5: warning: entity 'gamma-leader' is in no fact",
        "DATA/entities.yaml:16:5: warning: entity 'delta' is in no fact",
    ]
    kg = kgraph.load(root)
    assert len(kg.facts) == 2
    assert [str(w).replace(str(root), "DATA") for w in kg.warnings] == warns


def test_same_fact_twice_is_an_error_and_symmetric_facts_match_either_way(make_dataset: MakeDataset) -> None:
    q = "Alphaland backs Betaland."
    root = make_dataset(
        facts=fact(quote=q)
        + fact(quote=q)
        + fact("alphaland", "partners_with", "betaland", quote=q)
        + fact("betaland", "partners_with", "alphaland", quote=q)
    )
    assert errors(root) == [
        f"DATA/sources/art.yaml:{F + 4}:5: error: the same fact as line {F} (same ends, relation, time and quote)",
        f"DATA/sources/art.yaml:{F + 12}:5: error: the same fact as line {F + 8} (same ends, relation, time and quote)",
    ]


def test_fact_ids_are_stable_and_independent_of_layout(make_dataset: MakeDataset) -> None:
    a = kgraph.load(
        make_dataset(
            facts=fact(date="2021")
            + fact("gamma-leader", "leads", "alphaland", quote="Gamma Leader, who leads Alphaland")
        )
    )
    b = kgraph.load(
        make_dataset(
            facts=fact("gamma-leader", "leads", "alphaland", quote="'Gamma Leader,  who leads Alphaland'")
            + "- date: 2021\n  quote: Alphaland backs Betaland.\n  object: betaland\n"
            "  relation: supports\n  subject: alphaland\n"
        )
    )
    assert sorted(f.id for f in a.facts) == sorted(f.id for f in b.facts)
    c = kgraph.load(make_dataset(facts=fact(date="2020")))
    assert c.facts[0].id not in {f.id for f in a.facts}


def test_bundled_data_is_clean() -> None:
    from conftest import BUNDLED

    assert report(BUNDLED) == ([], [])


def test_an_unreadable_vocabulary_is_reported_once_not_once_per_fact(make_dataset: MakeDataset) -> None:
    assert errors(make_dataset(relations="relations: [\n")) == [
        "DATA/relations.yaml:2:1: error: invalid YAML: did not find expected node content (while parsing a flow node)"
    ]
    assert errors(make_dataset(entities="entities: [\n")) == [
        "DATA/entities.yaml:2:1: error: invalid YAML: did not find expected node content (while parsing a flow node)"
    ]


def test_an_empty_vocabulary_does_not_silently_drop_the_facts(make_dataset: MakeDataset) -> None:
    assert errors(make_dataset(relations="relations: []\n")) == [
        f"DATA/sources/art.yaml:{F + 1}:15: error: unknown relation 'supports'",
        f"DATA/sources/art.yaml:{F + 6}:15: error: unknown relation 'leads'",
    ]
    assert errors(make_dataset(entities="entities: []\n"))[0] == (
        f"DATA/sources/art.yaml:{F}:14: error: unknown entity 'alphaland'"
    )


# -- shapes and odd files ---------------------------------------------------------------------


def test_fact_that_is_not_a_mapping(make_dataset: MakeDataset) -> None:
    assert errors(make_dataset(facts="- just a string\n")) == [
        f"DATA/sources/art.yaml:{F}:5: error: a fact must be a mapping of fields, not the text 'just a string'"
    ]


def test_facts_that_are_not_a_list(make_dataset: MakeDataset) -> None:
    assert errors(make_dataset(source=SOURCE_HEAD + "  subject: alphaland\n")) == [
        f"DATA/sources/art.yaml:{F}:3: error: 'facts' must be a list, not a mapping"
    ]


def test_qualifier_values_must_be_plain(make_dataset: MakeDataset) -> None:
    assert errors(make_dataset(facts=fact(qualifiers="{role: [a, b], amount: US$4.2 billion}"))) == [
        f"DATA/sources/art.yaml:{F + 4}:24: error: qualifier 'role' must be a plain value, not a list"
    ]


def test_aliases_must_be_a_list(make_dataset: MakeDataset) -> None:
    assert errors(make_dataset(entities=ENTITIES.replace("aliases: [Gamma]", "aliases: Gamma"))) == [
        "DATA/entities.yaml:14:14: error: 'aliases' of entity 'gamma-leader' must be a list, e.g. [Gamma]"
    ]


def test_unknown_entity_type_is_a_warning_with_a_suggestion(make_dataset: MakeDataset) -> None:
    assert report(make_dataset(entities=ENTITIES.replace("type: person", "type: persn"))) == (
        [],
        [
            (
                "DATA/entities.yaml:13:11: warning: entity type 'persn' is not one of person, country, organisation, "
                "group, event, initiative, document, place (did you mean 'person'?)"
            )
        ],
    )


def test_yml_source_is_not_read_and_says_so(make_dataset: MakeDataset) -> None:
    assert report(make_dataset(files={"sources/extra.yml": "source: {}\n"})) == (
        [],
        ["DATA/sources/extra.yml: warning: not read: source files must end in .yaml (did you mean 'extra.yaml'?)"],
    )


def test_article_text_must_be_utf8(make_dataset: MakeDataset) -> None:
    root = make_dataset()
    (root / "sources" / "art.txt").write_bytes("Ålphaland backs\nBetaland, \xe9t\u00e9.".encode()[:-6] + b"\xe9t\xe9.")
    assert errors(root) == [
        (
            "DATA/sources/art.txt:2:11: error: the article text is not UTF-8: byte 0xE9 here is not "
            "valid UTF-8 (was it saved as Latin-1 or Windows-1252?); re-save the file as UTF-8"
        )
    ]


# -- the YAML reader against PyYAML's own emitter -------------------------------------------------

# (NEL and the Unicode line separators are left out: PyYAML's emitter writes them raw inside quotes,
# where YAML reads them as line breaks, so even PyYAML's own loader does not read them back)
_text = st.text(st.characters(codec="utf-8", exclude_characters="\x85\u2028\u2029"), max_size=30)
_tree = st.recursive(
    _text | st.none(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_text, inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=100, deadline=None)
@given(_tree, st.booleans())
def test_reader_reads_back_what_pyyaml_writes(value: object, flow: bool) -> None:
    import yaml

    from kgraph.yamlread import read_yaml

    doc = yaml.safe_dump(value, default_flow_style=flow, allow_unicode=True, width=40)
    got, problems = read_yaml(doc.encode("utf-8"), "t.yaml")
    assert problems == []
    assert got == value
