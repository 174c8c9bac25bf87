"""The command line through Typer's CliRunner: JSON parsed and compared, exact stderr, exit codes.

Exit codes (README): 0 success, 2 bad usage, 3 invalid data, 4 unknown entity or
relation, 5 no path.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import BUNDLED, ENTITIES, REPO, MakeDataset
from typer.testing import CliRunner, Result

import kgraph
from kgraph import query, suggest
from kgraph.cli import app, main

runner = CliRunner()


pytestmark = pytest.mark.usefixtures("no_kgraph_env")


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return runner.invoke(app, list(args), env=env)


def as_json(*args: str, env: dict[str, str] | None = None) -> Any:
    result = run(*args, "--format", "json", env=env)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return json.loads(result.stdout)


def same(data: dict[str, Any]) -> Any:
    """What a library result looks like once written as JSON and read back."""
    return json.loads(json.dumps(data))


@pytest.fixture(scope="module")
def kg() -> kgraph.KnowledgeGraph:
    return kgraph.load(BUNDLED)


# -- JSON of every core command equals the library's answer ------------------------------


def test_who_supports_json(kg: kgraph.KnowledgeGraph) -> None:
    out = as_json("who-supports", "belarus")
    assert out == same(query.who_supports(kg, "belarus"))
    assert list(out) == ["target", "results"]
    assert out["target"] == {"id": "belarus", "name": "Belarus", "type": "country"}
    first = out["results"][0]
    assert set(first) == {"entity", "score", "evidence", "via"}
    assert first["entity"]["id"] == "china" and first["score"] == len(first["evidence"])
    fact = first["evidence"][0]
    assert {"id", "subject", "relation", "object", "polarity", "date", "source", "quote"} <= set(fact)
    assert set(fact["subject"]) == {"id", "name", "type"}
    ids = {r["entity"]["id"] for r in out["results"]}
    assert {"china", "russia"} <= ids
    assert not ids & {"united-states", "european-union", "united-kingdom", "canada"}


def test_who_supports_direct_and_names(kg: kgraph.KnowledgeGraph) -> None:
    assert as_json("who-supports", "Minsk", "--direct") == same(query.who_supports(kg, "belarus", direct=True))
    assert as_json("who-opposes", "BELARUS") == same(query.who_opposes(kg, "belarus"))
    opponents = {r["entity"]["id"] for r in as_json("who-opposes", "belarus")["results"]}
    assert {"united-states", "european-union", "united-kingdom", "canada"} <= opponents


def test_path_json(kg: kgraph.KnowledgeGraph) -> None:
    out = as_json("path", "china", "russia")
    assert out == same(query.paths(kg, "china", "russia"))
    assert list(out)[:3] == ["from", "to", "paths"]
    visits = []
    for p in out["paths"]:
        assert set(p) == {"length", "steps"}
        assert {"subject", "relation", "object", "fact", "direction"} <= set(p["steps"][0])
        visits.append([s["object"]["id"] if s["direction"] == "forward" else s["subject"]["id"] for s in p["steps"]])
    assert ["russia"] in visits  # Feng's predicted China-Russia tension (at_odds_with) is one step
    assert as_json("path", "china", "russia", "--all", "--max-hops", "3") == same(
        query.paths(kg, "china", "russia", all_paths=True, max_hops=3)
    )
    assert as_json("path", "china", "russia", "-r", "cooperates", "--relation", "structural") == same(
        query.paths(kg, "china", "russia", relations=["cooperates", "structural"])
    )


def test_neighbours_json(kg: kgraph.KnowledgeGraph) -> None:
    assert as_json("neighbours", "belarus") == same(query.neighbours(kg, "belarus"))
    out = as_json("neighbours", "belarus", "--depth", "2", "--direction", "in", "-r", "opposes")
    assert out == same(query.neighbours(kg, "belarus", depth=2, direction="in", relations=["opposes"]))
    assert list(out) == ["entity", "neighbours"]
    assert out["neighbours"] and all(r["fact"]["polarity"] == -1 for r in out["neighbours"])


def test_relations_facts_entity_stats_json(kg: kgraph.KnowledgeGraph) -> None:
    assert as_json("relations") == same(query.relations(kg))
    assert as_json("facts") == same(query.facts(kg))
    out = as_json("facts", "--subject", "china", "--relation", "cooperates")
    assert out == same(query.facts(kg, subject="china", relation=["cooperates"]))
    assert out["facts"] and all(f["subject"]["id"] == "china" and f["polarity"] == 1 for f in out["facts"])
    scoped = run("facts", "--object", "belarus", "--source", "belarus-china-ironclad-friend", "--format", "json")
    assert scoped.exit_code == 0 and scoped.stderr.startswith("note: sources kept")  # --source is the shared scope
    assert json.loads(scoped.stdout) == same(query.facts(kg, object="belarus", source="belarus-china-ironclad-friend"))
    assert as_json("entity", "Lukashenka") == same(query.entity(kg, "lukashenko"))
    assert as_json("stats") == {
        "entities": len(kg.entities),
        "facts": len(kg.facts),
        "relations": len(kg.relations),
        "sources": len(kg.sources),
    }


def test_json_is_the_default_in_a_pipe(kg: kgraph.KnowledgeGraph) -> None:
    result = run("stats")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == same(query.stats(kg))


# -- CSV and table -------------------------------------------------------------------------


def test_csv_output_parses(kg: kgraph.KnowledgeGraph) -> None:
    result = run("who-supports", "belarus", "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    expected = query.who_supports(kg, "belarus")["results"]
    assert len(rows) == sum(len(r["evidence"]) for r in expected)
    assert rows[0]["rank"] == "1" and rows[0]["entity"] == "china"
    assert [r["fact_id"] for r in rows if r["entity"] == "china"] == ids_of(expected[0]["evidence"])
    quote = expected[0]["evidence"][0]["quote"]
    assert rows[0]["quote"] == quote  # quotes with commas and double quotes survive


def ids_of(facts: list[dict[str, Any]]) -> list[str]:
    return [f["id"] for f in facts]


def test_csv_of_facts_and_relations(kg: kgraph.KnowledgeGraph) -> None:
    facts = list(csv.DictReader(io.StringIO(run("facts", "-f", "csv").stdout)))
    assert [r["fact_id"] for r in facts] == ids_of(query.facts(kg)["facts"])
    assert set(facts[0]) >= {"fact_id", "subject", "relation", "object", "polarity", "date", "source", "quote"}
    rels = list(csv.DictReader(io.StringIO(run("relations", "-f", "csv").stdout)))
    assert {r["id"]: int(r["total"]) for r in rels} == {r["id"]: r["total"] for r in query.relations(kg)["relations"]}
    assert {r["symmetric"] for r in rels} == {"true", "false"}


@pytest.mark.parametrize("width", [80, 120])
def test_table_fits_the_width_and_keeps_short_values_whole(kg: kgraph.KnowledgeGraph, width: int) -> None:
    result = run("who-supports", "belarus", "-f", "table", env={"COLUMNS": str(width)})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].strip() == "Who supports Belarus"
    assert max(len(line.rstrip()) for line in lines) <= width
    header = next(line for line in lines if "score" in line)
    assert header.split() == ["#", "entity", "score", "evidence", "date", "quote"]
    first = query.who_supports(kg, "belarus")["results"][0]
    row = next(line for line in lines if line.startswith("1 "))
    assert row.split()[:3] == ["1", first["entity"]["name"], str(first["score"])]
    text = " ".join(lines)
    # dates and relation names are never cut; every quote's words are there in order
    for f in first["evidence"]:
        if f["date"]:
            assert f" {f['date']} " in text
        assert f["relation"] in text
    words = " ".join(line for line in lines).split()
    assert "".join(first["evidence"][0]["quote"].split()[:4]) in "".join(words)


@pytest.mark.parametrize("width", [60, 80, 120])
@pytest.mark.parametrize(
    "args",
    [
        ["who-opposes", "belarus"],
        ["path", "china", "russia", "--all"],
        ["neighbours", "belarus", "--depth", "2"],
        ["facts"],
        ["entity", "lukashenko"],
        ["relations"],
        ["stats"],
    ],
)
def test_every_table_fits_the_width(args: list[str], width: int) -> None:
    from rich.cells import cell_len

    result = run(*args, "-f", "table", env={"COLUMNS": str(width)})
    assert result.exit_code == 0
    assert max(cell_len(line.rstrip()) for line in result.stdout.splitlines()) <= width
    assert "…" not in result.stdout  # nothing had to be cut short


def test_relations_table_at_80_columns_moves_descriptions_under_their_row(kg: kgraph.KnowledgeGraph) -> None:
    result = run("relations", "-f", "table", env={"COLUMNS": "80"})
    lines = result.stdout.splitlines()
    assert max(len(line.rstrip()) for line in lines) <= 80
    for r in query.relations(kg)["relations"]:
        row = next(line for line in lines if line.split()[:1] == [r["id"]])
        assert row.startswith("  " * r["depth"] + r["id"])
        assert row.split()[-2:] == [str(r["count"]), str(r["total"])]
    assert lines[lines.index(next(x for x in lines if x.startswith("cooperates"))) + 1].startswith("      Root")
    wide = run("relations", "-f", "table", env={"COLUMNS": "160"}).stdout.splitlines()
    assert "description" in next(line for line in wide if line.startswith("relation")).split()


def test_empty_answer_table_says_so(make_dataset: MakeDataset) -> None:
    root = make_dataset()
    result = run("who-opposes", "betaland", "--data", str(root), "-f", "table", env={"COLUMNS": "80"})
    assert result.exit_code == 0
    assert result.stdout == "Who opposes Betaland\n  (nothing found)\n"


# -- --data and KGRAPH_DATA ------------------------------------------------------------------


def test_data_option_and_environment_variable(make_dataset: MakeDataset) -> None:
    small = make_dataset()
    counts = {"entities": 3, "facts": 2, "relations": 7, "sources": 1}
    assert as_json("stats", "--data", str(small)) == counts
    assert as_json("--data", str(small), "stats") == counts
    assert as_json("stats", env={"KGRAPH_DATA": str(small)}) == counts
    other = make_dataset(entities=ENTITIES + "  - id: delta\n    name: Delta\n    type: place\n    description: x.\n")
    assert as_json("stats", "--data", str(other), env={"KGRAPH_DATA": str(small)})["entities"] == 4
    assert as_json("stats")["facts"] == len(kgraph.load(BUNDLED).facts)


def test_who_supports_on_another_dataset(make_dataset: MakeDataset) -> None:
    out = as_json("who-supports", "Betaland", "--data", str(make_dataset()))
    assert [(r["entity"]["id"], r["score"]) for r in out["results"]] == [("alphaland", 1)]
    assert out["results"][0]["evidence"][0]["quote"] == "Alphaland backs Betaland."


# -- errors: one line on stderr, documented exit code, no traceback --------------------------


def fails(code: int, *args: str, env: dict[str, str] | None = None) -> str:
    result = run(*args, env=env)
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    return result.stderr


def test_unknown_entity_suggests_and_exits_4(kg: kgraph.KnowledgeGraph) -> None:
    err = fails(4, "who-supports", "belaruss")
    suggestions = kg.names.suggest("belaruss")
    assert suggestions[0] == "belarus"
    described = [f"{s!r} ({suggest.note(kg.entities[s].type, kg.entities[s].description)})" for s in suggestions]
    assert err == f"error: unknown entity 'belaruss'; did you mean {' or '.join(described)}?\n"


def test_unknown_entity_exact_message_on_a_small_dataset(make_dataset: MakeDataset) -> None:
    root = str(make_dataset())
    assert (
        fails(4, "who-supports", "betalnd", "--data", root)
        == "error: unknown entity 'betalnd'; did you mean 'betaland' (country: Another country)?\n"
    )
    assert fails(4, "path", "alphaland", "nowhere", "--data", root) == "error: unknown entity 'nowhere'\n"
    assert (
        fails(4, "facts", "--relation", "suports", "--data", root)
        == "error: unknown relation 'suports'; did you mean 'supports' or 'supported_by'?\n"
    )
    assert (
        fails(4, "facts", "--source", "artt", "--data", root) == "error: unknown source 'artt'; did you mean 'art'?\n"
    )


def test_no_path_exits_5(make_dataset: MakeDataset) -> None:
    root = str(
        make_dataset(entities=ENTITIES + "  - id: delta\n    name: Delta\n    type: place\n    description: x.\n")
    )
    assert fails(5, "path", "alphaland", "delta", "--data", root) == "error: no path from 'alphaland' to 'delta'\n"
    assert (
        fails(5, "path", "betaland", "gamma", "-r", "supports", "--data", root)
        == "error: no path from 'betaland' to 'gamma-leader' using supports\n"
    )


def test_invalid_data_exits_3_with_the_first_problem(make_dataset: MakeDataset) -> None:
    root = make_dataset(
        facts="- subject: alphaland\n  relation: supports\n  object: betalnd\n  quote: Alphaland backs Betaland.\n"
    )
    err = fails(3, "who-supports", "belarus", "--data", str(root))
    assert err == (
        f"error: {root}/sources/art.yaml:9:13: unknown entity 'betalnd' "
        "(did you mean 'betaland' (country: Another country)?)\n"
    )
    assert fails(3, "stats", "--data", str(root / "missing")) == (
        f"error: {root / 'missing'}: no such data folder (give --data PATH or set KGRAPH_DATA)\n"
    )


def test_usage_errors_exit_2() -> None:
    for args in (
        ["who-supports"],
        ["stats", "--format", "xml"],
        ["no-such-command"],
        ["path", "china", "russia", "--max-hops", "0"],
        ["neighbours", "belarus", "--depth", "zero"],
    ):
        result = run(*args)
        assert result.exit_code == 2, args
        assert result.stdout == ""
        assert "Traceback" not in result.stderr


def test_usage_error_from_the_library_exits_2() -> None:
    assert (
        fails(2, "neighbours", "belarus", "--direction", "up") == "error: direction must be in, out or both, not 'up'\n"
    )
    assert fails(2, "path", "china", "Beijing") == "error: a path needs two different entities\n"


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (["who-supports"], "error: Missing argument 'name'. (see 'kgraph who-supports --help')"),
        (
            ["stats", "--format", "xml"],
            (
                "error: Invalid value for '--format' / '-f': Value error, 'xml' is not one of 'table', 'json', 'csv'. "
                "(see 'kgraph stats --help')"
            ),
        ),
        (["no-such-command"], "error: No such command 'no-such-command'. (see 'kgraph --help')"),
    ],
)
def test_usage_errors_through_the_entry_point_are_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], line: str
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2
    out, err = capsys.readouterr()
    assert (out, err) == ("", line + "\n")


def test_traceback_option_lets_the_error_through() -> None:
    result = run("--traceback", "who-supports", "belaruss")
    assert isinstance(result.exception, kgraph.UnknownEntity)
    assert result.exit_code != 0
    debug = run("who-supports", "belaruss", env={"KGRAPH_DEBUG": "1"})
    assert isinstance(debug.exception, kgraph.UnknownEntity)


# -- validate ----------------------------------------------------------------------------------


def test_validate_bundled_is_clean() -> None:
    result = run("validate", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"errors": [], "warnings": []}
    table = run("validate", "-f", "table")
    assert (table.exit_code, table.stdout) == (0, "0 errors, 0 warnings\n")


def test_validate_bad_dataset(make_dataset: MakeDataset) -> None:
    root = make_dataset(
        entities=ENTITIES + "  - id: delta\n    name: Delta\n    type: place\n    description: x.\n",
        facts="- subject: alphaland\n  relation: suports\n  object: betaland\n  quote: Alphaland backs Betaland.\n"
        "- subject: alphaland\n  relation: supports\n  object: betaland\n  quote: Alphaland strongly backs Betaland.\n",
    )
    result = run("validate", "--data", str(root), "--format", "json")
    assert result.exit_code == 3
    assert result.stderr == "error: the data has 2 problems (listed above)\n"
    out = json.loads(result.stdout)
    assert list(out) == ["errors", "warnings"]
    src = str(root / "sources" / "art.yaml")
    assert [(e["path"], e["line"], e["column"], e["message"], e["suggestion"]) for e in out["errors"]] == [
        (src, 8, 15, "unknown relation 'suports'", "'supports'"),
        (src, 14, 12, "quote not found in the article text of 'art'", "'Alphaland backs Betaland.'"),
    ]
    assert all(e["severity"] == "error" for e in out["errors"])
    # facts with errors are not kept, so their entities are not blamed as unused
    assert out["warnings"] == []

    table = run("validate", "--data", str(root), "-f", "table")
    assert table.exit_code == 3
    assert table.stdout.splitlines() == [
        f"{src}:8:15: error: unknown relation 'suports' (did you mean 'supports'?)",
        f"{src}:14:12: error: quote not found in the article text of 'art' (did you mean 'Alphaland backs Betaland.'?)",
        "2 errors, 0 warnings",
    ]


def test_validate_warnings_pass_unless_strict(make_dataset: MakeDataset) -> None:
    root = str(
        make_dataset(entities=ENTITIES + "  - id: delta\n    name: Delta\n    type: place\n    description: x.\n")
    )
    assert run("validate", "--data", root, "-f", "json").exit_code == 0
    strict = run("validate", "--strict", "--data", root, "-f", "json")
    assert strict.exit_code == 3
    assert strict.stderr == "error: the data has 1 problem (listed above)\n"
    assert len(json.loads(strict.stdout)["warnings"]) == 1


# -- the program itself ------------------------------------------------------------------------


def test_python_m_kgraph_version() -> None:
    env = {k: v for k, v in os.environ.items() if k != "KGRAPH_DATA"}
    proc = subprocess.run(
        [sys.executable, "-m", "kgraph", "--version"],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
        env=env,
        timeout=60,
    )
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, f"kgraph {kgraph.__version__}\n", "")


def test_python_m_kgraph_unknown_entity_has_no_traceback(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "KGRAPH_DATA"}
    proc = subprocess.run(
        [sys.executable, "-m", "kgraph", "who-supports", "belaruss"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        env=env,
        timeout=60,
    )
    assert proc.returncode == 4
    assert proc.stdout == ""
    assert proc.stderr.startswith("error: unknown entity 'belaruss'; did you mean 'belarus'")
    assert proc.stderr.count("\n") == 1


def test_every_command_has_help() -> None:
    result = run("--help")
    assert result.exit_code == 0
    for name in (
        "who-supports",
        "who-opposes",
        "path",
        "neighbours",
        "relations",
        "facts",
        "entity",
        "stats",
        "validate",
    ):
        assert name in result.stdout
        sub = run(name, "--help")
        assert sub.exit_code == 0, name
        assert "--format" in sub.stdout, name


# -- shell completion --------------------------------------------------------------------------


def _kgraph_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("_KGRAPH")}
    env["PYTHONPATH"] = str(REPO / "src") + os.pathsep + env.get("PYTHONPATH", "")
    return {**env, **extra}


def _complete(words: str, cword: int, request: str) -> list[str]:
    """What kgraph answers when a shell asks to complete ``words`` at word ``cword`` (Click's env protocol)."""
    proc = subprocess.run(
        [sys.executable, "-m", "kgraph"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        env=_kgraph_env(_KGRAPH_COMPLETE=request, COMP_WORDS=words, COMP_CWORD=str(cword)),
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.split()


@pytest.mark.parametrize("request_name", ["bash_complete", "complete_bash"])  # Click's order and Typer's
def test_completing_who_offers_the_who_commands(request_name: str) -> None:
    assert sorted(_complete("kgraph who-", 1, request_name)) == ["who-opposes", "who-supports"]


def test_completing_an_option_value_offers_its_choices() -> None:
    assert _complete("kgraph rank --by p", 3, "bash_complete") == ["pagerank"]
    assert sorted(_complete("kgraph cache ", 2, "bash_complete")) == ["clear", "info"]


def test_completion_prints_each_shells_script() -> None:
    bash = run("completion", "bash")
    assert bash.exit_code == 0, bash.stderr
    assert "complete -o default -F _kgraph_completion kgraph" in bash.stdout
    assert "_KGRAPH_COMPLETE=complete_bash" in bash.stdout
    for shell, marker in (("zsh", "#compdef kgraph"), ("fish", "complete --command kgraph")):
        result = run("completion", shell)
        assert result.exit_code == 0 and marker in result.stdout, shell
    bad = run("completion", "tcsh")
    assert bad.exit_code == 2 and "tcsh" in bad.stderr


def test_the_bash_script_completes_in_bash(tmp_path: Path) -> None:
    """The script, sourced in a real bash, fills COMPREPLY through kgraph itself."""
    bash = subprocess.run(["bash", "--version"], capture_output=True, check=False)
    if bash.returncode != 0:
        pytest.skip("bash is not installed")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    wrapper = bin_dir / "kgraph"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m kgraph "$@"\n')
    wrapper.chmod(0o755)
    script = (
        'eval "$(kgraph completion bash)"\n'
        "COMP_WORDS=(kgraph who-); COMP_CWORD=1\n"
        "_kgraph_completion kgraph\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    env = _kgraph_env(PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    proc = subprocess.run(["bash", "-c", script], capture_output=True, text=True, check=False, timeout=60, env=env)
    assert proc.returncode == 0, proc.stderr
    assert sorted(proc.stdout.split()) == ["who-opposes", "who-supports"]


# -- one home for each default ----------------------------------------------------------------


def _cli_default(command: str, param: str) -> Any:
    import typer.main

    group = typer.main.get_command(app)
    cmd = group.commands[command]  # type: ignore[attr-defined]
    [found] = [p for p in cmd.params if p.name == param]
    return found.default


@pytest.mark.parametrize(
    ("command", "param", "function", "keyword"),
    [
        ("path", "limit", "kgraph.query.paths", "limit"),
        ("explain", "max_hops", "kgraph.analysis.explain", "max_hops"),
        ("explain", "limit", "kgraph.analysis.explain", "limit"),
        ("rank", "limit", "kgraph.analysis.rank", "limit"),
        ("rank", "by", "kgraph.analysis.rank", "by"),
        ("neighbours", "depth", "kgraph.query.neighbours", "depth"),
        ("blocs", "seed", "kgraph.analysis.blocs", "seed"),
        ("blocs", "resolution", "kgraph.analysis.blocs", "resolution"),
        ("draw", "max_nodes", "kgraph.draw.draw", "max_nodes"),
        ("draw", "dpi", "kgraph.draw.draw", "dpi"),
        ("view", "max_nodes", "kgraph.view.view_html", "max_nodes"),
    ],
)
def test_a_command_and_its_library_function_share_defaults(
    command: str, param: str, function: str, keyword: str
) -> None:
    import importlib
    import inspect

    module, _, name = function.rpartition(".")
    fn = getattr(importlib.import_module(module), name)
    assert _cli_default(command, param) == inspect.signature(fn).parameters[keyword].default


def test_rank_measures_and_the_rank_command_agree() -> None:
    from kgraph.analysis import RANK_MEASURES
    from kgraph.cli.analysis import Measure

    assert tuple(m.value for m in Measure) == RANK_MEASURES


def test_view_writes_to_the_librarys_default_file() -> None:
    from kgraph.view import DEFAULT_OUTPUT

    assert str(_cli_default("view", "output")) == DEFAULT_OUTPUT


def test_the_quick_path_flushes_its_whole_answer_before_leaving(tmp_path: Path) -> None:
    """A core query ends with os._exit (kgraph.cli.start._leave): everything it wrote must still arrive."""
    env = {k: v for k, v in os.environ.items() if k != "KGRAPH_DATA"}
    env["KGRAPH_CACHE_DIR"] = str(tmp_path / "cache")
    for fmt in ("json", "csv"):
        proc = subprocess.run(
            [sys.executable, "-m", "kgraph", "facts", "--format", fmt],
            capture_output=True,
            text=True,
            check=False,
            env=env,
            timeout=60,
        )
        assert proc.returncode == 0 and proc.stderr == ""
        expected = run("facts", "--format", fmt).output
        assert proc.stdout == expected and len(expected) > 10_000
