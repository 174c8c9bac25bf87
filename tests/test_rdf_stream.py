"""The streamed RDF export: the old exporter's triples plus the curated fields, in every syntax, and back.

The oracle is the rdflib builder the export used before it streamed
(``rdf_oracle.py``): the streamed N-Triples must hold exactly its triples plus
the curated fields it dropped. Every syntax is read by rdflib and pyoxigraph;
the N-Quads alone rebuild every fact, entity and source; the named graphs hold
what the store contract says; a graph's hash is stable and follows its data.
"""

from __future__ import annotations

import hashlib
import io
import json
import random
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import unquote

import pytest
import rdf_oracle
from conftest import BUNDLED, generate_dataset
from export_support import need_module

import kgraph
from kgraph import exporters
from kgraph.errors import ExportError, UsageError
from kgraph.exporters.rdf import (
    DEFAULT_BASE,
    entity_lines,
    export,
    graph_hash,
    graph_iri,
    source_lines,
    vocabulary_lines,
)
from kgraph.knowledge import KnowledgeGraph
from kgraph.model import Entity, Fact, Relation, Source

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
SCHEMA = "http://schema.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"
KGE, KGV, KGF, KGSRC = (DEFAULT_BASE + part for part in ("entity/", "vocab#", "fact/", "source/"))

NASTY = 'quote "in" it \\ back\nslash\r\n\ttab é Ж 😀 \u2028 \x85 ]]> <&>'

Term = tuple[str, ...]
Triple = tuple[Term, Term, Term]


def build_trusty() -> KnowledgeGraph:
    """A graph built in code with every curated field set somewhere, shared truthy triples and nasty text."""
    relations = [
        Relation("cooperates", "co-operates", 1, "Root."),
        Relation("supports", "supports", 1, 'Backs "x".', parent="cooperates", inverse="supported_by"),
        Relation("partners", "partners with", 1, "", parent="cooperates", symmetric=True),
        Relation("leads", "leads", 0, "Leads.", acts_for=True, inverse="led_by"),
    ]
    entities = [
        Entity("a", "Alpha " + NASTY, "country", "A country\nwith two lines.", aliases=("Zed", "Alf")),
        Entity("b", "Beta", "Country", ""),
        Entity("c d/ü", "Gamma", "entity", "Named oddly.", aliases=(NASTY,)),
    ]
    sources = [
        Source("one", "First " + NASTY, "2021-12", "/d/one.txt", "/d/sources/one.yaml", url="https://x.org/a b"),
        Source("two/2", "Second", None, "/d/two.txt", "/d/sources/two.yaml", publisher="P", author="Au"),
        Source("empty", "No facts", "2020", "/d/e.txt", "/d/sources/empty.yaml"),
    ]
    facts = [
        Fact("f1", "a", "supports", "b", 1, NASTY, "one", date="2021", line=7, modality="intended",
             qualifiers=(("zeta", "1"), ("alpha", NASTY)), disputes=("f4", "f2"), implicit="object"),
        Fact("f4", "c d/ü", "leads", "a", 0, "Gamma leads.", "one", date="2021-02-03", line=20, modality="denied",
             disputes=("f1",)),
        Fact("f2", "a", "supports", "b", 1, "Again.", "two/2", start="2020-01", end="2021", line=3,
             same_as=("f3",), implicit="both"),
        Fact("f3", "b", "partners", "a", 1, "Partners.", "two/2", date="not a date", line=12,
             qualifiers=(("only", "x"),), according_to="c d/ü", implicit="subject"),
    ]  # fmt: skip
    return KnowledgeGraph(relations, entities, sources, facts)


@pytest.fixture(scope="module")
def trusty() -> KnowledgeGraph:
    return build_trusty()


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeGraph:
    """A 10k-fact dataset from the benchmark's generator, loaded."""
    return kgraph.load(generate_dataset(10_000, tmp_path_factory.mktemp("gen10k") / "data", seed=5))


@pytest.fixture(params=["bundled", "trusty", "generated"])
def any_kg(request: pytest.FixtureRequest) -> KnowledgeGraph:
    kg: KnowledgeGraph = request.getfixturevalue(request.param)
    return kg


