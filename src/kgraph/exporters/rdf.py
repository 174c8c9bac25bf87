"""RDF as N-Triples, Turtle or N-Quads: the truthy triple plus a statement node per fact, written as it goes.

No RDF library is needed: :mod:`.ntriples` makes the lines graph by graph,
this module writes them (N-Triples as they are, N-Quads with their graph,
Turtle with prefixes and grouped by subject). Memory holds one graph's lines
at a time, never the whole document.

Namespaces (``base`` defaults to ``https://example.org/kgraph/``; pass your own):

- ``kge:`` ``<base>entity/`` — one IRI per entity (the entity id, percent-encoded);
- ``kgv:`` ``<base>vocab#`` — the vocabulary: one property per relation (``kgv:supports``),
  one class per entity type (``kgv:Country``), and kgraph's own terms, all camelCase with
  a capital letter so they never clash with a relation id (``kgv:Entity``, ``kgv:Fact``,
  ``kgv:hasQuote`` …);
- ``kgf:`` ``<base>fact/`` — one statement node per fact (the fact id);
- ``kgsrc:`` ``<base>source/`` — one node per source article.

What is written:

- entity: ``rdf:type kgv:Entity, kgv:<Type>``, ``rdfs:label`` (name), ``skos:altLabel`` (each
  alias), ``rdfs:comment`` (description), ``kgv:entityType`` (the type as written);
- relation: ``rdf:type rdf:Property``, ``rdfs:label``, ``rdfs:comment``, ``rdfs:subPropertyOf``
  its parent, ``kgv:hasPolarity``, ``owl:SymmetricProperty`` when symmetric,
  ``kgv:actsFor true`` for acts-for relations, and its inverse name as a property that is
  ``owl:inverseOf`` it;
- fact: the plain asserted triple ``kge:s kgv:relation kge:o`` (so simple consumers see the
  edge), and the statement node ``kgf:<id>`` (``rdf:Statement`` and ``kgv:Fact``, with
  ``rdf:subject/predicate/object``, ``kgv:factId``, ``kgv:hasQuote``, ``kgv:hasPolarity``,
  ``dcterms:date`` / ``kgv:startDate`` / ``kgv:endDate`` typed ``xsd:gYear``,
  ``xsd:gYearMonth`` or ``xsd:date``, ``dcterms:source`` the article, ``kgv:accordingTo``,
  ``kgv:qualifiers`` a JSON object string with sorted keys and, with two or more,
  ``kgv:qualifierOrder`` the keys as written (a JSON array); ``kgv:modality`` (always),
  ``kgv:disputes`` / ``kgv:sameAs`` the other facts' nodes, ``kgv:implicit``, and
  ``kgv:line`` the fact's line in its source file). Parallel facts share the truthy triple
  but keep their own statement nodes.
- source: ``rdf:type kgv:Source``, ``dcterms:identifier``, ``dcterms:title``, ``dcterms:issued``,
  ``dcterms:publisher``, ``dcterms:creator``, ``schema:url``, ``kgv:fileName`` (its YAML file's
  name; a reader sorts facts by file name, then line, to get the dataset's order).

N-Quads put the triples in named graphs: ``<base>graph/vocabulary`` (kgraph's classes and
the relations), ``<base>graph/entities`` (entities and their classes) and one
``<base>graph/source/<id>`` per source (its node, and each of its facts' truthy triple and
statement node; a truthy triple two sources state is in both). N-Triples and Turtle hold
the union.

Who supports Belarus (direct), in SPARQL::

    SELECT DISTINCT ?who WHERE {
      { ?who ?p kge:belarus } UNION { kge:belarus ?p ?who . ?p a owl:SymmetricProperty }
      ?who a kgv:Entity .
      ?p rdfs:subPropertyOf* ?root . ?root kgv:hasPolarity 1 .
      FILTER NOT EXISTS { ?root rdfs:subPropertyOf ?above }
      FILTER (?who != kge:belarus)
    }

and on what evidence: ``?st rdf:subject ?who ; rdf:predicate ?p ; rdf:object kge:belarus ;
kgv:hasQuote ?quote ; dcterms:source ?article``.

Output is deterministic: the vocabulary, the entities, then each source (by id), each
graph's lines sorted.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ExportError, UsageError
from .ntriples import (
    DCTERMS,
    DEFAULT_BASE,
    OWL,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    XSD,
    Terms,
    entity_lines,
    facts_by_source,
    graph_hash,
    graph_iri,
    source_ids,
    source_lines,
    terms,
    vocabulary_lines,
)
from .shared import Target, creator, is_stream, write_pieces

if TYPE_CHECKING:
    from ..knowledge import KnowledgeGraph

__all__ = [
    "DEFAULT_BASE",
    "SYNTAXES",
    "entity_lines",
    "export",
    "graph_hash",
    "graph_iri",
    "source_ids",
    "source_lines",
    "vocabulary_lines",
]

SYNTAXES = {
    "turtle": "turtle",
    "ttl": "turtle",
    "nt": "nt",
    "ntriples": "nt",
    "n-triples": "nt",
    "nq": "nq",
    "nquads": "nq",
    "n-quads": "nq",
}
_SUFFIXES = {".nt": "nt", ".nq": "nq"}


def export(kg: KnowledgeGraph, stream_or_path: Target, *, syntax: str | None = None, base: str = DEFAULT_BASE) -> None:
    """Write ``kg`` as RDF: ``syntax`` ``turtle`` (the default), ``nt`` or ``nq``; a ``.nt``/``.nq`` path picks it."""
    key = _syntax(stream_or_path, syntax)
    terms(base)  # a base no IRI can hold is refused before anything is written
    _check(kg)
    write_pieces(_document(kg, key, base), stream_or_path)


def _syntax(target: Target, syntax: str | None) -> str:
    if syntax is None:
        suffix = "" if is_stream(target) else Path(os.fspath(target)).suffix.lower()  # type: ignore[arg-type]
        return _SUFFIXES.get(suffix, "turtle")
    key = SYNTAXES.get(syntax.lower())
    if key is None:
        raise UsageError(f"unknown RDF syntax {syntax!r} (known: turtle, nt, nq)")
    return key


def _check(kg: KnowledgeGraph) -> None:
    """No fact may dangle or share its id (a graph built in code is not validated): ExportError naming it."""
    entities, relations = kg.entities, kg.relations
    seen: set[str] = set()
    for f in kg.facts:
        if f.subject not in entities or f.object not in entities or f.relation not in relations:
            role, ident = next(
                (role, ident)
                for role, ident, known in (
                    ("subject", f.subject, entities),
                    ("object", f.object, entities),
                    ("relation", f.relation, relations),
                )
                if ident not in known
            )
            raise ExportError(f"cannot export: fact {f.id!r} has {role} {ident!r}, which is not in the graph")
        if f.id in seen:
            raise ExportError(f"cannot export: two facts have the id {f.id!r}")
        seen.add(f.id)


def _graphs(kg: KnowledgeGraph, base: str) -> Iterator[tuple[str | None, str, list[str]]]:
    """Each named graph's source id (None for the vocabulary and the entities), IRI and lines, in writing order.

    One graph's lines are in memory at a time.
    """
    yield None, graph_iri("vocabulary", base=base), list(vocabulary_lines(kg, base))
    yield None, graph_iri("entities", base=base), list(entity_lines(kg, base))
    for ident in source_ids(kg):
        yield ident, graph_iri("source", ident, base=base), list(source_lines(kg, ident, base))


def _document(kg: KnowledgeGraph, key: str, base: str) -> Iterator[str]:
    """The document in pieces of many lines each (joining lines in C, not one by one, keeps the export fast)."""
    if key == "nq":
        for _, iri, lines in _graphs(kg, base):
            # a line ends " .\n" and holds no other line feed (literals escape theirs): the graph goes before it
            yield from (text.replace(" .\n", f" <{iri}> .\n") for text in _joined(lines))
    elif key == "nt":
        for lines in _union(kg, base):
            yield from _joined(lines)
    else:
        yield from _turtle((line for lines in _union(kg, base) for line in lines), terms(base))


def _joined(lines: list[str], size: int = 20_000) -> Iterator[str]:
    for start in range(0, len(lines), size):
        yield "".join(lines[start : start + size])


def _union(kg: KnowledgeGraph, base: str) -> Iterator[list[str]]:
    """Every graph's lines once: a truthy triple that several sources state is kept in the first one only.

    Only the truthy triples of source graphs can repeat between graphs. What
    is remembered is each truthy triple's (subject, relation, object) of ids
    the facts already hold, not its line: a million facts would keep a
    million lines alive.
    """
    t = terms(base)
    by_source = facts_by_source(kg)
    seen: set[tuple[str, str, str]] = set()
    for source, _, lines in _graphs(kg, base):
        if source is None:  # the vocabulary and the entities
            yield lines
            continue
        triples = {(f.subject, f.relation, f.object) for f in by_source.get(source, ())}
        repeated = triples & seen
        seen |= triples
        if repeated:
            drop = {f"{t.ent(s)} {t.v(r)} {t.ent(o)} .\n" for s, r, o in repeated}
            lines = [line for line in lines if line not in drop]
        yield lines


# -- Turtle ----------------------------------------------------------------------

# A prefixed name's local part, kept simple: letters, digits, _ - . and %XX (no . at either end).
_PN_LOCAL = re.compile(r"(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2})(?:[A-Za-z0-9_.\-]|%[0-9A-Fa-f]{2})*(?<!\.)\Z")
_RDF_TYPE = f"<{RDF}type>"
_BARE = {f"<{XSD}integer>", f"<{XSD}boolean>"}


def _prefixes(t: Terms) -> dict[str, str]:
    return {
        t.kge: "kge",
        t.kgv: "kgv",
        t.kgf: "kgf",
        t.kgsrc: "kgsrc",
        RDF: "rdf",
        RDFS: "rdfs",
        OWL: "owl",
        SKOS: "skos",
        DCTERMS: "dcterms",
        XSD: "xsd",
        SCHEMA: "schema",
    }


def _turtle(lines: Iterable[str], t: Terms) -> Iterator[str]:
    """Turtle from N-Triples lines: prefixed names, and consecutive lines of one subject grouped.

    Lines arrive sorted within each graph, so a subject's lines of one graph
    are together; a subject met again later (an entity that is also a truthy
    triple's subject) simply starts a new block.
    """
    prefixes = _prefixes(t)
    yield f"# {creator()}: one truthy triple and one rdf:Statement per fact\n"
    for ns, name in prefixes.items():
        yield f"@prefix {name}: <{ns}> .\n"
    short = _Shortener(prefixes)
    subject = predicate = None
    for line in lines:
        s, p, o = line[:-3].split(" ", 2)
        if s != subject:
            if subject is not None:
                yield " .\n"
            yield f"\n{short.term(s)} {short.predicate(p)} {short.term(o)}"
            subject, predicate = s, p
        elif p != predicate:
            yield f" ;\n    {short.predicate(p)} {short.term(o)}"
            predicate = p
        else:
            yield f", {short.term(o)}"
    if subject is not None:
        yield " .\n"


class _Shortener:
    """IRI terms as prefixed names where the local part allows it; literals with their datatype shortened."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        self.prefixes = prefixes

    def predicate(self, term: str) -> str:
        return "a" if term == _RDF_TYPE else self.term(term)

    def term(self, term: str) -> str:
        if term.startswith("<"):
            return self._iri(term)
        if not term.endswith(">"):  # a plain literal
            return term
        head, _, datatype = term.rpartition('"^^')
        if datatype in _BARE:
            return head[1:]  # an integer or a boolean, written as Turtle writes numbers and truth values
        return f'{head}"^^{self._iri(datatype)}'

    def _iri(self, term: str) -> str:
        iri = term[1:-1]
        cut = max(iri.rfind("/"), iri.rfind("#")) + 1
        name = self.prefixes.get(iri[:cut])
        if name is None or not _PN_LOCAL.match(iri[cut:]):
            return term
        return f"{name}:{iri[cut:]}"
