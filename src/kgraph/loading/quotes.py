"""Quotes and article texts: the form they are compared in, the sentences a text splits into, the checks.

Every fact quotes its article. The loader checks that the quote is in the
text, both put in the form of :func:`normalise_text` (typographic quotes,
dashes and spaces made plain); for a quote not found it suggests the
closest sentence of the text, from :func:`split_sentences`. Both functions
are public so that other commands split and compare text exactly as the
quote checker does.

Checking is bounded for hostile datasets: scanning texts by the
:class:`QuoteAllowance` of a load, suggesting passages by
:data:`MAX_SENTENCES_SEARCHED` and :data:`PASSAGE_BUDGET`.
"""

from __future__ import annotations

import re
import unicodedata

from ..limits import Limits
from ..suggest import Budget

__all__ = [
    "MAX_SENTENCES_SEARCHED",
    "PASSAGE_BUDGET",
    "Passages",
    "QuoteAllowance",
    "normalise_text",
    "sentences",
    "split_sentences",
]

MAX_SENTENCES_SEARCHED = 5_000
"""A text of more sentences than this (an article has tens) gets no closest-passage suggestions."""
PASSAGE_BUDGET = 100_000
"""Sentences compared, over a whole load, to suggest passages for quotes not found (~10 s at most)."""
SCAN_ALLOWANCE_BASE = 10 << 20
"""Bytes of YAML a load is credited with before it reads any (see :class:`QuoteAllowance`)."""

_QUOTES = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "′": "'",
        "`": "'",
        "´": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "″": '"',
        "«": '"',
        "»": '"',
        "‐": "-",
        "‑": "-",
        "‒": "-",
        "–": "-",
        "—": "-",
        "―": "-",
        "−": "-",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
        "…": "...",
        # invisible in a browser, so a quote copied from one may have them or not: soft hyphen, zero widths
        "\u00ad": None,
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\u2060": None,
        "\ufeff": None,
    }
)
_SPACE = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """The form quotes and article texts are compared in.

    Curly quotes and primes become straight quotes, every dash becomes ``-``,
    runs of whitespace become one space; soft hyphens and zero-width
    characters go, and accents are composed (NFC) so "é" is one character
    however it was typed.

    >>> normalise_text("“ironclad  friend” – China")
    '"ironclad friend" - China'
    """
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text).translate(_QUOTES)).strip()


# a sentence ends at . ! or ? (perhaps followed by a closing quote) followed by whitespace
_SENTENCE_BREAK = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"']))\s+")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Where the sentences of ``text`` are: ``(start, end)`` offsets, ``text[start:end]`` each one, in order.

    A sentence ends after ``.``, ``!`` or ``?`` (and a closing quote, if
    any) where whitespace follows. Whitespace around sentences belongs to
    none of them, so no sentence starts or ends with it, and a text of
    whitespace only has none. There are no rules for abbreviations: "Dr."
    ends a sentence. The quote checker splits the normalised text
    (:func:`normalise_text`) this way to suggest the passage a quote not
    found was meant to be.

    >>> text = 'He said "no." Then he left!  Did he?'
    >>> [text[a:b] for a, b in split_sentences(text)]
    ['He said "no."', 'Then he left!', 'Did he?']
    >>> split_sentences(" Hello. ")
    [(1, 7)]
    """
    spans = []
    start = 0
    for gap in [*_SENTENCE_BREAK.finditer(text), None]:
        end = len(text) if gap is None else gap.start()
        piece = text[start:end]
        stripped = piece.strip()
        if stripped:
            first = start + len(piece) - len(piece.lstrip())
            spans.append((first, first + len(stripped)))
        if gap is not None:
            start = gap.end()
    return spans


def sentences(text: str) -> list[str]:
    """The sentences of ``text`` themselves (see :func:`split_sentences`)."""
    return [text[a:b] for a, b in split_sentences(text)]


class QuoteAllowance:
    """How much article text one load may still scan to check quotes, and how many passages it may compare.

    Each check may scan a whole text, so a source pairing a huge text with a
    huge number of facts would take hours. A load may scan
    ``max_quote_scan`` characters of text per byte of YAML it read (plus
    :data:`SCAN_ALLOWANCE_BASE` bytes' worth), far more than real data needs
    (a million-fact dataset uses a thirtieth of it).
    """

    __slots__ = ("left", "limits", "passages", "spent")

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.left = limits.max_quote_scan * SCAN_ALLOWANCE_BASE
        self.spent = False  # whether a check was refused for want of allowance (said once per load)
        self.passages = Budget(PASSAGE_BUDGET)  # sentences compared to suggest passages

    def credit(self, yaml_bytes: int) -> None:
        """A YAML file of ``yaml_bytes`` was read: it may cause that much more scanning."""
        self.left += self.limits.max_quote_scan * yaml_bytes


class Passages:
    """One article text, normalised, checked for quotes; its sentences split once, for suggestions.

    difflib is slow (about 0.1 ms a sentence), so a hostile dataset (a huge
    text, thousands of wrong quotes) could make the suggestions quadratic;
    they are bounded instead: none for a text of more than
    :data:`MAX_SENTENCES_SEARCHED` sentences, and none once the load has
    compared :data:`PASSAGE_BUDGET` sentences. The error itself is always
    reported.
    """

    __slots__ = ("_sentences", "allowance", "checked", "text")

    def __init__(self, text: str, allowance: QuoteAllowance) -> None:
        self.text = text
        self.allowance = allowance  # shared by every source of one load
        self.checked: dict[str, bool] = {}  # quote -> found (a quote repeated is searched once)
        self._sentences: list[str] | None = None

    def contains(self, quote: str) -> bool | None:
        """Whether the text holds the (normalised) quote; None once the load's scanning allowance is spent."""
        found = self.checked.get(quote)
        if found is None:
            allowance = self.allowance
            if allowance.left < len(self.text):
                return None
            allowance.left -= len(self.text)
            found = self.checked[quote] = quote in self.text
        return found

    def closest(self, quote: str) -> str | None:
        """The sentence most like ``quote`` (shortened to 160 characters, quoted), or None."""
        import difflib

        if self._sentences is None:  # not at a mid-sentence quote
            self._sentences = sentences(self.text)
        found = self._sentences
        if len(found) > MAX_SENTENCES_SEARCHED or not self.allowance.passages.spend(len(found)):
            return None
        best = difflib.get_close_matches(normalise_text(quote), found, n=1, cutoff=0.4)
        if best:
            return repr(best[0][:160] + ("…" if len(best[0]) > 160 else ""))
        return None
