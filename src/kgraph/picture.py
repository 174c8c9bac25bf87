"""One picture of the graph laid out and drawn on a matplotlib ``Figure`` (for :mod:`kgraph.draw`).

:class:`Picture` makes the figure with its title and legends, then a node
layer (a seeded force-directed layout, each label on the side of its marker
its arrows leave most free, nodes moved apart until no marker+label boxes
overlap, the labels that still collide left out) and an edge layer (one
arrow per subject, object and polarity, curved apart, labelled where the
label covers nothing; plain lines when there are too many). matplotlib and
numpy are imported only when a picture is drawn.
"""

from __future__ import annotations

import math
import re
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence

    from matplotlib.figure import Figure

    from .knowledge import KnowledgeGraph
    from .selection import Selection

__all__ = ["ARROW_LIMIT", "EDGE_LABEL_LIMIT", "FISHEYE", "POLARITY_NAMES", "SEED", "Picture"]

EDGE_LABEL_LIMIT = 150  # more arrows than this: no edge labels at all (they could not be read)
ARROW_LIMIT = 400  # more than this: plain lines, one per pair and polarity, without arrow heads
SEED = 7

POLARITY_NAMES = {1: "cooperative", -1: "conflictual", 0: "neutral / structural"}


# Characters no picture can hold (SVG is XML 1.0): C0 controls but tab and line breaks, U+FFFE/U+FFFF, surrogates.
_UNDRAWABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _shown(text: str) -> str:
    """Text as a picture shows it: characters XML cannot hold become U+FFFD (a picture is not an export)."""
    return _UNDRAWABLE.sub("\ufffd", text)


def _wrap(name: str, width: int = 20) -> str:
    """A name on lines of about ``width`` characters, broken at spaces only (joined by spaces it is the name)."""
    name = _shown(name)
    lines = textwrap.wrap(" ".join(name.split()), width=width, break_on_hyphens=False, break_long_words=False)
    return "\n".join(lines) or name


def _darker(rgb: tuple[int, int, int], factor: float = 0.75) -> str:
    r, g, b = (int(c * factor) for c in rgb)
    return f"#{r:02x}{g:02x}{b:02x}"


def _spring(n: int, edges: dict[tuple[int, int], int], seed: int, iterations: int = 300) -> Any:
    """Force-directed positions in the unit square (numpy, seeded: deterministic).

    Fruchterman–Reingold, with repulsion growing with the degrees of both
    nodes (as ForceAtlas2 does): hubs get room around them for their
    neighbours' labels, and leaves stay close to their hub.
    """
    import numpy as np

    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2))
    if n <= 1:
        return pos * 0 + 0.5
    adj = np.zeros((n, n))
    for (i, j), w in edges.items():
        adj[i, j] = adj[j, i] = 1.0 + 0.3 * math.log(w)
    deg = (adj > 0).sum(axis=1) + 1.0
    mass = np.sqrt(deg[:, None] * deg[None, :])
    mass /= mass.mean()
    k = math.sqrt(1.0 / n)
    temp = 0.1
    cool = temp / (iterations + 1)
    for _ in range(iterations):
        delta = pos[:, None, :] - pos[None, :, :]
        dist = np.sqrt((delta**2).sum(axis=-1))
        np.clip(dist, 0.01, None, out=dist)
        force = REPULSE * k * k * mass / dist**2 - adj * dist / k
        disp = np.einsum("ijk,ij->ik", delta, force)
        disp -= GRAVITY * (pos - pos.mean(axis=0)) * n * k  # loose parts stay near the middle
        length = np.sqrt((disp**2).sum(axis=1))
        length[length < 1e-9] = 1e-9
        pos += disp * (np.minimum(length, temp) / length)[:, None]
        temp -= cool
    return pos


REPULSE = 1.5
GRAVITY = 0.05
FISHEYE = 0.5


