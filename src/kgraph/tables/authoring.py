"""Tables of the curation commands' answers (``kgraph entities``)."""

from __future__ import annotations

from typing import Any

from .table import Table

__all__ = ["entities_table"]


def entities_table(answer: dict[str, Any]) -> Table:
    """One row per entity: id, name, type, how many facts it is in, its aliases."""
    return Table(
        title="Entities",
        csv_columns=["id", "name", "type", "aliases", "facts", "description"],
        table_columns=[("id", "id"), ("name", "name"), ("type", "type"), ("facts", "facts"), ("aliases", "aliases")],
        rows=[{**e, "aliases": ", ".join(e["aliases"])} for e in answer["entities"]],
    )
