"""Property: random edits of real datasets change only what they say, and mean what hand edits would.

Hypothesis runs random sequences of ``add``, ``rename`` and ``merge`` on a
copy of the bundled data and of each valid dataset of the corpus
(``tests/corpus/*`` whose ``expect.yaml`` says exit 0). After each edit:

- bytes: the file an ``add`` edits is its old bytes with one contiguous run
  of new lines inserted; a ``rename`` or ``merge`` changes only lines holding
  a reference to the entity (the reference replaced, nothing else) and, in
  ``entities.yaml``, the lines of the two entities' items; every other file
  is byte for byte the same;
- meaning: the data loaded back equals the same change made by hand on the
  model values (a fact appended, ids replaced and fact ids recomputed,
  entities merged with the names as aliases), and so do the answers
  (``facts``, ``who-supports``, ``who-opposes`` of every entity).

An edit the rules refuse (a duplicate fact, a fact relating an entity to
itself, types that differ) must leave every file as it was.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import BUNDLED, REPO
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import kgraph
from kgraph import query
from kgraph.authoring.add import FactSpec, add_fact, sentences
from kgraph.authoring.entities import add_entity, merge_entities, rename_entity
from kgraph.errors import ExitCode, KGraphError
from kgraph.knowledge import KnowledgeGraph
from kgraph.loader import fact_id
from kgraph.loading.facts import COMPUTED_ID
from kgraph.model import Entity, Fact
from kgraph.resolve import fold


def _valid_corpus() -> list[Path]:
    out = []
    for case in sorted((REPO / "tests" / "corpus").iterdir()):
        expect = case / "expect.yaml"
        if expect.is_file() and yaml.safe_load(expect.read_text(encoding="utf-8")).get("exit") == 0:
            out.append(case)
    return out


DATASETS = [BUNDLED, *_valid_corpus()]


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _copy(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("expect.yaml"))
    return dst


# -- what the same edit means on the model ---------------------------------------------------------------


def _rehash(f: Fact, kg: KnowledgeGraph) -> Fact:
    """The fact with its id recomputed from what it states (as the loader computes it); a curator's id stays."""
    if not COMPUTED_ID.match(f.id):
        return f
    a, b = sorted((f.subject, f.object)) if kg.relations[f.relation].symmetric else (f.subject, f.object)
    when = f.date or (f"{f.start or ''}/{f.end or ''}" if (f.start or f.end) else "")
    return dataclasses.replace(f, id=fact_id(f.source, a, f.relation, b, when, f.quote))


def _swapped_facts(kg: KnowledgeGraph, old: str, new: str) -> list[Fact]:
    """Every fact with the entity ``old`` written ``new``, its id recomputed."""

    def swap(x: str | None) -> str | None:
        return new if x == old else x

    out = []
    for f in kg.facts:
        moved = dataclasses.replace(
            f, subject=swap(f.subject), object=swap(f.object), according_to=swap(f.according_to)
        )
        out.append(_rehash(moved, kg))
    return out


def _renamed(kg: KnowledgeGraph, old: str, new: str) -> KnowledgeGraph:
    entities = [dataclasses.replace(e, id=new) if e.id == old else e for e in kg.entities.values()]
    return KnowledgeGraph(
        list(kg.relations.values()), entities, list(kg.sources.values()), _swapped_facts(kg, old, new)
    )


def _merged(kg: KnowledgeGraph, dup: str, into: str) -> KnowledgeGraph:
    d, i = kg.entities[dup], kg.entities[into]
    known = {fold(n) for n in (i.id, i.name, *i.aliases)}
    aliases = list(i.aliases)
    for n in (d.name, *d.aliases):
        if fold(n) not in known:
            known.add(fold(n))
            aliases.append(n)
    entities = [
        dataclasses.replace(e, aliases=tuple(aliases)) if e.id == into else e
        for e in kg.entities.values()
        if e.id != dup
    ]
    return KnowledgeGraph(
        list(kg.relations.values()), entities, list(kg.sources.values()), _swapped_facts(kg, dup, into)
    )