def _separate(pos: Any, box: Any, width: float, height: float, gap: float, rounds: int = 1500) -> bool:
    """Move boxes (x-left, x-right, y-below, y-above around each position) until none overlap.

    Each round pushes every overlapping pair apart along the axis where they
    overlap least, half each; positions stay inside the area. True when no
    two boxes overlap any more.
    """
    import numpy as np

    n = len(pos)
    if n < 2:
        return True
    left, right, below, above = box[:, 0], box[:, 1], box[:, 2], box[:, 3]
    lo_x, hi_x = left, width - right
    lo_y, hi_y = below, height - above
    order = np.arange(n)
    tie = np.where(order[:, None] < order[None, :], -1.0, 1.0)
    for _ in range(rounds):
        x, y = pos[:, 0], pos[:, 1]
        ox = (
            np.minimum(x[:, None] + right[:, None], x[None, :] + right[None, :])
            - np.maximum(x[:, None] - left[:, None], x[None, :] - left[None, :])
            + gap
        )
        oy = (
            np.minimum(y[:, None] + above[:, None], y[None, :] + above[None, :])
            - np.maximum(y[:, None] - below[:, None], y[None, :] - below[None, :])
            + gap
        )
        hit = (ox > 0) & (oy > 0)
        np.fill_diagonal(hit, False)
        if not hit.any():
            return True
        cx = x + (right - left) / 2
        cy = y + (above - below) / 2
        sx = np.sign(cx[:, None] - cx[None, :])
        sy = np.sign(cy[:, None] - cy[None, :])
        sx = np.where(sx == 0, tie, sx)
        sy = np.where(sy == 0, tie, sy)
        along_x = ox <= oy
        move_x = np.where(hit & along_x, sx * ox * 0.5, 0.0).sum(axis=1)
        move_y = np.where(hit & ~along_x, sy * oy * 0.5, 0.0).sum(axis=1)
        counts = np.maximum(hit.sum(axis=1), 1)
        pos[:, 0] = np.clip(x + move_x / np.sqrt(counts), lo_x, hi_x)
        pos[:, 1] = np.clip(y + move_y / np.sqrt(counts), lo_y, hi_y)
    return False


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float], gap: float = 0.0) -> bool:
    """Whether two (x0, x1, y0, y1) boxes overlap (closer than ``gap``)."""
    return a[0] < b[1] + gap and b[0] < a[1] + gap and a[2] < b[3] + gap and b[2] < a[3] + gap


class Picture:
    """One picture being built: the figure with its title and legends, then the nodes, then the arrows."""

    def __init__(
        self, selection: Selection, *, title: str | None, size: tuple[float, float], relations: Sequence[str] | None
    ) -> None:
        self.sel = selection
        self.kg = selection.kg
        self.title = title
        self.size = size
        self.relations = list(relations or [])

    def build(self) -> tuple[Figure, dict[str, Any]]:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        from .records import entity_record
        from .selection import degree

        kg = self.kg
        w_in, h_in = self.size
        # dpi 72 while laying out: one pixel of the renderer is one point, the unit of fonts and of the axes
        fig = Figure(figsize=(w_in, h_in), dpi=72, facecolor="white")
        FigureCanvasAgg(fig)
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        self.fig, self.renderer = fig, renderer
        self.W, self.H = w_in * 72.0, h_in * 72.0
        self.ids = sorted(kg.entities)
        self.deg = degree(kg)
        self.facts = [f for f in kg.facts if f.subject != f.object]
        self.plain_lines = len({(f.subject, f.object, f.polarity) for f in self.facts}) > ARROW_LIMIT
        top = self._title_block()
        legend_w = _legends(fig, renderer, kg, (self.W, self.H), top)
        margin = 10.0
        x0, x1 = margin, self.W - legend_w - 2 * margin
        y0, y1 = margin, self.H - top
        self.aw, self.ah = x1 - x0, y1 - y0
        ax = fig.add_axes((x0 / self.W, y0 / self.H, self.aw / self.W, self.ah / self.H))
        ax.set_xlim(0, self.aw)
        ax.set_ylim(0, self.ah)
        ax.set_autoscale_on(False)
        ax.set_axis_off()
        self.ax = ax
        nodes = _NodeLayer(self)
        hidden = nodes.draw()
        arrows, edge_labels = _EdgeLayer(self, nodes).draw()
        info = {
            "nodes": len(self.ids),
            "facts": len(self.facts),
            "edges": arrows,
            "arrows": not self.plain_lines,
            "center": entity_record(kg, self.sel.center) if self.sel.center else None,
            "entities_selected": self.sel.total_entities,
            "facts_selected": self.sel.total_facts,
            "capped": self.sel.capped,
            "note": self.sel.note,
            "labels_hidden": hidden,
            "edge_labels": edge_labels,
            "self_loops": len(kg.facts) - len(self.facts),
        }
        return fig, info

    # -- title and legends -------------------------------------------------------

    def _default_title(self) -> str:
        kg, sel = self.kg, self.sel
        if sel.center is not None:
            name = kg.entities[sel.center].name
            return f"Around {name}: the entities within {sel.depth} fact{'s' * (sel.depth != 1)}"
        if len(kg.sources) == 1:
            return next(iter(kg.sources.values())).title
        folder = Path(kg.data_dir).name if kg.data_dir else ""
        return f"Knowledge graph {folder}".strip()

    def _title_block(self) -> float:
        """Title and subtitle at the top left; returns the height they take, in points."""
        fig = self.fig
        title = self.title if self.title is not None else self._default_title()
        n_e, n_f = len(self.ids), len(self.facts)
        parts = [f"{n_e:,} entit{'ies' if n_e != 1 else 'y'}, {n_f:,} fact{'s' * (n_f != 1)}"]
        if self.sel.capped:
            parts.append(f"showing {self.sel.note}")
        if self.relations:
            parts.append("relations: " + ", ".join(self.relations) + " (and sub-relations)")
        if self.plain_lines:
            parts.append("too many facts for arrows: one line per pair of entities and polarity")
        else:
            parts.append("arrows point from subject to object; label: relation ×facts")
        fig.text(
            12 / self.W,
            1 - 10 / self.H,
            _shown(title),
            fontsize=13,
            fontweight="bold",
            va="top",
            ha="left",
            color="#1a1a1a",
            parse_math=False,
            wrap=False,
        )
        fig.text(
            12 / self.W,
            1 - 30 / self.H,
            _shown(" · ".join(parts)),
            fontsize=8,
            va="top",
            ha="left",
            color="#555555",
            parse_math=False,
        )
        return 48.0


