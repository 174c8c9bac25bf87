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
import functools
from collections.abc import Iterator
from typing import TYPE_CHECKING

from .. import dates
from ..palette import entity_colour, polarity_colour
from ..selection import degree
from .shared import Target, creator, node_size, qualifiers_text, sorted_entities, sorted_facts, write_pieces
from .xmltext import check_xml_text, nmtoken, xml_attr, xml_escape

if TYPE_CHECKING:
    from ..knowledge import KnowledgeGraph
    from ..model import Fact

__all__ = ["export", "liststring", "pieces", "render", "spans"]

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


# a date's validity and days, worked out once per distinct text (a million facts share a few thousand dates)
_valid = functools.lru_cache(maxsize=1 << 16)(dates.is_valid)
_period = functools.lru_cache(maxsize=1 << 16)(dates.period)


def _bounds(kg: KnowledgeGraph) -> tuple[_dt.date, _dt.date] | None:
    first: _dt.date | None = None
    last: _dt.date | None = None
    texts = [text for f in kg.facts for text in (f.date, f.start, f.end) if text]
    texts += [s.published for s in kg.sources.values() if s.published]
    for text in set(texts):
        if _valid(text):
            start, end = _period(text)
            first = start if first is None else min(first, start)
            last = end if last is None else max(last, end)
    return None if first is None or last is None else (first, last)


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
        return bool(text) and _valid(text or "")

    if ok(f.date):
        return _period(f.date or "")
    if not (ok(f.start) or ok(f.end)):
        return None
    start = _period(f.start or "")[0] if ok(f.start) else bounds[0]
    if ok(f.end):
        end = _period(f.end or "")[1]
    else:
        published = kg.sources[f.source].published if f.source in kg.sources else None
        end = _period(published)[1] if published and _valid(published) else bounds[1]
    return (start, max(start, end))


def _rgb(rgb: tuple[int, int, int]) -> str:
    """The attributes of a ``viz:color``: ``r="31" g="119" b="180"``."""
    r, g, b = rgb
    return f'r="{r}" g="{g}" b="{b}"'


def _attvalues(ids: dict[str, str], values: dict[str, str | None], indent: str) -> str:
    """The ``<attvalues>`` block of the values given (None: left out), each line ending in a line feed."""
    present = [(k, v) for k, v in values.items() if v is not None]
    if not present:
        return ""
    rows = "".join(f'{indent}  <attvalue for="{ids[k]}" value={xml_attr(v)}/>\n' for k, v in present)
    return f"{indent}<attvalues>\n{rows}{indent}</attvalues>\n"


def render(kg: KnowledgeGraph) -> str:
    """The GEXF 1.3 document of ``kg``."""
    return "".join(pieces(kg))


def pieces(kg: KnowledgeGraph) -> Iterator[str]:
    """The GEXF 1.3 document of ``kg`` in pieces, checked (no text XML 1.0 cannot hold) before the first is made.

    The timeline's bounds are found first, reading every fact's dates; each
    edge's span is worked out again as it is written rather than kept.
    """
    facts = sorted_facts(kg)
    check_xml_text(kg, "gexf", facts=facts)
    bounds = _bounds(kg)
    timeline: tuple[_dt.date, _dt.date] | None = None
    if bounds is not None:
        found = [span for f in kg.facts if (span := _span(kg, f, bounds)) is not None]
        if found:
            timeline = (min(s for s, _ in found), max(e for _, e in found))
    return _document(kg, facts, bounds, timeline)


