"""The Typer application, the options every command shares, and the error edge."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from .. import __version__
from ..errors import ExitCode, KGraphError
from ..tables import Format, choose_format, emit

__all__ = [
    "AsOfOpt",
    "DataOpt",
    "FormatOpt",
    "RelationOpt",
    "SinceOpt",
    "SourceOpt",
    "UntilOpt",
    "app",
    "error_edge",
    "command",
    "load_graph",
    "main",
    "output",
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


class _State:
    traceback: bool = False
    data: Path | None = None  # `kgraph --data PATH command …`; a command's own --data wins
    no_cache: bool = False  # `kgraph --no-cache …`: read the data files, neither using nor writing the cache


state = _State()


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kgraph {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
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
) -> None:
    """Question a knowledge graph of facts curated from news articles; every answer carries its evidence.

    Data: the bundled article dataset, or --data PATH / KGRAPH_DATA.
    Output: --format table|json|csv (default: table on a terminal, JSON in a pipe).
    """
    state.traceback = traceback or os.environ.get("KGRAPH_DEBUG", "") not in ("", "0")
    state.data = data
    state.no_cache = no_cache


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


SourceOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--source",
        help="Only facts from this source (its id, see `kgraph sources`); repeatable.",
        rich_help_panel="Scope",
    ),
]


def load_graph(
    data: Path | None,
    *,
    as_of: str | None = None,
    since: str | None = None,
    until: str | None = None,
    sources: list[str] | None = None,
) -> Any:
    """The dataset to answer from (cached when the cache is available), scoped to ``sources``, then windowed.

    The one place the shared --source and time options are applied, so every
    command reads them the same way: the source scope first, so the time
    window's note counts the facts of those sources.
    """
    from .. import load
    from .cache import load_progress

    with load_progress() as progress:
        kg = load(data if data is not None else state.data, cache=not state.no_cache, progress=progress)
    return _in_window(_in_scope(kg, sources), as_of, since, until)


def _in_scope(kg: Any, sources: list[str] | None) -> Any:
    """The facts of ``kg`` from ``sources``, with a note on stderr about what was kept."""
    if not sources:
        return kg
    from ..scope import restrict

    kg = restrict(kg, sources)
    s = kg.scope
    sys.stderr.write(
        f"note: sources kept {s['kept']} of {s['kept'] + s['dropped']} facts (from {', '.join(s['sources'])})\n"
    )
    return kg


def _in_window(kg: Any, as_of: str | None, since: str | None, until: str | None) -> Any:
    """The facts of ``kg`` in the time window, with a note on stderr about what was kept."""
    if as_of is None and since is None and until is None:
        return kg
    from ..timefilter import window

    kg = window(kg, as_of=as_of, since=since, until=until)
    w = kg.window
    undated = f"{w['undated']} undated, kept and shown without a date"
    if w["undated_dropped"]:
        undated = (
            f"{w['undated_dropped']} undated left out: their source was published after the window;"
            f" {w['undated']} undated kept"
        )
    sys.stderr.write(f"note: time window kept {w['kept']} of {w['kept'] + w['dropped']} facts ({undated})\n")
    return kg


def output(answer: Mapping[str, object], fmt: Format | None, table: str) -> None:
    """Write ``answer`` in ``fmt`` (else the default for stdout); ``table`` names its table in kgraph.tables."""
    emit(answer, choose_format(fmt), table)


def _err(message: str) -> None:
    sys.stderr.write(f"error: {message}\n")
    sys.stderr.flush()


@contextmanager
def error_edge() -> Iterator[None]:
    """Turn every failure into one line on stderr and its documented exit code."""
    try:
        yield
    except (typer.Exit, typer.Abort, SystemExit):
        raise
    except KGraphError as e:
        if state.traceback:
            raise
        _err(str(e))
        raise SystemExit(int(e.exit_code)) from None
    except BrokenPipeError:
        # the reader went away (`kgraph facts | head`): not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise SystemExit(0) from None
    except KeyboardInterrupt:
        _err("interrupted")
        raise SystemExit(130) from None
    except Exception as e:  # the CLI edge: a bug, reported in one line unless --traceback
        if state.traceback:
            raise
        _err(f"internal error: {type(e).__name__}: {e} (run again with --traceback and report it)")
        raise SystemExit(int(ExitCode.INTERNAL)) from None


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


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``kgraph`` script.

    Runs the app without Click's standalone handling so that a usage error is
    one line on stderr, like every other error, with exit code 2.

    Help is drawn with Rich (panels, colours) on a terminal, and as Click's
    plain text when stdout is a pipe or a file: scripts and `| less` get
    clean text, and a piped ``--help`` skips importing Rich's markdown and
    syntax modules (about 60 ms, a third of a start-up).
    """
    args = sys.argv[1:] if argv is None else argv
    if "_KGRAPH_COMPLETE" in os.environ:  # the shell asks for completions (see kgraph.cli.completion)
        from .completion import prepare

        prepare()
    if args == ["--version"]:
        # the answer needs none of the command tree Typer would build first (~15 ms with every command)
        sys.stdout.write(f"kgraph {__version__}\n")
        raise SystemExit(0)
    saved_mode = app.rich_markup_mode
    isatty = getattr(sys.stdout, "isatty", None)
    if isatty is None or not isatty():
        app.rich_markup_mode = None
    try:
        target = _root_help_app() if args in (["--help"], ["-h"]) else app
        code = target(args=argv, prog_name="kgraph", standalone_mode=False)
    except Exception as e:
        # Click's usage errors (Typer vendors Click) carry format_message() and exit_code
        if not (hasattr(e, "format_message") and hasattr(e, "exit_code")):
            raise
        ctx = getattr(e, "ctx", None)
        hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
        _err(f"{e.format_message()}{hint}")
        raise SystemExit(int(e.exit_code)) from None
    finally:
        app.rich_markup_mode = saved_mode
    raise SystemExit(code if isinstance(code, int) else 0)


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
