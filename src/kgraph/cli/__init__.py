"""The ``kgraph`` command: a thin Typer layer over the library.

Each command parses its options, calls one :mod:`kgraph` function and hands
the result to :mod:`kgraph.tables`. Errors are turned into one line on stderr
and an exit code in one place, the ``error_edge`` of :mod:`kgraph.cli.edge`
(usage errors from Click in :func:`kgraph.cli.start.typer_main`).

The entry point, :func:`main` (:mod:`kgraph.cli.start`), answers ``--version``,
a piped ``--help`` and the core queries without importing Typer at all; so this
package imports the Typer application, :data:`app`, only when it is asked for
(PEP 562), with every command registered.

Command modules register their commands on :data:`app` (with the
:func:`kgraph.cli.app.command` decorator) when imported by
:func:`commands_app`; each imports nothing heavy at module level so that
``kgraph --help`` on a terminal stays fast. To add commands: write
``cli/NAME.py`` with ``@command("name")`` functions (answers go out through
:func:`kgraph.cli.edge.output` and a table listed in
:mod:`kgraph.tables.registry`), and add ``"NAME"`` to ``COMMAND_MODULES``,
whose order is the order of ``kgraph --help`` (then refresh the stored help:
:func:`kgraph.cli.start.write_root_help`).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .start import main

if TYPE_CHECKING:
    import typer

    app: typer.Typer

# Importing a command module registers its commands; this order is the order of `kgraph --help`.
COMMAND_MODULES = ("core", "export", "store", "analysis", "draw", "view", "cache", "curate", "edit", "completion")


def commands_app() -> typer.Typer:
    """The Typer application with every command registered (the command modules are imported once)."""
    for module in COMMAND_MODULES:
        import_module(f"{__name__}.{module}")
    from .app import app

    globals()["app"] = app  # (importing kgraph.cli.app bound the name to that module: `kgraph.cli.app` is the app)
    return app


def __getattr__(name: str) -> Any:
    if name == "app":
        return commands_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["COMMAND_MODULES", "app", "commands_app", "main"]
