"""What start-up imports: `--help`, `--version` and the core queries load nothing heavy.

Timings are the benchmark's business (bench/run.py); these tests pin down the
behaviour that makes start-up fast, in a fresh interpreter each, by looking at
``sys.modules`` after the command ran.
"""

from __future__ import annotations

import importlib
import inspect
import json
import os
import subprocess
import sys
import types
import typing
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

HEAVY = ("networkx", "rich", "rdflib", "lxml", "igraph", "pyoxigraph", "matplotlib", "scipy", "numpy", "pandas")
# What the quick paths (kgraph.cli.start, kgraph.cli.quick) answer without: Typer, its Click and its pydantic
PARSERS = ("typer", "click", "pydantic", "pydantic_core")

# Runs the real entry point with stdout a pipe, then reports the modules imported, on stderr.
# (The quick path ends with os._exit, which would end the probe too: here it raises SystemExit instead.)
PROBE = """
import json, sys
from kgraph.cli import main, start
def leave(code):
    raise SystemExit(code)
start._leave = leave
sys.argv = ["kgraph", *sys.argv[1:]]
try:
    main()
except SystemExit as e:
    code = e.code
else:
    code = 0
sys.stdout.flush()
sys.stderr.write("\\nMODULES " + json.dumps({"code": code, "modules": sorted(sys.modules)}) + "\\n")
"""


def run_cli(*args: str, tmp_path: Path) -> tuple[str, int, set[str]]:
    env = {**os.environ, "KGRAPH_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("KGRAPH_DATA", None)
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    tail = proc.stderr.rsplit("MODULES ", 1)
    assert len(tail) == 2, proc.stderr
    report = json.loads(tail[1])
    return proc.stdout, int(report["code"] or 0), set(report["modules"])


def heavy_in(modules: set[str], heavy: tuple[str, ...] = HEAVY) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in heavy)


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["who-supports", "--help"], ["cache", "--help"]])
def test_help_and_version_import_nothing_heavy(args: list[str], tmp_path: Path) -> None:
    _out, code, modules = run_cli(*args, tmp_path=tmp_path)
    assert code == 0
    assert heavy_in(modules) == []  # not networkx, and not even Rich: piped help is plain text
    assert "yaml" not in modules  # nothing is loaded to print help


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["-h"]])
def test_version_and_piped_root_help_import_no_typer(args: list[str], tmp_path: Path) -> None:
    out, code, modules = run_cli(*args, tmp_path=tmp_path)
    assert code == 0 and out
    assert heavy_in(modules, PARSERS) == []


def test_version_prints_the_version(tmp_path: Path) -> None:
    import kgraph

    out, code, _modules = run_cli("--version", tmp_path=tmp_path)
    assert (out, code) == (f"kgraph {kgraph.__version__}\n", 0)


def test_piped_help_is_plain_text_with_every_command(tmp_path: Path) -> None:
    out, code, _ = run_cli("--help", tmp_path=tmp_path)
    assert code == 0
    assert out.startswith("Usage: kgraph [OPTIONS] COMMAND [ARGS]...")
    assert not any(c in out for c in "╭╮╰╯│─")  # no Rich boxes, no escape codes in a pipe
    assert "\x1b[" not in out
    for command in ("who-supports", "path", "neighbours", "cache", "--no-cache"):
        assert command in out


@pytest.mark.parametrize(
    "args",
    [
        ["who-supports", "belarus"],
        ["neighbours", "belarus"],
        ["facts", "--subject", "china"],
        ["entity", "Minsk"],
        ["path", "china", "russia"],
        ["path", "china", "russia", "--all", "--relation", "cooperates"],
        ["relations"],
        ["explain", "china", "belarus"],
    ],
)
def test_core_queries_answer_without_networkx_or_rich(args: list[str], tmp_path: Path) -> None:
    for attempt in ("cold", "warm"):  # reading the files, then from the cache
        out, code, modules = run_cli(*args, "--format", "json", tmp_path=tmp_path)
        assert code == 0, attempt
        assert json.loads(out)
        assert heavy_in(modules) == [], attempt
        assert heavy_in(modules, PARSERS) == [], attempt  # read by kgraph.cli.quick, not Typer


