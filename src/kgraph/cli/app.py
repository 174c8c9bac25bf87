"""The Typer application, the options every command shares, and the ``command`` decorator.

What a command does once parsed (the root options' state, ``load_graph``, ``output``, the error edge) lives
in :mod:`kgraph.cli.edge`, which imports no Typer, and is re-exported here.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from .. import __version__
from ..errors import ExitCode
from ..tables import Format
from .edge import STORE_COMMANDS, error_edge, load_graph, output, state

__all__ = [
    "AsOfOpt",
    "DataOpt",
    "FormatOpt",
    "RelationOpt",
    "SinceOpt",
    "SourceOpt",
    "StoreOpt",
    "UntilOpt",
    "app",
    "error_edge",
    "command",
    "load_graph",
    "output",
    "refuse_store",
    "state",
]

app = typer.Typer(
    name="kgraph",
    help="Question a knowledge graph of facts curated from news articles; every answer carries its evidence.",
    no_args_is_help=True,
    add_completion=False,  # `kgraph completion SHELL` instead: see kgraph.cli.completion
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kgraph {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit."),
    ] = False,
    traceback: Annotated[
        bool, typer.Option("--traceback", help="Show a Python traceback on errors (for debugging; or KGRAPH_DEBUG=1).")
    ] = False,
    data: Annotated[
        Path | None,
        typer.Option(
            "--data", "-d", help="Dataset folder for the command (default: $KGRAPH_DATA, else the bundled data)."
        ),
    ] = None,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache",
            envvar="KGRAPH_NO_CACHE",
            show_envvar=False,
            help="Read the data files, bypassing the compiled cache (or KGRAPH_NO_CACHE=1).",
        ),
    ] = False,
    store: Annotated[
        str | None,
        typer.Option(
            "--store",
            help="Answer the query commands from this SPARQL store, filled by `kgraph push` (or KGRAPH_STORE).",
            rich_help_panel="Store",
        ),
    ] = None,
    store_user: Annotated[
        str | None,
        typer.Option(
            "--store-user",
            help="User name for the store (or KGRAPH_STORE_USER); the password comes from KGRAPH_STORE_PASSWORD.",
            rich_help_panel="Store",
        ),
    ] = None,
    store_base: Annotated[
        str | None,
        typer.Option(
            "--store-base",
            help="The base IRI the dataset was pushed with (or KGRAPH_STORE_BASE; default: kgraph's).",
            rich_help_panel="Store",
        ),
    ] = None,
) -> None:
    """Question a knowledge graph of facts curated from news articles; every answer carries its evidence.

    Data: the bundled article dataset, or --data PATH / KGRAPH_DATA.
    Output: --format table|json|csv (default: table on a terminal, JSON in a pipe).
    """
    state.traceback = traceback or os.environ.get("KGRAPH_DEBUG", "") not in ("", "0")
    state.data = data
    state.no_cache = no_cache
    state.store = store
    state.store_user = store_user or os.environ.get("KGRAPH_STORE_USER") or None
    state.store_base = store_base or os.environ.get("KGRAPH_STORE_BASE") or None
    if store is not None:
        refuse_store(ctx.invoked_subcommand)


def refuse_store(command_name: str | None) -> None:
    """Stop with exit 2 when ``--store`` is given to a command that needs the whole dataset locally.

    Called by the root callback, which knows the command about to run (so
    that `kgraph --store URL validate` fails before reading anything), and
    by ``relations`` for its editing subcommand.
    """
    if command_name is None or command_name in STORE_COMMANDS:
        return
    sys.stderr.write(
        f"error: {command_name} needs the whole dataset locally and cannot use --store "
        f"(the store answers {', '.join(STORE_COMMANDS)}); give --data or nothing\n"
    )
    raise SystemExit(int(ExitCode.USAGE))


DataOpt = Annotated[
    Path | None,
    typer.Option("--data", "-d", help="Dataset folder (default: $KGRAPH_DATA, else the bundled article data)."),
]
FormatOpt = Annotated[
    Format | None,
    typer.Option(
        "--format",
        "-f",
        help="Output format (default: table on a terminal, json otherwise).",
        case_sensitive=False,
        show_default=False,
    ),
]
RelationOpt = Annotated[
    list[str] | None,
    typer.Option("--relation", "-r", help="Only this relation (and its sub-relations); repeatable."),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Only facts known to hold at this date (YYYY, YYYY-MM or YYYY-MM-DD); undated facts are kept.",
        rich_help_panel="Time window",
    ),
]
SinceOpt = Annotated[
    str | None,
    typer.Option(
        "--since",
        help="Only facts that may fall on or after this date; undated facts are kept.",
        rich_help_panel="Time window",
    ),
]
UntilOpt = Annotated[
    str | None,
    typer.Option(
        "--until",
        help="Only facts that may fall on or before this date; undated facts are kept.",
        rich_help_panel="Time window",
    ),
]


StoreOpt = Annotated[
    str | None,
    typer.Option(
        "--store",
        help="Answer from this SPARQL store, filled by `kgraph push` (default: $KGRAPH_STORE; else the local data).",
        rich_help_panel="Store",
        show_default=False,
    ),
]


SourceOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--source",
        help="Only facts from this source (its id, see `kgraph sources`); repeatable.",
        rich_help_panel="Scope",
    ),
]


F = TypeVar("F", bound=Callable[..., Any])


def command(name: str, **kwargs: Any) -> Callable[[F], F]:
    """Register a command on :data:`app`, with the error edge around its body."""

    def wrap(fn: F) -> F:
        @functools.wraps(fn)
        def run(*args: Any, **kw: Any) -> Any:
            with error_edge():
                return fn(*args, **kw)

        app.command(name, **kwargs)(run)
        return fn

    return wrap


def _noop() -> None:
    """Stands in for a command's body in :func:`_root_help_app`."""


def _root_help_app() -> typer.Typer:
    """:data:`app` with each command reduced to its name and help text, for ``kgraph --help``.

    The root help lists each command's one-line help, nothing of their
    options; Typer would still build every command's options first (reading
    every signature and type hint, ~20 ms with all commands). This copy gives
    the same text (tests/test_startup.py compares them) without that work.
    """
    import copy
    import inspect

    stub = copy.copy(app)
    stub.registered_commands = []
    for info in app.registered_commands:
        light = copy.copy(info)
        if light.help is None and info.callback is not None:
            light.help = inspect.getdoc(info.callback)
        light.callback = _noop
        stub.registered_commands.append(light)
    return stub
