"""A dataset checked file by file: each file's own checks done once and kept, the checks across files redone.

Reading a source file and checking it against the vocabulary and the
entities is nearly all the work of a load (at 100,000 facts, 95 % of it),
and its outcome depends on that file, its article text, ``relations.yaml``
and ``entities.yaml``, nothing else. So each file is checked *on its own*
(:func:`compile_source`, a fresh :class:`~kgraph.validate.Report`) into a
:class:`Part`: its problems, its source, its facts, and a compact summary
of what the checks across files need (the curator ids it declares, the
``disputes``/``same_as`` it makes, the quotes waiting for acts-for links,
with their positions). ``relations.yaml`` and ``entities.yaml`` make a
:class:`Vocab` the same way. :class:`Merge` then replays the files in
dataset order and runs the checks across files on those summaries with the
very code a whole load runs (:class:`~kgraph.loading.refs.FactRefs`,
:class:`~kgraph.loading.naming.Naming`), so every message, and the order of
the messages, is what :func:`kgraph.loading.dataset.check` gives.

What a load shares between files is replayed too: the suggestion budget,
the passage budget and the quote-scanning allowance (each part records what
it used, with no limit while it was checked on its own; if the sum ever
exceeds what a whole load has, a file might have been checked differently,
and :class:`Merge` says so: :attr:`Merge.exact` is False), the fact limit,
and the curator ids (one used in two files changes which facts are kept). In
those rare cases, and when the vocabulary or the entities are missing, the
caller reads the dataset whole instead. Parts are kept by
:mod:`kgraph.cache`, keyed by everything they depend on (:func:`source_key`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import marshal
import operator
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol

from ..errors import Problem
from ..limits import Limits
from ..model import Entity, Fact, Relation, Source
from ..suggest import SUGGESTION_BUDGET, Budget, Suggester
from ..validate import Report
from .entities import load_entities
from .files import DataFolder
from .naming import Naming
from .quotes import PASSAGE_BUDGET, SCAN_ALLOWANCE_BASE
from .refs import FactRefs, Ref
from .sources import load_source
from .vocabulary import load_relations

__all__ = ["FACT_FIELDS", "FactsView", "Merge", "Part", "Vocab", "compile_source", "compile_vocab", "source_key"]

FACT_FIELDS = tuple(f.name for f in dataclasses.fields(Fact))
_fact_row = operator.attrgetter(*FACT_FIELDS)
_UNLIMITED = 1 << 62
Position = tuple[int, int]
Token = str | None  # a SHA-256 of a file's bytes as read; None when it could not be read
Deps = tuple[tuple[str, Token], ...]


class _Metered(Budget):
    """A budget that never refuses and remembers how much was spent (what a part used, to replay in order)."""

    __slots__ = ()

    def __init__(self) -> None:
        super().__init__(_UNLIMITED)

    @property
    def used(self) -> int:
        return _UNLIMITED - self.left


class _RecordingFolder(DataFolder):
    """A :class:`DataFolder` that notes a digest of every file it reads: what a part depends on."""

    __slots__ = ("read_log", "yaml_bytes")

    def __init__(self, root: Path, report: Report, limits: Limits) -> None:
        super().__init__(root, report, limits)
        self.read_log: list[tuple[str, Token]] = []
        self.yaml_bytes = 0
        self.quotes.left = _UNLIMITED
        self.quotes.passages = _Metered()

    def read(
        self,
        path: str,
        missing: str,
        *,
        text: bool = False,
        at: Any = None,
        pos: tuple[int, int] | None = None,
        hint: str | None = None,
    ) -> bytes | None:
        data = super().read(path, missing, text=text, at=at, pos=pos, hint=hint)
        self.read_log.append((path, None if data is None else hashlib.sha256(data).hexdigest()))
        if data is not None and not text:
            self.yaml_bytes += len(data)
        return data

    def spent(self, suggester: _Metered) -> tuple[int, int, int, int]:
        """(suggestions compared, passages compared, YAML bytes credited, text characters scanned)."""
        passages = self.quotes.passages
        assert isinstance(passages, _Metered)
        scanned = _UNLIMITED + self.limits.max_quote_scan * self.yaml_bytes - self.quotes.left
        return suggester.used, passages.used, self.yaml_bytes, scanned

    def deps(self) -> Deps:
        """The files read, named as the cache names them (relative to the folder, or to where it resolves)."""
        return tuple((relative_name(self.root, self.real_root, p), t) for p, t in self.read_log)


def relative_name(root: Path, real_root: str, path: str) -> str:
    """``path`` relative to the data folder as given (or as resolved), else as it is."""
    for base in (str(root), real_root):
        if path.startswith(base + os.sep):
            rest = path[len(base) + 1 :]
            return rest.replace(os.sep, "/") if os.sep != "/" else rest
    return path


# -- what one file leaves ---------------------------------------------------------


def _problem_rows(problems: Iterable[Problem], root: str) -> tuple[tuple[Any, ...], ...]:
    """Problems as rows, their path relative to ``root`` (a part is reused under another spelling of it)."""
    out = []
    for p in problems:
        path: Any = p.path
        if path == root or path.startswith(root + os.sep):
            path = ("\0root", path[len(root) :])
        out.append((path, p.line, p.column, p.message, p.severity, p.suggestion))
    return tuple(out)


def problems_of(rows: Iterable[Sequence[Any]], root: str) -> list[Problem]:
    """The problems of :func:`_problem_rows` with their path under ``root`` again."""
    out = []
    for row in rows:
        path = row[0]
        if isinstance(path, tuple):
            path = root + path[1]
        out.append(Problem(path, row[1], row[2], row[3], row[4], row[5]))
    return out


@dataclasses.dataclass
class Part:
    """One source file checked on its own: what it reports, what it holds, what the checks across files need.

    ``facts`` are rows of :data:`FACT_FIELDS` (None when the facts are kept
    elsewhere, as the rows of a cache entry). ``declared`` are the curator
    ids it gives (id, line); ``pending`` its references (row in the file,
    fact id, ``(field, id, position)`` each); ``waiting`` its quotes that
    name neither end directly (row, subject, object, line, folded quote,
    position); ``spent`` what it used of the budgets a load shares (see
    :meth:`_RecordingFolder.spent`); ``deps`` every file it read with a
    digest of its bytes.
    """

    key: str
    name: str
    errors: tuple[tuple[Any, ...], ...]
    warnings: tuple[tuple[Any, ...], ...]
    source: tuple[Any, ...] | None
    n: int
    declared: tuple[tuple[str, int], ...]
    pending: tuple[tuple[int, str, tuple[tuple[str, str, Position], ...]], ...]
    waiting: tuple[tuple[str, str, int, str, Position, str], ...]
    spent: tuple[int, int, int, int]
    deps: Deps
    facts: tuple[tuple[Any, ...], ...] | None = None
    raw: bytes | None = dataclasses.field(default=None, compare=False)  # the summary this part was read from

    def summary(self) -> bytes:
        """Everything but the facts, marshalled (what a cache entry keeps for each file)."""
        if self.raw is None:
            self.raw = marshal.dumps(_shallow(self)[:-2] + (None, None), 4)
        return self.raw

    def dumps(self) -> bytes:
        """The whole part, marshalled (a part file)."""
        return marshal.dumps(_shallow(self)[:-1] + (None,), 4)

    @classmethod
    def loads(cls, raw: bytes) -> Part:
        """A part from :meth:`summary` or :meth:`dumps`; ValueError (and the like) when it is not one."""
        fields = marshal.loads(raw)
        if not isinstance(fields, tuple) or len(fields) != _PART_FIELDS:
            raise ValueError("not a part")
        part = cls(*fields)
        if not isinstance(part.key, str) or not isinstance(part.deps, tuple):
            raise ValueError("not a part")
        if part.facts is None:
            part.raw = raw
        return part


_PART_FIELDS = len(dataclasses.fields(Part))


def _shallow(obj: Any) -> tuple[Any, ...]:
    """A dataclass's fields as a tuple, not copied (``dataclasses.astuple`` copies every nested value)."""
    return tuple(getattr(obj, f.name) for f in dataclasses.fields(obj))