def _text(kg: KnowledgeGraph, syntax: str, base: str = DEFAULT_BASE) -> str:
    buffer = io.BytesIO()
    export(kg, buffer, syntax=syntax, base=base)
    return buffer.getvalue().decode("utf-8")


# -- the same triples as the old exporter, plus the curated fields ----------------


def _added(kg: KnowledgeGraph) -> set[Any]:
    """The triples the old exporter dropped, as rdflib terms, made here from the model values."""
    from rdflib import Literal, Namespace, URIRef

    kgv, kgf, kgsrc = Namespace(KGV), Namespace(KGF), Namespace(KGSRC)
    added: set[Any] = set()
    for f in kg.facts:
        st = URIRef(kgf + _q(f.id))
        added.add((st, kgv.modality, Literal(f.modality)))
        added.add((st, kgv.line, Literal(f.line)))
        added |= {(st, kgv.disputes, URIRef(kgf + _q(o))) for o in f.disputes}
        added |= {(st, kgv.sameAs, URIRef(kgf + _q(o))) for o in f.same_as}
        if f.implicit:
            added.add((st, kgv.implicit, Literal(f.implicit)))
        if len(f.qualifiers) > 1:
            added.add((st, kgv.qualifierOrder, Literal(json.dumps([k for k, _ in f.qualifiers], ensure_ascii=False))))
    for s in kg.sources.values():
        added.add((URIRef(kgsrc + _q(s.id)), kgv.fileName, Literal(PurePath(s.path).name)))
    # the order of the vocabulary, of the entities and of each entity's aliases (the store queries rebuild them)
    for n, r in enumerate(kg.relations.values(), 1):
        added.add((URIRef(kgv + _q(r.id)), kgv.position, Literal(n)))
    for n, e in enumerate(kg.entities.values(), 1):
        added.add((URIRef(KGE + _q(e.id)), kgv.position, Literal(n)))
        if len(e.aliases) > 1:
            added.add(
                (URIRef(KGE + _q(e.id)), kgv.aliasOrder, Literal(json.dumps(list(e.aliases), ensure_ascii=False)))
            )
    return added


def _q(ident: str) -> str:
    from urllib.parse import quote

    return quote(ident, safe="")


def test_the_same_triples_as_the_old_exporter_plus_the_curated_fields(any_kg: KnowledgeGraph) -> None:
    need_module("rdflib")
    import rdflib

    old = set(rdf_oracle.graph(any_kg))
    new = set(rdflib.Graph().parse(data=_text(any_kg, "nt"), format="nt"))
    assert old <= new, sorted(old - new)[:5]
    added = _added(any_kg)
    assert new - old == added
    assert {p.rsplit("#", 1)[-1] for _, p, _ in added} <= set(rdf_oracle.ADDED_PROPERTIES)


def test_the_trusty_graph_has_every_added_field(trusty: KnowledgeGraph) -> None:
    """The comparison above would be weak if no fact carried the fields it checks."""
    props = {p.rsplit("#", 1)[-1] for _, p, _ in _added(trusty)}
    assert props == set(rdf_oracle.ADDED_PROPERTIES)


# -- literal forms ------------------------------------------------------------------


def test_literal_forms_are_rdflibs(trusty: KnowledgeGraph) -> None:
    """Escapes and typed literals byte for byte as rdflib's N-Triples serializer writes them."""
    need_module("rdflib")
    text = _text(trusty, "nt")
    want = rdf_oracle.graph(trusty).serialize(format="nt")
    assert set(_lines(want)) <= set(_lines(text))
    assert '"quote \\"in\\" it \\\\ back\\nslash\\r\\n\ttab é Ж 😀 \u2028 \x85 ]]> <&>"' in text
    assert f'"2021-02-03"^^<{XSD}date> .' in text and f'"2020-01"^^<{XSD}gYearMonth> .' in text
    assert f'<{KGF}f3> <{DCTERMS}date> "not a date" .' in text
    assert f'<{KGV}leads> <{KGV}actsFor> "true"^^<{XSD}boolean> .' in text
    assert f'<{KGF}f4> <{KGV}line> "20"^^<{XSD}integer> .' in text


