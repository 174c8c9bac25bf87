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

_POLARITIES = ((1, "cooperative"), (-1, "conflictual"), (0, "neutral"))
_MIXED_COLOUR = "#e39b00"  # an edge whose shown facts differ in polarity


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


# -- the Bokeh document ----------------------------------------------------------


def _edge_colour(polarities: set[int]) -> str:
    """An edge's colour: its facts' polarity; neutral facts give way to others; both signs: mixed."""
    from .palette import hex_colour, polarity_colour

    signed = {p for p in polarities if p in (1, -1)}
    if len(signed) > 1:
        return _MIXED_COLOUR
    return hex_colour(polarity_colour(signed.pop() if signed else 0))


def _edge_alpha(edges: int) -> float:
    """Edges fade as they grow many, so that the nodes stay visible."""
    return 0.8 if edges <= 300 else 0.35


def _node_size(deg: int, most: int) -> float:
    """A node's diameter in pixels: by its share of the busiest node's facts, 12 to 38."""
    return round(12 + 26 * math.sqrt(deg / most), 1) if most else 12.0


_LABELLED = 80  # in larger graphs only the most connected nodes carry a label (the others show it on hover)


def _columns(
    kg: KnowledgeGraph, nodes: list[str], facts: list[Fact], pos: dict[str, tuple[float, float]]
) -> tuple[dict[str, list[Any]], dict[str, list[Any]], dict[str, list[Any]], list[str], list[int]]:
    """Columns of the node, edge and fact sources, and the folded search keys with their node rows."""
    node_cols = _node_columns(kg, nodes, facts, pos)
    edge_cols, edge_of = _edge_columns(kg, facts, pos)
    fact_cols = _fact_columns(kg, facts, edge_of)
    keys = _search_keys(kg, nodes)
    return node_cols, edge_cols, fact_cols, list(keys), list(keys.values())


def _table(names: str) -> dict[str, list[Any]]:
    """Empty columns of the given (space-separated) names, in that order."""
    return {k: [] for k in names.split()}


def _add_row(cols: dict[str, list[Any]], **values: Any) -> None:
    for key, value in values.items():
        cols[key].append(value)


def _node_columns(
    kg: KnowledgeGraph, nodes: list[str], facts: list[Fact], pos: dict[str, tuple[float, float]]
) -> dict[str, list[Any]]:
    """One row per entity: where and how big it is drawn, its colour, label and what its tooltip shows."""
    from .palette import entity_colour, hex_colour

    deg = dict.fromkeys(nodes, 0)
    for f in facts:
        deg[f.subject] += 1
        deg[f.object] += 1
    cols = _table("id name type x y size color degree aliases description label_offset label")
    most = max(deg.values(), default=0)
    for rank, e in enumerate(nodes):
        ent = kg.entities[e]
        size = _node_size(deg[e], most)
        _add_row(
            cols,
            label=ent.name if rank < _LABELLED else "",
            id=e,
            name=ent.name,
            type=ent.type,
            x=pos[e][0],
            y=pos[e][1],
            size=size,
            color=hex_colour(entity_colour(ent.type)),
            degree=deg[e],
            aliases=", ".join(ent.aliases),
            description=ent.description,
            label_offset=size / 2 + 2,
        )
    return cols


def _edge_columns(
    kg: KnowledgeGraph, facts: list[Fact], pos: dict[str, tuple[float, float]]
) -> tuple[dict[str, list[Any]], list[int]]:
    """One row per (subject, object) with facts: its curve, arrow, colour and facts; and each fact's edge row."""
    pairs: dict[tuple[str, str], list[int]] = {}
    for i, f in enumerate(facts):
        pairs.setdefault((f.subject, f.object), []).append(i)
    edge_of = [0] * len(facts)
    cols = _table(
        "subject object label x0 y0 x1 y1 cx cy mx my angle color base_color width count shown relations facts alpha"
    )
    for j, ((s, o), rows) in enumerate(sorted(pairs.items())):
        for r in rows:
            edge_of[r] = j
        geometry = _edge_geometry(pos[s], pos[o], loop=s == o, both_ways=(o, s) in pairs)
        colour = _edge_colour({facts[r].polarity for r in rows})
        rels = sorted({facts[r].relation for r in rows})
        _add_row(
            cols,
            subject=s,
            object=o,
            label=f"{kg.entities[s].name} → {kg.entities[o].name}",
            **{key: round(value, 5) for key, value in geometry.items()},
            color=colour,
            base_color=colour,
            width=round(min(1.6 + 0.9 * (len(rows) - 1), 6.0), 1),
            count=len(rows),
            shown=len(rows),
            relations=", ".join(kg.relations[r].label for r in rels),
            facts=rows,
            alpha=_edge_alpha(len(pairs)),
        )
    return cols, edge_of


