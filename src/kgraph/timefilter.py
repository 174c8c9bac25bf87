"""Time windows: the facts that hold at a date, or fall between two dates.

Facts carry partial ISO 8601 dates (``2021``, ``2021-12``, ``2021-12-02``),
either one ``date`` (an event: it happened then) or a ``start``/``end``
interval (a state: it held from … to …; either end may be open). Every date
stands for the whole period it names (:func:`kgraph.dates.period`), so a fact
has a *span*: its first possible day to its last possible day. A window date
given on the command line is read the same way.

The rules, each a comparison of spans (so precision is respected, and an
imprecise fact is kept whenever it *may* fall in the window, never silently
dropped):

``since=D``
    keep facts whose span reaches the first day of ``D`` or later
    (an open ``end`` reaches forever).
``until=D``
    keep facts whose span starts on or before the last day of ``D``
    (an open ``start`` started forever ago).
``as_of=D``
    the facts known to hold at ``D``: those that had begun by ``D`` (as
    ``until=D``), minus intervals that had already ended before ``D`` began.
    An event (a single ``date``) stays true history once it has happened.
    A partial as-of date means *at some time during it*: ``as_of=2020``
    keeps an interval ``2013/2020-03``.

Examples: a fact dated ``2021`` is kept by ``since=2021-06`` (it may be from
June or later) and marked ``overlaps``; a fact dated ``2021-12-02`` is
dropped by ``until=2021-11``; ``as_of=2020`` keeps an interval ``2013/..``
but not one ``2013/2019``.

Undated facts (no ``date``, ``start`` or ``end``) cannot be placed in
time, but they are *known no later than* their source's ``published`` date
(:func:`known_by`): the article reported them then. So ``until=D`` and
``as_of=D`` leave out an undated fact whose source was published after the
last day of ``D`` (an article of December 2021 is no evidence of what was
known in 2020), while ``since=D`` keeps it (it may well hold after ``D``).
Every other undated fact is kept (a source with no ``published`` date
bounds nothing), and :func:`classify` marks it ``undated`` so answers can
say so; ``kgraph timeline`` places it at "by <published>".

Examples: with a source published ``2021-12``, an undated fact of it is
dropped by ``until=2021-11`` and by ``as_of=2020``, kept by ``until=2021``,
``until=2021-12`` and ``since=2022``.

>>> from kgraph import load
>>> kg = load()
>>> w = window(kg, until="2020")  # the bundled article was published in December 2021
>>> len(w.facts) < len(kg.facts), w.window["undated"], w.window["undated_dropped"] > 0
(True, 0, True)
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import dates
from .errors import UsageError
from .knowledge import KnowledgeGraph
from .model import Fact

if TYPE_CHECKING:  # (answers' TypedDicts cost a tenth of a query's start-up to import: only mypy reads them)
    from .answers import Window as WindowSummary

__all__ = [
    "INSIDE",
    "OUTSIDE",
    "OVERLAPS",
    "UNDATED",
    "Window",
    "WindowedGraph",
    "classify",
    "known_by",
    "parse_date",
    "span",
    "window",
]

INSIDE = "inside"  # every day the fact may fall on is in the window
OVERLAPS = "overlaps"  # some of those days are: kept, but the fact's precision cannot settle it
OUTSIDE = "outside"  # none are: dropped
UNDATED = "undated"  # the fact has no date: kept, and marked

_MIN = _dt.date.min
_MAX = _dt.date.max


def span(f: Fact) -> tuple[_dt.date, _dt.date] | None:
    """The first and last day a fact may fall on (open interval ends unbounded); None if undated."""
    if f.date:
        return dates.period(f.date)
    if not (f.start or f.end):
        return None
    first = dates.period(f.start)[0] if f.start else _MIN
    last = dates.period(f.end)[1] if f.end else _MAX
    return first, last


def _suggest(text: str) -> str | None:
    """A valid date close to a malformed one, when one is evident."""
    t = text.strip()
    m = re.fullmatch(r"(\d{4})[/.\s_](\d{1,2})(?:[/.\s_](\d{1,2}))?", t)
    if m:
        y, mo, d = m.group(1), m.group(2), m.group(3)
        cand = f"{y}-{int(mo):02d}" + (f"-{int(d):02d}" if d else "")
        return cand if dates.is_valid(cand) else None
    m = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", t)  # day-month-year
    if m:
        cand = f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}"
        return cand if dates.is_valid(cand) else None
    m = re.fullmatch(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?", t)
    if m:
        y, mo = int(m.group(1)), int(m.group(2))
        if not 1 <= mo <= 12:
            return f"{y:04d}"
        if m.group(3) is None:
            return f"{y:04d}-{mo:02d}"
        cand = f"{y:04d}-{mo:02d}-{int(m.group(3)):02d}"
        if dates.is_valid(cand):
            return cand
        return f"{y:04d}-{mo:02d}"  # a day past the month's end: the month is what is known
    return None


def parse_date(text: str, option: str = "date") -> str:
    """``text`` if it is a valid partial ISO 8601 date; UsageError with a suggestion otherwise.

    >>> parse_date("2021-12")
    '2021-12'
    >>> try:
    ...     parse_date("2021/12/03", "--since")
    ... except UsageError as e:
    ...     print(e)
    --since: '2021/12/03' is not a date; use YYYY, YYYY-MM or YYYY-MM-DD (did you mean '2021-12-03'?)
    """
    if dates.is_valid(text):
        return text
    hint = _suggest(text)
    more = f" (did you mean {hint!r}?)" if hint else " (e.g. 2021, 2021-12 or 2021-12-03)"
    raise UsageError(f"{option}: {text!r} is not a date; use YYYY, YYYY-MM or YYYY-MM-DD{more}")


@dataclass(frozen=True, slots=True)
class Window:
    """A time window: any of ``as_of``, ``since``, ``until`` (validated partial dates)."""

    as_of: str | None = None
    since: str | None = None
    until: str | None = None

    def __post_init__(self) -> None:
        if self.as_of is not None:
            parse_date(self.as_of, "--as-of")
        if self.since is not None:
            parse_date(self.since, "--since")
        if self.until is not None:
            parse_date(self.until, "--until")
        if self.since and self.until and dates.period(self.since)[0] > dates.period(self.until)[1]:
            raise UsageError(f"--since {self.since} is after --until {self.until}; swap them?")
        if self.since and self.as_of and dates.period(self.since)[0] > dates.period(self.as_of)[1]:
            raise UsageError(f"--since {self.since} is after --as-of {self.as_of}: no fact could be in both")

    @property
    def empty(self) -> bool:
        """Whether no bound is set (every fact is kept)."""
        return self.as_of is None and self.since is None and self.until is None

    def bounds(self) -> tuple[_dt.date, _dt.date, _dt.date | None]:
        """(earliest day a kept fact may reach, latest day it may start, the as-of day an interval must reach)."""
        lo, hi, must_reach = _MIN, _MAX, None
        if self.since:
            lo = dates.period(self.since)[0]
        if self.until:
            hi = min(hi, dates.period(self.until)[1])
        if self.as_of:
            first, last = dates.period(self.as_of)
            hi = min(hi, last)
            must_reach = first
        return lo, hi, must_reach

    def to_dict(self) -> dict[str, str | None]:
        return {"as_of": self.as_of, "since": self.since, "until": self.until}


def known_by(kg: KnowledgeGraph, f: Fact) -> str | None:
    """The date an undated fact is known by: its source's ``published`` date; None for a dated fact or none known."""
    if span(f) is not None:
        return None
    source = kg.sources.get(f.source)
    return source.published if source is not None and source.published else None


