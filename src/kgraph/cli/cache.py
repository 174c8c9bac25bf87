"""``kgraph cache info`` and ``kgraph cache clear``, and the progress bar of a long load.

The cache itself is :mod:`kgraph.cache`; ``kgraph --no-cache …`` (or
``KGRAPH_NO_CACHE=1``) bypasses it for one command.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, cast

import typer

if TYPE_CHECKING:
    from ..answers import CacheClearAnswer, CacheInfoAnswer

from .app import DataOpt, FormatOpt, app, error_edge, output, state

__all__ = ["cache_app", "load_progress"]

cache_app = typer.Typer(
    name="cache",
    help="The compiled cache of loaded datasets: where it is, what it holds, clearing it.",
    no_args_is_help=True,
)
app.add_typer(cache_app, name="cache")


@cache_app.command("info")
def info(data: DataOpt = None, fmt: FormatOpt = None) -> None:
    """Where the cache is, its entries, and whether the dataset (--data, else the default) has a current one.

    An entry is current when neither kgraph nor any data file (YAML or
    article text) changed since it was written; otherwise the next command
    reads the files again and rewrites it.
    """
    with error_edge():
        from .. import cache
        from ..loader import data_dir

        answer = cast("CacheInfoAnswer", cache.info(data_dir(data if data is not None else state.data)))
        output(answer, fmt, "cache-info")


@cache_app.command("clear")
def clear(fmt: FormatOpt = None) -> None:
    """Delete every cache entry; the next command on each dataset reads its files again."""
    with error_edge():
        from .. import cache

        removed = cache.clear()
        cleared: CacheClearAnswer = {"directory": str(cache.cache_dir()), "removed": [str(p) for p in removed]}
        output(cleared, fmt, "cache-clear")


class _Bar:
    """A Rich progress bar on stderr that appears only once a load has taken ``delay`` seconds."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.started = time.monotonic()
        self.progress: Any = None
        self.task: Any = None

    def __call__(self, done: int, total: int) -> None:
        if self.progress is None:
            if done >= total or time.monotonic() - self.started < self.delay:
                return
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self.progress = Progress(
                TextColumn("reading sources"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self.progress.start()
            self.task = self.progress.add_task("load", total=total)
        self.progress.update(self.task, completed=done)

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()


@contextmanager
def load_progress(delay: float = 1.0) -> Iterator[Callable[[int, int], None] | None]:
    """A progress callback for :func:`kgraph.load` when stderr is a terminal, else None (nothing is drawn)."""
    isatty = getattr(sys.stderr, "isatty", None)
    if isatty is None or not isatty():
        yield None
        return
    bar = _Bar(delay)
    try:
        yield bar
    finally:
        bar.close()
