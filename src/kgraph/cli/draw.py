"""The ``draw`` command: a static picture (SVG, PNG, PDF) of the graph or of one entity's neighbourhood."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ..defaults import DRAW_DPI, DRAW_MAX_NODES, DRAW_MAX_NODES_LIMIT, DRAW_SIZE
from .app import AsOfOpt, DataOpt, RelationOpt, SinceOpt, SourceOpt, UntilOpt, command, load_graph

_DEFAULT_PIXELS = f"{DRAW_DPI * DRAW_SIZE[0]:g} x {DRAW_DPI * DRAW_SIZE[1]:g}"


@command("draw")
def draw(
    name: Annotated[
        str | None,
        typer.Argument(
            metavar="[X]", help="Draw only this entity's neighbourhood (id, name or alias).", show_default=False
        ),
    ] = None,
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="The picture: FILE.svg, FILE.png or FILE.pdf; - writes SVG to stdout.",
            show_default=False,
        ),
    ] = ...,  # type: ignore[assignment]
    depth: Annotated[
        int | None,
        typer.Option("--depth", min=1, help="With X: how many facts away to go.  [default: 1]", show_default=False),
    ] = None,
    relation: RelationOpt = None,
    title: Annotated[
        str | None, typer.Option("--title", help="The picture's title (default: the article's title, or X's name).")
    ] = None,
    size: Annotated[
        str | None,
        typer.Option(
            "--size",
            help=f"Width x height in inches.  [default: {DRAW_SIZE[0]:g}x{DRAW_SIZE[1]:g}]",
            show_default=False,
        ),
    ] = None,
    dpi: Annotated[
        int,
        typer.Option(
            "--dpi",
            min=20,
            max=1200,
            help=f"PNG resolution: {DRAW_DPI} gives {_DEFAULT_PIXELS} px at the default size.",
        ),
    ] = DRAW_DPI,
    max_nodes: Annotated[
        int,
        typer.Option(
            "--max-nodes", min=1, max=DRAW_MAX_NODES_LIMIT, help="Draw at most this many entities: the most connected."
        ),
    ] = DRAW_MAX_NODES,
    data: DataOpt = None,
    as_of: AsOfOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    sources: SourceOpt = None,
) -> None:
    """Draw the graph as a picture: entities coloured by type, facts as arrows coloured by polarity.

    Needs matplotlib (pip install 'kgraph[draw]'). The format comes from the
    suffix of -o. Arrows go from subject to object, labelled with their
    relations where there is room; no two entity labels overlap. Beyond
    --max-nodes entities only the most connected are drawn, and the picture
    says so. The same data gives the same picture. Examples:

      kgraph draw -o graph.png

      kgraph draw lukashenko --depth 1 -o lukashenko.svg

      kgraph draw belarus --relation sanctions -o sanctions.pdf
    """
    from .. import draw as drawing

    to_stdout = str(output) == "-"
    fmt = "svg" if to_stdout else drawing.format_for(output)  # a bad suffix fails before the data is read
    dimensions = drawing.parse_size(size) if size is not None else DRAW_SIZE
    drawing.require_matplotlib()  # a missing extra fails before the data is read, too
    kg = load_graph(data, as_of=as_of, since=since, until=until, sources=sources)
    target = sys.stdout if to_stdout else output
    done = drawing.draw(
        kg,
        target,
        fmt=fmt,
        center=name,
        depth=depth if depth is not None else 1,
        relations=relation,
        title=title,
        size=dimensions,
        dpi=dpi,
        max_nodes=max_nodes,
    )
    if done["capped"]:
        sys.stderr.write(
            f"note: drawing {done['note']}; draw one with `kgraph draw X --depth N`, or raise --max-nodes\n"
        )
    if done["labels_hidden"]:
        sys.stderr.write(
            f"note: {done['labels_hidden']} of {done['nodes']} entity labels left out where they "
            f"would overlap; a larger --size makes room\n"
        )
    if not to_stdout:
        sys.stderr.write(f"drew {done['nodes']:,} entities and {done['facts']:,} facts to {output} ({fmt})\n")
