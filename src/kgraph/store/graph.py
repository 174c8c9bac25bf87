"""A :class:`~kgraph.knowledge.KnowledgeGraph` answered from a SPARQL store that ``kgraph push`` filled.

``open_graph(url)`` reads the store's manifest first (one tiny query: the
dataset hash ``kgraph push`` recorded), then the small tables (relations,
entities, sources) from the vocabulary, entities and source graphs, and puts
a :class:`~kgraph.store.facts.StoreFactStore` behind the graph for the facts.
The small tables are kept in the local cache folder
(:func:`kgraph.cache.cache_dir`, ``store-<dataset hash>.m…``) with the
entities' folded names, so a warm ``--store`` query costs the manifest query
plus the fact queries it needs, and name lookup, suggestions and folding work
exactly as on a local dataset. They are kept in :mod:`marshal`'s form (a
third of the time JSON takes to read), the entities and the folded names
each packed apart and unpacked only when a command first needs them, and
an entity made only when asked for (:class:`kgraph.cache.LazyTable`): a
million facts have 50,000 entities and 139,000 names, who-supports needs a
few dozen.

What the store cannot give back is filled in plainly: a source's ``path`` is
its YAML file's name (``kgv:fileName``) and its ``text_path`` is empty (no
query answer shows either); the graph has no ``data_dir`` and no warnings.
"""

from __future__ import annotations

import json
import marshal
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..errors import KGraphError
from ..knowledge import KnowledgeGraph
from ..model import Entity, Relation, Source
from ..resolve import NameIndex
from .facts import Namespaces, Selector, StoreFactStore

__all__ = ["StoreGraph", "connect", "fetch_tables", "open_graph", "open_store"]

_FORMAT = 4  # the layout of the cached tables; a change makes old files unread


class StoreGraph(KnowledgeGraph):
    """A graph whose facts live in a SPARQL store; ``store_url`` and ``dataset_hash`` say which."""

    store_url: str
    dataset_hash: str


def _relations(client: Selector, ns: Namespaces) -> list[Relation]:
    query = (
        f"{ns.prologue()}SELECT ?r ?label ?comment ?pol ?parent ?sym ?af ?inv ?pos WHERE {{\n"
        f"  GRAPH <{ns.vocabulary_graph}> {{\n"
        "    ?r a rdf:Property ; rdfs:label ?label ; kgv:hasPolarity ?pol .\n"
        "    OPTIONAL { ?r rdfs:comment ?comment }\n"
        "    OPTIONAL { ?r rdfs:subPropertyOf ?parent }\n"
        "    OPTIONAL { ?r a owl:SymmetricProperty . BIND(true AS ?sym) }\n"
        "    OPTIONAL { ?r kgv:actsFor ?af }\n"
        "    OPTIONAL { ?inv owl:inverseOf ?r }\n"
        "    OPTIONAL { ?r kgv:position ?pos }\n"
        "  }\n} ORDER BY ?r ?inv"
    )
    found: dict[str, tuple[tuple[int, str], Relation]] = {}
    for row in client.select_all(query):
        rid = ns.ident(row["r"], ns.kgv)
        if rid in found:
            continue
        r = Relation(
            id=rid,
            label=row["label"],
            polarity=int(row["pol"]),
            description=row.get("comment", ""),
            parent=ns.ident(row["parent"], ns.kgv) if "parent" in row else None,
            symmetric="sym" in row,
            inverse=ns.ident(row["inv"], ns.kgv) if "inv" in row else None,
            acts_for=row.get("af") in ("true", "1"),
        )
        found[rid] = ((int(row.get("pos", 0)), rid), r)
    return [r for _, r in sorted(found.values(), key=lambda kr: kr[0])]


