"""Neo4j: import CSV headers per the neo4j-admin format; the Cypher script is idempotent.

No server is needed: the script is split into statements and each is parsed. Every
statement must be a constraint or an ``UNWIND <literal> AS row … MERGE`` of one of two
shapes; the tiny interpreter below runs those shapes on an in-memory graph, twice, and
the second run must create nothing.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any, ClassVar

import pytest

from kgraph import exporters
from kgraph.errors import ExportError
from kgraph.exporters.neo4j import IMPORT_COMMAND, label_for, type_for
from kgraph.knowledge import KnowledgeGraph
from kgraph.model import Entity

FIELD_TYPES = {
    "int",
    "long",
    "float",
    "double",
    "boolean",
    "byte",
    "short",
    "char",
    "string",
    "point",
    "date",
    "localtime",
    "time",
    "localdatetime",
    "datetime",
    "duration",
    "vector",
}


@pytest.fixture
def neo(bundled: KnowledgeGraph, tmp_path: Path) -> Path:
    exporters.export(bundled, "neo4j", tmp_path / "neo")
    return tmp_path / "neo"


# -- CSV ------------------------------------------------------------------------------


def _check_header(header: list[str]) -> None:
    for field in header:
        if re.fullmatch(r":(LABEL|TYPE|START_ID\(KG\)|END_ID\(KG\))", field):
            continue
        m = re.fullmatch(r"([A-Za-z_][A-Za-z0-9_]*)(?::(ID\(KG\)|[a-z]+(\[\])?))?", field)
        assert m, f"bad header field {field!r}"
        if m.group(2) and not m.group(2).startswith("ID("):
            assert m.group(2).removesuffix("[]") in FIELD_TYPES, field


def test_csv_headers_and_values_follow_the_import_format(neo: Path, bundled: KnowledgeGraph) -> None:
    nodes = list(csv.reader(io.StringIO((neo / "nodes.csv").read_bytes().decode("utf-8"), newline="")))
    rels = list(csv.reader(io.StringIO((neo / "relationships.csv").read_bytes().decode("utf-8"), newline="")))
    _check_header(nodes[0])
    _check_header(rels[0])
    assert nodes[0][0] == "kgid:ID(KG)" and ":LABEL" in nodes[0]
    assert rels[0][:3] == [":START_ID(KG)", ":END_ID(KG)", ":TYPE"]
    node_rows = [dict(zip(nodes[0], row, strict=True)) for row in nodes[1:]]
    rel_rows = [dict(zip(rels[0], row, strict=True)) for row in rels[1:]]
    assert sorted(r["kgid:ID(KG)"] for r in node_rows) == sorted(bundled.entities)
    for r in node_rows:
        e = bundled.entities[r["kgid:ID(KG)"]]
        assert r["name"] == e.name
        assert r[":LABEL"].split(";") == ["Entity", label_for(e.type)]
        assert (r["aliases:string[]"].split(";") if r["aliases:string[]"] else []) == list(e.aliases)
    assert sorted(r["kgid"] for r in rel_rows) == sorted(f.id for f in bundled.facts)
    ids = {r["kgid:ID(KG)"] for r in node_rows}
    for r in rel_rows:
        f = bundled.facts_by_id[r["kgid"]]
        assert (r[":START_ID(KG)"], r[":END_ID(KG)"], r[":TYPE"]) == (f.subject, f.object, type_for(f.relation))
        assert {r[":START_ID(KG)"], r[":END_ID(KG)"]} <= ids
        assert int(r["polarity:int"]) == f.polarity
        assert r["symmetric:boolean"] in ("true", "false")
        assert r["quote"] == f.quote
        assert "null" not in (r["date"], r["start"], r["end"], r["according_to"])


def test_the_import_command_ships_with_the_files(neo: Path) -> None:
    script = (neo / "import.sh").read_text(encoding="utf-8")
    assert IMPORT_COMMAND in script.splitlines()
    assert IMPORT_COMMAND.startswith(
        "neo4j-admin database import full --nodes=nodes.csv --relationships=relationships.csv"
    )


def test_an_alias_with_the_array_delimiter_is_refused(tmp_path: Path) -> None:
    kg = KnowledgeGraph([], [Entity("a", "A", "person", "", ("x;y",))], [], [])
    with pytest.raises(ExportError, match="alias 'x;y' of entity 'a' contains ';'"):
        exporters.export(kg, "neo4j", tmp_path / "neo")
    assert not (tmp_path / "neo").exists()


def test_labels_and_types_are_cypher_names() -> None:
    assert label_for("armed group") == "ArmedGroup" and label_for("") is None
    assert type_for("seeks_support_from") == "SEEKS_SUPPORT_FROM"


# -- Cypher ----------------------------------------------------------------------------


class Literal:
    """A parser for the Cypher literals the script uses: maps, lists, strings, integers, booleans."""

    ESC: ClassVar[dict[str, str]] = {
        "\\": "\\",
        '"': '"',
        "'": "'",
        "n": "\n",
        "r": "\r",
        "t": "\t",
        "b": "\b",
        "f": "\f",
    }

    def __init__(self, text: str, pos: int) -> None:
        self.text, self.pos = text, pos

    def ws(self) -> None:
        while self.text[self.pos] in " \n\t":
            self.pos += 1

    def value(self) -> Any:
        self.ws()
        c = self.text[self.pos]
        if c == "{":
            return self.mapping()
        if c == "[":
            return self.items()
        if c == '"':
            return self.string()
        m = re.compile(r"-?\d+|true|false").match(self.text, self.pos)
        assert m, self.text[self.pos : self.pos + 40]
        self.pos = m.end()
        token = m.group()
        if token in ("true", "false"):
            return token == "true"
        return int(token)

    def mapping(self) -> dict[str, Any]:
        self.pos += 1
        out: dict[str, Any] = {}
        while True:
            self.ws()
            if self.text[self.pos] == "}":
                self.pos += 1
                return out
            m = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\s*:").match(self.text, self.pos)
            assert m, self.text[self.pos : self.pos + 40]
            self.pos = m.end()
            out[m.group(1)] = self.value()
            self.ws()
            if self.text[self.pos] == ",":
                self.pos += 1

    def items(self) -> list[Any]:
        self.pos += 1
        items: list[Any] = []
        while True:
            self.ws()
            if self.text[self.pos] == "]":
                self.pos += 1
                return items
            items.append(self.value())
            self.ws()
            if self.text[self.pos] == ",":
                self.pos += 1

    def string(self) -> str:
        self.pos += 1
        chars = []
        while self.text[self.pos] != '"':
            ch = self.text[self.pos]
            if ch == "\\":
                nxt = self.text[self.pos + 1]
                if nxt == "u":
                    chars.append(chr(int(self.text[self.pos + 2 : self.pos + 6], 16)))
                    self.pos += 6
                    continue
                chars.append(self.ESC[nxt])
                self.pos += 2
                continue
            chars.append(ch)
            self.pos += 1
        self.pos += 1
        return "".join(chars)


def statements(script: str) -> list[str]:
    """The script split at ``;`` outside string literals, comments dropped."""
    out, current, i, in_string = [], [], 0, False
    while i < len(script):
        c = script[i]
        if in_string:
            current.append(c)
            if c == "\\":
                current.append(script[i + 1])
                i += 2
                continue
            if c == '"':
                in_string = False
        elif c == '"':
            in_string = True
            current.append(c)
        elif script.startswith("//", i):
            i = script.index("\n", i)
            continue
        elif c == ";":
            out.append("".join(current).strip())
            current = []
        else:
            current.append(c)
        i += 1
    assert not "".join(current).strip(), "text after the last statement"
    return out


NAME = r"(\w+|`(?:[^`]|``)+`)"  # a label or type: bare, or backtick-quoted with `` for a backtick
NODE_MERGE = re.compile(r"AS row\nMERGE \(n:Entity \{kgid: row\.kgid\}\) SET n \+= row\.props(?:, n:" + NAME + ")?")
REL_MERGE = re.compile(
    r"AS row\nMATCH \(a:Entity \{kgid: row\.start\}\)\nMATCH \(b:Entity \{kgid: row\.end\}\)\n"
    r"MERGE \(a\)-\[r:" + NAME + r" \{kgid: row\.kgid\}\]->\(b\) SET r \+= row\.props"
)


def unquote(name: str) -> str:
    return name[1:-1].replace("``", "`") if name.startswith("`") else name


class Store:
    """An in-memory graph that runs the script's statement shapes with MERGE semantics."""

    def __init__(self) -> None:
        self.node_keys: set[tuple[str, str]] = set()
        self.rel_keys: set[tuple[str, str]] = set()
        self.nodes: dict[str, dict[str, Any]] = {}
        self.rels: dict[tuple[str, str], dict[str, Any]] = {}
        self.created = 0

    def run(self, statement: str) -> None:
        assert not re.search(r"\b(DELETE|REMOVE|DETACH)\b", statement)
        m = re.fullmatch(
            r"CREATE CONSTRAINT " + NAME + r" IF NOT EXISTS FOR \(n:" + NAME + r"\) REQUIRE n\.(\w+) IS UNIQUE",
            statement,
        )
        if m:
            self.node_keys.add((unquote(m.group(2)), m.group(3)))
            return
        m = re.fullmatch(
            r"CREATE CONSTRAINT "
            + NAME
            + r" IF NOT EXISTS FOR \(\)-\[r:"
            + NAME
            + r"\]-\(\) REQUIRE r\.(\w+) IS UNIQUE",
            statement,
        )
        if m:
            self.rel_keys.add((unquote(m.group(2)), m.group(3)))
            return
        assert statement.startswith("UNWIND "), statement[:80]
        parser = Literal(statement, len("UNWIND "))
        rows = parser.value()
        rest = statement[parser.pos :].strip()
        assert "CREATE" not in rest
        if m := NODE_MERGE.fullmatch(rest):
            assert ("Entity", "kgid") in self.node_keys, "MERGE on an unconstrained key"
            for row in rows:
                if row["kgid"] not in self.nodes:
                    self.created += 1
                    self.nodes[row["kgid"]] = {"labels": {"Entity"}, "props": {"kgid": row["kgid"]}}
                node = self.nodes[row["kgid"]]
                node["props"].update(row["props"])
                if m.group(1):
                    node["labels"].add(unquote(m.group(1)))
            return
        if m := REL_MERGE.fullmatch(rest):
            rel_type = unquote(m.group(1))
            assert (rel_type, "kgid") in self.rel_keys, "MERGE on an unconstrained key"
            for row in rows:
                assert row["start"] in self.nodes and row["end"] in self.nodes  # MATCH finds both ends
                key = (rel_type, row["kgid"])
                if key not in self.rels:
                    self.created += 1
                    self.rels[key] = {"start": row["start"], "end": row["end"], "props": {"kgid": row["kgid"]}}
                self.rels[key]["props"].update(row["props"])
            return
        raise AssertionError(f"unexpected statement: {rest[:200]}")


def test_the_cypher_script_is_idempotent_and_builds_the_graph(neo: Path, bundled: KnowledgeGraph) -> None:
    script = (neo / "import.cypher").read_text(encoding="utf-8")
    store = Store()
    for s in statements(script):
        store.run(s)
    assert store.created == len(bundled.entities) + len(bundled.facts)
    snapshot = repr(sorted(store.nodes.items())) + repr(sorted(store.rels.items()))
    store.created = 0
    for s in statements(script):
        store.run(s)
    assert store.created == 0  # the second run creates nothing
    assert repr(sorted(store.nodes.items())) + repr(sorted(store.rels.items())) == snapshot
    for e in bundled.entities.values():
        node = store.nodes[e.id]
        assert node["props"]["name"] == e.name
        assert node["labels"] == {"Entity", label_for(e.type)}
        assert node["props"].get("aliases", []) == list(e.aliases)
    for f in bundled.facts:
        rel = store.rels[(type_for(f.relation), f.id)]
        assert (rel["start"], rel["end"]) == (f.subject, f.object)
        assert rel["props"]["quote"] == f.quote and rel["props"]["polarity"] == f.polarity
