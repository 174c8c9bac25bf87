"""The rdflib graph kgraph's RDF export held before it streamed: the oracle the streamed export is checked against.

This is the builder ``kgraph.exporters.rdf`` used up to the streaming writer
(our own code, kept as it was, for tests only): rdflib adds every triple to
one ``Graph``. The streamed export must hold exactly these triples plus the
curated fields this builder dropped (:data:`ADDED_PROPERTIES`).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from kgraph import dates
from kgraph.exporters.shared import sorted_entities, sorted_facts

if TYPE_CHECKING:
    from collections.abc import Mapping

    from kgraph.knowledge import KnowledgeGraph
    from kgraph.model import Entity, Fact, Relation, Source

__all__ = ["ADDED_PROPERTIES", "graph"]

#: The kgv: properties the streamed export adds (the builder below wrote none of them).
ADDED_PROPERTIES = (
    "modality",
    "disputes",
    "sameAs",
    "implicit",
    "line",
    "qualifierOrder",
    "fileName",
    "position",
    "aliasOrder",
)

_FIXED_CLASSES = {"Entity", "Fact", "Source"}


def _local(text: str) -> str:
    return quote(text, safe="")


def _class_name(entity_type: str) -> str:
    name = entity_type[:1].upper() + entity_type[1:] if entity_type else "Untyped"
    if name in _FIXED_CLASSES:
        name += "Type"
    return _local(name)


def graph(kg: KnowledgeGraph, base: str = "https://example.org/kgraph/") -> Any:
    """The rdflib ``Graph`` of ``kg`` the old exporter wrote."""
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
        import rdflib
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


def rdflib_quads(*, path: str | None = None, data: str | None = None) -> list[tuple[Any, Any, Any, Any]]:
    """The quads of an N-Quads document as rdflib reads them: ``(s, p, o, graph)``.

    rdflib 7's N-Quads parser calls ``Dataset.default_context`` itself, which
    warns that it is deprecated; that warning is rdflib's own business and is
    not shown.
    """
    import warnings

    import rdflib

    ds = rdflib.Dataset()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Dataset.default_context is deprecated", DeprecationWarning)
        ds.parse(source=path, data=data, format="nquads")
    return [(s, p, o, g) for s, p, o, g in ds.quads()]
