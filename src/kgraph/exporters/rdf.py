"""RDF (Turtle or N-Triples) through rdflib: the truthy triple plus a statement node per fact.

Needs rdflib (``pip install 'kgraph[rdf]'``), imported only when this exporter runs.

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
  ``kgv:qualifiers`` a JSON object string). Parallel facts share the truthy triple but keep
  their own statement nodes.
- source: ``rdf:type kgv:Source``, ``dcterms:title``, ``dcterms:issued``, ``dcterms:publisher``,
  ``dcterms:creator``, ``schema:url``.

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

Output is deterministic: Turtle through rdflib's sorted serializer (no blank nodes are
used), N-Triples sorted line by line.
"""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from .. import dates
from ..errors import MissingDependency, UsageError
from .shared import Target, creator, is_stream, sorted_entities, sorted_facts, write_text

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ..knowledge import KnowledgeGraph
    from ..model import Entity, Fact, Relation, Source

__all__ = ["DEFAULT_BASE", "SYNTAXES", "export", "graph", "render"]

DEFAULT_BASE = "https://example.org/kgraph/"
SYNTAXES = {"turtle": "turtle", "ttl": "turtle", "nt": "nt", "ntriples": "nt", "n-triples": "nt"}
_FIXED_CLASSES = {"Entity", "Fact", "Source"}


def _rdflib() -> Any:
    try:
        import rdflib
    except ImportError as e:
        raise MissingDependency("the rdf export needs rdflib, which is not installed: pip install 'kgraph[rdf]'") from e
    return rdflib


def _local(text: str) -> str:
    return quote(text, safe="")


def _class_name(entity_type: str) -> str:
    name = entity_type[:1].upper() + entity_type[1:] if entity_type else "Untyped"
    if name in _FIXED_CLASSES:
        name += "Type"
    return _local(name)


def graph(kg: KnowledgeGraph, base: str = DEFAULT_BASE) -> Any:
    """The rdflib ``Graph`` of ``kg`` (prefixes bound)."""
    b = _Builder(base)
    b.vocabulary(kg)
    for e in sorted_entities(kg):
        b.entity(e)
    for s in sorted(kg.sources.values(), key=lambda s: s.id):
        b.source(s)
    for f in sorted_facts(kg):
        b.fact(f)
    return b.g


