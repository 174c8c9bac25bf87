"""``kgraph sentences`` and ``kgraph coverage``: which sentences of an article the facts quote.

A sentence is *covered* when some fact's quote lies in it (in part or whole), *skipped* when no fact
quotes it but a ``skip:`` entry of its source names it (with the reason it is not encoded). The share
is (covered + skipped) / sentences, so an article honestly reaches 100 % once every sentence is either
encoded or deliberately left out.
"""

from __future__ import annotations

from ..knowledge import KnowledgeGraph
from ..model import Fact
from .answers import CoverageAnswer, CoverageRow, SentencesAnswer
from .article import Article, article

__all__ = ["coverage", "sentences"]


def sentences(kg: KnowledgeGraph, source: str) -> SentencesAnswer:
    """The article of ``source`` as numbered sentences, each with the ids of the facts that quote it."""
    art = article(kg, source)
    return {
        "source": art.source.id,
        "sentences": [
            {
                "number": s.number,
                "text": s.text,
                "facts": [f.id for f in art.facts.get(s.number, [])],
                "skipped": [k.reason for k in art.skips.get(s.number, [])],
            }
            for s in art.sentences
        ],
    }


def coverage(kg: KnowledgeGraph, source: str | None = None, *, uncovered: bool = False) -> CoverageAnswer:
    """Per source (or the one named): sentences, covered, skipped, share; ``uncovered`` lists the rest."""
    if source is not None:
        return {"sources": [_one(article(kg, source), uncovered)]}
    by_source: dict[str, list[Fact]] = {sid: [] for sid in kg.sources}
    for f in kg.facts:  # grouped once, not once per source
        by_source[f.source].append(f)
    return {"sources": [_one(article(kg, sid, facts=by_source[sid]), uncovered) for sid in kg.sources]}


def _one(art: Article, uncovered: bool) -> CoverageRow:
    total = len(art.sentences)
    covered = sum(1 for s in art.sentences if s.number in art.facts)
    skipped = sum(1 for s in art.sentences if s.number in art.skips and s.number not in art.facts)
    out: CoverageRow = {
        "source": art.source.id,
        "sentences": total,
        "covered": covered,
        "skipped": skipped,
        "share": round((covered + skipped) / total, 4) if total else 1.0,
    }
    if uncovered:
        out["uncovered"] = [
            {"number": s.number, "text": s.text}
            for s in art.sentences
            if s.number not in art.facts and s.number not in art.skips
        ]
    return out