def source_key(code: str, vocab_key: str, name: str, real: str, token: Token) -> str:
    """The key of a source file's part: the code, the vocabulary's key, where the file is, its bytes."""
    h = hashlib.sha256(f"{code}\0{vocab_key}\0{name}\0{real}\0{token}".encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def vocab_key(code: str, limits: Limits, real_root: str, relations: Token, entities: Token) -> str:
    """The key of the vocabulary part (every source part's key includes it)."""
    h = hashlib.sha256(f"{code}\0{limits!r}\0{real_root}\0{relations}\0{entities}".encode("utf-8", "surrogatepass"))
    return h.hexdigest()


@dataclasses.dataclass
class Vocab:
    """``relations.yaml`` and ``entities.yaml`` checked: the relations, entities, where each entity is, what they
    reported and used (``spent``: suggestions compared, YAML bytes credited), and their digests."""

    key: str
    relations: tuple[tuple[Any, ...], ...]
    entities: tuple[tuple[Any, ...], ...]
    positions: tuple[Position, ...]
    errors: tuple[tuple[Any, ...], ...]
    warnings: tuple[tuple[Any, ...], ...]
    spent: tuple[int, int]
    deps: Deps

    def dumps(self) -> bytes:
        return marshal.dumps(_shallow(self), 4)

    @classmethod
    def loads(cls, raw: bytes) -> Vocab:
        fields = marshal.loads(raw)
        if not isinstance(fields, tuple) or len(fields) != len(dataclasses.fields(cls)):
            raise ValueError("not a vocabulary part")
        return cls(*fields)


class Context:
    """What checking source files needs, made once per load: the vocabulary as values, a shared folding cache."""

    def __init__(self, root: Path, limits: Limits, vocab: Vocab, code: str) -> None:
        self.root = root
        self.limits = limits
        self.code = code
        self.vocab = vocab
        self.relations = {r[0]: Relation(*r) for r in vocab.relations}
        self.entities = {e[0]: Entity(*e) for e in vocab.entities}
        self.naming = Naming(self.entities, self.relations)  # (its folded names are kept from file to file)
        self.suggester = Suggester()  # (likewise its folded candidates; its budget is replaced per file)

    @property
    def usable(self) -> bool:
        """Whether files can be checked on their own: with no relations or no entities, each file's messages
        depend on what the others reported (see ``SourceFacts``), so the dataset is read whole."""
        return bool(self.relations) and bool(self.entities)


def compile_vocab(root: Path, limits: Limits, key: str) -> Vocab:
    """Read and check ``relations.yaml`` and ``entities.yaml`` on their own."""
    report = Report()
    budget = _Metered()
    report.suggester.budget = budget
    folder = _RecordingFolder(root, report, limits)
    relations = load_relations(folder)
    entities, positions = load_entities(folder)
    text = str(root)
    return Vocab(
        key=key,
        relations=tuple(map(_shallow, relations.values())),
        entities=tuple(map(_shallow, entities.values())),
        positions=tuple(positions[e] for e in entities),
        errors=_problem_rows(report.errors, text),
        warnings=_problem_rows(report.warnings, text),
        spent=(budget.used, folder.yaml_bytes),
        deps=folder.deps(),
    )


def compile_source(ctx: Context, file: Path, real: str, name: str, key: str) -> Part:
    """Read and check one source file on its own, against the context's vocabulary and entities."""
    report = Report()
    budget = _Metered()
    ctx.suggester.budget = budget
    report.suggester = ctx.suggester
    folder = _RecordingFolder(ctx.root, report, ctx.limits)
    refs, naming = FactRefs(), ctx.naming
    sources: list[Source] = []
    facts: list[Fact] = []
    load_source(folder, file, real, ctx.relations, ctx.entities, sources, facts, refs, naming)
    root = str(ctx.root)
    pending = tuple((p.row, facts[p.row].id, tuple((r.key, r.ref, r.pos) for r in p.refs)) for p in refs.pending)
    waiting = tuple(
        (f.subject, f.object, f.line, folded, pos, _rel_path(at.path, root)) for f, folded, at, pos in naming.waiting
    )
    naming.waiting.clear()
    return Part(
        key=key,
        name=name,
        errors=_problem_rows(report.errors, root),
        warnings=_problem_rows(report.warnings, root),
        source=_shallow(sources[0]) if sources else None,
        n=len(facts),
        declared=tuple((ident, line) for ident, (_path, line) in refs.declared.items()),
        pending=pending,
        waiting=waiting,
        spent=folder.spent(budget),
        deps=folder.deps(),
        facts=tuple(map(_fact_row, facts)),
    )


def _rel_path(path: str, root: str) -> str:
    return "\0" + path[len(root) :] if path.startswith(root + os.sep) else path


def _abs_path(path: str, root: str) -> str:
    return root + path[1:] if path.startswith("\0") else path


# -- the checks across files, on the parts ------------------------------------------


class FactsView(Protocol):
    """The facts of the dataset as the parts assemble them, for the checks across files (read only if needed)."""

    def ids(self) -> list[str]: ...

    def pairs(self, relations: set[str]) -> Iterable[tuple[str, str]]: ...

    def used(self) -> set[str]: ...


class Merge:
    """The report of a dataset from its parts, in the order and with the messages of a whole load.

    Feed it the vocabulary, the problems of listing ``sources/``, then each
    part in dataset order (:meth:`add`); :meth:`finish` runs the checks
    across files. :attr:`exact` turns False as soon as the parts cannot give
    a whole load's answer (see the module docstring): the caller then reads
    the dataset whole.
    """

    def __init__(self, root: Path, limits: Limits, vocab: Vocab, listing: Report) -> None:
        self.root = str(root)
        self.limits = limits
        self.vocab = vocab
        self.report = Report()
        self.report.extend(problems_of(vocab.errors, self.root))
        self.report.extend(problems_of(vocab.warnings, self.root))
        self.report.errors += listing.errors
        self.report.warnings += listing.warnings
        self.exact = True
        self.n = 0
        self._suggested = vocab.spent[0] + (SUGGESTION_BUDGET - listing.suggester.budget.left)
        self._passages = 0
        self._allowance = limits.max_quote_scan * (SCAN_ALLOWANCE_BASE + vocab.spent[1])
        self._declared: dict[str, tuple[str, int]] = {}
        self._pending: list[tuple[int, str, tuple[tuple[str, str, Position], ...], str]] = []
        self._waiting: list[tuple[str, str, int, str, Position, str]] = []

    def add(self, part: Part) -> None:
        """The next file of the dataset."""
        suggested, passages, credit, scanned = part.spent
        self._suggested += suggested
        self._passages += passages
        self._allowance += self.limits.max_quote_scan * credit
        if (
            self._suggested > SUGGESTION_BUDGET
            or self._passages > PASSAGE_BUDGET
            or self._allowance < scanned
            or self.n + part.n > self.limits.max_facts
        ):
            self.exact = False
        self._allowance -= scanned
        at_path = self.root + os.sep + part.name.replace("/", os.sep)
        for ident, line in part.declared:
            if ident in self._declared:
                self.exact = False  # (the later fact would be reported, and left out, by a whole load)
            else:
                self._declared[ident] = (at_path, line)
        self.report.extend(problems_of(part.errors, self.root))
        self.report.extend(problems_of(part.warnings, self.root))
        for row, fid, refs in part.pending:
            self._pending.append((self.n + row, fid, refs, at_path))
        self._waiting += part.waiting
        self.n += part.n

    def finish(self, entities: dict[str, Entity], relations: dict[str, Relation], facts: FactsView) -> Report:
        """The checks across files (references, quotes waiting for acts-for links, unused entities)."""
        report = self.report
        report.suggester.budget.left = SUGGESTION_BUDGET - self._suggested
        if self._pending:
            self._references(facts)
        if self._waiting:
            naming = Naming(entities, relations)
            for subject, obj, line, folded, pos, path in self._waiting:
                stub = Fact("", subject, "", obj, 0, "", "", line=line)
                naming.waiting.append((stub, folded, report.file(_abs_path(path, self.root)), pos))
            acts_for = {r.id for r in relations.values() if r.acts_for}
            naming.finish(Fact("", s, "acts", o, 0, "", "") for s, o in facts.pairs(acts_for))
        if not report.errors:
            from .dataset import warn_unused

            positions = dict(zip(entities, self.vocab.positions, strict=True))
            warn_unused(entities, positions, facts.used(), report.file(os.path.join(self.root, "entities.yaml")))
        if not self.n and not report.errors:
            report.warn(os.path.join(self.root, "sources"), None, "the dataset has no facts")
        return report

    def _references(self, facts: FactsView) -> None:
        """:meth:`FactRefs.resolve` on stand-ins for the facts (their ids and references are all it reads)."""
        refs = FactRefs()
        refs.declared.update(self._declared)
        stubs = [Fact(i, "", "", "", 0, "", "") for i in facts.ids()]
        for row, fid, written, path in self._pending:
            got = [Ref(k, r, (pos[0], pos[1])) for k, r, pos in written]
            stubs[row] = Fact(
                fid,
                "",
                "",
                "",
                0,
                "",
                "",
                disputes=tuple(r.ref for r in got if r.key == "disputes"),
                same_as=tuple(r.ref for r in got if r.key == "same_as"),
            )
            refs.keep(row, got, self.report.file(path))
        before = list(stubs)
        refs.resolve(stubs, self.report)
        if any(a is not b for a, b in zip(before, stubs, strict=True)) and not self.report.errors:
            self.exact = False  # (a fact's references changed: the parts' facts are not the whole load's)


def facts_of(rows: Iterable[Sequence[Any]]) -> list[Fact]:
    """Facts from rows of :data:`FACT_FIELDS`."""
    return [Fact(*r) for r in rows]


class ListFacts:
    """A :class:`FactsView` over facts in memory."""

    def __init__(self, facts: Sequence[Fact]) -> None:
        self.facts = facts

    def ids(self) -> list[str]:
        return [f.id for f in self.facts]

    def pairs(self, relations: set[str]) -> Iterable[tuple[str, str]]:
        return [(f.subject, f.object) for f in self.facts if f.relation in relations]

    def used(self) -> set[str]:
        out: set[str] = set()
        for f in self.facts:
            out.add(f.subject)
            out.add(f.object)
            if f.according_to:
                out.add(f.according_to)
        return out
