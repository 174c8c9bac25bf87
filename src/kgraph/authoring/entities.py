"""``kgraph entities``: list, add, rename and merge entities, every reference following.

An entity is named by the facts of every source file (``subject``,
``object``, ``according_to``) and by its own item in ``entities.yaml``;
those are all the places the data format lets an entity id appear.
``rename`` and ``merge`` rewrite each of them in one all-or-nothing edit,
and the result is checked with every rule before it is written: a merge
that would make two facts the same fact, or relate an entity to itself, is
refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import Problem, UsageError
from ..resolve import fold
from ..validate import ENTITY_TYPES, SLUG
from .edit import Edit, baseline
from .splice import add_to_flow_or_block_list, append_item, remove_item, replace
from .yamltree import Node, parse, scalar

__all__ = ["REFERENCE_FIELDS", "Change", "add_entity", "listing", "merge_entities", "rename_entity"]

REFERENCE_FIELDS = ("subject", "object", "according_to")
"""The fields of a fact that hold an entity id."""


@dataclass
class Change:
    """What an entity edit did (or would do): the files and how many references moved."""

    files: list[str]
    references: int
    written: bool


def listing(kg: Any) -> dict[str, Any]:
    """Every entity with its names and how many facts it takes part in (``kgraph entities``)."""
    counts: dict[str, int] = {}
    for f in kg.facts:
        for e in {f.subject, f.object, f.according_to} - {None}:
            counts[e] = counts.get(e, 0) + 1
    return {
        "entities": [
            {
                "id": e.id,
                "name": e.name,
                "type": e.type,
                "aliases": list(e.aliases),
                "description": e.description,
                "facts": counts.get(e.id, 0),
            }
            for e in kg.entities.values()
        ]
    }


def _check_id(ident: str, kg: Any) -> None:
    if not SLUG.match(ident):
        import re

        near = re.sub(r"[^a-z0-9]+", "-", fold(ident)).strip("-")
        hint = f" (did you mean {near!r}?)" if near and SLUG.match(near) else ""
        raise UsageError(f"entity id {ident!r} must be a lowercase slug (a-z, 0-9, single hyphens){hint}")
    if ident in kg.entities:
        raise UsageError(f"entity {ident!r} exists already")


def _item(top: Node, key: str, ident: str) -> Node:
    seq = top.get(key)
    assert seq is not None
    for item in seq.items:
        node = item.get("id")
        if node is not None and node.value == ident:
            return item
    raise AssertionError(f"{ident} not found in the file the loader read it from")  # pragma: no cover


def add_entity(
    root: Path,
    ident: str,
    name: str,
    etype: str,
    aliases: list[str],
    description: str,
    *,
    dry_run: bool = False,
    cache: bool = True,
) -> tuple[str, int]:
    """Add an entity to ``entities.yaml`` after the last one of its type; the YAML added and its line."""
    with Edit(root) as edit:
        kg = baseline(root, cache=cache)
        _check_id(ident, kg)
        if etype not in ENTITY_TYPES:
            from ..resolve import suggest

            near = suggest(etype, ENTITY_TYPES, n=1)
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            raise UsageError(f"--type: {etype!r} is not one of {', '.join(ENTITY_TYPES)}{hint}")
        text = edit.read("entities.yaml")
        top = parse(text)
        same_type = [i for i in (top.get("entities") or Node("seq", 0, 0)).items if _value(i, "type") == etype]
        fields = [("id", ident), ("name", scalar(name)), ("type", etype)]
        if aliases:
            fields.append(("aliases", "[" + ", ".join(scalar(a, flow=True) for a in aliases) + "]"))
        fields.append(("description", scalar(description)))
        new, line, lines = append_item(text, top, "entities", fields, after=same_type[-1] if same_type else None)
        edit.stage("entities.yaml", new)
        edit.check(expected=lambda p: _unused(p, ident))
        if not dry_run:
            edit.commit()
        return lines, line


def _unused(p: Problem, ident: str) -> bool:
    """The warning a new entity brings on purpose: it is in no fact yet."""
    return p.message == f"entity {ident!r} is in no fact"


def _value(item: Node, key: str) -> str | None:
    node = item.get(key)
    return node.value if node is not None else None


def _move_references(edit: Edit, kg: Any, old: str, new: str) -> tuple[list[str], int]:
    """Point every fact's reference to ``old`` at ``new``, in every source file that has one."""
    files, count = [], 0
    naming = {f.source for f in kg.facts if old in (f.subject, f.object, f.according_to)}  # the files to open
    for source in sorted(naming):
        rel = f"sources/{source}.yaml"
        text = edit.read(rel)
        facts = parse(text).get("facts")
        spans = []
        for item in facts.items if facts is not None else []:
            spans += [n for k in REFERENCE_FIELDS if (n := item.get(k)) is not None and n.value == old]
        pieces, at = [], 0
        for node in sorted(spans, key=lambda n: n.start):  # one pass: every other character is copied as it is
            pieces += [text[at : node.start], new]
            at = node.end
        count += len(spans)
        edit.stage(rel, "".join(pieces) + text[at:])
        files.append(rel)
    return files, count