# -- the line API ---------------------------------------------------------------------


def test_graph_iris(trusty: KnowledgeGraph) -> None:
    assert graph_iri("vocabulary") == DEFAULT_BASE + "graph/vocabulary"
    assert graph_iri("entities", base="http://b.org/x") == "http://b.org/x/graph/entities"
    assert graph_iri("source", "two/2") == DEFAULT_BASE + "graph/source/two%2F2"
    assert graph_iri("manifest", base="urn:kg#") == "urn:kg#graph/manifest"
    with pytest.raises(ValueError, match="unknown graph kind"):
        graph_iri("facts")
    with pytest.raises(ValueError, match="needs the source id"):
        graph_iri("source")


def _lines(text: str) -> list[str]:
    """A document's lines, each with its "\\n" (not str.splitlines: U+2028 and U+0085 stay inside literals)."""
    return [line + "\n" for line in text.split("\n")[:-1]]


def _lines_ok(lines: list[str]) -> None:
    assert lines and all(line.endswith(" .\n") for line in lines)
    assert lines == sorted(set(lines))


def test_each_graphs_lines_are_sorted_unique_and_make_up_the_union(trusty: KnowledgeGraph) -> None:
    parts = [list(vocabulary_lines(trusty)), list(entity_lines(trusty))]
    parts += [list(source_lines(trusty, s)) for s in ("empty", "one", "two/2")]
    for lines in parts:
        _lines_ok(lines)
    nt = _lines(_text(trusty, "nt"))
    assert len(nt) == len(set(nt))  # the truthy triple two sources state is written once
    assert set(nt) == {line for lines in parts for line in lines}
    assert sum(map(len, parts)) == len(nt) + 1


def test_graph_hash_is_stable_order_free_and_follows_the_data(trusty: KnowledgeGraph) -> None:
    lines = list(source_lines(trusty, "one"))
    want = hashlib.sha256("\n".join(line.rstrip("\n") for line in lines).encode("utf-8")).hexdigest()
    assert graph_hash(lines) == want == graph_hash(source_lines(trusty, "one"))
    shuffled = lines * 2
    random.Random(1).shuffle(shuffled)
    assert graph_hash(shuffled) == want
    changed = build_trusty()
    facts = [replace(f, quote="Changed.") if f.id == "f4" else f for f in changed.facts]
    changed = KnowledgeGraph(changed.relations.values(), changed.entities.values(), changed.sources.values(), facts)
    assert graph_hash(source_lines(changed, "one")) != want
    for ident in ("two/2", "empty"):
        assert graph_hash(source_lines(changed, ident)) == graph_hash(source_lines(trusty, ident))
    assert graph_hash(entity_lines(changed)) == graph_hash(entity_lines(trusty))
    assert graph_hash(vocabulary_lines(changed, "urn:x/")) != graph_hash(vocabulary_lines(trusty))


# -- every syntax parses, in rdflib and pyoxigraph, to the same graph ------------------


def _oxi(text: str, syntax: str) -> set[tuple[Triple, str]]:
    import pyoxigraph

    fmt = {
        "nt": pyoxigraph.RdfFormat.N_TRIPLES,
        "nq": pyoxigraph.RdfFormat.N_QUADS,
        "turtle": pyoxigraph.RdfFormat.TURTLE,
    }
    out = set()
    for q in pyoxigraph.parse(input=text.encode("utf-8"), format=fmt[syntax]):
        graph = "" if isinstance(q.graph_name, pyoxigraph.DefaultGraph) else q.graph_name.value
        out.add(((_oxi_term(q.subject), _oxi_term(q.predicate), _oxi_term(q.object)), graph))
    return out


def _oxi_term(term: Any) -> Term:
    import pyoxigraph

    if isinstance(term, pyoxigraph.NamedNode):
        return ("iri", term.value)
    assert isinstance(term, pyoxigraph.Literal), term  # no blank node is ever written
    return ("lit", term.value, term.datatype.value, term.language or "")


