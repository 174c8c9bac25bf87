"""Answers as text: a Rich table for people, JSON and CSV for programs. CLI only.

Every query returns one plain ``dict``; the JSON output is that dict as it
is. CSV and the table come from the same dict through a *view*: one function
per answer kind that flattens it into rows (one row per fact of evidence,
step, neighbour, …). CSV rows carry ids; the table shows names.

JSON and CSV are written with :mod:`json` and :mod:`csv`, never through Rich,
and Rich is only imported when a table is drawn.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import IO, Any

__all__ = ["VIEWS", "Format", "View", "choose_format", "emit", "register_view"]


class Format(str, Enum):
    """Output formats of every query command."""

    table = "table"
    json = "json"
    csv = "csv"


@dataclass
class View:
    """A flat form of one answer: rows of named cells, and which columns to show where."""

    title: str
    csv_columns: list[str]
    table_columns: list[tuple[str, str]]  # (key, header)
    rows: list[dict[str, Any]] = field(default_factory=list)
    caption: str | None = None
    group_key: str | None = None  # rows sharing this key's value are drawn as one block


ViewFn = Callable[[dict[str, Any]], View]
VIEWS: dict[str, ViewFn] = {}


def register_view(name: str) -> Callable[[ViewFn], ViewFn]:
    """Decorator: the flat form of the answer kind ``name``."""

    def wrap(fn: ViewFn) -> ViewFn:
        VIEWS[name] = fn
        return fn

    return wrap


def choose_format(fmt: Format | None, stream: IO[str] | None = None) -> Format:
    """The format asked for, else table on a terminal and JSON in a pipe."""
    if fmt is not None:
        return fmt
    stream = stream or sys.stdout
    isatty = getattr(stream, "isatty", None)
    return Format.table if isatty is not None and isatty() else Format.json


def emit(result: dict[str, Any], fmt: Format, view: str, out: IO[str] | None = None) -> None:
    """Write one answer to ``out`` (stdout) in ``fmt``."""
    out = out or sys.stdout
    if fmt is Format.json:
        # indented for a person at a terminal; one line in a pipe or file, which lets
        # json use its C encoder (a third of the time of a large answer) — jq re-indents
        isatty = getattr(out, "isatty", None)
        pretty = isatty is not None and isatty()
        out.write(json.dumps(result, ensure_ascii=False, indent=2 if pretty else None))
        out.write("\n")
        return
    v = VIEWS[view](result)
    if fmt is Format.csv:
        writer = csv.DictWriter(out, fieldnames=v.csv_columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for row in v.rows:
            writer.writerow({k: _cell(row.get(k)) for k in v.csv_columns})
        return
    _draw(v, out)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "; ".join(_cell(x) for x in value)
    return str(value)


# How a table shares the terminal's width:
# - long text (quotes, descriptions, statements) wraps between words and takes
#   the room that is left, in these proportions;
# - short values (numbers, dates, ids, relation names) never wrap, so a date or
#   an id is never cut in two;
# - anything else (names) wraps between words and is at most _NAME_WIDTH wide.
# When the long text cannot get _FOLD_MIN columns next to the rest (e.g. the
# relation vocabulary at 80 columns), it goes on an indented line under its row.
_FOLD = {"quote": 4, "description": 3, "text": 3, "statement": 2}
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


def _draw(v: View, out: IO[str]) -> None:
    from rich import box
    from rich.cells import cell_len
    from rich.console import Console
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    # width: the terminal's, else $COLUMNS, else 80 (Rich's rule)
    console = Console(file=out, highlight=False, soft_wrap=False, emoji=False, markup=False)
    if not v.rows:
        console.print(Text(v.title))
        console.print(Text("  (nothing found)"))
        return
    keys = [key for key, _ in v.table_columns]
    header = dict(v.table_columns)

    # the cells as text; within a group, the group's cells are shown on its first row only
    rows: list[dict[str, str]] = []
    starts: list[bool] = []  # whether a row starts a new group
    previous: object = None
    for n, row in enumerate(v.rows):
        group = row.get(v.group_key) if v.group_key else None
        same = n > 0 and v.group_key is not None and group == previous
        blank = row.get("_group_cells", ()) if same else ()
        rows.append({k: "" if k in blank else _cell(row.get(k)) for k in keys})
        starts.append(n > 0 and v.group_key is not None and not same)
        previous = group

    natural = {k: max([cell_len(header[k])] + [cell_len(r[k]) for r in rows]) for k in keys}
    word = {k: max([cell_len(header[k])] + [cell_len(w) for r in rows for w in r[k].split()]) for k in keys}
    full = {k: natural[k] if k in _NO_WRAP else min(natural[k], _NAME_WIDTH) for k in keys if k not in _FOLD}
    narrow = {k: w if k in _NO_WRAP else min(w, max(word[k], 8)) for k, w in full.items()}
    fold_min = {k: min(natural[k], _FOLD_MIN) for k in keys if k in _FOLD}

    def room(inline: list[str], widths: dict[str, int]) -> int:
        """Columns left for the inline long-text columns (3 per column gap: a separator and padding)."""
        return console.width - 3 * (len(inline) - 1) - sum(widths[k] for k in inline if k not in _FOLD)

    def fits(inline: list[str], widths: dict[str, int]) -> bool:
        return room(inline, widths) >= sum(fold_min[k] for k in inline if k in _FOLD)

    # keep long text inline if it fits (names narrowed if need be); else move it under the rows, widest first
    inline = list(keys)
    while True:
        widths = full if fits(inline, full) else narrow
        if fits(inline, widths) or not any(k in _FOLD for k in inline):
            break
        inline.remove(max((k for k in inline if k in _FOLD), key=lambda k: _FOLD[k]))
    widths = dict(widths)
    below = [k for k in keys if k not in inline]
    squeezed = not fits(inline, widths)
    if squeezed:  # a very narrow terminal: the widest columns give way, and even short values fold
        avail = console.width - 3 * (len(inline) - 1)
        while sum(widths[k] for k in inline) > avail and max(widths[k] for k in inline) > 1:
            widths[max(inline, key=lambda k: widths[k])] -= 1

    # the inline long text shares what is left, in proportion, never wider than it needs
    folds = [k for k in inline if k in _FOLD]
    left = room(inline, widths)
    for k in folds:
        widths[k] = fold_min[k]
        left -= fold_min[k]
    while left > 0 and folds:
        growing = [k for k in folds if widths[k] < natural[k]]
        if not growing:
            break
        total = sum(_FOLD[k] for k in growing)
        given = 0
        for k in growing:
            extra = min(natural[k] - widths[k], max(1, left * _FOLD[k] // total))
            widths[k] += extra
            given += extra
            if given >= left:
                break
        left -= given

    def new_table(show_header: bool) -> Table:
        t = Table(
            box=box.SIMPLE_HEAD,
            show_header=show_header,
            show_edge=False,
            pad_edge=False,
            padding=(0, 1),
            show_lines=False,
        )
        for k in inline:
            if squeezed:
                t.add_column(header[k], width=widths[k], overflow="fold")
            elif k in _NO_WRAP:
                t.add_column(header[k], width=widths[k], no_wrap=True, overflow="ellipsis")
            else:
                t.add_column(header[k], width=widths[k], overflow="fold")
        return t

    console.print(Text(v.title))
    console.print()
    if not below:
        table = new_table(True)
        for r, start in zip(rows, starts):
            if start:
                table.add_section()
            table.add_row(*(Text(r[k]) for k in inline))
        console.print(table)
    else:
        # the head, then each row as its own one-row table (same widths) with its long text under it
        console.print(new_table(True))
        for r, start in zip(rows, starts):
            if start:
                console.print()
            one = new_table(False)
            one.add_row(*(Text(r[k]) for k in inline))
            console.print(one)
            for k in below:
                if r[k]:
                    console.print(Padding(Text(r[k], overflow="fold"), (0, 0, 0, _INDENT)))
    if v.caption:
        console.print(Text(v.caption, style="dim"))


# -- views -------------------------------------------------------------------


def _name(e: dict[str, Any] | None) -> str:
    return "" if e is None else str(e["name"])


def _fact_cells(f: dict[str, Any]) -> dict[str, Any]:
    when = f["date"] or (f"{f['start'] or '..'}/{f['end'] or '..'}" if (f.get("start") or f.get("end")) else None)
    return {
        "fact_id": f["id"],
        "subject": f["subject"]["id"],
        "subject_name": _name(f["subject"]),
        "relation": f["relation"],
        "object": f["object"]["id"],
        "object_name": _name(f["object"]),
        "polarity": f["polarity"],
        "date": when,
        "source": f["source"],
        "quote": f["quote"],
        "according_to": f["according_to"]["id"] if f.get("according_to") else None,
        "statement": f"{_name(f['subject'])} {f['relation']} {_name(f['object'])}",
    }


def _stance_view(title: str) -> ViewFn:
    def view(result: dict[str, Any]) -> View:
        rows = []
        for rank, r in enumerate(result["results"], start=1):
            links = {f["id"]: f"{_name(f['subject'])} {f['relation']} {_name(f['object'])}" for f in r["via"]}
            for f in r["evidence"]:
                via = [links[i] for i in f.get("via", []) if i in links]
                cells = _fact_cells(f)
                if via:
                    cells["statement"] += f" (via {'; '.join(via)})"
                rows.append(
                    {
                        "rank": rank,
                        "entity": r["entity"]["id"],
                        "entity_name": r["entity"]["name"],
                        "score": r["score"],
                        "via": via,
                        "_group_cells": ("rank", "entity_name", "score"),
                        **cells,
                    }
                )
        return View(
            title=f"{title} {result['target']['name']}",
            csv_columns=[
                "rank",
                "entity",
                "entity_name",
                "score",
                "fact_id",
                "subject",
                "relation",
                "object",
                "date",
                "source",
                "quote",
                "according_to",
                "via",
            ],
            table_columns=[
                ("rank", "#"),
                ("entity_name", "entity"),
                ("score", "score"),
                ("statement", "evidence"),
                ("date", "date"),
                ("quote", "quote"),
            ],
            rows=rows,
            group_key="entity",
            caption="score: facts of evidence; (via A leads B): the acts-for link that makes the fact count",
        )

    return view


register_view("who-supports")(_stance_view("Who supports"))
register_view("who-opposes")(_stance_view("Who opposes"))


@register_view("path")
def _path_view(result: dict[str, Any]) -> View:
    rows = []
    for n, p in enumerate(result["paths"], start=1):
        for i, s in enumerate(p["steps"], start=1):
            arrow = "→" if s["direction"] == "forward" else "←"
            rows.append(
                {
                    "path": n,
                    "step": i,
                    "direction": s["direction"],
                    "arrow": arrow,
                    "alternatives": s.get("alternatives", []),
                    "_group_cells": ("path",),
                    **_fact_cells(s["fact"]),
                }
            )
    more = " (more paths exist; raise --limit)" if result.get("truncated") else ""
    return View(
        title=f"Paths from {result['from']['name']} to {result['to']['name']}{more}",
        csv_columns=[
            "path",
            "step",
            "direction",
            "fact_id",
            "subject",
            "relation",
            "object",
            "date",
            "source",
            "quote",
            "alternatives",
        ],
        table_columns=[
            ("path", "path"),
            ("step", "step"),
            ("statement", "fact"),
            ("arrow", "dir"),
            ("date", "date"),
            ("quote", "quote"),
        ],
        rows=rows,
        group_key="path",
    )


@register_view("neighbours")
def _neighbours_view(result: dict[str, Any]) -> View:
    rows = [
        {
            "depth": r["depth"],
            "from": r["from"]["id"],
            "from_name": r["from"]["name"],
            "neighbour": r["entity"]["id"],
            "neighbour_name": r["entity"]["name"],
            "neighbour_type": r["entity"]["type"],
            "direction": r["direction"],
            "reads": r["relation"],
            **_fact_cells(r["fact"]),
        }
        for r in result["neighbours"]
    ]
    return View(
        title=f"Neighbours of {result['entity']['name']}",
        csv_columns=[
            "depth",
            "from",
            "neighbour",
            "neighbour_type",
            "direction",
            "reads",
            "fact_id",
            "subject",
            "relation",
            "object",
            "date",
            "source",
            "quote",
        ],
        table_columns=[
            ("depth", "depth"),
            ("neighbour_name", "neighbour"),
            ("reads", "relation"),
            ("direction", "dir"),
            ("from_name", "from"),
            ("date", "date"),
            ("quote", "quote"),
        ],
        rows=rows,
    )


@register_view("relations")
def _relations_view(result: dict[str, Any]) -> View:
    rows = []
    for r in result["relations"]:
        flags = [name for name in ("symmetric", "acts_for") if r[name]]
        rows.append(
            {**r, "tree": "  " * r["depth"] + r["id"], "flags": flags, "sign": {1: "+", -1: "-", 0: "0"}[r["polarity"]]}
        )
    return View(
        title="Relations",
        csv_columns=[
            "id",
            "label",
            "polarity",
            "parent",
            "inverse",
            "symmetric",
            "acts_for",
            "count",
            "total",
            "description",
        ],
        table_columns=[
            ("tree", "relation"),
            ("sign", "pol"),
            ("inverse", "inverse"),
            ("flags", "flags"),
            ("count", "facts"),
            ("total", "with subs"),
            ("description", "description"),
        ],
        rows=rows,
    )


def _facts_rows(facts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [_fact_cells(f) for f in facts]


_FACT_CSV = ["fact_id", "subject", "relation", "object", "polarity", "date", "source", "according_to", "quote"]
_FACT_TABLE = [("statement", "fact"), ("date", "date"), ("quote", "quote"), ("fact_id", "id")]


@register_view("facts")
def _facts_view(result: dict[str, Any]) -> View:
    return View(
        title=f"{len(result['facts'])} facts",
        csv_columns=_FACT_CSV,
        table_columns=_FACT_TABLE,
        rows=_facts_rows(result["facts"]),
    )


@register_view("entity")
def _entity_view(result: dict[str, Any]) -> View:
    e = result["entity"]
    aka = f" — also {', '.join(e['aliases'])}" if e["aliases"] else ""
    return View(
        title=f"{e['name']} ({e['type']}, id {e['id']}){aka}",
        caption=e["description"] or None,
        csv_columns=_FACT_CSV,
        table_columns=_FACT_TABLE,
        rows=_facts_rows(result["facts"]),
    )


@register_view("stats")
def _stats_view(result: dict[str, Any]) -> View:
    rows = [{"what": k, "count": v} for k, v in result.items()]
    return View(
        title="Dataset", csv_columns=["what", "count"], table_columns=[("what", "what"), ("count", "count")], rows=rows
    )


@register_view("validate")
def _validate_view(result: dict[str, Any]) -> View:
    rows = []
    for p in result["errors"] + result["warnings"]:
        where = p["path"] + (f":{p['line']}:{p['column']}" if p["line"] else "")
        hint = f" (did you mean {p['suggestion']}?)" if p.get("suggestion") else ""
        rows.append({**p, "where": where, "text": p["message"] + hint})
    n_e, n_w = len(result["errors"]), len(result["warnings"])
    return View(
        title=f"{n_e} error{'s' * (n_e != 1)}, {n_w} warning{'s' * (n_w != 1)}",
        csv_columns=["severity", "path", "line", "column", "message", "suggestion"],
        table_columns=[("severity", "severity"), ("where", "where"), ("text", "problem")],
        rows=rows,
    )