def _legends(fig: Figure, renderer: Any, kg: KnowledgeGraph, size: tuple[float, float], top: float) -> float:
    """The entity-type and polarity legends in a column on the right; returns its width in points.

    ``size`` is the figure's (width, height) in points; ``top`` the height of the title block.
    """
    from matplotlib.lines import Line2D

    from .palette import entity_colour, hex_colour, polarity_colour

    counts: dict[str, int] = {}
    for e in kg.entities.values():
        counts[e.type] = counts.get(e.type, 0) + 1
    types = sorted(counts, key=lambda t: (-counts[t], t))
    type_handles = [
        Line2D(
            [],
            [],
            linestyle="none",
            marker="o",
            markersize=8,
            markerfacecolor=hex_colour(entity_colour(t)),
            markeredgecolor="white",
            label=f"{_shown(t)} ({counts[t]})",
        )
        for t in types[:20]
    ]
    if len(types) > 20:
        type_handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker="o",
                markersize=8,
                markerfacecolor="#cccccc",
                markeredgecolor="white",
                label=f"{len(types) - 20} more types",
            )
        )
    polarity_handles = [
        Line2D([], [], color=hex_colour(polarity_colour(p)), linewidth=2, label=POLARITY_NAMES[p]) for p in (1, -1, 0)
    ]
    w, h = size
    anchor_x = 1 - 10 / w
    first = fig.legend(
        handles=type_handles,
        loc="upper right",
        bbox_to_anchor=(anchor_x, 1 - top / h),
        frameon=False,
        fontsize=8,
        title="Entity type",
        title_fontsize=9,
        alignment="left",
        handletextpad=0.4,
        borderaxespad=0.0,
    )
    box1 = first.get_window_extent(renderer)
    second = fig.legend(
        handles=polarity_handles,
        loc="upper right",
        bbox_to_anchor=(anchor_x, (box1.y0 - 12) / h),
        frameon=False,
        fontsize=8,
        title="Facts",
        title_fontsize=9,
        alignment="left",
        handlelength=1.6,
        handletextpad=0.5,
        borderaxespad=0.0,
    )
    for legend in (first, second):
        for text in legend.get_texts():
            text.set_parse_math(False)
    box2 = second.get_window_extent(renderer)
    # both legends end at the same right edge: the column is as wide as the wider one
    return float(max(box1.width, box2.width)) + 10.0


