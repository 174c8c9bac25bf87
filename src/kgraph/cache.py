"""A compiled cache of loaded datasets, so unchanged data is never parsed or validated twice.

Where: ``$KGRAPH_CACHE_DIR``, else ``$XDG_CACHE_HOME/kgraph``, else
``~/.cache/kgraph``; one file per dataset folder (``<hash of its path>.kgc``),
at most :data:`MAX_ENTRIES` files (the least recently used go first).

When an entry is used: its *key* is a SHA-256 of the kgraph version, of the
source code of the kgraph modules that turn files into a graph, and of the
content (and name) of every data file: ``relations.yaml``,
``entities.yaml``, every ``sources/*.yaml`` (and ``*.yml``, which only draw a
warning) and every article text the sources name. A changed byte anywhere,
an added or removed source file or another kgraph gives another key, and the
dataset is read again. Only a dataset without errors is cached (its warnings
are kept with it). A file is not read to get its digest when its signature
(size, times, inode, device, type) is the one recorded when it was hashed,
settled (:func:`tokens`); when every file's is, the look-up compares them
all at once and the key with them (:func:`quick_record`). A file touched
without a change sends look-ups back to the digests, which find the entry
current, until the entry is next written.

Never a wrong answer: the file starts with a magic number, the format, the
lengths and a CRC-32 of the header and of the body's head (its section
table and small tables); the head holds a CRC-32 of every section and of
every block of :data:`BLOCK_ROWS` rows across the fact columns. A
truncated, foreign or stale file, or one whose head is damaged, is ignored
and rewritten. An entry under 1 MB is read and every section checked at
once. A larger one is memory-mapped, and each part is checked when a
command first reads it: a section read whole, or a block of rows when one
of its facts is first made (read with ``pread``, so a query touching a few
rows does not bring the whole file into its memory). So a warm query at a
million facts reads a few megabytes, not 235. Damage found that late cannot
be undone by reading the files instead, since the command has started
answering: it stops with one line (:class:`CacheDamaged`, exit code 9),
having removed the entry, and the next run reads the data. Writers write a temporary file in the
cache folder and ``os.replace`` it into place, so readers see the old file
or the new one, never half of one, and several processes may load at once
(each writes its own temporary file; the last rename wins, and every entry
written for the same data is equally valid). A writer killed before its
rename leaves its temporary file (``.<entry>.<random>.tmp``, written by
:func:`kgraph.atomic.replace_bytes`): the next entry written
removes such files once they are an hour old (a younger one may belong to a
writer still at work), and ``kgraph cache clear`` removes them all. A cache
folder that cannot be written (read-only, full) is not an error: loading
just is not cached. Entries are not fsynced: one damaged by a power loss
fails a check (at look-up, or when the damaged part is read, as above).

The format (why it is fast): the small tables (relations, warnings) are a
:mod:`marshal` block, and the entities, the sources and the folded-name
index each a marshalled section, unmarshalled when first used (a graph's
``entities`` and ``sources`` are then :class:`LazyTable` mappings: their
ids are read at once, each row, marshalled apart, when its value is first
asked for); the facts are
*columns*: each field either a code table plus an array of codes, a UTF-8
blob plus offsets, or an array of integers, and the subject and object
indexes are sorted arrays. Reading them is a few ``memoryview.cast`` calls,
whatever the size. The graph read from an entry is an ordinary
:class:`~kgraph.knowledge.KnowledgeGraph` whose facts come from a
:class:`CompiledFactStore` (its :class:`~kgraph.knowledge.FactStore`): a
:class:`~kgraph.model.Fact` is made only when a query reaches it
(who-supports at a million facts touches a few thousand), and all of them
when something iterates ``kg.facts``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import itertools
import marshal
import operator
import os
import stat
import struct
import time
import types
import zlib
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Generic, TypeVar, cast

from . import __version__
from .atomic import STALE_TEMP_S, replace_bytes
from .errors import ExitCode, KGraphError, Problem
from .knowledge import KnowledgeGraph, MemoryFactStore
from .limits import current as current_limits
from .limits import inside, read_inside
from .model import Entity, Fact, Relation, Source
from .resolve import NameIndex

__all__ = [
    "MAX_ENTRIES",
    "CacheDamaged",
    "CompiledFactStore",
    "LazyTable",
    "cache_dir",
    "clear",
    "entry_path",
    "info",
    "load_cached",
    "store",
]

MAGIC = b"KGRAPHC\x01"
FORMAT = 5
PREFIX = struct.Struct("<8sIQI")  # magic, header length, body length, crc32(header + the body's head)
MAX_ENTRIES = 16
SUFFIX = ".kgc"
PARTS = ".parts"  # beside an entry: the part files of its dataset (kgraph.cachebuild)
_HEADER_MAX = 64 << 20


def cache_dir() -> Path:
    """Where cache files live: ``$KGRAPH_CACHE_DIR``, ``$XDG_CACHE_HOME/kgraph`` or ``~/.cache/kgraph``."""
    explicit = os.environ.get("KGRAPH_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "kgraph"
    return Path.home() / ".cache" / "kgraph"


def entry_path(root: str | os.PathLike[str]) -> Path:
    """The cache file of one dataset folder."""
    where = os.path.realpath(root)
    return cache_dir() / (hashlib.sha256(where.encode("utf-8", "surrogatepass")).hexdigest()[:32] + SUFFIX)


# -- what the key covers --------------------------------------------------------


def _yaml_inputs(root: Path) -> list[Path]:
    """The data files whose presence and content decide what load() returns (texts apart)."""
    return [root / name for name in _yaml_names(root)]


def _yaml_names(root: Path) -> list[str]:
    """:func:`_yaml_inputs` as names relative to ``root`` (os.listdir: pathlib costs ~1 s at 30,000 files)."""
    names = ["relations.yaml", "entities.yaml"]
    try:
        found = os.listdir(root / "sources")
    except OSError:  # missing, not a folder, unreadable: the loader says which
        return names
    names += ["sources/" + n for n in sorted(n for n in found if n.endswith(".yaml"))]
    names += ["sources/" + n for n in sorted(n for n in found if n.endswith(".yml"))]
    return names


# The modules whose code decides what load() returns. In an installed kgraph the
# version alone would do; hashing these too keeps a development checkout honest.
_LOADING_MODULES = (
    "__init__.py",
    "cache.py",
    "cachebuild.py",
    "dates.py",
    "errors.py",
    "knowledge.py",
    "loader.py",
    "loading/__init__.py",
    "loading/dataset.py",
    "loading/entities.py",
    "loading/facts.py",
    "limits.py",
    "loading/files.py",
    "loading/naming.py",
    "loading/parts.py",
    "loading/quotes.py",
    "loading/refs.py",
    "loading/skips.py",
    "loading/sources.py",
    "loading/vocabulary.py",
    "model.py",
    "resolve.py",
    "suggest.py",
    "validate.py",
    "yamlread.py",
)
_code_digest: str | None = None


def _code_fingerprint() -> str:
    """The kgraph version and a digest of the modules that load data (a changed loader is another cache)."""
    global _code_digest
    if _code_digest is None:
        h = hashlib.sha256(f"{__version__}\0{FORMAT}\0".encode())
        here = Path(__file__).resolve().parent
        for name in _LOADING_MODULES:
            h.update(name.encode() + b"\0")
            try:
                h.update((here / name).read_bytes())
            except OSError:
                h.update(b"\0unreadable")
        _code_digest = h.hexdigest()
    return _code_digest


def _content_key(root: Path, texts: Sequence[str]) -> str:
    """SHA-256 over the code fingerprint and the name and bytes of every data file (missing files too).

    ``texts`` are the article texts the sources name, relative to ``root``
    (absolute when outside it), as stored in the entry's header.
    """
    names = _yaml_names(root) + list(texts)
    return key_of(names, tokens(root, names))


Token = str | None


Signature = tuple[int, int, int, int, int, int]  # size, mtime, ctime (ns), inode, device, mode: identity and state
_SIGNATURE = operator.attrgetter("st_size", "st_mtime_ns", "st_ctime_ns", "st_ino", "st_dev", "st_mode")
SETTLED_NS = 2_000_000_000
"""A file last changed this long before it was hashed has its signature kept with its digest (see :func:`tokens`)."""


def tokens(
    root: Path,
    names: Iterable[str],
    into: dict[str, Token] | None = None,
    *,
    known: dict[str, tuple[Signature, Token]] | None = None,
    signed: dict[str, Signature] | None = None,
) -> dict[str, Token]:
    """A SHA-256 of each data file's bytes (None for a missing or unreadable one), by its name in the folder.

    Never read outside the data folder, nor a FIFO (it would block), nor a
    file over the size limits (the loader refuses it anyway): such a file
    counts as missing. Names already in ``into`` are not read again.

    ``known`` maps names to the signature (size, modification and change
    times, inode, device, type and mode) and digest an entry recorded: a regular file (not
    a symlink) with that very signature has that digest, and is not read.
    Any write changes the change time (no tool can set it), so a file with
    the same signature has the same bytes, provided it was last changed
    before the signature was taken by more than the file system's clock
    granularity: only such *settled* files (changed over
    :data:`SETTLED_NS` before they were hashed, their signature the same
    before and after) get their signature into ``signed``, as git does for
    its index.
    """
    out: dict[str, Token] = {} if into is None else into
    base = os.fspath(root)
    real = os.path.realpath(base)
    lim = current_limits()
    cap = max(lim.max_file_bytes, lim.max_text_bytes)
    head = os.path.join(base, "")
    dirs: dict[str, bool] = {"": True}  # by the folder part of a name (at 30,000 files, os.path costs 0.3 s)
    known = known or {}
    posix = os.name == "posix"
    for name in names:
        if name in out:
            continue
        absolute = name[:1] == "/" if posix else os.path.isabs(name)
        file = name if absolute else head + name
        folder = os.path.dirname(name) if absolute else name.rpartition("/")[0]
        ok = dirs.get(folder)
        if ok is None:
            ok = dirs[folder] = _folder_inside(os.path.dirname(file), real)
        if not ok:
            out[name] = None
            continue
        was = known.get(name)
        if was is not None and was[1] is not None:
            # _token's common case, without its call (a million facts are 33,000 files): the signature recorded
            sig = _signature(file)
            if sig is not None and sig == tuple(was[0]):
                if signed is not None:
                    signed[name] = sig
                out[name] = was[1]
                continue
        out[name] = _token(file, real, cap, was, signed, name)
    return out


def _folder_inside(folder: str, real: str) -> bool:
    """Whether ``folder``, its links followed, is the data folder (``real``, resolved) or inside it."""
    resolved = os.path.realpath(folder)
    return resolved == real or inside(resolved, real)


def _signature(file: str) -> Signature | None:
    """The signature of a regular file that is not a symlink; None for anything else."""
    try:
        st = os.lstat(file)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    return cast("Signature", _SIGNATURE(st))


def _settled(sig: Signature) -> bool:
    """Whether the file was last changed long enough ago that a change now would show in its signature."""
    return time.time_ns() - max(sig[1], sig[2]) > SETTLED_NS


def _token(
    file: str,
    real: str,
    cap: int,
    known: tuple[Signature, Token] | None,
    signed: dict[str, Signature] | None,
    name: str,
) -> Token:
    """One file's digest: the one recorded for its signature, or read and hashed (and its signature noted)."""
    sig = _signature(file) if known is not None or signed is not None else None
    if known is not None and sig is not None and tuple(known[0]) == sig and known[1] is not None:
        if signed is not None:
            signed[name] = sig
        return known[1]
    try:
        token = hashlib.sha256(read_inside(file, real, cap)).hexdigest()
    except OSError:
        return None
    if signed is not None and sig is not None and _settled(sig) and _signature(file) == sig:
        signed[name] = sig
    return token