class _Builder:
    """Adds the triples of relations, entities, sources and facts to one rdflib ``Graph``."""

    def __init__(self, base: str) -> None:
        rdflib = _rdflib()
        from rdflib import Namespace
        from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

        if not base.endswith(("/", "#")):
            base += "/"
        self.kge, self.kgv = Namespace(base + "entity/"), Namespace(base + "vocab#")
        self.kgf, self.kgsrc = Namespace(base + "fact/"), Namespace(base + "source/")
        self.schema = Namespace("http://schema.org/")
        self.g = rdflib.Graph()
        for prefix, ns in (
            ("kge", self.kge),
            ("kgv", self.kgv),
            ("kgf", self.kgf),
            ("kgsrc", self.kgsrc),
            ("rdf", RDF),
            ("rdfs", RDFS),
            ("owl", OWL),
            ("skos", SKOS),
            ("dcterms", DCTERMS),
            ("xsd", XSD),
            ("schema", self.schema),
        ):
            self.g.bind(prefix, ns, override=True, replace=True)

    def ent(self, ident: str) -> Any:
        from rdflib import URIRef

        return URIRef(self.kge + _local(ident))

    def prop(self, ident: str) -> Any:
        from rdflib import URIRef

        return URIRef(self.kgv + _local(ident))

    @staticmethod
    def when(text: str) -> Any:
        """A date as a typed literal (xsd:gYear, gYearMonth or date by its precision); other text as it is."""
        from rdflib import Literal
        from rdflib.namespace import XSD

        if not dates.is_valid(text):
            return Literal(text)
        kind = {"year": XSD.gYear, "month": XSD.gYearMonth, "day": XSD.date}[dates.precision(text)]
        return Literal(text, datatype=kind)

    def add(self, *triples: tuple[Any, Any, Any]) -> None:
        for triple in triples:
            self.g.add(triple)

    def add_if(self, node: Any, predicate: Any, value: Any, make: Any) -> None:
        """``(node, predicate, make(value))`` when ``value`` is given (not empty, not None, not False)."""
        if value:
            self.g.add((node, predicate, make(value)))

    def vocabulary(self, kg: KnowledgeGraph) -> None:
        from rdflib.namespace import RDF, RDFS

        kgv = self.kgv
        self.add(
            (kgv.Entity, RDF.type, RDFS.Class), (kgv.Fact, RDF.type, RDFS.Class), (kgv.Source, RDF.type, RDFS.Class)
        )
        for r in sorted(kg.relations.values(), key=lambda r: r.id):
            self.relation(r, known=kg.relations)

    def relation(self, r: Relation, known: Mapping[str, Relation]) -> None:
        from rdflib import Literal
        from rdflib.namespace import OWL, RDF, RDFS

        p = self.prop(r.id)
        self.add((p, RDF.type, RDF.Property), (p, RDFS.label, Literal(r.label)))
        self.add_if(p, RDFS.comment, r.description, Literal)
        self.add((p, self.kgv.hasPolarity, Literal(r.polarity)))
        self.add_if(p, RDFS.subPropertyOf, r.parent, self.prop)
        if r.symmetric:
            self.add((p, RDF.type, OWL.SymmetricProperty))
        self.add_if(p, self.kgv.actsFor, r.acts_for, Literal)
        if r.inverse and r.inverse not in known:
            inv = self.prop(r.inverse)
            self.add(
                (inv, RDF.type, RDF.Property),
                (inv, OWL.inverseOf, p),
                (inv, RDFS.label, Literal(r.inverse.replace("_", " "))),
            )

    def entity(self, e: Entity) -> None:
        from rdflib import Literal, URIRef
        from rdflib.namespace import RDF, RDFS, SKOS

        node, kgv = self.ent(e.id), self.kgv
        cls = URIRef(kgv + _class_name(e.type))
        self.add(
            (node, RDF.type, kgv.Entity),
            (node, RDF.type, cls),
            (cls, RDF.type, RDFS.Class),
            (cls, RDFS.subClassOf, kgv.Entity),
            (cls, RDFS.label, Literal(e.type)),
            (node, RDFS.label, Literal(e.name)),
            (node, kgv.entityType, Literal(e.type)),
        )
        for alias in e.aliases:
            self.add((node, SKOS.altLabel, Literal(alias)))
        self.add_if(node, RDFS.comment, e.description, Literal)

    def source(self, s: Source) -> None:
        from rdflib import Literal, URIRef
        from rdflib.namespace import DCTERMS, RDF, XSD

        node = URIRef(self.kgsrc + _local(s.id))
        self.add(
            (node, RDF.type, self.kgv.Source),
            (node, DCTERMS.identifier, Literal(s.id)),
            (node, DCTERMS.title, Literal(s.title)),
        )
        self.add_if(node, DCTERMS.issued, s.published, self.when)
        self.add_if(node, DCTERMS.publisher, s.publisher, Literal)
        self.add_if(node, DCTERMS.creator, s.author, Literal)
        self.add_if(node, self.schema.url, s.url, lambda url: Literal(url, datatype=XSD.anyURI))

    def fact(self, f: Fact) -> None:
        """The truthy triple, then the statement node with the evidence."""
        from rdflib import Literal, URIRef
        from rdflib.namespace import DCTERMS, RDF

        subj, p, o = self.ent(f.subject), self.prop(f.relation), self.ent(f.object)
        st, kgv = URIRef(self.kgf + _local(f.id)), self.kgv
        self.add(
            (subj, p, o),
            (st, RDF.type, RDF.Statement),
            (st, RDF.type, kgv.Fact),
            (st, RDF.subject, subj),
            (st, RDF.predicate, p),
            (st, RDF.object, o),
            (st, kgv.factId, Literal(f.id)),
            (st, kgv.hasQuote, Literal(f.quote)),
            (st, kgv.hasPolarity, Literal(f.polarity)),
            (st, DCTERMS.source, URIRef(self.kgsrc + _local(f.source))),
        )
        self.add_if(st, DCTERMS.date, f.date, self.when)
        self.add_if(st, kgv.startDate, f.start, self.when)
        self.add_if(st, kgv.endDate, f.end, self.when)
        self.add_if(st, kgv.accordingTo, f.according_to, self.ent)
        self.add_if(st, kgv.qualifiers, f.qualifiers, _qualifiers_literal)


def _qualifiers_literal(qualifiers: tuple[tuple[str, str], ...]) -> Any:
    from rdflib import Literal

    return Literal(json.dumps(dict(sorted(qualifiers)), ensure_ascii=False))


def render(kg: KnowledgeGraph, syntax: str = "turtle", base: str = DEFAULT_BASE) -> str:
    """The RDF text of ``kg`` in ``syntax`` (``turtle`` or ``nt``)."""
    key = SYNTAXES.get(syntax.lower())
    if key is None:
        raise UsageError(f"unknown RDF syntax {syntax!r} (known: turtle, nt)")
    g = graph(kg, base)
    text: str = g.serialize(format=key)
    if key == "nt":
        lines = sorted({line for line in text.splitlines() if line.strip()})
        return "\n".join(lines) + "\n"
    return f"# {creator()}: one truthy triple and one rdf:Statement per fact\n" + text


def export(kg: KnowledgeGraph, stream_or_path: Target, *, syntax: str | None = None, base: str = DEFAULT_BASE) -> None:
    """Write ``kg`` as RDF: N-Triples when ``syntax="nt"`` or the path ends ``.nt``, else Turtle."""
    if syntax is None:
        syntax = "turtle"
        if not is_stream(stream_or_path) and os.fspath(stream_or_path).lower().endswith(".nt"):  # type: ignore[arg-type]
            syntax = "nt"
    write_text(render(kg, syntax, base), stream_or_path)