def _rdflib(text: str, syntax: str) -> set[tuple[Triple, str]]:
    import rdflib

    if syntax == "nq":
        return {((_rl(s), _rl(p), _rl(o)), str(g)) for s, p, o, g in rdf_oracle.rdflib_quads(data=text)}
    g = rdflib.Graph().parse(data=text, format="turtle" if syntax == "turtle" else "nt")
    return {((_rl(s), _rl(p), _rl(o)), "") for s, p, o in g}


def _rl(term: Any) -> Term:
    import rdflib

    if isinstance(term, rdflib.URIRef):
        return ("iri", str(term))
    assert isinstance(term, rdflib.Literal), term
    return ("lit", str(term), str(term.datatype or XSD + "string"), term.language or "")


def _triples(quads: Iterable[tuple[Triple, str]]) -> set[Triple]:
    return {t for t, _ in quads}


@pytest.mark.parametrize(
    ("name", "syntax"),
    [(n, s) for n in ("bundled", "trusty") for s in ("nt", "turtle", "nq")] + [("generated", "nt")],
)
def test_every_syntax_parses_in_rdflib_and_pyoxigraph_to_the_same_graph(
    name: str, syntax: str, request: pytest.FixtureRequest
) -> None:
    need_module("rdflib")
    need_module("pyoxigraph")
    kg: KnowledgeGraph = request.getfixturevalue(name)
    nt = _oxi(_text(kg, "nt"), "nt")
    text = _text(kg, syntax)
    for read in (_oxi, _rdflib):
        got = read(text, syntax)
        assert _triples(got) == _triples(nt), (read.__name__, syntax)


def test_turtle_is_prefixed_grouped_and_headed(trusty: KnowledgeGraph) -> None:
    text = _text(trusty, "turtle")
    assert text.startswith("# kgraph ")
    assert f"@prefix kgv: <{KGV}> ." in text and "@prefix xsd: <" + XSD + "> ." in text
    assert "\nkge:a a kgv:Country, kgv:Entity ;\n" in text
    assert "kgv:hasPolarity 1 ;" in text and "kgv:actsFor true" in text
    assert f"<{KGE}c%20d%2F%C3%BC> a kgv:Entity" not in text  # %XX is a valid prefixed name
    assert "kge:c%20d%2F%C3%BC a kgv:Entity" in text


# -- N-Quads: the named graphs and the round trip --------------------------------------


def _by_graph(quads: set[tuple[Triple, str]]) -> dict[str, set[Triple]]:
    graphs: dict[str, set[Triple]] = {}
    for triple, g in quads:
        graphs.setdefault(g, set()).add(triple)
    return graphs


def test_nquads_named_graphs_hold_what_the_contract_says(trusty: KnowledgeGraph) -> None:
    need_module("pyoxigraph")
    graphs = _by_graph(_oxi(_text(trusty, "nq"), "nq"))
    g = DEFAULT_BASE + "graph/"
    assert set(graphs) == {g + "vocabulary", g + "entities", g + "source/one", g + "source/two%2F2", g + "source/empty"}
    vocab_subjects = {s[1] for s, _, _ in graphs[g + "vocabulary"]}
    assert vocab_subjects == {
        KGV + x for x in ("Entity", "Fact", "Source", *trusty.relations, "supported_by", "led_by")
    }
    entity_subjects = {s[1] for s, _, _ in graphs[g + "entities"]}
    assert entity_subjects == {KGE + "a", KGE + "b", KGE + "c%20d%2F%C3%BC", KGV + "Country", KGV + "EntityType"}
    a_type = (("iri", KGV + "Country"), ("iri", RDF + "type"), ("iri", RDFS + "Class"))
    assert a_type in graphs[g + "entities"]
    truthy = (("iri", KGE + "a"), ("iri", KGV + "supports"), ("iri", KGE + "b"))
    assert truthy in graphs[g + "source/one"] and truthy in graphs[g + "source/two%2F2"]
    for f in trusty.facts:
        graph = graphs[g + "source/" + _q(f.source)]
        st = ("iri", KGF + _q(f.id))
        assert (st, ("iri", DCTERMS + "source"), ("iri", KGSRC + _q(f.source))) in graph
        assert all(t[0] != st for other, ts in graphs.items() if other != g + "source/" + _q(f.source) for t in ts)
    assert {s[1] for s, _, _ in graphs[g + "source/empty"]} == {KGSRC + "empty"}


