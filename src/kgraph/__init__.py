"""kgraph: a knowledge graph of facts curated from news articles, with evidence.

>>> import kgraph
>>> kg = kgraph.load()                       # the bundled dataset
>>> top = kgraph.who_supports(kg, "belarus")["results"][0]
>>> top["entity"]["name"], top["evidence"][0]["quote"][:40]
('China', 'China, which signed a comprehensive stra')

Loading and querying import nothing heavy; networkx is imported when the
graph itself is first needed (``kg.graph``, ``paths``, exports, analysis).

Every answer is a plain, JSON-ready ``dict``; :mod:`kgraph.answers` gives the
type of each (``StanceAnswer``, ``PathsAnswer``, …) for static checking, and
:mod:`kgraph.defaults` the defaults the library and the ``kgraph`` command share.
"""

from __future__ import annotations

__version__ = "0.1.0"

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
from .knowledge import KnowledgeGraph
from .loader import check, load
from .model import Entity, Fact, Relation, Source
from .query import disputes, entity, facts, neighbours, paths, relations, stats, who_opposes, who_supports

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
