"""Random valid datasets load, and survive model → YAML → model unchanged (kgraph.yamlwrite).

Hypothesis builds datasets as model values: a relation vocabulary with a
hierarchy, symmetric relations, inverse names and acts-for relations;
entities with aliases whose names never collide; sources with an article
text; facts whose quotes are runs of words of that text, dated by full or
partial dates or (open) intervals, with qualifiers and ``according_to``, a
modality, ``implicit``, sometimes a curator ``id``, and ``disputes`` and
``same_as`` references to earlier facts (of any source).
Free text mixes YAML look-alikes (``no``, ``2021``, ``1.0``, ``null``),
line breaks of every kind, control characters, quotes, emoji, Cyrillic and
right-to-left script. Each dataset is written with
:func:`kgraph.yamlwrite.dump_dataset`, loaded, and compared field by field;
written again, it gives the same bytes.

Run longer: HYPOTHESIS_PROFILE=fuzz pytest tests/test_properties.py
"""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

import pytest
from conftest import BUNDLED
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kgraph
from kgraph import cache, dates
from kgraph.errors import ExportError
from kgraph.knowledge import KnowledgeGraph
from kgraph.loader import fact_id
from kgraph.loading.facts import IMPLICIT
from kgraph.loading.quotes import normalise_text
from kgraph.model import MODALITIES, Entity, Fact, Relation, Source
from kgraph.suggest import fold
from kgraph.validate import ENTITY_TYPES
from kgraph.yamlread import read_yaml
from kgraph.yamlwrite import dump_dataset, dumps

# -- strategies -------------------------------------------------------------------------------------

LOOKALIKES = [
    "no",
    "yes",
    "No",
    "off",
    "on",
    "true",
    "false",
    "2021",
    "2021-12-03",
    "1.0",
    "1e3",
    "0x1f",
    "0o17",
    "null",
    "Null",
    "~",
    ".inf",
    "-.nan",
    "- a",
    "? b",
    ": c",
    "#d",
    "&e",
    "*f",
    "!g",
    "|",
    ">",
    "'",
    '"',
    "@",
    "`",
    "%h",
    "{i}",
    "[j]",
    "k: v",
    "l #m",
    " lead",
    "trail ",
    "a\nb",
    "a \n b",
    "\r\n",
    "x\x85y",
    "x\u2028y",
    "\u2029",
    "\t",
    "tab\there",
    "\x00",
    "\x1b[31m",
    "\ufeffbom",
    "\x7f",
    "…",
    "—",
    "«»",
]
SCRIPTS = ["Привет", "Лукашэнка", "שלום", "مرحبا", "中文", "😀", "🇧🇾", "\u202e", "\u200f", "é", "Łódź", "ß"]
_char = st.characters(codec="utf-8", exclude_categories=["Cs"])
_free = st.one_of(
    st.sampled_from(LOOKALIKES),
    st.lists(st.sampled_from(LOOKALIKES + SCRIPTS) | _char, min_size=1, max_size=6).map("".join),
    st.text(_char, min_size=1, max_size=20),
)
text = _free.filter(lambda s: s.strip() != "")  # kgraph refuses blank text fields

# Words of article texts: no combining marks (a quote cut before one would not match the composed text).
_WORD_CHARS = list("abcdefghijklmnopqrstuvwxyzABCDEFXYZ0123456789'\"-&<>") + list("’‘“”–—…éßłŁЖжябвש中😀") + ["\u00ad"]
word = (
    st.lists(st.sampled_from(_WORD_CHARS), min_size=1, max_size=8)
    .map("".join)
    .filter(lambda w: normalise_text(w) != "")
)
gap = st.sampled_from([" ", " ", " ", "  ", "\n", "\u00a0", "\t", " \n  "])

snake = st.from_regex(r"[a-z][a-z0-9]{0,5}(_[a-z0-9]{1,3}){0,2}", fullmatch=True)
slug = st.from_regex(r"[a-z0-9]{1,6}(-[a-z0-9]{1,4}){0,2}", fullmatch=True)


@st.composite
def iso_date(draw: st.DrawFn) -> str:
    d = draw(st.dates())
    return d.isoformat()[: draw(st.sampled_from([4, 7, 10]))]


