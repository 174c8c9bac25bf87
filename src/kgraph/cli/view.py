"""The ``view`` command: the graph as one interactive HTML page that works offline."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ..defaults import VIEW_MAX_NODES, VIEW_OUTPUT
from .app import AsOfOpt, DataOpt, RelationOpt, SinceOpt, SourceOpt, UntilOpt, command, load_graph


def _size(n: int) -> str:
    return f"{n / 1_000_000:.2f} MB" if n >= 1_000_000 else f"{n / 1000:.0f} kB"


@command("view")
def view(
    entity: Annotated[
        str | None,
        typer.Argument(
            metavar="[X]", help="Show only this entity's neighbourhood (default: the whole graph).", show_default=False
        ),
    ] = None,
    depth: Annotated[int, typer.Option("--depth", min=1, help="With X: how many facts away to go.")] = 1,
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help="HTML file to write; - for stdout.", show_default=True),
    ] = Path(VIEW_OUTPUT),
    open_it: Annotated[bool, typer.Option("--open", help="Open the page in the web browser once written.")] = False,
    max_nodes: Annotated[
        int,
        typer.Option(
            "--max-nodes", min=1, help="Draw at most this many entities (the most connected, or the nearest to X)."
        ),
    ] = VIEW_MAX_NODES,
    title: Annotated[str | None, typer.Option("--title", help="Title of the page.")] = None,
    relation: RelationOpt = None,
    as_of: AsOfOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    sources: SourceOpt = None,
    data: DataOpt = None,
) -> None:
    """Write an interactive HTML page of the graph: search, filters, click for facts; works offline.

    One self-contained file (Bokeh, inlined): pan and zoom, search by name
    or alias, filter by relation and polarity, click a node or an edge's
    arrow to read its facts with quotes, dates and sources. Examples:

      kgraph view                      (writes kgraph-view.html)

      kgraph view lukashenko --depth 2 -o lukashenko.html --open
    """
    from .. import view as kview

    kview._require_bokeh()
    kg = load_graph(data, as_of=as_of, since=since, until=until, sources=sources)
    if str(output) == "-":
        html, summary = kview.view_html(kg, entity, depth=depth, relations=relation, max_nodes=max_nodes, title=title)
        sys.stdout.write(html)
        sys.stdout.flush()
        written = "stdout"
    else:
        summary = kview.write_view(
            kg, output, entity, depth=depth, relations=relation, max_nodes=max_nodes, title=title
        )
        written = f"{output} ({_size(summary['bytes'])})"
    if summary["note"]:
        sys.stderr.write(f"note: {summary['note']}\n")
    sys.stderr.write(
        f"wrote {written}: {summary['entities']} entities, {summary['edges']} edges, {summary['facts']} facts\n"
    )
    if open_it and written != "stdout":
        import webbrowser

        webbrowser.open(output.resolve().as_uri())
