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
    from ..knowledge import KnowledgeGraph

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
    rdflib = _rdflib()
    from rdflib import Literal, Namespace, URIRef
    from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

    if not base.endswith(("/", "#")):
        base += "/"
    kge, kgv = Namespace(base + "entity/"), Namespace(base + "vocab#")
    kgf, kgsrc = Namespace(base + "fact/"), Namespace(base + "source/")
    schema = Namespace("http://schema.org/")
    g = rdflib.Graph()
    for prefix, ns in (
        ("kge", kge),
        ("kgv", kgv),
        ("kgf", kgf),
        ("kgsrc", kgsrc),
        ("rdf", RDF),
        ("rdfs", RDFS),
        ("owl", OWL),
        ("skos", SKOS),
        ("dcterms", DCTERMS),
        ("xsd", XSD),
        ("schema", schema),
    ):
        g.bind(prefix, ns, override=True, replace=True)

    def ent(ident: str) -> URIRef:
        return URIRef(kge + _local(ident))

    def prop(ident: str) -> URIRef:
        return URIRef(kgv + _local(ident))

    def when(text: str) -> Any:
        if not dates.is_valid(text):
            return Literal(text)
        kind = {"year": XSD.gYear, "month": XSD.gYearMonth, "day": XSD.date}[dates.precision(text)]
        return Literal(text, datatype=kind)

    # vocabulary
    g.add((kgv.Entity, RDF.type, RDFS.Class))
    g.add((kgv.Fact, RDF.type, RDFS.Class))
    g.add((kgv.Source, RDF.type, RDFS.Class))
    relation_ids = set(kg.relations)
    for r in sorted(kg.relations.values(), key=lambda r: r.id):
        p = prop(r.id)
        g.add((p, RDF.type, RDF.Property))
        g.add((p, RDFS.label, Literal(r.label)))
        if r.description:
            g.add((p, RDFS.comment, Literal(r.description)))
        g.add((p, kgv.hasPolarity, Literal(r.polarity)))
        if r.parent:
            g.add((p, RDFS.subPropertyOf, prop(r.parent)))
        if r.symmetric:
            g.add((p, RDF.type, OWL.SymmetricProperty))
        if r.acts_for:
            g.add((p, kgv.actsFor, Literal(True)))
        if r.inverse and r.inverse not in relation_ids:
            inv = prop(r.inverse)
            g.add((inv, RDF.type, RDF.Property))
            g.add((inv, OWL.inverseOf, p))
            g.add((inv, RDFS.label, Literal(r.inverse.replace("_", " "))))
    # entities
    for e in sorted_entities(kg):
        node = ent(e.id)
        g.add((node, RDF.type, kgv.Entity))
        cls = URIRef(kgv + _class_name(e.type))
        g.add((node, RDF.type, cls))
        g.add((cls, RDF.type, RDFS.Class))
        g.add((cls, RDFS.subClassOf, kgv.Entity))
        g.add((cls, RDFS.label, Literal(e.type)))
        g.add((node, RDFS.label, Literal(e.name)))
        g.add((node, kgv.entityType, Literal(e.type)))
        for alias in e.aliases:
            g.add((node, SKOS.altLabel, Literal(alias)))
        if e.description:
            g.add((node, RDFS.comment, Literal(e.description)))
    # sources
    for s in sorted(kg.sources.values(), key=lambda s: s.id):
        node = URIRef(kgsrc + _local(s.id))
        g.add((node, RDF.type, kgv.Source))
        g.add((node, DCTERMS.identifier, Literal(s.id)))
        g.add((node, DCTERMS.title, Literal(s.title)))
        if s.published:
            g.add((node, DCTERMS.issued, when(s.published)))
        if s.publisher:
            g.add((node, DCTERMS.publisher, Literal(s.publisher)))
        if s.author:
            g.add((node, DCTERMS.creator, Literal(s.author)))
        if s.url:
            g.add((node, schema.url, Literal(s.url, datatype=XSD.anyURI)))
    # facts: the truthy triple, then the statement node with the evidence
    for f in sorted_facts(kg):
        subj, p, o = ent(f.subject), prop(f.relation), ent(f.object)
        g.add((subj, p, o))
        st = URIRef(kgf + _local(f.id))
        g.add((st, RDF.type, RDF.Statement))
        g.add((st, RDF.type, kgv.Fact))
        g.add((st, RDF.subject, subj))
        g.add((st, RDF.predicate, p))
        g.add((st, RDF.object, o))
        g.add((st, kgv.factId, Literal(f.id)))
        g.add((st, kgv.hasQuote, Literal(f.quote)))
        g.add((st, kgv.hasPolarity, Literal(f.polarity)))
        g.add((st, DCTERMS.source, URIRef(kgsrc + _local(f.source))))
        if f.date:
            g.add((st, DCTERMS.date, when(f.date)))
        if f.start:
            g.add((st, kgv.startDate, when(f.start)))
        if f.end:
            g.add((st, kgv.endDate, when(f.end)))
        if f.according_to:
            g.add((st, kgv.accordingTo, ent(f.according_to)))
        if f.qualifiers:
            g.add((st, kgv.qualifiers, Literal(json.dumps(dict(sorted(f.qualifiers)), ensure_ascii=False))))
    return g


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
