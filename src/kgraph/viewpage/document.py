"""The ``kgraph view`` page as a Bokeh document: the plot, the sidebar (search, filters, facts panel) and its code.

:func:`document` builds it from the entities and facts to show and their
positions (laid out by :mod:`kgraph.view`). The data go into three column
sources (nodes, edges, facts); the page's behaviour is ``page.js`` and its
look ``page.css`` (files beside this module), run in the browser by Bokeh
callbacks that receive the models as one object ``m``.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..knowledge import KnowledgeGraph
    from ..model import Fact

__all__ = ["document", "page_resource"]

_POLARITIES = ((1, "cooperative"), (-1, "conflictual"), (0, "neutral"))
_MIXED_COLOUR = "#e39b00"  # an edge whose shown facts differ in polarity


def _edge_colour(polarities: set[int]) -> str:
    """An edge's colour: its facts' polarity; neutral facts give way to others; both signs: mixed."""
    from ..palette import hex_colour, polarity_colour

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
    from ..palette import entity_colour, hex_colour

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
    from ..resolve import fold

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

    return files(__package__ or "kgraph.viewpage").joinpath(name).read_text(encoding="utf-8")


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
    )


def document(
    kg: KnowledgeGraph,
    nodes: list[str],
    facts: list[Fact],
    pos: dict[str, tuple[float, float]],
    summary: dict[str, Any],
    title: str,
) -> Any:
    """The Bokeh layout: the plot, the sidebar with search, filters and the facts panel.

    The models are made in a fixed order (the page's model ids follow it), and
    the sidebar's widgets and the data sources reach the page's JavaScript as
    one object ``m`` (see ``viewpage/page.js``).
    """
    from bokeh.layouts import column, row
    from bokeh.models import InlineStyleSheet

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
    from ..palette import hex_colour, polarity_colour

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

    from ..palette import entity_colour, hex_colour

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

    from ..palette import hex_colour, polarity_colour

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
