"""The shapes of every answer: what the query and analysis functions return, as typed dicts.

An answer is a plain ``dict`` (its JSON output is that dict as it is), and
these :class:`~typing.TypedDict` classes say which keys it has and what they
hold, so that mypy checks the producers (:mod:`kgraph.query`,
:mod:`kgraph.analysis`) and the consumers (the table and CSV forms in
:mod:`kgraph.tables`) against one contract: a key renamed on one side fails
the type check instead of a table at run time.

Key order is the order the producers write, which is the order of the JSON
output; the classes list the keys in that order too. Keys that are Python
keywords (``from``) need the functional ``TypedDict`` form.

This module imports nothing but :mod:`typing`: the CLI can name these types
without slowing start-up.
"""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict

__all__ = [
    "AmbivalentAnswer",
    "AmbivalentPair",
    "BalanceAnswer",
    "Backer",
    "Bloc",
    "BlocsAnswer",
    "BlocTie",
    "CacheClearAnswer",
    "CacheInfoAnswer",
    "Chain",
    "DisputeRecord",
    "DisputesAnswer",
    "EntityAnswer",
    "EntityDetail",
    "EntityRef",
    "EvidenceFact",
    "ExplainAnswer",
    "FactReading",
    "FactRecord",
    "FactsAnswer",
    "Hop",
    "Neighbour",
    "NeighboursAnswer",
    "Path",
    "PathStep",
    "PathsAnswer",
    "ProblemRecord",
    "Ranked",
    "RankAnswer",
    "RelationRow",
    "RelationsAnswer",
    "StanceAnswer",
    "StanceEvidence",
    "StanceOf",
    "StancePair",
    "StatsAnswer",
    "TieRecord",
    "TimelineAnswer",
    "TimelineEvent",
    "Triad",
    "ValidateAnswer",
    "Window",
]


# -- the records every answer is made of (see kgraph.records) ---------------------


class EntityRef(TypedDict):
    """An entity as answers name it."""

    id: str
    name: str
    type: str


class FactRecord(TypedDict):
    """One fact with its evidence: subject and object as entities, the quote and its source.

    ``modality`` is one of :data:`kgraph.model.MODALITIES`; ``disputed_by`` the
    ids of the facts that contradict this one (empty when none).
    """

    id: str
    subject: EntityRef
    relation: str
    object: EntityRef
    polarity: int
    date: str | None
    start: str | None
    end: str | None
    source: str
    quote: str
    according_to: EntityRef | None
    qualifiers: dict[str, str]
    modality: str
    disputed_by: list[str]


class Window(TypedDict):
    """What a time window kept (:func:`kgraph.timefilter.window`); on analysis answers of a windowed graph."""

    as_of: str | None
    since: str | None
    until: str | None
    kept: int
    dropped: int
    undated: int  # undated facts kept
    undated_dropped: int  # undated facts left out: their source was published after the window's end
    undated_facts: list[str]
    overlapping_facts: list[str]


# -- kgraph.query --------------------------------------------------------------------


class EvidenceFact(FactRecord):
    """A claim of evidence for a stance (:func:`kgraph.records.claim_record`).

    The record of its first fact, with ``disputed_by`` covering every fact
    of the claim; ``via``: the ids of the acts-for facts that first fact
    needed (empty: none); ``facts``: every fact reporting the claim, first
    included; ``sources``: their source ids, sorted.
    """

    via: list[str]
    facts: list[FactRecord]
    sources: list[str]


class Backer(TypedDict):
    """One entity of a who-supports / who-opposes answer."""

    entity: EntityRef
    score: int
    evidence: list[EvidenceFact]
    via: list[FactRecord]


class StanceAnswer(TypedDict):
    """:func:`kgraph.who_supports` and :func:`kgraph.who_opposes`."""

    target: EntityRef
    results: list[Backer]


class PathStep(TypedDict):
    """One step of a path: the fact it follows, which way, and the other facts joining the same two entities."""

    subject: EntityRef
    relation: str
    object: EntityRef
    direction: str  # forward | backward
    fact: FactRecord
    alternatives: list[str]


class Path(TypedDict):
    length: int
    steps: list[PathStep]


PathsAnswer = TypedDict("PathsAnswer", {"from": EntityRef, "to": EntityRef, "paths": list[Path], "truncated": bool})
""":func:`kgraph.paths`."""

Neighbour = TypedDict(
    "Neighbour",
    {
        "entity": EntityRef,
        "relation": str,  # as read from the near end
        "direction": str,  # out | in
        "fact": FactRecord,
        "depth": int,
        "from": EntityRef,
    },
)
"""One row of :func:`kgraph.neighbours`: a neighbour and the fact that joins it."""


class NeighboursAnswer(TypedDict):
    """:func:`kgraph.neighbours`."""

    entity: EntityRef
    neighbours: list[Neighbour]


class RelationRow(TypedDict):
    """One relation of the vocabulary, with its facts (``count`` its own, ``total`` with sub-relations)."""

    id: str
    label: str
    polarity: int
    parent: str | None
    inverse: str | None
    symmetric: bool
    acts_for: bool
    description: str
    depth: int
    count: int
    total: int


class RelationsAnswer(TypedDict):
    """:func:`kgraph.relations`."""

    relations: list[RelationRow]


class FactsAnswer(TypedDict):
    """:func:`kgraph.facts`."""

    facts: list[FactRecord]


class EntityDetail(EntityRef):
    """An entity in full."""

    aliases: list[str]
    description: str


class EntityAnswer(TypedDict):
    """:func:`kgraph.entity`."""

    entity: EntityDetail
    facts: list[FactRecord]


