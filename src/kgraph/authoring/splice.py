"""Text edits at the positions of :mod:`kgraph.authoring.yamltree`: append, remove, replace, nothing else moves.

Each function takes a file's text and returns the new text; the bytes
outside the edited span are the same. Block lists (``- key: value`` items)
and an empty flow list (``facts: []``) are handled; a non-empty flow list
(``[{...}, {...}]``) is refused, since rewriting it would reformat the
curator's lines.
"""

from __future__ import annotations

from ..errors import UsageError
from .yamltree import Node, line_end, line_start, scalar

__all__ = ["add_to_flow_or_block_list", "append_item", "remove_item", "replace"]


def _crlf(text: str, lines: str) -> str:
    """``lines`` with the file's own line ending: a file written with CRLF gets CRLF lines."""
    return lines.replace("\n", "\r\n") if "\r\n" in text else lines


def replace(text: str, node: Node, new: str) -> str:
    """``text`` with ``node``'s span replaced by ``new`` (already YAML)."""
    return text[: node.start] + new + text[node.end :]


def _dash_column(text: str, item: Node) -> int:
    """The column of the ``-`` that starts a block list item."""
    start = line_start(text, item.start)
    dash = text.rfind("-", start, item.start)
    return dash - start if dash >= 0 else item.column


def _blank_between(text: str, seq: Node) -> bool:
    """Whether the list's items are separated by a blank line (the new one follows suit)."""
    if len(seq.items) < 2:
        return True  # (the style of the bundled data)
    a, b = seq.items[-2], seq.items[-1]
    between = text[line_end(text, a.end) : line_start(text, b.start)]
    return any(not line.strip() for line in between.split("\n")[:-1])


def _colon(text: str, key: Node) -> int:
    return text.index(":", key.end)


def append_item(
    text: str, top: Node, key: str, fields: list[tuple[str, str]], after: Node | None = None
) -> tuple[str, int, str]:
    """Add a mapping item (``fields``: key and YAML value) to the list under ``top[key]``.

    It goes after ``after`` (an item of the list), else after the last item.
    Returns the new text, the 1-based line the item starts on, and the text inserted.
    """
    pair = top.keys.get(key)
    if pair is None:
        raise UsageError(f"the file has no {key!r} list to add to")
    key_node, seq = pair
    if seq.kind == "seq" and not seq.flow and seq.items:
        last = after if after is not None else seq.items[-1]
        dash = _dash_column(text, last)
        indent = last.column
        at = line_end(text, last.end)
        lines = _crlf(text, _lines(fields, dash, indent))
        block = _crlf(text, "\n" if _blank_between(text, seq) else "") + lines
        if at == len(text) and not text.endswith("\n"):
            block = _crlf(text, "\n") + block
        new = text[:at] + block + text[at:]
        line = new.count("\n", 0, at + len(block) - len(lines)) + 1
        return new, line, lines
    empty = (seq.kind == "seq" and not seq.items) or (seq.kind == "scalar" and seq.value in (None, "", "~", "null"))
    if not empty or seq.style not in (None, ""):
        raise UsageError(
            f"{key!r} is not written as a block list ('- ' items), which kgraph cannot add to without "
            "reformatting it; write it as a block list first"
        )
    colon = _colon(text, key_node)
    end = seq.end if seq.end > seq.start else colon + 1
    lines = _crlf(text, _lines(fields, key_node.column + 2, key_node.column + 4))
    new = text[: colon + 1] + _crlf(text, "\n") + lines.rstrip("\r\n") + text[end:]
    line = new.count("\n", 0, colon + 1) + 2
    return new, line, lines


def _lines(fields: list[tuple[str, str]], dash: int, indent: int) -> str:
    out = []
    for i, (k, v) in enumerate(fields):
        lead = " " * dash + "- " + " " * (indent - dash - 2) if i == 0 else " " * indent
        out.append(f"{lead}{k}: {v}\n")
    return "".join(out)


def remove_item(text: str, seq: Node, item: Node) -> str:
    """``text`` without one block list item (its lines); one blank line is kept between its neighbours."""
    if seq.flow:
        raise UsageError("the list is written in flow style ([...]); kgraph cannot remove an item from it")
    start = line_start(text, item.start)
    end = line_end(text, item.end)
    before_blank = start == 0 or text[line_start(text, start - 1) : start].strip() == ""
    nxt = text.find("\n", end)
    after_line = text[end : (len(text) if nxt < 0 else nxt + 1)]
    if before_blank and end < len(text) and after_line.strip() == "":
        end += len(after_line)
    return text[:start] + text[end:]


def add_to_flow_or_block_list(text: str, mapping: Node, key: str, values: list[str], after_key: str) -> str:
    """Append string ``values`` to the list ``mapping[key]`` (flow or block); create it after ``after_key``."""
    if not values:
        return text
    pair = mapping.keys.get(key)
    if pair is None:
        anchor = mapping.get(after_key)
        if mapping.flow or anchor is None:
            raise UsageError(f"cannot add {key!r} to a mapping written in flow style ({{...}})")
        at = line_end(text, anchor.end)
        line = _crlf(text, " " * mapping.column + f"{key}: [{', '.join(scalar(v, flow=True) for v in values)}]\n")
        return text[:at] + line + text[at:]
    seq = pair[1]
    if seq.kind != "seq":
        raise UsageError(f"{key!r} is not a list")
    if seq.flow:
        if seq.items:
            at = seq.items[-1].end
            return text[:at] + "".join(", " + scalar(v, flow=True) for v in values) + text[at:]
        return replace(text, seq, "[" + ", ".join(scalar(v, flow=True) for v in values) + "]")
    last = seq.items[-1]
    at = line_end(text, last.end)
    dash = _dash_column(text, last)
    return text[:at] + _crlf(text, "".join(" " * dash + "- " + scalar(v) + "\n" for v in values)) + text[at:]
