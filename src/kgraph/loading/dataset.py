"""A dataset folder read whole: which folder, the files in order, the checks across files, the graph.

``load()`` reads a dataset folder (``relations.yaml``, ``entities.yaml``,
``sources/*.yaml`` each with its ``.txt``), checks every rule while it reads,
and raises :class:`~kgraph.errors.DataError` carrying *all* problems when any
rule is broken. ``check()`` does the same work but returns the report instead
of raising, for ``kgraph validate``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from ..errors import DataError
from ..knowledge import KnowledgeGraph
from ..limits import current
from ..model import Entity, Fact, Source
from ..validate import FileReport, Report
from .entities import load_entities
from .files import DataFolder, reason
from .naming import Naming
from .refs import FactRefs
from .sources import load_source
from .vocabulary import load_relations

__all__ = ["bundled_data_dir", "check", "check_report", "data_dir", "load"]

Progress = Callable[[int, int], None]


def bundled_data_dir() -> Path:
    """The dataset shipped with kgraph (inside the wheel, or the repo's data/ in a checkout)."""
    package = Path(__file__).resolve().parent.parent  # src/kgraph, or site-packages/kgraph
    packaged = package / "data"
    if (packaged / "relations.yaml").is_file():
        return packaged
    return package.parent.parent / "data"


def data_dir(path: str | os.PathLike[str] | None = None) -> Path:
    """The dataset folder to use: ``path``, else ``$KGRAPH_DATA``, else the bundled data."""
    if path is not None and str(path) != "":
        return Path(path)
    env = os.environ.get("KGRAPH_DATA")
    if env:
        return Path(env)
    return bundled_data_dir()


def load(
    path: str | os.PathLike[str] | None = None,
    *,
    cache: bool = True,
    progress: Progress | None = None,
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
        from .. import cache as _cache

        root = data_dir(path)
        if os.path.isdir(root):
            found = _cache.lookup(root)
            if found.kg is not None:
                return found.kg
            from ..cachebuild import build

            built = build(found, progress)
            if built is not None:
                if built.kg is None or built.report.errors:
                    raise _data_error(built.report)
                return built.kg
            before = _cache.snapshot(root)
            kg = _checked(path, progress)
            _cache.store(root, kg, before)
            return kg
    return _checked(path, progress)


def check_report(path: str | os.PathLike[str] | None = None, *, cache: bool = True) -> Report:
    """Every problem of a dataset folder, as :func:`check` reports them; with ``cache``, from the parts kept.

    What ``kgraph validate`` runs: an unchanged valid dataset answers from its
    cache entry (its warnings are kept there), a changed one checks again only
    the files that changed, and the checks across files (see
    :mod:`kgraph.cachebuild`); the report is the same as :func:`check`'s.
    """
    root = data_dir(path)
    if cache and os.path.isdir(root):
        from .. import cache as _cache
        from ..cachebuild import build

        current()  # (a bad KGRAPH_MAX_... is a usage error whatever the folder, as in check)
        found = _cache.lookup(root)
        if found.kg is not None:
            report = Report()
            report.warnings += found.kg.warnings
            return report
        built = build(found)
        if built is not None:
            return built.report
    return check(path)[1]


def _checked(path: str | os.PathLike[str] | None, progress: Progress | None) -> KnowledgeGraph:
    """The graph of a valid dataset; DataError naming the first problem (and how many more) otherwise."""
    kg, report = check(path, progress=progress)
    if kg is None or report.errors:
        raise _data_error(report)
    return kg


def _data_error(report: Report) -> DataError:
    """The error of a dataset with problems: the first one named (and how many more), all of them attached."""
    n = len(report.errors)
    first = report.errors[0] if report.errors else None
    msg = f"{n} problem{'s' if n != 1 else ''} in the data"
    if first:
        more = f" (and {n - 1} more problem{'s' if n != 2 else ''}; run 'kgraph validate')" if n > 1 else ""
        msg = first.brief() + more
    return DataError(msg, report.errors + report.warnings)


def check(
    path: str | os.PathLike[str] | None = None,
    *,
    progress: Progress | None = None,
    overlay: Mapping[str, bytes] | None = None,
) -> tuple[KnowledgeGraph | None, Report]:
    """Read and check a dataset folder; returns the graph (None if unreadable) and every problem.

    Never cached: this is what ``kgraph validate`` runs. ``overlay`` maps the path of an existing data
    file (as the loader names it: the folder joined with ``relations.yaml``, ``entities.yaml`` or
    ``sources/<name>.yaml``) to the bytes to read instead of the file's: the editing commands check an
    edit against every rule before they write it (:mod:`kgraph.authoring.edit`).
    """
    root = data_dir(path)
    report = Report()
    limits = current()  # (before anything is read: a bad KGRAPH_MAX_... is a usage error whatever the folder)
    if not readable_folder(root, report):
        return None, report
    folder = DataFolder(root, report, limits, overlay)
    relations = load_relations(folder)
    entities, entity_pos = load_entities(folder)
    sources: list[Source] = []
    facts: list[Fact] = []
    src_dir = root / "sources"
    files = folder.source_files(src_dir)
    max_facts = folder.limits.max_facts
    refs, naming = FactRefs(), Naming(entities, relations)
    for done, (file, real) in enumerate(files, 1):
        load_source(folder, file, real, relations, entities, sources, facts, refs, naming)
        if len(facts) > max_facts:
            report.error(
                str(file),
                None,
                f"the dataset has more than {max_facts:,} fact{'s' * (max_facts != 1)}; stopped reading here "
                f"({folder.limits.hint('max_facts')})",
            )
            break
        if progress is not None:
            progress(done, len(files))
    refs.resolve(facts, report)  # (references may point into any file: checked once all are read)
    naming.finish(facts)
    if not report.errors:  # facts with errors were not kept: don't blame their entities
        warn_unused(entities, entity_pos, used_entities(facts), report.file(str(root / "entities.yaml")))
    if not facts and not report.errors:
        report.warn(str(src_dir), None, "the dataset has no facts")
    kg = KnowledgeGraph(
        list(relations.values()), list(entities.values()), sources, facts, data_dir=str(root), warnings=report.warnings
    )
    return kg, report


def readable_folder(root: Path, report: Report) -> bool:
    """Whether ``root`` is a folder that can be listed; if not, why, reported."""
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
        return False
    try:
        with os.scandir(root):
            pass
    except OSError as denied:
        report.error(str(root), None, f"cannot read the data folder: {reason(denied)}")
        return False
    return True


def used_entities(facts: Iterable[Fact]) -> set[str]:
    """The entities some fact names (as subject, object or the one it is according to)."""
    used = set()
    for f in facts:
        used.add(f.subject)
        used.add(f.object)
        if f.according_to:
            used.add(f.according_to)
    return used


def warn_unused(
    entities: Mapping[str, Entity], positions: Mapping[str, tuple[int, int]], used: set[str], at: FileReport
) -> None:
    """A warning for each entity that no fact names (``used``: those some fact names)."""
    for e in entities.values():
        if e.id not in used:
            at.warn(positions.get(e.id), f"entity {e.id!r} is in no fact")
