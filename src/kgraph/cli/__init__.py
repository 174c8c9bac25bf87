"""The ``kgraph`` command: a thin Typer layer over the library.

Each command parses its options, calls one :mod:`kgraph` function and hands
the result to :mod:`kgraph.render`. Errors are turned into one line on stderr
and an exit code in one place, the ``error_edge`` edge of :mod:`kgraph.cli.app`
(usage errors from Click in :func:`main`).

Command modules register their commands on :data:`app` (with the
:func:`kgraph.cli.app.command` decorator) when imported by the loop below;
each imports nothing heavy at module level so that ``kgraph --help`` stays
fast. To add commands: write ``cli/NAME.py`` with ``@command("name")``
functions (answers go out through :func:`kgraph.cli.app.output` and a table
listed in :mod:`kgraph.tables.registry`), and add ``"NAME"`` to
``COMMAND_MODULES``, whose order is the order of ``kgraph --help``.
"""

from __future__ import annotations

from importlib import import_module

from .app import app, main

# Importing a command module registers its commands; this order is the order of `kgraph --help`.
COMMAND_MODULES = ("core", "export", "analysis", "draw", "view", "cache", "curate", "edit", "completion")
for _module in COMMAND_MODULES:
    import_module(f"{__name__}.{_module}")

__all__ = ["COMMAND_MODULES", "app", "main"]
