"""YAML files → validated model → :class:`~kgraph.knowledge.KnowledgeGraph`.

``load()`` reads a dataset folder (``relations.yaml``, ``entities.yaml``,
``sources/*.yaml`` each with its ``.txt``), checks every rule while it reads,
and raises :class:`~kgraph.errors.DataError` carrying *all* problems when any
rule is broken. ``check()`` does the same work but returns the report instead
of raising, for ``kgraph validate``.

Data files are untrusted input. Every file read must lie inside the data
folder once symlinks are followed (the folder itself may be a symlink), must
be a regular file (a FIFO would block forever), and must be within the size
limits of :mod:`kgraph.limits`, checked with ``fstat`` before a byte is read.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Callable
from pathlib import Path

from . import dates
from .errors import DataError
from .knowledge import KnowledgeGraph
from .limits import Limits, current, inside
from .model import Entity, Fact, Relation, Source
from .resolve import fold
from .validate import ENTITY_TYPES, RELATION_ID, SLUG, Report, normalise_text, show
from .yamlread import YList, YMap, read_yaml

__all__ = ["bundled_data_dir", "check", "data_dir", "fact_id", "load"]

RELATION_FIELDS = ("id", "polarity", "description"), ("label", "parent", "symmetric", "inverse", "acts_for")
ENTITY_FIELDS = ("id", "name", "type", "description"), ("aliases",)
SOURCE_FIELDS = ("id", "title", "text"), ("published", "url", "publisher", "author")
FACT_FIELDS = ("subject", "relation", "object", "quote"), ("date", "start", "end", "according_to", "qualifiers")


def bundled_data_dir() -> Path:
    """The dataset shipped with kgraph (inside the wheel, or the repo's data/ in a checkout)."""
    here = Path(__file__).resolve().parent
    packaged = here / "data"
    if (packaged / "relations.yaml").is_file():
        return packaged
    return here.parent.parent / "data"


def data_dir(path: str | os.PathLike[str] | None = None) -> Path:
    """The dataset folder to use: ``path``, else ``$KGRAPH_DATA``, else the bundled data."""
    if path is not None and str(path) != "":
        return Path(path)
    env = os.environ.get("KGRAPH_DATA")
    if env:
        return Path(env)
    return bundled_data_dir()


def fact_id(source: str, subject: str, relation: str, obj: str, when: str, quote: str) -> str:
    """A fact's stable id: a hash of what the fact says, not of where it stands in the file.

    Reordering or reformatting the YAML keeps every id; changing what a fact
    states (its ends, relation, time or quote) gives it a new one.

    >>> a = fact_id("src", "china", "supports", "belarus", "2021", "China backs Belarus.")
    >>> a == fact_id("src", "china", "supports", "belarus", "2021", "China  backs\\nBelarus.")
    True
    >>> a == fact_id("src", "china", "supports", "belarus", "2020", "China backs Belarus.")
    False
    >>> a.startswith("f-"), len(a)
    (True, 18)
    """
    return _fact_id(source, subject, relation, obj, when, normalise_text(quote))


def _fact_id(source: str, subject: str, relation: str, obj: str, when: str, normalised_quote: str) -> str:
    key = f"{source}\x1f{subject}\x1f{relation}\x1f{obj}\x1f{when}\x1f{normalised_quote}"
    return "f-" + hashlib.blake2b(key.encode("utf-8"), digest_size=8).hexdigest()


def load(
    path: str | os.PathLike[str] | None = None,
    *,
    cache: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> KnowledgeGraph:
    """Load and validate a dataset folder; DataError (with every problem) if it is invalid.

    With ``cache`` (the default) an unchanged dataset is answered from the
    compiled cache (:mod:`kgraph.cache`) instead of being read again, and a
    freshly read valid one is stored there. ``progress(done, total)`` is
    called as source files are read (not on a cache hit).

    >>> kg = load()
    >>> kg.entity("belarus").name
    'Belarus'
    """
    if cache:
        from . import cache as _cache

        root = data_dir(path)
        if os.path.isdir(root):
            cached = _cache.load_cached(root)
            if cached is not None:
                return cached
            before = _cache.snapshot(root)
            kg = _checked(path, progress)
            _cache.store(root, kg, before)
            return kg
    return _checked(path, progress)


def _checked(path: str | os.PathLike[str] | None, progress: Callable[[int, int], None] | None) -> KnowledgeGraph:
    kg, report = check(path, progress=progress)
    if kg is None or report.errors:
        n = len(report.errors)
        first = report.errors[0] if report.errors else None
        msg = f"{n} problem{'s' if n != 1 else ''} in the data"
        if first:
            more = f" (and {n - 1} more problem{'s' if n != 2 else ''}; run 'kgraph validate')" if n > 1 else ""
            msg = first.brief() + more
        raise DataError(msg, report.errors + report.warnings)
    return kg


def check(
    path: str | os.PathLike[str] | None = None, *, progress: Callable[[int, int], None] | None = None
) -> tuple[KnowledgeGraph | None, Report]:
    """Read and check a dataset folder; returns the graph (None if unreadable) and every problem.

    Never cached: this is what ``kgraph validate`` runs.
    """
    root = data_dir(path)
    report = Report()
    lim = current()
    if not os.path.isdir(root):
        if os.path.lexists(root):
            report.error(
                str(root),
                None,
                "this is a file, not a data folder (give the folder that holds "
                "relations.yaml, entities.yaml and sources/)",
            )
        else:
            report.error(str(root), None, "no such data folder (give --data PATH or set KGRAPH_DATA)")
        return None, report
    try:
        with os.scandir(root):
            pass
    except OSError as denied:
        report.error(str(root), None, f"cannot read the data folder: {_reason(denied)}")
        return None, report
    reader = _Reader(root, report, lim)
    relations = _load_relations(root / "relations.yaml", report, reader)
    entities, entity_pos = _load_entities(root / "entities.yaml", report, reader)
    sources: list[Source] = []
    facts: list[Fact] = []
    src_dir = root / "sources"
    files = reader.source_files(src_dir)
    for done, (file, real) in enumerate(files, 1):
        _load_source(file, real, relations, entities, report, sources, facts, reader)
        if len(facts) > lim.max_facts:
            report.error(
                str(file),
                None,
                f"the dataset has more than {lim.max_facts:,} "
                f"fact{'s' * (lim.max_facts != 1)}; stopped reading here "
                f"({lim.hint('max_facts')})",
            )
            break
        if progress is not None:
            progress(done, len(files))
    used = set()
    for f in facts:
        used.add(f.subject)
        used.add(f.object)
        if f.according_to:
            used.add(f.according_to)
    for e in entities.values():
        if e.id not in used and not report.errors:  # facts with errors were not kept: don't blame their entities
            report.warn(str(root / "entities.yaml"), entity_pos.get(e.id), f"entity {e.id!r} is in no fact")
    if not facts and not report.errors:
        report.warn(str(src_dir), None, "the dataset has no facts")
    kg = KnowledgeGraph(
        list(relations.values()), list(entities.values()), sources, facts, data_dir=str(root), warnings=report.warnings
    )
    return kg, report


# -- reading files safely ------------------------------------------------------


class _Reader:
    """Reads the files of one dataset: inside its folder, regular files only, within the limits."""

    __slots__ = ("limits", "real_root", "report", "root", "scan_left", "scan_spent", "suggestions")

    def __init__(self, root: Path, report: Report, limits: Limits) -> None:
        self.suggestions = [SUGGESTION_BUDGET]  # see _Passages
        self.scan_left = limits.max_quote_scan * (10 << 20)  # see _Passages.contains; grows with each YAML file
        self.scan_spent = False
        self.root = root
        self.real_root = os.path.realpath(root)
        self.report = report
        self.limits = limits

    def outside(self, path: str, at: str, pos: tuple[int, int] | None = None) -> str | None:
        """The resolved ``path``, or None (and an error reported at ``at``) when it lies outside the data folder."""
        real = os.path.realpath(path)
        if inside(real, self.real_root):
            return real
        self.report.error(
            at,
            pos,
            f"{os.path.relpath(path, self.root)} is a symlink to {real}, outside the data "
            "folder; kgraph reads only files inside it (copy the file in instead)",
        )
        return None

    def read(
        self,
        path: str,
        missing: str,
        *,
        text: bool = False,
        at: str | None = None,
        pos: tuple[int, int] | None = None,
        hint: str | None = None,
    ) -> bytes | None:
        """The bytes of a regular file within its size limit; None once the reason it cannot be read is reported.

        Problems go on ``at``:``pos`` (the ``text:`` field of a source) when given, else on the file
        itself; ``missing`` (with ``hint``) is the message for a file that does not exist.
        """
        where = at if at is not None else path
        max_bytes, limit = (
            (self.limits.max_text_bytes, "max_text_bytes") if text else (self.limits.max_file_bytes, "max_file_bytes")
        )
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
        try:
            fd = os.open(path, flags)
        except FileNotFoundError:
            self.report.error(where, pos, missing, hint)
            return None
        except OSError as e:
            self.report.error(where, pos, f"cannot read {os.path.basename(path)}: {_reason(e)}")
            return None
        name = os.path.basename(path)
        problem = None
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                kind = "a folder" if stat.S_ISDIR(st.st_mode) else "not a regular file (a FIFO, device or socket)"
                problem = f"{name} is {kind}; kgraph reads regular files only"
            elif st.st_size > max_bytes:
                problem = f"{name} is {st.st_size:,} bytes, too big to read ({self.limits.hint(limit, ' bytes')})"
            else:
                with open(fd, "rb", closefd=False) as fh:
                    data = fh.read(st.st_size + 1)  # (a buffer of the file's size, not of the limit)
                    if len(data) > st.st_size:  # it grew, or its size lied (a /proc file): read on, to the limit
                        data += fh.read(max_bytes + 1 - len(data))
        except OSError as e:
            problem = f"cannot read {name}: {_reason(e)}"
        finally:
            os.close(fd)
        if problem is not None:
            self.report.error(where, pos, problem)
            return None
        if not text:
            self.scan_left += self.limits.max_quote_scan * len(data)
        if len(data) > max_bytes:
            self.report.error(
                where,
                pos,
                f"{name} is more than {max_bytes:,} bytes, too big to read ({self.limits.hint(limit, ' bytes')})",
            )
            return None
        return data

    def source_files(self, src_dir: Path) -> list[tuple[Path, str]]:
        """The ``sources/*.yaml`` files in name order, each with its resolved path; problems reported."""
        p = str(src_dir)
        report = self.report
        if not os.path.isdir(src_dir):
            if os.path.lexists(src_dir):
                report.error(
                    p, None, "sources is not a folder: each article goes in sources/<id>.yaml with its <id>.txt"
                )
            else:
                report.error(p, None, "no sources/ folder: each article goes in sources/<id>.yaml with its <id>.txt")
            return []
        real_dir = self.outside(p, p) if os.path.islink(p) else os.path.join(self.real_root, "sources")
        if real_dir is None:
            return []
        try:
            with os.scandir(src_dir) as it:
                entries = sorted((e.name, e.is_symlink()) for e in it if e.name.endswith((".yaml", ".yml")))
        except OSError as e:
            report.error(p, None, f"cannot read the sources folder: {_reason(e)}")
            return []
        out = []
        for name, link in entries:
            file = src_dir / name
            if name.endswith(".yml"):
                report.warn(
                    str(file), None, "not read: source files must end in .yaml", repr(file.with_suffix(".yaml").name)
                )
                continue
            real = self.outside(str(file), str(file)) if link else os.path.join(real_dir, name)
            if real is not None:
                out.append((file, real))
        return out


def _reason(e: OSError) -> str:
    """``PermissionError`` → ``"permission denied"``."""
    return (e.strerror or type(e).__name__).lower()


# -- relations.yaml ------------------------------------------------------------


def _read_list(file: Path, key: str, report: Report, reader: _Reader) -> YList | None:
    p = str(file)
    if os.path.islink(p) and reader.outside(p, p) is None:
        return None
    data = reader.read(p, f"missing file: the dataset needs {file.name}")
    if data is None:
        return None
    doc, problems = read_yaml(data, p, reader.limits)
    report.extend(problems)
    if doc is None:
        return None
    top = report.mapping(doc, p, (1, 1), "the file")
    if top is None:
        return None
    if not report.fields(top, p, "the file", (key,), ()):
        return None
    return report.sequence(top[key], p, top.value_at(key), f"{key!r}")


def _load_relations(file: Path, report: Report, reader: _Reader) -> dict[str, Relation]:
    p = str(file)
    items = _read_list(file, "relations", report, reader)
    out: dict[str, Relation] = {}
    if items is None:
        return out
    where: dict[str, YMap] = {}
    for item, at in zip(items, items.pos):
        m = report.mapping(item, p, at, "a relation")
        if m is None:
            continue
        ident = m.get("id")
        what = f"relation {ident!r}" if isinstance(ident, str) else "a relation"
        report.fields(m, p, what, *RELATION_FIELDS)
        if not isinstance(ident, str):
            continue
        if not RELATION_ID.match(ident):
            near = re.sub(r"[^a-z0-9]+", "_", ident.lower()).strip("_")
            report.error(
                p,
                m.value_at("id"),
                f"relation id {ident!r} must be snake_case (a-z, 0-9, _)"
                + ("" if ident[:1].isalpha() else ", starting with a letter"),
                repr(near) if RELATION_ID.match(near) else None,
            )
        if ident in where:
            report.error(p, m.value_at("id"), f"duplicate relation id {ident!r} (first at line {where[ident].line})")
            continue
        polarity = _polarity(m, p, what, report)
        inverse = report.text(m, "inverse", p, what)
        symmetric = report.flag(m, "symmetric", p, what)
        if symmetric and inverse:
            report.error(p, m.value_at("inverse"), f"{what} is symmetric, so it cannot have an inverse name")
        where[ident] = m
        out[ident] = Relation(
            id=ident,
            label=report.text(m, "label", p, what) or ident.replace("_", " "),
            polarity=polarity if polarity is not None else 0,
            description=report.text(m, "description", p, what) or "",
            parent=report.text(m, "parent", p, what),
            symmetric=symmetric,
            inverse=inverse,
            acts_for=report.flag(m, "acts_for", p, what),
        )
    names: dict[str, str] = {}
    on_cycle, depth = _hierarchy(out)
    max_depth = reader.limits.max_relation_depth
    for r in out.values():
        m = where[r.id]
        if (
            r.parent is not None
            and report.reference(r.parent, out, p, m.value_at("parent"), "parent relation")
            and "polarity" in m
            and out[r.parent].polarity != r.polarity
        ):  # (a missing one is reported)
            report.error(
                p,
                m.value_at("polarity"),
                f"relation {r.id!r} has polarity {r.polarity} but its parent {r.parent!r} has "
                f"{out[r.parent].polarity}; a sub-relation keeps its parent's polarity",
            )
        if r.id in on_cycle:
            report.error(p, m.value_at("parent"), f"relation {r.id!r} is its own ancestor (parent cycle)")
        elif depth.get(r.id) == max_depth + 1:
            report.error(
                p,
                m.value_at("parent"),
                f"relation {r.id!r} has more than {max_depth} ancestors; the "
                f"relation hierarchy is too deep ({reader.limits.hint('max_relation_depth')})",
            )
        if r.inverse is not None:
            if r.inverse in out:
                report.error(
                    p, m.value_at("inverse"), f"inverse name {r.inverse!r} of {r.id!r} is already a relation id"
                )
            elif r.inverse in names:
                report.error(
                    p, m.value_at("inverse"), f"inverse name {r.inverse!r} is used by {names[r.inverse]!r} too"
                )
            names[r.inverse] = r.id
    return out


def _hierarchy(relations: dict[str, Relation]) -> tuple[set[str], dict[str, int]]:
    """The relations on a parent cycle, and how many ancestors each other one has; in linear time.

    (Walking every relation's chain of parents would be quadratic in a hostile vocabulary: a chain of
    400,000 relations.)
    """
    on_cycle: set[str] = set()
    depth: dict[str, int] = {}
    for start in relations:
        path: list[str] = []
        on_path: set[str] = set()
        cur: str | None = start
        while cur in relations and cur not in depth and cur not in on_cycle:
            if cur in on_path:  # a cycle: the path from cur on goes round it
                loop = path[path.index(cur) :]
                on_cycle.update(loop)
                break
            path.append(cur)
            on_path.add(cur)
            cur = relations[cur].parent
        if cur in on_cycle:
            continue  # the rest of the path leads into a cycle: no depth (the cycle is what gets reported)
        base = depth.get(cur, -1) if cur is not None else -1  # a root's depth is 0
        for x in reversed(path):
            base += 1
            depth[x] = base
    return on_cycle, depth


def _polarity(m: YMap, p: str, what: str, report: Report) -> int | None:
    value = m.get("polarity")
    if value is None:
        return None
    table = {"1": 1, "+1": 1, "-1": -1, "0": 0}
    if isinstance(value, str) and value.strip() in table:
        return table[value.strip()]
    hint = None
    if isinstance(value, str):
        low = value.lower()
        hint = (
            "1"
            if low.startswith(("coop", "pos"))
            else "-1"
            if low.startswith(("conf", "neg"))
            else "0"
            if low.startswith(("neu", "str"))
            else None
        )
    report.error(p, m.value_at("polarity"), f"polarity of {what} must be 1, -1 or 0, not {show(value)}", hint)
    return None


# -- entities.yaml -------------------------------------------------------------


def _load_entities(file: Path, report: Report, reader: _Reader) -> tuple[dict[str, Entity], dict[str, tuple[int, int]]]:
    """The entities by id, and where each one starts in the file."""
    p = str(file)
    items = _read_list(file, "entities", report, reader)
    out: dict[str, Entity] = {}
    positions: dict[str, tuple[int, int]] = {}
    if items is None:
        return out, positions
    first_line: dict[str, int] = {}
    names: dict[str, tuple[str, int]] = {}  # folded name -> (entity id, line)
    for item, at in zip(items, items.pos):
        m = report.mapping(item, p, at, "an entity")
        if m is None:
            continue
        ident = m.get("id")
        what = f"entity {ident!r}" if isinstance(ident, str) else "an entity"
        report.fields(m, p, what, *ENTITY_FIELDS)
        if not isinstance(ident, str):
            continue
        if not SLUG.match(ident):
            report.error(
                p,
                m.value_at("id"),
                f"entity id {ident!r} must be a lowercase slug (a-z, 0-9, single hyphens)",
                repr(re.sub(r"[^a-z0-9]+", "-", fold(ident)).strip("-")),
            )
        if ident in first_line:
            report.error(p, m.value_at("id"), f"duplicate entity id {ident!r} (first at line {first_line[ident]})")
            continue
        first_line[ident] = m.line
        etype = report.text(m, "type", p, what) or "other"
        if "type" in m and isinstance(m["type"], str) and etype not in ENTITY_TYPES:
            from .resolve import suggest

            near = suggest(etype, ENTITY_TYPES, n=1)
            report.warn(
                p,
                m.value_at("type"),
                f"entity type {etype!r} is not one of {', '.join(ENTITY_TYPES)}",
                repr(near[0]) if near else None,
            )
        name = report.text(m, "name", p, what) or ident
        aliases = report.string_list(m, "aliases", p, what)
        # every name of an entity must point at that entity alone
        own: set[str] = set()
        raw = m.get("aliases")
        alias_at = {v: at for v, at in zip(raw, raw.pos) if isinstance(v, str)} if isinstance(raw, YList) else {}
        labels = [(ident, m.value_at("id")), (name, m.value_at("name") if "name" in m else (m.line, m.column))]
        labels += [(a, alias_at.get(a, (m.line, m.column))) for a in aliases]
        for label, pos in labels:
            key = fold(label)
            if not key:
                report.error(p, pos, f"name {label!r} of {what} has no letters or digits")
                continue
            if key in own:
                continue
            own.add(key)
            if key in names and names[key][0] != ident:
                other, line = names[key]
                report.error(
                    p,
                    pos,
                    f"name {label!r} of {what} is also a name of {other!r} (line {line}); "
                    "each name must lead to one entity",
                )
            else:
                names[key] = (ident, m.line)
        e = Entity(
            id=ident, name=name, type=etype, description=report.text(m, "description", p, what) or "", aliases=aliases
        )
        out[ident] = e
        positions[ident] = (m.line, m.column)
    return out, positions


# -- sources/<id>.yaml ---------------------------------------------------------


MAX_SENTENCES_SEARCHED = 5_000
"""A text of more sentences than this (an article has tens) gets no closest-passage suggestions."""
SUGGESTION_BUDGET = 100_000
"""Sentences compared, over a whole load, to suggest passages for quotes not found (~10 s at most)."""


class _Passages:
    """The sentences of one article text, split once, to suggest the passage a quote not found was meant to be.

    difflib is slow (about 0.1 ms a sentence), so a hostile dataset (a huge text, thousands of wrong quotes)
    could make the suggestions quadratic; they are bounded instead: none for a text of more than
    :data:`MAX_SENTENCES_SEARCHED` sentences, and none once the load has compared
    :data:`SUGGESTION_BUDGET` sentences. The error itself is always reported.
    """

    __slots__ = ("_sentences", "budget", "checked", "reader", "text")

    def __init__(self, text: str, reader: _Reader) -> None:
        self.text = text
        self.reader = reader
        self.budget = reader.suggestions  # shared by every source of one load
        self.checked: dict[str, bool] = {}  # quote -> found (a quote repeated is searched once)
        self._sentences: list[str] | None = None

    def contains(self, quote: str) -> bool | None:
        """Whether the text holds the (normalised) quote; None once the load's scanning allowance is spent.

        Each check may scan the whole text, so a source pairing a huge text with a huge number of facts
        would take hours; the load may scan ``max_quote_scan`` characters of text per byte of YAML it read
        (plus 10 MiB worth), far more than real data needs (a million-fact dataset uses a thirtieth of it).
        """
        found = self.checked.get(quote)
        if found is None:
            reader = self.reader
            if reader.scan_left < len(self.text):
                return None
            reader.scan_left -= len(self.text)
            found = self.checked[quote] = quote in self.text
        return found

    def closest(self, quote: str) -> str | None:
        import difflib

        if self._sentences is None:  # not at a mid-sentence quote
            self._sentences = [s for s in re.split(r"(?:(?<=[.!?])|(?<=[.!?][\"']))\s+", self.text) if s]
        sentences = self._sentences
        if len(sentences) > MAX_SENTENCES_SEARCHED or self.budget[0] < len(sentences):
            return None
        self.budget[0] -= len(sentences)
        best = difflib.get_close_matches(normalise_text(quote), sentences, n=1, cutoff=0.4)
        if best:
            return repr(best[0][:160] + ("…" if len(best[0]) > 160 else ""))
        return None


def _load_source(
    file: Path,
    real: str,
    relations: dict[str, Relation],
    entities: dict[str, Entity],
    report: Report,
    sources: list[Source],
    facts: list[Fact],
    reader: _Reader,
) -> None:
    p = str(file)
    data = reader.read(p, "the file went away while the dataset was read")
    if data is None:
        return
    doc, problems = read_yaml(data, p, reader.limits)
    report.extend(problems)
    if doc is None:
        return
    top = report.mapping(doc, p, (1, 1), "a source file")
    if top is None:
        return
    report.fields(top, p, "a source file", ("source", "facts"), ())
    meta = report.mapping(top["source"], p, top.value_at("source"), "'source'") if "source" in top else None
    if meta is None:
        return
    report.fields(meta, p, "'source'", *SOURCE_FIELDS)
    sid = report.text(meta, "id", p, "'source'") or file.stem
    if sid != file.stem:
        report.error(
            p, meta.value_at("id"), f"source id {sid!r} must match the file name {file.stem!r}", repr(file.stem)
        )
    published = report.date(meta, "published", p, "'source'")
    text_name = report.text(meta, "text", p, "'source'")
    normalised_text: str | None = None
    text_path = file.with_suffix(".txt")
    real_text: str | None = real[: -len(".yaml")] + ".txt"
    if text_name is not None:
        text_path = file.parent / text_name
        beside = file.with_suffix(".txt")
        hint = repr(beside.name) if beside.name != text_name and os.path.isfile(beside) else None
        real_text = os.path.realpath(os.path.join(os.path.dirname(real), text_name))
        if os.path.isabs(text_name) or not inside(real_text, reader.real_root):
            how = "is an absolute path" if os.path.isabs(text_name) else "leads outside it"
            report.error(
                p,
                meta.value_at("text"),
                f"the article text must be inside the data folder, and "
                f"{text_name!r} {how}; name a file beside {file.name}",
                hint,
            )
            real_text = None
        else:
            data = reader.read(
                real_text,
                f"article text {text_name!r} not found next to {file.name}",
                text=True,
                at=p,
                pos=meta.value_at("text"),
                hint=hint,
            )
            if data is not None:
                try:
                    normalised_text = normalise_text(data.decode("utf-8"))
                except UnicodeDecodeError as err:
                    head = data[: err.start]
                    where = (head.count(b"\n") + 1, len(head[head.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1)
                    report.error(
                        str(text_path),
                        where,
                        f"the article text is not UTF-8: byte 0x{data[err.start]:02X} here is not valid "
                        "UTF-8 (was it saved as Latin-1 or Windows-1252?); re-save the file as UTF-8",
                    )
    sources.append(
        Source(
            id=sid,
            title=report.text(meta, "title", p, "'source'") or sid,
            published=published,
            text_path=real_text if real_text is not None else str(text_path),
            path=real,
            url=report.text(meta, "url", p, "'source'"),
            publisher=report.text(meta, "publisher", p, "'source'"),
            author=report.text(meta, "author", p, "'source'"),
        )
    )
    items = top.get("facts")
    if items is None:
        return
    items = report.sequence(items, p, top.value_at("facts"), "'facts'")
    if items is None:
        return
    pub_end = dates.period(published)[1] if published else None
    passages = _Passages(normalised_text, reader) if normalised_text is not None else None
    seen: dict[str, int] = {}
    for item, at in zip(items, items.pos):
        m = report.mapping(item, p, at, "a fact")
        if m is None:
            continue
        f = _read_fact(m, p, sid, relations, entities, passages, pub_end, report)
        if f is None:
            continue
        if f.id in seen:
            report.error(
                p, (m.line, m.column), f"the same fact as line {seen[f.id]} (same ends, relation, time and quote)"
            )
            continue
        seen[f.id] = m.line
        facts.append(f)


def _read_fact(
    m: YMap,
    p: str,
    sid: str,
    relations: dict[str, Relation],
    entities: dict[str, Entity],
    passages: _Passages | None,
    pub_end: object,
    report: Report,
) -> Fact | None:
    errors_before = len(report.errors)
    what = f"the fact at line {m.line}"
    report.fields(m, p, what, *FACT_FIELDS)
    subject = report.text(m, "subject", p, what)
    obj = report.text(m, "object", p, what)
    rel_id = report.text(m, "relation", p, what)
    quote = report.text(m, "quote", p, what)
    according = report.text(m, "according_to", p, what)
    # an unreadable entities.yaml is reported once, not once per fact
    quiet = not entities and any(e.path.endswith("entities.yaml") for e in report.errors)
    if subject is not None and not quiet:
        report.reference(subject, entities, p, m.value_at("subject"), "entity")
    if obj is not None and not quiet:
        report.reference(obj, entities, p, m.value_at("object"), "entity")
    if according is not None and not quiet:
        report.reference(according, entities, p, m.value_at("according_to"), "entity")
    relation = None
    if rel_id is not None:
        relation = relations.get(rel_id)
        if relation is None:
            inverse_of = next((r for r in relations.values() if r.inverse == rel_id), None)
            if inverse_of is not None:
                report.error(
                    p,
                    m.value_at("relation"),
                    f"{rel_id!r} is the inverse name of {inverse_of.id!r}: write the fact the other way round "
                    f"(subject {obj!r}, relation {inverse_of.id!r}, object {subject!r})",
                )
            elif relations or not any(e.path.endswith("relations.yaml") for e in report.errors):
                # (an unreadable relations.yaml is reported once, not once per fact; an empty one is no excuse)
                report.reference(rel_id, relations, p, m.value_at("relation"), "relation")
    date = report.date(m, "date", p, what)
    start = report.date(m, "start", p, what)
    end = report.date(m, "end", p, what)
    if date is not None and (start is not None or end is not None):
        report.error(p, m.value_at("date"), f"{what} has both 'date' and 'start'/'end'; use one or the other")
    if start is not None and end is not None and dates.period(start)[0] > dates.period(end)[1]:
        report.error(p, m.value_at("end"), f"{what} ends ({end}) before it starts ({start})")
    qualifiers: tuple[tuple[str, str], ...] = ()
    if m.get("qualifiers") is not None:
        q = report.mapping(m["qualifiers"], p, m.value_at("qualifiers"), "'qualifiers'")
        if q is not None:
            pairs = []
            for k, v in q.items():
                if not isinstance(v, str):
                    report.error(p, q.value_at(k), f"qualifier {k!r} must be a plain value, not {show(v)}")
                else:
                    pairs.append((k, v))
            qualifiers = tuple(pairs)
    normalised_quote = normalise_text(quote) if quote is not None else ""  # once: checked here, hashed below
    if quote is not None and passages is not None:
        found = passages.contains(normalised_quote)
        if found is None:  # the load's allowance for scanning texts is spent: say so once (the load fails)
            reader = passages.reader
            if not reader.scan_spent:
                reader.scan_spent = True
                lim = reader.limits
                report.error(
                    p,
                    m.value_at("quote"),
                    "quotes not checked from here on: checking them has scanned "
                    f"{lim.max_quote_scan:,} characters of article text per byte of YAML, the most allowed "
                    f"({lim.hint('max_quote_scan')}); do sources pair very many facts with very long texts?",
                )
        elif not found:
            report.error(
                p, m.value_at("quote"), f"quote not found in the article text of {sid!r}", passages.closest(quote)
            )
    if len(report.errors) > errors_before or None in (subject, obj, rel_id, quote) or relation is None or quiet:
        return None
    assert subject is not None and obj is not None and rel_id is not None and quote is not None
    if subject == obj:
        report.warn(p, m.value_at("object"), f"{what} relates {subject!r} to itself")
    first = date or start
    if first and pub_end is not None and dates.period(first)[0] > pub_end:  # type: ignore[operator]
        report.warn(
            p, m.value_at("date" if date else "start"), f"{what} is dated {first}, after the source was published"
        )
    a, b = sorted((subject, obj)) if relation.symmetric else (subject, obj)
    when = date or (f"{start or ''}/{end or ''}" if (start or end) else "")
    return Fact(
        id=_fact_id(sid, a, rel_id, b, when, normalised_quote),
        subject=subject,
        relation=rel_id,
        object=obj,
        polarity=relation.polarity,
        quote=quote,
        source=sid,
        date=date,
        start=start,
        end=end,
        according_to=according,
        qualifiers=qualifiers,
        line=m.line,
    )
