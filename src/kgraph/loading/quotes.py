"""Quotes and article texts: the form they are compared in, the sentences a text splits into, the checks.

Every fact quotes its article. The loader checks that the quote is in the
text, both put in the form of :func:`normalise_text` (typographic quotes,
dashes and spaces made plain); for a quote not found it suggests the
closest sentence of the text, from :func:`split_sentences`. Both functions
are public so that other commands split and compare text exactly as the
quote checker does.

Checking is bounded for hostile datasets: scanning texts by the
:class:`QuoteAllowance` of a load, suggesting passages by
:data:`MAX_TEXT_SEARCHED`, :data:`MAX_SENTENCES_SEARCHED` and :data:`PASSAGE_BUDGET` (splitting a text
is charged to the budget too).
"""

from __future__ import annotations

import re
import unicodedata

from ..limits import Limits
from ..suggest import Budget

__all__ = [
    "MAX_SENTENCES_SEARCHED",
    "MAX_TEXT_SEARCHED",
    "PASSAGE_BUDGET",
    "Passages",
    "QuoteAllowance",
    "normalise_text",
    "sentences",
    "split_sentences",
    "wordset",
]

MAX_SENTENCES_SEARCHED = 5_000
"""A text of more sentences than this (an article has tens) gets no closest-passage suggestions."""
PASSAGE_BUDGET = 100_000
"""Sentences compared, over a whole load, to suggest passages for quotes not found (~10 s at most)."""
MAX_TEXT_SEARCHED = 1_000_000
"""A text of more characters than this gets no closest-passage suggestions (an article has tens of thousands)."""
CHARACTERS_PER_PASSAGE = 100
"""Splitting a text into sentences is charged to the passage budget: one passage per this many characters
(splitting hostile text costs up to ~3.5 µs a character, comparing a passage ~0.1 ms)."""
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


def normalise_text(text: str) -> str:
    """The form quotes and article texts are compared in.

    Curly quotes and primes become straight quotes, every dash becomes ``-``,
    runs of whitespace become one space; soft hyphens and zero-width
    characters go, and accents are composed (NFC) so "é" is one character
    however it was typed.

    >>> normalise_text("“ironclad  friend” – China")
    '"ironclad friend" - China'
    """
    if text.isascii():  # (most quotes: NFC leaves ASCII as it is, and the table holds one ASCII character)
        return " ".join((text.translate(_QUOTES) if "`" in text else text).split())
    return " ".join(unicodedata.normalize("NFC", text).translate(_QUOTES).split())


def wordset(words: str) -> frozenset[str]:
    """The words of a space-separated list, as a set (word lists read best as running text)."""
    return frozenset(words.split())


_ABBREVIATIONS = wordset(
    "mr mrs ms dr prof st mt gen col lt sgt capt cmdr adm gov sen rep rev fr jr sr vs etc eg ie cf al inc ltd co "
    "corp fig vol pp jan feb mar apr jun jul aug sep sept oct nov dec"
)
OPENERS = wordset(
    "the a an in on at as by for from to of with without after before during since until while when where "
    "last next this that these those it its he she they we you there here his her their our but and or so yet "
    "however meanwhile earlier later also still now then today yesterday tomorrow according although though "
    "if despite under over among"
)
"""Capitalised, these words open a sentence far more often than they continue a name."""
FUNCTION_WORDS = wordset(
    "the a an and or but of in on at to for from by with as than that which who whom whose its his her their "
    "our my your this these those is are was were be been being has have had said says told"
)
"""Words that end a headline far more rarely than they continue a sentence."""

