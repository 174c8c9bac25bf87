"""An incremental load: only the files that changed are read again, and the cache entry is rebuilt from parts.

A cache entry (:mod:`kgraph.cache`) written here keeps, besides the facts'
columns, every data file's *part* (:mod:`kgraph.loading.parts`): its key,
the rows its facts fill, and the summary the checks across files need. When
the entry is stale, :func:`build`

1. reuses the vocabulary part if ``relations.yaml`` and ``entities.yaml``
   are unchanged;
2. for each source file, in dataset order, takes its part from the old
   entry when the part's key (code, vocabulary, file name and bytes) and
   the digests of the files it read (its article text) still match, else
   from a part file kept beside the entry, else checks the file on its own;
3. replays the parts in order (:class:`~kgraph.loading.parts.Merge`): the
   same problems, in the same order, as reading the dataset whole, the
   checks across files run on the parts' summaries;
4. splices the new entry's columns: the unchanged files' rows are byte
   ranges of the old entry (no fact is made), the changed files' rows are
   encoded, and the subject and object indexes are sorted again.

Why one entry holding every part, rather than a file per part: writing a
file per source costs 0.45 s at 100,000 facts (1,652 files) and reading them
back 0.08 s, a large share of the one second an edit may cost; an entry is
one read and one write. Part files are written only for the few files
checked in an incremental load (so an undo, or a dataset with errors, which
is never cached whole, costs no more than the files changed), and those not
used for an hour are removed.

Whenever the parts cannot give exactly the whole load's answer
(``Merge.exact``: a curator id in two files, a budget spent, no vocabulary)
:func:`build` returns None and the caller reads the dataset whole.
"""

from __future__ import annotations

import array
import contextlib
import itertools
import marshal
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import cache as _cache
from .atomic import replace_bytes
from .knowledge import KnowledgeGraph
from .limits import current
from .loading.files import DataFolder
from .loading.parts import (
    FACT_FIELDS,
    Context,
    Merge,
    Part,
    Vocab,
    compile_source,
    compile_vocab,
    source_key,
    vocab_key,
)
from .resolve import NameIndex
from .validate import Report

__all__ = ["Built", "build"]

Progress = Callable[[int, int], None]
MAX_SPLICES = 64
"""Entries spliced in a row before one is encoded afresh (values no row uses any more leave the code tables)."""
PART_FILES_KEPT_S = 3600
"""Part files unused for this long are removed when an entry is written."""
_MANY = 64  # more parts checked than this in one load: a new dataset, its entry holds them all


@dataclass
class Built:
    """What an incremental load gives: the report, and the graph when the data has no errors."""

    report: Report
    kg: KnowledgeGraph | None


class _Old:
    """An entry being rebuilt: its tables, its columns, and its parts by file name."""

    def __init__(self, body: bytes) -> None:
        self.meta, self.sections = _cache._split_body(body, check=True)
        if tuple(self.meta["fields"]) != FACT_FIELDS:
            raise _cache._Damaged("fact fields changed")
        at = self.meta.get("parts")  # (a section of its own: a query never reads it)
        segments, vocab = marshal.loads(self.sections[at]) if at is not None else ((), None)
        self.parts: dict[str, tuple[str, int, int, bytes]] = {row[0]: row[1:] for row in segments}
        self.vocab: tuple[str, bytes] | None = (vocab[0], vocab[1]) if vocab else None

    def column(self, name: str) -> tuple[dict[str, Any], list[memoryview]]:
        spec = self.meta["columns"][name]
        return spec, [self.sections[i] for i in spec["sections"]]


def _old_entry(body: bytes | None) -> _Old | None:
    if body is None:
        return None
    try:
        return _Old(body)
    except (_cache._Damaged, ValueError, EOFError, TypeError, KeyError, IndexError):
        return None


# -- part files ------------------------------------------------------------------------


def parts_dir(root: Path) -> Path:
    """Where the part files of one dataset folder are kept (beside its entry)."""
    return _cache.entry_path(root).with_suffix(_cache.PARTS)


