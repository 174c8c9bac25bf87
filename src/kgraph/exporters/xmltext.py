"""XML text for the XML exports (GraphML, GEXF) and SVG pictures: escaping, ids, and the check XML needs.

XML 1.0 cannot hold some characters at all (most C0 controls), escaped or
not: :func:`check_xml_text` refuses a graph holding one, before anything is
written, naming where the character is. :func:`xml_escape` and
:func:`xml_attr` escape text content and attribute values;
:func:`nmtoken` makes any id a valid, one-to-one XML NMTOKEN.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..errors import ExportError
from .shared import sorted_entities, sorted_facts

if TYPE_CHECKING:
    from ..knowledge import KnowledgeGraph

__all__ = ["check_xml_text", "nmtoken", "xml_attr", "xml_escape"]

# Characters XML 1.0 cannot hold at all, escaped or not: C0 controls other than
# tab, line feed and carriage return; U+FFFE, U+FFFF; lone surrogates.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _texts(kg: KnowledgeGraph) -> Iterable[tuple[str, str]]:
    """Every piece of text an export writes, with where it comes from."""
    for e in sorted_entities(kg):
        yield f"entity {e.id!r} id", e.id
        yield f"entity {e.id!r} name", e.name
        yield f"entity {e.id!r} type", e.type
        yield f"entity {e.id!r} description", e.description
        for a in e.aliases:
            yield f"entity {e.id!r} alias", a
    for r in sorted(kg.relations.values(), key=lambda r: r.id):
        yield f"relation {r.id!r} id", r.id
        yield f"relation {r.id!r} label", r.label
        yield f"relation {r.id!r} description", r.description
    for f in sorted_facts(kg):
        for key in ("id", "quote", "source", "date", "start", "end", "according_to"):
            value = getattr(f, key)
            if value is not None:
                yield f"fact {f.id!r} {key}", value
        for k, v in f.qualifiers:
            yield f"fact {f.id!r} qualifier", k
            yield f"fact {f.id!r} qualifier {k!r}", v
    for s in sorted(kg.sources.values(), key=lambda s: s.id):
        yield f"source {s.id!r} title", s.title


def check_xml_text(kg: KnowledgeGraph, fmt: str, why: str = "XML 1.0 cannot hold") -> None:
    """Refuse, before writing anything, text that XML 1.0 cannot hold (control characters).

    kgraph refuses rather than strips: a silently changed name or quote would
    no longer match the article. The message says where the character is.
    """
    for where, text in _texts(kg):
        m = _NOT_XML.search(text)
        if m:
            raise ExportError(
                f"cannot export {fmt}: {where} contains the control character U+{ord(m.group()):04X}, "
                f"which {why}; remove it from the data (json, cytoscape, csv, rdf and neo4j exports keep it)"
            )


def xml_escape(text: str) -> str:
    """Text content for XML: ``& < >`` escaped, ``\\r`` kept as a character reference."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def xml_attr(text: str) -> str:
    """A double-quoted XML attribute value, with tabs and line breaks kept as character references."""
    escaped = xml_escape(text).replace('"', "&quot;").replace("\t", "&#9;").replace("\n", "&#10;")
    return f'"{escaped}"'


_NMTOKEN_SAFE = re.compile(r"[A-Za-z0-9.\-]")


def nmtoken(ident: str) -> str:
    """An XML NMTOKEN (and Gephi-safe id) for any id; slugs stay as they are.

    Every character outside ``[A-Za-z0-9.-]`` becomes ``_<hex>_``, so the
    mapping is one-to-one (``_`` itself is always escaped).

    >>> nmtoken("belarus"), nmtoken("a b/ü")
    ('belarus', 'a_20_b_2f__fc_')
    """
    return "".join(c if _NMTOKEN_SAFE.fullmatch(c) else f"_{ord(c):x}_" for c in ident) or "_"
