"""Questions to a knowledge graph, as plain functions returning plain data.

Each function takes the :class:`~kgraph.knowledge.KnowledgeGraph` first,
resolves names (raising :class:`~kgraph.errors.UnknownEntity` with
suggestions), and returns a JSON-ready ``dict`` with the keys documented in
the README; :mod:`kgraph.answers` types each answer. Nothing here prints or exits.

>>> from kgraph import load
>>> kg = load()
>>> backers = [r["entity"]["id"] for r in who_supports(kg, "belarus")["results"]]
>>> backers[0], "russia" in backers, "united-states" in backers
('china', True, False)
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from .claims import Claim, claims, fact_order
from .defaults import PATH_ALL_MAX_HOPS, PATH_LIMIT
from .errors import NoPath, UnknownSource, UsageError
from .knowledge import KnowledgeGraph, relation_counts
from .model import Fact
from .reasoning import reading, stances_toward
from .records import claim_record, dispute_record, entity_record, fact_record
from .resolve import suggest

if TYPE_CHECKING:
    from .answers import (
        Backer,
        DisputeRecord,
        DisputesAnswer,
        EntityAnswer,
        EntityDetail,
        EvidenceFact,
        FactsAnswer,
        Neighbour,
        NeighboursAnswer,
        Path,
        PathsAnswer,
        PathStep,
        RelationRow,
        RelationsAnswer,
        StanceAnswer,
        StatsAnswer,
    )
    from .reasoning import Stance

__all__ = [
    "StanceRanking",
    "check_min_sources",
    "claim_items",
    "dispute_pairs",
    "dispute_records",
    "disputes",
    "entity",
    "fact_order",
    "facts",
    "facts_between",
    "neighbours",
    "opponents",
    "paths",
    "relation_filter",
    "relations",
    "stance_ranking",
    "stats",
    "supporters",
    "who_opposes",
    "who_supports",
]


def relation_filter(kg: KnowledgeGraph, names: Iterable[str] | None) -> set[str] | None:
    """The relation ids the given names cover, sub-relations included (None: no filter)."""
    names = list(names or [])
    if not names:
        return None
    allowed: set[str] = set()
    for name in names:
        allowed |= kg.descendants(kg.relation(name).id)
    return allowed


def check_min_sources(min_sources: int) -> None:
    """Refuse a ``--min-sources`` below 1 (every claim has a source)."""
    if min_sources < 1:
        raise UsageError("--min-sources must be at least 1")


def claim_items(kg: KnowledgeGraph, s: Stance, found: list[Claim]) -> list[EvidenceFact]:
    """The evidence items of a stance: one per claim, each with the acts-for links its first fact needed."""
    return [claim_record(kg, c, s.links.get(c.id, [])) for c in found]


def _backer(kg: KnowledgeGraph, s: Stance, found: list[Claim]) -> Backer:
    return {
        "entity": entity_record(kg, s.entity),
        "score": len(found),
        "evidence": claim_items(kg, s, found),
        "via": [fact_record(kg, f) for f in sorted(s.links_used(found), key=fact_order)],
    }


class StanceRanking:
    """A stance answer before it is written: the target and each ranked entity's stance and claims.

    :meth:`answer` is what :func:`who_supports` (:func:`who_opposes`) returns;
    :meth:`json_line` is ``json.dumps(answer(), ensure_ascii=False)``, written
    from the facts without the records (:mod:`kgraph.recordtext`): at a
    million facts the busiest entity's answer holds 38,602 fact records, and
    building them cost more than finding them. The CLI asks for one or the
    other (:func:`kgraph.tables.emit`).
    """

    def __init__(self, kg: KnowledgeGraph, target: str, ranked: list[tuple[Stance, list[Claim]]]) -> None:
        self.kg = kg
        self.target = target
        self.ranked = ranked

    def answer(self) -> StanceAnswer:
        kg = self.kg
        return {"target": entity_record(kg, self.target), "results": [_backer(kg, s, cs) for s, cs in self.ranked]}

    def json_line(self) -> str:
        return "".join(self.json_pieces())

    def json_pieces(self) -> Iterator[str]:
        """:meth:`json_line` in pieces, one entity's at a time: written as they come, the busiest answer at a
        million facts (34 MB) is never held whole, and its memory, faulted in page by page, cost a tenth of
        the command."""
        import json

        from .recordtext import StanceText, shapes_agree

        kg, ranked = self.kg, self.ranked
        if ranked and not shapes_agree(_backer(kg, ranked[0][0], ranked[0][1][:1])):
            yield json.dumps(self.answer(), ensure_ascii=False)  # (a record changed shape: the records, dumped)
            return
        text = StanceText(kg)
        try:
            target = text.entity(self.target)
        except TypeError:  # (a field typed str that is not one: json.dumps writes what it is)
            target = json.dumps(entity_record(kg, self.target), ensure_ascii=False)
        yield f'{{"target": {target}, "results": ['
        for n, (s, cs) in enumerate(ranked):
            try:
                done = text.backer(s, cs, sorted(s.links_used(cs), key=fact_order))
            except TypeError:  # (as above, for this entity alone: its text stands apart from the others')
                done = json.dumps(_backer(kg, s, cs), ensure_ascii=False)
            yield f", {done}" if n else done
        yield "]}"


def stance_ranking(
    kg: KnowledgeGraph, name: str, polarity: int, *, direct: bool = False, hedged: bool = False, min_sources: int = 1
) -> StanceRanking:
    """The entities with facts of ``polarity`` toward ``name``, ranked as :func:`who_supports` ranks them."""
    check_min_sources(min_sources)
    target = kg.entity(name)
    found = stances_toward(kg, target.id, polarity, direct=direct, hedged=hedged)
    counted = [(s, s.claims(min_sources)) for s in found.values()]
    ranked = sorted(
        ((s, cs) for s, cs in counted if cs),
        key=lambda x: (-len(x[1]), -x[0].direct_claims(x[1]), kg.entities[x[0].entity].name.casefold(), x[0].entity),
    )
    return StanceRanking(kg, target.id, ranked)


def supporters(
    kg: KnowledgeGraph, name: str, *, direct: bool = False, hedged: bool = False, min_sources: int = 1
) -> StanceRanking:
    """:func:`who_supports`'s answer before it is written (what the CLI asks for)."""
    return stance_ranking(kg, name, 1, direct=direct, hedged=hedged, min_sources=min_sources)