def _read_part(folder: Path, key: str) -> bytes | None:
    """A part file's content, or None when missing or damaged (it is then checked again and rewritten)."""
    try:
        raw = (folder / (key + ".kgp")).read_bytes()
    except OSError:
        return None
    if len(raw) < 12 or raw[:8] != _PART_MAGIC:
        return None
    crc = int.from_bytes(raw[8:12], "little")
    if _crc(raw[12:]) != crc:
        return None
    return raw[12:]


_PART_MAGIC = b"KGRAPHP\x01"


def _crc(data: bytes) -> int:
    import zlib

    return zlib.crc32(data)


def _write_parts(folder: Path, parts: Iterable[tuple[str, bytes]]) -> None:
    """Write part files (atomically, each); a cache folder that cannot take them is no error."""
    parts = list(parts)
    if not parts:
        return
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        for key, raw in parts:
            data = _PART_MAGIC + _crc(raw).to_bytes(4, "little") + raw
            replace_bytes(folder / (key + ".kgp"), data, fsync=False, mode=0o600)


def _prune_parts(folder: Path, keep: set[str]) -> None:
    """Remove the part files not in ``keep`` that were last written (or used) over an hour ago."""
    now = time.time()
    with contextlib.suppress(OSError), os.scandir(folder) as it:
        for e in it:
            stem = e.name.partition(".")[0]
            with contextlib.suppress(OSError):
                if stem not in keep and now - e.stat().st_mtime > PART_FILES_KEPT_S:
                    os.unlink(e.path)


# -- the load ----------------------------------------------------------------------------


class _Sources:
    """Finds each source file's part: from the old entry, a part file, or by checking the file."""

    def __init__(self, found: _cache.Lookup, old: _Old | None, ctx: Context) -> None:
        self.found = found
        self.old = old
        self.ctx = ctx
        self.folder = parts_dir(found.root)
        self.stored = self.folder.is_dir()  # (no part files yet: none looked for)
        self.compiled: list[Part] = []

    def current(self, deps: Iterable[tuple[str, str | None]]) -> bool:
        """Whether every file a part read still has the bytes it read."""
        found = self.found.found
        for name, token in deps:
            if token is None:
                return False
            if name not in found:
                self.found.digests([name])
            if found[name] != token:
                return False
        return True

    def part(self, file: Path, real: str) -> tuple[Part, tuple[int, int] | None]:
        """The part of one source file, and its rows in the old entry when it comes from there."""
        name = "sources/" + file.name
        if name not in self.found.found:
            self.found.digests([name])
        key = source_key(self.ctx.code, self.ctx.vocab.key, name, real, self.found.found[name])
        if self.old is not None:
            kept = self.old.parts.get(name)
            if kept is not None and kept[0] == key:
                with contextlib.suppress(ValueError, EOFError, TypeError):
                    part = Part.loads(kept[3])
                    if self.current(part.deps):
                        return part, (kept[1], kept[2])
        raw = _read_part(self.folder, key) if self.stored else None
        if raw is not None:
            with contextlib.suppress(ValueError, EOFError, TypeError):
                part = Part.loads(raw)
                if part.key == key and part.facts is not None and self.current(part.deps):
                    return part, None
        part = compile_source(self.ctx, file, real, name, key)
        self.compiled.append(part)
        return part, None


def _vocab(found: _cache.Lookup, old: _Old | None, limits: Any, real_root: str, code: str) -> tuple[Vocab, bool]:
    """The vocabulary part (and whether it was checked now)."""
    root = found.root
    found.digests(["relations.yaml", "entities.yaml"])
    key = vocab_key(code, limits, real_root, found.found["relations.yaml"], found.found["entities.yaml"])
    candidates = []
    if old is not None and old.vocab is not None and old.vocab[0] == key:
        candidates.append(old.vocab[1])
    stored = _read_part(parts_dir(root), key)
    if stored is not None:
        candidates.append(stored)
    for raw in candidates:
        with contextlib.suppress(ValueError, EOFError, TypeError):
            vocab = Vocab.loads(raw)
            if vocab.key == key and all(t is not None and found.found.get(n) == t for n, t in vocab.deps):
                return vocab, False
    return compile_vocab(root, limits, key), True


