"""GEXF 1.3 for Gephi and Gephi Lite: colours, sizes, parallel-edge kinds and a timeline.

Written here rather than by networkx, whose GEXF writer does not produce
schema-valid 1.3. The output validates against the official GEXF 1.3
RELAX NG grammar (no ``xsi:*`` attributes, which that grammar forbids).

- One node per entity (``id`` = :func:`.xmltext.nmtoken` of the entity id,
  ``label`` = its name), ``viz:color`` by entity type, ``viz:size`` by the
  number of facts it takes part in.
- One directed edge per fact (``id`` = the fact id, ``label`` = the relation
  label), ``viz:color`` by polarity, ``kind`` = the relation id, suffixed
  ``#2``, ``#3`` … when the same two entities share several facts of one
  relation, so ``kind`` is unique per source–target pair as GEXF 1.3 asks.
- Attributes have numeric ids and a ``title``, one ``<attributes>`` block
  per class; aliases are a ``liststring`` ``["a", "b"]``. Node attributes:
  ``kgid``, ``entity_type``, ``aliases``, ``description``; edge attributes:
  ``kgid``, ``relation``, ``polarity``, ``date``, ``start_date``, ``end_date``
  (as written), ``quote``, ``article`` (the source id), ``according_to``,
  ``qualifiers`` (a JSON object), ``symmetric``.
- Colours are written as ``r``/``g``/``b`` attributes, the form every GEXF
  reader knows (networkx cannot read the ``hex`` form, also valid 1.3).
- Time (``mode="dynamic"``, ``timeformat="date"``) when any fact is dated:
  a ``date`` becomes the period it names (``2021-12`` → 2021-12-01 to
  2021-12-31); ``start``/``end`` become the first day of ``start`` and the
  last day of ``end``; an open end is closed with the last day of the
  source's publication date (the fact held at least until the article was
  published), or of the latest date in the export; an open start gets the
  earliest day in the export. **Undated facts and all nodes have no time,**
  so Gephi shows them at every point of the timeline. The graph's ``start``
  and ``end`` are the bounds of every timed edge, so the timeline switches on.

Control characters XML 1.0 cannot hold are refused before anything is written.
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING

from .. import dates
from ..palette import entity_colour, polarity_colour
from ..selection import degree
from .shared import Target, creator, node_size, qualifiers_text, sorted_entities, sorted_facts, write_text
from .xmltext import check_xml_text, nmtoken, xml_attr, xml_escape

if TYPE_CHECKING:
    from ..knowledge import KnowledgeGraph
    from ..model import Fact

__all__ = ["export", "liststring", "render", "spans"]

NAMESPACE = "http://gexf.net/1.3"
VIZ = "http://gexf.net/1.3/viz"

# (title, type) in id order (ids 0, 1, … per class)
NODE_ATTRIBUTES: tuple[tuple[str, str], ...] = (
    ("kgid", "string"),
    ("entity_type", "string"),
    ("aliases", "liststring"),
    ("description", "string"),
)
EDGE_ATTRIBUTES: tuple[tuple[str, str], ...] = (
    ("kgid", "string"),
    ("relation", "string"),
    ("polarity", "integer"),
    ("date", "string"),
    ("start_date", "string"),
    ("end_date", "string"),
    ("quote", "string"),
    ("article", "string"),
    ("according_to", "string"),
    ("qualifiers", "string"),
    ("symmetric", "boolean"),
)


def liststring(items: tuple[str, ...] | list[str]) -> str:
    r"""A GEXF ``liststring`` value: ``["a", "b"]``, with ``\ " `` and line breaks escaped.

    >>> liststring(["a", 'say "hi"'])
    '["a", "say \\"hi\\""]'
    """

    def quote(s: str) -> str:
        s = s.replace("\\", "\\\\").replace('"', '\\"')
        return '"' + s.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t") + '"'

    return "[" + ", ".join(quote(i) for i in items) + "]"


def _bounds(kg: KnowledgeGraph) -> tuple[_dt.date, _dt.date] | None:
    days: list[_dt.date] = []
    for f in kg.facts:
        for text in (f.date, f.start, f.end):
            if text and dates.is_valid(text):
                days.extend(dates.period(text))
    for s in kg.sources.values():
        if s.published and dates.is_valid(s.published):
            days.extend(dates.period(s.published))
    return (min(days), max(days)) if days else None


def spans(kg: KnowledgeGraph) -> dict[str, tuple[_dt.date, _dt.date]]:
    """The (start, end) days of every timed fact, by fact id (undated facts are absent)."""
    bounds = _bounds(kg)
    out: dict[str, tuple[_dt.date, _dt.date]] = {}
    if bounds is None:
        return out
    for f in kg.facts:
        span = _span(kg, f, bounds)
        if span is not None:
            out[f.id] = span
    return out


def _span(kg: KnowledgeGraph, f: Fact, bounds: tuple[_dt.date, _dt.date]) -> tuple[_dt.date, _dt.date] | None:
    def ok(text: str | None) -> bool:
        return bool(text) and dates.is_valid(text or "")

    if ok(f.date):
        return dates.period(f.date or "")
    if not (ok(f.start) or ok(f.end)):
        return None
    start = dates.period(f.start or "")[0] if ok(f.start) else bounds[0]
    if ok(f.end):
        end = dates.period(f.end or "")[1]
    else:
        published = kg.sources[f.source].published if f.source in kg.sources else None
        end = dates.period(published)[1] if published and dates.is_valid(published) else bounds[1]
    return (start, max(start, end))


def _rgb(rgb: tuple[int, int, int]) -> str:
    """The attributes of a ``viz:color``: ``r="31" g="119" b="180"``."""
    r, g, b = rgb
    return f'r="{r}" g="{g}" b="{b}"'


def _attvalues(ids: dict[str, str], values: dict[str, str | None], indent: str) -> list[str]:
    present = [(k, v) for k, v in values.items() if v is not None]
    if not present:
        return []
    out = [f"{indent}<attvalues>"]
    out += [f'{indent}  <attvalue for="{ids[k]}" value={xml_attr(v)}/>' for k, v in present]
    out.append(f"{indent}</attvalues>")
    return out


def render(kg: KnowledgeGraph) -> str:
    """The GEXF 1.3 document of ``kg``."""
    check_xml_text(kg, "gexf")
    timed = spans(kg)
    node_ids = {title: str(i) for i, (title, _) in enumerate(NODE_ATTRIBUTES)}
    edge_ids = {title: str(i) for i, (title, _) in enumerate(EDGE_ATTRIBUTES)}
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<gexf xmlns="{NAMESPACE}" xmlns:viz="{VIZ}" version="1.3">',
        "  <meta>",
        f"    <creator>{xml_escape(creator())}</creator>",
        ("    <description>Knowledge graph: one node per entity, one edge per fact (edge id = fact id)</description>"),
        "  </meta>",
    ]
    graph_attrs = 'defaultedgetype="directed"'
    if timed:
        first = min(s for s, _ in timed.values())
        last = max(e for _, e in timed.values())
        graph_attrs += f' mode="dynamic" timeformat="date" start="{first.isoformat()}" end="{last.isoformat()}"'
    else:
        graph_attrs += ' mode="static"'
    lines.append(f"  <graph {graph_attrs}>")
    for cls, attrs in (("node", NODE_ATTRIBUTES), ("edge", EDGE_ATTRIBUTES)):
        lines.append(f'    <attributes class="{cls}" mode="static">')
        for i, (title, kind) in enumerate(attrs):
            lines.append(f'      <attribute id="{i}" title="{title}" type="{kind}"/>')
        lines.append("    </attributes>")
    deg = degree(kg)
    entities = sorted_entities(kg)
    lines.append(f'    <nodes count="{len(entities)}">')
    for e in entities:
        lines.append(f"      <node id={xml_attr(nmtoken(e.id))} label={xml_attr(e.name)}>")
        lines += _attvalues(
            node_ids,
            {
                "kgid": e.id,
                "entity_type": e.type,
                "aliases": liststring(e.aliases) if e.aliases else None,
                "description": e.description or None,
            },
            "        ",
        )
        lines.append(f"        <viz:color {_rgb(entity_colour(e.type))}/>")
        lines.append(f'        <viz:size value="{node_size(deg.get(e.id, 0))!r}"/>')
        lines.append("      </node>")
    lines.append("    </nodes>")
    facts = sorted_facts(kg)
    lines.append(f'    <edges count="{len(facts)}">')
    seen: dict[tuple[str, str, str], int] = {}
    for f in facts:
        rel = kg.relations[f.relation]
        n = seen[(f.subject, f.object, f.relation)] = seen.get((f.subject, f.object, f.relation), 0) + 1
        kind = f.relation if n == 1 else f"{f.relation}#{n}"
        time = ""
        if f.id in timed:
            start, end = timed[f.id]
            time = f' start="{start.isoformat()}" end="{end.isoformat()}"'
        lines.append(
            f"      <edge id={xml_attr(nmtoken(f.id))} source={xml_attr(nmtoken(f.subject))} "
            f"target={xml_attr(nmtoken(f.object))} label={xml_attr(rel.label)} kind={xml_attr(kind)} "
            f'weight="1.0"{time}>'
        )
        lines += _attvalues(
            edge_ids,
            {
                "kgid": f.id,
                "relation": f.relation,
                "polarity": str(f.polarity),
                "date": f.date,
                "start_date": f.start,
                "end_date": f.end,
                "quote": f.quote,
                "article": f.source,
                "according_to": f.according_to,
                "qualifiers": qualifiers_text(f),
                "symmetric": "true" if rel.symmetric else "false",
            },
            "        ",
        )
        lines.append(f"        <viz:color {_rgb(polarity_colour(f.polarity))}/>")
        lines.append('        <viz:thickness value="1.0"/>')
        lines.append("      </edge>")
    lines += ["    </edges>", "  </graph>", "</gexf>", ""]
    return "\n".join(lines)


def export(kg: KnowledgeGraph, stream_or_path: Target) -> None:
    """Write ``kg`` as GEXF 1.3 to a path (atomically) or an open stream."""
    write_text(render(kg), stream_or_path)
