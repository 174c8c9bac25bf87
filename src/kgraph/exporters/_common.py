"""What every exporter shares: the selection, sorting, colours, name checks and atomic writes.

Exporters build their whole output in memory first (every check happens
before a byte is written), then hand it to :func:`write_text` or
:func:`write_files`, which write it atomically: a temporary file in the
target's folder, then ``os.replace``. A failed export leaves no partial file
and keeps whatever was there before.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import tempfile
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ..errors import ExportError, UsageError

if TYPE_CHECKING:
    from ..knowledge import KnowledgeGraph
    from ..model import Entity, Fact

__all__ = [
    "Target",
    "check_xml_text",
    "creator",
    "degree",
    "entity_colour",
    "hex_colour",
    "is_stream",
    "nmtoken",
    "node_size",
    "polarity_colour",
    "qualifiers_text",
    "select",
    "sorted_entities",
    "sorted_facts",
    "write_files",
    "write_text",
    "xml_attr",
    "xml_escape",
]

Target = str | os.PathLike[str] | IO[str] | IO[bytes]

# -- selection -----------------------------------------------------------------


def select(
    kg: KnowledgeGraph,
    *,
    around: str | None = None,
    depth: int = 1,
    relations: Sequence[str] | None = None,
) -> KnowledgeGraph:
    """The part of ``kg`` to export: facts of ``relations`` (with sub-relations) near ``around``.

    With ``around``, the entities at most ``depth`` facts away from it
    (either direction) and every chosen fact among them; with only a relation
    filter, the chosen facts and the entities they join; with neither, all of
    ``kg``. The vocabulary and the sources the facts cite come along.

    >>> from kgraph import load
    >>> part = select(load(), around="belarus", depth=1, relations=["supports"])
    >>> all(f.relation in {"supports", "congratulates", "welcomes"} for f in part.facts)
    True
    """
    from ..knowledge import KnowledgeGraph
    from ..query import relation_filter

    if depth < 1:
        raise UsageError("--depth must be at least 1")
    if around is None and depth != 1:
        raise UsageError("--depth needs --around (the entity to start from)")
    if around is None and not relations:
        return kg
    allowed = relation_filter(kg, relations)
    facts = [f for f in kg.facts if allowed is None or f.relation in allowed]
    if around is not None:
        start = kg.entity(around).id
        near: dict[str, list[Fact]] = {}
        for f in facts:
            near.setdefault(f.subject, []).append(f)
            near.setdefault(f.object, []).append(f)
        keep = {start}
        frontier = {start}
        for _ in range(depth):
            reached = {(f.object if f.subject == e else f.subject) for e in frontier for f in near.get(e, [])}
            frontier = reached - keep
            keep |= frontier
            if not frontier:
                break
        facts = [f for f in facts if f.subject in keep and f.object in keep]
        entity_ids = keep
    else:
        entity_ids = {f.subject for f in facts} | {f.object for f in facts}
    cited = {f.source for f in facts}
    return KnowledgeGraph(
        list(kg.relations.values()),
        [e for e in kg.entities.values() if e.id in entity_ids],
        [s for s in kg.sources.values() if s.id in cited],
        facts,
        data_dir=kg.data_dir,
    )


def sorted_entities(kg: KnowledgeGraph) -> list[Entity]:
    """Entities in id order (exports never depend on file order)."""
    return [kg.entities[k] for k in sorted(kg.entities)]


def sorted_facts(kg: KnowledgeGraph) -> list[Fact]:
    """Facts in (subject, object, relation, id) order: parallel edges sit together.

    Checks on the way that no edge would dangle (a graph built in code is not
    validated): an ExportError names the first fact whose entity or relation
    is missing, or whose id is used twice.
    """
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
    return sorted(kg.facts, key=lambda f: (f.subject, f.object, f.relation, f.id))


def degree(kg: KnowledgeGraph) -> dict[str, int]:
    """How many facts each entity takes part in (a self-loop counts twice)."""
    out = dict.fromkeys(kg.entities, 0)
    for f in kg.facts:
        out[f.subject] = out.get(f.subject, 0) + 1
        out[f.object] = out.get(f.object, 0) + 1
    return out


def node_size(deg: int) -> float:
    """A node's drawing size: grows with its number of facts, never 0."""
    return float(10 + 2 * deg)


def creator() -> str:
    from .. import __version__

    return f"kgraph {__version__}"


# -- colours -------------------------------------------------------------------

# Entity types of the bundled data get fixed colours (Tableau 10); any other
# type gets one picked by a hash of its name, so colours never depend on order.
_TYPE_COLOURS: dict[str, tuple[int, int, int]] = {
    "country": (31, 119, 180),
    "person": (255, 127, 14),
    "organisation": (44, 160, 44),
    "group": (148, 103, 189),
    "event": (140, 86, 75),
    "initiative": (227, 119, 194),
    "place": (188, 189, 34),
    "document": (23, 190, 207),
}
_PALETTE = list(_TYPE_COLOURS.values()) + [(127, 127, 127), (174, 199, 232), (255, 187, 120), (152, 223, 138)]

