"""What a table is: rows of named cells, and which columns CSV and the terminal show."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Row", "Table", "TableFn", "cell"]

Row = dict[str, Any]


@dataclass
class Table:
    """The flat form of one answer: rows of named cells, and which columns to show where.

    CSV writes ``csv_columns`` of every row (ids); the terminal shows
    ``table_columns`` (names), under ``title`` and over ``caption``. Rows that
    share the value of ``group_key`` are printed as one block, and a row's
    ``_group_cells`` are left blank after the block's first row.
    """

    title: str
    csv_columns: list[str]
    table_columns: list[tuple[str, str]]  # (key, header)
    rows: list[Row] = field(default_factory=list)
    caption: str | None = None
    group_key: str | None = None


TableFn = Callable[[Any], Table]  # answer -> its table; each is typed on its answer in its own module


def cell(value: Any) -> str:
    """A cell's text, the same for CSV and the terminal: lists joined by ``; ``, booleans lower case."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "; ".join(cell(x) for x in value)
    return str(value)