def test_importing_the_cli_imports_nothing_heavy(tmp_path: Path) -> None:
    code = "import json, sys, kgraph.cli; print(json.dumps(sorted(sys.modules)))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    modules = set(json.loads(proc.stdout))
    assert heavy_in(modules) == []
    assert "yaml" not in modules


# Prints the root help twice: through the light copy main() uses for `kgraph --help`, and through the
# full app (every command built), in the markup mode given.
HELP_TWICE = """
import sys
from kgraph.cli import app
from kgraph.cli.app import _root_help_app
app.rich_markup_mode = None if sys.argv[1] == "plain" else "rich"
for target in (_root_help_app(), app):
    try:
        target(args=["--help"], prog_name="kgraph", standalone_mode=False)
    except SystemExit:
        pass
    sys.stdout.write("\\n=====\\n")
"""


@pytest.mark.parametrize("mode", ["plain", "rich"])
def test_the_quick_root_help_is_the_full_help(mode: str) -> None:
    env = {**os.environ, "COLUMNS": "100", "TERM": "dumb", "NO_COLOR": "1"}
    proc = subprocess.run(
        [sys.executable, "-c", HELP_TWICE, mode], capture_output=True, text=True, env=env, timeout=60, check=True
    )
    light, full, rest = proc.stdout.split("\n=====\n")
    assert rest == ""
    assert "who-supports" in full and "cache" in full
    assert light == full


def test_main_leaves_the_app_as_it_found_it(capsys: pytest.CaptureFixture[str]) -> None:
    from kgraph.cli import app, main

    before = app.rich_markup_mode
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.startswith("Usage: kgraph")
    assert app.rich_markup_mode == before  # plain help in a pipe did not stick to the app


def test_the_stored_root_help_is_what_typer_prints() -> None:
    """help.txt (printed by main() for a piped `kgraph --help`) is Typer's text: it can never go stale."""
    probe = (
        "import contextlib, io, sys\n"
        "from kgraph.cli.start import ROOT_HELP, main, typer_main\n"
        "outs = []\n"
        "for run in (main, typer_main):\n"
        "    out = io.StringIO()\n"
        "    with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):\n"
        "        run(['--help'])\n"
        "    outs.append(out.getvalue())\n"
        "sys.stdout.write('\\n=====\\n'.join([ROOT_HELP.read_text(encoding='utf-8'), *outs]))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    proc = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60, check=True
    )
    stored, printed, typer_text = proc.stdout.split("\n=====\n")
    assert "who-supports" in typer_text and "--no-cache" in typer_text
    hint = 'refresh it: python -c "from kgraph.cli.start import write_root_help; write_root_help()"'
    assert stored == typer_text, hint
    assert printed == stored


@pytest.mark.parametrize("columns", ["60", "79", "wide"])
def test_narrow_or_odd_columns_leave_help_to_typer(columns: str, tmp_path: Path) -> None:
    env = {**os.environ, "COLUMNS": columns, "KGRAPH_CACHE_DIR": str(tmp_path)}
    probe = "from kgraph.cli import main\nmain(['--help'])"
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 0
    from kgraph.cli.start import ROOT_HELP

    if columns.isdigit():  # Click wraps to the width asked for; the stored text is 80 columns wide
        assert proc.stdout != ROOT_HELP.read_text(encoding="utf-8")
    assert proc.stdout.startswith("Usage: kgraph [OPTIONS] COMMAND [ARGS]...")


# -- the quick path reads a command line exactly as Typer does ----------------------------------------------------


def _kind(hint: Any) -> str:
    """The quick path's kind of a Typer parameter, from its annotation."""
    from kgraph.cli import quick
    from kgraph.tables import Format

    base, *meta = typing.get_args(hint) if typing.get_origin(hint) is typing.Annotated else (hint,)
    options = [m for m in meta if hasattr(m, "min")]
    args = [a for a in typing.get_args(base) if a is not type(None)]
    plain = args[0] if typing.get_origin(base) in (types.UnionType, typing.Union) and len(args) == 1 else base
    if plain is int:
        assert options and options[0].min == 1, "the quick path reads whole numbers of at least 1"
        return quick.COUNT
    if typing.get_origin(plain) is list:
        return quick.MANY
    return {bool: quick.FLAG, str: quick.TEXT, Path: quick.PATH, Format: quick.FORMAT}[plain]


