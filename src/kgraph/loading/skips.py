"""``skip:`` in a source file: the sentences deliberately not encoded, each a quote of the text and a reason.

``kgraph coverage`` counts a sentence a skip names as dealt with, so an article can honestly reach 100 %.
A skip names its sentence by a quote, not by a sentence number: numbers shift when a sentence is added to
the text or the splitting improves, while a quote stays anchored in the wording and is checked here, like
a fact's.
"""

from __future__ import annotations

from ..validate import FileReport
from ..yamlread import YMap
from .quotes import Passages, normalise_text

__all__ = ["SKIP_FIELDS", "check_skips"]

SKIP_FIELDS = ("quote", "reason"), ()
"""The required and the optional fields of a skip entry."""


def check_skips(at: FileReport, top: YMap, source: str, passages: Passages | None) -> None:
    """Every problem of the ``skip:`` list of a source file (if it has one), reported at its place."""
    if "skip" not in top:
        return
    items = at.sequence(top["skip"], top.value_at("skip"), "'skip'")
    if items is None:
        return
    for item, pos in zip(items, items.pos, strict=True):
        m = at.mapping(item, pos, "a skip entry (quote: and reason:)")
        if m is None:
            continue
        what = f"the skip entry at line {m.line}"
        at.fields(m, what, *SKIP_FIELDS)
        at.text(m, "reason", what)
        quote = at.text(m, "quote", what)
        if quote is not None and passages is not None and passages.contains(normalise_text(quote)) is False:
            at.error(
                m.value_at("quote"),
                f"skipped quote not found in the article text of {source!r}",
                passages.closest(quote),
            )