_LABEL_GAP = 1.5  # points between a marker and its label
_SIDES = ("below", "above", "right", "left")  # where a label may sit, in this order of preference
_DIRECTIONS = {"below": (0.0, -1.0), "above": (0.0, 1.0), "right": (1.0, 0.0), "left": (-1.0, 0.0)}

Box = tuple[float, float, float, float]  # (x0, x1, y0, y1), in points from the axes' lower left


class _NodeLayer:
    """The markers and labels of a picture, laid out so that no label overlaps another or another's marker.

    Each label sits on the side of its marker (below, above, right or left)
    that its arrows leave most free, so arrow heads stay visible. After
    :meth:`draw`, ``pos`` and ``radius`` say where each marker is, and
    ``markers`` and ``placed`` the boxes the arrows' labels must not cover.
    """

    def __init__(self, picture: Picture) -> None:
        self.pic = picture
        n = len(picture.ids)
        self.font = 10.0 if n <= 40 else 8.0 if n <= 90 else 7.0
        self.pos: dict[str, tuple[float, float]] = {}  # marker centres, in points from the axes' lower left
        self.radius: dict[str, float] = {}
        self.markers: list[Box] = []  # the box of each marker
        self.placed: list[Box] = []  # the node labels drawn

    def draw(self) -> int:
        """Draw the markers and the labels that fit; returns how many labels were left out (crowded pictures)."""
        import numpy as np

        pic, ids = self.pic, self.pic.ids
        n = len(ids)
        max_deg = max([pic.deg.get(e, 0) for e in ids] + [1])
        scale = 1.0 if n <= 40 else 0.8 if n <= 90 else 0.65
        radius = np.array([(3.5 + 7.5 * math.sqrt(pic.deg.get(e, 0) / max_deg)) * scale for e in ids])
        texts, sizes = self._texts()
        index = {e: i for i, e in enumerate(ids)}
        edges: dict[tuple[int, int], int] = {}
        for f in pic.facts:
            a, b = sorted((index[f.subject], index[f.object]))
            edges[(a, b)] = edges.get((a, b), 0) + 1
        if n == 0:
            pic.ax.text(
                pic.aw / 2,
                pic.ah / 2,
                "nothing to draw: no entity in the selection",
                ha="center",
                va="center",
                fontsize=11,
                color="#555555",
            )
            return 0
        pos = _spread_out(_spring(n, edges, SEED), sizes, radius, pic.aw, pic.ah)
        side = _label_sides(pos, edges)
        box = _reach(side, sizes, radius)
        pos[:, 0] = np.clip(pos[:, 0], box[:, 0], pic.aw - box[:, 1])
        pos[:, 1] = np.clip(pos[:, 1], box[:, 2], pic.ah - box[:, 3])
        _separate(pos, box, pic.aw, pic.ah, gap=3.0)
        self.pos = {e: (float(pos[i, 0]), float(pos[i, 1])) for i, e in enumerate(ids)}
        self.radius = {e: float(radius[i]) for i, e in enumerate(ids)}
        self._markers(pos, radius)
        return self._place_labels(texts, side, pos, radius, sizes)

    def _texts(self) -> tuple[list[Any], Any]:
        """Every node's label, made at the origin to be measured; and each label's (width, height) with its padding."""
        import numpy as np

        from .exporters.xmltext import nmtoken

        pic = self.pic
        pad = 0.15 * self.font  # the white box behind a label
        texts = []
        sizes = np.zeros((len(pic.ids), 2))
        for i, e in enumerate(pic.ids):
            t = pic.ax.text(
                0,
                0,
                _wrap(pic.kg.entities[e].name),
                fontsize=self.font,
                ha="center",
                va="top",
                ma="center",
                color="#1a1a1a",
                zorder=5,
                parse_math=False,
                gid=f"label-{nmtoken(e)}",
                linespacing=1.1,
                bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.8},
            )
            if e == pic.sel.center:
                t.set_fontweight("bold")  # the entity the neighbourhood is drawn around
            ext = t.get_window_extent(pic.renderer)
            sizes[i] = (ext.width + 2 * pad, ext.height + 2 * pad)
            texts.append(t)
        return texts, sizes

    def _markers(self, pos: Any, radius: Any) -> None:
        """The markers: one scatter, coloured by type, drawn above the arrows."""
        from .palette import entity_colour, hex_colour

        pic = self.pic
        colours = [hex_colour(entity_colour(pic.kg.entities[e].type)) for e in pic.ids]
        pic.ax.scatter(
            pos[:, 0], pos[:, 1], s=(2 * radius) ** 2, c=colours, edgecolors="white", linewidths=1.0, zorder=4
        )
        self.markers = [
            (pos[i, 0] - radius[i], pos[i, 0] + radius[i], pos[i, 1] - radius[i], pos[i, 1] + radius[i])
            for i in range(len(pic.ids))
        ]

    def _place_labels(self, texts: list[Any], side: list[str], pos: Any, radius: Any, sizes: Any) -> int:
        """Move each label beside its marker; leave out one that would still touch another label or marker.

        The most connected are placed first, so the least connected are left
        out (the layout only fails to separate labels in very crowded pictures).
        Returns how many were left out.
        """
        pic, ids = self.pic, self.pic.ids
        self.placed = []
        hidden = 0
        for i in sorted(range(len(ids)), key=lambda i: (-pic.deg.get(ids[i], 0), ids[i])):
            lab = _label_box(
                side[i], float(pos[i, 0]), float(pos[i, 1]), float(radius[i]), float(sizes[i, 0]), float(sizes[i, 1])
            )
            clash = any(_overlap(lab, other, 1.0) for other in self.placed) or any(
                _overlap(lab, m) for j, m in enumerate(self.markers) if j != i
            )
            inside = lab[0] >= -1 and lab[1] <= pic.aw + 1 and lab[2] >= -1 and lab[3] <= pic.ah + 1
            if clash or not inside:
                texts[i].remove()
                hidden += 1
                continue
            # the text's own anchor: its box, less the white padding, centred where the label goes
            texts[i].set_horizontalalignment("center")
            texts[i].set_verticalalignment("center")
            texts[i].set_position(((lab[0] + lab[1]) / 2, (lab[2] + lab[3]) / 2))
            self.placed.append(lab)
        return hidden


