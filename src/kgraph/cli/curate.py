"""The curating commands: ``sources`` (and ``sources add``), ``sentences``, ``mentions``, ``coverage``.

They help turn an article into facts: bring its text in, number its sentences, see which names in it are
known entities and which are not, and see which sentences still have no fact. Only ``sources add`` writes,
and only into a data folder given with --data or KGRAPH_DATA (never into the bundled data).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from ..errors import UsageError
from .app import DataOpt, FormatOpt, app, command, error_edge, load_graph, output, state

# (named source_id, not source: `path` and `explain` have a `source` argument that is an entity)
SourceArg = Annotated[str, typer.Argument(metavar="SOURCE", help="A source id (`kgraph sources` lists them).")]

sources_app = typer.Typer(
    name="sources",
    help="The sources (articles) of the dataset; `sources add` brings in a new article text.",
    invoke_without_command=True,
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(sources_app)  # (a group: bare `kgraph sources` lists, `kgraph sources add` writes)


@sources_app.callback()
def sources(ctx: typer.Context, data: DataOpt = None, fmt: FormatOpt = None) -> None:
    """The sources (articles) of the dataset: id, title, publisher, published, facts and entities.

    `kgraph sources add TEXT_FILE --id ID --title T` brings a new article in.
    """
    if ctx.invoked_subcommand is not None:
        return
    with error_edge():
        from ..authoring.sources import list_sources

        output(list_sources(load_graph(data)), fmt, "sources")


@sources_app.command("add")
def sources_add(
    text_file: Annotated[str, typer.Argument(help="The article text, a UTF-8 file ('-' reads standard input).")],
    ident: Annotated[
        str, typer.Option("--id", help="The new source's id, a lowercase slug (e.g. scmp-2021-12-belarus).")
    ],
    title: Annotated[str, typer.Option("--title", help="The article's title.")],
    published: Annotated[
        str | None, typer.Option("--published", help="Publication date: YYYY, YYYY-MM or YYYY-MM-DD.")
    ] = None,
    publisher: Annotated[str | None, typer.Option("--publisher", help="Who published it.")] = None,
    url: Annotated[str | None, typer.Option("--url", help="Where it was published.")] = None,
    author: Annotated[str | None, typer.Option("--author", help="Who wrote it.")] = None,
    data: DataOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """Add an article: write sources/ID.txt (the text as it is) and sources/ID.yaml (its fields, facts: []).

    Refuses an existing id, a bad id or date, a text that is not UTF-8, and a data folder that does not
    validate; writes nothing then. Writes only into --data PATH or KGRAPH_DATA, never the bundled data.
    """
    with error_edge():
        from ..authoring.sources import add_source, writable_root
        from ..limits import current

        given = data if data is not None else state.data
        if given is None and os.environ.get("KGRAPH_DATA"):
            given = Path(os.environ["KGRAPH_DATA"])
        root = writable_root(given if given is not None else Path("."), explicit=given is not None)
        most = current().max_text_bytes + 1  # (enough to refuse an over-long text, or /dev/zero, in time)
        if text_file == "-":
            text, label = sys.stdin.buffer.read(most), "<stdin>"
        else:
            label = text_file
            try:
                with open(text_file, "rb") as fh:
                    text = fh.read(most)
            except OSError as e:
                raise UsageError(f"cannot read {text_file}: {(e.strerror or str(e)).lower()}") from None
        result = add_source(
            root,
            text,
            ident=ident,
            title=title,
            published=published,
            publisher=publisher,
            url=url,
            author=author,
            text_label=label,
            cache=not state.no_cache,
        )
        output(result, fmt, "source-added")


@command("sentences")
def sentences(source_id: SourceArg, data: DataOpt = None, fmt: FormatOpt = None) -> None:
    """An article as numbered sentences, each with the ids of the facts that quote it.

    The sentences are those the quote checker uses; their numbers stay the same while the text does.
    """
    from ..authoring.coverage import sentences as numbered

    output(numbered(load_graph(data), source_id), fmt, "sentences")


@command("mentions")
def mentions(source_id: SourceArg, data: DataOpt = None, fmt: FormatOpt = None) -> None:
    """The known entities each sentence of an article names, then capitalised names no entity has yet.

    Names and aliases match whole words, case and accents ignored, possessives too ("Belarus's").
    Candidates come from a heuristic (capitalised runs, minus sentence openers, titles, months),
    most frequent first.
    """
    from ..authoring.mentions import mentions as find

    output(find(load_graph(data), source_id), fmt, "mentions")


@command("coverage")
def coverage(
    source_id: Annotated[
        str | None, typer.Argument(metavar="SOURCE", help="One source id (default: every source).")
    ] = None,
    uncovered: Annotated[
        bool, typer.Option("--uncovered", help="List the sentences no fact quotes and no skip covers.")
    ] = False,
    data: DataOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """How much of each article the facts quote: sentences, covered, skipped (skip: entries), share."""
    from ..authoring.coverage import coverage as measure

    output(measure(load_graph(data), source_id, uncovered=uncovered), fmt, "coverage")
