"""``kgraph view``: the graph as one self-contained, interactive HTML page (Bokeh, inlined, offline).

The page holds BokehJS itself (``bokeh.resources.INLINE``), so it opens from
disk with no network at all. It offers pan, wheel zoom and reset; nodes
coloured by entity type and labelled by name; one edge per direction between
two entities, coloured by polarity, with a clickable arrow at its midpoint;
a search box (names and aliases, case and accents ignored); filters by
relation (sub-relations included) and polarity; and a side panel listing the
facts of the clicked node or edge with their quotes, dates and sources.

Scripts and tests find the Bokeh models by name in the page
(``Bokeh.documents[0].get_model_by_name(name)``): ``kgraph-plot``,
``kgraph-nodes`` and ``kgraph-edges`` (the data sources), ``kgraph-facts-data``
(one row per fact), ``kgraph-search``, ``kgraph-polarity``,
``kgraph-relations``, ``kgraph-orphans``, ``kgraph-facts`` (the side panel),
``kgraph-note``, and the renderers ``kgraph-node-glyphs`` and
``kgraph-edge-markers``.

Large graphs are cut to ``max_nodes`` entities (the most connected ones, or
those nearest the entity asked about), and the page says so.

>>> from kgraph import load
>>> html, summary = view_html(load(), "lukashenko")
>>> summary["around"], summary["capped"], html.startswith("<!DOCTYPE html>")
('lukashenko', False, True)
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import defaults
from .errors import MissingDependency

if TYPE_CHECKING:
    from .knowledge import KnowledgeGraph
    from .model import Fact

__all__ = ["DEFAULT_MAX_NODES", "DEFAULT_OUTPUT", "INSTALL", "view_html", "write_view"]

DEFAULT_MAX_NODES = defaults.VIEW_MAX_NODES  # these two: in kgraph.defaults, which the CLI shares
DEFAULT_OUTPUT = defaults.VIEW_OUTPUT
INSTALL = "pip install 'kgraph[view]'"
# The dense force layout of networkx needs only numpy (a Bokeh dependency); from 500 nodes on it needs SciPy.
_DENSE_LAYOUT_LIMIT = 499
_MAX_NODES_LIMIT = defaults.VIEW_MAX_NODES_LIMIT


def _require_bokeh() -> None:
    """MissingDependency naming the extra to install, when Bokeh is not there."""
    try:
        import bokeh  # noqa: F401
    except ImportError as e:
        raise MissingDependency(f"kgraph view needs Bokeh, which is not installed: {INSTALL}") from e


# -- what to show (plain data) ---------------------------------------------------


def _scene(
    kg: KnowledgeGraph, around: str | None, depth: int, relations: Sequence[str] | None, max_nodes: int
) -> tuple[list[str], list[Fact], dict[str, Any]]:
    """The entity ids and facts to draw, and a summary saying what was left out."""
    from .query import fact_order
    from .selection import degree, neighbourhood

    sel = neighbourhood(
        kg,
        center=around,
        depth=depth,
        relations=relations,
        max_nodes=max_nodes,
        max_nodes_limit=_MAX_NODES_LIMIT,
        command="view",
    )
    deg = degree(sel.kg)
    nodes = sorted(sel.kg.entities, key=lambda e: (-deg.get(e, 0), e))
    facts = sorted(sel.kg.facts, key=fact_order)
    note = None
    if sel.capped:
        note = (
            f"Showing {sel.note}, and the {len(facts):,} of {sel.total_facts:,} facts among them "
            f"(kgraph view --max-nodes N, or name an entity to see its neighbourhood)."
        )
    summary = {
        "around": sel.center,
        "depth": depth if sel.center is not None else None,
        "entities": len(nodes),
        "facts": len(facts),
        "total_entities": sel.total_entities,
        "total_facts": sel.total_facts,
        "capped": sel.capped,
        "note": note,
    }
    return nodes, facts, summary


def _positions(nodes: list[str], facts: list[Fact], labels: dict[str, str]) -> dict[str, tuple[float, float]]:
    """A deterministic force layout (fixed seed), its crowded centre spread out; about [-1, 1].

    Force layouts pack the hubs of a news graph (a few countries and leaders
    in most facts) into the middle and stretch chains of minor entities far
    out; taking each node's distance from the centre to the power 0.65 gives
    the middle room for its labels and pulls the chains in.
    """
    import networkx as nx

    if not nodes:
        return {}
    g = nx.Graph()
    g.add_nodes_from(nodes)
    g.add_edges_from((f.subject, f.object) for f in facts if f.subject != f.object)
    if len(nodes) > _DENSE_LAYOUT_LIMIT:
        import importlib.util

        if importlib.util.find_spec("scipy") is None:
            raise MissingDependency(
                f"laying out more than {_DENSE_LAYOUT_LIMIT} entities needs SciPy (pip install scipy); "
                f"or use --max-nodes {_DENSE_LAYOUT_LIMIT} or less"
            )
    n = max(len(nodes), 1)
    best: tuple[int, dict[str, tuple[float, float]]] | None = None
    # small graphs: the seed (of a fixed few) whose layout overlaps the fewest labels
    for seed in _SEEDS if n <= 80 else _SEEDS[:1]:
        pos = _spread(nx.spring_layout(g, k=1.6 / math.sqrt(n), seed=seed, iterations=300 if n <= 100 else 80))
        clashes = _clashes(pos, labels) if n <= 80 else 0
        if best is None or clashes < best[0]:
            best = (clashes, pos)
    if best is None:
        return {}
    return _declutter(best[1], labels) if n <= 80 and best[0] else best[1]


_SEEDS = (7, 1, 2, 3, 4, 5, 6, 8)


def _spread(pos: dict[str, Any]) -> dict[str, tuple[float, float]]:
    """Each node's distance from the centre to the power 0.65."""
    if not pos:
        return {}
    cx = sum(float(p[0]) for p in pos.values()) / len(pos)
    cy = sum(float(p[1]) for p in pos.values()) / len(pos)
    out: dict[str, tuple[float, float]] = {}
    for e, p in pos.items():
        dx, dy = float(p[0]) - cx, float(p[1]) - cy
        r = math.hypot(dx, dy)
        scale = r**-0.35 if r > 0 else 0.0
        out[e] = (round(dx * scale, 5), round(dy * scale, 5))
    return out


