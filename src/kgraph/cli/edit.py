"""The editing commands: ``add``, ``entities`` (list, add, rename, merge) and ``relations`` (list, add).

Each is a thin layer over :mod:`kgraph.authoring`: it resolves the data
folder, asks for missing arguments on a terminal, calls one function and
says in one line what was written (``--dry-run``: what would be). Errors go
through the same edge as every command (one ``error: …`` line, an exit code).
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from .app import (
    AsOfOpt,
    DataOpt,
    FormatOpt,
    SinceOpt,
    SourceOpt,
    StoreOpt,
    UntilOpt,
    app,
    command,
    error_edge,
    load_graph,
    output,
    refuse_store,
    state,
)

F = TypeVar("F", bound=Callable[..., Any])

DryRunOpt = Annotated[
    bool, typer.Option("--dry-run", help="Check the edit and print what it would write; write nothing.")
]

entities_app = typer.Typer(
    name="entities",
    invoke_without_command=True,
    help="The entities: listed bare; `entities add`, `rename` and `merge` edit them.",
)
relations_app = typer.Typer(
    name="relations",
    invoke_without_command=True,
    help="The relation vocabulary as a tree: polarity, inverse names, flags and fact counts; `relations add` adds one.",
)
app.add_typer(entities_app)
app.add_typer(relations_app)


def _sub(group: typer.Typer, name: str) -> Callable[[F], F]:
    """Register a subcommand on ``group`` with the error edge around its body."""

    def wrap(fn: F) -> F:
        @functools.wraps(fn)
        def run(*args: Any, **kw: Any) -> Any:
            with error_edge():
                return fn(*args, **kw)

        group.command(name)(run)
        return fn

    return wrap


def _root(data: Path | None) -> Path:
    from ..loader import data_dir

    return data_dir(data if data is not None else state.data)


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stderr.isatty()


def _ask(prompt: str, option: str, offered: Sequence[str] = (), what: str = "") -> str:
    """A missing argument: asked for on a terminal (``what`` known values offered first), else a usage error."""
    if not _interactive():
        from ..errors import UsageError

        raise UsageError(f"missing {option}")
    if offered:
        shown = ", ".join(offered[:40]) + (f", … ({len(offered)} in all)" if len(offered) > 40 else "")
        sys.stderr.write(f"known {what}: {shown}\n")
    value: str = typer.prompt(prompt, err=True)
    return value


# -- kgraph add ---------------------------------------------------------------------------------------


@command("add")
def add(
    subject: Annotated[
        str | None, typer.Argument(metavar="SUBJECT", help="Who or what acts: entity id, name or alias.")
    ] = None,
    relation: Annotated[
        str | None, typer.Argument(metavar="RELATION", help="The relation's id (see `kgraph relations`).")
    ] = None,
    object: Annotated[
        str | None, typer.Argument(metavar="OBJECT", help="Whom or what it acts on: entity id, name or alias.")
    ] = None,
    source: Annotated[str | None, typer.Option("--source", help="The source (article) id the fact is from.")] = None,
    quote: Annotated[
        str | None, typer.Option("--quote", help="The words of the article that state it (must be in the text).")
    ] = None,
    sentence: Annotated[
        int | None, typer.Option("--sentence", min=1, help="Quote sentence N of the article whole.")
    ] = None,
    date: Annotated[str | None, typer.Option("--date", help="When it happened: YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    start: Annotated[str | None, typer.Option("--start", help="When a lasting state began.")] = None,
    end: Annotated[str | None, typer.Option("--end", help="When it ended.")] = None,
    according_to: Annotated[
        str | None, typer.Option("--according-to", help="Whose claim it is, when the article attributes it.")
    ] = None,
    qualifier: Annotated[
        list[str] | None, typer.Option("--qualifier", help="KEY=VALUE detail of the fact; repeatable.")
    ] = None,
    fact_id: Annotated[
        str | None, typer.Option("--id", help="An id of your own for the fact (a slug, unique in the dataset).")
    ] = None,
    modality: Annotated[
        str | None,
        typer.Option(
            "--modality",
            help="How firmly the source states it: asserted (default), intended, proposed, considered, "
            "threatened, predicted or denied.",
        ),
    ] = None,
    disputes: Annotated[
        list[str] | None, typer.Option("--disputes", help="The id of a fact this one contradicts; repeatable.")
    ] = None,
    same_as: Annotated[
        list[str] | None,
        typer.Option("--same-as", help="The id of a fact reporting the same claim in other words; repeatable."),
    ] = None,
    implicit: Annotated[
        str | None,
        typer.Option("--implicit", help='subject, object or both: the end the quote does not name ("him").'),
    ] = None,
    dry_run: DryRunOpt = False,
    data: DataOpt = None,
) -> None:
    """Add a fact to its source file, checked against the whole dataset before anything is written.

    Names and aliases are written as ids; the quote must be in the article
    (the closest passage is offered when it is not). The fact is appended to
    the source's facts: list; every other byte of the file stays as it was.
    On a terminal, missing arguments are asked for.
    """
    from ..authoring.add import FactSpec, add_fact
    from ..errors import UsageError

    root = _root(data)
    if None in (subject, relation, object, source) or (quote is None and sentence is None):
        subject, relation, object, source, quote = _missing(root, subject, relation, object, source, quote, sentence)
    assert subject is not None and relation is not None and object is not None and source is not None
    pairs = []
    for q in qualifier or []:
        key, eq, value = q.partition("=")
        if not eq or not key.strip():
            raise UsageError(f"--qualifier: {q!r} is not KEY=VALUE")
        pairs.append((key.strip(), value.strip()))
    spec = FactSpec(
        subject=subject,
        relation=relation,
        object=object,
        source=source,
        quote=quote,
        sentence=sentence,
        date=date,
        start=start,
        end=end,
        according_to=according_to,
        qualifiers=pairs,
        id=fact_id,
        modality=modality,
        disputes=list(disputes or []),
        same_as=list(same_as or []),
        implicit=implicit,
    )
    result = add_fact(root, spec, dry_run=dry_run, cache=not state.no_cache)
    if dry_run:
        sys.stdout.write(f"# would add to {result.path} at line {result.line} (fact {result.fact.id}):\n")
        sys.stdout.write(result.yaml)
    else:
        f = result.fact
        sys.stdout.write(f"added {f.id}: {f.subject} {f.relation} {f.object} ({result.path}:{result.line})\n")


def _missing(
    root: Path,
    subject: str | None,
    relation: str | None,
    obj: str | None,
    source: str | None,
    quote: str | None,
    sentence: int | None,
) -> tuple[str, str, str, str, str | None]:
    """Ask for what the command line left out (on a terminal), offering the known names."""
    from ..errors import UsageError
    from ..loader import load

    if not _interactive():
        names = [n for n, v in (("SUBJECT", subject), ("RELATION", relation), ("OBJECT", obj)) if v is None]
        names += ["--source"] if source is None else []
        names += ["--quote or --sentence"] if quote is None and sentence is None else []
        raise UsageError(f"missing {', '.join(names)} (on a terminal, kgraph add asks for them)")
    kg = load(root, cache=not state.no_cache)
    entities = sorted(kg.entities)
    subject = subject or _ask("subject", "SUBJECT", entities, "entities")
    relation = relation or _ask("relation", "RELATION", sorted(kg.relations), "relations")
    obj = obj or _ask("object", "OBJECT", entities, "entities")
    source = source or _ask("source", "--source", sorted(kg.sources), "sources")
    if quote is None and sentence is None:
        quote = _ask("quote (words of the article)", "--quote")
    return subject, relation, obj, source, quote


# -- kgraph entities ------------------------------------------------------------------------------------


@entities_app.callback()
def entities(
    ctx: typer.Context,
    data: DataOpt = None,
    fmt: FormatOpt = None,
    as_of: AsOfOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    sources: SourceOpt = None,
) -> None:
    """The entities: id, name, type, aliases and how many facts each is in (`entities add|rename|merge` edit them)."""
    if ctx.invoked_subcommand is not None:
        return
    from ..authoring.entities import listing

    with error_edge():
        output(listing(load_graph(data, as_of=as_of, since=since, until=until, sources=sources)), fmt, "entities")


@_sub(entities_app, "add")
def entities_add(
    ident: Annotated[str, typer.Argument(metavar="ID", help="The new entity's id: a lowercase slug (xi-jinping).")],
    name: Annotated[str, typer.Option("--name", help="Its name as the articles write it.")],
    etype: Annotated[str, typer.Option("--type", help="person, country, organisation, group, … (see the README).")],
    alias: Annotated[list[str] | None, typer.Option("--alias", help="Another name it goes by; repeatable.")] = None,
    description: Annotated[str | None, typer.Option("--description", help="One line saying who or what it is.")] = None,
    dry_run: DryRunOpt = False,
    data: DataOpt = None,
) -> None:
    """Add an entity to entities.yaml (after the last one of its type)."""
    from ..authoring.entities import add_entity

    if description is None:
        description = _ask("description", "--description (every entity has one)")
    lines, line = add_entity(
        _root(data), ident, name, etype, alias or [], description, dry_run=dry_run, cache=not state.no_cache
    )
    if dry_run:
        sys.stdout.write(f"# would add to entities.yaml at line {line}:\n{lines}")
    else:
        sys.stdout.write(f"added entity {ident} (entities.yaml:{line})\n")


@_sub(entities_app, "rename")
def entities_rename(
    old: Annotated[str, typer.Argument(help="The entity: id, name or alias.")],
    new: Annotated[str, typer.Argument(help="Its new id (a lowercase slug).")],
    dry_run: DryRunOpt = False,
    data: DataOpt = None,
) -> None:
    """Give an entity a new id; every fact that names it, in every file, follows (all files or none)."""
    from ..authoring.entities import rename_entity

    change = rename_entity(_root(data), old, new, dry_run=dry_run, cache=not state.no_cache)
    _report_change("renamed" if change.written else "would rename", change)


@_sub(entities_app, "merge")
def entities_merge(
    duplicate: Annotated[str, typer.Argument(help="The duplicate entity, which goes away.")],
    into: Annotated[str, typer.Argument(help="The entity it is merged into, which stays.")],
    dry_run: DryRunOpt = False,
    data: DataOpt = None,
) -> None:
    """Merge a duplicate entity into another: its facts move, its names become aliases (all files or none)."""
    from ..authoring.entities import merge_entities

    change = merge_entities(_root(data), duplicate, into, dry_run=dry_run, cache=not state.no_cache)
    _report_change("merged" if change.written else "would merge", change)


def _report_change(verb: str, change: Any) -> None:
    n = change.references
    files = ", ".join(change.files[:6]) + (f" and {len(change.files) - 6} more" if len(change.files) > 6 else "")
    sys.stdout.write(
        f"{verb}: {n} reference{'s' * (n != 1)} in facts; files: {files}"
        + ("" if change.written else " (nothing written)")
        + "\n"
    )


# -- kgraph relations -----------------------------------------------------------------------------------


@relations_app.callback()
def relations(
    ctx: typer.Context,
    data: DataOpt = None,
    fmt: FormatOpt = None,
    as_of: AsOfOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    sources: SourceOpt = None,
    store: StoreOpt = None,
) -> None:
    """The relation vocabulary as a tree: polarity, inverse names, flags and fact counts (`relations add` adds one)."""
    if ctx.invoked_subcommand is not None:
        if store or state.store:
            refuse_store(f"relations {ctx.invoked_subcommand}")
        return
    from .core import relations as listing

    with error_edge():
        listing(data=data, fmt=fmt, as_of=as_of, since=since, until=until, sources=sources, store=store)


@_sub(relations_app, "add")
def relations_add(
    ident: Annotated[str, typer.Argument(metavar="ID", help="The new relation's id, snake_case (backs_down).")],
    parent: Annotated[str, typer.Option("--parent", help="The relation it is a kind of; its polarity is inherited.")],
    symmetric: Annotated[bool, typer.Option("--symmetric", help="It holds both ways (meets_with).")] = False,
    inverse: Annotated[
        str | None, typer.Option("--inverse", help="Its name read backwards (supported_by for supports).")
    ] = None,
    label: Annotated[str | None, typer.Option("--label", help="How a fact reads (default: the id in words).")] = None,
    acts_for: Annotated[
        bool, typer.Option("--acts-for", help="The subject speaks for the object (leads, represents).")
    ] = False,
    description: Annotated[str | None, typer.Option("--description", help="What it means, in one line.")] = None,
    dry_run: DryRunOpt = False,
    data: DataOpt = None,
) -> None:
    """Add a relation to relations.yaml, after its parent's family; the polarity is the parent's."""
    from ..authoring.relations import add_relation

    if description is None:
        description = _ask("description", "--description (every relation has one)")
    lines, line = add_relation(
        _root(data),
        ident,
        parent,
        label=label,
        symmetric=symmetric,
        inverse=inverse,
        acts_for=acts_for,
        description=description,
        dry_run=dry_run,
        cache=not state.no_cache,
    )
    if dry_run:
        sys.stdout.write(f"# would add to relations.yaml at line {line}:\n{lines}")
    else:
        sys.stdout.write(f"added relation {ident} (relations.yaml:{line})\n")
