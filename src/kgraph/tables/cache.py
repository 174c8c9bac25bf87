"""Tables of ``kgraph cache info`` and ``kgraph cache clear``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .table import Row, Table

if TYPE_CHECKING:
    from ..answers import CacheClearAnswer, CacheInfoAnswer

__all__ = ["cache_clear_table", "cache_info_table"]


def cache_info_table(result: CacheInfoAnswer) -> Table:
    """One row per cache entry; the caption says whether the dataset asked about has a current one."""
    ds = result.get("dataset")
    n = len(result["entries"])
    caption = f"{n} entr{'y' if n == 1 else 'ies'}, {result['bytes'] / 1e6:.1f} MB"
    if ds is not None:
        state = "current" if ds["fresh"] else ("stale (will be rebuilt)" if ds["cached"] else "not cached")
        caption += f"; {ds['data_dir']}: {state}"
    rows: list[Row] = [
        {**e, "megabytes": f"{e['bytes'] / 1e6:.1f}", "name": Path(e["file"]).name} for e in result["entries"]
    ]
    return Table(
        title=f"kgraph cache in {result['directory']}",
        csv_columns=["file", "data_dir", "facts", "entities", "sources", "bytes", "created", "kgraph"],
        table_columns=[("data_dir", "data folder"), ("facts", "facts"), ("megabytes", "MB"), ("created", "written")],
        rows=rows,
        caption=caption,
    )


def cache_clear_table(result: CacheClearAnswer) -> Table:
    """One row per removed entry."""
    n = len(result["removed"])
    return Table(
        title=f"kgraph cache clear: {n} entr{'y' if n == 1 else 'ies'} removed from {result['directory']}",
        csv_columns=["file"],
        table_columns=[("name", "removed")],
        rows=[{"file": f, "name": Path(f).name} for f in result["removed"]],
    )
