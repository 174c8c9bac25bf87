"""The CLI reference page, written from the Typer application itself at build time.

MkDocs loads this file as a hook (``hooks:`` in mkdocs.yml). When it renders
``reference/cli.md`` it replaces the marker line ``<!-- cli-reference -->``
with one section per command and subcommand: its usage line, its help text,
its arguments and its options, exactly as ``kgraph COMMAND --help`` states
them. Nothing is copied by hand, so the page cannot drift from the code:
a new command, option or help text appears on the next build.

tests/test_docs_site.py imports :func:`reference` and checks that every
command of the Click tree (walked there independently) is in it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

MARKER = "<!-- cli-reference -->"
PAGE = "reference/cli.md"
_CODE_SPAN = re.compile(r"(`[^`]*`)")


@dataclass(frozen=True)
class Entry:
    """One command of the tree, with the Click context its help is rendered in."""

    path: tuple[str, ...]  # ("kgraph",), ("kgraph", "cache", "info"), …
    command: Any  # a Typer/Click command or group (Typer vendors its own Click, so no Click type here)
    context: Any

    @property
    def name(self) -> str:
        return " ".join(self.path)


def commands(app: Any = None) -> Iterator[Entry]:
    """The root command, then every visible command and subcommand, in ``--help`` order."""
    import typer

    if app is None:
        from kgraph.cli import app
    root = typer.main.get_command(app)
    yield from _walk(root, root.context_class(root, info_name="kgraph", **root.context_settings), ("kgraph",))


def _walk(command: Any, context: Any, path: tuple[str, ...]) -> Iterator[Entry]:
    yield Entry(path, command, context)
    if not hasattr(command, "list_commands"):
        return
    for name in command.list_commands(context):
        sub = command.get_command(context, name)
        if sub is None or sub.hidden:
            continue
        yield from _walk(sub, sub.context_class(sub, info_name=name, parent=context), (*path, name))


def _text(value: str) -> str:
    """Help text as Markdown: code spans kept, ``<`` and ``>`` elsewhere escaped (``<path>`` is no HTML tag)."""
    parts = _CODE_SPAN.split(value)
    return "".join(part if part.startswith("`") else html.escape(part, quote=False) for part in parts)


def _paragraphs(help_text: str) -> list[str]:
    """Click's help paragraphs, each joined onto one line (Click rewraps them too)."""
    blocks = [block.strip() for block in re.split(r"\n\s*\n", help_text.strip()) if block.strip()]
    return [" ".join(line.strip() for line in block.splitlines()) for block in blocks]


def _params(entry: Entry, kind: str) -> list[str]:
    """One list item per visible argument (``kind`` "argument") or option (``kind`` "option")."""
    lines: list[str] = []
    for param in entry.command.get_params(entry.context):
        if param.hidden or param.param_type_name != kind:
            continue
        record = param.get_help_record(entry.context)
        if record is None:
            continue
        declaration, help_text = record
        item = f"- `{declaration}`"
        if help_text:
            item += f": {_text(' '.join(help_text.split()))}"
        lines.append(item)
    return lines


def section(entry: Entry) -> str:
    """The Markdown of one command: heading, usage, help, arguments, options, subcommands."""
    depth = min(len(entry.path) + 1, 4)
    usage = entry.command.get_usage(entry.context).removeprefix("Usage:").strip()
    out = [f"{'#' * depth} `{entry.name}`", "", "```text", usage, "```", ""]
    out += [line for paragraph in _paragraphs(entry.command.help or "") for line in (_text(paragraph), "")]
    for title, kind in (("Arguments", "argument"), ("Options", "option")):
        items = _params(entry, kind)
        if items:
            out += [f"**{title}**", "", *items, ""]
    if hasattr(entry.command, "list_commands"):
        group, context = entry.command, entry.context
        subs = [name for name in group.list_commands(context) if not group.get_command(context, name).hidden]
        if subs:
            out += ["**Commands**: " + ", ".join(f"`{entry.name} {name}`" for name in subs), ""]
    return "\n".join(out)


def reference(app: Any = None) -> str:
    """The whole reference: every command's section, root first."""
    return "\n".join(section(entry) for entry in commands(app))


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    """MkDocs hook: put the generated reference where the CLI page has its marker."""
    if page.file.src_uri != PAGE:
        return markdown
    if MARKER not in markdown:
        raise ValueError(f"{PAGE} has no {MARKER} line for the generated reference")
    return markdown.replace(MARKER, reference())