def _entities(client: Selector, ns: Namespaces) -> list[Entity]:
    query = (
        f"{ns.prologue()}SELECT ?e ?name ?type ?comment ?alias ?order ?pos WHERE {{\n"
        f"  GRAPH <{ns.entities_graph}> {{\n"
        "    ?e a kgv:Entity ; rdfs:label ?name ; kgv:entityType ?type .\n"
        "    OPTIONAL { ?e rdfs:comment ?comment }\n"
        "    OPTIONAL { ?e skos:altLabel ?alias }\n"
        "    OPTIONAL { ?e kgv:aliasOrder ?order }\n"
        "    OPTIONAL { ?e kgv:position ?pos }\n"
        "  }\n} ORDER BY ?e ?alias"
    )
    rows: dict[str, list[dict[str, str]]] = {}
    for row in client.select_all(query):
        rows.setdefault(row["e"], []).append(row)
    keyed: list[tuple[tuple[int, str], Entity]] = []
    for iri, group in rows.items():
        first = group[0]
        eid = ns.ident(iri, ns.kge)
        aliases = sorted({r["alias"] for r in group if "alias" in r})
        if "order" in first:
            aliases = json.loads(first["order"])
        entity = Entity(eid, first["name"], first["type"], first.get("comment", ""), tuple(aliases))
        keyed.append(((int(first.get("pos", 0)), eid), entity))
    return [e for _, e in sorted(keyed, key=lambda ke: ke[0])]


def _sources(client: Selector, ns: Namespaces) -> list[Source]:
    query = (
        f"{ns.prologue()}SELECT ?id ?title ?file ?issued ?publisher ?creator ?url WHERE {{\n"
        "  GRAPH ?g {\n"
        "    ?s a kgv:Source ; dcterms:identifier ?id ; dcterms:title ?title ; kgv:fileName ?file .\n"
        "    OPTIONAL { ?s dcterms:issued ?issued }\n"
        "    OPTIONAL { ?s dcterms:publisher ?publisher }\n"
        "    OPTIONAL { ?s dcterms:creator ?creator }\n"
        "    OPTIONAL { ?s schema:url ?url }\n"
        f"  }}\n  {ns.in_manifest()}\n}} ORDER BY ?id"
    )
    found: dict[str, Source] = {}
    for row in client.select_all(query):
        found.setdefault(
            row["id"],
            Source(
                id=row["id"],
                title=row["title"],
                published=row.get("issued"),
                text_path="",
                path=row["file"],
                url=row.get("url"),
                publisher=row.get("publisher"),
                author=row.get("creator"),
            ),
        )
    return sorted(found.values(), key=lambda s: (s.path, s.id))


def dataset_hash(client: Selector, ns: Namespaces, url: str) -> str:
    """The manifest's dataset hash; a KGraphError saying to push first when the store holds none."""
    rows = client.select(
        f"{ns.prologue()}SELECT ?h WHERE {{ GRAPH <{ns.manifest_graph}> {{ <{ns.manifest}> kgv:datasetHash ?h }} }}"
    )
    if not rows or "h" not in rows[0]:
        from ..errors import StoreError

        raise StoreError(
            f"the store at {url} holds no kgraph dataset under {ns.base} (no manifest): "
            f"push one first with `kgraph push {url}`"
        )
    return rows[0]["h"]


def fetch_tables(client: Selector, base: str) -> tuple[list[Relation], list[Entity], list[Source]]:
    """The relations, entities and sources of the dataset in the store, in the dataset's order."""
    ns = Namespaces(base)
    return _relations(client, ns), _entities(client, ns), _sources(client, ns)


def _cache_file(digest: str) -> Path:
    from ..cache import cache_dir

    # marshal's format belongs to the Python that wrote it: another Python keeps a file of its own
    return cache_dir() / f"store-{digest}.m{marshal.version}-{sys.version_info[0]}{sys.version_info[1]}"


def _read_cached(digest: str) -> dict[str, Any] | None:
    try:
        with open(_cache_file(digest), "rb") as fh:
            data = marshal.loads(fh.read())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if not isinstance(data, dict) or data.get("format") != _FORMAT:
        return None
    return data


def _write_cached(digest: str, data: dict[str, Any]) -> None:
    """Keep the tables for the next query; a cache folder that cannot be written only costs that."""
    from ..atomic import write_bytes

    try:
        path = _cache_file(digest)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_bytes(path, marshal.dumps(data))
    except (OSError, KGraphError):
        pass