def _document(
    kg: KnowledgeGraph,
    facts: list[Fact],
    bounds: tuple[_dt.date, _dt.date] | None,
    timeline: tuple[_dt.date, _dt.date] | None,
) -> Iterator[str]:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<gexf xmlns="{NAMESPACE}" xmlns:viz="{VIZ}" version="1.3">',
        "  <meta>",
        f"    <creator>{xml_escape(creator())}</creator>",
        ("    <description>Knowledge graph: one node per entity, one edge per fact (edge id = fact id)</description>"),
        "  </meta>",
    ]
    graph_attrs = 'defaultedgetype="directed"'
    if timeline is not None:
        first, last = timeline
        graph_attrs += f' mode="dynamic" timeformat="date" start="{first.isoformat()}" end="{last.isoformat()}"'
    else:
        graph_attrs += ' mode="static"'
    lines.append(f"  <graph {graph_attrs}>")
    for cls, attrs in (("node", NODE_ATTRIBUTES), ("edge", EDGE_ATTRIBUTES)):
        lines.append(f'    <attributes class="{cls}" mode="static">')
        for i, (title, kind) in enumerate(attrs):
            lines.append(f'      <attribute id="{i}" title="{title}" type="{kind}"/>')
        lines.append("    </attributes>")
    lines.append(f'    <nodes count="{len(kg.entities)}">')
    yield "\n".join(lines) + "\n"
    yield from _nodes(kg)
    yield f'    </nodes>\n    <edges count="{len(facts)}">\n'
    yield from _edges(kg, facts, bounds if timeline is not None else None)
    yield "    </edges>\n  </graph>\n</gexf>\n"


def _nodes(kg: KnowledgeGraph) -> Iterator[str]:
    node_ids = {title: str(i) for i, (title, _) in enumerate(NODE_ATTRIBUTES)}
    deg = degree(kg)
    for e in sorted_entities(kg):
        values = _attvalues(
            node_ids,
            {
                "kgid": e.id,
                "entity_type": e.type,
                "aliases": liststring(e.aliases) if e.aliases else None,
                "description": e.description or None,
            },
            "        ",
        )
        yield (
            f"      <node id={xml_attr(nmtoken(e.id))} label={xml_attr(e.name)}>\n{values}"
            f"        <viz:color {_rgb(entity_colour(e.type))}/>\n"
            f'        <viz:size value="{node_size(deg.get(e.id, 0))!r}"/>\n'
            "      </node>\n"
        )


def _edges(kg: KnowledgeGraph, facts: list[Fact], bounds: tuple[_dt.date, _dt.date] | None) -> Iterator[str]:
    """Each fact's ``<edge>``; ``bounds``: the timeline's, None when no fact is timed."""
    edge_ids = {title: str(i) for i, (title, _) in enumerate(EDGE_ATTRIBUTES)}
    ends: dict[str, str] = {}  # entity id -> its quoted NMTOKEN (each entity ends many edges)
    previous: tuple[str, str, str] | None = None
    n = 0  # how many facts of the same subject, object and relation so far (they come together)
    for f in facts:
        rel = kg.relations[f.relation]
        triple = (f.subject, f.object, f.relation)
        n = n + 1 if triple == previous else 1
        previous = triple
        kind = f.relation if n == 1 else f"{f.relation}#{n}"
        time = ""
        span = _span(kg, f, bounds) if bounds is not None else None
        if span is not None:
            time = f' start="{span[0].isoformat()}" end="{span[1].isoformat()}"'
        source = ends.get(f.subject) or ends.setdefault(f.subject, xml_attr(nmtoken(f.subject)))
        target = ends.get(f.object) or ends.setdefault(f.object, xml_attr(nmtoken(f.object)))
        values = _attvalues(
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
        yield (
            f"      <edge id={xml_attr(nmtoken(f.id))} source={source} target={target} label={xml_attr(rel.label)} "
            f'kind={xml_attr(kind)} weight="1.0"{time}>\n{values}'
            f"        <viz:color {_rgb(polarity_colour(f.polarity))}/>\n"
            '        <viz:thickness value="1.0"/>\n'
            "      </edge>\n"
        )


def export(kg: KnowledgeGraph, stream_or_path: Target) -> None:
    """Write ``kg`` as GEXF 1.3 to a path (atomically) or an open stream, as it is made."""
    write_pieces(pieces(kg), stream_or_path)
