"""References between facts: curator ids, ``disputes`` and ``same_as``, checked once every source is read.

A fact may name any fact of the dataset, in any source file, so these checks
wait until all of them are read: a curator id used twice, a reference to no
fact (with the closest ids), a fact referring to itself, two facts both the
same claim and disputing each other, and a cycle of ``same_as`` links (one
link is enough to join two facts). Each problem is reported where the
offending id is written.
"""

from __future__ import annotations

import dataclasses
import os
from typing import NamedTuple

from ..model import Fact
from ..validate import FileReport, Report

__all__ = ["FactRefs", "Ref"]

Position = tuple[int, int]


class Ref(NamedTuple):
    """One reference as written: the field (``disputes`` or ``same_as``), the id, where it is."""

    key: str
    ref: str
    pos: Position


class _Pending(NamedTuple):
    row: int  # the fact's position in the dataset's list of facts
    refs: list[Ref]
    at: FileReport


class FactRefs:
    """The curator ids declared and the references made while the sources are read; checked at the end."""

    __slots__ = ("declared", "pending")

    def __init__(self) -> None:
        self.declared: dict[str, tuple[str, int]] = {}  # curator id -> (file, line) of its first use
        self.pending: list[_Pending] = []

    def declare(self, ident: str, at: FileReport, pos: Position) -> bool:
        """A curator ``id:``; False (and reported) when another fact of the dataset already has it."""
        first = self.declared.get(ident)
        if first is None:
            self.declared[ident] = (at.path, pos[0])
            return True
        path, line = first
        where = f"line {line}" if path == at.path else f"{os.path.basename(path)}:{line}"
        at.error(pos, f"duplicate fact id {ident!r} (first at {where}); a fact id must be unique in the dataset")
        return False

    def keep(self, index: int, refs: list[Ref], at: FileReport) -> None:
        """The references of the fact kept at ``index``, to check once every fact is known."""
        if refs:
            self.pending.append(_Pending(index, refs, at))

    def resolve(self, facts: list[Fact], report: Report) -> None:
        """Check every reference; each fact in ``facts`` keeps only the references that hold (in place)."""
        loaded = {f.id for f in facts}
        known = loaded | self.declared.keys()
        links: dict[int, list[Ref]] = {}
        for p in self.pending:
            links[p.row] = self._valid(facts[p.row].id, p, loaded, known, report)
        ats = {p.row: p.at for p in self.pending}
        _check_pairs(facts, links, ats)
        _check_cycles(facts, links, ats)
        for index, refs in links.items():
            f = facts[index]
            disputes = tuple(dict.fromkeys(r.ref for r in refs if r.key == "disputes"))
            same_as = tuple(dict.fromkeys(r.ref for r in refs if r.key == "same_as"))
            if (disputes, same_as) != (f.disputes, f.same_as):
                facts[index] = dataclasses.replace(f, disputes=disputes, same_as=same_as)

    @staticmethod
    def _valid(fid: str, p: _Pending, loaded: set[str], known: set[str], report: Report) -> list[Ref]:
        """The references of one fact that name another fact that loaded; the others reported (or, when
        the fact they name is itself broken, left out quietly: its own problem is reported)."""
        out = []
        for r in p.refs:
            if r.ref == fid:
                verb = "dispute" if r.key == "disputes" else "be the same as"
                p.at.error(r.pos, f"fact {fid!r} cannot {verb} itself")
            elif r.ref not in known:
                near = report.suggest(r.ref, sorted(known), n=3)
                p.at.error(
                    r.pos,
                    f"{r.key!r} names no fact: unknown fact id {r.ref!r}",
                    " or ".join(repr(n) for n in near) if near else None,
                )
            elif r.ref in loaded:
                out.append(r)
        return out


def _check_pairs(facts: list[Fact], links: dict[int, list[Ref]], ats: dict[int, FileReport]) -> None:
    """Two facts cannot both be one claim and dispute each other: the ``same_as`` link is reported and dropped."""
    disputing = {frozenset((facts[i].id, r.ref)) for i, refs in links.items() for r in refs if r.key == "disputes"}
    for i, refs in links.items():
        for r in list(refs):
            if r.key == "same_as" and frozenset((facts[i].id, r.ref)) in disputing:
                ats[i].error(
                    r.pos,
                    f"fact {facts[i].id!r} is said to be the same as {r.ref!r} and one disputes the other; "
                    "two facts are one claim or in dispute, not both",
                )
                refs.remove(r)


def _check_cycles(facts: list[Fact], links: dict[int, list[Ref]], ats: dict[int, FileReport]) -> None:
    """``same_as`` links must not go round in a cycle: the link that closes one is reported and dropped."""
    index_of = {f.id: i for i, f in enumerate(facts)}
    state: dict[int, int] = {}  # 1 being visited, 2 done
    for start in sorted(links):
        if start in state:
            continue
        stack: list[tuple[int, int]] = [(start, 0)]
        path = [start]
        state[start] = 1
        while stack:
            node, k = stack[-1]
            out = [r for r in links.get(node, ()) if r.key == "same_as"]
            if k >= len(out):
                stack.pop()
                path.pop()
                state[node] = 2
                continue
            stack[-1] = (node, k + 1)
            r = out[k]
            nxt = index_of[r.ref]
            if state.get(nxt) == 1:
                loop = [facts[j].id for j in path[path.index(nxt) :]] + [r.ref]
                ats[node].error(r.pos, f"'same_as' links go round in a cycle ({' → '.join(loop)}); one link is enough")
                links[node].remove(r)
                stack[-1] = (node, k)  # the list got shorter: look at the same position again
            elif nxt not in state:
                state[nxt] = 1
                stack.append((nxt, 0))
                path.append(nxt)