def _edge_geometry(
    start: tuple[float, float], end: tuple[float, float], *, loop: bool, both_ways: bool
) -> dict[str, float]:
    """An edge's curve (ends and control point) and its arrow marker (middle point and angle).

    Edges in both directions between two entities bend each to its right, apart;
    a self-loop is only a marker just above the node.
    """
    (x0, y0), (x1, y1) = start, end
    dx, dy = x1 - x0, y1 - y0
    if loop or math.hypot(dx, dy) == 0:
        cx, cy, mx, my, angle = x0, y0, x0, y0 + 0.06, 0.0
    else:
        bend = 0.12 if both_ways else 0.0
        cx = (x0 + x1) / 2 + bend * dy
        cy = (y0 + y1) / 2 - bend * dx
        mx, my = 0.25 * x0 + 0.5 * cx + 0.25 * x1, 0.25 * y0 + 0.5 * cy + 0.25 * y1
        angle = math.atan2(dy, dx) - math.pi / 2  # a triangle marker points up at angle 0
    return {"x0": x0, "y0": y0, "x1": x1, "y1": y1, "cx": cx, "cy": cy, "mx": mx, "my": my, "angle": angle}


def _fact_columns(kg: KnowledgeGraph, facts: list[Fact], edge_of: list[int]) -> dict[str, list[Any]]:
    """One row per fact: what the facts panel shows of it, the relations it falls under, and its edge row."""
    cols = _table(
        "id subject object relation relation_id polarity when quote source url according_to qualifiers rels edge"
    )
    for i, f in enumerate(facts):
        src = kg.sources.get(f.source)
        according_to = f.according_to if f.according_to and f.according_to in kg.entities else None
        _add_row(
            cols,
            id=f.id,
            subject=kg.entities[f.subject].name,
            object=kg.entities[f.object].name,
            relation=kg.relations[f.relation].label if f.relation in kg.relations else f.relation,
            relation_id=f.relation,
            polarity=f.polarity if f.polarity in (1, -1) else 0,
            when=f.when or "",
            quote=f.quote,
            source=src.title if src is not None else f.source,
            url=(src.url or "") if src is not None else "",
            according_to=kg.entities[according_to].name if according_to else "",
            qualifiers="; ".join(f"{k}: {v}" for k, v in f.qualifiers),
            rels=list(kg.ancestors(f.relation)),
            edge=edge_of[i],
        )
    return cols


def _search_keys(kg: KnowledgeGraph, nodes: list[str]) -> dict[str, int]:
    """Every folded id, name and alias of the shown entities → the entity's node row (ids win, as in kgraph)."""
    from .resolve import fold

    keys: dict[str, int] = {}
    for i, e in enumerate(nodes):
        ent = kg.entities[e]
        for name in (ent.name, *ent.aliases):
            keys.setdefault(fold(name), i)
    for i, e in enumerate(nodes):
        keys[fold(e)] = i
    keys.pop("", None)
    return keys


_JS_FILTER = "apply_filters(); show_panel();"
_JS_SELECT = "apply_filters(); show_panel();"
_JS_SEARCH = "run_search();"


def page_resource(name: str) -> str:
    """A file of the page's resources (``page.js``, ``page.css`` in ``kgraph/viewpage``), as text."""
    from importlib.resources import files

    return files("kgraph").joinpath("viewpage", name).read_text(encoding="utf-8")


def _title(kg: KnowledgeGraph, summary: dict[str, Any], title: str | None) -> str:
    if title:
        return title
    if summary["around"] is not None:
        return f"kgraph: around {kg.entities[summary['around']].name} (depth {summary['depth']})"
    return "kgraph: the whole graph"


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
    )


