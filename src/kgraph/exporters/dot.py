"""Graphviz DOT: a labelled, coloured digraph that ``dot -Tsvg`` renders as it is.

One node per entity (name ``"<entity id>"``, ``label`` its name, filled with the entity
type's colour, ``tooltip`` its type) and one edge per fact (``id`` = the fact id, so SVG
output keeps it; ``label`` the relation label; coloured by polarity; ``tooltip`` the quote).
Strings are double-quoted with ``\\`` and ``"`` escaped; line breaks in text become ``\\n``.
Control characters Graphviz (and its SVG output) cannot carry are refused before anything
is written, like the XML formats.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..palette import entity_colour, hex_colour, polarity_colour
from .shared import Target, creator, sorted_entities, sorted_facts, write_pieces
from .xmltext import check_xml_text

if TYPE_CHECKING:
    from ..knowledge import KnowledgeGraph
    from ..model import Fact

__all__ = ["export", "pieces", "quote", "render"]


def quote(text: str) -> str:
    r"""A DOT double-quoted string: ``\`` and ``"`` escaped, line breaks as ``\n``.

    >>> print(quote('say "hi"\\now'))
    "say \"hi\"\\now"
    """
    text = text.replace("\\", "\\\\").replace('"', '\\"')
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return f'"{text}"'


def render(kg: KnowledgeGraph) -> str:
    """The DOT text of ``kg``."""
    return "".join(pieces(kg))


def pieces(kg: KnowledgeGraph) -> Iterator[str]:
    """The DOT text of ``kg`` in pieces, checked (no text Graphviz cannot carry) before the first is made."""
    facts = sorted_facts(kg)
    check_xml_text(kg, "dot", "Graphviz and its SVG output cannot carry", facts=facts)
    return _document(kg, facts)


def _document(kg: KnowledgeGraph, facts: list[Fact]) -> Iterator[str]:
    yield "\n".join(
        [
            f"// {creator()}: one node per entity, one edge per fact (edge id = fact id)",
            "digraph kgraph {",
            '  graph [charset="UTF-8", rankdir="LR", overlap="false"];',
            '  node [shape="ellipse", style="filled", fontname="Helvetica", fontcolor="#ffffff"];',
            '  edge [fontname="Helvetica", fontsize="10"];',
            "",
        ]
    )
    for e in sorted_entities(kg):
        colour = hex_colour(entity_colour(e.type))
        yield (
            f"  {quote(e.id)} [label={quote(e.name)}, fillcolor={quote(colour)}, color={quote(colour)}, "
            f"tooltip={quote(e.type)}];\n"
        )
    for f in facts:
        colour = hex_colour(polarity_colour(f.polarity))
        label = kg.relations[f.relation].label
        if f.when:
            label += f" ({f.when})"
        yield (
            f"  {quote(f.subject)} -> {quote(f.object)} [id={quote(f.id)}, label={quote(label)}, "
            f"color={quote(colour)}, fontcolor={quote(colour)}, tooltip={quote(f.quote)}];\n"
        )
    yield "}\n"


def export(kg: KnowledgeGraph, stream_or_path: Target) -> None:
    """Write ``kg`` as Graphviz DOT to a path (atomically) or an open stream, as it is made."""
    write_pieces(pieces(kg), stream_or_path)
