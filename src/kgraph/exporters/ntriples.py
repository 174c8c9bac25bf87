"""The RDF of a knowledge graph as N-Triples lines, graph by graph, with no RDF library.

This is the line API shared by the RDF export (:mod:`.rdf`, whose docstring
lists every triple) and by whatever puts kgraph's RDF into a store:
:func:`vocabulary_lines`, :func:`entity_lines` and :func:`source_lines` each
yield the N-Triples lines of one named graph (:func:`graph_iri`),
de-duplicated and sorted within the call, so that the bytes of a graph depend
only on the data and :func:`graph_hash` can tell whether a graph changed.

Terms are written as RDF 1.1 N-Triples asks, in the forms rdflib wrote them
when it built the export: IRIs are the base plus the percent-encoded id (ids
never need escaping after that); literals escape ``\\``, ``"``, line feed and
carriage return and keep every other character as UTF-8; numbers are
``xsd:integer``, flags ``xsd:boolean``, dates ``xsd:gYear``,
``xsd:gYearMonth`` or ``xsd:date`` by their precision (text that is not a
valid date stays a plain literal).
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import weakref
from collections.abc import Iterable, Iterator
from pathlib import PurePath
from typing import TYPE_CHECKING
from urllib.parse import quote

from .. import dates
from ..errors import UsageError

if TYPE_CHECKING:
    from ..knowledge import KnowledgeGraph
    from ..model import Entity, Fact, Relation, Source

__all__ = [
    "DEFAULT_BASE",
    "GRAPH_KINDS",
    "Terms",
    "check_base",
    "entity_lines",
    "facts_by_source",
    "graph_hash",
    "graph_iri",
    "source_ids",
    "source_lines",
    "terms",
    "vocabulary_lines",
]

DEFAULT_BASE = "https://example.org/kgraph/"
GRAPH_KINDS = ("vocabulary", "entities", "source", "manifest")

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"
SCHEMA = "http://schema.org/"

_A = f"<{RDF}type>"
_INTEGER = f"^^<{XSD}integer>"
_SAFE = re.compile(r"[A-Za-z0-9_.~-]*\Z").match  # what quote(text, safe="") leaves as it is
_FIXED_CLASSES = {"Entity", "Fact", "Source"}
_DATE_TYPES = {"year": f"<{XSD}gYear>", "month": f"<{XSD}gYearMonth>", "day": f"<{XSD}date>"}
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_NOT_IN_IRI = set(' <>"{}|^`\\') | {chr(c) for c in range(0x21)}


def _local(text: str) -> str:
    return text if _SAFE(text) else quote(text, safe="")


def check_base(base: str) -> str:
    """``base`` ending in ``/`` or ``#`` (a ``/`` is added otherwise); UsageError when no IRI can hold it."""
    bad = sorted({c for c in base if c in _NOT_IN_IRI})
    if not base or bad:
        shown = ", ".join(repr(c) for c in bad) or "nothing"
        raise UsageError(f"--base {base!r} is not an IRI prefix (it holds {shown})")
    return base if base.endswith(("/", "#")) else base + "/"


def graph_iri(kind: str, ident: str | None = None, base: str = DEFAULT_BASE) -> str:
    """The IRI (without angle brackets) of a named graph: ``<base>graph/vocabulary`` …, ``graph/source/<id>``."""
    if kind not in GRAPH_KINDS:
        raise ValueError(f"unknown graph kind {kind!r} (known: {', '.join(GRAPH_KINDS)})")
    if (kind == "source") != (ident is not None):
        raise ValueError("a source graph needs the source id, and only a source graph takes one")
    iri = check_base(base) + "graph/" + kind
    return iri if ident is None else f"{iri}/{_local(ident)}"


def _escaped(text: str) -> str:
    if "\\" in text or '"' in text or "\n" in text or "\r" in text:
        return text.translate(_ESCAPES)
    return text


def literal(text: str) -> str:
    """A plain string literal."""
    return f'"{_escaped(text)}"'