def _spread_out(unit: Any, sizes: Any, radius: Any, width: float, height: float) -> Any:
    """Positions in the unit square spread over the axes (``width`` × ``height`` points).

    The crowded middle, where the hubs and their labels are, is spread over
    more of the picture (a fisheye); then each axis is scaled on its own,
    leaving room for the largest label at the borders.
    """
    import numpy as np

    n = len(unit)
    if n > 2:
        centre = np.median(unit, axis=0)
        offset = unit - centre
        r = np.sqrt((offset**2).sum(axis=1))
        r_max = r.max() if r.max() > 0 else 1.0
        stretch = np.where(r > 0, (r / r_max) ** FISHEYE * r_max / np.maximum(r, 1e-12), 1.0)
        unit = centre + offset * stretch[:, None]
    pos = np.zeros((n, 2))
    edge_x = float(sizes[:, 0].max() / 2 + radius.max())
    edge_y = float(sizes[:, 1].max() + radius.max() + _LABEL_GAP)
    for axis, extent, margin in ((0, width, edge_x), (1, height, edge_y)):
        lo, hi = unit[:, axis].min(), unit[:, axis].max()
        span = hi - lo if hi > lo else 1.0
        usable = max(extent - 2 * margin, 1.0)
        pos[:, axis] = margin + (unit[:, axis] - lo) / span * usable if n > 1 else extent / 2
    return pos


def _label_sides(pos: Any, edges: dict[tuple[int, int], int]) -> list[str]:
    """Each label's side: the one its arrows point to least (below when all are equal)."""
    neighbours: dict[int, set[int]] = {}
    for a, b in edges:
        neighbours.setdefault(a, set()).add(b)
        neighbours.setdefault(b, set()).add(a)
    return [_freest_side(pos, i, sorted(neighbours.get(i, ()))) for i in range(len(pos))]


def _freest_side(pos: Any, i: int, neighbours: list[int]) -> str:
    """The side of node ``i`` its arrows (to ``neighbours``) crowd least."""
    import numpy as np

    vectors = []
    for j in neighbours:
        d = pos[j] - pos[i]
        norm = float(np.hypot(d[0], d[1]))
        if norm > 0:
            vectors.append(d / norm)

    def crowding(name: str) -> float:
        dx, dy = _DIRECTIONS[name]
        return sum(max(0.0, float(v[0] * dx + v[1] * dy)) ** 2 for v in vectors)

    return min(_SIDES, key=lambda name: (round(crowding(name), 6), _SIDES.index(name)))


