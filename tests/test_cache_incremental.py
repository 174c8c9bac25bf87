"""The incremental cache: after any sequence of edits, the answer through the cache is the answer of the files.

A small dataset (a model here, written out as YAML and texts) is edited at
random: quotes changed, facts added and removed, references broken and
fixed, source files added, deleted and renamed, ``entities.yaml`` and
``relations.yaml`` edited, errors introduced and removed. After each edit,
through the cache and with ``--no-cache``: the graph (facts, warnings, the
tables, ``stats``, ``relations``) or the DataError, and ``validate``'s
report (library and command line, exit code and output) must be equal; and
asking a second time must check no file again (the entry, or the part
files, answer), unless the data is one the parts cannot answer exactly (a
curator id in two files: then the dataset is read whole, every time).
"""

from __future__ import annotations

import contextlib
import copy
import json
import marshal
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import kgraph
from kgraph import cache, cachebuild, query
from kgraph.cli import app
from kgraph.errors import DataError
from kgraph.loading.dataset import check, check_report

REPO = Path(__file__).resolve().parent.parent
SETTLED_NS = cache.SETTLED_NS
RELATIONS = (REPO / "data" / "relations.yaml").read_text(encoding="utf-8")
runner = CliRunner()

COUNTRIES = ["alphaland", "betaland", "gammaland", "deltaland", "epsilonia"]
PEOPLE = {"anna-alpha": "alphaland", "bruno-beta": "betaland"}  # leader -> country (acts-for links)
RELATION_IDS = ["supports", "opposes", "sanctions", "meets_with", "trades_with", "leads", "warns"]
FILLER = ["The talks lasted ten hours.", "Officials declined to comment.", "Markets were calm."]


def title(ident: str) -> str:
    return " ".join(w.capitalize() for w in ident.split("-"))


def sentence(s: str, rel: str, o: str, k: int) -> str:
    return f"{title(s)} {rel.replace('_', ' ')} {title(o)} in round {k}."


Model = dict[str, Any]


def base_model() -> Model:
    """Three sources whose facts use every kind of thing the checks across files look at."""
    entities = [
        {"id": c, "name": title(c), "type": "country", "description": f"The country {title(c)}."} for c in COUNTRIES
    ]
    entities += [
        {
            "id": p,
            "name": title(p),
            "type": "person",
            "description": f"Leader of {title(c)}.",
            "aliases": [p.split("-")[0].capitalize()],
        }
        for p, c in PEOPLE.items()
    ]
    sources: dict[str, Any] = {}
    k = 0
    for n, sid in enumerate(["one", "two", "three"]):
        facts = []
        for s, rel, o in [
            ("alphaland", "supports", "betaland"),
            ("gammaland", "opposes", COUNTRIES[n]),
            ("anna-alpha", "leads", "alphaland"),
        ][: 2 + (n == 0)]:
            k += 1
            facts.append({"subject": s, "relation": rel, "object": o, "quote": sentence(s, rel, o, k)})
        sources[sid] = {"title": f"Source {sid}", "facts": facts, "extra": list(FILLER)}
    sources["one"]["facts"][0]["id"] = "first-support"
    sources["two"]["facts"][0]["disputes"] = "first-support"
    sources["three"]["facts"].append(
        {"subject": "alphaland", "relation": "warns", "object": "deltaland", "quote": FILLER[0]}
    )
    return {"entities": entities, "relations": RELATIONS, "sources": sources}


def write(model: Model, root: Path) -> None:
    """The model as a dataset folder (only files whose bytes change are rewritten; removed sources deleted)."""
    files = {
        "relations.yaml": model["relations"],
        "entities.yaml": yaml.safe_dump({"entities": model["entities"]}, sort_keys=False),
    }
    for sid, src in model["sources"].items():
        quotes = [f["quote"] for f in src["facts"] if not f.get("_hidden")]
        files[f"sources/{sid}.txt"] = " ".join([*src["extra"], *quotes]) + "\n"
        body = {"source": {"id": src.get("id", sid), "title": src["title"], "text": f"{sid}.txt", "published": "2024"}}
        body["facts"] = [{k: v for k, v in f.items() if not k.startswith("_")} for f in src["facts"]]
        files[f"sources/{sid}.yaml"] = yaml.safe_dump(body, sort_keys=False, allow_unicode=True)
    (root / "sources").mkdir(parents=True, exist_ok=True)
    for p in (root / "sources").iterdir():
        if f"sources/{p.name}" not in files:
            p.unlink()
    for name, text in files.items():
        path = root / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")


