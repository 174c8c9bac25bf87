"""The core query commands: who-supports, who-opposes, path, neighbours, relations, facts, entity, disputes, stats,
validate."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, cast

import typer

from .. import query
from ..defaults import PATH_ALL_MAX_HOPS, PATH_LIMIT
from ..errors import DataError
from ..tables import Format, choose_format, emit

if TYPE_CHECKING:
    from ..answers import ValidateAnswer

from .app import (
    AsOfOpt,
    DataOpt,
    FormatOpt,
    RelationOpt,
    SinceOpt,
    SourceOpt,
    StoreOpt,
    UntilOpt,
    command,
    load_graph,
    output,
    state,
)

NameArg = Annotated[str, typer.Argument(help="An entity: id, name or alias (case, accents and punctuation ignored).")]
DirectOpt = Annotated[
    bool, typer.Option("--direct", help="Count only the entity's own facts: no acts-for links (leaders, ministers).")
]
HedgedOpt = Annotated[
    bool,
    typer.Option(
        "--hedged",
        help="Count hedged facts too (intended, proposed, considered, threatened, predicted), marked; "
        "by default only asserted facts are evidence, and denied ones never are.",
    ),
]
MinSourcesOpt = Annotated[
    int,
    typer.Option("--min-sources", min=1, help="Keep only claims reported by at least N sources."),
]


@command("who-supports")
def who_supports(
    name: NameArg,
    direct: DirectOpt = False,
    hedged: HedgedOpt = False,
    min_sources: MinSourcesOpt = 1,
    data: DataOpt = None,
    fmt: FormatOpt = None,
    as_of: AsOfOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    sources: SourceOpt = None,
    store: StoreOpt = None,
) -> None:
    """Who backs an entity: cooperative facts toward it, ranked, each with its evidence.

    Sub-relations count (congratulates is a supports), symmetric relations
    count both ways, and acts-for links count unless --direct: what a leader or
    minister does counts for their country, and what is done toward a
    country's leader counts toward the country.

    Scores count claims, not facts: facts of one relation reported by several
    sources (compatible dates), or joined by same_as, are one claim, listed
    with every source that reports it.
    """
    kg = load_graph(data, as_of=as_of, since=since, until=until, sources=sources, store=store)
    output(query.supporters(kg, name, direct=direct, hedged=hedged, min_sources=min_sources), fmt, "who-supports")


@command("who-opposes")
def who_opposes(
    name: NameArg,
    direct: DirectOpt = False,
    hedged: HedgedOpt = False,
    min_sources: MinSourcesOpt = 1,
    data: DataOpt = None,
    fmt: FormatOpt = None,
    as_of: AsOfOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    sources: SourceOpt = None,
    store: StoreOpt = None,
) -> None:
    """Who acts against an entity: conflictual facts toward it, ranked by claims, each with its evidence."""
    kg = load_graph(data, as_of=as_of, since=since, until=until, sources=sources, store=store)
    output(query.opponents(kg, name, direct=direct, hedged=hedged, min_sources=min_sources), fmt, "who-opposes")


@command("path")
def path(
    source: Annotated[str, typer.Argument(help="Where the path starts (id, name or alias).")],
    target: Annotated[str, typer.Argument(help="Where it ends.")],
    all_paths: Annotated[
        bool, typer.Option("--all", help="Every simple path up to --max-hops, not only the shortest.")
    ] = False,
    max_hops: Annotated[
        int | None,
        typer.Option("--max-hops", min=1, help=f"Longest path to consider (default: {PATH_ALL_MAX_HOPS} with --all)."),
    ] = None,
    relation: RelationOpt = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Show at most this many paths.")] = PATH_LIMIT,
    data: DataOpt = None,
    fmt: FormatOpt = None,
    as_of: AsOfOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    sources: SourceOpt = None,
    store: StoreOpt = None,
) -> None:
    """How two entities are connected, step by step, each step with its fact.

    Steps may follow a fact either way: `forward` from subject to object, or
    `backward`. Exit code 5 when they are not connected.
    """
    kg = load_graph(data, as_of=as_of, since=since, until=until, sources=sources, store=store)
    output(
        query.paths(kg, source, target, all_paths=all_paths, max_hops=max_hops, relations=relation, limit=limit),
        fmt,
        "path",
    )


@command("neighbours")
def neighbours(
    name: NameArg,
    depth: Annotated[int, typer.Option("--depth", min=1, help="How many steps out to go.")] = 1,
    relation: RelationOpt = None,
    direction: Annotated[
        str, typer.Option("--direction", help="Follow facts going out, coming in, or both: out|in|both.")
    ] = "both",
    data: DataOpt = None,
    fmt: FormatOpt = None,
    as_of: AsOfOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    sources: SourceOpt = None,
    store: StoreOpt = None,
) -> None:
    """What is one step (or --depth N steps) away from an entity, and how."""
    kg = load_graph(data, as_of=as_of, since=since, until=until, sources=sources, store=store)
    output(query.neighbours(kg, name, depth=depth, relations=relation, direction=direction), fmt, "neighbours")


# (the `relations` group of cli/edit.py runs this when no subcommand is given)
def relations(
    data: DataOpt = None,
    fmt: FormatOpt = None,
    as_of: AsOfOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    sources: SourceOpt = None,
    store: StoreOpt = None,
) -> None:
    """The relation vocabulary as a tree: polarity, inverse names, flags and fact counts."""
    output(
        query.relations(load_graph(data, as_of=as_of, since=since, until=until, sources=sources, store=store)),
        fmt,
        "relations",
    )


@command("facts")
def facts(
    subject: Annotated[str | None, typer.Option("--subject", "-s", help="Facts whose subject is this entity.")] = None,
    object: Annotated[str | None, typer.Option("--object", "-o", help="Facts whose object is this entity.")] = None,
    relation: RelationOpt = None,
    entity: Annotated[str | None, typer.Option("--entity", "-e", help="Facts with this entity at either end.")] = None,
    data: DataOpt = None,
    fmt: FormatOpt = None,
    as_of: AsOfOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    sources: SourceOpt = None,
    store: StoreOpt = None,
) -> None:
    """List facts, filtered by subject, object, relation (with sub-relations), source (--source, as every query)."""
    kg = load_graph(data, as_of=as_of, since=since, until=until, sources=sources, store=store)
    output(query.facts(kg, subject=subject, object=object, relation=relation, entity=entity), fmt, "facts")


@command("entity")
def entity(
    name: NameArg,
    data: DataOpt = None,
    fmt: FormatOpt = None,
    as_of: AsOfOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    sources: SourceOpt = None,
    store: StoreOpt = None,
) -> None:
    """One entity: its names, description and every fact it takes part in."""
    output(
        query.entity(load_graph(data, as_of=as_of, since=since, until=until, sources=sources, store=store), name),
        fmt,
        "entity",
    )


@command("disputes")
def disputes(
    data: DataOpt = None,
    fmt: FormatOpt = None,
    as_of: AsOfOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    sources: SourceOpt = None,
) -> None:
    """Contested facts: each fact another one disputes, with both sides' quotes, sources and modality."""
    output(query.disputes(load_graph(data, as_of=as_of, since=since, until=until, sources=sources)), fmt, "disputes")