def classify(f: Fact, w: Window, published: str | None = None) -> str:
    """Where a fact stands with respect to a window: INSIDE, OVERLAPS, OUTSIDE or UNDATED.

    ``OVERLAPS`` means the fact may or may not fall in the window, because
    it is less precise than the window's bounds (``2021`` against
    ``--since 2021-06``); such facts are kept. ``published`` is the date
    of the fact's source: an undated fact is OUTSIDE when the window ends
    (``until`` or ``as_of``) before that date begins, UNDATED otherwise.
    """
    if span(f) is None:
        if published and not w.empty and w.bounds()[1] < dates.period(published)[0]:
            return OUTSIDE
        return UNDATED
    if w.empty:
        return INSIDE
    lo, hi, must_reach = w.bounds()
    if f.date:  # an event: it falls on one day of its period
        first, last = dates.period(f.date)
        possible = last >= lo and first <= hi
        certain = first >= lo and last <= hi
    else:  # a state: it holds from a day of its start's period to a day of its end's period
        s1, s2 = dates.period(f.start) if f.start else (_MIN, _MIN)
        e1, e2 = dates.period(f.end) if f.end else (_MAX, _MAX)
        reach = max(lo, must_reach) if must_reach is not None else lo
        possible = e2 >= reach and s1 <= hi
        certain = e1 >= reach and s2 <= hi
    if not possible:
        return OUTSIDE
    return INSIDE if certain else OVERLAPS


