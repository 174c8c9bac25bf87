"""The rules every dataset must follow, and the report that collects what breaks them.

The loader calls these while it reads, with each value's position at hand, so
that every problem is reported once, as ``file:line:column``, with a
suggestion where one exists. Nothing stops at the first problem.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable

from . import dates
from .errors import Problem
from .resolve import fold
from .yamlread import Value, YList, YMap

__all__ = [
    "ENTITY_TYPES",
    "SLUG",
    "Report",
    "normalise_text",
]

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RELATION_ID = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
ENTITY_TYPES = (
    "person",
    "country",
    "organisation",
    "group",
    "event",
    "initiative",
    "document",
    "place",
)

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


SUGGESTION_BUDGET = 2_000_000
"""Candidate names compared, over one report, to suggest what an unknown name meant (a few seconds at most)."""


class _Suggester:
    """The closest names to an unknown one, among a fixed set, quickly even when the set is large.

    The folded names are computed once (not once per unknown name: at 50,000 entities that alone took
    0.3 s a name). A set of over 20,000 names is bucketed by first character and length, and only names of
    the same first character and a length within 3 are compared, as :meth:`kgraph.resolve.NameIndex.suggest`
    does; a smaller set is searched whole, so its suggestions are those of :func:`kgraph.resolve.suggest`.
    """

    __slots__ = ("buckets", "by_fold")

    def __init__(self, names: Collection[str]) -> None:
        by_fold: dict[str, str] = {}
        for c in names:
            by_fold.setdefault(fold(c), c)
        self.by_fold = by_fold
        self.buckets: dict[tuple[str, int], list[str]] | None = None
        if len(by_fold) > 20_000:
            self.buckets = {}
            for k in by_fold:
                self.buckets.setdefault((k[:1], len(k)), []).append(k)

    def candidates(self, key: str) -> list[str]:
        if self.buckets is None:
            return list(self.by_fold)
        out: list[str] = []
        for length in range(len(key) - 3, len(key) + 4):
            out += self.buckets.get((key[:1], length), ())
        return out


class Report:
    """Every problem found in one dataset, errors and warnings apart."""

    __slots__ = ("_budget", "_suggesters", "errors", "warnings")

    def __init__(self) -> None:
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        self._suggesters: dict[tuple[int, int], tuple[Collection[str], _Suggester]] = {}
        self._budget = SUGGESTION_BUDGET

    def suggest(self, name: str, known: Collection[str], n: int = 3) -> list[str]:
        """The closest of ``known`` to ``name``, best first; none once the report's budget is spent.

        A hostile dataset (half a million entities, every fact naming an unknown one) would otherwise make
        the suggestions quadratic; the problems themselves are always reported.
        """
        import difflib

        if len(known) < 100:  # a list of fields, a small vocabulary: nothing worth keeping
            suggester = _Suggester(known)
        else:  # the entities or relations, asked about again and again
            slot = (id(known), len(known))
            cached = self._suggesters.get(slot)
            if cached is None or cached[0] is not known:
                cached = self._suggesters[slot] = (known, _Suggester(known))
            suggester = cached[1]
        key = fold(name)
        pool = suggester.candidates(key)
        if len(pool) > self._budget:
            return []
        self._budget -= len(pool)
        return [suggester.by_fold[m] for m in difflib.get_close_matches(key, pool, n=n, cutoff=0.6)]

    def error(self, path: str, at: tuple[int, int] | None, message: str, suggestion: str | None = None) -> None:
        line, column = at or (0, 0)
        self.errors.append(Problem(path, line, column, message, "error", suggestion))

    def warn(self, path: str, at: tuple[int, int] | None, message: str, suggestion: str | None = None) -> None:
        line, column = at or (0, 0)
        self.warnings.append(Problem(path, line, column, message, "warning", suggestion))

    def extend(self, problems: Iterable[Problem]) -> None:
        for p in problems:
            (self.errors if p.severity == "error" else self.warnings).append(p)

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict[str, object]:
        return {
            "errors": [p.to_dict() for p in self.errors],
            "warnings": [p.to_dict() for p in self.warnings],
        }

    # -- shape checks ---------------------------------------------------------

    def mapping(self, value: Value, path: str, at: tuple[int, int] | None, what: str) -> YMap | None:
        if isinstance(value, YMap):
            return value
        self.error(path, at, f"{what} must be a mapping of fields, not {describe(value)}")
        return None

    def sequence(self, value: Value, path: str, at: tuple[int, int] | None, what: str) -> YList | None:
        if isinstance(value, YList):
            return value
        self.error(path, at, f"{what} must be a list, not {describe(value)}")
        return None

    def fields(self, m: YMap, path: str, what: str, required: Collection[str], optional: Collection[str]) -> bool:
        """Unknown keys are errors (with the closest allowed key); missing required keys too."""
        ok = True
        allowed = [*required, *optional]
        for key in m:
            if key not in allowed:
                near = self.suggest(key, allowed, n=1)
                self.error(
                    path,
                    m.key_at(key),
                    f"unknown field {key!r} in {what}; allowed: {', '.join(allowed)}",
                    repr(near[0]) if near else None,
                )
                ok = False
        for key in required:
            if m.get(key) is None:
                where = m.value_at(key) if key in m else (m.line, m.column)
                self.error(path, where, f"{what} has no {key!r}" if key not in m else f"{key!r} is empty in {what}")
                ok = False
        return ok

    def text(self, m: YMap, key: str, path: str, what: str) -> str | None:
        """A string field (absent → None)."""
        value = m.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            self.error(path, m.value_at(key), f"{key!r} of {what} must be text, not {describe(value)}")
            return None
        if not value.strip():
            self.error(path, m.value_at(key), f"{key!r} of {what} is blank")
            return None
        return value

    def flag(self, m: YMap, key: str, path: str, what: str) -> bool:
        """A boolean field: exactly ``true`` or ``false`` (absent → false)."""
        value = m.get(key)
        if value is None:
            return False
        if value == "true":
            return True
        if value == "false":
            return False
        hint = None
        if isinstance(value, str) and value.lower() in {"yes", "on", "y", "true", "1"}:
            hint = "true"
        elif isinstance(value, str) and value.lower() in {"no", "off", "n", "false", "0"}:
            hint = "false"
        self.error(path, m.value_at(key), f"{key!r} of {what} must be true or false, not {show(value)}", hint)
        return False

    def date(self, m: YMap, key: str, path: str, what: str) -> str | None:
        value = m.get(key)
        if value is None:
            return None
        if isinstance(value, str) and dates.is_valid(value):
            return value
        hint = None
        if isinstance(value, str):
            hint = _date_hint(value)
        self.error(
            path,
            m.value_at(key),
            f"{key!r} of {what} is not an ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD): {show(value)}",
            hint,
        )
        return None

    def string_list(self, m: YMap, key: str, path: str, what: str) -> tuple[str, ...]:
        value = m.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            self.error(path, m.value_at(key), f"{key!r} of {what} must be a list, e.g. [{value}]")
            return ()
        if not isinstance(value, YList):
            self.error(path, m.value_at(key), f"{key!r} of {what} must be a list of names, not {describe(value)}")
            return ()
        out = []
        for item, at in zip(value, value.pos):
            if not isinstance(item, str) or not item.strip():
                self.error(path, at, f"each of {key!r} in {what} must be non-empty text, not {describe(item)}")
            else:
                out.append(item)
        return tuple(out)

    def reference(self, value: str | None, known: Collection[str], path: str, at: tuple[int, int], kind: str) -> bool:
        """``value`` must be one of ``known``; otherwise an error with the closest ids."""
        if value is None or value in known:
            return True
        near = self.suggest(value, known, n=3)
        self.error(
            path,
            at,
            f"unknown {kind} {value!r}",
            " or ".join(repr(n) for n in near) if near else None,
        )
        return False


def describe(value: Value) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, YMap):
        return "a mapping"
    if isinstance(value, YList):
        return "a list"
    return f"the text {value!r}"


def show(value: Value) -> str:
    return repr(value) if isinstance(value, str) else describe(value)


_MONTHS = {
    m: i
    for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)
}


def _date_hint(text: str) -> str | None:
    """A likely ISO form of a date written another way."""
    t = text.strip()
    m = re.match(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$", t)  # 03.12.2021 or 3/12/2021 (day first)
    if m:
        day, month, year = (int(g) for g in m.groups())
        cand = f"{year:04d}-{month:02d}-{day:02d}"
        return repr(cand) if dates.is_valid(cand) else None
    m = re.match(r"^(\d{4})[./](\d{1,2})(?:[./](\d{1,2}))?$", t)
    if m:
        cand = f"{int(m.group(1)):04d}-{int(m.group(2)):02d}" + (f"-{int(m.group(3)):02d}" if m.group(3) else "")
        return repr(cand) if dates.is_valid(cand) else None
    m = re.match(r"^(?:(\d{1,2})\s+)?([A-Za-z]+)\.?,?\s+(?:(\d{1,2}),?\s+)?(\d{4})$", t)
    if m:
        month_no = _MONTHS.get(m.group(2)[:3].lower())
        day_text = m.group(1) or m.group(3)
        if month_no:
            cand = f"{int(m.group(4)):04d}-{month_no:02d}" + (f"-{int(day_text):02d}" if day_text else "")
            return repr(cand) if dates.is_valid(cand) else None
    m = re.match(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$", t)
    if m:
        cand = f"{m.group(1)}-{int(m.group(2)):02d}" + (f"-{int(m.group(3)):02d}" if m.group(3) else "")
        if cand != t and dates.is_valid(cand):
            return repr(cand)
    return None
