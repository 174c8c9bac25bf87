"""Analysis commands: explain, timeline, blocs, balance, ambivalent, rank (see kgraph.analysis)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from .. import analysis
from ..defaults import EXPLAIN_LIMIT, EXPLAIN_MAX_HOPS, RANK_BY, RANK_LIMIT
from .app import AsOfOpt, DataOpt, FormatOpt, SinceOpt, SourceOpt, StoreOpt, UntilOpt, command, load_graph, output
from .core import HedgedOpt, MinSourcesOpt

NameArg = Annotated[str, typer.Argument(help="An entity: id, name or alias (case, accents and punctuation ignored).")]
FoldOpt = Annotated[
    bool,
    typer.Option(
        "--fold/--no-fold",
        help="Merge persons into whom they act for (leaders, ministers, envoys), as who-supports credits them.",
    ),
]


class Measure(StrEnum):
    """Centrality measures of `kgraph rank`: kgraph.defaults.RANK_MEASURES (a test keeps them equal).

    A class, not ``StrEnum("Measure", RANK_MEASURES)``, so that mypy knows its members.
    """

    degree = "degree"
    pagerank = "pagerank"
    betweenness = "betweenness"


_DEFAULT_MEASURE = Measure(RANK_BY)


@command("explain")
def explain(
    source: Annotated[str, typer.Argument(help="The entity whose stance is explained (id, name or alias).")],
    target: Annotated[str, typer.Argument(help="The entity it is explained toward.")],
    max_hops: Annotated[
        int, typer.Option("--max-hops", min=1, help="Longest chain of facts to show.")
    ] = EXPLAIN_MAX_HOPS,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Show at most this many chains.")] = EXPLAIN_LIMIT,
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
    """Why the data relates A to B: a verdict and every chain of facts linking them.

    The verdict (supports / opposes / mixed / none) is A's net stance toward B
    from the same evidence as who-supports and who-opposes: A's own facts
    toward B, and facts through acts-for links (a leader or minister counts
    for their country). Then every chain of up to --max-hops facts between
    them, each hop with its relation, direction, quote and source, and the
    disputes on the evidence.
    """
    kg = load_graph(data, as_of=as_of, since=since, until=until, sources=sources, store=store)
    answer = analysis.explain(
        kg, source, target, max_hops=max_hops, limit=limit, hedged=hedged, min_sources=min_sources
    )
    output(answer, fmt, "explain")


@command("timeline")
def timeline(
    name: NameArg,
    representatives: Annotated[
        bool, typer.Option("--representatives", help="Include the facts of those who act for the entity.")
    ] = False,
    data: DataOpt = None,
    fmt: FormatOpt = None,
    as_of: AsOfOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    sources: SourceOpt = None,
    store: StoreOpt = None,
) -> None:
    """An entity's facts in date order, dates as curated; an undated fact "by" its source's publication.

    Partial dates stand for their whole period: `2021` sorts before
    `2021-01-01` (it is not known to be later), and is shown as `2021`.
    """
    kg = load_graph(data, as_of=as_of, since=since, until=until, sources=sources, store=store)
    output(analysis.timeline(kg, name, with_representatives=representatives), fmt, "timeline")


@command("blocs")
def blocs(
    fold: FoldOpt = True,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the Louvain community detection.")] = 0,
    resolution: Annotated[
        float, typer.Option("--resolution", min=0.0, help="Louvain resolution: above 1 favours smaller blocs.")
    ] = 1.0,
    hedged: HedgedOpt = False,
    data: DataOpt = None,
    fmt: FormatOpt = None,
    as_of: AsOfOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    sources: SourceOpt = None,
) -> None:
    """Groups of actors held together by cooperative ties, and the conflicts between them.

    Louvain communities of the cooperative ties; then the conflictual ties
    across blocs, the ties that contradict the split, the modularity and the
    share of ties consistent with the split.
    """
    kg = load_graph(data, as_of=as_of, since=since, until=until, sources=sources)
    output(analysis.blocs(kg, fold=fold, seed=seed, resolution=resolution, hedged=hedged), fmt, "blocs")


@command("balance")
def balance(
    fold: FoldOpt = True,
    hedged: HedgedOpt = False,
    data: DataOpt = None,
    fmt: FormatOpt = None,
    as_of: AsOfOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    sources: SourceOpt = None,
) -> None:
    """Structural balance: triads whose signs do not balance, with their evidence, and the share that do.

    A triad of three signed ties balances when the product of its signs is +
    (the friend of my friend is my friend; the enemy of my enemy is my friend).
    """
    kg = load_graph(data, as_of=as_of, since=since, until=until, sources=sources)
    output(analysis.balance(kg, fold=fold, hedged=hedged), fmt, "balance")


@command("ambivalent")
def ambivalent(
    fold: FoldOpt = True,
    hedged: HedgedOpt = False,
    data: DataOpt = None,
    fmt: FormatOpt = None,
    as_of: AsOfOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    sources: SourceOpt = None,
) -> None:
    """Pairs tied by both cooperative and conflictual facts, with both sides of the evidence."""
    kg = load_graph(data, as_of=as_of, since=since, until=until, sources=sources)
    output(analysis.ambivalent(kg, fold=fold, hedged=hedged), fmt, "ambivalent")


@command("rank")
def rank(
    by: Annotated[Measure, typer.Option("--by", case_sensitive=False, help="Centrality measure.")] = _DEFAULT_MEASURE,
    polarity: Annotated[
        str | None,
        typer.Option("--polarity", help="Only cooperative (+) or conflictual (-) facts (default: all facts)."),
    ] = None,
    fold: Annotated[
        bool, typer.Option("--fold/--no-fold", help="Merge persons into whom they act for (leaders, ministers).")
    ] = False,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Show the top N.")] = RANK_LIMIT,
    entity_type: Annotated[
        list[str] | None, typer.Option("--type", help="Only show entities of this type; repeatable.")
    ] = None,
    hedged: HedgedOpt = False,
    data: DataOpt = None,
    fmt: FormatOpt = None,
    as_of: AsOfOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    sources: SourceOpt = None,
) -> None:
    """The most central entities by degree, PageRank or betweenness (networkx).

    degree: facts the entity takes part in; pagerank: on the directed graph of
    facts (symmetric relations both ways); betweenness: how often it lies on
    the shortest connections between others.
    """
    kg = load_graph(data, as_of=as_of, since=since, until=until, sources=sources)
    answer = analysis.rank(kg, by=by.value, polarity=polarity, fold=fold, limit=limit, types=entity_type, hedged=hedged)
    output(answer, fmt, "rank")