def _with_fact(kg: KnowledgeGraph, fact: Fact) -> KnowledgeGraph:
    facts = list(kg.facts)
    last = max((n for n, f in enumerate(facts) if f.source == fact.source), default=len(facts) - 1)
    facts.insert(last + 1, _rehash(fact, kg))
    return KnowledgeGraph(list(kg.relations.values()), list(kg.entities.values()), list(kg.sources.values()), facts)


def _with_entity(kg: KnowledgeGraph, entity: Entity, after_type: str) -> KnowledgeGraph:
    ents = list(kg.entities.values())
    last = max(n for n, e in enumerate(ents) if e.type == after_type)
    ents.insert(last + 1, entity)
    return KnowledgeGraph(list(kg.relations.values()), ents, list(kg.sources.values()), list(kg.facts))


def _same_meaning(got: KnowledgeGraph, expected: KnowledgeGraph) -> None:
    assert list(got.entities.values()) == list(expected.entities.values())
    assert list(got.facts) == list(expected.facts)
    assert query.facts(got) == query.facts(expected)
    for e in got.entities:
        assert query.who_supports(got, e) == query.who_supports(expected, e)
        assert query.who_opposes(got, e) == query.who_opposes(expected, e)


# -- what may change in the bytes ------------------------------------------------------------------------


def _one_insertion(old: bytes, new: bytes) -> None:
    """``new`` is ``old`` with one contiguous run of bytes inserted, ending in a line break."""
    assert len(new) > len(old)
    p = 0
    while p < len(old) and old[p] == new[p]:
        p += 1
    grown = len(new) - len(old)
    assert new[:p] + new[p + grown :] == old
    assert new[p : p + grown].count(b"\n") >= 4  # the item's lines (a fact's or an entity's)


def _only_references(old: bytes, new: bytes, was: str, now: str, allowed: set[int]) -> None:
    """Lines differ only where a reference ``was`` became ``now``, or in the ``allowed`` old lines (0-based)."""
    a, b = old.decode().split("\n"), new.decode().split("\n")
    ref = re.compile(rf"(?<=: ){re.escape(was)}(?=\s*(#.*)?$)")
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if (
            tag == "replace"
            and i2 - i1 == j2 - j1
            and all(ref.sub(now, x) == y for x, y in zip(a[i1:i2], b[j1:j2], strict=True))
        ):
            continue
        touched = set(range(i1, i2)) or {i1 - 1, i1}
        assert touched & allowed, (tag, a[i1:i2], b[j1:j2])
        assert touched <= allowed | {i for i in range(i1, i2) if not a[i].strip()}, (tag, a[i1:i2], b[j1:j2])


def _item_lines(text: str, ident: str) -> set[int]:
    """The 0-based lines of the ``entities.yaml`` item with this id (from its ``- id:`` line to the next item)."""
    lines = text.split("\n")
    start = next(n for n, line in enumerate(lines) if re.fullmatch(rf"\s*- id: {re.escape(ident)}\s*", line))
    end = start + 1
    while (
        end < len(lines)
        and not lines[end].lstrip().startswith("- ")
        and lines[end].strip()
        and not lines[end].lstrip().startswith("#")
    ):
        end += 1
    return set(range(start, end + 1))


# -- the property ----------------------------------------------------------------------------------------


def _name_of(draw: Any, e: Entity) -> str:
    return draw(st.sampled_from([e.id, e.name, *e.aliases]))