# -- edits: each changes the model, drawing what it needs ----------------------------------


def pick_fact(model: Model, draw: Any) -> tuple[str, list[dict[str, Any]], int] | None:
    with_facts = sorted(sid for sid, s in model["sources"].items() if s["facts"])
    if not with_facts:
        return None
    sid = draw(st.sampled_from(with_facts))
    facts = model["sources"][sid]["facts"]
    return sid, facts, draw(st.integers(0, len(facts) - 1))


def change_quote(model: Model, draw: Any) -> str:
    found = pick_fact(model, draw)
    if found is None:
        return "nothing to change"
    sid, facts, i = found
    how = draw(st.sampled_from(["another", "not in the text", "text grows"]))
    if how == "another":  # another sentence of the text (the text holds every quote but hidden ones)
        facts[i]["quote"] = draw(st.sampled_from(FILLER)) if draw(st.booleans()) else facts[i]["quote"] + " Indeed."
        facts[i].pop("_hidden", None)
    elif how == "not in the text":  # (an error, with the closest sentence suggested)
        facts[i]["_hidden"] = True
    else:
        model["sources"][sid]["extra"].append("An unrelated sentence.")
    return f"quote: {how}"


def add_fact(model: Model, draw: Any) -> str:
    sid = draw(st.sampled_from(sorted(model["sources"])))
    ids = [e["id"] for e in model["entities"]]
    s = draw(st.sampled_from(ids + ["nowhereland"]))  # (an unknown entity: an error)
    o = draw(st.sampled_from(ids))
    rel = draw(st.sampled_from(RELATION_IDS + ["befriends"]))  # (an unknown relation: an error)
    k = draw(st.integers(100, 999))
    fact: dict[str, Any] = {"subject": s, "relation": rel, "object": o, "quote": sentence(s, rel, o, k)}
    if draw(st.booleans()):
        fact["date"] = draw(st.sampled_from(["2020", "2023-05", "2030", "20-20"]))  # (after publishing, not a date)
    if draw(st.booleans()):
        fact["id"] = draw(st.sampled_from(["first-support", "a-claim", "another-claim", "Bad Id"]))
    model["sources"][sid]["facts"].append(fact)
    return "fact added"


def remove_fact(model: Model, draw: Any) -> str:
    found = pick_fact(model, draw)
    if found is None:
        return "nothing to remove"
    _sid, facts, i = found
    del facts[i]
    return "fact removed"


def reference(model: Model, draw: Any) -> str:
    found = pick_fact(model, draw)
    if found is None:
        return "nothing to refer from"
    _sid, facts, i = found
    key = draw(st.sampled_from(["disputes", "same_as"]))
    if key in facts[i] and draw(st.booleans()):
        del facts[i][key]
        return "reference removed"
    facts[i][key] = draw(st.sampled_from(["first-support", "a-claim", "no-such-fact"]))
    return "reference made"


def add_source(model: Model, draw: Any) -> str:
    sid = draw(st.sampled_from(["four", "five", "aaa", "zzz"]))
    s, o = draw(st.sampled_from(COUNTRIES)), draw(st.sampled_from(COUNTRIES))
    model["sources"][sid] = {
        "title": f"Source {sid}",
        "facts": [{"subject": s, "relation": "meets_with", "object": o, "quote": sentence(s, "meets_with", o, 7)}],
        "extra": [FILLER[1]],
    }
    return "source added"


def delete_source(model: Model, draw: Any) -> str:
    sid = draw(st.sampled_from(sorted(model["sources"])))
    del model["sources"][sid]
    return "source deleted"


