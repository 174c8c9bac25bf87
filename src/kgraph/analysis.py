"""Analysis you can check: explanations, timelines, and the graph read as a signed network.

Every function takes the :class:`~kgraph.knowledge.KnowledgeGraph` first and
returns a JSON-ready ``dict`` whose facts are :func:`~kgraph.records.fact_record`
objects (quote and source included) and whose entities are
:func:`~kgraph.records.entity_record` objects, so each answer can be checked
against the articles. Nothing here prints. Pass a time-windowed graph
(:func:`kgraph.timefilter.window`) to analyse a period; the answer then
carries a ``window`` key saying what was kept.

**The signed network.** Facts have a polarity (1 cooperative, -1
conflictual, 0 structural). :func:`signed_ties` folds the signed facts into
*ties*: one per pair of entities, whatever the direction, holding its
cooperative and its conflictual facts; its ``sign`` is the sign of
(cooperative − conflictual), 0 when they are equal. With ``fold=True`` (the
default for blocs, balance and ambivalent) a person who acts for an actor
(``leads``, ``represents``) is merged into it, as :func:`kgraph.who_supports`
credits them: Lukashenko's facts are Belarus's, Wang Yi's are China's. The
acts-for facts used are listed in each tie's ``via``. As everywhere evidence
counts, only asserted facts are used unless ``hedged=True`` (the intended,
proposed, considered, threatened and predicted ones too); denied facts never
are (:func:`kgraph.reasoning.is_evidence`). Ties count facts, not claims.

- :func:`blocs`: Louvain communities (networkx, fixed seed) of the
  cooperative ties, with the conflictual ties between blocs, the ties that
  contradict the split, the partition's modularity and the share of ties
  consistent with it.
- :func:`balance`: structural balance (Heider; Cartwright and Harary): a triad
  of three ties is balanced when the product of its signs is positive
  ("the enemy of my enemy is my friend"); lists unbalanced triads with their
  evidence and gives the share of balanced ones.
- :func:`ambivalent`: pairs tied by both cooperative and conflictual facts.
- :func:`rank`: degree, PageRank or betweenness centrality.

>>> from kgraph import load
>>> r = explain(load(), "china", "belarus")
>>> r["verdict"]
'supports'
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar, cast

from . import dates
from .defaults import EXPLAIN_LIMIT, EXPLAIN_MAX_HOPS, RANK_BY, RANK_LIMIT, RANK_MEASURES
from .errors import MissingDependency, UsageError
from .knowledge import KnowledgeGraph
from .model import Fact
from .query import check_min_sources, claim_items, dispute_pairs, dispute_records, fact_order, facts_between
from .reasoning import acts_for, is_evidence, reading, represented_by, stance_of
from .records import entity_record, fact_record
from .timefilter import known_by

if TYPE_CHECKING:
    import networkx as nx

    from .answers import (
        AmbivalentAnswer,
        BalanceAnswer,
        Bloc,
        BlocsAnswer,
        BlocTie,
        Chain,
        ExplainAnswer,
        FactReading,
        FactRecord,
        Hop,
        RankAnswer,
        Ranked,
        StanceEvidence,
        StanceOf,
        TieRecord,
        TimelineAnswer,
        TimelineEvent,
        Triad,
        Window,
    )

__all__ = [
    "RANK_MEASURES",
    "Tie",
    "ambivalent",
    "balance",
    "blocs",
    "explain",
    "rank",
    "signed_ties",
    "timeline",
    "verdict",
]

_A = TypeVar("_A")  # an answer that may carry a window

CHAIN_COUNT_CAP = 100_000  # explain counts the chains it does not show up to this many


# -- helpers --------------------------------------------------------------------


def _facts(kg: KnowledgeGraph, facts: Iterable[Fact]) -> list[FactRecord]:
    return [fact_record(kg, f) for f in sorted(facts, key=fact_order)]


def _name_key(kg: KnowledgeGraph, entity_id: str) -> tuple[str, str]:
    return kg.entities[entity_id].name.casefold(), entity_id


def _windowed(kg: KnowledgeGraph, result: _A) -> _A:
    """Add the ``window`` summary when ``kg`` was restricted to a time window.

    ``result`` is one of the answers whose type has an optional ``window``
    key (:class:`kgraph.answers.Window`).
    """
    from .timefilter import WindowedGraph

    if isinstance(kg, WindowedGraph):
        cast("dict[str, Window]", result)["window"] = kg.window
    return result


def verdict(supporting: int, opposing: int) -> str:
    """``supports``, ``opposes``, ``mixed`` or ``none`` from counts of cooperative and conflictual evidence."""
    if supporting and opposing:
        return "mixed"
    if supporting:
        return "supports"
    if opposing:
        return "opposes"
    return "none"


# -- explain --------------------------------------------------------------------


@dataclass(frozen=True)
class _Counting:
    """How explain counts evidence: modality admitted and the sources a claim needs (as who-supports)."""

    hedged: bool = False
    min_sources: int = 1


def _side(
    kg: KnowledgeGraph, actor: str, target: str, polarity: int, how: _Counting
) -> tuple[StanceEvidence, list[Fact]]:
    """The claims of ``polarity`` of ``actor`` toward ``target``, as who-supports / who-opposes count them.

    With the facts of those claims (what explain's disputes are looked up for).
    """
    s = stance_of(kg, actor, target, polarity, hedged=how.hedged)
    if s is None:
        return {"count": 0, "direct": 0, "evidence": [], "via": []}, []
    found = s.claims(how.min_sources)
    evidence: StanceEvidence = {
        "count": len(found),
        "direct": s.direct_claims(found),
        "evidence": claim_items(kg, s, found),
        "via": _facts(kg, s.links_used(found)),
    }
    return evidence, [f for c in found for f in c.facts]


def _stance_of(kg: KnowledgeGraph, actor: str, target: str, how: _Counting) -> tuple[StanceOf, list[Fact]]:
    """What ``actor`` did toward ``target``: both sides, and the verdict; with the facts of its claims."""
    (pos, pos_facts), (neg, neg_facts) = _side(kg, actor, target, 1, how), _side(kg, actor, target, -1, how)
    return {"supports": pos, "opposes": neg, "verdict": verdict(pos["count"], neg["count"])}, pos_facts + neg_facts


def _summary(kg: KnowledgeGraph, a: str, b: str, stance: StanceOf) -> str:
    """One line: the verdict and the evidence it rests on."""
    name_a, name_b = kg.entities[a].name, kg.entities[b].name
    s, o = stance["supports"], stance["opposes"]
    head = {
        "supports": f"{name_a} supports {name_b}",
        "opposes": f"{name_a} opposes {name_b}",
        "mixed": f"{name_a} both supports and opposes {name_b}",
        "none": f"no cooperative or conflictual fact of {name_a} toward {name_b}",
    }[stance["verdict"]]

    def part(x: StanceEvidence, kind: str) -> str:
        through = x["count"] - x["direct"]
        extra = f" ({x['direct']} direct, {through} through acts-for links)" if through else ""
        return f"{x['count']} {kind} claim{'s' * (x['count'] != 1)}{extra}"

    return f"{head}: {part(s, 'cooperative')}, {part(o, 'conflictual')}"


def explain(
    kg: KnowledgeGraph,
    source: str,
    target: str,
    *,
    max_hops: int = EXPLAIN_MAX_HOPS,
    limit: int = EXPLAIN_LIMIT,
    hedged: bool = False,
    min_sources: int = 1,
) -> ExplainAnswer:
    """Why the data relates ``source`` to ``target``: a verdict and every chain of facts linking them.

    ``verdict`` is the net stance of source toward target — ``supports``,
    ``opposes``, ``mixed`` or ``none`` — from the same evidence
    :func:`kgraph.who_supports` and :func:`kgraph.who_opposes` use (direct
    facts, and facts through acts-for links, listed in ``via``);
    ``summary`` says it in one line; ``stance`` holds that evidence, counted
    in claims with the same ``hedged`` and ``min_sources`` options, and
    ``reverse`` the target's stance toward the source; ``disputes`` the
    disputes in which a fact of that evidence (either way) takes part, as
    :func:`kgraph.disputes` lists them. ``chains`` lists
    every simple chain of at most ``max_hops`` facts between the two
    (shortest first, at most ``limit``; ``truncated`` says when there were
    more, and ``total_chains`` how many, counted up to
    :data:`CHAIN_COUNT_CAP`): each hop gives the entities it joins and every
    fact joining them, each with the relation as read from the hop's start,
    its direction and whether it is an acts-for link.
    """
    from .chains import Neighbours, count_simple_paths, shortest_simple_paths

    a, b = kg.entity(source).id, kg.entity(target).id
    if a == b:
        raise UsageError("explain needs two different entities")
    if max_hops < 1:
        raise UsageError("--max-hops must be at least 1")
    if limit < 1:
        raise UsageError("--limit must be at least 1")
    check_min_sources(min_sources)
    how = _Counting(hedged, min_sources)
    near = Neighbours(kg)
    names: dict[str, tuple[str, str]] = {}
    # Yen's algorithm yields simple paths shortest first, so only the chains shown are made
    node_paths = list(itertools.islice(shortest_simple_paths(near, a, b, max_hops), limit + 1))
    truncated = len(node_paths) > limit
    node_paths = node_paths[:limit]
    for p in node_paths:
        names.update((n, _name_key(kg, n)) for n in p if n not in names)
    node_paths.sort(key=lambda p: (len(p), [names[n] for n in p]))
    total = len(node_paths)
    if truncated:
        total = count_simple_paths(near, a, b, max_hops, CHAIN_COUNT_CAP)
    chains = [_chain(kg, p) for p in node_paths]
    stance, forward_facts = _stance_of(kg, a, b, how)
    reverse, reverse_facts = _stance_of(kg, b, a, how)
    evidence = list({f.id: f for f in forward_facts + reverse_facts}.values())
    answer: ExplainAnswer = {
        "from": entity_record(kg, a),
        "to": entity_record(kg, b),
        "verdict": stance["verdict"],
        "summary": _summary(kg, a, b, stance),
        "stance": {"supports": stance["supports"], "opposes": stance["opposes"]},
        "reverse": reverse,
        "max_hops": max_hops,
        "chains": chains,
        "total_chains": total,
        "truncated": truncated,
        "disputes": dispute_records(kg, dispute_pairs(kg, evidence)),
    }
    return _windowed(kg, answer)


def _reading(kg: KnowledgeGraph, f: Fact, start: str) -> FactReading:
    _, rel, direction = reading(kg, f, start)
    return {
        "relation": rel,
        "direction": direction,
        "acts_for": kg.relations[f.relation].acts_for,
        "fact": fact_record(kg, f),
    }


def _chain(kg: KnowledgeGraph, p: list[str]) -> Chain:
    """One chain of explain: the hops along the entities ``p``, each with every fact joining its two ends."""
    hops: list[Hop] = []
    for u, v in itertools.pairwise(p):
        facts = [_reading(kg, f, u) for f in facts_between(kg, u, v)]
        hops.append(
            {
                "from": entity_record(kg, u),
                "to": entity_record(kg, v),
                "acts_for": any(x["acts_for"] for x in facts),
                "facts": facts,
            }
        )
    return {
        "length": len(hops),
        "entities": [entity_record(kg, n) for n in p],
        "acts_for": any(h["acts_for"] for h in hops),
        "hops": hops,
    }


# -- timeline ---------------------------------------------------------------------


def _precision(f: Fact) -> str | None:
    if f.date:
        return dates.precision(f.date)
    if f.start or f.end:
        return "interval"
    return None


def _timeline_order(f: Fact, known_by: str | None) -> tuple[object, ...]:
    """Sort key of a timeline: a fact's date, or the date it is known by (after the facts dated then)."""
    if known_by is None:
        return (*fact_order(f)[:1], 0, *fact_order(f)[1:])
    return (dates.sort_key(known_by), 1, *fact_order(f)[1:])


def timeline(kg: KnowledgeGraph, name: str, *, with_representatives: bool = False) -> TimelineAnswer:
    """The entity's facts in date order, as dated; an undated fact at the date it is known by, else last.

    An undated fact of a source with a ``published`` date is known by that
    date (:func:`kgraph.timefilter.known_by`): its ``when`` stays null, its
    ``known_by`` is the published date, and it sorts there, after the facts
    dated in the same period. Undated facts of a source with no date come
    last, ``known_by`` null; every undated fact is marked ``dated: false``.

    Facts sort by their first possible day (a ``start`` for intervals); at
    the same first day the less precise date comes first (``2021`` before
    ``2021-01-01``), since it is not known to be later. ``when`` is the date
    exactly as curated (``2021``, ``2021-12-02``, ``2013/..``), never made more
    precise; ``precision`` is ``year``, ``month``, ``day``, ``interval`` or
    null. With ``with_representatives``, the facts of those who act for the
    entity (its leader, ministers) are included too, each with the acts-for
    link in ``via``.
    """
    e = kg.entity(name)
    members: dict[str, Fact | None] = {e.id: None}
    if with_representatives:
        for rep in represented_by(kg, e.id):
            members.setdefault(rep.subject, rep)
    rows: dict[str, TimelineEvent] = {}
    order: list[Fact] = []
    for member, link in members.items():
        for f in kg.facts_of(member):
            if f.id in rows:
                continue
            if link is not None and f.id == link.id:
                continue
            other, rel, direction = reading(kg, f, member)
            rows[f.id] = {
                "when": f.when,
                "precision": _precision(f),
                "dated": f.when is not None,
                "known_by": known_by(kg, f),
                "entity": entity_record(kg, member),
                "relation": rel,
                "direction": "out" if direction == "forward" else "in",
                "other": entity_record(kg, other),
                "via": fact_record(kg, link) if link is not None else None,
                "fact": fact_record(kg, f),
            }
            order.append(f)
    events = [rows[f.id] for f in sorted(order, key=lambda f: _timeline_order(f, rows[f.id]["known_by"]))]
    answer: TimelineAnswer = {
        "entity": entity_record(kg, e.id),
        "events": events,
        "undated": sum(1 for r in events if not r["dated"]),
    }
    return _windowed(kg, answer)


# -- the signed network --------------------------------------------------------------


@dataclass
class Tie:
    """The signed facts between two entities (``a`` < ``b``), either direction."""

    a: str
    b: str
    positive: dict[str, Fact] = field(default_factory=dict)
    negative: dict[str, Fact] = field(default_factory=dict)
    via: dict[str, Fact] = field(default_factory=dict)

    @property
    def net(self) -> int:
        """Cooperative minus conflictual facts."""
        return len(self.positive) - len(self.negative)

    @property
    def sign(self) -> int:
        """1, -1, or 0 when there are as many cooperative as conflictual facts."""
        return (self.net > 0) - (self.net < 0)

    @property
    def ambivalent(self) -> bool:
        """Whether the pair has both cooperative and conflictual facts."""
        return bool(self.positive) and bool(self.negative)

    def other(self, entity_id: str) -> str:
        return self.b if entity_id == self.a else self.a


def _actors(kg: KnowledgeGraph, entity_id: str, fold: bool, hedged: bool) -> list[tuple[str, Fact | None]]:
    """Who an entity's facts count for: itself, or (folding) whoever it acts for."""
    if fold:
        links = acts_for(kg, entity_id, hedged=hedged)
        if links:
            return [(link.object, link) for link in links]
    return [(entity_id, None)]


def _folded_facts(
    kg: KnowledgeGraph, polarity: int | None, fold: bool, hedged: bool
) -> list[tuple[str, str, Fact, list[Fact]]]:
    """(subject, object, fact, acts-for links used) for the evidence facts of ``polarity`` (all if None), folded.

    Evidence as :func:`kgraph.reasoning.is_evidence` says: asserted facts,
    and the hedged ones too when ``hedged``; never denied ones.
    """
    out = []
    for f in kg.facts:
        if (polarity is not None and f.polarity != polarity) or not is_evidence(f, hedged):
            continue
        for s, ls in _actors(kg, f.subject, fold, hedged):
            for o, lo in _actors(kg, f.object, fold, hedged):
                if s != o:
                    out.append((s, o, f, [x for x in (ls, lo) if x is not None]))
    return out


def signed_ties(kg: KnowledgeGraph, *, fold: bool = True, hedged: bool = False) -> dict[tuple[str, str], Tie]:
    """Every pair of entities joined by cooperative or conflictual facts, keyed by the sorted pair.

    Only asserted facts count, unless ``hedged`` (denied facts never do).
    """
    ties: dict[tuple[str, str], Tie] = {}
    for s, o, f, links in _folded_facts(kg, None, fold, hedged):
        if f.polarity == 0:
            continue
        a, b = sorted((s, o))
        t = ties.setdefault((a, b), Tie(a, b))
        (t.positive if f.polarity > 0 else t.negative)[f.id] = f
        for link in links:
            t.via[link.id] = link
    return dict(sorted(ties.items()))


def _tie_record(kg: KnowledgeGraph, t: Tie) -> TieRecord:
    return {
        "entities": [entity_record(kg, t.a), entity_record(kg, t.b)],
        "sign": t.sign,
        "cooperative": _facts(kg, t.positive.values()),
        "conflictual": _facts(kg, t.negative.values()),
        "via": _facts(kg, t.via.values()),
    }


def _signed_graph(kg: KnowledgeGraph, ties: dict[tuple[str, str], Tie]) -> nx.Graph:
    import networkx as nx

    g = nx.Graph()
    nodes = sorted({n for pair in ties for n in pair}, key=lambda n: _name_key(kg, n))
    g.add_nodes_from(nodes)
    for (a, b), t in ties.items():
        g.add_edge(a, b, sign=t.sign, tie=t)
    return g


def blocs(
    kg: KnowledgeGraph, *, fold: bool = True, seed: int = 0, resolution: float = 1.0, hedged: bool = False
) -> BlocsAnswer:
    """Groups of actors held together by cooperative ties and separated by conflictual ones.

    The blocs are the Louvain communities (:func:`networkx.community.louvain_communities`,
    seeded, so the answer is reproducible) of the graph of ties whose sign is
    cooperative, weighted by their net count of facts. Actors with no
    cooperative tie are ``unaligned``. ``between`` lists the conflictual
    ties across blocs (each with the blocs it joins: a number, or null for
    an unaligned actor); ``frustrated`` the ties that contradict the split:
    cooperative across blocs, or conflictual (or evenly split) inside one.
    ``modularity`` is that of the partition on the cooperative graph (higher:
    denser inside than chance), ``consistency`` the share of signed ties that
    agree with the split (1.0: the data splits perfectly). Only asserted
    facts count, unless ``hedged`` (:func:`signed_ties`).
    """
    import networkx as nx

    ties = signed_ties(kg, fold=fold, hedged=hedged)
    g = _signed_graph(kg, ties)
    coop = nx.Graph()
    coop.add_nodes_from(g.nodes)
    coop.add_weighted_edges_from((a, b, t.net) for (a, b), t in ties.items() if t.sign > 0)
    parts: list[set[str]] = []
    if coop.number_of_nodes():
        parts = [
            set(c) for c in nx.community.louvain_communities(coop, weight="weight", seed=seed, resolution=resolution)
        ]
    parts.sort(key=lambda c: (-len(c), min(_name_key(kg, n) for n in c)))
    groups = [c for c in parts if len(c) > 1]
    loners = sorted((n for c in parts if len(c) == 1 for n in c), key=lambda n: _name_key(kg, n))
    bloc_of: dict[str, int | None] = {n: None for n in loners}
    for i, c in enumerate(groups, start=1):
        for n in c:
            bloc_of[n] = i
    part_of = {n: i for i, c in enumerate(parts) for n in c}

    def placed(t: Tie) -> BlocTie:
        return {**_tie_record(kg, t), "blocs": [bloc_of[t.a], bloc_of[t.b]]}

    between: list[BlocTie] = []
    frustrated: list[BlocTie] = []
    for t in ties.values():
        same = part_of[t.a] == part_of[t.b]
        if not same and t.sign < 0:
            between.append(placed(t))
        if (same and t.sign <= 0) or (not same and t.sign >= 0):
            frustrated.append(placed(t))
    modularity = nx.community.modularity(coop, parts, weight="weight") if coop.number_of_edges() else None
    bloc_rows: list[Bloc] = []
    for i, c in enumerate(groups, start=1):
        inside = [t for t in ties.values() if t.a in c and t.b in c]
        bloc_rows.append(
            {
                "bloc": i,
                "members": [entity_record(kg, n) for n in sorted(c, key=lambda n: _name_key(kg, n))],
                "cooperative_ties": sum(1 for t in inside if t.sign > 0),
                "facts": _facts(kg, [f for t in inside if t.sign > 0 for f in t.positive.values()]),
            }
        )
    answer: BlocsAnswer = {
        "fold": fold,
        "method": "louvain",
        "seed": seed,
        "blocs": bloc_rows,
        "unaligned": [entity_record(kg, n) for n in loners],
        "between": between,
        "frustrated": frustrated,
        "ties": len(ties),
        "modularity": None if modularity is None else round(modularity, 4),
        "consistency": round(1 - len(frustrated) / len(ties), 4) if ties else None,
    }
    return _windowed(kg, answer)


def balance(kg: KnowledgeGraph, *, fold: bool = True, hedged: bool = False) -> BalanceAnswer:
    """Structural balance: the triads of signed ties, which ones do not balance, and the share that do.

    A triad is three actors pairwise joined by signed ties; it is balanced
    when the product of the three signs is positive (all friends, or two
    friends with a common enemy). Ties with as many cooperative as
    conflictual facts have no sign: triads containing one are not counted,
    and those ties are listed in ``unsigned``. Each unbalanced triad comes
    with its three ties and their facts; ``balanced`` lists the others
    (entities and signs only). ``share_balanced`` is null when there is no
    triad. Only asserted facts count, unless ``hedged`` (:func:`signed_ties`).
    """
    import networkx as nx

    ties = signed_ties(kg, fold=fold, hedged=hedged)
    g = _signed_graph(kg, ties)
    signed = g.edge_subgraph([(a, b) for (a, b), t in ties.items() if t.sign != 0])
    order = {n: i for i, n in enumerate(g.nodes)}
    balanced_rows: list[Triad] = []
    unbalanced_rows: list[Triad] = []
    for clique in nx.enumerate_all_cliques(signed):
        if len(clique) < 3:
            continue
        if len(clique) > 3:
            break
        trio = sorted(clique, key=order.__getitem__)
        pairs = [(trio[0], trio[1]), (trio[1], trio[2]), (trio[0], trio[2])]
        triad_ties = [ties[(min(p), max(p))] for p in pairs]
        signs = [t.sign for t in triad_ties]
        product = signs[0] * signs[1] * signs[2]
        row: Triad = {"entities": [entity_record(kg, n) for n in trio], "signs": signs}
        if product > 0:
            balanced_rows.append(row)
        else:
            row["ties"] = [_tie_record(kg, t) for t in triad_ties]
            unbalanced_rows.append(row)
    total = len(balanced_rows) + len(unbalanced_rows)
    answer: BalanceAnswer = {
        "fold": fold,
        "triads": total,
        "balanced_count": len(balanced_rows),
        "unbalanced_count": len(unbalanced_rows),
        "share_balanced": round(len(balanced_rows) / total, 4) if total else None,
        "unbalanced": unbalanced_rows,
        "balanced": balanced_rows,
        "unsigned": [_tie_record(kg, t) for t in ties.values() if t.sign == 0],
    }
    return _windowed(kg, answer)


def ambivalent(kg: KnowledgeGraph, *, fold: bool = True, hedged: bool = False) -> AmbivalentAnswer:
    """Pairs tied by both cooperative and conflictual facts, with both sides of the evidence.

    Most evenly split first (the smaller side's count, then the total).
    ``net`` is cooperative minus conflictual facts. Only asserted facts
    count, unless ``hedged`` (:func:`signed_ties`).
    """
    ties = [t for t in signed_ties(kg, fold=fold, hedged=hedged).values() if t.ambivalent]
    ties.sort(
        key=lambda t: (
            -min(len(t.positive), len(t.negative)),
            -(len(t.positive) + len(t.negative)),
            _name_key(kg, t.a),
            _name_key(kg, t.b),
        )
    )
    answer: AmbivalentAnswer = {"fold": fold, "pairs": [{**_tie_record(kg, t), "net": t.net} for t in ties]}
    return _windowed(kg, answer)


def _polarity(value: int | str | None) -> int | None:
    if value is None or value in ("", "any", "all"):
        return None
    table = {
        "+": 1,
        "1": 1,
        "+1": 1,
        "cooperative": 1,
        "positive": 1,
        "-": -1,
        "-1": -1,
        "conflictual": -1,
        "negative": -1,
        "0": 0,
        "structural": 0,
        "neutral": 0,
    }
    key = value if isinstance(value, str) else str(value)
    if key.strip().lower() not in table:
        raise UsageError(f"--polarity must be + (cooperative), - (conflictual) or 0 (structural), not {value!r}")
    return table[key.strip().lower()]


def _pagerank(g: nx.DiGraph) -> dict[str, float]:
    """networkx's PageRank; its pure-Python variant when NumPy/SciPy are not installed."""
    import networkx as nx

    try:
        return dict(nx.pagerank(g, weight="weight"))
    except ImportError:
        from networkx.algorithms.link_analysis import pagerank_alg

        fallback = getattr(pagerank_alg, "_pagerank_python", None)
        if fallback is None:  # pragma: no cover - depends on the networkx release
            raise MissingDependency("PageRank needs SciPy with this networkx: pip install scipy") from None
        return dict(fallback(g, weight="weight"))


def rank(
    kg: KnowledgeGraph,
    *,
    by: str = RANK_BY,
    polarity: int | str | None = None,
    fold: bool = False,
    limit: int | None = RANK_LIMIT,
    types: Sequence[str] | None = None,
    hedged: bool = False,
) -> RankAnswer:
    """The most central entities by ``degree``, ``pagerank`` or ``betweenness``.

    The graph is every asserted fact (or only those of ``polarity``: ``+``/1
    cooperative, ``-``/-1 conflictual, 0 structural); ``hedged`` adds the
    hedged facts (never denied ones); with ``fold`` persons are merged into
    whom they act for, as in :func:`signed_ties`.

    - ``degree``: the number of facts the entity takes part in;
    - ``pagerank``: networkx PageRank on the directed graph of facts
      (subject → object, both ways for symmetric relations, weighted by the
      number of facts): being the object of many facts, from central
      entities, ranks high;
    - ``betweenness``: networkx betweenness centrality (normalised) on the
      undirected graph: how often the entity lies on the shortest
      connections between others.

    ``types`` keeps only entities of those types in the answer (the measure
    is still computed on the whole graph). Each result carries its
    ``facts`` (the evidence the measure was computed from), its ``degree``
    and number of distinct ``neighbours``.
    """
    import networkx as nx

    if by not in RANK_MEASURES:
        from .resolve import suggest

        hint = suggest(by, RANK_MEASURES)
        more = f"; did you mean {hint[0]!r}?" if hint else ""
        raise UsageError(f"--by must be one of {', '.join(RANK_MEASURES)}, not {by!r}{more}")
    if limit is not None and limit < 1:
        raise UsageError("--limit must be at least 1")
    sign = _polarity(polarity)
    wanted = set(types or [])
    known_types = {e.type for e in kg.entities.values()}
    for t in wanted - known_types:
        from .resolve import suggest

        hint = suggest(t, sorted(known_types))
        more = f"; did you mean {hint[0]!r}?" if hint else ""
        raise UsageError(f"no entity has type {t!r}{more}")
    folded = _folded_facts(kg, sign, fold, hedged)
    multi = nx.MultiGraph()
    directed = nx.DiGraph()
    evidence: dict[str, dict[str, Fact]] = {}
    for s, o, f, _ in folded:
        multi.add_edge(s, o, key=f.id)
        pairs = [(s, o), (o, s)] if kg.relations[f.relation].symmetric else [(s, o)]
        for u, v in pairs:
            w = directed.get_edge_data(u, v, {"weight": 0})["weight"]
            directed.add_edge(u, v, weight=w + 1)
        evidence.setdefault(s, {})[f.id] = f
        evidence.setdefault(o, {})[f.id] = f
    scores: dict[str, float]
    if by == "degree":
        scores = {n: float(d) for n, d in multi.degree()}
    elif by == "pagerank":
        scores = _pagerank(directed) if directed.number_of_nodes() else {}
    else:
        scores = dict(nx.betweenness_centrality(nx.Graph(multi), normalized=True))
    ranked = sorted(scores, key=lambda n: (-round(scores[n], 12), _name_key(kg, n)))
    if wanted:
        ranked = [n for n in ranked if kg.entities[n].type in wanted]
    total = len(ranked)
    if limit is not None:
        ranked = ranked[:limit]
    results: list[Ranked] = [
        {
            "rank": i,
            "entity": entity_record(kg, n),
            "score": round(scores[n], 6),
            "degree": multi.degree(n),
            "neighbours": len(set(multi.neighbors(n))),
            "facts": _facts(kg, evidence.get(n, {}).values()),
        }
        for i, n in enumerate(ranked, start=1)
    ]
    answer: RankAnswer = {"by": by, "polarity": sign, "fold": fold, "results": results, "total": total}
    return _windowed(kg, answer)