class WindowedGraph(KnowledgeGraph):
    """A :class:`KnowledgeGraph` restricted to a time window: ``whole``'s tables over the ``kept`` facts.

    ``window`` describes what was done (:class:`kgraph.answers.Window`). Built by
    :func:`window`; the graph is an ordinary KnowledgeGraph over a
    :class:`~kgraph.knowledge.MemoryFactStore` of the kept facts.
    """

    def __init__(self, whole: KnowledgeGraph, kept: Sequence[Fact], summary: WindowSummary) -> None:
        super().__init__(
            whole.relations.values(),
            whole.entities.values(),
            whole.sources.values(),
            kept,
            data_dir=whole.data_dir,
            warnings=whole.warnings,
        )
        self.window: WindowSummary = summary


def window(
    kg: KnowledgeGraph, as_of: str | None = None, since: str | None = None, until: str | None = None
) -> KnowledgeGraph:
    """A new KnowledgeGraph holding only the facts in the time window (undated facts bounded by publication).

    With no bound given, ``kg`` itself is returned. Otherwise the result is a
    :class:`WindowedGraph` whose ``window`` attribute is a JSON-ready summary
    (:class:`kgraph.answers.Window`): ``as_of``, ``since``, ``until``, ``kept``,
    ``dropped``, ``undated`` (undated facts kept), ``undated_dropped``
    (undated facts left out because their source was published after the
    window ends), ``undated_facts`` and ``overlapping_facts`` (ids). Dates must be valid partial ISO 8601 dates
    (UsageError otherwise, with a suggestion).
    """
    w = Window(as_of=as_of, since=since, until=until)
    if w.empty:
        return kg
    kept: list[Fact] = []
    undated: list[str] = []
    overlapping: list[str] = []
    undated_dropped = 0
    for f in kg.facts:
        where = classify(f, w, known_by(kg, f))
        if where == OUTSIDE:
            undated_dropped += span(f) is None
            continue
        kept.append(f)
        if where == UNDATED:
            undated.append(f.id)
        elif where == OVERLAPS:
            overlapping.append(f.id)
    summary: WindowSummary = {
        "as_of": w.as_of,
        "since": w.since,
        "until": w.until,
        "kept": len(kept),
        "dropped": len(kg.facts) - len(kept),
        "undated": len(undated),
        "undated_dropped": undated_dropped,
        "undated_facts": undated,
        "overlapping_facts": overlapping,
    }
    return WindowedGraph(kg, kept, summary)


def window_of(kg: KnowledgeGraph) -> WindowSummary | None:
    """The window summary of a windowed graph, None for a whole one."""
    return kg.window if isinstance(kg, WindowedGraph) else None


def fact_status(kg: KnowledgeGraph, fact_ids: Sequence[str]) -> dict[str, str]:
    """For a windowed graph, the facts among ``fact_ids`` that are marked (``undated`` or ``overlaps``)."""
    info = window_of(kg)
    if info is None:
        return {}
    marks = {i: UNDATED for i in info["undated_facts"]} | {i: OVERLAPS for i in info["overlapping_facts"]}
    return {i: marks[i] for i in fact_ids if i in marks}
