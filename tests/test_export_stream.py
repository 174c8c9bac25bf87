"""Exports stream: the same bytes as when each document was built whole, written as they are made.

``tests/golden/exports.json`` holds the SHA-256 of every export (each format
but RDF, whose streaming is tested in test_rdf_stream.py) of the bundled
data, the trust fixture and a generated 10k dataset, whole and in part, as
the code before streaming wrote them. Streaming is checked by what reaches
a stream: many writes, none of them the whole document, and nothing at all
when the graph is refused.
"""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, generate_dataset

from kgraph import exporters, load
from kgraph.errors import ExportError
from kgraph.exporters import shared
from kgraph.knowledge import KnowledgeGraph
from kgraph.model import Fact

GOLDEN: dict[str, str] = json.loads((REPO / "tests" / "golden" / "exports.json").read_text(encoding="utf-8"))["exports"]
FORMATS = ["graphml", "gexf", "json", "cytoscape", "csv", "dot", "neo4j"]
CASES: dict[str, dict[str, Any]] = {
    "all": {},
    "around": {"around": "belarus", "depth": 2},
    "relation": {"relations": ["supports"]},
}


@pytest.fixture(scope="module")
def graphs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, KnowledgeGraph]:
    generated = generate_dataset(10_000, tmp_path_factory.mktemp("exports") / "data", seed=1)
    return {"bundled": load(), "trust": load(REPO / "tests" / "fixtures" / "trust"), "gen10k": load(generated)}


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _cases() -> list[tuple[str, str, str]]:
    return sorted({tuple(key.split("/")[:3]) for key in GOLDEN})  # type: ignore[misc]


@pytest.mark.parametrize(("dataset", "case", "fmt"), _cases())
def test_exports_are_byte_identical_to_the_whole_documents(
    graphs: dict[str, KnowledgeGraph], tmp_path: Path, dataset: str, case: str, fmt: str
) -> None:
    kg = graphs[dataset]
    fmt = fmt.removesuffix(".zip")
    if fmt in ("csv", "neo4j"):
        folder = tmp_path / "out"
        exporters.export(kg, fmt, folder, **CASES[case])
        written = {f"{dataset}/{case}/{fmt}/{p.name}": _sha(p.read_bytes()) for p in sorted(folder.iterdir())}
        assert written == {k: v for k, v in GOLDEN.items() if k.startswith(f"{dataset}/{case}/{fmt}/")}
        exporters.export(kg, fmt, tmp_path / "out.zip", **CASES[case])
        assert _sha((tmp_path / "out.zip").read_bytes()) == GOLDEN[f"{dataset}/{case}/{fmt}.zip"]
        stream = io.BytesIO()
        exporters.export(kg, fmt, stream, **CASES[case])
        assert _sha(stream.getvalue()) == GOLDEN[f"{dataset}/{case}/{fmt}.zip"]
        return
    path = tmp_path / f"out.{fmt}"
    exporters.export(kg, fmt, path, **CASES[case])
    assert _sha(path.read_bytes()) == GOLDEN[f"{dataset}/{case}/{fmt}"]
    stream = io.BytesIO()
    exporters.export(kg, fmt, stream, **CASES[case])
    assert _sha(stream.getvalue()) == GOLDEN[f"{dataset}/{case}/{fmt}"]


def test_the_golden_files_cover_every_format_but_rdf() -> None:
    assert set(FORMATS) == {n for n in exporters.names() if n != "rdf"}
    for fmt in FORMATS:
        assert any(k.split("/")[2].removesuffix(".zip") == fmt for k in GOLDEN), fmt


class _Recorder(io.RawIOBase):
    """A binary stream that keeps the size of every write (and the bytes, to check them)."""

    def __init__(self) -> None:
        self.sizes: list[int] = []
        self.data = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, b: Any) -> int:
        self.sizes.append(len(b))
        self.data += bytes(b)
        return len(b)


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json", "cytoscape", "dot"])
def test_a_large_export_reaches_its_stream_in_many_chunks(graphs: dict[str, KnowledgeGraph], fmt: str) -> None:
    stream = _Recorder()
    exporters.export(graphs["gen10k"], fmt, stream)
    assert len(stream.sizes) > 10
    assert max(stream.sizes) < 2 * shared.CHUNK * 4  # (a chunk of characters is at most four bytes each)
    assert _sha(bytes(stream.data)) == GOLDEN[f"gen10k/all/{fmt}"]


@pytest.mark.parametrize("fmt", ["csv", "neo4j"])
def test_a_zip_reaches_its_stream_in_chunks(graphs: dict[str, KnowledgeGraph], fmt: str) -> None:
    stream = _Recorder()
    exporters.export(graphs["gen10k"], fmt, stream)
    assert len(stream.sizes) > 1 and max(stream.sizes) <= shared.CHUNK
    assert _sha(bytes(stream.data)) == GOLDEN[f"gen10k/all/{fmt}.zip"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_refused_graph_writes_nothing(bundled: KnowledgeGraph, tmp_path: Path, fmt: str) -> None:
    """The checks run before the first byte: a stream gets nothing, a path keeps what it held."""
    f = bundled.facts[-1]
    dangling = Fact("dangling", f.subject, f.relation, "nobody", f.polarity, f.quote, f.source)
    kg = KnowledgeGraph(bundled.relations.values(), bundled.entities.values(), bundled.sources.values(), [dangling])
    stream = _Recorder()
    with pytest.raises(ExportError, match="dangling"):
        exporters.export(kg, fmt, stream)
    assert stream.sizes == []
    target = tmp_path / ("out.zip" if fmt in ("csv", "neo4j") else f"out.{fmt}")
    target.write_bytes(b"before")
    with pytest.raises(ExportError, match="dangling"):
        exporters.export(kg, fmt, target)
    assert target.read_bytes() == b"before"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_a_failure_while_writing_leaves_the_old_file(
    graphs: dict[str, KnowledgeGraph], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A piece that fails half-way through (here: the hundredth chunk) leaves no partial file."""
    made = 0
    real = shared.chunks

    def failing(pieces: Any, size: int = shared.CHUNK) -> Any:
        nonlocal made
        for chunk in real(pieces, size):
            made += 1
            if made == 3:
                raise OSError(28, "No space left on device")
            yield chunk

    monkeypatch.setattr(shared, "chunks", failing)
    target = tmp_path / "graph.graphml"
    target.write_bytes(b"before")
    with pytest.raises(ExportError, match="No space left"):
        exporters.export(graphs["gen10k"], "graphml", target)
    assert target.read_bytes() == b"before"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]