def typed(text: str, datatype: str) -> str:
    """A literal typed ``datatype`` (an N-Triples IRI term, ``<…>``)."""
    return f'"{_escaped(text)}"^^{datatype}'


def integer(value: int) -> str:
    """An ``xsd:integer`` literal."""
    return f'"{int(value)}"{_INTEGER}'


TRUE = f'"true"^^<{XSD}boolean>'


@functools.lru_cache(maxsize=8192)  # a dataset has few distinct dates, each written many times
def when(text: str) -> str:
    """A date typed by its precision; text that is no valid date as a plain literal."""
    if not dates.is_valid(text):
        return literal(text)
    return typed(text, _DATE_TYPES[dates.precision(text)])


def class_name(entity_type: str) -> str:
    """The ``kgv:`` class local name of an entity type (capitalised; never one of kgraph's own classes)."""
    name = entity_type[:1].upper() + entity_type[1:] if entity_type else "Untyped"
    if name in _FIXED_CLASSES:
        name += "Type"
    return _local(name)


class Terms:
    """The IRI terms (``<…>``) of one base: entities, vocabulary, facts, sources, and the fixed vocabularies."""

    def __init__(self, base: str = DEFAULT_BASE) -> None:
        self.base = check_base(base)
        self.kge = self.base + "entity/"
        self.kgv = self.base + "vocab#"
        self.kgf = self.base + "fact/"
        self.kgsrc = self.base + "source/"
        self._entities: dict[str, str] = {}
        self._vocab: dict[str, str] = {}
        self._sources: dict[str, str] = {}
        # what follows a statement node in each of its lines, ready to be joined (see _fact)
        v = self.v
        self.statement_parts = (
            f" {_A} <{RDF}Statement> .\n",
            f" {_A} {v('Fact')} .\n",
            f" <{RDF}subject> ",
            f" <{RDF}predicate> ",
            f" <{RDF}object> ",
            f" {v('factId')} ",
            f" {v('hasQuote')} ",
            f" {v('hasPolarity')} ",
            f" <{DCTERMS}source> ",
            f" {v('modality')} ",
            f" {v('line')} ",
        )

    def ent(self, ident: str) -> str:
        """An entity's IRI term (remembered: entities recur in many facts)."""
        term = self._entities.get(ident)
        if term is None:
            term = self._entities[ident] = f"<{self.kge}{_local(ident)}>"
        return term

    def v(self, name: str) -> str:
        """A ``kgv:`` term: a relation id, a class or one of kgraph's own property names (remembered)."""
        term = self._vocab.get(name)
        if term is None:
            term = self._vocab[name] = f"<{self.kgv}{_local(name)}>"
        return term

    def fact(self, ident: str) -> str:
        return f"<{self.kgf}{_local(ident)}>"

    def source(self, ident: str) -> str:
        term = self._sources.get(ident)
        if term is None:
            term = self._sources[ident] = f"<{self.kgsrc}{_local(ident)}>"
        return term


@functools.lru_cache(maxsize=8)
def terms(base: str = DEFAULT_BASE) -> Terms:
    """The :class:`Terms` of ``base``, made once (their caches then serve every graph of an export)."""
    return Terms(base)


def _line(s: str, p: str, o: str) -> str:
    return f"{s} {p} {o} .\n"


def _sorted(lines: Iterable[str]) -> Iterator[str]:
    return iter(sorted(set(lines)))


# -- the vocabulary -------------------------------------------------------------


def vocabulary_lines(kg: KnowledgeGraph, base: str = DEFAULT_BASE) -> Iterator[str]:
    """The vocabulary graph: kgraph's classes and every relation (property, hierarchy, polarity, inverse)."""
    t = terms(base)
    lines = [_line(t.v(c), _A, f"<{RDFS}Class>") for c in sorted(_FIXED_CLASSES)]
    for n, r in enumerate(kg.relations.values(), 1):
        lines.extend(_relation(t, r, inverse_known=r.inverse in kg.relations if r.inverse else True))
        lines.append(_line(t.v(r.id), t.v("position"), integer(n)))  # the vocabulary's order, for a reader
    return _sorted(lines)


