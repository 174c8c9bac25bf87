"""What every exporter shares: the order things are written in, common fields, and how output is written.

Exporters check the whole graph first (every check happens before a byte is
written), then hand their output as it is made, piece by piece, to
:func:`write_pieces` or :func:`write_file_pieces`, which gather the pieces
into chunks and write them atomically through :mod:`kgraph.atomic`: a failed
export leaves no partial file and keeps whatever was there before, and no
export holds its whole document in memory (a GraphML of a million facts is
a gigabyte of text). :func:`write_text` and :func:`write_files` write
documents already whole.
"""

from __future__ import annotations

import itertools
import json
import operator
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import atomic
from ..atomic import Target, is_stream
from ..errors import ExportError

if TYPE_CHECKING:
    from ..knowledge import KnowledgeGraph
    from ..model import Entity, Fact

__all__ = [
    "Target",
    "creator",
    "is_stream",
    "json_pieces",
    "streamed",
    "node_size",
    "qualifiers_text",
    "sorted_entities",
    "sorted_facts",
    "write_file_pieces",
    "write_files",
    "write_pieces",
    "write_text",
]

CHUNK = 1 << 16
"""How many characters of pieces are gathered before they are encoded and written."""


def sorted_entities(kg: KnowledgeGraph) -> list[Entity]:
    """Entities in id order (exports never depend on file order)."""
    return [kg.entities[k] for k in sorted(kg.entities)]


def sorted_facts(kg: KnowledgeGraph) -> list[Fact]:
    """Facts in (subject, object, relation, id) order: parallel edges sit together.

    Checks on the way that no edge would dangle (a graph built in code is not
    validated): an ExportError names the first fact whose entity or relation
    is missing, or whose id is used twice.
    """
    facts = kg.facts
    entities, relations = kg.entities, kg.relations
    sound = all(f.subject in entities and f.object in entities and f.relation in relations for f in facts)
    if not sound or len({f.id for f in facts}) != len(facts):
        _refuse(kg)
    return sorted(facts, key=operator.attrgetter("subject", "object", "relation", "id"))


def _refuse(kg: KnowledgeGraph) -> None:
    """Raise the ExportError naming the first fact that dangles or repeats an id."""
    seen: set[str] = set()
    for f in kg.facts:
        for role, ident, known in (
            ("subject", f.subject, kg.entities),
            ("object", f.object, kg.entities),
            ("relation", f.relation, kg.relations),
        ):
            if ident not in known:
                raise ExportError(f"cannot export: fact {f.id!r} has {role} {ident!r}, which is not in the graph")
        if f.id in seen:
            raise ExportError(f"cannot export: two facts have the id {f.id!r}")
        seen.add(f.id)


def node_size(deg: int) -> float:
    """A node's drawing size: grows with its number of facts, never 0."""
    return float(10 + 2 * deg)


def creator() -> str:
    """``kgraph <version>``: the program named in an export's metadata."""
    from .. import __version__

    return f"kgraph {__version__}"


def qualifiers_text(f: Fact) -> str | None:
    """A fact's qualifiers as one JSON object string (keys sorted), or None without any."""
    if not f.qualifiers:
        return None
    return json.dumps(dict(sorted(f.qualifiers)), ensure_ascii=False, sort_keys=True)


def write_text(text: str, target: Target) -> None:
    """Write one document (UTF-8, LF line ends) to a path, atomically, or to an open stream."""
    atomic.write_target(text.encode("utf-8"), target)


def write_files(files: Mapping[str, str], target: Target, fmt: str) -> None:
    """Write several files: into a folder (created if missing) or a ``.zip`` (path or binary stream).

    A folder gets every file or none of them (:func:`kgraph.atomic.write_folder`);
    files already in it that the export does not write are left alone.
    """
    data = {name: text.encode("utf-8") for name, text in files.items()}
    if is_stream(target):
        atomic.write_stream(target, atomic.zip_bytes(data), binary=True)
        return
    path = Path(os.fspath(target))  # type: ignore[arg-type]  # not a stream: a path
    if path.suffix.lower() == ".zip":
        atomic.write_bytes(path, atomic.zip_bytes(data))
    else:
        atomic.write_folder(path, data, fmt)


