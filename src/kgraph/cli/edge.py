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
from ..tables import Deferred, Format, choose_format, emit

__all__ = ["LOCAL_ONLY", "STORE_COMMANDS", "error_edge", "load_graph", "output", "state"]


class _State:
    traceback: bool = False
    data: Path | None = None  # `kgraph --data PATH command …`; a command's own --data wins
    no_cache: bool = False  # `kgraph --no-cache …`: read the data files, neither using nor writing the cache
    store: str | None = None  # `kgraph --store URL …`: answer from a SPARQL store (the query commands only)
    store_user: str | None = None  # `--store-user` or $KGRAPH_STORE_USER
    store_base: str | None = None  # `--store-base` or $KGRAPH_STORE_BASE: the base IRI the dataset was pushed with


state = _State()

#: The commands that can answer from a SPARQL store (`--store`, $KGRAPH_STORE); the others read the local dataset.
STORE_COMMANDS = (
    "who-supports",
    "who-opposes",
    "neighbours",
    "path",
    "facts",
    "entity",
    "stats",
    "relations",
    "explain",
    "timeline",
)


class _LocalOnly:
    """The ``store`` of :func:`load_graph` for the commands that read the whole dataset locally."""


LOCAL_ONLY = _LocalOnly()


def load_graph(
    data: Path | None,
    *,
    as_of: str | None = None,
    since: str | None = None,
    until: str | None = None,
    sources: list[str] | None = None,
    store: str | None | _LocalOnly = LOCAL_ONLY,
) -> Any:
    """The dataset to answer from (cached when the cache is available), scoped to ``sources``, then windowed.

    The one place the shared --source and time options are applied, so every
    command reads them the same way: the source scope first, so the time
    window's note counts the facts of those sources.

    ``store`` is the command's ``--store``, for the commands that can answer
    from a SPARQL store (:data:`STORE_COMMANDS`); the others leave it out and
    always read the local dataset (see :func:`_store_url`).
    """
    url = _store_url(data, store)
    if url is not None:
        from ..store.graph import open_store

        kg: Any = open_store(url, user=state.store_user, base=state.store_base, cache=not state.no_cache)
    else:
        kg = _load_local(data if data is not None else state.data)
    return _in_window(_in_scope(kg, sources), as_of, since, until)


def _load_local(root: Path | None) -> Any:
    """The dataset in ``root`` (or the default folder), with a progress bar only where someone watches."""
    from .. import load

    isatty = getattr(sys.stderr, "isatty", None)
    if isatty is not None and isatty():  # a progress bar (Rich, Typer) only on a terminal
        from .cache import load_progress

        with load_progress() as progress:
            return load(root, cache=not state.no_cache, progress=progress)
    return load(root, cache=not state.no_cache)


def _store_url(data: Path | None, store: str | None | _LocalOnly) -> str | None:
    """The store to answer from: the command's --store, else ``kgraph --store``, else $KGRAPH_STORE; None: local.

    An explicit --data wins over $KGRAPH_STORE, and cannot be given with an
    explicit --store. A command that reads the whole dataset locally ignores
    $KGRAPH_STORE with a note: the variable is a default for the queries, and
    `kgraph validate` or `kgraph export` must keep working where it is set.
    """
    explicit_data = data is not None or state.data is not None
    if isinstance(store, _LocalOnly):
        if os.environ.get("KGRAPH_STORE") and not explicit_data:
            from typer._click.globals import get_current_context  # Typer's own Click (local-only commands run in Typer)

            ctx = get_current_context(silent=True)
            name = ctx.info_name if ctx is not None else "this command"
            sys.stderr.write(f"note: KGRAPH_STORE is ignored: {name} reads the local dataset\n")
        return None
    chosen = store or state.store
    if chosen:
        if explicit_data:
            from ..errors import UsageError

            raise UsageError("--data and --store both given: answer from one or the other")
        return chosen
    env = os.environ.get("KGRAPH_STORE") or None
    return None if explicit_data else env


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


def output(answer: Mapping[str, object] | Deferred, fmt: Format | None, table: str) -> None:
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
