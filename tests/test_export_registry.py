"""The exporter registry, the selection options, determinism, atomic writes and the `export` command."""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import pytest
from conftest import BUNDLED
from typer.testing import CliRunner

import kgraph
from kgraph import exporters
from kgraph.cli import app
from kgraph.errors import ExportError, UnknownEntity, UsageError
from kgraph.knowledge import KnowledgeGraph

runner = CliRunner()

# one file name per format (csv and neo4j write folders)
TARGETS = {
    "graphml": "g.graphml",
    "gexf": "g.gexf",
    "json": "g.json",
    "cytoscape": "g.cyjs",
    "csv": "g-csv",
    "dot": "g.dot",
    "rdf": "g.ttl",
    "neo4j": "g-neo4j",
}


def _snapshot(path: Path) -> dict[str, bytes]:
    if path.is_dir():
        return {p.name: p.read_bytes() for p in sorted(path.iterdir())}
    return {path.name: path.read_bytes()}


def test_registry_lists_every_format_with_a_loadable_exporter() -> None:
    assert set(exporters.names()) == set(TARGETS)
    for name in exporters.names():
        assert callable(exporters.get(name).load())


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("a.graphml", "graphml"),
        ("A.GEXF", "gexf"),
        ("x.json", "json"),
        ("x.cy.json", "cytoscape"),
        ("x.cyjs", "cytoscape"),
        ("x.zip", "csv"),
        ("x.gv", "dot"),
        ("x.dot", "dot"),
        ("x.ttl", "rdf"),
        ("x.nt", "rdf"),
    ],
)
def test_format_is_guessed_from_the_suffix(name: str, fmt: str) -> None:
    assert exporters.format_for(name) == fmt


def test_unknown_format_and_suffix_are_usage_errors() -> None:
    with pytest.raises(UsageError, match="did you mean 'gexf'"):
        exporters.get("gexff")
    with pytest.raises(UsageError, match="cannot tell the export format"):
        exporters.format_for("graph.txt")


@pytest.mark.parametrize("fmt", sorted(TARGETS))
def test_every_export_is_byte_identical_on_a_rerun(fmt: str, bundled: KnowledgeGraph, tmp_path: Path) -> None:
    first, second = tmp_path / "1" / TARGETS[fmt], tmp_path / "2" / TARGETS[fmt]
    first.parent.mkdir()
    second.parent.mkdir()
    exporters.export(bundled, fmt, first)
    # a freshly loaded graph (other dict/file order would show up here)
    exporters.export(kgraph.load(BUNDLED), fmt, second)
    assert _snapshot(first) == _snapshot(second)


def test_a_zip_is_byte_identical_on_a_rerun(bundled: KnowledgeGraph, tmp_path: Path) -> None:
    exporters.export(bundled, "csv", tmp_path / "a.zip")
    exporters.export(bundled, "csv", tmp_path / "b.zip")
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()
    with zipfile.ZipFile(tmp_path / "a.zip") as z:
        assert sorted(z.namelist()) == ["edges.csv", "nodes.csv"]


def test_select_around_keeps_the_neighbourhood_and_the_facts_among_it(bundled: KnowledgeGraph) -> None:
    part = exporters.select(bundled, around="belarus", depth=1)
    near = (
        {"belarus"}
        | {f.object for f in bundled.out_facts("belarus")}
        | {f.subject for f in bundled.in_facts("belarus")}
    )
    assert set(part.entities) == near
    expected = {f.id for f in bundled.facts if f.subject in near and f.object in near}
    assert {f.id for f in part.facts} == expected
    deeper = exporters.select(bundled, around="belarus", depth=2)
    assert set(part.entities) < set(deeper.entities)


def test_select_by_relation_includes_sub_relations(bundled: KnowledgeGraph) -> None:
    part = exporters.select(bundled, relations=["supports"])
    assert part.facts
    assert {f.relation for f in part.facts} <= bundled.descendants("supports")
    assert len(part.facts) == sum(1 for f in bundled.facts if bundled.is_a(f.relation, "supports"))
    assert set(part.entities) == {f.subject for f in part.facts} | {f.object for f in part.facts}


def test_select_rejects_unknown_names(bundled: KnowledgeGraph) -> None:
    with pytest.raises(UnknownEntity):
        exporters.select(bundled, around="atlantis")


