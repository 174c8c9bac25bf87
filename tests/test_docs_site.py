"""The documentation site: it builds with ``mkdocs build --strict``, and its CLI reference covers every command.

The reference page is generated from the Typer app by docs/cli_reference.py (a MkDocs hook). Here the
Click command tree is walked on its own, so a command the generator skipped, or an option it dropped,
fails a test rather than going missing from the site.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import typer

from kgraph.cli import app

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("kgraph_docs_cli_reference", DOCS / "cli_reference.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks its module up while being defined
    spec.loader.exec_module(module)
    return module


def _tree() -> list[tuple[str, Any, Any]]:
    """(full name, command, context) for every visible command and subcommand of the app."""
    root = typer.main.get_command(app)
    found: list[tuple[str, Any, Any]] = []

    def walk(command: Any, context: Any, name: str) -> None:
        for sub_name in getattr(command, "commands", {}):
            sub = command.commands[sub_name]
            if sub.hidden:
                continue
            sub_context = sub.context_class(sub, info_name=sub_name, parent=context)
            found.append((f"{name} {sub_name}", sub, sub_context))
            walk(sub, sub_context, f"{name} {sub_name}")

    walk(root, root.context_class(root, info_name="kgraph", **root.context_settings), "kgraph")
    return found


def test_the_tree_has_the_commands_and_subcommands_users_know() -> None:
    names = {name for name, _, _ in _tree()}
    assert {"kgraph who-supports", "kgraph export", "kgraph cache info", "kgraph entities rename"} <= names


def test_every_command_has_its_own_section_in_the_reference() -> None:
    text = _generator().reference()
    for name, _, _ in _tree():
        heading = f"# `{name}`\n"
        assert heading in text, f"{name} is missing from the CLI reference"


def test_every_option_and_argument_is_in_its_commands_section() -> None:
    text = _generator().reference()
    for name, command, context in _tree():
        start = text.index(f"# `{name}`\n")
        end = text.find("\n#", start + 1)
        section = text[start : end if end != -1 else len(text)]
        assert command.get_usage(context).removeprefix("Usage:").strip() in section, name
        for param in command.get_params(context):
            record = param.get_help_record(context)
            if param.hidden or record is None:
                continue
            assert f"`{record[0]}`" in section, f"{name}: {record[0]} is missing"


def test_help_text_that_looks_like_html_is_escaped() -> None:
    text = _generator().reference()
    # `-d, --data <path>` is code, shown as is; nowhere is there a bare <path> tag outside code
    assert "`-d, --data <path>`" in text
    prose = "".join(part for i, part in enumerate(text.split("`")) if i % 2 == 0)
    assert "<path>" not in prose and "<str>" not in prose


def test_the_hook_refuses_a_cli_page_without_its_marker() -> None:
    generator = _generator()

    class File:
        src_uri = generator.PAGE

    class Page:
        file = File()

    with pytest.raises(ValueError, match="cli-reference"):
        generator.on_page_markdown("# CLI reference\n", page=Page())
    assert "### `kgraph stats`" in generator.on_page_markdown(generator.MARKER, page=Page())


def test_mkdocs_build_strict_passes(tmp_path: Path) -> None:
    pytest.importorskip("material", reason="mkdocs-material is not installed: pip install -e '.[test]' installs it")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    page = (tmp_path / "site" / "reference" / "cli" / "index.html").read_text(encoding="utf-8")
    for name, _, _ in _tree():
        assert name in page, f"{name} is not on the built CLI reference page"
    assert "<!-- cli-reference -->" not in page  # the marker was replaced
