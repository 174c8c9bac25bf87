"""Static pictures of the graph (``kgraph draw``): SVG, PNG or PDF, drawn off-screen with matplotlib.

>>> import io, kgraph
>>> from kgraph.draw import draw
>>> out = io.BytesIO()
>>> drawn = draw(kgraph.load(), out, fmt="svg", center="lukashenko")
>>> drawn["nodes"], drawn["capped"], out.getvalue().startswith(b"<?xml")
(16, False, True)

What a picture shows:

- one marker per entity, coloured by entity type (the colours of the
  exports), sized by its number of facts, labelled by its name (wrapped);
- one arrow per (subject, object, polarity): the parallel facts between
  two entities are drawn once, labelled ``supports ×3`` (several relations:
  one line each, the most frequent first), coloured by polarity; arrows
  between the same two entities (both ways, or of different polarity) are
  curved apart;
- a legend for the entity types and the polarities, and a title.

The layout is deterministic (a seeded force-directed layout, then overlap
removal), so the same data gives the same picture; SVG output is
byte-identical (fixed hash salt, no date) and keeps its text as text. No
two node labels overlap, and no label covers another entity's marker: the
layout moves nodes apart until their marker+label boxes are clear, and if
the picture is too crowded for that, the labels of the least connected
entities that would still collide are left out. An edge label is drawn
only where it covers no node, no label and no other edge label.

Large selections are capped: beyond ``max_nodes`` entities, only the most
connected ones (by number of facts) are drawn, and the picture's subtitle
says so. :func:`kgraph.selection.neighbourhood` makes that selection, as it
does for ``kgraph view``.
"""

from __future__ import annotations

import io
import os
import re
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from . import defaults
from .errors import MissingDependency, UsageError
from .picture import Picture
from .selection import neighbourhood

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from .knowledge import KnowledgeGraph

__all__ = [
    "DEFAULT_DPI",
    "DEFAULT_MAX_NODES",
    "DEFAULT_SIZE",
    "FORMATS",
    "INSTALL",
    "MAX_NODES_LIMIT",
    "draw",
    "figure",
    "format_for",
    "parse_size",
    "render",
    "require_matplotlib",
]

FORMATS = ("svg", "png", "pdf")
INSTALL = "pip install 'kgraph[draw]'"
# defined in kgraph.defaults, which the CLI shares
DEFAULT_MAX_NODES = defaults.DRAW_MAX_NODES
MAX_NODES_LIMIT = defaults.DRAW_MAX_NODES_LIMIT
DEFAULT_SIZE = defaults.DRAW_SIZE
DEFAULT_DPI = defaults.DRAW_DPI

# matplotlib settings for every picture, applied for the duration of one call only
_RC: dict[str, Any] = {
    "svg.fonttype": "none",  # SVG text stays text: names can be searched, selected, read by tests
    "svg.hashsalt": "kgraph",  # fixed ids in the SVG: same data, same bytes
    "pdf.fonttype": 42,  # TrueType in PDF: text stays selectable
    "font.family": "DejaVu Sans",  # ships with matplotlib: the same metrics everywhere
    "text.usetex": False,
    "path.simplify": True,
}
_METADATA: dict[str, dict[str, Any]] = {
    "svg": {"Date": None},
    "pdf": {"CreationDate": None, "ModDate": None},
    "png": {},
}


# -- selection -----------------------------------------------------------------


# -- options -------------------------------------------------------------------


def format_for(path: str | os.PathLike[str]) -> str:
    """The picture format a file name asks for (``svg``, ``png``, ``pdf``); UsageError otherwise."""
    suffix = Path(os.fspath(path)).suffix.lower().lstrip(".")
    if suffix in FORMATS:
        return suffix
    allowed = ", ".join(f".{f}" for f in FORMATS)
    raise UsageError(f"cannot draw to {os.fspath(path)!r}: the file name must end in {allowed}")


def parse_size(text: str) -> tuple[float, float]:
    """``"12x8"`` → ``(12.0, 8.0)`` inches; UsageError for anything else.

    >>> parse_size("12x7.5")
    (12.0, 7.5)
    """
    m = re.fullmatch(r"\s*(\d+(?:\.\d*)?)\s*[x×X]\s*(\d+(?:\.\d*)?)\s*", text)
    if not m:
        raise UsageError(f"--size must be WIDTHxHEIGHT in inches, like 12x8 (got {text!r})")
    w, h = float(m.group(1)), float(m.group(2))
    if not (3 <= w <= 100 and 2 <= h <= 100):
        raise UsageError(f"--size {text!r}: width must be 3 to 100 inches and height 2 to 100")
    return w, h