def opponents(
    kg: KnowledgeGraph, name: str, *, direct: bool = False, hedged: bool = False, min_sources: int = 1
) -> StanceRanking:
    """:func:`who_opposes`'s answer before it is written (what the CLI asks for)."""
    return stance_ranking(kg, name, -1, direct=direct, hedged=hedged, min_sources=min_sources)


def _stance(kg: KnowledgeGraph, name: str, polarity: int, direct: bool, hedged: bool, min_sources: int) -> StanceAnswer:
    return stance_ranking(kg, name, polarity, direct=direct, hedged=hedged, min_sources=min_sources).answer()


def who_supports(
    kg: KnowledgeGraph, name: str, *, direct: bool = False, hedged: bool = False, min_sources: int = 1
) -> StanceAnswer:
    """Entities with cooperative facts toward ``name``, most evidence first.

    Evidence is counted in claims (:mod:`kgraph.claims`): an entity's facts
    of one relation toward ``name`` reported by several sources (with
    compatible dates), or joined by ``same_as``, are one claim, and ``score``
    is the number of claims. Each evidence item is a claim: its first fact's
    record, with ``facts`` (every fact reporting it), ``sources`` (their
    source ids) and ``disputed_by`` (facts contradicting any of them).
    ``min_sources`` keeps only claims reported by at least that many
    sources (entities left with none are dropped).

    Only asserted facts count; ``hedged=True`` admits intended, proposed,
    considered, threatened and predicted facts too (each record says its
    ``modality``); denied facts never count.

    ``via`` lists the acts-for facts used (e.g. *Xi Jinping leads China* when
    Xi's congratulations count for China), and each evidence item's own
    ``via`` the ids of those its first fact needed (empty: the entity's own
    act toward the target); ``direct=True`` uses none.
    """
    return _stance(kg, name, 1, direct, hedged, min_sources)


