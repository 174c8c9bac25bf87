"""``kgraph mentions``: the known entities each sentence names, and the names no entity has yet.

Known names are found by word: an entity's name and aliases, and the text, are cut into words, each folded
as :func:`kgraph.resolve.fold` folds names (case, accents, punctuation); a possessive ``'s`` (or the bare
``'`` of ``Belarus'``) is dropped first on both sides, and the longest name starting at a word wins
("Belarus opposition" before "Belarus"). A name written in capitals (``US``, ``EU``) matches only capitals,
so the pronoun "us" is not the United States.

Candidate new entities come from a heuristic, no language model:

- a candidate is a run of capitalised words (``Xie Xiaoyong``, ``NATO``, ``Jean-Claude Juncker``,
  ``O'Brien``) not part of a known name, which may hold a lowercase connector between capitalised words
  (``Ministry of Defence``, ``Centre for Studies``; never ``and``, which joins two names more often
  than it sits inside one);
- words leading a run are dropped when they are stop words or common openers (``The``, ``But``, ``It``),
  words of web-page furniture (``Photo``, ``Related``), titles (``President``, ``Minister``), or months
  and days; and the first word of a sentence is dropped when the text also uses it in lowercase
  elsewhere (``Earlier``, ``Last``);
- a single capitalised word that the text also uses in lowercase (``Last`` after a pasted headline) is
  not a name.

Candidates are counted over the whole text (by folded spelling), most frequent first, each with the first
sentence it appears in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..knowledge import KnowledgeGraph
from ..loading.quotes import OPENERS, wordset
from ..resolve import fold
from .answers import Candidate, MentionsAnswer, MentionsSentence
from .article import article

__all__ = ["mentions"]

_WORD = re.compile(r"\w+(?:[-'.]\w+)*")
_PIECE = re.compile(r"[^-]+")
CONNECTORS = frozenset({"of", "for", "de", "del", "da", "di", "van", "von", "der", "bin", "al", "el", "la", "le"})
STOP = OPENERS | wordset(
    "i me my mine us our ours you your he him she her they them who whom what which why how is are was were be "
    "been has have had do does did not no yes all any some many most more each every both either neither one "
    "two three first second new old mr mrs ms dr sir "
    # the furniture of pasted web pages: "Photo: …", "Read more", "Related: …"
    "photo photos picture image video file caption credit read more related advertisement watch"
)
TITLES = wordset(
    "president vice prime minister foreign deputy ambassador professor prof director dean chairman chairwoman "
    "chair secretary general chancellor king queen prince princess senator governor mayor pope judge leader "
    "spokesman spokeswoman spokesperson officer commander colonel captain lieutenant sergeant"
)
CALENDAR = wordset(
    "january february march april may june july august september october november december monday tuesday "
    "wednesday thursday friday saturday sunday"
)


def _strip_possessive(word: str) -> str:
    return word[:-2] if len(word) > 2 and word[-2:] in ("'s", "'S") else word


def _words(text: str) -> list[tuple[int, int, str]]:
    """(start, end, word) of each word; a possessive 's is not part of its word."""
    out = []
    for m in _WORD.finditer(text):
        word = _strip_possessive(m.group())
        out.append((m.start(), m.start() + len(word), word))
    return out


def _key(word: str) -> tuple[str, ...]:
    return tuple(fold(word).split())