def key_of(names: Iterable[str], found: dict[str, Token]) -> str:
    """The key of an entry: the code fingerprint and the name and digest of every file (missing ones too)."""
    h = hashlib.sha256(_code_fingerprint().encode())
    get = found.get
    parts = [
        f"\0missing\0{name}\0\0" if token is None else f"\0file\0{name}\0{token}\0"
        for name in names
        for token in (get(name),)
    ]
    h.update("".join(parts).encode("utf-8", "surrogatepass"))  # (one update: the same digest as one per name)
    return h.hexdigest()


Quick = tuple[str, tuple[str, ...], bytes]
"""What a warm look-up compares instead of asking each file's digest: the names listed, their folders, and
every file's signature packed (see :func:`quick_record`)."""


def quick_record(listed: Sequence[str], signed: Mapping[str, tuple[Signature, Token]], key: str | None) -> Quick | None:
    """The :data:`Quick` of an entry whose key is ``key`` over ``listed``, when every listed file is in ``signed``
    (settled, its signature recorded with the digest the key holds); None otherwise.

    With each name's digest the one recorded beside its signature, the key
    of ``listed`` is ``key``; so a look-up that finds the same names and the
    same signatures has found this key without computing it. At a million
    facts (33,308 files), unmarshalling the signatures one by one, comparing
    them and hashing the key cost 0.1-0.15 s of every warm query; comparing
    them packed costs little beyond the ``lstat`` calls.
    """
    import array

    if key is None or any(n[:1] == "/" or n not in signed or signed[n][1] is None for n in listed):
        return None
    try:
        packed = array.array("q", itertools.chain.from_iterable(signed[n][0] for n in listed)).tobytes()
    except (OverflowError, TypeError):  # (a value no signed 64-bit integer holds: compared one by one)
        return None
    return "\0".join(listed), tuple(sorted({n.rpartition("/")[0] for n in listed})), packed


def _quick_current(root: Path, listed: Sequence[str], quick: Any) -> bool:
    """Whether ``listed`` and its files' signatures now are the ones ``quick`` recorded (see :func:`quick_record`).

    The folders are checked as :func:`tokens` checks them (a data folder
    turned into a link outside the dataset is not read through); a file that
    is missing, not a regular file, or changed in any way gives False, and
    the look-up asks each file's digest instead.
    """
    import array

    if not (isinstance(quick, tuple) and len(quick) == 3 and quick[0] == "\0".join(listed)):
        return False
    _, folders, packed = quick
    base = os.fspath(root)
    real = os.path.realpath(base)
    if not all(_folder_inside(os.path.join(base, folder), real) for folder in folders):
        return False
    head = os.path.join(base, "")
    try:  # (no Python step per file: the signatures are read and packed by C code)
        signatures = map(_SIGNATURE, map(os.lstat, [head + n for n in listed]))
        now = array.array("q", itertools.chain.from_iterable(signatures))
    except (OSError, OverflowError):
        return False
    return bool(now.tobytes() == packed)


def _stats(files: Iterable[Path]) -> dict[str, tuple[int, int, int]]:
    out: dict[str, tuple[int, int, int]] = {}
    for f in files:
        try:
            st = f.stat()
        except OSError:
            out[str(f)] = (-1, -1, -1)
        else:
            out[str(f)] = (st.st_size, st.st_mtime_ns, st.st_ino)
    return out


def snapshot(root: Path) -> dict[str, tuple[int, int, int]]:
    """Size, mtime and inode of every data file and every file beside the sources: taken before a load,
    compared after it, so a file changed while it was read is never cached under its new content."""
    files = _yaml_inputs(root)
    src = root / "sources"
    with contextlib.suppress(OSError):  # (an unreadable folder: the loader reports it)
        files += [p for p in src.iterdir() if p.suffix not in (".yaml", ".yml")]
    return _stats(files)


# -- columns ----------------------------------------------------------------------

_FACT_FIELDS = tuple(f.name for f in dataclasses.fields(Fact))
_INDEXED = ("subject", "object")  # always codes: the indexes are built on the codes


# How each Fact field is stored (any other field is looked at); a value that does not fit falls back to codes.
_ENCODING = {
    "id": "text",
    "quote": "text",
    "line": "ints",
    "polarity": "ints",
    "subject": "codes",
    "object": "codes",
    "relation": "codes",
    "source": "codes",
    "date": "codes",
    "start": "codes",
    "end": "codes",
    "according_to": "codes",
    "qualifiers": "codes",
}