@command("stats")
def stats(
    data: DataOpt = None,
    fmt: FormatOpt = None,
    as_of: AsOfOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    sources: SourceOpt = None,
    store: StoreOpt = None,
) -> None:
    """How many entities, facts, relations and sources the dataset holds."""
    output(
        query.stats(load_graph(data, as_of=as_of, since=since, until=until, sources=sources, store=store)), fmt, "stats"
    )


@command("validate")
def validate(
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    data: DataOpt = None,
    fmt: FormatOpt = None,
) -> None:
    """Check the dataset: every rule, every quote against its article; all problems at once.

    Exit 0 when clean (warnings allowed unless --strict), 3 when not. The
    table format prints one `file:line:column: severity: message` line per
    problem, as compilers do.
    """
    from ..loading.dataset import check_report

    report = check_report(data if data is not None else state.data, cache=not state.no_cache)
    result = cast("ValidateAnswer", report.to_dict())  # Problem.to_dict gives a ProblemRecord
    chosen = choose_format(fmt)
    if chosen is Format.table:
        for p in report.errors + report.warnings:
            sys.stdout.write(f"{p}\n")
        n_e, n_w = len(report.errors), len(report.warnings)
        sys.stdout.write(f"{n_e} error{'s' * (n_e != 1)}, {n_w} warning{'s' * (n_w != 1)}\n")
    else:
        emit(result, chosen, "validate")
    failing = report.errors + (report.warnings if strict else [])
    if failing:
        n = len(failing)
        raise DataError(f"the data has {n} problem{'s' * (n != 1)} (listed above)")
