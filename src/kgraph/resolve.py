"""Names to ids: case, diacritics and punctuation folded; close matches suggested.

>>> fold("Europe’s last  Dictator")
'europes last dictator'
>>> fold("Łukaszenka") == fold("łukaszenka")
True
>>> index = NameIndex({"belarus": ["Belarus", "Minsk"], "russia": ["Russia"]})
>>> index.lookup("MINSK")
'belarus'
>>> index.suggest("belaruss")
['belarus']
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping

__all__ = ["NameIndex", "fold", "suggest"]

_APOSTROPHES = re.compile(r"['’ʼ`´]|\.(?=\w)")  # also the dots inside abbreviations: U.S. = US
# letters whose diacritic is part of the letter, so NFKD leaves them whole
_STROKES = str.maketrans({"ł": "l", "đ": "d", "ø": "o", "ħ": "h", "ŧ": "t", "ı": "i", "æ": "ae", "œ": "oe"})
_NON_WORD = re.compile(r"[\W_]+")


def fold(name: str) -> str:
    """The comparison form of a name: no diacritics, case-folded, punctuation as spaces."""
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    stripped = _APOSTROPHES.sub("", stripped.casefold().translate(_STROKES))
    return _NON_WORD.sub(" ", stripped).strip()


def suggest(name: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """The closest of ``candidates`` to ``name`` (compared folded), best first."""
    by_fold: dict[str, str] = {}
    for c in candidates:
        by_fold.setdefault(fold(c), c)
    matches = difflib.get_close_matches(fold(name), list(by_fold), n=n, cutoff=0.6)
    return [by_fold[m] for m in matches]


class NameIndex:
    """Every folded id, name and alias of a set of things, mapped to the thing's id."""

    __slots__ = ("_keys",)

    def __init__(self, names: Mapping[str, Iterable[str]]) -> None:
        # names: id -> its other names (name, aliases). Ids win over names and aliases.
        keys: dict[str, str] = {}
        for ident, others in names.items():
            for other in others:
                keys.setdefault(fold(other), ident)
        for ident in names:
            keys[fold(ident)] = ident
        keys.pop("", None)  # a name of punctuation only must not match every other such name
        self._keys = keys

    def lookup(self, name: str) -> str | None:
        """The id ``name`` stands for, or None."""
        return self._keys.get(fold(name))

    def suggest(self, name: str, n: int = 3) -> list[str]:
        """Ids of the closest known names, best first, without repeats."""
        key = fold(name)
        pool = self._keys
        if len(pool) > 20000:  # keep suggestions quick on very large datasets
            pool = {k: v for k, v in pool.items() if k[:1] == key[:1] and abs(len(k) - len(key)) <= 3}
        out: list[str] = []
        for match in difflib.get_close_matches(key, list(pool), n=n * 3, cutoff=0.6):
            ident = pool[match]
            if ident not in out:
                out.append(ident)
        return out[:n]