def _document(kg: KnowledgeGraph, nodes: list[str], facts: list[Fact], summary: dict[str, Any], title: str) -> Any:
    """The Bokeh layout: the plot, the sidebar with search, filters and the facts panel.

    The models are made in a fixed order (the page's model ids follow it), and
    the sidebar's widgets and the data sources reach the page's JavaScript as
    one object ``m`` (see ``viewpage/page.js``).
    """
    from bokeh.layouts import column, row
    from bokeh.models import InlineStyleSheet

    pos = _positions(nodes, facts, {e: kg.entities[e].name for e in nodes})
    node_cols, edge_cols, fact_cols, keys, rows = _columns(kg, nodes, facts, pos)
    n_edges = len(edge_cols["count"])
    css = InlineStyleSheet(css=page_resource("page.css"))
    data = _data_models(node_cols, edge_cols, fact_cols)
    p = _plot(data, n_edges)
    _type_legend(p, node_cols["type"])
    controls = _controls(kg, nodes, facts)
    texts = _texts(summary, title, n_edges, css)
    models = {
        **{k: data[k] for k in ("nodes", "edges", "facts", "node_filter", "edge_filter")},
        **controls,
        **{k: texts[k] for k in ("panel", "status")},
        **{k: data[k] for k in ("x_range", "y_range")},
        "keys": keys,
        "rows": rows,
        "hint": _HINT,
        "mixed_colour": _MIXED_COLOUR,
        "edge_alpha": _edge_alpha(n_edges),
        "pol_colours": _polarity_colours(),
    }
    _connect(models)
    sidebar = column(
        texts["head"],
        texts["note"],
        controls["search"],
        texts["pol_title"],
        controls["polarity"],
        controls["relations"],
        controls["orphans"],
        texts["status"],
        texts["panel"],
        width=400,
        sizing_mode="stretch_height",
        styles={"padding": "10px 12px", "background": "#ffffff"},
        name="kgraph-sidebar",
    )
    return row(sidebar, p, sizing_mode="stretch_both", name="kgraph-page")


_HINT = (
    '<p class="kg-hint">Click a node or an edge’s arrow to see its facts, with quotes and sources. '
    "Scroll to zoom, drag to pan.</p>"
)


def _polarity_colours() -> dict[str, str]:
    from .palette import hex_colour, polarity_colour

    return {str(v): hex_colour(polarity_colour(v)) for v, _ in _POLARITIES}


def _data_models(
    node_cols: dict[str, list[Any]], edge_cols: dict[str, list[Any]], fact_cols: dict[str, list[Any]]
) -> dict[str, Any]:
    """The data sources, the filters that hide rows of them, and the plot's ranges, by their name in ``m``."""
    from bokeh.models import ColumnDataSource, DataRange1d, IndexFilter

    return {
        "nodes": ColumnDataSource(node_cols, name="kgraph-nodes"),
        "edges": ColumnDataSource(edge_cols, name="kgraph-edges"),
        "facts": ColumnDataSource(fact_cols, name="kgraph-facts-data"),
        "node_filter": IndexFilter(indices=list(range(len(node_cols["id"]))), name="kgraph-node-filter"),
        "edge_filter": IndexFilter(indices=list(range(len(edge_cols["count"]))), name="kgraph-edge-filter"),
        "x_range": DataRange1d(range_padding=0.12, name="kgraph-x-range"),
        "y_range": DataRange1d(range_padding=0.12, name="kgraph-y-range"),
    }


def _plot(data: dict[str, Any], n_edges: int) -> Any:
    """The figure: curved edges with an arrow at their middle, the nodes, their labels, and the tools."""
    from bokeh.models import HoverTool, TapTool
    from bokeh.plotting import figure

    p = figure(
        name="kgraph-plot",
        sizing_mode="stretch_both",
        min_width=500,
        min_height=400,
        tools="pan,wheel_zoom,box_zoom,reset,save",
        active_scroll="wheel_zoom",
        active_drag="pan",
        match_aspect=True,
        x_range=data["x_range"],
        y_range=data["y_range"],
        toolbar_location="above",
        background_fill_color="#fbfbf8",
        border_fill_color="#ffffff",
        outline_line_color="#dddddd",
    )
    p.toolbar.logo = None
    p.axis.visible = False
    p.grid.visible = False
    markers = _edges(p, data, n_edges)
    circles = _nodes(p, data)
    p.add_tools(
        HoverTool(renderers=[circles], tooltips=[("", "@name"), ("type", "@type"), ("facts", "@degree")]),
        HoverTool(
            renderers=[markers], tooltips=[("", "@label"), ("facts", "@shown of @count"), ("relations", "@relations")]
        ),
        TapTool(renderers=[circles, markers]),
    )
    return p


