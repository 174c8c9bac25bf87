"""Answers as text: a Rich table for people, JSON and CSV for programs. CLI only.

Every query returns one plain ``dict`` (typed in :mod:`kgraph.answers`); the
JSON output is that dict as it is. CSV and the terminal table come from the
same dict through its *table*: one function per answer kind that flattens it
into rows (one row per fact of evidence, step, neighbour, …), listed by name
in :data:`kgraph.tables.registry.TABLES`. CSV rows carry ids; the terminal
table shows names.

- :mod:`.table`: :class:`Table` (rows and columns) and the text of a cell;
- :mod:`.cells`: the one way a fact becomes row cells, and caption parts;
- :mod:`.queries`, :mod:`.analysis`, :mod:`.cache`: the tables of each answer;
- :mod:`.registry`: the name → table list;
- :mod:`.printing`: printing a table on a terminal (Rich).

JSON and CSV are written with :mod:`json` and :mod:`csv`, never through Rich,
and Rich is only imported when a table is printed; the tables themselves are
imported only when an answer is written as CSV or a table.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import IO, Protocol

from .table import Table, cell

__all__ = ["Deferred", "Format", "Table", "choose_format", "emit", "table_for"]


class Format(StrEnum):
    """Output formats of every query command."""

    table = "table"
    json = "json"
    csv = "csv"


def choose_format(fmt: Format | None, stream: IO[str] | None = None) -> Format:
    """The format asked for, else table on a terminal and JSON in a pipe."""
    if fmt is not None:
        return fmt
    stream = stream or sys.stdout
    isatty = getattr(stream, "isatty", None)
    return Format.table if isatty is not None and isatty() else Format.json


def table_for(answer: Mapping[str, object], name: str) -> Table:
    """The table named ``name`` (see :mod:`.registry`) of ``answer``."""
    from .registry import TABLES

    return TABLES[name](answer)


class Deferred(Protocol):
    """An answer not built yet (:class:`kgraph.query.StanceRanking`): built for a table, CSV or indented JSON,
    or written as one line of JSON in pieces without building it, byte for byte ``json.dumps`` of what it
    would build."""

    def answer(self) -> Mapping[str, object]: ...

    def json_pieces(self) -> Iterable[str]: ...


def emit(answer: Mapping[str, object] | Deferred, fmt: Format, table: str, out: IO[str] | None = None) -> None:
    """Write one answer to ``out`` (stdout) in ``fmt``; ``table`` names its table, for CSV and the terminal."""
    out = out or sys.stdout
    if fmt is Format.json:
        # indented for a person at a terminal; one line in a pipe or file, which lets
        # json use its C encoder (a third of the time of a large answer) — jq re-indents
        isatty = getattr(out, "isatty", None)
        pretty = isatty is not None and isatty()
        if pretty:
            out.write(json.dumps(_built(answer), ensure_ascii=False, indent=2))
        elif not isinstance(answer, Mapping):
            out.writelines(answer.json_pieces())  # (a stance answer, written from its facts: kgraph.recordtext)
        else:
            out.write(json.dumps(answer, ensure_ascii=False))
        out.write("\n")
        return
    answer = _built(answer)
    t = table_for(answer, table)
    if fmt is Format.csv:
        writer = csv.DictWriter(out, fieldnames=t.csv_columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for row in t.rows:
            writer.writerow({k: cell(row.get(k)) for k in t.csv_columns})
        return
    from .printing import print_table

    print_table(t, out)


def _built(answer: Mapping[str, object] | Deferred) -> Mapping[str, object]:
    return answer if isinstance(answer, Mapping) else answer.answer()