def rename_source(model: Model, draw: Any) -> str:
    sid = draw(st.sampled_from(sorted(model["sources"])))
    new = draw(st.sampled_from(["renamed", "a-first", "z-last"]))
    if new in model["sources"]:
        return "name taken"
    model["sources"][new] = model["sources"].pop(sid)
    if draw(st.integers(0, 4)) == 0:
        model["sources"][new]["id"] = sid  # (the id no longer matches the file name: an error)
    return "source renamed"


def edit_entities(model: Model, draw: Any) -> str:
    entities = model["entities"]
    what = draw(st.sampled_from(["alias", "remove", "add", "rename"]))
    e = entities[draw(st.integers(0, len(entities) - 1))]
    if what == "alias":
        e.setdefault("aliases", []).append(draw(st.sampled_from(["The Land", "Alpha", "Betaland"])))
    elif what == "remove" and len(entities) > 1:
        entities.remove(e)
    elif what == "add":
        entities.append({"id": "zetaland", "name": "Zetaland", "type": "country", "description": "A new one."})
    else:
        e["name"] = e["name"] + " Republic"
    return f"entities: {what}"


def edit_relations(model: Model, draw: Any) -> str:
    what = draw(st.sampled_from(["describe", "remove warns", "restore"]))
    if what == "describe":
        model["relations"] = model["relations"].replace("description:", "description: (edited)", 1)
    elif what == "remove warns":
        model["relations"] = model["relations"].replace("  - id: warns", "  - id: cautions")
    else:
        model["relations"] = RELATIONS
    return f"relations: {what}"


def break_yaml(model: Model, draw: Any) -> str:
    sid = draw(st.sampled_from(sorted(model["sources"])))
    src = model["sources"][sid]
    if src.get("broken"):
        del src["broken"]
        src["title"] = src["title"].rstrip("!")
        return "error fixed"
    src["broken"] = True
    src["title"] = src["title"] + "!"
    if src["facts"]:
        src["facts"][0]["modality"] = "rumoured"  # (not a modality: an error, with a suggestion)
    return "error introduced"


EDITS: list[Callable[[Model, Any], str]] = [
    change_quote,
    add_fact,
    remove_fact,
    reference,
    add_source,
    delete_source,
    rename_source,
    edit_entities,
    edit_relations,
    break_yaml,
]


# -- comparing ------------------------------------------------------------------------------


def outcome(root: Path, cached: bool) -> Any:
    """The graph's answers, or the DataError's message and problems."""
    try:
        kg = kgraph.load(root, cache=cached)
    except DataError as e:
        return ("error", str(e), e.problems)
    return (
        "graph",
        kg.facts,
        kg.warnings,
        kg.entities,
        kg.relations,
        kg.sources,
        query.stats(kg),
        query.relations(kg),
        query.facts(kg),
    )


def cli_validate(root: Path, cached: bool) -> tuple[int, str, str]:
    args = (["--no-cache"] if not cached else []) + ["validate", "--data", str(root), "--format", "json"]
    result = runner.invoke(app, args)
    return result.exit_code, result.stdout, result.stderr


@contextlib.contextmanager
def counting() -> Iterator[dict[str, int]]:
    """How many files are checked on their own, and how many times the dataset is read whole."""
    seen = {"parts": 0, "whole": 0}
    real_compile, real_check = cachebuild.compile_source, kgraph.loading.dataset.check

    def compile_source(*args: Any, **kwargs: Any) -> Any:
        seen["parts"] += 1
        return real_compile(*args, **kwargs)

    def whole(*args: Any, **kwargs: Any) -> Any:
        seen["whole"] += 1
        return real_check(*args, **kwargs)

    with (
        mock.patch.object(cachebuild, "compile_source", compile_source),
        mock.patch.object(kgraph.loading.dataset, "check", whole),
    ):
        yield seen


