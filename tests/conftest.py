"""Shared fixtures: small datasets written on the fly, a small graph built in code, the bundled data.

``make_dataset`` writes a dataset folder whose files the test chooses; every
file not given gets a small valid default, so a test that wants to break one
rule writes only the file that breaks it. The default files are short and
their layout fixed, so tests can assert exact ``file:line:column`` positions:
in the source file, the first fact item starts on line ``FACTS_LINE``.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

import kgraph
from kgraph.errors import Problem
from kgraph.knowledge import KnowledgeGraph
from kgraph.model import Entity, Fact, Relation, Source

REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "data"

RELATIONS = """\
relations:
  - id: cooperates
    polarity: 1
    description: Root of cooperation.
  - id: supports
    parent: cooperates
    inverse: supported_by
    polarity: 1
    description: Backs another actor.
  - id: partners_with
    parent: cooperates
    symmetric: true
    polarity: 1
    description: A partnership, both ways.
  - id: opposes
    polarity: -1
    description: Root of conflict.
  - id: sanctions
    parent: opposes
    inverse: sanctioned_by
    polarity: -1
    description: Imposes sanctions.
  - id: structural
    polarity: 0
    description: Root of structure.
  - id: leads
    parent: structural
    inverse: led_by
    acts_for: true
    polarity: 0
    description: Leads a country.
"""

ENTITIES = """\
entities:
  - id: alphaland
    name: Alphaland
    type: country
    aliases: [Alpha, Republic of Alphaland]
    description: A country.
  - id: betaland
    name: Betaland
    type: country
    description: Another country.
  - id: gamma-leader
    name: Gamma Leader
    type: person
    aliases: [Gamma]
    description: Leader of Alphaland.
"""

TEXT = (
    "Alphaland backs Betaland.\n"
    "Betaland thanked Alphaland for its \u201csteady\u201d support \u2014 warmly.\n"
    "Gamma Leader, who leads Alphaland, said:   \u2018we stand together\u2019.\n"
    "Later, Alphaland sanctioned nobody.\n"
)

SOURCE_ID = "art"
SOURCE_HEAD = f"""\
source:
  id: {SOURCE_ID}
  title: A test article
  published: 2021-12
  text: {SOURCE_ID}.txt
facts:
"""
FACTS_LINE = SOURCE_HEAD.count("\n") + 1  # the line the first fact item starts on

FACTS = """\
  - subject: alphaland
    relation: supports
    object: betaland
    quote: Alphaland backs Betaland.
    date: 2021
  - subject: gamma-leader
    relation: leads
    object: alphaland
    quote: Gamma Leader, who leads Alphaland
