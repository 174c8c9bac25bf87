"""Neo4j: CSV files for ``neo4j-admin database import`` and an idempotent Cypher ``MERGE`` script.

Written to a folder (or a ``.zip``):

- ``nodes.csv`` — header ``kgid:ID(KG),name,entity_type,description,aliases:string[],:LABEL``:
  one row per entity, labels ``Entity`` plus the entity type in CamelCase
  (``Entity;Country``); the entity id is stored as property ``kgid`` (one id space ``KG``);
  aliases are a string array separated by ``;``.
- ``relationships.csv`` — header ``:START_ID(KG),:END_ID(KG),:TYPE,kgid,relation,label,
  polarity:int,date,start,end,quote,article,according_to,qualifiers,symmetric:boolean``:
  one row per fact, type the relation id in UPPER_SNAKE_CASE (``SUPPORTS``), ``kgid`` the fact
  id, ``article`` the source article's id, ``qualifiers`` a JSON object string.
- ``import.sh`` — the exact bulk-import command (Neo4j 5, database stopped and empty)::

      neo4j-admin database import full --nodes=nodes.csv --relationships=relationships.csv \\
          --delimiter=',' --array-delimiter=';' --quote='"' --multiline-fields=true neo4j

- ``import.cypher`` — for a running database (``cypher-shell -f import.cypher``): first
  ``CREATE CONSTRAINT … IF NOT EXISTS`` on ``Entity.kgid`` and on ``kgid`` of every
  relationship type, then batches of ``UNWIND [...] AS row MERGE (n:Entity {kgid: row.kgid})
  SET n += row.props, n:Country`` and ``MATCH`` both ends ``MERGE (a)-[r:SUPPORTS {kgid:
  row.kgid}]->(b) SET r += row.props``. Every write is a MERGE on a constrained key, so
  running the script again creates nothing. The rows are Cypher literals (strings escaped),
  so the script runs anywhere Cypher does, without client-side parameters.

CSV: UTF-8, RFC 4180 quoting and CRLF record ends, empty cell = absent property (no ``null``). An alias that
contains ``;`` cannot be an array element and is refused, with a clear error, before
anything is written. Neo4j 5.7+ is needed for the relationship-key constraints.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from ..errors import ExportError
from .shared import Target, creator, qualifiers_text, sorted_entities, sorted_facts, write_file_pieces

if TYPE_CHECKING:
    from ..knowledge import KnowledgeGraph
    from ..model import Entity, Fact

__all__ = [
    "IMPORT_COMMAND",
    "NODE_HEADER",
    "RELATIONSHIP_HEADER",
    "cypher_literal",
    "export",
    "files",
    "label_for",
    "render",
    "type_for",
]

NODE_HEADER = ("kgid:ID(KG)", "name", "entity_type", "description", "aliases:string[]", ":LABEL")
RELATIONSHIP_HEADER = (
    ":START_ID(KG)",
    ":END_ID(KG)",
    ":TYPE",
    "kgid",
    "relation",
    "label",
    "polarity:int",
    "date",
    "start",
    "end",
    "quote",
    "article",
    "according_to",
    "qualifiers",
    "symmetric:boolean",
)
IMPORT_COMMAND = (
    "neo4j-admin database import full --nodes=nodes.csv --relationships=relationships.csv "
    "--delimiter=',' --array-delimiter=';' --quote='\"' --multiline-fields=true neo4j"
)
BATCH = 500  # rows per UNWIND statement
_T = TypeVar("_T")


def label_for(entity_type: str) -> str | None:
    """The Neo4j label of an entity type, CamelCase (``armed group`` → ``ArmedGroup``); None if empty."""
    parts = [p for p in re.split(r"[\W_]+", entity_type) if p]
    label = "".join(p[:1].upper() + p[1:] for p in parts)
    if not label or label == "Entity":
        return None
    return label


def type_for(relation_id: str) -> str:
    """The relationship type of a relation, UPPER_SNAKE_CASE (``seeks_support_from`` → ``SEEKS_SUPPORT_FROM``)."""
    return re.sub(r"[\W_]+", "_", relation_id).strip("_").upper() or "RELATED"


def _name(identifier: str) -> str:
    """A label or type as Cypher writes it: bare when simple, else backtick-quoted."""
    if re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", identifier):
        return identifier
    return "`" + identifier.replace("`", "``") + "`"


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def _string(text: str) -> str:
    out = []
    for c in text:
        if c in _ESCAPES:
            out.append(_ESCAPES[c])
        elif ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 or c in "\u2028\u2029":
            out.append(f"\\u{ord(c):04x}")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def cypher_literal(value: Any) -> str:
    """A Cypher literal for a string, int, bool, list or map (keys must be simple names).

    >>> cypher_literal({"kgid": 'a"b', "n": 1, "tags": ["x"], "ok": True})
    '{kgid: "a\\\\"b", n: 1, tags: ["x"], ok: true}'
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(cypher_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_name(k)}: {cypher_literal(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"no Cypher literal for {type(value).__name__}")


def _present(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None and v != "" and v != []}


def _csv(header: Iterable[str], rows: Iterable[list[object]]) -> Iterator[str]:
    """A CSV file's text in pieces of a thousand rows (None written as an empty cell)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(list(header))
    for n, row in enumerate(rows, 1):
        writer.writerow(["" if v is None else v for v in row])
        if n % 1000 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _batches(rows: Sequence[_T]) -> Iterable[Sequence[_T]]:
    for i in range(0, len(rows), BATCH):
        yield rows[i : i + BATCH]


def render(kg: KnowledgeGraph) -> dict[str, str]:
    """``{"nodes.csv", "relationships.csv", "import.cypher", "import.sh"}`` → text."""
    return {name: "".join(make()) for name, make in files(kg).items()}


def files(kg: KnowledgeGraph) -> dict[str, Callable[[], Iterable[str]]]:
    """Each file's name and the function giving its text in pieces (checked before: no fact dangles, no alias
    holds the array delimiter)."""
    entities = sorted_entities(kg)
    facts = sorted_facts(kg)
    _check_aliases(entities)
    shell = [
        "#!/bin/sh",
        f"# {creator()}: bulk import into a new, empty Neo4j 5 database (stop it first).",
        "# Run from this folder; replace the last word (neo4j) with your database name.",
        "set -e",
        'cd "$(dirname "$0")"',
        IMPORT_COMMAND,
        "",
    ]
    return {
        "nodes.csv": lambda: _csv(NODE_HEADER, map(_node_row, entities)),
        "relationships.csv": lambda: _csv(RELATIONSHIP_HEADER, (_relationship_row(kg, f) for f in facts)),
        "import.cypher": lambda: (statement + "\n" for statement in _cypher(kg, entities, facts)),
        "import.sh": lambda: ["\n".join(shell)],
    }


def _check_aliases(entities: list[Entity]) -> None:
    """Refuse an alias holding ``;``: neo4j-admin would split it into two."""
    for e in entities:
        for alias in e.aliases:
            if ";" in alias:
                raise ExportError(
                    f"cannot export neo4j: alias {alias!r} of entity {e.id!r} contains ';', "
                    "the array delimiter of neo4j-admin import; remove it from the alias"
                )


def _node_row(e: Entity) -> list[object]:
    """An entity's row of nodes.csv (see NODE_HEADER)."""
    label = label_for(e.type)
    labels = "Entity" + (f";{label}" if label else "")
    return [e.id, e.name, e.type, e.description or None, ";".join(e.aliases) or None, labels]