def _encode_column(values: list[Any], kind: str | None) -> tuple[dict[str, Any], list[bytes]]:
    """One fact field as a spec (small, marshalled) and its binary sections."""
    if kind is None:  # a field this module does not know: choose by looking at the values
        types = set(map(type, values))
        kind = (
            "ints" if types == {int} else "text" if types == {str} and len(set(values)) > len(values) // 2 else "codes"
        )
    if kind == "ints":
        try:
            return {"kind": "ints"}, [_array("q", values)]
        except (TypeError, OverflowError):
            pass
    elif kind == "text":
        try:
            if all(map(str.isascii, values)):  # (ids, and often quotes: a character is a byte, one encode does all)
                data = "".join(values).encode("ascii")
                return {"kind": "text"}, [data, _array("Q", itertools.accumulate(map(len, values), initial=0))]
            parts = [v.encode("utf-8", "surrogatepass") for v in values]
        except (TypeError, AttributeError):  # a None (or something else) among the strings
            pass
        else:
            offsets = itertools.accumulate(map(len, parts), initial=0)
            return {"kind": "text"}, [b"".join(parts), _array("Q", offsets)]
    table = dict.fromkeys(values)  # first-seen order
    index = dict(zip(table, range(len(table)), strict=True))
    return {"kind": "codes", "table": tuple(table)}, [_array("I", map(index.__getitem__, values))]


def _array(typecode: str, values: Iterable[int]) -> bytes:
    import array

    return array.array(typecode, values).tobytes()


def _csr(codes: memoryview | Sequence[int], n_codes: int) -> tuple[list[int], list[int]]:
    """Rows grouped by code, in row order within each group; offsets[c]..offsets[c+1] are code c's rows."""
    counts = Counter(codes)
    offsets = list(itertools.accumulate((counts.get(c, 0) for c in range(n_codes)), initial=0))
    order = sorted(range(len(codes)), key=codes.__getitem__)  # stable: row order within a code
    return order, offsets


# -- writing ------------------------------------------------------------------------


def _rows(items: Iterable[Any]) -> tuple[tuple[Any, ...], ...]:
    """Dataclass values as tuples of their fields, in field order (how they are rebuilt: ``Cls(*row)``)."""
    out = []
    for x in items:
        out.append(tuple(getattr(x, f.name) for f in dataclasses.fields(x)))
    return tuple(out)


def _relative_problem(p: Problem, root: str) -> tuple[Any, ...]:
    row = list(_rows([p])[0])
    if p.path == root or p.path.startswith(root + os.sep):
        row[0] = ("\0root", p.path[len(root) :])
    return tuple(row)


def _encode(kg: KnowledgeGraph, root: str, texts: list[str]) -> tuple[bytes, dict[str, Any]]:
    facts = kg.facts
    n = len(facts)
    sections: list[bytes] = []
    columns: dict[str, Any] = {}
    for name in _FACT_FIELDS:
        values = list(map(operator.attrgetter(name), facts))
        spec, parts = _encode_column(values, _ENCODING.get(name))
        spec["sections"] = list(range(len(sections), len(sections) + len(parts)))
        sections += parts
        columns[name] = spec
    indexes = add_indexes(columns, sections)
    meta = {
        "n": n,
        "fields": _FACT_FIELDS,
        "columns": columns,
        "indexes": indexes,
        "relations": _rows(kg.relations.values()),
        "entities": _rows(kg.entities.values()),
        "sources": _rows(kg.sources.values()),
        "warnings": tuple(_relative_problem(p, root) for p in kg.warnings),
        "names": _names_to_store(kg.names),
    }
    body = pack(meta, sections)
    summary = {
        "facts": n,
        "entities": len(kg.entities),
        "relations": len(kg.relations),
        "sources": len(kg.sources),
        "texts": texts,
    }
    return body, summary


def add_indexes(columns: dict[str, Any], sections: list[bytes]) -> dict[str, list[int]]:
    """The subject and object indexes (rows sorted by code, offsets per code) appended to ``sections``."""
    import array

    indexes: dict[str, list[int]] = {}
    for name in _INDEXED:
        codes = array.array("I")
        codes.frombytes(sections[columns[name]["sections"][0]])
        order, offsets = _csr(codes, len(columns[name]["table"]))
        indexes[name] = [len(sections), len(sections) + 1]
        sections += [_array("I", order), _array("Q", offsets)]
    return indexes


# The tables a query may never need: each marshalled into a section of its own, read on first use.
_LAZY_TABLES = ("entities", "sources", "names")
BLOCK_ROWS = 1024
"""Rows per checked block: a fact is made only after the bytes of its block, in every column, passed their CRC."""


def pack(meta: dict[str, Any], sections: Sequence[bytes]) -> bytes:
    """An entry's body: the section table, the marshalled head (``meta``), the sections.

    The larger tables (:data:`_LAZY_TABLES`) go into sections of their own,
    and the head gets the checks a reader verifies lazily (:func:`_checks`):
    a CRC-32 of every section, and of every block of :data:`BLOCK_ROWS`
    rows across the fact columns.
    """
    meta = dict(meta)
    sections = list(sections)
    tables: dict[str, int] = {}
    sizes: dict[str, int] = {}
    for name in _LAZY_TABLES:
        if name in meta:
            tables[name] = len(sections)
            sizes[name] = len(meta[name])
            rows = meta.pop(name)
            sections.append(marshal.dumps(rows if name == "names" else pack_rows(rows), 4))
    meta["tables"] = tables
    meta["sizes"] = sizes  # (stats counts entities and sources without unpacking them)
    meta["checks"] = _checks(meta, [memoryview(s) for s in sections])
    spec = meta["columns"]["relation"]
    if spec["kind"] == "codes":  # (kgraph relations answers from these, reading no column)
        counts = Counter(memoryview(sections[spec["sections"][0]]).cast("I"))
        meta["relation_counts"] = tuple((spec["table"][c], n) for c, n in sorted(counts.items()))
    meta_bytes = marshal.dumps(meta, 4)
    table = [len(meta_bytes)] + [len(s) for s in sections]
    return struct.pack(f"<I{len(table)}Q", len(table), *table) + meta_bytes + b"".join(sections)


