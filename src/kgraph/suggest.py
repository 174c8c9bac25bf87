"""The one place kgraph works out what an unknown name was meant to be.

Every "did you mean …?" comes from here: entity names on the command line
(:meth:`kgraph.resolve.NameIndex.suggest`), relation names
(:meth:`kgraph.knowledge.KnowledgeGraph.relation`), source ids, field names
and values in a dataset (:class:`kgraph.validate.Report`), export formats,
measures. Names are compared in their folded form (:func:`fold`: no
diacritics, case-folded, punctuation as spaces) with difflib, keeping
matches of at least :data:`CUTOFF` similarity, best first.

Two safeguards keep it quick on hostile or huge inputs, the same for every
caller: a set of more than :data:`LARGE` names is only searched among the
names of the same first character and a length within 3 of the unknown one;
and a :class:`Budget` bounds how many names one run (a whole load) may
compare, :data:`SUGGESTION_BUDGET` of them, after which problems are still
reported, without a suggestion.

>>> fold("Europe’s last  Dictator")
'europes last dictator'
>>> suggest("belaruss", ["Belarus", "Russia"])
['Belarus']
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping

__all__ = [
    "CUTOFF",
    "LARGE",
    "NOTE_WIDTH",
    "SUGGESTION_BUDGET",
    "Budget",
    "Candidates",
    "Suggester",
    "fold",
    "note",
    "suggest",
]

CUTOFF = 0.6
"""How similar (difflib's ratio, 0 to 1) a known name must be to an unknown one to be suggested."""
LARGE = 20_000
"""Above this many names, only those of the same first character and a length within 3 are compared."""
SUGGESTION_BUDGET = 2_000_000
"""Candidate names compared, over one load, to suggest what unknown names meant (a few seconds at most)."""

NOTE_WIDTH = 60
"""At most this many characters of a description go into a suggestion's note (:func:`note`)."""

_APOSTROPHES = re.compile(r"['’ʼ`´]|\.(?=\w)")  # also the dots inside abbreviations: U.S. = US
# letters whose diacritic is part of the letter, so NFKD leaves them whole
_STROKES = str.maketrans({"ł": "l", "đ": "d", "ø": "o", "ħ": "h", "ŧ": "t", "ı": "i", "æ": "ae", "œ": "oe"})
_NON_WORD = re.compile(r"[\W_]+")
# fold's quick path for ASCII text (quotes are checked against names this way, one per fact)
_DOT_IN_WORD = re.compile(r"\.(?=\w)")
# (a bytes table: encoding, ``bytes.translate`` and decoding take a sixth of the time of ``str.translate``)
_ASCII_NON_WORD = bytes(c if c < 128 and chr(c).isalnum() else 32 for c in range(256))


def fold(name: str) -> str:
    """The comparison form of a name: no diacritics, case-folded, punctuation as spaces.

    Used to look names up (:mod:`kgraph.resolve`) as well as to suggest them.

    >>> fold("Łukaszenka") == fold("łukaszenka")
    True
    """
    if name.isascii():  # the same steps without regular expressions: five times quicker on a sentence
        text = _DOT_IN_WORD.sub("", name.lower()) if "." in name else name.lower()
        text = text.replace("'", "").replace("`", "")  # (after the dots: "4.'r" keeps its dot, as one pass would)
        return b" ".join(text.encode("ascii").translate(_ASCII_NON_WORD).split()).decode("ascii")
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    stripped = _APOSTROPHES.sub("", stripped.casefold().translate(_STROKES))
    return _NON_WORD.sub(" ", stripped).strip()


def note(kind: str, description: str) -> str:
    """What a suggested entity is, to tell apart names that look alike: its type and description, shortened.

    An unknown name can be close to several people (a husband and a wife);
    the note shows which one a suggestion points at.

    >>> note("person", "Belarusian opposition leader, jailed for 18 years.")
    'person: Belarusian opposition leader, jailed for 18 years'
    >>> note("document", "An order to strengthen ties with China in politics, security and economics, and more.")
    'document: An order to strengthen ties with China in politics, security …'
    """
    text = " ".join(description.split()).rstrip(".")
    if len(text) > NOTE_WIDTH:
        cut = text[: NOTE_WIDTH + 1]
        text = (cut[: cut.rfind(" ")] if " " in cut else text[:NOTE_WIDTH]).rstrip(" ,;:") + " …"
    return f"{kind}: {text}" if text else kind


class Budget:
    """How many more candidates may be compared; shared by every question of one run.

    >>> b = Budget(5)
    >>> b.spend(3), b.spend(3), b.spend(2)
    (True, False, True)
    """

    __slots__ = ("left",)

    def __init__(self, total: int) -> None:
        self.left = total

    def spend(self, n: int) -> bool:
        """Take ``n`` from what is left and say True; or, when fewer than ``n`` are left, take none and say False."""
        if n > self.left:
            return False
        self.left -= n
        return True


class Candidates:
    """A fixed set of known names, folded once, each standing for what is suggested in its place.

    ``by_fold`` maps a folded name to what to suggest for it: the name itself
    (:meth:`of`), or the id of the thing it names (an entity's aliases all
    suggest its id). Folding once matters: at 50,000 entities, folding every
    name again for each unknown one took 0.3 s a name.
    """

    __slots__ = ("_buckets", "by_fold")

    def __init__(self, by_fold: Mapping[str, str]) -> None:
        self.by_fold = by_fold
        self._buckets: dict[tuple[str, int], list[str]] | None = None
        if len(by_fold) > LARGE:
            self._buckets = {}
            for k in by_fold:
                self._buckets.setdefault((k[:1], len(k)), []).append(k)

    @classmethod
    def of(cls, names: Iterable[str]) -> Candidates:
        """Names that suggest themselves; of names folding alike, the first is the one suggested."""
        by_fold: dict[str, str] = {}
        for name in names:
            by_fold.setdefault(fold(name), name)
        return cls(by_fold)

    def pool(self, key: str) -> list[str]:
        """The folded names worth comparing with the folded ``key``: all of them, unless there are very many."""
        if self._buckets is None:
            return list(self.by_fold)
        out: list[str] = []
        for length in range(len(key) - 3, len(key) + 4):
            out += self._buckets.get((key[:1], length), ())
        return out

    def closest(self, name: str, n: int = 3, budget: Budget | None = None) -> list[str]:
        """What the ``n`` known names closest to ``name`` stand for, best first, each once.

        Nothing when comparing would overspend ``budget``.
        """
        key = fold(name)
        pool = self.pool(key)
        if budget is not None and not budget.spend(len(pool)):
            return []
        out: list[str] = []
        # several names may stand for one thing: ask for more matches than wanted, keep each thing once
        for match in difflib.get_close_matches(key, pool, n=n * 3, cutoff=CUTOFF):
            meant = self.by_fold[match]
            if meant not in out:
                out.append(meant)
        return out[:n]


def suggest(name: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """The closest of ``candidates`` to ``name`` (compared folded), best first.

    >>> suggest("BÉLARUS", ["Belarus", "Russia"]), suggest("zzz", ["Belarus"])
    (['Belarus'], [])
    """
    return Candidates.of(candidates).closest(name, n)


class Suggester:
    """Suggestions over one run (a load): one budget, and the folded form of big name sets kept between questions.

    The entities and relations are asked about again and again (each unknown
    name in each fact); a small set (the fields a mapping allows) is folded
    afresh each time, as keeping it would cost more than it saves.
    """

    __slots__ = ("_kept", "budget")

    def __init__(self, budget: int | None = None) -> None:
        self.budget = Budget(SUGGESTION_BUDGET if budget is None else budget)
        self._kept: dict[tuple[int, int], tuple[Collection[str], Candidates]] = {}

    def closest(self, name: str, known: Collection[str], n: int = 3) -> list[str]:
        """The closest of ``known`` to ``name``, best first; none once the budget is spent.

        A hostile dataset (half a million entities, every fact naming an
        unknown one) would otherwise make suggesting quadratic.
        """
        if len(known) < 100:
            candidates = Candidates.of(known)
        else:
            slot = (id(known), len(known))
            kept = self._kept.get(slot)
            if kept is None or kept[0] is not known:  # (an id can be reused once its set is gone)
                kept = self._kept[slot] = (known, Candidates.of(known))
            candidates = kept[1]
        return candidates.closest(name, n, self.budget)
