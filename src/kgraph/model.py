"""The validated data model: frozen values the loader produces and queries read.

Dates are kept as the curator wrote them (``"2021"``, ``"2021-12"``,
``"2021-12-03"``); :mod:`kgraph.dates` interprets them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["MODALITIES", "MODALITY_MEANINGS", "Entity", "Fact", "Relation", "Source"]

#: What a fact's ``modality`` may say, and what each value means. Only
#: ``asserted`` facts are evidence by default; the hedged ones (intended …
#: predicted) count only when asked for; ``denied`` never counts as support or
#: opposition. The vocabulary is closed so that every answer can mark it.
MODALITY_MEANINGS: dict[str, str] = {
    "asserted": "the source states it as having happened or being so (the default)",
    "intended": "the subject wants or means to do it, but has not (yet) done it",
    "proposed": "the subject has put it forward as a proposal",
    "considered": "the subject is weighing or pondering it",
    "threatened": "the subject has threatened to do it",
    "predicted": "someone forecasts that it will happen or be so",
    "denied": "the source or the subject says it did not happen or is not so",
}

#: The modality values, in their documented order (``asserted`` first).
MODALITIES: tuple[str, ...] = tuple(MODALITY_MEANINGS)


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
    modality: str = "asserted"  # one of MODALITIES: how firmly the source states it
    disputes: tuple[str, ...] = ()  # ids of the facts this fact contradicts
    same_as: tuple[str, ...] = ()  # ids of facts reporting the same claim in other words
    implicit: str | None = None  # "subject", "object" or "both": the end(s) the quote does not name
    line: int = 0  # where the fact starts in its source file (1-based)

    @property
    def when(self) -> str | None:
        """The fact's time as written: ``date``, or ``start/end`` (ISO 8601 interval)."""
        if self.date:
            return self.date
        if self.start or self.end:
            return f"{self.start or '..'}/{self.end or '..'}"
        return None