def require_matplotlib() -> Any:
    """The matplotlib module; MissingDependency naming the extra when it is not installed."""
    try:
        import matplotlib
    except ImportError as e:
        raise MissingDependency(f"drawing needs matplotlib, which is not installed: {INSTALL}") from e
    return matplotlib


@contextmanager
def _settings() -> Iterator[None]:
    """kgraph's matplotlib settings for the duration of one picture, then the caller's again."""
    mpl = require_matplotlib()
    with mpl.rc_context(_RC), warnings.catch_warnings():
        # a name in a script DejaVu Sans lacks (CJK, …): SVG viewers use their own fonts; PNG and PDF show boxes
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from font", category=UserWarning)
        yield


# -- the picture ---------------------------------------------------------------


def figure(
    kg: KnowledgeGraph,
    *,
    center: str | None = None,
    depth: int = 1,
    relations: Sequence[str] | None = None,
    title: str | None = None,
    size: tuple[float, float] = DEFAULT_SIZE,
    max_nodes: int = DEFAULT_MAX_NODES,
) -> tuple[Figure, dict[str, Any]]:
    """The picture as a matplotlib ``Figure`` (with an Agg canvas), and what it shows.

    The figure is independent of pyplot: nothing global is created, so it can
    be saved, inspected (``fig.canvas.get_renderer()``) or dropped. Node
    labels carry the gid ``label-<entity id>`` (the id made XML-safe), which
    SVG output keeps as the ``id`` of the label's group. See :func:`render` for the returned dict.
    """
    selection = neighbourhood(
        kg,
        center=center,
        depth=depth,
        relations=relations,
        max_nodes=max_nodes,
        max_nodes_limit=MAX_NODES_LIMIT,
        command="draw",
    )
    with _settings():
        return Picture(selection, title=title, size=size, relations=relations).build()


def render(
    kg: KnowledgeGraph,
    fmt: str = "svg",
    *,
    center: str | None = None,
    depth: int = 1,
    relations: Sequence[str] | None = None,
    title: str | None = None,
    size: tuple[float, float] = DEFAULT_SIZE,
    dpi: int = DEFAULT_DPI,
    max_nodes: int = DEFAULT_MAX_NODES,
) -> tuple[bytes, dict[str, Any]]:
    """The picture as the bytes of an SVG, PNG or PDF file, and what it shows.

    The dict: ``format``, ``bytes``, ``nodes`` and ``facts`` drawn,
    ``edges`` (arrows, one per subject, object and polarity; or, with
    ``arrows`` False, when there are too many, plain lines, one per pair of
    entities and polarity), ``center`` (an entity
    record or None), ``entities_selected``/``facts_selected`` (before the
    cap), ``capped`` and ``note`` (what the cap kept), ``labels_hidden``
    (node labels left out because they would overlap), ``edge_labels``
    drawn, ``self_loops`` (facts of an entity about itself, not drawn).
    """
    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise UsageError(f"unknown picture format {fmt!r} (known: {', '.join(FORMATS)})")
    fig, info = figure(kg, center=center, depth=depth, relations=relations, title=title, size=size, max_nodes=max_nodes)
    buffer = io.BytesIO()
    with _settings():
        fig.savefig(buffer, format=fmt, dpi=dpi if fmt == "png" else 72, metadata=_METADATA[fmt])
    data = buffer.getvalue()
    return data, {"format": fmt, "bytes": len(data), **info}


def draw(
    kg: KnowledgeGraph,
    target: str | os.PathLike[str] | IO[bytes] | IO[str],
    *,
    fmt: str | None = None,
    center: str | None = None,
    depth: int = 1,
    relations: Sequence[str] | None = None,
    title: str | None = None,
    size: tuple[float, float] = DEFAULT_SIZE,
    dpi: int = DEFAULT_DPI,
    max_nodes: int = DEFAULT_MAX_NODES,
) -> dict[str, Any]:
    """Draw ``kg`` (or ``center``'s neighbourhood) to a file or an open stream; returns :func:`render`'s dict.

    A path's suffix picks the format (``.svg``, ``.png``, ``.pdf``) unless
    ``fmt`` is given; a stream gets ``fmt`` (default SVG). The picture is
    made in memory first and a file is written atomically: a failure leaves
    any existing file as it was.
    """
    from .atomic import is_stream, write_target

    chosen = (fmt or ("svg" if is_stream(target) else format_for(target))).lower()  # type: ignore[arg-type]
    data, info = render(
        kg,
        chosen,
        center=center,
        depth=depth,
        relations=relations,
        title=title,
        size=size,
        dpi=dpi,
        max_nodes=max_nodes,
    )
    write_target(data, target, binary=True)
    return info