def _edges(p: Any, data: dict[str, Any], n_edges: int) -> Any:
    """Draw the edges (lines, then the arrow markers one clicks); returns the markers' renderer."""
    from bokeh.models import CDSView

    lines = p.quadratic(
        x0="x0",
        y0="y0",
        x1="x1",
        y1="y1",
        cx="cx",
        cy="cy",
        source=data["edges"],
        view=CDSView(filter=data["edge_filter"]),
        line_color="color",
        line_width="width",
        line_alpha="alpha",
        name="kgraph-edge-lines",
    )
    lines.nonselection_glyph = None
    lines.selection_glyph = None
    markers = p.scatter(
        x="mx",
        y="my",
        source=data["edges"],
        view=CDSView(filter=data["edge_filter"]),
        marker="triangle",
        size=13 if n_edges <= 300 else 8,
        angle="angle",
        fill_color="color",
        line_color="#ffffff",
        line_width=1,
        fill_alpha=1.0,
        name="kgraph-edge-markers",
    )
    markers.selection_glyph = markers.glyph.clone(line_color="#111111", line_width=2.5, size=17)
    markers.nonselection_glyph = markers.glyph.clone(fill_alpha=0.45)
    return markers


def _nodes(p: Any, data: dict[str, Any]) -> Any:
    """Draw the nodes and their labels; the ranges fit the nodes. Returns the nodes' renderer."""
    from bokeh.models import CDSView

    circles = p.scatter(
        x="x",
        y="y",
        source=data["nodes"],
        view=CDSView(filter=data["node_filter"]),
        size="size",
        fill_color="color",
        line_color="#ffffff",
        line_width=1.5,
        name="kgraph-node-glyphs",
    )
    circles.selection_glyph = circles.glyph.clone(line_color="#111111", line_width=3.5)
    circles.nonselection_glyph = circles.glyph.clone(fill_alpha=0.4, line_alpha=0.4)
    label_style: dict[str, Any] = {  # (Bokeh's type hints for text() lack the background properties)
        "y_offset": "label_offset",
        "text_align": "center",
        "text_baseline": "top",
        "text_font_size": "11px",
        "text_color": "#222222",
        "background_fill_color": "#ffffff",
        "background_fill_alpha": 0.75,
        "padding": 1,
    }
    labels = p.text(
        x="x",
        y="y",
        text="label",
        source=data["nodes"],
        view=CDSView(filter=data["node_filter"]),
        name="kgraph-labels",
        **label_style,
    )
    fit: list[Any] = [circles]  # the ranges fit the nodes (the edges lie between them)
    data["x_range"].renderers = fit
    data["y_range"].renderers = fit
    labels.selection_glyph = labels.glyph.clone(text_font_style="bold")
    labels.nonselection_glyph = labels.glyph.clone(text_alpha=0.55)
    return circles


def _type_legend(p: Any, types: list[str]) -> None:
    """The legend of entity types, most frequent first, with their counts.

    One sample per type, drawn from a point at NaN (nowhere): a legend grouped
    by the node renderer's own "type" column loses its samples when the page
    re-lays out while the node view is filtered.
    """
    from bokeh.models.annotations import Legend, LegendItem

    from .palette import entity_colour, hex_colour

    type_counts: dict[str, int] = {}
    for t in types:
        type_counts[t] = type_counts.get(t, 0) + 1
    items = []
    for t in sorted(type_counts, key=lambda t: (-type_counts[t], t)):
        sample = p.scatter(
            x=[math.nan],
            y=[math.nan],
            size=11,
            fill_color=hex_colour(entity_colour(t)),
            line_color="#ffffff",
            line_width=1.5,
        )
        samples: list[Any] = [sample]
        items.append(LegendItem(label=f"{t} ({type_counts[t]})", renderers=samples))
    legend = Legend(
        items=items,
        title="entity type",
        label_text_font_size="11px",
        title_text_font_size="11px",
        location="top_left",
        border_line_color="#dddddd",
    )
    p.add_layout(legend, "right")