def _boxes(pos: dict[str, tuple[float, float]], labels: dict[str, str]) -> tuple[float, list[list[float]]]:
    """The pixels per unit of an 800-pixel-wide plot, and each node's box with its label under it (a rough guess)."""
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    scale = 800 / max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)
    boxes = []
    for e, (x, y) in pos.items():
        half = max(len(labels.get(e, e)) * 3.2, 10)
        px, py = x * scale, -y * scale
        boxes.append([px - half, py - 10, px + half, py + 26])
    return scale, boxes


def _declutter(pos: dict[str, tuple[float, float]], labels: dict[str, str]) -> dict[str, tuple[float, float]]:
    """Push apart nodes whose labels overlap, a little at a time, along the axis where they overlap least."""
    scale, boxes = _boxes(pos, labels)
    for _ in range(60):
        moved = False
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                ox = min(a[2], b[2]) - max(a[0], b[0])
                oy = min(a[3], b[3]) - max(a[1], b[1])
                if ox <= 0 or oy <= 0:
                    continue
                moved = True
                if oy < ox:  # vertical nudge, a half each
                    d = (oy / 2 + 1) * (1 if a[1] <= b[1] else -1)
                    a[1] -= d
                    a[3] -= d
                    b[1] += d
                    b[3] += d
                else:
                    d = (ox / 2 + 1) * (1 if a[0] <= b[0] else -1)
                    a[0] -= d
                    a[2] -= d
                    b[0] += d
                    b[2] += d
        if not moved:
            break
    return {
        e: (round((bx[0] + bx[2]) / 2 / scale, 5), round(-(bx[1] + 10) / scale, 5))
        for e, bx in zip(pos, boxes, strict=True)
    }


def _clashes(pos: dict[str, tuple[float, float]], labels: dict[str, str]) -> int:
    """How many pairs of nodes with their labels would overlap in an 800-pixel-wide plot (a rough guess)."""
    _, boxes = _boxes(pos, labels)
    return sum(
        1
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
    )


# -- the page ---------------------------------------------------------------------


def _title(kg: KnowledgeGraph, summary: dict[str, Any], title: str | None) -> str:
    if title:
        return title
    if summary["around"] is not None:
        return f"kgraph: around {kg.entities[summary['around']].name} (depth {summary['depth']})"
    return "kgraph: the whole graph"


def view_html(
    kg: KnowledgeGraph,
    around: str | None = None,
    *,
    depth: int = 1,
    relations: Sequence[str] | None = None,
    max_nodes: int = DEFAULT_MAX_NODES,
    title: str | None = None,
) -> tuple[str, dict[str, Any]]:
    """The interactive page for ``kg`` (or ``around``'s neighbourhood), and a summary of what it shows.

    ``around``/``depth``/``relations`` choose the part as for exports
    (:func:`kgraph.exporters.select`); at most ``max_nodes`` entities are
    drawn. The summary: ``around``, ``depth``, ``entities``, ``facts``,
    ``edges``, ``total_entities``, ``total_facts``, ``capped``, ``note`` (the
    cap message or None), ``title``. Raises MissingDependency without Bokeh.
    """
    _require_bokeh()
    from bokeh.embed import file_html
    from bokeh.resources import INLINE

    from .viewpage.document import document

    nodes, facts, summary = _scene(kg, around, depth, relations, max_nodes)
    page_title = _title(kg, summary, title)
    pos = _positions(nodes, facts, {e: kg.entities[e].name for e in nodes})
    root = document(kg, nodes, facts, pos, summary, page_title)
    html: str = file_html(root, resources=INLINE, title=page_title)
    summary["edges"] = len({(f.subject, f.object) for f in facts})
    summary["title"] = page_title
    return html, summary


def write_view(
    kg: KnowledgeGraph,
    path: str | os.PathLike[str],
    around: str | None = None,
    **options: Any,
) -> dict[str, Any]:
    """Write :func:`view_html` to ``path`` atomically; the summary gains ``path``, ``bytes`` and ``seconds``."""
    from .atomic import write_bytes

    started = time.perf_counter()
    html, summary = view_html(kg, around, **options)
    data = html.encode("utf-8")
    target = Path(os.fspath(path))
    write_bytes(target, data)
    summary.update(path=str(target), bytes=len(data), seconds=round(time.perf_counter() - started, 3))
    return summary