@st.composite
def relations(draw: st.DrawFn) -> list[Relation]:
    ids = draw(st.lists(snake, min_size=1, max_size=8, unique=True))
    out: list[Relation] = []
    inverse_names: set[str] = set()
    for ident in ids:
        parent = draw(st.none() | st.sampled_from(out)) if out else None
        polarity = parent.polarity if parent is not None else draw(st.sampled_from([1, -1, 0]))
        symmetric = draw(st.booleans())
        inverse = None
        if not symmetric and draw(st.booleans()):
            inverse = draw(
                st.one_of(snake.map(lambda s: s + "_by"), text).filter(
                    lambda n: n not in ids and n not in inverse_names
                )
            )
            inverse_names.add(inverse)
        out.append(
            Relation(
                id=ident,
                label=draw(text),
                polarity=polarity,
                description=draw(text),
                parent=parent.id if parent is not None else None,
                symmetric=symmetric,
                inverse=inverse,
                acts_for=draw(st.booleans()),
            )
        )
    return draw(st.permutations(out))  # a child may come before its parent in the file


@st.composite
def entities(draw: st.DrawFn) -> list[Entity]:
    ids = draw(st.lists(slug, min_size=1, max_size=8, unique=True))
    taken: set[str] = set()
    out: list[Entity] = []
    for ident in ids:
        taken.add(fold(ident))
    for ident in ids:
        own = {fold(ident)}

        def free(name: str, own: set[str] = own) -> bool:
            key = fold(name)
            return key != "" and (key in own or key not in taken)

        name = draw(text.filter(free))
        own.add(fold(name))
        taken.add(fold(name))
        aliases = []
        for alias in draw(st.lists(text.filter(free), max_size=3)):
            aliases.append(alias)
            own.add(fold(alias))
            taken.add(fold(alias))
        etype = draw(st.sampled_from(ENTITY_TYPES) | text)
        out.append(Entity(id=ident, name=name, type=etype, description=draw(text), aliases=tuple(aliases)))
    return out


@st.composite
def when(draw: st.DrawFn) -> dict[str, str]:
    kind = draw(st.sampled_from(["none", "date", "start", "end", "interval"]))
    if kind == "none":
        return {}
    if kind in ("date", "start", "end"):
        return {kind: draw(iso_date())}
    a, b = draw(iso_date()), draw(iso_date())
    if dates.period(a)[0] > dates.period(b)[1]:
        a, b = b, a
    return {"start": a, "end": b}


@st.composite
def datasets(draw: st.DrawFn) -> tuple[KnowledgeGraph, dict[str, str]]:
    """A valid dataset as model values, and its article texts (source id → text)."""
    rels = draw(relations())
    ents = draw(entities())
    source_ids = sorted(draw(st.lists(slug, min_size=1, max_size=3, unique=True)), key=lambda s: s + ".yaml")
    sources: list[Source] = []
    facts: list[Fact] = []
    texts: dict[str, str] = {}
    curator_ids: set[str] = set()
    for sid in source_ids:
        words = draw(st.lists(word, min_size=1, max_size=30))
        gaps = draw(st.lists(gap, min_size=len(words), max_size=len(words)))
        starts, body = [], ""
        for w, g in zip(words, gaps, strict=True):
            starts.append(len(body))
            body += w + g
        texts[sid] = draw(st.sampled_from(["", "Intro. ", "“Quoted” — "])) + body
        offset = len(texts[sid]) - len(body)
        optional = {k: draw(st.none() | text) for k in ("url", "publisher", "author")}
        sources.append(
            Source(id=sid, title=draw(text), published=draw(st.none() | iso_date()), text_path="", path="", **optional)
        )
        seen: set[str] = set()
        for _ in range(draw(st.integers(0, 6))):
            i = draw(st.integers(0, len(words) - 1))
            j = draw(st.integers(i, min(len(words) - 1, i + 6)))
            raw = texts[sid][offset + starts[i] : offset + starts[j] + len(words[j])]
            quote = draw(st.sampled_from([raw, " ".join(words[i : j + 1]), "  " + raw + "\n"]))
            rel = draw(st.sampled_from(rels))
            subject, obj = draw(st.sampled_from(ents)).id, draw(st.sampled_from(ents)).id
            according = draw(st.none() | st.sampled_from(ents).map(lambda e: e.id))
            time = draw(when())
            qualifiers = tuple(draw(st.dictionaries(text, _free | st.just(""), max_size=3)).items())
            a, b = sorted((subject, obj)) if rel.symmetric else (subject, obj)
            stamp = time.get("date") or (f"{time.get('start', '')}/{time.get('end', '')}" if time else "")
            ident = fact_id(sid, a, rel.id, b, stamp, quote)
            if ident in seen:  # the loader refuses the same fact twice in one source
                continue
            seen.add(ident)
            curator = draw(st.none() | slug.map(lambda s: "c-" + s))  # ("c-": never the computed form)
            if curator in curator_ids:
                curator = None
            if curator is not None:
                curator_ids.add(curator)
            disputes, same_as = draw(references([f.id for f in facts]))
            facts.append(
                Fact(
                    id=curator or ident,
                    subject=subject,
                    relation=rel.id,
                    object=obj,
                    polarity=rel.polarity,
                    quote=quote,
                    source=sid,
                    date=time.get("date"),
                    start=time.get("start"),
                    end=time.get("end"),
                    according_to=according,
                    qualifiers=qualifiers,
                    modality=draw(st.sampled_from(MODALITIES)),
                    disputes=disputes,
                    same_as=same_as,
                    implicit=draw(st.none() | st.sampled_from(IMPLICIT)),
                )
            )
    return KnowledgeGraph(rels, ents, sources, facts), texts


