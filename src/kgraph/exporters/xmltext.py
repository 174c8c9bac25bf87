"""XML text for the XML exports (GraphML, GEXF) and SVG pictures: escaping, ids, and the check XML needs.

XML 1.0 cannot hold some characters at all (most C0 controls), escaped or
not: :func:`check_xml_text` refuses a graph holding one, before anything is
written, naming where the character is. :func:`xml_escape` and
:func:`xml_attr` escape text content and attribute values;
:func:`nmtoken` makes any id a valid, one-to-one XML NMTOKEN.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from ..errors import ExportError
from .shared import sorted_entities, sorted_facts

if TYPE_CHECKING:
    from ..knowledge import KnowledgeGraph
    from ..model import Fact

__all__ = ["check_xml_text", "nmtoken", "xml_attr", "xml_escape"]

# Characters XML 1.0 cannot hold at all, escaped or not: C0 controls other than
# tab, line feed and carriage return; U+FFFE, U+FFFF; lone surrogates.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _texts(kg: KnowledgeGraph, facts: Sequence[Fact] | None = None) -> Iterable[tuple[str, str]]:
    """Every piece of text an export writes, with where it comes from (in the order a check names the first)."""
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
    for f in sorted_facts(kg) if facts is None else facts:
        for key in ("id", "quote", "source", "date", "start", "end", "according_to"):
            value = getattr(f, key)
            if value is not None:
                yield f"fact {f.id!r} {key}", value
        for k, v in f.qualifiers:
            yield f"fact {f.id!r} qualifier", k
            yield f"fact {f.id!r} qualifier {k!r}", v
    for s in sorted(kg.sources.values(), key=lambda s: s.id):
        yield f"source {s.id!r} title", s.title


def check_xml_text(
    kg: KnowledgeGraph, fmt: str, why: str = "XML 1.0 cannot hold", *, facts: Sequence[Fact] | None = None
) -> None:
    """Refuse, before writing anything, text that XML 1.0 cannot hold (control characters).

    kgraph refuses rather than strips: a silently changed name or quote would
    no longer match the article. The message says where the character is.
    ``facts``: :func:`.shared.sorted_facts` of ``kg``, when the caller has it.

    The texts are searched a few thousand at a time, joined by line feeds
    (which XML holds); only a batch holding a bad character is gone through
    text by text, to name the first.
    """
    batch: list[str] = []
    for text in _plain_texts(kg, facts):
        batch.append(text)
        if len(batch) == 4096:
            _check_batch(kg, fmt, why, batch, facts)
            batch = []
    _check_batch(kg, fmt, why, batch, facts)


def _check_batch(kg: KnowledgeGraph, fmt: str, why: str, batch: list[str], facts: Sequence[Fact] | None) -> None:
    if not _NOT_XML.search("\n".join(batch)):
        return
    for where, text in _texts(kg, facts):
        m = _NOT_XML.search(text)
        if m:
            raise ExportError(
                f"cannot export {fmt}: {where} contains the control character U+{ord(m.group()):04X}, "
                f"which {why}; remove it from the data (json, cytoscape, csv, rdf and neo4j exports keep it)"
            )


def _plain_texts(kg: KnowledgeGraph, facts: Sequence[Fact] | None) -> Iterator[str]:
    """The texts :func:`_texts` gives, without saying where each comes from (what the search needs)."""
    for e in kg.entities.values():
        yield e.id
        yield e.name
        yield e.type
        yield e.description
        yield from e.aliases
    for r in kg.relations.values():
        yield r.id
        yield r.label
        yield r.description
    every = kg.facts if facts is None else facts
    for start in range(0, len(every), 1024):
        batch = every[start : start + 1024]
        yield "\n".join([text for f in batch for text in (f.id, f.quote, f.source)])
        yield "\n".join([text for f in batch for text in (f.date, f.start, f.end, f.according_to) if text])
        yield "\n".join([text for f in batch for pair in f.qualifiers for text in pair])
    for s in kg.sources.values():
        yield s.title


def xml_escape(text: str) -> str:
    """Text content for XML: ``& < >`` escaped, ``\\r`` kept as a character reference."""
    if "&" not in text and "<" not in text and ">" not in text and "\r" not in text:
        return text  # (most text: four scans in C, no new string)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def xml_attr(text: str) -> str:
    """A double-quoted XML attribute value, with tabs and line breaks kept as character references."""
    escaped = xml_escape(text).replace('"', "&quot;").replace("\t", "&#9;").replace("\n", "&#10;")
    return f'"{escaped}"'


_NMTOKEN_SAFE = re.compile(r"[A-Za-z0-9.\-]")
_NMTOKEN_WHOLE = re.compile(r"[A-Za-z0-9.\-]+")


def nmtoken(ident: str) -> str:
    """An XML NMTOKEN (and Gephi-safe id) for any id; slugs stay as they are.

    Every character outside ``[A-Za-z0-9.-]`` becomes ``_<hex>_``, so the
    mapping is one-to-one (``_`` itself is always escaped).

    >>> nmtoken("belarus"), nmtoken("a b/ü")
    ('belarus', 'a_20_b_2f__fc_')
    """
    if _NMTOKEN_WHOLE.fullmatch(ident):
        return ident  # (most ids: one match, not one per character)
    return "".join(c if _NMTOKEN_SAFE.fullmatch(c) else f"_{ord(c):x}_" for c in ident) or "_"
