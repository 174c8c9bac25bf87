"""The shapes of the curating commands' answers, as typed dicts (like :mod:`kgraph.answers` for the queries).

Producers (:mod:`.sources`, :mod:`.coverage`, :mod:`.mentions`) and the tables
(:mod:`kgraph.tables.curate`) are checked by mypy against these; key order is
the order of the JSON output. Imports nothing but :mod:`typing`.
"""

from __future__ import annotations

from typing import NotRequired, TypedDict

__all__ = [
    "Candidate",
    "CoverageAnswer",
    "CoverageRow",
    "KnownMention",
    "MentionsAnswer",
    "MentionsSentence",
    "NumberedSentence",
    "SentencesAnswer",
    "SourceAddedAnswer",
    "SourceRow",
    "SourcesAnswer",
    "UncoveredSentence",
]


class SourceRow(TypedDict):
    id: str
    title: str
    publisher: str | None
    published: str | None
    facts: int  # how many facts the source holds
    entities: int  # how many entities those facts name (subject, object, according_to)


class SourcesAnswer(TypedDict):
    sources: list[SourceRow]


class SourceAddedAnswer(TypedDict):
    id: str
    written: list[str]  # the files written, text first


class NumberedSentence(TypedDict):
    number: int  # 1-based, stable while the text is unchanged
    text: str  # normalised (the form quotes are checked in)
    facts: list[str]  # ids of the facts whose quote lies (in part) in it
    skipped: list[str]  # reasons of the skip: entries that name it


class SentencesAnswer(TypedDict):
    source: str
    sentences: list[NumberedSentence]


class KnownMention(TypedDict):
    entity: str  # its id
    text: str  # the words that name it, as written


class MentionsSentence(TypedDict):
    number: int
    text: str
    known: list[KnownMention]


class Candidate(TypedDict):
    name: str  # as first written
    count: int  # occurrences in the text (by folded spelling)
    first_sentence: int


class MentionsAnswer(TypedDict):
    source: str
    sentences: list[MentionsSentence]
    candidates: list[Candidate]  # most frequent first


class UncoveredSentence(TypedDict):
    number: int
    text: str


class CoverageRow(TypedDict):
    source: str
    sentences: int
    covered: int  # sentences some fact quotes
    skipped: int  # sentences no fact quotes but a skip: entry names
    share: float  # (covered + skipped) / sentences, rounded to 4 places
    uncovered: NotRequired[list[UncoveredSentence]]  # with --uncovered


class CoverageAnswer(TypedDict):
    sources: list[CoverageRow]
