"""The ``kgraph`` command: a thin Typer layer over the library.

Each command parses its options, calls one :mod:`kgraph` function and hands
the result to :mod:`kgraph.render`. Errors are turned into one line on stderr
and an exit code in one place, the ``_errors`` edge of :mod:`kgraph.cli.app`
(usage errors from Click in :func:`main`).

Command modules (``core``, ``export``, ``analysis``, ``draw``, ``view``, ``cache``) register
their commands on :data:`app` when imported below; each imports nothing
heavy at module level so that ``kgraph --help`` stays fast.
"""

from __future__ import annotations

from importlib import import_module

from .app import app, main

# Importing a command module registers its commands; this order is the order of `kgraph --help`.
for _module in ("core", "export", "analysis", "draw", "view", "cache"):
    import_module(f"{__name__}.{_module}")

__all__ = ["app", "main"]
