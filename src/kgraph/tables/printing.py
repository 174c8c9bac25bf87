"""Printing a :class:`~.table.Table` on a terminal with Rich, sharing the width between its columns.

How a table shares the terminal's width:

- long text (quotes, descriptions, statements) wraps between words and takes
  the room that is left, in the proportions of ``_FOLD``;
- short values (numbers, dates, ids, relation names) never wrap, so a date or
  an id is never cut in two;
- anything else (names) wraps between words and is at most ``_NAME_WIDTH`` wide.

When the long text cannot get ``_FOLD_MIN`` columns next to the rest (e.g. the
relation vocabulary at 80 columns), it goes on an indented line under its row.
Rich is imported only here, and only when a table is printed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

from .table import Table, cell

if TYPE_CHECKING:
    import rich.table
    from rich.console import Console

__all__ = ["print_table"]

_FOLD = {
    "quote": 4,
    "quoted": 4,
    "description": 3,
    "text": 3,
    "statement": 2,
}  # quoted: a quote with its "(according to …)"
_NO_WRAP = frozenset(
    {
        "rank",
        "score",
        "date",
        "when",
        "start",
        "end",
        "path",
        "step",
        "depth",
        "arrow",
        "direction",
        "sign",
        "polarity",
        "count",
        "total",
        "degree",
        "fact_id",
        "id",
        "relation",
        "reads",
        "inverse",
        "tree",
        "flags",
        "severity",
        "side",
        "what",
        "source",
        "type",
        "neighbour_type",
    }
)
_NAME_WIDTH = 26
_FOLD_MIN = 20
_INDENT = 6


def print_table(t: Table, out: IO[str]) -> None:
    """Print ``t`` to ``out``: its title, the table (or ``(nothing found)``), its caption."""
    from rich.console import Console
    from rich.text import Text

    # width: the terminal's, else $COLUMNS, else 80 (Rich's rule)
    console = Console(file=out, highlight=False, soft_wrap=False, emoji=False, markup=False)
    if not t.rows:
        console.print(Text(t.title))
        console.print(Text("  (nothing found)"))
        return
    rows, starts = _text_rows(t)
    layout = _layout(t.table_columns, rows, console.width)
    console.print(Text(t.title))
    console.print()
    if not layout.below:
        _print_inline(console, layout, rows, starts)
    else:
        _print_folded(console, layout, rows, starts)
    if t.caption:
        console.print(Text(t.caption, style="dim"))


def _text_rows(t: Table) -> tuple[list[dict[str, str]], list[bool]]:
    """The cells as text, and whether each row starts a new group; a group's cells show on its first row only."""
    keys = [key for key, _ in t.table_columns]
    rows: list[dict[str, str]] = []
    starts: list[bool] = []
    previous: object = None
    for n, row in enumerate(t.rows):
        group = row.get(t.group_key) if t.group_key else None
        same = n > 0 and t.group_key is not None and group == previous
        blank = row.get("_group_cells", ()) if same else ()
        rows.append({k: "" if k in blank else cell(row.get(k)) for k in keys})
        starts.append(n > 0 and t.group_key is not None and not same)
        previous = group
    return rows, starts


@dataclass
class _Layout:
    """Which columns are printed in the table (``inline``) or under each row (``below``), and how wide."""

    header: dict[str, str]
    inline: list[str]
    below: list[str]
    widths: dict[str, int]
    squeezed: bool  # a very narrow terminal: every column folds


@dataclass
class _Measures:
    """What the columns need: ``natural`` width (unwrapped), their width in the full and narrowed forms."""

    natural: dict[str, int]
    full: dict[str, int]
    narrow: dict[str, int]
    fold_min: dict[str, int]
    width: int  # the terminal's

    def room(self, inline: list[str], widths: dict[str, int]) -> int:
        """Columns left for the inline long-text columns (3 per column gap: a separator and padding)."""
        return self.width - 3 * (len(inline) - 1) - sum(widths[k] for k in inline if k not in _FOLD)

    def fits(self, inline: list[str], widths: dict[str, int]) -> bool:
        return self.room(inline, widths) >= sum(self.fold_min[k] for k in inline if k in _FOLD)


