"""``kgraph sources``: the articles of a dataset, and ``sources add``, which brings a new one in.

``sources add`` is the only curating command that writes. It writes two new files, ``sources/ID.txt``
(the text, byte for byte) and ``sources/ID.yaml`` (the source's fields, a commented template, ``facts: []``),
and never replaces a file: each is written to a temporary file, flushed, and hard-linked to its name, which
fails if the name exists (so two runs adding the same id cannot overwrite each other). Everything is checked
before the first byte is written, the new pair included (validated against the folder's relations and
entities in a scratch folder); should a write fail, what was written is removed again.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from .. import dates
from ..atomic import file_mode, temp_prefix
from ..errors import DataError, ExportError, UsageError
from ..knowledge import KnowledgeGraph
from ..limits import current, inside
from ..validate import SLUG
from .answers import SourceAddedAnswer, SourcesAnswer

__all__ = ["add_source", "list_sources", "template", "writable_root"]


def list_sources(kg: KnowledgeGraph) -> SourcesAnswer:
    """Every source: id, title, publisher, published, how many facts and entities it holds."""
    facts: dict[str, int] = {}
    entities: dict[str, set[str]] = {}
    for f in kg.facts:
        facts[f.source] = facts.get(f.source, 0) + 1
        named = entities.setdefault(f.source, set())
        named.update(x for x in (f.subject, f.object, f.according_to) if x)
    return {
        "sources": [
            {
                "id": s.id,
                "title": s.title,
                "publisher": s.publisher,
                "published": s.published,
                "facts": facts.get(s.id, 0),
                "entities": len(entities.get(s.id, ())),
            }
            for s in kg.sources.values()
        ]
    }


def template(fields: dict[str, str]) -> bytes:
    """The YAML of a new source: its fields, then comments on how to write facts, then ``facts: []``."""
    from ..yamlwrite import dumps

    published = fields.get("published")
    when = f"published {published}" if published else "its publication date (add 'published:' above)"
    return (
        dumps({"source": fields})
        + f"""
# Facts from this article; `kgraph validate` checks every one against the text.
#   kgraph sentences {fields["id"]}   the text as numbered sentences, with the facts that quote each
#   kgraph mentions {fields["id"]}    the known entities each sentence names, and candidate new ones
#   kgraph coverage {fields["id"]} --uncovered   the sentences no fact quotes yet
#
# Each fact:
#   - subject: an entity id (`kgraph entity NAME` finds it by any of its names)
#     relation: a relation id (`kgraph relations` lists them; write inverse names the other way round)
#     object: an entity id
#     quote: "words copied from the text (curly quotes, dashes and spacing may differ)"
#     date: 2021-12-03            # or start:/end: for a span; YYYY, YYYY-MM or YYYY-MM-DD
#     according_to: an entity id  # when the article reports someone's claim, not a fact it states
#     qualifiers: {{key: value}}    # anything else the sentence says (role, context, ...)
#
# Dating: a date is when the thing happened, read relative to the article ({when}):
# "this year" is the year of publication, "last month" the month before it, "December 3" the last
# December 3 on or before it. Leave the date out when the text gives none; never guess.
#
# Sentences deliberately not encoded (so `kgraph coverage` can reach 100 %):
# skip:
#   - quote: "words of the sentence"
#     reason: why it is not encoded (a linked headline, an opinion already quoted, ...)