def test_a_failed_export_leaves_no_file_and_keeps_the_old_one(
    bundled: KnowledgeGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "g.graphml"
    target.write_text("the old export", encoding="utf-8")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(ExportError, match="No space left on device"):
        exporters.export(bundled, "graphml", target)
    assert target.read_text(encoding="utf-8") == "the old export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.graphml"]  # no temporary file left


def test_a_failed_folder_export_leaves_the_folder_as_it_was(
    bundled: KnowledgeGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "neo"
    folder.mkdir()
    (folder / "nodes.csv").write_text("old", encoding="utf-8")
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    real_fdopen = os.fdopen
    calls = {"n": 0}

    def failing_fdopen(fd: int, *args: object, **kwargs: object) -> object:
        calls["n"] += 1
        if calls["n"] == 3:  # the third file fails to write
            os.close(fd)
            raise OSError(5, "Input/output error")
        return real_fdopen(fd, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(os, "fdopen", failing_fdopen)
    with pytest.raises(ExportError, match="Input/output error"):
        exporters.export(bundled, "neo4j", folder)
    assert _snapshot(folder) == {"nodes.csv": b"old", "notes.txt": b"mine"}


def test_a_refused_export_writes_nothing(tmp_path: Path) -> None:
    from kgraph.model import Entity

    kg = KnowledgeGraph([], [Entity("bell", "bell \x07 ringer", "person", "")], [], [])
    target = tmp_path / "g.gexf"
    with pytest.raises(ExportError, match=r"entity 'bell' name contains the control character U\+0007"):
        exporters.export(kg, "gexf", target)
    assert list(tmp_path.iterdir()) == []


def test_export_into_a_missing_folder_is_a_clear_error(bundled: KnowledgeGraph, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="does not exist"):
        exporters.export(bundled, "gexf", tmp_path / "nowhere" / "g.gexf")


def test_streams_text_and_binary_get_the_same_bytes(bundled: KnowledgeGraph, tmp_path: Path) -> None:
    text, raw = io.StringIO(), io.BytesIO()
    exporters.export(bundled, "graphml", text)
    exporters.export(bundled, "graphml", raw)
    exporters.export(bundled, "graphml", tmp_path / "g.graphml")
    assert text.getvalue().encode("utf-8") == raw.getvalue() == (tmp_path / "g.graphml").read_bytes()


def test_a_several_file_format_streams_a_zip(bundled: KnowledgeGraph) -> None:
    raw = io.BytesIO()
    exporters.export(bundled, "neo4j", raw)
    with zipfile.ZipFile(raw) as z:
        assert sorted(z.namelist()) == ["import.cypher", "import.sh", "nodes.csv", "relationships.csv"]


# -- the command -------------------------------------------------------------------


def test_cli_writes_to_stdout_without_o() -> None:
    done = runner.invoke(app, ["export", "json", "--data", str(BUNDLED)])
    assert done.exit_code == 0, done.output
    data = json.loads(done.stdout)
    assert len(data["edges"]) == len(kgraph.load(BUNDLED).facts)


def test_cli_guesses_the_format_from_the_suffix(tmp_path: Path) -> None:
    out = tmp_path / "g.gexf"
    done = runner.invoke(app, ["export", "-o", str(out), "--data", str(BUNDLED)])
    assert done.exit_code == 0, done.output
    assert out.read_text(encoding="utf-8").startswith('<?xml version="1.0" encoding="UTF-8"?>\n<gexf ')
    assert "wrote 28 entities and 61 facts" in done.stderr


def test_cli_around_depth_and_relation_select_the_same_part_as_the_library(
    bundled: KnowledgeGraph, tmp_path: Path
) -> None:
    out = tmp_path / "g.json"
    done = runner.invoke(
        app,
        [
            "export",
            "json",
            "-o",
            str(out),
            "--around",
            "Minsk",
            "--depth",
            "2",
            "--relation",
            "supports",
            "--relation",
            "opposes",
            "--data",
            str(BUNDLED),
        ],
    )
    assert done.exit_code == 0, done.output
    part = exporters.select(bundled, around="belarus", depth=2, relations=["supports", "opposes"])
    data = json.loads(out.read_text(encoding="utf-8"))
    assert {e["id"] for e in data["edges"]} == {f.id for f in part.facts}
    assert {n["id"] for n in data["nodes"]} == set(part.entities)
    assert 0 < len(part.facts) < len(bundled.facts)


def test_cli_rdf_nt_by_suffix_and_option(tmp_path: Path) -> None:
    out = tmp_path / "g.nt"
    assert runner.invoke(app, ["export", "-o", str(out), "--data", str(BUNDLED)]).exit_code == 0
    first = out.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("<") and first.endswith(" .")
    done = runner.invoke(app, ["export", "rdf", "--rdf-syntax", "nt", "--data", str(BUNDLED)])
    assert done.stdout == out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export"], "error: name a format"),
        (["export", "csv"], "error: csv writes several files: give -o FOLDER or -o FILE.zip"),
        (["export", "-o", "x.txt"], "error: cannot tell the export format from 'x.txt'"),
        (["export", "gephi"], "error: unknown export format 'gephi'"),
        (["export", "gexf", "--around", "atlantis"], "error: unknown entity 'atlantis'"),
        (["export", "gexf", "--rdf-syntax", "nt"], "error: --rdf-syntax and --base apply to the rdf format only"),
        (["export", "rdf", "--rdf-syntax", "xml"], "error: unknown RDF syntax 'xml'"),
    ],
)
def test_cli_errors_are_one_line_and_write_nothing(args: list[str], message: str, tmp_path: Path) -> None:
    done = runner.invoke(app, [*args, "--data", str(BUNDLED)])
    assert done.exit_code != 0
    assert done.stderr.startswith(message), done.stderr
    assert done.stderr.count("\n") == 1
    assert done.stdout == ""


