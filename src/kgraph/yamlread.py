"""Strict, fast YAML reading: libyaml's event stream turned into dicts and lists.

kgraph reads YAML like StrictYAML does: every scalar stays a string (so
``no`` is not ``False``, ``2021-12-03`` is not a ``date`` and ``1.10`` is not
``1.1``) and the field that reads it decides its type. Tags, anchors and
aliases, duplicate keys and non-string keys are refused. Every mapping and
sequence remembers where its items are, so each problem can be reported as
``file:line:column``.

Building from libyaml's events (``yaml._yaml.CParser``) instead of its node
tree is also what makes loading fast: it skips PyYAML's per-node Python
resolver, and is several times quicker than ``yaml.load(…, CSafeLoader)``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .errors import Problem

__all__ = ["NULLS", "Value", "YList", "YMap", "read_yaml"]

NULLS = frozenset({"", "~", "null", "Null", "NULL"})


class YMap(dict[str, "Value"]):
    """A YAML mapping; ``pos[key]`` is ``(key_line, key_col, value_line, value_col)``, 1-based."""

    __slots__ = ("column", "line", "pos")

    def __init__(self, line: int, column: int) -> None:
        super().__init__()
        self.line = line
        self.column = column
        self.pos: dict[str, tuple[int, int, int, int]] = {}

    def key_at(self, key: str) -> tuple[int, int]:
        p = self.pos[key]
        return p[0], p[1]

    def value_at(self, key: str) -> tuple[int, int]:
        p = self.pos[key]
        return p[2], p[3]


class YList(list["Value"]):
    """A YAML sequence; ``pos[i]`` is the ``(line, col)`` of item ``i``, 1-based."""

    __slots__ = ("column", "line", "pos")

    def __init__(self, line: int, column: int) -> None:
        super().__init__()
        self.line = line
        self.column = column
        self.pos: list[tuple[int, int]] = []


Value = str | None | YMap | YList


class _Refused(Exception):
    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.column = column
        self.message = message


def read_yaml(data: bytes | str, path: str) -> tuple[Value, list[Problem]]:
    """Parse one YAML document. Returns ``(value, problems)``; value is None on failure.

    Refused decorations (duplicate keys, tags, anchors, aliases) are reported
    and read past, so the rest of the file is still checked: a duplicate key
    keeps its first value, an alias reads as its anchor's value.

    >>> doc, problems = read_yaml(b"a: [x, 'no']\\n", "t.yaml")
    >>> doc, problems
    ({'a': ['x', 'no']}, [])
    >>> read_yaml(b"a: 1\\na: 2\\n", "t.yaml")[1][0].message
    "duplicate key 'a' (first at line 1)"
    """
    import yaml
    from yaml import events as ev
    from yaml._yaml import CParser
    from yaml.resolver import BaseResolver

    class _Parser(CParser, BaseResolver):
        def __init__(self, stream: bytes | str) -> None:
            CParser.__init__(self, stream)
            BaseResolver.__init__(self)

    parser = _Parser(data)
    get: Callable[[], Any] = parser.get_event  # events are read by attribute; typed loosely
    found: list[Problem] = []  # refused decorations: reported, then read past, so later problems show too
    anchored: dict[str, Value] = {}
    scalar_t, map_t, seq_t = ev.ScalarEvent, ev.MappingStartEvent, ev.SequenceStartEvent
    map_end, seq_end, alias_t = ev.MappingEndEvent, ev.SequenceEndEvent, ev.AliasEvent

    def refuse_decorations(e: Any) -> None:
        mark = e.start_mark
        if e.anchor is not None:
            found.append(Problem(path, mark.line + 1, mark.column + 1,
                                 f"YAML anchors are not allowed (&{e.anchor}); write the value out"))
        tag = getattr(e, "tag", None)
        if tag is not None and not (type(e) is scalar_t and tag == "!" and not e.implicit[0]):
            found.append(Problem(path, mark.line + 1, mark.column + 1,
                                 f"YAML tags are not allowed ({tag}); write a plain value"))

    def node(e: Any) -> Value:
        value = plain_node(e)
        if type(e) is not alias_t and e.anchor is not None:
            anchored[e.anchor] = value  # so that an alias to it reads on (it is refused all the same)
        return value

    def plain_node(e: Any) -> Value:
        cls = type(e)
        if cls is scalar_t:
            if e.anchor is not None or e.tag is not None:
                refuse_decorations(e)
            value: str = e.value
            if e.implicit[0] and value in NULLS:
                return None  # a plain (unquoted) null; quoted "" stays a string
            return value
        if cls is map_t:
            if e.anchor is not None or e.tag is not None:
                refuse_decorations(e)
            mark = e.start_mark
            m = YMap(mark.line + 1, mark.column + 1)
            while True:
                k = get()
                if type(k) is map_end:
                    return m
                km = k.start_mark
                if type(k) is not scalar_t:
                    if type(k) is alias_t:
                        raise _Refused(km.line + 1, km.column + 1, f"YAML aliases are not allowed (*{k.anchor})")
                    raise _Refused(km.line + 1, km.column + 1, "mapping keys must be plain strings")
                if k.anchor is not None or k.tag is not None:
                    refuse_decorations(k)
                key = k.value
                v = get()
                vm = v.start_mark
                if key in m.pos:
                    found.append(Problem(path, km.line + 1, km.column + 1,
                                         f"duplicate key {key!r} (first at line {m.pos[key][0]})"))
                    node(v)  # read past it; the first value stays
                    continue
                m.pos[key] = (km.line + 1, km.column + 1, vm.line + 1, vm.column + 1)
                m[key] = node(v)
        if cls is seq_t:
            if e.anchor is not None or e.tag is not None:
                refuse_decorations(e)
            mark = e.start_mark
            s = YList(mark.line + 1, mark.column + 1)
            while True:
                x = get()
                if type(x) is seq_end:
                    return s
                xm = x.start_mark
                s.pos.append((xm.line + 1, xm.column + 1))
                s.append(node(x))
        if cls is alias_t:
            mark = e.start_mark
            found.append(Problem(path, mark.line + 1, mark.column + 1,
                                 f"YAML aliases are not allowed (*{e.anchor}); write the value out"))
            return anchored.get(e.anchor)
        raise _Refused(e.start_mark.line + 1, e.start_mark.column + 1, f"unexpected YAML event {cls.__name__}")

    try:
        get()  # StreamStart
        first = get()
        if type(first) is ev.StreamEndEvent:
            return None, [Problem(path, 0, 0, "the file is empty")]
        value = node(get())
        get()  # DocumentEnd
        nxt = get()
        if type(nxt) is not ev.StreamEndEvent:
            m = nxt.start_mark
            return None, found + [Problem(path, m.line + 1, m.column + 1, "only one YAML document per file is allowed")]
        return value, found
    except _Refused as r:
        return None, found + [Problem(path, r.line, r.column, r.message)]
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        what = err.problem or str(err)
        if err.context:
            what = f"{what} ({err.context})"
        return None, found + [Problem(path, line, col, f"invalid YAML: {what}")]
    except yaml.reader.ReaderError as err:  # bad encoding, control characters
        head = data[: err.position]
        nl = b"\n" if isinstance(head, bytes) else "\n"
        line = head.count(nl) + 1  # type: ignore[arg-type]
        column = err.position - (head.rfind(nl) + 1) + 1  # type: ignore[arg-type]
        what = f"character #x{err.character:04x}" if isinstance(err.character, int) else repr(err.character)
        return None, [Problem(path, line, column, f"invalid YAML: {what}: {err.reason}")]
    except yaml.YAMLError as err:
        return None, [Problem(path, 0, 0, f"invalid YAML: {err}")]
    finally:
        parser.dispose()
