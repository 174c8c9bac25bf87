"""kgraph and SPARQL 1.1 stores: a client (:mod:`.client`) and ``kgraph push`` (:mod:`.push`).

Nothing here is imported by the core commands; the modules load on first use.
"""

from __future__ import annotations