def chunks(pieces: Iterable[str], size: int = CHUNK) -> Iterator[bytes]:
    """The pieces of a document, gathered into UTF-8 chunks of about ``size`` characters (one write each)."""
    batch: list[str] = []
    gathered = 0
    for piece in pieces:
        batch.append(piece)
        gathered += len(piece)
        if gathered >= size:
            yield "".join(batch).encode("utf-8")
            batch, gathered = [], 0
    if batch:
        yield "".join(batch).encode("utf-8")


def write_pieces(pieces: Iterable[str], target: Target) -> None:
    """Write a document made piece by piece (UTF-8) to a path, atomically, or to an open stream, as it comes."""
    atomic.write_target(chunks(pieces), target)


def write_file_pieces(files: Mapping[str, Callable[[], Iterable[str]]], target: Target, fmt: str) -> None:
    """:func:`write_files` for files made piece by piece: each function gives its file's pieces when called.

    A folder gets every file or none; a ``.zip`` (path or binary stream) is
    written through a temporary file, so the zip is never whole in memory
    either (the same bytes :func:`kgraph.atomic.zip_bytes` makes).
    """
    data = {name: chunks(_Deferred(make)) for name, make in files.items()}
    if is_stream(target):
        with tempfile.TemporaryFile() as spool:
            atomic.write_zip(spool, data)
            spool.seek(0)
            atomic.write_target(iter(lambda: spool.read(CHUNK), b""), target, binary=True)
        return
    path = Path(os.fspath(target))  # type: ignore[arg-type]  # not a stream: a path
    if path.suffix.lower() == ".zip":
        with tempfile.TemporaryFile() as spool:
            atomic.write_zip(spool, data)
            spool.seek(0)
            atomic.write_bytes(path, iter(lambda: spool.read(CHUNK), b""))
    else:
        atomic.write_folder(path, data, fmt)


class _Deferred:
    """An iterable that calls ``make`` when first iterated (a file's pieces start when its turn comes)."""

    def __init__(self, make: Callable[[], Iterable[str]]) -> None:
        self.make = make

    def __iter__(self) -> Iterator[str]:
        return iter(self.make())


def streamed(name: str) -> str:
    """A stand-in for a long list in a document given to :func:`json_pieces`, which writes the list there."""
    return f"\x00kgraph-streamed:{name}\x00"


def json_pieces(document: Any, lists: Mapping[str, Iterable[Any]], batch: int = 100) -> Iterator[str]:
    """``json.dumps(document, ensure_ascii=False, sort_keys=True, indent=2) + "\n"`` in pieces, where each
    :func:`streamed` stand-in of ``document`` is the list ``lists`` gives under its name: its items are
    encoded a batch at a time as they come, never the whole list (the same text as the list whole)."""
    text = _dumps(document) + "\n"
    at = 0
    while True:
        found = [(text.find(_dumps(streamed(name)), at), name) for name in lists]
        found = [(i, name) for i, name in found if i >= 0]
        if not found:
            yield text[at:]
            return
        i, name = min(found)
        yield text[at:i]
        indent = text[text.rfind("\n", 0, i) + 1 :]
        yield from _json_list(lists[name], " " * (len(indent) - len(indent.lstrip(" "))), batch)
        at = i + len(_dumps(streamed(name)))


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2)


def _json_list(items: Iterable[Any], outer: str, batch: int) -> Iterator[str]:
    """A list as ``json.dumps(..., indent=2)`` writes it inside an object whose keys are indented ``outer``."""
    first = True
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, batch)):
        body = _dumps(chunk)[2:-2]  # the items, each indented two spaces: "[\n" and "\n]" cut off
        yield ("[\n" if first else ",\n") + outer + body.replace("\n", "\n" + outer)
        first = False
    yield "[]" if first else f"\n{outer}]"