def _relationship_row(kg: KnowledgeGraph, f: Fact) -> list[object]:
    """A fact's row of relationships.csv (see RELATIONSHIP_HEADER)."""
    rel = kg.relations[f.relation]
    return [
        f.subject,
        f.object,
        type_for(f.relation),
        f.id,
        f.relation,
        rel.label,
        f.polarity,
        f.date,
        f.start,
        f.end,
        f.quote,
        f.source,
        f.according_to,
        qualifiers_text(f),
        "true" if rel.symmetric else "false",
    ]


def _cypher(kg: KnowledgeGraph, entities: list[Entity], facts: list[Fact]) -> Iterator[str]:
    """The statements of import.cypher: constraints, then the entities and the facts, in batches.

    The facts are grouped by relationship type as references; each batch's
    rows are made only when the batch is written.
    """
    yield f"// {creator()}: idempotent import; every write is a MERGE on a constrained kgid,"
    yield "// so running this script again creates nothing. Run: cypher-shell -f import.cypher"
    yield "CREATE CONSTRAINT kg_entity_kgid IF NOT EXISTS FOR (n:Entity) REQUIRE n.kgid IS UNIQUE;"
    by_type: dict[str, list[Fact]] = {}
    for f in facts:
        by_type.setdefault(type_for(f.relation), []).append(f)
    types = sorted(by_type)
    for t in types:
        yield (
            f"CREATE CONSTRAINT {_name('kg_' + t.lower() + '_kgid')} IF NOT EXISTS "
            f"FOR ()-[r:{_name(t)}]-() REQUIRE r.kgid IS UNIQUE;"
        )
    by_label: dict[str | None, list[Entity]] = {}
    for e in entities:
        by_label.setdefault(label_for(e.type), []).append(e)
    for label in sorted(by_label, key=lambda x: x or ""):
        extra = f", n:{_name(label)}" if label else ""
        for group in _batches(by_label[label]):
            rows = [{"kgid": e.id, "props": _entity_props(e)} for e in group]
            merge = f"MERGE (n:Entity {{kgid: row.kgid}}) SET n += row.props{extra};"
            yield f"UNWIND {cypher_literal(rows)} AS row\n{merge}"
    for t in types:
        for batch in _batches(by_type[t]):
            rows = [{"kgid": f.id, "start": f.subject, "end": f.object, "props": _fact_props(kg, f)} for f in batch]
            yield (
                f"UNWIND {cypher_literal(rows)} AS row\n"
                "MATCH (a:Entity {kgid: row.start})\n"
                "MATCH (b:Entity {kgid: row.end})\n"
                f"MERGE (a)-[r:{_name(t)} {{kgid: row.kgid}}]->(b) SET r += row.props;"
            )


def _entity_props(e: Entity) -> dict[str, Any]:
    """The properties an entity's node gets in import.cypher (those with a value)."""
    return _present({"name": e.name, "entity_type": e.type, "description": e.description, "aliases": list(e.aliases)})


def _fact_props(kg: KnowledgeGraph, f: Fact) -> dict[str, Any]:
    """The properties a fact's relationship gets in import.cypher (those with a value)."""
    rel = kg.relations[f.relation]
    return _present(
        {
            "relation": f.relation,
            "label": rel.label,
            "polarity": f.polarity,
            "date": f.date,
            "start": f.start,
            "end": f.end,
            "quote": f.quote,
            "article": f.source,
            "according_to": f.according_to,
            "qualifiers": qualifiers_text(f),
            "symmetric": rel.symmetric,
        }
    )


def export(kg: KnowledgeGraph, stream_or_path: Target) -> None:
    """Write the Neo4j import files into a folder or a ``.zip`` (path or binary stream), as they are made."""
    write_file_pieces(files(kg), stream_or_path, "neo4j")
