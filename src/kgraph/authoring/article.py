"""One source of a loaded dataset as the curator sees it: its sentences, what each fact and skip covers.

The dataset has been validated by :func:`kgraph.load`; this module reads the article text again (the
graph keeps only its path) and the source file's ``skip:`` entries (the graph keeps facts, not skips),
and places every fact quote and skip quote in the sentences it falls in.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from ..errors import DataError, UnknownSource
from ..knowledge import KnowledgeGraph
from ..limits import current, read_inside
from ..loading.quotes import normalise_text
from ..model import Fact, Source
from ..resolve import suggest
from .sentences import Sentence, covering, locate, number_sentences

__all__ = ["Article", "Skip", "article", "source_of"]


@dataclass(frozen=True, slots=True)
class Skip:
    """A passage the curator chose not to encode, and why."""

    quote: str
    reason: str
    sentences: tuple[int, ...]


@dataclass(slots=True)
class Article:
    """A source with its numbered sentences; ``facts[n]`` / ``skips[n]`` are what covers sentence ``n``."""

    source: Source
    raw: str
    normalised: str
    sentences: list[Sentence]
    facts: dict[int, list[Fact]] = field(default_factory=dict)
    skips: dict[int, list[Skip]] = field(default_factory=dict)
    skip_list: list[Skip] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)  # where each sentence ends, to place quotes by bisection


def source_of(kg: KnowledgeGraph, ident: str) -> Source:
    """The source with this id; UnknownSource (exit 4) with the closest ids otherwise."""
    found = kg.sources.get(ident)
    if found is None:
        raise UnknownSource(ident, suggest(ident, kg.sources))
    return found


def _read(path: str, root: str | None, max_bytes: int, what: str) -> bytes:
    """A file of the dataset read as the cache's freshness check reads it: regular, inside, within the limit.

    (The loader checked it; it may have changed since: a FIFO swapped in must not block the command.)
    """
    real_root = os.path.realpath(root) if root else os.path.dirname(os.path.realpath(path))
    try:
        return read_inside(path, real_root, max_bytes)
    except OSError as e:
        raise DataError(f"{path}: cannot read {what}: {(e.strerror or str(e)).lower()} (run 'kgraph validate')") from e


def read_text(source: Source, root: str | None = None) -> str:
    """The article text of a source, decoded; DataError when it cannot be read as the loader read it."""
    data = _read(source.text_path, root, current().max_text_bytes, "the article text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise DataError(f"{source.text_path}: the article text is not UTF-8 (run 'kgraph validate')") from e


def read_skips(source: Source, root: str | None = None) -> list[tuple[str, str]]:
    """The (quote, reason) of each ``skip:`` entry of the source's YAML file (validated by the loader)."""
    from ..yamlread import YList, YMap, read_yaml

    data = _read(source.path, root, current().max_file_bytes, "the source file")
    if b"skip" not in data:  # (no key can be `skip` then: spares parsing every source file again)
        return []
    doc, _ = read_yaml(data, os.fspath(source.path), current())
    items = doc.get("skip") if isinstance(doc, YMap) else None
    out = []
    for item in items if isinstance(items, YList) else ():
        if isinstance(item, YMap) and isinstance(item.get("quote"), str) and isinstance(item.get("reason"), str):
            out.append((str(item["quote"]), str(item["reason"])))
    return out


def article(kg: KnowledgeGraph, ident: str, *, with_skips: bool = True, facts: list[Fact] | None = None) -> Article:
    """Source ``ident`` split into sentences, with the facts and skips that quote each.

    A quote counts where it first occurs in the text (the loader only checks that it occurs): a short quote
    found in many sentences would otherwise cover them all. A quote running over several sentences covers
    each of them. ``facts``: the source's facts when the caller has them grouped (else they are looked up).
    """
    src = source_of(kg, ident)
    raw = read_text(src, kg.data_dir)
    numbered = number_sentences(raw)
    art = Article(src, raw, normalise_text(raw), numbered, ends=[s.end for s in numbered])
    for f in facts if facts is not None else [f for f in kg.facts if f.source == src.id]:
        for n in _where(art, f.quote):
            art.facts.setdefault(n, []).append(f)
    if with_skips:
        for quote, reason in read_skips(src, kg.data_dir):
            skip = Skip(quote, reason, tuple(_where(art, quote)))
            art.skip_list.append(skip)
            for n in skip.sentences:
                art.skips.setdefault(n, []).append(skip)
    return art


def _where(art: Article, quote: str) -> list[int]:
    span = locate(art.normalised, normalise_text(quote))
    return covering(art.sentences, span, art.ends) if span is not None else []