def who_opposes(
    kg: KnowledgeGraph, name: str, *, direct: bool = False, hedged: bool = False, min_sources: int = 1
) -> StanceAnswer:
    """Entities with conflictual facts toward ``name``; same shape and options as :func:`who_supports`."""
    return _stance(kg, name, -1, direct, hedged, min_sources)


def dispute_pairs(kg: KnowledgeGraph, among: Iterable[Fact] | None = None) -> list[tuple[Fact, Fact]]:
    """``(disputing, disputed)`` for every dispute of the graph, by the disputed fact's order, then the disputing one's.

    With ``among``, only the disputes in which one of those facts takes part
    (either side). A reference to a fact the graph does not hold (left out by
    a time window) is skipped.
    """
    pool = kg.facts if among is None else among
    pairs: dict[tuple[str, str], tuple[Fact, Fact]] = {}
    for f in pool:
        for ref in f.disputes:
            if ref in kg.facts_by_id:  # (looked up only when a fact disputes: the index holds every fact)
                pairs.setdefault((f.id, ref), (f, kg.facts_by_id[ref]))
        if among is not None:
            for ref in kg.disputed_by(f.id):
                pairs.setdefault((ref, f.id), (kg.facts_by_id[ref], f))
    return sorted(pairs.values(), key=lambda p: (fact_order(p[1]), fact_order(p[0])))


def dispute_records(kg: KnowledgeGraph, pairs: list[tuple[Fact, Fact]]) -> list[DisputeRecord]:
    """The records of ``pairs``, each side with the sources of its claim across the dataset."""
    if not pairs:
        return []
    sources = {f.id: list(c.sources) for c in claims(kg) for f in c.facts}
    return [dispute_record(kg, disputing, disputed, sources) for disputing, disputed in pairs]


def disputes(kg: KnowledgeGraph) -> DisputesAnswer:
    """Every contested fact and each fact that disputes it (``disputes:`` in the data), both quoted.

    Each record holds the ``disputed`` fact and the ``disputing`` one (their
    full records: quote, source, modality), and for each side the sources
    reporting its claim (``disputed_sources``, ``disputing_sources``), so a
    claim reported by two articles and denied by a third shows as such.
    """
    return {"disputes": dispute_records(kg, dispute_pairs(kg))}


def _step(kg: KnowledgeGraph, joining: list[Fact], from_entity: str) -> PathStep:
    """A path's step from ``from_entity``: the first of the facts joining its two entities, the others as ids."""
    f = joining[0]
    _, _, direction = reading(kg, f, from_entity)
    return {
        "subject": entity_record(kg, f.subject),
        "relation": f.relation,
        "object": entity_record(kg, f.object),
        "direction": direction,
        "fact": fact_record(kg, f),
        "alternatives": [x.id for x in joining[1:]],
    }


def facts_between(kg: KnowledgeGraph, a: str, b: str, allowed: set[str] | None = None) -> list[Fact]:
    """Facts joining a and b either way, forward ones first, then by date."""
    fwd = [f for f in kg.out_facts_to(a, b) if allowed is None or f.relation in allowed]
    back = [f for f in kg.out_facts_to(b, a) if allowed is None or f.relation in allowed]
    return sorted(fwd, key=fact_order) + sorted(back, key=fact_order)


