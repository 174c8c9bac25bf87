"""kgraph.tables.jsontext writes exactly json.dumps(answer, ensure_ascii=False), claims encoded piece by piece.

Checked on every stance and explain answer of the bundled data and of a
generated dataset's busiest entity (where the claims are taken the quick way,
counted, so a shape change that sent every claim to the slow way would fail
here), and on generated values shaped like claims, nearly like them, or not
at all, with text that looks like the JSON the writer cuts.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from conftest import generate_dataset
from hypothesis import given, settings
from hypothesis import strategies as st

from kgraph import load
from kgraph.analysis import explain
from kgraph.knowledge import KnowledgeGraph
from kgraph.query import who_opposes, who_supports
from kgraph.tables import Format, emit, jsontext


@pytest.fixture
def quick_claims(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the claims written the quick way (their text made from their first fact's)."""
    taken = [0]
    real = jsontext._Writer.claim

    def claim(self: Any, c: dict[str, Any]) -> str | None:
        done = real(self, c)
        taken[0] += done is not None
        return done

    monkeypatch.setattr(jsontext._Writer, "claim", claim)
    return taken


def _same(answer: Any) -> None:
    assert jsontext.dumps(answer) == json.dumps(answer, ensure_ascii=False)


def _stance_answers(kg: KnowledgeGraph, names: list[str]) -> list[Any]:
    out: list[Any] = []
    for name in names:
        for ask in (who_supports, who_opposes):
            out += [ask(kg, name), ask(kg, name, hedged=True), ask(kg, name, direct=True), ask(kg, name, min_sources=2)]
    return out


def test_every_stance_and_explain_answer_of_the_bundled_data(quick_claims: list[int]) -> None:
    kg = load()
    names = sorted(kg.entities)
    for answer in _stance_answers(kg, names):
        _same(answer)
    for a in ("china", "belarus", "lukashenko", "lithuania"):
        for b in names[:12]:
            if a != b:
                _same(explain(kg, a, b))
    assert quick_claims[0] > 100  # the bundled data's claims took the quick way


def test_the_busiest_entity_of_a_generated_dataset(tmp_path: Path, quick_claims: list[int]) -> None:
    kg = load(generate_dataset(3000, tmp_path / "data", seed=5))
    ends = Counter(e for f in kg.facts for e in (f.subject, f.object))
    names = [e for e, _ in ends.most_common(3)]
    for answer in _stance_answers(kg, names):
        _same(answer)
    assert quick_claims[0] > 200


def test_emit_writes_it_in_a_pipe_and_indents_for_a_terminal() -> None:
    import io

    kg = load()
    answer = who_supports(kg, "belarus")

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    pipe, terminal = io.StringIO(), Terminal()
    emit(answer, Format.json, "stance", pipe)
    emit(answer, Format.json, "stance", terminal)
    assert pipe.getvalue() == json.dumps(answer, ensure_ascii=False) + "\n"
    assert terminal.getvalue() == json.dumps(answer, ensure_ascii=False, indent=2) + "\n"


# -- generated values ---------------------------------------------------------------------------

# text that looks like the pieces the writer cuts and joins
_TRICKY = st.sampled_from(
    ['", "disputed_by": [', ', "disputed_by": ', "disputed_by", "}", "]", '\\"', "\\", "é ’ —", "\u2028", "\x00"]
)
_TEXT = st.one_of(st.text(max_size=12), _TRICKY, st.lists(_TRICKY, max_size=3).map("".join))
_LEAF = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), _TEXT)
_JSONISH = st.recursive(
    _LEAF,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(_TEXT, inner, max_size=3)),
    max_leaves=8,
)


@st.composite
def _fact_record(draw: st.DrawFn) -> dict[str, Any]:
    fields = draw(st.dictionaries(_TEXT.filter(lambda k: k != "disputed_by"), _JSONISH, min_size=0, max_size=4))
    fields["disputed_by"] = draw(st.one_of(st.lists(_TEXT, max_size=2), _JSONISH))
    return fields


@st.composite
def _claim(draw: st.DrawFn) -> Any:
    """A claim as claim_record makes it, or one changed in one of the ways the writer must notice."""
    facts = draw(st.lists(_fact_record(), min_size=1, max_size=3))
    first = facts[0]
    c: dict[str, Any] = {**first, "disputed_by": draw(st.lists(_TEXT, max_size=2))}
    c["via"] = draw(st.lists(_TEXT, max_size=2))
    c["facts"] = facts
    c["sources"] = draw(st.lists(_TEXT, max_size=2))
    change = draw(st.sampled_from(["none", "value", "order", "extra", "facts", "key"]))
    shared = [k for k in first if k != "disputed_by"]
    if change == "value" and shared:
        c[shared[0]] = [c[shared[0]]]  # equal-looking, but not the first fact's own value
    elif change == "order" and len(shared) > 1:
        c = {shared[1]: c.pop(shared[1]), **c}
    elif change == "extra":
        c = {**c, "extra": 1}
    elif change == "facts":
        c["facts"] = draw(st.sampled_from([[], "facts", [1], None]))
    elif change == "key":
        c = {**{1: "x"}, **c}  # a key json.dumps turns into text
    return c


_ANSWERS = st.recursive(
    st.one_of(_claim(), _JSONISH),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(_TEXT, inner, max_size=3),
        st.builds(lambda e, rest: [{"evidence": e}, *rest], st.lists(inner, max_size=3), st.lists(inner, max_size=2)),
    ),
    max_leaves=6,
)


@settings(max_examples=400, deadline=None)
@given(_ANSWERS)
def test_generated_values(answer: Any) -> None:
    _same(answer)
