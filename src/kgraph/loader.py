"""The loader's entry points, where they have always been imported from.

The loader itself is the :mod:`kgraph.loading` package, one module per
concern; this module re-exports what callers use.
"""

from __future__ import annotations

from .loading.dataset import bundled_data_dir, check, data_dir, load
from .loading.facts import fact_id

__all__ = ["bundled_data_dir", "check", "data_dir", "fact_id", "load"]