def paths(
    kg: KnowledgeGraph,
    source: str,
    target: str,
    *,
    all_paths: bool = False,
    max_hops: int | None = None,
    relations: Sequence[str] | None = None,
    limit: int = PATH_LIMIT,
) -> PathsAnswer:
    """How two entities connect: shortest paths (or every simple path up to ``max_hops``).

    Steps may follow a fact either way; each says which (``forward`` or
    ``backward``) and carries the fact. Where several facts join the same two
    entities, the step shows the first (forward, earliest) and
    ``alternatives`` lists the others. Raises NoPath when there is none.
    """
    from .pathfind import shortest_paths, simple_paths

    a, b = kg.entity(source).id, kg.entity(target).id
    if max_hops is not None and max_hops < 1:
        raise UsageError("--max-hops must be at least 1")
    if limit < 1:
        raise UsageError("--limit must be at least 1")
    allowed = relation_filter(kg, relations)
    if a == b:
        raise UsageError("a path needs two different entities")
    if all_paths:
        hops = max_hops if max_hops is not None else PATH_ALL_MAX_HOPS
        node_paths, more = simple_paths(kg, a, b, allowed, limit=limit, hops=hops)
    else:
        node_paths, more = shortest_paths(kg, a, b, allowed, limit=limit, max_hops=max_hops)
    if not node_paths:
        hops = max_hops if max_hops is not None else PATH_ALL_MAX_HOPS
        within = f" within {hops} hops" if (all_paths or max_hops) else ""
        only = f" using {', '.join(relations or [])}" if relations else ""
        raise NoPath(f"no path from {a!r} to {b!r}{within}{only}")
    found: list[Path] = []
    for p in node_paths:
        steps = [_step(kg, facts_between(kg, u, v, allowed), u) for u, v in itertools.pairwise(p)]
        found.append({"length": len(steps), "steps": steps})
    return {
        "from": entity_record(kg, a),
        "to": entity_record(kg, b),
        "paths": found,
        "truncated": more,
    }


def _joining(kg: KnowledgeGraph, near: str, direction: str, allowed: set[str] | None) -> list[Fact]:
    """The facts ``neighbours`` follows from ``near``, in date order (a symmetric fact goes both ways)."""
    found: list[Fact] = []
    for f in kg.out_facts(near):
        if direction in ("out", "both") or kg.relations[f.relation].symmetric:
            found.append(f)
    for f in kg.in_facts(near):
        if f.subject != near and (direction in ("in", "both") or kg.relations[f.relation].symmetric):
            found.append(f)
    return [f for f in sorted(found, key=fact_order) if allowed is None or f.relation in allowed]


def _neighbour(kg: KnowledgeGraph, f: Fact, near: str, direction: str, level: int) -> tuple[str, Neighbour]:
    """The entity ``f`` reaches from ``near``, and its row."""
    other, rel, way = reading(kg, f, near)
    # a symmetric fact goes both ways: it is shown the way that was asked for
    if direction != "both" and kg.relations[f.relation].symmetric:
        shown = direction
    else:
        shown = "out" if way == "forward" else "in"
    row: Neighbour = {
        "entity": entity_record(kg, other),
        "relation": rel,
        "direction": shown,
        "fact": fact_record(kg, f),
        "depth": level,
        "from": entity_record(kg, near),
    }
    return other, row


def neighbours(
    kg: KnowledgeGraph,
    name: str,
    *,
    depth: int = 1,
    relations: Sequence[str] | None = None,
    direction: str = "both",
) -> NeighboursAnswer:
    """Entities up to ``depth`` steps away, one row per joining fact.

    ``direction`` ``out`` follows facts whose subject is the near end, ``in``
    those whose object is; a symmetric fact counts both ways. Each row gives
    the neighbour, the relation as read from the near end (inverse name when
    read backwards), the direction, the fact, its ``depth`` and the entity it
    was reached ``from``.
    """
    if direction not in ("in", "out", "both"):
        raise UsageError(f"direction must be in, out or both, not {direction!r}")
    if depth < 1:
        raise UsageError("--depth must be at least 1")
    start = kg.entity(name).id
    allowed = relation_filter(kg, relations)
    seen = {start}
    frontier = [start]
    rows: list[Neighbour] = []
    for level in range(1, depth + 1):
        reached: list[str] = []  # new at this level, in the order first reached
        for near in frontier:
            for f in _joining(kg, near, direction, allowed):
                other, row = _neighbour(kg, f, near, direction, level)
                if other in seen and other not in reached:
                    continue  # nearer than this level: listed already
                if other not in reached:
                    reached.append(other)
                rows.append(row)
        seen.update(reached)
        frontier = reached
        if not frontier:
            break
    return {"entity": entity_record(kg, start), "neighbours": rows}


