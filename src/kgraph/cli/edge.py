"""What every command shares once its options are parsed, with no Typer in sight: the root options' state,
loading the dataset with the shared scope and window options, writing an answer, and the error edge.

Kept apart from :mod:`kgraph.cli.app` (the Typer application) so that the quick path
(:mod:`kgraph.cli.quick`), which answers the core queries without importing Typer, runs exactly the
same code after parsing as the Typer commands do.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import ExitCode, KGraphError
from ..tables import Format, choose_format, emit

__all__ = ["error_edge", "load_graph", "output", "state"]


class _State:
    traceback: bool = False
    data: Path | None = None  # `kgraph --data PATH command …`; a command's own --data wins
    no_cache: bool = False  # `kgraph --no-cache …`: read the data files, neither using nor writing the cache


state = _State()


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

    root = data if data is not None else state.data
    isatty = getattr(sys.stderr, "isatty", None)
    if isatty is not None and isatty():  # a progress bar (Rich, Typer) only where someone watches
        from .cache import load_progress

        with load_progress() as progress:
            kg = load(root, cache=not state.no_cache, progress=progress)
    else:
        kg = load(root, cache=not state.no_cache)
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
    except SystemExit:
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
        if state.traceback or _is_typer_exit(e):
            raise
        _err(f"internal error: {type(e).__name__}: {e} (run again with --traceback and report it)")
        raise SystemExit(int(ExitCode.INTERNAL)) from None


def _is_typer_exit(e: Exception) -> bool:
    """Whether ``e`` is Typer's Exit or Abort, which pass through the edge (with no Typer loaded, it cannot be)."""
    typer = sys.modules.get("typer")
    return typer is not None and isinstance(e, (typer.Exit, typer.Abort))
