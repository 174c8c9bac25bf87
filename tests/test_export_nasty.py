"""Names full of trouble survive every format, or are refused with a clear error before anything is written.

Hypothesis writes tiny datasets whose entity names, aliases, types, descriptions and
quotes mix XML specials, quotes, ``;``, backslashes, emoji, Cyrillic, right-to-left
text, bidi controls, line breaks and control characters; each dataset is loaded by
kgraph and exported to every format, then read back by a real reader of that format.
The XML formats and DOT refuse control characters XML 1.0 cannot hold, and the Neo4j
export refuses aliases that contain its array delimiter; a refusal must leave an
existing file untouched and no temporary file behind.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from export_support import need_dot, need_module, node_read, validate_gexf, validate_graphml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdf_oracle import rdflib_quads
from test_export_neo4j import Store, statements

import kgraph
from kgraph import exporters
from kgraph.errors import DataError, ExportError
from kgraph.exporters.graphml import split_list
from kgraph.exporters.rdf import DEFAULT_BASE
from kgraph.knowledge import KnowledgeGraph

TROUBLE = list("<&>\"';\\ \t\n\r#/%:") + [
    "😀",
    "🇧🇾",
    "Привет",
    "Лукашэнка",
    "שלום",
    "مرحبا",
    "\u200f",
    "\u202e",
    "\u00a0",
    "\x01",
    "\x07",
    "\x1f",
    "\x7f",
    "\u0085",
    "]]>",
    "--",
    "\ufeff",
]
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Mostly text without control characters (so the XML formats are exercised, not just refused),
# sometimes with them.
_clean = st.sampled_from([t for t in TROUBLE if not CONTROL.search(t)]) | st.characters(
    codec="utf-8", exclude_categories=["Cs", "Cc"]
)
_any = st.sampled_from(TROUBLE) | st.characters(codec="utf-8", exclude_categories=["Cs"])
trouble = st.one_of(*[st.lists(_clean, max_size=8).map("".join)] * 9, st.lists(_any, max_size=8).map("".join))


def _write(root: Path, name: str, alias: str, etype: str, description: str, quote: str) -> None:
    (root / "sources").mkdir(parents=True)
    relations = {
        "relations": [
            {"id": "cooperates", "polarity": 1, "description": "Root <&>."},
            {"id": "supports", "parent": "cooperates", "polarity": 1, "description": "Backs."},
        ]
    }
    entities = {
        "entities": [
            {
                "id": "nasty",
                "name": "N " + name,
                "type": etype or "person",
                "aliases": ["A " + alias],
                "description": description or "D",
            },
            {"id": "plain", "name": "Plain", "type": "country", "description": "Plain."},
        ]
    }
    source = {
        "source": {"id": "art", "title": "T " + name, "published": "2021-12", "text": "art.txt"},
        "facts": [
            {"subject": "nasty", "relation": "supports", "object": "plain", "quote": "Q " + quote, "date": "2021"}
        ],
    }
    for rel, data in (("relations.yaml", relations), ("entities.yaml", entities), ("sources/art.yaml", source)):
        (root / rel).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with open(root / "sources" / "art.txt", "w", encoding="utf-8", newline="") as out:
        out.write("Before. Q " + quote + " After.")


def _has_control(kg: KnowledgeGraph) -> bool:
    e, f = kg.entities["nasty"], kg.facts[0]
    texts = [e.name, e.type, e.description, *e.aliases, f.quote, *(s.title for s in kg.sources.values())]
    return any(CONTROL.search(t) for t in texts)


def _dot_unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), text)


def _read_back(fmt: str, path: Path, kg: KnowledgeGraph) -> tuple[str, str, str]:
    """(name of 'nasty', its first alias, the fact's quote) as a real reader of ``fmt`` sees them."""
    if fmt == "graphml":
        import networkx as nx

        validate_graphml(path)
        g = nx.read_graphml(path, force_multigraph=True)
        [(u, _v, d)] = list(g.edges(data=True))
        node = g.nodes[u]
        return node["label"], split_list(node["aliases"])[0], d["quote"]
    if fmt == "gexf":
        from lxml import etree

        validate_gexf(path)
        root = etree.parse(str(path)).getroot()
        ns = {"g": "http://gexf.net/1.3"}
        node = root.find(".//g:node[@id='nasty']", ns)
        alias = node.find("g:attvalues/g:attvalue[@for='2']", ns).get("value")
        edge = root.find(".//g:edge", ns)
        quote = edge.find("g:attvalues/g:attvalue[@for='6']", ns).get("value")
        return node.get("label"), json.loads(alias)[0], quote
    if fmt in ("json", "cytoscape"):
        data = json.loads(path.read_text(encoding="utf-8"))
        if fmt == "json":
            [node] = [n for n in data["nodes"] if n["id"] == "nasty"]
            return node["name"], node["aliases"][0], data["edges"][0]["quote"]
        [node] = [n["data"] for n in data["elements"]["nodes"] if n["data"]["id"] == "nasty"]
        return node["name"], node["aliases"][0], data["elements"]["edges"][0]["data"]["quote"]
    if fmt == "csv":
        nodes = {
            r["Id"]: r
            for r in csv.DictReader(io.StringIO((path / "nodes.csv").read_bytes().decode("utf-8"), newline=""))
        }
        [edge] = list(csv.DictReader(io.StringIO((path / "edges.csv").read_bytes().decode("utf-8"), newline="")))
        return nodes["nasty"]["Label"], split_list(nodes["nasty"]["aliases"])[0], edge["quote"]
    if fmt == "dot":
        done = subprocess.run(
            ["dot", "-Tjson", str(path)], capture_output=True, text=True, encoding="utf-8", timeout=60, check=False
        )
        assert done.returncode == 0, done.stderr
        drawn = json.loads(done.stdout)
        [node] = [o for o in drawn["objects"] if o["name"] == "nasty"]
        # DOT has no alias; line breaks are drawn as line breaks (\r\n and \r become \n)
        return (
            _dot_unescape(node["label"]),
            kg.entities["nasty"].aliases[0],
            _dot_unescape(drawn["edges"][0]["tooltip"]),
        )
    if fmt in RDF_SYNTAXES:
        return _read_rdf(path, RDF_SYNTAXES[fmt])
    if fmt == "neo4j":
        store = Store()
        for s in statements((path / "import.cypher").read_text(encoding="utf-8")):
            store.run(s)
        rows = list(csv.DictReader(io.StringIO((path / "nodes.csv").read_bytes().decode("utf-8"), newline="")))
        [row] = [r for r in rows if r["kgid:ID(KG)"] == "nasty"]
        props = store.nodes["nasty"]["props"]
        assert row["name"] == props["name"] and row["aliases:string[]"].split(";") == props["aliases"]
        [rel] = store.rels.values()
        return props["name"], props["aliases"][0], rel["props"]["quote"]
    raise AssertionError(fmt)


# The RDF export once per syntax: "rdf" is Turtle (its default), the others name theirs.
RDF_SYNTAXES = {"rdf": "turtle", "rdf-nt": "nt", "rdf-nq": "nq"}


def _read_rdf(path: Path, syntax: str) -> tuple[str, str, str]:
    """(name, alias, quote) as rdflib reads them, checked against what pyoxigraph reads."""
    import pyoxigraph
    import rdflib

    if syntax == "nq":
        g = rdflib.Graph()
        for s, p, o, _ in rdflib_quads(path=str(path)):
            g.add((s, p, o))
    else:
        g = rdflib.Graph().parse(path, format=syntax)
    subject = rdflib.URIRef(DEFAULT_BASE + "entity/nasty")
    has_quote = DEFAULT_BASE + "vocab#hasQuote"
    name = str(g.value(subject, rdflib.RDFS.label))
    alias = str(g.value(subject, rdflib.namespace.SKOS.altLabel))
    [quote] = [str(o) for o in g.objects(None, rdflib.URIRef(has_quote))]
    oxi_format = {"turtle": pyoxigraph.RdfFormat.TURTLE, "nt": pyoxigraph.RdfFormat.N_TRIPLES}
    oxi = {
        (str(t.subject.value), str(t.predicate.value)): t.object.value
        for t in pyoxigraph.parse(path=str(path), format=oxi_format.get(syntax, pyoxigraph.RdfFormat.N_QUADS))
    }
    assert oxi[(str(subject), str(rdflib.RDFS.label))] == name
    assert [v for (_, p), v in oxi.items() if p == has_quote] == [quote]
    return name, alias, quote


def _expected(fmt: str, text: str) -> str:
    if fmt == "dot":
        return text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _check_every_format(kg: KnowledgeGraph, folder: Path) -> None:
    e, f = kg.entities["nasty"], kg.facts[0]
    for fmt in [*exporters.names(), *RDF_SYNTAXES]:
        target = folder / f"out-{fmt}"
        target.write_text("old", encoding="utf-8") if fmt not in ("csv", "neo4j") else None
        before = sorted(p.name for p in folder.iterdir())
        try:
            if fmt in RDF_SYNTAXES:
                exporters.export(kg, "rdf", target, syntax=RDF_SYNTAXES[fmt])
            else:
                exporters.export(kg, fmt, target)
        except ExportError as err:
            if fmt in ("graphml", "gexf", "dot"):
                assert _has_control(kg), err
                assert "control character U+" in str(err)
            else:
                assert fmt == "neo4j" and any(";" in a for a in e.aliases), err
                assert "contains ';'" in str(err)
            if fmt not in ("csv", "neo4j"):
                assert target.read_text(encoding="utf-8") == "old"
            assert sorted(p.name for p in folder.iterdir()) == before  # nothing new, no temporary file
            continue
        if fmt in ("graphml", "gexf", "dot"):
            assert not _has_control(kg)
        name, alias, quote = _read_back(fmt, target, kg)
        assert (name, alias, quote) == (_expected(fmt, e.name), e.aliases[0], _expected(fmt, f.quote)), fmt


def _load(root: Path) -> KnowledgeGraph | None:
    try:
        return kgraph.load(root)
    except DataError:
        return None  # a name the loader itself refuses (no letters, colliding alias …)


def _require_readers() -> None:
    need_module("lxml")
    need_module("rdflib")
    need_module("pyoxigraph")
    need_dot()


@settings(
    max_examples=int(os.environ.get("KGRAPH_HYPOTHESIS_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(name=trouble, alias=trouble, etype=trouble, description=trouble, quote=trouble)
def test_nasty_names_survive_every_format_or_are_refused(
    name: str, alias: str, etype: str, description: str, quote: str
) -> None:
    _require_readers()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "data"
        _write(root, name, alias, etype, description, quote)
        kg = _load(root)
        if kg is None:
            return
        out = Path(tmp) / "out"
        out.mkdir()
        _check_every_format(kg, out)


# The same worst cases every run (Hypothesis may not draw them), also through the JavaScript readers.
FIXED = [
    ("<&>\"' 😀 Привет שלום مرحبا \u202e \\ ; # ]]>", 'al;ias \\ "x"', "Q <&> \"quoted\" 'single' 😀 \n line two\r\n"),
    ("bell \x07 and \x01", "alias \x1f", "quote \x02"),
    ("Лукашэнка\u200f", "A", "q\tq  double  space "),
]


@pytest.mark.parametrize(("name", "alias", "quote"), FIXED)
def test_fixed_nasty_names(name: str, alias: str, quote: str, tmp_path: Path) -> None:
    _require_readers()
    root = tmp_path / "data"
    _write(root, name, alias, "person", "D <&>", quote)
    kg = kgraph.load(root)
    assert kg.entities["nasty"].name == "N " + name  # the loader kept it as written
    out = tmp_path / "out"
    out.mkdir()
    _check_every_format(kg, out)
    # the JavaScript readers see the same text
    e, f = kg.entities["nasty"], kg.facts[0]
    seen: dict[str, Any] = {}
    cyjs = out / "out-cytoscape"
    seen["cytoscape"] = node_read("cytoscape", cyjs)[0]
    if not _has_control(kg):
        seen["gexf"] = node_read("gexf", out / "out-gexf")[0]
        seen["graphml"] = node_read("graphml", out / "out-graphml")[0]
    for fmt, got in seen.items():
        assert got["ok"], (fmt, got.get("error"))
        names = {n["attributes"].get("kgid", n["key"]): n["attributes"]["label"] for n in got["nodes"]}
        assert names["nasty"] == e.name, fmt
        assert got["edges"][0]["attributes"]["quote"] == f.quote, fmt


def test_ids_that_are_not_slugs_survive(tmp_path: Path) -> None:
    """A graph built in code may use any ids: the XML formats encode them and keep the original as kgid."""
    from kgraph.model import Entity, Fact, Relation, Source

    _require_readers()
    ids = ["a b/ü", "1st#<&>", "_x_", "über:Ж"]
    rels = [Relation("co op", "co-operates", 1, "")]
    ents = [Entity(i, f"name {i}", "kind of thing", "") for i in ids]
    facts = [
        Fact(f"fact {n} ✓", ids[n], "co op", ids[(n + 1) % len(ids)], 1, f"q{n}", "src/1", date="2021")
        for n in range(len(ids))
    ]
    kg = KnowledgeGraph(rels, ents, [Source("src/1", "S", "2021", "", "")], facts)
    for fmt in exporters.names():
        exporters.export(kg, fmt, tmp_path / f"out-{fmt}")
    validate_graphml(tmp_path / "out-graphml")
    validate_gexf(tmp_path / "out-gexf")
    for fmt, path in (("graphml", "out-graphml"), ("gexf", "out-gexf")):
        [seen] = node_read(fmt, tmp_path / path)
        assert seen["ok"], seen.get("error")
        assert sorted(n["attributes"]["kgid"] for n in seen["nodes"]) == sorted(ids)
        assert sorted(e["attributes"]["kgid"] for e in seen["edges"]) == sorted(f.id for f in facts)
        assert all(re.fullmatch(r"[A-Za-z0-9._-]+", n["key"]) for n in seen["nodes"])
    import rdflib

    g = rdflib.Graph().parse(tmp_path / "out-rdf", format="turtle")
    labels = {str(o) for o in g.objects(None, rdflib.RDFS.label)}
    assert {f"name {i}" for i in ids} <= labels
    store = Store()
    for s in statements((tmp_path / "out-neo4j" / "import.cypher").read_text(encoding="utf-8")):
        store.run(s)
    assert sorted(store.nodes) == sorted(ids) and len(store.rels) == len(facts)
    done = subprocess.run(
        ["dot", "-Tjson", str(tmp_path / "out-dot")],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert sorted(e["id"] for e in json.loads(done.stdout)["edges"]) == sorted(f.id for f in facts)
