"""Exporters: the knowledge graph as files other tools open (Gephi, Cytoscape, RDF stores, Neo4j).

A registry maps format names and file suffixes to exporter modules, imported
only when used. Each module has ``export(kg, stream_or_path, **options)``:

>>> import io, kgraph
>>> from kgraph import exporters
>>> buffer = io.StringIO()
>>> exporters.export(kgraph.load(), "json", buffer)["facts"]
61
>>> '"directed": true' in buffer.getvalue()
True
>>> exporters.format_for("graph.gexf"), exporters.format_for("graph.ttl")
('gexf', 'rdf')

Every export holds every fact of the selection once (edge id = fact id), is
deterministic (the same data gives the same bytes) and is written atomically.

How to add a format: write ``kgraph/exporters/<name>.py`` with
``export(kg, stream_or_path, **options) -> None`` (check the graph first, then
hand the output as it is made, piece by piece, to
:func:`.shared.write_pieces` or :func:`.shared.write_file_pieces`: no export
holds its whole document in memory), add one :class:`Exporter` line to
:data:`REGISTRY` below, and add ``tests/test_export_<name>.py`` that reads
the file back with a real reader of that format.
"""

from __future__ import annotations

import importlib
import inspect
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import UsageError
from ..selection import select
from .shared import Target

if TYPE_CHECKING:
    from ..knowledge import KnowledgeGraph

__all__ = ["REGISTRY", "Exporter", "export", "format_for", "get", "names", "select"]


@dataclass(frozen=True, slots=True)
class Exporter:
    """One export format: its name, the module that writes it and the suffixes that select it."""

    name: str
    module: str  # under kgraph.exporters
    suffixes: tuple[str, ...]  # lower case, with the dot; the first is the usual one
    description: str
    several_files: bool = False  # writes a folder or a .zip, so needs -o

    def load(self) -> Any:
        """The exporter's ``export`` function (its module is imported now)."""
        return importlib.import_module(f"{__name__}.{self.module}").export


REGISTRY: dict[str, Exporter] = {
    e.name: e
    for e in (
        Exporter("graphml", "graphml", (".graphml",), "GraphML 1.1 for Gephi, yEd, networkx, igraph"),
        Exporter("gexf", "gexf", (".gexf",), "GEXF 1.3 for Gephi and Gephi Lite, with colours and a timeline"),
        Exporter("json", "json", (".json",), "node-link JSON (networkx node_link_data shape)"),
        Exporter("cytoscape", "cytoscape", (".cyjs", ".cy.json"), "Cytoscape.js elements JSON"),
        Exporter(
            "csv",
            "csv",
            (".zip",),
            "Gephi spreadsheet import: nodes.csv + edges.csv (folder or .zip)",
            several_files=True,
        ),
        Exporter("dot", "dot", (".dot", ".gv"), "Graphviz DOT, labelled and coloured"),
        Exporter("rdf", "rdf", (".ttl", ".nt", ".nq"), "RDF: Turtle (.ttl), N-Triples (.nt) or N-Quads (.nq)"),
        Exporter(
            "neo4j",
            "neo4j",
            (),
            "neo4j-admin import CSVs + idempotent Cypher MERGE script (folder or .zip)",
            several_files=True,
        ),
    )
}


def names() -> list[str]:
    """The format names, in registry order."""
    return list(REGISTRY)


def get(name: str) -> Exporter:
    """The exporter called ``name`` (case-insensitive); UsageError naming the known ones otherwise."""
    key = name.strip().lower()
    if key in REGISTRY:
        return REGISTRY[key]
    from ..resolve import suggest

    close = suggest(key, REGISTRY)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    raise UsageError(f"unknown export format {name!r}{hint} (known: {', '.join(REGISTRY)})")


def format_for(path: str | os.PathLike[str]) -> str:
    """The format a file name asks for, by its suffix; UsageError when it says nothing."""
    name = Path(os.fspath(path)).name.lower()
    best: tuple[int, str] | None = None
    for e in REGISTRY.values():
        for suffix in e.suffixes:
            if name.endswith(suffix) and (best is None or len(suffix) > best[0]):
                best = (len(suffix), e.name)
    if best is None:
        known = ", ".join(f"{s} ({e.name})" for e in REGISTRY.values() for s in e.suffixes)
        raise UsageError(f"cannot tell the export format from {os.fspath(path)!r}; name it (known suffixes: {known})")
    return best[1]


def export(
    kg: KnowledgeGraph,
    fmt: str,
    target: Target,
    *,
    around: str | None = None,
    depth: int = 1,
    relations: Sequence[str] | None = None,
    **options: Any,
) -> dict[str, Any]:
    """Export ``kg`` (or the part chosen by ``around``/``depth``/``relations``) as ``fmt`` to ``target``.

    ``target`` is a path or an open stream (text or binary). Formats that
    write several files take a folder or a ``.zip`` path (or a binary stream,
    which receives the zip). ``options`` go to the format's exporter (rdf:
    ``syntax="nt"``, ``base=...``). Returns what was written:
    ``{"format", "entities", "facts"}``.
    """
    exporter = get(fmt)
    write = exporter.load()
    accepted = [p.name for p in inspect.signature(write).parameters.values() if p.kind is p.KEYWORD_ONLY]
    unknown = sorted(set(options) - set(accepted))
    if unknown:
        takes = f"it takes {', '.join(accepted)}" if accepted else "it takes none"
        raise UsageError(f"the {exporter.name} export has no option {unknown[0]!r} ({takes})")
    part = select(kg, around=around, depth=depth, relations=relations)
    write(part, target, **options)
    return {"format": exporter.name, "entities": len(part.entities), "facts": len(part.facts)}
