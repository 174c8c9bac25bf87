"""Strict, fast YAML reading: libyaml's event stream turned into dicts and lists.

kgraph reads YAML like StrictYAML does: every scalar stays a string (so
``no`` is not ``False``, ``2021-12-03`` is not a ``date`` and ``1.10`` is not
``1.1``) and the field that reads it decides its type. Tags, anchors and
aliases, duplicate keys and non-string keys are refused, and so are files that
are not UTF-8 or still hold merge-conflict markers. Every mapping and
sequence remembers where its items are, so each problem can be reported as
``file:line:column``.

Building from libyaml's events (``yaml._yaml.CParser``) instead of its node
tree is also what makes loading fast: it skips PyYAML's per-node Python
resolver, and is several times quicker than ``yaml.load(…, CSafeLoader)``.
The event loop also enforces the nesting, size and count limits of
:mod:`kgraph.limits` as it goes, so a hostile file is refused at the node
that goes over a limit, never after it has been built: no recursion deeper
than the limit, no memory beyond it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

from .errors import Problem
from .limits import DEFAULTS, Limits

__all__ = ["MAX_YAML_PROBLEMS", "NULLS", "Value", "YList", "YMap", "read_yaml"]

NULLS = frozenset({"", "~", "null", "Null", "NULL"})
MAX_YAML_PROBLEMS = 10  # refused decorations reported for one file before it is given up on


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
_V = TypeVar("_V", YMap, YList)


class _Refused(Exception):
    """Reading stops here: a problem at ``line``:``column`` after which the file is not read on."""

    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.column = column
        self.message = message

    @classmethod
    def at(cls, mark: Any, message: str) -> _Refused:
        """Refused at a libyaml mark (0-based line and column)."""
        return cls(mark.line + 1, mark.column + 1, message)


def read_yaml(data: bytes | str, path: str, limits: Limits | None = None) -> tuple[Value, list[Problem]]:
    """Parse one YAML document. Returns ``(value, problems)``; value is None on failure.

    Refused decorations (duplicate keys, tags, anchors, aliases) are reported
    and read past, so the rest of the file is still checked: a duplicate key
    keeps its first value, an alias reads as its anchor's value (the same
    object, never a copy, so an "alias bomb" cannot expand). Going over one
    of the :mod:`~kgraph.limits` (nesting depth, items, values, value length)
    stops the reading at once, at the node that went over.

    >>> doc, problems = read_yaml(b"a: [x, 'no']\\n", "t.yaml")
    >>> doc, problems
    ({'a': ['x', 'no']}, [])
    >>> read_yaml(b"a: 1\\na: 2\\n", "t.yaml")[1][0].message
    "duplicate key 'a' (first at line 1)"
    """
    import yaml
    from yaml._yaml import CParser
    from yaml.resolver import BaseResolver

    refused = _refuse_before_parsing(data, path)
    if refused:
        return None, refused

    class _Parser(CParser, BaseResolver):
        def __init__(self, stream: bytes | str) -> None:
            CParser.__init__(self, stream)
            BaseResolver.__init__(self)

    parser = _Parser(data)
    events = _Events(parser.get_event, path, limits or DEFAULTS, len(data))
    try:
        return events.document(not data)
    except _Refused as r:
        return None, events.found + [Problem(path, r.line, r.column, r.message)]
    except yaml.MarkedYAMLError as err:
        return None, events.found + [_syntax_problem(err, data, path)]
    except yaml.reader.ReaderError as err:  # bad encoding, control characters
        return None, [_encoding_problem(err, data, path)]
    except yaml.YAMLError as err:
        return None, events.found + [Problem(path, 0, 0, f"invalid YAML: {err}")]
    finally:
        parser.dispose()


class _Events:
    """libyaml's events for one file turned into values, within the limits, refused decorations recorded.

    Each kind of node has its method; :meth:`node` picks it. Limits are
    checked as the events arrive, so nothing over a limit is ever built.
    """

    __slots__ = (
        "alias_t",
        "anchored",
        "budget",
        "counting",
        "depth",
        "ev",
        "found",
        "get",
        "limits",
        "map_t",
        "max_scalar",
        "path",
        "scalar_t",
        "seq_t",
    )

    def __init__(self, get: Callable[[], Any], path: str, limits: Limits, size: int) -> None:
        from yaml import events as ev

        self.ev = ev
        # the event classes, kept at hand: every node is dispatched on them
        self.scalar_t, self.map_t, self.seq_t, self.alias_t = (
            ev.ScalarEvent,
            ev.MappingStartEvent,
            ev.SequenceStartEvent,
            ev.AliasEvent,
        )
        self.get = get  # events are read by attribute; typed loosely
        self.path = path
        self.limits = limits
        self.found: list[Problem] = []  # refused decorations: reported, then read past, so later problems show too
        self.anchored: dict[str, Value] = {}
        # Every value takes at least one byte, so only a file of more bytes than a limit can go over it: small
        # files (all real ones) skip the per-value checks.
        self.max_scalar = limits.max_scalar_chars if size > limits.max_scalar_chars else 0
        self.counting = size >= min(limits.max_nodes, limits.max_items)
        self.depth = 0
        self.budget = limits.max_nodes  # values left before the file has too many

    def document(self, empty: bool) -> tuple[Value, list[Problem]]:
        """The one document of the stream, and the decorations refused in it."""
        ev, get = self.ev, self.get
        get()  # StreamStart
        if type(get()) is ev.StreamEndEvent:
            what = "the file is empty" if empty else "the file holds nothing but blank lines and comments"
            return None, [Problem(self.path, 0, 0, what)]
        value = self.node(get())
        get()  # DocumentEnd
        nxt = get()
        if type(nxt) is not ev.StreamEndEvent:
            m = nxt.start_mark
            problem = Problem(self.path, m.line + 1, m.column + 1, "only one YAML document per file is allowed")
            return None, self.found + [problem]
        return value, self.found

    def node(self, e: Any) -> Value:
        """The value that starts with event ``e``."""
        cls = type(e)
        if cls is self.scalar_t:
            return self.scalar(e)
        if cls is self.map_t:
            return self.mapping(e)
        if cls is self.seq_t:
            return self.sequence(e)
        if cls is self.alias_t:
            self.add(e.start_mark, f"YAML aliases are not allowed (*{e.anchor}); write the value out")
            return self.anchored.get(e.anchor)
        raise _Refused.at(e.start_mark, f"unexpected YAML event {cls.__name__}")

    def scalar(self, e: Any) -> Value:
        """A plain value: text, or None for an unquoted null."""
        if e.anchor is not None or e.tag is not None:
            self.refuse_decorations(e)
        value: str = e.value
        if self.max_scalar and len(value) > self.max_scalar:
            raise self.too_many(e.start_mark, f"a value of {len(value):,} characters is too long", "max_scalar_chars")
        result = None if e.implicit[0] and value in NULLS else value  # a plain null; quoted "" stays a string
        if e.anchor is not None:
            self.anchored[e.anchor] = result  # so that an alias to it reads on (it is refused all the same)
        return result

    def mapping(self, e: Any) -> YMap:
        """A mapping, read to its end; a duplicate key is reported and keeps its first value."""
        mark = self.enter(e)
        m = YMap(mark.line + 1, mark.column + 1)
        get, end, counting, scalar_t = self.get, self.ev.MappingEndEvent, self.counting, self.scalar_t
        checked = self.max_scalar != 0  # (keys and values too long can only be in a big file)
        pos = m.pos
        while True:
            k = get()
            if type(k) is end:
                break
            # The common key and value, plain text with no decorations in a small file, are taken as they are,
            # without a call per value (``key``, ``node``, ``scalar`` decide the rest): this is the inner loop.
            plain = type(k) is scalar_t and k.anchor is None and k.tag is None and not checked
            key: str = k.value if plain else self.key(k)
            km = k.start_mark
            if counting:
                self.count(km, len(m), "a mapping with more than {:,} keys")
            v = get()
            if key in pos:
                self.add(km, f"duplicate key {key!r} (first at line {pos[key][0]})")
                self.node(v)  # read past it; the first value stays
                continue
            vm = v.start_mark
            pos[key] = (km.line + 1, km.column + 1, vm.line + 1, vm.column + 1)
            if type(v) is scalar_t and v.anchor is None and v.tag is None and not checked:
                text: str = v.value
                m[key] = None if v.implicit[0] and text in NULLS else text  # as ``scalar`` reads it
            else:
                m[key] = self.node(v)
        return self.leave(e, m)

    def sequence(self, e: Any) -> YList:
        """A list, read to its end."""
        mark = self.enter(e)
        s = YList(mark.line + 1, mark.column + 1)
        get, end, counting = self.get, self.ev.SequenceEndEvent, self.counting
        while True:
            x = get()
            if type(x) is end:
                break
            xm = x.start_mark
            if counting:
                self.count(xm, len(s), "a list with more than {:,} items")
            s.pos.append((xm.line + 1, xm.column + 1))
            s.append(self.node(x))
        return self.leave(e, s)

    def key(self, k: Any) -> str:
        """A mapping key: plain text only."""
        if type(k) is not self.scalar_t:
            if type(k) is self.alias_t:
                raise _Refused.at(k.start_mark, f"YAML aliases are not allowed (*{k.anchor})")
            raise _Refused.at(k.start_mark, "mapping keys must be plain strings")
        if k.anchor is not None or k.tag is not None:
            self.refuse_decorations(k)
        key: str = k.value
        if self.max_scalar and len(key) > self.max_scalar:
            raise self.too_many(k.start_mark, f"a key of {len(key):,} characters is too long", "max_scalar_chars")
        return key

    def enter(self, e: Any) -> Any:
        """A list or mapping starts: one level deeper (refused past the limit); its start mark."""
        if e.anchor is not None or e.tag is not None:
            self.refuse_decorations(e)
        self.depth += 1
        mark = e.start_mark
        if self.depth > self.limits.max_depth:
            raise _Refused.at(
                mark,
                f"lists and mappings are nested more than {self.limits.max_depth} deep here "
                f"({self.limits.hint('max_depth')})",
            )
        return mark

    def leave(self, e: Any, value: _V) -> _V:
        """A list or mapping ends: one level up, and an anchor on it remembered."""
        self.depth -= 1
        if e.anchor is not None:
            self.anchored[e.anchor] = value
        return value

    def count(self, mark: Any, size: int, too_big: str) -> None:
        """One more value in the file, and one more in a container of ``size``: refused past either limit."""
        self.budget -= 1
        if self.budget < 0:
            raise self.too_many(mark, f"the file has more than {self.limits.max_nodes:,} values", "max_nodes")
        if size >= self.limits.max_items:
            raise self.too_many(mark, too_big.format(self.limits.max_items), "max_items")

    def too_many(self, mark: Any, what: str, field: str) -> _Refused:
        return _Refused.at(mark, f"{what} ({self.limits.hint(field)})")

    def refuse_decorations(self, e: Any) -> None:
        """An anchor or a tag on a node is reported (and read past)."""
        mark = e.start_mark
        if e.anchor is not None:
            self.add(mark, f"YAML anchors are not allowed (&{e.anchor}); write the value out")
        tag = getattr(e, "tag", None)
        if tag is not None and not (type(e) is self.scalar_t and tag == "!" and not e.implicit[0]):
            self.add(mark, f"YAML tags are not allowed ({tag}); write a plain value")

    def add(self, mark: Any, message: str) -> None:
        """A refused decoration; past :data:`MAX_YAML_PROBLEMS` of them the file is given up on."""
        if len(self.found) >= MAX_YAML_PROBLEMS:
            raise _Refused.at(
                mark,
                f"more YAML problems follow the first {MAX_YAML_PROBLEMS}; stopped reading the file here "
                "(fix those first)",
            )
        self.found.append(Problem(self.path, mark.line + 1, mark.column + 1, message))


_CONFLICT = re.compile(rb"^(<{7}|={7}|>{7}|\|{7})(?=[ \t\r\n]|$)", re.MULTILINE)
_CONFLICT_WORDS = {b"<": "<<<<<<<", b"=": "=======", b">": ">>>>>>>", b"|": "|||||||"}


def _refuse_before_parsing(data: bytes | str, path: str) -> list[Problem]:
    """What is wrong with a file as a whole before it is YAML: UTF-16/32, merge-conflict markers."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff") or raw[:4] == b"\x00\x00\xfe\xff":
        kind = "UTF-32" if raw[:4] in (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff") else "UTF-16"
        return [
            Problem(
                path,
                1,
                1,
                f"the file is {kind} (it starts with a {kind} byte-order mark); "
                "kgraph reads UTF-8 only: re-save the file as UTF-8",
            )
        ]
    # a merge that stopped on a conflict leaves these lines; git writes them at the start of a line
    if b"<<<<<<<" not in raw and b"=======" not in raw and b">>>>>>>" not in raw:
        return []  # the fast path: one memchr-speed search each
    out = []
    for m in _CONFLICT.finditer(raw):
        line = raw.count(b"\n", 0, m.start()) + 1
        marker = _CONFLICT_WORDS[m.group(1)[:1]]
        out.append(
            Problem(
                path,
                line,
                1,
                f"merge-conflict marker {marker!r}: a merge left this file half done; "
                "keep the right lines and delete the markers",
            )
        )
    return out


def _line_of(data: bytes | str, line: int) -> str:
    """Line ``line`` (1-based) of the file, as text."""
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    lines = text.split("\n")
    return lines[line - 1] if 0 < line <= len(lines) else ""


def _syntax_problem(err: Any, data: bytes | str, path: str) -> Problem:
    """libyaml's syntax error in words a person editing the file can act on, at the place to fix."""
    problem = err.problem or str(err)
    context = err.context or ""
    mark = err.problem_mark or err.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    start = err.context_mark
    start_line = start.line + 1 if start is not None else 0
    # a tab in the indentation of the offending line (or the one before) is the cause whatever libyaml says
    for ln in (line, line - 1):
        text = _line_of(data, ln)
        indent = text[: len(text) - len(text.lstrip(" \t"))]
        if "\t" in indent:
            return Problem(
                path,
                ln,
                indent.index("\t") + 1,
                "invalid YAML: a tab in the indentation; YAML indents with spaces only",
            )
    if "quoted scalar" in context and "end of stream" in problem and start is not None:
        return Problem(
            path,
            start_line,
            start.column + 1,
            "invalid YAML: the quoted value that starts here is never closed (no closing quote before the "
            "end of the file)",
        )
    if "simple key" in context and "expected ':'" in problem and start is not None:
        return Problem(
            path, start_line, start.column + 1, "invalid YAML: this line has no ':' after its key (write 'key: value')"
        )
    if "block mapping" in context and "expected key" in problem:
        return Problem(
            path,
            line,
            col,
            f"invalid YAML: this line is indented differently from the mapping it belongs "
            f"to (started at line {start_line}); keys of one mapping must line up",
        )
    if "block collection" in context and "'-' indicator" in problem:
        return Problem(
            path,
            line,
            col,
            f"invalid YAML: this line is indented differently from the list it belongs to "
            f"(started at line {start_line}); items of one list must line up",
        )
    if problem == "mapping values are not allowed in this context":
        return Problem(
            path,
            line,
            col,
            "invalid YAML: a ':' where no key can start; is this line indented more than "
            "the keys above it, is the ':' missing on the line before, or does a value "
            "with ': ' in it need quotes?",
        )
    if "maximum nesting depth" in problem:  # libyaml's own limit (1,000 levels, from libyaml 0.2.5)
        return Problem(
            path,
            line,
            col,
            "lists and mappings are nested far too deep here (over 1,000 levels, the YAML parser's limit)",
        )
    if "flow sequence" in context or "flow mapping" in context:
        closer = "]" if "sequence" in context else "}"
        return Problem(
            path,
            line,
            col,
            f"invalid YAML: the {'[' if closer == ']' else '{'} opened at line {start_line} "
            f"is not closed with {closer!r} (or an item lacks its ',')",
        )
    if "cannot start any token" in problem:
        ch = _line_of(data, line)[col - 1 : col]
        return Problem(path, line, col, f"invalid YAML: {ch!r} cannot start a value; put the value in quotes")
    return Problem(path, line, col, f"invalid YAML: {problem} ({context})" if context else f"invalid YAML: {problem}")


def _encoding_problem(err: Any, data: bytes | str, path: str) -> Problem:
    """A byte that is not UTF-8 or a control character, at its line and column, with what to do."""
    position = err.position
    reason = str(err.reason)
    bad_utf8 = err.character == -1 or any(w in reason for w in ("octet", "UTF-8", "Unicode"))
    if bad_utf8 and isinstance(data, bytes):
        try:  # libyaml points past the first bad byte at times; Python's decoder names the sequence's start
            data.decode("utf-8")
        except UnicodeDecodeError as e:
            position = e.start
    head = data[:position]
    nl = b"\n" if isinstance(head, bytes) else "\n"
    line = head.count(nl) + 1  # type: ignore[arg-type]
    start = head.rfind(nl) + 1  # type: ignore[arg-type]
    prefix = head[start:]
    column = len(prefix.decode("utf-8", "replace") if isinstance(prefix, bytes) else prefix) + 1
    if bad_utf8:
        byte = data[position] if isinstance(data, bytes) and position < len(data) else None
        shown = f"byte 0x{byte:02X}" if isinstance(byte, int) else "a byte"
        return Problem(
            path,
            line,
            column,
            f"the file is not UTF-8: {shown} here is not valid UTF-8 "
            "(was it saved as Latin-1 or Windows-1252?); re-save the file as UTF-8",
        )
    if err.character == 0 or err.character == "\0":
        return Problem(
            path,
            line,
            column,
            "the file holds a NUL byte (is it UTF-16 without a byte-order mark, or "
            "not a text file?); re-save it as UTF-8 text",
        )
    code = err.character if isinstance(err.character, int) else ord(str(err.character)[:1] or "\0")
    return Problem(path, line, column, f"control character U+{code:04X} is not allowed in YAML; delete it")