class DisputeRecord(TypedDict):
    """A fact contested by another: both facts, each with the sources reporting its claim."""

    disputed: FactRecord
    disputed_sources: list[str]
    disputing: FactRecord
    disputing_sources: list[str]


class DisputesAnswer(TypedDict):
    """:func:`kgraph.disputes`."""

    disputes: list[DisputeRecord]


class StatsAnswer(TypedDict):
    """:func:`kgraph.stats`."""

    entities: int
    facts: int
    relations: int
    sources: int


class ProblemRecord(TypedDict):
    """One problem of ``kgraph validate`` (:meth:`kgraph.errors.Problem.to_dict`)."""

    path: str
    line: int | None
    column: int | None
    severity: str
    message: str
    suggestion: str | None


class ValidateAnswer(TypedDict):
    """``kgraph validate``: the report of :func:`kgraph.check`."""

    errors: list[ProblemRecord]
    warnings: list[ProblemRecord]


# -- kgraph.analysis -----------------------------------------------------------------


class StanceEvidence(TypedDict):
    """One side (supports or opposes) of an entity's stance toward another: claims, as who-supports counts them."""

    count: int
    direct: int
    evidence: list[EvidenceFact]
    via: list[FactRecord]


class StancePair(TypedDict):
    supports: StanceEvidence
    opposes: StanceEvidence


class StanceOf(StancePair):
    """Both sides and the verdict: supports, opposes, mixed or none."""

    verdict: str


class FactReading(TypedDict):
    """A fact as read from a hop's start."""

    relation: str
    direction: str
    acts_for: bool
    fact: FactRecord


Hop = TypedDict("Hop", {"from": EntityRef, "to": EntityRef, "acts_for": bool, "facts": list[FactReading]})
"""One hop of an explain chain: two entities and every fact joining them."""


class Chain(TypedDict):
    length: int
    entities: list[EntityRef]
    acts_for: bool
    hops: list[Hop]


ExplainAnswer = TypedDict(
    "ExplainAnswer",
    {
        "from": EntityRef,
        "to": EntityRef,
        "verdict": str,
        "summary": str,
        "stance": StancePair,
        "reverse": StanceOf,
        "max_hops": int,
        "chains": list[Chain],
        "total_chains": int,
        "truncated": bool,
        "disputes": list[DisputeRecord],
        "window": NotRequired[Window],
    },
)
""":func:`kgraph.analysis.explain`; ``disputes``: those touching a fact of its evidence."""


class TimelineEvent(TypedDict):
    when: str | None
    precision: str | None
    dated: bool
    known_by: str | None  # an undated fact: its source's published date (it was known by then)
    entity: EntityRef
    relation: str
    direction: str
    other: EntityRef
    via: FactRecord | None
    fact: FactRecord


class TimelineAnswer(TypedDict):
    """:func:`kgraph.analysis.timeline`."""

    entity: EntityRef
    events: list[TimelineEvent]
    undated: int
    window: NotRequired[Window]


class TieRecord(TypedDict):
    """The signed facts between two entities (:class:`kgraph.analysis.Tie`)."""

    entities: list[EntityRef]
    sign: int
    cooperative: list[FactRecord]
    conflictual: list[FactRecord]
    via: list[FactRecord]


class BlocTie(TieRecord):
    """A tie with the bloc of each end (null: unaligned)."""

    blocs: list[int | None]


class Bloc(TypedDict):
    bloc: int
    members: list[EntityRef]
    cooperative_ties: int
    facts: list[FactRecord]


class BlocsAnswer(TypedDict):
    """:func:`kgraph.analysis.blocs`."""

    fold: bool
    method: str
    seed: int
    blocs: list[Bloc]
    unaligned: list[EntityRef]
    between: list[BlocTie]
    frustrated: list[BlocTie]
    ties: int
    modularity: float | None
    consistency: float | None
    window: NotRequired[Window]


class Triad(TypedDict):
    """Three entities pairwise tied; unbalanced triads carry their ``ties``."""

    entities: list[EntityRef]
    signs: list[int]
    ties: NotRequired[list[TieRecord]]


class BalanceAnswer(TypedDict):
    """:func:`kgraph.analysis.balance`."""

    fold: bool
    triads: int
    balanced_count: int
    unbalanced_count: int
    share_balanced: float | None
    unbalanced: list[Triad]
    balanced: list[Triad]
    unsigned: list[TieRecord]
    window: NotRequired[Window]


class AmbivalentPair(TieRecord):
    net: int


class AmbivalentAnswer(TypedDict):
    """:func:`kgraph.analysis.ambivalent`."""

    fold: bool
    pairs: list[AmbivalentPair]
    window: NotRequired[Window]


class Ranked(TypedDict):
    rank: int
    entity: EntityRef
    score: float
    degree: int
    neighbours: int
    facts: list[FactRecord]


class RankAnswer(TypedDict):
    """:func:`kgraph.analysis.rank`."""

    by: str
    polarity: int | None
    fold: bool
    results: list[Ranked]
    total: int
    window: NotRequired[Window]


# -- kgraph.cache ----------------------------------------------------------------------


class CacheInfoAnswer(TypedDict):
    """``kgraph cache info`` (:func:`kgraph.cache.info`); entries are the cache files' headers."""

    directory: str
    entries: list[dict[str, Any]]
    bytes: int
    dataset: NotRequired[dict[str, Any]]


class CacheClearAnswer(TypedDict):
    """``kgraph cache clear``."""

    directory: str
    removed: list[str]