@pytest.mark.parametrize(
    "name", ["who-supports", "who-opposes", "path", "neighbours", "facts", "entity", "stats", "relations", "explain"]
)
def test_the_quick_spec_is_the_typer_command(name: str) -> None:
    """Every argument and option of the Typer command, its kind and default, is in kgraph.cli.quick.COMMANDS."""
    import typer

    from kgraph.cli import commands_app, edge, quick

    group = typer.main.get_command(commands_app())
    command = group.commands[name]  # type: ignore[attr-defined]
    spec = quick.COMMANDS[name]
    callback = next((i.callback for i in commands_app().registered_commands if i.name == name), None)
    if callback is None:  # a group that answers when given no subcommand (`relations`): its callback's parameters
        groups = commands_app().registered_groups
        info = next(g.typer_instance.registered_callback for g in groups if g.typer_instance.info.name == name)
        callback = info.callback
    hints = typing.get_type_hints(inspect.unwrap(callback), include_extras=True)
    arguments = tuple(p.name for p in command.params if p.param_type_name == "argument")
    options: dict[str, tuple[str, str]] = {}
    defaults: dict[str, Any] = {}
    for p in command.params:
        if p.param_type_name == "option":
            for opt in [*p.opts, *p.secondary_opts]:
                options[opt] = (p.name, _kind(hints[p.name]))
            defaults[p.name] = p.default
    assert arguments == spec.arguments
    assert options == {**spec.options, **quick.SHARED}
    assert defaults == {**spec.defaults, **quick._SHARED_DEFAULTS}
    root = {opt for p in group.params for opt in p.opts}
    # what quick.parse reads before a command (--version is answered before it)
    assert root == {"--version", "--traceback", "--no-cache", *quick._ROOT}
    assert all(name in edge.STORE_COMMANDS for name in quick.COMMANDS)  # so no root --store is refused on the path


WORDS = ["belarus", "china", "Minsk", "Xi Jinping", "some/dir", "2021-05", "cooperates", "é ü", "a=b"]
ODD_WORDS = ["", "-x", "--", "-", "--help", "-h", "--bogus", "-z", "-fjson", "--direct=1"]
VALUES = {
    "text": ["belarus", "2021", "2021-05-01", "out", "x y", "a=b"],
    "many": ["cooperates", "opposes", "src-1"],
    "path": ["d", "some/dir", "~/data", "./x"],
    "format": ["json", "table", "csv"],
    "count": ["1", "2", "3", "20", "123456789"],
}
ODD_VALUES = ["JSON", "0", "007", "+3", "-1", "", "--data", "1.5", "1_0", "٣", "1234567890"]


@st.composite
def command_lines(draw: st.DrawFn) -> list[str]:
    """Command lines for the quick path's commands: mostly well formed, with an odd word now and then."""
    from kgraph.cli import quick

    root = draw(
        st.sampled_from(
            [
                [],
                ["--no-cache"],
                ["--data", "d"],
                ["-d", "e"],
                ["--traceback"],
                ["--data=f"],
                ["--store", "http://s:1"],
                ["--store=http://s:2", "--store-user", "u", "--store-base=http://b/"],
                ["--store-base", "http://b/", "--data", "d"],
                ["--store", "http://s:1", "--store", "http://s:3"],
            ]
        )
    )
    name = draw(st.sampled_from([*quick.COMMANDS, "explain", "who-support"]))
    spec = quick.COMMANDS.get(name, quick.Spec(""))
    options = sorted({**spec.options, **quick.SHARED}.items())
    arguments = draw(st.lists(st.sampled_from(WORDS), min_size=len(spec.arguments), max_size=len(spec.arguments)))
    if draw(st.integers(0, 9)) == 0:
        arguments = arguments[1:] if arguments and draw(st.booleans()) else [*arguments, "extra"]
    words: list[list[str]] = [[a] for a in arguments]
    for _ in range(draw(st.integers(0, 5))):
        opt, (_param, kind) = draw(st.sampled_from(options))
        odd = draw(st.integers(0, 9)) == 0
        if kind == quick.FLAG:
            words.append([opt] if not odd else [f"{opt}=yes"])
            continue
        value = draw(st.sampled_from(ODD_VALUES if odd else VALUES[kind]))
        words.append([f"{opt}={value}"] if opt.startswith("--") and draw(st.booleans()) else [opt, value])
    if draw(st.integers(0, 9)) == 0:
        words.append([draw(st.sampled_from(ODD_WORDS))])
    order = draw(st.permutations(range(len(words))))
    return [*root, name, *(w for k in order for w in words[k])]


