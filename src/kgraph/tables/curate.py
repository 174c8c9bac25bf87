"""Tables of the curating commands: ``sources`` (and ``sources add``), ``sentences``, ``mentions``, ``coverage``,
``entities``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .table import Row, Table

if TYPE_CHECKING:
    from ..authoring.answers import (
        CoverageAnswer,
        MentionsAnswer,
        SentencesAnswer,
        SourceAddedAnswer,
        SourcesAnswer,
    )

__all__ = [
    "entities_table",
    "coverage_table",
    "mentions_table",
    "sentences_table",
    "source_added_table",
    "sources_table",
]


def sources_table(result: SourcesAnswer) -> Table:
    n = len(result["sources"])
    return Table(
        title=f"{n} source{'s' * (n != 1)}",
        csv_columns=["id", "title", "publisher", "published", "facts", "entities"],
        table_columns=[
            ("id", "id"),
            ("text", "title"),
            ("publisher", "publisher"),
            ("date", "published"),
            ("count", "facts"),
            ("total", "entities"),
        ],
        # (the table's keys are those kgraph.render knows how to wrap: titles wrap, ids and dates never)
        rows=[
            {**s, "text": s["title"], "date": s["published"], "count": s["facts"], "total": s["entities"]}
            for s in result["sources"]
        ],
    )


def source_added_table(result: SourceAddedAnswer) -> Table:
    rows: list[Row] = [{"file": path, "path": path} for path in result["written"]]  # ("path" never wraps)
    return Table(
        title=f"source {result['id']!r} added", csv_columns=["file"], table_columns=[("path", "written")], rows=rows
    )


def sentences_table(result: SentencesAnswer) -> Table:
    rows: list[Row] = [dict(s) for s in result["sentences"]]
    return Table(
        title=f"{result['source']}: {len(rows)} sentences",
        csv_columns=["number", "text", "facts"],
        table_columns=[("number", "#"), ("text", "text"), ("facts", "facts")],
        rows=rows,
    )


def mentions_table(result: MentionsAnswer) -> Table:
    rows: list[Row] = []
    for s in result["sentences"]:
        for m in s["known"]:
            rows.append(
                {"kind": "known", "sentence": s["number"], "text": m["text"], "entity": m["entity"], "count": 1}
            )
    for c in result["candidates"]:
        rows.append({"kind": "candidate", "sentence": c["first_sentence"], "text": c["name"], "entity": "", **c})
    return Table(
        title=f"{result['source']}: names in {len(result['sentences'])} sentences",
        caption="candidate: a capitalised name that is no known entity name or alias (count, first sentence)",
        csv_columns=["kind", "sentence", "text", "entity", "count"],
        table_columns=[("kind", "kind"), ("sentence", "#"), ("text", "name"), ("entity", "entity"), ("count", "count")],
        rows=rows,
    )


def coverage_table(result: CoverageAnswer) -> Table:
    rows: list[Row] = []
    for s in result["sources"]:
        row = {**s, "percent": f"{100 * s['share']:.0f} %"}
        rows.append(row)
        for u in s.get("uncovered", []):
            rows.append({"source": s["source"], "number": u["number"], "text": u["text"]})
    uncovered = any("uncovered" in s for s in result["sources"])
    if uncovered:
        return Table(
            title="Sentences no fact quotes and no skip covers",
            csv_columns=["source", "number", "text"],
            table_columns=[("source", "source"), ("number", "#"), ("text", "sentence")],
            rows=[r for r in rows if "number" in r],
        )
    return Table(
        title="Coverage: sentences some fact quotes (or a skip covers)",
        csv_columns=["source", "sentences", "covered", "skipped", "share"],
        table_columns=[
            ("source", "source"),
            ("sentences", "sentences"),
            ("covered", "covered"),
            ("skipped", "skipped"),
            ("percent", "share"),
        ],
        rows=rows,
    )


def entities_table(answer: dict[str, Any]) -> Table:
    """One row per entity: id, name, type, how many facts it is in, its aliases."""
    return Table(
        title="Entities",
        csv_columns=["id", "name", "type", "aliases", "facts", "description"],
        table_columns=[("id", "id"), ("name", "name"), ("type", "type"), ("facts", "facts"), ("aliases", "aliases")],
        rows=[{**e, "aliases": ", ".join(e["aliases"])} for e in answer["entities"]],
    )