def _checks(meta: dict[str, Any], sections: Sequence[memoryview]) -> tuple[tuple[int, ...], int, bytes]:
    """The CRC-32 of each section, the block size, and the CRC-32 of each block of rows across the fact columns."""
    import array

    whole = tuple(zlib.crc32(s) for s in sections)
    n = meta["n"]

    def read(section: int, start: int, end: int) -> memoryview:
        return sections[section][start:end]

    blocks = array.array("I", (_crc_of(_block_pieces(meta["columns"], read, n, b)) for b in range(-(-n // BLOCK_ROWS))))
    return whole, BLOCK_ROWS, blocks.tobytes()


Bytes = bytes | memoryview


def _block_pieces(
    columns: dict[str, Any], read: Callable[[int, int, int], Bytes], n: int, block: int
) -> list[tuple[Bytes, ...]]:
    """Per fact column, in field order, the bytes rows ``block * BLOCK_ROWS`` to the block's end occupy: its
    integers or codes; or, for a text column, its offsets of those rows and the next, then their bytes in the
    blob. What a block's CRC covers, written (:func:`_checks`) and read (:meth:`_RowBlocks.load`) alike.
    ``read(section, start, end)`` gives a section's bytes."""
    lo = block * BLOCK_ROWS
    hi = min(lo + BLOCK_ROWS, n)
    out: list[tuple[Bytes, ...]] = []
    for name in _FACT_FIELDS:
        spec = columns[name]
        at = spec["sections"]
        if spec["kind"] == "text":
            raw = read(at[1], lo * 8, (hi + 1) * 8)
            offsets = memoryview(raw).cast("Q")
            out.append((raw, read(at[0], offsets[0], offsets[-1])))
        else:
            width = 8 if spec["kind"] == "ints" else 4
            out.append((read(at[0], lo * width, hi * width),))
    return out


def _crc_of(pieces: list[tuple[Bytes, ...]]) -> int:
    crc = 0
    for group in pieces:
        for piece in group:
            crc = zlib.crc32(piece, crc)
    return crc


def store(root: str | os.PathLike[str], kg: KnowledgeGraph, before: dict[str, tuple[int, int, int]]) -> Path | None:
    """Write the cache entry of a freshly loaded dataset; None when it cannot or should not be written.

    ``before`` is the :func:`snapshot` taken before the dataset was read: if
    any file changed since, nothing is written (the next load reads it again).
    An entry written here has no parts: the next edit reads every file again
    (:mod:`kgraph.cachebuild` writes entries that keep them).
    """
    rootp = Path(root)
    text_paths = sorted({s.text_path for s in kg.sources.values()})
    real_root = rootp.resolve()
    texts = [_rel(real_root, Path(t)) for t in text_paths]
    key = _content_key(rootp, texts)
    after = snapshot(rootp)
    after.update(_stats(Path(t) for t in text_paths if t not in after))
    if any(before.get(k, v) != v for k, v in after.items()) or set(before) - set(after):
        return None
    body, summary = _encode(kg, str(root), texts)
    return write_entry(rootp, body, key, summary)


def write_entry(root: Path, body: bytes, key: str, summary: dict[str, Any]) -> Path | None:
    """Write an entry's body under its key (atomically); None when the cache folder cannot take it."""
    header = marshal.dumps(
        {
            "format": FORMAT,
            "code": _code_fingerprint(),
            "kgraph": __version__,
            "key": key,
            "data_dir": os.path.realpath(root),
            "created": time.time(),
            **summary,
        },
        4,
    )
    crc = zlib.crc32(memoryview(body)[: _head_length(body)], zlib.crc32(header))
    target = entry_path(root)
    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        replace_bytes(target, PREFIX.pack(MAGIC, len(header), len(body), crc) + header + body, fsync=False, mode=0o600)
    except OSError:
        return None
    _prune(target.parent, keep=target)
    return target


def _rel(real_root: Path, p: Path) -> str:
    try:
        return p.relative_to(real_root).as_posix()
    except ValueError:
        return str(p)


class _quiet:
    """Ignore OSError (used where a failed clean-up must not hide the real outcome)."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, value: object, tb: object) -> bool:
        return isinstance(value, OSError)


def _prune(folder: Path, keep: Path) -> None:
    """Keep the newest MAX_ENTRIES entries (with their part files); drop temporary files a crashed writer
    left, and the part files of a dataset with no entry, once they are an hour old."""
    with _quiet():
        entries = []
        now = time.time()
        for p in folder.iterdir():
            with _quiet():
                st = p.stat()
                old = now - st.st_mtime > STALE_TEMP_S
                if _is_temp(p) and old:
                    p.unlink()
                elif p.suffix == SUFFIX and not p.name.startswith(".") and p != keep:
                    entries.append((st.st_mtime, p))
                elif p.suffix == PARTS and old and not p.with_suffix(SUFFIX).exists():
                    _remove_parts(p)
        entries.sort(reverse=True)
        for _, p in entries[MAX_ENTRIES - 1 :]:
            with _quiet():
                p.unlink()
                _remove_parts(p.with_suffix(PARTS))


def _remove_parts(folder: Path) -> bool:
    """Remove a folder of part files (see :mod:`kgraph.cachebuild`); whether it was there."""
    import shutil

    if not folder.is_dir() or folder.is_symlink():
        return False
    shutil.rmtree(folder, ignore_errors=True)
    return True


def _is_temp(p: Path) -> bool:
    """Whether ``p`` is a writer's temporary file (see :func:`kgraph.atomic.replace_bytes`)."""
    return p.name.startswith(".") and p.name.endswith(".tmp")


# -- reading ------------------------------------------------------------------------


class _Damaged(Exception):
    """The cache entry cannot be trusted: ignore it and read the data."""


def _read_header(fh: Any) -> tuple[dict[str, Any], int, int, int]:
    raw = fh.read(PREFIX.size)
    if len(raw) != PREFIX.size:
        raise _Damaged("short prefix")
    magic, header_len, body_len, crc = PREFIX.unpack(raw)
    if magic != MAGIC or header_len > _HEADER_MAX:
        raise _Damaged("not a kgraph cache file")
    header_bytes = fh.read(header_len)
    if len(header_bytes) != header_len:
        raise _Damaged("short header")
    try:
        header = marshal.loads(header_bytes)
    except (ValueError, EOFError, TypeError) as e:
        raise _Damaged(str(e)) from None
    if not isinstance(header, dict):
        raise _Damaged("bad header")
    return header, body_len, crc, zlib.crc32(header_bytes)


def load_cached(root: str | os.PathLike[str]) -> KnowledgeGraph | None:
    """The cached graph of ``root`` if a valid, current entry exists; None otherwise (a miss)."""
    return lookup(root, keep_old=False).kg


@dataclasses.dataclass
class Lookup:
    """What looking ``root`` up in the cache found: the graph (a hit), else what an incremental load starts from.

    ``names`` are the data files listed and ``found`` their digests (and
    those of the texts the entry names); ``old`` is the entry's body when it
    is intact and from this kgraph, current or not (its parts are reused).
    """

    root: Path
    names: list[str]
    found: dict[str, Token]
    kg: KnowledgeGraph | None = None
    old: bytes | None = None
    signed: dict[str, Signature] = dataclasses.field(default_factory=dict)  # settled files' signatures
    known: dict[str, tuple[Signature, Token]] = dataclasses.field(default_factory=dict)  # what the entry recorded

    def digests(self, names: Iterable[str]) -> dict[str, Token]:
        """The digests of ``names`` (read only when not known yet)."""
        return tokens(self.root, names, self.found, known=self.known, signed=self.signed)

    def signatures(self, read: dict[str, Token]) -> dict[str, tuple[Signature, Token]]:
        """What a new entry records: each settled file's signature with the digest of what the load read."""
        return {n: (sig, self.found[n]) for n, sig in self.signed.items() if read.get(n) == self.found.get(n)}


def lookup(root: str | os.PathLike[str], *, keep_old: bool = True) -> Lookup:
    """Look ``root`` up: the graph when its entry is current; otherwise the digests and the old entry's body.

    A current entry is memory-mapped, not read: a query reads the pages of
    the sections and rows it touches (:class:`CompiledFactStore` checks each
    before use). An old entry, whose parts a rebuild reuses, is read whole
    and every section checked.
    """
    rootp = Path(root)
    names = _yaml_names(rootp)
    out = Lookup(rootp, names, {})
    path = entry_path(rootp)
    try:
        with open(path, "rb") as fh:
            header, body_len, crc, header_crc = _read_header(fh)
            if header.get("format") != FORMAT or header.get("code") != _code_fingerprint():
                return out
            texts = header.get("texts")
            if not isinstance(texts, list):
                return out
            listed = names + [str(t) for t in texts]
            current = isinstance(header.get("key"), str) and _quick_current(rootp, listed, header.get("quick"))
            if not current:
                known = header.get("signatures")  # (marshalled apart: a warm look-up that is quick never reads it)
                known = marshal.loads(known) if isinstance(known, bytes) else None
                out.known = known if isinstance(known, dict) else {}
                out.digests(listed)
                current = header.get("key") == key_of(listed, out.found)
            if not current and not keep_old:
                return out
            body, read = _map_body(fh, body_len)
        if zlib.crc32(body[: _head_length(body)], header_crc) != crc:
            return out
        if not current:
            out.old = bytes(body)  # (kgraph.cachebuild checks every section of it)
            return out
        out.kg = _decode(body, str(root), entry=path, read=read)
    except (OSError, _Damaged, ValueError, EOFError, TypeError, KeyError, IndexError, struct.error, UnicodeDecodeError):
        return out
    with _quiet():
        os.utime(path)  # recently used: pruned last
    return out


def _map_body(fh: Any, body_len: int) -> tuple[memoryview, Callable[[int, int], bytes] | None]:
    """The body of an open entry, exactly ``body_len`` bytes: memory-mapped (read-only) when it is large, else
    read; and for a mapped one, a reader of ``length`` bytes at an offset in the body, from the file.

    Writers never change an entry in place (they replace the file), so the
    mapped pages, and what the reader reads, stay those of the file opened.
    """
    start = fh.tell()
    size = os.fstat(fh.fileno()).st_size
    if size != start + body_len:
        raise _Damaged("the body's length is not the one recorded")
    if body_len < _MAP_MIN:
        return memoryview(fh.read(body_len)), None
    import mmap
    import weakref

    mapped = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    fd = os.dup(fh.fileno())

    def read(offset: int, length: int) -> bytes:
        return os.pread(fd, length, start + offset)

    weakref.finalize(read, os.close, fd)
    return memoryview(mapped)[start:], read


_READS_MAX = 64
"""Blocks of rows a query reads from the file before it reads the mapped pages (copying costs more then)."""
_MAP_MIN = 1 << 20
"""Smaller entries are read (a mapping costs more than it saves) and every section checked at once."""


def _head_length(body: bytes | memoryview) -> int:
    """How many bytes the section table and the marshalled head take at the start of a body."""
    (count,) = struct.unpack_from("<I", body, 0)
    (meta_len,) = struct.unpack_from("<Q", body, 4)
    return 4 + 8 * int(count) + int(meta_len)


def _decode(
    body: bytes | memoryview,
    root: str,
    *,
    entry: Path | None = None,
    checked: bool = False,
    read: Callable[[int, int], bytes] | None = None,
) -> KnowledgeGraph:
    """The graph of one entry's body: the small tables made when first used, the facts behind a
    :class:`CompiledFactStore`. A small body is checked whole now (unless ``checked``: just built);
    a large one as it is read, and ``entry`` is removed if a check then fails."""
    view = memoryview(body)
    check = not checked and len(view) < _MAP_MIN
    meta, sections = _split_body(view, check=check)
    if tuple(meta["fields"]) != _FACT_FIELDS:
        raise _Damaged("fact fields changed")
    warnings = []
    for row in meta["warnings"]:
        row = list(row)
        if isinstance(row[0], tuple):
            row[0] = root + row[0][1]
        warnings.append(Problem(*row))
    verified = checked or check
    tables = _Tables(meta, sections, verified, entry)
    store = CompiledFactStore(meta, sections, verified=verified, entry=entry, read=_in_sections(body, read))
    return KnowledgeGraph(
        [Relation(*r) for r in meta["relations"]],
        tables.lazy("entities", Entity),
        tables.lazy("sources", Source),
        store,
        data_dir=root,
        warnings=warnings,
        names=tables.names,
    )


def _in_sections(
    body: bytes | memoryview, read: Callable[[int, int], bytes] | None
) -> Callable[[int, int], bytes] | None:
    """``read`` taking offsets from the first section's start rather than the body's (what the store counts)."""
    if read is None:
        return None
    base = _head_length(body)
    return lambda offset, length: read(base + offset, length)


def _split_body(body: bytes | memoryview, *, check: bool = False) -> tuple[dict[str, Any], list[memoryview]]:
    """The marshalled head of an entry's body and its binary sections (views into ``body``, not copies).

    With ``check``, every section's CRC is verified (the lazily stored
    tables stay in their sections: :func:`stored_table` reads one).
    """
    view = memoryview(body)
    (count,) = struct.unpack_from("<I", view, 0)
    lengths = struct.unpack_from(f"<{count}Q", view, 4)
    pos = 4 + 8 * count
    chunks: list[memoryview] = []
    for length in lengths:
        chunks.append(view[pos : pos + length])
        pos += length
    if pos != len(view):
        raise _Damaged("section table does not match the body")
    meta = marshal.loads(chunks[0])
    if not isinstance(meta, dict):
        raise _Damaged("bad tables")
    sections = chunks[1:]
    if check:
        crcs = meta["checks"][0]
        if len(crcs) != len(sections) or any(zlib.crc32(s) != c for s, c in zip(sections, crcs, strict=True)):
            raise _Damaged("a section fails its check")
    return meta, sections


def stored_table(meta: dict[str, Any], sections: Sequence[memoryview], name: str) -> Any:
    """One of the tables :func:`pack` put in a section of its own (``entities``, ``sources``, ``names``)."""
    return marshal.loads(sections[meta["tables"][name]])


class CacheDamaged(KGraphError):
    """A section of a cache entry failed its check while a command read it: the entry is removed."""

    exit_code = ExitCode.CACHE


def _damaged(entry: Path | None) -> CacheDamaged:
    """The error to raise when a lazily read section fails its check, after removing the entry."""
    if entry is not None:
        with _quiet():
            entry.unlink()
    where = f" {entry}" if entry is not None else ""
    return CacheDamaged(
        f"the cache entry{where} is damaged (a part of it failed its checksum); it has been removed, "
        "so running the command again reads the data"
    )


class _Checker:
    """Verifies the sections of one entry on first use (each once), or trusts them all (``verified``)."""

    def __init__(self, sections: list[memoryview], crcs: Sequence[int], verified: bool, entry: Path | None) -> None:
        if len(crcs) != len(sections):
            raise _Damaged("checks do not match the sections")
        self.sections = sections
        self.crcs = crcs
        self.ok = bytearray([1 if verified else 0]) * len(sections)
        self.entry = entry

    def section(self, i: int) -> memoryview:
        if not self.ok[i]:
            if zlib.crc32(self.sections[i]) != self.crcs[i]:
                raise _damaged(self.entry)
            self.ok[i] = 1
        return self.sections[i]


class _Tables:
    """The entry's lazily stored tables (entities, sources, the name index): each unmarshalled when first asked."""

    def __init__(self, meta: dict[str, Any], sections: list[memoryview], verified: bool, entry: Path | None) -> None:
        self.meta = meta
        self.where: dict[str, int] = meta["tables"]
        self.sizes: dict[str, int] = meta["sizes"]
        self.checker = _Checker(sections, meta["checks"][0], verified, entry)

    def rows(self, name: str) -> Any:
        self.checker.section(self.where[name])
        return stored_table(self.meta, self.checker.sections, name)

    def lazy(self, name: str, cls: Callable[..., Any]) -> LazyTable[Any]:
        return LazyTable(lambda: self.rows(name), cls, self.sizes[name])

    def names(self) -> NameIndex:
        index = _stored_names(self.rows("names"))
        assert index is not None
        return index


# NameIndex has no public constructor from folded keys, nor a reader of them, yet. Building one folds
# every name and alias again (64 ms at 5,000 entities, ten times that at a million facts), which is what
# storing it saves, so these two functions, and nothing else, rely on its one slot ``_keys``; a NameIndex
# whose layout changed is not stored, and built as usual. ``NameIndex.from_folded(keys)`` and a
# ``NameIndex.folded`` mapping in kgraph.resolve would replace both.


def _names_to_store(index: NameIndex) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The folded names and the ids they stand for, as two columns (folding them again costs more than storing)."""
    folded = index.folded
    return tuple(folded), tuple(folded.values())


def _stored_names(names: Any) -> NameIndex | None:
    """The entry's name index (what :func:`_names_to_store` kept), or None to let the graph build its own."""
    if names is None:
        return None
    return NameIndex.from_folded(dict(zip(names[0], names[1], strict=True)))


class Codes:
    """The position of each value of a table (its code), found without a dict for the first few values asked.

    A query about one entity asks the codes of one or two ids of tables of
    50,000; building their dicts cost 0.03-0.04 s of its 0.5 s at a million
    facts, where scanning the table (in C) costs well under a millisecond a
    value. After :data:`SCANS` values the dict is built, for queries asking
    thousands (a busy target's actors).
    """

    __slots__ = ("_asked", "_found", "table")
    SCANS = 16

    def __init__(self, table: Sequence[Any]) -> None:
        self.table = table
        self._found: dict[Any, int] | None = None
        self._asked = 0

    def get(self, value: Any, default: int | None = None) -> int | None:
        found = self._found
        if found is None:
            self._asked += 1
            if self._asked <= self.SCANS:
                try:
                    return self.table.index(value)
                except ValueError:
                    return default
            found = self._found = dict(zip(self.table, range(len(self.table)), strict=True))
        return found.get(value, default)

    def __getitem__(self, value: Any) -> int:
        code = self.get(value)
        if code is None:
            raise KeyError(value)
        return code

    def __contains__(self, value: Any) -> bool:
        return self.get(value) is not None


class CompiledFactStore:
    """The facts of one cache entry, as a :class:`~kgraph.knowledge.FactStore`: each made once, when first asked for.

    The subject and object indexes are the entry's sorted arrays, so
    ``by_subject``/``by_object`` make only the facts they return; ``all()``
    makes the rest. Pickled (multiprocessing, a notebook's cache) as the
    :class:`~kgraph.knowledge.MemoryFactStore` of the same facts, since the
    entry's memory does not travel.
    """

    def __init__(
        self,
        meta: dict[str, Any],
        sections: list[memoryview],
        *,
        verified: bool = True,
        entry: Path | None = None,
        read: Callable[[int, int], bytes] | None = None,
    ) -> None:
        self._n: int = meta["n"]
        self._check = _Checker(sections, meta["checks"][0], verified, entry)
        self._spec = meta["columns"]
        self._counts: tuple[tuple[str, int], ...] | None = meta.get("relation_counts")
        self._full: list[Callable[[], list[Any]]] = []
        for k, name in enumerate(_FACT_FIELDS):
            spec = meta["columns"][name]
            self._full.append(_column(spec, [sections[i] for i in spec["sections"]], self._n, k))
        self._blocks = _RowBlocks(meta, sections, self._check, verified, read)
        self._make, self._build = _row_functions({"Fact": Fact, "_str": str}, self._blocks)
        self._objects: list[Fact | None] = [None] * self._n
        self._every: tuple[Fact, ...] | None = None
        self._lists: dict[str, dict[str, list[Fact]]] = {name: {} for name in _INDEXED}
        self._index_at = {name: tuple(meta["indexes"][name]) for name in _INDEXED}
        self._index: dict[str, tuple[Codes, memoryview, memoryview]] = {}
        for name in _INDEXED:
            order_i, offsets_i = self._index_at[name]
            codes = len(self._spec[name]["table"])
            if len(sections[order_i]) != 4 * self._n or len(sections[offsets_i]) != 8 * (codes + 1):
                raise _Damaged("index size")
        self._to: dict[int, dict[int, list[int]]] = {}  # subject code -> object code -> rows (by_subject_to)
        self._subjects_among: dict[frozenset[str], list[int]] = {}  # relation ids -> their rows (by_subjects_among)
        self._relation_codes: dict[
            frozenset[str], set[int]
        ] = {}  # relation ids asked -> their codes (by_subject_among)

    def _indexed(self, name: str) -> tuple[Codes, memoryview, memoryview]:
        """The subject (object) index: code of each value, rows sorted by code, offsets per code (checked once)."""
        found = self._index.get(name)
        if found is None:
            order_i, offsets_i = self._index_at[name]
            order, offsets = self._check.section(order_i).cast("I"), self._check.section(offsets_i).cast("Q")
            found = self._index[name] = (Codes(self._spec[name]["table"]), order, offsets)
        return found

    def __len__(self) -> int:
        return self._n

    def made(self) -> int:
        """How many facts have been made so far (what laziness saved is ``len(self) - made()``)."""
        if self._every is not None:
            return self._n
        return sum(f is not None for f in self._objects)

    def by_subject(self, entity_id: str) -> list[Fact]:
        return self._by("subject", entity_id)

    def by_object(self, entity_id: str) -> list[Fact]:
        return self._by("object", entity_id)

    def _by(self, field: str, value: str) -> list[Fact]:
        """The facts whose ``field`` (subject or object) is ``value``, in dataset order."""
        done = self._lists[field]
        found = done.get(value)
        if found is None:
            found = []
            codes, order, offsets = self._indexed(field)
            code = codes.get(value)
            if code is not None:
                objects, make = self._objects, self._make
                for r in order[offsets[code] : offsets[code + 1]]:
                    f = objects[r]
                    if f is None:
                        f = objects[r] = make(r)
                    found.append(f)
            done[value] = found
        return found

    def _code_column(self, name: str) -> tuple[tuple[Any, ...], memoryview] | None:
        """A column stored as codes: its table and its codes, one per row (None when stored otherwise)."""
        spec = self._spec[name]
        if spec["kind"] != "codes":
            return None
        return spec["table"], self._check.section(spec["sections"][0]).cast("I")

    def neighbour_ids(self, ids: Iterable[str], allowed: set[str] | None) -> dict[str, set[str]]:
        """Per id, the entities one fact away either way (only ``allowed`` relations), read from the subject,
        object and relation codes: a search through a million facts makes no Fact at all."""
        subjects, objects, relations = (self._code_column(name) for name in ("subject", "object", "relation"))
        if subjects is None or objects is None or relations is None:  # never written so (_ENCODING): ask the facts
            return {
                i: {f.object for f in self._by("subject", i) if allowed is None or f.relation in allowed}
                | {f.subject for f in self._by("object", i) if allowed is None or f.relation in allowed}
                for i in ids
            }
        keep = None if allowed is None else {c for c, r in enumerate(relations[0]) if r in allowed}
        out: dict[str, set[str]] = {}
        for entity_id in ids:
            near = out[entity_id] = set()
            for field, (table, codes) in (("subject", objects), ("object", subjects)):  # the other end's codes
                index, order, offsets = self._indexed(field)
                code = index.get(entity_id)
                if code is not None:
                    rows: Iterable[int] = order[offsets[code] : offsets[code + 1]]
                    if keep is not None:
                        rows = [r for r in rows if relations[1][r] in keep]
                    near.update(map(table.__getitem__, set(map(codes.__getitem__, rows))))
        return out

    def neighbours_in_order(self, entity_id: str) -> list[str]:
        """The entities one fact away either way (itself left out), each once, in the order of the first fact
        joining them in dataset order: read from the subject and object codes, no fact made. (The order in
        which a networkx graph built from every fact lists them, which explain's chains must keep.)"""
        rows: list[tuple[int, str]] = []
        for field, other in (("subject", "object"), ("object", "subject")):
            index, order, offsets = self._indexed(field)
            code = index.get(entity_id)
            if code is None:
                continue
            found = order[offsets[code] : offsets[code + 1]]
            ends = self._code_column(other)  # (the indexed columns are always codes)
            if ends is None:
                rows.extend((r, getattr(f, other)) for r, f in zip(found, self._by(field, entity_id), strict=True))
            else:
                rows.extend(zip(found, map(ends[0].__getitem__, map(ends[1].__getitem__, found)), strict=True))
        rows.sort()
        return list(dict.fromkeys(other for _, other in rows if other != entity_id))

    def by_subject_to(self, entity_id: str, other_id: str) -> list[Fact]:
        """The facts whose subject is ``entity_id`` and object ``other_id``, in dataset order: the object codes of
        the subject's rows are read, and only the facts returned are made."""
        done = self._lists["subject"].get(entity_id)
        ends = self._code_column("object")
        if done is not None or ends is None:  # (made already, or never written so: _ENCODING)
            return [f for f in self._by("subject", entity_id) if f.object == other_id]
        index, order, offsets = self._indexed("subject")
        code = index.get(entity_id)
        want = self._indexed("object")[0].get(other_id)
        if code is None or want is None:
            return []
        # the subject's rows grouped by object code once: explain asks this of a hub of 30,000 rows once per
        # chain, and scanning them each time cost 0.5 s for 50 chains at a million facts
        groups = self._to.get(code)
        if groups is None:
            groups = self._to[code] = {}
            span = order[offsets[code] : offsets[code + 1]]
            for r, c in zip(span, map(ends[1].__getitem__, span), strict=True):
                groups.setdefault(c, []).append(r)
        rows = groups.get(want, ())
        objects, make = self._objects, self._make
        found: list[Fact] = []
        for r in rows:
            f = objects[r]
            if f is None:
                f = objects[r] = make(r)
            found.append(f)
        return found

    filters_ends = True  # (by_subject_among / by_object_among take ``ends``: see kgraph.knowledge.FactStore)

    def by_subject_among(
        self, entity_id: str, relation_ids: Collection[str], ends: Collection[str] | None = None
    ) -> list[Fact]:
        """The facts whose subject is ``entity_id`` and relation one of ``relation_ids`` (and object one of
        ``ends``, when given), in dataset order."""
        return self._among("subject", entity_id, relation_ids, ends)

    def by_object_among(
        self, entity_id: str, relation_ids: Collection[str], ends: Collection[str] | None = None
    ) -> list[Fact]:
        """The facts whose object is ``entity_id`` and relation one of ``relation_ids`` (and subject one of
        ``ends``, when given), in dataset order."""
        return self._among("object", entity_id, relation_ids, ends)

    def by_subjects_among(self, ids: Collection[str], relation_ids: Collection[str]) -> dict[str, list[Fact]]:
        """Per id of ``ids``: ``by_subject_among(id, relation_ids)``, asked at once.

        who-supports asks whom each actor toward its target acts for: at a
        million facts the busiest target has 4,762 actors with 590,953 facts
        as subjects, and filtering each one's rows on the relation cost 0.27 s.
        When the actors' rows are that many, the relation column is read
        whole once instead (its rows of those relations kept for the rest of
        the process), and those of the actors asked picked from them.
        """
        relations = self._code_column("relation")
        if relations is None:  # never written so (_ENCODING)
            return {i: self._among("subject", i, relation_ids) for i in ids}
        index, order, offsets = self._indexed("subject")
        codes = {i: index.get(i) for i in ids}
        key = frozenset(relation_ids)
        of_relations = self._subjects_among.get(key)
        if of_relations is None:
            rows_of = sum(offsets[c + 1] - offsets[c] for c in codes.values() if c is not None)
            counts = self.relation_counts()
            wanted = sum(counts.get(r, 0) for r in key)
            # (a row of an actor's costs ~9x a row of the whole column, and a kept row ~2x: measured at 1M)
            if 9 * rows_of <= self._n + 2 * wanted:
                return {i: self._among("subject", i, relation_ids) for i in ids}
            table, column = relations
            chosen = {c for c, r in enumerate(table) if r in key}
            of_relations = self._subjects_among[key] = list(
                itertools.compress(range(self._n), map(chosen.__contains__, column))
            )
        subjects = self._code_column("subject")
        assert subjects is not None  # (the indexed columns are always codes)
        column = subjects[1]
        asked = {c for c in codes.values() if c is not None}
        # (only the rows of the actors asked are grouped, picked in C: at 1M, 7,918 of 86,936 rows)
        groups: dict[int, list[int]] = {}
        for r in itertools.compress(of_relations, map(asked.__contains__, map(column.__getitem__, of_relations))):
            groups.setdefault(column[r], []).append(r)
        objects, make = self._objects, self._make
        rows_each = {entity_id: groups.get(code, ()) if code is not None else () for entity_id, code in codes.items()}
        # the facts made in row order, not actor by actor: a tenth of a million rows apart, they were made a
        # third slower
        for r in sorted(r for rows in rows_each.values() for r in rows if objects[r] is None):
            objects[r] = make(r)
        made = cast("list[Fact]", objects)  # (every row asked is made now)
        return {entity_id: [made[r] for r in rows] for entity_id, rows in rows_each.items()}

    def _among(
        self, field: str, entity_id: str, relation_ids: Collection[str], ends: Collection[str] | None = None
    ) -> list[Fact]:
        """Read from the relation codes, so only the facts returned are made: who-supports asks a busy target
        for its facts of one polarity and each actor whom it acts for, and making all their facts cost more
        than the answer."""
        other = "object" if field == "subject" else "subject"
        relations = self._code_column("relation")
        if relations is None:  # never written so (_ENCODING): ask the facts
            return [
                f
                for f in self._by(field, entity_id)
                if f.relation in relation_ids and (ends is None or getattr(f, other) in ends)
            ]
        table, codes = relations
        key = frozenset(relation_ids)
        wanted = self._relation_codes.get(key)
        if wanted is None:
            wanted = self._relation_codes[key] = {c for c, r in enumerate(table) if r in key}
        index, order, offsets = self._indexed(field)
        code = index.get(entity_id)
        if code is None or not wanted:
            return []
        # (the filters run in C, with no Python step per row: a hub has tens of thousands of rows)
        compress = itertools.compress
        span = order[offsets[code] : offsets[code + 1]]
        rows = list(compress(span, map(wanted.__contains__, map(codes.__getitem__, span))))
        if ends is not None:  # (the other end's codes: a hub's facts from anyone else are not made)
            far_index = self._indexed(other)[0]
            far = self._code_column(other)
            assert far is not None  # (the indexed columns are always codes)
            end_codes = {far_index[e] for e in ends if e in far_index}
            rows = list(compress(rows, map(end_codes.__contains__, map(far[1].__getitem__, rows))))
        objects, make = self._objects, self._make
        found: list[Fact] = []
        for r in rows:
            f = objects[r]
            if f is None:
                f = objects[r] = make(r)
            found.append(f)
        return found

    def disputed_by_index(self) -> dict[str, tuple[str, ...]]:
        """Fact id -> ids of the facts disputing it, read from the disputes column: only the disputing facts are made.

        Every fact record asks a fact's ``disputed_by``; building this from
        ``all()`` would make every fact of the dataset for one who-supports.
        """
        found: dict[str, list[str]] = {}
        column = self._code_column("disputes")
        if column is not None:
            table, codes = column
            disputing = {c for c, targets in enumerate(table) if targets}
            # (most datasets dispute nothing: then the column is not even read)
            rows: Iterable[tuple[int, Any]] = (
                ((row, table[c]) for row, c in enumerate(codes) if c in disputing) if disputing else ()
            )
        else:
            self._blocks.all()
            rows = enumerate(self._full[_FACT_FIELDS.index("disputes")]())
        for row, targets in rows:
            for target in targets:
                f = self._objects[row]
                if f is None:
                    f = self._objects[row] = self._make(row)
                found.setdefault(target, []).append(f.id)
        return {k: tuple(v) for k, v in found.items()}

    def relation_counts(self) -> dict[str, int]:
        """Relation id -> how many facts have it, counted on the relation column: no fact is made."""
        if self._every is not None:
            return _count_values(fact.relation for fact in self._every)
        if self._counts is not None:
            return dict(self._counts)
        column = self._code_column("relation")
        if column is not None:
            table, codes = column
            return {table[c]: n for c, n in sorted(Counter(codes).items())}
        self._blocks.all()
        return _count_values(self._full[_FACT_FIELDS.index("relation")]())

    def all(self) -> tuple[Fact, ...]:
        """Every fact, in dataset order: made at the first call (reusing those already made), then kept."""
        if self._every is None:
            self._blocks.all()
            facts = self._build([full() for full in self._full])
            for i, f in enumerate(self._objects):
                if f is not None:
                    facts[i] = f
            self._objects = list(facts)
            self._every = tuple(facts)
        return self._every

    def __reduce__(self) -> tuple[Any, ...]:
        return MemoryFactStore, (self.all(),)


V = TypeVar("V")


def pack_rows(rows: Sequence[tuple[Any, ...]]) -> tuple[tuple[str, ...], tuple[bytes, ...]]:
    """A table as :class:`LazyTable` reads it: the ids (each row's first field), and each row marshalled apart."""
    return tuple(row[0] for row in rows), tuple(marshal.dumps(row, 4) for row in rows)


class LazyTable(Mapping[str, V], Generic[V]):
    """A graph's table of entities (or sources) read from an entry: its ids unmarshalled on first use, and each
    value (an :class:`~kgraph.model.Entity`, a :class:`~kgraph.model.Source`) made from its own row when first
    asked for.

    A read-only mapping from id to value in the dataset's order, like the
    dict a loaded graph has: who-supports at a million facts asks for a few
    dozen of 50,000 entities (unmarshalling every row took 0.03 s of its
    0.5 s). ``read`` gives what :func:`pack_rows` made. Pickled (and
    compared) as that dict.
    """

    __slots__ = ("_cls", "_ids", "_made", "_read", "_rows", "_size")

    def __init__(
        self, read: Callable[[], tuple[Sequence[str], Sequence[bytes]]], cls: Callable[..., V], size: int
    ) -> None:
        self._size = size
        self._read = read
        self._cls = cls
        self._rows: Sequence[bytes] | None = None
        self._ids = Codes(())  # (its table: the ids in order)
        self._made: dict[str, V] = {}

    def _load(self) -> Sequence[bytes]:
        if self._rows is None:
            ids, rows = self._read()
            if len(rows) != self._size or len(ids) != self._size:
                raise _damaged(None)
            self._ids = Codes(ids)
            self._rows = rows
        return self._rows

    def __getitem__(self, key: str) -> V:
        made = self._made.get(key)
        if made is None:
            rows = self._load()
            made = self._made[key] = self._cls(*marshal.loads(rows[self._ids[key]]))
        return made

    def __contains__(self, key: object) -> bool:
        self._load()
        return key in self._ids

    def __iter__(self) -> Iterator[str]:
        self._load()
        return iter(self._ids.table)

    def __len__(self) -> int:
        return self._size

    def __repr__(self) -> str:
        return repr(dict(self))

    def __reduce__(self) -> tuple[Any, ...]:
        return dict, (list(self.items()),)


def _count_values(values: Iterable[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    return counts


class _RowBlocks:
    """The fact columns by blocks of :data:`BLOCK_ROWS` rows: what ``make(i)`` reads row ``i`` from.

    A block is read when a row of it is first made: the bytes its rows take
    in every column (read with ``read``, from the file, when the entry is
    mapped: a mapped page would bring its whole folio into the process, 2 MB
    on a recent Linux) and checked against its CRC, unless the entry was
    checked whole. Reading whole columns (``all()``) checks their sections
    instead (:meth:`all`).
    """

    def __init__(
        self,
        meta: dict[str, Any],
        sections: list[memoryview],
        checker: _Checker,
        verified: bool,
        read: Callable[[int, int], bytes] | None,
    ) -> None:
        import array

        _, self.size, raw = meta["checks"]
        self.crcs = array.array("I")
        self.crcs.frombytes(raw)
        n = meta["n"]
        if self.size != BLOCK_ROWS or len(self.crcs) != -(-n // BLOCK_ROWS):
            raise _Damaged("row checks do not match the rows")
        self.meta, self.sections, self.checker, self.n = meta, sections, checker, n
        self.verified = verified
        self.whole = verified
        self.read = read
        self.starts = list(itertools.accumulate((len(s) for s in sections), initial=0))  # (in the sections' bytes)
        self.loaded: list[tuple[Any, ...] | None] = [None] * len(self.crcs)
        self.reads = 0

    def _bytes(self, section: int, start: int, end: int) -> Bytes:
        if self.read is None or self.reads > _READS_MAX:  # (a busy query: the mapped pages, not a read per column)
            return self.sections[section][start:end]
        end = min(end, len(self.sections[section]))
        return self.read(self.starts[section] + start, max(end - start, 0))

    def load(self, block: int) -> tuple[Any, ...]:
        """Block ``block``'s parts (per column: its codes or integers; or its offsets, first offset and bytes)."""
        parts: list[Any] = []
        try:
            pieces = _block_pieces(self.meta["columns"], self._bytes, self.n, block)
            if not self.verified and _crc_of(pieces) != self.crcs[block]:
                raise _damaged(self.checker.entry)
            for name, group in zip(_FACT_FIELDS, pieces, strict=True):
                kind = self.meta["columns"][name]["kind"]
                if kind == "text":
                    offsets = memoryview(group[0]).cast("Q")
                    parts += [group[1], offsets, offsets[0]]
                else:
                    view = memoryview(group[0])
                    parts.append(view.cast("q") if kind == "ints" else view.cast("I"))
        except (TypeError, ValueError, IndexError, OSError):  # lengths that do not fit: damage
            raise _damaged(self.checker.entry) from None
        got = self.loaded[block] = tuple(parts)
        self.reads += 1
        return got

    def exprs(self, namespace: dict[str, Any]) -> list[str]:
        """Per fact field, an expression of the block's parts ``p`` and the row ``j`` in the block."""
        out = []
        q = 0
        for k, name in enumerate(_FACT_FIELDS):
            spec = self.meta["columns"][name]
            kind = spec["kind"]
            if kind == "text":
                start, end = f"p[{q + 1}][j] - p[{q + 2}]", f"p[{q + 1}][j + 1] - p[{q + 2}]"
                out.append(f"_str(p[{q}][{start} : {end}], 'utf-8', 'surrogatepass')")
                q += 3
            elif kind == "codes":
                namespace[f"t{k}"] = spec["table"]
                out.append(f"t{k}[p[{q}][j]]")
                q += 1
            else:
                out.append(f"p[{q}][j]")
                q += 1
        return out

    def all(self) -> None:
        """Verify every section of the fact columns (what reading whole columns needs)."""
        if not self.whole:
            for name in _FACT_FIELDS:
                for i in self.meta["columns"][name]["sections"]:
                    self.checker.section(i)
            self.whole = True


def _row_functions(
    namespace: dict[str, Any], blocks: _RowBlocks
) -> tuple[Callable[[int], Fact], Callable[[list[list[Any]]], list[Fact]]]:
    """Generated functions: ``make(i)`` reads row ``i`` from its block of rows (read and checked once) with no
    call per column (what makes lazy facts cheap); ``build(columns)`` makes every fact from whole columns
    (checked by the caller).

    Both fill the slots of a new Fact directly, as the frozen dataclass's
    ``__init__`` would but in a third less time, unless Fact has grown a
    ``__post_init__`` or lost its slots (then they call ``Fact(...)``).
    """
    setters = _slot_setters()
    shift = BLOCK_ROWS.bit_length() - 1
    exprs = blocks.exprs(namespace)
    namespace.update(_loaded=blocks.loaded, _load=blocks.load)
    head = (
        f"    p = _loaded[i >> {shift}]\n    if p is None:\n        p = _load(i >> {shift})\n"
        f"    j = i & {BLOCK_ROWS - 1}\n"
    )
    if setters is None:
        code = (
            f"def make(i):\n{head}    return Fact({', '.join(exprs)})\n"
            "def build(columns):\n    return list(map(Fact, *columns))\n"
        )
    else:
        namespace.update({f"s{k}": setter for k, setter in enumerate(setters)}, new=object.__new__)
        args = ", ".join(f"a{k}" for k in range(len(exprs)))
        code = (
            f"def make(i):\n{head}    o = new(Fact)\n"
            + "".join(f"    s{k}(o, {e})\n" for k, e in enumerate(exprs))
            + "    return o\n"
            + f"def build(columns):\n    out = []\n    add = out.append\n    for {args} in zip(*columns):\n"
            + "        o = new(Fact)\n"
            + "".join(f"        s{k}(o, a{k})\n" for k in range(len(exprs)))
            + "        add(o)\n    return out\n"
        )
    exec(compile(code, "<kgraph.cache row reader>", "exec"), namespace)  # noqa: S102 (code from fixed templates)
    return namespace["make"], namespace["build"]


def _slot_setters() -> list[Callable[[Any, Any], None]] | None:
    """The slot descriptors' setters of Fact's fields in order, or None when __init__ must be called."""
    if hasattr(Fact, "__post_init__"):
        return None
    setters = []
    for name in _FACT_FIELDS:
        slot = Fact.__dict__.get(name)
        if not isinstance(slot, types.MemberDescriptorType):
            return None
        setters.append(slot.__set__)
    return setters


def _column(spec: dict[str, Any], parts: list[memoryview], n: int, k: int) -> Callable[[], list[Any]]:
    """A reader of column ``k`` whole (its sizes checked against ``n`` now, its bytes read when called)."""
    kind = spec["kind"]
    if kind == "ints":
        ints = parts[0].cast("q")
        if len(ints) != n:
            raise _Damaged("column size")
        return ints.tolist
    if kind == "codes":
        table = spec["table"]
        codes = parts[0].cast("I")
        if len(codes) != n:
            raise _Damaged("column size")
        return lambda: list(map(table.__getitem__, codes))
    if kind == "text":
        blob, offsets = parts[0], parts[1].cast("Q")
        if len(offsets) != n + 1:
            raise _Damaged("column size")

        def all_text() -> list[str]:
            raw = bytes(blob)
            bounds = offsets.tolist()
            if bounds[-1] != len(raw):
                raise _Damaged("column size")
            return [raw[a:b].decode("utf-8", "surrogatepass") for a, b in itertools.pairwise(bounds)]

        return all_text
    raise _Damaged(f"unknown column kind {kind!r}")


# -- housekeeping ----------------------------------------------------------------------


def clear() -> list[Path]:
    """Remove every cache entry (and temporary file, and folder of part files); returns what was removed."""
    removed: list[Path] = []
    folder = cache_dir()
    if not folder.is_dir():
        return removed
    for p in sorted(folder.iterdir()):
        if p.suffix == SUFFIX or _is_temp(p):
            with _quiet():
                p.unlink()
                removed.append(p)
        elif p.suffix == PARTS and _remove_parts(p):
            removed.append(p)
    return removed


def info(root: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """The cache folder and its entries; with ``root``, whether that dataset's entry is current."""
    folder = cache_dir()
    entries: list[dict[str, Any]] = []
    if folder.is_dir():
        for p in sorted(folder.glob("*" + SUFFIX)):
            if p.name.startswith("."):
                continue
            entry: dict[str, Any] = {"file": str(p), "bytes": 0}
            try:
                entry["bytes"] = p.stat().st_size
                with open(p, "rb") as fh:
                    header, _, _, _ = _read_header(fh)
                entry.update(
                    {
                        "data_dir": header.get("data_dir"),
                        "kgraph": header.get("kgraph"),
                        "facts": header.get("facts"),
                        "entities": header.get("entities"),
                        "sources": header.get("sources"),
                        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(header.get("created", 0))),
                        "current_code": header.get("code") == _code_fingerprint(),
                    }
                )
            except (OSError, _Damaged):
                entry["damaged"] = True
            entries.append(entry)
    result: dict[str, Any] = {
        "directory": str(folder),
        "entries": entries,
        "bytes": sum(e["bytes"] for e in entries),
    }
    if root is not None:
        path = entry_path(root)
        result["dataset"] = {
            "data_dir": os.path.realpath(root),
            "file": str(path),
            "cached": path.is_file(),
            "fresh": load_cached(root) is not None if path.is_file() else False,
        }
    return result
