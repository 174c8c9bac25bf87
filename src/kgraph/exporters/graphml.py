"""GraphML 1.1 for Gephi desktop (also yEd, networkx, igraph, graphology).

One ``<node>`` per entity, one directed ``<edge>`` per fact (``id`` = the
fact id). Node ids are NMTOKEN-safe (slugs as they are, anything else
escaped by :func:`.xmltext.nmtoken`) and the entity id is kept in ``kgid``.

Node keys: ``label`` (name), ``kgid``, ``entity_type`` (``type`` is a
reserved Gephi column), ``aliases`` (``; ``-delimited, ``\\`` and ``;``
inside an alias escaped with ``\\``), ``description``, ``size``, and the
colour by entity type as integer ``r``/``g``/``b`` plus ``color`` ``#rrggbb``.
Edge keys: ``label`` (relation label), ``kgid``, ``relation``, ``polarity``,
``date``/``start_date``/``end_date`` (as written, ISO 8601), ``quote``,
``article`` (the source id; ``source`` means the start node in graph
formats), ``according_to``, ``qualifiers`` (a JSON object), ``symmetric``,
``weight`` and the colour by polarity.
Key ids are ``k0``, ``k1``, … (never Gephi's hijacked ``d3``/``d7``); absent
values are left out, never written as empty, None or NaN.

Control characters XML 1.0 cannot hold are refused before anything is
written (:func:`.xmltext.check_xml_text`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..palette import entity_colour, hex_colour, polarity_colour
from ..selection import degree
from .shared import Target, creator, node_size, qualifiers_text, sorted_entities, sorted_facts, write_pieces
from .xmltext import check_xml_text, nmtoken, xml_attr, xml_escape

if TYPE_CHECKING:
    from ..knowledge import KnowledgeGraph
    from ..model import Fact

__all__ = ["EDGE_KEYS", "NODE_KEYS", "export", "join_list", "pieces", "render", "split_list"]

# (attr.name, attr.type) in file order; key ids are k0… in this order, nodes first.
NODE_KEYS: tuple[tuple[str, str], ...] = (
    ("label", "string"),
    ("kgid", "string"),
    ("entity_type", "string"),
    ("aliases", "string"),
    ("description", "string"),
    ("size", "double"),
    ("r", "int"),
    ("g", "int"),
    ("b", "int"),
    ("color", "string"),
)
EDGE_KEYS: tuple[tuple[str, str], ...] = (
    ("label", "string"),
    ("kgid", "string"),
    ("relation", "string"),
    ("polarity", "int"),
    ("date", "string"),
    ("start_date", "string"),
    ("end_date", "string"),
    ("quote", "string"),
    ("article", "string"),
    ("according_to", "string"),
    ("qualifiers", "string"),
    ("symmetric", "boolean"),
    ("weight", "double"),
    ("r", "int"),
    ("g", "int"),
    ("b", "int"),
    ("color", "string"),
)

NAMESPACE = "http://graphml.graphdrawing.org/xmlns"


def join_list(items: tuple[str, ...] | list[str]) -> str:
    r"""A list as one ``; ``-delimited string, ``\`` and ``;`` inside items escaped.

    >>> join_list(["a", "b;c"])
    'a; b\\;c'
    """
    return "; ".join(i.replace("\\", "\\\\").replace(";", "\\;") for i in items)


def split_list(text: str) -> list[str]:
    r"""The inverse of :func:`join_list`.

    >>> split_list('a; b\\;c')
    ['a', 'b;c']
    """
    items: list[str] = []
    current: list[str] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            current.append(text[i + 1])
            i += 2
            continue
        if c == ";":
            items.append("".join(current))
            current = []
            i += 2 if text[i + 1 : i + 2] == " " else 1
            continue
        current.append(c)
        i += 1
    items.append("".join(current))
    return items


def _fmt(value: object, kind: str) -> str:
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "double":
        return repr(float(value))  # type: ignore[arg-type]
    return str(value)


class _Keys:
    """The ``<data>`` lines of one scope (node or edge): each key's opening tag made once, not once per value."""

    def __init__(self, keys: tuple[tuple[str, str], ...], first: int) -> None:
        self.kinds = {name: kind for name, kind in keys}
        self.open = {name: f"      <data key={xml_attr(f'k{i + first}')}>" for i, (name, _) in enumerate(keys)}

    def lines(self, values: dict[str, object]) -> str:
        """The ``<data>`` lines of the values given (None: left out), each ending in a line feed."""
        return "".join(
            f"{self.open[name]}{xml_escape(_fmt(value, self.kinds[name]))}</data>\n"
            for name, value in values.items()
            if value is not None
        )


def render(kg: KnowledgeGraph) -> str:
    """The GraphML document of ``kg`` (checked: no text XML 1.0 cannot hold)."""
    return "".join(pieces(kg))


