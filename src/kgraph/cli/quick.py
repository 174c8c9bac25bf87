"""The core queries answered without Typer: their plain command lines, read exactly as Typer reads them.

A core query (``who-supports``, ``who-opposes``, ``path``, ``neighbours``,
``facts``, ``entity``, ``stats``, ``relations``, and ``explain``) costs less to answer from the cache than
Typer costs to import. :func:`parse` reads a command line in the forms people
and scripts write (root ``--data``/``-d``, ``--store``, ``--store-user``,
``--store-base``, ``--no-cache`` and ``--traceback`` before the command;
its arguments; its options as
``--name value`` or ``--name=value``, flags, ``-r``-style short names, in
any order) into the values Typer would pass; :func:`run` does what the
Typer command does with them (:mod:`kgraph.cli.core`: load with the shared
scope and window, ask one :mod:`kgraph.query` function, write the answer,
all inside the error edge).

Whatever it is not sure of, it leaves to Typer, which then parses, checks
and reports as always: any ``--help``, an unknown or misspelt option, a
missing or extra argument, a value that starts with ``-`` or is empty, a
number that is not plain digits of at least 1, a format not in lower case,
an option given twice, ``--``, ``KGRAPH_NO_CACHE`` in the environment. So
the quick path never prints an error of its own, and never reads a command
line differently: tests/test_startup.py checks :data:`COMMANDS` against the
Typer commands' parameters, and the values and calls of both paths on many
command lines.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from ..defaults import EXPLAIN_LIMIT, EXPLAIN_MAX_HOPS, PATH_LIMIT

__all__ = ["COMMANDS", "SHARED", "Job", "Spec", "parse", "run"]

# how an option's value is read: a flag takes none; the rest read the next word (or what follows "=")
FLAG, TEXT, PATH, FORMAT, COUNT, MANY = "flag", "text", "path", "format", "count", "many"

SHARED: dict[str, tuple[str, str]] = {
    "--data": ("data", PATH),
    "-d": ("data", PATH),
    "--format": ("fmt", FORMAT),
    "-f": ("fmt", FORMAT),
    "--as-of": ("as_of", TEXT),
    "--since": ("since", TEXT),
    "--until": ("until", TEXT),
    "--source": ("sources", MANY),
    "--store": ("store", TEXT),
}
"""The options every core query takes (DataOpt, FormatOpt, … of :mod:`kgraph.cli.app`): option -> (parameter, kind)."""

_SHARED_DEFAULTS: dict[str, Any] = {
    "data": None,
    "fmt": None,
    "as_of": None,
    "since": None,
    "until": None,
    "sources": None,
    "store": None,
}


class Spec(NamedTuple):
    """One core query command: what it reads and which :mod:`kgraph.query` (or ``module``) function it asks.

    ``arguments`` are its positional parameters, passed to the query function
    after the graph; ``options`` its own options (option -> (parameter,
    kind)), with their ``defaults``; ``passed`` the parameters handed to the
    query function as keywords (parameter -> keyword).
    """

    query: str
    arguments: tuple[str, ...] = ()
    options: Mapping[str, tuple[str, str]] = {}
    defaults: Mapping[str, Any] = {}
    passed: Mapping[str, str] = {}
    module: str = "query"  # the kgraph module of the function: query, or analysis (explain)


_STANCE = Spec(
    "",
    ("name",),
    {"--direct": ("direct", FLAG), "--hedged": ("hedged", FLAG), "--min-sources": ("min_sources", COUNT)},
    {"direct": False, "hedged": False, "min_sources": 1},
    {"direct": "direct", "hedged": "hedged", "min_sources": "min_sources"},
)
_RELATION = {"--relation": ("relation", MANY), "-r": ("relation", MANY)}

COMMANDS: dict[str, Spec] = {
    "who-supports": _STANCE._replace(query="supporters"),
    "who-opposes": _STANCE._replace(query="opponents"),
    "path": Spec(
        "paths",
        ("source", "target"),
        {"--all": ("all_paths", FLAG), "--max-hops": ("max_hops", COUNT), **_RELATION, "--limit": ("limit", COUNT)},
        {"all_paths": False, "max_hops": None, "relation": None, "limit": PATH_LIMIT},
        {"all_paths": "all_paths", "max_hops": "max_hops", "relation": "relations", "limit": "limit"},
    ),
    "neighbours": Spec(
        "neighbours",
        ("name",),
        {"--depth": ("depth", COUNT), **_RELATION, "--direction": ("direction", TEXT)},
        {"depth": 1, "relation": None, "direction": "both"},
        {"depth": "depth", "relation": "relations", "direction": "direction"},
    ),
    "facts": Spec(
        "facts",
        (),
        {
            "--subject": ("subject", TEXT),
            "-s": ("subject", TEXT),
            "--object": ("object", TEXT),
            "-o": ("object", TEXT),
            **_RELATION,
            "--entity": ("entity", TEXT),
            "-e": ("entity", TEXT),
        },
        {"subject": None, "object": None, "relation": None, "entity": None},
        {"subject": "subject", "object": "object", "relation": "relation", "entity": "entity"},
    ),
    "entity": Spec("entity", ("name",)),
    "stats": Spec("stats"),
    "relations": Spec("relations"),
    "explain": Spec(
        "explain",
        ("source", "target"),
        {
            "--max-hops": ("max_hops", COUNT),
            "--limit": ("limit", COUNT),
            "--hedged": ("hedged", FLAG),
            "--min-sources": ("min_sources", COUNT),
        },
        {"max_hops": EXPLAIN_MAX_HOPS, "limit": EXPLAIN_LIMIT, "hedged": False, "min_sources": 1},
        {"max_hops": "max_hops", "limit": "limit", "hedged": "hedged", "min_sources": "min_sources"},
        "analysis",
    ),
}
"""The commands the quick path answers, by name; the table of each answer has the command's name."""