"""

MakeDataset = Callable[..., Path]

# Under CI a skipped test fails with its reason (see ci_skips.py): CI has every reader installed.
# stores.py starts real SPARQL servers (Oxigraph, Virtuoso) for the store tests.
pytest_plugins = ["ci_skips", "stores"]

# Hypothesis profiles. `default` keeps the property and fuzz tests quick and reproducible (a fixed seed);
# `fuzz` is the long run: HYPOTHESIS_PROFILE=fuzz pytest tests/test_fuzz.py tests/test_properties.py
# Tests that set max_examples themselves keep it; hangs are caught by the tests' own time limits, not deadlines.
settings.register_profile("default", max_examples=25, deadline=None, derandomize=True, print_blob=True)
settings.register_profile(
    "fuzz",
    max_examples=5_000,
    deadline=None,
    derandomize=False,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def write_dataset(
    root: Path,
    *,
    relations: str | None = None,
    entities: str | None = None,
    facts: str | None = None,
    source: str | None = None,
    text: str | None = None,
    source_id: str = SOURCE_ID,
    files: dict[str, str] | None = None,
) -> Path:
    """Write a dataset folder under ``root`` and return it.

    ``relations``/``entities``: whole files; ``facts``: the items under
    ``facts:`` (appended to the default source header); ``source``: the whole
    source file instead; ``text``: the article text; ``files``: more files
    (relative path -> content). Text is dedented.
    """
    root.mkdir(parents=True, exist_ok=True)
    (root / "sources").mkdir(exist_ok=True)
    (root / "relations.yaml").write_text(_d(relations) if relations is not None else RELATIONS, encoding="utf-8")
    (root / "entities.yaml").write_text(_d(entities) if entities is not None else ENTITIES, encoding="utf-8")
    if source is None:
        body = textwrap.indent(_d(facts), "  ") if facts is not None else FACTS
        source = SOURCE_HEAD + body
    else:
        source = _d(source)
    (root / "sources" / f"{source_id}.yaml").write_text(source, encoding="utf-8")
    (root / "sources" / f"{source_id}.txt").write_text(text if text is not None else TEXT, encoding="utf-8")
    for rel, content in (files or {}).items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_d(content), encoding="utf-8")
    return root


def _d(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


@pytest.fixture
def make_dataset(tmp_path: Path) -> MakeDataset:
    """``make_dataset(relations=…, entities=…, facts=…, source=…, text=…)`` → the dataset folder."""
    counter = iter(range(1000))

    def make(**kwargs: object) -> Path:
        return write_dataset(tmp_path / f"data{next(counter)}", **kwargs)  # type: ignore[arg-type]

    return make


def problems_of(root: Path) -> tuple[list[Problem], list[Problem]]:
    """The errors and warnings ``kgraph.check`` reports for a dataset folder."""
    _, report = kgraph.check(root)
    return report.errors, report.warnings


# -- a small graph built in code -----------------------------------------------
#
#   xi --leads--> china --partners_with(sym)--> belarus <--sanctions-- usa
#   xi --congratulates--> luka --leads--> belarus
#   russia --supports--> belarus ; belarus --meets_with(sym)--> kazakhstan
#   amb --represents--> china ; amb --welcomes--> belarus
#   usa --accuses--> luka ; eu --sanctions--> luka ; island (no facts)


def _rel(id: str, polarity: int, parent: str | None = None, **kw: object) -> Relation:
    return Relation(id=id, label=id.replace("_", " "), polarity=polarity, description=f"{id}.", parent=parent, **kw)  # type: ignore[arg-type]


SMALL_RELATIONS = [
    _rel("cooperates", 1),
    _rel("supports", 1, "cooperates", inverse="supported_by"),
    _rel("congratulates", 1, "supports", inverse="congratulated_by"),
    _rel("welcomes", 1, "supports", inverse="welcomed_by"),
    _rel("partners_with", 1, "cooperates", symmetric=True),
    _rel("meets_with", 1, "cooperates", symmetric=True),
    _rel("opposes", -1),
    _rel("sanctions", -1, "opposes", inverse="sanctioned_by"),
    _rel("accuses", -1, "opposes", inverse="accused_by"),
    _rel("structural", 0),
    _rel("leads", 0, "structural", inverse="led_by", acts_for=True),
    _rel("represents", 0, "structural", inverse="represented_by", acts_for=True),
]

SMALL_ENTITIES = [
    Entity("china", "China", "country", "A country.", ("Beijing", "PRC")),
    Entity("belarus", "Belarus", "country", "A country.", ("Minsk",)),
    Entity("russia", "Russia", "country", "A country."),
    Entity("usa", "United States", "country", "A country.", ("US", "America")),
    Entity("eu", "European Union", "organisation", "A bloc."),
    Entity("kazakhstan", "Kazakhstan", "country", "A country."),
    Entity("xi", "Xi Jinping", "person", "Leader of China."),
    Entity("luka", "Alexander Lukashenko", "person", "Leader of Belarus.", ("Lukashenka", "Łukaszenka")),
    Entity("amb", "Xie Xiaoyong", "person", "Chinese ambassador."),
    Entity("island", "Lonely Island", "place", "Nothing happens here."),
]

# (id, subject, relation, object, date)
SMALL_FACTS = [
    ("f-xi-leads", "xi", "leads", "china", None),
    ("f-luka-leads", "luka", "leads", "belarus", None),
    ("f-amb-repr", "amb", "represents", "china", None),
    ("f-partners", "china", "partners_with", "belarus", "2013"),
    ("f-congrats", "xi", "congratulates", "luka", "2020-08"),
    ("f-welcomes", "amb", "welcomes", "belarus", "2021-12"),
    ("f-ru-supports", "russia", "supports", "belarus", "2021"),
    ("f-meets", "belarus", "meets_with", "kazakhstan", "2021-06-01"),
    ("f-us-sanctions", "usa", "sanctions", "belarus", "2021-12-02"),
    ("f-us-accuses", "usa", "accuses", "luka", "2021-11"),
    ("f-eu-sanctions", "eu", "sanctions", "luka", "2021-12-02"),
]


def build_small() -> KnowledgeGraph:
    source = Source(
        id="news", title="News", published="2021-12", text_path="/nonexistent/news.txt", path="/nonexistent/news.yaml"
    )
    facts = [
        Fact(
            id=i,
            subject=s,
            relation=r,
            object=o,
            polarity=next(x.polarity for x in SMALL_RELATIONS if x.id == r),
            quote=f"{s} {r} {o}",
            source="news",
            date=d,
            line=n + 1,
        )
        for n, (i, s, r, o, d) in enumerate(SMALL_FACTS)
    ]
    return KnowledgeGraph(SMALL_RELATIONS, SMALL_ENTITIES, [source], facts)


@pytest.fixture
def small() -> KnowledgeGraph:
    """The small graph above, built from model values (no files)."""
    return build_small()


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Loads during the tests use a cache folder of their own, never the user's ~/.cache/kgraph."""
    before = os.environ.get("KGRAPH_CACHE_DIR")
    os.environ["KGRAPH_CACHE_DIR"] = str(tmp_path_factory.mktemp("kgraph-cache"))
    yield
    if before is None:
        os.environ.pop("KGRAPH_CACHE_DIR", None)
    else:
        os.environ["KGRAPH_CACHE_DIR"] = before


@pytest.fixture(scope="session")
def bundled() -> KnowledgeGraph:
    """The bundled dataset, loaded once for the session."""
    return kgraph.load(BUNDLED)


@pytest.fixture
def no_kgraph_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The caller's KGRAPH_DATA, KGRAPH_DEBUG and COLUMNS must not leak into a test of the default dataset or
    of the CLI's output (a module uses it with ``pytestmark = pytest.mark.usefixtures("no_kgraph_env")``)."""
    for name in ("KGRAPH_DATA", "KGRAPH_DEBUG", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)
    yield


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh cache folder of this test's own, with no KGRAPH_NO_CACHE or KGRAPH_DATA leaking in."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("KGRAPH_CACHE_DIR", str(folder))
    monkeypatch.delenv("KGRAPH_NO_CACHE", raising=False)
    monkeypatch.delenv("KGRAPH_DATA", raising=False)
    return folder


def generate_dataset(facts: int, root: Path, seed: int) -> Path:
    """A synthetic dataset of ``facts`` facts written to ``root`` by the benchmark's generator."""
    name = "kgraph_bench_generate"
    module = sys.modules.get(name)
    if module is None:
        spec = importlib.util.spec_from_file_location(name, REPO / "bench" / "generate.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # registered before it runs, as dataclasses look their module up there
        spec.loader.exec_module(module)
    module.generate(facts, root, seed=seed, quiet=True)
    return root
