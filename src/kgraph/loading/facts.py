"""The facts of one source: each read from its mapping, its names, time and quote checked.

A fact is kept only when nothing in it is wrong; its id (:func:`fact_id`)
is a hash of what it states, so reordering or reformatting a file keeps
every id.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
from collections.abc import Mapping

from .. import dates
from ..model import MODALITIES, Entity, Fact, Relation
from ..suggest import note
from ..validate import SLUG, FileReport, describe, show
from ..yamlread import Value, YList, YMap
from .naming import Naming
from .quotes import Passages, normalise_text
from .refs import FactRefs, Ref

__all__ = ["COMPUTED_ID", "FACT_FIELDS", "IMPLICIT", "SourceFacts", "fact_id"]

FACT_FIELDS = (
    ("subject", "relation", "object", "quote"),
    ("id", "date", "start", "end", "according_to", "qualifiers", "modality", "disputes", "same_as", "implicit"),
)
"""The required and the optional fields of a fact."""

IMPLICIT = ("subject", "object", "both")
"""What ``implicit:`` may say: the end (or ends) of the fact that its quote does not name."""

COMPUTED_ID = re.compile(r"^f-[0-9a-f]{16}$")
"""The form of the ids kgraph computes (:func:`fact_id`); a curator's ``id:`` may not take it."""


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

    __slots__ = ("at", "entities", "naming", "passages", "published_end", "refs", "relations", "source")

    def __init__(
        self,
        at: FileReport,
        source: str,
        relations: Mapping[str, Relation],
        entities: Mapping[str, Entity],
        passages: Passages | None,
        published: str | None,
        refs: FactRefs | None = None,
        naming: Naming | None = None,
    ) -> None:
        self.at = at
        self.source = source
        self.relations = relations
        self.entities = entities
        self.passages = passages  # None when the article text could not be read (that is reported)
        self.published_end: _dt.date | None = dates.period(published)[1] if published else None
        self.refs = refs if refs is not None else FactRefs()  # ids and references, checked once every source is read
        self.naming = naming  # None: quotes are not checked for naming the fact's ends

    def read_all(self, items: YList, into: list[Fact]) -> None:
        """Every fact of ``items`` that has nothing wrong with it, appended to ``into``; the same fact twice is not."""
        at = self.at
        seen: dict[str, int] = {}
        for item, pos in zip(items, items.pos, strict=True):
            m = at.mapping(item, pos, "a fact")
            if m is None:
                continue
            read = self.read(m)
            if read is None:
                continue
            f, computed, refs = read
            if computed in seen:
                at.error(
                    (m.line, m.column), f"the same fact as line {seen[computed]} (same ends, relation, time and quote)"
                )
                continue
            seen[computed] = m.line
            self.refs.keep(len(into), refs, at)
            if self.naming is not None and f.implicit is None:
                self.naming.check(f, at, m.value_at("quote"))
            into.append(f)

    def read(self, m: YMap) -> tuple[Fact, str, list[Ref]] | None:
        """One fact read and checked, with its computed id and references; None when anything is wrong (all reported).

        The fact's id is the curator's ``id:`` when it has one, else the
        computed id. Its ``disputes`` and ``same_as`` are kept as written here;
        :class:`~kgraph.loading.refs.FactRefs` checks them once every source is read.
        """
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
                    at.reference(name, self.entities, m.value_at(key), "entity", self._note)
        relation = self._relation(m, rel_id, subject, obj)
        date, start, end = self._time(m, what)
        qualifiers = self._qualifiers(m)
        curator_id = self._curator_id(m, what)
        modality = self._choice(m, "modality", what, MODALITIES) or "asserted"
        implicit = self._choice(m, "implicit", what, IMPLICIT)
        disputes, same_as = self._refs(m, "disputes", what), self._refs(m, "same_as", what)
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
        computed = _fact_id(self.source, a, rel_id, b, when, normalised_quote)
        fact = Fact(
            id=curator_id or computed,
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
            modality=modality,
            disputes=tuple(r.ref for r in disputes),
            same_as=tuple(r.ref for r in same_as),
            implicit=implicit,
            line=m.line,
        )
        return fact, computed, [*disputes, *same_as]

    def _note(self, entity_id: str) -> str:
        """What a suggested entity is (type and description), to tell look-alike names apart."""
        e = self.entities[entity_id]
        return note(e.type, e.description)

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
            if k == "modality":
                value = v if isinstance(v, str) else "…"
                self.at.error(q.key_at(k), f"modality is a field of its own now: write `modality: {value}`")
            elif not isinstance(v, str):
                self.at.error(q.value_at(k), f"qualifier {k!r} must be a plain value, not {show(v)}")
            else:
                pairs.append((k, v))
        return tuple(pairs)

    def _curator_id(self, m: YMap, what: str) -> str | None:
        """The curator's ``id:``: a slug, not of the computed form (its uniqueness is checked across files)."""
        ident = self.at.text(m, "id", what)
        if ident is None:
            return None
        if COMPUTED_ID.match(ident):
            self.at.error(
                m.value_at("id"),
                f"fact id {ident!r} has the form of a computed id (f- and 16 hex digits); choose a name of your own",
            )
            return None
        if not SLUG.match(ident):
            near = re.sub(r"[^a-z0-9]+", "-", ident.lower()).strip("-")
            self.at.error(
                m.value_at("id"),
                f"fact id {ident!r} must be a lowercase slug (a-z, 0-9, single hyphens)",
                repr(near) if near and SLUG.match(near) else None,
            )
            return None
        self.refs.declare(ident, self.at, m.value_at("id"))
        return ident

    def _choice(self, m: YMap, key: str, what: str, allowed: tuple[str, ...]) -> str | None:
        """A field whose value is one of ``allowed`` (absent → None); another value is reported, with the closest."""
        value = self.at.text(m, key, what)
        if value is None or value in allowed:
            return value
        near = self.at.report.suggest(value, allowed, n=1)
        self.at.error(
            m.value_at(key),
            f"{key!r} of {what} must be one of {', '.join(allowed)}, not {value!r}",
            repr(near[0]) if near else None,
        )
        return None

    def _refs(self, m: YMap, key: str, what: str) -> list[Ref]:
        """``disputes`` / ``same_as``: one fact id or a list of them, each with where it is written."""
        value = m.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            items: list[tuple[Value, tuple[int, int]]] = [(value, m.value_at(key))]
        elif isinstance(value, YList):
            items = list(zip(value, value.pos, strict=True))
            if not items:
                self.at.error(m.value_at(key), f"{key!r} of {what} is an empty list; give a fact id or leave it out")
        else:
            self.at.error(
                m.value_at(key), f"{key!r} of {what} must be a fact id or a list of them, not {describe(value)}"
            )
            return []
        out: list[Ref] = []
        for item, pos in items:
            if not isinstance(item, str) or not item.strip():
                self.at.error(pos, f"each of {key!r} in {what} must be a fact id, not {describe(item)}")
            else:
                out.append(Ref(key, item, pos))
        return out

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