def _measure(keys: list[str], header: dict[str, str], rows: list[dict[str, str]], width: int) -> _Measures:
    from rich.cells import cell_len

    natural = {k: max([cell_len(header[k])] + [cell_len(r[k]) for r in rows]) for k in keys}
    word = {k: max([cell_len(header[k])] + [cell_len(w) for r in rows for w in r[k].split()]) for k in keys}
    full = {k: natural[k] if k in _NO_WRAP else min(natural[k], _NAME_WIDTH) for k in keys if k not in _FOLD}
    narrow = {k: w if k in _NO_WRAP else min(w, max(word[k], 8)) for k, w in full.items()}
    fold_min = {k: min(natural[k], _FOLD_MIN) for k in keys if k in _FOLD}
    return _Measures(natural, full, narrow, fold_min, width)


def _layout(columns: list[tuple[str, str]], rows: list[dict[str, str]], width: int) -> _Layout:
    """Keep long text inline if it fits (names narrowed if need be); else move it under the rows, widest first."""
    keys = [key for key, _ in columns]
    header = dict(columns)
    m = _measure(keys, header, rows, width)
    inline = list(keys)
    while True:
        chosen = m.full if m.fits(inline, m.full) else m.narrow
        if m.fits(inline, chosen) or not any(k in _FOLD for k in inline):
            break
        inline.remove(max((k for k in inline if k in _FOLD), key=lambda k: _FOLD[k]))
    widths = dict(chosen)
    squeezed = not m.fits(inline, widths)
    if squeezed:  # a very narrow terminal: the widest columns give way, and even short values fold
        avail = width - 3 * (len(inline) - 1)
        while sum(widths[k] for k in inline) > avail and max(widths[k] for k in inline) > 1:
            widths[max(inline, key=lambda k: widths[k])] -= 1
    _share(m, inline, widths)
    return _Layout(header, inline, [k for k in keys if k not in inline], widths, squeezed)


def _share(m: _Measures, inline: list[str], widths: dict[str, int]) -> None:
    """The inline long text shares what is left, in proportion, never wider than it needs."""
    folds = [k for k in inline if k in _FOLD]
    left = m.room(inline, widths)
    for k in folds:
        widths[k] = m.fold_min[k]
        left -= m.fold_min[k]
    while left > 0 and folds:
        growing = [k for k in folds if widths[k] < m.natural[k]]
        if not growing:
            break
        total = sum(_FOLD[k] for k in growing)
        given = 0
        for k in growing:
            extra = min(m.natural[k] - widths[k], max(1, left * _FOLD[k] // total))
            widths[k] += extra
            given += extra
            if given >= left:
                break
        left -= given


def _new_table(layout: _Layout, show_header: bool) -> rich.table.Table:
    from rich import box
    from rich.table import Table as RichTable

    t = RichTable(
        box=box.SIMPLE_HEAD, show_header=show_header, show_edge=False, pad_edge=False, padding=(0, 1), show_lines=False
    )
    for k in layout.inline:
        if layout.squeezed:
            t.add_column(layout.header[k], width=layout.widths[k], overflow="fold")
        elif k in _NO_WRAP:
            t.add_column(layout.header[k], width=layout.widths[k], no_wrap=True, overflow="ellipsis")
        else:
            t.add_column(layout.header[k], width=layout.widths[k], overflow="fold")
    return t


def _print_inline(console: Console, layout: _Layout, rows: list[dict[str, str]], starts: list[bool]) -> None:
    """Every column in one table, a blank section between groups."""
    from rich.text import Text

    table = _new_table(layout, True)
    for r, start in zip(rows, starts, strict=True):
        if start:
            table.add_section()
        table.add_row(*(Text(r[k]) for k in layout.inline))
    console.print(table)


def _print_folded(console: Console, layout: _Layout, rows: list[dict[str, str]], starts: list[bool]) -> None:
    """The head, then each row as its own one-row table (same widths) with its long text under it."""
    from rich.padding import Padding
    from rich.text import Text

    console.print(_new_table(layout, True))
    for r, start in zip(rows, starts, strict=True):
        if start:
            console.print()
        one = _new_table(layout, False)
        one.add_row(*(Text(r[k]) for k in layout.inline))
        console.print(one)
        for k in layout.below:
            if r[k]:
                console.print(Padding(Text(r[k], overflow="fold"), (0, 0, 0, _INDENT)))