@st.composite
def references(draw: st.DrawFn, earlier: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``disputes`` and ``same_as`` of a new fact: ids of earlier facts (so ``same_as`` never makes a
    cycle), none in both (a fact cannot be the same claim as one it disputes)."""
    if not earlier:
        return (), ()
    picked = draw(st.lists(st.sampled_from(earlier), max_size=3, unique=True))
    split = draw(st.integers(0, len(picked)))
    return tuple(picked[:split]), tuple(picked[split:])


# -- comparing graphs field by field ------------------------------------------------------------------


def _same_graph(got: KnowledgeGraph, want: KnowledgeGraph) -> None:
    """Equal relations, entities, sources and facts (in order), apart from file positions and paths."""
    assert list(got.relations) == list(want.relations)
    for key, r in want.relations.items():
        assert dataclasses.asdict(got.relations[key]) == dataclasses.asdict(r)
    assert list(got.entities) == list(want.entities)
    for key, e in want.entities.items():
        assert dataclasses.asdict(got.entities[key]) == dataclasses.asdict(e)
    assert list(got.sources) == list(want.sources)
    for key, s in want.sources.items():
        assert dataclasses.replace(got.sources[key], path="", text_path="") == dataclasses.replace(
            s, path="", text_path=""
        )
    assert [dataclasses.replace(f, line=0) for f in got.facts] == [dataclasses.replace(f, line=0) for f in want.facts]


def _tree(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


# -- properties ----------------------------------------------------------------------------------------


@settings(
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ]
)
@given(datasets())
def test_random_valid_datasets_load_and_round_trip(
    tmp_path_factory: pytest.TempPathFactory, case: tuple[KnowledgeGraph, dict[str, str]]
) -> None:
    kg, texts = case
    first = tmp_path_factory.mktemp("rt")
    dump_dataset(kg, first, texts=texts)
    loaded, report = kgraph.check(first)
    assert report.errors == []
    assert loaded is not None
    _same_graph(loaded, kg)
    for s in loaded.sources.values():  # the text file beside the source holds the text, byte for byte
        assert Path(s.text_path).read_bytes() == texts[s.id].encode("utf-8")
    for _ in ("written to the cache", "read from it"):
        cached = kgraph.load(first)
        assert cache.load_cached(first) is not None
        _same_graph(cached, loaded)
        assert [f.line for f in cached.facts] == [f.line for f in loaded.facts]
    again = tmp_path_factory.mktemp("rt")
    dump_dataset(loaded, again)  # texts copied from the loaded sources' files
    assert _tree(again) == _tree(first)  # deterministic: the same graph gives the same bytes


def test_the_bundled_dataset_round_trips(tmp_path: Path) -> None:
    kg = kgraph.load(BUNDLED, cache=False)
    written = dump_dataset(kg, tmp_path / "copy")
    assert {p.name for p in written} >= {"relations.yaml", "entities.yaml"}
    again = kgraph.load(tmp_path / "copy", cache=False)
    _same_graph(again, kg)
    assert [f.id for f in again.facts] == [f.id for f in kg.facts]
    assert len(again.facts) == len(kg.facts) > 0
    dump_dataset(again, tmp_path / "copy2")
    assert _tree(tmp_path / "copy2") == _tree(tmp_path / "copy")


@given(st.lists(_free | st.sampled_from(LOOKALIKES), max_size=8))
def test_written_strings_read_back_as_the_same_strings(values: list[str]) -> None:
    doc = {"k": values, **{f"q{i}": v for i, v in enumerate(values)}, **{v: "key" for v in values}}
    got, problems = read_yaml(dumps(doc), "t.yaml")
    assert problems == []
    assert got == doc


def test_look_alikes_are_quoted() -> None:
    out = dumps({"v": ["no", "2021", "1.0", "null", "", "true", "~"]}).decode()
    assert out == "v:\n- 'no'\n- '2021'\n- '1.0'\n- 'null'\n- ''\n- 'true'\n- '~'\n"
    got, _ = read_yaml(out, "t.yaml")
    assert got == {"v": ["no", "2021", "1.0", "null", "", "true", "~"]}


def test_a_source_whose_text_cannot_be_read_is_refused_before_writing(tmp_path: Path) -> None:
    kg = kgraph.load(BUNDLED, cache=False)
    s = next(iter(kg.sources.values()))
    broken = KnowledgeGraph(
        list(kg.relations.values()),
        list(kg.entities.values()),
        [dataclasses.replace(s, text_path=str(tmp_path / "gone.txt"))],
        kg.facts,
    )
    with pytest.raises(ExportError, match="cannot be read"):
        dump_dataset(broken, tmp_path / "out")
    assert not (tmp_path / "out" / "relations.yaml").exists()


# (command, options, names): names go after "--", as a name may start with "-" (an alias "- a" is no option)
COMMANDS = [
    ("who-supports", [], ["{a}"]),
    ("who-opposes", [], ["{a}"]),
    ("neighbours", ["--depth", "2"], ["{a}"]),
    ("entity", [], ["{a}"]),
    ("path", [], ["{a}", "{b}"]),
    ("facts", [], []),
    ("relations", [], []),
    ("stats", [], []),
    ("validate", [], []),
    ("explain", [], ["{a}", "{b}"]),
    ("timeline", [], ["{a}"]),
    ("blocs", [], []),
    ("balance", [], []),
    ("ambivalent", [], []),
    ("rank", [], []),
]


@settings(
    max_examples=max(5, settings().max_examples // 5),
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)
@given(case=datasets(), data=st.data())
def test_every_query_command_answers_random_valid_datasets(
    tmp_path_factory: pytest.TempPathFactory, case: tuple[KnowledgeGraph, dict[str, str]], data: st.DataObject
) -> None:
    """Names as curators write them (any id, name or alias), in every output format: an answer, or a clean refusal."""
    from typer.testing import CliRunner

    from kgraph.cli import app

    kg, texts = case
    root = tmp_path_factory.mktemp("cli")
    dump_dataset(kg, root, texts=texts)
    entities = list(kg.entities.values())
    picked = data.draw(st.sampled_from(entities))
    a = data.draw(st.sampled_from([picked.id, picked.name, *picked.aliases]), label="name")
    b = data.draw(st.sampled_from(entities), label="other").id
    fmt = data.draw(st.sampled_from(["table", "csv", "json"]), label="format")
    runner = CliRunner()
    for command, options, names in COMMANDS:
        args = [command, *options, "--data", str(root), "--format", fmt, "--", *(n.format(a=a, b=b) for n in names)]
        result = runner.invoke(app, args)
        assert "Traceback" not in result.output
        assert result.exit_code in (0, 2, 5), (args, fmt, result.output)  # 2: a path from X to X; 5: no path
        if result.exit_code:
            assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