def relations(kg: KnowledgeGraph) -> RelationsAnswer:
    """The vocabulary in tree order, each with its fact counts (own and with sub-relations)."""
    own: dict[str, int] = {r: 0 for r in kg.relations}
    for rid, n in relation_counts(kg.store).items():
        own[rid] += n  # (a relation missing from the vocabulary fails here, as it did when counting facts)
    children: dict[str | None, list[str]] = {}
    for r in kg.relations.values():
        parent = r.parent if r.parent in kg.relations else None
        children.setdefault(parent, []).append(r.id)
    rows: list[RelationRow] = []

    def walk(rid: str, depth: int) -> int:
        r = kg.relations[rid]
        row: RelationRow = {
            "id": r.id,
            "label": r.label,
            "polarity": r.polarity,
            "parent": r.parent,
            "inverse": r.inverse,
            "symmetric": r.symmetric,
            "acts_for": r.acts_for,
            "description": r.description,
            "depth": depth,
            "count": own[rid],
            "total": 0,  # below, once the sub-relations are counted
        }
        rows.append(row)
        total = own[rid] + sum(walk(c, depth + 1) for c in children.get(rid, []))
        row["total"] = total
        return total

    for root in children.get(None, []):
        walk(root, 0)
    return {"relations": rows}


def facts(
    kg: KnowledgeGraph,
    *,
    subject: str | None = None,
    object: str | None = None,
    relation: Sequence[str] | str | None = None,
    source: str | None = None,
    entity: str | None = None,
) -> FactsAnswer:
    """Facts matching every filter given (relation includes its sub-relations), in date order."""
    sid = kg.entity(subject).id if subject else None
    oid = kg.entity(object).id if object else None
    eid = kg.entity(entity).id if entity else None
    allowed = relation_filter(kg, [relation] if isinstance(relation, str) else relation)
    if source is not None and source not in kg.sources:
        raise UnknownSource(source, suggest(source, kg.sources))
    pool: Iterable[Fact]
    if sid:
        pool = kg.out_facts(sid)
    elif oid:
        pool = kg.in_facts(oid)
    elif eid:
        pool = kg.facts_of(eid)
    else:
        pool = kg.facts
    chosen = [
        f
        for f in pool
        if (sid is None or f.subject == sid)
        and (oid is None or f.object == oid)
        and (eid is None or eid in (f.subject, f.object))
        and (allowed is None or f.relation in allowed)
        and (source is None or f.source == source)
    ]
    return {"facts": [fact_record(kg, f) for f in sorted(chosen, key=fact_order)]}


def entity(kg: KnowledgeGraph, name: str) -> EntityAnswer:
    """One entity in full (aliases, description) with every fact it takes part in."""
    e = kg.entity(name)
    record: EntityDetail = {**entity_record(kg, e.id), "aliases": list(e.aliases), "description": e.description}
    return {"entity": record, "facts": [fact_record(kg, f) for f in sorted(kg.facts_of(e.id), key=fact_order)]}


def stats(kg: KnowledgeGraph) -> StatsAnswer:
    """How much the dataset holds."""
    return {
        "entities": len(kg.entities),
        "facts": len(kg.store),
        "relations": len(kg.relations),
        "sources": len(kg.sources),
    }
