"""Row cells shared by every table: one way to flatten a fact, and the captions' common parts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .table import Row

if TYPE_CHECKING:
    from ..answers import EntityRef, FactRecord, Window

__all__ = [
    "FACT_CSV",
    "caption",
    "fact_cells",
    "modality_mark",
    "name",
    "source_column",
    "sources_note",
    "statement",
    "when",
    "window_note",
]

# the columns of a fact in CSV, where a table lists facts
FACT_CSV = [
    "fact_id",
    "subject",
    "relation",
    "object",
    "polarity",
    "date",
    "source",
    "according_to",
    "quote",
    "modality",
    "disputed_by",
]


def name(e: EntityRef | None) -> str:
    return "" if e is None else str(e["name"])


def modality_mark(f: FactRecord) -> str:
    """`` [considered]`` (the fact's modality, after its relation) unless the fact is asserted."""
    return "" if f["modality"] == "asserted" else f" [{f['modality']}]"


def statement(f: FactRecord) -> str:
    """``Subject relation Object``, by name; a modality other than asserted after the relation (``[considered]``)."""
    return f"{name(f['subject'])} {f['relation']}{modality_mark(f)} {name(f['object'])}"


def sources_note(ids: list[str]) -> str:
    """The sources of a claim: the id when there is one, else ``2 sources: a, b``."""
    return ids[0] if len(ids) == 1 else f"{len(ids)} sources: {', '.join(ids)}"


def when(f: FactRecord, undated: str | None = None) -> str | None:
    """The fact's date as curated; an interval as ``start/end`` (``..`` for an open end); else ``undated``."""
    if f["date"]:
        return f["date"]
    if f["start"] or f["end"]:
        return f"{f['start'] or '..'}/{f['end'] or '..'}"
    return undated


def fact_cells(f: FactRecord, undated: str | None = None) -> Row:
    """A fact as row cells: ids for CSV, names for the terminal (``statement``), ``undated`` for no date.

    ``quote`` is the quote as curated (CSV); ``quoted`` is what a table shows:
    the quote, then "(according to NAME)" when the fact reports someone's
    claim, so a reader never takes an attributed statement for the article's.
    The statement ends in `` [disputed]`` when another fact disputes this one.
    """
    according_to = f["according_to"]
    quoted = f["quote"] + (f" (according to {according_to['name']})" if according_to else "")
    return {
        "fact_id": f["id"],
        "subject": f["subject"]["id"],
        "subject_name": name(f["subject"]),
        "relation": f["relation"],
        "object": f["object"]["id"],
        "object_name": name(f["object"]),
        "polarity": f["polarity"],
        "date": when(f, undated),
        "source": f["source"],
        "quote": f["quote"],
        "according_to": according_to["id"] if according_to else None,
        "quoted": quoted,
        "modality": f["modality"],
        "disputed_by": f["disputed_by"],
        "statement": statement(f) + (" [disputed]" if f["disputed_by"] else ""),
    }


def source_column(columns: list[tuple[str, str]], rows: list[Row]) -> str | None:
    """Show where the rows' facts come from: a ``source`` column, or a caption part when all share one.

    With facts from several sources each row names its own (the column is
    appended to ``columns``); when every fact comes from one source, a column
    repeating it on every row would take a third of an 80-column terminal, so
    the caption names it once instead (returned: ``source: ID``). None when no
    row holds a fact.
    """
    sources = sorted({r["source"] for r in rows if r.get("source")})
    if len(sources) > 1:
        columns.append(("source", "source"))
        return None
    return f"source: {sources[0]}" if sources else None


def window_note(w: Window | None) -> str | None:
    """What a time window kept, for a caption; None without a window."""
    if not w:
        return None
    bounds = ", ".join(
        f"{k.replace('_', ' ')} {v}"
        for k, v in (("as_of", w["as_of"]), ("since", w["since"]), ("until", w["until"]))
        if v
    )
    left_out = f", {w['undated_dropped']} undated left out (published later)" if w["undated_dropped"] else ""
    return f"time window ({bounds}): {w['kept']} facts kept, {w['undated']} of them undated{left_out}"


def caption(*parts: str | None) -> str | None:
    """The parts given, joined by ``; ``; None when there is none."""
    text = "; ".join(p for p in parts if p)
    return text or None
