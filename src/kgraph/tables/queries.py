"""Tables of the core query answers: who-supports, who-opposes, path, neighbours, relations, facts, entity,
disputes, stats, validate.

Each function flattens one answer of :mod:`kgraph.query` into rows, one per
fact of evidence, step or neighbour, so the table can be read against the
article and the CSV loaded into a spreadsheet.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from .cells import FACT_CSV, caption, fact_cells, modality_mark, source_column, sources_note, statement
from .table import Row, Table

if TYPE_CHECKING:
    from ..answers import (
        DisputesAnswer,
        EntityAnswer,
        FactRecord,
        FactsAnswer,
        NeighboursAnswer,
        PathsAnswer,
        RelationsAnswer,
        StanceAnswer,
        StatsAnswer,
        ValidateAnswer,
    )

__all__ = [
    "disputes_table",
    "entity_table",
    "facts_table",
    "neighbours_table",
    "path_table",
    "relations_table",
    "stance_table",
    "stats_table",
    "validate_table",
]

_STANCE_CSV = [
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
    "modality",
    "sources",
    "disputed_by",
    "facts",
]


def stance_table(title: str) -> Callable[[StanceAnswer], Table]:
    """The table of who-supports (``title`` "Who supports") or who-opposes: one row per claim of evidence.

    A claim shows its first fact, and the sources reporting it (``2 sources: a, b``).
    """

    def table(answer: StanceAnswer) -> Table:
        rows: list[Row] = []
        for rank, r in enumerate(answer["results"], start=1):
            links = {f["id"]: statement(f) for f in r["via"]}
            for f in r["evidence"]:
                via = [links[i] for i in f["via"] if i in links]
                cells = fact_cells(f)
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
                        "sources": f["sources"],
                        "sources_note": sources_note(f["sources"]),
                        "facts": [x["id"] for x in f["facts"]],
                    }
                )
        # one source for everything: named once in the caption, as explain does, instead of on every row
        sources = sorted({i for r in rows for i in r["sources"]})
        columns = [("rank", "#"), ("entity_name", "entity"), ("score", "score"), ("statement", "evidence")]
        if len(sources) > 1:
            columns.append(("sources_note", "sources"))
        return Table(
            title=f"{title} {answer['target']['name']}",
            csv_columns=_STANCE_CSV,
            table_columns=[*columns, ("date", "date"), ("quoted", "quote")],
            rows=rows,
            group_key="entity",
            caption=caption(
                "score: claims of evidence (a claim reported by several sources counts once)",
                "(via A leads B): the acts-for link that makes the fact count",
                f"source: {sources[0]}" if len(sources) == 1 else None,
            ),
        )

    return table


def path_table(answer: PathsAnswer) -> Table:
    """One row per step of each path."""
    rows: list[Row] = []
    for n, p in enumerate(answer["paths"], start=1):
        for i, s in enumerate(p["steps"], start=1):
            rows.append(
                {
                    "path": n,
                    "step": i,
                    "direction": s["direction"],
                    "arrow": "→" if s["direction"] == "forward" else "←",
                    "alternatives": s["alternatives"],
                    "_group_cells": ("path",),
                    **fact_cells(s["fact"]),
                }
            )
    more = " (more paths exist; raise --limit)" if answer["truncated"] else ""
    columns = [
        ("path", "path"),
        ("step", "step"),
        ("statement", "fact"),
        ("arrow", "dir"),
        ("date", "date"),
        ("quoted", "quote"),
    ]
    one_source = source_column(columns, rows)
    return Table(
        title=f"Paths from {answer['from']['name']} to {answer['to']['name']}{more}",
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
            "according_to",
        ],
        table_columns=columns,
        rows=rows,
        group_key="path",
        caption=one_source,
    )


def neighbours_table(answer: NeighboursAnswer) -> Table:
    """One row per neighbour and joining fact."""
    rows: list[Row] = [
        {
            "depth": r["depth"],
            "from": r["from"]["id"],
            "from_name": r["from"]["name"],
            "neighbour": r["entity"]["id"],
            "neighbour_name": r["entity"]["name"],
            "neighbour_type": r["entity"]["type"],
            "direction": r["direction"],
            "reads": r["relation"] + modality_mark(r["fact"]),
            **fact_cells(r["fact"]),
        }
        for r in answer["neighbours"]
    ]
    columns = [
        ("depth", "depth"),
        ("neighbour_name", "neighbour"),
        ("reads", "relation"),
        ("direction", "dir"),
        ("from_name", "from"),
        ("date", "date"),
        ("quoted", "quote"),
    ]
    one_source = source_column(columns, rows)
    return Table(
        title=f"Neighbours of {answer['entity']['name']}",
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
            "according_to",
        ],
        table_columns=columns,
        rows=rows,
        caption=one_source,
    )


def relations_table(answer: RelationsAnswer) -> Table:
    """The vocabulary as an indented tree."""
    rows: list[Row] = []
    for r in answer["relations"]:
        flags = [flag for flag, on in (("symmetric", r["symmetric"]), ("acts_for", r["acts_for"])) if on]
        sign = {1: "+", -1: "-", 0: "0"}[r["polarity"]]
        rows.append({**r, "tree": "  " * r["depth"] + r["id"], "flags": flags, "sign": sign})
    return Table(
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


def _fact_table(facts: list[FactRecord]) -> tuple[list[Row], list[tuple[str, str]], str | None]:
    """Rows of facts, their columns (with a source column when they come from several), the caption part."""
    rows = [fact_cells(f) for f in facts]
    columns = [("statement", "fact"), ("date", "date"), ("quoted", "quote"), ("fact_id", "id")]
    return rows, columns, source_column(columns, rows)


def facts_table(answer: FactsAnswer) -> Table:
    """One row per fact."""
    rows, columns, one_source = _fact_table(answer["facts"])
    return Table(
        title=f"{len(answer['facts'])} facts",
        csv_columns=FACT_CSV,
        table_columns=columns,
        rows=rows,
        caption=one_source,
    )


def entity_table(answer: EntityAnswer) -> Table:
    """The entity's facts, under its names; its description as the caption."""
    e = answer["entity"]
    aka = f" — also {', '.join(e['aliases'])}" if e["aliases"] else ""
    rows, columns, one_source = _fact_table(answer["facts"])
    return Table(
        title=f"{e['name']} ({e['type']}, id {e['id']}){aka}",
        caption=caption(e["description"] or None, one_source),
        csv_columns=FACT_CSV,
        table_columns=columns,
        rows=rows,
    )


