"""Partial ISO 8601 dates (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``) and how they compare.

A partial date stands for the whole period it names: ``2021`` is every day of
2021, ``2021-12`` every day of December 2021. Comparisons use those periods:

- a fact dated ``2021`` is *within* ``--since 2021-06`` if any of its days are
  (the periods overlap), so imprecise facts are never silently dropped;
- sorting uses the first day, and among equal first days the more precise
  date comes last (``2021`` < ``2021-01`` < ``2021-01-01``).

>>> period("2021-02")
(datetime.date(2021, 2, 1), datetime.date(2021, 2, 28))
>>> is_valid("2021-02-30")
False
"""

from __future__ import annotations

import calendar
import datetime as _dt
import functools
import re

__all__ = ["DATE_PATTERN", "is_valid", "period", "precision", "sort_key"]

DATE_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@functools.lru_cache(maxsize=8192)  # a dataset repeats its dates: every fact's is read, checked and compared
def _parts(text: str) -> tuple[int, int | None, int | None] | None:
    m = DATE_PATTERN.match(text)
    if not m:
        return None
    year = int(m.group(1))
    month = int(m.group(2)) if m.group(2) else None
    day = int(m.group(3)) if m.group(3) else None
    if year < 1 or (month is not None and not 1 <= month <= 12):
        return None
    if day is not None:
        assert month is not None
        if not 1 <= day <= calendar.monthrange(year, month)[1]:
            return None
    return year, month, day


def is_valid(text: str) -> bool:
    """Whether ``text`` is a valid year, year-month or full date."""
    return _parts(text) is not None


def precision(text: str) -> str:
    """``"year"``, ``"month"`` or ``"day"``."""
    return {1: "year", 2: "month", 3: "day"}[text.count("-") + 1]


@functools.lru_cache(maxsize=8192)
def period(text: str) -> tuple[_dt.date, _dt.date]:
    """The first and last day the (partial) date stands for."""
    parts = _parts(text)
    if parts is None:
        raise ValueError(f"not an ISO 8601 date: {text!r}")
    year, month, day = parts
    if month is None:
        return _dt.date(year, 1, 1), _dt.date(year, 12, 31)
    if day is None:
        return _dt.date(year, month, 1), _dt.date(year, month, calendar.monthrange(year, month)[1])
    d = _dt.date(year, month, day)
    return d, d


def sort_key(text: str | None) -> tuple[int, str, int]:
    """Sort key: undated last, then by first day, then less precise first."""
    if not text:
        return (1, "", 0)
    first, _ = period(text)
    return (0, first.isoformat(), text.count("-"))
