"""``sources/<id>.yaml``: one article's metadata, its text (read and normalised), and its facts."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from ..limits import inside
from ..model import Entity, Fact, Relation, Source
from ..validate import FileReport
from ..yamlread import YMap
from .facts import SourceFacts
from .files import DataFolder
from .naming import Naming
from .quotes import Passages, normalise_text
from .refs import FactRefs
from .skips import check_skips

__all__ = ["SOURCE_FIELDS", "load_source"]

SOURCE_FIELDS = ("id", "title", "text"), ("published", "url", "publisher", "author")
"""The required and the optional fields of a source's ``source:`` mapping."""


def load_source(
    folder: DataFolder,
    file: Path,
    real: str,
    relations: Mapping[str, Relation],
    entities: Mapping[str, Entity],
    sources: list[Source],
    facts: list[Fact],
    refs: FactRefs | None = None,
    naming: Naming | None = None,
) -> None:
    """Read one source file (``real`` is where it resolves to): its source joins ``sources``, its facts ``facts``.

    ``refs`` collects the fact ids and references to check across files, ``naming`` the quotes that do not
    name their fact's ends directly (:mod:`kgraph.loading.refs`, :mod:`kgraph.loading.naming`).
    """
    at, doc = folder.document(str(file), "the file went away while the dataset was read")
    if doc is None:
        return
    top = at.mapping(doc, (1, 1), "a source file")
    if top is None:
        return
    at.fields(top, "a source file", ("source", "facts"), ("skip",))
    meta = at.mapping(top["source"], top.value_at("source"), "'source'") if "source" in top else None
    if meta is None:
        return
    source, texts = _source(folder, at, meta, file, real)
    sources.append(source)
    passages = Passages(texts[1], folder.quotes, raw=texts[0]) if texts is not None else None
    check_skips(at, top, source.id, passages)
    items = top.get("facts")
    if items is None:
        return
    items = at.sequence(items, top.value_at("facts"), "'facts'")
    if items is None:
        return
    if not items:
        at.warn(top.value_at("facts"), f"source {source.id!r} has no facts")
        return
    reader = SourceFacts(at, source.id, relations, entities, passages, source.published, refs, naming)
    reader.read_all(items, facts)


def _source(
    folder: DataFolder, at: FileReport, meta: YMap, file: Path, real: str
) -> tuple[Source, tuple[str, str] | None]:
    """The source described by ``meta``, and its article text as read and normalised (None when unreadable)."""
    at.fields(meta, "'source'", *SOURCE_FIELDS)
    sid = at.text(meta, "id", "'source'") or file.stem
    if sid != file.stem:
        at.error(meta.value_at("id"), f"source id {sid!r} must match the file name {file.stem!r}", repr(file.stem))
    published = at.date(meta, "published", "'source'")
    text_name = at.text(meta, "text", "'source'")
    if text_name is None:  # (a missing one is reported)
        text, text_path = None, real[: -len(".yaml")] + ".txt"
    else:
        text, text_path = _article(folder, at, meta, file, real, text_name)
    source = Source(
        id=sid,
        title=at.text(meta, "title", "'source'") or sid,
        published=published,
        text_path=text_path,
        path=real,
        url=at.text(meta, "url", "'source'"),
        publisher=at.text(meta, "publisher", "'source'"),
        author=at.text(meta, "author", "'source'"),
    )
    return source, text


def _article(
    folder: DataFolder, at: FileReport, meta: YMap, file: Path, real: str, text_name: str
) -> tuple[tuple[str, str] | None, str]:
    """The article text ``text_name`` names, as read and normalised (or None once why is reported), and its path.

    It must be inside the data folder, symlinks followed, as every file read is.
    """
    text_path = file.parent / text_name
    beside = file.with_suffix(".txt")
    hint = repr(beside.name) if beside.name != text_name and os.path.isfile(beside) else None
    real_text = os.path.realpath(os.path.join(os.path.dirname(real), text_name))
    if os.path.isabs(text_name) or not inside(real_text, folder.real_root):
        how = "is an absolute path" if os.path.isabs(text_name) else "leads outside it"
        at.error(
            meta.value_at("text"),
            f"the article text must be inside the data folder, and {text_name!r} {how}; name a file beside {file.name}",
            hint,
        )
        return None, str(text_path)
    data = folder.read(
        real_text,
        f"article text {text_name!r} not found next to {file.name}",
        text=True,
        at=at,
        pos=meta.value_at("text"),
        hint=hint,
    )
    if data is None:
        return None, real_text
    return _decoded(data, folder.report.file(str(text_path))), real_text


def _decoded(data: bytes, at: FileReport) -> tuple[str, str] | None:
    """The article text, and that text normalised for comparing quotes; None (and where, reported) if not UTF-8."""
    try:
        raw = data.decode("utf-8")
        return raw, normalise_text(raw)
    except UnicodeDecodeError as err:
        head = data[: err.start]
        where = (head.count(b"\n") + 1, len(head[head.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1)
        at.error(
            where,
            f"the article text is not UTF-8: byte 0x{data[err.start]:02X} here is not valid "
            "UTF-8 (was it saved as Latin-1 or Windows-1252?); re-save the file as UTF-8",
        )
        return None
