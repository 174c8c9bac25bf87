"""The ``export`` command: the graph (or a neighbourhood of it) as a file for Gephi, Cytoscape, RDF stores, Neo4j."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from ..errors import UsageError
from .app import DataOpt, RelationOpt, SourceOpt, command, load_graph

# Format names, kept here (not imported from kgraph.exporters) so `kgraph --help` imports nothing more.
FORMATS = "graphml, gexf, json, cytoscape, csv, dot, rdf, neo4j"


@command("export")
def export(
    fmt: Annotated[
        str | None,
        typer.Argument(
            metavar="[FORMAT]", help=f"One of: {FORMATS}. Default: guessed from the -o suffix.", show_default=False
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="File to write (a folder or .zip for csv and neo4j); - or nothing: stdout.",
            show_default=False,
        ),
    ] = None,
    around: Annotated[
        str | None, typer.Option("--around", help="Export only the neighbourhood of this entity.")
    ] = None,
    depth: Annotated[int, typer.Option("--depth", min=1, help="With --around: how many facts away to go.")] = 1,
    relation: RelationOpt = None,
    rdf_syntax: Annotated[
        str | None,
        typer.Option(
            "--rdf-syntax",
            help="rdf: turtle, nt (N-Triples) or nq (N-Quads, a named graph per source); "
            "a .nt or .nq file gets its own, anything else turtle.",
        ),
    ] = None,
    base: Annotated[str | None, typer.Option("--base", help="rdf: base IRI of the minted namespaces.")] = None,
    data: DataOpt = None,
    sources: SourceOpt = None,
) -> None:
    """Write the graph for other tools: Gephi (graphml, gexf, csv), Cytoscape, Graphviz (dot), RDF, Neo4j.

    Every fact is one edge (edge id = fact id); the same data gives
    byte-identical files; files are written atomically (a failed export
    leaves no partial file). Examples:

      kgraph export gexf -o belarus.gexf

      kgraph export -o graph.graphml --around belarus --depth 2

      kgraph export rdf > graph.ttl
    """
    from .. import exporters

    if output is not None and str(output) == "-":
        output = None  # `-o -`: stdout, as usual
    if fmt is None:
        if output is None:
            raise UsageError(f"name a format ({FORMATS}) or give -o FILE with a known suffix")
        fmt = exporters.format_for(output)
    chosen = exporters.get(fmt)
    options: dict[str, Any] = {}
    if rdf_syntax is not None or base is not None:
        if chosen.name != "rdf":
            raise UsageError("--rdf-syntax and --base apply to the rdf format only")
        if rdf_syntax is not None:
            options["syntax"] = rdf_syntax
        if base is not None:
            options["base"] = base
    if output is None and chosen.several_files:
        raise UsageError(f"{chosen.name} writes several files: give -o FOLDER or -o FILE.zip")
    kg = load_graph(data, sources=sources)
    target: Any = output if output is not None else sys.stdout
    written = exporters.export(kg, chosen.name, target, around=around, depth=depth, relations=relation, **options)
    if output is not None:
        sys.stderr.write(
            f"wrote {written['entities']} entities and {written['facts']} facts to {output} ({written['format']})\n"
        )