def _rebuild(quads: set[tuple[Triple, str]]) -> tuple[list[Fact], dict[str, Entity], dict[str, Source]]:
    """Facts (in dataset order), entities and sources from the N-Quads alone."""
    props: dict[str, dict[str, list[Term]]] = {}
    for (s, p, o), _ in quads:
        props.setdefault(s[1], {}).setdefault(p[1], []).append(o)
    facts = [_fact(n) for n in props.values() if ("iri", KGV + "Fact") in n.get(RDF + "type", [])]
    entities = {e.id: e for e in (_entity(k, n) for k, n in props.items() if k.startswith(KGE))}
    sources = {s.id: s for s in (_source(k, n) for k, n in props.items() if k.startswith(KGSRC))}
    file_of = {k: n[KGV + "fileName"][0][1] for k, n in props.items() if k.startswith(KGSRC)}
    facts.sort(key=lambda f: (file_of[KGSRC + _q(f.source)], f.line))
    return facts, entities, sources


def _one(node: dict[str, list[Term]], prop: str) -> str | None:
    values = node.get(prop, [])
    assert len(values) <= 1, (prop, values)
    return values[0][1] if values else None


def _fact(node: dict[str, list[Term]]) -> Fact:
    def local(prop: str, ns: str) -> str:
        value = _one(node, prop)
        assert value is not None and value.startswith(ns)
        return unquote(value[len(ns) :])

    qualifiers = json.loads(_one(node, KGV + "qualifiers") or "{}")
    order = json.loads(_one(node, KGV + "qualifierOrder") or "null") or list(qualifiers)
    according = _one(node, KGV + "accordingTo")
    return Fact(
        id=_one(node, KGV + "factId") or "",
        subject=local(RDF + "subject", KGE),
        relation=local(RDF + "predicate", KGV),
        object=local(RDF + "object", KGE),
        polarity=int(_one(node, KGV + "hasPolarity") or "x"),
        quote=_one(node, KGV + "hasQuote") or "",
        source=local(DCTERMS + "source", KGSRC),
        date=_one(node, DCTERMS + "date"),
        start=_one(node, KGV + "startDate"),
        end=_one(node, KGV + "endDate"),
        according_to=unquote(according[len(KGE) :]) if according else None,
        qualifiers=tuple((k, qualifiers[k]) for k in order),
        modality=_one(node, KGV + "modality") or "",
        disputes=tuple(sorted(unquote(o[1][len(KGF) :]) for o in node.get(KGV + "disputes", []))),
        same_as=tuple(sorted(unquote(o[1][len(KGF) :]) for o in node.get(KGV + "sameAs", []))),
        implicit=_one(node, KGV + "implicit"),
        line=int(_one(node, KGV + "line") or "x"),
    )


def _entity(iri: str, node: dict[str, list[Term]]) -> Entity:
    return Entity(
        id=unquote(iri[len(KGE) :]),
        name=_one(node, RDFS + "label") or "",
        type=_one(node, KGV + "entityType") or "",
        description=_one(node, RDFS + "comment") or "",
        aliases=tuple(sorted(o[1] for o in node.get(SKOS + "altLabel", []))),
    )


def _source(iri: str, node: dict[str, list[Term]]) -> Source:
    return Source(
        id=_one(node, DCTERMS + "identifier") or "",
        title=_one(node, DCTERMS + "title") or "",
        published=_one(node, DCTERMS + "issued"),
        text_path="",
        path=_one(node, KGV + "fileName") or "",
        url=_one(node, SCHEMA + "url"),
        publisher=_one(node, DCTERMS + "publisher"),
        author=_one(node, DCTERMS + "creator"),
    )


def _comparable(f: Fact) -> Fact:
    """What RDF can keep of a fact: several disputes/same_as links are a set there (the reader sorts them)."""
    return replace(f, disputes=tuple(sorted(f.disputes)), same_as=tuple(sorted(f.same_as)))


