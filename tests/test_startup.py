"""What start-up imports: `--help`, `--version` and the core queries load nothing heavy.

Timings are the benchmark's business (bench/run.py); these tests pin down the
behaviour that makes start-up fast, in a fresh interpreter each, by looking at
``sys.modules`` after the command ran.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("networkx", "rich", "rdflib", "lxml", "igraph", "pyoxigraph", "matplotlib", "scipy", "numpy", "pandas")

# Runs the real entry point with stdout a pipe, then reports the modules imported, on stderr.
PROBE = """
import json, sys
from kgraph.cli import main
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


def heavy_in(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in HEAVY)


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["who-supports", "--help"], ["cache", "--help"]])
def test_help_and_version_import_nothing_heavy(args: list[str], tmp_path: Path) -> None:
    _out, code, modules = run_cli(*args, tmp_path=tmp_path)
    assert code == 0
    assert heavy_in(modules) == []  # not networkx, and not even Rich: piped help is plain text
    assert "yaml" not in modules  # nothing is loaded to print help


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
    ],
)
def test_core_queries_answer_without_networkx_or_rich(args: list[str], tmp_path: Path) -> None:
    for attempt in ("cold", "warm"):  # reading the files, then from the cache
        out, code, modules = run_cli(*args, "--format", "json", tmp_path=tmp_path)
        assert code == 0, attempt
        assert json.loads(out)
        assert heavy_in(modules) == [], attempt


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