def _random_add(draw: Any, kg: KnowledgeGraph, root: Path) -> tuple[str, Any]:
    ents = list(kg.entities.values())
    source = draw(st.sampled_from(sorted(kg.sources)))
    text = Path(kg.sources[source].text_path).read_text(encoding="utf-8")
    n = draw(st.integers(1, len(sentences(text))))
    subject = draw(st.sampled_from(ents))
    obj = draw(st.sampled_from([e for e in ents if e.id != subject.id] or ents))
    spec = FactSpec(
        subject=_name_of(draw, subject),
        relation=draw(st.sampled_from(sorted(kg.relations))),
        object=_name_of(draw, obj),
        source=source,
        sentence=n,
        date=draw(st.sampled_from([None, "2021", "2021-11", "2020-01-02"])),
        according_to=draw(st.none() | st.sampled_from([e.id for e in ents])),
        qualifiers=draw(
            st.lists(
                st.tuples(
                    st.sampled_from(["role", "note"]), st.text("ab c:,", min_size=1, max_size=6).filter(str.strip)
                ),
                max_size=2,
                unique_by=lambda t: t[0],
            )
        ),
    )
    return "add", spec


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(DATASETS), st.data())
def test_random_edits_change_only_what_they_say(dataset: Path, data: st.DataObject) -> None:
    draw = data.draw
    with tempfile.TemporaryDirectory() as tmp:
        root = _copy(dataset, Path(tmp) / "data")
        for _ in range(draw(st.integers(1, 4))):
            kg = kgraph.load(root, cache=False)
            before = files(root)
            kind = draw(st.sampled_from(["add", "rename", "merge", "entity"]))
            ents = list(kg.entities.values())
            try:
                if kind == "add":
                    _, spec = _random_add(draw, kg, root)
                    result = add_fact(root, spec)
                    after = files(root)
                    changed = [k for k in after if after[k] != before[k]]
                    assert changed == [result.path]
                    _one_insertion(before[result.path], after[result.path])
                    expected = _with_fact(kg, result.fact)
                elif kind == "rename":
                    e = draw(st.sampled_from(ents))
                    new = draw(st.from_regex(r"[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,4})?", fullmatch=True))
                    rename_entity(root, _name_of(draw, e), new)
                    after = files(root)
                    for k in after:
                        _only_references(before[k], after[k], e.id, new, set())
                    expected = _renamed(kg, e.id, new)
                elif kind == "entity":  # a new entity (fodder for merges too)
                    like = draw(st.sampled_from(ents))
                    ident = draw(st.from_regex(r"new-[a-z]{1,5}", fullmatch=True))
                    name = draw(st.from_regex(r"New [A-Z][a-z]{0,5}( [a-z,:'\"#]{1,4})?", fullmatch=True))
                    aliases = draw(st.lists(st.from_regex(r"[A-Z][a-z]{1,4}[ .,'\]]?", fullmatch=True), max_size=2))
                    add_entity(root, ident, name, like.type, aliases, "Added by the property test.")
                    after = files(root)
                    assert [k for k in after if after[k] != before[k]] == ["entities.yaml"]
                    _one_insertion(before["entities.yaml"], after["entities.yaml"])
                    entity = Entity(id=ident, name=name, type=like.type, description="Added by the property test.",
                                    aliases=tuple(aliases))  # fmt: skip
                    expected = _with_entity(kg, entity, after_type=like.type)
                else:
                    dup = draw(st.sampled_from(ents))
                    into = draw(st.sampled_from([e for e in ents if e.type == dup.type and e.id != dup.id] or ents))
                    merge_entities(root, _name_of(draw, dup), _name_of(draw, into))
                    after = files(root)
                    text = before["entities.yaml"].decode()
                    allowed = _item_lines(text, dup.id) | _item_lines(text, into.id)
                    for k in after:
                        _only_references(
                            before[k], after[k], dup.id, into.id, allowed if k == "entities.yaml" else set()
                        )
                    expected = _merged(kg, dup.id, into.id)
            except KGraphError as refused:
                event(f"{kind} refused ({refused.exit_code.name}): {str(refused).split(': ')[-1][:40]}")
                assert refused.exit_code in (ExitCode.USAGE, ExitCode.DATA, ExitCode.UNKNOWN_NAME), refused
                assert files(root) == before, refused
                continue
            event(f"{kind} done")
            _same_meaning(kgraph.load(root, cache=False), expected)


@pytest.mark.parametrize("dataset", DATASETS, ids=[p.name for p in DATASETS])
def test_the_datasets_edited_are_valid_to_begin_with(dataset: Path) -> None:
    _, report = kgraph.check(dataset)
    assert report.errors == []
