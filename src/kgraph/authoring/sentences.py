"""An article text as numbered sentences, placed in its normalised form where quotes are found.

The splitting is the quote checker's (:func:`kgraph.loading.quotes.split_sentences`, run on the text as
read, whose line breaks mark headlines and captions). Each sentence is then located in the *normalised*
text (:func:`kgraph.loading.quotes.normalise_text`), the form quotes are checked in, so a quote found in
the text falls in known sentences. The numbers (1-based) depend on the text alone: they stay the same
while the text is unchanged, whatever the facts say.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from ..loading.quotes import normalise_text, sentences

__all__ = ["Sentence", "covering", "locate", "number_sentences"]


@dataclass(frozen=True, slots=True)
class Sentence:
    """Sentence ``number`` (1-based): ``text`` is ``normalised[start:end]`` of its article."""

    number: int
    start: int
    end: int
    text: str


def number_sentences(raw: str) -> list[Sentence]:
    """The sentences of an article text (as read from its file), numbered from 1, in its normalised form.

    >>> [s.text for s in number_sentences("Envoy leaves\\n\\nMr. Smith left. \\u201cWhy?\\u201d he asked.")]
    ['Envoy leaves', 'Mr. Smith left.', '"Why?" he asked.']
    """
    normalised = normalise_text(raw)
    pieces = [p for p in (normalise_text(s) for s in sentences(raw)) if p]
    if " ".join(pieces) != normalised:  # (a character normalising drops sat between two sentences)
        pieces = sentences(normalised)
    out: list[Sentence] = []
    offset = 0
    for piece in pieces:
        out.append(Sentence(len(out) + 1, offset, offset + len(piece), piece))
        offset += len(piece) + 1
    return out


def locate(normalised: str, quote: str) -> tuple[int, int] | None:
    """Where a (normalised) quote first occurs in the normalised text, as (start, end); None if it does not."""
    at = normalised.find(quote) if quote else -1
    return None if at < 0 else (at, at + len(quote))


def covering(sentences: list[Sentence], span: tuple[int, int], ends: list[int] | None = None) -> list[int]:
    """The numbers of the sentences a span of the normalised text overlaps (``ends``: each sentence's end)."""
    start, end = span
    if ends is None:
        ends = [s.end for s in sentences]
    first = bisect.bisect_right(ends, start)  # the first sentence ending after start
    out = []
    for s in sentences[first:]:
        if s.start >= end:
            break
        out.append(s.number)
    return out