@pytest.mark.parametrize("name", ["bundled", "trusty", "generated"])
def test_the_nquads_alone_rebuild_every_fact_entity_and_source(name: str, request: pytest.FixtureRequest) -> None:
    need_module("pyoxigraph")
    kg: KnowledgeGraph = request.getfixturevalue(name)
    facts, entities, sources = _rebuild(_oxi(_text(kg, "nq"), "nq"))
    want = [_comparable(f) for f in kg.facts]
    if name == "trusty":  # built in code: its facts are in no file order; the reader's order is (file, line)
        want.sort(key=lambda f: (PurePath(kg.sources[f.source].path).name, f.line))
    assert facts == want
    assert [f.qualifiers for f in facts] == [f.qualifiers for f in want]  # written order, not sorted
    assert entities == {k: replace(e, aliases=tuple(sorted(e.aliases))) for k, e in kg.entities.items()}
    assert sources == {k: replace(s, text_path="", path=PurePath(s.path).name) for k, s in kg.sources.items()}


# -- writing -------------------------------------------------------------------------------


def test_the_suffix_picks_the_syntax_and_the_option_wins(trusty: KnowledgeGraph, tmp_path: Path) -> None:
    for suffix, syntax in ((".nt", "nt"), (".nq", "nq"), (".ttl", "turtle"), (".rdf", "turtle")):
        exporters.export(trusty, "rdf", tmp_path / f"g{suffix}")
        assert (tmp_path / f"g{suffix}").read_text(encoding="utf-8") == _text(trusty, syntax), suffix
    exporters.export(trusty, "rdf", tmp_path / "x.nt", syntax="nq")
    assert (tmp_path / "x.nt").read_text(encoding="utf-8") == _text(trusty, "nq")
    assert exporters.format_for("dump.nq") == "rdf"


def test_text_streams_get_the_same_bytes(trusty: KnowledgeGraph) -> None:
    text = io.StringIO()
    export(trusty, text, syntax="nq")
    assert text.getvalue() == _text(trusty, "nq")


def test_a_dangling_fact_or_a_bad_base_writes_nothing(trusty: KnowledgeGraph, tmp_path: Path) -> None:
    target = tmp_path / "g.nt"
    target.write_text("old", encoding="utf-8")
    broken = KnowledgeGraph(
        trusty.relations.values(),
        trusty.entities.values(),
        trusty.sources.values(),
        [*trusty.facts, Fact("f9", "a", "supports", "nobody", 1, "q", "one")],
    )
    with pytest.raises(ExportError, match="fact 'f9' has object 'nobody', which is not in the graph"):
        export(broken, target)
    with pytest.raises(UsageError, match="is not an IRI prefix"):
        export(trusty, target, base="http://x.org/a b/")
    with pytest.raises(UsageError, match="unknown RDF syntax 'xml'"):
        export(trusty, target, syntax="xml")
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.nt"]


def test_a_failure_half_way_keeps_the_old_file_and_leaves_no_temporary(
    trusty: KnowledgeGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kgraph.exporters import ntriples

    target = tmp_path / "g.nq"
    target.write_text("old", encoding="utf-8")
    real = ntriples._source

    def failing(t: Any, s: Source) -> Any:
        if s.id == "two/2":
            raise OSError(28, "No space left on device")
        return real(t, s)

    monkeypatch.setattr(ntriples, "_source", failing)
    with pytest.raises(ExportError, match="No space left on device"):
        export(trusty, target)
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.nq"]


def test_the_cli_writes_nquads(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from kgraph.cli import app

    out = tmp_path / "g.nq"
    done = CliRunner().invoke(app, ["export", "rdf", "-o", str(out), "--data", str(BUNDLED)])
    assert done.exit_code == 0, done.output
    assert out.read_text(encoding="utf-8") == _text(kgraph.load(BUNDLED), "nq")
    done = CliRunner().invoke(app, ["export", "rdf", "--rdf-syntax", "nq", "--data", str(BUNDLED)])
    assert done.exit_code == 0 and done.stdout == out.read_text(encoding="utf-8")