class Job(NamedTuple):
    """A command line read: the root options, the command, and the value of each of its parameters."""

    data: Path | None
    no_cache: bool
    traceback: bool
    command: str
    values: dict[str, Any]
    store: str | None = None  # the root --store, --store-user and --store-base
    store_user: str | None = None
    store_base: str | None = None


_ROOT: dict[str, tuple[str, str]] = {
    "--data": ("data", PATH),
    "-d": ("data", PATH),
    "--store": ("store", TEXT),
    "--store-user": ("store_user", TEXT),
    "--store-base": ("store_base", TEXT),
}
"""The root options with a value that :func:`parse` reads (each core query can answer from a store)."""


def parse(args: list[str], environ: Mapping[str, str]) -> Job | None:
    """The command line ``args`` (after ``kgraph``) read as Typer would, or None to leave it to Typer."""
    if "KGRAPH_NO_CACHE" in environ:  # Typer reads it as a flag's value (1, true, yes, …): its business
        return None
    root: dict[str, Any] = {"data": None, "no_cache": False, "traceback": False}
    stores: dict[str, Any] = {"store": None, "store_user": None, "store_base": None}
    at = 0
    while at < len(args) and args[at].startswith("-"):
        word = args[at]
        if word in ("--no-cache", "--traceback"):
            root[word[2:].replace("-", "_")] = True
            at += 1
            continue
        read = _option(args, at, _ROOT)
        if read is None:
            return None
        param, value, at = read
        (root if param == "data" else stores)[param] = value  # (given twice, Click keeps the last: so here)
    if at == len(args) or args[at] not in COMMANDS:
        return None
    spec = COMMANDS[args[at]]
    values = _values(spec, args[at + 1 :])
    if values is None:
        return None
    return Job(root["data"], root["no_cache"], root["traceback"], args[at], values, **stores)


def _values(spec: Spec, words: list[str]) -> dict[str, Any] | None:
    """The value of each parameter of the command, from the words after its name; None when unsure."""
    options = {**spec.options, **SHARED}
    values: dict[str, Any] = {**spec.defaults, **_SHARED_DEFAULTS}
    given: set[str] = set()
    arguments: list[str] = []
    at = 0
    while at < len(words):
        word = words[at]
        if not word.startswith("-"):
            if not word:
                return None
            arguments.append(word)
            at += 1
            continue
        read = _option(words, at, options)
        if read is None:
            return None
        param, value, at = read
        if options[word.partition("=")[0]][1] == MANY:
            values[param] = [*(values[param] or []), value]
        elif param in given and value is not True:
            return None  # twice: Click keeps the last, but a second look costs nothing
        else:
            given.add(param)
            values[param] = value
    if len(arguments) != len(spec.arguments):
        return None
    values.update(zip(spec.arguments, arguments, strict=True))
    return values


def _option(words: list[str], at: int, options: Mapping[str, tuple[str, str]]) -> tuple[str, Any, int] | None:
    """The option at ``words[at]``: its parameter, its value and where the next word is; None when unsure."""
    word = words[at]
    name, eq, attached = word.partition("=") if word.startswith("--") else (word, "", "")
    known = options.get(name)
    if known is None:
        return None
    param, kind = known
    if kind == FLAG:
        return None if eq else (param, True, at + 1)
    if eq:
        raw, after = attached, at + 1
    elif at + 1 < len(words):
        raw, after = words[at + 1], at + 2
    else:
        return None
    value = _value(kind, raw)
    return None if value is None else (param, value, after)


def _value(kind: str, raw: str) -> Any:
    """``raw`` as Typer gives it to a parameter of this kind; None when Typer might read it otherwise."""
    if not raw or raw.startswith("-"):
        return None
    if kind == PATH:
        return Path(raw)
    if kind == FORMAT:
        from ..tables import Format

        return Format(raw) if raw in Format.__members__ else None
    if kind == COUNT:
        plain = raw.isascii() and raw.isdigit() and raw[0] != "0" and len(raw) < 10
        return int(raw) if plain else None
    return raw  # TEXT, MANY


def run(job: Job) -> None:
    """Do what the Typer command does with these values (:mod:`kgraph.cli.core`), then exit 0 (or the error's code)."""
    import os

    from .edge import error_edge, load_graph, output, state

    # the root callback (kgraph.cli.app._root)
    state.traceback = job.traceback or os.environ.get("KGRAPH_DEBUG", "") not in ("", "0")
    state.data = job.data
    state.no_cache = job.no_cache
    state.store = job.store
    state.store_user = job.store_user or os.environ.get("KGRAPH_STORE_USER") or None
    state.store_base = job.store_base or os.environ.get("KGRAPH_STORE_BASE") or None
    # (the root callback refuses --store to a command that reads the dataset locally: every core query can use one)
    spec, v = COMMANDS[job.command], job.values
    with error_edge():
        import importlib

        kg = load_graph(
            v["data"], as_of=v["as_of"], since=v["since"], until=v["until"], sources=v["sources"], store=v["store"]
        )
        ask = getattr(importlib.import_module(f"kgraph.{spec.module}"), spec.query)
        answer = ask(kg, *(v[a] for a in spec.arguments), **{kw: v[p] for p, kw in spec.passed.items()})
        output(answer, v["fmt"], job.command)
    raise SystemExit(0)