def disputes_table(answer: DisputesAnswer) -> Table:
    """Two rows per dispute: the contested fact, then the fact disputing it; each with its claim's sources."""
    rows: list[Row] = []
    for n, d in enumerate(answer["disputes"], start=1):
        for side, f, ids in (
            ("contested", d["disputed"], d["disputed_sources"]),
            ("disputed by", d["disputing"], d["disputing_sources"]),
        ):
            rows.append(
                {
                    "dispute": n,
                    "side": side,
                    "_group_cells": ("dispute",),
                    **fact_cells(f, undated="undated"),
                    "statement": statement(f),
                    "sources": ids,
                    "sources_note": sources_note(ids),
                }
            )
    n = len(answer["disputes"])
    return Table(
        title=f"{n} dispute{'s' * (n != 1)}",
        csv_columns=[
            "dispute",
            "side",
            "fact_id",
            "subject",
            "relation",
            "object",
            "modality",
            "date",
            "source",
            "sources",
            "quote",
        ],
        table_columns=[
            ("dispute", "#"),
            ("side", "side"),
            ("statement", "fact"),
            ("sources_note", "sources"),
            ("date", "date"),
            ("quote", "quote"),
        ],
        rows=rows,
        group_key="dispute",
        caption="sources: every source reporting that side's claim",
    )


def stats_table(answer: StatsAnswer) -> Table:
    rows: list[Row] = [{"what": k, "count": v} for k, v in answer.items()]
    return Table(
        title="Dataset", csv_columns=["what", "count"], table_columns=[("what", "what"), ("count", "count")], rows=rows
    )


def validate_table(answer: ValidateAnswer) -> Table:
    """One row per problem, errors first (the CSV of ``kgraph validate``; its table format is compiler-style lines)."""
    rows: list[Row] = []
    for p in answer["errors"] + answer["warnings"]:
        where = p["path"] + (f":{p['line']}:{p['column']}" if p["line"] else "")
        hint = f" (did you mean {p['suggestion']}?)" if p["suggestion"] else ""
        rows.append({**p, "where": where, "text": p["message"] + hint})
    n_e, n_w = len(answer["errors"]), len(answer["warnings"])
    return Table(
        title=f"{n_e} error{'s' * (n_e != 1)}, {n_w} warning{'s' * (n_w != 1)}",
        csv_columns=["severity", "path", "line", "column", "message", "suggestion"],
        table_columns=[("severity", "severity"), ("where", "where"), ("text", "problem")],
        rows=rows,
    )
