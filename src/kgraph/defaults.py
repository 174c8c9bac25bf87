"""The defaults and bounds shared by the library and the ``kgraph`` command, each defined once.

A library function's keyword default and the matching CLI option's default
(and its ``min``/``max``) must agree, or ``kgraph X`` and ``kgraph.X()``
answer differently. Both read them from here. This module imports nothing,
so the CLI can use it while ``kgraph --help`` stays fast (the modules that do
the work, e.g. :mod:`kgraph.draw`, import networkx or matplotlib).
"""

from __future__ import annotations

__all__ = [
    "DRAW_DPI",
    "DRAW_MAX_NODES",
    "DRAW_MAX_NODES_LIMIT",
    "DRAW_SIZE",
    "EXPLAIN_LIMIT",
    "EXPLAIN_MAX_HOPS",
    "PATH_ALL_MAX_HOPS",
    "PATH_LIMIT",
    "RANK_BY",
    "RANK_LIMIT",
    "RANK_MEASURES",
    "VIEW_MAX_NODES",
    "VIEW_MAX_NODES_LIMIT",
    "VIEW_OUTPUT",
]

# kgraph path / kgraph.paths
PATH_LIMIT = 20  # paths shown at most
PATH_ALL_MAX_HOPS = 4  # the longest path --all considers when --max-hops is not given

# kgraph explain / kgraph.analysis.explain
EXPLAIN_MAX_HOPS = 3  # the longest chain of facts shown
EXPLAIN_LIMIT = 50  # chains shown at most

# kgraph rank / kgraph.analysis.rank
RANK_MEASURES = ("degree", "pagerank", "betweenness")
RANK_BY = "pagerank"
RANK_LIMIT = 10  # the top N shown

# kgraph draw / kgraph.draw
DRAW_MAX_NODES = 150
DRAW_MAX_NODES_LIMIT = 1000  # the layout is O(n²) in memory and time; no picture of more nodes is readable anyway
DRAW_SIZE = (10.0, 6.25)  # inches
DRAW_DPI = 160  # PNG: 1600 x 1000 px at the default size

# kgraph view / kgraph.view
VIEW_MAX_NODES = 300
VIEW_MAX_NODES_LIMIT = 5000
VIEW_OUTPUT = "kgraph-view.html"