_POLARITY_COLOURS: dict[int, tuple[int, int, int]] = {
    1: (44, 160, 44),  # cooperative: green
    -1: (214, 39, 40),  # conflictual: red
    0: (127, 127, 127),  # structural / commentary: grey
}


def entity_colour(entity_type: str) -> tuple[int, int, int]:
    """The (r, g, b) colour of an entity type."""
    if entity_type in _TYPE_COLOURS:
        return _TYPE_COLOURS[entity_type]
    digest = hashlib.sha256(entity_type.encode("utf-8")).digest()
    return _PALETTE[digest[0] % len(_PALETTE)]


def polarity_colour(polarity: int) -> tuple[int, int, int]:
    """The (r, g, b) colour of a fact's polarity."""
    return _POLARITY_COLOURS.get(polarity, _POLARITY_COLOURS[0])


def hex_colour(rgb: tuple[int, int, int]) -> str:
    """``#rrggbb``."""
    return "#{:02x}{:02x}{:02x}".format(*rgb)


# -- text checks ------------------------------------------------------------------

# Characters XML 1.0 cannot hold at all, escaped or not: C0 controls other than
# tab, line feed and carriage return; U+FFFE, U+FFFF; lone surrogates.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _texts(kg: KnowledgeGraph) -> Iterable[tuple[str, str]]:
    """Every piece of text an export writes, with where it comes from."""
    for e in sorted_entities(kg):
        yield f"entity {e.id!r} id", e.id
        yield f"entity {e.id!r} name", e.name
        yield f"entity {e.id!r} type", e.type
        yield f"entity {e.id!r} description", e.description
        for a in e.aliases:
            yield f"entity {e.id!r} alias", a
    for r in sorted(kg.relations.values(), key=lambda r: r.id):
        yield f"relation {r.id!r} id", r.id
        yield f"relation {r.id!r} label", r.label
        yield f"relation {r.id!r} description", r.description
    for f in sorted_facts(kg):
        for key in ("id", "quote", "source", "date", "start", "end", "according_to"):
            value = getattr(f, key)
            if value is not None:
                yield f"fact {f.id!r} {key}", value
        for k, v in f.qualifiers:
            yield f"fact {f.id!r} qualifier", k
            yield f"fact {f.id!r} qualifier {k!r}", v
    for s in sorted(kg.sources.values(), key=lambda s: s.id):
        yield f"source {s.id!r} title", s.title


def check_xml_text(kg: KnowledgeGraph, fmt: str, why: str = "XML 1.0 cannot hold") -> None:
    """Refuse, before writing anything, text that XML 1.0 cannot hold (control characters).

    kgraph refuses rather than strips: a silently changed name or quote would
    no longer match the article. The message says where the character is.
    """
    for where, text in _texts(kg):
        m = _NOT_XML.search(text)
        if m:
            raise ExportError(
                f"cannot export {fmt}: {where} contains the control character U+{ord(m.group()):04X}, "
                f"which {why}; remove it from the data (json, cytoscape, csv, rdf and neo4j exports keep it)"
            )


def xml_escape(text: str) -> str:
    """Text content for XML: ``& < >`` escaped, ``\\r`` kept as a character reference."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def xml_attr(text: str) -> str:
    """A double-quoted XML attribute value, with tabs and line breaks kept as character references."""
    escaped = xml_escape(text).replace('"', "&quot;").replace("\t", "&#9;").replace("\n", "&#10;")
    return f'"{escaped}"'


_NMTOKEN_SAFE = re.compile(r"[A-Za-z0-9.\-]")


def nmtoken(ident: str) -> str:
    """An XML NMTOKEN (and Gephi-safe id) for any id; slugs stay as they are.

    Every character outside ``[A-Za-z0-9.-]`` becomes ``_<hex>_``, so the
    mapping is one-to-one (``_`` itself is always escaped).

    >>> nmtoken("belarus"), nmtoken("a b/ü")
    ('belarus', 'a_20_b_2f__fc_')
    """
    return "".join(c if _NMTOKEN_SAFE.fullmatch(c) else f"_{ord(c):x}_" for c in ident) or "_"


def qualifiers_text(f: Fact) -> str | None:
    """A fact's qualifiers as one JSON object string (keys sorted), or None without any."""
    if not f.qualifiers:
        return None
    return json.dumps(dict(sorted(f.qualifiers)), ensure_ascii=False, sort_keys=True)


# -- writing ---------------------------------------------------------------------


def is_stream(target: object) -> bool:
    return hasattr(target, "write")


def _write_stream(stream: Any, data: bytes, *, binary: bool = False) -> None:
    """Write to an open stream: bytes to a binary one, or to a text stream's buffer when it has one."""
    if isinstance(stream, io.TextIOBase) or hasattr(stream, "encoding"):
        buffer = getattr(stream, "buffer", None)
        if buffer is not None:
            stream.flush()
            buffer.write(data)
            buffer.flush()
        elif binary:
            raise ExportError("a zip needs a binary stream (or a path), not a text stream")
        else:
            stream.write(data.decode("utf-8"))
    else:
        stream.write(data)