def _controls(kg: KnowledgeGraph, nodes: list[str], facts: list[Fact]) -> dict[str, Any]:
    """The filters (polarity, relations, orphans) and the search box, by their name in ``m``."""
    from bokeh.models.widgets import AutocompleteInput, Checkbox, CheckboxGroup, MultiChoice

    counts = {v: sum(1 for f in facts if (f.polarity if f.polarity in (1, -1) else 0) == v) for v, _ in _POLARITIES}
    polarity = CheckboxGroup(
        labels=[f"{label} ({counts[v]})" for v, label in _POLARITIES],
        active=[0, 1, 2],
        inline=True,
        name="kgraph-polarity",
    )
    relations = MultiChoice(
        options=_relation_options(kg, facts),
        value=[],
        placeholder="all relations (choose to restrict)",
        title="Relations (sub-relations included)",
        name="kgraph-relations",
        sizing_mode="stretch_width",
    )
    orphans = Checkbox(label="hide entities left without facts", active=True, name="kgraph-orphans")
    completions = sorted(
        {n for e in nodes for n in (kg.entities[e].name, *kg.entities[e].aliases)}, key=lambda n: (len(n), n.casefold())
    )
    search = AutocompleteInput(
        completions=completions,
        placeholder="Search an entity (name or alias), Enter",
        title="Find",
        case_sensitive=False,
        restrict=False,
        min_characters=2,
        search_strategy="includes",
        name="kgraph-search",
        sizing_mode="stretch_width",
    )
    return {"polarity": polarity, "relations": relations, "orphans": orphans, "search": search}


def _relation_options(kg: KnowledgeGraph, facts: list[Fact]) -> list[str | tuple[str, str]]:
    """The relation filter's choices: every relation the facts have or fall under, with its number of facts."""
    relation_counts: dict[str, int] = {}
    for f in facts:
        for r in kg.ancestors(f.relation):
            relation_counts[r] = relation_counts.get(r, 0) + 1

    def label(r: str) -> str:
        return kg.relations[r].label if r in kg.relations else r

    return [(r, f"{label(r)} ({relation_counts[r]})") for r in sorted(relation_counts, key=label)]


def _texts(summary: dict[str, Any], title: str, n_edges: int, css: Any) -> dict[str, Any]:
    """The sidebar's text blocks: the facts panel, the status line, the title, the cap's note, the polarity key."""
    from bokeh.models.widgets import Div

    from .palette import hex_colour, polarity_colour

    panel = Div(
        text=f'<div class="kg-panel">{_HINT}</div>',
        name="kgraph-facts",
        stylesheets=[css],
        sizing_mode="stretch_both",
        styles={"overflow-y": "auto", "border-top": "1px solid #e5e5e5", "padding-top": "6px"},
    )
    status = Div(text="", name="kgraph-status", stylesheets=[css])
    swatches = [(hex_colour(polarity_colour(v)), label) for v, label in _POLARITIES] + [
        (_MIXED_COLOUR, "mixed (cooperative and conflictual)")
    ]
    legend_html = "".join(f'<span><i style="background:{c}"></i>{label}</span>' for c, label in swatches)
    sub = f"{summary['entities']} entities, {n_edges} edges, {summary['facts']} facts"
    head = Div(
        text=f"<h1>{_escape(title)}</h1><p class='kg-sub'>{_escape(sub)}</p>", stylesheets=[css], name="kgraph-title"
    )
    note = Div(
        text=f'<div class="kg-note">{_escape(summary["note"])}</div>' if summary["note"] else "",
        name="kgraph-note",
        stylesheets=[css],
        visible=bool(summary["note"]),
    )
    pol_title = Div(text=f'<div class="kg-legend"><b>Polarity</b> &nbsp;{legend_html}</div>', stylesheets=[css])
    return {"panel": panel, "status": status, "head": head, "note": note, "pol_title": pol_title}


def _connect(models: dict[str, Any]) -> None:
    """Run the page's JavaScript when a filter, the selection or the search box changes."""
    from bokeh.models import CustomJS

    # one object `m` carries the models, so the shared functions of page.js need no arguments
    prefix = "const m = {" + ", ".join(f"{k}: {k}" for k in models) + "};\n" + page_resource("page.js")
    on_filter = CustomJS(args=models, code=prefix + _JS_FILTER)
    on_select = CustomJS(args=models, code=prefix + _JS_SELECT)
    on_search = CustomJS(args=models, code=prefix + _JS_SEARCH)
    models["polarity"].js_on_change("active", on_filter)
    models["relations"].js_on_change("value", on_filter)
    models["orphans"].js_on_change("active", on_filter)
    models["nodes"].selected.js_on_change("indices", on_select)
    models["edges"].selected.js_on_change("indices", on_select)
    models["search"].js_on_change("value", on_search)


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

    nodes, facts, summary = _scene(kg, around, depth, relations, max_nodes)
    page_title = _title(kg, summary, title)
    root = _document(kg, nodes, facts, summary, page_title)
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
