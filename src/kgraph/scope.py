"""Source scopes: the graph as told by some of its articles only.

``kgraph who-opposes belarus --source wire-2020`` answers from the facts of
one article, as if the others had not been curated. :func:`restrict` builds
that graph the way :func:`kgraph.timefilter.window` builds a time window: a
new :class:`~kgraph.knowledge.KnowledgeGraph` over the kept facts, every
entity and relation kept (so names still resolve), and only the chosen
sources listed. The two compose: the CLI restricts first, then windows, so
the window's counts are of the facts of those sources.

>>> from kgraph import load
>>> kg = load()
>>> s = restrict(kg, ["belarus-china-ironclad-friend"])
>>> len(s.facts) == len(kg.facts), s.scope["sources"]
(True, ['belarus-china-ironclad-friend'])
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypedDict

from .errors import UnknownSource
from .knowledge import KnowledgeGraph
from .model import Fact

__all__ = ["Scope", "ScopedGraph", "restrict", "scope_of"]


class Scope(TypedDict):
    """What a source scope kept: the source ids (sorted), and how many facts were kept and dropped."""

    sources: list[str]
    kept: int
    dropped: int


class ScopedGraph(KnowledgeGraph):
    """A :class:`KnowledgeGraph` restricted to the facts of some sources; ``scope`` says which."""

    def __init__(self, whole: KnowledgeGraph, sources: Sequence[str], kept: Sequence[Fact]) -> None:
        super().__init__(
            whole.relations.values(),
            whole.entities.values(),
            [whole.sources[s] for s in sources],
            kept,
            data_dir=whole.data_dir,
            warnings=whole.warnings,
        )
        self.scope = Scope(sources=list(sources), kept=len(kept), dropped=len(whole.facts) - len(kept))


def _resolve(kg: KnowledgeGraph, names: Iterable[str]) -> list[str]:
    """The source ids named (sorted, each once); UnknownSource, with suggestions, for the first unknown one."""
    chosen: set[str] = set()
    for name in names:
        if name not in kg.sources:
            from .suggest import suggest

            raise UnknownSource(name, suggest(name, kg.sources))
        chosen.add(name)
    return sorted(chosen)


def restrict(kg: KnowledgeGraph, sources: Iterable[str] | None = None) -> KnowledgeGraph:
    """The graph of the facts of ``sources`` only (source ids); ``kg`` itself when none is given.

    An unknown id raises :class:`~kgraph.errors.UnknownSource` (exit 4) with
    the closest ids. Entities and relations are all kept, as in a time
    window; the result's ``sources`` are the chosen ones.
    """
    names = list(sources or [])
    if not names:
        return kg
    ids = _resolve(kg, names)
    wanted = set(ids)
    kept = [f for f in kg.facts if f.source in wanted]
    return ScopedGraph(kg, ids, kept)


def scope_of(kg: KnowledgeGraph) -> Scope | None:
    """The scope of a restricted graph, None for one that is not."""
    return kg.scope if isinstance(kg, ScopedGraph) else None