def pieces(kg: KnowledgeGraph) -> Iterator[str]:
    """The GraphML document of ``kg`` in pieces, checked before the first is made (no text XML 1.0 cannot hold)."""
    facts = sorted_facts(kg)
    check_xml_text(kg, "graphml", facts=facts)
    return _document(kg, facts)


def _document(kg: KnowledgeGraph, facts: list[Fact]) -> Iterator[str]:
    head = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        (
            f'<graphml xmlns="{NAMESPACE}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            f'xsi:schemaLocation="{NAMESPACE} http://graphml.graphdrawing.org/xmlns/1.1/graphml.xsd">'
        ),
        f"  <!-- {xml_escape(creator())}: one node per entity, one edge per fact (edge id = fact id) -->",
    ]
    for scope, keys, first in (("node", NODE_KEYS, 0), ("edge", EDGE_KEYS, len(NODE_KEYS))):
        for i, (name, kind) in enumerate(keys):
            head.append(f'  <key id="k{i + first}" for="{scope}" attr.name="{name}" attr.type="{kind}"/>')
    head.append('  <graph id="G" edgedefault="directed">')
    yield "\n".join(head) + "\n"
    yield from _nodes(kg)
    yield from _edges(kg, facts)
    yield "  </graph>\n</graphml>\n"


def _nodes(kg: KnowledgeGraph) -> Iterator[str]:
    keys = _Keys(NODE_KEYS, 0)
    deg = degree(kg)
    for e in sorted_entities(kg):
        r, g, b = entity_colour(e.type)
        data = keys.lines(
            {
                "label": e.name,
                "kgid": e.id,
                "entity_type": e.type,
                "aliases": join_list(e.aliases) if e.aliases else None,
                "description": e.description or None,
                "size": node_size(deg.get(e.id, 0)),
                "r": r,
                "g": g,
                "b": b,
                "color": hex_colour((r, g, b)),
            }
        )
        yield f"    <node id={xml_attr(nmtoken(e.id))}>\n{data}    </node>\n"


def _edges(kg: KnowledgeGraph, facts: list[Fact]) -> Iterator[str]:
    """Each fact's ``<edge>``: what depends on its relation only is made once per relation (the edges' bulk)."""
    keys = _Keys(EDGE_KEYS, len(NODE_KEYS))
    o = keys.open
    ends: dict[str, str] = {}  # entity id -> its quoted NMTOKEN (each entity ends many edges)
    around: dict[tuple[str, int], tuple[tuple[str, str], str]] = {}  # (relation, polarity) -> lines before, after
    for f in facts:
        source = ends.get(f.subject) or ends.setdefault(f.subject, xml_attr(nmtoken(f.subject)))
        target = ends.get(f.object) or ends.setdefault(f.object, xml_attr(nmtoken(f.object)))
        before, after = around.get((f.relation, f.polarity)) or around.setdefault(
            (f.relation, f.polarity), _relation_lines(kg, keys, f)
        )
        text = [
            f"    <edge id={xml_attr(nmtoken(f.id))} source={source} target={target}>\n",
            f"{o['label']}{before[0]}</data>\n{o['kgid']}{xml_escape(f.id)}</data>\n{before[1]}",
        ]
        for name, value in (("date", f.date), ("start_date", f.start), ("end_date", f.end)):
            if value is not None:
                text.append(f"{o[name]}{xml_escape(value)}</data>\n")
        text.append(f"{o['quote']}{xml_escape(f.quote)}</data>\n{o['article']}{xml_escape(f.source)}</data>\n")
        if f.according_to is not None:
            text.append(f"{o['according_to']}{xml_escape(f.according_to)}</data>\n")
        qualifiers = qualifiers_text(f)
        if qualifiers is not None:
            text.append(f"{o['qualifiers']}{xml_escape(qualifiers)}</data>\n")
        text.append(f"{after}    </edge>\n")
        yield "".join(text)


def _relation_lines(kg: KnowledgeGraph, keys: _Keys, f: Fact) -> tuple[tuple[str, str], str]:
    """What an edge of ``f``'s relation and polarity writes whatever the fact: its label (escaped), the
    ``relation`` and ``polarity`` lines, and the lines from ``symmetric`` to the colour."""
    rel = kg.relations[f.relation]
    r, g, b = polarity_colour(f.polarity)
    middle = keys.lines({"relation": f.relation, "polarity": f.polarity})
    after = keys.lines(
        {"symmetric": rel.symmetric, "weight": 1.0, "r": r, "g": g, "b": b, "color": hex_colour((r, g, b))}
    )
    return (xml_escape(_fmt(rel.label, "string")), middle), after


def export(kg: KnowledgeGraph, stream_or_path: Target) -> None:
    """Write ``kg`` as GraphML to a path (atomically) or an open stream, as it is made."""
    write_pieces(pieces(kg), stream_or_path)
