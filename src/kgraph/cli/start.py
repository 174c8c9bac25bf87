"""The ``kgraph`` entry point: what it can answer without Typer, it answers at once; the rest goes to Typer.

Typer (with Click and, since Typer 0.29, pydantic for every option's value) costs more to import than
a core query costs to answer from the cache. So :func:`main` answers three things before importing it:

- ``--version``;
- ``--help`` (or ``-h``) alone, on a pipe and at least 80 columns wide: the text Typer prints then is
  stored in ``help.txt`` beside this module (tests/test_startup.py checks it against Typer's, and
  :func:`write_root_help` rewrites it);
- the core queries, in the plain forms :mod:`kgraph.cli.quick` reads exactly as Typer would.

Anything else (a terminal's Rich help, a typo, an unusual spelling of an option, completion) is run by
the Typer application, with every command (:func:`typer_main`).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .. import __version__

__all__ = ["main", "typer_main", "write_root_help"]

ROOT_HELP = Path(__file__).with_name("help.txt")


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``kgraph`` script (and ``python -m kgraph``)."""
    args = sys.argv[1:] if argv is None else argv
    _fewer_collections()
    completing = "_KGRAPH_COMPLETE" in os.environ  # the shell asks for completions (see kgraph.cli.completion)
    if completing:
        from .completion import prepare

        prepare()
    if args == ["--version"]:
        sys.stdout.write(f"kgraph {__version__}\n")
        raise SystemExit(0)
    if not completing:
        if args in (["--help"], ["-h"]) and _plain_80_columns():
            sys.stdout.write(ROOT_HELP.read_text(encoding="utf-8"))
            raise SystemExit(0)
        from .quick import parse, run

        job = parse(args, os.environ)
        if job is not None:
            try:
                run(job)
            except SystemExit as done:
                _leave(done.code)
    typer_main(argv)


def _leave(code: object) -> None:
    """End a quick-path command at once: flush what it wrote, then leave without tearing the interpreter down.

    Python's own exit frees every object one by one; after ``who-supports``
    on the busiest entity of a million facts that took a quarter of a second,
    for nothing. The quick path has nothing left to do at exit: its output is
    flushed here, the cache entry it may have written was renamed into place
    before it answered, and kgraph registers no exit handler.
    """
    import contextlib

    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a reader gone away, a closed stream: nothing more to say
            stream.flush()
    os._exit(code if isinstance(code, int) else 0 if code is None else 1)


def _fewer_collections() -> None:
    """Run Python's cycle collector far less often than its default (a collection every 700 new objects).

    A command makes up to millions of small objects (facts, records, JSON)
    that form no cycles and live until it ends, and the collector kept
    walking them: at a million facts it took a third of who-supports on the
    busiest entity. A command runs for seconds in a process of its own, so
    rarer collections cost it no memory worth having back. (Only the
    ``kgraph`` script does this; :func:`kgraph.load` in a user's program
    leaves their collector alone.)
    """
    import gc

    gc.set_threshold(100_000, 50, 100)


def _plain_80_columns() -> bool:
    """Whether help would be Click's plain text at its full width (80): stdout not a terminal, COLUMNS unset or wide."""
    isatty = getattr(sys.stdout, "isatty", None)
    if isatty is None or isatty():
        return False
    columns = os.environ.get("COLUMNS")
    return columns is None or (columns.isascii() and columns.isdigit() and int(columns) >= 80)


def typer_main(argv: list[str] | None = None) -> None:
    """Run the Typer application (every command registered) on ``argv`` (default: ``sys.argv[1:]``).

    Runs the app without Click's standalone handling so that a usage error is
    one line on stderr, like every other error, with exit code 2.

    Help is drawn with Rich (panels, colours) on a terminal, and as Click's
    plain text when stdout is a pipe or a file: scripts and `| less` get
    clean text, and a piped ``--help`` skips importing Rich's markdown and
    syntax modules (about 60 ms, a third of a start-up).
    """
    from . import commands_app
    from .app import _root_help_app
    from .edge import _err

    app = commands_app()
    args = sys.argv[1:] if argv is None else argv
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


def write_root_help() -> str:
    """Render ``kgraph --help`` as Typer prints it on a pipe (80 columns) and store it in ``help.txt``.

    Run after changing a command's name or one-line help, or the root options:
    ``python -c "from kgraph.cli.start import write_root_help; write_root_help()"``.
    """
    import contextlib
    import io

    out = io.StringIO()
    saved = os.environ.pop("COLUMNS", None)
    try:
        with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
            typer_main(["--help"])
    finally:
        if saved is not None:
            os.environ["COLUMNS"] = saved
    ROOT_HELP.write_text(out.getvalue(), encoding="utf-8")
    return out.getvalue()