def test_exports_do_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    """Byte-identical across processes too (set and dict order vary with PYTHONHASHSEED)."""
    import subprocess
    import sys

    script = (
        "import sys, kgraph\n"
        "from kgraph import exporters\n"
        "kg = kgraph.load(sys.argv[1])\n"
        "for fmt, name in " + repr(sorted(TARGETS.items())) + ":\n"
        "    exporters.export(kg, fmt, sys.argv[2] + '/' + name)\n"
        "exporters.export(kg, 'rdf', sys.argv[2] + '/g.nt')\n"
    )
    trees = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        out.mkdir()
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", script, str(BUNDLED), str(out)], check=True, env=env, timeout=120)
        trees.append({str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()})
    assert trees[0] == trees[1]
    assert len(trees[0]) == 13


def test_an_option_the_format_does_not_take_is_a_usage_error(bundled: KnowledgeGraph) -> None:
    with pytest.raises(UsageError, match="the gexf export has no option 'syntax' \\(it takes none\\)"):
        exporters.export(bundled, "gexf", io.StringIO(), syntax="nt")
    with pytest.raises(UsageError, match="the rdf export has no option 'colour' \\(it takes syntax, base\\)"):
        exporters.export(bundled, "rdf", io.StringIO(), colour="red")


def test_depth_without_around_and_a_zip_to_a_text_stream_are_refused(bundled: KnowledgeGraph) -> None:
    with pytest.raises(UsageError, match="--depth needs --around"):
        exporters.export(bundled, "gexf", io.StringIO(), depth=2)
    with pytest.raises(ExportError, match="a zip needs a binary stream"):
        exporters.export(bundled, "csv", io.StringIO())


def test_the_command_lists_every_registered_format_and_takes_dash_for_stdout() -> None:
    from kgraph.cli.export import FORMATS

    assert FORMATS.split(", ") == exporters.names()
    done = runner.invoke(app, ["export", "dot", "-o", "-", "--data", str(BUNDLED)])
    assert done.exit_code == 0, done.output
    assert done.stdout.splitlines()[1] == "digraph kgraph {"


@pytest.mark.parametrize("fmt", sorted(TARGETS))
def test_a_dangling_fact_is_refused_before_writing(fmt: str, tmp_path: Path) -> None:
    from kgraph.model import Entity, Fact, Relation

    kg = KnowledgeGraph(
        [Relation("r", "r", 0, "")], [Entity("a", "A", "t", "")], [], [Fact("f1", "a", "r", "ghost", 0, "q", "s")]
    )
    with pytest.raises(ExportError, match="fact 'f1' has object 'ghost', which is not in the graph"):
        exporters.export(kg, fmt, tmp_path / TARGETS[fmt])
    assert list(tmp_path.iterdir()) == []