def _is_acronym(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return 0 < len(letters) <= 5 and all(c.isupper() for c in letters)


class _Known:
    """Every known name as a tuple of folded words → (entity id, whether it must match in capitals)."""

    def __init__(self, names: Iterable[tuple[str, str]]) -> None:
        self.index: dict[tuple[str, ...], tuple[str, bool]] = {}
        for ident, name in names:
            key = tuple(part for _, _, w in _words(name) for part in _key(w))
            if key:
                self.index.setdefault(key, (ident, _is_acronym(name)))
        self.longest = max((len(k) for k in self.index), default=0)

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, entity id) of each known name in ``text``, longest first, not overlapping."""
        parts: list[tuple[int, int, str, str]] = []  # (start, end, folded part, raw word)
        for start, _, word in _words(text):
            for piece in _PIECE.finditer(word):  # "Russia-Belarus" names Russia and Belarus
                a, b = start + piece.start(), start + piece.end()
                parts += [(a, b, p, piece.group()) for p in _key(piece.group())]
        found: list[tuple[int, int, str]] = []
        end = 0  # parts before this one are taken
        for i in range(len(parts)):
            hit = self._longest(parts, i)
            if hit is None:
                continue
            n, ident = hit
            if i >= end:
                found.append((parts[i][0], parts[i + n - 1][1], ident))
                end = i + n
            elif i + n > end and found[-1][2] == ident:  # "President Xi" + "Xi Jinping": one mention
                found[-1] = (found[-1][0], parts[i + n - 1][1], ident)
                end = i + n
        return found

    def _longest(self, parts: list[tuple[int, int, str, str]], i: int) -> tuple[int, str] | None:
        """(words, entity id) of the longest known name starting at part ``i``."""
        for n in range(min(self.longest, len(parts) - i), 0, -1):
            hit = self.index.get(tuple(p[2] for p in parts[i : i + n]))
            if hit is not None and (not hit[1] or all(p[3].isupper() for p in parts[i : i + n])):
                return n, hit[0]
        return None


def mentions(kg: KnowledgeGraph, source: str) -> MentionsAnswer:
    """Per sentence, the known entities named; then the candidate new entities, most frequent first."""
    art = article(kg, source, with_skips=False)
    known = _Known((e.id, n) for e in kg.entities.values() for n in (e.name, *e.aliases))
    lowercase = {w for _, _, w in _words(art.normalised) if w.islower()}
    per_sentence: list[MentionsSentence] = []
    candidates: dict[str, Candidate] = {}
    for s in art.sentences:
        hits = known.find(s.text)
        per_sentence.append(
            {
                "number": s.number,
                "text": s.text,
                "known": [{"entity": ident, "text": s.text[a:b]} for a, b, ident in hits],
            }
        )
        for name in _candidates(s.text, hits, lowercase):
            entry = candidates.setdefault(fold(name), {"name": name, "count": 0, "first_sentence": s.number})
            entry["count"] += 1
    ranked = sorted(candidates.values(), key=lambda c: (-c["count"], c["first_sentence"], c["name"]))
    return {"source": art.source.id, "sentences": per_sentence, "candidates": ranked}


def _candidates(text: str, known: list[tuple[int, int, str]], lowercase: set[str]) -> list[str]:
    """The candidate names of one sentence, as written."""
    taken = [(a, b) for a, b, _ in known]
    words = _outside(_words(text), taken)
    starts = [w[0] for w in words[:1]] + [a for a, _ in taken]
    sentence_start = min(starts) if starts else -1
    out = []
    for run in _runs(text, words):
        while run and run[-1][2] in CONNECTORS:
            run = run[:-1]
        while run and _not_a_name_start(run[0], sentence_start, lowercase):
            run = run[1:]
            while run and run[0][2] in CONNECTORS:
                run = run[1:]
        if run and not (len(run) == 1 and run[0][2].lower() in lowercase):
            out.append(text[run[0][0] : run[-1][1]])
    return out


Word = tuple[int, int, str]


def _outside(words: list[Word], taken: list[tuple[int, int]]) -> list[Word]:
    """The words that overlap no taken span (both lists in text order: one pass, not words × spans)."""
    out = []
    i = 0
    for a, b, w in words:
        while i < len(taken) and taken[i][1] <= a:
            i += 1
        if i == len(taken) or b <= taken[i][0]:
            out.append((a, b, w))
    return out


def _runs(text: str, words: list[Word]) -> list[list[Word]]:
    """Runs of capitalised words one space apart, a lowercase connector allowed after a capitalised word."""
    runs: list[list[Word]] = []
    current: list[Word] = []
    for a, b, w in words:
        joined = bool(current) and text[current[-1][1] : a] == " "
        if w[0].isupper():
            if not joined and current:
                runs.append(current)
                current = []
            current.append((a, b, w))
        elif joined and w in CONNECTORS and current[-1][2][0].isupper():
            current.append((a, b, w))
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def _not_a_name_start(word: tuple[int, int, str], sentence_start: int, lowercase: set[str]) -> bool:
    low = word[2].lower()
    if low in STOP or low in TITLES or low in CALENDAR:
        return True
    return word[0] == sentence_start and low in lowercase
