"""Which table shows which answer: the one list of every table, by the name the CLI asks for.

To add a table: write its function (answer -> :class:`~.table.Table`) in the
module of its kind (:mod:`.queries`, :mod:`.analysis`, :mod:`.cache`, :mod:`.curate`, or a
new one) and add a line here; the command passes the name to
:func:`kgraph.tables.emit`. Nothing registers itself on import.
"""

from __future__ import annotations

from . import analysis, cache, curate, queries
from .table import TableFn

__all__ = ["TABLES"]

TABLES: dict[str, TableFn] = {
    # kgraph.query
    "who-supports": queries.stance_table("Who supports"),
    "who-opposes": queries.stance_table("Who opposes"),
    "path": queries.path_table,
    "neighbours": queries.neighbours_table,
    "relations": queries.relations_table,
    "facts": queries.facts_table,
    "entity": queries.entity_table,
    "disputes": queries.disputes_table,
    "stats": queries.stats_table,
    "validate": queries.validate_table,
    # kgraph.analysis
    "explain": analysis.explain_table,
    "timeline": analysis.timeline_table,
    "blocs": analysis.blocs_table,
    "balance": analysis.balance_table,
    "ambivalent": analysis.ambivalent_table,
    "rank": analysis.rank_table,
    # kgraph.cache
    "cache-info": cache.cache_info_table,
    "cache-clear": cache.cache_clear_table,
    # kgraph.authoring
    "entities": curate.entities_table,
    "sources": curate.sources_table,
    "source-added": curate.source_added_table,
    "sentences": curate.sentences_table,
    "mentions": curate.mentions_table,
    "coverage": curate.coverage_table,
}
