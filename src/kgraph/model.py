"""The validated data model: frozen values the loader produces and queries read.

Dates are kept as the curator wrote them (``"2021"``, ``"2021-12"``,
``"2021-12-03"``); :mod:`kgraph.dates` interprets them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Entity", "Fact", "Relation", "Source"]


@dataclass(frozen=True, slots=True)
class Relation:
    """A relation type of the vocabulary (``supports``, ``leads``, …)."""

    id: str
    label: str
    polarity: int  # 1 cooperative, -1 conflictual, 0 structural/commentary
    description: str
    parent: str | None = None
    symmetric: bool = False
    inverse: str | None = None  # the name used when an edge is read backwards
    acts_for: bool = False  # the subject speaks for the object (leaders, ministers)


@dataclass(frozen=True, slots=True)
class Entity:
    """A person, country, organisation, event, … that facts connect."""

    id: str
    name: str
    type: str
    description: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Source:
    """One article: its metadata and where its text lives."""

    id: str
    title: str
    published: str | None
    text_path: str  # absolute path of the article text used to verify quotes
    path: str  # the source's YAML file
    url: str | None = None
    publisher: str | None = None
    author: str | None = None


@dataclass(frozen=True, slots=True)
class Fact:
    """One curated statement: subject –relation→ object, with its quote and source."""

    id: str
    subject: str
    relation: str
    object: str
    polarity: int
    quote: str
    source: str
    date: str | None = None
    start: str | None = None
    end: str | None = None
    according_to: str | None = None
    qualifiers: tuple[tuple[str, str], ...] = field(default=())
    line: int = 0  # where the fact starts in its source file (1-based)

    @property
    def when(self) -> str | None:
        """The fact's time as written: ``date``, or ``start/end`` (ISO 8601 interval)."""
        if self.date:
            return self.date
        if self.start or self.end:
            return f"{self.start or '..'}/{self.end or '..'}"
        return None