def _relation(t: Terms, r: Relation, *, inverse_known: bool) -> Iterator[str]:
    p = t.v(r.id)
    yield _line(p, _A, f"<{RDF}Property>")
    yield _line(p, f"<{RDFS}label>", literal(r.label))
    if r.description:
        yield _line(p, f"<{RDFS}comment>", literal(r.description))
    yield _line(p, t.v("hasPolarity"), integer(r.polarity))
    if r.parent:
        yield _line(p, f"<{RDFS}subPropertyOf>", t.v(r.parent))
    if r.symmetric:
        yield _line(p, _A, f"<{OWL}SymmetricProperty>")
    if r.acts_for:
        yield _line(p, t.v("actsFor"), TRUE)
    if r.inverse and not inverse_known:
        inv = t.v(r.inverse)
        yield _line(inv, _A, f"<{RDF}Property>")
        yield _line(inv, f"<{OWL}inverseOf>", p)
        yield _line(inv, f"<{RDFS}label>", literal(r.inverse.replace("_", " ")))


# -- entities -------------------------------------------------------------------


def entity_lines(kg: KnowledgeGraph, base: str = DEFAULT_BASE) -> Iterator[str]:
    """The entities graph: each entity's types, names and description, and each entity type's class."""
    t = terms(base)
    lines: list[str] = []
    for n, e in enumerate(kg.entities.values(), 1):
        lines.extend(_entity(t, e))
        lines.append(_line(t.ent(e.id), t.v("position"), integer(n)))  # the entities' order, for a reader
    return _sorted(lines)


def _entity(t: Terms, e: Entity) -> Iterator[str]:
    node, cls = t.ent(e.id), f"<{t.kgv}{class_name(e.type)}>"
    yield _line(node, _A, t.v("Entity"))
    yield _line(node, _A, cls)
    yield _line(cls, _A, f"<{RDFS}Class>")
    yield _line(cls, f"<{RDFS}subClassOf>", t.v("Entity"))
    yield _line(cls, f"<{RDFS}label>", literal(e.type))
    yield _line(node, f"<{RDFS}label>", literal(e.name))
    yield _line(node, t.v("entityType"), literal(e.type))
    for alias in e.aliases:
        yield _line(node, f"<{SKOS}altLabel>", literal(alias))
    if len(e.aliases) > 1:  # a set in RDF: the written order too, as for qualifiers
        yield _line(node, t.v("aliasOrder"), literal(json.dumps(list(e.aliases), ensure_ascii=False)))
    if e.description:
        yield _line(node, f"<{RDFS}comment>", literal(e.description))


# -- sources and their facts ------------------------------------------------------

_BY_SOURCE: weakref.WeakKeyDictionary[KnowledgeGraph, tuple[tuple[Fact, ...], dict[str, list[Fact]]]] = (
    weakref.WeakKeyDictionary()
)


def facts_by_source(kg: KnowledgeGraph) -> dict[str, list[Fact]]:
    """Each source id's facts, in dataset order (built once per graph and set of facts, then remembered)."""
    facts = kg.facts
    known = _BY_SOURCE.get(kg)
    if known is not None and known[0] is facts:
        return known[1]
    index: dict[str, list[Fact]] = {}
    for f in facts:
        index.setdefault(f.source, []).append(f)
    _BY_SOURCE[kg] = (facts, index)
    return index


def source_ids(kg: KnowledgeGraph) -> list[str]:
    """Every source with a graph, sorted: the graph's sources and any source a fact cites."""
    return sorted(set(kg.sources) | set(facts_by_source(kg)))


def source_lines(kg: KnowledgeGraph, source_id: str, base: str = DEFAULT_BASE) -> Iterator[str]:
    """One source's graph: the source node, and each of its facts' truthy triple and statement node."""
    t = terms(base)
    lines: list[str] = []
    source = kg.sources.get(source_id)
    if source is not None:
        lines.extend(_source(t, source))
    for f in facts_by_source(kg).get(source_id, ()):
        lines.extend(_fact(t, f))
    return _sorted(lines)