def rename_entity(root: Path, old_name: str, new: str, *, dry_run: bool = False, cache: bool = True) -> Change:
    """Give an entity a new id; every fact that names it follows."""
    with Edit(root) as edit:
        kg = baseline(root, cache=cache)
        old = kg.entity(old_name).id
        if new == old:
            raise UsageError(f"the entity is already called {new!r}")
        _check_id(new, kg)
        text = edit.read("entities.yaml")
        item = _item(parse(text), "entities", old)
        id_node = item.get("id")
        assert id_node is not None
        edit.stage("entities.yaml", replace(text, id_node, new))
        files, count = _move_references(edit, kg, old, new)
        edit.check(expected=lambda p: _unused(p, new))  # (it was in no fact before: it still is)
        if not dry_run:
            edit.commit()
        return Change(files=["entities.yaml", *files], references=count, written=not dry_run)


def merge_entities(
    root: Path, duplicate_name: str, into_name: str, *, dry_run: bool = False, cache: bool = True
) -> Change:
    """Fold a duplicate entity into another: references move, its names become aliases, it goes.

    Refused when the two are of different types, or when the merge would
    make two facts the same or relate an entity to itself (the check finds
    those).
    """
    with Edit(root) as edit:
        kg = baseline(root, cache=cache)
        dup, into = kg.entity(duplicate_name), kg.entity(into_name)
        if dup.id == into.id:
            raise UsageError(f"{duplicate_name!r} and {into_name!r} are the same entity ({dup.id!r})")
        if dup.type != into.type:
            raise UsageError(f"cannot merge {dup.id!r} ({dup.type}) into {into.id!r} ({into.type}): their types differ")
        known = {fold(n) for n in (into.id, into.name, *into.aliases)}
        new_aliases: list[str] = []
        for n in (dup.name, *dup.aliases):
            if fold(n) not in known:
                known.add(fold(n))
                new_aliases.append(n)
        text = edit.read("entities.yaml")
        top = parse(text)
        seq = top.get("entities")
        assert seq is not None
        dup_item, into_item = _item(top, "entities", dup.id), _item(top, "entities", into.id)
        # the later of the two edits first, so the earlier one's offsets stay right
        if dup_item.start > into_item.start:
            text = remove_item(text, seq, dup_item)
            text = add_to_flow_or_block_list(text, into_item, "aliases", new_aliases, after_key="type")
        else:
            text = add_to_flow_or_block_list(text, into_item, "aliases", new_aliases, after_key="type")
            text = remove_item(text, seq, dup_item)
        edit.stage("entities.yaml", text)
        files, count = _move_references(edit, kg, dup.id, into.id)
        edit.check(expected=lambda p: p.message == f"entity {into.id!r} is in no fact")
        if not dry_run:
            edit.commit()
        return Change(files=["entities.yaml", *files], references=count, written=not dry_run)
