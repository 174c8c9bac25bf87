"""Gephi's spreadsheet import: ``nodes.csv`` and ``edges.csv``, in a folder or a ``.zip``.

In Gephi: File → Import spreadsheet, pick ``nodes.csv`` (as a nodes table), then
``edges.csv`` (as an edges table) and append it to the same workspace.

- ``nodes.csv``: ``Id`` (the entity id), ``Label`` (its name), ``kgid``, ``entity_type``,
  ``aliases`` (``; ``-delimited, ``\\`` and ``;`` inside an alias escaped with ``\\``),
  ``description``, ``color`` (``#rrggbb`` by entity type), ``size``;
- ``edges.csv``: ``Source``, ``Target`` (entity ids), ``Type`` (``Directed``), ``Id`` (the
  fact id), ``Label`` (relation label), ``Weight``, ``kgid``, ``relation``, ``polarity``,
  ``date``, ``start_date``, ``end_date``, ``quote``, ``article`` (the source article's id),
  ``according_to``, ``qualifiers`` (a JSON object), ``symmetric``, ``color`` (by polarity).

UTF-8 without a byte-order mark, RFC 4180 quoting (fields with commas, quotes or line
breaks are double-quoted; CRLF between records). Absent values are empty cells. Any text
survives; rows are sorted, so the same data gives the same bytes (zip entries carry a
fixed timestamp).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from ..palette import entity_colour, hex_colour, polarity_colour
from ..selection import degree
from .graphml import join_list
from .shared import Target, node_size, qualifiers_text, sorted_entities, sorted_facts, write_file_pieces

if TYPE_CHECKING:
    from ..knowledge import KnowledgeGraph
    from ..model import Fact

__all__ = ["EDGE_COLUMNS", "NODE_COLUMNS", "export", "files", "render"]

NODE_COLUMNS = ("Id", "Label", "kgid", "entity_type", "aliases", "description", "color", "size")
EDGE_COLUMNS = (
    "Source",
    "Target",
    "Type",
    "Id",
    "Label",
    "Weight",
    "kgid",
    "relation",
    "polarity",
    "date",
    "start_date",
    "end_date",
    "quote",
    "article",
    "according_to",
    "qualifiers",
    "symmetric",
    "color",
)


def _table(header: tuple[str, ...], rows: Iterable[list[object]]) -> Iterator[str]:
    """The CSV text of a table in pieces of a thousand rows (None written as an empty cell)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for n, row in enumerate(rows, 1):
        writer.writerow(["" if v is None else v for v in row])
        if n % 1000 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _nodes(kg: KnowledgeGraph) -> Iterator[list[object]]:
    deg = degree(kg)
    for e in sorted_entities(kg):
        yield [
            e.id,
            e.name,
            e.id,
            e.type,
            join_list(e.aliases),
            e.description,
            hex_colour(entity_colour(e.type)),
            node_size(deg.get(e.id, 0)),
        ]


def _edges(kg: KnowledgeGraph, facts: list[Fact]) -> Iterator[list[object]]:
    for f in facts:
        rel = kg.relations[f.relation]
        yield [
            f.subject,
            f.object,
            "Directed",
            f.id,
            rel.label,
            1.0,
            f.id,
            f.relation,
            f.polarity,
            f.date,
            f.start,
            f.end,
            f.quote,
            f.source,
            f.according_to,
            qualifiers_text(f),
            "true" if rel.symmetric else "false",
            hex_colour(polarity_colour(f.polarity)),
        ]


def render(kg: KnowledgeGraph) -> dict[str, str]:
    """``{"nodes.csv": text, "edges.csv": text}``."""
    return {name: "".join(make()) for name, make in files(kg).items()}


def files(kg: KnowledgeGraph) -> dict[str, Callable[[], Iterator[str]]]:
    """Each file's name and the function that gives its text in pieces (checked first: no fact dangles)."""
    facts = sorted_facts(kg)
    return {
        "nodes.csv": lambda: _table(NODE_COLUMNS, _nodes(kg)),
        "edges.csv": lambda: _table(EDGE_COLUMNS, _edges(kg, facts)),
    }


def export(kg: KnowledgeGraph, stream_or_path: Target) -> None:
    """Write ``nodes.csv`` and ``edges.csv`` into a folder or a ``.zip`` (path or binary stream), as they are made."""
    write_file_pieces(files(kg), stream_or_path, "csv")