STALE_TEMP_S = 3600
"""A temporary file of ours older than this (seconds) was left by a killed writer: the next write removes it."""


def _temp_prefix(name: str) -> str:
    """The prefix of the temporary files written for the file ``name`` (short enough for any file system)."""
    return f".{name[:100]}."


def _atomic_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and ``os.replace``.

    The temporary file (``.<name>.<random>.tmp``) is flushed to disk before
    the rename, so ``path`` is at every moment either its old content or
    the complete new one. On any failure (disk full, permission denied) the
    temporary file is removed, ``path`` is untouched, and ExportError says
    why. A replaced file keeps its permissions; a new one gets the umask's.
    Temporary files of the same name left by a killed writer are removed
    once they are :data:`STALE_TEMP_S` old.
    """
    folder = path.parent
    if not folder.is_dir():
        raise ExportError(f"cannot write {str(path)!r}: folder {str(folder)!r} does not exist")
    if path.is_dir():
        raise ExportError(f"cannot write {str(path)!r}: it is a folder")
    tmp: str | None = None
    try:
        mode = _mode_of(path)
        fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(path.name), suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
        tmp = None
    except OSError as e:
        raise ExportError(f"cannot write {str(path)!r}: {e.strerror or e}") from e
    finally:
        if tmp is not None:
            _remove(tmp)
    _remove_stale_temps(folder, [path.name])


def _mode_of(path: Path) -> int:
    """The permissions ``path`` has (kept when it is replaced), or the umask's for a new file."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        return _file_mode()


def _remove_stale_temps(folder: Path, names: Iterable[str]) -> None:
    """Remove our temporary files for ``names`` in ``folder`` older than STALE_TEMP_S (a killed writer's)."""
    import time

    prefixes = tuple(_temp_prefix(n) for n in names)
    limit = time.time() - STALE_TEMP_S
    try:
        with os.scandir(folder) as it:
            for entry in it:
                if entry.name.startswith(prefixes) and entry.name.endswith(".tmp"):
                    try:
                        if entry.is_file(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_mtime < limit:
                            os.unlink(entry.path)
                    except OSError:
                        pass
    except OSError:
        pass


def _file_mode() -> int:
    """The mode a new file gets from the umask (mkstemp files are private otherwise)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def write_text(text: str, target: Target) -> None:
    """Write one document (UTF-8, LF line ends) to a path, atomically, or to an open stream."""
    data = text.encode("utf-8")
    if is_stream(target):
        _write_stream(target, data)
    else:
        _atomic_bytes(Path(os.fspath(target)), data)  # type: ignore[arg-type]


def _zip_bytes(files: Mapping[str, str]) -> bytes:
    """A deterministic zip: sorted names, fixed timestamps and permissions."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            z.writestr(info, files[name].encode("utf-8"))
    return buffer.getvalue()


def write_files(files: Mapping[str, str], target: Target, fmt: str) -> None:
    """Write several files: into a folder (created if missing) or a ``.zip`` (path or binary stream).

    Every file is first written to a temporary name in the target folder;
    only when all are written are they renamed into place, so a failure
    while writing (disk full, permission denied) leaves the folder as it
    was. (Each rename is atomic, the set of them is not: a rename failing
    half-way, which a folder that took the temporary files hardly does,
    would leave some files new.) Files already in the folder that the
    export does not write are left alone.
    """
    if is_stream(target):
        _write_stream(target, _zip_bytes(files), binary=True)
        return
    path = Path(os.fspath(target))  # type: ignore[arg-type]
    if path.suffix.lower() == ".zip":
        _atomic_bytes(path, _zip_bytes(files))
        return
    if path.exists() and not path.is_dir():
        raise ExportError(f"cannot export {fmt} to {str(path)!r}: it is a file; give a folder or a .zip")
    if not path.parent.is_dir():
        raise ExportError(f"cannot write {str(path)!r}: folder {str(path.parent)!r} does not exist")
    made = not path.exists()
    temps: dict[str, str] = {}
    try:
        path.mkdir(exist_ok=True)
        for name in sorted(files):
            fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(name), suffix=".tmp", dir=path)
            temps[name] = tmp
            with os.fdopen(fd, "wb") as out:
                out.write(files[name].encode("utf-8"))
                out.flush()
                os.fsync(out.fileno())
            os.chmod(tmp, _mode_of(path / name))
        for name in sorted(files):
            os.replace(temps[name], path / name)
            del temps[name]
    except OSError as e:
        for tmp in temps.values():
            _remove(tmp)
        if made:
            try:
                path.rmdir()
            except OSError:
                pass
        raise ExportError(f"cannot write {str(path)!r}: {e.strerror or e}") from e
    except BaseException:
        for tmp in temps.values():
            _remove(tmp)
        raise
    _remove_stale_temps(path, files)
