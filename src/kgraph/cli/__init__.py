"""The ``kgraph`` command: a thin Typer layer over the library.

Each command parses its options, calls one :mod:`kgraph` function and hands
the result to :mod:`kgraph.render`. Errors are turned into one line on stderr
and an exit code in one place, the ``_errors`` edge of :mod:`kgraph.cli.app`
(usage errors from Click in :func:`main`).

Command modules (``core``, ``export``, ``analysis``, ``cache``) register
their commands on :data:`app` when imported below; each imports nothing
heavy at module level so that ``kgraph --help`` stays fast.
"""

from __future__ import annotations

from .app import app, main

# Importing a module registers its commands; the order here is the order of `kgraph --help`.
from . import core  # noqa: E402, F401, I001
from . import export  # noqa: E402, F401, I001
from . import analysis  # noqa: E402, F401, I001
from . import cache  # noqa: E402, F401, I001

__all__ = ["app", "main"]
