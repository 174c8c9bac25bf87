"""Gephi spreadsheet CSV (folder and zip) read back with the csv module; DOT rendered by Graphviz."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import zipfile
from pathlib import Path

from export_support import need_dot

from kgraph import exporters
from kgraph.exporters.csv import EDGE_COLUMNS, NODE_COLUMNS
from kgraph.exporters.graphml import split_list
from kgraph.knowledge import KnowledgeGraph


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def _check_tables(nodes_text: str, edges_text: str, kg: KnowledgeGraph) -> None:
    assert nodes_text.splitlines()[0] == ",".join(NODE_COLUMNS)
    assert edges_text.splitlines()[0] == ",".join(EDGE_COLUMNS)
    nodes, edges = _rows(nodes_text), _rows(edges_text)
    assert {n["Id"]: n["Label"] for n in nodes} == {e.id: e.name for e in kg.entities.values()}
    for n in nodes:
        e = kg.entities[n["Id"]]
        assert (split_list(n["aliases"]) if n["aliases"] else []) == list(e.aliases)
    assert sorted(e["Id"] for e in edges) == sorted(f.id for f in kg.facts)
    for row in edges:
        f = kg.facts_by_id[row["Id"]]
        assert (row["Source"], row["Target"], row["Type"]) == (f.subject, f.object, "Directed")
        assert row["quote"] == f.quote and int(row["polarity"]) == f.polarity and row["article"] == f.source
        assert (row["date"] or None, row["start_date"] or None, row["end_date"] or None) == (f.date, f.start, f.end)
        assert json.loads(row["qualifiers"] or "{}") == dict(f.qualifiers)


def test_csv_folder_holds_a_nodes_and_an_edges_table(bundled: KnowledgeGraph, tmp_path: Path) -> None:
    folder = tmp_path / "gephi"
    exporters.export(bundled, "csv", folder)
    assert sorted(p.name for p in folder.iterdir()) == ["edges.csv", "nodes.csv"]
    nodes = (folder / "nodes.csv").read_bytes().decode("utf-8")
    edges = (folder / "edges.csv").read_bytes().decode("utf-8")
    assert not nodes.startswith("\ufeff")
    _check_tables(nodes, edges, bundled)


def test_csv_zip_holds_the_same_tables(bundled: KnowledgeGraph, tmp_path: Path) -> None:
    exporters.export(bundled, "csv", tmp_path / "g.zip")
    exporters.export(bundled, "csv", tmp_path / "folder")
    with zipfile.ZipFile(tmp_path / "g.zip") as z:
        for name in ("nodes.csv", "edges.csv"):
            assert z.read(name) == (tmp_path / "folder" / name).read_bytes()


def test_dot_renders_with_graphviz_and_keeps_every_fact(bundled: KnowledgeGraph, tmp_path: Path) -> None:
    need_dot()
    path = tmp_path / "g.dot"
    exporters.export(bundled, "dot", path)
    done = subprocess.run(
        ["dot", "-Tjson", str(path)], capture_output=True, text=True, encoding="utf-8", timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "Warning" not in done.stderr and "Error" not in done.stderr, done.stderr
    drawn = json.loads(done.stdout)
    names = {o["name"]: o["label"] for o in drawn["objects"]}
    assert names == {e.id: e.name for e in bundled.entities.values()}
    assert sorted(e["id"] for e in drawn["edges"]) == sorted(f.id for f in bundled.facts)