def _reach(side: list[str], sizes: Any, radius: Any) -> Any:
    """How far each marker with its label reaches from the marker's centre: (left, right, below, above)."""
    import numpy as np

    box = np.zeros((len(side), 4))
    for i, where in enumerate(side):
        w, h, r = sizes[i, 0], sizes[i, 1], radius[i]
        if where in ("below", "above"):
            hw = max(w / 2, r)
            box[i] = (hw, hw, r + _LABEL_GAP + h, r) if where == "below" else (hw, hw, r, r + _LABEL_GAP + h)
        else:
            hh = max(h / 2, r)
            box[i] = (r, r + _LABEL_GAP + w, hh, hh) if where == "right" else (r + _LABEL_GAP + w, r, hh, hh)
    return box


def _label_box(side: str, x: float, y: float, r: float, w: float, h: float) -> Box:
    """The box of a ``w`` × ``h`` label on ``side`` of the marker of radius ``r`` at (x, y)."""
    gap = _LABEL_GAP
    if side == "below":
        return (x - w / 2, x + w / 2, y - r - gap - h, y - r - gap)
    if side == "above":
        return (x - w / 2, x + w / 2, y + r + gap, y + r + gap + h)
    if side == "right":
        return (x + r + gap, x + r + gap + w, y - h / 2, y + h / 2)
    return (x - r - gap - w, x - r - gap, y - h / 2, y + h / 2)


Curve = tuple[int, str, tuple[float, float], tuple[float, float], float, tuple[str, str, int]]
"""An arrow drawn: (its number of facts, "subject object", start, end, curvature, (subject, object, polarity))."""