def build(found: _cache.Lookup, progress: Progress | None = None) -> Built | None:
    """Load the dataset of ``found`` from its parts, reading only what changed; None: read it whole instead."""
    from .loading.dataset import readable_folder

    root = found.root
    limits = current()
    listing = Report()
    if not readable_folder(root, listing):
        return None
    folder = DataFolder(root, listing, limits)
    code = _cache._code_fingerprint()
    found.digests(found.names)  # (at once: one call per file cost 0.1 s at 1,600 files when nothing was known)
    old = _old_entry(found.old)
    vocab, vocab_new = _vocab(found, old, limits, folder.real_root, code)
    ctx = Context(root, limits, vocab, code)
    if not ctx.usable:
        return None
    files = folder.source_files(root / "sources")
    merge = Merge(root, limits, vocab, listing)
    sources = _Sources(found, old, ctx)
    pieces: list[tuple[Part, tuple[int, int] | None]] = []
    for done, (file, real) in enumerate(files, 1):
        part, rows = sources.part(file, real)
        merge.add(part)
        if not merge.exact:
            return None
        pieces.append((part, rows))
        if progress is not None:
            progress(done, len(files))
    columns = _Columns(old, fresh=old is None or old.meta.get("splices", 0) >= MAX_SPLICES)
    for part, rows in pieces:
        columns.add(part, rows)
    columns.finish()
    report = merge.finish(ctx.entities, ctx.relations, columns)
    if not merge.exact:
        return None
    # Part files: for a dataset with errors (never cached whole), and for the files an edit changed (an undo
    # then costs nothing); a new entry holds every part of a dataset read afresh.
    keep = report.errors or (old is not None and len(sources.compiled) <= _MANY)
    written = [(p.key, p.dumps()) for p in sources.compiled] if keep else []
    if vocab_new and (report.errors or written):
        written.append((vocab.key, vocab.dumps()))
    if report.errors:
        _write_parts(sources.folder, written)
        return Built(report, None)
    body, key, summary = _entry(found, ctx, old, pieces, columns, report)
    kg = _cache._decode(body, str(root), checked=True)
    if key is not None and _cache.write_entry(root, body, key, summary) is not None:
        _write_parts(sources.folder, written)
        _prune_parts(sources.folder, {p.key for p, _ in pieces} | {vocab.key})
    return Built(report, kg)


def _entry(
    found: _cache.Lookup,
    ctx: Context,
    old: _Old | None,
    pieces: list[tuple[Part, tuple[int, int] | None]],
    columns: _Columns,
    report: Report,
) -> tuple[bytes, str | None, dict[str, Any]]:
    """The new entry's body, its key (None when the folder changed while it was read), its header summary."""
    root = found.root
    real_root = os.path.realpath(root)
    sources = [p.source for p, _ in pieces if p.source is not None]
    texts = sorted({_relative(real_root, s[3]) for s in sources})
    vocab = ctx.vocab
    names = None
    if old is not None and old.vocab is not None and old.vocab[0] == vocab.key:
        names = _cache.stored_table(old.meta, old.sections, "names")
    if names is None:
        index = NameIndex({e.id: (e.name, *e.aliases) for e in ctx.entities.values()})
        names = _cache._names_to_store(index)
    segments = []
    row = 0
    for part, _rows in pieces:
        segments.append((part.name, part.key, row, row + part.n, part.summary()))
        row += part.n
    meta = {
        "n": columns.n,
        "fields": FACT_FIELDS,
        "columns": columns.specs,
        "indexes": columns.indexes,
        "relations": vocab.relations,
        "entities": vocab.entities,
        "sources": tuple(sources),
        "warnings": tuple(_cache._relative_problem(p, str(root)) for p in report.warnings),
        "names": names,
        "parts": len(columns.sections),
        "splices": columns.splices,
    }
    parts = marshal.dumps((tuple(segments), (vocab.key, vocab.dumps())), 4)
    body = _cache.pack(meta, [*columns.sections, parts])
    read: dict[str, str | None] = dict(found.found)
    for part, _rows in pieces:
        read.update(part.deps)
    read.update(vocab.deps)
    listed = found.names + texts
    found.digests(listed)  # (the files no part read: names ending in .yml)
    parsed = {p.name for p, _ in pieces}
    unchanged = _cache._yaml_names(root) == found.names and parsed <= set(found.names)
    key = _cache.key_of(listed, read) if unchanged else None
    signed = found.signatures(read)
    summary = {
        "facts": columns.n,
        "entities": len(vocab.entities),
        "relations": len(vocab.relations),
        "sources": len(sources),
        "texts": texts,
        "signatures": marshal.dumps(signed, 4),
        "quick": _cache.quick_record(listed, signed, key),
    }
    return body, key, summary


