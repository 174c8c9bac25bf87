"""The facts of one source: each read from its mapping, its names, time and quote checked.

A fact is kept only when nothing in it is wrong; its id (:func:`fact_id`)
is a hash of what it states, so reordering or reformatting a file keeps
every id.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from collections.abc import Mapping

from .. import dates
from ..model import Entity, Fact, Relation
from ..validate import FileReport, show
from ..yamlread import YList, YMap
from .quotes import Passages, normalise_text

__all__ = ["FACT_FIELDS", "SourceFacts", "fact_id"]

FACT_FIELDS = ("subject", "relation", "object", "quote"), ("date", "start", "end", "according_to", "qualifiers")
"""The required and the optional fields of a fact."""


def fact_id(source: str, subject: str, relation: str, obj: str, when: str, quote: str) -> str:
    """A fact's stable id: a hash of what the fact says, not of where it stands in the file.

    Reordering or reformatting the YAML keeps every id; changing what a fact
    states (its ends, relation, time or quote) gives it a new one.

    >>> a = fact_id("src", "china", "supports", "belarus", "2021", "China backs Belarus.")
    >>> a == fact_id("src", "china", "supports", "belarus", "2021", "China  backs\\nBelarus.")
    True
    >>> a == fact_id("src", "china", "supports", "belarus", "2020", "China backs Belarus.")
    False
    >>> a.startswith("f-"), len(a)
    (True, 18)
    """
    return _fact_id(source, subject, relation, obj, when, normalise_text(quote))


def _fact_id(source: str, subject: str, relation: str, obj: str, when: str, normalised_quote: str) -> str:
    key = f"{source}\x1f{subject}\x1f{relation}\x1f{obj}\x1f{when}\x1f{normalised_quote}"
    return "f-" + hashlib.blake2b(key.encode("utf-8"), digest_size=8).hexdigest()


class SourceFacts:
    """Reads the ``facts:`` of one source file against the vocabulary and the entities."""

    __slots__ = ("at", "entities", "passages", "published_end", "relations", "source")

    def __init__(
        self,
        at: FileReport,
        source: str,
        relations: Mapping[str, Relation],
        entities: Mapping[str, Entity],
        passages: Passages | None,
        published: str | None,
    ) -> None:
        self.at = at
        self.source = source
        self.relations = relations
        self.entities = entities
        self.passages = passages  # None when the article text could not be read (that is reported)
        self.published_end: _dt.date | None = dates.period(published)[1] if published else None

    def read_all(self, items: YList, into: list[Fact]) -> None:
        """Every fact of ``items`` that has nothing wrong with it, appended to ``into``; the same fact twice is not."""
        at = self.at
        seen: dict[str, int] = {}
        for item, pos in zip(items, items.pos, strict=True):
            m = at.mapping(item, pos, "a fact")
            if m is None:
                continue
            f = self.read(m)
            if f is None:
                continue
            if f.id in seen:
                at.error(
                    (m.line, m.column), f"the same fact as line {seen[f.id]} (same ends, relation, time and quote)"
                )
                continue
            seen[f.id] = m.line
            into.append(f)

    def read(self, m: YMap) -> Fact | None:
        """One fact read and checked; None when anything in it is wrong (every problem reported)."""
        at = self.at
        errors_before = len(at.report.errors)
        what = f"the fact at line {m.line}"
        at.fields(m, what, *FACT_FIELDS)
        subject, obj, rel_id, quote, according = (
            at.text(m, key, what) for key in ("subject", "object", "relation", "quote", "according_to")
        )
        quiet = self._entities_unreadable()
        if not quiet:
            for key, name in (("subject", subject), ("object", obj), ("according_to", according)):
                if name is not None:
                    at.reference(name, self.entities, m.value_at(key), "entity")
        relation = self._relation(m, rel_id, subject, obj)
        date, start, end = self._time(m, what)
        qualifiers = self._qualifiers(m)
        normalised_quote = normalise_text(quote) if quote is not None else ""  # once: checked here, hashed below
        if quote is not None:
            self._check_quote(m, quote, normalised_quote)
        if len(at.report.errors) > errors_before or quiet:
            return None
        if subject is None or obj is None or rel_id is None or quote is None or relation is None:
            return None
        self._warn(m, what, subject, obj, date or start, "date" if date else "start")
        a, b = sorted((subject, obj)) if relation.symmetric else (subject, obj)
        when = date or (f"{start or ''}/{end or ''}" if (start or end) else "")
        return Fact(
            id=_fact_id(self.source, a, rel_id, b, when, normalised_quote),
            subject=subject,
            relation=rel_id,
            object=obj,
            polarity=relation.polarity,
            quote=quote,
            source=self.source,
            date=date,
            start=start,
            end=end,
            according_to=according,
            qualifiers=qualifiers,
            line=m.line,
        )

    def _entities_unreadable(self) -> bool:
        """An unreadable entities.yaml is reported once, not once per fact."""
        return not self.entities and any(e.path.endswith("entities.yaml") for e in self.at.report.errors)

    def _relation(self, m: YMap, rel_id: str | None, subject: str | None, obj: str | None) -> Relation | None:
        """The fact's relation; an unknown one reported (an inverse name, with the fact written the other way)."""
        if rel_id is None:
            return None
        relation = self.relations.get(rel_id)
        if relation is not None:
            return relation
        inverse_of = next((r for r in self.relations.values() if r.inverse == rel_id), None)
        if inverse_of is not None:
            self.at.error(
                m.value_at("relation"),
                f"{rel_id!r} is the inverse name of {inverse_of.id!r}: write the fact the other way round "
                f"(subject {obj!r}, relation {inverse_of.id!r}, object {subject!r})",
            )
        elif self.relations or not any(e.path.endswith("relations.yaml") for e in self.at.report.errors):
            # (an unreadable relations.yaml is reported once, not once per fact; an empty one is no excuse)
            self.at.reference(rel_id, self.relations, m.value_at("relation"), "relation")
        return None

    def _time(self, m: YMap, what: str) -> tuple[str | None, str | None, str | None]:
        """``date``, or ``start`` and ``end`` (not both kinds, and not ending before starting)."""
        at = self.at
        date, start, end = at.date(m, "date", what), at.date(m, "start", what), at.date(m, "end", what)
        if date is not None and (start is not None or end is not None):
            at.error(m.value_at("date"), f"{what} has both 'date' and 'start'/'end'; use one or the other")
        if start is not None and end is not None and dates.period(start)[0] > dates.period(end)[1]:
            at.error(m.value_at("end"), f"{what} ends ({end}) before it starts ({start})")
        return date, start, end

    def _qualifiers(self, m: YMap) -> tuple[tuple[str, str], ...]:
        """The ``qualifiers`` mapping as pairs, each value plain text."""
        if m.get("qualifiers") is None:
            return ()
        q = self.at.mapping(m["qualifiers"], m.value_at("qualifiers"), "'qualifiers'")
        if q is None:
            return ()
        pairs = []
        for k, v in q.items():
            if not isinstance(v, str):
                self.at.error(q.value_at(k), f"qualifier {k!r} must be a plain value, not {show(v)}")
            else:
                pairs.append((k, v))
        return tuple(pairs)

    def _check_quote(self, m: YMap, quote: str, normalised_quote: str) -> None:
        """The quote must be in the article text; if not, the closest passage is suggested."""
        passages = self.passages
        if passages is None:
            return
        found = passages.contains(normalised_quote)
        if found is None:  # the load's allowance for scanning texts is spent: say so once (the load fails)
            allowance = passages.allowance
            if not allowance.spent:
                allowance.spent = True
                lim = allowance.limits
                self.at.error(
                    m.value_at("quote"),
                    "quotes not checked from here on: checking them has scanned "
                    f"{lim.max_quote_scan:,} characters of article text per byte of YAML, the most allowed "
                    f"({lim.hint('max_quote_scan')}); do sources pair very many facts with very long texts?",
                )
        elif not found:
            self.at.error(
                m.value_at("quote"), f"quote not found in the article text of {self.source!r}", passages.closest(quote)
            )

    def _warn(self, m: YMap, what: str, subject: str, obj: str, first: str | None, first_key: str) -> None:
        """What is allowed but probably a slip: a fact relating an entity to itself, or dated after its source."""
        if subject == obj:
            self.at.warn(m.value_at("object"), f"{what} relates {subject!r} to itself")
        if first and self.published_end is not None and dates.period(first)[0] > self.published_end:
            self.at.warn(m.value_at(first_key), f"{what} is dated {first}, after the source was published")
