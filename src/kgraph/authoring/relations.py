"""``kgraph relations add``: a new relation under a parent, placed with its parent's family.

A sub-relation keeps its parent's polarity (a loader rule), so the polarity
is not asked for: it is written as the parent's. The new item goes after the
last relation of the parent's subtree in file order, so the vocabulary file
stays grouped as a tree (``relations.yaml`` is read top to bottom by
people).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..validate import RELATION_ID
from .edit import Edit, baseline
from .splice import append_item
from .yamltree import parse, scalar

__all__ = ["add_relation"]


def _check(kg: Any, ident: str, inverse: str | None, symmetric: bool) -> None:
    if not RELATION_ID.match(ident):
        raise UsageError(f"relation id {ident!r} must be snake_case (a-z, 0-9, _), starting with a letter")
    taken = set(kg.relations) | {r.inverse for r in kg.relations.values() if r.inverse}
    if ident in taken:
        raise UsageError(f"relation {ident!r} exists already (as an id or an inverse name)")
    if inverse is not None:
        if symmetric:
            raise UsageError("a symmetric relation has no inverse name: give --symmetric or --inverse, not both")
        if not RELATION_ID.match(inverse):
            raise UsageError(f"--inverse: {inverse!r} must be snake_case (a-z, 0-9, _), starting with a letter")
        if inverse in taken or inverse == ident:
            raise UsageError(f"--inverse: {inverse!r} is already a relation id or inverse name")


def add_relation(
    root: Path,
    ident: str,
    parent_name: str,
    *,
    label: str | None = None,
    symmetric: bool = False,
    inverse: str | None = None,
    acts_for: bool = False,
    description: str,
    dry_run: bool = False,
    cache: bool = True,
) -> tuple[str, int]:
    """Add a relation under ``parent``; the YAML added and its line."""
    with Edit(root) as edit:
        kg = baseline(root, cache=cache)
        parent = kg.relation(parent_name)  # UnknownRelation, with suggestions
        _check(kg, ident, inverse, symmetric)
        family = {parent.id} | kg.descendants(parent.id)
        text = edit.read("relations.yaml")
        top = parse(text)
        seq = top.get("relations")
        items = seq.items if seq is not None else []
        last = [i for i in items if (n := i.get("id")) is not None and n.value in family]
        fields = [("id", ident), ("label", scalar(label or ident.replace("_", " "))), ("parent", parent.id)]
        if symmetric:
            fields.append(("symmetric", "true"))
        if inverse:
            fields.append(("inverse", inverse))
        if acts_for:
            fields.append(("acts_for", "true"))
        fields += [("polarity", str(parent.polarity)), ("description", scalar(description))]
        new, line, lines = append_item(text, top, "relations", fields, after=last[-1] if last else None)
        edit.stage("relations.yaml", new)
        edit.check()
        if not dry_run:
            edit.commit()
        return lines, line