# every character that normalises to a straight quote: a text as read splits as its normalised form does
_QUOTE_MARKS = "\"'" + "".join(chr(c) for c, to in _QUOTES.items() if to in ('"', "'"))
_BOUNDARY = re.compile(rf"([.!?\u2026]+)[{re.escape(_QUOTE_MARKS)})\]]*\s+")
_OPENING = _QUOTE_MARKS + "(["
_CLOSING = _QUOTE_MARKS + ")]"
_INLINE_HEAD = re.compile(r"(?<=[a-z0-9])\s+(?=([A-Z][a-z]+)\b)")
_LINE = re.compile(r"[^\r\n\u2028\u2029\x85\x0b\x0c]+")
_PARAGRAPH = re.compile(r"\n[^\S\n]*\n|\r\n[^\S\r\n]*\r\n|\r[^\S\r]*\r|[\u2029\x0c]")
_CLOSES = (".", "!", "?", ":", ";", '"', "'", ")", "]", "\u2026", "\u201d", "\u2019", "\u00bb")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Where the sentences of ``text`` are: ``(start, end)`` offsets, ``text[start:end]`` each one, in order.

    ``text`` may be an article as read from its file (its line breaks then mark headlines and captions) or
    normalised (:func:`normalise_text`). Whitespace around sentences belongs to none of them, so no sentence
    starts or ends with it, and a text of whitespace only has none. A sentence ends:

    - after ``.``, ``!`` or ``?`` (and any closing quotes or brackets) followed by whitespace and a capital
      letter, a digit or an opening quote or bracket; so a quotation inside a sentence (``"Why?" she
      asked``) does not end it, and a quotation that ends one stays with it (``…independence." But``);
    - not after an abbreviation (``Mr.``, ``Dr.``, ``St.``, ``e.g.``) or an initial (``J. K.``, ``U.S.``);
    - at a paragraph break (a blank line), and at a line break after a line without closing punctuation
      (a headline, a photo caption), unless the text is hard-wrapped (most lines end mid-sentence);
    - before a headline pasted into the running text, when it can be told: a capitalised common opener
      (``The``, ``Last``, ``In``, …: :data:`OPENERS`) right after a lowercase word that is not a function
      word (``…bodies of migrants Last month the Russian…``). A headline followed by a name (``…jailed for
      18 years Lukashenko, who…``) cannot be told from running text and stays joined.

    The quote checker suggests passages from these sentences, and ``kgraph sentences`` numbers them.

    >>> text = 'Envoy leaves\\n\\nMr. Smith said "no." Then he left!  "Why?" she asked.'
    >>> [text[a:b] for a, b in split_sentences(text)]
    ['Envoy leaves', 'Mr. Smith said "no."', 'Then he left!', '"Why?" she asked.']
    >>> split_sentences(" Hello. ")
    [(1, 7)]
    """
    spans: list[tuple[int, int]] = []
    for b_start, b_end in _blocks(text):
        spans += [(b_start + a, b_start + b) for a, b in _split_block(text[b_start:b_end])]
    return spans


def _blocks(text: str) -> list[tuple[int, int]]:
    """Paragraphs, headlines and captions: the stretches that line breaks alone delimit, as (start, end)."""
    lines = [(m.start(), m.end()) for m in _LINE.finditer(text) if text[m.start() : m.end()].strip()]
    if len(lines) <= 1:
        return [(0, len(text))] if text.strip() else []
    filled = [text[a:b].rstrip() for a, b in lines[:-1]]
    open_ended = sum(1 for ln in filled if not ln.endswith(_CLOSES))
    hard_wrapped = len(filled) >= 3 and open_ended * 2 > len(filled)
    paragraph_at = [m.start() for m in _PARAGRAPH.finditer(text)]
    blocks: list[tuple[int, int]] = []
    start = lines[0][0]
    p = 0
    for i, (a, b) in enumerate(lines):
        last = i == len(lines) - 1
        nxt = lines[i + 1][0] if not last else len(text)
        while p < len(paragraph_at) and paragraph_at[p] < b:
            p += 1
        para = p < len(paragraph_at) and paragraph_at[p] < nxt
        head = not hard_wrapped and not text[a:b].rstrip().endswith(_CLOSES)
        if last or para or head:
            blocks.append((start, b))
            if not last:
                start = nxt
    return blocks


def _split_block(block: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of one block, whitespace trimmed."""
    cuts = [0]
    for m in _BOUNDARY.finditer(block):
        nxt = block[m.end() : m.end() + 2]
        if not nxt or not (nxt[0].isupper() or nxt[0].isdigit() or (nxt[0] in _OPENING and nxt[1:].strip())):
            continue
        if _abbreviation(_word_before(block, m.end(1))):
            continue
        cuts.append(m.end())
    for m in _INLINE_HEAD.finditer(block):
        prev = _word_before(block, m.start())
        if m.group(1).lower() in OPENERS and (prev.islower() or prev.isdigit()) and prev not in FUNCTION_WORDS:
            cuts.append(m.end())
    cuts = sorted(set(cuts))
    spans = []
    for start, end in zip(cuts, [*cuts[1:], len(block)], strict=True):
        piece = block[start:end]
        stripped = piece.strip()
        if stripped:
            first = start + len(piece) - len(piece.lstrip())
            spans.append((first, first + len(stripped)))
    return spans


def _word_before(block: str, end: int) -> str:
    """The word (run of non-whitespace) that ends at ``end``."""
    start = end
    while start > 0 and not block[start - 1].isspace():
        start -= 1
    return block[start:end]


def _abbreviation(word: str) -> bool:
    """Whether the word a full stop follows is an abbreviation or an initial (``Dr.``, ``U.S.``, ``J.``)."""
    bare = word.rstrip(_CLOSING)
    core = bare.rstrip(".!?\u2026")
    if bare[len(core) :] != ".":  # one full stop: "Dr." is an abbreviation, "B..." or "B?." are not
        return False
    core = core.lstrip(_OPENING)
    if len(core) == 1 and core.isalpha() and core.isupper():
        return True
    if re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", core):  # U.S, e.g, i.e
        return True
    return core.lower() in _ABBREVIATIONS


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

    __slots__ = ("_sentences", "allowance", "checked", "raw", "text")

    def __init__(self, text: str, allowance: QuoteAllowance, raw: str | None = None) -> None:
        self.text = text
        self.raw = raw  # the text as read, when known: its line breaks mark headlines and captions
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

        if self._sentences is None:  # the sentences `kgraph sentences` numbers
            text = self.raw if self.raw is not None else self.text
            if len(text) > MAX_TEXT_SEARCHED or not self.allowance.passages.spend(len(text) // CHARACTERS_PER_PASSAGE):
                self._sentences = []  # (too long to split for a suggestion: the error is reported without one)
                return None
            raw = self.raw
            self._sentences = sentences(self.text) if raw is None else [normalise_text(s) for s in sentences(raw)]
        found = self._sentences
        if len(found) > MAX_SENTENCES_SEARCHED or not self.allowance.passages.spend(len(found)):
            return None
        best = difflib.get_close_matches(normalise_text(quote), found, n=1, cutoff=0.4)
        if best:
            return repr(best[0][:160] + ("…" if len(best[0]) > 160 else ""))
        return None
