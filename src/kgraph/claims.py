"""Claims: the facts that report the same thing, so that answers count reports once.

Two articles reporting one sanction are two facts but one *claim*; an answer
that counted facts would score the sanction twice. Two facts are the same
claim when

(a) they come from **different sources**, have the same **key** and
    **compatible dates** (:func:`compatible`: equal, one's span within the
    other's, or one undated); or
(b) one says ``same_as`` the other (the curator joined them, whatever their
    wording, sources or dates).

A claim is a connected group of such facts: an undated fact joins two dated
ones that do not agree with each other, and two facts of one source join
through a fact of another source (or a ``same_as``), never directly.

The key says what "the same thing" is. Across the dataset
(:func:`statement_key`) it is subject, relation, object and modality; inside
one stance of who-supports / who-opposes / explain it is the relation and
modality of the facts credited to one actor toward the target, so that
"Lukashenko represses X" and "Belarus represses X" are one claim for Belarus.
The modality is part of the key: a sanction imposed and a sanction only
considered are two claims, and every fact of a claim is marked alike.

Nothing here imports more than the model and the date arithmetic.
"""

from __future__ import annotations

import datetime as _dt
import functools
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import dates
from .timefilter import span

if TYPE_CHECKING:
    from .knowledge import KnowledgeGraph
    from .model import Fact

__all__ = ["Claim", "at_least", "claims", "compatible", "fact_order", "group", "statement_key"]


def fact_order(f: Fact) -> tuple[object, ...]:
    """Sort key of facts: by date (an interval by its start, else its end), undated last, then by place.

    The order of facts in every answer, and of the facts inside a claim (its
    first fact is the one an answer shows).
    """
    return (_date_order(f.date or f.start or f.end), f.source, f.line, f.id)


# a date's place in the order, parsed once per distinct text (a busy entity's facts share few dates)
_date_order = functools.lru_cache(maxsize=1 << 16)(dates.sort_key)


@dataclass(frozen=True, slots=True)
class Claim:
    """Facts reporting one thing, in :func:`fact_order`; at least one."""

    facts: tuple[Fact, ...]

    @property
    def id(self) -> str:
        """The id of its first fact: the fact an answer shows for the claim."""
        return self.facts[0].id

    @property
    def first(self) -> Fact:
        return self.facts[0]

    @property
    def sources(self) -> tuple[str, ...]:
        """The ids of the sources reporting it, sorted, each once."""
        return tuple(sorted({f.source for f in self.facts}))


def _within(inner: tuple[_dt.date, _dt.date], outer: tuple[_dt.date, _dt.date]) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1]


_Span = tuple[_dt.date, _dt.date] | None


def _spans_agree(sa: _Span, sb: _Span) -> bool:
    if sa is None or sb is None:
        return True
    return _within(sa, sb) or _within(sb, sa)


def compatible(a: Fact, b: Fact) -> bool:
    """Whether two facts' dates may be the same occasion: equal, one's span within the other's, or one undated.

    ``2020-03`` is within ``2020``; ``2020-03`` and ``2020-04`` are not
    compatible, nor are two overlapping intervals neither of which contains
    the other.
    """
    return _spans_agree(span(a), span(b))


def statement_key(f: Fact) -> tuple[str, str, str, str]:
    """The key of a claim across the dataset: subject, relation, object and modality."""
    return (f.subject, f.relation, f.object, f.modality)