facts: []
""".encode()
    )


def add_source(
    root: Path,
    text: bytes,
    *,
    ident: str,
    title: str,
    published: str | None = None,
    publisher: str | None = None,
    url: str | None = None,
    author: str | None = None,
    text_label: str = "the text",
    cache: bool = True,
) -> SourceAddedAnswer:
    """Write ``sources/ID.txt`` and ``sources/ID.yaml`` into the dataset folder ``root``; nothing on refusal.

    The dataset must validate first (answered from the cache when it is fresh: ``cache``). The new pair is
    validated before it is written, in a scratch dataset holding copies of the folder's relations.yaml and
    entities.yaml and the pair alone, so a large dataset is not read twice.
    """
    from .. import load

    fields = _fields(ident, title, published, publisher, url, author)
    _check_text(text, text_label)
    try:
        load(root, cache=cache)
    except DataError as e:
        raise DataError(
            f"the data folder does not validate: {e}; fix it first ('kgraph validate'), then add the source",
            e.problems,
        ) from None
    folder = root / "sources"
    names = [folder / f"{ident}{ext}" for ext in (".yaml", ".yml", ".txt")]
    existing = next((p for p in names if os.path.lexists(p)), None)
    if existing is not None:
        raise UsageError(f"source {ident!r} already exists ({existing}); choose another --id")
    pair = [(folder / f"{ident}.txt", text), (folder / f"{ident}.yaml", template(fields))]
    _validate_pair(root, pair)
    written: list[Path] = []
    try:
        for path, data in pair:
            _create(path, data)
            written.append(path)
    except BaseException:
        for path in written:
            with contextlib.suppress(OSError):
                os.unlink(path)
        raise
    return {"id": ident, "written": [str(p) for p in written]}


def _validate_pair(root: Path, pair: list[tuple[Path, bytes]]) -> None:
    """DataError, at the place in the file to be written, when the new source would not load."""
    import dataclasses
    import shutil

    from ..loader import check

    with tempfile.TemporaryDirectory(prefix="kgraph-new-source-") as scratch:
        tmp = Path(scratch)
        (tmp / "sources").mkdir()
        try:
            for name in ("relations.yaml", "entities.yaml"):
                shutil.copyfile(root / name, tmp / name)
        except OSError as e:
            raise DataError(f"cannot read {e.filename}: {(e.strerror or str(e)).lower()}") from e
        for path, data in pair:
            (tmp / "sources" / path.name).write_bytes(data)
        _, report = check(tmp)
    real = {path.name: path for path, _ in pair}
    mine = [
        dataclasses.replace(p, path=str(real[Path(p.path).name])) for p in report.errors if Path(p.path).name in real
    ]
    if mine:
        raise DataError(f"the new source does not load: {mine[0].brief()}", mine)


def _fields(
    ident: str, title: str, published: str | None, publisher: str | None, url: str | None, author: str | None
) -> dict[str, str]:
    """The ``source:`` mapping, every value checked; UsageError names the first bad one."""
    if not SLUG.match(ident):
        from ..resolve import fold

        near = "-".join(fold(ident).split())
        hint = f" (did you mean {near!r}?)" if near and SLUG.match(near) else ""
        raise UsageError(f"--id {ident!r} must be a lowercase slug (a-z, 0-9, single hyphens){hint}")
    if published is not None and not dates.is_valid(published):
        raise UsageError(f"--published {published!r} is not a date: YYYY, YYYY-MM or YYYY-MM-DD")
    fields = {"id": ident, "title": title}
    if published is not None:
        fields["published"] = published
    fields["text"] = f"{ident}.txt"
    for key, value in (("publisher", publisher), ("url", url), ("author", author)):
        if value is not None:
            fields[key] = value
    for key, value in fields.items():
        if not value.strip():
            raise UsageError(f"--{key} is blank")
        if any(c in value for c in "\r\n\x00\u2028\u2029\x85"):
            raise UsageError(f"--{key} must be one line")
    return fields


def _check_text(text: bytes, label: str) -> None:
    """The article text must be UTF-8, not blank, within the size limit (the loader's rules)."""
    lim = current()
    if len(text) > lim.max_text_bytes:
        raise DataError(
            f"{label} is more than {lim.max_text_bytes:,} bytes, too big ({lim.hint('max_text_bytes', ' bytes')})"
        )
    try:
        decoded = text.decode("utf-8")
    except UnicodeDecodeError as err:
        head = text[: err.start]
        line = head.count(b"\n") + 1
        column = len(head[head.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        raise DataError(
            f"{label}:{line}:{column}: the article text is not UTF-8: byte 0x{text[err.start]:02X} here is not "
            "valid UTF-8 (was it saved as Latin-1 or Windows-1252?); re-save the file as UTF-8"
        ) from None
    if not decoded.strip():
        raise DataError(f"{label}: the article text is empty")


def writable_root(root: Path, explicit: bool) -> Path:
    """The data folder to write into; UsageError for the bundled data or a folder inside the installed package."""
    package = os.path.realpath(Path(__file__).resolve().parent.parent)
    real = os.path.realpath(root)
    if not explicit or real == package or inside(real, package):
        raise UsageError(
            "kgraph does not write into its bundled data (it belongs to the installed package); "
            "give your own data folder with --data PATH or KGRAPH_DATA"
        )
    if not os.path.isdir(root / "sources"):
        raise UsageError(f"{root} is not a data folder with a sources/ folder (give --data PATH)")
    return root


def _create(path: Path, data: bytes) -> None:
    """Create ``path`` with ``data``, all or nothing, never replacing a file that exists (ExportError).

    Like :mod:`kgraph.atomic` (same temporary names, same permissions), but linked into place instead of
    renamed: ``os.replace`` would overwrite a file of that name created meanwhile, ``os.link`` refuses.
    """
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=temp_prefix(path.name), suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, file_mode(path))  # (a new file: the umask's permissions, as kgraph.atomic gives)
        os.link(tmp, path)  # fails if the name was taken meanwhile: no file is ever replaced
    except FileExistsError:
        raise UsageError(f"{path} appeared while the source was being added; nothing was replaced") from None
    except OSError as e:
        raise ExportError(f"cannot write {path}: {(e.strerror or str(e)).lower()}; nothing was written") from e
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
