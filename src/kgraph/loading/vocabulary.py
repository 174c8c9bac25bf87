"""``relations.yaml``: the relation vocabulary, each relation checked alone and then the hierarchy as a whole."""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..limits import Limits
from ..model import Relation
from ..validate import RELATION_ID, FileReport, show
from ..yamlread import YMap
from .files import DataFolder

__all__ = ["RELATION_FIELDS", "load_relations"]

RELATION_FIELDS = ("id", "polarity", "description"), ("label", "parent", "symmetric", "inverse", "acts_for")
"""The required and the optional fields of a relation."""


def load_relations(folder: DataFolder) -> dict[str, Relation]:
    """The relations of ``relations.yaml`` by id; every problem reported, the relations with one left out."""
    at, items = folder.top_list(folder.root / "relations.yaml", "relations")
    out: dict[str, Relation] = {}
    if items is None:
        return out
    where: dict[str, YMap] = {}
    for item, pos in zip(items, items.pos, strict=True):
        m = at.mapping(item, pos, "a relation")
        if m is None:
            continue
        relation = _relation(m, at, where)
        if relation is not None:
            out[relation.id] = relation
            where[relation.id] = m
    _check_hierarchy(out, where, at, folder.limits)
    return out


def _relation(m: YMap, at: FileReport, seen: Mapping[str, YMap]) -> Relation | None:
    """One relation read from its mapping; None when it has no id or repeats one."""
    ident = m.get("id")
    what = f"relation {ident!r}" if isinstance(ident, str) else "a relation"
    at.fields(m, what, *RELATION_FIELDS)
    if not isinstance(ident, str):
        return None
    if not RELATION_ID.match(ident):
        near = re.sub(r"[^a-z0-9]+", "_", ident.lower()).strip("_")
        at.error(
            m.value_at("id"),
            f"relation id {ident!r} must be snake_case (a-z, 0-9, _)"
            + ("" if ident[:1].isalpha() else ", starting with a letter"),
            repr(near) if RELATION_ID.match(near) else None,
        )
    if ident in seen:
        at.error(m.value_at("id"), f"duplicate relation id {ident!r} (first at line {seen[ident].line})")
        return None
    polarity = _polarity(m, what, at)
    inverse = at.text(m, "inverse", what)
    symmetric = at.flag(m, "symmetric", what)
    if symmetric and inverse:
        at.error(m.value_at("inverse"), f"{what} is symmetric, so it cannot have an inverse name")
    return Relation(
        id=ident,
        label=at.text(m, "label", what) or ident.replace("_", " "),
        polarity=polarity if polarity is not None else 0,
        description=at.text(m, "description", what) or "",
        parent=at.text(m, "parent", what),
        symmetric=symmetric,
        inverse=inverse,
        acts_for=at.flag(m, "acts_for", what),
    )


def _check_hierarchy(relations: dict[str, Relation], where: Mapping[str, YMap], at: FileReport, limits: Limits) -> None:
    """What only the whole vocabulary shows: parents (known, same polarity, no cycle, not too deep), inverses."""
    inverse_of: dict[str, str] = {}
    on_cycle, depth = _hierarchy(relations)
    for r in relations.values():
        m = where[r.id]
        _check_parent(r, m, relations, at)
        if r.id in on_cycle:
            at.error(m.value_at("parent"), f"relation {r.id!r} is its own ancestor (parent cycle)")
        elif depth.get(r.id) == limits.max_relation_depth + 1:
            at.error(
                m.value_at("parent"),
                f"relation {r.id!r} has more than {limits.max_relation_depth} ancestors; the "
                f"relation hierarchy is too deep ({limits.hint('max_relation_depth')})",
            )
        if r.inverse is not None:
            _check_inverse(r.id, r.inverse, m, relations, inverse_of, at)
            inverse_of[r.inverse] = r.id


def _check_parent(r: Relation, m: YMap, relations: Mapping[str, Relation], at: FileReport) -> None:
    """The parent must be a relation, of the same polarity when the polarity is written."""
    if r.parent is None or not at.reference(r.parent, relations, m.value_at("parent"), "parent relation"):
        return
    parent = relations[r.parent]
    if "polarity" in m and parent.polarity != r.polarity:  # (a missing polarity is reported already)
        at.error(
            m.value_at("polarity"),
            f"relation {r.id!r} has polarity {r.polarity} but its parent {r.parent!r} has "
            f"{parent.polarity}; a sub-relation keeps its parent's polarity",
        )


def _check_inverse(
    ident: str, inverse: str, m: YMap, relations: Mapping[str, Relation], inverse_of: Mapping[str, str], at: FileReport
) -> None:
    """An inverse name must be neither a relation id nor another relation's inverse name."""
    if inverse in relations:
        at.error(m.value_at("inverse"), f"inverse name {inverse!r} of {ident!r} is already a relation id")
    elif inverse in inverse_of:
        at.error(m.value_at("inverse"), f"inverse name {inverse!r} is used by {inverse_of[inverse]!r} too")


def _hierarchy(relations: dict[str, Relation]) -> tuple[set[str], dict[str, int]]:
    """The relations on a parent cycle, and how many ancestors each other one has; in linear time.

    (Walking every relation's chain of parents would be quadratic in a hostile vocabulary: a chain of
    400,000 relations.)
    """
    on_cycle: set[str] = set()
    depth: dict[str, int] = {}
    for start in relations:
        path: list[str] = []
        on_path: set[str] = set()
        cur: str | None = start
        while cur in relations and cur not in depth and cur not in on_cycle:
            if cur in on_path:  # a cycle: the path from cur on goes round it
                loop = path[path.index(cur) :]
                on_cycle.update(loop)
                break
            path.append(cur)
            on_path.add(cur)
            cur = relations[cur].parent
        if cur in on_cycle:
            continue  # the rest of the path leads into a cycle: no depth (the cycle is what gets reported)
        base = depth.get(cur, -1) if cur is not None else -1  # a root's depth is 0
        for x in reversed(path):
            base += 1
            depth[x] = base
    return on_cycle, depth


_POLARITY_WORDS = (("coop", "pos"), "1"), (("conf", "neg"), "-1"), (("neu", "str"), "0")


def _polarity(m: YMap, what: str, at: FileReport) -> int | None:
    """The polarity field: 1, -1 or 0 (absent → None); a word for one of them gets it suggested."""
    value = m.get("polarity")
    if value is None:
        return None
    table = {"1": 1, "+1": 1, "-1": -1, "0": 0}
    if isinstance(value, str) and value.strip() in table:
        return table[value.strip()]
    hint = None
    if isinstance(value, str):
        low = value.lower()
        hint = next((number for starts, number in _POLARITY_WORDS if low.startswith(starts)), None)
    at.error(m.value_at("polarity"), f"polarity of {what} must be 1, -1 or 0, not {show(value)}", hint)
    return None