def agree(root: Path) -> None:
    expected, expected_report = outcome(root, cached=False), check(root)[1]
    expected_cli = cli_validate(root, cached=False)
    for attempt in (1, 2):
        with counting() as seen:
            report = check_report(root)
            got = outcome(root, cached=True)
        assert report.to_dict() == expected_report.to_dict()
        assert got == expected
        if attempt == 2:
            duplicate_ids = any("duplicate fact id" in p.message for p in expected_report.errors)
            if seen["whole"]:
                assert duplicate_ids, "read whole, though the parts could have answered"
                event("read whole (a curator id in two files)")
            else:
                assert seen["parts"] == 0, "asked again, a file was checked again"
    assert cli_validate(root, cached=True) == expected_cli
    event("valid" if expected[0] == "graph" else "with errors")
    if expected[0] == "graph":
        assert cache.lookup(root).kg is not None  # the entry is current: a hit
        if cache.SETTLED_NS == 0:  # (and found from the signatures alone)
            quick_or_touched(root)


def quick_or_touched(root: Path) -> None:
    """With every file settled, a current entry is found from the files' signatures alone, unless a file was
    touched since it was written (its signature changed, its bytes did not: the digest decided)."""
    with open(cache.entry_path(root), "rb") as fh:
        header = cache._read_header(fh)[0]
    listed = cache._yaml_names(root) + header["texts"]
    if cache._quick_current(root, listed, header["quick"]):
        event("found from the signatures")
        return
    event("found from the digests (a file touched)")
    recorded = marshal.loads(header["signatures"])
    touched = [n for n in listed if cache._signature(str(root / n)) != recorded[n][0]]
    assert touched, "every signature is the one recorded, yet the look-up was not quick"
    assert all(cache.tokens(root, [n])[n] == recorded[n][1] for n in touched)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_sequence_of_edits_answers_as_the_files_do(data: st.DataObject, monkeypatch: pytest.MonkeyPatch) -> None:
    work = Path(tempfile.mkdtemp(prefix="kgraph-incremental-"))
    try:
        monkeypatch.setenv("KGRAPH_CACHE_DIR", str(work / "cache"))
        monkeypatch.delenv("KGRAPH_NO_CACHE", raising=False)
        settled = data.draw(st.booleans(), label="settled")  # every file settled at once: look-ups compare signatures
        monkeypatch.setattr(cache, "SETTLED_NS", 0 if settled else SETTLED_NS)
        root = work / "data"
        model = base_model()
        write(model, root)
        agree(root)
        for _ in range(data.draw(st.integers(1, 6), label="edits")):
            edit = data.draw(st.sampled_from(EDITS), label="edit")
            before = copy.deepcopy(model)
            what = edit(model, data.draw)
            event(what)
            write(model, root)
            agree(root)
            if data.draw(st.integers(0, 5), label="undo") == 0:  # back to the state before: its parts may be kept
                model = before
                write(model, root)
                agree(root)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def test_a_damaged_part_file_is_ignored_and_rebuilt(tmp_path: Path, cache_dir: Path) -> None:
    root = tmp_path / "data"
    model = base_model()
    model["sources"]["two"]["facts"][1]["object"] = "nowhereland"  # an error: no entry, part files instead
    write(model, root)
    expected = check(root)[1].to_dict()
    assert check_report(root).to_dict() == expected
    folder = cachebuild.parts_dir(root)
    files = sorted(folder.glob("*.kgp"))
    assert len(files) == 4  # three sources and the vocabulary
    for f in files:
        raw = f.read_bytes()
        f.write_bytes(raw[:-3] + bytes([raw[-3] ^ 0x55]) + raw[-2:])
    with counting() as seen:
        assert check_report(root).to_dict() == expected
    assert seen["parts"] == 3  # each damaged part checked again …
    with counting() as seen:
        assert check_report(root).to_dict() == expected
    assert seen["parts"] == 0  # … and written again


def test_an_edit_checks_only_the_file_edited(tmp_path: Path, cache_dir: Path) -> None:
    root = tmp_path / "data"
    model = base_model()
    write(model, root)
    kgraph.load(root)
    model["sources"]["two"]["facts"].append(
        {
            "subject": "betaland",
            "relation": "supports",
            "object": "gammaland",
            "quote": sentence("betaland", "supports", "gammaland", 5),
        }
    )
    write(model, root)
    with counting() as seen:
        kg = kgraph.load(root)
    assert seen == {"parts": 1, "whole": 0}
    assert kg.facts == kgraph.load(root, cache=False).facts
    assert json.dumps(query.stats(kg)) == json.dumps(query.stats(kgraph.load(root, cache=False)))
