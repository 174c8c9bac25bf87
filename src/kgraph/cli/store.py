"""The ``push`` command: the dataset into a SPARQL store, one named graph per source (see kgraph.store.push)."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer

from ..errors import UsageError
from .app import DataOpt, SourceOpt, command, load_graph

__all__ = ["push"]

_PANEL = "Store"


@command("push")
def push(
    store_url: Annotated[
        str,
        typer.Argument(
            metavar="STORE_URL", help="The store's base URL, e.g. http://127.0.0.1:7878 (Oxigraph) or :8890 (Virtuoso)."
        ),
    ],
    send_all: Annotated[bool, typer.Option("--all", help="Send every graph, changed or not.")] = False,
    user: Annotated[
        str | None,
        typer.Option("--user", "-u", envvar="KGRAPH_STORE_USER", show_envvar=True, help="Account on the store."),
    ] = None,
    password_env: Annotated[
        str,
        typer.Option(
            "--password-env",
            metavar="VAR",
            help="Environment variable holding the password (asked for on a terminal when unset).",
        ),
    ] = "KGRAPH_STORE_PASSWORD",
    base: Annotated[str | None, typer.Option("--base", help="Base IRI of the graphs and of the minted names.")] = None,
    query_endpoint: Annotated[
        str | None,
        typer.Option(
            "--query-endpoint",
            envvar="KGRAPH_STORE_QUERY",
            help="SPARQL query URL (or a path under STORE_URL), for stores other than Oxigraph and Virtuoso.",
            rich_help_panel=_PANEL,
        ),
    ] = None,
    update_endpoint: Annotated[
        str | None,
        typer.Option(
            "--update-endpoint",
            envvar="KGRAPH_STORE_UPDATE",
            help="SPARQL update URL (default: the query URL).",
            rich_help_panel=_PANEL,
        ),
    ] = None,
    graph_endpoint: Annotated[
        str | None,
        typer.Option(
            "--graph-endpoint",
            envvar="KGRAPH_STORE_GRAPH",
            help="Graph Store Protocol URL, taking ?graph=IRI (default: the update URL).",
            rich_help_panel=_PANEL,
        ),
    ] = None,
    timeout: Annotated[
        float, typer.Option("--timeout", min=0.1, help="Seconds to wait for each request.", rich_help_panel=_PANEL)
    ] = 300.0,
    fmt: Annotated[
        str | None, typer.Option("--format", "-f", help="json: the report as JSON on stdout.", show_default=False)
    ] = None,
    data: DataOpt = None,
    sources: SourceOpt = None,
) -> None:
    """Load the dataset into a SPARQL 1.1 store (Oxigraph, Virtuoso, any Graph Store Protocol server).

    One named graph per source, plus the entities and the relation
    vocabulary; a manifest in the store records each graph's hash, so a push
    sends only the graphs that changed (--all: every graph) and drops the
    graphs of removed sources (--source S: only the graphs of S, the others
    kept as they are). A push that fails midway leaves the store
    answering with its previous data. The password comes from
    $KGRAPH_STORE_PASSWORD (or --password-env VAR), or the URL
    (http://user:pw@host:port), or is asked for on a terminal; it is never shown.

      kgraph push http://127.0.0.1:7878

      KGRAPH_STORE_PASSWORD=dba kgraph push http://127.0.0.1:8890 --user dba
    """
    from ..exporters.rdf import DEFAULT_BASE
    from ..store.client import connect
    from ..store.push import push as run_push

    if fmt is not None and fmt.lower() not in ("json", "text"):
        raise UsageError(f"--format {fmt!r}: push writes text (a summary on stderr) or json")
    password = os.environ.get(password_env) or None
    if user is not None and password is None and "@" not in store_url and sys.stdin.isatty():
        password = typer.prompt(f"password for {user}", hide_input=True, err=True)
    client = connect(
        store_url,
        user=user,
        password=password,
        query=query_endpoint,
        update=update_endpoint,
        graph=graph_endpoint,
        timeout=timeout,
    )
    kg = load_graph(data, sources=sources)
    with _progress() as progress:
        report = run_push(kg, client, base=base or DEFAULT_BASE, force=send_all, progress=progress)
    sys.stderr.write(report.summary() + "\n")
    if fmt is not None and fmt.lower() == "json":
        sys.stdout.write(json.dumps(report.to_dict(), indent=2) + "\n")


@contextmanager
def _progress() -> Iterator[Callable[[int, int], None] | None]:
    """A Rich progress bar over the graphs on a terminal (stderr), else nothing."""
    isatty = getattr(sys.stderr, "isatty", None)
    if isatty is None or not isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    bar = Progress(
        TextColumn("pushing graphs"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    task: Any = None

    def update(done: int, total: int) -> None:
        nonlocal task
        if task is None:
            task = bar.add_task("push", total=total)
        bar.update(task, completed=done)

    with bar:
        yield update
