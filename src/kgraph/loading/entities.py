"""``entities.yaml``: the entities, each with an id, a name and aliases that lead to it alone."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..model import Entity
from ..suggest import fold, suggest
from ..validate import ENTITY_TYPES, SLUG, FileReport
from ..yamlread import YList, YMap
from .files import DataFolder

__all__ = ["ENTITY_FIELDS", "load_entities"]

ENTITY_FIELDS = ("id", "name", "type", "description"), ("aliases",)
"""The required and the optional fields of an entity."""

Position = tuple[int, int]


def load_entities(folder: DataFolder) -> tuple[dict[str, Entity], dict[str, Position]]:
    """The entities by id, and where each one starts in the file; every problem reported."""
    at, items = folder.top_list(folder.root / "entities.yaml", "entities")
    out: dict[str, Entity] = {}
    positions: dict[str, Position] = {}
    if items is None:
        return out, positions
    first_line: dict[str, int] = {}
    names: dict[str, tuple[str, int]] = {}  # folded name -> (entity id, line)
    for item, pos in zip(items, items.pos, strict=True):
        m = at.mapping(item, pos, "an entity")
        if m is None:
            continue
        e = _entity(m, at, first_line, names)
        if e is not None:
            out[e.id] = e
            positions[e.id] = (m.line, m.column)
    return out, positions


def _entity(m: YMap, at: FileReport, first_line: dict[str, int], names: dict[str, tuple[str, int]]) -> Entity | None:
    """One entity read from its mapping; None when it has no id or repeats one. Its names join ``names``."""
    ident = m.get("id")
    what = f"entity {ident!r}" if isinstance(ident, str) else "an entity"
    at.fields(m, what, *ENTITY_FIELDS)
    if not isinstance(ident, str):
        return None
    if not SLUG.match(ident):
        at.error(
            m.value_at("id"),
            f"entity id {ident!r} must be a lowercase slug (a-z, 0-9, single hyphens)",
            repr(re.sub(r"[^a-z0-9]+", "-", fold(ident)).strip("-")),
        )
    if ident in first_line:
        at.error(m.value_at("id"), f"duplicate entity id {ident!r} (first at line {first_line[ident]})")
        return None
    first_line[ident] = m.line
    etype = at.text(m, "type", what) or "other"
    if "type" in m and isinstance(m["type"], str) and etype not in ENTITY_TYPES:
        near = suggest(etype, ENTITY_TYPES, n=1)
        at.warn(
            m.value_at("type"),
            f"entity type {etype!r} is not one of {', '.join(ENTITY_TYPES)}",
            repr(near[0]) if near else None,
        )
    name = at.text(m, "name", what) or ident
    aliases = at.string_list(m, "aliases", what)
    _claim_names(ident, m.line, what, _labels(m, ident, name, aliases), at, names)
    return Entity(id=ident, name=name, type=etype, description=at.text(m, "description", what) or "", aliases=aliases)


def _labels(m: YMap, ident: str, name: str, aliases: tuple[str, ...]) -> list[tuple[str, tuple[int, int]]]:
    """Every name of the entity (id, name, aliases), each with where it is written."""
    raw = m.get("aliases")
    alias_at = (
        {v: pos for v, pos in zip(raw, raw.pos, strict=True) if isinstance(v, str)} if isinstance(raw, YList) else {}
    )
    labels = [(ident, m.value_at("id")), (name, m.value_at("name") if "name" in m else (m.line, m.column))]
    labels += [(a, alias_at.get(a, (m.line, m.column))) for a in aliases]
    return labels


def _claim_names(
    ident: str,
    line: int,
    what: str,
    labels: Iterable[tuple[str, tuple[int, int]]],
    at: FileReport,
    names: dict[str, tuple[str, int]],
) -> None:
    """Every name of an entity must lead to that entity alone: each one folded is claimed for it, once."""
    own: set[str] = set()
    for label, pos in labels:
        key = fold(label)
        if not key:
            at.error(pos, f"name {label!r} of {what} has no letters or digits")
            continue
        if key in own:
            continue
        own.add(key)
        if key in names and names[key][0] != ident:
            other, other_line = names[key]
            at.error(
                pos,
                f"name {label!r} of {what} is also a name of {other!r} (line {other_line}); "
                "each name must lead to one entity",
            )
        else:
            names[key] = (ident, line)
