"""kgraph: a knowledge graph of facts curated from news articles, with evidence.

>>> import kgraph
>>> kg = kgraph.load()                       # the bundled dataset
>>> top = kgraph.who_supports(kg, "belarus")["results"][0]
>>> top["entity"]["name"], top["evidence"][0]["quote"][:40]
('China', 'China, which signed a comprehensive stra')

Loading and querying import nothing heavy (``paths`` searches the store's
indexes, :mod:`kgraph.pathfind`); networkx is imported when the graph itself
is first needed (``kg.graph``: exports, analysis).

Every answer is a plain, JSON-ready ``dict``; :mod:`kgraph.answers` gives the
type of each (``StanceAnswer``, ``PathsAnswer``, …) for static checking, and
:mod:`kgraph.defaults` the defaults the library and the ``kgraph`` command share.
"""

from __future__ import annotations

__version__ = "0.1.0"

from typing import TYPE_CHECKING, Any

from .errors import (
    DataError,
    ExitCode,
    KGraphError,
    NoPath,
    Problem,
    UnknownEntity,
    UnknownRelation,
    UsageError,
)

if TYPE_CHECKING:
    from .knowledge import KnowledgeGraph
    from .loader import check, load
    from .model import Entity, Fact, Relation, Source
    from .query import disputes, entity, facts, neighbours, paths, relations, stats, who_opposes, who_supports

# The loader and the queries are imported on first use (PEP 562), so that `kgraph --help`, `kgraph --version`
# and commands that need neither do not pay for them at start-up.
_LAZY = {
    "KnowledgeGraph": "knowledge",
    "check": "loader",
    "load": "loader",
    **dict.fromkeys(("Entity", "Fact", "Relation", "Source"), "model"),
    **dict.fromkeys(
        ("disputes", "entity", "facts", "neighbours", "paths", "relations", "stats", "who_opposes", "who_supports"),
        "query",
    ),
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'kgraph' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "DataError",
    "Entity",
    "ExitCode",
    "Fact",
    "KGraphError",
    "KnowledgeGraph",
    "NoPath",
    "Problem",
    "Relation",
    "Source",
    "UnknownEntity",
    "UnknownRelation",
    "UsageError",
    "__version__",
    "check",
    "disputes",
    "entity",
    "facts",
    "load",
    "neighbours",
    "paths",
    "relations",
    "stats",
    "who_opposes",
    "who_supports",
]