class Calls:
    """What a command did once parsed: the load (with the root options' state), the query, the output."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from kgraph.cli import analysis, commands_app, core, edge, quick

        commands_app()
        self.log: list[Any] = []
        for module in (core, edge, analysis):
            monkeypatch.setattr(module, "load_graph", self.load)
            monkeypatch.setattr(module, "output", self.output)
        for spec in quick.COMMANDS.values():
            monkeypatch.setattr(importlib.import_module(f"kgraph.{spec.module}"), spec.query, self.asker(spec.query))

    def load(self, data: Any, **kwargs: Any) -> str:
        from kgraph.cli.edge import state

        self.log.append(
            ("load", data, kwargs, state.data, state.no_cache, state.traceback)
            + (state.store, state.store_user, state.store_base)
        )
        return "the graph"

    def asker(self, name: str) -> Any:
        def ask(kg: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
            self.log.append(("query", name, kg, args, kwargs))
            return {"answer": name}

        return ask

    def output(self, answer: Any, fmt: Any, table: str) -> None:
        self.log.append(("output", answer, fmt, type(fmt), table))

    def of(self, run: Any, *args: Any) -> tuple[Any, list[Any]]:
        self.log = []
        with pytest.raises(SystemExit) as done:
            run(*args)
        return done.value.code, self.log


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(argv=command_lines())
def test_the_quick_path_reads_command_lines_as_typer(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from kgraph.cli import quick
    from kgraph.cli.start import typer_main

    monkeypatch.delenv("KGRAPH_DEBUG", raising=False)
    job = quick.parse(argv, {})
    if job is None:
        return  # left to Typer, which answers as it always has
    calls = Calls(monkeypatch)
    assert calls.of(quick.run, job) == calls.of(typer_main, argv)


@pytest.mark.parametrize(
    "argv",
    [
        ["who-supports", "belarus"],
        ["who-supports", "belarus", "--format", "json"],
        ["--data", "d", "who-opposes", "--direct", "Minsk", "--min-sources=2", "-f", "csv", "--hedged"],
        ["path", "china", "russia", "--all", "--max-hops", "3", "-r", "cooperates", "--relation", "opposes"],
        ["--no-cache", "neighbours", "belarus", "--depth", "2", "--direction", "out", "--since", "2020"],
        ["facts", "-s", "china", "--object", "belarus", "-e", "x", "--source", "a", "--source", "b"],
        ["entity", "Xi Jinping", "--as-of", "2021-05", "--until", "2022"],
        ["--traceback", "stats", "-d", "x"],
        ["--store", "http://127.0.0.1:7878", "who-supports", "belarus", "-f", "json"],
        ["--store-user", "dba", "--store=http://s:1", "--store-base", "http://b/", "path", "china", "russia"],
    ],
)
def test_plain_command_lines_take_the_quick_path(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from kgraph.cli import quick
    from kgraph.cli.start import typer_main

    monkeypatch.delenv("KGRAPH_DEBUG", raising=False)
    job = quick.parse(argv, {})
    assert job is not None
    calls = Calls(monkeypatch)
    code, log = calls.of(quick.run, job)
    assert (code, log) == calls.of(typer_main, argv)
    assert [entry[0] for entry in log] == ["load", "query", "output"]


@pytest.mark.parametrize(
    "argv",
    [
        ["who-supports", "belarus", "--help"],
        ["who-supports", "belarus", "--format", "JSON"],
        ["path", "china"],
        ["path", "china", "russia", "--limit", "0"],
        ["path", "china", "russia", "--limit", "007"],
        ["facts", "--subject"],
        ["facts", "-s", "-x"],
        ["entity", "--", "-x"],
        ["entity", ""],
        ["stats", "--format", "json", "--format", "csv"],
        ["who-supports", "belarus", "--direct=true"],
        ["-fjson", "stats"],
        ["stats", "-fjson"],
        ["--version", "stats"],
        ["validate"],
        ["who-suports", "belarus"],
        [],
    ],
)
def test_anything_unusual_is_left_to_typer(argv: list[str]) -> None:
    from kgraph.cli import quick

    assert quick.parse(argv, {}) is None
    assert quick.parse(["stats"], {"KGRAPH_NO_CACHE": "1"}) is None