def _source(t: Terms, s: Source) -> Iterator[str]:
    node = t.source(s.id)
    yield _line(node, _A, t.v("Source"))
    yield _line(node, f"<{DCTERMS}identifier>", literal(s.id))
    yield _line(node, f"<{DCTERMS}title>", literal(s.title))
    if s.published:
        yield _line(node, f"<{DCTERMS}issued>", when(s.published))
    if s.publisher:
        yield _line(node, f"<{DCTERMS}publisher>", literal(s.publisher))
    if s.author:
        yield _line(node, f"<{DCTERMS}creator>", literal(s.author))
    if s.url:
        yield _line(node, f"<{SCHEMA}url>", typed(s.url, f"<{XSD}anyURI>"))
    yield _line(node, t.v("fileName"), literal(PurePath(s.path).name))


def _fact(t: Terms, f: Fact) -> list[str]:
    """The truthy triple, then the statement node with the evidence and the curated fields.

    Written as one list of f-strings rather than line by line: this is the
    loop every fact goes through, and its speed is the export's.
    """
    v = t.v
    subj, p, o, st = t.ent(f.subject), v(f.relation), t.ent(f.object), t.fact(f.id)
    statement, fact, subject, predicate, obj, fact_id, quote, polarity, source, modality, line = t.statement_parts
    out = [
        f"{subj} {p} {o} .\n",
        st + statement,
        st + fact,
        f"{st}{subject}{subj} .\n",
        f"{st}{predicate}{p} .\n",
        f"{st}{obj}{o} .\n",
        f"{st}{fact_id}{literal(f.id)} .\n",
        f"{st}{quote}{literal(f.quote)} .\n",
        f'{st}{polarity}"{f.polarity}"{_INTEGER} .\n',
        f"{st}{source}{t.source(f.source)} .\n",
        f"{st}{modality}{literal(f.modality)} .\n",
        f'{st}{line}"{f.line}"{_INTEGER} .\n',
    ]
    if f.date:
        out.append(f"{st} <{DCTERMS}date> {when(f.date)} .\n")
    if f.start:
        out.append(f"{st} {v('startDate')} {when(f.start)} .\n")
    if f.end:
        out.append(f"{st} {v('endDate')} {when(f.end)} .\n")
    if f.according_to:
        out.append(f"{st} {v('accordingTo')} {t.ent(f.according_to)} .\n")
    if f.qualifiers or f.disputes or f.same_as or f.implicit:
        out.extend(_curated(t, st, f))
    return out


def _curated(t: Terms, st: str, f: Fact) -> Iterator[str]:
    """Qualifiers (sorted JSON, and their written order) and the trust fields a fact may have."""
    if f.qualifiers:
        text = json.dumps(dict(sorted(f.qualifiers)), ensure_ascii=False)
        yield _line(st, t.v("qualifiers"), literal(text))
        if len(f.qualifiers) > 1:
            order = list(dict.fromkeys(k for k, _ in f.qualifiers))
            yield _line(st, t.v("qualifierOrder"), literal(json.dumps(order, ensure_ascii=False)))
    for other in f.disputes:
        yield _line(st, t.v("disputes"), t.fact(other))
    for other in f.same_as:
        yield _line(st, t.v("sameAs"), t.fact(other))
    if f.implicit:
        yield _line(st, t.v("implicit"), literal(f.implicit))


# -- hashes ----------------------------------------------------------------------


def graph_hash(lines: Iterable[str]) -> str:
    """The SHA-256 (hex) of a graph: its N-Triples lines sorted, de-duplicated, UTF-8, joined by ``\\n``."""
    # one join and one encode: a third faster than a digest update per line (every push hashes every graph)
    return hashlib.sha256("\n".join(sorted({line.rstrip("\n") for line in lines})).encode("utf-8")).hexdigest()
