"""An article text as numbered sentences: the one splitting the quote checker, ``sentences`` and ``coverage`` share.

Sentences are slices of the *normalised* text (:func:`kgraph.validate.normalise_text`), the form quotes are
checked in, so a quote found in the text falls in known sentences. The numbers (1-based) depend on the text
alone: they stay the same while the text is unchanged, whatever the facts say.

Where a sentence ends:

- after ``.``, ``!`` or ``?`` (and any closing quotes or brackets) followed by a space and a capital letter,
  a digit or an opening quote; so a quotation inside a sentence (``"Why?" she asked``) does not end it,
  and a quotation that ends one stays with it (``…independence." But``);
- not after an abbreviation (``Mr.``, ``Dr.``, ``St.``, ``e.g.``) or an initial (``J. K.``, ``U.S.``);
- at a paragraph break (a blank line), and at a line break after a line with no closing punctuation (a
  headline or a photo caption), unless the text is hard-wrapped (most lines end mid-sentence);
- before a headline pasted into the running text without a line break, when it can be told: a capitalised
  common sentence opener (``The``, ``Last``, ``In``, …) right after a lowercase word that is not itself a
  function word (``…bodies of migrants Last month the Russian…``). A headline followed by a name
  (``…jailed for 18 years Lukashenko, who…``) cannot be told from running text and stays joined.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from ..validate import normalise_text

__all__ = ["Sentence", "covering", "locate", "split_sentences", "wordset"]


def wordset(words: str) -> frozenset[str]:
    """The words of a space-separated list, as a set (word lists read best as running text)."""
    return frozenset(words.split())


@dataclass(frozen=True, slots=True)
class Sentence:
    """Sentence ``number`` (1-based): ``text`` is ``normalised[start:end]`` of its article."""

    number: int
    start: int
    end: int
    text: str


_ABBREVIATIONS = wordset(
    "mr mrs ms dr prof st mt gen col lt sgt capt cmdr adm gov sen rep rev fr jr sr vs etc eg ie cf al inc ltd co "
    "corp no nos fig vol pp jan feb mar apr jun jul aug sep sept oct nov dec"
)
# capitalised words that open a sentence far more often than they continue a name
OPENERS = wordset(
    "the a an in on at as by for from to of with without after before during since until while when where "
    "last next this that these those it its he she they we you there here his her their our but and or so yet "
    "however meanwhile earlier later also still now then today yesterday tomorrow according although though "
    "if despite under over among"
)
# words that end a headline far more rarely than they continue a sentence
FUNCTION_WORDS = wordset(
    "the a an and or but of in on at to for from by with as than that which who whom whose its his her their "
    "our my your this these those is are was were be been being has have had said says told"
)

_BOUNDARY = re.compile(r"[.!?]+[\"')\]]*\s+")
_INLINE_HEAD = re.compile(r"(?<=[a-z0-9]) (?=([A-Z][a-z]+)\b)")
_LINE_BREAK = re.compile(r"\r\n|\r|\n|\u2028|\u2029|\x85|\x0b|\x0c")
_CLOSES = (".", "!", "?", ":", ";", '"', "'", ")", "]", "…", "”", "’", "»")


def split_sentences(raw: str) -> list[Sentence]:
    """The sentences of an article text (as read from its file, before normalising), numbered from 1.

    >>> [s.text for s in split_sentences("Fictional Gazette reports\\n\\nMr. Smith left. \\"Why?\\" he asked.")]
    ['Fictional Gazette reports', 'Mr. Smith left.', '"Why?" he asked.']
    """
    normalised = normalise_text(raw)
    blocks = [normalise_text(b) for b in _blocks(raw)]
    blocks = [b for b in blocks if b]
    if " ".join(blocks) != normalised:  # (normalising in pieces differed: a combining mark after a break)
        blocks = [normalised] if normalised else []
    out: list[Sentence] = []
    offset = 0
    for block in blocks:
        for start, end in _split_block(block):
            out.append(Sentence(len(out) + 1, offset + start, offset + end, block[start:end]))
        offset += len(block) + 1
    return out


def _blocks(raw: str) -> list[str]:
    """Paragraphs, headlines and captions: the pieces line breaks alone delimit."""
    lines = _LINE_BREAK.split(raw)
    filled = [ln.rstrip() for ln in lines[:-1] if ln.strip()]
    open_ended = sum(1 for ln in filled if not ln.endswith(_CLOSES))
    hard_wrapped = len(filled) >= 3 and open_ended * 2 > len(filled)
    blocks: list[str] = []
    current: list[str] = []
    for line in lines:
        stripped = line.strip()
        if not stripped:
            if current:
                blocks.append(" ".join(current))
                current = []
            continue
        current.append(stripped)
        if not hard_wrapped and not stripped.endswith(_CLOSES):
            blocks.append(" ".join(current))
            current = []
    if current:
        blocks.append(" ".join(current))
    return blocks


def _split_block(block: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of one normalised block."""
    cuts = [0]
    for m in _BOUNDARY.finditer(block):
        nxt = block[m.end() : m.end() + 2]
        if not nxt or not (nxt[0].isupper() or nxt[0].isdigit() or (nxt[0] in "\"'([" and nxt[1:].strip())):
            continue
        if _abbreviation(_word_before(block, m.start() + 1)):
            continue
        cuts.append(m.end())
    for m in _INLINE_HEAD.finditer(block):
        opener = m.group(1)
        prev = _word_before(block, m.start())
        if opener.lower() in OPENERS and (prev.islower() or prev.isdigit()) and prev not in FUNCTION_WORDS:
            cuts.append(m.end())
    cuts = sorted(set(cuts))
    spans = []
    for start, end in zip(cuts, [*cuts[1:], len(block)], strict=True):
        text = block[start:end].rstrip()
        if text:
            spans.append((start, start + len(text)))
    return spans


def _word_before(block: str, end: int) -> str:
    """The word (run of non-spaces) that ends at ``end``."""
    return block[block.rfind(" ", 0, end) + 1 : end]


def _abbreviation(word: str) -> bool:
    """Whether the word a full stop follows is an abbreviation or an initial (``Dr.``, ``U.S.``, ``J.``)."""
    core = word.rstrip(".!?\"')]").lstrip("\"'([")
    if not word.rstrip("\"')]").endswith("."):
        return False
    if len(core) == 1 and core.isalpha() and core.isupper():
        return True
    if re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", core):  # U.S, e.g, i.e
        return True
    return core.lower() in _ABBREVIATIONS


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
