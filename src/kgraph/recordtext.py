"""Records written straight as JSON text: the bytes of ``json.dumps(record, ensure_ascii=False)`` without the record.

A stance answer on a busy entity is tens of thousands of fact records
(:mod:`kgraph.records`): who-supports on the busiest entity of a million
facts holds 38,602 of them in 25,716 claims, 34 MB of JSON. Building those
dicts and then encoding them cost more than finding the answer. Here a
:class:`StanceText` writes the same text from the facts themselves: each
entity's text made once, each fact's once, every string encoded by
:mod:`json`'s own C function.

The shapes are :mod:`kgraph.records`'s, field for field and in its order;
:func:`shapes_agree` checks that against one backer built by
:mod:`kgraph.query` before anything is written, so a field added there makes
the caller fall back to building and encoding the records (tests/test_recordtext.py holds
the text to ``json.dumps`` of the records on every stance answer of several
datasets and on generated facts).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from .claims import Claim
    from .knowledge import KnowledgeGraph
    from .model import Fact
    from .reasoning import Stance

__all__ = ["StanceText", "shapes_agree"]

_ENTITY_KEYS = ("id", "name", "type")
_FACT_KEYS = (
    "id",
    "subject",
    "relation",
    "object",
    "polarity",
    "date",
    "start",
    "end",
    "source",
    "quote",
    "according_to",
    "qualifiers",
    "modality",
    "disputed_by",
)
_CLAIM_KEYS = (*_FACT_KEYS, "via", "facts", "sources")  # (a claim is its first fact's record, then its own fields)
_BACKER_KEYS = ("entity", "score", "evidence", "via")


def shapes_agree(backer: Mapping[str, Any]) -> bool:
    """Whether a stance answer's backer, as :mod:`kgraph.query` builds it (with one claim at least), has the fields
    this module writes, in its order: its entity, its first claim, that claim's first fact and its entities."""
    claim = backer["evidence"][0]
    return (
        tuple(backer) == _BACKER_KEYS
        and tuple(backer["entity"]) == _ENTITY_KEYS
        and tuple(claim) == _CLAIM_KEYS
        and tuple(claim["facts"][0]) == _FACT_KEYS
        and tuple(claim["subject"]) == _ENTITY_KEYS
        and tuple(claim["object"]) == _ENTITY_KEYS
    )


class StanceText:
    """Writes one graph's records as JSON text, remembering each entity's and fact's text for the answer."""

    def __init__(self, kg: KnowledgeGraph) -> None:
        import json.encoder

        self.kg = kg
        self.string: Callable[[str], str] = json.encoder.encode_basestring
        self.encode: Callable[[Any], str] = json.encoder.JSONEncoder(ensure_ascii=False).encode
        self._entities: dict[str, str] = {}
        self._heads: dict[str, str] = {}  # fact id -> its text up to the value of its disputed_by

    def entity(self, entity_id: str) -> str:
        """:func:`~kgraph.records.entity_record` as text."""
        text = self._entities.get(entity_id)
        if text is None:
            e = self.kg.entities[entity_id]
            string = self.string  # (fields typed str: any other value raises TypeError, see StanceRanking.json_pieces)
            text = self._entities[entity_id] = (
                f'{{"id": {string(e.id)}, "name": {string(e.name)}, "type": {string(e.type)}}}'
            )
        return text

    def _head(self, f: Fact) -> str:
        """A fact record's text up to the value of its last field, ``disputed_by``."""
        text = self._heads.get(f.id)
        if text is None:
            # (fields typed str are encoded as strings: any other value raises TypeError, see StanceRanking.json_pieces)
            string, entities = self.string, self._entities
            subject = entities.get(f.subject) or self.entity(f.subject)
            target = entities.get(f.object) or self.entity(f.object)
            according = self.entity(f.according_to) if f.according_to else "null"
            qualifiers = self.encode(dict(f.qualifiers)) if f.qualifiers else "{}"
            date, start, end, polarity = f.date, f.start, f.end, f.polarity
            text = self._heads[f.id] = (
                f'{{"id": {string(f.id)}, "subject": {subject}, "relation": {string(f.relation)}, '
                f'"object": {target}, "polarity": {str(polarity) if type(polarity) is int else self.encode(polarity)}, '
                f'"date": {"null" if date is None else string(date)}, '
                f'"start": {"null" if start is None else string(start)}, '
                f'"end": {"null" if end is None else string(end)}, "source": {string(f.source)}, '
                f'"quote": {string(f.quote)}, "according_to": {according}, "qualifiers": {qualifiers}, '
                f'"modality": {string(f.modality)}, "disputed_by": '
            )
        return text

    def _ids(self, ids: Iterable[str]) -> str:
        return "[" + ", ".join(map(self.string, ids)) + "]" if ids else "[]"

    def fact(self, f: Fact) -> str:
        """:func:`~kgraph.records.fact_record` as text."""
        return self._head(f) + self._ids(self.kg.disputed_by(f.id)) + "}"

    def claim(self, c: Claim, via: list[str]) -> str:
        """:func:`~kgraph.records.claim_record` as text: the first fact's fields, then the claim's own."""
        facts = c.facts
        disputed_by = self.kg.disputed_by
        disputes = dict.fromkeys(d for f in facts for d in disputed_by(f.id))
        return "".join(
            (
                self._head(facts[0]),
                self._ids(disputes),
                ', "via": ',
                self._ids(via),
                ', "facts": [',
                ", ".join(map(self.fact, facts)),
                '], "sources": ',
                self._ids(c.sources),
                "}",
            )
        )

    def backer(self, s: Stance, found: list[Claim], via: list[Fact]) -> str:
        """One entity of a stance answer (``kgraph.query``'s backer): its evidence claims and the links used."""
        links = s.links
        disputed_by, head, string, ids = self.kg.disputed_by, self._head, self.string, self._ids
        items = []
        for c in found:
            facts = c.facts
            if len(facts) > 1:
                items.append(self.claim(c, links.get(c.id, [])))
                continue
            # most claims are one fact: the claim is that fact's text, its via and its source around it again
            f = facts[0]
            text, disputed = head(f), ids(disputed_by(f.id))
            items.append(
                f'{text}{disputed}, "via": {ids(links.get(f.id, ()))}, "facts": [{text}{disputed}}}], '
                f'"sources": [{string(f.source)}]}}'
            )
        return "".join(
            (
                '{"entity": ',
                self.entity(s.entity),
                f', "score": {len(found)}, "evidence": [',
                ", ".join(items),
                '], "via": [',
                ", ".join(map(self.fact, via)),
                "]}",
            )
        )
