"""How the curating commands' answers look as tables and CSV (registered with :mod:`kgraph.render`)."""

from __future__ import annotations

from typing import Any

from ..render import View, register_view

__all__: list[str] = []


@register_view("sources")
def _sources_view(result: dict[str, Any]) -> View:
    n = len(result["sources"])
    return View(
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


@register_view("source-added")
def _added_view(result: dict[str, Any]) -> View:
    rows = [{"file": path} for path in result["written"]]
    return View(
        title=f"source {result['id']!r} added", csv_columns=["file"], table_columns=[("file", "written")], rows=rows
    )


@register_view("sentences")
def _sentences_view(result: dict[str, Any]) -> View:
    rows = result["sentences"]
    return View(
        title=f"{result['source']}: {len(rows)} sentences",
        csv_columns=["number", "text", "facts"],
        table_columns=[("number", "#"), ("text", "text"), ("facts", "facts")],
        rows=rows,
    )


@register_view("mentions")
def _mentions_view(result: dict[str, Any]) -> View:
    rows: list[dict[str, Any]] = []
    for s in result["sentences"]:
        for m in s["known"]:
            rows.append(
                {"kind": "known", "sentence": s["number"], "text": m["text"], "entity": m["entity"], "count": 1}
            )
    for c in result["candidates"]:
        rows.append({"kind": "candidate", "sentence": c["first_sentence"], "text": c["name"], "entity": "", **c})
    return View(
        title=f"{result['source']}: names in {len(result['sentences'])} sentences",
        caption="candidate: a capitalised name that is no known entity name or alias (count, first sentence)",
        csv_columns=["kind", "sentence", "text", "entity", "count"],
        table_columns=[("kind", "kind"), ("sentence", "#"), ("text", "name"), ("entity", "entity"), ("count", "count")],
        rows=rows,
    )


@register_view("coverage")
def _coverage_view(result: dict[str, Any]) -> View:
    rows: list[dict[str, Any]] = []
    for s in result["sources"]:
        row = {**s, "percent": f"{100 * s['share']:.0f} %"}
        rows.append(row)
        for u in s.get("uncovered", []):
            rows.append({"source": s["source"], "number": u["number"], "text": u["text"]})
    uncovered = any("uncovered" in s for s in result["sources"])
    if uncovered:
        return View(
            title="Sentences no fact quotes and no skip covers",
            csv_columns=["source", "number", "text"],
            table_columns=[("source", "source"), ("number", "#"), ("text", "sentence")],
            rows=[r for r in rows if "number" in r],
        )
    return View(
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
