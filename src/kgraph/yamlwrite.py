"""Model → YAML: a :class:`~kgraph.knowledge.KnowledgeGraph` written back as a dataset folder.

:func:`dump_dataset` writes ``relations.yaml``, ``entities.yaml`` and, for
every source, ``sources/<id>.yaml`` with its article text ``sources/<id>.txt``,
in the layout :func:`kgraph.load` reads. Loading the folder gives back an
equal graph: the same relations, entities, sources and facts, and so the
same fact ids (only where each fact stands in its file, ``Fact.line``, and
the paths of the new files differ).

How it stays faithful:

- PyYAML's emitter (libyaml's when available) writes every value; a string
  that YAML would read as something else (``no``, ``2021``, ``1.0``,
  ``null``, ``""``) is quoted, and a string with a line break, tab, control
  or other invisible character is written double-quoted with escapes, so
  nothing is folded, trimmed or read as a line break on the way back.
- Lines are never wrapped, so a long quote stays on one line.
- The output depends on the graph alone: fields in a fixed order, items in
  the graph's order (which is the order of the files it was read from), one
  file per source, named by its id. The same graph gives the same bytes.

Each file is written atomically (a temporary file, then a rename), like
every file kgraph writes.

>>> import tempfile, kgraph
>>> kg = kgraph.load()
>>> with tempfile.TemporaryDirectory() as d:
...     _ = dump_dataset(kg, d)
...     again = kgraph.load(d, cache=False)
>>> [f.id for f in again.facts] == [f.id for f in kg.facts]
True
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .errors import ExportError
from .knowledge import KnowledgeGraph
from .loading.facts import COMPUTED_ID
from .model import Entity, Fact, Relation, Source
from .validate import SLUG

__all__ = ["dump_dataset", "dumps"]

# Characters that must not reach a plain or single-quoted scalar: line breaks of every kind (YAML
# reads NEL and the Unicode separators as breaks and folds them), tabs, C0/C1 controls, DEL, the byte
# order mark, and the non-characters. In a double-quoted scalar the emitter escapes each of them.
_NEEDS_ESCAPES = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


def _dumper() -> type[Any]:
    import yaml

    base = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

    class Dumper(base):  # type: ignore[misc, valid-type]
        """SafeDumper that double-quotes (and so escapes) any string with an invisible or break character."""

    def represent_str(dumper: Any, value: str) -> Any:
        style = '"' if _NEEDS_ESCAPES.search(value) else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, represent_str)
    return Dumper


def dumps(document: Any) -> bytes:
    """One YAML document as UTF-8 bytes, the way :func:`dump_dataset` writes its files.

    >>> dumps({"a": ["no", "2021", "1.0", "x\\ny", None]}).decode()
    'a:\\n- \\'no\\'\\n- \\'2021\\'\\n- \\'1.0\\'\\n- "x\\\\ny"\\n- null\\n'
    """
    import yaml

    out: bytes = yaml.dump(
        document,
        Dumper=_dumper(),
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=2**31 - 1,
        encoding="utf-8",
    )
    return out


def _relation(r: Relation) -> dict[str, Any]:
    d: dict[str, Any] = {"id": r.id, "label": r.label}
    if r.parent is not None:
        d["parent"] = r.parent
    if r.symmetric:
        d["symmetric"] = True
    if r.inverse is not None:
        d["inverse"] = r.inverse
    if r.acts_for:
        d["acts_for"] = True
    d["polarity"] = r.polarity
    d["description"] = r.description
    return d


def _entity(e: Entity) -> dict[str, Any]:
    d: dict[str, Any] = {"id": e.id, "name": e.name, "type": e.type}
    if e.aliases:
        d["aliases"] = list(e.aliases)
    d["description"] = e.description
    return d


def _source(s: Source, text_name: str) -> dict[str, Any]:
    d: dict[str, Any] = {"id": s.id, "title": s.title}
    if s.published is not None:
        d["published"] = s.published
    d["text"] = text_name
    for key in ("url", "publisher", "author"):
        value = getattr(s, key)
        if value is not None:
            d[key] = value
    return d


def _fact(f: Fact) -> dict[str, Any]:
    d: dict[str, Any] = {}
    if SLUG.match(f.id) and not COMPUTED_ID.match(f.id):  # (the loader computes any other id again)
        d["id"] = f.id
    d.update(subject=f.subject, relation=f.relation, object=f.object, quote=f.quote)
    for key in ("date", "start", "end", "according_to"):
        value = getattr(f, key)
        if value is not None:
            d[key] = value
    if f.qualifiers:
        d["qualifiers"] = dict(f.qualifiers)
    if f.modality != "asserted":
        d["modality"] = f.modality
    for key, refs in (("disputes", f.disputes), ("same_as", f.same_as)):
        if refs:
            d[key] = refs[0] if len(refs) == 1 else list(refs)
    if f.implicit is not None:
        d["implicit"] = f.implicit
    return d


def dump_dataset(
    kg: KnowledgeGraph, folder: str | os.PathLike[str], *, texts: Mapping[str, str | bytes] | None = None
) -> list[Path]:
    """Write ``kg`` as a dataset folder (created if missing); returns the files written, in order.

    Each source's article text is copied from its ``text_path`` unless
    ``texts`` gives it (source id → text). ExportError when a text cannot
    be read or a file cannot be written; files of ``folder`` that the
    dataset does not name are left alone.
    """
    from .atomic import write_bytes

    root = Path(folder)
    try:
        (root / "sources").mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ExportError(f"cannot write {str(root)!r}: {e.strerror or e}") from e
    by_source: dict[str, list[Fact]] = {s: [] for s in kg.sources}
    for f in kg.facts:
        if f.source not in by_source:
            raise ExportError(
                f"cannot write the dataset: fact {f.id!r} cites source {f.source!r}, which is not in the graph"
            )
        by_source[f.source].append(f)
    planned: list[tuple[Path, bytes]] = [
        (root / "relations.yaml", dumps({"relations": [_relation(r) for r in kg.relations.values()]})),
        (root / "entities.yaml", dumps({"entities": [_entity(e) for e in kg.entities.values()]})),
    ]
    for s in kg.sources.values():
        if texts is not None and s.id in texts:
            given = texts[s.id]
            text = given.encode("utf-8") if isinstance(given, str) else given
        else:
            try:
                text = Path(s.text_path).read_bytes()
            except OSError as e:
                raise ExportError(
                    f"cannot write the dataset: the text of source {s.id!r} "
                    f"({s.text_path}) cannot be read: {e.strerror or e}"
                ) from e
        text_name = f"{s.id}.txt"
        doc = {"source": _source(s, text_name), "facts": [_fact(f) for f in by_source[s.id]]}
        planned.append((root / "sources" / f"{s.id}.yaml", dumps(doc)))
        planned.append((root / "sources" / text_name, text))
    for path, data in planned:  # everything is built before the first file is written
        write_bytes(path, data)
    return [path for path, _ in planned]
