"""Where every value of a YAML file stands: the spans the editing commands splice at.

The strict reader (:mod:`kgraph.yamlread`) keeps where each value starts; an
edit also needs where it ends, to replace one scalar (an entity id in a
fact) or to insert after the last item of a list, leaving every other
character of the file as it was: comments, blank lines, quoting, order.
:func:`parse` reads libyaml's event stream once more (files that reach an
editing command have passed the strict loader) and returns a tree of
:class:`Node`, each with its start and end as character offsets into the
text.

:func:`scalar` writes a value the way a person would: plain when YAML reads
it back as the same string, double-quoted with escapes otherwise.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Node", "line_end", "line_start", "parse", "quoted", "scalar"]


@dataclass
class Node:
    """One value of the file: ``start``/``end`` are character offsets (end exclusive).

    The end of a block collection is the end of its last value (not the next
    token, as libyaml reports), so text inserted there goes right after the
    collection's content and before any comment or blank line that follows.
    """

    kind: str  # "scalar", "map" or "seq"
    start: int
    end: int
    flow: bool = False
    value: str | None = None  # a scalar's text
    style: str | None = None  # a scalar's quoting: "", "'", '"', "|", ">"
    column: int = 0  # 0-based column of the start
    items: list[Node] = field(default_factory=list)  # a sequence's items
    keys: dict[str, tuple[Node, Node]] = field(default_factory=dict)  # a mapping's key -> (key node, value)

    def get(self, key: str) -> Node | None:
        """The value of ``key`` in a mapping, or None."""
        pair = self.keys.get(key)
        return pair[1] if pair else None


def parse(text: str) -> Node:
    """The tree of one YAML document (a file the strict loader accepted)."""
    from yaml import events as ev
    from yaml._yaml import CParser

    bom = 1 if text.startswith("\ufeff") else 0
    parser = CParser(text.encode("utf-8"))
    get: Any = parser.get_event

    def at(mark: Any) -> int:
        return int(mark.index) + bom

    def node(e: Any) -> Node:
        start = at(e.start_mark)
        col = e.start_mark.column
        if isinstance(e, ev.ScalarEvent):
            return Node("scalar", start, at(e.end_mark), value=e.value, style=e.style or "", column=col)
        if isinstance(e, ev.AliasEvent):  # refused by the loader; treated as an opaque value
            return Node("scalar", start, at(e.end_mark), value=None, column=col)
        flow = bool(e.flow_style)
        if isinstance(e, ev.SequenceStartEvent):
            seq = Node("seq", start, start, flow=flow, column=col)
            while True:
                x = get()
                if isinstance(x, ev.SequenceEndEvent):
                    seq.end = at(x.end_mark) if flow else (seq.items[-1].end if seq.items else start)
                    return seq
                seq.items.append(node(x))
        m = Node("map", start, start, flow=flow, column=col)
        last = start
        while True:
            k = get()
            if isinstance(k, ev.MappingEndEvent):
                m.end = at(k.end_mark) if flow else last
                return m
            key = node(k)
            value = node(get())
            # an empty (null) value after "key:" has zero width at the next token: end after the key then
            last = max(key.end, value.end) if value.end > value.start else key.end
            if key.value is not None and key.value not in m.keys:
                m.keys[key.value] = (key, value)

    try:
        get()  # StreamStart
        get()  # DocumentStart
        return node(get())
    finally:
        parser.dispose()


def line_start(text: str, offset: int) -> int:
    """The offset of the start of the line holding ``offset``."""
    return text.rfind("\n", 0, offset) + 1


def line_end(text: str, offset: int) -> int:
    """The offset just after the line break ending the line that holds ``offset`` (or the end of the text).

    An offset at the very start of a line (a block scalar's end) is already a line's end.
    """
    if offset > 0 and text[offset - 1] == "\n":
        return offset
    nl = text.find("\n", offset)
    return len(text) if nl < 0 else nl + 1


_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._'’()/&+-]*")
_PLAIN_FLOW = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._'’/&+-]*")
_RESERVED = frozenset({"null", "Null", "NULL", "~", "true", "True", "TRUE", "false", "False", "FALSE"})
_ESCAPE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


def scalar(value: str, *, flow: bool = False) -> str:
    """``value`` as a YAML scalar that reads back as exactly this string.

    Plain when it is safe (letters, digits, spaces and a few marks, no
    leading or trailing space, nothing YAML would read as a null or a
    boolean), double-quoted otherwise, with every invisible character and
    line break escaped. ``flow`` is for a value inside ``[...]`` or ``{...}``,
    where brackets and commas need quotes too.

    >>> scalar("Belarus"), scalar("2021-12"), scalar("no: way"), scalar("null"), scalar('say "hi"')
    ('Belarus', '2021-12', '"no: way"', '"null"', '"say \\\\"hi\\\\""')
    """
    pattern = _PLAIN_FLOW if flow else _PLAIN
    if pattern.fullmatch(value) and value == value.strip() and value not in _RESERVED and "  " not in value:
        return value
    return quoted(value)


def quoted(value: str) -> str:
    """``value`` double-quoted, every invisible character and line break escaped (JSON's escapes are YAML's).

    >>> quoted('a "b"\u2028c')
    '"a \\\\"b\\\\"\\\\u2028c"'
    """
    text = json.dumps(value, ensure_ascii=False)
    return _ESCAPE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