class _Groups:
    """Union-find over positions: which facts are one claim so far."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, i: int, j: int) -> None:
        ri, rj = self.find(i), self.find(j)
        if ri != rj:
            self.parent[max(ri, rj)] = min(ri, rj)


def _join_reports(pool: Sequence[Fact], members: list[int], groups: _Groups) -> None:
    """Join the facts of one key that come from different sources and have compatible dates (:func:`compatible`).

    Facts are gathered by span first: two spans are compatible when one holds
    the other (an undated fact's "span" holds every span), and then every fact
    of the one is joined to every fact of the other, unless all of them come
    from one and the same source (a fact of another source joins the lot). The
    facts of one span are joined to each other when they come from at least two
    sources. So the work grows with the pairs of distinct spans that overlap,
    found by a sweep in date order, not with the pairs of facts.
    """
    by_span: dict[_Span, list[int]] = {}
    for i in members:
        by_span.setdefault(span(pool[i]), []).append(i)
    spans = _Spans(pool, by_span, groups)
    dated = sorted((s for s in by_span if s is not None), key=lambda s: (s[0], -s[1].toordinal()))
    if None in by_span:
        for s in dated:
            spans.link(None, s)
    for n, outer in enumerate(dated):
        for k in range(n + 1, len(dated)):
            inner = dated[k]
            if inner[0] > outer[1]:
                break  # (sorted by start: no later span starts inside ``outer``)
            if inner[1] <= outer[1]:
                spans.link(outer, inner)


class _Spans:
    """The facts of one key gathered by span, and the joins between spans (see :func:`_join_reports`)."""

    def __init__(self, pool: Sequence[Fact], by_span: dict[_Span, list[int]], groups: _Groups) -> None:
        self.by_span = by_span
        self.groups = groups
        self.sources = {s: {pool[i].source for i in facts} for s, facts in by_span.items()}
        self.whole: set[_Span] = set()  # spans whose facts are joined to each other
        for s, found in self.sources.items():
            if len(found) > 1:
                self._gather(s)

    def _gather(self, s: _Span) -> None:
        if s not in self.whole:
            self.whole.add(s)
            first, *rest = self.by_span[s]
            for i in rest:
                self.groups.join(first, i)

    def link(self, a: _Span, b: _Span) -> None:
        """Join the facts of two compatible spans, unless they all come from one source."""
        if len(self.sources[a]) == 1 and self.sources[a] == self.sources[b]:
            return
        self._gather(a)
        self._gather(b)
        self.groups.join(self.by_span[a][0], self.by_span[b][0])


def group(facts: Iterable[Fact], key: Callable[[Fact], Hashable] = statement_key) -> list[Claim]:
    """The claims the given facts make: connected groups of facts reporting the same thing.

    ``key(f)`` says what must be equal for two facts of different sources to
    be one claim (:func:`statement_key` by default); ``same_as`` joins two
    of the given facts whatever their key. A fact given twice counts once.
    Claims come in the order of their first facts.
    """
    pool: list[Fact] = []
    position: dict[str, int] = {}
    for f in facts:
        if f.id not in position:
            position[f.id] = len(pool)
            pool.append(f)
    if len(pool) == 1:  # (most actors' stances toward a busy target: nothing to join)
        return [Claim((pool[0],))]
    by_key: dict[Hashable, list[int]] = {}
    for i, f in enumerate(pool):
        by_key.setdefault(key(f), []).append(i)
    joined = [i for i, f in enumerate(pool) if f.same_as]
    if len(by_key) == len(pool) and not joined:  # (no two facts share a key, none is the same as another)
        return [Claim((f,)) for f in sorted(pool, key=fact_order)]
    groups = _Groups(len(pool))
    for i in joined:
        for ref in pool[i].same_as:
            if ref in position:
                groups.join(i, position[ref])
    for members in by_key.values():
        if len(members) > 1:
            _join_reports(pool, members, groups)
    order = [fact_order(f) for f in pool]  # (each fact's key made once, for both sorts)
    parts: dict[int, list[int]] = {}
    for i in range(len(pool)):
        parts.setdefault(groups.find(i), []).append(i)
    found = [sorted(part, key=order.__getitem__) for part in parts.values()]
    found.sort(key=lambda part: order[part[0]])
    return [Claim(tuple(pool[i] for i in part)) for part in found]


def claims(kg: KnowledgeGraph) -> list[Claim]:
    """Every claim of the dataset (grouped by :func:`statement_key`), in the order of their first facts."""
    return group(kg.facts, statement_key)


def at_least(found: Iterable[Claim], min_sources: int) -> list[Claim]:
    """The claims reported by at least ``min_sources`` sources (all of them for 1)."""
    if min_sources <= 1:  # (every claim has a fact, so a source)
        return list(found)
    return [c for c in found if len(c.sources) >= min_sources]