def _rows(items: Iterable[Any], fields: tuple[str, ...]) -> list[tuple[Any, ...]]:
    return [tuple(getattr(x, f) for f in fields) for x in items]


_REL = ("id", "label", "polarity", "description", "parent", "symmetric", "inverse", "acts_for")
_ENT = ("id", "name", "type", "description", "aliases")
_SRC = ("id", "title", "published", "text_path", "path", "url", "publisher", "author")


def open_graph(client: Selector, url: str, *, base: str, cache: bool = True) -> StoreGraph:
    """The graph of the dataset pushed to the store at ``url`` (``client`` speaks to it) under ``base``."""
    ns = Namespaces(base)
    digest = dataset_hash(client, ns, url)
    key = f"{digest}-{_safe(ns.base)}"
    data = _read_cached(key) if cache else None
    if data is not None:
        return _graph(client, url, base, digest, data)
    relations, entities, sources = fetch_tables(client, base)
    names = NameIndex({e.id: (e.name, *e.aliases) for e in entities})
    if cache:
        from ..cache import pack_rows

        _write_cached(
            key,
            {
                "format": _FORMAT,
                "relations": _rows(relations, _REL),
                "entities": marshal.dumps(pack_rows(_rows(entities, _ENT))),
                "entity_count": len(entities),
                "sources": _rows(sources, _SRC),
                "names": marshal.dumps(dict(names.folded)),
            },
        )
    files = {s.id: s.path for s in sources}
    kg = StoreGraph(relations, entities, sources, StoreFactStore(client, base, files), names=names)
    kg.store_url = url
    kg.dataset_hash = digest
    return kg


def _graph(client: Selector, url: str, base: str, digest: str, data: dict[str, Any]) -> StoreGraph:
    """The graph over the cached tables: the entities and the name index read only when first asked for.

    who-supports at a million facts names a few dozen of 50,000 entities;
    unpacking them all and the 139,000 folded names took a fifth of its time.
    """
    from ..cache import LazyTable

    sources = [Source(*s) for s in data["sources"]]
    entity_rows: bytes = data["entities"]
    folded: bytes = data["names"]
    entities = LazyTable(lambda: marshal.loads(entity_rows), Entity, data["entity_count"])
    files = {s.id: s.path for s in sources}
    kg = StoreGraph(
        [Relation(*r) for r in data["relations"]],
        entities,
        sources,
        StoreFactStore(client, base, files),
        names=lambda: NameIndex.from_folded(marshal.loads(folded)),
    )
    kg.store_url = url
    kg.dataset_hash = digest
    return kg


def _safe(text: str) -> str:
    """A short file-name-safe digest of ``text`` (the base IRI is part of the cache key)."""
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def connect(url: str, *, user: str | None = None) -> Selector:
    """The client for the store at ``url``, as ``kgraph push`` finds it.

    The password comes from ``$KGRAPH_STORE_PASSWORD`` (or the URL), never
    from an option; a store other than Oxigraph or Virtuoso is reached through
    ``$KGRAPH_STORE_QUERY`` (its SPARQL query URL, or a path under ``url``),
    or named by ``$KGRAPH_STORE_KIND``.
    """
    from .client import Endpoints, StoreClient

    query = os.environ.get("KGRAPH_STORE_QUERY") or None
    endpoints = Endpoints.explicit(url, query=query, update=None, graph=None) if query else None
    return StoreClient(
        url,
        user=user,
        password=os.environ.get("KGRAPH_STORE_PASSWORD") or None,
        endpoints=endpoints,
        kind=os.environ.get("KGRAPH_STORE_KIND") or None,
    )


def open_store(url: str, *, user: str | None = None, base: str | None = None, cache: bool = True) -> StoreGraph:
    """The graph pushed to the store at ``url`` (what ``--store URL`` answers from)."""
    from ..exporters.rdf import DEFAULT_BASE

    return open_graph(connect(url, user=user), url, base=base or DEFAULT_BASE, cache=cache)
