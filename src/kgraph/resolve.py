"""Names to ids: an entity is found by its id, name or any alias, folded.

Folding (case, diacritics, punctuation) and suggesting close names for an
unknown one are :mod:`kgraph.suggest`'s; ``fold`` and ``suggest`` are
importable from here too.

>>> fold("Europe’s last  Dictator")
'europes last dictator'
>>> index = NameIndex({"belarus": ["Belarus", "Minsk"], "russia": ["Russia"]})
>>> index.lookup("MINSK")
'belarus'
>>> index.suggest("belaruss")
['belarus']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .suggest import Candidates, fold, suggest

__all__ = ["NameIndex", "fold", "suggest"]


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

    @classmethod
    def from_folded(cls, folded: Mapping[str, str]) -> NameIndex:
        """An index of names already folded (``folded`` as :attr:`folded` gave it): the cache's way back."""
        index = cls.__new__(cls)
        index._keys = dict(folded)
        return index

    @property
    def folded(self) -> Mapping[str, str]:
        """Every folded name mapped to its id (what :meth:`from_folded` takes)."""
        return self._keys

    def lookup(self, name: str) -> str | None:
        """The id ``name`` stands for, or None."""
        return self._keys.get(fold(name))

    def suggest(self, name: str, n: int = 3) -> list[str]:
        """Ids of the closest known names, best first, without repeats."""
        return Candidates(self._keys).closest(name, n)
