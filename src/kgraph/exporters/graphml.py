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

from typing import TYPE_CHECKING

from ..palette import entity_colour, hex_colour, polarity_colour
from ..selection import degree
from .shared import Target, creator, node_size, qualifiers_text, sorted_entities, sorted_facts, write_text
from .xmltext import check_xml_text, nmtoken, xml_attr, xml_escape

if TYPE_CHECKING:
    from ..knowledge import KnowledgeGraph

__all__ = ["EDGE_KEYS", "NODE_KEYS", "export", "join_list", "render", "split_list"]

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


def _data(keys: dict[str, tuple[str, str]], values: dict[str, object]) -> list[str]:
    out = []
    for name, value in values.items():
        if value is None:
            continue
        key, kind = keys[name]
        out.append(f"      <data key={xml_attr(key)}>{xml_escape(_fmt(value, kind))}</data>")
    return out


def render(kg: KnowledgeGraph) -> str:
    """The GraphML document of ``kg`` (checked: no text XML 1.0 cannot hold)."""
    check_xml_text(kg, "graphml")
    node_keys = {name: (f"k{i}", kind) for i, (name, kind) in enumerate(NODE_KEYS)}
    edge_keys = {name: (f"k{i + len(NODE_KEYS)}", kind) for i, (name, kind) in enumerate(EDGE_KEYS)}
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        (
            f'<graphml xmlns="{NAMESPACE}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            f'xsi:schemaLocation="{NAMESPACE} http://graphml.graphdrawing.org/xmlns/1.1/graphml.xsd">'
        ),
        f"  <!-- {xml_escape(creator())}: one node per entity, one edge per fact (edge id = fact id) -->",
    ]
    for scope, keys in (("node", node_keys), ("edge", edge_keys)):
        for name, (key, kind) in keys.items():
            lines.append(f'  <key id="{key}" for="{scope}" attr.name="{name}" attr.type="{kind}"/>')
    lines.append('  <graph id="G" edgedefault="directed">')
    deg = degree(kg)
    for e in sorted_entities(kg):
        r, g, b = entity_colour(e.type)
        lines.append(f"    <node id={xml_attr(nmtoken(e.id))}>")
        lines += _data(
            node_keys,
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
            },
        )
        lines.append("    </node>")
    for f in sorted_facts(kg):
        rel = kg.relations[f.relation]
        r, g, b = polarity_colour(f.polarity)
        lines.append(
            f"    <edge id={xml_attr(nmtoken(f.id))} source={xml_attr(nmtoken(f.subject))} "
            f"target={xml_attr(nmtoken(f.object))}>"
        )
        lines += _data(
            edge_keys,
            {
                "label": rel.label,
                "kgid": f.id,
                "relation": f.relation,
                "polarity": f.polarity,
                "date": f.date,
                "start_date": f.start,
                "end_date": f.end,
                "quote": f.quote,
                "article": f.source,
                "according_to": f.according_to,
                "qualifiers": qualifiers_text(f),
                "symmetric": rel.symmetric,
                "weight": 1.0,
                "r": r,
                "g": g,
                "b": b,
                "color": hex_colour((r, g, b)),
            },
        )
        lines.append("    </edge>")
    lines += ["  </graph>", "</graphml>", ""]
    return "\n".join(lines)


def export(kg: KnowledgeGraph, stream_or_path: Target) -> None:
    """Write ``kg`` as GraphML to a path (atomically) or an open stream."""
    write_text(render(kg), stream_or_path)