class _EdgeLayer:
    """The arrows of a picture, one per (subject, object, polarity), with their relation labels where they fit."""

    def __init__(self, picture: Picture, nodes: _NodeLayer) -> None:
        self.pic, self.nodes = picture, nodes
        self.groups: dict[tuple[str, str, int], list[str]] = {}  # (subject, object, polarity) -> relations
        for f in picture.facts:
            self.groups.setdefault((f.subject, f.object, f.polarity), []).append(f.relation)

    def draw(self) -> tuple[int, int]:
        """Draw the arrows (or plain lines when there are too many); returns (edges, edge labels) drawn."""
        pairs: dict[tuple[str, str], list[tuple[str, str, int]]] = {}
        for key in sorted(self.groups):
            subject, obj, _ = key
            pairs.setdefault((min(subject, obj), max(subject, obj)), []).append(key)
        if self.pic.plain_lines:
            return self._lines(pairs), 0
        curves = self._arrows(pairs)
        if len(curves) > EDGE_LABEL_LIMIT:
            return len(curves), 0
        return len(curves), self._labels(curves)

    def _arrows(self, pairs: dict[tuple[str, str], list[tuple[str, str, int]]]) -> list[Curve]:
        """One arrow per (subject, object, polarity), curved apart when a pair has several."""
        from matplotlib.patches import FancyArrowPatch

        from .palette import hex_colour, polarity_colour

        pos, radius = self.nodes.pos, self.nodes.radius
        curves: list[Curve] = []
        for (a, _b), keys in sorted(pairs.items()):
            n = len(keys)
            for i, key in enumerate(keys):
                offset = 0.0 if n == 1 else max(-0.45, min(0.45, (i - (n - 1) / 2) * 0.3))
                rad = offset if key[0] == a else -offset
                count = len(self.groups[key])
                posa, posb = pos[key[0]], pos[key[1]]
                arrow = FancyArrowPatch(
                    posa,
                    posb,
                    connectionstyle=f"arc3,rad={rad:.3f}",
                    arrowstyle="-|>",
                    mutation_scale=11 + 2 * min(count, 4),
                    linewidth=0.8 + 0.5 * math.log2(count),
                    color=hex_colour(polarity_colour(key[2])),
                    alpha=0.8,
                    shrinkA=radius[key[0]] + 1.0,
                    shrinkB=radius[key[1]] + 1.5,
                    zorder=2,
                )
                self.pic.ax.add_patch(arrow)
                curves.append((count, " ".join(key[:2]), posa, posb, rad, key))
        return curves

    def _labels(self, curves: list[Curve]) -> int:
        """Label the busiest arrows first, each where it covers no marker, node label or other edge label.

        Returns how many labels were drawn.
        """
        from .palette import polarity_colour

        pic = self.pic
        drawn = 0
        taken = list(self.nodes.placed) + list(self.nodes.markers)
        for _count, _, posa, posb, rad, key in sorted(curves, key=lambda c: (-c[0], c[1], c[5][2])):
            t = pic.ax.text(
                0,
                0,
                self._edge_text(self.groups[key]),
                fontsize=max(self.nodes.font - 3.0, 5.5),
                ha="center",
                va="center",
                ma="center",
                color=_darker(polarity_colour(key[2])),
                zorder=3,
                parse_math=False,
                linespacing=1.0,
                bbox={"boxstyle": "round,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.85},
            )
            ext = t.get_window_extent(pic.renderer)
            spot = self._free_spot(posa, posb, rad, ext.width + 2, ext.height + 2, taken)
            if spot is None:
                t.remove()
                continue
            x, y, lab = spot
            t.set_position((x, y))
            taken.append(lab)
            drawn += 1
        return drawn

    def _free_spot(
        self, posa: tuple[float, float], posb: tuple[float, float], rad: float, w: float, h: float, taken: list[Box]
    ) -> tuple[float, float, Box] | None:
        """Where on the arrow's curve a ``w`` × ``h`` label fits (inside the axes, on nothing taken): centre and box.

        Tried from the curve's middle outwards; None when it fits nowhere.
        """
        (xa, ya), (xb, yb) = posa, posb
        cx, cy = (xa + xb) / 2 + rad * (yb - ya), (ya + yb) / 2 - rad * (xb - xa)
        for at in (0.5, 0.4, 0.6, 0.3, 0.7):
            x = (1 - at) ** 2 * xa + 2 * at * (1 - at) * cx + at**2 * xb
            y = (1 - at) ** 2 * ya + 2 * at * (1 - at) * cy + at**2 * yb
            lab = (x - w / 2, x + w / 2, y - h / 2, y + h / 2)
            if lab[0] < 0 or lab[1] > self.pic.aw or lab[2] < 0 or lab[3] > self.pic.ah:
                continue
            if any(_overlap(lab, other, 1.0) for other in taken):
                continue
            return x, y, lab
        return None

    def _lines(self, pairs: dict[tuple[str, str], list[tuple[str, str, int]]]) -> int:
        """Too many arrows to draw one by one: a straight line per pair and polarity, one collection per polarity."""
        from matplotlib.collections import LineCollection

        from .palette import hex_colour, polarity_colour

        segments: dict[int, list[tuple[tuple[float, float], tuple[float, float]]]] = {}
        seen: set[tuple[str, str, int]] = set()
        for (a, b), keys in sorted(pairs.items()):
            for key in keys:
                if (a, b, key[2]) not in seen:
                    seen.add((a, b, key[2]))
                    segments.setdefault(key[2], []).append((self.nodes.pos[a], self.nodes.pos[b]))
        alpha = max(0.08, min(0.5, 60.0 / max(len(seen), 1)))
        for polarity in sorted(segments, key=lambda p: (p != 0, p)):  # neutral below, conflict on top
            self.pic.ax.add_collection(
                LineCollection(
                    segments[polarity],
                    colors=hex_colour(polarity_colour(polarity)),
                    linewidths=0.6,
                    alpha=alpha,
                    zorder=2,
                )
            )
        return len(seen)

    def _edge_text(self, relations: list[str]) -> str:
        """``supports ×3``; several relations one per line, the most frequent first, at most three lines."""
        counts: dict[str, int] = {}
        for r in relations:
            counts[r] = counts.get(r, 0) + 1
        order = sorted(counts, key=lambda r: (-counts[r], r))
        lines = [_shown(self.pic.kg.relations[r].label) + (f" ×{counts[r]}" if counts[r] > 1 else "") for r in order]
        if len(lines) > 3:
            lines = lines[:2] + [f"+{len(lines) - 2} more"]
        return "\n".join(lines)