def _relative(real_root: str, path: str) -> str:
    """As ``cache._rel``, on strings (pathlib costs 40 µs a path, a tenth of an edit's budget at 1,600 texts)."""
    if path.startswith(real_root + os.sep):
        return path[len(real_root) + 1 :].replace(os.sep, "/")
    return path


# -- the columns ---------------------------------------------------------------------------


class _Columns:
    """The new entry's fact columns: byte ranges of the old entry's, and the changed files' facts encoded.

    Also the :class:`~kgraph.loading.parts.FactsView` the checks across files read.
    """

    def __init__(self, old: _Old | None, *, fresh: bool) -> None:
        self.old = old
        self.fresh = fresh  # every column encoded afresh (the code tables lose values no row uses)
        self.pieces: list[tuple[int, int] | None] = []  # rows of the old entry, or None: see ``new``
        self.new: dict[int, list[tuple[Any, ...]]] = {}  # a changed file's facts as columns, by its piece
        self.n = 0
        self.specs: dict[str, Any] = {}
        self.sections: list[bytes] = []
        self.indexes: dict[str, list[int]] = {}
        self.splices = 0
        self._full: dict[str, list[Any]] = {}

    def add(self, part: Part, rows: tuple[int, int] | None) -> None:
        if rows is not None and self.old is None:  # (no old entry to splice from: its rows as values)
            raise AssertionError("rows of an old entry without one")
        if rows is None:
            assert part.facts is not None
            self.new[len(self.pieces)] = list(zip(*part.facts, strict=True)) if part.facts else []
            self.pieces.append(None)
        else:
            last = self.pieces[-1] if self.pieces else None
            if last is not None and last[1] == rows[0]:  # (unchanged files in a row: one range)
                self.pieces[-1] = (last[0], rows[1])
            else:
                self.pieces.append(rows)
        self.n += part.n

    def finish(self) -> None:
        spliced = not self.fresh and self.old is not None and any(rows is not None for rows in self.pieces)
        for k, name in enumerate(FACT_FIELDS):
            got = self._splice(k, name) if spliced else None
            if got is None:
                spec, parts = _cache._encode_column(self._values(k, name), _cache._ENCODING.get(name))
            else:
                spec, parts = got
            spec["sections"] = list(range(len(self.sections), len(self.sections) + len(parts)))
            self.sections += parts
            self.specs[name] = spec
        self.indexes = _cache.add_indexes(self.specs, self.sections)
        self.splices = self.old.meta.get("splices", 0) + 1 if spliced and self.old is not None else 0

    def _new(self, i: int, k: int) -> tuple[Any, ...]:
        """Field ``k`` of the facts of piece ``i`` (a file checked in this load)."""
        columns = self.new[i]
        return columns[k] if columns else ()

    def _values(self, k: int, name: str) -> list[Any]:
        """Column ``k`` as values, whatever each piece's origin."""
        out: list[Any] = []
        whole: list[Any] | None = None
        for i, rows in enumerate(self.pieces):
            if rows is None:
                out += self._new(i, k)
            else:
                if whole is None:
                    assert self.old is not None
                    spec, parts = self.old.column(name)
                    whole = _cache._column(spec, parts, self.old.meta["n"], k)()
                out += whole[rows[0] : rows[1]]
        return out

    def _splice(self, k: int, name: str) -> tuple[dict[str, Any], list[bytes]] | None:
        """Column ``k`` spliced from the old entry's bytes; None when the pieces do not fit its encoding."""
        assert self.old is not None
        spec, parts = self.old.column(name)
        kind = spec["kind"]
        expected = _cache._ENCODING.get(name)
        if expected is not None and kind != expected:  # (a field that did not fit its encoding: encoded afresh)
            return None
        values = list(itertools.chain.from_iterable(self._new(i, k) for i in self.new))
        if kind == "ints":
            if any(type(v) is not int for v in values):
                return None
            return {"kind": "ints"}, [self._splice_fixed(parts[0].cast("q"), "q", k)]
        if kind == "text":
            if any(type(v) is not str for v in values):
                return None
            return {"kind": "text"}, self._splice_text(parts[0], parts[1].cast("Q"), k)
        table = list(spec["table"])
        index = {v: i for i, v in enumerate(table)}
        try:
            codes = self._splice_codes(parts[0].cast("I"), table, index, k)
        except TypeError:  # (an unhashable value: encoded afresh)
            return None
        return {"kind": "codes", "table": tuple(table)}, [codes]

    def _splice_fixed(self, old: memoryview, typecode: str, k: int) -> bytes:
        chunks: list[bytes] = []
        for i, rows in enumerate(self.pieces):
            if rows is None:
                chunks.append(array.array(typecode, self._new(i, k)).tobytes())
            else:
                chunks.append(old[rows[0] : rows[1]].tobytes())
        return b"".join(chunks)

    def _splice_codes(self, old: memoryview, table: list[Any], index: dict[Any, int], k: int) -> bytes:
        chunks: list[bytes] = []
        for i, rows in enumerate(self.pieces):
            if rows is None:
                codes = array.array("I")
                for v in self._new(i, k):
                    c = index.get(v)
                    if c is None:
                        c = index[v] = len(table)
                        table.append(v)
                    codes.append(c)
                chunks.append(codes.tobytes())
            else:
                chunks.append(old[rows[0] : rows[1]].tobytes())
        return b"".join(chunks)

    def _splice_text(self, blob: memoryview, offsets: memoryview, k: int) -> list[bytes]:
        chunks: list[bytes] = []
        out = array.array("Q", [0])
        at = 0
        for i, rows in enumerate(self.pieces):
            if rows is None:
                for v in self._new(i, k):
                    raw = v.encode("utf-8", "surrogatepass")
                    chunks.append(raw)
                    at += len(raw)
                    out.append(at)
            else:
                a, b = rows
                start, end = offsets[a], offsets[b]
                chunks.append(blob[start:end].tobytes())
                shift = at - start
                out.extend(o + shift for o in offsets[a + 1 : b + 1])
                at += end - start
        return [b"".join(chunks), out.tobytes()]

    # -- what the checks across files read (FactsView) --

    def _column_values(self, name: str) -> list[Any]:
        found = self._full.get(name)
        if found is None:
            k = FACT_FIELDS.index(name)
            spec = self.specs[name]
            found = _cache._column(spec, [memoryview(self.sections[i]) for i in spec["sections"]], self.n, k)()
            self._full[name] = found
        return found

    def ids(self) -> list[str]:
        return self._column_values("id")

    def pairs(self, relations: set[str]) -> Iterable[tuple[str, str]]:
        chosen = self._column_values("relation")
        subjects, objects = self._column_values("subject"), self._column_values("object")
        return [(subjects[i], objects[i]) for i, r in enumerate(chosen) if r in relations]

    def used(self) -> set[str]:
        out: set[str] = set()
        for name in ("subject", "object", "according_to"):
            spec = self.specs[name]
            if spec["kind"] == "codes":
                codes = memoryview(self.sections[spec["sections"][0]]).cast("I")
                table = spec["table"]
                out.update(table[c] for c in set(codes))
            else:
                out.update(self._column_values(name))
        out.discard(None)
        return out
