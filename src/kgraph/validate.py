"""The rules every dataset must follow, and the report that collects what breaks them.

The loader (:mod:`kgraph.loading`) calls these while it reads, with each
value's position at hand, so that every problem is reported once, as
``file:line:column``, with a suggestion where one exists (from
:mod:`kgraph.suggest`). Nothing stops at the first problem. A
:class:`Report` collects the problems of a whole dataset; each file read
records into its :class:`FileReport`, the report bound to that file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable

from . import dates
from .errors import Problem
from .loading.quotes import normalise_text
from .suggest import Suggester
from .yamlread import Value, YList, YMap

__all__ = [
    "ENTITY_TYPES",
    "RELATION_ID",
    "SLUG",
    "FileReport",
    "Report",
    "normalise_text",  # (its home is kgraph.loading.quotes; importable from here as before)
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


class Report:
    """Every problem found in one dataset, errors and warnings apart, and the suggestions made for them."""

    __slots__ = ("errors", "suggester", "warnings")

    def __init__(self) -> None:
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        self.suggester = Suggester()  # one budget for the whole load

    def file(self, path: str) -> FileReport:
        """This report, bound to one file: what is found in it is recorded at a line and column of ``path``."""
        return FileReport(self, path)

    def suggest(self, name: str, known: Collection[str], n: int = 3) -> list[str]:
        """The closest of ``known`` to ``name``, best first; none once the load's budget is spent."""
        return self.suggester.closest(name, known, n)

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


class FileReport:
    """The report of one file being read: problems land at ``path``:line:column, and values are checked here.

    Each check takes a value with its position (from :mod:`kgraph.yamlread`), records what is wrong with it,
    and returns the value in the type the field needs, or None.
    """

    __slots__ = ("path", "report")

    def __init__(self, report: Report, path: str) -> None:
        self.report = report
        self.path = path

    def error(self, at: tuple[int, int] | None, message: str, suggestion: str | None = None) -> None:
        """An error at ``at`` (line, column; None for the whole file)."""
        self.report.error(self.path, at, message, suggestion)

    def warn(self, at: tuple[int, int] | None, message: str, suggestion: str | None = None) -> None:
        """A warning at ``at`` (line, column; None for the whole file)."""
        self.report.warn(self.path, at, message, suggestion)

    # -- shape checks ---------------------------------------------------------

    def mapping(self, value: Value, at: tuple[int, int] | None, what: str) -> YMap | None:
        if isinstance(value, YMap):
            return value
        self.error(at, f"{what} must be a mapping of fields, not {describe(value)}")
        return None

    def sequence(self, value: Value, at: tuple[int, int] | None, what: str) -> YList | None:
        if isinstance(value, YList):
            return value
        self.error(at, f"{what} must be a list, not {describe(value)}")
        return None

    def fields(self, m: YMap, what: str, required: Collection[str], optional: Collection[str]) -> bool:
        """Unknown keys are errors (with the closest allowed key); missing required keys too."""
        ok = True
        allowed = [*required, *optional]
        for key in m:
            if key not in allowed:
                near = self.report.suggest(key, allowed, n=1)
                self.error(
                    m.key_at(key),
                    f"unknown field {key!r} in {what}; allowed: {', '.join(allowed)}",
                    repr(near[0]) if near else None,
                )
                ok = False
        for key in required:
            if m.get(key) is None:
                where = m.value_at(key) if key in m else (m.line, m.column)
                self.error(where, f"{what} has no {key!r}" if key not in m else f"{key!r} is empty in {what}")
                ok = False
        return ok

    def text(self, m: YMap, key: str, what: str) -> str | None:
        """A string field (absent → None)."""
        value = m.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            self.error(m.value_at(key), f"{key!r} of {what} must be text, not {describe(value)}")
            return None
        if not value.strip():
            self.error(m.value_at(key), f"{key!r} of {what} is blank")
            return None
        return value

    def flag(self, m: YMap, key: str, what: str) -> bool:
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
        self.error(m.value_at(key), f"{key!r} of {what} must be true or false, not {show(value)}", hint)
        return False

    def date(self, m: YMap, key: str, what: str) -> str | None:
        """A partial ISO 8601 date field (absent → None)."""
        value = m.get(key)
        if value is None:
            return None
        if isinstance(value, str) and dates.is_valid(value):
            return value
        hint = _date_hint(value) if isinstance(value, str) else None
        self.error(
            m.value_at(key),
            f"{key!r} of {what} is not an ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD): {show(value)}",
            hint,
        )
        return None

    def string_list(self, m: YMap, key: str, what: str) -> tuple[str, ...]:
        """A list of non-blank texts (absent → empty)."""
        value = m.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            self.error(m.value_at(key), f"{key!r} of {what} must be a list, e.g. [{value}]")
            return ()
        if not isinstance(value, YList):
            self.error(m.value_at(key), f"{key!r} of {what} must be a list of names, not {describe(value)}")
            return ()
        out = []
        for item, at in zip(value, value.pos, strict=True):
            if not isinstance(item, str) or not item.strip():
                self.error(at, f"each of {key!r} in {what} must be non-empty text, not {describe(item)}")
            else:
                out.append(item)
        return tuple(out)

    def reference(
        self,
        value: str | None,
        known: Collection[str],
        at: tuple[int, int],
        kind: str,
        note: Callable[[str], str] | None = None,
    ) -> bool:
        """``value`` must be one of ``known``; otherwise an error with the closest ids (each with its ``note``)."""
        if value is None or value in known:
            return True
        near = self.report.suggest(value, known, n=3)
        shown = [f"{n!r} ({note(n)})" if note else repr(n) for n in near]
        self.error(at, f"unknown {kind} {value!r}", " or ".join(shown) if near else None)
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
